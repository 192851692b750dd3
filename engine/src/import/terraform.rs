//! A cluster from Terraform: `terraform show -json` of a state (`values.root_module`, with
//! `child_modules`) or of a saved plan (`planned_values`, `resource_changes`,
//! `configuration`), or a raw `terraform.tfstate` (`version` 4, `resources[].instances[]`).
//!
//! Resources read: `aws_ecs_cluster`, `aws_ecs_cluster_capacity_providers`,
//! `aws_ecs_capacity_provider`, `aws_autoscaling_group`, `aws_launch_template`,
//! `aws_launch_configuration`, `aws_subnet` (managed or data), `aws_ecs_task_definition`
//! (its `container_definitions` is a JSON string), `aws_ecs_service`,
//! `aws_appautoscaling_target`, `aws_appautoscaling_policy` and
//! `aws_appautoscaling_scheduled_action`. Attributes are converted to the API's members guided
//! by the request shapes: the provider's snake_case names back to the API's, one-element block
//! lists to structures, tag maps to tag lists, strings to numbers where the API wants numbers,
//! plus the provider's renames (`ordered_placement_strategy`, `load_balancer`, the flattened
//! deployment configuration, `network_configuration`, ...). What Terraform computes (`arn`,
//! `id`, `tags_all`) or only Terraform knows (`wait_for_steady_state`) is counted in the notes.
//!
//! Terraform knows no container instances. They are derived from each capacity provider's
//! Auto Scaling group: `desired_capacity` (else `min_size`) instances of the launch template's
//! instance type (or the first override), placed over the group's zones in turn as EC2 Auto
//! Scaling balances them. The zones are the group's `availability_zones`, else those of its
//! `vpc_zone_identifier` subnets when the `aws_subnet` resources or data sources are there;
//! otherwise one zone per subnet is assumed, named `REGIONa`, `REGIONb`, ... in subnet order —
//! a documented guess, reported as a warning. A group behind no capacity provider counts when
//! its launch template's user data names the cluster (`ECS_CLUSTER=name`).
//!
//! In a plan, values known only after apply (the ARN of a new group, a new task definition's
//! revision) are absent from `planned_values`; references in `configuration` then tell which
//! resource is meant.

use super::cluster_import::{
    arn_id, arn_region, cluster_zones, family_revision, refused, zone_region, zones_of,
    ClusterImport, ClusterOptions, ClusterResult, ClusterSource, InputFile, Notes, Revisions,
    SourceNote,
};
use super::parse_any;
use crate::catalog::Catalog;
use crate::findings::{Finding, JsonPath};
use crate::plan::{
    AutoScalingGroup, CapacityProvider, CapacityProviderStrategyItem, ContainerInstance, Plan,
    Service, TaskDefinition,
};
use crate::schema::{snake, Shape, Shapes};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Which of Terraform's JSON documents the input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerraformFormat {
    /// `terraform show -json` of the state.
    State,
    /// `terraform show -json PLANFILE`.
    Plan,
    /// The state file itself (`terraform.tfstate`, `terraform state pull`).
    RawState,
}

/// One managed resource (or data source) instance.
#[derive(Debug, Clone)]
struct Res {
    /// `module.a.aws_ecs_service.web["x"]`.
    address: String,
    /// The address without the instance key: `module.a.aws_ecs_service.web`.
    base: String,
    data: bool,
    kind: String,
    values: Map<String, Value>,
    /// Where its values are in the file.
    path: JsonPath,
    /// Attributes known only after apply (plans).
    unknown: Map<String, Value>,
}

/// Whether a parsed document is Terraform's (`terraform show -json` of a state or plan, or a
/// state file), from its top-level members.
pub fn is_terraform(v: &Value) -> bool {
    let Some(o) = v.as_object() else {
        return false;
    };
    o.contains_key("planned_values")
        || o.get("values")
            .is_some_and(|x| x.get("root_module").is_some())
        || (o.contains_key("format_version") && o.contains_key("terraform_version"))
        || (o.get("version").is_some_and(Value::is_number)
            && o.contains_key("lineage")
            && o.get("resources").is_some_and(Value::is_array))
}

/// Imports `terraform show -json` output (or a raw state file).
pub fn terraform(file: &InputFile, options: &ClusterOptions) -> ClusterResult {
    let mut notes = Notes::default();
    let name = file.name.as_str();
    let src = match parse_any(&file.text) {
        Ok(s) => s,
        Err(errors) => {
            return Err(errors
                .into_iter()
                .map(|finding| SourceNote {
                    file: name.to_string(),
                    finding,
                })
                .collect())
        }
    };
    let doc = &src.value;
    let (format, resources, config) = match read(doc, name, &mut notes) {
        Ok(x) => x,
        Err(f) => {
            notes.push(name, *f);
            let mut out = notes.finish();
            for n in &mut out {
                src.locate(std::slice::from_mut(&mut n.finding));
            }
            return Err(out);
        }
    };
    let mut b = Build {
        file: name,
        notes: &mut notes,
        options,
        format,
        resources,
        config,
        region: None,
        cluster: None,
        cluster_name: String::new(),
        zones_by_subnet: HashMap::new(),
        revisions: Revisions::default(),
        td_by_address: HashMap::new(),
        providers: Vec::new(),
        instances: Vec::new(),
        default_strategy: Vec::new(),
        services: Vec::new(),
        service_by_address: HashMap::new(),
        alarms_used: BTreeSet::new(),
    };
    b.region(doc);
    b.subnets();
    b.cluster();
    b.task_definitions();
    b.capacity_providers();
    b.services();
    b.scaling();
    b.unconverted();
    let nothing = b.cluster.is_none()
        && b.services.is_empty()
        && b.providers.is_empty()
        && b.instances.is_empty()
        && !b.revisions.has_any();
    if nothing {
        b.notes.push(
            name,
            Finding::error(
                "nothing-to-import",
                JsonPath::root(),
                "no ECS resources: no aws_ecs_cluster, aws_ecs_service, aws_ecs_task_definition or aws_ecs_capacity_provider",
            )
            .with_fix("run `terraform show -json` in the configuration that manages the ECS cluster"),
        );
        let mut out = notes.finish();
        for n in &mut out {
            src.locate(std::slice::from_mut(&mut n.finding));
        }
        return Err(out);
    }
    let plan = b.finish();
    let mut out = notes.finish();
    for n in &mut out {
        if n.finding.path != JsonPath::root() {
            src.locate(std::slice::from_mut(&mut n.finding));
        }
    }
    Ok(ClusterImport {
        source: ClusterSource::Terraform,
        plan,
        running_tasks: Vec::new(),
        instances: Vec::new(),
        notes: out,
    })
}

/// The configuration's expressions of each resource, by address without instance key (with
/// its module prefix), and of each module call, by the prefix of the module it calls (with
/// the caller's prefix): a module's `var.x` is the call's expression `x`.
#[derive(Debug, Default)]
struct Config {
    resources: HashMap<String, (String, Map<String, Value>)>,
    calls: HashMap<String, (String, Map<String, Value>)>,
}

/// The resources of the document, and the configuration's expressions when it is a plan.
fn read(
    doc: &Value,
    file: &str,
    notes: &mut Notes,
) -> Result<(TerraformFormat, Vec<Res>, Config), Box<Finding>> {
    let root = JsonPath::root();
    let Some(o) = doc.as_object() else {
        return Err(Box::new(not_terraform(root)));
    };
    if let Some(v) = o.get("format_version").and_then(Value::as_str) {
        // 0.x are the same format before Terraform 1.0; a new major version may differ.
        let major: u32 = v
            .split('.')
            .next()
            .and_then(|m| m.parse().ok())
            .unwrap_or(0);
        if major >= 2 {
            notes.push(
                file,
                Finding::warning(
                    "format-version",
                    root.key("format_version"),
                    format!("format version {v}: read as version 1 (Terraform's JSON output format of 1.x)"),
                ),
            );
        }
    }
    let mut out = Vec::new();
    let mut config = Config::default();
    let format = if let Some(pv) = o.get("planned_values") {
        let changes = resource_changes(doc);
        let deleted: Vec<&str> = changes
            .iter()
            .filter(|(_, (actions, _))| actions.iter().all(|a| a == "delete"))
            .map(|(a, _)| a.as_str())
            .collect();
        if !deleted.is_empty() {
            notes.push(
                file,
                Finding::info(
                    "destroyed",
                    root.key("resource_changes"),
                    format!(
                        "the plan destroys {} resources ({}); the imported cluster is the one after apply, without them",
                        deleted.len(),
                        deleted.iter().take(5).copied().collect::<Vec<_>>().join(", ")
                    ),
                ),
            );
        }
        if let Some(rm) = pv.get("root_module") {
            module_values(rm, &root.key("planned_values").key("root_module"), &mut out);
        }
        // Data sources read at plan time are in the prior state.
        if let Some(rm) = o
            .get("prior_state")
            .and_then(|p| p.get("values"))
            .and_then(|v| v.get("root_module"))
        {
            let mut prior = Vec::new();
            module_values(
                rm,
                &root.key("prior_state").key("values").key("root_module"),
                &mut prior,
            );
            for r in prior {
                if r.data && !out.iter().any(|x| x.address == r.address) {
                    out.push(r);
                }
            }
        }
        for r in &mut out {
            if let Some((_, unknown)) = changes.get(&r.address) {
                r.unknown = unknown.clone();
            }
        }
        if let Some(rm) = doc.get("configuration").and_then(|c| c.get("root_module")) {
            configuration(rm, "", &mut config);
        }
        TerraformFormat::Plan
    } else if let Some(rm) = o.get("values").and_then(|v| v.get("root_module")) {
        module_values(rm, &root.key("values").key("root_module"), &mut out);
        TerraformFormat::State
    } else if o.get("resources").is_some_and(Value::is_array)
        && o.get("version").is_some_and(Value::is_number)
    {
        raw_state(doc, &mut out);
        TerraformFormat::RawState
    } else if o.contains_key("format_version") {
        return Err(Box::new(
            Finding::error(
                "empty-state",
                root,
                "the Terraform output has no resources (an empty state, or no state yet)",
            )
            .with_fix("run `terraform show -json` where the state is, or on a saved plan"),
        ));
    } else {
        return Err(Box::new(not_terraform(root)));
    };
    Ok((format, out, config))
}

fn not_terraform(path: JsonPath) -> Finding {
    Finding::error(
        "not-terraform",
        path,
        "not `terraform show -json` output: expected `values.root_module` (state), `planned_values` (plan) or a state file's `resources`",
    )
    .with_fix("run `terraform show -json > state.json` (or `terraform show -json PLANFILE`) and import that file")
}

/// address → (actions, after_unknown) of a plan's resource changes.
fn resource_changes(doc: &Value) -> HashMap<String, (Vec<String>, Map<String, Value>)> {
    let mut out = HashMap::new();
    for c in doc
        .get("resource_changes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(addr) = c.get("address").and_then(Value::as_str) else {
            continue;
        };
        let change = c.get("change");
        let actions = change
            .and_then(|c| c.get("actions"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let unknown = change
            .and_then(|c| c.get("after_unknown"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        out.insert(addr.to_string(), (actions, unknown));
    }
    out
}

/// `module.a.aws_x.y["k"]` → `module.a.aws_x.y`.
fn base_address(address: &str) -> &str {
    // The instance key is the last `[...]`: a number, or a quoted string that may hold dots.
    let start = if address.ends_with("\"]") {
        address.rfind("[\"")
    } else if address.ends_with(']') {
        address.rfind('[')
    } else {
        None
    };
    match start {
        Some(i) => &address[..i],
        None => address,
    }
}

fn module_values(m: &Value, path: &JsonPath, out: &mut Vec<Res>) {
    for (i, r) in m
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let rp = path.key("resources").index(i);
        let (Some(address), Some(kind)) = (
            r.get("address").and_then(Value::as_str),
            r.get("type").and_then(Value::as_str),
        ) else {
            continue;
        };
        out.push(Res {
            address: address.to_string(),
            base: base_address(address).to_string(),
            data: r.get("mode").and_then(Value::as_str) == Some("data"),
            kind: kind.to_string(),
            values: r
                .get("values")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
            path: rp.key("values"),
            unknown: Map::new(),
        });
    }
    for (i, c) in m
        .get("child_modules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        module_values(c, &path.key("child_modules").index(i), out);
    }
}

fn raw_state(doc: &Value, out: &mut Vec<Res>) {
    let root = JsonPath::root();
    for (i, r) in doc
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let (Some(kind), Some(name)) = (
            r.get("type").and_then(Value::as_str),
            r.get("name").and_then(Value::as_str),
        ) else {
            continue;
        };
        let data = r.get("mode").and_then(Value::as_str) == Some("data");
        let module = r
            .get("module")
            .and_then(Value::as_str)
            .map(|m| format!("{m}."))
            .unwrap_or_default();
        let base = format!("{module}{}{kind}.{name}", if data { "data." } else { "" });
        for (k, inst) in r
            .get("instances")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let key = match inst.get("index_key") {
                Some(Value::String(s)) => format!("[{}]", Value::String(s.clone())),
                Some(Value::Number(n)) => format!("[{n}]"),
                _ => String::new(),
            };
            out.push(Res {
                address: format!("{base}{key}"),
                base: base.clone(),
                data,
                kind: kind.to_string(),
                values: inst
                    .get("attributes")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default(),
                path: root
                    .key("resources")
                    .index(i)
                    .key("instances")
                    .index(k)
                    .key("attributes"),
                unknown: Map::new(),
            });
        }
    }
}

/// Collects each configured resource's expressions under its full address.
fn configuration(m: &Value, prefix: &str, out: &mut Config) {
    for r in m
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(a) = r.get("address").and_then(Value::as_str) {
            out.resources.insert(
                format!("{prefix}{a}"),
                (
                    prefix.to_string(),
                    r.get("expressions")
                        .and_then(Value::as_object)
                        .cloned()
                        .unwrap_or_default(),
                ),
            );
        }
    }
    if let Some(calls) = m.get("module_calls").and_then(Value::as_object) {
        for (name, call) in calls {
            let inner = format!("{prefix}module.{name}.");
            out.calls.insert(
                inner.clone(),
                (
                    prefix.to_string(),
                    call.get("expressions")
                        .and_then(Value::as_object)
                        .cloned()
                        .unwrap_or_default(),
                ),
            );
            if let Some(module) = call.get("module") {
                configuration(module, &inner, out);
            }
        }
    }
}

/// Renames of one resource type: (API shape, Terraform attribute) → API member; `""` leaves
/// the attribute to the caller.
type Renames = &'static [(&'static str, &'static str, &'static str)];

const TASK_DEFINITION_RENAMES: Renames = &[
    (
        "ecs:RegisterTaskDefinitionRequest",
        "container_definitions",
        "",
    ),
    ("ecs:RegisterTaskDefinitionRequest", "volume", ""),
    (
        "ecs:RegisterTaskDefinitionRequest",
        "proxy_configuration",
        "",
    ),
    ("ecs:RegisterTaskDefinitionRequest", "tags", ""),
    (
        "ecs:RegisterTaskDefinitionRequest",
        "inference_accelerator",
        "inferenceAccelerators",
    ),
    ("ecs:Volume", "host_path", ""),
    ("ecs:Volume", "configure_at_launch", "configuredAtLaunch"),
    (
        "ecs:EFSVolumeConfiguration",
        "file_system_id",
        "fileSystemId",
    ),
];

const SERVICE_RENAMES: Renames = &[
    ("plan:Service", "name", "serviceName"),
    ("plan:Service", "iam_role", "role"),
    (
        "plan:Service",
        "ordered_placement_strategy",
        "placementStrategy",
    ),
    ("plan:Service", "load_balancer", "loadBalancers"),
    ("plan:Service", "cluster", ""),
    ("plan:Service", "task_definition", ""),
    ("plan:Service", "tags", ""),
    ("plan:Service", "network_configuration", ""),
    ("plan:Service", "deployment_maximum_percent", ""),
    ("plan:Service", "deployment_minimum_healthy_percent", ""),
    ("plan:Service", "deployment_circuit_breaker", ""),
    ("plan:Service", "alarms", ""),
    ("plan:Service", "deployment_configuration", ""),
    ("ecs:LoadBalancer", "elb_name", "loadBalancerName"),
    ("ecs:DeploymentAlarms", "alarm_names", "alarmNames"),
];

const CAPACITY_PROVIDER_RENAMES: Renames = &[("plan:CapacityProvider", "tags", "")];

const ASG_RENAMES: Renames = &[
    ("plan:AutoScalingGroup", "name", "AutoScalingGroupName"),
    ("plan:AutoScalingGroup", "vpc_zone_identifier", ""),
    ("plan:AutoScalingGroup", "tag", "Tags"),
    (
        "plan:AutoScalingGroup",
        "protect_from_scale_in",
        "NewInstancesProtectedFromScaleIn",
    ),
    (
        "plan:AutoScalingGroup",
        "launch_configuration",
        "LaunchConfigurationName",
    ),
    (
        "plan:AutoScalingGroup",
        "target_group_arns",
        "TargetGroupARNs",
    ),
    (
        "plan:AutoScalingGroup",
        "service_linked_role_arn",
        "ServiceLinkedRoleARN",
    ),
    ("asg:LaunchTemplateSpecification", "id", "LaunchTemplateId"),
    (
        "asg:LaunchTemplateSpecification",
        "name",
        "LaunchTemplateName",
    ),
    ("asg:LaunchTemplate", "override", "Overrides"),
];

const SCALING_RENAMES: Renames = &[
    ("plan:ScalingPolicy", "name", "PolicyName"),
    ("plan:ScheduledAction", "name", "ScheduledActionName"),
    (
        "aas:StepScalingPolicyConfiguration",
        "step_adjustment",
        "StepAdjustments",
    ),
];

/// Attributes Terraform computes or keeps for itself, per resource type; counted, not warned.
const TERRAFORM_ONLY: &[&str] = &[
    "id",
    "arn",
    "tags_all",
    "arn_without_revision",
    "revision",
    "skip_destroy",
    "track_latest",
    "wait_for_steady_state",
    "force_new_deployment",
    "force_delete",
    "triggers",
    "timeouts",
    "region",
    "resource_id",
    "service_namespace",
    "scalable_dimension",
    "role_arn",
    "policy_type_unused",
    "alarm_arns",
    "wait_for_capacity_timeout",
    "min_elb_capacity",
    "wait_for_elb_capacity",
    "ignore_failed_scaling_activities",
    "predicted_capacity",
    "warm_pool_size",
    "cluster",
];

/// Attributes whose 0 the provider treats as unset (it sends them only when positive).
const ZERO_IS_UNSET: &[&str] = &[
    "min_adjustment_magnitude",
    "max_instance_lifetime",
    "default_instance_warmup",
    "spot_instance_pools",
    "health_check_grace_period_seconds",
    "instance_warmup_period",
];

/// Converts a Terraform value to the API value of `shape` (`None`: nothing to keep). Unset
/// values (`null`, `""`, empty lists and maps) are nothing.
fn convert(
    v: &Value,
    shape: &str,
    renames: Renames,
    what: &str,
    path: &JsonPath,
    file: &str,
    notes: &mut Notes,
) -> Option<Value> {
    let shapes = Shapes::builtin();
    let def = shapes.get(shape)?;
    match v {
        Value::Null => return None,
        Value::String(s) if s.is_empty() => return None,
        Value::Array(a) if a.is_empty() => return None,
        Value::Object(o) if o.is_empty() => return None,
        _ => {}
    }
    match def {
        Shape::Structure { .. } => {
            let (obj, path) = match v {
                Value::Object(o) => (o, path.clone()),
                Value::Array(a) => {
                    if a.len() > 1 {
                        notes.push(
                            file,
                            Finding::warning(
                                "not-converted",
                                path.index(1),
                                format!("{} blocks where the API takes one structure; the first is kept", a.len()),
                            ),
                        );
                    }
                    (a[0].as_object()?, path.index(0))
                }
                _ => return None,
            };
            let (members, _) = shapes.structure(shape)?;
            let mut out = Map::new();
            for (k, x) in obj {
                let rename = renames
                    .iter()
                    .find(|(s, a, _)| *s == shape && a == k)
                    .map(|(_, _, m)| *m);
                let member = match rename {
                    Some("") => continue,
                    Some(m) => Some(m.to_string()),
                    None => members
                        .keys()
                        .find(|m| snake(m) == *k)
                        .map(|m| m.to_string()),
                };
                let Some(member) = member else {
                    // Unset, or a flag or count at Terraform's default with no API meaning.
                    if is_unset(x) || x == &Value::Bool(false) || x.as_f64() == Some(0.0) {
                        continue;
                    }
                    let why = if TERRAFORM_ONLY.contains(&k.as_str()) {
                        "Terraform computes it or keeps it for itself"
                    } else {
                        "the API request has no member for it"
                    };
                    notes.dropped(what, k, why, file, path.key(k));
                    continue;
                };
                if ZERO_IS_UNSET.contains(&k.as_str()) && x.as_f64() == Some(0.0) {
                    continue;
                }
                let mshape = members.get(member.as_str()).copied().unwrap_or("");
                if let Some(c) = convert(x, mshape, renames, what, &path.key(k), file, notes) {
                    out.insert(member, c);
                }
            }
            (!out.is_empty()).then_some(Value::Object(out))
        }
        Shape::List { member, .. } => {
            let items: Vec<Value> = match v {
                Value::Array(a) => a.clone(),
                other => vec![other.clone()],
            };
            let out: Vec<Value> = items
                .iter()
                .enumerate()
                .filter_map(|(i, x)| convert(x, member, renames, what, &path.index(i), file, notes))
                .collect();
            (!out.is_empty()).then_some(Value::Array(out))
        }
        Shape::Map { value, .. } => {
            let o = v.as_object()?;
            let out: Map<String, Value> = o
                .iter()
                .filter_map(|(k, x)| {
                    Some((
                        k.clone(),
                        convert(x, value, renames, what, &path.key(k), file, notes)?,
                    ))
                })
                .collect();
            (!out.is_empty()).then_some(Value::Object(out))
        }
        Shape::String { .. } | Shape::Timestamp | Shape::Blob => match v {
            Value::String(_) => Some(v.clone()),
            Value::Number(n) => Some(Value::String(n.to_string())),
            Value::Bool(b) => Some(Value::String(b.to_string())),
            _ => None,
        },
        Shape::Integer { .. } => match v {
            Value::Number(n) if n.is_i64() || n.is_u64() => Some(v.clone()),
            Value::Number(n) => n
                .as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| Value::from(f as i64)),
            Value::String(s) => s.trim().parse::<i64>().ok().map(Value::from),
            _ => None,
        },
        Shape::Number { .. } => match v {
            Value::Number(_) => Some(v.clone()),
            Value::String(s) => s
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number),
            _ => None,
        },
        Shape::Boolean => match v {
            Value::Bool(_) => Some(v.clone()),
            Value::String(s) if s == "true" || s == "false" => Some(Value::Bool(s == "true")),
            _ => None,
        },
        Shape::Any => Some(v.clone()),
    }
}

fn is_unset(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty() || a.iter().all(is_unset),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Keeps the members of a converted object that their shapes accept; the others are left out
/// with a warning at the refused value.
fn checked(
    obj: Map<String, Value>,
    shape: &str,
    path: &JsonPath,
    file: &str,
    notes: &mut Notes,
) -> Map<String, Value> {
    let members = Shapes::builtin()
        .structure(shape)
        .map(|(m, _)| m)
        .unwrap_or_default();
    let mut out = Map::new();
    for (k, v) in obj {
        let mshape = members.get(k.as_str()).copied().unwrap_or("");
        match refused(&v, mshape, &path.key(&k)) {
            None => {
                out.insert(k, v);
            }
            Some(f) => notes.push(
                file,
                Finding::warning(
                    "not-converted",
                    path.clone(),
                    format!("`{k}` left out: {}", f.message),
                )
                .with_fix("set it in the plan by hand if it matters"),
            ),
        }
    }
    out
}

/// A Terraform tag map as an ECS tag list.
fn ecs_tags(v: Option<&Value>) -> Option<Value> {
    let o = v?.as_object()?;
    if o.is_empty() {
        return None;
    }
    Some(Value::Array(
        o.iter()
            .map(|(k, x)| json!({ "key": k, "value": x.as_str().unwrap_or_default() }))
            .collect(),
    ))
}

fn s<'a>(r: &'a Res, k: &str) -> Option<&'a str> {
    r.values
        .get(k)
        .and_then(Value::as_str)
        .filter(|x| !x.is_empty())
}

fn n(r: &Res, k: &str) -> Option<u32> {
    match r.values.get(k)? {
        Value::Number(x) => x.as_u64().and_then(|u| u32::try_from(u).ok()),
        Value::String(x) => x.trim().parse().ok(),
        _ => None,
    }
}

/// The first block of a block list attribute.
fn block(v: Option<&Value>) -> Option<&Map<String, Value>> {
    match v? {
        Value::Array(a) => a.first()?.as_object(),
        Value::Object(o) => Some(o),
        _ => None,
    }
}

struct Build<'a> {
    file: &'a str,
    notes: &'a mut Notes,
    options: &'a ClusterOptions,
    format: TerraformFormat,
    resources: Vec<Res>,
    config: Config,
    region: Option<String>,
    /// Index of the imported aws_ecs_cluster.
    cluster: Option<usize>,
    cluster_name: String,
    zones_by_subnet: HashMap<String, String>,
    revisions: Revisions,
    /// Task definition resource address → (family, AWS revision or 0).
    td_by_address: HashMap<String, (String, u32)>,
    providers: Vec<CapacityProvider>,
    instances: Vec<ContainerInstance>,
    default_strategy: Vec<CapacityProviderStrategyItem>,
    services: Vec<Service>,
    /// Service resource address → index in `services`.
    service_by_address: HashMap<String, usize>,
    /// CloudWatch alarms converted into a step scaling policy's `alarm`.
    alarms_used: BTreeSet<usize>,
}

impl Build<'_> {
    /// A note on the Terraform file.
    fn note(&mut self, finding: Finding) {
        self.notes.push(self.file, finding);
    }

    /// A resource's values as the API object of `shape`, its members renamed by `renames`
    /// (empty when nothing converts; what is dropped is noted for `what`).
    fn object_of(
        &mut self,
        r: &Res,
        shape: &str,
        renames: Renames,
        what: &str,
    ) -> Map<String, Value> {
        match convert(
            &Value::Object(r.values.clone()),
            shape,
            renames,
            what,
            &r.path,
            self.file,
            self.notes,
        ) {
            Some(Value::Object(o)) => o,
            _ => Map::new(),
        }
    }

    fn of<'r>(&'r self, kind: &'r str) -> impl Iterator<Item = (usize, &'r Res)> + 'r {
        self.resources
            .iter()
            .enumerate()
            .filter(move |(_, r)| r.kind == kind && !r.data)
    }

    /// The resources an attribute of `r` refers to in the plan's configuration (`attr` may
    /// name a nested block attribute: `["network_configuration", "subnets"]`).
    fn references(&self, r: &Res, attr: &[&str]) -> Vec<usize> {
        match self.config.resources.get(&r.base) {
            Some((prefix, exprs)) => self.resolve(prefix, exprs, attr, 0),
            None => Vec::new(),
        }
    }

    /// The resources an expression (in the module at `prefix`) refers to; `var.x` follows the
    /// module call's expression `x` into the calling module.
    fn resolve(
        &self,
        prefix: &str,
        exprs: &Map<String, Value>,
        attr: &[&str],
        depth: usize,
    ) -> Vec<usize> {
        let Some(first) = attr.first() else {
            return Vec::new();
        };
        let mut v = exprs.get(*first);
        for a in &attr[1..] {
            v = v.and_then(|x| match x {
                Value::Array(l) => l.first()?.get(*a),
                o => o.get(*a),
            });
        }
        let mut out = Vec::new();
        for reference in v
            .and_then(|x| x.get("references"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if let Some(var) = reference.strip_prefix("var.") {
                if depth < 16 {
                    if let Some((parent, call)) = self.config.calls.get(prefix) {
                        let var = var.split('.').next().unwrap_or(var);
                        for h in self.resolve(parent, call, &[var], depth + 1) {
                            if !out.contains(&h) {
                                out.push(h);
                            }
                        }
                    }
                }
                continue;
            }
            let full = format!("{prefix}{reference}");
            let mut parts: Vec<&str> = full.split('.').collect();
            while parts.len() >= 2 {
                let cand = parts.join(".");
                let hits: Vec<usize> = self
                    .resources
                    .iter()
                    .enumerate()
                    .filter(|(_, x)| x.base == cand)
                    .map(|(i, _)| i)
                    .collect();
                if !hits.is_empty() {
                    for h in hits {
                        if !out.contains(&h) {
                            out.push(h);
                        }
                    }
                    break;
                }
                parts.pop();
            }
        }
        out
    }

    fn region(&mut self, doc: &Value) {
        let from_config = doc
            .get("configuration")
            .and_then(|c| c.get("provider_config"))
            .and_then(Value::as_object)
            .and_then(|p| {
                p.values()
                    .filter(|x| x.get("name").and_then(Value::as_str) == Some("aws"))
                    .find_map(|x| {
                        x.get("expressions")?
                            .get("region")?
                            .get("constant_value")?
                            .as_str()
                            .map(str::to_string)
                    })
            });
        let from_arns = || {
            self.resources.iter().find_map(|r| {
                ["arn", "id"]
                    .iter()
                    .find_map(|k| s(r, k).and_then(arn_region).map(str::to_string))
            })
        };
        let from_values = || {
            self.resources
                .iter()
                .find_map(|r| s(r, "region").map(str::to_string))
        };
        self.region = from_config.or_else(from_arns).or_else(from_values);
    }

    fn subnets(&mut self) {
        for r in self.resources.iter().filter(|r| r.kind == "aws_subnet") {
            if let (Some(id), Some(az)) = (s(r, "id"), s(r, "availability_zone")) {
                self.zones_by_subnet.insert(id.to_string(), az.to_string());
            }
        }
    }

    fn cluster(&mut self) {
        let clusters: Vec<usize> = self.of("aws_ecs_cluster").map(|(i, _)| i).collect();
        let name_of = |r: &Res| {
            s(r, "name")
                .map(str::to_string)
                .unwrap_or_else(|| r.address.clone())
        };
        let wanted = self.options.cluster.as_deref().map(arn_id);
        let chosen = match wanted {
            Some(w) => clusters
                .iter()
                .copied()
                .find(|i| name_of(&self.resources[*i]) == w),
            None if clusters.len() <= 1 => clusters.first().copied(),
            None => {
                let count = |ci: usize| {
                    self.of("aws_ecs_service")
                        .filter(|(_, svc)| self.service_cluster(svc) == Some(ci))
                        .count()
                };
                let best = clusters
                    .iter()
                    .copied()
                    .max_by_key(|i| (count(*i), usize::MAX - i));
                if let Some(b) = best {
                    let names: Vec<String> = clusters
                        .iter()
                        .map(|i| name_of(&self.resources[*i]))
                        .collect();
                    let r = &self.resources[b];
                    self.note(
                        Finding::warning(
                            "several-clusters",
                            r.path.clone(),
                            format!(
                                "{} ECS clusters ({}); imported {}, the one most services run in",
                                clusters.len(),
                                names.join(", "),
                                name_of(r)
                            ),
                        )
                        .with_fix("choose with --cluster NAME; a plan has one cluster"),
                    );
                }
                best
            }
        };
        self.cluster = chosen;
        match chosen {
            Some(i) => self.cluster_name = name_of(&self.resources[i]),
            None => {
                self.cluster_name = wanted.unwrap_or_default().to_string();
                if clusters.is_empty() {
                    self.note(Finding::info(
                        "no-cluster",
                        JsonPath::root(),
                        "no aws_ecs_cluster resource: the services are imported into an unnamed cluster",
                    ));
                }
            }
        }
    }

    /// The aws_ecs_cluster a service (or another resource with `cluster`/`cluster_name`)
    /// belongs to.
    fn service_cluster(&self, r: &Res) -> Option<usize> {
        let value = s(r, "cluster").or_else(|| s(r, "cluster_name"));
        if let Some(v) = value {
            return self.of("aws_ecs_cluster").map(|(i, _)| i).find(|i| {
                let c = &self.resources[*i];
                s(c, "arn") == Some(v) || s(c, "id") == Some(v) || s(c, "name") == Some(arn_id(v))
            });
        }
        let attr = if r.values.contains_key("cluster_name") || r.kind != "aws_ecs_service" {
            "cluster_name"
        } else {
            "cluster"
        };
        self.references(r, &[attr])
            .into_iter()
            .find(|i| self.resources[*i].kind == "aws_ecs_cluster")
    }

    /// Whether a resource belongs to the imported cluster (those naming no known cluster do,
    /// when there is only one).
    fn in_cluster(&self, r: &Res) -> bool {
        match (self.service_cluster(r), self.cluster) {
            (Some(c), Some(me)) => c == me,
            (Some(_), None) => false,
            (None, _) => {
                let named = s(r, "cluster").or_else(|| s(r, "cluster_name"));
                match named {
                    Some(n) => self.cluster_name.is_empty() || arn_id(n) == self.cluster_name,
                    None => true,
                }
            }
        }
    }

    fn task_definitions(&mut self) {
        let tds: Vec<usize> = self.of("aws_ecs_task_definition").map(|(i, _)| i).collect();
        for i in tds {
            let r = self.resources[i].clone();
            let Some(family) = s(&r, "family").map(str::to_string) else {
                self.note(Finding::warning(
                    "not-converted",
                    r.path.clone(),
                    format!("{}: no family; not imported", r.address),
                ));
                continue;
            };
            let mut obj = self.object_of(
                &r,
                "ecs:RegisterTaskDefinitionRequest",
                TASK_DEFINITION_RENAMES,
                "task definitions",
            );
            let defs = match r.values.get("container_definitions") {
                Some(Value::String(text)) => match serde_json::from_str::<Value>(text) {
                    Ok(v @ Value::Array(_)) => {
                        let p = r.path.key("container_definitions");
                        match refused(&v, "ecs:ContainerDefinitions", &p) {
                            None => Some(v),
                            Some(f) => {
                                self.note(Finding::warning(
                                    "not-converted",
                                    p,
                                    format!(
                                        "{}: container_definitions refused at {}: {}; the task definition is not imported",
                                        r.address, f.path, f.message
                                    ),
                                ));
                                continue;
                            }
                        }
                    }
                    Ok(_) | Err(_) => None,
                },
                Some(Value::Array(a)) => Some(Value::Array(a.clone())),
                _ => None,
            };
            let Some(defs) = defs else {
                self.note(Finding::warning(
                    "not-converted",
                    r.path.key("container_definitions"),
                    format!(
                        "{}: container_definitions {}; the task definition is not imported",
                        r.address,
                        if r.unknown.contains_key("container_definitions") {
                            "are known only after apply"
                        } else {
                            "are not a JSON list of container definitions"
                        }
                    ),
                ));
                continue;
            };
            obj.insert("containerDefinitions".into(), defs);
            // Volumes: `host_path` is the API's `host.sourcePath`.
            if let Some(Value::Array(vols)) = r.values.get("volume") {
                let mut out = Vec::new();
                for (k, v) in vols.iter().enumerate() {
                    let p = r.path.key("volume").index(k);
                    let Some(Value::Object(mut c)) = convert(
                        v,
                        "ecs:Volume",
                        TASK_DEFINITION_RENAMES,
                        "task definitions' volumes",
                        &p,
                        self.file,
                        self.notes,
                    ) else {
                        continue;
                    };
                    if let Some(hp) = v
                        .get("host_path")
                        .and_then(Value::as_str)
                        .filter(|h| !h.is_empty())
                    {
                        c.insert("host".into(), json!({ "sourcePath": hp }));
                    }
                    out.push(Value::Object(c));
                }
                if !out.is_empty() {
                    obj.insert("volumes".into(), Value::Array(out));
                }
            }
            if let Some(pc) = block(r.values.get("proxy_configuration")) {
                let mut c = Map::new();
                for (k, m) in [("container_name", "containerName"), ("type", "type")] {
                    if let Some(x) = pc.get(k).filter(|x| !is_unset(x)) {
                        c.insert(m.into(), x.clone());
                    }
                }
                if let Some(Value::Object(props)) = pc.get("properties") {
                    c.insert(
                        "properties".into(),
                        Value::Array(
                            props
                                .iter()
                                .map(|(k, v)| json!({"name": k, "value": v.as_str().unwrap_or_default()}))
                                .collect(),
                        ),
                    );
                }
                obj.insert("proxyConfiguration".into(), Value::Object(c));
            }
            if let Some(t) = ecs_tags(r.values.get("tags")) {
                obj.insert("tags".into(), t);
            }
            obj.insert("family".into(), Value::String(family.clone()));
            let obj = checked(
                obj,
                "ecs:RegisterTaskDefinitionRequest",
                &r.path,
                self.file,
                self.notes,
            );
            let td: TaskDefinition = match crate::typed::typed(&Value::Object(obj), &r.path) {
                Ok(t) => t,
                Err(f) => {
                    self.note(*f);
                    continue;
                }
            };
            // Revision: the state's; a plan's new revision is unknown (0 sorts it first).
            let revision = n(&r, "revision").unwrap_or(0);
            if !self.revisions.add(&family, revision, td) {
                self.note(Finding::warning(
                    "duplicate",
                    r.path.clone(),
                    format!(
                        "{}: another resource has {family} revision {revision}; imported once",
                        r.address
                    ),
                ));
                continue;
            }
            self.td_by_address
                .insert(r.address.clone(), (family.clone(), revision));
            self.td_by_address
                .insert(r.base.clone(), (family, revision));
        }
    }

    fn capacity_providers(&mut self) {
        // The cluster's capacity providers and default strategy.
        let mut associated: Option<BTreeSet<String>> = None;
        let mut strategy_source: Option<(JsonPath, Value)> = None;
        let assoc: Vec<usize> = self
            .of("aws_ecs_cluster_capacity_providers")
            .filter(|(_, r)| self.in_cluster(r))
            .map(|(i, _)| i)
            .collect();
        for i in assoc {
            let r = &self.resources[i];
            let names: BTreeSet<String> = r
                .values
                .get("capacity_providers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            associated.get_or_insert_with(BTreeSet::new).extend(names);
            if let Some(s) = r.values.get("default_capacity_provider_strategy") {
                strategy_source =
                    Some((r.path.key("default_capacity_provider_strategy"), s.clone()));
            }
        }
        if let Some(ci) = self.cluster {
            let r = &self.resources[ci];
            if let Some(Value::Array(cps)) = r.values.get("capacity_providers") {
                associated
                    .get_or_insert_with(BTreeSet::new)
                    .extend(cps.iter().filter_map(Value::as_str).map(str::to_string));
            }
            if strategy_source.is_none() {
                if let Some(s) = r.values.get("default_capacity_provider_strategy") {
                    strategy_source =
                        Some((r.path.key("default_capacity_provider_strategy"), s.clone()));
                }
            }
        }
        if let Some((p, s)) = strategy_source {
            if let Some(v) = convert(
                &s,
                "ecs:CapacityProviderStrategy",
                &[],
                "capacity provider strategies",
                &p,
                self.file,
                self.notes,
            ) {
                match refused(&v, "ecs:CapacityProviderStrategy", &p) {
                    None => self.default_strategy = serde_json::from_value(v).unwrap_or_default(),
                    Some(f) => self.note(f),
                }
            }
        }
        let cps: Vec<usize> = self
            .of("aws_ecs_capacity_provider")
            .map(|(i, _)| i)
            .collect();
        let mut used_groups = BTreeSet::new();
        for i in cps {
            let r = self.resources[i].clone();
            let Some(name) = s(&r, "name").map(str::to_string) else {
                continue;
            };
            if let Some(a) = &associated {
                if !a.contains(&name) {
                    self.note(Finding::info(
                        "other-cluster",
                        r.path.key("name"),
                        format!("capacity provider {name} is not associated with cluster {}; not imported", self.cluster_name),
                    ));
                    continue;
                }
            }
            let mut obj = self.object_of(
                &r,
                "plan:CapacityProvider",
                CAPACITY_PROVIDER_RENAMES,
                "capacity providers",
            );
            if let Some(t) = ecs_tags(r.values.get("tags")) {
                obj.insert("tags".into(), t);
            }
            obj.insert("name".into(), Value::String(name.clone()));
            // The group: by ARN, else by the configuration's reference.
            let arn = block(r.values.get("auto_scaling_group_provider"))
                .and_then(|p| p.get("auto_scaling_group_arn"))
                .and_then(Value::as_str)
                .filter(|a| !a.is_empty())
                .map(str::to_string);
            let group = match &arn {
                Some(arn) => self.of("aws_autoscaling_group").map(|(g, _)| g).find(|g| {
                    let x = &self.resources[*g];
                    s(x, "arn") == Some(arn.as_str())
                        || s(x, "name")
                            .is_some_and(|n| arn.ends_with(&format!("autoScalingGroupName/{n}")))
                }),
                None => self
                    .references(
                        &r,
                        &["auto_scaling_group_provider", "auto_scaling_group_arn"],
                    )
                    .into_iter()
                    .find(|g| self.resources[*g].kind == "aws_autoscaling_group"),
            };
            if let Some(Value::Object(p)) = obj.get_mut("autoScalingGroupProvider") {
                p.entry("autoScalingGroupArn")
                    .or_insert_with(|| Value::String(String::new()));
            }
            let obj = checked(obj, "plan:CapacityProvider", &r.path, self.file, self.notes);
            let mut cp: CapacityProvider = match crate::typed::typed(&Value::Object(obj), &r.path) {
                Ok(c) => c,
                Err(f) => {
                    self.note(*f);
                    continue;
                }
            };
            match group {
                Some(g) => {
                    used_groups.insert(g);
                    let asg = self.group(g, &name);
                    self.derive_instances(g, &asg, Some(&name));
                    cp.auto_scaling_group = Some(asg);
                }
                None => self.note(Finding::warning(
                    "missing-resource",
                    r.path.key("auto_scaling_group_provider"),
                    format!("the Auto Scaling group of capacity provider {name} is not in this Terraform output: no instances are derived for it"),
                )
                .with_fix("import the state that manages the group too, or add the instances to the plan")),
            }
            self.providers.push(cp);
        }
        if let Some(a) = &associated {
            for name in a {
                if !crate::plan::FARGATE_PROVIDERS.contains(&name.as_str())
                    && !self.providers.iter().any(|c| &c.name == name)
                {
                    self.note(Finding::warning(
                        "missing-resource",
                        JsonPath::root(),
                        format!("capacity provider {name} of the cluster is not an aws_ecs_capacity_provider of this output; not imported"),
                    ));
                }
            }
        }
        // Groups behind no capacity provider whose instances join the cluster.
        let groups: Vec<usize> = self.of("aws_autoscaling_group").map(|(i, _)| i).collect();
        for g in groups {
            if used_groups.contains(&g) {
                continue;
            }
            let r = self.resources[g].clone();
            let joins = self.user_data_cluster(&r);
            match joins {
                Some(c) if c == self.cluster_name && !c.is_empty() => {
                    let asg = self.group(g, "");
                    self.derive_instances(g, &asg, None);
                }
                _ => self.note(Finding::info(
                    "not-imported",
                    r.path.clone(),
                    if self.cluster_name.is_empty() {
                        format!("{} backs no ECS capacity provider; not imported", r.address)
                    } else {
                        format!("{} backs no capacity provider of the cluster and its user data does not join cluster {} (ECS_CLUSTER); not imported", r.address, self.cluster_name)
                    },
                )),
            }
        }
    }

    /// The launch template (or configuration) of a group.
    fn launch_template(&self, g: &Res) -> Option<usize> {
        let spec = block(g.values.get("launch_template")).or_else(|| {
            block(g.values.get("mixed_instances_policy"))
                .and_then(|m| block(m.get("launch_template")))
                .and_then(|l| block(l.get("launch_template_specification")))
        });
        if let Some(spec) = spec {
            let id = spec
                .get("id")
                .or_else(|| spec.get("launch_template_id"))
                .and_then(Value::as_str)
                .filter(|x| !x.is_empty());
            let name = spec
                .get("name")
                .or_else(|| spec.get("launch_template_name"))
                .and_then(Value::as_str)
                .filter(|x| !x.is_empty());
            if let Some(i) = self.of("aws_launch_template").map(|(i, _)| i).find(|i| {
                let t = &self.resources[*i];
                (id.is_some() && s(t, "id") == id) || (name.is_some() && s(t, "name") == name)
            }) {
                return Some(i);
            }
            let by_ref = self
                .references(g, &["launch_template", "id"])
                .into_iter()
                .chain(self.references(
                    g,
                    &[
                        "mixed_instances_policy",
                        "launch_template",
                        "launch_template_specification",
                        "launch_template_id",
                    ],
                ))
                .find(|i| self.resources[*i].kind == "aws_launch_template");
            if by_ref.is_some() {
                return by_ref;
            }
        }
        if let Some(lc) = s(g, "launch_configuration") {
            return self
                .of("aws_launch_configuration")
                .map(|(i, _)| i)
                .find(|i| s(&self.resources[*i], "name") == Some(lc));
        }
        self.references(g, &["launch_configuration"])
            .into_iter()
            .find(|i| self.resources[*i].kind == "aws_launch_configuration")
    }

    /// The cluster a group's user data joins (`ECS_CLUSTER=name`).
    fn user_data_cluster(&self, g: &Res) -> Option<String> {
        use base64::Engine;
        let t = &self.resources[self.launch_template(g)?];
        let raw = s(t, "user_data")?;
        let text = base64::engine::general_purpose::STANDARD
            .decode(raw.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_else(|| raw.to_string());
        let i = text.find("ECS_CLUSTER=")?;
        let rest = &text[i + "ECS_CLUSTER=".len()..];
        let name: String = rest
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        (!name.is_empty()).then_some(name)
    }

    /// The plan's `autoScalingGroup` of a group resource.
    fn group(&mut self, g: usize, provider: &str) -> AutoScalingGroup {
        let r = self.resources[g].clone();
        let mut obj = self.object_of(
            &r,
            "plan:AutoScalingGroup",
            ASG_RENAMES,
            "Auto Scaling groups",
        );
        let subnets: Vec<String> = r
            .values
            .get("vpc_zone_identifier")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        if !subnets.is_empty() {
            obj.insert("VPCZoneIdentifier".into(), Value::String(subnets.join(",")));
        }
        let obj = checked(obj, "plan:AutoScalingGroup", &r.path, self.file, self.notes);
        let mut asg: AutoScalingGroup =
            crate::typed::typed(&Value::Object(obj), &r.path).unwrap_or_default();
        if asg.desired_capacity.is_none() {
            if let Some(min) = asg.min_size {
                asg.desired_capacity = Some(min);
                self.note(Finding::info(
                    "assumed",
                    r.path.key("desired_capacity"),
                    format!("{}: no desired capacity; the group starts at its minimum size {min}, as EC2 Auto Scaling does", r.address),
                ));
            }
        }
        // Zones: the group's, else its subnets'.
        if asg.availability_zones.is_empty() && !subnets.is_empty() {
            let known: Vec<&str> = subnets
                .iter()
                .filter_map(|s| self.zones_by_subnet.get(s).map(String::as_str))
                .collect();
            if known.len() == subnets.len() {
                asg.availability_zones = zones_of(known);
            } else {
                let by_ref: Vec<String> = self
                    .references(&r, &["vpc_zone_identifier"])
                    .into_iter()
                    .filter_map(|i| s(&self.resources[i], "availability_zone").map(str::to_string))
                    .collect();
                if !by_ref.is_empty() && by_ref.len() >= subnets.len().min(1) && known.is_empty() {
                    asg.availability_zones = zones_of(by_ref.iter().map(String::as_str));
                } else {
                    let region = self.region.clone().unwrap_or_else(|| "us-east-1".into());
                    let zones: Vec<String> = (0..subnets.len().min(26))
                        .map(|k| format!("{region}{}", (b'a' + k as u8) as char))
                        .collect();
                    self.note(Finding::warning(
                        "assumed-zones",
                        r.path.key("vpc_zone_identifier"),
                        format!(
                            "{}: the zones of subnets {} are not in this output (no aws_subnet resource or data source); assumed one zone per subnet: {}",
                            r.address,
                            subnets.join(", "),
                            zones.join(", ")
                        ),
                    )
                    .with_fix("import a state with the aws_subnet resources (or data sources), or correct the zones in the plan"));
                    asg.availability_zones = zones;
                }
            }
        }
        if asg.availability_zones.is_empty() {
            let region = self.region.clone().unwrap_or_else(|| "us-east-1".into());
            let z = format!("{region}a");
            self.note(Finding::warning(
                "assumed-zones",
                r.path.clone(),
                format!("{}: neither availability_zones nor vpc_zone_identifier is known; one zone {z} assumed", r.address),
            ));
            asg.availability_zones = vec![z];
        }
        // Instance types: overrides, else the launch template's or configuration's.
        let mut types: Vec<String> = Vec::new();
        for o in block(r.values.get("mixed_instances_policy"))
            .and_then(|m| block(m.get("launch_template")))
            .and_then(|l| l.get("override"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(t) = o
                .get("instance_type")
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
            {
                if !types.iter().any(|x| x == t) {
                    types.push(t.to_string());
                }
            }
        }
        if types.is_empty() {
            if let Some(t) = self
                .launch_template(&r)
                .and_then(|i| s(&self.resources[i], "instance_type"))
            {
                types.push(t.to_string());
            }
        }
        if types.is_empty() {
            self.note(Finding::warning(
                "unknown-instance-types",
                r.path.clone(),
                format!(
                    "{}{}: the instance type is not in this output (launch template without instance_type, or not managed here); no instances are derived",
                    r.address,
                    if provider.is_empty() { String::new() } else { format!(" (capacity provider {provider})") }
                ),
            )
            .with_fix("add \"InstanceTypes\" to the capacity provider's autoScalingGroup and the instances to the plan"));
        }
        asg.instance_types = types;
        asg
    }

    /// The container instances a group runs now: its desired capacity, over its zones in turn.
    fn derive_instances(&mut self, g: usize, asg: &AutoScalingGroup, provider: Option<&str>) {
        let r = &self.resources[g];
        let (Some(t), Some(count)) = (asg.instance_types.first(), asg.desired_capacity) else {
            return;
        };
        if asg.availability_zones.is_empty() || count == 0 {
            return;
        }
        let label: String = asg
            .auto_scaling_group_name
            .clone()
            .unwrap_or_else(|| r.address.clone())
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '-'
                }
            })
            .take(40)
            .collect();
        for k in 0..count {
            let zone = &asg.availability_zones[k as usize % asg.availability_zones.len()];
            let mut ci = ContainerInstance::new(&format!("i-{label}-{}", k + 1), t, zone);
            ci.capacity_provider = provider.map(str::to_string);
            self.instances.push(ci);
        }
        if !Catalog::builtin().contains(t) {
            self.notes.push(self.file, Finding::warning(
                    "unknown-instance-type",
                    r.path.clone(),
                    format!("instance type {t} of {} is not in the catalog", r.address),
                )
                .with_fix(format!("add the output of `aws ec2 describe-instance-types --instance-types {t}` to the plan's \"ec2InstanceTypes\"")),
            );
        }
        self.notes.push(self.file, Finding::info(
                "derived-instances",
                r.path.clone(),
                format!(
                    "Terraform has no container instances: {count} {t} instances derived from {}'s desired capacity{}, over {} in turn",
                    r.address,
                    provider.map(|p| format!(" (capacity provider {p})")).unwrap_or_default(),
                    asg.availability_zones.join(", ")
                ),
            ),
        );
    }

    fn services(&mut self) {
        let svcs: Vec<usize> = self.of("aws_ecs_service").map(|(i, _)| i).collect();
        let mut other = 0;
        for i in svcs {
            let r = self.resources[i].clone();
            if !self.in_cluster(&r) {
                other += 1;
                continue;
            }
            let Some(name) = s(&r, "name").map(str::to_string) else {
                self.note(Finding::warning(
                    "not-converted",
                    r.path.clone(),
                    format!("{}: no name; not imported", r.address),
                ));
                continue;
            };
            let Some(td) = self.service_task_definition(&r, &name) else {
                continue;
            };
            let mut obj = self.object_of(&r, "plan:Service", SERVICE_RENAMES, "services");
            obj.insert("serviceName".into(), Value::String(name.clone()));
            obj.insert("taskDefinition".into(), Value::String(td));
            if let Some(t) = ecs_tags(r.values.get("tags")) {
                obj.insert("tags".into(), t);
            }
            // The flattened deployment configuration.
            let mut dc = Map::new();
            for (k, m) in [
                ("deployment_maximum_percent", "maximumPercent"),
                (
                    "deployment_minimum_healthy_percent",
                    "minimumHealthyPercent",
                ),
            ] {
                if let Some(x) = r.values.get(k).filter(|x| x.is_number()) {
                    dc.insert(m.into(), x.clone());
                }
            }
            for (k, m, shape) in [
                (
                    "deployment_circuit_breaker",
                    "deploymentCircuitBreaker",
                    "ecs:DeploymentCircuitBreaker",
                ),
                ("alarms", "alarms", "ecs:DeploymentAlarms"),
            ] {
                if let Some(x) = r.values.get(k) {
                    if let Some(c) = convert(
                        x,
                        shape,
                        SERVICE_RENAMES,
                        "services",
                        &r.path.key(k),
                        self.file,
                        self.notes,
                    ) {
                        dc.insert(m.into(), c);
                    }
                }
            }
            if let Some(x) = r.values.get("deployment_configuration") {
                if let Some(Value::Object(c)) = convert(
                    x,
                    "ecs:DeploymentConfiguration",
                    SERVICE_RENAMES,
                    "services",
                    &r.path.key("deployment_configuration"),
                    self.file,
                    self.notes,
                ) {
                    dc.extend(c);
                }
            }
            if !dc.is_empty() {
                obj.insert("deploymentConfiguration".into(), Value::Object(dc));
            }
            if let Some(nc) = block(r.values.get("network_configuration")) {
                let mut vpc = Map::new();
                for (k, m) in [
                    ("subnets", "subnets"),
                    ("security_groups", "securityGroups"),
                ] {
                    if let Some(Value::Array(a)) = nc.get(k) {
                        if !a.is_empty() {
                            vpc.insert(m.into(), Value::Array(a.clone()));
                        }
                    }
                }
                if let Some(b) = nc.get("assign_public_ip").and_then(Value::as_bool) {
                    vpc.insert(
                        "assignPublicIp".into(),
                        Value::String(if b { "ENABLED" } else { "DISABLED" }.into()),
                    );
                }
                if !vpc.is_empty() {
                    obj.insert(
                        "networkConfiguration".into(),
                        json!({ "awsvpcConfiguration": vpc }),
                    );
                }
            }
            // The provider keeps `launch_type` "EC2" beside a strategy; AWS takes one of them.
            if obj.contains_key("capacityProviderStrategy") {
                obj.remove("launchType");
            }
            let obj = checked(obj, "plan:Service", &r.path, self.file, self.notes);
            match crate::typed::typed::<Service>(&Value::Object(obj), &r.path) {
                Ok(svc) => {
                    if self
                        .services
                        .iter()
                        .any(|x| x.service_name == svc.service_name)
                    {
                        self.note(Finding::warning(
                            "duplicate",
                            r.path.key("name"),
                            format!(
                                "{}: another service is named {name}; imported once",
                                r.address
                            ),
                        ));
                        continue;
                    }
                    self.service_by_address
                        .insert(r.base.clone(), self.services.len());
                    self.service_by_address
                        .insert(r.address.clone(), self.services.len());
                    self.services.push(svc);
                }
                Err(f) => self.note(*f),
            }
        }
        if other > 0 {
            self.note(Finding::info(
                "other-cluster",
                JsonPath::root(),
                format!(
                    "{other} services of other clusters than {}; not imported",
                    self.cluster_name
                ),
            ));
        }
    }

    /// The plan's reference to a service's task definition, or `None` (with a note) when this
    /// output does not have it.
    fn service_task_definition(&mut self, r: &Res, name: &str) -> Option<String> {
        let value = s(r, "task_definition").map(str::to_string);
        let from_ref = || {
            self.references(r, &["task_definition"])
                .into_iter()
                .find_map(|i| self.td_by_address.get(&self.resources[i].address).cloned())
        };
        let (family, revision) = match value.as_deref() {
            Some(v) => match family_revision(v) {
                Some((f, rev)) => (f, Some(rev)),
                None => (crate::plan::TaskDefRef::parse(v).family.to_string(), None),
            },
            None => match from_ref() {
                Some((f, rev)) => {
                    self.note(Finding::info(
                        "known-after-apply",
                        r.path.clone(),
                        format!("{}: the task definition is known only after apply; the configuration refers to {f}", r.address),
                    ));
                    (f, Some(rev))
                }
                None => {
                    self.note(Finding::warning(
                        "missing-task-definition",
                        r.path.key("task_definition"),
                        format!("service {name}: its task definition is not known in this output; the service is not imported"),
                    ));
                    return None;
                }
            },
        };
        if !self.revisions.has_family(&family) {
            self.note(Finding::warning(
                "missing-task-definition",
                r.path.key("task_definition"),
                format!(
                    "service {name} runs {}, which is not an aws_ecs_task_definition of this output; the service is not imported",
                    value.as_deref().unwrap_or(&family)
                ),
            )
            .with_fix(format!("import the state that manages {family} too, or add its task definition to the plan")));
            return None;
        }
        match revision.filter(|r| *r > 0) {
            Some(rev) => match self.revisions.plan_ref(&family, rev) {
                Some(p) => Some(p),
                None => {
                    let latest = self.revisions.latest(&family).unwrap_or(0);
                    self.note(Finding::warning(
                        "revision-differs",
                        r.path.key("task_definition"),
                        format!(
                            "service {name} runs {family}:{rev}, but the aws_ecs_task_definition is {family}:{latest} (ignore_changes, or deployed outside Terraform?); the plan uses the resource's definition"
                        ),
                    ));
                    Some(family)
                }
            },
            None => Some(family),
        }
    }

    /// The service a scaling resource's `resource_id` (or its configuration references)
    /// points at.
    fn scaled_service(&self, r: &Res) -> Option<usize> {
        if let Some(rid) = s(r, "resource_id") {
            let mut parts = rid.splitn(3, '/');
            return match (parts.next(), parts.next(), parts.next()) {
                (Some("service"), Some(c), Some(svc))
                    if self.cluster_name.is_empty() || c == self.cluster_name =>
                {
                    self.services.iter().position(|x| x.service_name == svc)
                }
                _ => None,
            };
        }
        for i in self.references(r, &["resource_id"]) {
            let x = &self.resources[i];
            if let Some(si) = self.service_by_address.get(&x.address) {
                return Some(*si);
            }
            if x.kind == "aws_appautoscaling_target" {
                if let Some(si) = self.scaled_service(x) {
                    return Some(si);
                }
            }
        }
        None
    }

    /// The service an auto scaling resource scales, or `None` to skip it: resources of another
    /// `service_namespace` are not ECS's and pass silently; an ECS one whose service is not in
    /// this output gets a "not imported" note (`what`: "a service" or "for a service").
    fn ecs_service_of(&mut self, r: &Res, what: &str) -> Option<usize> {
        if s(r, "service_namespace").is_some_and(|x| x != "ecs") {
            return None;
        }
        let si = self.scaled_service(r);
        if si.is_none() {
            self.note(Finding::info(
                "not-imported",
                r.path.clone(),
                format!(
                    "{}: not {what} of cluster {} in this output; not imported",
                    r.address, self.cluster_name
                ),
            ));
        }
        si
    }

    fn scaling(&mut self) {
        let mut by_service: BTreeMap<usize, Map<String, Value>> = BTreeMap::new();
        let targets: Vec<usize> = self
            .of("aws_appautoscaling_target")
            .map(|(i, _)| i)
            .collect();
        for i in targets {
            let r = self.resources[i].clone();
            let Some(si) = self.ecs_service_of(&r, "a service") else {
                continue;
            };
            let a = by_service.entry(si).or_default();
            for (k, m) in [
                ("min_capacity", "minCapacity"),
                ("max_capacity", "maxCapacity"),
            ] {
                if let Some(x) = n(&r, k) {
                    a.insert(m.into(), Value::from(x));
                }
            }
            if let Some(Value::Object(ss)) = r.values.get("suspended_state").and_then(|x| {
                convert(
                    x,
                    "aas:SuspendedState",
                    &[],
                    "scalable targets",
                    &r.path,
                    self.file,
                    self.notes,
                )
            }) {
                if ss.values().any(|x| x.as_bool() == Some(true)) {
                    a.insert("suspendedState".into(), Value::Object(ss));
                }
            }
        }
        for (kind, shape, list, what) in [
            (
                "aws_appautoscaling_policy",
                "plan:ScalingPolicy",
                "policies",
                "scaling policies",
            ),
            (
                "aws_appautoscaling_scheduled_action",
                "plan:ScheduledAction",
                "scheduledActions",
                "scheduled actions",
            ),
        ] {
            let items: Vec<usize> = self.of(kind).map(|(i, _)| i).collect();
            for i in items {
                let r = self.resources[i].clone();
                let Some(si) = self.ecs_service_of(&r, "for a service") else {
                    continue;
                };
                let Some(Value::Object(o)) = convert(
                    &Value::Object(r.values.clone()),
                    shape,
                    SCALING_RENAMES,
                    what,
                    &r.path,
                    self.file,
                    self.notes,
                ) else {
                    continue;
                };
                let mut o = o;
                for k in ["ServiceNamespace", "ResourceId", "ScalableDimension"] {
                    o.remove(k);
                }
                let mut o = checked(o, shape, &r.path, self.file, self.notes);
                if o.get("PolicyType").and_then(Value::as_str) == Some("StepScaling") {
                    // The CloudWatch alarm that runs it, when this output manages it; without
                    // one the loader says the policy is not simulated.
                    if let Some(alarm) = self.step_alarm(&r) {
                        o.insert("alarm".into(), alarm);
                    }
                }
                let Some(a) = by_service.get_mut(&si) else {
                    self.note(Finding::warning(
                        "missing-resource",
                        r.path.clone(),
                        format!("{}: no aws_appautoscaling_target for its service in this output; not imported", r.address),
                    ));
                    continue;
                };
                if let Value::Array(l) = a.entry(list).or_insert_with(|| Value::Array(Vec::new())) {
                    l.push(Value::Object(o));
                }
            }
        }
        for (si, a) in by_service {
            let name = self.services[si].service_name.clone();
            let v = Value::Object(a);
            match refused(&v, "plan:ServiceAutoScaling", &JsonPath::root()) {
                None => self.services[si].auto_scaling = crate::plan::Written::from_value(v).ok(),
                Some(f) => self.note(Finding::warning(
                    "not-converted",
                    JsonPath::root(),
                    format!(
                        "auto scaling of service {name} left out: {} ({})",
                        f.message, f.path
                    ),
                )),
            }
        }
    }

    /// The planner's `alarm` of a step scaling policy from the `aws_cloudwatch_metric_alarm`
    /// whose `alarm_actions` name the policy (by ARN, or by reference in a plan).
    fn step_alarm(&mut self, policy: &Res) -> Option<Value> {
        let arn = s(policy, "arn");
        let found = self
            .of("aws_cloudwatch_metric_alarm")
            .map(|(i, _)| i)
            .find(|i| {
                let a = &self.resources[*i];
                let by_arn = arn.is_some_and(|arn| {
                    a.values
                        .get("alarm_actions")
                        .and_then(Value::as_array)
                        .is_some_and(|l| l.iter().any(|x| x.as_str() == Some(arn)))
                });
                by_arn
                    || self
                        .references(a, &["alarm_actions"])
                        .iter()
                        .any(|p| self.resources[*p].base == policy.base)
            })?;
        let a = self.resources[found].clone();
        self.alarms_used.insert(found);
        let mut out = Map::new();
        for (k, m) in [
            ("metric_name", "metric"),
            ("comparison_operator", "comparison"),
            ("threshold", "threshold"),
            ("evaluation_periods", "evaluationPeriods"),
            ("datapoints_to_alarm", "datapointsToAlarm"),
            ("period", "periodSeconds"),
            ("statistic", "statistic"),
        ] {
            // 0 periods or datapoints are the provider's unset values.
            if let Some(v) = a
                .values
                .get(k)
                .filter(|v| !is_unset(v) && (k == "threshold" || v.as_f64() != Some(0.0)))
            {
                out.insert(m.into(), v.clone());
            }
        }
        let v = Value::Object(out);
        match refused(&v, "plan:StepAlarm", &a.path) {
            None => Some(v),
            Some(f) => {
                self.note(Finding::warning(
                    "not-converted",
                    a.path.clone(),
                    format!(
                        "{}: alarm of step scaling policy {} not converted: {}; simulations leave the policy out",
                        a.address, policy.address, f.message
                    ),
                )
                .with_fix("the planner simulates CPUUtilization, MemoryUtilization, RequestCountPerTarget, ApproximateNumberOfMessagesVisible and BacklogPerTask alarms"));
                None
            }
        }
    }

    /// Resource types of the output that a plan has no place for, once each.
    fn unconverted(&mut self) {
        let read: &[&str] = &[
            "aws_ecs_cluster",
            "aws_ecs_cluster_capacity_providers",
            "aws_ecs_capacity_provider",
            "aws_autoscaling_group",
            "aws_launch_template",
            "aws_launch_configuration",
            "aws_subnet",
            "aws_ecs_task_definition",
            "aws_ecs_service",
            "aws_appautoscaling_target",
            "aws_appautoscaling_policy",
            "aws_appautoscaling_scheduled_action",
        ];
        let mut counts: BTreeMap<(bool, &str), (usize, JsonPath)> = BTreeMap::new();
        for (i, r) in self.resources.iter().enumerate() {
            if read.contains(&r.kind.as_str()) && !(r.data && r.kind != "aws_subnet")
                || self.alarms_used.contains(&i)
            {
                continue;
            }
            counts
                .entry((r.data, r.kind.as_str()))
                .or_insert((0, r.path.clone()))
                .0 += 1;
        }
        if !counts.is_empty() {
            let list: Vec<String> = counts
                .iter()
                .map(|((data, k), (c, _))| {
                    format!(
                        "{}{k}{}",
                        if *data { "data." } else { "" },
                        if *c > 1 {
                            format!(" ×{c}")
                        } else {
                            String::new()
                        }
                    )
                })
                .collect();
            self.note(Finding::info(
                "not-imported",
                JsonPath::root(),
                format!("resources a plan has no place for: {}", list.join(", ")),
            ));
        }
        let _ = self.format;
    }

    fn finish(self) -> Plan {
        let mut plan = Plan::empty(&if self.cluster_name.is_empty() {
            "Imported from Terraform".to_string()
        } else {
            format!("{} (Terraform)", self.cluster_name)
        });
        plan.description = Some(format!(
            "Imported from Terraform {} (ecsplan import --from terraform)",
            match self.format {
                TerraformFormat::State => "state",
                TerraformFormat::Plan => "plan (the cluster after apply)",
                TerraformFormat::RawState => "state file",
            }
        ));
        let zones = zones_of(cluster_zones(&self.instances, &self.providers));
        let region = self
            .region
            .clone()
            .or_else(|| zones.first().and_then(|z| zone_region(z)));
        match region {
            Some(r) => plan.region = r,
            None => self.notes.push(
                self.file,
                Finding::info(
                    "assumed",
                    JsonPath::root().key("region"),
                    format!("no region in this output; {} assumed", plan.region),
                ),
            ),
        }
        for f in self.revisions.renumbered_notes(&JsonPath::root()) {
            self.notes.push(self.file, f);
        }
        plan.cluster.cluster_name = self.cluster_name;
        plan.cluster.availability_zones = zones;
        plan.cluster.container_instances = self.instances;
        plan.cluster.capacity_providers = self.providers;
        plan.cluster.default_capacity_provider_strategy = self.default_strategy;
        plan.task_definitions = self.revisions.into_plan_order();
        plan.services = self.services;
        plan
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_without_their_instance_key() {
        assert_eq!(base_address("aws_ecs_service.web"), "aws_ecs_service.web");
        assert_eq!(
            base_address("aws_ecs_service.web[0]"),
            "aws_ecs_service.web"
        );
        assert_eq!(
            base_address("module.a[\"x\"].aws_subnet.private[\"a\"]"),
            "module.a[\"x\"].aws_subnet.private"
        );
        assert_eq!(base_address("aws_subnet.p[\"eu.a\"]"), "aws_subnet.p");
        assert_eq!(
            base_address("module.m[\"k\"].aws_ecs_cluster.c"),
            "module.m[\"k\"].aws_ecs_cluster.c"
        );
    }

    #[test]
    fn terraform_documents_are_told_apart() {
        assert!(is_terraform(
            &json!({"format_version": "1.0", "terraform_version": "1.9.5"})
        ));
        assert!(is_terraform(&json!({"planned_values": {}})));
        assert!(is_terraform(&json!({"values": {"root_module": {}}})));
        assert!(is_terraform(
            &json!({"version": 4, "lineage": "x", "resources": []})
        ));
        assert!(!is_terraform(&json!({"schemaVersion": 1})));
        assert!(!is_terraform(&json!({"services": []})));
    }

    #[test]
    fn blocks_tags_and_strings_become_the_api_shapes() {
        let mut notes = Notes::default();
        let v = json!({
            "deployment_circuit_breaker": [{"enable": true, "rollback": false}],
            "desired_count": "3",
            "launch_type": "",
            "ordered_placement_strategy": [{"type": "spread", "field": "instanceId"}],
            "placement_constraints": [],
            "made_up": "x",
            "tags_all": {"a": "b"}
        });
        let out = convert(
            &v,
            "plan:Service",
            SERVICE_RENAMES,
            "services",
            &JsonPath::root(),
            "f",
            &mut notes,
        )
        .unwrap();
        assert_eq!(
            out["desiredCount"], 3,
            "a string of digits is the API's integer"
        );
        assert!(out.get("launchType").is_none(), "\"\" is unset");
        assert!(out.get("placementConstraints").is_none(), "[] is unset");
        assert_eq!(out["placementStrategy"][0]["field"], "instanceId");
        assert!(
            out.get("deploymentCircuitBreaker").is_none(),
            "left to the caller"
        );
        let notes = notes.finish();
        let dropped: Vec<&str> = notes.iter().map(|n| n.finding.message.as_str()).collect();
        assert!(
            dropped.iter().any(|m| m.contains("`made_up`")),
            "{dropped:?}"
        );
        assert!(
            dropped.iter().any(|m| m.contains("`tags_all`")),
            "{dropped:?}"
        );
    }
}
