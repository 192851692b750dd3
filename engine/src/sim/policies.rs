//! Application Auto Scaling policies for ECS services: target tracking and step scaling, as
//! pure decisions over the minute's metric datapoints (`service-autoscaling-targettracking.md`,
//! `service-autoscaling-stepscaling.md`, `service-auto-scaling.md`, `ecs-semantics.md` §4.1-4.2,
//! the AAS API model's `TargetTrackingScalingPolicyConfiguration`,
//! `StepScalingPolicyConfiguration` and `StepAdjustment`).
//!
//! # Target tracking
//! AAS creates two CloudWatch alarms per policy. AWS does not publish them in the API; the
//! planner uses what AWS's consoles and labs show \[INFER\]:
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
//! minute. With no task running and data showing demand (a queue's backlog), the policy waits
//! for one datapoint only (not three) and scales out by the minimum amount, to 1
//! (`service-auto-scaling.md`, "scale to zero"); then it resumes from the running task count.
//!
//! Cooldowns (default 300 s for ECS): during a scale-out cooldown a policy scales out again only
//! to more than the capacity its last scale-out set ("the capacity added ... is calculated as
//! part of the desired capacity for the next scale-out"); a scale-in cooldown blocks scale-in
//! and is ended by any scale-out.
//!
//! # Step scaling
//! The CloudWatch alarm that triggers a step policy is the user's own; the planner reads it from
//! the policy's `alarm` member (see [`crate::plan::autoscaling`]). The alarm is evaluated at the
//! end of each period with its statistic of the period's minute datapoints; while it is in
//! ALARM the policy runs once per period. The value matched against the steps is the
//! policy's `MetricAggregationType` (Average, Minimum or Maximum; Average when absent) of the
//! alarm's most recent datapoints, read as the period datapoints of its evaluation window
//! [INFER: AAS says "the most recent metric data points" without saying how many]. Step bounds
//! are offsets from the threshold: above it the lower bound is inclusive and the upper
//! exclusive, below it the reverse; exactly at the threshold, a `>=` alarm reads "above" and a
//! `<=` alarm "below" (the API's examples: `[0, 10)` at 50 and `(-10, 0]` at 50). A step
//! policy from zero tasks follows its own alarm (the one-datapoint rule is target tracking's):
//! `ChangeInCapacity` adds from 0, and `PercentChangeInCapacity` of 0 tasks is 0 unless
//! `MinAdjustmentMagnitude` is set. `PercentChangeInCapacity` is rounded as AAS documents (above 1 down, between 0 and 1
//! to 1, between −1 and 0 to −1, below −1 up), then raised to `MinAdjustmentMagnitude`.

use crate::plan::autoscaling::{
    AdjustmentType, Metric, Statistic, Step, StepScaling, TargetTracking,
};
use std::collections::VecDeque;

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

/// Datapoints above the target that trigger a scale-out \[INFER\].
pub const HIGH_DATAPOINTS: u32 = 3;
/// Datapoints below the low threshold that trigger a scale-in \[INFER\].
pub const LOW_DATAPOINTS: u32 = 15;
/// The low alarm's threshold as a share of the target \[INFER\].
pub const LOW_RATIO: f64 = 0.9;
/// The step that applies when the metric is `diff` away from the threshold (AAS API model,
/// `StepAdjustment`): above the breach threshold the lower bound is inclusive and the upper
/// exclusive; otherwise the lower is exclusive and the upper inclusive. A metric exactly at the
/// threshold counts as above it for an alarm that fires upward (`>=`), and as below it for one
/// that fires downward (`<=`), so that it matches the step `[0, …)` of a scale-out alarm and the
/// step `(…, 0]` of a scale-in alarm, as the API's two examples ask.
pub fn find_step(steps: &[Step], diff: f64, upward: bool) -> Option<&Step> {
    let above = diff > 0.0 || (diff == 0.0 && upward);
    steps.iter().find(|s| {
        let lo = s.lower.unwrap_or(f64::NEG_INFINITY);
        let hi = s.upper.unwrap_or(f64::INFINITY);
        if above {
            diff >= lo && diff < hi
        } else {
            diff > lo && diff <= hi
        }
    })
}

/// `values` combined by `how` (none without values).
pub fn aggregate(values: impl IntoIterator<Item = f64>, how: Statistic) -> Option<f64> {
    let mut n = 0usize;
    let mut acc = match how {
        Statistic::Average => 0.0,
        Statistic::Minimum => f64::INFINITY,
        Statistic::Maximum => f64::NEG_INFINITY,
    };
    for v in values {
        n += 1;
        acc = match how {
            Statistic::Average => acc + v,
            Statistic::Minimum => acc.min(v),
            Statistic::Maximum => acc.max(v),
        };
    }
    match (n, how) {
        (0, _) => None,
        (_, Statistic::Average) => Some(acc / n as f64),
        _ => Some(acc),
    }
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
    /// Step scaling: minute values of the current period, and the alarm's evaluation window:
    /// each period's datapoint (none when missing) and whether it breached.
    pub period_values: Vec<f64>,
    pub window: VecDeque<(bool, Option<f64>)>,
}

/// What a policy wants this minute.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub capacity: u32,
    /// The base the capacity was computed from (kept for the scale-out cooldown).
    pub base: u32,
    pub reason: Reason,
}

/// Why a policy proposes its capacity.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// Written out.
    Text(String),
    /// A target tracking policy's scale-in, from this minute's value, its count of low
    /// datapoints and the tasks it was measured over: proposed every minute while the load
    /// stays low, and mostly not acted on (at the minimum, cooling down), so it is written
    /// only when it is ([`Proposal::reason_text`]).
    TrackingIn {
        value: f64,
        datapoints: u32,
        running: f64,
    },
}

impl Proposal {
    /// The proposal's reason in words; `name` and `tt` are the proposing policy's (for a
    /// target tracking scale-in).
    pub fn reason_text(&self, name: &str, tt: Option<&TargetTracking>) -> String {
        match (&self.reason, tt) {
            (Reason::Text(t), _) => t.clone(),
            (
                Reason::TrackingIn {
                    value,
                    datapoints,
                    running,
                },
                Some(tt),
            ) => tracking_in_reason(tt, name, *value, *datapoints, *running, self.capacity),
            (Reason::TrackingIn { .. }, None) => String::new(),
        }
    }
}

/// A target tracking policy's scale-in reason: value `v` below 90 % of the target for
/// `datapoints` datapoints, over `running` tasks, giving capacity `c`.
fn tracking_in_reason(
    tt: &TargetTracking,
    name: &str,
    v: f64,
    datapoints: u32,
    running: f64,
    c: u32,
) -> String {
    format!(
        "target tracking {name}: {} {} < {} (90 % of {}) for {} datapoints; ceil({} × {} / {}) = {c}",
        tt.metric_name,
        fmt(v),
        fmt(tt.target * LOW_RATIO),
        fmt(tt.target),
        datapoints,
        fmt(running),
        fmt(v),
        fmt(tt.target)
    )
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

/// A target tracking policy's minute: updates its alarms with this minute's datapoint and says
/// what the policy wants. `running` is the task count the datapoint was measured over
/// ([`Datapoint::count_for`]: time-weighted over the minute, so tasks that started during it
/// count for the part they ran).
pub fn track(
    tt: &TargetTracking,
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
    let low_threshold = tt.target * LOW_RATIO;
    st.high = if v > tt.target { st.high + 1 } else { 0 };
    st.low = if v < low_threshold { st.low + 1 } else { 0 };
    // Said only in a proposal (formatted for every policy every minute, it cost ~2 % of a day).
    let what = || format!("target tracking {name}: {} {} ", tt.metric_name, fmt(v));
    // From zero, one datapoint showing demand is enough (`service-auto-scaling.md`: "when
    // actual capacity is 0 and the metric indicates that there is workload demand, Service Auto
    // Scaling waits for one data point to be sent before scaling out").
    let from_zero = running <= 0.0;
    if st.high >= HIGH_DATAPOINTS || (from_zero && st.high >= 1) {
        let (cap, how) = if from_zero {
            (
                1,
                "no task running: after one datapoint showing demand, scale out by the minimum, to 1".to_string(),
            )
        } else {
            let c = tracking_capacity(running, v, tt.target);
            (
                c,
                format!(
                    "ceil({} × {} / {}) = {c}",
                    fmt(running),
                    fmt(v),
                    fmt(tt.target)
                ),
            )
        };
        let blocked = st
            .last_out
            .is_some_and(|(t, set, _)| now < t + tt.scale_out_cooldown && cap <= set);
        if !blocked {
            d.out = Some(Proposal {
                capacity: cap,
                base: running.round() as u32,
                reason: Reason::Text(format!(
                    "{}> {} for {} datapoints; {how}",
                    what(),
                    fmt(tt.target),
                    st.high
                )),
            });
        }
    }
    if st.low >= LOW_DATAPOINTS && !tt.disable_scale_in {
        d.ready_in = true;
        let cooling = st.last_in.is_some_and(|t| now < t + tt.scale_in_cooldown);
        if !cooling {
            let c = tracking_capacity(running, v, tt.target);
            d.scale_in = Some(Proposal {
                capacity: c,
                base: running.round() as u32,
                reason: Reason::TrackingIn {
                    value: v,
                    datapoints: st.low,
                    running,
                },
            });
        }
    }
    d
}

/// A step scaling policy's minute: adds this minute's datapoint; at the end of a period
/// evaluates the alarm and, in ALARM, says what the policy wants.
pub fn step(
    sp: &StepScaling,
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
    if !now.is_multiple_of(sp.alarm.period) {
        return d;
    }
    let vals = std::mem::take(&mut st.period_values);
    let stat = aggregate(vals, sp.alarm.statistic);
    let breach = stat.is_some_and(|v| sp.alarm.comparison.breaches(v, sp.alarm.threshold));
    st.window.push_back((breach, stat));
    while st.window.len() > sp.alarm.evaluation_periods as usize {
        st.window.pop_front();
    }
    let breaching = st.window.iter().filter(|b| b.0).count() as u32;
    if stat.is_none() || breaching < sp.alarm.datapoints_to_alarm {
        return d;
    }
    // MetricAggregationType over the alarm's most recent datapoints (its evaluation window).
    let Some(v) = aggregate(st.window.iter().filter_map(|b| b.1), sp.aggregation) else {
        return d;
    };
    let Some(step) = find_step(
        &sp.steps,
        v - sp.alarm.threshold,
        sp.alarm.comparison.upward(),
    ) else {
        return d;
    };
    // During a scale-out cooldown the capacity the last scale-out added counts: the new
    // capacity is computed from the same base, so only a larger step scales out again.
    let in_out_cooldown = st.last_out.filter(|(t, _, _)| now < t + sp.cooldown);
    let base = in_out_cooldown.map_or(running, |(_, _, b)| b);
    let cap = step_capacity(sp, base, step.adjustment);
    let how = match sp.adjustment_type {
        AdjustmentType::ChangeInCapacity => format!("{base} {:+} = {cap}", step.adjustment),
        AdjustmentType::PercentChangeInCapacity => {
            let ch = percent_change(base, step.adjustment, sp.min_magnitude);
            let raw = base as f64 * step.adjustment as f64 / 100.0;
            let mag = match sp.min_magnitude {
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
    let aggregated = if sp.alarm.evaluation_periods > 1 {
        format!(
            ", {} of the window's datapoints",
            match sp.aggregation {
                Statistic::Average => "Average",
                Statistic::Minimum => "Minimum",
                Statistic::Maximum => "Maximum",
            }
        )
    } else {
        String::new()
    };
    let reason = format!(
        "step scaling {name}: alarm {} {} {} ({} of {} periods of {} s); {how}",
        sp.alarm.metric.label(),
        sp.alarm.comparison.symbol(),
        fmt(sp.alarm.threshold),
        breaching,
        sp.alarm.evaluation_periods,
        sp.alarm.period,
    );
    let reason = format!("{reason} (value {}{aggregated})", fmt(v));
    let proposal = Proposal {
        capacity: cap,
        base,
        reason: Reason::Text(reason),
    };
    if cap > desired {
        if in_out_cooldown.is_none_or(|(_, set, _)| cap > set) {
            d.out = Some(proposal);
        }
    } else if cap < desired {
        let cooling = st.last_in.is_some_and(|t| now < t + sp.cooldown);
        if !cooling {
            d.scale_in = Some(proposal);
        }
    }
    d
}
