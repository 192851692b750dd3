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
use crate::plan::{NetworkMode, Plan};
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

/// `main.tf` for the whole plan.
pub fn main_tf(plan: &Plan) -> String {
    let mut labels = Labels::default();
    let mut top: Vec<Item> = Vec::new();
    let mut variables: Vec<Item> = Vec::new();
    top.push(Item::Block(
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
    ));
    top.push(Item::Block(
        "provider".into(),
        vec!["aws".into()],
        vec![Item::Attr("region".into(), Expr::str(&plan.region))],
    ));

    let cluster_label = "this";
    let mut cluster_body = Vec::new();
    cluster_body.push(Item::Attr(
        "name".into(),
        Expr::str(if plan.cluster.cluster_name.is_empty() {
            "default"
        } else {
            &plan.cluster.cluster_name
        }),
    ));
    let mut resources = vec![resource("aws_ecs_cluster", cluster_label, cluster_body)];

    // Capacity providers.
    let mut cp_labels: Vec<(String, String)> = Vec::new();
    for cp in &plan.cluster.capacity_providers {
        let label = labels.make("aws_ecs_capacity_provider", &cp.name);
        let mut api = create_capacity_provider(cp);
        let tags = api.get("tags").cloned();
        let mut unsupported = Vec::new();
        let mut needs_var = None;
        if let Some(p) = api
            .get_mut("autoScalingGroupProvider")
            .and_then(Value::as_object_mut)
        {
            if p.get("autoScalingGroupArn")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                let var = format!("{label}_auto_scaling_group_arn");
                p.insert(
                    "autoScalingGroupArn".into(),
                    Value::String(format!("${{var.{var}}}")),
                );
                needs_var = Some(var);
            }
        }
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
            // Replace the placeholder string by a reference.
            for it in &mut b {
                if let Item::Block(n, _, inner) = it {
                    if n == "auto_scaling_group_provider" {
                        for a in inner.iter_mut() {
                            if let Item::Attr(k, e) = a {
                                if k == "auto_scaling_group_arn" {
                                    *e = Expr::raw(format!("var.{var}"));
                                }
                            }
                        }
                    }
                }
            }
            variables.push(Item::Block(
                "variable".into(),
                vec![var],
                vec![
                    Item::Attr("type".into(), Expr::raw("string")),
                    Item::Attr(
                        "description".into(),
                        Expr::str(format!(
                            "ARN of the Auto Scaling group behind capacity provider {}",
                            cp.name
                        )),
                    ),
                ],
            ));
        }
        if let Some(t) = tags_map(tags.as_ref(), "key", "value") {
            b.push(Item::Attr("tags".into(), t));
        }
        unsupported_comment(&mut b, unsupported);
        resources.push(resource("aws_ecs_capacity_provider", &label, b));
        cp_labels.push((cp.name.clone(), label));
    }
    let cp_expr = |name: &str| -> Expr {
        match cp_labels.iter().find(|(n, _)| n == name) {
            Some((_, l)) => Expr::raw(format!("aws_ecs_capacity_provider.{l}.name")),
            None => Expr::str(name),
        }
    };
    let names = cluster_capacity_provider_names(plan);
    let associations = !names.is_empty();
    if associations {
        let mut b = vec![
            Item::Attr(
                "cluster_name".into(),
                Expr::raw(format!("aws_ecs_cluster.{cluster_label}.name")),
            ),
            Item::Attr(
                "capacity_providers".into(),
                Expr::List(names.iter().map(|n| cp_expr(n)).collect()),
            ),
        ];
        for item in &plan.cluster.default_capacity_provider_strategy {
            let mut s = vec![Item::Attr(
                "capacity_provider".into(),
                cp_expr(&item.capacity_provider),
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
        resources.push(resource(
            "aws_ecs_cluster_capacity_providers",
            cluster_label,
            b,
        ));
    }

    // Task definitions.
    let mut td_labels = Vec::new();
    for (i, td) in plan.task_definitions.iter().enumerate() {
        let rev = revision_of(plan, i);
        let label = labels.make(
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
                let mut vb = body(
                    v,
                    "ecs:Volume",
                    task_definition_renames,
                    &mut unsupported,
                    "volumes.",
                );
                if let Some(sp) = v.get("host").and_then(|h| h.get("sourcePath")) {
                    vb.push(Item::Attr("host_path".into(), Expr::from_json(sp)));
                }
                b.push(Item::Block("volume".into(), vec![], vb));
            }
        }
        if let Some(pc) = o.get("proxyConfiguration").and_then(Value::as_object) {
            let mut pb = body(
                pc,
                "ecs:ProxyConfiguration",
                |_, m| (m == "properties").then_some(Arg::Skip),
                &mut unsupported,
                "proxyConfiguration.",
            );
            if let Some(Value::Array(props)) = pc.get("properties") {
                pb.push(Item::Attr(
                    "properties".into(),
                    Expr::Object(
                        props
                            .iter()
                            .filter_map(|p| {
                                Some((
                                    p.get("name")?.as_str()?.to_string(),
                                    Expr::str(p.get("value").and_then(Value::as_str).unwrap_or("")),
                                ))
                            })
                            .collect(),
                    ),
                ));
            }
            b.push(Item::Block("proxy_configuration".into(), vec![], pb));
        }
        if let Some(t) = tags_map(o.get("tags"), "key", "value") {
            b.push(Item::Attr("tags".into(), t));
        }
        unsupported_comment(&mut b, unsupported);
        resources.push(resource("aws_ecs_task_definition", &label, b));
        td_labels.push(label);
    }

    // Services and scaling.
    let mut need_network_vars = false;
    for s in &plan.services {
        let label = labels.make("aws_ecs_service", &s.service_name);
        let api = super::create_service(plan, s);
        let o = api.as_object().cloned().unwrap_or_default();
        let mut unsupported = Vec::new();
        let mut b = Vec::new();
        b.push(Item::Attr("name".into(), Expr::str(&s.service_name)));
        b.push(Item::Attr(
            "cluster".into(),
            Expr::raw(format!("aws_ecs_cluster.{cluster_label}.id")),
        ));
        let td_index = s
            .task_definition
            .as_deref()
            .and_then(|r| plan.resolve_task_definition(r))
            .map(|(i, _)| i);
        match (td_index, &s.task_definition) {
            (Some(i), _) => b.push(Item::Attr(
                "task_definition".into(),
                Expr::raw(format!("aws_ecs_task_definition.{}.arn", td_labels[i])),
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
        // Capacity provider names as references.
        for it in &mut generic {
            if let Item::Block(n, _, inner) = it {
                if n == "capacity_provider_strategy" {
                    for a in inner.iter_mut() {
                        if let Item::Attr(k, Expr::Str(name)) = a {
                            if k == "capacity_provider" {
                                let e = cp_expr(name);
                                *a = Item::Attr(k.clone(), e);
                            }
                        }
                    }
                }
            }
        }
        b.extend(generic);
        if let Some(dc) = o.get("deploymentConfiguration").and_then(Value::as_object) {
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
                    "deploymentCircuitBreaker" | "alarms" => {
                        let shape = if k == "alarms" {
                            "ecs:DeploymentAlarms"
                        } else {
                            "ecs:DeploymentCircuitBreaker"
                        };
                        let name = if k == "alarms" {
                            "alarms"
                        } else {
                            "deployment_circuit_breaker"
                        };
                        b.extend(member_items(
                            name,
                            v,
                            shape,
                            |s, m| {
                                (s == "ecs:DeploymentCircuitBreaker"
                                    && matches!(m, "resetOnHealthyTask" | "thresholdConfiguration"))
                                .then_some(Arg::Unsupported)
                            },
                            &mut unsupported,
                            "deploymentConfiguration.",
                        ));
                    }
                    other => unsupported.push(format!("deploymentConfiguration.{other}")),
                }
            }
        }
        let awsvpc = td_index.and_then(|i| plan.task_definitions[i].network_mode)
            == Some(NetworkMode::Awsvpc);
        match o
            .get("networkConfiguration")
            .and_then(|n| n.get("awsvpcConfiguration"))
            .and_then(Value::as_object)
        {
            Some(vpc) => {
                let mut nb = Vec::new();
                for (k, v) in vpc {
                    match k.as_str() {
                        "subnets" | "securityGroups" => {
                            nb.push(Item::Attr(snake(k), Expr::from_json(v)))
                        }
                        "assignPublicIp" => nb.push(Item::Attr(
                            "assign_public_ip".into(),
                            Expr::Bool(v.as_str() == Some("ENABLED")),
                        )),
                        other => unsupported
                            .push(format!("networkConfiguration.awsvpcConfiguration.{other}")),
                    }
                }
                b.push(Item::Block("network_configuration".into(), vec![], nb));
            }
            None if awsvpc => {
                need_network_vars = true;
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
        if associations
            && (!s.capacity_provider_strategy.is_empty()
                || (s.launch_type.is_none()
                    && !plan.cluster.default_capacity_provider_strategy.is_empty()))
        {
            b.push(Item::Attr(
                "depends_on".into(),
                Expr::List(vec![Expr::raw(format!(
                    "aws_ecs_cluster_capacity_providers.{cluster_label}"
                ))]),
            ));
        }
        unsupported_comment(&mut b, unsupported);
        resources.push(resource("aws_ecs_service", &label, b));

        let Some(a) = super::auto_scaling(s) else {
            continue;
        };
        let header = |b: &mut Vec<Item>| {
            b.push(Item::Attr(
                "service_namespace".into(),
                Expr::raw(format!(
                    "aws_appautoscaling_target.{label}.service_namespace"
                )),
            ));
            b.push(Item::Attr(
                "resource_id".into(),
                Expr::raw(format!("aws_appautoscaling_target.{label}.resource_id")),
            ));
            b.push(Item::Attr(
                "scalable_dimension".into(),
                Expr::raw(format!(
                    "aws_appautoscaling_target.{label}.scalable_dimension"
                )),
            ));
        };
        let mut t = Vec::new();
        t.push(Item::Attr("service_namespace".into(), Expr::str("ecs")));
        t.push(Item::Attr(
            "resource_id".into(),
            Expr::raw(format!("\"service/${{aws_ecs_cluster.{cluster_label}.name}}/${{aws_ecs_service.{label}.name}}\"")),
        ));
        t.push(Item::Attr(
            "scalable_dimension".into(),
            Expr::str("ecs:service:DesiredCount"),
        ));
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
        resources.push(resource("aws_appautoscaling_target", &label, t));
        for p in a
            .get("policies")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(po) = p.as_object() else { continue };
            let name = po
                .get("PolicyName")
                .and_then(Value::as_str)
                .unwrap_or("policy");
            let pl = labels.make(
                "aws_appautoscaling_policy",
                &format!("{}_{name}", s.service_name),
            );
            let mut unsupported = Vec::new();
            let mut pb = vec![Item::Attr("name".into(), Expr::str(name))];
            let mut rest = po.clone();
            rest.remove("PolicyName");
            for k in super::PLANNER_POLICY_MEMBERS {
                rest.remove(k);
            }
            header(&mut pb);
            pb.extend(body(
                &rest,
                "aas:PutScalingPolicyRequest",
                scaling_renames,
                &mut unsupported,
                "",
            ));
            unsupported_comment(&mut pb, unsupported);
            resources.push(resource("aws_appautoscaling_policy", &pl, pb));
        }
        for act in a
            .get("scheduledActions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(ao) = act.as_object() else { continue };
            let name = ao
                .get("ScheduledActionName")
                .and_then(Value::as_str)
                .unwrap_or("action");
            let al = labels.make(
                "aws_appautoscaling_scheduled_action",
                &format!("{}_{name}", s.service_name),
            );
            let mut unsupported = Vec::new();
            let mut ab = vec![Item::Attr("name".into(), Expr::str(name))];
            let mut rest = ao.clone();
            rest.remove("ScheduledActionName");
            header(&mut ab);
            ab.extend(body(
                &rest,
                "aas:PutScheduledActionRequest",
                scaling_renames,
                &mut unsupported,
                "",
            ));
            unsupported_comment(&mut ab, unsupported);
            resources.push(resource("aws_appautoscaling_scheduled_action", &al, ab));
        }
    }
    if need_network_vars {
        for (v, d) in [
            (
                "subnets",
                "Subnets for the awsvpc services that have no networkConfiguration in the plan",
            ),
            ("security_groups", "Security groups for those services"),
        ] {
            variables.push(Item::Block(
                "variable".into(),
                vec![v.into()],
                vec![
                    Item::Attr("type".into(), Expr::raw("list(string)")),
                    Item::Attr("description".into(), Expr::str(d)),
                ],
            ));
        }
    }
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
    let mut all = top;
    all.extend(variables);
    all.extend(resources);
    for (i, item) in all.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        write_items(&mut out, std::slice::from_ref(item), 0);
    }
    out
}
