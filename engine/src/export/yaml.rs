//! A small YAML writer for CloudFormation templates: block style, two-space indents, and
//! CloudFormation's short tags for intrinsic functions (`{"Ref": "X"}` → `!Ref X`).
//!
//! Strings are written plain only when every YAML 1.1 and 1.2 reader (cfn-lint uses PyYAML,
//! a 1.1 reader) reads them back as the same string; otherwise they are double-quoted, with
//! every character YAML does not allow raw, or reads as a line break, escaped (see
//! [`double_quoted`]).

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
        double_quoted(s)
    }
}

/// A double-quoted YAML scalar that every reader reads back as `s`. Escaped: `"` and `\`,
/// the characters outside YAML's printable set (C0 controls, DEL, the C1 controls, U+FFFE,
/// U+FFFF), the line breaks YAML 1.1 knows beyond CR and LF (NEL, U+2028, U+2029: written raw,
/// a reader folds them into a space) and the byte order mark (a reader may drop it).
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{b}' => out.push_str("\\v"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\u{1b}' => out.push_str("\\e"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if (c as u32) < 0x20 || ('\u{7f}'..='\u{9f}').contains(&c) => {
                out.push_str(&format!("\\x{:02X}", c as u32))
            }
            '\u{feff}' | '\u{fffe}' | '\u{ffff}' => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
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
    use proptest::prelude::*;
    use serde_json::json;

    /// What the planner's own YAML reader (the CloudFormation importer's) reads back.
    fn read_back(v: &Value) -> Value {
        let y = to_yaml(v);
        crate::import::yaml::parse(&y)
            .unwrap_or_else(|e| panic!("{y:?} does not parse: {e:?}"))
            .value
    }

    #[test]
    fn controls_and_line_breaks_are_escaped() {
        for (s, written) in [
            ("a\u{7f}b", "\"a\\x7Fb\""),
            ("\u{85}", "\"\\N\""),
            ("\u{9b}[31m", "\"\\x9B[31m\""),
            ("\u{2028}\u{2029}", "\"\\L\\P\""),
            ("\u{fffe}\u{ffff}\u{feff}", "\"\\uFFFE\\uFFFF\\uFEFF\""),
            ("\u{1b}[2J\u{7}\0\r", "\"\\e[2J\\a\\0\\r\""),
            ("tab\there", "\"tab\\there\""),
        ] {
            assert_eq!(scalar_str(s), written);
            let v = json!({"Name": s, s: [s]});
            assert_eq!(read_back(&v), v, "{s:?}");
        }
        // Printable text outside ASCII stays readable.
        assert_eq!(scalar_str("café ☕ 𝄞"), "\"café ☕ 𝄞\"");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// Any string, as a value and as a key, reads back the same.
        #[test]
        fn any_string_round_trips(s in any::<String>(), t in "[\\x00-\\x{a0}\\x{2028}\\x{2029}\\x{fffe}\\x{ffff}\\x{feff} a:#-]{0,12}") {
            for x in [&s, &t] {
                let v = json!({"Key": x, x.as_str(): [x, {"In": x}]});
                prop_assert_eq!(read_back(&v), v);
            }
        }
    }

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
