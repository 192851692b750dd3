//! The index is an optimisation of the plain scan: over random clusters, chains, constraints
//! and seeds, both choose the same instance for every task.

use crate::load::load_value;
use crate::placement::{place, place_by_scan, InstanceIx, PlaceOptions, Placement, TaskIx};
use proptest::prelude::*;
use testkit::plans;

fn outcomes(p: &Placement) -> Vec<(String, super::super::Outcome)> {
    p.tasks
        .iter()
        .map(|t| (t.id(), t.outcome.clone()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn the_index_chooses_what_a_scan_chooses(plan in plans::plan(), seed in 0u64..1000) {
        let plan = load_value(plan).plan.expect("generated plans load");
        let opts = PlaceOptions { seed };
        let indexed = place(&plan, &opts);
        let scanned = place_by_scan(&plan, &opts);
        prop_assert_eq!(outcomes(&indexed), outcomes(&scanned));
        prop_assert_eq!(indexed.events, scanned.events);
    }
}

/// Places every service's tasks in one `place_tasks` call, interleaved round robin across the
/// services (so runs of different specs alternate on shared instances, as a capacity provider
/// strategy's do and as whatif and the simulator's batches do), by the index or by the scan.
fn interleaved(plan: &crate::plan::Plan, seed: u64, scan_only: bool) -> Placement {
    let mut p = Placement::of_cluster(plan, &PlaceOptions { seed });
    p.scan_only = scan_only;
    let lists: Vec<Vec<TaskIx>> = (0..plan.services.len())
        .filter(|i| plan.services[*i].scheduling_strategy.is_none())
        .map(|i| p.add_service(plan, i))
        .collect();
    let longest = lists.iter().map(Vec::len).max().unwrap_or(0);
    let order: Vec<TaskIx> = (0..longest)
        .flat_map(|k| lists.iter().filter_map(move |l| l.get(k).copied()))
        .collect();
    p.place_tasks(&order);
    p
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Indexes kept between the runs of one call (`select::Runs`) agree with the scan when
    /// other specs' tasks land on their instances in between.
    #[test]
    fn kept_indexes_choose_what_a_scan_chooses(plan in plans::plan(), seed in 0u64..1000) {
        let plan = load_value(plan).plan.expect("generated plans load");
        let indexed = interleaved(&plan, seed, false);
        let scanned = interleaved(&plan, seed, true);
        prop_assert_eq!(outcomes(&indexed), outcomes(&scanned));
        prop_assert_eq!(indexed.events, scanned.events);
    }
}

/// Capacity provider strategies interleave their providers' tasks, so the index of each spec
/// is kept between runs (`select::Runs`): on scaled-down quota plans (two providers with base and
/// weight, spread and binpack chains, memberOf, daemons, an overflow that stays unplaced) the
/// kept indexes choose what a scan chooses, task by task.
#[test]
fn kept_indexes_on_quota_plans() {
    for seed in 0..6u64 {
        let q = testkit::quota::Quota::scaled(0.012).seed(seed).unplaced(7);
        let plan = load_value(q.plan()).plan.expect("quota plans load");
        let opts = PlaceOptions { seed };
        let indexed = place(&plan, &opts);
        let scanned = place_by_scan(&plan, &opts);
        assert_eq!(outcomes(&indexed), outcomes(&scanned), "seed {seed}");
        assert_eq!(indexed.events, scanned.events, "seed {seed}");
        let indexed = interleaved(&plan, seed, false);
        let scanned = interleaved(&plan, seed, true);
        assert_eq!(
            outcomes(&indexed),
            outcomes(&scanned),
            "seed {seed}, interleaved"
        );
        assert_eq!(indexed.events, scanned.events, "seed {seed}, interleaved");
        let unplaced = indexed
            .tasks
            .iter()
            .filter(|t| matches!(t.outcome, super::super::Outcome::Unplaced { .. }))
            .count();
        assert!(unplaced >= 7, "seed {seed}: {unplaced} unplaced");
    }
}

/// Places half of every service's tasks, then changes the cluster the way a what-if and the
/// simulator do (an instance drained, one registered), then places the rest: by the index (with
/// the placement's cache of eligible instances, attribute values and memberOf verdicts, which
/// the changes must refresh) or by the scan.
fn around_changes(
    plan: &crate::plan::Plan,
    seed: u64,
    scan_only: bool,
    drain: usize,
    copy: usize,
) -> Placement {
    let mut p = Placement::of_cluster(plan, &PlaceOptions { seed });
    p.scan_only = scan_only;
    let lists: Vec<Vec<TaskIx>> = (0..plan.services.len())
        .filter(|i| plan.services[*i].scheduling_strategy.is_none())
        .map(|i| p.add_service(plan, i))
        .collect();
    for l in &lists {
        p.place_tasks(&l[..l.len() / 2]);
    }
    let n = p.cluster.nodes.len();
    if n > 0 {
        p.drain_node(InstanceIx::new(drain % n));
        let mut twin = p.cluster.nodes[copy % n].clone();
        twin.status = crate::plan::InstanceStatus::Active;
        twin.agent_connected = true;
        p.add_node(twin);
    }
    for l in &lists {
        p.place_tasks(&l[l.len() / 2..]);
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The placement's cache of what is static per instance (`statics.rs`: eligible instances
    /// per launch target, attribute value ids, memberOf verdicts) follows instances drained
    /// and added between calls: the index still chooses what the scan chooses.
    #[test]
    fn the_index_follows_instances_drained_and_added(
        plan in plans::plan(),
        seed in 0u64..1000,
        drain in 0usize..64,
        copy in 0usize..64,
    ) {
        let plan = load_value(plan).plan.expect("generated plans load");
        let indexed = around_changes(&plan, seed, false, drain, copy);
        let scanned = around_changes(&plan, seed, true, drain, copy);
        prop_assert_eq!(outcomes(&indexed), outcomes(&scanned));
        prop_assert_eq!(indexed.events, scanned.events);
    }
}
