//! A service's kept answer that none of its tasks can move to an emptier zone.
//!
//! A steady service whose zones are unbalanced but cannot be balanced (no instance of an
//! emptier zone has room for its tasks) is asked again ([`rebalance::may_move`]) at every change
//! of the placement, anywhere in the cluster: at ECS's quotas a third of a day's work was these
//! questions, each one the pipeline on every eligible instance of the emptier zones. The
//! answer depends only on the question ([`rebalance::Question`]: the service's specs and its
//! emptier zones) and on the instances asked, and an instance's verdict changes only when the
//! instance does (a task landed on it or left it, its status or attributes changed). So a
//! `false` answer is kept with the count of changes it was given at, and while the question
//! and the instances (none added or changed in status) are the same, only the instances that
//! changed since are asked ([`Placement::changed_since`]). A `true` answer is not kept: the
//! rebalancing trial follows it.

use crate::placement::{rebalance, InstanceIx, Placement, TaskIx};

/// A `false` answer of [`rebalance::may_move`] and what it was given with.
#[derive(Debug, Clone)]
pub(super) struct NoRoom {
    question: rebalance::Question,
    /// [`Placement::node_changes`] and the count of instances.
    nodes: (usize, usize),
    /// [`Placement::changes`] when it was given (or last confirmed).
    at: usize,
}

/// [`rebalance::may_move`]'s answer for `tasks` (one service's), asking only the instances
/// that changed since the `kept` answer to the same question, and keeping a `false` one.
pub(super) fn may_move(kept: &mut Option<NoRoom>, p: &Placement, tasks: &[TaskIx]) -> bool {
    let Some(question) = rebalance::question(p, tasks) else {
        return false;
    };
    let nodes = (p.node_changes(), p.cluster.nodes.len());
    let since = kept
        .as_ref()
        .filter(|k| k.nodes == nodes && k.question == question)
        .map(|k| k.at);
    // The instances changed since, when the placement can tell (else every instance).
    let changed = since.and_then(|at| p.changed_since(at)).map(|changed| {
        let mut nodes: Vec<InstanceIx> = changed.collect();
        nodes.sort_unstable();
        nodes.dedup();
        nodes
    });
    let room = match changed {
        Some(nodes) => rebalance::room_among(p, &question, &nodes),
        None => rebalance::room(p, &question),
    };
    *kept = (!room).then(|| NoRoom {
        question,
        nodes,
        at: p.changes(),
    });
    room
}

/// Whether the `kept` answer still holds for a service none of whose tasks changed since it
/// was given (so its question is the same while the instances are): the instances changed
/// since are asked, and a `false` answer is kept as of now. `false` when nothing is kept for
/// these instances or the placement cannot tell what changed: then ask [`may_move`].
pub(super) fn still_none(kept: &mut Option<NoRoom>, p: &Placement) -> bool {
    let Some(k) = kept.as_mut() else {
        return false;
    };
    if k.nodes != (p.node_changes(), p.cluster.nodes.len()) {
        return false;
    }
    let Some(changed) = p.changed_since(k.at) else {
        return false;
    };
    let mut nodes: Vec<InstanceIx> = changed.collect();
    nodes.sort_unstable();
    nodes.dedup();
    if rebalance::room_among(p, &k.question, &nodes) {
        *kept = None;
        return false;
    }
    k.at = p.changes();
    true
}

/// Whether a `false` answer is kept for `tasks`' question with the instances as they are
/// (given at some count of changes: [`still_none`] asks the instances changed since).
pub(super) fn kept_for(kept: &Option<NoRoom>, p: &Placement, tasks: &[TaskIx]) -> bool {
    kept.as_ref().is_some_and(|k| {
        k.nodes == (p.node_changes(), p.cluster.nodes.len())
            && rebalance::question(p, tasks).as_ref() == Some(&k.question)
    })
}

#[cfg(test)]
mod tests {
    use super::{may_move, NoRoom};
    use crate::placement::rebalance::tests::{of_service, unbalanced};
    use crate::placement::{rebalance, InstanceIx, Outcome, TaskIx};
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    use testkit::plans;

    /// On random plans placed, with some of each service's tasks stopped in one zone (so that
    /// zones are unbalanced), then changed step by step (a task stopped, or placed again, or an
    /// instance drained), every service's answer with its kept answer is the answer asked
    /// afresh, after every step; and kept answers were reused (else the fast path went
    /// untested).
    #[test]
    fn the_kept_answer_is_the_answer_asked_afresh() {
        let reused = std::cell::Cell::new(0usize);
        let steps = prop::collection::vec((0usize..10_000, 0u8..8), 1..24);
        let strategy = (plans::plan(), 0u64..1000, 0usize..6, 0usize..3, steps);
        let mut runner = TestRunner::new(Config {
            cases: 192,
            ..Config::default()
        });
        runner
            .run(&strategy, |(plan, seed, cut, zone, steps)| {
                let (plan, mut p) = unbalanced(plan, seed, cut, zone);
                p.keep_feasible();
                let mut kept: Vec<Option<NoRoom>> = vec![None; plan.services.len()];
                for (pick, what) in steps {
                    for (s, k) in kept.iter_mut().enumerate() {
                        let tasks = of_service(&p, s);
                        let nodes = (p.node_changes(), p.cluster.nodes.len());
                        let question = rebalance::question(&p, &tasks);
                        let reusable = k.as_ref().is_some_and(|k| {
                            k.nodes == nodes && question.as_ref() == Some(&k.question)
                        });
                        let answer = may_move(k, &p, &tasks);
                        prop_assert_eq!(answer, rebalance::may_move(&p, &tasks), "service {}", s);
                        reused.set(reused.get() + usize::from(reusable));
                    }
                    if p.tasks.is_empty() {
                        break;
                    }
                    let t = TaskIx::new(pick % p.tasks.len());
                    match (what, &p.tasks[t].outcome) {
                        (0, _) if !p.cluster.nodes.is_empty() => {
                            let n = InstanceIx::new(pick % p.cluster.nodes.len());
                            p.drain_node(n);
                        }
                        (_, Outcome::Placed { .. }) => p.stop(t),
                        _ => {
                            p.stop(t);
                            p.place_tasks(&[t]);
                        }
                    }
                }
                Ok(())
            })
            .expect("the kept answers are the answers asked afresh");
        assert!(reused.get() > 0, "no kept answer was reused");
    }
}
