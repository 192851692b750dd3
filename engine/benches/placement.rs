//! Placement speed over the matrix of issue 3: instances × tasks × strategy chain ×
//! constraint, with uniform and mixed task sizes. `cargo xtask bench` (or
//! `cargo bench -p ecs-planner-engine --bench placement -- <filter>`) runs it; the figures are
//! reported in docs/performance.md, never asserted in tests.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use engine::api::board::{board, board_after};
use engine::api::edit::{self, Edit};
use engine::api::placement::{diff::diff, place, place_keeping, PlaceOptions};
use engine::api::plan::{load_value, Plan};
use serde_json::{json, Value};
use std::time::Duration;

const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];
const TYPES: [&str; 3] = ["m5.xlarge", "m5.2xlarge", "c5.2xlarge"];

fn chain(name: &str) -> Value {
    match name {
        "binpack-memory" => json!([{"type": "binpack", "field": "memory"}]),
        "spread-az+binpack-memory" => {
            json!([{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "memory"}])
        }
        "spread-instance" => json!([{"type": "spread", "field": "instanceId"}]),
        "random" => json!([{"type": "random"}]),
        other => panic!("unknown chain {other}"),
    }
}

fn constraint(name: &str) -> Value {
    match name {
        "none" => json!([]),
        "distinct" => json!([{"type": "distinctInstance"}]),
        "memberof" => {
            json!([{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ m5.*"}])
        }
        other => panic!("unknown constraint {other}"),
    }
}

/// A cluster of `instances` across three zones and services totalling `tasks` tasks. Uniform:
/// one service of 256 CPU units / 512 MiB tasks. Mixed: four services of different sizes.
pub fn bench_plan(
    instances: usize,
    tasks: usize,
    chain_name: &str,
    constraint_name: &str,
    mixed: bool,
) -> Plan {
    let insts: Vec<Value> = (0..instances)
        .map(|i| json!({"id": format!("i-{i:06}"), "instanceType": TYPES[i % TYPES.len()], "availabilityZone": ZONES[i % 3]}))
        .collect();
    let sizes: &[(u32, u32, usize)] = if mixed {
        &[
            (128, 256, 4),
            (256, 512, 3),
            (512, 1024, 2),
            (1024, 2048, 1),
        ]
    } else {
        &[(256, 512, 1)]
    };
    let weight: usize = sizes.iter().map(|s| s.2).sum();
    let mut tds = Vec::new();
    let mut services = Vec::new();
    for (i, (cpu, mem, w)) in sizes.iter().enumerate() {
        tds.push(json!({"family": format!("t{i}"), "containerDefinitions": [{"name": "c", "image": "x", "cpu": cpu, "memory": mem}]}));
        services.push(json!({"serviceName": format!("s{i}"), "taskDefinition": format!("t{i}"), "desiredCount": tasks * w / weight,
            "placementStrategy": chain(chain_name), "placementConstraints": constraint(constraint_name)}));
    }
    let v = json!({"schemaVersion": 1, "cluster": {"availabilityZones": ZONES, "containerInstances": insts}, "taskDefinitions": tds, "services": services});
    load_value(v).plan.expect("bench plan is valid")
}

fn matrix(c: &mut Criterion) {
    let mut g = c.benchmark_group("place");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    for &(instances, tasks) in &[
        (100, 1_000),
        (1_000, 1_000),
        (1_000, 10_000),
        (10_000, 10_000),
        (10_000, 100_000),
        (100, 10_000),
        (1_000, 100_000),
        (100, 100_000),
        (10_000, 1_000),
    ] {
        for chain_name in [
            "binpack-memory",
            "spread-az+binpack-memory",
            "spread-instance",
            "random",
        ] {
            for constraint_name in ["none", "distinct", "memberof"] {
                for mixed in [false, true] {
                    let id = format!(
                        "{instances}i/{tasks}t/{chain_name}/{constraint_name}/{}",
                        if mixed { "mixed" } else { "uniform" }
                    );
                    g.throughput(Throughput::Elements(tasks as u64));
                    // The plan is built only when the benchmark runs (criterion filters by id).
                    g.bench_function(BenchmarkId::from_parameter(id), |b| {
                        let plan = bench_plan(instances, tasks, chain_name, constraint_name, mixed);
                        b.iter(|| place(&plan, &PlaceOptions::default()))
                    });
                }
            }
        }
    }
    g.finish();
}

/// What the board does after a drop, in the engine: the edit, the placement that keeps running
/// tasks, and the diff for the highlights. The plans of the browser measurements (board_perf):
/// m5.2xlarge in three zones, four services.
fn board_edit(c: &mut Criterion) {
    let mut g = c.benchmark_group("board-edit");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    for &(instances, tasks) in &[(200usize, 1_000usize), (1_000, 10_000)] {
        let plan = bench_plan(instances, tasks, "spread-az+binpack-memory", "none", true);
        let opts = PlaceOptions::default();
        let before = place(&plan, &opts);
        let edits = [
            (
                "add-instance",
                Edit::AddInstances {
                    instance_type: "m5.2xlarge".into(),
                    availability_zone: "us-east-1a".into(),
                    count: 1,
                    capacity_provider: None,
                },
            ),
            (
                "move-instance",
                Edit::MoveInstance {
                    id: "i-000003".into(),
                    availability_zone: "us-east-1b".into(),
                },
            ),
        ];
        for (name, e) in edits {
            g.bench_function(format!("{instances}i/{tasks}t/{name}/edit"), |b| {
                b.iter(|| edit::apply(&plan, &e).expect("the edit applies"))
            });
            let next = edit::apply(&plan, &e).expect("the edit applies");
            g.bench_function(format!("{instances}i/{tasks}t/{name}/place-keeping"), |b| {
                b.iter(|| place_keeping(&next, &opts, &before))
            });
            let after = place_keeping(&next, &opts, &before);
            g.bench_function(format!("{instances}i/{tasks}t/{name}/diff"), |b| {
                b.iter(|| diff(&before, &after))
            });
        }
    }
    g.finish();
}

/// The board's drops on the quota plan of issue 14 (5 000 instances, 200 services, 50 000
/// tasks: `testkit::quota`): an instance type added to a zone, an instance drained, an
/// instance moved to another zone. Each step the page runs after a drop: the edit, the
/// placement that keeps running tasks, the diff for the highlights, and the board (built
/// whole, and updated from the board before with `board_after`).
fn board_edit_quota(c: &mut Criterion) {
    let mut g = c.benchmark_group("board-edit");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(3));
    let plan = load_value(testkit::quota::Quota::full().plan())
        .plan
        .expect("the quota plan loads");
    let opts = PlaceOptions::for_plan(&plan);
    let before = place(&plan, &opts);
    let shown = board(&plan, &before);
    let id = plan.cluster.container_instances[7].id.clone();
    let edits = [
        (
            "add",
            Edit::AddInstances {
                instance_type: "m5.large".into(),
                availability_zone: "us-east-1a".into(),
                count: 1,
                capacity_provider: None,
            },
        ),
        (
            "drain",
            Edit::SetDraining {
                id: id.clone(),
                draining: true,
            },
        ),
        (
            "move",
            Edit::MoveInstance {
                id,
                availability_zone: "us-east-1b".into(),
            },
        ),
    ];
    for (name, e) in edits {
        let next = edit::apply(&plan, &e).expect("the edit applies");
        g.bench_function(format!("quota/{name}/edit"), |b| {
            b.iter(|| edit::apply(&plan, &e).expect("the edit applies"))
        });
        g.bench_function(format!("quota/{name}/place-keeping"), |b| {
            b.iter(|| place_keeping(&next, &opts, &before))
        });
        let after = place_keeping(&next, &opts, &before);
        g.bench_function(format!("quota/{name}/diff"), |b| {
            b.iter(|| diff(&before, &after))
        });
        g.bench_function(format!("quota/{name}/board"), |b| {
            b.iter(|| board(&next, &after))
        });
        g.bench_function(format!("quota/{name}/board-after"), |b| {
            b.iter_batched(
                || shown.clone(),
                |old| board_after(&next, &after, old),
                criterion::BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, matrix, board_edit, board_edit_quota);
criterion_main!(benches);
