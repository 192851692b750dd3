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
    pub deployment_circuit_breaker: DeploymentCircuitBreaker = "deploymentCircuitBreaker",
    pub alarms: DeploymentAlarms = "alarms",
    /// ROLLING (the default), BLUE_GREEN, LINEAR or CANARY.
    pub strategy: DeploymentStrategy = "strategy",
    /// Blue/green strategies: minutes both task sets run after all traffic moved.
    pub bake_time_in_minutes: i64 = "bakeTimeInMinutes",
    pub canary_configuration: CanaryConfiguration = "canaryConfiguration",
    pub linear_configuration: LinearConfiguration = "linearConfiguration",
    pub lifecycle_hooks: Vec<DeploymentLifecycleHook> = "lifecycleHooks",
}
}

json_struct! {
/// `deploymentCircuitBreaker`.
pub struct DeploymentCircuitBreaker {
    pub enable: bool = "enable",
    pub rollback: bool = "rollback",
    /// Whether a task reaching a healthy state resets the failure count to 0 (default true).
    pub reset_on_healthy_task: bool = "resetOnHealthyTask",
    pub threshold_configuration: ThresholdConfiguration = "thresholdConfiguration",
}
}

json_struct! {
/// `thresholdConfiguration`: how many failures turn the circuit breaker.
pub struct ThresholdConfiguration {
    pub kind: ThresholdType = "type",
    pub value: i64 = "value",
}
}

json_enum! {
pub enum ThresholdType {
    Count = "COUNT",
    BoundedPercent = "BOUNDED_PERCENT",
    UnboundedPercent = "UNBOUNDED_PERCENT",
}
}

json_struct! {
/// `alarms`: CloudWatch alarms that fail a deployment.
pub struct DeploymentAlarms {
    pub alarm_names: Vec<String> = "alarmNames",
    pub enable: bool = "enable",
    pub rollback: bool = "rollback",
}
}

json_enum! {
pub enum DeploymentStrategy {
    Rolling = "ROLLING",
    BlueGreen = "BLUE_GREEN",
    Linear = "LINEAR",
    Canary = "CANARY",
}
}

json_struct! {
/// `canaryConfiguration` of the CANARY strategy.
pub struct CanaryConfiguration {
    pub canary_percent: f64 = "canaryPercent",
    pub canary_bake_time_in_minutes: i64 = "canaryBakeTimeInMinutes",
}
}

json_struct! {
/// `linearConfiguration` of the LINEAR strategy.
pub struct LinearConfiguration {
    pub step_percent: f64 = "stepPercent",
    pub step_bake_time_in_minutes: i64 = "stepBakeTimeInMinutes",
}
}

json_struct! {
/// One of `lifecycleHooks`: a Lambda function (or a pause) at stages of a deployment.
pub struct DeploymentLifecycleHook {
    pub hook_target_arn: String = "hookTargetArn",
    pub lifecycle_stages: Vec<String> = "lifecycleStages",
    pub target_type: String = "targetType",
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
