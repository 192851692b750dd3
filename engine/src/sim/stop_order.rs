//! The scheduler's stops in a row: when one decision stops many tasks of a service (a
//! rolling deployment replacing thousands, a scale-in by hundreds), each choice is the one
//! [`service::pick_to_stop`] makes over the candidates left, without a pass over all of
//! them and over every instance per stop.
//!
//! The order is kept per launch target ([`StopQueue`] ranks an EC2 target's tasks by their
//! stop keys; on Fargate the newest goes first); the capacity provider counts that say which
//! target loses the next task are kept as tasks stop. Valid within one decision: between two
//! stops the only change to the service's tasks and to the placement is the stop itself.

use super::service;
use super::world::{TaskId, World};
use crate::placement::providers::split_order;
use crate::placement::scale_in::StopQueue;
use crate::placement::tasks::ScaleInTargets;
use crate::placement::{Launch, Outcome, SpecIx, TaskIx};
use std::collections::{BTreeSet, HashMap};

/// The candidates of one decision and their stop order.
pub(super) struct StopOrder {
    cands: Vec<TaskId>,
    gone: Vec<bool>,
    left: usize,
    /// Position in `cands` of each candidate's placement task.
    pos_of: HashMap<TaskIx, usize>,
    /// Positions of the candidates not placed (they go first), in order.
    unplaced: Vec<usize>,
    next_unplaced: usize,
    /// Several launch targets (capacity providers): their items; `None` when one target
    /// holds every candidate.
    items: Option<ScaleInTargets>,
    target_of: Vec<Option<usize>>,
    /// Positions of each target's candidates, in order, and the first not stopped.
    members: Vec<Vec<usize>>,
    first: Vec<usize>,
    counts: Vec<u32>,
    /// The strategy's split, task by task, and its counts for `keep_n` tasks.
    split: Vec<usize>,
    keep: Vec<u32>,
    keep_n: usize,
    queues: Vec<Option<(SpecIx, Queue)>>,
}

enum Queue {
    Keys(Box<StopQueue>),
    /// Fargate: the newest placement task first.
    Newest(BTreeSet<TaskIx>),
}

impl StopOrder {
    /// The order of `cands`, tasks of service `s` (as [`service::pick_to_stop`] takes them).
    pub(super) fn new(w: &World, s: usize, cands: Vec<TaskId>) -> StopOrder {
        let p = &w.placement;
        let targets = p.scale_in_targets(w.plan, w.services[s].index);
        let several = targets.len() >= 2;
        let target_of: Vec<Option<usize>> = cands
            .iter()
            .map(|t| {
                if several {
                    targets.target_of(p, w.task(*t).ptask)
                } else {
                    Some(0)
                }
            })
            .collect();
        let n_targets = if several { targets.len() } else { 1 };
        let mut members = vec![Vec::new(); n_targets];
        let mut counts = vec![0u32; n_targets];
        for (pos, k) in target_of.iter().enumerate() {
            if let Some(k) = k {
                members[*k].push(pos);
                counts[*k] += 1;
            }
        }
        let (split, keep, keep_n) = if several {
            let total: u32 = counts.iter().sum();
            let split = split_order(&targets.items, total);
            let mut keep = vec![0u32; n_targets];
            for &k in &split {
                keep[k] += 1;
            }
            let n = split.len();
            (split, keep, n)
        } else {
            (Vec::new(), Vec::new(), 0)
        };
        StopOrder {
            gone: vec![false; cands.len()],
            left: cands.len(),
            pos_of: cands
                .iter()
                .enumerate()
                .map(|(i, t)| (w.task(*t).ptask, i))
                .collect(),
            unplaced: cands
                .iter()
                .enumerate()
                .filter(|(_, t)| matches!(w.placed(**t).outcome, Outcome::Unplaced { .. }))
                .map(|(i, _)| i)
                .collect(),
            next_unplaced: 0,
            items: several.then_some(targets),
            target_of,
            first: vec![0; n_targets],
            queues: (0..n_targets).map(|_| None).collect(),
            members,
            counts,
            split,
            keep,
            keep_n,
            cands,
        }
    }

    /// The strategy's counts for a service of `n` tasks (n only decreases).
    fn keep_for(&mut self, n: usize) -> &[u32] {
        while self.keep_n > n {
            self.keep_n -= 1;
            self.keep[self.split[self.keep_n]] -= 1;
        }
        &self.keep
    }

    /// The task the scheduler stops next among the candidates left.
    pub(super) fn pick(&mut self, w: &World) -> Option<TaskId> {
        while let Some(&pos) = self.unplaced.get(self.next_unplaced) {
            if !self.gone[pos] {
                return Some(self.cands[pos]);
            }
            self.next_unplaced += 1;
        }
        if self.left == 0 {
            return None;
        }
        let k = if self.items.is_some() {
            let total: u32 = self.counts.iter().sum();
            let counts = self.counts.clone();
            let keep = self.keep_for(total.saturating_sub(1) as usize);
            ScaleInTargets::choose(&counts, keep)
        } else {
            (self.counts[0] > 0).then_some(0)
        };
        let Some(k) = k else {
            // Only candidates on no target of the strategy (AWS's split has nothing to say):
            // the scan decides.
            let left: Vec<TaskId> = (0..self.cands.len())
                .filter(|i| !self.gone[*i])
                .map(|i| self.cands[i])
                .collect();
            return service::pick_to_stop(w, &left);
        };
        while self.gone[self.members[k][self.first[k]]] {
            self.first[k] += 1;
        }
        let p = &w.placement;
        let spec = w
            .ptask(w.task(self.cands[self.members[k][self.first[k]]]).ptask)
            .spec;
        if self.queues[k].as_ref().is_none_or(|(s, _)| *s != spec) {
            let ptasks: Vec<TaskIx> = self.members[k][self.first[k]..]
                .iter()
                .filter(|pos| !self.gone[**pos])
                .map(|pos| w.task(self.cands[*pos]).ptask)
                .collect();
            let q = if matches!(p.specs[spec].launch, Launch::Fargate { .. }) {
                Queue::Newest(ptasks.into_iter().collect())
            } else {
                Queue::Keys(Box::new(StopQueue::new(p, spec, &ptasks)))
            };
            self.queues[k] = Some((spec, q));
        }
        let pt = match &self.queues[k] {
            Some((_, Queue::Keys(q))) => q.next(p)?,
            Some((_, Queue::Newest(s))) => *s.last()?,
            None => return None,
        };
        self.pos_of.get(&pt).map(|pos| self.cands[*pos])
    }

    /// Stops candidate `t` (as [`World::stop_task`]) and updates the order.
    pub(super) fn stop(&mut self, w: &mut World, t: TaskId, why: &str) {
        let pt = w.task(t).ptask;
        let before = match w.ptask(pt).outcome {
            Outcome::Placed { node } => Some(node),
            _ => None,
        };
        w.stop_task(t, why);
        let released = before.filter(|_| !matches!(w.ptask(pt).outcome, Outcome::Placed { .. }));
        if let Some(&pos) = self.pos_of.get(&pt) {
            if !self.gone[pos] {
                self.gone[pos] = true;
                self.left -= 1;
                if let Some(k) = self.target_of[pos] {
                    self.counts[k] -= 1;
                }
            }
        }
        for (_, q) in self.queues.iter_mut().flatten() {
            match q {
                Queue::Keys(q) => q.stopped(&w.placement, pt, released),
                Queue::Newest(s) => {
                    s.remove(&pt);
                }
            }
        }
    }
}
