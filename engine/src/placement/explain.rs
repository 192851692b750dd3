//! Why a task went where it went, and why it could not go anywhere else.
//!
//! Computed on demand for one task: the cluster is rebuilt as it was just before the task was
//! placed (by replaying the placement's events), then every instance goes through the same
//! pipeline that placed the task (`pipeline::feasible` with
//! `Check::PLACE`, then `strategy::key`). Rejected instances get the first stage that ruled
//! them out and the exact reason; candidates get their value under each strategy and their
//! rank.

use super::demand::Demand;
use super::filter::Stage;
use super::pipeline::{feasible, Check};
use super::state::State;
use super::strategy::{self, random, Key, Rule};
use super::{Event, InstanceIx, Launch, Outcome, Placement, SpecIx, Task, TaskIx};
use crate::sort::sort;
use serde::Serialize;
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
/// Why a task is where it is: every instance's verdict through the placement pipeline and its
/// rank by the strategies ("why not here?" on the board, `ecsplan place --explain`).
pub struct Explanation {
    /// The task's id (`web-3`).
    pub task: String,
    /// Its task group (`service:web`).
    pub group: String,
    /// `family:revision`.
    pub task_definition: String,
    /// How it is launched (EC2, a capacity provider, Fargate), in words.
    pub launch: String,
    /// What it reserves on an instance.
    pub demand: Demand,
    /// The strategy chain, e.g. "spread(attribute:ecs.availability-zone) → spread(instanceId)
    /// (service default)".
    pub strategy: String,
    /// Its placement constraints, as written.
    pub constraints: Vec<String>,
    /// One sentence: where the task is and why.
    pub outcome: String,
    /// Every instance's verdict, in the cluster's order.
    pub instances: Vec<InstanceVerdict>,
    /// What AWS does not specify and how the planner decided.
    pub notes: Vec<String>,
    /// The task was running before the last edit and kept its place (see
    /// [`place_keeping`](super::place_keeping)): the ranks are where it would go if placed now.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub kept: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
/// One instance, for one task: whether it passed every filter, and its rank if it did.
pub struct InstanceVerdict {
    /// The instance's id.
    pub instance: String,
    /// Its zone.
    pub availability_zone: String,
    /// Its EC2 type.
    pub instance_type: String,
    /// Whether the task could go there (every filter passed).
    pub passed: bool,
    /// The stage that rejected it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// ECS's failure reason code for the rejection (`RESOURCE:MEMORY`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The rejection in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// 1 = best among the candidates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
    /// Its value for each strategy rule, in the chain's order.
    pub scores: Vec<Score>,
    /// The instance the task is on.
    pub chosen: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
/// An instance's value for one strategy rule of the chain.
pub struct Score {
    /// The rule, as the chain names it.
    pub rule: String,
    /// The value the ranking compares.
    pub value: i64,
    /// The value in words.
    pub text: String,
}

/// The cluster just before task `t` was (last) placed: the cluster as it is when nothing
/// landed or left since (the common case: the task was just tried), else a replay of the
/// events before it.
pub fn state_before(p: &Placement, t: TaskIx) -> Cow<'_, State> {
    let last = p
        .events
        .iter()
        .rposition(|e| matches!(e, Event::Place { task, .. } if *task == t))
        .unwrap_or(p.events.len());
    if !p.events[last..].iter().any(changes_state) {
        return Cow::Borrowed(&p.state);
    }
    let mut s = State::new(&p.cluster);
    for e in &p.events[..last] {
        replay(p, &mut s, e);
    }
    Cow::Owned(s)
}

/// Whether the event changes the cluster's usage (a task landed or left).
pub(super) fn changes_state(e: &Event) -> bool {
    !matches!(e, Event::Place { node: None, .. })
}

/// Applies one event to a replayed state.
pub(super) fn replay(p: &Placement, s: &mut State, e: &Event) {
    match *e {
        Event::Place {
            task,
            node: Some(n),
        } => {
            let spec = &p.specs[p.tasks[task].spec];
            s.add(n, task, spec.group, &spec.demand);
        }
        Event::Remove { task, node } => {
            let spec = &p.specs[p.tasks[task].spec];
            s.remove(node, task, spec.group, &spec.demand);
        }
        Event::Place { node: None, .. } => {}
    }
}

/// Explains task `t` (index into `p.tasks`).
pub fn explain(p: &Placement, t: TaskIx) -> Explanation {
    let task = &p.tasks[t];
    let spec = &p.specs[task.spec];
    let launch = match &spec.launch {
        Launch::Ec2 => "EC2 launch type".to_string(),
        Launch::Provider { name } => format!("capacity provider {name}"),
        Launch::Fargate { provider } => format!("{provider} (AWS Fargate)"),
    };
    let (outcome, instances, notes) = match spec.launch {
        Launch::Fargate { .. } => (on_fargate(task), Vec::new(), Vec::new()),
        _ => {
            let instances = verdicts(p, t);
            let passed = instances.iter().filter(|v| v.rank.is_some()).count();
            let mut notes = Vec::new();
            if passed > 1 {
                notes.push("Ties left after the strategies are broken by a seeded draw: AWS does not specify how ECS chooses among equal instances.".to_string());
            }
            if spec.chain.rules.contains(&Rule::Random) {
                notes.push("random: each instance gets a seeded draw, redrawn when it receives a task; AWS only says the choice is random.".to_string());
            }
            (outcome_sentence(p, t, &instances), instances, notes)
        }
    };
    Explanation {
        task: task.id(),
        group: p.groups.name(spec.group).to_string(),
        task_definition: format!("{}:{}", task.family, task.revision),
        launch,
        demand: spec.demand.clone(),
        strategy: spec.chain.describe(),
        constraints: spec.constraints.iter().map(|c| c.describe()).collect(),
        outcome,
        instances,
        notes,
        kept: p.is_kept(t) && matches!(task.outcome, Outcome::Placed { .. }),
    }
}

/// The sentence of a task launched on Fargate, which no instance verdict explains.
fn on_fargate(task: &Task) -> String {
    let az = match &task.outcome {
        Outcome::Fargate { availability_zone } => availability_zone.as_str(),
        _ => "",
    };
    format!("runs on AWS Fargate in {az}: Fargate spreads a service's tasks across its zones; placement strategies and constraints do not apply")
}

/// The instance a kept task runs on: a task kept where it was running is explained on the
/// cluster as it is now, where it would rank if it were placed now.
fn kept_on(p: &Placement, t: TaskIx) -> Option<InstanceIx> {
    match p.tasks[t].outcome {
        Outcome::Placed { node } if p.is_kept(t) => Some(node),
        _ => None,
    }
}

/// Every instance's verdict for task `t` on the cluster as it was when the task was placed
/// (as it is now without the task, for a kept task): the stage and reason that ruled it out,
/// or its values under the strategies and its rank among those that passed.
fn verdicts(p: &Placement, t: TaskIx) -> Vec<InstanceVerdict> {
    let task = &p.tasks[t];
    let spec_i = task.spec;
    let spec = &p.specs[spec_i];
    let state = match kept_on(p, t) {
        Some(node) => {
            let mut s = p.state.clone();
            s.remove(node, t, spec.group, &spec.demand);
            Cow::Owned(s)
        }
        None => state_before(p, t),
    };
    let cx = p.context_in(&state);
    let prepared = strategy::prepare(&cx, spec_i);
    let mut candidates: Vec<(Key, InstanceIx)> = Vec::new();
    let mut instances = Vec::with_capacity(p.cluster.nodes.len());
    for (i, n) in p.cluster.indexed() {
        let mut v = InstanceVerdict {
            instance: n.id.clone(),
            availability_zone: n.availability_zone.clone(),
            instance_type: n.instance_type.clone(),
            passed: true,
            stage: None,
            code: None,
            reason: None,
            rank: None,
            scores: Vec::new(),
            chosen: task.outcome == Outcome::Placed { node: i },
        };
        match feasible(&cx, spec_i, i, Check::PLACE) {
            Err(r) => {
                v.passed = false;
                v.stage = Some(r.stage());
                v.code = Some(r.ecs_code().to_string());
                v.reason = Some(r.to_string());
            }
            Ok(()) => {
                let k = strategy::key(&cx, spec_i, i, &prepared);
                v.scores = scores(p, spec_i, i, &k);
                candidates.push((k, i));
            }
        }
        instances.push(v);
    }
    sort(&mut candidates);
    for (rank, (_, i)) in candidates.iter().enumerate() {
        instances[i.at()].rank = Some(rank as u32 + 1);
    }
    instances
}

/// One sentence: where task `t` is and why, given the instances' `verdicts`.
fn outcome_sentence(p: &Placement, t: TaskIx, verdicts: &[InstanceVerdict]) -> String {
    let spec = &p.specs[p.tasks[t].spec];
    let passed = verdicts.iter().filter(|v| v.rank.is_some()).count();
    match &p.tasks[t].outcome {
        Outcome::Fargate { .. } => on_fargate(&p.tasks[t]),
        Outcome::Placed { node } if kept_on(p, t).is_some() => {
            let n = &p.cluster.nodes[*node];
            let rank = verdicts[node.at()].rank.map_or_else(
                || "it would not pass every filter there now".to_string(),
                |r| format!("placed now, it would rank {r} of {passed} there"),
            );
            format!(
                "kept on {} ({}, {}), where it was already running: ECS does not move a running task when the cluster changes ({rank})",
                n.id, n.availability_zone, n.instance_type
            )
        }
        Outcome::Placed { node } => {
            let n = &p.cluster.nodes[*node];
            format!(
                "placed on {} ({}, {}): ranked first of {passed} instance{} that passed every filter",
                n.id,
                n.availability_zone,
                n.instance_type,
                if passed == 1 { "" } else { "s" }
            )
        }
        Outcome::Unplaced { provisioning } => {
            let state_word = if *provisioning {
                "PROVISIONING (waiting for the capacity provider to add instances)"
            } else {
                "PENDING"
            };
            if !spec.placeable() {
                format!("not placed ({state_word}): {}", spec.broken.join("; "))
            } else {
                format!("not placed, stays {state_word}: no instance passed every filter")
            }
        }
        Outcome::Stopped => "stopped".to_string(),
    }
}

/// The instance's value under each strategy of the chain, and the tie-break, in words.
fn scores(p: &Placement, spec: SpecIx, node: InstanceIx, k: &Key) -> Vec<Score> {
    let s = &p.specs[spec];
    let n = &p.cluster.nodes[node];
    let group = p.groups.name(s.group);
    let mut out: Vec<Score> = s
        .chain
        .rules
        .iter()
        .enumerate()
        .map(|(j, r)| Score {
            rule: r.to_string(),
            value: k[j],
            text: strategy::describe(r, k[j], n, group),
        })
        .collect();
    let tie = k[s.chain.rules.len()];
    out.push(Score {
        rule: "tie-break".to_string(),
        value: tie,
        text: random::describe_tie_break(tie),
    });
    out
}
