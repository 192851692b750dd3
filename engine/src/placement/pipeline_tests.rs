//! The assembled pipeline: which stages each [`Check`] runs, that an instance retired during a
//! simulation stops at eligibility, and that [`passes`] (with or without the cache) always
//! gives [`feasible`]'s verdict.

use super::*;
use crate::load::load_value;
use crate::placement::tests::{plan, td};
use crate::placement::{place, PlaceOptions, Placement};
use proptest::prelude::*;
use serde_json::json;
use testkit::plans;

/// Four instances: `full` (an m5.large running web-1 and batch-2: no CPU left), `t3` (a
/// t3.medium: room, but not an m5), `drain` (an m5.large running batch-1, set DRAINING),
/// `free` (an empty m5.large). `web` needs 1024 units and 2 GiB, with distinctInstance and
/// memberOf m5.*; `batch` (a RunTask) 1024 units and 512 MiB.
fn placed() -> Placement {
    let mut pl = plan(
        &[
            ("full", "m5.large", "a"),
            ("t3", "t3.medium", "b"),
            ("drain", "m5.large", "c"),
            ("free", "m5.large", "a"),
        ],
        json!([td("web", 1024, 2048), td("batch", 1024, 512)]),
        json!([{"serviceName": "web", "taskDefinition": "web", "desiredCount": 1,
            "placementConstraints": [{"type": "distinctInstance"},
                {"type": "memberOf", "expression": "attribute:ecs.instance-type =~ m5.*"}]}]),
    );
    pl.tasks = load_value(json!({
        "schemaVersion": 1,
        "cluster": {"containerInstances": []},
        "taskDefinitions": [td("batch", 1024, 512)],
        "tasks": [{"taskDefinition": "batch", "count": 2}]
    }))
    .plan
    .unwrap()
    .tasks;
    let mut p = Placement::of_cluster(&pl, &PlaceOptions::default());
    let web = p.add_service(&pl, 0);
    let batch = p.add_run_tasks(&pl).remove(0);
    let node = |id: &str| p.cluster.find(id).unwrap();
    let (full, drain) = (node("full"), node("drain"));
    p.record(web[0], Some(full));
    p.record(batch[0], Some(drain));
    p.record(batch[1], Some(full));
    p.drain_node(drain);
    p
}

#[test]
fn each_check_runs_its_stages() {
    let p = placed();
    let node = |id: &str| p.cluster.find(id).unwrap();
    let task = |id: &str| p.tasks[p.task_index(id).unwrap()].spec;
    let (web, batch) = (task("web-1"), task("batch-1"));
    struct Case {
        name: &'static str,
        spec: SpecIx,
        instance: &'static str,
        check: Check,
        want: Result<(), &'static str>,
    }
    let cases = [
        Case {
            // task-placement.md: resources, then constraints: "full" has 2048 − 1024 − 1024 = 0
            // units left.
            name: "PLACE: resources come before constraints",
            spec: web,
            instance: "full",
            check: Check::PLACE,
            want: Err("cpu: needs 1024 units, 0 free"),
        },
        Case {
            // ecs_services.md, "Daemon": the instance's constraints decide, not its room.
            name: "DAEMON: resources are left out, the constraint decides",
            spec: web,
            instance: "full",
            check: Check::DAEMON,
            want: Err("distinctInstance: already runs web-1"),
        },
        Case {
            name: "PLACE: a t3.medium has room but fails memberOf",
            spec: web,
            instance: "t3",
            check: Check::PLACE,
            want: Err("memberOf: ecs.instance-type is t3.medium, expression wants =~ m5.*"),
        },
        Case {
            name: "ELIGIBLE: the t3.medium may run the service at all",
            spec: web,
            instance: "t3",
            check: Check::ELIGIBLE,
            want: Ok(()),
        },
        Case {
            name: "ELIGIBLE: a DRAINING instance may not",
            spec: web,
            instance: "drain",
            check: Check::ELIGIBLE,
            want: Err("instance is DRAINING: it takes no new tasks"),
        },
        Case {
            name: "AGAIN: eligibility and static memberOf are not asked again",
            spec: web,
            instance: "t3",
            check: Check::AGAIN,
            want: Ok(()),
        },
        Case {
            name: "AGAIN: distinctInstance is (a task of the run may have landed)",
            spec: web,
            instance: "full",
            check: Check::AGAIN,
            want: Err("cpu: needs 1024 units, 0 free"),
        },
        Case {
            // container-instance-draining.md: standalone tasks keep running on a DRAINING
            // instance.
            name: "stay: a standalone task stays on its DRAINING instance",
            spec: batch,
            instance: "drain",
            check: Check::stay(true, false),
            want: Ok(()),
        },
        Case {
            name: "stay: a service task does not",
            spec: web,
            instance: "drain",
            check: Check::stay(false, false),
            want: Err("instance is DRAINING: it takes no new tasks"),
        },
        Case {
            name: "stay: a replica's constraints are not asked again",
            spec: web,
            instance: "t3",
            check: Check::stay(false, false),
            want: Ok(()),
        },
        Case {
            // ecs_services.md, "Daemon": ECS stops daemon tasks that no longer match.
            name: "stay: a daemon's are",
            spec: web,
            instance: "t3",
            check: Check::stay(false, true),
            want: Err("memberOf: ecs.instance-type is t3.medium, expression wants =~ m5.*"),
        },
    ];
    let cx = p.context();
    for c in cases {
        let i = node(c.instance);
        let got = feasible(&cx, c.spec, i, c.check).map_err(|r| r.to_string());
        assert_eq!(got, c.want.map_err(str::to_string), "{}", c.name);
        assert_eq!(passes(&cx, c.spec, i, c.check), got.is_ok(), "{}", c.name);
    }
}

#[test]
fn a_retired_instance_stops_at_eligibility() {
    // An instance terminated during a simulation: DRAINING with its agent gone, so every
    // question that asks eligibility rules it out, with the first reason.
    let mut p = placed();
    let free = p.cluster.find("free").unwrap();
    let web = p.tasks[p.task_index("web-1").unwrap()].spec;
    assert!(passes(&p.context(), web, free, Check::ELIGIBLE));
    p.retire_node(free);
    for check in [
        Check::PLACE,
        Check::DAEMON,
        Check::ELIGIBLE,
        Check::stay(true, false),
    ] {
        assert!(!passes(&p.context(), web, free, check), "{check:?}");
    }
    assert_eq!(
        p.rejection(p.task_index("web-1").unwrap(), free),
        Some(Rejection::Draining)
    );
    assert!(!p.daemon_target(web, free));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn passes_gives_feasibles_verdict_with_or_without_the_cache(plan in plans::plan(), seed in 0u64..1000) {
        let plan = load_value(plan).plan.expect("generated plans load");
        let mut p = place(&plan, &PlaceOptions { seed });
        for spec in SpecIx::all(p.specs.len()) {
            p.prepare_verdicts(spec);
        }
        let checks = [
            Check::PLACE,
            Check::DAEMON,
            Check::AGAIN,
            Check::ELIGIBLE,
            Check::stay(false, false),
            Check::stay(true, false),
            Check::stay(false, true),
        ];
        let cx = p.context();
        let cached = p.context().with_verdicts(&p.static_verdicts);
        for spec in SpecIx::all(p.specs.len()) {
            for node in p.cluster.instances() {
                for check in checks {
                    let verdict = feasible(&cx, spec, node, check).is_ok();
                    prop_assert_eq!(passes(&cx, spec, node, check), verdict);
                    prop_assert_eq!(passes(&cached, spec, node, check), verdict);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// `may_fit` (resources without reasons, the static `memberOf` verdicts looked up once) is
    /// its plain statement: the resources check passes and no cached verdict of the spec's
    /// constraints says no; and an instance it rules out fails `passes` as the index assumes.
    #[test]
    fn may_fit_is_resources_and_cached_verdicts(plan in plans::plan(), seed in 0u64..1000) {
        let plan = load_value(plan).plan.expect("generated plans load");
        let mut p = place(&plan, &PlaceOptions { seed });
        for spec in SpecIx::all(p.specs.len()) {
            p.prepare_verdicts(spec);
        }
        let cx = p.context().with_verdicts(&p.static_verdicts);
        for spec in SpecIx::all(p.specs.len()) {
            let member_of = static_member_of(&cx, spec);
            let s = &p.specs[spec];
            for node in p.cluster.instances() {
                let (n, used) = (&p.cluster.nodes[node], &p.state.usage[node]);
                let plain = super::resources::check(n, used, &s.demand).is_ok()
                    && (0..s.constraints.len()).all(|k| {
                        s.constraints[k].is_dynamic()
                            || cx.cached(spec, k, node) != Some(false)
                    });
                let fast = may_fit(&cx, spec, node, &member_of);
                prop_assert_eq!(fast, plain, "spec {} on {}", spec, node);
                if !fast {
                    prop_assert!(!passes(&cx, spec, node, Check::PLACE_ON_ELIGIBLE));
                }
            }
        }
    }
}
