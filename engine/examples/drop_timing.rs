//! Where a board drop's time goes with the quota plan (issue 14), for development: each step the
//! page runs after a drop (the edit, the undo history's delta, `place_keeping`, `board_after`,
//! the diff for the highlights), timed natively. `cargo run --profile bench --example
//! drop_timing -p ecs-planner-engine` (`QUOTA_SCALE=0.3` for a smaller plan of the same shape,
//! `ROUNDS=n` for more rounds, `ONLY=place-keeping` to run one step, e.g. under callgrind).
//! The criterion group `board-edit/quota` is the reference.

use engine::api::board::{board, board_after};
use engine::api::edit::{apply, Edit, PlanDelta};
use engine::api::placement::{diff::diff, place, place_keeping, PlaceOptions};
use engine::api::plan::load_value;
use testkit::quota::Quota;

/// This thread's CPU time in ms (`/proc/thread-self/schedstat`: the machine is shared, wall
/// time is not comparable), wall time where that file is missing.
fn cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map(|ns| ns / 1e6)
        .unwrap_or_else(|| {
            static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
            START
                .get_or_init(std::time::Instant::now)
                .elapsed()
                .as_secs_f64()
                * 1e3
        })
}

fn main() {
    let q = match std::env::var("QUOTA_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        Some(f) if f > 0.0 && f < 1.0 => Quota::scaled(f),
        _ => Quota::full(),
    };
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let only = std::env::var("ONLY").ok();
    let run = |step: &str| only.as_deref().is_none_or(|o| o == step);
    let plan = load_value(q.plan()).plan.expect("the quota plan loads");
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
    // Each step's CPU time summed over the rounds, per edit; the mean is printed.
    for (name, e) in &edits {
        let mut sums = [0f64; 6];
        let mut changes = 0;
        for _ in 0..rounds {
            let t = cpu();
            let next = apply(&plan, e).expect("the edit applies");
            sums[0] += cpu() - t;
            if run("delta") {
                let t = cpu();
                drop(PlanDelta::between(&plan, &next));
                sums[1] += cpu() - t;
            }
            let t = cpu();
            let after = place_keeping(&next, &opts, &before);
            sums[2] += cpu() - t;
            if run("board-after") {
                let old = shown.clone();
                let t = cpu();
                let (b, _) = board_after(&next, &after, old);
                sums[3] += cpu() - t;
                drop(b);
            }
            if run("diff") {
                let t = cpu();
                changes = diff(&before, &after).len();
                sums[4] += cpu() - t;
            }
            let t = cpu();
            drop(after);
            sums[5] += cpu() - t;
        }
        let m = |k: usize| sums[k] / rounds as f64;
        println!(
            "{name:>6} (mean of {rounds}, ms CPU): edit {:.1}, delta {:.1}, place-keeping {:.1}, \
             board-after {:.1}, diff {:.1} ({changes} changes), drop the placement {:.1}; \
             sum {:.1}",
            m(0),
            m(1),
            m(2),
            m(3),
            m(4),
            m(5),
            (0..6).map(m).sum::<f64>()
        );
    }
}
