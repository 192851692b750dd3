//! The whole plan as Terraform (HCL) for the AWS provider: `aws_ecs_cluster`,
//! `aws_ecs_capacity_provider`, `aws_ecs_cluster_capacity_providers`,
//! `aws_ecs_task_definition` (container definitions as `jsonencode(...)` of the API JSON),
//! `aws_ecs_service`, `aws_appautoscaling_target`, `aws_appautoscaling_policy` and
//! `aws_appautoscaling_scheduled_action`.
//!
//! Arguments follow the provider's names: the API's names in snake_case, nested structures as
//! blocks (a list of structures as repeated blocks), with the provider's renames (volumes →
//! `volume`, placementStrategy → `ordered_placement_strategy`, the deployment configuration
//! flattened, tags as a map, ...). Members the provider has no argument for are listed in a
//! comment rather than dropped silently. Unknown values (subnets of an awsvpc service without
//! a network configuration, an Auto Scaling group without an ARN) become variables.

use super::hcl::{write_items, Expr, Item};
use super::{cluster_capacity_provider_names, create_capacity_provider, revision_of};
use crate::plan::{CapacityProvider, NetworkMode, Plan, Service, TaskDefinition};
use crate::schema::{Shape, Shapes};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

pub use crate::schema::snake;

/// How one API member is written in a resource.
enum Arg {
    /// Under this name (attribute, block or repeated block by its shape).
    Name(&'static str),
    /// Left out: written by the caller.
    Skip,
    /// The provider has no argument for it.
    Unsupported,
}

type Renames = fn(&str, &str) -> Option<Arg>;

fn task_definition_renames(shape: &str, member: &str) -> Option<Arg> {
    Some(match (shape, member) {
        (
            "ecs:RegisterTaskDefinitionRequest",
            "containerDefinitions" | "tags" | "volumes" | "proxyConfiguration",
        ) => Arg::Skip,
        ("ecs:RegisterTaskDefinitionRequest", "inferenceAccelerators") => {
            Arg::Name("inference_accelerator")
        }
        ("ecs:Volume", "host") => Arg::Skip,
        ("ecs:Volume", "configuredAtLaunch") => Arg::Name("configure_at_launch"),
        ("ecs:Volume", "s3filesVolumeConfiguration") => Arg::Unsupported,
        _ => return None,
    })
}

fn service_renames(shape: &str, member: &str) -> Option<Arg> {
    Some(match (shape, member) {
        (
            "ecs:CreateServiceRequest",
            "cluster"
            | "taskDefinition"
            | "tags"
            | "deploymentConfiguration"
            | "networkConfiguration"
            | "clientToken",
        ) => Arg::Skip,
        ("ecs:CreateServiceRequest", "serviceName") => Arg::Name("name"),
        ("ecs:CreateServiceRequest", "role") => Arg::Name("iam_role"),
        ("ecs:CreateServiceRequest", "placementStrategy") => {
            Arg::Name("ordered_placement_strategy")
        }
        ("ecs:CreateServiceRequest", "loadBalancers") => Arg::Name("load_balancer"),
        (
            "ecs:CreateServiceRequest",
            "serviceConnectConfiguration"
            | "volumeConfigurations"
            | "vpcLatticeConfigurations"
            | "monitoring",
        ) => Arg::Unsupported,
        ("ecs:LoadBalancer", "loadBalancerName") => Arg::Name("elb_name"),
        _ => return None,
    })
}

fn scaling_renames(shape: &str, member: &str) -> Option<Arg> {
    Some(match (shape, member) {
        (_, "ServiceNamespace" | "ResourceId" | "ScalableDimension") => Arg::Skip,
        (_, "PolicyName" | "ScheduledActionName") => Arg::Name("name"),
        ("aas:StepScalingPolicyConfiguration", "StepAdjustments") => Arg::Name("step_adjustment"),
        ("aas:PutScalingPolicyRequest", "PredictiveScalingPolicyConfiguration") => Arg::Unsupported,
        _ => return None,
    })
}

fn no_renames(_: &str, _: &str) -> Option<Arg> {
    None
}

/// The body of a structure value: attributes and blocks, plus the names left out.
fn body(
    v: &Map<String, Value>,
    shape: &str,
    renames: Renames,
    unsupported: &mut Vec<String>,
    path: &str,
) -> Vec<Item> {
    let shapes = Shapes::builtin();
    let members = shapes.structure(shape).map(|(m, _)| m).unwrap_or_default();
    let mut items = Vec::new();
    for (k, x) in v {
        let name = match renames(shape, k) {
            Some(Arg::Skip) => continue,
            Some(Arg::Unsupported) => {
                unsupported.push(format!("{path}{k}"));
                continue;
            }
            Some(Arg::Name(n)) => n.to_string(),
            None => snake(k),
        };
        let mshape = members.get(k.as_str()).copied().unwrap_or("");
        items.extend(member_items(
            &name,
            x,
            mshape,
            renames,
            unsupported,
            &format!("{path}{k}."),
        ));
    }
    items
}

fn member_items(
    name: &str,
    x: &Value,
    shape: &str,
    renames: Renames,
    unsupported: &mut Vec<String>,
    path: &str,
) -> Vec<Item> {
    let shapes = Shapes::builtin();
    match (shapes.get(shape), x) {
        (Some(Shape::Structure { .. }), Value::Object(o)) => vec![Item::Block(
            name.into(),
            vec![],
            body(o, shape, renames, unsupported, path),
        )],
        (Some(Shape::List { member, .. }), Value::Array(a))
            if matches!(shapes.get(member), Some(Shape::Structure { .. })) =>
        {
            a.iter()
                .filter_map(Value::as_object)
                .map(|o| {
                    Item::Block(
                        name.into(),
                        vec![],
                        body(o, member, renames, unsupported, path),
                    )
                })
                .collect()
        }
        _ => vec![Item::Attr(name.into(), Expr::from_json(x))],
    }
}

/// `[{key, value}]` (ECS tags) → a map expression.
fn tags_map(v: Option<&Value>, key: &str, value: &str) -> Option<Expr> {
    let a = v?.as_array()?;
    if a.is_empty() {
        return None;
    }
    Some(Expr::Object(
        a.iter()
            .filter_map(|t| {
                Some((
                    t.get(key)?.as_str()?.to_string(),
                    Expr::str(t.get(value).and_then(Value::as_str).unwrap_or("")),
                ))
            })
            .collect(),
    ))
}

#[derive(Default)]
struct Labels(BTreeSet<String>);

impl Labels {
    fn make(&mut self, kind: &str, name: &str) -> String {
        let mut base: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        if !base.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            base = format!("_{base}");
        }
        let mut label = base.clone();
        let mut n = 2;
        while !self.0.insert(format!("{kind}.{label}")) {
            label = format!("{base}_{n}");
            n += 1;
        }
        label
    }
}

fn resource(kind: &str, label: &str, body: Vec<Item>) -> Item {
    Item::Block("resource".into(), vec![kind.into(), label.into()], body)
}

fn unsupported_comment(items: &mut Vec<Item>, unsupported: Vec<String>) {
    if !unsupported.is_empty() {
        items.insert(
            0,
            Item::Comment(format!(
                "Not exported (no argument in the AWS provider): {}",
                unsupported.join(", ")
            )),
        );
    }
}

/// The cluster resource's label; the other resources refer to it.
const CLUSTER: &str = "this";

/// `main.tf` for the whole plan: the provider, then variables, then one resource after
/// another in the plan's order (cluster, capacity providers, task definitions, services with
/// their scaling).
pub fn main_tf(plan: &Plan) -> String {
    let mut tf = Terraform::new(plan);
    tf.cluster();
    for cp in &plan.cluster.capacity_providers {
        tf.capacity_provider(cp);
    }
    tf.cluster_capacity_providers();
    for (i, td) in plan.task_definitions.iter().enumerate() {
        tf.task_definition(i, td);
    }
    for s in &plan.services {
        let label = tf.service(s);
        tf.scaling(s, &label);
    }
    tf.render()
}

/// The resources and variables written so far, with the labels later resources refer to.
struct Terraform<'a> {
    plan: &'a Plan,
    labels: Labels,
    variables: Vec<Item>,
    resources: Vec<Item>,
    /// Capacity provider name → its resource's label.
    cp_labels: Vec<(String, String)>,
    /// The label of each task definition, by index in the plan.
    td_labels: Vec<String>,
    /// Whether an `aws_ecs_cluster_capacity_providers` resource was written.
    associations: bool,
    /// Whether an awsvpc service without a network configuration needs the subnet variables.
    need_network_vars: bool,
}

impl<'a> Terraform<'a> {
    fn new(plan: &'a Plan) -> Self {
        Terraform {
            plan,
            labels: Labels::default(),
            variables: Vec::new(),
            resources: Vec::new(),
            cp_labels: Vec::new(),
            td_labels: Vec::new(),
            associations: false,
            need_network_vars: false,
        }
    }

    fn cluster(&mut self) {
        let name = match self.plan.cluster.cluster_name.as_str() {
            "" => "default",
            n => n,
        };
        let body = vec![Item::Attr("name".into(), Expr::str(name))];
        self.resources
            .push(resource("aws_ecs_cluster", CLUSTER, body));
    }

    fn capacity_provider(&mut self, cp: &CapacityProvider) {
        let label = self.labels.make("aws_ecs_capacity_provider", &cp.name);
        let mut api = create_capacity_provider(cp);
        let tags = api.get("tags").cloned();
        let mut unsupported = Vec::new();
        let needs_var = placeholder_group_arn(&mut api, &label);
        let mut b = body(
            api.as_object().unwrap_or(&Map::new()),
            "ecs:CreateCapacityProviderRequest",
            |s, m| match (s, m) {
                ("ecs:CreateCapacityProviderRequest", "tags") => Some(Arg::Skip),
                ("ecs:CreateCapacityProviderRequest", "managedInstancesProvider") => {
                    Some(Arg::Unsupported)
                }
                _ => None,
            },
            &mut unsupported,
            "",
        );
        if let Some(var) = needs_var {
            refer_to_group_arn_variable(&mut b, &var);
            self.variables.push(variable(
                var,
                "string",
                &format!(
                    "ARN of the Auto Scaling group behind capacity provider {}",
                    cp.name
                ),
            ));
        }
        if let Some(t) = tags_map(tags.as_ref(), "key", "value") {
            b.push(Item::Attr("tags".into(), t));
        }
        unsupported_comment(&mut b, unsupported);
        self.resources
            .push(resource("aws_ecs_capacity_provider", &label, b));
        self.cp_labels.push((cp.name.clone(), label));
    }

    /// A capacity provider by name: a reference to its resource when the plan defines it.
    fn cp_expr(&self, name: &str) -> Expr {
        match self.cp_labels.iter().find(|(n, _)| n == name) {
            Some((_, l)) => Expr::raw(format!("aws_ecs_capacity_provider.{l}.name")),
            None => Expr::str(name),
        }
    }

    fn cluster_capacity_providers(&mut self) {
        let plan = self.plan;
        let names = cluster_capacity_provider_names(plan);
        if names.is_empty() {
            return;
        }
        self.associations = true;
        let mut b = vec![
            Item::Attr(
                "cluster_name".into(),
                Expr::raw(format!("aws_ecs_cluster.{CLUSTER}.name")),
            ),
            Item::Attr(
                "capacity_providers".into(),
                Expr::List(names.iter().map(|n| self.cp_expr(n)).collect()),
            ),
        ];
        for item in &plan.cluster.default_capacity_provider_strategy {
            let mut s = vec![Item::Attr(
                "capacity_provider".into(),
                self.cp_expr(&item.capacity_provider),
            )];
            if let Some(w) = item.weight {
                s.push(Item::Attr("weight".into(), Expr::Num(w.to_string())));
            }
            if let Some(base) = item.base {
                s.push(Item::Attr("base".into(), Expr::Num(base.to_string())));
            }
            b.push(Item::Block(
                "default_capacity_provider_strategy".into(),
                vec![],
                s,
            ));
        }
        self.resources
            .push(resource("aws_ecs_cluster_capacity_providers", CLUSTER, b));
    }

    fn task_definition(&mut self, i: usize, td: &TaskDefinition) {
        let rev = revision_of(self.plan, i);
        let label = self.labels.make(
            "aws_ecs_task_definition",
            &if rev == 1 {
                td.family.clone()
            } else {
                format!("{}_rev{rev}", td.family)
            },
        );
        let api = super::register_task_definition(td);
        let o = api.as_object().cloned().unwrap_or_default();
        let mut unsupported = Vec::new();
        let mut b = body(
            &o,
            "ecs:RegisterTaskDefinitionRequest",
            task_definition_renames,
            &mut unsupported,
            "",
        );
        let defs = o
            .get("containerDefinitions")
            .cloned()
            .unwrap_or(Value::Array(Vec::new()));
        let mut enc = String::from("jsonencode(");
        super::hcl::write_expr(&mut enc, &Expr::from_json(&defs), 2);
        enc.push(')');
        b.insert(
            1.min(b.len()),
            Item::Attr("container_definitions".into(), Expr::Raw(enc)),
        );
        if let Some(Value::Array(vols)) = o.get("volumes") {
            for v in vols.iter().filter_map(Value::as_object) {
                b.push(volume_block(v, &mut unsupported));
            }
        }
        if let Some(pc) = o.get("proxyConfiguration").and_then(Value::as_object) {
            b.push(proxy_block(pc, &mut unsupported));
        }
        if let Some(t) = tags_map(o.get("tags"), "key", "value") {
            b.push(Item::Attr("tags".into(), t));
        }
        unsupported_comment(&mut b, unsupported);
        self.resources
            .push(resource("aws_ecs_task_definition", &label, b));
        self.td_labels.push(label);
    }

    /// The service's resource; its label, which the scaling resources refer to.
    fn service(&mut self, s: &Service) -> String {
        let plan = self.plan;
        let label = self.labels.make("aws_ecs_service", &s.service_name);
        let api = super::create_service(plan, s);
        let o = api.as_object().cloned().unwrap_or_default();
        let mut unsupported = Vec::new();
        let mut b = vec![
            Item::Attr("name".into(), Expr::str(&s.service_name)),
            Item::Attr(
                "cluster".into(),
                Expr::raw(format!("aws_ecs_cluster.{CLUSTER}.id")),
            ),
        ];
        let td_index = s
            .task_definition
            .as_deref()
            .and_then(|r| plan.resolve_task_definition(r))
            .map(|(i, _)| i);
        match (td_index, &s.task_definition) {
            (Some(i), _) => b.push(Item::Attr(
                "task_definition".into(),
                Expr::raw(format!("aws_ecs_task_definition.{}.arn", self.td_labels[i])),
            )),
            (None, Some(r)) => b.push(Item::Attr("task_definition".into(), Expr::str(r))),
            _ => {}
        }
        let mut rest = o.clone();
        rest.remove("serviceName");
        let mut generic = body(
            &rest,
            "ecs:CreateServiceRequest",
            service_renames,
            &mut unsupported,
            "",
        );
        self.refer_to_capacity_providers(&mut generic);
        b.extend(generic);
        if let Some(dc) = o.get("deploymentConfiguration").and_then(Value::as_object) {
            b.extend(deployment_items(dc, &mut unsupported));
        }
        let awsvpc = td_index.and_then(|i| plan.task_definitions[i].network_mode)
            == Some(NetworkMode::Awsvpc);
        let vpc = o
            .get("networkConfiguration")
            .and_then(|n| n.get("awsvpcConfiguration"))
            .and_then(Value::as_object);
        match vpc {
            Some(vpc) => b.push(network_block(vpc, &mut unsupported)),
            None if awsvpc => {
                self.need_network_vars = true;
                b.push(Item::Block(
                    "network_configuration".into(),
                    vec![],
                    vec![
                        Item::Attr("subnets".into(), Expr::raw("var.subnets")),
                        Item::Attr("security_groups".into(), Expr::raw("var.security_groups")),
                    ],
                ));
            }
            None => {}
        }
        if let Some(t) = tags_map(o.get("tags"), "key", "value") {
            b.push(Item::Attr("tags".into(), t));
        }
        if s.auto_scaling.is_some() {
            b.push(Item::Block(
                "lifecycle".into(),
                vec![],
                vec![
                    Item::Comment("Application Auto Scaling changes the desired count.".into()),
                    Item::Attr(
                        "ignore_changes".into(),
                        Expr::List(vec![Expr::raw("desired_count")]),
                    ),
                ],
            ));
        }
        if self.associations
            && (!s.capacity_provider_strategy.is_empty()
                || (s.launch_type.is_none()
                    && !plan.cluster.default_capacity_provider_strategy.is_empty()))
        {
            b.push(Item::Attr(
                "depends_on".into(),
                Expr::List(vec![Expr::raw(format!(
                    "aws_ecs_cluster_capacity_providers.{CLUSTER}"
                ))]),
            ));
        }
        unsupported_comment(&mut b, unsupported);
        self.resources.push(resource("aws_ecs_service", &label, b));
        label
    }

    /// Capacity provider names in a service's strategy as references to their resources.
    fn refer_to_capacity_providers(&self, items: &mut [Item]) {
        for it in items {
            let Item::Block(n, _, inner) = it else {
                continue;
            };
            if n != "capacity_provider_strategy" {
                continue;
            }
            for a in inner.iter_mut() {
                if let Item::Attr(k, Expr::Str(name)) = a {
                    if k == "capacity_provider" {
                        let e = self.cp_expr(name);
                        *a = Item::Attr(k.clone(), e);
                    }
                }
            }
        }
    }

    /// The service's scalable target, policies and scheduled actions.
    fn scaling(&mut self, s: &Service, label: &str) {
        let Some(a) = super::auto_scaling(s) else {
            return;
        };
        let mut t = vec![
            Item::Attr("service_namespace".into(), Expr::str("ecs")),
            Item::Attr(
                "resource_id".into(),
                Expr::raw(format!("\"service/${{aws_ecs_cluster.{CLUSTER}.name}}/${{aws_ecs_service.{label}.name}}\"")),
            ),
            Item::Attr(
                "scalable_dimension".into(),
                Expr::str("ecs:service:DesiredCount"),
            ),
        ];
        for (k, n) in [
            ("minCapacity", "min_capacity"),
            ("maxCapacity", "max_capacity"),
        ] {
            if let Some(v) = a.get(k) {
                t.push(Item::Attr(n.into(), Expr::from_json(v)));
            }
        }
        if let Some(ss) = a.get("suspendedState") {
            t.extend(member_items(
                "suspended_state",
                ss,
                "aas:SuspendedState",
                no_renames,
                &mut Vec::new(),
                "",
            ));
        }
        self.resources
            .push(resource("aws_appautoscaling_target", label, t));
        let requests = [
            (
                "policies",
                "PolicyName",
                "policy",
                "aws_appautoscaling_policy",
                "aas:PutScalingPolicyRequest",
            ),
            (
                "scheduledActions",
                "ScheduledActionName",
                "action",
                "aws_appautoscaling_scheduled_action",
                "aas:PutScheduledActionRequest",
            ),
        ];
        for (member, name_key, fallback, kind, shape) in requests {
            for r in a
                .get(member)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(ro) = r.as_object() else { continue };
                let name = ro.get(name_key).and_then(Value::as_str).unwrap_or(fallback);
                let rl = self
                    .labels
                    .make(kind, &format!("{}_{name}", s.service_name));
                let mut unsupported = Vec::new();
                let mut rb = vec![Item::Attr("name".into(), Expr::str(name))];
                let mut rest = ro.clone();
                rest.remove(name_key);
                if member == "policies" {
                    for k in super::PLANNER_POLICY_MEMBERS {
                        rest.remove(k);
                    }
                }
                rb.extend(target_references(label));
                rb.extend(body(&rest, shape, scaling_renames, &mut unsupported, ""));
                unsupported_comment(&mut rb, unsupported);
                self.resources.push(resource(kind, &rl, rb));
            }
        }
    }

    /// The file: header comments, the provider, variables, resources.
    fn render(mut self) -> String {
        if self.need_network_vars {
            self.variables.push(variable(
                "subnets".into(),
                "list(string)",
                "Subnets for the awsvpc services that have no networkConfiguration in the plan",
            ));
            self.variables.push(variable(
                "security_groups".into(),
                "list(string)",
                "Security groups for those services",
            ));
        }
        let plan = self.plan;
        let mut out = String::from("# Terraform exported by ECS Planner");
        if !plan.name.is_empty() {
            out.push_str(": ");
            out.push_str(&plan.name.replace('\n', " "));
        }
        out.push('\n');
        if !plan.tasks.is_empty() {
            out.push_str("# Standalone tasks (RunTask) have no Terraform resource; export them with --format run-task.\n");
        }
        out.push('\n');
        let mut all = provider(&plan.region);
        all.extend(self.variables);
        all.extend(self.resources);
        for (i, item) in all.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            write_items(&mut out, std::slice::from_ref(item), 0);
        }
        out
    }
}

/// The `terraform` block (the AWS provider's source and version) and the provider's region.
fn provider(region: &str) -> Vec<Item> {
    vec![
        Item::Block(
            "terraform".into(),
            vec![],
            vec![Item::Block(
                "required_providers".into(),
                vec![],
                vec![Item::Attr(
                    "aws".into(),
                    Expr::Object(vec![
                        ("source".into(), Expr::str("hashicorp/aws")),
                        ("version".into(), Expr::str(">= 5.0")),
                    ]),
                )],
            )],
        ),
        Item::Block(
            "provider".into(),
            vec!["aws".into()],
            vec![Item::Attr("region".into(), Expr::str(region))],
        ),
    ]
}

fn variable(name: String, kind: &str, description: &str) -> Item {
    Item::Block(
        "variable".into(),
        vec![name],
        vec![
            Item::Attr("type".into(), Expr::raw(kind)),
            Item::Attr("description".into(), Expr::str(description)),
        ],
    )
}

/// A capacity provider's Auto Scaling group without an ARN gets a placeholder; the name of
/// the variable that will stand for it.
fn placeholder_group_arn(api: &mut Value, label: &str) -> Option<String> {
    let p = api
        .get_mut("autoScalingGroupProvider")
        .and_then(Value::as_object_mut)?;
    let known = p
        .get("autoScalingGroupArn")
        .and_then(Value::as_str)
        .is_some_and(|a| !a.is_empty());
    if known {
        return None;
    }
    let var = format!("{label}_auto_scaling_group_arn");
    p.insert(
        "autoScalingGroupArn".into(),
        Value::String(format!("${{var.{var}}}")),
    );
    Some(var)
}

/// Replaces the placeholder ARN by a reference to the variable.
fn refer_to_group_arn_variable(items: &mut [Item], var: &str) {
    for it in items {
        let Item::Block(n, _, inner) = it else {
            continue;
        };
        if n != "auto_scaling_group_provider" {
            continue;
        }
        for a in inner.iter_mut() {
            if let Item::Attr(k, e) = a {
                if k == "auto_scaling_group_arn" {
                    *e = Expr::raw(format!("var.{var}"));
                }
            }
        }
    }
}

fn volume_block(v: &Map<String, Value>, unsupported: &mut Vec<String>) -> Item {
    let mut vb = body(
        v,
        "ecs:Volume",
        task_definition_renames,
        unsupported,
        "volumes.",
    );
    if let Some(sp) = v.get("host").and_then(|h| h.get("sourcePath")) {
        vb.push(Item::Attr("host_path".into(), Expr::from_json(sp)));
    }
    Item::Block("volume".into(), vec![], vb)
}

/// `proxy_configuration`, its properties as a map.
fn proxy_block(pc: &Map<String, Value>, unsupported: &mut Vec<String>) -> Item {
    let mut pb = body(
        pc,
        "ecs:ProxyConfiguration",
        |_, m| (m == "properties").then_some(Arg::Skip),
        unsupported,
        "proxyConfiguration.",
    );
    if let Some(Value::Array(props)) = pc.get("properties") {
        let map = props
            .iter()
            .filter_map(|p| {
                Some((
                    p.get("name")?.as_str()?.to_string(),
                    Expr::str(p.get("value").and_then(Value::as_str).unwrap_or("")),
                ))
            })
            .collect();
        pb.push(Item::Attr("properties".into(), Expr::Object(map)));
    }
    Item::Block("proxy_configuration".into(), vec![], pb)
}

/// The deployment configuration, flattened as the provider has it.
fn deployment_items(dc: &Map<String, Value>, unsupported: &mut Vec<String>) -> Vec<Item> {
    let mut b = Vec::new();
    for (k, v) in dc {
        match k.as_str() {
            "maximumPercent" => b.push(Item::Attr(
                "deployment_maximum_percent".into(),
                Expr::from_json(v),
            )),
            "minimumHealthyPercent" => b.push(Item::Attr(
                "deployment_minimum_healthy_percent".into(),
                Expr::from_json(v),
            )),
            "deploymentCircuitBreaker" => b.extend(member_items(
                "deployment_circuit_breaker",
                v,
                "ecs:DeploymentCircuitBreaker",
                |s, m| {
                    (s == "ecs:DeploymentCircuitBreaker"
                        && matches!(m, "resetOnHealthyTask" | "thresholdConfiguration"))
                    .then_some(Arg::Unsupported)
                },
                unsupported,
                "deploymentConfiguration.",
            )),
            "alarms" => b.extend(member_items(
                "alarms",
                v,
                "ecs:DeploymentAlarms",
                no_renames,
                unsupported,
                "deploymentConfiguration.",
            )),
            other => unsupported.push(format!("deploymentConfiguration.{other}")),
        }
    }
    b
}

fn network_block(vpc: &Map<String, Value>, unsupported: &mut Vec<String>) -> Item {
    let mut nb = Vec::new();
    for (k, v) in vpc {
        match k.as_str() {
            "subnets" | "securityGroups" => nb.push(Item::Attr(snake(k), Expr::from_json(v))),
            "assignPublicIp" => nb.push(Item::Attr(
                "assign_public_ip".into(),
                Expr::Bool(v.as_str() == Some("ENABLED")),
            )),
            other => unsupported.push(format!("networkConfiguration.awsvpcConfiguration.{other}")),
        }
    }
    Item::Block("network_configuration".into(), vec![], nb)
}

/// A scaling policy's or scheduled action's references to the service's scalable target.
fn target_references(label: &str) -> [Item; 3] {
    ["service_namespace", "resource_id", "scalable_dimension"].map(|k| {
        Item::Attr(
            k.into(),
            Expr::raw(format!("aws_appautoscaling_target.{label}.{k}")),
        )
    })
}
