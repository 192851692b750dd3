//! CloudFormation's names for AWS API members, and its intrinsic functions.
//!
//! CloudFormation spells most members as the API does with the first letter capitalised; the
//! exceptions and the members it has no property for are listed here, so the importer (from
//! CloudFormation) and the exporter (to CloudFormation) read the same table.

use super::Shapes;
use serde_json::Value;

/// Where CloudFormation spells a member differently than the API name with its first letter
/// capitalised: (API shape, API member, CloudFormation property). Checked against the
/// CloudFormation resource schemas that cfn-lint ships, in `tests/export_cfn_lint.rs`.
pub const NAME_EXCEPTIONS: &[(&str, &str, &str)] = &[
    (
        "ecs:Volume",
        "efsVolumeConfiguration",
        "EFSVolumeConfiguration",
    ),
    (
        "ecs:Volume",
        "fsxWindowsFileServerVolumeConfiguration",
        "FSxWindowsFileServerVolumeConfiguration",
    ),
    (
        "ecs:Volume",
        "s3filesVolumeConfiguration",
        "S3FilesVolumeConfiguration",
    ),
    ("ecs:EFSVolumeConfiguration", "fileSystemId", "FilesystemId"),
    ("ecs:EFSAuthorizationConfig", "iam", "IAM"),
    (
        "ecs:ProxyConfiguration",
        "properties",
        "ProxyConfigurationProperties",
    ),
    (
        "ecs:CreateServiceRequest",
        "placementStrategy",
        "PlacementStrategies",
    ),
    (
        "ecs:CreateCapacityProviderRequest",
        "cluster",
        "ClusterName",
    ),
];

/// API members that CloudFormation has no property for: (API shape, member).
pub const NOT_IN_CLOUDFORMATION: &[(&str, &str)] = &[
    ("ecs:CreateServiceRequest", "clientToken"),
    ("ecs:CreateServiceRequest", "monitoring"),
    ("ecs:DeploymentCircuitBreaker", "resetOnHealthyTask"),
    ("ecs:DeploymentCircuitBreaker", "thresholdConfiguration"),
    ("ecs:DeploymentLifecycleHook", "targetType"),
    ("ecs:DeploymentLifecycleHook", "timeoutConfiguration"),
    ("aas:RegisterScalableTargetRequest", "Tags"),
];

/// The CloudFormation property for an API member, `None` when CloudFormation has none.
pub fn cfn_property(shape: &str, member: &str) -> Option<String> {
    if NOT_IN_CLOUDFORMATION.contains(&(shape, member)) {
        return None;
    }
    if let Some((_, _, c)) = NAME_EXCEPTIONS
        .iter()
        .find(|(s, m, _)| *s == shape && *m == member)
    {
        return Some(c.to_string());
    }
    let mut cs = member.chars();
    Some(match cs.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + cs.as_str(),
        None => String::new(),
    })
}

/// The API member of `shape` for a CloudFormation property.
pub fn api_member(shapes: &Shapes, shape: &str, property: &str) -> Option<String> {
    if let Some((_, m, _)) = NAME_EXCEPTIONS
        .iter()
        .find(|(s, _, c)| *s == shape && *c == property)
    {
        return Some(m.to_string());
    }
    let (members, _) = shapes.structure(shape)?;
    members
        .keys()
        .find(|m| m.eq_ignore_ascii_case(property))
        .map(|m| m.to_string())
}

/// An intrinsic function object: `{"Ref": x}`, `{"Fn::Sub": x}`, `{"Condition": x}`.
pub fn intrinsic(v: &Value) -> Option<(&str, &Value)> {
    let Value::Object(o) = v else { return None };
    if o.len() != 1 {
        return None;
    }
    let (k, x) = o.iter().next()?;
    (k == "Ref" || k == "Condition" || k.starts_with("Fn::")).then_some((k.as_str(), x))
}
