//! The undo history: the states before and after the current one, each kept small.
//!
//! A state is a plan, where it came from, and its placement, which depends on the states
//! before it (after an edit running tasks stay where they are). Whole copies of each cost
//! ~14 MB of the page's memory per step with a cluster at ECS's quotas (5 000 instances,
//! 50 000 tasks), so:
//! - a plan is kept as what differs from its neighbour towards the current state
//!   ([`PlanDelta`]: a few entries per edit);
//! - a placement is kept only for the steps next to the current one, the oldest step, and a
//!   checkpoint every few steps; the others are placed again when undo reaches them, from the
//!   nearest kept one before, the way they were made ([`Made`]). Placement is deterministic,
//!   so this gives back exactly the placement the step had. Small plans keep every placement
//!   (see [`KEPT_WEIGHT`]).

use std::sync::Arc;

use engine::api::edit::PlanDelta;
use engine::api::placement::{place, place_afresh, place_keeping, PlaceOptions, Placement};
use engine::api::plan::Plan;

use crate::store::{Origin, Placed};

/// How many steps undo keeps.
const HISTORY_LIMIT: usize = 100;

/// How much placement the history keeps, in tasks and instances (a quota plan's placement is
/// ~55 000, ~11 MB of the page's memory): past this, only every so many steps keeps one.
const KEPT_WEIGHT: usize = 300_000;

/// How a state's placement was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Made {
    /// A plan opened: from the tasks it records as running, else afresh.
    #[default]
    Opened,
    /// Every task placed afresh, as on a new cluster.
    Afresh,
    /// After an edit, from the state before it: running tasks stay where they are.
    Kept,
}

impl Made {
    /// The placement of `plan` made this way (`before`: the placement of the state before,
    /// which [`Made::Kept`] starts from; without it, as opened).
    pub fn place(self, plan: &Plan, before: Option<&Placement>) -> Placed {
        let opts = PlaceOptions::for_plan(plan);
        Placed(Arc::new(match (self, before) {
            (Made::Afresh, _) => place_afresh(plan, &opts),
            (Made::Kept, Some(before)) => place_keeping(plan, &opts, before),
            (Made::Opened, _) | (Made::Kept, None) => place(plan, &opts),
        }))
    }

    /// Whether it needs the state before it.
    fn kept(self) -> bool {
        self == Made::Kept
    }
}

/// A state undo or redo returns to.
#[derive(Debug, Clone, PartialEq)]
struct Step {
    /// Its plan, as what differs from the plan of its neighbour towards the current state.
    plan: PlanDelta,
    origin: Origin,
    made: Made,
    /// Its placement, when kept.
    placed: Option<Placed>,
    /// How many states came before it (checkpoints are chosen by it).
    serial: u64,
    /// What the change from this state was, e.g. "added 1 × m5.large in us-east-1a".
    what: String,
}

/// The states before and after the current one, each with what the change was, so that undo
/// and redo can say what they will do.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// Oldest first; each plan against the next one (the last against the current plan).
    past: Vec<Step>,
    /// The next redo last; each plan against the one after it (the last against the current).
    future: Vec<Step>,
    /// How the current state's placement was made, and its number.
    made: Made,
    serial: u64,
    /// [`KEPT_WEIGHT`] unless a test sets it.
    kept_weight: Option<usize>,
}

/// A state undo or redo brings back.
pub struct Back {
    pub plan: Plan,
    pub origin: Origin,
    pub placed: Placed,
    /// What the change undone or redone was.
    pub what: String,
}

impl History {
    /// What undo would revert, e.g. "opened Fargate with a Spot share".
    pub fn undo_label(&self) -> Option<&str> {
        self.past.last().map(|s| s.what.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.future.last().map(|s| s.what.as_str())
    }

    /// How many placements it keeps.
    #[cfg(test)]
    pub fn placements_kept(&self) -> usize {
        self.past
            .iter()
            .chain(&self.future)
            .filter(|s| s.placed.is_some())
            .count()
    }

    /// A new history whose current state's placement was made so.
    pub fn starting(made: Made) -> History {
        History {
            made,
            ..History::default()
        }
    }

    /// Records a change from the current state (`plan`, `origin`, `placed`) to `next`, whose
    /// placement is made `made`: the current state goes on the undo stack and redo is cleared.
    pub fn push(
        &mut self,
        (plan, origin, placed): (&Plan, Origin, Placed),
        next: &Plan,
        made: Made,
        what: String,
    ) {
        self.past.push(Step {
            plan: PlanDelta::between(plan, next),
            origin,
            made: self.made,
            placed: Some(placed),
            serial: self.serial,
            what,
        });
        if self.past.len() > HISTORY_LIMIT {
            self.past.remove(0);
            // The new oldest step needs the one before to be placed again: the steps up to
            // the next kept placement go too (at most the checkpoint spacing).
            while self.past.len() > 1 && self.past[0].placed.is_none() && self.past[0].made.kept() {
                self.past.remove(0);
            }
        }
        self.future.clear();
        self.made = made;
        self.serial += 1;
        self.thin();
    }

    /// Undo (`back`) or redo one change from the current state: the state it brings back, or
    /// `None` when there is nothing to undo or redo.
    pub fn step(
        &mut self,
        back: bool,
        (plan, origin, placed): (&Plan, Origin, Placed),
    ) -> Option<Back> {
        let to_plan = if back {
            self.past.last()?.plan.restore(plan)
        } else {
            self.future.last()?.plan.restore(plan)
        };
        let to_placed = if back {
            self.past_placement(&to_plan)
        } else {
            let s = self.future.last()?;
            s.placed
                .clone()
                .unwrap_or_else(|| s.made.place(&to_plan, Some(&placed.0)))
        };
        let s = if back {
            self.past.pop()
        } else {
            self.future.pop()
        }?;
        let current = Step {
            plan: PlanDelta::between(plan, &to_plan),
            origin,
            made: self.made,
            placed: Some(placed),
            serial: self.serial,
            what: s.what.clone(),
        };
        if back {
            self.future.push(current);
        } else {
            self.past.push(current);
        }
        self.made = s.made;
        self.serial = s.serial;
        self.thin();
        Some(Back {
            plan: to_plan,
            origin: s.origin,
            placed: to_placed,
            what: s.what,
        })
    }

    /// The placement of the last past state (whose plan is `last`): kept, or placed again
    /// from the nearest kept one before it.
    fn past_placement(&mut self, last: &Plan) -> Placed {
        let n = self.past.len() - 1;
        if let Some(p) = &self.past[n].placed {
            return p.clone();
        }
        // The plans back to the nearest step with a placement or made without one before.
        let mut plans = vec![last.clone()];
        let mut from = n;
        while self.past[from].placed.is_none() && self.past[from].made.kept() && from > 0 {
            from -= 1;
            let newer = plans.last().expect("one plan at least");
            plans.push(self.past[from].plan.restore(newer));
        }
        plans.reverse();
        let mut placed: Option<Placed> = None;
        for (k, p) in (from..=n).zip(&plans) {
            let s = &self.past[k];
            // The oldest step keeps its placement (see `thin`), so `placed` is `None` only
            // for a step made without the state before.
            let this = match &s.placed {
                Some(kept) => kept.clone(),
                None => s.made.place(p, placed.as_ref().map(|b| &*b.0)),
            };
            self.past[k].placed = Some(this.clone());
            placed = Some(this);
        }
        placed.expect("one step at least")
    }

    /// Drops the placements the history need not keep: it keeps those of the steps next to
    /// the current one and of the oldest step, and of every `k`th step (by serial), `k` the
    /// smallest power of two that keeps the total under [`KEPT_WEIGHT`].
    fn thin(&mut self) {
        let weight = self
            .past
            .iter()
            .chain(&self.future)
            .filter_map(|s| s.placed.as_ref())
            .map(|p| p.0.tasks.len() + p.0.cluster.nodes.len())
            .max()
            .unwrap_or(0)
            .max(1);
        let mut k: u64 = 1;
        let budget = self.kept_weight.unwrap_or(KEPT_WEIGHT) as u64;
        while (self.past.len() as u64).div_ceil(k) * weight as u64 > budget && k < 1 << 20 {
            k *= 2;
        }
        let last = self.past.len().saturating_sub(1);
        for (i, s) in self.past.iter_mut().enumerate() {
            if i != 0 && i != last && s.serial % k != 0 {
                s.placed = None;
            }
        }
        // Redo places again from the current state: only the next redo keeps its placement.
        let next = self.future.len().saturating_sub(1);
        for (i, s) in self.future.iter_mut().enumerate() {
            if i != next && k > 1 {
                s.placed = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::api::board::board;
    use engine::api::edit::{apply, Edit};

    /// What a user sees of a placement (the board) and what explanations replay (the tasks
    /// and every event, in order).
    fn seen(plan: &Plan, p: &Placed) -> String {
        format!("{:?} {:?} {:?}", board(plan, &p.0), p.0.tasks, p.0.events)
    }

    /// A run of edits (instance edits, counts, Place afresh), as the board makes them.
    fn edits(plan: &Plan) -> Vec<Option<Edit>> {
        let ids: Vec<String> = plan
            .cluster
            .container_instances
            .iter()
            .map(|c| c.id.clone())
            .collect();
        let svc = plan.services[0].service_name.clone();
        vec![
            Some(Edit::SetDraining {
                id: ids[0].clone(),
                draining: true,
            }),
            Some(Edit::AddInstances {
                instance_type: "m5.large".into(),
                availability_zone: "us-east-1b".into(),
                count: 1,
                capacity_provider: None,
            }),
            Some(Edit::SetDesiredCount {
                service: svc.clone(),
                desired_count: 9,
            }),
            None,
            Some(Edit::MoveInstance {
                id: ids[1].clone(),
                availability_zone: "us-east-1b".into(),
            }),
            Some(Edit::SetDraining {
                id: ids[0].clone(),
                draining: false,
            }),
            Some(Edit::RemoveInstance { id: ids[2].clone() }),
            Some(Edit::SetDesiredCount {
                service: svc.clone(),
                desired_count: 3,
            }),
            Some(Edit::LoseZone {
                availability_zone: "us-east-1b".into(),
            }),
            None,
            Some(Edit::SetDesiredCount {
                service: svc,
                desired_count: 5,
            }),
        ]
    }

    /// Edits with whole copies as the reference, then undo to the start and redo to the end:
    /// every state comes back exactly, whether its placement was kept or placed again.
    fn round_trip(kept_weight: Option<usize>) -> usize {
        let text = include_str!("../../public/plans/two-az-web.json");
        let plan = engine::api::plan::load(text).plan.unwrap();
        let mut h = History {
            kept_weight,
            ..History::starting(Made::Opened)
        };
        let mut now = (plan.clone(), Made::Opened.place(&plan, None));
        let mut states = vec![seen(&now.0, &now.1)];
        for (i, e) in edits(&plan).into_iter().enumerate() {
            let (next, made) = match &e {
                Some(e) => (apply(&now.0, e).unwrap(), Made::Kept),
                None => (now.0.clone(), Made::Afresh),
            };
            let placed = made.place(&next, Some(&now.1 .0));
            h.push(
                (&now.0, Origin::Default, now.1.clone()),
                &next,
                made,
                format!("edit {i}"),
            );
            now = (next, placed);
            states.push(seen(&now.0, &now.1));
        }
        let kept = h.placements_kept();
        for want in states.iter().rev().skip(1) {
            let b = h
                .step(true, (&now.0, Origin::Default, now.1.clone()))
                .expect("an undo");
            now = (b.plan, b.placed);
            assert_eq!(&seen(&now.0, &now.1), want);
        }
        assert!(h
            .step(true, (&now.0, Origin::Default, now.1.clone()))
            .is_none());
        for want in states.iter().skip(1) {
            let b = h
                .step(false, (&now.0, Origin::Default, now.1.clone()))
                .expect("a redo");
            now = (b.plan, b.placed);
            assert_eq!(&seen(&now.0, &now.1), want);
        }
        assert!(h
            .step(false, (&now.0, Origin::Default, now.1.clone()))
            .is_none());
        kept
    }

    #[test]
    fn a_small_plan_keeps_every_placement() {
        assert_eq!(round_trip(None), 11);
    }

    #[test]
    fn undo_and_redo_give_back_placements_placed_again_exactly() {
        // A budget of two placements of this plan: only checkpoints and the neighbours keep
        // theirs; the others are placed again from the nearest kept one.
        let kept = round_trip(Some(30));
        assert!(kept < 6, "{kept} placements kept");
    }
}
