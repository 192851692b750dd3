//! Placeholders in a scenario's texts: `{desired}` (a parameter), `{landing}` (a measure's value
//! on the plan being explained), `{landing.zone}` (one of its facts, `detail` for its reason),
//! `{start.lost}` (a measure of the starting plan). `{{` and `}}` write a brace.

use super::measure::Measured;
use serde_json::Value;
use std::collections::BTreeMap;

/// What placeholders can name.
#[derive(Debug, Clone, Copy)]
pub struct Slots<'a> {
    pub params: &'a [(String, Value)],
    /// Measures of the plan being explained (the scenario's plan, or the learner's).
    pub now: Option<&'a BTreeMap<String, Measured>>,
    /// Measures of the starting plan.
    pub start: Option<&'a BTreeMap<String, Measured>>,
}

/// One piece of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'t> {
    Text(&'t str),
    Brace(char),
    Slot(&'t str),
}

/// Splits a text into literal pieces and placeholders, or says where a brace is stray.
fn pieces(text: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        if i > 0 {
            out.push(Piece::Text(&rest[..i]));
        }
        let c = rest.as_bytes()[i] as char;
        let after = &rest[i + 1..];
        if after.starts_with(c) {
            out.push(Piece::Brace(c));
            rest = &after[1..];
            continue;
        }
        if c == '}' {
            return Err(format!(
                "a stray \"}}\" after \"{}\" (write }}}} for a brace)",
                &text[..text.len() - rest.len() + i]
            ));
        }
        let Some(end) = after.find('}') else {
            return Err("a \"{\" that is never closed (write {{ for a brace)".into());
        };
        let name = &after[..end];
        if name.is_empty()
            || !name
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '.' || ch == '-')
        {
            return Err(format!("\"{{{name}}}\" is not a placeholder (names use letters, digits, _ and .; write {{{{ for a brace)"));
        }
        out.push(Piece::Slot(name));
        rest = &after[end + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Ok(out)
}

/// The placeholders a text uses, or why it cannot be read.
pub fn placeholders(text: &str) -> Result<Vec<String>, String> {
    Ok(pieces(text)?
        .into_iter()
        .filter_map(|p| match p {
            Piece::Slot(s) => Some(s.to_string()),
            _ => None,
        })
        .collect())
}

/// The value a placeholder names, if it resolves.
pub fn resolve(name: &str, slots: &Slots) -> Option<String> {
    if let Some(v) = super::params::lookup(slots.params, name) {
        return Some(match v {
            Value::String(s) => s,
            Value::Number(n) => n
                .as_f64()
                .map(super::measure::number)
                .unwrap_or_else(|| n.to_string()),
            other => other.to_string(),
        });
    }
    let (map, rest) = match name.strip_prefix("start.") {
        Some(r) => (slots.start?, r),
        None => (slots.now?, name),
    };
    let (measure, fact) = match rest.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (rest, None),
    };
    let m = map.get(measure)?;
    match fact {
        None => Some(m.text.clone()),
        Some(f) => m.get(f),
    }
}

/// The text with every placeholder filled, or the placeholders that do not resolve.
pub fn fill(text: &str, slots: &Slots) -> Result<String, Vec<String>> {
    let pieces = pieces(text).map_err(|e| vec![e])?;
    let mut out = String::with_capacity(text.len());
    let mut missing = Vec::new();
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Brace(c) => out.push(c),
            Piece::Slot(name) => match resolve(name, slots) {
                Some(v) => out.push_str(&v),
                None => {
                    missing.push(format!("{{{name}}}"));
                    out.push_str(&format!("{{{name}}}"));
                }
            },
        }
    }
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(missing)
    }
}

/// [`fill`], leaving what does not resolve as it was (for learners' plans, where a measure may
/// not apply any more: the text still reads).
pub fn fill_lenient(text: &str, slots: &Slots) -> String {
    match fill(text, slots) {
        Ok(s) => s,
        Err(_) => {
            let Ok(pieces) = pieces(text) else {
                return text.to_string();
            };
            pieces
                .into_iter()
                .map(|p| match p {
                    Piece::Text(t) => t.to_string(),
                    Piece::Brace(c) => c.to_string(),
                    Piece::Slot(n) => resolve(n, slots).unwrap_or_else(|| "?".to_string()),
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::measure::{Measured, Val};
    use serde_json::json;

    fn measured(text: &str, zone: &str) -> Measured {
        let mut facts = BTreeMap::new();
        facts.insert("zone".to_string(), zone.to_string());
        Measured {
            value: Val::Text(text.into()),
            text: text.into(),
            detail: "because".into(),
            facts,
        }
    }

    #[test]
    fn fills_params_measures_facts_and_start() {
        let params = vec![("desired".to_string(), json!(6))];
        let mut now = BTreeMap::new();
        now.insert("landing".to_string(), measured("i-b1", "us-east-1b"));
        let mut start = BTreeMap::new();
        start.insert("landing".to_string(), measured("i-a1", "us-east-1a"));
        let slots = Slots {
            params: &params,
            now: Some(&now),
            start: Some(&start),
        };
        assert_eq!(
            fill("{desired} tasks: {landing} in {landing.zone} ({landing.detail}), was {start.landing}; {{x}}", &slots).unwrap(),
            "6 tasks: i-b1 in us-east-1b (because), was i-a1; {x}"
        );
        assert_eq!(
            fill("{nope} and {landing.nope}", &slots).unwrap_err(),
            vec!["{nope}", "{landing.nope}"]
        );
        assert_eq!(fill_lenient("{nope}!", &slots), "?!");
        assert!(placeholders("a { b").is_err());
        assert!(placeholders("a } b").is_err());
        assert!(placeholders("{a b}").is_err());
    }
}
