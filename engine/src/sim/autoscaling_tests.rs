//! Service auto scaling in the simulator, against `service-auto-scaling.md`,
//! `service-autoscaling-targettracking.md`, `service-autoscaling-stepscaling.md`,
//! `ecs-semantics.md` §4 and the AAS API model (`StepScalingPolicyConfiguration`,
//! `StepAdjustment`, `TargetTrackingScalingPolicyConfiguration`).

use crate::load::load_value;
use crate::placement::PlaceOptions;
use crate::plan::autoscaling::{
    check_steps, AdjustmentType, Alarm, Comparison, Metric, Statistic, Step, StepScaling,
};
use crate::plan::Plan;
use crate::plan::Written;
use crate::sim::policies::*;
use crate::sim::{simulate, Sim, Timeline};
use serde_json::{json, Value};

/// One service `web` (1 vCPU, 2 GiB, no load balancer) on `instances` m5.xlarge (4 vCPU), with
/// `auto_scaling` and the service's `workload`.
fn plan(desired: u32, instances: usize, auto_scaling: Value, workload: Value) -> Plan {
    let insts: Vec<Value> = (0..instances)
        .map(|i| {
            json!({"id": format!("i-{i}"), "instanceType": "m5.xlarge",
            "availabilityZone": if i % 2 == 0 { "us-east-1a" } else { "us-east-1b" }})
        })
        .collect();
    let mut svc = json!({"serviceName": "web", "taskDefinition": "web", "desiredCount": desired});
    if !auto_scaling.is_null() {
        svc["autoScaling"] = auto_scaling;
    }
    let mut p = json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": insts},
        "taskDefinitions": [{"family": "web", "containerDefinitions": [
            {"name": "web", "image": "web:1", "cpu": 1024, "memory": 2048}]}],
        "services": [svc]
    });
    if !workload.is_null() {
        p["workload"] = json!({"services": {"web": workload}});
    }
    let l = load_value(p);
    assert!(!l.has_errors(), "{:#?}", l.findings);
    l.plan.unwrap()
}

fn cpu_policy(target: f64, extra: Value) -> Value {
    let mut c = json!({"TargetValue": target,
        "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}});
    if let Value::Object(m) = extra {
        for (k, v) in m {
            c[k] = v;
        }
    }
    json!({"PolicyName": "cpu", "PolicyType": "TargetTrackingScaling",
           "TargetTrackingScalingPolicyConfiguration": c})
}

/// Requests per second: `before` until `at` seconds, then `after`; 100 requests per second take
/// one task to 100 % CPU.
fn step_load(before: f64, at: u32, after: f64) -> Value {
    json!({"requestsPerSecond": {"points": [
        {"t": 0, "value": before}, {"t": at, "value": before}, {"t": at + 1, "value": after}]},
        "requestsPerTaskAt100Percent": 100})
}

fn run(plan: &Plan, secs: u32) -> Timeline {
    simulate(plan, secs, &PlaceOptions::default())
}

/// (second, new desired count, message) of every desired-count change.
fn changes(tl: &Timeline) -> Vec<(u32, u32, String)> {
    tl.events
        .iter()
        .filter(|e| e.kind.code() == "desired-count")
        .map(|e| {
            let to = e
                .message
                .split('→')
                .nth(1)
                .and_then(|r| r.trim().split(':').next())
                .and_then(|n| n.trim().parse().ok())
                .unwrap();
            (e.t, to, e.message.clone())
        })
        .collect()
}

fn minute(tl: &Timeline, t: u32) -> crate::sim::ServiceMinute {
    tl.minutes.iter().find(|m| m.t == t).unwrap().services[0].clone()
}

#[test]
fn tracking_capacity_rounds_up_when_adding() {
    // service-autoscaling-targettracking.md: "rounding up or down ... conservatively".
    assert_eq!(tracking_capacity(4.0, 90.0, 60.0), 6);
    assert_eq!(tracking_capacity(4.0, 61.0, 60.0), 5);
    assert_eq!(tracking_capacity(4.0, 60.0, 60.0), 4);
    assert_eq!(tracking_capacity(3.0, 20.0, 60.0), 1);
    assert_eq!(tracking_capacity(10.0, 53.9, 60.0), 9);
    assert_eq!(tracking_capacity(3.0, 100.0 / 3.0 * 2.0, 200.0 / 3.0), 3);
}

#[test]
fn percent_change_is_rounded_as_documented() {
    // API model, StepScalingPolicyConfiguration.MinAdjustmentMagnitude: "25 percent of 4 is 1.
    // However, because you specified a MinAdjustmentMagnitude of 2, ... scales out by 2 tasks."
    assert_eq!(percent_change(4, 25, None), 1);
    assert_eq!(percent_change(4, 25, Some(2)), 2);
    // AAS step scaling guide: above 1 rounded down, 0..1 to 1, −1..0 to −1, below −1 up.
    assert_eq!(percent_change(127, 10, None), 12); // 12.7
    assert_eq!(percent_change(3, 20, None), 1); // 0.6
    assert_eq!(percent_change(3, -20, None), -1); // −0.6
    assert_eq!(percent_change(23, -29, None), -6); // −6.67
    assert_eq!(percent_change(4, -25, Some(2)), -2);
}

#[test]
fn step_bounds_are_offsets_from_the_threshold() {
    // StepAdjustment: above the threshold the lower bound is inclusive and the upper exclusive;
    // below it the reverse. ecs-semantics.md §4.2: threshold 50, [0, 10) applies at 50 ≤ m < 60.
    let steps = [
        Step {
            lower: Some(0.0),
            upper: Some(10.0),
            adjustment: 1,
        },
        Step {
            lower: Some(10.0),
            upper: None,
            adjustment: 3,
        },
        Step {
            lower: Some(-10.0),
            upper: Some(0.0),
            adjustment: -1,
        },
        Step {
            lower: None,
            upper: Some(-10.0),
            adjustment: -2,
        },
    ];
    assert!(check_steps(&steps).is_ok());
    let adj = |m: f64| find_step(&steps, m - 50.0, m >= 50.0).map(|s| s.adjustment);
    assert_eq!(adj(50.0), Some(1));
    assert_eq!(adj(59.9), Some(1));
    assert_eq!(adj(60.0), Some(3));
    assert_eq!(adj(40.0), Some(-2)); // −10 is the upper bound of the lowest step, inclusive
    assert_eq!(adj(45.0), Some(-1));
}

fn step_at(lower: Option<f64>, upper: Option<f64>, adjustment: i64) -> Step {
    Step {
        lower,
        upper,
        adjustment,
    }
}

#[test]
fn above_the_breach_threshold_the_lower_bound_is_inclusive_and_the_upper_exclusive() {
    // AAS API model, StepAdjustment.MetricIntervalLowerBound / MetricIntervalUpperBound: "If
    // the metric value is above the breach threshold, the lower bound is inclusive ... the
    // upper bound is exclusive". A scale-out alarm `CPU >= 50` with steps [0, 10) +1,
    // [10, 20) +2, [20, ∞) +3: every boundary.
    let steps = [
        step_at(Some(0.0), Some(10.0), 1),
        step_at(Some(10.0), Some(20.0), 2),
        step_at(Some(20.0), None, 3),
    ];
    assert!(check_steps(&steps).is_ok());
    let up = |m: f64| find_step(&steps, m - 50.0, Comparison::Ge.upward()).map(|s| s.adjustment);
    // StepAdjustment's first example: "greater than or equal to 50 and less than 60, specify
    // a lower bound of 0 and an upper bound of 10".
    assert_eq!(up(50.0), Some(1));
    assert_eq!(up(59.999), Some(1));
    assert_eq!(up(60.0), Some(2));
    assert_eq!(up(69.999), Some(2));
    assert_eq!(up(70.0), Some(3));
    assert_eq!(up(1e9), Some(3));
    assert_eq!(up(49.999), None);
}

#[test]
fn below_the_breach_threshold_the_lower_bound_is_exclusive_and_the_upper_inclusive() {
    // AAS API model, StepAdjustment: otherwise (not above the threshold) the lower bound is
    // exclusive and the upper inclusive. StepAdjustment's second example: "greater than 40 and
    // less than or equal to 50, specify a lower bound of -10 and an upper bound of 0". A
    // scale-in alarm `CPU <= 50` with steps (-10, 0] −1, (-20, -10] −2, (−∞, -20] −3.
    let steps = [
        step_at(Some(-10.0), Some(0.0), -1),
        step_at(Some(-20.0), Some(-10.0), -2),
        step_at(None, Some(-20.0), -3),
    ];
    assert!(check_steps(&steps).is_ok());
    let down = |m: f64| find_step(&steps, m - 50.0, Comparison::Le.upward()).map(|s| s.adjustment);
    assert_eq!(down(50.0), Some(-1));
    assert_eq!(down(40.001), Some(-1));
    assert_eq!(down(40.0), Some(-2));
    assert_eq!(down(30.001), Some(-2));
    assert_eq!(down(30.0), Some(-3));
    assert_eq!(down(-1e9), Some(-3));
    assert_eq!(down(50.001), None);
}

#[test]
fn a_metric_exactly_at_a_scale_in_alarms_threshold_matches_the_step_whose_upper_bound_is_0() {
    // StepAdjustment: the upper bound is inclusive when the metric is not above the breach
    // threshold; a `<=` alarm at exactly its threshold is in ALARM and its value is not above
    // it, so the step (−∞, 0] applies (the step [0, …) of a `>=` alarm, likewise).
    let scale_in = [step_at(None, Some(0.0), -1)];
    assert_eq!(
        find_step(&scale_in, 0.0, Comparison::Le.upward()).map(|s| s.adjustment),
        Some(-1)
    );
    assert_eq!(
        find_step(&scale_in, 0.0, Comparison::Lt.upward()).map(|s| s.adjustment),
        Some(-1)
    );
    let scale_out = [step_at(Some(0.0), None, 1)];
    assert_eq!(
        find_step(&scale_out, 0.0, Comparison::Ge.upward()).map(|s| s.adjustment),
        Some(1)
    );
    // And in a simulation: CPU steady at exactly 50 % with `CPU <= 50` removes a task.
    let policy = json!({"PolicyName": "cpu-in", "PolicyType": "StepScaling",
        "StepScalingPolicyConfiguration": {"AdjustmentType": "ChangeInCapacity",
            "StepAdjustments": [{"MetricIntervalUpperBound": 0, "ScalingAdjustment": -1}]},
        "alarm": {"metric": "CPUUtilization", "comparison": "<=", "threshold": 50,
            "evaluationPeriods": 1, "periodSeconds": 60}});
    // 200 requests per second on 4 tasks at 100 per task at 100 % CPU: 50 %.
    let p = plan(
        4,
        4,
        json!({"minCapacity": 3, "maxCapacity": 10, "policies": [policy]}),
        step_load(200.0, 60, 200.0),
    );
    let tl = run(&p, 600);
    let c = changes(&tl);
    assert_eq!(c.first().map(|c| c.1), Some(3), "{c:#?}");
    assert!(c[0].2.contains("value 50"), "{}", c[0].2);
}

fn step_policy(aggregation: Statistic) -> StepScaling {
    StepScaling {
        alarm: Alarm {
            metric: Metric::Cpu,
            comparison: Comparison::Ge,
            threshold: 50.0,
            evaluation_periods: 3,
            datapoints_to_alarm: 3,
            period: 60,
            statistic: Statistic::Average,
        },
        adjustment_type: AdjustmentType::ChangeInCapacity,
        steps: vec![
            step_at(Some(0.0), Some(10.0), 1),
            step_at(Some(10.0), Some(20.0), 2),
            step_at(Some(20.0), None, 3),
        ],
        min_magnitude: None,
        cooldown: 300,
        aggregation,
    }
}

#[test]
fn metric_aggregation_type_is_applied_to_the_alarms_most_recent_datapoints() {
    // AAS API model, StepScalingPolicyConfiguration.MetricAggregationType: "Valid values are
    // Minimum, Maximum, and Average. If the aggregation type is null, the value is treated as
    // Average"; service-autoscaling-stepscaling.md: "Application Auto Scaling applies the
    // aggregation type to the most recent metric data points from CloudWatch ... compares this
    // aggregated metric value against the upper and lower bounds". The alarm's three periods
    // read 55, 65 and 75 (all ≥ 50): Average 65 → +2, Minimum 55 → +1, Maximum 75 → +3.
    for (how, want) in [
        (Statistic::Average, 6),
        (Statistic::Minimum, 5),
        (Statistic::Maximum, 7),
    ] {
        let sp = step_policy(how);
        let mut st = PolicyState::default();
        let mut last = Decision::default();
        for (i, v) in [55.0, 65.0, 75.0].into_iter().enumerate() {
            last = step(&sp, "p", &mut st, Some(v), 60 * (i as u32 + 1), 4, 4);
        }
        assert_eq!(last.out.map(|p| p.capacity), Some(want), "{how:?}");
    }
    // Read from the plan: `MetricAggregationType` of StepScalingPolicyConfiguration.
    let policy = json!({"PolicyName": "cpu-step", "PolicyType": "StepScaling",
        "StepScalingPolicyConfiguration": {"AdjustmentType": "ChangeInCapacity",
            "MetricAggregationType": "Maximum",
            "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]},
        "alarm": {"metric": "CPUUtilization", "comparison": ">=", "threshold": 70}});
    let p = plan(
        2,
        2,
        json!({"minCapacity": 1, "maxCapacity": 4, "policies": [policy]}),
        Value::Null,
    );
    let a = p.services[0].auto_scaling.as_ref().unwrap().read();
    let read = a.policies()[0].read().unwrap();
    match read.kind {
        crate::plan::autoscaling::PolicyKind::Step(s) => {
            assert_eq!(s.aggregation, Statistic::Maximum)
        }
        other => panic!("{other:?}"),
    }
    // Absent, it is Average.
    assert_eq!(
        step_policy(Statistic::Average).aggregation,
        Statistic::Average
    );
}

#[test]
fn below_the_threshold_metric_aggregation_type_chooses_the_step_with_the_lower_bound_exclusive() {
    // service-autoscaling-stepscaling.md: "Application Auto Scaling applies the aggregation type
    // to the most recent metric data points ... compares this aggregated metric value against
    // the upper and lower bounds"; StepAdjustment: below the breach threshold the lower bound
    // is exclusive and the upper inclusive. A scale-in alarm `CPU <= 50` over three periods
    // with steps (-10, 0] −1, (-20, -10] −2, (−∞, -20] −3, from 10 tasks.
    let scale_in = |aggregation: Statistic, values: [f64; 3]| {
        let mut sp = step_policy(aggregation);
        sp.alarm.comparison = Comparison::Le;
        sp.steps = vec![
            step_at(Some(-10.0), Some(0.0), -1),
            step_at(Some(-20.0), Some(-10.0), -2),
            step_at(None, Some(-20.0), -3),
        ];
        let mut st = PolicyState::default();
        let mut last = Decision::default();
        for (i, v) in values.into_iter().enumerate() {
            last = step(&sp, "p", &mut st, Some(v), 60 * (i as u32 + 1), 10, 10);
        }
        assert!(last.out.is_none(), "{aggregation:?}: {last:?}");
        last.scale_in.map(|p| p.capacity)
    };
    // 45, 35, 25: Average 35 (−15) → −2, Minimum 25 (−25) → −3, Maximum 45 (−5) → −1.
    assert_eq!(scale_in(Statistic::Average, [45.0, 35.0, 25.0]), Some(8));
    assert_eq!(scale_in(Statistic::Minimum, [45.0, 35.0, 25.0]), Some(7));
    assert_eq!(scale_in(Statistic::Maximum, [45.0, 35.0, 25.0]), Some(9));
    // Each aggregation landing exactly on a bound: −10 belongs to (-20, -10] (upper
    // inclusive), −20 to (−∞, -20], 0 (the threshold itself) to (-10, 0].
    for how in [Statistic::Average, Statistic::Minimum, Statistic::Maximum] {
        assert_eq!(scale_in(how, [40.0, 40.0, 40.0]), Some(8), "{how:?} at −10");
        assert_eq!(scale_in(how, [30.0, 30.0, 30.0]), Some(7), "{how:?} at −20");
        assert_eq!(scale_in(how, [50.0, 50.0, 50.0]), Some(9), "{how:?} at 0");
    }
    // Just inside each bound, aggregated: Maximum of 39.9, 30.1, 30.1 is −10.1 → −2; Minimum
    // of 40.1, 45, 49 is −9.9 → −1.
    assert_eq!(scale_in(Statistic::Maximum, [39.9, 30.1, 30.1]), Some(8));
    assert_eq!(scale_in(Statistic::Minimum, [40.1, 45.0, 49.0]), Some(9));
}

#[test]
fn above_the_threshold_each_metric_aggregation_type_meets_the_bounds_lower_inclusive() {
    // The scale-out side of the same rule: with `CPU >= 50` and steps [0, 10) +1,
    // [10, 20) +2, [20, ∞) +3, an aggregated value of exactly 60 or 70 is in the higher step
    // (lower inclusive, upper exclusive), whichever aggregation produced it.
    let scale_out = |aggregation: Statistic, values: [f64; 3]| {
        let sp = step_policy(aggregation);
        let mut st = PolicyState::default();
        let mut last = Decision::default();
        for (i, v) in values.into_iter().enumerate() {
            last = step(&sp, "p", &mut st, Some(v), 60 * (i as u32 + 1), 4, 4);
        }
        last.out.map(|p| p.capacity)
    };
    // Average of 55, 60, 65 is 60; Minimum of 60, 65, 75 is 60; Maximum of 52, 55, 60 is 60.
    assert_eq!(scale_out(Statistic::Average, [55.0, 60.0, 65.0]), Some(6));
    assert_eq!(scale_out(Statistic::Minimum, [60.0, 65.0, 75.0]), Some(6));
    assert_eq!(scale_out(Statistic::Maximum, [52.0, 55.0, 60.0]), Some(6));
    // 70 → [20, ∞) +3; 50, the threshold, → [0, 10) +1.
    for how in [Statistic::Average, Statistic::Minimum, Statistic::Maximum] {
        assert_eq!(scale_out(how, [70.0, 70.0, 70.0]), Some(7), "{how:?} at 20");
        assert_eq!(scale_out(how, [50.0, 50.0, 50.0]), Some(5), "{how:?} at 0");
        assert_eq!(
            scale_out(how, [59.99, 59.99, 59.99]),
            Some(5),
            "{how:?} below 10"
        );
    }
}

#[test]
fn when_actual_capacity_is_0_target_tracking_waits_for_one_data_point_before_scaling_out() {
    // service-auto-scaling.md: "when actual capacity is 0 and the metric indicates that there
    // is workload demand, Service Auto Scaling waits for one data point to be sent before
    // scaling out. In this case, it scales out by the minimum possible amount as a starting
    // point and then resumes scaling based on the actual running task count." The queue case:
    // no worker, 5 messages a second arrive; the backlog per task shows demand at the first
    // minute with data (60 s), not after three datapoints (180 s).
    let policy = json!({"PolicyName": "backlog", "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 100,
          "CustomizedMetricSpecification": {"Metrics": [
            {"Id": "m1", "ReturnData": false, "MetricStat": {"Stat": "Sum",
              "Metric": {"Namespace": "AWS/SQS", "MetricName": "ApproximateNumberOfMessagesVisible",
                "Dimensions": [{"Name": "QueueName", "Value": "orders"}]}}},
            {"Id": "m2", "ReturnData": false, "MetricStat": {"Stat": "Average",
              "Metric": {"Namespace": "ECS/ContainerInsights", "MetricName": "RunningTaskCount",
                "Dimensions": [{"Name": "ServiceName", "Value": "web"}]}}},
            {"Id": "e1", "Expression": "m1 / m2", "ReturnData": true}]}}});
    let p = plan(
        0,
        4,
        json!({"minCapacity": 0, "maxCapacity": 20, "policies": [policy]}),
        json!({"queue": {"messagesPerSecond": {"value": 5}, "secondsPerMessage": 1}}),
    );
    let tl = run(&p, 1800);
    let c = changes(&tl);
    assert_eq!((c[0].0, c[0].1), (60, 1), "{c:#?}");
    assert!(c[0].2.contains("one datapoint"), "{}", c[0].2);
    // Then it resumes from the running task count: the next scale-out is ceil(n × m / t),
    // once the high alarm has its three datapoints (60, 120, 180).
    assert!(c.len() > 1 && c[1].1 > 1, "{c:#?}");
    assert!(c[1].2.contains("ceil(1 × "), "{}", c[1].2);
    assert_eq!(c[1].0, 180, "{c:#?}");
}

#[test]
fn a_cpu_metric_without_tasks_shows_no_demand_and_step_scaling_from_zero_follows_its_alarm() {
    // service-auto-scaling.md's rule needs "the metric indicates that there is workload
    // demand": ECS publishes no CPUUtilization datapoint without a running task, so a CPU
    // policy never scales a service out of zero (the planner's reading: no datapoint).
    let p = plan(
        0,
        4,
        json!({"minCapacity": 0, "maxCapacity": 10, "policies": [cpu_policy(50.0, json!({}))]}),
        step_load(400.0, 60, 400.0),
    );
    assert!(changes(&run(&p, 1200)).is_empty());
    // A step policy on the queue's backlog (ApproximateNumberOfMessagesVisible >= 100, one
    // period): its own alarm decides, from 0 tasks +2.
    let policy = json!({"PolicyName": "backlog-step", "PolicyType": "StepScaling",
        "StepScalingPolicyConfiguration": {"AdjustmentType": "ChangeInCapacity",
            "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 2}]},
        "alarm": {"metric": "ApproximateNumberOfMessagesVisible", "comparison": ">=",
            "threshold": 100, "evaluationPeriods": 1, "periodSeconds": 60}});
    let p = plan(
        0,
        4,
        json!({"minCapacity": 0, "maxCapacity": 10, "policies": [policy]}),
        json!({"queue": {"messagesPerSecond": {"value": 5}, "secondsPerMessage": 1}}),
    );
    let c = changes(&run(&p, 600));
    assert_eq!((c[0].0, c[0].1), (60, 2), "{c:#?}");
}

#[test]
fn a_deployment_during_a_simulated_day_suspends_scale_in_and_scale_out_goes_on() {
    // service-auto-scaling.md: Application Auto Scaling turns off scale-in while an ECS
    // deployment is in progress; scale-out continues. `settings.simulation.deployments` starts
    // web:2 at 120 s; the four web:1 tasks are protected for 30 minutes
    // (`taskProtection`), so the deployment lasts until then. The load is low: target tracking
    // wants to scale in after 15 datapoints, waits for the deployment, then scales in.
    let mut p = plan(
        4,
        4,
        json!({"minCapacity": 1, "maxCapacity": 10, "policies": [cpu_policy(50.0, json!({}))]}),
        step_load(20.0, 60, 20.0),
    );
    let mut v2 = p.task_definitions[0].clone();
    v2.container_definitions[0].image = "web:2".into();
    p.task_definitions.push(v2);
    p.settings = Some(
        serde_json::from_value(json!({"simulation": {
            "deployments": [{"service": "web", "taskDefinition": "web:2", "atSecond": 120}],
            "taskProtection": [{"service": "web", "count": 4, "expiresInMinutes": 30}]}}))
        .unwrap(),
    );
    let tl = run(&p, 3600);
    let at = |code: &str| {
        tl.events
            .iter()
            .find(|e| e.kind.code() == code)
            .map(|e| e.t)
            .unwrap_or_else(|| panic!("no {code}: {:#?}", tl.events))
    };
    assert_eq!(at("deployment-started"), 120);
    let suspended = at("scaling-suspended");
    let completed = at("deployment-completed");
    assert!(
        suspended < 1800 && suspended < completed,
        "{suspended} {completed}"
    );
    assert!(completed >= 1800, "{completed}");
    // The scale-in happens once the deployment is over.
    let c = changes(&tl);
    assert!(!c.is_empty() && c[0].0 > completed && c[0].1 < 4, "{c:#?}");
    // A load that rises during the deployment (800 requests a second from 300 s: 100 % CPU
    // on the 8 tasks of both revisions) scales out while it is in progress.
    let mut busy = plan(
        4,
        4,
        json!({"minCapacity": 1, "maxCapacity": 10, "policies": [cpu_policy(50.0, json!({}))]}),
        step_load(20.0, 300, 800.0),
    );
    busy.task_definitions = p.task_definitions.clone();
    busy.settings = p.settings.clone();
    let tl = run(&busy, 3600);
    let c = changes(&tl);
    let completed = tl
        .events
        .iter()
        .find(|e| e.kind.code() == "deployment-completed")
        .map_or(u32::MAX, |e| e.t);
    assert!(
        c.first().is_some_and(|x| x.0 < completed && x.1 > 4),
        "{c:#?} completed at {completed}"
    );
}

/// `web` at 4 tasks with `web:2` to deploy at 120 s, watched by the deployment alarm
/// `web-cpu` (CPUUtilization >= 80 for 2 minutes) that the workload drives, with `rps`
/// requests a second from 150 s (100 a second take a task to 100 %).
fn alarm_plan(rps: f64) -> Plan {
    let l = load_value(json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": [
            {"id": "i-0", "instanceType": "m5.xlarge", "availabilityZone": "us-east-1a"},
            {"id": "i-1", "instanceType": "m5.xlarge", "availabilityZone": "us-east-1b"},
            {"id": "i-2", "instanceType": "m5.xlarge", "availabilityZone": "us-east-1a"},
            {"id": "i-3", "instanceType": "m5.xlarge", "availabilityZone": "us-east-1b"}]},
        "taskDefinitions": [
            {"family": "web", "containerDefinitions": [{"name": "web", "image": "web:1", "cpu": 1024, "memory": 2048}]},
            {"family": "web", "containerDefinitions": [{"name": "web", "image": "web:2", "cpu": 1024, "memory": 2048}]}],
        "services": [{"serviceName": "web", "taskDefinition": "web:1", "desiredCount": 4,
            "deploymentConfiguration": {"alarms": {"alarmNames": ["web-cpu"], "enable": true, "rollback": true}}}],
        "workload": {"services": {"web": step_load(200.0, 150, rps)}},
        "settings": {"simulation": {
            "deployments": [{"service": "web", "taskDefinition": "web:2", "atSecond": 120}],
            "alarms": [{"alarmName": "web-cpu", "service": "web", "alarm": {
                "metric": "CPUUtilization", "comparison": ">=", "threshold": 80, "evaluationPeriods": 2}}]}}
    }));
    assert!(!l.has_errors(), "{:#?}", l.findings);
    l.plan.unwrap()
}

#[test]
fn a_deployment_alarm_on_a_metric_the_workload_drives_fails_the_deployment_and_rolls_back() {
    // API model, DeploymentAlarms: "When the alarms are generated, Amazon ECS sets the service
    // deployment to failed. Set the rollback parameter to have Amazon ECS to roll back your
    // service to the last completed deployment after a failure"; deployment-type-ecs.md:
    // "CloudWatch alarms - Use this method when you want to stop a deployment based on
    // application metrics." The load quadruples at 150 s: every task is at 100 % CPU or more
    // while web:2 deploys (and bakes), the alarm has two breaching minutes and the deployment
    // fails and rolls back.
    let tl = simulate(&alarm_plan(800.0), 1800, &PlaceOptions::default());
    let alarm = tl
        .events
        .iter()
        .find(|e| e.kind.code() == "deployment-alarm")
        .unwrap_or_else(|| panic!("no deployment-alarm: {:#?}", tl.events));
    assert!(alarm.message.contains("web-cpu"), "{}", alarm.message);
    // Two breaching one-minute datapoints: the minute ending at 180 has the higher load for
    // half its seconds (about 78 %), those ending at 240 and 300 are far above 80 %.
    assert!(alarm.t >= 180 && alarm.t <= 300, "{}", alarm.t);
    assert!(
        tl.events
            .iter()
            .any(|e| e.kind.code() == "rollback-started"),
        "{:#?}",
        tl.events
    );
    // At 50 % CPU (the load unchanged) the alarm stays OK: the deployment completes.
    let tl = simulate(&alarm_plan(200.0), 1800, &PlaceOptions::default());
    assert!(!tl
        .events
        .iter()
        .any(|e| e.kind.code() == "deployment-alarm"));
    assert!(tl
        .events
        .iter()
        .any(|e| e.kind.code() == "deployment-completed"));
    // `deploy` runs no workload: the same alarm stays OK there.
    let r = crate::sim::deploy(
        &alarm_plan(800.0),
        &crate::sim::DeployRequest::new("web", Some("web:2")),
        &PlaceOptions::default(),
    )
    .unwrap();
    assert_eq!(
        r.outcome,
        crate::sim::DeployOutcome::Completed,
        "{}",
        r.reason
    );
}

#[test]
fn a_simulated_alarm_goes_into_alarm_one_way_and_names_a_service_of_the_plan() {
    let with_alarms = |alarms: Value| {
        let mut p = serde_json::to_value(alarm_plan(200.0)).unwrap();
        p["settings"]["simulation"]["alarms"] = alarms;
        load_value(p).findings
    };
    let both = with_alarms(
        json!([{"alarmName": "a", "whileRunning": "web:2", "service": "web",
        "alarm": {"metric": "CPUUtilization", "comparison": ">=", "threshold": 80}}]),
    );
    let f = both
        .iter()
        .find(|f| f.code == "simulated-alarm")
        .expect("simulated-alarm");
    assert_eq!(f.path.to_string(), "settings.simulation.alarms[0]");
    let no_alarm = with_alarms(json!([{"alarmName": "a", "service": "web"}]));
    let f = no_alarm
        .iter()
        .find(|f| f.code == "simulated-alarm")
        .expect("simulated-alarm");
    assert_eq!(f.path.to_string(), "settings.simulation.alarms[0].alarm");
    let typo = with_alarms(json!([{"alarmName": "a", "service": "wbe",
        "alarm": {"metric": "CPUUtilization", "comparison": ">=", "threshold": 80}}]));
    let f = typo
        .iter()
        .find(|f| f.code == "unknown-service")
        .expect("unknown-service");
    assert_eq!(f.path.to_string(), "settings.simulation.alarms[0].service");
    assert!(f.fix.as_deref().unwrap_or("").contains("web"), "{f:?}");
    assert!(
        with_alarms(json!([{"alarmName": "a", "whileRunning": "web:2"}]))
            .iter()
            .all(|f| f.code != "simulated-alarm" && f.code != "unknown-service")
    );
}

#[test]
fn step_adjustment_ranges_follow_the_api_rules() {
    let s = |l: Option<f64>, u: Option<f64>| Step {
        lower: l,
        upper: u,
        adjustment: 1,
    };
    for (steps, want) in [
        (
            vec![s(Some(0.0), Some(10.0)), s(Some(5.0), None)],
            "overlap",
        ),
        (vec![s(Some(0.0), Some(10.0)), s(Some(20.0), None)], "gap"),
        (vec![s(None, Some(0.0)), s(None, Some(-5.0))], "at most one"),
        (
            vec![s(Some(-5.0), Some(0.0))],
            "negative MetricIntervalLowerBound",
        ),
        (
            vec![s(Some(0.0), Some(10.0))],
            "positive MetricIntervalUpperBound",
        ),
        (vec![s(Some(10.0), Some(5.0)), s(None, Some(10.0))], "above"),
    ] {
        let e = check_steps(&steps).unwrap_err().to_string();
        assert!(e.contains(want), "{steps:?}: {e}");
    }
}

#[test]
fn target_tracking_scales_out_from_a_step_in_load_and_reaches_the_target() {
    // 4 tasks at 200 rps = 50 % CPU (target 50). At 600 s the load triples: 150 % CPU. The high
    // alarm needs 3 datapoints above the target (minutes ending 660, 720, 780); the scale-out
    // is ceil(4 × 150 / 50) = 12, and the tasks are back at the target.
    let p = plan(
        4,
        4,
        json!({"minCapacity": 1, "maxCapacity": 20, "policies": [cpu_policy(50.0, json!({}))]}),
        step_load(200.0, 600, 600.0),
    );
    let tl = run(&p, 3600);
    let c = changes(&tl);
    assert_eq!(c[0].0, 780, "{c:#?}");
    assert_eq!(c[0].1, 12, "{c:#?}");
    assert!(c[0].2.contains("ceil(4 × 150 / 50) = 12"), "{}", c[0].2);
    assert_eq!(minute(&tl, 720).cpu, 150.0);
    // Started, pulled (25 s) and counted healthy (40 s): at the target two minutes later.
    let m = minute(&tl, 900);
    assert_eq!((m.desired, m.running), (12, 12));
    assert!((m.cpu - 50.0).abs() < 1.0, "{}", m.cpu);
    // ... and it stays there: no other change in the hour.
    assert_eq!(c.len(), 1, "{c:#?}");
}

#[test]
fn scale_in_waits_for_15_minutes_below_90_percent_of_the_target() {
    // ecs-semantics.md §4.1: the low alarm needs 15 datapoints below 0.9 × target. Load drops
    // at 600 s from 50 % to 20 % of 4 tasks: the 15th low datapoint ends at 660 + 14 × 60.
    let p = plan(
        4,
        4,
        json!({"minCapacity": 1, "maxCapacity": 20, "policies": [cpu_policy(50.0, json!({}))]}),
        step_load(200.0, 600, 80.0),
    );
    let tl = run(&p, 3600);
    let c = changes(&tl);
    assert_eq!(c[0].0, 660 + 14 * 60, "{c:#?}");
    // ceil(4 × 20 / 50) = 2: two tasks removed (the number removed rounded down).
    assert_eq!(c[0].1, 2);
    assert!(c[0].2.contains("for 15 datapoints"), "{}", c[0].2);
    // 2 tasks at 40 %: below 45 again, but ceil(2 × 40 / 50) = 2, no further change.
    assert_eq!(c.len(), 1, "{c:#?}");
}

#[test]
fn disable_scale_in_keeps_the_tasks() {
    // TargetTrackingScalingPolicyConfiguration.DisableScaleIn: the policy never removes capacity.
    let p = plan(
        4,
        4,
        json!({"minCapacity": 1, "maxCapacity": 20,
               "policies": [cpu_policy(50.0, json!({"DisableScaleIn": true}))]}),
        step_load(200.0, 600, 20.0),
    );
    let tl = run(&p, 7200);
    assert!(changes(&tl).is_empty());
    assert!(tl.minutes.iter().all(|m| m.services[0].desired == 4));
}

#[test]
fn no_data_no_action() {
    // "does not perform scaling when the specified metric has insufficient data": a service
    // without a workload has no metric.
    let p = plan(
        4,
        4,
        json!({"minCapacity": 1, "maxCapacity": 20, "policies": [cpu_policy(50.0, json!({}))]}),
        Value::Null,
    );
    let tl = run(&p, 7200);
    assert!(changes(&tl).is_empty());
    assert_eq!(minute(&tl, 3600).cpu, 0.0);
}

#[test]
fn scale_in_cooldown_blocks_scale_in_and_scale_out_overrides_it() {
    // service-auto-scaling.md (cooldown): scale-in is blocked until the cooldown expires; a
    // scale-out during it happens at once. Load 50 % → 10 % at 600 s → 100 % at 2700 s.
    let p = plan(
        8,
        4,
        json!({"minCapacity": 1, "maxCapacity": 40, "policies": [cpu_policy(50.0,
            json!({"ScaleInCooldown": 1800}))]}),
        json!({"requestsPerSecond": {"points": [{"t": 0, "value": 400}, {"t": 600, "value": 400},
            {"t": 601, "value": 240}, {"t": 2700, "value": 240}, {"t": 2701, "value": 800}]},
            "requestsPerTaskAt100Percent": 100}),
    );
    let tl = run(&p, 3600);
    let c = changes(&tl);
    // First scale-in after 15 low minutes: 8 tasks at 30 % → ceil(8 × 30 / 50) = 5.
    assert_eq!((c[0].0, c[0].1), (1500, 5), "{c:#?}");
    // 5 tasks at 48 %: not below 45, no more scale-in. The load jump at 2700 s: 160 % → scale
    // out after 3 datapoints (2880 s), within the scale-in cooldown.
    assert_eq!(c[1].0, 2880, "{c:#?}");
    assert_eq!(c[1].1, 16, "{c:#?}");
}

#[test]
fn scale_out_cooldown_counts_the_capacity_already_added() {
    // service-auto-scaling.md: during the scale-out cooldown "the capacity added by the initiating
    // scale-out activity is calculated as part of the desired capacity for the next scale-out".
    // Tasks that cannot start (no room) keep the running count at 4: the policy keeps asking for
    // the same 8 and does not scale out again until the cooldown ends.
    let p = plan(
        4,
        1,
        json!({"minCapacity": 1, "maxCapacity": 40, "policies": [cpu_policy(50.0, json!({}))]}),
        step_load(400.0, 60, 400.0),
    );
    // 4 × 1 vCPU tasks fill the single m5.xlarge; 400 rps = 100 % CPU each.
    let tl = run(&p, 1800);
    let c = changes(&tl);
    // The datapoints at 0, 60 and 120 s are above the target.
    assert_eq!((c[0].0, c[0].1), (120, 8), "{c:#?}");
    assert_eq!(c.len(), 1, "{c:#?}");
    // The new tasks wait for an instance: they are pending.
    let m = minute(&tl, 600);
    assert_eq!((m.desired, m.running, m.pending), (8, 4, 4));
    assert!(tl.events.iter().any(|e| e.kind.code() == "task-unplaced"));
}

#[test]
fn step_scaling_the_api_example_adds_two_tasks() {
    // StepScalingPolicyConfiguration.MinAdjustmentMagnitude: 25 % of 4 tasks is 1; with
    // MinAdjustmentMagnitude 2 the service scales out by 2. The alarm (planner extension):
    // CPU >= 70 for 2 periods of 60 s.
    let policy = json!({"PolicyName": "cpu-step", "PolicyType": "StepScaling",
        "StepScalingPolicyConfiguration": {"AdjustmentType": "PercentChangeInCapacity",
            "MinAdjustmentMagnitude": 2, "Cooldown": 600,
            "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 25}]},
        "alarm": {"metric": "CPUUtilization", "comparison": ">=", "threshold": 70,
            "evaluationPeriods": 2, "periodSeconds": 60}});
    let p = plan(
        4,
        4,
        json!({"minCapacity": 1, "maxCapacity": 40, "policies": [policy]}),
        step_load(200.0, 60, 320.0),
    );
    let tl = run(&p, 1800);
    let c = changes(&tl);
    // 320 rps on 4 tasks = 80 % from the minute ending 120; 2 periods: at 180.
    assert_eq!((c[0].0, c[0].1), (180, 6), "{c:#?}");
    assert!(c[0].2.contains("MinAdjustmentMagnitude 2"), "{}", c[0].2);
    // 6 tasks: 53 %, below the threshold: the alarm goes back to OK, nothing more.
    assert_eq!(c.len(), 1, "{c:#?}");
}

#[test]
fn step_scaling_cooldown_waits_for_a_larger_step() {
    // Cooldown (AAS, StepScalingPolicyConfiguration.Cooldown, default 300): in the cooldown a
    // scale-out runs again only for a larger step; the same step waits for its end.
    let policy = json!({"PolicyName": "add-one", "PolicyType": "StepScaling",
        "StepScalingPolicyConfiguration": {"AdjustmentType": "ChangeInCapacity",
            "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]},
        "alarm": {"metric": "CPUUtilization", "comparison": ">", "threshold": 60}});
    let p = plan(
        2,
        4,
        json!({"minCapacity": 1, "maxCapacity": 40, "policies": [policy]}),
        step_load(100.0, 60, 300.0),
    );
    let tl = run(&p, 1800);
    let c = changes(&tl);
    // 300 rps: 2 tasks 150 % → +1 at 120; the alarm stays (3 tasks at 100 %) but the cooldown
    // holds until 420, then +1 (4 tasks, 75 %), then at 720 +1 (5 tasks, 60 %: no longer > 60).
    let times: Vec<(u32, u32)> = c.iter().map(|x| (x.0, x.1)).collect();
    assert_eq!(times, [(120, 3), (420, 4), (720, 5)], "{c:#?}");
}

#[test]
fn several_policies_scale_out_if_any_and_in_only_if_all_agree() {
    // service-autoscaling-targettracking.md: scale out if any target tracking policy is ready
    // to, scale in only if all of them (with scale-in on) are.
    let mem = json!({"PolicyName": "mem", "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 30,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageMemoryUtilization"}}});
    // Low load: CPU 10 % (low), memory 25 % idle + 2.5 % = 27.5 % (not below 27): no scale-in.
    let p = plan(
        4,
        4,
        json!({"minCapacity": 1, "maxCapacity": 40,
               "policies": [cpu_policy(50.0, json!({})), mem.clone()]}),
        step_load(40.0, 60, 40.0),
    );
    let tl = run(&p, 3600);
    assert!(changes(&tl).is_empty(), "{:#?}", changes(&tl));
    // Memory high alone scales out: 400 rps → CPU 100 % and memory 50 %; memory wants
    // ceil(4 × 50 / 30) = 7, CPU ceil(4 × 100 / 50) = 8: the largest capacity wins.
    let p = plan(
        4,
        4,
        json!({"minCapacity": 1, "maxCapacity": 40,
               "policies": [cpu_policy(50.0, json!({})), mem]}),
        step_load(400.0, 60, 400.0),
    );
    let c = changes(&run(&p, 600));
    assert_eq!(c[0].1, 8, "{c:#?}");
    assert!(c[0].2.contains("target tracking cpu"), "{}", c[0].2);
}

#[test]
fn min_and_max_capacity_clamp_the_policies() {
    // The scalable target's MaxCapacity caps a scale-out; the simulation says so.
    let p = plan(
        4,
        4,
        json!({"minCapacity": 2, "maxCapacity": 6, "policies": [cpu_policy(50.0, json!({}))]}),
        step_load(200.0, 60, 800.0),
    );
    let tl = run(&p, 1800);
    let c = changes(&tl);
    assert_eq!(c[0].1, 6);
    assert!(c[0].2.contains("capped at maxCapacity 6"), "{}", c[0].2);
    assert!(tl.events.iter().any(|e| e.kind.code() == "scaling-limited"));
    assert!(tl.minutes.iter().all(|m| m.services[0].desired <= 6));
}

#[test]
fn a_desired_count_outside_the_capacity_range_is_moved_only_by_an_activity_in_the_right_direction()
{
    // service-auto-scaling.md, "Considerations": "If a service's desired count is set below its
    // minimum capacity value, and an alarm triggers a scale-out activity, Service Auto Scaling
    // scales the desired count up to the minimum capacity value and then continues to scale
    // out as required ... However, a scale-in activity does not adjust the desired count,
    // because it is already below the minimum capacity value", and the reverse above the
    // maximum. Range 3..=6, target 50 % CPU.
    let policies =
        json!({"minCapacity": 3, "maxCapacity": 6, "policies": [cpu_policy(50.0, json!({}))]});
    // Below the minimum, low load (2 tasks at 10 %): the low alarm wants ceil(2 × 10 / 50) =
    // 1; the desired count stays at 2 (not 1, nor raised to 3).
    let low = plan(2, 4, policies.clone(), step_load(20.0, 60, 20.0));
    let tl = run(&low, 3600);
    assert!(changes(&tl).is_empty(), "{:#?}", changes(&tl));
    assert!(tl.minutes.iter().all(|m| m.services[0].desired == 2));
    // Below the minimum, high load (250 % on one task): the scale-out goes past the minimum
    // to ceil(1 × 250 / 50) = 5.
    let high = plan(1, 4, policies.clone(), step_load(250.0, 60, 250.0));
    let c = changes(&run(&high, 1800));
    assert_eq!(c.first().map(|c| c.1), Some(5), "{c:#?}");
    // Above the maximum, high load: a scale-out does not adjust it (said once).
    let over = plan(8, 4, policies.clone(), step_load(1600.0, 60, 1600.0));
    let tl = run(&over, 1800);
    assert!(changes(&tl).is_empty(), "{:#?}", changes(&tl));
    assert!(tl.events.iter().any(|e| e.kind.code() == "scaling-limited"));
    // Above the maximum, low load: the scale-in goes to the maximum and on as required:
    // ceil(8 × 20 / 50) = 4.
    let c = changes(&run(
        &plan(8, 4, policies, step_load(160.0, 60, 160.0)),
        3600,
    ));
    assert_eq!(c.first().map(|c| c.1), Some(4), "{c:#?}");
}

#[test]
fn protected_tasks_survive_a_service_auto_scaling_scale_in_for_the_default_120_minutes() {
    // API model, UpdateTaskProtection.expiresInMinutes: "During this time, your task will not
    // be terminated by scale-in events from Service Auto Scaling or deployments ... If you
    // don't specify the time, then the task is automatically protected for 120 minutes". The
    // four tasks are protected at second 0 with no expiry given; the load drops to 20 % and
    // target tracking scales in to 2 after 15 low datapoints (1 500 s). The tasks run on until
    // the protection ends at 7 200 s, then two stop.
    let mut p = plan(
        4,
        4,
        json!({"minCapacity": 1, "maxCapacity": 10, "policies": [cpu_policy(50.0, json!({}))]}),
        step_load(200.0, 600, 80.0),
    );
    p.settings = Some(
        serde_json::from_value(json!({"simulation": {"taskProtection": [
            {"service": "web", "count": 4}]}}))
        .unwrap(),
    );
    let tl = run(&p, 7800);
    let c = changes(&tl);
    assert_eq!((c[0].0, c[0].1), (660 + 14 * 60, 2), "{c:#?}");
    let m = minute(&tl, 7140);
    assert_eq!((m.desired, m.running), (2, 4));
    let m = minute(&tl, 7260);
    assert_eq!((m.desired, m.running), (2, 2));
    let expired: Vec<u32> = tl
        .events
        .iter()
        .filter(|e| e.kind.code() == "task-protection" && e.message.contains("expired"))
        .map(|e| e.t)
        .collect();
    assert!(expired.contains(&7200), "{expired:?}");
}

#[test]
fn scheduled_actions_move_the_desired_count_into_the_new_range() {
    // ecs-semantics.md §4: "If the current capacity is outside the new range, it's moved into
    // it immediately." Start Monday 2026-11-23 00:00 UTC.
    let actions = json!([
        {"ScheduledActionName": "morning", "Schedule": "cron(0 7 ? * MON-FRI *)",
         "Timezone": "Europe/Dublin", "ScalableTargetAction": {"MinCapacity": 8, "MaxCapacity": 20}},
        {"ScheduledActionName": "night", "Schedule": "at(2026-11-23T20:00:00)",
         "ScalableTargetAction": {"MinCapacity": 1, "MaxCapacity": 3}}
    ]);
    let mut p = plan(
        4,
        4,
        json!({"minCapacity": 1, "maxCapacity": 20, "scheduledActions": actions}),
        Value::Null,
    );
    p.workload = Some(Written::from_value(json!({"start": "2026-11-23T00:00:00Z"})).unwrap());
    let tl = run(&p, 86_400);
    let c = changes(&tl);
    let times: Vec<(u32, u32)> = c.iter().map(|x| (x.0, x.1)).collect();
    // 07:00 Dublin (GMT in November) = 07:00 UTC; 20:00 UTC.
    assert_eq!(times, [(7 * 3600, 8), (20 * 3600, 3)], "{c:#?}");
    assert!(c[0].2.contains("raised minCapacity to 8"));
    let sched: Vec<&str> = tl
        .events
        .iter()
        .filter(|e| e.kind.code() == "scheduled-action")
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(sched.len(), 2);
    assert!(
        sched[0].contains("minCapacity 8, maxCapacity 20"),
        "{}",
        sched[0]
    );
    assert_eq!(minute(&tl, 8 * 3600).running, 8);
}

#[test]
fn scheduled_scaling_suspended_does_not_run() {
    let p = plan(
        4,
        4,
        json!({"minCapacity": 1, "maxCapacity": 20,
            "suspendedState": {"ScheduledScalingSuspended": true},
            "scheduledActions": [{"ScheduledActionName": "up", "Schedule": "rate(10 minutes)",
              "ScalableTargetAction": {"MinCapacity": 10}}]}),
        Value::Null,
    );
    let tl = run(&p, 1800);
    assert!(changes(&tl).is_empty());
    assert!(tl
        .events
        .iter()
        .any(|e| e.message.contains("ScheduledScalingSuspended")));
}

#[test]
fn scale_in_is_suspended_during_a_deployment() {
    // service-auto-scaling.md: "Application Auto Scaling turns off scale-in processes while
    // Amazon ECS deployments are in progress."
    let p = plan(
        4,
        4,
        json!({"minCapacity": 1, "maxCapacity": 20, "policies": [cpu_policy(50.0, json!({}))]}),
        step_load(40.0, 60, 40.0),
    );
    let mut sim = Sim::steady(&p, &PlaceOptions::default());
    sim.tick_every_minute(3600);
    // A deployment kept in progress by a 20-minute image pull.
    sim.world.timings.image_pull = 1200;
    sim.start_deployment(0, "web:1", None);
    sim.run_until(3600);
    let tl = &sim.world.timeline;
    let first_in = changes(tl).first().map(|c| c.0);
    let completed = tl
        .events
        .iter()
        .find(|e| e.kind.code() == "deployment-completed")
        .map(|e| e.t)
        .unwrap();
    assert!(completed > 1200, "{completed}");
    assert!(tl
        .events
        .iter()
        .any(|e| e.kind.code() == "scaling-suspended"));
    // The low alarm was ready at 900 s; scale-in waited for the deployment to finish.
    assert!(first_in.unwrap() >= completed, "{first_in:?} {completed}");
}

#[test]
fn queue_backlog_per_task_scales_the_workers() {
    // The seeds' queue worker: tasks poll an SQS queue, scaled on the backlog per task (AWS's
    // metric math: ApproximateNumberOfMessagesVisible / RunningTaskCount).
    let policy = json!({"PolicyName": "backlog", "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 100,
          "CustomizedMetricSpecification": {"Metrics": [
            {"Id": "m1", "ReturnData": false, "MetricStat": {"Stat": "Sum",
              "Metric": {"Namespace": "AWS/SQS", "MetricName": "ApproximateNumberOfMessagesVisible",
                "Dimensions": [{"Name": "QueueName", "Value": "orders"}]}}},
            {"Id": "m2", "ReturnData": false, "MetricStat": {"Stat": "Average",
              "Metric": {"Namespace": "ECS/ContainerInsights", "MetricName": "RunningTaskCount",
                "Dimensions": [{"Name": "ServiceName", "Value": "web"}]}}},
            {"Id": "e1", "Expression": "m1 / m2", "ReturnData": true}]}}});
    // 2 tasks at 1 s a message handle 2 messages/s; 5 arrive: the backlog grows 3/s.
    let p = plan(
        2,
        4,
        json!({"minCapacity": 1, "maxCapacity": 20, "policies": [policy]}),
        json!({"queue": {"messagesPerSecond": {"value": 5}, "secondsPerMessage": 1}}),
    );
    let tl = run(&p, 3600);
    let c = changes(&tl);
    assert!(!c.is_empty());
    // Busy tasks: 100 % CPU while the backlog lasts.
    assert_eq!(minute(&tl, 120).cpu, 100.0);
    assert!(c[0].2.contains("backlog per task"), "{}", c[0].2);
    // Enough workers for the arrivals in the end (at least 5 tasks) and the backlog drained.
    let last = tl.minutes.last().unwrap().services[0].clone();
    assert!(last.desired >= 5, "{c:#?}");
    assert!(last.cpu < 100.0, "{}", last.cpu);
}

#[test]
fn a_customized_metric_the_simulator_cannot_produce_is_left_out_with_a_reason() {
    let policy = json!({"PolicyName": "latency", "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 0.2,
          "CustomizedMetricSpecification": {"Namespace": "MyApp", "MetricName": "Latency",
            "Statistic": "Average"}}});
    let p = plan(
        4,
        4,
        json!({"minCapacity": 1, "maxCapacity": 20, "policies": [policy]}),
        step_load(200.0, 60, 800.0),
    );
    let l = crate::load::load(&serde_json::to_string(&p).unwrap());
    let w: Vec<_> = l
        .findings
        .iter()
        .filter(|f| f.code == "policy-not-simulated")
        .collect();
    assert_eq!(w.len(), 1, "{:#?}", l.findings);
    assert!(w[0].message.contains("MyApp Latency"), "{}", w[0].message);
    let tl = run(&p, 600);
    assert!(tl.events.iter().any(|e| e.kind.code() == "policy-ignored"));
    assert!(changes(&tl).is_empty());
}

#[test]
fn utilisation_is_relative_to_the_reservation_and_capped_by_the_launch_type() {
    // cloudwatch-metrics: the service CPU metric is relative to the reserved CPU, so it can
    // exceed 100 % on EC2 (up to the instance: 4 vCPU / 1 vCPU = 400 %).
    let p = plan(2, 4, Value::Null, step_load(1000.0, 60, 1000.0));
    let tl = run(&p, 300);
    assert_eq!(minute(&tl, 120).cpu, 400.0);
    let p = plan(2, 4, Value::Null, step_load(300.0, 60, 300.0));
    let tl = run(&p, 300);
    assert_eq!(minute(&tl, 120).cpu, 150.0);
    // Directly given utilisation is for the plan's desired count: 60 % of 2 tasks.
    let p = plan(
        2,
        4,
        Value::Null,
        json!({"cpuPercent": {"value": 60}, "memoryPercent": {"value": 40}}),
    );
    let tl = run(&p, 300);
    assert_eq!(
        (minute(&tl, 120).cpu, minute(&tl, 120).memory),
        (60.0, 40.0)
    );
}

#[test]
fn a_daily_shape_follows_the_local_clock_and_the_peak() {
    let mut daily = vec![100.0; 24];
    daily[12] = 300.0;
    let p = plan(
        4,
        4,
        Value::Null,
        json!({"requestsPerSecond": {"daily": daily, "timezone": "America/New_York",
            "peakMultiplier": 2.0}, "requestsPerTaskAt100Percent": 100}),
    );
    // Default start 2026-01-05T00:00Z (a Monday); 12:00 in New York (EST) is 17:00 UTC.
    let tl = run(&p, 86_400);
    // At noon local: 300 × 2 = 600 rps on 4 tasks = 150 %; far from noon: 100 rps = 25 %.
    let noon = minute(&tl, 17 * 3600);
    assert!((noon.cpu - 150.0).abs() < 3.0, "{}", noon.cpu);
    assert_eq!(minute(&tl, 3 * 3600).cpu, 25.0);
}

#[test]
fn bad_workloads_are_refused_with_the_path_and_a_fix() {
    let base = |workload: Value| {
        json!({"schemaVersion": 1,
            "cluster": {"availabilityZones": ["us-east-1a"], "containerInstances": [
                {"id": "i-1", "instanceType": "m5.xlarge", "availabilityZone": "us-east-1a"}]},
            "taskDefinitions": [{"family": "web", "containerDefinitions": [
                {"name": "web", "image": "web:1", "cpu": 256, "memory": 512}]}],
            "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 1}],
            "workload": workload})
    };
    let errors = |w: Value| -> Vec<String> {
        load_value(base(w))
            .findings
            .iter()
            .filter(|f| f.is_error())
            .map(|f| {
                format!(
                    "{} {} {}",
                    f.path,
                    f.message,
                    f.fix.clone().unwrap_or_default()
                )
            })
            .collect()
    };
    let e = errors(json!({"services": {"wbe": {"requestsPerSecond": {"value": 1}}}}));
    assert!(e[0].contains("did you mean web"), "{e:#?}");
    let e = errors(json!({"services": {"web": {"requestsPerSecnd": {"value": 1}}}}));
    assert!(e[0].contains("did you mean `requestsPerSecond`"), "{e:#?}");
    let e = errors(
        json!({"services": {"web": {"requestsPerSecond": {"points": [
        {"t": 60, "value": 1}, {"t": 60, "value": 2}]}}}}),
    );
    assert!(e[0].contains("increasing time"), "{e:#?}");
    let e = errors(json!({"services": {"web": {"requestsPerSecond": {"daily": [1, 2, 3]}}}}));
    assert!(e[0].contains("at least 24"), "{e:#?}");
    let e = errors(json!({"services": {"web": {"requestsPerSecond": {"value": -5}}}}));
    assert!(e[0].contains("out of range"), "{e:#?}");
    let e = errors(
        json!({"services": {"web": {"requestsPerSecond": {"value": 5},
        "queue": {"messagesPerSecond": {"value": 1}, "secondsPerMessage": 1}}}}),
    );
    assert!(e[0].contains("one kind of load"), "{e:#?}");
    let e = errors(
        json!({"services": {"web": {"requestsPerSecond": {"daily": vec![1; 24],
        "timezone": "Europe/Pariss"}}}}),
    );
    assert!(e[0].contains("did you mean Europe/Paris"), "{e:#?}");
    let e = errors(json!({"start": "next monday"}));
    assert!(e[0].contains("yyyy-mm-dd"), "{e:#?}");
    assert!(errors(json!({"start": "2026-11-23T00:00:00Z",
        "services": {"web": {"cpuPercent": {"value": 50}}}}))
    .is_empty());
}

#[test]
fn bad_schedules_and_step_policies_are_refused() {
    let p = |a: Value| {
        json!({"schemaVersion": 1,
            "cluster": {"availabilityZones": ["us-east-1a"], "containerInstances": [
                {"id": "i-1", "instanceType": "m5.xlarge", "availabilityZone": "us-east-1a"}]},
            "taskDefinitions": [{"family": "web", "containerDefinitions": [
                {"name": "web", "image": "web:1", "cpu": 256, "memory": 512}]}],
            "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 1,
                "autoScaling": a}]})
    };
    let codes = |a: Value| -> Vec<(String, String)> {
        load_value(p(a))
            .findings
            .iter()
            .filter(|f| f.is_error())
            .map(|f| (f.code.clone(), f.path.to_string()))
            .collect()
    };
    let c = codes(
        json!({"minCapacity": 1, "maxCapacity": 4, "scheduledActions": [
        {"ScheduledActionName": "x", "Schedule": "cron(0 7 * * MON *)", "Timezone": "Mars/Base",
         "ScalableTargetAction": {"MinCapacity": 2}}]}),
    );
    let codes_only: Vec<&str> = c.iter().map(|x| x.0.as_str()).collect();
    assert!(codes_only.contains(&"scheduled-action-schedule"), "{c:#?}");
    assert!(codes_only.contains(&"unknown-time-zone"), "{c:#?}");
    let c = codes(json!({"minCapacity": 1, "maxCapacity": 4, "policies": [
        {"PolicyName": "s", "PolicyType": "StepScaling", "StepScalingPolicyConfiguration": {
            "AdjustmentType": "ChangeInCapacity", "StepAdjustments": [
                {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10, "ScalingAdjustment": 1},
                {"MetricIntervalLowerBound": 20, "ScalingAdjustment": 2}]},
         "alarm": {"metric": "CPUUtilization", "comparison": ">=", "threshold": 70, "periodSeconds": 90}}]}));
    assert!(c.iter().any(|x| x.0 == "step-adjustments"), "{c:#?}");
    assert!(c.iter().any(|x| x.0 == "scaling-alarm"), "{c:#?}");
    // An unknown member of the planner's alarm: did you mean.
    let l = load_value(p(json!({"minCapacity": 1, "maxCapacity": 4, "policies": [
        {"PolicyName": "s", "PolicyType": "StepScaling", "StepScalingPolicyConfiguration": {
            "AdjustmentType": "ChangeInCapacity", "StepAdjustments": [
                {"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]},
         "alarm": {"metric": "CPUUtilization", "comparison": ">=", "threshold": 70, "treshold": 1}}]})));
    let f = l
        .findings
        .iter()
        .find(|f| f.code == "unknown-field")
        .unwrap();
    assert!(
        f.fix.as_deref().unwrap_or("").contains("threshold"),
        "{f:?}"
    );
    // A step policy without the planner's alarm is valid AWS: a warning that it is not simulated.
    let l = load_value(p(json!({"minCapacity": 1, "maxCapacity": 4, "policies": [
        {"PolicyName": "s", "PolicyType": "StepScaling", "StepScalingPolicyConfiguration": {
            "AdjustmentType": "ChangeInCapacity", "StepAdjustments": [
                {"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]}}]})));
    assert!(!l.has_errors(), "{:#?}", l.findings);
    assert!(l.findings.iter().any(|f| f.code == "policy-not-simulated"));
    // An alarm without a metric is refused at the alarm's path, naming the member.
    let l = load_value(p(json!({"minCapacity": 1, "maxCapacity": 4, "policies": [
        {"PolicyName": "s", "PolicyType": "StepScaling", "StepScalingPolicyConfiguration": {
            "AdjustmentType": "ChangeInCapacity", "StepAdjustments": [
                {"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]},
         "alarm": {"comparison": ">=", "threshold": 70}}]})));
    let f = l
        .findings
        .iter()
        .find(|f| f.code == "missing-field")
        .unwrap_or_else(|| panic!("{:#?}", l.findings));
    assert_eq!(
        f.path.to_string(),
        "services[0].autoScaling.policies[0].alarm"
    );
    assert!(f.message.contains("`metric`"), "{}", f.message);
}

#[test]
fn the_planner_alarm_is_not_exported() {
    let policy = json!({"PolicyName": "s", "PolicyType": "StepScaling",
        "StepScalingPolicyConfiguration": {"AdjustmentType": "ChangeInCapacity",
            "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]},
        "alarm": {"metric": "CPUUtilization", "comparison": ">=", "threshold": 70}});
    let mut p = plan(
        2,
        1,
        json!({"minCapacity": 1, "maxCapacity": 4, "policies": [policy]}),
        Value::Null,
    );
    p.cluster.cluster_name = "demo".into();
    let reqs = crate::export::put_scaling_policies(&p, &p.services[0]);
    assert_eq!(reqs.len(), 1);
    assert!(reqs[0].get("alarm").is_none());
    assert!(reqs[0].get("StepScalingPolicyConfiguration").is_some());
    for format in [
        crate::export::Format::CloudFormation,
        crate::export::Format::Terraform,
    ] {
        let files = crate::export::export(&p, format);
        for f in files {
            assert!(
                !f.content.contains("alarm") && !f.content.contains("Alarm\""),
                "{format:?}: {}",
                f.content
            );
            assert!(!f.content.contains("comparison"), "{}", f.content);
        }
    }
}

#[test]
fn a_range_with_min_above_max_keeps_the_minimum_instead_of_panicking() {
    // Application Auto Scaling refuses minCapacity above maxCapacity (RegisterScalableTarget);
    // validation reports it (`auto-scaling-range`), but a review simulates the plan anyway: the
    // simulation keeps the minimum, as a capacity provider's group does with MinSize > MaxSize.
    let mut p = json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a"], "containerInstances": [
            {"id": "i-0", "instanceType": "m5.4xlarge", "availabilityZone": "us-east-1a"}]},
        "taskDefinitions": [{"family": "web", "containerDefinitions": [
            {"name": "web", "image": "web:1", "cpu": 1024, "memory": 2048}]}],
        "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 2,
            "autoScaling": {"minCapacity": 4, "maxCapacity": 3,
                "policies": [cpu_policy(50.0, json!({}))]}}]
    });
    p["workload"] = json!({"services": {"web": step_load(400.0, 60, 400.0)}});
    let l = load_value(p);
    assert!(
        l.findings.iter().any(|f| f.code == "auto-scaling-range"),
        "{:#?}",
        l.findings
    );
    let tl = run(&l.plan.expect("a plan despite the finding"), 1800);
    let desired: Vec<u32> = changes(&tl).iter().map(|c| c.1).collect();
    assert!(desired.iter().all(|d| *d <= 4), "{desired:?}");
    assert_eq!(desired.last(), Some(&4), "{desired:?}");
}
