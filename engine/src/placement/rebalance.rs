//! Availability Zone rebalancing (`service-rebalancing.md`): once a service is steady, ECS
//! "starts tasks in Availability Zones with the fewest number of running tasks" and "stops the
//! tasks in Availability Zones with the largest number". The board applies it, to its end state,
//! after an edit ([`place_keeping`](super::place_keeping)).

use super::pipeline::{passes, Check};
use super::scale_in::task_to_stop;
use super::state::Usage;
use super::strategy::Rule;
use super::{InstanceIx, Launch, Outcome, Placement, SpecIx, TaskIx};
use crate::plan::Plan;

/// Whether ECS rebalances the service's tasks across zones (`service-rebalancing.md`): a
/// replica service on instances whose first placement strategy is spread by zone (the default
/// when it has none), with `availabilityZoneRebalancing` not `DISABLED` (CreateService's
/// default is `ENABLED`). \[INFER\] The planner does not rebalance Fargate tasks.
pub fn applies(plan: &Plan, service: usize, p: &Placement, tasks: &[TaskIx]) -> bool {
    let svc = &plan.services[service];
    let disabled = svc
        .extra
        .get("availabilityZoneRebalancing")
        .and_then(|v| v.as_str())
        == Some("DISABLED");
    let Some(&first) = tasks.first() else {
        return false;
    };
    let spec = &p.specs[p.tasks[first].spec];
    let spread_zone = matches!(
        spec.chain.rules.first(),
        Some(Rule::SpreadAttribute { attribute }) if attribute == "ecs.availability-zone"
    );
    !disabled && spread_zone && !matches!(spec.launch, Launch::Fargate { .. })
}

/// Whether [`zones`] could move any of `tasks`, without the copy of the placement it works on:
/// `false` when the zones the service may run in already differ by at most one of its tasks,
/// or when no instance of a zone with at least two fewer tasks than the fullest can take a
/// task of theirs now (then the first replacement lands back in the fullest zone, or nowhere,
/// and nothing moves). Taking a task off an instance of the fullest zone changes no other
/// instance's verdict, so the answer is [`zones`]'s whenever it is `false`. The simulator
/// asks it before trying [`zones`] on a copy of its cluster, at every change of a steady
/// service that cannot be balanced (keeping a `false` answer: `sim/no_room.rs`).
pub fn may_move(p: &Placement, tasks: &[TaskIx]) -> bool {
    may_move_with(p, tasks, true)
}

/// [`may_move`] asking every instance, the reference its cache is tested against (the
/// simulator's tests compare whole timelines with either).
#[cfg(test)]
pub fn may_move_by_scan(p: &Placement, tasks: &[TaskIx]) -> bool {
    may_move_with(p, tasks, false)
}

/// [`may_move`], reading the placement's cache of eligible instances and static verdicts
/// (`cache`) or asking every instance (the reference the cache is tested against).
fn may_move_with(p: &Placement, tasks: &[TaskIx], cache: bool) -> bool {
    question(p, tasks).is_some_and(|q| room_with(p, &q, |_| true, cache))
}

/// What [`may_move`] asks the instances once the service's zones are found unbalanced:
/// whether a task of one of `specs` fits now on an instance of an `emptier` zone. The answer
/// depends on nothing else than the instances, so a caller that keeps a `false` answer for
/// an equal question needs to ask again only the instances that changed since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The specs of the tasks (one per launch target), ascending.
    specs: Vec<SpecIx>,
    /// Per zone of the cluster: the service may run there and has at least two fewer tasks
    /// there than in its fullest zone.
    emptier: Vec<bool>,
}

/// [`may_move`]'s question about `tasks`, or `None` when the answer is `false` without
/// asking any instance (no tasks, fewer than two zones, zones balanced within one task).
pub fn question(p: &Placement, tasks: &[TaskIx]) -> Option<Question> {
    let &first = tasks.first()?;
    let spec = p.tasks[first].spec;
    let cx = p.context();
    let zones = eligible_zones(&cx, spec);
    if zones.len() < 2 {
        return None;
    }
    let counts = zone_counts(p, &zones, tasks);
    let most = counts.iter().map(|c| c.1).max().unwrap_or(0);
    let least = counts.iter().map(|c| c.1).min().unwrap_or(0);
    if most <= least + 1 {
        return None;
    }
    // The task replaced is placed with its own spec (a service's tasks may have several, one
    // per launch target).
    let mut specs: Vec<SpecIx> = tasks.iter().map(|&t| p.tasks[t].spec).collect();
    specs.sort_unstable();
    specs.dedup();
    let mut emptier = vec![false; cx.cluster.azs.len()];
    for &(z, c) in &counts {
        if c + 1 < most {
            if let Some(e) = emptier.get_mut(z) {
                *e = true;
            }
        }
    }
    Some(Question { specs, emptier })
}

/// Whether an instance answers `q` with yes: [`may_move`]'s answer to its question.
pub fn room(p: &Placement, q: &Question) -> bool {
    room_with(p, q, |_| true, true)
}

/// Whether one of `nodes` answers `q` with yes: a caller that kept a `false` answer to `q`
/// asks only the instances that changed since ([`Placement::changed_since`]).
pub fn room_among(p: &Placement, q: &Question, nodes: &[InstanceIx]) -> bool {
    let cx = p.context();
    let statics = &p.static_verdicts;
    let cached = cx.with_verdicts(statics);
    let emptier = |n: InstanceIx| {
        cx.cluster
            .nodes
            .get(n.at())
            .and_then(|node| q.emptier.get(node.az))
            .copied()
            .unwrap_or(false)
    };
    q.specs.iter().any(|&s| {
        // As `room_with`: the launch target's eligible instances from the cache when it lists
        // them all, else every instance through the whole pipeline.
        match statics
            .eligible(p.specs[s].launch.provider())
            .filter(|e| e.is.len() == p.cluster.nodes.len())
        {
            Some(e) => nodes.iter().any(|&n| {
                e.is.get(n.at()).copied().unwrap_or(false)
                    && emptier(n)
                    && passes(&cached, s, n, Check::PLACE_ON_ELIGIBLE)
            }),
            None => nodes
                .iter()
                .any(|&n| emptier(n) && passes(&cx, s, n, Check::PLACE)),
        }
    })
}

/// [`room`], reading the placement's cache (`cache`) or asking every instance, of those for
/// which `ask` holds.
fn room_with(p: &Placement, q: &Question, ask: impl Fn(InstanceIx) -> bool, cache: bool) -> bool {
    let cx = p.context();
    let emptier = |n: InstanceIx| {
        q.emptier
            .get(cx.cluster.nodes[n].az)
            .copied()
            .unwrap_or(false)
            && ask(n)
    };
    let statics = &p.static_verdicts;
    let cached = cx.with_verdicts(statics);
    q.specs.iter().any(|&s| {
        // The launch target's eligible instances when the placement's cache lists them all
        // (as the index does: the others fail stage 1), else every instance.
        match statics
            .eligible(p.specs[s].launch.provider())
            .filter(|e| cache && e.is.len() == p.cluster.nodes.len())
        {
            Some(e) => e
                .nodes
                .iter()
                .any(|&n| emptier(n) && passes(&cached, s, n, Check::PLACE_ON_ELIGIBLE)),
            None => cx
                .cluster
                .instances()
                .any(|n| emptier(n) && passes(&cx, s, n, Check::PLACE)),
        }
    })
}

/// The zones of the instances a task of `spec` may run on, in zone order.
fn eligible_zones(cx: &super::pipeline::Context, spec: SpecIx) -> Vec<usize> {
    // The scan stops once every zone has one (a service per edit, 5 000 instances at ECS's
    // quotas); the zones come out in ascending order.
    let mut seen = vec![false; cx.cluster.azs.len()];
    let mut left = seen.len();
    for (i, n) in cx.cluster.indexed() {
        if left == 0 {
            break;
        }
        if !seen.get(n.az).copied().unwrap_or(true) && passes(cx, spec, i, Check::ELIGIBLE) {
            seen[n.az] = true;
            left -= 1;
        }
    }
    (0..seen.len()).filter(|&z| seen[z]).collect()
}

/// Per zone of `zones`, how many of `tasks` are placed there.
fn zone_counts(p: &Placement, zones: &[usize], tasks: &[TaskIx]) -> Vec<(usize, usize)> {
    let mut counts: Vec<(usize, usize)> = zones.iter().map(|&z| (z, 0)).collect();
    for &t in tasks {
        if let Outcome::Placed { node } = p.tasks[t].outcome {
            let z = p.cluster.nodes[node].az;
            if let Some(c) = counts.iter_mut().find(|(x, _)| *x == z) {
                c.1 += 1;
            }
        }
    }
    counts
}

/// Rebalances one service's `tasks` to the end state and returns the tasks it placed again:
/// while the zones the service can run in differ by more than one of its tasks, a task of the
/// fullest zone (the one scale-in would stop there) is replaced by a task placed with the
/// service's strategies, which puts it in the emptiest zone with room. It stops when the
/// replacement finds no room outside the fullest zone (ECS: "unable to place a task in
/// Availability Zone").
pub fn zones(p: &mut Placement, tasks: &[TaskIx]) -> Vec<TaskIx> {
    zones_with(p, tasks, true)
}

/// [`zones`] trying every attempt, without asking [`may_move`] first: the reference the
/// skipped attempts are tested against.
#[cfg(test)]
pub fn zones_by_attempt(p: &mut Placement, tasks: &[TaskIx]) -> Vec<TaskIx> {
    zones_with(p, tasks, false)
}

/// [`zones`], asking [`may_move`] before each attempt (`ask`) or trying it (the reference).
fn zones_with(p: &mut Placement, tasks: &[TaskIx], ask: bool) -> Vec<TaskIx> {
    let mut moved = Vec::new();
    let Some(&first) = tasks.first() else {
        return moved;
    };
    let spec = p.tasks[first].spec;
    // The zones of the instances the service may run on.
    let zones = eligible_zones(&p.context(), spec);
    if zones.len() < 2 {
        return moved;
    }
    let zone_of = |p: &Placement, t: TaskIx| match p.tasks[t].outcome {
        Outcome::Placed { node } => Some(p.cluster.nodes[node].az),
        _ => None,
    };
    for _ in 0..tasks.len() {
        // When no task can move, the attempt below would find no room outside the fullest
        // zone and be undone: skipped, as `may_move` is cheaper than a placement.
        if ask && !may_move(p, tasks) {
            return moved;
        }
        let counts = zone_counts(p, &zones, tasks);
        let (full, most) = counts
            .iter()
            .copied()
            .max_by_key(|&(z, c)| (c, std::cmp::Reverse(z)))
            .unwrap_or_default();
        let least = counts.iter().map(|c| c.1).min().unwrap_or(0);
        if most <= least + 1 {
            return moved;
        }
        let there: Vec<TaskIx> = tasks
            .iter()
            .copied()
            .filter(|&t| zone_of(p, t) == Some(full))
            .collect();
        let Some(t) = task_to_stop(p, spec, &there) else {
            return moved;
        };
        let Outcome::Placed { node: was } = p.tasks[t].outcome else {
            return moved;
        };
        let trial = Trial::mark(p, t, was);
        p.stop(t);
        p.place_tasks(&[t]);
        let now = zone_of(p, t);
        let better = now.is_some_and(|z| counts.iter().any(|&(x, c)| x == z && c + 1 < most));
        if !better {
            // No room elsewhere: the task stays where it ran, as if never tried.
            trial.undo(p);
            return moved;
        }
        moved.push(t);
    }
    moved
}

/// The tasks [`zones`] would place again, the placement left as it was ([`Placement::undone`]).
pub fn would_move(p: &mut Placement, tasks: &[TaskIx]) -> Vec<TaskIx> {
    p.undone(tasks, |p| zones(p, tasks))
}

/// What a rebalancing attempt changes, to undo it when the task finds no better zone: ECS
/// did not move the task, so it keeps its place in its instance's list (the order the board
/// shows), no event records the attempt (explanations replay events), and an instance the
/// replacement visited is not listed as running the group.
struct Trial {
    task: TaskIx,
    was: InstanceIx,
    usage: Usage,
    events: usize,
    changes: usize,
    group: u32,
    placed_on: usize,
}

impl Trial {
    fn mark(p: &Placement, task: TaskIx, was: InstanceIx) -> Trial {
        let group = p.specs[p.tasks[task].spec].group;
        Trial {
            task,
            was,
            usage: p.state.usage[was].clone(),
            events: p.events.len(),
            changes: p.changes,
            group,
            placed_on: p.state.placed_on_len(group),
        }
    }

    fn undo(self, p: &mut Placement) {
        let t = self.task;
        if let Outcome::Placed { node } = p.tasks[t].outcome {
            let d = &p.specs[p.tasks[t].spec].demand;
            p.state.remove(node, t, self.group, d);
        }
        p.state.forget_placed_on_since(self.group, self.placed_on);
        p.state.usage[self.was] = self.usage;
        p.tasks[t].outcome = Outcome::Placed { node: self.was };
        p.events.truncate(self.events);
        p.changes = self.changes;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::{may_move, may_move_with, would_move, zones, zones_by_attempt};
    use crate::load::load_value;
    use crate::placement::{place, Outcome, PlaceOptions, Placement, Source, TaskIx};
    use proptest::prelude::*;
    use testkit::plans;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

        /// `may_move` is a filter in front of `zones`: where it says no task can move, `zones`
        /// on a copy moves none. Zones are unbalanced first by stopping some of each service's
        /// tasks in one zone (as a lost instance or a scale-in would), so both answers occur.
        #[test]
        fn zones_moves_nothing_where_may_move_says_so(
            plan in plans::plan(),
            seed in 0u64..1000,
            cut in 0usize..6,
            zone in 0usize..3,
        ) {
            let (plan, p) = unbalanced(plan, seed, cut, zone);
            for s in 0..plan.services.len() {
                let tasks = of_service(&p, s);
                prop_assert_eq!(
                    may_move(&p, &tasks),
                    may_move_with(&p, &tasks, false),
                    "service {}: the cache's answer is not the scan's", s
                );
                if !may_move(&p, &tasks) {
                    let moved = zones_by_attempt(&mut p.clone(), &tasks);
                    prop_assert!(moved.is_empty(), "service {s}: may_move says no, zones moved {moved:?}");
                }
            }
        }

        /// The trial undone (`would_move`) answers what `zones` on a copy answers, and leaves
        /// the placement as it was: every instance's usage (ports, tasks in the order they
        /// landed, groups), every task's outcome, the events, the count of changes. Zones are
        /// unbalanced first as above, so that tasks move (and some are put back where they
        /// ran, which changes the order of an instance's tasks unless undone).
        #[test]
        fn the_trial_undone_is_the_trial_on_a_copy(
            plan in plans::plan(),
            seed in 0u64..1000,
            cut in 0usize..6,
            zone in 0usize..3,
        ) {
            let (plan, mut p) = unbalanced(plan, seed, cut, zone);
            let seen = |p: &crate::placement::Placement| {
                format!(
                    "{:?}\n{:?}\n{:?}\n{}\n{:?}",
                    p.state, p.tasks, p.events, p.changes(), p.fargate_counts
                )
            };
            for s in 0..plan.services.len() {
                let tasks = of_service(&p, s);
                let on_copy = zones(&mut p.clone(), &tasks);
                let before = seen(&p);
                prop_assert_eq!(would_move(&mut p, &tasks), on_copy, "service {}", s);
                prop_assert!(seen(&p) == before, "service {s}: the placement was not put back");
            }
        }

        /// Skipping the attempts `may_move` rules out changes nothing: on services unbalanced
        /// as above, `zones` leaves the placement as `zones_by_attempt` (every attempt tried)
        /// does, and moves the same tasks; an attempt that moves nothing leaves the placement
        /// as it was (events, each instance's tasks in order, its groups).
        #[test]
        fn skipped_attempts_leave_the_placement_of_every_attempt(
            plan in plans::plan(),
            seed in 0u64..1000,
            cut in 0usize..6,
            zone in 0usize..3,
        ) {
            let (plan, p) = unbalanced(plan, seed, cut, zone);
            let (mut fast, mut plain) = (p.clone(), p.clone());
            for s in 0..plan.services.len() {
                let tasks = of_service(&p, s);
                let before = shown(&plain);
                let a = zones(&mut fast, &tasks);
                let b = zones_by_attempt(&mut plain, &tasks);
                prop_assert_eq!(&a, &b, "service {}: other tasks moved", s);
                prop_assert_eq!(shown(&fast), shown(&plain), "service {}: the placements differ", s);
                if b.is_empty() {
                    prop_assert_eq!(shown(&plain), before, "service {}: an attempt left a trace", s);
                }
            }
        }
    }

    /// `plan` placed with `seed`, then unbalanced: up to `cut` of each service's tasks in zone
    /// `zone` stopped (as a lost instance or a scale-in would). The simulator's kept answers
    /// are tested from the same start (`sim/no_room.rs`).
    pub(crate) fn unbalanced(
        plan: serde_json::Value,
        seed: u64,
        cut: usize,
        zone: usize,
    ) -> (crate::plan::Plan, Placement) {
        let plan = load_value(plan).plan.expect("generated plans load");
        let mut p = place(&plan, &PlaceOptions { seed });
        for s in 0..plan.services.len() {
            let in_zone: Vec<TaskIx> = of_service(&p, s)
                .into_iter()
                .filter(|&t| matches!(p.tasks[t].outcome, Outcome::Placed { node } if p.cluster.nodes[node].az == zone))
                .take(cut)
                .collect();
            for t in in_zone {
                p.stop(t);
            }
        }
        (plan, p)
    }

    /// Service `s`'s tasks that are not stopped.
    pub(crate) fn of_service(p: &Placement, s: usize) -> Vec<TaskIx> {
        (0..p.tasks.len())
            .map(TaskIx::new)
            .filter(|&t| matches!(p.tasks[t].source, Source::Service { index, .. } if index == s))
            .filter(|&t| !matches!(p.tasks[t].outcome, Outcome::Stopped))
            .collect()
    }

    /// What a placement shows and later steps read: outcomes, events, each instance's usage
    /// and tasks in order, its groups, and the instances listed per group.
    fn shown(p: &Placement) -> String {
        let mut out = format!(
            "{:?}\n{:?}\n{}\n",
            p.events,
            p.changes(),
            p.tasks
                .iter()
                .map(|t| format!("{:?}", t.outcome))
                .collect::<Vec<_>>()
                .join(",")
        );
        for (i, u) in p.state.usage.iter().enumerate() {
            let mut ports: Vec<_> = u
                .ports
                .iter()
                .map(|(k, v)| format!("{k:?}={v:?}"))
                .collect();
            ports.sort();
            out += &format!(
                "{i}: {} {} {} {} {} {:?} {:?} {:?}\n",
                u.cpu, u.memory, u.gpus, u.enis, u.dynamic_ports, ports, u.tasks, u.groups
            );
        }
        for g in 0..p.specs.len() as u32 {
            let mut on = p.state.placed_on(g).to_vec();
            on.sort_unstable();
            out += &format!("g{g}: {on:?}\n");
        }
        out
    }
}
