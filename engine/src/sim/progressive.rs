//! [`simulate`](super::simulate), a piece at a time: a UI runs a day in slices and draws
//! between them, so the page keeps responding; and at each slice's end it records what the
//! timeline has cost so far, for a cost-over-time plot.
//!
//! The result is the same timeline `simulate` returns (a test checks it): the simulator's
//! event loop already stops and resumes at every minute tick.

use super::{Sim, Timeline};
use crate::placement::PlaceOptions;
use crate::plan::Plan;
use serde::Serialize;

/// What the timeline cost from the start up to `t`, USD.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CostPoint {
    pub t: u32,
    pub total: f64,
    pub ec2: f64,
    pub fargate: f64,
    pub fargate_spot: f64,
}

/// A simulation over time that runs in slices.
pub struct Progressive<'a> {
    sim: Sim<'a>,
    duration: u32,
    every: u32,
    cost: Vec<CostPoint>,
}

impl<'a> Progressive<'a> {
    /// Starts simulating `plan` for `duration` seconds from its steady state; the cost is
    /// recorded every `cost_every` seconds (and at the end).
    pub fn new(
        plan: &'a Plan,
        duration: u32,
        opts: &PlaceOptions,
        cost_every: u32,
    ) -> Progressive<'a> {
        let mut sim = Sim::steady(plan, opts);
        sim.tick_every_minute(duration);
        sim.run_standalone(duration);
        Progressive {
            sim,
            duration,
            every: cost_every.max(60),
            cost: vec![CostPoint::default()],
        }
    }

    /// Simulated seconds so far.
    pub fn now(&self) -> u32 {
        self.sim.now().min(self.duration)
    }

    pub fn duration(&self) -> u32 {
        self.duration
    }

    pub fn done(&self) -> bool {
        self.cost.last().is_some_and(|c| c.t >= self.duration)
    }

    /// Runs up to the next cost step (at most `duration`); returns whether the run is over.
    pub fn step(&mut self) -> bool {
        if self.done() {
            return true;
        }
        let last = self.cost.last().map_or(0, |c| c.t);
        let until = (last / self.every + 1) * self.every;
        let until = until.min(self.duration);
        self.sim.run_until(until);
        self.sim.set_duration(until);
        let c = self.sim.cost();
        self.cost.push(CostPoint {
            t: until,
            total: c.total,
            ec2: c.ec2,
            fargate: c.fargate,
            fargate_spot: c.fargate_spot,
        });
        self.done()
    }

    /// The timeline (as [`simulate`](super::simulate) returns it) and the cost over time.
    pub fn finish(mut self) -> (Timeline, Vec<CostPoint>) {
        while !self.step() {}
        (self.sim.finish(self.duration), self.cost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::simulate;

    #[test]
    fn slices_give_the_same_timeline_as_one_run_and_the_cost_grows_to_the_total() {
        for name in ["two-az-web", "fargate-spot"] {
            let text = std::fs::read_to_string(format!(
                "{}/../public/plans/{name}.json",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap();
            let plan = crate::load::load(&text).plan.unwrap();
            let opts = PlaceOptions::for_plan(&plan);
            let day = 24 * 3600;
            let whole = simulate(&plan, day, &opts);
            let mut p = Progressive::new(&plan, day, &opts, 900);
            let mut slices = 0;
            while !p.step() {
                slices += 1;
                assert!(p.now() <= day);
            }
            assert_eq!(slices, 95, "{name}");
            let (tl, cost) = p.finish();
            assert_eq!(tl, whole, "{name}");
            assert_eq!(cost.len(), 97);
            assert!(cost
                .windows(2)
                .all(|w| w[1].total >= w[0].total && w[1].t > w[0].t));
            let total = whole.cost.as_ref().unwrap().total;
            assert!(
                (cost.last().unwrap().total - total).abs() < 1e-9,
                "{name}: {} vs {total}",
                cost.last().unwrap().total
            );
        }
    }
}
