//! The time view's scaling policy cards (target tracking on CPU, memory or ALB requests, step
//! scaling, a scheduled action) as the PutScalingPolicy / PutScheduledAction requests they
//! attach to a service, and the plan-document changes behind the time view's edits
//! ([`crate::edit::Edit::SetWorkload`], `AttachScalingPolicy`, `AddScheduledAction`,
//! `RemoveScaling`). Each edit is loaded again like any plan, so a card can never leave an
//! invalid plan behind.

use super::Edit;
use crate::findings::{Finding, JsonPath};
use crate::plan::autoscaling::{PolicyType, ScalingPolicy};
use crate::plan::{Plan, Written};
use serde_json::{json, Map, Value};

/// A card of the palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardKind {
    /// Target tracking on `ECSServiceAverageCPUUtilization` at 60 %.
    TargetCpu,
    /// Target tracking on `ECSServiceAverageMemoryUtilization` at 70 %.
    TargetMemory,
    /// Target tracking on `ALBRequestCountPerTarget`.
    TargetRequests,
    /// Step scaling on a CPU alarm: +1 task at 70 %, +2 at 90 %.
    StepCpu,
    /// A scheduled action doubling the minimum capacity on weekday mornings.
    Scheduled,
}

/// Every card, in the palette's order.
pub const CARDS: [CardKind; 5] = [
    CardKind::TargetCpu,
    CardKind::TargetMemory,
    CardKind::TargetRequests,
    CardKind::StepCpu,
    CardKind::Scheduled,
];

impl CardKind {
    /// A stable id (`data-card`).
    pub fn id(self) -> &'static str {
        match self {
            CardKind::TargetCpu => "target-cpu",
            CardKind::TargetMemory => "target-memory",
            CardKind::TargetRequests => "target-requests",
            CardKind::StepCpu => "step-cpu",
            CardKind::Scheduled => "scheduled",
        }
    }

    /// The card with this [`CardKind::id`], if any (from a drop's `data-card`).
    pub fn from_id(id: &str) -> Option<CardKind> {
        CARDS.into_iter().find(|c| c.id() == id)
    }

    /// The card's heading in the palette.
    pub fn title(self) -> &'static str {
        match self {
            CardKind::TargetCpu => "Target tracking: CPU 60 %",
            CardKind::TargetMemory => "Target tracking: memory 70 %",
            CardKind::TargetRequests => "Target tracking: ALB requests per target",
            CardKind::StepCpu => "Step scaling: CPU ≥ 70 %",
            CardKind::Scheduled => "Scheduled: weekday mornings",
        }
    }

    /// One line on what it does.
    pub fn detail(self) -> &'static str {
        match self {
            CardKind::TargetCpu => "ECSServiceAverageCPUUtilization kept at 60 %; scale-out cooldown 60 s, scale-in 300 s",
            CardKind::TargetMemory => "ECSServiceAverageMemoryUtilization kept at 70 %",
            CardKind::TargetRequests => "ALBRequestCountPerTarget kept at 60 % of what a task serves (1000 a minute without a request rate)",
            CardKind::StepCpu => "+1 task at CPU ≥ 70 %, +2 at ≥ 90 % (2 of 2 one-minute datapoints); cooldown 120 s",
            CardKind::Scheduled => "cron(0 8 ? * MON-FRI *): minimum capacity doubled from 08:00 UTC",
        }
    }

    /// The edit that attaches the card to `service` of `plan`.
    pub fn edit(self, plan: &Plan, service: &str) -> Edit {
        let svc = plan.services.iter().find(|s| s.service_name == service);
        let desired = svc.and_then(|s| s.desired_count).unwrap_or(1).max(1);
        let service = service.to_string();
        let policy = |name: String, config: Value| {
            let mut p = json!({ "PolicyName": name, "PolicyType": "TargetTrackingScaling" });
            p["TargetTrackingScalingPolicyConfiguration"] = config;
            Edit::AttachScalingPolicy {
                service: service.clone(),
                policy: p,
            }
        };
        let predefined = |metric: &str, target: f64, label: Option<String>| {
            let mut spec = json!({ "PredefinedMetricType": metric });
            if let Some(l) = label {
                spec["ResourceLabel"] = json!(l);
            }
            json!({
                "TargetValue": target,
                "PredefinedMetricSpecification": spec,
                "ScaleOutCooldown": 60,
                "ScaleInCooldown": 300
            })
        };
        match self {
            CardKind::TargetCpu => policy(
                format!("{service}-cpu-60"),
                predefined("ECSServiceAverageCPUUtilization", 60.0, None),
            ),
            CardKind::TargetMemory => policy(
                format!("{service}-memory-70"),
                predefined("ECSServiceAverageMemoryUtilization", 70.0, None),
            ),
            CardKind::TargetRequests => {
                let per_task = plan.workload.as_ref().and_then(|w| {
                    w.read()
                        .services?
                        .get(&service)?
                        .requests_per_task_at_100_percent
                });
                // 60 % of what a task serves, per minute (the metric is a one-minute sum).
                let target = per_task.map_or(1000.0, |r| (r * 60.0 * 0.6).round().max(1.0));
                let label = resource_label(svc.and_then(|s| {
                    s.load_balancers
                        .iter()
                        .find_map(|lb| lb.get("targetGroupArn").and_then(Value::as_str))
                }));
                policy(
                    format!("{service}-requests-{target}"),
                    predefined("ALBRequestCountPerTarget", target, Some(label)),
                )
            }
            CardKind::StepCpu => Edit::AttachScalingPolicy {
                service: service.clone(),
                policy: json!({
                    "PolicyName": format!("{service}-cpu-step"),
                    "PolicyType": "StepScaling",
                    "StepScalingPolicyConfiguration": {
                        "AdjustmentType": "ChangeInCapacity",
                        "StepAdjustments": [
                            { "MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 20, "ScalingAdjustment": 1 },
                            { "MetricIntervalLowerBound": 20, "ScalingAdjustment": 2 }
                        ],
                        "Cooldown": 120
                    },
                    "alarm": { "metric": "CPUUtilization", "comparison": ">=", "threshold": 70,
                               "evaluationPeriods": 2, "datapointsToAlarm": 2 }
                }),
            },
            CardKind::Scheduled => {
                let (_, max) = default_range(desired);
                let max = svc
                    .and_then(|s| s.auto_scaling.as_ref())
                    .and_then(|a| a.read().max_capacity)
                    .and_then(|m| u64::try_from(m).ok())
                    .map_or(max, |m| m as u32);
                Edit::AddScheduledAction {
                    service: service.clone(),
                    action: json!({
                        "ScheduledActionName": format!("{service}-weekday-mornings"),
                        "Schedule": "cron(0 8 ? * MON-FRI *)",
                        "ScalableTargetAction": { "MinCapacity": (desired * 2).min(max), "MaxCapacity": max }
                    }),
                }
            }
        }
    }
}

/// How something attached to a service's `autoScaling` acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachedKind {
    /// A PutScalingPolicy with `PolicyType` `TargetTrackingScaling`.
    TargetTracking,
    /// A PutScalingPolicy with `PolicyType` `StepScaling`.
    StepScaling,
    /// A PutScheduledAction.
    Scheduled,
}

impl AttachedKind {
    /// "target tracking", "step scaling", "scheduled".
    pub fn label(self) -> &'static str {
        match self {
            AttachedKind::TargetTracking => "target tracking",
            AttachedKind::StepScaling => "step scaling",
            AttachedKind::Scheduled => "scheduled",
        }
    }
}

/// A scaling policy or scheduled action attached to a service.
#[derive(Debug, Clone, PartialEq)]
pub struct Attached {
    /// `PolicyName` or `ScheduledActionName` (what RemoveScaling takes).
    pub name: String,
    /// Policy type or scheduled action.
    pub kind: AttachedKind,
    /// The metric and target, the alarm, or the schedule, as written.
    pub detail: String,
}

/// A service with its scalable target and what is attached (the time view's policy panel).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceScaling {
    /// `serviceName`.
    pub service: String,
    /// (minCapacity, maxCapacity), when the service has `autoScaling`.
    pub range: Option<(u64, u64)>,
    /// Policies and scheduled actions in the order written.
    pub items: Vec<Attached>,
    /// Whether the plan's workload gives it a load (without one, target tracking and step
    /// scaling have no metric data and do nothing).
    pub has_load: bool,
}

fn describe_policy(p: &ScalingPolicy) -> (AttachedKind, String) {
    if p.policy_type == Some(PolicyType::StepScaling) {
        let alarm = p.alarm.as_ref().and_then(|a| {
            Some(format!(
                "{} {} {}",
                a.metric?.label(),
                a.comparison.as_deref()?,
                a.threshold.as_ref()?
            ))
        });
        let steps = p
            .step_scaling_policy_configuration
            .as_ref()
            .and_then(|c| c.step_adjustments.as_ref())
            .map_or(0, Vec::len);
        return (
            AttachedKind::StepScaling,
            format!(
                "on {}, {steps} steps",
                alarm.as_deref().unwrap_or("its alarm")
            ),
        );
    }
    let cfg = p.target_tracking_scaling_policy_configuration.as_ref();
    let metric = cfg
        .and_then(|c| {
            c.predefined_metric_specification
                .as_ref()?
                .predefined_metric_type
                .clone()
        })
        .or_else(|| {
            cfg?.customized_metric_specification
                .as_ref()?
                .metric_name
                .clone()
        })
        .unwrap_or_else(|| "a metric".to_string());
    let target = cfg
        .and_then(|c| c.target_value.as_ref())
        .map_or_else(|| "?".to_string(), ToString::to_string);
    (
        AttachedKind::TargetTracking,
        format!("{metric} at {target}"),
    )
}

/// Every service of the plan with what its `autoScaling` has attached, policies first.
pub fn attached(plan: &Plan) -> Vec<ServiceScaling> {
    let workload = plan.workload.as_ref().map(Written::read);
    plan.services
        .iter()
        .map(|s| {
            let a = s.auto_scaling.as_ref().map(Written::read);
            let a = a.as_ref();
            let whole = |v: Option<i64>| v.and_then(|x| u64::try_from(x).ok());
            let range = a.and_then(|a| Some((whole(a.min_capacity)?, whole(a.max_capacity)?)));
            let mut items: Vec<Attached> = a
                .map(|a| a.policies())
                .unwrap_or_default()
                .iter()
                .map(|p| {
                    let (kind, detail) = describe_policy(p);
                    Attached {
                        name: p.policy_name.clone().unwrap_or_default(),
                        kind,
                        detail,
                    }
                })
                .collect();
            items.extend(
                a.map(|a| a.scheduled_actions())
                    .unwrap_or_default()
                    .iter()
                    .map(|x| Attached {
                        name: x.scheduled_action_name.clone().unwrap_or_default(),
                        kind: AttachedKind::Scheduled,
                        detail: x.schedule.clone().unwrap_or_default(),
                    }),
            );
            ServiceScaling {
                service: s.service_name.clone(),
                range,
                items,
                has_load: workload
                    .as_ref()
                    .and_then(|w| w.services.as_ref())
                    .is_some_and(|w| w.get(&s.service_name).is_some()),
            }
        })
        .collect()
}

/// ALBRequestCountPerTarget's `ResourceLabel` (`app/LB/ID/targetgroup/TG/ID`) from the
/// service's target group ARN; the load balancer part is not in that ARN, so it is the
/// planner's placeholder.
fn resource_label(target_group_arn: Option<&str>) -> String {
    let tg = target_group_arn
        .and_then(|a| a.split_once(":targetgroup/"))
        .map(|(_, rest)| rest.to_string())
        .unwrap_or_else(|| "planner-tg/0000000000000000".to_string());
    format!("app/planner-alb/0000000000000000/targetgroup/{tg}")
}

/// The scalable target a card gives a service that has none: minimum half the desired count
/// (at least 1), maximum three times it (at least 4). [planner's choice]
pub fn default_range(desired: u32) -> (u32, u32) {
    (desired.div_ceil(2).max(1), (desired * 3).max(4))
}

/// `autoScaling` for a service with `desired` tasks and no scaling yet.
pub fn default_scalable_target(desired: u32) -> Value {
    let (min, max) = default_range(desired);
    json!({ "minCapacity": min, "maxCapacity": max })
}

/// `v[key]` as a string, for messages.
pub fn name_of(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or("(unnamed)")
        .to_string()
}

fn refuse(code: &str, path: JsonPath, msg: String) -> Vec<Finding> {
    vec![Finding::error(code, path, msg)]
}

/// Changes the plan document of `plan` at service `service` with `f` (given the document and
/// the service's index) and loads the result.
pub fn apply_time_edit(
    plan: &Plan,
    service: &str,
    f: impl FnOnce(&mut Value, usize) -> Result<(), Vec<Finding>>,
) -> Result<Plan, Vec<Finding>> {
    let Some(i) = plan.services.iter().position(|s| s.service_name == service) else {
        return Err(refuse(
            "unknown-service",
            JsonPath::root(),
            format!("no service {service}"),
        ));
    };
    let mut doc = serde_json::to_value(plan)
        .map_err(|e| refuse("internal", JsonPath::root(), e.to_string()))?;
    f(&mut doc, i)?;
    super::reload(doc)
}

/// `v[key]`, made with `default` when it is not an object.
pub(super) fn object<'a>(
    v: &'a mut Value,
    key: &str,
    default: impl FnOnce() -> Value,
) -> &'a mut Value {
    if !v.get(key).is_some_and(Value::is_object) {
        v[key] = default();
    }
    &mut v[key]
}

/// Sets `workload.services[NAME]` of service `i` (creating `workload`), or removes it.
pub fn set_workload(doc: &mut Value, i: usize, load: Option<Value>) -> Result<(), Vec<Finding>> {
    let name = doc["services"][i]["serviceName"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let services = object(
        object(doc, "workload", || Value::Object(Map::new())),
        "services",
        || Value::Object(Map::new()),
    );
    let map = services.as_object_mut().expect("an object");
    match load {
        Some(l) => {
            map.insert(name, l);
        }
        None => {
            map.remove(&name);
        }
    }
    Ok(())
}

/// Adds `item` to `services[i].autoScaling[list]`, replacing the one with the same `key`
/// (`PolicyName`, `ScheduledActionName`).
pub fn attach(
    doc: &mut Value,
    i: usize,
    list: &str,
    key: &str,
    item: &Value,
) -> Result<(), Vec<Finding>> {
    let name = item.get(key).and_then(Value::as_str).unwrap_or_default();
    if name.is_empty() {
        return Err(refuse(
            "missing-name",
            JsonPath::root(),
            format!("a {list} entry needs a {key}"),
        ));
    }
    let svc = &mut doc["services"][i];
    let desired = svc["desiredCount"].as_u64().unwrap_or(1) as u32;
    let a = object(svc, "autoScaling", || default_scalable_target(desired));
    if !a.get(list).is_some_and(Value::is_array) {
        a[list] = json!([]);
    }
    let items = a[list].as_array_mut().expect("an array");
    match items
        .iter_mut()
        .find(|x| x.get(key).and_then(Value::as_str) == Some(name))
    {
        Some(x) => *x = item.clone(),
        None => items.push(item.clone()),
    }
    Ok(())
}

/// Removes the policy or scheduled action named `name` from service `i`.
pub fn remove(doc: &mut Value, i: usize, name: &str) -> Result<(), Vec<Finding>> {
    let svc = &mut doc["services"][i];
    let mut found = false;
    for (list, key) in [
        ("policies", "PolicyName"),
        ("scheduledActions", "ScheduledActionName"),
    ] {
        if let Some(items) = svc
            .get_mut("autoScaling")
            .and_then(|a| a.get_mut(list))
            .and_then(Value::as_array_mut)
        {
            let before = items.len();
            items.retain(|x| x.get(key).and_then(Value::as_str) != Some(name));
            found |= items.len() != before;
        }
    }
    if !found {
        let service = svc["serviceName"].as_str().unwrap_or_default();
        return Err(refuse(
            "unknown-scaling",
            JsonPath::root(),
            format!("service {service} has no scaling policy or scheduled action named {name}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;
    use crate::placement::PlaceOptions;

    use crate::load::sample;

    fn auto(p: &Plan, s: usize) -> Value {
        p.services[s]
            .auto_scaling
            .as_ref()
            .map_or(Value::Null, |a| a.json().clone())
    }

    #[test]
    fn every_card_attaches_a_valid_policy_and_undo_is_the_plan_before() {
        let plan = sample("two-az-web");
        for card in CARDS {
            let e = card.edit(&plan, "worker");
            let q = apply(&plan, &e).unwrap_or_else(|f| panic!("{card:?}: {f:?}"));
            let a = auto(&q, 1);
            assert_eq!(a["minCapacity"], json!(2), "{card:?}");
            assert_eq!(a["maxCapacity"], json!(9), "{card:?}");
            let n = a["policies"].as_array().map_or(0, Vec::len)
                + a["scheduledActions"].as_array().map_or(0, Vec::len);
            assert_eq!(n, 1, "{card:?}");
            assert!(e.describe().contains("to worker"), "{}", e.describe());
            // Attaching it again replaces it.
            let again = apply(&q, &e).unwrap();
            assert_eq!(again, q, "{card:?}");
            // And it can be removed by name.
            let name = a["policies"][0]["PolicyName"]
                .as_str()
                .or(a["scheduledActions"][0]["ScheduledActionName"].as_str())
                .unwrap()
                .to_string();
            let r = apply(
                &q,
                &Edit::RemoveScaling {
                    service: "worker".into(),
                    name: name.clone(),
                },
            )
            .unwrap();
            assert_eq!(auto(&r, 1)["policies"].as_array().map_or(0, Vec::len), 0);
            assert_eq!(
                Edit::RemoveScaling {
                    service: "worker".into(),
                    name
                }
                .describe()
                .split(' ')
                .next(),
                Some("removed")
            );
        }
        let e = CardKind::TargetRequests.edit(&plan, "web");
        let Edit::AttachScalingPolicy { policy, .. } = &e else {
            panic!()
        };
        // 100 requests a second at 100 % → 60 % of 6000 a minute.
        assert_eq!(
            policy["TargetTrackingScalingPolicyConfiguration"]["TargetValue"],
            json!(3600.0)
        );
        assert!(apply(&plan, &CardKind::TargetCpu.edit(&plan, "nope")).is_err());
        assert!(apply(
            &plan,
            &Edit::RemoveScaling {
                service: "web".into(),
                name: "nope".into()
            }
        )
        .is_err());
    }

    #[test]
    fn a_cpu_card_on_the_queue_worker_changes_its_day() {
        let plan = sample("two-az-web");
        let opts = PlaceOptions::for_plan(&plan);
        let before = crate::sim::simulate(&plan, 24 * 3600, &opts);
        let q = apply(&plan, &CardKind::TargetCpu.edit(&plan, "worker")).unwrap();
        let after = crate::sim::simulate(&q, 24 * 3600, &opts);
        let peak = |tl: &crate::sim::Timeline| {
            tl.minutes
                .iter()
                .map(|m| m.services[1].desired)
                .max()
                .unwrap()
        };
        assert_eq!(peak(&before), 3);
        assert!(peak(&after) > 3, "{}", peak(&after));
    }

    #[test]
    fn the_load_curve_is_set_removed_and_validated() {
        let plan = sample("two-az-web");
        let load = json!({ "requestsPerSecond": { "points": [{"t": 0, "value": 50}, {"t": 3600, "value": 500}] },
                           "requestsPerTaskAt100Percent": 100 });
        let e = Edit::SetWorkload {
            service: "web".into(),
            workload: Some(load.clone()),
            change: Some("moved point 2 to 500 requests/s".into()),
        };
        assert_eq!(
            e.describe(),
            "moved point 2 to 500 requests/s (load of web)"
        );
        let q = apply(&plan, &e).unwrap();
        assert_eq!(q.workload.as_ref().unwrap().json()["services"]["web"], load);
        // The other service's load stays.
        assert!(q.workload.as_ref().unwrap().json()["services"]["worker"].is_object());
        let r = apply(
            &q,
            &Edit::SetWorkload {
                service: "web".into(),
                workload: None,
                change: None,
            },
        )
        .unwrap();
        assert!(r.workload.as_ref().unwrap().json()["services"]
            .get("web")
            .is_none());
        // A plan without a workload gets one.
        let mut bare = plan.clone();
        bare.workload = None;
        let b = apply(&bare, &e).unwrap();
        assert_eq!(b.workload.as_ref().unwrap().json()["services"]["web"], load);
        // Points going back in time are refused with the engine's finding.
        let bad = json!({ "requestsPerSecond": { "points": [{"t": 3600, "value": 50}, {"t": 0, "value": 500}] } });
        let err = apply(
            &plan,
            &Edit::SetWorkload {
                service: "web".into(),
                workload: Some(bad),
                change: None,
            },
        )
        .unwrap_err();
        assert!(
            err[0].path.to_string().starts_with("workload.services.web"),
            "{err:?}"
        );
    }

    #[test]
    fn services_list_what_is_attached_as_written_and_cards_add_to_it() {
        let p = sample("two-az-web");
        let s = attached(&p);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].service, "web");
        assert_eq!(s[0].range, Some((2, 12)));
        assert_eq!(
            s[0].items,
            [Attached {
                name: "web-cpu-60".into(),
                kind: AttachedKind::TargetTracking,
                detail: "ECSServiceAverageCPUUtilization at 60.0".into(),
            }]
        );
        assert_eq!(s[1].range, None);
        assert!(s[0].has_load && s[1].has_load);
        let mut bare = p.clone();
        bare.workload = None;
        assert!(!attached(&bare)[0].has_load);
        assert!(s[1].items.is_empty());
        // Every card attached to the worker shows up in its list, with its kind.
        for (card, kind) in CARDS.into_iter().zip([
            AttachedKind::TargetTracking,
            AttachedKind::TargetTracking,
            AttachedKind::TargetTracking,
            AttachedKind::StepScaling,
            AttachedKind::Scheduled,
        ]) {
            let q = apply(&p, &card.edit(&p, "worker")).unwrap();
            let w = &attached(&q)[1];
            assert_eq!(w.range, Some((2, 9)), "{card:?}");
            assert_eq!(w.items.len(), 1, "{card:?}");
            assert_eq!(w.items[0].kind, kind, "{card:?}");
            assert!(!w.items[0].name.is_empty());
            assert!(!w.items[0].detail.is_empty());
        }
        let step = apply(&p, &CardKind::StepCpu.edit(&p, "worker")).unwrap();
        assert_eq!(
            attached(&step)[1].items[0].detail,
            "on CPUUtilization >= 70, 2 steps"
        );
    }
}
