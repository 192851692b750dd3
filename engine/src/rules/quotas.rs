//! ECS's service quotas that a plan can exceed (`service-quotas.md`, digested in
//! `ecs-semantics.md` §7): AWS refuses the request or the registration beyond them.
//!
//! Tasks per service, services and container instances per cluster are adjustable on request
//! by AWS Support in some accounts; the planner checks the defaults, as a new account has them.
//! The quotas of one request (containers per task definition, tasks per RunTask call, providers
//! per strategy) are checked with the request (`containers.rs`, `service.rs`, `capacity.rs`).
//! Far beyond these, the planner's own limits (`plan::limits`) withhold the plan; they make the
//! quota of 1 000 000 revisions per task definition family unreachable (a plan holds at most
//! 10 000 task definitions), so it has no rule.

use super::finding;
use crate::findings::{Finding, JsonPath};
use crate::plan::Plan;
use serde_json::Value;

/// Tasks per service.
pub const TASKS_PER_SERVICE: u64 = 5_000;
/// Services per cluster.
pub const SERVICES_PER_CLUSTER: usize = 5_000;
/// Container instances per cluster.
pub const INSTANCES_PER_CLUSTER: u64 = 5_000;
/// Capacity providers per cluster.
pub const CAPACITY_PROVIDERS_PER_CLUSTER: usize = 20;

pub(super) fn check(plan: &Plan, out: &mut Vec<Finding>) {
    let root = JsonPath::root();
    let n = plan.services.len();
    if n > SERVICES_PER_CLUSTER {
        out.push(finding(
            "services-per-cluster",
            root.key("services"),
            format!("the plan has {n} services; ECS allows {SERVICES_PER_CLUSTER} per cluster"),
            "split the services over several clusters (one plan each)",
        ));
    }
    for (i, svc) in plan.services.iter().enumerate() {
        let p = root.key("services").index(i);
        if let Some(d) = svc.desired_count.map(u64::from) {
            if d > TASKS_PER_SERVICE {
                out.push(tasks_per_service(
                    p.key("desiredCount"),
                    &svc.service_name,
                    "desiredCount",
                    d,
                ));
            }
        }
        let actions = svc
            .auto_scaling
            .as_ref()
            .and_then(|a| a.json().get("scheduledActions"))
            .and_then(Value::as_array);
        for (j, a) in actions.into_iter().flatten().enumerate() {
            for key in ["MinCapacity", "MaxCapacity"] {
                let v = a
                    .get("ScalableTargetAction")
                    .and_then(|t| t.get(key))
                    .and_then(Value::as_u64);
                if let Some(v) = v.filter(|v| *v > TASKS_PER_SERVICE) {
                    let at = p
                        .key("autoScaling")
                        .key("scheduledActions")
                        .index(j)
                        .key("ScalableTargetAction")
                        .key(key);
                    out.push(tasks_per_service(at, &svc.service_name, key, v));
                }
            }
        }
    }
    let cluster = root.key("cluster");
    let listed = plan.cluster.container_instances.len() as u64;
    if listed > INSTANCES_PER_CLUSTER {
        out.push(finding(
            "instances-per-cluster",
            cluster.key("containerInstances"),
            format!("the cluster has {listed} container instances; ECS registers at most {INSTANCES_PER_CLUSTER} per cluster"),
            "use larger instance types, or split the workload over several clusters",
        ));
    }
    for (i, cp) in plan.cluster.capacity_providers.iter().enumerate() {
        let max = cp.auto_scaling_group.as_ref().and_then(|g| g.max_size);
        if let Some(m) = max.map(u64::from).filter(|m| *m > INSTANCES_PER_CLUSTER) {
            out.push(finding(
                "instances-per-cluster",
                cluster
                    .key("capacityProviders")
                    .index(i)
                    .key("autoScalingGroup")
                    .key("MaxSize"),
                format!("the Auto Scaling group of {} may grow to {m} instances; ECS registers at most {INSTANCES_PER_CLUSTER} per cluster, so scaling stalls there", cp.name),
                format!("set MaxSize to at most {INSTANCES_PER_CLUSTER}"),
            ));
        }
    }
    let providers = plan.cluster.capacity_providers.len();
    if providers > CAPACITY_PROVIDERS_PER_CLUSTER {
        out.push(finding(
            "capacity-providers-per-cluster",
            cluster.key("capacityProviders"),
            format!("the cluster has {providers} capacity providers; ECS associates at most {CAPACITY_PROVIDERS_PER_CLUSTER} with a cluster"),
            format!("keep at most {CAPACITY_PROVIDERS_PER_CLUSTER}: an Auto Scaling group can mix instance types behind one provider"),
        ));
    }
}

fn tasks_per_service(path: JsonPath, service: &str, what: &str, n: u64) -> Finding {
    finding(
        "tasks-per-service",
        path,
        format!("service {service} asks for {n} tasks ({what}); ECS runs at most {TASKS_PER_SERVICE} tasks per service"),
        format!("use at most {TASKS_PER_SERVICE}, or split the work over several services"),
    )
}
