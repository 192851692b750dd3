//! What a task definition needs to run on AWS Fargate (`AWS_Fargate.md`: "Task definitions",
//! "Network mode", "Task CPU and memory", "Logging", "Windows containers on AWS Fargate
//! considerations"; the API model's notes on Fargate).
//!
//! [`problems`] is used two ways: for task definitions that list FARGATE in
//! `requiresCompatibilities` (each problem is its own finding), and for services that run on
//! Fargate a task definition that does not (the problems become one service finding).

use super::{finding, list, logs, text, Facts};
use crate::fargate::{self as table, Os};
use crate::findings::Finding;
use crate::plan::NetworkMode;
use serde_json::Value;

/// Every reason the task definition cannot run on Fargate, as findings on the task definition.
pub(super) fn problems(f: &Facts) -> Vec<Finding> {
    let mut out = Vec::new();
    network_mode(f, &mut out);
    size(f, &mut out);
    logs::fargate_problems(f, &mut out);
    if !f.td.placement_constraints.is_empty() {
        out.push(finding(
            "fargate-placement-constraints",
            f.path.key("placementConstraints"),
            format!("{} has placement constraints, which Fargate does not support (it spreads tasks across Availability Zones itself)", f.label()),
            "remove placementConstraints, or drop FARGATE from requiresCompatibilities",
        ));
    }
    parameters(f, &mut out);
    volumes(f, &mut out);
    for (_, c, p) in f.containers() {
        if let Some(t) = c.extra.get("stopTimeout").and_then(Value::as_i64) {
            if t > 120 {
                out.push(finding(
                    "fargate-stop-timeout",
                    p.key("stopTimeout"),
                    format!("container \"{}\" has stopTimeout {t} s; Fargate waits at most 120 s before killing a container", c.name),
                    "set stopTimeout to 120 or less (Fargate Spot gives two minutes' notice)",
                ));
            }
        }
    }
    if f.windows() {
        windows(f, &mut out);
    }
    out
}

fn network_mode(f: &Facts, out: &mut Vec<Finding>) {
    if f.mode != NetworkMode::Awsvpc {
        let now = match f.td.network_mode {
            None => "no networkMode (that is bridge)".to_string(),
            Some(NetworkMode::Bridge) => "networkMode bridge".into(),
            Some(NetworkMode::Host) => "networkMode host".into(),
            Some(NetworkMode::None) => "networkMode none".into(),
            Some(NetworkMode::Awsvpc) => unreachable!(),
        };
        out.push(finding(
            "fargate-network-mode",
            f.path.key("networkMode"),
            format!("{} has {now}; Fargate tasks need awsvpc (each task gets its own network interface)", f.label()),
            "set \"networkMode\": \"awsvpc\" (and give services a networkConfiguration)",
        ));
    }
}

fn size(f: &Facts, out: &mut Vec<Finding>) {
    let td = f.td;
    let missing: Vec<&str> = [("cpu", td.cpu.is_none()), ("memory", td.memory.is_none())]
        .into_iter()
        .filter_map(|(k, m)| m.then_some(k))
        .collect();
    if !missing.is_empty() {
        let (c, m) = table::smallest_fit_for(f.cpu.unwrap_or(256), f.memory.unwrap_or(512), f.os)
            .unwrap_or((1024, 2048));
        out.push(finding(
            "fargate-task-size-missing",
            f.path.key(missing[0]),
            format!("{} has no task-level {}; Fargate sells a task size and needs both cpu and memory", f.label(), missing.join(" or ")),
            format!("add \"cpu\": \"{c}\" and \"memory\": \"{m}\" (the smallest Fargate size), or larger"),
        ));
        return;
    }
    let (Some(cpu), Some(mem)) = (f.cpu, f.memory) else {
        return;
    }; // unreadable: reported as task-size-format
    if table::is_valid(cpu, mem, f.os) {
        return;
    }
    let os_words = if f.os == Os::Windows {
        " for Windows"
    } else {
        ""
    };
    let fit = table::smallest_fit_for(cpu, mem, f.os);
    let fit_words = fit
        .map(|(c, m)| format!("cpu \"{c}\" with memory \"{m}\""))
        .unwrap_or_else(|| "a smaller size".into());
    match table::row(cpu, f.os) {
        None => {
            let cpus: Vec<String> = table::valid_cpus(f.os)
                .iter()
                .map(|c| format!("{c} ({})", table::vcpu_words(*c)))
                .collect();
            let why = if f.os == Os::Windows && table::row(cpu, Os::Linux).is_some() {
                format!(
                    "{} is not offered for Windows (Windows needs 1, 2 or 4 vCPU)",
                    table::vcpu_words(cpu)
                )
            } else {
                format!("Fargate has no {cpu}-unit size")
            };
            out.push(finding(
                "fargate-cpu-memory",
                f.path.key("cpu"),
                format!(
                    "task cpu {cpu}: {why}; cpu must be one of {}",
                    cpus.join(", ")
                ),
                format!("use {fit_words}"),
            ));
        }
        Some(row) => {
            let keep_memory = table::cpus_for_memory(mem, f.os)
                .first()
                .map(|c| format!("set cpu to \"{c}\" to keep {mem} MiB"));
            let keep_cpu = match row.memory().into_iter().find(|m| *m >= mem) {
                Some(m) => format!("set memory to \"{m}\""),
                None => format!("lower memory to \"{}\"", row.max_mib),
            };
            out.push(finding(
                "fargate-cpu-memory",
                f.path.key("memory"),
                format!(
                    "Fargate{os_words} pairs cpu {cpu} ({}) with {}; {mem} MiB is not one of them",
                    table::vcpu_words(cpu),
                    row.describe_memory()
                ),
                match keep_memory {
                    Some(k) => format!("{keep_cpu}, or {k}"),
                    None => format!("{keep_cpu}, or use {fit_words}"),
                },
            ));
        }
    }
}

fn parameters(f: &Facts, out: &mut Vec<Finding>) {
    let unsupported = |path: crate::findings::JsonPath, what: String, out: &mut Vec<Finding>| {
        out.push(finding(
            "fargate-unsupported-parameter",
            path,
            format!("{what}, which Fargate does not support"),
            "remove it, or run the task on EC2 (drop FARGATE from requiresCompatibilities)",
        ));
    };
    if f.td.extra.get("ipcMode").is_some_and(|v| !v.is_null()) {
        unsupported(
            f.path.key("ipcMode"),
            format!("{} sets ipcMode", f.label()),
            out,
        );
    }
    if f.td.extra.get("pidMode").and_then(Value::as_str) == Some("host") {
        unsupported(
            f.path.key("pidMode"),
            format!("{} uses pidMode host (only task is allowed)", f.label()),
            out,
        );
    }
    for (_, c, p) in f.containers() {
        let name = &c.name;
        if c.extra.get("privileged").and_then(Value::as_bool) == Some(true) {
            unsupported(
                p.key("privileged"),
                format!("container \"{name}\" is privileged"),
                out,
            );
        }
        if !list(&c.extra, "dockerSecurityOptions").is_empty() {
            unsupported(
                p.key("dockerSecurityOptions"),
                format!("container \"{name}\" sets dockerSecurityOptions"),
                out,
            );
        }
        for (j, r) in c.resource_requirements.iter().enumerate() {
            if r.kind == "GPU" {
                unsupported(
                    p.key("resourceRequirements").index(j),
                    format!("container \"{name}\" asks for GPUs"),
                    out,
                );
            }
        }
        if let Some(lp) = c.extra.get("linuxParameters") {
            let lpp = p.key("linuxParameters");
            for key in ["devices", "sharedMemorySize", "maxSwap", "swappiness"] {
                let set = match lp.get(key) {
                    None | Some(Value::Null) => false,
                    Some(Value::Array(a)) => !a.is_empty(),
                    Some(_) => true,
                };
                if set {
                    unsupported(
                        lpp.key(key),
                        format!("container \"{name}\" sets linuxParameters.{key}"),
                        out,
                    );
                }
            }
            if let Some(add) = lp
                .get("capabilities")
                .and_then(|c| c.get("add"))
                .and_then(Value::as_array)
            {
                let others: Vec<&str> = add
                    .iter()
                    .filter_map(Value::as_str)
                    .filter(|c| *c != "SYS_PTRACE")
                    .collect();
                if !others.is_empty() {
                    unsupported(
                        lpp.key("capabilities").key("add"),
                        format!("container \"{name}\" adds the capabilities {} (Fargate allows adding SYS_PTRACE only)", others.join(", ")),
                        out,
                    );
                }
            }
            if lp
                .get("tmpfs")
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty())
            {
                out.push(not_documented(
                    lpp.key("tmpfs"),
                    name,
                    "linuxParameters.tmpfs",
                ));
            }
        }
        for key in ["dnsServers", "dnsSearchDomains"] {
            if !list(&c.extra, key).is_empty() {
                out.push(not_documented(p.key(key), name, key));
            }
        }
        if c.extra.get("disableNetworking").and_then(Value::as_bool) == Some(true) {
            out.push(not_documented(
                p.key("disableNetworking"),
                name,
                "disableNetworking",
            ));
        }
    }
}

fn not_documented(path: crate::findings::JsonPath, container: &str, key: &str) -> Finding {
    finding(
        "fargate-parameter-not-documented",
        path,
        format!("container \"{container}\" sets {key}, which the Fargate guide lists as unsupported on Fargate"),
        format!("remove {key} unless you have checked it works on your Fargate platform version"),
    )
}

fn volumes(f: &Facts, out: &mut Vec<Finding>) {
    for (i, v) in f.td.volumes.iter().enumerate() {
        let p = f.path.key("volumes").index(i);
        let name = v.name.as_deref().unwrap_or("(unnamed)");
        if v.extra
            .get("dockerVolumeConfiguration")
            .is_some_and(|d| !d.is_null())
        {
            out.push(finding(
                "fargate-volume-type",
                p.key("dockerVolumeConfiguration"),
                format!("volume {name} is a Docker volume; Fargate supports bind mounts and EFS, not Docker volumes"),
                "remove dockerVolumeConfiguration (a plain {\"name\": ...} volume is a bind mount on the task's storage), or use EFS",
            ));
        }
        if v.extra
            .get("host")
            .and_then(|h| text(h, "sourcePath"))
            .is_some()
        {
            out.push(finding(
                "fargate-volume-type",
                p.key("host").key("sourcePath"),
                format!("volume {name} mounts a path of the host, and Fargate tasks have no host you can reach"),
                "remove host.sourcePath; the volume then lives in the task's ephemeral storage",
            ));
        }
    }
}

fn windows(f: &Facts, out: &mut Vec<Finding>) {
    let mut add = |path: crate::findings::JsonPath, what: String, fix: &str| {
        out.push(finding(
            "fargate-windows-unsupported",
            path,
            format!("{what}; Windows containers on Fargate do not support it"),
            fix,
        ));
    };
    if f.td
        .runtime_platform
        .as_ref()
        .and_then(|r| r.cpu_architecture.as_deref())
        == Some("ARM64")
    {
        add(
            f.path.key("runtimePlatform").key("cpuArchitecture"),
            "the task asks for ARM64".into(),
            "use X86_64 for Windows on Fargate",
        );
    }
    for (i, v) in f.td.volumes.iter().enumerate() {
        if v.extra.get("efsVolumeConfiguration").is_some() {
            add(
                f.path.key("volumes").index(i).key("efsVolumeConfiguration"),
                format!(
                    "volume {} is an EFS volume",
                    v.name.as_deref().unwrap_or("(unnamed)")
                ),
                "use a Linux task for EFS, or FSx on EC2 Windows",
            );
        }
    }
    for (_, c, p) in f.containers() {
        if c.extra
            .get("logConfiguration")
            .and_then(|l| text(l, "logDriver"))
            == Some("awsfirelens")
            || c.extra.get("firelensConfiguration").is_some()
        {
            add(
                p.key("logConfiguration"),
                format!("container \"{}\" uses FireLens", c.name),
                "use the awslogs driver",
            );
        }
        if !list(&c.extra, "ulimits").is_empty() {
            add(
                p.key("ulimits"),
                format!("container \"{}\" sets ulimits", c.name),
                "remove ulimits",
            );
        }
    }
}
