//! A small JSON Schema evaluator for the cfn-lint rule files in the fixtures: enough of the
//! language to run them as they are (type, enum, const, pattern, minimum, maximum, multipleOf,
//! properties, required, items, contains, minItems, propertyNames, if/then/else, allOf, anyOf,
//! oneOf, not; `format` and `description` are ignored).
//!
//! One deliberate difference from strict JSON Schema, because cfn-lint checks CloudFormation
//! templates where numbers and numeric strings are interchangeable: a string of digits compares
//! equal to the number it spells in `enum`/`const`, and is compared as that number by
//! `minimum`, `maximum` and `multipleOf`; a number is matched by `pattern` through its decimal
//! text. (The Fargate rule relies on this: its CPU enum lists strings, its memory enum numbers.)
#![allow(dead_code)]

use serde_json::Value;

/// Whether `v` satisfies `schema`.
pub fn valid(schema: &Value, v: &Value) -> bool {
    let s = match schema {
        Value::Bool(b) => return *b,
        Value::Object(s) => s,
        _ => return true,
    };
    let get = |k: &str| s.get(k);
    if let Some(t) = get("type") {
        let ok = match t {
            Value::String(t) => type_ok(t, v),
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).any(|t| type_ok(t, v)),
            _ => true,
        };
        if !ok {
            return false;
        }
    }
    if let Some(Value::Array(values)) = get("enum") {
        if !values.iter().any(|e| loose_eq(e, v)) {
            return false;
        }
    }
    if let Some(c) = get("const") {
        if !loose_eq(c, v) {
            return false;
        }
    }
    if let Some(Value::String(p)) = get("pattern") {
        let text = match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        if let Some(text) = text {
            if !matches(p, &text) {
                return false;
            }
        }
    }
    if let Some(x) = number(v) {
        if get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|m| x < m)
        {
            return false;
        }
        if get("maximum")
            .and_then(Value::as_f64)
            .is_some_and(|m| x > m)
        {
            return false;
        }
        if let Some(m) = get("multipleOf").and_then(Value::as_f64) {
            if (x / m).fract() != 0.0 {
                return false;
            }
        }
    }
    if let Value::Object(obj) = v {
        if let Some(Value::Array(req)) = get("required") {
            if req
                .iter()
                .filter_map(Value::as_str)
                .any(|k| !obj.contains_key(k))
            {
                return false;
            }
        }
        if let Some(Value::Object(props)) = get("properties") {
            for (k, sub) in props {
                if let Some(x) = obj.get(k) {
                    if !valid(sub, x) {
                        return false;
                    }
                }
            }
        }
        if let Some(names) = get("propertyNames") {
            if obj.keys().any(|k| !valid(names, &Value::String(k.clone()))) {
                return false;
            }
        }
    }
    if let Value::Array(items) = v {
        if let Some(item) = get("items") {
            if items.iter().any(|x| !valid(item, x)) {
                return false;
            }
        }
        if let Some(c) = get("contains") {
            if !items.iter().any(|x| valid(c, x)) {
                return false;
            }
        }
        if get("minItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| (items.len() as u64) < m)
        {
            return false;
        }
    }
    if let Some(cond) = get("if") {
        let branch = if valid(cond, v) {
            get("then")
        } else {
            get("else")
        };
        if let Some(b) = branch {
            if !valid(b, v) {
                return false;
            }
        }
    }
    if let Some(Value::Array(all)) = get("allOf") {
        if !all.iter().all(|x| valid(x, v)) {
            return false;
        }
    }
    if let Some(Value::Array(any)) = get("anyOf") {
        if !any.iter().any(|x| valid(x, v)) {
            return false;
        }
    }
    if let Some(Value::Array(one)) = get("oneOf") {
        if one.iter().filter(|x| valid(x, v)).count() != 1 {
            return false;
        }
    }
    if let Some(n) = get("not") {
        if valid(n, v) {
            return false;
        }
    }
    true
}

/// `pattern` with compiled expressions kept per thread (the Fargate test evaluates the same
/// few patterns hundreds of thousands of times).
fn matches(pattern: &str, text: &str) -> bool {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static CACHE: RefCell<HashMap<String, regex_lite::Regex>> = RefCell::new(HashMap::new());
    }
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        let re = c.entry(pattern.to_string()).or_insert_with(|| {
            regex_lite::Regex::new(pattern).unwrap_or_else(|e| panic!("pattern {pattern}: {e}"))
        });
        re.is_match(text)
    })
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "string" => v.is_string(),
        "integer" => v.as_i64().is_some() || v.as_u64().is_some(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "null" => v.is_null(),
        _ => true,
    }
}

/// A number, or a string of digits read as one.
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()
        }
        _ => None,
    }
}

fn loose_eq(a: &Value, b: &Value) -> bool {
    if a == b {
        return true;
    }
    match (a, b) {
        (Value::Number(_), Value::String(_)) | (Value::String(_), Value::Number(_)) => {
            number(a).is_some() && number(a) == number(b)
        }
        _ => false,
    }
}
