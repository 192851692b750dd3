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
//! The quota holds from the start: of the tasks the plan's placement leaves waiting for a
//! capacity provider, the first 500 (in the placement's order) wait in PROVISIONING and the
//! rest fail to launch at second 0 ([`refuse_at_start`]); their services try again a minute
//! later, as after any refused launch.
//!
//! \[INFER\] AWS does not say how the rate is measured: the simulator counts the service's tasks
//! launched in the last 60 seconds (a sliding window), and the minute a service waits after
//! reaching the PROVISIONING quota is the planner's choice. A retry whose answer is known is
//! not made again ([`refused_again`]): while no task landed or left and no instance changed
//! since a launch the quota refused in full, the same number of tasks would be refused the
//! same way, so the simulator records each refusal once instead of once a minute.

use super::events::EventKind;
use super::service::ServiceState;
use super::world::{Ev, TaskId, TaskState, World};
use crate::placement::{Launch, Outcome};

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

/// A launch the PROVISIONING quota refused in full: the cluster's change counts after it
/// (tasks that landed or left, instances added or changed) and how many tasks it asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Refused {
    changes: usize,
    node_changes: usize,
    asked: u32,
}

impl Refused {
    /// The refusal of a launch of `asked` tasks, at the cluster as it is now.
    pub fn now(w: &World, asked: u32) -> Refused {
        Refused {
            changes: w.placement.changes(),
            node_changes: w.placement.node_changes(),
            asked,
        }
    }
}

/// Whether a launch of `n` tasks would be refused as the service's last one was: nothing in
/// the cluster changed since, it asks for as many tasks, and the quota is still reached
/// (placement is deterministic, so the tasks would be left unplaced again). The service then
/// waits another [`PROVISIONING_RETRY_SECONDS`] without a new record.
pub(super) fn refused_again(w: &mut World, svc: &mut ServiceState, n: u32) -> bool {
    let same = svc.refused == Some(Refused::now(w, n))
        && provisioning_count(w) >= PROVISIONING_PER_CLUSTER;
    if same {
        let at = w.now + PROVISIONING_RETRY_SECONDS;
        svc.launch_after = svc.launch_after.max(at);
        w.push(at, Ev::Wake);
    }
    same
}

/// The quota applied to the tasks waiting at the start (the plan's placement left them
/// unplaced): counted in the placement's order as [`over_provisioning_quota`] counts a
/// launch's, a task for a capacity provider beyond [`PROVISIONING_PER_CLUSTER`] fails to
/// launch at second 0, and its service tries again [`PROVISIONING_RETRY_SECONDS`] later. One
/// event per service says how many.
pub(super) fn refuse_at_start(w: &mut World, services: &mut [ServiceState]) {
    let waiting: Vec<TaskId> = w
        .live_tasks()
        .filter(|&t| w.task(t).state == TaskState::Provisioning)
        .collect();
    if waiting.len() <= PROVISIONING_PER_CLUSTER {
        return;
    }
    let mut refused = vec![0u32; services.len()];
    let mut count = 0;
    for t in waiting {
        let provider = matches!(
            w.placement.specs[w.placed(t).spec].launch,
            Launch::Provider { .. }
        ) && matches!(w.placed(t).outcome, Outcome::Unplaced { .. });
        if provider && count >= PROVISIONING_PER_CLUSTER {
            refused[w.task(t).service] += 1;
            w.set_state(t, TaskState::Stopped);
        } else {
            count += 1;
        }
    }
    let at = w.now + PROVISIONING_RETRY_SECONDS;
    for (s, &n) in refused.iter().enumerate().filter(|(_, n)| **n > 0) {
        services[s].launch_after = services[s].launch_after.max(at);
        w.note(
            EventKind::LaunchLimited,
            Some(s),
            None,
            format!("{n} of the service's tasks waiting for capacity fail to launch: the cluster already has {PROVISIONING_PER_CLUSTER} tasks in PROVISIONING (service quota); the scheduler tries again at second {at}"),
        );
    }
    if refused.iter().any(|n| *n > 0) {
        w.push(at, Ev::Wake);
    }
}
