//! A service's deployment configuration (CreateService's `deploymentConfiguration`, the API
//! model's `DeploymentConfiguration`) and its deployment controller.
//!
//! Every member is optional, as in the API; the defaults are applied by whoever reads them
//! (the simulator and the rules say which). Members not named here stay in `extra`.

use super::{Extra, Service};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `deploymentConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentConfiguration {
    /// Ceiling on tasks during a deployment, percent of the desired count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_percent: Option<i64>,
    /// Floor on healthy tasks during a deployment, percent of the desired count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_healthy_percent: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_circuit_breaker: Option<DeploymentCircuitBreaker>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarms: Option<DeploymentAlarms>,
    /// ROLLING (the default), BLUE_GREEN, LINEAR or CANARY.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<DeploymentStrategy>,
    /// Blue/green strategies: minutes both task sets run after all traffic moved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bake_time_in_minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canary_configuration: Option<CanaryConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linear_configuration: Option<LinearConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_hooks: Option<Vec<DeploymentLifecycleHook>>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `deploymentCircuitBreaker`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentCircuitBreaker {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_configuration: Option<ThresholdConfiguration>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `thresholdConfiguration`: how many failures turn the circuit breaker.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ThresholdConfiguration {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ThresholdType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ThresholdType {
    Count,
    BoundedPercent,
    UnboundedPercent,
}

/// `alarms`: CloudWatch alarms that fail a deployment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentAlarms {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_names: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeploymentStrategy {
    Rolling,
    BlueGreen,
    Linear,
    Canary,
}

/// `canaryConfiguration` of the CANARY strategy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CanaryConfiguration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canary_percent: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canary_bake_time_in_minutes: Option<i64>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `linearConfiguration` of the LINEAR strategy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinearConfiguration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_percent: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_bake_time_in_minutes: Option<i64>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One of `lifecycleHooks`: a Lambda function (or a pause) at stages of a deployment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentLifecycleHook {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hook_target_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_stages: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
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
