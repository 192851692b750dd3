//! What happens during a simulation, as ECS's service events, task state changes, Application
//! Auto Scaling activities and Auto Scaling group activities would say it.
//!
//! Each event is an [`EventKind`] with its data, and the sentence the simulator wrote. In JSON
//! (the CLI's `--json`, the page's export) an event is `{t, kind, service?, task?, instance?,
//! message}`: `kind` is the stable code of [`EventKind::code`], listed with its meaning in
//! `docs/deployments.md` ("Events"). Programs branch on the kind, never on the message.

use super::names::Name;
use serde::{Serialize, Serializer};

/// What kind of thing happened, with the facts a reader branches on.
///
/// A [`SimEvent`]'s JSON writes the kind as its code; [`Ran`](super::wire::Ran) carries the
/// facts too, as numbers ([`EventKind::facts`], [`EventKind::from_facts`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EventKind {
    // Deployments of a service.
    /// A deployment of a new task definition (or a forced one) started
    /// (`deployment-type-ecs.md`, "Rolling update").
    DeploymentStarted {
        /// The deployment's number in its service (1 = the first).
        deployment: u32,
    },
    /// The circuit breaker rolled a failed deployment back: a new deployment to the last
    /// completed one started (`deployment-circuit-breaker.md`).
    RollbackStarted {
        /// The rollback's own deployment number.
        deployment: u32,
        /// The deployment that failed.
        failed: u32,
    },
    /// The deployment reached a steady state: COMPLETED (`deployment-type-ecs.md`).
    DeploymentCompleted {
        /// The deployment's number in its service (1 = the first).
        deployment: u32,
    },
    /// The circuit breaker counted enough failures: the deployment FAILED
    /// (`deployment-circuit-breaker.md`, "Failure threshold").
    DeploymentFailed {
        /// The deployment's number in its service (1 = the first).
        deployment: u32,
    },
    /// A failed deployment cannot be rolled back: no deployment completed before it
    /// (`deployment-circuit-breaker.md`).
    RollbackImpossible {
        /// The deployment that failed.
        failed: u32,
    },
    /// A CloudWatch alarm of `deploymentConfiguration.alarms` went into ALARM during the
    /// deployment (it is FAILED next; `deployment-type-ecs.md`, "Failure detection methods").
    DeploymentAlarm {
        /// The deployment's number in its service (1 = the first).
        deployment: u32,
    },
    /// A task of the deployment turned healthy: the circuit breaker's failure count went back
    /// to 0 (`resetOnHealthyTask`, `deployment-circuit-breaker.md`).
    BreakerReset {
        /// The deployment's number in its service (1 = the first).
        deployment: u32,
    },
    /// The deployment can neither start nor stop a task (the reason is the message).
    Stuck,
    /// Blue/green: the whole replacement task set is healthy.
    ReplacementReady {
        /// The deployment's number in its service (1 = the first).
        deployment: u32,
    },
    /// Blue/green: a share of the traffic moved to the replacement task set.
    TrafficShifted {
        /// The deployment's number in its service (1 = the first).
        deployment: u32,
        /// The share of the traffic on the replacement task set now, percent.
        percent: f64,
    },

    // Tasks.
    /// A task was placed and is PENDING (pulling its image).
    TaskStarted,
    /// Its health checks pass.
    TaskHealthy,
    /// Its health checks fail: the scheduler stops and replaces it.
    TaskUnhealthy,
    /// It stopped before RUNNING (its image could not be pulled).
    TaskFailed,
    /// The scheduler stops it (the reason is the message).
    TaskStopping,
    /// It stopped at once: its instance was terminated, or Fargate Spot reclaimed it.
    TaskStopped,
    /// Its scale-in protection was set (UpdateTaskProtection) or expired.
    TaskProtection,
    /// No instance met its requirements: it waits in PROVISIONING (`task-placement.md`;
    /// `cluster-auto-scaling.md`, "Managed scale-out behavior").
    TaskUnplaced,
    /// Fargate Spot's two-minute warning, stopCode TerminationNotice
    /// (`fargate-capacity-providers.md`, "Handling Fargate Spot termination notices").
    SpotInterruption,

    // Standalone tasks (`settings.simulation.runTasks`).
    /// A RunTask request was made (at its second, on its schedule, or for an event).
    RunTask,
    /// RunTask could not launch a task (the `failures[]` reason is the message).
    RunTaskFailed,
    /// A standalone task's essential container exited: the task stops and is not replaced.
    TaskExited,
    /// Availability Zone rebalancing started: the service's tasks are not balanced across its
    /// zones (`SERVICE_REBALANCING_STARTED`).
    RebalancingStarted,
    /// Availability Zone rebalancing completed (`SERVICE_REBALANCING_COMPLETED`).
    RebalancingCompleted,
    /// A service quota held a service's launches back (500 tasks per minute per service, 500
    /// tasks in PROVISIONING per cluster).
    LaunchLimited,

    // Service auto scaling.
    /// The desired count changed (the reason is the message; `service-auto-scaling.md`).
    DesiredCount {
        /// The desired count before.
        from: u32,
        /// The desired count now.
        to: u32,
    },
    /// A scheduled action ran (or was suspended).
    ScheduledAction,
    /// A scheduled action the simulation cannot run (the message says why).
    ScheduledActionIgnored,
    /// A scaling policy the simulation cannot run (the message says why).
    PolicyIgnored,
    /// A policy wants more tasks than maxCapacity allows.
    ScalingLimited,
    /// Scale-in waits for a deployment in progress ("Application Auto Scaling turns off
    /// scale-in processes while Amazon ECS deployments are in progress":
    /// `service-auto-scaling.md`, "Service auto scaling and deployments").
    ScalingSuspended {
        /// The deployment in progress.
        deployment: u32,
    },

    // Capacity providers and their instances.
    /// An Auto Scaling group's DesiredCapacity launches instances at the start.
    AsgDesired,
    /// Managed scaling raised a group's desired capacity (`cluster-auto-scaling.md`, "Managed
    /// scale-out behavior").
    ClusterScaleOut {
        /// The group's desired capacity before.
        from: u32,
        /// The group's desired capacity now.
        to: u32,
    },
    /// Managed scaling lowered a group's desired capacity (`cluster-auto-scaling.md`, "Managed
    /// scale-in behavior").
    ClusterScaleIn {
        /// The group's desired capacity before.
        from: u32,
        /// The group's desired capacity now.
        to: u32,
    },
    /// Managed scaling wants to scale out and cannot (the message says why).
    ClusterScaleOutBlocked,
    /// The group launched an instance.
    InstanceLaunched,
    /// A launched instance registered with the cluster.
    InstanceRegistered,
    /// Scale-in with managed draining set an instance to DRAINING.
    InstanceDraining,
    /// An instance was terminated and deregistered.
    InstanceTerminated,
}

impl EventKind {
    /// Every kind's code, in the order `docs/deployments.md` lists them.
    pub const CODES: [&'static str; 39] = [
        "deployment-started",
        "rollback-started",
        "deployment-completed",
        "deployment-failed",
        "rollback-impossible",
        "deployment-alarm",
        "breaker-reset",
        "stuck",
        "replacement-ready",
        "traffic-shifted",
        "task-started",
        "task-healthy",
        "task-unhealthy",
        "task-failed",
        "task-stopping",
        "task-stopped",
        "task-protection",
        "task-unplaced",
        "spot-interruption",
        "run-task",
        "run-task-failed",
        "task-exited",
        "rebalancing-started",
        "rebalancing-completed",
        "launch-limited",
        "desired-count",
        "scheduled-action",
        "scheduled-action-ignored",
        "policy-ignored",
        "scaling-limited",
        "scaling-suspended",
        "asg-desired",
        "cluster-scale-out",
        "cluster-scale-in",
        "cluster-scale-out-blocked",
        "instance-launched",
        "instance-registered",
        "instance-draining",
        "instance-terminated",
    ];

    /// The stable code of the kind (the JSON's `kind`).
    pub fn code(self) -> &'static str {
        match self {
            EventKind::DeploymentStarted { .. } => "deployment-started",
            EventKind::RollbackStarted { .. } => "rollback-started",
            EventKind::DeploymentCompleted { .. } => "deployment-completed",
            EventKind::DeploymentFailed { .. } => "deployment-failed",
            EventKind::RollbackImpossible { .. } => "rollback-impossible",
            EventKind::DeploymentAlarm { .. } => "deployment-alarm",
            EventKind::BreakerReset { .. } => "breaker-reset",
            EventKind::Stuck => "stuck",
            EventKind::ReplacementReady { .. } => "replacement-ready",
            EventKind::TrafficShifted { .. } => "traffic-shifted",
            EventKind::TaskStarted => "task-started",
            EventKind::TaskHealthy => "task-healthy",
            EventKind::TaskUnhealthy => "task-unhealthy",
            EventKind::TaskFailed => "task-failed",
            EventKind::TaskStopping => "task-stopping",
            EventKind::TaskStopped => "task-stopped",
            EventKind::TaskProtection => "task-protection",
            EventKind::TaskUnplaced => "task-unplaced",
            EventKind::SpotInterruption => "spot-interruption",
            EventKind::RunTask => "run-task",
            EventKind::RunTaskFailed => "run-task-failed",
            EventKind::TaskExited => "task-exited",
            EventKind::RebalancingStarted => "rebalancing-started",
            EventKind::RebalancingCompleted => "rebalancing-completed",
            EventKind::LaunchLimited => "launch-limited",
            EventKind::DesiredCount { .. } => "desired-count",
            EventKind::ScheduledAction => "scheduled-action",
            EventKind::ScheduledActionIgnored => "scheduled-action-ignored",
            EventKind::PolicyIgnored => "policy-ignored",
            EventKind::ScalingLimited => "scaling-limited",
            EventKind::ScalingSuspended { .. } => "scaling-suspended",
            EventKind::AsgDesired => "asg-desired",
            EventKind::ClusterScaleOut { .. } => "cluster-scale-out",
            EventKind::ClusterScaleIn { .. } => "cluster-scale-in",
            EventKind::ClusterScaleOutBlocked => "cluster-scale-out-blocked",
            EventKind::InstanceLaunched => "instance-launched",
            EventKind::InstanceRegistered => "instance-registered",
            EventKind::InstanceDraining => "instance-draining",
            EventKind::InstanceTerminated => "instance-terminated",
        }
    }

    /// The kind as numbers: its code's place in [`Self::CODES`], then its facts in the order
    /// they are declared (the percent of a traffic shift as is).
    pub fn facts(self) -> Vec<f64> {
        let code = Self::CODES
            .iter()
            .position(|&c| c == self.code())
            .unwrap_or(0) as f64;
        let n = |x: u32| f64::from(x);
        match self {
            EventKind::DeploymentStarted { deployment }
            | EventKind::DeploymentCompleted { deployment }
            | EventKind::DeploymentFailed { deployment }
            | EventKind::DeploymentAlarm { deployment }
            | EventKind::BreakerReset { deployment }
            | EventKind::ReplacementReady { deployment }
            | EventKind::ScalingSuspended { deployment }
            | EventKind::RollbackImpossible { failed: deployment } => vec![code, n(deployment)],
            EventKind::RollbackStarted { deployment, failed } => {
                vec![code, n(deployment), n(failed)]
            }
            EventKind::TrafficShifted {
                deployment,
                percent,
            } => vec![code, n(deployment), percent],
            EventKind::DesiredCount { from, to }
            | EventKind::ClusterScaleOut { from, to }
            | EventKind::ClusterScaleIn { from, to } => vec![code, n(from), n(to)],
            _ => vec![code],
        }
    }

    /// The kind [`Self::facts`] wrote; none when the numbers name no kind.
    pub fn from_facts(facts: &[f64]) -> Option<EventKind> {
        let code = *Self::CODES.get(*facts.first()? as usize)?;
        let n = |k: usize| facts.get(k).map(|&x| x as u32);
        Some(match code {
            "deployment-started" => EventKind::DeploymentStarted { deployment: n(1)? },
            "rollback-started" => EventKind::RollbackStarted {
                deployment: n(1)?,
                failed: n(2)?,
            },
            "deployment-completed" => EventKind::DeploymentCompleted { deployment: n(1)? },
            "deployment-failed" => EventKind::DeploymentFailed { deployment: n(1)? },
            "rollback-impossible" => EventKind::RollbackImpossible { failed: n(1)? },
            "deployment-alarm" => EventKind::DeploymentAlarm { deployment: n(1)? },
            "breaker-reset" => EventKind::BreakerReset { deployment: n(1)? },
            "stuck" => EventKind::Stuck,
            "replacement-ready" => EventKind::ReplacementReady { deployment: n(1)? },
            "traffic-shifted" => EventKind::TrafficShifted {
                deployment: n(1)?,
                percent: *facts.get(2)?,
            },
            "task-started" => EventKind::TaskStarted,
            "task-healthy" => EventKind::TaskHealthy,
            "task-unhealthy" => EventKind::TaskUnhealthy,
            "task-failed" => EventKind::TaskFailed,
            "task-stopping" => EventKind::TaskStopping,
            "task-stopped" => EventKind::TaskStopped,
            "task-protection" => EventKind::TaskProtection,
            "task-unplaced" => EventKind::TaskUnplaced,
            "spot-interruption" => EventKind::SpotInterruption,
            "run-task" => EventKind::RunTask,
            "run-task-failed" => EventKind::RunTaskFailed,
            "task-exited" => EventKind::TaskExited,
            "rebalancing-started" => EventKind::RebalancingStarted,
            "rebalancing-completed" => EventKind::RebalancingCompleted,
            "launch-limited" => EventKind::LaunchLimited,
            "desired-count" => EventKind::DesiredCount {
                from: n(1)?,
                to: n(2)?,
            },
            "scheduled-action" => EventKind::ScheduledAction,
            "scheduled-action-ignored" => EventKind::ScheduledActionIgnored,
            "policy-ignored" => EventKind::PolicyIgnored,
            "scaling-limited" => EventKind::ScalingLimited,
            "scaling-suspended" => EventKind::ScalingSuspended { deployment: n(1)? },
            "asg-desired" => EventKind::AsgDesired,
            "cluster-scale-out" => EventKind::ClusterScaleOut {
                from: n(1)?,
                to: n(2)?,
            },
            "cluster-scale-in" => EventKind::ClusterScaleIn {
                from: n(1)?,
                to: n(2)?,
            },
            "cluster-scale-out-blocked" => EventKind::ClusterScaleOutBlocked,
            "instance-launched" => EventKind::InstanceLaunched,
            "instance-registered" => EventKind::InstanceRegistered,
            "instance-draining" => EventKind::InstanceDraining,
            "instance-terminated" => EventKind::InstanceTerminated,
            _ => return None,
        })
    }

    /// The deployment a deployment event is about (a rollback is the new deployment).
    pub fn deployment(self) -> Option<u32> {
        match self {
            EventKind::DeploymentStarted { deployment }
            | EventKind::RollbackStarted { deployment, .. }
            | EventKind::DeploymentCompleted { deployment }
            | EventKind::DeploymentFailed { deployment }
            | EventKind::ReplacementReady { deployment }
            | EventKind::TrafficShifted { deployment, .. } => Some(deployment),
            EventKind::RollbackImpossible { failed } => Some(failed),
            _ => None,
        }
    }

    /// A deployment started (a first one or a rollback).
    pub fn starts_deployment(self) -> bool {
        matches!(
            self,
            EventKind::DeploymentStarted { .. } | EventKind::RollbackStarted { .. }
        )
    }
}

/// Something that happened at second `t`, to a service, a task or an instance.
#[derive(Debug, Clone, PartialEq)]
pub struct SimEvent {
    /// Seconds from the start.
    pub t: u32,
    /// What happened (in JSON, its stable code and its data).
    pub kind: EventKind,
    /// The service it is about, by name (or a RunTask group's name).
    pub service: Option<Name>,
    /// The task it is about, by the planner's id (`web-3`).
    pub task: Option<String>,
    /// The container instance it is about (a task's instance, or the instance itself).
    pub instance: Option<Name>,
    /// The event as ECS's consoles would say it, with the simulator's reasons.
    pub message: String,
}

impl Serialize for SimEvent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            t: u32,
            kind: &'static str,
            #[serde(skip_serializing_if = "Option::is_none")]
            service: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            task: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            instance: Option<&'a str>,
            message: &'a str,
        }
        Json {
            t: self.t,
            kind: self.kind.code(),
            service: self.service.as_deref(),
            task: self.task.as_deref(),
            instance: self.instance.as_deref(),
            message: &self.message,
        }
        .serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind, with facts that tell its fields apart.
    fn every_kind() -> Vec<EventKind> {
        use EventKind::*;
        vec![
            DeploymentStarted { deployment: 2 },
            RollbackStarted {
                deployment: 4,
                failed: 3,
            },
            DeploymentCompleted { deployment: 5 },
            DeploymentFailed { deployment: 6 },
            RollbackImpossible { failed: 7 },
            DeploymentAlarm { deployment: 8 },
            BreakerReset { deployment: 9 },
            Stuck,
            ReplacementReady { deployment: 10 },
            TrafficShifted {
                deployment: 11,
                percent: 12.5,
            },
            TaskStarted,
            TaskHealthy,
            TaskUnhealthy,
            TaskFailed,
            TaskStopping,
            TaskStopped,
            TaskProtection,
            TaskUnplaced,
            SpotInterruption,
            RunTask,
            RunTaskFailed,
            TaskExited,
            RebalancingStarted,
            RebalancingCompleted,
            LaunchLimited,
            DesiredCount { from: 3, to: 13 },
            ScheduledAction,
            ScheduledActionIgnored,
            PolicyIgnored,
            ScalingLimited,
            ScalingSuspended { deployment: 14 },
            AsgDesired,
            ClusterScaleOut { from: 15, to: 16 },
            ClusterScaleIn { from: 17, to: 1 },
            ClusterScaleOutBlocked,
            InstanceLaunched,
            InstanceRegistered,
            InstanceDraining,
            InstanceTerminated,
        ]
    }

    #[test]
    fn every_kind_reads_back_from_its_facts() {
        let all = every_kind();
        assert_eq!(all.len(), EventKind::CODES.len());
        for k in all {
            let facts = k.facts();
            assert_eq!(EventKind::CODES[facts[0] as usize], k.code());
            assert_eq!(EventKind::from_facts(&facts), Some(k), "{facts:?}");
        }
        assert_eq!(EventKind::from_facts(&[]), None);
        assert_eq!(EventKind::from_facts(&[99.0]), None);
        assert_eq!(
            EventKind::from_facts(&[0.0]),
            None,
            "a deployment without its number"
        );
    }

    #[test]
    fn an_event_is_written_with_its_code_and_the_codes_are_listed_once() {
        let e = SimEvent {
            t: 60,
            kind: EventKind::DeploymentFailed { deployment: 2 },
            service: Some("web".into()),
            task: None,
            instance: None,
            message: "deployment 2 FAILED".into(),
        };
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"t":60,"kind":"deployment-failed","service":"web","message":"deployment 2 FAILED"}"#
        );
        let mut codes = EventKind::CODES.to_vec();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), EventKind::CODES.len());
    }

    /// Where each kind is in [`EventKind::CODES`]: a match without a wildcard, so a new kind
    /// does not compile until it is given its place here, in `all` below, in `CODES` and in
    /// docs/deployments.md's table.
    fn position(k: EventKind) -> usize {
        match k {
            EventKind::DeploymentStarted { .. } => 0,
            EventKind::RollbackStarted { .. } => 1,
            EventKind::DeploymentCompleted { .. } => 2,
            EventKind::DeploymentFailed { .. } => 3,
            EventKind::RollbackImpossible { .. } => 4,
            EventKind::DeploymentAlarm { .. } => 5,
            EventKind::BreakerReset { .. } => 6,
            EventKind::Stuck => 7,
            EventKind::ReplacementReady { .. } => 8,
            EventKind::TrafficShifted { .. } => 9,
            EventKind::TaskStarted => 10,
            EventKind::TaskHealthy => 11,
            EventKind::TaskUnhealthy => 12,
            EventKind::TaskFailed => 13,
            EventKind::TaskStopping => 14,
            EventKind::TaskStopped => 15,
            EventKind::TaskProtection => 16,
            EventKind::TaskUnplaced => 17,
            EventKind::SpotInterruption => 18,
            EventKind::RunTask => 19,
            EventKind::RunTaskFailed => 20,
            EventKind::TaskExited => 21,
            EventKind::RebalancingStarted => 22,
            EventKind::RebalancingCompleted => 23,
            EventKind::LaunchLimited => 24,
            EventKind::DesiredCount { .. } => 25,
            EventKind::ScheduledAction => 26,
            EventKind::ScheduledActionIgnored => 27,
            EventKind::PolicyIgnored => 28,
            EventKind::ScalingLimited => 29,
            EventKind::ScalingSuspended { .. } => 30,
            EventKind::AsgDesired => 31,
            EventKind::ClusterScaleOut { .. } => 32,
            EventKind::ClusterScaleIn { .. } => 33,
            EventKind::ClusterScaleOutBlocked => 34,
            EventKind::InstanceLaunched => 35,
            EventKind::InstanceRegistered => 36,
            EventKind::InstanceDraining => 37,
            EventKind::InstanceTerminated => 38,
        }
    }

    #[test]
    fn every_kind_has_its_code_listed_and_documented() {
        let d = 1;
        let all = [
            EventKind::DeploymentStarted { deployment: d },
            EventKind::RollbackStarted {
                deployment: d,
                failed: d,
            },
            EventKind::DeploymentCompleted { deployment: d },
            EventKind::DeploymentFailed { deployment: d },
            EventKind::RollbackImpossible { failed: d },
            EventKind::DeploymentAlarm { deployment: d },
            EventKind::BreakerReset { deployment: d },
            EventKind::Stuck,
            EventKind::ReplacementReady { deployment: d },
            EventKind::TrafficShifted {
                deployment: d,
                percent: 10.0,
            },
            EventKind::TaskStarted,
            EventKind::TaskHealthy,
            EventKind::TaskUnhealthy,
            EventKind::TaskFailed,
            EventKind::TaskStopping,
            EventKind::TaskStopped,
            EventKind::TaskProtection,
            EventKind::TaskUnplaced,
            EventKind::SpotInterruption,
            EventKind::RunTask,
            EventKind::RunTaskFailed,
            EventKind::TaskExited,
            EventKind::RebalancingStarted,
            EventKind::RebalancingCompleted,
            EventKind::LaunchLimited,
            EventKind::DesiredCount { from: 1, to: 2 },
            EventKind::ScheduledAction,
            EventKind::ScheduledActionIgnored,
            EventKind::PolicyIgnored,
            EventKind::ScalingLimited,
            EventKind::ScalingSuspended { deployment: d },
            EventKind::AsgDesired,
            EventKind::ClusterScaleOut { from: 1, to: 2 },
            EventKind::ClusterScaleIn { from: 2, to: 1 },
            EventKind::ClusterScaleOutBlocked,
            EventKind::InstanceLaunched,
            EventKind::InstanceRegistered,
            EventKind::InstanceDraining,
            EventKind::InstanceTerminated,
        ];
        let codes: Vec<&str> = all.iter().map(|k| k.code()).collect();
        assert_eq!(codes, EventKind::CODES);
        let positions: Vec<usize> = all.iter().map(|k| position(*k)).collect();
        assert_eq!(positions, (0..EventKind::CODES.len()).collect::<Vec<_>>());
        // docs/deployments.md lists every kind, in the same order, and no other.
        let doc = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../docs/deployments.md"
        ))
        .unwrap();
        let start = doc.find("<!-- event-kinds -->").expect("the events table");
        let end = doc.find("<!-- /event-kinds -->").expect("its end");
        let documented: Vec<&str> = doc[start..end]
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split('`').next())
            .collect();
        assert_eq!(documented, EventKind::CODES);
    }
}
