//! Named edits of a plan: everything the UI can change, as pure functions from one plan to the
//! next. The UI keeps a stack of plans for undo and redo and never edits a plan by hand, so
//! every change is validated here and can be tested without a browser.

pub mod cards;
pub mod undo;

use crate::findings::{set_value_at, value_at, Finding, JsonPath};
use crate::plan::workload::{self, Layout, SeriesKind};
use crate::plan::{
    ContainerInstance, InstanceStatus, PlacementConstraint, PlacementStrategy, Plan, RunTask,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One change to a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "command",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Edit {
    /// Add `count` instances of a type in a zone (ids are generated), optionally as members
    /// of a capacity provider (see [`launching_capacity_provider`]).
    AddInstances {
        /// EC2 instance type, resolved against the instance catalog.
        instance_type: String,
        /// A zone already listed in the cluster's `availabilityZones`.
        availability_zone: String,
        /// How many instances to add.
        count: u32,
        /// Capacity provider (Auto Scaling group) the instances belong to, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        capacity_provider: Option<String>,
    },
    /// Move an instance to another zone (as if relaunched there).
    MoveInstance {
        /// Container instance id.
        id: String,
        /// The zone to move it to.
        availability_zone: String,
    },
    /// Set an instance's status to DRAINING, or back to ACTIVE.
    SetDraining {
        /// Container instance id.
        id: String,
        /// `true` for DRAINING, `false` for ACTIVE.
        draining: bool,
    },
    /// Deregister an instance (its tasks are placed again elsewhere).
    RemoveInstance {
        /// Container instance id.
        id: String,
    },
    /// Lose every instance in a zone (they are removed; the zone stays listed).
    LoseZone {
        /// The zone whose instances are lost.
        availability_zone: String,
    },
    /// List another zone in the cluster's `availabilityZones` (nothing when already listed).
    AddZone {
        /// Zone name, e.g. `us-east-1c`.
        availability_zone: String,
    },
    /// Set a service's `desiredCount`.
    SetDesiredCount {
        /// `serviceName` of the service to change.
        service: String,
        /// The new `desiredCount`.
        desired_count: u32,
    },
    /// Replace a service's `placementStrategy` (empty: the service default).
    SetPlacementStrategy {
        /// `serviceName` of the service to change.
        service: String,
        /// The new strategy rules, applied in order.
        strategy: Vec<PlacementStrategy>,
    },
    /// Replace a service's `placementConstraints`.
    SetPlacementConstraints {
        /// `serviceName` of the service to change.
        service: String,
        /// The new constraints, all of which an instance must meet.
        constraints: Vec<PlacementConstraint>,
    },
    /// Replace a service with a CreateService request (plus the plan's `autoScaling`) given as
    /// JSON: the service editor's launch type, capacity provider strategy and deployment
    /// configuration, and quick fixes. `change` says what changed, for the undo history.
    UpdateService {
        /// Position in the plan's `services`.
        index: usize,
        /// The service as a CreateService request.
        json: serde_json::Value,
        /// What changed, in words, for the undo history (else a generic sentence).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        change: Option<String>,
    },
    /// Replace a task definition with a RegisterTaskDefinition request given as JSON: the task
    /// definition editor's form and JSON view, and quick fixes.
    UpdateTaskDefinition {
        /// Position in the plan's `taskDefinitions`.
        index: usize,
        /// The task definition as a RegisterTaskDefinition request.
        json: serde_json::Value,
        /// What changed, in words, for the undo history (else a generic sentence).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        change: Option<String>,
    },
    /// Run standalone tasks of a task definition (a RunTask request).
    RunTask {
        /// `family` or `family:revision` to run.
        task_definition: String,
        /// How many tasks (RunTask's `count`, 1 to 10 in AWS).
        count: u32,
    },
    /// Set (or with `None` remove) a service's entry in the plan's `workload` (the load curve
    /// the time view drags). `change` says what changed, for the undo history.
    SetWorkload {
        /// `serviceName` of the service to change.
        service: String,
        /// The service's workload entry (see docs/plan-format.md), or `None` to remove it.
        workload: Option<serde_json::Value>,
        /// What changed, in words, for the undo history (else a generic sentence).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        change: Option<String>,
    },
    /// Set (or with `None` remove) a service's `minimumHealthyPercent` or `maximumPercent`.
    SetDeploymentPercent {
        /// `serviceName` of the service to change.
        service: String,
        /// Which of the two limits.
        percent: DeploymentPercent,
        /// The percentage, or `None` to remove it (AWS's default applies).
        value: Option<i64>,
    },
    /// Turn a service's deployment circuit breaker, or its rollback, on or off (a service
    /// without one gets `{"enable": false, "rollback": false}` first).
    SetCircuitBreaker {
        /// `serviceName` of the service to change.
        service: String,
        /// Which switch.
        setting: BreakerSetting,
        /// Its new value.
        on: bool,
    },
    /// Move point `index` of a series of a service's workload to `value` (the load curve's
    /// drag), as [`workload::clean_value`] stores it. `change` says what changed, for the undo
    /// history.
    SetLoadPoint {
        /// `serviceName` of the service to change.
        service: String,
        /// Which series of the workload (requests, CPU, …).
        series: SeriesKind,
        /// Position of the point in the series.
        index: usize,
        /// The point's new value, in the series' unit.
        value: f64,
        /// What changed, in words, for the undo history (else a generic sentence).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        change: Option<String>,
    },
    /// Attach a PutScalingPolicy request to a service's `autoScaling` (replacing a policy of the
    /// same `PolicyName`; a service without `autoScaling` gets a scalable target, see
    /// `cards::default_scalable_target`).
    AttachScalingPolicy {
        /// `serviceName` of the service to change.
        service: String,
        /// The PutScalingPolicy request.
        policy: serde_json::Value,
    },
    /// Add a PutScheduledAction request to a service's `autoScaling` (replacing one of the
    /// same `ScheduledActionName`).
    AddScheduledAction {
        /// `serviceName` of the service to change.
        service: String,
        /// The PutScheduledAction request.
        action: serde_json::Value,
    },
    /// Remove a scaling policy or scheduled action from a service, by name.
    RemoveScaling {
        /// `serviceName` of the service to change.
        service: String,
        /// `PolicyName` or `ScheduledActionName`.
        name: String,
    },
    /// Replace the whole plan (import, paste, share link).
    Replace {
        /// The plan that replaces the current one.
        plan: Box<Plan>,
    },
}

/// The two limits of a rolling deployment (`deploymentConfiguration`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DeploymentPercent {
    /// `minimumHealthyPercent`: the lower limit of running tasks during a deployment.
    MinimumHealthy,
    /// `maximumPercent`: the upper limit of running and pending tasks during a deployment.
    Maximum,
}

impl DeploymentPercent {
    /// Its member name.
    pub fn member(self) -> &'static str {
        match self {
            DeploymentPercent::MinimumHealthy => "minimumHealthyPercent",
            DeploymentPercent::Maximum => "maximumPercent",
        }
    }
}

/// What a circuit breaker switch turns on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BreakerSetting {
    /// The circuit breaker itself (`enable`).
    Enable,
    /// Rolling back a failed deployment (`rollback`).
    Rollback,
}

impl Edit {
    /// A short sentence for the undo history and the live region.
    pub fn describe(&self) -> String {
        match self {
            Edit::AddInstances {
                instance_type,
                availability_zone,
                count,
                capacity_provider,
            } => match capacity_provider {
                Some(cp) => format!(
                    "added {count} × {instance_type} in {availability_zone} (capacity provider {cp})"
                ),
                None => format!("added {count} × {instance_type} in {availability_zone}"),
            },
            Edit::MoveInstance {
                id,
                availability_zone,
            } => format!("moved {id} to {availability_zone}"),
            Edit::SetDraining { id, draining: true } => format!("set {id} to DRAINING"),
            Edit::SetDraining {
                id,
                draining: false,
            } => format!("set {id} back to ACTIVE"),
            Edit::RemoveInstance { id } => format!("removed {id}"),
            Edit::LoseZone { availability_zone } => format!("lost {availability_zone}"),
            Edit::AddZone { availability_zone } => format!("added zone {availability_zone}"),
            Edit::SetDesiredCount {
                service,
                desired_count,
            } => format!("set {service} to {desired_count} tasks"),
            Edit::SetPlacementStrategy { service, .. } => {
                format!("changed the placement strategy of {service}")
            }
            Edit::SetPlacementConstraints { service, .. } => {
                format!("changed the placement constraints of {service}")
            }
            Edit::UpdateService {
                index,
                json,
                change,
            } => {
                let name = json
                    .get("serviceName")
                    .and_then(serde_json::Value::as_str)
                    .map_or_else(
                        || format!("service {}", index + 1),
                        |n| format!("service {n}"),
                    );
                match change {
                    Some(c) => format!("{c} in {name}"),
                    None => format!("edited {name}"),
                }
            }
            Edit::UpdateTaskDefinition {
                index,
                json,
                change,
            } => {
                let name = json
                    .get("family")
                    .and_then(serde_json::Value::as_str)
                    .map_or_else(
                        || format!("task definition {}", index + 1),
                        |f| format!("task definition {f}"),
                    );
                match change {
                    Some(c) => format!("{c} in {name}"),
                    None => format!("edited {name}"),
                }
            }
            Edit::RunTask {
                task_definition,
                count,
            } => format!("ran {count} task(s) of {task_definition}"),
            Edit::SetWorkload {
                service, change, ..
            } => match change {
                Some(c) => format!("{c} (load of {service})"),
                None => format!("changed the load of {service}"),
            },
            Edit::SetDeploymentPercent {
                service,
                percent,
                value,
            } => match value {
                Some(v) => format!("set {} to {v} in service {service}", percent.member()),
                None => format!("removed {} in service {service}", percent.member()),
            },
            Edit::SetCircuitBreaker { service, setting, on } => format!(
                "turned {} {} in service {service}",
                match setting {
                    BreakerSetting::Enable => "the circuit breaker",
                    BreakerSetting::Rollback => "rollback on failure",
                },
                if *on { "on" } else { "off" }
            ),
            Edit::SetLoadPoint {
                service, change, ..
            } => match change {
                Some(c) => format!("{c} (load of {service})"),
                None => format!("changed the load of {service}"),
            },
            Edit::AttachScalingPolicy { service, policy } => format!(
                "attached scaling policy {} to {service}",
                cards::name_of(policy, "PolicyName")
            ),
            Edit::AddScheduledAction { service, action } => format!(
                "added scheduled action {} to {service}",
                cards::name_of(action, "ScheduledActionName")
            ),
            Edit::RemoveScaling { service, name } => format!("removed {name} from {service}"),
            Edit::Replace { plan } => format!(
                "opened {}",
                if plan.name.is_empty() {
                    "a plan"
                } else {
                    &plan.name
                }
            ),
        }
    }
}

/// Applies an edit. The result is loaded again (schema, references, rules), so an edit can
/// never leave an invalid plan behind; errors come back as findings and the caller keeps the
/// plan it had.
pub fn apply(plan: &Plan, edit: &Edit) -> Result<Plan, Vec<Finding>> {
    let mut p = plan.clone();
    let err = |code: &str, msg: String| vec![Finding::error(code, JsonPath::root(), msg)];
    let instance = |p: &Plan, id: &str| {
        p.cluster
            .container_instances
            .iter()
            .position(|i| i.id == id)
    };
    let service = |p: &Plan, name: &str| p.services.iter().position(|s| s.service_name == name);
    match edit {
        Edit::AddInstances {
            instance_type,
            availability_zone,
            count,
            capacity_provider,
        } => {
            if !p.cluster.availability_zones.contains(availability_zone) {
                return Err(err(
                    "unknown-availability-zone",
                    format!("{availability_zone} is not a zone of the cluster"),
                ));
            }
            for _ in 0..*count {
                let id = next_instance_id(&p);
                let mut ci = ContainerInstance::new(&id, instance_type, availability_zone);
                ci.capacity_provider = capacity_provider.clone();
                p.cluster.container_instances.push(ci);
            }
        }
        Edit::MoveInstance {
            id,
            availability_zone,
        } => {
            let Some(i) = instance(&p, id) else {
                return Err(err("unknown-instance", format!("no instance {id}")));
            };
            if !p.cluster.availability_zones.contains(availability_zone) {
                return Err(err(
                    "unknown-availability-zone",
                    format!("{availability_zone} is not a zone of the cluster"),
                ));
            }
            let ci = &mut p.cluster.container_instances[i];
            ci.availability_zone = availability_zone.clone();
            // A subnet belongs to one zone: a moved instance is in another subnet.
            ci.subnet_id = None;
        }
        Edit::SetDraining { id, draining } => {
            let Some(i) = instance(&p, id) else {
                return Err(err("unknown-instance", format!("no instance {id}")));
            };
            p.cluster.container_instances[i].status = if *draining {
                InstanceStatus::Draining
            } else {
                InstanceStatus::Active
            };
        }
        Edit::RemoveInstance { id } => {
            let Some(i) = instance(&p, id) else {
                return Err(err("unknown-instance", format!("no instance {id}")));
            };
            p.cluster.container_instances.remove(i);
        }
        Edit::LoseZone { availability_zone } => {
            p.cluster
                .container_instances
                .retain(|i| &i.availability_zone != availability_zone);
        }
        Edit::AddZone { availability_zone } => {
            if !p.cluster.availability_zones.contains(availability_zone) {
                p.cluster.availability_zones.push(availability_zone.clone());
            }
        }
        Edit::SetDesiredCount {
            service: name,
            desired_count,
        } => {
            let Some(i) = service(&p, name) else {
                return Err(err("unknown-service", format!("no service {name}")));
            };
            p.services[i].desired_count = Some(*desired_count);
        }
        Edit::SetPlacementStrategy {
            service: name,
            strategy,
        } => {
            let Some(i) = service(&p, name) else {
                return Err(err("unknown-service", format!("no service {name}")));
            };
            p.services[i].placement_strategy = strategy.clone();
        }
        Edit::SetPlacementConstraints {
            service: name,
            constraints,
        } => {
            let Some(i) = service(&p, name) else {
                return Err(err("unknown-service", format!("no service {name}")));
            };
            p.services[i].placement_constraints = constraints.clone();
        }
        Edit::RunTask {
            task_definition,
            count,
        } => {
            p.tasks.push(RunTask {
                task_definition: task_definition.clone(),
                count: Some(*count),
                group: None,
                launch_type: None,
                capacity_provider_strategy: Vec::new(),
                placement_constraints: Vec::new(),
                placement_strategy: Vec::new(),
                network_configuration: None,
                extra: Default::default(),
            });
        }
        Edit::Replace { plan } => p = (**plan).clone(),
        Edit::SetDeploymentPercent {
            service: name,
            percent,
            value,
        } => {
            let Some(i) = service(&p, name) else {
                return Err(err("unknown-service", format!("no service {name}")));
            };
            return edit_document(&p, |doc| set_deployment_percent(doc, i, *percent, *value));
        }
        Edit::SetCircuitBreaker {
            service: name,
            setting,
            on,
        } => {
            let Some(i) = service(&p, name) else {
                return Err(err("unknown-service", format!("no service {name}")));
            };
            return edit_document(&p, |doc| set_circuit_breaker(doc, i, *setting, *on));
        }
        Edit::SetLoadPoint {
            service: name,
            series,
            index,
            value,
            ..
        } => {
            let Some(path) = load_point(&p, name, *series, *index) else {
                return Err(err(
                    "unknown-load-point",
                    format!(
                        "the load of {name} has no point {index} of {}",
                        series.unit()
                    ),
                ));
            };
            let v = Value::from(workload::clean_value(*series, *value));
            return edit_document(&p, |doc| {
                set_value_at(doc, &path, Some(v));
            });
        }
        Edit::SetWorkload {
            service, workload, ..
        } => {
            return cards::apply_time_edit(&p, service, |doc, i| {
                cards::set_workload(doc, i, workload.clone())
            })
        }
        Edit::AttachScalingPolicy { service, policy } => {
            return cards::apply_time_edit(&p, service, |doc, i| {
                cards::attach(doc, i, "policies", "PolicyName", policy)
            })
        }
        Edit::AddScheduledAction { service, action } => {
            return cards::apply_time_edit(&p, service, |doc, i| {
                cards::attach(doc, i, "scheduledActions", "ScheduledActionName", action)
            })
        }
        Edit::RemoveScaling { service, name } => {
            return cards::apply_time_edit(&p, service, |doc, i| cards::remove(doc, i, name))
        }
        // Edits given as JSON replace a member of the plan document, which is then loaded
        // like any plan: schema problems come back with their paths.
        Edit::UpdateService { index, json, .. } => {
            return replace_member(&p, "services", *index, json)
        }
        Edit::UpdateTaskDefinition { index, json, .. } => {
            return replace_member(&p, "taskDefinitions", *index, json)
        }
    }
    // Instances added, moved, drained or removed leave a loaded plan loadable: the board's
    // drags skip the round trip through the loader (a test checks that both give the same plan).
    if cluster_only(&p, edit) {
        return Ok(p);
    }
    let value = serde_json::to_value(&p).map_err(|e| err("internal", e.to_string()))?;
    reload(value)
}

/// `services[i].deploymentConfiguration` in the plan document.
fn deployment_configuration(i: usize) -> JsonPath {
    JsonPath::root()
        .key("services")
        .index(i)
        .key("deploymentConfiguration")
}

/// Sets (or removes) a limit of service `i`'s rolling deployments in the plan document.
fn set_deployment_percent(doc: &mut Value, i: usize, percent: DeploymentPercent, v: Option<i64>) {
    let path = deployment_configuration(i).key(percent.member());
    set_value_at(doc, &path, v.map(Value::from));
}

/// Turns service `i`'s circuit breaker (made, off, when there is none) or its rollback on or
/// off in the plan document.
fn set_circuit_breaker(doc: &mut Value, i: usize, setting: BreakerSetting, on: bool) {
    let path = deployment_configuration(i).key("deploymentCircuitBreaker");
    let mut b = value_at(doc, &path)
        .cloned()
        .unwrap_or_else(|| serde_json::json!({ "enable": false, "rollback": false }));
    let k = match setting {
        BreakerSetting::Enable => "enable",
        BreakerSetting::Rollback => "rollback",
    };
    b[k] = Value::Bool(on);
    set_value_at(doc, &path, Some(b));
}

/// Where point `index` of a series of a service's load is in the plan document, when the plan
/// has that point.
fn load_point(plan: &Plan, service: &str, series: SeriesKind, index: usize) -> Option<JsonPath> {
    let workload = plan.workload.as_ref()?.read();
    let (layout, points) = workload.services?.get(service)?.series(series)?.points()?;
    if index >= points.len() {
        return None;
    }
    let mut path = JsonPath::root()
        .key("workload")
        .key("services")
        .key(service);
    for k in series.path() {
        path = path.key(k);
    }
    Some(match layout {
        Layout::Daily => path.key("daily").index(index),
        Layout::Points => path.key("points").index(index).key("value"),
        Layout::Value => path.key("value"),
    })
}

/// Edits that only change the cluster's instances, with nothing the loader would refuse: an
/// added instance's type is in the built-in catalog and its capacity provider in the plan.
fn cluster_only(plan: &Plan, edit: &Edit) -> bool {
    match edit {
        Edit::AddInstances {
            instance_type,
            capacity_provider,
            ..
        } => {
            plan.ec2_instance_types.is_empty()
                && crate::catalog::Catalog::builtin()
                    .get(instance_type)
                    .is_some()
                && capacity_provider
                    .as_ref()
                    .is_none_or(|c| plan.cluster.capacity_providers.iter().any(|p| &p.name == c))
        }
        Edit::MoveInstance { .. }
        | Edit::SetDraining { .. }
        | Edit::RemoveInstance { .. }
        | Edit::LoseZone { .. } => true,
        _ => false,
    }
}

/// The plan whose document `f` changed, loaded again.
fn edit_document(plan: &Plan, f: impl FnOnce(&mut Value)) -> Result<Plan, Vec<Finding>> {
    let mut doc = serde_json::to_value(plan)
        .map_err(|e| vec![Finding::error("internal", JsonPath::root(), e.to_string())])?;
    f(&mut doc);
    reload(doc)
}

/// The plan with `member[index]` (a list of the plan document) replaced by `json`.
fn replace_member(
    plan: &Plan,
    member: &str,
    index: usize,
    json: &serde_json::Value,
) -> Result<Plan, Vec<Finding>> {
    let mut value = serde_json::to_value(plan)
        .map_err(|e| vec![Finding::error("internal", JsonPath::root(), e.to_string())])?;
    let Some(slot) = value
        .get_mut(member)
        .and_then(|l| l.as_array_mut())
        .and_then(|l| l.get_mut(index))
    else {
        return Err(vec![Finding::error(
            "unknown-index",
            JsonPath::root().key(member).index(index),
            format!("the plan has no {member}[{index}]"),
        )]);
    };
    *slot = json.clone();
    reload(value)
}

/// Loads an edited plan document: the plan, or the errors that withhold it.
pub(crate) fn reload(value: serde_json::Value) -> Result<Plan, Vec<Finding>> {
    let loaded = crate::load::load_value(value);
    match loaded.plan {
        Some(plan) => Ok(plan),
        None => Err(loaded
            .findings
            .into_iter()
            .filter(|f| f.is_error())
            .collect()),
    }
}

/// The capacity provider whose Auto Scaling group would launch an instance of this type in this
/// zone: the first one whose group lists the type (or no types) and the zone (or no zones).
/// The UI puts an instance added from its palette there, as if the group had scaled out;
/// `None` when no group fits (the instance then belongs to no capacity provider, and takes only
/// tasks of the EC2 launch type).
pub fn launching_capacity_provider(
    plan: &Plan,
    instance_type: &str,
    availability_zone: &str,
) -> Option<String> {
    plan.cluster
        .capacity_providers
        .iter()
        .find(|cp| {
            cp.auto_scaling_group.as_ref().is_some_and(|g| {
                (g.instance_types.is_empty() || g.instance_types.iter().any(|t| t == instance_type))
                    && (g.availability_zones.is_empty()
                        || g.availability_zones.iter().any(|z| z == availability_zone))
            })
        })
        .map(|cp| cp.name.clone())
}

/// The next free planner instance id: `i-planner0001`, `i-planner0002`, ...
pub fn next_instance_id(plan: &Plan) -> String {
    (1..)
        .map(|n| format!("i-planner{n:04}"))
        .find(|id| plan.cluster.container_instances.iter().all(|i| &i.id != id))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Plan {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../public/plans/two-az-web.json"
        ))
        .unwrap();
        crate::load::load(&text).plan.unwrap()
    }

    #[test]
    fn instance_edits_give_the_plan_the_loader_would() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../public/plans");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let Some(plan) = crate::load::load(&std::fs::read_to_string(&path).unwrap()).plan
            else {
                continue;
            };
            let Some(first) = plan.cluster.container_instances.first().cloned() else {
                continue;
            };
            let other_zone = plan
                .cluster
                .availability_zones
                .iter()
                .find(|z| **z != first.availability_zone)
                .cloned()
                .unwrap_or_else(|| first.availability_zone.clone());
            let provider = plan
                .cluster
                .capacity_providers
                .first()
                .map(|c| c.name.clone());
            let edits = [
                Edit::AddInstances {
                    instance_type: "c5.large".into(),
                    availability_zone: first.availability_zone.clone(),
                    count: 2,
                    capacity_provider: None,
                },
                Edit::AddInstances {
                    instance_type: "m5.large".into(),
                    availability_zone: first.availability_zone.clone(),
                    count: 1,
                    capacity_provider: provider,
                },
                Edit::MoveInstance {
                    id: first.id.clone(),
                    availability_zone: other_zone,
                },
                Edit::SetDraining {
                    id: first.id.clone(),
                    draining: true,
                },
                Edit::RemoveInstance {
                    id: first.id.clone(),
                },
                Edit::LoseZone {
                    availability_zone: first.availability_zone.clone(),
                },
            ];
            for e in &edits {
                assert!(cluster_only(&plan, e));
                let fast = apply(&plan, e).unwrap();
                let loaded = reload(serde_json::to_value(&fast).unwrap())
                    .unwrap_or_else(|f| panic!("{}: {e:?}: {f:?}", path.display()));
                assert_eq!(fast, loaded, "{}: {e:?}", path.display());
                checked += 1;
            }
        }
        assert!(checked >= 10, "{checked}");
    }

    #[test]
    fn adding_instances_generates_ids_and_keeps_the_plan_valid() {
        let p = apply(
            &sample(),
            &Edit::AddInstances {
                instance_type: "c5.large".into(),
                availability_zone: "us-east-1b".into(),
                count: 2,
                capacity_provider: None,
            },
        )
        .unwrap();
        assert_eq!(p.cluster.container_instances.len(), 6);
        assert_eq!(p.cluster.container_instances[4].id, "i-planner0001");
        assert_eq!(p.cluster.container_instances[5].id, "i-planner0002");
    }

    #[test]
    fn an_instance_added_where_an_auto_scaling_group_launches_joins_its_capacity_provider() {
        let p = sample();
        assert_eq!(
            launching_capacity_provider(&p, "m5.large", "us-east-1b").as_deref(),
            Some("shop-ondemand")
        );
        // The group launches m5.large only, and only in its zones.
        assert_eq!(
            launching_capacity_provider(&p, "c5.large", "us-east-1b"),
            None
        );
        assert_eq!(
            launching_capacity_provider(&p, "m5.large", "us-east-1c"),
            None
        );
        let e = Edit::AddInstances {
            instance_type: "m5.large".into(),
            availability_zone: "us-east-1b".into(),
            count: 1,
            capacity_provider: Some("shop-ondemand".into()),
        };
        assert_eq!(
            e.describe(),
            "added 1 × m5.large in us-east-1b (capacity provider shop-ondemand)"
        );
        let q = apply(&p, &e).unwrap();
        assert_eq!(
            q.cluster.container_instances[4]
                .capacity_provider
                .as_deref(),
            Some("shop-ondemand")
        );
        let wrong = Edit::AddInstances {
            instance_type: "m5.large".into(),
            availability_zone: "us-east-1b".into(),
            count: 1,
            capacity_provider: Some("nope".into()),
        };
        assert!(
            apply(&p, &wrong).is_err(),
            "an unknown capacity provider is refused"
        );
    }

    #[test]
    fn an_invalid_edit_is_refused_with_findings() {
        let before = sample();
        let e = apply(
            &before,
            &Edit::AddInstances {
                instance_type: "m5.larg".into(),
                availability_zone: "us-east-1a".into(),
                count: 1,
                capacity_provider: None,
            },
        )
        .unwrap_err();
        assert_eq!(e[0].code, "unknown-instance-type");
        assert_eq!(e[0].fix.as_deref(), Some("did you mean m5.large?"));
        let e = apply(
            &before,
            &Edit::AddInstances {
                instance_type: "m5.large".into(),
                availability_zone: "us-east-1z".into(),
                count: 1,
                capacity_provider: None,
            },
        )
        .unwrap_err();
        assert_eq!(e[0].code, "unknown-availability-zone");
        let e = apply(
            &before,
            &Edit::SetDesiredCount {
                service: "nope".into(),
                desired_count: 3,
            },
        )
        .unwrap_err();
        assert_eq!(e[0].code, "unknown-service");
    }

    #[test]
    fn drain_remove_lose_and_move() {
        let p = sample();
        let id = p.cluster.container_instances[0].id.clone();
        let d = apply(
            &p,
            &Edit::SetDraining {
                id: id.clone(),
                draining: true,
            },
        )
        .unwrap();
        assert_eq!(
            d.cluster.container_instances[0].status,
            InstanceStatus::Draining
        );
        let m = apply(
            &p,
            &Edit::MoveInstance {
                id: id.clone(),
                availability_zone: "us-east-1b".into(),
            },
        )
        .unwrap();
        assert_eq!(
            m.cluster.container_instances[0].availability_zone,
            "us-east-1b"
        );
        let r = apply(&p, &Edit::RemoveInstance { id }).unwrap();
        assert_eq!(r.cluster.container_instances.len(), 3);
        let l = apply(
            &p,
            &Edit::LoseZone {
                availability_zone: "us-east-1a".into(),
            },
        )
        .unwrap();
        assert!(l
            .cluster
            .container_instances
            .iter()
            .all(|i| i.availability_zone == "us-east-1b"));
    }

    #[test]
    fn a_task_definition_given_as_json_replaces_the_old_one_or_is_refused_with_its_path() {
        let p = sample();
        let mut json = serde_json::to_value(&p.task_definitions[1]).unwrap();
        json["containerDefinitions"][0]["memory"] = serde_json::json!(1536);
        let e = Edit::UpdateTaskDefinition {
            index: 1,
            json: json.clone(),
            change: Some("set memory of worker to 1536".into()),
        };
        assert_eq!(
            e.describe(),
            "set memory of worker to 1536 in task definition worker"
        );
        let q = apply(&p, &e).unwrap();
        assert_eq!(
            q.task_definitions[1].container_definitions[0].memory,
            Some(1536)
        );
        assert_eq!(q.task_definitions[0], p.task_definitions[0]);

        // A misspelt member is a schema error: the plan stays, the finding has the path.
        let mut bad = json.clone();
        bad["memroy"] = serde_json::json!("512");
        let err = apply(
            &p,
            &Edit::UpdateTaskDefinition {
                index: 1,
                json: bad,
                change: None,
            },
        )
        .unwrap_err();
        assert_eq!(err[0].code, "unknown-field");
        assert_eq!(err[0].path.to_string(), "taskDefinitions[1].memroy");
        let err = apply(
            &p,
            &Edit::UpdateTaskDefinition {
                index: 9,
                json,
                change: None,
            },
        )
        .unwrap_err();
        assert_eq!(err[0].code, "unknown-index");
    }

    #[test]
    fn a_service_given_as_json_keeps_rule_errors_visible_but_applies() {
        let p = sample();
        let mut json = serde_json::to_value(&p.services[0]).unwrap();
        json["deploymentConfiguration"]["maximumPercent"] = serde_json::json!(100);
        let e = Edit::UpdateService {
            index: 0,
            json,
            change: Some("set maximumPercent to 100".into()),
        };
        assert_eq!(e.describe(), "set maximumPercent to 100 in service web");
        let q = apply(&p, &e).unwrap();
        // 4 tasks, 100 % healthy and at most 100 %: AWS accepts it, the rule warns.
        let findings = crate::rules::check_plan(&q);
        assert!(findings
            .iter()
            .any(|f| f.code == "deployment-cannot-progress"
                && f.path.to_string() == "services[0].deploymentConfiguration"));
        let j = serde_json::to_string(&e).unwrap();
        assert!(
            j.starts_with(r#"{"command":"updateService","index":0,"json":{"#),
            "{j}"
        );
        assert_eq!(serde_json::from_str::<Edit>(&j).unwrap(), e);
    }

    #[test]
    fn edits_describe_themselves_and_round_trip_as_json() {
        let e = Edit::SetDesiredCount {
            service: "web".into(),
            desired_count: 6,
        };
        assert_eq!(e.describe(), "set web to 6 tasks");
        let j = serde_json::to_string(&e).unwrap();
        assert_eq!(
            j,
            r#"{"command":"setDesiredCount","service":"web","desiredCount":6}"#
        );
        assert_eq!(serde_json::from_str::<Edit>(&j).unwrap(), e);
    }

    #[test]
    fn deployment_settings_are_edits_that_keep_the_rest_as_written() {
        let p = sample();
        let web = |q: &Plan| {
            q.services[0]
                .deployment_configuration
                .as_ref()
                .unwrap()
                .json()
                .clone()
        };
        let e = Edit::SetDeploymentPercent {
            service: "web".into(),
            percent: DeploymentPercent::MinimumHealthy,
            value: Some(50),
        };
        assert_eq!(
            e.describe(),
            "set minimumHealthyPercent to 50 in service web"
        );
        let q = apply(&p, &e).unwrap();
        // The member keeps its place; the others stay as they were.
        let written: Vec<String> = web(&p).as_object().unwrap().keys().cloned().collect();
        let now: Vec<String> = web(&q).as_object().unwrap().keys().cloned().collect();
        assert_eq!(now, written);
        assert_eq!(web(&q)["minimumHealthyPercent"], 50);
        let gone = Edit::SetDeploymentPercent {
            service: "web".into(),
            percent: DeploymentPercent::Maximum,
            value: None,
        };
        assert_eq!(gone.describe(), "removed maximumPercent in service web");
        let r = apply(&q, &gone).unwrap();
        assert!(web(&r).get("maximumPercent").is_none());
        // A service without a circuit breaker gets one, off, then the switch.
        let mut bare = p.clone();
        bare.services[0].deployment_configuration = None;
        let off = Edit::SetCircuitBreaker {
            service: "web".into(),
            setting: BreakerSetting::Rollback,
            on: false,
        };
        assert_eq!(
            off.describe(),
            "turned rollback on failure off in service web"
        );
        let b = apply(&bare, &off).unwrap();
        assert_eq!(
            web(&b),
            serde_json::json!({"deploymentCircuitBreaker": {"enable": false, "rollback": false}})
        );
        let on = Edit::SetCircuitBreaker {
            service: "web".into(),
            setting: BreakerSetting::Enable,
            on: true,
        };
        assert_eq!(
            on.describe(),
            "turned the circuit breaker on in service web"
        );
        let c = apply(&b, &on).unwrap();
        assert_eq!(web(&c)["deploymentCircuitBreaker"]["enable"], true);
        assert!(apply(
            &p,
            &Edit::SetCircuitBreaker {
                service: "nope".into(),
                setting: BreakerSetting::Enable,
                on: true
            }
        )
        .is_err());
    }

    #[test]
    fn a_load_point_moves_as_the_engine_stores_it() {
        let p = sample();
        let e = Edit::SetLoadPoint {
            service: "web".into(),
            series: SeriesKind::Requests,
            index: 18,
            value: 412.345,
            change: None,
        };
        assert_eq!(e.describe(), "changed the load of web");
        let q = apply(&p, &e).unwrap();
        let daily = |q: &Plan| {
            q.workload.as_ref().unwrap().json()["services"]["web"]["requestsPerSecond"]["daily"]
                .clone()
        };
        assert_eq!(daily(&q)[18], 412.35);
        // The other values keep how they were written.
        assert_eq!(daily(&q)[17].to_string(), daily(&p)[17].to_string());
        let none = Edit::SetLoadPoint {
            service: "web".into(),
            series: SeriesKind::Cpu,
            index: 0,
            value: 1.0,
            change: None,
        };
        assert_eq!(apply(&p, &none).unwrap_err()[0].code, "unknown-load-point");
    }
}
