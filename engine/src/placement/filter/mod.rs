//! The filter stages of placement, one file each, in ECS's order (`task-placement.md`, "When
//! Amazon ECS places tasks, it uses the following process"): first whether the instance can be
//! used at all ([`eligibility`]), then the task's resources ([`resources`]: CPU, memory, GPU;
//! [`ports`]: host ports; [`eni`]: an ENI for `awsvpc`), then the constraints
//! ([`distinct_instance`], [`member_of`]). Each stage is a pure function that returns the first
//! [`Rejection`] it finds, in words a person can act on; [`pipeline`](super::pipeline) runs
//! them in order for placing, explaining and keeping tasks, so those can never disagree.

pub mod distinct_instance;
pub mod eligibility;
pub mod eni;
pub mod member_of;
pub mod ports;
pub mod resources;

use crate::cql::Expr;
use crate::plan::Protocol;
use serde::Serialize;
use std::fmt;

pub use ports::MAX_RESERVED_PORTS;

/// Where in the pipeline an instance was ruled out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Stage {
    /// Not a candidate for this task at all (status, agent, launch type, capacity provider).
    Eligibility,
    Resources,
    Constraints,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Eligibility => "eligibility",
            Stage::Resources => "resources",
            Stage::Constraints => "constraints",
        })
    }
}

/// Why an instance cannot take a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    Draining,
    AgentDisconnected,
    /// The task goes to a capacity provider this instance is not part of.
    OtherCapacityProvider {
        instance: Option<String>,
        wanted: String,
    },
    Cpu {
        need: u32,
        free: u32,
    },
    Memory {
        need: u32,
        free: u32,
    },
    Gpu {
        need: u32,
        free: u32,
    },
    PortInUse {
        port: u16,
        protocol: Protocol,
        by: Option<String>,
    },
    TooManyReservedPorts {
        have: usize,
        need: usize,
    },
    NoDynamicPorts {
        need: u32,
        free: u32,
    },
    NoEni {
        used: u32,
        slots: u32,
        trunking: bool,
        instance_type: String,
    },
    DistinctInstance {
        other: String,
    },
    MemberOf {
        expression: String,
        why: String,
    },
}

impl Rejection {
    pub fn stage(&self) -> Stage {
        use Rejection::*;
        match self {
            Draining | AgentDisconnected | OtherCapacityProvider { .. } => Stage::Eligibility,
            Cpu { .. }
            | Memory { .. }
            | Gpu { .. }
            | PortInUse { .. }
            | TooManyReservedPorts { .. }
            | NoDynamicPorts { .. }
            | NoEni { .. } => Stage::Resources,
            DistinctInstance { .. } | MemberOf { .. } => Stage::Constraints,
        }
    }

    /// The reason as ECS's RunTask `failures[].reason` would name it.
    pub fn ecs_code(&self) -> &'static str {
        use Rejection::*;
        match self {
            Draining | AgentDisconnected | OtherCapacityProvider { .. } => "INACTIVE",
            Cpu { .. } => "RESOURCE:CPU",
            Memory { .. } => "RESOURCE:MEMORY",
            Gpu { .. } => "RESOURCE:GPU",
            PortInUse {
                protocol: Protocol::Udp,
                ..
            } => "RESOURCE:PORTS_UDP",
            PortInUse { .. } | TooManyReservedPorts { .. } | NoDynamicPorts { .. } => {
                "RESOURCE:PORTS"
            }
            NoEni { .. } => "RESOURCE:ENI",
            DistinctInstance { .. } => "DistinctInstance placement constraint unsatisfied",
            MemberOf { .. } => "MemberOf placement constraint unsatisfied",
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Rejection::*;
        match self {
            Draining => write!(f, "instance is DRAINING: it takes no new tasks"),
            AgentDisconnected => write!(f, "container agent is disconnected: the instance takes no tasks"),
            OtherCapacityProvider { instance: Some(cp), wanted } => {
                write!(f, "capacity provider: instance belongs to {cp}; this task goes to {wanted}")
            }
            OtherCapacityProvider { instance: None, wanted } => {
                write!(f, "capacity provider: instance belongs to no capacity provider; this task goes to {wanted}")
            }
            Cpu { need, free } => write!(f, "cpu: needs {need} units, {free} free"),
            Memory { need, free } => write!(f, "memory: needs {need} MiB, {free} MiB free"),
            Gpu { need, free } => write!(f, "gpu: needs {need}, {free} free"),
            PortInUse { port, protocol, by: Some(task) } => {
                write!(f, "port {port}/{} already bound by {task}", proto(*protocol))
            }
            PortInUse { port, protocol, by: None } => {
                write!(f, "port {port}/{} is reserved on the instance (ECS_RESERVED_PORTS)", proto(*protocol))
            }
            TooManyReservedPorts { have, need } => write!(
                f,
                "ports: {have} host ports already reserved, {need} more would pass the limit of {MAX_RESERVED_PORTS}"
            ),
            NoDynamicPorts { need, free } => write!(f, "ports: needs {need} dynamic host ports, {free} left in the ephemeral range"),
            NoEni { used, slots, trunking, instance_type } => write!(
                f,
                "eni: {used} of {slots} awsvpc task slots used ({instance_type}, {})",
                if *trunking { "ENI trunking on" } else { "no ENI trunking" }
            ),
            DistinctInstance { other } => write!(f, "distinctInstance: already runs {other}"),
            MemberOf { why, .. } => write!(f, "memberOf: {why}"),
        }
    }
}

fn proto(p: Protocol) -> &'static str {
    match p {
        Protocol::Tcp => "tcp",
        Protocol::Udp => "udp",
    }
}

/// A placement constraint, ready to evaluate.
#[derive(Debug, Clone)]
pub enum Constraint {
    /// `distinctInstance`: no two tasks of the group on one instance.
    DistinctInstance,
    /// `memberOf`: only instances the cluster query expression selects.
    MemberOf {
        /// The expression as written.
        source: String,
        /// The expression, parsed.
        expr: Expr,
    },
}

impl Constraint {
    /// Whether the outcome can change as tasks land (then it cannot be cached per instance).
    pub fn is_dynamic(&self) -> bool {
        match self {
            Constraint::DistinctInstance => true,
            Constraint::MemberOf { expr, .. } => expr.depends_on_placed_tasks(),
        }
    }

    /// The constraint as explanations show it (`memberOf(attribute:ecs.instance-type =~ t3.*)`).
    pub fn describe(&self) -> String {
        match self {
            Constraint::DistinctInstance => "distinctInstance".to_string(),
            Constraint::MemberOf { source, .. } => format!("memberOf({source})"),
        }
    }
}
