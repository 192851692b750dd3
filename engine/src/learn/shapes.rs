//! The shapes of learn-mode files (scenarios, the topic list, the index), checked by the same
//! checker as plans: unknown members with a "did you mean", wrong types with a fix, enums with
//! their values; and located in the text with the same span index, so a bad scenario file reads
//! like a bad plan (path, line:column, fix).

use crate::findings::{Finding, JsonPath};
use crate::plan::span::SpanIndex;
use crate::schema::Shapes;
use serde_json::Value;
use std::sync::OnceLock;

const LEARN_SHAPES_JSON: &str = include_str!("learn-shapes.json");

/// The plan's shapes plus learn mode's.
pub fn shapes() -> &'static Shapes {
    static SHAPES: OnceLock<Shapes> = OnceLock::new();
    SHAPES.get_or_init(|| {
        let mut all = Shapes::builtin().clone();
        let learn: Shapes =
            serde_json::from_str(LEARN_SHAPES_JSON).expect("learn-shapes.json is valid");
        all.0.extend(learn.0);
        all.flattened()
    })
}

/// Adds line and column to every finding whose path is in `text`.
pub fn located(text: &str, mut findings: Vec<Finding>) -> Vec<Finding> {
    let idx = SpanIndex::new(text);
    for f in &mut findings {
        if f.line.is_none() {
            if let Some((l, c)) = idx.locate(&f.path) {
                f.line = Some(l);
                f.column = Some(c);
            }
        }
    }
    findings
}

/// Parses `text` as JSON, the way the plan loader reports a syntax error.
pub fn parse_json(text: &str) -> Result<Value, Vec<Finding>> {
    serde_json::from_str(text).map_err(|e| {
        let msg = e.to_string();
        let msg = match msg.rfind(" at line ") {
            Some(i) => msg[..i].to_string(),
            None => msg,
        };
        let mut f = Finding::error(
            "json-syntax",
            JsonPath::root(),
            format!("not valid JSON: {msg}"),
        )
        .with_fix("correct the JSON at the given line and column");
        if e.line() > 0 {
            f.line = Some(e.line() as u32);
            f.column = Some(e.column() as u32);
        }
        vec![f]
    })
}

/// Checks `value` against a learn shape; findings at their paths (not yet located).
pub fn check(value: &Value, shape: &str, out: &mut Vec<Finding>) {
    crate::schema::check_with(shapes(), value, shape, &JsonPath::root(), out)
}

/// Parses and checks `text` against `shape`: the value and any warnings, or every error,
/// located.
pub fn parse_checked(text: &str, shape: &str) -> Result<(Value, Vec<Finding>), Vec<Finding>> {
    let value = parse_json(text)?;
    let mut findings = Vec::new();
    check(&value, shape, &mut findings);
    if findings.iter().any(Finding::is_error) {
        return Err(located(text, findings));
    }
    Ok((value, findings))
}
