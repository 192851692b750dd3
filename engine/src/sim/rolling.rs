//! A replica service's scheduler: reaching the desired count and, while a deployment is in
//! progress, the rolling update (`deployment-type-ecs.md`, `service_definition_parameters.md`).
//!
//! Each time something happens, the scheduler decides for every service:
//! - `minimumHealthyPercent` (rounded up) is the floor on healthy RUNNING tasks; old tasks are
//!   only stopped while the floor holds, and only when the service has more tasks than desired
//!   or needs room under `maximumPercent` for new ones.
//! - `maximumPercent` (rounded down) is the ceiling on tasks that are not stopping; new tasks
//!   start only while it holds.
//! - Old tasks that are not healthy are stopped first; tasks being stopped count neither as
//!   healthy nor against the ceiling.
//! - A deployment that can neither start nor stop a task, and has nothing under way, is stuck
//!   ([`super::deployments::check_progress`]).
//!
//! Blue/green deployments replace the whole task set instead ([`super::bluegreen`]).

use super::bluegreen;
use super::deployments::{self, Rollout};
use super::service::{self, of_primary, ServiceState};
use super::stop_order::StopOrder;
use super::world::{TaskId, World};

/// `ceil(desired × minimumHealthyPercent / 100)`.
pub fn min_healthy(desired: u32, percent: u32) -> u32 {
    ((desired as u64 * percent as u64).div_ceil(100)) as u32
}

/// `floor(desired × maximumPercent / 100)`.
pub fn max_tasks(desired: u32, percent: u32) -> u32 {
    ((desired as u64 * percent as u64) / 100) as u32
}

/// The service scheduler's decision for replica service `s` at this moment.
pub(super) fn reconcile(w: &mut World, s: usize, svc: &mut ServiceState) {
    let primary_id = svc.primary();
    let mine = w.tasks_of(s);
    service::retry_waiting(w, svc, &mine);
    if svc.in_deployment() && svc.deployments.last().is_some_and(|d| d.traffic.is_some()) {
        return bluegreen::reconcile(w, s, svc, &mine, primary_id);
    }
    let desired = svc.desired;
    let min = min_healthy(desired, svc.min_percent);
    let max =
        max_tasks(desired, svc.max_percent).max(if svc.in_deployment() { 0 } else { desired });
    let primary_failed = svc
        .deployments
        .last()
        .is_some_and(|d| d.rollout == Rollout::Failed);
    let mut acted = false;

    // Old deployments' tasks that are not healthy go first: they protect nothing.
    for &t in &mine {
        if w.is_active(t) && !of_primary(w, t, primary_id) && !w.is_healthy(t) {
            let why = if w.task(t).displaced {
                "its container instance is DRAINING and the task is not running yet"
            } else {
                "not healthy and part of an older deployment"
            };
            w.stop_task(t, why);
            acted = true;
        }
    }
    let count = |f: &dyn Fn(TaskId) -> bool| mine.iter().filter(|t| f(**t)).count() as u32;
    let mut prim_active = count(&|t| w.is_active(t) && of_primary(w, t, primary_id));
    let mut total_active = count(&|t| w.is_active(t));
    let mut healthy = count(&|t| w.is_healthy(t));

    // Scale-in of the primary beyond desired. The candidates are the same at each stop but
    // for the one stopped, so their order is kept across the stops (`StopOrder`).
    let mut order: Option<StopOrder> = None;
    while prim_active > desired && !primary_failed {
        let order = order.get_or_insert_with(|| {
            let cands: Vec<TaskId> = mine
                .iter()
                .copied()
                .filter(|t| w.is_active(*t) && of_primary(w, *t, primary_id))
                .filter(|t| !svc.is_protected(*t, w.now))
                .collect();
            StopOrder::new(w, s, cands)
        });
        let Some(t) = order.pick(w) else {
            break;
        };
        if w.is_healthy(t) {
            healthy -= 1;
        }
        order.stop(w, t, "the service has more tasks than desired");
        prim_active -= 1;
        total_active -= 1;
        acted = true;
    }
    // Old healthy tasks, while the floor holds and they are in the way: beyond the desired
    // count, or taking the room new tasks need under the ceiling — the new tasks still missing
    // beyond what the ceiling leaves free, as many at once as the floor allows (desired 3 at
    // 50/150: one stops while two start, in the same pass).
    let room = if primary_failed {
        0
    } else {
        let missing = desired.saturating_sub(prim_active);
        let free = max.saturating_sub(total_active);
        missing
            .saturating_sub(free)
            .min(healthy.saturating_sub(min))
    };
    let mut pass = Pass {
        s,
        primary_id,
        min,
        healthy,
        total_active,
    };
    acted |= stop_old(w, svc, &mine, room, &mut pass);
    // New tasks of the primary deployment, under the ceiling.
    if !primary_failed && prim_active < desired {
        let room = max.saturating_sub(pass.total_active);
        let n = (desired - prim_active).min(room);
        if n > 0 && w.now >= svc.launch_after {
            service::launch(w, s, svc, n);
            acted = true;
            // The old tasks the new ones make surplus stop in the same pass, as far as the
            // floor allows (desired 4 at 50/200: four start and two old stop at once).
            let mine = w.tasks_of(s);
            pass.total_active = count_of(w, &mine, |w, t| w.is_active(t));
            stop_old(w, svc, &mine, 0, &mut pass);
        } else if n > 0 {
            acted = true; // waiting for the back-off
        }
    }
    deployments::check_progress(w, s, svc, acted, min, max);
}

/// What one scheduler pass of service `s` knows while it stops old tasks: the floor, and the
/// counts each stop lowers.
struct Pass {
    s: usize,
    primary_id: u32,
    /// The floor on healthy tasks (`minimumHealthyPercent`).
    min: u32,
    healthy: u32,
    total_active: u32,
}

/// Stops old deployments' healthy tasks while the floor holds and they are in the way: the
/// service has more tasks than desired, or new tasks need `room` under the ceiling. Returns
/// whether any stopped.
fn stop_old(
    w: &mut World,
    svc: &ServiceState,
    mine: &[TaskId],
    mut room: u32,
    pass: &mut Pass,
) -> bool {
    let desired = svc.desired;
    let mut acted = false;
    let mut order: Option<StopOrder> = None;
    loop {
        if !(pass.total_active > desired || room > 0)
            || pass.healthy == 0
            || pass.healthy - 1 < pass.min
        {
            break;
        }
        let order = order.get_or_insert_with(|| {
            let cands: Vec<TaskId> = mine
                .iter()
                .copied()
                .filter(|t| w.is_healthy(*t) && !of_primary(w, *t, pass.primary_id))
                // Task scale-in protection holds deployments, not an instance's draining.
                .filter(|t| w.task(*t).displaced || !svc.is_protected(*t, w.now))
                .collect();
            StopOrder::new(w, pass.s, cands)
        });
        let Some(t) = order.pick(w) else {
            break;
        };
        let why = if w.task(t).rebalanced {
            "AZ rebalancing: stopped in the Availability Zone with the most tasks of the service, replaced in one with the fewest"
        } else if w.task(t).displaced {
            "its container instance is DRAINING: replaced on another instance"
        } else {
            "replaced by the new deployment"
        };
        order.stop(w, t, why);
        pass.healthy -= 1;
        pass.total_active -= 1;
        room = room.saturating_sub(1);
        acted = true;
    }
    acted
}

fn count_of(w: &World, mine: &[TaskId], f: impl Fn(&World, TaskId) -> bool) -> u32 {
    mine.iter().filter(|t| f(w, **t)).count() as u32
}
