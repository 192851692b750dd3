//! The index is an optimisation of the plain scan: over random clusters, chains, constraints
//! and seeds, both choose the same instance for every task.

use crate::load::load_value;
use crate::placement::{place, place_by_scan, PlaceOptions, Placement};
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
