//! Availability Zone rebalancing (`service-rebalancing.md`): once a service is steady, ECS
//! "starts tasks in Availability Zones with the fewest number of running tasks" and "stops the
//! tasks in Availability Zones with the largest number". The board applies it, to its end state,
//! after an edit ([`place_keeping`](super::place_keeping)).

use super::pipeline::{passes, Check};
use super::scale_in::task_to_stop;
use super::strategy::Rule;
use super::{Launch, Outcome, Placement, TaskIx};
use crate::plan::Plan;

/// Whether ECS rebalances the service's tasks across zones (`service-rebalancing.md`): a
/// replica service on instances whose first placement strategy is spread by zone (the default
/// when it has none), with `availabilityZoneRebalancing` not `DISABLED` (CreateService's
/// default is `ENABLED`). [INFER] The planner does not rebalance Fargate tasks.
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

/// Rebalances one service's `tasks` to the end state and returns the tasks it placed again:
/// while the zones the service can run in differ by more than one of its tasks, a task of the
/// fullest zone (the one scale-in would stop there) is replaced by a task placed with the
/// service's strategies, which puts it in the emptiest zone with room. It stops when the
/// replacement finds no room outside the fullest zone (ECS: "unable to place a task in
/// Availability Zone").
pub fn zones(p: &mut Placement, tasks: &[TaskIx]) -> Vec<TaskIx> {
    let mut moved = Vec::new();
    let Some(&first) = tasks.first() else {
        return moved;
    };
    let spec = p.tasks[first].spec;
    // The zones of the instances the service may run on (the scan stops once every zone has
    // one: a service per edit, 5 000 instances at ECS's quotas).
    let zones: Vec<usize> = {
        let cx = p.context();
        let mut seen = vec![false; cx.cluster.azs.len()];
        let mut left = seen.len();
        for (i, n) in cx.cluster.nodes.iter().enumerate() {
            if left == 0 {
                break;
            }
            if !seen.get(n.az).copied().unwrap_or(true) && passes(&cx, spec, i, Check::ELIGIBLE) {
                seen[n.az] = true;
                left -= 1;
            }
        }
        (0..seen.len()).filter(|&z| seen[z]).collect()
    };
    if zones.len() < 2 {
        return moved;
    }
    let zone_of = |p: &Placement, t: TaskIx| match p.tasks[t].outcome {
        Outcome::Placed { node } => Some(p.cluster.nodes[node].az),
        _ => None,
    };
    for _ in 0..tasks.len() {
        let mut counts: Vec<(usize, usize)> = zones.iter().map(|&z| (z, 0)).collect();
        for &t in tasks {
            if let Some(z) = zone_of(p, t) {
                if let Some(c) = counts.iter_mut().find(|(x, _)| *x == z) {
                    c.1 += 1;
                }
            }
        }
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
        p.stop(t);
        p.place_tasks(&[t]);
        let now = zone_of(p, t);
        let better = now.is_some_and(|z| counts.iter().any(|&(x, c)| x == z && c + 1 < most));
        if !better {
            // No room elsewhere: the task stays where it ran.
            p.stop(t);
            p.record(t, Some(was));
            return moved;
        }
        moved.push(t);
    }
    moved
}
