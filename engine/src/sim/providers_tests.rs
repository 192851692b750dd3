//! Capacity providers over time: cluster auto scaling (`cluster-auto-scaling.md`,
//! `ecs-semantics.md` §2.4–2.5), capacity provider strategies (`cluster-capacity-providers.md`),
//! Fargate and Fargate Spot (`fargate-capacity-providers.md`) and what the timeline costs.

use super::providers::{InstanceState, SCALE_IN_DATAPOINTS};
use super::world::TaskId;
use super::*;
use crate::load::load_value;
use crate::placement::{Launch, PlaceOptions};
use crate::plan::Plan;
use proptest::prelude::*;
use serde_json::{json, Value};

/// A plan with one Auto Scaling group capacity provider `cp` (m5.large, two zones) as the
/// cluster's default strategy, `instances` of its instances registered, and one service of
/// `desired` tasks needing `cpu` units and `memory` MiB.
fn cp_plan(instances: usize, desired: u32, cpu: u32, memory: u32, provider: Value) -> Plan {
    let insts: Vec<Value> = (0..instances)
        .map(|i| {
            json!({"id": format!("i-{i}"), "instanceType": "m5.large",
                "availabilityZone": if i % 2 == 0 { "us-east-1a" } else { "us-east-1b" },
                "capacityProvider": "cp"})
        })
        .collect();
    let mut cp = json!({
        "name": "cp",
        "autoScalingGroupProvider": {
            "autoScalingGroupArn": "arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:uuid:autoScalingGroupName/asg",
            "managedScaling": {"status": "ENABLED", "targetCapacity": 100, "instanceWarmupPeriod": 300}
        },
        "autoScalingGroup": {"InstanceTypes": ["m5.large"], "AvailabilityZones": ["us-east-1a", "us-east-1b"],
            "MinSize": 0, "MaxSize": 20}
    });
    merge(&mut cp, provider);
    let l = load_value(json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": insts,
            "capacityProviders": [cp],
            "defaultCapacityProviderStrategy": [{"capacityProvider": "cp", "weight": 1}]},
        "taskDefinitions": [{"family": "app", "containerDefinitions": [
            {"name": "app", "image": "app:1", "cpu": cpu, "memory": memory}]}],
        "services": [{"serviceName": "app", "taskDefinition": "app", "desiredCount": desired}]
    }));
    assert!(l.plan.is_some(), "{:#?}", l.findings);
    l.plan.unwrap()
}

fn merge(a: &mut Value, b: Value) {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(&k) {
                    Some(x) if x.is_object() && v.is_object() => merge(x, v),
                    _ => {
                        a.insert(k, v);
                    }
                }
            }
        }
        (a, b) => *a = b,
    }
}

/// Runs the plan to `horizon`, changing service desired counts at the given seconds.
fn run(plan: &Plan, horizon: u32, changes: &[(u32, usize, u32)]) -> Timeline {
    let mut sim = Sim::steady(plan, &PlaceOptions::default());
    sim.tick_every_minute(horizon);
    for &(t, s, d) in changes {
        sim.run_until(t);
        sim.set_desired(s, d, "set by the test");
    }
    finish(sim, horizon)
}

fn finish(mut sim: Sim, horizon: u32) -> Timeline {
    sim.run_until(horizon);
    sim.world.timeline.duration = horizon;
    sim.world.timeline.instances = sim.providers.lives();
    sim.world.timeline.cost = Some(sim.cost());
    sim.world.timeline
}

fn events<'a>(tl: &'a Timeline, kind: &str) -> Vec<&'a SimEvent> {
    tl.events.iter().filter(|e| e.kind.code() == kind).collect()
}

fn provider_at(tl: &Timeline, t: u32) -> ProviderMinute {
    let m = tl
        .minutes
        .iter()
        .find(|m| m.t == t)
        .expect("a minute sample");
    m.capacity_providers[0].clone()
}

fn alive(tl: &Timeline) -> usize {
    tl.instances
        .iter()
        .filter(|i| i.state != InstanceState::Terminated)
        .count()
}

// cluster-auto-scaling.md, "Scale-out considerations": "When a scale-out process is required
// and there are no available container instances ... Amazon ECS always scales-out to 200%
// (two instances)". ecs-semantics.md §2.4: N = 0 and M > 0 → CPR 200.
#[test]
fn from_zero_instances_cpr_is_200_and_the_group_goes_to_two() {
    let plan = cp_plan(0, 3, 1024, 1024, json!({}));
    let tl = run(&plan, 1800, &[]);
    let p0 = provider_at(&tl, 0);
    assert_eq!((p0.instances, p0.reservation), (0, Some(200.0)));
    let out = events(&tl, "cluster-scale-out");
    assert_eq!(out[0].t, 0);
    assert!(
        out[0].message.contains("desired capacity 0 → 2"),
        "{}",
        out[0].message
    );
    assert!(out[0].message.contains("200%"), "{}", out[0].message);
    // Two m5.large hold 4 tasks of 1024 CPU units: no second scale-out.
    assert_eq!(out.len(), 1, "{out:#?}");
    let launch = Timings::default().instance_launch;
    let reg = events(&tl, "instance-registered");
    assert_eq!(reg.len(), 2);
    assert!(reg.iter().all(|e| e.t == launch));
    // The tasks waited in PROVISIONING until the instances registered, then ran.
    for life in &tl.tasks {
        assert_eq!(life.states[0], (0, TaskState::Provisioning));
        let pending = life
            .states
            .iter()
            .find(|s| s.1 == TaskState::Pending)
            .unwrap();
        assert_eq!(pending.0, launch);
        assert!(life.states.iter().any(|s| s.1 == TaskState::Running));
    }
    let last = tl.minutes.last().unwrap();
    assert_eq!(last.services[0].running, 3);
    assert_eq!(last.capacity_providers[0].reservation, Some(100.0));
    assert_eq!(alive(&tl), 2);
}

// "Managed scale-out behavior", steps 3–5, and ecs-semantics.md §2.4: with tasks waiting,
// M = N + X, X from binpacking the waiting tasks on the largest type, then bounded by the step
// sizes; further scale-out waits for instanceWarmupPeriod.
#[test]
fn waiting_tasks_give_m_n_plus_x_bounded_by_the_step_sizes() {
    // One m5.large (2048 units) runs 2 of 7 tasks of 1024 units; 5 wait: binpack needs 3
    // more instances, maximumScalingStepSize 2 makes X = 2: CPR (1 + 2) / 1 = 300 %.
    let plan = cp_plan(
        1,
        7,
        1024,
        1024,
        json!({"autoScalingGroupProvider": {"managedScaling": {"maximumScalingStepSize": 2}}}),
    );
    let tl = run(&plan, 3600, &[]);
    let p0 = provider_at(&tl, 0);
    assert_eq!((p0.instances, p0.reservation), (1, Some(300.0)));
    let out = events(&tl, "cluster-scale-out");
    assert!(
        out[0].message.contains("desired capacity 1 → 3"),
        "{}",
        out[0].message
    );
    assert!(
        out[0]
            .message
            .contains("binpack on the largest type needs 3, step sizes make X 2"),
        "{}",
        out[0].message
    );
    // Three instances hold 6 tasks; the 7th waits, but the new instances are warming up (300 s
    // from their launch at 0): the next scale-out comes at 300 s.
    let blocked = events(&tl, "cluster-scale-out-blocked");
    assert!(
        blocked
            .iter()
            .any(|e| e.message.contains("instanceWarmupPeriod")),
        "{blocked:#?}"
    );
    assert_eq!(out[1].t, 300, "{out:#?}");
    assert!(
        out[1].message.contains("desired capacity 3 → 4"),
        "{}",
        out[1].message
    );
    let last = tl.minutes.last().unwrap();
    assert_eq!(last.services[0].running, 7);
    assert_eq!(last.capacity_providers[0].instances, 4);
}

// "Managed scale-in behavior" and "Scale-in considerations": 2 empty instances of 10 bring the
// metric to 80 %; the low alarm needs 15 one-minute datapoints; with managed termination
// protection only the empty instances go.
#[test]
fn two_empty_of_ten_scale_in_after_15_minutes() {
    let plan = cp_plan(
        10,
        8,
        2048,
        1024,
        json!({"autoScalingGroupProvider": {"managedTerminationProtection": "ENABLED"}}),
    );
    let tl = run(&plan, 3600, &[]);
    assert_eq!(provider_at(&tl, 0).reservation, Some(80.0));
    let ins = events(&tl, "cluster-scale-in");
    assert_eq!(ins.len(), 1, "{ins:#?}");
    // Datapoints at 0, 60, ..., the 15th at 840 s.
    assert_eq!(ins[0].t, (SCALE_IN_DATAPOINTS - 1) * 60);
    assert!(
        ins[0].message.contains("desired capacity 10 → 8"),
        "{}",
        ins[0].message
    );
    assert_eq!(provider_at(&tl, 780).reservation, Some(80.0));
    let term = events(&tl, "instance-terminated");
    assert_eq!(term.len(), 2);
    assert!(events(&tl, "task-stopped").is_empty());
    assert_eq!(provider_at(&tl, 900).reservation, Some(100.0));
    assert_eq!(tl.minutes.last().unwrap().services[0].running, 8);
}

// "Target tracking considerations": targetCapacity 90 keeps about 10 % of the instances free.
// Nine busy instances: CPR 100 > 90, so the group goes to ceil(9 × 100 / 90) = 10 and then
// holds at 90 %.
#[test]
fn target_capacity_90_keeps_a_spare_instance() {
    let plan = cp_plan(
        9,
        9,
        2048,
        1024,
        json!({"autoScalingGroupProvider": {"managedScaling": {"targetCapacity": 90}}}),
    );
    let tl = run(&plan, 7200, &[]);
    let out = events(&tl, "cluster-scale-out");
    assert_eq!(out.len(), 1);
    assert!(
        out[0].message.contains("ceil(M 9 × 100 / 90) = 10"),
        "{}",
        out[0].message
    );
    assert!(events(&tl, "cluster-scale-in").is_empty());
    let last = tl.minutes.last().unwrap();
    assert_eq!(last.capacity_providers[0].instances, 10);
    assert_eq!(last.capacity_providers[0].reservation, Some(90.0));
}

// asg-capacity-providers.md: "If the Auto Scaling group can't scale out to accommodate the
// number of tasks run, the tasks fail to transition beyond the PROVISIONING state."
#[test]
fn max_size_leaves_tasks_in_provisioning() {
    let plan = cp_plan(
        0,
        6,
        2048,
        1024,
        json!({"autoScalingGroup": {"MaxSize": 3}, "autoScalingGroupProvider": {"managedScaling": {"instanceWarmupPeriod": 60}}}),
    );
    let tl = run(&plan, 3600, &[]);
    let last = tl.minutes.last().unwrap();
    assert_eq!(last.capacity_providers[0].instances, 3);
    assert_eq!(last.services[0].running, 3);
    assert_eq!(last.services[0].pending, 3);
    assert!(events(&tl, "cluster-scale-out-blocked")
        .iter()
        .any(|e| e.message.contains("MaxSize 3")));
}

// A service that scales out and has to wait for instances: its new tasks are PROVISIONING
// until the instances the capacity provider adds register, then RUNNING.
#[test]
fn scaled_out_service_waits_for_instances() {
    let plan = cp_plan(2, 4, 1024, 1024, json!({}));
    let tl = run(&plan, 3600, &[(600, 0, 8)]);
    let series = tl.service("app").unwrap();
    let at = |t| series.at(t).unwrap().clone();
    assert_eq!(at(600).desired, 8);
    assert_eq!(at(600).pending, 4);
    // The minute tick at 600 came before the change: the next datapoint, at 660, scales out.
    let out = events(&tl, "cluster-scale-out");
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].t, 660);
    assert!(
        out[0].message.contains("desired capacity 2 → 4"),
        "{}",
        out[0].message
    );
    let reg = Timings::default().instance_launch + 660;
    let new: Vec<&TaskLife> = tl.tasks.iter().filter(|l| l.states[0].0 == 600).collect();
    assert_eq!(new.len(), 4);
    for l in new {
        assert_eq!(l.states[0].1, TaskState::Provisioning);
        let p = l.states.iter().find(|s| s.1 == TaskState::Pending).unwrap();
        assert_eq!(p.0, reg);
        assert!(l.states.iter().any(|s| s.1 == TaskState::Running));
    }
    assert_eq!(at(3600).running, 8);
}

// cluster-auto-scaling.md, "Managed termination protection": ECS only lets the group
// terminate instances without non-daemon tasks. Tasks spread over every instance keep all of
// them, whatever the metric.
#[test]
fn managed_termination_protection_keeps_instances_with_tasks() {
    // 4 instances, 4 tasks spread one per instance, then 2 of them stop.
    let plan = cp_plan(
        4,
        4,
        256,
        256,
        json!({"autoScalingGroupProvider": {"managedTerminationProtection": "ENABLED"}}),
    );
    let tl = run(&plan, 4 * 3600, &[(60, 0, 2)]);
    for e in events(&tl, "instance-terminated") {
        assert!(!e.message.contains("termination policy"), "{}", e.message);
    }
    assert!(events(&tl, "task-stopped").is_empty());
    assert_eq!(events(&tl, "instance-terminated").len(), 2);
    assert_eq!(tl.minutes.last().unwrap().services[0].running, 2);
}

// container-instance-draining (ecs-semantics.md §2.5): with managed draining the instance
// scale-in takes goes DRAINING; its service tasks are replaced within minimumHealthyPercent
// and maximumPercent, and the instance is terminated when none is left.
#[test]
fn managed_draining_replaces_tasks_before_termination() {
    // 3 instances, 2 tasks of 2048 units (one per instance), 1 empty instance. Without
    // termination protection the group's policy picks the oldest instance of the fullest zone,
    // which runs a task.
    let plan = cp_plan(
        3,
        2,
        1024,
        1024,
        json!({"autoScalingGroupProvider": {"managedDraining": "ENABLED"}}),
    );
    let tl = run(&plan, 3 * 3600, &[]);
    let draining = events(&tl, "instance-draining");
    assert_eq!(draining.len(), 1, "{:#?}", tl.events);
    let inst = draining[0].instance.clone().unwrap();
    let term = events(&tl, "instance-terminated");
    assert_eq!(term[0].instance.as_deref(), Some(&*inst));
    assert!(term[0].t > draining[0].t);
    // The task on it was replaced first (minimumHealthyPercent 100 %: a new one is healthy
    // before the old one stops), never killed with the instance.
    assert!(events(&tl, "task-stopped").is_empty());
    let stops: Vec<&SimEvent> = events(&tl, "task-stopping")
        .into_iter()
        .filter(|e| e.message.contains("DRAINING"))
        .collect();
    assert!(!stops.is_empty());
    let series = tl.service("app").unwrap();
    assert!(series.samples.iter().all(|s| s.running >= 2 || s.t == 0));
    assert_eq!(tl.minutes.last().unwrap().services[0].running, 2);
}

// Without managed draining the terminated instance's tasks stop with it and the scheduler
// starts replacements.
#[test]
fn without_draining_tasks_die_with_the_instance() {
    let plan = cp_plan(
        3,
        2,
        1024,
        1024,
        json!({"autoScalingGroupProvider": {"managedDraining": "DISABLED"}}),
    );
    let tl = run(&plan, 3 * 3600, &[]);
    let stopped = events(&tl, "task-stopped");
    assert!(!stopped.is_empty());
    assert!(stopped[0].message.contains("was terminated"));
    assert_eq!(tl.minutes.last().unwrap().services[0].running, 2);
}

fn fargate_plan(desired: u32, strategy: Value, extra: Value) -> Plan {
    let mut p = json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": []},
        "taskDefinitions": [{"family": "api", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
            "cpu": "512", "memory": "1024",
            "containerDefinitions": [{"name": "api", "image": "api:1"}]}],
        "services": [{"serviceName": "api", "taskDefinition": "api", "desiredCount": desired,
            "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}}}]
    });
    if strategy.is_string() {
        p["services"][0]["launchType"] = strategy;
    } else {
        p["services"][0]["capacityProviderStrategy"] = strategy;
    }
    merge(&mut p, extra);
    let l = load_value(p);
    assert!(l.plan.is_some(), "{:#?}", l.findings);
    l.plan.unwrap()
}

// cluster-capacity-providers.md, "Capacity provider strategies" (ecs-semantics.md §2.1):
// FARGATE base 2 weight 1, FARGATE_SPOT weight 3, desired 10 → 4 on FARGATE, 6 on Spot; the
// tasks never wait for instances.
#[test]
fn fargate_strategy_worked_example_holds_over_time() {
    let plan = fargate_plan(
        10,
        json!([{"capacityProvider": "FARGATE", "base": 2, "weight": 1},
               {"capacityProvider": "FARGATE_SPOT", "weight": 3}]),
        json!({}),
    );
    let mut sim = Sim::steady(&plan, &PlaceOptions::default());
    let count = |sim: &Sim| {
        let mut c = (0, 0);
        for (i, t) in sim.world.tasks.iter().enumerate() {
            if !sim.world.is_active(TaskId(i as u32)) {
                continue;
            }
            let spec = sim.world.placement.tasks[t.ptask].spec;
            match &sim.world.placement.specs[spec].launch {
                Launch::Fargate { provider } if provider == "FARGATE" => c.0 += 1,
                Launch::Fargate { .. } => c.1 += 1,
                _ => {}
            }
        }
        c
    };
    assert_eq!(count(&sim), (4, 6));
    sim.tick_every_minute(3600);
    sim.run_until(600);
    sim.set_desired(0, 3, "test");
    sim.run_until(1200);
    // Scale-in keeps the base on FARGATE: 2 base + 1 on Spot.
    assert_eq!(count(&sim), (2, 1));
    sim.set_desired(0, 10, "test");
    sim.run_until(1260);
    assert_eq!(count(&sim), (4, 6));
    // Fargate tasks never wait in PROVISIONING.
    let tl = finish(sim, 3600);
    for l in &tl.tasks {
        assert!(l
            .states
            .iter()
            .all(|s| s.1 != TaskState::Provisioning || s.0 == l.states[0].0));
        assert!(l
            .states
            .get(1)
            .is_none_or(|s| s.1 != TaskState::Provisioning));
    }
}

// fargate-capacity-providers.md, "Handling Fargate Spot termination notices": a two-minute
// warning (TerminationNotice, SIGTERM), and the service scheduler launches a replacement on
// Fargate Spot.
#[test]
fn fargate_spot_interruptions_are_replaced_on_spot() {
    let plan = fargate_plan(
        6,
        json!([{"capacityProvider": "FARGATE_SPOT", "weight": 1}]),
        json!({"settings": {"simulation": {"fargateSpotInterruptionRate": 1.0}}}),
    );
    let tl = run(&plan, 4 * 3600, &[]);
    let ints = events(&tl, "spot-interruption");
    assert!(ints.len() >= 5, "{} interruptions", ints.len());
    for e in &ints {
        assert!(e.message.contains("TerminationNotice"));
        let life = tl
            .tasks
            .iter()
            .find(|l| Some(&l.task) == e.task.as_ref())
            .unwrap();
        let stopped = life
            .states
            .iter()
            .find(|s| s.1 == TaskState::Stopped)
            .unwrap();
        assert!(stopped.0 <= e.t + 120 && stopped.0 >= e.t, "{life:?}");
        // A replacement started at the same second.
        assert!(tl
            .tasks
            .iter()
            .any(|l| l.states[0].0 == e.t && l.task != life.task));
    }
    // Without the setting: no interruption.
    let calm = fargate_plan(
        6,
        json!([{"capacityProvider": "FARGATE_SPOT", "weight": 1}]),
        json!({}),
    );
    assert!(events(&run(&calm, 4 * 3600, &[]), "spot-interruption").is_empty());
}

// "the service scheduler receives the interruption signal and attempts to launch additional
// tasks on Fargate Spot": replacements join the strategy's mix where the interrupted task was,
// so FARGATE base 2 + FARGATE_SPOT weight 3 stays 4 + 6.
#[test]
fn interrupted_spot_tasks_keep_the_strategy_mix() {
    let plan = fargate_plan(
        10,
        json!([{"capacityProvider": "FARGATE", "base": 2, "weight": 1},
               {"capacityProvider": "FARGATE_SPOT", "weight": 3}]),
        json!({"settings": {"simulation": {"fargateSpotInterruptionRate": 2.0}}}),
    );
    let mut sim = Sim::steady(&plan, &PlaceOptions::default());
    sim.tick_every_minute(3 * 3600);
    sim.run_until(3 * 3600);
    let mut mix = (0, 0);
    for (i, t) in sim.world.tasks.iter().enumerate() {
        if sim.world.is_active(TaskId(i as u32)) {
            match &sim.world.placement.specs[sim.world.placement.tasks[t.ptask].spec].launch {
                Launch::Fargate { provider } if provider == "FARGATE" => mix.0 += 1,
                _ => mix.1 += 1,
            }
        }
    }
    assert_eq!(mix, (4, 6));
    let n = events(&sim.world.timeline, "spot-interruption").len();
    assert!(n >= 20, "{n} interruptions");
    // Only Spot tasks are interrupted.
    assert!(sim
        .world
        .timeline
        .events
        .iter()
        .filter(|e| e.kind.code() == "spot-interruption")
        .all(|e| {
            let t = sim
                .world
                .placement
                .task_index(e.task.as_deref().unwrap())
                .unwrap();
            sim.world.placement.specs[sim.world.placement.tasks[t].spec].launch
                == Launch::Fargate {
                    provider: "FARGATE_SPOT".into(),
                }
        }));
}

// The price table's Fargate Spot fraction: the same plan for the same hour costs
// FARGATE_SPOT_FRACTION as much on FARGATE_SPOT as on FARGATE.
#[test]
fn fargate_spot_costs_the_documented_fraction_of_fargate() {
    let od = fargate_plan(4, json!("FARGATE"), json!({}));
    let spot = fargate_plan(
        4,
        json!([{"capacityProvider": "FARGATE_SPOT", "weight": 1}]),
        json!({}),
    );
    let a = run(&od, 3600, &[]).cost.unwrap();
    let b = run(&spot, 3600, &[]).cost.unwrap();
    // 4 tasks × (0.5 vCPU × 0.04048 + 1 GB × 0.004445) × 1 h.
    let expected = 4.0 * (0.5 * 0.04048 + 1.0 * 0.004445);
    assert!((a.total - expected).abs() < 1e-9, "{}", a.total);
    assert!((a.fargate - expected).abs() < 1e-9);
    let ratio = b.total / a.total;
    assert!(
        (ratio - prices::FARGATE_SPOT_FRACTION).abs() < 1e-4,
        "{ratio}"
    );
    assert!((b.fargate_spot - b.total).abs() < 1e-12);
    assert!((a.all_fargate_spot - b.total).abs() < 1e-9);
    assert!(a.prices.contains("prices as of"));
    assert_eq!(a.by_service[0].service, "api");
}

// EC2: instance-hours × the hourly price; each service gets the share of the instances its
// tasks reserve, the rest is unallocated.
#[test]
fn ec2_cost_is_instance_seconds_times_price() {
    let plan = cp_plan(
        2,
        2,
        1024,
        1024,
        json!({"autoScalingGroupProvider": {"managedScaling": {"status": "DISABLED"}}}),
    );
    let c = run(&plan, 3600, &[]).cost.unwrap();
    assert!((c.ec2 - 2.0 * 0.096).abs() < 1e-12, "{}", c.ec2);
    assert_eq!(c.by_provider[0].provider, "cp");
    assert_eq!(c.by_provider[0].seconds, 7200);
    // Each task reserves half an m5.large's CPU.
    assert!(
        (c.by_service[0].ec2 - 0.096).abs() < 1e-9,
        "{}",
        c.by_service[0].ec2
    );
    assert!((c.ec2_unallocated - 0.096).abs() < 1e-9);
    assert!(c.all_fargate > 0.0 && c.all_fargate_spot < c.all_fargate);
}

// Instances launched during the run cost from their launch; terminated ones until then.
#[test]
fn launched_and_terminated_instances_are_billed_for_their_life() {
    let plan = cp_plan(0, 3, 1024, 1024, json!({}));
    let tl = run(&plan, 3600, &[]);
    let c = tl.cost.unwrap();
    assert_eq!(c.instances.len(), 2);
    assert!(c.instances.iter().all(|i| i.seconds == 3600));
    assert!((c.ec2 - 2.0 * 0.096).abs() < 1e-9);
}

// ---------------------------------------------------------------------------------------
// Properties over random plans.

fn random_plan() -> impl Strategy<Value = (Plan, Vec<(u32, usize, u32)>)> {
    (
        0..5usize,
        0..12u32,
        prop::sample::select(vec![256u32, 512, 1024, 2048]),
        prop::sample::select(vec![256u32, 1024, 3000]),
        (0..3u32, 2..8u32, 50..=100u32, 1..4u32, 1..20u32),
        (prop::bool::ANY, prop::bool::ANY, prop::bool::ANY, prop::bool::weighted(0.25)),
        prop::collection::vec((1..20u32, 0..16u32), 0..4),
    )
        .prop_map(
            |(n, desired, cpu, mem, (min, max, target, maxstep, warm), (protect, drain, pct, port), changes)| {
                let provider = json!({
                    "autoScalingGroupProvider": {
                        "managedScaling": {"targetCapacity": target, "maximumScalingStepSize": maxstep,
                            "instanceWarmupPeriod": warm * 30},
                        "managedTerminationProtection": if protect { "ENABLED" } else { "DISABLED" },
                        "managedDraining": if drain { "ENABLED" } else { "DISABLED" }},
                    "autoScalingGroup": {"MinSize": min, "MaxSize": max.max(min)}
                });
                let mut plan = cp_plan(n, desired, cpu, mem, provider);
                if pct {
                    plan.services[0].deployment_configuration =
                        Some(crate::plan::Written::from_value(json!({"minimumHealthyPercent": 50, "maximumPercent": 150})).unwrap());
                }
                if port {
                    // A static host port: one task per instance.
                    let mut td = serde_json::to_value(&plan.task_definitions[0]).unwrap();
                    td["containerDefinitions"][0]["portMappings"] =
                        json!([{"containerPort": 80, "hostPort": 80}]);
                    plan.task_definitions[0] = serde_json::from_value(td).unwrap();
                }
                let changes = changes
                    .into_iter()
                    .map(|(minute, d)| (minute * 300, 0usize, d))
                    .collect::<Vec<_>>();
                let mut changes = changes;
                changes.sort();
                (plan, changes)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    // No instance is ever oversubscribed; the group stays within MinSize/MaxSize (beyond the
    // instances the plan lists); termination protection never takes an instance with tasks.
    #[test]
    fn capacity_invariants_hold_every_minute((plan, changes) in random_plan()) {
        let horizon = 2 * 3600;
        let mut sim = Sim::steady(&plan, &PlaceOptions::default());
        sim.tick_every_minute(horizon);
        let asg = plan.cluster.capacity_providers[0].auto_scaling_group.clone().unwrap();
        let (min, max) = (asg.min_size.unwrap(), asg.max_size.unwrap());
        let listed = plan.cluster.container_instances.len() as u32;
        let mut next = 0;
        let mut t = 0;
        while t <= horizon {
            while next < changes.len() && changes[next].0 <= t {
                sim.run_until(changes[next].0);
                sim.set_desired(0, changes[next].2, "set by the test");
                next += 1;
            }
            sim.run_until(t);
            for (i, n) in sim.world.placement.cluster.indexed() {
                let u = &sim.world.placement.state.usage[i];
                prop_assert!(u.cpu <= n.registered.cpu, "{} cpu {} > {}", n.id, u.cpu, n.registered.cpu);
                prop_assert!(u.memory <= n.registered.memory_mib);
                if sim.world.is_retired(i) {
                    prop_assert!(u.tasks.is_empty());
                }
            }
            let g = &sim.providers.groups[0];
            prop_assert!(g.desired >= min && g.desired <= max.max(listed), "desired {}", g.desired);
            let alive = sim.providers.instances.iter().filter(|i| matches!(i.life.state, InstanceState::Launching | InstanceState::InService)).count() as u32;
            prop_assert!(alive <= max.max(listed), "{alive} instances, MaxSize {max}");
            t += 60;
        }
        let tl = finish(sim, horizon);
        let protected = plan.cluster.capacity_providers[0].auto_scaling_group_provider.as_ref().unwrap().managed_termination_protection.as_deref() == Some("ENABLED");
        if protected {
            prop_assert!(events(&tl, "task-stopped").is_empty());
        }
        // The same plan gives the same timeline. (Compared run against run: a run stopped and
        // resumed at a second where the scheduler acted can differ, because a second
        // reconcile pass in the same second may stop tasks the first left.)
        let once = run(&plan, horizon, &changes);
        let again = run(&plan, horizon, &changes);
        prop_assert!(once == again, "the same plan gave another timeline");
    }
}

/// The instance the group's first scale-in takes (drained or terminated), and when.
fn first_scale_in(tl: &Timeline) -> (u32, String) {
    let e = tl
        .events
        .iter()
        .find(|e| matches!(e.kind.code(), "instance-draining" | "instance-terminated"))
        .expect("a scale-in");
    (e.t, e.instance.as_deref().unwrap_or_default().to_string())
}

#[test]
fn without_termination_protection_the_groups_termination_policies_choose_the_instance() {
    // cluster-auto-scaling.md, "Scale-in": "If you don't use capacity provider managed
    // termination, the Auto Scaling group selects EC2 instances using the Auto Scaling group
    // termination policy". Two instances are there at the start (i-0, i-1); the service grows
    // to 4 tasks of a whole instance each, the group launches two more, and then shrinks to 1.
    let at = |policies: Value| {
        let plan = cp_plan(
            2,
            2,
            2048,
            1024,
            json!({"autoScalingGroup": {"TerminationPolicies": policies}}),
        );
        let tl = run(&plan, 3 * 3600, &[(60, 0, 4), (2700, 0, 1)]);
        let launched: Vec<(String, Option<u32>)> = tl
            .instances
            .iter()
            .map(|i| (i.instance.clone(), i.launched))
            .collect();
        (first_scale_in(&tl), launched)
    };
    let ((t, oldest), launched) = at(json!(["OldestInstance"]));
    assert_eq!(launched.len(), 4, "{launched:?}");
    assert_eq!(oldest, "i-0");
    let ((_, newest), _) = at(json!(["NewestInstance"]));
    assert!(newest != "i-0" && newest != "i-1", "{newest}");
    // The default policy (no TerminationPolicies, or ["Default"]): closest to the next
    // instance hour, with the instances of the start counted from second 0.
    let into_hour = |id: &str| {
        let l = launched
            .iter()
            .find(|(i, _)| i == id)
            .unwrap()
            .1
            .unwrap_or(0);
        (t - l) % 3600
    };
    let ((_, default), _) = at(json!([]));
    let ((_, named), _) = at(json!(["Default"]));
    assert_eq!(default, named);
    let best = launched.iter().map(|(i, _)| into_hour(i)).max().unwrap();
    assert_eq!(into_hour(&default), best, "{launched:?} at {t}");
    assert_ne!(default, oldest, "at {t} the oldest is early in its hour");
}

// cluster-auto-scaling.md, "Managed scale-out behavior", step 1: "If a task doesn't have a
// capacity provider strategy, then that task is ignored by capacity providers. A pending task
// that doesn't have a capacity provider strategy won't cause any capacity provider to scale
// out." One m5.large of `cp` holds one of three 2-vCPU tasks: with the cluster's default
// strategy the two waiting tasks scale `cp` out; with the EC2 launch type they do not, and the
// reservation stays at 100 (the instance runs a task, nothing waits for the provider).
#[test]
fn a_pending_task_without_a_capacity_provider_strategy_does_not_scale_any_capacity_provider() {
    let with_strategy = cp_plan(1, 3, 2048, 1024, json!({}));
    let tl = run(&with_strategy, 1800, &[]);
    assert!(!events(&tl, "cluster-scale-out").is_empty());
    assert!(provider_at(&tl, 0).reservation > Some(100.0));
    let mut launch_type = with_strategy.clone();
    launch_type.services[0].launch_type = Some(crate::plan::LaunchType::Ec2);
    let tl = run(&launch_type, 1800, &[]);
    assert!(
        events(&tl, "cluster-scale-out").is_empty(),
        "{:#?}",
        events(&tl, "cluster-scale-out")
    );
    assert!(tl
        .minutes
        .iter()
        .all(|m| m.capacity_providers[0].reservation == Some(100.0)));
    assert_eq!(alive(&tl), 1);
    assert_eq!(tl.minutes.last().unwrap().services[0].running, 1);
}

// cluster-auto-scaling.md, "Cluster Auto Scaling considerations": "When managed scaling is
// turned off, the capacity provider doesn't scale in or scale out." Tasks wait with no
// instance launched; an empty instance is kept.
#[test]
fn when_managed_scaling_is_turned_off_the_capacity_provider_doesnt_scale_in_or_scale_out() {
    let off = json!({"autoScalingGroupProvider": {"managedScaling": {"status": "DISABLED"}}});
    let waiting = cp_plan(0, 3, 1024, 1024, off.clone());
    let tl = run(&waiting, 3600, &[]);
    assert!(events(&tl, "cluster-scale-out").is_empty());
    assert!(events(&tl, "instance-launched").is_empty());
    assert_eq!(tl.minutes.last().unwrap().services[0].running, 0);
    // Two instances, the service goes to 0 at once: with managed scaling on, the empty
    // instances go after 15 minutes; with it off, they stay for the hour.
    let on = run(&cp_plan(2, 2, 1024, 1024, json!({})), 3600, &[(60, 0, 0)]);
    assert!(!events(&on, "cluster-scale-in").is_empty());
    let tl = run(&cp_plan(2, 2, 1024, 1024, off), 3600, &[(60, 0, 0)]);
    assert!(events(&tl, "cluster-scale-in").is_empty());
    assert_eq!(alive(&tl), 2);
}

// fargate-capacity-providers.md, "Handling Fargate Spot termination notices": the scheduler
// launches on Fargate Spot "if there's capacity available", and "a service with only one task
// is interrupted until capacity is available". From 600 s to 1800 s Fargate Spot has none:
// the service scales from 2 to 6 at 900 s; the FARGATE base tasks start at once, the
// FARGATE_SPOT ones wait in PROVISIONING (not moved to FARGATE) and start at 1800 s.
#[test]
fn fargate_spot_tasks_wait_while_spot_capacity_is_unavailable() {
    let plan = fargate_plan(
        2,
        json!([{"capacityProvider": "FARGATE", "base": 3, "weight": 0},
               {"capacityProvider": "FARGATE_SPOT", "weight": 1}]),
        json!({"settings": {"simulation": {"fargateSpotUnavailable": [
            {"fromSecond": 600, "toSecond": 1800}]}}}),
    );
    let tl = run(&plan, 3600, &[(900, 0, 6)]);
    let waits = events(&tl, "task-unplaced");
    assert_eq!(waits.len(), 3, "{waits:#?}");
    assert!(waits
        .iter()
        .all(|e| e.t == 900 && e.message.contains("Fargate Spot capacity is not available")));
    let started: Vec<u32> = events(&tl, "task-started")
        .iter()
        .filter(|e| e.t >= 900)
        .map(|e| e.t)
        .collect();
    // One FARGATE task (the base of 3) at 900 s, three FARGATE_SPOT tasks at 1800 s.
    assert_eq!(started, vec![900, 1800, 1800, 1800], "{started:?}");
    assert_eq!(tl.minutes.last().unwrap().services[0].running, 6);
}
