//! Availability Zone rebalancing over time (`service-rebalancing`: "Starts tasks in
//! Availability Zones with the fewest number of running tasks", "Stops the tasks in
//! Availability Zones with the largest number of running tasks"; `track-service-rebalancing`:
//! the started and completed events).

use super::*;
use crate::load::load_value;
use crate::placement::PlaceOptions;
use crate::plan::Plan;
use serde_json::{json, Value};

/// Three instances (two in us-east-1a, one in us-east-1b) and a service `web` of 4 tasks that
/// all run in us-east-1a now (`runningTasks`), with the given deployment configuration and
/// service members.
fn plan(dc: Value, extra: Value) -> Plan {
    let mut svc = json!({"serviceName": "web", "taskDefinition": "web", "desiredCount": 4,
        "deploymentConfiguration": dc});
    if let (Some(s), Some(e)) = (svc.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            s.insert(k.clone(), v.clone());
        }
    }
    let running: Vec<Value> = (0..4)
        .map(|i| {
            json!({"group": "service:web", "taskDefinition": "web:1",
                "containerInstance": if i % 2 == 0 { "i-a1" } else { "i-a2" },
                "availabilityZone": "us-east-1a", "lastStatus": "RUNNING"})
        })
        .collect();
    let l = load_value(json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": [
            {"id": "i-a1", "instanceType": "m5.large", "availabilityZone": "us-east-1a"},
            {"id": "i-a2", "instanceType": "m5.large", "availabilityZone": "us-east-1a"},
            {"id": "i-b1", "instanceType": "m5.large", "availabilityZone": "us-east-1b"}]},
        "taskDefinitions": [{"family": "web", "containerDefinitions": [
            {"name": "web", "image": "web:1", "cpu": 256, "memory": 512}]}],
        "services": [svc],
        "runningTasks": running
    }));
    assert!(l.plan.is_some(), "{:#?}", l.findings);
    l.plan.unwrap()
}

fn run(p: &Plan) -> Timeline {
    let mut sim = Sim::steady(p, &PlaceOptions::for_plan(p));
    sim.run_until(1800);
    sim.finish(1800)
}

fn kinds(tl: &Timeline, kind: &str) -> usize {
    tl.events.iter().filter(|e| e.kind.code() == kind).count()
}

/// The zones of the tasks running at the end.
fn zones_at_end(tl: &Timeline) -> Vec<String> {
    let mut z: Vec<String> = tl
        .tasks
        .iter()
        .filter(|l| l.states.last().map(|s| s.1) == Some(TaskState::Running))
        .filter_map(|l| l.availability_zone.as_deref().map(str::to_string))
        .collect();
    z.sort();
    z
}

#[test]
fn an_unbalanced_service_starts_tasks_in_the_emptiest_zone_then_stops_in_the_fullest() {
    let p = plan(
        json!({"minimumHealthyPercent": 100, "maximumPercent": 200}),
        json!({}),
    );
    let tl = run(&p);
    assert_eq!(kinds(&tl, "rebalancing-started"), 1);
    assert_eq!(kinds(&tl, "rebalancing-completed"), 1);
    let started = tl
        .events
        .iter()
        .find(|e| e.kind.code() == "rebalancing-started")
        .unwrap();
    assert!(
        started
            .message
            .contains("is not AZ balanced with 4 tasks in us-east-1a"),
        "{}",
        started.message
    );
    assert_eq!(
        zones_at_end(&tl),
        vec!["us-east-1a", "us-east-1a", "us-east-1b", "us-east-1b"]
    );
    // New tasks first: minimumHealthyPercent 100 keeps 4 healthy tasks throughout, and
    // maximumPercent 200 bounds the tasks at 8.
    let web = tl.service("web").unwrap();
    for s in &web.samples {
        assert!(s.running >= 4, "{s:?}");
        assert!(s.old.active + s.new.active <= 8, "{s:?}");
    }
    let first_new_running = tl
        .tasks
        .iter()
        .filter(|l| l.availability_zone.as_deref() == Some("us-east-1b"))
        .filter_map(|l| {
            l.states
                .iter()
                .find(|s| s.1 == TaskState::Running)
                .map(|s| s.0)
        })
        .min()
        .unwrap();
    let first_stop = tl
        .tasks
        .iter()
        .filter_map(|l| {
            l.states
                .iter()
                .find(|s| s.1 == TaskState::Stopping)
                .map(|s| s.0)
        })
        .min()
        .unwrap();
    assert!(first_stop >= first_new_running);
}

#[test]
fn with_maximum_percent_100_a_task_stops_first_within_minimum_healthy_percent() {
    let p = plan(
        json!({"minimumHealthyPercent": 50, "maximumPercent": 100}),
        json!({}),
    );
    let tl = run(&p);
    assert_eq!(
        zones_at_end(&tl),
        vec!["us-east-1a", "us-east-1a", "us-east-1b", "us-east-1b"]
    );
    for s in &tl.service("web").unwrap().samples {
        assert!(s.running >= 2, "{s:?}");
        assert!(s.old.active + s.new.active <= 4, "{s:?}");
    }
}

#[test]
fn with_rebalancing_disabled_the_service_stays_unbalanced() {
    let p = plan(
        json!({"minimumHealthyPercent": 100, "maximumPercent": 200}),
        json!({"availabilityZoneRebalancing": "DISABLED"}),
    );
    let tl = run(&p);
    assert_eq!(kinds(&tl, "rebalancing-started"), 0);
    assert_eq!(zones_at_end(&tl), vec!["us-east-1a"; 4]);
}
