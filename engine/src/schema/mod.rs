//! The shapes a plan is made of, and a generic checker for them.
//!
//! AWS request shapes (RegisterTaskDefinition, CreateService, RunTask, CreateCapacityProvider,
//! the Application Auto Scaling requests, the Auto Scaling group) are kept in
//! `aws-shapes.json`: the AWS API model's member names, types, enums, required members and
//! ranges, condensed into the planner's own compact format by [`botocore::condense`]. A test
//! regenerates it from the official model in the shared fixtures and fails if the two differ.
//! The planner's own shapes (the plan, the cluster, container instances, ...) are written by
//! hand in `plan-shapes.json` in the same format and may extend an AWS shape with extra members.
//!
//! [`check`] walks a JSON value against a shape and reports, with JSON paths, every unknown
//! member (with a "did you mean"), wrong type, invalid enum value, missing required member and
//! out-of-range number or length. Members AWS defines but the engine does not use pass the
//! check and are kept as they are.

pub mod botocore;
pub mod cloudformation;

use crate::findings::{Finding, JsonPath};
use crate::sort::map_of;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Members of botocore's `TaskDefinition` (what DescribeTaskDefinition returns) that the
/// RegisterTaskDefinition request does not take, and why. A conformance test checks this list
/// against the official model: it must be exactly `TaskDefinition` minus
/// `RegisterTaskDefinitionRequest`.
pub const READ_ONLY_TASK_DEFINITION_MEMBERS: &[(&str, &str)] = &[
    (
        "taskDefinitionArn",
        "AWS assigns the ARN when the task definition is registered",
    ),
    ("revision", "AWS numbers revisions when they are registered"),
    (
        "status",
        "AWS sets the status (ACTIVE, INACTIVE, DELETE_IN_PROGRESS)",
    ),
    (
        "requiresAttributes",
        "AWS derives the container instance attributes from the container definitions",
    ),
    (
        "compatibilities",
        "AWS derives the compatible launch types; `requiresCompatibilities` is what you set",
    ),
    (
        "registeredAt",
        "AWS records when the revision was registered",
    ),
    ("registeredBy", "AWS records who registered the revision"),
    (
        "deregisteredAt",
        "AWS records when the revision was deregistered",
    ),
    (
        "deleteRequestedAt",
        "AWS records when deletion was requested",
    ),
];

/// One shape of the condensed model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Shape {
    /// An object with named members (botocore `structure`).
    Structure {
        /// Member name → shape name.
        members: BTreeMap<String, String>,
        /// `None` keeps the extended shape's required list.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        required: Option<Vec<String>>,
        /// A shape whose members this one has too (plan shapes built on AWS requests).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        extends: Option<String>,
    },
    /// An array (botocore `list`).
    List {
        /// The shape of its items.
        member: String,
        /// Fewest items.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<u64>,
        /// Most items.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u64>,
    },
    /// An object keyed by strings (botocore `map`).
    Map {
        /// The shape of its keys.
        key: String,
        /// The shape of its values.
        value: String,
    },
    /// Text (botocore `string`).
    String {
        /// The values allowed (botocore `enum`), when limited.
        #[serde(rename = "enum", default, skip_serializing_if = "Option::is_none")]
        values: Option<Vec<String>>,
        /// Shortest length, in characters.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<u64>,
        /// Longest length, in characters.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u64>,
    },
    /// A whole number (botocore `integer` and `long`).
    Integer {
        /// Smallest value.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        /// Largest value.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
    /// A number (botocore `float` and `double`).
    Number {
        /// Smallest value.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        /// Largest value.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
    /// `true` or `false`.
    Boolean,
    /// ISO 8601 text or seconds since the epoch.
    Timestamp,
    /// Base64 text.
    Blob,
    /// Anything; checked elsewhere (e.g. the workload, checked by the simulator).
    Any,
}

/// One shape of a shapes file (`{"type": "list", "member": ...}`), as its serde derive reads it.
fn shape_of(v: &Value) -> Option<Shape> {
    let o = v.as_object()?;
    let text = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_string);
    let whole = |k: &str| o.get(k).and_then(Value::as_u64);
    let number = |k: &str| o.get(k).and_then(Value::as_f64);
    let texts = |k: &str| {
        o.get(k).and_then(Value::as_array).map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect::<Vec<_>>()
        })
    };
    Some(match o.get("type")?.as_str()? {
        "structure" => Shape::Structure {
            members: o
                .get("members")?
                .as_object()?
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect(),
            required: texts("required"),
            extends: text("extends"),
        },
        "list" => Shape::List {
            member: text("member")?,
            min: whole("min"),
            max: whole("max"),
        },
        "map" => Shape::Map {
            key: text("key")?,
            value: text("value")?,
        },
        "string" => Shape::String {
            values: texts("enum"),
            min: whole("min"),
            max: whole("max"),
        },
        "integer" => Shape::Integer {
            min: number("min"),
            max: number("max"),
        },
        "number" => Shape::Number {
            min: number("min"),
            max: number("max"),
        },
        "boolean" => Shape::Boolean,
        "timestamp" => Shape::Timestamp,
        "blob" => Shape::Blob,
        "any" => Shape::Any,
        _ => return None,
    })
}

/// An API member name as the Terraform AWS provider spells it: `enableECSManagedTags` →
/// `enable_ecs_managed_tags`, `TargetValue` → `target_value` (used by export and import).
pub fn snake(s: &str) -> String {
    if let Some(x) = SNAKE_EXCEPTIONS.iter().find(|(a, _)| *a == s) {
        return x.1.to_string();
    }
    let cs: Vec<char> = s.chars().collect();
    let mut out = String::new();
    for (i, &c) in cs.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = if i > 0 { Some(cs[i - 1]) } else { None };
            let next = cs.get(i + 1).copied();
            let boundary = match prev {
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                _ => false,
            };
            if boundary {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

const SNAKE_EXCEPTIONS: &[(&str, &str)] = &[("sizeInGiB", "size_in_gib"), ("iam", "iam")];

/// All shapes, AWS's and the plan's, by name (`ecs:PortMapping`, `plan:Cluster`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Shapes(pub BTreeMap<String, Shape>);

/// The condensed AWS model shipped with the engine.
pub const AWS_SHAPES_JSON: &str = include_str!("aws-shapes.json");
const PLAN_SHAPES_JSON: &str = include_str!("plan-shapes.json");

impl Shapes {
    /// AWS shapes plus plan shapes, parsed once.
    pub fn builtin() -> &'static Shapes {
        static SHAPES: OnceLock<Shapes> = OnceLock::new();
        SHAPES.get_or_init(|| {
            let mut all = Shapes::read(AWS_SHAPES_JSON);
            let plan = Shapes::read(PLAN_SHAPES_JSON);
            all.0.extend(plan.0);
            all.flattened()
        })
    }

    /// The shipped shapes files, read member by member. serde's derive would do the same,
    /// but an internally tagged enum compiles eleven deserializer copies into the page's wasm
    /// (19 KB, docs/performance.md); a test checks both readings agree on both files.
    fn read(text: &str) -> Shapes {
        let all: Value = serde_json::from_str(text).unwrap_or_default();
        let entries = all.as_object().into_iter().flatten();
        Shapes(
            entries
                .filter_map(|(name, v)| Some((name.clone(), shape_of(v)?)))
                .collect(),
        )
    }

    /// The same shapes with every `extends` resolved, so checking a structure needs no
    /// merging (the checker runs on every keystroke in the UI).
    pub fn flattened(&self) -> Shapes {
        let mut out = self.clone();
        for (name, shape) in out.0.iter_mut() {
            if let Shape::Structure {
                extends: Some(_), ..
            } = shape
            {
                if let Some((members, required)) = self.structure(name) {
                    *shape = Shape::Structure {
                        members: members
                            .into_iter()
                            .map(|(k, v)| (k.to_string(), v.to_string()))
                            .collect(),
                        required: Some(required.into_iter().map(str::to_string).collect()),
                        extends: None,
                    };
                }
            }
        }
        out
    }

    /// The shape named `name`, if the model has it.
    pub fn get(&self, name: &str) -> Option<&Shape> {
        self.0.get(name)
    }

    /// Members of a structure including those it extends, and its required list.
    pub fn structure(&self, name: &str) -> Option<(BTreeMap<&str, &str>, Vec<&str>)> {
        match self.get(name)? {
            Shape::Structure {
                members,
                required,
                extends,
            } => {
                let (mut all, parent_required) = match extends {
                    Some(p) => self.structure(p)?,
                    None => (BTreeMap::new(), Vec::new()),
                };
                for (k, v) in members {
                    all.insert(k.as_str(), v.as_str());
                }
                let req = match required {
                    Some(r) => r.iter().map(|s| s.as_str()).collect(),
                    None => parent_required,
                };
                Some((all, req))
            }
            _ => None,
        }
    }

    /// Member names of a structure, for "did you mean" and editors.
    pub fn member_names(&self, name: &str) -> Vec<&str> {
        self.structure(name)
            .map(|(m, _)| m.into_keys().collect())
            .unwrap_or_default()
    }

    /// The allowed values of an enum string shape.
    pub fn enum_values(&self, name: &str) -> Option<&[String]> {
        match self.get(name)? {
            Shape::String {
                values: Some(v), ..
            } => Some(v),
            _ => None,
        }
    }

    /// The shape name a JSON path leads to, starting from `root` (for editors and tests).
    pub fn shape_at(&self, root: &str, path: &JsonPath) -> Option<String> {
        use crate::findings::PathSeg;
        let mut cur = root.to_string();
        for seg in &path.0 {
            cur = match (self.get(&cur)?, seg) {
                (Shape::Structure { .. }, PathSeg::Key(k)) => {
                    self.structure(&cur)?.0.get(k.as_str())?.to_string()
                }
                (Shape::List { member, .. }, PathSeg::Index(_)) => member.clone(),
                (Shape::Map { value, .. }, PathSeg::Key(_)) => value.clone(),
                _ => return None,
            };
        }
        Some(cur)
    }
}

/// Checks `value` against the shape named `shape`, appending findings for every problem.
pub fn check(value: &Value, shape: &str, path: &JsonPath, out: &mut Vec<Finding>) {
    check_with(Shapes::builtin(), value, shape, path, out)
}

/// [`check`] against an explicit set of shapes.
pub fn check_with(
    shapes: &Shapes,
    value: &Value,
    shape: &str,
    path: &JsonPath,
    out: &mut Vec<Finding>,
) {
    walk(shapes, value, shape, &At::Base(path), out)
}

/// Where the walk is, built as a chain on the stack and turned into a [`JsonPath`] only when a
/// finding needs it (most values have none).
enum At<'a> {
    Base(&'a JsonPath),
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl At<'_> {
    fn path(&self) -> JsonPath {
        match self {
            At::Base(p) => (*p).clone(),
            At::Key(parent, k) => parent.path().key(k),
            At::Index(parent, i) => parent.path().index(*i),
        }
    }
}

fn walk(shapes: &Shapes, value: &Value, shape: &str, at: &At, out: &mut Vec<Finding>) {
    let Some(def) = shapes.get(shape) else {
        // A shape missing from the table is a bug in the planner, not in the plan; accept the
        // value rather than reject what the user wrote.
        return;
    };
    let display = display_name(shape);
    match def {
        Shape::Structure {
            members,
            required,
            extends,
        } => {
            let Value::Object(obj) = value else {
                out.push(type_error(&at.path(), "an object", value, display));
                return;
            };
            if extends.is_some() {
                // Not flattened (a caller's own shapes): merge once here.
                let (members, required) = shapes.structure(shape).unwrap_or_default();
                let members: BTreeMap<String, String> = map_of(
                    members
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v.to_string())),
                );
                let required: Vec<String> = required.into_iter().map(str::to_string).collect();
                return structure(shapes, obj, &members, &required, display, at, out);
            }
            structure(
                shapes,
                obj,
                members,
                required.as_deref().unwrap_or(&[]),
                display,
                at,
                out,
            );
        }
        Shape::List { member, min, max } => {
            let Value::Array(items) = value else {
                out.push(type_error(&at.path(), "a list", value, display));
                return;
            };
            check_len(
                &at.path_if(min.is_some() || max.is_some()),
                items.len() as u64,
                *min,
                *max,
                "items",
                out,
            );
            for (i, v) in items.iter().enumerate() {
                walk(shapes, v, member, &At::Index(at, i), out);
            }
        }
        Shape::Map { key, value: vshape } => {
            let Value::Object(obj) = value else {
                out.push(type_error(&at.path(), "an object (a map)", value, display));
                return;
            };
            for (k, v) in obj {
                let here = At::Key(at, k);
                walk(shapes, &Value::String(k.clone()), key, &here, out);
                walk(shapes, v, vshape, &here, out);
            }
        }
        _ => scalar(shapes, def, value, display, &at.path_lazy(), out),
    }
}

impl At<'_> {
    /// The path when it may be needed, else an empty one (cheap).
    fn path_if(&self, needed: bool) -> JsonPath {
        if needed {
            self.path()
        } else {
            JsonPath::root()
        }
    }

    fn path_lazy(&self) -> LazyPath<'_> {
        LazyPath(self)
    }
}

/// A path computed on first use.
struct LazyPath<'a>(&'a At<'a>);

impl LazyPath<'_> {
    fn get(&self) -> JsonPath {
        self.0.path()
    }
}

fn structure(
    shapes: &Shapes,
    obj: &serde_json::Map<String, Value>,
    members: &BTreeMap<String, String>,
    required: &[String],
    display: &str,
    at: &At,
    out: &mut Vec<Finding>,
) {
    for (k, v) in obj {
        match members.get(k.as_str()) {
            Some(member_shape) => walk(shapes, v, member_shape, &At::Key(at, k), out),
            None => {
                let names: BTreeMap<&str, &str> =
                    map_of(members.iter().map(|(a, b)| (a.as_str(), b.as_str())));
                out.push(unknown_member(&at.path(), k, &names, display))
            }
        }
    }
    for r in required {
        if !obj.contains_key(r) {
            out.push(
                Finding::error(
                    "missing-field",
                    at.path(),
                    format!("{display} needs `{r}`, which is missing"),
                )
                .with_fix(format!("add \"{r}\"")),
            );
        }
    }
}

/// Strings, numbers, booleans and the rest.
fn scalar(
    _shapes: &Shapes,
    def: &Shape,
    value: &Value,
    display: &str,
    lazy: &LazyPath,
    out: &mut Vec<Finding>,
) {
    match def {
        Shape::String { values, min, max } => {
            let Value::String(s) = value else {
                let mut f = type_error(&lazy.get(), "a string", value, display);
                if value.is_number() || value.is_boolean() {
                    f = f.with_fix(format!("write it in quotes: \"{value}\""));
                }
                out.push(f);
                return;
            };
            if let Some(values) = values {
                if !values.iter().any(|v| v == s) {
                    let mut f = Finding::error(
                        "invalid-enum",
                        lazy.get(),
                        format!(
                            "\"{s}\" is not a valid {display}; valid values: {}",
                            values.join(", ")
                        ),
                    );
                    if let Some(best) = did_you_mean(s, values.iter().map(|v| v.as_str())) {
                        f = f.with_fix(format!("did you mean \"{best}\"?"));
                    }
                    out.push(f);
                }
            }
            if min.is_some() || max.is_some() {
                check_len(
                    &lazy.get(),
                    s.chars().count() as u64,
                    *min,
                    *max,
                    "characters",
                    out,
                );
            }
        }
        Shape::Integer { min, max } => match value {
            Value::Number(n) if n.is_i64() || n.is_u64() => {
                let x = n.as_f64().unwrap_or(0.0);
                if min.is_some_and(|m| x < m) || max.is_some_and(|m| x > m) {
                    check_range(&lazy.get(), x, &n.to_string(), *min, *max, out)
                }
            }
            _ => {
                let mut f = type_error(&lazy.get(), "a whole number", value, display);
                if let Some(s) = value.as_str() {
                    if s.trim().parse::<i64>().is_ok() {
                        f = f.with_fix(format!("remove the quotes: {}", s.trim()));
                    }
                }
                out.push(f);
            }
        },
        Shape::Number { min, max } => match value {
            Value::Number(n) => {
                let x = n.as_f64().unwrap_or(0.0);
                if min.is_some_and(|m| x < m) || max.is_some_and(|m| x > m) {
                    check_range(&lazy.get(), x, &n.to_string(), *min, *max, out)
                }
            }
            _ => out.push(type_error(&lazy.get(), "a number", value, display)),
        },
        Shape::Boolean => {
            if !value.is_boolean() {
                let mut f = type_error(&lazy.get(), "true or false", value, display);
                if matches!(value.as_str(), Some("true" | "false")) {
                    f = f.with_fix("remove the quotes");
                }
                out.push(f);
            }
        }
        Shape::Timestamp => {
            if !(value.is_string() || value.is_number()) {
                out.push(type_error(
                    &lazy.get(),
                    "a date (ISO 8601 text) or seconds since 1970",
                    value,
                    display,
                ));
            }
        }
        Shape::Blob => {
            if !value.is_string() {
                out.push(type_error(&lazy.get(), "base64 text", value, display));
            }
        }
        Shape::Any | Shape::Structure { .. } | Shape::List { .. } | Shape::Map { .. } => {}
    }
}

/// `ecs:NetworkMode` → `NetworkMode`.
fn display_name(shape: &str) -> &str {
    shape.split_once(':').map(|(_, n)| n).unwrap_or(shape)
}

fn json_kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() > 40 => "a string".into(),
        Value::String(s) => format!("the string \"{s}\""),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn type_error(path: &JsonPath, expected: &str, found: &Value, shape: &str) -> Finding {
    Finding::error(
        "wrong-type",
        path.clone(),
        format!("expected {expected} ({shape}), found {}", json_kind(found)),
    )
}

fn unknown_member(
    path: &JsonPath,
    key: &str,
    members: &BTreeMap<&str, &str>,
    shape: &str,
) -> Finding {
    let mut f = Finding::error(
        "unknown-field",
        path.key(key),
        format!("`{key}` is not a member of {shape}"),
    );
    if let Some(best) = did_you_mean(key, members.keys().copied()) {
        let pascal_hint = if best.eq_ignore_ascii_case(key) && key != best {
            " (CloudFormation spells members in PascalCase; plans use the API's names)"
        } else {
            ""
        };
        f = f.with_fix(format!("did you mean `{best}`?{pascal_hint}"));
    } else if members.len() <= 12 {
        let names: Vec<&str> = members.keys().copied().collect();
        f = f.with_fix(format!("remove it; {shape} has: {}", names.join(", ")));
    } else {
        f = f.with_fix("remove it, or check the spelling against the AWS API reference");
    }
    f
}

/// The closest candidate to a misspelt name: a case-insensitive match first, then the most
/// similar name by Jaro-Winkler, if it is similar enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let mut best: Option<(&str, f64)> = None;
    for c in candidates {
        let c_lower = c.to_ascii_lowercase();
        if c_lower == lower {
            return Some(c);
        }
        // Jaro-Winkler catches long names with a few letters off; a small edit distance
        // (with transpositions) catches short ones like "wbe" for "web".
        let edits = strsim::damerau_levenshtein(&lower, &c_lower);
        let close = edits <= (lower.chars().count() / 4).max(1);
        let score = strsim::jaro_winkler(&lower, &c_lower) + if close { 1.0 } else { 0.0 };
        if best.is_none_or(|(_, s)| score > s) {
            best = Some((c, score));
        }
    }
    best.filter(|(_, s)| *s >= 0.84).map(|(c, _)| c)
}

fn check_len(
    path: &JsonPath,
    n: u64,
    min: Option<u64>,
    max: Option<u64>,
    unit: &str,
    out: &mut Vec<Finding>,
) {
    if let Some(min) = min {
        if n < min {
            out.push(Finding::error(
                "out-of-range",
                path.clone(),
                format!("has {n} {unit}; at least {min} needed"),
            ));
        }
    }
    if let Some(max) = max {
        if n > max {
            out.push(Finding::error(
                "out-of-range",
                path.clone(),
                format!("has {n} {unit}; at most {max} allowed"),
            ));
        }
    }
}

/// `written` is the number as the document has it (an f64 would round 2^63 − 1).
fn check_range(
    path: &JsonPath,
    x: f64,
    written: &str,
    min: Option<f64>,
    max: Option<f64>,
    out: &mut Vec<Finding>,
) {
    let out_of = min.is_some_and(|m| x < m) || max.is_some_and(|m| x > m);
    if out_of {
        let range = match (min, max) {
            (Some(a), Some(b)) => format!("between {a} and {b}"),
            (Some(a), None) => format!("at least {a}"),
            (None, Some(b)) => format!("at most {b}"),
            (None, None) => unreachable!(),
        };
        out.push(
            Finding::error(
                "out-of-range",
                path.clone(),
                format!("{written} is out of range; must be {range}"),
            )
            .with_fix(format!("use a value {range}")),
        );
    }
}

#[cfg(test)]
mod tests;
