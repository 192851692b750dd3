//! Named edits of a plan: everything the UI can change, as pure functions from one plan to the
//! next. The UI keeps a stack of plans for undo and redo and never edits a plan by hand, so
//! every change is validated here and can be tested without a browser.

use crate::findings::{Finding, JsonPath};
use crate::plan::{
    ContainerInstance, InstanceStatus, PlacementConstraint, PlacementStrategy, Plan, RunTask,
};
use serde::{Deserialize, Serialize};

/// One change to a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "command",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Edit {
    /// Add `count` instances of a type in a zone (ids are generated).
    AddInstances {
        instance_type: String,
        availability_zone: String,
        count: u32,
    },
    /// Move an instance to another zone (as if relaunched there).
    MoveInstance {
        id: String,
        availability_zone: String,
    },
    /// Set an instance's status to DRAINING, or back to ACTIVE.
    SetDraining {
        id: String,
        draining: bool,
    },
    RemoveInstance {
        id: String,
    },
    /// Lose every instance in a zone (they are removed; the zone stays listed).
    LoseZone {
        availability_zone: String,
    },
    AddZone {
        availability_zone: String,
    },
    SetDesiredCount {
        service: String,
        desired_count: u32,
    },
    SetPlacementStrategy {
        service: String,
        strategy: Vec<PlacementStrategy>,
    },
    SetPlacementConstraints {
        service: String,
        constraints: Vec<PlacementConstraint>,
    },
    /// Run standalone tasks of a task definition (a RunTask request).
    RunTask {
        task_definition: String,
        count: u32,
    },
    /// Replace the whole plan (import, paste, share link).
    Replace {
        plan: Box<Plan>,
    },
}

impl Edit {
    /// A short sentence for the undo history and the live region.
    pub fn describe(&self) -> String {
        match self {
            Edit::AddInstances {
                instance_type,
                availability_zone,
                count,
            } => {
                format!("added {count} × {instance_type} in {availability_zone}")
            }
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
            Edit::RunTask {
                task_definition,
                count,
            } => format!("ran {count} task(s) of {task_definition}"),
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
        } => {
            if !p.cluster.availability_zones.contains(availability_zone) {
                return Err(err(
                    "unknown-availability-zone",
                    format!("{availability_zone} is not a zone of the cluster"),
                ));
            }
            for _ in 0..*count {
                let id = next_instance_id(&p);
                p.cluster.container_instances.push(ContainerInstance::new(
                    &id,
                    instance_type,
                    availability_zone,
                ));
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
    }
    let value = serde_json::to_value(&p).map_err(|e| err("internal", e.to_string()))?;
    let loaded = crate::plan::load_value(value);
    match loaded.plan {
        Some(plan) => Ok(plan),
        None => Err(loaded
            .findings
            .into_iter()
            .filter(|f| f.is_error())
            .collect()),
    }
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
        crate::plan::load(&text).plan.unwrap()
    }

    #[test]
    fn adding_instances_generates_ids_and_keeps_the_plan_valid() {
        let p = apply(
            &sample(),
            &Edit::AddInstances {
                instance_type: "c5.large".into(),
                availability_zone: "us-east-1b".into(),
                count: 2,
            },
        )
        .unwrap();
        assert_eq!(p.cluster.container_instances.len(), 6);
        assert_eq!(p.cluster.container_instances[4].id, "i-planner0001");
        assert_eq!(p.cluster.container_instances[5].id, "i-planner0002");
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
}
