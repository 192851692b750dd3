//! Reference checks: everything in a plan that names something else must find it.

use super::{CapacityProviderStrategyItem, Plan, TaskDefRef};
use crate::findings::{Finding, JsonPath};
use crate::schema::did_you_mean;
use crate::sort::set_of;
use std::collections::{BTreeSet, HashSet};

/// Capacity provider names that exist in every account and need no definition.
pub const FARGATE_PROVIDERS: [&str; 2] = ["FARGATE", "FARGATE_SPOT"];

pub fn check(plan: &Plan) -> Vec<Finding> {
    let mut out = Vec::new();
    let root = JsonPath::root();
    let cluster = root.key("cluster");

    // Availability Zones.
    let azs: Vec<&str> = plan
        .cluster
        .availability_zones
        .iter()
        .map(String::as_str)
        .collect();
    let mut seen = HashSet::new();
    for (i, az) in azs.iter().enumerate() {
        let p = cluster.key("availabilityZones").index(i);
        if !seen.insert(*az) {
            out.push(
                Finding::error(
                    "duplicate-name",
                    p.clone(),
                    format!("Availability Zone {az} is listed twice"),
                )
                .with_fix("remove the duplicate"),
            );
        }
        if !az.starts_with(plan.region.as_str()) {
            out.push(
                Finding::warning(
                    "az-region",
                    p,
                    format!(
                        "Availability Zone {az} is not in the plan's region {}",
                        plan.region
                    ),
                )
                .with_fix(format!(
                    "use zones named {}a, {}b, ... or change \"region\"",
                    plan.region, plan.region
                )),
            );
        }
    }

    // Capacity providers.
    let mut providers = BTreeSet::new();
    for (i, cp) in plan.cluster.capacity_providers.iter().enumerate() {
        let p = cluster.key("capacityProviders").index(i).key("name");
        if FARGATE_PROVIDERS.contains(&cp.name.as_str()) {
            out.push(
                Finding::error(
                    "reserved-name",
                    p.clone(),
                    format!("{} is a reserved capacity provider that always exists; it cannot be defined", cp.name),
                )
                .with_fix("remove it; use FARGATE and FARGATE_SPOT directly in a strategy")
                .with_doc("fargate-capacity-providers.md"),
            );
        }
        if !providers.insert(cp.name.as_str()) {
            out.push(
                Finding::error(
                    "duplicate-name",
                    p,
                    format!("capacity provider {} is defined twice", cp.name),
                )
                .with_fix("rename or remove one"),
            );
        }
        if let Some(asg) = &cp.auto_scaling_group {
            for (j, az) in asg.availability_zones.iter().enumerate() {
                if !azs.contains(&az.as_str()) {
                    out.push(unknown_az(
                        &cluster
                            .key("capacityProviders")
                            .index(i)
                            .key("autoScalingGroup")
                            .key("AvailabilityZones")
                            .index(j),
                        az,
                        &azs,
                    ));
                }
            }
        }
    }

    // Container instances.
    let mut ids = HashSet::new();
    for (i, inst) in plan.cluster.container_instances.iter().enumerate() {
        let p = cluster.key("containerInstances").index(i);
        if !ids.insert(inst.id.as_str()) {
            out.push(
                Finding::error(
                    "duplicate-name",
                    p.key("id"),
                    format!("container instance id {} is used twice", inst.id),
                )
                .with_fix("give each instance its own id"),
            );
        }
        if !azs.contains(&inst.availability_zone.as_str()) {
            out.push(unknown_az(
                &p.key("availabilityZone"),
                &inst.availability_zone,
                &azs,
            ));
        }
        if let Some(cp) = &inst.capacity_provider {
            if !providers.contains(cp.as_str()) {
                out.push(unknown_provider(
                    &p.key("capacityProvider"),
                    cp,
                    &providers,
                    false,
                ));
            }
        }
    }

    let strategies =
        |items: &[CapacityProviderStrategyItem], p: JsonPath, out: &mut Vec<Finding>| {
            for (j, item) in items.iter().enumerate() {
                if !providers.contains(item.capacity_provider.as_str())
                    && !FARGATE_PROVIDERS.contains(&item.capacity_provider.as_str())
                {
                    out.push(unknown_provider(
                        &p.index(j).key("capacityProvider"),
                        &item.capacity_provider,
                        &providers,
                        true,
                    ));
                }
            }
        };
    strategies(
        &plan.cluster.default_capacity_provider_strategy,
        cluster.key("defaultCapacityProviderStrategy"),
        &mut out,
    );

    // Task definition references.
    let families: BTreeSet<&str> = set_of(plan.task_definitions.iter().map(|t| t.family.as_str()));
    let mut names = HashSet::new();
    for (i, svc) in plan.services.iter().enumerate() {
        let p = root.key("services").index(i);
        if !names.insert(svc.service_name.as_str()) {
            out.push(
                Finding::error(
                    "duplicate-name",
                    p.key("serviceName"),
                    format!("service {} is defined twice", svc.service_name),
                )
                .with_fix("service names are unique in a cluster; rename one"),
            );
        }
        match &svc.task_definition {
            Some(td) => task_def_ref(plan, &families, td, p.key("taskDefinition"), &mut out),
            None => out.push(
                Finding::error(
                    "missing-field",
                    p.clone(),
                    format!("service {} has no \"taskDefinition\"", svc.service_name),
                )
                .with_fix("add \"taskDefinition\": \"family\" or \"family:revision\""),
            ),
        }
        strategies(
            &svc.capacity_provider_strategy,
            p.key("capacityProviderStrategy"),
            &mut out,
        );
    }
    for (i, t) in plan.tasks.iter().enumerate() {
        let p = root.key("tasks").index(i);
        task_def_ref(
            plan,
            &families,
            &t.task_definition,
            p.key("taskDefinition"),
            &mut out,
        );
        strategies(
            &t.capacity_provider_strategy,
            p.key("capacityProviderStrategy"),
            &mut out,
        );
    }
    running_tasks(plan, &azs, &providers, &mut out);
    out
}

/// The recorded running tasks (`runningTasks`): each names a service or RunTask group, a task
/// definition, and an instance or zone of the plan. A stale entry is a warning, not an error:
/// the plan still loads and the task is placed afresh (or left out), as the finding says.
fn running_tasks(plan: &Plan, azs: &[&str], providers: &BTreeSet<&str>, out: &mut Vec<Finding>) {
    let Some(recorded) = &plan.running_tasks else {
        return;
    };
    let services: BTreeSet<&str> = set_of(plan.services.iter().map(|s| s.service_name.as_str()));
    let instances: BTreeSet<&str> = set_of(
        plan.cluster
            .container_instances
            .iter()
            .map(|c| c.id.as_str()),
    );
    let groups: BTreeSet<String> = set_of(plan.tasks.iter().map(|t| {
        t.group
            .clone()
            .unwrap_or_else(|| format!("family:{}", TaskDefRef::parse(&t.task_definition).family))
    }));
    let warn = |code: &str, path: JsonPath, msg: String, fix: String| {
        Finding::warning(code, path, msg).with_fix(fix)
    };
    // Suggestions compare names: only for the first stale entries, so that a huge record of
    // stale entries stays quick to check.
    let mut suggestions = 50;
    let mut suggest = |name: &str, among: &BTreeSet<&str>| -> Option<String> {
        if suggestions == 0 {
            return None;
        }
        suggestions -= 1;
        did_you_mean(name, among.iter().copied()).map(str::to_string)
    };
    for (j, t) in recorded.read().iter().enumerate() {
        let p = JsonPath::root().key("runningTasks").index(j);
        let group = t.group.as_deref().unwrap_or("");
        match t.service() {
            Some(name) if !services.contains(name) => out.push(warn(
                "unknown-service",
                p.key("group"),
                format!("recorded task of service {name}, which the plan does not have: it is left out"),
                match suggest(name, &services) {
                    Some(best) => format!("did you mean service:{best}? Or add service {name} to \"services\""),
                    None => format!("add service {name} to \"services\", or remove this entry"),
                },
            )),
            None if !groups.contains(group) => out.push(warn(
                "unknown-group",
                p.key("group"),
                format!("recorded task of group {group}, which no service (service:NAME) or RunTask request of the plan has: it is left out"),
                "write \"service:NAME\" for a service's task, or add a RunTask request with this group to \"tasks\"".to_string(),
            )),
            _ => {}
        }
        if let Some(td) = &t.task_definition {
            if plan.resolve_task_definition(td).is_none() {
                out.push(warn(
                    "unknown-task-definition",
                    p.key("taskDefinition"),
                    format!("recorded task runs task definition {td}, which the plan does not have: it is counted as running its service's task definition"),
                    "add the task definition to \"taskDefinitions\" (`aws ecs describe-task-definition`)".to_string(),
                ));
            }
        }
        if let Some(id) = &t.container_instance {
            if !instances.contains(&id.as_str()) {
                out.push(warn(
                    "unknown-instance",
                    p.key("containerInstance"),
                    format!("recorded task runs on container instance {id}, which the plan does not have: it is placed afresh"),
                    match suggest(id, &instances) {
                        Some(best) => format!("did you mean {best}? Or add the instance to cluster.containerInstances"),
                        None => "add the instance to cluster.containerInstances, or remove \"containerInstance\"".to_string(),
                    },
                ));
            }
        }
        if let Some(az) = &t.availability_zone {
            if !azs.contains(&az.as_str()) {
                let mut f = unknown_az(&p.key("availabilityZone"), az, azs);
                f.severity = crate::findings::Severity::Warning;
                out.push(f);
            }
        }
        if let Some(cp) = &t.capacity_provider_name {
            if !providers.contains(cp.as_str()) && !FARGATE_PROVIDERS.contains(&cp.as_str()) {
                let mut f = unknown_provider(&p.key("capacityProviderName"), cp, providers, true);
                f.severity = crate::findings::Severity::Warning;
                out.push(f);
            }
        }
    }
}

fn task_def_ref(
    plan: &Plan,
    families: &BTreeSet<&str>,
    reference: &str,
    path: JsonPath,
    out: &mut Vec<Finding>,
) {
    if plan.resolve_task_definition(reference).is_some() {
        return;
    }
    let r = TaskDefRef::parse(reference);
    let f = if families.contains(r.family) {
        let n = plan.revisions(r.family).count();
        Finding::error(
            "unknown-task-definition",
            path,
            format!(
                "task definition {reference}: family {} has revisions 1 to {n} in this plan",
                r.family
            ),
        )
        .with_fix(format!(
            "use {}:{n} (the latest) or just {}",
            r.family, r.family
        ))
    } else {
        let mut f = Finding::error(
            "unknown-task-definition",
            path,
            format!(
                "no task definition with family \"{}\" in this plan",
                r.family
            ),
        );
        f = match did_you_mean(r.family, families.iter().copied()) {
            Some(best) => f.with_fix(format!("did you mean \"{best}\"?")),
            None if families.is_empty() => {
                f.with_fix("add the task definition to \"taskDefinitions\"")
            }
            None => f.with_fix(format!(
                "use one of: {}",
                families.iter().copied().collect::<Vec<_>>().join(", ")
            )),
        };
        f
    };
    out.push(f);
}

fn unknown_az(path: &JsonPath, az: &str, azs: &[&str]) -> Finding {
    let f = Finding::error(
        "unknown-availability-zone",
        path.clone(),
        format!(
            "Availability Zone {az} is not one of the cluster's zones ({})",
            if azs.is_empty() {
                "none listed".to_string()
            } else {
                azs.join(", ")
            }
        ),
    );
    match did_you_mean(az, azs.iter().copied()) {
        Some(best) if best != az => f.with_fix(format!(
            "did you mean {best}? Or add {az} to cluster.availabilityZones"
        )),
        _ => f.with_fix(format!("add {az} to cluster.availabilityZones")),
    }
}

fn unknown_provider(
    path: &JsonPath,
    name: &str,
    providers: &BTreeSet<&str>,
    fargate_ok: bool,
) -> Finding {
    let mut candidates: Vec<&str> = providers.iter().copied().collect();
    if fargate_ok {
        candidates.extend(FARGATE_PROVIDERS);
    }
    let f = Finding::error(
        "unknown-capacity-provider",
        path.clone(),
        format!("no capacity provider named {name} in the cluster"),
    );
    match did_you_mean(name, candidates.iter().copied()) {
        Some(best) => f.with_fix(format!("did you mean {best}?")),
        None => f.with_fix("define it in cluster.capacityProviders"),
    }
}
