//! Random plans for property tests (proptest strategies): up to 24 container instances of six
//! types in three zones (some DRAINING, some with a custom `tier` attribute, some with ENI
//! trunking), three task definitions (bridge, host or awsvpc; CPU, memory, a host port,
//! sometimes a GPU), one to four services with random strategy chains and constraints (one in
//! ten a daemon) and up to one RunTask. The plans are JSON documents: a test loads them with
//! the engine it tests.

use proptest::prelude::*;
use serde_json::{json, Value};

pub const TYPES: [&str; 6] = [
    "t3.small",
    "t3.medium",
    "m5.large",
    "c5.large",
    "r5.large",
    "g4dn.xlarge",
];

pub fn instance() -> impl Strategy<Value = Value> {
    (
        0..TYPES.len(),
        0..3usize,
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.3),
        prop::bool::ANY,
    )
        .prop_map(|(t, az, draining, tagged, trunk)| {
            let zone = ["us-east-1a", "us-east-1b", "us-east-1c"][az];
            let mut v = json!({"instanceType": TYPES[t], "availabilityZone": zone});
            if draining {
                v["status"] = json!("DRAINING");
            }
            if tagged {
                v["attributes"] = json!({"tier": "gold"});
            }
            if trunk {
                v["eniTrunking"] = json!(true);
            }
            v
        })
}

pub fn task_definition(i: usize) -> impl Strategy<Value = Value> {
    (
        prop_oneof![Just("bridge"), Just("host"), Just("awsvpc")],
        0u32..2048,
        64u32..5000,
        prop::option::of(prop_oneof![Just(80u32), Just(8080), Just(0)]),
        prop::bool::weighted(0.1),
    )
        .prop_map(move |(mode, cpu, mem, port, gpu)| {
            let mut c = json!({"name": "c", "image": "x", "cpu": cpu, "memory": mem});
            if let Some(p) = port {
                c["portMappings"] = if mode == "bridge" {
                    json!([{"containerPort": 80, "hostPort": p}])
                } else {
                    json!([{"containerPort": if p == 0 { 80 } else { p }}])
                };
            }
            if gpu {
                c["resourceRequirements"] = json!([{"type": "GPU", "value": "1"}]);
            }
            json!({"family": format!("f{i}"), "networkMode": mode, "containerDefinitions": [c]})
        })
}

pub fn strategy() -> impl Strategy<Value = Value> {
    let rule = prop_oneof![
        Just(json!({"type": "binpack", "field": "memory"})),
        Just(json!({"type": "binpack", "field": "cpu"})),
        Just(json!({"type": "spread", "field": "attribute:ecs.availability-zone"})),
        Just(json!({"type": "spread", "field": "instanceId"})),
        Just(json!({"type": "spread", "field": "attribute:tier"})),
        Just(json!({"type": "random"})),
    ];
    prop::collection::vec(rule, 0..4).prop_map(Value::from)
}

pub fn constraints() -> impl Strategy<Value = Value> {
    let c = prop_oneof![
        Just(json!({"type": "distinctInstance"})),
        Just(json!({"type": "memberOf", "expression": "attribute:ecs.instance-type =~ m5.*|c5.*"})),
        Just(json!({"type": "memberOf", "expression": "attribute:tier == gold"})),
        Just(json!({"type": "memberOf", "expression": "not(task:group == service:s0)"})),
        Just(json!({"type": "memberOf", "expression": "runningTasksCount < 3"})),
    ];
    prop::collection::vec(c, 0..3).prop_map(Value::from)
}

pub fn plan() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(instance(), 1..25),
        (task_definition(0), task_definition(1), task_definition(2)),
        prop::collection::vec((0..3usize, 0u32..15, strategy(), constraints(), prop::bool::weighted(0.1)), 1..5),
        prop::collection::vec((0..3usize, 1u32..5, strategy()), 0..2),
    )
        .prop_map(|(insts, tds, services, runs)| {
            let insts: Vec<Value> = insts
                .into_iter()
                .enumerate()
                .map(|(i, mut v)| {
                    v["id"] = json!(format!("i-{i:03}"));
                    v
                })
                .collect();
            let services: Vec<Value> = services
                .into_iter()
                .enumerate()
                .map(|(i, (td, n, st, c, daemon))| {
                    let mut s = json!({"serviceName": format!("s{i}"), "taskDefinition": format!("f{td}"), "placementStrategy": st, "placementConstraints": c});
                    if daemon {
                        s["schedulingStrategy"] = json!("DAEMON");
                        s["placementStrategy"] = json!([]);
                    } else {
                        s["desiredCount"] = json!(n);
                    }
                    s
                })
                .collect();
            let runs: Vec<Value> = runs
                .into_iter()
                .map(|(td, n, st)| json!({"taskDefinition": format!("f{td}"), "count": n, "placementStrategy": st}))
                .collect();
            json!({
                "schemaVersion": 1,
                "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b", "us-east-1c"], "containerInstances": insts},
                "taskDefinitions": [tds.0, tds.1, tds.2],
                "services": services,
                "tasks": runs
            })
        })
}

pub const REVIEW_ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];
const REVIEW_TYPES: [&str; 3] = ["m5.2xlarge", "m5.xlarge", "c5.2xlarge"];

/// A large plan for the review benchmark: `instances` container instances in three zones behind
/// a capacity provider with managed scaling, ten services sharing `tasks` tasks (mixed sizes,
/// spread over zones then binpack on memory, dynamic host ports, half with the circuit
/// breaker), two of them with CPU target tracking under a daily workload.
pub fn review_plan(instances: usize, tasks: usize) -> Value {
    let insts: Vec<Value> = (0..instances)
        .map(|i| {
            json!({"id": format!("i-{i:06}"), "instanceType": REVIEW_TYPES[i % 3],
                "availabilityZone": REVIEW_ZONES[i % 3], "capacityProvider": "main"})
        })
        .collect();
    let sizes = [
        (256, 512),
        (512, 1024),
        (128, 256),
        (1024, 2048),
        (256, 1024),
    ];
    let mut tds = Vec::new();
    let mut services = Vec::new();
    for s in 0..10 {
        let (cpu, mem) = sizes[s % sizes.len()];
        tds.push(
            json!({"family": format!("svc{s}"), "containerDefinitions": [{"name": "app",
            "image": format!("app{s}:1"), "cpu": cpu, "memory": mem,
            "portMappings": [{"containerPort": 8080, "hostPort": 0}]}]}),
        );
        let mut svc = json!({"serviceName": format!("svc{s}"), "taskDefinition": format!("svc{s}"),
            "desiredCount": tasks / 10,
            "placementStrategy": [{"type": "spread", "field": "attribute:ecs.availability-zone"},
                                  {"type": "binpack", "field": "memory"}]});
        if s % 2 == 0 {
            svc["deploymentConfiguration"] = json!({"maximumPercent": 150, "minimumHealthyPercent": 100,
                "deploymentCircuitBreaker": {"enable": true, "rollback": true}});
        }
        if s < 2 {
            svc["autoScaling"] = json!({"minCapacity": tasks / 20, "maxCapacity": tasks / 5,
                "policies": [{"PolicyName": "cpu", "PolicyType": "TargetTrackingScaling",
                    "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 60,
                        "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}}]});
        }
        services.push(svc);
    }
    let daily: Vec<f64> = (0..24)
        .map(|h| 35.0 + 30.0 * ((h as f64 - 14.0) / 24.0 * std::f64::consts::TAU).cos())
        .collect();
    json!({
        "schemaVersion": 1,
        "name": "review bench",
        "cluster": {"clusterName": "bench", "availabilityZones": REVIEW_ZONES, "containerInstances": insts,
            "capacityProviders": [{"name": "main", "autoScalingGroupProvider": {
                "autoScalingGroupArn": "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/main",
                "managedScaling": {"status": "ENABLED", "targetCapacity": 100}},
                "autoScalingGroup": {"AutoScalingGroupName": "main", "InstanceTypes": ["m5.2xlarge"],
                    "AvailabilityZones": REVIEW_ZONES,
                    "MinSize": instances / 2, "MaxSize": instances + instances / 5, "DesiredCapacity": instances}}],
            "defaultCapacityProviderStrategy": [{"capacityProvider": "main", "weight": 1}]},
        "taskDefinitions": tds,
        "services": services,
        "workload": {"services": {
            "svc0": {"cpuPercent": {"daily": daily.clone()}},
            "svc1": {"cpuPercent": {"daily": daily}}}}
    })
}
