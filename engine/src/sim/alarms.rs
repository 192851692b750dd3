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
//!
//! An alarm may instead watch a service's metric (`service` and `alarm`, the shape of a step
//! scaling policy's alarm): [`MetricAlarms`] evaluates it at each minute tick on the minute's
//! datapoint of the workload, as CloudWatch does (the period's statistic, then
//! `datapointsToAlarm` of the last `evaluationPeriods` breaching); a minute without data does
//! not breach (the planner's reading of CloudWatch's default for missing data). Only
//! `simulate` runs minute ticks and a workload: in `deploy` these alarms stay OK.

use super::breaker;
use super::deployments::Rollout;
use super::events::EventKind;
use super::policies::{aggregate, Datapoint};
use super::service::ServiceState;
use super::world::{Ev, World};
use crate::plan::autoscaling::Alarm;
use crate::plan::{Plan, TaskDefRef};
use std::collections::VecDeque;

/// The plan's alarms on service metrics, and which of them are in ALARM.
#[derive(Debug, Default)]
pub(super) struct MetricAlarms {
    alarms: Vec<MetricAlarm>,
}

#[derive(Debug)]
struct MetricAlarm {
    name: String,
    service: usize,
    alarm: Alarm,
    /// The minute values of the period under way.
    period_values: Vec<f64>,
    /// Whether each of the last `evaluationPeriods` periods breached.
    window: VecDeque<bool>,
    in_alarm: bool,
}

impl MetricAlarms {
    /// The alarms of `settings.simulation.alarms` that watch a metric of a service of the plan
    /// (`service_index` finds it by name).
    pub(super) fn of(plan: &Plan, service_index: impl Fn(&str) -> Option<usize>) -> MetricAlarms {
        let Some(sim) = plan.settings.as_ref().and_then(|s| s.simulation.as_ref()) else {
            return MetricAlarms::default();
        };
        let alarms = sim
            .alarms
            .iter()
            .filter_map(|a| {
                let service = service_index(a.service.as_deref()?)?;
                let alarm = a.alarm.as_ref()?.read().read()?;
                Some(MetricAlarm {
                    name: a.alarm_name.clone(),
                    service,
                    alarm,
                    period_values: Vec::new(),
                    window: VecDeque::new(),
                    in_alarm: false,
                })
            })
            .collect();
        MetricAlarms { alarms }
    }

    /// The minute tick at second `now`: each alarm takes its service's datapoint.
    pub(super) fn minute(&mut self, now: u32, datapoint: impl Fn(usize) -> Datapoint) {
        for a in &mut self.alarms {
            if let Some(v) = datapoint(a.service).get(a.alarm.metric) {
                a.period_values.push(v);
            }
            if !now.is_multiple_of(a.alarm.period) {
                continue;
            }
            let stat = aggregate(std::mem::take(&mut a.period_values), a.alarm.statistic);
            let breach = stat.is_some_and(|v| a.alarm.comparison.breaches(v, a.alarm.threshold));
            a.window.push_back(breach);
            while a.window.len() > a.alarm.evaluation_periods as usize {
                a.window.pop_front();
            }
            let breaching = a.window.iter().filter(|b| **b).count() as u32;
            a.in_alarm = breaching >= a.alarm.datapoints_to_alarm;
        }
    }

    /// Whether the alarm `name` (one on a metric) is in ALARM.
    fn in_alarm(&self, name: &str) -> bool {
        self.alarms.iter().any(|a| a.name == name && a.in_alarm)
    }
}

/// When the alarm `name` goes into ALARM for a deployment of `task_definition`
/// (`family:revision`) whose first task was RUNNING at `running_since`, if it does.
fn alarm_at(w: &World, name: &str, task_definition: &str, running_since: u32) -> Option<u32> {
    let sim = w.plan.settings.as_ref()?.simulation.as_ref()?;
    let want = TaskDefRef::parse(task_definition);
    sim.alarms
        .iter()
        .filter(|a| a.alarm_name == name)
        .filter(|a| {
            a.while_running.as_deref().is_some_and(|running| {
                let r = TaskDefRef::parse(running);
                r.family == want.family && (r.revision.is_none() || r.revision == want.revision)
            })
        })
        .map(|a| running_since + a.after_seconds.unwrap_or(0))
        .min()
}

/// Looks at service `s`'s deployment in progress: an alarm in ALARM fails it; an alarm due
/// later wakes the simulation then.
pub(super) fn check(w: &mut World, s: usize, svc: &mut ServiceState, metric: &MetricAlarms) {
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
    let now = w.now;
    let first = names
        .iter()
        .filter_map(|n| {
            let on_metric = metric.in_alarm(n).then_some(now);
            let at = match (alarm_at(w, n, &td, since), on_metric) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            at.map(|t| (t, n))
        })
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
