//! What the board's values weigh with the quota plan (issue 14): the plan, its placement and
//! the board, in bytes allocated, and the time of the board's edit natively; and what a
//! simulated day's timeline weighs (`weigh_the_day`). A measurement
//! for docs/performance.md, never an assertion on a figure: `cargo test -p ecs-planner-engine
//! --test quota_memory -- --ignored --nocapture` (the weights are the same in any profile;
//! `--release` for times that compare with the benches; `QUOTA_SCALE=0.1` for a smaller plan
//! of the same shape).

use engine::api::board::{board, board_after};
use engine::api::edit::{apply, Edit};
use engine::api::placement::{place, place_keeping, PlaceOptions};
use engine::api::plan::load_value;
use engine::api::sim::simulate;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Instant;
use testkit::quota::Quota;

/// The system allocator, counting the bytes in use.
struct Counting;

static IN_USE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        IN_USE.fetch_add(l.size() as isize, Ordering::Relaxed);
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        IN_USE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        IN_USE.fetch_add(new as isize - l.size() as isize, Ordering::Relaxed);
        System.realloc(p, l, new)
    }
}

#[global_allocator]
static A: Counting = Counting;

fn mb(bytes: isize) -> String {
    format!("{:.2} MB", bytes as f64 / 1e6)
}

/// The bytes `make`'s value holds (allocated by it and still in use once it returns).
fn weigh<T>(make: impl FnOnce() -> T) -> (T, isize) {
    let before = IN_USE.load(Ordering::Relaxed);
    let v = make();
    (v, IN_USE.load(Ordering::Relaxed) - before)
}

/// The quota plan, or `QUOTA_SCALE`'s smaller one.
fn quota() -> Quota {
    match std::env::var("QUOTA_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        Some(f) if f > 0.0 && f < 1.0 => Quota::scaled(f),
        _ => Quota::full(),
    }
}

/// The bytes freed by dropping `v`.
fn freed<T>(v: T) -> isize {
    let before = IN_USE.load(Ordering::Relaxed);
    drop(v);
    before - IN_USE.load(Ordering::Relaxed)
}

#[test]
#[ignore = "a measurement: run with --ignored --nocapture"]
fn weigh_the_day() {
    let plan = load_value(quota().plan())
        .plan
        .expect("the quota plan loads");
    let opts = PlaceOptions::for_plan(&plan);
    let t = Instant::now();
    let (mut tl, bytes) = weigh(|| simulate(&plan, 86_400, &opts));
    let secs = t.elapsed().as_secs_f64();
    let (events, lives, minutes) = (tl.events.len(), tl.tasks.len(), tl.minutes.len());
    // Parts dropped one by one: the names the lives share with the events go with the last.
    let events_bytes = freed(std::mem::take(&mut tl.events));
    let minutes_bytes = freed(std::mem::take(&mut tl.minutes));
    let samples_bytes = freed(std::mem::take(&mut tl.services));
    let lives_bytes = freed(std::mem::take(&mut tl.tasks));
    println!(
        "24 h in {secs:.1} s: timeline {} — {events} events {}, {lives} task lives {}, {minutes} minute samples {}, service samples {}, the rest {}",
        mb(bytes),
        mb(events_bytes),
        mb(lives_bytes),
        mb(minutes_bytes),
        mb(samples_bytes),
        mb(freed(tl))
    );
}

#[test]
#[ignore = "a measurement: run with --ignored --nocapture"]
fn weigh_the_quota_plan() {
    let q = quota();
    let plan = load_value(q.plan()).plan.expect("the quota plan loads");
    let opts = PlaceOptions::for_plan(&plan);
    let (copy, plan_bytes) = weigh(|| plan.clone());
    drop(copy);
    let t = Instant::now();
    let (placed, placement_bytes) = weigh(|| place(&plan, &opts));
    let place_ms = t.elapsed().as_secs_f64() * 1e3;
    let (b, board_bytes) = weigh(|| board(&plan, &placed));
    drop(b);
    println!(
        "{} tasks on {} instances: plan {}, placement {} (placed in {place_ms:.0} ms), board {}",
        placed.tasks.len(),
        placed.cluster.nodes.len(),
        mb(plan_bytes),
        mb(placement_bytes),
        mb(board_bytes)
    );
    let id = plan.cluster.container_instances[7].id.clone();
    let edits = [
        Edit::SetDraining {
            id: id.clone(),
            draining: true,
        },
        Edit::AddInstances {
            instance_type: "m5.large".into(),
            availability_zone: "us-east-1a".into(),
            count: 1,
            capacity_provider: None,
        },
        Edit::MoveInstance {
            id,
            availability_zone: "us-east-1b".into(),
        },
    ];
    for e in edits {
        let next = apply(&plan, &e).expect("the edit applies");
        let t = Instant::now();
        let (after, bytes) = weigh(|| place_keeping(&next, &opts, &placed));
        let keep_ms = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        let b = board(&next, &after);
        let board_ms = t.elapsed().as_secs_f64() * 1e3;
        drop(b);
        // The page updates the board it shows: the cards that show the same are kept.
        let shown = board(&plan, &placed);
        let t = Instant::now();
        let (b, _) = board_after(&next, &after, shown);
        let after_ms = t.elapsed().as_secs_f64() * 1e3;
        drop(b);
        println!(
            "{}: place_keeping {keep_ms:.0} ms ({}), board {board_ms:.0} ms, board_after {after_ms:.1} ms",
            e.describe(),
            mb(bytes)
        );
    }
}
