//! The deployment circuit breaker and the launch back-off (`deployment-circuit-breaker.md`,
//! `service-throttle-logic`).
//!
//! The circuit breaker counts, for a deployment in progress, the tasks that fail to reach
//! RUNNING (stage one, until a task of the deployment is RUNNING: "The scheduler ignores the
//! failure criteria when a task in the current deployment is in the RUNNING state and proceeds
//! to the next stage") and the tasks whose health checks fail (stage two). A task of the
//! deployment that turns healthy resets the count to 0 unless `resetOnHealthyTask` is false
//! (API model, `DeploymentCircuitBreaker.resetOnHealthyTask`, default true). At the threshold
//! (half the desired count, 3 to 200, or `thresholdConfiguration`; computed from the desired
//! count at the time of the failure, so it follows service auto scaling) the deployment is
//! FAILED; with rollback, a new deployment returns to the last completed one. Every failure
//! also lengthens the wait before the scheduler starts tasks again.
//!
//! `deployment-circuit-breaker.md` says "If a service deployment has at least one successfully
//! running task at the time the service is updated, the circuit breaker logic will not start".
//! Read literally (any RUNNING task of the service), it would turn the breaker off for every
//! update of a running service, which the same page's rollback examples contradict; the
//! planner reads it as the stage rule above: once the deployment's own tasks run, failures to
//! reach RUNNING no longer count.

use super::deployments::{self, Rollout};
use super::events::EventKind;
use super::service::ServiceState;
use super::world::{Ev, TaskId, World};
use crate::plan::deployment::{ThresholdConfiguration, ThresholdType};

/// The circuit breaker's failure threshold: half the desired count, rounded up, between 3 and
/// 200 (`ServiceDeploymentCircuitBreaker` in the API reference; the 2023 guide's minimum of 10
/// was lowered to 3), or `thresholdConfiguration` when given.
pub fn breaker_threshold(desired: u32, config: Option<&ThresholdConfiguration>) -> u32 {
    if let Some(c) = config {
        let value = c.value.map_or(50.0, |v| v as f64);
        return match c.kind.unwrap_or(ThresholdType::BoundedPercent) {
            ThresholdType::Count => value.max(1.0) as u32,
            ThresholdType::UnboundedPercent => {
                ((desired as f64 * value / 100.0).ceil() as u32).max(1)
            }
            ThresholdType::BoundedPercent => {
                ((desired as f64 * value / 100.0).ceil() as u32).clamp(3, 200)
            }
        };
    }
    desired.div_ceil(2).clamp(3, 200)
}

/// Task `t` reached RUNNING: its deployment is in the circuit breaker's second stage.
pub(super) fn reached_running(w: &World, svc: &mut ServiceState, t: TaskId) {
    let dep = w.task(t).deployment as usize - 1;
    if let Some(d) = svc.deployments.get_mut(dep) {
        d.stage_two = true;
        d.running_since.get_or_insert(w.now);
    }
}

/// Task `t` turned healthy: with `resetOnHealthyTask` (the default) its deployment's failure
/// count goes back to 0.
pub(super) fn healthy(w: &mut World, svc: &mut ServiceState, t: TaskId) {
    let s = w.task(t).service;
    let dep = w.task(t).deployment as usize - 1;
    if svc.breaker.is_none() || !svc.reset_on_healthy {
        return;
    }
    let Some(d) = svc.deployments.get_mut(dep) else {
        return;
    };
    if d.rollout != Rollout::InProgress || d.failures == 0 {
        return;
    }
    let (id, was) = (d.id, d.failures);
    d.failures = 0;
    w.event(
        EventKind::BreakerReset { deployment: id },
        Some(s),
        Some(t),
        format!("a task of deployment {id} is healthy: the circuit breaker's failure count goes from {was} back to 0 (resetOnHealthyTask)"),
    );
}

/// Counts a failure of task `t`'s deployment (`what` happened) for the circuit breaker;
/// `started`: the task failed to reach RUNNING (stage one's criterion).
pub(super) fn count_failure(
    w: &mut World,
    svc: &mut ServiceState,
    t: TaskId,
    what: &str,
    started: bool,
) {
    let s = w.task(t).service;
    let dep = w.task(t).deployment as usize - 1;
    svc.consecutive_failures += 1;
    let d = &mut svc.deployments[dep];
    if d.rollout != Rollout::InProgress || svc.breaker.is_none() {
        return;
    }
    if started && d.stage_two {
        return;
    }
    d.failures += 1;
    // A rollback that fails is not rolled back again (it would return to the same
    // revision, for ever): the planner's choice, AWS does not document this case.
    let (failures, threshold, id, rollback) = (
        d.failures,
        breaker_threshold(svc.desired, svc.threshold_config.as_ref()),
        d.id,
        svc.breaker == Some(true) && d.rollback_of.is_none(),
    );
    if failures < threshold {
        return;
    }
    fail(
        w,
        s,
        svc,
        dep,
        &format!("deployment {id} FAILED: the circuit breaker counted {failures} failures ({what}), the threshold is {threshold}"),
        rollback,
    );
}

/// Deployment `dep` (index) of service `s` is FAILED (`message` says why); with `rollback` a
/// new deployment returns to the last completed one.
pub(super) fn fail(
    w: &mut World,
    s: usize,
    svc: &mut ServiceState,
    dep: usize,
    message: &str,
    rollback: bool,
) {
    let id = svc.deployments[dep].id;
    svc.deployments[dep].rollout = Rollout::Failed;
    svc.deployments[dep].ended = Some(w.now);
    w.event(
        EventKind::DeploymentFailed { deployment: id },
        Some(s),
        None,
        message.to_string(),
    );
    if rollback {
        let target = svc
            .deployments
            .iter()
            .rev()
            .find(|d| d.rollout == Rollout::Completed)
            .map(|d| d.task_definition.clone());
        match target {
            Some(td) => deployments::start(w, s, svc, &td, Some(id)),
            None => w.event(
                EventKind::RollbackImpossible { failed: id },
                Some(s),
                None,
                "no completed deployment to roll back to".into(),
            ),
        }
    }
}

/// Launch back-off after tasks fail to start (`service-throttle-logic`): 15 s, doubling, at
/// most 27 minutes. AWS does not publish the steps; these are the planner's.
pub(super) fn back_off(w: &mut World, svc: &mut ServiceState) {
    let k = svc.consecutive_failures.min(20);
    let delay = (15u32 << (k.saturating_sub(1))).min(27 * 60);
    svc.launch_after = w.now + delay;
    w.push(w.now + delay, Ev::Wake);
}
