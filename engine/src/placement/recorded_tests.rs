//! Placement from recorded running tasks, checked against the AWS pages.

use super::super::tests::{td, where_is};
use super::super::whatif::{what_if, Change};
use super::super::TaskIx;
use super::super::{explain, place, place_afresh, starts_from_recorded, Outcome, PlaceOptions};
use crate::findings::Severity;
use crate::load::load_value;
use crate::plan::Plan;
use serde_json::{json, Value};

const O: PlaceOptions = PlaceOptions { seed: 1 };

/// A plan of instances (id, type, zone letter), task definitions, services, RunTasks and
/// recorded tasks; loaded, with no errors.
fn plan_with(
    instances: &[(&str, &str, &str)],
    tds: Value,
    services: Value,
    tasks: Value,
    running: Value,
) -> Plan {
    let insts: Vec<Value> = instances
        .iter()
        .map(|(id, t, az)| json!({"id": id, "instanceType": t, "availabilityZone": format!("us-east-1{az}")}))
        .collect();
    let l = load_value(json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b", "us-east-1c"], "containerInstances": insts},
        "taskDefinitions": tds,
        "services": services,
        "tasks": tasks,
        "runningTasks": running,
    }));
    assert!(l.errors().next().is_none(), "{:#?}", l.findings);
    l.plan.unwrap()
}

fn on(group: &str, td: &str, instance: &str) -> Value {
    json!({"group": group, "taskDefinition": td, "containerInstance": instance, "lastStatus": "RUNNING"})
}

fn four() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        ("i-a1", "m5.large", "a"),
        ("i-a2", "m5.large", "a"),
        ("i-b1", "m5.large", "b"),
        ("i-b2", "m5.large", "b"),
    ]
}

#[test]
fn recorded_tasks_stay_where_they_run_even_where_the_strategy_would_choose_otherwise() {
    // task-placement.md: strategies choose where a task is *launched*; the service scheduler
    // does not move a running task (container-instance-draining: tasks leave an instance only
    // when it drains). binpack on memory would put every task on one instance.
    let services = json!([{"serviceName": "web", "taskDefinition": "web", "desiredCount": 3,
        "placementStrategy": [{"type": "binpack", "field": "memory"}]}]);
    let tds = json!([td("web", 256, 512)]);
    let fresh = place(
        &plan_with(&four(), tds.clone(), services.clone(), json!([]), json!([])),
        &O,
    );
    let fresh_nodes: Vec<_> = (1..=3)
        .map(|n| where_is(&fresh, &format!("web-{n}")))
        .collect();
    assert!(
        fresh_nodes.iter().all(|n| *n == fresh_nodes[0]),
        "binpack fills one instance: {fresh_nodes:?}"
    );

    let pl = plan_with(
        &four(),
        tds,
        services,
        json!([]),
        json!([
            on("service:web", "web:1", "i-b2"),
            on("service:web", "web", "i-a2")
        ]),
    );
    assert!(starts_from_recorded(&pl));
    let p = place(&pl, &O);
    assert_eq!(where_is(&p, "web-1").as_deref(), Some("i-b2"));
    assert_eq!(where_is(&p, "web-2").as_deref(), Some("i-a2"));
    assert!(p.is_kept(p.task_index("web-1").unwrap()) && p.is_kept(p.task_index("web-2").unwrap()));
    // The third is new: placed by binpack on the cluster the recorded tasks fill.
    let third = p.task_index("web-3").unwrap();
    assert!(!p.is_kept(third));
    assert!(matches!(
        where_is(&p, "web-3").as_deref(),
        Some("i-b2") | Some("i-a2")
    ));
    assert!(p.findings.is_empty(), "{:?}", p.findings);
    // Explanations say the task was already running there.
    let e = explain(&p, p.task_index("web-1").unwrap());
    assert!(
        e.kept && e.outcome.contains("already running"),
        "{}",
        e.outcome
    );
    // Without the record, the same plan is placed afresh.
    let afresh = place_afresh(&pl, &O);
    assert_eq!(where_is(&afresh, "web-1"), fresh_nodes[0]);
}

#[test]
fn a_task_that_no_longer_fits_its_instance_is_placed_afresh_with_a_warning() {
    // The task definition now asks 3 vCPUs: an m5.large registers 2048 CPU units
    // (vCPUs x 1024, docs/catalog.md), so the recorded task cannot stay there.
    let pl = plan_with(
        &[("i-small", "m5.large", "a"), ("i-big", "m5.2xlarge", "b")],
        json!([td("web", 3072, 1024)]),
        json!([{"serviceName": "web", "taskDefinition": "web", "desiredCount": 1}]),
        json!([]),
        json!([on("service:web", "web:1", "i-small")]),
    );
    let p = place(&pl, &O);
    assert_eq!(where_is(&p, "web-1").as_deref(), Some("i-big"));
    assert!(!p.is_kept(TaskIx(0)));
    let f = &p.findings[0];
    assert_eq!(
        (f.code.as_str(), f.severity, f.path.to_string().as_str()),
        (
            "recorded-no-longer-fits",
            Severity::Warning,
            "runningTasks[0]"
        )
    );
    assert!(f.message.contains("i-small"), "{f}");
}

#[test]
fn fewer_desired_than_recorded_stops_the_excess_as_ecs_scales_in() {
    // ecs_services.md "Service scheduler concepts": "When the service scheduler stops running
    // tasks, it attempts to maintain balance across the Availability Zones"; with the default
    // zone spread, the tasks stopped are those of the zone with the most.
    let pl = plan_with(
        &four(),
        json!([td("web", 256, 256)]),
        json!([{"serviceName": "web", "taskDefinition": "web", "desiredCount": 2}]),
        json!([]),
        json!([
            on("service:web", "web", "i-a1"),
            on("service:web", "web", "i-a2"),
            on("service:web", "web", "i-a1"),
            on("service:web", "web", "i-b1"),
        ]),
    );
    let p = place(&pl, &O);
    assert_eq!(p.tasks.len(), 2);
    let zones: Vec<usize> = p
        .tasks
        .iter()
        .map(|t| match t.outcome {
            Outcome::Placed { node } => p.cluster.nodes[node].az,
            _ => panic!("{:?}", t.outcome),
        })
        .collect();
    assert!(zones.contains(&0) && zones.contains(&1), "{zones:?}");
    assert!((0..2).all(|t| p.is_kept(TaskIx(t))));
    assert!(
        p.tasks
            .iter()
            .any(|t| where_is(&p, &t.id()).as_deref() == Some("i-b1")),
        "the only task in zone b stays"
    );
    let f = p.findings.iter().find(|f| f.code == "scale-in").unwrap();
    assert_eq!(f.path.to_string(), "services[0]");
    assert!(f.message.contains("2 stop"), "{f}");
}

#[test]
fn an_old_revisions_tasks_stay_with_their_own_resources_and_count() {
    let pl = plan_with(
        &four(),
        json!([td("web", 256, 256), td("web", 512, 512)]),
        json!([{"serviceName": "web", "taskDefinition": "web:2", "desiredCount": 3}]),
        json!([]),
        json!([
            on("service:web", "web:1", "i-a1"),
            on("service:web", "web:2", "i-b1")
        ]),
    );
    let p = place(&pl, &O);
    assert_eq!(p.tasks.len(), 3, "the old task counts toward the desired 3");
    // The service's revision first.
    let t1 = &p.tasks[p.task_index("web-1").unwrap()];
    assert_eq!(
        (t1.revision, where_is(&p, "web-1").as_deref()),
        (2, Some("i-b1"))
    );
    let t2 = &p.tasks[p.task_index("web-2").unwrap()];
    assert_eq!(
        (t2.revision, where_is(&p, "web-2").as_deref()),
        (1, Some("i-a1"))
    );
    assert_eq!(p.specs[t2.spec].demand.cpu, 256);
    let t3 = &p.tasks[p.task_index("web-3").unwrap()];
    assert_eq!(t3.revision, 2);
    assert_eq!(p.specs[t3.spec].demand.cpu, 512);
}

#[test]
fn losing_a_zone_starts_from_where_the_tasks_run() {
    // Recorded: all four tasks in zone b, where a fresh placement would spread them over a
    // and b. Losing zone b moves all four.
    let running = json!([
        on("service:web", "web", "i-b1"),
        on("service:web", "web", "i-b2"),
        on("service:web", "web", "i-b1"),
        on("service:web", "web", "i-b2"),
    ]);
    let svc = json!([{"serviceName": "web", "taskDefinition": "web", "desiredCount": 4}]);
    let pl = plan_with(
        &four(),
        json!([td("web", 256, 256)]),
        svc,
        json!([]),
        running,
    );
    let w = what_if(&pl, &O, &Change::LoseZone("us-east-1b".into())).unwrap();
    assert_eq!(w.moved.len(), 4, "{:?}", w.moved);
    assert!(w.moved.iter().all(|m| m.from.starts_with("i-b")));
    assert!(w.all_replaced());
    let afresh = place_afresh(&pl, &O);
    let in_b = afresh
        .tasks
        .iter()
        .filter(
            |t| matches!(t.outcome, Outcome::Placed { node } if afresh.cluster.nodes[node].az == 1),
        )
        .count();
    assert_eq!(in_b, 2, "a fresh placement would have lost only two");
}

#[test]
fn fargate_tasks_stay_in_their_zone() {
    let fargate_td = json!({"family": "api", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
        "cpu": "256", "memory": "512", "containerDefinitions": [{"name": "api", "image": "x"}]});
    let svc = json!([{"serviceName": "api", "taskDefinition": "api", "desiredCount": 2,
        "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}],
        "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}}}]);
    let running = json!([
        {"group": "service:api", "taskDefinition": "api:1", "availabilityZone": "us-east-1c", "capacityProviderName": "FARGATE"},
        {"group": "service:api", "taskDefinition": "api:1", "availabilityZone": "us-east-1c", "capacityProviderName": "FARGATE"},
    ]);
    let pl = plan_with(&four(), json!([fargate_td]), svc, json!([]), running);
    let p = place(&pl, &O);
    for t in &p.tasks {
        assert_eq!(
            t.outcome,
            Outcome::Fargate {
                availability_zone: "us-east-1c".into()
            }
        );
    }
    assert_eq!(p.tasks.len(), 2);
}

#[test]
fn daemon_tasks_keep_their_instance_and_the_others_get_one() {
    let pl = plan_with(
        &four(),
        json!([td("log", 128, 128)]),
        json!([{"serviceName": "log", "taskDefinition": "log", "schedulingStrategy": "DAEMON"}]),
        json!([]),
        json!([on("service:log", "log", "i-b2")]),
    );
    let p = place(&pl, &O);
    assert_eq!(p.tasks.len(), 4);
    let kept: Vec<String> = (0..p.tasks.len())
        .filter(|&t| p.is_kept(TaskIx::new(t)))
        .filter_map(|t| where_is(&p, &p.task_id(TaskIx::new(t))))
        .collect();
    assert_eq!(kept, ["i-b2"]);
    let mut nodes: Vec<String> = p
        .tasks
        .iter()
        .filter_map(|t| where_is(&p, &t.id()))
        .collect();
    nodes.sort();
    assert_eq!(nodes, ["i-a1", "i-a2", "i-b1", "i-b2"]);
}

#[test]
fn run_task_requests_take_their_recorded_tasks_up_to_their_count() {
    let pl = plan_with(
        &four(),
        json!([td("job", 256, 256)]),
        json!([]),
        json!([{"taskDefinition": "job", "count": 2}]),
        json!([
            on("family:job", "job:1", "i-b1"),
            on("family:job", "job:1", "i-b2"),
            on("family:job", "job:1", "i-a1"),
        ]),
    );
    let p = place(&pl, &O);
    assert_eq!(p.tasks.len(), 2);
    assert_eq!(where_is(&p, "job-1").as_deref(), Some("i-b1"));
    assert_eq!(where_is(&p, "job-2").as_deref(), Some("i-b2"));
    let f = &p.findings[0];
    assert_eq!(
        (f.code.as_str(), f.path.to_string().as_str()),
        ("recorded-extra", "runningTasks[2]")
    );
}

#[test]
fn stale_and_stopping_entries_never_stop_placement() {
    // An unknown instance: the task is placed afresh. A task ECS is stopping (desired STOPPED)
    // or has stopped holds no place.
    let pl = plan_with(
        &four(),
        json!([td("web", 256, 256)]),
        json!([{"serviceName": "web", "taskDefinition": "web", "desiredCount": 2}]),
        json!([]),
        json!([
            on("service:web", "web", "i-gone"),
            {"group": "service:web", "taskDefinition": "web", "containerInstance": "i-b1", "desiredStatus": "STOPPED"},
            {"group": "service:web", "taskDefinition": "web", "containerInstance": "i-b2", "lastStatus": "STOPPED"},
            on("service:nope", "web", "i-a1"),
            on("service:web", "web", "i-a2"),
        ]),
    );
    let p = place(&pl, &O);
    assert_eq!(p.tasks.len(), 2);
    assert!(p
        .tasks
        .iter()
        .all(|t| matches!(t.outcome, Outcome::Placed { .. })));
    assert_eq!(where_is(&p, "web-2").as_deref(), Some("i-a2"));
    assert!(p.is_kept(TaskIx(1)) && !p.is_kept(TaskIx(0)));
    // Nothing runs where the stopping tasks were, nor the unknown service's task.
    let on_node = |id: &str| {
        let n = p.cluster.find(id).unwrap();
        p.state.usage[n].tasks.len()
    };
    assert_eq!(on_node("i-a1"), 0);
}

#[test]
fn a_plan_without_recorded_tasks_is_placed_as_before() {
    let pl = plan_with(
        &four(),
        json!([td("web", 256, 256)]),
        json!([{"serviceName": "web", "taskDefinition": "web", "desiredCount": 5}]),
        json!([]),
        json!([]),
    );
    assert!(!starts_from_recorded(&pl));
    let (a, b) = (place(&pl, &O), place_afresh(&pl, &O));
    let at = |p: &super::Placement| -> Vec<_> {
        p.tasks
            .iter()
            .map(|t| (t.id(), t.outcome.clone()))
            .collect()
    };
    assert_eq!(at(&a), at(&b));
    assert!(!a.keeps_running);
}

#[test]
fn a_huge_record_is_placed_without_hanging() {
    // docs/hostile-input.md: a plan may hold up to 100 000 tasks; a record of 12 000 entries
    // of one service that wants 5, and 3 000 of services the plan lacks, is placed and
    // checked in one pass each (no entry is compared with every other).
    let mut running: Vec<Value> = (0..12_000)
        .map(|k| {
            on(
                "service:web",
                "web",
                ["i-a1", "i-a2", "i-b1", "i-b2"][k % 4],
            )
        })
        .collect();
    running.extend((0..3_000).map(|k| on(&format!("service:gone{k}"), "web", "i-zz")));
    let pl = plan_with(
        &four(),
        json!([td("web", 1, 8)]),
        json!([{"serviceName": "web", "taskDefinition": "web", "desiredCount": 5}]),
        json!([]),
        Value::Array(running),
    );
    let p = place(&pl, &O);
    assert_eq!(p.tasks.len(), 5);
    assert!((0..5).all(|t| p.is_kept(TaskIx(t))));
    let f = p.findings.iter().find(|f| f.code == "scale-in").unwrap();
    assert!(f.message.contains("11995 stop"), "{}", &f.message[..80]);
}
