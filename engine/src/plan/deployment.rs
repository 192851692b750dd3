//! A service's deployment configuration (CreateService's `deploymentConfiguration`, the API
//! model's `DeploymentConfiguration`) and its deployment controller.
//!
//! Every member is optional, as in the API; the defaults are applied by whoever reads them
//! (the simulator and the rules say which). Members not named here stay in `extra`.

use super::json::{json_enum, json_struct};
use super::Service;
use serde_json::Value;

json_struct! {
/// `deploymentConfiguration`.
pub struct DeploymentConfiguration {
    /// Ceiling on tasks during a deployment, percent of the desired count.
    pub maximum_percent: i64 = "maximumPercent",
    /// Floor on healthy tasks during a deployment, percent of the desired count.
    pub minimum_healthy_percent: i64 = "minimumHealthyPercent",
    /// Stops (and may roll back) a rolling deployment whose tasks keep failing.
    pub deployment_circuit_breaker: DeploymentCircuitBreaker = "deploymentCircuitBreaker",
    /// CloudWatch alarms whose ALARM state fails the deployment.
    pub alarms: DeploymentAlarms = "alarms",
    /// ROLLING (the default), BLUE_GREEN, LINEAR or CANARY.
    pub strategy: DeploymentStrategy = "strategy",
    /// Blue/green strategies: minutes both task sets run after all traffic moved.
    pub bake_time_in_minutes: i64 = "bakeTimeInMinutes",
    /// The CANARY strategy's share and bake time.
    pub canary_configuration: CanaryConfiguration = "canaryConfiguration",
    /// The LINEAR strategy's step and bake time.
    pub linear_configuration: LinearConfiguration = "linearConfiguration",
    /// Lambda functions called at stages of a blue/green, linear or canary deployment.
    pub lifecycle_hooks: Vec<DeploymentLifecycleHook> = "lifecycleHooks",
}
}

json_struct! {
/// `deploymentCircuitBreaker`.
pub struct DeploymentCircuitBreaker {
    /// Whether the circuit breaker watches the deployment (default false).
    pub enable: bool = "enable",
    /// Whether a failed deployment rolls back to the last completed one.
    pub rollback: bool = "rollback",
    /// Whether a task reaching a healthy state resets the failure count to 0 (default true).
    pub reset_on_healthy_task: bool = "resetOnHealthyTask",
    /// How many failed tasks fail the deployment (default: AWS's formula on the desired count).
    pub threshold_configuration: ThresholdConfiguration = "thresholdConfiguration",
}
}

json_struct! {
/// `thresholdConfiguration`: how many failures turn the circuit breaker.
pub struct ThresholdConfiguration {
    /// How `value` is read.
    pub kind: ThresholdType = "type",
    /// The threshold: tasks, or percent of the desired count.
    pub value: i64 = "value",
}
}

json_enum! {
/// `type` of `thresholdConfiguration`: how its `value` is read.
pub enum ThresholdType {
    /// `COUNT`: a number of tasks.
    Count = "COUNT",
    /// `BOUNDED_PERCENT`: a percentage, at most 100.
    BoundedPercent = "BOUNDED_PERCENT",
    /// `UNBOUNDED_PERCENT`: a percentage, any size.
    UnboundedPercent = "UNBOUNDED_PERCENT",
}
}

json_struct! {
/// `alarms`: CloudWatch alarms that fail a deployment.
pub struct DeploymentAlarms {
    /// The alarms' names.
    pub alarm_names: Vec<String> = "alarmNames",
    /// Whether the deployment watches them.
    pub enable: bool = "enable",
    /// Whether an alarm rolls the deployment back.
    pub rollback: bool = "rollback",
}
}

json_enum! {
/// `deploymentConfiguration.strategy`: how ECS replaces the tasks.
pub enum DeploymentStrategy {
    /// `ROLLING` (the default): old tasks replaced within `minimumHealthyPercent` and
    /// `maximumPercent`.
    Rolling = "ROLLING",
    /// `BLUE_GREEN`: a full set of new tasks, then all traffic at once.
    BlueGreen = "BLUE_GREEN",
    /// `LINEAR`: traffic moved to the new tasks in equal steps.
    Linear = "LINEAR",
    /// `CANARY`: a share of the traffic first, the rest after a bake time.
    Canary = "CANARY",
}
}

json_struct! {
/// `canaryConfiguration` of the CANARY strategy.
pub struct CanaryConfiguration {
    /// Percent of the traffic moved first.
    pub canary_percent: f64 = "canaryPercent",
    /// Minutes before the rest of the traffic moves.
    pub canary_bake_time_in_minutes: i64 = "canaryBakeTimeInMinutes",
}
}

json_struct! {
/// `linearConfiguration` of the LINEAR strategy.
pub struct LinearConfiguration {
    /// Percent of the traffic moved each step.
    pub step_percent: f64 = "stepPercent",
    /// Minutes between steps.
    pub step_bake_time_in_minutes: i64 = "stepBakeTimeInMinutes",
}
}

json_struct! {
/// One of `lifecycleHooks`: a Lambda function (or a pause) at stages of a deployment.
pub struct DeploymentLifecycleHook {
    /// The Lambda function's ARN.
    pub hook_target_arn: String = "hookTargetArn",
    /// The stages it runs at (`RECONCILE_SERVICE`, `PRE_SCALE_UP`, …).
    pub lifecycle_stages: Vec<String> = "lifecycleStages",
    /// What `hookTargetArn` is (`AWS_LAMBDA`).
    pub target_type: String = "targetType",
    /// The IAM role ECS assumes to call it.
    pub role_arn: String = "roleArn",
}
}

impl DeploymentConfiguration {
    /// Whether `alarms` or the circuit breaker (`key`: their member name) is enabled.
    pub fn enabled(&self, key: &str) -> bool {
        match key {
            "alarms" => self.alarms.as_ref().and_then(|a| a.enable) == Some(true),
            "deploymentCircuitBreaker" => {
                self.deployment_circuit_breaker
                    .as_ref()
                    .and_then(|b| b.enable)
                    == Some(true)
            }
            _ => false,
        }
    }
}

impl Service {
    /// The deployment controller's `type` (`deploymentController`, default `ECS`).
    pub fn deployment_controller(&self) -> &str {
        self.extra
            .get("deploymentController")
            .and_then(|c| c.get("type"))
            .and_then(Value::as_str)
            .unwrap_or("ECS")
    }

    /// `healthCheckGracePeriodSeconds` as a whole number of seconds, when it is one.
    pub fn health_check_grace_period(&self) -> Option<u64> {
        self.extra
            .get("healthCheckGracePeriodSeconds")
            .and_then(Value::as_u64)
    }
}
