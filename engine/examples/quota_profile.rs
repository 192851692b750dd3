//! Places the quota plan (`testkit::quota`), for profiling (`valgrind --tool=callgrind`, `perf
//! record`); not a benchmark. `quota_profile [place|whatif|none] [SCALE] [TIMES]`: `none`
//! generates and loads the plan only, so its cost can be subtracted from the others'.
use engine::api::placement::whatif::{what_if, Change};
use engine::api::placement::{place, PlaceOptions};
use engine::api::plan::load_value;
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
    let start = std::time::Instant::now();
    for _ in 0..times {
        match what.as_str() {
            "place" => {
                std::hint::black_box(place(&plan, &opts));
            }
            "whatif" => {
                let lose = Change::LoseZone("us-east-1a".into());
                std::hint::black_box(what_if(&plan, &opts, &lose).expect("the zone exists"));
            }
            _ => {}
        }
    }
    println!(
        "{what}: {:.1} ms each",
        start.elapsed().as_secs_f64() * 1000.0 / times.max(1) as f64
    );
}
