//! Deployments: a forced new deployment of every service (`ecsplan deploy --service NAME`), from
//! the steady state to completed, rolled back or stuck, with how long it took and the most
//! tasks it ran beyond the desired count at once; and the settings that can stall one.

use super::capacity::Capacity;
use super::{Assumptions, Check, ReviewOptions, DEPLOY_CAP};
use crate::findings::JsonPath;
use crate::placement::{PlaceOptions, Placement};
use crate::plan::{Plan, SchedulingStrategy, Written};
use crate::sim::{deploy, DeployOutcome, DeployRequest};
use serde::{Deserialize, Serialize};

/// A forced new deployment of every service, simulated (the first `DEPLOY_CAP`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployments {
    /// One per service, in plan order.
    pub services: Vec<ServiceDeployment>,
}

/// One service's forced new deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceDeployment {
    /// `serviceName`.
    pub service: String,
    /// The `ecsplan deploy` command that shows its timeline.
    pub command: String,
    /// `None` when it was not simulated (`reason` says why).
    pub outcome: Option<DeployOutcome>,
    /// Why it was not simulated, or "" when it was.
    pub reason: String,
    /// Seconds until the deployment finished, when it did.
    pub duration_seconds: Option<u32>,
    /// The service's desired count.
    pub desired: u32,
    /// The most tasks beyond the desired count at once (what maximumPercent allows and the
    /// cluster must hold).
    pub peak_extra_tasks: u32,
    /// CPU units those extra tasks reserve.
    pub peak_extra_cpu: u64,
    /// Memory MiB those extra tasks reserve.
    pub peak_extra_memory: u64,
    /// `minimumHealthyPercent` in effect (given or AWS's default).
    pub minimum_healthy_percent: u32,
    /// `maximumPercent` in effect (given or AWS's default).
    pub maximum_percent: u32,
    /// "off", "on (no rollback)", "on, with rollback", or "not used" (external controllers).
    pub circuit_breaker: String,
    /// Settings that can stall or slow a deployment, one sentence each.
    pub risks: Vec<String>,
}

pub fn section(
    plan: &Plan,
    popts: &PlaceOptions,
    _base: &Placement,
    capacity: &Capacity,
    opts: &ReviewOptions,
    assumptions: &mut Assumptions,
) -> Deployments {
    let mut services = Vec::new();
    for (i, svc) in plan.services.iter().enumerate() {
        let name = &svc.service_name;
        let command = opts.command("deploy", &format!("--service {}", super::shell_word(name)));
        let daemon = svc.scheduling_strategy == Some(SchedulingStrategy::Daemon);
        let dc = svc.deployment_configuration.as_ref().map(Written::read);
        let pct = |v: Option<i64>, d: u32| v.and_then(|v| u32::try_from(v).ok()).unwrap_or(d);
        let min = pct(
            dc.as_ref().and_then(|d| d.minimum_healthy_percent),
            if daemon { 0 } else { 100 },
        );
        let max = pct(
            dc.as_ref().and_then(|d| d.maximum_percent),
            if daemon { 100 } else { 200 },
        );
        let controller = svc.deployment_controller();
        let breaker = dc
            .as_ref()
            .and_then(|d| d.deployment_circuit_breaker.as_ref());
        let circuit_breaker = if controller != "ECS" {
            "not used".to_string()
        } else {
            match breaker {
                Some(b) if b.enable == Some(true) && b.rollback == Some(true) => {
                    "on, with rollback".into()
                }
                Some(b) if b.enable == Some(true) => "on (no rollback)".into(),
                _ => "off".into(),
            }
        };
        let use_ = capacity.services.get(i);
        let desired = use_.map_or(svc.desired_count.unwrap_or(0), |u| u.desired);
        let mut risks = Vec::new();
        if controller == "ECS" && circuit_breaker == "off" {
            risks.push("no deployment circuit breaker: a deployment whose tasks keep failing retries for hours instead of failing (and rolling back)".to_string());
        }
        if circuit_breaker == "on (no rollback)" {
            risks.push("the circuit breaker stops a failing deployment but does not roll it back: the service stays on the failed revision's tasks".into());
        }
        if controller == "ECS" && min >= 100 && max <= 100 {
            risks.push(format!("minimumHealthyPercent {min} and maximumPercent {max}: ECS may neither stop an old task nor start a new one, so the deployment cannot progress"));
        }
        if let Some(u) = use_ {
            let extra = (desired as u64 * max as u64 / 100).saturating_sub(desired as u64) as u32;
            if controller == "ECS" && !daemon && min >= 100 && extra > 0 {
                if let Some(more) = u.more_fit {
                    if more == 0 {
                        risks.push(format!("minimumHealthyPercent {min} needs room for new tasks before old ones stop, and no more task fits the cluster now: the deployment waits for capacity (a capacity provider) or is stuck"));
                    } else if more < extra {
                        risks.push(format!("maximumPercent {max} allows {extra} extra task(s) at once, but only {more} fit now: the deployment goes in smaller steps"));
                    }
                }
            }
        }
        let (outcome, reason, duration, extra) = if i >= DEPLOY_CAP {
            (
                None,
                format!("not simulated: the review simulates the first {DEPLOY_CAP} services"),
                None,
                0,
            )
        } else {
            match deploy(plan, &DeployRequest::new(name, None), popts) {
                Ok(r) => {
                    let peak = r
                        .samples
                        .iter()
                        .map(|s| (s.old.active + s.new.active).saturating_sub(desired))
                        .max()
                        .unwrap_or(0);
                    (Some(r.outcome), r.reason, Some(r.duration_seconds), peak)
                }
                Err(e) => (None, format!("not simulated: {e}"), None, 0),
            }
        };
        let (cpu, mem) = use_.map_or((0, 0), |u| (u.task_cpu as u64, u.task_memory as u64));
        services.push(ServiceDeployment {
            service: name.clone(),
            command,
            outcome,
            reason,
            duration_seconds: duration,
            desired,
            peak_extra_tasks: extra,
            peak_extra_cpu: extra as u64 * cpu,
            peak_extra_memory: extra as u64 * mem,
            minimum_healthy_percent: min,
            maximum_percent: max,
            circuit_breaker,
            risks,
        });
    }
    if plan.services.len() > DEPLOY_CAP {
        assumptions.bounds.push(format!(
            "A forced new deployment is simulated for the first {DEPLOY_CAP} of {} services (`ecsplan deploy PLAN --service NAME` for the others).",
            plan.services.len()
        ));
    }
    Deployments { services }
}

pub fn checks(d: &Deployments, plan: &Plan) -> Vec<Check> {
    let mut out = Vec::new();
    for s in &d.services {
        let path = plan
            .services
            .iter()
            .position(|p| p.service_name == s.service)
            .map(|i| JsonPath::root().key("services").index(i));
        let Some(outcome) = s.outcome else {
            continue;
        };
        out.push(Check {
            id: format!("deployments.{}", s.service),
            section: "deployments".into(),
            name: format!("a forced new deployment of {} completes", s.service),
            passed: outcome == DeployOutcome::Completed,
            evidence: s.reason.clone(),
            command: s.command.clone(),
            gate: None,
            path: path.clone(),
            line: None,
            column: None,
        });
        if s.circuit_breaker != "not used" {
            out.push(Check {
                id: format!("deployments.{}.circuit-breaker", s.service),
                section: "deployments".into(),
                name: format!("{} has the deployment circuit breaker on", s.service),
                passed: s.circuit_breaker != "off",
                evidence: format!("circuit breaker {}", s.circuit_breaker),
                command: s.command.clone(),
                gate: None,
                path,
                line: None,
                column: None,
            });
        }
    }
    out
}
