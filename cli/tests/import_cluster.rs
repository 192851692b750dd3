//! `ecsplan import --from aws-snapshot DIR` and `--from terraform FILE` on the engine's
//! fixtures (`engine/tests/fixtures/`): what a reviewer checks after bringing a cluster in —
//! the instances and their zones, the services with their strategies, where tasks run, the
//! notes naming file, line and what to run — and that the imported plan places as the cluster
//! runs.

mod common;
use common::{ecsplan, fresh_dir};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/tests/fixtures")
}

fn snapshot() -> String {
    fixtures()
        .join("aws-snapshot/shop-prod")
        .to_string_lossy()
        .into_owned()
}

fn terraform_file(name: &str) -> String {
    fixtures()
        .join("terraform")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn snapshot_prints_the_plan_and_names_every_note_with_its_file() {
    let dir = snapshot();
    let (code, out, err) = ecsplan(&["import", &dir, "--from", "aws-snapshot"]);
    assert_eq!(code, 0, "{err}");
    let plan = json(&out);
    assert_eq!(plan["cluster"]["clusterName"], "shop-prod");
    assert_eq!(plan["region"], "eu-west-1");
    let zones: Vec<(&str, &str)> = plan["cluster"]["containerInstances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap(),
                c["availabilityZone"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        zones,
        [
            ("i-0a1c0ffee0000001", "eu-west-1a"),
            ("i-0b1c0ffee0000002", "eu-west-1b"),
            ("i-0c1c0ffee0000003", "eu-west-1c"),
            ("i-0a2c0ffee0000004", "eu-west-1a"),
            ("i-0b2c0ffee0000005", "eu-west-1b"),
        ]
    );
    let web = plan["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["serviceName"] == "web")
        .unwrap();
    assert_eq!(
        web["placementStrategy"][0]["field"],
        "attribute:ecs.availability-zone"
    );
    assert_eq!(
        web["capacityProviderStrategy"][0]["capacityProvider"],
        "ondemand"
    );
    assert_eq!(web["autoScaling"]["maxCapacity"], 12);
    // The summary, then the notes: file:line:column for what is in a file.
    assert!(
        err.contains("imported as aws-snapshot: cluster shop-prod, 5 instances, 2 capacity providers, 2 services, 3 task definitions, 7 running tasks"),
        "{err}"
    );
    let worker = err
        .lines()
        .find(|l| l.contains("[missing-task-definition]"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        worker.contains(&format!("{dir}/services-2.json:14:13:")),
        "{worker}"
    );
    assert!(worker.contains("--task-definition worker:3"), "{worker}");
    for unknown in ["notes.txt", "region.json"] {
        assert!(
            err.lines()
                .any(|l| l.contains(&format!("{dir}/{unknown}"))
                    && l.contains("[unrecognised-file]")),
            "{unknown}: {err}"
        );
    }
}

#[test]
fn json_output_has_where_tasks_run_and_the_loader_findings() {
    let (code, out, err) = ecsplan(&["import", &snapshot(), "--from", "aws-snapshot", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["format"], "aws-snapshot");
    let tasks = v["runningTasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 7);
    let web_zones: BTreeSet<&str> = tasks
        .iter()
        .filter(|t| t["service"] == "web")
        .map(|t| t["availabilityZone"].as_str().unwrap())
        .collect();
    assert_eq!(web_zones, ["eu-west-1a", "eu-west-1b", "eu-west-1c"].into());
    let migrate = tasks
        .iter()
        .find(|t| t["group"] == "family:migrate")
        .unwrap();
    assert_eq!(migrate["containerInstance"], "i-0a1c0ffee0000001");
    assert_eq!(migrate["awsTaskDefinition"], "migrate:2");
    let inst = v["instances"].as_array().unwrap();
    assert_eq!(inst[0]["remainingCpu"], 2048 - 256 - 256);
    assert!(v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["file"] == "services-2.json"
            && n["code"] == "missing-task-definition"
            && n["path"] == "services[0].taskDefinition"));
    assert!(
        !v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["severity"] == "error"),
        "{}",
        v["findings"]
    );
}

#[test]
fn the_imported_plan_places_where_the_tasks_run() {
    let (code, out, err) = ecsplan(&["import", &snapshot(), "--json"]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    let dir = fresh_dir("cluster-place");
    let plan_file = dir.join("plan.json");
    std::fs::write(
        &plan_file,
        serde_json::to_string_pretty(&v["plan"]).unwrap(),
    )
    .unwrap();
    let (code, placed, err) = ecsplan(&["place", &plan_file.to_string_lossy(), "--json"]);
    assert_eq!(code, 0, "{err}");
    let placed = json(&placed);
    let by_service = |items: &Value, service: &str, instance: &str| -> BTreeSet<String> {
        items
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["service"] == service)
            .map(|t| t[instance].as_str().unwrap().to_string())
            .collect()
    };
    for service in ["web", "api"] {
        assert_eq!(
            by_service(&placed["placements"], service, "containerInstance"),
            by_service(&v["runningTasks"], service, "containerInstance"),
            "{service}"
        );
    }
    assert!(placed["unplaced"].as_array().is_none_or(Vec::is_empty));
}

#[test]
fn a_directory_is_a_snapshot_and_terraform_is_detected() {
    let (code, out, err) = ecsplan(&["import", &snapshot()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("imported as aws-snapshot"), "{err}");
    assert_eq!(json(&out)["cluster"]["clusterName"], "shop-prod");
    let (code, out, err) = ecsplan(&["import", &terraform_file("shop-state.json")]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("imported as terraform"), "{err}");
    assert_eq!(
        json(&out)["cluster"]["containerInstances"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
}

#[test]
fn terraform_state_and_plan_import_with_their_assumptions_said() {
    let (code, out, err) = ecsplan(&[
        "import",
        &terraform_file("shop-state.json"),
        "--from",
        "terraform",
    ]);
    assert_eq!(code, 0, "{err}");
    let plan = json(&out);
    let names: Vec<&str> = plan["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["serviceName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["web", "api"]);
    assert!(err.contains("[derived-instances]"), "{err}");
    assert!(
        err.contains("Terraform has no container instances"),
        "{err}"
    );
    let (code, out, err) = ecsplan(&[
        "import",
        &terraform_file("shop-plan.json"),
        "--from",
        "terraform",
    ]);
    assert_eq!(code, 0, "{err}");
    let plan = json(&out);
    assert!(plan["services"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["serviceName"] == "search"));
    let assumed = err
        .lines()
        .find(|l| l.contains("[assumed-zones]"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(assumed.contains("shop-plan.json:"), "{assumed}");
}

#[test]
fn into_refreshes_a_plans_cluster_and_keeps_its_workload() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/plans/two-az-web.json");
    let base_plan = json(&std::fs::read_to_string(&base).unwrap());
    let (code, out, err) = ecsplan(&[
        "import",
        &snapshot(),
        "--from",
        "aws-snapshot",
        "--into",
        &base.to_string_lossy(),
    ]);
    let plan = json(&out);
    assert_eq!(plan["name"], base_plan["name"], "the plan's own name");
    assert_eq!(plan["workload"]["start"], base_plan["workload"]["start"]);
    assert_eq!(
        plan["cluster"]["containerInstances"]
            .as_array()
            .unwrap()
            .len(),
        5,
        "the live cluster"
    );
    // The base plan's workload names a service (worker) the live cluster's plan lacks: the
    // loader says so, and the plan has an error.
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("two-az-web.json refreshed"), "{err}");
    assert!(
        err.lines()
            .any(|l| l.contains("[unknown-service]") && l.contains("workload.services.worker")),
        "{err}"
    );
}

#[test]
fn a_type_outside_the_catalog_without_its_description_exits_1() {
    let dir = fresh_dir("cluster-no-types");
    for e in std::fs::read_dir(snapshot()).unwrap() {
        let p = e.unwrap().path();
        if p.file_name().unwrap() != "instance-types.json" {
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
    }
    let (code, _, err) = ecsplan(&["import", &dir.to_string_lossy(), "--from", "aws-snapshot"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("aws ec2 describe-instance-types --instance-types m6a.large"),
        "{err}"
    );
    assert!(err.contains("[unknown-instance-type]"), "{err}");
}

#[test]
fn bad_sources_exit_2_or_1() {
    let (code, _, err) = ecsplan(&[
        "import",
        &terraform_file("shop-state.json"),
        "--from",
        "aws-snapshot",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("not a directory"), "{err}");
    let (code, _, err) = ecsplan(&["import", &snapshot(), "--from", "terraform"]);
    assert_eq!(code, 2);
    assert!(err.contains("is a directory"), "{err}");
    let empty = fresh_dir("cluster-empty");
    std::fs::write(empty.join("x.json"), "{\"hello\": 1}").unwrap();
    let (code, _, err) = ecsplan(&["import", &empty.to_string_lossy(), "--from", "aws-snapshot"]);
    assert_eq!(code, 1);
    assert!(err.contains("[empty-snapshot]"), "{err}");
    let (code, out, _) = ecsplan(&[
        "import",
        &empty.join("x.json").to_string_lossy(),
        "--from",
        "terraform",
        "--json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(json(&out)["errors"][0]["code"], "not-terraform");
}

#[test]
fn cluster_chooses_among_several() {
    let dir = fresh_dir("cluster-two-clusters");
    for e in std::fs::read_dir(snapshot()).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
    let clusters = dir.join("clusters.json");
    let mut v = json(&std::fs::read_to_string(&clusters).unwrap());
    let mut other = v["clusters"][0].clone();
    other["clusterName"] = "shop-staging".into();
    other["clusterArn"] = "arn:aws:ecs:eu-west-1:123456789012:cluster/shop-staging".into();
    v["clusters"].as_array_mut().unwrap().push(other);
    std::fs::write(&clusters, v.to_string()).unwrap();
    let d = dir.to_string_lossy();
    let (code, out, err) = ecsplan(&["import", &d]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["cluster"]["clusterName"], "shop-prod");
    assert!(err.contains("--cluster NAME"), "{err}");
    let (_, out, _) = ecsplan(&["import", &d, "--cluster", "shop-staging"]);
    let staging = json(&out);
    assert_eq!(staging["cluster"]["clusterName"], "shop-staging");
    assert!(
        staging.get("services").is_none(),
        "shop-prod's services are not staging's"
    );
}
