//! Variants: a scenario's parameters, the values each variant gives them, and their
//! substitution into the scenario.
//!
//! The parameters span a finite space (the product of their value lists). Variant 0 takes every
//! parameter's first value; variant `n` takes the `n`-th combination of a seeded shuffle of the
//! others, so "another variant" gives new numbers until every combination has been seen, and
//! the checks can play every variant there is.
//!
//! In the scenario, `{"$param": "NAME"}` stands for the value anywhere in the plan, the setup,
//! the measures, the choices or the goal; `{NAME}` does in texts (see [`super::text`]).

use crate::findings::{Finding, JsonPath};
use crate::seeded::mix;
use serde_json::{Map, Value};

/// The most variants a scenario may have (every one is checked).
pub const MAX_VARIANTS: usize = 256;

/// The parameters of a scenario file, read from its raw JSON.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Space {
    pub params: Vec<(String, Vec<Value>)>,
}

impl Space {
    /// Reads `parameters` from the raw scenario; problems are findings at their paths.
    pub fn read(raw: &Value, out: &mut Vec<Finding>) -> Space {
        let base = JsonPath::root().key("parameters");
        let mut params: Vec<(String, Vec<Value>)> = Vec::new();
        let Some(list) = raw.get("parameters") else {
            return Space::default();
        };
        let Some(list) = list.as_array() else {
            return Space::default(); // the shape check reports it
        };
        for (i, p) in list.iter().enumerate() {
            let at = base.index(i);
            let (Some(name), Some(values)) = (
                p.get("name").and_then(Value::as_str),
                p.get("values").and_then(Value::as_array),
            ) else {
                continue; // the shape check reports it
            };
            if values.is_empty() {
                out.push(
                    Finding::error(
                        "learn-parameter",
                        at.key("values"),
                        format!("parameter {name} has no values"),
                    )
                    .with_fix("list at least one value; the first is variant 0's"),
                );
                continue;
            }
            let scalar = |v: &Value| v.is_number() || v.is_string() || v.is_boolean();
            let case = |v: &Value| {
                v.as_object()
                    .is_some_and(|o| !o.is_empty() && o.values().all(scalar))
            };
            if let Some(bad) = values.iter().position(|v| !(scalar(v) || case(v))) {
                out.push(Finding::error(
                    "learn-parameter",
                    at.key("values").index(bad),
                    format!("parameter {name}: values are numbers, texts, true/false, or objects of those (cases, whose members are named {name}.MEMBER)"),
                ));
                continue;
            }
            if params.iter().any(|(n, _)| n == name) {
                out.push(Finding::error(
                    "learn-parameter",
                    at.key("name"),
                    format!("parameter {name} is declared twice"),
                ));
                continue;
            }
            if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || name.is_empty() {
                out.push(
                    Finding::error(
                        "learn-parameter",
                        at.key("name"),
                        format!("parameter name \"{name}\": use letters, digits and _"),
                    )
                    .with_fix("rename it, e.g. desired_count"),
                );
                continue;
            }
            params.push((name.to_string(), values.clone()));
        }
        let space = Space { params };
        if space.size() > MAX_VARIANTS {
            out.push(
                Finding::error(
                    "learn-variants",
                    base,
                    format!(
                        "the parameters make {} variants; at most {MAX_VARIANTS} (every variant is checked)",
                        space.size()
                    ),
                )
                .with_fix("use fewer values or fewer parameters"),
            );
        }
        space
    }

    /// How many variants there are (at least 1).
    pub fn size(&self) -> usize {
        self.params
            .iter()
            .map(|(_, v)| v.len().max(1))
            .fold(1usize, |a, b| a.saturating_mul(b))
    }

    /// The values of combination `c` (0 = every first value), in declaration order.
    pub fn combination(&self, c: usize) -> Vec<(String, Value)> {
        let mut c = c;
        self.params
            .iter()
            .map(|(n, vs)| {
                let k = c % vs.len();
                c /= vs.len();
                (n.clone(), vs[k].clone())
            })
            .collect()
    }

    /// The combination variant `n` uses: 0 for variant 0, then a seeded permutation of the
    /// others (seeded by the scenario id), cycling when `n` passes the number of variants.
    pub fn variant(&self, id: &str, n: u32) -> usize {
        let size = self.size().min(MAX_VARIANTS);
        if n == 0 || size <= 1 {
            return 0;
        }
        let seed = id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
        });
        let mut order: Vec<usize> = (1..size).collect();
        // Fisher-Yates with the engine's mixer.
        for i in (1..order.len()).rev() {
            let j = (mix(seed ^ i as u64) % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        order[(n as usize - 1) % order.len()]
    }
}

/// The value of `NAME` or `NAME.MEMBER` (a member of a case).
pub fn lookup(values: &[(String, Value)], name: &str) -> Option<Value> {
    let (param, member) = match name.split_once('.') {
        Some((p, m)) => (p, Some(m)),
        None => (name, None),
    };
    let (_, v) = values.iter().find(|(n, _)| n == param)?;
    match member {
        None if !v.is_object() => Some(v.clone()),
        Some(m) => v.get(m).cloned(),
        None => None,
    }
}

/// `raw` with every `{"$param": NAME}` replaced by its value. Unknown names are findings at
/// their paths (and stay as they were). `parameters` itself is left alone.
pub fn substitute(raw: &Value, values: &[(String, Value)], out: &mut Vec<Finding>) -> Value {
    fn walk(v: &Value, values: &[(String, Value)], at: &JsonPath, out: &mut Vec<Finding>) -> Value {
        match v {
            Value::Object(m) => {
                if m.len() == 1 {
                    if let Some(name) = m.get("$param") {
                        let name = name.as_str().unwrap_or("");
                        return match lookup(values, name) {
                            Some(x) => x,
                            None => {
                                let names: Vec<&str> =
                                    values.iter().map(|(n, _)| n.as_str()).collect();
                                let mut f = Finding::error(
                                    "learn-unknown-parameter",
                                    at.clone(),
                                    format!(
                                        "no parameter \"{name}\" (parameters: {})",
                                        if names.is_empty() {
                                            "none".to_string()
                                        } else {
                                            names.join(", ")
                                        }
                                    ),
                                );
                                if let Some(b) =
                                    crate::schema::did_you_mean(name, names.iter().copied())
                                {
                                    f = f.with_fix(format!("did you mean \"{b}\"?"));
                                } else {
                                    f = f.with_fix("declare it in \"parameters\"");
                                }
                                out.push(f);
                                v.clone()
                            }
                        };
                    }
                }
                let mut o = Map::new();
                for (k, x) in m {
                    o.insert(k.clone(), walk(x, values, &at.key(k), out));
                }
                Value::Object(o)
            }
            Value::Array(a) => Value::Array(
                a.iter()
                    .enumerate()
                    .map(|(i, x)| walk(x, values, &at.index(i), out))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    let mut doc = Map::new();
    if let Value::Object(m) = raw {
        for (k, v) in m {
            let x = if k == "parameters" {
                v.clone()
            } else {
                walk(v, values, &JsonPath::root().key(k), out)
            };
            doc.insert(k.clone(), x);
        }
        Value::Object(doc)
    } else {
        raw.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn variants_cover_every_combination_once_before_repeating() {
        let raw = json!({"parameters": [
            {"name": "desired", "values": [4, 6, 8]},
            {"name": "type", "values": ["m5.large", "c5.large"]}]});
        let mut f = Vec::new();
        let s = Space::read(&raw, &mut f);
        assert!(f.is_empty());
        assert_eq!(s.size(), 6);
        assert_eq!(s.variant("x", 0), 0);
        let seen: std::collections::BTreeSet<usize> = (1..6).map(|n| s.variant("x", n)).collect();
        assert_eq!(seen, (1..6).collect());
        assert_eq!(s.variant("x", 6), s.variant("x", 1));
        assert_eq!(
            s.combination(0),
            vec![
                ("desired".into(), json!(4)),
                ("type".into(), json!("m5.large"))
            ]
        );
    }

    #[test]
    fn substitution_replaces_params_and_reports_unknown_ones() {
        let raw = json!({"parameters": [{"name": "n", "values": [3]}],
            "setup": [{"command": "setDesiredCount", "service": "web", "desiredCount": {"$param": "n"}}],
            "goal": [{"measure": "x", "op": "eq", "value": {"$param": "m"}}]});
        let mut f = Vec::new();
        let doc = substitute(&raw, &[("n".into(), json!(3))], &mut f);
        assert_eq!(doc["setup"][0]["desiredCount"], json!(3));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].path.to_string(), "goal[0].value");
        assert_eq!(f[0].fix.as_deref(), Some("did you mean \"n\"?"));
    }
}
