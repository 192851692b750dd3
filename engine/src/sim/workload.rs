//! The workload: the load on each service over time, and what it does to the tasks.
//!
//! The plan's `workload` (documented in `docs/plan-format.md`, shape `plan:Workload`):
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
//! # From load to utilisation (the planner's model; AWS has none)
//! Every second, the load is shared by the service's healthy RUNNING tasks (`n`), so scaling out
//! lowers each task's share: that is the feedback auto scaling works on.
//! - **Requests**: a task serves `capacity` requests per second at 100 % of its CPU reservation:
//!   `requestsPerTaskAt100Percent`, or `requestsPerVcpu` (default 100) × the task's vCPUs
//!   (CPU units / 1024; a task that reserves no CPU counts as 1 vCPU). With `x = rps / (n ×
//!   capacity)`: CPU % = `cpuIdlePercent + (100 − cpuIdlePercent) × x`, memory % =
//!   `memoryIdlePercent + (memoryPercentAtCapacity − memoryIdlePercent) × x`.
//! - **Utilisation given directly** (`cpuPercent`, `memoryPercent`): the average the service
//!   would have with its plan's `desiredCount` tasks; with `n` tasks it is scaled by
//!   `desiredCount / n` (the work is the same, shared by more or fewer tasks).
//! - **Queue** (SQS, the seeds' queue worker): messages arrive at `messagesPerSecond`; each task
//!   processes one message at a time, `secondsPerMessage` each. The backlog grows when arrivals
//!   exceed `n / secondsPerMessage` and drains otherwise; a task is busy the share of the second
//!   it spends processing, and CPU % = `cpuIdlePercent + (100 − cpuIdlePercent) × busy`.
//!
//! Utilisation is a percentage of the task's reservation, as ECS's service metrics are
//! (`cloudwatch-metrics`): on Fargate it stops at 100 %; on EC2 a task may use idle CPU of its
//! instance, so CPU stops at the largest instance's CPU over the task's reservation, and memory
//! at the hard limit over the soft reservation.
//!
//! A service with no entry has no metric data: target tracking and step scaling do not act on it
//! (AAS takes no action on INSUFFICIENT_DATA), scheduled actions still do.
//!
//! Series: `points` (seconds from the start, linear between points, flat before the first and
//! after the last), `daily` (24 values at each hour's start in `timezone`, default UTC, linear
//! in between, every day; `weekendMultiplier` on Saturdays and Sundays; `peakMultiplier` stretches
//! the day's highest value by that factor and the lowest by 1, linearly in between), or `value`
//! (constant). `noise` (default 0, off) varies each minute's value by up to ± that share,
//! deterministically from the plan's seed.

use super::schedule::{self, Instant, Zone};
use crate::findings::{Finding, JsonPath};
use crate::plan::Plan;
use serde_json::Value;

/// The simulation starts at this instant unless `workload.start` says otherwise: a Monday,
/// 00:00 UTC.
pub const DEFAULT_START: &str = "2026-01-05T00:00:00Z";

/// Defaults of the load model (documented in `docs/plan-format.md`).
pub const REQUESTS_PER_VCPU: f64 = 100.0;
pub const CPU_IDLE_PERCENT: f64 = 0.0;
pub const MEMORY_IDLE_PERCENT: f64 = 25.0;
pub const MEMORY_PERCENT_AT_CAPACITY: f64 = 50.0;

/// The parsed workload.
#[derive(Debug, Clone)]
pub struct Workload {
    pub start: Instant,
    /// Per service, in plan order.
    pub services: Vec<Option<ServiceLoad>>,
}

#[derive(Debug, Clone)]
pub struct ServiceLoad {
    pub kind: LoadKind,
    /// Requests per second one task serves at 100 % CPU, when the plan says.
    pub requests_per_task: Option<f64>,
    pub requests_per_vcpu: f64,
    pub cpu_idle: f64,
    pub memory_idle: f64,
    pub memory_at_capacity: f64,
}

#[derive(Debug, Clone)]
pub enum LoadKind {
    Requests(Series),
    Utilisation {
        cpu: Option<Series>,
        memory: Option<Series>,
    },
    Queue {
        arrivals: Series,
        seconds_per_message: f64,
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
                let i = p.partition_point(|(t, _)| *t <= u);
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

/// A deterministic value in [-1, 1] for a key and a minute (SplitMix64).
fn unit_noise(key: u64, minute: u32) -> f64 {
    let mut z = key
        .wrapping_add((minute as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

/// Reads the plan's workload. Problems become findings (the simulator ignores what it cannot
/// read); the plan has already passed the schema, so only values are checked here.
pub fn parse(plan: &Plan) -> (Workload, Vec<Finding>) {
    let mut findings = Vec::new();
    let root = JsonPath::root().key("workload");
    let seed = plan.settings.as_ref().and_then(|s| s.seed).unwrap_or(1);
    let mut w = Workload {
        start: schedule::parse_instant(DEFAULT_START).unwrap_or(0),
        services: vec![None; plan.services.len()],
    };
    let Some(v) = plan.workload.as_ref() else {
        return (w, findings);
    };
    if let Some(s) = v.get("start").and_then(Value::as_str) {
        match schedule::parse_instant(s) {
            Ok(t) => w.start = t,
            Err(e) => findings.push(
                Finding::error("workload-value", root.key("start"), e)
                    .with_fix("write the start as \"2026-11-23T00:00:00Z\" (UTC)"),
            ),
        }
    }
    let Some(services) = v.get("services").and_then(Value::as_object) else {
        return (w, findings);
    };
    for (name, sv) in services {
        let p = root.key("services").key(name);
        let Some(i) = plan.services.iter().position(|s| &s.service_name == name) else {
            let names = plan.services.iter().map(|s| s.service_name.as_str());
            let mut f = Finding::error(
                "unknown-service",
                p,
                format!("the workload names service {name}, which is not in the plan"),
            );
            f = match crate::schema::did_you_mean(name, names) {
                Some(b) => f.with_fix(format!("did you mean {b}?")),
                None => f.with_fix("use the serviceName of one of the plan's services"),
            };
            findings.push(f);
            continue;
        };
        let before = findings.len();
        let load = service_load(sv, &p, i as u64 ^ seed.rotate_left(17), &mut findings);
        if findings.len() == before {
            w.services[i] = load;
        }
    }
    (w, findings)
}

fn num(v: &Value, k: &str) -> Option<f64> {
    v.get(k).and_then(Value::as_f64)
}

fn service_load(v: &Value, p: &JsonPath, key: u64, out: &mut Vec<Finding>) -> Option<ServiceLoad> {
    let has = |k: &str| v.get(k).is_some();
    let kinds: Vec<&str> = ["requestsPerSecond", "queue", "cpuPercent", "memoryPercent"]
        .into_iter()
        .filter(|k| has(k))
        .collect();
    let direct = has("cpuPercent") || has("memoryPercent");
    let exclusive = has("requestsPerSecond") as u8 + has("queue") as u8 + direct as u8;
    if exclusive != 1 {
        out.push(
            Finding::error(
                "workload-value",
                p.clone(),
                if kinds.is_empty() {
                    "a service's workload needs its load: requestsPerSecond, queue, or cpuPercent/memoryPercent".to_string()
                } else {
                    format!("a service's workload is one kind of load, found {}", kinds.join(" and "))
                },
            )
            .with_fix("keep requestsPerSecond (a web service), queue (a queue worker) or cpuPercent/memoryPercent (utilisation), not several"),
        );
        return None;
    }
    let mut series = |k: &str, sub: &Value, sp: JsonPath, salt: u64| {
        sub.get(k)
            .and_then(|s| parse_series(s, &sp.key(k), key ^ salt, out))
    };
    let kind = if let Some(_r) = v.get("requestsPerSecond") {
        LoadKind::Requests(series("requestsPerSecond", v, p.clone(), 1)?)
    } else if let Some(q) = v.get("queue") {
        let qp = p.key("queue");
        let arrivals = series("messagesPerSecond", q, qp.clone(), 2)?;
        let spm = num(q, "secondsPerMessage").unwrap_or(0.0);
        if spm <= 0.0 {
            out.push(
                Finding::error(
                    "workload-value",
                    qp.key("secondsPerMessage"),
                    "secondsPerMessage must be above 0: the time one task takes to process one message",
                )
                .with_fix("e.g. \"secondsPerMessage\": 0.5"),
            );
            return None;
        }
        LoadKind::Queue {
            arrivals,
            seconds_per_message: spm,
            initial_backlog: num(q, "initialBacklog").unwrap_or(0.0),
        }
    } else {
        LoadKind::Utilisation {
            cpu: series("cpuPercent", v, p.clone(), 3),
            memory: series("memoryPercent", v, p.clone(), 4),
        }
    };
    let rpt = num(v, "requestsPerTaskAt100Percent");
    if rpt.is_some_and(|r| r <= 0.0) {
        out.push(
            Finding::error(
                "workload-value",
                p.key("requestsPerTaskAt100Percent"),
                "requestsPerTaskAt100Percent must be above 0",
            )
            .with_fix("the requests per second one task serves at 100 % CPU, e.g. 50"),
        );
    }
    let rpv = num(v, "requestsPerVcpu").unwrap_or(REQUESTS_PER_VCPU);
    if rpv <= 0.0 {
        out.push(
            Finding::error(
                "workload-value",
                p.key("requestsPerVcpu"),
                "requestsPerVcpu must be above 0",
            )
            .with_fix("e.g. 100"),
        );
    }
    Some(ServiceLoad {
        kind,
        requests_per_task: rpt,
        requests_per_vcpu: rpv,
        cpu_idle: num(v, "cpuIdlePercent").unwrap_or(CPU_IDLE_PERCENT),
        memory_idle: num(v, "memoryIdlePercent").unwrap_or(MEMORY_IDLE_PERCENT),
        memory_at_capacity: num(v, "memoryPercentAtCapacity").unwrap_or(MEMORY_PERCENT_AT_CAPACITY),
    })
}

fn parse_series(v: &Value, p: &JsonPath, key: u64, out: &mut Vec<Finding>) -> Option<Series> {
    let kinds: Vec<&str> = ["points", "daily", "value"]
        .into_iter()
        .filter(|k| v.get(k).is_some())
        .collect();
    if kinds.len() != 1 {
        out.push(
            Finding::error(
                "workload-value",
                p.clone(),
                if kinds.is_empty() {
                    "a load series needs points, daily or value".to_string()
                } else {
                    format!("a load series is one of points, daily or value, found {}", kinds.join(" and "))
                },
            )
            .with_fix("e.g. {\"points\": [{\"t\": 0, \"value\": 100}, {\"t\": 3600, \"value\": 400}]} or {\"value\": 100}"),
        );
        return None;
    }
    let noise = num(v, "noise").unwrap_or(0.0);
    let daily_only = ["peakMultiplier", "weekendMultiplier", "timezone"];
    if v.get("daily").is_none() {
        for k in daily_only {
            if v.get(k).is_some() {
                out.push(
                    Finding::error(
                        "workload-value",
                        p.key(k),
                        format!("{k} applies to a daily shape only"),
                    )
                    .with_fix(format!("remove {k}, or give the load as \"daily\"")),
                );
            }
        }
    }
    let shape = if let Some(c) = num(v, "value") {
        Shape::Constant(c)
    } else if let Some(pts) = v.get("points").and_then(Value::as_array) {
        let mut points = Vec::with_capacity(pts.len());
        for (i, pt) in pts.iter().enumerate() {
            let (t, val) = (num(pt, "t").unwrap_or(0.0), num(pt, "value").unwrap_or(0.0));
            if let Some(&(prev, _)) = points.last() {
                if t <= prev {
                    out.push(
                        Finding::error(
                            "workload-value",
                            p.key("points").index(i).key("t"),
                            format!("points must be in increasing time: t {t} follows t {prev}"),
                        )
                        .with_fix(format!("use a t above {prev}, or sort the points by t")),
                    );
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
        let arr = v.get("daily").and_then(Value::as_array)?;
        let mut values = [0.0; 24];
        for (i, x) in arr.iter().take(24).enumerate() {
            values[i] = x.as_f64().unwrap_or(0.0);
        }
        let zone = match v.get("timezone").and_then(Value::as_str) {
            Some(z) => match Zone::named(z) {
                Ok(z) => z,
                Err(e) => {
                    out.push(
                        Finding::error("unknown-time-zone", p.key("timezone"), e)
                            .with_fix("use an IANA time zone name, e.g. Europe/Dublin"),
                    );
                    return None;
                }
            },
            None => Zone::utc(),
        };
        if let Some(peak) = num(v, "peakMultiplier") {
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
            weekend: num(v, "weekendMultiplier").unwrap_or(1.0),
            zone,
        }))
    };
    Some(Series { shape, noise, key })
}

/// What one task can take, from the plan and the task's size.
#[derive(Debug, Clone, Copy)]
pub struct TaskSize {
    /// CPU units the task reserves (0 = none).
    pub cpu: u32,
    /// Highest CPU utilisation a task can show, percent of its reservation.
    pub cpu_cap: f64,
    /// Highest memory utilisation, percent of its reservation.
    pub memory_cap: f64,
}

impl ServiceLoad {
    /// Requests per second one task serves at 100 % CPU.
    pub fn capacity(&self, size: TaskSize) -> f64 {
        self.requests_per_task.unwrap_or_else(|| {
            let vcpu = if size.cpu == 0 {
                1.0
            } else {
                size.cpu as f64 / 1024.0
            };
            self.requests_per_vcpu * vcpu
        })
    }
}
