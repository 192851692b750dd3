//! Where a review's time goes, step by step, on the benchmark's plan (`cargo run --release
//! --example review_timing -p ecs-planner-engine [INSTANCES TASKS]`).

use engine::api::placement::{place, whatif, PlaceOptions};
use engine::api::plan::load_value;
use engine::api::review::{review, ReviewOptions};
use engine::api::sim::{deploy, simulate, DeployRequest};
use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let (n, t) = (
        *args.first().unwrap_or(&1000),
        *args.get(1).unwrap_or(&10_000),
    );
    let mut v = testkit::plans::review_plan(n, t);
    if std::env::var_os("FLAT").is_some() {
        v.as_object_mut().map(|o| o.remove("workload"));
    }
    let l = load_value(v);
    let plan = l.plan.clone().expect("loads");
    let o = PlaceOptions::for_plan(&plan);
    // CPU time of this thread (Linux: /proc/thread-self/schedstat), less sensitive than the
    // wall clock to other work on a shared machine.
    let cpu = || -> f64 {
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
            .map_or(0.0, |ns| ns / 1e6)
    };
    let time = |what: &str, f: &mut dyn FnMut()| {
        let (s, c) = (Instant::now(), cpu());
        f();
        println!(
            "{what:<40} {:>8.1} ms wall {:>8.1} ms cpu",
            s.elapsed().as_secs_f64() * 1000.0,
            cpu() - c
        );
    };
    time("place", &mut || drop(place(&plan, &o)));
    time("fit svc0", &mut || drop(whatif::fit(&plan, &o, "svc0")));
    time("min instances m5.2xlarge", &mut || {
        drop(whatif::min_instances(&plan, &o, "m5.2xlarge"))
    });
    time("lose us-east-1a (3 reasons per service)", &mut || {
        drop(whatif::what_if_with_reasons(
            &plan,
            &o,
            &whatif::Change::LoseZone("us-east-1a".into()),
            3,
        ))
    });
    time("remove i-000000", &mut || {
        drop(whatif::what_if(
            &plan,
            &o,
            &whatif::Change::Remove(vec!["i-000000".into()]),
        ))
    });
    time("deploy svc0", &mut || {
        drop(deploy(&plan, &DeployRequest::new("svc0", None), &o))
    });
    time("deploy svc1", &mut || {
        drop(deploy(&plan, &DeployRequest::new("svc1", None), &o))
    });
    time("simulate a day", &mut || drop(simulate(&plan, 86_400, &o)));
    let tl = simulate(&plan, 86_400, &o);
    let mut kinds: std::collections::BTreeMap<&str, usize> = Default::default();
    for e in &tl.events {
        *kinds.entry(e.kind.code()).or_default() += 1;
    }
    println!(
        "{} events, {} task lives: {kinds:?}",
        tl.events.len(),
        tl.tasks.len()
    );
    time("review", &mut || {
        drop(review(&l, &ReviewOptions::default()))
    });
}
