//! Export: a plan as what AWS tools accept.
//!
//! [`export`] turns a plan into files of one [`Format`]: the JSON requests for the AWS CLI
//! (`--cli-input-json`), a CloudFormation template, or Terraform. Output is stable (the same
//! plan gives the same bytes) and pretty-printed; JSON keeps the member order of the plan.
//!
//! The request builders ([`register_task_definition`], [`create_service`], ...) are public so
//! the UI can show one request at a time.

pub mod cfn;
pub mod hcl;
pub mod terraform;
pub mod yaml;

use crate::plan::{CapacityProvider, Plan, RunTask, Service, TaskDefRef, TaskDefinition};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// One RegisterTaskDefinition request per task definition.
    CliJson,
    /// One CreateService request per service.
    CreateService,
    /// One RunTask request per standalone task group.
    RunTask,
    /// One CreateCapacityProvider request per capacity provider, and the cluster's
    /// PutClusterCapacityProviders request.
    CapacityProviders,
    /// RegisterScalableTarget, PutScalingPolicy and PutScheduledAction requests per service.
    AutoScaling,
    /// A CloudFormation template (YAML) for the whole plan.
    CloudFormation,
    /// Terraform (HCL) for the whole plan.
    Terraform,
}

impl Format {
    /// Every format, in the order the export dialog and `ecsplan export --help` list them.
    pub const ALL: [Format; 7] = [
        Format::CliJson,
        Format::CreateService,
        Format::RunTask,
        Format::CapacityProviders,
        Format::AutoScaling,
        Format::CloudFormation,
        Format::Terraform,
    ];

    /// The name used on the command line (`--format`).
    pub fn name(self) -> &'static str {
        match self {
            Format::CliJson => "cli-json",
            Format::CreateService => "create-service",
            Format::RunTask => "run-task",
            Format::CapacityProviders => "capacity-providers",
            Format::AutoScaling => "autoscaling",
            Format::CloudFormation => "cloudformation",
            Format::Terraform => "terraform",
        }
    }

    /// The format of a name as the CLI's `--format` takes it (with the short aliases `cfn`, `tf`).
    pub fn from_name(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == s).or(match s {
            "register-task-definition" => Some(Format::CliJson),
            "cfn" => Some(Format::CloudFormation),
            "tf" => Some(Format::Terraform),
            "auto-scaling" => Some(Format::AutoScaling),
            _ => None,
        })
    }
}

/// One exported file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportFile {
    /// A file name without directories (`web-1.taskdef.json`, `template.yaml`).
    pub name: String,
    /// The file's text, as written to disk or downloaded.
    pub content: String,
}

/// Exports `plan` as `format`. A plan with nothing of that kind gives no files. File names are
/// unique within one export (see `unique_names`), so writing them all into one directory
/// loses none.
pub fn export(plan: &Plan, format: Format) -> Vec<ExportFile> {
    unique_names(files(plan, format))
}

/// What each kind of file's name ends with; the part before it is made unique.
const SUFFIXES: &[&str] = &[
    ".scaling-policy.json",
    ".scheduled-action.json",
    ".scalable-target.json",
    ".capacity-provider.json",
    ".run-task.json",
    ".service.json",
    ".taskdef.json",
    ".json",
    ".yaml",
    ".tf",
];

/// Renames the second and later files of the same name (compared without case, as macOS and
/// Windows file systems do): `nightly.run-task.json` twice becomes `nightly.run-task.json` and
/// `nightly-2.run-task.json`. Two RunTask requests of one `group`, or two names that differ
/// only in characters a file name cannot have, would otherwise write the same file.
pub fn unique_names(mut files: Vec<ExportFile>) -> Vec<ExportFile> {
    let mut taken = std::collections::HashSet::new();
    for f in &mut files {
        if taken.insert(f.name.to_lowercase()) {
            continue;
        }
        let suffix = SUFFIXES
            .iter()
            .find(|s| f.name.len() > s.len() && f.name.ends_with(*s))
            .copied()
            .unwrap_or("");
        let stem = &f.name[..f.name.len() - suffix.len()];
        let mut n = 2;
        let name = loop {
            let candidate = format!("{stem}-{n}{suffix}");
            if taken.insert(candidate.to_lowercase()) {
                break candidate;
            }
            n += 1;
        };
        f.name = name;
    }
    files
}

fn files(plan: &Plan, format: Format) -> Vec<ExportFile> {
    match format {
        Format::CliJson => plan
            .task_definitions
            .iter()
            .enumerate()
            .map(|(i, td)| {
                let rev = revision_of(plan, i);
                json_file(
                    format!("{}-{rev}.taskdef.json", safe(&td.family)),
                    &register_task_definition(td),
                )
            })
            .collect(),
        Format::CreateService => plan
            .services
            .iter()
            .map(|s| {
                json_file(
                    format!("{}.service.json", safe(&s.service_name)),
                    &create_service(plan, s),
                )
            })
            .collect(),
        Format::RunTask => plan
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let name = t.group.clone().unwrap_or_else(|| {
                    format!("{}-{}", TaskDefRef::parse(&t.task_definition).family, i + 1)
                });
                json_file(format!("{}.run-task.json", safe(&name)), &run_task(plan, t))
            })
            .collect(),
        Format::CapacityProviders => {
            let mut files: Vec<ExportFile> = plan
                .cluster
                .capacity_providers
                .iter()
                .map(|cp| {
                    json_file(
                        format!("{}.capacity-provider.json", safe(&cp.name)),
                        &create_capacity_provider(cp),
                    )
                })
                .collect();
            if let Some(v) = put_cluster_capacity_providers(plan) {
                files.push(json_file("cluster-capacity-providers.json".into(), &v));
            }
            files
        }
        Format::AutoScaling => {
            let mut files = Vec::new();
            for s in &plan.services {
                let Some(t) = register_scalable_target(plan, s) else {
                    continue;
                };
                let base = safe(&s.service_name);
                files.push(json_file(format!("{base}.scalable-target.json"), &t));
                for p in put_scaling_policies(plan, s) {
                    let n = p
                        .get("PolicyName")
                        .and_then(Value::as_str)
                        .unwrap_or("policy");
                    files.push(json_file(
                        format!("{base}.{}.scaling-policy.json", safe(n)),
                        &p,
                    ));
                }
                for a in put_scheduled_actions(plan, s) {
                    let n = a
                        .get("ScheduledActionName")
                        .and_then(Value::as_str)
                        .unwrap_or("action");
                    files.push(json_file(
                        format!("{base}.{}.scheduled-action.json", safe(n)),
                        &a,
                    ));
                }
            }
            files
        }
        Format::CloudFormation => vec![ExportFile {
            name: "template.yaml".into(),
            content: cfn::template(plan),
        }],
        Format::Terraform => vec![ExportFile {
            name: "main.tf".into(),
            content: terraform::main_tf(plan),
        }],
    }
}

/// Pretty JSON with a final newline.
pub fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn json_file(name: String, v: &Value) -> ExportFile {
    ExportFile {
        name,
        content: pretty(v),
    }
}

/// A name usable as a file name: letters, digits, `.`, `-` and `_`.
fn safe(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    if out.is_empty() || out.starts_with('.') {
        format!("_{out}")
    } else {
        out
    }
}

/// The revision of `taskDefinitions[i]` within its family (plan order, from 1).
pub fn revision_of(plan: &Plan, i: usize) -> u32 {
    let family = &plan.task_definitions[i].family;
    plan.task_definitions[..=i]
        .iter()
        .filter(|t| &t.family == family)
        .count() as u32
}

/// The cluster name requests use: the plan's, or AWS's `default`.
pub fn cluster_name(plan: &Plan) -> &str {
    if plan.cluster.cluster_name.is_empty() {
        "default"
    } else {
        &plan.cluster.cluster_name
    }
}

/// A task definition reference as `family:revision` when it names a task definition of the
/// plan; ARNs and unknown families are kept as they are.
pub fn task_definition_reference(plan: &Plan, reference: &str) -> String {
    if reference.contains(":task-definition/") {
        return reference.to_string();
    }
    match plan.resolve_task_definition(reference) {
        Some((i, rev)) => format!("{}:{rev}", plan.task_definitions[i].family),
        None => reference.to_string(),
    }
}

fn to_object<T: Serialize>(x: &T) -> Map<String, Value> {
    match serde_json::to_value(x) {
        Ok(Value::Object(o)) => o,
        _ => Map::new(),
    }
}

/// The RegisterTaskDefinition request: the task definition exactly as the plan has it.
pub fn register_task_definition(td: &TaskDefinition) -> Value {
    Value::Object(to_object(td))
}

/// The CreateService request: the service without the planner's `autoScaling`, with `cluster`
/// from the plan (when it has a name) and `taskDefinition` as `family:revision`.
pub fn create_service(plan: &Plan, s: &Service) -> Value {
    let mut o = to_object(s);
    o.remove("autoScaling");
    let mut out = Map::new();
    if !plan.cluster.cluster_name.is_empty() {
        out.insert(
            "cluster".into(),
            Value::String(plan.cluster.cluster_name.clone()),
        );
    } else if let Some(c) = o.get("cluster") {
        out.insert("cluster".into(), c.clone());
    }
    for (k, v) in o {
        match k.as_str() {
            "cluster" => {}
            "taskDefinition" => {
                let r = v.as_str().map(|r| task_definition_reference(plan, r));
                out.insert(k, r.map(Value::String).unwrap_or(v));
            }
            _ => {
                out.insert(k, v);
            }
        }
    }
    Value::Object(out)
}

/// The RunTask request, with `cluster` and `taskDefinition` filled in like [`create_service`].
pub fn run_task(plan: &Plan, t: &RunTask) -> Value {
    let mut o = to_object(t);
    let mut out = Map::new();
    if !plan.cluster.cluster_name.is_empty() {
        out.insert(
            "cluster".into(),
            Value::String(plan.cluster.cluster_name.clone()),
        );
    } else if let Some(c) = o.get("cluster") {
        out.insert("cluster".into(), c.clone());
    }
    o.remove("cluster");
    for (k, v) in o {
        if k == "taskDefinition" {
            out.insert(
                k,
                Value::String(task_definition_reference(plan, &t.task_definition)),
            );
        } else {
            out.insert(k, v);
        }
    }
    Value::Object(out)
}

/// The CreateCapacityProvider request: the plan's capacity provider without the Auto Scaling
/// group the planner keeps beside it. An empty `autoScalingGroupArn` is filled with the group's
/// name, which the API also takes.
pub fn create_capacity_provider(cp: &CapacityProvider) -> Value {
    let mut o = to_object(cp);
    o.remove("autoScalingGroup");
    if let Some(Value::Object(p)) = o.get_mut("autoScalingGroupProvider") {
        let empty = p
            .get("autoScalingGroupArn")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty);
        if empty {
            if let Some(name) = cp
                .auto_scaling_group
                .as_ref()
                .and_then(|g| g.auto_scaling_group_name.clone())
            {
                p.insert("autoScalingGroupArn".into(), Value::String(name));
            }
        }
    }
    Value::Object(o)
}

/// The capacity providers a cluster must have associated: its own and the Fargate ones any
/// strategy uses, in first-use order.
pub fn cluster_capacity_provider_names(plan: &Plan) -> Vec<String> {
    let mut names: Vec<String> = plan
        .cluster
        .capacity_providers
        .iter()
        .map(|c| c.name.clone())
        .collect();
    let strategies = plan
        .cluster
        .default_capacity_provider_strategy
        .iter()
        .chain(
            plan.services
                .iter()
                .flat_map(|s| s.capacity_provider_strategy.iter()),
        )
        .chain(
            plan.tasks
                .iter()
                .flat_map(|t| t.capacity_provider_strategy.iter()),
        );
    for item in strategies {
        if !names.contains(&item.capacity_provider) {
            names.push(item.capacity_provider.clone());
        }
    }
    names
}

/// PutClusterCapacityProviders for the cluster, when it uses capacity providers.
pub fn put_cluster_capacity_providers(plan: &Plan) -> Option<Value> {
    let names = cluster_capacity_provider_names(plan);
    if names.is_empty() {
        return None;
    }
    Some(json!({
        "cluster": cluster_name(plan),
        "capacityProviders": names,
        "defaultCapacityProviderStrategy": plan.cluster.default_capacity_provider_strategy,
    }))
}

/// Application Auto Scaling's resource id of a service.
pub fn scaling_resource_id(plan: &Plan, s: &Service) -> String {
    format!("service/{}/{}", cluster_name(plan), s.service_name)
}

/// The service's `autoScaling` as the plan writes it.
pub(crate) fn auto_scaling(s: &Service) -> Option<Map<String, Value>> {
    s.auto_scaling.as_ref()?.json().as_object().cloned()
}

fn scaling_header(plan: &Plan, s: &Service) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("ServiceNamespace".into(), json!("ecs"));
    o.insert("ResourceId".into(), json!(scaling_resource_id(plan, s)));
    o.insert(
        "ScalableDimension".into(),
        json!("ecs:service:DesiredCount"),
    );
    o
}

/// RegisterScalableTarget for a service with `autoScaling`.
pub fn register_scalable_target(plan: &Plan, s: &Service) -> Option<Value> {
    let a = auto_scaling(s)?;
    let mut o = scaling_header(plan, s);
    for (k, m) in [
        ("minCapacity", "MinCapacity"),
        ("maxCapacity", "MaxCapacity"),
        ("suspendedState", "SuspendedState"),
    ] {
        if let Some(v) = a.get(k) {
            o.insert(m.into(), v.clone());
        }
    }
    Some(Value::Object(o))
}

fn with_header(plan: &Plan, s: &Service, item: &Value) -> Value {
    let mut o = scaling_header(plan, s);
    if let Value::Object(x) = item {
        for (k, v) in x {
            if !matches!(
                k.as_str(),
                "ServiceNamespace" | "ResourceId" | "ScalableDimension"
            ) {
                o.insert(k.clone(), v.clone());
            }
        }
    }
    Value::Object(o)
}

/// Members the planner adds to a PutScalingPolicy request (the step scaling policy's `alarm`,
/// the simulator's stand-in for the user's CloudWatch alarm); no AWS format has them.
pub const PLANNER_POLICY_MEMBERS: [&str; 1] = ["alarm"];

/// A plan's scaling policy as AWS knows it: without the planner's members.
pub fn aws_policy(p: &Value) -> Value {
    let mut p = p.clone();
    if let Value::Object(o) = &mut p {
        for k in PLANNER_POLICY_MEMBERS {
            o.remove(k);
        }
    }
    p
}

/// PutScalingPolicy per policy of a service, with the target's fields filled in.
pub fn put_scaling_policies(plan: &Plan, s: &Service) -> Vec<Value> {
    let Some(a) = auto_scaling(s) else {
        return Vec::new();
    };
    let list = a
        .get("policies")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    list.iter()
        .map(|p| with_header(plan, s, &aws_policy(p)))
        .collect()
}

/// PutScheduledAction per scheduled action of a service, with the target's fields filled in.
pub fn put_scheduled_actions(plan: &Plan, s: &Service) -> Vec<Value> {
    let Some(a) = auto_scaling(s) else {
        return Vec::new();
    };
    let list = a
        .get("scheduledActions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    list.iter().map(|p| with_header(plan, s, p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn run_tasks_of_one_group_get_files_of_their_own() {
        let plan: Plan = serde_json::from_value(json!({"schemaVersion": 1,
            "taskDefinitions": [{"family": "job", "containerDefinitions": [{"name": "c", "image": "x", "memory": 64}]}],
            "tasks": [{"taskDefinition": "job", "group": "nightly"}, {"taskDefinition": "job", "group": "nightly", "count": 2},
                      {"taskDefinition": "job", "group": "Nightly"}, {"taskDefinition": "job", "group": "nightly-2"},
                      {"taskDefinition": "job", "group": "night ly"}, {"taskDefinition": "job", "group": "night/ly"}]}))
        .unwrap();
        let names: Vec<String> = export(&plan, Format::RunTask)
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(
            names,
            [
                "nightly.run-task.json",
                "nightly-2.run-task.json",
                "Nightly-3.run-task.json",
                "nightly-2-2.run-task.json",
                "night_ly.run-task.json",
                "night_ly-2.run-task.json",
            ]
        );
        let contents: std::collections::HashSet<String> = export(&plan, Format::RunTask)
            .into_iter()
            .map(|f| f.content)
            .collect();
        assert_eq!(contents.len(), 6, "every request is in a file of its own");
    }
}
