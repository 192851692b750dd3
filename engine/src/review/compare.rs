//! A review of a change (`ecsplan review NEW --against OLD`): the measures of both reports side
//! by side — placement, resilience, deployments, scaling, cost, findings and gates — with the
//! change of each.

use super::scaling::usd;
use super::Report;
use crate::sim::{duration_label, DeployOutcome};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// The old plan's file.
    pub against: String,
    /// Every measure of either report, in report order (changed or not).
    pub deltas: Vec<Delta>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delta {
    pub section: String,
    pub measure: String,
    /// "—" when the old report does not have it.
    pub old: String,
    pub new: String,
    /// "+3", "−12.5 %", "$+120.00", or "changed" / "" for text.
    pub delta: String,
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

fn measures(r: &Report) -> Measures {
    let mut m: Measures = Vec::new();
    let mut add = |s: &str, name: String, v: Val| m.push((s.to_string(), name, v));
    add(
        "findings",
        "errors".into(),
        Val::Count(r.findings.errors as f64),
    );
    add(
        "findings",
        "warnings".into(),
        Val::Count(r.findings.warnings as f64),
    );
    for g in &r.gates {
        add(
            "gates",
            g.gate.clone(),
            Val::Text(if g.passed { "pass" } else { "FAIL" }.into()),
        );
    }
    if let Some(c) = &r.capacity {
        add(
            "placement",
            "instances".into(),
            Val::Count(r.plan.instances as f64),
        );
        add(
            "placement",
            "tasks placed".into(),
            Val::Count((c.placed + c.fargate) as f64),
        );
        add(
            "placement",
            "tasks not placed".into(),
            Val::Count(c.unplaced as f64),
        );
        add(
            "placement",
            "CPU reserved".into(),
            Val::Percent(c.cpu.percent),
        );
        add(
            "placement",
            "memory reserved".into(),
            Val::Percent(c.memory.percent),
        );
        for s in &c.services {
            add(
                "placement",
                format!("{}: placed", s.service),
                Val::Count(s.placed as f64),
            );
            if let Some(n) = s.more_fit {
                add(
                    "placement",
                    format!("{}: more fit now", s.service),
                    Val::Count(n as f64),
                );
            }
        }
        for t in &c.min_instances {
            if let Some(n) = t.count {
                add(
                    "placement",
                    format!("fewest {} that run every task", t.instance_type),
                    Val::Count(n as f64),
                );
            }
        }
    }
    if let Some(res) = &r.resilience {
        for z in &res.zones {
            add(
                "resilience",
                format!("{}: unplaced", z.change),
                Val::Count(z.unplaced as f64),
            );
            add(
                "resilience",
                format!("{}: moved", z.change),
                Val::Count(z.moved as f64),
            );
        }
        if let Some(w) = &res.worst_instance {
            add(
                "resilience",
                "worst single instance".into(),
                Val::Text(w.change.clone()),
            );
            add(
                "resilience",
                "worst single instance: unplaced".into(),
                Val::Count(w.unplaced as f64),
            );
        }
    }
    if let Some(d) = &r.deployments {
        for s in &d.services {
            let outcome = match s.outcome {
                Some(DeployOutcome::Completed) => "completed",
                Some(DeployOutcome::Stuck) => "stuck",
                Some(DeployOutcome::RolledBack) => "rolled back",
                None => "not simulated",
            };
            add(
                "deployments",
                format!("{}: outcome", s.service),
                Val::Text(outcome.into()),
            );
            if let Some(t) = s.duration_seconds {
                add(
                    "deployments",
                    format!("{}: duration", s.service),
                    Val::Seconds(t),
                );
            }
            add(
                "deployments",
                format!("{}: peak extra tasks", s.service),
                Val::Count(s.peak_extra_tasks as f64),
            );
            add(
                "deployments",
                format!("{}: circuit breaker", s.service),
                Val::Text(s.circuit_breaker.clone()),
            );
        }
    }
    if let Some(s) = &r.scaling {
        for x in &s.services {
            add(
                "scaling",
                format!("{}: most desired", x.service),
                Val::Count(x.desired_max as f64),
            );
            add(
                "scaling",
                format!("{}: minutes with tasks waiting", x.service),
                Val::Count(x.pending_minutes as f64),
            );
        }
        for p in &s.capacity_providers {
            add(
                "scaling",
                format!("{}: most instances", p.capacity_provider),
                Val::Count(p.instances_max as f64),
            );
        }
        add(
            "scaling",
            "blocked scale-outs".into(),
            Val::Count(s.scale_out_blocked as f64),
        );
    }
    if let Some(c) = &r.cost {
        add("cost", "per month".into(), Val::Usd(c.monthly_total));
        for s in &c.by_service {
            add("cost", format!("{} per month", s.name), Val::Usd(s.monthly));
        }
        add("cost", "all on Fargate".into(), Val::Usd(c.all_fargate));
        add(
            "cost",
            "all on Fargate Spot".into(),
            Val::Usd(c.all_fargate_spot),
        );
    }
    m
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
