//! A run as it travels from the engine worker to the page: the page shows a simulated day or a
//! deployment without compiling the simulator in; the worker runs it ([`Ran::day`],
//! [`Ran::deployment`]) and sends this as JSON, and the page reads it back
//! ([`Ran::into_parts`]) and indexes the timeline for its moments.
//!
//! The timeline's own JSON (the CLI's `--json`) writes each event's kind as its code only; here
//! the events travel whole (with their deployment numbers, counts and percents), so the page's
//! timeline is the one the simulator produced.
//!
//! The answer is written compactly, for a quota plan's day is tens of megabytes of text that
//! the page holds while it reads it ([`Wire`]): every string (task ids, services, task
//! definitions, instances, providers, zones, messages) once in a table and referred to by
//! number, tasks and events as arrays, and the minute samples as columns of runs of equal
//! values (most services' counts and utilisation stay the same for minutes on end).

use std::borrow::Cow;
use std::collections::HashMap;

use super::cost::Cost;
use super::deploy::{deploy, DeployError, DeployOutcome, DeployRequest};
use super::events::{EventKind, SimEvent};
use super::minutes::MinuteSamples;
use super::names::Name;
use super::progressive::{CostPoint, Progressive};
use super::providers::InstanceLife;
use super::simulate::{MinuteSample, ProviderMinute, ServiceMinute};
use super::timeline::{ServiceSeries, TaskLife};
use super::{TaskState, Timeline};
use crate::placement::PlaceOptions;
use crate::plan::Plan;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

/// A finished run: the timeline with its events whole, the cost every 15 minutes (a day only)
/// and how a deployment ended (a deployment only). Its JSON is [`Wire`]'s.
#[derive(Debug, Clone, PartialEq)]
pub struct Ran {
    timeline: Timeline,
    cost: Vec<CostPoint>,
    deployed: Option<Deployed>,
}

/// Seconds between the cost points of a day (and between its progress reports).
pub const COST_EVERY: u32 = 900;

impl Ran {
    /// A run from what the simulator produced.
    pub fn new(timeline: Timeline, cost: Vec<CostPoint>, deployed: Option<Deployed>) -> Ran {
        Ran {
            timeline,
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
        (self.timeline, self.cost, self.deployed)
    }
}

/// [`Ran`]'s JSON. Strings are numbers into `names`; `0` in an optional place is none, `n + 1`
/// is `names[n]`.
#[derive(Serialize, Deserialize)]
struct Wire<'a> {
    duration: u32,
    names: Vec<Cow<'a, str>>,
    services: Cow<'a, [ServiceSeries]>,
    tasks: Vec<WireTask>,
    #[serde(default)]
    minutes: Minutes,
    instances: Cow<'a, [InstanceLife]>,
    cost: Option<Cow<'a, Cost>>,
    events: Vec<WireEvent>,
    points: Cow<'a, [CostPoint]>,
    deployed: Option<Cow<'a, Deployed>>,
}

/// A task's life: task, service, task definition (names), deployment, instance, capacity
/// provider, zone (optional names), and its states as `[second, state, second, state, ...]`
/// (a state by its number in [`TaskState::ALL`]).
type WireTask = (u32, u32, u32, u32, u32, u32, u32, Vec<u32>);

/// An event: second, kind ([`EventKind::facts`]), service, task, instance (optional names),
/// message (a name).
type WireEvent = (u32, Vec<f64>, u32, u32, u32, u32);

/// Equal values in a row, as `[value, how many]`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(transparent)]
struct Runs<T>(Vec<(T, u32)>);

impl<T> Default for Runs<T> {
    fn default() -> Self {
        Runs(Vec::new())
    }
}

/// Bitwise equality, so that runs of floats are exact.
trait Same {
    fn same(&self, other: &Self) -> bool;
}
impl Same for u32 {
    fn same(&self, other: &Self) -> bool {
        self == other
    }
}
impl Same for f64 {
    fn same(&self, other: &Self) -> bool {
        self.to_bits() == other.to_bits()
    }
}
impl Same for Option<f64> {
    fn same(&self, other: &Self) -> bool {
        match (self, other) {
            (Some(a), Some(b)) => a.same(b),
            (a, b) => a.is_none() && b.is_none(),
        }
    }
}

impl<T: Same + Copy> Runs<T> {
    fn push(&mut self, v: T) {
        match self.0.last_mut() {
            Some((last, n)) if last.same(&v) => *n += 1,
            _ => self.0.push((v, 1)),
        }
    }

    /// The values one by one.
    fn values(&self) -> impl Iterator<Item = T> + '_ {
        self.0
            .iter()
            .flat_map(|&(v, n)| std::iter::repeat_n(v, n as usize))
    }
}

/// The minute samples by column: the seconds (as steps from 0), how many services and
/// providers each minute has, then per service (and per provider) place a column of each
/// member, over the minutes that have it.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Minutes {
    steps: Runs<u32>,
    services: Runs<u32>,
    providers: Runs<u32>,
    service: Vec<[Runs<u32>; 3]>,
    usage: Vec<[Runs<f64>; 2]>,
    provider: Vec<[Runs<u32>; 3]>,
    reservation: Vec<Runs<Option<f64>>>,
}

impl Minutes {
    fn of<'a>(minutes: &'a MinuteSamples, names: &mut Names<'a>) -> Minutes {
        let mut m = Minutes::default();
        let mut at = 0;
        for (k, sample) in minutes.iter().enumerate() {
            let providers = minutes.providers(k);
            m.steps.push(sample.t.wrapping_sub(at));
            at = sample.t;
            m.services.push(sample.services.len() as u32);
            m.providers.push(providers.len() as u32);
            for (k, s) in sample.services.iter().enumerate() {
                if m.service.len() <= k {
                    m.service.push(Default::default());
                    m.usage.push(Default::default());
                }
                let [desired, running, pending] = &mut m.service[k];
                desired.push(s.desired);
                running.push(s.running);
                pending.push(s.pending);
                m.usage[k][0].push(s.cpu);
                m.usage[k][1].push(s.memory);
            }
            for (k, p) in providers.iter().enumerate() {
                if m.provider.len() <= k {
                    m.provider.push(Default::default());
                    m.reservation.push(Default::default());
                }
                let [name, instances, desired] = &mut m.provider[k];
                name.push(names.of(&p.name));
                instances.push(p.instances);
                desired.push(p.desired);
                m.reservation[k].push(p.reservation);
            }
        }
        m
    }

    fn samples<E: serde::de::Error>(&self, names: &[Name]) -> Result<Vec<MinuteSample>, E> {
        let short = || E::custom("the minute samples end early");
        let total = |r: &Runs<u32>| r.0.iter().map(|&(_, n)| u64::from(n)).sum::<u64>();
        if total(&self.steps) != total(&self.services)
            || total(&self.steps) != total(&self.providers)
        {
            return Err(short());
        }
        let mut service: Vec<_> = self
            .service
            .iter()
            .zip(&self.usage)
            .map(|([d, r, p], [c, m])| (d.values(), r.values(), p.values(), c.values(), m.values()))
            .collect();
        let mut provider: Vec<_> = self
            .provider
            .iter()
            .zip(&self.reservation)
            .map(|([n, i, d], r)| (n.values(), i.values(), d.values(), r.values()))
            .collect();
        let mut out = Vec::new();
        let mut t = 0u32;
        let counts = self.services.values().zip(self.providers.values());
        for (step, (ns, np)) in self.steps.values().zip(counts) {
            t = t.wrapping_add(step);
            let services = service
                .iter_mut()
                .take(ns as usize)
                .map(|(d, r, p, c, m)| {
                    Some(ServiceMinute {
                        desired: d.next()?,
                        running: r.next()?,
                        pending: p.next()?,
                        cpu: c.next()?,
                        memory: m.next()?,
                    })
                })
                .collect::<Option<Vec<_>>>()
                .ok_or_else(short)?;
            let capacity_providers = provider
                .iter_mut()
                .take(np as usize)
                .map(|(n, i, d, r)| {
                    Some(ProviderMinute {
                        name: names.get(n.next()? as usize)?.to_string(),
                        instances: i.next()?,
                        desired: d.next()?,
                        reservation: r.next()?,
                    })
                })
                .collect::<Option<Vec<_>>>()
                .ok_or_else(short)?;
            if services.len() != ns as usize || capacity_providers.len() != np as usize {
                return Err(short());
            }
            out.push(MinuteSample {
                t,
                services,
                capacity_providers,
            });
        }
        Ok(out)
    }
}

/// The table of strings, each once.
#[derive(Default)]
struct Names<'a> {
    list: Vec<Cow<'a, str>>,
    at: HashMap<&'a str, u32>,
}

impl<'a> Names<'a> {
    fn of(&mut self, s: &'a str) -> u32 {
        *self.at.entry(s).or_insert_with(|| {
            self.list.push(Cow::Borrowed(s));
            self.list.len() as u32 - 1
        })
    }

    fn maybe(&mut self, s: Option<&'a str>) -> u32 {
        s.map_or(0, |s| self.of(s) + 1)
    }
}

impl Serialize for Ran {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let tl = &self.timeline;
        let mut names = Names::default();
        let tasks = tl
            .tasks
            .iter()
            .map(|t| {
                let states = t
                    .states
                    .iter()
                    .flat_map(|&(at, st)| {
                        [
                            at,
                            TaskState::ALL.iter().position(|&x| x == st).unwrap_or(0) as u32,
                        ]
                    })
                    .collect();
                (
                    names.of(&t.task),
                    names.of(&t.service),
                    names.of(&t.task_definition),
                    t.deployment,
                    names.maybe(t.instance.as_deref()),
                    names.maybe(t.capacity_provider.as_deref()),
                    names.maybe(t.availability_zone.as_deref()),
                    states,
                )
            })
            .collect();
        let events = tl
            .events
            .iter()
            .map(|e| {
                (
                    e.t,
                    e.kind.facts(),
                    names.maybe(e.service.as_deref()),
                    names.maybe(e.task.as_deref()),
                    names.maybe(e.instance.as_deref()),
                    names.of(&e.message),
                )
            })
            .collect();
        let minutes = Minutes::of(&tl.minutes, &mut names);
        Wire {
            duration: tl.duration,
            names: names.list,
            services: Cow::Borrowed(&tl.services),
            tasks,
            minutes,
            instances: Cow::Borrowed(&tl.instances),
            cost: tl.cost.as_ref().map(Cow::Borrowed),
            events,
            points: Cow::Borrowed(&self.cost),
            deployed: self.deployed.as_ref().map(Cow::Borrowed),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Ran {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Ran, D::Error> {
        let w = Wire::deserialize(d)?;
        let names: Vec<Name> = w.names.iter().map(|n| Name::from(&**n)).collect();
        let name = |k: u32| {
            names
                .get(k as usize)
                .cloned()
                .ok_or_else(|| D::Error::custom(format!("no name {k}")))
        };
        let maybe = |k: u32| k.checked_sub(1).map(name).transpose();
        let tasks = w
            .tasks
            .into_iter()
            .map(
                |(task, service, td, deployment, instance, cp, az, states)| {
                    Ok(TaskLife {
                        task: name(task)?.to_string(),
                        service: name(service)?,
                        task_definition: name(td)?,
                        deployment,
                        instance: maybe(instance)?,
                        capacity_provider: maybe(cp)?,
                        availability_zone: maybe(az)?,
                        states: states
                            .chunks(2)
                            .map(|c| match c {
                                &[at, st] => TaskState::ALL
                                    .get(st as usize)
                                    .map(|&st| (at, st))
                                    .ok_or_else(|| D::Error::custom(format!("no state {st}"))),
                                _ => Err(D::Error::custom("a state without its second")),
                            })
                            .collect::<Result<_, _>>()?,
                    })
                },
            )
            .collect::<Result<_, D::Error>>()?;
        let events = w
            .events
            .into_iter()
            .map(|(t, kind, service, task, instance, message)| {
                Ok(SimEvent {
                    t,
                    kind: EventKind::from_facts(&kind)
                        .ok_or_else(|| D::Error::custom(format!("no event kind {kind:?}")))?,
                    service: maybe(service)?,
                    task: maybe(task)?.map(|t| t.to_string()),
                    instance: maybe(instance)?,
                    message: name(message)?.to_string(),
                })
            })
            .collect::<Result<_, D::Error>>()?;
        let minutes = w.minutes.samples(&names)?;
        Ok(Ran {
            timeline: Timeline {
                duration: w.duration,
                events,
                services: w.services.into_owned(),
                tasks,
                minutes: minutes.into(),
                instances: w.instances.into_owned(),
                cost: w.cost.map(Cow::into_owned),
            },
            cost: w.points.into_owned(),
            deployed: w.deployed.map(Cow::into_owned),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::load::sample;

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

    /// A day with capacity providers and scaling reads back exactly (its minute samples,
    /// tasks and events), and its answer is smaller than the timeline's own JSON with the
    /// events whole.
    #[test]
    fn a_day_with_providers_reads_back_exactly_and_smaller() {
        for name in [
            "fargate-spot.json",
            "mixed-memberof.json",
            "two-az-web.json",
        ] {
            let plan = sample(name);
            let ran = Ran::day(&plan, 6, |_, _| {});
            let text = serde_json::to_string(&ran).unwrap();
            let back: Ran = serde_json::from_str(&text).unwrap();
            assert_eq!(
                back.timeline.minutes.len(),
                ran.timeline.minutes.len(),
                "{name}"
            );
            same_json(
                &serde_json::to_value(&back.timeline).unwrap(),
                &serde_json::to_value(&ran.timeline).unwrap(),
                name,
            )
            .unwrap();
            assert_eq!(back.timeline.events, ran.timeline.events, "{name}");
            assert_eq!(back.cost.len(), ran.cost.len());
            let whole = serde_json::to_string(&ran.timeline).unwrap().len();
            assert!(text.len() < whole, "{name}: {} ≥ {whole}", text.len());
        }
    }

    /// A damaged answer is an error to show, never a panic.
    #[test]
    fn a_damaged_answer_is_an_error() {
        let plan = sample("two-az-web.json");
        let text = serde_json::to_string(&Ran::day(&plan, 1, |_, _| {})).unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["names"] = serde_json::json!([]);
        assert!(serde_json::from_value::<Ran>(v).is_err());
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["events"][0][1] = serde_json::json!([99]);
        assert!(serde_json::from_value::<Ran>(v).is_err());
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["minutes"]["steps"] = serde_json::json!([[60, 100000]]);
        assert!(serde_json::from_value::<Ran>(v).is_err());
    }

    /// Prints what a quota plan's day weighs in the answer, part by part
    /// (`QUOTA_SCALE`, default 0.02; `HOURS`, default 24).
    #[test]
    #[ignore = "measures, for docs/performance.md"]
    fn what_a_quota_day_weighs() {
        let scale = std::env::var("QUOTA_SCALE")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0.02);
        let hours = std::env::var("HOURS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(24);
        let plan = crate::load::load_value(testkit::quota::Quota::scaled(scale).plan())
            .plan
            .unwrap();
        let ran = Ran::day(&plan, hours, |_, _| {});
        let v = serde_json::to_value(&ran).unwrap();
        let len = |v: &serde_json::Value| serde_json::to_string(v).unwrap().len();
        println!("whole: {} B", len(&v));
        for (k, x) in v.as_object().unwrap() {
            println!("  {k}: {} B", len(x));
        }
        for (k, x) in v["minutes"].as_object().unwrap() {
            println!("  minutes.{k}: {} B", len(x));
        }
        let tl = serde_json::to_value(&ran.timeline).unwrap();
        println!("the timeline's own JSON (events by code): {} B", len(&tl));
        for (k, x) in tl.as_object().unwrap() {
            let n = x.as_array().map_or(0, Vec::len);
            println!("  timeline.{k}: {} B ({n} items)", len(x));
        }
    }
}
