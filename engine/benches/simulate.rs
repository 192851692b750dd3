//! Simulation speed (issue 5): 24 simulated hours of a 3-service plan with target tracking, a
//! scheduled action and a capacity provider, on the one-second clock. `cargo bench -p
//! ecs-planner-engine --bench simulate` runs it and prints the timeline's size; the figures are
//! reported in docs/performance.md, never asserted in tests. Also a rolling update of a
//! 1 000-task service on 300 instances.

use criterion::{criterion_group, criterion_main, Criterion};
use engine::api::placement::PlaceOptions;
use engine::api::plan::{load_value, Plan};
use engine::api::sim::{deploy, simulate, DeployOutcome, DeployRequest, EventKind, Timeline};
use serde_json::json;
use std::mem::size_of;
use std::time::Duration;

/// A two-zone cluster of 8 m5.xlarge behind a capacity provider; `web` (CPU target tracking,
/// a weekday-morning scheduled action in Europe/Dublin, behind a load balancer), `api` (ALB
/// requests per target) and `worker` (SQS backlog per task), each with a daily load.
pub fn day_plan() -> Plan {
    let insts: Vec<_> = (0..8)
        .map(|i| {
            json!({"id": format!("i-{i:04}"), "instanceType": "m5.xlarge",
                "availabilityZone": if i % 2 == 0 { "us-east-1a" } else { "us-east-1b" },
                "capacityProvider": "main"})
        })
        .collect();
    let daily = |lo: f64, hi: f64| -> Vec<f64> {
        (0..24)
            .map(|h| {
                let x = ((h as f64 - 14.0) / 24.0 * std::f64::consts::TAU).cos();
                lo + (hi - lo) * (x + 1.0) / 2.0
            })
            .collect()
    };
    let tt = |name: &str, metric: &str, target: f64| {
        let mut spec = json!({"PredefinedMetricType": metric});
        if metric == "ALBRequestCountPerTarget" {
            spec["ResourceLabel"] = json!("app/lb/1/targetgroup/api/2");
        }
        json!({"PolicyName": name, "PolicyType": "TargetTrackingScaling",
            "TargetTrackingScalingPolicyConfiguration": {"TargetValue": target,
                "PredefinedMetricSpecification": spec}})
    };
    let tg = |n: &str| {
        json!([{"targetGroupArn": format!("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/{n}/1"),
            "containerName": n, "containerPort": 8080}])
    };
    let td = |n: &str, cpu: u32, mem: u32| {
        json!({"family": n, "containerDefinitions": [{"name": n, "image": format!("{n}:1"),
            "cpu": cpu, "memory": mem, "portMappings": [{"containerPort": 8080, "hostPort": 0}]}]})
    };
    let l = load_value(json!({
        "schemaVersion": 1,
        "cluster": {"clusterName": "bench", "availabilityZones": ["us-east-1a", "us-east-1b"],
            "containerInstances": insts,
            "capacityProviders": [{"name": "main", "autoScalingGroupProvider": {
                "autoScalingGroupArn": "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/main",
                "managedScaling": {"status": "ENABLED", "targetCapacity": 100}},
                "autoScalingGroup": {"AutoScalingGroupName": "main", "InstanceTypes": ["m5.xlarge"],
                    "MinSize": 2, "MaxSize": 20, "DesiredCapacity": 8}}],
            "defaultCapacityProviderStrategy": [{"capacityProvider": "main", "weight": 1}]},
        "taskDefinitions": [td("web", 512, 1024), td("api", 512, 1024), td("worker", 256, 512)],
        "services": [
            {"serviceName": "web", "taskDefinition": "web", "desiredCount": 4, "loadBalancers": tg("web"),
             "autoScaling": {"minCapacity": 2, "maxCapacity": 30,
                "policies": [tt("web-cpu", "ECSServiceAverageCPUUtilization", 60.0)],
                "scheduledActions": [{"ScheduledActionName": "mornings", "Schedule": "cron(0 7 ? * MON-FRI *)",
                    "Timezone": "Europe/Dublin", "ScalableTargetAction": {"MinCapacity": 6, "MaxCapacity": 30}}]}},
            {"serviceName": "api", "taskDefinition": "api", "desiredCount": 4, "loadBalancers": tg("api"),
             "autoScaling": {"minCapacity": 2, "maxCapacity": 30,
                "policies": [tt("api-requests", "ALBRequestCountPerTarget", 3000.0)]}},
            {"serviceName": "worker", "taskDefinition": "worker", "desiredCount": 2,
             "autoScaling": {"minCapacity": 1, "maxCapacity": 20,
                "policies": [{"PolicyName": "backlog", "PolicyType": "TargetTrackingScaling",
                  "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 50,
                    "CustomizedMetricSpecification": {"MetricName": "BacklogPerTask", "Namespace": "Bench",
                      "Statistic": "Average"}}}]}}
        ],
        "workload": {"start": "2026-11-23T00:00:00Z", "services": {
            "web": {"requestsPerSecond": {"daily": daily(50.0, 600.0), "noise": 0.05}, "requestsPerTaskAt100Percent": 100},
            "api": {"requestsPerSecond": {"daily": daily(100.0, 900.0)}, "requestsPerTaskAt100Percent": 150},
            "worker": {"queue": {"messagesPerSecond": {"daily": daily(1.0, 12.0)}, "secondsPerMessage": 0.5}}
        }}
    }));
    assert!(!l.has_errors(), "{:#?}", l.errors().collect::<Vec<_>>());
    l.plan.unwrap()
}

/// Bytes the timeline holds: its vectors' elements and the text of its strings, each shared
/// name once (the minutes as they read back: their held form is smaller; `cargo test -p
/// ecs-planner-engine --test quota_memory -- --ignored weigh_the_day` weighs the allocations).
pub fn timeline_bytes(tl: &Timeline) -> usize {
    let s = |x: &String| x.capacity();
    let mut shared = std::collections::HashSet::new();
    let mut n = |x: &engine::api::sim::Name| {
        if shared.insert(std::sync::Arc::as_ptr(x) as *const u8) {
            x.len()
        } else {
            0
        }
    };
    let mut events = 0;
    for e in &tl.events {
        events += size_of_val(e) + s(&e.message);
        events += e.task.as_ref().map_or(0, String::capacity);
        for x in [&e.service, &e.instance].into_iter().flatten() {
            events += n(x);
        }
    }
    let services: usize = tl
        .services
        .iter()
        .map(|x| {
            size_of_val(x)
                + s(&x.service)
                + x.samples.capacity() * size_of::<engine::api::sim::ServiceSample>()
        })
        .sum();
    let mut tasks = 0;
    for t in &tl.tasks {
        tasks += size_of_val(t)
            + s(&t.task)
            + t.states.capacity() * size_of::<(u32, engine::api::sim::TaskState)>();
        tasks += n(&t.service) + n(&t.task_definition);
        for x in [&t.instance, &t.capacity_provider, &t.availability_zone]
            .into_iter()
            .flatten()
        {
            tasks += n(x);
        }
    }
    let minutes: usize = tl
        .minutes
        .iter()
        .map(|m| {
            size_of_val(&m)
                + m.services.capacity() * size_of::<engine::api::sim::ServiceMinute>()
                + m.capacity_providers
                    .iter()
                    .map(|p| size_of_val(p) + s(&p.name))
                    .sum::<usize>()
        })
        .sum();
    size_of::<Timeline>() + events + services + tasks + minutes
}

/// 300 m5.2xlarge in three zones and `web` (1 000 tasks of 1 vCPU / 2 GiB, dynamic host ports,
/// behind a load balancer, min 100 % / max 200 %), with revision 2 registered to deploy to.
pub fn rolling_plan() -> Plan {
    let zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
    let insts: Vec<_> = (0..300)
        .map(|i| json!({"id": format!("i-{i:04}"), "instanceType": "m5.2xlarge", "availabilityZone": zones[i % 3]}))
        .collect();
    let td = |image: &str| {
        json!({"family": "web", "containerDefinitions": [{"name": "web", "image": image,
            "cpu": 1024, "memory": 2048, "portMappings": [{"containerPort": 8080, "hostPort": 0}]}]})
    };
    let l = load_value(json!({
        "schemaVersion": 1,
        "cluster": {"clusterName": "rolling", "availabilityZones": zones, "containerInstances": insts},
        "taskDefinitions": [td("web:1"), td("web:2")],
        "services": [{"serviceName": "web", "taskDefinition": "web:1", "desiredCount": 1000,
            "loadBalancers": [{"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1",
                "containerName": "web", "containerPort": 8080}],
            "deploymentConfiguration": {"minimumHealthyPercent": 100, "maximumPercent": 200}}]
    }));
    l.plan.expect("the rolling bench plan loads")
}

fn bench(c: &mut Criterion) {
    let rolling = rolling_plan();
    let opts = PlaceOptions::for_plan(&rolling);
    let req = DeployRequest::new("web", Some("web:2"));
    let r = deploy(&rolling, &req, &opts).expect("the rolling deployment runs");
    assert_eq!(r.outcome, DeployOutcome::Completed, "{}", r.reason);
    eprintln!(
        "rolling update, 1 000 tasks on 300 instances: {} s simulated, {} events, timeline {} bytes",
        r.duration_seconds,
        r.events.len(),
        timeline_bytes(&r.timeline)
    );
    let mut g = c.benchmark_group("deploy");
    g.sample_size(20).measurement_time(Duration::from_secs(10));
    g.bench_function("rolling-1000-tasks-300-instances", |b| {
        b.iter(|| deploy(&rolling, &req, &opts))
    });
    g.finish();

    let plan = day_plan();
    let opts = PlaceOptions::default();
    let tl = simulate(&plan, 86_400, &opts);
    let changes = tl
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::DesiredCount { .. }))
        .count();
    eprintln!(
        "24 h timeline: {} bytes ({} events, {} of them desired-count changes; {} tasks; {} minute samples; {} service samples)",
        timeline_bytes(&tl),
        tl.events.len(),
        changes,
        tl.tasks.len(),
        tl.minutes.len(),
        tl.services.iter().map(|s| s.samples.len()).sum::<usize>()
    );
    let mut g = c.benchmark_group("simulate");
    g.sample_size(20).measurement_time(Duration::from_secs(10));
    g.bench_function("24h-3-services-tt-scheduled-capacity-provider", |b| {
        b.iter(|| simulate(&plan, 86_400, &opts))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
