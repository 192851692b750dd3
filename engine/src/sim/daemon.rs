//! A DAEMON service's scheduler: one task on every ACTIVE instance that satisfies the
//! constraints; tasks on instances that no longer qualify (DRAINING) stop; a deployment stops
//! the old task on an instance before starting the new one there (`ecs_services.md`,
//! "Daemon"). New tasks start within the rate of service task launches ([`super::quotas`]).

use super::events::EventKind;
use super::quiet::Targets;
use super::service::ServiceState;
use super::world::{TaskId, TaskState, World};
use super::{deployments, quotas};
use crate::placement::{InstanceIx, Placement, SpecIx};

/// The scheduler's decision for daemon service `s` at this moment. Returns whether it was
/// settled: nothing stopped, started, retried or deferred, every target has its active task
/// of the primary deployment, and that deployment is COMPLETED; the same decision again does
/// nothing while the service's tasks, deployments and targets stay the same
/// ([`super::quiet`]).
pub(super) fn reconcile(w: &mut World, s: usize, svc: &mut ServiceState) -> Option<Targets> {
    let idx = w.services[s].index;
    let primary_id = svc.primary();
    let td = svc
        .deployments
        .last()
        .map(|d| d.task_definition.clone())
        .unwrap_or_default();
    let (td_index, _) = w.plan.resolve_task_definition(&td)?;
    let spec = w.placement.service_spec(w.plan, idx, td_index);
    let nodes = w.placement.cluster.nodes.len();
    let targets = svc.daemon_targets.of(&w.placement, spec);
    // Every simulation the tests run checks the kept verdicts against the pipeline's.
    #[cfg(test)]
    assert_eq!(
        targets,
        InstanceIx::all(nodes)
            .filter(|n| w.placement.daemon_target(spec, *n))
            .collect::<Vec<_>>(),
        "a daemon's kept targets are stale"
    );
    svc.desired = targets.len() as u32;
    let mut is_target = vec![false; nodes];
    for &n in &targets {
        is_target[n.at()] = true;
    }
    let mine = w.tasks_of(s);
    let node_of = |w: &World, t: TaskId| w.node_of(t).or(w.task(t).pinned);
    let mut acted = false;
    // A task waiting on its target was tried again (it may fit later): not settled.
    let mut retried = false;
    // Waiting out the launch back-off after tasks failed to start (`breaker::back_off`, whose
    // wake-up brings the scheduler back): not settled.
    let mut backing_off = false;
    // The launch rate (`quotas`): how many more tasks may start now, counted at the first
    // launch; and how many had to wait.
    let mut budget: Option<(u32, Option<u32>)> = None;
    let (mut launched, mut deferred) = (0u32, 0u32);
    for &t in &mine {
        if w.is_active(t) && !node_of(w, t).is_some_and(|n| is_target[n.at()]) {
            w.stop_task(t, "its instance no longer runs the daemon (DRAINING, or the constraints no longer match)");
            acted = true;
        }
    }
    // The tasks on each target, oldest first, found in one pass: what happens on one instance
    // below moves no task on another.
    let on_target = OnTarget::of(&mine, nodes, |t| {
        node_of(w, t).filter(|n| is_target[n.at()])
    });
    for &n in &targets {
        let here = on_target.on(n);
        if here
            .iter()
            .any(|t| w.is_active(*t) && w.task(*t).deployment == primary_id)
        {
            // Retry a daemon task that could not fit its instance yet.
            for &t in here {
                if w.is_active(t) && w.task(t).state == TaskState::Provisioning {
                    retried = true;
                    if w.place_on(w.task(t).ptask, n) {
                        w.begin(t);
                    }
                }
            }
            continue;
        }
        let old: Vec<TaskId> = here.iter().copied().filter(|t| w.is_active(*t)).collect();
        if !old.is_empty() {
            for t in old {
                w.stop_task(t, "replaced by the new deployment (a daemon stops the old task on the instance first)");
            }
            acted = true;
            continue;
        }
        if here.iter().any(|t| w.task(*t).state != TaskState::Stopped) {
            continue; // the old task is still stopping and holds the instance's resources
        }
        if w.now < svc.launch_after {
            // `service-throttle-logic`: the service scheduler waits between launch attempts
            // after tasks failed to start; a daemon service is a service.
            backing_off = true;
            continue;
        }
        let (left, _) = budget.get_or_insert_with(|| quotas::launch_budget(w, s, u32::MAX));
        if *left == 0 {
            deferred += 1;
            continue;
        }
        *left -= 1;
        launched += 1;
        let ordinal = svc.next_ordinal;
        svc.next_ordinal += 1;
        let Some(pt) = w.placement.add_daemon_task(w.plan, idx, &td, ordinal) else {
            continue;
        };
        let t = w.add_task(pt, s, primary_id, TaskState::Provisioning);
        w.task_mut(t).pinned = Some(n);
        if w.place_on(pt, n) {
            w.begin(t);
        } else {
            let why = w
                .placement
                .rejection(pt, n)
                .map(|r| r.to_string())
                .unwrap_or_default();
            w.event(
                EventKind::TaskUnplaced,
                Some(s),
                Some(t),
                format!(
                    "the daemon task does not fit its instance {}: {why}",
                    w.placement.cluster.nodes[n].id
                ),
            );
        }
        acted = true;
    }
    // Said once per window: later decisions within it find the same second.
    if let Some((_, Some(at))) = budget.filter(|_| deferred > 0) {
        if svc.launch_after < at {
            quotas::defer(w, s, svc, launched, launched + deferred, at);
        }
    }
    let desired = svc.desired;
    deployments::check_progress(w, s, svc, acted, 0, desired);
    let settled = !acted
        && !retried
        && !backing_off
        && launched == 0
        && deferred == 0
        && svc
            .deployments
            .last()
            .is_some_and(|d| d.rollout == super::deployments::Rollout::Completed);
    settled.then(|| Targets::now(w, s, spec))
}

/// A daemon's verdicts of which instances want its task ([`Placement::daemon_target`]),
/// kept per instance with the placement's count of changes they were found at. A verdict
/// reads only its instance (status, attributes, the tasks on it) and the spec, so it holds
/// until the instance changes ([`Placement::changed_at`]): a daemon's pass after an instance
/// joined or left asks that instance, not all 5 000 again.
#[derive(Debug, Clone, Default)]
pub(super) struct KeptTargets {
    spec: Option<SpecIx>,
    /// Per instance: the count of changes when its verdict was found, and the verdict.
    kept: Vec<Option<(usize, bool)>>,
}

impl KeptTargets {
    /// The instances that want a daemon task of `spec`, ascending.
    pub fn of(&mut self, p: &Placement, spec: SpecIx) -> Vec<InstanceIx> {
        if self.spec != Some(spec) {
            self.spec = Some(spec);
            self.kept.clear();
        }
        let nodes = p.cluster.nodes.len();
        self.kept.resize(nodes, None);
        let changes = p.changes();
        InstanceIx::all(nodes)
            .filter(|&n| {
                // Without the placement's stamps every verdict is found again.
                let stamp = p.changed_at(n);
                match (stamp, self.kept[n.at()]) {
                    (Some(stamp), Some((at, wants))) if stamp <= at => wants,
                    _ => {
                        let wants = p.daemon_target(spec, n);
                        self.kept[n.at()] = stamp.map(|_| (changes, wants));
                        wants
                    }
                }
            })
            .collect()
    }
}

/// Tasks grouped by instance, each instance's in the order given: one vector and the offsets
/// of each instance's run in it (a pass over 5 000 instances made a vector per instance, an
/// allocation and a free each, at every daemon pass that was not quiet).
struct OnTarget {
    /// Per instance `n`, its tasks are `tasks[start[n]..start[n + 1]]`.
    start: Vec<u32>,
    tasks: Vec<TaskId>,
}

impl OnTarget {
    /// `tasks` grouped by `on(task)` (tasks on no instance left out), `nodes` instances.
    fn of(tasks: &[TaskId], nodes: usize, on: impl Fn(TaskId) -> Option<InstanceIx>) -> OnTarget {
        let placed: Vec<(TaskId, usize)> = tasks
            .iter()
            .filter_map(|&t| on(t).map(|n| (t, n.at())))
            .filter(|&(_, n)| n < nodes)
            .collect();
        let mut start = vec![0u32; nodes + 1];
        for &(_, n) in &placed {
            start[n + 1] += 1;
        }
        for n in 0..nodes {
            start[n + 1] += start[n];
        }
        let mut next = start.clone();
        let mut grouped = vec![TaskId(0); placed.len()];
        for (t, n) in placed {
            grouped[next[n] as usize] = t;
            next[n] += 1;
        }
        OnTarget {
            start,
            tasks: grouped,
        }
    }

    /// The tasks on instance `n`, in the order given.
    fn on(&self, n: InstanceIx) -> &[TaskId] {
        let (Some(&a), Some(&b)) = (self.start.get(n.at()), self.start.get(n.at() + 1)) else {
            return &[];
        };
        &self.tasks[a as usize..b as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::OnTarget;
    use crate::placement::InstanceIx;
    use crate::sim::world::TaskId;
    use proptest::prelude::*;

    proptest! {
        /// The grouping is the plain one (a vector per instance, pushed in order).
        #[test]
        fn tasks_on_each_instance_are_the_plain_grouping(
            on in prop::collection::vec(prop::option::of(0usize..12), 0..80),
            nodes in 0usize..12,
        ) {
            let tasks: Vec<TaskId> = (0..on.len() as u32).map(TaskId).collect();
            let at = |t: TaskId| on[t.0 as usize].map(InstanceIx::new);
            let mut plain: Vec<Vec<TaskId>> = vec![Vec::new(); nodes];
            for &t in &tasks {
                if let Some(n) = at(t).filter(|n| n.at() < nodes) {
                    plain[n.at()].push(t);
                }
            }
            let grouped = OnTarget::of(&tasks, nodes, at);
            for (n, want) in plain.iter().enumerate() {
                prop_assert_eq!(grouped.on(InstanceIx::new(n)), &want[..], "instance {}", n);
            }
            prop_assert!(grouped.on(InstanceIx::new(nodes)).is_empty());
        }
    }
}
