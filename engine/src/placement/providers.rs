//! Capacity provider strategies: which provider each task of a service or RunTask goes to
//! (`cluster-capacity-providers.md`, CapacityProviderStrategyItem in the ECS API).
//!
//! The provider with a `base` gets the first `base` tasks; every further task goes to the
//! provider whose share of the tasks after the base falls furthest below its `weight` share.
//! AWS documents the outcome ("for every 1 task on A, 4 on B") but not the order in which it
//! assigns tasks; largest deficit, ties to the provider listed first, reproduces every
//! documented example.

use crate::plan::CapacityProviderStrategyItem;

/// The index (into `strategy`) of the provider the next task goes to, given how many tasks
/// each provider already has; `None` when no provider can take tasks (all weights 0 and any
/// base filled), which AWS refuses.
pub fn next_provider(strategy: &[CapacityProviderStrategyItem], counts: &[u32]) -> Option<usize> {
    for (i, item) in strategy.iter().enumerate() {
        let base = item.base.unwrap_or(0);
        if base > 0 && counts.get(i).copied().unwrap_or(0) < base {
            return Some(i);
        }
    }
    let total_weight: u64 = strategy.iter().map(|s| s.weight.unwrap_or(0) as u64).sum();
    if total_weight == 0 {
        return None;
    }
    let after_base = |i: usize| -> u64 {
        (counts.get(i).copied().unwrap_or(0)).saturating_sub(strategy[i].base.unwrap_or(0)) as u64
    };
    let placed: u64 = (0..strategy.len()).map(after_base).sum();
    // deficit_i × W = w_i × (placed + 1) − after_base_i × W; compare as integers.
    let mut best: Option<(usize, i128)> = None;
    for (i, item) in strategy.iter().enumerate() {
        let w = item.weight.unwrap_or(0) as i128;
        if w == 0 {
            continue;
        }
        let deficit = w * (placed as i128 + 1) - after_base(i) as i128 * total_weight as i128;
        if best.is_none_or(|(_, d)| deficit > d) {
            best = Some((i, deficit));
        }
    }
    best.map(|(i, _)| i)
}

/// How `n` tasks split over the strategy's providers, in strategy order.
pub fn split(strategy: &[CapacityProviderStrategyItem], n: u32) -> Vec<u32> {
    let mut counts = vec![0u32; strategy.len()];
    for i in split_order(strategy, n) {
        counts[i] += 1;
    }
    counts
}

/// The provider each of the first `n` tasks goes to, in order (shorter when no provider
/// takes tasks): [`split`] of `m ≤ n` tasks counts the first `m`.
///
/// Once the bases are filled, the choice depends only on each provider's tasks beyond its
/// base against its weight share, and that is the same again after a round of as many tasks as
/// the weights add up to which gave each provider exactly its weight: from there the round
/// repeats instead of asking [`next_provider`] task by task (services of 5 000 tasks at ECS's
/// quotas, on every board edit).
pub fn split_order(strategy: &[CapacityProviderStrategyItem], n: u32) -> Vec<usize> {
    let n = n as usize;
    let total_weight: usize = strategy
        .iter()
        .map(|s| s.weight.unwrap_or(0) as usize)
        .sum();
    let bases_filled = |counts: &[u32]| {
        strategy
            .iter()
            .zip(counts)
            .all(|(s, &c)| c >= s.base.unwrap_or(0))
    };
    let mut counts = vec![0u32; strategy.len()];
    let mut order = Vec::with_capacity(n);
    // Where the round after the bases starts, and the counts there.
    let mut round: Option<(usize, Vec<u32>)> = None;
    while order.len() < n {
        if round.is_none() && total_weight > 0 && bases_filled(&counts) {
            round = Some((order.len(), counts.clone()));
        }
        if let Some((start, at)) = &round {
            if order.len() == start + total_weight {
                let exact = strategy
                    .iter()
                    .enumerate()
                    .all(|(i, s)| counts[i] == at[i] + s.weight.unwrap_or(0));
                if exact {
                    while order.len() < n {
                        order.push(order[order.len() - total_weight]);
                    }
                    return order;
                }
            }
        }
        if !take_next(strategy, &mut counts, &mut order) {
            break;
        }
    }
    order
}

/// Appends the provider [`next_provider`] picks for the next task to `order` and counts it;
/// `false` when there is none.
fn take_next(
    strategy: &[CapacityProviderStrategyItem],
    counts: &mut [u32],
    order: &mut Vec<usize>,
) -> bool {
    match next_provider(strategy, counts) {
        Some(i) => {
            counts[i] += 1;
            order.push(i);
            true
        }
        None => false,
    }
}

/// [`split_order`] asking [`next_provider`] for every task: the reference the repeated
/// rounds are tested against.
#[cfg(test)]
fn split_order_by_task(strategy: &[CapacityProviderStrategyItem], n: u32) -> Vec<usize> {
    let mut counts = vec![0u32; strategy.len()];
    let mut order = Vec::new();
    for _ in 0..n {
        if !take_next(strategy, &mut counts, &mut order) {
            break;
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// Repeating the round after the bases gives the order of asking for every task.
        #[test]
        fn repeated_rounds_are_the_order_task_by_task(
            items in prop::collection::vec((0u32..4, prop::option::of(0u32..5)), 1..5),
            n in 0u32..80,
        ) {
            let s: Vec<CapacityProviderStrategyItem> = items
                .iter()
                .enumerate()
                .map(|(k, &(base, weight))| CapacityProviderStrategyItem {
                    capacity_provider: format!("p{k}"),
                    base: (base > 0).then_some(base),
                    weight,
                })
                .collect();
            prop_assert_eq!(split_order(&s, n), split_order_by_task(&s, n));
        }
    }

    fn item(name: &str, base: u32, weight: u32) -> CapacityProviderStrategyItem {
        CapacityProviderStrategyItem {
            capacity_provider: name.into(),
            base: (base > 0).then_some(base),
            weight: Some(weight),
        }
    }

    // cluster-capacity-providers.md, "Capacity provider strategies": base first, then weights.
    #[test]
    fn fargate_base_two_and_spot_three_to_one() {
        let s = [item("FARGATE", 2, 1), item("FARGATE_SPOT", 0, 3)];
        assert_eq!(split(&s, 10), vec![4, 6]);
        assert_eq!(split(&s, 2), vec![2, 0]);
        assert_eq!(split(&s, 3), vec![2, 1]);
    }

    #[test]
    fn one_to_four_weights() {
        // "for every one task on capacityProviderA, four tasks run on capacityProviderB"
        let s = [item("A", 0, 1), item("B", 0, 4)];
        assert_eq!(split(&s, 10), vec![2, 8]);
        assert_eq!(split(&s, 5), vec![1, 4]);
    }

    #[test]
    fn base_one_then_even() {
        let s = [item("A", 1, 1), item("B", 0, 1)];
        assert_eq!(split(&s, 5), vec![3, 2]);
    }

    #[test]
    fn zero_weight_gets_only_its_base() {
        let s = [item("A", 2, 0), item("B", 0, 1)];
        assert_eq!(split(&s, 6), vec![2, 4]);
        let none = [item("A", 0, 0)];
        assert_eq!(split(&none, 3), vec![0]);
        assert_eq!(next_provider(&none, &[0]), None);
    }
}
