//! At ECS's quotas (issue 14): the quota plan of `testkit::quota` (5 000 container instances
//! of five types in three zones under two Auto Scaling group capacity providers, 200 services,
//! ~50 000 tasks: services of 5 000 tasks, daemons, memberOf, spread and binpack chains,
//! Fargate and Fargate Spot, provider strategies with base and weight, target tracking on 50
//! services), generated here, never read from a file. `cargo bench -p ecs-planner-engine
//! --bench quota [-- FILTER]`; the figures are reported in docs/performance.md, never asserted.
//!
//! `QUOTA_SCALE=0.2` (0 < f ≤ 1) runs the same shape smaller, for a quick look.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use engine::api::placement::whatif::{what_if, Change};
use engine::api::placement::{place, report, PlaceOptions};
use engine::api::plan::{load, load_value, Plan};
use engine::api::sim::{deploy, deploy_from, simulate, DeployOutcome, DeployRequest};
use std::hint::black_box;
use std::time::Duration;
use testkit::quota::Quota;

fn sizes() -> Quota {
    match std::env::var("QUOTA_SCALE")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
    {
        Some(f) if f > 0.0 && f < 1.0 => Quota::scaled(f),
        _ => Quota::full(),
    }
}

fn plan_of(q: &Quota) -> Plan {
    let l = load_value(q.plan());
    assert!(
        !l.has_errors(),
        "{:#?}",
        l.errors().take(5).collect::<Vec<_>>()
    );
    l.plan.expect("the quota plan loads")
}

fn sample(name: &str) -> Plan {
    let path = format!("{}/../public/plans/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    load(&text).plan.expect("the sample plan loads")
}

fn bench(c: &mut Criterion) {
    let q = sizes();
    let text = serde_json::to_string_pretty(&q.plan()).expect("JSON prints");
    let plan = plan_of(&q);
    let opts = PlaceOptions::for_plan(&plan);
    let p = place(&plan, &opts);
    eprintln!(
        "quota plan: {} instances, {} services, {} tasks, {} bytes of JSON",
        plan.cluster.container_instances.len(),
        plan.services.len(),
        p.tasks.len(),
        text.len()
    );

    let mut g = c.benchmark_group("quota");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    // What `ecsplan validate` does: parse, schema check, references, cluster, every rule.
    g.bench_function("validate", |b| b.iter(|| load(black_box(&text))));
    g.bench_function("place", |b| b.iter(|| place(black_box(&plan), &opts)));
    let lose = Change::LoseZone("us-east-1a".into());
    g.bench_function("whatif-lose-az", |b| {
        b.iter(|| what_if(black_box(&plan), &opts, &lose))
    });
    let req = DeployRequest::new("big-0", None);
    let r = deploy(&plan, &req, &opts).expect("the deployment runs");
    assert_eq!(r.outcome, DeployOutcome::Completed, "{}", r.reason);
    eprintln!(
        "deploy big-0 ({} tasks): {} s simulated, {} events",
        q.big_tasks,
        r.duration_seconds,
        r.events.len()
    );
    // The deployment alone (the budget's meaning), from the plan's placement made beforehand:
    // each iteration gets a copy of it, made outside the measurement.
    g.bench_function("deploy-5000-task-service", |b| {
        b.iter_batched(
            || p.clone(),
            |placed| deploy_from(black_box(&plan), placed, &req),
            BatchSize::LargeInput,
        )
    });
    // The same with the placement it starts from (what `ecsplan deploy` computes).
    g.bench_function("deploy-5000-task-service-with-placement", |b| {
        b.iter(|| deploy(black_box(&plan), &req, &opts))
    });
    g.finish();

    // The same plan with tasks that cannot be placed: the report explains each.
    let over = plan_of(&q.clone().unplaced(q.big_tasks as usize));
    let po = place(&over, &opts);
    let n = report(&po, &[]).unplaced.len();
    eprintln!("unplaced tasks to explain: {n}");
    let mut g = c.benchmark_group("quota");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    g.bench_function("report-unplaced", |b| {
        b.iter(|| report(black_box(&po), &[]))
    });
    g.finish();

    let mut g = c.benchmark_group("quota-long");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(100))
        .measurement_time(Duration::from_secs(10));
    let tl = simulate(&plan, 86_400, &opts);
    eprintln!(
        "24 h of the quota plan: {} events, {} task lives, {} minute samples",
        tl.events.len(),
        tl.tasks.len(),
        tl.minutes.len()
    );
    g.bench_function("simulate-24h", |b| {
        b.iter(|| simulate(black_box(&plan), 86_400, &opts))
    });
    let two = sample("two-az-web.json");
    let two_opts = PlaceOptions::for_plan(&two);
    g.bench_function("simulate-366d-two-az-web", |b| {
        b.iter(|| simulate(black_box(&two), 366 * 86_400, &two_opts))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
