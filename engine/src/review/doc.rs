//! The report as a document: headings, paragraphs, lists and tables of plain text (with
//! `code` spans in backquotes), written once here and rendered as Markdown or HTML.

use super::capacity::Use;
use super::scaling::usd;
use super::{compare, findings, Report};
use crate::sim::{duration_label, DeployOutcome};

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(u8, String),
    Para(String),
    List(Vec<String>),
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// Rows shown per table; the JSON report has them all.
pub const ROWS_SHOWN: usize = 50;

fn code(s: &str) -> String {
    format!("`{}`", s.replace('`', "'"))
}

fn pct(u: &Use) -> String {
    format!("{} %", u.percent)
}

fn table(head: &[&str], rows: Vec<Vec<String>>, out: &mut Vec<Block>) {
    let total = rows.len();
    out.push(Block::Table {
        head: head.iter().map(|s| s.to_string()).collect(),
        rows: rows.into_iter().take(ROWS_SHOWN).collect(),
    });
    if total > ROWS_SHOWN {
        out.push(Block::Para(format!(
            "… {} more rows in the JSON report (`--format json`).",
            total - ROWS_SHOWN
        )));
    }
}

pub fn document(r: &Report) -> Vec<Block> {
    let mut d = Vec::new();
    let title = if r.plan.name.is_empty() {
        r.plan.file.clone()
    } else {
        format!("{} ({})", r.plan.name, r.plan.file)
    };
    d.push(Block::Heading(1, format!("Architecture review: {title}")));
    summary(r, &mut d);
    if let Some(c) = &r.comparison {
        comparison(c, &mut d);
    }
    gates(r, &mut d);
    findings_(r, &mut d);
    capacity(r, &mut d);
    resilience(r, &mut d);
    deployments(r, &mut d);
    scaling(r, &mut d);
    cost(r, &mut d);
    assumptions(r, &mut d);
    d.push(Block::Heading(2, "What this report does not check".into()));
    d.push(Block::List(r.not_checked.clone()));
    d
}

fn summary(r: &Report, d: &mut Vec<Block>) {
    d.push(Block::Heading(2, "Summary".into()));
    let p = &r.plan;
    d.push(Block::Para(format!(
        "{} instance(s) in {} zone(s) ({}), {} service(s), {} task definition(s), {} task(s); region {}.",
        p.instances,
        p.availability_zones.len(),
        p.availability_zones.join(", "),
        p.services,
        p.task_definitions,
        p.tasks,
        p.region
    )));
    d.push(Block::Para(
        if r.summary.passed() && r.summary.not_computed.is_none() {
            format!("Verdict: {}.", r.summary.verdict)
        } else {
            format!("Verdict: **{}**.", r.summary.verdict)
        },
    ));
    if let Some(n) = &r.summary.not_computed {
        d.push(Block::Para(format!("Not computed: {n}.")));
    }
    if !r.summary.highlights.is_empty() {
        d.push(Block::List(r.summary.highlights.clone()));
    }
}

fn gates(r: &Report, d: &mut Vec<Block>) {
    d.push(Block::Heading(2, "Gates".into()));
    if r.gates.is_empty() {
        d.push(Block::Para(
            "The plan sets no gates (`settings.review.gates`, docs/plan-format.md).".into(),
        ));
        return;
    }
    let rows = r
        .gates
        .iter()
        .map(|g| {
            vec![
                code(&g.gate),
                g.setting.to_string(),
                if g.passed { "pass" } else { "**FAIL**" }.into(),
                g.evidence.clone(),
                code(&g.command),
            ]
        })
        .collect();
    table(
        &["gate", "setting", "result", "evidence", "shown by"],
        rows,
        d,
    );
}

fn findings_(r: &Report, d: &mut Vec<Block>) {
    let f = &r.findings;
    d.push(Block::Heading(2, "Findings".into()));
    d.push(Block::Para(format!(
        "{} error(s), {} warning(s), {} remark(s): {}.",
        f.errors,
        f.warnings,
        f.infos,
        code(&f.command)
    )));
    for t in &f.topics {
        d.push(Block::Heading(3, t.topic.clone()));
        let rows = t
            .findings
            .iter()
            .map(|x| {
                let at = match (x.finding.line, x.finding.column) {
                    (Some(l), Some(c)) => {
                        format!("{} ({l}:{c})", code(&x.finding.path.to_string()))
                    }
                    _ => code(&x.finding.path.to_string()),
                };
                let mut fix = x.finding.fix.clone().unwrap_or_default();
                if let Some(q) = &x.quick_fix {
                    fix = if fix.is_empty() {
                        format!("quick fix: {q}")
                    } else {
                        format!("{fix} (quick fix: {q})")
                    };
                }
                vec![
                    x.finding.severity.to_string(),
                    code(&x.finding.code),
                    at,
                    x.finding.message.clone(),
                    fix,
                ]
            })
            .collect();
        table(&["severity", "rule", "where", "what", "fix"], rows, d);
    }
    let _ = findings::all(f);
}

fn capacity(r: &Report, d: &mut Vec<Block>) {
    d.push(Block::Heading(2, "Utilisation and headroom".into()));
    let Some(c) = &r.capacity else {
        d.push(Block::Para("Not computed.".into()));
        return;
    };
    d.push(Block::Para(format!(
        "Tasks reserve {} of the cluster's CPU ({} of {} units) and {} of its memory ({} of {} MiB); {} task(s) on instances, {} on Fargate, {} not placed: {}.",
        pct(&c.cpu), c.cpu.used, c.cpu.total, pct(&c.memory), c.memory.used, c.memory.total,
        c.placed, c.fargate, c.unplaced, code(&c.command)
    )));
    d.push(Block::Heading(3, "Per zone".into()));
    let rows = c
        .zones
        .iter()
        .map(|z| {
            vec![
                z.availability_zone.clone(),
                z.instances.to_string(),
                z.tasks.to_string(),
                z.fargate_tasks.to_string(),
                pct(&z.cpu),
                pct(&z.memory),
            ]
        })
        .collect();
    table(
        &[
            "zone",
            "instances",
            "tasks",
            "Fargate tasks",
            "CPU",
            "memory",
        ],
        rows,
        d,
    );
    d.push(Block::Heading(3, "Per service".into()));
    let rows = c
        .services
        .iter()
        .map(|s| {
            let more = match s.more_fit {
                Some(n) => n.to_string(),
                None => "—".into(),
            };
            vec![
                s.service.clone(),
                s.launch.clone(),
                format!("{}/{}", s.placed, s.desired),
                format!("{} CPU, {} MiB", s.cpu_reserved, s.memory_reserved),
                more,
                s.limit.first().cloned().unwrap_or_default(),
                code(&s.command),
            ]
        })
        .collect();
    table(
        &[
            "service",
            "launch",
            "placed/desired",
            "reserved",
            "more fit now",
            "next one",
            "shown by",
        ],
        rows,
        d,
    );
    if !c.min_instances.is_empty() {
        d.push(Block::Heading(
            3,
            "Fewest instances of each type in use".into(),
        ));
        let rows = c
            .min_instances
            .iter()
            .map(|m| {
                vec![
                    m.instance_type.clone(),
                    m.in_plan.to_string(),
                    match m.count {
                        Some(n) => n.to_string(),
                        None => format!("none: {}", m.never_fit.join("; ")),
                    },
                    if m.count.is_some() {
                        format!("{} % CPU, {} % memory", m.cpu_percent, m.memory_percent)
                    } else {
                        String::new()
                    },
                    code(&m.command),
                ]
            })
            .collect();
        table(
            &[
                "type",
                "in the plan",
                "fewest that run every EC2 task",
                "reserved at that size",
                "shown by",
            ],
            rows,
            d,
        );
    }
    if !c.instances.is_empty() {
        d.push(Block::Heading(3, "Per instance".into()));
        let rows = c
            .instances
            .iter()
            .map(|i| {
                vec![
                    i.id.clone(),
                    i.instance_type.clone(),
                    i.availability_zone.clone(),
                    i.tasks.to_string(),
                    pct(&i.cpu),
                    format!(
                        "{}{}",
                        pct(&i.memory),
                        if i.memory_estimated { " (est.)" } else { "" }
                    ),
                ]
            })
            .collect();
        table(
            &["instance", "type", "zone", "tasks", "CPU", "memory"],
            rows,
            d,
        );
    }
    if !c.unplaced_tasks.is_empty() {
        d.push(Block::Heading(3, "Not placed".into()));
        d.push(Block::List(
            c.unplaced_tasks
                .iter()
                .map(|u| format!("{} ({}): {}", u.task, u.group, u.reasons.join("; ")))
                .collect(),
        ));
    }
}

fn loss_rows(l: &super::resilience::Loss) -> Vec<Vec<String>> {
    l.services
        .iter()
        .map(|s| {
            vec![
                s.service.clone(),
                s.displaced.to_string(),
                s.moved.to_string(),
                s.unplaced.to_string(),
                s.reasons.join("; "),
            ]
        })
        .collect()
}

fn resilience(r: &Report, d: &mut Vec<Block>) {
    d.push(Block::Heading(2, "Resilience".into()));
    let Some(res) = &r.resilience else {
        d.push(Block::Para("Not computed.".into()));
        return;
    };
    let rows = res
        .zones
        .iter()
        .chain(res.worst_instance.iter())
        .map(|l| {
            vec![
                l.change.clone(),
                l.instances.len().to_string(),
                l.displaced.to_string(),
                l.moved.to_string(),
                if l.unplaced > 0 {
                    format!("**{}**", l.unplaced)
                } else {
                    "0".into()
                },
                l.standalone_lost.to_string(),
                code(&l.command),
            ]
        })
        .collect();
    table(
        &[
            "loss",
            "instances",
            "service tasks lost",
            "moved",
            "unplaced",
            "standalone tasks lost",
            "shown by",
        ],
        rows,
        d,
    );
    let daemons: Vec<String> = res
        .zones
        .iter()
        .chain(res.worst_instance.iter())
        .filter(|l| l.daemon_stopped > 0)
        .map(|l| format!("{} stops {}", l.change, l.daemon_stopped))
        .collect();
    if !daemons.is_empty() {
        d.push(Block::Para(format!(
            "Daemon tasks stop with their instances and are not replaced elsewhere (a daemon runs one task per ACTIVE instance; not counted above): {}.",
            daemons.join("; ")
        )));
    }
    if res.worst_instance.is_some() {
        d.push(Block::Para(format!(
            "The worst single instance was found by losing {} of {} instance(s) in turn.",
            res.instances_tried, res.instances
        )));
    }
    for l in res.zones.iter().chain(res.worst_instance.iter()) {
        if l.services.is_empty() {
            continue;
        }
        d.push(Block::Heading(3, format!("Per service: {}", l.change)));
        table(
            &["service", "lost", "moved", "unplaced", "why unplaced"],
            loss_rows(l),
            d,
        );
    }
}

fn deployments(r: &Report, d: &mut Vec<Block>) {
    d.push(Block::Heading(2, "Deployments".into()));
    let Some(dep) = &r.deployments else {
        d.push(Block::Para("Not computed.".into()));
        return;
    };
    d.push(Block::Para(
        "A forced new deployment of each service (the same task definition), from the steady state."
            .into(),
    ));
    let rows = dep
        .services
        .iter()
        .map(|s| {
            vec![
                s.service.clone(),
                match s.outcome {
                    Some(DeployOutcome::Completed) => "completed".into(),
                    Some(DeployOutcome::Stuck) => "**stuck**".into(),
                    Some(DeployOutcome::RolledBack) => "**rolled back**".into(),
                    None => "not simulated".into(),
                },
                s.duration_seconds.map(duration_label).unwrap_or_default(),
                format!(
                    "{} task(s) ({} CPU, {} MiB)",
                    s.peak_extra_tasks, s.peak_extra_cpu, s.peak_extra_memory
                ),
                format!("{} % / {} %", s.minimum_healthy_percent, s.maximum_percent),
                s.circuit_breaker.clone(),
                s.reason.clone(),
                code(&s.command),
            ]
        })
        .collect();
    table(
        &[
            "service",
            "outcome",
            "duration",
            "peak extra",
            "min healthy / max",
            "circuit breaker",
            "why",
            "shown by",
        ],
        rows,
        d,
    );
    let risks: Vec<String> = dep
        .services
        .iter()
        .flat_map(|s| s.risks.iter().map(move |x| format!("{}: {x}", s.service)))
        .collect();
    if !risks.is_empty() {
        d.push(Block::Heading(
            3,
            "Settings that can stall or slow a deployment".into(),
        ));
        d.push(Block::List(risks));
    }
}

fn scaling(r: &Report, d: &mut Vec<Block>) {
    d.push(Block::Heading(2, "Scaling over a day".into()));
    let Some(s) = &r.scaling else {
        d.push(Block::Para("Not computed.".into()));
        return;
    };
    d.push(Block::Para(format!(
        "{} simulated from {} under {}: {}.",
        duration_label(s.duration_seconds),
        s.start,
        s.workload,
        code(&s.command)
    )));
    let rows = s
        .services
        .iter()
        .map(|x| {
            vec![
                x.service.clone(),
                if x.desired_min == x.desired_max {
                    x.desired_min.to_string()
                } else {
                    format!("{}–{}", x.desired_min, x.desired_max)
                },
                x.max_capacity.map(|m| m.to_string()).unwrap_or("—".into()),
                x.minutes_at_max.to_string(),
                x.pending_minutes.to_string(),
                x.provisioning_task_minutes.to_string(),
                x.scaling_limited.to_string(),
            ]
        })
        .collect();
    table(
        &[
            "service",
            "desired",
            "max capacity",
            "minutes at max",
            "minutes with tasks waiting",
            "task-minutes PROVISIONING",
            "times limited by max",
        ],
        rows,
        d,
    );
    if !s.capacity_providers.is_empty() {
        let rows = s
            .capacity_providers
            .iter()
            .map(|p| {
                vec![
                    p.capacity_provider.clone(),
                    format!("{}–{}", p.instances_min, p.instances_max),
                    p.max_size.map(|m| m.to_string()).unwrap_or("—".into()),
                    p.minutes_at_max.to_string(),
                    p.scale_outs.to_string(),
                    p.scale_ins.to_string(),
                ]
            })
            .collect();
        table(
            &[
                "capacity provider",
                "instances",
                "MaxSize",
                "minutes at MaxSize",
                "scale-outs",
                "scale-ins",
            ],
            rows,
            d,
        );
    }
    if s.scale_out_blocked > 0 {
        d.push(Block::Para(format!(
            "Managed scaling could not scale out {} time(s):",
            s.scale_out_blocked
        )));
        d.push(Block::List(s.limits.clone()));
    }
}

fn cost(r: &Report, d: &mut Vec<Block>) {
    d.push(Block::Heading(2, "Cost per month".into()));
    let Some(c) = &r.cost else {
        d.push(Block::Para("Not computed.".into()));
        return;
    };
    d.push(Block::Para(format!(
        "**{}** a month ({} hours at the simulated day's rate; {}): EC2 {}, Fargate {}, Fargate Spot {}; EC2 capacity no task reserves {}. {}.",
        usd(c.monthly_total),
        c.hours_per_month,
        c.prices,
        usd(c.monthly_ec2),
        usd(c.monthly_fargate),
        usd(c.monthly_fargate_spot),
        usd(c.monthly_idle_ec2),
        code(&c.command)
    )));
    if let Some(n) = &c.note {
        d.push(Block::Para(format!("Note: {n}.")));
    }
    let mut rows: Vec<Vec<String>> = c
        .by_service
        .iter()
        .map(|s| vec![format!("service {}", s.name), usd(s.monthly)])
        .collect();
    rows.extend(
        c.by_capacity_provider
            .iter()
            .map(|p| vec![format!("capacity provider {}", p.name), usd(p.monthly)]),
    );
    table(&["", "per month"], rows, d);
    d.push(Block::Table {
        head: vec![
            "the same tasks for the same time".into(),
            "per month".into(),
        ],
        rows: vec![
            vec!["as planned".into(), usd(c.monthly_total)],
            vec!["all on Fargate".into(), usd(c.all_fargate)],
            vec!["all on Fargate Spot".into(), usd(c.all_fargate_spot)],
        ],
    });
    if !c.not_on_fargate.is_empty() {
        d.push(Block::Para(format!(
            "Fargate could not run {} (GPUs or a size above its largest); they are priced at their size anyway.",
            c.not_on_fargate.join(", ")
        )));
    }
    if !c.unpriced.is_empty() {
        d.push(Block::Para(format!(
            "No price for {} (counted 0).",
            c.unpriced.join(", ")
        )));
    }
}

fn assumptions(r: &Report, d: &mut Vec<Block>) {
    let a = &r.assumptions;
    d.push(Block::Heading(2, "Assumptions".into()));
    let mut items = vec![
        format!("Seed {} for what AWS leaves unspecified.", a.seed),
        format!("Prices as of {} ({}).", a.price_date, a.price_region),
        format!(
            "Scaling and cost: {} simulated under {}.",
            duration_label(a.simulated_seconds),
            a.workload_or_default()
        ),
    ];
    items.extend(a.estimated.iter().cloned());
    items.extend(a.unspecified.iter().cloned());
    items.extend(a.bounds.iter().cloned());
    d.push(Block::List(items));
}

fn comparison(c: &compare::Comparison, d: &mut Vec<Block>) {
    d.push(Block::Heading(2, format!("Change from {}", c.against)));
    let changed: Vec<&compare::Delta> = c.deltas.iter().filter(|x| x.changed).collect();
    if changed.is_empty() {
        d.push(Block::Para("Nothing the report measures changed.".into()));
        return;
    }
    d.push(Block::Para(format!(
        "{} of {} measures changed.",
        changed.len(),
        c.deltas.len()
    )));
    let rows = changed
        .iter()
        .map(|x| {
            vec![
                x.section.clone(),
                x.measure.clone(),
                x.old.clone(),
                x.new.clone(),
                x.delta.clone(),
            ]
        })
        .collect();
    table(
        &["section", "measure", "before", "after", "change"],
        rows,
        d,
    );
}

impl super::Assumptions {
    fn workload_or_default(&self) -> &str {
        if self.workload.is_empty() {
            "the plan's workload, or a flat day without one"
        } else {
            &self.workload
        }
    }
}
