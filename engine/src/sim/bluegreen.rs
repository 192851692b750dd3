//! Blue/green deployments: a whole replacement task set starts beside the original one, the
//! load balancer's traffic moves to it in steps, and the original set stops after a bake time.
//!
//! Two ways to ask for it:
//! - the `CODE_DEPLOY` deployment controller with one of CodeDeploy's predefined ECS
//!   configurations (`CodeDeployDefault.ECSAllAtOnce`, `...ECSLinear10PercentEvery1Minutes`,
//!   `...ECSLinear10PercentEvery3Minutes`, `...ECSCanary10Percent5Minutes`,
//!   `...ECSCanary10Percent15Minutes`); the configuration lives in the CodeDeploy deployment
//!   group, not in the ECS request, so the plan names it in `settings.simulation.codeDeployConfig`
//!   (default all-at-once) and the original set's termination wait in
//!   `settings.simulation.blueGreenTerminationWaitMinutes` (default 60, the ECS console's
//!   default for the original revision's termination);
//! - ECS's own strategies in `deploymentConfiguration.strategy`: `BLUE_GREEN` (everything at
//!   once, then `bakeTimeInMinutes`), `LINEAR` (`linearConfiguration.stepPercent`, default 10,
//!   every `stepBakeTimeInMinutes`, default 6) and `CANARY` (`canaryConfiguration.canaryPercent`,
//!   default 5, for `canaryBakeTimeInMinutes`, default 10, then the rest), each followed by
//!   `bakeTimeInMinutes`.
//!
//! `minimumHealthyPercent` and `maximumPercent` do not govern these deployments (the
//! replacement set is started whole), and the circuit breaker does not apply to CodeDeploy.

use super::deployments;
use super::events::EventKind;
use super::service::{self, ServiceState};
use super::world::{Ev, TaskId, World};
use crate::plan::deployment::DeploymentStrategy;
use crate::plan::{Plan, Service, Written};
use thiserror::Error;

/// When traffic moves: (seconds after the replacement set is ready, percent on it), then the
/// bake time before the original set stops.
#[derive(Debug, Clone, PartialEq)]
pub struct TrafficPlan {
    pub label: String,
    pub steps: Vec<(u32, f64)>,
    pub bake: u32,
}

/// CodeDeploy's predefined ECS configurations: (name, first step percent, step percent,
/// minutes between steps).
const CODE_DEPLOY: &[(&str, f64, f64, u32)] = &[
    ("CodeDeployDefault.ECSAllAtOnce", 100.0, 100.0, 0),
    (
        "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
        10.0,
        10.0,
        1,
    ),
    (
        "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
        10.0,
        10.0,
        3,
    ),
    (
        "CodeDeployDefault.ECSCanary10Percent5Minutes",
        10.0,
        90.0,
        5,
    ),
    (
        "CodeDeployDefault.ECSCanary10Percent15Minutes",
        10.0,
        90.0,
        15,
    ),
];

/// The names [`traffic_plan`] understands for `codeDeployConfig`.
pub fn code_deploy_configs() -> impl Iterator<Item = &'static str> {
    CODE_DEPLOY.iter().map(|c| c.0)
}

fn steps(first: f64, step: f64, every_secs: u32) -> Vec<(u32, f64)> {
    let mut out = vec![(0, first.min(100.0))];
    let mut p = first;
    let mut t = 0;
    while p < 100.0 - 1e-9 {
        t += every_secs;
        p = (p + step.max(0.1)).min(100.0);
        out.push((t, p));
    }
    out
}

/// A blue/green configuration the simulator does not know.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown CodeDeploy configuration {name}; the simulator knows {}", known.join(", "))]
pub struct UnknownConfiguration {
    pub name: String,
    pub known: Vec<&'static str>,
}

/// The blue/green plan of a service's deployments, or `None` for a rolling update.
pub fn traffic_plan(
    plan: &Plan,
    svc: &Service,
) -> Result<Option<TrafficPlan>, UnknownConfiguration> {
    let controller = svc.deployment_controller();
    let sim = plan.settings.as_ref().and_then(|s| s.simulation.as_ref());
    if controller == "CODE_DEPLOY" {
        let name = sim
            .and_then(|s| s.code_deploy_config.clone())
            .unwrap_or_else(|| "CodeDeployDefault.ECSAllAtOnce".to_string());
        let Some(&(label, first, step, minutes)) = CODE_DEPLOY.iter().find(|c| c.0 == name) else {
            return Err(UnknownConfiguration {
                name,
                known: code_deploy_configs().collect(),
            });
        };
        let wait = sim
            .and_then(|s| s.blue_green_termination_wait_minutes)
            .unwrap_or(60);
        return Ok(Some(TrafficPlan {
            label: label.to_string(),
            steps: steps(first, step, minutes * 60),
            bake: wait * 60,
        }));
    }
    if controller != "ECS" {
        return Ok(None);
    }
    let Some(dc) = svc.deployment_configuration.as_ref().map(Written::read) else {
        return Ok(None);
    };
    let minutes = |v: Option<i64>, default: u64| {
        v.and_then(|v| u64::try_from(v).ok()).unwrap_or(default) as u32
    };
    let bake = minutes(dc.bake_time_in_minutes, 0) * 60;
    Ok(match dc.strategy {
        Some(DeploymentStrategy::BlueGreen) => Some(TrafficPlan {
            label: "ECS BLUE_GREEN".into(),
            steps: vec![(0, 100.0)],
            bake,
        }),
        Some(DeploymentStrategy::Linear) => {
            let l = dc.linear_configuration.as_ref();
            let step = l.and_then(|l| l.step_percent).unwrap_or(10.0);
            let every = minutes(l.and_then(|l| l.step_bake_time_in_minutes), 6) * 60;
            Some(TrafficPlan {
                label: format!("ECS LINEAR {step}% every {} min", every / 60),
                steps: steps(step, step, every),
                bake,
            })
        }
        Some(DeploymentStrategy::Canary) => {
            let c = dc.canary_configuration.as_ref();
            let pct = c.and_then(|c| c.canary_percent).unwrap_or(5.0);
            let wait = minutes(c.and_then(|c| c.canary_bake_time_in_minutes), 10) * 60;
            Some(TrafficPlan {
                label: format!("ECS CANARY {pct}% for {} min", wait / 60),
                steps: vec![(0, pct), (wait, 100.0)],
                bake,
            })
        }
        _ => None,
    })
}

/// A blue/green deployment of service `s`: the whole replacement set starts beside the
/// original one; once it is healthy, traffic moves in the plan's steps; after the bake time the
/// original set stops (`deployment-type-bluegreen`, CodeDeploy's ECS configurations).
pub(super) fn reconcile(
    w: &mut World,
    s: usize,
    svc: &mut ServiceState,
    mine: &[TaskId],
    primary: u32,
) {
    let desired = svc.desired;
    let mut acted = false;
    let prim_active = mine
        .iter()
        .filter(|t| w.is_active(**t) && w.task(**t).deployment == primary)
        .count() as u32;
    let prim_healthy = mine
        .iter()
        .filter(|t| w.is_healthy(**t) && w.task(**t).deployment == primary)
        .count() as u32;
    if prim_active < desired && w.now >= svc.launch_after {
        service::launch(w, s, svc, desired - prim_active);
        acted = true;
    }
    let last = svc.deployments.len() - 1;
    let (ready_at, plan) = {
        let d = &svc.deployments[last];
        (
            d.ready_at,
            d.traffic.clone().expect("blue/green deployment"),
        )
    };
    let ready_at = match ready_at {
        Some(r) => r,
        None if prim_healthy == desired && desired > 0 => {
            svc.deployments[last].ready_at = Some(w.now);
            for &(t, _) in &plan.steps {
                w.push(w.now + t, Ev::Wake);
            }
            let end = plan.steps.last().map_or(0, |x| x.0) + plan.bake;
            w.push(w.now + end, Ev::Wake);
            w.event(
                EventKind::ReplacementReady {
                    deployment: primary,
                },
                Some(s),
                None,
                format!(
                    "the replacement task set ({desired} tasks) is healthy; traffic moves by {}",
                    plan.label
                ),
            );
            w.now
        }
        None => {
            let max = desired * 2;
            deployments::check_progress(w, s, svc, acted, desired, max);
            return;
        }
    };
    let current = svc.deployments[last].traffic_percent;
    let due = plan
        .steps
        .iter()
        .filter(|(t, _)| ready_at + t <= w.now)
        .map(|x| x.1)
        .fold(0.0, f64::max);
    if due > current {
        svc.deployments[last].traffic_percent = due;
        w.event(
            EventKind::TrafficShifted {
                deployment: primary,
                percent: due,
            },
            Some(s),
            None,
            format!("{due}% of the traffic goes to the replacement task set"),
        );
        acted = true;
    }
    let done_at = ready_at + plan.steps.last().map_or(0, |x| x.0) + plan.bake;
    if due >= 100.0 && w.now >= done_at {
        let old: Vec<TaskId> = mine
            .iter()
            .copied()
            .filter(|t| w.is_active(*t) && w.task(*t).deployment != primary)
            .collect();
        for t in old {
            w.stop_task(t, "the original task set stops after the bake time");
            acted = true;
        }
    } else {
        acted = true; // waiting for the next traffic step or the bake time
    }
    deployments::check_progress(w, s, svc, acted, desired, desired * 2);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_deploy_configurations_step_as_named() {
        let linear = steps(10.0, 10.0, 60);
        assert_eq!(linear.len(), 10);
        assert_eq!(linear[9], (540, 100.0));
        assert_eq!(steps(10.0, 90.0, 300), vec![(0, 10.0), (300, 100.0)]);
        assert_eq!(steps(100.0, 100.0, 0), vec![(0, 100.0)]);
    }
}
