//! Time: a deterministic discrete-event simulation of a plan, second by second.
//!
//! One simulator serves rolling deployments, service auto scaling and capacity providers. Its
//! clock is in whole seconds; events (a task changes state, the scheduler reconsiders a service)
//! are processed in time order, and every task start goes through the placement engine on the
//! cluster as it is at that moment. A task lives through ECS's states
//! (`task-lifecycle`): PROVISIONING → PENDING → ACTIVATING → RUNNING → DEACTIVATING → STOPPING →
//! STOPPED, with durations from [`Timings`].
//!
//! The result is a [`Timeline`]: events (what happened, to which task or instance, and why) and
//! samples of the counts per service, recorded when they change, so a moment is found by binary
//! search and a 24-hour run stays small.

mod autoscaling;
pub mod bluegreen;
mod capacity;
pub mod cost;
mod deploy;
pub mod moment;
pub mod policies;
pub mod prices;
pub mod progressive;
pub mod reservation;
mod run;
pub mod schedule;
mod simulate;
pub mod timings;
pub mod workload;

#[cfg(test)]
mod capacity_tests;
#[cfg(test)]
mod tests;

pub use autoscaling::{check as check_scaling, start_of};
pub use capacity::InstanceLife;
pub use cost::Cost;
pub use deploy::{deploy, duration as duration_label, DeployOutcome, DeployRequest, DeployResult};
pub use moment::{Moment, MomentIndex};
pub use progressive::{CostPoint, Progressive};
pub use run::{Sim, TaskState};
pub use simulate::{simulate, MinuteSample, ProviderMinute, ServiceMinute};
pub use timings::Timings;

use serde::Serialize;

/// Something that happened, as ECS's service events and state changes would say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SimEvent {
    /// Seconds from the start.
    pub t: u32,
    /// A stable code: `task-state`, `deployment-started`, `steady-state`, `stuck`, ...
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    pub message: String,
}

/// Counts of one deployment's tasks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Healthy RUNNING tasks: what `minimumHealthyPercent` protects.
    pub running: u32,
    /// Tasks that count against `maximumPercent`: not yet stopping (PROVISIONING, PENDING,
    /// ACTIVATING, RUNNING with desired status RUNNING).
    pub active: u32,
}

/// A service's counts at a moment.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSample {
    pub t: u32,
    pub desired: u32,
    /// Healthy RUNNING tasks of every deployment.
    pub running: u32,
    /// Tasks waiting to start: not placed yet, or PENDING/ACTIVATING.
    pub pending: u32,
    /// The tasks of the deployments before the newest one.
    pub old: Counts,
    /// The newest (PRIMARY) deployment's tasks.
    pub new: Counts,
    /// During a blue/green deployment: percent of the traffic on the new task set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traffic: Option<f64>,
}

/// One task's life, for a Gantt view.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskLife {
    pub task: String,
    pub service: String,
    /// `family:revision`.
    pub task_definition: String,
    /// Which deployment of the service started it (1 = the first).
    pub deployment: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// (second, state) each time the state changed.
    pub states: Vec<(u32, TaskState)>,
}

/// Everything a simulation produced.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timeline {
    pub duration: u32,
    pub events: Vec<SimEvent>,
    /// Per service (plan order): samples when its counts change.
    pub services: Vec<ServiceSeries>,
    pub tasks: Vec<TaskLife>,
    /// Once a minute (only when simulating over time): metrics per service and provider.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub minutes: Vec<MinuteSample>,
    /// Every EC2 instance's life (only when simulating over time): launched, registered,
    /// DRAINING, terminated.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub instances: Vec<InstanceLife>,
    /// What the timeline costs (only when simulating over time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<Cost>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSeries {
    pub service: String,
    pub samples: Vec<ServiceSample>,
}

impl ServiceSeries {
    /// The counts at second `t` (the last sample at or before it).
    pub fn at(&self, t: u32) -> Option<&ServiceSample> {
        let i = self.samples.partition_point(|s| s.t <= t);
        i.checked_sub(1).map(|i| &self.samples[i])
    }
}

impl Timeline {
    pub fn service(&self, name: &str) -> Option<&ServiceSeries> {
        self.services.iter().find(|s| s.service == name)
    }
}
