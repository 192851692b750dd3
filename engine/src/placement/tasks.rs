//! The plan's tasks, as placement sees them: each service's and RunTask's tasks (numbered
//! `web-1`, `web-2`, …), split over their launch targets (a launch type, or a capacity provider
//! strategy's providers with `base` and `weight`, `cluster-capacity-providers.md`), and one
//! [`Spec`] per (request, launch target): what a task needs ([`Demand`]), its group, its
//! strategy chain and its constraints (the task definition's then the request's,
//! `task_definition_parameters.md` "Task placement constraints"). Fargate tasks get no chain
//! and no constraints: AWS applies neither to them (`task-placement.md`).

use super::demand::Demand;
use super::filter::Constraint;
use super::providers;
use super::strategy::Chain;
use super::{Launch, Outcome, Placement, Source, Spec, SpecIx, Task, TaskIx};
use crate::cql;
use crate::plan::{
    CapacityProviderStrategyItem, LaunchType, PlacementConstraint, PlacementConstraintType, Plan,
    RunTask, SchedulingStrategy, Service, TaskDefinition,
};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

impl Placement {
    /// Adds the tasks of service `i` (not yet placed) and returns their indices.
    pub fn add_service(&mut self, plan: &Plan, i: usize) -> Vec<TaskIx> {
        let desired = plan.services[i].desired_count.unwrap_or(0);
        self.add_service_tasks(plan, i, 0, desired)
    }

    /// Adds tasks `from+1 ..= to` of service `i` (numbered like ECS's desired count grows:
    /// `web-5` after `web-4`), split over its launch targets as if the service had `to` tasks.
    pub fn add_service_tasks(&mut self, plan: &Plan, i: usize, from: u32, to: u32) -> Vec<TaskIx> {
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
    ) -> Vec<TaskIx> {
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
        active: &[TaskIx],
    ) -> Vec<TaskIx> {
        self.add_service_tasks_among(plan, i, task_definition, from, to, Some(active))
    }

    /// Of a service's running tasks (indices into [`Placement::tasks`]), those on the launch
    /// target that scale-in takes from: the one with the most tasks beyond what the strategy
    /// gives a service of one task fewer (ties to the target listed last), so the tasks left
    /// keep the strategy's mix. \[INFER\] AWS does not document scale-in across providers.
    pub fn scale_in_candidates(&self, plan: &Plan, i: usize, tasks: &[TaskIx]) -> Vec<TaskIx> {
        let targets = self.scale_in_targets(plan, i);
        if targets.len() < 2 {
            return tasks.to_vec();
        }
        let mut counts = vec![0u32; targets.len()];
        for &t in tasks {
            if let Some(k) = targets.target_of(self, t) {
                counts[k] += 1;
            }
        }
        let total: u32 = counts.iter().sum();
        let keep = providers::split(&targets.items, total.saturating_sub(1));
        let Some(k) = ScaleInTargets::choose(&counts, &keep) else {
            return tasks.to_vec();
        };
        tasks
            .iter()
            .copied()
            .filter(|t| targets.target_of(self, *t) == Some(k))
            .collect()
    }

    /// Service `i`'s launch targets, as [`Placement::scale_in_candidates`] reads them.
    pub fn scale_in_targets(&self, plan: &Plan, i: usize) -> ScaleInTargets {
        let svc = &plan.services[i];
        let (launches, items) = launches(plan, svc.launch_type, &svc.capacity_provider_strategy)
            .into_iter()
            .unzip();
        ScaleInTargets { launches, items }
    }

    fn add_service_tasks_among(
        &mut self,
        plan: &Plan,
        i: usize,
        task_definition: Option<&str>,
        from: u32,
        to: u32,
        active: Option<&[TaskIx]>,
    ) -> Vec<TaskIx> {
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
        let chain = service_chain(svc);
        let daemon = svc.scheduling_strategy == Some(SchedulingStrategy::Daemon);
        let launches = launches(plan, svc.launch_type, &svc.capacity_provider_strategy);
        let constraints = self.constraints(td, &svc.placement_constraints);
        let count = if daemon {
            // One task per matching instance, counted before anything is placed.
            let spec = self.add_spec(td, group, &chain, &constraints, launches[0].0.clone());
            let n = self
                .cluster
                .instances()
                .filter(|n| self.daemon_target(spec, *n))
                .count() as u32;
            self.specs.pop();
            n
        } else {
            to
        };
        let assigned = match active {
            Some(active) if !daemon && launches.len() > 1 => {
                self.assign_joining(&launches, active, from, count)
            }
            _ => assign(&launches, count, daemon),
        };
        let mut out = Vec::with_capacity(count.saturating_sub(from) as usize);
        self.tasks.reserve(count.saturating_sub(from) as usize);
        // One spec per launch target, looked up once.
        let mut spec_for: Vec<Option<SpecIx>> = vec![None; launches.len()];
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
            out.push(TaskIx::new(self.tasks.len()));
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

    /// The launch target (index into `launches`) of tasks `from+1 ..= count` of a service
    /// whose `active` tasks already run: each goes where the capacity provider strategy sends
    /// the next task, counting the tasks already on each target (tasks up to `from` get 0).
    fn assign_joining(
        &self,
        launches: &[(Launch, CapacityProviderStrategyItem)],
        active: &[TaskIx],
        from: u32,
        count: u32,
    ) -> Vec<usize> {
        let items: Vec<CapacityProviderStrategyItem> =
            launches.iter().map(|(_, s)| s.clone()).collect();
        let mut counts = vec![0u32; launches.len()];
        for &t in active {
            let l = &self.specs[self.tasks[t].spec].launch;
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

    /// Adds the tasks of every RunTask of the plan, in order, and returns each one's indices.
    /// A RunTask's tasks are named after its group without `family:`; when a service or an
    /// earlier RunTask already has that name, `-run{n}` (its position from 1) is added. The
    /// names in use are gathered once, not by a scan of every task per RunTask (which made a
    /// plan with many RunTasks quadratic).
    pub fn add_run_tasks(&mut self, plan: &Plan) -> Vec<Vec<TaskIx>> {
        if plan.tasks.is_empty() {
            return Vec::new();
        }
        let mut used: HashSet<Arc<str>> = self.tasks.iter().map(|t| t.name.clone()).collect();
        (0..plan.tasks.len())
            .map(|i| {
                let short = run_prefix(plan, &plan.tasks[i]);
                let prefix = if used.contains(short.as_str()) {
                    format!("{short}-run{}", i + 1)
                } else {
                    short
                };
                let tasks = self.add_run_request(plan, &plan.tasks[i], i, &prefix, 0);
                if let Some(&t) = tasks.first() {
                    used.insert(self.tasks[t].name.clone());
                }
                tasks
            })
            .collect()
    }

    /// Adds the tasks of a RunTask request made during a simulation (`index` names it in the
    /// tasks' [`Source::Run`]), numbered from `from + 1` under `prefix`, and returns their
    /// indices.
    pub fn add_run_request(
        &mut self,
        plan: &Plan,
        run: &RunTask,
        index: usize,
        prefix: &str,
        from: u32,
    ) -> Vec<TaskIx> {
        let i = index;
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
        let prefix: Arc<str> = Arc::from(prefix);
        let group_arc: Arc<str> = Arc::from(group_name.as_str());
        let family: Arc<str> = Arc::from(td.family.as_str());
        let mut spec_of: HashMap<usize, SpecIx> = HashMap::new();
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
            out.push(TaskIx::new(self.tasks.len()));
            self.tasks.push(Task {
                name: prefix.clone(),
                ordinal: from + n as u32 + 1,
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
    ) -> SpecIx {
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
        SpecIx::new(self.specs.len() - 1)
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
    pub fn service_spec(&mut self, plan: &Plan, i: usize, td_index: usize) -> SpecIx {
        self.service_spec_on(plan, i, td_index, 0)
    }

    /// The spec of service `i`'s tasks on launch target `launch_i` (an index into
    /// [`service_launches`]) with task definition `td_index`, created on first use.
    pub(super) fn service_spec_on(
        &mut self,
        plan: &Plan,
        i: usize,
        td_index: usize,
        launch_i: usize,
    ) -> SpecIx {
        if let Some(s) = self.service_specs.get(&(i, launch_i, td_index)) {
            return *s;
        }
        let svc = &plan.services[i];
        let group = self.groups.id(&format!("service:{}", svc.service_name));
        let td = &plan.task_definitions[td_index];
        let chain = service_chain(svc);
        let launch = service_launches(plan, i)
            .into_iter()
            .nth(launch_i)
            .unwrap_or(Launch::Ec2);
        let constraints = self.constraints(td, &svc.placement_constraints);
        let spec = self.add_spec(td, group, &chain, &constraints, launch);
        self.service_specs.insert((i, launch_i, td_index), spec);
        spec
    }

    /// Adds one task of daemon service `i` with the given number (`log-7`), not yet placed.
    pub fn add_daemon_task(
        &mut self,
        plan: &Plan,
        i: usize,
        task_definition: &str,
        ordinal: u32,
    ) -> Option<TaskIx> {
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
        Some(TaskIx::new(self.tasks.len() - 1))
    }
}

/// Service `i`'s launch targets, in its strategy's order (see [`launches`]).
pub(super) fn service_launches(plan: &Plan, i: usize) -> Vec<Launch> {
    let svc = &plan.services[i];
    launches(plan, svc.launch_type, &svc.capacity_provider_strategy)
        .into_iter()
        .map(|(l, _)| l)
        .collect()
}

/// A service's strategy chain: its `placementStrategy`, or without one the service default
/// (`ecs_services.md`: spread across zones, then instances).
fn service_chain(svc: &Service) -> Chain {
    if svc.placement_strategy.is_empty() {
        Chain::service_default()
    } else {
        Chain::given(&svc.placement_strategy)
    }
}

/// The launch targets of a request: its launch type, or its capacity provider strategy, or
/// the cluster's default strategy, or (with none of these) the EC2 launch type
/// (`cluster-capacity-providers.md`).
/// A service's launch targets for scale-in ([`Placement::scale_in_candidates`]), for callers
/// that stop many tasks in a row and keep the counts themselves.
#[derive(Debug, Clone)]
pub struct ScaleInTargets {
    launches: Vec<Launch>,
    /// The strategy's items, one per launch target.
    pub items: Vec<CapacityProviderStrategyItem>,
}

impl ScaleInTargets {
    pub fn len(&self) -> usize {
        self.launches.len()
    }

    pub fn is_empty(&self) -> bool {
        self.launches.is_empty()
    }

    /// The target of task `t` (an index into [`Placement::tasks`]), if it is one of them.
    pub fn target_of(&self, p: &Placement, t: TaskIx) -> Option<usize> {
        let l = &p.specs[p.tasks[t].spec].launch;
        self.launches.iter().position(|x| x == l)
    }

    /// The target scale-in takes from, given the running tasks per target (`counts`) and what
    /// the strategy gives a service of one task fewer (`keep`): the most beyond its share,
    /// ties to the target listed last.
    pub fn choose(counts: &[u32], keep: &[u32]) -> Option<usize> {
        (0..counts.len())
            .filter(|k| counts[*k] > 0)
            .max_by_key(|k| (counts[*k] as i64 - keep[*k] as i64, *k))
    }
}

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
    // Once no provider takes tasks none ever does again (the counts stop changing): the
    // rest go to the first target.
    let mut out = providers::split_order(&items, n);
    out.resize(n as usize, 0);
    out
}

/// The name a RunTask request's tasks get: its group without `family:` (the family when it
/// has no group).
pub fn run_prefix(plan: &Plan, run: &RunTask) -> String {
    let family = plan
        .resolve_task_definition(&run.task_definition)
        .map(|(i, _)| plan.task_definitions[i].family.clone())
        .unwrap_or_default();
    let group = run
        .group
        .clone()
        .unwrap_or_else(|| format!("family:{family}"));
    group.strip_prefix("family:").unwrap_or(&group).to_string()
}
