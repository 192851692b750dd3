//! A review of a change (`ecsplan review NEW --against OLD`): the measures of both reports side
//! by side — placement, resilience, deployments, scaling, cost, findings and gates — with the
//! change of each.

use super::scaling::usd;
use super::Report;
use crate::sim::{duration_label, DeployOutcome};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Two reports side by side: the plan now against an older one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// The old plan's file.
    pub against: String,
    /// Every measure of either report, in report order (changed or not).
    pub deltas: Vec<Delta>,
}

/// One measure of the report, old and new.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delta {
    /// The report section it belongs to.
    pub section: String,
    /// What is measured, in words.
    pub measure: String,
    /// "—" when the old report does not have it.
    pub old: String,
    /// The value in the new report.
    pub new: String,
    /// "+3", "−12.5 %", "$+120.00", or "changed" / "" for text.
    pub delta: String,
    /// Whether old and new differ.
    pub changed: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Val {
    Count(f64),
    Percent(f64),
    Usd(f64),
    Seconds(u32),
    Text(String),
}

impl Val {
    fn show(&self) -> String {
        match self {
            Val::Count(x) => format!("{x}"),
            Val::Percent(x) => format!("{x} %"),
            Val::Usd(x) => usd(*x),
            Val::Seconds(s) => duration_label(*s),
            Val::Text(t) => t.clone(),
        }
    }

    fn num(&self) -> Option<f64> {
        match self {
            Val::Count(x) | Val::Percent(x) | Val::Usd(x) => Some(*x),
            Val::Seconds(s) => Some(*s as f64),
            Val::Text(_) => None,
        }
    }
}

type Measures = Vec<(String, String, Val)>;

/// The measures of one report, written section by section: one line a measure.
struct Rows {
    m: Measures,
    section: &'static str,
}

impl Rows {
    fn add(&mut self, name: impl Into<String>, v: Val) {
        self.m.push((self.section.to_string(), name.into(), v));
    }
    fn count(&mut self, name: impl Into<String>, n: f64) {
        self.add(name, Val::Count(n));
    }
    fn text(&mut self, name: impl Into<String>, t: impl Into<String>) {
        self.add(name, Val::Text(t.into()));
    }
}

fn measures(r: &Report) -> Measures {
    let mut m = Rows {
        m: Vec::new(),
        section: "findings",
    };
    m.count("errors", r.findings.errors as f64);
    m.count("warnings", r.findings.warnings as f64);
    m.section = "gates";
    for g in &r.gates {
        m.text(g.gate.clone(), if g.passed { "pass" } else { "FAIL" });
    }
    if let Some(c) = &r.capacity {
        m.section = "placement";
        m.count("instances", r.plan.instances as f64);
        m.count("tasks placed", (c.placed + c.fargate) as f64);
        m.count("tasks not placed", c.unplaced as f64);
        m.add("CPU reserved", Val::Percent(c.cpu.percent));
        m.add("memory reserved", Val::Percent(c.memory.percent));
        for s in &c.services {
            m.count(format!("{}: placed", s.service), s.placed as f64);
            if let Some(n) = s.more_fit {
                m.count(format!("{}: more fit now", s.service), n as f64);
            }
        }
        for t in &c.min_instances {
            if let Some(n) = t.count {
                m.count(
                    format!("fewest {} that run every task", t.instance_type),
                    n as f64,
                );
            }
        }
    }
    if let Some(res) = &r.resilience {
        m.section = "resilience";
        for z in &res.zones {
            m.count(format!("{}: unplaced", z.change), z.unplaced as f64);
            m.count(format!("{}: moved", z.change), z.moved as f64);
        }
        if let Some(w) = &res.worst_instance {
            m.text("worst single instance", w.change.clone());
            m.count("worst single instance: unplaced", w.unplaced as f64);
        }
    }
    if let Some(d) = &r.deployments {
        m.section = "deployments";
        for s in &d.services {
            let outcome = match s.outcome {
                Some(DeployOutcome::Completed) => "completed",
                Some(DeployOutcome::Stuck) => "stuck",
                Some(DeployOutcome::RolledBack) => "rolled back",
                None => "not simulated",
            };
            m.text(format!("{}: outcome", s.service), outcome);
            if let Some(t) = s.duration_seconds {
                m.add(format!("{}: duration", s.service), Val::Seconds(t));
            }
            m.count(
                format!("{}: peak extra tasks", s.service),
                s.peak_extra_tasks as f64,
            );
            m.text(
                format!("{}: circuit breaker", s.service),
                s.circuit_breaker.clone(),
            );
        }
    }
    if let Some(s) = &r.scaling {
        m.section = "scaling";
        for x in &s.services {
            m.count(format!("{}: most desired", x.service), x.desired_max as f64);
            m.count(
                format!("{}: minutes with tasks waiting", x.service),
                x.pending_minutes as f64,
            );
        }
        for p in &s.capacity_providers {
            m.count(
                format!("{}: most instances", p.capacity_provider),
                p.instances_max as f64,
            );
        }
        m.count("blocked scale-outs", s.scale_out_blocked as f64);
    }
    if let Some(c) = &r.cost {
        m.section = "cost";
        m.add("per month", Val::Usd(c.monthly_total));
        for s in &c.by_service {
            m.add(format!("{} per month", s.name), Val::Usd(s.monthly));
        }
        m.add("all on Fargate", Val::Usd(c.all_fargate));
        m.add("all on Fargate Spot", Val::Usd(c.all_fargate_spot));
    }
    m.m
}

fn delta(old: Option<&Val>, new: Option<&Val>) -> (String, bool) {
    match (old, new) {
        (Some(o), Some(n)) => match (o.num(), n.num()) {
            (Some(a), Some(b)) => {
                let d = ((b - a) * 100.0).round() / 100.0;
                if d == 0.0 {
                    (String::new(), false)
                } else {
                    let sign = if d > 0.0 { "+" } else { "−" };
                    let text = match n {
                        Val::Percent(_) => format!("{sign}{} points", d.abs()),
                        Val::Usd(_) => format!("{sign}{}", usd(d.abs())),
                        Val::Seconds(_) => format!("{sign}{}", duration_label(d.abs() as u32)),
                        _ => format!("{sign}{}", d.abs()),
                    };
                    (text, true)
                }
            }
            _ if o == n => (String::new(), false),
            _ => ("changed".into(), true),
        },
        (None, Some(_)) => ("new".into(), true),
        (Some(_), None) => ("gone".into(), true),
        (None, None) => (String::new(), false),
    }
}

/// The new report with its comparison to the old one.
pub fn compare(mut new: Report, old: &Report) -> Report {
    let (a, b) = (measures(old), measures(&new));
    let index = |m: &Measures| -> HashMap<(String, String), Val> {
        m.iter()
            .map(|(s, n, v)| ((s.clone(), n.clone()), v.clone()))
            .collect()
    };
    let (ia, ib) = (index(&a), index(&b));
    let mut keys: Vec<(String, String)> =
        b.iter().map(|(s, n, _)| (s.clone(), n.clone())).collect();
    keys.extend(
        a.iter()
            .map(|(s, n, _)| (s.clone(), n.clone()))
            .filter(|k| !ib.contains_key(k)),
    );
    let mut deltas = Vec::new();
    for k in keys {
        let (o, v) = (ia.get(&k), ib.get(&k));
        let (d, changed) = delta(o, v);
        deltas.push(Delta {
            section: k.0,
            measure: k.1,
            old: o.map_or("—".into(), Val::show),
            new: v.map_or("—".into(), Val::show),
            delta: d,
            changed,
        });
    }
    new.comparison = Some(Comparison {
        against: old.plan.file.clone(),
        deltas,
    });
    new
}
