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
use thiserror::Error;

json_struct! {
/// `autoScaling` of a service.
pub struct ServiceAutoScaling {
    pub min_capacity: i64 = "minCapacity",
    pub max_capacity: i64 = "maxCapacity",
    pub policies: Vec<ScalingPolicy> = "policies",
    pub scheduled_actions: Vec<ScheduledAction> = "scheduledActions",
    pub suspended_state: SuspendedState = "suspendedState",
}
}

json_struct! {
/// `SuspendedState` of the scalable target.
pub struct SuspendedState {
    pub dynamic_scaling_in_suspended: bool = "DynamicScalingInSuspended",
    pub dynamic_scaling_out_suspended: bool = "DynamicScalingOutSuspended",
    pub scheduled_scaling_suspended: bool = "ScheduledScalingSuspended",
}
}

json_struct! {
/// A PutScalingPolicy request, with the planner's `alarm` for step scaling.
pub struct ScalingPolicy {
    pub policy_name: String = "PolicyName",
    pub policy_type: PolicyType = "PolicyType",
    pub target_tracking_scaling_policy_configuration: TargetTrackingConfiguration = "TargetTrackingScalingPolicyConfiguration",
    pub step_scaling_policy_configuration: StepScalingConfiguration = "StepScalingPolicyConfiguration",
    /// The CloudWatch alarm that runs a step scaling policy (a planner extension, dropped on
    /// export: in AWS the alarm is the user's own).
    pub alarm: StepAlarm = "alarm",
}
}

json_enum! {
pub enum PolicyType {
    TargetTrackingScaling = "TargetTrackingScaling",
    StepScaling = "StepScaling",
    PredictiveScaling = "PredictiveScaling",
}
}

json_struct! {
/// `TargetTrackingScalingPolicyConfiguration`.
pub struct TargetTrackingConfiguration {
    pub target_value: Number = "TargetValue",
    pub predefined_metric_specification: PredefinedMetricSpecification = "PredefinedMetricSpecification",
    pub customized_metric_specification: CustomizedMetricSpecification = "CustomizedMetricSpecification",
    pub scale_out_cooldown: i64 = "ScaleOutCooldown",
    pub scale_in_cooldown: i64 = "ScaleInCooldown",
    pub disable_scale_in: bool = "DisableScaleIn",
}
}

json_struct! {
/// `PredefinedMetricSpecification`.
pub struct PredefinedMetricSpecification {
    pub predefined_metric_type: String = "PredefinedMetricType",
    /// ALBRequestCountPerTarget: `app/LB/ID/targetgroup/TG/ID`.
    pub resource_label: String = "ResourceLabel",
}
}

json_struct! {
/// `CustomizedMetricSpecification`: one CloudWatch metric, or metric math (`Metrics`).
pub struct CustomizedMetricSpecification {
    pub metric_name: String = "MetricName",
    pub namespace: String = "Namespace",
    pub metrics: Vec<MetricDataQuery> = "Metrics",
}
}

json_struct! {
/// One of `Metrics` (`TargetTrackingMetricDataQuery`).
pub struct MetricDataQuery {
    pub expression: String = "Expression",
    pub metric_stat: MetricStat = "MetricStat",
}
}

json_struct! {
/// `MetricStat` of a metric data query.
pub struct MetricStat {
    pub metric: CloudWatchMetric = "Metric",
}
}

json_struct! {
/// A CloudWatch metric's name and namespace (dimensions stay in `extra`).
pub struct CloudWatchMetric {
    pub metric_name: String = "MetricName",
    pub namespace: String = "Namespace",
}
}

json_struct! {
/// `StepScalingPolicyConfiguration`.
pub struct StepScalingConfiguration {
    pub adjustment_type: AdjustmentType = "AdjustmentType",
    pub step_adjustments: Vec<StepAdjustment> = "StepAdjustments",
    pub min_adjustment_magnitude: i64 = "MinAdjustmentMagnitude",
    pub cooldown: i64 = "Cooldown",
    /// How Application Auto Scaling combines the alarm's most recent datapoints before
    /// choosing a step (Average when absent).
    pub metric_aggregation_type: Statistic = "MetricAggregationType",
}
}

json_enum! {
#[allow(clippy::enum_variant_names)] // AWS's own AdjustmentType values
pub enum AdjustmentType {
    ChangeInCapacity = "ChangeInCapacity",
    PercentChangeInCapacity = "PercentChangeInCapacity",
    ExactCapacity = "ExactCapacity",
}
}

json_struct! {
/// One `StepAdjustment`: bounds are offsets from the alarm's threshold.
pub struct StepAdjustment {
    pub metric_interval_lower_bound: f64 = "MetricIntervalLowerBound",
    pub metric_interval_upper_bound: f64 = "MetricIntervalUpperBound",
    pub scaling_adjustment: i64 = "ScalingAdjustment",
}
}

json_struct! {
/// The planner's stand-in for the CloudWatch alarm of a step scaling policy (`alarm`).
pub struct StepAlarm {
    pub metric: Metric = "metric",
    /// `>=`, `>`, `<`, `<=` or CloudWatch's names for them.
    pub comparison: String = "comparison",
    pub threshold: Number = "threshold",
    pub evaluation_periods: i64 = "evaluationPeriods",
    pub datapoints_to_alarm: i64 = "datapointsToAlarm",
    pub period_seconds: i64 = "periodSeconds",
    pub statistic: Statistic = "statistic",
}
}

json_struct! {
/// A PutScheduledAction request.
pub struct ScheduledAction {
    pub scheduled_action_name: String = "ScheduledActionName",
    /// `at(...)`, `rate(...)` or `cron(...)`.
    pub schedule: String = "Schedule",
    /// An IANA time zone name (default UTC).
    pub timezone: String = "Timezone",
    pub start_time: Timestamp = "StartTime",
    pub end_time: Timestamp = "EndTime",
    pub scalable_target_action: ScalableTargetAction = "ScalableTargetAction",
}
}

json_struct! {
/// `ScalableTargetAction`: the range a scheduled action sets.
pub struct ScalableTargetAction {
    pub min_capacity: i64 = "MinCapacity",
    pub max_capacity: i64 = "MaxCapacity",
}
}

impl ServiceAutoScaling {
    pub fn policies(&self) -> &[ScalingPolicy] {
        self.policies.as_deref().unwrap_or_default()
    }

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
    Cpu = "CPUUtilization",
    Memory = "MemoryUtilization",
    RequestsPerTarget = "RequestCountPerTarget",
    /// SQS `ApproximateNumberOfMessagesVisible`.
    Backlog = "ApproximateNumberOfMessagesVisible",
    /// Backlog divided by the running tasks (the metric-math `m1 / m2` of AWS's SQS example).
    BacklogPerTask = "BacklogPerTask",
}
}

impl Metric {
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
    pub metric: Metric,
    /// How the plan names the metric (for messages).
    pub metric_name: String,
    pub target: f64,
    pub scale_out_cooldown: u32,
    pub scale_in_cooldown: u32,
    pub disable_scale_in: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Ge,
    Gt,
    Lt,
    Le,
}

impl Comparison {
    pub fn parse(s: &str) -> Option<Comparison> {
        Some(match s {
            ">=" | "GreaterThanOrEqualToThreshold" => Comparison::Ge,
            ">" | "GreaterThanThreshold" => Comparison::Gt,
            "<" | "LessThanThreshold" => Comparison::Lt,
            "<=" | "LessThanOrEqualToThreshold" => Comparison::Le,
            _ => return None,
        })
    }

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
    Average = "Average",
    Minimum = "Minimum",
    Maximum = "Maximum",
}
}

/// The alarm of a step scaling policy, with the planner's defaults applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Alarm {
    pub metric: Metric,
    pub comparison: Comparison,
    pub threshold: f64,
    pub evaluation_periods: u32,
    pub datapoints_to_alarm: u32,
    pub period: u32,
    pub statistic: Statistic,
}

/// A step adjustment's range (offsets from the threshold) and change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub adjustment: i64,
}

/// A step scaling policy as a simulation runs it.
#[derive(Debug, Clone, PartialEq)]
pub struct StepScaling {
    pub alarm: Alarm,
    pub adjustment_type: AdjustmentType,
    pub steps: Vec<Step>,
    pub min_magnitude: Option<i64>,
    pub cooldown: u32,
    /// `MetricAggregationType` (default Average): applied to the period datapoints of the
    /// alarm's evaluation window to give the value the steps are matched against.
    pub aggregation: Statistic,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PolicyKind {
    Target(TargetTracking),
    Step(StepScaling),
}

/// A scaling policy as a simulation runs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub name: String,
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
    #[error("policy {0}: predictive scaling forecasts from 14 days of history, which a simulation does not have; it is left out")]
    Predictive(String),
    #[error("policy {name}: PolicyType {kind} needs its {kind}PolicyConfiguration")]
    NoConfiguration { name: String, kind: String },
    #[error("policy {0} has neither TargetTrackingScalingPolicyConfiguration nor StepScalingPolicyConfiguration")]
    NoPolicyConfiguration(String),
    #[error("policy {0}: TargetValue is missing")]
    NoTargetValue(String),
    #[error("policy {name}: a TargetValue of {target} can never be tracked (the metric would have to be at or below 0)")]
    TargetNotPositive { name: String, target: f64 },
    #[error("policy {name}: {metric} is not a metric of an ECS service; use ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization or ALBRequestCountPerTarget")]
    NotAnEcsMetric { name: String, metric: String },
    #[error("policy {0}: target tracking needs PredefinedMetricSpecification or CustomizedMetricSpecification")]
    NoMetricSpecification(String),
    #[error("policy {name}: the simulator cannot compute this metric math ({metrics}); it knows the SQS backlog per task (ApproximateNumberOfMessagesVisible divided by the running task count). The policy is left out of simulations")]
    MetricMath { name: String, metrics: String },
    #[error("policy {name}: the simulator cannot produce the customized metric {namespace} {metric}; it knows AWS/ECS CPUUtilization and MemoryUtilization, AWS/ApplicationELB RequestCountPerTarget, AWS/SQS ApproximateNumberOfMessagesVisible and BacklogPerTask. The policy is left out of simulations")]
    CustomizedMetric {
        name: String,
        namespace: String,
        metric: String,
    },
    #[error("policy {0}: a step scaling policy runs when its CloudWatch alarm fires; add the planner's \"alarm\" (metric, comparison, threshold) to simulate it")]
    NoAlarm(String),
    #[error("policy {0}: alarm metric  is unknown")]
    NoAlarmMetric(String),
    #[error("policy {0}: the alarm needs a comparison (>=, >, <, <=)")]
    NoComparison(String),
    #[error("policy {0}: the alarm needs a threshold")]
    NoThreshold(String),
    #[error("policy {0}: AdjustmentType is required for step scaling")]
    NoAdjustmentType(String),
    #[error("policy {0}: step scaling needs at least one StepAdjustment")]
    NoSteps(String),
    #[error("policy {name}: {error}")]
    Steps { name: String, error: StepsError },
}

/// What is wrong with a list of step adjustments (the rules of `StepAdjustment` in the API
/// reference).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum StepsError {
    #[error("at most one step adjustment may have no MetricIntervalLowerBound")]
    TwoWithoutLower,
    #[error("at most one step adjustment may have no MetricIntervalUpperBound")]
    TwoWithoutUpper,
    #[error("MetricIntervalUpperBound {upper} must be above MetricIntervalLowerBound {lower}")]
    UpperNotAbove { lower: f64, upper: f64 },
    #[error("a negative MetricIntervalLowerBound needs a step adjustment with no lower bound")]
    NegativeWithoutOpenLower,
    #[error("a positive MetricIntervalUpperBound needs a step adjustment with no upper bound")]
    PositiveWithoutOpenUpper,
    #[error("step adjustment ranges overlap at {0}")]
    Overlap(f64),
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
    sorted.sort_by(|a, b| {
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
    pub name: String,
    /// The schedule as written (for messages).
    pub expression: String,
    pub schedule: Schedule,
    pub zone: Zone,
    pub start: Option<Instant>,
    pub end: Option<Instant>,
    pub min: Option<u32>,
    pub max: Option<u32>,
}

/// Why a simulation cannot run a scheduled action.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ActionError {
    #[error("scheduled action {0} has no Schedule")]
    NoSchedule(String),
    #[error("scheduled action {name}: {message}")]
    Schedule { name: String, message: String },
    #[error("scheduled action {name}: {message}")]
    Zone { name: String, message: String },
    #[error("scheduled action {name}: {member}: {message}")]
    Time {
        name: String,
        member: &'static str,
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
