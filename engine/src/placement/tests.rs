//! Placement, checked against the rules and worked examples of the AWS pages they come from.

use super::*;
use crate::load::load_value;
use filter::Stage;
use serde_json::{json, Value};

/// A plan with `instances` ([id, type, az]) in us-east-1a/b/c and the given task definitions
/// and services.
pub(super) fn plan(instances: &[(&str, &str, &str)], tds: Value, services: Value) -> Plan {
    let insts: Vec<Value> = instances
        .iter()
        .map(|(id, t, az)| json!({"id": id, "instanceType": t, "availabilityZone": format!("us-east-1{az}")}))
        .collect();
    let v = json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b", "us-east-1c"], "containerInstances": insts},
        "taskDefinitions": tds,
        "services": services
    });
    let l = load_value(v);
    // Validation findings do not withhold the plan; a broken memberOf expression is the
    // subject of one test here, so it is the one error allowed.
    assert!(
        l.errors().all(|f| f.code == "cql-syntax"),
        "{:#?}",
        l.findings
    );
    l.plan.unwrap()
}

pub(super) fn td(family: &str, cpu: u32, memory: u32) -> Value {
    json!({"family": family, "containerDefinitions": [{"name": family, "image": "x", "cpu": cpu, "memory": memory}]})
}

pub(super) fn where_is(p: &Placement, id: &str) -> Option<String> {
    match p.tasks[p.task_index(id)?].outcome {
        Outcome::Placed { node } => Some(p.cluster.nodes[node].id.clone()),
        _ => None,
    }
}

fn per_node(p: &Placement) -> Vec<(String, usize)> {
    p.cluster
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.clone(), p.state.usage[i].tasks.len()))
        .collect()
}

/// A task's id, its digits written by hand, is the `{name}-{ordinal}` of `format!`.
#[test]
fn task_ids_are_name_dash_ordinal() {
    for name in ["web", "nightly-backfill", "", "é-ü", "svc-007"] {
        for ordinal in [
            0,
            1,
            9,
            10,
            11,
            99,
            100,
            4_999,
            5_000,
            65_536,
            u32::MAX - 1,
            u32::MAX,
        ] {
            let task = Task {
                name: name.into(),
                ordinal,
                source: Source::Service {
                    index: 0,
                    name: name.into(),
                },
                family: name.into(),
                revision: 1,
                spec: SpecIx(0),
                outcome: Outcome::Stopped,
            };
            assert_eq!(task.id(), format!("{name}-{ordinal}"));
        }
    }
}

#[test]
fn an_8_gib_task_does_not_fit_an_m4_large() {
    // memory-management.md: an m4.large registers 7985 MiB, so a task asking 8192 MiB cannot be placed.
    let pl = plan(
        &[("i-1", "m4.large", "a")],
        json!([td("big", 256, 8192)]),
        json!([{"serviceName": "big", "taskDefinition": "big", "desiredCount": 1}]),
    );
    let p = place(&pl, &PlaceOptions::default());
    assert_eq!(
        p.tasks[0].outcome,
        Outcome::Unplaced {
            provisioning: false
        }
    );
    let e = explain(&p, TaskIx(0));
    assert_eq!(
        e.instances[0].reason.as_deref(),
        Some("memory: needs 8192 MiB, 7985 MiB free")
    );
    assert_eq!(e.instances[0].code.as_deref(), Some("RESOURCE:MEMORY"));
    let reasons = p.unplaced_reasons(TaskIx(0));
    assert_eq!(
        reasons,
        vec![
            "RESOURCE:MEMORY (resources) on 1 instance: i-1: memory: needs 8192 MiB, 7985 MiB free"
                .to_string()
        ]
    );
}

#[test]
fn spread_by_zone_then_binpack_by_memory() {
    // task-placement-strategies.md, "Example strategies": spread across zones, then binpack on memory within a zone.
    let pl = plan(
        &[
            ("a1", "m5.large", "a"),
            ("a2", "m5.large", "a"),
            ("b1", "m5.large", "b"),
            ("b2", "m5.large", "b"),
        ],
        json!([td("w", 256, 1024)]),
        json!([{"serviceName": "w", "taskDefinition": "w", "desiredCount": 4, "placementStrategy": [
            {"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "memory"}]}]),
    );
    let p = place(&pl, &PlaceOptions::default());
    let used = per_node(&p);
    // two per zone, packed onto one instance in each zone
    let in_a: usize = used
        .iter()
        .filter(|(id, _)| id.starts_with('a'))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(in_a, 2);
    assert_eq!(used.iter().filter(|(_, n)| *n == 2).count(), 2, "{used:?}");
    assert_eq!(used.iter().filter(|(_, n)| *n == 0).count(), 2, "{used:?}");
}

#[test]
fn service_default_spreads_across_zones_then_instances() {
    // ecs_services.md, "Replica": without a strategy, the zone with the fewest of the service's
    // tasks first, then the instance with the fewest.
    let pl = plan(
        &[
            ("a1", "m5.large", "a"),
            ("a2", "m5.large", "a"),
            ("b1", "m5.large", "b"),
            ("c1", "m5.large", "c"),
        ],
        json!([td("w", 256, 512)]),
        json!([{"serviceName": "w", "taskDefinition": "w", "desiredCount": 4}]),
    );
    let p = place(&pl, &PlaceOptions::default());
    let used = per_node(&p);
    assert!(used.iter().all(|(_, n)| *n == 1), "{used:?}");
    let e = explain(&p, TaskIx(0));
    assert!(e.strategy.ends_with("(service default)"), "{}", e.strategy);
}

#[test]
fn member_of_t2_keeps_tasks_on_t2() {
    // cluster-query-language.md, example: attribute:ecs.instance-type =~ t2.*
    let pl = plan(
        &[("m", "m5.large", "a"), ("t", "t2.medium", "b")],
        json!([td("w", 128, 256)]),
        json!([{"serviceName": "w", "taskDefinition": "w", "desiredCount": 3,
            "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t2.*"}]}]),
    );
    let p = place(&pl, &PlaceOptions::default());
    for i in 1..=3 {
        assert_eq!(where_is(&p, &format!("w-{i}")).as_deref(), Some("t"));
    }
    let e = explain(&p, TaskIx(0));
    let m = e.instances.iter().find(|v| v.instance == "m").unwrap();
    assert_eq!(m.stage, Some(Stage::Constraints));
    assert!(
        m.reason.as_deref().unwrap().starts_with("memberOf: "),
        "{:?}",
        m.reason
    );
    assert!(
        m.reason.as_deref().unwrap().contains("m5.large"),
        "{:?}",
        m.reason
    );
}

#[test]
fn a_static_host_port_allows_one_task_per_instance() {
    // task_definition_parameters.md, hostPort: a host port bound by a running task is reserved.
    let web = json!({"family": "web", "networkMode": "bridge", "containerDefinitions": [{"name": "web", "image": "x", "memory": 128,
        "portMappings": [{"containerPort": 80, "hostPort": 80}]}]});
    let pl = plan(
        &[("i-1", "m5.large", "a"), ("i-2", "m5.large", "b")],
        json!([web]),
        json!([{"serviceName": "web", "taskDefinition": "web", "desiredCount": 3}]),
    );
    let p = place(&pl, &PlaceOptions::default());
    let placed = p
        .tasks
        .iter()
        .filter(|t| matches!(t.outcome, Outcome::Placed { .. }))
        .count();
    assert_eq!(placed, 2);
    let e = explain(&p, TaskIx(2));
    let holder = |inst: &str| {
        p.tasks_on(p.cluster.find(inst).unwrap())
            .next()
            .unwrap()
            .id()
    };
    for v in &e.instances {
        assert_eq!(
            v.reason.as_deref(),
            Some(format!("port 80/tcp already bound by {}", holder(&v.instance)).as_str())
        );
        assert_eq!(v.code.as_deref(), Some("RESOURCE:PORTS"));
    }
}

#[test]
fn dynamic_host_ports_let_many_copies_share_an_instance() {
    // task-networking-bridge.md / hostPort 0: dynamic ports from the ephemeral range.
    let web = json!({"family": "web", "networkMode": "bridge", "containerDefinitions": [{"name": "web", "image": "x", "memory": 128,
        "portMappings": [{"containerPort": 80, "hostPort": 0}]}]});
    let pl = plan(
        &[("i-1", "m5.large", "a")],
        json!([web]),
        json!([{"serviceName": "web", "taskDefinition": "web", "desiredCount": 5}]),
    );
    let p = place(&pl, &PlaceOptions::default());
    assert_eq!(p.state.usage[0].tasks.len(), 5);
}

#[test]
fn reserved_agent_ports_block_static_ports() {
    // ecs-agent-config.md, ECS_RESERVED_PORTS defaults include 22.
    let ssh = json!({"family": "ssh", "networkMode": "host", "containerDefinitions": [{"name": "s", "image": "x", "memory": 64,
        "portMappings": [{"containerPort": 22}]}]});
    let pl = plan(
        &[("i-1", "m5.large", "a")],
        json!([ssh]),
        json!([{"serviceName": "ssh", "taskDefinition": "ssh", "desiredCount": 1}]),
    );
    let p = place(&pl, &PlaceOptions::default());
    assert_eq!(
        explain(&p, TaskIx(0)).instances[0].reason.as_deref(),
        Some("port 22/tcp is reserved on the instance (ECS_RESERVED_PORTS)")
    );
}

#[test]
fn distinct_instance_puts_each_task_on_its_own_instance() {
    // task-placement-constraints.md, distinctInstance.
    let pl = plan(
        &[("i-1", "m5.xlarge", "a"), ("i-2", "m5.xlarge", "a")],
        json!([td("w", 128, 128)]),
        json!([{"serviceName": "w", "taskDefinition": "w", "desiredCount": 3,
            "placementStrategy": [{"type": "binpack", "field": "memory"}],
            "placementConstraints": [{"type": "distinctInstance"}]}]),
    );
    let p = place(&pl, &PlaceOptions::default());
    assert_ne!(where_is(&p, "w-1"), where_is(&p, "w-2"));
    assert_eq!(where_is(&p, "w-3"), None);
    let e = explain(&p, TaskIx(2));
    assert!(
        e.instances.iter().all(|v| v
            .reason
            .as_deref()
            .is_some_and(|r| r.starts_with("distinctInstance: already runs w-"))),
        "{:#?}",
        e.instances
    );
}

#[test]
fn awsvpc_tasks_are_limited_by_enis() {
    // container-instance-eni.md: c5.large has 3 ENIs, the primary is taken: 2 awsvpc tasks.
    let t = json!({"family": "v", "networkMode": "awsvpc", "containerDefinitions": [{"name": "v", "image": "x", "memory": 64}]});
    let pl = plan(
        &[("i-1", "c5.large", "a")],
        json!([t]),
        json!([{"serviceName": "v", "taskDefinition": "v", "desiredCount": 3,
            "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}}}]),
    );
    let p = place(&pl, &PlaceOptions::default());
    assert_eq!(p.state.usage[0].tasks.len(), 2);
    assert_eq!(
        explain(&p, TaskIx(2)).instances[0].reason.as_deref(),
        Some("eni: 2 of 2 awsvpc task slots used (c5.large, no ENI trunking)")
    );
}

#[test]
fn draining_instances_take_nothing() {
    // container-instance-draining: no new tasks are placed on a DRAINING instance.
    let mut pl = plan(
        &[("i-1", "m5.large", "a"), ("i-2", "m5.large", "b")],
        json!([td("w", 128, 128)]),
        json!([{"serviceName": "w", "taskDefinition": "w", "desiredCount": 2}]),
    );
    pl.cluster.container_instances[0].status = crate::plan::InstanceStatus::Draining;
    let p = place(&pl, &PlaceOptions::default());
    assert_eq!(per_node(&p), vec![("i-1".into(), 0), ("i-2".into(), 2)]);
    assert_eq!(
        explain(&p, TaskIx(0)).instances[0].reason.as_deref(),
        Some("instance is DRAINING: it takes no new tasks")
    );
}

#[test]
fn binpack_fills_one_instance_before_the_next() {
    // task-placement-strategies.md, binpack: the instance with the least remaining memory.
    let pl = plan(
        &[
            ("i-1", "m5.large", "a"),
            ("i-2", "m5.large", "a"),
            ("i-3", "m5.large", "a"),
        ],
        json!([td("w", 128, 2048)]),
        json!([{"serviceName": "w", "taskDefinition": "w", "desiredCount": 4, "placementStrategy": [{"type": "binpack", "field": "memory"}]}]),
    );
    let p = place(&pl, &PlaceOptions::default());
    let mut counts: Vec<usize> = per_node(&p).into_iter().map(|(_, n)| n).collect();
    counts.sort();
    assert_eq!(
        counts,
        vec![0, 1, 3],
        "m5.large registers about 7.6 GiB: three 2 GiB tasks fill one"
    );
}

#[test]
fn run_tasks_default_to_random_and_are_repeatable() {
    // scheduling_tasks.md: RunTask without a strategy places randomly.
    let insts: Vec<(String, &str, &str)> = (0..20)
        .map(|i| (format!("i-{i}"), "m5.large", "a"))
        .collect();
    let insts: Vec<(&str, &str, &str)> =
        insts.iter().map(|(a, b, c)| (a.as_str(), *b, *c)).collect();
    let mut pl = plan(&insts, json!([td("job", 128, 128)]), json!([]));
    pl.tasks
        .push(serde_json::from_value(json!({"taskDefinition": "job", "count": 10})).unwrap());
    let a = place(&pl, &PlaceOptions { seed: 7 });
    let b = place(&pl, &PlaceOptions { seed: 7 });
    let c = place(&pl, &PlaceOptions { seed: 8 });
    let spots = |p: &Placement| {
        p.tasks
            .iter()
            .map(|t| t.outcome.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(spots(&a), spots(&b));
    assert_ne!(spots(&a), spots(&c), "another seed, another draw");
    assert!(
        per_node(&a).iter().filter(|(_, n)| *n > 0).count() >= 5,
        "random spreads: {:?}",
        per_node(&a)
    );
    assert_eq!(a.tasks[0].id(), "job-1");
    assert!(explain(&a, TaskIx(0)).strategy.contains("RunTask default"));
}

#[test]
fn run_tasks_are_named_after_their_group_and_never_share_a_name() {
    // The planner's naming (AWS gives tasks ARNs, not names): a RunTask's tasks take its group
    // without `family:`; when a service or an earlier RunTask has that name, `-run{n}` (the
    // RunTask's position from 1) tells them apart.
    let mut pl = plan(
        &[("i-1", "m5.xlarge", "a")],
        json!([td("web", 64, 64), td("job", 64, 64)]),
        json!([{"serviceName": "web", "taskDefinition": "web", "desiredCount": 1}]),
    );
    for (td, count) in [("web", 1), ("web", 2), ("job", 1), ("job", 1), ("nope", 1)] {
        pl.tasks
            .push(serde_json::from_value(json!({"taskDefinition": td, "count": count})).unwrap());
    }
    // A group given by hand is a name too.
    pl.tasks
        .push(serde_json::from_value(json!({"taskDefinition": "job", "group": "batch"})).unwrap());
    let p = place(&pl, &PlaceOptions::default());
    let ids: Vec<String> = p.tasks.iter().map(|t| t.id()).collect();
    assert_eq!(
        ids,
        [
            "web-1",
            "web-run1-1",
            "web-run2-1",
            "web-run2-2",
            "job-1",
            "job-run4-1",
            "batch-1"
        ],
    );
}

#[test]
fn fargate_strategy_base_and_weight_and_zone_spread() {
    // cluster-capacity-providers.md; fargate-capacity-providers.md.
    let t = json!({"family": "api", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
        "containerDefinitions": [{"name": "api", "image": "x"}]});
    let pl = plan(
        &[],
        json!([t]),
        json!([{"serviceName": "api", "taskDefinition": "api", "desiredCount": 10,
        "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1", "subnet-2"]}},
        "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "base": 2, "weight": 1}, {"capacityProvider": "FARGATE_SPOT", "weight": 3}]}]),
    );
    let p = place(&pl, &PlaceOptions::default());
    let on = |prov: &str| {
        p.tasks
            .iter()
            .filter(|t| {
                p.specs[t.spec].launch
                    == Launch::Fargate {
                        provider: prov.into(),
                    }
            })
            .count()
    };
    assert_eq!((on("FARGATE"), on("FARGATE_SPOT")), (4, 6));
    let mut zones: HashMap<String, usize> = HashMap::new();
    for t in &p.tasks {
        if let Outcome::Fargate { availability_zone } = &t.outcome {
            *zones.entry(availability_zone.clone()).or_default() += 1;
        }
    }
    let mut n: Vec<usize> = zones.values().copied().collect();
    n.sort();
    assert_eq!(n, vec![3, 3, 4]);
}

#[test]
fn daemon_runs_one_task_per_matching_instance() {
    // ecs_services.md, "Daemon": one task on each active instance that meets the constraints.
    let pl = plan(
        &[
            ("i-1", "m5.large", "a"),
            ("i-2", "m5.large", "b"),
            ("i-3", "t3.small", "c"),
        ],
        json!([td("log", 64, 64), td("w", 128, 128)]),
        json!([
            {"serviceName": "w", "taskDefinition": "w", "desiredCount": 2},
            {"serviceName": "log", "taskDefinition": "log", "schedulingStrategy": "DAEMON",
             "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ m5.*"}]}
        ]),
    );
    let p = place(&pl, &PlaceOptions::default());
    let logs: Vec<_> = p.tasks.iter().filter(|t| &*t.family == "log").collect();
    assert_eq!(logs.len(), 2);
    assert!(logs
        .iter()
        .all(|t| matches!(t.outcome, Outcome::Placed { .. })));
    // daemon tasks were placed before the replica service's
    let first = p
        .events
        .iter()
        .find_map(|e| match e {
            Event::Place { task, .. } => Some(*task),
            _ => None,
        })
        .unwrap();
    assert_eq!(&*p.tasks[first].family, "log");
}

#[test]
fn asg_capacity_provider_tasks_wait_in_provisioning() {
    let mut v = json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a"],
            "containerInstances": [{"id": "i-1", "instanceType": "t3.small", "availabilityZone": "us-east-1a", "capacityProvider": "cp"},
                                   {"id": "i-2", "instanceType": "m5.xlarge", "availabilityZone": "us-east-1a"}],
            "capacityProviders": [{"name": "cp", "autoScalingGroupProvider": {"autoScalingGroupArn": "arn:aws:autoscaling:us-east-1:1:autoScalingGroup:x:autoScalingGroupName/cp"}}]},
        "taskDefinitions": [td("w", 1024, 1024)],
        "services": [{"serviceName": "w", "taskDefinition": "w", "desiredCount": 3, "capacityProviderStrategy": [{"capacityProvider": "cp", "weight": 1}]}]
    });
    v["x"] = Value::Null;
    v.as_object_mut().unwrap().remove("x");
    let pl = load_value(v).plan.unwrap();
    let p = place(&pl, &PlaceOptions::default());
    assert!(
        p.tasks.iter().all(|t| t.outcome
            != Outcome::Placed {
                node: InstanceIx(1)
            }),
        "never on the instance outside the provider"
    );
    let provisioning = p
        .tasks
        .iter()
        .filter(|t| t.outcome == Outcome::Unplaced { provisioning: true })
        .count();
    assert_eq!(
        provisioning, 2,
        "a t3.small takes one 1024-unit task (2048 units)... and then memory runs out"
    );
    let e = explain(&p, TaskIx(2));
    let other = e.instances.iter().find(|v| v.instance == "i-2").unwrap();
    assert_eq!(
        other.reason.as_deref(),
        Some("capacity provider: instance belongs to no capacity provider; this task goes to cp")
    );
}

#[test]
fn a_broken_expression_leaves_tasks_unplaced_with_the_parse_error() {
    let pl = plan(
        &[("i-1", "m5.large", "a")],
        json!([td("w", 128, 128)]),
        json!([{"serviceName": "w", "taskDefinition": "w", "desiredCount": 1,
        "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.instance-type in [t2.micro, t3.micro"}]}]),
    );
    let p = place(&pl, &PlaceOptions::default());
    assert_eq!(
        p.tasks[0].outcome,
        Outcome::Unplaced {
            provisioning: false
        }
    );
    // the loader reports the finding; placement explains the unplaced task
    assert!(engine_findings_mention_cql(&pl));
    assert!(p.unplaced_reasons(TaskIx(0))[0].contains("does not parse"));
}

#[test]
fn the_explanation_ranks_the_chosen_instance_first() {
    let pl = plan(
        &[
            ("a1", "m5.large", "a"),
            ("a2", "m5.xlarge", "a"),
            ("b1", "m5.large", "b"),
            ("c1", "c5.large", "c"),
        ],
        json!([td("w", 256, 700)]),
        json!([{"serviceName": "w", "taskDefinition": "w", "desiredCount": 7,
            "placementStrategy": [{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "cpu"}]}]),
    );
    let p = place(&pl, &PlaceOptions::default());
    for t in 0..p.tasks.len() {
        let e = explain(&p, TaskIx::new(t));
        let chosen: Vec<_> = e.instances.iter().filter(|v| v.chosen).collect();
        assert_eq!(chosen.len(), 1);
        assert_eq!(chosen[0].rank, Some(1), "task {t}: {e:#?}");
    }
}

fn engine_findings_mention_cql(plan: &Plan) -> bool {
    let v = serde_json::to_value(plan).unwrap();
    load_value(v)
        .findings
        .iter()
        .any(|f| f.code == "cql-syntax")
}

#[test]
fn instances_gone_give_no_unplaced_reason() {
    // The simulator leaves the instances terminated during its run out of a waiting task's
    // reasons: they are no candidates any more.
    let pl = plan(
        &[("i-1", "m4.large", "a"), ("i-2", "m4.large", "b")],
        json!([td("big", 256, 8192)]),
        json!([{"serviceName": "big", "taskDefinition": "big", "desiredCount": 1}]),
    );
    let p = place(&pl, &PlaceOptions::default());
    assert!(p.unplaced_reasons(TaskIx(0))[0].contains("on 2 instances"));
    let one = p.unplaced_reasons_without(TaskIx(0), &[true]);
    assert_eq!(
        one,
        vec![
            "RESOURCE:MEMORY (resources) on 1 instance: i-2: memory: needs 8192 MiB, 7985 MiB free"
                .to_string()
        ]
    );
    assert_eq!(
        p.unplaced_reasons_without(TaskIx(0), &[true, true]),
        vec!["the cluster has no container instances".to_string()]
    );
}
