//! Conformance against the official botocore ECS model and examples (`../shared/fixtures`):
//! - every RegisterTaskDefinition, CreateService and RunTask example imports (by detection and
//!   by its explicit format) and round-trips: import → plan → export → the example's input;
//! - the read-only members the describe importer drops are exactly botocore's `TaskDefinition`
//!   members that `RegisterTaskDefinitionRequest` lacks;
//! - the DescribeTaskDefinition example's output imports with one note per read-only member.
mod common;

use engine::api::export::{self, Format as Out};
use engine::api::import::{self, Format, Options};
use engine::api::plan::Plan;
use engine::api::schema;
use serde_json::Value;
use std::collections::BTreeSet;

/// Empty lists and objects are dropped: AWS treats `"volumes": []` as no volumes, and the plan's
/// typed views do not keep empty lists (the importer notes nothing for them).
fn without_empty(v: &Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(_, x)| !matches!(x, Value::Array(a) if a.is_empty()))
                .map(|(k, x)| (k.clone(), without_empty(x)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_empty).collect()),
        other => other.clone(),
    }
}

fn examples(dir: &std::path::Path, op: &str) -> Vec<(String, Value)> {
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

fn round_trip(op: &str, format: Format, out: Out) -> usize {
    let Some(dir) = common::fixtures() else {
        return 0;
    };
    let list = examples(&dir, op);
    assert!(!list.is_empty());
    for (id, input) in &list {
        let text = serde_json::to_string_pretty(input).unwrap();
        assert_eq!(import::detect(&text), format, "{op} {id} detected");
        let by_detection = import::import(&text, &Options::default())
            .unwrap_or_else(|e| panic!("{op} {id}: {e:#?}"));
        let explicit = import::import_as(&text, format, &Options::default()).unwrap();
        assert_eq!(by_detection, explicit);
        let plan = import::into_plan(&Plan::empty("examples"), &explicit);
        let files = export::export(&plan, out);
        assert_eq!(files.len(), 1, "{op} {id}");
        let exported: Value = serde_json::from_str(&files[0].content).unwrap();
        assert_eq!(
            without_empty(&exported),
            without_empty(input),
            "{op} {id} round trip"
        );
    }
    list.len()
}

#[test]
fn register_task_definition_examples_round_trip() {
    let n = round_trip(
        "RegisterTaskDefinition",
        Format::RegisterTaskDefinition,
        Out::CliJson,
    );
    assert!(n >= 1 || common::fixtures().is_none());
}

#[test]
fn create_service_examples_round_trip() {
    let n = round_trip("CreateService", Format::CreateService, Out::CreateService);
    assert!(n >= 2 || common::fixtures().is_none());
}

#[test]
fn run_task_examples_round_trip() {
    let n = round_trip("RunTask", Format::RunTask, Out::RunTask);
    assert!(n >= 1 || common::fixtures().is_none());
}

#[test]
fn read_only_members_are_task_definition_minus_the_request() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let model = common::json(&dir, "botocore/ecs.service-2.json");
    let members = |s: &str| -> BTreeSet<String> {
        model["shapes"][s]["members"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    let expected: BTreeSet<String> = members("TaskDefinition")
        .difference(&members("RegisterTaskDefinitionRequest"))
        .cloned()
        .collect();
    let ours: BTreeSet<String> = schema::READ_ONLY_TASK_DEFINITION_MEMBERS
        .iter()
        .map(|(m, _)| m.to_string())
        .collect();
    assert_eq!(ours, expected);
    // And every request member is one the engine's condensed model knows.
    let shapes = engine::api::schema::Shapes::builtin();
    let condensed: BTreeSet<String> = shapes
        .member_names("ecs:RegisterTaskDefinitionRequest")
        .into_iter()
        .map(str::to_string)
        .collect();
    assert_eq!(condensed, members("RegisterTaskDefinitionRequest"));
}

#[test]
fn describe_task_definition_example_output_imports_with_a_note_per_read_only_member() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let ex = common::json(&dir, "botocore/ecs.examples-1.json");
    let output = &ex["examples"]["DescribeTaskDefinition"][0]["output"];
    let text = serde_json::to_string_pretty(output).unwrap();
    assert_eq!(import::detect(&text), Format::DescribeTaskDefinition);
    let i = import::describe_task_definition(&text).unwrap_or_else(|e| panic!("{e:#?}"));
    let td = &output["taskDefinition"];
    let present: BTreeSet<&str> = schema::READ_ONLY_TASK_DEFINITION_MEMBERS
        .iter()
        .map(|(m, _)| *m)
        .filter(|m| td.get(*m).is_some())
        .collect();
    assert!(!present.is_empty());
    let noted: BTreeSet<String> = i
        .notes
        .iter()
        .filter(|n| n.code == "read-only-dropped")
        .map(|n| n.path.to_string())
        .collect();
    let want: BTreeSet<String> = present
        .iter()
        .map(|m| format!("taskDefinition.{m}"))
        .collect();
    assert_eq!(noted, want);
    for n in &i.notes {
        assert!(n.line.is_some(), "note located in the text: {n}");
    }
    // Everything else is kept as it was.
    let exported: Value = serde_json::from_str(
        &export::export(&import::into_plan(&Plan::empty("d"), &i), Out::CliJson)[0].content,
    )
    .unwrap();
    let mut expected = td.as_object().unwrap().clone();
    for m in &present {
        expected.remove(*m);
    }
    assert_eq!(
        without_empty(&exported),
        without_empty(&Value::Object(expected))
    );
}

#[test]
fn describe_output_keeps_the_outer_tags() {
    let text = r#"{"taskDefinition": {"family": "web", "revision": 7, "status": "ACTIVE",
        "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7",
        "containerDefinitions": [{"name": "web", "image": "nginx", "memory": 128}],
        "compatibilities": ["EC2"], "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.docker-remote-api.1.18"}],
        "registeredAt": "2024-01-01T00:00:00Z", "registeredBy": "arn:aws:iam::123456789012:user/me"},
        "tags": [{"key": "team", "value": "shop"}]}"#;
    let i = import::describe_task_definition(text).unwrap();
    let td = &i.task_definitions[0];
    assert_eq!(
        td.extra["tags"],
        serde_json::json!([{"key": "team", "value": "shop"}])
    );
    let codes: Vec<&str> = i
        .notes
        .iter()
        .map(|n| n.path.0.last().map(|_| n.code.as_str()).unwrap_or(""))
        .collect();
    assert_eq!(codes.len(), 7, "{:#?}", i.notes);
    assert!(i
        .notes
        .iter()
        .all(|n| n.severity == engine::api::findings::Severity::Info));
    assert!(
        i.notes
            .iter()
            .any(|n| n.path.to_string() == "taskDefinition.revision"
                && n.message.contains("revision"))
    );
}
