//! `spread` (`task-placement-strategies.md`, "Strategy types": "Tasks are placed evenly based
//! on the specified value … Service tasks are spread based on the tasks from that service.
//! Standalone tasks are spread based on the tasks from the same task group").
//!
//! - On `instanceId` (or `host`, "which has the same effect"): the value is the group's tasks
//!   on the instance; fewest first.
//! - On an attribute (`attribute:ecs.availability-zone`, a custom attribute): the group's tasks
//!   on *all* instances with the same value of the attribute, counted over the whole cluster
//!   (ineligible instances too: their tasks are where they are); instances without the
//!   attribute share one "no value" bucket. Fewest first, so the zone with the fewest of the
//!   service's tasks gets the next one (`ecs_services.md`, "Service scheduler concepts").
//! - Scale-in: the same counts negated, so a task goes from the value (or instance) with the
//!   most ("selects tasks to terminate that maintain a balance across Availability Zones").

use crate::cluster::Node;
use crate::placement::pipeline::Context;
use crate::placement::state::Usage;
use std::collections::HashMap;

/// The group's tasks per value of one attribute (`None`: instances without it).
pub type Counts = HashMap<Option<String>, u32>;

/// [`Counts`] of `group`'s tasks for `attribute`: the values where the group has tasks (a
/// value without any is absent, and reads as 0). Only the instances the group runs or ran on
/// ([`State::placed_on`](crate::placement::state::State::placed_on)) are visited, not every
/// instance of the cluster: every scale-in choice of the simulator counts a service's tasks,
/// and a pass over the 5 000 instances of the quota plan for each was 17.6 % of its day.
pub fn counts(cx: &Context, group: u32, attribute: &str) -> Counts {
    // Counted by borrowed value (no string per instance), owned once per value at the end.
    let mut m: HashMap<Option<&str>, u32> = HashMap::new();
    for &i in cx.state.placed_on(group) {
        let c = cx.state.usage[i].group_count(group);
        if c > 0 {
            *m.entry(cx.cluster.nodes[i].attribute(attribute))
                .or_insert(0) += c;
        }
    }
    m.into_iter()
        .map(|(v, c)| (v.map(str::to_string), c))
        .collect()
}

/// [`counts`] the plain way, over every instance of the cluster (the values without tasks
/// at 0): what tests compare it with.
#[cfg(test)]
pub fn counts_over_every_instance(cx: &Context, group: u32, attribute: &str) -> Counts {
    let mut m: HashMap<Option<&str>, u32> = HashMap::new();
    for (i, n) in cx.cluster.indexed() {
        let c = cx.state.usage[i].group_count(group);
        *m.entry(n.attribute(attribute)).or_insert(0) += c;
    }
    m.into_iter()
        .map(|(v, c)| (v.map(str::to_string), c))
        .collect()
}

/// A task of the group landed on `node`.
pub fn landed(counts: &mut Counts, node: &Node, attribute: &str) {
    *counts
        .entry(node.attribute(attribute).map(str::to_string))
        .or_insert(0) += 1;
}

/// `spread(instanceId)`: the group's tasks on the instance.
pub fn instance_value(used: &Usage, group: u32) -> i64 {
    used.group_count(group) as i64
}

/// `spread(attribute:…)`: the group's tasks where the attribute has this instance's value.
pub fn attribute_value(counts: &Counts, node: &Node, attribute: &str) -> i64 {
    counts
        .get(&node.attribute(attribute).map(str::to_string))
        .copied()
        .unwrap_or(0) as i64
}

/// Scale-in under `spread(instanceId)`: the instance with the most goes first.
pub fn stop_instance_value(used: &Usage, group: u32) -> i64 {
    -instance_value(used, group)
}

/// Scale-in under `spread(attribute:…)`: the value with the most goes first.
pub fn stop_attribute_value(counts: &Counts, node: &Node, attribute: &str) -> i64 {
    -attribute_value(counts, node, attribute)
}

/// `2 tasks of service:web on this instance`.
pub fn describe_instance(value: i64, group: &str) -> String {
    format!(
        "{value} task{} of {group} on this instance",
        if value == 1 { "" } else { "s" }
    )
}

/// `1 task of service:web where ecs.availability-zone = us-east-1a`.
pub fn describe_attribute(value: i64, group: &str, attribute: &str, node: &Node) -> String {
    format!(
        "{value} task{} of {group} where {attribute} = {}",
        if value == 1 { "" } else { "s" },
        node.attribute(attribute).unwrap_or("(no value)")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_value;
    use crate::placement::{place, Outcome, TaskIx};
    use proptest::prelude::*;
    use testkit::plans;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        /// `counts` over the instances a group runs or ran on is the count over every instance
        /// without its values at 0, and every instance reads the same value from both, on
        /// random plans placed and then with every `stride`-th task stopped (instances listed
        /// for a group whose tasks all left). Fails if `counts` misses an instance with tasks.
        #[test]
        fn counts_over_the_groups_instances_are_the_counts_over_every_instance(
            plan in plans::plan(),
            seed in 0u64..1000,
            stride in 1usize..5,
        ) {
            let plan = load_value(plan).plan.expect("generated plans load");
            let mut p = place(&plan, &PlaceOptions { seed });
            for t in (0..p.tasks.len()).step_by(stride) {
                if matches!(p.tasks[t].outcome, Outcome::Placed { .. }) && t % 2 == 0 {
                    p.stop(TaskIx::new(t));
                }
            }
            let cx = p.context();
            let groups = p.specs.iter().map(|s| s.group).max().map_or(0, |g| g + 1);
            for group in 0..groups {
                for attribute in ["ecs.availability-zone", "ecs.instance-type", "tier", "zone"] {
                    let fast = counts(&cx, group, attribute);
                    let mut plain = counts_over_every_instance(&cx, group, attribute);
                    for n in &cx.cluster.nodes {
                        prop_assert_eq!(
                            attribute_value(&fast, n, attribute),
                            attribute_value(&plain, n, attribute)
                        );
                    }
                    plain.retain(|_, c| *c > 0);
                    prop_assert_eq!(fast, plain, "group {} attribute {}", group, attribute);
                }
            }
        }
    }
    use crate::placement::state::State;
    use crate::placement::table_tests::{cluster, groups, need, node};
    use crate::placement::{PlaceOptions, Placement};

    #[test]
    fn spread_table() {
        // task-placement-strategies.md, spread: service tasks are spread "based on the tasks
        // from that service"; ecs_services.md: the zone with the fewest first.
        // Tasks already placed: (instance, group); group 0 is service:web, 1 service:api.
        let placed = [
            ("m5", 0),
            ("m5", 0),
            ("gpu", 0),
            ("t3", 0),
            ("t3", 1),
            ("gold", 1),
        ];
        let c = cluster();
        let mut p = Placement::empty(c.clone(), PlaceOptions::default().seed);
        p.groups = groups();
        let d = need().cpu(1);
        let mut s = State::new(&c);
        for (t, (id, g)) in placed.iter().enumerate() {
            let (i, _) = node(id);
            s.add(i, crate::placement::TaskIx::new(t), *g, &d);
        }
        let cx = p.context_in(&s);
        let zones = counts(&cx, 0, "ecs.availability-zone");
        let tiers = counts(&cx, 0, "tier");
        struct Case {
            name: &'static str,
            instance: &'static str,
            /// spread(instanceId), spread(attribute:ecs.availability-zone), spread(attribute:tier)
            values: [i64; 3],
        }
        let cases = [
            Case {
                // us-east-1a: m5 (2) + gpu (1) = 3 web tasks; no tier: the "no value"
                // bucket, with every web task on an instance without it (m5 2, gpu 1, t3 1).
                name: "m5, two web tasks, in us-east-1a with three",
                instance: "m5",
                values: [2, 3, 4],
            },
            Case {
                // us-east-1b: t3 (1 web; the api task does not count).
                name: "t3, one web task, in us-east-1b with one",
                instance: "t3",
                values: [1, 1, 4],
            },
            Case {
                // gold has only an api task; tier=gold has no web task.
                name: "gold: another service's task does not count",
                instance: "gold",
                values: [0, 1, 0],
            },
            Case {
                // No tier attribute: the shared "no value" bucket holds every web task (4).
                name: "c5: no tier attribute, the no-value bucket",
                instance: "c5",
                values: [0, 1, 4],
            },
        ];
        for case in cases {
            let (i, n) = node(case.instance);
            let u = &s.usage[i];
            let got = [
                instance_value(u, 0),
                attribute_value(&zones, &n, "ecs.availability-zone"),
                attribute_value(&tiers, &n, "tier"),
            ];
            assert_eq!(got, case.values, "{}", case.name);
            assert_eq!(stop_instance_value(u, 0), -case.values[0], "{}", case.name);
            assert_eq!(
                stop_attribute_value(&zones, &n, "ecs.availability-zone"),
                -case.values[1],
                "{}",
                case.name
            );
        }
    }
}
