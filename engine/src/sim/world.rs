//! What every mechanism of the simulation acts on: the clock and its pending events, the
//! cluster (through the placement engine, with what the simulator knows beyond a placement:
//! the instances that left during the run, when each waiting task was last tried), the tasks
//! with their lifecycle, and the record.
//!
//! A task lives through ECS's states (`task-lifecycle`): PROVISIONING (waiting for an instance)
//! → PENDING (image pull, container start) → ACTIVATING (load balancer registration) → RUNNING
//! → DEACTIVATING (deregistration delay) → STOPPING → STOPPED, with durations from
//! [`Timings`]. A RUNNING task turns healthy when its load balancer and container health checks
//! pass; one whose plan makes it fail is found unhealthy instead. Every transition bumps the
//! task's generation, so that an event scheduled for an earlier state is ignored.

use super::events::{EventKind, SimEvent};
use super::names::{Name, Names};
use super::timeline::{TaskLife, Timeline};
use super::Timings;
use crate::placement::{Attempts, InstanceIx, Launch, Outcome, Placement, Task, TaskIx};
use crate::plan::{FailureKind, Plan, TaskDefRef, TaskDefinition};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{vec_deque, BTreeSet, BinaryHeap, HashMap, VecDeque};

/// ECS's task states (`lastStatus`, the task lifecycle), in the order a task goes through
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskState {
    /// Waiting for capacity: no instance meets its requirements yet (a capacity provider
    /// may add one).
    Provisioning,
    /// Placed: its image is pulled and its containers start.
    Pending,
    /// Registering with its load balancer's target group.
    Activating,
    /// Its containers run.
    Running,
    /// Deregistering from its load balancer (the deregistration delay).
    Deactivating,
    /// Its containers were sent SIGTERM and stop.
    Stopping,
    /// Stopped; it never changes again.
    Stopped,
}

impl TaskState {
    /// Every state, in lifecycle order.
    pub const ALL: [TaskState; 7] = [
        TaskState::Provisioning,
        TaskState::Pending,
        TaskState::Activating,
        TaskState::Running,
        TaskState::Deactivating,
        TaskState::Stopping,
        TaskState::Stopped,
    ];
}

/// A task of the simulation (its index in [`World::tasks`]; the placement engine numbers its
/// own tasks separately).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct TaskId(pub u32);

impl TaskId {
    fn at(self) -> usize {
        self.0 as usize
    }
}

/// An event of the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Ev {
    /// The task's current step is over.
    Advance { task: TaskId, gen: u32 },
    /// Health checks pass.
    Healthy { task: TaskId, gen: u32 },
    /// Health checks fail.
    Unhealthy { task: TaskId, gen: u32 },
    /// The scheduler looks at the services again (after a back-off, a traffic step).
    Wake,
    /// Once a minute: metrics, service auto scaling, capacity providers.
    Minute,
    /// A launched instance (index among the capacity providers' instances) registers.
    Register { instance: u32 },
    /// Fargate Spot reclaims an interrupted task.
    SpotReclaim { task: TaskId },
}

/// A task's state in the simulation.
#[derive(Debug, Clone)]
pub(super) struct SimTask {
    /// Index in the placement's task list.
    pub ptask: TaskIx,
    pub service: usize,
    /// The deployment of its service that started it (1 = the first).
    pub deployment: u32,
    pub state: TaskState,
    pub healthy: bool,
    /// The scheduler wants it stopped.
    pub stopping: bool,
    /// Its container instance is DRAINING: the scheduler replaces it as a deployment replaces
    /// an older deployment's tasks (`container-instance-draining`).
    pub displaced: bool,
    /// Availability Zone rebalancing replaces it in a zone with fewer of its service's tasks
    /// (with `displaced`).
    pub rebalanced: bool,
    /// Bumped on every transition so stale events are ignored.
    gen: u32,
    failure: Option<FailureKind>,
    /// A HEALTH_CHECK failure after the task was healthy: seconds after it turned healthy.
    fail_after_healthy: Option<u32>,
    /// Index of its life in the timeline.
    pub life: usize,
    /// A daemon task's own instance.
    pub pinned: Option<InstanceIx>,
}

/// What does not change about a service during a run (or a RunTask group of
/// `settings.simulation.runTasks`, which comes after the services: [`ServiceFacts::standalone`]).
#[derive(Debug, Clone)]
pub(super) struct ServiceFacts {
    /// Index in the plan's services.
    pub index: usize,
    pub name: String,
    /// DAEMON scheduling: one task per matching instance.
    pub daemon: bool,
    pub load_balanced: bool,
    /// `healthCheckGracePeriodSeconds`.
    pub grace: u32,
}

/// `ServiceFacts::index` of a RunTask group: it is no service of the plan.
pub(super) const STANDALONE: usize = usize::MAX;

impl ServiceFacts {
    /// A RunTask group's standalone tasks, not a service's.
    pub fn standalone(&self) -> bool {
        self.index == STANDALONE
    }
}

/// What a task's step ended in, when the scheduler has to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Advanced {
    Moved,
    /// It stopped before RUNNING: a failure for the circuit breaker and the launch back-off.
    FailedToStart,
}

/// The clock, the cluster, the tasks and the record.
pub(super) struct World<'a> {
    pub plan: &'a Plan,
    pub placement: Placement,
    pub timings: Timings,
    /// Seconds from the start.
    pub now: u32,
    queue: BinaryHeap<Reverse<(u32, u64, Ev)>>,
    seq: u64,
    pub tasks: Vec<SimTask>,
    /// Per service, in plan order.
    pub services: Vec<ServiceFacts>,
    pub timeline: Timeline,
    /// Tasks started so far per entry of `settings.simulation.failures` (for its `rate`).
    failure_counts: Vec<u32>,
    /// Per service, its tasks not STOPPED yet, oldest first; and all of them. A STOPPED task
    /// never changes again and every question the scheduler asks (active, healthy, waiting)
    /// is about the others, so the scheduler's passes cost what runs now, not every task the
    /// simulation ever started (a year of a service's churn). A queue, not a vector: the
    /// tasks that stop are mostly the oldest (a deployment replaces them first), and taking
    /// one out moves the shorter side (a vector moved every newer task: 5 000 moves of up to
    /// 10 000 ids in a 5 000-task deployment).
    live: Vec<VecDeque<TaskId>>,
    live_all: BTreeSet<TaskId>,
    /// The tasks in PROVISIONING, oldest first: what the capacity providers' reservation and
    /// the PROVISIONING quota count, a few among tens of thousands live.
    provisioning: BTreeSet<TaskId>,
    /// The task of each placement task, at its index (the first, if one were added twice):
    /// placement task indexes are dense, so a vector, not a hash map (hashing them was ~12 %
    /// of a whole `deploy` process on the quota plan, which adds 55 000 tasks first).
    by_ptask: Vec<Option<TaskId>>,
    /// `family:revision` → index in the plan's task definitions, looked up once per task
    /// instead of a pass over every task definition.
    revisions: HashMap<(String, u32), usize>,
    /// Instances terminated and deregistered during the run ([`World::retire_node`]), indexed
    /// like the cluster's nodes (shorter when the last ones never left). They stay in the
    /// placement's cluster, DRAINING with their agent disconnected, so explanations still
    /// show them; unplaced reasons leave them out.
    retired: Vec<bool>,
    /// When each waiting task was last tried, so that a retry on a cluster that has not
    /// changed adds no placement event ([`crate::placement::retry`]).
    attempts: Attempts,
    /// Per service, a count of changes to its tasks (added, changed state or flags): the
    /// scheduler skips a quiet service until it moves ([`super::quiet`]).
    touched: Vec<u64>,
    /// Counts the changes to the cluster's instances made during the run (registered,
    /// DRAINING, retired): a daemon's targets stay the same while it does not move
    /// ([`super::quiet`]).
    nodes_changed: u64,
    /// Per service, its RUNNING task-seconds since the last minute tick ([`RunningSeconds`]).
    running_secs: Vec<RunningSeconds>,
    /// The first second the next minute's utilisation counts ([`World::take_running_seconds`]).
    secs_from: u32,
    /// The names the timeline's lives and events mention, each held once.
    names: Names,
    /// Each instance's id as a name, once asked (an instance's id never changes): thousands
    /// of instances are named again and again, and a hash of the id per task was most of it.
    node_names: Vec<Option<Name>>,
}

/// A service's task-seconds in RUNNING, kept as its tasks enter and leave that state, so a
/// minute's utilisation does not read every task's life. Second `x` counts a task when its
/// RUNNING state began at or before `x` and its next state after `x` (as
/// [`super::autoscaling`] reads a life); seconds before [`World::secs_from`] were taken.
#[derive(Debug, Clone, Copy, Default)]
struct RunningSeconds {
    /// Tasks in RUNNING now.
    running: u32,
    /// Seconds counted into `acc` end here (at or after `secs_from`).
    since: u32,
    /// Task-seconds of seconds `secs_from..since`.
    acc: u64,
}

/// Every task definition's (family, revision) → its index (revision n is the n-th of the
/// family in plan order, as [`Plan::resolve_task_definition`] counts).
pub(super) fn revision_index(plan: &Plan) -> HashMap<(String, u32), usize> {
    let mut seen: HashMap<&str, u32> = HashMap::new();
    let mut out = HashMap::with_capacity(plan.task_definitions.len());
    for (i, td) in plan.task_definitions.iter().enumerate() {
        let n = seen.entry(td.family.as_str()).or_insert(0);
        *n += 1;
        out.insert((td.family.clone(), *n), i);
    }
    out
}

impl<'a> World<'a> {
    pub fn new(plan: &'a Plan, mut placement: Placement) -> World<'a> {
        // The scheduler places a few tasks at a time: each spec's feasible instances are kept
        // between its calls, not found again among every instance each time.
        placement.keep_feasible();
        World {
            attempts: Attempts::of(&placement),
            plan,
            placement,
            timings: Timings::for_plan(plan),
            now: 0,
            queue: BinaryHeap::new(),
            seq: 0,
            tasks: Vec::new(),
            services: Vec::new(),
            timeline: Timeline::default(),
            failure_counts: Vec::new(),
            live: Vec::new(),
            live_all: BTreeSet::new(),
            provisioning: BTreeSet::new(),
            by_ptask: Vec::new(),
            revisions: revision_index(plan),
            retired: Vec::new(),
            touched: Vec::new(),
            nodes_changed: 0,
            running_secs: Vec::new(),
            secs_from: 0,
            names: Names::default(),
            node_names: Vec::new(),
        }
    }

    /// Schedules `ev` at second `at` (events of the same second run in the order scheduled).
    pub fn push(&mut self, at: u32, ev: Ev) {
        self.seq += 1;
        self.queue.push(Reverse((at, self.seq, ev)));
    }

    /// The second of the next event.
    pub fn next_at(&self) -> Option<u32> {
        self.queue.peek().map(|Reverse((t, _, _))| *t)
    }

    /// The next event, if it is due at second `at`.
    pub fn pop_at(&mut self, at: u32) -> Option<Ev> {
        match self.queue.peek() {
            Some(Reverse((t, _, ev))) if *t == at => {
                let ev = *ev;
                self.queue.pop();
                Some(ev)
            }
            _ => None,
        }
    }

    pub fn task(&self, t: TaskId) -> &SimTask {
        &self.tasks[t.at()]
    }

    pub fn task_mut(&mut self, t: TaskId) -> &mut SimTask {
        self.touch(self.tasks[t.at()].service);
        &mut self.tasks[t.at()]
    }

    /// Counts a change to a task of service `s`.
    fn touch(&mut self, s: usize) {
        if self.touched.len() <= s {
            self.touched.resize(s + 1, 0);
        }
        self.touched[s] += 1;
    }

    /// How many times service `s`'s tasks changed so far.
    pub fn touched(&self, s: usize) -> u64 {
        self.touched.get(s).copied().unwrap_or(0)
    }

    /// The tasks in PROVISIONING (stopping or not), oldest first: the live tasks in that
    /// state.
    pub fn provisioning_tasks(&self) -> impl Iterator<Item = &SimTask> {
        self.provisioning.iter().map(|t| &self.tasks[t.at()])
    }

    /// The tasks not STOPPED, oldest first.
    #[cfg(test)]
    pub fn live_task_ids(&self) -> Vec<TaskId> {
        self.live_all.iter().copied().collect()
    }

    /// The tasks not STOPPED, oldest first, without a copy.
    pub fn live_tasks(&self) -> impl Iterator<Item = TaskId> + '_ {
        self.live_all.iter().copied()
    }

    /// The tasks of service `s` not STOPPED, oldest first.
    pub fn tasks_of(&self, s: usize) -> Vec<TaskId> {
        self.live_of(s).copied().collect()
    }

    /// [`World::tasks_of`] without the copy.
    pub fn live_of(&self, s: usize) -> vec_deque::Iter<'_, TaskId> {
        static NONE: VecDeque<TaskId> = VecDeque::new();
        self.live.get(s).unwrap_or(&NONE).iter()
    }

    /// The placement engine's view of a task.
    pub fn placed(&self, t: TaskId) -> &Task {
        self.ptask(self.task(t).ptask)
    }

    /// The placement engine's task `ptask` (the one place that turns its index into a
    /// position).
    pub fn ptask(&self, ptask: TaskIx) -> &Task {
        &self.placement.tasks[ptask]
    }

    /// The task definition a placement task runs (`family:revision`).
    pub fn task_definition(&self, pt: &Task) -> Option<&'a TaskDefinition> {
        let plan: &'a Plan = self.plan;
        self.revisions
            .get(&(pt.family.to_string(), pt.revision))
            .map(|&i| &plan.task_definitions[i])
    }

    /// Why the placement engine could not place task `t`, one reason per kind of instance
    /// (instances that left the cluster during the run are no candidates and give none).
    pub fn unplaced_reasons(&self, t: TaskId) -> Vec<String> {
        self.placement
            .unplaced_reasons_without(self.task(t).ptask, &self.retired)
    }

    /// Places tasks (new, or waiting for an instance) on the cluster as it is now.
    pub fn place_tasks(&mut self, ptasks: &[TaskIx]) {
        self.placement.place_tasks_with(ptasks, &mut self.attempts);
    }

    /// Places a daemon task on its own instance if it fits there now.
    pub fn place_on(&mut self, ptask: TaskIx, node: InstanceIx) -> bool {
        self.placement
            .place_on_with(ptask, node, &mut self.attempts)
    }

    /// Deregisters a terminated instance ([`Placement::retire_node`]: its remaining tasks stop
    /// in the placement) and remembers that it left.
    pub fn retire_node(&mut self, node: InstanceIx) {
        self.nodes_changed += 1;
        self.placement.retire_node(node);
        if self.retired.len() <= node.at() {
            self.retired.resize(node.at() + 1, false);
        }
        self.retired[node.at()] = true;
    }

    /// Registers an instance launched during the run ([`Placement::add_node`]); its index.
    pub fn add_node(&mut self, node: crate::cluster::Node) -> InstanceIx {
        self.nodes_changed += 1;
        self.placement.add_node(node)
    }

    /// Sets an instance DRAINING ([`Placement::drain_node`]).
    pub fn drain_node(&mut self, node: InstanceIx) {
        self.nodes_changed += 1;
        self.placement.drain_node(node);
    }

    /// How many times the cluster's instances changed during the run (added, drained,
    /// retired). Every change to an instance goes through [`World::add_node`],
    /// [`World::drain_node`] or [`World::retire_node`].
    pub fn nodes_changed(&self) -> u64 {
        self.nodes_changed
    }

    /// Whether the instance was terminated and deregistered during the run.
    #[cfg(test)]
    pub fn is_retired(&self, node: InstanceIx) -> bool {
        self.retired.get(node.at()).copied().unwrap_or(false)
    }

    /// The task a placement task index stands for.
    pub fn task_of_ptask(&self, ptask: TaskIx) -> Option<TaskId> {
        self.by_ptask.get(ptask.at()).copied().flatten()
    }

    /// The instance a task is placed on.
    pub fn node_of(&self, t: TaskId) -> Option<InstanceIx> {
        match self.placed(t).outcome {
            Outcome::Placed { node } => Some(node),
            _ => None,
        }
    }

    /// Records an event about service `s` and task `t` (and the task's instance).
    pub fn event(
        &mut self,
        kind: EventKind,
        service: Option<usize>,
        task: Option<TaskId>,
        message: String,
    ) {
        let instance = task
            .and_then(|t| self.node_of(t))
            .map(|n| self.node_name(n));
        let service = service.map(|s| self.service_name(s));
        self.timeline.events.push(SimEvent {
            t: self.now,
            kind,
            service,
            task: task.map(|t| self.placed(t).id()),
            instance,
            message,
        });
    }

    /// Records an event about a service or an instance, with no task.
    pub fn note(
        &mut self,
        kind: EventKind,
        service: Option<usize>,
        instance: Option<String>,
        message: String,
    ) {
        let service = service.map(|s| self.service_name(s));
        let instance = instance.map(|i| self.names.of(&i));
        self.timeline.events.push(SimEvent {
            t: self.now,
            kind,
            service,
            task: None,
            instance,
            message,
        });
    }

    /// A new task of service `s` for placement task `ptask`, in `state`.
    pub fn add_task(
        &mut self,
        ptask: TaskIx,
        service: usize,
        deployment: u32,
        state: TaskState,
    ) -> TaskId {
        let pt = self.ptask(ptask);
        let family = pt.family.clone();
        let task_definition = self.names.task_definition(&family, pt.revision);
        // Tasks RUNNING before the simulation do not fail; new ones may (`failures`).
        let (failure, fail_after_healthy) = if state == TaskState::Running {
            (None, None)
        } else {
            self.failure_of(&task_definition)
        };
        let instance = match self.ptask(ptask).outcome {
            Outcome::Placed { node } => Some(self.node_name(node)),
            _ => None,
        };
        let capacity_provider = match &self.placement.specs[self.ptask(ptask).spec].launch {
            Launch::Provider { name } => Some(self.names.of(name)),
            Launch::Fargate { provider } => Some(self.names.of(provider)),
            Launch::Ec2 => None,
        };
        let availability_zone = self.zone_of_ptask(ptask);
        let service_name = self.service_name(service);
        self.timeline.tasks.push(TaskLife {
            task: self.ptask(ptask).id(),
            service: service_name,
            task_definition,
            deployment,
            instance,
            capacity_provider,
            availability_zone,
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
            rebalanced: false,
            gen: 0,
            failure,
            fail_after_healthy,
            life: self.timeline.tasks.len() - 1,
            pinned: None,
        });
        let t = TaskId(self.tasks.len() as u32 - 1);
        self.touch(service);
        if self.live.len() <= service {
            self.live.resize_with(service + 1, VecDeque::new);
        }
        if state != TaskState::Stopped {
            self.live[service].push_back(t);
            self.live_all.insert(t);
        }
        if state == TaskState::Provisioning {
            self.provisioning.insert(t);
        }
        if state == TaskState::Running {
            self.running_moves(service, true);
        }
        if self.by_ptask.len() <= ptask.at() {
            self.by_ptask.resize(ptask.at() + 1, None);
        }
        self.by_ptask[ptask.at()].get_or_insert(t);
        t
    }

    /// A task of service `s` enters (`into`) or leaves RUNNING now.
    fn running_moves(&mut self, s: usize, into: bool) {
        if self.running_secs.len() <= s {
            self.running_secs.resize(s + 1, RunningSeconds::default());
        }
        let from = self.secs_from;
        let r = &mut self.running_secs[s];
        let x = self.now.max(r.since).max(from);
        r.acc += r.running as u64 * (x - r.since.max(from)) as u64;
        r.since = x;
        if into {
            r.running += 1;
        } else {
            r.running -= 1;
        }
    }

    /// Service `s`'s RUNNING task-seconds over seconds `from..=to`, when `from` is where the
    /// last [`World::end_running_window`] left off (else `None`: the caller counts from the
    /// lives).
    pub fn running_seconds(&self, s: usize, from: u32, to: u32) -> Option<u64> {
        if from != self.secs_from {
            return None;
        }
        let r = self.running_secs.get(s).copied().unwrap_or_default();
        let since = r.since.max(from);
        Some(r.acc + r.running as u64 * (to as u64 + 1).saturating_sub(since as u64))
    }

    /// The minute's window ended at second `to`: the next one counts from `to + 1`.
    pub fn end_running_window(&mut self, to: u32) {
        self.secs_from = to + 1;
        for r in &mut self.running_secs {
            r.acc = 0;
            r.since = to + 1;
        }
    }

    /// How the plan makes a new task of `td` (`family:revision`) fail, if it does: the first
    /// `failures` entry naming it, for the share `rate` of its tasks (the k-th task fails when
    /// `ceil(k × rate)` grows); with `afterHealthySeconds`, after it was healthy that long.
    fn failure_of(&mut self, td: &str) -> (Option<FailureKind>, Option<u32>) {
        let plan = self.plan;
        let Some(settings) = plan.settings.as_ref().and_then(|s| s.simulation.as_ref()) else {
            return (None, None);
        };
        let want = TaskDefRef::parse(td);
        let Some(i) = settings.failures.iter().position(|f| {
            let r = TaskDefRef::parse(&f.task_definition);
            r.family == want.family && (r.revision.is_none() || r.revision == want.revision)
        }) else {
            return (None, None);
        };
        let f = &settings.failures[i];
        if self.failure_counts.len() < settings.failures.len() {
            self.failure_counts.resize(settings.failures.len(), 0);
        }
        self.failure_counts[i] += 1;
        let k = self.failure_counts[i] as f64;
        let rate = f.rate.unwrap_or(1.0).clamp(0.0, 1.0);
        if (k * rate - 1e-9).ceil() <= ((k - 1.0) * rate - 1e-9).ceil() {
            return (None, None);
        }
        let after = (f.failure == FailureKind::HealthCheck)
            .then_some(f.after_healthy_seconds)
            .flatten();
        (Some(f.failure), after)
    }

    pub fn set_state(&mut self, t: TaskId, state: TaskState) {
        let task = self.task_mut(t);
        let (was, s) = (task.state, task.service);
        task.state = state;
        task.gen += 1;
        let life = task.life;
        self.timeline.tasks[life].states.push((self.now, state));
        if state == TaskState::Provisioning {
            self.provisioning.insert(t);
        } else {
            self.provisioning.remove(&t);
        }
        if (was == TaskState::Running) != (state == TaskState::Running) {
            self.running_moves(s, state == TaskState::Running);
        }
        if state == TaskState::Stopped {
            let p = self.task(t).ptask;
            self.placement.stop(p);
            let s = self.task(t).service;
            if let Some(live) = self.live.get_mut(s) {
                if let Ok(k) = live.binary_search(&t) {
                    live.remove(k);
                }
            }
            self.live_all.remove(&t);
        }
    }

    /// Not stopping or stopped: it counts against `maximumPercent`.
    pub fn is_active(&self, t: TaskId) -> bool {
        let task = self.task(t);
        !task.stopping && task.state != TaskState::Stopped
    }

    /// Active, RUNNING and past its health checks: it counts for `minimumHealthyPercent`.
    pub fn is_healthy(&self, t: TaskId) -> bool {
        self.is_active(t) && self.task(t).state == TaskState::Running && self.task(t).healthy
    }

    /// A placed task starts: PENDING while the image is pulled and the containers start.
    pub fn begin(&mut self, t: TaskId) {
        let tm = self.timings;
        self.set_state(t, TaskState::Pending);
        let s = self.task(t).service;
        let where_ = match self.placed(t).outcome {
            Outcome::Fargate {
                ref availability_zone,
            } => format!("on AWS Fargate in {availability_zone}"),
            _ => "placed".to_string(),
        };
        self.event(
            EventKind::TaskStarted,
            Some(s),
            Some(t),
            format!("{where_}; PENDING (pulling the image)"),
        );
        let life = self.task(t).life;
        let instance = self.node_of(t).map(|n| self.node_name(n));
        let zone = self.zone_of_ptask(self.task(t).ptask);
        self.timeline.tasks[life].instance = instance;
        self.timeline.tasks[life].availability_zone = zone;
        let g = self.task(t).gen;
        let delay = if self.task(t).failure == Some(FailureKind::ImagePull) {
            tm.image_pull_failure
        } else {
            tm.image_pull + tm.container_start
        };
        self.push(self.now + delay, Ev::Advance { task: t, gen: g });
    }

    /// Moves a task past its current step.
    pub fn advance(&mut self, t: TaskId) -> Advanced {
        let s = self.task(t).service;
        let tm = self.timings;
        match self.task(t).state {
            TaskState::Pending => {
                if self.task(t).failure == Some(FailureKind::ImagePull) {
                    self.event(EventKind::TaskFailed, Some(s), Some(t), "CannotPullContainerError: the image could not be pulled; the task stopped before RUNNING".into());
                    self.set_state(t, TaskState::Stopped);
                    return Advanced::FailedToStart;
                }
                if self.services[s].load_balanced {
                    self.set_state(t, TaskState::Activating);
                    let g = self.task(t).gen;
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
                let g = self.task(t).gen;
                self.push(self.now + tm.stop, Ev::Advance { task: t, gen: g });
            }
            TaskState::Stopping => self.set_state(t, TaskState::Stopped),
            _ => {}
        }
        Advanced::Moved
    }

    /// The Availability Zone placement task `ptask` runs in, once placed.
    fn zone_of_ptask(&mut self, ptask: TaskIx) -> Option<Name> {
        let p = &self.placement;
        let zone = match &p.tasks[ptask].outcome {
            Outcome::Placed { node } => p.cluster.nodes[*node].availability_zone.as_str(),
            Outcome::Fargate { availability_zone } => availability_zone,
            _ => return None,
        };
        Some(self.names.of(zone))
    }

    /// Instance `node`'s id, as the timeline holds it.
    pub fn node_name(&mut self, node: InstanceIx) -> Name {
        let i = node.at();
        if let Some(Some(n)) = self.node_names.get(i) {
            return n.clone();
        }
        let n = self.names.of(&self.placement.cluster.nodes[node].id);
        if self.node_names.len() <= i {
            self.node_names.resize(i + 1, None);
        }
        self.node_names[i] = Some(n.clone());
        n
    }

    /// Service `s`'s name, as the timeline holds it.
    pub fn service_name(&mut self, s: usize) -> Name {
        self.names.of(&self.services[s].name)
    }

    /// Whether an event for the task's step at generation `gen` is still current.
    pub fn current(&self, t: TaskId, gen: u32) -> bool {
        self.task(t).gen == gen
    }

    fn become_running(&mut self, t: TaskId) {
        self.set_state(t, TaskState::Running);
        let g = self.task(t).gen;
        let (healthy_after, unhealthy_after) = self.health_delays(t);
        let task = self.task(t);
        if task.failure == Some(FailureKind::HealthCheck) && task.fail_after_healthy.is_none() {
            self.push(
                self.now + unhealthy_after,
                Ev::Unhealthy { task: t, gen: g },
            );
        } else {
            self.push(self.now + healthy_after, Ev::Healthy { task: t, gen: g });
        }
    }

    /// The task's health checks pass.
    pub fn turn_healthy(&mut self, t: TaskId) {
        self.task_mut(t).healthy = true;
        let s = self.task(t).service;
        self.event(
            EventKind::TaskHealthy,
            Some(s),
            Some(t),
            "health checks pass".into(),
        );
        if let Some(after) = self.task(t).fail_after_healthy {
            let g = self.task(t).gen;
            self.push(self.now + after, Ev::Unhealthy { task: t, gen: g });
        }
    }

    /// When a RUNNING task turns healthy, and when a failing one is found unhealthy.
    fn health_delays(&self, t: TaskId) -> (u32, u32) {
        let tm = self.timings;
        let s = &self.services[self.task(t).service];
        let pt = self.placed(t);
        let td = self.task_definition(pt);
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

    /// Asks a task to stop: tasks not yet running stop at once; running ones leave the load
    /// balancer first (deregistration delay), then get SIGTERM.
    pub fn stop_task(&mut self, t: TaskId, why: &str) {
        if self.task(t).stopping || self.task(t).state == TaskState::Stopped {
            return;
        }
        let task = self.task_mut(t);
        task.stopping = true;
        task.healthy = false;
        let s = task.service;
        self.event(EventKind::TaskStopping, Some(s), Some(t), why.to_string());
        let tm = self.timings;
        match self.task(t).state {
            TaskState::Provisioning | TaskState::Pending => self.set_state(t, TaskState::Stopped),
            TaskState::Activating | TaskState::Running => {
                if self.services[s].load_balanced {
                    self.set_state(t, TaskState::Deactivating);
                    let g = self.task(t).gen;
                    self.push(
                        self.now + tm.deregistration_delay,
                        Ev::Advance { task: t, gen: g },
                    );
                } else {
                    self.set_state(t, TaskState::Stopping);
                    let g = self.task(t).gen;
                    self.push(self.now + tm.stop, Ev::Advance { task: t, gen: g });
                }
            }
            _ => {}
        }
    }

    /// The task stops at once, with what stopped it (its instance, Fargate Spot).
    pub fn stop_now(&mut self, t: TaskId, why: String) {
        let s = self.task(t).service;
        self.event(EventKind::TaskStopped, Some(s), Some(t), why);
        let task = self.task_mut(t);
        task.stopping = true;
        task.healthy = false;
        self.set_state(t, TaskState::Stopped);
    }
}
