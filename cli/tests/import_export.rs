//! `ecsplan import` and `ecsplan export` on real files: exit codes, output, notes.

mod common;
use common::{ecsplan, sample, temp_dir, temp_file};

use serde_json::Value;

const COMPOSE: &str = "services:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n    mem_limit: 256m\n    build: .\n    networks: [front]\n";

#[test]
fn import_a_compose_file_prints_the_task_definition_and_notes() {
    let f = temp_file("shop.compose.yml", COMPOSE);
    let (code, out, err) = ecsplan(&["import", &f, "--from", "compose"]);
    assert_eq!(code, 0, "{err}");
    let td: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(td["family"], "shop", "family from the file name");
    assert_eq!(
        td["containerDefinitions"][0]["portMappings"][0]["hostPort"],
        8080
    );
    assert!(err.contains("imported as compose"), "{err}");
    assert!(err.contains("services.web.networks"), "{err}");
    assert!(
        err.contains(&format!("{f}:7:")),
        "notes carry line numbers: {err}"
    );
}

#[test]
fn import_auto_detects_and_family_can_be_given() {
    let f = temp_file("docker-compose.yml", COMPOSE);
    let (code, out, err) = ecsplan(&["import", &f, "--family", "fam"]);
    assert_eq!(code, 0, "{err}");
    let td: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(td["family"], "fam");
}

#[test]
fn import_json_output_has_format_result_and_notes() {
    let text = r#"{"taskDefinition": {"family": "w", "revision": 3, "status": "ACTIVE", "containerDefinitions": [{"name": "a", "image": "b", "memory": 64}]}, "tags": []}"#;
    let f = temp_file("describe.json", text);
    let (code, out, _) = ecsplan(&["import", &f, "--from", "describe", "--json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["format"], "describe");
    assert_eq!(v["result"]["family"], "w");
    assert!(v["result"].get("revision").is_none());
    let notes: Vec<&str> = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["path"].as_str().unwrap())
        .collect();
    assert_eq!(notes, ["taskDefinition.revision", "taskDefinition.status"]);
}

#[test]
fn import_into_a_plan_prints_the_updated_plan() {
    let t = "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: batch\n      RequiresCompatibilities: [EC2]\n      ContainerDefinitions:\n        - Name: job\n          Image: busybox\n          Memory: 128\n";
    let f = temp_file("template.yaml", t);
    let (code, out, err) = ecsplan(&[
        "import",
        &f,
        "--from",
        "cloudformation",
        "--into",
        &sample("two-az-web.json"),
    ]);
    assert_eq!(code, 0, "{err}");
    let plan: Value = serde_json::from_str(&out).unwrap();
    let families: Vec<&str> = plan["taskDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["family"].as_str().unwrap())
        .collect();
    assert_eq!(families, ["web", "worker", "batch"]);
    assert_eq!(plan["cluster"]["clusterName"], "shop-prod");
}

#[test]
fn import_errors_exit_1_and_bad_usage_exits_2() {
    let f = temp_file(
        "bad.json",
        "{\"family\": \"x\", \"containerDefinitions\": [{\"name\": 1}]}",
    );
    let (code, _, err) = ecsplan(&["import", &f, "--from", "register-task-definition"]);
    assert_eq!(code, 1);
    assert!(err.contains("containerDefinitions[0].name"), "{err}");
    let (code, _, err) = ecsplan(&["import", &f, "--from", "word"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown --from"), "{err}");
    let (code, _, err) = ecsplan(&["import", "/nonexistent/x.yml"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
    let g = temp_file("garbage.txt", &"[".repeat(100_000));
    let (code, _, err) = ecsplan(&["import", &g]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("nested"), "{err}");
}

#[test]
fn export_one_file_goes_to_stdout() {
    let (code, out, err) = ecsplan(&[
        "export",
        &sample("fargate-spot.json"),
        "--format",
        "cli-json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["family"], "orders-api");
    let (code, out, _) = ecsplan(&[
        "export",
        &sample("fargate-spot.json"),
        "--format",
        "cloudformation",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("Type: AWS::ECS::Service"), "{out}");
    let (code, out, _) = ecsplan(&[
        "export",
        &sample("fargate-spot.json"),
        "--format",
        "terraform",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains("resource \"aws_ecs_service\" \"orders_api\""),
        "{out}"
    );
}

#[test]
fn export_several_files_into_a_directory() {
    let dir = temp_dir().join("out-autoscaling");
    let (code, out, err) = ecsplan(&[
        "export",
        &sample("fargate-spot.json"),
        "--format",
        "autoscaling",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let written: Vec<&str> = out.lines().collect();
    assert_eq!(
        written.len(),
        4,
        "target, policy, two scheduled actions: {out}"
    );
    for w in written {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(w).unwrap()).unwrap();
        assert_eq!(v["ResourceId"], "service/api-serverless/orders-api");
    }
    // Without --out, several files are printed one after the other with their names.
    let (code, out, err) = ecsplan(&[
        "export",
        &sample("two-az-web.json"),
        "--format",
        "create-service",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains("==> web.service.json <==") && out.contains("==> worker.service.json <=="),
        "{out}"
    );
    assert!(err.contains("--out"), "{err}");
}

#[test]
fn export_of_a_plan_with_errors_exits_1_and_bad_usage_2() {
    let text = std::fs::read_to_string(sample("two-az-web.json"))
        .unwrap()
        .replace("\"desiredCount\": 4", "\"desiredCont\": 4");
    let f = temp_file("typo.json", &text);
    let (code, out, err) = ecsplan(&["export", &f, "--format", "cli-json"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("desiredCont"), "{err}");
    let (code, _, err) = ecsplan(&["export", &sample("two-az-web.json"), "--format", "pulumi"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown --format"), "{err}");
    let (code, _, _) = ecsplan(&["export", &sample("two-az-web.json")]);
    assert_eq!(code, 2, "--format is required");
}

#[test]
fn export_then_import_round_trips_on_the_command_line() {
    let dir = temp_dir().join("out-cli-json");
    let (code, out, _) = ecsplan(&[
        "export",
        &sample("mixed-memberof.json"),
        "--format",
        "cli-json",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    for file in out.lines() {
        let (code, imported, err) = ecsplan(&["import", file]);
        assert_eq!(code, 0, "{err}");
        let a: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let b: Value = serde_json::from_str(&imported).unwrap();
        assert_eq!(a, b, "{file}");
    }
}

/// A finding of a plan that cannot be exported names its place once, as compilers do
/// (`FILE:LINE:COLUMN: error [code] path: message`), not again as "(line L, column C)".
#[test]
fn export_errors_give_the_position_once() {
    let plan = temp_file(
        "wrong-count.json",
        r#"{"schemaVersion": 1,
  "cluster": {"availabilityZones": ["us-east-1a"]},
  "services": [{"serviceName": "web", "desiredCount": "2"}]}"#,
    );
    let (code, _, err) = ecsplan(&["export", "--format", "cfn", &plan]);
    assert_ne!(code, 0, "{err}");
    assert!(
        err.contains(&format!(
            "{plan}:3:39: error [wrong-type] services[0].desiredCount: expected a whole number"
        )),
        "{err}"
    );
    assert!(!err.contains("(line 3"), "{err}");
}
