//! Stage 2b, host ports (`task_definition_parameters.md`, "Port mappings", `hostPort`):
//!
//! - a static host port (bridge `hostPort` > 0, or host mode's port) is free: not one of the
//!   agent's reserved ports (22, 2375, 2376, 51678, 51679 by default, `ECS_RESERVED_PORTS`)
//!   and not bound by a running task ("Any host port that was previously user-specified for a
//!   running task is also reserved while the task is running"), per protocol;
//! - `reserved + static ≤ 100` ("a container instance might have up to 100 reserved ports at a
//!   time, including the default reserved ports"; dynamic ports do not count);
//! - `dynamic ≤ range − taken`: each mapping without a host port takes one port of the
//!   instance's ephemeral range (`ECS_DYNAMIC_HOST_PORT_RANGE`, 32768–60999 by default).
//!
//! Reasons: `RESOURCE:PORTS` (`RESOURCE:PORTS_UDP` for a UDP port in use), with the task that
//! holds the port.

use super::Rejection;
use crate::cluster::Node;
use crate::placement::demand::Demand;
use crate::placement::state::{PortOwner, Usage};
use crate::placement::TaskIx;

/// An instance holds at most this many reserved host ports (`task_definition_parameters.md`,
/// hostPort: 100 including the agent's defaults; dynamic ports do not count).
pub const MAX_RESERVED_PORTS: usize = 100;

/// Static ports, the reserved-port limit, then dynamic ports. `name_of` names the task (by
/// index) that holds a port.
#[inline]
pub fn check(
    node: &Node,
    used: &Usage,
    need: &Demand,
    name_of: &dyn Fn(TaskIx) -> String,
) -> Result<(), Rejection> {
    for p in &need.static_ports {
        if let Some(owner) = used.ports.get(p) {
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
    if !need.static_ports.is_empty()
        && used.reserved_port_count() + need.static_ports.len() > MAX_RESERVED_PORTS
    {
        return Err(Rejection::TooManyReservedPorts {
            have: used.reserved_port_count(),
            need: need.static_ports.len(),
        });
    }
    if need.dynamic_ports > 0 {
        let free = node.dynamic_port_count().saturating_sub(used.dynamic_ports);
        if need.dynamic_ports > free {
            return Err(Rejection::NoDynamicPorts {
                need: need.dynamic_ports,
                free,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::table_tests::{name, need, node, usage};

    #[test]
    fn ports_table() {
        struct Case {
            name: &'static str,
            instance: &'static str,
            running: Vec<Demand>,
            need: Demand,
            want: Result<(), (&'static str, &'static str)>,
        }
        // 95 static ports (8000..8095) bound by running tasks: with the agent's 5 reserved
        // ports, the instance is at its limit of 100.
        let many = (0..95u16).fold(need(), |d, i| d.port(8000 + i));
        let cases = [
            Case {
                name: "a free static port",
                instance: "m5",
                running: vec![],
                need: need().port(80),
                want: Ok(()),
            },
            Case {
                // hostPort: a port a running task specified stays reserved while it runs.
                name: "port 80 bound by a running task",
                instance: "m5",
                running: vec![need().port(80)],
                need: need().port(80),
                want: Err(("RESOURCE:PORTS", "port 80/tcp already bound by web-1")),
            },
            Case {
                name: "the same number over UDP is another port",
                instance: "m5",
                running: vec![need().port(53)],
                need: need().udp_port(53),
                want: Ok(()),
            },
            Case {
                name: "a UDP port in use is RESOURCE:PORTS_UDP",
                instance: "m5",
                running: vec![need().port(80), need().udp_port(53)],
                need: need().udp_port(53),
                want: Err(("RESOURCE:PORTS_UDP", "port 53/udp already bound by web-2")),
            },
            Case {
                // hostPort: "The default reserved ports are 22 for SSH, the Docker ports 2375
                // and 2376, and the Amazon ECS container agent ports".
                name: "the agent's reserved SSH port",
                instance: "m5",
                running: vec![],
                need: need().port(22),
                want: Err((
                    "RESOURCE:PORTS",
                    "port 22/tcp is reserved on the instance (ECS_RESERVED_PORTS)",
                )),
            },
            Case {
                name: "a UDP port the instance reserves (ECS_RESERVED_PORTS_UDP)",
                instance: "udp-reserved",
                running: vec![],
                need: need().udp_port(53),
                want: Err((
                    "RESOURCE:PORTS_UDP",
                    "port 53/udp is reserved on the instance (ECS_RESERVED_PORTS)",
                )),
            },
            Case {
                // hostPort: "up to 100 reserved ports at a time, including the default
                // reserved ports": 5 + 95 = 100, one more is too many.
                name: "the 101st reserved port",
                instance: "m5",
                running: vec![many.clone()],
                need: need().port(9000),
                want: Err((
                    "RESOURCE:PORTS",
                    "ports: 100 host ports already reserved, 1 more would pass the limit of 100",
                )),
            },
            Case {
                // "Automatically assigned ports do not count toward the 100 reserved ports
                // limit."
                name: "dynamic ports do not count toward the 100",
                instance: "m5",
                running: vec![many],
                need: need().dynamic_ports(3),
                want: Ok(()),
            },
            Case {
                // ECS_DYNAMIC_HOST_PORT_RANGE 50000-50001: two ports, one taken.
                name: "the ephemeral range runs out",
                instance: "two-ports",
                running: vec![need().dynamic_ports(1)],
                need: need().dynamic_ports(2),
                want: Err((
                    "RESOURCE:PORTS",
                    "ports: needs 2 dynamic host ports, 1 left in the ephemeral range",
                )),
            },
            Case {
                name: "the last port of the range",
                instance: "two-ports",
                running: vec![need().dynamic_ports(1)],
                need: need().dynamic_ports(1),
                want: Ok(()),
            },
        ];
        for c in cases {
            let (_, n) = node(c.instance);
            let running: Vec<(u32, u32, &Demand)> = c
                .running
                .iter()
                .enumerate()
                .map(|(t, d)| (t as u32, 0, d))
                .collect();
            let u = usage(c.instance, &running);
            let got = check(&n, &u, &c.need, &name).map_err(|r| (r.ecs_code(), r.to_string()));
            let want = c.want.map_err(|(code, text)| (code, text.to_string()));
            assert_eq!(got, want, "{}", c.name);
        }
    }
}
