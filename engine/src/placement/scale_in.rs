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

use super::strategy::{self, spread, Rule, StopKey};
use super::{InstanceIx, Outcome, Placement, SpecIx, TaskIx};
use std::collections::{BTreeSet, HashMap};

/// The task ECS would stop first among `candidates` (running tasks of one spec's group), or
/// `None` when none is running on an instance: the lowest [`strategy::stop_key`].
pub fn task_to_stop(p: &Placement, spec: SpecIx, candidates: &[TaskIx]) -> Option<TaskIx> {
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

/// [`task_to_stop`] for a run of stops among one set of candidates, each choice in O(log n)
/// instead of a pass over every candidate and instance: the choice is the same as
/// [`task_to_stop`] over the candidates not yet stopped, on the cluster as it is then.
///
/// Candidates are kept in buckets of instances sharing the values of the chain's attribute
/// spreads (a zone, with `spread(attribute:ecs.availability-zone)`); within a bucket those
/// values are equal, so its tasks are ordered by the rest of the stop key (an ordered set);
/// the choice compares the first of each bucket with the attribute counts of now. A stop that
/// frees its instance (the task leaves the placement) changes only that instance's keys and
/// its bucket's counts, and [`StopQueue::stopped`] updates them.
///
/// Valid while the only changes to the placement are the stops reported to it.
#[derive(Debug, Clone)]
pub struct StopQueue {
    spec: SpecIx,
    group: u32,
    /// The chain's attribute spreads: rule position and attribute name.
    attrs: Vec<(usize, String)>,
    /// The group's tasks per value, for each of `attrs`.
    counts: Vec<spread::Counts>,
    buckets: Vec<Bucket>,
    bucket_of: HashMap<Vec<Option<String>>, usize>,
    /// Each candidate still queued: its instance, bucket and key (attribute spreads at 0).
    queued: HashMap<TaskIx, (InstanceIx, usize, StopKey)>,
    /// The queued candidates on each instance.
    on_node: HashMap<InstanceIx, Vec<TaskIx>>,
}

#[derive(Debug, Clone)]
struct Bucket {
    /// An instance of the bucket, to read the attribute values from.
    node: InstanceIx,
    order: BTreeSet<(StopKey, TaskIx)>,
}

impl StopQueue {
    /// The queue of `candidates` (as [`task_to_stop`] takes them) for a task of `spec`.
    pub fn new(p: &Placement, spec: SpecIx, candidates: &[TaskIx]) -> StopQueue {
        let cx = p.context();
        let s = &p.specs[spec];
        let attrs: Vec<(usize, String)> = s
            .chain
            .rules
            .iter()
            .enumerate()
            .filter_map(|(j, r)| match r {
                Rule::SpreadAttribute { attribute } => Some((j, attribute.clone())),
                _ => None,
            })
            .collect();
        let mut q = StopQueue {
            spec,
            group: s.group,
            counts: attrs
                .iter()
                .map(|(_, a)| spread::counts(&cx, s.group, a))
                .collect(),
            attrs,
            buckets: Vec::new(),
            bucket_of: HashMap::new(),
            // Sized once (growing them was a tenth of the queue's build at ECS's quotas).
            queued: HashMap::with_capacity(candidates.len()),
            on_node: HashMap::with_capacity(candidates.len()),
        };
        for &t in candidates {
            if let Outcome::Placed { node } = p.tasks[t].outcome {
                q.on_node.entry(node).or_default().push(t);
                q.insert(p, t, node);
            }
        }
        q
    }

    fn insert(&mut self, p: &Placement, t: TaskIx, node: InstanceIx) {
        let cx = p.context();
        let need = &p.specs[p.tasks[t].spec].demand;
        // The attribute spreads stay at 0 here: the bucket's counts give them in `next`.
        let k = strategy::stop_local_key(&cx, self.spec, node, t, need);
        let n = &p.cluster.nodes[node];
        let values: Vec<Option<String>> = self
            .attrs
            .iter()
            .map(|(_, a)| n.attribute(a).map(str::to_string))
            .collect();
        let b = *self.bucket_of.entry(values).or_insert_with(|| {
            self.buckets.push(Bucket {
                node,
                order: BTreeSet::new(),
            });
            self.buckets.len() - 1
        });
        self.buckets[b].order.insert((k, t));
        self.queued.insert(t, (node, b, k));
    }

    fn remove(&mut self, t: TaskIx) -> Option<InstanceIx> {
        let (node, b, k) = self.queued.remove(&t)?;
        self.buckets[b].order.remove(&(k, t));
        Some(node)
    }

    /// The task [`task_to_stop`] would choose among the queued candidates.
    pub fn next(&self, p: &Placement) -> Option<TaskIx> {
        let mut best: Option<(StopKey, TaskIx)> = None;
        for b in &self.buckets {
            let Some(&(mut k, t)) = b.order.first() else {
                continue;
            };
            let n = &p.cluster.nodes[b.node];
            for ((j, a), counts) in self.attrs.iter().zip(&self.counts) {
                k[*j] = spread::stop_attribute_value(counts, n, a);
            }
            if best.is_none_or(|(bk, _)| k < bk) {
                best = Some((k, t));
            }
        }
        best.map(|(_, t)| t)
    }

    /// Task `t` was stopped; `released` is the instance it left when the stop took it off the
    /// placement (a task of this group or another, queued here or not), `None` when it
    /// stays placed for now (draining, deregistering).
    pub fn stopped(&mut self, p: &Placement, t: TaskIx, released: Option<InstanceIx>) {
        if let Some(node) = self.remove(t) {
            if let Some(list) = self.on_node.get_mut(&node) {
                list.retain(|x| *x != t);
            }
        }
        let Some(node) = released else {
            return;
        };
        if p.specs[p.tasks[t].spec].group == self.group {
            let n = &p.cluster.nodes[node];
            for ((_, a), counts) in self.attrs.iter().zip(self.counts.iter_mut()) {
                if let Some(c) = counts.get_mut(&n.attribute(a).map(str::to_string)) {
                    *c = c.saturating_sub(1);
                }
            }
        }
        let on = self.on_node.get(&node).cloned().unwrap_or_default();
        for x in on {
            if self.remove(x).is_some() {
                self.insert(p, x, node);
            }
        }
    }
}

/// Stops `n` tasks of the spec's group one at a time, each chosen by [`task_to_stop`] on the
/// cluster as it is after the previous stop; returns them in stop order.
#[cfg(test)]
pub fn scale_in(p: &mut Placement, spec: SpecIx, n: usize) -> Vec<TaskIx> {
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
        let stopped = scale_in(&mut p, SpecIx(0), 1);
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
        let stopped = scale_in(&mut p, SpecIx(0), 1);
        assert!(node_of_before(&stopped, heavy, &p));
        assert_eq!(zone_count(&p, "a"), 1);
        assert_eq!(zone_count(&p, "b"), 1);
    }

    fn placed_on(p: &Placement, t: TaskIx) -> Option<InstanceIx> {
        match p.tasks[t].outcome {
            Outcome::Placed { node } => Some(node),
            _ => None,
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 128, ..Default::default() })]

        /// The queue is an optimisation of the scan: on random placed plans, stopping the
        /// tasks of each spec's group one at a time (some leaving the placement at once,
        /// some staying while they drain, and tasks of other groups stopping in between),
        /// it chooses what [`task_to_stop`] chooses over the candidates left, every time.
        #[test]
        fn the_queue_chooses_what_the_scan_chooses(
            plan in testkit::plans::plan(),
            seed in 0u64..1000,
            steps in proptest::collection::vec(0u8..4, 64),
        ) {
            let plan = load_value(plan).plan.expect("generated plans load");
            let placed = place(&plan, &PlaceOptions { seed });
            for spec in SpecIx::all(placed.specs.len()) {
                let mut p = placed.clone();
                let group = p.specs[spec].group;
                let of_group = |p: &Placement, t: TaskIx| p.specs[p.tasks[t].spec].group == group;
                let mut left: Vec<TaskIx> = TaskIx::range(0, p.tasks.len())
                    .filter(|t| of_group(&p, *t) && placed_on(&p, *t).is_some())
                    .collect();
                if left.is_empty() {
                    continue;
                }
                let mut q = StopQueue::new(&p, spec, &left);
                for step in steps.iter().chain(std::iter::repeat(&0)).take(left.len() + 8) {
                    if *step == 3 {
                        // a task of another group leaves its instance
                        if let Some(o) = TaskIx::range(0, p.tasks.len())
                            .find(|t| !of_group(&p, *t) && placed_on(&p, *t).is_some())
                        {
                            let node = placed_on(&p, o);
                            p.stop(o);
                            q.stopped(&p, o, node);
                        }
                    }
                    let slow = task_to_stop(&p, spec, &left);
                    proptest::prop_assert_eq!(q.next(&p), slow);
                    let Some(t) = slow else { break };
                    left.retain(|x| *x != t);
                    if *step == 1 {
                        // stopping, still on its instance (deregistering)
                        q.stopped(&p, t, None);
                    } else {
                        let node = placed_on(&p, t);
                        p.stop(t);
                        q.stopped(&p, t, node);
                    }
                }
            }
        }
    }

    fn node_of_before(stopped: &[TaskIx], zone: &str, p: &Placement) -> bool {
        // the stop event names the node
        p.events.iter().any(|e| matches!(e, crate::placement::Event::Remove { task, node } if *task == stopped[0] && p.cluster.nodes[*node].id.starts_with(zone)))
    }
}
