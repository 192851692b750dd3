//! Services with nothing to do. At every second something happens, the scheduler reconsiders
//! every service (`run.rs`); on a cluster of 200 services most of them are steady most of the
//! time, and each pass reads all of their tasks. A replica service is *quiet* after a pass
//! when its deployment is COMPLETED, every task it has is its primary deployment's, healthy
//! and not displaced, as many as desired, with no task protection under way and no
//! Availability Zone rebalancing to start or in progress. Then, until one of its tasks
//! changes ([`World::touched`]), its desired count or its deployments change, or the zones of
//! the cluster's ACTIVE instances change, another pass would do nothing and record the same
//! counts: the scheduler skips it.
//!
//! Why each mechanism does nothing on a quiet service:
//! - `alarms::check`: the deployment is not IN_PROGRESS.
//! - `protection::apply`: no protected task, no UpdateTaskProtection call left.
//! - `rolling::reconcile`: no task waits (nothing to retry); active = healthy = primary =
//!   desired, so nothing stops and nothing starts; `check_progress` returns on COMPLETED.
//! - `rebalance::check`: not steady with one task or fewer; else balanced over the ACTIVE
//!   instances' zones (the same while the zones and the tasks are), or not a service that
//!   rebalances (the same while its tasks are), or one whose tasks no instance of an emptier
//!   zone has room for while the instances that changed since have none either
//!   (`no_room.rs`), where the check only records that it looked ([`Quiet::skip`] records it
//!   the same way).
//! - `service::sample`: the same counts, so no new sample.
//!
//! A daemon service is quiet after a pass that was *settled* ([`super::daemon::reconcile`]:
//! nothing stopped, started, retried or deferred, its deployment COMPLETED) with no task
//! protection. Its decision reads its tasks, its deployments and its targets (the instances
//! that pass eligibility and its constraints); the targets stay the same until an instance
//! joins, drains or leaves ([`World::nodes_changed`]), or, when one of its constraints reads
//! the tasks placed (`distinctInstance`, `memberOf` on `task:group`), until the placement
//! changes at all ([`Targets`]). Until then it is skipped like a replica service.
//!
//! Time-based conditions wake a service through what they change: the launch back-off and
//! the launch quota are only read by a pass that starts a task (not a quiet one), protection
//! expiry needs a protected task (never quiet), alarms and bake time act only on a deployment
//! IN_PROGRESS (never quiet), and a desired count changed by auto scaling or a new deployment
//! ends the quiet. The property that the skipping changes nothing is tested by running
//! simulations both ways (`quiet_tests.rs`).

use super::deployments::Rollout;
use super::no_room;
use super::rebalance::{balanced_over_cluster, ActiveZones, Rebalancing};
use super::service::ServiceState;
use super::world::World;
use crate::placement::{rebalance, SpecIx, TaskIx};

/// What a daemon's targets were found with, at the end of a settled pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Targets {
    /// [`World::touched`] of the daemon.
    touched: u64,
    /// [`World::nodes_changed`].
    nodes: u64,
    /// The placement's change count, when a constraint of the daemon reads placed tasks.
    changes: Option<usize>,
}

impl Targets {
    /// The targets of daemon service `s` (spec `spec`) as the cluster is now.
    pub fn now(w: &World, s: usize, spec: SpecIx) -> Targets {
        let dynamic = w.placement.specs[spec]
            .constraints
            .iter()
            .any(|c| c.is_dynamic());
        Targets {
            touched: w.touched(s),
            nodes: w.nodes_changed(),
            changes: dynamic.then(|| w.placement.changes()),
        }
    }

    /// Nothing the targets were found with changed.
    fn same(&self, w: &World) -> bool {
        self.nodes == w.nodes_changed() && self.changes.is_none_or(|c| c == w.placement.changes())
    }
}

/// What a quiet service's rebalancing check would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// Nothing: the service has one task or none (not steady for rebalancing).
    Nothing,
    /// Nothing: balanced over the zones of this generation ([`ActiveZones::generation`]).
    Balanced { zones: u64 },
    /// Record that it looked (`Rebalancing::checked`): not balanced over the cluster's zones,
    /// but not a service that rebalances.
    Record { zones: u64 },
    /// Record that it looked, as [`Check::Record`]: a service that rebalances, but no instance
    /// of an emptier zone has room for its tasks, while the instances that changed since
    /// still have none (`no_room.rs`: its question is the same while its tasks are).
    NoRoom { zones: u64 },
    /// A daemon: nothing while its targets are the same.
    Daemon(Targets),
}

/// A service found quiet after the scheduler's pass, and what it was found with.
#[derive(Debug, Clone)]
pub(super) struct Quiet {
    touched: u64,
    desired: u32,
    deployments: usize,
    primary: u32,
    check: Check,
}

impl Quiet {
    /// After the scheduler's pass over replica service `s` (and its sample): whether it is
    /// quiet, and with what.
    pub fn after_pass(
        w: &World,
        s: usize,
        svc: &ServiceState,
        st: &Rebalancing,
        zones: &mut ActiveZones,
    ) -> Option<Quiet> {
        if w.services[s].daemon
            || st.in_progress
            || !svc.protected.is_empty()
            || !svc.protection_calls.is_empty()
            || svc.deployments.last()?.rollout != Rollout::Completed
        {
            return None;
        }
        let primary = svc.primary();
        let mine = w.live_of(s);
        let settled = mine
            .clone()
            .all(|&t| w.is_healthy(t) && w.task(t).deployment == primary && !w.task(t).displaced);
        if !settled || mine.len() as u32 != svc.desired {
            return None;
        }
        let check = if svc.desired <= 1 {
            Check::Nothing
        } else {
            let generation = zones.generation(w);
            if balanced_over_cluster(w, zones.of(w), mine.clone()) {
                Check::Balanced { zones: generation }
            } else {
                let ptasks: Vec<TaskIx> = mine.clone().take(1).map(|t| w.task(*t).ptask).collect();
                let idx = w.services[s].index;
                if !rebalance::applies(w.plan, idx, &w.placement, &ptasks) {
                    Check::Record { zones: generation }
                } else if no_room::kept_for(
                    &st.no_room,
                    &w.placement,
                    &mine.clone().map(|t| w.task(*t).ptask).collect::<Vec<_>>(),
                ) {
                    Check::NoRoom { zones: generation }
                } else {
                    return None;
                }
            }
        };
        Some(Quiet {
            touched: w.touched(s),
            desired: svc.desired,
            deployments: svc.deployments.len(),
            primary,
            check,
        })
    }

    /// Nothing of service `s` that its pass reads changed since it was found quiet (its
    /// sample would be the same).
    pub fn unchanged(&self, w: &World, s: usize, svc: &ServiceState) -> bool {
        self.touched == w.touched(s)
            && self.desired == svc.desired
            && self.deployments == svc.deployments.len()
            && self.primary == svc.primary()
            && svc.protection_calls.is_empty()
    }

    /// Whether service `s` is still quiet now, so its pass can be skipped; records what the
    /// skipped rebalancing check would have recorded.
    pub fn skip(
        &self,
        w: &World,
        s: usize,
        svc: &ServiceState,
        st: &mut Rebalancing,
        zones: &mut ActiveZones,
    ) -> bool {
        if !self.unchanged(w, s, svc) {
            return false;
        }
        match self.check {
            Check::Nothing => true,
            Check::Balanced { zones: g } => zones.generation(w) == g,
            Check::Record { zones: g } => {
                if zones.generation(w) != g {
                    return false;
                }
                st.checked = Some((w.placement.changes(), w.live_of(s).len()));
                true
            }
            Check::NoRoom { zones: g } => {
                if zones.generation(w) != g || !no_room::still_none(&mut st.no_room, &w.placement) {
                    return false;
                }
                // Every simulation the tests run checks the kept answer against a new one.
                #[cfg(test)]
                {
                    let ptasks: Vec<TaskIx> = w.live_of(s).map(|t| w.task(*t).ptask).collect();
                    assert!(
                        !rebalance::may_move(&w.placement, &ptasks),
                        "a quiet service's kept answer of may_move is stale"
                    );
                }
                st.checked = Some((w.placement.changes(), w.live_of(s).len()));
                true
            }
            Check::Daemon(targets) => targets.same(w),
        }
    }

    /// After the scheduler's pass over daemon service `s` (and its sample): quiet when the
    /// pass was settled with `targets` ([`super::daemon::reconcile`]) and no task protection
    /// is under way or to come.
    pub fn after_daemon_pass(
        w: &World,
        s: usize,
        svc: &ServiceState,
        targets: Option<Targets>,
    ) -> Option<Quiet> {
        let targets = targets.filter(|t| t.same(w) && t.touched == w.touched(s))?;
        if !svc.protected.is_empty() || !svc.protection_calls.is_empty() {
            return None;
        }
        Some(Quiet {
            touched: w.touched(s),
            desired: svc.desired,
            deployments: svc.deployments.len(),
            primary: svc.primary(),
            check: Check::Daemon(targets),
        })
    }
}
