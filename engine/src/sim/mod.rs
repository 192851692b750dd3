//! Time: a deterministic discrete-event simulation of a plan, second by second.
//!
//! One simulator serves rolling deployments, service auto scaling and capacity providers. Its
//! clock is in whole seconds; events (a task changes state, the scheduler reconsiders a service)
//! are processed in time order, and every task start goes through the placement engine on the
//! cluster as it is at that moment. The mechanisms are modules, each with its own state, acting
//! on what they share ([`world`]: the clock, the cluster, the tasks and their lifecycle, the
//! record):
//! - the event loop ([`run`]);
//! - the service scheduler: a service's state and its tasks ([`service`]), replica services and
//!   their rolling updates ([`rolling`]), daemons ([`daemon`]), deployments and their completion
//!   or stuck state ([`deployments`]), the circuit breaker and launch back-off ([`breaker`]),
//!   blue/green, linear and canary deployments ([`bluegreen`]);
//! - service auto scaling ([`autoscaling`], [`policies`], the workload's effect [`workload`]);
//! - capacity providers ([`providers`], [`reservation`]);
//! - the drivers: one deployment ([`deploy`](fn@deploy)), a plan over time ([`simulate`](fn@simulate), in slices:
//!   [`progressive`]); and what a timeline gives: the cluster at a moment ([`moment`]), its cost
//!   ([`cost`], [`prices`]).
//!
//! The result is a [`Timeline`]: events (what happened, to which task or instance, and why) and
//! samples of the counts per service, recorded when they change, so a moment is found by binary
//! search and a 24-hour run stays small.

mod alarms;
mod autoscaling;
pub mod bluegreen;
mod breaker;
mod busy;
pub mod cost;
mod daemon;
mod deploy;
mod deployments;
pub mod events;
mod minutes;
pub mod moment;
mod names;
mod no_room;
pub mod policies;
pub mod prices;
pub mod progressive;
mod protection;
mod providers;
mod quiet;
mod quotas;
mod rebalance;
pub mod reservation;
mod rolling;
mod run;
mod service;
mod simulate;
pub mod standalone;
mod stop_order;
mod termination;
pub mod timeline;
pub mod timings;
pub mod wire;
pub mod workload;
mod world;

#[cfg(test)]
mod providers_tests;
#[cfg(test)]
mod quiet_tests;
#[cfg(test)]
mod rebalance_tests;
#[cfg(test)]
mod standalone_tests;
#[cfg(test)]
mod tests;

pub use cost::Cost;
pub use deploy::{
    deploy, deploy_from, duration as duration_label, DeployError, DeployOutcome, DeployRequest,
    DeployResult,
};
pub use events::{EventKind, SimEvent};
pub use minutes::MinuteSamples;
pub use moment::{Moment, MomentIndex};
pub use names::Name;
pub use progressive::{CostPoint, Progressive};
pub use run::Sim;
pub use simulate::{simulate, MinuteSample, ProviderMinute, ServiceMinute};
pub use timeline::{Counts, ServiceSample, ServiceSeries, TaskLife, Timeline};
pub use timings::Timings;
pub use world::TaskState;
