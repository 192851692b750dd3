//! How one task finds its instance: the table of contents of placement, in ECS's order
//! (`task-placement.md`: "When Amazon ECS places tasks, it uses the following process to select
//! container instances").
//!
//! 0. **The request** (once per run of tasks, not per instance): a spec whose `memberOf`
//!    expression does not parse goes nowhere ([`Spec::placeable`]); its tasks stay PENDING with
//!    the parse error. [`select`](super::select) and the daemon scheduler ask it before any
//!    instance.
//! 1. **Eligibility** ([`filter::eligibility`](super::filter::eligibility)): ACTIVE, agent
//!    connected, in the task's capacity provider. First because it needs nothing but the
//!    instance: an instance that takes no tasks is not worth measuring, and "DRAINING" is the
//!    reason a person wants to read, not "memory".
//! 2. **Resources** (step 1 of AWS's process): CPU, memory, GPU
//!    ([`filter::resources`](super::filter::resources)), host ports
//!    ([`filter::ports`](super::filter::ports)), an ENI for `awsvpc`
//!    ([`filter::eni`](super::filter::eni)). Before constraints because AWS lists them first
//!    and because they are cheap arithmetic, while constraints evaluate expressions.
//! 3. **Constraints** (step 2), in the order given, the task definition's then the request's:
//!    [`filter::distinct_instance`](super::filter::distinct_instance),
//!    [`filter::member_of`](super::filter::member_of). Binding: an instance that fails one
//!    is out.
//! 4. **Ranking** (step 3, [`strategy`](super::strategy)): each strategy of the chain gives
//!    every remaining instance a value (binpack: free resource; spread: the group's tasks on
//!    the instance or its attribute value; random: a seeded draw), compared lexicographically,
//!    lower first, then a seeded tie-break. Best effort: ranking never rules an instance out.
//! 5. **Selection** (step 4, [`select`](super::select)): the lowest key wins; the cluster is
//!    updated before the next task, so binpack fills and spread balances. An index per spread
//!    value finds that instance without scanning every one; it computes the same keys.
//!
//! [`feasible`] runs stages 1–3 and says why an instance is out; [`passes`] gives the same
//! verdict without building the reason (placing only needs the verdict). Their variants are
//! the [`Check`]s, for every question the planner asks of an instance: place a task (`PLACE`),
//! is this instance a daemon's (`DAEMON`), may a running task stay after an edit
//! ([`Check::stay`]), can an instance that just took a task of a run take the next one
//! (`AGAIN`), may the service run there at all (`ELIGIBLE`). One option lives in the
//! [`Context`]: cached verdicts of static `memberOf` expressions.

use super::filter::eligibility::{self, Ask};
use super::filter::member_of::{self, Facts};
use super::filter::{distinct_instance, eni, ports, resources, Constraint, Rejection};
use super::state::{Groups, State};
use super::{InstanceIx, Placement, Spec, SpecIx, Task, TaskIx};
use crate::cluster::{ClusterModel, Node};
use crate::cql::Expr;

pub use super::statics::StaticVerdicts;

/// What the stages read: the cluster, what is in use on it (now, or as it was when a task was
/// placed), and the placement's tasks, specs and groups.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub cluster: &'a ClusterModel,
    pub state: &'a State,
    pub groups: &'a Groups,
    pub tasks: &'a [Task],
    pub specs: &'a [Spec],
    /// The placement's seed, for the strategies' draws.
    pub seed: u64,
    /// The cache option: [`passes`] takes static `memberOf` verdicts from here (filled by
    /// [`Placement::prepare_verdicts`]) instead of evaluating the expression on every
    /// instance for every run. `None`: evaluate every time. [`feasible`] always evaluates, so
    /// its reasons are computed from the instance as it is.
    pub verdicts: Option<&'a StaticVerdicts>,
}

impl<'a> Context<'a> {
    /// The same context, taking static `memberOf` verdicts from `verdicts`.
    pub fn with_verdicts(self, verdicts: &'a StaticVerdicts) -> Context<'a> {
        Context {
            verdicts: Some(verdicts),
            ..self
        }
    }

    fn cached(&self, spec: SpecIx, constraint: usize, node: InstanceIx) -> Option<bool> {
        self.verdicts?.member_of(spec, constraint, node)
    }
}

impl Placement {
    /// The stages' view of the cluster as it is now.
    pub(crate) fn context(&self) -> Context<'_> {
        self.context_in(&self.state)
    }

    /// The stages' view of the cluster with `state` in use (the cluster as it was before a
    /// task was placed, or an empty one).
    pub(crate) fn context_in<'a>(&'a self, state: &'a State) -> Context<'a> {
        Context {
            cluster: &self.cluster,
            state,
            groups: &self.groups,
            tasks: &self.tasks,
            specs: &self.specs,
            seed: self.seed,
            verdicts: None,
        }
    }

    /// Fills the cache of what is static for `spec` (its static `memberOf` verdicts, the
    /// instances eligible for its launch target, the values of the attributes its chain
    /// spreads on) for every instance: instances added since the last call are evaluated, and
    /// those changed since ([`Placement::node_changed`]) evaluated again.
    pub(crate) fn prepare_verdicts(&mut self, spec: SpecIx) {
        let s = &self.specs[spec];
        let statics = &mut self.static_verdicts;
        statics.refresh(&self.cluster, &self.state, &self.groups);
        for (k, c) in s.constraints.iter().enumerate() {
            let Constraint::MemberOf { source, expr } = c else {
                continue;
            };
            if expr.depends_on_placed_tasks() {
                continue;
            }
            statics.prepare_member_of(
                spec,
                k,
                source,
                expr,
                &self.cluster,
                &self.state,
                &self.groups,
            );
        }
        statics.prepare_eligible(s.launch.provider(), &self.cluster);
        for r in &s.chain.rules {
            if let super::strategy::Rule::SpreadAttribute { attribute } = r {
                statics.prepare_attribute(attribute, &self.cluster);
            }
        }
    }
}

/// Which stages a question runs, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    /// Stage 1, and what is asked of the instance; `None` skips it.
    eligibility: Option<Ask>,
    /// Stage 2.
    resources: bool,
    /// Stage 3.
    constraints: Constraints,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Constraints {
    All,
    /// Only those whose verdict a task landing on the instance can change (`distinctInstance`,
    /// expressions that read `runningTasksCount` or `task:group`).
    ThatReadPlacedTasks,
    None,
}

impl Check {
    /// A task to place now: every stage.
    pub const PLACE: Check = Check {
        eligibility: Some(Ask::Start),
        resources: true,
        constraints: Constraints::All,
    };

    /// Whether an instance is one of a daemon service's: eligible and satisfying the
    /// constraints (`ecs_services.md`, "Daemon": "exactly one task on each active container
    /// instance that meets all of the task placement constraints"). Resources are left out: a
    /// daemon's task goes to its own instance or nowhere ([`PLACE`](Check::PLACE) on that
    /// instance), and waits there when it does not fit.
    pub const DAEMON: Check = Check {
        eligibility: Some(Ask::Start),
        resources: false,
        constraints: Constraints::All,
    };

    /// The instance just took a task of the run, and every task of a run needs the same: only
    /// what a landing task changes is asked again (resources, and the constraints that read
    /// placed tasks). Used by the index, which checked
    /// [`PLACE_ON_ELIGIBLE`](Check::PLACE_ON_ELIGIBLE) when the instance reached its top.
    pub const AGAIN: Check = Check {
        eligibility: None,
        resources: true,
        constraints: Constraints::ThatReadPlacedTasks,
    };

    /// A task to place on an instance already known to be eligible (stage 1 is static within
    /// a placement: the index visits only the instances [`StaticVerdicts`] lists as eligible
    /// for the spec's launch target): stages 2 and 3.
    pub const PLACE_ON_ELIGIBLE: Check = Check {
        eligibility: None,
        resources: true,
        constraints: Constraints::All,
    };

    /// Eligibility alone: whether the task may run on the instance at all, whatever is on it
    /// (e.g. the zones a service can be rebalanced across).
    pub const ELIGIBLE: Check = Check {
        eligibility: Some(Ask::Start),
        resources: false,
        constraints: Constraints::None,
    };

    /// A task that ran on the instance before an edit, staying there: eligibility as asked of
    /// a running task (a `standalone` RunTask task stays on a DRAINING instance,
    /// `container-instance-draining.md`), and room for it on the cluster as it now is. ECS
    /// applies constraints when it places a task and does not re-check a replica's; a
    /// `daemon`'s it does ("stops tasks that don't meet the placement constraints",
    /// `ecs_services.md` "Daemon").
    pub fn stay(standalone: bool, daemon: bool) -> Check {
        Check {
            eligibility: Some(if standalone {
                Ask::KeepStandalone
            } else {
                Ask::Start
            }),
            resources: true,
            constraints: if daemon {
                Constraints::All
            } else {
                Constraints::None
            },
        }
    }
}

/// Stages 1–3 for a task of `spec` on instance `node`: `Ok`, or the first rejection with its
/// reason.
#[inline]
pub fn feasible(
    cx: &Context,
    spec: SpecIx,
    node: InstanceIx,
    check: Check,
) -> Result<(), Rejection> {
    run::<Rejection>(cx, spec, node, check)
}

/// [`feasible`]'s verdict, without building reasons; static `memberOf` verdicts come from the
/// context's cache when it has one.
#[inline]
pub fn passes(cx: &Context, spec: SpecIx, node: InstanceIx, check: Check) -> bool {
    run::<Out>(cx, spec, node, check).is_ok()
}

/// The cheap parts of stages 2–3, which the index asks of every instance before ranking it
/// (it asks [`passes`] only of those that reach its top): CPU, memory and GPUs, and the
/// cached verdicts of the spec's static `memberOf` constraints, `static_member_of`
/// ([`static_member_of`]). An instance that fails them fails [`passes`] under
/// [`Check::PLACE_ON_ELIGIBLE`] with the same cache.
#[inline]
pub fn may_fit(cx: &Context, spec: SpecIx, node: InstanceIx, static_member_of: &[&[bool]]) -> bool {
    let demand = &cx.specs[spec].demand;
    resources::fits(&cx.cluster.nodes[node], &cx.state.usage[node], demand)
        && static_member_of
            .iter()
            .all(|verdicts| verdicts.get(node.at()) != Some(&false))
}

/// The verdicts (one per instance) the context's cache holds for `spec`'s `memberOf`
/// constraints that do not change as tasks land, for [`may_fit`]: looked up once per index
/// build rather than per instance.
pub fn static_member_of<'a>(cx: &Context<'a>, spec: SpecIx) -> Vec<&'a [bool]> {
    let Some(verdicts) = cx.verdicts else {
        return Vec::new();
    };
    let s = &cx.specs[spec];
    let is_static = |c: &Constraint| matches!(c, Constraint::MemberOf { .. }) && !c.is_dynamic();
    (0..s.constraints.len())
        .filter(|&k| is_static(&s.constraints[k]))
        .filter_map(|k| verdicts.member_of_verdicts(spec, k))
        .collect()
}

/// The stages, in order.
#[inline]
fn run<S: Say>(cx: &Context, spec: SpecIx, node: InstanceIx, check: Check) -> Result<(), S> {
    let s = &cx.specs[spec];
    let n = &cx.cluster.nodes[node];
    let used = &cx.state.usage[node];
    let name_of = |t: TaskIx| cx.tasks[t].id();
    let group_of = |t: TaskIx| cx.specs[cx.tasks[t].spec].group;
    // 1. Eligibility. (An instance retired during a simulation is DRAINING with its agent
    //    disconnected: it stops here.)
    if let Some(ask) = check.eligibility {
        S::eligibility(n, s.launch.provider(), ask)?;
    }
    // 2. Resources.
    if check.resources {
        resources::check(n, used, &s.demand)?;
        ports::check(n, used, &s.demand, &name_of)?;
        eni::check(n, used, &s.demand)?;
    }
    // 3. Constraints, in the order given.
    for (k, c) in s.constraints.iter().enumerate() {
        match check.constraints {
            Constraints::None => break,
            Constraints::ThatReadPlacedTasks if !c.is_dynamic() => continue,
            _ => {}
        }
        match c {
            Constraint::DistinctInstance => {
                distinct_instance::check(used, s.group, &name_of, &group_of)?
            }
            Constraint::MemberOf { source, expr } => {
                let facts = Facts {
                    node: n,
                    usage: used,
                    groups: cx.groups,
                };
                S::member_of(cx, (spec, k), node, source, expr, &facts)?
            }
        }
    }
    Ok(())
}

/// What a check says when it rules an instance out: the [`Rejection`] with its reason
/// ([`feasible`]), or only that it did ([`passes`]).
trait Say: From<Rejection> {
    fn eligibility(node: &Node, provider: Option<&str>, ask: Ask) -> Result<(), Self>;
    /// `constraint`: the spec and the constraint's number in it (the cache's key).
    fn member_of(
        cx: &Context,
        constraint: (SpecIx, usize),
        node: InstanceIx,
        source: &str,
        expr: &Expr,
        facts: &Facts,
    ) -> Result<(), Self>;
}

impl Say for Rejection {
    fn eligibility(node: &Node, provider: Option<&str>, ask: Ask) -> Result<(), Self> {
        eligibility::check(node, provider, ask)
    }
    fn member_of(
        _: &Context,
        _: (SpecIx, usize),
        _: InstanceIx,
        source: &str,
        expr: &Expr,
        facts: &Facts,
    ) -> Result<(), Self> {
        member_of::check(source, expr, facts)
    }
}

/// Ruled out, reason not kept.
struct Out;

impl From<Rejection> for Out {
    fn from(_: Rejection) -> Out {
        Out
    }
}

impl Say for Out {
    /// Without the reason's strings: most instances of a cluster with several capacity
    /// providers are another provider's, and the index asks every one of them.
    fn eligibility(node: &Node, provider: Option<&str>, ask: Ask) -> Result<(), Self> {
        match eligibility::allows(node, provider, ask) {
            true => Ok(()),
            false => Err(Out),
        }
    }
    fn member_of(
        cx: &Context,
        (spec, k): (SpecIx, usize),
        node: InstanceIx,
        _: &str,
        expr: &Expr,
        facts: &Facts,
    ) -> Result<(), Self> {
        let cached = if cx.verdicts.is_some() && !expr.depends_on_placed_tasks() {
            cx.cached(spec, k, node)
        } else {
            None
        };
        match cached.unwrap_or_else(|| member_of::holds(expr, facts)) {
            true => Ok(()),
            false => Err(Out),
        }
    }
}

#[cfg(test)]
#[path = "pipeline_tests.rs"]
mod tests;
