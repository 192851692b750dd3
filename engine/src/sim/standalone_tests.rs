//! Standalone tasks over time (`settings.simulation.runTasks`): RunTask at a second, on a
//! schedule and on events, competing for capacity and scaling capacity providers from zero.

use super::standalone::PROVISIONING_QUOTA;
use super::*;
use crate::load::load_value;
use crate::placement::PlaceOptions;
use crate::plan::Plan;
use serde_json::{json, Value};

/// A cluster with one Auto Scaling group capacity provider `cp` (m5.large: 2 vCPU, 8 GiB) of
/// `instances` registered instances as the default strategy, a service `web` of `desired`
/// tasks (512 CPU), a `batch` task definition (1024 CPU, 2 GiB) and the given `runTasks`.
fn plan(instances: usize, desired: u32, max_size: u32, run_tasks: Value) -> Plan {
    let insts: Vec<Value> = (0..instances)
        .map(|i| {
            json!({"id": format!("i-{i}"), "instanceType": "m5.large",
                "availabilityZone": if i % 2 == 0 { "us-east-1a" } else { "us-east-1b" },
                "capacityProvider": "cp"})
        })
        .collect();
    let l = load_value(json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": insts,
            "capacityProviders": [{
                "name": "cp",
                "autoScalingGroupProvider": {
                    "autoScalingGroupArn": "arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:uuid:autoScalingGroupName/asg",
                    "managedScaling": {"status": "ENABLED", "targetCapacity": 100, "instanceWarmupPeriod": 120}
                },
                "autoScalingGroup": {"InstanceTypes": ["m5.large"], "AvailabilityZones": ["us-east-1a", "us-east-1b"],
                    "MinSize": 0, "MaxSize": max_size}
            }],
            "defaultCapacityProviderStrategy": [{"capacityProvider": "cp", "weight": 1}]},
        "taskDefinitions": [
            {"family": "web", "containerDefinitions": [{"name": "web", "image": "web:1", "cpu": 512, "memory": 1024}]},
            {"family": "batch", "requiresCompatibilities": ["EC2", "FARGATE"], "cpu": "1024", "memory": "2048",
             "networkMode": "awsvpc",
             "containerDefinitions": [{"name": "job", "image": "job:1", "cpu": 1024, "memory": 2048}]}
        ],
        "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": desired}],
        "settings": {"simulation": {"runTasks": run_tasks}}
    }));
    assert!(l.plan.is_some(), "{:#?}", l.findings);
    l.plan.unwrap()
}

fn run(plan: &Plan, horizon: u32) -> Timeline {
    simulate(plan, horizon, &PlaceOptions::default())
}

fn events<'a>(tl: &'a Timeline, kind: &str) -> Vec<&'a SimEvent> {
    tl.events.iter().filter(|e| e.kind.code() == kind).collect()
}

/// The lives of the tasks of RunTask group `group`.
fn lives<'a>(tl: &'a Timeline, group: &str) -> Vec<&'a TaskLife> {
    tl.tasks.iter().filter(|t| &*t.service == group).collect()
}

fn first(life: &TaskLife, state: TaskState) -> Option<u32> {
    life.states
        .iter()
        .find(|(_, s)| *s == state)
        .map(|(t, _)| *t)
}

// scheduling_tasks.md, "Scheduled tasks": "Your scheduled event can be set to a specific
// interval (run every N minutes, hours, or days). Otherwise, for more complicated scheduling,
// you can use a cron expression." The study notes' hourly batch: an EventBridge rule every
// hour runs the task.
#[test]
fn a_cron_schedule_runs_the_task_every_hour_and_each_task_exits_after_its_run() {
    let p = plan(
        2,
        1,
        4,
        json!([{"taskDefinition": "batch", "count": 1, "schedule": "cron(0 * * * ? *)",
            "runSeconds": 600}]),
    );
    let tl = run(&p, 3 * 3600 + 1200);
    let runs: Vec<u32> = events(&tl, "run-task").iter().map(|e| e.t).collect();
    // The simulation starts at midnight: the first run is at second 0.
    assert_eq!(runs, vec![0, 3600, 7200, 10800]);
    let batch = lives(&tl, "family:batch");
    assert_eq!(batch.len(), 4);
    for life in batch {
        let running = first(life, TaskState::Running).expect("it ran");
        let stopping = first(life, TaskState::Stopping).expect("it exited");
        assert_eq!(stopping, running + 600, "{life:?}");
        assert!(first(life, TaskState::Stopped).is_some());
    }
    assert_eq!(events(&tl, "task-exited").len(), 4);
    // The group's counts are a series of the timeline, like a service's.
    let series = tl.service("family:batch").expect("the group's series");
    assert_eq!(series.at(3600 + 300).map(|s| s.running), Some(1));
    assert_eq!(series.at(3600 + 1200).map(|s| s.running), Some(0));
}

// plan/schedule.rs reads the expression with its time zone (the parser of scheduled actions):
// 01:00 in America/New_York on 2026-01-05 (EST, UTC-5) is 06:00 UTC, second 21 600 of a
// simulation starting at midnight UTC; rate(45 minutes) runs one period after the start.
#[test]
fn a_schedule_runs_in_its_time_zone_and_a_rate_every_period() {
    let p = plan(
        2,
        0,
        4,
        json!([
            {"taskDefinition": "batch", "group": "nightly", "schedule": "cron(0 1 * * ? *)",
             "timezone": "America/New_York", "runSeconds": 60},
            {"taskDefinition": "batch", "group": "poller", "schedule": "rate(45 minutes)",
             "runSeconds": 60}
        ]),
    );
    let tl = run(&p, 6 * 3600);
    let at = |g: &str| -> Vec<u32> {
        events(&tl, "run-task")
            .iter()
            .filter(|e| e.service.as_deref() == Some(g))
            .map(|e| e.t)
            .collect()
    };
    assert_eq!(at("nightly"), vec![21_600]);
    assert_eq!(
        at("poller"),
        (1..=8).map(|k| k * 2700).collect::<Vec<u32>>()
    );
}

// The study notes' event-driven pattern (an EventBridge rule runs a task for each object
// uploaded to a bucket) on Fargate: each event starts `count` tasks, each exits after its run,
// and nothing replaces them (scheduling_tasks.md: RunTask is for "batch jobs that perform work
// and then stop").
#[test]
fn each_event_starts_count_tasks_that_stop_when_done() {
    let p = plan(
        2,
        1,
        4,
        json!([{"taskDefinition": "batch", "group": "thumbnails", "launchType": "FARGATE",
            "count": 2, "eventSeconds": [100, 100, 900], "runSeconds": 120}]),
    );
    let tl = run(&p, 1800);
    let mine = lives(&tl, "thumbnails");
    assert_eq!(mine.len(), 6);
    let started: Vec<u32> = mine.iter().map(|l| l.states[0].0).collect();
    assert_eq!(started, vec![100, 100, 100, 100, 900, 900]);
    assert!(mine
        .iter()
        .all(|l| l.states.last().map(|s| s.1) == Some(TaskState::Stopped)));
    // Each task has its own id.
    let mut ids: Vec<&str> = mine.iter().map(|l| l.task.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 6);
    assert_eq!(events(&tl, "task-exited").len(), 6);
}

// cluster-auto-scaling.md: tasks a capacity provider cannot place wait in PROVISIONING and
// managed scaling launches instances for them; "When a scale-out process is required and
// there are no available container instances ... Amazon ECS always scales-out to 200% (two
// instances)". asg-capacity-providers.md: "If the Auto Scaling group can't scale out to
// accommodate the number of tasks run, the tasks fails to transition beyond the PROVISIONING
// state."
#[test]
fn standalone_tasks_wait_in_provisioning_and_scale_the_capacity_provider_from_zero() {
    let p = plan(
        0,
        0,
        4,
        json!([{"taskDefinition": "batch", "count": 4, "atSecond": 120, "runSeconds": 900}]),
    );
    let tl = run(&p, 3 * 3600);
    let batch = lives(&tl, "family:batch");
    assert_eq!(batch.len(), 4);
    assert!(batch
        .iter()
        .all(|l| l.states[0] == (120, TaskState::Provisioning)));
    assert!(events(&tl, "task-unplaced").len() >= 4);
    // The reservation of the minute after the request is 200 (N = 0, M > 0).
    let m = tl.minutes.iter().find(|m| m.t == 180).expect("minute 3");
    assert_eq!(m.capacity_providers[0].reservation, Some(200.0));
    let out = events(&tl, "cluster-scale-out");
    assert!(!out.is_empty());
    // Every task ran on a launched instance, then exited, and the group scaled back in.
    for l in &batch {
        assert!(first(l, TaskState::Running).is_some(), "{l:?}");
        assert!(l.instance.is_some());
    }
    assert!(!events(&tl, "cluster-scale-in").is_empty());
    let last = tl.minutes.last().unwrap();
    assert_eq!(last.capacity_providers[0].desired, 0, "{:?}", last);

    // Without room to grow (MaxSize 0) they stay in PROVISIONING.
    let p = plan(
        0,
        0,
        0,
        json!([{"taskDefinition": "batch", "count": 2, "atSecond": 60}]),
    );
    let tl = run(&p, 3600);
    for l in lives(&tl, "family:batch") {
        assert_eq!(l.states, vec![(60, TaskState::Provisioning)]);
    }
}

// ecs-semantics.md §1 (api_failures_messages.md): RunTask that no instance can take returns a
// failures[] entry such as RESOURCE:CPU; with a launch type the task is not launched.
#[test]
fn runtask_on_the_ec2_launch_type_without_room_fails_with_its_reason() {
    let p = plan(
        1,
        0,
        1,
        json!([{"taskDefinition": "batch", "launchType": "EC2", "count": 3, "atSecond": 30}]),
    );
    let tl = run(&p, 600);
    let failed = events(&tl, "run-task-failed");
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(
        failed[0].message.contains("failures[]"),
        "{}",
        failed[0].message
    );
    let batch = lives(&tl, "family:batch");
    assert_eq!(
        batch
            .iter()
            .filter(|l| first(l, TaskState::Running).is_some())
            .count(),
        2
    );
}

// service-quotas.md ("Tasks in the PROVISIONING state per cluster": 500), ecs-semantics.md §2.4:
// "quota of 500 tasks in PROVISIONING per cluster. Tasks beyond it fail to launch."
#[test]
fn tasks_beyond_500_in_provisioning_fail_to_launch() {
    let seconds: Vec<u32> = vec![60; 51];
    let p = plan(
        0,
        0,
        0,
        json!([{"taskDefinition": "batch", "count": 10, "eventSeconds": seconds}]),
    );
    let tl = run(&p, 120);
    let failed = events(&tl, "run-task-failed");
    assert_eq!(failed.len(), 510 - PROVISIONING_QUOTA);
    assert!(failed[0].message.contains("500 tasks in PROVISIONING"));
    let waiting = lives(&tl, "family:batch")
        .iter()
        .filter(|l| l.states.last().map(|s| s.1) == Some(TaskState::Provisioning))
        .count();
    assert_eq!(waiting, PROVISIONING_QUOTA);
}

// Standalone tasks compete with the services for the instances: a batch that fills the
// cluster leaves a service's new task waiting until the batch exits.
#[test]
fn standalone_tasks_compete_with_services_for_capacity() {
    let p = plan(
        1,
        0,
        1,
        json!([{"taskDefinition": "batch", "launchType": "EC2", "count": 2, "atSecond": 10,
            "runSeconds": 600}]),
    );
    let mut sim = Sim::steady(&p, &PlaceOptions::default());
    sim.tick_every_minute(1800);
    sim.run_standalone(1800);
    sim.run_until(100);
    sim.set_desired(0, 1, "set by the test");
    sim.run_until(1800);
    let tl = sim.finish(1800);
    let web = lives(&tl, "web");
    assert_eq!(web.len(), 1);
    let batch_exit = lives(&tl, "family:batch")
        .iter()
        .filter_map(|l| first(l, TaskState::Stopped))
        .min()
        .unwrap();
    let web_pending = first(web[0], TaskState::Pending).expect("web started");
    assert!(web_pending >= batch_exit, "{web_pending} < {batch_exit}");
}

#[test]
fn run_tasks_findings_name_the_entry_and_the_fix() {
    let l = load_value(json!({
        "schemaVersion": 1,
        "taskDefinitions": [{"family": "batch", "containerDefinitions": [{"name": "job", "image": "job:1", "memory": 512}]}],
        "settings": {"simulation": {"runTasks": [
            {"taskDefinition": "bach", "atSecond": 10},
            {"taskDefinition": "batch", "schedule": "cron(0 * * *)"},
            {"taskDefinition": "batch", "schedule": "rate(1 hour)", "timezone": "Europe/Dubln"},
            {"taskDefinition": "batch"},
            {"taskDefinition": "batch", "atSecond": 5, "eventSeconds": [6]}
        ]}}
    }));
    assert!(l.plan.is_none());
    let at = |path: &str| {
        l.findings
            .iter()
            .find(|f| f.path.to_string() == path)
            .unwrap_or_else(|| panic!("no finding at {path}: {:#?}", l.findings))
    };
    let f = at("settings.simulation.runTasks[0].taskDefinition");
    assert_eq!(f.code, "unknown-task-definition");
    assert!(f.fix.as_deref().unwrap_or("").contains("batch"));
    assert_eq!(
        at("settings.simulation.runTasks[1].schedule").code,
        "run-task-schedule"
    );
    let f = at("settings.simulation.runTasks[2].timezone");
    assert!(f.message.contains("Europe/Dublin"), "{}", f.message);
    assert_eq!(
        at("settings.simulation.runTasks[3]").code,
        "run-task-trigger"
    );
    assert_eq!(
        at("settings.simulation.runTasks[4]").code,
        "run-task-trigger"
    );
    // RunTask launches at most 10 tasks per call (service-quotas.md).
    let l = load_value(json!({
        "schemaVersion": 1,
        "taskDefinitions": [{"family": "batch", "containerDefinitions": [{"name": "job", "image": "job:1", "memory": 512}]}],
        "settings": {"simulation": {"runTasks": [{"taskDefinition": "batch", "count": 11, "atSecond": 5}]}}
    }));
    assert!(l.plan.is_none());
    let f = l
        .findings
        .iter()
        .find(|f| f.path.to_string() == "settings.simulation.runTasks[0].count")
        .expect("the count's finding");
    assert_eq!(f.code, "out-of-range");
}

// ecs-semantics.md §7 "Quotas worth simulating" (service-quotas): "Rate of service task
// launches (EC2/External and Fargate): 500 per minute per service".
#[test]
fn a_service_launches_at_most_500_tasks_per_minute() {
    let l = load_value(json!({
        "schemaVersion": 1,
        "taskDefinitions": [{"family": "burst", "requiresCompatibilities": ["FARGATE"], "cpu": "256",
            "memory": "512", "networkMode": "awsvpc",
            "containerDefinitions": [{"name": "b", "image": "b:1"}]}],
        "services": [{"serviceName": "burst", "taskDefinition": "burst", "desiredCount": 0,
            "launchType": "FARGATE"}]
    }));
    let p = l.plan.expect("the plan loads");
    let mut sim = Sim::steady(&p, &PlaceOptions::default());
    sim.run_until(10);
    sim.set_desired(0, 1200, "set by the test");
    sim.run_until(600);
    let tl = sim.finish(600);
    let started = |from: u32, to: u32| {
        tl.tasks
            .iter()
            .filter(|l| (from..to).contains(&l.states[0].0))
            .count()
    };
    assert_eq!(started(10, 70), 500);
    assert_eq!(started(70, 130), 500);
    assert_eq!(started(130, 190), 200);
    assert!(!events(&tl, "launch-limited").is_empty());
    assert_eq!(tl.service("burst").unwrap().at(600).unwrap().running, 1200);
}

// service-quotas (ecs-semantics.md §7): "Rate of service task launches (EC2/External and
// Fargate): 500 per minute per service". A DAEMON service is a service: a deployment of a
// daemon on 700 instances starts 500 new tasks in the first minute, the other 200 when the
// window allows.
#[test]
fn a_daemon_service_launches_at_most_500_tasks_per_minute() {
    let insts: Vec<Value> = (0..700)
        .map(|i| json!({"id": format!("i-{i}"), "instanceType": "m5.large", "availabilityZone": "us-east-1a"}))
        .collect();
    let l = load_value(json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a"], "containerInstances": insts},
        "taskDefinitions": [
            {"family": "agent", "containerDefinitions": [{"name": "a", "image": "agent:1", "cpu": 64, "memory": 64}]},
            {"family": "agent", "containerDefinitions": [{"name": "a", "image": "agent:2", "cpu": 64, "memory": 64}]}
        ],
        "services": [{"serviceName": "agent", "taskDefinition": "agent:1", "schedulingStrategy": "DAEMON"}]
    }));
    let p = l.plan.expect("the plan loads");
    let mut sim = Sim::steady(&p, &PlaceOptions::default());
    sim.run_until(10);
    sim.start_deployment(0, "agent:2", None);
    sim.run_until(900);
    let tl = sim.finish(900);
    let mut starts: Vec<u32> = tl
        .tasks
        .iter()
        .filter(|l| l.states[0].1 != TaskState::Running)
        .map(|l| l.states[0].0)
        .collect();
    starts.sort();
    assert_eq!(starts.len(), 700);
    let first = starts[0];
    let in_first_minute = starts.iter().filter(|t| **t < first + 60).count();
    assert_eq!(in_first_minute, 500, "{:?}", &starts[495..505]);
    assert!(starts[500] >= first + 60);
    let limited = events(&tl, "launch-limited");
    assert_eq!(limited.len(), 1, "{limited:#?}");
    assert!(
        limited[0].message.contains("500 of 700"),
        "{}",
        limited[0].message
    );
    assert_eq!(tl.service("agent").unwrap().at(900).unwrap().running, 700);
}

// service-quotas (ecs-semantics.md §2.4, §7): "quota of 500 tasks in PROVISIONING per cluster.
// Tasks beyond it fail to launch." — a service's too: it tries again later, and the cluster
// never has more than 500 waiting.
#[test]
fn a_services_tasks_beyond_500_in_provisioning_fail_to_launch() {
    let p = plan(0, 0, 0, json!([]));
    let mut sim = Sim::steady(&p, &PlaceOptions::default());
    sim.tick_every_minute(900);
    sim.run_until(10);
    sim.set_desired(0, 520, "set by the test");
    sim.run_until(900);
    let tl = sim.finish(900);
    let limited = events(&tl, "launch-limited");
    assert!(limited.len() >= 20, "{}", limited.len());
    // The launch rate holds the last 20 back first, then the quota refuses them.
    assert!(limited[0].message.contains("per minute per service"));
    assert!(limited[1].message.contains("500 tasks in PROVISIONING"));
    for m in &tl.minutes {
        assert!(m.services[0].pending <= 500, "{m:?}");
    }
    assert_eq!(tl.service("web").unwrap().at(900).unwrap().pending, 500);
}

// service-quotas (ecs-semantics.md §2.4, §7): "quota of 500 tasks in PROVISIONING per cluster.
// Tasks beyond it fail to launch." — from the start too: a service of 620 tasks on a capacity
// provider that cannot grow (MaxSize 0) has 500 waiting at second 0, the other 120 fail to
// launch (one event), and the retries while nothing changes are refused the same way without a
// record each minute.
#[test]
fn tasks_waiting_at_the_start_beyond_500_fail_to_launch() {
    let p = plan(0, 620, 0, json!([]));
    let tl = run(&p, 900);
    let web = lives(&tl, "web");
    let waiting = |at: u32| {
        web.iter()
            .filter(|l| {
                l.states
                    .iter()
                    .rev()
                    .find(|(t, _)| *t <= at)
                    .is_some_and(|s| s.1 == TaskState::Provisioning)
            })
            .count()
    };
    assert_eq!(waiting(0), PROVISIONING_QUOTA);
    assert_eq!(waiting(900), PROVISIONING_QUOTA);
    let refused: Vec<_> = web
        .iter()
        .filter(|l| l.states.last() == Some(&(0, TaskState::Stopped)))
        .collect();
    assert_eq!(refused.len(), 120);
    let limited = events(&tl, "launch-limited");
    assert!(
        limited[0].t == 0 && limited[0].message.starts_with("120 of the service's tasks"),
        "{limited:#?}"
    );
    assert!(limited[0].message.contains("500 tasks in PROVISIONING"));
    // The retry at second 60 asks for the 120 again: refused; after it, nothing changed.
    assert_eq!(web.len(), 620 + 120, "{} lives", web.len());
    assert_eq!(limited.len(), 1 + 120, "{limited:#?}");
    for m in &tl.minutes {
        assert!(m.services[0].pending <= 500, "{m:?}");
    }
}

// A retry the launch rate cuts short is known too: 1 200 tasks asked on a cluster that cannot
// grow: 500 wait, the next minute's 500 are refused, and the minutes after make no new record.
#[test]
fn a_refused_launch_cut_short_by_the_rate_is_not_made_again() {
    let p = plan(0, 0, 0, json!([]));
    let mut sim = Sim::steady(&p, &PlaceOptions::default());
    sim.tick_every_minute(900);
    sim.run_until(10);
    sim.set_desired(0, 1200, "set by the test");
    sim.run_until(900);
    let tl = sim.finish(900);
    assert_eq!(lives(&tl, "web").len(), 1000);
    assert_eq!(tl.service("web").unwrap().at(900).unwrap().pending, 500);
}

// The same quota at the start with room to grow: the 500 waiting tasks scale the capacity
// provider out, and the 20 refused at the start launch once the quota has room again, so the
// service reaches its desired count.
#[test]
fn tasks_refused_at_the_start_launch_once_the_quota_has_room() {
    let p = plan(0, 520, 400, json!([]));
    let tl = run(&p, 3 * 3600);
    let last = tl.service("web").unwrap().at(3 * 3600).unwrap();
    assert_eq!(last.running, 520, "{last:?}");
    let limited = events(&tl, "launch-limited");
    assert!(limited[0].message.starts_with("20 of the service's tasks"));
    for m in &tl.minutes {
        assert!(m.services[0].pending <= 500, "{m:?}");
    }
}

// Bad input never panics: entries the loader would refuse, run anyway (the page's worker may
// simulate a plan edited in memory), are skipped with an event saying why.
#[test]
fn entries_a_simulation_cannot_run_are_said_and_skipped() {
    let mut p = plan(
        1,
        0,
        1,
        json!([{"taskDefinition": "batch", "atSecond": 10, "runSeconds": 60}]),
    );
    let sim = p
        .settings
        .as_mut()
        .and_then(|s| s.simulation.as_mut())
        .unwrap();
    let mut bad = sim.run_tasks[0].clone();
    bad.at_second = None;
    bad.schedule = Some("cron(61 * * * ? *)".into());
    sim.run_tasks.push(bad.clone());
    bad.schedule = Some("rate(1 hour)".into());
    bad.timezone = Some("Mars/Olympus".into());
    sim.run_tasks.push(bad.clone());
    bad.task_definition = "nope".into();
    sim.run_tasks.push(bad);
    let tl = run(&p, 600);
    let failed = events(&tl, "run-task-failed");
    assert_eq!(failed.len(), 3, "{failed:?}");
    assert!(failed[0].message.contains("runTasks entry 1"));
    assert!(failed[1].message.contains("Mars/Olympus"));
    assert!(failed[2].message.contains("task definition nope"));
    // The good entry ran.
    assert_eq!(events(&tl, "run-task").len(), 1);
}

// The page simulates in slices (`Progressive`): its timeline is `simulate`'s, standalone tasks
// included.
#[test]
fn slices_run_the_standalone_tasks_as_one_run_does() {
    let p = plan(
        0,
        1,
        4,
        json!([{"taskDefinition": "batch", "count": 3, "schedule": "rate(20 minutes)",
            "runSeconds": 300}]),
    );
    let opts = PlaceOptions::default();
    let whole = simulate(&p, 7200, &opts);
    let (sliced, _) = Progressive::new(&p, 7200, &opts, 900).finish();
    assert_eq!(sliced, whole);
    assert_eq!(events(&whole, "run-task").len(), 6);
}

// A RunTask group named like a service keeps its own series: the service's counts and metrics
// are not mixed with the standalone tasks'.
#[test]
fn a_group_named_like_a_service_gets_its_own_series() {
    let p = plan(
        2,
        1,
        2,
        json!([{"taskDefinition": "batch", "group": "web", "count": 2, "atSecond": 60,
            "runSeconds": 600}]),
    );
    let tl = run(&p, 900);
    assert_eq!(tl.service("web").unwrap().at(300).unwrap().running, 1);
    assert_eq!(
        tl.service("web (RunTask)")
            .unwrap()
            .at(300)
            .unwrap()
            .running,
        2
    );
}

/// `plan` with no service task, one `batch` task pinned to i-0 from second 0 for `run`
/// seconds, and the capacity provider's `managedDraining` / `managedTerminationProtection`.
fn pinned_batch(run: u32, draining: &str, protection: &str) -> Plan {
    let mut p = plan(
        2,
        0,
        4,
        json!([{"taskDefinition": "batch", "count": 1, "atSecond": 0, "runSeconds": run,
            "placementConstraints": [{"type": "memberOf", "expression": "ec2InstanceId == i-0"}]}]),
    );
    let cp = &mut p.cluster.capacity_providers[0];
    let asgp = cp.auto_scaling_group_provider.as_mut().unwrap();
    asgp.managed_draining = Some(draining.into());
    asgp.managed_termination_protection = Some(protection.into());
    p
}

fn instance_event<'a>(tl: &'a Timeline, kind: &str, id: &str) -> Option<&'a SimEvent> {
    tl.events
        .iter()
        .find(|e| e.kind.code() == kind && e.instance.as_deref() == Some(id))
}

// container-instance-draining.md, "Draining behavior for standalone tasks": standalone tasks in
// the PENDING or RUNNING state are not affected; they stop on their own (or by hand) "and the
// container instance remains in the DRAINING status" (ecs-semantics.md §2.5: "Standalone tasks
// are not touched"). Managed draining drains the instance the scale-in takes the same way: the
// RunTask task runs to its end and the instance is terminated after it, never with it.
#[test]
fn managed_draining_waits_for_standalone_tasks_before_terminating() {
    let p = pinned_batch(5400, "ENABLED", "DISABLED");
    let tl = run(&p, 3 * 3600);
    let batch = lives(&tl, "family:batch");
    assert_eq!(batch.len(), 1, "{:#?}", tl.tasks);
    // The scale-in took i-0 (the Default policy's last tie: the lowest id) while the task ran.
    let draining = instance_event(&tl, "instance-draining", "i-0").expect("i-0 drains");
    assert!(draining.t < 5400, "{}", draining.t);
    assert!(
        draining.message.contains("standalone task runs on"),
        "{}",
        draining.message
    );
    // The task ran its whole 5400 seconds and stopped on its own.
    let running = first(batch[0], TaskState::Running).unwrap();
    let stopped = first(batch[0], TaskState::Stopped).expect("the task stops");
    assert!(stopped >= running + 5400, "{running} {stopped}");
    assert!(events(&tl, "task-stopped")
        .iter()
        .all(|e| !e.message.contains("was terminated")));
    let term = instance_event(&tl, "instance-terminated", "i-0").expect("i-0 goes");
    assert!(term.t >= stopped, "{} {stopped}", term.t);
    assert!(
        term.message.contains("managed draining is done"),
        "{}",
        term.message
    );
}

// Without managed draining the Auto Scaling group terminates the instance and the RunTask task
// stops with it (nothing replaces a standalone task).
#[test]
fn without_managed_draining_the_standalone_task_dies_with_its_instance() {
    let p = pinned_batch(5400, "DISABLED", "DISABLED");
    let tl = run(&p, 3 * 3600);
    let term = instance_event(&tl, "instance-terminated", "i-0").expect("i-0 goes");
    assert!(term.t < 5400);
    let batch = lives(&tl, "family:batch");
    assert_eq!(first(batch[0], TaskState::Stopped), Some(term.t));
}

// cluster-auto-scaling.md, "Managed termination protection": "When all non-daemon tasks are
// stopped on an instance, Amazon ECS initiates the scale-in process and turns off scale-in
// protection for the EC2 instance." A RunTask task is a non-daemon task: its instance stays
// protected (the empty i-1 goes) until the task ends.
#[test]
fn managed_termination_protection_keeps_an_instance_with_a_standalone_task() {
    let p = pinned_batch(5400, "ENABLED", "ENABLED");
    let tl = run(&p, 4 * 3600);
    let batch = lives(&tl, "family:batch");
    let stopped = first(batch[0], TaskState::Stopped).expect("the task stops");
    let empty = instance_event(&tl, "instance-terminated", "i-1").expect("i-1 goes");
    assert!(empty.t < stopped);
    let taken = tl
        .events
        .iter()
        .find(|e| {
            matches!(e.kind.code(), "instance-draining" | "instance-terminated")
                && e.instance.as_deref() == Some("i-0")
        })
        .expect("i-0 goes once its task is done");
    assert!(taken.t >= stopped, "{} {stopped}", taken.t);
    assert!(
        taken.message.contains("runs no non-daemon task"),
        "{}",
        taken.message
    );
}

// A service's FARGATE_SPOT task waits while Spot capacity is unavailable (its scheduler
// retries); RunTask does not wait: "If Amazon ECS doesn't have the capacity to launch a Fargate
// task, then the RunTask API fails" with "Capacity is unavailable at this time. Please try
// again later or in a different availability zone" (AWS Knowledge Center,
// ecs-fargate-runtask-capacity). A RunTask during the unavailable period fails; one after it
// runs; the FARGATE share of a mixed strategy starts.
#[test]
fn runtask_on_fargate_spot_fails_while_spot_capacity_is_unavailable() {
    let l = load_value(json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a"], "containerInstances": []},
        "taskDefinitions": [{"family": "batch", "requiresCompatibilities": ["FARGATE"], "cpu": "256",
            "memory": "512", "networkMode": "awsvpc",
            "containerDefinitions": [{"name": "job", "image": "job:1"}]}],
        "services": [],
        "settings": {"simulation": {
            "fargateSpotUnavailable": [{"fromSecond": 0, "toSecond": 1200}],
            "runTasks": [
                {"taskDefinition": "batch", "count": 2, "atSecond": 60, "runSeconds": 300,
                 "capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]},
                {"taskDefinition": "batch", "count": 2, "atSecond": 120, "runSeconds": 300,
                 "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "base": 1, "weight": 0},
                    {"capacityProvider": "FARGATE_SPOT", "weight": 1}]},
                {"taskDefinition": "batch", "count": 1, "atSecond": 1800, "runSeconds": 300,
                 "capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]}
            ]}}
    }));
    assert!(l.plan.is_some(), "{:#?}", l.findings);
    let p = l.plan.unwrap();
    let tl = run(&p, 3600);
    let failed = events(&tl, "run-task-failed");
    assert_eq!(
        failed.iter().map(|e| e.t).collect::<Vec<_>>(),
        [60, 60, 120],
        "{failed:#?}"
    );
    assert!(failed
        .iter()
        .all(|e| e.message.contains("Capacity is unavailable at this time")));
    let ran: Vec<u32> = lives(&tl, "family:batch")
        .iter()
        .filter_map(|l| first(l, TaskState::Running))
        .collect();
    assert_eq!(ran.len(), 2, "{ran:?}");
    assert!(ran[0] >= 120 && ran[0] < 1200 && ran[1] >= 1800, "{ran:?}");
}
