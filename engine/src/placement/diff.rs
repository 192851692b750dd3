//! What changed between two placements of (almost) the same plan, so the board can highlight
//! tasks that moved, appeared, lost their place or disappeared after an edit.
//!
//! Tasks are matched by id (`web-3`). When the placement after the edit was computed from
//! scratch ([`place`](super::place)), a move whose old instance is still usable is marked
//! `afresh`: ECS does not move running tasks to rebalance. After
//! [`place_keeping`](super::place_keeping) no move is.

use super::{Outcome, Placement, Task};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

/// How one task's place changed between two placements (the board highlights these).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "change")]
pub enum TaskChange {
    /// On another instance (or zone, for Fargate) than before.
    Moved {
        /// The task's id (`web-3`).
        task: String,
        /// Where it was (instance id, or zone for Fargate).
        from: String,
        /// Where it is now.
        to: String,
        /// Only the fresh placement moved it: its instance is still there, ACTIVE, in the same
        /// zone, and the task's definition did not change. ECS would leave such a task running
        /// where it is (it places new and displaced tasks, it does not rebalance running ones).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        afresh: bool,
    },
    /// A task that did not exist before, and where it went (`None`: it could not be placed).
    New {
        /// The task's id.
        task: String,
        /// Where it went.
        to: Option<String>,
    },
    /// Placed before, not placed now.
    Displaced {
        /// The task's id.
        task: String,
        /// Where it was.
        from: String,
    },
    /// Not placed before, placed now.
    Placed {
        /// The task's id.
        task: String,
        /// Where it is now.
        to: String,
    },
    /// Existed before, gone now (desired count lowered, service removed).
    Removed {
        /// The task's id.
        task: String,
    },
}

impl TaskChange {
    /// The id of the task that changed.
    pub fn task(&self) -> &str {
        match self {
            TaskChange::Moved { task, .. }
            | TaskChange::New { task, .. }
            | TaskChange::Displaced { task, .. }
            | TaskChange::Placed { task, .. }
            | TaskChange::Removed { task } => task,
        }
    }
}

/// Where a task is, borrowed from the placement (no allocation per task).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Loc<'a> {
    Node(&'a str),
    Fargate(&'a str),
    Nowhere,
}

impl Loc<'_> {
    fn of<'a>(p: &'a Placement, o: &'a Outcome) -> Loc<'a> {
        match o {
            Outcome::Placed { node } => Loc::Node(&p.cluster.nodes[*node].id),
            Outcome::Fargate { availability_zone } => Loc::Fargate(availability_zone),
            _ => Loc::Nowhere,
        }
    }

    /// `i-0a1…` or `Fargate us-east-1a`; `None` when the task is not placed.
    fn text(self) -> Option<String> {
        match self {
            Loc::Node(id) => Some(id.to_string()),
            Loc::Fargate(az) => Some(format!("Fargate {az}")),
            Loc::Nowhere => None,
        }
    }
}

/// The changes from `before` to `after`, in `after`'s task order, then removed tasks. Tasks are
/// matched by id (service or group name and ordinal).
///
/// After an edit most tasks keep their index: while the ids of the two lists agree (from the
/// start and from the end) tasks are compared pairwise, and only the rest is matched by a
/// hashed id (hashing all 50 000 tasks of a large plan was most of a drop's diff). Pairing is
/// only sound when no id repeats within a placement; otherwise every task is matched by id
/// ([`diff_by_id`], the same result).
pub fn diff(before: &Placement, after: &Placement) -> Vec<TaskChange> {
    if !(unique_ids(before) && unique_ids(after)) {
        return diff_by_id(before, after);
    }
    let same_id = |a: &Task, b: &Task| a.ordinal == b.ordinal && a.name == b.name;
    let (nb, na) = (before.tasks.len(), after.tasks.len());
    let head = before
        .tasks
        .iter()
        .zip(&after.tasks)
        .take_while(|(a, b)| same_id(a, b))
        .count();
    let tail = before.tasks[head..]
        .iter()
        .rev()
        .zip(after.tasks[head..].iter().rev())
        .take_while(|(a, b)| same_id(a, b))
        .count();
    let (mid_before, mid_after) = (
        &before.tasks[head..nb - tail],
        &after.tasks[head..na - tail],
    );
    // The middle's ids: unique in each list and absent from the paired ends, so each middle
    // task's previous self, if any, is in the other middle.
    let old: HashMap<(&str, u32), &Task> = mid_before
        .iter()
        .map(|t| ((&*t.name, t.ordinal), t))
        .collect();
    let mut places = Places::new(before, after);
    let mut out = Vec::new();
    for (k, t) in after.tasks.iter().enumerate() {
        let prev = if k < head {
            Some(&before.tasks[k])
        } else if k >= na - tail {
            Some(&before.tasks[k + nb - na])
        } else {
            old.get(&(&*t.name, t.ordinal)).copied()
        };
        out.extend(change(&mut places, t, prev));
    }
    let now: HashSet<(&str, u32)> = mid_after.iter().map(|t| (&*t.name, t.ordinal)).collect();
    out.extend(
        mid_before
            .iter()
            .filter(|t| !now.contains(&(&*t.name, t.ordinal)))
            .map(|t| TaskChange::Removed { task: t.id() }),
    );
    out
}

/// Whether no task id repeats in `p`: each name's tasks follow each other with rising
/// ordinals (as placement adds them), so a name is hashed once per run, not once per task.
fn unique_ids(p: &Placement) -> bool {
    let mut names: HashSet<&str> = HashSet::new();
    let mut last: Option<&Task> = None;
    for t in &p.tasks {
        match last {
            Some(l) if l.name == t.name => {
                if t.ordinal <= l.ordinal {
                    return false;
                }
            }
            _ => {
                if !names.insert(&t.name) {
                    return false;
                }
            }
        }
        last = Some(t);
    }
    true
}

/// [`diff`] with every task matched by a hashed id: the plain path, for placements where an
/// id repeats (of two tasks with one id, the later one in `before` is the match).
fn diff_by_id(before: &Placement, after: &Placement) -> Vec<TaskChange> {
    let old: HashMap<(&str, u32), &Task> = before
        .tasks
        .iter()
        .map(|t| ((&*t.name, t.ordinal), t))
        .collect();
    let mut places = Places::new(before, after);
    let mut out = Vec::new();
    let mut seen = HashSet::with_capacity(after.tasks.len());
    for t in &after.tasks {
        let k = (&*t.name, t.ordinal);
        out.extend(change(&mut places, t, old.get(&k).copied()));
        seen.insert(k);
    }
    for t in &before.tasks {
        if !seen.contains(&(&*t.name, t.ordinal)) {
            out.push(TaskChange::Removed { task: t.id() });
        }
    }
    out
}

/// The two placements, and their instances by id (built on the first move that needs them).
struct Places<'a> {
    before: &'a Placement,
    after: &'a Placement,
    nodes: Option<Instances<'a>>,
}

/// Instances of `after` by id: (schedulable, zone); and the zone of `before`'s by id.
type Instances<'a> = (HashMap<&'a str, (bool, &'a str)>, HashMap<&'a str, &'a str>);

impl<'a> Places<'a> {
    fn new(before: &'a Placement, after: &'a Placement) -> Places<'a> {
        Places {
            before,
            after,
            nodes: None,
        }
    }

    /// Whether instance `id` of `before` is in `after`, schedulable and in the same zone.
    fn still_there(&mut self, id: &str) -> bool {
        let (before, after) = (self.before, self.after);
        let (nodes, zone_before) = self.nodes.get_or_insert_with(|| {
            (
                after
                    .cluster
                    .nodes
                    .iter()
                    .map(|n| {
                        (
                            n.id.as_str(),
                            (n.schedulable(), n.availability_zone.as_str()),
                        )
                    })
                    .collect(),
                before
                    .cluster
                    .nodes
                    .iter()
                    .map(|n| (n.id.as_str(), n.availability_zone.as_str()))
                    .collect(),
            )
        });
        nodes
            .get(id)
            .is_some_and(|(ok, az)| *ok && zone_before.get(id).is_some_and(|z| z == az))
    }
}

/// How task `t` of `after` changed from `prev`, its previous self (`None`: it is new).
fn change(places: &mut Places, t: &Task, prev: Option<&Task>) -> Option<TaskChange> {
    let now = Loc::of(places.after, &t.outcome);
    let Some(prev) = prev else {
        return Some(TaskChange::New {
            task: t.id(),
            to: now.text(),
        });
    };
    match (Loc::of(places.before, &prev.outcome), now) {
        (a, b) if a == b => None,
        (Loc::Nowhere, b) => Some(TaskChange::Placed {
            task: t.id(),
            to: b.text().unwrap_or_default(),
        }),
        (a, Loc::Nowhere) => Some(TaskChange::Displaced {
            task: t.id(),
            from: a.text().unwrap_or_default(),
        }),
        (a, b) => {
            let same_task = prev.family == t.family && prev.revision == t.revision;
            let still_there = match a {
                Loc::Node(id) => places.still_there(id),
                _ => false,
            };
            Some(TaskChange::Moved {
                task: t.id(),
                from: a.text().unwrap_or_default(),
                to: b.text().unwrap_or_default(),
                // After `place_keeping` every move is one ECS makes (a new deployment).
                afresh: !places.after.keeps_running && same_task && still_there,
            })
        }
    }
}

/// One sentence saying what placement did, for the UI's live region and the CLI, e.g.
/// "web-2 moved from i-0a1 to i-0b2; worker-3 could not be placed (was on i-0a1)". Up to two
/// tasks of a kind are named with their instances; more are counted (the first three named).
pub fn describe(changes: &[TaskChange]) -> String {
    fn some(ids: &[&str]) -> String {
        let shown = ids.iter().take(3).copied().collect::<Vec<_>>().join(", ");
        if ids.len() > 3 {
            format!("{shown} and {} more", ids.len() - 3)
        } else {
            shown
        }
    }
    let (mut moved, mut placed, mut started, mut unplaced, mut removed) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut afresh_count = 0;
    for c in changes {
        match c {
            TaskChange::Moved {
                task,
                from,
                to,
                afresh,
            } => {
                afresh_count += usize::from(*afresh);
                moved.push((task.as_str(), format!("{task} moved from {from} to {to}")))
            }
            TaskChange::Placed { task, to } => {
                placed.push((task.as_str(), format!("{task} placed on {to}")))
            }
            TaskChange::New { task, to: Some(to) } => {
                started.push((task.as_str(), format!("{task} started on {to}")))
            }
            TaskChange::New { task, to: None } => {
                unplaced.push((task.as_str(), format!("{task} could not be placed")))
            }
            TaskChange::Displaced { task, from } => unplaced.push((
                task.as_str(),
                format!("{task} could not be placed (was on {from})"),
            )),
            TaskChange::Removed { task } => {
                removed.push((task.as_str(), format!("{task} stopped")))
            }
        }
    }
    let mut parts = Vec::new();
    for (list, many) in [
        (moved, "moved"),
        (placed, "that waited were placed"),
        (started, "started"),
        (unplaced, "could not be placed"),
        (removed, "stopped"),
    ] {
        if list.len() <= 2 {
            parts.extend(list.into_iter().map(|(_, s)| s));
        } else {
            let ids: Vec<&str> = list.iter().map(|(t, _)| *t).collect();
            parts.push(format!("{} tasks {many} ({})", ids.len(), some(&ids)));
        }
    }
    if parts.is_empty() {
        return "no task moved".to_string();
    }
    let mut text = parts.join("; ");
    if afresh_count > 0 {
        let _ = write!(
            text,
            " ({} of the moves come only from placing the whole plan afresh: ECS would leave {} running where {})",
            if afresh_count == moved_total(changes) {
                "all".to_string()
            } else {
                afresh_count.to_string()
            },
            if afresh_count == 1 { "that task" } else { "those tasks" },
            if afresh_count == 1 { "it is" } else { "they are" }
        );
    }
    text
}

fn moved_total(changes: &[TaskChange]) -> usize {
    changes
        .iter()
        .filter(|c| matches!(c, TaskChange::Moved { .. }))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{apply, Edit};
    use crate::placement::{place, PlaceOptions};

    #[test]
    fn losing_a_zone_moves_and_displaces_tasks() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../public/plans/two-az-web.json"
        ))
        .unwrap();
        let plan = crate::load::load(&text).plan.unwrap();
        let before = place(&plan, &PlaceOptions::default());
        let smaller = apply(
            &plan,
            &Edit::LoseZone {
                availability_zone: "us-east-1b".into(),
            },
        )
        .unwrap();
        let after = place(&smaller, &PlaceOptions::default());
        let changes = diff(&before, &after);
        assert!(!changes.is_empty());
        for c in &changes {
            match c {
                TaskChange::Moved { to, .. } | TaskChange::Placed { to, .. } => {
                    assert!(to.starts_with("i-0a1"))
                }
                TaskChange::Displaced { from, .. } => assert!(from.starts_with("i-0")),
                other => panic!("unexpected {other:?}"),
            }
        }
        let bigger = apply(
            &plan,
            &Edit::SetDesiredCount {
                service: "web".into(),
                desired_count: 5,
            },
        )
        .unwrap();
        let more = diff(&before, &place(&bigger, &PlaceOptions::default()));
        assert!(
            more.iter()
                .any(|c| matches!(c, TaskChange::New { task, to: Some(_) } if task == "web-5")),
            "{more:?}"
        );
        let fewer = apply(
            &plan,
            &Edit::SetDesiredCount {
                service: "worker".into(),
                desired_count: 2,
            },
        )
        .unwrap();
        let less = diff(&before, &place(&fewer, &PlaceOptions::default()));
        assert!(
            less.contains(&TaskChange::Removed {
                task: "worker-3".into()
            }),
            "{less:?}"
        );
    }

    #[test]
    fn moves_of_a_fresh_placement_are_told_apart_from_displaced_tasks() {
        // 120 instances, 240 tasks spread over zones then instances. Draining one instance
        // displaces its two tasks (ECS moves them too); placing the plan afresh also moves
        // tasks whose instance is still there, which ECS would leave running (task-placement.md:
        // placement happens when a task is launched; running tasks are not rebalanced).
        let zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
        let insts: Vec<_> = (0..120)
            .map(|i| serde_json::json!({"id": format!("i-{i:04}"), "instanceType": "m5.large", "availabilityZone": zones[i % 3]}))
            .collect();
        let plan = crate::load::load_value(serde_json::json!({
            "schemaVersion": 1,
            "cluster": {"clusterName": "c", "availabilityZones": zones, "containerInstances": insts},
            "taskDefinitions": [{"family": "web", "containerDefinitions": [
                {"name": "web", "image": "web:1", "cpu": 256, "memory": 512}]}],
            "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 240,
                "placementStrategy": [{"type": "spread", "field": "attribute:ecs.availability-zone"},
                    {"type": "spread", "field": "instanceId"}]}]
        }))
        .plan
        .unwrap();
        let before = place(&plan, &PlaceOptions::default());
        let drained = apply(
            &plan,
            &Edit::SetDraining {
                id: "i-0117".into(),
                draining: true,
            },
        )
        .unwrap();
        let changes = diff(&before, &place(&drained, &PlaceOptions::default()));
        let (mut off, mut afresh) = (0, 0);
        for c in &changes {
            if let TaskChange::Moved {
                from, afresh: a, ..
            } = c
            {
                if *a {
                    afresh += 1;
                    assert_ne!(from, "i-0117");
                } else {
                    off += 1;
                    assert_eq!(from, "i-0117");
                }
            }
        }
        assert_eq!(off, 2, "{changes:?}");
        assert!(afresh > 0, "{changes:?}");
        let text = describe(&changes);
        assert!(
            text.contains(&format!(
                "({afresh} of the moves come only from placing the whole plan afresh: ECS would leave those tasks running where they are)"
            )),
            "{text}"
        );
    }

    /// The board edit `testkit`'s chooser picks for `pick`, as the engine's type.
    fn edit_of(plan: &crate::plan::Plan, pick: (u8, usize, u32)) -> Option<Edit> {
        let chosen = testkit::edits::edit_of(&serde_json::to_value(plan).ok()?, pick)?;
        Some(serde_json::from_value(chosen).expect("the chooser's edit is a board edit"))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

        /// The paired diff is the diff by id, along random runs of edits: placed keeping what
        /// runs (as the board does after a drop) and placed afresh (moves marked `afresh`).
        #[test]
        fn the_paired_diff_is_the_diff_by_id(
            v in testkit::plans::plan(),
            edits in proptest::collection::vec((0u8..5, 0usize..64, 0u32..64), 1..8),
        ) {
            let mut plan = crate::load::load_value(v).plan.expect("a generated plan loads");
            let opts = PlaceOptions::for_plan(&plan);
            let mut before = place(&plan, &opts);
            for pick in edits {
                let Some(e) = edit_of(&plan, pick) else { continue };
                let Ok(next) = apply(&plan, &e) else { continue };
                let kept = crate::placement::place_keeping(&next, &opts, &before);
                let fresh = place(&next, &opts);
                for after in [&kept, &fresh] {
                    proptest::prop_assert_eq!(diff(&before, after), diff_by_id(&before, after));
                    proptest::prop_assert_eq!(diff(after, &before), diff_by_id(after, &before));
                }
                plan = next;
                before = kept;
            }
        }
    }

    /// Ids that repeat (a task listed twice) take the diff by id.
    #[test]
    fn repeated_ids_are_matched_by_id() {
        let plan = crate::load::sample("two-az-web");
        let before = place(&plan, &PlaceOptions::default());
        assert!(unique_ids(&before));
        let mut twice = before.clone();
        let first = twice.tasks[0].clone();
        twice.tasks.push(first);
        assert!(!unique_ids(&twice));
        let mut shuffled = before.clone();
        shuffled.tasks.swap(0, 1);
        assert_eq!(diff(&before, &shuffled), diff_by_id(&before, &shuffled));
        assert_eq!(diff(&twice, &before), diff_by_id(&twice, &before));
        assert_eq!(diff(&before, &twice), diff_by_id(&before, &twice));
    }

    #[test]
    fn describe_names_a_few_tasks_and_counts_many() {
        let moved = |n: u32| TaskChange::Moved {
            task: format!("web-{n}"),
            from: "i-a".into(),
            to: "i-b".into(),
            afresh: false,
        };
        assert_eq!(describe(&[]), "no task moved");
        assert_eq!(
            describe(&[
                moved(2),
                TaskChange::Displaced {
                    task: "worker-3".into(),
                    from: "i-c".into()
                }
            ]),
            "web-2 moved from i-a to i-b; worker-3 could not be placed (was on i-c)"
        );
        assert_eq!(
            describe(&[moved(1), moved(2), moved(3), moved(4), moved(5)]),
            "5 tasks moved (web-1, web-2, web-3 and 2 more)"
        );
        assert_eq!(
            describe(&[
                TaskChange::New {
                    task: "web-5".into(),
                    to: Some("i-a".into())
                },
                TaskChange::New {
                    task: "web-6".into(),
                    to: None
                },
                TaskChange::Placed {
                    task: "worker-4".into(),
                    to: "i-b".into()
                },
                TaskChange::Removed {
                    task: "batch-1".into()
                },
            ]),
            "worker-4 placed on i-b; web-5 started on i-a; web-6 could not be placed; batch-1 stopped"
        );
    }
}
