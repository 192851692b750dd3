//! `ecsplan export PLAN --format FORMAT [--out DIR]`: what AWS tools accept.

use crate::{input, Outcome, UsageError};
use engine::api::export::{self, Format};
use engine::api::findings::Finding;

pub fn run(plan_path: &str, format: &str, out: Option<&str>) -> Result<Outcome, UsageError> {
    let Some(format) = Format::from_name(format) else {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        return Err(UsageError(format!(
            "unknown --format {format:?}; use one of {}",
            names.join(", ")
        )));
    };
    let text = input::read_text(plan_path)?;
    let loaded = engine::api::plan::load(&text);
    let Some(plan) = loaded.plan else {
        eprintln!("{plan_path}: the plan has errors; nothing exported");
        for f in loaded.findings.iter().filter(|f| f.is_error()) {
            eprintln!("  {}", line(plan_path, f));
        }
        return Ok(Outcome::Negative);
    };
    let files = export::export(&plan, format);
    if files.is_empty() {
        eprintln!(
            "{plan_path}: the plan has nothing to export as {}",
            format.name()
        );
        return Ok(Outcome::Ok);
    }
    match out {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| UsageError(format!("cannot create {dir}: {e}")))?;
            for f in &files {
                let p = std::path::Path::new(dir).join(&f.name);
                std::fs::write(&p, &f.content)
                    .map_err(|e| UsageError(format!("cannot write {}: {e}", p.display())))?;
                println!("{}", p.display());
            }
        }
        None if files.len() == 1 => print!("{}", files[0].content),
        None => {
            eprintln!("{} files; --out DIR writes them as files", files.len());
            for (i, f) in files.iter().enumerate() {
                if i > 0 {
                    println!();
                }
                println!("==> {} <==", f.name);
                print!("{}", f.content);
            }
        }
    }
    Ok(Outcome::Ok)
}

fn line(file: &str, f: &Finding) -> String {
    match (f.line, f.column) {
        (Some(l), Some(c)) => format!("{file}:{l}:{c}: {f}"),
        _ => format!("{f}"),
    }
}
