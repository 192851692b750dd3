//! `simulate`: a plan over time, with its workload, service auto scaling and capacity
//! providers acting once a minute (the period of the CloudWatch metrics they watch).

use super::{Sim, Timeline};
use crate::placement::PlaceOptions;
use crate::plan::Plan;
use serde::{Deserialize, Serialize};

/// One minute's view of a service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceMinute {
    /// The desired count at the minute tick.
    pub desired: u32,
    /// Healthy RUNNING tasks.
    pub running: u32,
    /// Tasks waiting to start: not placed yet, or PENDING/ACTIVATING.
    pub pending: u32,
    /// Average CPU utilisation of the running tasks, percent of their reservation.
    pub cpu: f64,
    /// Average memory utilisation, percent of the reservation.
    pub memory: f64,
}

/// One minute's view of a capacity provider.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderMinute {
    /// The capacity provider's name.
    pub name: String,
    /// N of CapacityProviderReservation: its group's instances that run (registered,
    /// ACTIVE).
    pub instances: u32,
    /// CapacityProviderReservation, percent; none for a provider with managed scaling off
    /// (nothing publishes the metric: its group keeps the desired capacity it was given).
    pub reservation: Option<f64>,
    /// The Auto Scaling group's desired capacity after the minute before.
    pub desired: u32,
}

/// What the minute tick recorded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MinuteSample {
    /// Seconds from the start (a multiple of 60).
    pub t: u32,
    /// Per service, in plan order.
    pub services: Vec<ServiceMinute>,
    /// Per Auto Scaling group capacity provider, with managed scaling or not.
    pub capacity_providers: Vec<ProviderMinute>,
}

/// Simulates the plan for `duration` seconds from its steady state, starting the deployments
/// of `settings.simulation.deployments` at their seconds (with service auto scaling running:
/// scale-in waits while a service deploys, scale-out goes on), and the standalone tasks of
/// `settings.simulation.runTasks` at their seconds.
pub fn simulate(plan: &Plan, duration: u32, opts: &PlaceOptions) -> Timeline {
    let mut sim = Sim::over_time(plan, duration, opts);
    sim.run_until(duration);
    sim.finish(duration)
}

impl<'a> Sim<'a> {
    /// The simulation [`simulate`] and [`Progressive`](super::Progressive) run: the steady
    /// state, the minute tick, the standalone tasks and the planned deployments up to
    /// `duration`. One setup for both, so the page's day is the CLI's.
    pub(super) fn over_time(plan: &'a Plan, duration: u32, opts: &PlaceOptions) -> Sim<'a> {
        let mut sim = Sim::steady(plan, opts);
        sim.tick_every_minute(duration);
        sim.run_standalone(duration);
        let planned: Vec<(u32, usize, String)> = plan
            .settings
            .as_ref()
            .and_then(|s| s.simulation.as_ref())
            .map(|s| {
                s.deployments
                    .iter()
                    .filter(|d| d.at_second <= duration)
                    .filter_map(|d| {
                        let svc = sim.service_index(&d.service)?;
                        let (i, rev) = plan.resolve_task_definition(&d.task_definition)?;
                        let td = format!("{}:{rev}", plan.task_definitions[i].family);
                        Some((d.at_second, svc, td))
                    })
                    .collect()
            })
            .unwrap_or_default();
        sim.plan_deployments(planned);
        sim
    }
}
