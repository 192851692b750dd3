//! `binpack` on `cpu` or `memory` (`task-placement-strategies.md`, "Strategy types": "Tasks are
//! placed on container instances so as to leave the least amount of unused CPU or memory").
//!
//! - Placement value: `registered − reserved` of the resource on the instance before the task
//!   lands; lower ranks first, so the fullest instance that still fits the task wins and the
//!   cluster uses as few instances as it can.
//! - Scale-in value: `−(registered − reserved + the task's need)`, the free amount once the task
//!   stops, negated: "The container instance that has the most available resources left after
//!   task termination has that task terminated".

use crate::cluster::Node;
use crate::placement::demand::Demand;
use crate::placement::state::Usage;

/// The resource a binpack strategy packs (its `field`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Cpu,
    Memory,
}

/// The resource left on the instance.
fn free(node: &Node, used: &Usage, r: Resource) -> u32 {
    match r {
        Resource::Cpu => node.registered.cpu.saturating_sub(used.cpu),
        Resource::Memory => node.registered.memory_mib.saturating_sub(used.memory),
    }
}

/// The placement value: the resource left before the task lands (least first).
pub fn value(node: &Node, used: &Usage, r: Resource) -> i64 {
    free(node, used, r) as i64
}

/// The scale-in value: the resource left once the task stops, negated (most stopped first).
pub fn stop_value(node: &Node, used: &Usage, need: &Demand, r: Resource) -> i64 {
    let need = match r {
        Resource::Cpu => need.cpu,
        Resource::Memory => need.memory,
    };
    -(free(node, used, r) as i64 + need as i64)
}

/// `1536 cpu units free`, `4096 MiB free`.
pub fn describe(value: i64, r: Resource) -> String {
    match r {
        Resource::Cpu => format!("{value} cpu units free"),
        Resource::Memory => format!("{value} MiB free"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::table_tests::{need, node, usage};

    #[test]
    fn binpack_table() {
        // task-placement-strategies.md, binpack: "leave the least amount of unused CPU or
        // memory"; on scale-in, "the most available resources left after task termination".
        struct Case {
            name: &'static str,
            instance: &'static str,
            running: Vec<Demand>,
            resource: Resource,
            value: i64,
            /// Stopping a task needing 512 units / 1024 MiB.
            stop_value: i64,
        }
        let cases = [
            Case {
                // 2048 − 0 = 2048 units; stopping: −(2048 + 512).
                name: "an empty m5.large, cpu",
                instance: "m5",
                running: vec![],
                resource: Resource::Cpu,
                value: 2048,
                stop_value: -2560,
            },
            Case {
                // 2048 − (512 + 1024) = 512; stopping: −(512 + 512) = −1024.
                name: "an m5.large with 1536 units reserved, cpu",
                instance: "m5",
                running: vec![need().cpu(512), need().cpu(1024)],
                resource: Resource::Cpu,
                value: 512,
                stop_value: -1024,
            },
            Case {
                // 7866 − 4096 = 3770 MiB; stopping: −(3770 + 1024) = −4794.
                name: "an m5.large with 4 GiB reserved, memory",
                instance: "m5",
                running: vec![need().memory(4096)],
                resource: Resource::Memory,
                value: 3770,
                stop_value: -4794,
            },
            Case {
                // 1914 − 1024 = 890 MiB: fuller than the m5.large, so ranked before it.
                name: "a t3.small with 1 GiB reserved, memory",
                instance: "t3",
                running: vec![need().memory(1024)],
                resource: Resource::Memory,
                value: 890,
                stop_value: -1914,
            },
        ];
        let stopping = need().cpu(512).memory(1024);
        for c in cases {
            let (_, n) = node(c.instance);
            let running: Vec<(u32, u32, &Demand)> = c
                .running
                .iter()
                .enumerate()
                .map(|(t, d)| (t as u32, 0, d))
                .collect();
            let u = usage(c.instance, &running);
            assert_eq!(value(&n, &u, c.resource), c.value, "{}", c.name);
            assert_eq!(
                stop_value(&n, &u, &stopping, c.resource),
                c.stop_value,
                "{}",
                c.name
            );
        }
    }
}
