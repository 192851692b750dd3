//! `ecsplan validate` on real files: exit codes, human and JSON output.

mod common;
use common::{ecsplan, sample, temp_file};

#[test]
fn a_sample_plan_is_valid() {
    let (code, out, _) = ecsplan(&["validate", &sample("two-az-web.json")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(": 0 errors"), "{out}");
}

#[test]
fn errors_exit_1_with_path_line_and_fix() {
    let text = std::fs::read_to_string(sample("two-az-web.json"))
        .unwrap()
        .replace("\"desiredCount\": 4", "\"desiredCont\": 4");
    let f = temp_file("typo.json", &text);
    let (code, out, _) = ecsplan(&["validate", &f]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("unknown-field  services[0].desiredCont"),
        "{out}"
    );
    assert!(out.contains("fix: did you mean `desiredCount`?"), "{out}");
    let line = text
        .lines()
        .position(|l| l.contains("desiredCont"))
        .unwrap()
        + 1;
    assert!(out.contains(&format!("{f}:{line}:")), "{out}");
}

#[test]
fn json_output_is_machine_readable() {
    let f = temp_file("bad-version.json", r#"{"schemaVersion": 2, "cluster": {}}"#);
    let (code, out, _) = ecsplan(&["validate", "--json", &f]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"], 1);
    assert_eq!(v["findings"][0]["code"], "newer-schema-version");
    assert_eq!(v["findings"][0]["path"], "schemaVersion");
    assert_eq!(v["findings"][0]["line"], 1);
}

#[test]
fn unreadable_input_and_bad_usage_exit_2() {
    let (code, _, err) = ecsplan(&["validate", "/nonexistent/plan.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read /nonexistent/plan.json"), "{err}");
    let (code, _, _) = ecsplan(&["validate"]);
    assert_eq!(code, 2);
    let (code, _, _) = ecsplan(&["frobnicate"]);
    assert_eq!(code, 2);
    let bin = temp_file("binary.json", "");
    std::fs::write(&bin, [0xff, 0xfe, 0x00, 0x81]).unwrap();
    let (code, _, err) = ecsplan(&["validate", &bin]);
    assert_eq!(code, 2);
    assert!(err.contains("not UTF-8"), "{err}");
}

#[test]
fn garbage_is_an_error_not_a_crash() {
    let f = temp_file("garbage.json", &"{[\"x".repeat(10_000));
    let (code, out, _) = ecsplan(&["validate", &f]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("json-syntax"), "{out}");
}

// ---- Task definition files ----------------------------------------------------------------

const FARGATE_TD: &str = r#"{
  "family": "api",
  "networkMode": "awsvpc",
  "requiresCompatibilities": ["FARGATE"],
  "cpu": "256",
  "memory": "4096",
  "containerDefinitions": [
    {
      "name": "api",
      "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.0",
      "portMappings": [{ "containerPort": 3000, "hostPort": 8080 }],
      "logConfiguration": { "logDriver": "awslogs", "options": { "awslogs-group": "/ecs/api", "awslogs-region": "us-east-1" } }
    }
  ]
}"#;

#[test]
fn a_register_task_definition_request_is_validated_as_a_task_definition() {
    let f = temp_file("td.json", FARGATE_TD);
    let (code, out, _) = ecsplan(&["validate", &f]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with(&format!("{f} (task definition api): 4 errors, 0 warnings")),
        "{out}"
    );
    for expected in [
        "fargate-cpu-memory  memory",
        "host-port-mismatch  containerDefinitions[0].portMappings[0].hostPort",
        "fix: set hostPort to 3000 or remove it",
        "execution-role-required  executionRoleArn",
        "awslogs-stream-prefix  containerDefinitions[0].logConfiguration.options",
        "see: AWS_Fargate.md#fargate-tasks-size",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
    // The memory line of the file.
    let line = FARGATE_TD
        .lines()
        .position(|l| l.contains("\"memory\""))
        .unwrap()
        + 1;
    assert!(out.contains(&format!("{f}:{line}:")), "{out}");
}

#[test]
fn describe_task_definition_output_skips_read_only_members() {
    let described = format!(
        r#"{{"taskDefinition": {}, "tags": [{{"key": "team", "value": "api"}}]}}"#,
        FARGATE_TD
            .replace("\"4096\"", "\"512\"")
            .replace(", \"hostPort\": 8080", "")
            .replace("\"awslogs-region\": \"us-east-1\"", "\"awslogs-region\": \"us-east-1\", \"awslogs-stream-prefix\": \"api\"")
            .replace(
                "\"family\": \"api\",",
                "\"family\": \"api\", \"taskDefinitionArn\": \"arn:aws:ecs:us-east-1:123456789012:task-definition/api:4\", \"revision\": 4, \"status\": \"ACTIVE\", \"compatibilities\": [\"EC2\", \"FARGATE\"], \"requiresAttributes\": [], \"registeredAt\": \"2024-01-01T00:00:00Z\", \"executionRoleArn\": \"arn:aws:iam::123456789012:role/ecsTaskExecutionRole\","
            )
    );
    let f = temp_file("described.json", &described);
    let (code, out, _) = ecsplan(&["validate", &f]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "(task definition api, from describe-task-definition output): 0 errors, 0 warnings"
        ),
        "{out}"
    );
    assert!(out.contains("ignored read-only members"), "{out}");
    assert!(out.contains("taskDefinitionArn, revision, status, compatibilities, requiresAttributes, registeredAt"), "{out}");
    let (code, out, _) = ecsplan(&["validate", "--json", &f]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["kind"], "taskDefinition");
    assert_eq!(v["valid"], true);
    assert_eq!(v["ignored"].as_array().unwrap().len(), 6);
}

#[test]
fn task_definition_json_output_has_paths_lines_and_pages() {
    let f = temp_file("td2.json", FARGATE_TD);
    let (code, out, _) = ecsplan(&["validate", "--json", &f]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["kind"], "taskDefinition");
    assert_eq!(v["errors"], 4);
    let hp = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "host-port-mismatch")
        .unwrap();
    assert_eq!(
        hp["path"],
        "containerDefinitions[0].portMappings[0].hostPort"
    );
    assert_eq!(hp["severity"], "error");
    assert_eq!(
        hp["doc"],
        "task_definition_parameters.md#container_definition_portmappings"
    );
    assert!(hp["line"].as_u64().unwrap() > 1);
    assert!(
        v.get("ignored").is_none(),
        "no ignored members for a request"
    );
}

#[test]
fn a_task_definition_with_a_schema_error_reports_it() {
    let f = temp_file(
        "td3.json",
        &FARGATE_TD.replace("\"portMappings\"", "\"portMapping\""),
    );
    let (code, out, _) = ecsplan(&["validate", &f]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("unknown-field  containerDefinitions[0].portMapping"),
        "{out}"
    );
    assert!(out.contains("did you mean `portMappings`?"), "{out}");
}

#[test]
fn plans_report_rule_findings() {
    let text = std::fs::read_to_string(sample("fargate-spot.json"))
        .unwrap()
        .replace("\"memory\": \"1024\"", "\"memory\": \"8192\"");
    let f = temp_file("bad-fargate.json", &text);
    let (code, out, _) = ecsplan(&["validate", &f]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("fargate-cpu-memory  taskDefinitions[0].memory"),
        "{out}"
    );
    assert!(
        out.contains("fix: lower memory to \"4096\", or set cpu to \"1024\" to keep 8192 MiB"),
        "{out}"
    );
}
