//! [`simulate`](fn@super::simulate), a piece at a time: a UI runs a day in slices and draws
//! between them, so the page keeps responding; and at each slice's end it records what the
//! timeline has cost so far, for a cost-over-time plot.
//!
//! The result is the same timeline `simulate` returns (a test checks it): the simulator's
//! event loop already stops and resumes at every minute tick.

use super::{Sim, Timeline};
use crate::placement::PlaceOptions;
use crate::plan::Plan;
use serde::{Deserialize, Serialize};

/// What the timeline cost from the start up to `t`, USD.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CostPoint {
    /// Seconds from the start.
    pub t: u32,
    /// Everything so far.
    pub total: f64,
    /// The EC2 instances so far.
    pub ec2: f64,
    /// The tasks on Fargate so far.
    pub fargate: f64,
    /// The tasks on Fargate Spot so far.
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
    /// Starts simulating `plan` for `duration` seconds from its steady state, as
    /// [`simulate`](fn@super::simulate) does (the same setup: standalone tasks and planned
    /// deployments included); the cost is recorded every `cost_every` seconds (and at the end).
    pub fn new(
        plan: &'a Plan,
        duration: u32,
        opts: &PlaceOptions,
        cost_every: u32,
    ) -> Progressive<'a> {
        let sim = Sim::over_time(plan, duration, opts);
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

    /// The length of the whole run, seconds.
    pub fn duration(&self) -> u32 {
        self.duration
    }

    /// Whether the run reached its end (its last cost point is recorded).
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

    /// The timeline (as [`simulate`](fn@super::simulate) returns it) and the cost over time.
    pub fn finish(mut self) -> (Timeline, Vec<CostPoint>) {
        while !self.step() {}
        (self.sim.finish(self.duration), self.cost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::simulate;
    use serde_json::{json, Value};

    fn read(path: &str) -> String {
        std::fs::read_to_string(format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn load(text: &str) -> Plan {
        let loaded = crate::load::load(text);
        let findings = format!("{:?}", loaded.findings);
        loaded.plan.unwrap_or_else(|| panic!("{findings}"))
    }

    /// Runs `plan` in slices of 15 minutes and checks the timeline is `simulate`'s and the
    /// cost grows to its total.
    fn same_as_simulate(name: &str, plan: &Plan, duration: u32) -> Timeline {
        let opts = PlaceOptions::for_plan(plan);
        let whole = simulate(plan, duration, &opts);
        let mut p = Progressive::new(plan, duration, &opts, 900);
        let mut slices = 0;
        while !p.step() {
            slices += 1;
            assert!(p.now() <= duration);
        }
        assert_eq!(slices, duration.div_ceil(900) - 1, "{name}");
        let (tl, cost) = p.finish();
        assert_eq!(tl, whole, "{name}: the sliced run differs from simulate");
        assert_eq!(cost.len() as u32, duration.div_ceil(900) + 1);
        assert!(cost
            .windows(2)
            .all(|w| w[1].total >= w[0].total && w[1].t > w[0].t));
        let total = whole.cost.as_ref().unwrap().total;
        assert!(
            (cost.last().unwrap().total - total).abs() < 1e-9,
            "{name}: {} vs {total}",
            cost.last().unwrap().total
        );
        whole
    }

    #[test]
    fn slices_give_the_same_timeline_as_one_run_for_every_sample_plan() {
        let mut names: Vec<_> =
            std::fs::read_dir(format!("{}/../public/plans", env!("CARGO_MANIFEST_DIR")))
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
        names.sort();
        assert!(names.len() >= 3, "{names:?}");
        for name in names {
            let plan = load(&read(&format!("public/plans/{name}")));
            same_as_simulate(&name, &plan, 24 * 3600);
        }
    }

    // The page's day is the CLI's for a plan with planned deployments
    // (`settings.simulation.deployments`): one at a slice's end, one inside a slice.
    #[test]
    fn slices_run_the_planned_deployments_as_simulate_does() {
        let mut v: Value = serde_json::from_str(&read("public/plans/two-az-web.json")).unwrap();
        let mut td = v["taskDefinitions"][0].clone();
        td["containerDefinitions"][0]["image"] = json!("example/web:2");
        let family = td["family"].as_str().unwrap().to_string();
        v["taskDefinitions"].as_array_mut().unwrap().push(td);
        let service = v["services"][0]["serviceName"].clone();
        let settings = v
            .as_object_mut()
            .unwrap()
            .entry("settings")
            .or_insert_with(|| json!({}));
        settings["simulation"]["deployments"] = json!([
            {"service": service, "taskDefinition": format!("{family}:2"), "atSecond": 3600},
            {"service": service, "taskDefinition": format!("{family}:1"), "atSecond": 5000},
        ]);
        let plan = load(&v.to_string());
        let tl = same_as_simulate("two-az-web + deployments", &plan, 4 * 3600);
        let started: Vec<u32> = tl
            .events
            .iter()
            .filter(|e| e.kind.code() == "deployment-started")
            .map(|e| e.t)
            .collect();
        assert_eq!(started, [3600, 5000]);
    }
}
