//! The whole plan as a CloudFormation template (YAML).
//!
//! Resources: `AWS::ECS::Cluster`, `AWS::ECS::CapacityProvider` per capacity provider,
//! `AWS::ECS::ClusterCapacityProviderAssociations` (when any strategy names a provider),
//! `AWS::ECS::TaskDefinition` per task definition, `AWS::ECS::Service` per service (depending
//! on the associations when it places by capacity provider),
//! `AWS::ApplicationAutoScaling::ScalableTarget` (with the scheduled actions) and
//! `::ScalingPolicy` per scaling policy. Property names come from the API's through
//! [`crate::schema::cloudformation::cfn_property`]; references between resources use `!Ref`/`!GetAtt`.
//! What the plan does not know becomes a parameter: the Auto Scaling group of a capacity
//! provider without an ARN, and the subnets and security groups of an awsvpc service without
//! a network configuration.

use super::yaml::to_yaml;
use super::{
    cluster_capacity_provider_names, create_capacity_provider, create_service,
    register_task_definition, revision_of,
};
use crate::plan::{NetworkMode, Plan, Service};
use crate::schema::cloudformation::cfn_property;
use crate::schema::{Shape, Shapes};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

/// API value of `shape` → CloudFormation properties (names converted, values kept).
pub fn to_cfn(v: &Value, shape: &str) -> Value {
    let shapes = Shapes::builtin();
    match (shapes.get(shape), v) {
        (Some(Shape::Structure { .. }), Value::Object(o)) => {
            let members = shapes.structure(shape).map(|(m, _)| m).unwrap_or_default();
            let mut out = Map::new();
            for (k, x) in o {
                let Some(m) = members.get(k.as_str()) else {
                    // Not in the model (cannot happen for a loaded plan): keep it, capitalised.
                    out.insert(cfn_property("", k).unwrap_or_else(|| k.clone()), x.clone());
                    continue;
                };
                if let Some(p) = cfn_property(shape, k) {
                    out.insert(p, to_cfn(x, m));
                }
            }
            Value::Object(out)
        }
        (Some(Shape::List { member, .. }), Value::Array(a)) => {
            Value::Array(a.iter().map(|x| to_cfn(x, member)).collect())
        }
        (Some(Shape::Map { value, .. }), Value::Object(o)) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), to_cfn(x, value)))
                .collect(),
        ),
        _ => v.clone(),
    }
}

/// A logical id from a name: `shop-ondemand` → `ShopOndemand`.
fn pascal(name: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}

#[derive(Default)]
struct Ids(BTreeSet<String>);

impl Ids {
    fn make(&mut self, prefix: &str, name: &str) -> String {
        let base: String = format!("{prefix}{}", pascal(name))
            .chars()
            .take(200)
            .collect();
        let mut id = base.clone();
        let mut n = 2;
        while !self.0.insert(id.clone()) {
            id = format!("{base}{n}");
            n += 1;
        }
        id
    }
}

fn r#ref(id: &str) -> Value {
    json!({ "Ref": id })
}

/// The template for the whole plan.
pub fn template(plan: &Plan) -> String {
    let mut ids = Ids::default();
    ids.0.insert("Cluster".into());
    ids.0.insert("ClusterCapacityProviderAssociations".into());
    let mut params = Map::new();
    let mut resources = Map::new();
    let mut comments: Vec<String> = Vec::new();

    // Cluster.
    let mut cluster_props = Map::new();
    if !plan.cluster.cluster_name.is_empty() {
        cluster_props.insert("ClusterName".into(), json!(plan.cluster.cluster_name));
    }
    let mut cluster = json!({ "Type": "AWS::ECS::Cluster" });
    if !cluster_props.is_empty() {
        cluster["Properties"] = Value::Object(cluster_props);
    }
    resources.insert("Cluster".into(), cluster);

    // Capacity providers.
    let mut provider_ids: Vec<(String, String)> = Vec::new();
    for cp in &plan.cluster.capacity_providers {
        let id = ids.make("CapacityProvider", &cp.name);
        let mut props = to_cfn(
            &create_capacity_provider(cp),
            "ecs:CreateCapacityProviderRequest",
        );
        if let Some(asg) = props
            .get_mut("AutoScalingGroupProvider")
            .and_then(Value::as_object_mut)
        {
            let known = asg
                .get("AutoScalingGroupArn")
                .and_then(Value::as_str)
                .is_some_and(|s| !s.is_empty());
            if !known {
                let p = format!("{id}AutoScalingGroupArn");
                params.insert(
                    p.clone(),
                    json!({"Type": "String", "Description": format!("ARN (or name) of the Auto Scaling group behind capacity provider {}", cp.name)}),
                );
                asg.insert("AutoScalingGroupArn".into(), r#ref(&p));
            }
        }
        resources.insert(
            id.clone(),
            json!({ "Type": "AWS::ECS::CapacityProvider", "Properties": props }),
        );
        provider_ids.push((cp.name.clone(), id));
    }
    let provider_ref = |name: &str| -> Value {
        match provider_ids.iter().find(|(n, _)| n == name) {
            Some((_, id)) => r#ref(id),
            None => json!(name),
        }
    };
    let strategy = |items: &Value| -> Value {
        match items {
            Value::Array(a) => Value::Array(
                a.iter()
                    .map(|it| {
                        let mut o = it.as_object().cloned().unwrap_or_default();
                        if let Some(Value::String(n)) = o.get("CapacityProvider").cloned() {
                            o.insert("CapacityProvider".into(), provider_ref(&n));
                        }
                        Value::Object(o)
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    };

    // Cluster capacity provider associations.
    let names = cluster_capacity_provider_names(plan);
    let associations = !names.is_empty();
    if associations {
        let default = to_cfn(
            &serde_json::to_value(&plan.cluster.default_capacity_provider_strategy)
                .unwrap_or(json!([])),
            "ecs:CapacityProviderStrategy",
        );
        resources.insert(
            "ClusterCapacityProviderAssociations".into(),
            json!({
                "Type": "AWS::ECS::ClusterCapacityProviderAssociations",
                "Properties": {
                    "Cluster": r#ref("Cluster"),
                    "CapacityProviders": names.iter().map(|n| provider_ref(n)).collect::<Vec<_>>(),
                    "DefaultCapacityProviderStrategy": strategy(&default),
                }
            }),
        );
    }

    // Task definitions.
    let mut td_ids: Vec<String> = Vec::new();
    for (i, td) in plan.task_definitions.iter().enumerate() {
        let rev = revision_of(plan, i);
        let id = if rev == 1 {
            ids.make("TaskDefinition", &td.family)
        } else {
            ids.make("TaskDefinition", &format!("{}-rev{rev}", td.family))
        };
        if rev > 1 {
            comments.push(format!(
                "{id} is revision {rev} of {}: CloudFormation registers each TaskDefinition resource as a revision of its family.",
                td.family
            ));
        }
        let props = to_cfn(
            &register_task_definition(td),
            "ecs:RegisterTaskDefinitionRequest",
        );
        resources.insert(
            id.clone(),
            json!({ "Type": "AWS::ECS::TaskDefinition", "Properties": props }),
        );
        td_ids.push(id);
    }

    // Services and their scaling.
    let mut need_network_params = false;
    for s in &plan.services {
        let id = ids.make("Service", &s.service_name);
        let mut api = create_service(plan, s);
        let mut td_index = None;
        if let Value::Object(o) = &mut api {
            o.remove("cluster");
            o.remove("taskDefinition");
            o.remove("clientToken");
            if let Some(r) = &s.task_definition {
                td_index = plan.resolve_task_definition(r).map(|(i, _)| i);
            }
        }
        let mut props = to_cfn(&api, "ecs:CreateServiceRequest");
        let mut out = Map::new();
        out.insert("Cluster".into(), r#ref("Cluster"));
        match (td_index, &s.task_definition) {
            (Some(i), _) => {
                out.insert("TaskDefinition".into(), r#ref(&td_ids[i]));
            }
            (None, Some(r)) => {
                out.insert("TaskDefinition".into(), json!(r));
            }
            (None, None) => {}
        }
        if let Value::Object(o) = &mut props {
            if let Some(st) = o.get("CapacityProviderStrategy").cloned() {
                o.insert("CapacityProviderStrategy".into(), strategy(&st));
            }
            let awsvpc = td_index.and_then(|i| plan.task_definitions[i].network_mode)
                == Some(NetworkMode::Awsvpc);
            if awsvpc && !o.contains_key("NetworkConfiguration") {
                need_network_params = true;
                o.insert(
                    "NetworkConfiguration".into(),
                    json!({"AwsvpcConfiguration": {"Subnets": r#ref("Subnets"), "SecurityGroups": r#ref("SecurityGroups")}}),
                );
            }
            for (k, v) in std::mem::take(o) {
                out.insert(k, v);
            }
        }
        let mut resource = json!({ "Type": "AWS::ECS::Service" });
        if associations && uses_capacity_providers(plan, s) {
            resource["DependsOn"] = json!(["ClusterCapacityProviderAssociations"]);
        }
        resource["Properties"] = Value::Object(out);
        resources.insert(id.clone(), resource);

        let Some(a) = s.auto_scaling.as_ref().and_then(Value::as_object) else {
            continue;
        };
        let target_id = format!("{id}ScalableTarget");
        ids.0.insert(target_id.clone());
        let mut t = Map::new();
        for (k, m) in [
            ("maxCapacity", "MaxCapacity"),
            ("minCapacity", "MinCapacity"),
        ] {
            if let Some(v) = a.get(k) {
                t.insert(m.into(), v.clone());
            }
        }
        t.insert(
            "ResourceId".into(),
            json!({"Fn::Join": ["/", ["service", r#ref("Cluster"), {"Fn::GetAtt": [id, "Name"]}]]}),
        );
        t.insert(
            "ScalableDimension".into(),
            json!("ecs:service:DesiredCount"),
        );
        t.insert("ServiceNamespace".into(), json!("ecs"));
        if let Some(Value::Array(actions)) = a.get("scheduledActions") {
            if !actions.is_empty() {
                t.insert(
                    "ScheduledActions".into(),
                    Value::Array(
                        actions
                            .iter()
                            .map(|x| to_cfn(&strip_header(x), "aas:PutScheduledActionRequest"))
                            .collect(),
                    ),
                );
            }
        }
        if let Some(ss) = a.get("suspendedState") {
            t.insert("SuspendedState".into(), to_cfn(ss, "aas:SuspendedState"));
        }
        resources.insert(
            target_id.clone(),
            json!({ "Type": "AWS::ApplicationAutoScaling::ScalableTarget", "Properties": t }),
        );
        if let Some(Value::Array(policies)) = a.get("policies") {
            for p in policies {
                let name = p
                    .get("PolicyName")
                    .and_then(Value::as_str)
                    .unwrap_or("Policy");
                let pid = ids.make(&format!("{id}Policy"), name);
                let mut props = Map::new();
                if let Value::Object(po) = to_cfn(
                    &strip_header(&super::aws_policy(p)),
                    "aas:PutScalingPolicyRequest",
                ) {
                    for (k, v) in po {
                        props.insert(k, v);
                    }
                }
                props.insert("ScalingTargetId".into(), r#ref(&target_id));
                resources.insert(pid, json!({ "Type": "AWS::ApplicationAutoScaling::ScalingPolicy", "Properties": props }));
            }
        }
    }
    if need_network_params {
        params.insert("Subnets".into(), json!({"Type": "List<AWS::EC2::Subnet::Id>", "Description": "Subnets for the awsvpc services that have no networkConfiguration in the plan"}));
        params.insert(
            "SecurityGroups".into(),
            json!({"Type": "List<AWS::EC2::SecurityGroup::Id>", "Description": "Security groups for the awsvpc services that have no networkConfiguration in the plan"}),
        );
    }
    if !plan.tasks.is_empty() {
        comments.push("Standalone tasks (RunTask) have no CloudFormation resource; export them with --format run-task.".into());
    }

    let mut doc = Map::new();
    doc.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    let title = if plan.name.is_empty() {
        "ECS plan".to_string()
    } else {
        plan.name.clone()
    };
    doc.insert(
        "Description".into(),
        json!(format!("{title} (exported by ECS Planner)")),
    );
    if !params.is_empty() {
        doc.insert("Parameters".into(), Value::Object(params));
    }
    doc.insert("Resources".into(), Value::Object(resources));
    let mut text = String::from("# CloudFormation template exported by ECS Planner.\n");
    for c in comments {
        text.push_str("# ");
        text.push_str(&c);
        text.push('\n');
    }
    text.push_str(&to_yaml(&Value::Object(doc)));
    text
}

/// Whether a service places its tasks by capacity provider (its own strategy, or the
/// cluster's default when it names no launch type).
fn uses_capacity_providers(plan: &Plan, s: &Service) -> bool {
    !s.capacity_provider_strategy.is_empty()
        || (s.launch_type.is_none() && !plan.cluster.default_capacity_provider_strategy.is_empty())
}

fn strip_header(v: &Value) -> Value {
    let mut o = v.as_object().cloned().unwrap_or_default();
    for k in ["ServiceNamespace", "ResourceId", "ScalableDimension"] {
        o.remove(k);
    }
    Value::Object(o)
}
