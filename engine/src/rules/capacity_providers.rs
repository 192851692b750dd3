//! Capacity provider strategies and the cluster's capacity providers
//! (`cluster-capacity-providers.md`, `fargate-capacity-providers.md`,
//! `asg-capacity-providers.md`; the strategy limit from the API model).

use super::{finding, Context};
use crate::findings::{Finding, JsonPath};
use crate::plan::{CapacityProviderStrategyItem, Plan, FARGATE_PROVIDERS};
use std::collections::HashMap;

/// Providers per strategy (the API model; a 2023 guide said 6).
pub const MAX_STRATEGY_ITEMS: usize = 20;

pub(super) fn is_fargate(name: &str) -> bool {
    FARGATE_PROVIDERS.contains(&name)
}

/// The rules every capacity provider strategy follows, wherever it is written.
pub(super) fn strategy(
    items: &[CapacityProviderStrategyItem],
    path: &JsonPath,
    ctx: &Context,
    out: &mut Vec<Finding>,
) {
    if items.len() > MAX_STRATEGY_ITEMS {
        out.push(finding(
            "strategy-too-many",
            path.clone(),
            format!("the strategy lists {} capacity providers; at most {MAX_STRATEGY_ITEMS} are allowed", items.len()),
            "drop providers that get weight 0 and no base",
        ));
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut base_at: Option<usize> = None;
    for (i, item) in items.iter().enumerate() {
        let p = path.index(i);
        if let Some(first) = seen.insert(item.capacity_provider.as_str(), i) {
            out.push(finding(
                "strategy-duplicate-provider",
                p.key("capacityProvider"),
                format!(
                    "{} appears twice in the strategy (items {first} and {i})",
                    item.capacity_provider
                ),
                "merge the two items into one with the combined base and weight",
            ));
        }
        if item.base.unwrap_or(0) > 0 {
            match base_at {
                Some(first) => out.push(finding(
                    "strategy-single-base",
                    p.key("base"),
                    format!(
                        "both {} and {} set a base; only one provider in a strategy may have one",
                        items[first].capacity_provider, item.capacity_provider
                    ),
                    format!(
                        "keep the base on {} and remove it here",
                        items[first].capacity_provider
                    ),
                )),
                None => base_at = Some(i),
            }
        }
    }
    if items.len() > 1 && items.iter().all(|i| i.weight.unwrap_or(0) == 0) {
        out.push(finding(
            "strategy-zero-weight",
            path.clone(),
            "every provider in the strategy has weight 0 (the default), so ECS refuses to use it",
            format!(
                "give at least one provider a weight, e.g. \"weight\": 1 on {}",
                items[0].capacity_provider
            ),
        ));
    }
    let fargate: Vec<&str> = items
        .iter()
        .map(|i| i.capacity_provider.as_str())
        .filter(|n| is_fargate(n))
        .collect();
    let asg: Vec<&str> = items
        .iter()
        .map(|i| i.capacity_provider.as_str())
        .filter(|n| {
            !is_fargate(n)
                && ctx
                    .providers
                    .is_none_or(|ps| ps.iter().any(|p| p.name == *n))
        })
        .collect();
    if !fargate.is_empty() && !asg.is_empty() {
        out.push(finding(
            "strategy-mixed-providers",
            path.clone(),
            format!(
                "the strategy mixes Fargate ({}) with Auto Scaling group providers ({}); a strategy uses one kind only",
                fargate.join(", "),
                asg.join(", ")
            ),
            "split the workload into two services, one on Fargate and one on EC2 capacity",
        ));
    }
}

/// The cluster's default strategy and its Auto Scaling group providers.
pub(super) fn check_cluster(plan: &Plan, ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    let cluster = JsonPath::root().key("cluster");
    strategy(
        &plan.cluster.default_capacity_provider_strategy,
        &cluster.key("defaultCapacityProviderStrategy"),
        ctx,
        &mut out,
    );
    for (i, cp) in plan.cluster.capacity_providers.iter().enumerate() {
        let p = cluster.key("capacityProviders").index(i);
        if let Some(asg) = &cp.auto_scaling_group {
            let ap = p.key("autoScalingGroup");
            for (k, tp) in asg.termination_policies.iter().enumerate() {
                let at = ap.key("TerminationPolicies").index(k);
                if tp.starts_with("arn:aws:lambda:") {
                    out.push(finding(
                        "asg-custom-termination-policy",
                        at,
                        format!("capacity provider {}: a custom termination policy (a Lambda function) chooses the instances to terminate; simulations cannot run it and use the next policies, then Default", cp.name),
                        "keep it for AWS; to see a simulated scale-in follow a named policy, list that policy after the function",
                    ));
                } else if !crate::plan::TERMINATION_POLICIES.contains(&tp.as_str()) {
                    let f = finding(
                        "asg-termination-policy",
                        at,
                        format!("capacity provider {}: {tp} is not a termination policy of EC2 Auto Scaling", cp.name),
                        match crate::schema::did_you_mean(tp, crate::plan::TERMINATION_POLICIES.iter().copied()) {
                            Some(b) => format!("did you mean {b}?"),
                            None => format!("use one of {} or a Lambda function's ARN", crate::plan::TERMINATION_POLICIES.join(", ")),
                        },
                    );
                    out.push(f);
                }
            }
            let (min, max, desired) = (asg.min_size, asg.max_size, asg.desired_capacity);
            if let (Some(lo), Some(hi)) = (min, max) {
                if lo > hi {
                    out.push(finding(
                        "asg-size",
                        ap.key("MinSize"),
                        format!("capacity provider {}: the Auto Scaling group's MinSize {lo} is above its MaxSize {hi}", cp.name),
                        format!("set MinSize to at most {hi}, or raise MaxSize"),
                    ));
                }
            }
            if let Some(d) = desired {
                let below = min.filter(|lo| d < *lo);
                let above = max.filter(|hi| d > *hi);
                if below.is_some() || above.is_some() {
                    out.push(finding(
                        "asg-size",
                        ap.key("DesiredCapacity"),
                        format!(
                            "capacity provider {}: DesiredCapacity {d} is outside MinSize {} to MaxSize {}",
                            cp.name,
                            min.map_or("-".into(), |v| v.to_string()),
                            max.map_or("-".into(), |v| v.to_string())
                        ),
                        "set DesiredCapacity between MinSize and MaxSize",
                    ));
                }
            }
            if max == Some(0) {
                out.push(finding(
                    "asg-max-zero",
                    ap.key("MaxSize"),
                    format!("capacity provider {}: the Auto Scaling group has MaxSize 0, so it can never add instances", cp.name),
                    "set MaxSize to the most instances the cluster may need",
                ));
            }
        }
        if let Some(prov) = &cp.auto_scaling_group_provider {
            let protection = prov.managed_termination_protection.as_deref() == Some("ENABLED");
            let scaling = prov
                .managed_scaling
                .as_ref()
                .and_then(|m| m.status.as_deref())
                == Some("ENABLED");
            if protection && !scaling {
                out.push(finding(
                    "managed-termination-protection",
                    p.key("autoScalingGroupProvider").key("managedTerminationProtection"),
                    format!("capacity provider {}: managed termination protection only works with managed scaling, which is off", cp.name),
                    "set managedScaling.status to ENABLED, or managedTerminationProtection to DISABLED",
                ));
            }
        }
    }
    out
}
