//! `ecsplan validate PLAN|TASKDEF.json`: every finding, as a table or JSON.
//!
//! A plan is loaded and checked whole. A bare RegisterTaskDefinition request, or
//! `aws ecs describe-task-definition` output (a `taskDefinition` object), is checked as a task
//! definition: the API shape, then every task definition rule; the read-only members of
//! describe output are left out and named in the report.

use crate::output::Clean;
use crate::{input, Outcome, UsageError};
use engine::api::findings::{Finding, Severity};
use serde::Serialize;

#[derive(Serialize)]
struct Report<'a> {
    file: &'a str,
    /// "plan" or "taskDefinition".
    kind: &'a str,
    valid: bool,
    errors: usize,
    warnings: usize,
    /// Read-only members of describe-task-definition output that were not validated.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    ignored: &'a [String],
    findings: &'a [Finding],
}

/// What was validated.
struct Checked {
    kind: &'static str,
    /// A word on the summary line: "task definition web (describe-task-definition output)".
    label: Option<String>,
    ignored: Vec<String>,
    findings: Vec<Finding>,
}

fn check(text: &str) -> Checked {
    let value: Option<serde_json::Value> = serde_json::from_str(text).ok();
    match value.filter(engine::api::rules::is_task_definition_document) {
        Some(v) => {
            let report = engine::api::rules::check_task_definition_document(&v);
            let td = if report.described {
                &v["taskDefinition"]
            } else {
                &v
            };
            let family = td.get("family").and_then(|f| f.as_str()).unwrap_or("?");
            let mut findings = report.findings;
            let index = engine::api::plan::span::SpanIndex::for_paths(
                text,
                findings.iter().map(|f| &f.path),
            );
            for f in &mut findings {
                if let Some((l, c)) = index.locate(&f.path) {
                    f.line = Some(l);
                    f.column = Some(c);
                }
            }
            Checked {
                kind: "taskDefinition",
                label: Some(if report.described {
                    format!("task definition {family}, from describe-task-definition output")
                } else {
                    format!("task definition {family}")
                }),
                ignored: report.ignored,
                findings,
            }
        }
        None => Checked {
            kind: "plan",
            label: None,
            ignored: Vec::new(),
            findings: engine::api::plan::load(text).findings,
        },
    }
}

pub fn run(path: &str, json: bool) -> Result<Outcome, UsageError> {
    let text = input::read_text(path)?;
    let checked = check(&text);
    let findings = &checked.findings;
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    if json {
        let report = Report {
            file: path,
            kind: checked.kind,
            valid: errors == 0,
            errors,
            warnings,
            ignored: &checked.ignored,
            findings,
        };
        raw!(
            "{}\n",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        out!("{}", table(path, &checked, errors, warnings));
    }
    Ok(if errors == 0 {
        Outcome::Ok
    } else {
        Outcome::Negative
    })
}

/// The human report: a summary line, then each finding with where, what and how to fix it.
fn table(path: &str, checked: &Checked, errors: usize, warnings: usize) -> String {
    let mut s = format!(
        "{path}{}: {} {}, {} {}\n",
        checked
            .label
            .as_deref()
            .map(|l| format!(" ({})", Clean(l)))
            .unwrap_or_default(),
        errors,
        if errors == 1 { "error" } else { "errors" },
        warnings,
        if warnings == 1 { "warning" } else { "warnings" }
    );
    if !checked.ignored.is_empty() {
        s.push_str(&format!(
            "ignored read-only members (AWS sets them; RegisterTaskDefinition does not take them): {}\n",
            checked.ignored.join(", ")
        ));
    }
    for f in &checked.findings {
        let at = match (f.line, f.column) {
            (Some(l), Some(c)) => format!("{path}:{l}:{c}"),
            _ => path.to_string(),
        };
        s.push_str(&format!(
            "\n{:<8} {}  {}\n",
            f.severity.to_string(),
            f.code,
            Clean(&f.path.to_string())
        ));
        s.push_str(&format!("         at {at}\n"));
        s.push_str(&format!("         {}\n", Clean(&f.message)));
        if let Some(fix) = &f.fix {
            s.push_str(&format!("         fix: {}\n", Clean(fix)));
        }
        if let Some(doc) = &f.doc {
            s.push_str(&format!("         see: {doc}\n"));
        }
    }
    s
}
