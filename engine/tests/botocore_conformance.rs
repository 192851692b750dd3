//! Conformance with the official AWS API model (botocore, in the shared fixtures), checked by
//! the independent validator in `common/botocore.rs`:
//! - every request in every sample plan (task definitions, services without the planner's
//!   `autoScaling`, standalone tasks, capacity providers without the planner's Auto Scaling
//!   group, and the Application Auto Scaling requests the `autoScaling` member stands for) is a
//!   valid request;
//! - every RegisterTaskDefinition, CreateService and RunTask example in
//!   `botocore/ecs.examples-1.json` is valid by the validator and has no error by the engine's
//!   rules (an AWS example that trips a rule means the rule is wrong);
//! - the validator is not vacuous: it refuses broken requests, and agrees with the engine's own
//!   schema check on them.
mod common;

use common::botocore::{assert_valid, model, validate};
use engine::api::findings::JsonPath;
use engine::api::plan::{RunTask, Service, TaskDefinition};
use engine::api::rules::{check_run_task, check_service, check_task_definition, Context};
use serde_json::{json, Value};
use std::path::Path;

fn sample_plans() -> Vec<(String, Value)> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../public/plans"));
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("public/plans") {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if p.extension().is_some_and(|x| x == "json") && name != "placeholder.json" {
            out.push((
                name,
                serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap(),
            ));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 3);
    out
}

fn without(v: &Value, key: &str) -> Value {
    let mut v = v.clone();
    v.as_object_mut().unwrap().remove(key);
    v
}

#[test]
fn every_sample_plan_request_is_valid_by_the_api_model() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let ecs = model(&dir, "ecs.service-2.json");
    let aas = model(&dir, "application-autoscaling.service-2.json");
    let mut checked = 0;
    for (name, plan) in sample_plans() {
        let cluster = plan["cluster"]["clusterName"].as_str().unwrap_or("default");
        for (i, td) in plan["taskDefinitions"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            assert_valid(
                &ecs,
                "RegisterTaskDefinitionRequest",
                td,
                &format!("{name} taskDefinitions[{i}]"),
            );
            checked += 1;
        }
        for (i, svc) in plan["services"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let mut request = without(svc, "autoScaling");
            request["cluster"] = json!(cluster);
            assert_valid(
                &ecs,
                "CreateServiceRequest",
                &request,
                &format!("{name} services[{i}]"),
            );
            checked += 1;
            let Some(a) = svc.get("autoScaling") else {
                continue;
            };
            let target = json!({
                "ServiceNamespace": "ecs",
                "ResourceId": format!("service/{cluster}/{}", svc["serviceName"].as_str().unwrap()),
                "ScalableDimension": "ecs:service:DesiredCount",
            });
            let mut register = target.clone();
            register["MinCapacity"] = a["minCapacity"].clone();
            register["MaxCapacity"] = a["maxCapacity"].clone();
            assert_valid(
                &aas,
                "RegisterScalableTargetRequest",
                &register,
                &format!("{name} services[{i}] scalable target"),
            );
            for (j, p) in a["policies"].as_array().into_iter().flatten().enumerate() {
                let mut put = p.clone();
                for (k, v) in target.as_object().unwrap() {
                    put[k] = v.clone();
                }
                assert_valid(
                    &aas,
                    "PutScalingPolicyRequest",
                    &put,
                    &format!("{name} services[{i}].autoScaling.policies[{j}]"),
                );
                checked += 1;
            }
            for (j, s) in a["scheduledActions"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                let mut put = s.clone();
                for (k, v) in target.as_object().unwrap() {
                    put[k] = v.clone();
                }
                assert_valid(
                    &aas,
                    "PutScheduledActionRequest",
                    &put,
                    &format!("{name} services[{i}].autoScaling.scheduledActions[{j}]"),
                );
                checked += 1;
            }
        }
        for (i, t) in plan["tasks"].as_array().into_iter().flatten().enumerate() {
            let mut request = t.clone();
            request["cluster"] = json!(cluster);
            assert_valid(
                &ecs,
                "RunTaskRequest",
                &request,
                &format!("{name} tasks[{i}]"),
            );
            checked += 1;
        }
        for (i, cp) in plan["cluster"]["capacityProviders"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            assert_valid(
                &ecs,
                "CreateCapacityProviderRequest",
                &without(cp, "autoScalingGroup"),
                &format!("{name} capacityProviders[{i}]"),
            );
            checked += 1;
        }
        if let Some(strategy) = plan["cluster"].get("defaultCapacityProviderStrategy") {
            let put = json!({"cluster": cluster, "capacityProviders": [], "defaultCapacityProviderStrategy": strategy});
            assert_valid(
                &ecs,
                "PutClusterCapacityProvidersRequest",
                &put,
                &format!("{name} defaultCapacityProviderStrategy"),
            );
        }
    }
    assert!(checked >= 15, "{checked} requests checked");
}

fn examples(dir: &Path, op: &str) -> Vec<(String, Value)> {
    let ex = common::json(dir, "botocore/ecs.examples-1.json");
    ex["examples"][op]
        .as_array()
        .unwrap_or_else(|| panic!("no {op} examples"))
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap_or("?").to_string(),
                e["input"].clone(),
            )
        })
        .collect()
}

#[test]
fn aws_examples_pass_the_validator_and_the_rules() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let ecs = model(&dir, "ecs.service-2.json");
    let ctx = Context::default();
    let root = JsonPath::root();
    let mut seen = 0;
    for (id, input) in examples(&dir, "RegisterTaskDefinition") {
        assert_valid(&ecs, "RegisterTaskDefinitionRequest", &input, &id);
        let td: TaskDefinition = serde_json::from_value(input).unwrap();
        let errors: Vec<_> = check_task_definition(&td, &root)
            .into_iter()
            .filter(|f| f.is_error())
            .collect();
        assert!(errors.is_empty(), "{id}: {errors:#?}");
        seen += 1;
    }
    for (id, input) in examples(&dir, "CreateService") {
        assert_valid(&ecs, "CreateServiceRequest", &input, &id);
        let svc: Service = serde_json::from_value(input).unwrap();
        let errors: Vec<_> = check_service(&svc, None, &root, &ctx)
            .into_iter()
            .filter(|f| f.is_error())
            .collect();
        assert!(errors.is_empty(), "{id}: {errors:#?}");
        seen += 1;
    }
    for (id, input) in examples(&dir, "RunTask") {
        assert_valid(&ecs, "RunTaskRequest", &input, &id);
        let task: RunTask = serde_json::from_value(input).unwrap();
        let errors: Vec<_> = check_run_task(&task, None, &root, &ctx)
            .into_iter()
            .filter(|f| f.is_error())
            .collect();
        assert!(errors.is_empty(), "{id}: {errors:#?}");
        seen += 1;
    }
    assert!(seen >= 4, "{seen} examples");
}

#[test]
fn aws_examples_pass_as_a_plan() {
    // The examples together in one plan, through the loader: the task definition the
    // RunTask example names is the RegisterTaskDefinition example.
    let Some(dir) = common::fixtures() else {
        return;
    };
    let tds: Vec<Value> = examples(&dir, "RegisterTaskDefinition")
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    let tasks: Vec<Value> = examples(&dir, "RunTask")
        .into_iter()
        .map(|(_, v)| without(&v, "cluster"))
        .collect();
    let l = engine::api::plan::load_value(
        json!({"schemaVersion": 1, "taskDefinitions": tds, "tasks": tasks}),
    );
    let errors: Vec<_> = l.errors().collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn the_validator_refuses_broken_requests() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let ecs = model(&dir, "ecs.service-2.json");
    let good = json!({"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:1", "memory": 128,
        "portMappings": [{"containerPort": 80, "protocol": "tcp"}], "dockerLabels": {"a": "b"}}],
        "tags": [{"key": "team", "value": "x"}]});
    assert_eq!(
        validate(&ecs, "RegisterTaskDefinitionRequest", &good),
        Vec::<String>::new()
    );
    let cases: Vec<(&str, Value, &str)> = vec![
        ("unknown member", json!({"famly": "web"}), "not a member"),
        (
            "missing required",
            json!({"family": "web"}),
            "requires containerDefinitions",
        ),
        (
            "wrong type",
            json!({"family": 5, "containerDefinitions": []}),
            "must be a string",
        ),
        (
            "bad enum",
            json!({"family": "w", "containerDefinitions": [], "networkMode": "nat"}),
            "is not one of",
        ),
        (
            "nested bad enum",
            json!({"family": "w", "containerDefinitions": [{"portMappings": [{"protocol": "sctp"}]}]}),
            "is not one of",
        ),
        (
            "list too long",
            json!({"family": "w", "containerDefinitions": [], "tags": (0..51).map(|i| json!({"key": format!("k{i}")})).collect::<Vec<_>>()}),
            "more than the maximum",
        ),
        (
            "string too long",
            json!({"family": "w", "containerDefinitions": [], "tags": [{"key": "k".repeat(129)}]}),
            "more than the maximum",
        ),
        (
            "map value type",
            json!({"family": "w", "containerDefinitions": [{"dockerLabels": {"a": 1}}]}),
            "must be a string",
        ),
        (
            "integer type",
            json!({"family": "w", "containerDefinitions": [{"memory": 1.5}]}),
            "whole number",
        ),
    ];
    for (what, v, expect) in cases {
        let problems = validate(&ecs, "RegisterTaskDefinitionRequest", &v);
        assert!(
            problems.iter().any(|p| p.contains(expect)),
            "{what}: {problems:?}"
        );
        // The engine's own schema check refuses it too.
        let mut findings = Vec::new();
        engine::api::schema::check(
            &v,
            "ecs:RegisterTaskDefinitionRequest",
            &JsonPath::root(),
            &mut findings,
        );
        assert!(
            findings.iter().any(|f| f.is_error()),
            "{what}: the engine's schema accepts it"
        );
    }
    let range = validate(
        &ecs,
        "CreateServiceRequest",
        &json!({"serviceName": "s", "capacityProviderStrategy": [{"capacityProvider": "x", "weight": 1001}]}),
    );
    assert!(range.iter().any(|p| p.contains("outside")), "{range:?}");
}
