//! The validator's findings (what `ecsplan validate` lists), grouped by topic, with the rule's
//! title and, where the fix is mechanical, the quick fix the page offers (`engine::fix`).

use super::{Check, ReviewOptions};
use crate::findings::{Finding, JsonPath, PathSeg, Severity};
use crate::plan::Loaded;
use serde::{Deserialize, Serialize};

/// Quick fixes are looked up for at most this many findings (each serialises its part of the
/// plan once).
const QUICK_FIX_CAP: usize = 200;

/// The validator's findings, counted by severity and grouped by topic.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FindingsSection {
    /// The `ecsplan validate` command that lists them.
    pub command: String,
    /// Findings of severity error (the plan is not valid for AWS).
    pub errors: u32,
    /// Findings of severity warning.
    pub warnings: u32,
    /// Findings of severity info.
    pub infos: u32,
    /// Topics with findings, in the order a review reads them.
    pub topics: Vec<Topic>,
}

/// The findings about one part of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Topic {
    /// Its heading, e.g. "Services".
    pub topic: String,
    /// Its findings in the validator's order.
    pub findings: Vec<ReviewFinding>,
}

/// A finding with what the review adds to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewFinding {
    /// The validator's finding (flattened into this object in JSON).
    #[serde(flatten)]
    pub finding: Finding,
    /// What the rule checks, in a few words (the rule catalogue's title).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The quick fix the page offers ("set memory to \"3072\"").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quick_fix: Option<String>,
}

/// Topics in the order a review reads them.
const TOPICS: &[&str] = &[
    "Plan document",
    "Cluster and container instances",
    "Capacity providers",
    "Task definitions",
    "Services",
    "Service auto scaling",
    "Standalone tasks (RunTask)",
    "Workload",
    "Settings",
];

/// The topic of a finding, from where it is: the part of the plan its path leads into.
pub fn topic(path: &JsonPath) -> &'static str {
    let key = |i: usize| match path.0.get(i) {
        Some(PathSeg::Key(k)) => k.as_str(),
        _ => "",
    };
    match key(0) {
        "cluster" => match key(1) {
            "capacityProviders" | "defaultCapacityProviderStrategy" => "Capacity providers",
            _ => "Cluster and container instances",
        },
        "ec2InstanceTypes" => "Cluster and container instances",
        "taskDefinitions" => "Task definitions",
        "services"
            if path
                .0
                .iter()
                .any(|s| matches!(s, PathSeg::Key(k) if k == "autoScaling")) =>
        {
            "Service auto scaling"
        }
        "services" => "Services",
        "tasks" => "Standalone tasks (RunTask)",
        "workload" => "Workload",
        "settings" => "Settings",
        _ => "Plan document",
    }
}

pub fn section(loaded: &Loaded, opts: &ReviewOptions) -> FindingsSection {
    let count = |s: Severity| loaded.findings.iter().filter(|f| f.severity == s).count() as u32;
    let mut topics: Vec<Topic> = TOPICS
        .iter()
        .map(|t| Topic {
            topic: t.to_string(),
            findings: Vec::new(),
        })
        .collect();
    let mut ordered: Vec<&Finding> = loaded.findings.iter().collect();
    // Errors first, then warnings, then remarks; the plan's order within each.
    ordered.sort_by_key(|f| f.severity);
    for (n, f) in ordered.into_iter().enumerate() {
        let quick_fix = match &loaded.plan {
            Some(plan) if n < QUICK_FIX_CAP => crate::fix::quick_fix(plan, f).map(|q| q.label),
            _ => None,
        };
        let t = topic(&f.path);
        let slot = topics.iter_mut().find(|x| x.topic == t).expect("a topic");
        slot.findings.push(ReviewFinding {
            finding: f.clone(),
            rule: crate::rules::rule(&f.code).map(|r| r.title.to_string()),
            quick_fix,
        });
    }
    topics.retain(|t| !t.findings.is_empty());
    FindingsSection {
        command: opts.command("validate", ""),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
        topics,
    }
}

/// "N error(s)", and the first ones: rule, where, what.
fn evidence(s: &FindingsSection, severity: Severity, count: u32, what: &str) -> String {
    let first: Vec<String> = all(s)
        .filter(|f| f.finding.severity == severity)
        .take(5)
        .map(|f| {
            format!(
                "[{}] {}: {}",
                f.finding.code, f.finding.path, f.finding.message
            )
        })
        .collect();
    if first.is_empty() {
        format!("{count} {what}(s)")
    } else {
        format!("{count} {what}(s): {}", first.join("; "))
    }
}

pub fn checks(s: &FindingsSection, _opts: &ReviewOptions) -> Vec<Check> {
    vec![
        Check {
            id: "findings.errors".into(),
            section: "findings".into(),
            name: "the validator finds no error".into(),
            passed: s.errors == 0,
            evidence: evidence(s, Severity::Error, s.errors, "error"),
            command: s.command.clone(),
            gate: None,
            path: None,
            line: None,
            column: None,
        },
        Check {
            id: "findings.warnings".into(),
            section: "findings".into(),
            name: "the validator finds no warning".into(),
            passed: s.warnings == 0,
            evidence: evidence(s, Severity::Warning, s.warnings, "warning"),
            command: s.command.clone(),
            gate: None,
            path: None,
            line: None,
            column: None,
        },
    ]
}

/// Every finding of the section, in report order.
pub fn all(s: &FindingsSection) -> impl Iterator<Item = &ReviewFinding> {
    s.topics.iter().flat_map(|t| &t.findings)
}
