//! Task placement, the way Amazon ECS does it, explained instance by instance.
//!
//! [`place`] places a plan: the plan's tasks are built ([`tasks`]: one [`Spec`] per service
//! or RunTask and launch target), daemon services' tasks go first ([`daemon`]: ECS places them
//! before replica tasks), then every other service and RunTask in plan order, each task
//! through the pipeline of [`pipeline`] (the table of contents: eligibility → resources →
//! constraints → strategies → selection, each stage a file of [`filter`] or [`strategy`]),
//! Fargate tasks across zones ([`fargate`]). Every decision is recorded ([`changes`]) as an
//! [`Event`], so [`explain`](fn@explain) can rebuild the cluster as it was and run the same stages on every
//! instance.
//!
//! Around it: [`keep`] (the placement after an edit, running tasks staying where they are) with
//! [`rebalance`] (Availability Zone rebalancing), [`scale_in`] (which task stops first),
//! [`whatif`] (drain, remove, lose a zone, fit, fewest instances), [`diff`] (what moved),
//! [`report`](mod@report) (the reasons and `ecsplan place --json`).
//!
//! What AWS leaves unspecified, and what the planner does (also said in the UI):
//! - the order in which services are placed: daemon services first (AWS: "placed first"),
//!   then services and RunTasks in plan order;
//! - ties after the strategy chain, and `random`: seeded draws (see [`strategy::random`]);
//! - which of several tasks on one instance is stopped on scale-in: the newest.

pub mod changes;
pub mod daemon;
pub mod demand;
pub mod diff;
pub mod explain;
pub mod fargate;
mod feasible;
pub mod filter;
pub mod keep;
pub mod pipeline;
pub mod providers;
pub mod rebalance;
pub mod recorded;
pub mod report;
pub mod retry;
pub mod scale_in;
mod select;
pub mod state;
mod statics;
pub mod strategy;
pub mod tasks;
mod trial;
pub mod whatif;

#[cfg(test)]
pub(crate) mod table_tests;
#[cfg(test)]
mod tests;

use crate::catalog::Catalog;
pub use crate::cluster::InstanceIx;
use crate::cluster::{self, ClusterModel};
use crate::findings::Finding;
use crate::plan::{Plan, SchedulingStrategy};
use demand::Demand;
use filter::Constraint;
use pipeline::StaticVerdicts;
use serde::Serialize;
use state::{Groups, State};
use std::collections::HashMap;
use std::sync::Arc;
use strategy::Chain;

pub use explain::{explain, Explanation};
pub use keep::place_keeping;
pub use report::{report, PlacedTask, PlacementReport, UnplacedTask};
pub use retry::Attempts;

/// Options that change placement without changing the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceOptions {
    /// Seed for the draws AWS leaves unspecified (`random`, ties).
    pub seed: u64,
}

impl Default for PlaceOptions {
    fn default() -> Self {
        PlaceOptions { seed: 1 }
    }
}

impl PlaceOptions {
    /// The plan's own seed (`settings.seed`) when it has one.
    pub fn for_plan(plan: &Plan) -> PlaceOptions {
        PlaceOptions {
            seed: plan.settings.as_ref().and_then(|s| s.seed).unwrap_or(1),
        }
    }
}

/// Where a task comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Source {
    /// A task of a service.
    Service {
        /// The service's index in the plan's `services`.
        index: usize,
        /// The service's name.
        name: Arc<str>,
    },
    /// A task of a RunTask request.
    Run {
        /// The request's index in the plan's `tasks`.
        index: usize,
        /// Its task group (`family:NAME` unless the request names one).
        group: Arc<str>,
    },
}

/// How the task is launched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum Launch {
    /// EC2 launch type: any instance of the cluster.
    Ec2,
    /// An Auto Scaling group capacity provider: only its instances.
    Provider {
        /// The capacity provider's name.
        name: String,
    },
    /// AWS Fargate (or Fargate Spot): no instance; spread across the zones.
    Fargate {
        /// `FARGATE` or `FARGATE_SPOT`.
        provider: String,
    },
}

impl Launch {
    fn provider(&self) -> Option<&str> {
        match self {
            Launch::Provider { name } => Some(name),
            _ => None,
        }
    }
}

/// What happened to a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum Outcome {
    /// On a container instance (index into the cluster's nodes).
    Placed {
        /// Index into the cluster's nodes.
        node: InstanceIx,
    },
    /// On Fargate, in this zone.
    Fargate {
        /// The zone Fargate's spread chose.
        availability_zone: String,
    },
    /// Could not be placed: PENDING (EC2 launch type) or PROVISIONING (waiting for a capacity
    /// provider to add instances).
    Unplaced {
        /// PROVISIONING (a capacity provider may add instances) rather than PENDING.
        provisioning: bool,
    },
    /// Stopped (by a what-if: the instance went away).
    Stopped,
}

/// Everything placement needs to know about a kind of task (one per service launch target
/// or RunTask).
#[derive(Debug, Clone)]
pub struct Spec {
    pub group: u32,
    pub demand: Demand,
    pub chain: Chain,
    pub constraints: Vec<Constraint>,
    pub launch: Launch,
    /// Constraint expressions that do not parse; tasks with them cannot be placed.
    pub broken: Vec<String>,
}

impl Spec {
    /// Whether its tasks can be placed at all (stage 0 of the [`pipeline`]): not when one of
    /// its `memberOf` expressions does not parse. They then stay PENDING with the parse error
    /// rather than ignore the constraint.
    pub fn placeable(&self) -> bool {
        self.broken.is_empty()
    }
}

/// One task of the plan.
#[derive(Debug, Clone)]
pub struct Task {
    /// The service name or the RunTask group's short name; the id is `{name}-{ordinal}`.
    pub name: Arc<str>,
    /// Its number in its service or request, from 1.
    pub ordinal: u32,
    /// The service or RunTask request it belongs to.
    pub source: Source,
    /// Its task definition's family.
    pub family: Arc<str>,
    /// Its task definition's revision, as the plan numbers them.
    pub revision: u32,
    /// Index into [`Placement::specs`]: what it needs and where it may go.
    pub spec: SpecIx,
    /// Where it is.
    pub outcome: Outcome,
}

impl Task {
    /// The task's id as the planner shows it: `web-3`, `nightly-backfill-1`. Not `format!`
    /// (a tenth of a what-if's time at ECS's quotas, 16 000 tasks moved): sized once, the
    /// ordinal's digits written by hand.
    pub fn id(&self) -> String {
        let mut digits = [0u8; 10];
        let mut at = digits.len();
        let mut n = self.ordinal;
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let mut id = String::with_capacity(self.name.len() + 1 + digits.len() - at);
        id.push_str(&self.name);
        id.push('-');
        id.extend(digits[at..].iter().map(|&d| char::from(d)));
        id
    }
}

/// A task of a placement: its index in [`Placement::tasks`]. A type of its own so that a task
/// is not mistaken for an instance or a spec index ([`InstanceIx`], [`SpecIx`]), and so the list is indexed
/// without casts (`p.tasks[t]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TaskIx(pub u32);

impl TaskIx {
    /// The `n`th task (`n` a position in [`Placement::tasks`]).
    pub fn new(n: usize) -> TaskIx {
        TaskIx(n as u32)
    }

    /// Its position in [`Placement::tasks`] (and in lists kept per task).
    pub fn at(self) -> usize {
        self.0 as usize
    }

    /// The tasks `from..to`, in order.
    pub fn range(from: usize, to: usize) -> impl DoubleEndedIterator<Item = TaskIx> {
        (from..to).map(TaskIx::new)
    }
}

impl std::fmt::Display for TaskIx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::ops::Index<TaskIx> for Vec<Task> {
    type Output = Task;
    fn index(&self, t: TaskIx) -> &Task {
        &self[t.at()]
    }
}

impl std::ops::IndexMut<TaskIx> for Vec<Task> {
    fn index_mut(&mut self, t: TaskIx) -> &mut Task {
        &mut self[t.at()]
    }
}

impl std::ops::Index<TaskIx> for [Task] {
    type Output = Task;
    fn index(&self, t: TaskIx) -> &Task {
        &self[t.at()]
    }
}

impl std::ops::IndexMut<TaskIx> for [Task] {
    fn index_mut(&mut self, t: TaskIx) -> &mut Task {
        &mut self[t.at()]
    }
}

/// A spec of a placement: its index in [`Placement::specs`]. A type of its own, like
/// [`TaskIx`], so that a spec is not mistaken for a task or an instance index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SpecIx(pub u32);

impl SpecIx {
    /// The `n`th spec (`n` a position in [`Placement::specs`]).
    pub fn new(n: usize) -> SpecIx {
        SpecIx(n as u32)
    }

    /// Its position in [`Placement::specs`].
    pub fn at(self) -> usize {
        self.0 as usize
    }

    /// The first `n` specs, in order (every spec of a placement: `SpecIx::all(p.specs.len())`).
    pub fn all(n: usize) -> impl DoubleEndedIterator<Item = SpecIx> {
        (0..n).map(SpecIx::new)
    }
}

impl std::fmt::Display for SpecIx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::ops::Index<SpecIx> for Vec<Spec> {
    type Output = Spec;
    fn index(&self, s: SpecIx) -> &Spec {
        &self[s.at()]
    }
}

impl std::ops::IndexMut<SpecIx> for Vec<Spec> {
    fn index_mut(&mut self, s: SpecIx) -> &mut Spec {
        &mut self[s.at()]
    }
}

impl std::ops::Index<SpecIx> for [Spec] {
    type Output = Spec;
    fn index(&self, s: SpecIx) -> &Spec {
        &self[s.at()]
    }
}

/// A step in the life of the cluster, replayed by explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A placement decision for the task: it landed on the node, or on none.
    Place {
        task: TaskIx,
        node: Option<InstanceIx>,
    },
    /// The task left the node (stopped or displaced).
    Remove { task: TaskIx, node: InstanceIx },
}

/// The result of placing a plan: every task and where it is, and the cluster it fills.
#[derive(Debug, Clone)]
pub struct Placement {
    /// The container instances, as they are after placement (a what-if may drain some).
    pub cluster: ClusterModel,
    /// The task groups (`service:web`, `family:worker`), numbered.
    pub groups: Groups,
    /// One per kind of task (service or request, and launch target).
    pub specs: Vec<Spec>,
    /// Every task, indexed by [`TaskIx`].
    pub tasks: Vec<Task>,
    /// What each instance has in use.
    pub state: State,
    /// Every decision in order, which explanations replay.
    pub events: Vec<Event>,
    /// Problems that stop placement from being complete (unknown instance types, constraints
    /// that do not parse).
    pub findings: Vec<Finding>,
    /// The seed of the random strategy and of tie-breaks.
    pub seed: u64,
    /// Tasks placed on Fargate per (group, zone), for Fargate's zone spread.
    fargate_counts: HashMap<(u32, usize), u32>,
    /// Usage changes so far (see [`Placement::changes`]).
    changes: usize,
    /// Instance changes so far (see [`Placement::node_changes`]).
    node_changes: usize,
    /// Verdicts of `memberOf` expressions that do not depend on placed tasks, per instance, by
    /// expression text: they only change when instances do (see [`Placement::node_changed`]).
    static_verdicts: StaticVerdicts,
    /// The spec of each (service, launch target), so later tasks of a service share it.
    service_specs: HashMap<(usize, usize, usize), SpecIx>,
    /// Per task: it was running before an edit and kept its place ([`keep::place_keeping`]).
    kept: Vec<bool>,
    /// Made by [`keep::place_keeping`]: running tasks stayed where they were, so every move is
    /// one ECS makes.
    pub keeps_running: bool,
    /// Every run scans every instance instead of using the index (the reference the index
    /// is tested against).
    scan_only: bool,
    /// Specs' feasible instances and local keys kept between calls, when asked
    /// ([`Placement::keep_feasible`]).
    feasible: feasible::Feasible,
}

/// Places every task of the plan's services and RunTasks: from the tasks the plan records as
/// running when it has them (`recorded`), else afresh.
pub fn place(plan: &Plan, opts: &PlaceOptions) -> Placement {
    if starts_from_recorded(plan) {
        return recorded::place_recorded(plan, opts);
    }
    place_afresh(plan, opts)
}

/// Places every task as on an empty cluster, ignoring the tasks the plan records as running.
pub fn place_afresh(plan: &Plan, opts: &PlaceOptions) -> Placement {
    place_all(Placement::of_cluster(plan, opts), plan)
}

/// Whether [`place`] starts from recorded running tasks: the plan records some.
pub fn starts_from_recorded(plan: &Plan) -> bool {
    plan.running_tasks
        .as_ref()
        .is_some_and(|w| w.json().as_array().is_some_and(|a| !a.is_empty()))
}

/// [`place`] with every run scanning every instance, the reference of the index.
#[cfg(test)]
pub(crate) fn place_by_scan(plan: &Plan, opts: &PlaceOptions) -> Placement {
    let mut p = Placement::of_cluster(plan, opts);
    p.scan_only = true;
    place_all(p, plan)
}

fn place_all(mut p: Placement, plan: &Plan) -> Placement {
    let mut batches: Vec<(bool, Vec<TaskIx>)> = Vec::new(); // (daemon, task indices)
    for (i, svc) in plan.services.iter().enumerate() {
        let daemon = svc.scheduling_strategy == Some(SchedulingStrategy::Daemon);
        let tasks = p.add_service(plan, i);
        batches.push((daemon, tasks));
    }
    for tasks in p.add_run_tasks(plan) {
        batches.push((false, tasks));
    }
    // Daemon tasks first: ECS places them before replica tasks and reserves their resources.
    for (_, tasks) in batches.iter().filter(|(d, _)| *d) {
        p.place_daemon(tasks);
    }
    for (_, tasks) in batches.iter().filter(|(d, _)| !*d) {
        p.place_tasks(tasks);
    }
    p
}

impl Placement {
    /// The plan's cluster with no task yet, and the findings that make its placement
    /// incomplete (unknown instance types).
    pub fn of_cluster(plan: &Plan, opts: &PlaceOptions) -> Placement {
        let (catalog, mut findings) = match cluster::plan_catalog(plan) {
            Ok(c) => (c, Vec::new()),
            Err(f) => (Catalog::builtin().clone(), vec![*f]),
        };
        let (model, more) = cluster::resolve(plan, &catalog);
        findings.extend(more);
        let mut p = Placement::empty(model, opts.seed);
        p.findings = findings;
        p
    }

    /// An empty cluster, ready for tasks.
    pub fn empty(cluster: ClusterModel, seed: u64) -> Placement {
        Placement {
            state: State::new(&cluster),
            cluster,
            groups: Groups::default(),
            specs: Vec::new(),
            tasks: Vec::new(),
            events: Vec::new(),
            findings: Vec::new(),
            seed,
            fargate_counts: HashMap::new(),
            service_specs: HashMap::new(),
            changes: 0,
            node_changes: 0,
            static_verdicts: StaticVerdicts::default(),
            kept: Vec::new(),
            keeps_running: false,
            scan_only: false,
            feasible: feasible::Feasible::default(),
        }
    }

    /// The task's id (`web-3`) → index.
    pub fn task_index(&self, id: &str) -> Option<TaskIx> {
        let (name, ordinal) = id.rsplit_once('-')?;
        let ordinal: u32 = ordinal.parse().ok()?;
        self.tasks
            .iter()
            .position(|t| t.ordinal == ordinal && &*t.name == name)
            .map(TaskIx::new)
    }

    /// A task's id, `web-3`.
    pub fn task_id(&self, t: TaskIx) -> String {
        self.tasks[t].id()
    }

    /// The task's group name (`service:web`, `family:worker`).
    pub fn group_name(&self, task: TaskIx) -> &str {
        self.groups.name(self.specs[self.tasks[task].spec].group)
    }

    /// Places tasks (all of one service or RunTask) in order, each on the best instance for
    /// its spec at that moment.
    pub fn place_tasks(&mut self, tasks: &[TaskIx]) {
        let mut by_spec: Vec<(SpecIx, Vec<TaskIx>)> = Vec::new();
        for &t in tasks {
            let spec = self.tasks[t].spec;
            match by_spec.last_mut() {
                Some((s, v)) if *s == spec => v.push(t),
                _ => by_spec.push((spec, vec![t])),
            }
        }
        let mut runs = select::Runs::default();
        for (spec, run) in by_spec {
            match self.specs[spec].launch.clone() {
                Launch::Fargate { .. } => {
                    for t in run {
                        self.place_fargate(t);
                    }
                }
                _ => select::place_run(self, &mut runs, spec, &run),
            }
        }
    }

    /// Places the tasks of `batches` ((daemon, tasks) per service, then per RunTask) that were
    /// not `kept` where they ran, as a fresh placement orders them: daemon tasks first (on the
    /// instances that have none of theirs yet), then the others in plan order.
    pub(crate) fn place_rest(&mut self, batches: &[(bool, Vec<TaskIx>)], kept: &[bool]) {
        let rest = |tasks: &[TaskIx]| -> Vec<TaskIx> {
            tasks.iter().copied().filter(|t| !kept[t.at()]).collect()
        };
        for (_, tasks) in batches.iter().filter(|(d, _)| *d) {
            self.place_daemon_where_missing(&rest(tasks));
        }
        for (_, tasks) in batches.iter().filter(|(d, _)| !*d) {
            self.place_tasks(&rest(tasks));
        }
    }

    /// Keeps each spec's feasible instances and their local keys between calls to
    /// [`Placement::place_tasks`], computed again only for the instances that changed: for a
    /// caller that places a few tasks at a time (the simulator). A copy does not keep them.
    pub fn keep_feasible(&mut self) {
        self.feasible.keep();
    }

    /// The count of changes ([`Placement::changes`]) at instance `node`'s last change (a task
    /// landed on it or left it, its status or attributes changed), while feasible instances
    /// are kept ([`Placement::keep_feasible`]; `None` otherwise): an answer about the instance
    /// computed when the count was at least this still holds.
    pub fn changed_at(&self, node: InstanceIx) -> Option<usize> {
        self.feasible.stamp(node)
    }

    /// The instances that changed (a task landed on one or left it, its status or attributes
    /// changed) after the count of changes was `at`, some more than once, while feasible
    /// instances are kept ([`Placement::keep_feasible`]) and the latest changes reach back
    /// that far; `None` otherwise (then ask every instance). An answer about the other
    /// instances computed at `at` still holds.
    pub fn changed_since(&self, at: usize) -> Option<impl Iterator<Item = InstanceIx> + '_> {
        self.feasible.changed_since(at)
    }

    /// Stops keeping feasible instances between calls: the plain path tests compare with.
    #[cfg(test)]
    pub(crate) fn keep_no_feasible(&mut self) {
        self.feasible = feasible::Feasible::default();
    }

    /// How many times the cluster's usage changed (a task landed or left); callers can skip
    /// work when it has not moved.
    pub fn changes(&self) -> usize {
        self.changes
    }

    /// How many times an instance was added or changed its status or attributes (the calls
    /// of [`Placement::add_node`] and [`Placement::node_changed`]): what reads only the
    /// instances (the simulator's active zones) skips its work while it has not moved, as
    /// tasks come and go.
    pub fn node_changes(&self) -> usize {
        self.node_changes
    }

    /// Tasks on an instance, in the order they landed.
    pub fn tasks_on(&self, node: InstanceIx) -> impl Iterator<Item = &Task> {
        self.state.usage[node].tasks.iter().map(|t| &self.tasks[*t])
    }
}
