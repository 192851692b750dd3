//! Which task ECS stops when a service scales in (`task-placement-strategies.md`,
//! `ecs_services.md` "Service scheduler concepts"): the strategies read in reverse.
//!
//! - `binpack`: the task on the instance that will have the most of the resource free once the
//!   task stops;
//! - `spread` on an attribute: a task from the value with the most of the group's tasks (this
//!   keeps the spread balanced); on `instanceId`: from the instance with the most;
//! - `random`: a seeded draw;
//! - no strategy (a service's default): the zone with the most of the service's tasks, then
//!   the instance with the most.
//!
//! Among tasks still tied, AWS says the choice within a zone is random; the planner stops the
//! newest task (documented in the UI as unspecified by AWS).

use super::strategy::{self, StopKey};
use super::{Outcome, Placement, TaskIx};

/// The task ECS would stop first among `candidates` (running tasks of one spec's group), or
/// `None` when none is running on an instance: the lowest [`strategy::stop_key`].
pub fn task_to_stop(p: &Placement, spec: usize, candidates: &[TaskIx]) -> Option<TaskIx> {
    let cx = p.context();
    let prepared = strategy::prepare(&cx, spec);
    let mut best: Option<(StopKey, TaskIx)> = None;
    for &t in candidates {
        let Outcome::Placed { node } = p.tasks[t].outcome else {
            continue;
        };
        let need = &p.specs[p.tasks[t].spec].demand;
        let k = strategy::stop_key(&cx, spec, node, t, need, &prepared);
        if best.is_none_or(|(bk, _)| k < bk) {
            best = Some((k, t));
        }
    }
    best.map(|(_, t)| t)
}

/// Stops `n` tasks of the spec's group one at a time, each chosen by [`task_to_stop`] on the
/// cluster as it is after the previous stop; returns them in stop order.
#[cfg(test)]
pub fn scale_in(p: &mut Placement, spec: usize, n: usize) -> Vec<TaskIx> {
    let mut stopped = Vec::new();
    for _ in 0..n {
        let group = p.specs[spec].group;
        let running: Vec<TaskIx> = TaskIx::range(0, p.tasks.len())
            .filter(|t| {
                let task = &p.tasks[*t];
                p.specs[task.spec].group == group && matches!(task.outcome, Outcome::Placed { .. })
            })
            .collect();
        let Some(t) = task_to_stop(p, spec, &running) else {
            break;
        };
        p.stop(t);
        stopped.push(t);
    }
    stopped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_value;
    use crate::placement::{place, PlaceOptions};
    use serde_json::json;

    fn placed(
        strategy: serde_json::Value,
        instances: serde_json::Value,
        desired: u32,
    ) -> Placement {
        let plan = load_value(json!({
            "schemaVersion": 1,
            "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": instances},
            "taskDefinitions": [{"family": "w", "containerDefinitions": [{"name": "w", "image": "x", "cpu": 256, "memory": 1024}]}],
            "services": [{"serviceName": "w", "taskDefinition": "w", "desiredCount": desired, "placementStrategy": strategy}]
        }))
        .plan
        .unwrap();
        place(&plan, &PlaceOptions::default())
    }

    fn node_of(p: &Placement, t: TaskIx) -> String {
        match p.tasks[t].outcome {
            Outcome::Placed { node } => p.cluster.nodes[node].id.clone(),
            _ => panic!("not placed"),
        }
    }

    #[test]
    fn binpack_stops_the_task_on_the_emptiest_instance() {
        // task-placement-strategies.md, binpack: on scale-in, the instance with the most
        // resources left after the task stops loses it.
        let mut p = placed(
            json!([{"type": "binpack", "field": "memory"}]),
            json!([{"id": "small", "instanceType": "t3.medium", "availabilityZone": "us-east-1a"},
                   {"id": "big", "instanceType": "m5.xlarge", "availabilityZone": "us-east-1a"}]),
            4,
        );
        // binpack filled the t3.medium (about 3.7 GiB: 3 tasks) and put one on the m5.xlarge
        let on_big: Vec<TaskIx> = TaskIx::range(0, 4)
            .filter(|t| node_of(&p, *t) == "big")
            .collect();
        assert_eq!(on_big.len(), 1);
        let stopped = scale_in(&mut p, 0, 1);
        assert_eq!(stopped, on_big);
    }

    #[test]
    fn default_scale_in_keeps_zones_balanced() {
        // ecs_services.md: without a strategy, stop from the zone with the most of the service's tasks.
        let mut p = placed(
            json!([]),
            json!([{"id": "a1", "instanceType": "m5.large", "availabilityZone": "us-east-1a"},
                   {"id": "b1", "instanceType": "m5.large", "availabilityZone": "us-east-1b"}]),
            3,
        );
        let zone_count = |p: &Placement, z: &str| {
            TaskIx::range(0, p.tasks.len())
                .filter(|t| {
                    matches!(p.tasks[*t].outcome, Outcome::Placed { .. })
                        && node_of(p, *t).starts_with(z)
                })
                .count()
        };
        let (a, b) = (zone_count(&p, "a"), zone_count(&p, "b"));
        assert_eq!(a + b, 3);
        let heavy = if a > b { "a" } else { "b" };
        let stopped = scale_in(&mut p, 0, 1);
        assert!(node_of_before(&stopped, heavy, &p));
        assert_eq!(zone_count(&p, "a"), 1);
        assert_eq!(zone_count(&p, "b"), 1);
    }

    fn node_of_before(stopped: &[TaskIx], zone: &str, p: &Placement) -> bool {
        // the stop event names the node
        p.events.iter().any(|e| matches!(e, crate::placement::Event::Remove { task, node } if *task == stopped[0] && p.cluster.nodes[*node].id.starts_with(zone)))
    }
}
