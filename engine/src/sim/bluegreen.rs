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

use crate::plan::deployment::DeploymentStrategy;
use crate::plan::{Plan, Service};

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

/// The blue/green plan of a service's deployments, or `None` for a rolling update.
pub fn traffic_plan(plan: &Plan, svc: &Service) -> Result<Option<TrafficPlan>, String> {
    let controller = svc.deployment_controller();
    let sim = plan.settings.as_ref().and_then(|s| s.simulation.as_ref());
    if controller == "CODE_DEPLOY" {
        let name = sim
            .and_then(|s| s.code_deploy_config.clone())
            .unwrap_or_else(|| "CodeDeployDefault.ECSAllAtOnce".to_string());
        let Some(&(label, first, step, minutes)) = CODE_DEPLOY.iter().find(|c| c.0 == name) else {
            let known: Vec<&str> = code_deploy_configs().collect();
            return Err(format!(
                "unknown CodeDeploy configuration {name}; the simulator knows {}",
                known.join(", ")
            ));
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
    let Some(dc) = svc.deployment_configuration.as_deref() else {
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
