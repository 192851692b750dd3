//! The planner's limits: how much a plan may ask the engine to compute.
//!
//! Every count in a plan turns into work and memory: a task for each of `desiredCount`, an
//! instance for each one an Auto Scaling group may launch. ECS caps these by quota (5 000 tasks
//! per service, 5 000 services and 5 000 container instances per cluster: the Developer Guide's
//! `service-quotas.md`, digested in `ecs-semantics.md` §7), and the validation rules report a
//! plan beyond a quota as AWS would refuse it (`rules::quotas`) — but such a plan still loads, so
//! that the board can show it with its errors. The limits here are well above the quotas (twice
//! the instances, twenty times the tasks of one service: the sizes the placement benchmarks
//! measure, `docs/performance.md`) and bound what any plan can cost: a plan beyond one is
//! **withheld** like a plan with a structural error, so nothing is placed or simulated for it and
//! no memory is allocated for its counts. `docs/hostile-input.md` lists them.
//!
//! Numbers themselves are bounded earlier: the API's integers are 32-bit (`schema::botocore`),
//! which keeps a product of two of them within 64 bits.

use super::{Plan, SchedulingStrategy};
use crate::findings::{Finding, JsonPath};
use serde_json::Value;

/// Tasks a plan may ask for at once: the services' desired counts (or their auto scaling
/// maximum, or a scheduled action's capacity, whichever is larger), the RunTask counts, and a
/// daemon task per instance for each daemon service.
pub const MAX_TASKS: u64 = 100_000;
/// Container instances a plan may have: those listed, plus what its Auto Scaling groups may
/// launch (their `MaxSize`).
pub const MAX_INSTANCES: u64 = 10_000;
/// Services, task definitions (every revision) and RunTask requests, each.
pub const MAX_ITEMS: usize = 10_000;
/// Capacity providers (ECS allows 20 per cluster).
pub const MAX_CAPACITY_PROVIDERS: usize = 100;

/// One count that adds to a total, with where it is written.
struct Part {
    path: JsonPath,
    count: u64,
    what: String,
}

/// Every limit the plan exceeds, as errors that withhold it.
pub fn check(plan: &Plan) -> Vec<Finding> {
    let root = JsonPath::root();
    let mut out = Vec::new();
    for (key, n, what) in [
        ("services", plan.services.len(), "services"),
        (
            "taskDefinitions",
            plan.task_definitions.len(),
            "task definitions",
        ),
        ("tasks", plan.tasks.len(), "RunTask requests"),
    ] {
        if n > MAX_ITEMS {
            out.push(too_many(
                root.key(key),
                format!("the plan has {n} {what}; the planner computes plans of up to {MAX_ITEMS}"),
                format!("split the plan: keep at most {MAX_ITEMS} {what} in one"),
            ));
        }
    }
    let providers = plan.cluster.capacity_providers.len();
    if providers > MAX_CAPACITY_PROVIDERS {
        out.push(too_many(
            root.key("cluster").key("capacityProviders"),
            format!("the plan has {providers} capacity providers; the planner computes plans of up to {MAX_CAPACITY_PROVIDERS} (ECS allows 20 per cluster)"),
            "keep at most 20 capacity providers, as ECS does",
        ));
    }
    let instances = instance_parts(plan);
    let total_instances = total(&instances);
    if total_instances > MAX_INSTANCES {
        out.push(over(
            &instances,
            total_instances,
            MAX_INSTANCES,
            "container instances",
            "ECS allows 5000 container instances per cluster",
        ));
    }
    let tasks = task_parts(plan, total_instances.min(MAX_INSTANCES));
    let total_tasks = total(&tasks);
    if total_tasks > MAX_TASKS {
        out.push(over(
            &tasks,
            total_tasks,
            MAX_TASKS,
            "tasks",
            "ECS allows 5000 tasks per service",
        ));
    }
    out
}

fn too_many(path: JsonPath, message: String, fix: impl Into<String>) -> Finding {
    Finding::error("planner-limit", path, message)
        .with_fix(fix)
        .with_doc("service-quotas.md")
}

fn total(parts: &[Part]) -> u64 {
    parts.iter().fold(0u64, |a, p| a.saturating_add(p.count))
}

/// The finding for a total over its limit, at the largest part (the likely mistake).
fn over(parts: &[Part], total: u64, limit: u64, unit: &str, quota: &str) -> Finding {
    let Some(big) = parts.iter().rev().max_by_key(|p| p.count) else {
        return too_many(
            JsonPath::root(),
            format!("the plan asks for {total} {unit}; the planner computes up to {limit}"),
            format!("ask for at most {limit} {unit}"),
        );
    };
    let share = if big.count == total {
        String::new()
    } else {
        format!(" in all, {} of them from {}", big.count, big.what)
    };
    too_many(
        big.path.clone(),
        format!(
            "the plan asks for {total} {unit}{share}; the planner computes up to {limit} ({quota})"
        ),
        format!(
            "lower {} to what the cluster really runs (at most {limit} {unit} in the whole plan)",
            big.what
        ),
    )
}

/// A whole number member of a JSON object, at least 0 (negative values are the schema's).
fn count(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

fn instance_parts(plan: &Plan) -> Vec<Part> {
    let root = JsonPath::root().key("cluster");
    let listed = &plan.cluster.container_instances;
    let mut parts = Vec::new();
    let mut in_groups = 0u64;
    for (i, cp) in plan.cluster.capacity_providers.iter().enumerate() {
        let Some(g) = &cp.auto_scaling_group else {
            continue;
        };
        let members = listed
            .iter()
            .filter(|x| x.capacity_provider.as_deref() == Some(cp.name.as_str()))
            .count() as u64;
        in_groups += members;
        let group = [g.max_size, g.desired_capacity, g.min_size]
            .into_iter()
            .flatten()
            .map(u64::from)
            .max()
            .unwrap_or(0);
        let path = root
            .key("capacityProviders")
            .index(i)
            .key("autoScalingGroup")
            .key("MaxSize");
        parts.push(Part {
            path,
            count: group.max(members),
            what: format!("the Auto Scaling group of capacity provider {}", cp.name),
        });
    }
    let others = (listed.len() as u64).saturating_sub(in_groups);
    if others > 0 {
        parts.push(Part {
            path: root.key("containerInstances"),
            count: others,
            what: "cluster.containerInstances".into(),
        });
    }
    parts
}

fn task_parts(plan: &Plan, instances: u64) -> Vec<Part> {
    let mut parts = Vec::new();
    for (i, svc) in plan.services.iter().enumerate() {
        let path = JsonPath::root().key("services").index(i);
        if svc.scheduling_strategy == Some(SchedulingStrategy::Daemon) {
            parts.push(Part {
                path: path.key("schedulingStrategy"),
                count: instances,
                what: format!("daemon service {} (a task per instance)", svc.service_name),
            });
            continue;
        }
        let mut best = Part {
            path: path.key("desiredCount"),
            count: svc.desired_count.map_or(0, u64::from),
            what: format!("the desiredCount of service {}", svc.service_name),
        };
        let a = svc.auto_scaling.as_ref().map(|w| w.json());
        if let Some(max) = a.and_then(|a| count(a, "maxCapacity")) {
            if max > best.count {
                best = Part {
                    path: path.key("autoScaling").key("maxCapacity"),
                    count: max,
                    what: format!(
                        "the auto scaling maxCapacity of service {}",
                        svc.service_name
                    ),
                };
            }
        }
        let actions = a
            .and_then(|a| a.get("scheduledActions"))
            .and_then(Value::as_array);
        for (j, action) in actions.into_iter().flatten().enumerate() {
            let Some(t) = action.get("ScalableTargetAction") else {
                continue;
            };
            for key in ["MinCapacity", "MaxCapacity"] {
                if let Some(n) = count(t, key).filter(|n| *n > best.count) {
                    best = Part {
                        path: path
                            .key("autoScaling")
                            .key("scheduledActions")
                            .index(j)
                            .key("ScalableTargetAction")
                            .key(key),
                        count: n,
                        what: format!(
                            "the {key} of a scheduled action of service {}",
                            svc.service_name
                        ),
                    };
                }
            }
        }
        parts.push(best);
    }
    for (i, task) in plan.tasks.iter().enumerate() {
        parts.push(Part {
            path: JsonPath::root().key("tasks").index(i).key("count"),
            count: task.count.map_or(1, u64::from),
            what: format!("the count of RunTask request {i}"),
        });
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plan(v: Value) -> Plan {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_huge_desired_count_is_refused_where_it_is_written() {
        let p = plan(json!({"schemaVersion": 1,
            "services": [{"serviceName": "a", "desiredCount": 3},
                         {"serviceName": "web", "desiredCount": 4_000_000_000u32}]}));
        let f = check(&p);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].code, "planner-limit");
        assert_eq!(f[0].path.to_string(), "services[1].desiredCount");
        assert!(
            f[0].message.contains(
                "4000000003 tasks in all, 4000000000 of them from the desiredCount of service web"
            ),
            "{}",
            f[0].message
        );
        assert!(f[0]
            .fix
            .as_deref()
            .unwrap()
            .contains("lower the desiredCount of service web"));
    }

    #[test]
    fn the_sum_counts_auto_scaling_scheduled_actions_run_tasks_and_daemons() {
        let svc = |i: usize| {
            json!({"serviceName": format!("s{i}"), "desiredCount": 1,
            "autoScaling": {"minCapacity": 1, "maxCapacity": 5000}})
        };
        let services: Vec<Value> = (0..20).map(svc).collect();
        let p = plan(json!({"schemaVersion": 1, "services": services}));
        assert!(check(&p).is_empty(), "20 x 5000 = the limit exactly");
        let mut services: Vec<Value> = (0..20).map(svc).collect();
        services.push(json!({"serviceName": "x", "desiredCount": 1, "autoScaling": {"minCapacity": 1, "maxCapacity": 1,
            "scheduledActions": [{"ScheduledActionName": "s", "ScalableTargetAction": {"MinCapacity": 2}}]}}));
        let f = check(&plan(json!({"schemaVersion": 1, "services": services})));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].path.to_string(), "services[0].autoScaling.maxCapacity");
        let f = check(&plan(json!({"schemaVersion": 1,
            "services": [{"serviceName": "d", "schedulingStrategy": "DAEMON"}],
            "cluster": {"capacityProviders": [{"name": "cp", "autoScalingGroup": {"MaxSize": 10_001}}]}})));
        let paths: Vec<String> = f.iter().map(|f| f.path.to_string()).collect();
        assert_eq!(
            paths,
            ["cluster.capacityProviders[0].autoScalingGroup.MaxSize"],
            "the daemon counts the instances up to the limit only"
        );
        let tasks: Vec<Value> = (0..10_001)
            .map(|_| json!({"taskDefinition": "t", "count": 10}))
            .collect();
        let f = check(&plan(json!({"schemaVersion": 1, "tasks": tasks})));
        let paths: Vec<String> = f.iter().map(|f| f.path.to_string()).collect();
        assert_eq!(paths, ["tasks", "tasks[0].count"]);
    }

    #[test]
    fn instances_of_a_group_are_counted_once() {
        let insts: Vec<Value> = (0..6000)
            .map(|i| json!({"id": format!("i-{i}"), "instanceType": "m5.large", "availabilityZone": "z", "capacityProvider": "cp"}))
            .collect();
        let p = plan(
            json!({"schemaVersion": 1, "cluster": {"containerInstances": insts,
            "capacityProviders": [{"name": "cp", "autoScalingGroup": {"MaxSize": 8000}}]}}),
        );
        assert!(check(&p).is_empty());
        let insts: Vec<Value> = (0..6000)
            .map(|i| json!({"id": format!("i-{i}"), "instanceType": "m5.large", "availabilityZone": "z"}))
            .collect();
        let p = plan(
            json!({"schemaVersion": 1, "cluster": {"containerInstances": insts,
            "capacityProviders": [{"name": "cp", "autoScalingGroup": {"MaxSize": 5000}}]}}),
        );
        let f = check(&p);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].path.to_string(), "cluster.containerInstances");
        assert!(
            f[0].message.contains("11000 container instances in all"),
            "{}",
            f[0].message
        );
    }
}
