//! The quota plan of issue 14: a cluster at ECS's own limits, generated (never committed as a
//! file) for the benches, tests and timed whole-process runs.
//!
//! [`Quota::full`] is the plan the performance budgets are measured on: 5 000 container
//! instances of five types in three zones under two Auto Scaling group capacity providers
//! (`cp-ondemand`, `cp-spot`), 200 services and ~50 000 tasks in all:
//! - three services of 5 000 tasks (spread over zones and instances; binpack by memory on the
//!   On-Demand provider; a `memberOf` on the instance family split over both providers),
//! - two daemons (one task on every instance),
//! - ten services on Fargate and Fargate Spot (`FARGATE` with a base, `FARGATE_SPOT` weighted),
//! - the rest small (log-uniform 1–400 tasks, scaled so the total comes out right), with spread
//!   and binpack chains, `memberOf` and `distinctInstance` constraints, and capacity provider
//!   strategies with base and weight over the two providers,
//! - target tracking (CPU at 60 %) on 50 of the small services, each with a daily load.
//!
//! [`Quota::unplaced`] adds a service that cannot be placed in full: `distinctInstance` on the
//! instances of the `batch` pool (about 2 % of them) with that many tasks more than the pool
//! has instances (at most 5 000 in all), so at least that many tasks stay unplaced, each with
//! its reasons (on the full plan the pool's instances are full too: all 5 000 stay unplaced).
//!
//! Everything is drawn from a SplitMix64 stream seeded by [`Quota::seed`]: the same sizes and
//! seed give the same JSON, byte for byte. Smaller sizes ([`Quota::scaled`]) keep the shape for
//! tests. `cargo run -p testkit --example quota-plan -- [--scale F] [--seed N] [--unplaced N]`
//! prints the plan for timing whole `ecsplan` processes.

use serde_json::{json, Value};

/// The sizes of a quota plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Quota {
    pub seed: u64,
    /// Container instances (ECS's quota: 5 000 per cluster).
    pub instances: usize,
    /// Services in all, daemons and Fargate services included.
    pub services: usize,
    /// Services of `big_tasks` tasks each.
    pub big_services: usize,
    /// Tasks of a big service (ECS's quota: 5 000 per service).
    pub big_tasks: u32,
    /// Daemon services (one task per instance each).
    pub daemons: usize,
    /// Services on `FARGATE` / `FARGATE_SPOT`.
    pub fargate_services: usize,
    /// Small services with a target tracking policy and a daily load.
    pub target_tracking: usize,
    /// Tasks in all, daemon tasks included (the small services are scaled to make it up).
    pub tasks: usize,
    /// Tasks of the extra `batch-overflow` service that cannot be placed (0: no such service).
    pub unplaced: usize,
}

impl Quota {
    /// The plan of the budgets: 5 000 instances, 200 services, ~50 000 tasks.
    pub fn full() -> Self {
        Quota {
            seed: 14,
            instances: 5_000,
            services: 200,
            big_services: 3,
            big_tasks: 5_000,
            daemons: 2,
            fargate_services: 10,
            target_tracking: 50,
            tasks: 50_000,
            unplaced: 0,
        }
    }

    /// The full plan with every count multiplied by `f` (0 < f ≤ 1), at least one of each kind
    /// and at least 12 services.
    pub fn scaled(f: f64) -> Self {
        let q = Self::full();
        let s = |n: usize| ((n as f64 * f).round() as usize).max(1);
        Quota {
            instances: s(q.instances).max(6),
            services: s(q.services).max(12),
            big_tasks: ((q.big_tasks as f64 * f).round() as u32).max(2),
            target_tracking: s(q.target_tracking),
            fargate_services: s(q.fargate_services),
            tasks: s(q.tasks).max(50),
            ..q
        }
    }

    /// These sizes with `n` tasks that cannot be placed.
    pub fn unplaced(self, n: usize) -> Self {
        Quota {
            unplaced: n,
            ..self
        }
    }

    pub fn seed(self, seed: u64) -> Self {
        Quota { seed, ..self }
    }

    /// The plan document.
    pub fn plan(&self) -> Value {
        generate(self)
    }
}

/// SplitMix64: small, seeded, the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];
/// Instance types, each with its share of the fleet (per cent).
const TYPES: [(&str, usize); 5] = [
    ("m5.xlarge", 30),
    ("m5.2xlarge", 25),
    ("c5.2xlarge", 20),
    ("r5.xlarge", 15),
    ("m5.4xlarge", 10),
];
const PROVIDERS: [&str; 2] = ["cp-ondemand", "cp-spot"];
/// Task sizes of the EC2 task definitions: (CPU units, MiB).
const SIZES: [(u32, u32); 6] = [
    (128, 256),
    (256, 512),
    (256, 1024),
    (512, 1024),
    (512, 2048),
    (1024, 2048),
];

fn chain(rng: &mut Rng) -> Value {
    let chains = [
        json!([{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "memory"}]),
        json!([{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "spread", "field": "instanceId"}]),
        json!([{"type": "binpack", "field": "memory"}]),
        json!([{"type": "binpack", "field": "cpu"}]),
        json!([{"type": "spread", "field": "instanceId"}]),
        json!([{"type": "spread", "field": "attribute:pool"}, {"type": "binpack", "field": "cpu"}]),
        json!([{"type": "random"}]),
    ];
    rng.pick(&chains).clone()
}

fn constraints(rng: &mut Rng) -> Value {
    match rng.below(10) {
        0 => json!([{"type": "distinctInstance"}]),
        1 => json!([{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ m5.*"}]),
        2 => json!([{"type": "memberOf", "expression": "attribute:pool == general"}]),
        3 => {
            json!([{"type": "memberOf", "expression": "attribute:ecs.availability-zone != us-east-1c"}])
        }
        _ => json!([]),
    }
}

/// A capacity provider strategy over the two Auto Scaling group providers, with base and weight.
fn provider_strategy(rng: &mut Rng, tasks: u32) -> Value {
    match rng.below(4) {
        0 => json!([{"capacityProvider": PROVIDERS[0], "weight": 1}]),
        1 => json!([
            {"capacityProvider": PROVIDERS[0], "base": (tasks / 4).min(100), "weight": 1},
            {"capacityProvider": PROVIDERS[1], "weight": 1}
        ]),
        2 => json!([
            {"capacityProvider": PROVIDERS[0], "base": 2.min(tasks), "weight": 1},
            {"capacityProvider": PROVIDERS[1], "weight": 3}
        ]),
        _ => json!([
            {"capacityProvider": PROVIDERS[0], "weight": 2},
            {"capacityProvider": PROVIDERS[1], "weight": 1}
        ]),
    }
}

fn ec2_task_definition(family: &str, cpu: u32, memory: u32) -> Value {
    json!({
        "family": family,
        "networkMode": "bridge",
        "requiresCompatibilities": ["EC2"],
        "containerDefinitions": [{
            "name": "app", "image": format!("123456789012.dkr.ecr.us-east-1.amazonaws.com/{family}:1"),
            "essential": true, "cpu": cpu, "memory": memory,
            "portMappings": [{"containerPort": 8080, "hostPort": 0, "protocol": "tcp"}]
        }]
    })
}

fn fargate_task_definition(family: &str, cpu: u32, memory: u32) -> Value {
    json!({
        "family": family,
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": cpu.to_string(), "memory": memory.to_string(),
        "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
        "containerDefinitions": [{
            "name": "app", "image": format!("123456789012.dkr.ecr.us-east-1.amazonaws.com/{family}:1"),
            "essential": true,
            "portMappings": [{"containerPort": 8080, "protocol": "tcp"}]
        }]
    })
}

fn daily(rng: &mut Rng, peak: f64) -> Value {
    let phase = rng.below(24);
    let v: Vec<Value> = (0..24)
        .map(|h| {
            let x = ((h + phase) % 24) as f64 / 24.0 * std::f64::consts::TAU;
            json!((peak * (0.55 + 0.45 * x.sin())).round())
        })
        .collect();
    Value::from(v)
}

fn generate(q: &Quota) -> Value {
    let mut rng = Rng(q.seed);

    // Instances: types by share, zones round robin, 60 % On-Demand, pools general / batch.
    let mut per_provider = [0usize; 2];
    let instances: Vec<Value> = (0..q.instances)
        .map(|i| {
            let mut roll = rng.below(100);
            let ty = TYPES
                .iter()
                .find(|(_, share)| {
                    let hit = roll < *share;
                    roll = roll.saturating_sub(*share);
                    hit
                })
                .map_or(TYPES[0].0, |t| t.0);
            let p = usize::from(rng.below(10) >= 6);
            per_provider[p] += 1;
            let pool = if i % 50 == 7 { "batch" } else { "general" };
            json!({
                "id": format!("i-{:017x}", 0x0a00_0000_0000_0000u64 + i as u64),
                "instanceType": ty,
                "availabilityZone": ZONES[i % 3],
                "capacityProvider": PROVIDERS[p],
                "attributes": {"pool": pool}
            })
        })
        .collect();
    let batch_pool = (0..q.instances).filter(|i| i % 50 == 7).count();
    let providers: Vec<Value> = PROVIDERS
        .iter()
        .enumerate()
        .map(|(p, name)| {
            let n = per_provider[p];
            json!({
                "name": name,
                "autoScalingGroupProvider": {
                    "autoScalingGroupArn": format!("arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:00000000-0000-0000-0000-00000000000{p}:autoScalingGroupName/{name}"),
                    "managedScaling": {"status": "ENABLED", "targetCapacity": 100, "minimumScalingStepSize": 1, "maximumScalingStepSize": 100, "instanceWarmupPeriod": 300},
                    "managedTerminationProtection": "DISABLED",
                    "managedDraining": "ENABLED"
                },
                "autoScalingGroup": {
                    "AutoScalingGroupName": name,
                    "InstanceTypes": TYPES.iter().map(|t| t.0).collect::<Vec<_>>(),
                    "AvailabilityZones": ZONES,
                    "MinSize": n / 2,
                    "MaxSize": n,
                    "DesiredCapacity": n
                }
            })
        })
        .collect();

    let mut tds = Vec::new();
    let mut services = Vec::new();
    let mut workload = serde_json::Map::new();

    // Daemons: a log agent and a metrics agent on every instance.
    let daemons = q.daemons.min(q.services);
    for d in 0..daemons {
        let family = format!("daemon-{d}");
        tds.push(ec2_task_definition(&family, 64, 128));
        services.push(json!({
            "serviceName": family, "taskDefinition": family,
            "schedulingStrategy": "DAEMON", "launchType": "EC2"
        }));
    }
    let daemon_tasks = daemons * q.instances;

    // Big services at the tasks-per-service quota.
    let big = q.big_services.min(q.services - daemons);
    for b in 0..big {
        let family = format!("big-{b}");
        let (cpu, mem) = [(256, 512), (256, 1024), (512, 1024)][b % 3];
        tds.push(ec2_task_definition(&family, cpu, mem));
        let n = q.big_tasks;
        let mut s = json!({
            "serviceName": family, "taskDefinition": family, "desiredCount": n,
            "deploymentConfiguration": {"maximumPercent": 200, "minimumHealthyPercent": 100}
        });
        match b % 3 {
            0 => {
                s["capacityProviderStrategy"] = json!([
                    {"capacityProvider": PROVIDERS[0], "base": n / 5, "weight": 1},
                    {"capacityProvider": PROVIDERS[1], "weight": 1}
                ]);
                s["placementStrategy"] = json!([{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "spread", "field": "instanceId"}]);
            }
            1 => {
                s["capacityProviderStrategy"] =
                    json!([{"capacityProvider": PROVIDERS[0], "weight": 1}]);
                s["placementStrategy"] = json!([{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "memory"}]);
            }
            _ => {
                s["capacityProviderStrategy"] = json!([
                    {"capacityProvider": PROVIDERS[0], "weight": 1},
                    {"capacityProvider": PROVIDERS[1], "weight": 2}
                ]);
                s["placementStrategy"] = json!([{"type": "binpack", "field": "cpu"}]);
                s["placementConstraints"] = json!([{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ m5.*|c5.*"}]);
            }
        }
        services.push(s);
    }

    // The rest: Fargate services first, then small EC2 services.
    let rest = q.services - daemons - big;
    let fargate = q.fargate_services.min(rest);
    let remaining = q
        .tasks
        .saturating_sub(daemon_tasks + big * q.big_tasks as usize)
        .max(rest);
    let raw: Vec<f64> = (0..rest)
        .map(|_| (rng.unit() * 400f64.ln()).exp())
        .collect();
    let sum: f64 = raw.iter().sum();
    let counts: Vec<u32> = raw
        .iter()
        .map(|r| ((r / sum * remaining as f64).round() as u32).clamp(1, 5_000))
        .collect();
    let mut tracked = 0;
    for (k, &n) in counts.iter().enumerate() {
        let family = format!("svc-{k:03}");
        let mut s = if k < fargate {
            let (cpu, mem) = *rng.pick(&[(256, 512), (512, 1024), (1024, 2048)]);
            tds.push(fargate_task_definition(&family, cpu, mem));
            json!({
                "serviceName": family, "taskDefinition": family, "desiredCount": n,
                "capacityProviderStrategy": [
                    {"capacityProvider": "FARGATE", "base": 1.min(n), "weight": 1},
                    {"capacityProvider": "FARGATE_SPOT", "weight": 1 + rng.below(3)}
                ],
                "networkConfiguration": {"awsvpcConfiguration": {
                    "subnets": ["subnet-0a00000000000000a", "subnet-0a00000000000000b", "subnet-0a00000000000000c"],
                    "securityGroups": ["sg-0a000000000000000"], "assignPublicIp": "DISABLED"
                }}
            })
        } else {
            let (cpu, mem) = *rng.pick(&SIZES);
            tds.push(ec2_task_definition(&family, cpu, mem));
            let mut s = json!({
                "serviceName": family, "taskDefinition": family, "desiredCount": n,
                "placementStrategy": chain(&mut rng),
                "placementConstraints": constraints(&mut rng)
            });
            // One in five on the cluster's default strategy, one in ten on launch type EC2.
            match rng.below(10) {
                0 | 1 => {}
                2 => s["launchType"] = json!("EC2"),
                _ => s["capacityProviderStrategy"] = provider_strategy(&mut rng, n),
            }
            s
        };
        if tracked < q.target_tracking && k >= fargate {
            tracked += 1;
            s["autoScaling"] = json!({
                "minCapacity": (n / 2).max(1),
                "maxCapacity": (n * 2).clamp(2, 5_000),
                "policies": [{
                    "PolicyName": format!("{family}-cpu-60"),
                    "PolicyType": "TargetTrackingScaling",
                    "TargetTrackingScalingPolicyConfiguration": {
                        "TargetValue": 60.0,
                        "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
                        "ScaleOutCooldown": 300, "ScaleInCooldown": 300
                    }
                }]
            });
            let per_task = 100.0;
            workload.insert(
                family.clone(),
                json!({
                    "requestsPerSecond": {"daily": daily(&mut rng, n as f64 * per_task * 0.7)},
                    "requestsPerTaskAt100Percent": per_task
                }),
            );
        }
        services.push(s);
    }

    if q.unplaced > 0 {
        let family = "batch-overflow";
        tds.push(ec2_task_definition(family, 128, 256));
        services.push(json!({
            "serviceName": family, "taskDefinition": family,
            "desiredCount": (batch_pool + q.unplaced).min(5_000),
            "launchType": "EC2",
            "placementConstraints": [
                {"type": "distinctInstance"},
                {"type": "memberOf", "expression": "attribute:pool == batch"}
            ]
        }));
    }

    json!({
        "schemaVersion": 1,
        "name": format!("Quota plan ({} instances, {} services, seed {})", q.instances, services.len(), q.seed),
        "description": "Generated by testkit::quota: a cluster at ECS's quotas, for performance measurements.",
        "region": "us-east-1",
        "cluster": {
            "clusterName": "quota",
            "availabilityZones": ZONES,
            "containerInstances": instances,
            "capacityProviders": providers,
            "defaultCapacityProviderStrategy": [{"capacityProvider": PROVIDERS[0], "weight": 1}]
        },
        "taskDefinitions": tds,
        "services": services,
        "workload": {"start": "2026-11-23T00:00:00Z", "services": workload}
    })
}

/// Tasks the plan asks for: daemon tasks (one per instance) and every service's desired count.
pub fn task_count(plan: &Value) -> usize {
    let instances = plan["cluster"]["containerInstances"]
        .as_array()
        .map_or(0, Vec::len);
    plan["services"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            if s["schedulingStrategy"] == "DAEMON" {
                instances
            } else {
                s["desiredCount"].as_u64().unwrap_or(0) as usize
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_plan_has_the_quota_shape() {
        let q = Quota::full();
        let p = q.plan();
        assert_eq!(
            p["cluster"]["containerInstances"].as_array().unwrap().len(),
            5_000
        );
        let services = p["services"].as_array().unwrap();
        assert_eq!(services.len(), 200);
        let big = services
            .iter()
            .filter(|s| s["desiredCount"] == 5_000)
            .count();
        assert_eq!(big, 3);
        let tasks = task_count(&p);
        assert!((48_000..=52_000).contains(&tasks), "{tasks} tasks");
        let tracked = services
            .iter()
            .filter(|s| s.get("autoScaling").is_some())
            .count();
        assert_eq!(tracked, 50);
        let spot = services
            .iter()
            .filter(|s| s.to_string().contains("FARGATE_SPOT"))
            .count();
        assert_eq!(spot, 10);
        let zones: std::collections::BTreeSet<_> = p["cluster"]["containerInstances"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["availabilityZone"].as_str().unwrap())
            .collect();
        assert_eq!(zones.len(), 3);
    }

    #[test]
    fn same_seed_same_plan_other_seed_other_plan() {
        let a = Quota::scaled(0.05).plan();
        assert_eq!(a, Quota::scaled(0.05).plan());
        assert_ne!(a, Quota::scaled(0.05).seed(15).plan());
    }

    #[test]
    fn unplaced_adds_an_overflow_service() {
        let p = Quota::scaled(0.1).unplaced(30).plan();
        let s = p["services"].as_array().unwrap().last().unwrap();
        assert_eq!(s["serviceName"], "batch-overflow");
        let pool = p["cluster"]["containerInstances"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["attributes"]["pool"] == "batch")
            .count();
        assert_eq!(s["desiredCount"].as_u64().unwrap() as usize, pool + 30);
    }
}
