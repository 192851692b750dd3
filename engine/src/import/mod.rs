//! Import: what people already have, turned into plan parts.
//!
//! Every importer returns an [`Imported`] (task definitions, services, standalone tasks and
//! what else the source said about the cluster) with `notes`: one [`Finding`] (severity info
//! or warning, with the path in the source and, from text, line and column) for everything
//! that was dropped, guessed or could not be converted. Input that cannot be imported at all
//! gives `Err` with error findings. Nothing here panics or hangs, whatever the text: the size
//! is capped at [`MAX_BYTES`], nesting is checked before and while parsing.
//!
//! Formats ([`Format`]): a RegisterTaskDefinition request, `aws ecs describe-task-definition`
//! output, CreateService and RunTask requests, CloudFormation templates (JSON or YAML), a
//! docker-compose file, and a whole plan. [`detect`] tells which one a pasted text is;
//! [`import`] detects and converts; [`into_plan`] adds the result to a plan.
//!
//! Whole clusters come in through [`aws_snapshot`](fn@aws_snapshot) (a directory of AWS CLI outputs) and
//! [`terraform`](fn@terraform) (`terraform show -json`): they give a [`ClusterImport`], a complete plan with
//! where tasks run beside it.

mod aws;
pub mod aws_snapshot;
pub mod cfn;
pub mod cluster_import;
pub mod compose;
pub mod terraform;
pub mod yaml;

use crate::schema::READ_ONLY_TASK_DEFINITION_MEMBERS;
pub use aws::{create_service, describe_task_definition, plan, register_task_definition, run_task};
pub use aws_snapshot::aws_snapshot;
pub use cfn::cloudformation;
pub use cluster_import::{
    ClusterImport, ClusterOptions, ClusterResult, ClusterSource, InputFile, InstanceState,
    RunningTask, SourceNote,
};
pub use compose::compose;
pub use terraform::terraform;

use crate::findings::{Finding, JsonPath};
use crate::plan::{
    CapacityProvider, CapacityProviderStrategyItem, Plan, RunTask, Service, TaskDefinition,
};
use serde::Serialize;
use serde_json::Value;

/// Largest text accepted. A task definition is kilobytes and a CloudFormation template at most
/// 1 MB; anything larger is not what the user meant to paste.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;

/// Deepest bracket nesting (`[`/`{`) accepted before any parser runs.
pub const MAX_BRACKET_DEPTH: usize = 256;

/// What a text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Format {
    /// A whole plan document (`schemaVersion`).
    Plan,
    /// A RegisterTaskDefinition request (`aws ecs register-task-definition --cli-input-json`).
    RegisterTaskDefinition,
    /// `aws ecs describe-task-definition` output, or the bare `taskDefinition` inside it (the
    /// console's JSON view).
    DescribeTaskDefinition,
    /// A CreateService request.
    CreateService,
    /// A RunTask request.
    RunTask,
    /// A CloudFormation template, JSON or YAML.
    CloudFormation,
    /// A docker-compose file.
    Compose,
    /// None of these.
    Unknown,
}

impl Format {
    /// The name used on the command line (`--from`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Plan => "plan",
            Format::RegisterTaskDefinition => "register-task-definition",
            Format::DescribeTaskDefinition => "describe",
            Format::CreateService => "create-service",
            Format::RunTask => "run-task",
            Format::CloudFormation => "cloudformation",
            Format::Compose => "compose",
            Format::Unknown => "unknown",
        }
    }

    /// The inverse of [`Format::name`] (`auto` is not a format: use [`detect`]).
    pub fn from_name(s: &str) -> Option<Format> {
        Some(match s {
            "plan" => Format::Plan,
            "register-task-definition" | "register" | "task-definition" => {
                Format::RegisterTaskDefinition
            }
            "describe" | "describe-task-definition" => Format::DescribeTaskDefinition,
            "create-service" | "service" => Format::CreateService,
            "run-task" => Format::RunTask,
            "cloudformation" | "cfn" => Format::CloudFormation,
            "compose" | "docker-compose" => Format::Compose,
            _ => return None,
        })
    }
}

/// Options for [`import`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The task definition family for a compose file (else the file's `name:`, else "compose").
    pub family: Option<String>,
}

/// What an import produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Imported {
    /// The format read.
    pub format: Format,
    /// Task definitions found, as RegisterTaskDefinition requests.
    pub task_definitions: Vec<TaskDefinition>,
    /// Services found, as CreateService requests.
    pub services: Vec<Service>,
    /// Standalone tasks found, as RunTask requests.
    pub tasks: Vec<RunTask>,
    /// The cluster the source names (a request's `cluster`, a template's cluster).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    /// Capacity providers the source defines.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub capacity_providers: Vec<CapacityProvider>,
    /// The cluster's default capacity provider strategy, when the source sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
    /// What was dropped, guessed or not converted (info and warning findings).
    pub notes: Vec<Finding>,
}

impl Imported {
    /// Nothing imported yet from a source of `format`.
    pub fn new(format: Format) -> Self {
        Imported {
            format,
            task_definitions: Vec::new(),
            services: Vec::new(),
            tasks: Vec::new(),
            cluster_name: None,
            capacity_providers: Vec::new(),
            default_capacity_provider_strategy: None,
            notes: Vec::new(),
        }
    }
}

/// An import that failed: at least one error finding.
pub type Result<T> = std::result::Result<T, Vec<Finding>>;

/// Detects the format of `text` and imports it.
pub fn import(text: &str, options: &Options) -> Result<Imported> {
    let format = detect(text);
    import_as(text, format, options)
}

/// Imports `text` as `format`.
pub fn import_as(text: &str, format: Format, options: &Options) -> Result<Imported> {
    match format {
        Format::Plan => plan(text),
        Format::RegisterTaskDefinition => register_task_definition(text),
        Format::DescribeTaskDefinition => describe_task_definition(text),
        Format::CreateService => create_service(text),
        Format::RunTask => run_task(text),
        Format::CloudFormation => cloudformation(text),
        Format::Compose => compose(text, options.family.as_deref()),
        Format::Unknown => {
            // Say why: a syntax error, or a document that is none of the formats.
            parse_any(text)?;
            Err(vec![Finding::error(
                "unknown-format",
                JsonPath::root(),
                "this is not a task definition, describe-task-definition output, service, RunTask request, CloudFormation template, docker-compose file or plan",
            )
            .with_fix("paste one of those, or choose the format explicitly")])
        }
    }
}

/// Which format `text` is, from its content (never fails: [`Format::Unknown`]).
pub fn detect(text: &str) -> Format {
    match parse_any(text) {
        Ok(src) => classify(&src.value),
        Err(_) => Format::Unknown,
    }
}

/// The format of an already parsed document.
pub fn classify(v: &Value) -> Format {
    let Value::Object(o) = v else {
        return Format::Unknown;
    };
    let has = |k: &str| o.contains_key(k);
    if has("schemaVersion") {
        return Format::Plan;
    }
    if has("AWSTemplateFormatVersion") || o.get("Resources").is_some_and(Value::is_object) {
        return Format::CloudFormation;
    }
    if o.get("taskDefinition").is_some_and(Value::is_object) {
        return Format::DescribeTaskDefinition;
    }
    if has("containerDefinitions") {
        let read_only = READ_ONLY_TASK_DEFINITION_MEMBERS
            .iter()
            .any(|(k, _)| has(k));
        return if read_only {
            Format::DescribeTaskDefinition
        } else {
            Format::RegisterTaskDefinition
        };
    }
    if has("serviceName") {
        return Format::CreateService;
    }
    if o.get("taskDefinition").is_some_and(Value::is_string) {
        return Format::RunTask;
    }
    if o.get("services").is_some_and(Value::is_object) {
        return Format::Compose;
    }
    Format::Unknown
}

/// Parses JSON or YAML text (after the size and nesting guards) into a value, with a function
/// that locates paths in it.
pub(crate) fn parse_any(text: &str) -> Result<Source> {
    guard(text)?;
    let body = text.trim_start_matches('\u{feff}');
    let trimmed = body.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let err = match serde_json::from_str::<Value>(body) {
            Ok(v) => {
                return Ok(Source {
                    value: v,
                    spans: Spans::Json(body.to_string()),
                })
            }
            Err(e) => e,
        };
        // `{a: 1}` is YAML flow syntax but not JSON: YAML gets a chance, unless the JSON
        // simply ends too early; when both fail, the JSON error is the helpful one.
        if !err.is_eof() {
            if let Ok(doc) = yaml::parse(text) {
                return Ok(Source {
                    value: doc.value,
                    spans: Spans::Yaml(doc.spans),
                });
            }
        }
        let mut f = Finding::error(
            "json-syntax",
            JsonPath::root(),
            format!("not valid JSON: {}", strip_position(&err.to_string())),
        )
        .with_fix("correct the JSON at the given line and column");
        if err.line() > 0 {
            f.line = Some(err.line() as u32);
            f.column = Some(err.column() as u32);
        }
        return Err(vec![f]);
    }
    let doc = yaml::parse(text).map_err(|f| vec![*f])?;
    Ok(Source {
        value: doc.value,
        spans: Spans::Yaml(doc.spans),
    })
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Size and bracket-nesting limits, checked before any parser sees the text.
fn guard(text: &str) -> Result<()> {
    if text.len() > MAX_BYTES {
        return Err(vec![Finding::error(
            "too-large",
            JsonPath::root(),
            format!(
                "the text is {} MiB; imports are limited to {} MiB",
                text.len() >> 20,
                MAX_BYTES >> 20
            ),
        )
        .with_fix(
            "import the task definition, template or compose file itself",
        )]);
    }
    let mut depth = 0usize;
    for b in text.bytes() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_BRACKET_DEPTH {
                    return Err(vec![Finding::error(
                        "too-deep",
                        JsonPath::root(),
                        format!("brackets are nested more than {MAX_BRACKET_DEPTH} levels deep"),
                    )
                    .with_fix("this is not a task definition, template or compose file")]);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// A parsed source document and how to find line and column of a path in it.
pub(crate) struct Source {
    pub value: Value,
    spans: Spans,
}

enum Spans {
    Json(String),
    Yaml(std::collections::HashMap<JsonPath, (u32, u32)>),
}

impl Source {
    /// Adds line and column to findings whose path is in this source.
    pub fn locate(&self, findings: &mut [Finding]) {
        if findings.iter().all(|f| f.line.is_some()) {
            return;
        }
        match &self.spans {
            Spans::Json(text) => {
                let idx = crate::plan::span::SpanIndex::for_paths(
                    text,
                    findings
                        .iter()
                        .filter(|f| f.line.is_none())
                        .map(|f| &f.path),
                );
                for f in findings.iter_mut().filter(|f| f.line.is_none()) {
                    if let Some((l, c)) = locate_nearest(|p| idx.locate(p), &f.path) {
                        f.line = Some(l);
                        f.column = Some(c);
                    }
                }
            }
            Spans::Yaml(spans) => {
                for f in findings.iter_mut().filter(|f| f.line.is_none()) {
                    if let Some((l, c)) = locate_nearest(|p| spans.get(p).copied(), &f.path) {
                        f.line = Some(l);
                        f.column = Some(c);
                    }
                }
            }
        }
    }
}

/// The position of `path`, or of its nearest ancestor that has one (not the root).
fn locate_nearest(
    find: impl Fn(&JsonPath) -> Option<(u32, u32)>,
    path: &JsonPath,
) -> Option<(u32, u32)> {
    let mut p = path.clone();
    while !p.0.is_empty() {
        if let Some(x) = find(&p) {
            return Some(x);
        }
        p.0.pop();
    }
    None
}

/// Adds what was imported to a copy of `base`:
/// - task definitions are appended (a family already in the plan gets a new revision, as
///   registering it would);
/// - services replace a service of the same name, others are appended;
/// - standalone tasks are appended;
/// - capacity providers replace one of the same name, others are appended;
/// - the cluster name and default capacity provider strategy are taken only when the plan has
///   none.
pub fn into_plan(base: &Plan, imported: &Imported) -> Plan {
    let mut plan = base.clone();
    plan.task_definitions
        .extend(imported.task_definitions.iter().cloned());
    for s in &imported.services {
        match plan
            .services
            .iter_mut()
            .find(|x| x.service_name == s.service_name)
        {
            Some(existing) => *existing = s.clone(),
            None => plan.services.push(s.clone()),
        }
    }
    plan.tasks.extend(imported.tasks.iter().cloned());
    for cp in &imported.capacity_providers {
        match plan
            .cluster
            .capacity_providers
            .iter_mut()
            .find(|x| x.name == cp.name)
        {
            Some(existing) => *existing = cp.clone(),
            None => plan.cluster.capacity_providers.push(cp.clone()),
        }
    }
    if plan.cluster.cluster_name.is_empty() {
        if let Some(name) = &imported.cluster_name {
            plan.cluster.cluster_name = name.clone();
        }
    }
    if plan.cluster.default_capacity_provider_strategy.is_empty() {
        if let Some(s) = &imported.default_capacity_provider_strategy {
            plan.cluster.default_capacity_provider_strategy = s.clone();
        }
    }
    plan
}

/// Typed view of a checked value; a failure is a bug-shaped error with the path.
pub(crate) fn typed<T: serde::de::DeserializeOwned>(value: Value, path: &JsonPath) -> Result<T> {
    crate::typed::typed(&value, path).map_err(|f| vec![*f])
}

/// Errors of `findings`, or `Ok` when there are none.
pub(crate) fn fail_on_errors(findings: Vec<Finding>) -> Result<Vec<Finding>> {
    if findings.iter().any(Finding::is_error) {
        Err(findings.into_iter().filter(Finding::is_error).collect())
    } else {
        Ok(findings)
    }
}

#[cfg(test)]
mod tests;
