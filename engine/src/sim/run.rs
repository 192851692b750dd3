//! The simulation's event loop: the clock advances to the next event, the events due run (a
//! task's step ends, its health checks pass or fail, an instance registers, the minute tick),
//! then the service scheduler reconsiders every service and the counts are sampled.
//!
//! Each mechanism keeps its own state and acts on the [`World`]: the service scheduler
//! ([`ServiceState`]: replica services with rolling updates in [`super::rolling`], daemons in
//! [`super::daemon`], blue/green in [`super::bluegreen`], the circuit breaker in
//! [`super::breaker`]), service auto scaling ([`Scaling`]) and the capacity providers
//! ([`Providers`]).

use super::autoscaling::Scaling;
use super::breaker;
use super::deployments::{self, Deployment};
use super::events::EventKind;
use super::providers::{self, Providers};
use super::quiet::Quiet;
use super::service::{self, ServiceState};
use super::simulate::{MinuteSample, ServiceMinute};
use super::timeline::{ServiceSeries, Timeline};
use super::world::{Advanced, Ev, ServiceFacts, TaskState, World};
use super::{daemon, rolling};
use crate::placement::{Outcome, PlaceOptions, Placement, Source, TaskIx};
use crate::plan::{Plan, SchedulingStrategy, Written};

/// A running simulation.
pub struct Sim<'a> {
    pub(super) world: World<'a>,
    /// The service scheduler's state, per service (plan order).
    pub(super) services: Vec<ServiceState>,
    /// Service auto scaling (set up at the first minute tick).
    pub(super) scaling: Option<Box<Scaling>>,
    /// Capacity providers' Auto Scaling groups and instances.
    pub(super) providers: Providers,
    /// The end of the simulation: minute ticks stop here.
    horizon: u32,
    /// Standalone tasks over time (`runTasks`), when the plan has any.
    pub(super) standalone: Option<Box<super::standalone::Standalone>>,
    /// Availability Zone rebalancing's state per service (plan order).
    pub(super) rebalancing: Vec<super::rebalance::Rebalancing>,
    /// The zones rebalancing counts in, shared by the services' checks.
    active_zones: super::rebalance::ActiveZones,
    /// Per service (plan order), found quiet after its last pass: the next passes are
    /// skipped while it stays so ([`Quiet`]).
    pub(super) quiet: Vec<Option<Quiet>>,
    /// Per daemon service (plan order), its last pass was settled, with what its targets
    /// were found with ([`daemon::reconcile`]); read by [`Quiet::after_daemon_pass`].
    settled: Vec<Option<super::quiet::Targets>>,
    /// Per service, its healthy and starting counts at the last minute tick, with
    /// [`World::touched`] then: counted again only when its tasks changed.
    minute_counts: Vec<Option<(u64, u32, u32)>>,
    /// Per service, what its last sample was counted from ([`SampledFrom`]): the same again
    /// gives the same sample, which would change nothing, so the pass over its tasks is
    /// skipped (with `incremental`).
    sampled: Vec<Option<SampledFrom>>,
    /// Skip quiet services (off only to test that skipping changes nothing).
    pub(super) skip_quiet: bool,
    /// Skip quiet daemons too (off only to test that skipping them changes nothing).
    pub(super) skip_quiet_daemons: bool,
    /// Count the minutes' utilisation and counts as tasks change ([`Scaling::incremental`];
    /// off only to test that it changes nothing).
    pub(super) incremental: bool,
    /// Deployments still to start (`settings.simulation.deployments`): (second, service,
    /// `family:revision`), in start order; [`Sim::run_until`] starts each at its second.
    planned: std::collections::VecDeque<(u32, usize, String)>,
    /// The plan's alarms on service metrics (deployment alarms the workload drives).
    metric_alarms: super::alarms::MetricAlarms,
}

impl<'a> Sim<'a> {
    /// The cluster with every service at its desired count, all tasks healthy and RUNNING at
    /// time 0 (the state before a deployment).
    pub fn steady(plan: &'a Plan, opts: &PlaceOptions) -> Sim<'a> {
        Sim::steady_from(plan, crate::placement::place(plan, opts))
    }

    /// [`Sim::steady`] from `placement`, the plan's placement (`place(plan, opts)`).
    pub fn steady_from(plan: &'a Plan, placement: Placement) -> Sim<'a> {
        let mut w = World::new(plan, placement);
        let mut services = Vec::new();
        // Each service's task count and first task, in one pass over the tasks (a pass per
        // service was 200 passes over 50 000 tasks at ECS's quotas).
        let mut first_task: Vec<Option<usize>> = vec![None; plan.services.len()];
        let mut task_count = vec![0u32; plan.services.len()];
        for (t, task) in w.placement.tasks.iter().enumerate() {
            if let Source::Service { index, .. } = task.source {
                if let Some(c) = task_count.get_mut(index) {
                    *c += 1;
                    first_task[index].get_or_insert(t);
                }
            }
        }
        for (i, svc) in plan.services.iter().enumerate() {
            let dc = svc.deployment_configuration.as_ref().map(Written::read);
            let dc = dc.as_ref();
            let percent = |v: Option<i64>| v.and_then(|v| u64::try_from(v).ok()).map(|v| v as u32);
            let circuit_breaker = dc.and_then(|d| d.deployment_circuit_breaker.as_ref());
            // "The deployment circuit breaker is only supported for Amazon ECS services that
            // use the rolling update (ECS) deployment controller" (deployment-circuit-breaker.md).
            let breaker = circuit_breaker
                .filter(|b| b.enable == Some(true) && svc.deployment_controller() == "ECS")
                .map(|b| b.rollback == Some(true));
            let daemon = svc.scheduling_strategy == Some(SchedulingStrategy::Daemon);
            let desired = if daemon {
                // One per matching instance: as many as placement created.
                task_count[i]
            } else {
                svc.desired_count.unwrap_or(0)
            };
            let td = first_task[i].map(|t| &w.placement.tasks[t]);
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
            w.services.push(ServiceFacts {
                index: i,
                name: svc.service_name.clone(),
                daemon,
                load_balanced: !svc.load_balancers.is_empty(),
                grace: svc.health_check_grace_period().unwrap_or(0) as u32,
            });
            services.push(ServiceState {
                desired,
                // DAEMON defaults: 0 % and 100 % (`service_definition_parameters.md`).
                min_percent: percent(dc.and_then(|d| d.minimum_healthy_percent))
                    .unwrap_or(if daemon { 0 } else { 100 }),
                max_percent: percent(dc.and_then(|d| d.maximum_percent)).unwrap_or(if daemon {
                    100
                } else {
                    200
                }),
                breaker,
                threshold_config: circuit_breaker.and_then(|b| b.threshold_configuration.clone()),
                protected: Vec::new(),
                protection_calls: super::protection::calls(plan, &svc.service_name),
                alarms: dc
                    .and_then(|d| d.alarms.as_ref())
                    .filter(|a| a.enable == Some(true) && svc.deployment_controller() == "ECS")
                    .map(|a| {
                        (
                            a.alarm_names.clone().unwrap_or_default(),
                            a.rollback == Some(true),
                        )
                    }),
                reset_on_healthy: circuit_breaker
                    .and_then(|b| b.reset_on_healthy_task)
                    .unwrap_or(true),
                deployments: vec![Deployment::steady(task_definition)],
                next_ordinal: desired + 1,
                consecutive_failures: 0,
                launch_after: 0,
                stuck: None,
                retried_at: None,
                daemon_targets: Default::default(),
                refused: None,
            });
            w.timeline.services.push(ServiceSeries {
                service: svc.service_name.clone(),
                samples: Vec::new(),
            });
        }
        // Everything placed at the start is RUNNING and healthy; unplaced tasks wait.
        for t in 0..w.placement.tasks.len() {
            let task = &w.placement.tasks[t];
            let Source::Service { index, .. } = task.source else {
                continue;
            };
            let state = match task.outcome {
                Outcome::Placed { .. } | Outcome::Fargate { .. } => TaskState::Running,
                _ => TaskState::Provisioning,
            };
            let id = w.add_task(TaskIx::new(t), index, 1, state);
            w.task_mut(id).healthy = state == TaskState::Running;
        }
        super::quotas::refuse_at_start(&mut w, &mut services);
        for svc in &services {
            for &(at, _, _) in &svc.protection_calls {
                w.push(at, Ev::Wake);
            }
        }
        let mut sim = Sim {
            world: w,
            services,
            scaling: None,
            providers: Providers::default(),
            horizon: 0,
            standalone: None,
            rebalancing: vec![Default::default(); plan.services.len()],
            active_zones: Default::default(),
            quiet: vec![None; plan.services.len()],
            settled: vec![None; plan.services.len()],
            minute_counts: vec![None; plan.services.len()],
            sampled: vec![None; plan.services.len()],
            skip_quiet: true,
            skip_quiet_daemons: true,
            incremental: true,
            planned: Default::default(),
            metric_alarms: Default::default(),
        };
        sim.metric_alarms = super::alarms::MetricAlarms::of(plan, |n| sim.service_index(n));
        sim.sample_all();
        sim
    }

    /// Seconds simulated so far.
    pub fn now(&self) -> u32 {
        self.world.now
    }

    /// What the simulation recorded so far.
    pub fn timeline(&self) -> &Timeline {
        &self.world.timeline
    }

    /// The index of service `name`.
    pub(super) fn service_index(&self, name: &str) -> Option<usize> {
        self.world.services.iter().position(|s| s.name == name)
    }

    /// Starts a new deployment of service `s` to `task_definition` (`family:revision`).
    pub fn start_deployment(&mut self, s: usize, task_definition: &str, rollback_of: Option<u32>) {
        deployments::start(
            &mut self.world,
            s,
            &mut self.services[s],
            task_definition,
            rollback_of,
        );
    }

    /// Plans deployments to start at their seconds (service index, `family:revision`): each
    /// starts once the events of its second have run.
    pub(super) fn plan_deployments(&mut self, mut planned: Vec<(u32, usize, String)>) {
        planned.sort();
        self.planned = planned.into();
    }

    /// Runs until `until` (seconds) or until nothing is left to happen, starting the planned
    /// deployments due by then.
    pub fn run_until(&mut self, until: u32) {
        while self.planned.front().is_some_and(|p| p.0 <= until) {
            let Some((at, s, td)) = self.planned.pop_front() else {
                break;
            };
            self.run_events_until(at);
            self.start_deployment(s, &td, None);
        }
        self.run_events_until(until);
    }

    fn run_events_until(&mut self, until: u32) {
        self.reconcile_all();
        self.sample_all();
        while let Some(at) = self.world.next_at() {
            if at > until {
                break;
            }
            self.world.now = at;
            while let Some(ev) = self.world.pop_at(at) {
                self.handle(ev);
            }
            self.reconcile_all();
            self.sample_all();
        }
        let w = &mut self.world;
        w.now = w.now.max(until.min(w.next_at().unwrap_or(until)));
        w.timeline.duration = w.now;
    }

    /// The timeline of a simulation over time that ends at `duration`: with every instance's
    /// life and the cost.
    pub fn finish(mut self, duration: u32) -> Timeline {
        let w = &mut self.world;
        w.timeline.duration = duration;
        w.timeline.shrink_to_fit();
        w.timeline.instances = self.providers.lives();
        w.timeline.cost = Some(super::cost::of(w, &self.providers));
        self.world.timeline
    }

    /// What the timeline would cost if it ended now.
    pub(super) fn cost(&self) -> super::cost::Cost {
        super::cost::of(&self.world, &self.providers)
    }

    /// Sets the timeline's duration (a simulation stopped in a slice).
    pub(super) fn set_duration(&mut self, duration: u32) {
        self.world.timeline.duration = duration;
    }

    /// Starts the once-a-minute tick (metrics, auto scaling, capacity providers) up to
    /// `horizon` seconds.
    pub fn tick_every_minute(&mut self, horizon: u32) {
        self.horizon = horizon;
        self.providers.init(&mut self.world);
        self.world.push(self.world.now, Ev::Minute);
    }

    fn handle(&mut self, ev: Ev) {
        let w = &mut self.world;
        if let Some(st) = self.standalone.as_deref_mut() {
            if st.handle(w, ev) {
                return;
            }
        }
        match ev {
            Ev::Wake => {}
            Ev::Minute => {
                self.minute_tick();
                if self.world.now + 60 <= self.horizon {
                    self.world.push(self.world.now + 60, Ev::Minute);
                }
            }
            Ev::Register { instance } => self.providers.register(w, instance as usize),
            Ev::SpotReclaim { task } => providers::reclaim(w, task),
            Ev::Advance { task, gen } if w.current(task, gen) => {
                let step = w.advance(task);
                if w.task(task).state == TaskState::Running {
                    breaker::reached_running(w, &mut self.services[w.task(task).service], task);
                }
                if step == Advanced::FailedToStart {
                    let svc = &mut self.services[w.task(task).service];
                    breaker::count_failure(w, svc, task, "a task failed to start", true);
                    breaker::back_off(w, svc);
                }
            }
            Ev::Healthy { task, gen } if w.current(task, gen) => {
                let svc = &mut self.services[w.task(task).service];
                svc.consecutive_failures = 0;
                w.turn_healthy(task);
                breaker::healthy(w, svc, task);
            }
            Ev::Unhealthy { task, gen } if w.current(task, gen) => {
                let s = w.task(task).service;
                w.event(
                    EventKind::TaskUnhealthy,
                    Some(s),
                    Some(task),
                    "health checks fail: the scheduler stops and replaces the task".into(),
                );
                breaker::count_failure(
                    w,
                    &mut self.services[s],
                    task,
                    "a health check failed",
                    false,
                );
                w.stop_task(task, "unhealthy");
            }
            _ => {}
        }
    }

    /// Once a minute: record the metrics, then let service auto scaling and the capacity
    /// providers act on them.
    fn minute_tick(&mut self) {
        let w = &mut self.world;
        let scaling = self
            .scaling
            .get_or_insert_with(|| Box::new(Scaling::new(w, self.horizon)));
        scaling.incremental = self.incremental;
        scaling.measure(w);
        self.metric_alarms.minute(w.now, |s| scaling.datapoint(s));
        let counts = &mut self.minute_counts;
        let services = (0..self.services.len())
            .map(|s| {
                let (cpu, memory) = scaling.utilisation(s);
                let touched = w.touched(s);
                let (running, pending) = match counts[s] {
                    Some((at, running, pending)) if at == touched && scaling.incremental => {
                        (running, pending)
                    }
                    _ => {
                        let c = (service::healthy_count(w, s), service::starting_count(w, s));
                        counts[s] = Some((touched, c.0, c.1));
                        c
                    }
                };
                ServiceMinute {
                    desired: self.services[s].desired,
                    running,
                    pending,
                    cpu,
                    memory,
                }
            })
            .collect();
        let capacity_providers = self.providers.minute_sample(w);
        w.timeline.minutes.push(MinuteSample {
            t: w.now,
            services,
            capacity_providers,
        });
        scaling.act(w, &mut self.services);
        self.providers.minute(w);
    }

    /// The service scheduler's decision for every service.
    fn reconcile_all(&mut self) {
        if let Some(st) = self.standalone.as_deref_mut() {
            st.act(&mut self.world);
        }
        for s in 0..self.services.len() {
            let svc = &mut self.services[s];
            if let Some(q) = self.quiet[s].take() {
                let (st, zones) = (&mut self.rebalancing[s], &mut self.active_zones);
                if q.skip(&self.world, s, svc, st, zones) {
                    self.quiet[s] = Some(q);
                    continue;
                }
            }
            super::alarms::check(&mut self.world, s, svc, &self.metric_alarms);
            super::protection::apply(&mut self.world, s, svc);
            if self.world.services[s].daemon {
                self.settled[s] = daemon::reconcile(&mut self.world, s, svc);
            } else {
                rolling::reconcile(&mut self.world, s, svc);
                super::rebalance::check(
                    &mut self.world,
                    s,
                    svc,
                    &mut self.rebalancing[s],
                    &mut self.active_zones,
                );
            }
        }
    }

    fn sample_all(&mut self) {
        if let Some(st) = self.standalone.as_deref() {
            st.sample(&mut self.world);
        }
        for s in 0..self.services.len() {
            let svc = &self.services[s];
            if let Some(q) = &self.quiet[s] {
                if q.unchanged(&self.world, s, svc) {
                    continue;
                }
                self.quiet[s] = None;
            }
            let from = SampledFrom::of(&self.world, s, svc);
            if !(self.incremental && self.sampled[s] == Some(from)) {
                service::sample(&mut self.world, s, svc);
                self.sampled[s] = Some(from);
            }
            if self.skip_quiet {
                self.quiet[s] = if self.world.services[s].daemon {
                    let settled = self.settled[s].take().filter(|_| self.skip_quiet_daemons);
                    Quiet::after_daemon_pass(&self.world, s, svc, settled)
                } else {
                    let (st, zones) = (&self.rebalancing[s], &mut self.active_zones);
                    Quiet::after_pass(&self.world, s, svc, st, zones)
                };
            }
        }
    }
}

/// All that [`service::sample`] reads but the clock: a service's tasks (by [`World::touched`],
/// which every change to them moves), its desired count, primary deployment and traffic share.
/// Equal, the sample is the last one at another second, which the series does not record.
#[derive(Debug, Clone, Copy, PartialEq)]
struct SampledFrom {
    touched: u64,
    desired: u32,
    primary: u32,
    traffic: Option<f64>,
}

impl SampledFrom {
    fn of(w: &World, s: usize, svc: &ServiceState) -> SampledFrom {
        SampledFrom {
            touched: w.touched(s),
            desired: svc.desired,
            primary: svc.primary(),
            traffic: service::traffic(svc),
        }
    }
}

#[cfg(test)]
impl Sim<'_> {
    /// Changes service `s`'s desired count (as a user would), with the reason in the timeline.
    pub(super) fn set_desired(&mut self, s: usize, desired: u32, why: &str) {
        service::set_desired(&mut self.world, s, &mut self.services[s], desired, why);
    }
}
