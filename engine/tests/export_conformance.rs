//! Every JSON export of every sample plan is a valid AWS request by the official botocore
//! models in `../shared/fixtures/botocore` (member names, types, required members, enums,
//! lengths and ranges), checked by an independent validator written against the raw models
//! (not the engine's condensed copy). Exports are stable, and cli-json re-imports to the same
//! task definition.
//!
//! The validator is a small local one until the shared `tests/common/botocore.rs` lands.
mod common;

use engine::api::export::{self, Format};
use engine::api::plan::Plan;
use serde_json::Value;
use std::path::Path;

mod botocore_lite {
    use serde_json::Value;

    /// Problems of `v` against shape `shape` of a botocore model, as "path: message".
    pub fn validate(model: &Value, shape: &str, v: &Value) -> Vec<String> {
        let mut out = Vec::new();
        walk(model, shape, v, "$", &mut out, 0);
        out
    }

    fn walk(model: &Value, name: &str, v: &Value, path: &str, out: &mut Vec<String>, depth: usize) {
        if depth > 40 {
            out.push(format!("{path}: nested too deep"));
            return;
        }
        let Some(s) = model["shapes"].get(name) else {
            out.push(format!("{path}: the model has no shape {name}"));
            return;
        };
        let ty = s["type"].as_str().unwrap_or("");
        let num = |k: &str| s.get(k).and_then(Value::as_f64);
        match ty {
            "structure" => {
                let Some(o) = v.as_object() else {
                    out.push(format!("{path}: {name} must be an object"));
                    return;
                };
                let members = s["members"].as_object().cloned().unwrap_or_default();
                if s.get("document").and_then(Value::as_bool) == Some(true) {
                    return;
                }
                for (k, x) in o {
                    match members.get(k) {
                        Some(m) => walk(
                            model,
                            m["shape"].as_str().unwrap_or(""),
                            x,
                            &format!("{path}.{k}"),
                            out,
                            depth + 1,
                        ),
                        None => out.push(format!("{path}.{k}: not a member of {name}")),
                    }
                }
                for r in s
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let r = r.as_str().unwrap_or("");
                    if !o.contains_key(r) {
                        out.push(format!("{path}: {name} requires {r}"));
                    }
                }
            }
            "list" => {
                let Some(a) = v.as_array() else {
                    out.push(format!("{path}: {name} must be a list"));
                    return;
                };
                check_len(path, a.len() as f64, num("min"), num("max"), out);
                let m = s["member"]["shape"].as_str().unwrap_or("");
                for (i, x) in a.iter().enumerate() {
                    walk(model, m, x, &format!("{path}[{i}]"), out, depth + 1);
                }
            }
            "map" => {
                let Some(o) = v.as_object() else {
                    out.push(format!("{path}: {name} must be a map"));
                    return;
                };
                let (k, val) = (
                    s["key"]["shape"].as_str().unwrap_or(""),
                    s["value"]["shape"].as_str().unwrap_or(""),
                );
                for (key, x) in o {
                    walk(
                        model,
                        k,
                        &Value::String(key.clone()),
                        &format!("{path}.{key}(key)"),
                        out,
                        depth + 1,
                    );
                    walk(model, val, x, &format!("{path}.{key}"), out, depth + 1);
                }
            }
            "string" => {
                let Some(t) = v.as_str() else {
                    out.push(format!("{path}: {name} must be a string, found {v}"));
                    return;
                };
                if let Some(e) = s.get("enum").and_then(Value::as_array) {
                    if !e.iter().any(|x| x.as_str() == Some(t)) {
                        out.push(format!("{path}: {t:?} is not in the enum {name}"));
                    }
                }
                check_len(path, t.chars().count() as f64, num("min"), num("max"), out);
            }
            "integer" | "long" => match v.as_i64() {
                Some(n) => check_len(path, n as f64, num("min"), num("max"), out),
                None => out.push(format!("{path}: {name} must be a whole number, found {v}")),
            },
            "double" | "float" => match v.as_f64() {
                Some(n) => check_len(path, n, num("min"), num("max"), out),
                None => out.push(format!("{path}: {name} must be a number, found {v}")),
            },
            "boolean" => {
                if !v.is_boolean() {
                    out.push(format!("{path}: {name} must be true or false"));
                }
            }
            "timestamp" => {
                if !(v.is_string() || v.is_number()) {
                    out.push(format!("{path}: {name} must be a timestamp"));
                }
            }
            "blob" => {
                if !v.is_string() {
                    out.push(format!("{path}: {name} must be base64 text"));
                }
            }
            other => out.push(format!("{path}: unknown shape type {other}")),
        }
    }

    fn check_len(path: &str, n: f64, min: Option<f64>, max: Option<f64>, out: &mut Vec<String>) {
        if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
            out.push(format!("{path}: {n} is outside [{min:?}, {max:?}]"));
        }
    }
}

fn sample_plans() -> Vec<(String, Plan)> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../public/plans"));
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".json") || name == "placeholder.json" {
            continue;
        }
        let plan = engine::api::plan::load(&std::fs::read_to_string(&p).unwrap())
            .plan
            .unwrap_or_else(|| panic!("{name} loads"));
        out.push((name, plan));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 3);
    out
}

/// The request shape of an exported file, by its name.
fn shape_of(file: &str) -> (&'static str, &'static str) {
    if file.ends_with(".taskdef.json") {
        ("ecs", "RegisterTaskDefinitionRequest")
    } else if file.ends_with(".service.json") {
        ("ecs", "CreateServiceRequest")
    } else if file.ends_with(".run-task.json") {
        ("ecs", "RunTaskRequest")
    } else if file.ends_with(".capacity-provider.json") {
        ("ecs", "CreateCapacityProviderRequest")
    } else if file == "cluster-capacity-providers.json" {
        ("ecs", "PutClusterCapacityProvidersRequest")
    } else if file.ends_with(".scalable-target.json") {
        ("aas", "RegisterScalableTargetRequest")
    } else if file.ends_with(".scaling-policy.json") {
        ("aas", "PutScalingPolicyRequest")
    } else if file.ends_with(".scheduled-action.json") {
        ("aas", "PutScheduledActionRequest")
    } else {
        panic!("no request shape for {file}")
    }
}

const JSON_FORMATS: [Format; 5] = [
    Format::CliJson,
    Format::CreateService,
    Format::RunTask,
    Format::CapacityProviders,
    Format::AutoScaling,
];

#[test]
fn every_json_export_of_every_sample_plan_is_a_valid_request() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let ecs = common::json(&dir, "botocore/ecs.service-2.json");
    let aas = common::json(&dir, "botocore/application-autoscaling.service-2.json");
    let mut checked = 0;
    let mut kinds = std::collections::BTreeSet::new();
    for (name, plan) in sample_plans() {
        for format in JSON_FORMATS {
            for f in export::export(&plan, format) {
                let v: Value = serde_json::from_str(&f.content)
                    .unwrap_or_else(|e| panic!("{name} {}: {e}", f.name));
                let (svc, shape) = shape_of(&f.name);
                let model = if svc == "ecs" { &ecs } else { &aas };
                let problems = botocore_lite::validate(model, shape, &v);
                assert!(
                    problems.is_empty(),
                    "{name} {} against {shape}: {problems:#?}",
                    f.name
                );
                kinds.insert(shape);
                checked += 1;
            }
        }
    }
    // The samples exercise every kind of request the exports make, except RunTask (no sample
    // has standalone tasks; the botocore RunTask example covers it in import_botocore_examples).
    for shape in [
        "RegisterTaskDefinitionRequest",
        "CreateServiceRequest",
        "CreateCapacityProviderRequest",
        "PutClusterCapacityProvidersRequest",
        "RegisterScalableTargetRequest",
        "PutScalingPolicyRequest",
        "PutScheduledActionRequest",
    ] {
        assert!(
            kinds.contains(shape),
            "no sample export checked against {shape}"
        );
    }
    assert!(checked >= 15, "checked {checked} files");
}

#[test]
fn the_validator_catches_what_it_should() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let ecs = common::json(&dir, "botocore/ecs.service-2.json");
    let bad = serde_json::json!({
        "family": "x",
        "containerDefinitions": [{"name": "a", "image": "b", "cpu": "1", "portMappings": [{"protocol": "sctp"}], "memry": 1}],
        "networkMode": "bridge"
    });
    let p = botocore_lite::validate(&ecs, "RegisterTaskDefinitionRequest", &bad);
    assert!(
        p.iter()
            .any(|x| x.contains("cpu") && x.contains("whole number")),
        "{p:?}"
    );
    assert!(p.iter().any(|x| x.contains("sctp")), "{p:?}");
    assert!(p.iter().any(|x| x.contains("memry")), "{p:?}");
    let p = botocore_lite::validate(
        &ecs,
        "RegisterTaskDefinitionRequest",
        &serde_json::json!({"family": "x"}),
    );
    assert!(
        p.iter()
            .any(|x| x.contains("requires containerDefinitions")),
        "{p:?}"
    );
}

#[test]
fn exports_are_stable_and_end_with_a_newline() {
    for (name, plan) in sample_plans() {
        for format in Format::ALL {
            let a = export::export(&plan, format);
            let reloaded = engine::api::plan::load(&plan.to_json()).plan.unwrap();
            let b = export::export(&reloaded, format);
            assert_eq!(a, b, "{name} {format:?} differs between two exports");
            for f in &a {
                assert!(f.content.ends_with('\n'), "{name} {}", f.name);
                assert!(!f.name.contains('/'), "{name} {}", f.name);
            }
        }
    }
}

#[test]
fn cli_json_reimports_to_the_same_task_definitions() {
    for (name, plan) in sample_plans() {
        let files = export::export(&plan, Format::CliJson);
        assert_eq!(files.len(), plan.task_definitions.len());
        for (f, td) in files.iter().zip(&plan.task_definitions) {
            let i = engine::api::import::register_task_definition(&f.content)
                .unwrap_or_else(|e| panic!("{name} {}: {e:?}", f.name));
            assert_eq!(&i.task_definitions[0], td, "{name} {}", f.name);
            assert!(i.notes.is_empty(), "{name}: {:?}", i.notes);
        }
    }
}

#[test]
fn create_service_fills_cluster_and_revision_and_drops_auto_scaling() {
    let (_, plan) = sample_plans()
        .into_iter()
        .find(|(n, _)| n == "two-az-web.json")
        .unwrap();
    let v: Value =
        serde_json::from_str(&export::export(&plan, Format::CreateService)[0].content).unwrap();
    assert_eq!(v["cluster"], "shop-prod");
    assert_eq!(v["taskDefinition"], "web:1");
    assert!(v.get("autoScaling").is_none());
    let t: Value =
        serde_json::from_str(&export::export(&plan, Format::AutoScaling)[0].content).unwrap();
    assert_eq!(t["ResourceId"], "service/shop-prod/web");
    assert_eq!(t["ScalableDimension"], "ecs:service:DesiredCount");
    assert_eq!(t["ServiceNamespace"], "ecs");
    assert_eq!(
        (t["MinCapacity"].as_i64(), t["MaxCapacity"].as_i64()),
        (Some(2), Some(12))
    );
}
