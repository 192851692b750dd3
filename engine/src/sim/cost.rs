//! What a simulated timeline costs, from the price table in [`super::prices`] (one region,
//! us-east-1, on-demand Linux rates, with their date).
//!
//! - **EC2**: every instance from its launch (or the start) to its termination (or the end),
//!   per second with EC2's 60-second minimum, × the type's hourly rate. Per provider: the
//!   instances' capacity provider (`EC2` for instances of none).
//! - **Fargate** and **Fargate Spot**: every task from the start of its image pull (PENDING) to
//!   STOPPED (or the end), per second with Fargate's one-minute minimum, × its size: the task
//!   definition's CPU and memory rounded up to a size Fargate sells, at the rate of its
//!   platform (`runtimePlatform`: Linux x86, Linux ARM, Windows), Spot rates for FARGATE_SPOT.
//! - **Per service**: its Fargate and Fargate Spot cost, plus a share of the EC2 instances it
//!   ran on. [planner's choice] An instance's cost is shared out by the CPU units its tasks
//!   reserve, second by second; what no task reserves is `ec2Unallocated` (idle capacity).
//! - **Alternatives**: the same tasks for the same seconds priced as if every one ran on
//!   Fargate, or on Fargate Spot, so a review can compare EC2, Fargate and Fargate Spot for
//!   one plan.

use super::prices::{self, FargatePlatform, FargateRate};
use super::providers::Providers;
use super::world::{TaskState, World};
use crate::fargate::{self, Os};
use crate::placement::Launch;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How a cost line is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CostKind {
    /// EC2 instance-seconds.
    Ec2,
    /// Fargate task-seconds.
    Fargate,
    /// Fargate Spot task-seconds, at Spot rates.
    FargateSpot,
}

/// The cost of one capacity provider's capacity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderCost {
    /// The capacity provider, `FARGATE`/`FARGATE_SPOT`, or `EC2` for instances of none.
    pub provider: String,
    /// How it is billed.
    pub kind: CostKind,
    /// Instance-seconds (EC2) or task-seconds (Fargate), as billed.
    pub seconds: u64,
    /// USD.
    pub cost: f64,
}

/// The cost of one service's tasks, USD.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceCost {
    /// The service's name (or a RunTask group's).
    pub service: String,
    /// Its share of the EC2 instances it ran on (by reserved CPU units).
    pub ec2: f64,
    /// Its tasks on Fargate.
    pub fargate: f64,
    /// Its tasks on Fargate Spot.
    pub fargate_spot: f64,
    /// The three together.
    pub total: f64,
    /// Task-seconds from PENDING to STOPPED.
    pub task_seconds: u64,
}

/// The cost of one EC2 instance, from its launch (or the start) to its termination (or the
/// end).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceCost {
    /// Its id.
    pub instance: String,
    /// Its instance type, which sets its hourly rate.
    pub instance_type: String,
    /// The capacity provider whose Auto Scaling group it belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<String>,
    /// Seconds billed (EC2's 60-second minimum applied).
    pub seconds: u64,
    /// USD per hour; `None` when the table has no price for the type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hourly: Option<f64>,
    /// USD.
    pub cost: f64,
}

/// The cost of a timeline, USD.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cost {
    /// `USD`: the price table's currency.
    pub currency: String,
    /// `"prices as of <date>, us-east-1, on-demand, Linux"`.
    pub prices: String,
    /// The date of the price table (`sim/prices.rs`).
    pub price_date: String,
    /// The region of the price table.
    pub price_region: String,
    /// Said when the plan is in another region than the prices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The timeline's length.
    pub seconds: u32,
    /// Everything: EC2, Fargate and Fargate Spot.
    pub total: f64,
    /// `total` per hour of the timeline.
    pub per_hour: f64,
    /// The EC2 instances.
    pub ec2: f64,
    /// The tasks on Fargate.
    pub fargate: f64,
    /// The tasks on Fargate Spot.
    pub fargate_spot: f64,
    /// Per capacity provider (`EC2` for instances of none).
    pub by_provider: Vec<ProviderCost>,
    /// Per service.
    pub by_service: Vec<ServiceCost>,
    /// Per EC2 instance.
    pub instances: Vec<InstanceCost>,
    /// EC2 cost that no task reserved (idle capacity).
    pub ec2_unallocated: f64,
    /// The same tasks, same seconds, all on Fargate.
    pub all_fargate: f64,
    /// The same tasks, same seconds, all on Fargate Spot (Windows tasks at Fargate rates).
    pub all_fargate_spot: f64,
    /// Services whose tasks Fargate could not run (GPUs, or more CPU or memory than its
    /// largest size); the alternatives price them at their size anyway.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_on_fargate: Vec<String>,
    /// Instance types without a price in the table (their instances count 0).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unpriced: Vec<String>,
}

/// Seconds billed for something that ran from `start` to `end` (`stopped`: it ended inside
/// the timeline, so the one-minute minimum applies).
fn billed(start: u32, end: u32, stopped: bool) -> u64 {
    let s = end.saturating_sub(start) as u64;
    if stopped && s > 0 {
        s.max(60)
    } else {
        s
    }
}

fn fargate_price(rate: FargateRate, vcpu: f64, gb: f64, seconds: u64) -> f64 {
    (rate.per_vcpu_hour * vcpu + rate.per_gb_hour * gb) * seconds as f64 / 3600.0
}

/// The cost of what the simulation ran until now.
pub(super) fn of(sim: &World, groups: &Providers) -> Cost {
    let end = sim.timeline.duration.max(sim.now);
    let mut cost = Cost {
        currency: "USD".into(),
        prices: format!(
            "prices as of {}, {}, {}",
            prices::PRICE_DATE,
            prices::PRICE_REGION,
            prices::PRICE_TERMS
        ),
        price_date: prices::PRICE_DATE.into(),
        price_region: prices::PRICE_REGION.into(),
        note: (sim.plan.region != prices::PRICE_REGION).then(|| {
            format!(
                "the plan is in {}; the planner prices every region at {} rates",
                sim.plan.region,
                prices::PRICE_REGION
            )
        }),
        seconds: end,
        ..Cost::default()
    };
    let mut providers: Vec<ProviderCost> = Vec::new();
    let mut add_provider = |name: &str, kind: CostKind, seconds: u64, c: f64| match providers
        .iter_mut()
        .find(|p| p.provider == name && p.kind == kind)
    {
        Some(p) => {
            p.seconds += seconds;
            p.cost += c;
        }
        None => providers.push(ProviderCost {
            provider: name.to_string(),
            kind,
            seconds,
            cost: c,
        }),
    };

    // EC2 instances.
    let lives = if groups.instances.is_empty() {
        None
    } else {
        Some(&groups.instances)
    };
    // Instance id → USD per CPU unit-second.
    let mut node_rate: HashMap<&str, f64> = HashMap::new();
    let mut push_instance = |id: &str,
                             instance_type: &str,
                             provider: Option<&String>,
                             start: u32,
                             stop: Option<u32>,
                             cost: &mut Cost| {
        let seconds = billed(start, stop.unwrap_or(end), stop.is_some());
        let hourly = prices::ec2_hourly(instance_type);
        if hourly.is_none() && !cost.unpriced.iter().any(|u| u == instance_type) {
            cost.unpriced.push(instance_type.to_string());
        }
        let c = hourly.unwrap_or(0.0) * seconds as f64 / 3600.0;
        cost.ec2 += c;
        add_provider(
            provider.map_or("EC2", |p| p.as_str()),
            CostKind::Ec2,
            seconds,
            c,
        );
        cost.instances.push(InstanceCost {
            instance: id.to_string(),
            instance_type: instance_type.to_string(),
            capacity_provider: provider.cloned(),
            seconds,
            hourly,
            cost: c,
        });
    };
    match lives {
        Some(list) => {
            for i in list {
                let l = &i.life;
                push_instance(
                    &l.instance,
                    &l.instance_type,
                    l.capacity_provider.as_ref(),
                    l.launched.unwrap_or(0),
                    l.terminated,
                    &mut cost,
                );
            }
        }
        None => {
            for n in &sim.placement.cluster.nodes {
                push_instance(
                    &n.id,
                    &n.instance_type,
                    n.capacity_provider.as_ref(),
                    0,
                    None,
                    &mut cost,
                );
            }
        }
    }
    for n in &sim.placement.cluster.nodes {
        if let Some(h) = prices::ec2_hourly(&n.instance_type) {
            if n.registered.cpu > 0 {
                node_rate.insert(n.id.as_str(), h / 3600.0 / n.registered.cpu as f64);
            }
        }
    }

    // Tasks.
    let mut services: Vec<ServiceCost> = sim
        .timeline
        .services
        .iter()
        .map(|s| ServiceCost {
            service: s.service.clone(),
            ec2: 0.0,
            fargate: 0.0,
            fargate_spot: 0.0,
            total: 0.0,
            task_seconds: 0,
        })
        .collect();
    let mut allocated = 0.0;
    for task in &sim.tasks {
        let life = &sim.timeline.tasks[task.life];
        let Some(start) = life
            .states
            .iter()
            .find(|(_, s)| {
                matches!(
                    s,
                    TaskState::Pending | TaskState::Activating | TaskState::Running
                )
            })
            .map(|(t, _)| *t)
        else {
            continue;
        };
        let stop = life
            .states
            .iter()
            .find(|(_, s)| *s == TaskState::Stopped)
            .map(|(t, _)| *t);
        let seconds = billed(start, stop.unwrap_or(end), stop.is_some());
        let pt = sim.ptask(task.ptask);
        let spec = &sim.placement.specs[pt.spec];
        let td = sim.task_definition(pt);
        let rp = td.and_then(|t| t.runtime_platform.as_ref());
        let platform = FargatePlatform::of(
            rp.and_then(|r| r.cpu_architecture.as_deref()),
            rp.and_then(|r| r.operating_system_family.as_deref()),
        );
        let os = Os::from_family(rp.and_then(|r| r.operating_system_family.as_deref()));
        let fargate_demand = td.map(|t| crate::placement::demand::Demand::of(t, true));
        let (cpu, mem) = fargate_demand
            .as_ref()
            .map_or((spec.demand.cpu, spec.demand.memory), |d| (d.cpu, d.memory));
        let fit = fargate::smallest_fit_for(cpu, mem, os);
        if (fit.is_none() || spec.demand.gpus > 0)
            && !cost
                .not_on_fargate
                .contains(&services[task.service].service)
        {
            cost.not_on_fargate
                .push(services[task.service].service.clone());
        }
        let (cpu, mem) = fit.unwrap_or((cpu, mem));
        let (vcpu, gb) = (cpu as f64 / 1024.0, mem as f64 / 1024.0);
        let od = prices::fargate(platform);
        let spot = prices::fargate_spot(platform).unwrap_or(od);
        cost.all_fargate += fargate_price(od, vcpu, gb, seconds);
        cost.all_fargate_spot += fargate_price(spot, vcpu, gb, seconds);
        let svc = &mut services[task.service];
        svc.task_seconds += seconds;
        match &spec.launch {
            Launch::Fargate { provider } => {
                let is_spot = provider == "FARGATE_SPOT";
                let c = fargate_price(if is_spot { spot } else { od }, vcpu, gb, seconds);
                if is_spot {
                    cost.fargate_spot += c;
                    svc.fargate_spot += c;
                    add_provider(provider, CostKind::FargateSpot, seconds, c);
                } else {
                    cost.fargate += c;
                    svc.fargate += c;
                    add_provider(provider, CostKind::Fargate, seconds, c);
                }
            }
            Launch::Ec2 | Launch::Provider { .. } => {
                let Some(rate) = life.instance.as_deref().and_then(|i| node_rate.get(i)) else {
                    continue;
                };
                let c = rate * spec.demand.cpu as f64 * seconds as f64;
                svc.ec2 += c;
                allocated += c;
            }
        }
    }
    for s in &mut services {
        s.total = s.ec2 + s.fargate + s.fargate_spot;
    }
    cost.ec2_unallocated = (cost.ec2 - allocated).max(0.0);
    cost.total = cost.ec2 + cost.fargate + cost.fargate_spot;
    cost.per_hour = if end > 0 {
        cost.total * 3600.0 / end as f64
    } else {
        0.0
    };
    cost.by_provider = providers;
    cost.by_service = services;
    cost
}
