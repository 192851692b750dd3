//! Stage 1, eligibility: whether the instance may take the task at all, before its resources
//! are looked at.
//!
//! - Only ACTIVE instances take new tasks: a DRAINING one takes none
//!   (`container-instance-draining.md`, in `ecs-semantics.md` §1.1: "Only instances with
//!   status ACTIVE are candidates"; `ecs_services.md`, "Daemon": "doesn't place any tasks on
//!   instances that have a `DRAINING` status").
//! - The container agent must be connected: ECS places through the agent
//!   (`cluster-query-language.md`, `agentConnected`).
//! - A task sent to an Auto Scaling group capacity provider runs only on that provider's
//!   instances (`cluster-capacity-providers.md`, "Capacity provider concepts"); a task with the
//!   EC2 launch type may use any instance.
//!
//! Formula: `status == ACTIVE ∧ agentConnected ∧ (provider = none ∨ instance.provider =
//! provider)`, checked in that order so the reason is the first that applies.
//!
//! A standalone (RunTask) task that already runs on an instance keeps running when it drains
//! (draining stops only service tasks, `container-instance-draining.md`): [`Ask::KeepStandalone`].

use super::Rejection;
use crate::cluster::Node;
use crate::plan::InstanceStatus;

/// What is asked of the instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// To start a task, or keep a service task: only an ACTIVE instance.
    Start,
    /// To keep a standalone task it already runs: a DRAINING instance does.
    KeepStandalone,
}

/// Eligibility: `Ok` when the instance may take (or keep) the task; `provider` is the capacity
/// provider the task was sent to, if any.
#[inline]
pub fn check(node: &Node, provider: Option<&str>, ask: Ask) -> Result<(), Rejection> {
    if node.status == InstanceStatus::Draining && ask == Ask::Start {
        return Err(Rejection::Draining);
    }
    if !node.agent_connected {
        return Err(Rejection::AgentDisconnected);
    }
    if let Some(wanted) = provider {
        if node.capacity_provider.as_deref() != Some(wanted) {
            return Err(Rejection::OtherCapacityProvider {
                instance: node.capacity_provider.clone(),
                wanted: wanted.to_string(),
            });
        }
    }
    Ok(())
}

/// [`check`]'s verdict without its reason (no allocation), for placing.
#[inline]
pub fn allows(node: &Node, provider: Option<&str>, ask: Ask) -> bool {
    !(node.status == InstanceStatus::Draining && ask == Ask::Start)
        && node.agent_connected
        && provider.is_none_or(|wanted| node.capacity_provider.as_deref() == Some(wanted))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::table_tests::node;

    #[test]
    fn eligibility_table() {
        struct Case {
            name: &'static str,
            instance: &'static str,
            provider: Option<&'static str>,
            ask: Ask,
            want: Result<(), &'static str>,
        }
        let cases = [
            Case {
                name: "an ACTIVE instance with its agent takes an EC2 task",
                instance: "m5",
                provider: None,
                ask: Ask::Start,
                want: Ok(()),
            },
            Case {
                // container-instance-draining.md (ecs-semantics.md §1.1): only ACTIVE instances.
                name: "a DRAINING instance takes no new task",
                instance: "draining",
                provider: None,
                ask: Ask::Start,
                want: Err("instance is DRAINING: it takes no new tasks"),
            },
            Case {
                name: "draining is the first reason when the agent is gone too",
                instance: "draining-disconnected",
                provider: None,
                ask: Ask::Start,
                want: Err("instance is DRAINING: it takes no new tasks"),
            },
            Case {
                // cluster-query-language.md, agentConnected.
                name: "an instance whose agent is disconnected takes nothing",
                instance: "disconnected",
                provider: None,
                ask: Ask::Start,
                want: Err("container agent is disconnected: the instance takes no tasks"),
            },
            Case {
                // container-instance-draining.md: draining does not stop standalone tasks.
                name: "a standalone task keeps running on a DRAINING instance",
                instance: "draining",
                provider: None,
                ask: Ask::KeepStandalone,
                want: Ok(()),
            },
            Case {
                name: "but not on one whose agent is gone",
                instance: "draining-disconnected",
                provider: None,
                ask: Ask::KeepStandalone,
                want: Err("container agent is disconnected: the instance takes no tasks"),
            },
            Case {
                // cluster-capacity-providers.md: a provider's tasks run on its instances.
                name: "a task for provider cp goes to cp's instance",
                instance: "in-cp",
                provider: Some("cp"),
                ask: Ask::Start,
                want: Ok(()),
            },
            Case {
                name: "not to an instance of no provider",
                instance: "m5",
                provider: Some("cp"),
                ask: Ask::Start,
                want: Err("capacity provider: instance belongs to no capacity provider; this task goes to cp"),
            },
            Case {
                name: "nor to another provider's instance",
                instance: "in-cp",
                provider: Some("other"),
                ask: Ask::Start,
                want: Err("capacity provider: instance belongs to cp; this task goes to other"),
            },
            Case {
                name: "an EC2 launch type task may use a provider's instance",
                instance: "in-cp",
                provider: None,
                ask: Ask::Start,
                want: Ok(()),
            },
        ];
        for c in cases {
            let (_, n) = node(c.instance);
            let got = check(&n, c.provider, c.ask).map_err(|r| r.to_string());
            assert_eq!(allows(&n, c.provider, c.ask), got.is_ok(), "{}", c.name);
            assert_eq!(got, c.want.map_err(str::to_string), "{}", c.name);
            if let Err(r) = check(&n, c.provider, c.ask) {
                assert_eq!(r.stage(), super::super::Stage::Eligibility, "{}", c.name);
                assert_eq!(r.ecs_code(), "INACTIVE", "{}", c.name);
            }
        }
    }
}
