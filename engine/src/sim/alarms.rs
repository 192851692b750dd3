//! Deployment alarms (`deploymentConfiguration.alarms`; API model `DeploymentAlarms`: "When
//! the alarms are generated, Amazon ECS sets the service deployment to failed. Set the rollback
//! parameter to have Amazon ECS to roll back your service to the last completed deployment").
//!
//! The alarms are the user's CloudWatch alarms; a simulation drives the ones the plan
//! describes in `settings.simulation.alarms`: an alarm goes into ALARM `afterSeconds` after the
//! first task of a deployment of the task definition it names is RUNNING. While a deployment
//! is IN_PROGRESS (including its bake time after the steady state, see
//! [`super::deployments::check_progress`]) an alarm of `alarmNames` in ALARM fails it, and with
//! `rollback` a new deployment returns to the last completed one. Named alarms the plan does
//! not describe stay OK. Only the `ECS` deployment controller watches alarms.

use super::breaker;
use super::deployments::Rollout;
use super::events::EventKind;
use super::service::ServiceState;
use super::world::{Ev, World};
use crate::plan::TaskDefRef;

/// When the alarm `name` goes into ALARM for a deployment of `task_definition`
/// (`family:revision`) whose first task was RUNNING at `running_since`, if it does.
fn alarm_at(w: &World, name: &str, task_definition: &str, running_since: u32) -> Option<u32> {
    let sim = w.plan.settings.as_ref()?.simulation.as_ref()?;
    let want = TaskDefRef::parse(task_definition);
    sim.alarms
        .iter()
        .filter(|a| a.alarm_name == name)
        .filter(|a| {
            let r = TaskDefRef::parse(&a.while_running);
            r.family == want.family && (r.revision.is_none() || r.revision == want.revision)
        })
        .map(|a| running_since + a.after_seconds.unwrap_or(0))
        .min()
}

/// Looks at service `s`'s deployment in progress: an alarm in ALARM fails it; an alarm due
/// later wakes the simulation then.
pub(super) fn check(w: &mut World, s: usize, svc: &mut ServiceState) {
    let Some((names, rollback)) = svc.alarms.clone() else {
        return;
    };
    let Some(dep) = svc.deployments.len().checked_sub(1) else {
        return;
    };
    let d = &svc.deployments[dep];
    let Some(since) = d.running_since else {
        return;
    };
    if d.rollout != Rollout::InProgress {
        return;
    }
    let td = d.task_definition.clone();
    let first = names
        .iter()
        .filter_map(|n| alarm_at(w, n, &td, since).map(|t| (t, n)))
        .min();
    let Some((at, name)) = first else {
        return;
    };
    if w.now < at {
        if !svc.deployments[dep].alarm_wake {
            svc.deployments[dep].alarm_wake = true;
            w.push(at, Ev::Wake);
        }
        return;
    }
    let id = svc.deployments[dep].id;
    w.event(
        EventKind::DeploymentAlarm { deployment: id },
        Some(s),
        None,
        format!("CloudWatch alarm {name} is in ALARM during deployment {id} to {td}"),
    );
    // As with the circuit breaker, a rollback that fails is not rolled back again.
    let rollback = rollback && svc.deployments[dep].rollback_of.is_none();
    breaker::fail(
        w,
        s,
        svc,
        dep,
        &format!("deployment {id} FAILED: CloudWatch alarm {name} went into ALARM (deploymentConfiguration.alarms)"),
        rollback,
    );
}
