//! The filter stages of placement, in ECS's order (`task-placement.md`): first whether the
//! instance can be used at all, then resources (CPU, memory, GPU, ports, ENIs), then
//! constraints (`distinctInstance`, `memberOf`). Each check returns the first reason that rules
//! the instance out, in words a person can act on; the same functions place tasks and explain
//! placements, so the two can never disagree.

use super::demand::Demand;
use super::state::{Groups, PortOwner, Usage};
use crate::cluster::Node;
use crate::cql::{Expr, InstanceFacts};
use crate::plan::{InstanceStatus, NetworkMode, Protocol};
use serde::Serialize;
use std::fmt;

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

/// An instance holds at most this many reserved host ports (`task_definition_parameters.md`,
/// hostPort: 100 including the agent's defaults; dynamic ports do not count).
pub const MAX_RESERVED_PORTS: usize = 100;

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

/// Eligibility: whether the instance can take this task at all.
pub fn eligibility(node: &Node, provider: Option<&str>) -> Result<(), Rejection> {
    if node.status == InstanceStatus::Draining {
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

/// Resources: CPU, memory, GPU, host ports and ENIs, in that order. `name_of` turns a task
/// index into its id for port conflicts.
pub fn resources(
    node: &Node,
    u: &Usage,
    d: &Demand,
    name_of: &dyn Fn(u32) -> String,
) -> Result<(), Rejection> {
    let free_cpu = node.registered.cpu.saturating_sub(u.cpu);
    if d.cpu > free_cpu {
        return Err(Rejection::Cpu {
            need: d.cpu,
            free: free_cpu,
        });
    }
    let free_mem = node.registered.memory_mib.saturating_sub(u.memory);
    if d.memory > free_mem {
        return Err(Rejection::Memory {
            need: d.memory,
            free: free_mem,
        });
    }
    let free_gpu = node.registered.gpus.saturating_sub(u.gpus);
    if d.gpus > free_gpu {
        return Err(Rejection::Gpu {
            need: d.gpus,
            free: free_gpu,
        });
    }
    for p in &d.static_ports {
        if let Some(owner) = u.ports.get(p) {
            return Err(Rejection::PortInUse {
                port: p.0,
                protocol: p.1,
                by: match owner {
                    PortOwner::Reserved => None,
                    PortOwner::Task(t) => Some(name_of(*t)),
                },
            });
        }
    }
    if !d.static_ports.is_empty()
        && u.reserved_port_count() + d.static_ports.len() > MAX_RESERVED_PORTS
    {
        return Err(Rejection::TooManyReservedPorts {
            have: u.reserved_port_count(),
            need: d.static_ports.len(),
        });
    }
    if d.dynamic_ports > 0 {
        let free = node.dynamic_port_count().saturating_sub(u.dynamic_ports);
        if d.dynamic_ports > free {
            return Err(Rejection::NoDynamicPorts {
                need: d.dynamic_ports,
                free,
            });
        }
    }
    if d.needs_eni && d.network_mode == NetworkMode::Awsvpc && u.enis >= node.eni_slots {
        return Err(Rejection::NoEni {
            used: u.enis,
            slots: node.eni_slots,
            trunking: node.eni_trunking,
            instance_type: node.instance_type.clone(),
        });
    }
    Ok(())
}

/// A placement constraint, ready to evaluate.
#[derive(Debug, Clone)]
pub enum Constraint {
    DistinctInstance,
    MemberOf { source: String, expr: Expr },
}

impl Constraint {
    /// Whether the outcome can change as tasks land (then it cannot be cached per instance).
    pub fn is_dynamic(&self) -> bool {
        match self {
            Constraint::DistinctInstance => true,
            Constraint::MemberOf { expr, .. } => expr.depends_on_placed_tasks(),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Constraint::DistinctInstance => "distinctInstance".to_string(),
            Constraint::MemberOf { source, .. } => format!("memberOf({source})"),
        }
    }
}

/// What the query language sees of an instance during placement.
pub struct Facts<'a> {
    pub node: &'a Node,
    pub usage: &'a Usage,
    pub groups: &'a Groups,
}

impl InstanceFacts for Facts<'_> {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.node.attribute(name)
    }
    fn ec2_instance_id(&self) -> &str {
        &self.node.id
    }
    fn registered_at(&self) -> Option<&str> {
        self.node.registered_at.as_deref()
    }
    fn running_tasks_count(&self) -> u32 {
        self.usage.tasks.len() as u32
    }
    fn agent_connected(&self) -> bool {
        self.node.agent_connected
    }
    fn agent_version(&self) -> Option<&str> {
        self.node.agent_version.as_deref()
    }
    fn has_task_group(&self, group: &str) -> bool {
        self.groups
            .get(group)
            .is_some_and(|g| self.usage.group_count(g) > 0)
    }
}

/// Constraints: all must hold (`task-placement-constraints.md`).
pub fn constraints(
    node: &Node,
    u: &Usage,
    group: u32,
    list: &[Constraint],
    groups: &Groups,
    name_of: &dyn Fn(u32) -> String,
    group_of: &dyn Fn(u32) -> u32,
) -> Result<(), Rejection> {
    for c in list {
        match c {
            Constraint::DistinctInstance => {
                if u.group_count(group) > 0 {
                    let other = u
                        .tasks
                        .iter()
                        .rev()
                        .find(|t| group_of(**t) == group)
                        .copied()
                        .unwrap_or(0);
                    return Err(Rejection::DistinctInstance {
                        other: name_of(other),
                    });
                }
            }
            Constraint::MemberOf { source, expr } => {
                let facts = Facts {
                    node,
                    usage: u,
                    groups,
                };
                if !expr.eval(&facts) {
                    let why = expr
                        .explain_false(&facts)
                        .unwrap_or_else(|| format!("{source} is false"));
                    return Err(Rejection::MemberOf {
                        expression: source.clone(),
                        why,
                    });
                }
            }
        }
    }
    Ok(())
}
