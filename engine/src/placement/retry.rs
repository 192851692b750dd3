//! Placing tasks that wait, again and again: the simulator tries its waiting tasks each time it
//! looks at its services. A task that fails again on a cluster that has not changed since its
//! last attempt adds no event (its explanation would be the same), so tasks waiting for
//! capacity in a long simulation do not grow the event list.
//!
//! The caller keeps the [`Attempts`] (when each task was last tried) and passes them to
//! [`Placement::place_tasks_with`] and [`Placement::place_on_with`]; a placement itself records
//! every decision.

use super::{Event, InstanceIx, Outcome, Placement, TaskIx};
use std::collections::{HashMap, HashSet};

/// Per task tried and not placed: [`Placement::changes`] at its last attempt.
#[derive(Debug, Clone, Default)]
pub struct Attempts(HashMap<TaskIx, usize>);

impl Attempts {
    /// The attempts `p` has made so far. In a placement made by [`super::place`] every change
    /// is an event (a task landed or left), so a task's count of changes at its last attempt is
    /// the number of those events before it.
    pub fn of(p: &Placement) -> Attempts {
        let mut a = Attempts::default();
        let mut changes = 0;
        for e in &p.events {
            match *e {
                Event::Place { node: Some(_), .. } | Event::Remove { .. } => changes += 1,
                Event::Place { task, node: None } => {
                    a.0.insert(task, changes);
                }
            }
        }
        debug_assert_eq!(
            changes,
            p.changes(),
            "every change of the placement is an event"
        );
        a
    }
}

impl Placement {
    /// [`Placement::place_tasks`], for a caller that tries waiting tasks again: a task that
    /// fails again on a cluster unchanged since its last attempt adds no event.
    pub fn place_tasks_with(&mut self, tasks: &[TaskIx], attempts: &mut Attempts) {
        let from = (self.events.len(), self.changes());
        let waiting = self.waiting(tasks);
        self.place_tasks(tasks);
        self.drop_repeats(from, waiting, attempts);
    }

    /// [`Placement::place_on`], for a caller that tries a waiting daemon task again: a task
    /// that fails again on a cluster unchanged since its last attempt adds no event.
    pub fn place_on_with(&mut self, t: TaskIx, node: InstanceIx, attempts: &mut Attempts) -> bool {
        let from = (self.events.len(), self.changes());
        let waiting = self.waiting(&[t]);
        let ok = self.place_on(t, node);
        self.drop_repeats(from, waiting, attempts);
        ok
    }

    /// The tasks of `tasks` that are waiting (not placed) now.
    fn waiting(&self, tasks: &[TaskIx]) -> HashSet<TaskIx> {
        tasks
            .iter()
            .copied()
            .filter(|&t| matches!(self.tasks[t].outcome, Outcome::Unplaced { .. }))
            .collect()
    }

    /// Goes over the events recorded since `from` (the event count and the count of changes
    /// then), in order: a failed attempt of a task that was waiting, on a cluster unchanged since
    /// its last attempt, is dropped; every failed attempt is noted in `attempts`. Between two
    /// events the cluster changes only through events (nothing else happens while tasks are
    /// placed), so counting them gives the count of changes at each.
    fn drop_repeats(
        &mut self,
        (from, mut changes): (usize, usize),
        mut waiting: HashSet<TaskIx>,
        attempts: &mut Attempts,
    ) {
        let recorded = self.events.split_off(from);
        for e in recorded {
            match e {
                Event::Place {
                    task,
                    node: Some(_),
                } => {
                    changes += 1;
                    waiting.remove(&task);
                }
                Event::Remove { task, .. } => {
                    changes += 1;
                    waiting.remove(&task);
                }
                Event::Place { task, node: None } => {
                    let again = !waiting.insert(task) && attempts.0.get(&task) == Some(&changes);
                    attempts.0.insert(task, changes);
                    if again {
                        continue;
                    }
                }
            }
            self.events.push(e);
        }
        debug_assert_eq!(
            changes,
            self.changes(),
            "every change while placing is an event"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{plan, td};
    use super::super::{place, PlaceOptions};
    use super::*;
    use serde_json::json;

    /// One m5.large (2048 CPU units): `web` (1024 CPU) fits twice, the third task waits.
    fn waiting_third() -> (Placement, TaskIx) {
        let pl = plan(
            &[("i-1", "m5.large", "a")],
            json!([td("web", 1024, 512)]),
            json!([{"serviceName": "web", "taskDefinition": "web", "desiredCount": 3}]),
        );
        let p = place(&pl, &PlaceOptions::default());
        let third = p.task_index("web-3").unwrap();
        assert!(matches!(p.tasks[third].outcome, Outcome::Unplaced { .. }));
        (p, third)
    }

    #[test]
    fn a_retry_on_an_unchanged_cluster_adds_no_event() {
        let (mut p, third) = waiting_third();
        let mut attempts = Attempts::of(&p);
        let before = p.events.len();
        // The placement already tried it on this cluster: nothing new to explain.
        for _ in 0..5 {
            p.place_tasks_with(&[third], &mut attempts);
        }
        assert_eq!(p.events.len(), before);
        // A task left: the next attempt is a new decision, recorded once.
        p.stop(p.task_index("web-1").unwrap());
        let stopped = p.events.len();
        p.place_tasks_with(&[third], &mut attempts);
        assert_eq!(p.events.len(), stopped + 1);
        assert!(matches!(p.tasks[third].outcome, Outcome::Placed { .. }));
    }

    #[test]
    fn a_failure_after_the_cluster_changed_is_recorded() {
        let (mut p, third) = waiting_third();
        let mut attempts = Attempts::of(&p);
        // The instance drains: the cluster changed, so the failure is a new one (and the
        // reasons replayed at it say DRAINING).
        p.drain_node(InstanceIx(0));
        let before = p.events.len();
        p.place_tasks_with(&[third], &mut attempts);
        p.place_tasks_with(&[third], &mut attempts);
        assert_eq!(p.events.len(), before + 1);
        assert!(p.unplaced_reasons(third)[0].contains("DRAINING"));
    }

    #[test]
    fn without_attempts_every_decision_is_recorded() {
        let (mut p, third) = waiting_third();
        let before = p.events.len();
        p.place_tasks(&[third]);
        p.place_tasks(&[third]);
        assert_eq!(p.events.len(), before + 2);
    }

    #[test]
    fn a_daemon_retry_on_its_instance_follows_the_same_rule() {
        let (mut p, third) = waiting_third();
        let mut attempts = Attempts::of(&p);
        let before = p.events.len();
        assert!(!p.place_on_with(third, InstanceIx(0), &mut attempts));
        assert_eq!(p.events.len(), before);
    }
}
