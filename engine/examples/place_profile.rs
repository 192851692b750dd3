//! Runs one large placement repeatedly, for profiling (`perf record`); not a benchmark.
#[path = "../benches/placement.rs"]
#[allow(dead_code)]
mod bench;

fn main() {
    let chain = std::env::args().nth(1).unwrap_or_else(|| "random".into());
    let constraint = std::env::args().nth(2).unwrap_or_else(|| "memberof".into());
    let mixed = std::env::args().nth(3).is_some_and(|m| m == "mixed");
    let plan = bench::bench_plan(10_000, 100_000, &chain, &constraint, mixed);
    let start = std::time::Instant::now();
    for _ in 0..10 {
        std::hint::black_box(engine::api::placement::place(
            &plan,
            &engine::api::placement::PlaceOptions::default(),
        ));
    }
    println!(
        "{chain}/{constraint}/{}: {:.1} ms per placement",
        if mixed { "mixed" } else { "uniform" },
        start.elapsed().as_secs_f64() * 100.0
    );
}
