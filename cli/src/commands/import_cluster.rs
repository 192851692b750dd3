//! `ecsplan import DIR --from aws-snapshot` and `ecsplan import FILE --from terraform`: a whole
//! cluster as a plan. The plan goes to standard output (or, with `--json`, the plan with where
//! tasks run, what AWS reported per instance, the notes and the loader's findings); the notes
//! and the loader's findings go to standard error. Exit 1 when nothing could be imported or
//! the plan has errors (e.g. an instance type that needs describe-instance-types output).

use crate::{input, Outcome, UsageError};
use engine::api::findings::{Finding, Severity};
use engine::api::import::{
    aws_snapshot, terraform, ClusterImport, ClusterOptions, ClusterSource, InputFile, SourceNote,
};
use serde_json::{json, Value};
use std::path::Path;

/// Files a snapshot directory may hold, at most (a cluster of thousands of tasks is a few
/// hundred pages).
const MAX_FILES: usize = 10_000;

pub fn run(
    source: ClusterSource,
    path: &str,
    into: Option<&str>,
    cluster: Option<&str>,
    json_out: bool,
) -> Result<Outcome, UsageError> {
    let options = ClusterOptions {
        cluster: cluster.map(str::to_string),
    };
    let base = match into {
        Some(p) => match input::load_plan(p)? {
            Some(plan) => Some(plan),
            None => return Ok(Outcome::Negative),
        },
        None => None,
    };
    let result = match source {
        ClusterSource::AwsSnapshot => aws_snapshot(&read_snapshot(path)?, &options),
        ClusterSource::Terraform => {
            if Path::new(path).is_dir() {
                return Err(UsageError(format!(
                    "{path} is a directory; --from terraform takes the file `terraform show -json` wrote"
                )));
            }
            terraform(&InputFile::new(path, input::read_text(path)?), &options)
        }
    };
    let imported = match result {
        Ok(i) => i,
        Err(notes) => {
            if json_out {
                let v = json!({ "format": source.name(), "errors": notes });
                raw!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                for n in &notes {
                    note!("{}", line(path, source, n));
                }
            }
            return Ok(Outcome::Negative);
        }
    };
    let plan = match &base {
        Some(b) => imported.into_plan(b),
        None => imported.plan.clone(),
    };
    let text = plan.to_json();
    let loaded = engine::api::plan::load(&text);
    let errors = loaded.has_errors();
    if json_out {
        let v = json!({
            "format": source.name(),
            "plan": serde_json::to_value(&plan).unwrap_or(Value::Null),
            "runningTasks": imported.running_tasks,
            "instances": imported.instances,
            "notes": imported.notes,
            "findings": loaded.findings,
        });
        raw!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        raw!("{text}\n");
        note!("{}", summary(path, &imported));
        for n in &imported.notes {
            note!("  {}", line(path, source, n));
        }
        let shown: Vec<&Finding> = loaded
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .collect();
        if !shown.is_empty() {
            note!(
                "the plan{}: {} {} (`ecsplan validate` lists them with their fixes)",
                into.map(|p| format!(" ({p} refreshed)"))
                    .unwrap_or_default(),
                shown.len(),
                if shown.len() == 1 {
                    "finding"
                } else {
                    "findings"
                }
            );
            for f in shown {
                note!("  {f}");
            }
        }
    }
    Ok(if errors {
        Outcome::Negative
    } else {
        Outcome::Ok
    })
}

/// The regular files of a snapshot directory (not hidden ones, not subdirectories).
fn read_snapshot(dir: &str) -> Result<Vec<InputFile>, UsageError> {
    let p = Path::new(dir);
    if !p.is_dir() {
        return Err(UsageError(format!(
            "{dir} is not a directory; --from aws-snapshot takes the directory the snapshot script of docs/review.md wrote"
        )));
    }
    let entries =
        std::fs::read_dir(p).map_err(|e| UsageError(format!("cannot read {dir}: {e}")))?;
    let mut files = Vec::new();
    for e in entries {
        let e = e.map_err(|e| UsageError(format!("cannot read {dir}: {e}")))?;
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        if name.starts_with('.') || !path.is_file() {
            continue;
        }
        if files.len() >= MAX_FILES {
            return Err(UsageError(format!(
                "{dir} has more than {MAX_FILES} files; is it the snapshot directory?"
            )));
        }
        let text = input::read_text(&path.to_string_lossy())?;
        files.push(InputFile::new(name, text));
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

fn summary(path: &str, i: &ClusterImport) -> String {
    let p = &i.plan;
    let mut parts = vec![
        format!(
            "cluster {}",
            if p.cluster.cluster_name.is_empty() {
                "(unnamed)"
            } else {
                &p.cluster.cluster_name
            }
        ),
        format!("{} instances", p.cluster.container_instances.len()),
        format!("{} capacity providers", p.cluster.capacity_providers.len()),
        format!("{} services", p.services.len()),
        format!("{} task definitions", p.task_definitions.len()),
    ];
    if i.source == ClusterSource::AwsSnapshot {
        parts.push(format!("{} running tasks", i.running_tasks.len()));
    }
    format!(
        "{path}: imported as {}: {}; {} {}",
        i.source.name(),
        parts.join(", "),
        i.notes.len(),
        if i.notes.len() == 1 { "note" } else { "notes" }
    )
}

/// A note on one line: `DIR/FILE:line:column: ...` for a snapshot, `FILE:line:column: ...`
/// for Terraform.
fn line(path: &str, source: ClusterSource, n: &SourceNote) -> String {
    let file = match (source, n.file.is_empty()) {
        (_, true) => String::new(),
        (ClusterSource::AwsSnapshot, false) => {
            Path::new(path).join(&n.file).to_string_lossy().into_owned()
        }
        (ClusterSource::Terraform, false) => n.file.clone(),
    };
    if file.is_empty() {
        n.finding.to_string()
    } else {
        n.finding.in_file(&file)
    }
}
