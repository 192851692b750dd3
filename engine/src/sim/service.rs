//! A service as the service scheduler keeps it: its desired count, deployment configuration and
//! deployments, and what the scheduler does to its tasks whatever the kind of deployment:
//! start new ones through the placement engine, choose which to stop, count them, and record
//! the service's counts when they change.

use super::deployments::{Deployment, Rollout};
use super::events::EventKind;
use super::timeline::{Counts, ServiceSample};
use super::world::{Ev, TaskId, TaskState, World};
use crate::placement::{scale_in, Launch, Outcome, TaskIx};
use crate::plan::deployment::ThresholdConfiguration;

/// The service scheduler's state of one service.
#[derive(Debug, Clone)]
pub(super) struct ServiceState {
    pub desired: u32,
    pub min_percent: u32,
    pub max_percent: u32,
    /// The deployment circuit breaker: `None` when off, else whether it rolls back.
    pub breaker: Option<bool>,
    /// `thresholdConfiguration` of the circuit breaker (the threshold is computed from the
    /// latest desired count at each failure).
    pub threshold_config: Option<ThresholdConfiguration>,
    /// `resetOnHealthyTask` (default true).
    pub reset_on_healthy: bool,
    /// Tasks with scale-in protection and the second it expires.
    pub protected: Vec<(TaskId, u32)>,
    /// The plan's UpdateTaskProtection calls for this service: (second, count, expiry in
    /// seconds), the ones made are removed.
    pub protection_calls: Vec<(u32, u32, u32)>,
    /// `deploymentConfiguration.alarms` when enabled: the alarm names, and whether a failure
    /// rolls back.
    pub alarms: Option<(Vec<String>, bool)>,
    /// Oldest first; the last is the PRIMARY deployment.
    pub deployments: Vec<Deployment>,
    /// The next task's number within the service (for its id).
    pub next_ordinal: u32,
    /// Tasks that failed to start or were unhealthy in a row (the launch back-off).
    pub consecutive_failures: u32,
    /// No task starts before this second (the launch back-off).
    pub launch_after: u32,
    /// A "stuck" event was reported for the current situation.
    pub stuck: Option<String>,
    /// The placement's change count when waiting tasks were last retried.
    pub retried_at: Option<usize>,
    /// A daemon's verdicts of which instances want its task, kept per instance.
    pub daemon_targets: super::daemon::KeptTargets,
    /// The last launch the PROVISIONING quota refused in full: the cluster's change counts
    /// after it and how many tasks it asked for ([`super::quotas::Refused`]).
    pub refused: Option<super::quotas::Refused>,
}

impl ServiceState {
    /// Whether task `t` has scale-in protection at second `now`.
    pub fn is_protected(&self, t: TaskId, now: u32) -> bool {
        self.protected
            .iter()
            .any(|(p, until)| *p == t && now < *until)
    }

    /// The PRIMARY deployment's id (1 before any deployment).
    pub fn primary(&self) -> u32 {
        self.deployments.last().map_or(1, |d| d.id)
    }

    /// A deployment is in progress.
    pub fn in_deployment(&self) -> bool {
        self.deployments
            .last()
            .is_some_and(|d| d.rollout == Rollout::InProgress)
    }

    /// The deployment in progress, if any.
    pub fn deployment_in_progress(&self) -> Option<u32> {
        self.deployments
            .last()
            .filter(|d| d.rollout == Rollout::InProgress)
            .map(|d| d.id)
    }
}

/// Whether task `t` belongs to the primary deployment and stays: tasks on a DRAINING instance
/// are replaced like an older deployment's.
pub(super) fn of_primary(w: &World, t: TaskId, primary: u32) -> bool {
    w.task(t).deployment == primary && !w.task(t).displaced
}

/// Changes a service's desired count (service auto scaling, scheduled actions), with the
/// reason in the timeline.
pub(super) fn set_desired(
    w: &mut World,
    s: usize,
    svc: &mut ServiceState,
    desired: u32,
    why: &str,
) {
    let before = svc.desired;
    if before == desired {
        return;
    }
    svc.desired = desired;
    svc.stuck = None;
    w.event(
        EventKind::DesiredCount {
            from: before,
            to: desired,
        },
        Some(s),
        None,
        format!("desired count {before} → {desired}: {why}"),
    );
}

/// How many healthy RUNNING tasks service `s` has, all deployments.
pub(super) fn healthy_count(w: &World, s: usize) -> u32 {
    w.live_of(s).filter(|t| w.is_healthy(**t)).count() as u32
}

/// Tasks of service `s` in RUNNING that are not being stopped (ECS's `runningCount`, what
/// service auto scaling counts from).
pub(super) fn running_count(w: &World, s: usize) -> u32 {
    w.live_of(s)
        .filter(|t| {
            let t = w.task(**t);
            t.state == TaskState::Running && !t.stopping
        })
        .count() as u32
}

/// Tasks of service `s` that want to run but are not RUNNING yet: waiting for capacity
/// (PROVISIONING), or PENDING/ACTIVATING (the same count as [`ServiceSample::pending`]).
pub(super) fn starting_count(w: &World, s: usize) -> u32 {
    w.live_of(s)
        .filter(|&&t| {
            w.is_active(t)
                && matches!(
                    w.task(t).state,
                    TaskState::Provisioning | TaskState::Pending | TaskState::Activating
                )
        })
        .count() as u32
}

/// Starts `n` tasks of the service's primary deployment, within the service quotas
/// ([`super::quotas`]).
pub(super) fn launch(w: &mut World, s: usize, svc: &mut ServiceState, n: u32) {
    if super::quotas::refused_again(w, svc, n) {
        return;
    }
    let asked = n;
    let Some(n) = super::quotas::limit_launch(w, s, svc, n) else {
        return;
    };
    let td = svc
        .deployments
        .last()
        .map(|d| d.task_definition.clone())
        .unwrap_or_default();
    let dep = svc.deployments.last().map_or(1, |d| d.id);
    let from = svc.next_ordinal - 1;
    let idx = w.services[s].index;
    // The deployment's tasks that stay: new tasks join them in the strategy's mix.
    let active: Vec<TaskIx> = w
        .live_of(s)
        .copied()
        .filter(|t| w.is_active(*t) && of_primary(w, *t, dep))
        .map(|t| w.task(t).ptask)
        .collect();
    let ptasks =
        w.placement
            .add_service_tasks_joining(w.plan, idx, Some(&td), from, from + n, &active);
    svc.next_ordinal += n;
    w.place_tasks(&ptasks);
    let mut waiting = None;
    let mut refused = 0;
    for pt in ptasks {
        let t = w.add_task(pt, s, dep, TaskState::Provisioning);
        if let Some(end) = spot_unavailable_until(w, t) {
            w.push(end, Ev::Wake);
            w.event(
                EventKind::TaskUnplaced,
                Some(s),
                Some(t),
                format!("Fargate Spot capacity is not available: the FARGATE_SPOT task waits in PROVISIONING until it is (second {end}); Amazon ECS does not move it to FARGATE"),
            );
            continue;
        }
        if matches!(w.placed(t).outcome, Outcome::Unplaced { .. })
            && super::quotas::over_provisioning_quota(w, s, svc, t, &mut waiting)
        {
            refused += 1;
            continue;
        }
        match w.placed(t).outcome {
            Outcome::Placed { .. } | Outcome::Fargate { .. } => w.begin(t),
            _ => {
                let reasons = w.unplaced_reasons(t);
                let provisioning = matches!(
                    w.placement.specs[w.placed(t).spec].launch,
                    Launch::Provider { .. }
                );
                w.event(
                    EventKind::TaskUnplaced,
                    Some(s),
                    Some(t),
                    format!(
                        "unable to place a task because no container instance met all of its requirements{}: {}",
                        if provisioning { " (waiting in PROVISIONING for the capacity provider)" } else { "" },
                        reasons.join("; ")
                    ),
                );
            }
        }
    }
    // A launch the rate cut short counts: the next would try the same tasks, in the same order.
    svc.refused = (refused == n).then(|| super::quotas::Refused::now(w, asked));
}

/// When the Fargate Spot capacity task `t` needs comes back, while it is unavailable
/// (`settings.simulation.fargateSpotUnavailable`; `fargate-capacity-providers.md`: the
/// scheduler launches Fargate Spot tasks "if there's capacity available", "a service with only
/// one task is interrupted until capacity is available").
pub(super) fn spot_unavailable_until(w: &World, t: TaskId) -> Option<u32> {
    let spec = w.placed(t).spec;
    if !matches!(&w.placement.specs[spec].launch, Launch::Fargate { provider } if provider == "FARGATE_SPOT")
    {
        return None;
    }
    let sim = w.plan.settings.as_ref()?.simulation.as_ref()?;
    sim.fargate_spot_unavailable
        .iter()
        .filter(|x| x.from_second <= w.now && w.now < x.to_second)
        .map(|x| x.to_second)
        .max()
}

/// Tasks waiting for an instance try again, when the cluster changed since their last try
/// (the answer would be the same otherwise); FARGATE_SPOT tasks that waited for capacity start
/// once it is back.
pub(super) fn retry_waiting(w: &mut World, svc: &mut ServiceState, mine: &[TaskId]) {
    for &t in mine {
        if w.is_active(t)
            && w.task(t).state == TaskState::Provisioning
            && matches!(w.placed(t).outcome, Outcome::Fargate { .. })
            && spot_unavailable_until(w, t).is_none()
        {
            w.begin(t);
        }
    }
    let waiting: Vec<TaskIx> = mine
        .iter()
        .filter(|t| w.is_active(**t) && w.task(**t).state == TaskState::Provisioning)
        .map(|t| w.task(*t).ptask)
        .collect();
    if waiting.is_empty() || svc.retried_at == Some(w.placement.changes()) {
        return;
    }
    w.place_tasks(&waiting);
    svc.retried_at = Some(w.placement.changes());
    for &t in mine {
        if w.is_active(t)
            && w.task(t).state == TaskState::Provisioning
            && matches!(
                w.placed(t).outcome,
                Outcome::Placed { .. } | Outcome::Fargate { .. }
            )
            && spot_unavailable_until(w, t).is_none()
        {
            w.begin(t);
        }
    }
}

/// Which of `cands` (tasks of one service) the scheduler stops first: tasks not placed yet,
/// then from the launch target the capacity provider strategy has most beyond its share, the
/// placement strategies read in reverse (on Fargate, the newest task).
pub(super) fn pick_to_stop(w: &World, cands: &[TaskId]) -> Option<TaskId> {
    let not_placed = cands
        .iter()
        .copied()
        .find(|t| matches!(w.placed(*t).outcome, Outcome::Unplaced { .. }));
    if not_placed.is_some() {
        return not_placed;
    }
    let ptasks: Vec<TaskIx> = cands.iter().map(|t| w.task(*t).ptask).collect();
    let index = w.services[w.task(*cands.first()?).service].index;
    let ptasks = w.placement.scale_in_candidates(w.plan, index, &ptasks);
    let spec = w.ptask(*ptasks.first()?).spec;
    let pt = if matches!(w.placement.specs[spec].launch, Launch::Fargate { .. }) {
        *ptasks.iter().max()?
    } else {
        scale_in::task_to_stop(&w.placement, spec, &ptasks)?
    };
    cands.iter().copied().find(|t| w.task(*t).ptask == pt)
}

/// The share of traffic on the new task set while a blue/green deployment shifts it.
pub(super) fn traffic(svc: &ServiceState) -> Option<f64> {
    svc.deployments
        .last()
        .filter(|d| d.traffic.is_some() && d.rollout == Rollout::InProgress)
        .map(|d| d.traffic_percent)
}

/// Records service `s`'s counts at this second, when they changed.
pub(super) fn sample(w: &mut World, s: usize, svc: &ServiceState) {
    let primary = svc.primary();
    let mut old = Counts::default();
    let mut new = Counts::default();
    let mut pending = 0;
    for &t in w.live_of(s) {
        let c = if w.task(t).deployment == primary {
            &mut new
        } else {
            &mut old
        };
        if w.is_active(t) {
            c.active += 1;
            if matches!(
                w.task(t).state,
                TaskState::Provisioning | TaskState::Pending | TaskState::Activating
            ) {
                pending += 1;
            }
        }
        if w.is_healthy(t) {
            c.running += 1;
        }
    }
    let traffic = traffic(svc);
    let sample = ServiceSample {
        t: w.now,
        desired: svc.desired,
        running: old.running + new.running,
        pending,
        old,
        new,
        traffic,
    };
    let series = &mut w.timeline.services[s];
    match series.samples.last_mut() {
        Some(last) if last.t == sample.t => *last = sample,
        Some(last)
            if ServiceSample {
                t: sample.t,
                ..last.clone()
            } == sample => {}
        _ => series.samples.push(sample),
    }
}
