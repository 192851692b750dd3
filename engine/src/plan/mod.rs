//! The plan document: one JSON file describing a whole scenario (see `docs/plan-format.md`).
//!
//! [`parse`] reads a plan from text: it parses, migrates older schema versions, checks the
//! document against the shapes, builds the typed [`Plan`] and checks references. Every problem
//! comes back as a [`Finding`] with its JSON path and, from text, its line and column; nothing
//! panics, whatever the input. Loading a plan for use (with the cluster and the validation
//! rules) is the loader's job, one layer up (`crate::load`).

pub mod autoscaling;
pub mod deployment;
pub(crate) mod json;
pub mod limits;
mod model;
mod refs;
pub mod running;
pub mod schedule;
pub mod span;
pub mod units;
pub mod workload;
mod written;

pub use autoscaling::ServiceAutoScaling;
pub use deployment::DeploymentConfiguration;
pub use json::Named;
pub use model::*;
pub use refs::FARGATE_PROVIDERS;
pub use running::RecordedTask;
pub use workload::Workload;
pub use written::{Number, Written};

use crate::findings::{Finding, JsonPath};
use serde_json::Value;

/// The plan schema version this engine writes and reads. Older versions are migrated by
/// `migrate`; newer ones are refused, since silently dropping what a newer planner wrote
/// would lose the user's work.
pub const SCHEMA_VERSION: u32 = 1;

/// The result of reading or loading a plan: the plan when it is well formed (no syntax,
/// schema or reference errors; validation-rule errors do not withhold it), and every finding.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The plan, when well formed.
    pub plan: Option<Plan>,
    /// Every finding of reading and loading, in the order found.
    pub findings: Vec<Finding>,
}

impl Loaded {
    /// The findings of severity error.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_error())
    }

    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
}

/// Reads a plan from JSON text: its syntax, schema version, shapes, typed view and
/// references. This is the model's half of loading, for code below the loader (importers,
/// tests of a computation); `crate::load::load` adds the cluster and the validation rules.
pub fn parse(text: &str) -> Loaded {
    from_text(text, parse_value)
}

/// Reads `text` as JSON and turns the value into a [`Loaded`] with `then`, the findings located
/// in the text. A UTF-8 byte order mark at the start (Windows editors write one; JSON does not
/// allow it) is read past, with a warning that names it.
pub fn from_text(text: &str, then: impl FnOnce(Value) -> Loaded) -> Loaded {
    let (text, bom) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, Some(byte_order_mark())),
        None => (text, None),
    };
    let mut loaded = match parse_json(text) {
        Ok(value) => then(value),
        Err(f) => Loaded {
            plan: None,
            findings: vec![*f],
        },
    };
    locate(text, &mut loaded.findings);
    if let Some(f) = bom {
        loaded.findings.insert(0, f);
    }
    loaded
}

/// The warning for a text that starts with a byte order mark.
pub fn byte_order_mark() -> Finding {
    let mut f = Finding::warning(
        "byte-order-mark",
        JsonPath::root(),
        "the text starts with a UTF-8 byte order mark (U+FEFF), which JSON does not allow; it was read past",
    )
    .with_fix("save the file as UTF-8 without a byte order mark (\"UTF-8\", not \"UTF-8 with BOM\")");
    f.line = Some(1);
    f.column = Some(1);
    f
}

/// [`parse`] of an already parsed JSON value: the plan is withheld when the document has any
/// structural or reference error.
pub fn parse_value(value: Value) -> Loaded {
    let (plan, findings) = read_value(value);
    let plan = plan.filter(|_| !findings.iter().any(Finding::is_error));
    Loaded { plan, findings }
}

/// JSON text to a value; a syntax error becomes a finding with its line and column.
pub fn parse_json(text: &str) -> Result<Value, Box<Finding>> {
    serde_json::from_str(text).map_err(|e| {
        let mut f = Finding::error(
            "json-syntax",
            JsonPath::root(),
            format!("not valid JSON: {}", strip_position(&e.to_string())),
        )
        .with_fix("correct the JSON at the given line and column");
        if e.line() > 0 {
            f.line = Some(e.line() as u32);
            f.column = Some(e.column() as u32);
        }
        Box::new(f)
    })
}

/// Gives each finding the line and column of its path in `text`.
pub fn locate(text: &str, findings: &mut [Finding]) {
    if findings.iter().all(|f| f.line.is_some()) {
        return;
    }
    // Only the findings' paths are indexed: a huge document with one finding stays cheap.
    let idx = span::SpanIndex::for_paths(text, findings.iter().map(|f| &f.path));
    for f in findings.iter_mut().filter(|f| f.line.is_none()) {
        if let Some((l, c)) = idx.locate(&f.path) {
            f.line = Some(l);
            f.column = Some(c);
        }
    }
}

/// serde_json appends " at line X column Y"; the finding carries those separately.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// The typed plan of a document and the findings of its structure and references. The plan is
/// there whenever the document has the plan's shape, even with reference errors, so the loader
/// can report everything else that is wrong with it at once.
pub fn read_value(value: Value) -> (Option<Plan>, Vec<Finding>) {
    let mut findings = Vec::new();
    let value = match migrate(value) {
        Ok(v) => v,
        Err(f) => return (None, vec![*f]),
    };
    crate::schema::check(&value, "plan:Plan", &JsonPath::root(), &mut findings);
    if findings.iter().any(Finding::is_error) {
        return (None, findings);
    }
    let plan: Plan = match crate::typed::typed(&value, &JsonPath::root()) {
        Ok(p) => p,
        Err(f) => {
            findings.push(*f);
            return (None, findings);
        }
    };
    // Beyond the planner's limits nothing is computed for the plan (not even its references:
    // the checks are linear, but a plan this big is refused whole, with one message).
    let limits = limits::check(&plan);
    if !limits.is_empty() {
        findings.extend(limits);
        return (None, findings);
    }
    findings.extend(refs::check(&plan));
    (Some(plan), findings)
}

/// Brings a plan document of any known schema version to [`SCHEMA_VERSION`].
///
/// Version 1 is the first; when version 2 exists, its conversion from 1 goes here and nowhere
/// else.
pub fn migrate(value: Value) -> Result<Value, Box<Finding>> {
    let root = JsonPath::root();
    let Value::Object(obj) = &value else {
        return Err(Box::new(Finding::error(
            "not-a-plan",
            root,
            "a plan is a JSON object with \"schemaVersion\", \"cluster\", \"taskDefinitions\", \"services\"",
        )
        .with_fix("wrap the content in { \"schemaVersion\": 1, ... }")));
    };
    let path = root.key("schemaVersion");
    let version = match obj.get("schemaVersion") {
        None => {
            let hint = if obj.contains_key("containerDefinitions") {
                "this looks like a task definition; import it as one, or put it in a plan's \"taskDefinitions\""
            } else if obj.contains_key("serviceName") {
                "this looks like a service; put it in a plan's \"services\""
            } else {
                "add \"schemaVersion\": 1 at the top of the plan"
            };
            return Err(Box::new(Finding::error(
                "missing-schema-version",
                root,
                "the plan has no \"schemaVersion\"; the planner needs it to read the file correctly",
            )
            .with_fix(hint)));
        }
        Some(v) => match v.as_u64() {
            Some(n) if n >= 1 && n <= u32::MAX as u64 => n as u32,
            _ => {
                return Err(Box::new(
                    Finding::error(
                        "invalid-schema-version",
                        path,
                        format!("\"schemaVersion\" must be a whole number from 1, found {v}"),
                    )
                    .with_fix(format!("use \"schemaVersion\": {SCHEMA_VERSION}")),
                ))
            }
        },
    };
    if version > SCHEMA_VERSION {
        return Err(Box::new(Finding::error(
            "newer-schema-version",
            path,
            format!(
                "this plan uses schema version {version}, made by a newer ECS Planner; this one reads versions up to {SCHEMA_VERSION}"
            ),
        )
        .with_fix("open it with a newer ECS Planner; the file is left as it is")));
    }
    Ok(value)
}

/// A parsed task definition reference: `family`, `family:revision`, or a task definition ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskDefRef<'a> {
    /// The family.
    pub family: &'a str,
    /// The revision, when given (else the family's latest).
    pub revision: Option<u32>,
}

impl<'a> TaskDefRef<'a> {
    /// Reads `family`, `family:revision` or an ARN (`arn:aws:ecs:…:task-definition/family:3`).
    pub fn parse(s: &'a str) -> TaskDefRef<'a> {
        let s = s
            .rsplit_once(":task-definition/")
            .map(|(_, r)| r)
            .unwrap_or(s);
        match s.rsplit_once(':') {
            Some((f, r)) if r.parse::<u32>().is_ok() => TaskDefRef {
                family: f,
                revision: r.parse().ok(),
            },
            _ => TaskDefRef {
                family: s,
                revision: None,
            },
        }
    }
}

impl Plan {
    /// An empty plan of the current schema version.
    pub fn empty(name: &str) -> Plan {
        Plan {
            schema_version: SCHEMA_VERSION,
            name: name.to_string(),
            description: None,
            region: "us-east-1".into(),
            cluster: Cluster::default(),
            task_definitions: Vec::new(),
            services: Vec::new(),
            tasks: Vec::new(),
            running_tasks: None,
            workload: None,
            ec2_instance_types: Vec::new(),
            settings: None,
        }
    }

    /// The revisions of a family in plan order: revision n is the n-th task definition of the
    /// family in `taskDefinitions`, as if they had been registered in that order.
    pub fn revisions<'a>(
        &'a self,
        family: &'a str,
    ) -> impl Iterator<Item = (u32, usize, &'a TaskDefinition)> + 'a {
        self.task_definitions
            .iter()
            .enumerate()
            .filter(move |(_, td)| td.family == family)
            .enumerate()
            .map(|(n, (i, td))| (n as u32 + 1, i, td))
    }

    /// Resolves a task definition reference to (index in `taskDefinitions`, revision). Without
    /// a revision, the latest (last) one.
    pub fn resolve_task_definition(&self, reference: &str) -> Option<(usize, u32)> {
        let r = TaskDefRef::parse(reference);
        let mut found = None;
        for (rev, i, _) in self.revisions(r.family) {
            match r.revision {
                Some(want) if want == rev => return Some((i, rev)),
                Some(_) => {}
                None => found = Some((i, rev)),
            }
        }
        found
    }

    /// The plan as pretty JSON, the way the planner saves and exports it.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.to_value()).unwrap_or_default()
    }

    /// The plan as a JSON value. Every writing of a plan goes through this one serialisation:
    /// each other serializer would compile the plan's whole derived `Serialize` again (three
    /// copies were 46 KB of the page's wasm, docs/performance.md). Same text, member order
    /// and number forms as serialising the plan directly.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
