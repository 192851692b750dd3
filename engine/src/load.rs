//! Loading a plan for use: the one place that ties the model to the checks.
//!
//! [`load`] reads the document ([`crate::plan::parse`]: syntax, schema version, shapes, typed
//! view, references), then checks what the structure cannot show: the workload and the auto
//! scaling configuration (`rules::scaling`), the instance types against the catalog
//! (`cluster::resolve`), and the other validation rules ([`crate::rules`]). Structural, reference, scaling and catalog errors withhold
//! the plan; rule errors do not (the plan is well formed, so the board and the simulations can
//! show it with its errors). Every finding has its JSON path and, from text, its line and column.

use crate::findings::Finding;
use crate::plan::{self, Loaded};
use serde_json::Value;

/// Loads a plan from JSON text (a byte order mark is read past with a warning, as
/// `plan::from_text` says).
pub fn load(text: &str) -> Loaded {
    plan::from_text(text, load_value)
}

/// Loads a plan from an already parsed JSON value (the UI's edits, tests).
pub fn load_value(value: Value) -> Loaded {
    let (plan, mut findings) = plan::read_value(value);
    let Some(plan) = plan else {
        return Loaded {
            plan: None,
            findings,
        };
    };
    // The workload's service names and values, schedules, time zones, step adjustments: errors
    // here withhold the plan, since a simulation could not read it as meant.
    findings.extend(crate::rules::scaling::check(&plan));
    match crate::cluster::plan_catalog(&plan) {
        Ok(catalog) => findings.extend(crate::cluster::resolve(&plan, &catalog).1),
        Err(f) => findings.push(*f),
    }
    // The validation rules (what AWS would refuse or what could never run) are reported but
    // do not withhold the plan.
    let usable = !findings.iter().any(Finding::is_error);
    findings.extend(crate::rules::check_plan(&plan));
    Loaded {
        plan: usable.then_some(plan),
        findings,
    }
}

/// A sample plan of `public/plans/` (`two-az-web` or `two-az-web.json`), loaded: the engine's
/// unit tests share it.
#[cfg(test)]
pub(crate) fn sample(name: &str) -> crate::plan::Plan {
    let file = if name.ends_with(".json") {
        name.to_string()
    } else {
        format!("{name}.json")
    };
    let path = format!("{}/../public/plans/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    load(&text).plan.expect("the sample plan loads")
}
