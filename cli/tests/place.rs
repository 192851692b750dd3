//! `ecsplan place` and `ecsplan whatif` on the sample plans and on files written here.

mod common;
use common::{ecsplan, sample, temp_file};

#[test]
fn place_json_follows_the_design_contract() {
    let (code, out, _) = ecsplan(&["place", "--json", &sample("two-az-web.json")]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let placements = v["placements"].as_array().unwrap();
    assert_eq!(placements.len(), 7);
    for p in placements {
        assert!(p["task"].is_string() && p["service"].is_string());
        assert!(p["containerInstance"].as_str().unwrap().starts_with("i-"));
        assert!(p["availabilityZone"]
            .as_str()
            .unwrap()
            .starts_with("us-east-1"));
    }
    assert_eq!(v["unplaced"].as_array().unwrap().len(), 0);
    // the web service is spread 2 + 2 over the zones
    let in_a = placements
        .iter()
        .filter(|p| p["service"] == "web" && p["availabilityZone"] == "us-east-1a")
        .count();
    assert_eq!(in_a, 2);
}

#[test]
fn an_unplaceable_task_exits_1_with_reasons_and_explanation() {
    // memory-management.md: an m4.large registers 7985 MiB; a task of 8192 MiB never fits.
    let plan = r#"{"schemaVersion": 1,
      "cluster": {"availabilityZones": ["us-east-1a"], "containerInstances": [{"id": "i-1", "instanceType": "m4.large", "availabilityZone": "us-east-1a"}]},
      "taskDefinitions": [{"family": "big", "containerDefinitions": [{"name": "big", "image": "x", "memory": 8192}]}],
      "services": [{"serviceName": "big", "taskDefinition": "big", "desiredCount": 1}]}"#;
    let f = temp_file("big.json", plan);
    let (code, out, _) = ecsplan(&["place", &f, "--explain", "big-1"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("memory: needs 8192 MiB, 7985 MiB free"),
        "{out}"
    );
    assert!(out.contains("stays PENDING"), "{out}");
    let (_, json, _) = ecsplan(&["place", "--json", &f, "--explain", "big-1"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["unplaced"][0]["task"], "big-1");
    assert!(v["unplaced"][0]["reasons"][0]
        .as_str()
        .unwrap()
        .starts_with("RESOURCE:MEMORY"));
    assert_eq!(
        v["explanations"][0]["instances"][0]["code"],
        "RESOURCE:MEMORY"
    );
}

#[test]
fn the_seed_changes_only_unspecified_choices() {
    let a = ecsplan(&[
        "place",
        "--json",
        "--seed",
        "3",
        &sample("mixed-memberof.json"),
    ])
    .1;
    let b = ecsplan(&[
        "place",
        "--json",
        "--seed",
        "3",
        &sample("mixed-memberof.json"),
    ])
    .1;
    assert_eq!(a, b);
}

#[test]
fn explaining_an_unknown_task_is_a_usage_error() {
    let (code, _, err) = ecsplan(&["place", &sample("two-az-web.json"), "--explain", "nope-1"]);
    assert_eq!(code, 2);
    assert!(err.contains("no task nope-1"), "{err}");
}

#[test]
fn whatif_lose_a_zone_and_drain() {
    let (code, out, _) = ecsplan(&[
        "whatif",
        &sample("two-az-web.json"),
        "--lose-az",
        "us-east-1b",
        "--json",
    ]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["instances"].as_array().unwrap().len(), 2);
    for m in v["moved"].as_array().unwrap() {
        assert_eq!(m["availabilityZone"], "us-east-1a");
    }
    let (code, _, err) = ecsplan(&[
        "whatif",
        &sample("two-az-web.json"),
        "--lose-az",
        "us-east-1z",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("no Availability Zone us-east-1z"), "{err}");
    let (code, out, _) = ecsplan(&[
        "whatif",
        &sample("two-az-web.json"),
        "--drain",
        "i-0a1f3c5e7b9d10001",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("What if: drain i-0a1f3c5e7b9d10001"),
        "{out}"
    );
}

#[test]
fn whatif_fit_and_min_instances() {
    let (code, out, _) = ecsplan(&[
        "whatif",
        &sample("two-az-web.json"),
        "--fit",
        "web",
        "--json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["running"], 4);
    assert!(v["more"].as_u64().unwrap() > 0);
    let (code, out, _) = ecsplan(&[
        "whatif",
        &sample("two-az-web.json"),
        "--min-instances",
        "m5.large",
    ]);
    assert_eq!(code, 0);
    assert!(out.starts_with("2 × m5.large"), "{out}");
    let (code, _, _) = ecsplan(&[
        "whatif",
        &sample("two-az-web.json"),
        "--min-instances",
        "t3.nano",
    ]);
    assert_eq!(code, 1);
    let (code, _, err) = ecsplan(&["whatif", &sample("two-az-web.json")]);
    assert_eq!(code, 2);
    assert!(err.contains("ask one question"), "{err}");
}

/// Two instances in two zones; `web` binpacks on memory (a fresh placement puts both tasks
/// on one instance); the plan records one task on each.
const RECORDED: &str = r#"{"schemaVersion": 1,
  "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": [
    {"id": "i-a", "instanceType": "m5.large", "availabilityZone": "us-east-1a"},
    {"id": "i-b", "instanceType": "m5.large", "availabilityZone": "us-east-1b"}]},
  "taskDefinitions": [{"family": "web", "containerDefinitions": [{"name": "web", "image": "x", "cpu": 256, "memory": 512}]}],
  "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 2,
    "placementStrategy": [{"type": "binpack", "field": "memory"}]}],
  "runningTasks": [
    {"group": "service:web", "taskDefinition": "web:1", "containerInstance": "i-b"},
    {"group": "service:web", "taskDefinition": "web:1", "containerInstance": "i-a"}]}"#;

#[test]
fn place_and_whatif_start_from_the_recorded_tasks_and_say_so() {
    let f = temp_file("recorded.json", RECORDED);
    let (code, out, _) = ecsplan(&["place", &f]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("Started from the 2 tasks the plan records as running (runningTasks): 2 kept where they run"),
        "{out}"
    );
    let (_, json, _) = ecsplan(&["place", "--json", &f]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let at: Vec<(&str, &str, bool)> = v["placements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["task"].as_str().unwrap(),
                p["containerInstance"].as_str().unwrap(),
                p["kept"] == true,
            )
        })
        .collect();
    assert_eq!(at, [("web-1", "i-b", true), ("web-2", "i-a", true)]);

    // --afresh: binpack puts both on one instance, and nothing says "Started from".
    let (_, json, _) = ecsplan(&["place", "--json", "--afresh", &f]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let p = v["placements"].as_array().unwrap();
    assert_eq!(p[0]["containerInstance"], p[1]["containerInstance"]);
    assert!(p.iter().all(|t| t.get("kept").is_none()));
    let (_, out, _) = ecsplan(&["place", "--afresh", &f]);
    assert!(!out.contains("Started from"), "{out}");

    // Losing zone b moves the one task recorded there.
    let (code, out, _) = ecsplan(&["whatif", &f, "--lose-az", "us-east-1b"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("Started from the 2 tasks"), "{out}");
    assert!(out.contains("web-1            i-b → i-a"), "{out}");
}
