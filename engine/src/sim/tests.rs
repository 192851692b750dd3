//! Rolling deployments against the worked examples of `deployment-type-ecs.md` and the
//! circuit breaker of `deployment-circuit-breaker.md`.

use super::*;
use crate::load::load_value;
use crate::placement::PlaceOptions;
use crate::plan::Plan;
use serde_json::{json, Value};

fn plan(
    desired: u32,
    min: u32,
    max: u32,
    extra_service: Value,
    port: Option<u32>,
    instances: usize,
) -> Plan {
    let insts: Vec<Value> = (0..instances)
        .map(|i| json!({"id": format!("i-{i}"), "instanceType": "m5.xlarge", "availabilityZone": if i % 2 == 0 { "us-east-1a" } else { "us-east-1b" }}))
        .collect();
    let mut c = json!({"name": "web", "image": "web:1", "cpu": 256, "memory": 512});
    if let Some(p) = port {
        c["portMappings"] = json!([{"containerPort": 80, "hostPort": p}]);
    }
    let mut c2 = c.clone();
    c2["image"] = json!("web:2");
    let mut svc = json!({"serviceName": "web", "taskDefinition": "web:1", "desiredCount": desired,
        "deploymentConfiguration": {"minimumHealthyPercent": min, "maximumPercent": max}});
    if let Value::Object(m) = extra_service {
        for (k, v) in m {
            if k == "deploymentConfiguration" {
                for (k2, v2) in v.as_object().unwrap() {
                    svc["deploymentConfiguration"][k2] = v2.clone();
                }
            } else {
                svc[k] = v;
            }
        }
    }
    let l = load_value(json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": insts},
        "taskDefinitions": [
            {"family": "web", "containerDefinitions": [c]},
            {"family": "web", "containerDefinitions": [c2]}
        ],
        "services": [svc]
    }));
    assert!(!l.has_errors(), "{:#?}", l.findings);
    l.plan.unwrap()
}

fn run(plan: &Plan, to: &str) -> DeployResult {
    deploy(
        plan,
        &DeployRequest::new("web", Some(to)),
        &PlaceOptions::default(),
    )
    .unwrap()
}

fn totals(r: &DeployResult) -> Vec<(u32, u32, u32)> {
    // (t, healthy, active) over the whole service
    r.samples
        .iter()
        .map(|s| {
            (
                s.t,
                s.old.running + s.new.running,
                s.old.active + s.new.active,
            )
        })
        .collect()
}

#[test]
fn desired_4_at_50_100_stops_two_then_starts_two() {
    // deployment-type-ecs.md: minimum healthy 50% of 4 lets the scheduler stop 2 tasks before
    // starting 2 new ones; maximum 100% never allows more than 4.
    let r = run(&plan(4, 50, 100, json!({}), None, 4), "web:2");
    assert_eq!(r.outcome, DeployOutcome::Completed, "{}", r.reason);
    for (t, healthy, active) in totals(&r) {
        assert!(active <= 4, "t={t}: {active} tasks over the 100% ceiling");
        assert!(
            healthy >= 2,
            "t={t}: {healthy} healthy, below ceil(4 × 50%) = 2"
        );
    }
    // the first thing that happens is two old tasks stopping: old active drops to 2 before any new task
    let first_new = r.samples.iter().find(|s| s.new.active > 0).unwrap();
    assert_eq!(first_new.old.active, 2);
    assert_eq!(first_new.new.active, 2);
    let last = r.samples.last().unwrap();
    assert_eq!((last.new.running, last.old.active), (4, 0));
}

#[test]
fn desired_4_at_100_150_starts_two_first() {
    // deployment-type-ecs.md: max 150% of 4 = 6 tasks, min 100% = 4 healthy.
    let r = run(&plan(4, 100, 150, json!({}), None, 4), "web:2");
    assert_eq!(r.outcome, DeployOutcome::Completed, "{}", r.reason);
    for (t, healthy, active) in totals(&r) {
        assert!(active <= 6, "t={t}: {active} > 6");
        assert!(healthy >= 4, "t={t}: {healthy} < 4");
    }
    let first_new = r.samples.iter().find(|s| s.new.active > 0).unwrap();
    assert_eq!((first_new.old.active, first_new.new.active), (4, 2));
}

#[test]
fn desired_3_at_50_150_stops_one_and_starts_two_at_once() {
    // deployment-type-ecs.md: the floor is ceil(3 × 50%) = 2 healthy, the ceiling floor(3 ×
    // 150%) = 4 tasks. The ceiling leaves room for one new task; the floor lets one old task
    // stop, which makes room for a second: both happen in the deployment's first step, not one
    // scheduler pass apart.
    let r = run(&plan(3, 50, 150, json!({}), None, 4), "web:2");
    assert_eq!(r.outcome, DeployOutcome::Completed, "{}", r.reason);
    for (t, healthy, active) in totals(&r) {
        assert!(active <= 4, "t={t}: {active} > 4");
        assert!(healthy >= 2, "t={t}: {healthy} < 2");
    }
    let first = r.samples.iter().find(|s| s.new.active > 0).unwrap();
    assert_eq!((first.t, first.old.active, first.new.active), (0, 2, 2));
}

#[test]
fn desired_4_at_50_200_starts_four_and_stops_two_at_once() {
    // deployment-type-ecs.md: the floor is ceil(4 × 50%) = 2 healthy ("can stop two existing
    // tasks before starting two new tasks"), the ceiling floor(4 × 200%) = 8 ("can start four
    // new tasks before stopping four existing tasks"). Both bounds allow their step at once:
    // the four new tasks start and two old ones stop in the deployment's first pass, not one
    // scheduler pass apart.
    let r = run(&plan(4, 50, 200, json!({}), None, 4), "web:2");
    assert_eq!(r.outcome, DeployOutcome::Completed, "{}", r.reason);
    for (t, healthy, active) in totals(&r) {
        assert!(active <= 8, "t={t}: {active} > 8");
        assert!(healthy >= 2, "t={t}: {healthy} < 2");
    }
    let first = r.samples.iter().find(|s| s.new.active > 0).unwrap();
    assert_eq!((first.t, first.old.active, first.new.active), (0, 2, 4));
}

#[test]
fn defaults_100_200_start_all_new_tasks_at_once() {
    // deployment-type-ecs.md: maximum 200% of 4 = start 4 new before stopping 4.
    let r = run(&plan(4, 100, 200, json!({}), None, 4), "web:2");
    assert_eq!(r.outcome, DeployOutcome::Completed);
    let first_new = r.samples.iter().find(|s| s.new.active > 0).unwrap();
    assert_eq!((first_new.old.active, first_new.new.active), (4, 4));
    assert!(totals(&r).iter().all(|(_, h, a)| *h >= 4 && *a <= 8));
}

#[test]
fn zero_minimum_means_downtime() {
    let r = run(&plan(4, 0, 100, json!({}), None, 4), "web:2");
    assert_eq!(r.outcome, DeployOutcome::Completed);
    assert!(
        totals(&r).iter().any(|(_, h, _)| *h == 0),
        "all old tasks stop before new ones are healthy"
    );
}

#[test]
fn desired_2_at_75_100_is_stuck_by_configuration() {
    // deployment-type-ecs.md: min 75% of 2 rounds up to 2, so nothing can stop; max 100% lets
    // nothing start.
    let r = run(&plan(2, 75, 100, json!({}), None, 4), "web:2");
    assert_eq!(r.outcome, DeployOutcome::Stuck);
    assert!(r.reason.contains("unable to stop or start tasks during a deployment because of the service deployment configuration"), "{}", r.reason);
    assert!(
        r.reason
            .contains("minimumHealthyPercent 75% keeps 2 healthy"),
        "{}",
        r.reason
    );
}

#[test]
fn desired_3_at_100_125_cannot_start() {
    // deployment-type-ecs.md: max 125% of 3 rounds down to 3.
    let r = run(&plan(3, 100, 125, json!({}), None, 4), "web:2");
    assert_eq!(r.outcome, DeployOutcome::Stuck);
}

#[test]
fn a_static_host_port_blocks_new_tasks_unless_old_ones_may_stop() {
    // A static host port allows one task per instance: with 4 tasks on 4 instances and
    // min 100%, the new tasks have nowhere to go.
    let stuck = run(&plan(4, 100, 200, json!({}), Some(80), 4), "web:2");
    assert_eq!(stuck.outcome, DeployOutcome::Stuck);
    assert!(
        stuck.reason.contains("port 80/tcp already bound by web-"),
        "{}",
        stuck.reason
    );
    // With min 50% the scheduler stops two old tasks, which frees their ports.
    let ok = run(&plan(4, 50, 200, json!({}), Some(80), 4), "web:2");
    assert_eq!(ok.outcome, DeployOutcome::Completed, "{}", ok.reason);
}

#[test]
fn the_circuit_breaker_rolls_back_a_bad_image() {
    // deployment-circuit-breaker.md: tasks that never reach RUNNING count as failures; at the
    // threshold (desired 4 → max(ceil(2), 3) = 3) the deployment FAILS and rolls back.
    let p = failing(
        plan(4, 100, 200, breaker(json!({})), None, 4),
        web2_fails("IMAGE_PULL"),
    );
    let r = run(&p, "web:2");
    assert_eq!(r.outcome, DeployOutcome::RolledBack, "{}", r.reason);
    assert!(r.reason.contains("threshold is 3"), "{}", r.reason);
    assert!(r.events.iter().any(|e| e.kind.code() == "rollback-started"));
    // the old tasks were never stopped: min 100% held throughout
    assert!(totals(&r).iter().all(|(_, h, _)| *h >= 4));
}

#[test]
fn a_failed_rollback_is_not_rolled_back_again() {
    // The service runs the failing revision already (a bare family resolves to the latest): a
    // forced deployment of it fails, the rollback returns to the same revision and fails too.
    // deployment-circuit-breaker.md says ECS rolls back "to the last working state"; it does not
    // say what happens when that fails. The planner stops there, once, with the reason.
    let mut on_web2 = breaker(json!({}));
    on_web2["taskDefinition"] = json!("web:2");
    let p = failing(
        plan(4, 100, 200, on_web2, None, 4),
        web2_fails("IMAGE_PULL"),
    );
    let r = run(&p, "web:2");
    assert_eq!(r.outcome, DeployOutcome::Stuck, "{}", r.reason);
    assert!(r.reason.contains("FAILED too"), "{}", r.reason);
    let rollbacks = r
        .events
        .iter()
        .filter(|e| e.kind.code() == "rollback-started")
        .count();
    assert_eq!(rollbacks, 1);
    assert!(r.duration_seconds < 3600, "{}", r.duration_seconds);
}

#[test]
fn without_rollback_a_failed_deployment_is_stuck() {
    let p = failing(
        plan(4, 100, 200, breaker(json!({"rollback": false})), None, 4),
        web2_fails("HEALTH_CHECK"),
    );
    let r = run(&p, "web:2");
    assert_eq!(r.outcome, DeployOutcome::Stuck);
    assert!(
        r.reason.contains("FAILED and rollback is off"),
        "{}",
        r.reason
    );
}

#[test]
fn without_a_circuit_breaker_failing_tasks_retry_until_the_limit() {
    let p = failing(
        plan(2, 100, 200, json!({}), None, 2),
        web2_fails("IMAGE_PULL"),
    );
    let mut req = DeployRequest::new("web", Some("web:2"));
    req.max_seconds = 3600;
    let r = deploy(&p, &req, &PlaceOptions::default()).unwrap();
    assert_eq!(r.outcome, DeployOutcome::Stuck);
    assert!(
        r.reason.contains("keep failing") && r.reason.contains("circuit breaker is off"),
        "{}",
        r.reason
    );
}

#[test]
fn tasks_that_fail_after_reaching_running_dont_trigger_the_launch_throttle() {
    // ecs-semantics.md §3.6 (`service-throttle-logic`): tasks that go from PENDING to STOPPED
    // without reaching RUNNING make the scheduler wait longer and longer between launches;
    // "tasks that fail after reaching RUNNING don't trigger the throttle". No circuit breaker,
    // one task of web:2 at a time (maximumPercent 125): the gaps between its launches grow
    // when its image does not pull, and stay the same when it runs and then fails its health
    // checks.
    let gaps = |failure: &str| {
        let p = failing(
            plan(4, 100, 125, json!({}), None, 4),
            json!([{"taskDefinition": "web:2", "failure": failure}]),
        );
        let mut sim = Sim::steady(&p, &PlaceOptions::default());
        sim.start_deployment(0, "web:2", None);
        sim.run_until(3600);
        let starts: Vec<u32> = sim
            .timeline()
            .events
            .iter()
            .filter(|e| e.kind.code() == "task-started")
            .map(|e| e.t)
            .collect();
        starts
            .windows(2)
            .map(|w| w[1] - w[0])
            .take(5)
            .collect::<Vec<u32>>()
    };
    let pull = gaps("IMAGE_PULL");
    assert!(
        pull.len() == 5 && pull.windows(2).all(|w| w[1] > w[0]),
        "{pull:?}"
    );
    let health = gaps("HEALTH_CHECK");
    assert!(health.len() == 5, "{health:?}");
    assert!(health.iter().all(|g| *g == health[0]), "{health:?}");
}

/// The plan of [`plan`] with `failures` for the simulation.
fn failing(mut p: Plan, failures: Value) -> Plan {
    p.settings =
        Some(serde_json::from_value(json!({"simulation": {"failures": failures}})).unwrap());
    p
}

/// Every task of web:2 fails with `failure` (a simulated failure's kind).
fn web2_fails(failure: &str) -> Value {
    json!([{"taskDefinition": "web:2", "failure": failure}])
}

/// A service's circuit breaker, on with rollback, with `extra`'s members over those.
fn breaker(extra: Value) -> Value {
    let mut b = json!({"enable": true, "rollback": true});
    if let Value::Object(m) = extra {
        for (k, v) in m {
            b[k] = v;
        }
    }
    json!({"deploymentConfiguration": {"deploymentCircuitBreaker": b}})
}

fn codes(r: &DeployResult, code: &str) -> usize {
    r.events.iter().filter(|e| e.kind.code() == code).count()
}

#[test]
fn a_task_that_reaches_a_healthy_state_resets_the_failure_count() {
    // API model, DeploymentCircuitBreaker.resetOnHealthyTask: "When set to true, a task that
    // reaches a healthy state resets the failure count to 0 ... The default is true." Half of
    // web:2's tasks fail their health checks (every other one, the first included): each
    // healthy task sets the count back to 0, so it never reaches the threshold of 3 and the
    // deployment completes once four tasks are healthy.
    let half = json!([{"taskDefinition": "web:2", "failure": "HEALTH_CHECK", "rate": 0.5}]);
    let p = failing(plan(4, 100, 200, breaker(json!({})), None, 4), half.clone());
    let r = run(&p, "web:2");
    assert_eq!(r.outcome, DeployOutcome::Completed, "{}", r.reason);
    assert!(codes(&r, "breaker-reset") >= 2, "{:#?}", r.events);
    assert!(codes(&r, "task-unhealthy") >= 3);
    assert_eq!(codes(&r, "deployment-failed"), 0);
    // "When set to false, Amazon ECS does not reset the failure count": the third failure
    // fails the deployment, which rolls back.
    let p = failing(
        plan(
            4,
            100,
            200,
            breaker(json!({"resetOnHealthyTask": false})),
            None,
            4,
        ),
        half,
    );
    let r = run(&p, "web:2");
    assert_eq!(r.outcome, DeployOutcome::RolledBack, "{}", r.reason);
    assert_eq!(codes(&r, "breaker-reset"), 0);
    assert!(r.reason.contains("threshold is 3"), "{}", r.reason);
}

#[test]
fn the_threshold_follows_the_latest_desired_count() {
    // ecs-semantics.md §3.3 and the API model's ThresholdConfiguration: the percent types are a
    // share of the latest desired count. The deployment starts at desired 4 (threshold 3);
    // auto scaling (here: the user) raises it to 20 at once, so the threshold is 10.
    let p = failing(
        plan(4, 100, 200, breaker(json!({})), None, 4),
        web2_fails("IMAGE_PULL"),
    );
    let failed = failure_after_setting_desired(&p, 20);
    assert!(failed.contains("10 failures"), "{failed}");
    assert!(failed.contains("threshold is 10"), "{failed}");
    // And down: desired 20 (threshold 10) lowered to 4 at once, the threshold is 3.
    let p = failing(
        plan(20, 100, 200, breaker(json!({})), None, 4),
        web2_fails("IMAGE_PULL"),
    );
    let failed = failure_after_setting_desired(&p, 4);
    assert!(failed.contains("threshold is 3"), "{failed}");
}

/// The message of `deployment-failed` when web is deployed to web:2 and its desired count set
/// to `desired` as the deployment starts (four simulated hours at most).
fn failure_after_setting_desired(p: &Plan, desired: u32) -> String {
    let mut sim = Sim::steady(p, &PlaceOptions::default());
    sim.start_deployment(0, "web:2", None);
    sim.set_desired(0, desired, "changed by the test");
    sim.run_until(4 * 3600);
    sim.timeline()
        .events
        .iter()
        .find(|e| e.kind.code() == "deployment-failed")
        .expect("the deployment fails")
        .message
        .clone()
}

#[test]
fn a_deployment_in_a_failed_state_doesnt_launch_any_new_tasks() {
    // deployment-circuit-breaker.md: "If the service fails to reach a steady state and circuit
    // breaker is turned on, the deployment will transition to a FAILED state. A deployment in
    // a FAILED state doesn't launch any new tasks." Without rollback, web:2 never pulls: after
    // `deployment-failed` no task starts for the rest of the hour.
    let p = failing(
        plan(4, 100, 200, breaker(json!({"rollback": false})), None, 4),
        web2_fails("IMAGE_PULL"),
    );
    let mut sim = Sim::steady(&p, &PlaceOptions::default());
    sim.start_deployment(0, "web:2", None);
    sim.run_until(3600);
    let tl = sim.timeline();
    let failed = tl
        .events
        .iter()
        .find(|e| e.kind.code() == "deployment-failed")
        .expect("the deployment fails")
        .t;
    let later: Vec<&SimEvent> = tl
        .events
        .iter()
        .filter(|e| e.t > failed && e.kind.code() == "task-started")
        .collect();
    assert!(
        later.is_empty(),
        "started after FAILED at {failed}: {later:#?}"
    );
    assert!(failed < 1800, "{failed}");
    // The threshold for 4 tasks is 3: the tasks that failed are those started before.
    assert!(
        tl.events
            .iter()
            .filter(|e| e.kind.code() == "task-failed")
            .count()
            >= 3
    );
}

#[test]
fn once_a_task_of_the_deployment_is_running_failures_to_start_no_longer_count() {
    // deployment-circuit-breaker.md, "Failure threshold", stage 1: "The scheduler ignores the
    // failure criteria when a task in the current deployment is in the RUNNING state and
    // proceeds to the next stage"; stage 2 counts failed health checks. Half of web:2's
    // image pulls fail (the first included): one failure is counted, then a task runs and the
    // later pull failures are not counted, even without resetOnHealthyTask.
    let p = failing(
        plan(
            4,
            100,
            200,
            breaker(json!({"resetOnHealthyTask": false})),
            None,
            4,
        ),
        json!([{"taskDefinition": "web:2", "failure": "IMAGE_PULL", "rate": 0.5}]),
    );
    let r = run(&p, "web:2");
    assert_eq!(r.outcome, DeployOutcome::Completed, "{}", r.reason);
    assert!(codes(&r, "task-failed") >= 3, "{:#?}", r.events);
}

#[test]
fn at_least_one_successfully_running_task_at_the_time_the_service_is_updated_is_read_as_the_stage_rule(
) {
    // deployment-circuit-breaker.md: "If a service deployment has at least one successfully
    // running task at the time the service is updated, the circuit breaker logic will not
    // start regardless of the deployment having any previous or future failed tasks." Read
    // literally (any RUNNING task of the service), it would turn the breaker off for every
    // update of a running service, which the page's rollback examples contradict; the planner
    // reads it as the stage rule (docs/deployments.md, "modelled differently"). The service
    // runs four tasks of web:1 when it is updated: the breaker still starts and rolls back.
    let p = failing(
        plan(4, 100, 200, breaker(json!({})), None, 4),
        web2_fails("IMAGE_PULL"),
    );
    let r = run(&p, "web:2");
    assert_eq!(r.outcome, DeployOutcome::RolledBack, "{}", r.reason);
    // The deployment's own task running is what stops failures to start from counting: a
    // deployment whose first task runs (then the rest fail to pull) completes with
    // resetOnHealthyTask off (see the stage test above); one whose tasks never run fails.
    assert!(r.reason.contains("threshold is 3"), "{}", r.reason);
}

#[test]
fn a_failure_after_the_task_was_healthy_counts_in_stage_two() {
    // deployment-circuit-breaker.md, stage 2: "When a health check fails for the task, the
    // deployment circuit breaker increases the failure count by one." Tasks of web:2 pass
    // their health checks, then fail them 120 s later. One task at a time (maximumPercent
    // 125), four never run healthy together; with resetOnHealthyTask false the failures add up
    // to the threshold while the deployment is in progress, and it rolls back.
    let later = json!([{"taskDefinition": "web:2", "failure": "HEALTH_CHECK",
        "afterHealthySeconds": 120}]);
    let p = failing(
        plan(
            4,
            100,
            125,
            breaker(json!({"resetOnHealthyTask": false})),
            None,
            4,
        ),
        later.clone(),
    );
    let r = run(&p, "web:2");
    assert_eq!(r.outcome, DeployOutcome::RolledBack, "{}", r.reason);
    let first_healthy = r
        .events
        .iter()
        .find(|e| e.kind.code() == "task-healthy")
        .map(|e| e.t)
        .unwrap();
    let first_unhealthy = r
        .events
        .iter()
        .find(|e| e.kind.code() == "task-unhealthy")
        .map(|e| e.t)
        .unwrap();
    assert_eq!(first_unhealthy, first_healthy + 120);
    // All at once (maximumPercent 200) the deployment is COMPLETED before the first failure;
    // the breaker watches deployments in progress only, so the later failures are replaced.
    let p = failing(
        plan(
            4,
            100,
            200,
            breaker(json!({"resetOnHealthyTask": false})),
            None,
            4,
        ),
        later,
    );
    let r = run(&p, "web:2");
    assert_eq!(r.outcome, DeployOutcome::Completed, "{}", r.reason);
}

#[test]
fn bad_simulated_failures_are_refused_with_the_path_and_a_fix() {
    let base = |failures: Value| {
        let mut v = json!({
            "schemaVersion": 1,
            "cluster": {"availabilityZones": ["us-east-1a"], "containerInstances": [
                {"id": "i-0", "instanceType": "m5.xlarge", "availabilityZone": "us-east-1a"}]},
            "taskDefinitions": [{"family": "web", "containerDefinitions": [
                {"name": "web", "image": "web:1", "cpu": 256, "memory": 512}]}],
            "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 1}]
        });
        v["settings"] = json!({"simulation": {"failures": failures}});
        load_value(v)
    };
    let l = base(json!([{"taskDefinition": "web:2", "failure": "HEALTH_CHECK", "rate": 1.5}]));
    let f = l
        .findings
        .iter()
        .find(|f| f.path.to_string().contains("rate"))
        .expect("a finding on rate");
    assert_eq!(f.path.to_string(), "settings.simulation.failures[0].rate");
    let l = base(json!([{"taskDefinition": "web:2", "failure": "IMAGE_PULL",
        "afterHealthySeconds": 60}]));
    let f = l
        .findings
        .iter()
        .find(|f| f.code == "simulated-failure")
        .expect("a finding on afterHealthySeconds");
    assert_eq!(
        f.path.to_string(),
        "settings.simulation.failures[0].afterHealthySeconds"
    );
    assert!(f.fix.as_deref().unwrap_or("").contains("HEALTH_CHECK"));
    // taskProtection: a service of the plan, 1 to 10 tasks, 1 to 2 880 minutes.
    let protect = |p: Value| {
        let mut v = json!({
            "schemaVersion": 1,
            "cluster": {"availabilityZones": ["us-east-1a"], "containerInstances": [
                {"id": "i-0", "instanceType": "m5.xlarge", "availabilityZone": "us-east-1a"}]},
            "taskDefinitions": [{"family": "web", "containerDefinitions": [
                {"name": "web", "image": "web:1", "cpu": 256, "memory": 512}]}],
            "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 1}]
        });
        v["settings"] = json!({"simulation": {"taskProtection": [p]}});
        load_value(v)
            .findings
            .iter()
            .map(|f| (f.path.to_string(), f.fix.clone().unwrap_or_default()))
            .collect::<Vec<_>>()
    };
    let f = protect(json!({"service": "wbe", "count": 1}));
    assert!(
        f.iter().any(
            |(p, fix)| p == "settings.simulation.taskProtection[0].service" && fix.contains("web")
        ),
        "{f:?}"
    );
    let f = protect(json!({"service": "web", "count": 11, "expiresInMinutes": 3000}));
    assert!(
        f.iter()
            .any(|(p, _)| p == "settings.simulation.taskProtection[0].count"),
        "{f:?}"
    );
    assert!(
        f.iter()
            .any(|(p, _)| p == "settings.simulation.taskProtection[0].expiresInMinutes"),
        "{f:?}"
    );
    assert!(protect(json!({"service": "web", "count": 1})).is_empty());
    // fargateSpotUnavailable: a period that ends after it starts.
    let mut v = json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a"], "containerInstances": [
            {"id": "i-0", "instanceType": "m5.xlarge", "availabilityZone": "us-east-1a"}]},
        "taskDefinitions": [{"family": "web", "containerDefinitions": [
            {"name": "web", "image": "web:1", "cpu": 256, "memory": 512}]}],
        "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 1}]
    });
    v["settings"] = json!({"simulation": {"fargateSpotUnavailable": [
        {"fromSecond": 600, "toSecond": 60}]}});
    assert!(load_value(v)
        .findings
        .iter()
        .any(|f| f.code == "simulation-window"
            && f.path.to_string() == "settings.simulation.fargateSpotUnavailable[0].toSecond"));
    // deployments: a service and a task definition of the plan.
    let mut v = json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a"], "containerInstances": [
            {"id": "i-0", "instanceType": "m5.xlarge", "availabilityZone": "us-east-1a"}]},
        "taskDefinitions": [{"family": "web", "containerDefinitions": [
            {"name": "web", "image": "web:1", "cpu": 256, "memory": 512}]}],
        "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 1}]
    });
    v["settings"] = json!({"simulation": {"deployments": [
        {"service": "wbe", "taskDefinition": "api:3", "atSecond": 60}]}});
    let paths: Vec<String> = load_value(v)
        .findings
        .iter()
        .map(|f| f.path.to_string())
        .collect();
    assert!(
        paths.contains(&"settings.simulation.deployments[0].service".to_string())
            && paths.contains(&"settings.simulation.deployments[0].taskDefinition".to_string()),
        "{paths:?}"
    );
    assert!(base(
        json!([{"taskDefinition": "web:2", "failure": "HEALTH_CHECK",
        "rate": 0.25, "afterHealthySeconds": 60}])
    )
    .findings
    .iter()
    .all(|f| !f.path.to_string().contains("failures")));
}

/// A plan whose deployments watch the alarm `web-5xx` (`alarms` of deploymentConfiguration),
/// which goes into ALARM 60 s after the first task of web:2 runs.
fn with_alarm(names: Value, enable: bool, rollback: bool) -> Plan {
    let mut p = plan(
        4,
        100,
        200,
        json!({"deploymentConfiguration": {"alarms": {"alarmNames": names, "enable": enable,
            "rollback": rollback}}}),
        None,
        4,
    );
    p.settings = Some(
        serde_json::from_value(json!({"simulation": {"alarms": [
            {"alarmName": "web-5xx", "whileRunning": "web:2", "afterSeconds": 60}]}}))
        .unwrap(),
    );
    p
}

#[test]
fn a_deployment_alarm_in_alarm_fails_the_deployment_and_rolls_back() {
    // API model, DeploymentAlarms: "When the alarms are generated, Amazon ECS sets the service
    // deployment to failed. Set the rollback parameter to have Amazon ECS to roll back your
    // service to the last completed deployment after a failure." The tasks of web:2 are
    // healthy before the alarm fires, but the bake time (300 s by default) keeps the
    // deployment IN_PROGRESS, watching the alarm.
    let r = run(&with_alarm(json!(["web-5xx"]), true, true), "web:2");
    assert_eq!(r.outcome, DeployOutcome::RolledBack, "{}", r.reason);
    assert!(r.reason.contains("web-5xx"), "{}", r.reason);
    let alarm = r
        .events
        .iter()
        .find(|e| e.kind.code() == "deployment-alarm")
        .expect("deployment-alarm");
    let running = r
        .events
        .iter()
        .filter(|e| e.kind.code() == "task-healthy")
        .map(|e| e.t)
        .min()
        .unwrap();
    assert!(
        alarm.t > running,
        "the alarm fires after the tasks were healthy"
    );
    assert_eq!(codes(&r, "rollback-started"), 1);
    // Without rollback the deployment is FAILED and stays so.
    let r = run(&with_alarm(json!(["web-5xx"]), true, false), "web:2");
    assert_eq!(r.outcome, DeployOutcome::Stuck, "{}", r.reason);
    assert!(
        r.reason.contains("FAILED and rollback is off"),
        "{}",
        r.reason
    );
}

#[test]
fn when_you_use_both_methods_together_the_deployment_is_set_to_failed_as_soon_as_either_is_met() {
    // deployment-type-ecs.md, "Failure detection methods": "You can use either method, or both
    // methods together. When you use both methods together, the deployment is set to failed
    // as soon as the failure criteria for either failure method is met." The circuit breaker
    // and the alarm `web-5xx` (in ALARM 60 s after a web:2 task runs) both watch the
    // deployment.
    let both = |failures: Value| {
        let mut p = plan(
            4,
            100,
            200,
            json!({"deploymentConfiguration": {
                "deploymentCircuitBreaker": {"enable": true, "rollback": true},
                "alarms": {"alarmNames": ["web-5xx"], "enable": true, "rollback": true}}}),
            None,
            4,
        );
        p.settings = Some(
            serde_json::from_value(json!({"simulation": {
                "alarms": [{"alarmName": "web-5xx", "whileRunning": "web:2", "afterSeconds": 60}],
                "failures": failures}}))
            .unwrap(),
        );
        run(&p, "web:2")
    };
    // web:2 never pulls: no task of it runs, the alarm never fires, the breaker fails it.
    let r = both(web2_fails("IMAGE_PULL"));
    assert_eq!(r.outcome, DeployOutcome::RolledBack, "{}", r.reason);
    assert_eq!(codes(&r, "deployment-alarm"), 0);
    let failed = r
        .events
        .iter()
        .find(|e| e.kind.code() == "deployment-failed")
        .expect("deployment-failed");
    assert!(
        failed.message.contains("circuit breaker"),
        "{}",
        failed.message
    );
    // web:2 is healthy: the breaker counts nothing, the alarm fails it during the bake time.
    let r = both(json!([]));
    assert_eq!(r.outcome, DeployOutcome::RolledBack, "{}", r.reason);
    assert_eq!(codes(&r, "deployment-alarm"), 1);
    assert!(r.reason.contains("web-5xx"), "{}", r.reason);
}

#[test]
fn deployment_alarms_bake_after_the_steady_state_and_only_named_alarms_count() {
    // deployment-alarm-failure (ECS developer guide): "When the service reaches a steady
    // state, the bake time completes, and the rollout state transitions to COMPLETED"; the bake
    // time "is a period of time after a new service version has scaled out and the old service
    // version has scaled in, during which Amazon ECS continues to monitor the alarm". An alarm
    // the deployment does not name does nothing; the deployment completes after the bake time.
    let r = run(&with_alarm(json!(["other-alarm"]), true, true), "web:2");
    assert_eq!(r.outcome, DeployOutcome::Completed, "{}", r.reason);
    assert_eq!(codes(&r, "deployment-alarm"), 0);
    let done = r
        .events
        .iter()
        .find(|e| e.kind.code() == "deployment-completed")
        .unwrap();
    assert!(
        done.message.contains("bake time (300 s)"),
        "{}",
        done.message
    );
    // Alarms off: completed at the steady state, no bake time.
    let off = run(&with_alarm(json!(["web-5xx"]), false, true), "web:2");
    assert_eq!(off.outcome, DeployOutcome::Completed, "{}", off.reason);
    let off_done = off
        .events
        .iter()
        .find(|e| e.kind.code() == "deployment-completed")
        .unwrap();
    assert_eq!(done.t, off_done.t + 300);
}

#[test]
fn protected_tasks_survive_a_deployment_until_the_protection_expires() {
    // API model, UpdateTaskProtection: "protect your task from termination during scale-in
    // events from Service Autoscaling or deployments ... After this time period lapses,
    // protectionEnabled will be reset to false." Two of the four web:1 tasks are protected for
    // 10 minutes at the start: the deployment replaces the other two at once and the protected
    // ones only after 600 s, then completes.
    let mut p = plan(4, 100, 200, json!({}), None, 4);
    p.settings = Some(
        serde_json::from_value(json!({"simulation": {"taskProtection": [
            {"service": "web", "count": 2, "atSecond": 0, "expiresInMinutes": 10}]}}))
        .unwrap(),
    );
    let r = run(&p, "web:2");
    assert_eq!(r.outcome, DeployOutcome::Completed, "{}", r.reason);
    assert_eq!(codes(&r, "task-protection"), 4, "{:#?}", r.events); // 2 set, 2 expired
    let replaced: Vec<u32> = r
        .events
        .iter()
        .filter(|e| e.kind.code() == "task-stopping" && e.message.contains("replaced"))
        .map(|e| e.t)
        .collect();
    assert_eq!(replaced.len(), 4, "{replaced:?}");
    assert!(replaced[1] < 600, "{replaced:?}");
    assert!(replaced[2] >= 600 && replaced[3] >= 600, "{replaced:?}");
    let done = r
        .events
        .iter()
        .find(|e| e.kind.code() == "deployment-completed")
        .unwrap();
    assert!(done.t >= 600);
    // Without protection the deployment is over in about a minute.
    let quick = run(&plan(4, 100, 200, json!({}), None, 4), "web:2");
    assert!(quick.duration_seconds < 600, "{}", quick.duration_seconds);
}

#[test]
fn protected_tasks_survive_a_scale_in_until_the_protection_expires() {
    // UpdateTaskProtection, as above, for a scale-in: desired 4 → 1 with three tasks protected
    // for 30 minutes (the default would be 120, "If you don't specify the time, then the task
    // is automatically protected for 120 minutes"): one unprotected task is stopped at once
    // and the rest wait for the expiry, then the service has one task.
    let mut p = plan(4, 100, 200, json!({}), None, 4);
    p.settings = Some(
        serde_json::from_value(json!({"simulation": {"taskProtection": [
            {"service": "web", "count": 3, "expiresInMinutes": 30}]}}))
        .unwrap(),
    );
    let mut sim = Sim::steady(&p, &PlaceOptions::default());
    sim.run_until(60);
    sim.set_desired(0, 1, "set by the test");
    sim.run_until(1700);
    let running = |sim: &Sim| {
        sim.timeline().services[0]
            .samples
            .last()
            .map(|x| x.running)
            .unwrap()
    };
    assert_eq!(running(&sim), 3);
    sim.run_until(2000);
    assert_eq!(running(&sim), 1);
    assert_eq!(crate::sim::protection::DEFAULT_MINUTES, 120);
}

#[test]
fn the_circuit_breaker_is_only_for_the_ecs_deployment_controller() {
    // deployment-circuit-breaker.md: "The deployment circuit breaker is only supported for
    // Amazon ECS services that use the rolling update (ECS) deployment controller." Validation
    // refuses the combination; were it simulated anyway, no deployment would be FAILED.
    let mut p = failing(
        plan(2, 100, 200, breaker(json!({})), None, 2),
        web2_fails("IMAGE_PULL"),
    );
    p.services[0]
        .extra
        .insert("deploymentController".into(), json!({"type": "EXTERNAL"}));
    let mut sim = Sim::steady(&p, &PlaceOptions::default());
    sim.start_deployment(0, "web:2", None);
    sim.run_until(3600);
    let t = sim.timeline();
    assert!(t.events.iter().any(|e| e.kind.code() == "task-failed"));
    assert!(!t
        .events
        .iter()
        .any(|e| e.kind.code() == "deployment-failed"));
}

#[test]
fn breaker_thresholds() {
    // API reference ServiceDeploymentCircuitBreaker: 0.5 × desired, at least 3, at most 200.
    for (desired, want) in [(1, 3), (5, 3), (10, 5), (25, 13), (400, 200), (800, 200)] {
        assert_eq!(
            breaker::breaker_threshold(desired, None),
            want,
            "desired {desired}"
        );
    }
    assert_eq!(
        breaker::breaker_threshold(
            10,
            Some(&crate::plan::json::Json::read(&json!({"type": "COUNT", "value": 7})).unwrap())
        ),
        7
    );
}

#[test]
fn rounding_of_the_percentages() {
    // deployment-type-ecs.md: minimum rounds up, maximum rounds down.
    assert_eq!(rolling::min_healthy(4, 50), 2);
    assert_eq!(rolling::min_healthy(2, 75), 2);
    assert_eq!(rolling::min_healthy(3, 50), 2);
    assert_eq!(rolling::max_tasks(3, 125), 3);
    assert_eq!(rolling::max_tasks(4, 150), 6);
}

#[test]
fn load_balancer_timings_show_in_the_duration() {
    // With a load balancer: registration, 150 s to turn healthy, 300 s deregistration delay.
    let p = plan(
        2,
        100,
        200,
        json!({"loadBalancers": [{"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/w/1", "containerName": "web", "containerPort": 80}]}),
        Some(0),
        2,
    );
    let r = run(&p, "web:2");
    assert_eq!(r.outcome, DeployOutcome::Completed);
    // pull 20 + start 5 + register 5 + healthy 150 + deregistration 300 + stop 5
    assert_eq!(r.duration_seconds, 485, "{:#?}", r.events);
}

#[test]
fn a_forced_deployment_replaces_tasks_with_the_same_revision() {
    let p = plan(3, 100, 200, json!({}), None, 3);
    let r = deploy(
        &p,
        &DeployRequest::new("web", None),
        &PlaceOptions::default(),
    )
    .unwrap();
    assert_eq!(r.outcome, DeployOutcome::Completed);
    assert!(r.reason.contains("web:1"), "{}", r.reason);
}

#[test]
fn the_same_plan_gives_the_same_timeline() {
    let p = plan(6, 50, 150, json!({}), Some(80), 6);
    let a = run(&p, "web:2");
    let b = run(&p, "web:2");
    assert_eq!(a.timeline, b.timeline);
}

fn daemon_plan() -> Plan {
    let l = load_value(json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": [
            {"id": "i-1", "instanceType": "m5.large", "availabilityZone": "us-east-1a"},
            {"id": "i-2", "instanceType": "m5.large", "availabilityZone": "us-east-1b"},
            {"id": "i-3", "instanceType": "t3.small", "availabilityZone": "us-east-1b"}]},
        "taskDefinitions": [
            {"family": "log", "containerDefinitions": [{"name": "log", "image": "fluent-bit:3", "cpu": 64, "memory": 64}]},
            {"family": "log", "containerDefinitions": [{"name": "log", "image": "fluent-bit:4", "cpu": 64, "memory": 64}]}
        ],
        "services": [{"serviceName": "log", "taskDefinition": "log:1", "schedulingStrategy": "DAEMON",
            "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ m5.*"}]}]
    }));
    assert!(!l.has_errors(), "{:#?}", l.findings);
    l.plan.unwrap()
}

#[test]
fn a_daemon_keeps_one_task_per_matching_instance_over_time() {
    // ecs_services.md, "Daemon": one task on each active instance that meets the constraints.
    let plan = daemon_plan();
    let t = simulate(&plan, 1800, &PlaceOptions::default());
    let s = t.service("log").unwrap();
    let last = s.samples.last().unwrap();
    assert_eq!((last.desired, last.running), (2, 2), "{:#?}", t.events);
    assert!(
        !t.events.iter().any(|e| e.kind.code() == "task-stopping"),
        "{:#?}",
        t.events
    );
}

#[test]
fn a_daemon_deployment_replaces_the_task_on_each_instance() {
    // service_definition_parameters.md: for DAEMON, minimumHealthyPercent defaults to 0 and
    // maximumPercent to 100: the old task stops before the new one starts.
    let r = deploy(
        &daemon_plan(),
        &DeployRequest::new("log", Some("log:2")),
        &PlaceOptions::default(),
    )
    .unwrap();
    assert_eq!(r.outcome, DeployOutcome::Completed, "{}", r.reason);
    assert!(r.samples.iter().all(|s| s.old.active + s.new.active <= 2));
    let last = r.samples.last().unwrap();
    assert_eq!((last.new.running, last.old.active), (2, 0));
}

#[test]
fn a_draining_instance_loses_its_daemon_task() {
    let plan = daemon_plan();
    let mut sim = Sim::steady(&plan, &PlaceOptions::default());
    sim.run_until(60);
    let node = sim.world.placement.cluster.find("i-1").unwrap();
    sim.world.drain_node(node);
    sim.run_until(600);
    let s = sim
        .world
        .timeline
        .service("log")
        .unwrap()
        .at(600)
        .unwrap()
        .clone();
    assert_eq!((s.desired, s.running), (1, 1));
    assert!(sim
        .world
        .timeline
        .events
        .iter()
        .any(|e| e.kind.code() == "task-stopping" && e.instance.as_deref() == Some("i-1")));
}

#[test]
fn a_daemon_whose_tasks_fail_to_start_backs_off_too() {
    // ecs-semantics.md §3.6 (`service-throttle-logic`): when a service's tasks go from PENDING
    // to STOPPED without reaching RUNNING, the service scheduler waits longer and longer
    // between launch attempts. The page names the service scheduler, not a scheduling
    // strategy: a DAEMON service backs off like a REPLICA one. Deploying log:2, whose image
    // does not pull, the gaps between the daemon's launches on an instance grow.
    let plan = failing(
        daemon_plan(),
        json!([{"taskDefinition": "log:2", "failure": "IMAGE_PULL"}]),
    );
    let mut sim = Sim::steady(&plan, &PlaceOptions::default());
    sim.start_deployment(0, "log:2", None);
    sim.run_until(4 * 3600);
    let starts: Vec<u32> = sim
        .timeline()
        .events
        .iter()
        .filter(|e| e.kind.code() == "task-started" && e.instance.as_deref() == Some("i-1"))
        .map(|e| e.t)
        .collect();
    let gaps: Vec<u32> = starts.windows(2).map(|w| w[1] - w[0]).collect();
    // The daemon's two instances fail together: the count of failures in a row, and so the
    // wait, grows by both.
    assert!(
        gaps.len() >= 6 && gaps[..4].windows(2).all(|w| w[1] > w[0]),
        "{gaps:?}"
    );
    // The wait stops growing at the page's current maximum of 27 minutes (plus the minute
    // the task takes to fail).
    assert!(gaps.iter().all(|g| *g <= 27 * 60 + 60), "{gaps:?}");
    assert!(
        gaps[gaps.len() - 2..].iter().all(|g| *g >= 27 * 60),
        "{gaps:?}"
    );
}

fn blue_green(controller_or_strategy: Value, settings: Value) -> Plan {
    let mut p = plan(
        4,
        100,
        200,
        json!({"loadBalancers": [{"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/w/1", "containerName": "web", "containerPort": 80}]}),
        Some(0),
        4,
    );
    let svc = &mut p.services[0];
    if let Some(c) = controller_or_strategy.get("controller") {
        svc.extra
            .insert("deploymentController".into(), json!({"type": c}));
    }
    if let Some(dc) = controller_or_strategy.get("deploymentConfiguration") {
        svc.deployment_configuration = Some(crate::plan::Written::from_value(dc.clone()).unwrap());
    }
    p.settings = Some(serde_json::from_value(json!({"simulation": settings})).unwrap());
    p
}

#[test]
fn code_deploy_all_at_once_runs_both_task_sets_then_removes_the_original() {
    // deployment-type-bluegreen: the replacement task set starts in full; traffic moves; the
    // original set stops after the termination wait.
    let p = blue_green(
        json!({"controller": "CODE_DEPLOY"}),
        json!({"blueGreenTerminationWaitMinutes": 5}),
    );
    let r = run(&p, "web:2");
    assert_eq!(r.outcome, DeployOutcome::Completed, "{}", r.reason);
    let both = r.samples.iter().find(|s| s.new.active == 4).unwrap();
    assert_eq!(
        both.old.active, 4,
        "the original set keeps running beside the new one"
    );
    assert!(r.samples.iter().any(|s| s.traffic == Some(100.0)));
    let shifted = r
        .events
        .iter()
        .find(|e| e.kind.code() == "traffic-shifted")
        .unwrap()
        .t;
    let first_stop = r
        .events
        .iter()
        .find(|e| e.kind.code() == "task-stopping")
        .unwrap()
        .t;
    assert_eq!(
        first_stop - shifted,
        300,
        "the original set stops 5 minutes after all traffic moved"
    );
}

#[test]
fn code_deploy_linear_moves_ten_percent_a_minute() {
    let p = blue_green(
        json!({"controller": "CODE_DEPLOY"}),
        json!({"codeDeployConfig": "CodeDeployDefault.ECSLinear10PercentEvery1Minutes", "blueGreenTerminationWaitMinutes": 0}),
    );
    let r = run(&p, "web:2");
    assert_eq!(r.outcome, DeployOutcome::Completed, "{}", r.reason);
    let shifts: Vec<u32> = r
        .events
        .iter()
        .filter(|e| e.kind.code() == "traffic-shifted")
        .map(|e| e.t)
        .collect();
    assert_eq!(shifts.len(), 10, "{:#?}", r.events);
    assert!(shifts.windows(2).all(|w| w[1] - w[0] == 60));
}

#[test]
fn ecs_canary_strategy_bakes_then_moves_the_rest() {
    let p = blue_green(
        json!({"deploymentConfiguration": {"strategy": "CANARY", "bakeTimeInMinutes": 2, "canaryConfiguration": {"canaryPercent": 5.0, "canaryBakeTimeInMinutes": 10}}}),
        json!({}),
    );
    let r = run(&p, "web:2");
    assert_eq!(r.outcome, DeployOutcome::Completed, "{}", r.reason);
    let shifts: Vec<(u32, String)> = r
        .events
        .iter()
        .filter(|e| e.kind.code() == "traffic-shifted")
        .map(|e| (e.t, e.message.clone()))
        .collect();
    assert_eq!(shifts.len(), 2);
    assert!(shifts[0].1.starts_with("5%"), "{shifts:?}");
    assert_eq!(shifts[1].0 - shifts[0].0, 600);
}

#[test]
fn a_blue_green_deployment_without_room_for_the_new_set_is_stuck() {
    // Static host port: the replacement set cannot run beside the original one.
    let mut p = plan(4, 100, 200, json!({}), Some(80), 4);
    p.services[0].extra.insert(
        "deploymentController".into(),
        json!({"type": "CODE_DEPLOY"}),
    );
    let r = run(&p, "web:2");
    assert_eq!(r.outcome, DeployOutcome::Stuck);
    assert!(
        r.reason.contains("port 80/tcp already bound"),
        "{}",
        r.reason
    );
}

#[test]
fn an_unknown_code_deploy_configuration_is_refused() {
    let p = blue_green(
        json!({"controller": "CODE_DEPLOY"}),
        json!({"codeDeployConfig": "CodeDeployDefault.Fast"}),
    );
    let e = deploy(
        &p,
        &DeployRequest::new("web", Some("web:2")),
        &PlaceOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("ECSCanary10Percent5Minutes"), "{e}");
}
