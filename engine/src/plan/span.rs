//! Where a JSON path is in the source text, so findings can say "line 12, column 7".
//!
//! serde_json does not keep positions, so this scans the (already parsed, hence valid) text
//! once and records the position of member keys and array elements: of every one ([`new`]), or
//! only of the paths findings name and their ancestors ([`for_paths`]), which keeps locating a
//! few findings in a document of millions of values linear and small.
//!
//! [`new`]: SpanIndex::new
//! [`for_paths`]: SpanIndex::for_paths

use crate::findings::{JsonPath, PathSeg};
use std::collections::{HashMap, HashSet};

/// 1-based line and column (in characters) of every path in a JSON text.
#[derive(Debug, Default)]
pub struct SpanIndex {
    spans: HashMap<JsonPath, (u32, u32)>,
}

enum Frame {
    Object { key: Option<String> },
    Array { next: usize },
}

/// Which paths to record: all, or these (with their ancestors).
struct Wanted(Option<HashSet<Vec<PathSeg>>>);

impl Wanted {
    fn record(&self, spans: &mut HashMap<JsonPath, (u32, u32)>, path: &[PathSeg], at: (u32, u32)) {
        if self.0.as_ref().is_none_or(|w| w.contains(path)) {
            spans.entry(JsonPath(path.to_vec())).or_insert(at);
        }
    }
}

impl SpanIndex {
    /// Indexes every path of `text`. Invalid JSON gives a partial index, never a panic.
    pub fn new(text: &str) -> Self {
        Self::build(text, Wanted(None))
    }

    /// Indexes only `paths` and their ancestors (what [`locate`](Self::locate) falls back to).
    pub fn for_paths<'a>(text: &str, paths: impl IntoIterator<Item = &'a JsonPath>) -> Self {
        let mut wanted = HashSet::new();
        for p in paths {
            for n in 0..=p.0.len() {
                wanted.insert(p.0[..n].to_vec());
            }
        }
        Self::build(text, Wanted(Some(wanted)))
    }

    fn build(text: &str, wanted: Wanted) -> Self {
        let mut spans = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut path: Vec<PathSeg> = Vec::new();
        let (mut line, mut col) = (1u32, 1u32);
        let mut chars = text.chars().peekable();
        // Whether the next string in an object is a key.
        let mut expect_key = false;
        spans.insert(JsonPath::root(), (1, 1));
        while let Some(c) = chars.next() {
            let here = (line, col);
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
            match c {
                '{' | '[' => {
                    if let Some(Frame::Array { next }) = stack.last_mut() {
                        path.push(PathSeg::Index(*next));
                        wanted.record(&mut spans, &path, here);
                        *next += 1;
                    }
                    if c == '{' {
                        stack.push(Frame::Object { key: None });
                        expect_key = true;
                    } else {
                        stack.push(Frame::Array { next: 0 });
                    }
                }
                '}' => {
                    if let Some(Frame::Object { key: Some(_) }) = stack.pop() {
                        path.pop();
                    }
                    if let Some(Frame::Array { .. }) = stack.last() {
                        path.pop();
                    }
                }
                ']' => {
                    stack.pop();
                    if let Some(Frame::Array { .. }) = stack.last() {
                        path.pop();
                    }
                }
                ',' => {
                    if let Some(Frame::Object { key }) = stack.last_mut() {
                        if key.take().is_some() {
                            path.pop();
                        }
                        expect_key = true;
                    }
                }
                '"' => {
                    let mut s = String::new();
                    while let Some(d) = chars.next() {
                        col += 1;
                        match d {
                            '\\' => {
                                if let Some(e) = chars.next() {
                                    col += 1;
                                    s.push(match e {
                                        'n' => '\n',
                                        't' => '\t',
                                        other => other,
                                    });
                                }
                            }
                            '"' => break,
                            '\n' => {
                                line += 1;
                                col = 1;
                                s.push(d)
                            }
                            _ => s.push(d),
                        }
                    }
                    match stack.last_mut() {
                        Some(Frame::Object { key }) if expect_key => {
                            path.push(PathSeg::Key(s.clone()));
                            *key = Some(s);
                            wanted.record(&mut spans, &path, here);
                            expect_key = false;
                        }
                        Some(Frame::Array { next }) => {
                            path.push(PathSeg::Index(*next));
                            wanted.record(&mut spans, &path, here);
                            path.pop();
                            *next += 1;
                        }
                        _ => {}
                    }
                }
                c if c.is_whitespace() || c == ':' => {}
                _ => {
                    // A scalar (number, true, false, null): record array elements.
                    if let Some(Frame::Array { next }) = stack.last_mut() {
                        path.push(PathSeg::Index(*next));
                        wanted.record(&mut spans, &path, here);
                        path.pop();
                        *next += 1;
                    }
                    while let Some(&d) = chars.peek() {
                        if d == ',' || d == '}' || d == ']' || d.is_whitespace() {
                            break;
                        }
                        chars.next();
                        col += 1;
                    }
                }
            }
        }
        SpanIndex { spans }
    }

    /// The position of `path`, or of its nearest ancestor that has one.
    pub fn locate(&self, path: &JsonPath) -> Option<(u32, u32)> {
        let mut p = path.0.clone();
        loop {
            if let Some(s) = self.spans.get(&JsonPath(p.clone())) {
                return Some(*s);
            }
            p.pop()?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_keys_and_elements() {
        let text = "{\n  \"a\": 1,\n  \"b\": [10, {\"c\": \"x\"}],\n  \"d\": {\"e\": [true]}\n}";
        let idx = SpanIndex::new(text);
        let p = |s: &str| JsonPath::parse(s).unwrap();
        assert_eq!(idx.locate(&p("a")), Some((2, 3)));
        assert_eq!(idx.locate(&p("b")), Some((3, 3)));
        assert_eq!(idx.locate(&p("b[0]")), Some((3, 9)));
        assert_eq!(idx.locate(&p("b[1]")), Some((3, 13)));
        assert_eq!(idx.locate(&p("b[1].c")), Some((3, 14)));
        assert_eq!(idx.locate(&p("d.e[0]")), Some((4, 15)));
        // A path that does not exist falls back to its nearest ancestor.
        assert_eq!(idx.locate(&p("d.e[0].zzz")), Some((4, 15)));
    }

    #[test]
    fn only_the_wanted_paths_are_indexed_with_the_same_positions() {
        let text = "{\n  \"a\": 1,\n  \"b\": [10, {\"c\": \"x\"}],\n  \"d\": {\"e\": [true]}\n}";
        let p = |s: &str| JsonPath::parse(s).unwrap();
        let all = SpanIndex::new(text);
        let some = SpanIndex::for_paths(text, &[p("b[1].c"), p("d.e[0].zzz")]);
        for path in ["b[1].c", "b[1]", "b", "d.e[0]", "d.e[0].zzz", "$"] {
            assert_eq!(some.locate(&p(path)), all.locate(&p(path)), "{path}");
        }
        assert_eq!(some.spans.len(), 7, "root, b, b[1], b[1].c, d, d.e, d.e[0]");
        // A million elements, one finding: the index holds its route only.
        let big = format!("[{}]", vec!["1"; 1_000_000].join(","));
        let idx = SpanIndex::for_paths(&big, &[p("[999999]")]);
        assert_eq!(idx.spans.len(), 2);
        assert_eq!(idx.locate(&p("[999999]")), Some((1, 2 + 2 * 999_999)));
    }

    #[test]
    fn escaped_quotes_do_not_confuse_keys() {
        let text = r#"{"a\"b": {"c": 1}, "x": 2}"#;
        let idx = SpanIndex::new(text);
        let p = JsonPath::root().key("x");
        assert_eq!(idx.locate(&p), Some((1, 20)));
    }
}
