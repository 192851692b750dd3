//! Quick fixes: for findings whose fix is mechanical, the change that applies it, so that the
//! editors can offer it one click away.
//!
//! Two entry points share the same repairs:
//! - [`fix_value`] repairs a JSON document in place (the task definition editor's JSON view,
//!   which may hold a request that is not valid yet: a misspelt member, a wrong type);
//! - [`quick_fix`] turns a finding on a plan into the named [`Edit`] that fixes it
//!   ([`Edit::UpdateTaskDefinition`] or [`Edit::UpdateService`], labelled with what it does).
//!
//! A repair is chosen from the finding's rule code and reads the document at the finding's
//! path, never the finding's text. Codes with a repair:
//!
//! | code | repair |
//! |---|---|
//! | `fargate-cpu-memory`, `fargate-task-size-missing` | the Fargate size the rule suggests: the task's cpu with the first memory at least the task's, or the smallest size that holds both |
//! | `host-port-mismatch` | `hostPort` = `containerPort` |
//! | `awslogs-stream-prefix` | add `awslogs-stream-prefix` (the family, or `ecs`) |
//! | `fargate-network-mode` | `networkMode` = `awsvpc` |
//! | `unknown-field` | rename the member to the "did you mean" (when that member is not there yet) |
//! | `invalid-enum` | the "did you mean" value |
//! | `wrong-type` | a number or boolean where a string is expected written as a string; a string holding a whole number where one is expected, as a number |
//! | `strategy-single-base` | remove the second base |
//! | `strategy-zero-weight` | weight 1 on the first provider |
//! | `strategy-field` | the closest valid field (`cpu`/`memory` for binpack; `instanceId`, `host` for spread), else `memory` / `instanceId` |
//! | `deployment-cannot-progress`, `deployment-maximum-below-100` | `maximumPercent` 200 (the default) |
//! | `deployment-percent-range` | `minimumHealthyPercent` clamped to 0–100, a negative `maximumPercent` to 200 |

use crate::edit::Edit;
use crate::fargate::{self, Os};
use crate::findings::{Finding, JsonPath, PathSeg};
use crate::plan::{units, Plan};
use crate::schema::{did_you_mean, Shape, Shapes};
use serde_json::{json, Map, Value};

/// The shape of a plan document (for [`fix_value`]).
pub const PLAN_SHAPE: &str = "plan:Plan";
/// The shape of a RegisterTaskDefinition request (for [`fix_value`]).
pub const TASK_DEFINITION_SHAPE: &str = "ecs:RegisterTaskDefinitionRequest";
/// The shape of a service in a plan (a CreateService request plus `autoScaling`).
pub const SERVICE_SHAPE: &str = "plan:Service";

/// A fix for a finding on a plan: what it does, in a few words, and the edit that does it.
#[derive(Debug, Clone, PartialEq)]
pub struct QuickFix {
    /// "set memory to \"3072\"", "rename `memroy` to `memory`".
    pub label: String,
    /// The edit that fixes it, applied like any edit of the page.
    pub edit: Edit,
}

/// The edit that fixes `finding` on `plan`, when the fix is mechanical. The finding's path
/// must lead into a task definition or a service (`taskDefinitions[i]...`, `services[i]...`).
pub fn quick_fix(plan: &Plan, finding: &Finding) -> Option<QuickFix> {
    let (member, index, rest) = match finding.path.0.as_slice() {
        [PathSeg::Key(k), PathSeg::Index(i), rest @ ..] => (k.as_str(), *i, rest),
        _ => return None,
    };
    let (mut doc, shape) = match member {
        "taskDefinitions" => (
            serde_json::to_value(plan.task_definitions.get(index)?).ok()?,
            TASK_DEFINITION_SHAPE,
        ),
        "services" => (
            serde_json::to_value(plan.services.get(index)?).ok()?,
            SERVICE_SHAPE,
        ),
        _ => return None,
    };
    let local = Finding {
        path: JsonPath(rest.to_vec()),
        ..finding.clone()
    };
    let label = fix_value(&mut doc, shape, &local)?;
    let change = Some(label.clone());
    let edit = if member == "services" {
        Edit::UpdateService {
            index,
            json: doc,
            change,
        }
    } else {
        Edit::UpdateTaskDefinition {
            index,
            json: doc,
            change,
        }
    };
    Some(QuickFix { label, edit })
}

/// Repairs `doc` (a document of shape `root`, see [`PLAN_SHAPE`], [`TASK_DEFINITION_SHAPE`])
/// for `finding`, whose path is relative to `doc`. Returns what was done, or `None` (and leaves
/// `doc` as it was) when the finding has no mechanical fix.
pub fn fix_value(doc: &mut Value, root: &str, finding: &Finding) -> Option<String> {
    let path = &finding.path;
    let mut copy = doc.clone();
    let label = match finding.code.as_str() {
        "fargate-cpu-memory" | "fargate-task-size-missing" => fargate_size(&mut copy, path)?,
        "host-port-mismatch" => {
            let mapping = value_at_mut(&mut copy, &parent(path)?)?.as_object_mut()?;
            let port = mapping.get("containerPort")?.as_u64()?;
            mapping.insert("hostPort".into(), json!(port));
            format!("set hostPort to {port}")
        }
        "awslogs-stream-prefix" => {
            let td = task_definition_of(path)?;
            let prefix = value_at(&copy, &td)
                .and_then(|t| t.get("family"))
                .and_then(Value::as_str)
                .filter(|f| !f.is_empty())
                .unwrap_or("ecs")
                .to_string();
            let options = object_at(&mut copy, path)?;
            options.insert("awslogs-stream-prefix".into(), json!(prefix));
            format!("add \"awslogs-stream-prefix\": \"{prefix}\"")
        }
        "fargate-network-mode" => {
            set_value_at(&mut copy, path, Some(json!("awsvpc"))).then_some(())?;
            "set networkMode to awsvpc".to_string()
        }
        "unknown-field" => {
            let (owner, key) = split_last_key(path)?;
            let shapes = Shapes::builtin();
            let shape = shapes.shape_at(root, &owner)?;
            let members = shapes.member_names(&shape);
            let best = did_you_mean(&key, members.iter().copied())?.to_string();
            let obj = value_at_mut(&mut copy, &owner)?.as_object_mut()?;
            if obj.contains_key(&best) {
                return None;
            }
            rename_key(obj, &key, &best).then_some(())?;
            format!("rename `{key}` to `{best}`")
        }
        "invalid-enum" => {
            let shapes = Shapes::builtin();
            let shape = shapes.shape_at(root, path)?;
            let values = shapes.enum_values(&shape)?;
            let now = value_at(&copy, path)?.as_str()?.to_string();
            let best = did_you_mean(&now, values.iter().map(String::as_str))?.to_string();
            set_value_at(&mut copy, path, Some(json!(best))).then_some(())?;
            format!("use \"{best}\"")
        }
        "wrong-type" => {
            let shapes = Shapes::builtin();
            let shape = shapes.shape_at(root, path)?;
            let now = value_at(&copy, path)?.clone();
            let (new, label) = match (shapes.get(&shape)?, &now) {
                (Shape::String { .. }, Value::Number(_) | Value::Bool(_)) => {
                    (json!(now.to_string()), format!("write \"{now}\" in quotes"))
                }
                (Shape::Integer { .. }, Value::String(s)) => {
                    let n: i64 = s.trim().parse().ok()?;
                    (json!(n), format!("write {n} without quotes"))
                }
                _ => return None,
            };
            set_value_at(&mut copy, path, Some(new)).then_some(())?;
            label
        }
        "strategy-single-base" => {
            let item = object_at(&mut copy, &parent(path)?)?;
            item.remove("base")?;
            let name = item
                .get("capacityProvider")
                .and_then(Value::as_str)
                .unwrap_or("this provider")
                .to_string();
            format!("remove the base of {name}")
        }
        "strategy-zero-weight" => {
            let first = value_at_mut(&mut copy, path)?
                .as_array_mut()?
                .first_mut()?
                .as_object_mut()?;
            first.insert("weight".into(), json!(1));
            let name = first
                .get("capacityProvider")
                .and_then(Value::as_str)
                .unwrap_or("the first provider")
                .to_string();
            format!("give {name} weight 1")
        }
        "strategy-field" => {
            let strategy = object_at(&mut copy, &parent(path)?)?;
            let now = strategy
                .get("field")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let (candidates, fallback): (&[&str], &str) =
                match strategy.get("type").and_then(Value::as_str)? {
                    "binpack" => (&["cpu", "memory"], "memory"),
                    "spread" => (&["instanceId", "host"], "instanceId"),
                    _ => return None,
                };
            let best = did_you_mean(&now, candidates.iter().copied()).unwrap_or(fallback);
            strategy.insert("field".into(), json!(best));
            format!("use field \"{best}\"")
        }
        "deployment-cannot-progress" | "deployment-maximum-below-100" => {
            let dc_path = if path.0.last() == Some(&PathSeg::Key("maximumPercent".into())) {
                parent(path)?
            } else {
                path.clone()
            };
            let dc = object_at(&mut copy, &dc_path)?;
            if dc.get("maximumPercent").and_then(Value::as_i64) == Some(200) {
                return None;
            }
            dc.insert("maximumPercent".into(), json!(200));
            "set maximumPercent to 200 (the default)".to_string()
        }
        "deployment-percent-range" => {
            let (_, key) = split_last_key(path)?;
            let now = value_at(&copy, path)?.as_i64()?;
            let new = match key.as_str() {
                "minimumHealthyPercent" => now.clamp(0, 100),
                "maximumPercent" if now < 0 => 200,
                _ => return None,
            };
            set_value_at(&mut copy, path, Some(json!(new))).then_some(())?;
            format!("set {key} to {new}")
        }
        _ => return None,
    };
    *doc = copy;
    Some(label)
}

/// The Fargate size fix: the task definition is the parent of the finding's `cpu`/`memory`.
fn fargate_size(doc: &mut Value, path: &JsonPath) -> Option<String> {
    let td = value_at_mut(doc, &parent(path)?)?.as_object_mut()?;
    let text = |k: &str| td.get(k).and_then(Value::as_str).map(str::to_string);
    let (cpu_text, memory_text) = (text("cpu"), text("memory"));
    let cpu = cpu_text.as_deref().and_then(units::cpu_units);
    let memory = memory_text.as_deref().and_then(units::memory_mib);
    let os = Os::from_family(
        td.get("runtimePlatform")
            .and_then(|p| p.get("operatingSystemFamily"))
            .and_then(Value::as_str),
    );
    let (c, m) = match (cpu, memory) {
        (Some(c), Some(m)) => match fargate::row(c, os) {
            // The rule's own advice: keep the cpu, take the first memory that holds the task.
            Some(row) => (
                c,
                row.memory()
                    .into_iter()
                    .find(|x| *x >= m)
                    .unwrap_or(row.max_mib),
            ),
            None => fargate::smallest_fit_for(c, m, os).or_else(|| {
                let last = fargate::ROWS.iter().rev().find(|r| r.allows(os))?;
                Some((last.cpu, m.clamp(last.min_mib, last.max_mib)))
            })?,
        },
        // Missing or unreadable: the smallest size, as the rule suggests.
        (c, m) => fargate::smallest_fit_for(c.unwrap_or(256), m.unwrap_or(512), os)?,
    };
    let mut changed = Vec::new();
    if cpu != Some(c) || cpu_text.is_none() {
        td.insert("cpu".into(), json!(c.to_string()));
        changed.push(format!("cpu to \"{c}\""));
    }
    if memory != Some(m) || memory_text.is_none() {
        td.insert("memory".into(), json!(m.to_string()));
        changed.push(format!("memory to \"{m}\""));
    }
    if changed.is_empty() {
        return None;
    }
    Some(format!("set {}", changed.join(" and ")))
}

/// The path without its last step.
fn parent(path: &JsonPath) -> Option<JsonPath> {
    let mut p = path.clone();
    p.0.pop()?;
    Some(p)
}

/// The owner's path and the member name of a path that ends in a key.
fn split_last_key(path: &JsonPath) -> Option<(JsonPath, String)> {
    let mut p = path.clone();
    match p.0.pop()? {
        PathSeg::Key(k) => Some((p, k)),
        PathSeg::Index(_) => None,
    }
}

/// The task definition a container path belongs to: the path before `containerDefinitions`.
fn task_definition_of(path: &JsonPath) -> Option<JsonPath> {
    let at = path
        .0
        .iter()
        .position(|s| *s == PathSeg::Key("containerDefinitions".into()))?;
    Some(JsonPath(path.0[..at].to_vec()))
}

/// The object at `path`, created (as `{}`) when the member is absent or null.
fn object_at<'a>(doc: &'a mut Value, path: &JsonPath) -> Option<&'a mut Map<String, Value>> {
    if value_at(doc, path).is_none_or(Value::is_null) {
        set_value_at(doc, path, Some(json!({}))).then_some(())?;
    }
    value_at_mut(doc, path)?.as_object_mut()
}

/// Renames a member in place (its position is kept).
fn rename_key(obj: &mut Map<String, Value>, from: &str, to: &str) -> bool {
    if !obj.contains_key(from) {
        return false;
    }
    let old = std::mem::take(obj);
    for (k, v) in old {
        if k == from {
            obj.insert(to.to_string(), v);
        } else {
            obj.insert(k, v);
        }
    }
    true
}

pub use crate::findings::{set_value_at, value_at, value_at_mut};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;
    use crate::rules::{check_plan, check_task_definition_document};

    fn plan(name: &str) -> Plan {
        let text = std::fs::read_to_string(format!(
            "{}/../public/plans/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        crate::load::load(&text).plan.unwrap()
    }

    /// Applies the quick fix of the first finding with `code` and checks it is gone.
    fn fix_first(p: &Plan, code: &str) -> (String, Plan) {
        let f = check_plan(p)
            .into_iter()
            .find(|f| f.code == code)
            .unwrap_or_else(|| panic!("no {code} finding"));
        let q = quick_fix(p, &f).unwrap_or_else(|| panic!("no fix for {f}"));
        let fixed = apply(p, &q.edit).unwrap();
        assert!(
            !check_plan(&fixed)
                .iter()
                .any(|g| g.code == code && g.path == f.path),
            "{code} still there after {}",
            q.label
        );
        (q.label, fixed)
    }

    fn with_td(p: &Plan, i: usize, change: impl FnOnce(&mut Value)) -> Plan {
        let mut json = serde_json::to_value(&p.task_definitions[i]).unwrap();
        change(&mut json);
        apply(
            p,
            &Edit::UpdateTaskDefinition {
                index: i,
                json,
                change: None,
            },
        )
        .unwrap()
    }

    #[test]
    fn an_invalid_fargate_memory_becomes_the_first_valid_one_for_the_cpu() {
        let p = plan("fargate-spot.json");
        let cpu = p.task_definitions[0].cpu.clone().unwrap();
        assert_eq!(cpu, "512");
        let bad = with_td(&p, 0, |td| td["memory"] = json!("3000"));
        let (label, fixed) = fix_first(&bad, "fargate-cpu-memory");
        assert_eq!(label, "set memory to \"3072\"");
        assert_eq!(fixed.task_definitions[0].memory.as_deref(), Some("3072"));
        assert_eq!(fixed.task_definitions[0].cpu.as_deref(), Some("512"));
        // Above the row's maximum: the largest memory of the row.
        let big = with_td(&p, 0, |td| td["memory"] = json!("9000"));
        let (label, _) = fix_first(&big, "fargate-cpu-memory");
        assert_eq!(label, "set memory to \"4096\"");
        // A cpu Fargate does not sell: the smallest size that holds both.
        let odd = with_td(&p, 0, |td| td["cpu"] = json!("300"));
        let (label, fixed) = fix_first(&odd, "fargate-cpu-memory");
        assert_eq!(label, "set cpu to \"512\"");
        assert_eq!(fixed.task_definitions[0].memory.as_deref(), Some("1024"));
        // Missing memory: the smallest size for the cpu.
        let none = with_td(&p, 0, |td| {
            td.as_object_mut().unwrap().remove("memory");
        });
        let (label, _) = fix_first(&none, "fargate-task-size-missing");
        assert_eq!(label, "set memory to \"1024\"");
    }

    #[test]
    fn host_ports_and_stream_prefixes() {
        let p = plan("fargate-spot.json");
        let td = &p.task_definitions[0];
        assert_eq!(td.network_mode, Some(crate::plan::NetworkMode::Awsvpc));
        let bad = with_td(&p, 0, |td| {
            let c = &mut td["containerDefinitions"][0];
            let port = c["portMappings"][0]["containerPort"].as_u64().unwrap();
            c["portMappings"][0]["hostPort"] = json!(port + 1);
            c["logConfiguration"] = json!({
                "logDriver": "awslogs",
                "options": { "awslogs-group": "/ecs/x", "awslogs-region": "us-east-1" }
            });
        });
        let (label, fixed) = fix_first(&bad, "host-port-mismatch");
        let port = fixed.task_definitions[0].container_definitions[0].port_mappings[0]
            .container_port
            .unwrap();
        assert_eq!(label, format!("set hostPort to {port}"));
        let (label, fixed) = fix_first(&fixed, "awslogs-stream-prefix");
        let family = &p.task_definitions[0].family;
        assert_eq!(
            label,
            format!("add \"awslogs-stream-prefix\": \"{family}\"")
        );
        let options = &fixed.task_definitions[0].container_definitions[0].extra["logConfiguration"]
            ["options"];
        assert_eq!(options["awslogs-stream-prefix"], json!(family));
        assert_eq!(
            options["awslogs-group"],
            json!("/ecs/x"),
            "other options kept"
        );
    }

    #[test]
    fn documents_get_members_renamed_enums_corrected_and_types_converted() {
        let mut doc = json!({
            "family": "web",
            "networkMode": "awsvcp",
            "memroy": "512",
            "cpu": 256,
            "containerDefinitions": [ { "name": "web", "image": "nginx:1.27", "memory": "512" } ]
        });
        let report = check_task_definition_document(&doc);
        let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(
            codes,
            ["invalid-enum", "unknown-field", "wrong-type", "wrong-type"],
            "{:#?}",
            report.findings
        );
        let mut labels = Vec::new();
        for f in &report.findings {
            labels.push(fix_value(&mut doc, TASK_DEFINITION_SHAPE, f).unwrap());
        }
        assert_eq!(
            labels,
            [
                "use \"awsvpc\"",
                "rename `memroy` to `memory`",
                "write \"256\" in quotes",
                "write 512 without quotes"
            ]
        );
        assert!(
            check_task_definition_document(&doc)
                .findings
                .iter()
                .all(|f| !f.is_error()),
            "{doc:#}"
        );
        // The renamed member keeps its place.
        let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "family",
                "networkMode",
                "memory",
                "cpu",
                "containerDefinitions"
            ]
        );
        // No likely name: no fix, and the document is left alone.
        let mut other = json!({ "family": "web", "zzzzzz": 1, "containerDefinitions": [] });
        let f = check_task_definition_document(&other)
            .findings
            .into_iter()
            .find(|f| f.code == "unknown-field")
            .unwrap();
        let before = other.clone();
        assert_eq!(fix_value(&mut other, TASK_DEFINITION_SHAPE, &f), None);
        assert_eq!(other, before);
    }

    #[test]
    fn service_strategies_and_deployments() {
        let p = plan("two-az-web.json");
        let mut svc = serde_json::to_value(&p.services[0]).unwrap();
        svc["capacityProviderStrategy"] = json!([
            { "capacityProvider": "shop-ondemand", "base": 1 },
            { "capacityProvider": "shop-ondemand-2", "base": 2 }
        ]);
        svc["placementStrategy"] = json!([{ "type": "binpack", "field": "memroy" }]);
        svc["deploymentConfiguration"] =
            json!({ "maximumPercent": 100, "minimumHealthyPercent": 100 });
        let mut doc = json!({ "services": [svc] });
        let rule = |code: &str, path: JsonPath| Finding::error(code, path, "");
        let s = JsonPath::root().key("services").index(0);
        let cps = s.key("capacityProviderStrategy");
        let fixes = [
            rule("strategy-single-base", cps.index(1).key("base")),
            rule("strategy-zero-weight", cps.clone()),
            rule(
                "strategy-field",
                s.key("placementStrategy").index(0).key("field"),
            ),
            rule(
                "deployment-cannot-progress",
                s.key("deploymentConfiguration"),
            ),
        ];
        let labels: Vec<String> = fixes
            .iter()
            .map(|f| fix_value(&mut doc, PLAN_SHAPE, f).unwrap())
            .collect();
        assert_eq!(
            labels,
            [
                "remove the base of shop-ondemand-2",
                "give shop-ondemand weight 1",
                "use field \"memory\"",
                "set maximumPercent to 200 (the default)"
            ]
        );
        let s = &doc["services"][0];
        assert_eq!(
            s["capacityProviderStrategy"],
            json!([
                { "capacityProvider": "shop-ondemand", "base": 1, "weight": 1 },
                { "capacityProvider": "shop-ondemand-2" }
            ])
        );
        assert_eq!(s["deploymentConfiguration"]["maximumPercent"], json!(200));

        // On a plan, the fix is a named edit of the service.
        let mut stuck = serde_json::to_value(&p.services[0]).unwrap();
        stuck["deploymentConfiguration"]["maximumPercent"] = json!(100);
        let stuck = apply(
            &p,
            &Edit::UpdateService {
                index: 0,
                json: stuck,
                change: None,
            },
        )
        .unwrap();
        let (label, _) = fix_first(&stuck, "deployment-cannot-progress");
        assert_eq!(label, "set maximumPercent to 200 (the default)");
        let f = check_plan(&stuck)
            .into_iter()
            .find(|f| f.code == "deployment-cannot-progress")
            .unwrap();
        assert_eq!(
            quick_fix(&stuck, &f).unwrap().edit.describe(),
            "set maximumPercent to 200 (the default) in service web"
        );
    }

    #[test]
    fn findings_without_a_mechanical_fix_have_none() {
        let p = plan("two-az-web.json");
        let f = Finding::error(
            "image-latest",
            JsonPath::root()
                .key("taskDefinitions")
                .index(0)
                .key("containerDefinitions")
                .index(0)
                .key("image"),
            "",
        );
        assert_eq!(quick_fix(&p, &f), None);
        let outside = Finding::error("fargate-cpu-memory", JsonPath::root().key("cluster"), "");
        assert_eq!(quick_fix(&p, &outside), None);
    }

    #[test]
    fn setting_and_removing_values_by_path() {
        let mut v = json!({ "a": [ { "b": 1 } ] });
        let p = |s: &str| JsonPath::parse(s).unwrap();
        assert!(set_value_at(&mut v, &p("a[0].c.d"), Some(json!(2))));
        assert!(set_value_at(&mut v, &p("a[1]"), Some(json!({ "x": true }))));
        assert!(set_value_at(&mut v, &p("e[0]"), Some(json!("first"))));
        assert!(!set_value_at(&mut v, &p("a[5]"), Some(json!(0))));
        assert_eq!(
            v,
            json!({ "a": [ { "b": 1, "c": { "d": 2 } }, { "x": true } ], "e": ["first"] })
        );
        assert!(set_value_at(&mut v, &p("a[0].b"), None));
        assert!(set_value_at(&mut v, &p("a[1]"), None));
        assert!(set_value_at(&mut v, &p("nothing.here"), None));
        assert_eq!(v, json!({ "a": [ { "c": { "d": 2 } } ], "e": ["first"] }));
        assert_eq!(value_at(&v, &p("a[0].c.d")), Some(&json!(2)));
        assert_eq!(value_at(&v, &p("a[3]")), None);
    }
}
