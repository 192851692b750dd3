//! How long the steps of a task's life take in the simulation.
//!
//! Defaults come from AWS's documented defaults where there is one (deregistration delay 300 s,
//! target group health checks every 30 s with 5 successes to turn healthy and 2 failures to
//! turn unhealthy, a task without health checks counted healthy 40 s after RUNNING, container
//! health checks every 30 s); image pull and container start are typical figures for a small
//! image, since they depend on the image. A plan overrides any of them in
//! `settings.simulation`. Container health checks take their interval, retries and start
//! period from the task definition (`task_definition_parameters.md`, "Health check": interval
//! 30 s, three retries by default), and a service's `healthCheckGracePeriodSeconds`
//! (`service_definition_parameters.md`) holds failures back; those are read from the plan, not
//! from here.

use crate::plan::{Plan, SimulationSettings};
use serde::Serialize;

/// The durations of a task's steps and of an instance's launch, seconds (a plan sets each in
/// `settings.simulation`: `imagePullSeconds`, `deregistrationDelaySeconds`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timings {
    /// PENDING: pulling the image.
    pub image_pull: u32,
    /// PENDING: starting the containers after the pull.
    pub container_start: u32,
    /// ACTIVATING: registering with the load balancer's target group.
    pub lb_registration: u32,
    /// A registered target turns healthy after this long (5 checks × 30 s).
    pub lb_healthy: u32,
    /// A failing target turns unhealthy after this long (2 checks × 30 s).
    pub lb_unhealthy: u32,
    /// DEACTIVATING: the target group's deregistration delay (connection draining).
    pub deregistration_delay: u32,
    /// STOPPING: from SIGTERM to the containers exiting.
    pub stop: u32,
    /// Without load balancer or container health check, a task counts as healthy this long
    /// after it is RUNNING.
    pub no_health_check: u32,
    /// A pull that fails gives up after this long (the task goes to STOPPED).
    pub image_pull_failure: u32,
    /// An EC2 instance launched by a capacity provider registers after this long.
    pub instance_launch: u32,
    /// A deployment with alarms stays IN_PROGRESS this long after its steady state (the bake
    /// time; AWS computes it from the alarms' configuration and does not publish how).
    pub deployment_bake: u32,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            image_pull: 20,
            container_start: 5,
            lb_registration: 5,
            lb_healthy: 150,
            lb_unhealthy: 60,
            deregistration_delay: 300,
            stop: 5,
            no_health_check: 40,
            image_pull_failure: 60,
            instance_launch: 90,
            deployment_bake: 300,
        }
    }
}

impl Timings {
    /// The defaults with the plan's `settings.simulation` applied.
    pub fn for_plan(plan: &Plan) -> Timings {
        let d = Timings::default();
        let Some(s): Option<&SimulationSettings> =
            plan.settings.as_ref().and_then(|s| s.simulation.as_ref())
        else {
            return d;
        };
        Timings {
            image_pull: s.image_pull_seconds.unwrap_or(d.image_pull),
            container_start: s.container_start_seconds.unwrap_or(d.container_start),
            lb_registration: s
                .load_balancer_registration_seconds
                .unwrap_or(d.lb_registration),
            lb_healthy: s.load_balancer_healthy_seconds.unwrap_or(d.lb_healthy),
            lb_unhealthy: s.load_balancer_unhealthy_seconds.unwrap_or(d.lb_unhealthy),
            deregistration_delay: s
                .deregistration_delay_seconds
                .unwrap_or(d.deregistration_delay),
            stop: s.stop_seconds.unwrap_or(d.stop),
            no_health_check: s.no_health_check_seconds.unwrap_or(d.no_health_check),
            image_pull_failure: s.image_pull_failure_seconds.unwrap_or(d.image_pull_failure),
            instance_launch: s.instance_launch_seconds.unwrap_or(d.instance_launch),
            deployment_bake: s.deployment_bake_seconds.unwrap_or(d.deployment_bake),
        }
    }
}
