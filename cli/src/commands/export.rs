//! `ecsplan export PLAN --format FORMAT [--out DIR]`: what AWS tools accept.

use crate::output::{finding_line, Clean};
use crate::{input, Outcome, UsageError};
use engine::api::export::{self, ExportFile, Format};
use engine::api::findings::Finding;
use std::collections::HashSet;

/// Exports the plan. A plan that `validate` rejects is not exported (exit 1, with its errors),
/// unless `force`: then it is, with a warning, since AWS will refuse what the errors name. A
/// plan that cannot be read at all (syntax, shape, references) is never exported.
pub fn run(
    plan_path: &str,
    format: &str,
    out: Option<&str>,
    force: bool,
) -> Result<Outcome, UsageError> {
    let Some(format) = Format::from_name(format) else {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        return Err(UsageError(format!(
            "unknown --format {format:?}; use one of {}",
            names.join(", ")
        )));
    };
    let text = input::read_text(plan_path)?;
    let loaded = engine::api::plan::load(&text);
    let errors: Vec<Finding> = loaded.errors().cloned().collect();
    let plan = match loaded.plan {
        Some(plan) if errors.is_empty() || force => plan,
        plan => {
            let why = if plan.is_none() {
                "the plan cannot be read as a whole"
            } else {
                "AWS would refuse what they name (--force exports it anyway)"
            };
            note!(
                "{plan_path}: the plan has {} {}; {why}; nothing exported",
                errors.len(),
                if errors.len() == 1 { "error" } else { "errors" }
            );
            for f in &errors {
                note!("  {}", finding_line(plan_path, f));
            }
            return Ok(Outcome::Negative);
        }
    };
    if !errors.is_empty() {
        note!(
            "ecsplan: warning: exporting a plan with {} {} (--force); AWS will refuse what they name (`ecsplan validate {plan_path}` lists them)",
            errors.len(),
            if errors.len() == 1 { "error" } else { "errors" }
        );
    }
    let files = export::export(&plan, format);
    if files.is_empty() {
        note!(
            "{plan_path}: the plan has nothing to export as {}",
            format.name()
        );
        return Ok(Outcome::Ok);
    }
    match out {
        Some(dir) => write_files(dir, &files)?,
        None if files.len() == 1 => raw!("{}", files[0].content),
        None => {
            note!("{} files; --out DIR writes them as files", files.len());
            for (i, f) in files.iter().enumerate() {
                if i > 0 {
                    outln!();
                }
                outln!("==> {} <==", Clean(&f.name));
                raw!("{}", f.content);
            }
        }
    }
    Ok(Outcome::Ok)
}

/// Writes every file into `dir`, never one over another of the same export (names that would
/// be the same file, even only by case, are refused), and lists what was written: each path
/// on standard output, a summary on standard error.
fn write_files(dir: &str, files: &[ExportFile]) -> Result<(), UsageError> {
    let mut names = HashSet::new();
    if let Some(f) = files.iter().find(|f| !names.insert(f.name.to_lowercase())) {
        return Err(UsageError(format!(
            "two exported files would be named {}; nothing written",
            f.name
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| UsageError(format!("cannot create {dir}: {e}")))?;
    let mut replaced = 0;
    for f in files {
        let p = std::path::Path::new(dir).join(&f.name);
        if p.exists() {
            replaced += 1;
        }
        std::fs::write(&p, &f.content)
            .map_err(|e| UsageError(format!("cannot write {}: {e}", p.display())))?;
        outln!("{}", p.display());
    }
    note!(
        "{} {} written to {dir}{}",
        files.len(),
        if files.len() == 1 { "file" } else { "files" },
        match replaced {
            0 => String::new(),
            n => format!(" ({n} replaced a file of an earlier export)"),
        }
    );
    Ok(())
}
