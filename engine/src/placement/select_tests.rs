//! The index is an optimisation of the plain scan: over random clusters, chains, constraints
//! and seeds, both choose the same instance for every task.

use super::strategy;
use crate::load::load_value;
use crate::placement::{place, place_by_scan, InstanceIx, PlaceOptions, Placement, SpecIx, TaskIx};
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The index ranks instances by `bound_key` and gives an instance its exact key only when
    /// it reaches the top: a bound above the key would leave a better instance buried, and a
    /// bound said to be exact must be the key.
    #[test]
    fn bounds_never_exceed_keys(plan in plans::plan(), seed in 0u64..1000) {
        let plan = load_value(plan).plan.expect("generated plans load");
        let p = place(&plan, &PlaceOptions { seed });
        let cx = p.context();
        for spec in (0..p.specs.len()).map(SpecIx::new) {
            for node in p.cluster.instances() {
                let (bound, exact) = strategy::bound_key(&cx, spec, node);
                let key = strategy::local_key(&cx, spec, node);
                prop_assert!(bound <= key, "{:?} > {:?}", bound, key);
                if exact {
                    prop_assert_eq!(bound, key);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The build keys candidates of chains whose bound is the key with the group's counts
    /// read at once (`group_counts`, `local_key_counted`) and packs keys into the places that
    /// can differ (`pack`): on every spec and instance of a placed cluster, the counts are
    /// each instance's, the counted key is the local key, and a packed key unpacks to it and
    /// orders as it does. Fails if a count, a key place or the packed width is wrong.
    #[test]
    fn counted_and_packed_keys_are_local_keys(plan in plans::plan(), seed in 0u64..1000) {
        let plan = load_value(plan).plan.expect("generated plans load");
        let p = place(&plan, &PlaceOptions { seed });
        let cx = p.context();
        let n = p.cluster.nodes.len();
        for spec in (0..p.specs.len()).map(SpecIx::new) {
            let s = &p.specs[spec];
            let here = super::group_counts(&p.state, s.group, n);
            let rules = &s.chain.rules;
            let prefix = rules.iter().position(strategy::Rule::is_local).unwrap_or(rules.len());
            let mut keys = Vec::new();
            for node in p.cluster.instances() {
                prop_assert_eq!(here[node.at()], p.state.usage[node].group_count(s.group));
                let key = strategy::local_key(&cx, spec, node);
                prop_assert_eq!(strategy::local_key_counted(&cx, spec, node, here[node.at()]), key);
                let wide: [i64; strategy::KEY_LEN] = super::pack(&key, prefix);
                prop_assert_eq!(super::unpack(&wide, prefix), key);
                if rules.len() + 1 - prefix <= 2 {
                    let narrow: [i64; 2] = super::pack(&key, prefix);
                    prop_assert_eq!(super::unpack(&narrow, prefix), key);
                    keys.push((key, narrow, node));
                }
            }
            let mut by_packed = keys.clone();
            keys.sort_by_key(|&(key, _, node)| (key, node));
            by_packed.sort_by_key(|&(_, packed, node)| (packed, node));
            prop_assert_eq!(keys, by_packed);
        }
    }
}

/// Binpack-first chains rank by free resource alone, so instances of one type tie on their
/// bound, and the fullest ones, at the top, often fail a later check (a host port taken, a
/// `distinctInstance`, a `memberOf` on placed tasks): the index must check and drop them as it
/// reaches them, as the scan does. Twelve identical instances make every tie.
#[test]
fn lazy_checks_at_the_top_choose_what_a_scan_chooses() {
    let instances: Vec<serde_json::Value> = (0..12)
        .map(|i| {
            let zone = ["us-east-1a", "us-east-1b", "us-east-1c"][i % 3];
            let mut v = serde_json::json!({"id": format!("i-{i:03}"), "instanceType": "m5.large", "availabilityZone": zone});
            if i % 4 == 0 {
                v["attributes"] = serde_json::json!({"tier": "gold"});
            }
            v
        })
        .collect();
    let td = |family: &str, port: Option<u32>| {
        let mut c = serde_json::json!({"name": "c", "image": "x", "cpu": 256, "memory": 512});
        if let Some(p) = port {
            c["portMappings"] = serde_json::json!([{"containerPort": 80, "hostPort": p}]);
        }
        serde_json::json!({"family": family, "networkMode": "bridge", "containerDefinitions": [c]})
    };
    let service = |name: &str,
                   family: &str,
                   n: u32,
                   strategy: serde_json::Value,
                   constraints: serde_json::Value| {
        serde_json::json!({"serviceName": name, "taskDefinition": family, "desiredCount": n,
                           "placementStrategy": strategy, "placementConstraints": constraints})
    };
    let binpack_cpu = serde_json::json!([{"type": "binpack", "field": "cpu"}]);
    let zone_then_memory = serde_json::json!([{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "memory"}]);
    let plan = serde_json::json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b", "us-east-1c"], "containerInstances": instances},
        "taskDefinitions": [td("web", Some(80)), td("api", Some(80)), td("batch", None)],
        "services": [
            service("web", "web", 5, serde_json::json!([{"type": "spread", "field": "instanceId"}]), serde_json::json!([])),
            // The fullest instances hold web's port 80: each is dropped when it reaches the top.
            service("api", "api", 6, binpack_cpu.clone(), serde_json::json!([])),
            service("batch", "batch", 9, binpack_cpu, serde_json::json!([{"type": "distinctInstance"}])),
            service("near-web", "batch", 7, zone_then_memory.clone(),
                    serde_json::json!([{"type": "memberOf", "expression": "task:group == service:web"}])),
            service("gold", "batch", 8, zone_then_memory, serde_json::json!([{"type": "memberOf", "expression": "attribute:tier == gold"}])),
        ]
    });
    let plan = load_value(plan).plan.expect("the plan loads");
    for seed in 0..8u64 {
        let opts = PlaceOptions { seed };
        let indexed = place(&plan, &opts);
        let scanned = place_by_scan(&plan, &opts);
        assert_eq!(outcomes(&indexed), outcomes(&scanned), "seed {seed}");
        assert_eq!(indexed.events, scanned.events, "seed {seed}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The build ranks candidates by `strategy::local_places`, the packed places of the local
    /// key computed without the whole key: on every spec and instance of a placed cluster,
    /// from the chain's first instance-local rule (and from every other place), at the narrow
    /// and the whole width, they are the places `pack` takes from `local_key`. Fails if a
    /// rule's value, the tie-break's place or the end of the key is wrong.
    #[test]
    fn local_places_are_packed_local_keys(plan in plans::plan(), seed in 0u64..1000) {
        let plan = load_value(plan).plan.expect("generated plans load");
        let p = place(&plan, &PlaceOptions { seed });
        let cx = p.context();
        for spec in (0..p.specs.len()).map(SpecIx::new) {
            let group = p.specs[spec].group;
            for node in p.cluster.instances() {
                let count = p.state.usage[node].group_count(group);
                let key = strategy::local_key(&cx, spec, node);
                for from in 0..strategy::KEY_LEN {
                    let narrow: [i64; 2] = strategy::local_places(&cx, spec, node, count, from);
                    let expected: [i64; 2] = super::pack_unchecked(&key, from);
                    prop_assert_eq!(narrow, expected);
                    let wide: [i64; strategy::KEY_LEN] =
                        strategy::local_places(&cx, spec, node, count, from);
                    let expected: [i64; strategy::KEY_LEN] = super::pack_unchecked(&key, from);
                    prop_assert_eq!(wide, expected);
                }
            }
        }
    }
}

/// A build's lists per bucket (`Parts`) give each bucket the heap of its own entries, buckets
/// first seen in any order, and empty heaps for buckets with none.
#[test]
fn parts_give_each_bucket_its_entries() {
    let entries: Vec<(usize, u32)> = (0..200u32)
        .map(|i| ((i * 7 % 5) as usize, i * 37 % 101))
        .collect();
    let mut parts = super::Parts::new(3);
    for &(b, e) in &entries {
        parts.push(b, e);
    }
    let heaps: Vec<Vec<u32>> = parts.heaps(7).map(|h| h.into_sorted_vec()).collect();
    assert_eq!(heaps.len(), 7);
    for (b, sorted) in heaps.iter().enumerate() {
        let mut expected: Vec<u32> = entries
            .iter()
            .filter(|(eb, _)| *eb == b)
            .map(|&(_, e)| e)
            .collect();
        expected.sort_unstable();
        assert_eq!(sorted, &expected, "bucket {b}");
    }
}
