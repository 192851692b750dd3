//! Which instances run a task that is not a daemon's: what the capacity providers ask of
//! every instance each minute (the reservation's busy instances, managed termination
//! protection, managed draining done). Looking through every instance's tasks each minute was
//! 6.9 % of a day of the quota plan, though most of its 5 000 instances do not change from one
//! minute to the next: an instance's answer is kept with the placement's count of changes and
//! computed again only when the instance changed since ([`Placement::changed_at`]).
//!
//! [`Placement::changed_at`]: crate::placement::Placement::changed_at

use super::world::World;
use crate::placement::{InstanceIx, Source, TaskIx};
use crate::plan::SchedulingStrategy;
use std::cell::RefCell;

/// Whether placement task `ptask` is a daemon service's (the simulator's facts of the plan's
/// service `index` are its `index`-th: read there, not in the plan's larger records).
pub(super) fn is_daemon(w: &World, ptask: TaskIx) -> bool {
    match w.ptask(ptask).source {
        Source::Service { index, .. } => match w.services.get(index) {
            Some(f) if f.index == index => f.daemon,
            _ => w.plan.services[index].scheduling_strategy == Some(SchedulingStrategy::Daemon),
        },
        Source::Run { .. } => false,
    }
}

/// Whether a task that is not a daemon task runs (or is starting or stopping) on the node:
/// the plain answer, from its tasks.
pub(super) fn has_non_daemon_tasks(w: &World, node: InstanceIx) -> bool {
    w.placement.state.usage[node]
        .tasks
        .iter()
        .any(|t| !is_daemon(w, *t))
}

/// The answers of [`has_non_daemon_tasks`] kept per instance. A copy keeps none (it may
/// answer for another placement).
#[derive(Debug, Default)]
pub(super) struct Busy {
    /// Answer every question plainly (what tests compare with).
    plain: bool,
    /// Per instance, the placement's count of changes when its answer was computed, and the
    /// answer; `None` never computed.
    kept: RefCell<Vec<Option<(usize, bool)>>>,
}

impl Clone for Busy {
    fn clone(&self) -> Busy {
        Busy {
            plain: self.plain,
            ..Busy::default()
        }
    }
}

impl Busy {
    /// Keeps no answer: every question is answered from the instance's tasks.
    #[cfg(test)]
    pub(super) fn plain() -> Busy {
        Busy {
            plain: true,
            ..Busy::default()
        }
    }

    /// [`has_non_daemon_tasks`], from the kept answer when the instance has not changed since
    /// it was computed.
    pub(super) fn has_non_daemon_tasks(&self, w: &World, node: InstanceIx) -> bool {
        self.asking(w).has_non_daemon_tasks(node)
    }

    /// Asks about many instances with one borrow of the kept answers (the minute's pass over
    /// every instance).
    pub(super) fn asking<'a>(&'a self, w: &'a World) -> Asking<'a> {
        let mut kept = self.kept.borrow_mut();
        let nodes = w.placement.cluster.nodes.len();
        if kept.len() < nodes {
            kept.resize(nodes, None);
        }
        Asking {
            w,
            plain: self.plain,
            changes: w.placement.changes(),
            kept,
        }
    }
}

/// [`Busy::has_non_daemon_tasks`] for many instances, the kept answers borrowed once.
pub(super) struct Asking<'a> {
    w: &'a World<'a>,
    plain: bool,
    changes: usize,
    kept: std::cell::RefMut<'a, Vec<Option<(usize, bool)>>>,
}

impl Asking<'_> {
    /// [`has_non_daemon_tasks`], from the kept answer when the instance has not changed since
    /// it was computed.
    pub(super) fn has_non_daemon_tasks(&mut self, node: InstanceIx) -> bool {
        let w = self.w;
        let Some(stamp) = w.placement.changed_at(node).filter(|_| !self.plain) else {
            return has_non_daemon_tasks(w, node);
        };
        let i = node.at();
        if self.kept.len() <= i {
            self.kept.resize(i + 1, None);
        }
        match self.kept[i] {
            Some((at, answer)) if stamp <= at => answer,
            _ => {
                let answer = has_non_daemon_tasks(w, node);
                self.kept[i] = Some((self.changes, answer));
                answer
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{has_non_daemon_tasks, Busy};
    use crate::load::{load_value, sample};
    use crate::placement::{InstanceIx, PlaceOptions};
    use crate::plan::Plan;
    use crate::sim::run::Sim;
    use testkit::quota::Quota;

    fn quota(scale: f64, seed: u64) -> Plan {
        load_value(Quota::scaled(scale).seed(seed).plan())
            .plan
            .expect("the quota plan loads")
    }

    /// Minute by minute through `secs` seconds of `plan`, every instance's kept answer is the
    /// plain one; returns how many answers were asked.
    fn kept_answers_are_plain(plan: &Plan, secs: u32) -> usize {
        let mut sim = Sim::over_time(plan, secs, &PlaceOptions::for_plan(plan));
        let mut asked = 0;
        for t in (0..=secs).step_by(60) {
            sim.run_until(t);
            let w = &sim.world;
            for i in 0..w.placement.cluster.nodes.len() {
                let node = InstanceIx::new(i);
                assert_eq!(
                    sim.providers.busy.has_non_daemon_tasks(w, node),
                    has_non_daemon_tasks(w, node),
                    "instance {i} at second {t}"
                );
                asked += 1;
            }
        }
        asked
    }

    /// The kept answers, read after every minute of days where tasks land and stop and
    /// instances launch, drain and terminate (quota plans: daemons, two Auto Scaling group
    /// providers, scale-in), are the answers from the instances' tasks; and the samples'.
    #[test]
    fn kept_answers_are_the_answers_from_the_tasks() {
        for (plan, secs) in [
            (quota(0.02, 3), 86_400),
            (quota(0.05, 11), 6 * 3_600),
            (sample("two-az-web.json"), 86_400),
            (sample("mixed-memberof.json"), 6 * 3_600),
        ] {
            assert!(kept_answers_are_plain(&plan, secs) > 0);
        }
    }

    /// The timeline of `secs` seconds of `plan`, the providers' answers kept or plain.
    fn day(plan: &Plan, secs: u32, kept: bool) -> serde_json::Value {
        let mut sim = Sim::over_time(plan, secs, &PlaceOptions::for_plan(plan));
        if !kept {
            sim.providers.busy = Busy::plain();
        }
        sim.run_until(secs);
        serde_json::to_value(sim.finish(secs)).expect("the timeline serialises")
    }

    /// Whole days of quota plans record the same timeline with the answers kept as without.
    #[test]
    fn keeping_the_answers_changes_no_quota_plan_timeline() {
        for (scale, seed) in [(0.02, 3), (0.05, 11)] {
            let p = quota(scale, seed);
            assert_eq!(
                day(&p, 86_400, true),
                day(&p, 86_400, false),
                "scale {scale} seed {seed}"
            );
        }
    }
}
