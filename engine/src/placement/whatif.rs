//! What-if questions on a placed cluster: drain or remove instances, lose a zone, how many
//! more tasks of a service fit, and how few instances of a type fit everything.
//!
//! Drain and loss follow ECS (`container-instance-draining`, `task-placement.md`): a DRAINING
//! instance takes no new tasks and its service tasks are replaced elsewhere, while standalone
//! (RunTask) tasks keep running on it; a lost instance takes all its tasks with it, and only
//! replica service tasks come back. A daemon's task stops with its instance, drained or lost,
//! and nothing replaces it: the daemon runs one task per ACTIVE instance (`ecs_services.md`,
//! "Daemon": "If a container instance transitions to a DRAINING status, the daemon tasks on it
//! are stopped"). Replacements are placed in the order the tasks were first placed,
//! with the same strategies and constraints, on the cluster as it is after the change. The
//! answer is the end state; how fast it gets there (minimumHealthyPercent, maximumPercent) is
//! the simulator's question.

use super::pipeline::{feasible, Check};
use super::{place, InstanceIx, Launch, Outcome, PlaceOptions, Placement, Source, TaskIx};
use crate::plan::{InstanceStatus, LaunchType, Plan, SchedulingStrategy};
use serde::Serialize;
use thiserror::Error;

/// Why a what-if question cannot be answered: it names something the plan does not have.
/// The command line reports these as usage errors; a review shows the message in its row.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WhatIfError {
    /// The zone to lose is not one of the cluster's.
    #[error("no Availability Zone {zone} in the cluster (zones: {})", .zones.join(", "))]
    NoZone {
        /// The zone asked for.
        zone: String,
        /// The cluster's zones, to choose from.
        zones: Vec<String>,
    },
    /// An instance to drain or remove is not in the cluster (its id).
    #[error("no container instance {0} in the cluster")]
    NoInstance(String),
    /// The service to fit more tasks of is not in the plan.
    #[error("no service {service} in the plan (services: {})", .services.join(", "))]
    NoService {
        /// The service asked for.
        service: String,
        /// The plan's services, to choose from.
        services: Vec<String>,
    },
    /// The plan's own instance types do not make a catalog (the finding's message).
    #[error("{0}")]
    Catalog(String),
    /// The instance type to size the cluster with is in neither catalog.
    #[error("unknown instance type {name}{}", .suggestion.as_ref().map(|s| format!("; did you mean {s}?")).unwrap_or_default())]
    UnknownInstanceType {
        /// The type asked for.
        name: String,
        /// The closest known type's name.
        suggestion: Option<String>,
    },
}

/// A change to the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Set instances to DRAINING.
    Drain(Vec<String>),
    /// Terminate instances.
    Remove(Vec<String>),
    /// Every instance in the zone is lost.
    LoseZone(String),
}

/// A task the change moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Moved {
    /// The task's id (`web-3`).
    pub task: String,
    /// Its task group (`service:web`).
    pub group: String,
    /// The instance it was on.
    pub from: String,
    /// Where it runs now; `None` when it could not be placed.
    pub to: Option<String>,
    /// The zone of `to`.
    pub availability_zone: Option<String>,
    /// Why it could not be placed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
}

/// What a change to the cluster does to the tasks on it (`ecsplan whatif`, the review's
/// resilience section).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WhatIf {
    /// The change in words (`lose us-east-1a`).
    pub change: String,
    /// Instances the change affects.
    pub instances: Vec<String>,
    /// Service tasks that had to move.
    pub moved: Vec<Moved>,
    /// Standalone tasks that stopped with their instance (not replaced by ECS).
    pub lost: Vec<String>,
    /// Daemon tasks that stopped with their instance, drained or lost: a daemon runs one task
    /// per ACTIVE instance, so none is placed again elsewhere.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub daemon_stopped: Vec<String>,
    /// Standalone tasks left running on draining instances.
    pub kept: Vec<String>,
    /// The placement after the change.
    #[serde(skip)]
    pub placement: Placement,
}

impl WhatIf {
    /// Whether every displaced service task found a new home.
    pub fn all_replaced(&self) -> bool {
        self.moved.iter().all(|m| m.to.is_some())
    }
}

/// Places the plan, applies the change, and re-places what it displaced.
pub fn what_if(plan: &Plan, opts: &PlaceOptions, change: &Change) -> Result<WhatIf, WhatIfError> {
    what_if_with_reasons(plan, opts, change, usize::MAX)
}

/// [`what_if`], with the reasons of at most `reasons` unplaced tasks per group: each reason
/// replays the placement up to its task, which a review of thousands of unplaced tasks cannot
/// afford for every one of them.
pub fn what_if_with_reasons(
    plan: &Plan,
    opts: &PlaceOptions,
    change: &Change,
    reasons: usize,
) -> Result<WhatIf, WhatIfError> {
    let mut p = place(plan, opts);
    let (ids, label, remove): (Vec<String>, String, bool) = match change {
        Change::Drain(ids) => (ids.clone(), format!("drain {}", ids.join(", ")), false),
        Change::Remove(ids) => (ids.clone(), format!("remove {}", ids.join(", ")), true),
        Change::LoseZone(az) => {
            if !p.cluster.azs.contains(az) {
                return Err(WhatIfError::NoZone {
                    zone: az.clone(),
                    zones: p.cluster.azs.clone(),
                });
            }
            let ids = p
                .cluster
                .nodes
                .iter()
                .filter(|n| &n.availability_zone == az)
                .map(|n| n.id.clone())
                .collect();
            (ids, format!("lose {az}"), true)
        }
    };
    // Each instance id's first index, as a scan from the start would find it.
    let mut index: std::collections::HashMap<&str, InstanceIx> = Default::default();
    for (i, n) in p.cluster.indexed() {
        index.entry(n.id.as_str()).or_insert(i);
    }
    let mut nodes = Vec::new();
    for id in &ids {
        match index.get(id.as_str()).copied() {
            Some(i) => nodes.push(i),
            None => return Err(WhatIfError::NoInstance(id.clone())),
        }
    }
    // The instances change state first: they take no new tasks.
    for &i in &nodes {
        if remove {
            p.cluster.nodes[i].agent_connected = false;
        }
        p.cluster.nodes[i].status = InstanceStatus::Draining;
        p.node_changed(i);
    }
    let mut displaced = Vec::new();
    let mut lost = Vec::new();
    let mut kept = Vec::new();
    let mut daemon_stopped = Vec::new();
    let daemon = |t: TaskIx, p: &Placement| match &p.tasks[t].source {
        Source::Service { index, .. } => plan
            .services
            .get(*index)
            .is_some_and(|s| s.scheduling_strategy == Some(SchedulingStrategy::Daemon)),
        Source::Run { .. } => false,
    };
    for &i in &nodes {
        let on: Vec<TaskIx> = p.state.usage[i].tasks.clone();
        for t in on {
            let service = matches!(p.tasks[t].source, Source::Service { .. });
            if daemon(t, &p) {
                daemon_stopped.push(p.tasks[t].id());
                p.stop(t);
            } else if service {
                displaced.push((t, i));
                p.stop(t);
            } else if remove {
                lost.push(p.tasks[t].id());
                p.stop(t);
            } else {
                kept.push(p.tasks[t].id());
            }
        }
    }
    displaced.sort_unstable();
    let order: Vec<TaskIx> = displaced.iter().map(|(t, _)| *t).collect();
    // Fresh decisions for the displaced tasks, in their original order.
    p.place_tasks(&order);
    let mut explained: std::collections::HashMap<String, usize> = Default::default();
    let stranded: Vec<TaskIx> = order
        .iter()
        .copied()
        .filter(|&t| !matches!(p.tasks[t].outcome, Outcome::Placed { .. }))
        .collect();
    let reasons_of: std::collections::HashMap<TaskIx, Vec<String>> = stranded
        .iter()
        .copied()
        .zip(p.unplaced_reasons_of(&stranded))
        .collect();
    let moved = displaced
        .iter()
        .map(|&(t, from)| {
            let task = &p.tasks[t];
            let (to, az) = match task.outcome {
                Outcome::Placed { node } => (
                    Some(p.cluster.nodes[node].id.clone()),
                    Some(p.cluster.nodes[node].availability_zone.clone()),
                ),
                _ => (None, None),
            };
            let group = p.group_name(t).to_string();
            let explain = to.is_none() && {
                let n = explained.entry(group.clone()).or_default();
                *n += 1;
                *n <= reasons
            };
            Moved {
                task: task.id(),
                group,
                from: p.cluster.nodes[from].id.clone(),
                reasons: if explain {
                    reasons_of.get(&t).cloned().unwrap_or_default()
                } else {
                    Vec::new()
                },
                to,
                availability_zone: az,
            }
        })
        .collect();
    Ok(WhatIf {
        change: label,
        instances: ids,
        moved,
        lost,
        daemon_stopped,
        kept,
        placement: p,
    })
}

/// How many more tasks of a service fit on the cluster as it is.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fit {
    /// The service's name.
    pub service: String,
    /// Its tasks placed now.
    pub running: u32,
    /// More tasks that fit now; `None` when there is no instance limit (Fargate).
    pub more: Option<u32>,
    /// Why the next one does not fit.
    pub limit: Vec<String>,
}

/// Upper bound on the tasks `fit` tries, the ECS quota of tasks per service.
pub const MAX_TASKS_PER_SERVICE: u32 = 5000;

/// How many more tasks of `service` the cluster as it is would place (at most
/// [`MAX_TASKS_PER_SERVICE`] in all), and what stops the next one.
pub fn fit(plan: &Plan, opts: &PlaceOptions, service: &str) -> Result<Fit, WhatIfError> {
    let Some(si) = plan.services.iter().position(|s| s.service_name == service) else {
        return Err(WhatIfError::NoService {
            service: service.to_string(),
            services: plan
                .services
                .iter()
                .map(|s| s.service_name.clone())
                .collect(),
        });
    };
    let mut p = place(plan, opts);
    let is_mine = |p: &Placement, t: usize| matches!(&p.tasks[t].source, Source::Service { index, .. } if *index == si);
    let running = (0..p.tasks.len())
        .filter(|t| {
            is_mine(&p, *t)
                && matches!(
                    p.tasks[*t].outcome,
                    Outcome::Placed { .. } | Outcome::Fargate { .. }
                )
        })
        .count() as u32;
    if plan.services[si].scheduling_strategy == Some(SchedulingStrategy::Daemon) {
        // ecs_services.md, "Daemon": exactly one task on each active container instance that
        // meets the constraints; room on an instance does not add a second.
        return Ok(Fit {
            service: service.into(),
            running,
            more: Some(0),
            limit: vec!["a DAEMON service runs exactly one task on each ACTIVE container instance that meets its placement constraints: more instances, not more room, give it more tasks".into()],
        });
    }
    let desired = (0..p.tasks.len()).filter(|t| is_mine(&p, *t)).count() as u32;
    // Add the service's next tasks, up to the task quota, on top of everything running.
    let extra = p.add_service_tasks(plan, si, desired, MAX_TASKS_PER_SERVICE.max(desired + 1));
    if !extra.is_empty()
        && extra
            .iter()
            .all(|t| matches!(p.specs[p.tasks[*t].spec].launch, Launch::Fargate { .. }))
    {
        return Ok(Fit {
            service: service.into(),
            running,
            more: None,
            limit: vec!["AWS Fargate: no instance limit (only account quotas)".into()],
        });
    }
    p.place_tasks(&extra);
    let placed = extra
        .iter()
        .filter(|t| {
            matches!(
                p.tasks[**t].outcome,
                Outcome::Placed { .. } | Outcome::Fargate { .. }
            )
        })
        .count() as u32;
    let limit = match extra
        .iter()
        .find(|t| matches!(p.tasks[**t].outcome, Outcome::Unplaced { .. }))
    {
        Some(t) => p.unplaced_reasons(*t),
        None => vec![format!(
            "the service quota of {MAX_TASKS_PER_SERVICE} tasks"
        )],
    };
    Ok(Fit {
        service: service.into(),
        running,
        more: Some(placed),
        limit,
    })
}

/// The smallest number of instances of one type that runs every EC2 task of the plan.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MinInstances {
    /// The instance type asked about.
    pub instance_type: String,
    /// `None` when some task never fits on that type.
    pub count: Option<u32>,
    /// The zones the instances are spread over.
    pub availability_zones: Vec<String>,
    /// Tasks that can never fit one instance of the type, with why.
    pub never_fit: Vec<String>,
    /// Share of the cluster's CPU and memory the tasks reserve at that size.
    pub cpu_percent: f64,
    /// The same share of memory.
    pub memory_percent: f64,
}

/// Searches upward from the resource lower bound (doubling, then bisecting). Instances are
/// spread over the plan's zones in turn; capacity providers are set aside (every non-Fargate
/// task may use any instance).
pub fn min_instances(
    plan: &Plan,
    opts: &PlaceOptions,
    instance_type: &str,
) -> Result<MinInstances, WhatIfError> {
    let catalog =
        crate::cluster::plan_catalog(plan).map_err(|f| WhatIfError::Catalog(f.message.clone()))?;
    let Some(t) = catalog.get(instance_type) else {
        return Err(WhatIfError::UnknownInstanceType {
            name: instance_type.to_string(),
            suggestion: catalog.suggest(instance_type).map(|s| s.to_string()),
        });
    };
    let azs = if plan.cluster.availability_zones.is_empty() {
        vec![format!("{}a", plan.region)]
    } else {
        plan.cluster.availability_zones.clone()
    };
    let with = |n: u32| -> Plan {
        let mut q = plan.clone();
        // A cluster of new instances: nothing runs on them yet.
        q.running_tasks = None;
        q.cluster.container_instances = (0..n)
            .map(|i| {
                crate::plan::ContainerInstance::new(
                    &format!("i-fit{:05}", i + 1),
                    &t.name,
                    &azs[i as usize % azs.len()],
                )
            })
            .collect();
        for s in &mut q.services {
            if s.launch_type != Some(LaunchType::Fargate)
                && !uses_fargate(
                    &s.capacity_provider_strategy,
                    &q.cluster.default_capacity_provider_strategy,
                )
            {
                s.launch_type = Some(LaunchType::Ec2);
                s.capacity_provider_strategy.clear();
            }
        }
        for r in &mut q.tasks {
            if r.launch_type != Some(LaunchType::Fargate)
                && !uses_fargate(
                    &r.capacity_provider_strategy,
                    &q.cluster.default_capacity_provider_strategy,
                )
            {
                r.launch_type = Some(LaunchType::Ec2);
                r.capacity_provider_strategy.clear();
            }
        }
        q
    };
    let ok = |p: &Placement| {
        p.tasks
            .iter()
            .all(|t| !matches!(t.outcome, Outcome::Unplaced { .. }))
    };
    // Tasks that do not fit even an empty instance never will.
    let one = place(&with(1), opts);
    let mut never_fit = Vec::new();
    let mut seen_specs = std::collections::HashSet::new();
    for (i, task) in one.tasks.iter().enumerate() {
        if matches!(one.specs[task.spec].launch, Launch::Fargate { .. })
            || !seen_specs.insert(task.spec)
        {
            continue;
        }
        let empty = super::state::State::new(&one.cluster);
        if let Err(r) = feasible(
            &one.context_in(&empty),
            task.spec,
            InstanceIx(0),
            Check::PLACE,
        ) {
            if r.stage() == super::filter::Stage::Resources
                || matches!(r, super::filter::Rejection::MemberOf { .. })
            {
                never_fit.push(format!(
                    "{} ({}): {r}",
                    task.id(),
                    one.group_name(TaskIx::new(i))
                ));
            }
        }
    }
    let node = &one.cluster.nodes[0];
    let (cpu, mem) = reserved_on_instances(&one, true);
    // The share is of the answer's placement: a daemon runs one task on each of its instances,
    // which the one-instance placement counts once.
    let result = |count: Option<u32>, on: Option<&Placement>, never_fit: Vec<String>| {
        let (cpu, mem) = on.map_or((0, 0), |p| reserved_on_instances(p, false));
        MinInstances {
            instance_type: t.name.to_string(),
            count,
            availability_zones: azs.clone(),
            never_fit,
            cpu_percent: count.map_or(0.0, |n| {
                cpu as f64 * 100.0 / (n as f64 * node.registered.cpu.max(1) as f64)
            }),
            memory_percent: count.map_or(0.0, |n| {
                mem as f64 * 100.0 / (n as f64 * node.registered.memory_mib.max(1) as f64)
            }),
        }
    };
    if !never_fit.is_empty() {
        return Ok(result(None, None, never_fit));
    }
    let lower = (cpu.div_ceil(node.registered.cpu.max(1) as u64))
        .max(mem.div_ceil(node.registered.memory_mib.max(1) as u64))
        .max(1) as u32;
    const CAP: u32 = 20_000;
    let mut lo = lower;
    let mut hi = lower;
    let mut answer = loop {
        let p = place(&with(hi), opts);
        if ok(&p) {
            break p;
        }
        lo = hi + 1;
        hi = hi.saturating_mul(2);
        if hi > CAP {
            return Ok(result(None, None, vec![format!("more than {CAP} instances would be needed (constraints or ports may make it impossible)")]));
        }
    };
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let p = place(&with(mid), opts);
        if ok(&p) {
            hi = mid;
            answer = p;
        } else {
            lo = mid + 1;
        }
    }
    Ok(result(Some(hi), Some(&answer), Vec::new()))
}

/// CPU units and MiB the tasks reserve on container instances: of every non-Fargate task
/// (`wanted`, the demand, placed or not), or of the tasks placed on an instance.
fn reserved_on_instances(p: &Placement, wanted: bool) -> (u64, u64) {
    p.tasks
        .iter()
        .filter(|t| {
            if wanted {
                !matches!(p.specs[t.spec].launch, Launch::Fargate { .. })
            } else {
                matches!(t.outcome, Outcome::Placed { .. })
            }
        })
        .map(|t| {
            (
                p.specs[t.spec].demand.cpu as u64,
                p.specs[t.spec].demand.memory as u64,
            )
        })
        .fold((0, 0), |(a, b), (c, d)| (a + c, b + d))
}

fn uses_fargate(
    strategy: &[crate::plan::CapacityProviderStrategyItem],
    default: &[crate::plan::CapacityProviderStrategyItem],
) -> bool {
    let s = if strategy.is_empty() {
        default
    } else {
        strategy
    };
    !s.is_empty()
        && s.iter()
            .all(|i| crate::plan::FARGATE_PROVIDERS.contains(&i.capacity_provider.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_value;
    use serde_json::json;

    fn plan() -> Plan {
        load_value(plan_json()).plan.unwrap()
    }

    /// [`plan`] with a DAEMON service `agent` (128 CPU, 128 MiB), `extra` merged into the
    /// service.
    fn with_agent(extra: serde_json::Value) -> Plan {
        let mut doc = plan_json();
        doc["taskDefinitions"].as_array_mut().unwrap().push(json!(
            {"family": "agent", "containerDefinitions": [{"name": "a", "image": "x", "cpu": 128, "memory": 128}]}));
        let mut agent = json!({"serviceName": "agent", "taskDefinition": "agent", "schedulingStrategy": "DAEMON"});
        if let (Some(a), Some(e)) = (agent.as_object_mut(), extra.as_object()) {
            a.extend(e.clone());
        }
        doc["services"].as_array_mut().unwrap().push(agent);
        load_value(doc).plan.unwrap()
    }

    fn plan_json() -> serde_json::Value {
        json!({
            "schemaVersion": 1,
            "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": [
                {"id": "a1", "instanceType": "m5.large", "availabilityZone": "us-east-1a"},
                {"id": "a2", "instanceType": "m5.large", "availabilityZone": "us-east-1a"},
                {"id": "b1", "instanceType": "m5.large", "availabilityZone": "us-east-1b"}]},
            "taskDefinitions": [{"family": "web", "containerDefinitions": [{"name": "web", "image": "x", "cpu": 512, "memory": 2048}]}],
            "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 4}],
            "tasks": [{"taskDefinition": "web", "group": "batch", "count": 1}]
        })
    }

    #[test]
    fn losing_a_zone_moves_service_tasks_and_loses_standalone_ones() {
        let w = what_if(
            &plan(),
            &PlaceOptions::default(),
            &Change::LoseZone("us-east-1a".into()),
        )
        .unwrap();
        assert_eq!(w.instances, vec!["a1", "a2"]);
        assert!(!w.moved.is_empty());
        // every moved task is in us-east-1b now, or could not be placed with reasons
        for m in &w.moved {
            match &m.to {
                Some(to) => assert_eq!(to, "b1"),
                None => assert!(!m.reasons.is_empty()),
            }
        }
        // b1 (m5.large, about 7.6 GiB) holds at most three 2 GiB tasks
        let on_b1 = w.placement.state.usage[2].tasks.len();
        assert!(on_b1 <= 3);
    }

    #[test]
    fn draining_keeps_standalone_tasks_running() {
        // container-instance-draining: standalone tasks on a draining instance are not touched.
        let p = place(&plan(), &PlaceOptions::default());
        let batch = p.task_index("batch-1").unwrap();
        let Outcome::Placed { node } = p.tasks[batch].outcome else {
            panic!()
        };
        let id = p.cluster.nodes[node].id.clone();
        let w = what_if(
            &plan(),
            &PlaceOptions::default(),
            &Change::Drain(vec![id.clone()]),
        )
        .unwrap();
        assert_eq!(w.kept, vec!["batch-1"]);
        assert!(w
            .moved
            .iter()
            .all(|m| m.from == id && m.to.as_deref() != Some(id.as_str())));
    }

    #[test]
    fn a_daemon_task_stops_with_its_instance_and_is_not_placed_again() {
        // ecs_services.md, "Daemon": exactly one task on each active container instance; "If a
        // container instance transitions to a DRAINING status, the daemon tasks on it are
        // stopped". Losing a zone or draining an instance leaves every survivor with its one
        // daemon task, and the daemon's tasks on the changed instances are not moved.
        let pl = with_agent(json!({}));
        let agents_on = |p: &Placement, node: InstanceIx| {
            p.state.usage[node]
                .tasks
                .iter()
                .filter(|t| p.group_name(**t) == "service:agent")
                .count()
        };
        for change in [
            Change::LoseZone("us-east-1a".into()),
            Change::Drain(vec!["a1".into()]),
        ] {
            let w = what_if(&pl, &PlaceOptions::default(), &change).unwrap();
            assert!(
                w.moved.iter().all(|m| m.group != "service:agent"),
                "{change:?}: {:?}",
                w.moved
            );
            assert_eq!(w.daemon_stopped.len(), w.instances.len(), "{change:?}");
            for (i, n) in w.placement.cluster.indexed() {
                let want = usize::from(!w.instances.contains(&n.id));
                assert_eq!(agents_on(&w.placement, i), want, "{change:?} on {}", n.id);
            }
        }
    }

    #[test]
    fn fit_of_a_daemon_says_it_grows_with_instances_not_room() {
        // ecs_services.md, "Daemon": exactly one task on each active container instance. Room
        // left on the instances does not fit a second agent on any of them, and an EC2 daemon
        // is not told it has Fargate's unlimited room.
        let pl = with_agent(json!({"launchType": "EC2"}));
        let f = fit(&pl, &PlaceOptions::default(), "agent").unwrap();
        assert_eq!((f.running, f.more), (3, Some(0)), "{f:?}");
        assert!(f.limit[0].contains("DAEMON"), "{:?}", f.limit);
    }

    #[test]
    fn fit_counts_the_room_left() {
        // 3 × m5.large, about 7.6 GiB each: three 2 GiB tasks per instance = 9, 5 run already.
        let f = fit(&plan(), &PlaceOptions::default(), "web").unwrap();
        assert_eq!(f.running, 4);
        assert_eq!(f.more, Some(4), "{f:?}");
        assert!(f.limit[0].contains("RESOURCE:MEMORY"), "{:?}", f.limit);
    }

    #[test]
    fn min_instances_counts_a_daemon_on_every_instance_it_proposes() {
        // ecs_services.md, Daemon: "one task on each active container instance that meets all
        // of the task placement constraints". Six 1 024-CPU web tasks and a 512-CPU daemon on
        // m5.xlarge (4 096 CPU): three web tasks and the daemon fit one instance, so two
        // instances, reserving 6 × 1 024 + 2 × 512 = 7 168 of 8 192 CPU (87.5 %).
        let plan = |daemon_on: &str| {
            load_value(json!({
                "schemaVersion": 1,
                "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": [
                    {"id": "a1", "instanceType": "m5.large", "availabilityZone": "us-east-1a"}]},
                "taskDefinitions": [
                    {"family": "agent", "containerDefinitions": [{"name": "a", "image": "a:1", "cpu": 512, "memory": 1024}]},
                    {"family": "web", "containerDefinitions": [{"name": "w", "image": "w:1", "cpu": 1024, "memory": 2048}]}],
                "services": [
                    {"serviceName": "agent", "taskDefinition": "agent", "schedulingStrategy": "DAEMON",
                     "placementConstraints": [{"type": "memberOf", "expression": format!("attribute:ecs.instance-type == {daemon_on}")}]},
                    {"serviceName": "web", "taskDefinition": "web", "desiredCount": 6}]
            }))
            .plan
            .unwrap()
        };
        let m = min_instances(&plan("m5.xlarge"), &PlaceOptions::default(), "m5.xlarge").unwrap();
        assert_eq!(m.count, Some(2));
        assert_eq!(m.cpu_percent, 87.5);
        // A daemon its constraint keeps off the type runs nowhere: 3 × m5.large at 100 %.
        let m = min_instances(&plan("m5.xlarge"), &PlaceOptions::default(), "m5.large").unwrap();
        assert_eq!((m.count, m.cpu_percent), (Some(3), 100.0));
    }

    #[test]
    fn min_instances_of_a_type() {
        // 5 tasks of 2 GiB: an m5.large takes 3, so 2 instances.
        let m = min_instances(&plan(), &PlaceOptions::default(), "m5.large").unwrap();
        assert_eq!(m.count, Some(2));
        let t = min_instances(&plan(), &PlaceOptions::default(), "t3.small").unwrap();
        assert_eq!(t.count, None);
        assert!(
            t.never_fit[0].contains("memory: needs 2048 MiB"),
            "{:?}",
            t.never_fit
        );
        assert!(min_instances(&plan(), &PlaceOptions::default(), "m5.larg")
            .unwrap_err()
            .to_string()
            .contains("did you mean m5.large"));
    }
}
