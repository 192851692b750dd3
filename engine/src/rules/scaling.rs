//! The workload and the services' auto scaling: what the shapes cannot see. Values of the
//! workload, schedule expressions, time zones and times of scheduled actions, step adjustment
//! ranges, the planner's alarms, and policies a simulation cannot run (warnings).
//!
//! Unlike the other rules, these findings withhold the plan when they are errors (a simulation
//! could not read it as the user meant), so the loader runs them with the structural checks,
//! before the cluster and the other rules (`crate::load`). Their codes are stable but have no
//! entry in [`super::RULES`] (no AWS page of their own: they cite the requests' API reference
//! in `docs/plan-format.md`).

use crate::findings::{Finding, JsonPath};
use crate::plan::autoscaling::{
    check_steps, steps_of, AdjustmentType, Metric, ScalingPolicy, ScheduledAction, StepsError,
};
use crate::plan::schedule::{self, Zone};
use crate::plan::workload::{self, LoadKind, ServiceLoad, WorkloadError, WorkloadProblem};
use crate::plan::{Plan, Written};

/// Every problem of the workload and of the services' `autoScaling`, in the order of the plan.
pub fn check(plan: &Plan) -> Vec<Finding> {
    let (loads, errors) = workload::read(plan);
    let mut out: Vec<Finding> = errors
        .into_iter()
        .map(|e| workload_finding(plan, e))
        .collect();
    for (si, svc) in plan.services.iter().enumerate() {
        let Some(a) = svc.auto_scaling.as_ref().map(Written::read) else {
            continue;
        };
        let p = JsonPath::root()
            .key("services")
            .index(si)
            .key("autoScaling");
        for (i, pol) in a.policies().iter().enumerate() {
            policy(
                pol,
                &p.key("policies").index(i),
                loads.services[si].as_ref(),
                &mut out,
            );
        }
        for (i, act) in a.scheduled_actions().iter().enumerate() {
            scheduled_action(act, &p.key("scheduledActions").index(i), &mut out);
        }
    }
    simulated_failures(plan, &mut out);
    super::run_tasks::check(plan, &mut out);
    super::managed_instances::check(plan, &mut out);
    out
}

/// `settings.simulation`: `afterHealthySeconds` describes a health check failure;
/// `taskProtection` names a service of the plan; an alarm goes into ALARM one way
/// (`whileRunning`, or `service` with `alarm`).
fn simulated_failures(plan: &Plan, out: &mut Vec<Finding>) {
    let Some(sim) = plan.settings.as_ref().and_then(|s| s.simulation.as_ref()) else {
        return;
    };
    for (i, x) in sim.fargate_spot_unavailable.iter().enumerate() {
        if x.to_second <= x.from_second {
            out.push(
                Finding::error(
                    "simulation-window",
                    JsonPath::root()
                        .key("settings")
                        .key("simulation")
                        .key("fargateSpotUnavailable")
                        .index(i)
                        .key("toSecond"),
                    format!(
                        "the period ends at second {} but starts at second {}",
                        x.to_second, x.from_second
                    ),
                )
                .with_fix("set toSecond after fromSecond"),
            );
        }
    }
    for (i, d) in sim.deployments.iter().enumerate() {
        let at = JsonPath::root()
            .key("settings")
            .key("simulation")
            .key("deployments")
            .index(i);
        if !plan.services.iter().any(|s| s.service_name == d.service) {
            let names = plan.services.iter().map(|s| s.service_name.as_str());
            let f = Finding::error(
                "unknown-service",
                at.key("service"),
                format!(
                    "deployments names service {}, which is not in the plan",
                    d.service
                ),
            );
            out.push(match crate::schema::did_you_mean(&d.service, names) {
                Some(b) => f.with_fix(format!("did you mean {b}?")),
                None => f.with_fix("use the serviceName of one of the plan's services"),
            });
        }
        if plan.resolve_task_definition(&d.task_definition).is_none() {
            out.push(
                Finding::error(
                    "unknown-task-definition",
                    at.key("taskDefinition"),
                    format!(
                        "deployments names task definition {}, which is not in the plan",
                        d.task_definition
                    ),
                )
                .with_fix("use family:revision of one of the plan's task definitions"),
            );
        }
    }
    for (i, p) in sim.task_protection.iter().enumerate() {
        if plan.services.iter().any(|s| s.service_name == p.service) {
            continue;
        }
        let names = plan.services.iter().map(|s| s.service_name.as_str());
        let f = Finding::error(
            "unknown-service",
            JsonPath::root()
                .key("settings")
                .key("simulation")
                .key("taskProtection")
                .index(i)
                .key("service"),
            format!(
                "taskProtection names service {}, which is not in the plan",
                p.service
            ),
        );
        out.push(match crate::schema::did_you_mean(&p.service, names) {
            Some(b) => f.with_fix(format!("did you mean {b}?")),
            None => f.with_fix("use the serviceName of one of the plan's services"),
        });
    }
    for (i, a) in sim.alarms.iter().enumerate() {
        let at = JsonPath::root()
            .key("settings")
            .key("simulation")
            .key("alarms")
            .index(i);
        let on_metric = a.service.is_some() || a.alarm.is_some();
        if a.while_running.is_some() == on_metric {
            out.push(
                Finding::error(
                    "simulated-alarm",
                    at.clone(),
                    format!(
                        "alarm {} needs one way to go into ALARM: whileRunning (a task definition), or service and alarm (a metric of the service)",
                        a.alarm_name
                    ),
                )
                .with_fix("keep either whileRunning, or service with alarm"),
            );
        } else if on_metric && (a.service.is_none() || a.alarm.is_none()) {
            let (missing, fix) = if a.service.is_none() {
                ("service", "name the service whose metric the alarm watches")
            } else {
                ("alarm", "add alarm: {\"metric\": \"CPUUtilization\", \"comparison\": \">=\", \"threshold\": 90}")
            };
            out.push(
                Finding::error(
                    "simulated-alarm",
                    at.key(missing),
                    format!(
                        "alarm {} on a service's metric needs {missing}",
                        a.alarm_name
                    ),
                )
                .with_fix(fix),
            );
        }
        if let Some(name) = &a.service {
            if !plan.services.iter().any(|s| &s.service_name == name) {
                let names = plan.services.iter().map(|s| s.service_name.as_str());
                let f = Finding::error(
                    "unknown-service",
                    at.key("service"),
                    format!("alarms names service {name}, which is not in the plan"),
                );
                out.push(match crate::schema::did_you_mean(name, names) {
                    Some(b) => f.with_fix(format!("did you mean {b}?")),
                    None => f.with_fix("use the serviceName of one of the plan's services"),
                });
            }
        }
    }
    for (i, f) in sim.failures.iter().enumerate() {
        if f.after_healthy_seconds.is_some() && f.failure != crate::plan::FailureKind::HealthCheck {
            out.push(
                Finding::error(
                    "simulated-failure",
                    JsonPath::root()
                        .key("settings")
                        .key("simulation")
                        .key("failures")
                        .index(i)
                        .key("afterHealthySeconds"),
                    "afterHealthySeconds makes a task fail its health checks after it was healthy; a task whose image cannot be pulled is never healthy",
                )
                .with_fix("use \"failure\": \"HEALTH_CHECK\", or remove afterHealthySeconds"),
            );
        }
    }
}

fn workload_finding(plan: &Plan, e: WorkloadError) -> Finding {
    let value = |message: String, fix: String| {
        Finding::error("workload-value", e.path.clone(), message).with_fix(fix)
    };
    match e.problem {
        WorkloadProblem::Start(message) => value(
            message,
            "write the start as \"2026-11-23T00:00:00Z\" (UTC)".into(),
        ),
        WorkloadProblem::UnknownService(name) => {
            let names = plan.services.iter().map(|s| s.service_name.as_str());
            let f = Finding::error(
                "unknown-service",
                e.path.clone(),
                format!("the workload names service {name}, which is not in the plan"),
            );
            match crate::schema::did_you_mean(&name, names) {
                Some(b) => f.with_fix(format!("did you mean {b}?")),
                None => f.with_fix("use the serviceName of one of the plan's services"),
            }
        }
        WorkloadProblem::LoadKinds(kinds) => value(
            if kinds.is_empty() {
                "a service's workload needs its load: requestsPerSecond, queue, or cpuPercent/memoryPercent".to_string()
            } else {
                format!("a service's workload is one kind of load, found {}", kinds.join(" and "))
            },
            "keep requestsPerSecond (a web service), queue (a queue worker) or cpuPercent/memoryPercent (utilisation), not several".into(),
        ),
        WorkloadProblem::SeriesKinds(kinds) => value(
            if kinds.is_empty() {
                "a load series needs points, daily or value".to_string()
            } else {
                format!("a load series is one of points, daily or value, found {}", kinds.join(" and "))
            },
            "e.g. {\"points\": [{\"t\": 0, \"value\": 100}, {\"t\": 3600, \"value\": 400}]} or {\"value\": 100}".into(),
        ),
        WorkloadProblem::DailyOnly(k) => value(
            format!("{k} applies to a daily shape only"),
            format!("remove {k}, or give the load as \"daily\""),
        ),
        WorkloadProblem::PointsOrder { t, prev } => value(
            format!("points must be in increasing time: t {t} follows t {prev}"),
            format!("use a t above {prev}, or sort the points by t"),
        ),
        WorkloadProblem::TimeZone(message) => {
            Finding::error("unknown-time-zone", e.path.clone(), message)
                .with_fix("use an IANA time zone name, e.g. Europe/Dublin")
        }
        WorkloadProblem::SecondsPerMessage => value(
            "secondsPerMessage must be above 0: the time one task takes to process one message"
                .into(),
            "e.g. \"secondsPerMessage\": 0.5".into(),
        ),
        WorkloadProblem::RequestsPerTask => value(
            "requestsPerTaskAt100Percent must be above 0".into(),
            "the requests per second one task serves at 100 % CPU, e.g. 50".into(),
        ),
        WorkloadProblem::RequestsPerVcpu => {
            value("requestsPerVcpu must be above 0".into(), "e.g. 100".into())
        }
    }
}

fn scheduled_action(act: &ScheduledAction, ap: &JsonPath, out: &mut Vec<Finding>) {
    match act.parsed_schedule() {
        None => out.push(
            Finding::error(
                "scheduled-action-schedule",
                ap.clone(),
                "a scheduled action needs a Schedule",
            )
            .with_fix("add \"Schedule\": \"cron(0 7 ? * MON-FRI *)\""),
        ),
        Some(Err(e)) => out.push(
            Finding::error("scheduled-action-schedule", ap.key("Schedule"), e)
                .with_fix("use at(2026-11-23T07:00:00), rate(1 hour) or cron(0 7 ? * MON-FRI *)"),
        ),
        Some(Ok(_)) => {}
    }
    if let Some(z) = act.timezone.as_deref() {
        if let Err(e) = Zone::named(z) {
            out.push(
                Finding::error("unknown-time-zone", ap.key("Timezone"), e)
                    .with_fix("use an IANA name such as UTC, Europe/Dublin or America/New_York"),
            );
        }
    }
    let mut times: [Option<schedule::Instant>; 2] = [None, None];
    for (j, (k, t)) in act.times().into_iter().enumerate() {
        if let Some(t) = t {
            match t.instant() {
                Ok(t) => times[j] = Some(t),
                Err(e) => out.push(
                    Finding::error("scheduled-action-time", ap.key(k), e)
                        .with_fix("write it as 2026-11-23T07:00:00Z"),
                ),
            }
        }
    }
    if let [Some(s), Some(e)] = times {
        if e <= s {
            out.push(
                Finding::error(
                    "scheduled-action-time",
                    ap.key("EndTime"),
                    "EndTime is not after StartTime",
                )
                .with_fix("set EndTime after StartTime"),
            );
        }
    }
    if act
        .scalable_target_action
        .as_ref()
        .is_none_or(|t| t.min_capacity.is_none() && t.max_capacity.is_none())
    {
        out.push(
            Finding::warning(
                "scheduled-action-empty",
                ap.clone(),
                "the scheduled action changes neither MinCapacity nor MaxCapacity",
            )
            .with_fix("add \"ScalableTargetAction\": {\"MinCapacity\": 2, \"MaxCapacity\": 10}"),
        );
    }
}

fn policy(pol: &ScalingPolicy, p: &JsonPath, load: Option<&ServiceLoad>, out: &mut Vec<Finding>) {
    let before = out.len();
    let name = pol.name();
    if pol.policy_type.is_none() {
        let guess = if pol.step_scaling_policy_configuration.is_some() {
            "StepScaling"
        } else {
            "TargetTrackingScaling"
        };
        out.push(
            Finding::error(
                "scaling-policy-type",
                p.clone(),
                format!("policy {name} has no PolicyType, which PutScalingPolicy requires"),
            )
            .with_fix(format!("add \"PolicyType\": \"{guess}\"")),
        );
    }
    if let Some(t) = pol
        .target_tracking_scaling_policy_configuration
        .as_ref()
        .and_then(|c| c.predefined_metric_specification.as_ref())
        .and_then(|m| m.predefined_metric_type.as_deref())
    {
        if !t.starts_with("ECSService") && t != "ALBRequestCountPerTarget" {
            out.push(
                Finding::error(
                    "scaling-metric",
                    p.key("TargetTrackingScalingPolicyConfiguration")
                        .key("PredefinedMetricSpecification")
                        .key("PredefinedMetricType"),
                    format!("{t} is not a metric of an ECS service"),
                )
                .with_fix("use ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization or ALBRequestCountPerTarget"),
            );
        }
    }
    if let Some(c) = &pol.step_scaling_policy_configuration {
        let cp = p.key("StepScalingPolicyConfiguration");
        let at = c.adjustment_type;
        if at.is_none() {
            out.push(
                Finding::error(
                    "step-adjustments",
                    cp.clone(),
                    "step scaling needs an AdjustmentType",
                )
                .with_fix("add \"AdjustmentType\": \"ChangeInCapacity\""),
            );
        }
        if c.min_adjustment_magnitude.is_some()
            && at != Some(AdjustmentType::PercentChangeInCapacity)
        {
            out.push(
                Finding::error(
                    "step-adjustments",
                    cp.key("MinAdjustmentMagnitude"),
                    "MinAdjustmentMagnitude applies to PercentChangeInCapacity only",
                )
                .with_fix("remove MinAdjustmentMagnitude, or use PercentChangeInCapacity"),
            );
        }
        let steps = steps_of(c);
        if steps.is_empty() {
            out.push(
                Finding::error("step-adjustments", cp.key("StepAdjustments"), "step scaling needs at least one step adjustment")
                    .with_fix("add \"StepAdjustments\": [{\"MetricIntervalLowerBound\": 0, \"ScalingAdjustment\": 1}]"),
            );
        } else if let Err(e) = check_steps(&steps) {
            out.push(steps_finding(&cp, e));
        }
        if at == Some(AdjustmentType::ExactCapacity) && steps.iter().any(|s| s.adjustment < 0) {
            out.push(
                Finding::error(
                    "step-adjustments",
                    cp.key("StepAdjustments"),
                    "with ExactCapacity every ScalingAdjustment must be 0 or more",
                )
                .with_fix("use a capacity of 0 or more"),
            );
        }
    }
    if let Some(a) = &pol.alarm {
        let ap = p.key("alarm");
        if pol.step_scaling_policy_configuration.is_none() {
            out.push(
                Finding::error(
                    "scaling-alarm",
                    ap.clone(),
                    "alarm describes the CloudWatch alarm of a step scaling policy; target tracking creates its own",
                )
                .with_fix("remove alarm"),
            );
        }
        let whole = |v: Option<i64>| v.and_then(|x| u64::try_from(x).ok());
        if let Some(ps) = whole(a.period_seconds) {
            if ps % 60 != 0 {
                out.push(
                    Finding::error(
                        "scaling-alarm",
                        ap.key("periodSeconds"),
                        format!("periodSeconds {ps} is not a whole number of minutes (ECS publishes its metrics once a minute)"),
                    )
                    .with_fix(format!("use {}", (ps / 60).max(1) * 60)),
                );
            }
        }
        let ep = whole(a.evaluation_periods).unwrap_or(1);
        if let Some(dp) = whole(a.datapoints_to_alarm) {
            if dp > ep {
                out.push(
                    Finding::error(
                        "scaling-alarm",
                        ap.key("datapointsToAlarm"),
                        format!("datapointsToAlarm {dp} is more than evaluationPeriods {ep}"),
                    )
                    .with_fix(format!("use at most {ep}")),
                );
            }
        }
    }
    if out.len() > before {
        return;
    }
    match pol.read() {
        Err(e) => out.push(
            Finding::warning("policy-not-simulated", p.clone(), e.to_string())
                .with_fix("the plan can still be exported; simulations run without this policy"),
        ),
        Ok(policy) => {
            let metric = policy.kind.metric();
            let fits = match load.map(|l| &l.kind) {
                None => true, // no workload: no data at all, said once by the simulation
                Some(LoadKind::Requests(_)) => {
                    !matches!(metric, Metric::Backlog | Metric::BacklogPerTask)
                }
                Some(LoadKind::Queue { .. }) => metric != Metric::RequestsPerTarget,
                Some(LoadKind::Utilisation { .. }) => {
                    matches!(metric, Metric::Cpu | Metric::Memory)
                }
            };
            if !fits {
                out.push(
                    Finding::warning(
                        "policy-without-data",
                        p.clone(),
                        format!(
                            "policy {name} watches {}, which this service's workload does not produce: the policy never acts in simulations",
                            metric.label()
                        ),
                    )
                    .with_fix(match metric {
                        Metric::RequestsPerTarget => "give the service's workload as requestsPerSecond",
                        Metric::Backlog | Metric::BacklogPerTask => "give the service's workload as a queue",
                        _ => "give the service a workload",
                    }),
                );
            }
        }
    }
}

fn steps_finding(cp: &JsonPath, e: StepsError) -> Finding {
    Finding::error("step-adjustments", cp.key("StepAdjustments"), e.to_string())
        .with_fix("make the ranges meet end to end, e.g. [0, 10) then [10, +∞)")
}
