//! `ecsplan import FILE --from FORMAT [--into PLAN] [--json] [--family NAME]`: a task
//! definition, describe-task-definition output, CloudFormation template, docker-compose file,
//! service or RunTask request as plan parts, or merged into a plan. Whole clusters
//! (`--from aws-snapshot`, `--from terraform`) are [`super::import_cluster`]'s.

use super::import_cluster;
use crate::output::{finding_line, Clean};
use crate::{input, Outcome, UsageError};
use engine::api::findings::Finding;
use engine::api::import::{self, ClusterSource, Format, Imported, Options};
use serde_json::{json, Map, Value};

pub fn run(
    file: &str,
    from: &str,
    into: Option<&str>,
    family: Option<&str>,
    cluster: Option<&str>,
    json_out: bool,
) -> Result<Outcome, UsageError> {
    let format = match from {
        "aws-snapshot" | "snapshot" => {
            return import_cluster::run(ClusterSource::AwsSnapshot, file, into, cluster, json_out)
        }
        "terraform" | "tf" => {
            return import_cluster::run(ClusterSource::Terraform, file, into, cluster, json_out)
        }
        "auto" if std::path::Path::new(file).is_dir() => {
            return import_cluster::run(ClusterSource::AwsSnapshot, file, into, cluster, json_out)
        }
        "auto" => None,
        other => Some(Format::from_name(other).ok_or_else(|| {
            UsageError(format!(
                "unknown --from {other:?}; use auto, aws-snapshot, terraform, describe, cloudformation, compose, register-task-definition, create-service, run-task or plan"
            ))
        })?),
    };
    let text = input::read_text(file)?;
    if format.is_none() && file != "-" {
        let looks_like_terraform =
            serde_json::from_str::<Value>(&text).is_ok_and(|v| import::terraform::is_terraform(&v));
        if looks_like_terraform {
            return import_cluster::run(ClusterSource::Terraform, file, into, cluster, json_out);
        }
    }
    let base = match into {
        Some(p) => {
            let t = input::read_text(p)?;
            let loaded = engine::api::plan::load(&t);
            match loaded.plan {
                Some(plan) => Some(plan),
                None => {
                    report_errors(p, &loaded.findings, json_out);
                    return Ok(Outcome::Negative);
                }
            }
        }
        None => None,
    };
    let options = Options {
        family: family
            .map(str::to_string)
            .or_else(|| Some(family_from_file_name(file))),
    };
    let detected = format.unwrap_or_else(|| import::detect(&text));
    let imported = match import::import_as(&text, detected, &options) {
        Ok(i) => i,
        Err(errors) => {
            report_errors(file, &errors, json_out);
            return Ok(Outcome::Negative);
        }
    };
    let (result, findings) = match &base {
        Some(plan) => {
            let merged = import::into_plan(plan, &imported);
            let value = serde_json::to_value(&merged).unwrap_or(Value::Null);
            let check = engine::api::plan::load(&merged.to_json());
            (value, check.findings)
        }
        None => (parts(&imported), Vec::new()),
    };
    let errors = findings.iter().any(Finding::is_error);
    if json_out {
        let mut o = Map::new();
        o.insert("format".into(), json!(detected.name()));
        o.insert(
            if base.is_some() { "plan" } else { "result" }.into(),
            result,
        );
        o.insert(
            "notes".into(),
            serde_json::to_value(&imported.notes).unwrap_or(Value::Null),
        );
        if base.is_some() {
            o.insert(
                "findings".into(),
                serde_json::to_value(&findings).unwrap_or(Value::Null),
            );
        }
        raw!(
            "{}\n",
            serde_json::to_string_pretty(&Value::Object(o)).unwrap_or_default()
        );
    } else {
        raw!(
            "{}\n",
            serde_json::to_string_pretty(&result).unwrap_or_default()
        );
        note!(
            "{file}: imported as {} with {} {}",
            detected.name(),
            imported.notes.len(),
            if imported.notes.len() == 1 {
                "note"
            } else {
                "notes"
            }
        );
        for n in &imported.notes {
            note!("  {}", finding_line(file, n));
        }
        if let Some(p) = into {
            for f in findings.iter().filter(|f| f.is_error()) {
                note!("  {p}: {}", Clean(&f.to_string()));
            }
        }
    }
    Ok(if errors {
        Outcome::Negative
    } else {
        Outcome::Ok
    })
}

fn report_errors(file: &str, findings: &[Finding], json_out: bool) {
    if json_out {
        let v = json!({ "file": file, "errors": findings });
        raw!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        for f in findings {
            note!("{}", finding_line(file, f));
        }
    }
}

/// What to print without `--into`: the task definition itself when that is all there is,
/// else the plan parts that were found.
fn parts(i: &Imported) -> Value {
    if i.task_definitions.len() == 1
        && i.services.is_empty()
        && i.tasks.is_empty()
        && i.capacity_providers.is_empty()
    {
        return serde_json::to_value(&i.task_definitions[0]).unwrap_or(Value::Null);
    }
    let mut o = Map::new();
    if let Some(c) = &i.cluster_name {
        o.insert("clusterName".into(), json!(c));
    }
    if !i.capacity_providers.is_empty() {
        o.insert(
            "capacityProviders".into(),
            serde_json::to_value(&i.capacity_providers).unwrap_or(Value::Null),
        );
    }
    if let Some(s) = &i.default_capacity_provider_strategy {
        o.insert(
            "defaultCapacityProviderStrategy".into(),
            serde_json::to_value(s).unwrap_or(Value::Null),
        );
    }
    for (k, v) in [
        ("taskDefinitions", serde_json::to_value(&i.task_definitions)),
        ("services", serde_json::to_value(&i.services)),
        ("tasks", serde_json::to_value(&i.tasks)),
    ] {
        if let Ok(Value::Array(a)) = v {
            if !a.is_empty() {
                o.insert(k.into(), Value::Array(a));
            }
        }
    }
    Value::Object(o)
}

/// A compose file's family from its name: `shop.compose.yml` → `shop`; `docker-compose.yml`
/// and `compose.yaml` take their directory's name.
fn family_from_file_name(file: &str) -> String {
    let path = std::path::Path::new(file);
    let stem = path.file_name().and_then(|s| s.to_str()).unwrap_or("");
    let stem = stem
        .trim_end_matches(".yml")
        .trim_end_matches(".yaml")
        .trim_end_matches(".json");
    let stem = stem
        .trim_end_matches(".compose")
        .trim_end_matches("-compose")
        .trim_end_matches(".docker-compose");
    let generic = matches!(
        stem,
        "" | "-" | "docker-compose" | "compose" | "docker-compose.override" | "compose.override"
    );
    if !generic {
        return stem.to_string();
    }
    let dir = std::fs::canonicalize(path).ok().and_then(|p| {
        p.parent()
            .and_then(|d| d.file_name())
            .and_then(|n| n.to_str())
            .map(str::to_string)
    });
    dir.filter(|d| !d.is_empty())
        .unwrap_or_else(|| "compose".to_string())
}
