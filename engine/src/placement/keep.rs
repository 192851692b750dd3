//! Placement after an edit, the way a running cluster changes: tasks keep running where they
//! are, and only the tasks that need a place get one.
//!
//! ECS does not move a running task when the cluster changes (`task-placement.md`: strategies
//! and constraints are applied when a task is placed; `container-instance-draining.md`: tasks
//! move off an instance only when it drains or goes away). So after an edit:
//! - a task that was running stays on its instance if the instance is still registered and
//!   connected, in the same zone and of the same type (otherwise it is another instance), ACTIVE (or DRAINING, for a standalone RunTask task, which draining does not
//!   stop), still belongs to the task's capacity provider, still has room for it, and the task
//!   is the same (task definition revision, resources, strategies, constraints, launch target);
//!   a Fargate task stays in its zone;
//! - a daemon task also has to still match its constraints (ECS stops daemon tasks that no
//!   longer do, `ecs_services.md` "Daemon");
//! - a service whose tasks changed (another revision, other constraints or strategies) gets a
//!   new deployment: all its tasks are placed afresh, as [`place`](super::place) would;
//! - a service whose desired count went down stops the tasks ECS would stop: pending tasks
//!   first, then the ones [`scale_in`](super::scale_in) chooses; one whose count went up adds
//!   tasks numbered after its highest;
//! - everything else (new tasks, tasks whose instance went away, pending tasks) is placed with
//!   the full chain, in the same order as a fresh placement, on the cluster as it now is;
//! - then a service that spreads by zone first and has Availability Zone rebalancing (the
//!   default for a new service) is rebalanced across zones, as ECS does once the service is
//!   steady (`service-rebalancing.md`): tasks of the fullest zone move to the emptiest.
//!
//! Kept tasks are marked ([`Placement::is_kept`]) so explanations say so.

use super::pipeline::{passes, Check};
use super::rebalance;
use super::scale_in::task_to_stop;
use super::{InstanceIx, Outcome, PlaceOptions, Placement, Source, SpecIx, Task, TaskIx};
use crate::plan::{Plan, SchedulingStrategy};
use std::collections::HashMap;

/// Places `plan` as the cluster that ran `previous` would after the edit (see the module
/// documentation). With nothing in common it is the same as [`place`](super::place).
pub fn place_keeping(plan: &Plan, opts: &PlaceOptions, previous: &Placement) -> Placement {
    keeping(plan, opts, previous, rebalance::zones)
}

/// [`place_keeping`] trying every rebalancing attempt ([`rebalance::zones_by_attempt`]): the
/// reference the skipped attempts are tested against along runs of edits.
#[cfg(test)]
pub(crate) fn place_keeping_by_attempt(
    plan: &Plan,
    opts: &PlaceOptions,
    previous: &Placement,
) -> Placement {
    keeping(plan, opts, previous, rebalance::zones_by_attempt)
}

/// [`place_keeping`], rebalancing each service with `rebalance_zones`.
fn keeping(
    plan: &Plan,
    opts: &PlaceOptions,
    previous: &Placement,
    rebalance_zones: fn(&mut Placement, &[TaskIx]) -> Vec<TaskIx>,
) -> Placement {
    let mut p = Placement::of_cluster(plan, opts);
    p.keeps_running = true;
    // Mostly the same tasks as before: the lists are sized once, not grown service by service
    // (each growth copies every task so far).
    p.tasks.reserve(previous.tasks.len());
    p.events.reserve(previous.tasks.len());
    // Previous tasks by id, and the instance each ran on in the new cluster.
    let before = ByName::of(previous);
    let node_now = nodes_now(&p, previous);
    let batches = add_tasks(&mut p, plan, previous, &node_now);
    let mut kept = keep_running(&mut p, previous, &before, &batches, &node_now);

    p.place_rest(&batches, &kept);
    for (i, (daemon, tasks)) in batches.iter().enumerate().take(plan.services.len()) {
        if !daemon && rebalance::applies(plan, i, &p, tasks) {
            for t in rebalance_zones(&mut p, tasks) {
                kept[t.at()] = false;
            }
        }
    }
    p.kept = kept;
    p
}

/// `previous`'s tasks that did not stop, by name then number: (ordinal, index) sorted by
/// ordinal for each name. Tasks of a service or RunTask share a name and follow each other,
/// so a name is hashed once per run of tasks, not once per task (50 000 at ECS's quotas).
struct ByName<'a>(HashMap<&'a str, Vec<(u32, usize)>>);

impl<'a> ByName<'a> {
    fn of(previous: &'a Placement) -> ByName<'a> {
        let mut map: HashMap<&str, Vec<(u32, usize)>> = HashMap::new();
        let mut run: Option<(&str, Vec<(u32, usize)>)> = None;
        for (i, t) in previous.tasks.iter().enumerate() {
            if t.outcome == Outcome::Stopped {
                continue;
            }
            match &mut run {
                Some((name, v)) if **name == *t.name => v.push((t.ordinal, i)),
                _ => {
                    if let Some((name, v)) = run.take() {
                        map.entry(name).or_default().extend(v);
                    }
                    run = Some((&t.name, vec![(t.ordinal, i)]));
                }
            }
        }
        if let Some((name, v)) = run {
            map.entry(name).or_default().extend(v);
        }
        for v in map.values_mut() {
            // Stable: of two tasks with one id the later wins, as a map filled in order keeps.
            // The standard sort, not `crate::sort`: this runs over every task on each drop.
            v.sort_by_key(|&(o, _)| o);
        }
        ByName(map)
    }

    fn get(&self, name: &str) -> &[(u32, usize)] {
        self.0.get(name).map_or(&[], Vec::as_slice)
    }

    /// The index of the task numbered `ordinal` in `of` (the last of that number).
    fn find(of: &[(u32, usize)], ordinal: u32) -> Option<usize> {
        let end = of.partition_point(|&(o, _)| o <= ordinal);
        of[..end]
            .last()
            .filter(|&&(o, _)| o == ordinal)
            .map(|&(_, i)| i)
    }
}

/// The instance each of `previous`'s tasks ran on, as an index into the new cluster of `p`:
/// `None` when it ran on none, or its instance is gone, or is now in another zone or of another
/// type (another instance: the board's "move to another zone" relaunches it there).
fn nodes_now(p: &Placement, previous: &Placement) -> Vec<Option<InstanceIx>> {
    let index: HashMap<&str, InstanceIx> = p
        .cluster
        .indexed()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    // Once per instance, not once per task.
    let now: Vec<Option<InstanceIx>> = previous
        .cluster
        .nodes
        .iter()
        .map(|was| {
            index.get(was.id.as_str()).copied().filter(|&n| {
                let now = &p.cluster.nodes[n];
                now.availability_zone == was.availability_zone
                    && now.instance_type == was.instance_type
            })
        })
        .collect();
    previous
        .tasks
        .iter()
        .map(|t| match t.outcome {
            Outcome::Placed { node } => now[node.at()],
            _ => None,
        })
        .collect()
}

/// Adds the plan's tasks to `p` in the order of a fresh placement, as (daemon, task indices)
/// per service then per RunTask. A service whose tasks did not change keeps the numbers of
/// those that keep running (see [`survivors`]; a daemon's, those whose instance still wants
/// one), and numbers new ones after the highest.
fn add_tasks(
    p: &mut Placement,
    plan: &Plan,
    previous: &Placement,
    node_now: &[Option<InstanceIx>],
) -> Vec<(bool, Vec<TaskIx>)> {
    let mut batches: Vec<(bool, Vec<TaskIx>)> = Vec::new();
    // The previous tasks of each service, by name, in one pass (not one per service); a
    // service's tasks follow each other, so a name is hashed once per run of tasks.
    let mut of_service: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut run: Option<(&str, Vec<usize>)> = None;
    for (k, t) in previous.tasks.iter().enumerate() {
        if let Source::Service { name, .. } = &t.source {
            if t.outcome != Outcome::Stopped {
                match &mut run {
                    Some((n, v)) if *n == &**name => v.push(k),
                    _ => {
                        if let Some((n, v)) = run.replace((&**name, vec![k])) {
                            of_service.entry(n).or_default().extend(v);
                        }
                    }
                }
            }
        }
    }
    if let Some((n, v)) = run {
        of_service.entry(n).or_default().extend(v);
    }
    for (i, svc) in plan.services.iter().enumerate() {
        let daemon = svc.scheduling_strategy == Some(SchedulingStrategy::Daemon);
        let tasks = p.add_service(plan, i);
        let running: Vec<usize> = {
            let mut v = of_service
                .get(svc.service_name.as_str())
                .cloned()
                .unwrap_or_default();
            v.sort_by_key(|k| previous.tasks[*k].ordinal); // hot: the standard sort
            v
        };
        let same = match (tasks.first(), running.first()) {
            (Some(&t), Some(&prev)) => same_task(p, t.at(), previous, prev),
            _ => false,
        };
        if same {
            let keep: Vec<u32> = if daemon {
                let spec = p.tasks[tasks[0]].spec;
                daemon_survivors(p, spec, previous, &running, node_now)
            } else {
                survivors(plan, i, previous, &running, tasks.len())
            };
            renumber(&mut p.tasks, &tasks, &keep);
        }
        batches.push((daemon, tasks));
    }
    for tasks in p.add_run_tasks(plan) {
        batches.push((false, tasks));
    }
    batches
}

/// The ordinals of a daemon service's `running` tasks that stay: those whose instance still
/// wants one, one per instance.
fn daemon_survivors(
    p: &Placement,
    spec: SpecIx,
    previous: &Placement,
    running: &[usize],
    node_now: &[Option<InstanceIx>],
) -> Vec<u32> {
    let mut seen = vec![false; p.cluster.nodes.len()];
    running
        .iter()
        .filter(|&&k| match node_now[k] {
            Some(n) if !seen[n.at()] => {
                let ok = p.daemon_target(spec, n);
                if ok {
                    seen[n.at()] = true;
                }
                ok
            }
            _ => false,
        })
        .map(|&k| previous.tasks[k].ordinal)
        .collect()
}

/// Tasks that were running (`before`: `previous`'s tasks by name and number) keep their place
/// if they may ([`can_keep`]): daemon tasks first (as ECS places them), then the others in the
/// order they were placed before. Returns, per task of `p`, whether it was kept.
fn keep_running(
    p: &mut Placement,
    previous: &Placement,
    before: &ByName,
    batches: &[(bool, Vec<TaskIx>)],
    node_now: &[Option<InstanceIx>],
) -> Vec<bool> {
    let mut pins: Vec<(bool, usize, TaskIx)> = Vec::new();
    // Whether two specs are the same, once per pair of specs (not once per task), and the last
    // pair asked without hashing (a service's tasks follow each other: one pair per run).
    let mut same_specs: HashMap<(SpecIx, SpecIx), bool> = HashMap::new();
    let mut last: Option<((SpecIx, SpecIx), bool)> = None;
    for (daemon, tasks) in batches {
        // A batch's tasks share a name: its previous tasks are looked up once per name.
        let mut named: (Option<&std::sync::Arc<str>>, &[(u32, usize)]) = (None, &[]);
        for &t in tasks {
            let task = &p.tasks[t];
            if named.0.is_none_or(|n| *n != task.name) {
                named = (Some(&task.name), before.get(&task.name));
            }
            if let Some(prev) = ByName::find(named.1, task.ordinal) {
                let was = &previous.tasks[prev];
                let pair = (task.spec, was.spec);
                let same = task.family == was.family
                    && task.revision == was.revision
                    && match last {
                        Some((l, same)) if l == pair => same,
                        _ => {
                            let same = *same_specs
                                .entry(pair)
                                .or_insert_with(|| same_spec(p, task.spec, previous, was.spec));
                            last = Some((pair, same));
                            same
                        }
                    };
                if same {
                    pins.push((!daemon, prev, t));
                }
            }
        }
    }
    pins.sort_unstable();
    // Each instance's task list sized once for the tasks that may stay on it (not grown task by
    // task).
    let mut staying = vec![0usize; p.cluster.nodes.len()];
    for &(_, prev, _) in &pins {
        if let Some(n) = node_now[prev] {
            staying[n.at()] += 1;
        }
    }
    for (u, &n) in p.state.usage.iter_mut().zip(&staying) {
        u.tasks.reserve(n);
    }
    let mut kept = vec![false; p.tasks.len()];
    for &(replica, prev, t) in &pins {
        let ok = match &previous.tasks[prev].outcome {
            Outcome::Placed { .. } => match node_now[prev] {
                Some(n) if can_keep(p, t, n, !replica) => {
                    p.record(t, Some(n));
                    true
                }
                _ => false,
            },
            Outcome::Fargate { availability_zone } => p.keep_fargate(t, availability_zone),
            _ => false,
        };
        kept[t.at()] = ok;
    }
    kept
}

/// Whether task `a` of `p` is the same task as task `b` of `q`: same task definition and
/// revision, resources, strategies, constraints and launch target.
fn same_task(p: &Placement, a: usize, q: &Placement, b: usize) -> bool {
    let (ta, tb) = (&p.tasks[a], &q.tasks[b]);
    ta.family == tb.family && ta.revision == tb.revision && same_spec(p, ta.spec, q, tb.spec)
}

/// Whether spec `a` of `p` and spec `b` of `q` ask the same: resources, strategies,
/// constraints, launch target and group.
fn same_spec(p: &Placement, a: SpecIx, q: &Placement, b: SpecIx) -> bool {
    let (sa, sb) = (&p.specs[a], &q.specs[b]);
    sa.demand == sb.demand
        && sa.launch == sb.launch
        && sa.chain.rules == sb.chain.rules
        && sa.broken == sb.broken
        && p.groups.name(sa.group) == q.groups.name(sb.group)
        && sa.constraints.len() == sb.constraints.len()
        && sa
            .constraints
            .iter()
            .zip(&sb.constraints)
            .all(|(x, y)| x.describe() == y.describe())
}

/// Whether running task `t` may stay on instance `node` of the new cluster
/// ([`Check::stay`]: still eligible, still room for it; a daemon task also still matching its
/// constraints).
fn can_keep(p: &Placement, t: TaskIx, node: InstanceIx, daemon: bool) -> bool {
    let task = &p.tasks[t];
    let standalone = matches!(task.source, Source::Run { .. });
    passes(
        &p.context(),
        task.spec,
        node,
        Check::stay(standalone, daemon),
    )
}

/// The ordinals of a service's tasks that keep running when it now wants `desired` of them:
/// all of them, or, when the count went down, all but those ECS stops (pending tasks first,
/// newest first; then running tasks as scale-in chooses them).
fn survivors(
    plan: &Plan,
    service: usize,
    previous: &Placement,
    running: &[usize],
    desired: usize,
) -> Vec<u32> {
    let ordinals = |v: &[usize]| -> Vec<u32> {
        let mut o: Vec<u32> = v.iter().map(|&k| previous.tasks[k].ordinal).collect();
        o.sort_unstable();
        o
    };
    if running.len() <= desired {
        return ordinals(running);
    }
    let mut excess = running.len() - desired;
    let mut live: Vec<usize> = running.to_vec();
    // Pending tasks go first, newest first.
    while excess > 0 {
        let Some(pos) = live
            .iter()
            .rposition(|&k| !matches!(previous.tasks[k].outcome, Outcome::Placed { .. }))
        else {
            break;
        };
        live.remove(pos);
        excess -= 1;
    }
    if excess > 0 {
        let mut scratch = previous.clone();
        for _ in 0..excess {
            let placed: Vec<TaskIx> = live
                .iter()
                .map(|&k| TaskIx::new(k))
                .filter(|&k| matches!(scratch.tasks[k].outcome, Outcome::Placed { .. }))
                .collect();
            let candidates = scratch.scale_in_candidates(plan, service, &placed);
            let Some(&first) = candidates.first() else {
                break;
            };
            let spec = scratch.tasks[first].spec;
            let Some(stop) = task_to_stop(&scratch, spec, &candidates) else {
                break;
            };
            scratch.stop(stop);
            live.retain(|&k| TaskIx::new(k) != stop);
        }
    }
    let mut keep = ordinals(&live);
    keep.truncate(desired);
    keep
}

/// Gives the service's new tasks the ordinals of the tasks that keep running, in order, and
/// numbers the rest after the highest (ECS names new tasks; the planner counts on).
fn renumber(tasks: &mut [Task], indices: &[TaskIx], keep: &[u32]) {
    let mut next = keep.iter().copied().max().unwrap_or(0);
    for (k, &t) in indices.iter().enumerate() {
        tasks[t].ordinal = match keep.get(k) {
            Some(&o) => o,
            None => {
                next += 1;
                next
            }
        };
    }
}

impl Placement {
    /// Whether task `t` was running before the edit and kept its place (see [`place_keeping`]).
    pub fn is_kept(&self, t: TaskIx) -> bool {
        self.kept.get(t.at()).copied().unwrap_or(false)
    }
}

#[cfg(test)]
#[path = "keep_tests.rs"]
mod tests;
