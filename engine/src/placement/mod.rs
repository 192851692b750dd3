//! Task placement, the way Amazon ECS does it, explained instance by instance.
//!
//! For each task ECS (`task-placement.md`): (1) keeps the instances with enough CPU, GPU,
//! memory, ports and ENIs, (2) keeps those that satisfy the constraints, (3) ranks them with
//! the strategies, (4) picks the best, and updates the cluster before the next task. The
//! stages live in [`filter`] and [`rank`]; [`select`] finds the best instance quickly (an
//! index per spread value, ordered by the instance-local rules) and [`explain`] re-runs the
//! same stage code for one task on every instance to say why it went where it did.
//!
//! What AWS leaves unspecified, and what the planner does (also said in the UI):
//! - the order in which services are placed: daemon services first (AWS: "placed first"),
//!   then services and RunTasks in plan order;
//! - ties after the strategy chain, and `random`: seeded draws (see [`rank`]);
//! - which of several tasks on one instance is stopped on scale-in: the newest.

pub mod demand;
pub mod diff;
pub mod explain;
pub mod filter;
pub mod keep;
pub mod providers;
pub mod rank;
pub mod rebalance;
pub mod scale_in;
mod select;
pub mod state;
pub mod whatif;

#[cfg(test)]
mod tests;

use crate::catalog::Catalog;
use crate::cluster::{self, ClusterModel, Node};
use crate::cql;
use crate::findings::Finding;
use crate::plan::{
    CapacityProviderStrategyItem, InstanceStatus, LaunchType, PlacementConstraint,
    PlacementConstraintType, Plan, SchedulingStrategy, TaskDefinition,
};
use demand::Demand;
use filter::{Constraint, Rejection};
use rank::Chain;
use serde::Serialize;
use state::{Groups, State};
use std::collections::HashMap;
use std::sync::Arc;

pub use explain::{explain, Explanation};
pub use keep::place_keeping;

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
    Service { index: usize, name: Arc<str> },
    Run { index: usize, group: Arc<str> },
}

/// How the task is launched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum Launch {
    /// EC2 launch type: any instance of the cluster.
    Ec2,
    /// An Auto Scaling group capacity provider: only its instances.
    Provider { name: String },
    /// AWS Fargate (or Fargate Spot): no instance; spread across the zones.
    Fargate { provider: String },
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
    Placed { node: usize },
    /// On Fargate, in this zone.
    Fargate { availability_zone: String },
    /// Could not be placed: PENDING (EC2 launch type) or PROVISIONING (waiting for a capacity
    /// provider to add instances).
    Unplaced { provisioning: bool },
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

/// One task of the plan.
#[derive(Debug, Clone)]
pub struct Task {
    /// The service name or the RunTask group's short name; the id is `{name}-{ordinal}`.
    pub name: Arc<str>,
    pub ordinal: u32,
    pub source: Source,
    pub family: Arc<str>,
    pub revision: u32,
    pub spec: usize,
    pub outcome: Outcome,
}

impl Task {
    /// The task's id as the planner shows it: `web-3`, `nightly-backfill-1`.
    pub fn id(&self) -> String {
        format!("{}-{}", self.name, self.ordinal)
    }
}

/// A step in the life of the cluster, replayed by explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A placement decision for the task: it landed on the node, or on none.
    Place { task: u32, node: Option<usize> },
    /// The task left the node (stopped or displaced).
    Remove { task: u32, node: usize },
}

/// The result of placing a plan: every task and where it is, and the cluster it fills.
#[derive(Debug, Clone)]
pub struct Placement {
    pub cluster: ClusterModel,
    pub groups: Groups,
    pub specs: Vec<Spec>,
    pub tasks: Vec<Task>,
    pub state: State,
    pub events: Vec<Event>,
    /// Problems that stop placement from being complete (unknown instance types, constraints
    /// that do not parse).
    pub findings: Vec<Finding>,
    pub seed: u64,
    /// Tasks placed on Fargate per (group, zone), for Fargate's zone spread.
    fargate_counts: HashMap<(u32, usize), u32>,
    /// Usage changes so far (see [`Placement::changes`]).
    changes: usize,
    /// Verdicts of `memberOf` expressions that do not depend on placed tasks, per instance, by
    /// expression text: they only change when instances do (see [`Placement::node_changed`]).
    static_verdicts: HashMap<String, Vec<bool>>,
    /// Per unplaced task: `changes` at its last attempt.
    attempts: HashMap<u32, usize>,
    /// The spec of each (service, launch target), so later tasks of a service share it.
    service_specs: HashMap<(usize, usize, usize), usize>,
    /// Instances that left the cluster while a simulation ran (indexed like the nodes; shorter
    /// when the last ones never left).
    retired: Vec<bool>,
    /// Per task: it was running before an edit and kept its place ([`keep::place_keeping`]).
    kept: Vec<bool>,
    /// Made by [`keep::place_keeping`]: running tasks stayed where they were, so every move is
    /// one ECS makes.
    pub keeps_running: bool,
}

/// Places every task of the plan's services and RunTasks.
pub fn place(plan: &Plan, opts: &PlaceOptions) -> Placement {
    let mut p = Placement::of_cluster(plan, opts);
    let mut batches: Vec<(bool, Vec<u32>)> = Vec::new(); // (daemon, task indices)
    for (i, svc) in plan.services.iter().enumerate() {
        let daemon = svc.scheduling_strategy == Some(SchedulingStrategy::Daemon);
        let tasks = p.add_service(plan, i);
        batches.push((daemon, tasks));
    }
    for (i, _) in plan.tasks.iter().enumerate() {
        let tasks = p.add_run_task(plan, i);
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
            attempts: HashMap::new(),
            static_verdicts: HashMap::new(),
            retired: Vec::new(),
            kept: Vec::new(),
            keeps_running: false,
        }
    }

    /// Registers a container instance while a simulation runs (an Auto Scaling group launched
    /// it) and returns its index. Its zone joins the cluster's zones when new. Placement
    /// indexes are rebuilt per run, so the next placement sees it.
    pub fn add_node(&mut self, mut node: Node) -> usize {
        node.az = match self
            .cluster
            .azs
            .iter()
            .position(|a| *a == node.availability_zone)
        {
            Some(i) => i,
            None => {
                self.cluster.azs.push(node.availability_zone.clone());
                self.cluster.azs.len() - 1
            }
        };
        let one = ClusterModel {
            azs: Vec::new(),
            nodes: vec![node.clone()],
        };
        self.state
            .usage
            .extend(State::new(&one).usage.into_iter().take(1));
        self.cluster.nodes.push(node);
        self.changes += 1;
        self.cluster.nodes.len() - 1
    }

    /// Sets an instance DRAINING: it takes no new tasks; what runs on it keeps running.
    pub fn drain_node(&mut self, node: usize) {
        self.cluster.nodes[node].status = InstanceStatus::Draining;
        self.node_changed();
    }

    /// Call after changing an instance's status or attributes: cached verdicts are dropped.
    pub fn node_changed(&mut self) {
        self.changes += 1;
        self.static_verdicts.clear();
    }

    /// Whether every static `memberOf` constraint of `spec` holds on `node`, from a cache
    /// filled with the same evaluation [`filter::constraints`] does.
    pub(crate) fn static_constraints_hold(&mut self, spec: usize, node: usize) -> bool {
        let n = self.cluster.nodes.len();
        for c in &self.specs[spec].constraints {
            let filter::Constraint::MemberOf { source, expr } = c else {
                continue;
            };
            if expr.depends_on_placed_tasks() {
                continue;
            }
            let verdicts = self.static_verdicts.entry(source.clone()).or_default();
            if verdicts.len() < n {
                let start = verdicts.len();
                for i in start..n {
                    let facts = filter::Facts {
                        node: &self.cluster.nodes[i],
                        usage: &self.state.usage[i],
                        groups: &self.groups,
                    };
                    verdicts.push(expr.eval(&facts));
                }
            }
            if !verdicts[node] {
                return false;
            }
        }
        true
    }

    /// Deregisters an instance that was terminated: it takes no tasks and explanations no
    /// longer list it. Tasks still on it are stopped (returned in the order they landed).
    pub fn retire_node(&mut self, node: usize) -> Vec<u32> {
        let on = self.state.usage[node].tasks.clone();
        for &t in &on {
            self.stop(t);
        }
        let n = &mut self.cluster.nodes[node];
        n.status = InstanceStatus::Draining;
        n.agent_connected = false;
        if self.retired.len() <= node {
            self.retired.resize(node + 1, false);
        }
        self.retired[node] = true;
        self.node_changed();
        on
    }

    /// Whether the instance left the cluster during a simulation.
    pub fn is_retired(&self, node: usize) -> bool {
        self.retired.get(node).copied().unwrap_or(false)
    }

    /// The task's id (`web-3`) → index.
    pub fn task_index(&self, id: &str) -> Option<usize> {
        let (name, ordinal) = id.rsplit_once('-')?;
        let ordinal: u32 = ordinal.parse().ok()?;
        self.tasks
            .iter()
            .position(|t| t.ordinal == ordinal && &*t.name == name)
    }

    /// A task's id, `web-3`.
    pub fn task_id(&self, t: usize) -> String {
        self.tasks[t].id()
    }

    /// The task's group name (`service:web`, `family:worker`).
    pub fn group_name(&self, task: usize) -> &str {
        self.groups.name(self.specs[self.tasks[task].spec].group)
    }

    /// Adds the tasks of service `i` (not yet placed) and returns their indices.
    pub fn add_service(&mut self, plan: &Plan, i: usize) -> Vec<u32> {
        let desired = plan.services[i].desired_count.unwrap_or(0);
        self.add_service_tasks(plan, i, 0, desired)
    }

    /// Adds tasks `from+1 ..= to` of service `i` (numbered like ECS's desired count grows:
    /// `web-5` after `web-4`), split over its launch targets as if the service had `to` tasks.
    pub fn add_service_tasks(&mut self, plan: &Plan, i: usize, from: u32, to: u32) -> Vec<u32> {
        self.add_service_tasks_of(plan, i, None, from, to)
    }

    /// [`Placement::add_service_tasks`] with another task definition than the service's
    /// (`family:revision`): the tasks of a new deployment.
    pub fn add_service_tasks_of(
        &mut self,
        plan: &Plan,
        i: usize,
        task_definition: Option<&str>,
        from: u32,
        to: u32,
    ) -> Vec<u32> {
        self.add_service_tasks_among(plan, i, task_definition, from, to, None)
    }

    /// [`Placement::add_service_tasks_of`] for tasks that join the service's `active` tasks
    /// (indices into [`Placement::tasks`]): each new task goes to the launch target the
    /// capacity provider strategy gives the next task, counting the tasks already on each
    /// (`cluster-capacity-providers.md`: the base first, then the weights), so tasks that
    /// replace stopped ones keep the strategy's mix.
    pub fn add_service_tasks_joining(
        &mut self,
        plan: &Plan,
        i: usize,
        task_definition: Option<&str>,
        from: u32,
        to: u32,
        active: &[u32],
    ) -> Vec<u32> {
        self.add_service_tasks_among(plan, i, task_definition, from, to, Some(active))
    }

    /// Of a service's running tasks (indices into [`Placement::tasks`]), those on the launch
    /// target that scale-in takes from: the one with the most tasks beyond what the strategy
    /// gives a service of one task fewer (ties to the target listed last), so the tasks left
    /// keep the strategy's mix. [INFER] AWS does not document scale-in across providers.
    pub fn scale_in_candidates(&self, plan: &Plan, i: usize, tasks: &[u32]) -> Vec<u32> {
        let svc = &plan.services[i];
        let launches = launches(plan, svc.launch_type, &svc.capacity_provider_strategy);
        if launches.len() < 2 {
            return tasks.to_vec();
        }
        let target = |t: u32| {
            let l = &self.specs[self.tasks[t as usize].spec].launch;
            launches.iter().position(|(x, _)| x == l)
        };
        let mut counts = vec![0u32; launches.len()];
        for &t in tasks {
            if let Some(k) = target(t) {
                counts[k] += 1;
            }
        }
        let items: Vec<CapacityProviderStrategyItem> =
            launches.iter().map(|(_, s)| s.clone()).collect();
        let total: u32 = counts.iter().sum();
        let keep = providers::split(&items, total.saturating_sub(1));
        let Some(k) = (0..launches.len())
            .filter(|k| counts[*k] > 0)
            .max_by_key(|k| (counts[*k] as i64 - keep[*k] as i64, *k))
        else {
            return tasks.to_vec();
        };
        tasks
            .iter()
            .copied()
            .filter(|t| target(*t) == Some(k))
            .collect()
    }

    fn add_service_tasks_among(
        &mut self,
        plan: &Plan,
        i: usize,
        task_definition: Option<&str>,
        from: u32,
        to: u32,
        active: Option<&[u32]>,
    ) -> Vec<u32> {
        let svc = &plan.services[i];
        let group = self.groups.id(&format!("service:{}", svc.service_name));
        let Some((td_index, revision)) = task_definition
            .or(svc.task_definition.as_deref())
            .and_then(|r| plan.resolve_task_definition(r))
        else {
            return Vec::new();
        };
        let td = &plan.task_definitions[td_index];
        let name: Arc<str> = Arc::from(svc.service_name.as_str());
        let family: Arc<str> = Arc::from(td.family.as_str());
        let source = Source::Service {
            index: i,
            name: name.clone(),
        };
        let chain = if svc.placement_strategy.is_empty() {
            Chain::service_default()
        } else {
            Chain::given(&svc.placement_strategy)
        };
        let daemon = svc.scheduling_strategy == Some(SchedulingStrategy::Daemon);
        let launches = launches(plan, svc.launch_type, &svc.capacity_provider_strategy);
        let count = to;
        let constraints = self.constraints(td, &svc.placement_constraints);
        let count = if daemon {
            // One task per matching instance, counted before anything is placed.
            let spec = self.add_spec(td, group, &chain, &constraints, launches[0].0.clone());
            let n = (0..self.cluster.nodes.len())
                .filter(|n| self.daemon_target(spec, *n))
                .count() as u32;
            self.specs.pop();
            n
        } else {
            count
        };
        let assigned = match active {
            Some(active) if !daemon && launches.len() > 1 => {
                let items: Vec<CapacityProviderStrategyItem> =
                    launches.iter().map(|(_, s)| s.clone()).collect();
                let mut counts = vec![0u32; launches.len()];
                for &t in active {
                    let l = &self.specs[self.tasks[t as usize].spec].launch;
                    if let Some(k) = launches.iter().position(|(x, _)| x == l) {
                        counts[k] += 1;
                    }
                }
                let mut v = vec![0; from.min(count) as usize];
                for _ in from..count {
                    let k = providers::next_provider(&items, &counts).unwrap_or(0);
                    counts[k] += 1;
                    v.push(k);
                }
                v
            }
            _ => assign(&launches, count, daemon),
        };
        let mut out = Vec::with_capacity(count.saturating_sub(from) as usize);
        self.tasks.reserve(count.saturating_sub(from) as usize);
        // One spec per launch target, looked up once.
        let mut spec_for: Vec<Option<usize>> = vec![None; launches.len()];
        for (n, launch_i) in assigned.into_iter().enumerate().skip(from as usize) {
            let known = spec_for[launch_i]
                .or_else(|| self.service_specs.get(&(i, launch_i, td_index)).copied());
            let spec = match known {
                Some(s) => s,
                None => {
                    let s = self.add_spec(
                        td,
                        group,
                        &chain,
                        &constraints,
                        launches[launch_i].0.clone(),
                    );
                    self.service_specs.insert((i, launch_i, td_index), s);
                    s
                }
            };
            spec_for[launch_i] = Some(spec);
            out.push(self.tasks.len() as u32);
            self.tasks.push(Task {
                name: name.clone(),
                ordinal: n as u32 + 1,
                source: source.clone(),
                family: family.clone(),
                revision,
                spec,
                outcome: Outcome::Unplaced {
                    provisioning: false,
                },
            });
        }
        out
    }

    /// Adds the tasks of RunTask `i` and returns their indices.
    pub fn add_run_task(&mut self, plan: &Plan, i: usize) -> Vec<u32> {
        let run = &plan.tasks[i];
        let Some((td_index, revision)) = plan.resolve_task_definition(&run.task_definition) else {
            return Vec::new();
        };
        let td = &plan.task_definitions[td_index];
        let group_name = run
            .group
            .clone()
            .unwrap_or_else(|| format!("family:{}", td.family));
        let group = self.groups.id(&group_name);
        let chain = if run.placement_strategy.is_empty() {
            Chain::run_task_default()
        } else {
            Chain::given(&run.placement_strategy)
        };
        let launches = launches(plan, run.launch_type, &run.capacity_provider_strategy);
        let count = run.count.unwrap_or(1);
        let constraints = self.constraints(td, &run.placement_constraints);
        let short = group_name
            .strip_prefix("family:")
            .unwrap_or(&group_name)
            .to_string();
        let prefix: Arc<str> = if self.tasks.iter().any(|t| *t.name == *short) {
            Arc::from(format!("{short}-run{}", i + 1))
        } else {
            Arc::from(short)
        };
        let group_arc: Arc<str> = Arc::from(group_name.as_str());
        let family: Arc<str> = Arc::from(td.family.as_str());
        let mut spec_of: HashMap<usize, usize> = HashMap::new();
        let mut out = Vec::new();
        for (n, launch_i) in assign(&launches, count, false).into_iter().enumerate() {
            let spec = *spec_of.entry(launch_i).or_insert_with(|| {
                self.add_spec(
                    td,
                    group,
                    &chain,
                    &constraints,
                    launches[launch_i].0.clone(),
                )
            });
            out.push(self.tasks.len() as u32);
            self.tasks.push(Task {
                name: prefix.clone(),
                ordinal: n as u32 + 1,
                source: Source::Run {
                    index: i,
                    group: group_arc.clone(),
                },
                family: family.clone(),
                revision,
                spec,
                outcome: Outcome::Unplaced {
                    provisioning: false,
                },
            });
        }
        out
    }

    fn add_spec(
        &mut self,
        td: &TaskDefinition,
        group: u32,
        chain: &Chain,
        constraints: &(Vec<Constraint>, Vec<String>),
        launch: Launch,
    ) -> usize {
        let fargate = matches!(launch, Launch::Fargate { .. });
        self.specs.push(Spec {
            group,
            demand: Demand::of(td, fargate),
            chain: if fargate {
                Chain {
                    rules: Vec::new(),
                    origin: chain.origin,
                }
            } else {
                chain.clone()
            },
            constraints: if fargate {
                Vec::new()
            } else {
                constraints.0.clone()
            },
            launch,
            broken: if fargate {
                Vec::new()
            } else {
                constraints.1.clone()
            },
        });
        self.specs.len() - 1
    }

    /// The task definition's constraints followed by the request's; expressions that do not
    /// parse are kept aside (and reported) so their tasks stay unplaced rather than ignore them.
    fn constraints(
        &mut self,
        td: &TaskDefinition,
        request: &[PlacementConstraint],
    ) -> (Vec<Constraint>, Vec<String>) {
        let mut out = Vec::new();
        let mut broken = Vec::new();
        let all = td
            .placement_constraints
            .iter()
            .map(|c| (c, true))
            .chain(request.iter().map(|c| (c, false)));
        for (n, (c, from_td)) in all.enumerate() {
            match c.kind {
                PlacementConstraintType::DistinctInstance => out.push(Constraint::DistinctInstance),
                PlacementConstraintType::MemberOf => {
                    let src = c.expression.clone().unwrap_or_default();
                    match cql::parse(&src) {
                        Ok(expr) => out.push(Constraint::MemberOf { source: src, expr }),
                        Err(e) => {
                            // The loader's rules report the finding (`cql-syntax`); here the
                            // task just cannot be placed, and says why.
                            let where_ = if from_td {
                                "the task definition's"
                            } else {
                                "the request's"
                            };
                            let msg = format!(
                                "{where_} memberOf expression #{} does not parse: {e}",
                                n + 1
                            );
                            broken.push(msg);
                        }
                    }
                }
            }
        }
        (out, broken)
    }

    /// The spec of service `i`'s tasks on its first launch target with task definition
    /// `td_index` (created on first use), e.g. for a daemon service's next task.
    pub fn service_spec(&mut self, plan: &Plan, i: usize, td_index: usize) -> usize {
        if let Some(s) = self.service_specs.get(&(i, 0, td_index)) {
            return *s;
        }
        let svc = &plan.services[i];
        let group = self.groups.id(&format!("service:{}", svc.service_name));
        let td = &plan.task_definitions[td_index];
        let chain = if svc.placement_strategy.is_empty() {
            Chain::service_default()
        } else {
            Chain::given(&svc.placement_strategy)
        };
        let launch = launches(plan, svc.launch_type, &svc.capacity_provider_strategy)[0]
            .0
            .clone();
        let constraints = self.constraints(td, &svc.placement_constraints);
        let spec = self.add_spec(td, group, &chain, &constraints, launch);
        self.service_specs.insert((i, 0, td_index), spec);
        spec
    }

    /// Adds one task of daemon service `i` with the given number (`log-7`), not yet placed.
    pub fn add_daemon_task(
        &mut self,
        plan: &Plan,
        i: usize,
        task_definition: &str,
        ordinal: u32,
    ) -> Option<u32> {
        let (td_index, revision) = plan.resolve_task_definition(task_definition)?;
        let spec = self.service_spec(plan, i, td_index);
        let name: Arc<str> = Arc::from(plan.services[i].service_name.as_str());
        self.tasks.push(Task {
            name: name.clone(),
            ordinal,
            source: Source::Service { index: i, name },
            family: Arc::from(plan.task_definitions[td_index].family.as_str()),
            revision,
            spec,
            outcome: Outcome::Unplaced {
                provisioning: false,
            },
        });
        Some(self.tasks.len() as u32 - 1)
    }

    /// Places task `t` on instance `node` if it passes every filter there (a daemon task goes
    /// to its own instance or nowhere), and records the decision either way.
    pub fn place_on(&mut self, t: u32, node: usize) -> bool {
        let ok = !self.is_retired(node) && self.rejection(t as usize, node).is_none();
        self.record(t, ok.then_some(node));
        ok
    }

    /// Whether a daemon task of `spec` belongs on instance `node`: eligible and satisfying the
    /// constraints (`ecs_services.md`, "Daemon").
    pub fn daemon_target(&self, spec: usize, node: usize) -> bool {
        if self.is_retired(node) {
            return false;
        }
        let s = &self.specs[spec];
        let n = &self.cluster.nodes[node];
        let names = |t: u32| self.tasks[t as usize].id();
        let group_of = |t: u32| self.specs[self.tasks[t as usize].spec].group;
        s.broken.is_empty()
            && filter::eligibility(n, s.launch.provider()).is_ok()
            && filter::constraints(
                n,
                &self.state.usage[node],
                s.group,
                &s.constraints,
                &self.groups,
                &names,
                &group_of,
            )
            .is_ok()
    }

    /// Places daemon tasks: one per matching instance, on that instance.
    fn place_daemon(&mut self, tasks: &[u32]) {
        let Some(&first) = tasks.first() else { return };
        let spec = self.tasks[first as usize].spec;
        let targets: Vec<usize> = (0..self.cluster.nodes.len())
            .filter(|n| self.daemon_target(spec, *n))
            .collect();
        for (&t, node) in tasks.iter().zip(targets) {
            let names = |x: u32| self.tasks[x as usize].id();
            let fits = filter::resources(
                &self.cluster.nodes[node],
                &self.state.usage[node],
                &self.specs[spec].demand,
                &names,
            )
            .is_ok();
            self.record(t, fits.then_some(node));
        }
    }

    /// Places tasks (all of one service or RunTask) in order, each on the best instance for
    /// its spec at that moment.
    pub fn place_tasks(&mut self, tasks: &[u32]) {
        let mut by_spec: Vec<(usize, Vec<u32>)> = Vec::new();
        for &t in tasks {
            let spec = self.tasks[t as usize].spec;
            match by_spec.last_mut() {
                Some((s, v)) if *s == spec => v.push(t),
                _ => by_spec.push((spec, vec![t])),
            }
        }
        for (spec, run) in by_spec {
            match self.specs[spec].launch.clone() {
                Launch::Fargate { .. } => {
                    for t in run {
                        self.place_fargate(t);
                    }
                }
                _ => select::place_run(self, spec, &run),
            }
        }
    }

    /// Fargate: the zone with the fewest of the group's Fargate tasks, in the cluster's zone
    /// order on ties (ECS balances Fargate tasks across the service's zones).
    fn place_fargate(&mut self, t: u32) {
        let group = self.specs[self.tasks[t as usize].spec].group;
        let azs = self.cluster.azs.len();
        let az = (0..azs).min_by_key(|a| {
            (
                self.fargate_counts.get(&(group, *a)).copied().unwrap_or(0),
                *a,
            )
        });
        let outcome = match az {
            Some(a) => {
                *self.fargate_counts.entry((group, a)).or_default() += 1;
                Outcome::Fargate {
                    availability_zone: self.cluster.azs[a].clone(),
                }
            }
            None => Outcome::Fargate {
                availability_zone: String::new(),
            },
        };
        self.tasks[t as usize].outcome = outcome;
        self.events.push(Event::Place {
            task: t,
            node: None,
        });
    }

    /// Records a placement decision and updates the cluster.
    ///
    /// A task that fails again on a cluster that has not changed since its last attempt adds no
    /// event (its explanation would be the same), so tasks waiting for capacity in a long
    /// simulation do not grow the event list.
    pub(crate) fn record(&mut self, t: u32, node: Option<usize>) {
        let spec = self.tasks[t as usize].spec;
        match node {
            Some(n) => {
                let s = &self.specs[spec];
                self.state.add(n, t, s.group, &s.demand);
                self.tasks[t as usize].outcome = Outcome::Placed { node: n };
                self.changes += 1;
            }
            None => {
                let again = matches!(self.tasks[t as usize].outcome, Outcome::Unplaced { .. })
                    && self.attempts.get(&t) == Some(&self.changes);
                let provisioning = matches!(self.specs[spec].launch, Launch::Provider { .. });
                self.tasks[t as usize].outcome = Outcome::Unplaced { provisioning };
                self.attempts.insert(t, self.changes);
                if again {
                    return;
                }
            }
        }
        self.events.push(Event::Place { task: t, node });
    }

    /// How many times the cluster's usage changed (a task landed or left); callers can skip
    /// work when it has not moved.
    pub fn changes(&self) -> usize {
        self.changes
    }

    /// Removes a placed task from its instance (it stopped).
    pub fn stop(&mut self, t: u32) {
        if let Outcome::Placed { node } = self.tasks[t as usize].outcome {
            let s = &self.specs[self.tasks[t as usize].spec];
            self.state.remove(node, t, s.group, &s.demand);
            self.events.push(Event::Remove { task: t, node });
            self.changes += 1;
        }
        self.tasks[t as usize].outcome = Outcome::Stopped;
    }

    /// Why a task cannot go on an instance right now, or `None` if it can.
    pub fn rejection(&self, t: usize, node: usize) -> Option<Rejection> {
        self.rejection_in(&self.state, t, node)
    }

    pub(crate) fn rejection_in(&self, state: &State, t: usize, node: usize) -> Option<Rejection> {
        let s = &self.specs[self.tasks[t].spec];
        let n = &self.cluster.nodes[node];
        let u = &state.usage[node];
        let names = |x: u32| self.tasks[x as usize].id();
        let group_of = |x: u32| self.specs[self.tasks[x as usize].spec].group;
        filter::eligibility(n, s.launch.provider())
            .and_then(|_| filter::resources(n, u, &s.demand, &names))
            .and_then(|_| {
                filter::constraints(
                    n,
                    u,
                    s.group,
                    &s.constraints,
                    &self.groups,
                    &names,
                    &group_of,
                )
            })
            .err()
    }

    /// Why a task could not be placed, summarised by reason: "RESOURCE:MEMORY on 3 instances
    /// (i-1: memory: needs 8192 MiB, 7985 MiB free; ...)". Computed against the cluster as it
    /// was when the task was tried.
    pub fn unplaced_reasons(&self, t: usize) -> Vec<String> {
        let spec = &self.specs[self.tasks[t].spec];
        if !spec.broken.is_empty() {
            return spec.broken.clone();
        }
        if (0..self.cluster.nodes.len()).all(|i| self.is_retired(i)) {
            return vec!["the cluster has no container instances".to_string()];
        }
        let state = explain::state_before(self, t);
        let mut by_code: Vec<(String, Vec<String>)> = Vec::new();
        for (i, n) in self.cluster.nodes.iter().enumerate() {
            if self.is_retired(i) {
                continue;
            }
            if let Some(r) = self.rejection_in(&state, t, i) {
                let code = format!("{} ({})", r.ecs_code(), r.stage());
                let line = format!("{}: {r}", n.id);
                match by_code.iter_mut().find(|(c, _)| *c == code) {
                    Some((_, v)) => v.push(line),
                    None => by_code.push((code, vec![line])),
                }
            }
        }
        by_code
            .into_iter()
            .map(|(code, lines)| {
                let n = lines.len();
                let shown: Vec<String> = lines.into_iter().take(3).collect();
                let more = if n > 3 {
                    format!("; and {} more", n - 3)
                } else {
                    String::new()
                };
                format!(
                    "{code} on {n} instance{}: {}{more}",
                    if n == 1 { "" } else { "s" },
                    shown.join("; ")
                )
            })
            .collect()
    }

    /// Tasks on an instance, in the order they landed.
    pub fn tasks_on(&self, node: usize) -> impl Iterator<Item = &Task> {
        self.state.usage[node]
            .tasks
            .iter()
            .map(|t| &self.tasks[*t as usize])
    }
}

/// The launch targets of a request: its launch type, or its capacity provider strategy, or
/// the cluster's default strategy, or (with none of these) the EC2 launch type
/// (`cluster-capacity-providers.md`).
fn launches(
    plan: &Plan,
    launch_type: Option<LaunchType>,
    strategy: &[CapacityProviderStrategyItem],
) -> Vec<(Launch, CapacityProviderStrategyItem)> {
    let item = |name: &str| CapacityProviderStrategyItem {
        capacity_provider: name.to_string(),
        weight: Some(1),
        base: None,
    };
    if let Some(lt) = launch_type {
        let l = match lt {
            LaunchType::Fargate => Launch::Fargate {
                provider: "FARGATE".into(),
            },
            _ => Launch::Ec2,
        };
        return vec![(l, item("EC2"))];
    }
    let strategy = if strategy.is_empty() {
        &plan.cluster.default_capacity_provider_strategy[..]
    } else {
        strategy
    };
    if strategy.is_empty() {
        return vec![(Launch::Ec2, item("EC2"))];
    }
    strategy
        .iter()
        .map(|s| {
            let l = if crate::plan::FARGATE_PROVIDERS.contains(&s.capacity_provider.as_str()) {
                Launch::Fargate {
                    provider: s.capacity_provider.clone(),
                }
            } else {
                Launch::Provider {
                    name: s.capacity_provider.clone(),
                }
            };
            (l, s.clone())
        })
        .collect()
}

/// Which launch target each of `n` tasks goes to. Daemon services ignore strategies' weights
/// and run on the first target.
fn assign(launches: &[(Launch, CapacityProviderStrategyItem)], n: u32, daemon: bool) -> Vec<usize> {
    if daemon || launches.len() == 1 {
        return vec![0; n as usize];
    }
    let items: Vec<CapacityProviderStrategyItem> =
        launches.iter().map(|(_, s)| s.clone()).collect();
    let mut counts = vec![0u32; items.len()];
    let mut out = Vec::with_capacity(n as usize);
    for _ in 0..n {
        match providers::next_provider(&items, &counts) {
            Some(i) => {
                counts[i] += 1;
                out.push(i);
            }
            None => out.push(0),
        }
    }
    out
}
