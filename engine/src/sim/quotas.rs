//! The service quotas a simulation reaches (`ecs-semantics.md` §7 "Quotas worth simulating",
//! from the Developer Guide's `service-quotas` page):
//! - "Tasks in the PROVISIONING state per cluster": 500; "tasks beyond it fail to launch"
//!   ([`PROVISIONING_PER_CLUSTER`]). A standalone task beyond it fails (`run-task-failed`); a
//!   service's task beyond it is not launched and the scheduler tries again a minute later
//!   (`launch-limited`).
//! - "Rate of service task launches": 500 per minute per service ([`LAUNCHES_PER_MINUTE`]);
//!   the scheduler launches the rest when the minute allows (`launch-limited`). A DAEMON
//!   service is a service: its tasks count the same way (the quota names no scheduling
//!   strategy).
//!
//! \[INFER\] AWS does not say how the rate is measured: the simulator counts the service's tasks
//! launched in the last 60 seconds (a sliding window), and the minute a service waits after
//! reaching the PROVISIONING quota is the planner's choice.

use super::events::EventKind;
use super::service::ServiceState;
use super::world::{Ev, TaskId, TaskState, World};
use crate::placement::Launch;

/// Tasks in PROVISIONING per cluster.
pub const PROVISIONING_PER_CLUSTER: usize = 500;

/// Tasks a service launches per minute.
pub const LAUNCHES_PER_MINUTE: u32 = 500;

/// Seconds a service waits after the PROVISIONING quota refused its tasks.
pub const PROVISIONING_RETRY_SECONDS: u32 = 60;

/// Tasks of the cluster waiting in PROVISIONING (services' and standalone).
pub(super) fn provisioning_count(w: &World) -> usize {
    w.provisioning_tasks().filter(|t| !t.stopping).count()
}

/// Of `n` tasks service `s` wants to launch now, how many the launch rate allows, and when
/// the rest may go (the second the oldest launch of the window leaves it).
pub(super) fn launch_budget(w: &World, s: usize, n: u32) -> (u32, Option<u32>) {
    let name = &w.services[s].name;
    let since = w.now.saturating_sub(59);
    let mut launched = 0u32;
    let mut oldest = w.now;
    // Lives are recorded in time order: the window's are at the end.
    for life in w.timeline.tasks.iter().rev() {
        let Some(&(t0, first)) = life.states.first() else {
            continue;
        };
        if t0 < since {
            break;
        }
        // Tasks RUNNING from the start were not launched by the simulation.
        if *life.service == **name && first != TaskState::Running {
            launched += 1;
            oldest = oldest.min(t0);
        }
    }
    let left = LAUNCHES_PER_MINUTE.saturating_sub(launched);
    if n <= left {
        (n, None)
    } else {
        (left, Some(oldest + 60))
    }
}

/// The launch rate applied to `n` tasks of service `s`: how many it launches now (`None` for
/// none); when fewer, it tries again when the window allows.
pub(super) fn limit_launch(w: &mut World, s: usize, svc: &mut ServiceState, n: u32) -> Option<u32> {
    let (allowed, later) = launch_budget(w, s, n);
    if let Some(at) = later {
        defer(w, s, svc, allowed, n, at);
    }
    (allowed > 0).then_some(allowed)
}

/// Of the `n` tasks service `s` wanted to launch, only `allowed` started: the rest wait for
/// second `at`, when the window allows them.
pub(super) fn defer(
    w: &mut World,
    s: usize,
    svc: &mut ServiceState,
    allowed: u32,
    n: u32,
    at: u32,
) {
    svc.launch_after = svc.launch_after.max(at);
    w.push(at, Ev::Wake);
    w.note(
        EventKind::LaunchLimited,
        Some(s),
        None,
        format!(
            "the service launched {} tasks in the last minute: the rate of service task launches is {LAUNCHES_PER_MINUTE} per minute per service (service quota); {allowed} of {n} start now, the rest from second {at}",
            LAUNCHES_PER_MINUTE - allowed
        ),
    );
}

/// A service's task that would wait in PROVISIONING while the cluster already has
/// [`PROVISIONING_PER_CLUSTER`] there: it fails to launch, and the service tries again
/// [`PROVISIONING_RETRY_SECONDS`] later. Whether it was refused. `waiting` carries the
/// cluster's PROVISIONING count between the tasks of one launch (counted once).
pub(super) fn over_provisioning_quota(
    w: &mut World,
    s: usize,
    svc: &mut ServiceState,
    t: TaskId,
    waiting: &mut Option<usize>,
) -> bool {
    let provider = matches!(
        w.placement.specs[w.placed(t).spec].launch,
        Launch::Provider { .. }
    );
    if !provider {
        return false;
    }
    // The count includes task `t`, added in PROVISIONING.
    let count = match waiting {
        Some(c) => *c + 1,
        None => provisioning_count(w),
    };
    if count <= PROVISIONING_PER_CLUSTER {
        *waiting = Some(count);
        return false;
    }
    *waiting = Some(count - 1);
    let at = w.now + PROVISIONING_RETRY_SECONDS;
    w.event(
        EventKind::LaunchLimited,
        Some(s),
        Some(t),
        format!("the cluster already has {PROVISIONING_PER_CLUSTER} tasks in PROVISIONING (service quota): the task fails to launch; the scheduler tries again at second {at}"),
    );
    w.set_state(t, TaskState::Stopped);
    svc.launch_after = svc.launch_after.max(at);
    w.push(at, Ev::Wake);
    true
}
