//! YAML text to a JSON value, for CloudFormation templates and docker-compose files.
//!
//! Built on `yaml-rust2`'s event parser (a state machine, no recursion) with our own tree
//! builder, so that hostile input cannot exhaust the stack or the memory:
//! - nesting deeper than [`MAX_DEPTH`] is an error, found while reading (before any deep tree
//!   exists);
//! - anchors and aliases are expanded with a budget of [`MAX_NODES`] nodes ("billion laughs");
//! - merge keys (`<<: *defaults`, common in compose files) are applied;
//! - CloudFormation's short tags (`!Ref X`, `!GetAtt A.B`, `!Sub ...`, `!If [...]`) become the
//!   long JSON form (`{"Ref": "X"}`, `{"Fn::GetAtt": ["A", "B"]}`, ...);
//! - plain scalars are typed with the YAML 1.2 core schema (`null`, `true`, `12`, `1.5`);
//!   quoted ones are strings.
//!
//! The position of every key and value is recorded so notes can say line and column.

use crate::findings::{Finding, JsonPath, PathSeg};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Deepest nesting accepted. Real templates and compose files stay under 20.
pub const MAX_DEPTH: usize = 64;
/// Most nodes a document may expand to (after aliases).
pub const MAX_NODES: usize = 1_000_000;

/// A parsed YAML document and where each path starts (1-based line and column).
#[derive(Debug, Default)]
pub struct Document {
    /// The document as JSON values.
    pub value: Value,
    /// Where each path starts in the text.
    pub spans: HashMap<JsonPath, (u32, u32)>,
}

enum Frame {
    Seq {
        items: Vec<Value>,
        anchor: usize,
        tag: Option<Tag>,
    },
    Map {
        map: Map<String, Value>,
        key: Option<String>,
        /// The key is a plain `<<` (a merge); a quoted `"<<"` is an ordinary key.
        merge_key: bool,
        merges: Vec<Value>,
        anchor: usize,
        tag: Option<Tag>,
    },
}

fn syntax_error(message: impl Into<String>, mark: Option<&Marker>) -> Box<Finding> {
    let mut f = Finding::error("yaml-syntax", JsonPath::root(), message)
        .with_fix("correct the YAML at the given line and column");
    if let Some(m) = mark {
        f.line = Some(m.line() as u32);
        f.column = Some(m.col() as u32 + 1);
    }
    Box::new(f)
}

/// Parses the first YAML document of `text`.
pub fn parse(text: &str) -> Result<Document, Box<Finding>> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Value, usize)> = HashMap::new();
    let mut nodes: usize = 0;
    let mut doc = Document::default();
    let mut root: Option<Value> = None;
    loop {
        let (event, mark) = match parser.next_token() {
            Ok(x) => x,
            Err(e) => {
                return Err(syntax_error(
                    format!("not valid YAML: {}", e.info()),
                    Some(e.marker()),
                ))
            }
        };
        match event {
            Event::StreamEnd => break,
            Event::DocumentEnd if stack.is_empty() && root.is_some() => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => {}
            Event::Alias(id) => {
                let Some((v, size)) = anchors.get(&id) else {
                    return Err(syntax_error(
                        "an alias (*name) refers to an anchor that is not defined",
                        Some(&mark),
                    ));
                };
                nodes += size;
                if nodes > MAX_NODES {
                    return Err(too_big(&mark));
                }
                let v = v.clone();
                record(&mut doc, &stack, &mark, false);
                if let Some(done) = push(&mut stack, v, &mark)? {
                    root = Some(done);
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                nodes += 1;
                if nodes > MAX_NODES {
                    return Err(too_big(&mark));
                }
                let is_key = matches!(stack.last(), Some(Frame::Map { key: None, .. }));
                if is_key {
                    if let Some(Frame::Map { merge_key, .. }) = stack.last_mut() {
                        *merge_key = style == TScalarStyle::Plain && text == "<<";
                    }
                    let path = current_path(&stack, Some(&text));
                    doc.spans
                        .entry(path)
                        .or_insert((mark.line() as u32, mark.col() as u32 + 1));
                } else {
                    record(&mut doc, &stack, &mark, false);
                }
                let v = scalar(text, style, tag.as_ref(), &mark)?;
                if anchor > 0 {
                    anchors.insert(anchor, (v.clone(), 1));
                }
                if let Some(done) = push(&mut stack, v, &mark)? {
                    root = Some(done);
                }
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                let is_seq = matches!(event, Event::SequenceStart(..));
                let tag = tag.clone();
                nodes += 1;
                if nodes > MAX_NODES {
                    return Err(too_big(&mark));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(syntax_error(
                        format!("nested more than {MAX_DEPTH} levels deep; a template or compose file never is"),
                        Some(&mark),
                    ));
                }
                if matches!(stack.last(), Some(Frame::Map { key: None, .. })) {
                    // A complex key (`? [a, b]`): read it like a value; `push` turns it into text.
                    record(&mut doc, &stack, &mark, true);
                } else {
                    record(&mut doc, &stack, &mark, false);
                }
                stack.push(if is_seq {
                    Frame::Seq {
                        items: Vec::new(),
                        anchor,
                        tag,
                    }
                } else {
                    Frame::Map {
                        map: Map::new(),
                        key: None,
                        merge_key: false,
                        merges: Vec::new(),
                        anchor,
                        tag,
                    }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = stack.pop() else {
                    return Err(syntax_error("unbalanced YAML structure", Some(&mark)));
                };
                let (v, anchor, tag) = match frame {
                    Frame::Seq { items, anchor, tag } => (Value::Array(items), anchor, tag),
                    Frame::Map {
                        mut map,
                        merges,
                        anchor,
                        tag,
                        ..
                    } => {
                        apply_merges(&mut map, merges);
                        (Value::Object(map), anchor, tag)
                    }
                };
                let v = match tag {
                    Some(t) => tagged(&t, v),
                    None => v,
                };
                if anchor > 0 {
                    let size = count_nodes(&v);
                    anchors.insert(anchor, (v.clone(), size));
                }
                if let Some(done) = push(&mut stack, v, &mark)? {
                    root = Some(done);
                }
            }
        }
    }
    doc.value = root.unwrap_or(Value::Null);
    Ok(doc)
}

fn too_big(mark: &Marker) -> Box<Finding> {
    syntax_error(
        format!("the document expands to more than {MAX_NODES} values (aliases of aliases?)"),
        Some(mark),
    )
}

/// The path of the node about to be added on top of `stack`.
fn current_path(stack: &[Frame], is_key_text: Option<&str>) -> JsonPath {
    let mut segs = Vec::with_capacity(stack.len());
    for f in stack {
        match f {
            Frame::Seq { items, .. } => segs.push(PathSeg::Index(items.len())),
            Frame::Map { key: Some(k), .. } => segs.push(PathSeg::Key(k.clone())),
            Frame::Map { key: None, .. } => {
                if let Some(k) = is_key_text {
                    segs.push(PathSeg::Key(k.to_string()));
                }
            }
        }
    }
    JsonPath(segs)
}

fn record(doc: &mut Document, stack: &[Frame], mark: &Marker, is_key: bool) {
    // Keys are recorded when their text is known (in `push`); values keep the key's position.
    if is_key {
        return;
    }
    let path = current_path(stack, None);
    doc.spans
        .entry(path)
        .or_insert((mark.line() as u32, mark.col() as u32 + 1));
}

/// Adds a finished node to its parent; returns it when it is the document root.
fn push(stack: &mut [Frame], v: Value, _mark: &Marker) -> Result<Option<Value>, Box<Finding>> {
    match stack.last_mut() {
        None => Ok(Some(v)),
        Some(Frame::Seq { items, .. }) => {
            items.push(v);
            Ok(None)
        }
        Some(Frame::Map {
            map,
            key,
            merge_key,
            merges,
            ..
        }) => {
            match key.take() {
                None => {
                    *key = Some(match v {
                        Value::String(s) => s,
                        Value::Null => String::new(),
                        other => other.to_string(),
                    });
                }
                Some(_) if std::mem::take(merge_key) => merges.push(v),
                Some(k) => {
                    map.insert(k, v);
                }
            }
            Ok(None)
        }
    }
}

/// `<<: *a` or `<<: [*a, *b]`: keys of the merged maps that the map does not set itself.
fn apply_merges(map: &mut Map<String, Value>, merges: Vec<Value>) {
    for m in merges {
        let sources = match m {
            Value::Array(a) => a,
            other => vec![other],
        };
        for s in sources {
            if let Value::Object(o) = s {
                for (k, v) in o {
                    map.entry(k).or_insert(v);
                }
            }
        }
    }
}

fn count_nodes(v: &Value) -> usize {
    let mut n = 0;
    let mut stack = vec![v];
    while let Some(x) = stack.pop() {
        n += 1;
        match x {
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(o) => stack.extend(o.values()),
            _ => {}
        }
    }
    n
}

fn is_core_tag(t: &Tag) -> bool {
    t.handle == "tag:yaml.org,2002:"
}

/// A scalar, typed by its tag or (plain style) by the YAML 1.2 core schema.
fn scalar(
    text: String,
    style: TScalarStyle,
    tag: Option<&Tag>,
    mark: &Marker,
) -> Result<Value, Box<Finding>> {
    if let Some(t) = tag {
        if is_core_tag(t) {
            return Ok(match t.suffix.as_str() {
                "str" | "binary" | "timestamp" => Value::String(text),
                "null" => Value::Null,
                "bool" | "int" | "float" => match plain(&text) {
                    Value::String(_) => {
                        return Err(syntax_error(
                            format!("\"{text}\" is not a valid !!{}", t.suffix),
                            Some(mark),
                        ))
                    }
                    v => v,
                },
                _ => Value::String(text),
            });
        }
        let inner = if style == TScalarStyle::Plain {
            plain(&text)
        } else {
            Value::String(text)
        };
        // `!Ref ""` and `!GetAtt` with an empty scalar still become their intrinsic.
        let inner = if inner.is_null() {
            Value::String(String::new())
        } else {
            inner
        };
        return Ok(tagged(t, inner));
    }
    Ok(if style == TScalarStyle::Plain {
        plain(&text)
    } else {
        Value::String(text)
    })
}

/// YAML 1.2 core schema resolution of a plain scalar.
pub fn plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let b = s.as_bytes();
    let digits = |x: &[u8]| !x.is_empty() && x.iter().all(u8::is_ascii_digit);
    let unsigned = b
        .strip_prefix(b"-")
        .or_else(|| b.strip_prefix(b"+"))
        .unwrap_or(b);
    if digits(unsigned) {
        if let Ok(i) = s.trim_start_matches('+').parse::<i64>() {
            return Value::Number(i.into());
        }
        if let Ok(u) = s.trim_start_matches('+').parse::<u64>() {
            return Value::Number(u.into());
        }
        return Value::String(s.to_string());
    }
    if let Some(h) = s.strip_prefix("0x") {
        if let Ok(i) = i64::from_str_radix(h, 16) {
            return Value::Number(i.into());
        }
    }
    if let Some(o) = s.strip_prefix("0o") {
        if let Ok(i) = i64::from_str_radix(o, 8) {
            return Value::Number(i.into());
        }
    }
    if is_float(unsigned) {
        if let Some(n) = s.parse::<f64>().ok().and_then(Number::from_f64) {
            return Value::Number(n);
        }
    }
    Value::String(s.to_string())
}

/// `[0-9]*(\.[0-9]*)?([eE][-+]?[0-9]+)?` with at least one digit before the exponent.
fn is_float(b: &[u8]) -> bool {
    let mut i = 0;
    let mut mantissa_digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        mantissa_digits += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            mantissa_digits += 1;
        }
    }
    if mantissa_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    i == b.len()
}

/// A node with a local tag: CloudFormation's short forms become their long JSON form; any other
/// local tag is kept the same way (`!Foo x` → `{"Fn::Foo": x}`) so nothing is silently lost.
fn tagged(t: &Tag, v: Value) -> Value {
    if is_core_tag(t) {
        return v;
    }
    let name = t.suffix.trim_start_matches('!');
    let mut m = Map::new();
    match name {
        "Ref" | "Condition" => {
            m.insert(name.to_string(), v);
        }
        "GetAtt" => {
            let v = match v {
                Value::String(s) => match s.split_once('.') {
                    Some((a, b)) => {
                        Value::Array(vec![Value::String(a.into()), Value::String(b.into())])
                    }
                    None => Value::Array(vec![Value::String(s)]),
                },
                other => other,
            };
            m.insert("Fn::GetAtt".into(), v);
        }
        _ => {
            m.insert(format!("Fn::{name}"), v);
        }
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_follow_the_core_schema() {
        let d = parse("a: 1\nb: '1'\nc: 1.5\nd: true\ne: ~\nf: 8080:80\ng: yes\nh: 0x10\ni: 1e3\nj: .5\nk: -7\n").unwrap();
        assert_eq!(
            d.value,
            json!({"a": 1, "b": "1", "c": 1.5, "d": true, "e": null, "f": "8080:80", "g": "yes", "h": 16, "i": 1000.0, "j": 0.5, "k": -7})
        );
    }

    #[test]
    fn cloudformation_short_tags_become_intrinsics() {
        let d = parse("a: !Ref X\nb: !GetAtt Role.Arn\nc: !Sub '${AWS::Region}-x'\nd: !Join [',', [a, !Ref Y]]\ne: !If [C, 1, 2]\n").unwrap();
        assert_eq!(
            d.value,
            json!({
                "a": {"Ref": "X"},
                "b": {"Fn::GetAtt": ["Role", "Arn"]},
                "c": {"Fn::Sub": "${AWS::Region}-x"},
                "d": {"Fn::Join": [",", ["a", {"Ref": "Y"}]]},
                "e": {"Fn::If": ["C", 1, 2]}
            })
        );
    }

    #[test]
    fn merge_keys_and_aliases() {
        let d = parse("x: &d {a: 1, b: 2}\ny:\n  <<: *d\n  b: 3\nz: *d\n").unwrap();
        assert_eq!(
            d.value,
            json!({"x": {"a": 1, "b": 2}, "y": {"a": 1, "b": 3}, "z": {"a": 1, "b": 2}})
        );
        // Only a plain `<<` merges (YAML's merge key type); quoted, it is a key like any other
        // (found by the export's round-trip property test: a key `<<` written as "<<").
        let d = parse("x: &d {a: 1}\ny:\n  \"<<\": *d\nz:\n  '<<': [1]\n").unwrap();
        assert_eq!(
            d.value,
            json!({"x": {"a": 1}, "y": {"<<": {"a": 1}}, "z": {"<<": [1]}})
        );
        let d = parse("\"<<\": [\"<<\", {\"In\": \"<<\"}]\nKey: \"<<\"\n").unwrap();
        assert_eq!(d.value, json!({"<<": ["<<", {"In": "<<"}], "Key": "<<"}));
    }

    #[test]
    fn positions_of_keys_and_items() {
        let d = parse("services:\n  web:\n    image: nginx\n    ports:\n      - 80\n").unwrap();
        let p = JsonPath::parse("services.web.ports[0]").unwrap();
        assert_eq!(d.spans.get(&p).copied(), Some((5, 9)));
        let p = JsonPath::parse("services.web.image").unwrap();
        assert_eq!(d.spans.get(&p).copied(), Some((3, 5)));
    }

    #[test]
    fn hostile_input_is_an_error() {
        assert!(parse(&"[".repeat(100_000)).is_err());
        assert!(parse(&"- ".repeat(10_000)).is_err());
        let laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
        assert!(parse(laughs).is_err());
        assert!(parse("a: *nope").is_err());
        assert!(parse("a: [1, 2").is_err());
    }
}
