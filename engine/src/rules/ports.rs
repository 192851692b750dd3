//! Port mappings: what each network mode allows, and ports that collide
//! (`task_definition_parameters.md`, "Network mode" and "Port mappings").

use super::{finding, Facts};
use crate::findings::{Finding, JsonPath};
use crate::plan::{NetworkMode, Protocol};
use std::collections::HashMap;

/// Host ports the container agent reserves by default (`ECS_RESERVED_PORTS`, plus 51680 that
/// the guide lists).
pub const DEFAULT_RESERVED: [u32; 6] = [22, 2375, 2376, 51678, 51679, 51680];
/// Where dynamic host ports come from: Amazon Linux's `ip_local_port_range`, and Docker's
/// fallback range.
pub const EPHEMERAL: [(u32, u32); 2] = [(32768, 60999), (49153, 65535)];

fn proto_name(p: Protocol) -> &'static str {
    match p {
        Protocol::Tcp => "tcp",
        Protocol::Udp => "udp",
    }
}

/// `FIRST-LAST` with 1 ≤ FIRST < LAST ≤ 65535.
fn parse_range(s: &str) -> Option<(u32, u32)> {
    let (a, b) = s.split_once('-')?;
    let (a, b) = (a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?);
    (a >= 1 && a < b && b <= 65535).then_some((a, b))
}

pub(super) fn check(f: &Facts, out: &mut Vec<Finding>) {
    // Host-side ports taken by the task: (port, protocol) → where.
    let mut host_ports: HashMap<(u32, Protocol), JsonPath> = HashMap::new();
    for (_, c, p) in f.containers() {
        if c.port_mappings.is_empty() {
            continue;
        }
        if f.mode == NetworkMode::None {
            out.push(finding(
                "port-mappings-network-none",
                p.key("portMappings"),
                format!("container \"{}\" maps ports, but the network mode none gives the task no network to map them to", c.name),
                "remove the port mappings, or use the awsvpc or bridge network mode",
            ));
            continue;
        }
        let mut container_ports: HashMap<(u32, Protocol), usize> = HashMap::new();
        for (j, pm) in c.port_mappings.iter().enumerate() {
            let mp = p.key("portMappings").index(j);
            let proto = pm.protocol.unwrap_or_default();
            let range = pm.extra.get("containerPortRange").and_then(|v| v.as_str());
            if let Some(r) = range {
                range_mapping(f, c.name.as_str(), r, pm.host_port, &mp, out);
            }
            let Some(cp) = pm.container_port else {
                if range.is_none() {
                    out.push(finding(
                        "container-port-missing",
                        mp.clone(),
                        format!(
                            "container \"{}\": port mapping {j} has no containerPort",
                            c.name
                        ),
                        "add \"containerPort\": the port the application listens on",
                    ));
                }
                continue;
            };
            if !(1..=65535).contains(&cp) {
                out.push(finding(
                    "port-out-of-range",
                    mp.key("containerPort"),
                    format!(
                        "container \"{}\": containerPort {cp} is not a port (1-65535)",
                        c.name
                    ),
                    "use the port the application listens on, from 1 to 65535",
                ));
                continue;
            }
            if let Some(prev) = container_ports.insert((cp, proto), j) {
                out.push(finding(
                    "duplicate-port-mapping",
                    mp.key("containerPort"),
                    format!(
                        "container \"{}\" maps {cp}/{} twice (port mappings {prev} and {j})",
                        c.name,
                        proto_name(proto)
                    ),
                    "remove the duplicate port mapping",
                ));
                continue;
            }
            if f.windows() && f.fargate && cp == 3150 {
                out.push(finding(
                    "fargate-windows-unsupported",
                    mp.key("containerPort"),
                    format!(
                        "container \"{}\": port 3150 is reserved on Windows containers on Fargate",
                        c.name
                    ),
                    "listen on another port",
                ));
            }
            let host = match (f.mode, pm.host_port) {
                (NetworkMode::Awsvpc | NetworkMode::Host, Some(h)) if h != cp => {
                    let mode = if f.mode == NetworkMode::Awsvpc {
                        "awsvpc"
                    } else {
                        "host"
                    };
                    out.push(finding(
                        "host-port-mismatch",
                        mp.key("hostPort"),
                        format!(
                            "container \"{}\": hostPort {h} differs from containerPort {cp}; in {mode} mode the container's port is the {} port",
                            c.name,
                            if mode == "awsvpc" { "task's network interface" } else { "instance's" }
                        ),
                        format!("set hostPort to {cp} or remove it"),
                    ));
                    None
                }
                (NetworkMode::Awsvpc | NetworkMode::Host, _) => Some(cp),
                (_, Some(h)) if h > 65535 => {
                    out.push(finding(
                        "port-out-of-range",
                        mp.key("hostPort"),
                        format!("container \"{}\": hostPort {h} is not a port (1-65535, or 0 for a dynamic port)", c.name),
                        "use 0 or leave hostPort out for a dynamic port, or a port from 1 to 65535",
                    ));
                    None
                }
                (_, Some(h)) if h > 0 => {
                    static_host_port(c.name.as_str(), h, &mp, out);
                    Some(h)
                }
                _ => None,
            };
            if let Some(h) = host {
                match host_ports.get(&(h, proto)) {
                    Some(first) => out.push(finding(
                        "duplicate-host-port",
                        mp.key(if pm.host_port.is_some() { "hostPort" } else { "containerPort" }),
                        format!(
                            "host port {h}/{} is already taken by {first}; two containers of one task cannot listen on the same {} port",
                            proto_name(proto),
                            if f.mode == NetworkMode::Bridge { "host" } else { "task" }
                        ),
                        if f.mode == NetworkMode::Bridge {
                            "use another hostPort, or 0 for a dynamic port".to_string()
                        } else {
                            "make one of the containers listen on another port".to_string()
                        },
                    )),
                    None => {
                        host_ports.insert((h, proto), mp.clone());
                    }
                }
            }
        }
    }
}

fn static_host_port(container: &str, h: u32, mp: &JsonPath, out: &mut Vec<Finding>) {
    if DEFAULT_RESERVED.contains(&h) {
        out.push(finding(
            "reserved-host-port",
            mp.key("hostPort"),
            format!(
                "container \"{container}\": host port {h} is reserved by the ECS agent's defaults (22, 2375, 2376, 51678-51680), so the task fits no instance unless ECS_RESERVED_PORTS is changed"
            ),
            "use another host port, or 0 for a dynamic port",
        ));
    } else if let Some((lo, hi)) = EPHEMERAL.iter().find(|(lo, hi)| (*lo..=*hi).contains(&h)) {
        out.push(finding(
            "ephemeral-host-port",
            mp.key("hostPort"),
            format!(
                "container \"{container}\": static host port {h} is inside the ephemeral range {lo}-{hi} that Docker hands out dynamically; it can clash with dynamic ports"
            ),
            "use a port below 32768, or 0 for a dynamic port",
        ));
    }
}

fn range_mapping(
    f: &Facts,
    container: &str,
    r: &str,
    host_port: Option<u32>,
    mp: &JsonPath,
    out: &mut Vec<Finding>,
) {
    if parse_range(r).is_none() {
        out.push(finding(
            "container-port-range",
            mp.key("containerPortRange"),
            format!("container \"{container}\": containerPortRange \"{r}\" is not FIRST-LAST with 1 <= FIRST < LAST <= 65535"),
            "write it like \"8000-8099\"",
        ));
    }
    if !matches!(f.mode, NetworkMode::Bridge | NetworkMode::Awsvpc) {
        out.push(finding(
            "container-port-range",
            mp.key("containerPortRange"),
            format!("container \"{container}\": port ranges work only with the bridge and awsvpc network modes"),
            "use single port mappings, or change the network mode",
        ));
    }
    if host_port.is_some() {
        out.push(finding(
            "container-port-range",
            mp.key("hostPort"),
            format!("container \"{container}\": with containerPortRange, ECS chooses the host ports; hostPort must be left out"),
            "remove hostPort",
        ));
    }
}
