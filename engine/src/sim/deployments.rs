//! A service's deployments: one starts (a new task definition, a forced deployment, or the
//! circuit breaker's rollback), and after each decision of the scheduler it is COMPLETED when
//! the primary deployment's tasks are all healthy and nothing else runs, or reported stuck
//! with the reason ECS's service events give when the scheduler can neither start nor stop a
//! task and nothing is under way (`deployment-type-ecs.md`, `deployment-circuit-breaker.md`).

use super::bluegreen::{self, TrafficPlan};
use super::events::EventKind;
use super::service::{of_primary, ServiceState};
use super::world::{TaskState, World};
use serde::Serialize;

/// Rollout state of a deployment (`rolloutState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Rollout {
    InProgress,
    Completed,
    Failed,
}

/// One deployment of a service.
#[derive(Debug, Clone)]
pub(super) struct Deployment {
    /// 1 for the tasks the service ran before the simulation.
    pub id: u32,
    /// `family:revision`.
    pub task_definition: String,
    pub rollout: Rollout,
    /// Failures the circuit breaker counted.
    pub failures: u32,
    /// A task of this deployment reached RUNNING: the circuit breaker's second stage, where
    /// only failed health checks count.
    pub stage_two: bool,
    /// When the first task of this deployment was RUNNING.
    pub running_since: Option<u32>,
    /// With deployment alarms: when the deployment reached a steady state (its bake time
    /// started).
    pub steady_at: Option<u32>,
    /// A wake-up is due when a deployment alarm goes into ALARM.
    pub alarm_wake: bool,
    /// A rollback: the failed deployment it replaces.
    pub rollback_of: Option<u32>,
    pub ended: Option<u32>,
    /// Blue/green: how traffic moves to this deployment's task set.
    pub traffic: Option<TrafficPlan>,
    /// Blue/green: when the whole task set was healthy.
    pub ready_at: Option<u32>,
    /// Blue/green: the share of traffic on this deployment, percent.
    pub traffic_percent: f64,
}

impl Deployment {
    /// The deployment of the tasks running before the simulation.
    pub fn steady(task_definition: String) -> Deployment {
        Deployment {
            id: 1,
            task_definition,
            rollout: Rollout::Completed,
            failures: 0,
            stage_two: true,
            running_since: Some(0),
            steady_at: Some(0),
            alarm_wake: false,
            rollback_of: None,
            ended: Some(0),
            traffic: None,
            ready_at: Some(0),
            traffic_percent: 100.0,
        }
    }
}

/// Starts a new deployment of service `s` to `task_definition` (`family:revision`).
pub(super) fn start(
    w: &mut World,
    s: usize,
    svc: &mut ServiceState,
    task_definition: &str,
    rollback_of: Option<u32>,
) {
    let id = svc.deployments.len() as u32 + 1;
    let now = w.now;
    let traffic = bluegreen::traffic_plan(w.plan, &w.plan.services[w.services[s].index])
        .ok()
        .flatten();
    svc.deployments.push(Deployment {
        id,
        task_definition: task_definition.to_string(),
        rollout: Rollout::InProgress,
        failures: 0,
        stage_two: false,
        running_since: None,
        steady_at: None,
        alarm_wake: false,
        rollback_of,
        ended: None,
        traffic,
        ready_at: None,
        traffic_percent: 0.0,
    });
    svc.consecutive_failures = 0;
    svc.launch_after = now;
    svc.stuck = None;
    let (kind, msg) = match rollback_of {
        Some(f) => (
            EventKind::RollbackStarted {
                deployment: id,
                failed: f,
            },
            format!(
                "deployment {id} started to {task_definition}: rolling back failed deployment {f}"
            ),
        ),
        None => (
            EventKind::DeploymentStarted { deployment: id },
            format!("deployment {id} started to {task_definition}"),
        ),
    };
    w.event(kind, Some(s), None, msg);
}

/// Completion and stuck detection for the service's deployment, after the scheduler's
/// decision (`acted`: it started or stopped a task, or waits for a back-off or a traffic step;
/// `min` and `max`: the floor and ceiling it worked within).
pub(super) fn check_progress(
    w: &mut World,
    s: usize,
    svc: &mut ServiceState,
    acted: bool,
    min: u32,
    max: u32,
) {
    // A COMPLETED deployment has nothing left to check (below, every step is for one in
    // progress or failed): most services at most moments, so the passes are skipped.
    let Some(d) = svc
        .deployments
        .last()
        .filter(|d| d.rollout != Rollout::Completed)
        .cloned()
    else {
        return;
    };
    let primary = d.id;
    let desired = svc.desired;
    let mine = w.tasks_of(s);
    let prim_healthy = mine
        .iter()
        .filter(|t| of_primary(w, **t, primary) && w.is_healthy(**t))
        .count() as u32;
    let prim_active = mine
        .iter()
        .filter(|t| of_primary(w, **t, primary) && w.is_active(**t))
        .count() as u32;
    let others_left = mine
        .iter()
        .any(|t| !of_primary(w, *t, primary) && w.task(*t).state != TaskState::Stopped);
    let steady = prim_healthy == desired && prim_active == desired && !others_left;
    let last = svc.deployments.len() - 1;
    if d.rollout == Rollout::InProgress && svc.alarms.is_some() {
        // Deployment alarms: after the steady state, a bake time watching the alarms
        // (deployment-alarm-failure: "When the service reaches a steady state, the bake time
        // completes, and the rollout state transitions to COMPLETED").
        let bake = w.timings.deployment_bake;
        match (steady, d.steady_at) {
            (false, _) => svc.deployments[last].steady_at = None,
            (true, None) => {
                svc.deployments[last].steady_at = Some(w.now);
                w.push(w.now + bake, super::world::Ev::Wake);
                if bake > 0 {
                    return;
                }
            }
            (true, Some(at)) if w.now < at + bake => return,
            _ => {}
        }
    }
    if d.rollout == Rollout::InProgress && steady {
        svc.deployments[last].rollout = Rollout::Completed;
        svc.deployments[last].ended = Some(w.now);
        svc.stuck = None;
        let baked = match (&svc.alarms, svc.deployments[last].steady_at) {
            (Some(_), Some(at)) => format!(
                " and its alarms stayed out of ALARM for the bake time ({} s)",
                w.now - at
            ),
            _ => String::new(),
        };
        let msg = format!(
            "deployment {primary} to {} COMPLETED; service {} has reached a steady state{baked}",
            d.task_definition, w.services[s].name
        );
        w.event(
            EventKind::DeploymentCompleted {
                deployment: primary,
            },
            Some(s),
            None,
            msg,
        );
        return;
    }
    if d.rollout == Rollout::Completed {
        return;
    }
    // Anything still under way for this service?
    let in_transit = mine.iter().any(|t| {
        let task = w.task(*t);
        matches!(
            task.state,
            TaskState::Pending
                | TaskState::Activating
                | TaskState::Deactivating
                | TaskState::Stopping
        ) || (task.state == TaskState::Running && !task.healthy && !task.stopping)
    });
    // Tasks with scale-in protection hold the deployment until the protection expires.
    let backing_off = w.now < svc.launch_after
        || svc
            .protected
            .iter()
            .any(|(t, until)| w.now < *until && w.is_active(*t));
    if acted || in_transit || backing_off {
        if !in_transit && !backing_off {
            return;
        }
        svc.stuck = None;
        return;
    }
    let waiting = mine
        .iter()
        .copied()
        .find(|t| w.is_active(*t) && w.task(*t).state == TaskState::Provisioning);
    let name = &w.services[s].name;
    let reason = if d.rollout == Rollout::Failed {
        match d.rollback_of {
            Some(f) => format!(
                "deployment {primary}, the rollback of failed deployment {f}, FAILED too: a failed rollback is not rolled back again (the planner's choice; AWS does not document it), and a FAILED deployment launches no new tasks of {}",
                d.task_definition
            ),
            None => format!("deployment {primary} FAILED and rollback is off: a FAILED deployment launches no new tasks"),
        }
    } else if let Some(t) = waiting {
        format!(
            "service {name} was unable to place a task because no container instance met all of its requirements: {}",
            w.unplaced_reasons(t).join("; ")
        )
    } else {
        let healthy = mine.iter().filter(|t| w.is_healthy(**t)).count() as u32;
        let active = mine.iter().filter(|t| w.is_active(**t)).count() as u32;
        format!(
            "service {name} was unable to stop or start tasks during a deployment because of the service deployment configuration (desired {desired}: minimumHealthyPercent {}% keeps {min} healthy, {healthy} are; maximumPercent {}% allows {max} tasks, {active} run). Update the minimumHealthyPercent or maximumPercent value and try again.",
            svc.min_percent, svc.max_percent
        )
    };
    if svc.stuck.as_deref() != Some(reason.as_str()) {
        svc.stuck = Some(reason.clone());
        w.event(EventKind::Stuck, Some(s), None, reason);
    }
}
