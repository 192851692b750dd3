//! Stage 2a, resources: CPU, memory and GPUs (`task-placement.md`, step 1: "Identify the
//! instances that satisfy the CPU, GPU, memory, and port requirements in the task
//! definition").
//!
//! For each resource, in this order: `need ≤ registered − reserved`, where `registered` is
//! what the instance registered with ECS (`cluster::resolve`: vCPUs × 1024 units, memory
//! after `ECS_RESERVED_MEMORY`, `memory-management.md`), `reserved` the sum of what the tasks
//! already on it reserve, and `need` what this task reserves ([`Demand`]: the task-level `cpu` and
//! `memory` when set, else the containers' `cpu` and `memoryReservation` or `memory`,
//! `task_definition_parameters.md` "Task size" and "Memory"; GPUs from `resourceRequirements`,
//! "The number of GPUs reserved for all containers in a task must not exceed the number of
//! available GPUs on the container instance"). The first resource short decides the reason
//! (`RESOURCE:CPU`, `RESOURCE:MEMORY`, `RESOURCE:GPU`).

use super::Rejection;
use crate::cluster::Node;
use crate::placement::demand::Demand;
use crate::placement::state::Usage;

/// CPU, then memory, then GPUs.
#[inline]
pub fn check(node: &Node, used: &Usage, need: &Demand) -> Result<(), Rejection> {
    let free_cpu = node.registered.cpu.saturating_sub(used.cpu);
    if need.cpu > free_cpu {
        return Err(Rejection::Cpu {
            need: need.cpu,
            free: free_cpu,
        });
    }
    let free_mem = node.registered.memory_mib.saturating_sub(used.memory);
    if need.memory > free_mem {
        return Err(Rejection::Memory {
            need: need.memory,
            free: free_mem,
        });
    }
    let free_gpu = node.registered.gpus.saturating_sub(used.gpus);
    if need.gpus > free_gpu {
        return Err(Rejection::Gpu {
            need: need.gpus,
            free: free_gpu,
        });
    }
    Ok(())
}

/// [`check`]'s verdict without its reason: the index asks it of every candidate instance.
#[inline]
pub fn fits(node: &Node, used: &Usage, need: &Demand) -> bool {
    need.cpu <= node.registered.cpu.saturating_sub(used.cpu)
        && need.memory <= node.registered.memory_mib.saturating_sub(used.memory)
        && need.gpus <= node.registered.gpus.saturating_sub(used.gpus)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::table_tests::{need, node, usage};

    #[test]
    fn resources_table() {
        struct Case {
            name: &'static str,
            instance: &'static str,
            running: Vec<Demand>,
            need: Demand,
            want: Result<(), (&'static str, &'static str)>,
        }
        let cases = [
            Case {
                // m5.large: 2048 units, 7866 MiB; 1024 + 4096 fit.
                name: "a task that fits an empty m5.large",
                instance: "m5",
                running: vec![],
                need: need().cpu(1024).memory(4096),
                want: Ok(()),
            },
            Case {
                // 2048 − 0 = 2048 units free: exactly enough.
                name: "all the CPU is enough",
                instance: "m5",
                running: vec![],
                need: need().cpu(2048).memory(128),
                want: Ok(()),
            },
            Case {
                // 2048 − 1536 = 512 free < 1024.
                name: "CPU is short once other tasks reserved it",
                instance: "m5",
                running: vec![need().cpu(1024), need().cpu(512)],
                need: need().cpu(1024),
                want: Err(("RESOURCE:CPU", "cpu: needs 1024 units, 512 free")),
            },
            Case {
                // memory-management.md: the instance registers less than the type's memory.
                name: "an 8 GiB task does not fit the 7866 MiB an m5.large registers",
                instance: "m5",
                running: vec![],
                need: need().cpu(256).memory(8192),
                want: Err(("RESOURCE:MEMORY", "memory: needs 8192 MiB, 7866 MiB free")),
            },
            Case {
                // 1914 − 1024 = 890 MiB free.
                name: "memory is short on a t3.small after one task",
                instance: "t3",
                running: vec![need().memory(1024)],
                need: need().memory(1024),
                want: Err(("RESOURCE:MEMORY", "memory: needs 1024 MiB, 890 MiB free")),
            },
            Case {
                name: "CPU is the first reason when both are short",
                instance: "t3",
                running: vec![],
                need: need().cpu(4096).memory(4096),
                want: Err(("RESOURCE:CPU", "cpu: needs 4096 units, 2048 free")),
            },
            Case {
                // task_definition_parameters.md, GPU: no more than the instance has.
                name: "a GPU task on a g4dn.xlarge",
                instance: "gpu",
                running: vec![],
                need: need().cpu(1024).memory(4096).gpus(1),
                want: Ok(()),
            },
            Case {
                name: "its only GPU is taken",
                instance: "gpu",
                running: vec![need().gpus(1)],
                need: need().gpus(1),
                want: Err(("RESOURCE:GPU", "gpu: needs 1, 0 free")),
            },
            Case {
                name: "no GPU on an m5.large",
                instance: "m5",
                running: vec![],
                need: need().gpus(1),
                want: Err(("RESOURCE:GPU", "gpu: needs 1, 0 free")),
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
            let got = check(&n, &u, &c.need).map_err(|r| (r.ecs_code(), r.to_string()));
            assert_eq!(fits(&n, &u, &c.need), got.is_ok(), "fits: {}", c.name);
            let want = c.want.map_err(|(code, text)| (code, text.to_string()));
            assert_eq!(got, want, "{}", c.name);
        }
    }
}
