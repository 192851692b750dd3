//! `ecsplan place PLAN`: where every task goes, and why (`--explain TASK`).

use crate::output::Clean;
use crate::{input, Outcome, UsageError};
use engine::api::placement::{
    explain, place, report, starts_from_recorded, Explanation, Outcome as TaskOutcome,
    PlaceOptions, Placement, TaskIx,
};
use engine::api::plan::Plan;

pub fn run(
    path: &str,
    json_out: bool,
    seed: Option<u64>,
    explain_ids: &[String],
    afresh: bool,
) -> Result<Outcome, UsageError> {
    let Some(mut plan) = input::load_plan(path)? else {
        return Ok(Outcome::Negative);
    };
    if afresh {
        plan.running_tasks = None;
    }
    let mut opts = PlaceOptions::for_plan(&plan);
    if let Some(s) = seed {
        opts.seed = s;
    }
    let p = place(&plan, &opts);
    let explain_all = explain_ids.iter().any(|e| e == "all");
    let mut wanted = Vec::new();
    for id in explain_ids.iter().filter(|e| *e != "all") {
        match p.task_index(id) {
            Some(t) => wanted.push(t),
            None => {
                let ids: Vec<String> = p.tasks.iter().take(8).map(|t| t.id()).collect();
                return Err(UsageError(format!(
                    "no task {id} in the placement (tasks: {}{})",
                    ids.join(", "),
                    if p.tasks.len() > 8 { ", ..." } else { "" }
                )));
            }
        }
    }
    if explain_all {
        wanted = TaskIx::range(0, p.tasks.len()).collect();
    }
    let unplaced = p
        .tasks
        .iter()
        .any(|t| matches!(t.outcome, TaskOutcome::Unplaced { .. }));
    if json_out {
        let r = report(&p, &wanted);
        raw!("{}\n", serde_json::to_string_pretty(&r).unwrap_or_default());
    } else {
        out!("{}", table(&plan, &p, opts.seed));
        for t in &wanted {
            out!("\n{}", explanation_text(&explain(&p, *t)));
        }
    }
    Ok(if unplaced {
        Outcome::Negative
    } else {
        Outcome::Ok
    })
}

fn table(plan: &Plan, p: &Placement, seed: u64) -> String {
    let b = engine::api::board::board(plan, p);
    let mut s = format!(
        "{}: {} tasks, {} on instances, {} on Fargate, {} unplaced (seed {seed})\n",
        Clean(if plan.name.is_empty() {
            "plan"
        } else {
            &plan.name
        }),
        b.totals.placed + b.totals.fargate + b.totals.unplaced,
        b.totals.placed,
        b.totals.fargate,
        b.totals.unplaced
    );
    if let Some(line) = recorded_line(plan, Some(p)) {
        s.push_str(&line);
        s.push('\n');
    }
    for lane in &b.lanes {
        s.push_str(&format!("\n{}\n", lane.availability_zone));
        for c in &lane.instances {
            let tasks: Vec<&str> = c.tasks.iter().map(|t| t.id.as_str()).collect();
            s.push_str(&format!(
                "  {:<22} {:<12} cpu {:>5}/{:<5} mem {:>6}/{:<6} MiB{}  {}\n",
                c.id,
                c.instance_type,
                c.cpu.used,
                c.cpu.total,
                c.memory.used,
                c.memory.total,
                if c.draining { "  DRAINING" } else { "" },
                if tasks.is_empty() {
                    "-".to_string()
                } else {
                    tasks.join(" ")
                }
            ));
        }
        if !lane.fargate.is_empty() {
            let ids: Vec<&str> = lane.fargate.iter().map(|t| t.id.as_str()).collect();
            s.push_str(&format!("  Fargate: {}\n", ids.join(" ")));
        }
    }
    if !b.unplaced.is_empty() {
        s.push_str("\nNot placed\n");
        for t in &b.unplaced {
            s.push_str(&format!(
                "  {} ({}){}\n",
                Clean(&t.id),
                Clean(&t.group),
                if t.provisioning {
                    " PROVISIONING"
                } else {
                    " PENDING"
                }
            ));
            for r in &t.reasons {
                s.push_str(&format!("      {r}\n"));
            }
        }
    }
    for f in &p.findings {
        s.push_str(&format!("\n{f}\n"));
    }
    s
}

/// When placement starts from the plan's recorded running tasks, the line that says so (with
/// how many stayed, given the placement), else `None`.
pub fn recorded_line(plan: &Plan, p: Option<&Placement>) -> Option<String> {
    if !starts_from_recorded(plan) {
        return None;
    }
    let n = plan.recorded_tasks().len();
    let kept = p.map(|p| {
        let k = TaskIx::range(0, p.tasks.len())
            .filter(|&t| p.is_kept(t))
            .count();
        format!(": {k} kept where they run")
    });
    Some(format!(
        "Started from the {n} task{} the plan records as running (runningTasks){}; --afresh places every task as on an empty cluster",
        if n == 1 { "" } else { "s" },
        kept.unwrap_or_default()
    ))
}

/// An explanation as text: the task, its needs, the strategy, then one line per instance.
pub fn explanation_text(e: &Explanation) -> String {
    let d = &e.demand;
    let mut needs = format!("cpu {} units, memory {} MiB", d.cpu, d.memory);
    if d.gpus > 0 {
        needs.push_str(&format!(", {} GPU", d.gpus));
    }
    if !d.static_ports.is_empty() {
        let ports: Vec<String> = d
            .static_ports
            .iter()
            .map(|(p, proto)| {
                format!(
                    "{p}/{}",
                    if *proto == engine::api::plan::Protocol::Udp {
                        "udp"
                    } else {
                        "tcp"
                    }
                )
            })
            .collect();
        needs.push_str(&format!(", host ports {}", ports.join(" ")));
    }
    if d.dynamic_ports > 0 {
        needs.push_str(&format!(
            ", {} dynamic port{}",
            d.dynamic_ports,
            if d.dynamic_ports == 1 { "" } else { "s" }
        ));
    }
    if d.needs_eni {
        needs.push_str(", an ENI (awsvpc)");
    }
    let mut s = format!(
        "Task {} ({}, {}) via {}\n  needs:       {needs}\n  strategy:    {}\n  constraints: {}\n  outcome:     {}\n",
        e.task,
        e.group,
        e.task_definition,
        e.launch,
        e.strategy,
        if e.constraints.is_empty() { "none".to_string() } else { e.constraints.join(", ") },
        e.outcome
    );
    for v in &e.instances {
        let verdict = match (&v.rank, &v.reason) {
            (Some(r), _) => {
                let scores: Vec<String> = v
                    .scores
                    .iter()
                    .map(|sc| format!("{}: {}", sc.rule, sc.text))
                    .collect();
                format!(
                    "rank {r}{}  {}",
                    if v.chosen { " (chosen)" } else { "" },
                    scores.join("; ")
                )
            }
            (None, Some(reason)) => format!(
                "rejected at {}: {reason}",
                v.stage.map(|s| s.to_string()).unwrap_or_default()
            ),
            _ => String::new(),
        };
        s.push_str(&format!(
            "  {:<22} {:<11} {:<12} {verdict}\n",
            v.instance, v.availability_zone, v.instance_type
        ));
    }
    for n in &e.notes {
        s.push_str(&format!("  note: {n}\n"));
    }
    s
}
