//! `ecsplan validate PLAN`: every finding, as a table or JSON.

use crate::{input, Outcome, UsageError};
use engine::findings::{Finding, Severity};
use serde::Serialize;

#[derive(Serialize)]
struct Report<'a> {
    file: &'a str,
    valid: bool,
    errors: usize,
    warnings: usize,
    findings: &'a [Finding],
}

pub fn run(path: &str, json: bool) -> Result<Outcome, UsageError> {
    let text = input::read_text(path)?;
    let loaded = engine::plan::load(&text);
    let findings = loaded.findings;
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    if json {
        let report = Report {
            file: path,
            valid: errors == 0,
            errors,
            warnings,
            findings: &findings,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        print!("{}", table(path, &findings, errors, warnings));
    }
    Ok(if errors == 0 {
        Outcome::Ok
    } else {
        Outcome::Negative
    })
}

/// The human report: a summary line, then each finding with where, what and how to fix it.
fn table(path: &str, findings: &[Finding], errors: usize, warnings: usize) -> String {
    let mut s = format!(
        "{path}: {} {}, {} {}\n",
        errors,
        if errors == 1 { "error" } else { "errors" },
        warnings,
        if warnings == 1 { "warning" } else { "warnings" }
    );
    for f in findings {
        let at = match (f.line, f.column) {
            (Some(l), Some(c)) => format!("{path}:{l}:{c}"),
            _ => path.to_string(),
        };
        s.push_str(&format!(
            "\n{:<8} {}  {}\n",
            f.severity.to_string(),
            f.code,
            f.path
        ));
        s.push_str(&format!("         at {at}\n"));
        s.push_str(&format!("         {}\n", f.message));
        if let Some(fix) = &f.fix {
            s.push_str(&format!("         fix: {fix}\n"));
        }
        if let Some(doc) = &f.doc {
            s.push_str(&format!("         see: {doc}\n"));
        }
    }
    s
}
