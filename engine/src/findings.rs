//! Findings: what the engine reports about a plan (parse errors, schema problems, broken
//! references, and later the task-definition and service rules).
//!
//! One shape for every problem so the CLI, the UI and tests treat them alike: a rule code, a
//! severity, where (JSON path, and line/column when the plan came from text), what is wrong and
//! how to fix it, and the AWS page the rule comes from.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

/// How bad a finding is. Errors make a plan unusable (the CLI exits 1); warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The plan is invalid: AWS would refuse it, or the planner cannot compute it.
    Error,
    /// Valid, but probably not what the author meant, or AWS would behave surprisingly.
    Warning,
    /// Worth knowing: a default the planner assumed, a member it does not simulate.
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// A location in a JSON document, as a list of object keys and array indices.
///
/// Displayed the way people write it: `services[0].placementConstraints[1].expression`; the
/// document root is `$`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JsonPath(pub Vec<PathSeg>);

/// One step of a [`JsonPath`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathSeg {
    /// A member of an object.
    Key(String),
    /// An element of an array.
    Index(usize),
}

impl JsonPath {
    /// The whole document (`$`).
    pub fn root() -> Self {
        JsonPath(Vec::new())
    }

    /// This path extended by an object key.
    pub fn key(&self, k: &str) -> Self {
        let mut v = self.0.clone();
        v.push(PathSeg::Key(k.to_string()));
        JsonPath(v)
    }

    /// This path extended by an array index.
    pub fn index(&self, i: usize) -> Self {
        let mut v = self.0.clone();
        v.push(PathSeg::Index(i));
        JsonPath(v)
    }

    /// Parses the display form back (`a.b[2].c`, or `$` for the root). Keys containing `.` or
    /// `[` are written quoted: `attributes["ecs.os-type"]`.
    pub fn parse(s: &str) -> Option<JsonPath> {
        let s = s.strip_prefix('$').unwrap_or(s);
        let mut segs = Vec::new();
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'.' => i += 1,
                b'[' => {
                    let end = s[i..].find(']')? + i;
                    let inner = &s[i + 1..end];
                    if let Some(q) = inner.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
                        segs.push(PathSeg::Key(q.replace("\\\"", "\"")));
                    } else {
                        segs.push(PathSeg::Index(inner.parse().ok()?));
                    }
                    i = end + 1;
                }
                _ => {
                    let end = s[i..].find(['.', '[']).map(|e| e + i).unwrap_or(s.len());
                    segs.push(PathSeg::Key(s[i..end].to_string()));
                    i = end;
                }
            }
        }
        Some(JsonPath(segs))
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("$");
        }
        for (n, seg) in self.0.iter().enumerate() {
            match seg {
                PathSeg::Index(i) => write!(f, "[{i}]")?,
                PathSeg::Key(k) if k.is_empty() || k.contains(['.', '[', ']', '"']) => {
                    write!(f, "[\"{}\"]", k.replace('"', "\\\""))?
                }
                PathSeg::Key(k) => {
                    if n > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?
                }
            }
        }
        Ok(())
    }
}

impl Serialize for JsonPath {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for JsonPath {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        JsonPath::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("bad JSON path {s:?}")))
    }
}

/// One problem (or remark) about a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// Stable rule code, e.g. `unknown-field`, `fargate-cpu-memory`.
    pub code: String,
    /// How bad it is: an error means AWS would refuse the plan or the planner cannot compute it.
    pub severity: Severity,
    /// Where in the plan (or the imported file) the problem is.
    pub path: JsonPath,
    /// 1-based line and column of `path` in the source text, when the plan came from text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// 1-based column of `path` in the source text, with `line`.
    pub column: Option<u32>,
    /// One line: what is wrong.
    pub message: String,
    /// One line: how to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// The AWS documentation page the rule comes from (file name in the ECS Developer Guide or
    /// an API reference shape), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
}

impl Finding {
    /// A finding of severity error.
    pub fn error(code: &str, path: JsonPath, message: impl Into<String>) -> Self {
        Finding {
            code: code.to_string(),
            severity: Severity::Error,
            path,
            line: None,
            column: None,
            message: message.into(),
            fix: None,
            doc: None,
        }
    }

    /// A finding of severity warning.
    pub fn warning(code: &str, path: JsonPath, message: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(code, path, message)
        }
    }

    /// A finding of severity info.
    pub fn info(code: &str, path: JsonPath, message: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Info,
            ..Finding::error(code, path, message)
        }
    }

    /// With how to fix it, in words.
    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// With the AWS page that states the rule.
    pub fn with_doc(mut self, doc: impl Into<String>) -> Self {
        self.doc = Some(doc.into());
        self
    }

    /// Whether it is an error (not a warning or a note).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The finding on one line after the file it is in, as compilers write it, with its
    /// position once: `plan.json:12:5: error [code] path: message Fix: ...` (`plan.json: ...`
    /// without a position). [`Finding`]'s `Display` says `(line 12, column 5)` instead, for
    /// where no file is named.
    pub fn in_file(&self, file: &str) -> String {
        let mut s = String::from(file);
        if let (Some(l), Some(c)) = (self.line, self.column) {
            s.push_str(&format!(":{l}:{c}"));
        }
        s.push_str(&format!(
            ": {} [{}] {}: {}",
            self.severity, self.code, self.path, self.message
        ));
        if let Some(fix) = &self.fix {
            s.push_str(&format!(" Fix: {fix}"));
        }
        s
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}] {}", self.severity, self.code, self.path)?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, " (line {l}, column {c})")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(fix) = &self.fix {
            write!(f, " Fix: {fix}")?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// The value a path leads to in a JSON document

/// The value at `path` in `v`.
pub fn value_at<'a>(v: &'a Value, path: &JsonPath) -> Option<&'a Value> {
    path.0.iter().try_fold(v, |cur, seg| match seg {
        PathSeg::Key(k) => cur.get(k.as_str()),
        PathSeg::Index(i) => cur.get(*i),
    })
}

/// The value at `path` in `v`, mutably.
pub fn value_at_mut<'a>(v: &'a mut Value, path: &JsonPath) -> Option<&'a mut Value> {
    path.0.iter().try_fold(v, |cur, seg| match seg {
        PathSeg::Key(k) => cur.get_mut(k.as_str()),
        PathSeg::Index(i) => cur.get_mut(*i),
    })
}

/// Sets (`Some`) or removes (`None`) the value at `path`. Missing objects on the way are
/// created; a list index may be one past the end (the value is appended). Returns whether the
/// path could be reached.
pub fn set_value_at(v: &mut Value, path: &JsonPath, new: Option<Value>) -> bool {
    let Some((last, init)) = path.0.split_last() else {
        return match new {
            Some(n) => {
                *v = n;
                true
            }
            None => false,
        };
    };
    let mut cur = v;
    for (n, seg) in init.iter().enumerate() {
        let next_is_index = matches!(path.0.get(n + 1), Some(PathSeg::Index(_)));
        cur = match seg {
            PathSeg::Key(k) => {
                if cur.is_null() && new.is_some() {
                    *cur = Value::Object(Map::new());
                }
                let Some(obj) = cur.as_object_mut() else {
                    return false;
                };
                if !obj.contains_key(k) {
                    if new.is_none() {
                        return true;
                    }
                    let empty = if next_is_index {
                        Value::Array(Vec::new())
                    } else {
                        Value::Object(Map::new())
                    };
                    obj.insert(k.clone(), empty);
                }
                match obj.get_mut(k) {
                    Some(x) => x,
                    None => return false,
                }
            }
            PathSeg::Index(i) => match cur.get_mut(*i) {
                Some(x) => x,
                None => return false,
            },
        };
    }
    match (last, new) {
        (PathSeg::Key(k), Some(n)) => {
            if cur.is_null() {
                *cur = Value::Object(Map::new());
            }
            match cur.as_object_mut() {
                Some(o) => {
                    o.insert(k.clone(), n);
                    true
                }
                None => false,
            }
        }
        (PathSeg::Key(k), None) => {
            if let Some(o) = cur.as_object_mut() {
                o.shift_remove(k);
            }
            true
        }
        (PathSeg::Index(i), Some(n)) => match cur.as_array_mut() {
            Some(a) if *i < a.len() => {
                a[*i] = n;
                true
            }
            Some(a) if *i == a.len() => {
                a.push(n);
                true
            }
            _ => false,
        },
        (PathSeg::Index(i), None) => match cur.as_array_mut() {
            Some(a) if *i < a.len() => {
                a.remove(*i);
                true
            }
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_finding_in_a_file_gives_its_position_once() {
        let mut f = Finding::error(
            "wrong-type",
            JsonPath::root()
                .key("services")
                .index(0)
                .key("desiredCount"),
            "expected a whole number",
        )
        .with_fix("remove the quotes: 2");
        assert_eq!(
            f.in_file("p.json"),
            "p.json: error [wrong-type] services[0].desiredCount: expected a whole number Fix: remove the quotes: 2"
        );
        (f.line, f.column) = (Some(3), Some(54));
        assert_eq!(
            f.in_file("p.json"),
            "p.json:3:54: error [wrong-type] services[0].desiredCount: expected a whole number Fix: remove the quotes: 2"
        );
        assert!(f.to_string().contains("(line 3, column 54)"));
    }
    use super::*;

    #[test]
    fn path_display_and_parse_round_trip() {
        let p = JsonPath::root()
            .key("services")
            .index(0)
            .key("placementConstraints")
            .index(1)
            .key("expression");
        assert_eq!(
            p.to_string(),
            "services[0].placementConstraints[1].expression"
        );
        assert_eq!(JsonPath::parse(&p.to_string()), Some(p));
        let q = JsonPath::root().key("attributes").key("ecs.os-type");
        assert_eq!(q.to_string(), "attributes[\"ecs.os-type\"]");
        assert_eq!(JsonPath::parse(&q.to_string()), Some(q));
        assert_eq!(JsonPath::root().to_string(), "$");
        assert_eq!(JsonPath::parse("$"), Some(JsonPath::root()));
    }
}
