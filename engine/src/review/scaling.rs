//! Scaling over a simulated day (`ecsplan simulate --duration 86400`): per service the minutes
//! with tasks waiting to start, the task-minutes in PROVISIONING, the minutes at the auto
//! scaling maximum; per capacity provider the instances and the limits hit. And the cost of
//! that day (`sim::cost`), per month, with the same tasks on Fargate and Fargate Spot.

use super::{Assumptions, Check, ReviewOptions, HOURS_PER_MONTH};
use crate::findings::JsonPath;
use crate::plan::{Plan, Written};
use crate::sim::{EventKind, TaskState, Timeline};
use serde::{Deserialize, Serialize};

/// Distinct reasons kept of the capacity providers' blocked scale-outs.
const LIMITS_KEPT: usize = 10;

/// A simulated day (or `--duration`): how services and capacity providers scale with the workload.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Scaling {
    /// The `ecsplan simulate` command that shows the timeline.
    pub command: String,
    /// Simulated seconds.
    pub duration_seconds: u32,
    /// When the simulated day starts.
    pub start: String,
    /// "the plan's workload", or what the flat day without one means.
    pub workload: String,
    /// One per service, in plan order.
    pub services: Vec<ServiceScaling>,
    /// One per capacity provider with managed scaling, in the order first met.
    pub capacity_providers: Vec<ProviderScaling>,
    /// Times managed scaling wanted more instances and could not.
    pub scale_out_blocked: u32,
    /// Why, the distinct reasons.
    pub limits: Vec<String>,
}

/// One service over the simulated day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceScaling {
    /// `serviceName`.
    pub service: String,
    /// The lowest desired count during the day.
    pub desired_min: u32,
    /// The highest desired count during the day.
    pub desired_max: u32,
    /// The auto scaling maximum, when the service scales.
    pub max_capacity: Option<u32>,
    /// Minutes at that maximum.
    pub minutes_at_max: u32,
    /// Minutes with tasks waiting to start (not placed yet, or PENDING).
    pub pending_minutes: u32,
    /// Task-minutes spent in PROVISIONING (waiting for a capacity provider's instances).
    pub provisioning_task_minutes: u32,
    /// Times a policy wanted more than maxCapacity.
    pub scaling_limited: u32,
    /// Desired count changes.
    pub desired_changes: u32,
}

/// One capacity provider over the simulated day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderScaling {
    /// Capacity provider name.
    pub capacity_provider: String,
    /// The fewest instances it had.
    pub instances_min: u32,
    /// The most instances it had.
    pub instances_max: u32,
    /// The Auto Scaling group's MaxSize.
    pub max_size: Option<u32>,
    /// Minutes with the group at `max_size`.
    pub minutes_at_max: u32,
    /// Times managed scaling added instances.
    pub scale_outs: u32,
    /// Times managed scaling removed instances.
    pub scale_ins: u32,
}

pub fn section(
    plan: &Plan,
    tl: &Timeline,
    opts: &ReviewOptions,
    _assumptions: &mut Assumptions,
) -> Scaling {
    let start = crate::plan::workload::start_of(plan);
    let mut services: Vec<ServiceScaling> = plan
        .services
        .iter()
        .map(|s| ServiceScaling {
            service: s.service_name.clone(),
            desired_min: u32::MAX,
            desired_max: 0,
            max_capacity: s
                .auto_scaling
                .as_ref()
                .map(Written::read)
                .and_then(|a| a.max_capacity)
                .and_then(|m| u32::try_from(m).ok()),
            minutes_at_max: 0,
            pending_minutes: 0,
            provisioning_task_minutes: 0,
            scaling_limited: 0,
            desired_changes: 0,
        })
        .collect();
    let mut providers: Vec<ProviderScaling> = Vec::new();
    for m in &tl.minutes {
        for (i, s) in m.services.iter().enumerate() {
            let Some(x) = services.get_mut(i) else {
                continue;
            };
            x.desired_min = x.desired_min.min(s.desired);
            x.desired_max = x.desired_max.max(s.desired);
            if x.max_capacity.is_some_and(|max| s.desired >= max) {
                x.minutes_at_max += 1;
            }
            if s.pending > 0 {
                x.pending_minutes += 1;
            }
        }
        // Providers with managed scaling (a reservation); the others keep their capacity.
        for p in m
            .capacity_providers
            .iter()
            .filter(|p| p.reservation.is_some())
        {
            let i = match providers.iter().position(|x| x.capacity_provider == p.name) {
                Some(i) => i,
                None => {
                    let max_size = plan
                        .cluster
                        .capacity_providers
                        .iter()
                        .find(|c| c.name == p.name)
                        .and_then(|c| c.auto_scaling_group.as_ref())
                        .and_then(|g| g.max_size);
                    providers.push(ProviderScaling {
                        capacity_provider: p.name.clone(),
                        instances_min: u32::MAX,
                        instances_max: 0,
                        max_size,
                        minutes_at_max: 0,
                        scale_outs: 0,
                        scale_ins: 0,
                    });
                    providers.len() - 1
                }
            };
            let x = &mut providers[i];
            x.instances_min = x.instances_min.min(p.instances);
            x.instances_max = x.instances_max.max(p.instances);
            if x.max_size.is_some_and(|max| p.instances >= max) {
                x.minutes_at_max += 1;
            }
        }
    }
    for s in &mut services {
        if s.desired_min == u32::MAX {
            s.desired_min = 0;
        }
    }
    for p in &mut providers {
        if p.instances_min == u32::MAX {
            p.instances_min = 0;
        }
    }
    let mut blocked = 0;
    let mut limits: Vec<String> = Vec::new();
    for e in &tl.events {
        let svc = e
            .service
            .as_deref()
            .and_then(|n| services.iter_mut().find(|s| s.service == n));
        match &e.kind {
            EventKind::ScalingLimited => {
                if let Some(s) = svc {
                    s.scaling_limited += 1;
                }
            }
            EventKind::DesiredCount { .. } => {
                if let Some(s) = svc {
                    s.desired_changes += 1;
                }
            }
            EventKind::ClusterScaleOutBlocked => {
                blocked += 1;
                if limits.len() < LIMITS_KEPT && !limits.contains(&e.message) {
                    limits.push(e.message.clone());
                }
            }
            EventKind::ClusterScaleOut { .. } | EventKind::ClusterScaleIn { .. } => {
                let out = matches!(e.kind, EventKind::ClusterScaleOut { .. });
                // The message names the provider: "capacity provider NAME scales ...".
                if let Some(p) = providers.iter_mut().find(|p| {
                    e.message
                        .starts_with(&format!("capacity provider {} ", p.capacity_provider))
                }) {
                    if out {
                        p.scale_outs += 1;
                    } else {
                        p.scale_ins += 1;
                    }
                }
            }
            _ => {}
        }
    }
    // Task-seconds in PROVISIONING, from each task's life.
    let end = tl.duration;
    let mut provisioning: Vec<u64> = vec![0; services.len()];
    for life in &tl.tasks {
        let Some(i) = services.iter().position(|s| *s.service == *life.service) else {
            continue;
        };
        for (k, (t, state)) in life.states.iter().enumerate() {
            if *state == TaskState::Provisioning {
                let next = life.states.get(k + 1).map_or(end, |n| n.0);
                provisioning[i] += next.saturating_sub(*t) as u64;
            }
        }
    }
    for (s, secs) in services.iter_mut().zip(provisioning) {
        s.provisioning_task_minutes = secs.div_ceil(60) as u32;
    }
    Scaling {
        command: opts.command("simulate", &format!("--duration {}", opts.duration)),
        duration_seconds: opts.duration,
        start: crate::plan::schedule::format_instant(start),
        workload: if plan.workload.is_some() {
            "the plan's workload".into()
        } else {
            "flat: no workload in the plan, every service at its desired count".into()
        },
        services,
        capacity_providers: providers,
        scale_out_blocked: blocked,
        limits,
    }
}

pub fn checks(s: &Scaling, plan: &Plan) -> Vec<Check> {
    let mut out = Vec::new();
    for (i, x) in s.services.iter().enumerate() {
        out.push(Check {
            id: format!("scaling.{}.pending", x.service),
            section: "scaling".into(),
            name: format!(
                "{} has no task waiting to start over the simulated day",
                x.service
            ),
            passed: x.pending_minutes == 0,
            evidence: format!(
                "{} minute(s) with tasks waiting, {} task-minute(s) in PROVISIONING",
                x.pending_minutes, x.provisioning_task_minutes
            ),
            command: s.command.clone(),
            gate: None,
            path: plan
                .services
                .get(i)
                .map(|_| JsonPath::root().key("services").index(i)),
            line: None,
            column: None,
        });
    }
    out.push(Check {
        id: "scaling.capacity-providers".into(),
        section: "scaling".into(),
        name: "capacity providers scale out whenever they need to".into(),
        passed: s.scale_out_blocked == 0,
        evidence: if s.scale_out_blocked == 0 {
            "no blocked scale-out".into()
        } else {
            format!(
                "{} blocked scale-out(s): {}",
                s.scale_out_blocked,
                s.limits.first().cloned().unwrap_or_default()
            )
        },
        command: s.command.clone(),
        gate: None,
        path: None,
        line: None,
        column: None,
    });
    out
}

/// The simulated day's cost, scaled to a month of `HOURS_PER_MONTH` hours.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CostSection {
    /// The `ecsplan simulate` command that shows the cost.
    pub command: String,
    /// Currency of the prices, e.g. `USD`.
    pub currency: String,
    /// Which prices: "prices as of DATE, REGION, on-demand, Linux".
    pub prices: String,
    /// Said when the plan is in another Region than the prices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Simulated seconds the month is scaled from.
    pub simulated_seconds: u32,
    /// Hours in a month, as AWS's pricing pages count them.
    pub hours_per_month: f64,
    /// Everything per month.
    pub monthly_total: f64,
    /// EC2 instances per month (on-demand).
    pub monthly_ec2: f64,
    /// Fargate tasks per month.
    pub monthly_fargate: f64,
    /// Fargate Spot tasks per month.
    pub monthly_fargate_spot: f64,
    /// EC2 cost no task reserved (idle capacity).
    pub monthly_idle_ec2: f64,
    /// Per service: its share of the instances' cost (by CPU units reserved) plus its Fargate
    /// and Fargate Spot tasks.
    pub by_service: Vec<Monthly>,
    /// Per capacity provider: its instances, or its Fargate tasks.
    pub by_capacity_provider: Vec<Monthly>,
    /// The same tasks, the same time, all on Fargate.
    pub all_fargate: f64,
    /// ... all on Fargate Spot.
    pub all_fargate_spot: f64,
    /// Services Fargate could not run (priced at their size anyway).
    pub not_on_fargate: Vec<String>,
    /// Instance types without a price (counted 0).
    pub unpriced: Vec<String>,
}

/// A cost per month of one service or capacity provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Monthly {
    /// Service or capacity provider name.
    pub name: String,
    /// Cost per month in the section's currency.
    pub monthly: f64,
}

/// The simulated day's cost, per month.
pub fn cost(tl: &Timeline, opts: &ReviewOptions) -> Option<CostSection> {
    let c = tl.cost.as_ref()?;
    if c.seconds == 0 {
        return None;
    }
    let k = HOURS_PER_MONTH * 3600.0 / c.seconds as f64;
    let m = |x: f64| (x * k * 100.0).round() / 100.0;
    Some(CostSection {
        command: opts.command("simulate", &format!("--duration {}", opts.duration)),
        currency: c.currency.clone(),
        prices: c.prices.clone(),
        note: c.note.clone(),
        simulated_seconds: c.seconds,
        hours_per_month: HOURS_PER_MONTH,
        monthly_total: m(c.total),
        monthly_ec2: m(c.ec2),
        monthly_fargate: m(c.fargate),
        monthly_fargate_spot: m(c.fargate_spot),
        monthly_idle_ec2: m(c.ec2_unallocated),
        by_service: c
            .by_service
            .iter()
            .map(|s| Monthly {
                name: s.service.clone(),
                monthly: m(s.total),
            })
            .collect(),
        by_capacity_provider: c
            .by_provider
            .iter()
            .map(|p| Monthly {
                name: p.provider.clone(),
                monthly: m(p.cost),
            })
            .collect(),
        all_fargate: m(c.all_fargate),
        all_fargate_spot: m(c.all_fargate_spot),
        not_on_fargate: c.not_on_fargate.clone(),
        unpriced: c.unpriced.clone(),
    })
}

/// `1234.5` → `1,234.50`.
pub fn usd(x: f64) -> String {
    let cents = (x * 100.0).round() as i64;
    let (whole, frac) = (cents.abs() / 100, cents.abs() % 100);
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{}${out}.{frac:02}", if cents < 0 { "-" } else { "" })
}
