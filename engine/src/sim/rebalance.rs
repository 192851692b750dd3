//! Availability Zone rebalancing over time (`service-rebalancing`, "Balancing an Amazon ECS
//! service across Availability Zones"): "Amazon ECS starts monitoring a service after it
//! reaches the steady state, and looks at the number of tasks running in each Availability
//! Zone"; when it detects an imbalance it "sends a service event indicating that Availability
//! Zone rebalancing is starting", "starts tasks in Availability Zones with the fewest number of
//! running tasks" and "stops the tasks in Availability Zones with the largest number of
//! running tasks"; `track-service-rebalancing` lists the events (`SERVICE_REBALANCING_STARTED`:
//! "is not AZ balanced with …", `SERVICE_REBALANCING_COMPLETED`: "is AZ balanced with …").
//!
//! Which services and which tasks move is the board's engine function
//! ([`crate::placement::rebalance`]): a replica service on instances whose first strategy
//! spreads by zone, `availabilityZoneRebalancing` not `DISABLED`; the tasks of the fullest
//! zone that a placement with the service's strategies would put in an emptier zone with room.
//! The simulator marks those tasks to be replaced and the service scheduler replaces them as a
//! rolling update does (`rolling.rs`): new tasks first, under `maximumPercent`, placed by the
//! zone spread in the zones with the fewest tasks; the marked tasks stop while
//! `minimumHealthyPercent` holds. \[INFER\] AWS does not document how rebalancing uses the two
//! percentages; a rolling update's rules are the ones the scheduler has.

use super::events::EventKind;
use super::no_room::{self, NoRoom};
use super::service::ServiceState;
use super::world::{Ev, TaskId, World};
use crate::placement::{rebalance, Outcome, TaskIx};
use crate::plan::InstanceStatus;

/// Rebalancing's state of one service.
#[derive(Debug, Clone, Default)]
pub(super) struct Rebalancing {
    /// A rebalancing started and has not completed.
    pub in_progress: bool,
    /// Tasks being replaced in another zone.
    moving: Vec<TaskId>,
    /// The placement's change count and the service's task count when the service was last
    /// found balanced or impossible to improve (the answer is the same until either changes).
    pub checked: Option<(usize, usize)>,
    /// The last `false` answer of [`rebalance::may_move`], kept (`no_room.rs`).
    pub no_room: Option<NoRoom>,
    /// Ask [`rebalance::may_move`] without the placement's cache (only to test that the
    /// cache changes nothing).
    #[cfg(test)]
    pub scan: bool,
    /// Try the rebalancing on a copy of the placement, not on the placement undone after
    /// (only to test that undoing changes nothing).
    #[cfg(test)]
    pub copy: bool,
}

/// Per zone name, the service's placed active tasks, in zone order.
fn zone_counts(w: &World, mine: &[TaskId]) -> Vec<(String, u32)> {
    let mut out: Vec<(String, u32)> = Vec::new();
    for &t in mine {
        if !w.is_active(t) {
            continue;
        }
        let Outcome::Placed { node } = w.placed(t).outcome else {
            continue;
        };
        let z = &w.placement.cluster.nodes[node].availability_zone;
        match out.iter_mut().find(|(n, _)| n == z) {
            Some(c) => c.1 += 1,
            None => out.push((z.clone(), 1)),
        }
    }
    out.sort();
    out
}

fn describe(counts: &[(String, u32)]) -> String {
    counts
        .iter()
        .map(|(z, c)| format!("{c} tasks in {z}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The zones of the cluster's ACTIVE instances with a connected agent, in zone order, for
/// every service's [`check`]: found again only when an instance was added or changed
/// ([`Placement::node_changes`](crate::placement::Placement::node_changes); an instance's
/// status or zone never changes without it), not once per service at every second nor at
/// every task that lands or leaves.
#[derive(Debug, Clone, Default)]
pub(super) struct ActiveZones {
    /// The placement's instance change count and instance count they were found at.
    at: Option<(usize, usize)>,
    zones: Vec<usize>,
    /// Bumped when the zones found differ from the last ones.
    generation: u64,
}

impl ActiveZones {
    pub fn of(&mut self, w: &World) -> &[usize] {
        let at = (w.placement.node_changes(), w.placement.cluster.nodes.len());
        if self.at != Some(at) {
            let zones = active_zones(w);
            if zones != self.zones {
                self.generation += 1;
                self.zones = zones;
            }
            self.at = Some(at);
        }
        // Every simulation the tests run checks the kept zones against a new scan.
        #[cfg(test)]
        assert_eq!(self.zones, active_zones(w), "kept active zones are stale");
        &self.zones
    }

    /// Which zones [`ActiveZones::of`] found: equal generations, equal zones.
    pub fn generation(&mut self, w: &World) -> u64 {
        self.of(w);
        self.generation
    }
}

/// The zones of the cluster's ACTIVE instances with a connected agent, in zone order: the
/// scan [`ActiveZones`] keeps the answer of.
fn active_zones(w: &World) -> Vec<usize> {
    let mut zones: Vec<usize> = w
        .placement
        .cluster
        .nodes
        .iter()
        .filter(|n| n.status == InstanceStatus::Active && n.agent_connected)
        .map(|n| n.az)
        .collect();
    zones.sort_unstable();
    zones.dedup();
    zones
}

/// Whether the service's tasks differ by at most one between the zones of the cluster's
/// ACTIVE instances (`zones`, [`ActiveZones`]): then they do between the zones it may run in
/// too (a subset), and the copy of the cluster [`check`] would need is spared.
pub(super) fn balanced_over_cluster<'t>(
    w: &World,
    zones: &[usize],
    mine: impl IntoIterator<Item = &'t TaskId>,
) -> bool {
    let nodes = &w.placement.cluster.nodes;
    let mut counts: Vec<(usize, u32)> = zones.iter().map(|&z| (z, 0)).collect();
    for &t in mine {
        if let Outcome::Placed { node } = w.placed(t).outcome {
            if let Some(c) = counts.iter_mut().find(|c| c.0 == nodes[node].az) {
                c.1 += 1;
            }
        }
    }
    let most = counts.iter().map(|c| c.1).max().unwrap_or(0);
    let least = counts.iter().map(|c| c.1).min().unwrap_or(0);
    most <= least + 1
}

/// The service is steady: no deployment in progress, as many healthy tasks as desired,
/// nothing starting or stopping.
fn steady(w: &World, svc: &ServiceState, mine: &[TaskId]) -> bool {
    !svc.in_deployment()
        && mine.iter().all(|&t| w.is_healthy(t))
        && mine.len() as u32 == svc.desired
        && svc.desired > 1
}

/// Rebalancing's decision for replica service `s` after the scheduler's.
pub(super) fn check(
    w: &mut World,
    s: usize,
    svc: &ServiceState,
    st: &mut Rebalancing,
    zones: &mut ActiveZones,
) {
    let mine = w.tasks_of(s);
    if st.in_progress {
        st.moving.retain(|&t| w.is_active(t));
        if st.moving.is_empty() && steady(w, svc, &mine) {
            st.in_progress = false;
            let counts = zone_counts(w, &mine);
            let name = w.services[s].name.clone();
            w.note(
                EventKind::RebalancingCompleted,
                Some(s),
                None,
                format!(
                    "service ({name}) is AZ balanced with {}.",
                    describe(&counts)
                ),
            );
        }
        return;
    }
    if !steady(w, svc, &mine) {
        return;
    }
    let key = (w.placement.changes(), mine.len());
    if st.checked == Some(key) || balanced_over_cluster(w, zones.of(w), &mine[..]) {
        return;
    }
    let ptasks: Vec<TaskIx> = mine.iter().map(|t| w.task(*t).ptask).collect();
    let idx = w.services[s].index;
    if !rebalance::applies(w.plan, idx, &w.placement, &ptasks) {
        st.checked = Some(key);
        return;
    }
    // A zone the service may run in with none of its tasks counts as 0: the board's function
    // knows the zones; a copy of the cluster tells which tasks it would move, when any can
    // (the copy is most of the cost of a day of a busy cluster).
    #[cfg(test)]
    let can_move = if st.scan {
        rebalance::may_move_by_scan(&w.placement, &ptasks)
    } else {
        let kept = no_room::may_move(&mut st.no_room, &w.placement, &ptasks);
        // Every simulation the tests run checks the kept answer against a new one.
        assert_eq!(
            kept,
            rebalance::may_move(&w.placement, &ptasks),
            "the kept answer of may_move is stale"
        );
        kept
    };
    #[cfg(not(test))]
    let can_move = no_room::may_move(&mut st.no_room, &w.placement, &ptasks);
    if !can_move {
        st.checked = Some(key);
        return;
    }
    #[cfg(test)]
    let moved = if st.copy {
        rebalance::zones(&mut w.placement.clone(), &ptasks)
    } else {
        rebalance::would_move(&mut w.placement, &ptasks)
    };
    #[cfg(not(test))]
    let moved = rebalance::would_move(&mut w.placement, &ptasks);
    if moved.is_empty() {
        st.checked = Some(key);
        return;
    }
    let counts = zone_counts(w, &mine);
    let name = w.services[s].name.clone();
    w.note(
        EventKind::RebalancingStarted,
        Some(s),
        None,
        format!(
            "service ({name}) is not AZ balanced with {}. AZ Rebalancing in progress.",
            describe(&counts)
        ),
    );
    st.in_progress = true;
    for p in moved {
        if let Some(t) = w.task_of_ptask(p) {
            let task = w.task_mut(t);
            task.displaced = true;
            task.rebalanced = true;
            st.moving.push(t);
        }
    }
    // The scheduler replaces them at once (its pass for this second is over).
    w.push(w.now, Ev::Wake);
}
