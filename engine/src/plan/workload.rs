//! The workload: the load on each service over time (the plan's `workload`, documented in
//! `docs/plan-format.md`, shape `plan:Workload`), and what its values mean ([`read`]).
//!
//! ```json
//! "workload": {
//!   "start": "2026-11-23T00:00:00Z",
//!   "services": {
//!     "web":    { "requestsPerSecond": { "points": [{"t": 0, "value": 200}, {"t": 3600, "value": 800}] },
//!                 "requestsPerTaskAt100Percent": 100 },
//!     "api":    { "requestsPerSecond": { "daily": [/* 24 hourly values */], "peakMultiplier": 1.5,
//!                                        "timezone": "Europe/Dublin" } },
//!     "batch":  { "cpuPercent": { "value": 70 } },
//!     "worker": { "queue": { "messagesPerSecond": { "value": 20 }, "secondsPerMessage": 0.5 } }
//!   }
//! }
//! ```
//!
//! Series: `points` (seconds from the start, linear between points, flat before the first and
//! after the last), `daily` (24 values at each hour's start in `timezone`, default UTC, linear
//! in between, every day; `weekendMultiplier` on Saturdays and Sundays; `peakMultiplier` stretches
//! the day's highest value by that factor and the lowest by 1, linearly in between), or `value`
//! (constant). `noise` (default 0, off) varies each minute's value by up to ± that share,
//! deterministically from the plan's seed.
//!
//! A service's entry with a problem (one kind of load, one shape per series, points in
//! increasing time, a known time zone, positive rates) is left out of simulations; the problems
//! come back as [`WorkloadError`]s, which the rules report.

use super::json::{json_struct, Named};
use super::schedule::{self, Instant, Zone};
use super::Plan;
use crate::findings::JsonPath;
use crate::seeded;
use serde::{Deserialize, Serialize};

/// The simulation starts at this instant unless `workload.start` says otherwise: a Monday,
/// 00:00 UTC.
pub const DEFAULT_START: &str = "2026-01-05T00:00:00Z";

// Defaults of the load model (documented in `docs/plan-format.md`).
/// Requests per second one vCPU serves at 100 % CPU, unless `requestsPerVcpu` says.
pub const REQUESTS_PER_VCPU: f64 = 100.0;
/// CPU percent a task uses with no load, unless `cpuIdlePercent` says.
pub const CPU_IDLE_PERCENT: f64 = 0.0;
/// Memory percent a task uses with no load, unless `memoryIdlePercent` says.
pub const MEMORY_IDLE_PERCENT: f64 = 25.0;
/// Memory percent a task uses at full load, unless `memoryPercentAtCapacity` says.
pub const MEMORY_PERCENT_AT_CAPACITY: f64 = 50.0;

json_struct! {
/// `workload`.
pub struct Workload {
    /// The instant second 0 stands for (ISO 8601).
    pub start: String = "start",
    /// Per service name, in the plan's order of writing.
    pub services: Named<ServiceWorkload> = "services",
}
}

json_struct! {
/// One service's load: requests, a queue, or utilisation given directly.
pub struct ServiceWorkload {
    /// Requests per second to the whole service, shared by its healthy RUNNING tasks.
    pub requests_per_second: LoadSeries = "requestsPerSecond",
    /// An SQS queue the tasks poll.
    pub queue: QueueLoad = "queue",
    /// CPU utilisation given directly: the average with the plan's `desiredCount` tasks.
    pub cpu_percent: LoadSeries = "cpuPercent",
    /// Memory utilisation given directly: the average with the plan's `desiredCount` tasks.
    pub memory_percent: LoadSeries = "memoryPercent",
    /// Requests per second one task serves at 100 % CPU (instead of `requestsPerVcpu`).
    pub requests_per_task_at_100_percent: f64 = "requestsPerTaskAt100Percent",
    /// Requests per second one vCPU serves at 100 % CPU (default [`REQUESTS_PER_VCPU`]).
    pub requests_per_vcpu: f64 = "requestsPerVcpu",
    /// CPU percent with no load (default [`CPU_IDLE_PERCENT`]).
    pub cpu_idle_percent: f64 = "cpuIdlePercent",
    /// Memory percent with no load (default [`MEMORY_IDLE_PERCENT`]).
    pub memory_idle_percent: f64 = "memoryIdlePercent",
    /// Memory percent at full load (default [`MEMORY_PERCENT_AT_CAPACITY`]).
    pub memory_percent_at_capacity: f64 = "memoryPercentAtCapacity",
}
}

json_struct! {
/// `queue`: an SQS queue that the service's tasks work through.
pub struct QueueLoad {
    /// Messages arriving per second.
    pub messages_per_second: LoadSeries = "messagesPerSecond",
    /// Seconds one task takes for one message (one at a time).
    pub seconds_per_message: f64 = "secondsPerMessage",
    /// Messages waiting at second 0 (default 0).
    pub initial_backlog: f64 = "initialBacklog",
    /// A label for the queue.
    pub queue_name: String = "queueName",
}
}

json_struct! {
/// A value over time: `points`, `daily` or `value`.
pub struct LoadSeries {
    /// `{t, value}` points, increasing `t`: linear in between, flat outside.
    pub points: Vec<LoadPoint> = "points",
    /// 24 values, one at the start of each hour, linear in between, every day.
    pub daily: Vec<f64> = "daily",
    /// One value all the time.
    pub value: f64 = "value",
    /// `daily`: the day's highest value is multiplied by it, the lowest by 1, linearly
    /// in between (default 1).
    pub peak_multiplier: f64 = "peakMultiplier",
    /// `daily`: multiplies Saturdays and Sundays (default 1).
    pub weekend_multiplier: f64 = "weekendMultiplier",
    /// `daily`: the IANA time zone its hours are in (default UTC).
    pub timezone: String = "timezone",
    /// 0 to 1 (default 0 = off): each minute's value varies by up to ± that share, seeded.
    pub noise: f64 = "noise",
}
}

json_struct! {
/// A point of a series: seconds from the start, and the value there.
pub struct LoadPoint {
    /// Seconds from the start.
    pub t: f64 = "t",
    /// The value at `t`.
    pub value: f64 = "value",
}
}

/// Where a series is in a service's entry, with the unit of its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SeriesKind {
    /// `requestsPerSecond`.
    Requests,
    /// `queue.messagesPerSecond`.
    Messages,
    /// `cpuPercent`.
    Cpu,
    /// `memoryPercent`.
    Memory,
}

impl SeriesKind {
    /// Every series a service's entry may have, in the order the page lists them.
    pub const ALL: [SeriesKind; 4] = [
        SeriesKind::Requests,
        SeriesKind::Messages,
        SeriesKind::Cpu,
        SeriesKind::Memory,
    ];

    /// "requests/s", "messages/s", "% CPU", "% memory".
    pub fn unit(self) -> &'static str {
        match self {
            SeriesKind::Requests => "requests/s",
            SeriesKind::Messages => "messages/s",
            SeriesKind::Cpu => "% CPU",
            SeriesKind::Memory => "% memory",
        }
    }

    /// Where it is in a service's entry.
    pub fn path(self) -> &'static [&'static str] {
        match self {
            SeriesKind::Requests => &["requestsPerSecond"],
            SeriesKind::Messages => &["queue", "messagesPerSecond"],
            SeriesKind::Cpu => &["cpuPercent"],
            SeriesKind::Memory => &["memoryPercent"],
        }
    }

    /// Whether its values are percentages (0–100).
    pub fn is_percent(self) -> bool {
        matches!(self, SeriesKind::Cpu | SeriesKind::Memory)
    }
}

/// A load value as an edit stores it: at most two decimals, never negative, and a utilisation
/// within 0–100 %.
pub fn clean_value(kind: SeriesKind, v: f64) -> f64 {
    let v = if v.is_finite() { v.max(0.0) } else { 0.0 };
    let v = if kind.is_percent() { v.min(100.0) } else { v };
    (v * 100.0).round() / 100.0
}

/// How a series lays its values out over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// 24 hourly values, every day.
    Daily,
    /// `{t, value}` points, seconds from the start.
    Points,
    /// One value all the time.
    Value,
}

impl ServiceWorkload {
    /// The series of that kind in this entry, if written.
    pub fn series(&self, kind: SeriesKind) -> Option<&LoadSeries> {
        match kind {
            SeriesKind::Requests => self.requests_per_second.as_ref(),
            SeriesKind::Messages => self.queue.as_ref()?.messages_per_second.as_ref(),
            SeriesKind::Cpu => self.cpu_percent.as_ref(),
            SeriesKind::Memory => self.memory_percent.as_ref(),
        }
    }
}

impl LoadSeries {
    /// The values as written, with their layout: (seconds from the start, value); a daily
    /// value is at its hour's start. `None` when the series has none of `daily`, `points`,
    /// `value`.
    pub fn points(&self) -> Option<(Layout, Vec<(f64, f64)>)> {
        if let Some(d) = &self.daily {
            let pts = (0..24)
                .map(|h| (h as f64 * 3600.0, d.get(h).copied().unwrap_or(0.0)))
                .collect();
            return Some((Layout::Daily, pts));
        }
        if let Some(p) = &self.points {
            let pts: Vec<(f64, f64)> = p
                .iter()
                .map(|x| (x.t.unwrap_or(0.0), x.value.unwrap_or(0.0)))
                .collect();
            return (!pts.is_empty()).then_some((Layout::Points, pts));
        }
        let v = self.value?;
        Some((Layout::Value, vec![(0.0, v)]))
    }
}

// ---------------------------------------------------------------------------------------------
// What the workload means

/// The workload as a simulation uses it.
#[derive(Debug, Clone)]
pub struct Loads {
    /// The instant second 0 stands for.
    pub start: Instant,
    /// Per service, in plan order; `None` for a service without a usable entry.
    pub services: Vec<Option<ServiceLoad>>,
}

/// A service's load, with the defaults of the load model applied.
#[derive(Debug, Clone)]
pub struct ServiceLoad {
    /// What drives the service's utilisation.
    pub kind: LoadKind,
    /// Requests per second one task serves at 100 % CPU, when the plan says.
    pub requests_per_task: Option<f64>,
    /// Requests per second one vCPU serves at 100 % CPU (when `requests_per_task` is not given).
    pub requests_per_vcpu: f64,
    /// CPU percent with no load.
    pub cpu_idle: f64,
    /// Memory percent with no load.
    pub memory_idle: f64,
    /// Memory percent at full load.
    pub memory_at_capacity: f64,
}

/// What drives a service's utilisation (docs/plan-format.md, "From load to utilisation").
#[derive(Debug, Clone)]
pub enum LoadKind {
    /// Requests per second, shared by the healthy tasks.
    Requests(Series),
    /// CPU and memory percent given directly (at the desired count).
    Utilisation {
        /// CPU percent over time.
        cpu: Option<Series>,
        /// Memory percent over time.
        memory: Option<Series>,
    },
    /// An SQS queue the tasks poll.
    Queue {
        /// Messages arriving per second.
        arrivals: Series,
        /// Seconds one task takes for one message.
        seconds_per_message: f64,
        /// Messages waiting at second 0.
        initial_backlog: f64,
    },
}

/// A value over time.
#[derive(Debug, Clone)]
pub struct Series {
    shape: Shape,
    noise: f64,
    /// Seeds the noise.
    key: u64,
}

#[derive(Debug, Clone)]
enum Shape {
    Constant(f64),
    /// (seconds from the start, value), increasing in time.
    Points(Vec<(f64, f64)>),
    Daily(Box<Daily>),
}

#[derive(Debug, Clone)]
struct Daily {
    values: [f64; 24],
    weekend: f64,
    zone: Zone,
}

impl Series {
    /// The value at `u` seconds after the start, `wall` being that instant (`zone_local`: the
    /// local time of a daily shape's zone, when the caller has it).
    pub fn at(&self, u: u32, wall: Instant, zone_local: Option<i64>) -> f64 {
        let v = match &self.shape {
            Shape::Constant(v) => *v,
            Shape::Points(p) => {
                let u = u as f64;
                on_line(p, p.partition_point(|(t, _)| *t <= u), u)
            }
            Shape::Daily(d) => {
                let Daily {
                    values,
                    weekend,
                    zone,
                } = &**d;
                let local = zone_local.unwrap_or_else(|| zone.local(wall));
                let sod = local.rem_euclid(86_400) as f64 / 3600.0;
                let h = sod.floor() as usize % 24;
                let f = sod - sod.floor();
                let v = values[h] + (values[(h + 1) % 24] - values[h]) * f;
                let wd = schedule::weekday(local.div_euclid(86_400));
                if wd == 0 || wd == 6 {
                    v * weekend
                } else {
                    v
                }
            }
        };
        if self.noise > 0.0 {
            (v * (1.0 + self.noise * unit_noise(self.key, u / 60))).max(0.0)
        } else {
            v
        }
    }

    /// The zone a daily shape is written in (to compute the local time once a minute).
    pub fn zone(&self) -> Option<&Zone> {
        match &self.shape {
            Shape::Daily(d) => Some(&d.zone),
            _ => None,
        }
    }
}

/// The points' line at `u`, `i` being the number of points at or before it: held before the
/// first and after the last, interpolated between.
fn on_line(p: &[(f64, f64)], i: usize, u: f64) -> f64 {
    if i == 0 {
        p[0].1
    } else if i == p.len() {
        p[i - 1].1
    } else {
        let (t0, v0) = p[i - 1];
        let (t1, v1) = p[i];
        v0 + (v1 - v0) * (u - t0) / (t1 - t0)
    }
}

/// [`Series::at`] over seconds that mostly move forward (a datapoint's minute, second by
/// second): what stays the same from one second to the next (the points' segment, the day's
/// weekend factor, the minute's noise) is kept instead of found again, and the hour is the
/// integer division (`floor` is a library call where the target has no rounding instruction).
/// Each answer is bit for bit [`Series::at`]'s (`workload::tests`' property test).
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    series: &'a Series,
    /// Points: the index of the first point after the last second asked.
    next: usize,
    last_u: Option<u32>,
    /// Daily: the local day last asked and its weekend factor (1 on weekdays).
    day: Option<(i64, bool)>,
    /// The minute last asked and its noise factor.
    noise: Option<(u32, f64)>,
}

impl Series {
    /// A cursor over this series (see [`Cursor`]).
    pub fn cursor(&self) -> Cursor<'_> {
        Cursor {
            series: self,
            next: 0,
            last_u: None,
            day: None,
            noise: None,
        }
    }
}

impl Cursor<'_> {
    /// [`Series::at`]`(u, wall, zone_local)`.
    pub fn at(&mut self, u: u32, wall: Instant, zone_local: Option<i64>) -> f64 {
        let series = self.series;
        let v = match &series.shape {
            Shape::Constant(v) => *v,
            Shape::Points(p) => {
                let uf = u as f64;
                if self.last_u.is_none_or(|l| u < l) {
                    self.next = p.partition_point(|(t, _)| *t <= uf);
                } else {
                    while self.next < p.len() && p[self.next].0 <= uf {
                        self.next += 1;
                    }
                }
                self.last_u = Some(u);
                on_line(p, self.next, uf)
            }
            Shape::Daily(d) => {
                let Daily {
                    values,
                    weekend,
                    zone,
                } = &**d;
                let local = zone_local.unwrap_or_else(|| zone.local(wall));
                let secs = local.rem_euclid(86_400);
                let sod = secs as f64 / 3600.0;
                // `sod.floor()`: secs / 3600.0 is never rounded up to the next integer (its
                // distance to it, at least 1 / 3600, is far above the rounding error).
                let h = (secs / 3600) as usize;
                let f = sod - h as f64;
                let v = values[h] + (values[(h + 1) % 24] - values[h]) * f;
                let day = local.div_euclid(86_400);
                let is_weekend = match self.day {
                    Some((d, w)) if d == day => w,
                    _ => {
                        let wd = schedule::weekday(day);
                        let w = wd == 0 || wd == 6;
                        self.day = Some((day, w));
                        w
                    }
                };
                if is_weekend {
                    v * weekend
                } else {
                    v
                }
            }
        };
        if series.noise > 0.0 {
            let minute = u / 60;
            let n = match self.noise {
                Some((m, n)) if m == minute => n,
                _ => {
                    let n = unit_noise(series.key, minute);
                    self.noise = Some((minute, n));
                    n
                }
            };
            (v * (1.0 + series.noise * n)).max(0.0)
        } else {
            v
        }
    }
}

/// A deterministic value in [-1, 1) for a key and a minute.
fn unit_noise(key: u64, minute: u32) -> f64 {
    let h = seeded::mix(key.wrapping_add((minute as u64).wrapping_mul(seeded::GOLDEN)));
    2.0 * seeded::unit(h) - 1.0
}

/// A problem with a value of the workload, at `path`.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadError {
    /// Where in the plan.
    pub path: JsonPath,
    /// What is wrong.
    pub problem: WorkloadProblem,
}

/// What is wrong with a value of the workload.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkloadProblem {
    /// `start` is not an instant (the parser's message).
    Start(String),
    /// The entry names no service of the plan.
    UnknownService(String),
    /// None of requestsPerSecond, queue, cpuPercent/memoryPercent; or several (listed).
    LoadKinds(Vec<&'static str>),
    /// None of points, daily, value; or several (listed).
    SeriesKinds(Vec<&'static str>),
    /// A member of daily shapes on another shape.
    DailyOnly(&'static str),
    /// A point at or before the previous one.
    PointsOrder {
        /// The point's second.
        t: f64,
        /// The previous point's second.
        prev: f64,
    },
    /// An unknown time zone (the parser's message).
    TimeZone(String),
    /// `secondsPerMessage` is missing or not above 0.
    SecondsPerMessage,
    /// `requestsPerTaskAt100Percent` is not above 0.
    RequestsPerTask,
    /// `requestsPerVcpu` is not above 0.
    RequestsPerVcpu,
}

impl Workload {
    /// `start` as an instant, when it is one.
    pub fn start(&self) -> Option<Result<Instant, String>> {
        self.start.as_deref().map(schedule::parse_instant)
    }
}

/// The instant the simulation's second 0 stands for (`workload.start`, or [`DEFAULT_START`]).
pub fn start_of(plan: &Plan) -> Instant {
    plan.workload
        .as_ref()
        .and_then(|w| w.read().start())
        .and_then(Result::ok)
        .unwrap_or_else(default_start)
}

fn default_start() -> Instant {
    schedule::parse_instant(DEFAULT_START).unwrap_or(0)
}

/// The plan's workload as a simulation uses it, and the problems of its values (a service's
/// entry with any problem is left out).
pub fn read(plan: &Plan) -> (Loads, Vec<WorkloadError>) {
    let mut errors = Vec::new();
    let root = JsonPath::root().key("workload");
    let seed = plan.settings.as_ref().and_then(|s| s.seed).unwrap_or(1);
    let mut w = Loads {
        start: default_start(),
        services: vec![None; plan.services.len()],
    };
    let Some(v) = plan.workload.as_ref().map(super::Written::read) else {
        return (w, errors);
    };
    match v.start() {
        Some(Ok(t)) => w.start = t,
        Some(Err(e)) => errors.push(WorkloadError {
            path: root.key("start"),
            problem: WorkloadProblem::Start(e),
        }),
        None => {}
    }
    let Some(services) = &v.services else {
        return (w, errors);
    };
    for (name, sv) in services.iter() {
        let p = root.key("services").key(name);
        let Some(i) = plan.services.iter().position(|s| &s.service_name == name) else {
            errors.push(WorkloadError {
                path: p,
                problem: WorkloadProblem::UnknownService(name.clone()),
            });
            continue;
        };
        let before = errors.len();
        let load = service_load(sv, &p, i as u64 ^ seed.rotate_left(17), &mut errors);
        if errors.len() == before {
            w.services[i] = load;
        }
    }
    (w, errors)
}

fn service_load(
    v: &ServiceWorkload,
    p: &JsonPath,
    key: u64,
    out: &mut Vec<WorkloadError>,
) -> Option<ServiceLoad> {
    let err = |path: JsonPath, problem| WorkloadError { path, problem };
    let present = [
        ("requestsPerSecond", v.requests_per_second.is_some()),
        ("queue", v.queue.is_some()),
        ("cpuPercent", v.cpu_percent.is_some()),
        ("memoryPercent", v.memory_percent.is_some()),
    ];
    let kinds: Vec<&'static str> = present.iter().filter(|k| k.1).map(|k| k.0).collect();
    let direct = v.cpu_percent.is_some() || v.memory_percent.is_some();
    let exclusive = v.requests_per_second.is_some() as u8 + v.queue.is_some() as u8 + direct as u8;
    if exclusive != 1 {
        out.push(err(p.clone(), WorkloadProblem::LoadKinds(kinds)));
        return None;
    }
    let mut series = |s: Option<&LoadSeries>, sp: JsonPath, salt: u64| {
        s.and_then(|s| read_series(s, &sp, key ^ salt, out))
    };
    let kind = if let Some(r) = &v.requests_per_second {
        LoadKind::Requests(series(Some(r), p.key("requestsPerSecond"), 1)?)
    } else if let Some(q) = &v.queue {
        let qp = p.key("queue");
        let arrivals = series(
            q.messages_per_second.as_ref(),
            qp.key("messagesPerSecond"),
            2,
        )?;
        let spm = q.seconds_per_message.unwrap_or(0.0);
        if spm <= 0.0 {
            out.push(err(
                qp.key("secondsPerMessage"),
                WorkloadProblem::SecondsPerMessage,
            ));
            return None;
        }
        LoadKind::Queue {
            arrivals,
            seconds_per_message: spm,
            initial_backlog: q.initial_backlog.unwrap_or(0.0),
        }
    } else {
        LoadKind::Utilisation {
            cpu: series(v.cpu_percent.as_ref(), p.key("cpuPercent"), 3),
            memory: series(v.memory_percent.as_ref(), p.key("memoryPercent"), 4),
        }
    };
    let rpt = v.requests_per_task_at_100_percent;
    if rpt.is_some_and(|r| r <= 0.0) {
        out.push(err(
            p.key("requestsPerTaskAt100Percent"),
            WorkloadProblem::RequestsPerTask,
        ));
    }
    let rpv = v.requests_per_vcpu.unwrap_or(REQUESTS_PER_VCPU);
    if rpv <= 0.0 {
        out.push(err(
            p.key("requestsPerVcpu"),
            WorkloadProblem::RequestsPerVcpu,
        ));
    }
    Some(ServiceLoad {
        kind,
        requests_per_task: rpt,
        requests_per_vcpu: rpv,
        cpu_idle: v.cpu_idle_percent.unwrap_or(CPU_IDLE_PERCENT),
        memory_idle: v.memory_idle_percent.unwrap_or(MEMORY_IDLE_PERCENT),
        memory_at_capacity: v
            .memory_percent_at_capacity
            .unwrap_or(MEMORY_PERCENT_AT_CAPACITY),
    })
}

fn read_series(
    v: &LoadSeries,
    p: &JsonPath,
    key: u64,
    out: &mut Vec<WorkloadError>,
) -> Option<Series> {
    let err = |path: JsonPath, problem| WorkloadError { path, problem };
    let kinds: Vec<&'static str> = [
        ("points", v.points.is_some()),
        ("daily", v.daily.is_some()),
        ("value", v.value.is_some()),
    ]
    .into_iter()
    .filter(|k| k.1)
    .map(|k| k.0)
    .collect();
    if kinds.len() != 1 {
        out.push(err(p.clone(), WorkloadProblem::SeriesKinds(kinds)));
        return None;
    }
    let noise = v.noise.unwrap_or(0.0);
    if v.daily.is_none() {
        for (k, there) in [
            ("peakMultiplier", v.peak_multiplier.is_some()),
            ("weekendMultiplier", v.weekend_multiplier.is_some()),
            ("timezone", v.timezone.is_some()),
        ] {
            if there {
                out.push(err(p.key(k), WorkloadProblem::DailyOnly(k)));
            }
        }
    }
    let shape = if let Some(c) = v.value {
        Shape::Constant(c)
    } else if let Some(pts) = &v.points {
        let mut points = Vec::with_capacity(pts.len());
        for (i, pt) in pts.iter().enumerate() {
            let (t, val) = (pt.t.unwrap_or(0.0), pt.value.unwrap_or(0.0));
            if let Some(&(prev, _)) = points.last() {
                if t <= prev {
                    out.push(err(
                        p.key("points").index(i).key("t"),
                        WorkloadProblem::PointsOrder { t, prev },
                    ));
                    return None;
                }
            }
            points.push((t, val));
        }
        if points.is_empty() {
            return None;
        }
        Shape::Points(points)
    } else {
        let arr = v.daily.as_ref()?;
        let mut values = [0.0; 24];
        for (i, x) in arr.iter().take(24).enumerate() {
            values[i] = *x;
        }
        let zone = match v.timezone.as_deref() {
            Some(z) => match Zone::named(z) {
                Ok(z) => z,
                Err(e) => {
                    out.push(err(p.key("timezone"), WorkloadProblem::TimeZone(e)));
                    return None;
                }
            },
            None => Zone::utc(),
        };
        if let Some(peak) = v.peak_multiplier {
            let lo = values.iter().cloned().fold(f64::INFINITY, f64::min);
            let hi = values.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            if hi > lo {
                for x in values.iter_mut() {
                    *x *= 1.0 + (peak - 1.0) * (*x - lo) / (hi - lo);
                }
            }
        }
        Shape::Daily(Box::new(Daily {
            values,
            weekend: v.weekend_multiplier.unwrap_or(1.0),
            zone,
        }))
    };
    Some(Series { shape, noise, key })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn series(v: serde_json::Value) -> LoadSeries {
        crate::plan::json::Json::read(&v).unwrap()
    }

    #[test]
    fn a_series_gives_its_points_as_written() {
        assert_eq!(
            series(json!({ "value": 70 })).points(),
            Some((Layout::Value, vec![(0.0, 70.0)]))
        );
        assert_eq!(series(json!({ "points": [] })).points(), None);
        let daily = series(json!({ "daily": (0..24).collect::<Vec<u32>>() }));
        let (layout, pts) = daily.points().unwrap();
        assert_eq!((layout, pts[9]), (Layout::Daily, (9.0 * 3600.0, 9.0)));
        let p = series(json!({ "points": [{"t": 0, "value": 1}, {"t": 60, "value": 2}] }));
        assert_eq!(
            p.points().unwrap(),
            (Layout::Points, vec![(0.0, 1.0), (60.0, 2.0)])
        );
    }

    #[test]
    fn values_are_cleaned_for_their_series() {
        assert_eq!(clean_value(SeriesKind::Requests, -3.0), 0.0);
        assert_eq!(clean_value(SeriesKind::Requests, f64::NAN), 0.0);
        assert_eq!(clean_value(SeriesKind::Cpu, 130.0), 100.0);
        assert_eq!(clean_value(SeriesKind::Messages, 1.23456), 1.23);
    }

    /// Random series of each shape, asked over runs of seconds that move forward and jump
    /// back: the cursor answers bit for bit what `Series::at` answers.
    mod cursor {
        use super::super::*;
        use proptest::prelude::*;

        fn shape() -> impl Strategy<Value = Shape> {
            prop_oneof![
                (-5.0f64..500.0).prop_map(Shape::Constant),
                proptest::collection::vec((0u32..4000, -10.0f64..900.0), 1..8).prop_map(|mut v| {
                    v.sort_by_key(|(t, _)| *t);
                    v.dedup_by_key(|(t, _)| *t);
                    Shape::Points(v.into_iter().map(|(t, x)| (t as f64, x)).collect())
                }),
                (
                    proptest::collection::vec(0.0f64..1000.0, 24),
                    0.1f64..2.0,
                    prop_oneof![Just("UTC"), Just("Europe/Dublin"), Just("America/New_York")]
                )
                    .prop_map(|(v, weekend, z)| Shape::Daily(Box::new(Daily {
                        values: v.try_into().unwrap(),
                        weekend,
                        zone: Zone::named(z).unwrap(),
                    }))),
            ]
        }

        proptest! {
            #[test]
            fn the_cursor_answers_what_at_answers(
                shape in shape(),
                noise in prop_oneof![Just(0.0), 0.0f64..0.5],
                key in any::<u64>(),
                start in -400_000i64..400_000_000,
                runs in proptest::collection::vec((0u32..700_000, 1u32..200, any::<bool>()), 1..6),
            ) {
                let s = Series { shape, noise, key };
                let mut c = s.cursor();
                for (from, len, with_local) in runs {
                    let zone = s.zone().cloned();
                    let local0 = zone.as_ref().filter(|_| with_local).map(|z| z.local(start + from as i64));
                    for u in from..from + len {
                        let wall = start + u as i64;
                        let local = local0.map(|l| l + (u - from) as i64);
                        prop_assert_eq!(c.at(u, wall, local).to_bits(), s.at(u, wall, local).to_bits());
                    }
                }
            }
        }
    }
}
