//! `ecsplan simulate` on the sample plans (snapshots of the step table) and its JSON contract
//! (`design.md`: samples with per-service desired/running/pending/cpu/memory and per-provider
//! instances/reservation, and the events).

mod common;
use common::{ecsplan, sample, temp_file};

fn day_table(name: &str) -> String {
    let (code, out, err) = ecsplan(&["simulate", &sample(name), "--duration", "86400"]);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn simulate_two_az_web_for_a_day() {
    insta::assert_snapshot!(day_table("two-az-web.json"));
}

#[test]
fn simulate_fargate_spot_for_a_day() {
    insta::assert_snapshot!(day_table("fargate-spot.json"));
}

#[test]
fn simulate_mixed_memberof_for_a_day() {
    insta::assert_snapshot!(day_table("mixed-memberof.json"));
}

#[test]
fn simulate_json_follows_the_design_contract() {
    let (code, out, _) = ecsplan(&[
        "simulate",
        &sample("two-az-web.json"),
        "--duration",
        "3600",
        "--json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let samples = v["samples"].as_array().unwrap();
    assert_eq!(samples.len(), 61, "one sample a minute, both ends included");
    for s in samples {
        assert!(s["t"].is_u64());
        for name in ["web", "worker"] {
            let svc = &s["services"][name];
            for k in ["desired", "running", "pending"] {
                assert!(svc[k].is_u64(), "{name}.{k}: {svc}");
            }
            assert!(svc["cpu"].is_number() && svc["memory"].is_number());
        }
        assert!(s["capacityProviders"].is_object());
    }
    assert_eq!(v["start"], "2026-11-23T00:00:00Z");
    let events = v["events"].as_array().unwrap();
    // The web service idles at night: target tracking scales it in after 15 low minutes.
    let scale_in = events
        .iter()
        .find(|e| e["kind"] == "desired-count" && e["service"] == "web")
        .unwrap();
    assert!(scale_in["message"]
        .as_str()
        .unwrap()
        .contains("for 15 datapoints"));
}

#[test]
fn simulate_refuses_a_bad_duration_and_a_bad_plan() {
    let (code, _, err) = ecsplan(&["simulate", &sample("two-az-web.json"), "--duration", "0"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--duration"));
    let (code, _, _) = ecsplan(&["simulate", &sample("two-az-web.json")]);
    assert_eq!(code, 2);
    let f = temp_file(
        "bad.json",
        r#"{"schemaVersion": 1, "services": [], "workload": {"services": {"web": {"requestsPerSecond": {"value": 1}}}}}"#,
    );
    let (code, _, err) = ecsplan(&["simulate", &f, "--duration", "60"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("workload"), "{err}");
}

#[test]
fn simulate_json_has_the_timeline_cost_with_its_price_date() {
    let (code, out, _) = ecsplan(&[
        "simulate",
        &sample("fargate-spot.json"),
        "--duration",
        "3600",
        "--json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let c = &v["cost"];
    assert!(c["prices"].as_str().unwrap().starts_with("prices as of "));
    let total = c["total"].as_f64().unwrap();
    let parts = c["ec2"].as_f64().unwrap()
        + c["fargate"].as_f64().unwrap()
        + c["fargateSpot"].as_f64().unwrap();
    assert!(total > 0.0 && (total - parts).abs() < 1e-9);
    assert!(c["fargateSpot"].as_f64().unwrap() > 0.0);
    assert!(c["byService"][0]["service"].is_string());
}

/// A plan file `name`: one capacity provider (managed scaling, an Auto Scaling group of up to
/// four m5.large in two zones, none running), the task definition `report` (1 vCPU, 2 GiB), no
/// service, and `run_task` as its one simulated RunTask group.
fn run_task_plan(name: &str, run_task: serde_json::Value) -> String {
    temp_file(
        name,
        &serde_json::json!({"schemaVersion": 1,
         "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"],
           "capacityProviders": [{"name": "cp",
             "autoScalingGroupProvider": {"autoScalingGroupArn": "arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:uuid:autoScalingGroupName/asg",
               "managedScaling": {"status": "ENABLED", "targetCapacity": 100}},
             "autoScalingGroup": {"InstanceTypes": ["m5.large"], "AvailabilityZones": ["us-east-1a", "us-east-1b"], "MinSize": 0, "MaxSize": 4}}],
           "defaultCapacityProviderStrategy": [{"capacityProvider": "cp", "weight": 1}]},
         "taskDefinitions": [{"family": "report", "containerDefinitions": [{"name": "job", "image": "job:1", "cpu": 1024, "memory": 2048}]}],
         "services": [],
         "settings": {"simulation": {"runTasks": [run_task]}}})
        .to_string(),
    )
}

// The issue's "visible in the output": per task its capacity provider, instance and zone over
// time, each Auto Scaling group's desired capacity per minute, and RunTask groups' counts.
#[test]
fn simulate_json_shows_tasks_providers_and_run_task_groups() {
    let path = run_task_plan(
        "simulate-run-tasks.json",
        serde_json::json!({"taskDefinition": "report", "count": 4, "schedule": "cron(0 * * * ? *)", "runSeconds": 900}),
    );
    let (code, out, err) = ecsplan(&["simulate", &path, "--duration", "1800", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let tasks = v["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 4);
    for t in tasks {
        assert_eq!(t["service"], "family:report");
        assert_eq!(t["capacityProvider"], "cp");
        assert!(t["instance"].as_str().unwrap().starts_with("i-"));
        assert!(t["availabilityZone"]
            .as_str()
            .unwrap()
            .starts_with("us-east-1"));
        let states: Vec<&str> = t["states"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s[1].as_str().unwrap())
            .collect();
        assert_eq!(states.first(), Some(&"PROVISIONING"));
        assert!(states.contains(&"RUNNING"));
    }
    let samples = v["samples"].as_array().unwrap();
    assert_eq!(samples[1]["capacityProviders"]["cp"]["desiredCapacity"], 2);
    assert_eq!(samples[10]["runTaskGroups"]["family:report"]["running"], 4);
    let kinds: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"run-task") && kinds.contains(&"task-exited"));
}

// The issue's "visible in the output", minute by minute: each capacity provider's
// CapacityProviderReservation and its Auto Scaling group's desired capacity
// (`cluster-auto-scaling.md`: N = 0 with tasks waiting is 200 %, every instance busy 100 %,
// empty instances 0 % until the 15 low datapoints scale the group in), and each task's
// instance and zone the same as that instance's in `instances`.
#[test]
fn simulate_json_gives_each_providers_reservation_and_desired_capacity_every_minute() {
    let path = run_task_plan(
        "simulate-reservation.json",
        serde_json::json!({"taskDefinition": "report", "count": 4, "atSecond": 0, "runSeconds": 900}),
    );
    let (code, out, err) = ecsplan(&["simulate", &path, "--duration", "3600", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let samples = v["samples"].as_array().unwrap();
    assert_eq!(samples.len(), 61);
    let cp: Vec<(u64, u64, f64, u64)> = samples
        .iter()
        .map(|s| {
            let p = &s["capacityProviders"]["cp"];
            (
                s["t"].as_u64().unwrap(),
                p["instances"].as_u64().unwrap(),
                p["reservation"].as_f64().unwrap(),
                p["desiredCapacity"].as_u64().unwrap(),
            )
        })
        .collect();
    // No instance, four tasks waiting: 200 %, and the group goes to 2 ("always scales-out to
    // 200%").
    assert_eq!(cp[0], (0, 0, 200.0, 0));
    assert_eq!(cp[1].3, 2, "{cp:?}");
    // Both instances busy while the tasks run, empty once they exit (at about 1000 s).
    assert!(cp.iter().any(|c| c.1 == 2 && c.2 == 100.0), "{cp:?}");
    let empty = cp
        .iter()
        .position(|c| c.1 == 2 && c.2 == 0.0)
        .expect("empty instances");
    // Fifteen low datapoints later the group scales in, to 0 by the end: N = 0, nothing
    // waiting, 100 %.
    let first_in = cp.iter().position(|c| c.3 < 2 && c.0 > 60).unwrap();
    assert!(first_in >= empty + 14, "{cp:?}");
    assert_eq!(*cp.last().unwrap(), (3600, 0, 100.0, 0));
    // Each task's instance and zone are its instance's.
    let instances = v["instances"].as_array().unwrap();
    for t in v["tasks"].as_array().unwrap() {
        let i = instances
            .iter()
            .find(|i| i["instance"] == t["instance"])
            .unwrap_or_else(|| panic!("{t}"));
        assert_eq!(i["availabilityZone"], t["availabilityZone"], "{t}");
        assert_eq!(i["capacityProvider"], t["capacityProvider"], "{t}");
    }
}

/// An Auto Scaling group whose capacity provider has managed scaling off is in the minute
/// samples too: its instances and its constant desired capacity, with no
/// CapacityProviderReservation (ECS publishes the metric for managed scaling only: "Amazon ECS
/// managed scaling" in the capacity providers page).
#[test]
fn simulate_json_samples_a_provider_without_managed_scaling() {
    let mut plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample("two-az-web.json")).unwrap()).unwrap();
    let cp = &mut plan["cluster"]["capacityProviders"][0];
    let name = cp["name"].as_str().unwrap().to_string();
    cp["autoScalingGroupProvider"]["managedScaling"]["status"] = "DISABLED".into();
    let asg = cp["autoScalingGroup"].clone();
    let f = temp_file("unmanaged.json", &plan.to_string());
    let (code, out, err) = ecsplan(&["simulate", &f, "--duration", "3600", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let samples = v["samples"].as_array().unwrap();
    assert_eq!(samples.len(), 61);
    let want = asg["DesiredCapacity"].as_u64().unwrap();
    for s in samples {
        let p = &s["capacityProviders"][&name];
        assert!(p.is_object(), "{name} missing at t={}: {s}", s["t"]);
        assert!(p["reservation"].is_null(), "{p}");
        // Nothing scales the group: its desired capacity stays what the plan gives it.
        assert_eq!(p["desiredCapacity"].as_u64(), Some(want), "{p}");
        assert!(p["instances"].as_u64().is_some_and(|n| n <= want), "{p}");
    }
    // With managed scaling on, the same provider has its reservation.
    let (_, out, _) = ecsplan(&[
        "simulate",
        &sample("two-az-web.json"),
        "--duration",
        "600",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["samples"][0]["capacityProviders"][&name]["reservation"].is_number());
}
