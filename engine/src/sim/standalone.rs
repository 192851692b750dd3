//! Standalone tasks over time (`settings.simulation.runTasks`): RunTask at a second, on an
//! EventBridge Scheduler schedule, or once per event (an object uploaded to a bucket whose
//! EventBridge rule runs the task), each task running its `runSeconds` then exiting.
//!
//! What AWS documents and the simulator does:
//! - "The `RunTask` action is suitable for processes such as batch jobs that perform work and
//!   then stop" (`scheduling_tasks.md`): a task runs until its essential container exits, and
//!   nothing replaces it (no service scheduler owns it).
//! - "Your scheduled event can be set to a specific interval (run every N minutes, hours, or
//!   days)… for more complicated scheduling, you can use a `cron` expression"
//!   (`scheduling_tasks.md`, Scheduled tasks): the expression and its time zone are read by
//!   the parser of service auto scaling's scheduled actions ([`crate::plan::schedule`]).
//! - Tasks go through placement like a service's, on the cluster as it is at that second, and
//!   compete with the services' tasks for the instances. RunTask with no strategy places
//!   randomly (`scheduling_tasks.md`); the group defaults to `family:NAME`.
//! - With a capacity provider strategy, a task no instance can take waits in PROVISIONING and
//!   counts in the provider's CapacityProviderReservation, so managed scaling launches
//!   instances for it, from zero too (`cluster-auto-scaling.md`); "if the Auto Scaling group
//!   can't scale out to accommodate the number of tasks run, the tasks fails to transition
//!   beyond the PROVISIONING state" (`asg-capacity-providers.md`).
//! - With the EC2 launch type, RunTask cannot wait: the task is not launched and the request's
//!   `failures[]` say why (`RESOURCE:MEMORY`, `RESOURCE:CPU`…, `api_failures_messages.md`).
//! - At most 500 tasks wait in PROVISIONING per cluster; "tasks beyond it fail to launch"
//!   (`service-quotas.md`, [`PROVISIONING_QUOTA`]).
//! - While Fargate Spot capacity is unavailable (`settings.simulation.fargateSpotUnavailable`),
//!   RunTask fails for a FARGATE_SPOT task: "If Amazon ECS doesn't have the capacity to launch
//!   a Fargate task, then the RunTask API fails" with "Capacity is unavailable at this time"
//!   (AWS Knowledge Center, `ecs-fargate-runtask-capacity`); a service's task waits instead,
//!   as its scheduler retries (`fargate-capacity-providers.md`). The task's FARGATE share of a
//!   mixed strategy still starts (the planner's choice: AWS does not say).
//!
//! Choices where AWS is silent \[INFER\]: requests due at the same second run in plan order,
//! before the service scheduler's decisions of that second; a task's `runSeconds` count from
//! RUNNING; a standalone task's failed health check stops it (nothing restarts it).

use super::events::EventKind;
use super::quotas::provisioning_count;
use super::run::Sim;
use super::timeline::{Counts, ServiceSample, ServiceSeries};
use super::world::{Advanced, Ev, ServiceFacts, TaskId, TaskState, World, STANDALONE};
use crate::placement::{Launch, Outcome, TaskIx};
use crate::plan::schedule::{self, Zone};
use crate::plan::RunTask;
use std::collections::HashMap;

/// Tasks in PROVISIONING per cluster ([`super::quotas`]).
pub const PROVISIONING_QUOTA: usize = super::quotas::PROVISIONING_PER_CLUSTER;

/// Seconds a standalone task runs when its entry does not say.
pub const DEFAULT_RUN_SECONDS: u32 = 300;

/// One entry of `runTasks`, ready to launch.
#[derive(Debug)]
struct Request {
    request: RunTask,
    /// Its group's slot among the world's services.
    slot: usize,
    run_seconds: u32,
    /// What makes it run, for the event's message.
    trigger: String,
}

/// One RunTask group: its slot, and how its tasks are named.
#[derive(Debug)]
struct Group {
    name: String,
    prefix: String,
    launched: u32,
}

/// The standalone tasks' state during a simulation.
#[derive(Debug, Default)]
pub(super) struct Standalone {
    requests: Vec<Request>,
    groups: Vec<Group>,
    /// The world's first slot of a RunTask group (the plan's services come before).
    first_slot: usize,
    /// (second, request), in time order, and the next one due.
    due: Vec<(u32, usize)>,
    next: usize,
    /// RUNNING tasks and the second their essential container exits.
    exits: Vec<(u32, TaskId)>,
    /// The placement's change count when waiting tasks were last retried.
    retried_at: Option<usize>,
    /// Each standalone task's run time (its request's `runSeconds`).
    run_for: HashMap<TaskId, u32>,
}

/// The seconds of the simulation (up to `horizon`) at which a request runs, or why it cannot.
fn seconds_of(
    r: &crate::plan::SimulatedRunTask,
    start: i64,
    horizon: u32,
) -> Result<Vec<u32>, String> {
    let mut out: Vec<u32> = r.at_second.into_iter().collect();
    out.extend(r.event_seconds.iter().copied());
    if let Some(expr) = &r.schedule {
        let s = schedule::parse_schedule(expr)?;
        let zone = match &r.timezone {
            Some(z) => Zone::named(z)?,
            None => Zone::utc(),
        };
        let runs = s.runs(&zone, start - 1, start + horizon as i64, None, None, start);
        out.extend(runs.into_iter().map(|t| (t - start) as u32));
    }
    out.retain(|t| *t <= horizon);
    out.sort_unstable();
    Ok(out)
}

impl Standalone {
    /// Reads `runTasks`: one slot per RunTask group after the services, and every launch up to
    /// `horizon` (a wake-up of the clock each).
    pub fn new(w: &mut World, horizon: u32) -> Standalone {
        let plan = w.plan;
        let mut st = Standalone {
            first_slot: w.services.len(),
            ..Standalone::default()
        };
        let Some(sim) = plan.settings.as_ref().and_then(|s| s.simulation.as_ref()) else {
            return st;
        };
        let start = crate::plan::workload::start_of(plan);
        for (i, r) in sim.run_tasks.iter().enumerate() {
            let request = r.request();
            let Some((td, _)) = plan.resolve_task_definition(&r.task_definition) else {
                w.note(
                    EventKind::RunTaskFailed,
                    None,
                    None,
                    format!(
                        "runTasks entry {i} is not run: task definition {} is not in the plan",
                        r.task_definition
                    ),
                );
                continue;
            };
            let group = request
                .group
                .clone()
                .unwrap_or_else(|| format!("family:{}", plan.task_definitions[td].family));
            let g = match st.groups.iter().position(|x| x.name == group) {
                Some(g) => g,
                None => {
                    let short = crate::placement::tasks::run_prefix(plan, &request);
                    let taken = w.placement.tasks.iter().any(|t| *t.name == *short);
                    st.groups.push(Group {
                        name: group.clone(),
                        prefix: if taken { format!("{short}-sim") } else { short },
                        launched: 0,
                    });
                    // A group named like a service gets a name of its own in the timeline
                    // (the service's metrics and series go by name).
                    let label = if plan.services.iter().any(|x| x.service_name == group) {
                        format!("{group} (RunTask)")
                    } else {
                        group.clone()
                    };
                    w.services.push(ServiceFacts {
                        index: STANDALONE,
                        name: label.clone(),
                        daemon: false,
                        load_balanced: false,
                        grace: 0,
                    });
                    w.timeline.services.push(ServiceSeries {
                        service: label,
                        samples: Vec::new(),
                    });
                    st.groups.len() - 1
                }
            };
            let seconds = match seconds_of(r, start, horizon) {
                Ok(s) => s,
                Err(e) => {
                    w.note(
                        EventKind::RunTaskFailed,
                        Some(st.first_slot + g),
                        None,
                        format!("runTasks entry {i} is not run: {e}"),
                    );
                    continue;
                }
            };
            let trigger = if let Some(s) = &r.schedule {
                format!(
                    "the schedule {s}{}",
                    r.timezone
                        .as_deref()
                        .map(|z| format!(" ({z})"))
                        .unwrap_or_default()
                )
            } else if r.event_seconds.is_empty() {
                "RunTask at its second".to_string()
            } else {
                "an event (EventBridge rule)".to_string()
            };
            let k = st.requests.len();
            st.requests.push(Request {
                request,
                slot: st.first_slot + g,
                run_seconds: r.run_seconds.unwrap_or(DEFAULT_RUN_SECONDS),
                trigger,
            });
            for t in seconds {
                st.due.push((t, k));
                w.push(t, Ev::Wake);
            }
        }
        st.due.sort_unstable();
        st
    }

    /// Whether task `t` is a standalone task.
    fn owns(&self, w: &World, t: TaskId) -> bool {
        w.task(t).service >= self.first_slot
    }

    /// Handles a clock event of a standalone task; false when the event is not about one.
    pub fn handle(&mut self, w: &mut World, ev: Ev) -> bool {
        match ev {
            Ev::Advance { task, gen } if self.owns(w, task) => {
                if w.current(task, gen) && w.advance(task) == Advanced::Moved {
                    self.running(w, task);
                }
                true
            }
            Ev::Healthy { task, gen } if self.owns(w, task) => {
                if w.current(task, gen) {
                    w.turn_healthy(task);
                }
                true
            }
            Ev::Unhealthy { task, gen } if self.owns(w, task) => {
                if w.current(task, gen) {
                    let s = w.task(task).service;
                    w.event(
                        EventKind::TaskUnhealthy,
                        Some(s),
                        Some(task),
                        "health checks fail: the task stops; a standalone task is not replaced"
                            .into(),
                    );
                    w.stop_task(task, "unhealthy");
                }
                true
            }
            _ => false,
        }
    }

    /// A task that reached RUNNING exits `runSeconds` later.
    fn running(&mut self, w: &mut World, t: TaskId) {
        if w.task(t).state != TaskState::Running {
            return;
        }
        let run = self.run_for.get(&t).copied().unwrap_or(DEFAULT_RUN_SECONDS);
        let at = w.now.saturating_add(run);
        self.exits.push((at, t));
        w.push(at, Ev::Wake);
    }

    /// What is due now: requests launch, tasks whose run is over exit, and tasks waiting for
    /// capacity try again when the cluster changed.
    pub fn act(&mut self, w: &mut World) {
        let now = w.now;
        let mut k = 0;
        while k < self.exits.len() {
            let (at, t) = self.exits[k];
            if at > now {
                k += 1;
                continue;
            }
            self.exits.swap_remove(k);
            if w.is_active(t) {
                let s = w.task(t).service;
                w.event(
                    EventKind::TaskExited,
                    Some(s),
                    Some(t),
                    "the essential container exited (exit code 0): the task stops; nothing replaces a standalone task".into(),
                );
                w.stop_task(t, "Essential container in task exited");
            }
        }
        self.exits.sort_unstable();
        self.retry_waiting(w);
        while let Some(&(at, r)) = self.due.get(self.next) {
            if at > now {
                break;
            }
            self.next += 1;
            self.launch(w, r);
        }
    }

    /// RunTask for request `r`: `count` tasks through placement.
    fn launch(&mut self, w: &mut World, r: usize) {
        let req = &self.requests[r];
        let slot = req.slot;
        let g = slot - self.first_slot;
        let from = self.groups[g].launched;
        let plan = w.plan;
        let ptasks = w.placement.add_run_request(
            plan,
            &req.request,
            usize::MAX - r,
            &self.groups[g].prefix,
            from,
        );
        self.groups[g].launched += ptasks.len() as u32;
        let count = ptasks.len();
        w.note(
            EventKind::RunTask,
            Some(slot),
            None,
            format!(
                "RunTask of {} for {}: {count} task{}",
                req.request.task_definition,
                req.trigger,
                if count == 1 { "" } else { "s" }
            ),
        );
        let run_seconds = req.run_seconds;
        w.place_tasks(&ptasks);
        // The cluster's PROVISIONING count, counted once for the request.
        let mut waiting = None;
        for pt in ptasks {
            let t = w.add_task(pt, slot, 1, TaskState::Provisioning);
            self.run_for.insert(t, run_seconds);
            match w.placed(t).outcome {
                Outcome::Fargate { .. }
                    if super::service::spot_unavailable_until(w, t).is_some() =>
                {
                    w.event(
                        EventKind::RunTaskFailed,
                        Some(slot),
                        Some(t),
                        "Fargate Spot capacity is not available: RunTask fails for the FARGATE_SPOT task (\"Capacity is unavailable at this time. Please try again later or in a different availability zone\"); nothing retries a standalone task".into(),
                    );
                    w.set_state(t, TaskState::Stopped);
                }
                Outcome::Placed { .. } | Outcome::Fargate { .. } => w.begin(t),
                _ => self.unplaced(w, t, &mut waiting),
            }
        }
    }

    /// A task no instance can take now: it waits in PROVISIONING for its capacity provider
    /// (within the cluster's quota), else RunTask fails for it.
    fn unplaced(&mut self, w: &mut World, t: TaskId, waiting: &mut Option<usize>) {
        let s = w.task(t).service;
        let reasons = w.unplaced_reasons(t).join("; ");
        let provider = matches!(
            w.placement.specs[w.placed(t).spec].launch,
            Launch::Provider { .. }
        );
        // The count includes task `t`, added in PROVISIONING.
        let count = match *waiting {
            Some(c) => c + 1,
            None => provisioning_count(w),
        };
        *waiting = Some(if provider && count <= PROVISIONING_QUOTA {
            count
        } else {
            count - 1
        });
        if provider && count <= PROVISIONING_QUOTA {
            w.event(
                EventKind::TaskUnplaced,
                Some(s),
                Some(t),
                format!("no container instance met all of its requirements (waiting in PROVISIONING for the capacity provider): {reasons}"),
            );
            return;
        }
        let why = if provider {
            format!("the cluster already has {PROVISIONING_QUOTA} tasks in PROVISIONING (the service quota): the task fails to launch")
        } else {
            format!("RunTask failures[]: no container instance met all of its requirements ({reasons}); with a launch type the task does not wait")
        };
        w.event(EventKind::RunTaskFailed, Some(s), Some(t), why);
        w.set_state(t, TaskState::Stopped);
    }

    /// Waiting tasks try placement again when the cluster changed since their last try.
    fn retry_waiting(&mut self, w: &mut World) {
        if self.retried_at == Some(w.placement.changes()) {
            return;
        }
        let waiting: Vec<TaskId> = (self.first_slot..w.services.len())
            .flat_map(|s| w.live_of(s).copied())
            .filter(|t| w.is_active(*t) && w.task(*t).state == TaskState::Provisioning)
            .collect();
        if waiting.is_empty() {
            return;
        }
        let ptasks: Vec<TaskIx> = waiting.iter().map(|t| w.task(*t).ptask).collect();
        w.place_tasks(&ptasks);
        self.retried_at = Some(w.placement.changes());
        for t in waiting {
            if matches!(
                w.placed(t).outcome,
                Outcome::Placed { .. } | Outcome::Fargate { .. }
            ) {
                w.begin(t);
            }
        }
    }

    /// Records each group's counts when they change: `desired` is the tasks launched and not
    /// stopping, `running` the RUNNING ones, `pending` those not RUNNING yet.
    pub fn sample(&self, w: &mut World) {
        for s in self.first_slot..w.services.len() {
            let mut c = Counts::default();
            let mut pending = 0;
            for &t in w.live_of(s) {
                if !w.is_active(t) {
                    continue;
                }
                c.active += 1;
                match w.task(t).state {
                    TaskState::Running => c.running += 1,
                    TaskState::Provisioning | TaskState::Pending | TaskState::Activating => {
                        pending += 1
                    }
                    _ => {}
                }
            }
            let sample = ServiceSample {
                t: w.now,
                desired: c.active,
                running: c.running,
                pending,
                old: Counts::default(),
                new: c,
                traffic: None,
            };
            let series = &mut w.timeline.services[s];
            match series.samples.last_mut() {
                Some(last) if last.t == sample.t => *last = sample,
                Some(last)
                    if ServiceSample {
                        t: sample.t,
                        ..last.clone()
                    } == sample => {}
                _ => series.samples.push(sample),
            }
        }
    }
}

impl Sim<'_> {
    /// Runs the plan's `runTasks` until `horizon` seconds.
    pub(super) fn run_standalone(&mut self, horizon: u32) {
        let st = Standalone::new(&mut self.world, horizon);
        if !st.requests.is_empty() {
            self.standalone = Some(Box::new(st));
        }
    }
}
