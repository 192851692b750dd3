//! A quick timing of the largest placement cases, for development (`cargo run --release
//! --example place_timing -p ecs-planner-engine`); the criterion bench is the reference.
#[path = "../benches/placement.rs"]
#[allow(dead_code)]
mod bench;

use engine::api::placement::{place, Outcome, PlaceOptions};

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
        let p = place(&plan, &PlaceOptions::default());
        let el = start.elapsed();
        let placed = p
            .tasks
            .iter()
            .filter(|x| matches!(x.outcome, Outcome::Placed { .. }))
            .count();
        println!(
            "{i} instances, {t} tasks, {chain}, {c}: {:.2} ms ({placed} placed)",
            el.as_secs_f64() * 1000.0,
        );
    }
}
