//! A run as it travels from the engine worker to the page: the page shows a simulated day or a
//! deployment without compiling the simulator in; the worker runs it ([`Ran::day`],
//! [`Ran::deployment`]) and sends this as JSON, and the page reads it back
//! ([`Ran::into_parts`]) and indexes the timeline for its moments.
//!
//! The timeline's own JSON (the CLI's `--json`) writes each event's kind as its code only; here
//! the events travel whole (with their deployment numbers, counts and percents), so the page's
//! timeline is the one the simulator produced.

use super::deploy::{deploy, DeployError, DeployOutcome, DeployRequest};
use super::events::{EventKind, SimEvent};
use super::progressive::{CostPoint, Progressive};
use super::Timeline;
use crate::placement::PlaceOptions;
use crate::plan::Plan;
use serde::{Deserialize, Serialize};

/// How a deployment ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deployed {
    /// Completed, stuck or rolled back.
    pub outcome: DeployOutcome,
    /// Why it ended as it did, in the simulator's words.
    pub reason: String,
    /// Seconds until it ended (or gave up).
    pub duration: u32,
}

/// A finished run: the timeline (events travel in `events`), the cost every 15 minutes (a day
/// only) and how a deployment ended (a deployment only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ran {
    timeline: Timeline,
    events: Vec<Event>,
    cost: Vec<CostPoint>,
    deployed: Option<Deployed>,
}

/// A [`SimEvent`] with its kind's facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Event {
    t: u32,
    kind: EventKind,
    service: Option<String>,
    task: Option<String>,
    instance: Option<String>,
    message: String,
}

/// Seconds between the cost points of a day (and between its progress reports).
pub const COST_EVERY: u32 = 900;

impl Ran {
    /// A run from what the simulator produced; the timeline's events move into the run's own
    /// list, which keeps each kind's facts.
    pub fn new(mut timeline: Timeline, cost: Vec<CostPoint>, deployed: Option<Deployed>) -> Ran {
        let events = std::mem::take(&mut timeline.events)
            .into_iter()
            .map(|e| Event {
                t: e.t,
                kind: e.kind,
                service: e.service,
                task: e.task,
                instance: e.instance,
                message: e.message,
            })
            .collect();
        Ran {
            timeline,
            events,
            cost,
            deployed,
        }
    }

    /// `plan` over `hours` hours, as the time view shows it: [`Progressive`] with a cost point
    /// every [`COST_EVERY`] seconds; `progress(simulated seconds, of)` after each one.
    pub fn day(plan: &Plan, hours: u32, mut progress: impl FnMut(u32, u32)) -> Ran {
        let duration = hours.saturating_mul(3600);
        let mut p = Progressive::new(plan, duration, &PlaceOptions::for_plan(plan), COST_EVERY);
        while !p.step() {
            progress(p.now(), duration);
        }
        let (timeline, cost) = p.finish();
        Ran::new(timeline, cost, None)
    }

    /// A deployment of `service` to `to` (`family:revision`; none: a forced new deployment);
    /// the timeline lasts at least until it ended.
    pub fn deployment(plan: &Plan, service: &str, to: Option<&str>) -> Result<Ran, DeployError> {
        let req = DeployRequest::new(service, to);
        let r = deploy(plan, &req, &PlaceOptions::for_plan(plan))?;
        let mut timeline = r.timeline;
        timeline.duration = timeline.duration.max(r.duration_seconds);
        Ok(Ran::new(
            timeline,
            Vec::new(),
            Some(Deployed {
                outcome: r.outcome,
                reason: r.reason,
                duration: r.duration_seconds,
            }),
        ))
    }

    /// The timeline (with its events), the cost points and how a deployment ended.
    pub fn into_parts(self) -> (Timeline, Vec<CostPoint>, Option<Deployed>) {
        let mut timeline = self.timeline;
        timeline.events = self
            .events
            .into_iter()
            .map(|e| SimEvent {
                t: e.t,
                kind: e.kind,
                service: e.service,
                task: e.task,
                instance: e.instance,
                message: e.message,
            })
            .collect();
        (timeline, self.cost, self.deployed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> Plan {
        let text = std::fs::read_to_string(format!(
            "{}/../public/plans/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        crate::load::load(&text).plan.unwrap()
    }

    /// What the page reads back from the JSON text.
    fn round_trip(ran: &Ran) -> (Timeline, Vec<CostPoint>, Option<Deployed>) {
        let text = serde_json::to_string(ran).unwrap();
        let back: Ran = serde_json::from_str(&text).unwrap();
        back.into_parts()
    }

    /// `a` and `b` are the same JSON but for a float's last bits (serde_json's reader may land
    /// one unit in the last place from the number written); the first difference otherwise.
    pub(crate) fn same_json(
        a: &serde_json::Value,
        b: &serde_json::Value,
        at: &str,
    ) -> Result<(), String> {
        use serde_json::Value::*;
        match (a, b) {
            (Number(x), Number(y)) => match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) if (x - y).abs() <= 1e-12 * x.abs().max(1.0) => Ok(()),
                _ => Err(format!("{at}: {x} ≠ {y}")),
            },
            (Array(x), Array(y)) if x.len() == y.len() => x
                .iter()
                .zip(y)
                .enumerate()
                .try_for_each(|(i, (x, y))| same_json(x, y, &format!("{at}[{i}]"))),
            (Object(x), Object(y)) if x.len() == y.len() => x.iter().try_for_each(|(k, v)| {
                same_json(v, y.get(k).unwrap_or(&Null), &format!("{at}.{k}"))
            }),
            _ if a == b => Ok(()),
            _ => Err(format!("{at}: {a} ≠ {b}")),
        }
    }

    #[test]
    fn a_day_travels_whole_and_is_progressives() {
        let plan = sample("two-az-web.json");
        let mut reports = Vec::new();
        let ran = Ran::day(&plan, 2, |done, of| reports.push((done, of)));
        assert_eq!(
            reports.len(),
            7,
            "every 15 minutes but the last: {reports:?}"
        );
        assert_eq!(reports[0], (900, 7200));
        let (timeline, cost) =
            Progressive::new(&plan, 7200, &PlaceOptions::for_plan(&plan), COST_EVERY).finish();
        let (t, c, d) = round_trip(&ran);
        assert!(d.is_none());
        same_json(
            &serde_json::to_value(&t).unwrap(),
            &serde_json::to_value(&timeline).unwrap(),
            "timeline",
        )
        .unwrap();
        assert_eq!(t.events.len(), timeline.events.len());
        assert!(t
            .events
            .iter()
            .zip(&timeline.events)
            .all(|(a, b)| a.kind == b.kind));
        assert_eq!(c.len(), cost.len());
    }

    #[test]
    fn a_deployment_travels_with_its_outcome() {
        let plan = sample("two-az-web.json");
        let ran = Ran::deployment(&plan, "web", None).unwrap();
        let r = deploy(
            &plan,
            &DeployRequest::new("web", None),
            &PlaceOptions::for_plan(&plan),
        )
        .unwrap();
        let (t, c, d) = round_trip(&ran);
        assert!(c.is_empty());
        let d = d.unwrap();
        assert_eq!(
            (d.outcome, d.reason.as_str(), d.duration),
            (r.outcome, r.reason.as_str(), r.duration_seconds)
        );
        assert_eq!(t.duration, r.timeline.duration.max(r.duration_seconds));
        assert_eq!(t.events, r.timeline.events);
        assert!(Ran::deployment(&plan, "nope", None).is_err());
    }
}
