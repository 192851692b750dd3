//! Property tests of service auto scaling over random plans and workloads
//! (`service-auto-scaling.md`, `ecs-semantics.md` §4): the desired count stays within the
//! scalable target's [min, max] once scaling acts, the same plan gives the same timeline, and
//! every task that starts ends RUNNING, STOPPED, or is reported waiting or on its way.

use engine::api::placement::PlaceOptions;
use engine::api::plan::load_value;
use engine::api::sim::{simulate, TaskState};
use proptest::prelude::*;
use serde_json::{json, Value};

#[derive(Debug, Clone)]
struct Case {
    instances: usize,
    cpu: u32,
    min: u32,
    max: u32,
    desired: u32,
    target: f64,
    disable_in: bool,
    step: Option<(i64, bool)>,
    points: Vec<(u32, f64)>,
    scheduled: Option<(u32, u32, u32)>,
    load_balanced: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        1usize..4,
        prop_oneof![Just(256u32), Just(512), Just(1024)],
        0u32..4,
        1u32..12,
        20.0f64..90.0,
        any::<bool>(),
        proptest::option::of((1i64..4, any::<bool>())),
        proptest::collection::vec((0u32..7200, 0.0f64..2000.0), 1..6),
        proptest::option::of((0u32..7200, 0u32..5, 1u32..10)),
        any::<bool>(),
        0u32..20,
    )
        .prop_map(
            |(instances, cpu, min, span, target, disable_in, step, mut points, sched, lb, d)| {
                points.sort_by_key(|p| p.0);
                points.dedup_by_key(|p| p.0);
                let max = min + span;
                Case {
                    instances,
                    cpu,
                    min,
                    max,
                    desired: min + d % (span + 1),
                    target,
                    disable_in,
                    step,
                    points,
                    scheduled: sched.map(|(t, lo, extra)| (t, lo, lo + extra)),
                    load_balanced: lb,
                }
            },
        )
}

fn plan_of(c: &Case) -> engine::api::plan::Plan {
    let insts: Vec<Value> = (0..c.instances)
        .map(|i| {
            json!({"id": format!("i-{i}"), "instanceType": "m5.large",
            "availabilityZone": if i % 2 == 0 { "us-east-1a" } else { "us-east-1b" }})
        })
        .collect();
    let mut policies = vec![
        json!({"PolicyName": "cpu", "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": {"TargetValue": c.target,
            "DisableScaleIn": c.disable_in,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}}),
    ];
    if let Some((adj, pct)) = c.step {
        policies.push(json!({"PolicyName": "step", "PolicyType": "StepScaling",
            "StepScalingPolicyConfiguration": {
                "AdjustmentType": if pct { "PercentChangeInCapacity" } else { "ChangeInCapacity" },
                "StepAdjustments": [
                    {"MetricIntervalUpperBound": 0, "ScalingAdjustment": -adj * if pct { 20 } else { 1 }},
                    {"MetricIntervalLowerBound": 0, "ScalingAdjustment": adj * if pct { 50 } else { 1 }}]},
            "alarm": {"metric": "CPUUtilization", "comparison": ">=", "threshold": 70}}));
    }
    let mut scaling = json!({"minCapacity": c.min, "maxCapacity": c.max, "policies": policies});
    if let Some((t, lo, hi)) = c.scheduled {
        scaling["scheduledActions"] = json!([{"ScheduledActionName": "s",
            "Schedule": format!("at(2026-01-05T{:02}:{:02}:00)", t / 3600, t / 60 % 60),
            "ScalableTargetAction": {"MinCapacity": lo, "MaxCapacity": hi}}]);
    }
    let mut svc = json!({"serviceName": "web", "taskDefinition": "web",
        "desiredCount": c.desired, "autoScaling": scaling});
    let mut container = json!({"name": "web", "image": "web:1", "cpu": c.cpu, "memory": 512});
    if c.load_balanced {
        svc["loadBalancers"] = json!([{"targetGroupArn":
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1", "containerName": "web",
            "containerPort": 80}]);
        container["portMappings"] = json!([{"containerPort": 80, "hostPort": 0}]);
    }
    let points: Vec<Value> = c
        .points
        .iter()
        .map(|(t, v)| json!({"t": t, "value": v}))
        .collect();
    let l = load_value(json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": insts},
        "taskDefinitions": [{"family": "web", "containerDefinitions": [container]}],
        "services": [svc],
        "workload": {"services": {"web": {"requestsPerSecond": {"points": points}}}}
    }));
    assert!(!l.has_errors(), "{:#?}", l.findings);
    l.plan.unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn desired_stays_in_range_and_tasks_end_well(c in case()) {
        let plan = plan_of(&c);
        let tl = simulate(&plan, 3 * 3600, &PlaceOptions::default());
        // The range in force: the plan's, then the scheduled action's from its time on.
        let range_at = |t: u32| match c.scheduled {
            Some((at, lo, hi)) if t >= at / 60 * 60 => (lo, hi),
            _ => (c.min, c.max),
        };
        for e in tl.events.iter().filter(|e| e.kind == "desired-count") {
            let to: u32 = e.message.split('→').nth(1).unwrap().trim()
                .split(':').next().unwrap().trim().parse().unwrap();
            let (lo, hi) = range_at(e.t);
            prop_assert!(to >= lo && to <= hi, "{} at {}: {} not in [{lo}, {hi}]", e.message, e.t, to);
        }
        // Every task that started is RUNNING, STOPPED, waiting for an instance (reported), or
        // within a step of its life that ends on its own (at most the deregistration delay and
        // the stop, or the pull and the health checks).
        let reported: Vec<&str> = tl.events.iter()
            .filter(|e| e.kind == "task-unplaced")
            .filter_map(|e| e.task.as_deref())
            .collect();
        for life in &tl.tasks {
            let &(since, state) = life.states.last().unwrap();
            match state {
                TaskState::Running | TaskState::Stopped => {}
                TaskState::Provisioning => prop_assert!(
                    reported.contains(&life.task.as_str()) || since == 0,
                    "{} waits unreported", life.task),
                _ => prop_assert!(tl.duration - since <= 400,
                    "{} stuck in {state:?} since {since}", life.task),
            }
        }
    }

    #[test]
    fn the_same_plan_gives_the_same_timeline(c in case()) {
        let plan = plan_of(&c);
        let a = simulate(&plan, 3600, &PlaceOptions::default());
        let b = simulate(&plan, 3600, &PlaceOptions::default());
        prop_assert_eq!(a, b);
    }
}
