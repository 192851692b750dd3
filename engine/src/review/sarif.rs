//! The report as SARIF 2.1.0 (the OASIS Static Analysis Results Interchange Format), for code
//! scanning tools (GitHub code scanning, Azure DevOps): one result per validator finding, per
//! failed gate and per failed check, located in the plan file by line and column (the plan's
//! span index) where the report knows where.

use super::{findings, Report};
use crate::findings::{JsonPath, Severity};
use serde_json::{json, Value};

/// The JSON schema of SARIF 2.1.0, named in the log's `$schema`.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn location(uri: &str, path: Option<&JsonPath>, line: Option<u32>, column: Option<u32>) -> Value {
    let mut physical = json!({"artifactLocation": {"uri": uri}});
    if let Some(l) = line.filter(|l| *l > 0) {
        let mut region = json!({"startLine": l});
        if let Some(c) = column.filter(|c| *c > 0) {
            region["startColumn"] = json!(c);
        }
        physical["region"] = region;
    }
    let mut loc = json!({"physicalLocation": physical});
    if let Some(p) = path {
        loc["logicalLocations"] = json!([{"fullyQualifiedName": p.to_string(), "kind": "member"}]);
    }
    loc
}

/// A file name as a relative URI reference: `/` separators, spaces and the like %-escaped.
fn uri(file: &str) -> String {
    let file = if file == "-" { "stdin" } else { file };
    let mut out = String::new();
    for b in file.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A rule's AWS page online: a Developer Guide file `NAME.md#anchor` or an API reference
/// action or shape `API_NAME`.
fn doc_uri(doc: &str) -> Option<String> {
    if doc.starts_with("https://") {
        return Some(doc.to_string());
    }
    let (page, anchor) = doc.split_once('#').unwrap_or((doc, ""));
    let anchor = if anchor.is_empty() {
        String::new()
    } else {
        format!("#{anchor}")
    };
    if let Some(name) = page.strip_suffix(".md") {
        return Some(format!(
            "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/{name}.html{anchor}"
        ));
    }
    page.starts_with("API_").then(|| {
        format!("https://docs.aws.amazon.com/AmazonECS/latest/APIReference/{page}.html{anchor}")
    })
}

/// The report as a SARIF 2.1.0 log: findings and failed checks as results located in the plan file (what code-scanning tools read).
pub fn render_sarif(r: &Report) -> String {
    let file = uri(&r.plan.file);
    let mut rules: Vec<Value> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    let mut rule_index = |id: &str, text: &str, lvl: &str, help: Option<&str>| -> usize {
        if let Some(i) = ids.iter().position(|x| x == id) {
            return i;
        }
        ids.push(id.to_string());
        let mut rule = json!({
            "id": id,
            "shortDescription": {"text": text},
            "defaultConfiguration": {"level": lvl},
        });
        if let Some(h) = help {
            rule["helpUri"] = json!(h);
        }
        rules.push(rule);
        ids.len() - 1
    };
    let mut results = Vec::new();
    for f in findings::all(&r.findings) {
        let x = &f.finding;
        let title = f.rule.clone().unwrap_or_else(|| x.code.clone());
        let help = x.doc.as_deref().and_then(doc_uri);
        let i = rule_index(&x.code, &title, level(x.severity), help.as_deref());
        let mut text = x.message.clone();
        if let Some(fix) = &x.fix {
            text.push_str(&format!(" Fix: {fix}"));
        }
        results.push(json!({
            "ruleId": x.code,
            "ruleIndex": i,
            "level": level(x.severity),
            "message": {"text": text},
            "locations": [location(&file, Some(&x.path), x.line, x.column)],
        }));
    }
    for g in r.gates.iter().filter(|g| !g.passed) {
        let id = format!("gate/{}", g.gate);
        let i = rule_index(&id, &format!("review gate {}", g.gate), "error", None);
        results.push(json!({
            "ruleId": id,
            "ruleIndex": i,
            "level": "error",
            "message": {"text": format!("Gate {} = {} fails: {} (shown by `{}`)", g.gate, g.setting, g.evidence, g.command)},
            "locations": [location(&file, Some(&g.path), g.line, g.column)],
        }));
    }
    for c in r
        .checks
        .iter()
        .filter(|c| !c.passed && c.section != "findings")
    {
        let id = format!(
            "check/{}",
            c.id.split('.').take(2).collect::<Vec<_>>().join(".")
        );
        let lvl = if c.gate.is_some() { "error" } else { "warning" };
        let i = rule_index(&id, &c.name, lvl, None);
        results.push(json!({
            "ruleId": id,
            "ruleIndex": i,
            "level": lvl,
            "message": {"text": format!("{}: {} (shown by `{}`)", c.name, c.evidence, c.command)},
            "locations": [location(&file, c.path.as_ref(), c.line, c.column)],
        }));
    }
    let doc = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "ecsplan",
                "fullName": "ECS Planner review",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "artifacts": [{"location": {"uri": file}}],
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}
