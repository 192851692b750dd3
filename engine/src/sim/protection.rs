//! Task scale-in protection (UpdateTaskProtection; API model: "You can set protectionEnabled
//! to true to protect your task from termination during scale-in events from Service
//! Autoscaling or deployments. Task-protection, by default, expires after 2 hours ... You can
//! specify a custom expiration period ... from 1 minute to up to 2,880 minutes").
//!
//! The plan's `settings.simulation.taskProtection` makes the calls: at `atSecond`, `count` of
//! the service's RUNNING tasks, the oldest first (the planner's choice: a call names task ids,
//! which a plan does not have), are protected for `expiresInMinutes` (default 120). While
//! protected, the service scheduler does not stop them to scale in or to replace them in a
//! deployment (see [`super::rolling`]); a scale-in or deployment that needs them waits for the
//! expiry. Protection does not keep a task on a DRAINING instance, nor an unhealthy task.

use super::events::EventKind;
use super::service::ServiceState;
use super::world::{Ev, TaskState, World};
use crate::plan::Plan;

/// The default expiry of task protection (API model, `expiresInMinutes`).
pub const DEFAULT_MINUTES: u32 = 120;

/// Service `service`'s UpdateTaskProtection calls in the plan: (second, count, expiry in
/// seconds), in time order.
pub(super) fn calls(plan: &Plan, service: &str) -> Vec<(u32, u32, u32)> {
    let Some(sim) = plan.settings.as_ref().and_then(|s| s.simulation.as_ref()) else {
        return Vec::new();
    };
    let mut out: Vec<(u32, u32, u32)> = sim
        .task_protection
        .iter()
        .filter(|p| p.service == service)
        .map(|p| {
            let minutes = p
                .expires_in_minutes
                .unwrap_or(DEFAULT_MINUTES)
                .clamp(1, 2880);
            (p.at_second.unwrap_or(0), p.count.min(10), minutes * 60)
        })
        .collect();
    out.sort();
    out
}

/// Makes the calls due at this second, and ends the protections that expired.
pub(super) fn apply(w: &mut World, s: usize, svc: &mut ServiceState) {
    let now = w.now;
    let expired: Vec<_> = svc
        .protected
        .iter()
        .copied()
        .filter(|(_, until)| *until <= now)
        .collect();
    svc.protected.retain(|(_, until)| *until > now);
    for (t, _) in expired {
        if w.is_active(t) {
            w.event(
                EventKind::TaskProtection,
                Some(s),
                Some(t),
                "scale-in protection expired: Amazon ECS cleared protectionEnabled; the task may be stopped by a scale-in or a deployment".into(),
            );
        }
    }
    while let Some(&(at, count, secs)) = svc.protection_calls.first() {
        if at > now {
            break;
        }
        svc.protection_calls.remove(0);
        let tasks: Vec<_> = w
            .tasks_of(s)
            .into_iter()
            .filter(|t| w.is_active(*t) && w.task(*t).state == TaskState::Running)
            .filter(|t| !svc.protected.iter().any(|(p, _)| p == t))
            .take(count as usize)
            .collect();
        let until = now + secs;
        for t in tasks {
            svc.protected.push((t, until));
            w.event(
                EventKind::TaskProtection,
                Some(s),
                Some(t),
                format!(
                    "UpdateTaskProtection: protectionEnabled for {} minutes (until second {until}); scale-in and deployments leave the task running",
                    secs / 60
                ),
            );
        }
        w.push(until, Ev::Wake);
    }
}
