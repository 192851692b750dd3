//! The simulator's state and event loop, and the service scheduler's rules for replica
//! services (`deployment-type-ecs.md`, `deployment-circuit-breaker.md`,
//! `service_definition_parameters.md`).
//!
//! Each time something happens, the scheduler reconsiders every service:
//! - `minimumHealthyPercent` (rounded up) is the floor on healthy RUNNING tasks; old tasks are
//!   only stopped while the floor holds, and only when the service has more tasks than desired
//!   or needs room under `maximumPercent` for new ones.
//! - `maximumPercent` (rounded down) is the ceiling on tasks that are not stopping; new tasks
//!   start only while it holds.
//! - Old tasks that are not healthy are stopped first; tasks being stopped count neither as
//!   healthy nor against the ceiling.
//! - A deployment that can neither start nor stop a task, and has nothing under way, is stuck,
//!   reported with the reason ECS's service events give.
//! - The circuit breaker counts tasks of the new deployment that fail to reach RUNNING, then
//!   failed health checks; at the threshold (half the desired count, 3 to 200) the deployment
//!   is FAILED, and with rollback a new deployment returns to the last completed one.

use super::{Counts, ServiceSample, ServiceSeries, SimEvent, TaskLife, Timeline, Timings};
use crate::placement::{scale_in, Launch, Outcome, PlaceOptions, Placement};
use crate::plan::{FailureKind, Plan, TaskDefRef};
use serde::Serialize;
use serde_json::Value;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// ECS's task states (`lastStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskState {
    Provisioning,
    Pending,
    Activating,
    Running,
    Deactivating,
    Stopping,
    Stopped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Ev {
    /// The task's current step is over.
    Advance { task: usize, gen: u32 },
    /// Health checks pass.
    Healthy { task: usize, gen: u32 },
    /// Health checks fail.
    Unhealthy { task: usize, gen: u32 },
    /// The scheduler looks at the service again (after a launch back-off).
    Wake,
    /// Once a minute: metrics, service auto scaling, capacity providers.
    Minute,
    /// Capacity providers: an instance registers, Fargate Spot reclaims a task
    /// (`capacity.rs`).
    Capacity { what: u32, index: u32 },
}

#[derive(Debug, Clone)]
pub(super) struct SimTask {
    /// Index in the placement's task list.
    pub(super) ptask: u32,
    pub(super) service: usize,
    deployment: u32,
    pub(super) state: TaskState,
    pub(super) healthy: bool,
    /// The scheduler wants it stopped.
    pub(super) stopping: bool,
    /// Its container instance is DRAINING: the scheduler replaces it as a deployment replaces
    /// an older deployment's tasks (`container-instance-draining`).
    pub(super) displaced: bool,
    /// Bumped on every transition so stale events are ignored.
    gen: u32,
    failure: Option<FailureKind>,
    pub(super) life: usize,
    /// A daemon task's own instance.
    pub(super) pinned: Option<usize>,
}

/// Rollout state of a deployment (`rolloutState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Rollout {
    InProgress,
    Completed,
    Failed,
}

#[derive(Debug, Clone)]
pub(super) struct Deployment {
    pub id: u32,
    /// `family:revision`.
    pub task_definition: String,
    pub rollout: Rollout,
    pub failures: u32,
    pub rollback_of: Option<u32>,
    pub ended: Option<u32>,
    /// Once a task of the deployment reached RUNNING, health check failures count.
    pub any_running: bool,
    /// Blue/green: how traffic moves to this deployment's task set.
    pub traffic: Option<super::bluegreen::TrafficPlan>,
    /// Blue/green: when the whole task set was healthy.
    pub ready_at: Option<u32>,
    /// Blue/green: the share of traffic on this deployment, percent.
    pub traffic_percent: f64,
}

#[derive(Debug, Clone)]
pub(super) struct SvcState {
    pub index: usize,
    pub name: String,
    /// DAEMON scheduling: one task per matching instance.
    pub daemon: bool,
    pub desired: u32,
    pub min_percent: u32,
    pub max_percent: u32,
    pub load_balanced: bool,
    pub grace: u32,
    pub breaker: Option<bool>,
    pub threshold: u32,
    pub deployments: Vec<Deployment>,
    next_ordinal: u32,
    consecutive_failures: u32,
    launch_after: u32,
    /// A "stuck" event was reported for the current situation.
    pub stuck: Option<String>,
    /// The placement's change count when waiting tasks were last retried.
    pub retried_at: Option<usize>,
}

/// A running simulation.
pub struct Sim<'a> {
    pub(super) plan: &'a Plan,
    pub placement: Placement,
    pub timings: Timings,
    pub now: u32,
    queue: BinaryHeap<Reverse<(u32, u64, Ev)>>,
    seq: u64,
    pub(super) tasks: Vec<SimTask>,
    pub(super) services: Vec<SvcState>,
    pub timeline: Timeline,
    /// The end of the simulation: minute ticks stop here.
    pub(super) horizon: u32,
    /// Service auto scaling's state (set up at the first minute tick).
    pub(super) scaling: Option<Box<super::autoscaling::Scaling>>,
    /// Capacity providers' Auto Scaling groups and instances (`capacity.rs`).
    pub(super) capacity: super::capacity::CapacityState,
}

/// `ceil(desired × minimumHealthyPercent / 100)`.
pub fn min_healthy(desired: u32, percent: u32) -> u32 {
    ((desired as u64 * percent as u64).div_ceil(100)) as u32
}

/// `floor(desired × maximumPercent / 100)`.
pub fn max_tasks(desired: u32, percent: u32) -> u32 {
    ((desired as u64 * percent as u64) / 100) as u32
}

/// The circuit breaker's failure threshold: half the desired count, rounded up, between 3 and
/// 200 (`ServiceDeploymentCircuitBreaker` in the API reference; the 2023 guide's minimum of 10
/// was lowered to 3), or `thresholdConfiguration` when given.
pub fn breaker_threshold(desired: u32, config: Option<&Value>) -> u32 {
    if let Some(c) = config {
        let value = c.get("value").and_then(Value::as_f64).unwrap_or(50.0);
        return match c
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("BOUNDED_PERCENT")
        {
            "COUNT" => value.max(1.0) as u32,
            "UNBOUNDED_PERCENT" => ((desired as f64 * value / 100.0).ceil() as u32).max(1),
            _ => ((desired as f64 * value / 100.0).ceil() as u32).clamp(3, 200),
        };
    }
    desired.div_ceil(2).clamp(3, 200)
}

impl<'a> Sim<'a> {
    /// The cluster with every service at its desired count, all tasks healthy and RUNNING at
    /// time 0 (the state before a deployment).
    pub fn steady(plan: &'a Plan, opts: &PlaceOptions) -> Sim<'a> {
        let placement = crate::placement::place(plan, opts);
        let mut sim = Sim {
            plan,
            timings: Timings::for_plan(plan),
            now: 0,
            queue: BinaryHeap::new(),
            seq: 0,
            tasks: Vec::new(),
            services: Vec::new(),
            timeline: Timeline::default(),
            horizon: 0,
            scaling: None,
            capacity: Default::default(),
            placement,
        };
        for (i, svc) in plan.services.iter().enumerate() {
            let dc = svc.deployment_configuration.as_ref();
            let num = |k: &str| {
                dc.and_then(|d| d.get(k))
                    .and_then(Value::as_u64)
                    .map(|v| v as u32)
            };
            let breaker = dc
                .and_then(|d| d.get("deploymentCircuitBreaker"))
                .filter(|b| b.get("enable").and_then(Value::as_bool) == Some(true))
                .map(|b| b.get("rollback").and_then(Value::as_bool) == Some(true));
            let daemon = svc.scheduling_strategy == Some(crate::plan::SchedulingStrategy::Daemon);
            let desired = if daemon {
                // One per matching instance: as many as placement created.
                sim.placement.tasks.iter().filter(|t| matches!(&t.source, crate::placement::Source::Service { index, .. } if *index == i)).count() as u32
            } else {
                svc.desired_count.unwrap_or(0)
            };
            let td = sim.placement.tasks.iter().find(|t| matches!(&t.source, crate::placement::Source::Service { index, .. } if *index == i));
            let task_definition = td
                .map(|t| format!("{}:{}", t.family, t.revision))
                .or_else(|| {
                    svc.task_definition.clone().map(|r| {
                        let (idx, rev) = plan.resolve_task_definition(&r).unwrap_or((0, 1));
                        format!(
                            "{}:{}",
                            plan.task_definitions
                                .get(idx)
                                .map(|t| t.family.as_str())
                                .unwrap_or(""),
                            rev
                        )
                    })
                })
                .unwrap_or_default();
            sim.services.push(SvcState {
                index: i,
                name: svc.service_name.clone(),
                daemon,
                desired,
                // DAEMON defaults: 0 % and 100 % (`service_definition_parameters.md`).
                min_percent: num("minimumHealthyPercent").unwrap_or(if daemon { 0 } else { 100 }),
                max_percent: num("maximumPercent").unwrap_or(if daemon { 100 } else { 200 }),
                load_balanced: !svc.load_balancers.is_empty(),
                grace: svc
                    .extra
                    .get("healthCheckGracePeriodSeconds")
                    .and_then(Value::as_u64)
                    .unwrap_or(0) as u32,
                breaker,
                threshold: breaker_threshold(
                    desired,
                    dc.and_then(|d| d.get("deploymentCircuitBreaker"))
                        .and_then(|b| b.get("thresholdConfiguration")),
                ),
                deployments: vec![Deployment {
                    id: 1,
                    task_definition,
                    rollout: Rollout::Completed,
                    failures: 0,
                    rollback_of: None,
                    ended: Some(0),
                    any_running: true,
                    traffic: None,
                    ready_at: Some(0),
                    traffic_percent: 100.0,
                }],
                next_ordinal: desired + 1,
                consecutive_failures: 0,
                launch_after: 0,
                stuck: None,
                retried_at: None,
            });
            sim.timeline.services.push(ServiceSeries {
                service: svc.service_name.clone(),
                samples: Vec::new(),
            });
        }
        // Everything placed at the start is RUNNING and healthy; unplaced tasks wait.
        for (t, task) in sim.placement.tasks.clone().iter().enumerate() {
            let crate::placement::Source::Service { index, .. } = task.source else {
                continue;
            };
            let state = match task.outcome {
                Outcome::Placed { .. } | Outcome::Fargate { .. } => TaskState::Running,
                _ => TaskState::Provisioning,
            };
            let id = sim.add_task(t as u32, index, 1, state);
            sim.tasks[id].healthy = state == TaskState::Running;
        }
        sim.sample_all();
        sim
    }

    pub(super) fn push(&mut self, at: u32, ev: Ev) {
        self.seq += 1;
        self.queue.push(Reverse((at, self.seq, ev)));
    }

    pub(super) fn event(
        &mut self,
        kind: &str,
        service: Option<usize>,
        task: Option<usize>,
        message: String,
    ) {
        let instance =
            task.and_then(
                |t| match self.placement.tasks[self.tasks[t].ptask as usize].outcome {
                    Outcome::Placed { node } => Some(self.placement.cluster.nodes[node].id.clone()),
                    _ => None,
                },
            );
        self.timeline.events.push(SimEvent {
            t: self.now,
            kind: kind.to_string(),
            service: service.map(|s| self.services[s].name.clone()),
            task: task.map(|t| self.placement.tasks[self.tasks[t].ptask as usize].id()),
            instance,
            message,
        });
    }

    fn add_task(&mut self, ptask: u32, service: usize, deployment: u32, state: TaskState) -> usize {
        let pt = &self.placement.tasks[ptask as usize];
        let td = format!("{}:{}", pt.family, pt.revision);
        let failure = self.failure_of(&td);
        let instance = match pt.outcome {
            Outcome::Placed { node } => Some(self.placement.cluster.nodes[node].id.clone()),
            _ => None,
        };
        self.timeline.tasks.push(TaskLife {
            task: pt.id(),
            service: self.services[service].name.clone(),
            task_definition: td,
            deployment,
            instance,
            states: vec![(self.now, state)],
        });
        self.tasks.push(SimTask {
            ptask,
            service,
            deployment,
            state,
            healthy: false,
            stopping: false,
            displaced: false,
            gen: 0,
            failure,
            life: self.timeline.tasks.len() - 1,
            pinned: None,
        });
        self.tasks.len() - 1
    }

    fn failure_of(&self, td: &str) -> Option<FailureKind> {
        let settings = self.plan.settings.as_ref()?.simulation.as_ref()?;
        let want = TaskDefRef::parse(td);
        settings.failures.iter().find_map(|f| {
            let r = TaskDefRef::parse(&f.task_definition);
            (r.family == want.family && (r.revision.is_none() || r.revision == want.revision))
                .then_some(f.failure)
        })
    }

    pub(super) fn set_state(&mut self, t: usize, state: TaskState) {
        let task = &mut self.tasks[t];
        task.state = state;
        task.gen += 1;
        let life = task.life;
        self.timeline.tasks[life].states.push((self.now, state));
        if state == TaskState::Stopped {
            let p = self.tasks[t].ptask;
            self.placement.stop(p);
        }
    }

    /// Starts a new deployment of service `s` to `task_definition` (`family:revision`).
    pub fn start_deployment(&mut self, s: usize, task_definition: &str, rollback_of: Option<u32>) {
        let id = self.services[s].deployments.len() as u32 + 1;
        let now = self.now;
        let traffic =
            super::bluegreen::traffic_plan(self.plan, &self.plan.services[self.services[s].index])
                .ok()
                .flatten();
        let svc = &mut self.services[s];
        svc.deployments.push(Deployment {
            id,
            task_definition: task_definition.to_string(),
            rollout: Rollout::InProgress,
            failures: 0,
            rollback_of,
            ended: None,
            any_running: false,
            traffic,
            ready_at: None,
            traffic_percent: 0.0,
        });
        svc.consecutive_failures = 0;
        svc.launch_after = now;
        svc.stuck = None;
        let msg = match rollback_of {
            Some(f) => format!(
                "deployment {id} started to {task_definition}: rolling back failed deployment {f}"
            ),
            None => format!("deployment {id} started to {task_definition}"),
        };
        self.event(
            if rollback_of.is_some() {
                "rollback-started"
            } else {
                "deployment-started"
            },
            Some(s),
            None,
            msg,
        );
    }

    /// Runs until `until` (seconds) or until nothing is left to happen.
    pub fn run_until(&mut self, until: u32) {
        self.reconcile_all();
        self.sample_all();
        while let Some(Reverse((at, _, _))) = self.queue.peek() {
            if *at > until {
                break;
            }
            self.now = *at;
            while let Some(Reverse((at, _, ev))) = self.queue.peek().copied() {
                if at != self.now {
                    break;
                }
                self.queue.pop();
                self.handle(ev);
            }
            self.reconcile_all();
            self.sample_all();
        }
        self.now = self
            .now
            .max(until.min(self.queue.peek().map_or(until, |Reverse((t, _, _))| *t)));
        self.timeline.duration = self.now;
    }

    /// Starts the once-a-minute tick (metrics, auto scaling, capacity providers) up to
    /// `horizon` seconds.
    pub fn tick_every_minute(&mut self, horizon: u32) {
        self.horizon = horizon;
        self.init_capacity();
        self.push(self.now, Ev::Minute);
    }

    /// Changes a service's desired count (service auto scaling, scheduled actions), with the
    /// reason in the timeline.
    pub(super) fn set_desired(&mut self, s: usize, desired: u32, why: &str) {
        let before = self.services[s].desired;
        if before == desired {
            return;
        }
        self.services[s].desired = desired;
        self.services[s].stuck = None;
        self.event(
            "desired-count",
            Some(s),
            None,
            format!("desired count {before} → {desired}: {why}"),
        );
    }

    /// Healthy RUNNING tasks of service `s`, all deployments.
    pub(super) fn healthy_tasks(&self, s: usize) -> Vec<usize> {
        (0..self.tasks.len())
            .filter(|t| self.tasks[*t].service == s && self.is_healthy(*t))
            .collect()
    }

    /// Tasks of service `s` in RUNNING that are not being stopped (ECS's `runningCount`, what
    /// service auto scaling counts from).
    pub(super) fn running_count(&self, s: usize) -> u32 {
        self.tasks
            .iter()
            .filter(|t| t.service == s && t.state == TaskState::Running && !t.stopping)
            .count() as u32
    }

    /// Tasks of service `s` that want to run but are not RUNNING yet: waiting for capacity
    /// (PROVISIONING), or PENDING/ACTIVATING (the same count as [`ServiceSample::pending`]).
    pub(super) fn starting_count(&self, s: usize) -> u32 {
        (0..self.tasks.len())
            .filter(|t| {
                self.tasks[*t].service == s
                    && self.is_active(*t)
                    && matches!(
                        self.tasks[*t].state,
                        TaskState::Provisioning | TaskState::Pending | TaskState::Activating
                    )
            })
            .count() as u32
    }

    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Wake => {}
            Ev::Minute => {
                self.minute_tick();
                if self.now + 60 <= self.horizon {
                    self.push(self.now + 60, Ev::Minute);
                }
            }
            Ev::Capacity { what, index } => self.capacity_event(what, index),
            Ev::Advance { task, gen } if self.tasks[task].gen == gen => self.advance(task),
            Ev::Healthy { task, gen } if self.tasks[task].gen == gen => {
                self.tasks[task].healthy = true;
                let s = self.tasks[task].service;
                self.services[s].consecutive_failures = 0;
                self.event(
                    "task-healthy",
                    Some(s),
                    Some(task),
                    "health checks pass".into(),
                );
            }
            Ev::Unhealthy { task, gen } if self.tasks[task].gen == gen => {
                let s = self.tasks[task].service;
                self.event(
                    "task-unhealthy",
                    Some(s),
                    Some(task),
                    "health checks fail: the scheduler stops and replaces the task".into(),
                );
                self.count_failure(task, "a health check failed");
                self.stop_task(task, "unhealthy");
            }
            _ => {}
        }
    }

    /// Moves a task past its current step.
    fn advance(&mut self, t: usize) {
        let s = self.tasks[t].service;
        let tm = self.timings;
        match self.tasks[t].state {
            TaskState::Pending => {
                if self.tasks[t].failure == Some(FailureKind::ImagePull) {
                    self.event("task-failed", Some(s), Some(t), "CannotPullContainerError: the image could not be pulled; the task stopped before RUNNING".into());
                    self.set_state(t, TaskState::Stopped);
                    self.count_failure(t, "a task failed to start");
                    self.back_off(s);
                    return;
                }
                if self.services[s].load_balanced {
                    self.set_state(t, TaskState::Activating);
                    let g = self.tasks[t].gen;
                    self.push(
                        self.now + tm.lb_registration,
                        Ev::Advance { task: t, gen: g },
                    );
                } else {
                    self.become_running(t);
                }
            }
            TaskState::Activating => self.become_running(t),
            TaskState::Deactivating => {
                self.set_state(t, TaskState::Stopping);
                let g = self.tasks[t].gen;
                self.push(self.now + tm.stop, Ev::Advance { task: t, gen: g });
            }
            TaskState::Stopping => self.set_state(t, TaskState::Stopped),
            _ => {}
        }
    }

    fn become_running(&mut self, t: usize) {
        let s = self.tasks[t].service;
        self.set_state(t, TaskState::Running);
        let dep = self.tasks[t].deployment as usize - 1;
        self.services[s].deployments[dep].any_running = true;
        let g = self.tasks[t].gen;
        let (healthy_after, unhealthy_after) = self.health_delays(t);
        if self.tasks[t].failure == Some(FailureKind::HealthCheck) {
            self.push(
                self.now + unhealthy_after,
                Ev::Unhealthy { task: t, gen: g },
            );
        } else {
            self.push(self.now + healthy_after, Ev::Healthy { task: t, gen: g });
        }
    }

    /// When a RUNNING task turns healthy, and when a failing one is found unhealthy.
    fn health_delays(&self, t: usize) -> (u32, u32) {
        let tm = self.timings;
        let s = &self.services[self.tasks[t].service];
        let pt = &self.placement.tasks[self.tasks[t].ptask as usize];
        let td = self
            .plan
            .resolve_task_definition(&format!("{}:{}", pt.family, pt.revision))
            .map(|(i, _)| &self.plan.task_definitions[i]);
        let container = td.and_then(|td| {
            td.container_definitions
                .iter()
                .filter(|c| c.essential.unwrap_or(true))
                .filter_map(|c| c.health_check.as_ref())
                .map(|h| {
                    let interval = h.interval.unwrap_or(30);
                    let healthy = interval.max(h.start_period.unwrap_or(0));
                    let unhealthy = h.start_period.unwrap_or(0) + interval * h.retries.unwrap_or(3);
                    (healthy, unhealthy)
                })
                .max()
        });
        let lb = s.load_balanced.then_some((tm.lb_healthy, tm.lb_unhealthy));
        match (lb, container) {
            (None, None) => (tm.no_health_check, tm.no_health_check),
            (a, b) => {
                let healthy = a.map_or(0, |x| x.0).max(b.map_or(0, |x| x.0));
                // Failures inside the grace period are ignored.
                let unhealthy = a.map_or(0, |x| x.1).max(b.map_or(0, |x| x.1)).max(s.grace);
                (healthy, unhealthy)
            }
        }
    }

    /// Counts a failure of the task's deployment for the circuit breaker.
    fn count_failure(&mut self, t: usize, what: &str) {
        let s = self.tasks[t].service;
        let dep = self.tasks[t].deployment as usize - 1;
        let svc = &mut self.services[s];
        svc.consecutive_failures += 1;
        let d = &mut svc.deployments[dep];
        if d.rollout != Rollout::InProgress || svc.breaker.is_none() {
            return;
        }
        d.failures += 1;
        // A rollback that fails is not rolled back again (it would return to the same
        // revision, for ever): the planner's choice, AWS does not document this case.
        let (failures, threshold, id, rollback) = (
            d.failures,
            svc.threshold,
            d.id,
            svc.breaker == Some(true) && d.rollback_of.is_none(),
        );
        if failures >= threshold {
            svc.deployments[dep].rollout = Rollout::Failed;
            svc.deployments[dep].ended = Some(self.now);
            self.event(
                "deployment-failed",
                Some(s),
                None,
                format!("deployment {id} FAILED: the circuit breaker counted {failures} failures ({what}), the threshold is {threshold}"),
            );
            if rollback {
                let target = self.services[s]
                    .deployments
                    .iter()
                    .rev()
                    .find(|d| d.rollout == Rollout::Completed)
                    .map(|d| d.task_definition.clone());
                match target {
                    Some(td) => self.start_deployment(s, &td, Some(id)),
                    None => self.event(
                        "rollback-impossible",
                        Some(s),
                        None,
                        "no completed deployment to roll back to".into(),
                    ),
                }
            }
        }
    }

    /// Launch back-off after tasks fail to start (`service-throttle-logic`): 15 s, doubling, at
    /// most 27 minutes. AWS does not publish the steps; these are the planner's.
    fn back_off(&mut self, s: usize) {
        let k = self.services[s].consecutive_failures.min(20);
        let delay = (15u32 << (k.saturating_sub(1))).min(27 * 60);
        self.services[s].launch_after = self.now + delay;
        self.push(self.now + delay, Ev::Wake);
    }

    /// Asks a task to stop: tasks not yet running stop at once; running ones leave the load
    /// balancer first (deregistration delay), then get SIGTERM.
    pub(super) fn stop_task(&mut self, t: usize, why: &str) {
        if self.tasks[t].stopping || self.tasks[t].state == TaskState::Stopped {
            return;
        }
        self.tasks[t].stopping = true;
        self.tasks[t].healthy = false;
        let s = self.tasks[t].service;
        self.event("task-stopping", Some(s), Some(t), why.to_string());
        let tm = self.timings;
        match self.tasks[t].state {
            TaskState::Provisioning | TaskState::Pending => self.set_state(t, TaskState::Stopped),
            TaskState::Activating | TaskState::Running => {
                if self.services[s].load_balanced {
                    self.set_state(t, TaskState::Deactivating);
                    let g = self.tasks[t].gen;
                    self.push(
                        self.now + tm.deregistration_delay,
                        Ev::Advance { task: t, gen: g },
                    );
                } else {
                    self.set_state(t, TaskState::Stopping);
                    let g = self.tasks[t].gen;
                    self.push(self.now + tm.stop, Ev::Advance { task: t, gen: g });
                }
            }
            _ => {}
        }
    }

    pub(super) fn is_active(&self, t: usize) -> bool {
        !self.tasks[t].stopping && self.tasks[t].state != TaskState::Stopped
    }

    fn is_healthy(&self, t: usize) -> bool {
        self.is_active(t) && self.tasks[t].state == TaskState::Running && self.tasks[t].healthy
    }

    /// Whether the task belongs to the primary deployment and stays: tasks on a DRAINING
    /// instance are replaced like an older deployment's.
    fn of_primary(&self, t: usize, primary: u32) -> bool {
        self.tasks[t].deployment == primary && !self.tasks[t].displaced
    }

    fn reconcile_all(&mut self) {
        for s in 0..self.services.len() {
            self.reconcile(s);
        }
    }

    /// The service scheduler's decision for one replica service at this moment.
    fn reconcile(&mut self, s: usize) {
        if self.services[s].daemon {
            return self.reconcile_daemon(s);
        }
        let primary_id = self.services[s].deployments.last().map_or(1, |d| d.id);
        let mine: Vec<usize> = (0..self.tasks.len())
            .filter(|t| self.tasks[*t].service == s)
            .collect();
        // Tasks waiting for an instance try again.
        let waiting: Vec<u32> = mine
            .iter()
            .filter(|t| self.is_active(**t) && self.tasks[**t].state == TaskState::Provisioning)
            .map(|t| self.tasks[*t].ptask)
            .collect();
        // Only when the cluster changed since the last try: the answer would be the same.
        if !waiting.is_empty() && self.services[s].retried_at != Some(self.placement.changes()) {
            self.placement.place_tasks(&waiting);
            self.services[s].retried_at = Some(self.placement.changes());
            for &t in &mine {
                if self.is_active(t)
                    && self.tasks[t].state == TaskState::Provisioning
                    && matches!(
                        self.placement.tasks[self.tasks[t].ptask as usize].outcome,
                        Outcome::Placed { .. } | Outcome::Fargate { .. }
                    )
                {
                    self.begin(t);
                }
            }
        }
        if self.in_deployment(s)
            && self.services[s]
                .deployments
                .last()
                .is_some_and(|d| d.traffic.is_some())
        {
            return self.reconcile_blue_green(s, &mine, primary_id);
        }
        let desired = self.services[s].desired;
        let (minp, maxp) = (self.services[s].min_percent, self.services[s].max_percent);
        let min = min_healthy(desired, minp);
        let max = max_tasks(desired, maxp).max(if self.in_deployment(s) { 0 } else { desired });
        let primary_failed = self.services[s]
            .deployments
            .last()
            .is_some_and(|d| d.rollout == Rollout::Failed);
        let mut acted = false;

        // Old deployments' tasks that are not healthy go first: they protect nothing.
        for &t in &mine {
            if self.is_active(t) && !self.of_primary(t, primary_id) && !self.is_healthy(t) {
                let why = if self.tasks[t].displaced {
                    "its container instance is DRAINING and the task is not running yet"
                } else {
                    "not healthy and part of an older deployment"
                };
                self.stop_task(t, why);
                acted = true;
            }
        }
        let count = |f: &dyn Fn(usize) -> bool| mine.iter().filter(|t| f(**t)).count() as u32;
        let mut prim_active = count(&|t| self.is_active(t) && self.of_primary(t, primary_id));
        let mut total_active = count(&|t| self.is_active(t));
        let mut healthy = count(&|t| self.is_healthy(t));

        // Scale-in of the primary beyond desired.
        while prim_active > desired && !primary_failed {
            let cands: Vec<usize> = mine
                .iter()
                .copied()
                .filter(|t| self.is_active(*t) && self.of_primary(*t, primary_id))
                .collect();
            let Some(t) = self.pick_to_stop(&cands) else {
                break;
            };
            if self.is_healthy(t) {
                healthy -= 1;
            }
            self.stop_task(t, "the service has more tasks than desired");
            prim_active -= 1;
            total_active -= 1;
            acted = true;
        }
        // Old healthy tasks, while the floor holds and they are in the way: beyond the desired
        // count, or taking the room new tasks need under the ceiling (then as many at once as the
        // floor allows, up to the new tasks still missing).
        let room_needed = prim_active < desired && total_active >= max && !primary_failed;
        let mut room = if room_needed {
            (desired - prim_active).min(healthy.saturating_sub(min))
        } else {
            0
        };
        loop {
            if !(total_active > desired || room > 0) || healthy == 0 || healthy - 1 < min {
                break;
            }
            let cands: Vec<usize> = mine
                .iter()
                .copied()
                .filter(|t| self.is_healthy(*t) && !self.of_primary(*t, primary_id))
                .collect();
            let Some(t) = self.pick_to_stop(&cands) else {
                break;
            };
            let why = if self.tasks[t].displaced {
                "its container instance is DRAINING: replaced on another instance"
            } else {
                "replaced by the new deployment"
            };
            self.stop_task(t, why);
            healthy -= 1;
            total_active -= 1;
            room = room.saturating_sub(1);
            acted = true;
        }
        // New tasks of the primary deployment, under the ceiling.
        if !primary_failed && prim_active < desired {
            let room = max.saturating_sub(total_active);
            let n = (desired - prim_active).min(room);
            if n > 0 && self.now >= self.services[s].launch_after {
                self.launch(s, n);
                acted = true;
            } else if n > 0 {
                acted = true; // waiting for the back-off
            }
        }
        self.check_progress(s, acted, min, max);
    }

    /// A DAEMON service: one task on every ACTIVE instance that satisfies the constraints;
    /// tasks on instances that no longer qualify (DRAINING) stop; a deployment stops the old
    /// task on an instance before starting the new one there (`ecs_services.md`, "Daemon").
    fn reconcile_daemon(&mut self, s: usize) {
        let idx = self.services[s].index;
        let primary_id = self.services[s].deployments.last().map_or(1, |d| d.id);
        let td = self.services[s]
            .deployments
            .last()
            .map(|d| d.task_definition.clone())
            .unwrap_or_default();
        let Some((td_index, _)) = self.plan.resolve_task_definition(&td) else {
            return;
        };
        let spec = self.placement.service_spec(self.plan, idx, td_index);
        let nodes = self.placement.cluster.nodes.len();
        let targets: Vec<usize> = (0..nodes)
            .filter(|n| self.placement.daemon_target(spec, *n))
            .collect();
        self.services[s].desired = targets.len() as u32;
        let mine: Vec<usize> = (0..self.tasks.len())
            .filter(|t| self.tasks[*t].service == s)
            .collect();
        let node_of =
            |sim: &Sim, t: usize| match sim.placement.tasks[sim.tasks[t].ptask as usize].outcome {
                Outcome::Placed { node } => Some(node),
                _ => sim.tasks[t].pinned,
            };
        let mut acted = false;
        for &t in &mine {
            if self.is_active(t) && !node_of(self, t).is_some_and(|n| targets.contains(&n)) {
                self.stop_task(t, "its instance no longer runs the daemon (DRAINING, or the constraints no longer match)");
                acted = true;
            }
        }
        for &n in &targets {
            let here: Vec<usize> = mine
                .iter()
                .copied()
                .filter(|t| node_of(self, *t) == Some(n))
                .collect();
            if here
                .iter()
                .any(|t| self.is_active(*t) && self.tasks[*t].deployment == primary_id)
            {
                // Retry a daemon task that could not fit its instance yet.
                for &t in &here {
                    if self.is_active(t)
                        && self.tasks[t].state == TaskState::Provisioning
                        && self.placement.place_on(self.tasks[t].ptask, n)
                    {
                        self.begin(t);
                    }
                }
                continue;
            }
            let old: Vec<usize> = here
                .iter()
                .copied()
                .filter(|t| self.is_active(*t))
                .collect();
            if !old.is_empty() {
                for t in old {
                    self.stop_task(t, "replaced by the new deployment (a daemon stops the old task on the instance first)");
                }
                acted = true;
                continue;
            }
            if here
                .iter()
                .any(|t| self.tasks[*t].state != TaskState::Stopped)
            {
                continue; // the old task is still stopping and holds the instance's resources
            }
            let ordinal = self.services[s].next_ordinal;
            self.services[s].next_ordinal += 1;
            let Some(pt) = self.placement.add_daemon_task(self.plan, idx, &td, ordinal) else {
                continue;
            };
            let t = self.add_task(pt, s, primary_id, TaskState::Provisioning);
            self.tasks[t].pinned = Some(n);
            if self.placement.place_on(pt, n) {
                self.begin(t);
            } else {
                let why = self
                    .placement
                    .rejection(pt as usize, n)
                    .map(|r| r.to_string())
                    .unwrap_or_default();
                self.event(
                    "task-unplaced",
                    Some(s),
                    Some(t),
                    format!(
                        "the daemon task does not fit its instance {}: {why}",
                        self.placement.cluster.nodes[n].id
                    ),
                );
            }
            acted = true;
        }
        let desired = self.services[s].desired;
        self.check_progress(s, acted, 0, desired);
    }

    /// A blue/green deployment: the whole replacement set starts beside the original one;
    /// once it is healthy, traffic moves in the plan's steps; after the bake time the original
    /// set stops (`deployment-type-bluegreen`, CodeDeploy's ECS configurations).
    fn reconcile_blue_green(&mut self, s: usize, mine: &[usize], primary: u32) {
        let desired = self.services[s].desired;
        let mut acted = false;
        let prim_active = mine
            .iter()
            .filter(|t| self.is_active(**t) && self.tasks[**t].deployment == primary)
            .count() as u32;
        let prim_healthy = mine
            .iter()
            .filter(|t| self.is_healthy(**t) && self.tasks[**t].deployment == primary)
            .count() as u32;
        if prim_active < desired && self.now >= self.services[s].launch_after {
            self.launch(s, desired - prim_active);
            acted = true;
        }
        let last = self.services[s].deployments.len() - 1;
        let (ready_at, plan) = {
            let d = &self.services[s].deployments[last];
            (
                d.ready_at,
                d.traffic.clone().expect("blue/green deployment"),
            )
        };
        let ready_at = match ready_at {
            Some(r) => r,
            None if prim_healthy == desired && desired > 0 => {
                self.services[s].deployments[last].ready_at = Some(self.now);
                for &(t, _) in &plan.steps {
                    self.push(self.now + t, Ev::Wake);
                }
                let end = plan.steps.last().map_or(0, |x| x.0) + plan.bake;
                self.push(self.now + end, Ev::Wake);
                self.event(
                    "replacement-ready",
                    Some(s),
                    None,
                    format!("the replacement task set ({desired} tasks) is healthy; traffic moves by {}", plan.label),
                );
                self.now
            }
            None => {
                let max = desired * 2;
                self.check_progress(s, acted, desired, max);
                return;
            }
        };
        let current = self.services[s].deployments[last].traffic_percent;
        let due = plan
            .steps
            .iter()
            .filter(|(t, _)| ready_at + t <= self.now)
            .map(|x| x.1)
            .fold(0.0, f64::max);
        if due > current {
            self.services[s].deployments[last].traffic_percent = due;
            self.event(
                "traffic-shifted",
                Some(s),
                None,
                format!("{due}% of the traffic goes to the replacement task set"),
            );
            acted = true;
        }
        let done_at = ready_at + plan.steps.last().map_or(0, |x| x.0) + plan.bake;
        if due >= 100.0 && self.now >= done_at {
            let old: Vec<usize> = mine
                .iter()
                .copied()
                .filter(|t| self.is_active(*t) && self.tasks[*t].deployment != primary)
                .collect();
            for t in old {
                self.stop_task(t, "the original task set stops after the bake time");
                acted = true;
            }
        } else {
            acted = true; // waiting for the next traffic step or the bake time
        }
        self.check_progress(s, acted, desired, desired * 2);
    }

    fn in_deployment(&self, s: usize) -> bool {
        self.services[s]
            .deployments
            .last()
            .is_some_and(|d| d.rollout == Rollout::InProgress)
    }

    /// Which of `cands` the scheduler stops first: tasks not placed yet, then from the launch
    /// target the capacity provider strategy has most beyond its share, the placement
    /// strategies read in reverse (on Fargate, the newest task).
    fn pick_to_stop(&self, cands: &[usize]) -> Option<usize> {
        let not_placed = cands.iter().copied().find(|t| {
            matches!(
                self.placement.tasks[self.tasks[*t].ptask as usize].outcome,
                Outcome::Unplaced { .. }
            )
        });
        if not_placed.is_some() {
            return not_placed;
        }
        let ptasks: Vec<u32> = cands.iter().map(|t| self.tasks[*t].ptask).collect();
        let index = self.services[self.tasks[*cands.first()?].service].index;
        let ptasks = self
            .placement
            .scale_in_candidates(self.plan, index, &ptasks);
        let spec = self.placement.tasks[*ptasks.first()? as usize].spec;
        if matches!(self.placement.specs[spec].launch, Launch::Fargate { .. }) {
            let newest = *ptasks.iter().max()?;
            return cands
                .iter()
                .copied()
                .find(|t| self.tasks[*t].ptask == newest);
        }
        let pt = scale_in::task_to_stop(&self.placement, spec, &ptasks)?;
        cands.iter().copied().find(|t| self.tasks[*t].ptask == pt)
    }

    /// Starts `n` tasks of the service's primary deployment.
    fn launch(&mut self, s: usize, n: u32) {
        let td = self.services[s]
            .deployments
            .last()
            .map(|d| d.task_definition.clone())
            .unwrap_or_default();
        let dep = self.services[s].deployments.last().map_or(1, |d| d.id);
        let from = self.services[s].next_ordinal - 1;
        let idx = self.services[s].index;
        // The deployment's tasks that stay: new tasks join them in the strategy's mix.
        let active: Vec<u32> = (0..self.tasks.len())
            .filter(|t| {
                self.tasks[*t].service == s && self.is_active(*t) && self.of_primary(*t, dep)
            })
            .map(|t| self.tasks[t].ptask)
            .collect();
        let ptasks = self.placement.add_service_tasks_joining(
            self.plan,
            idx,
            Some(&td),
            from,
            from + n,
            &active,
        );
        self.services[s].next_ordinal += n;
        self.placement.place_tasks(&ptasks);
        for pt in ptasks {
            let t = self.add_task(pt, s, dep, TaskState::Provisioning);
            match self.placement.tasks[pt as usize].outcome {
                Outcome::Placed { .. } | Outcome::Fargate { .. } => self.begin(t),
                _ => {
                    let reasons = self.placement.unplaced_reasons(pt as usize);
                    let provisioning = matches!(
                        self.placement.specs[self.placement.tasks[pt as usize].spec].launch,
                        Launch::Provider { .. }
                    );
                    self.event(
                        "task-unplaced",
                        Some(s),
                        Some(t),
                        format!(
                            "unable to place a task because no container instance met all of its requirements{}: {}",
                            if provisioning { " (waiting in PROVISIONING for the capacity provider)" } else { "" },
                            reasons.join("; ")
                        ),
                    );
                }
            }
        }
    }

    /// A placed task starts: PENDING while the image is pulled and the containers start.
    fn begin(&mut self, t: usize) {
        let tm = self.timings;
        self.set_state(t, TaskState::Pending);
        let s = self.tasks[t].service;
        let where_ = match self.placement.tasks[self.tasks[t].ptask as usize].outcome {
            Outcome::Fargate {
                ref availability_zone,
            } => format!("on AWS Fargate in {availability_zone}"),
            _ => "placed".to_string(),
        };
        self.event(
            "task-started",
            Some(s),
            Some(t),
            format!("{where_}; PENDING (pulling the image)"),
        );
        let life = self.tasks[t].life;
        self.timeline.tasks[life].instance =
            match self.placement.tasks[self.tasks[t].ptask as usize].outcome {
                Outcome::Placed { node } => Some(self.placement.cluster.nodes[node].id.clone()),
                _ => None,
            };
        let g = self.tasks[t].gen;
        let delay = if self.tasks[t].failure == Some(FailureKind::ImagePull) {
            tm.image_pull_failure
        } else {
            tm.image_pull + tm.container_start
        };
        self.push(self.now + delay, Ev::Advance { task: t, gen: g });
    }

    /// Completion and stuck detection for the service's deployment.
    fn check_progress(&mut self, s: usize, acted: bool, min: u32, max: u32) {
        let Some(d) = self.services[s].deployments.last().cloned() else {
            return;
        };
        let primary = d.id;
        let desired = self.services[s].desired;
        let mine: Vec<usize> = (0..self.tasks.len())
            .filter(|t| self.tasks[*t].service == s)
            .collect();
        let prim_healthy = mine
            .iter()
            .filter(|t| self.of_primary(**t, primary) && self.is_healthy(**t))
            .count() as u32;
        let prim_active = mine
            .iter()
            .filter(|t| self.of_primary(**t, primary) && self.is_active(**t))
            .count() as u32;
        let others_left = mine
            .iter()
            .any(|t| !self.of_primary(*t, primary) && self.tasks[*t].state != TaskState::Stopped);
        if d.rollout == Rollout::InProgress
            && prim_healthy == desired
            && prim_active == desired
            && !others_left
        {
            let svc = &mut self.services[s];
            let last = svc.deployments.len() - 1;
            svc.deployments[last].rollout = Rollout::Completed;
            svc.deployments[last].ended = Some(self.now);
            svc.stuck = None;
            let msg = format!(
                "deployment {primary} to {} COMPLETED; service {} has reached a steady state",
                d.task_definition, svc.name
            );
            self.event("deployment-completed", Some(s), None, msg);
            return;
        }
        if d.rollout == Rollout::Completed {
            return;
        }
        // Anything still under way for this service?
        let in_transit = mine.iter().any(|t| {
            let task = &self.tasks[*t];
            matches!(
                task.state,
                TaskState::Pending
                    | TaskState::Activating
                    | TaskState::Deactivating
                    | TaskState::Stopping
            ) || (task.state == TaskState::Running && !task.healthy && !task.stopping)
        });
        let backing_off = self.now < self.services[s].launch_after;
        if acted || in_transit || backing_off {
            if !in_transit && !backing_off {
                return;
            }
            self.services[s].stuck = None;
            return;
        }
        let waiting: Vec<usize> = mine
            .iter()
            .copied()
            .filter(|t| self.is_active(*t) && self.tasks[*t].state == TaskState::Provisioning)
            .collect();
        let reason = if d.rollout == Rollout::Failed {
            match d.rollback_of {
                Some(f) => format!(
                    "deployment {primary}, the rollback of failed deployment {f}, FAILED too: a failed rollback is not rolled back again (the planner's choice; AWS does not document it), and the circuit breaker stops launching tasks of {}",
                    d.task_definition
                ),
                None => format!("deployment {primary} FAILED and rollback is off: the circuit breaker stops launching tasks"),
            }
        } else if let Some(&t) = waiting.first() {
            let pt = self.tasks[t].ptask as usize;
            format!(
                "service {} was unable to place a task because no container instance met all of its requirements: {}",
                self.services[s].name,
                self.placement.unplaced_reasons(pt).join("; ")
            )
        } else {
            let healthy = mine.iter().filter(|t| self.is_healthy(**t)).count() as u32;
            let active = mine.iter().filter(|t| self.is_active(**t)).count() as u32;
            format!(
                "service {} was unable to stop or start tasks during a deployment because of the service deployment configuration (desired {desired}: minimumHealthyPercent {}% keeps {min} healthy, {healthy} are; maximumPercent {}% allows {max} tasks, {active} run). Update the minimumHealthyPercent or maximumPercent value and try again.",
                self.services[s].name, self.services[s].min_percent, self.services[s].max_percent
            )
        };
        if self.services[s].stuck.as_deref() != Some(reason.as_str()) {
            self.services[s].stuck = Some(reason.clone());
            self.event("stuck", Some(s), None, reason);
        }
    }

    fn sample_all(&mut self) {
        for s in 0..self.services.len() {
            let primary = self.services[s].deployments.last().map_or(1, |d| d.id);
            let mut old = Counts::default();
            let mut new = Counts::default();
            let mut pending = 0;
            for t in 0..self.tasks.len() {
                if self.tasks[t].service != s {
                    continue;
                }
                let c = if self.tasks[t].deployment == primary {
                    &mut new
                } else {
                    &mut old
                };
                if self.is_active(t) {
                    c.active += 1;
                    if matches!(
                        self.tasks[t].state,
                        TaskState::Provisioning | TaskState::Pending | TaskState::Activating
                    ) {
                        pending += 1;
                    }
                }
                if self.is_healthy(t) {
                    c.running += 1;
                }
            }
            let traffic = self.services[s]
                .deployments
                .last()
                .filter(|d| d.traffic.is_some() && d.rollout == Rollout::InProgress)
                .map(|d| d.traffic_percent);
            let sample = ServiceSample {
                t: self.now,
                desired: self.services[s].desired,
                running: old.running + new.running,
                pending,
                old,
                new,
                traffic,
            };
            let series = &mut self.timeline.services[s];
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

    pub(super) fn service_index(&self, name: &str) -> Option<usize> {
        self.services.iter().position(|s| s.name == name)
    }
}
