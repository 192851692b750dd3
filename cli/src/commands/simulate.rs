//! `ecsplan simulate PLAN --duration SECONDS [--json]`: service auto scaling and capacity
//! providers over time.
//!
//! The table has one line per minute where a count changed (desired/running/pending tasks per
//! service, instances per capacity provider) or something happened to a service or the cluster,
//! with those events and their reasons beneath it. JSON: `{"start", "durationSeconds",
//! "samples": [{"t", "services": {NAME: {"desired", "running", "pending", "cpu", "memory"}},
//! "capacityProviders": {NAME: {"instances", "reservation", "desiredCapacity"}},
//! (every Auto Scaling group provider; `reservation` is null when managed scaling is off: ECS
//! publishes CapacityProviderReservation only for managed scaling)
//! "runTaskGroups"?: {GROUP: {"tasks", "running", "pending"}}}], "events": [...], "tasks":
//! [{"task", "service", "taskDefinition", "deployment", "instance"?, "capacityProvider"?,
//! "availabilityZone"?, "states": [[t, STATE], ...]}]}` with one sample per minute.

use crate::{input, Outcome, UsageError};
use engine::api::placement::PlaceOptions;
use engine::api::plan::schedule;
use engine::api::sim::{simulate, MinuteSample, ServiceMinute, SimEvent, Timeline};
use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
#[cfg(test)]
use serde_json::{json, Map, Value};
use std::io::{self, Write as _};

/// A simulation longer than this is refused: a year at one-minute samples.
const MAX_SECONDS: u64 = 366 * 86_400;

pub fn run(
    path: &str,
    duration: u64,
    json_out: bool,
    seed: Option<u64>,
) -> Result<Outcome, UsageError> {
    if duration == 0 || duration > MAX_SECONDS {
        return Err(UsageError(format!(
            "--duration must be from 1 to {MAX_SECONDS} seconds (366 days), found {duration}"
        )));
    }
    let Some(plan) = input::load_plan(path)? else {
        return Ok(Outcome::Negative);
    };
    let mut opts = PlaceOptions::for_plan(&plan);
    if let Some(s) = seed {
        opts.seed = s;
    }
    let tl = simulate(&plan, duration as u32, &opts);
    let start = engine::api::plan::workload::start_of(&plan);
    let names: Vec<&str> = plan
        .services
        .iter()
        .map(|s| s.service_name.as_str())
        .collect();
    if json_out {
        let mut w = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
        if let Err(e) = write_json(&mut w, &tl, &names, start).and_then(|()| w.flush()) {
            crate::output::fail(e);
        }
    } else {
        out!("{}", table(&tl, &names, start));
    }
    Ok(Outcome::Ok)
}

/// The JSON of design.md's CLI contract (`to_json`'s bytes, pretty, and a line feed),
/// written as it is produced: a year of minute samples and events is gigabytes as one
/// [`Value`](serde_json::Value), so only one sample or event at a time is. Each sample, event, instance and task
/// is written straight from its record, not through a [`Value`](serde_json::Value) of it: building and dropping
/// those maps (hashing every key) was a third of a simulated day of the quota plan.
pub fn write_json(
    w: &mut impl io::Write,
    tl: &Timeline,
    names: &[&str],
    start: schedule::Instant,
) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &Streamed { tl, names, start })?;
    w.write_all(b"\n")
}

/// `to_json`'s document, member by member in the same order.
struct Streamed<'a> {
    tl: &'a Timeline,
    names: &'a [&'a str],
    start: schedule::Instant,
}

impl Serialize for Streamed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let tl = self.tl;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("start", &schedule::format_instant(self.start))?;
        m.serialize_entry("durationSeconds", &tl.duration)?;
        let keys = Keys::of(self.names, self.names.len());
        m.serialize_entry(
            "samples",
            &Samples {
                tl,
                names: self.names,
                keys: &keys,
            },
        )?;
        // The records' own `Serialize` writes what their `Value` printed: the same members in
        // the same order, strings and integers only.
        m.serialize_entry("events", &tl.events)?;
        if !tl.instances.is_empty() {
            m.serialize_entry("instances", &tl.instances)?;
        }
        // Every task's life: its capacity provider, instance and zone, and its states over time.
        m.serialize_entry("tasks", &tl.tasks)?;
        if let Some(c) = &tl.cost {
            m.serialize_entry("cost", &serde_json::to_value(c).map_err(S::Error::custom)?)?;
        }
        m.end()
    }
}

/// The members of a JSON object whose keys may repeat, as `to_json`'s map holds them: each
/// key once, where it first came, with the value of its last entry.
struct Keys<'a>(Vec<(&'a str, usize)>);

impl<'a> Keys<'a> {
    /// The members for entries `0..n` keyed by `names` (`"?"` past their end, as
    /// `sample_json` names them).
    fn of(names: &[&'a str], n: usize) -> Keys<'a> {
        Keys::from_keys((0..n).map(|i| names.get(i).copied().unwrap_or("?")))
    }

    fn from_keys(keys: impl Iterator<Item = &'a str>) -> Keys<'a> {
        let mut out: Vec<(&'a str, usize)> = Vec::new();
        let mut at: std::collections::HashMap<&'a str, usize> = std::collections::HashMap::new();
        for (i, k) in keys.enumerate() {
            match at.get(k) {
                Some(&j) => out[j].1 = i,
                None => {
                    at.insert(k, out.len());
                    out.push((k, i));
                }
            }
        }
        Keys(out)
    }
}

/// Every minute sample, as `sample_json` would print it.
struct Samples<'a> {
    tl: &'a Timeline,
    names: &'a [&'a str],
    /// The services' members for samples of `names.len()` services (all of them).
    keys: &'a Keys<'a>,
}

impl Serialize for Samples<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let minutes = &self.tl.minutes;
        let mut seq = s.serialize_seq(Some(minutes.len()))?;
        for m in minutes {
            let own;
            let keys = if m.services.len() == self.names.len() {
                self.keys
            } else {
                own = Keys::of(self.names, m.services.len());
                &own
            };
            seq.serialize_element(&Sample {
                m: &m,
                tl: self.tl,
                keys,
            })?;
        }
        seq.end()
    }
}

/// One minute sample, member by member in `sample_json`'s order.
struct Sample<'a> {
    m: &'a MinuteSample,
    tl: &'a Timeline,
    keys: &'a Keys<'a>,
}

impl Serialize for Sample<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.m;
        let t = m.t;
        // RunTask groups (`settings.simulation.runTasks`) come after the services.
        let groups: Vec<(&str, _)> = self
            .tl
            .services
            .iter()
            .skip(m.services.len())
            .filter_map(|g| g.at(t).map(|c| (g.service.as_str(), c)))
            .collect();
        let mut out = s.serialize_map(Some(3 + usize::from(!groups.is_empty())))?;
        out.serialize_entry("t", &t)?;
        out.serialize_entry(
            "services",
            &Object(self.keys, |i| {
                let x: &ServiceMinute = &m.services[i];
                Counts5 {
                    desired: x.desired,
                    running: x.running,
                    pending: x.pending,
                    cpu: x.cpu,
                    memory: x.memory,
                }
            }),
        )?;
        let providers = Keys::from_keys(m.capacity_providers.iter().map(|p| p.name.as_str()));
        out.serialize_entry(
            "capacityProviders",
            &Object(&providers, |i: usize| {
                let p = &m.capacity_providers[i];
                Provider {
                    instances: p.instances,
                    reservation: p.reservation,
                    desired_capacity: p.desired,
                }
            }),
        )?;
        if !groups.is_empty() {
            let keys = Keys::from_keys(groups.iter().map(|(k, _)| *k));
            out.serialize_entry(
                "runTaskGroups",
                &Object(&keys, |i: usize| {
                    let c = groups[i].1;
                    Group {
                        tasks: c.desired,
                        running: c.running,
                        pending: c.pending,
                    }
                }),
            )?;
        }
        out.end()
    }
}

/// A JSON object of `keys`' members, the value of entry `i` being `value(i)`.
struct Object<'a, F>(&'a Keys<'a>, F);

impl<F, V> Serialize for Object<'_, F>
where
    F: Fn(usize) -> V,
    V: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0 .0.len()))?;
        for &(k, i) in &self.0 .0 {
            m.serialize_entry(k, &(self.1)(i))?;
        }
        m.end()
    }
}

/// A service's minute, in `sample_json`'s member order (derived: fields serialize in order).
#[derive(Serialize)]
struct Counts5 {
    desired: u32,
    running: u32,
    pending: u32,
    cpu: f64,
    memory: f64,
}

/// A capacity provider's minute.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Provider {
    instances: u32,
    reservation: Option<f64>,
    desired_capacity: u32,
}

/// A RunTask group's minute.
#[derive(Serialize)]
struct Group {
    tasks: u32,
    running: u32,
    pending: u32,
}

/// One minute sample of `to_json`.
#[cfg(test)]
fn sample_json(m: &MinuteSample, tl: &Timeline, names: &[&str]) -> Value {
    let mut services = Map::new();
    for (i, s) in m.services.iter().enumerate() {
        services.insert(
            names.get(i).copied().unwrap_or("?").to_string(),
            json!({"desired": s.desired, "running": s.running, "pending": s.pending,
                   "cpu": s.cpu, "memory": s.memory}),
        );
    }
    let mut providers = Map::new();
    for p in &m.capacity_providers {
        providers.insert(
            p.name.clone(),
            json!({"instances": p.instances, "reservation": p.reservation,
                   "desiredCapacity": p.desired}),
        );
    }
    let mut sample = json!({"t": m.t, "services": services, "capacityProviders": providers});
    // RunTask groups (`settings.simulation.runTasks`) come after the services.
    let mut groups = Map::new();
    for g in tl.services.iter().skip(m.services.len()) {
        if let Some(c) = g.at(m.t) {
            groups.insert(
                g.service.clone(),
                json!({"tasks": c.desired, "running": c.running, "pending": c.pending}),
            );
        }
    }
    if !groups.is_empty() {
        sample["runTaskGroups"] = Value::Object(groups);
    }
    sample
}

/// The JSON of design.md's CLI contract, as one value (what [`write_json`] writes).
#[cfg(test)]
fn to_json(tl: &Timeline, names: &[&str], start: schedule::Instant) -> Value {
    let samples: Vec<Value> = tl
        .minutes
        .iter()
        .map(|m| sample_json(&m, tl, names))
        .collect();
    let mut out = json!({
        "start": schedule::format_instant(start),
        "durationSeconds": tl.duration,
        "samples": samples,
        "events": tl.events,
    });
    if !tl.instances.is_empty() {
        out["instances"] = json!(tl.instances);
    }
    // Every task's life: its capacity provider, instance and zone, and its states over time.
    out["tasks"] = json!(tl.tasks);
    if let Some(c) = &tl.cost {
        out["cost"] = json!(c);
    }
    out
}

/// Events worth a line in the table: what happened to a service or the cluster, not the steps
/// of single tasks.
fn shown(e: &SimEvent) -> bool {
    e.task.is_none()
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

fn clock(t: schedule::Instant) -> String {
    let days = t.div_euclid(86_400);
    let s = t.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}",
        WEEKDAYS[schedule::weekday(days) as usize],
        s / 3600,
        s / 60 % 60
    )
}

/// The step table.
pub fn table(tl: &Timeline, names: &[&str], start: schedule::Instant) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let providers: Vec<String> = tl
        .minutes
        .first()
        .map(|m| {
            m.capacity_providers
                .iter()
                .map(|p| p.name.clone())
                .collect()
        })
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "Simulated {} from {} ({}). Per service: desired/running/pending tasks and average CPU; per capacity provider: instances and CapacityProviderReservation.",
        engine::api::sim::duration_label(tl.duration),
        schedule::format_instant(start),
        clock(start)
    );
    let _ = writeln!(out);
    let width = |n: &str| n.chars().count().max(16);
    let mut header = format!("{:>8}  {:<9}", "time", "clock");
    for n in names {
        let _ = write!(header, "  {:<w$}", n, w = width(n));
    }
    for p in &providers {
        let _ = write!(header, "  {:<w$}", p, w = width(p));
    }
    let _ = writeln!(out, "{}", header.trim_end());
    let mut last_counts: Option<Vec<(u32, u32, u32)>> = None;
    let mut last_instances: Vec<u32> = Vec::new();
    let mut ev = 0;
    let n_minutes = tl.minutes.len();
    for (k, m) in tl.minutes.iter().enumerate() {
        let counts: Vec<(u32, u32, u32)> = m
            .services
            .iter()
            .map(|s| (s.desired, s.running, s.pending))
            .collect();
        let instances: Vec<u32> = m.capacity_providers.iter().map(|p| p.instances).collect();
        // The events from this sample until the next one (the sample is taken first).
        let next_t = tl.minutes.get(k + 1).map_or(u32::MAX, |n| n.t);
        let first_ev = ev;
        while ev < tl.events.len() && tl.events[ev].t < next_t {
            ev += 1;
        }
        let events: Vec<&SimEvent> = tl.events[first_ev..ev]
            .iter()
            .filter(|e| shown(e))
            .collect();
        let changed = last_counts.as_ref() != Some(&counts) || last_instances != instances;
        if !(changed || !events.is_empty() || k + 1 == n_minutes) {
            continue;
        }
        last_counts = Some(counts);
        last_instances = instances;
        let mut line = format!(
            "{:>8}  {:<9}",
            engine::api::sim::duration_label(m.t),
            clock(start + m.t as i64)
        );
        for (i, s) in m.services.iter().enumerate() {
            let n = names.get(i).copied().unwrap_or("?");
            let cell = format!("{}/{}/{} {:>5.1}%", s.desired, s.running, s.pending, s.cpu);
            let _ = write!(line, "  {:<w$}", cell, w = width(n));
        }
        for (i, p) in m.capacity_providers.iter().enumerate() {
            let n = providers.get(i).map_or("?", String::as_str);
            // A provider without managed scaling has no CapacityProviderReservation.
            let cell = match p.reservation {
                Some(r) => format!("{} {:>5.1}%", p.instances, r),
                None => format!("{} {:>6}", p.instances, "-"),
            };
            let _ = write!(line, "  {:<w$}", cell, w = width(n));
        }
        let _ = writeln!(out, "{}", line.trim_end());
        for e in events {
            let who = e
                .service
                .as_deref()
                .or(e.instance.as_deref())
                .unwrap_or("cluster");
            let when = if e.t == m.t {
                String::new()
            } else {
                format!(" (at {})", engine::api::sim::duration_label(e.t))
            };
            let _ = writeln!(
                out,
                "{:>21}{who}: {}{when}: {}",
                "",
                e.kind.code(),
                e.message
            );
        }
    }
    // Events when there is no minute sample at all.
    for e in tl.events[ev..].iter().filter(|e| shown(e)) {
        let who = e.service.as_deref().unwrap_or("cluster");
        let _ = writeln!(
            out,
            "{:>8}  {:<9}  {who}: {}: {}",
            engine::api::sim::duration_label(e.t),
            clock(start + e.t as i64),
            e.kind.code(),
            e.message
        );
    }
    if let Some(c) = &tl.cost {
        out.push_str(&cost_lines(c));
    }
    out
}

/// The timeline's cost, a few lines under the table.
fn cost_lines(c: &engine::api::sim::Cost) -> String {
    use engine::api::sim::CostKind;
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Cost ({}): ${:.2}, ${:.3} an hour: EC2 ${:.2}, Fargate ${:.2}, Fargate Spot ${:.2}.",
        c.prices, c.total, c.per_hour, c.ec2, c.fargate, c.fargate_spot
    );
    if let Some(n) = &c.note {
        let _ = writeln!(out, "  note: {n}");
    }
    for p in &c.by_provider {
        let what = match p.kind {
            CostKind::Ec2 => "instance-hours",
            CostKind::Fargate | CostKind::FargateSpot => "task-hours",
        };
        let _ = writeln!(
            out,
            "  {}: {:.1} {what}, ${:.2}",
            p.provider,
            p.seconds as f64 / 3600.0,
            p.cost
        );
    }
    for s in &c.by_service {
        let _ = writeln!(
            out,
            "  service {}: ${:.2} (EC2 share ${:.2}, Fargate ${:.2}, Fargate Spot ${:.2})",
            s.service, s.total, s.ec2, s.fargate, s.fargate_spot
        );
    }
    if c.ec2 > 0.0 {
        let _ = writeln!(
            out,
            "  EC2 no task reserved (shared out by reserved CPU): ${:.2}",
            c.ec2_unallocated
        );
    }
    let _ = writeln!(
        out,
        "  the same tasks for the same time on Fargate: ${:.2}; on Fargate Spot: ${:.2}{}",
        c.all_fargate,
        c.all_fargate_spot,
        if c.not_on_fargate.is_empty() {
            String::new()
        } else {
            format!(
                " (Fargate could not run {}: GPUs or a size above its largest)",
                c.not_on_fargate.join(", ")
            )
        }
    );
    if !c.unpriced.is_empty() {
        let _ = writeln!(out, "  no price for: {}", c.unpriced.join(", "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `write_json`'s bytes against the pretty printing of `to_json`'s whole value, for
    /// plan `plan` simulated over `seconds`, its services named by `names` (or the plan's).
    fn same_as_the_whole_value(
        plan: &engine::api::plan::Plan,
        seconds: u32,
        names: Option<&[&str]>,
    ) {
        let tl = simulate(plan, seconds, &PlaceOptions::for_plan(plan));
        assert!(!tl.events.is_empty() || !tl.minutes.is_empty());
        let start = engine::api::plan::workload::start_of(plan);
        let own: Vec<&str> = plan
            .services
            .iter()
            .map(|s| s.service_name.as_str())
            .collect();
        let names = names.unwrap_or(&own);
        let mut streamed = Vec::new();
        write_json(&mut streamed, &tl, names, start).expect("written");
        let whole = serde_json::to_string_pretty(&to_json(&tl, names, start)).expect("printed");
        assert!(
            String::from_utf8(streamed).expect("utf-8") == format!("{whole}\n"),
            "the written JSON differs from the whole value's"
        );
    }

    fn sample(name: &str) -> serde_json::Value {
        let path = format!("{}/../public/plans/{name}.json", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).expect("the sample plan"))
            .expect("JSON")
    }

    fn loaded(v: serde_json::Value) -> engine::api::plan::Plan {
        engine::api::plan::load(&v.to_string())
            .plan
            .expect("the plan loads")
    }

    /// The streamed JSON is, byte for byte, the pretty printing of the whole value it replaced
    /// (two days of the sample with auto scaling, capacity providers, instances and cost).
    #[test]
    fn the_streamed_json_is_the_whole_value_printed() {
        same_as_the_whole_value(&loaded(sample("two-az-web")), 2 * 86_400, None);
    }

    /// The same for the other samples (Fargate Spot, standalone tasks), a sample with RunTask
    /// groups in its minutes, and a small quota plan (many services, two Auto Scaling group
    /// providers, daemons, Fargate).
    #[test]
    fn the_streamed_json_is_the_whole_value_printed_for_every_kind_of_plan() {
        same_as_the_whole_value(&loaded(sample("fargate-spot")), 86_400, None);
        same_as_the_whole_value(&loaded(sample("mixed-memberof")), 86_400, None);
        let mut v = sample("two-az-web");
        v["settings"] = serde_json::json!({"simulation": {"runTasks": [
            {"taskDefinition": "worker", "count": 2, "atSecond": 120},
            {"taskDefinition": "web", "count": 1, "schedule": "rate(1 hour)", "group": "hourly"}
        ]}});
        let plan = loaded(v);
        let tl = simulate(&plan, 7_200, &PlaceOptions::for_plan(&plan));
        assert!(
            tl.services.len() > plan.services.len(),
            "RunTask groups in the minutes"
        );
        same_as_the_whole_value(&plan, 7_200, None);
        let quota = loaded(testkit::quota::Quota::scaled(0.02).plan());
        same_as_the_whole_value(&quota, 6 * 3_600, None);
    }

    /// Services named alike, and more services than names: the whole value keeps one member
    /// per name (where it first came, with the last value), and so does the written JSON.
    #[test]
    fn repeated_and_missing_service_names_are_written_as_the_whole_value_holds_them() {
        let plan = loaded(sample("two-az-web"));
        same_as_the_whole_value(&plan, 3_600, Some(&["same", "same"]));
        same_as_the_whole_value(&plan, 3_600, Some(&["only-one"]));
        same_as_the_whole_value(&plan, 3_600, Some(&[]));
    }
}
