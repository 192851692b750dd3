//! Placement that starts from the tasks a plan records as running (`runningTasks`, written by
//! `ecsplan import --from aws-snapshot`), the way ECS goes on from a running cluster.
//!
//! ECS does not move a running task (`task-placement.md`: strategies and constraints are
//! applied when a task is placed; `container-instance-draining.md`: tasks leave an instance
//! only when it drains or goes away). So:
//! - a recorded task stays on its instance (a Fargate task in its zone) when the instance is
//!   still in the plan, eligible (a standalone task also on a DRAINING instance) and still has
//!   room for it; a daemon task also when its instance still matches its constraints (ECS stops
//!   those that do not, `ecs_services.md` "Daemon"). Otherwise it is placed afresh, with a
//!   warning naming the entry;
//! - a service whose desired count exceeds its recorded tasks gets the rest placed as a fresh
//!   placement would, on the cluster as the recorded tasks fill it (each on the launch target
//!   its capacity provider strategy gives the next task);
//! - a service with fewer desired tasks than recorded stops the excess as ECS scales in
//!   (`ecs_services.md` "Service scheduler concepts"): tasks that found no place first, then
//!   the ones [`task_to_stop`] chooses (on Fargate, where no strategy applies, the newest task
//!   of the zone with the most, keeping the zones balanced);
//! - a recorded task of another revision than its service's is the old deployment of a
//!   deployment in progress: it stays (with its own task definition's resources) and counts
//!   toward the desired count, as the service's tasks are listed as they run
//!   (\[INFER\]: a snapshot does not say how far the deployment has gone; the simulator's
//!   deployment starts from the service's revision);
//! - a RunTask request's tasks are matched to recorded tasks of its group and task definition,
//!   up to its count; recorded tasks beyond the requests' counts are left out, with a warning.
//!
//! Tasks that stayed are marked kept ([`Placement::is_kept`]), so explanations say they were
//! already running. No Availability Zone rebalancing happens here: the plan shows the cluster
//! as recorded (rebalancing follows the next edit, as in [`super::keep`]).

use super::pipeline::{feasible, Check};
use super::scale_in::task_to_stop;
use super::tasks::service_launches;
use super::{InstanceIx, Launch, Outcome, PlaceOptions, Placement, Source, Task, TaskIx};
use crate::findings::{Finding, JsonPath};
use crate::plan::{Plan, RecordedTask, SchedulingStrategy, FARGATE_PROVIDERS};
use std::collections::HashMap;
use std::sync::Arc;

/// Places `plan` starting from its recorded running tasks (see the module documentation).
pub fn place_recorded(plan: &Plan, opts: &PlaceOptions) -> Placement {
    let recorded = plan.recorded_tasks();
    let mut live: Vec<usize> = (0..recorded.len())
        .filter(|&j| recorded[j].is_live())
        .collect();
    let mut first = pin(plan, opts, &recorded, &live);
    let stopped = scale_in(plan, &mut first);
    let mut b = if stopped.is_empty() {
        first
    } else {
        let mut stops = vec![false; recorded.len()];
        for &j in stopped.iter().flat_map(|(_, js)| js) {
            stops[j] = true;
        }
        live.retain(|&j| !stops[j]);
        pin(plan, opts, &recorded, &live)
    };
    for (svc, js) in stopped {
        let mut entries: Vec<String> = js
            .iter()
            .take(10)
            .map(|j| format!("runningTasks[{j}]"))
            .collect();
        if js.len() > 10 {
            entries.push("...".into());
        }
        b.p.findings.push(Finding::info(
            "scale-in",
            JsonPath::root().key("services").index(svc),
            format!(
                "service {} records more running tasks than it wants: {} stop{}, as ECS scales in ({})",
                plan.services[svc].service_name,
                js.len(),
                if js.len() == 1 { "s" } else { "" },
                entries.join(", ")
            ),
        ));
    }
    finish(b)
}

/// A placement with the recorded tasks pinned where they run, and the tasks still to place.
struct Pinned {
    p: Placement,
    /// (daemon, task indices) per service, then per RunTask: the order of a fresh placement.
    batches: Vec<(bool, Vec<TaskIx>)>,
    kept: Vec<bool>,
    /// Per service (plan order): its tasks made from recorded entries (task, entry).
    from: Vec<Vec<(TaskIx, usize)>>,
}

/// Builds the plan's tasks with the `live` recorded entries (indices into `recorded`) as
/// tasks of their service or RunTask, and keeps each where it runs if it may.
fn pin(plan: &Plan, opts: &PlaceOptions, recorded: &[RecordedTask], live: &[usize]) -> Pinned {
    let mut p = Placement::of_cluster(plan, opts);
    p.keeps_running = true;
    let node_of: HashMap<&str, InstanceIx> = p
        .cluster
        .indexed()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let nodes: Vec<Option<InstanceIx>> = recorded
        .iter()
        .map(|r| node_of.get(r.container_instance.as_deref()?).copied())
        .collect();
    drop(node_of);
    let node = |j: usize| nodes[j];
    // Live entries by group, in recorded order (a map to an index, the same map type as
    // the instances': the page carries one copy of its code).
    let mut group_of: HashMap<&str, usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &j in live {
        let g = recorded[j].group.as_deref().unwrap_or("");
        let k = *group_of.entry(g).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[k].push(j);
    }
    let entries = |g: &str| -> &[usize] { group_of.get(g).map_or(&[][..], |&k| &groups[k]) };
    // Groups some RunTask request runs.
    let mut run_group = vec![false; groups.len()];
    let mut claimed = vec![false; recorded.len()];
    // (replica, entry, task): daemon tasks are pinned first, as ECS places them first.
    let mut pins: Vec<(bool, usize, TaskIx)> = Vec::new();
    let mut batches = Vec::new();
    let mut from = Vec::new();
    for (i, svc) in plan.services.iter().enumerate() {
        let daemon = svc.scheduling_strategy == Some(SchedulingStrategy::Daemon);
        let mine: Vec<usize> = entries(&format!("service:{}", svc.service_name)).to_vec();
        for &j in &mine {
            claimed[j] = true;
        }
        if daemon {
            // One task per instance that wants one: a recorded one holds its instance.
            let tasks = p.add_service(plan, i);
            let mut free = tasks.iter().copied();
            let mut seen = Vec::new();
            if let Some(&t0) = tasks.first() {
                let spec = p.tasks[t0].spec;
                for &j in &mine {
                    if let Some(n) = node(j).filter(|n| !seen.contains(n)) {
                        if p.daemon_target(spec, n) {
                            if let Some(t) = free.next() {
                                seen.push(n);
                                pins.push((false, j, t));
                            }
                        }
                    }
                }
            }
            batches.push((true, tasks));
            from.push(Vec::new());
            continue;
        }
        let Some((svc_td, svc_rev)) = svc
            .task_definition
            .as_deref()
            .and_then(|r| plan.resolve_task_definition(r))
        else {
            batches.push((false, Vec::new()));
            from.push(Vec::new());
            continue;
        };
        // The service's revision first, then an old deployment's, each in recorded order.
        // An entry whose task definition the plan lacks counts as the service's.
        let td_of = |j: usize| {
            recorded[j]
                .task_definition
                .as_deref()
                .and_then(|r| plan.resolve_task_definition(r))
                .unwrap_or((svc_td, svc_rev))
        };
        let (mut mine, old): (Vec<usize>, Vec<usize>) =
            mine.iter().partition(|&&j| td_of(j).0 == svc_td);
        mine.extend(old);
        let launches = service_launches(plan, i);
        let name: Arc<str> = Arc::from(svc.service_name.as_str());
        let mut tasks = Vec::new();
        let mut made = Vec::new();
        for (n, &j) in mine.iter().enumerate() {
            let (td_index, revision) = td_of(j);
            let launch_i = launches
                .iter()
                .position(|l| fits_launch(plan, &recorded[j], l));
            let spec = p.service_spec_on(plan, i, td_index, launch_i.unwrap_or(0));
            let t = TaskIx::new(p.tasks.len());
            p.tasks.push(Task {
                name: name.clone(),
                ordinal: n as u32 + 1,
                source: Source::Service {
                    index: i,
                    name: name.clone(),
                },
                family: Arc::from(plan.task_definitions[td_index].family.as_str()),
                revision,
                spec,
                outcome: Outcome::Unplaced {
                    provisioning: false,
                },
            });
            tasks.push(t);
            made.push((t, j));
            match launch_i {
                Some(_) => pins.push((true, j, t)),
                None => p.findings.push(entry_warning(
                    j,
                    "recorded-launch",
                    format!(
                        "recorded task of service {} ran on {}, which the service's launch targets no longer include: it is placed afresh",
                        svc.service_name,
                        launched_by(&recorded[j])
                    ),
                )),
            }
        }
        let desired = svc.desired_count.unwrap_or(0);
        if desired as usize > mine.len() {
            let more =
                p.add_service_tasks_joining(plan, i, None, mine.len() as u32, desired, &tasks);
            tasks.extend(more);
        }
        batches.push((false, tasks));
        from.push(made);
    }
    let runs = p.add_run_tasks(plan);
    for (run, tasks) in plan.tasks.iter().zip(runs) {
        let group = run.group.clone().unwrap_or_else(|| {
            let family = plan
                .resolve_task_definition(&run.task_definition)
                .map(|(k, _)| plan.task_definitions[k].family.as_str())
                .unwrap_or("");
            format!("family:{family}")
        });
        if let Some(&k) = group_of.get(group.as_str()) {
            run_group[k] = true;
        }
        let td = plan.resolve_task_definition(&run.task_definition);
        let mut free: Vec<TaskIx> = tasks.clone();
        for &j in entries(&group) {
            if free.is_empty() {
                break;
            }
            let r = &recorded[j];
            if claimed[j]
                || r.group.as_deref() != Some(group.as_str())
                || r.task_definition
                    .as_deref()
                    .and_then(|x| plan.resolve_task_definition(x))
                    != td
            {
                continue;
            }
            let Some(pos) = free
                .iter()
                .position(|&t| fits_launch(plan, r, &p.specs[p.tasks[t].spec].launch))
            else {
                continue;
            };
            claimed[j] = true;
            pins.push((true, j, free.remove(pos)));
        }
        batches.push((false, tasks));
    }
    for &j in live {
        if !claimed[j] && recorded[j].service().is_none() {
            let group = recorded[j].group.as_deref().unwrap_or("");
            if group_of.get(group).is_some_and(|&k| run_group[k]) {
                p.findings.push(entry_warning(
                    j,
                    "recorded-extra",
                    format!("recorded task of group {group} is beyond what the plan's RunTask requests of that group and task definition run (their count): it is left out"),
                ));
            }
        }
    }
    pins.sort_unstable();
    let mut kept = vec![false; p.tasks.len()];
    for (replica, j, t) in pins {
        let r = &recorded[j];
        let spec = p.tasks[t].spec;
        let ok = if let Launch::Fargate { .. } = p.specs[spec].launch {
            r.availability_zone
                .as_deref()
                .is_some_and(|z| p.keep_fargate(t, z))
        } else if let Some(n) = node(j) {
            let standalone = matches!(p.tasks[t].source, Source::Run { .. });
            match feasible(&p.context(), spec, n, Check::stay(standalone, !replica)) {
                Ok(()) => {
                    p.record(t, Some(n));
                    true
                }
                Err(why) => {
                    p.findings.push(entry_warning(
                        j,
                        "recorded-no-longer-fits",
                        format!(
                            "recorded task {} cannot stay on {}: {why}; it is placed afresh",
                            p.tasks[t].id(),
                            p.cluster.nodes[n].id
                        ),
                    ));
                    false
                }
            }
        } else {
            false
        };
        kept[t.at()] = ok;
    }
    Pinned {
        p,
        batches,
        kept,
        from,
    }
}

/// Of each service with more recorded tasks than it wants, the entries ECS stops: those that
/// found no place first (newest first), then as scale-in chooses, one at a time on the
/// cluster as the previous stops left it. Returns (service, entries) per such service.
fn scale_in(plan: &Plan, b: &mut Pinned) -> Vec<(usize, Vec<usize>)> {
    let mut out = Vec::new();
    for (i, svc) in plan.services.iter().enumerate() {
        let Some(made) = b.from.get(i) else { continue };
        let desired = svc.desired_count.unwrap_or(0) as usize;
        if made.len() <= desired {
            continue;
        }
        let mut excess = made.len() - desired;
        let mut live: Vec<(TaskIx, usize)> = made.clone();
        let mut stops = Vec::new();
        while excess > 0 {
            let Some(pos) = live.iter().rposition(|(t, _)| !b.kept[t.at()]) else {
                break;
            };
            stops.push(live.remove(pos).1);
            excess -= 1;
        }
        // Each stop is chosen on the cluster the previous stops left, a pass over the tasks
        // each time; past this much work (a record far beyond ECS's 5 000 tasks per service)
        // the newest stop, so that a huge record cannot hang the page.
        if excess.saturating_mul(live.len()) > 20_000_000 {
            for _ in 0..excess {
                if let Some((t, j)) = live.pop() {
                    b.p.stop(t);
                    stops.push(j);
                }
            }
            excess = 0;
        }
        while excess > 0 {
            let placed: Vec<TaskIx> = live
                .iter()
                .map(|(t, _)| *t)
                .filter(|&t| matches!(b.p.tasks[t].outcome, Outcome::Placed { .. }))
                .collect();
            let candidates = b.p.scale_in_candidates(plan, i, &placed);
            let stop = candidates
                .first()
                .and_then(|&c| task_to_stop(&b.p, b.p.tasks[c].spec, &candidates))
                .or_else(|| fargate_to_stop(&b.p, &live));
            let Some(stop) = stop else { break };
            b.p.stop(stop);
            if let Some(pos) = live.iter().position(|(t, _)| *t == stop) {
                stops.push(live.remove(pos).1);
            }
            excess -= 1;
        }
        stops.sort_unstable();
        out.push((i, stops));
    }
    out
}

/// On Fargate no strategy applies and ECS keeps the zones balanced (`ecs_services.md`
/// "Service scheduler concepts"): the newest task of the zone with the most of them.
fn fargate_to_stop(p: &Placement, live: &[(TaskIx, usize)]) -> Option<TaskIx> {
    let zone = |t: TaskIx| match &p.tasks[t].outcome {
        Outcome::Fargate { availability_zone } => Some(availability_zone.as_str()),
        _ => None,
    };
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for &(t, _) in live {
        if let Some(z) = zone(t) {
            match counts.iter_mut().find(|(x, _)| *x == z) {
                Some(c) => c.1 += 1,
                None => counts.push((z, 1)),
            }
        }
    }
    let most = counts.iter().map(|c| c.1).max()?;
    live.iter()
        .rev()
        .map(|(t, _)| *t)
        .find(|&t| zone(t).is_some_and(|z| counts.iter().any(|c| c.0 == z && c.1 == most)))
}

/// Places what is not pinned, in a fresh placement's order: daemon tasks first.
fn finish(b: Pinned) -> Placement {
    let Pinned {
        mut p,
        batches,
        kept,
        ..
    } = b;
    p.place_rest(&batches, &kept);
    p.kept = kept;
    p
}

/// Whether a recorded task ran on launch target `l`: its capacity provider's, or its launch
/// type's (a task an Auto Scaling group capacity provider launched reports launch type EC2
/// too), or, when it names neither, an instance target for a task on an instance and Fargate
/// for one without.
fn fits_launch(plan: &Plan, r: &RecordedTask, l: &Launch) -> bool {
    match (
        r.capacity_provider_name.as_deref(),
        r.launch_type.as_deref(),
    ) {
        (Some(cp), _) => match l {
            Launch::Provider { name } => name == cp,
            Launch::Fargate { provider } => provider == cp,
            Launch::Ec2 => !FARGATE_PROVIDERS.contains(&cp) && no_provider(plan, r),
        },
        (None, Some("FARGATE")) => matches!(l, Launch::Fargate { .. }),
        (None, Some(_)) => !matches!(l, Launch::Fargate { .. }),
        (None, None) => matches!(l, Launch::Fargate { .. }) == r.container_instance.is_none(),
    }
}

/// Whether the recorded task's instance belongs to no capacity provider (then a task the
/// record says a provider launched may still be an EC2 launch type task of a plan that does
/// not model the provider).
fn no_provider(plan: &Plan, r: &RecordedTask) -> bool {
    plan.cluster
        .container_instances
        .iter()
        .find(|c| Some(&c.id) == r.container_instance.as_ref())
        .is_some_and(|c| c.capacity_provider.is_none())
}

/// How the record says the task was launched, for messages.
fn launched_by(r: &RecordedTask) -> String {
    match (&r.capacity_provider_name, &r.launch_type) {
        (Some(cp), _) => format!("capacity provider {cp}"),
        (None, Some(lt)) => format!("launch type {lt}"),
        (None, None) if r.container_instance.is_some() => "an EC2 instance".to_string(),
        _ => "Fargate".to_string(),
    }
}

fn entry_warning(j: usize, code: &str, message: String) -> Finding {
    Finding::warning(code, JsonPath::root().key("runningTasks").index(j), message).with_fix(
        "import the cluster again to refresh runningTasks, or remove the entry to place the task afresh",
    )
}

#[cfg(test)]
#[path = "recorded_tests.rs"]
mod tests;
