//! The controls of a reach or fix scenario: what the learner may change, with its limits.
//!
//! A learner's answer is checked by what it changed, not by how: the starting plan and the
//! learner's plan are compared member by member, and every change must be covered by a control.
//! So edits made on the board, in the editors, or a whole plan given to `ecsplan learn play`
//! are judged alike. Container instances are compared by id (added, removed, moved, drained).

use super::scenario::Control;
use crate::findings::{Finding, JsonPath, PathSeg};
use crate::plan::Plan;
use serde_json::Value;
use std::collections::BTreeMap;

/// The controls' commands and what each lets the learner change (for documentation and the
/// check of scenario files).
pub const COMMANDS: &[(&str, &str)] = &[
    (
        "addInstances",
        "add container instances (instanceTypes, availabilityZones, maxInstances)",
    ),
    ("removeInstance", "terminate container instances"),
    ("moveInstance", "move an instance to another zone"),
    ("setDraining", "set instances to DRAINING or back"),
    ("addZone", "add an Availability Zone"),
    ("setDesiredCount", "a service's desiredCount (min, max)"),
    ("setPlacementStrategy", "a service's placementStrategy"),
    (
        "setPlacementConstraints",
        "a service's placementConstraints",
    ),
    ("updateService", "the listed members of a service"),
    (
        "updateTaskDefinition",
        "the listed members of a task definition",
    ),
    ("attachScalingPolicy", "a service's autoScaling"),
    ("addScheduledAction", "a service's autoScaling"),
    ("removeScaling", "a service's autoScaling"),
    ("setWorkload", "a service's load in the workload"),
    ("runTask", "standalone tasks"),
    ("edit", "the plan paths listed in paths"),
];

/// A control in words: "set the desired count of web (1 to 12)".
pub fn describe(c: &Control) -> String {
    let svc = c
        .service
        .as_deref()
        .map(|s| format!(" of {s}"))
        .unwrap_or_default();
    match c.command.as_str() {
        "addInstances" => {
            let mut s = "add instances".to_string();
            if !c.instance_types.is_empty() {
                s.push_str(&format!(" of {}", c.instance_types.join(" or ")));
            }
            if !c.availability_zones.is_empty() {
                s.push_str(&format!(" in {}", c.availability_zones.join(" or ")));
            }
            if let Some(m) = c.max_instances {
                s.push_str(&format!(" (at most {m} instances in all)"));
            }
            s
        }
        "removeInstance" => "remove instances".into(),
        "moveInstance" => "move instances to another zone".into(),
        "setDraining" => "drain instances".into(),
        "addZone" => "add a zone".into(),
        "setDesiredCount" => {
            let range = match (c.min, c.max) {
                (Some(a), Some(b)) => format!(" ({a} to {b})"),
                (Some(a), None) => format!(" (at least {a})"),
                (None, Some(b)) => format!(" (at most {b})"),
                _ => String::new(),
            };
            format!("set the desired count{svc}{range}")
        }
        "setPlacementStrategy" => format!("change the placement strategy{svc}"),
        "setPlacementConstraints" => format!("change the placement constraints{svc}"),
        "updateService" => format!("change {}{svc}", c.members.join(", ")),
        "updateTaskDefinition" => format!(
            "change {} of task definition {}",
            c.members.join(", "),
            c.family.as_deref().unwrap_or("any")
        ),
        "attachScalingPolicy" | "addScheduledAction" | "removeScaling" => {
            format!("change the auto scaling{svc}")
        }
        "setWorkload" => format!("change the load{svc}"),
        "runTask" => "run standalone tasks".into(),
        "edit" => format!("change {}", c.paths.join(", ")),
        other => other.to_string(),
    }
}

/// A path pattern: keys, indices, and `*` for any.
type Pattern = Vec<PathSeg>;

fn pattern(s: &str) -> Option<Pattern> {
    let s = s.replace("[*]", ".*");
    JsonPath::parse(&s).map(|p| p.0)
}

fn covers(p: &Pattern, path: &[PathSeg]) -> bool {
    p.len() <= path.len()
        && p.iter().zip(path).all(|(a, b)| match (a, b) {
            (PathSeg::Key(k), _) if k == "*" => true,
            (a, b) => a == b,
        })
}

fn join(prefix: &[PathSeg], rel: &str) -> Option<Pattern> {
    let mut p = prefix.to_vec();
    p.extend(pattern(rel)?);
    Some(p)
}

/// Checks the control names and member paths of a scenario file.
pub fn check_controls(controls: &[Control], base: &JsonPath, out: &mut Vec<Finding>) {
    for (i, c) in controls.iter().enumerate() {
        let at = base.index(i);
        if !COMMANDS.iter().any(|(n, _)| *n == c.command) {
            let mut f = Finding::error(
                "learn-control",
                at.key("command"),
                format!("\"{}\" is not a control", c.command),
            );
            let names = COMMANDS.iter().map(|(n, _)| *n);
            f = match crate::schema::did_you_mean(&c.command, names) {
                Some(b) => f.with_fix(format!("did you mean \"{b}\"?")),
                None => f.with_fix(format!(
                    "use one of {}",
                    COMMANDS
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            out.push(f);
        }
        let needs = match c.command.as_str() {
            "updateService" | "updateTaskDefinition" => Some(("members", &c.members)),
            "edit" => Some(("paths", &c.paths)),
            _ => None,
        };
        if let Some((what, list)) = needs {
            if list.is_empty() {
                out.push(
                    Finding::error(
                        "learn-control",
                        at.clone(),
                        format!("{} needs \"{what}\": what may change", c.command),
                    )
                    .with_fix(format!("add \"{what}\": [\"...\"]")),
                );
            }
            for (j, m) in list.iter().enumerate() {
                if pattern(m).is_none() {
                    out.push(Finding::error(
                        "learn-control",
                        at.key(what).index(j),
                        format!("\"{m}\" is not a path (write a.b[2].c, [*] for any item)"),
                    ));
                }
            }
        }
    }
}

/// Every change from `start` to `end` that no control covers, as findings at the changed path.
pub fn refusals(start: &Plan, end: &Plan, controls: &[Control]) -> Vec<Finding> {
    let mut out = Vec::new();
    let (Ok(mut a), Ok(mut b)) = (serde_json::to_value(start), serde_json::to_value(end)) else {
        return out;
    };
    let allowed = controls.iter().map(describe).collect::<Vec<_>>().join("; ");
    let allowed = if allowed.is_empty() {
        "none".to_string()
    } else {
        allowed
    };
    let refuse = |path: JsonPath, what: String| {
        Finding::error(
            "learn-control",
            path,
            format!("{what} is not one of this scenario's controls (allowed: {allowed})"),
        )
        .with_fix("undo that change; reach the goal with the controls the scenario gives")
    };
    let has = |cmd: &str| controls.iter().any(|c| c.command == cmd);

    // Patterns of everything the controls let change (plan-level paths).
    let mut patterns: Vec<Pattern> = Vec::new();
    let services = |name: &Option<String>| -> Vec<Pattern> {
        match name {
            None => vec![vec![
                PathSeg::Key("services".into()),
                PathSeg::Key("*".into()),
            ]],
            Some(n) => end
                .services
                .iter()
                .enumerate()
                .filter(|(_, s)| &s.service_name == n)
                .map(|(i, _)| vec![PathSeg::Key("services".into()), PathSeg::Index(i)])
                .collect(),
        }
    };
    for c in controls {
        let members: Vec<&str> = match c.command.as_str() {
            "setDesiredCount" => vec!["desiredCount"],
            "setPlacementStrategy" => vec!["placementStrategy"],
            "setPlacementConstraints" => vec!["placementConstraints"],
            "updateService" => c.members.iter().map(String::as_str).collect(),
            "attachScalingPolicy" | "addScheduledAction" | "removeScaling" => vec!["autoScaling"],
            _ => Vec::new(),
        };
        for s in services(&c.service) {
            for m in &members {
                if let Some(p) = join(&s, m) {
                    patterns.push(p);
                }
            }
        }
        match c.command.as_str() {
            "updateTaskDefinition" => {
                for (i, td) in end.task_definitions.iter().enumerate() {
                    if c.family.as_ref().is_some_and(|f| f != &td.family) {
                        continue;
                    }
                    let base = [PathSeg::Key("taskDefinitions".into()), PathSeg::Index(i)];
                    for m in &c.members {
                        if let Some(p) = join(&base, m) {
                            patterns.push(p);
                        }
                    }
                }
            }
            "addZone" => patterns.extend(pattern("cluster.availabilityZones")),
            "runTask" => patterns.extend(pattern("tasks")),
            "setWorkload" => patterns.extend(match &c.service {
                Some(s) => pattern(&format!("workload.services[\"{s}\"]")),
                None => pattern("workload"),
            }),
            "edit" => patterns.extend(c.paths.iter().filter_map(|p| pattern(p))),
            _ => {}
        }
    }

    // Container instances, by id.
    let take = |v: &mut Value| -> Vec<Value> {
        v.get_mut("cluster")
            .and_then(|c| c.get_mut("containerInstances"))
            .map(|l| std::mem::replace(l, Value::Array(Vec::new())))
            .and_then(|l| match l {
                Value::Array(a) => Some(a),
                _ => None,
            })
            .unwrap_or_default()
    };
    let before = take(&mut a);
    let after = take(&mut b);
    let id = |v: &Value| {
        v.get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let by_id: BTreeMap<String, &Value> = before.iter().map(|v| (id(v), v)).collect();
    let list = JsonPath::root().key("cluster").key("containerInstances");
    for (i, inst) in after.iter().enumerate() {
        let at = list.index(i);
        match by_id.get(&id(inst)) {
            None => {
                let ty = inst
                    .get("instanceType")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let zone = inst
                    .get("availabilityZone")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let ok = controls.iter().any(|c| {
                    c.command == "addInstances"
                        && (c.instance_types.is_empty() || c.instance_types.iter().any(|t| t == ty))
                        && (c.availability_zones.is_empty()
                            || c.availability_zones.iter().any(|z| z == zone))
                });
                if !ok {
                    out.push(refuse(at, format!("adding a {ty} in {zone}")));
                }
            }
            Some(old) => {
                let mut changed = Vec::new();
                diff(old, inst, &mut at.0.clone(), &mut changed);
                for p in changed {
                    let field = match p.get(at.0.len()) {
                        Some(PathSeg::Key(k)) => k.clone(),
                        _ => String::new(),
                    };
                    let by_command = match field.as_str() {
                        "availabilityZone" | "subnetId" => has("moveInstance"),
                        "status" => has("setDraining"),
                        _ => false,
                    };
                    if !by_command && !patterns.iter().any(|pat| covers(pat, &p)) {
                        out.push(refuse(
                            JsonPath(p),
                            format!("changing {field} of {}", id(inst)),
                        ));
                    }
                }
            }
        }
    }
    let kept: Vec<String> = after.iter().map(id).collect();
    for old in &before {
        if !kept.contains(&id(old)) && !has("removeInstance") {
            out.push(refuse(list.clone(), format!("removing {}", id(old))));
        }
    }
    for c in controls.iter().filter(|c| c.command == "addInstances") {
        if let Some(max) = c.max_instances {
            if after.len() as u32 > max && after.len() > before.len() {
                out.push(
                    Finding::error(
                        "learn-control",
                        list.clone(),
                        format!(
                            "the plan has {} container instances; this scenario allows at most {max}",
                            after.len()
                        ),
                    )
                    .with_fix(format!("remove {}", after.len() as u32 - max)),
                );
            }
        }
    }

    // Everything else, member by member.
    let mut changed = Vec::new();
    diff(&a, &b, &mut Vec::new(), &mut changed);
    for p in changed {
        if !patterns.iter().any(|pat| covers(pat, &p)) {
            let path = JsonPath(p);
            out.push(refuse(path.clone(), format!("changing {path}")));
        }
    }

    // Limits on values.
    for c in controls.iter().filter(|c| c.command == "setDesiredCount") {
        for (i, s) in end.services.iter().enumerate() {
            if c.service.as_ref().is_some_and(|n| n != &s.service_name) {
                continue;
            }
            let before = start.services.get(i).and_then(|x| x.desired_count);
            let Some(d) = s.desired_count.filter(|d| Some(*d) != before) else {
                continue;
            };
            if c.min.is_some_and(|m| d < m) || c.max.is_some_and(|m| d > m) {
                out.push(Finding::error(
                    "learn-control",
                    JsonPath::root()
                        .key("services")
                        .index(i)
                        .key("desiredCount"),
                    format!(
                        "desired count {d} is outside this scenario's range: {}",
                        describe(c)
                    ),
                ));
            }
        }
    }
    out
}

/// Paths of the leaves that differ between `a` and `b` (a member added or removed counts at
/// each of its leaves; lists of different lengths count as a whole).
fn diff(a: &Value, b: &Value, at: &mut Vec<PathSeg>, out: &mut Vec<Vec<PathSeg>>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                at.push(PathSeg::Key(k.clone()));
                match y.get(k) {
                    Some(vb) => diff(va, vb, at, out),
                    None => leaves(va, at, out),
                }
                at.pop();
            }
            for (k, vb) in y {
                if !x.contains_key(k) {
                    at.push(PathSeg::Key(k.clone()));
                    leaves(vb, at, out);
                    at.pop();
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                at.push(PathSeg::Index(i));
                diff(va, vb, at, out);
                at.pop();
            }
        }
        (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => {}
        _ if a == b => {}
        _ => out.push(at.clone()),
    }
}

fn leaves(v: &Value, at: &mut Vec<PathSeg>, out: &mut Vec<Vec<PathSeg>>) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, x) in m {
                at.push(PathSeg::Key(k.clone()));
                leaves(x, at, out);
                at.pop();
            }
        }
        _ => out.push(at.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::step::Step;
    use serde_json::json;

    fn plan() -> Plan {
        crate::load::load_value(json!({
            "schemaVersion": 1,
            "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": [
                {"id": "i-a", "instanceType": "m5.large", "availabilityZone": "us-east-1a"},
                {"id": "i-b", "instanceType": "m5.large", "availabilityZone": "us-east-1b"}]},
            "taskDefinitions": [{"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "memory": 512}]}],
            "services": [
                {"serviceName": "web", "taskDefinition": "web", "desiredCount": 2,
                 "deploymentConfiguration": {"maximumPercent": 100, "minimumHealthyPercent": 50}},
                {"serviceName": "api", "taskDefinition": "web", "desiredCount": 1}]
        }))
        .plan
        .unwrap()
    }

    fn control(v: serde_json::Value) -> Control {
        serde_json::from_value(v).unwrap()
    }

    fn after(steps: serde_json::Value) -> Plan {
        let steps: Vec<Step> = serde_json::from_value(steps).unwrap();
        crate::learn::apply_steps(&plan(), &steps).unwrap()
    }

    #[test]
    fn changes_are_judged_by_what_changed() {
        let moved =
            after(json!([{"command": "setDesiredCount", "service": "web", "desiredCount": 5}]));
        let allowed = [control(
            json!({"command": "setDesiredCount", "service": "web", "min": 1, "max": 6}),
        )];
        assert_eq!(refusals(&plan(), &moved, &allowed), vec![]);
        // Another service's count is not covered; a count out of range is refused.
        let only_api = [control(
            json!({"command": "setDesiredCount", "service": "api"}),
        )];
        let r = refusals(&plan(), &moved, &only_api);
        assert_eq!(r[0].path.to_string(), "services[0].desiredCount");
        let narrow = [control(
            json!({"command": "setDesiredCount", "service": "web", "max": 4}),
        )];
        assert!(refusals(&plan(), &moved, &narrow)[0]
            .message
            .contains("outside this scenario's range"));
    }

    #[test]
    fn members_paths_and_instances() {
        let p = after(
            json!([{"command": "set", "path": "services[0].deploymentConfiguration.maximumPercent", "value": 200}]),
        );
        let dc = [control(
            json!({"command": "updateService", "service": "web", "members": ["deploymentConfiguration"]}),
        )];
        assert_eq!(refusals(&plan(), &p, &dc), vec![]);
        let other = [control(
            json!({"command": "updateService", "service": "web", "members": ["loadBalancers"]}),
        )];
        assert_eq!(
            refusals(&plan(), &p, &other)[0].path.to_string(),
            "services[0].deploymentConfiguration.maximumPercent"
        );
        // An instance setting through an `edit` path with a wildcard.
        let t = after(
            json!([{"command": "set", "path": "cluster.containerInstances[1].eniTrunking", "value": true}]),
        );
        let trunk = [control(
            json!({"command": "edit", "paths": ["cluster.containerInstances[*].eniTrunking"]}),
        )];
        assert_eq!(refusals(&plan(), &t, &trunk), vec![]);
        assert!(!refusals(&plan(), &t, &dc).is_empty());
        // Removing needs removeInstance; draining needs setDraining.
        let gone = after(json!([{"command": "removeInstance", "id": "i-a"}]));
        assert!(refusals(&plan(), &gone, &dc)[0]
            .message
            .contains("removing i-a"));
        assert_eq!(
            refusals(
                &plan(),
                &gone,
                &[control(json!({"command": "removeInstance"}))]
            ),
            vec![]
        );
        let drained = after(json!([{"command": "setDraining", "id": "i-b", "draining": true}]));
        assert_eq!(
            refusals(
                &plan(),
                &drained,
                &[control(json!({"command": "setDraining"}))]
            ),
            vec![]
        );
        assert!(!refusals(
            &plan(),
            &drained,
            &[control(json!({"command": "removeInstance"}))]
        )
        .is_empty());
    }

    #[test]
    fn a_set_step_at_a_missing_place_is_refused() {
        let s: Step = serde_json::from_value(
            json!({"command": "set", "path": "services[9].desiredCount", "value": 1}),
        )
        .unwrap();
        let e = s.apply(&plan()).unwrap_err();
        assert_eq!(e[0].code, "learn-set-path");
        let s: Step = serde_json::from_value(
            json!({"command": "set", "path": "services[0].desiredCount", "value": "x"}),
        )
        .unwrap();
        assert_eq!(s.apply(&plan()).unwrap_err()[0].code, "wrong-type");
        assert_eq!(s.describe(), "set services[0].desiredCount to \"x\"");
    }
}
