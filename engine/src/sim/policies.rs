//! Application Auto Scaling policies for ECS services: target tracking and step scaling, as
//! pure decisions over the minute's metric datapoints (`service-autoscaling-targettracking.md`,
//! `service-autoscaling-stepscaling.md`, `service-auto-scaling.md`, `ecs-semantics.md` §4.1-4.2,
//! the AAS API model's `TargetTrackingScalingPolicyConfiguration`,
//! `StepScalingPolicyConfiguration` and `StepAdjustment`).
//!
//! # Target tracking
//! AAS creates two CloudWatch alarms per policy. AWS does not publish them in the API; the
//! planner uses what AWS's consoles and labs show [INFER]:
//! - high: the metric above the target for **3** consecutive 1-minute datapoints → scale out to
//!   `ceil(current × metric / target)` (rounded up when adding);
//! - low: the metric below **90 %** of the target for **15** consecutive datapoints → scale in to
//!   `ceil(current × metric / target)` (the number removed rounded down), at most once per
//!   scale-in cooldown.
//!
//! `current` is the service's running task count, not its desired count
//! (`service-auto-scaling.md`: "the actual running task count ... is the starting point"). A
//! minute without data (no task running, no workload) puts both alarms back to
//! INSUFFICIENT_DATA: no action. While an alarm stays in ALARM, the policy is invoked again each
//! minute. With no task running and data showing demand (a queue's backlog), the policy scales
//! out by the minimum amount, to 1.
//!
//! Cooldowns (default 300 s for ECS): during a scale-out cooldown a policy scales out again only
//! to more than the capacity its last scale-out set ("the capacity added ... is calculated as
//! part of the desired capacity for the next scale-out"); a scale-in cooldown blocks scale-in
//! and is ended by any scale-out.
//!
//! # Step scaling
//! The CloudWatch alarm that triggers a step policy is the user's own; the planner reads it from
//! the policy's `alarm` member (a planner extension, dropped on export): metric, comparison,
//! threshold, `evaluationPeriods`, `datapointsToAlarm` (default: all of them), `periodSeconds`
//! (a multiple of 60, default 60) and `statistic` (Average, Minimum or Maximum of the minute
//! datapoints in a period). The alarm is evaluated at the end of each period; while it is in
//! ALARM the policy runs once per period with the period's value. Step bounds are offsets from
//! the threshold: above it the lower bound is inclusive and the upper exclusive, below it the
//! reverse. `PercentChangeInCapacity` is rounded as AAS documents (above 1 down, between 0 and 1
//! to 1, between −1 and 0 to −1, below −1 up), then raised to `MinAdjustmentMagnitude`.

use serde_json::Value;
use std::collections::VecDeque;

/// The metrics the simulator produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Cpu,
    Memory,
    RequestsPerTarget,
    /// SQS `ApproximateNumberOfMessagesVisible`.
    Backlog,
    /// Backlog divided by the running tasks (the metric-math `m1 / m2` of AWS's SQS example).
    BacklogPerTask,
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

    pub fn from_alarm_name(s: &str) -> Option<Metric> {
        Some(match s {
            "CPUUtilization" => Metric::Cpu,
            "MemoryUtilization" => Metric::Memory,
            "RequestCountPerTarget" => Metric::RequestsPerTarget,
            "ApproximateNumberOfMessagesVisible" => Metric::Backlog,
            "BacklogPerTask" => Metric::BacklogPerTask,
            _ => return None,
        })
    }
}

/// One minute's datapoints of a service; `None` is missing data.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Datapoint {
    pub cpu: Option<f64>,
    pub memory: Option<f64>,
    pub requests_per_target: Option<f64>,
    pub backlog: Option<f64>,
    pub backlog_per_task: Option<f64>,
    /// The RUNNING tasks over the minute (time-weighted): the count the CPU and memory averages
    /// are taken over.
    pub tasks: f64,
    /// The healthy tasks (load balancer targets) over the minute: what requests per target
    /// divides by.
    pub targets: f64,
    /// The healthy tasks at the end of the minute: what backlog per task divides by.
    pub workers: f64,
}

impl Datapoint {
    /// The task count metric `m` was measured over: the `current` of target tracking's
    /// `ceil(current × metric / target)`, so that the capacity it computes brings the metric to
    /// the target [INFER: AAS counts from "the actual running task count"; per metric, the
    /// planner uses the tasks the metric is an average over].
    pub fn count_for(&self, m: Metric) -> f64 {
        match m {
            Metric::Cpu | Metric::Memory | Metric::Backlog => self.tasks,
            Metric::RequestsPerTarget => self.targets,
            Metric::BacklogPerTask => self.workers,
        }
    }

    pub fn get(&self, m: Metric) -> Option<f64> {
        match m {
            Metric::Cpu => self.cpu,
            Metric::Memory => self.memory,
            Metric::RequestsPerTarget => self.requests_per_target,
            Metric::Backlog => self.backlog,
            Metric::BacklogPerTask => self.backlog_per_task,
        }
    }
}

/// Datapoints above the target that trigger a scale-out [INFER].
pub const HIGH_DATAPOINTS: u32 = 3;
/// Datapoints below the low threshold that trigger a scale-in [INFER].
pub const LOW_DATAPOINTS: u32 = 15;
/// The low alarm's threshold as a share of the target [INFER].
pub const LOW_RATIO: f64 = 0.9;
/// ECS's default cooldowns (`ecs-semantics.md` §4.1, AAS `Cooldown`).
pub const DEFAULT_COOLDOWN: u32 = 300;

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

    fn symbol(self) -> &'static str {
        match self {
            Comparison::Ge => ">=",
            Comparison::Gt => ">",
            Comparison::Lt => "<",
            Comparison::Le => "<=",
        }
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statistic {
    Average,
    Minimum,
    Maximum,
}

/// The planner's stand-in for the CloudWatch alarm of a step scaling policy.
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)] // AWS's own AdjustmentType values
pub enum AdjustmentType {
    ChangeInCapacity,
    PercentChangeInCapacity,
    ExactCapacity,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub adjustment: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StepScaling {
    pub alarm: Alarm,
    pub adjustment_type: AdjustmentType,
    pub steps: Vec<Step>,
    pub min_magnitude: Option<i64>,
    pub cooldown: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PolicyKind {
    Target(TargetTracking),
    Step(StepScaling),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub name: String,
    pub kind: PolicyKind,
}

/// Reads a policy (a PutScalingPolicy request with the planner's `alarm`). `Err` says why the
/// simulator cannot run it; the policy is then left out of simulations.
pub fn parse_policy(v: &Value) -> Result<Policy, String> {
    let name = v
        .get("PolicyName")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_string();
    let tt = v.get("TargetTrackingScalingPolicyConfiguration");
    let step = v.get("StepScalingPolicyConfiguration");
    let ty = v.get("PolicyType").and_then(Value::as_str);
    let kind = match (ty, tt, step) {
        (Some("PredictiveScaling"), _, _) => {
            return Err(format!(
                "policy {name}: predictive scaling forecasts from 14 days of history, which a simulation does not have; it is left out"
            ))
        }
        (Some("TargetTrackingScaling") | None, Some(c), _) => {
            PolicyKind::Target(target_tracking(&name, c)?)
        }
        (Some("StepScaling") | None, _, Some(c)) => PolicyKind::Step(step_scaling(&name, v, c)?),
        (Some(t), _, _) => {
            return Err(format!(
                "policy {name}: PolicyType {t} needs its {t}PolicyConfiguration"
            ))
        }
        (None, None, None) => {
            return Err(format!(
                "policy {name} has neither TargetTrackingScalingPolicyConfiguration nor StepScalingPolicyConfiguration"
            ))
        }
    };
    Ok(Policy { name, kind })
}

fn cooldown(c: &Value, k: &str) -> u32 {
    c.get(k)
        .and_then(Value::as_i64)
        .map_or(DEFAULT_COOLDOWN, |x| x.clamp(0, u32::MAX as i64) as u32)
}

fn target_tracking(name: &str, c: &Value) -> Result<TargetTracking, String> {
    let target = c
        .get("TargetValue")
        .and_then(Value::as_f64)
        .ok_or_else(|| format!("policy {name}: TargetValue is missing"))?;
    if target <= 0.0 {
        return Err(format!(
            "policy {name}: a TargetValue of {target} can never be tracked (the metric would have to be at or below 0)"
        ));
    }
    let (metric, metric_name) = if let Some(p) = c.get("PredefinedMetricSpecification") {
        let t = p
            .get("PredefinedMetricType")
            .and_then(Value::as_str)
            .unwrap_or("");
        let m = match t {
            "ECSServiceAverageCPUUtilization" | "ECSServiceAverageCPUUtilizationHighResolution" => {
                Metric::Cpu
            }
            "ECSServiceAverageMemoryUtilization"
            | "ECSServiceAverageMemoryUtilizationHighResolution" => Metric::Memory,
            "ALBRequestCountPerTarget" => Metric::RequestsPerTarget,
            other => {
                return Err(format!(
                    "policy {name}: {other} is not a metric of an ECS service; use ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization or ALBRequestCountPerTarget"
                ))
            }
        };
        (m, t.to_string())
    } else if let Some(cm) = c.get("CustomizedMetricSpecification") {
        customized(name, cm)?
    } else {
        return Err(format!(
            "policy {name}: target tracking needs PredefinedMetricSpecification or CustomizedMetricSpecification"
        ));
    };
    Ok(TargetTracking {
        metric,
        metric_name,
        target,
        scale_out_cooldown: cooldown(c, "ScaleOutCooldown"),
        scale_in_cooldown: cooldown(c, "ScaleInCooldown"),
        disable_scale_in: c
            .get("DisableScaleIn")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    })
}

/// The customized metrics the simulator knows: the ECS service's own CPU and memory, the ALB's
/// requests per target, an SQS queue's visible messages, and backlog per task (a custom metric
/// named `BacklogPerTask`, or AWS's metric math dividing the queue's messages by the running
/// task count).
fn customized(name: &str, cm: &Value) -> Result<(Metric, String), String> {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    if let Some(queries) = cm.get("Metrics").and_then(Value::as_array) {
        let stat_names: Vec<String> = queries
            .iter()
            .filter_map(|q| q.get("MetricStat")?.get("Metric"))
            .map(|m| s(m, "MetricName"))
            .collect();
        let divides = queries.iter().any(|q| {
            q.get("Expression")
                .and_then(Value::as_str)
                .is_some_and(|e| e.contains('/'))
        });
        if divides
            && stat_names
                .iter()
                .any(|n| n == "ApproximateNumberOfMessagesVisible")
        {
            return Ok((
                Metric::BacklogPerTask,
                "backlog per task (metric math)".into(),
            ));
        }
        return Err(format!(
            "policy {name}: the simulator cannot compute this metric math ({}); it knows the SQS backlog per task (ApproximateNumberOfMessagesVisible divided by the running task count). The policy is left out of simulations",
            if stat_names.is_empty() { "no metrics".to_string() } else { stat_names.join(", ") }
        ));
    }
    let (ns, mn) = (s(cm, "Namespace"), s(cm, "MetricName"));
    let m = match (ns.as_str(), mn.as_str()) {
        ("AWS/ECS", "CPUUtilization") => Metric::Cpu,
        ("AWS/ECS", "MemoryUtilization") => Metric::Memory,
        ("AWS/ApplicationELB", "RequestCountPerTarget") => Metric::RequestsPerTarget,
        ("AWS/SQS", "ApproximateNumberOfMessagesVisible") => Metric::Backlog,
        (_, "BacklogPerTask") => Metric::BacklogPerTask,
        _ => {
            return Err(format!(
                "policy {name}: the simulator cannot produce the customized metric {ns} {mn}; it knows AWS/ECS CPUUtilization and MemoryUtilization, AWS/ApplicationELB RequestCountPerTarget, AWS/SQS ApproximateNumberOfMessagesVisible and BacklogPerTask. The policy is left out of simulations"
            ))
        }
    };
    Ok((m, format!("{ns} {mn}")))
}

fn step_scaling(name: &str, policy: &Value, c: &Value) -> Result<StepScaling, String> {
    let a = policy.get("alarm").ok_or_else(|| {
        format!(
            "policy {name}: a step scaling policy runs when its CloudWatch alarm fires; add the planner's \"alarm\" (metric, comparison, threshold) to simulate it"
        )
    })?;
    let metric_name = a.get("metric").and_then(Value::as_str).unwrap_or("");
    let metric = Metric::from_alarm_name(metric_name)
        .ok_or_else(|| format!("policy {name}: alarm metric {metric_name} is unknown"))?;
    let comparison = a
        .get("comparison")
        .and_then(Value::as_str)
        .and_then(Comparison::parse)
        .ok_or_else(|| format!("policy {name}: the alarm needs a comparison (>=, >, <, <=)"))?;
    let threshold = a
        .get("threshold")
        .and_then(Value::as_f64)
        .ok_or_else(|| format!("policy {name}: the alarm needs a threshold"))?;
    let int = |k: &str, d: u32| {
        a.get(k)
            .and_then(Value::as_u64)
            .map_or(d, |x| x.min(u32::MAX as u64) as u32)
    };
    let evaluation_periods = int("evaluationPeriods", 1).max(1);
    let datapoints_to_alarm =
        int("datapointsToAlarm", evaluation_periods).clamp(1, evaluation_periods);
    let period = (int("periodSeconds", 60) / 60).max(1) * 60;
    let statistic = match a.get("statistic").and_then(Value::as_str) {
        Some("Minimum") => Statistic::Minimum,
        Some("Maximum") => Statistic::Maximum,
        _ => Statistic::Average,
    };
    let adjustment_type = match c.get("AdjustmentType").and_then(Value::as_str) {
        Some("PercentChangeInCapacity") => AdjustmentType::PercentChangeInCapacity,
        Some("ExactCapacity") => AdjustmentType::ExactCapacity,
        Some("ChangeInCapacity") => AdjustmentType::ChangeInCapacity,
        _ => {
            return Err(format!(
                "policy {name}: AdjustmentType is required for step scaling"
            ))
        }
    };
    let steps: Vec<Step> = c
        .get("StepAdjustments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|s| Step {
            lower: s.get("MetricIntervalLowerBound").and_then(Value::as_f64),
            upper: s.get("MetricIntervalUpperBound").and_then(Value::as_f64),
            adjustment: s
                .get("ScalingAdjustment")
                .and_then(Value::as_i64)
                .unwrap_or(0),
        })
        .collect();
    if steps.is_empty() {
        return Err(format!(
            "policy {name}: step scaling needs at least one StepAdjustment"
        ));
    }
    if let Err(e) = check_steps(&steps) {
        return Err(format!("policy {name}: {e}"));
    }
    Ok(StepScaling {
        alarm: Alarm {
            metric,
            comparison,
            threshold,
            evaluation_periods,
            datapoints_to_alarm,
            period,
            statistic,
        },
        adjustment_type,
        steps,
        min_magnitude: c.get("MinAdjustmentMagnitude").and_then(Value::as_i64),
        cooldown: cooldown(c, "Cooldown"),
    })
}

/// The rules of `StepAdjustment` (API reference): ranges neither overlap nor leave gaps, at
/// most one null lower and one null upper bound, a negative lower bound needs a step with a null
/// lower bound, a positive upper bound one with a null upper bound, upper above lower.
pub fn check_steps(steps: &[Step]) -> Result<(), String> {
    let nulls_lo = steps.iter().filter(|s| s.lower.is_none()).count();
    let nulls_hi = steps.iter().filter(|s| s.upper.is_none()).count();
    if nulls_lo > 1 {
        return Err("at most one step adjustment may have no MetricIntervalLowerBound".into());
    }
    if nulls_hi > 1 {
        return Err("at most one step adjustment may have no MetricIntervalUpperBound".into());
    }
    for s in steps {
        if let (Some(l), Some(u)) = (s.lower, s.upper) {
            if u <= l {
                return Err(format!(
                    "MetricIntervalUpperBound {u} must be above MetricIntervalLowerBound {l}"
                ));
            }
        }
    }
    if steps.iter().any(|s| s.lower.is_some_and(|l| l < 0.0)) && nulls_lo == 0 {
        return Err(
            "a negative MetricIntervalLowerBound needs a step adjustment with no lower bound"
                .into(),
        );
    }
    if steps.iter().any(|s| s.upper.is_some_and(|u| u > 0.0)) && nulls_hi == 0 {
        return Err(
            "a positive MetricIntervalUpperBound needs a step adjustment with no upper bound"
                .into(),
        );
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
            return Err(format!("step adjustment ranges overlap at {lo}"));
        }
        if hi < lo {
            return Err(format!(
                "step adjustment ranges leave a gap between {hi} and {lo}"
            ));
        }
    }
    Ok(())
}

/// The step that applies when the metric is `diff` away from the threshold.
pub fn find_step(steps: &[Step], diff: f64) -> Option<&Step> {
    steps.iter().find(|s| {
        let lo = s.lower.unwrap_or(f64::NEG_INFINITY);
        let hi = s.upper.unwrap_or(f64::INFINITY);
        if diff >= 0.0 {
            diff >= lo && diff < hi
        } else {
            diff > lo && diff <= hi
        }
    })
}

/// The change of `PercentChangeInCapacity`, rounded as AAS documents, then raised to
/// `MinAdjustmentMagnitude`.
pub fn percent_change(current: u32, percent: i64, min_magnitude: Option<i64>) -> i64 {
    let x = current as f64 * percent as f64 / 100.0;
    let mut change = if x > 1.0 {
        x.floor() as i64
    } else if x > 0.0 {
        1
    } else if x == 0.0 {
        0
    } else if x > -1.0 {
        -1
    } else {
        x.ceil() as i64
    };
    if let Some(m) = min_magnitude {
        if change != 0 && change.abs() < m {
            change = change.signum() * m;
        } else if change == 0 && percent != 0 {
            change = percent.signum() * m;
        }
    }
    change
}

/// The new capacity of a step: from `base` tasks.
pub fn step_capacity(p: &StepScaling, base: u32, adjustment: i64) -> u32 {
    let n = match p.adjustment_type {
        AdjustmentType::ChangeInCapacity => base as i64 + adjustment,
        AdjustmentType::PercentChangeInCapacity => {
            base as i64 + percent_change(base, adjustment, p.min_magnitude)
        }
        AdjustmentType::ExactCapacity => adjustment,
    };
    n.clamp(0, u32::MAX as i64) as u32
}

/// `ceil(current × metric / target)`, robust to floating point noise (60/60 × 4 is 4, not 5).
pub fn tracking_capacity(current: f64, metric: f64, target: f64) -> u32 {
    let x = current * metric / target;
    let r = (x - 1e-6).ceil();
    r.clamp(0.0, u32::MAX as f64) as u32
}

/// A policy's memory between minutes.
#[derive(Debug, Clone, Default)]
pub struct PolicyState {
    /// Consecutive datapoints above the target (target tracking's high alarm).
    pub high: u32,
    /// Consecutive datapoints below 90 % of the target.
    pub low: u32,
    /// The last scale-out this policy made: (second, capacity set, base it counted from).
    pub last_out: Option<(u32, u32, u32)>,
    /// The last scale-in (second).
    pub last_in: Option<u32>,
    /// Step scaling: minute values of the current period, and the period datapoints' breaches.
    pub period_values: Vec<f64>,
    pub window: VecDeque<bool>,
}

/// What a policy wants this minute.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub capacity: u32,
    /// The base the capacity was computed from (kept for the scale-out cooldown).
    pub base: u32,
    pub reason: String,
}

/// What a policy says this minute: scale out, scale in, or nothing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Decision {
    pub out: Option<Proposal>,
    pub scale_in: Option<Proposal>,
    /// Target tracking: its low alarm is in ALARM (it agrees to scale in), cooldown or not.
    pub ready_in: bool,
}

fn fmt(v: f64) -> String {
    if (v - v.round()).abs() < 0.05 {
        format!("{}", v.round())
    } else {
        format!("{v:.1}")
    }
}

impl TargetTracking {
    /// Updates the alarms with this minute's datapoint and says what the policy wants.
    /// `running` is the task count the datapoint was measured over ([`Datapoint::count_for`]:
    /// time-weighted over the minute, so tasks that started during it count for the part they
    /// ran).
    pub fn evaluate(
        &self,
        name: &str,
        st: &mut PolicyState,
        value: Option<f64>,
        now: u32,
        running: f64,
    ) -> Decision {
        let mut d = Decision::default();
        let Some(v) = value else {
            st.high = 0;
            st.low = 0;
            return d;
        };
        let low_threshold = self.target * LOW_RATIO;
        st.high = if v > self.target { st.high + 1 } else { 0 };
        st.low = if v < low_threshold { st.low + 1 } else { 0 };
        let what = format!("target tracking {name}: {} {} ", self.metric_name, fmt(v));
        if st.high >= HIGH_DATAPOINTS {
            let (cap, how) = if running <= 0.0 {
                (
                    1,
                    "no task running: scale out by the minimum, to 1".to_string(),
                )
            } else {
                let c = tracking_capacity(running, v, self.target);
                (
                    c,
                    format!(
                        "ceil({} × {} / {}) = {c}",
                        fmt(running),
                        fmt(v),
                        fmt(self.target)
                    ),
                )
            };
            let blocked = st
                .last_out
                .is_some_and(|(t, set, _)| now < t + self.scale_out_cooldown && cap <= set);
            if !blocked {
                d.out = Some(Proposal {
                    capacity: cap,
                    base: running.round() as u32,
                    reason: format!(
                        "{what}> {} for {} datapoints; {how}",
                        fmt(self.target),
                        st.high
                    ),
                });
            }
        }
        if st.low >= LOW_DATAPOINTS && !self.disable_scale_in {
            d.ready_in = true;
            let cooling = st.last_in.is_some_and(|t| now < t + self.scale_in_cooldown);
            if !cooling {
                let c = tracking_capacity(running, v, self.target);
                d.scale_in = Some(Proposal {
                    capacity: c,
                    base: running.round() as u32,
                    reason: format!(
                        "{what}< {} (90 % of {}) for {} datapoints; ceil({} × {} / {}) = {c}",
                        fmt(low_threshold),
                        fmt(self.target),
                        st.low,
                        fmt(running),
                        fmt(v),
                        fmt(self.target)
                    ),
                });
            }
        }
        d
    }
}

impl StepScaling {
    /// Adds this minute's datapoint; at the end of a period evaluates the alarm and, in ALARM,
    /// says what the policy wants.
    pub fn evaluate(
        &self,
        name: &str,
        st: &mut PolicyState,
        value: Option<f64>,
        now: u32,
        running: u32,
        desired: u32,
    ) -> Decision {
        let mut d = Decision::default();
        if let Some(v) = value {
            st.period_values.push(v);
        }
        if !now.is_multiple_of(self.alarm.period) {
            return d;
        }
        let vals = std::mem::take(&mut st.period_values);
        let stat = if vals.is_empty() {
            None
        } else {
            Some(match self.alarm.statistic {
                Statistic::Average => vals.iter().sum::<f64>() / vals.len() as f64,
                Statistic::Minimum => vals.iter().cloned().fold(f64::INFINITY, f64::min),
                Statistic::Maximum => vals.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
            })
        };
        let breach = stat.is_some_and(|v| self.alarm.comparison.breaches(v, self.alarm.threshold));
        st.window.push_back(breach);
        while st.window.len() > self.alarm.evaluation_periods as usize {
            st.window.pop_front();
        }
        let breaching = st.window.iter().filter(|b| **b).count() as u32;
        let Some(v) = stat else {
            return d;
        };
        if breaching < self.alarm.datapoints_to_alarm {
            return d;
        }
        let Some(step) = find_step(&self.steps, v - self.alarm.threshold) else {
            return d;
        };
        // During a scale-out cooldown the capacity the last scale-out added counts: the new
        // capacity is computed from the same base, so only a larger step scales out again.
        let in_out_cooldown = st.last_out.filter(|(t, _, _)| now < t + self.cooldown);
        let base = in_out_cooldown.map_or(running, |(_, _, b)| b);
        let cap = step_capacity(self, base, step.adjustment);
        let how = match self.adjustment_type {
            AdjustmentType::ChangeInCapacity => format!("{base} {:+} = {cap}", step.adjustment),
            AdjustmentType::PercentChangeInCapacity => {
                let ch = percent_change(base, step.adjustment, self.min_magnitude);
                let raw = base as f64 * step.adjustment as f64 / 100.0;
                let mag = match self.min_magnitude {
                    Some(m) if ch.abs() == m && raw.abs() < m as f64 => {
                        format!(", MinAdjustmentMagnitude {m}")
                    }
                    _ => String::new(),
                };
                format!(
                    "{base} {:+}% = {base} {ch:+} ({}{mag}) = {cap}",
                    step.adjustment,
                    fmt(raw)
                )
            }
            AdjustmentType::ExactCapacity => format!("exact capacity {cap}"),
        };
        let reason = format!(
            "step scaling {name}: alarm {} {} {} ({} of {} periods of {} s); {how}",
            self.alarm.metric.label(),
            self.alarm.comparison.symbol(),
            fmt(self.alarm.threshold),
            breaching,
            self.alarm.evaluation_periods,
            self.alarm.period,
        );
        let proposal = Proposal {
            capacity: cap,
            base,
            reason: format!("{reason} (value {})", fmt(v)),
        };
        if cap > desired {
            if in_out_cooldown.is_none_or(|(_, set, _)| cap > set) {
                d.out = Some(proposal);
            }
        } else if cap < desired {
            let cooling = st.last_in.is_some_and(|t| now < t + self.cooldown);
            if !cooling {
                d.scale_in = Some(proposal);
            }
        }
        d
    }
}
