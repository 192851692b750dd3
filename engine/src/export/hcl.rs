//! A small HCL (Terraform) writer: blocks, attributes and expressions, with strings escaped
//! for HCL's quoted templates (`"`, `\`, control characters, and `${`/`%{` doubled so they
//! stay literal).

use serde_json::Value;

/// An HCL expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Written as is: references (`aws_ecs_cluster.this.id`) and function calls.
    Raw(String),
    Str(String),
    Num(String),
    Bool(bool),
    Null,
    List(Vec<Expr>),
    /// An object constructor `{ key = value }`, keys in the given order.
    Object(Vec<(String, Expr)>),
}

/// A body item.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Attr(String, Expr),
    Block(String, Vec<String>, Vec<Item>),
    Comment(String),
}

impl Expr {
    /// A JSON value as an HCL expression (for `jsonencode(...)` and maps).
    pub fn from_json(v: &Value) -> Expr {
        match v {
            Value::Null => Expr::Null,
            Value::Bool(b) => Expr::Bool(*b),
            Value::Number(n) => Expr::Num(n.to_string()),
            Value::String(s) => Expr::Str(s.clone()),
            Value::Array(a) => Expr::List(a.iter().map(Expr::from_json).collect()),
            Value::Object(o) => Expr::Object(
                o.iter()
                    .map(|(k, x)| (k.clone(), Expr::from_json(x)))
                    .collect(),
            ),
        }
    }

    pub fn str(s: impl Into<String>) -> Expr {
        Expr::Str(s.into())
    }

    pub fn raw(s: impl Into<String>) -> Expr {
        Expr::Raw(s.into())
    }
}

/// A quoted HCL string.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `s` can be written bare as an attribute or object key.
pub fn is_identifier(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// An attribute name or object key: bare when it is a plain identifier (no `-`, which some
/// readers take for subtraction in object keys), else quoted.
fn key(s: &str) -> String {
    if is_identifier(s)
        && !s.contains('-')
        && !matches!(s, "true" | "false" | "null" | "for" | "in" | "if")
    {
        s.to_string()
    } else {
        quote(s)
    }
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn simple(e: &Expr) -> bool {
    !matches!(e, Expr::List(_) | Expr::Object(_))
}

/// Writes an expression; nested lists and objects go over several lines.
pub fn write_expr(out: &mut String, e: &Expr, indent: usize) {
    match e {
        Expr::Raw(s) | Expr::Num(s) => out.push_str(s),
        Expr::Str(s) => out.push_str(&quote(s)),
        Expr::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Expr::Null => out.push_str("null"),
        Expr::List(items) if items.is_empty() => out.push_str("[]"),
        Expr::List(items) if items.iter().all(simple) && items.len() <= 6 => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(out, x, indent);
            }
            out.push(']');
        }
        Expr::List(items) => {
            out.push_str("[\n");
            for x in items {
                pad(out, indent + 2);
                write_expr(out, x, indent + 2);
                out.push_str(",\n");
            }
            pad(out, indent);
            out.push(']');
        }
        Expr::Object(members) if members.is_empty() => out.push_str("{}"),
        Expr::Object(members) => {
            out.push_str("{\n");
            for (k, x) in members {
                pad(out, indent + 2);
                out.push_str(&key(k));
                out.push_str(" = ");
                write_expr(out, x, indent + 2);
                out.push('\n');
            }
            pad(out, indent);
            out.push('}');
        }
    }
}

/// Writes body items at `indent`.
pub fn write_items(out: &mut String, items: &[Item], indent: usize) {
    for item in items {
        match item {
            Item::Attr(k, e) => {
                pad(out, indent);
                out.push_str(&key(k));
                out.push_str(" = ");
                write_expr(out, e, indent);
                out.push('\n');
            }
            Item::Comment(c) => {
                for line in c.lines() {
                    pad(out, indent);
                    out.push_str("# ");
                    out.push_str(line);
                    out.push('\n');
                }
            }
            Item::Block(name, labels, body) => {
                pad(out, indent);
                out.push_str(name);
                for l in labels {
                    out.push(' ');
                    out.push_str(&quote(l));
                }
                if body.is_empty() {
                    out.push_str(" {}\n");
                    continue;
                }
                out.push_str(" {\n");
                write_items(out, body, indent + 2);
                pad(out, indent);
                out.push_str("}\n");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_for_templates() {
        assert_eq!(
            quote("a\"b\\c\n${x} %{y} $z 100%"),
            "\"a\\\"b\\\\c\\n$${x} %%{y} $z 100%\""
        );
        assert_eq!(quote("\u{1}"), "\"\\u0001\"");
    }

    #[test]
    fn writes_blocks_and_expressions() {
        let items = vec![Item::Block(
            "resource".into(),
            vec!["aws_x".into(), "a".into()],
            vec![
                Item::Attr("name".into(), Expr::str("n")),
                Item::Attr(
                    "tags".into(),
                    Expr::Object(vec![("team.name".into(), Expr::str("x"))]),
                ),
                Item::Block(
                    "inner".into(),
                    vec![],
                    vec![Item::Attr("n".into(), Expr::Num("1".into()))],
                ),
            ],
        )];
        let mut s = String::new();
        write_items(&mut s, &items, 0);
        assert_eq!(s, "resource \"aws_x\" \"a\" {\n  name = \"n\"\n  tags = {\n    \"team.name\" = \"x\"\n  }\n  inner {\n    n = 1\n  }\n}\n");
    }
}
