//! The plan's gates (`settings.review.gates`): each set gate passes or fails with the evidence
//! from the report's sections, and the command that shows it. `ecsplan review` exits 1 when one
//! fails. Unknown gate names never get here: the plan's shape refuses them with a "did you
//! mean" at their JSON path, which withholds the plan (and fails the review).

use super::{Check, Report, ReviewOptions};
use crate::findings::JsonPath;
use crate::plan::ReviewGates;
use crate::sim::DeployOutcome;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One of the plan's review gates, judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GateResult {
    /// The gate's name as the plan writes it (`survivesZoneLoss`).
    pub gate: String,
    /// What the plan sets it to.
    pub setting: Value,
    /// Whether the plan meets it.
    pub passed: bool,
    /// The numbers that decide it, in one sentence.
    pub evidence: String,
    /// The `ecsplan` command that shows the evidence.
    pub command: String,
    /// `settings.review.gates.NAME`.
    pub path: JsonPath,
    /// Line of `path` in the plan's text (1-based), when the report was located in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Column of `path` in the plan's text (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

/// Every gate name, in the order the report lists them (`docs/plan-format.md`).
pub const GATES: &[&str] = &[
    "noErrors",
    "noWarnings",
    "allTasksPlaced",
    "survivesZoneLoss",
    "survivesInstanceLoss",
    "noStuckDeployments",
    "requireCircuitBreaker",
    "maxUtilizationPercent",
    "maxPendingMinutes",
    "maxMonthlyCostUsd",
];

/// A number as the plan likely wrote it: `80`, not `80.0`.
fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        Value::from(x as i64)
    } else {
        Value::from(x)
    }
}

fn path(gate: &str) -> JsonPath {
    JsonPath::root()
        .key("settings")
        .key("review")
        .key("gates")
        .key(gate)
}

/// A gate judged from checks of the report: passes when every one of them passes.
fn from_checks(
    report: &mut Report,
    gate: &str,
    setting: Value,
    pick: impl Fn(&Check) -> bool,
    none: &str,
    fallback_command: String,
) -> GateResult {
    let mut failed = Vec::new();
    let mut n = 0;
    let mut command = None;
    for c in report.checks.iter_mut().filter(|c| pick(c)) {
        n += 1;
        c.gate = Some(gate.to_string());
        if !c.passed {
            command.get_or_insert_with(|| c.command.clone());
            failed.push(c.evidence.clone());
        }
    }
    let evidence = if n == 0 {
        none.to_string()
    } else if failed.is_empty() {
        format!("{n} of {n} checks pass")
    } else {
        format!("{} of {n} fail: {}", failed.len(), failed.join("; "))
    };
    GateResult {
        gate: gate.into(),
        setting,
        passed: failed.is_empty() && (n > 0 || !none.starts_with("not computed")),
        evidence,
        command: command.unwrap_or(fallback_command),
        path: path(gate),
        line: None,
        column: None,
    }
}

pub fn evaluate(g: &ReviewGates, report: &mut Report, opts: &ReviewOptions) -> Vec<GateResult> {
    let mut out = Vec::new();
    let computed = report.capacity.is_some();
    let not_computed = "not computed: the plan does not load (see the findings)";
    let on = |b: Option<bool>| b == Some(true);
    if on(g.no_errors) {
        let e = report.findings.errors;
        out.push(GateResult {
            gate: "noErrors".into(),
            setting: Value::Bool(true),
            passed: e == 0,
            evidence: report
                .checks
                .iter()
                .find(|c| c.id == "findings.errors")
                .map_or(format!("{e} error(s)"), |c| c.evidence.clone()),
            command: report.findings.command.clone(),
            path: path("noErrors"),
            line: None,
            column: None,
        });
        mark(report, "findings.errors", "noErrors");
    }
    if on(g.no_warnings) {
        let w = report.findings.warnings;
        out.push(GateResult {
            gate: "noWarnings".into(),
            setting: Value::Bool(true),
            passed: w == 0,
            evidence: report
                .checks
                .iter()
                .find(|c| c.id == "findings.warnings")
                .map_or(format!("{w} warning(s)"), |c| c.evidence.clone()),
            command: report.findings.command.clone(),
            path: path("noWarnings"),
            line: None,
            column: None,
        });
        mark(report, "findings.warnings", "noWarnings");
    }
    let place = opts.command("place", "");
    if on(g.all_tasks_placed) {
        let none = if computed { "no task" } else { not_computed };
        out.push(from_checks(
            report,
            "allTasksPlaced",
            Value::Bool(true),
            |c| c.id == "capacity.placed",
            none,
            place.clone(),
        ));
    }
    if on(g.survives_zone_loss) {
        let none = if computed {
            "no Availability Zone in the cluster"
        } else {
            not_computed
        };
        out.push(from_checks(
            report,
            "survivesZoneLoss",
            Value::Bool(true),
            |c| c.id.starts_with("resilience.zone."),
            none,
            opts.command("whatif", "--lose-az AZ"),
        ));
    }
    if on(g.survives_instance_loss) {
        let none = if computed {
            "no container instance in the cluster"
        } else {
            not_computed
        };
        out.push(from_checks(
            report,
            "survivesInstanceLoss",
            Value::Bool(true),
            |c| c.id == "resilience.instance",
            none,
            opts.command("whatif", "--remove ID"),
        ));
    }
    if on(g.no_stuck_deployments) {
        let none = if computed { "no service" } else { not_computed };
        let mut r = from_checks(
            report,
            "noStuckDeployments",
            Value::Bool(true),
            |c| c.section == "deployments" && !c.id.ends_with(".circuit-breaker"),
            none,
            opts.command("deploy", "--service NAME"),
        );
        // A deployment the review could not simulate is not a pass.
        if let Some(d) = &report.deployments {
            let skipped: Vec<&str> = d
                .services
                .iter()
                .filter(|s| s.outcome.is_none() && !s.reason.contains("desired count of 0"))
                .map(|s| s.service.as_str())
                .collect();
            if !skipped.is_empty() {
                r.passed = false;
                r.evidence
                    .push_str(&format!("; not simulated: {}", skipped.join(", ")));
            }
            let stuck = d
                .services
                .iter()
                .filter(|s| s.outcome == Some(DeployOutcome::Stuck))
                .count();
            if stuck > 0 {
                r.evidence = format!("{stuck} stuck; {}", r.evidence);
            }
        }
        out.push(r);
    }
    if on(g.require_circuit_breaker) {
        let none = if computed {
            "no service uses the ECS deployment controller"
        } else {
            not_computed
        };
        out.push(from_checks(
            report,
            "requireCircuitBreaker",
            Value::Bool(true),
            |c| c.id.ends_with(".circuit-breaker"),
            none,
            opts.command("deploy", "--service NAME"),
        ));
    }
    if let Some(max) = g.max_utilization_percent {
        let (passed, evidence) = match &report.capacity {
            Some(c) => {
                let worst = c.cpu.percent.max(c.memory.percent);
                (
                    worst <= max,
                    format!(
                        "tasks reserve {} % of the cluster's CPU and {} % of its memory (limit {max} %)",
                        c.cpu.percent, c.memory.percent
                    ),
                )
            }
            None => (false, not_computed.to_string()),
        };
        out.push(GateResult {
            gate: "maxUtilizationPercent".into(),
            setting: number(max),
            passed,
            evidence,
            command: place.clone(),
            path: path("maxUtilizationPercent"),
            line: None,
            column: None,
        });
    }
    if let Some(max) = g.max_pending_minutes {
        let (passed, evidence, command) = match &report.scaling {
            Some(s) => {
                let over: Vec<String> = s
                    .services
                    .iter()
                    .filter(|x| x.pending_minutes > max)
                    .map(|x| format!("{} {} min", x.service, x.pending_minutes))
                    .collect();
                let most = s
                    .services
                    .iter()
                    .map(|x| x.pending_minutes)
                    .max()
                    .unwrap_or(0);
                (
                    over.is_empty(),
                    if over.is_empty() {
                        format!("at most {most} minute(s) with tasks waiting (limit {max})")
                    } else {
                        format!(
                            "over {max} minute(s) with tasks waiting: {}",
                            over.join(", ")
                        )
                    },
                    s.command.clone(),
                )
            }
            None => (
                false,
                not_computed.to_string(),
                opts.command("simulate", "--duration 86400"),
            ),
        };
        for c in report
            .checks
            .iter_mut()
            .filter(|c| c.id.ends_with(".pending"))
        {
            c.gate = Some("maxPendingMinutes".into());
        }
        out.push(GateResult {
            gate: "maxPendingMinutes".into(),
            setting: Value::from(max),
            passed,
            evidence,
            command,
            path: path("maxPendingMinutes"),
            line: None,
            column: None,
        });
    }
    if let Some(max) = g.max_monthly_cost_usd {
        let (passed, evidence, command) = match &report.cost {
            Some(c) => (
                c.monthly_total <= max,
                format!(
                    "{} a month (limit {})",
                    super::scaling::usd(c.monthly_total),
                    super::scaling::usd(max)
                ),
                c.command.clone(),
            ),
            None => (
                false,
                if computed {
                    "no cost computed".to_string()
                } else {
                    not_computed.to_string()
                },
                opts.command("simulate", "--duration 86400"),
            ),
        };
        out.push(GateResult {
            gate: "maxMonthlyCostUsd".into(),
            setting: number(max),
            passed,
            evidence,
            command,
            path: path("maxMonthlyCostUsd"),
            line: None,
            column: None,
        });
    }
    out
}

fn mark(report: &mut Report, id: &str, gate: &str) {
    for c in report.checks.iter_mut().filter(|c| c.id == id) {
        c.gate = Some(gate.into());
    }
}
