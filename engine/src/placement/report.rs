//! What a placement says about its tasks, for people and for tools: why one instance rejects a
//! task now ([`Placement::rejection`]), why a task could not be placed anywhere
//! ([`Placement::unplaced_reasons`], grouped by ECS's failure reason as RunTask's
//! `failures[].reason` would give it), and the whole placement as `ecsplan place --json`
//! prints it ([`report`], the CLI contract of the design: placements, unplaced tasks with
//! their reasons, findings, explanations, the seed).

use super::explain::{self, explain, Explanation};
use super::filter::Rejection;
use super::pipeline::{feasible, Check};
use super::state::State;
use super::{Event, InstanceIx, Launch, Outcome, Placement, Source, SpecIx, TaskIx};
use crate::findings::Finding;
use crate::sort::sort_by_key;
use serde::Serialize;
use std::collections::HashMap;

impl Placement {
    /// Why a task cannot go on an instance right now, or `None` if it can.
    pub fn rejection(&self, t: TaskIx, node: InstanceIx) -> Option<Rejection> {
        feasible(&self.context(), self.tasks[t].spec, node, Check::PLACE).err()
    }

    /// Why a task could not be placed, summarised by reason: "RESOURCE:MEMORY on 3 instances
    /// (i-1: memory: needs 8192 MiB, 7985 MiB free; ...)". Computed against the cluster as it
    /// was when the task was tried.
    pub fn unplaced_reasons(&self, t: TaskIx) -> Vec<String> {
        self.unplaced_reasons_without(t, &[])
    }

    /// [`Placement::unplaced_reasons`] leaving out the instances `gone` marks (indexed like the
    /// nodes; shorter when the last ones are not gone): instances that left the cluster while a
    /// simulation ran are no candidates, so they give no reason.
    pub fn unplaced_reasons_without(&self, t: TaskIx, gone: &[bool]) -> Vec<String> {
        let spec = self.tasks[t].spec;
        if !self.specs[spec].placeable() {
            return self.specs[spec].broken.clone();
        }
        self.reasons_in(spec, &explain::state_before(self, t), gone)
    }

    /// [`Placement::unplaced_reasons`] of many tasks, with one replay of the events: tasks of
    /// one spec tried while the cluster stayed the same share their reasons (thousands of
    /// unplaced tasks of a service cost one pass over the instances, not one each).
    pub fn unplaced_reasons_of(&self, ts: &[TaskIx]) -> Vec<Vec<String>> {
        let mut last: HashMap<TaskIx, usize> = ts.iter().map(|&t| (t, usize::MAX)).collect();
        for (i, e) in self.events.iter().enumerate() {
            if let Event::Place { task, .. } = e {
                if let Some(at) = last.get_mut(task) {
                    *at = i;
                }
            }
        }
        let end = self.events.len();
        let pos = |t: TaskIx| match last[&t] {
            usize::MAX => end,
            at => at,
        };
        let mut order: Vec<usize> = (0..ts.len()).collect();
        sort_by_key(&mut order, |&k| pos(ts[k]));
        let mut out = vec![Vec::new(); ts.len()];
        let mut state = State::new(&self.cluster);
        let (mut at, mut epoch) = (0, 0usize);
        let mut known: HashMap<(SpecIx, usize), Vec<String>> = HashMap::new();
        for k in order {
            let t = ts[k];
            let spec = self.tasks[t].spec;
            if !self.specs[spec].placeable() {
                out[k] = self.specs[spec].broken.clone();
                continue;
            }
            while at < pos(t) {
                let e = &self.events[at];
                if explain::changes_state(e) {
                    explain::replay(self, &mut state, e);
                    epoch += 1;
                }
                at += 1;
            }
            out[k] = known
                .entry((spec, epoch))
                .or_insert_with(|| self.reasons_in(spec, &state, &[]))
                .clone();
        }
        out
    }

    /// Why no instance takes a task of `spec` on the cluster `state`, grouped by reason; the
    /// instances `gone` marks are left out.
    fn reasons_in(&self, spec: SpecIx, state: &State, gone: &[bool]) -> Vec<String> {
        let is_gone = |i: InstanceIx| gone.get(i.at()).copied().unwrap_or(false);
        if self.cluster.instances().all(is_gone) {
            return vec!["the cluster has no container instances".to_string()];
        }
        let cx = self.context_in(state);
        let mut by_code: Vec<(String, Vec<String>)> = Vec::new();
        for (i, n) in self.cluster.indexed() {
            if is_gone(i) {
                continue;
            }
            if let Err(r) = feasible(&cx, spec, i, Check::PLACE) {
                let code = format!("{} ({})", r.ecs_code(), r.stage());
                let line = format!("{}: {r}", n.id);
                match by_code.iter_mut().find(|(c, _)| *c == code) {
                    Some((_, v)) => v.push(line),
                    None => by_code.push((code, vec![line])),
                }
            }
        }
        by_code
            .into_iter()
            .map(|(code, lines)| {
                let n = lines.len();
                let shown: Vec<String> = lines.into_iter().take(3).collect();
                let more = if n > 3 {
                    format!("; and {} more", n - 3)
                } else {
                    String::new()
                };
                format!(
                    "{code} on {n} instance{}: {}{more}",
                    if n == 1 { "" } else { "s" },
                    shown.join("; ")
                )
            })
            .collect()
    }
}

/// A placement as `ecsplan place --json` prints it (`docs/design`'s CLI contract).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacementReport {
    /// Tasks on an instance or on Fargate, in task order.
    pub placements: Vec<PlacedTask>,
    /// Tasks that could not be placed, with why.
    pub unplaced: Vec<UnplacedTask>,
    /// What makes the placement incomplete (unknown instance types).
    pub findings: Vec<Finding>,
    /// The explanations asked for, in the order asked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub explanations: Vec<Explanation>,
    /// The seed of the draws AWS leaves unspecified.
    pub seed: u64,
}

/// Where a task runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacedTask {
    /// `web-3`.
    pub task: String,
    /// The task's service, if it is a service's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// A RunTask's group (`family:worker`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// `null` on Fargate.
    pub container_instance: Option<String>,
    /// The zone it runs in.
    pub availability_zone: String,
    /// `EC2` or `FARGATE`.
    pub launch_type: &'static str,
    /// The capacity provider that launched it, if one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<String>,
    /// `family:revision`.
    pub task_definition: String,
    /// It was already running there (recorded in `runningTasks`, or before an edit) and stayed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub kept: bool,
}

/// A task that could not be placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnplacedTask {
    /// `web-3`.
    pub task: String,
    /// [`Placement::unplaced_reasons`].
    pub reasons: Vec<String>,
    /// `PENDING` (EC2 launch type) or `PROVISIONING` (waiting for a capacity provider).
    pub state: &'static str,
    /// The task's service, if it is a service's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// A RunTask's group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// The report of a placement, with the explanations of tasks `explain` (indices into
/// [`Placement::tasks`]). Stopped tasks are in neither list.
pub fn report(p: &Placement, explain_tasks: &[TaskIx]) -> PlacementReport {
    let unplaced_tasks: Vec<TaskIx> = TaskIx::range(0, p.tasks.len())
        .filter(|&i| matches!(p.tasks[i].outcome, Outcome::Unplaced { .. }))
        .collect();
    let mut reasons = p.unplaced_reasons_of(&unplaced_tasks).into_iter();
    let mut placements = Vec::new();
    let mut unplaced = Vec::new();
    for (i, t) in p.tasks.iter().enumerate() {
        let i = TaskIx::new(i);
        let (service, group) = match &t.source {
            Source::Service { name, .. } => (Some(name.to_string()), None),
            Source::Run { group, .. } => (None, Some(group.to_string())),
        };
        let capacity_provider = match &p.specs[t.spec].launch {
            Launch::Provider { name } => Some(name.clone()),
            Launch::Fargate { provider } => Some(provider.clone()),
            Launch::Ec2 => None,
        };
        let task_definition = format!("{}:{}", t.family, t.revision);
        match &t.outcome {
            Outcome::Placed { node } => {
                let n = &p.cluster.nodes[*node];
                placements.push(PlacedTask {
                    task: t.id(),
                    service,
                    group,
                    container_instance: Some(n.id.clone()),
                    availability_zone: n.availability_zone.clone(),
                    launch_type: "EC2",
                    capacity_provider,
                    task_definition,
                    kept: p.is_kept(i),
                });
            }
            Outcome::Fargate { availability_zone } => placements.push(PlacedTask {
                task: t.id(),
                service,
                group,
                container_instance: None,
                availability_zone: availability_zone.clone(),
                launch_type: "FARGATE",
                capacity_provider,
                task_definition,
                kept: p.is_kept(i),
            }),
            Outcome::Unplaced { provisioning } => unplaced.push(UnplacedTask {
                task: t.id(),
                reasons: reasons.next().unwrap_or_default(),
                state: if *provisioning {
                    "PROVISIONING"
                } else {
                    "PENDING"
                },
                service,
                group,
            }),
            Outcome::Stopped => {}
        }
    }
    PlacementReport {
        placements,
        unplaced,
        findings: p.findings.clone(),
        explanations: explain_tasks.iter().map(|&t| explain(p, t)).collect(),
        seed: p.seed,
    }
}
