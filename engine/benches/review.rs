//! A full architecture review (`engine::api::review`) of a large plan: 1 000 container instances
//! in three zones behind a capacity provider with managed scaling, ten services with 10 000
//! tasks (mixed sizes, spread over zones then binpack on memory, dynamic host ports, half with
//! the circuit breaker), two of them with target tracking under a daily workload. The review
//! places the plan, asks how many more tasks of each service fit and how few instances of each
//! type would do, loses each zone and the worst instances, deploys every service and simulates
//! a day with its cost. `cargo bench -p ecs-planner-engine --bench review`; the figure is
//! reported in docs/performance.md (target ≤ 2 s), never asserted in tests.

use criterion::{criterion_group, criterion_main, Criterion};
use engine::api::plan::{load_value, Loaded};
use engine::api::review::{review, ReviewOptions};
use std::time::{Duration, Instant};
use testkit::plans::review_plan;

fn loaded(instances: usize, tasks: usize, workload: bool) -> Loaded {
    let mut v = review_plan(instances, tasks);
    if !workload {
        v.as_object_mut().map(|o| o.remove("workload"));
    }
    let l = load_value(v);
    assert!(
        l.plan.is_some(),
        "bench plan loads: {:?}",
        l.findings.first()
    );
    l
}

fn bench(c: &mut Criterion) {
    let l = loaded(1_000, 10_000, true);
    let opts = ReviewOptions::for_file("bench.json");
    // One timed run first, with what the report holds.
    let t = Instant::now();
    let r = review(&l, &opts);
    eprintln!(
        "review of 1 000 instances / 10 000 tasks: {:.0} ms; {} checks, {} pass; json {} KB",
        t.elapsed().as_secs_f64() * 1000.0,
        r.checks.len(),
        r.checks.iter().filter(|c| c.passed).count(),
        serde_json::to_string(&r)
            .map(|s| s.len() / 1024)
            .unwrap_or(0)
    );
    let mut g = c.benchmark_group("review");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(15));
    g.bench_function("full review, 1000 instances, 10000 tasks", |b| {
        b.iter(|| review(&l, &opts))
    });
    let flat = loaded(1_000, 10_000, false);
    g.bench_function(
        "full review, 1000 instances, 10000 tasks, no workload",
        |b| b.iter(|| review(&flat, &opts)),
    );
    let small = loaded(100, 1_000, true);
    g.bench_function("full review, 100 instances, 1000 tasks", |b| {
        b.iter(|| review(&small, &opts))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
