//! `simulate`: a plan over time, with its workload, service auto scaling and capacity
//! providers acting once a minute (the period of the CloudWatch metrics they watch).

use super::{Sim, Timeline};
use crate::placement::PlaceOptions;
use crate::plan::Plan;
use serde::Serialize;

/// One minute's view of a service.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceMinute {
    pub desired: u32,
    pub running: u32,
    pub pending: u32,
    /// Average CPU utilisation of the running tasks, percent of their reservation.
    pub cpu: f64,
    /// Average memory utilisation, percent of the reservation.
    pub memory: f64,
}

/// One minute's view of a capacity provider.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderMinute {
    pub name: String,
    pub instances: u32,
    /// CapacityProviderReservation, percent.
    pub reservation: f64,
    /// The Auto Scaling group's desired capacity after the minute before.
    pub desired: u32,
}

/// What the minute tick recorded.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MinuteSample {
    pub t: u32,
    /// Per service, in plan order.
    pub services: Vec<ServiceMinute>,
    /// Per capacity provider with managed scaling.
    pub capacity_providers: Vec<ProviderMinute>,
}

/// Simulates the plan for `duration` seconds from its steady state.
pub fn simulate(plan: &Plan, duration: u32, opts: &PlaceOptions) -> Timeline {
    let mut sim = Sim::steady(plan, opts);
    sim.tick_every_minute(duration);
    sim.run_until(duration);
    sim.timeline.duration = duration;
    sim.timeline.instances = sim.capacity.lives();
    sim.timeline.cost = Some(super::cost::of(&sim));
    sim.timeline
}

impl Sim<'_> {
    /// Once a minute: record the metrics, then let service auto scaling and the capacity
    /// providers act on them.
    pub(super) fn minute_tick(&mut self) {
        self.measure_minute();
        let services = (0..self.services.len())
            .map(|s| {
                let running = self.healthy_tasks(s).len() as u32;
                let pending = self.starting_count(s);
                let (cpu, memory) = self.utilisation(s);
                ServiceMinute {
                    desired: self.services[s].desired,
                    running,
                    pending,
                    cpu,
                    memory,
                }
            })
            .collect();
        let capacity_providers = self.provider_minutes();
        self.timeline.minutes.push(MinuteSample {
            t: self.now,
            services,
            capacity_providers,
        });
        self.autoscale_minute();
        self.capacity_minute();
    }
}
