//! Condenses an AWS API model (botocore's `service-2.json`) into the planner's [`Shapes`].
//!
//! Only the shapes reachable from the requests the plan carries are kept, without their
//! documentation, so the table stays small enough to ship in the browser. Documentation-only
//! traits and Java-flavoured `pattern`s are dropped (the planner checks names, types, enums,
//! required members and ranges).

use super::{Shape, Shapes};
use serde_json::Value;
use std::collections::BTreeMap;

/// The API models and root shapes the plan embeds, with the prefix their shapes get.
pub const ROOTS: &[(&str, &[&str])] = &[
    (
        "ecs",
        &[
            "RegisterTaskDefinitionRequest",
            "CreateServiceRequest",
            "RunTaskRequest",
            "CreateCapacityProviderRequest",
            "CapacityProviderStrategy",
        ],
    ),
    (
        "aas",
        &[
            "PutScalingPolicyRequest",
            "PutScheduledActionRequest",
            "RegisterScalableTargetRequest",
        ],
    ),
    ("asg", &["CreateAutoScalingGroupType"]),
];

/// Error condensing a model: the model does not have the shape the planner expects.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CondenseError {
    /// A shape the roots reach is missing (its name).
    #[error("the model has no shape named {0}")]
    MissingShape(String),
    /// A shape's `type` the condenser does not know (shape name, type).
    #[error("shape {0} has an unknown type {1:?}")]
    UnknownType(String, String),
}

/// Condenses the shapes reachable from `roots` in the botocore model `model`, naming them
/// `prefix:Name`.
pub fn condense(model: &Value, prefix: &str, roots: &[&str]) -> Result<Shapes, CondenseError> {
    let all = model.get("shapes").and_then(Value::as_object);
    let mut out = BTreeMap::new();
    let mut stack: Vec<String> = roots.iter().map(|s| s.to_string()).collect();
    while let Some(name) = stack.pop() {
        let key = format!("{prefix}:{name}");
        if out.contains_key(&key) {
            continue;
        }
        let s = all
            .and_then(|a| a.get(&name))
            .ok_or_else(|| CondenseError::MissingShape(name.clone()))?;
        let ty = s.get("type").and_then(Value::as_str).unwrap_or("");
        let reference = |v: Option<&Value>| -> String {
            v.and_then(|m| m.get("shape"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let num = |k: &str| s.get(k).and_then(Value::as_f64);
        let unum = |k: &str| s.get(k).and_then(Value::as_u64);
        let document = s.get("document").and_then(Value::as_bool) == Some(true);
        let shape = match ty {
            // A free-form JSON document (e.g. a lifecycle hook's details): anything goes.
            "structure" if document => Shape::Any,
            "structure" => {
                let mut members = BTreeMap::new();
                if let Some(m) = s.get("members").and_then(Value::as_object) {
                    for (mname, mdef) in m {
                        let target = reference(Some(mdef));
                        members.insert(mname.clone(), format!("{prefix}:{target}"));
                        stack.push(target);
                    }
                }
                let required = s.get("required").and_then(Value::as_array).map(|r| {
                    r.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect::<Vec<_>>()
                });
                Shape::Structure {
                    members,
                    required: required.filter(|r| !r.is_empty()),
                    extends: None,
                }
            }
            "list" => {
                let member = reference(s.get("member"));
                stack.push(member.clone());
                Shape::List {
                    member: format!("{prefix}:{member}"),
                    min: unum("min"),
                    max: unum("max"),
                }
            }
            "map" => {
                let (k, v) = (reference(s.get("key")), reference(s.get("value")));
                stack.push(k.clone());
                stack.push(v.clone());
                Shape::Map {
                    key: format!("{prefix}:{k}"),
                    value: format!("{prefix}:{v}"),
                }
            }
            "string" => Shape::String {
                values: s.get("enum").and_then(Value::as_array).map(|e| {
                    e.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                }),
                min: unum("min"),
                max: unum("max"),
            },
            // The API's `integer` is a 32-bit signed number (a Java `Integer`): AWS refuses
            // anything outside it, and keeping user numbers to it keeps the engine's
            // arithmetic on them (products of two, sums of a few) within 64 bits.
            "integer" => Shape::Integer {
                min: num("min").or(Some(f64::from(i32::MIN))),
                max: num("max").or(Some(f64::from(i32::MAX))),
            },
            "long" => Shape::Integer {
                min: num("min"),
                max: num("max"),
            },
            "double" | "float" => Shape::Number {
                min: num("min"),
                max: num("max"),
            },
            "boolean" => Shape::Boolean,
            "timestamp" => Shape::Timestamp,
            "blob" => Shape::Blob,
            other => return Err(CondenseError::UnknownType(name, other.to_string())),
        };
        out.insert(key, shape);
    }
    Ok(Shapes(out))
}

/// Serialises shapes the way `aws-shapes.json` is stored: one shape per line, sorted, so
/// diffs of a model update are readable.
pub fn to_stored_json(shapes: &Shapes) -> String {
    let mut s = String::from("{\n");
    let n = shapes.0.len();
    for (i, (k, v)) in shapes.0.iter().enumerate() {
        let key = serde_json::to_string(k).unwrap_or_default();
        let val = serde_json::to_string(v).unwrap_or_default();
        s.push_str(&format!(
            "{key}: {val}{}\n",
            if i + 1 < n { "," } else { "" }
        ));
    }
    s.push_str("}\n");
    s
}
