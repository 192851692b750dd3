//! Placement after an edit keeps running tasks, checked against the AWS pages.

use super::super::tests::{plan, td, where_is};
use super::super::whatif::{what_if, Change};
use super::super::TaskIx;
use super::super::{diff::diff, diff::TaskChange, explain, place, Outcome, PlaceOptions};
use super::place_keeping;
use crate::plan::{InstanceStatus, Plan};
use serde_json::json;

const O: PlaceOptions = PlaceOptions { seed: 1 };

/// Six instances, two per zone, and `web` (default spread by zone, then instance) with `n`
/// tasks of 1 vCPU / 1 GiB.
fn six(n: u32) -> Plan {
    plan(
        &[
            ("i-a1", "m5.large", "a"),
            ("i-a2", "m5.large", "a"),
            ("i-b1", "m5.large", "b"),
            ("i-b2", "m5.large", "b"),
            ("i-c1", "m5.large", "c"),
            ("i-c2", "m5.large", "c"),
        ],
        json!([td("web", 1024, 1024)]),
        json!([{"serviceName": "web", "taskDefinition": "web", "desiredCount": n}]),
    )
}

fn with_instance(pl: &Plan, id: &str, az: &str) -> Plan {
    let mut next = pl.clone();
    let mut inst = next.cluster.container_instances[0].clone();
    inst.id = id.into();
    inst.availability_zone = az.into();
    next.cluster.container_instances.push(inst);
    next
}

/// Tasks on instances per zone, in the cluster's zone order.
fn per_zone(p: &super::Placement) -> Vec<usize> {
    let mut z = vec![0; p.cluster.azs.len()];
    for t in &p.tasks {
        if let Outcome::Placed { node } = t.outcome {
            z[p.cluster.nodes[node].az] += 1;
        }
    }
    z
}

fn locations(p: &super::Placement) -> Vec<(String, Option<String>)> {
    p.tasks
        .iter()
        .map(|t| (t.id(), where_is(p, &t.id())))
        .collect()
}

#[test]
fn adding_an_instance_moves_no_running_task() {
    // cluster-auto-scaling.md: "Amazon ECS uses placement strategy and placement constraints with
    // the existing capacity at the current time": strategies decide where a task is launched;
    // a new instance does not pull running tasks over. A fresh placement of the same plan
    // would reshuffle (spread by instance puts tasks on the new one).
    let before = place(&six(12), &O);
    let next = with_instance(&six(12), "i-a3", "us-east-1a");
    let kept = place_keeping(&next, &O, &before);
    assert_eq!(locations(&kept), locations(&before));
    assert!(diff(&before, &kept).is_empty());
    assert!((0..kept.tasks.len()).all(|t| kept.is_kept(TaskIx::new(t))));
    let fresh = place(&next, &O);
    assert!(
        !diff(&before, &fresh).is_empty(),
        "fresh placement moves tasks"
    );
}

#[test]
fn pending_tasks_land_on_a_new_instance() {
    // Tasks that found no room stay PENDING (task-placement.md) and are placed when capacity
    // arrives; the running ones stay put.
    let pl = six(14); // 6 × m5.large hold 12 tasks of 1 vCPU
    let before = place(&pl, &O);
    let pending: Vec<String> = before
        .tasks
        .iter()
        .filter(|t| matches!(t.outcome, Outcome::Unplaced { .. }))
        .map(|t| t.id())
        .collect();
    assert_eq!(pending.len(), 2);
    let kept = place_keeping(&with_instance(&pl, "i-c3", "us-east-1c"), &O, &before);
    for id in &pending {
        assert_eq!(where_is(&kept, id).as_deref(), Some("i-c3"), "{id}");
    }
    let changes = diff(&before, &kept);
    assert_eq!(changes.len(), 2);
    assert!(changes
        .iter()
        .all(|c| matches!(c, TaskChange::Placed { to, .. } if to == "i-c3")));
}

#[test]
fn draining_moves_only_the_drained_instance_tasks_like_the_what_if() {
    // container-instance-draining.md: service tasks on a DRAINING instance are replaced;
    // others keep running. The CLI's what-if answers the same question; both agree.
    let pl = six(9);
    let before = place(&pl, &O);
    let mut drained = pl.clone();
    drained.cluster.container_instances[2].status = InstanceStatus::Draining;
    let kept = place_keeping(&drained, &O, &before);
    let w = what_if(&pl, &O, &Change::Drain(vec!["i-b1".into()])).unwrap();
    assert_eq!(locations(&kept), locations(&w.placement));
    let moved: Vec<TaskChange> = diff(&before, &kept)
        .into_iter()
        .filter(|c| matches!(c, TaskChange::Moved { .. }))
        .collect();
    assert_eq!(moved.len(), w.moved.len());
    assert!(moved
        .iter()
        .all(|c| matches!(c, TaskChange::Moved { from, afresh: false, .. } if from == "i-b1")));
}

#[test]
fn losing_a_zone_replaces_only_its_service_tasks() {
    let pl = six(9);
    let before = place(&pl, &O);
    let mut lost = pl.clone();
    lost.cluster
        .container_instances
        .retain(|i| i.availability_zone != "us-east-1c");
    let kept = place_keeping(&lost, &O, &before);
    let w = what_if(&pl, &O, &Change::LoseZone("us-east-1c".into())).unwrap();
    assert_eq!(locations(&kept), locations(&w.placement));
}

#[test]
fn scale_in_stops_what_ecs_stops_and_scale_out_counts_on() {
    // ecs_services.md (service scheduler): on scale-in the default strategy stops tasks from
    // the zone with the most of the service's tasks, keeping the zones balanced.
    let before = place(&six(7), &O); // zones 3 / 2 / 2
    let kept = place_keeping(&six(6), &O, &before);
    assert_eq!(per_zone(&kept), vec![2, 2, 2]);
    let changes = diff(&before, &kept);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert!(matches!(&changes[0], TaskChange::Removed { .. }));
    let gone = changes[0].task().to_string();
    // The survivors did not move.
    for (id, at) in locations(&kept) {
        assert_eq!(where_is(&before, &id), at);
    }
    // Scaling out again adds one task, numbered after the highest running one; the six keep
    // their places.
    let highest = kept.tasks.iter().map(|t| t.ordinal).max().unwrap();
    let grown = place_keeping(&six(7), &O, &kept);
    let new: Vec<String> = diff(&kept, &grown)
        .iter()
        .filter(|c| matches!(c, TaskChange::New { .. }))
        .map(|c| c.task().to_string())
        .collect();
    assert_eq!(new, vec![format!("web-{}", highest + 1)]);
    assert_eq!(diff(&kept, &grown).len(), 1);
    assert!(kept.task_index(&gone).is_none());
}

#[test]
fn a_new_revision_is_a_new_deployment() {
    // deployment-type-ecs.md: a rolling update replaces the running tasks with new ones, so
    // a service whose task definition changed is placed afresh.
    let pl = six(6);
    let before = place(&pl, &O);
    let mut next = pl.clone();
    next.task_definitions[0].container_definitions[0].memory = Some(2048);
    let kept = place_keeping(&next, &O, &before);
    assert_eq!(locations(&kept), locations(&place(&next, &O)));
    assert!((0..kept.tasks.len()).all(|t| !kept.is_kept(TaskIx::new(t))));
}

#[test]
fn a_kept_task_says_so_and_ranks_as_if_placed_now() {
    let before = place(&six(6), &O);
    let kept = place_keeping(&with_instance(&six(6), "i-a3", "us-east-1a"), &O, &before);
    let e = explain(&kept, TaskIx(0));
    assert!(
        e.outcome.starts_with("kept on i-")
            && e.outcome.contains("ECS does not move a running task"),
        "{}",
        e.outcome
    );
    // Placed now, the empty new instance would rank above the task's own.
    let fresh_rank = e
        .instances
        .iter()
        .find(|v| v.instance == "i-a3")
        .and_then(|v| v.rank);
    assert!(fresh_rank.is_some());
}

#[test]
fn a_standalone_task_keeps_running_on_a_draining_instance() {
    // container-instance-draining.md: "Standalone tasks ... are not affected" by draining.
    let mut pl = six(0);
    pl.tasks = serde_json::from_value(json!([{"taskDefinition": "web", "count": 1}])).unwrap();
    let before = place(&pl, &O);
    let at = where_is(&before, &before.tasks[0].id()).unwrap();
    let mut drained = pl.clone();
    for i in &mut drained.cluster.container_instances {
        if i.id == at {
            i.status = InstanceStatus::Draining;
        }
    }
    let kept = place_keeping(&drained, &O, &before);
    assert_eq!(where_is(&kept, &kept.tasks[0].id()), Some(at));
}

#[test]
fn an_instance_moved_to_another_zone_is_relaunched_there() {
    // Moving an instance on the board relaunches it in the other zone: its tasks stopped with
    // the old instance and are placed again, the others stay.
    let pl = six(9);
    let before = place(&pl, &O);
    let mut moved = pl.clone();
    moved.cluster.container_instances[0].availability_zone = "us-east-1b".into();
    let kept = place_keeping(&moved, &O, &before);
    let on_it: Vec<String> = before
        .tasks
        .iter()
        .filter(|t| where_is(&before, &t.id()).as_deref() == Some("i-a1"))
        .map(|t| t.id())
        .collect();
    assert!(!on_it.is_empty());
    for t in &kept.tasks {
        let i = kept.task_index(&t.id()).unwrap();
        assert_eq!(kept.is_kept(i), !on_it.contains(&t.id()), "{}", t.id());
    }
}

/// `six(n)` after losing us-east-1c, placed as the board would, then the zone's two instances
/// come back (new ids): where do the tasks run, per zone?
fn zone_returns(rebalancing: Option<&str>, strategy: serde_json::Value) -> Vec<usize> {
    let mut pl = six(9);
    pl.services[0].placement_strategy = serde_json::from_value(strategy).unwrap();
    if let Some(r) = rebalancing {
        pl.services[0]
            .extra
            .insert("availabilityZoneRebalancing".into(), json!(r));
    }
    let before = place(&pl, &O);
    let mut lost = pl.clone();
    lost.cluster
        .container_instances
        .retain(|i| i.availability_zone != "us-east-1c");
    let during = place_keeping(&lost, &O, &before);
    let back = with_instance(
        &with_instance(&lost, "i-c3", "us-east-1c"),
        "i-c4",
        "us-east-1c",
    );
    per_zone(&place_keeping(&back, &O, &during))
}

#[test]
fn zone_rebalancing_moves_tasks_back_when_a_zone_returns() {
    // service-rebalancing.md: with Availability Zone rebalancing (CreateService's default), ECS
    // starts tasks in the zones with the fewest and stops tasks in the zones with the most, for
    // services whose first strategy spreads by zone.
    let default_chain = json!([]);
    assert_eq!(zone_returns(None, default_chain.clone()), vec![3, 3, 3]);
    let spread = json!([{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "memory"}]);
    assert_eq!(zone_returns(Some("ENABLED"), spread), vec![3, 3, 3]);
    // Disabled, or a strategy that does not spread by zone first: only the task that waited
    // (the other zones hold 8 of the 9) goes to the returning zone.
    assert_eq!(zone_returns(Some("DISABLED"), default_chain), vec![4, 4, 1]);
    let binpack = json!([{"type": "binpack", "field": "memory"}]);
    let z = zone_returns(None, binpack);
    assert_eq!(z[2], 1, "{z:?}");
}

/// The board edit `testkit`'s chooser picks for `pick`, as the engine's type.
fn edit_of(plan: &Plan, pick: (u8, usize, u32)) -> Option<crate::edit::Edit> {
    let chosen = testkit::edits::edit_of(&serde_json::to_value(plan).ok()?, pick)?;
    Some(serde_json::from_value(chosen).expect("the chooser's edit is a board edit"))
}

/// What a placement kept after an edit shows and the next edit reads: every task (id,
/// outcome, kept), every event, each instance's tasks in the order they landed and its groups.
fn shown(p: &super::Placement) -> String {
    let mut out = format!("{:?}\n", p.events);
    for (k, t) in p.tasks.iter().enumerate() {
        let kept = p.is_kept(TaskIx::new(k));
        out += &format!("{} {:?} {kept}\n", t.id(), t.outcome);
    }
    for (i, u) in p.state.usage.iter().enumerate() {
        out += &format!("{i}: {} {} {:?} {:?}\n", u.cpu, u.memory, u.tasks, u.groups);
    }
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Along random runs of board edits (drain, add, move, remove an instance, a desired
    /// count), the placement kept with rebalancing attempts skipped where `may_move` rules
    /// them out is the one kept trying every attempt.
    #[test]
    fn skipped_rebalancing_attempts_keep_the_placement_of_every_attempt(
        v in testkit::plans::plan(),
        edits in proptest::collection::vec((0u8..5, 0usize..64, 0u32..64), 1..8),
    ) {
        let mut plan = crate::load::load_value(v).plan.expect("a generated plan loads");
        let opts = PlaceOptions::for_plan(&plan);
        let mut before = place(&plan, &opts);
        for pick in edits {
            let Some(e) = edit_of(&plan, pick) else { continue };
            let Ok(next) = crate::edit::apply(&plan, &e) else { continue };
            let fast = place_keeping(&next, &opts, &before);
            let plain = super::place_keeping_by_attempt(&next, &opts, &before);
            proptest::prop_assert_eq!(shown(&fast), shown(&plain), "after {:?}", e);
            plan = next;
            before = fast;
        }
    }
}
