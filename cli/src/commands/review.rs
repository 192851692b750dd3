//! `ecsplan review PLAN [--format md|html|json|junit|sarif] [--out FILE] [--against OLD]`: the
//! architecture review, computed by the engine (`engine::api::review`), written in one of five
//! formats. Exit 1 when a gate of the plan's `settings.review.gates` fails or the plan cannot
//! be loaded at all; 2 when a file cannot be read or written.

use crate::{input, Outcome, UsageError};
use engine::api::review::{self, Report, ReviewOptions};

/// The formats, as `--format` names them.
pub use engine::api::review::FORMATS;

pub struct Args<'a> {
    pub plan: &'a str,
    pub format: &'a str,
    pub out: Option<&'a str>,
    pub against: Option<&'a str>,
    pub seed: Option<u64>,
}

fn report_of(path: &str, seed: Option<u64>) -> Result<Report, UsageError> {
    let text = input::read_text(path)?;
    let mut opts = ReviewOptions::for_file(path);
    opts.seed = seed;
    Ok(review::review_text(&text, &opts))
}

/// The report in a format (the engine's, so that the page downloads the same bytes).
pub fn render(report: &Report, format: &str) -> String {
    review::render(report, format)
}

pub fn run(a: Args) -> Result<Outcome, UsageError> {
    let format = match a.format {
        "markdown" => "md",
        f if FORMATS.contains(&f) => f,
        f => {
            return Err(UsageError(format!(
                "unknown --format {f:?}; use one of {}",
                FORMATS.join(", ")
            )))
        }
    };
    let mut report = report_of(a.plan, a.seed)?;
    if let Some(old) = a.against {
        let before = report_of(old, a.seed)?;
        report = review::compare(report, &before);
    }
    let text = render(&report, format);
    match a.out {
        Some(file) => {
            std::fs::write(file, text)
                .map_err(|e| UsageError(format!("cannot write {file}: {e}")))?;
        }
        None if format == "md" => out!("{text}"),
        None => raw!("{text}"),
    }
    // What a CI log shows whatever the format: the verdict, and each failed gate.
    note!("{}: {}", a.plan, report.summary.verdict);
    for g in report.gates.iter().filter(|g| !g.passed) {
        note!("  gate {} failed: {} ({})", g.gate, g.evidence, g.command);
    }
    if let Some(n) = &report.summary.not_computed {
        note!("  {n}; `ecsplan validate {}` lists the errors", a.plan);
    }
    Ok(
        if report.summary.passed() && report.summary.not_computed.is_none() {
            Outcome::Ok
        } else {
            Outcome::Negative
        },
    )
}
