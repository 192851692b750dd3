//! An independent validator for AWS requests: checks a JSON value against a shape of a raw
//! botocore model (`service-2.json`), with no code shared with the engine's own schema module.
//!
//! What it checks: member names (unknown members), types, required members, enums, min/max
//! (string lengths, list and map sizes, numeric ranges), recursively through structures, lists
//! and maps. Java-flavoured `pattern`s are not checked. A structure marked `document` (free-form
//! JSON) accepts anything.
//!
//! Use: `validate(&model, "RegisterTaskDefinitionRequest", &value)` returns every problem as
//! `"$.path: message"`; empty means the value is a valid request of that shape.
//!
//! Outputs (what the AWS CLI prints) are checked with [`validate_output`], by operation name:
//! the operation's output shape, plus the AWS CLI's own `NextToken`, which the CLI adds at the
//! top when it stops paginating early (`--max-items`). `required` applies to outputs too: AWS
//! always returns those members.

use serde_json::Value;

/// Nesting deeper than this is reported instead of followed (recursive shapes).
const MAX_DEPTH: usize = 64;

/// Every problem of `value` against shape `shape` of `model`, as `"$.path: message"`.
pub fn validate(model: &Value, shape: &str, value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(model, shape, value, "$", 0, &mut out);
    out
}

/// Like [`validate`], panicking with every problem when there is one.
pub fn assert_valid(model: &Value, shape: &str, value: &Value, what: &str) {
    let problems = validate(model, shape, value);
    assert!(
        problems.is_empty(),
        "{what} is not a valid {shape}:\n  {}",
        problems.join("\n  ")
    );
}

/// The output shape of an operation (`DescribeServices` → `DescribeServicesResponse`).
pub fn output_shape(model: &Value, operation: &str) -> Option<String> {
    model
        .get("operations")?
        .get(operation)?
        .get("output")?
        .get("shape")?
        .as_str()
        .map(str::to_string)
}

/// Every problem of `value` as the AWS CLI's output of `operation`.
pub fn validate_output(model: &Value, operation: &str, value: &Value) -> Vec<String> {
    let Some(shape) = output_shape(model, operation) else {
        return vec![format!(
            "$: the model has no operation {operation} with an output"
        )];
    };
    let mut v = value.clone();
    let has_own_token = model
        .get("shapes")
        .and_then(|s| s.get(&shape))
        .and_then(|s| s.get("members"))
        .and_then(|m| m.get("NextToken"))
        .is_some();
    if let (false, Some(o)) = (has_own_token, v.as_object_mut()) {
        // The CLI's pagination token (`--max-items`), not part of the API's output.
        if o.get("NextToken").is_some_and(Value::is_string) {
            o.remove("NextToken");
        }
    }
    validate(model, &shape, &v)
}

/// Like [`validate_output`], panicking with every problem when there is one.
pub fn assert_valid_output(model: &Value, operation: &str, value: &Value, what: &str) {
    let problems = validate_output(model, operation, value);
    assert!(
        problems.is_empty(),
        "{what} is not valid {operation} output:\n  {}",
        problems.join("\n  ")
    );
}

/// Loads a botocore model from the fixtures directory.
pub fn model(fixtures: &std::path::Path, file: &str) -> Value {
    let text = std::fs::read_to_string(fixtures.join("botocore").join(file))
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a decimal number",
        Value::Number(_) => "a whole number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn walk(model: &Value, name: &str, v: &Value, path: &str, depth: usize, out: &mut Vec<String>) {
    if depth > MAX_DEPTH {
        out.push(format!("{path}: nested deeper than {MAX_DEPTH} levels"));
        return;
    }
    let Some(s) = model.get("shapes").and_then(|s| s.get(name)) else {
        out.push(format!("{path}: the model has no shape {name}"));
        return;
    };
    let num = |k: &str| s.get(k).and_then(Value::as_f64);
    let target = |m: &Value| {
        m.get("shape")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    match s.get("type").and_then(Value::as_str).unwrap_or("") {
        "structure" => {
            if s.get("document").and_then(Value::as_bool) == Some(true) {
                return;
            }
            let Some(obj) = v.as_object() else {
                out.push(format!(
                    "{path}: {name} must be an object, found {}",
                    kind(v)
                ));
                return;
            };
            let members = s.get("members").and_then(Value::as_object);
            for (k, x) in obj {
                match members.and_then(|m| m.get(k)) {
                    Some(m) => walk(model, &target(m), x, &format!("{path}.{k}"), depth + 1, out),
                    None => out.push(format!("{path}.{k}: not a member of {name}")),
                }
            }
            for r in s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !obj.contains_key(r) {
                    out.push(format!("{path}: {name} requires {r}"));
                }
            }
        }
        "list" => {
            let Some(items) = v.as_array() else {
                out.push(format!("{path}: {name} must be a list, found {}", kind(v)));
                return;
            };
            size(path, "items", items.len(), num("min"), num("max"), out);
            let member = s.get("member").map(target).unwrap_or_default();
            for (i, x) in items.iter().enumerate() {
                walk(model, &member, x, &format!("{path}[{i}]"), depth + 1, out);
            }
        }
        "map" => {
            let Some(obj) = v.as_object() else {
                out.push(format!(
                    "{path}: {name} must be an object (a map), found {}",
                    kind(v)
                ));
                return;
            };
            size(path, "entries", obj.len(), num("min"), num("max"), out);
            let key = s.get("key").map(target).unwrap_or_default();
            let value = s.get("value").map(target).unwrap_or_default();
            for (k, x) in obj {
                walk(
                    model,
                    &key,
                    &Value::String(k.clone()),
                    &format!("{path}.{k} (key)"),
                    depth + 1,
                    out,
                );
                walk(model, &value, x, &format!("{path}.{k}"), depth + 1, out);
            }
        }
        "string" => {
            let Some(text) = v.as_str() else {
                out.push(format!(
                    "{path}: {name} must be a string, found {}",
                    kind(v)
                ));
                return;
            };
            if let Some(values) = s.get("enum").and_then(Value::as_array) {
                if !values.iter().any(|e| e.as_str() == Some(text)) {
                    out.push(format!("{path}: \"{text}\" is not one of {name}'s values"));
                }
            }
            size(
                path,
                "characters",
                text.chars().count(),
                num("min"),
                num("max"),
                out,
            );
        }
        "integer" | "long" => match v.as_i64().or_else(|| v.as_u64().map(|u| u as i64)) {
            Some(n) if !v.is_f64() => range(path, n as f64, num("min"), num("max"), out),
            _ => out.push(format!(
                "{path}: {name} must be a whole number, found {}",
                kind(v)
            )),
        },
        "double" | "float" => match v.as_f64() {
            Some(n) => range(path, n, num("min"), num("max"), out),
            None => out.push(format!(
                "{path}: {name} must be a number, found {}",
                kind(v)
            )),
        },
        "boolean" => {
            if !v.is_boolean() {
                out.push(format!(
                    "{path}: {name} must be true or false, found {}",
                    kind(v)
                ));
            }
        }
        "timestamp" => {
            if !(v.is_string() || v.is_number()) {
                out.push(format!(
                    "{path}: {name} must be a timestamp, found {}",
                    kind(v)
                ));
            }
        }
        "blob" => {
            if !v.is_string() {
                out.push(format!(
                    "{path}: {name} must be base64 text, found {}",
                    kind(v)
                ));
            }
        }
        other => out.push(format!(
            "{path}: shape {name} has a type this validator does not know: {other:?}"
        )),
    }
}

fn size(
    path: &str,
    unit: &str,
    n: usize,
    min: Option<f64>,
    max: Option<f64>,
    out: &mut Vec<String>,
) {
    if min.is_some_and(|m| (n as f64) < m) {
        out.push(format!(
            "{path}: {n} {unit}, fewer than the minimum {}",
            min.unwrap_or_default()
        ));
    }
    if max.is_some_and(|m| (n as f64) > m) {
        out.push(format!(
            "{path}: {n} {unit}, more than the maximum {}",
            max.unwrap_or_default()
        ));
    }
}

fn range(path: &str, x: f64, min: Option<f64>, max: Option<f64>, out: &mut Vec<String>) {
    if min.is_some_and(|m| x < m) || max.is_some_and(|m| x > m) {
        out.push(format!(
            "{path}: {x} is outside {}..{}",
            min.map_or("".into(), |m| m.to_string()),
            max.map_or("".into(), |m| m.to_string())
        ));
    }
}
