//! What one task needs from a container instance, computed from its task definition the way
//! ECS reserves resources (`task-placement.md`, `memory-management.md`,
//! `task_definition_parameters.md`, `task-networking-*.md`).
//!
//! - CPU: the task-level `cpu` when set, else the sum of the containers' `cpu` (a container
//!   without `cpu` reserves nothing for placement, even though Docker gives it 2 shares).
//! - Memory: the task-level `memory` when set, else the sum over containers of
//!   `memoryReservation` (the soft limit) or, without it, `memory` (the hard limit).
//! - GPUs: the containers' `resourceRequirements` of type `GPU`.
//! - Ports, by network mode: `bridge` binds each non-zero `hostPort` statically and takes a
//!   dynamic port from the ephemeral range for each mapping without one; `host` binds the
//!   container port itself; `awsvpc` binds nothing on the host but needs an ENI; `none` needs
//!   nothing.

use crate::plan::{units, NetworkMode, Protocol, TaskDefinition};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Demand {
    pub cpu: u32,
    pub memory: u32,
    pub gpus: u32,
    pub network_mode: NetworkMode,
    /// Host ports bound statically, with their protocol.
    pub static_ports: Vec<(u16, Protocol)>,
    /// Host ports taken from the dynamic (ephemeral) range.
    pub dynamic_ports: u32,
    /// The task needs its own ENI (`awsvpc` on EC2).
    pub needs_eni: bool,
}

impl Demand {
    /// The demand of a task definition; `fargate` forces `awsvpc` (Fargate's only mode).
    pub fn of(td: &TaskDefinition, fargate: bool) -> Demand {
        let network_mode = if fargate {
            NetworkMode::Awsvpc
        } else {
            td.network_mode.unwrap_or(NetworkMode::Bridge)
        };
        let cpu = td
            .cpu
            .as_deref()
            .and_then(units::cpu_units)
            .unwrap_or_else(|| {
                td.container_definitions
                    .iter()
                    .map(|c| c.cpu.unwrap_or(0).clamp(0, u32::MAX as i64) as u32)
                    .fold(0u32, u32::saturating_add)
            });
        let memory = td
            .memory
            .as_deref()
            .and_then(units::memory_mib)
            .unwrap_or_else(|| {
                td.container_definitions
                    .iter()
                    .map(|c| {
                        c.memory_reservation
                            .or(c.memory)
                            .unwrap_or(0)
                            .clamp(0, u32::MAX as i64) as u32
                    })
                    .fold(0u32, u32::saturating_add)
            });
        let gpus = td
            .container_definitions
            .iter()
            .flat_map(|c| &c.resource_requirements)
            .filter(|r| r.kind == "GPU")
            .filter_map(|r| r.value.trim().parse::<u32>().ok())
            .fold(0u32, u32::saturating_add);
        let mut static_ports = Vec::new();
        let mut dynamic_ports = 0u32;
        for c in &td.container_definitions {
            for pm in &c.port_mappings {
                let proto = pm.protocol.unwrap_or_default();
                let range = pm
                    .extra
                    .get("containerPortRange")
                    .and_then(|v| v.as_str())
                    .and_then(crate::cluster::parse_port_range);
                match network_mode {
                    NetworkMode::Bridge => match (pm.host_port, range) {
                        (Some(h), _) if h > 0 && h <= u16::MAX as u32 => {
                            static_ports.push((h as u16, proto))
                        }
                        (_, Some((a, b))) => dynamic_ports += (b - a) as u32 + 1,
                        _ => dynamic_ports += 1,
                    },
                    NetworkMode::Host => {
                        if let Some(p) = pm.host_port.filter(|h| *h > 0).or(pm.container_port) {
                            if p <= u16::MAX as u32 {
                                static_ports.push((p as u16, proto));
                            }
                        }
                    }
                    NetworkMode::Awsvpc | NetworkMode::None => {}
                }
            }
        }
        Demand {
            cpu,
            memory,
            gpus,
            network_mode,
            static_ports,
            dynamic_ports,
            needs_eni: network_mode == NetworkMode::Awsvpc && !fargate,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn td(v: serde_json::Value) -> TaskDefinition {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn memory_reservation_is_what_placement_reserves() {
        // task_definition_parameters.md, memoryReservation: the soft limit is reserved from the instance.
        let t = td(json!({"family": "a", "containerDefinitions": [
            {"name": "x", "memory": 300, "memoryReservation": 128},
            {"name": "y", "memory": 256}
        ]}));
        assert_eq!(Demand::of(&t, false).memory, 128 + 256);
    }

    #[test]
    fn task_level_size_wins_over_containers() {
        let t = td(
            json!({"family": "a", "cpu": "1 vCPU", "memory": "2GB", "containerDefinitions": [
                {"name": "x", "cpu": 256, "memory": 512}
            ]}),
        );
        let d = Demand::of(&t, false);
        assert_eq!((d.cpu, d.memory), (1024, 2048));
    }

    #[test]
    fn ports_by_network_mode() {
        // task_definition_parameters.md, portMappings/hostPort; task-networking-bridge.md.
        let mappings = json!([{"containerPort": 80, "hostPort": 80}, {"containerPort": 8080}, {"containerPort": 53, "hostPort": 0, "protocol": "udp"}]);
        let bridge = Demand::of(
            &td(
                json!({"family": "a", "networkMode": "bridge", "containerDefinitions": [{"name": "x", "portMappings": mappings}]}),
            ),
            false,
        );
        assert_eq!(bridge.static_ports, vec![(80, Protocol::Tcp)]);
        assert_eq!(bridge.dynamic_ports, 2);
        let host = Demand::of(
            &td(
                json!({"family": "a", "networkMode": "host", "containerDefinitions": [{"name": "x", "portMappings": mappings}]}),
            ),
            false,
        );
        assert_eq!(
            host.static_ports,
            vec![
                (80, Protocol::Tcp),
                (8080, Protocol::Tcp),
                (53, Protocol::Udp)
            ]
        );
        let vpc = Demand::of(
            &td(
                json!({"family": "a", "networkMode": "awsvpc", "containerDefinitions": [{"name": "x", "portMappings": mappings}]}),
            ),
            false,
        );
        assert!(vpc.static_ports.is_empty() && vpc.needs_eni);
        // no network mode on EC2 Linux means bridge
        let default = Demand::of(
            &td(
                json!({"family": "a", "containerDefinitions": [{"name": "x", "portMappings": mappings}]}),
            ),
            false,
        );
        assert_eq!(default.network_mode, NetworkMode::Bridge);
    }

    #[test]
    fn gpus_add_up() {
        let t = td(json!({"family": "a", "containerDefinitions": [
            {"name": "x", "resourceRequirements": [{"type": "GPU", "value": "1"}]},
            {"name": "y", "resourceRequirements": [{"type": "GPU", "value": "2"}]}
        ]}));
        assert_eq!(Demand::of(&t, false).gpus, 3);
    }
}
