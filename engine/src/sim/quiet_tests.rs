//! Skipping quiet services ([`super::quiet`]) is an optimisation of the scheduler's pass over
//! every service: simulations run with and without it record the same timeline, on the sample
//! plans, on small quota plans (auto scaling, capacity providers, daemons, Fargate), on random
//! plans, and through a forced deployment.

use super::*;
use crate::load::load_value;
use crate::placement::PlaceOptions;
use crate::plan::Plan;
use proptest::prelude::*;
use testkit::plans;
use testkit::quota::Quota;

impl Sim<'_> {
    /// Every pass over every service, as before the skipping.
    fn every_pass(mut self) -> Self {
        self.skip_quiet = false;
        self.quiet.iter_mut().for_each(|q| *q = None);
        self
    }
}

/// The timeline of `secs` seconds of `plan` (as `simulate`), skipping quiet services or not.
fn over_time(plan: &Plan, secs: u32, skip: bool) -> serde_json::Value {
    let mut sim = Sim::over_time(plan, secs, &PlaceOptions::for_plan(plan));
    if !skip {
        sim = sim.every_pass();
    }
    sim.run_until(secs);
    serde_json::to_value(sim.finish(secs)).expect("the timeline serialises")
}

/// A forced new deployment of the first replica service, then an hour.
fn deployment(plan: &Plan, skip: bool) -> Option<serde_json::Value> {
    let mut sim = Sim::steady(plan, &PlaceOptions::for_plan(plan));
    if !skip {
        sim = sim.every_pass();
    }
    let s = (0..plan.services.len()).find(|&s| !sim.world.services[s].daemon)?;
    let td = sim.services[s].deployments.last()?.task_definition.clone();
    sim.start_deployment(s, &td, None);
    sim.run_until(3600);
    Some(serde_json::to_value(sim.finish(3600)).expect("the timeline serialises"))
}

use crate::load::sample;

#[test]
fn skipping_quiet_services_changes_no_sample_plan_timeline() {
    for name in [
        "two-az-web.json",
        "fargate-spot.json",
        "mixed-memberof.json",
    ] {
        let p = sample(name);
        assert_eq!(
            over_time(&p, 86_400, true),
            over_time(&p, 86_400, false),
            "{name}"
        );
        assert_eq!(deployment(&p, true), deployment(&p, false), "{name}");
    }
}

#[test]
fn skipping_quiet_services_changes_no_quota_plan_timeline() {
    for (scale, seed) in [(0.01, 14), (0.02, 3), (0.03, 7)] {
        let q = Quota::scaled(scale).seed(seed);
        let p = load_value(q.plan()).plan.expect("the quota plan loads");
        assert_eq!(
            over_time(&p, 86_400, true),
            over_time(&p, 86_400, false),
            "scale {scale} seed {seed}"
        );
        assert_eq!(
            deployment(&p, true),
            deployment(&p, false),
            "scale {scale} seed {seed}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn skipping_quiet_services_changes_no_random_timeline(plan in plans::plan()) {
        let plan = load_value(plan).plan.expect("generated plans load");
        prop_assert_eq!(over_time(&plan, 7_200, true), over_time(&plan, 7_200, false));
        prop_assert_eq!(deployment(&plan, true), deployment(&plan, false));
    }
}

/// The tasks in PROVISIONING the world keeps (`World::provisioning_tasks`) are the live tasks
/// in that state, in the same order, at every minute of a quota plan's day (launches wait for
/// instances there) and of random plans.
fn provisioning_index_agrees(plan: &Plan, secs: u32) -> Result<(), TestCaseError> {
    let mut sim = Sim::over_time(plan, secs, &PlaceOptions::for_plan(plan));
    let mut at = 0;
    while at < secs {
        at += 60;
        sim.run_until(at);
        let w = &sim.world;
        let indexed: Vec<u32> = w.provisioning_tasks().map(|t| t.life as u32).collect();
        let scanned: Vec<u32> = w
            .live_task_ids()
            .into_iter()
            .filter(|&t| w.task(t).state == world::TaskState::Provisioning)
            .map(|t| w.task(t).life as u32)
            .collect();
        prop_assert_eq!(indexed, scanned, "second {}", at);
    }
    Ok(())
}

#[test]
fn the_provisioning_index_is_the_scan_on_a_quota_plan() {
    let q = Quota::scaled(0.02).seed(3);
    let p = load_value(q.plan()).plan.expect("the quota plan loads");
    provisioning_index_agrees(&p, 6 * 3600).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn the_provisioning_index_is_the_scan(plan in plans::plan()) {
        let plan = load_value(plan).plan.expect("generated plans load");
        provisioning_index_agrees(&plan, 3_600)?;
    }
}

/// The timeline of `secs` seconds of `plan` with `change` applied to the simulation first.
fn over_time_with(plan: &Plan, secs: u32, change: fn(&mut Sim)) -> serde_json::Value {
    let mut sim = Sim::over_time(plan, secs, &PlaceOptions::for_plan(plan));
    change(&mut sim);
    sim.run_until(secs);
    serde_json::to_value(sim.finish(secs)).expect("the timeline serialises")
}

fn no_daemon_skipping(sim: &mut Sim) {
    sim.skip_quiet_daemons = false;
}

fn counted_from_tasks(sim: &mut Sim) {
    sim.incremental = false;
}

fn unchanged(_: &mut Sim) {}

fn feasible_not_kept(sim: &mut Sim) {
    sim.world.placement.keep_no_feasible();
}

/// Each spec's feasible instances and local keys are kept between the scheduler's placements
/// (`placement/feasible.rs`) and computed again only for the instances that changed: days of
/// quota plans (tasks launched and stopped by scaling, deployments and rebalancing, instances
/// launched, drained and terminated by capacity providers) record the same timeline as when
/// every placement finds them afresh, and so does a forced deployment.
#[test]
fn keeping_feasible_instances_changes_no_quota_plan_timeline() {
    for (scale, seed) in [(0.02, 3), (0.05, 11)] {
        let q = Quota::scaled(scale).seed(seed);
        let p = load_value(q.plan()).plan.expect("the quota plan loads");
        assert_eq!(
            over_time_with(&p, 86_400, unchanged),
            over_time_with(&p, 86_400, feasible_not_kept),
            "scale {scale} seed {seed}"
        );
    }
    let q = Quota::scaled(0.02).seed(3);
    let p = load_value(q.plan()).plan.expect("the quota plan loads");
    let opts = PlaceOptions::for_plan(&p);
    for name in ["big-0", "daemon-0"] {
        let run = |keep: bool| {
            let mut sim = Sim::steady(&p, &opts);
            if !keep {
                feasible_not_kept(&mut sim);
            }
            let s = (0..p.services.len()).find(|&s| sim.world.services[s].name == name)?;
            let td = sim.services[s].deployments.last()?.task_definition.clone();
            sim.start_deployment(s, &td, None);
            sim.run_until(3_600);
            Some(serde_json::to_value(sim.finish(3_600)).expect("the timeline serialises"))
        };
        let kept = run(true);
        assert!(kept.is_some(), "{name}: no deployment");
        assert_eq!(kept, run(false), "{name}");
    }
}

/// Quiet daemons are skipped: on quota plans (two daemons on every instance, capacity
/// providers launching and draining instances over the day) the timeline is the same with and
/// without skipping them, and some daemon was quiet at the end (the skip was exercised).
#[test]
fn skipping_quiet_daemons_changes_no_quota_plan_timeline() {
    for (scale, seed) in [(0.01, 14), (0.02, 3)] {
        let q = Quota::scaled(scale).seed(seed);
        let p = load_value(q.plan()).plan.expect("the quota plan loads");
        assert_eq!(
            over_time_with(&p, 86_400, unchanged),
            over_time_with(&p, 86_400, no_daemon_skipping),
            "scale {scale} seed {seed}"
        );
        let mut sim = Sim::over_time(&p, 86_400, &PlaceOptions::for_plan(&p));
        sim.run_until(86_400);
        let quiet_daemons = (0..sim.services.len())
            .filter(|&s| sim.world.services[s].daemon && sim.quiet[s].is_some())
            .count();
        assert!(
            quiet_daemons > 0,
            "scale {scale} seed {seed}: no daemon quiet"
        );
    }
}

/// The minute's utilisation (RUNNING task-seconds kept as tasks change) and its counts (kept
/// while a service's tasks do not change) are what counting every task each minute gives: on
/// quota plans with a daily workload and target tracking, and on random plans.
#[test]
fn counting_as_tasks_change_changes_no_quota_plan_timeline() {
    for (scale, seed) in [(0.01, 14), (0.03, 7)] {
        let q = Quota::scaled(scale).seed(seed);
        let p = load_value(q.plan()).plan.expect("the quota plan loads");
        let kept = over_time_with(&p, 86_400, unchanged);
        let minutes = kept["minutes"].as_array().expect("minute samples");
        assert!(
            minutes.iter().any(|m| m["services"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["cpu"].as_f64() > Some(0.0))),
            "scale {scale} seed {seed}: no utilisation to compare"
        );
        assert_eq!(
            kept,
            over_time_with(&p, 86_400, counted_from_tasks),
            "scale {scale} seed {seed}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn skipping_daemons_and_counting_as_tasks_change_change_no_random_timeline(plan in plans::plan()) {
        let plan = load_value(plan).plan.expect("generated plans load");
        let kept = over_time_with(&plan, 7_200, unchanged);
        prop_assert_eq!(&kept, &over_time_with(&plan, 7_200, no_daemon_skipping));
        prop_assert_eq!(&kept, &over_time_with(&plan, 7_200, counted_from_tasks));
        prop_assert_eq!(&kept, &over_time_with(&plan, 7_200, feasible_not_kept));
    }
}

/// A deployment from the placement made beforehand (`deploy_from`, what the benchmark of the
/// deployment measures) is the deployment `deploy` simulates from the plan.
#[test]
fn a_deployment_from_the_placement_is_the_deployment_from_the_plan() {
    let q = Quota::scaled(0.02).seed(3);
    let p = load_value(q.plan()).plan.expect("the quota plan loads");
    let opts = PlaceOptions::for_plan(&p);
    for name in ["big-0", "big-1", "svc-000", "daemon-0"] {
        if !p.services.iter().any(|s| s.service_name == name) {
            continue;
        }
        let req = DeployRequest::new(name, None);
        let a = deploy(&p, &req, &opts).expect("the deployment runs");
        let b = deploy_from(&p, crate::placement::place(&p, &opts), &req).expect("it runs");
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            serde_json::to_value(&b).unwrap(),
            "{name}"
        );
        assert!(!a.events.is_empty(), "{name}: the deployment did something");
    }
}

/// `may_move` reads the placement's cache of eligible instances and static verdicts
/// (`placement/rebalance.rs`): days of quota plans (zones unbalanced by scaling and by
/// capacity providers' instances) record the same timeline with the scan.
#[test]
fn may_moves_cache_changes_no_quota_plan_timeline() {
    rebalancing_days_agree("the check", |r, scan| r.scan = scan);
}

/// AZ rebalancing's trial runs on the placement and is undone (`Placement::undone`), not on a
/// copy: days of quota plans (zones unbalanced by scaling and by capacity providers'
/// instances) record the same timeline either way, and rebalancings started (the trial ran).
#[test]
fn the_rebalancing_trial_undone_changes_no_quota_plan_timeline() {
    rebalancing_days_agree("the trial", |r, copy| r.copy = copy);
}

/// Days of two quota plans record the same timeline whether `set` switches the rebalancing's
/// plain path on or off, and rebalancing started in them (else `what` was not exercised).
fn rebalancing_days_agree(what: &str, set: impl Fn(&mut super::rebalance::Rebalancing, bool)) {
    let day = |p: &Plan, plain: bool| {
        let mut sim = Sim::over_time(p, 86_400, &PlaceOptions::for_plan(p));
        sim.rebalancing.iter_mut().for_each(|r| set(r, plain));
        sim.run_until(86_400);
        let tl = sim.finish(86_400);
        let started = tl
            .events
            .iter()
            .filter(|e| e.kind == crate::sim::EventKind::RebalancingStarted)
            .count();
        (
            serde_json::to_value(tl).expect("the timeline serialises"),
            started,
        )
    };
    let mut started = 0;
    for (scale, seed) in [(0.02, 3), (0.05, 11)] {
        let q = Quota::scaled(scale).seed(seed);
        let p = load_value(q.plan()).plan.expect("the quota plan loads");
        let (fast, n) = day(&p, false);
        assert_eq!(fast, day(&p, true).0, "scale {scale} seed {seed}");
        started += n;
    }
    assert!(
        started > 0,
        "no rebalancing started: {what} was not exercised"
    );
}
