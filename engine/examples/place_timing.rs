//! A quick timing of the largest placement cases, for development (`cargo run --release
//! --example place_timing -p ecs-planner-engine`); the criterion bench is the reference.
#[path = "../benches/placement.rs"]
#[allow(dead_code)]
mod bench;

fn main() {
    let only_mixed = std::env::var("MIXED").is_ok();
    for (i, t, chain, c) in [
        (1_000, 10_000, "spread-az+binpack-memory", "memberof"),
        (10_000, 100_000, "spread-az+binpack-memory", "none"),
        (10_000, 100_000, "binpack-memory", "none"),
        (10_000, 100_000, "spread-instance", "distinct"),
        (10_000, 100_000, "random", "memberof"),
    ] {
        let plan = bench::bench_plan(i, t, chain, c, only_mixed);
        let start = std::time::Instant::now();
        let p = engine::placement::place(&plan, &engine::placement::PlaceOptions::default());
        let el = start.elapsed();
        let placed = p
            .tasks
            .iter()
            .filter(|x| matches!(x.outcome, engine::placement::Outcome::Placed { .. }))
            .count();
        let start = std::time::Instant::now();
        let catalog = engine::cluster::plan_catalog(&plan).unwrap();
        let (model, _) = engine::cluster::resolve(&plan, &catalog);
        let resolve = start.elapsed();
        let start = std::time::Instant::now();
        let mut q = engine::placement::Placement::empty(model, 1);
        for s in 0..plan.services.len() {
            q.add_service(&plan, s);
        }
        let add = start.elapsed();
        println!(
            "{i} instances, {t} tasks, {chain}, {c}: {:.2} ms ({placed} placed; of which resolve {:.2} ms, task list {:.2} ms)",
            el.as_secs_f64() * 1000.0,
            resolve.as_secs_f64() * 1000.0,
            add.as_secs_f64() * 1000.0
        );
    }
}
