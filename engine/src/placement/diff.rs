//! What changed between two placements of (almost) the same plan, so the board can highlight
//! tasks that moved, appeared, lost their place or disappeared after an edit.
//!
//! Placement is recomputed from scratch after every edit (that is what ECS would do for a new
//! cluster); tasks are matched by id (`web-3`).

use super::{Outcome, Placement};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "change")]
pub enum TaskChange {
    /// On another instance (or zone, for Fargate) than before.
    Moved {
        task: String,
        from: String,
        to: String,
    },
    /// A task that did not exist before.
    New { task: String },
    /// Placed before, not placed now.
    Displaced { task: String, from: String },
    /// Not placed before, placed now.
    Placed { task: String, to: String },
    /// Existed before, gone now (desired count lowered, service removed).
    Removed { task: String },
}

impl TaskChange {
    pub fn task(&self) -> &str {
        match self {
            TaskChange::Moved { task, .. }
            | TaskChange::New { task }
            | TaskChange::Displaced { task, .. }
            | TaskChange::Placed { task, .. }
            | TaskChange::Removed { task } => task,
        }
    }
}

fn location(p: &Placement, o: &Outcome) -> Option<String> {
    match o {
        Outcome::Placed { node } => Some(p.cluster.nodes[*node].id.clone()),
        Outcome::Fargate { availability_zone } => Some(format!("Fargate {availability_zone}")),
        _ => None,
    }
}

/// The changes from `before` to `after`, in `after`'s task order, then removed tasks.
pub fn diff(before: &Placement, after: &Placement) -> Vec<TaskChange> {
    let old: HashMap<String, Option<String>> = before
        .tasks
        .iter()
        .map(|t| (t.id(), location(before, &t.outcome)))
        .collect();
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for t in &after.tasks {
        let id = t.id();
        let now = location(after, &t.outcome);
        seen.insert(id.clone());
        match (old.get(&id), now) {
            (None, _) => out.push(TaskChange::New { task: id }),
            (Some(Some(a)), Some(b)) if *a != b => out.push(TaskChange::Moved {
                task: id,
                from: a.clone(),
                to: b,
            }),
            (Some(Some(a)), None) => out.push(TaskChange::Displaced {
                task: id,
                from: a.clone(),
            }),
            (Some(None), Some(b)) => out.push(TaskChange::Placed { task: id, to: b }),
            _ => {}
        }
    }
    for t in &before.tasks {
        let id = t.id();
        if !seen.contains(&id) {
            out.push(TaskChange::Removed { task: id });
        }
    }
    out
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
        let plan = crate::plan::load(&text).plan.unwrap();
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
            more.contains(&TaskChange::New {
                task: "web-5".into()
            }),
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
}
