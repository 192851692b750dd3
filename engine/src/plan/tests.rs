use crate::load::{load, load_value};
use serde_json::json;

fn minimal() -> serde_json::Value {
    json!({
        "schemaVersion": 1,
        "name": "t",
        "region": "us-east-1",
        "cluster": {
            "clusterName": "demo",
            "availabilityZones": ["us-east-1a", "us-east-1b"],
            "containerInstances": [
                {"id": "i-1", "instanceType": "m5.large", "availabilityZone": "us-east-1a"},
                {"id": "i-2", "instanceType": "m5.large", "availabilityZone": "us-east-1b"}
            ]
        },
        "taskDefinitions": [
            {"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:1", "memory": 256}]},
            {"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:2", "memory": 256}]}
        ],
        "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 2}]
    })
}

#[test]
fn a_minimal_plan_loads() {
    let l = load_value(minimal());
    assert_eq!(l.findings, vec![]);
    let plan = l.plan.unwrap();
    assert_eq!(plan.cluster.container_instances.len(), 2);
    assert_eq!(plan.resolve_task_definition("web"), Some((1, 2)));
    assert_eq!(plan.resolve_task_definition("web:1"), Some((0, 1)));
    assert_eq!(
        plan.resolve_task_definition("arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"),
        Some((0, 1))
    );
    assert_eq!(plan.resolve_task_definition("web:3"), None);
}

#[test]
fn aws_members_the_engine_does_not_use_survive_a_round_trip() {
    let mut v = minimal();
    v["taskDefinitions"][0]["containerDefinitions"][0]["ulimits"] =
        json!([{"name": "nofile", "softLimit": 1024, "hardLimit": 4096}]);
    v["taskDefinitions"][0]["pidMode"] = json!("host");
    v["services"][0]["enableExecuteCommand"] = json!(true);
    v["services"][0]["propagateTags"] = json!("SERVICE");
    let plan = load_value(v.clone()).plan.unwrap();
    let back: serde_json::Value = serde_json::from_str(&plan.to_json()).unwrap();
    assert_eq!(
        back["taskDefinitions"][0]["containerDefinitions"][0]["ulimits"],
        v["taskDefinitions"][0]["containerDefinitions"][0]["ulimits"]
    );
    assert_eq!(back["taskDefinitions"][0]["pidMode"], "host");
    assert_eq!(back["services"][0]["enableExecuteCommand"], true);
    assert_eq!(back["services"][0]["propagateTags"], "SERVICE");
    // and what comes back loads to the same plan
    assert_eq!(load_value(back).plan.unwrap(), plan);
}

#[test]
fn a_newer_schema_version_is_refused_with_a_clear_message() {
    let mut v = minimal();
    v["schemaVersion"] = json!(7);
    let l = load_value(v);
    assert!(l.plan.is_none());
    assert_eq!(l.findings[0].code, "newer-schema-version");
    assert!(l.findings[0].message.contains("schema version 7"));
    assert!(l.findings[0].message.contains("newer ECS Planner"));
}

#[test]
fn a_task_definition_without_plan_wrapper_gets_a_hint() {
    let l = load(r#"{"family": "web", "containerDefinitions": []}"#);
    assert_eq!(l.findings[0].code, "missing-schema-version");
    assert!(l.findings[0]
        .fix
        .as_deref()
        .unwrap()
        .contains("task definition"));
}

#[test]
fn syntax_errors_have_line_and_column() {
    let l = load("{\n  \"schemaVersion\": 1,\n  \"name\": \"x\"\n  \"cluster\": {}\n}");
    let f = &l.findings[0];
    assert_eq!(f.code, "json-syntax");
    assert_eq!((f.line, f.column), (Some(4), Some(3)));
    assert!(!f.message.contains(" at line "), "{}", f.message);
}

#[test]
fn schema_findings_are_located_in_the_text() {
    let text = serde_json::to_string_pretty(&{
        let mut v = minimal();
        v["services"][0]["desiredCont"] = json!(3);
        v
    })
    .unwrap();
    let l = load(&text);
    let f = l
        .findings
        .iter()
        .find(|f| f.code == "unknown-field")
        .unwrap();
    assert_eq!(f.path.to_string(), "services[0].desiredCont");
    let line = text
        .lines()
        .position(|l| l.contains("desiredCont"))
        .unwrap() as u32
        + 1;
    assert_eq!(f.line, Some(line));
    assert_eq!(f.fix.as_deref(), Some("did you mean `desiredCount`?"));
}

#[test]
fn references_are_checked() {
    let mut v = minimal();
    v["services"][0]["taskDefinition"] = json!("wbe");
    v["services"]
        .as_array_mut()
        .unwrap()
        .push(json!({"serviceName": "api", "taskDefinition": "web:5"}));
    v["cluster"]["containerInstances"][1]["availabilityZone"] = json!("us-east-1c");
    v["cluster"]["containerInstances"][1]["capacityProvider"] = json!("asg");
    v["cluster"]["containerInstances"][1]["id"] = json!("i-1");
    let l = load_value(v);
    assert!(l.plan.is_none());
    let by_path = |p: &str| {
        l.findings
            .iter()
            .find(|f| f.path.to_string() == p)
            .unwrap_or_else(|| panic!("no finding at {p}: {:#?}", l.findings))
    };
    assert_eq!(
        by_path("services[0].taskDefinition").fix.as_deref(),
        Some("did you mean \"web\"?")
    );
    assert!(by_path("services[1].taskDefinition")
        .message
        .contains("revisions 1 to 2"));
    assert_eq!(
        by_path("cluster.containerInstances[1].availabilityZone").code,
        "unknown-availability-zone"
    );
    assert_eq!(
        by_path("cluster.containerInstances[1].capacityProvider").code,
        "unknown-capacity-provider"
    );
    assert_eq!(
        by_path("cluster.containerInstances[1].id").code,
        "duplicate-name"
    );
}

#[test]
fn fargate_providers_need_no_definition_but_cannot_be_redefined() {
    let mut v = minimal();
    v["services"][0]["capacityProviderStrategy"] = json!([{"capacityProvider": "FARGATE", "weight": 1}, {"capacityProvider": "FARGATE_SPOTT", "weight": 1}]);
    v["cluster"]["capacityProviders"] = json!([{"name": "FARGATE"}]);
    let l = load_value(v);
    let codes: Vec<_> = l
        .findings
        .iter()
        .map(|f| (f.path.to_string(), f.code.as_str()))
        .collect();
    assert!(
        codes.contains(&(
            "services[0].capacityProviderStrategy[1].capacityProvider".into(),
            "unknown-capacity-provider"
        )),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("cluster.capacityProviders[0].name".into(), "reserved-name")),
        "{codes:?}"
    );
    assert_eq!(codes.len(), 2, "{codes:?}");
}

#[test]
fn not_an_object_is_refused() {
    for text in ["[]", "42", "\"plan\"", "null"] {
        let l = load(text);
        assert_eq!(l.findings[0].code, "not-a-plan", "{text}");
    }
}

#[test]
fn deeply_nested_input_is_an_error_not_a_crash() {
    let text = "[".repeat(100_000);
    let l = load(&text);
    assert_eq!(l.findings[0].code, "json-syntax");
}

proptest::proptest! {
    #[test]
    fn load_never_panics(s in ".{0,400}") {
        let _ = load(&s);
    }

    #[test]
    fn load_never_panics_on_mangled_plans(cut in 0usize..2000, insert in "[\\[\\]{}\",:0-9a-z]{0,5}") {
        let text = serde_json::to_string_pretty(&minimal()).unwrap();
        let cut = cut.min(text.len());
        let cut = (0..=cut).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        let mangled = format!("{}{}{}", &text[..cut], insert, &text[cut..]);
        let l = load(&mangled);
        // whatever happened, an error always names a place
        for f in l.findings.iter().filter(|f| f.is_error()) {
            proptest::prop_assert!(!f.message.is_empty());
        }
    }
}

#[test]
fn a_byte_order_mark_is_read_past_with_a_warning_that_names_it() {
    let text = format!(
        "\u{feff}{}",
        serde_json::to_string_pretty(&minimal()).unwrap()
    );
    let l = load(&text);
    assert!(l.plan.is_some());
    assert!(!l.has_errors());
    assert_eq!(l.findings[0].code, "byte-order-mark");
    assert!(l.findings[0].message.contains("byte order mark (U+FEFF)"));
    assert_eq!(
        (l.findings[0].line, l.findings[0].column),
        (Some(1), Some(1))
    );
    // Positions of other findings are those of the text without the mark.
    let bad = "\u{feff}{\n  \"schemaVersion\": 1,\n  \"nme\": 1\n}";
    let l = load(bad);
    let f = l.errors().next().unwrap();
    assert_eq!((f.line, f.column.is_some()), (Some(3), true));
    // A mark anywhere else is not skipped: JSON refuses it where it is.
    let l = load(&format!(
        " \u{feff}{}",
        serde_json::to_string(&minimal()).unwrap()
    ));
    assert_eq!(l.errors().next().unwrap().code, "json-syntax");
}

#[test]
fn recorded_tasks_load_and_stale_references_are_warnings_with_their_path() {
    let mut v = minimal();
    v["runningTasks"] = json!([
        {"group": "service:web", "taskDefinition": "web:2", "containerInstance": "i-1", "availabilityZone": "us-east-1a", "lastStatus": "RUNNING"},
        {"group": "service:wbe", "taskDefinition": "web:2", "containerInstance": "i-2"},
        {"group": "service:web", "taskDefinition": "web:9", "containerInstance": "i-3"},
        {"group": "family:batch", "taskDefinition": "web", "availabilityZone": "us-east-1z", "capacityProviderName": "FARGATE_SPOTT"}
    ]);
    let l = load_value(v);
    let plan = l.plan.expect("stale entries do not withhold the plan");
    assert_eq!(plan.recorded_tasks().len(), 4);
    assert!(l.findings.iter().all(|f| !f.is_error()), "{:?}", l.findings);
    let at = |path: &str| {
        l.findings
            .iter()
            .find(|f| f.path.to_string() == path)
            .unwrap_or_else(|| panic!("no finding at {path}: {:?}", l.findings))
    };
    let f = at("runningTasks[1].group");
    assert_eq!(f.code, "unknown-service");
    assert!(f.fix.as_deref().unwrap().contains("service:web"), "{f}");
    assert_eq!(
        at("runningTasks[2].taskDefinition").code,
        "unknown-task-definition"
    );
    let f = at("runningTasks[2].containerInstance");
    assert_eq!(f.code, "unknown-instance");
    assert!(f.fix.as_deref().unwrap().contains("i-1") || f.fix.as_deref().unwrap().contains("i-2"));
    assert_eq!(at("runningTasks[3].group").code, "unknown-group");
    assert_eq!(
        at("runningTasks[3].availabilityZone").code,
        "unknown-availability-zone"
    );
    assert_eq!(
        at("runningTasks[3].capacityProviderName").code,
        "unknown-capacity-provider"
    );
    assert_eq!(l.findings.len(), 6, "{:?}", l.findings);
}

#[test]
fn recorded_tasks_are_checked_against_their_shape() {
    let mut v = minimal();
    v["runningTasks"] =
        json!([{"group": "service:web", "lastStatus": "RUNING", "containerInstance": 7}]);
    let l = load_value(v);
    assert!(l.plan.is_none());
    let paths: Vec<String> = l.findings.iter().map(|f| f.path.to_string()).collect();
    assert!(
        paths.iter().any(|p| p == "runningTasks[0].lastStatus"),
        "{paths:?}"
    );
    assert!(
        paths
            .iter()
            .any(|p| p == "runningTasks[0].containerInstance"),
        "{paths:?}"
    );
    assert!(
        paths.iter().any(|p| p.starts_with("runningTasks[0]")
            && l.findings
                .iter()
                .any(|f| f.message.contains("taskDefinition"))),
        "{:?}",
        l.findings
    );
}
