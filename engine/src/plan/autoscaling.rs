//! A service's Application Auto Scaling, as the plan's `autoScaling` holds it: the scalable
//! target (RegisterScalableTarget's `MinCapacity`, `MaxCapacity`, `SuspendedState`), its
//! PutScalingPolicy requests (with the planner's `alarm` for step scaling) and its
//! PutScheduledAction requests; and what a policy means to a simulation ([`ScalingPolicy::read`]).
//!
//! The request members keep AWS's names (PascalCase) and are all optional, as the shapes have
//! already checked what AWS requires; members not named here stay in `extra`. Reading a policy
//! follows `service-autoscaling-targettracking.md`, `service-autoscaling-stepscaling.md` and the
//! AAS API model's `TargetTrackingScalingPolicyConfiguration`, `StepScalingPolicyConfiguration`
//! and `StepAdjustment`; `docs/plan-format.md` documents the planner's `alarm`.

use super::json::{json_enum, json_struct};
use super::schedule::{self, Instant, Schedule, Timestamp, Zone};
use super::Number;
use crate::sort::sort_by;
use thiserror::Error;

json_struct! {
/// `autoScaling` of a service.
pub struct ServiceAutoScaling {
    /// RegisterScalableTarget's `MinCapacity`: the fewest tasks auto scaling sets.
    pub min_capacity: i64 = "minCapacity",
    /// RegisterScalableTarget's `MaxCapacity`: the most tasks auto scaling sets.
    pub max_capacity: i64 = "maxCapacity",
    /// PutScalingPolicy requests.
    pub policies: Vec<ScalingPolicy> = "policies",
    /// PutScheduledAction requests.
    pub scheduled_actions: Vec<ScheduledAction> = "scheduledActions",
    /// RegisterScalableTarget's `SuspendedState`.
    pub suspended_state: SuspendedState = "suspendedState",
}
}

json_struct! {
/// `SuspendedState` of the scalable target.
pub struct SuspendedState {
    /// Scaling policies do not remove tasks.
    pub dynamic_scaling_in_suspended: bool = "DynamicScalingInSuspended",
    /// Scaling policies do not add tasks.
    pub dynamic_scaling_out_suspended: bool = "DynamicScalingOutSuspended",
    /// Scheduled actions do not run.
    pub scheduled_scaling_suspended: bool = "ScheduledScalingSuspended",
}
}

json_struct! {
/// A PutScalingPolicy request, with the planner's `alarm` for step scaling.
pub struct ScalingPolicy {
    /// `PolicyName`, unique for the service.
    pub policy_name: String = "PolicyName",
    /// Target tracking, step or predictive scaling.
    pub policy_type: PolicyType = "PolicyType",
    /// For `TargetTrackingScaling`.
    pub target_tracking_scaling_policy_configuration: TargetTrackingConfiguration = "TargetTrackingScalingPolicyConfiguration",
    /// For `StepScaling`.
    pub step_scaling_policy_configuration: StepScalingConfiguration = "StepScalingPolicyConfiguration",
    /// The CloudWatch alarm that runs a step scaling policy (a planner extension, dropped on
    /// export: in AWS the alarm is the user's own).
    pub alarm: StepAlarm = "alarm",
}
}

json_enum! {
/// `PolicyType` of a scaling policy.
pub enum PolicyType {
    /// Keeps a metric at a target value.
    TargetTrackingScaling = "TargetTrackingScaling",
    /// Changes the count by steps when a CloudWatch alarm fires.
    StepScaling = "StepScaling",
    /// Forecasts from history (not simulated).
    PredictiveScaling = "PredictiveScaling",
}
}

json_struct! {
/// `TargetTrackingScalingPolicyConfiguration`.
pub struct TargetTrackingConfiguration {
    /// The metric's value to keep the service at.
    pub target_value: Number = "TargetValue",
    /// An ECS service metric: `ECSServiceAverageCPUUtilization`,
    /// `ECSServiceAverageMemoryUtilization` or `ALBRequestCountPerTarget`.
    pub predefined_metric_specification: PredefinedMetricSpecification = "PredefinedMetricSpecification",
    /// A CloudWatch metric or metric math, instead.
    pub customized_metric_specification: CustomizedMetricSpecification = "CustomizedMetricSpecification",
    /// Seconds after a scale-out before the next (default 300).
    pub scale_out_cooldown: i64 = "ScaleOutCooldown",
    /// Seconds after a scale-in before the next (default 300).
    pub scale_in_cooldown: i64 = "ScaleInCooldown",
    /// The policy only adds tasks (default false).
    pub disable_scale_in: bool = "DisableScaleIn",
}
}

json_struct! {
/// `PredefinedMetricSpecification`.
pub struct PredefinedMetricSpecification {
    /// The metric's name, e.g. `ECSServiceAverageCPUUtilization`.
    pub predefined_metric_type: String = "PredefinedMetricType",
    /// ALBRequestCountPerTarget: `app/LB/ID/targetgroup/TG/ID`.
    pub resource_label: String = "ResourceLabel",
}
}

json_struct! {
/// `CustomizedMetricSpecification`: one CloudWatch metric, or metric math (`Metrics`).
pub struct CustomizedMetricSpecification {
    /// The CloudWatch metric's name.
    pub metric_name: String = "MetricName",
    /// The CloudWatch metric's namespace (`AWS/ECS`).
    pub namespace: String = "Namespace",
    /// Metric math: the queries, one of which returns the value tracked.
    pub metrics: Vec<MetricDataQuery> = "Metrics",
}
}

json_struct! {
/// One of `Metrics` (`TargetTrackingMetricDataQuery`).
pub struct MetricDataQuery {
    /// A metric math expression over the other queries' ids (`m1 / m2`).
    pub expression: String = "Expression",
    /// A CloudWatch metric and its statistic.
    pub metric_stat: MetricStat = "MetricStat",
}
}

json_struct! {
/// `MetricStat` of a metric data query.
pub struct MetricStat {
    /// The metric.
    pub metric: CloudWatchMetric = "Metric",
}
}

json_struct! {
/// A CloudWatch metric's name and namespace (dimensions stay in `extra`).
pub struct CloudWatchMetric {
    /// The metric's name.
    pub metric_name: String = "MetricName",
    /// The metric's namespace.
    pub namespace: String = "Namespace",
}
}

json_struct! {
/// `StepScalingPolicyConfiguration`.
pub struct StepScalingConfiguration {
    /// How `ScalingAdjustment` changes the desired count.
    pub adjustment_type: AdjustmentType = "AdjustmentType",
    /// The steps, by offset from the alarm's threshold.
    pub step_adjustments: Vec<StepAdjustment> = "StepAdjustments",
    /// `PercentChangeInCapacity`: the least change, in tasks.
    pub min_adjustment_magnitude: i64 = "MinAdjustmentMagnitude",
    /// Seconds after a scaling activity before another (default 300).
    pub cooldown: i64 = "Cooldown",
    /// How Application Auto Scaling combines the alarm's most recent datapoints before
    /// choosing a step (Average when absent).
    pub metric_aggregation_type: Statistic = "MetricAggregationType",
}
}

json_enum! {
/// `AdjustmentType` of step scaling: how `ScalingAdjustment` changes the desired count.
#[allow(clippy::enum_variant_names)] // AWS's own AdjustmentType values
pub enum AdjustmentType {
    /// Add (or with a negative number remove) that many tasks.
    ChangeInCapacity = "ChangeInCapacity",
    /// Change by that percentage of the current count (at least `MinAdjustmentMagnitude`).
    PercentChangeInCapacity = "PercentChangeInCapacity",
    /// Set the count to that number.
    ExactCapacity = "ExactCapacity",
}
}

json_struct! {
/// One `StepAdjustment`: bounds are offsets from the alarm's threshold.
pub struct StepAdjustment {
    /// Offset from the threshold where the step starts (inclusive; absent: no bound).
    pub metric_interval_lower_bound: f64 = "MetricIntervalLowerBound",
    /// Offset from the threshold where the step ends (exclusive; absent: no bound).
    pub metric_interval_upper_bound: f64 = "MetricIntervalUpperBound",
    /// The change, read by `AdjustmentType`.
    pub scaling_adjustment: i64 = "ScalingAdjustment",
}
}

json_struct! {
/// The planner's stand-in for the CloudWatch alarm of a step scaling policy (`alarm`).
pub struct StepAlarm {
    /// The metric watched.
    pub metric: Metric = "metric",
    /// `>=`, `>`, `<`, `<=` or CloudWatch's names for them.
    pub comparison: String = "comparison",
    /// The value compared with.
    pub threshold: Number = "threshold",
    /// Periods the alarm looks back over (default 1).
    pub evaluation_periods: i64 = "evaluationPeriods",
    /// Breaching periods of those that set it to ALARM (default `evaluationPeriods`).
    pub datapoints_to_alarm: i64 = "datapointsToAlarm",
    /// Seconds of a period (default 60, in whole minutes).
    pub period_seconds: i64 = "periodSeconds",
    /// How a period's datapoints combine (default Average).
    pub statistic: Statistic = "statistic",
}
}

json_struct! {
/// A PutScheduledAction request.
pub struct ScheduledAction {
    /// `ScheduledActionName`, unique for the service.
    pub scheduled_action_name: String = "ScheduledActionName",
    /// `at(...)`, `rate(...)` or `cron(...)`.
    pub schedule: String = "Schedule",
    /// An IANA time zone name (default UTC).
    pub timezone: String = "Timezone",
    /// It does not run before.
    pub start_time: Timestamp = "StartTime",
    /// It does not run after.
    pub end_time: Timestamp = "EndTime",
    /// The capacity range it sets.
    pub scalable_target_action: ScalableTargetAction = "ScalableTargetAction",
}
}

json_struct! {
/// `ScalableTargetAction`: the range a scheduled action sets.
pub struct ScalableTargetAction {
    /// The new `MinCapacity`.
    pub min_capacity: i64 = "MinCapacity",
    /// The new `MaxCapacity`.
    pub max_capacity: i64 = "MaxCapacity",
}
}

impl ServiceAutoScaling {
    /// Its PutScalingPolicy requests (`policies`), empty when none.
    pub fn policies(&self) -> &[ScalingPolicy] {
        self.policies.as_deref().unwrap_or_default()
    }

    /// Its PutScheduledAction requests (`scheduledActions`), empty when none.
    pub fn scheduled_actions(&self) -> &[ScheduledAction] {
        self.scheduled_actions.as_deref().unwrap_or_default()
    }
}

/// A capacity of the API (`MinCapacity`, `MaxCapacity`) as a task count: negative is 0.
pub fn capacity(v: Option<i64>) -> Option<u32> {
    v.map(|x| x.clamp(0, u32::MAX as i64) as u32)
}

// ---------------------------------------------------------------------------------------------
// What a policy means

json_enum! {
/// The metrics of an ECS service the planner knows (and the names the planner's `alarm`
/// gives them).
pub enum Metric {
    /// The service's average CPU utilisation, percent of the tasks' reserved CPU.
    Cpu = "CPUUtilization",
    /// The service's average memory utilisation, percent of the tasks' reserved memory.
    Memory = "MemoryUtilization",
    /// Load balancer requests per target (task) per minute.
    RequestsPerTarget = "RequestCountPerTarget",
    /// SQS `ApproximateNumberOfMessagesVisible`.
    Backlog = "ApproximateNumberOfMessagesVisible",
    /// Backlog divided by the running tasks (the metric-math `m1 / m2` of AWS's SQS example).
    BacklogPerTask = "BacklogPerTask",
}
}

impl Metric {
    /// The metric's CloudWatch name, for messages and charts.
    pub fn label(self) -> &'static str {
        match self {
            Metric::Cpu => "CPUUtilization",
            Metric::Memory => "MemoryUtilization",
            Metric::RequestsPerTarget => "RequestCountPerTarget",
            Metric::Backlog => "ApproximateNumberOfMessagesVisible",
            Metric::BacklogPerTask => "BacklogPerTask",
        }
    }
}

/// ECS's default cooldowns (`ecs-semantics.md` §4.1, AAS `Cooldown`).
pub const DEFAULT_COOLDOWN: u32 = 300;

/// A target tracking policy as a simulation runs it.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetTracking {
    /// The metric tracked.
    pub metric: Metric,
    /// How the plan names the metric (for messages).
    pub metric_name: String,
    /// `TargetValue`: the metric's value the policy keeps the service at.
    pub target: f64,
    /// `ScaleOutCooldown`, seconds (default 300): no other scale-out until it ends.
    pub scale_out_cooldown: u32,
    /// `ScaleInCooldown`, seconds (default 300): no scale-in until it ends.
    pub scale_in_cooldown: u32,
    /// `DisableScaleIn`: the policy only adds tasks.
    pub disable_scale_in: bool,
}

/// An alarm's `ComparisonOperator`, as the planner's `alarm` writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `>=`, `GreaterThanOrEqualToThreshold`.
    Ge,
    /// `>`, `GreaterThanThreshold`.
    Gt,
    /// `<`, `LessThanThreshold`.
    Lt,
    /// `<=`, `LessThanOrEqualToThreshold`.
    Le,
}

impl Comparison {
    /// The comparison written as a symbol or as CloudWatch's name; `None` for anything else.
    pub fn parse(s: &str) -> Option<Comparison> {
        Some(match s {
            ">=" | "GreaterThanOrEqualToThreshold" => Comparison::Ge,
            ">" | "GreaterThanThreshold" => Comparison::Gt,
            "<" | "LessThanThreshold" => Comparison::Lt,
            "<=" | "LessThanOrEqualToThreshold" => Comparison::Le,
            _ => return None,
        })
    }

    /// The comparison as a symbol (`>=`), for messages.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Ge => ">=",
            Comparison::Gt => ">",
            Comparison::Lt => "<",
            Comparison::Le => "<=",
        }
    }

    /// Whether the alarm fires above its threshold (a scale-out alarm): at the threshold
    /// itself, the step bounds are then read as "above the breach threshold".
    pub fn upward(self) -> bool {
        matches!(self, Comparison::Ge | Comparison::Gt)
    }

    /// Whether the value `v` is in alarm against `threshold`.
    pub fn breaches(self, v: f64, threshold: f64) -> bool {
        match self {
            Comparison::Ge => v >= threshold,
            Comparison::Gt => v > threshold,
            Comparison::Lt => v < threshold,
            Comparison::Le => v <= threshold,
        }
    }
}

json_enum! {
/// How the alarm combines the minute datapoints of a period (its statistic), and how
/// Application Auto Scaling combines the alarm's datapoints (`MetricAggregationType`).
pub enum Statistic {
    /// The mean.
    Average = "Average",
    /// The lowest value.
    Minimum = "Minimum",
    /// The highest value.
    Maximum = "Maximum",
}
}

/// The alarm of a step scaling policy, with the planner's defaults applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Alarm {
    /// The metric the alarm watches.
    pub metric: Metric,
    /// How the value is compared with `threshold`.
    pub comparison: Comparison,
    /// The value that breaches, in the metric's unit.
    pub threshold: f64,
    /// `evaluationPeriods` (default 1): periods the alarm looks back over.
    pub evaluation_periods: u32,
    /// `datapointsToAlarm` (default `evaluationPeriods`): breaching periods of those that set
    /// it to ALARM.
    pub datapoints_to_alarm: u32,
    /// `periodSeconds` (default 60), in whole minutes.
    pub period: u32,
    /// `statistic` (default Average): how a period's minute datapoints combine.
    pub statistic: Statistic,
}

/// A step adjustment's range (offsets from the threshold) and change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// `MetricIntervalLowerBound`: offset from the threshold, inclusive (`None`: no lower bound).
    pub lower: Option<f64>,
    /// `MetricIntervalUpperBound`: offset from the threshold, exclusive (`None`: no upper bound).
    pub upper: Option<f64>,
    /// `ScalingAdjustment`, read by `adjustment_type`.
    pub adjustment: i64,
}

/// A step scaling policy as a simulation runs it.
#[derive(Debug, Clone, PartialEq)]
pub struct StepScaling {
    /// The alarm that runs the policy.
    pub alarm: Alarm,
    /// `AdjustmentType`: how `adjustment` changes the desired count.
    pub adjustment_type: AdjustmentType,
    /// The step adjustments, checked for gaps and overlaps.
    pub steps: Vec<Step>,
    /// `MinAdjustmentMagnitude`: the least change of a `PercentChangeInCapacity` step, in tasks.
    pub min_magnitude: Option<i64>,
    /// `Cooldown`, seconds (default 300): no further step scaling until it ends.
    pub cooldown: u32,
    /// `MetricAggregationType` (default Average): applied to the period datapoints of the
    /// alarm's evaluation window to give the value the steps are matched against.
    pub aggregation: Statistic,
}

/// What kind of scaling policy, with its configuration.
#[derive(Debug, Clone, PartialEq)]
pub enum PolicyKind {
    /// Target tracking.
    Target(TargetTracking),
    /// Step scaling.
    Step(StepScaling),
}

/// A scaling policy as a simulation runs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// `PolicyName`.
    pub name: String,
    /// What it does.
    pub kind: PolicyKind,
}

impl PolicyKind {
    /// The metric the policy watches.
    pub fn metric(&self) -> Metric {
        match self {
            PolicyKind::Target(t) => t.metric,
            PolicyKind::Step(s) => s.alarm.metric,
        }
    }
}

/// Why a simulation cannot run a policy (it is then left out of simulations).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum NotSimulated {
    /// `PolicyType` `PredictiveScaling`: nothing to forecast from.
    #[error("policy {0}: predictive scaling forecasts from 14 days of history, which a simulation does not have; it is left out")]
    Predictive(String),
    /// Its `PolicyType` needs a configuration it lacks.
    #[error("policy {name}: PolicyType {kind} needs its {kind}PolicyConfiguration")]
    NoConfiguration {
        /// `PolicyName`.
        name: String,
        /// `PolicyType`.
        kind: String,
    },
    /// Neither configuration given.
    #[error("policy {0} has neither TargetTrackingScalingPolicyConfiguration nor StepScalingPolicyConfiguration")]
    NoPolicyConfiguration(String),
    /// Target tracking without `TargetValue`.
    #[error("policy {0}: TargetValue is missing")]
    NoTargetValue(String),
    /// A `TargetValue` at or below 0.
    #[error("policy {name}: a TargetValue of {target} can never be tracked (the metric would have to be at or below 0)")]
    TargetNotPositive {
        /// `PolicyName`.
        name: String,
        /// The `TargetValue`.
        target: f64,
    },
    /// A predefined metric of another service than ECS.
    #[error("policy {name}: {metric} is not a metric of an ECS service; use ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization or ALBRequestCountPerTarget")]
    NotAnEcsMetric {
        /// `PolicyName`.
        name: String,
        /// The metric as written.
        metric: String,
    },
    /// Target tracking without a metric.
    #[error("policy {0}: target tracking needs PredefinedMetricSpecification or CustomizedMetricSpecification")]
    NoMetricSpecification(String),
    /// Metric math other than the SQS backlog per task.
    #[error("policy {name}: the simulator cannot compute this metric math ({metrics}); it knows the SQS backlog per task (ApproximateNumberOfMessagesVisible divided by the running task count). The policy is left out of simulations")]
    MetricMath {
        /// `PolicyName`.
        name: String,
        /// The metric data queries, in words.
        metrics: String,
    },
    /// A customized metric the simulator cannot produce.
    #[error("policy {name}: the simulator cannot produce the customized metric {namespace} {metric}; it knows AWS/ECS CPUUtilization and MemoryUtilization, AWS/ApplicationELB RequestCountPerTarget, AWS/SQS ApproximateNumberOfMessagesVisible and BacklogPerTask. The policy is left out of simulations")]
    CustomizedMetric {
        /// `PolicyName`.
        name: String,
        /// CloudWatch namespace.
        namespace: String,
        /// The `PredefinedMetricType`.
        metric: String,
    },
    /// Step scaling without the planner's `alarm`.
    #[error("policy {0}: a step scaling policy runs when its CloudWatch alarm fires; add the planner's \"alarm\" (metric, comparison, threshold) to simulate it")]
    NoAlarm(String),
    /// The `alarm` names no metric the simulator knows.
    #[error("policy {0}: the alarm needs a metric the simulator knows: CPUUtilization, MemoryUtilization, RequestCountPerTarget, ApproximateNumberOfMessagesVisible or BacklogPerTask")]
    NoAlarmMetric(String),
    /// The `alarm` has no comparison.
    #[error("policy {0}: the alarm needs a comparison (>=, >, <, <=)")]
    NoComparison(String),
    /// The `alarm` has no threshold.
    #[error("policy {0}: the alarm needs a threshold")]
    NoThreshold(String),
    /// Step scaling without `AdjustmentType`.
    #[error("policy {0}: AdjustmentType is required for step scaling")]
    NoAdjustmentType(String),
    /// Step scaling without `StepAdjustments`.
    #[error("policy {0}: step scaling needs at least one StepAdjustment")]
    NoSteps(String),
    /// The step adjustments break a rule of `StepAdjustment`.
    #[error("policy {name}: {error}")]
    Steps {
        /// `PolicyName`.
        name: String,
        /// Which rule.
        error: StepsError,
    },
}

/// What is wrong with a list of step adjustments (the rules of `StepAdjustment` in the API
/// reference).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum StepsError {
    /// Two steps without a lower bound.
    #[error("at most one step adjustment may have no MetricIntervalLowerBound")]
    TwoWithoutLower,
    /// Two steps without an upper bound.
    #[error("at most one step adjustment may have no MetricIntervalUpperBound")]
    TwoWithoutUpper,
    /// A step whose upper bound is not above its lower bound.
    #[error("MetricIntervalUpperBound {upper} must be above MetricIntervalLowerBound {lower}")]
    UpperNotAbove {
        /// `MetricIntervalLowerBound`.
        lower: f64,
        /// `MetricIntervalUpperBound`.
        upper: f64,
    },
    /// Steps below the threshold without one open downwards.
    #[error("a negative MetricIntervalLowerBound needs a step adjustment with no lower bound")]
    NegativeWithoutOpenLower,
    /// Steps above the threshold without one open upwards.
    #[error("a positive MetricIntervalUpperBound needs a step adjustment with no upper bound")]
    PositiveWithoutOpenUpper,
    /// Two steps cover the same offset.
    #[error("step adjustment ranges overlap at {0}")]
    Overlap(f64),
    /// No step covers the offsets between two steps.
    #[error("step adjustment ranges leave a gap between {0} and {1}")]
    Gap(f64, f64),
}

fn cooldown(v: Option<i64>) -> u32 {
    v.map_or(DEFAULT_COOLDOWN, |x| x.clamp(0, u32::MAX as i64) as u32)
}

impl ScalingPolicy {
    /// `PolicyName`, or `?` (for messages).
    pub fn name(&self) -> &str {
        self.policy_name.as_deref().unwrap_or("?")
    }

    /// The policy as a simulation runs it, or why it cannot.
    pub fn read(&self) -> Result<Policy, NotSimulated> {
        let name = self.name().to_string();
        let tt = self.target_tracking_scaling_policy_configuration.as_ref();
        let step = self.step_scaling_policy_configuration.as_ref();
        let kind = match (self.policy_type, tt, step) {
            (Some(PolicyType::PredictiveScaling), _, _) => {
                return Err(NotSimulated::Predictive(name))
            }
            (Some(PolicyType::TargetTrackingScaling) | None, Some(c), _) => {
                PolicyKind::Target(target_tracking(&name, c)?)
            }
            (Some(PolicyType::StepScaling) | None, _, Some(c)) => {
                PolicyKind::Step(step_scaling(&name, self.alarm.as_ref(), c)?)
            }
            (Some(t), _, _) => {
                let kind = match t {
                    PolicyType::TargetTrackingScaling => "TargetTrackingScaling",
                    _ => "StepScaling",
                };
                return Err(NotSimulated::NoConfiguration {
                    name,
                    kind: kind.into(),
                });
            }
            (None, None, None) => return Err(NotSimulated::NoPolicyConfiguration(name)),
        };
        Ok(Policy { name, kind })
    }
}

fn target_tracking(
    name: &str,
    c: &TargetTrackingConfiguration,
) -> Result<TargetTracking, NotSimulated> {
    let target = c
        .target_value
        .as_ref()
        .map(Number::get)
        .ok_or_else(|| NotSimulated::NoTargetValue(name.into()))?;
    if target <= 0.0 {
        return Err(NotSimulated::TargetNotPositive {
            name: name.into(),
            target,
        });
    }
    let (metric, metric_name) = if let Some(p) = &c.predefined_metric_specification {
        let t = p.predefined_metric_type.as_deref().unwrap_or("");
        let m = match t {
            "ECSServiceAverageCPUUtilization" | "ECSServiceAverageCPUUtilizationHighResolution" => {
                Metric::Cpu
            }
            "ECSServiceAverageMemoryUtilization"
            | "ECSServiceAverageMemoryUtilizationHighResolution" => Metric::Memory,
            "ALBRequestCountPerTarget" => Metric::RequestsPerTarget,
            other => {
                return Err(NotSimulated::NotAnEcsMetric {
                    name: name.into(),
                    metric: other.into(),
                })
            }
        };
        (m, t.to_string())
    } else if let Some(cm) = &c.customized_metric_specification {
        customized(name, cm)?
    } else {
        return Err(NotSimulated::NoMetricSpecification(name.into()));
    };
    Ok(TargetTracking {
        metric,
        metric_name,
        target,
        scale_out_cooldown: cooldown(c.scale_out_cooldown),
        scale_in_cooldown: cooldown(c.scale_in_cooldown),
        disable_scale_in: c.disable_scale_in.unwrap_or(false),
    })
}

/// The customized metrics the simulator knows: the ECS service's own CPU and memory, the ALB's
/// requests per target, an SQS queue's visible messages, and backlog per task (a custom metric
/// named `BacklogPerTask`, or AWS's metric math dividing the queue's messages by the running
/// task count).
fn customized(
    name: &str,
    cm: &CustomizedMetricSpecification,
) -> Result<(Metric, String), NotSimulated> {
    if let Some(queries) = &cm.metrics {
        let stat_names: Vec<&str> = queries
            .iter()
            .filter_map(|q| q.metric_stat.as_ref()?.metric.as_ref())
            .map(|m| m.metric_name.as_deref().unwrap_or(""))
            .collect();
        let divides = queries
            .iter()
            .any(|q| q.expression.as_deref().is_some_and(|e| e.contains('/')));
        if divides && stat_names.contains(&"ApproximateNumberOfMessagesVisible") {
            return Ok((
                Metric::BacklogPerTask,
                "backlog per task (metric math)".into(),
            ));
        }
        return Err(NotSimulated::MetricMath {
            name: name.into(),
            metrics: if stat_names.is_empty() {
                "no metrics".to_string()
            } else {
                stat_names.join(", ")
            },
        });
    }
    let ns = cm.namespace.as_deref().unwrap_or("");
    let mn = cm.metric_name.as_deref().unwrap_or("");
    let m = match (ns, mn) {
        ("AWS/ECS", "CPUUtilization") => Metric::Cpu,
        ("AWS/ECS", "MemoryUtilization") => Metric::Memory,
        ("AWS/ApplicationELB", "RequestCountPerTarget") => Metric::RequestsPerTarget,
        ("AWS/SQS", "ApproximateNumberOfMessagesVisible") => Metric::Backlog,
        (_, "BacklogPerTask") => Metric::BacklogPerTask,
        _ => {
            return Err(NotSimulated::CustomizedMetric {
                name: name.into(),
                namespace: ns.into(),
                metric: mn.into(),
            })
        }
    };
    Ok((m, format!("{ns} {mn}")))
}

fn step_scaling(
    name: &str,
    alarm: Option<&StepAlarm>,
    c: &StepScalingConfiguration,
) -> Result<StepScaling, NotSimulated> {
    let a = alarm.ok_or_else(|| NotSimulated::NoAlarm(name.into()))?;
    let alarm = read_alarm(name, a)?;
    let adjustment_type = c
        .adjustment_type
        .ok_or_else(|| NotSimulated::NoAdjustmentType(name.into()))?;
    let steps = steps_of(c);
    if steps.is_empty() {
        return Err(NotSimulated::NoSteps(name.into()));
    }
    if let Err(error) = check_steps(&steps) {
        return Err(NotSimulated::Steps {
            name: name.into(),
            error,
        });
    }
    Ok(StepScaling {
        alarm,
        adjustment_type,
        steps,
        min_magnitude: c.min_adjustment_magnitude,
        cooldown: cooldown(c.cooldown),
        aggregation: c.metric_aggregation_type.unwrap_or(Statistic::Average),
    })
}

impl StepAlarm {
    /// The alarm with the planner's defaults applied (one 60-second period, all its
    /// datapoints to alarm, Average), or `None` without its metric, comparison or threshold.
    pub fn read(&self) -> Option<Alarm> {
        read_alarm("", self).ok()
    }
}

/// `a` with the planner's defaults applied; `name` names the policy in the error.
fn read_alarm(name: &str, a: &StepAlarm) -> Result<Alarm, NotSimulated> {
    let metric = a
        .metric
        .ok_or_else(|| NotSimulated::NoAlarmMetric(name.into()))?;
    let comparison = a
        .comparison
        .as_deref()
        .and_then(Comparison::parse)
        .ok_or_else(|| NotSimulated::NoComparison(name.into()))?;
    let threshold = a
        .threshold
        .as_ref()
        .map(Number::get)
        .ok_or_else(|| NotSimulated::NoThreshold(name.into()))?;
    let int = |v: Option<i64>, d: u32| {
        v.and_then(|x| u64::try_from(x).ok())
            .map_or(d, |x| x.min(u32::MAX as u64) as u32)
    };
    let evaluation_periods = int(a.evaluation_periods, 1).max(1);
    let datapoints_to_alarm =
        int(a.datapoints_to_alarm, evaluation_periods).clamp(1, evaluation_periods);
    let period = (int(a.period_seconds, 60) / 60).max(1) * 60;
    let statistic = a.statistic.unwrap_or(Statistic::Average);
    Ok(Alarm {
        metric,
        comparison,
        threshold,
        evaluation_periods,
        datapoints_to_alarm,
        period,
        statistic,
    })
}

/// The step adjustments of a configuration (a missing `ScalingAdjustment` is 0).
pub fn steps_of(c: &StepScalingConfiguration) -> Vec<Step> {
    c.step_adjustments
        .iter()
        .flatten()
        .map(|s| Step {
            lower: s.metric_interval_lower_bound,
            upper: s.metric_interval_upper_bound,
            adjustment: s.scaling_adjustment.unwrap_or(0),
        })
        .collect()
}

/// The rules of `StepAdjustment` (API reference): ranges neither overlap nor leave gaps, at
/// most one null lower and one null upper bound, a negative lower bound needs a step with a null
/// lower bound, a positive upper bound one with a null upper bound, upper above lower.
pub fn check_steps(steps: &[Step]) -> Result<(), StepsError> {
    let nulls_lo = steps.iter().filter(|s| s.lower.is_none()).count();
    let nulls_hi = steps.iter().filter(|s| s.upper.is_none()).count();
    if nulls_lo > 1 {
        return Err(StepsError::TwoWithoutLower);
    }
    if nulls_hi > 1 {
        return Err(StepsError::TwoWithoutUpper);
    }
    for s in steps {
        if let (Some(lower), Some(upper)) = (s.lower, s.upper) {
            if upper <= lower {
                return Err(StepsError::UpperNotAbove { lower, upper });
            }
        }
    }
    if steps.iter().any(|s| s.lower.is_some_and(|l| l < 0.0)) && nulls_lo == 0 {
        return Err(StepsError::NegativeWithoutOpenLower);
    }
    if steps.iter().any(|s| s.upper.is_some_and(|u| u > 0.0)) && nulls_hi == 0 {
        return Err(StepsError::PositiveWithoutOpenUpper);
    }
    let mut sorted: Vec<&Step> = steps.iter().collect();
    sort_by(&mut sorted, |a, b| {
        a.lower
            .unwrap_or(f64::NEG_INFINITY)
            .total_cmp(&b.lower.unwrap_or(f64::NEG_INFINITY))
    });
    for w in sorted.windows(2) {
        let hi = w[0].upper.unwrap_or(f64::INFINITY);
        let lo = w[1].lower.unwrap_or(f64::NEG_INFINITY);
        if hi > lo {
            return Err(StepsError::Overlap(lo));
        }
        if hi < lo {
            return Err(StepsError::Gap(hi, lo));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// What a scheduled action means

/// A scheduled action as a simulation runs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// `ScheduledActionName`.
    pub name: String,
    /// The schedule as written (for messages).
    pub expression: String,
    /// When it runs.
    pub schedule: Schedule,
    /// `Timezone` (default UTC) the schedule is read in.
    pub zone: Zone,
    /// `StartTime`: it does not run before.
    pub start: Option<Instant>,
    /// `EndTime`: it does not run after.
    pub end: Option<Instant>,
    /// `ScalableTargetAction.MinCapacity` it sets.
    pub min: Option<u32>,
    /// `ScalableTargetAction.MaxCapacity` it sets.
    pub max: Option<u32>,
}

/// Why a simulation cannot run a scheduled action.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ActionError {
    /// No `Schedule`.
    #[error("scheduled action {0} has no Schedule")]
    NoSchedule(String),
    /// The `Schedule` cannot be read.
    #[error("scheduled action {name}: {message}")]
    Schedule {
        /// `ScheduledActionName`.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// The `Timezone` is not an IANA zone the planner knows.
    #[error("scheduled action {name}: {message}")]
    Zone {
        /// `ScheduledActionName`.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// `StartTime` or `EndTime` cannot be read.
    #[error("scheduled action {name}: {member}: {message}")]
    Time {
        /// `ScheduledActionName`.
        name: String,
        /// `StartTime` or `EndTime`.
        member: &'static str,
        /// What is wrong.
        message: String,
    },
}

impl ScheduledAction {
    /// `ScheduledActionName`, or `?` (for messages).
    pub fn name(&self) -> &str {
        self.scheduled_action_name.as_deref().unwrap_or("?")
    }

    /// `Schedule`, parsed (`None` when there is none).
    pub fn parsed_schedule(&self) -> Option<Result<Schedule, String>> {
        self.schedule.as_deref().map(schedule::parse_schedule)
    }

    /// `Timezone` (default UTC).
    pub fn zone(&self) -> Result<Zone, String> {
        Zone::named(self.timezone.as_deref().unwrap_or("UTC"))
    }

    /// `StartTime` and `EndTime` with their member names.
    pub fn times(&self) -> [(&'static str, Option<&Timestamp>); 2] {
        [
            ("StartTime", self.start_time.as_ref()),
            ("EndTime", self.end_time.as_ref()),
        ]
    }

    /// The action as a simulation runs it, or the first reason it cannot.
    pub fn read(&self) -> Result<Action, ActionError> {
        let name = self.name().to_string();
        let expression = self
            .schedule
            .clone()
            .ok_or_else(|| ActionError::NoSchedule(name.clone()))?;
        let schedule =
            schedule::parse_schedule(&expression).map_err(|message| ActionError::Schedule {
                name: name.clone(),
                message,
            })?;
        let zone = self.zone().map_err(|message| ActionError::Zone {
            name: name.clone(),
            message,
        })?;
        let mut times = [None, None];
        for (i, (member, t)) in self.times().into_iter().enumerate() {
            times[i] =
                t.map(Timestamp::instant)
                    .transpose()
                    .map_err(|message| ActionError::Time {
                        name: name.clone(),
                        member,
                        message,
                    })?;
        }
        let target = self.scalable_target_action.as_ref();
        Ok(Action {
            name,
            expression,
            schedule,
            zone,
            start: times[0],
            end: times[1],
            min: capacity(target.and_then(|t| t.min_capacity)),
            max: capacity(target.and_then(|t| t.max_capacity)),
        })
    }
}
