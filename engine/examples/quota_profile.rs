//! Places the quota plan (`testkit::quota`), for profiling (`valgrind --tool=callgrind`, `perf
//! record`); not a benchmark. `quota_profile [place|whatif|deploy|day|ran|none] [SCALE]
//! [TIMES]`: `none` generates and loads the plan only, so its cost can be subtracted from the
//! others'; `deploy` times the rolling deployment of `big-0` alone (`deploy_from`, issue 14's
//! budget), each from a copy of the plan's placement made outside the timing; `day` times 24
//! hours of the plan (`simulate`, what `ecsplan simulate --duration 86400` computes before its
//! output: issue 14's 24 h budget) and `ran` the page's day (`Ran::day`, as the engine worker
//! runs it, cost points included), each from the loaded plan.
use engine::api::placement::whatif::{what_if, Change};
use engine::api::placement::{place, PlaceOptions};
use engine::api::plan::load_value;
use engine::api::sim::{deploy_from, simulate, DeployRequest, Ran};
use testkit::quota::Quota;

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "place".into());
    let scale: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let times: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let q = if scale < 1.0 {
        Quota::scaled(scale)
    } else {
        Quota::full()
    };
    let plan = load_value(q.plan()).plan.expect("the quota plan loads");
    let opts = PlaceOptions::for_plan(&plan);
    if what == "deploy" {
        let placed = place(&plan, &opts);
        let req = DeployRequest::new("big-0", None);
        let (mut spent, mut cpu) = (std::time::Duration::ZERO, 0u64);
        for _ in 0..times {
            let copy = placed.clone();
            let (start, cpu0) = (std::time::Instant::now(), cpu_ns());
            std::hint::black_box(deploy_from(&plan, copy, &req).expect("the deployment runs"));
            spent += start.elapsed();
            cpu += cpu_ns().saturating_sub(cpu0);
        }
        let n = times.max(1) as f64;
        println!(
            "deploy: {:.1} ms each, {:.1} ms CPU each",
            spent.as_secs_f64() * 1000.0 / n,
            cpu as f64 / 1e6 / n
        );
        return;
    }
    let (start, cpu0) = (std::time::Instant::now(), cpu_ns());
    for _ in 0..times {
        match what.as_str() {
            "place" => {
                std::hint::black_box(place(&plan, &opts));
            }
            "whatif" => {
                let lose = Change::LoseZone("us-east-1a".into());
                std::hint::black_box(what_if(&plan, &opts, &lose).expect("the zone exists"));
            }
            "day" => {
                std::hint::black_box(simulate(&plan, 86_400, &opts));
            }
            "ran" => {
                std::hint::black_box(Ran::day(&plan, 24, |_, _| {}));
            }
            _ => {}
        }
    }
    let n = times.max(1) as f64;
    println!(
        "{what}: {:.1} ms each, {:.1} ms CPU each",
        start.elapsed().as_secs_f64() * 1000.0 / n,
        cpu_ns().saturating_sub(cpu0) as f64 / 1e6 / n
    );
}

/// The process's time on a CPU so far, in nanoseconds (Linux's `/proc/self/schedstat`; 0
/// elsewhere): on a shared machine the elapsed time includes the waits for a core.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
