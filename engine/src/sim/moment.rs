//! The cluster at a moment of a timeline: which tasks are on which instance, in which state,
//! which wait for capacity (and why), and each service's counts — what the UI's board shows
//! while the user scrubs through a deployment or a day.
//!
//! [`MomentIndex::new`] precomputes, once per timeline, every task's life as an interval
//! (first state to STOPPED), when it turned healthy, and when each deployment started;
//! [`MomentIndex::at`] then finds each live task's state by binary search, so a moment costs
//! `O(live tasks × log state changes)` and scrubbing stays cheap. `board_at` is the one-shot
//! form.
//!
//! The counts agree with the simulator's samples (`ServiceSeries::at`): a task is *active*
//! (counts against `maximumPercent`) in PROVISIONING, PENDING, ACTIVATING and RUNNING, and
//! *healthy* once RUNNING and past its health checks; *new* tasks belong to the newest
//! deployment started by then.

use super::events::EventKind;
use super::{Counts, ServiceSample, TaskState, Timeline};
use crate::plan::{InstanceStatus, Plan};
use crate::sort::{sort_by, sort_by_key};
use serde::Serialize;
use std::collections::HashMap;

/// How an instance stands at the moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InstanceMoment {
    /// Launched by its Auto Scaling group, not registered with the cluster yet.
    Launching,
    /// Registered and ACTIVE: it takes tasks.
    Active,
    /// DRAINING (set by managed draining on scale-in, or in the plan): it takes no new tasks.
    Draining,
}

/// A task at the moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskAt {
    /// The planner's id of the task (`web-3`).
    pub task: String,
    /// Its service (or RunTask group).
    pub service: String,
    /// `family:revision`.
    pub task_definition: String,
    /// The deployment of its service that started it (1 = the first).
    pub deployment: u32,
    /// Belongs to the service's newest deployment (started by then).
    pub new: bool,
    /// Its `lastStatus` at the moment.
    pub state: TaskState,
    /// RUNNING and past its health checks.
    pub healthy: bool,
    /// Since when it is in this state.
    pub since: u32,
    /// For a task waiting in PROVISIONING: why it could not be placed (the simulator's event).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The capacity provider it runs on or, in PROVISIONING, waits for (`FARGATE`,
    /// `FARGATE_SPOT`, an Auto Scaling group's provider); none on a launch type. The task's
    /// `capacityProvider` in `simulate --json`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<String>,
    /// The Availability Zone it runs in (its instance's, or the zone the simulator gave a
    /// Fargate task): the task's `availabilityZone` in `simulate --json`. None while it waits
    /// in PROVISIONING, placed nowhere yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
}

/// A container instance at the moment, with the tasks on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceAt {
    /// Its id.
    pub id: String,
    /// Its instance type.
    pub instance_type: String,
    /// Its Availability Zone.
    pub availability_zone: String,
    /// The capacity provider whose Auto Scaling group launched it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<String>,
    /// Launching, ACTIVE or DRAINING.
    pub state: InstanceMoment,
    /// The tasks on it, not STOPPED.
    pub tasks: Vec<TaskAt>,
}

/// An Availability Zone at the moment: the board's lane.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ZoneAt {
    /// The zone's name.
    pub availability_zone: String,
    /// Its instances launched and not terminated by then.
    pub instances: Vec<InstanceAt>,
}

/// A service's counts at the moment, computed from the tasks (they match its sample).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceAt {
    /// The service's name.
    pub service: String,
    /// Its desired count at the moment.
    pub desired: u32,
    /// The newest deployment started by then.
    pub deployment: u32,
    /// The tasks of the deployments before it.
    pub old: Counts,
    /// The newest deployment's tasks.
    pub new: Counts,
}

/// The cluster at second `t`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Moment {
    /// Seconds from the start.
    pub t: u32,
    /// The instances by zone: the plan's zones in order, then any other zone an instance is
    /// in.
    pub zones: Vec<ZoneAt>,
    /// Tasks on AWS Fargate.
    pub fargate: Vec<TaskAt>,
    /// Tasks not placed yet (PROVISIONING), with the reason.
    pub waiting: Vec<TaskAt>,
    /// Every service's counts, in plan order.
    pub services: Vec<ServiceAt>,
}

#[derive(Debug, Clone)]
struct TaskTrack {
    /// Index into the timeline's tasks.
    life: usize,
    start: u32,
    /// When it reached STOPPED.
    end: Option<u32>,
    healthy_at: Option<u32>,
    service: usize,
    /// Index into the instances, when it ever ran on one.
    instance: Option<usize>,
    /// (second, message) of each time it could not be placed.
    unplaced: Vec<(u32, String)>,
}

#[derive(Debug, Clone)]
struct InstanceTrack {
    id: String,
    instance_type: String,
    availability_zone: String,
    capacity_provider: Option<String>,
    launched: Option<u32>,
    registered: Option<u32>,
    draining: Option<u32>,
    terminated: Option<u32>,
}

impl InstanceTrack {
    fn at(&self, t: u32) -> Option<InstanceMoment> {
        let passed = |x: Option<u32>| x.is_some_and(|x| x <= t);
        if self.launched.is_some_and(|x| x > t) || passed(self.terminated) {
            return None;
        }
        Some(if passed(self.draining) {
            InstanceMoment::Draining
        } else if self.registered.is_some_and(|x| x > t) {
            InstanceMoment::Launching
        } else {
            InstanceMoment::Active
        })
    }
}

/// A timeline indexed for moments.
#[derive(Debug, Clone)]
pub struct MomentIndex {
    timeline: Timeline,
    tasks: Vec<TaskTrack>,
    /// Task tracks by start time (indices into `tasks`).
    by_start: Vec<usize>,
    instances: Vec<InstanceTrack>,
    zones: Vec<String>,
    services: Vec<String>,
    /// Per service: when deployments 2, 3, ... started.
    deployments: Vec<Vec<u32>>,
    /// Per instance: the task tracks that ever ran on it, in `by_start` order.
    on_instance: Vec<Vec<usize>>,
    /// The task tracks that never ran on an instance (Fargate, or never placed), in
    /// `by_start` order.
    off_instances: Vec<usize>,
    /// The same by zone, then by start: the Fargate lane's order ([`Outline::fargate_chips`]).
    off_by_zone: Vec<usize>,
}

/// What the board needs of a moment to know which cards changed, without building them: each
/// zone's instances there with a key of what their card shows (the same key, the same card),
/// the keys of the Fargate and waiting lists, and every service's counts. [`MomentIndex::outline`]
/// costs integer work per live task and copies no task's strings; the cards whose key is new
/// are then built one by one ([`MomentIndex::instance_at`], [`MomentIndex::fargate_at`],
/// [`MomentIndex::waiting_at`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    /// Seconds from the start.
    pub t: u32,
    /// The instances by zone, as in [`Moment::zones`].
    pub zones: Vec<ZoneOutline>,
    /// A key of the Fargate tasks as [`MomentIndex::fargate_at`] gives them.
    pub fargate: u64,
    /// How many tasks run on Fargate.
    pub fargate_count: usize,
    /// The Fargate tasks as keys of their chips, by zone, then as [`MomentIndex::fargate_at`]
    /// lists them (the Fargate lane's order): the page rebuilds only the chips whose key is
    /// new ([`MomentIndex::chip_at`]).
    pub fargate_chips: Vec<ChipKey>,
    /// A key of the waiting tasks as [`MomentIndex::waiting_at`] gives them.
    pub waiting: u64,
    /// How many tasks wait for a place.
    pub waiting_count: usize,
    /// Every service's counts, in plan order, as in [`Moment::services`].
    pub services: Vec<ServiceAt>,
}

/// A zone's instances at a moment, as keys of their cards.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneOutline {
    /// The zone's name.
    pub availability_zone: String,
    /// Its instances launched and not terminated by then.
    pub instances: Vec<CardKey>,
}

/// An instance at a moment: which one, and a key of everything its card shows (its state and
/// its tasks' states, since when, old or new, healthy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CardKey {
    /// The instance's number in the index ([`MomentIndex::instance_at`]).
    pub instance: usize,
    /// Equal keys: equal cards.
    pub key: u64,
    /// How many tasks the card shows: the page estimates the height of a card it has not
    /// drawn from it (a windowed lane places the cards in view by the heights above them).
    pub tasks: usize,
}

/// A Fargate task at a moment: which one, and a key of everything its chip shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChipKey {
    /// The task's number in the index ([`MomentIndex::chip_at`]).
    pub task: usize,
    /// Equal keys: equal chips.
    pub key: u64,
}

/// Mixes `x` into the key `h`: `h` is scrambled first (splitmix64's finaliser), so that no two
/// different (key, value) pairs meet by their bits alone.
fn mix(h: u64, x: u64) -> u64 {
    fn scramble(h: u64) -> u64 {
        let mut z = h.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    scramble(scramble(h) ^ x)
}

impl MomentIndex {
    /// Indexes `timeline`, a simulation of `plan` (whose container instances are the cluster at
    /// the start; instances the timeline launched come from its `instances`).
    pub fn new(plan: &Plan, timeline: Timeline) -> MomentIndex {
        let mut instances: Vec<InstanceTrack> = plan
            .cluster
            .container_instances
            .iter()
            .map(|ci| InstanceTrack {
                id: ci.id.clone(),
                instance_type: ci.instance_type.clone(),
                availability_zone: ci.availability_zone.clone(),
                capacity_provider: ci.capacity_provider.clone(),
                launched: None,
                registered: None,
                // A plan's DRAINING instance is draining from the start.
                draining: (ci.status == InstanceStatus::Draining).then_some(0),
                terminated: None,
            })
            .collect();
        for life in &timeline.instances {
            let track = InstanceTrack {
                id: life.instance.clone(),
                instance_type: life.instance_type.clone(),
                availability_zone: life.availability_zone.clone(),
                capacity_provider: life.capacity_provider.clone(),
                launched: life.launched,
                registered: life.registered,
                draining: life.draining,
                terminated: life.terminated,
            };
            match instances.iter_mut().find(|i| i.id == life.instance) {
                Some(i) => {
                    let was_draining = i.draining;
                    *i = track;
                    i.draining = i.draining.or(was_draining);
                }
                None => instances.push(track),
            }
        }
        let mut zones: Vec<String> = plan.cluster.availability_zones.clone();
        for i in &instances {
            if !zones.contains(&i.availability_zone) {
                zones.push(i.availability_zone.clone());
            }
        }
        let instance_at: HashMap<&str, usize> = instances
            .iter()
            .enumerate()
            .map(|(k, i)| (i.id.as_str(), k))
            .collect();
        let services: Vec<String> = timeline
            .services
            .iter()
            .map(|s| s.service.clone())
            .collect();
        let service_at: HashMap<&str, usize> = services
            .iter()
            .enumerate()
            .map(|(k, s)| (s.as_str(), k))
            .collect();
        let mut deployments = vec![Vec::new(); services.len()];
        let mut healthy: HashMap<&str, u32> = HashMap::new();
        let mut unplaced: HashMap<&str, Vec<(u32, String)>> = HashMap::new();
        for e in &timeline.events {
            match e.kind {
                k if k.starts_deployment() => {
                    if let Some(&s) = e.service.as_deref().and_then(|s| service_at.get(s)) {
                        deployments[s].push(e.t);
                    }
                }
                EventKind::TaskHealthy => {
                    if let Some(task) = e.task.as_deref() {
                        healthy.entry(task).or_insert(e.t);
                    }
                }
                EventKind::TaskUnplaced => {
                    if let Some(task) = e.task.as_deref() {
                        unplaced
                            .entry(task)
                            .or_default()
                            .push((e.t, e.message.clone()));
                    }
                }
                _ => {}
            }
        }
        let tasks: Vec<TaskTrack> = timeline
            .tasks
            .iter()
            .enumerate()
            .map(|(k, life)| {
                let start = life.states.first().map_or(0, |s| s.0);
                let end = life
                    .states
                    .iter()
                    .find(|s| s.1 == TaskState::Stopped)
                    .map(|s| s.0);
                // Tasks RUNNING from the first second are the steady state: healthy already.
                let steady = life.states.first().map(|s| s.1) == Some(TaskState::Running);
                TaskTrack {
                    life: k,
                    start,
                    end,
                    healthy_at: if steady {
                        Some(start)
                    } else {
                        healthy.get(life.task.as_str()).copied()
                    },
                    service: service_at.get(&*life.service).copied().unwrap_or(0),
                    instance: life
                        .instance
                        .as_deref()
                        .and_then(|i| instance_at.get(i))
                        .copied(),
                    unplaced: unplaced.remove(life.task.as_str()).unwrap_or_default(),
                }
            })
            .collect();
        let mut by_start: Vec<usize> = (0..tasks.len()).collect();
        sort_by_key(&mut by_start, |&k| tasks[k].start);
        let mut on_instance = vec![Vec::new(); instances.len()];
        let mut off_instances = Vec::new();
        for &k in &by_start {
            match tasks[k].instance {
                Some(i) => on_instance[i].push(k),
                None => off_instances.push(k),
            }
        }
        let mut off_by_zone = off_instances.clone();
        sort_by(&mut off_by_zone, |&a, &b| {
            let zone = |k: usize| &timeline.tasks[tasks[k].life].availability_zone;
            zone(a).cmp(zone(b))
        });
        MomentIndex {
            timeline,
            tasks,
            by_start,
            instances,
            zones,
            services,
            deployments,
            on_instance,
            off_instances,
            off_by_zone,
        }
    }

    /// The timeline it indexes.
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// The newest deployment of service `s` started by second `t` (1 = the first).
    fn primary(&self, s: usize, t: u32) -> u32 {
        1 + self.deployments[s].partition_point(|&x| x <= t) as u32
    }

    /// Task track `k`'s state at `t` and since when, if it is alive then (started, not
    /// stopped).
    fn state_of(&self, k: usize, t: u32) -> Option<(TaskState, u32)> {
        let track = &self.tasks[k];
        if track.start > t || track.end.is_some_and(|e| e <= t) {
            return None;
        }
        let states = &self.timeline.tasks[track.life].states;
        let i = states.partition_point(|s| s.0 <= t).checked_sub(1)?;
        Some((states[i].1, states[i].0))
    }

    /// Tasks alive at `t` (started, not stopped): track, state, since.
    fn live(&self, t: u32) -> impl Iterator<Item = (usize, TaskState, u32)> + '_ {
        let started = self.by_start.partition_point(|&k| self.tasks[k].start <= t);
        self.by_start[..started]
            .iter()
            .filter_map(move |&k| self.state_of(k, t).map(|(s, since)| (k, s, since)))
    }

    /// Every service's newest deployment at `t`.
    fn primaries(&self, t: u32) -> Vec<u32> {
        (0..self.services.len())
            .map(|s| self.primary(s, t))
            .collect()
    }

    /// Whether task track `k` belongs to its service's newest deployment at `t`, is healthy
    /// (RUNNING and past its health checks) and counts against `maximumPercent`.
    fn facts(&self, k: usize, state: TaskState, t: u32, primary: u32) -> (bool, bool, bool) {
        let track = &self.tasks[k];
        let new = self.timeline.tasks[track.life].deployment == primary;
        let healthy = state == TaskState::Running && track.healthy_at.is_some_and(|h| h <= t);
        let active = matches!(
            state,
            TaskState::Provisioning
                | TaskState::Pending
                | TaskState::Activating
                | TaskState::Running
        );
        (new, healthy, active)
    }

    /// The newest deployment at `t` of the service of task track `k`.
    fn primary_of(&self, k: usize, t: u32) -> u32 {
        let s = self.tasks[k].service;
        if s < self.services.len() {
            self.primary(s, t)
        } else {
            1
        }
    }

    /// Which of task track `k`'s unplaced messages holds at `t` (while it waits).
    fn reason_index(&self, k: usize, state: TaskState, t: u32) -> Option<usize> {
        if state != TaskState::Provisioning {
            return None;
        }
        self.tasks[k]
            .unplaced
            .partition_point(|u| u.0 <= t)
            .checked_sub(1)
    }

    /// Task track `k` at `t`, in `state` since `since`.
    fn task_at(&self, k: usize, state: TaskState, since: u32, t: u32, primary: u32) -> TaskAt {
        let track = &self.tasks[k];
        let life = &self.timeline.tasks[track.life];
        let (new, healthy, _) = self.facts(k, state, t, primary);
        TaskAt {
            task: life.task.clone(),
            service: life.service.to_string(),
            task_definition: life.task_definition.to_string(),
            deployment: life.deployment,
            new,
            state,
            healthy,
            since,
            reason: self
                .reason_index(k, state, t)
                .map(|i| track.unplaced[i].1.clone()),
            capacity_provider: life.capacity_provider.as_deref().map(str::to_string),
            // A task's zone is where it was placed; it never moves, so the life's zone holds
            // from the placement on (PROVISIONING is before it).
            availability_zone: if state == TaskState::Provisioning {
                None
            } else {
                life.availability_zone.as_deref().map(str::to_string)
            },
        }
    }

    /// Mixes what a task's chip shows into `h`: which task, its state and since when, old or
    /// new (and whether its service is under deployment, which shows it), healthy, and while it
    /// waits, which reason.
    fn key_of(&self, h: u64, k: usize, state: TaskState, since: u32, t: u32, primary: u32) -> u64 {
        let (new, healthy, _) = self.facts(k, state, t, primary);
        let reason = self.reason_index(k, state, t).map_or(0, |i| i as u64 + 1);
        let flags = (state as u64)
            | (new as u64) << 8
            | (healthy as u64) << 9
            | u64::from(primary > 1) << 10;
        mix(mix(mix(mix(h, k as u64), u64::from(since)), flags), reason)
    }

    /// The cluster at second `t`.
    pub fn at(&self, t: u32) -> Moment {
        let mut on: Vec<Vec<TaskAt>> = vec![Vec::new(); self.instances.len()];
        let mut fargate = Vec::new();
        let mut waiting = Vec::new();
        let primaries = self.primaries(t);
        let counts = self.counts(t, &primaries);
        for (k, state, since) in self.live(t) {
            let track = &self.tasks[k];
            let primary = primaries.get(track.service).copied().unwrap_or(1);
            let task = self.task_at(k, state, since, t, primary);
            match (state, track.instance) {
                (TaskState::Provisioning, _) => waiting.push(task),
                (_, Some(i)) => on[i].push(task),
                (_, None) => fargate.push(task),
            }
        }
        let mut zones: Vec<ZoneAt> = self
            .zones
            .iter()
            .map(|z| ZoneAt {
                availability_zone: z.clone(),
                instances: Vec::new(),
            })
            .collect();
        for (track, tasks) in self.instances.iter().zip(on) {
            let Some(state) = track.at(t) else { continue };
            if let Some(z) = zones
                .iter_mut()
                .find(|z| z.availability_zone == track.availability_zone)
            {
                z.instances.push(InstanceAt {
                    id: track.id.clone(),
                    instance_type: track.instance_type.clone(),
                    availability_zone: track.availability_zone.clone(),
                    capacity_provider: track.capacity_provider.clone(),
                    state,
                    tasks,
                });
            }
        }
        Moment {
            t,
            zones,
            fargate,
            waiting,
            services: self.services_at(t, &primaries, &counts),
        }
    }

    /// Every service's (old, new) counts at `t`.
    fn counts(&self, t: u32, primaries: &[u32]) -> Vec<(Counts, Counts)> {
        let mut counts: Vec<(Counts, Counts)> = vec![Default::default(); self.services.len()];
        for (k, state, _) in self.live(t) {
            let s = self.tasks[k].service;
            let Some(c) = counts.get_mut(s) else { continue };
            let (new, healthy, active) = self.facts(k, state, t, primaries[s]);
            let c = if new { &mut c.1 } else { &mut c.0 };
            c.active += active as u32;
            c.running += healthy as u32;
        }
        counts
    }

    fn services_at(
        &self,
        t: u32,
        primaries: &[u32],
        counts: &[(Counts, Counts)],
    ) -> Vec<ServiceAt> {
        self.timeline
            .services
            .iter()
            .enumerate()
            .map(|(s, series)| ServiceAt {
                service: series.service.clone(),
                desired: series.at(t).map_or(0, |x: &ServiceSample| x.desired),
                deployment: primaries[s],
                old: counts[s].0,
                new: counts[s].1,
            })
            .collect()
    }

    /// The moment at `t` as keys of its cards, with the services' counts: one pass over the
    /// live tasks, no strings copied but the services' names.
    pub fn outline(&self, t: u32) -> Outline {
        let primaries = self.primaries(t);
        let mut counts: Vec<(Counts, Counts)> = vec![Default::default(); self.services.len()];
        let mut keys: Vec<u64> = self
            .instances
            .iter()
            .enumerate()
            .map(|(i, track)| mix(i as u64, track.at(t).map_or(0, |s| s as u64 + 1)))
            .collect();
        let mut on_instance: Vec<usize> = vec![0; self.instances.len()];
        let (mut fargate, mut waiting) = (mix(0, 1), mix(0, 2));
        let (mut fargate_count, mut waiting_count) = (0, 0);
        for (k, state, since) in self.live(t) {
            let track = &self.tasks[k];
            let primary = primaries.get(track.service).copied().unwrap_or(1);
            if let Some(c) = counts.get_mut(track.service) {
                let (new, healthy, active) = self.facts(k, state, t, primary);
                let c = if new { &mut c.1 } else { &mut c.0 };
                c.active += active as u32;
                c.running += healthy as u32;
            }
            let key = match (state, track.instance) {
                (TaskState::Provisioning, _) => {
                    waiting_count += 1;
                    &mut waiting
                }
                (_, Some(i)) => {
                    on_instance[i] += 1;
                    &mut keys[i]
                }
                (_, None) => {
                    fargate_count += 1;
                    &mut fargate
                }
            };
            *key = self.key_of(*key, k, state, since, t, primary);
        }
        let mut zones: Vec<ZoneOutline> = self
            .zones
            .iter()
            .map(|z| ZoneOutline {
                availability_zone: z.clone(),
                instances: Vec::new(),
            })
            .collect();
        for (i, track) in self.instances.iter().enumerate() {
            if track.at(t).is_none() {
                continue;
            }
            if let Some(z) = zones
                .iter_mut()
                .find(|z| z.availability_zone == track.availability_zone)
            {
                z.instances.push(CardKey {
                    instance: i,
                    key: keys[i],
                    tasks: on_instance[i],
                });
            }
        }
        let fargate_chips = self
            .off_by_zone
            .iter()
            .filter_map(|&k| {
                let (state, since) = self.state_of(k, t)?;
                let primary = primaries.get(self.tasks[k].service).copied().unwrap_or(1);
                (state != TaskState::Provisioning).then(|| ChipKey {
                    task: k,
                    key: self.key_of(0, k, state, since, t, primary),
                })
            })
            .collect();
        Outline {
            t,
            zones,
            fargate,
            fargate_count,
            fargate_chips,
            waiting,
            waiting_count,
            services: self.services_at(t, &primaries, &counts),
        }
    }

    /// Instance `i` of the index ([`CardKey::instance`]) at `t` with its tasks, as in
    /// [`MomentIndex::at`]; none when it is not there then.
    pub fn instance_at(&self, i: usize, t: u32) -> Option<InstanceAt> {
        let track = self.instances.get(i)?;
        let state = track.at(t)?;
        let tasks = self.on_instance[i]
            .iter()
            .filter_map(|&k| {
                let (s, since) = self.state_of(k, t)?;
                (s != TaskState::Provisioning)
                    .then(|| self.task_at(k, s, since, t, self.primary_of(k, t)))
            })
            .collect();
        Some(InstanceAt {
            id: track.id.clone(),
            instance_type: track.instance_type.clone(),
            availability_zone: track.availability_zone.clone(),
            capacity_provider: track.capacity_provider.clone(),
            state,
            tasks,
        })
    }

    /// The tasks on Fargate at `t`, as in [`Moment::fargate`].
    pub fn fargate_at(&self, t: u32) -> Vec<TaskAt> {
        self.off_instances
            .iter()
            .filter_map(|&k| {
                let (s, since) = self.state_of(k, t)?;
                (s != TaskState::Provisioning)
                    .then(|| self.task_at(k, s, since, t, self.primary_of(k, t)))
            })
            .collect()
    }

    /// Task `k` of the index ([`ChipKey::task`]) at `t`, as in [`Moment::fargate`]; none when
    /// it is not on Fargate then (not started, stopped, waiting, or on an instance).
    pub fn chip_at(&self, k: usize, t: u32) -> Option<TaskAt> {
        let track = self.tasks.get(k)?;
        let (s, since) = self.state_of(k, t)?;
        (s != TaskState::Provisioning && track.instance.is_none())
            .then(|| self.task_at(k, s, since, t, self.primary_of(k, t)))
    }

    /// The tasks waiting for a place at `t`, as in [`Moment::waiting`].
    pub fn waiting_at(&self, t: u32) -> Vec<TaskAt> {
        self.live(t)
            .filter(|&(_, s, _)| s == TaskState::Provisioning)
            .map(|(k, s, since)| self.task_at(k, s, since, t, self.primary_of(k, t)))
            .collect()
    }
}

/// The cluster at second `t` of a timeline of `plan` (indexes the timeline each call; keep a
/// [`MomentIndex`] to ask for many moments).
#[cfg(test)]
pub fn board_at(plan: &Plan, timeline: &Timeline, t: u32) -> Moment {
    MomentIndex::new(plan, timeline.clone()).at(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::PlaceOptions;
    use crate::sim::{deploy, simulate, DeployRequest};

    use crate::load::sample;

    /// Every sample's counts, and the counts between samples, match the index's.
    fn assert_counts_match(plan: &Plan, tl: &Timeline) {
        let index = MomentIndex::new(plan, tl.clone());
        let mut checked = 0;
        for series in &tl.services {
            for (k, sample) in series.samples.iter().enumerate() {
                let next = series.samples.get(k + 1).map_or(tl.duration, |n| n.t);
                for t in [sample.t, (sample.t + next) / 2] {
                    let m = index.at(t);
                    let s = m.services.iter().find(|s| s.service == series.service);
                    let s = s.unwrap();
                    let want = series.at(t).unwrap();
                    assert_eq!(
                        (s.old, s.new, s.desired),
                        (want.old, want.new, want.desired),
                        "{} at {t}",
                        series.service
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 0);
    }

    #[test]
    fn a_rolling_deployment_moment_by_moment_matches_the_samples() {
        let plan = sample("two-az-web");
        let opts = PlaceOptions::for_plan(&plan);
        let r = deploy(&plan, &DeployRequest::new("web", None), &opts).unwrap();
        assert_counts_match(&plan, &r.timeline);
        let index = MomentIndex::new(&plan, r.timeline.clone());
        // Before: four old tasks, all RUNNING on instances; at the end: four new ones.
        let start = index.at(0);
        let web = |m: &Moment| m.services.iter().find(|s| s.service == "web").cloned();
        assert_eq!(web(&start).unwrap().deployment, 2);
        assert_eq!(web(&start).unwrap().old.running, 4);
        let end = index.at(r.duration_seconds);
        assert_eq!(web(&end).unwrap().new.running, 4);
        assert_eq!(web(&end).unwrap().old.active, 0);
        let on_instances: usize = end
            .zones
            .iter()
            .flat_map(|z| &z.instances)
            .map(|i| i.tasks.iter().filter(|t| t.service == "web").count())
            .sum();
        assert_eq!(on_instances, 4);
        // Somewhere in between, a new task is PENDING or an old one drains.
        let busy = (0..r.duration_seconds).step_by(5).any(|t| {
            index
                .at(t)
                .zones
                .iter()
                .flat_map(|z| &z.instances)
                .any(|i| {
                    i.tasks.iter().any(|x| {
                        matches!(
                            x.state,
                            TaskState::Pending | TaskState::Deactivating | TaskState::Stopping
                        )
                    })
                })
        });
        assert!(busy);
        // The one-shot form agrees.
        assert_eq!(board_at(&plan, &r.timeline, 100), index.at(100));
    }

    #[test]
    fn a_stuck_deployment_shows_its_waiting_tasks_with_the_reason() {
        // Four web tasks with a static host port on four instances: a new task has nowhere to
        // go, and 100 % minimum healthy keeps every old one.
        let mut plan = sample("two-az-web");
        let mut v = serde_json::to_value(&plan).unwrap();
        v["taskDefinitions"][0]["containerDefinitions"][0]["portMappings"] =
            serde_json::json!([{"containerPort": 80, "hostPort": 80}]);
        v["taskDefinitions"][0]["networkMode"] = serde_json::json!("bridge");
        plan = crate::load::load_value(v).plan.unwrap();
        let opts = PlaceOptions::for_plan(&plan);
        let r = deploy(&plan, &DeployRequest::new("web", None), &opts).unwrap();
        assert_eq!(r.outcome, crate::sim::DeployOutcome::Stuck, "{}", r.reason);
        let m = board_at(&plan, &r.timeline, r.duration_seconds);
        assert!(!m.waiting.is_empty());
        let reason = m.waiting[0].reason.as_deref().unwrap_or_default();
        assert!(reason.contains("unable to place"), "{reason}");
        assert_counts_match(&plan, &r.timeline);
    }

    #[test]
    fn a_day_with_scaling_and_capacity_providers_matches_the_samples() {
        for name in ["two-az-web", "fargate-spot"] {
            let plan = sample(name);
            let tl = simulate(&plan, 6 * 3600, &PlaceOptions::for_plan(&plan));
            assert_counts_match(&plan, &tl);
            let index = MomentIndex::new(&plan, tl.clone());
            // Instances the capacity provider launched appear once launched.
            for life in tl.instances.iter().filter(|l| l.launched.is_some()) {
                let t = life.launched.unwrap();
                let find = |t: u32| {
                    index
                        .at(t)
                        .zones
                        .iter()
                        .flat_map(|z| z.instances.clone())
                        .find(|i| i.id == life.instance)
                };
                if t > 0 {
                    assert!(find(t - 1).is_none());
                }
                if life.registered.is_some_and(|r| r > t) {
                    assert_eq!(find(t).unwrap().state, InstanceMoment::Launching);
                }
            }
        }
    }

    /// Each task at a moment names the capacity provider and zone that `simulate --json`'s
    /// `tasks` give it (the same timeline serialized), so the page shows what the CLI says.
    #[test]
    fn tasks_at_a_moment_carry_the_provider_and_zone_simulate_json_gives() {
        for name in ["fargate-spot", "two-az-web"] {
            let plan = sample(name);
            let tl = simulate(&plan, 6 * 3600, &PlaceOptions::for_plan(&plan));
            let json = serde_json::to_value(&tl.tasks).unwrap();
            let of = |id: &str| {
                json.as_array()
                    .unwrap()
                    .iter()
                    .find(|t| t["task"] == id)
                    .cloned()
                    .unwrap()
            };
            let index = MomentIndex::new(&plan, tl.clone());
            let (mut placed, mut spot) = (0, 0);
            for t in (0..tl.duration).step_by(600) {
                let m = index.at(t);
                let on_instances = m.zones.iter().flat_map(|z| {
                    z.instances
                        .iter()
                        .flat_map(move |i| i.tasks.iter().map(move |x| (Some(i), x)))
                });
                let rest = m.fargate.iter().chain(&m.waiting).map(|x| (None, x));
                for (instance, task) in on_instances.chain(rest) {
                    let want = of(&task.task);
                    assert_eq!(
                        task.capacity_provider.as_deref(),
                        want["capacityProvider"].as_str(),
                        "{name} {} at {t}",
                        task.task
                    );
                    if task.state == TaskState::Provisioning {
                        assert_eq!(task.availability_zone, None);
                        continue;
                    }
                    assert_eq!(
                        task.availability_zone.as_deref(),
                        want["availabilityZone"].as_str(),
                        "{name} {} at {t}",
                        task.task
                    );
                    assert!(task.availability_zone.is_some(), "{name} {}", task.task);
                    if let Some(i) = instance {
                        assert_eq!(task.availability_zone.as_ref(), Some(&i.availability_zone));
                    }
                    placed += 1;
                    spot += (task.capacity_provider.as_deref() == Some("FARGATE_SPOT")) as u32;
                }
            }
            assert!(placed > 0, "{name}");
            if name == "fargate-spot" {
                // Base 2 on FARGATE, the rest one to three: most tasks run on Fargate Spot.
                assert!(spot > 0, "{name}: no FARGATE_SPOT task");
                let m = index.at(0);
                let zones: std::collections::BTreeSet<_> = m
                    .fargate
                    .iter()
                    .filter_map(|t| t.availability_zone.clone())
                    .collect();
                assert!(
                    zones.len() > 1,
                    "Fargate tasks spread over zones: {zones:?}"
                );
            }
        }
    }

    /// The moment put together from its outline and its cards, as the page draws it.
    fn assembled(index: &MomentIndex, t: u32) -> Moment {
        let o = index.outline(t);
        Moment {
            t,
            zones: o
                .zones
                .iter()
                .map(|z| ZoneAt {
                    availability_zone: z.availability_zone.clone(),
                    instances: z
                        .instances
                        .iter()
                        .map(|c| {
                            let i = index.instance_at(c.instance, t).unwrap();
                            assert_eq!(c.tasks, i.tasks.len(), "the card's task count");
                            i
                        })
                        .collect(),
                })
                .collect(),
            fargate: {
                let mut by_zone = index.fargate_at(t);
                by_zone.sort_by(|a, b| a.availability_zone.cmp(&b.availability_zone));
                let chips: Vec<TaskAt> = o
                    .fargate_chips
                    .iter()
                    .map(|c| index.chip_at(c.task, t).unwrap())
                    .collect();
                assert_eq!(chips, by_zone, "the Fargate lane's chips");
                index.fargate_at(t)
            },
            waiting: index.waiting_at(t),
            services: o.services,
        }
    }

    mod random {
        use super::*;
        use crate::sim::events::SimEvent;
        use crate::sim::providers::{InstanceLife, InstanceState};
        use crate::sim::ServiceSeries;
        use crate::sim::TaskLife;
        use proptest::prelude::*;

        /// A task: service, deployment, instance (0..4 the plan's, 4..6 launched ones, 6+
        /// none), provider, its state changes (gaps and states), healthy after, unplaced at.
        type Task = (
            usize,
            u32,
            usize,
            bool,
            Vec<(u32, usize)>,
            Option<u32>,
            Vec<u32>,
        );

        fn task() -> impl Strategy<Value = Task> {
            (
                0..2usize,
                1..4u32,
                0..8usize,
                any::<bool>(),
                prop::collection::vec((0..900u32, 0..7usize), 1..6),
                prop::option::of(0..900u32),
                prop::collection::vec(0..3000u32, 0..3),
            )
        }

        /// A timeline of the two-zone sample's cluster and two launched instances, with
        /// random tasks, deployments, health and unplaced messages.
        fn timeline(
            plan: &Plan,
            tasks: &[Task],
            deployments: &[(usize, u32)],
            launched: &[(u32, u32, Option<u32>, Option<u32>)],
        ) -> Timeline {
            let services = ["web", "api"];
            let mut ids: Vec<String> = plan
                .cluster
                .container_instances
                .iter()
                .map(|c| c.id.clone())
                .collect();
            ids.truncate(4);
            let mut tl = Timeline {
                duration: 3600,
                services: services
                    .iter()
                    .map(|s| ServiceSeries {
                        service: s.to_string(),
                        samples: Vec::new(),
                    })
                    .collect(),
                ..Timeline::default()
            };
            for (n, &(at, reg, drain, term)) in launched.iter().enumerate() {
                let id = format!("i-launched{n}");
                ids.push(id.clone());
                tl.instances.push(InstanceLife {
                    instance: id,
                    instance_type: "m5.large".into(),
                    availability_zone: ["eu-west-1a", "eu-west-1c"][n % 2].into(),
                    capacity_provider: Some("asg".into()),
                    launched: Some(at),
                    registered: Some(at + reg),
                    draining: drain.map(|d| at + reg + d),
                    terminated: term.map(|x| at + reg + drain.unwrap_or(0) + x),
                    state: InstanceState::InService,
                });
            }
            for (n, (s, dep, inst, spot, changes, healthy, unplaced)) in tasks.iter().enumerate() {
                let id = format!("{}-{n}", services[*s]);
                let mut at = 0;
                let states: Vec<(u32, TaskState)> = changes
                    .iter()
                    .map(|&(gap, st)| {
                        at += gap;
                        (at, TaskState::ALL[st])
                    })
                    .collect();
                let instance = ids.get(*inst).map(|i| crate::sim::Name::from(i.as_str()));
                tl.tasks.push(TaskLife {
                    task: id.clone(),
                    service: services[*s].into(),
                    task_definition: format!("{}:{dep}", services[*s]).into(),
                    deployment: *dep,
                    instance: instance.clone(),
                    capacity_provider: spot.then(|| "FARGATE_SPOT".into()),
                    // Zones not in start order: the Fargate lane sorts by zone.
                    availability_zone: Some(["eu-west-1c", "eu-west-1a"][n % 2].into()),
                    states,
                });
                let event = |t: u32, kind: EventKind, message: String| SimEvent {
                    t,
                    kind,
                    service: Some(services[*s].into()),
                    task: Some(id.clone()),
                    instance: instance.clone(),
                    message,
                };
                if let Some(h) = healthy {
                    tl.events
                        .push(event(*h, EventKind::TaskHealthy, String::new()));
                }
                for (k, &u) in unplaced.iter().enumerate() {
                    tl.events.push(event(
                        u,
                        EventKind::TaskUnplaced,
                        format!("reason {k} at {u}"),
                    ));
                }
            }
            for &(s, t) in deployments {
                tl.events.push(SimEvent {
                    t,
                    kind: EventKind::DeploymentStarted { deployment: 2 },
                    service: Some(services[s].into()),
                    task: None,
                    instance: None,
                    message: String::new(),
                });
            }
            tl.events.sort_by_key(|e| e.t);
            tl
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]

            /// The page's moment (outline, then each card) is the straightforward one, and two
            /// moments whose card keys are equal have equal cards.
            #[test]
            fn the_outlined_moment_is_the_moment_and_equal_keys_are_equal_cards(
                tasks in prop::collection::vec(task(), 0..40),
                deployments in prop::collection::vec((0..2usize, 0..3600u32), 0..3),
                launched in prop::collection::vec(
                    (0..1800u32, 0..300u32, prop::option::of(0..900u32), prop::option::of(0..900u32)),
                    0..3,
                ),
                times in prop::collection::vec(0..4000u32, 2..8),
            ) {
                let plan = sample("two-az-web");
                let index = MomentIndex::new(&plan, timeline(&plan, &tasks, &deployments, &launched));
                let mut seen: HashMap<u64, (u32, InstanceAt)> = HashMap::new();
                let (mut fargate, mut waiting) = (HashMap::new(), HashMap::new());
                let mut chip_seen: HashMap<u64, TaskAt> = HashMap::new();
                for &t in &times {
                    let m = index.at(t);
                    prop_assert_eq!(&assembled(&index, t), &m, "at {}", t);
                    let o = index.outline(t);
                    prop_assert_eq!(o.fargate_count, m.fargate.len());
                    prop_assert_eq!(o.waiting_count, m.waiting.len());
                    for c in o.zones.iter().flat_map(|z| &z.instances) {
                        let card = index.instance_at(c.instance, t).unwrap();
                        prop_assert_eq!(c.tasks, card.tasks.len(), "tasks of {} at {}", c.instance, t);
                        if let Some((t0, before)) = seen.get(&c.key) {
                            prop_assert_eq!(before, &card, "key {} at {} and {}", c.key, t0, t);
                        }
                        seen.insert(c.key, (t, card));
                    }
                    let mut by_zone = m.fargate.clone();
                    by_zone.sort_by(|a, b| a.availability_zone.cmp(&b.availability_zone));
                    let chips: Vec<TaskAt> = o
                        .fargate_chips
                        .iter()
                        .map(|c| index.chip_at(c.task, t).unwrap())
                        .collect();
                    prop_assert_eq!(&chips, &by_zone, "the Fargate lane at {}", t);
                    for (c, chip) in o.fargate_chips.iter().zip(chips) {
                        if let Some(before) = chip_seen.insert(c.key, chip.clone()) {
                            prop_assert_eq!(before, chip, "chip key {} at {}", c.key, t);
                        }
                    }
                    if let Some(before) = fargate.insert(o.fargate, m.fargate.clone()) {
                        prop_assert_eq!(before, m.fargate.clone());
                    }
                    if let Some(before) = waiting.insert(o.waiting, m.waiting.clone()) {
                        prop_assert_eq!(before, m.waiting.clone());
                    }
                }
            }
        }
    }

    #[test]
    fn the_outlined_moment_of_a_day_is_the_moment() {
        for name in ["two-az-web", "fargate-spot", "mixed-memberof"] {
            let plan = sample(name);
            let tl = simulate(&plan, 6 * 3600, &PlaceOptions::for_plan(&plan));
            let index = MomentIndex::new(&plan, tl.clone());
            for t in (0..tl.duration).step_by(397) {
                assert_eq!(assembled(&index, t), index.at(t), "{name} at {t}");
            }
        }
    }
}
