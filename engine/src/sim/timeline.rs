//! What a simulation produced: every event, each service's counts when they change, each
//! task's life, and (over time) minute samples, instances and cost.

use super::cost::Cost;
use super::events::SimEvent;
use super::minutes::MinuteSamples;
use super::names::Name;
use super::providers::InstanceLife;
use super::TaskState;
use serde::{Deserialize, Serialize};

/// Counts of one deployment's tasks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Healthy RUNNING tasks: what `minimumHealthyPercent` protects.
    pub running: u32,
    /// Tasks that count against `maximumPercent`: not yet stopping (PROVISIONING, PENDING,
    /// ACTIVATING, RUNNING with desired status RUNNING).
    pub active: u32,
}

/// A service's counts at a moment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSample {
    /// Seconds from the start.
    pub t: u32,
    /// The service's desired count.
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

/// One task's life, for a Gantt view. The names it repeats are shared ([`Name`]): a day at
/// ECS's quotas has tens of thousands of lives on a few thousand instances.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskLife {
    /// The planner's id of the task (`web-3`).
    pub task: String,
    /// Its service (or RunTask group).
    pub service: Name,
    /// `family:revision`.
    pub task_definition: Name,
    /// Which deployment of the service started it (1 = the first).
    pub deployment: u32,
    /// The container instance it was placed on (none on Fargate, or while not placed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<Name>,
    /// The capacity provider it was launched on (`FARGATE`, `FARGATE_SPOT`, an Auto Scaling
    /// group's provider); none on the EC2 launch type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<Name>,
    /// The Availability Zone it runs in, once placed (its instance's, or Fargate's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<Name>,
    /// (second, state) each time the state changed.
    pub states: Vec<(u32, TaskState)>,
}

/// Everything a simulation produced.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Timeline {
    /// Seconds simulated.
    pub duration: u32,
    /// Everything that happened, in time order.
    /// Read back only through [`Ran`](super::wire::Ran), which carries the events whole: an
    /// event's JSON keeps only its kind's code.
    #[serde(skip_deserializing)]
    pub events: Vec<SimEvent>,
    /// Per service (plan order): samples when its counts change.
    pub services: Vec<ServiceSeries>,
    /// Every task the simulation started (and those running at the start), in start order.
    pub tasks: Vec<TaskLife>,
    /// Once a minute (only when simulating over time): metrics per service and provider,
    /// held as changes ([`MinuteSamples`]).
    #[serde(default, skip_serializing_if = "MinuteSamples::is_empty")]
    pub minutes: MinuteSamples,
    /// Every EC2 instance's life (only when simulating over time): launched, registered,
    /// DRAINING, terminated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instances: Vec<InstanceLife>,
    /// What the timeline costs (only when simulating over time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<Cost>,
}

/// A service's counts over the timeline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSeries {
    /// The service's name (or a RunTask group's).
    pub service: String,
    /// Its counts each time they changed, in time order.
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
    /// Frees the room kept for records to come (a finished run): the lives, events and
    /// minutes were grown by doubling.
    pub fn shrink_to_fit(&mut self) {
        self.events.shrink_to_fit();
        self.tasks.shrink_to_fit();
        for life in &mut self.tasks {
            life.states.shrink_to_fit();
        }
        self.minutes.shrink_to_fit();
    }

    /// The counts of the service named `name`.
    pub fn service(&self, name: &str) -> Option<&ServiceSeries> {
        self.services.iter().find(|s| s.service == name)
    }
}
