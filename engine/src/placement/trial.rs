//! A change tried on the placement and undone: what a copy of the placement would answer,
//! without the copy.
//!
//! The simulator's AZ rebalancing asks which tasks [`rebalance::zones`](super::rebalance::zones)
//! would move before it moves any; it asked a copy of the whole placement (the cluster's 5 000
//! instances with their attributes, every task, every event), 8.5 % of a day of the quota plan
//! for 92 trials. The trial now runs on the placement itself and puts back what it changed: the
//! usage of the instances it touched (noted before their first change, [`State::begin_trial`]),
//! the outcomes of the tasks it may move, the events, the count of changes and Fargate's zone
//! counts. A test checks the answers and the placement left behind against a copy's.
//!
//! [`State::begin_trial`]: super::state::State::begin_trial

use super::{Placement, TaskIx};

impl Placement {
    /// Runs `f` on the placement and undoes it. `f` may place and stop only the tasks of
    /// `tasks` (the only ones whose outcome is put back), and change no instance.
    pub fn undone<R>(&mut self, tasks: &[TaskIx], f: impl FnOnce(&mut Placement) -> R) -> R {
        let events = self.events.len();
        let changes = self.changes;
        let outcomes: Vec<_> = tasks
            .iter()
            .map(|&t| (t, self.tasks[t].outcome.clone()))
            .collect();
        let fargate = self.fargate_counts.clone();
        // Entries kept for later calls must not see the trial's usage: they are set aside and
        // the trial's placements compute theirs afresh (as the copy did).
        let feasible = std::mem::take(&mut self.feasible);
        self.state.begin_trial();
        let r = f(self);
        self.state.end_trial();
        self.feasible = feasible;
        self.fargate_counts = fargate;
        for (t, o) in outcomes {
            self.tasks[t].outcome = o;
        }
        self.changes = changes;
        self.events.truncate(events);
        r
    }
}
