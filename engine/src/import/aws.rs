//! The AWS API's own JSON: RegisterTaskDefinition, describe-task-definition output,
//! CreateService, RunTask, and whole plans.

use super::{fail_on_errors, parse_any, typed, Format, Imported, Result, Source};
use crate::findings::{Finding, JsonPath};
use crate::plan::{RunTask, Service, TaskDefinition};
use crate::schema::READ_ONLY_TASK_DEFINITION_MEMBERS;
use serde_json::{Map, Value};

const TASK_DEFINITION_SHAPE: &str = "ecs:RegisterTaskDefinitionRequest";

fn object(src: &Source, what: &str, fix: &str) -> Result<Map<String, Value>> {
    match &src.value {
        Value::Object(o) => Ok(o.clone()),
        _ => Err(vec![Finding::error(
            "wrong-type",
            JsonPath::root(),
            format!(
                "expected {what} (a JSON object), found {}",
                kind(&src.value)
            ),
        )
        .with_fix(fix)]),
    }
}

pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A task definition object (request or described) to the request: drops read-only members
/// with a note each, checks the rest against the request shape.
pub(crate) fn task_definition_from(
    mut obj: Map<String, Value>,
    base: &JsonPath,
    notes: &mut Vec<Finding>,
) -> Result<TaskDefinition> {
    for (member, why) in READ_ONLY_TASK_DEFINITION_MEMBERS {
        if obj.remove(*member).is_some() {
            notes.push(
                Finding::info(
                    "read-only-dropped",
                    base.key(member),
                    format!("`{member}` dropped: {why}; RegisterTaskDefinition does not take it"),
                )
                .with_doc("API_TaskDefinition"),
            );
        }
    }
    let value = Value::Object(obj);
    let mut findings = Vec::new();
    crate::schema::check(&value, TASK_DEFINITION_SHAPE, base, &mut findings);
    notes.extend(fail_on_errors(findings)?);
    typed(value, base)
}

/// A RegisterTaskDefinition request as it is (read-only members of a described task
/// definition, if any, are dropped with a note).
pub fn register_task_definition(text: &str) -> Result<Imported> {
    let src = parse_any(text)?;
    let run = || -> Result<Imported> {
        let obj = object(
            &src,
            "a RegisterTaskDefinition request",
            "paste the request JSON: {\"family\": ..., \"containerDefinitions\": [...]}",
        )?;
        if obj.get("taskDefinition").is_some_and(Value::is_object) {
            return describe_value(obj, Format::RegisterTaskDefinition);
        }
        let mut out = Imported::new(Format::RegisterTaskDefinition);
        let td = task_definition_from(obj, &JsonPath::root(), &mut out.notes)?;
        out.task_definitions.push(td);
        Ok(out)
    };
    located(&src, run())
}

/// `aws ecs describe-task-definition` output (`{"taskDefinition": {...}, "tags": [...]}`), or
/// the bare described task definition: the read-only members are dropped with one note each,
/// the outer `tags` become the request's `tags`.
pub fn describe_task_definition(text: &str) -> Result<Imported> {
    let src = parse_any(text)?;
    let run = || -> Result<Imported> {
        let obj = object(
            &src,
            "describe-task-definition output",
            "paste the output of `aws ecs describe-task-definition --include TAGS`",
        )?;
        describe_value(obj, Format::DescribeTaskDefinition)
    };
    located(&src, run())
}

fn describe_value(mut obj: Map<String, Value>, format: Format) -> Result<Imported> {
    let mut out = Imported::new(format);
    let root = JsonPath::root();
    let (mut inner, base) = match obj.remove("taskDefinition") {
        Some(Value::Object(inner)) => (inner, root.key("taskDefinition")),
        Some(other) => {
            return Err(vec![Finding::error(
                "wrong-type",
                root.key("taskDefinition"),
                format!("expected an object, found {}", kind(&other)),
            )])
        }
        None => {
            if !obj.contains_key("containerDefinitions") {
                return Err(vec![Finding::error(
                    "not-a-task-definition",
                    root,
                    "no `taskDefinition` (describe-task-definition output) and no `containerDefinitions` (a task definition)",
                )
                .with_fix("paste the output of `aws ecs describe-task-definition --task-definition FAMILY --include TAGS`")]);
            }
            let inner = std::mem::take(&mut obj);
            (inner, root.clone())
        }
    };
    if base != root {
        for (k, v) in obj {
            match (k.as_str(), v) {
                ("tags", Value::Array(tags)) => {
                    if !tags.is_empty() && !inner.contains_key("tags") {
                        inner.insert("tags".into(), Value::Array(tags));
                    }
                }
                (k, _) => out.notes.push(Finding::info(
                    "dropped",
                    root.key(k),
                    format!("`{k}` is not part of the task definition; dropped"),
                )),
            }
        }
    }
    let td = task_definition_from(inner, &base, &mut out.notes)?;
    out.task_definitions.push(td);
    Ok(out)
}

/// A CreateService request (the planner's `autoScaling` is accepted too). Its `cluster`
/// becomes the imported cluster name.
pub fn create_service(text: &str) -> Result<Imported> {
    let src = parse_any(text)?;
    let run = || -> Result<Imported> {
        let mut obj = object(
            &src,
            "a CreateService request",
            "paste the request JSON: {\"serviceName\": ..., \"taskDefinition\": ...}",
        )?;
        let mut out = Imported::new(Format::CreateService);
        let value = Value::Object(obj.clone());
        let mut findings = Vec::new();
        crate::schema::check(&value, "plan:Service", &JsonPath::root(), &mut findings);
        out.notes.extend(fail_on_errors(findings)?);
        if let Some(Value::String(c)) = obj.remove("cluster") {
            out.cluster_name = Some(c);
        }
        let s: Service = typed(Value::Object(obj), &JsonPath::root())?;
        out.services.push(s);
        Ok(out)
    };
    located(&src, run())
}

/// A RunTask request. Its `cluster` becomes the imported cluster name.
pub fn run_task(text: &str) -> Result<Imported> {
    let src = parse_any(text)?;
    let run = || -> Result<Imported> {
        let mut obj = object(
            &src,
            "a RunTask request",
            "paste the request JSON: {\"taskDefinition\": ..., \"count\": ...}",
        )?;
        let mut out = Imported::new(Format::RunTask);
        let value = Value::Object(obj.clone());
        let mut findings = Vec::new();
        crate::schema::check(
            &value,
            "ecs:RunTaskRequest",
            &JsonPath::root(),
            &mut findings,
        );
        out.notes.extend(fail_on_errors(findings)?);
        if let Some(Value::String(c)) = obj.remove("cluster") {
            out.cluster_name = Some(c);
        }
        let t: RunTask = typed(Value::Object(obj), &JsonPath::root())?;
        out.tasks.push(t);
        Ok(out)
    };
    located(&src, run())
}

/// A whole plan: its task definitions, services, tasks, cluster name and capacity providers
/// (its container instances and workload stay with it: [`super::into_plan`] merges
/// definitions, not a second cluster).
pub fn plan(text: &str) -> Result<Imported> {
    let loaded = crate::plan::parse(text);
    let Some(p) = loaded.plan else {
        return Err(loaded
            .findings
            .into_iter()
            .filter(Finding::is_error)
            .collect());
    };
    let mut out = Imported::new(Format::Plan);
    out.notes = loaded.findings;
    if !p.cluster.container_instances.is_empty() {
        out.notes.push(Finding::info(
            "not-merged",
            JsonPath::root().key("cluster").key("containerInstances"),
            "container instances are not merged into another plan; only definitions are",
        ));
    }
    out.task_definitions = p.task_definitions;
    out.services = p.services;
    out.tasks = p.tasks;
    out.cluster_name = (!p.cluster.cluster_name.is_empty()).then_some(p.cluster.cluster_name);
    out.capacity_providers = p.cluster.capacity_providers;
    out.default_capacity_provider_strategy =
        (!p.cluster.default_capacity_provider_strategy.is_empty())
            .then_some(p.cluster.default_capacity_provider_strategy);
    Ok(out)
}

/// Adds line and column to the notes or errors.
pub(crate) fn located(src: &Source, r: Result<Imported>) -> Result<Imported> {
    match r {
        Ok(mut i) => {
            src.locate(&mut i.notes);
            Ok(i)
        }
        Err(mut e) => {
            src.locate(&mut e);
            Err(e)
        }
    }
}
