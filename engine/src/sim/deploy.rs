//! A rolling deployment of one service, from the steady state to completion, rollback or a
//! stuck deployment (`ecsplan deploy`).

use super::bluegreen::{self, UnknownConfiguration};
use super::deployments::Rollout;
use super::events::{EventKind, SimEvent};
use super::timeline::{Counts, Timeline};
use super::Sim;
use crate::placement::{PlaceOptions, Placement};
use crate::plan::Plan;
use serde::Serialize;
use thiserror::Error;

/// A deployment to simulate: UpdateService with a new task definition, or with
/// `forceNewDeployment` (`deployment-type-ecs.md`, "Rolling update").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployRequest {
    /// The service's name.
    pub service: String,
    /// `family:revision` (or `family` for its latest revision); `None` forces a new deployment
    /// of the service's current task definition.
    pub to: Option<String>,
    /// Give up (as stuck) after this many simulated seconds.
    pub max_seconds: u32,
}

impl DeployRequest {
    /// A deployment of `service` to `to` (`None`: forced), given up after four simulated
    /// hours.
    pub fn new(service: &str, to: Option<&str>) -> DeployRequest {
        DeployRequest {
            service: service.to_string(),
            to: to.map(str::to_string),
            max_seconds: 4 * 3600,
        }
    }
}

/// How a deployment ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DeployOutcome {
    /// The new deployment reached a steady state: COMPLETED (`deployment-type-ecs.md`).
    Completed,
    /// It can neither start nor stop a task (or ran out of time): ECS would keep trying.
    Stuck,
    /// The circuit breaker or an alarm failed it and rolled back to the last completed
    /// deployment (`deployment-circuit-breaker.md`, `deployment-type-ecs.md` "Failure
    /// detection methods").
    RolledBack,
}

/// The service's counts at a moment of the deployment, when they changed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DeploySample {
    /// Seconds from the start of the deployment.
    pub t: u32,
    /// The tasks of the deployments before it.
    pub old: Counts,
    /// The new deployment's tasks.
    pub new: Counts,
    /// Blue/green: percent of the traffic on the new task set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traffic: Option<f64>,
}

/// A simulated deployment, as `ecsplan deploy` prints it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeployResult {
    /// How it ended.
    pub outcome: DeployOutcome,
    /// Why, in a sentence (the stuck reason, what failed it).
    pub reason: String,
    /// Seconds from its start to its end (or to when it was given up).
    pub duration_seconds: u32,
    /// The service's events.
    pub events: Vec<SimEvent>,
    /// The service's counts when they changed.
    pub samples: Vec<DeploySample>,
    /// The whole simulation (every service, every task's life), for the time view.
    #[serde(skip)]
    pub timeline: Timeline,
}

/// Why a deployment cannot be simulated.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DeployError {
    /// The plan has no service of that name.
    #[error("no service {service} in the plan (services: {})", services.join(", "))]
    UnknownService {
        /// The name asked for.
        service: String,
        /// The plan's services.
        services: Vec<String>,
    },
    /// The blue/green configuration is the user's to fix before anything runs.
    #[error(transparent)]
    BlueGreen(#[from] UnknownConfiguration),
    /// The task definition to deploy is not in the plan.
    #[error("no task definition {reference} in the plan (have {})", families.join(", "))]
    UnknownTaskDefinition {
        /// `family` or `family:revision`, as asked.
        reference: String,
        /// `family:1..n` per family.
        families: Vec<String>,
    },
    /// The service runs no task, so a deployment has nothing to replace.
    #[error("service {0} has a desired count of 0: there is nothing to deploy")]
    NothingToDeploy(String),
}

/// Simulates the deployment.
pub fn deploy(
    plan: &Plan,
    req: &DeployRequest,
    opts: &PlaceOptions,
) -> Result<DeployResult, DeployError> {
    deploy_inner(plan, req, || crate::placement::place(plan, opts))
}

/// [`deploy`] from `placement`, the plan's placement made beforehand (`place(plan, opts)`):
/// the deployment alone, for a caller that has the placement already (and the benchmark of
/// the deployment).
pub fn deploy_from(
    plan: &Plan,
    placement: Placement,
    req: &DeployRequest,
) -> Result<DeployResult, DeployError> {
    deploy_inner(plan, req, || placement)
}

fn deploy_inner(
    plan: &Plan,
    req: &DeployRequest,
    placement: impl FnOnce() -> Placement,
) -> Result<DeployResult, DeployError> {
    let Some(si) = plan
        .services
        .iter()
        .position(|s| s.service_name == req.service)
    else {
        return Err(DeployError::UnknownService {
            service: req.service.clone(),
            services: plan
                .services
                .iter()
                .map(|s| s.service_name.clone())
                .collect(),
        });
    };
    bluegreen::traffic_plan(plan, &plan.services[si])?;
    let mut sim = Sim::steady_from(plan, placement());
    let s = sim.service_index(&req.service).unwrap_or(si);
    let current = sim.services[s]
        .deployments
        .last()
        .map(|d| d.task_definition.clone())
        .unwrap_or_default();
    let target = match &req.to {
        None => current.clone(),
        Some(r) => match plan.resolve_task_definition(r) {
            Some((i, rev)) => format!("{}:{rev}", plan.task_definitions[i].family),
            None => {
                return Err(DeployError::UnknownTaskDefinition {
                    reference: r.clone(),
                    families: plan
                        .task_definitions
                        .iter()
                        .map(|t| t.family.clone())
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .map(|f| format!("{f}:1..{}", plan.revisions(&f).count()))
                        .collect(),
                });
            }
        },
    };
    if sim.services[s].desired == 0 {
        return Err(DeployError::NothingToDeploy(req.service.clone()));
    }
    sim.start_deployment(s, &target, None);
    let mut t = 0;
    let outcome;
    let reason;
    loop {
        t += 60;
        sim.run_until(t);
        let svc = &sim.services[s];
        let last = svc.deployments.last().expect("a deployment");
        if last.rollout == Rollout::Completed {
            let took = last.ended.unwrap_or(sim.now());
            if let Some(failed) = last.rollback_of {
                outcome = DeployOutcome::RolledBack;
                let why = sim
                    .timeline()
                    .events
                    .iter()
                    .rev()
                    .find(|e| matches!(e.kind, EventKind::DeploymentFailed { .. }))
                    .map(|e| e.message.clone())
                    .unwrap_or_default();
                reason = format!(
                    "{why}; rolled back to {} (deployment {failed} replaced) after {}",
                    last.task_definition,
                    duration(took)
                );
            } else {
                outcome = DeployOutcome::Completed;
                reason = format!(
                    "deployment to {} completed in {}",
                    last.task_definition,
                    duration(took)
                );
            }
            sim.world.timeline.duration = took;
            break;
        }
        if let Some(stuck) = &svc.stuck {
            outcome = DeployOutcome::Stuck;
            reason = stuck.clone();
            break;
        }
        if t >= req.max_seconds {
            outcome = DeployOutcome::Stuck;
            let failures = last.failures;
            reason = if sim
                .timeline()
                .events
                .iter()
                .any(|e| matches!(e.kind, EventKind::TaskFailed | EventKind::TaskUnhealthy))
            {
                format!(
                    "tasks of {} keep failing {}; ECS keeps retrying with growing back-off",
                    last.task_definition,
                    // Without a circuit breaker nothing counts the failures.
                    match svc.breaker {
                        None => "and the circuit breaker is off".to_string(),
                        Some(_) => format!("({failures} failures counted)"),
                    }
                )
            } else {
                format!(
                    "the deployment did not finish within {}",
                    duration(req.max_seconds)
                )
            };
            break;
        }
    }
    let name = &sim.world.services[s].name;
    let events: Vec<SimEvent> = sim
        .timeline()
        .events
        .iter()
        .filter(|e| e.service.as_deref() == Some(name))
        .cloned()
        .collect();
    let samples = sim.timeline().services[s]
        .samples
        .iter()
        .map(|x| DeploySample {
            t: x.t,
            old: x.old,
            new: x.new,
            traffic: x.traffic,
        })
        .collect();
    let duration_seconds = match outcome {
        DeployOutcome::Stuck => sim.now(),
        _ => sim.timeline().duration,
    };
    Ok(DeployResult {
        outcome,
        reason,
        duration_seconds,
        events,
        samples,
        timeline: sim.world.timeline,
    })
}

/// `400` → `6m 40s`.
pub fn duration(secs: u32) -> String {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m {s}s"),
        _ => format!("{h}h {m}m"),
    }
}
