//! Service auto scaling (Application Auto Scaling) in the simulator, and the workload that
//! drives it.
//!
//! Once a minute ([`Scaling::measure`]) the workload ([`crate::plan::workload`], turned into
//! utilisation by [`super::workload`]) gives the minute's datapoints per service, second by
//! second from the service's healthy task count; then ([`Scaling::act`]) scheduled actions run
//! and the scaling policies ([`super::policies`]) decide, and the desired count changes with the
//! reason in the timeline. This module keeps its own state; it reads the world and changes only
//! the services' desired counts ([`service::set_desired`]).
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
//!   publishing delay is not modelled) \[INFER\].

use super::events::EventKind;
use super::policies::{self, Datapoint, Decision, PolicyState};
use super::service::{self, ServiceState};
use super::timeline::ServiceSample;
use super::workload::{self, TaskSize};
use super::world::{TaskState, World};
use crate::placement::{Launch, Source};
use crate::plan::autoscaling::{capacity, Action, Policy, PolicyKind};
use crate::plan::schedule::{self, Instant, Zone};
use crate::plan::workload::{self as load, LoadKind, Loads, Series, ServiceLoad};
use crate::plan::Written;
use std::collections::HashMap;

/// Service auto scaling's state in a simulation.
#[derive(Debug)]
pub(super) struct Scaling {
    pub start: Instant,
    services: Vec<SvcScaling>,
    /// The second of the previous minute tick.
    last_tick: Option<u32>,
    /// Per service of the world (plan order, then RunTask groups), the first of its name:
    /// the service whose utilisation its tasks count in.
    owners: Vec<usize>,
    /// Count the minute's RUNNING task-seconds as tasks change ([`World::running_seconds`])
    /// and keep counts between ticks while tasks do not change (off only to test that it
    /// changes nothing: then every minute is counted from the tasks).
    pub incremental: bool,
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

impl Scaling {
    /// Reads the services' auto scaling and their loads, for a simulation until second
    /// `horizon`; what the simulation cannot run is said in the timeline.
    pub fn new(w: &mut World, horizon: u32) -> Scaling {
        let Loads {
            start, services, ..
        } = load::read(w.plan).0;
        let horizon_end = start + horizon as i64;
        let mut out = Vec::new();
        let mut notes: Vec<(usize, EventKind, String)> = Vec::new();
        for (s, load) in services.into_iter().enumerate() {
            let svc = &w.plan.services[s];
            let size = task_size(w, s);
            let target = svc.auto_scaling.as_ref().map(Written::read).map(|a| {
                let ss = a.suspended_state.as_ref();
                let flag = |f: fn(&crate::plan::autoscaling::SuspendedState) -> Option<bool>| {
                    ss.and_then(f) == Some(true)
                };
                let mut policies = Vec::new();
                for p in a.policies() {
                    match p.read() {
                        Ok(pol) => policies.push((pol, PolicyState::default())),
                        Err(e) => notes.push((s, EventKind::PolicyIgnored, e.to_string())),
                    }
                }
                let mut actions = Vec::new();
                let mut runs = Vec::new();
                for act in a.scheduled_actions() {
                    match act.read() {
                        Ok(action) => {
                            let i = actions.len();
                            let times = action.schedule.runs(
                                &action.zone,
                                start - 1,
                                horizon_end,
                                action.start,
                                action.end,
                                start,
                            );
                            actions.push(action);
                            runs.extend(times.into_iter().map(|t| (t, i)));
                        }
                        Err(e) => notes.push((s, EventKind::ScheduledActionIgnored, e.to_string())),
                    }
                }
                runs.sort();
                Target {
                    min: capacity(a.min_capacity).unwrap_or(0),
                    max: capacity(a.max_capacity).unwrap_or(u32::MAX),
                    in_suspended: flag(|s| s.dynamic_scaling_in_suspended),
                    out_suspended: flag(|s| s.dynamic_scaling_out_suspended),
                    scheduled_suspended: flag(|s| s.scheduled_scaling_suspended),
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
            });
        }
        for (s, kind, msg) in notes {
            w.note(kind, Some(s), None, msg);
        }
        Scaling {
            start,
            services: out,
            last_tick: None,
            owners: Vec::new(),
            incremental: true,
        }
    }

    /// The minute's datapoints of every service, from the workload, second by second since the
    /// previous tick.
    pub fn measure(&mut self, w: &mut World) {
        let now = w.now;
        let (from, to) = match self.last_tick {
            Some(p) if p < now => (p + 1, now),
            _ => (now, now),
        };
        let advance = self.last_tick.is_some_and(|p| p < now);
        if self.owners.len() != w.services.len() {
            // The first service of each name, as a search through them would find: a task
            // counts for the service its life names (RunTask groups come after the services:
            // their tasks are no service's).
            let mut by_name: HashMap<&str, usize> = HashMap::new();
            for (s, x) in w.services.iter().enumerate().rev() {
                by_name.insert(x.name.as_str(), s);
            }
            self.owners = w
                .services
                .iter()
                .map(|x| by_name[x.name.as_str()])
                .collect();
        }
        for (s, ss) in self.services.iter_mut().enumerate() {
            // Seconds of RUNNING tasks in the window. Only a service with a workload has
            // utilisation to average (`datapoint`).
            let running_secs: u64 = if ss.load.is_some() {
                let members = self.owners.iter().enumerate().filter(|(_, o)| **o == s);
                let kept: Option<u64> = members
                    .map(|(m, _)| w.running_seconds(m, from, to))
                    .sum::<Option<u64>>()
                    .filter(|_| self.incremental);
                kept.unwrap_or_else(|| {
                    // A window that does not follow the last one (the first tick): from
                    // the lives.
                    let name = w.services[s].name.as_str();
                    let own = self.owners[s] == s;
                    w.timeline
                        .tasks
                        .iter()
                        .filter(|l| own && &*l.service == name)
                        .map(|l| running_seconds(&l.states, from, to))
                        .sum()
                })
            } else {
                0
            };
            let series = &w.timeline.services[s].samples;
            ss.dp = datapoint(
                ss,
                series,
                self.start,
                from,
                to,
                advance,
                running_secs as f64,
            );
        }
        self.last_tick = Some(now);
        w.end_running_window(to);
    }

    /// Service `s`'s datapoint this minute (none without the service).
    pub fn datapoint(&self, s: usize) -> Datapoint {
        self.services.get(s).map(|ss| ss.dp).unwrap_or_default()
    }

    /// Average CPU and memory utilisation of service `s`'s running tasks this minute, percent
    /// of their reservation (0 without data: no task running, or no workload).
    pub fn utilisation(&self, s: usize) -> (f64, f64) {
        let dp = self.services.get(s).map(|ss| ss.dp).unwrap_or_default();
        (
            round2(dp.cpu.unwrap_or(0.0)),
            round2(dp.memory.unwrap_or(0.0)),
        )
    }

    /// Scheduled actions, then the scaling policies, for this minute.
    pub fn act(&mut self, w: &mut World, services: &mut [ServiceState]) {
        let wall = self.start + w.now as i64;
        for s in 0..self.services.len() {
            let dp = self.services[s].dp;
            let Some(target) = self.services[s].target.as_mut() else {
                continue;
            };
            run_scheduled(w, s, &mut services[s], target, wall);
            if !target.policies.is_empty() {
                run_policies(w, s, &mut services[s], target, &dp);
            }
        }
    }
}

/// The CPU a service's task reserves, and how far above its reservation it can go.
fn task_size(w: &World, s: usize) -> TaskSize {
    let idx = w.services[s].index;
    let spec = w.placement.tasks.iter().find_map(|t| match t.source {
        Source::Service { index, .. } if index == idx => Some(t.spec),
        _ => None,
    });
    let svc = &w.plan.services[idx];
    let td = svc
        .task_definition
        .as_deref()
        .and_then(|r| w.plan.resolve_task_definition(r))
        .map(|(i, _)| &w.plan.task_definitions[i]);
    let fargate = match spec.map(|sp| &w.placement.specs[sp].launch) {
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
    let biggest = w
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

fn run_scheduled(
    w: &mut World,
    s: usize,
    svc: &mut ServiceState,
    target: &mut Target,
    wall: Instant,
) {
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
            w.note(EventKind::ScheduledAction, Some(s), None, msg);
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
            a.expression,
            a.zone.name,
            schedule::format_instant(t)
        );
        let name = a.name.clone();
        w.note(EventKind::ScheduledAction, Some(s), None, msg);
        let desired = svc.desired;
        if desired < target.min {
            service::set_desired(
                w,
                s,
                svc,
                target.min,
                &format!(
                    "scheduled action {name} raised minCapacity to {}",
                    target.min
                ),
            );
        } else if desired > target.max {
            service::set_desired(
                w,
                s,
                svc,
                target.max,
                &format!(
                    "scheduled action {name} lowered maxCapacity to {}",
                    target.max
                ),
            );
        }
    }
}

fn run_policies(
    w: &mut World,
    s: usize,
    svc: &mut ServiceState,
    target: &mut Target,
    dp: &Datapoint,
) {
    let now = w.now;
    let running = service::running_count(w, s);
    let desired = svc.desired;
    let mut decisions: Vec<Decision> = Vec::with_capacity(target.policies.len());
    for (p, st) in target.policies.iter_mut() {
        decisions.push(match &p.kind {
            PolicyKind::Target(tt) => policies::track(
                tt,
                &p.name,
                st,
                dp.get(tt.metric),
                now,
                dp.count_for(tt.metric),
            ),
            PolicyKind::Step(sp) => policies::step(
                sp,
                &p.name,
                st,
                dp.get(sp.alarm.metric),
                now,
                running,
                desired,
            ),
        });
    }
    // Application Auto Scaling refuses a range with minCapacity above maxCapacity (validation's
    // `auto-scaling-range`); a plan that has one anyway (a review runs despite errors, a
    // scheduled action may set one bound) keeps its minimum, as a capacity provider's group does.
    let (min, max) = (target.min, target.max.max(target.min));
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
            let mut why = reason_text(&target.policies[i].0, p);
            if p.capacity > max {
                why.push_str(&format!(" (capped at maxCapacity {max})"));
            }
            service::set_desired(w, s, svc, new, &why);
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
            w.note(EventKind::ScalingLimited, Some(s), None, msg);
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
    if let Some(dep) = svc.deployment_in_progress() {
        if target.suspension_noted != Some(dep) {
            target.suspension_noted = Some(dep);
            let msg = format!(
                    "scale-in suspended while deployment {dep} is in progress (Application Auto Scaling turns off scale-in during ECS deployments)"
                );
            w.note(
                EventKind::ScalingSuspended { deployment: dep },
                Some(s),
                None,
                msg,
            );
        }
        return;
    }
    let new = p.capacity.clamp(min, max);
    if new < desired {
        let mut why = reason_text(&target.policies[i].0, p);
        if p.capacity < min {
            why.push_str(&format!(" (held at minCapacity {min})"));
        }
        service::set_desired(w, s, svc, new, &why);
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

/// Policy `p`'s proposal in words.
fn reason_text(p: &Policy, proposal: &policies::Proposal) -> String {
    let tt = match &p.kind {
        PolicyKind::Target(tt) => Some(tt),
        PolicyKind::Step(_) => None,
    };
    proposal.reason_text(&p.name, tt)
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
fn datapoint(
    ss: &mut SvcScaling,
    series: &[ServiceSample],
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
    let cap_rps = workload::capacity(load, size);
    let busy_cpu =
        |busy: f64| (load.cpu_idle + (100.0 - load.cpu_idle) * busy).clamp(0.0, size.cpu_cap);
    let busy_mem = |busy: f64| {
        (load.memory_idle + (load.memory_at_capacity - load.memory_idle) * busy)
            .clamp(0.0, size.memory_cap)
    };
    let mut n_last = 0.0;
    // The seconds move forward: each series is read through a cursor (the same values).
    let (mut first, mut second) = match &load.kind {
        LoadKind::Requests(x) | LoadKind::Queue { arrivals: x, .. } => (Some(x.cursor()), None),
        LoadKind::Utilisation { cpu, memory } => (
            cpu.as_ref().map(Series::cursor),
            memory.as_ref().map(Series::cursor),
        ),
    };
    for u in from..=to {
        while idx < series.len() && series[idx].t <= u {
            idx += 1;
        }
        let n = idx.checked_sub(1).map_or(0.0, |i| series[i].running as f64);
        n_last = n;
        let wall = start + u as i64;
        let local = local0.map(|l| l + (u - from) as i64);
        match &load.kind {
            LoadKind::Requests(_) => {
                let r = first.as_mut().map_or(0.0, |c| c.at(u, wall, local));
                sum_req += r;
                if n > 0.0 {
                    let x = r / (n * cap_rps);
                    sum_n += n;
                    sum_cpu += n * busy_cpu(x);
                    sum_mem += n * busy_mem(x);
                }
            }
            LoadKind::Utilisation { .. } => {
                if n > 0.0 {
                    let share = ss.reference_tasks / n;
                    sum_n += n;
                    let c = first
                        .as_mut()
                        .map_or(load.cpu_idle, |c| c.at(u, wall, local) * share);
                    let m = second
                        .as_mut()
                        .map_or(load.memory_idle, |m| m.at(u, wall, local) * share);
                    sum_cpu += n * c.clamp(0.0, size.cpu_cap);
                    sum_mem += n * m.clamp(0.0, size.memory_cap);
                }
            }
            LoadKind::Queue {
                seconds_per_message,
                ..
            } => {
                let rate = n / seconds_per_message;
                let lambda = first.as_mut().map_or(0.0, |c| c.at(u, wall, local));
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

#[cfg(test)]
#[path = "autoscaling_tests.rs"]
mod tests;
