//! `ecsplan whatif PLAN --drain ID | --remove ID | --lose-az AZ | --fit SERVICE |
//! --min-instances TYPE`: the questions of an architecture review.

use crate::{input, Outcome, UsageError};
use engine::api::placement::whatif::{self, Change};
use engine::api::placement::PlaceOptions;

pub struct Question {
    pub drain: Vec<String>,
    pub remove: Vec<String>,
    pub lose_az: Option<String>,
    pub fit: Option<String>,
    pub min_instances: Option<String>,
    /// Ignore the plan's recorded running tasks.
    pub afresh: bool,
}

pub fn run(path: &str, q: Question, json: bool, seed: Option<u64>) -> Result<Outcome, UsageError> {
    let asked = [
        !q.drain.is_empty(),
        !q.remove.is_empty(),
        q.lose_az.is_some(),
        q.fit.is_some(),
        q.min_instances.is_some(),
    ];
    if asked.iter().filter(|a| **a).count() != 1 {
        return Err(UsageError("ask one question: --drain ID, --remove ID, --lose-az AZ, --fit SERVICE or --min-instances TYPE".into()));
    }
    let Some(mut plan) = input::load_plan(path)? else {
        return Ok(Outcome::Negative);
    };
    if q.afresh {
        plan.running_tasks = None;
    }
    if !json && q.min_instances.is_none() {
        if let Some(line) = crate::commands::place::recorded_line(&plan, None) {
            outln!("{line}");
        }
    }
    let mut opts = PlaceOptions::for_plan(&plan);
    if let Some(s) = seed {
        opts.seed = s;
    }
    let print =
        |v: &serde_json::Value| raw!("{}\n", serde_json::to_string_pretty(v).unwrap_or_default());
    if let Some(service) = &q.fit {
        let f = whatif::fit(&plan, &opts, service).map_err(usage)?;
        if json {
            print(&serde_json::to_value(&f).unwrap_or_default());
        } else {
            match f.more {
                Some(n) => outln!("{}: {} running; {n} more fit now.", f.service, f.running),
                None => outln!("{}: {} running; no instance limit.", f.service, f.running),
            }
            for l in &f.limit {
                outln!("  next one: {l}");
            }
        }
        return Ok(if f.more == Some(0) {
            Outcome::Negative
        } else {
            Outcome::Ok
        });
    }
    if let Some(t) = &q.min_instances {
        let m = whatif::min_instances(&plan, &opts, t).map_err(usage)?;
        if json {
            print(&serde_json::to_value(&m).unwrap_or_default());
        } else {
            match m.count {
                Some(n) => outln!(
                    "{n} × {} across {} run every EC2 task (cpu {:.0} %, memory {:.0} % reserved).",
                    m.instance_type,
                    m.availability_zones.join(", "),
                    m.cpu_percent,
                    m.memory_percent
                ),
                None => outln!("No number of {} runs every task:", m.instance_type),
            }
            for n in &m.never_fit {
                outln!("  {n}");
            }
        }
        return Ok(if m.count.is_some() {
            Outcome::Ok
        } else {
            Outcome::Negative
        });
    }
    let change = if !q.drain.is_empty() {
        Change::Drain(q.drain)
    } else if !q.remove.is_empty() {
        Change::Remove(q.remove)
    } else {
        Change::LoseZone(q.lose_az.unwrap_or_default())
    };
    let w = whatif::what_if(&plan, &opts, &change).map_err(usage)?;
    if json {
        print(&serde_json::to_value(&w).unwrap_or_default());
    } else {
        outln!(
            "What if: {} ({} instance{})",
            w.change,
            w.instances.len(),
            if w.instances.len() == 1 { "" } else { "s" }
        );
        if w.moved.is_empty() {
            outln!("  no replica service task is displaced");
        }
        for m in &w.moved {
            match &m.to {
                Some(to) => outln!(
                    "  {:<16} {} → {} ({})",
                    m.task,
                    m.from,
                    to,
                    m.availability_zone.as_deref().unwrap_or("")
                ),
                None => {
                    outln!("  {:<16} {} → NOT PLACED", m.task, m.from);
                    for r in &m.reasons {
                        outln!("      {r}");
                    }
                }
            }
        }
        for t in &w.lost {
            outln!("  {t:<16} stopped with its instance (standalone tasks are not replaced)");
        }
        for t in &w.daemon_stopped {
            outln!(
                "  {t:<16} stopped with its instance (a daemon runs one task per ACTIVE instance: not replaced)"
            );
        }
        for t in &w.kept {
            outln!(
                "  {t:<16} keeps running on the draining instance (standalone tasks are not moved)"
            );
        }
    }
    Ok(if w.all_replaced() {
        Outcome::Ok
    } else {
        Outcome::Negative
    })
}

/// A question about something the plan does not have is the user's to correct: a usage error.
fn usage(e: whatif::WhatIfError) -> UsageError {
    UsageError(e.to_string())
}
