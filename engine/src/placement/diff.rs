//! What changed between two placements of (almost) the same plan, so the board can highlight
//! tasks that moved, appeared, lost their place or disappeared after an edit.
//!
//! Tasks are matched by id (`web-3`). When the placement after the edit was computed from
//! scratch ([`place`](super::place)), a move whose old instance is still usable is marked
//! `afresh`: ECS does not move running tasks to rebalance. After
//! [`place_keeping`](super::place_keeping) no move is.

use super::{Outcome, Placement};
use serde::Serialize;
use std::collections::HashMap;
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
pub fn diff(before: &Placement, after: &Placement) -> Vec<TaskChange> {
    let key = |t: &super::Task| (t.name.clone(), t.ordinal);
    let old: HashMap<(std::sync::Arc<str>, u32), (Loc, &super::Task)> = before
        .tasks
        .iter()
        .map(|t| (key(t), (Loc::of(before, &t.outcome), t)))
        .collect();
    // Instances of `after` by id: (schedulable, zone).
    let nodes: HashMap<&str, (bool, &str)> = after
        .cluster
        .nodes
        .iter()
        .map(|n| {
            (
                n.id.as_str(),
                (n.schedulable(), n.availability_zone.as_str()),
            )
        })
        .collect();
    let zone_before: HashMap<&str, &str> = before
        .cluster
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.availability_zone.as_str()))
        .collect();
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::with_capacity(after.tasks.len());
    for t in &after.tasks {
        let k = key(t);
        let now = Loc::of(after, &t.outcome);
        let (was, prev) = match old.get(&k) {
            Some((loc, task)) => (Some(*loc), Some(*task)),
            None => (None, None),
        };
        seen.insert(k);
        match (was, now) {
            (None, now) => out.push(TaskChange::New {
                task: t.id(),
                to: now.text(),
            }),
            (Some(a), b) if a == b => {}
            (Some(Loc::Nowhere), b) => out.push(TaskChange::Placed {
                task: t.id(),
                to: b.text().unwrap_or_default(),
            }),
            (Some(a), Loc::Nowhere) => out.push(TaskChange::Displaced {
                task: t.id(),
                from: a.text().unwrap_or_default(),
            }),
            (Some(a), b) => {
                let same_task =
                    prev.is_some_and(|p| p.family == t.family && p.revision == t.revision);
                let still_there = match a {
                    Loc::Node(id) => nodes.get(id).is_some_and(|(ok, az)| {
                        *ok && zone_before.get(id).is_some_and(|z| z == az)
                    }),
                    _ => false,
                };
                out.push(TaskChange::Moved {
                    task: t.id(),
                    from: a.text().unwrap_or_default(),
                    to: b.text().unwrap_or_default(),
                    // After `place_keeping` every move is one ECS makes (a new deployment).
                    afresh: !after.keeps_running && same_task && still_there,
                })
            }
        }
    }
    for t in &before.tasks {
        if !seen.contains(&key(t)) {
            out.push(TaskChange::Removed { task: t.id() });
        }
    }
    out
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
