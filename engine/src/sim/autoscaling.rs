//! Service auto scaling (Application Auto Scaling) in the simulator, and the workload that
//! drives it.
//!
//! Once a minute ([`Sim::measure_minute`]) the workload ([`super::workload`]) is turned into the
//! minute's datapoints per service, second by second from the service's healthy task count;
//! then ([`Sim::autoscale_minute`]) scheduled actions run and the scaling policies
//! ([`super::policies`]) decide, and the desired count changes with the reason in the timeline.
//!
//! Rules (`service-auto-scaling.md`, `service-autoscaling-targettracking.md`, `ecs-semantics.md`
//! §4):
//! - Scale out if any policy says so, to the largest capacity proposed; scale in only if every
//!   target tracking policy with scale-in enabled agrees (their low alarms are all in ALARM),
//!   to the largest capacity proposed; a scale-out wins over a scale-in in the same minute.
//! - The result is clamped to the scalable target's min/max. A desired count below the minimum
//!   is raised to it by a scale-out (then the policy continues), never changed by a scale-in;
//!   above the maximum, the reverse.
//! - Scale-in is suspended while a deployment of the service is in progress; `suspendedState`
//!   suspends dynamic scale-in, scale-out or scheduled scaling.
//! - A scheduled action sets min and/or max; a desired count outside the new range is moved
//!   into it at once.
//! - Scheduled actions run at the first minute tick at or after their time [INFER: AAS does not
//!   promise second accuracy]; metric datapoints are the minute just ended (CloudWatch's
//!   publishing delay is not modelled) [INFER].

use super::policies::{self, Datapoint, Decision, Metric, Policy, PolicyKind, PolicyState};
use super::run::{Rollout, TaskState};
use crate::plan::schedule::{self, Instant, Zone};
use super::workload::{self, LoadKind, ServiceLoad, TaskSize, Workload};
use super::Sim;
use crate::findings::{Finding, JsonPath};
use crate::placement::{Launch, Source};
use crate::plan::Plan;
use serde_json::Value;

/// Service auto scaling's state in a simulation.
#[derive(Debug)]
pub(crate) struct Scaling {
    pub start: Instant,
    services: Vec<SvcScaling>,
    /// The second of the previous minute tick.
    last_tick: Option<u32>,
    /// How many of the timeline's tasks were sorted into `SvcScaling::tasks`.
    seen_tasks: usize,
}

#[derive(Debug)]
struct SvcScaling {
    load: Option<ServiceLoad>,
    size: TaskSize,
    /// `desiredCount` in the plan: the task count a directly given utilisation refers to.
    reference_tasks: f64,
    backlog: f64,
    dp: Datapoint,
    target: Option<Target>,
    /// The service's tasks in the timeline that may still be RUNNING.
    tasks: Vec<usize>,
}

#[derive(Debug)]
struct Target {
    min: u32,
    max: u32,
    in_suspended: bool,
    out_suspended: bool,
    scheduled_suspended: bool,
    policies: Vec<(Policy, PolicyState)>,
    actions: Vec<Action>,
    /// (instant, action index), in time order.
    runs: Vec<(Instant, usize)>,
    next_run: usize,
    /// The deployment whose scale-in suspension was reported.
    suspension_noted: Option<u32>,
    /// A scale-out held back by maxCapacity was reported (until the policies stop asking).
    at_max_noted: bool,
}

#[derive(Debug)]
struct Action {
    name: String,
    schedule: String,
    zone: String,
    min: Option<u32>,
    max: Option<u32>,
}

/// The instant the simulation's second 0 stands for (`workload.start`, or
/// [`workload::DEFAULT_START`]).
pub fn start_of(plan: &Plan) -> Instant {
    plan.workload
        .as_ref()
        .and_then(|w| w.get("start"))
        .and_then(Value::as_str)
        .and_then(|s| schedule::parse_instant(s).ok())
        .unwrap_or_else(|| schedule::parse_instant(workload::DEFAULT_START).unwrap_or(0))
}

fn capacity(v: &Value, k: &str) -> Option<u32> {
    v.get(k)
        .and_then(Value::as_i64)
        .map(|x| x.clamp(0, u32::MAX as i64) as u32)
}

fn flag(v: Option<&Value>, k: &str) -> bool {
    v.and_then(|s| s.get(k)).and_then(Value::as_bool) == Some(true)
}

impl Sim<'_> {
    fn setup_scaling(&mut self) -> Scaling {
        let (w, _) = workload::parse(self.plan);
        let Workload {
            start, services, ..
        } = w;
        let horizon_end = start + self.horizon as i64;
        let mut out = Vec::new();
        let mut notes: Vec<(usize, String, String)> = Vec::new();
        for (s, load) in services.into_iter().enumerate() {
            let svc = &self.plan.services[s];
            let size = self.task_size(s);
            let target = svc.auto_scaling.as_ref().map(|a| {
                let ss = a.get("suspendedState");
                let mut policies = Vec::new();
                for p in a
                    .get("policies")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    match policies::parse_policy(p) {
                        Ok(pol) => policies.push((pol, PolicyState::default())),
                        Err(e) => notes.push((s, "policy-ignored".into(), e)),
                    }
                }
                let mut actions = Vec::new();
                let mut runs = Vec::new();
                for act in a
                    .get("scheduledActions")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    match scheduled_runs(act, start, start, horizon_end) {
                        Ok((action, times)) => {
                            let i = actions.len();
                            actions.push(action);
                            runs.extend(times.into_iter().map(|t| (t, i)));
                        }
                        Err(e) => notes.push((s, "scheduled-action-ignored".into(), e)),
                    }
                }
                runs.sort();
                Target {
                    min: capacity(a, "minCapacity").unwrap_or(0),
                    max: capacity(a, "maxCapacity").unwrap_or(u32::MAX),
                    in_suspended: flag(ss, "DynamicScalingInSuspended"),
                    out_suspended: flag(ss, "DynamicScalingOutSuspended"),
                    scheduled_suspended: flag(ss, "ScheduledScalingSuspended"),
                    policies,
                    actions,
                    runs,
                    next_run: 0,
                    suspension_noted: None,
                    at_max_noted: false,
                }
            });
            let backlog = match &load {
                Some(ServiceLoad {
                    kind:
                        LoadKind::Queue {
                            initial_backlog, ..
                        },
                    ..
                }) => *initial_backlog,
                _ => 0.0,
            };
            out.push(SvcScaling {
                load,
                size,
                reference_tasks: svc.desired_count.unwrap_or(1).max(1) as f64,
                backlog,
                dp: Datapoint::default(),
                target,
                tasks: Vec::new(),
            });
        }
        for (s, kind, msg) in notes {
            self.note(s, &kind, msg);
        }
        Scaling {
            start,
            services: out,
            last_tick: None,
            seen_tasks: 0,
        }
    }

    fn note(&mut self, s: usize, kind: &str, message: String) {
        let t = self.now;
        self.timeline.events.push(super::SimEvent {
            t,
            kind: kind.to_string(),
            service: Some(self.services[s].name.clone()),
            task: None,
            instance: None,
            message,
        });
    }

    /// The CPU a service's task reserves, and how far above its reservation it can go.
    fn task_size(&self, s: usize) -> TaskSize {
        let idx = self.services[s].index;
        let spec = self.placement.tasks.iter().find_map(|t| match t.source {
            Source::Service { index, .. } if index == idx => Some(t.spec),
            _ => None,
        });
        let svc = &self.plan.services[idx];
        let td = svc
            .task_definition
            .as_deref()
            .and_then(|r| self.plan.resolve_task_definition(r))
            .map(|(i, _)| &self.plan.task_definitions[i]);
        let fargate = match spec.map(|sp| &self.placement.specs[sp].launch) {
            Some(Launch::Fargate { .. }) => true,
            Some(_) => false,
            None => {
                svc.launch_type == Some(crate::plan::LaunchType::Fargate)
                    || svc
                        .capacity_provider_strategy
                        .iter()
                        .any(|c| c.capacity_provider.starts_with("FARGATE"))
            }
        };
        let demand = td.map(|td| crate::placement::demand::Demand::of(td, fargate));
        let cpu = demand.as_ref().map_or(0, |d| d.cpu);
        if fargate {
            return TaskSize {
                cpu,
                cpu_cap: 100.0,
                memory_cap: 100.0,
            };
        }
        let biggest = self
            .placement
            .cluster
            .nodes
            .iter()
            .map(|n| n.registered.cpu)
            .max()
            .unwrap_or(0);
        let reserved = if cpu == 0 { 1024 } else { cpu };
        let hard: u32 = td.map_or(0, |td| {
            td.container_definitions
                .iter()
                .map(|c| c.memory.unwrap_or(0).clamp(0, u32::MAX as i64) as u32)
                .sum()
        });
        let soft = demand.as_ref().map_or(0, |d| d.memory);
        TaskSize {
            cpu,
            cpu_cap: (100.0 * biggest as f64 / reserved as f64).max(100.0),
            memory_cap: if soft > 0 && hard > soft {
                100.0 * hard as f64 / soft as f64
            } else {
                100.0
            },
        }
    }

    /// The minute's datapoints of every service, from the workload, second by second since the
    /// previous tick.
    pub(super) fn measure_minute(&mut self) {
        if self.scaling.is_none() {
            let sc = self.setup_scaling();
            self.scaling = Some(Box::new(sc));
        }
        let Some(mut sc) = self.scaling.take() else {
            return;
        };
        let now = self.now;
        let (from, to) = match sc.last_tick {
            Some(p) if p < now => (p + 1, now),
            _ => (now, now),
        };
        let advance = sc.last_tick.is_some_and(|p| p < now);
        for t in sc.seen_tasks..self.timeline.tasks.len() {
            let name = &self.timeline.tasks[t].service;
            if let Some(s) = self.services.iter().position(|x| &x.name == name) {
                sc.services[s].tasks.push(t);
            }
        }
        sc.seen_tasks = self.timeline.tasks.len();
        for (s, ss) in sc.services.iter_mut().enumerate() {
            // Seconds of RUNNING tasks in the window; tasks stopped before it are forgotten.
            let lives = &self.timeline.tasks;
            ss.tasks.retain(|t| {
                lives[*t]
                    .states
                    .last()
                    .is_none_or(|(at, st)| *st != TaskState::Stopped || *at >= from)
            });
            let running_secs: u64 = ss
                .tasks
                .iter()
                .map(|t| running_seconds(&lives[*t].states, from, to))
                .sum();
            let series = &self.timeline.services[s].samples;
            ss.dp = measure(ss, series, sc.start, from, to, advance, running_secs as f64);
        }
        sc.last_tick = Some(now);
        self.scaling = Some(sc);
    }

    /// Average CPU and memory utilisation of service `s`'s running tasks this minute, percent
    /// of their reservation (0 without data: no task running, or no workload).
    pub(super) fn utilisation(&self, s: usize) -> (f64, f64) {
        let dp = self
            .scaling
            .as_ref()
            .and_then(|sc| sc.services.get(s))
            .map(|ss| ss.dp)
            .unwrap_or_default();
        (
            round2(dp.cpu.unwrap_or(0.0)),
            round2(dp.memory.unwrap_or(0.0)),
        )
    }

    /// Scheduled actions, then the scaling policies, for this minute.
    pub(super) fn autoscale_minute(&mut self) {
        let Some(mut sc) = self.scaling.take() else {
            return;
        };
        let wall = sc.start + self.now as i64;
        for s in 0..sc.services.len() {
            let dp = sc.services[s].dp;
            let Some(target) = sc.services[s].target.as_mut() else {
                continue;
            };
            self.run_scheduled(s, target, wall);
            if !target.policies.is_empty() {
                self.run_policies(s, target, &dp);
            }
        }
        self.scaling = Some(sc);
    }

    fn run_scheduled(&mut self, s: usize, target: &mut Target, wall: Instant) {
        while let Some(&(t, i)) = target.runs.get(target.next_run) {
            if t > wall {
                break;
            }
            target.next_run += 1;
            let a = &target.actions[i];
            if target.scheduled_suspended {
                let msg = format!(
                    "scheduled action {} did not run: ScheduledScalingSuspended",
                    a.name
                );
                self.note(s, "scheduled-action", msg);
                continue;
            }
            if let Some(m) = a.min {
                target.min = m;
            }
            if let Some(m) = a.max {
                target.max = m;
            }
            let range = format!("minCapacity {}, maxCapacity {}", target.min, target.max);
            let msg = format!(
                "scheduled action {} ({} {}) at {}: {range}",
                a.name,
                a.schedule,
                a.zone,
                schedule::format_instant(t)
            );
            let name = a.name.clone();
            self.note(s, "scheduled-action", msg);
            let desired = self.services[s].desired;
            if desired < target.min {
                self.set_desired(
                    s,
                    target.min,
                    &format!(
                        "scheduled action {name} raised minCapacity to {}",
                        target.min
                    ),
                );
            } else if desired > target.max {
                self.set_desired(
                    s,
                    target.max,
                    &format!(
                        "scheduled action {name} lowered maxCapacity to {}",
                        target.max
                    ),
                );
            }
        }
    }

    fn run_policies(&mut self, s: usize, target: &mut Target, dp: &Datapoint) {
        let now = self.now;
        let running = self.running_count(s);
        let desired = self.services[s].desired;
        let mut decisions: Vec<Decision> = Vec::with_capacity(target.policies.len());
        for (p, st) in target.policies.iter_mut() {
            decisions.push(match &p.kind {
                PolicyKind::Target(tt) => {
                    tt.evaluate(&p.name, st, dp.get(tt.metric), now, dp.count_for(tt.metric))
                }
                PolicyKind::Step(sp) => {
                    sp.evaluate(&p.name, st, dp.get(sp.alarm.metric), now, running, desired)
                }
            });
        }
        let (min, max) = (target.min, target.max);
        // Scale out: any policy, the largest capacity.
        let out = decisions
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.out.as_ref().map(|p| (i, p)))
            .filter(|(_, p)| p.capacity > desired)
            .max_by_key(|(_, p)| p.capacity);
        if let Some((i, p)) = out {
            if target.out_suspended {
                return;
            }
            let new = p.capacity.clamp(min, max);
            if new > desired {
                let mut why = p.reason.clone();
                if p.capacity > max {
                    why.push_str(&format!(" (capped at maxCapacity {max})"));
                }
                self.set_desired(s, new, &why);
                target.policies[i].1.last_out = Some((now, new, p.base));
                // A scale-out ends every scale-in cooldown.
                for (_, st) in target.policies.iter_mut() {
                    st.last_in = None;
                }
                target.at_max_noted = false;
            } else if !target.at_max_noted {
                target.at_max_noted = true;
                let msg = format!(
                    "{} wants {} tasks, but the desired count {desired} is already at maxCapacity {max}",
                    policy_label(&target.policies[i].0),
                    p.capacity
                );
                self.note(s, "scaling-limited", msg);
            }
            return;
        }
        target.at_max_noted = false;
        // Scale in: every target tracking policy with scale-in enabled must agree.
        let tt_in: Vec<usize> = target
            .policies
            .iter()
            .enumerate()
            .filter(|(_, (p, _))| matches!(&p.kind, PolicyKind::Target(t) if !t.disable_scale_in))
            .map(|(i, _)| i)
            .collect();
        let tt_agree = !tt_in.is_empty() && tt_in.iter().all(|i| decisions[*i].ready_in);
        let candidates = decisions
            .iter()
            .enumerate()
            .filter(|(i, _)| matches!(target.policies[*i].0.kind, PolicyKind::Step(_)) || tt_agree)
            .filter_map(|(i, d)| d.scale_in.as_ref().map(|p| (i, p)))
            .filter(|(_, p)| p.capacity < desired)
            .max_by_key(|(_, p)| p.capacity);
        let Some((i, p)) = candidates else {
            return;
        };
        if target.in_suspended {
            return;
        }
        if let Some(dep) = self.services[s]
            .deployments
            .last()
            .filter(|d| d.rollout == Rollout::InProgress)
            .map(|d| d.id)
        {
            if target.suspension_noted != Some(dep) {
                target.suspension_noted = Some(dep);
                let msg = format!(
                    "scale-in suspended while deployment {dep} is in progress (Application Auto Scaling turns off scale-in during ECS deployments)"
                );
                self.note(s, "scaling-suspended", msg);
            }
            return;
        }
        let new = p.capacity.clamp(min, max);
        if new < desired {
            let mut why = p.reason.clone();
            if p.capacity < min {
                why.push_str(&format!(" (held at minCapacity {min})"));
            }
            self.set_desired(s, new, &why);
            let stamp: Vec<usize> = if matches!(target.policies[i].0.kind, PolicyKind::Step(_)) {
                vec![i]
            } else {
                tt_in
            };
            for j in stamp {
                target.policies[j].1.last_in = Some(now);
            }
        }
    }
}

fn policy_label(p: &Policy) -> String {
    match &p.kind {
        PolicyKind::Target(_) => format!("target tracking {}", p.name),
        PolicyKind::Step(_) => format!("step scaling {}", p.name),
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// How many of the seconds `from..=to` the task spent RUNNING.
fn running_seconds(states: &[(u32, TaskState)], from: u32, to: u32) -> u64 {
    let mut total = 0u64;
    for (i, (at, st)) in states.iter().enumerate() {
        if *st != TaskState::Running {
            continue;
        }
        let end = states.get(i + 1).map_or(u64::MAX, |(t, _)| *t as u64);
        let lo = (*at as u64).max(from as u64);
        let hi = end.min(to as u64 + 1);
        total += hi.saturating_sub(lo);
    }
    total
}

/// The datapoints of seconds `from..=to` (with `advance`, the queue's backlog moves on).
/// The load is shared by the healthy tasks; the CPU and memory averages also count the tasks
/// RUNNING but not yet healthy (`running_secs`, task-seconds), which idle.
fn measure(
    ss: &mut SvcScaling,
    series: &[super::ServiceSample],
    start: Instant,
    from: u32,
    to: u32,
    advance: bool,
    running_secs: f64,
) -> Datapoint {
    let Some(load) = ss.load.as_ref() else {
        return Datapoint::default();
    };
    let size = ss.size;
    let zone_series = match &load.kind {
        LoadKind::Requests(x) => Some(x),
        LoadKind::Queue { arrivals, .. } => Some(arrivals),
        LoadKind::Utilisation { cpu, memory } => cpu.as_ref().or(memory.as_ref()),
    };
    let zone: Option<&Zone> = zone_series.and_then(|x| x.zone());
    let local0 = zone.map(|z| z.local(start + from as i64));
    let mut idx = series.partition_point(|x| x.t <= from);
    let (mut sum_n, mut sum_cpu, mut sum_mem, mut sum_req) = (0.0, 0.0, 0.0, 0.0);
    let cap_rps = load.capacity(size);
    let busy_cpu =
        |busy: f64| (load.cpu_idle + (100.0 - load.cpu_idle) * busy).clamp(0.0, size.cpu_cap);
    let busy_mem = |busy: f64| {
        (load.memory_idle + (load.memory_at_capacity - load.memory_idle) * busy)
            .clamp(0.0, size.memory_cap)
    };
    let mut n_last = 0.0;
    for u in from..=to {
        while idx < series.len() && series[idx].t <= u {
            idx += 1;
        }
        let n = idx.checked_sub(1).map_or(0.0, |i| series[i].running as f64);
        n_last = n;
        let wall = start + u as i64;
        let local = local0.map(|l| l + (u - from) as i64);
        match &load.kind {
            LoadKind::Requests(rps) => {
                let r = rps.at(u, wall, local);
                sum_req += r;
                if n > 0.0 {
                    let x = r / (n * cap_rps);
                    sum_n += n;
                    sum_cpu += n * busy_cpu(x);
                    sum_mem += n * busy_mem(x);
                }
            }
            LoadKind::Utilisation { cpu, memory } => {
                if n > 0.0 {
                    let share = ss.reference_tasks / n;
                    sum_n += n;
                    let c = cpu
                        .as_ref()
                        .map_or(load.cpu_idle, |c| c.at(u, wall, local) * share);
                    let m = memory
                        .as_ref()
                        .map_or(load.memory_idle, |m| m.at(u, wall, local) * share);
                    sum_cpu += n * c.clamp(0.0, size.cpu_cap);
                    sum_mem += n * m.clamp(0.0, size.memory_cap);
                }
            }
            LoadKind::Queue {
                arrivals,
                seconds_per_message,
                ..
            } => {
                let rate = n / seconds_per_message;
                let lambda = arrivals.at(u, wall, local);
                let busy = if advance {
                    let avail = ss.backlog + lambda;
                    let done = avail.min(rate);
                    ss.backlog = avail - done;
                    if rate > 0.0 {
                        done / rate
                    } else {
                        0.0
                    }
                } else if rate > 0.0 {
                    ((ss.backlog + lambda) / rate).min(1.0)
                } else {
                    0.0
                };
                if n > 0.0 {
                    sum_n += n;
                    sum_cpu += n * busy_cpu(busy);
                    sum_mem += n * busy_mem(busy);
                }
            }
        }
    }
    let secs = (to - from + 1) as f64;
    let mut dp = Datapoint::default();
    let idle = (running_secs - sum_n).max(0.0);
    dp.tasks = (sum_n + idle) / secs;
    dp.targets = sum_n / secs;
    dp.workers = n_last;
    if sum_n + idle > 0.0 {
        let idle_cpu = load.cpu_idle.clamp(0.0, size.cpu_cap);
        let idle_mem = load.memory_idle.clamp(0.0, size.memory_cap);
        dp.cpu = Some((sum_cpu + idle * idle_cpu) / (sum_n + idle));
        dp.memory = Some((sum_mem + idle * idle_mem) / (sum_n + idle));
    }
    if sum_n > 0.0 && matches!(load.kind, LoadKind::Requests(_)) {
        // RequestCountPerTarget: the minute's requests over the average healthy targets.
        dp.requests_per_target = Some(sum_req * (60.0 / secs) / (sum_n / secs));
    }
    if matches!(load.kind, LoadKind::Queue { .. }) {
        dp.backlog = Some(ss.backlog);
        dp.backlog_per_task = Some(ss.backlog / n_last.max(1.0));
    }
    dp
}

/// A scheduled action's runs in `(from, to]`.
fn scheduled_runs(
    act: &Value,
    origin: Instant,
    from: Instant,
    to: Instant,
) -> Result<(Action, Vec<Instant>), String> {
    let name = act
        .get("ScheduledActionName")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_string();
    let text = act
        .get("Schedule")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("scheduled action {name} has no Schedule"))?;
    let sched =
        schedule::parse_schedule(text).map_err(|e| format!("scheduled action {name}: {e}"))?;
    let zone_name = act.get("Timezone").and_then(Value::as_str).unwrap_or("UTC");
    let zone = Zone::named(zone_name).map_err(|e| format!("scheduled action {name}: {e}"))?;
    let ts = |k: &str| -> Result<Option<Instant>, String> {
        act.get(k)
            .map(schedule::parse_timestamp)
            .transpose()
            .map_err(|e| format!("scheduled action {name}: {k}: {e}"))
    };
    let (start, end) = (ts("StartTime")?, ts("EndTime")?);
    let target = act.get("ScalableTargetAction");
    let runs = sched.runs(&zone, from - 1, to, start, end, origin);
    Ok((
        Action {
            name,
            schedule: text.to_string(),
            zone: zone.name.clone(),
            min: target.and_then(|t| capacity(t, "MinCapacity")),
            max: target.and_then(|t| capacity(t, "MaxCapacity")),
        },
        runs,
    ))
}

/// Problems with the workload and the auto scaling configuration that the schema cannot see:
/// values, schedule expressions, time zones, step adjustment ranges, the planner's alarms, and
/// policies the simulator cannot run (warnings).
pub fn check(plan: &Plan) -> Vec<Finding> {
    let (wl, mut out) = workload::parse(plan);
    for (si, svc) in plan.services.iter().enumerate() {
        let Some(a) = svc.auto_scaling.as_ref() else {
            continue;
        };
        let p = JsonPath::root()
            .key("services")
            .index(si)
            .key("autoScaling");
        for (i, pol) in a
            .get("policies")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            check_policy(
                pol,
                &p.key("policies").index(i),
                wl.services[si].as_ref(),
                &mut out,
            );
        }
        for (i, act) in a
            .get("scheduledActions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let ap = p.key("scheduledActions").index(i);
            match act.get("Schedule").and_then(Value::as_str) {
                None => out.push(
                    Finding::error(
                        "scheduled-action-schedule",
                        ap.clone(),
                        "a scheduled action needs a Schedule",
                    )
                    .with_fix("add \"Schedule\": \"cron(0 7 ? * MON-FRI *)\""),
                ),
                Some(s) => {
                    if let Err(e) = schedule::parse_schedule(s) {
                        out.push(
                            Finding::error("scheduled-action-schedule", ap.key("Schedule"), e)
                                .with_fix("use at(2026-11-23T07:00:00), rate(1 hour) or cron(0 7 ? * MON-FRI *)"),
                        );
                    }
                }
            }
            if let Some(z) = act.get("Timezone").and_then(Value::as_str) {
                if let Err(e) = Zone::named(z) {
                    out.push(
                        Finding::error("unknown-time-zone", ap.key("Timezone"), e).with_fix(
                            "use an IANA name such as UTC, Europe/Dublin or America/New_York",
                        ),
                    );
                }
            }
            let mut times = [None, None];
            for (j, k) in ["StartTime", "EndTime"].into_iter().enumerate() {
                if let Some(v) = act.get(k) {
                    match schedule::parse_timestamp(v) {
                        Ok(t) => times[j] = Some(t),
                        Err(e) => out.push(
                            Finding::error("scheduled-action-time", ap.key(k), e)
                                .with_fix("write it as 2026-11-23T07:00:00Z"),
                        ),
                    }
                }
            }
            if let [Some(s), Some(e)] = times {
                if e <= s {
                    out.push(
                        Finding::error(
                            "scheduled-action-time",
                            ap.key("EndTime"),
                            "EndTime is not after StartTime",
                        )
                        .with_fix("set EndTime after StartTime"),
                    );
                }
            }
            if act
                .get("ScalableTargetAction")
                .is_none_or(|t| t.get("MinCapacity").is_none() && t.get("MaxCapacity").is_none())
            {
                out.push(
                    Finding::warning(
                        "scheduled-action-empty",
                        ap.clone(),
                        "the scheduled action changes neither MinCapacity nor MaxCapacity",
                    )
                    .with_fix(
                        "add \"ScalableTargetAction\": {\"MinCapacity\": 2, \"MaxCapacity\": 10}",
                    ),
                );
            }
        }
    }
    out
}

fn check_policy(pol: &Value, p: &JsonPath, load: Option<&ServiceLoad>, out: &mut Vec<Finding>) {
    let before = out.len();
    let name = pol.get("PolicyName").and_then(Value::as_str).unwrap_or("?");
    let ty = pol.get("PolicyType").and_then(Value::as_str);
    if ty.is_none() {
        let guess = if pol.get("StepScalingPolicyConfiguration").is_some() {
            "StepScaling"
        } else {
            "TargetTrackingScaling"
        };
        out.push(
            Finding::error(
                "scaling-policy-type",
                p.clone(),
                format!("policy {name} has no PolicyType, which PutScalingPolicy requires"),
            )
            .with_fix(format!("add \"PolicyType\": \"{guess}\"")),
        );
    }
    if let Some(t) = pol
        .get("TargetTrackingScalingPolicyConfiguration")
        .and_then(|c| c.get("PredefinedMetricSpecification"))
        .and_then(|m| m.get("PredefinedMetricType"))
        .and_then(Value::as_str)
    {
        if !t.starts_with("ECSService") && t != "ALBRequestCountPerTarget" {
            out.push(
                Finding::error(
                    "scaling-metric",
                    p.key("TargetTrackingScalingPolicyConfiguration")
                        .key("PredefinedMetricSpecification")
                        .key("PredefinedMetricType"),
                    format!("{t} is not a metric of an ECS service"),
                )
                .with_fix("use ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization or ALBRequestCountPerTarget"),
            );
        }
    }
    if let Some(c) = pol.get("StepScalingPolicyConfiguration") {
        let cp = p.key("StepScalingPolicyConfiguration");
        let at = c.get("AdjustmentType").and_then(Value::as_str);
        if at.is_none() {
            out.push(
                Finding::error(
                    "step-adjustments",
                    cp.clone(),
                    "step scaling needs an AdjustmentType",
                )
                .with_fix("add \"AdjustmentType\": \"ChangeInCapacity\""),
            );
        }
        if c.get("MinAdjustmentMagnitude").is_some() && at != Some("PercentChangeInCapacity") {
            out.push(
                Finding::error(
                    "step-adjustments",
                    cp.key("MinAdjustmentMagnitude"),
                    "MinAdjustmentMagnitude applies to PercentChangeInCapacity only",
                )
                .with_fix("remove MinAdjustmentMagnitude, or use PercentChangeInCapacity"),
            );
        }
        let steps: Vec<policies::Step> = c
            .get("StepAdjustments")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|s| policies::Step {
                lower: s.get("MetricIntervalLowerBound").and_then(Value::as_f64),
                upper: s.get("MetricIntervalUpperBound").and_then(Value::as_f64),
                adjustment: s
                    .get("ScalingAdjustment")
                    .and_then(Value::as_i64)
                    .unwrap_or(0),
            })
            .collect();
        if steps.is_empty() {
            out.push(
                Finding::error("step-adjustments", cp.key("StepAdjustments"), "step scaling needs at least one step adjustment")
                    .with_fix("add \"StepAdjustments\": [{\"MetricIntervalLowerBound\": 0, \"ScalingAdjustment\": 1}]"),
            );
        } else if let Err(e) = policies::check_steps(&steps) {
            out.push(
                Finding::error("step-adjustments", cp.key("StepAdjustments"), e)
                    .with_fix("make the ranges meet end to end, e.g. [0, 10) then [10, +∞)"),
            );
        }
        if at == Some("ExactCapacity") && steps.iter().any(|s| s.adjustment < 0) {
            out.push(
                Finding::error(
                    "step-adjustments",
                    cp.key("StepAdjustments"),
                    "with ExactCapacity every ScalingAdjustment must be 0 or more",
                )
                .with_fix("use a capacity of 0 or more"),
            );
        }
    }
    if let Some(a) = pol.get("alarm") {
        let ap = p.key("alarm");
        if pol.get("StepScalingPolicyConfiguration").is_none() {
            out.push(
                Finding::error(
                    "scaling-alarm",
                    ap.clone(),
                    "alarm describes the CloudWatch alarm of a step scaling policy; target tracking creates its own",
                )
                .with_fix("remove alarm"),
            );
        }
        if let Some(ps) = a.get("periodSeconds").and_then(Value::as_u64) {
            if ps % 60 != 0 {
                out.push(
                    Finding::error(
                        "scaling-alarm",
                        ap.key("periodSeconds"),
                        format!("periodSeconds {ps} is not a whole number of minutes (ECS publishes its metrics once a minute)"),
                    )
                    .with_fix(format!("use {}", (ps / 60).max(1) * 60)),
                );
            }
        }
        let ep = a
            .get("evaluationPeriods")
            .and_then(Value::as_u64)
            .unwrap_or(1);
        if let Some(dp) = a.get("datapointsToAlarm").and_then(Value::as_u64) {
            if dp > ep {
                out.push(
                    Finding::error(
                        "scaling-alarm",
                        ap.key("datapointsToAlarm"),
                        format!("datapointsToAlarm {dp} is more than evaluationPeriods {ep}"),
                    )
                    .with_fix(format!("use at most {ep}")),
                );
            }
        }
    }
    if out.len() > before {
        return;
    }
    match policies::parse_policy(pol) {
        Err(e) => out.push(
            Finding::warning("policy-not-simulated", p.clone(), e)
                .with_fix("the plan can still be exported; simulations run without this policy"),
        ),
        Ok(policy) => {
            let metric = match &policy.kind {
                PolicyKind::Target(t) => t.metric,
                PolicyKind::Step(s) => s.alarm.metric,
            };
            let fits = match load.map(|l| &l.kind) {
                None => true, // no workload: no data at all, said once by the simulation
                Some(LoadKind::Requests(_)) => {
                    !matches!(metric, Metric::Backlog | Metric::BacklogPerTask)
                }
                Some(LoadKind::Queue { .. }) => metric != Metric::RequestsPerTarget,
                Some(LoadKind::Utilisation { .. }) => {
                    matches!(metric, Metric::Cpu | Metric::Memory)
                }
            };
            if !fits {
                out.push(
                    Finding::warning(
                        "policy-without-data",
                        p.clone(),
                        format!(
                            "policy {name} watches {}, which this service's workload does not produce: the policy never acts in simulations",
                            metric.label()
                        ),
                    )
                    .with_fix(match metric {
                        Metric::RequestsPerTarget => "give the service's workload as requestsPerSecond",
                        Metric::Backlog | Metric::BacklogPerTask => "give the service's workload as a queue",
                        _ => "give the service a workload",
                    }),
                );
            }
        }
    }
}

#[cfg(test)]
#[path = "autoscaling_tests.rs"]
mod tests;
