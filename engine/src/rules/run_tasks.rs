//! `settings.simulation.runTasks`: what the shapes cannot see of the standalone tasks a
//! simulation runs. Each entry names a task definition of the plan and says when it runs (one
//! of `atSecond`, `schedule`, `eventSeconds`); its schedule and time zone are read by the same
//! parser as the scheduled actions of service auto scaling. Errors withhold the plan, like
//! [`super::scaling`]'s (a simulation could not run the entry as the user meant).

use crate::findings::{Finding, JsonPath};
use crate::plan::schedule::{self, Zone};
use crate::plan::Plan;

/// Every problem of `settings.simulation.runTasks`, in plan order.
pub fn check(plan: &Plan, out: &mut Vec<Finding>) {
    let Some(sim) = plan.settings.as_ref().and_then(|s| s.simulation.as_ref()) else {
        return;
    };
    for (i, r) in sim.run_tasks.iter().enumerate() {
        let at = JsonPath::root()
            .key("settings")
            .key("simulation")
            .key("runTasks")
            .index(i);
        if plan.resolve_task_definition(&r.task_definition).is_none() {
            let families = plan.task_definitions.iter().map(|t| t.family.as_str());
            let f = Finding::error(
                "unknown-task-definition",
                at.key("taskDefinition"),
                format!(
                    "runTasks names task definition {}, which is not in the plan",
                    r.task_definition
                ),
            );
            out.push(
                match crate::schema::did_you_mean(&r.task_definition, families) {
                    Some(b) => f.with_fix(format!("did you mean {b}?")),
                    None => f.with_fix(
                        "use family:revision (or the family) of one of the plan's task definitions",
                    ),
                },
            );
        }
        let triggers = [
            r.at_second.is_some(),
            r.schedule.is_some(),
            !r.event_seconds.is_empty(),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        if triggers != 1 {
            out.push(
                Finding::error(
                    "run-task-trigger",
                    at.clone(),
                    if triggers == 0 {
                        "this RunTask entry never runs: it has no atSecond, schedule or eventSeconds".to_string()
                    } else {
                        "this RunTask entry has more than one of atSecond, schedule and eventSeconds".to_string()
                    },
                )
                .with_fix("give exactly one: atSecond (a second of the simulation), schedule (cron(...), rate(...) or at(...)) or eventSeconds (a list of seconds)"),
            );
        }
        if let Some(s) = &r.schedule {
            if let Err(e) = schedule::parse_schedule(s) {
                // The same expressions as Application Auto Scaling's scheduled actions.
                let e = e.replace("Application Auto Scaling", "EventBridge Scheduler");
                out.push(
                    Finding::error("run-task-schedule", at.key("schedule"), e).with_fix(
                        "write an EventBridge Scheduler expression, e.g. cron(0 * * * ? *) for every hour, rate(15 minutes) or at(2026-11-23T08:00:00)",
                    ),
                );
            }
        }
        if let Some(z) = &r.timezone {
            if let Err(e) = Zone::named(z) {
                out.push(
                    Finding::error("run-task-timezone", at.key("timezone"), e)
                        .with_fix("use an IANA time zone name, e.g. Europe/Dublin"),
                );
            }
            if r.schedule.is_none() {
                out.push(
                    Finding::warning(
                        "run-task-timezone",
                        at.key("timezone"),
                        "timezone only applies to a schedule; this entry has none".to_string(),
                    )
                    .with_fix("remove timezone, or give a schedule"),
                );
            }
        }
        if r.launch_type.is_some() && !r.capacity_provider_strategy.is_empty() {
            out.push(
                Finding::error(
                    "launch-type-and-strategy",
                    at.key("launchType"),
                    "RunTask takes a launchType or a capacityProviderStrategy, not both"
                        .to_string(),
                )
                .with_fix("remove launchType to use the capacity provider strategy"),
            );
        }
    }
}
