//! A small YAML writer for CloudFormation templates: block style, two-space indents, and
//! CloudFormation's short tags for intrinsic functions (`{"Ref": "X"}` → `!Ref X`).
//!
//! Strings are written plain only when every YAML 1.1 and 1.2 reader (cfn-lint uses PyYAML,
//! a 1.1 reader) reads them back as the same string; otherwise they are double-quoted with
//! JSON escapes, which YAML reads the same way.

use serde_json::Value;

/// The YAML text of a value (a mapping at the top), ending with a newline.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(o) if !o.is_empty() && intrinsic(v).is_none() => block_map(&mut out, o, 0),
        Value::Array(a) if !a.is_empty() => block_seq(&mut out, a, 0),
        other => {
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
    out
}

fn intrinsic(v: &Value) -> Option<(&str, &Value)> {
    crate::schema::cloudformation::intrinsic(v)
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Whether `v` is written on the line of its key or dash.
fn is_inline(v: &Value) -> bool {
    match v {
        Value::Object(o) => o.is_empty() || intrinsic(v).is_some(),
        Value::Array(a) => {
            a.is_empty()
                || a.iter()
                    .all(|x| !x.is_array() && !x.is_object() || intrinsic(x).is_some())
                    && a.len() <= 8
                    && inline(v).len() <= 80
        }
        _ => true,
    }
}

fn block_map(out: &mut String, o: &serde_json::Map<String, Value>, indent: usize) {
    for (k, v) in o {
        pad(out, indent);
        out.push_str(&scalar_str(k));
        out.push(':');
        value_after_key(out, v, indent);
    }
}

fn value_after_key(out: &mut String, v: &Value, indent: usize) {
    if is_inline(v) {
        out.push(' ');
        out.push_str(&inline(v));
        out.push('\n');
        return;
    }
    out.push('\n');
    match v {
        Value::Object(o) => block_map(out, o, indent + 2),
        Value::Array(a) => block_seq(out, a, indent + 2),
        _ => unreachable!("scalars are inline"),
    }
}

fn block_seq(out: &mut String, a: &[Value], indent: usize) {
    for item in a {
        pad(out, indent);
        out.push('-');
        if is_inline(item) {
            out.push(' ');
            out.push_str(&inline(item));
            out.push('\n');
            continue;
        }
        match item {
            Value::Object(o) => {
                // The first member on the dash's line, the others below it.
                let mut first = true;
                for (k, v) in o {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        pad(out, indent + 2);
                    }
                    out.push_str(&scalar_str(k));
                    out.push(':');
                    value_after_key(out, v, indent + 2);
                }
            }
            Value::Array(inner) => {
                out.push('\n');
                block_seq(out, inner, indent + 2);
            }
            _ => unreachable!("scalars are inline"),
        }
    }
}

/// A value in flow style (scalars, intrinsics, short lists, empty collections).
pub fn inline(v: &Value) -> String {
    if let Some((name, arg)) = intrinsic(v) {
        let tag = match name {
            "Ref" | "Condition" => name.to_string(),
            n => n.trim_start_matches("Fn::").to_string(),
        };
        return match (tag.as_str(), arg) {
            ("GetAtt", Value::Array(parts))
                if parts
                    .iter()
                    .all(|p| p.as_str().is_some_and(|s| !s.contains(' '))) =>
            {
                let s: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
                format!("!GetAtt {}", s.join("."))
            }
            (t, Value::String(s)) => format!("!{t} {}", scalar_str(s)),
            (t, other) => format!("!{t} {}", flow(other)),
        };
    }
    flow(v)
}

fn flow(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar_str(s),
        Value::Array(a) => format!("[{}]", a.iter().map(inline).collect::<Vec<_>>().join(", ")),
        Value::Object(o) if intrinsic(v).is_some() => inline(v),
        Value::Object(o) => format!(
            "{{{}}}",
            o.iter()
                .map(|(k, x)| format!("{}: {}", scalar_str(k), inline(x)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A string as a YAML scalar: plain when that is unambiguous, else double-quoted.
pub fn scalar_str(s: &str) -> String {
    if plain_ok(s) {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    }
}

fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == '/' || first == '_')
        || !s.chars().any(|c| c.is_ascii_alphanumeric())
    {
        return false;
    }
    if s.ends_with([' ', ':']) || s.contains(": ") || s.contains(" #") {
        return false;
    }
    // An indicator after a space (`a -` before a flow sequence's comma) is read as the start
    // of a new item by some parsers, ours included: quote it.
    if s.contains(" -") || s.contains(" ?") || s.contains(" :") {
        return false;
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " _./:=@+-()*?$".contains(c))
    {
        return false;
    }
    // Words YAML 1.1 or 1.2 read as null, booleans or numbers.
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | ".inf" | ".nan"
    ) {
        return false;
    }
    // `${...}` is fine in plain scalars, but keep Sub templates and the like quoted.
    !s.contains("${")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_block_yaml_with_short_tags() {
        let v = json!({
            "Resources": {
                "Svc": {
                    "Type": "AWS::ECS::Service",
                    "DependsOn": ["A"],
                    "Properties": {
                        "Cluster": {"Ref": "Cluster"},
                        "Cpu": "256",
                        "Answer": "yes",
                        "Empty": [],
                        "Id": {"Fn::Join": ["/", ["service", {"Ref": "Cluster"}, {"Fn::GetAtt": ["Svc", "Name"]}]]},
                        "List": [{"A": 1, "B": [1, 2]}, "x: y"],
                    }
                }
            }
        });
        // Found by the round-trip property test: `[a -, b]` is not read back.
        assert_eq!(scalar_str("a -"), "\"a -\"");
        assert_eq!(scalar_str("Z/ :Z -"), "\"Z/ :Z -\"");
        assert_eq!(scalar_str("a-b c"), "a-b c");
        let y = to_yaml(&v);
        assert_eq!(
            y,
            "Resources:\n  Svc:\n    Type: AWS::ECS::Service\n    DependsOn: [A]\n    Properties:\n      Cluster: !Ref Cluster\n      Cpu: \"256\"\n      Answer: \"yes\"\n      Empty: []\n      Id: !Join [\"/\", [service, !Ref Cluster, !GetAtt Svc.Name]]\n      List:\n        - A: 1\n          B: [1, 2]\n        - \"x: y\"\n"
        );
        // Our own reader reads it back to the same value.
        let back = crate::import::yaml::parse(&y).unwrap().value;
        assert_eq!(back, v);
    }
}
