//! `ecsplan deploy PLAN --service NAME [--to FAMILY:REV]`: the rolling deployment, step by step.

use crate::{input, Outcome, UsageError};
use engine::api::placement::PlaceOptions;
use engine::api::sim::{deploy, DeployOutcome, DeployRequest};
use serde_json::json;

pub fn run(
    path: &str,
    service: &str,
    to: Option<&str>,
    json_out: bool,
    seed: Option<u64>,
) -> Result<Outcome, UsageError> {
    let Some(plan) = input::load_plan(path)? else {
        return Ok(Outcome::Negative);
    };
    let mut opts = PlaceOptions::for_plan(&plan);
    if let Some(s) = seed {
        opts.seed = s;
    }
    let r = deploy(&plan, &DeployRequest::new(service, to), &opts)
        .map_err(|e| UsageError(e.to_string()))?;
    if json_out {
        let v = json!({
            "outcome": r.outcome,
            "reason": r.reason,
            "durationSeconds": r.duration_seconds,
            "events": r.events,
            "samples": r.samples,
        });
        raw!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        outln!(
            "{}: {}",
            match r.outcome {
                DeployOutcome::Completed => "COMPLETED",
                DeployOutcome::Stuck => "STUCK",
                DeployOutcome::RolledBack => "ROLLED BACK",
            },
            r.reason
        );
        outln!();
        let blue_green = r.samples.iter().any(|s| s.traffic.is_some());
        outln!(
            "{:>7}  {:>11}  {:>11}  {:>11}  {:>11}{}",
            "time",
            "old running",
            "old active",
            "new running",
            "new active",
            if blue_green { "  traffic on new" } else { "" }
        );
        for s in &r.samples {
            outln!(
                "{:>7}  {:>11}  {:>11}  {:>11}  {:>11}{}",
                engine::api::sim::duration_label(s.t),
                s.old.running,
                s.old.active,
                s.new.running,
                s.new.active,
                match s.traffic {
                    Some(p) if blue_green => format!("  {p:>13}%"),
                    _ => String::new(),
                }
            );
        }
        outln!();
        for e in &r.events {
            let who = match (&e.task, &e.instance) {
                (Some(t), Some(i)) => format!(" {t} on {i}:"),
                (Some(t), None) => format!(" {t}:"),
                _ => String::new(),
            };
            outln!(
                "{:>7} {}{who} {}",
                engine::api::sim::duration_label(e.t),
                e.kind.code(),
                e.message
            );
        }
    }
    Ok(match r.outcome {
        DeployOutcome::Completed => Outcome::Ok,
        _ => Outcome::Negative,
    })
}
