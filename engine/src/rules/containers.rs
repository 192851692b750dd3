//! Containers and task size: how many containers, which are essential, CPU and memory at task
//! and container level, health checks, environment (`task_definition_parameters.md`, "Task
//! size", "Memory", "Environment", "Health check").

use super::{essential, finding, list, text, Facts};
use crate::findings::Finding;
use crate::plan::NetworkMode;
use std::collections::HashMap;

/// Containers per task definition (a fixed ECS quota).
pub const MAX_CONTAINERS: usize = 10;
/// The least memory a container may have, MiB (Docker 20.10 and later).
pub const MIN_CONTAINER_MEMORY_MIB: i64 = 6;
/// Task-level CPU units on EC2 and external instances (API model).
pub const EC2_TASK_CPU: (u32, u32) = (128, 196_608);

pub(super) fn check(f: &Facts, out: &mut Vec<Finding>) {
    count_and_essential(f, out);
    task_size(f, out);
    memory(f, out);
    cpu(f, out);
    health_checks(f, out);
    environment(f, out);
    awsvpc_parameters(f, out);
}

fn count_and_essential(f: &Facts, out: &mut Vec<Finding>) {
    let n = f.td.container_definitions.len();
    let p = f.path.key("containerDefinitions");
    if n == 0 {
        out.push(finding(
            "no-containers",
            p,
            format!("{} has no containers", f.label()),
            "add at least one container definition with a name and an image",
        ));
        return;
    }
    if n > MAX_CONTAINERS {
        out.push(finding(
            "too-many-containers",
            p.clone(),
            format!("{} has {n} containers; a task definition holds at most {MAX_CONTAINERS}", f.label()),
            "split the containers into several task definitions (components that scale together stay together)",
        ));
    }
    if !f.td.container_definitions.iter().any(essential) {
        out.push(finding(
            "no-essential-container",
            p.index(0).key("essential"),
            "every container is marked essential: false; a task needs at least one essential container",
            format!(
                "set \"essential\": true on the main container (\"{}\"), or remove \"essential\": false from it",
                f.td.container_definitions[0].name
            ),
        ));
    }
}

/// A whole number too big for the engine's units (beyond 32 bits), rather than a bad format.
fn too_large(raw: &str) -> bool {
    let t = raw.trim();
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

/// The user's text, cut short for a message (a pasted megabyte stays out of it).
fn short(raw: &str) -> String {
    if raw.chars().count() <= 40 {
        raw.to_string()
    } else {
        format!("{}…", raw.chars().take(40).collect::<String>())
    }
}

fn task_size(f: &Facts, out: &mut Vec<Finding>) {
    let td = f.td;
    if let Some(raw) = td.cpu.as_deref() {
        match f.cpu {
            None if too_large(raw) => out.push(finding(
                "task-size-format",
                f.path.key("cpu"),
                format!("task cpu \"{}\" is too large: tasks have at most 196608 CPU units (192 vCPU)", short(raw)),
                "write CPU units such as \"256\", \"1024\" or vCPUs such as \"0.5 vCPU\", \"2 vCPU\"",
            )),
            None => out.push(finding(
                "task-size-format",
                f.path.key("cpu"),
                format!("task cpu \"{}\" is neither CPU units (\"1024\") nor vCPUs (\"1 vCPU\")", short(raw)),
                "write CPU units such as \"256\", \"1024\" or vCPUs such as \"0.5 vCPU\", \"2 vCPU\"",
            )),
            Some(cpu) if !f.fargate && (f.ec2 || f.external) && !f.windows() => {
                let (lo, hi) = EC2_TASK_CPU;
                if !(lo..=hi).contains(&cpu) {
                    out.push(finding(
                        "task-cpu-range",
                        f.path.key("cpu"),
                        format!("task cpu {cpu} units is outside {lo}-{hi} ({} to {} vCPU), the range for EC2 and external instances", 0.125, hi / 1024),
                        format!("use a value from {lo} to {hi}, or leave task cpu out and size the containers"),
                    ));
                }
            }
            Some(_) => {}
        }
    }
    if let Some(raw) = td.memory.as_deref() {
        match f.memory {
            None if too_large(raw) => out.push(finding(
                "task-size-format",
                f.path.key("memory"),
                format!(
                    "task memory \"{}\" MiB is too large for any instance or Fargate task",
                    short(raw)
                ),
                "write the MiB the task needs, such as \"512\" or \"2048\", or GB such as \"2 GB\"",
            )),
            None => out.push(finding(
                "task-size-format",
                f.path.key("memory"),
                format!(
                    "task memory \"{}\" is neither MiB (\"512\") nor GB (\"2 GB\")",
                    short(raw)
                ),
                "write MiB such as \"512\", \"2048\" or GB such as \"1 GB\", \"0.5 GB\"",
            )),
            Some(0) => out.push(finding(
                "task-size-format",
                f.path.key("memory"),
                "task memory is 0",
                "give the task the memory its containers need, e.g. \"512\"",
            )),
            Some(_) => {}
        }
    }
    if f.windows() && !f.fargate && (td.cpu.is_some() || td.memory.is_some()) {
        out.push(finding(
            "windows-task-size-ignored",
            f.path.key(if td.cpu.is_some() { "cpu" } else { "memory" }),
            "on EC2 Windows instances ECS ignores task-level cpu and memory; the containers' own values are what is reserved",
            "set cpu and memory on each container",
        ));
    }
}

fn memory(f: &Facts, out: &mut Vec<Finding>) {
    // Windows on EC2 ignores task-level memory (windows-task-size-ignored says so).
    let task_memory = f.memory.filter(|_| f.fargate || !f.windows());
    let mut reserved_total: i64 = 0;
    let mut any_single_over = false;
    for (_, c, p) in f.containers() {
        let hard = c.memory;
        let soft = c.memory_reservation;
        // On Fargate the missing task memory is the finding (fargate-task-size-missing).
        if f.td.memory.is_none() && !f.fargate && hard.unwrap_or(0) <= 0 && soft.unwrap_or(0) <= 0 {
            out.push(finding(
                "container-memory-missing",
                p.clone(),
                format!(
                    "container \"{}\" has no memory or memoryReservation and the task has no memory; ECS cannot tell how much memory to reserve",
                    c.name
                ),
                "set \"memoryReservation\" (soft limit, what placement reserves) or \"memory\" (hard limit) on the container, or task-level \"memory\"",
            ));
        }
        for (key, v) in [("memory", hard), ("memoryReservation", soft)] {
            if let Some(m) = v {
                if m < MIN_CONTAINER_MEMORY_MIB {
                    out.push(finding(
                        "container-memory-minimum",
                        p.key(key),
                        format!("container \"{}\" has {key} {m} MiB; Docker needs at least {MIN_CONTAINER_MEMORY_MIB} MiB per container", c.name),
                        format!("set {key} to at least {MIN_CONTAINER_MEMORY_MIB} (most applications need far more, e.g. 128)"),
                    ));
                }
            }
        }
        if let (Some(h), Some(s)) = (hard, soft) {
            if h <= s {
                out.push(finding(
                    "memory-reservation-not-below-memory",
                    p.key("memoryReservation"),
                    format!(
                        "container \"{}\": memoryReservation ({s} MiB, the soft limit) must be below memory ({h} MiB, the hard limit at which the container is killed)",
                        c.name
                    ),
                    format!("lower memoryReservation below {h}, or raise memory above {s}"),
                ));
            }
        }
        if let Some(tm) = task_memory {
            for (key, v) in [("memory", hard), ("memoryReservation", soft)] {
                if let Some(m) = v {
                    if m > tm as i64 {
                        any_single_over = true;
                        out.push(finding(
                            "container-memory-exceeds-task",
                            p.key(key),
                            format!(
                                "container \"{}\" has {key} {m} MiB, more than the task's {tm} MiB",
                                c.name
                            ),
                            format!("lower {key} to at most {tm}, or raise the task memory"),
                        ));
                    }
                }
            }
        }
        reserved_total = reserved_total.saturating_add(soft.or(hard).unwrap_or(0).max(0));
    }
    if let Some(tm) = task_memory {
        if !any_single_over && reserved_total > tm as i64 {
            out.push(finding(
                "container-memory-exceeds-task",
                f.path.key("memory"),
                format!("the containers reserve {reserved_total} MiB together, more than the task's {tm} MiB"),
                format!("raise the task memory to at least {reserved_total}, or lower the containers' memoryReservation/memory"),
            ));
        }
    }
}

fn cpu(f: &Facts, out: &mut Vec<Finding>) {
    let Some(task_cpu) = f.cpu.filter(|_| f.fargate || !f.windows()) else {
        return;
    };
    let mut total: i64 = 0;
    let mut single_over = false;
    for (_, c, p) in f.containers() {
        let v = c.cpu.unwrap_or(0).max(0);
        if v > task_cpu as i64 {
            single_over = true;
            out.push(finding(
                "container-cpu-exceeds-task",
                p.key("cpu"),
                format!(
                    "container \"{}\" reserves {v} CPU units, more than the task's {task_cpu}",
                    c.name
                ),
                format!("lower the container cpu to at most {task_cpu}, or raise the task cpu"),
            ));
        }
        total = total.saturating_add(v);
    }
    if !single_over && total > task_cpu as i64 {
        out.push(finding(
            "container-cpu-exceeds-task",
            f.path.key("cpu"),
            format!("the containers reserve {total} CPU units together, more than the task's {task_cpu}"),
            format!("raise the task cpu to at least {total}, or lower the containers' cpu"),
        ));
    }
}

/// Health check ranges (seconds, or a count for retries).
const HEALTH_RANGES: [(&str, u32, u32); 4] = [
    ("interval", 5, 300),
    ("timeout", 2, 60),
    ("retries", 1, 10),
    ("startPeriod", 0, 300),
];

fn health_checks(f: &Facts, out: &mut Vec<Finding>) {
    for (_, c, p) in f.containers() {
        let Some(hc) = &c.health_check else { continue };
        let p = p.key("healthCheck");
        match hc.command.first().map(String::as_str) {
            Some("CMD") | Some("CMD-SHELL") => {}
            first => out.push(finding(
                "health-check-command",
                p.key("command"),
                match first {
                    None => format!("container \"{}\" has a health check with no command", c.name),
                    Some(x) => format!("container \"{}\": the health check command starts with \"{x}\", not CMD or CMD-SHELL", c.name),
                },
                match first {
                    None => "use e.g. [\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"]".to_string(),
                    Some(_) => format!("put \"CMD-SHELL\" first: [\"CMD-SHELL\", \"{}\"]", hc.command.join(" ").replace('"', "\\\"")),
                },
            )),
        }
        if hc.command.first().map(String::as_str) == Some("CMD-SHELL") && hc.command.len() > 2 {
            out.push(finding(
                "health-check-shell-arguments",
                p.key("command"),
                format!(
                    "container \"{}\": CMD-SHELL runs one command string, but {} strings follow it; the shell only gets the first",
                    c.name,
                    hc.command.len() - 1
                ),
                format!("join them into one: [\"CMD-SHELL\", \"{}\"]", hc.command[1..].join(" ").replace('"', "\\\"")),
            ));
        }
        let values = [hc.interval, hc.timeout, hc.retries, hc.start_period];
        for ((name, lo, hi), v) in HEALTH_RANGES.iter().zip(values) {
            if let Some(v) = v {
                if v < *lo || v > *hi {
                    out.push(finding(
                        "health-check-range",
                        p.key(name),
                        format!(
                            "container \"{}\": health check {name} {v} is outside {lo}-{hi}",
                            c.name
                        ),
                        format!("use a value from {lo} to {hi}"),
                    ));
                }
            }
        }
    }
}

fn environment(f: &Facts, out: &mut Vec<Finding>) {
    for (_, c, p) in f.containers() {
        let files = list(&c.extra, "environmentFiles");
        if files.len() > 10 {
            out.push(finding(
                "environment-files",
                p.key("environmentFiles"),
                format!(
                    "container \"{}\" has {} environment files; at most 10 are allowed",
                    c.name,
                    files.len()
                ),
                "merge some of the .env files",
            ));
        }
        for (j, file) in files.iter().enumerate() {
            let Some(v) = text(file, "value") else {
                continue;
            };
            let s3 = v.starts_with("arn:")
                && v.split(':').nth(2) == Some("s3")
                && v.contains(":::")
                && v.contains('/');
            if !s3 || !v.ends_with(".env") {
                out.push(finding(
                    "environment-files",
                    p.key("environmentFiles").index(j).key("value"),
                    format!(
                        "environment file \"{v}\" must be the ARN of an S3 object whose name ends in .env (arn:aws:s3:::BUCKET/KEY.env)"
                    ),
                    "use e.g. arn:aws:s3:::my-bucket/app/prod.env",
                ));
            }
        }
        let mut names: HashMap<&str, &str> = HashMap::new();
        for (kind, key) in [("environment", "environment"), ("secrets", "secrets")] {
            for (j, e) in list(&c.extra, key).iter().enumerate() {
                let Some(name) = text(e, "name") else {
                    continue;
                };
                if let Some(prev) = names.insert(name, kind) {
                    out.push(finding(
                        "duplicate-environment-name",
                        p.key(key).index(j).key("name"),
                        format!(
                            "container \"{}\" sets {name} twice (in {prev} and in {kind}); only one value reaches the application",
                            c.name
                        ),
                        format!("keep one definition of {name}"),
                    ));
                }
            }
        }
    }
}

fn awsvpc_parameters(f: &Facts, out: &mut Vec<Finding>) {
    if f.mode != NetworkMode::Awsvpc {
        return;
    }
    for (_, c, p) in f.containers() {
        for key in ["hostname", "extraHosts"] {
            let set = match c.extra.get(key) {
                Some(serde_json::Value::String(s)) => !s.is_empty(),
                Some(serde_json::Value::Array(a)) => !a.is_empty(),
                Some(serde_json::Value::Null) | None => false,
                Some(_) => true,
            };
            if set {
                out.push(finding(
                    "awsvpc-unsupported-parameter",
                    p.key(key),
                    format!("container \"{}\" sets {key}, which the awsvpc network mode does not support (the task's ENI has its own name and hosts file)", c.name),
                    format!("remove {key}, or use the bridge network mode"),
                ));
            }
        }
    }
}
