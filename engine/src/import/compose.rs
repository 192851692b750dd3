//! docker-compose files (the Compose Specification's common subset) to one task definition.
//!
//! Every compose service becomes a container of one task definition (family: the `family`
//! argument, else the file's `name:`, else "compose"). Converted: image, ports (short and long
//! syntax, ranges), expose (noted), environment (list or map), command and entrypoint (string
//! or list), healthcheck (Go durations), depends_on (list, or map with conditions), links,
//! volumes (named, bind, anonymous; short and long syntax) and volumes_from, CPU and memory
//! (deploy.resources limits and reservations, mem_limit, mem_reservation, cpus, cpu_shares),
//! GPU reservations, working_dir, user, hostname, privileged, read_only, stop_grace_period,
//! labels, ulimits, extra_hosts, dns, dns_search, tty, stdin_open, init, cap_add, cap_drop,
//! devices, security_opt, sysctls, shm_size, tmpfs (noted), logging, network_mode, platform,
//! pid, ipc. Variables: `${VAR:-default}` takes the default, `$$` is `$`, other variables stay
//! as text with a warning. Everything else (build:, networks:, compose secrets and configs,
//! restart:, replicas, ...) is listed in the notes with its path.

use super::{parse_any, typed, Format, Imported, Result};
use crate::findings::{Finding, JsonPath};
use serde_json::{json, Map, Value};

/// Imports a compose file as one task definition.
pub fn compose(text: &str, family: Option<&str>) -> Result<Imported> {
    let src = parse_any(text)?;
    let r = convert(&src.value, family);
    super::aws::located(&src, r)
}

fn convert(doc: &Value, family: Option<&str>) -> Result<Imported> {
    let root = JsonPath::root();
    let mut c = Conv {
        notes: Vec::new(),
        task: Map::new(),
        volumes: Vec::new(),
        platform: None,
    };
    let doc = c.interpolate(doc, &root);
    let Some(top) = doc.as_object() else {
        return Err(vec![Finding::error(
            "wrong-type",
            root,
            "expected a compose file (a mapping with `services:`)",
        )]);
    };
    let Some(services) = top.get("services").and_then(Value::as_object) else {
        return Err(vec![Finding::error(
            "not-a-compose-file",
            root.key("services"),
            "a compose file needs a `services:` mapping",
        )
        .with_fix("paste a docker-compose.yml with services")]);
    };
    if services.is_empty() {
        return Err(vec![Finding::error(
            "not-a-compose-file",
            root.key("services"),
            "`services:` is empty",
        )]);
    }
    if services.len() > 10 {
        c.notes.push(
            Finding::warning(
                "too-many-containers",
                root.key("services"),
                format!(
                    "{} services become {} containers; a task definition holds at most 10",
                    services.len(),
                    services.len()
                ),
            )
            .with_fix("split the services into several task definitions"),
        );
    }
    for (k, _) in top {
        match k.as_str() {
            "services" | "volumes" | "name" | "version" => {}
            k if k.starts_with("x-") => {}
            k => c.notes.push(
                Finding::warning("not-converted", root.key(k), format!("top-level `{k}:` has no task definition counterpart; not converted"))
                    .with_fix(match k {
                        "networks" => "containers of one task share a network namespace (awsvpc) or the bridge; use service discovery or Service Connect between tasks",
                        "secrets" => "use containerDefinitions[].secrets with Secrets Manager or SSM Parameter Store ARNs",
                        "configs" => "bake the config into the image, or use environment files from S3",
                        _ => "configure it in AWS separately",
                    }),
            ),
        }
    }
    let declared_volumes = top
        .get("volumes")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (name, def) in &declared_volumes {
        if let Some(o) = def.as_object() {
            for k in o.keys() {
                c.notes.push(Finding::info(
                    "not-converted",
                    root.key("volumes").key(name).key(k),
                    format!(
                        "volume option `{k}` is not converted; the volume is a task-scoped volume"
                    ),
                ));
            }
        }
    }
    let family = family
        .map(str::to_string)
        .or_else(|| top.get("name").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| "compose".to_string());
    let family = sanitize(&family);

    let mut containers = Vec::new();
    let mut names = Vec::new();
    for (svc, def) in services {
        let p = root.key("services").key(svc);
        let name = sanitize(svc);
        if name != *svc {
            c.notes.push(Finding::info("renamed", p.clone(), format!("service `{svc}` becomes container `{name}` (ECS names allow letters, digits, - and _)")));
        }
        names.push((svc.clone(), name.clone()));
        let Some(def) = def.as_object() else {
            c.notes.push(Finding::warning(
                "not-converted",
                p,
                format!("service `{svc}` is not a mapping; skipped"),
            ));
            continue;
        };
        containers.push(c.container(&name, def, &p));
    }
    // depends_on names: compose service names to container names; SUCCESS/COMPLETE targets
    // must not be essential.
    let mut non_essential = Vec::new();
    for cd in &mut containers {
        if let Some(Value::Array(deps)) = cd.get_mut("dependsOn") {
            for d in deps.iter_mut() {
                if let Some(n) = d.get("containerName").and_then(Value::as_str) {
                    let mapped = names
                        .iter()
                        .find(|(s, _)| s == n)
                        .map(|(_, c)| c.clone())
                        .unwrap_or_else(|| n.to_string());
                    if matches!(
                        d.get("condition").and_then(Value::as_str),
                        Some("SUCCESS" | "COMPLETE")
                    ) {
                        non_essential.push(mapped.clone());
                    }
                    d["containerName"] = Value::String(mapped);
                }
            }
        }
    }
    for cd in &mut containers {
        let n = cd
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let essential = !non_essential.contains(&n);
        if !essential {
            c.notes.push(Finding::info(
                "not-essential",
                root.key("services"),
                format!("container `{n}` is waited for until it completes, so it is not essential (ECS requires that for SUCCESS and COMPLETE)"),
            ));
        }
        cd.insert("essential".into(), Value::Bool(essential));
    }
    let mut td = Map::new();
    td.insert("family".into(), Value::String(family));
    td.insert(
        "containerDefinitions".into(),
        Value::Array(containers.into_iter().map(Value::Object).collect()),
    );
    if !c.volumes.is_empty() {
        td.insert("volumes".into(), Value::Array(c.volumes.clone()));
    }
    for (k, v) in std::mem::take(&mut c.task) {
        td.insert(k, v);
    }
    if let Some(rp) = c.platform.take() {
        td.insert("runtimePlatform".into(), rp);
    }
    // Network mode: what compose does (bridge) unless a service says otherwise.
    let mode = services
        .values()
        .filter_map(|s| s.get("network_mode").and_then(Value::as_str))
        .find(|m| matches!(*m, "host" | "none" | "bridge"))
        .unwrap_or("bridge");
    td.insert("networkMode".into(), Value::String(mode.to_string()));
    c.notes.push(Finding::info(
        "network-mode",
        root.key("services"),
        format!("networkMode is \"{mode}\" as in compose; for Fargate use awsvpc (then every hostPort must equal its containerPort or be left out) and set task-level cpu and memory"),
    ));
    let value = Value::Object(td);
    let mut findings = Vec::new();
    crate::schema::check(
        &value,
        "ecs:RegisterTaskDefinitionRequest",
        &JsonPath::root(),
        &mut findings,
    );
    let mut out = Imported::new(Format::Compose);
    let errors: Vec<Finding> = findings.iter().filter(|f| f.is_error()).cloned().collect();
    if !errors.is_empty() {
        // The converter made something AWS would not take: report it rather than panic.
        return Err(errors);
    }
    out.notes = c.notes;
    out.notes.extend(findings);
    out.task_definitions.push(typed(value, &JsonPath::root())?);
    Ok(out)
}

/// Letters, digits, `-` and `_`, at most 255: what ECS takes for container names and families.
fn sanitize(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(255)
        .collect();
    if out.is_empty() {
        out = "container".into();
    }
    out
}

struct Conv {
    notes: Vec<Finding>,
    /// Task-level members set by a service (pidMode).
    task: Map<String, Value>,
    volumes: Vec<Value>,
    platform: Option<Value>,
}

/// Go's `time.ParseDuration` (`1m30s`, `500ms`, `1.5h`); a bare number is seconds.
pub fn go_duration_seconds(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => {
            let s = s.trim();
            if let Ok(x) = s.parse::<f64>() {
                return Some(x);
            }
            let mut total = 0.0;
            let mut rest = s;
            if rest.is_empty() {
                return None;
            }
            while !rest.is_empty() {
                let num_end = rest
                    .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .unwrap_or(rest.len());
                if num_end == 0 {
                    return None;
                }
                let x: f64 = rest[..num_end].parse().ok()?;
                rest = &rest[num_end..];
                let unit_end = rest
                    .find(|c: char| c.is_ascii_digit() || c == '.')
                    .unwrap_or(rest.len());
                let factor = match &rest[..unit_end] {
                    "ns" => 1e-9,
                    "us" | "µs" | "μs" => 1e-6,
                    "ms" => 1e-3,
                    "s" => 1.0,
                    "m" => 60.0,
                    "h" => 3600.0,
                    _ => return None,
                };
                total += x * factor;
                rest = &rest[unit_end..];
            }
            Some(total)
        }
        _ => None,
    }
}

/// docker's `RAMInBytes`: `512m`, `1g`, `1.5GiB`, `1024` (bytes), `512 MB` → MiB, rounded up.
pub fn memory_mib(v: &Value) -> Option<i64> {
    let bytes = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => {
            let t = s.trim().to_ascii_lowercase();
            let num_end = t
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(t.len());
            let x: f64 = t[..num_end].parse().ok()?;
            let unit = t[num_end..].trim();
            let unit = unit.strip_suffix('b').unwrap_or(unit);
            let unit = unit.strip_suffix('i').unwrap_or(unit);
            let factor = match unit {
                "" => 1.0,
                "k" => 1024.0,
                "m" => 1024.0 * 1024.0,
                "g" => 1024.0 * 1024.0 * 1024.0,
                "t" => 1024.0f64.powi(4),
                "p" => 1024.0f64.powi(5),
                _ => return None,
            };
            x * factor
        }
        _ => return None,
    };
    if !(0.0..=1.0e18).contains(&bytes) {
        return None;
    }
    Some((bytes / (1024.0 * 1024.0)).ceil() as i64)
}

/// CPUs (`0.5`, `"1.5"`) → CPU units (1 vCPU = 1024).
pub fn cpu_units(v: &Value) -> Option<i64> {
    let x = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    (0.0..=1.0e6)
        .contains(&x)
        .then(|| (x * 1024.0).round() as i64)
}

/// Splits a command string the way compose does (shell words: quotes and backslashes, no
/// expansion).
pub fn shell_words(s: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(ch) = chars.next() {
        match ch {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => cur.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            c @ ('"' | '\\' | '$' | '`') => cur.push(c),
                            '\n' => {}
                            c => {
                                cur.push('\\');
                                cur.push(c);
                            }
                        },
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') | None => {}
                    Some(c) => cur.push(c),
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    Some(out)
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Conv {
    fn warn(&mut self, path: JsonPath, msg: impl Into<String>) {
        self.notes
            .push(Finding::warning("not-converted", path, msg));
    }

    fn info(&mut self, code: &str, path: JsonPath, msg: impl Into<String>) {
        self.notes.push(Finding::info(code, path, msg));
    }

    /// Compose variable interpolation on every string of the document.
    fn interpolate(&mut self, v: &Value, path: &JsonPath) -> Value {
        match v {
            Value::String(s) if s.contains('$') => Value::String(self.interpolate_str(s, path)),
            Value::Array(a) => Value::Array(
                a.iter()
                    .enumerate()
                    .map(|(i, x)| self.interpolate(x, &path.index(i)))
                    .collect(),
            ),
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, x)| (k.clone(), self.interpolate(x, &path.key(k))))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    fn interpolate_str(&mut self, s: &str, path: &JsonPath) -> String {
        let mut out = String::new();
        let mut unresolved = Vec::new();
        let mut defaults = Vec::new();
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] != b'$' {
                let next = s[i..].find('$').map(|n| n + i).unwrap_or(s.len());
                out.push_str(&s[i..next]);
                i = next;
                continue;
            }
            if s[i..].starts_with("$$") {
                out.push('$');
                i += 2;
            } else if s[i..].starts_with("${") {
                let Some(end) = s[i..].find('}') else {
                    out.push_str(&s[i..]);
                    break;
                };
                let inner = &s[i + 2..i + end];
                let (name, default) = if let Some((n, d)) = inner.split_once(":-") {
                    (n, Some(d))
                } else if let Some((n, d)) = inner.split_once('-') {
                    (n, Some(d))
                } else {
                    (inner.split([':', '?']).next().unwrap_or(inner), None)
                };
                match default {
                    Some(d) => {
                        out.push_str(d);
                        defaults.push(format!("${{{name}}}"));
                    }
                    None => {
                        out.push_str(&s[i..i + end + 1]);
                        unresolved.push(format!("${{{name}}}"));
                    }
                }
                i += end + 1;
            } else {
                let name_len = s[i + 1..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(s.len() - i - 1);
                if name_len == 0 {
                    out.push('$');
                    i += 1;
                } else {
                    unresolved.push(format!("${}", &s[i + 1..i + 1 + name_len]));
                    out.push_str(&s[i..i + 1 + name_len]);
                    i += 1 + name_len;
                }
            }
        }
        if !defaults.is_empty() {
            self.info(
                "compose-variable-default",
                path.clone(),
                format!(
                    "{} replaced by {} default",
                    defaults.join(", "),
                    if defaults.len() == 1 { "its" } else { "their" }
                ),
            );
        }
        if !unresolved.is_empty() {
            self.notes.push(
                Finding::warning(
                    "compose-variable",
                    path.clone(),
                    format!(
                        "{} is set by docker compose from the environment; kept as text",
                        unresolved.join(", ")
                    ),
                )
                .with_fix("replace the variable with its value"),
            );
        }
        out
    }

    fn container(
        &mut self,
        name: &str,
        def: &Map<String, Value>,
        p: &JsonPath,
    ) -> Map<String, Value> {
        let mut cd = Map::new();
        cd.insert("name".into(), Value::String(name.to_string()));
        match def.get("image").and_then(text) {
            Some(img) => {
                cd.insert("image".into(), Value::String(img));
            }
            None => {
                let from = def.get("build").map(|b| match b {
                    Value::String(s) => s.clone(),
                    Value::Object(o) => o
                        .get("context")
                        .and_then(Value::as_str)
                        .unwrap_or(".")
                        .to_string(),
                    _ => ".".into(),
                });
                let placeholder = format!("<image built from {}>", from.as_deref().unwrap_or("?"));
                self.notes.push(
                    Finding::warning(
                        "no-image",
                        p.key(if def.contains_key("build") { "build" } else { "image" }),
                        format!("service has no image; ECS runs images, it does not build them; image set to the placeholder \"{placeholder}\""),
                    )
                    .with_fix("build and push the image (e.g. to ECR) and put its URI in `image`"),
                );
                cd.insert("image".into(), Value::String(placeholder));
            }
        }
        let mut linux = Map::new();
        let mut cpu: Option<i64> = None;
        let mut memory: Option<i64> = None;
        let mut reservation: Option<i64> = None;
        for (k, v) in def {
            let kp = p.key(k);
            match k.as_str() {
                "image" => {}
                "build" => {
                    if def.contains_key("image") {
                        self.info("not-converted", kp, "`build:` is not converted; the image given in `image:` is used");
                    }
                }
                "ports" => {
                    let mut maps = Vec::new();
                    if let Value::Array(ports) = v {
                        for (i, port) in ports.iter().enumerate() {
                            maps.extend(self.port(port, &kp.index(i)));
                        }
                    }
                    if !maps.is_empty() {
                        cd.insert("portMappings".into(), Value::Array(maps));
                    }
                }
                "expose" => self.info(
                    "not-converted",
                    kp,
                    "`expose:` ports are reachable by the other containers of the task without a port mapping; not converted",
                ),
                "environment" => {
                    let env = self.environment(v, &kp);
                    if !env.is_empty() {
                        cd.insert("environment".into(), Value::Array(env));
                    }
                }
                "env_file" => self.notes.push(
                    Finding::warning("not-converted", kp, "`env_file:` reads files on the compose host; not converted")
                        .with_fix("put the variables in `environment`, or upload the file to S3 and use environmentFiles"),
                ),
                "command" | "entrypoint" => {
                    let words = match v {
                        Value::String(s) => shell_words(s),
                        Value::Array(a) => a.iter().map(text).collect(),
                        Value::Null => Some(Vec::new()),
                        _ => None,
                    };
                    match words {
                        Some(w) if !w.is_empty() => {
                            cd.insert(if k == "command" { "command" } else { "entryPoint" }.into(), json!(w));
                        }
                        Some(_) => {}
                        None => self.warn(kp, format!("`{k}:` is not a string or a list of strings (or has an unclosed quote); not converted")),
                    }
                }
                "healthcheck" => {
                    if let Some(hc) = self.healthcheck(v, &kp) {
                        cd.insert("healthCheck".into(), hc);
                    }
                }
                "depends_on" => {
                    let deps = self.depends_on(v, &kp);
                    if !deps.is_empty() {
                        cd.insert("dependsOn".into(), Value::Array(deps));
                    }
                }
                "links" => {
                    if let Value::Array(a) = v {
                        cd.insert("links".into(), Value::Array(a.iter().filter_map(text).map(Value::String).collect()));
                        self.info("links", kp, "links work only with the bridge network mode");
                    }
                }
                "volumes" => {
                    let mut mounts = Vec::new();
                    if let Value::Array(a) = v {
                        for (i, m) in a.iter().enumerate() {
                            if let Some(mp) = self.volume(name, m, &kp.index(i)) {
                                mounts.push(mp);
                            }
                        }
                    }
                    if !mounts.is_empty() {
                        cd.insert("mountPoints".into(), Value::Array(mounts));
                    }
                }
                "volumes_from" => {
                    let mut list = Vec::new();
                    if let Value::Array(a) = v {
                        for (i, x) in a.iter().enumerate() {
                            let s = text(x).unwrap_or_default();
                            if s.starts_with("container:") {
                                self.warn(kp.index(i), "volumes from a container outside the task cannot be converted");
                                continue;
                            }
                            let (src, ro) = match s.rsplit_once(':') {
                                Some((a, "ro")) => (a.to_string(), true),
                                Some((a, "rw")) => (a.to_string(), false),
                                _ => (s.clone(), false),
                            };
                            list.push(json!({"sourceContainer": sanitize(&src), "readOnly": ro}));
                        }
                    }
                    if !list.is_empty() {
                        cd.insert("volumesFrom".into(), Value::Array(list));
                    }
                }
                "deploy" => self.deploy(v, &kp, &mut cpu, &mut memory, &mut reservation, &mut cd),
                "mem_limit" => match memory_mib(v) {
                    Some(m) => memory = Some(m),
                    None => self.warn(kp, format!("`mem_limit: {v}` is not a byte value like 512m or 1g; not converted")),
                },
                "mem_reservation" => match memory_mib(v) {
                    Some(m) => reservation = Some(m),
                    None => self.warn(kp, format!("`mem_reservation: {v}` is not a byte value like 512m or 1g; not converted")),
                },
                "cpus" => match cpu_units(v) {
                    Some(c) => cpu = cpu.or(Some(c)),
                    None => self.warn(kp, format!("`cpus: {v}` is not a number of CPUs; not converted")),
                },
                "cpu_shares" => match v.as_i64() {
                    Some(c) if c >= 0 => cpu = Some(c),
                    _ => self.warn(kp, "`cpu_shares:` is not a whole number; not converted"),
                },
                "working_dir" => self.string_member(&mut cd, "workingDirectory", v, &kp),
                "user" => self.string_member(&mut cd, "user", v, &kp),
                "hostname" => self.string_member(&mut cd, "hostname", v, &kp),
                "privileged" => self.bool_member(&mut cd, "privileged", v, &kp),
                "read_only" => self.bool_member(&mut cd, "readonlyRootFilesystem", v, &kp),
                "tty" => self.bool_member(&mut cd, "pseudoTerminal", v, &kp),
                "stdin_open" => self.bool_member(&mut cd, "interactive", v, &kp),
                "init" => self.bool_member(&mut linux, "initProcessEnabled", v, &kp),
                "stop_grace_period" => match go_duration_seconds(v) {
                    Some(s) => {
                        let secs = s.ceil().clamp(0.0, 120.0) as i64;
                        if (s.ceil() as i64) != secs {
                            self.info("clamped", kp.clone(), format!("stopTimeout is at most 120 seconds; {s}s became {secs}"));
                        }
                        cd.insert("stopTimeout".into(), json!(secs));
                    }
                    None => self.warn(kp, "`stop_grace_period:` is not a duration like 30s or 1m30s; not converted"),
                },
                "labels" => {
                    let labels = key_values(v);
                    if !labels.is_empty() {
                        let m: Map<String, Value> = labels.into_iter().map(|(k, v)| (k, Value::String(v.unwrap_or_default()))).collect();
                        cd.insert("dockerLabels".into(), Value::Object(m));
                    }
                }
                "ulimits" => {
                    let list = self.ulimits(v, &kp);
                    if !list.is_empty() {
                        cd.insert("ulimits".into(), Value::Array(list));
                    }
                }
                "extra_hosts" => {
                    let mut hosts = Vec::new();
                    let pairs: Vec<(String, Option<String>)> = match v {
                        Value::Array(a) => a
                            .iter()
                            .filter_map(text)
                            .map(|s| match s.split_once(['=', ':']) {
                                Some((h, ip)) => (h.to_string(), Some(ip.to_string())),
                                None => (s, None),
                            })
                            .collect(),
                        _ => key_values(v),
                    };
                    for (h, ip) in pairs {
                        match ip {
                            Some(ip) => hosts.push(json!({"hostname": h, "ipAddress": ip.trim_start_matches('[').trim_end_matches(']')})),
                            None => self.warn(kp.clone(), format!("extra host `{h}` has no address; not converted")),
                        }
                    }
                    if !hosts.is_empty() {
                        cd.insert("extraHosts".into(), Value::Array(hosts));
                    }
                }
                "dns" => self.string_list_member(&mut cd, "dnsServers", v),
                "dns_search" => self.string_list_member(&mut cd, "dnsSearchDomains", v),
                "security_opt" => self.string_list_member(&mut cd, "dockerSecurityOptions", v),
                "cap_add" | "cap_drop" => {
                    let caps: Vec<Value> = match v {
                        Value::Array(a) => a.iter().filter_map(text).map(|c| Value::String(c.trim_start_matches("CAP_").to_string())).collect(),
                        _ => Vec::new(),
                    };
                    let entry = linux.entry("capabilities").or_insert_with(|| json!({}));
                    entry[if k == "cap_add" { "add" } else { "drop" }] = Value::Array(caps);
                }
                "devices" => {
                    let mut list = Vec::new();
                    if let Value::Array(a) = v {
                        for (i, d) in a.iter().enumerate() {
                            let s = text(d).unwrap_or_default();
                            let parts: Vec<&str> = s.split(':').collect();
                            let (host, cont, perms) = match parts.as_slice() {
                                [h] => (*h, *h, None),
                                [h, c] if c.starts_with('/') => (*h, *c, None),
                                [h, p] => (*h, *h, Some(*p)),
                                [h, c, p, ..] => (*h, *c, Some(*p)),
                                [] => {
                                    self.warn(kp.index(i), "empty device; not converted");
                                    continue;
                                }
                            };
                            let mut dev = json!({"hostPath": host, "containerPath": cont});
                            if let Some(p) = perms {
                                let mut ps = Vec::new();
                                for (ch, name) in [('r', "read"), ('w', "write"), ('m', "mknod")] {
                                    if p.contains(ch) {
                                        ps.push(name);
                                    }
                                }
                                dev["permissions"] = json!(ps);
                            }
                            list.push(dev);
                        }
                    }
                    if !list.is_empty() {
                        linux.insert("devices".into(), Value::Array(list));
                    }
                }
                "sysctls" => {
                    let ctl: Vec<Value> = key_values(v)
                        .into_iter()
                        .map(|(k, v)| json!({"namespace": k, "value": v.unwrap_or_default()}))
                        .collect();
                    if !ctl.is_empty() {
                        cd.insert("systemControls".into(), Value::Array(ctl));
                    }
                }
                "shm_size" => match memory_mib(v) {
                    Some(m) => {
                        linux.insert("sharedMemorySize".into(), json!(m));
                    }
                    None => self.warn(kp, "`shm_size:` is not a byte value; not converted"),
                },
                "tmpfs" => self.warn(kp, "`tmpfs:` needs a size in ECS (linuxParameters.tmpfs); not converted"),
                "logging" => {
                    let driver = v.get("driver").and_then(Value::as_str).unwrap_or("json-file");
                    let allowed = crate::schema::Shapes::builtin().enum_values("ecs:LogDriver").unwrap_or(&[]);
                    if allowed.iter().any(|d| d == driver) {
                        let mut lc = json!({"logDriver": driver});
                        if let Some(o) = v.get("options").and_then(Value::as_object) {
                            let opts: Map<String, Value> = o.iter().filter_map(|(k, v)| Some((k.clone(), Value::String(text(v)?)))).collect();
                            lc["options"] = Value::Object(opts);
                        }
                        cd.insert("logConfiguration".into(), lc);
                    } else {
                        self.notes.push(
                            Finding::warning("not-converted", kp.key("driver"), format!("log driver `{driver}` is not one ECS supports; not converted"))
                                .with_fix("use awslogs (CloudWatch Logs) or awsfirelens"),
                        );
                    }
                }
                "network_mode" => {
                    if !matches!(v.as_str(), Some("host" | "none" | "bridge")) {
                        self.warn(kp, format!("network_mode {v} has no task definition counterpart; not converted"));
                    }
                }
                "platform" => {
                    let s = text(v).unwrap_or_default();
                    let mut parts = s.split('/');
                    let os = parts.next().unwrap_or("");
                    let arch = match parts.next() {
                        Some("arm64" | "aarch64") => Some("ARM64"),
                        Some("amd64" | "x86_64") => Some("X86_64"),
                        _ => None,
                    };
                    match (os, arch) {
                        ("linux", Some(a)) => {
                            let rp = json!({"cpuArchitecture": a, "operatingSystemFamily": "LINUX"});
                            match &self.platform {
                                Some(existing) if *existing != rp => {
                                    self.warn(kp, format!("platform {s} differs from another service's; the task uses the first one"))
                                }
                                _ => self.platform = Some(rp),
                            }
                        }
                        _ => self.warn(kp, format!("platform {s} is not converted (linux/amd64 and linux/arm64 are)")),
                    }
                }
                "pid" => match v.as_str() {
                    Some("host") => {
                        self.task.insert("pidMode".into(), json!("host"));
                        self.info("task-level", kp, "pid: host becomes the task's pidMode \"host\"");
                    }
                    _ => self.warn(kp, format!("pid {v} is not converted")),
                },
                "ipc" => self.warn(kp, "`ipc:` is set for the whole task in ECS (ipcMode); not converted"),
                "networks" => self.warn(kp, "`networks:` is not converted: containers of a task share its network"),
                "secrets" => self.notes.push(
                    Finding::warning("not-converted", kp, "compose secrets (files) are not converted")
                        .with_fix("use containerDefinitions[].secrets with valueFrom set to a Secrets Manager or SSM Parameter Store ARN"),
                ),
                "configs" => self.warn(kp, "compose configs are not converted"),
                "restart" => self.info(
                    "not-converted",
                    kp,
                    "`restart:` is not converted: an ECS service replaces stopped tasks; for in-place restarts see the container restartPolicy",
                ),
                "container_name" => self.info("not-converted", kp, "`container_name:` is not used: the container is named after the service"),
                "stop_signal" => self.warn(kp, "`stop_signal:` is not converted: ECS sends SIGTERM (set STOPSIGNAL in the image)"),
                "profiles" | "pull_policy" | "scale" => self.info("not-converted", kp, format!("`{k}:` is not converted")),
                k if k.starts_with("x-") => {}
                _ => self.warn(kp, format!("`{k}:` is not converted")),
            }
        }
        if let Some(c) = cpu {
            cd.insert("cpu".into(), json!(c));
        }
        if let Some(m) = memory {
            cd.insert("memory".into(), json!(m.max(6)));
        }
        if let Some(r) = reservation {
            cd.insert("memoryReservation".into(), json!(r.max(6)));
        }
        if let (Some(m), Some(r)) = (memory, reservation) {
            if r > m {
                self.notes.push(Finding::warning(
                    "memory-reservation",
                    p.clone(),
                    format!("memory reservation {r} MiB is above the limit {m} MiB"),
                ));
            }
        }
        if !linux.is_empty() {
            cd.insert("linuxParameters".into(), Value::Object(linux));
        }
        if memory.is_none() && reservation.is_none() {
            self.notes.push(
                Finding::warning("no-memory", p.clone(), format!("`{name}` sets no memory limit or reservation; on EC2 a container needs one unless the task sets memory"))
                    .with_fix("add deploy.resources.limits.memory (or reservations.memory), or set the task's memory"),
            );
        }
        cd
    }

    fn string_member(
        &mut self,
        cd: &mut Map<String, Value>,
        member: &str,
        v: &Value,
        p: &JsonPath,
    ) {
        match text(v) {
            Some(s) => {
                cd.insert(member.into(), Value::String(s));
            }
            None => self.warn(p.clone(), "expected a string; not converted"),
        }
    }

    fn bool_member(&mut self, cd: &mut Map<String, Value>, member: &str, v: &Value, p: &JsonPath) {
        match v {
            Value::Bool(b) => {
                cd.insert(member.into(), Value::Bool(*b));
            }
            Value::String(s) if s == "true" || s == "false" => {
                cd.insert(member.into(), Value::Bool(s == "true"));
            }
            _ => self.warn(p.clone(), "expected true or false; not converted"),
        }
    }

    fn string_list_member(&mut self, cd: &mut Map<String, Value>, member: &str, v: &Value) {
        let list: Vec<Value> = match v {
            Value::Array(a) => a.iter().filter_map(text).map(Value::String).collect(),
            other => text(other).map(Value::String).into_iter().collect(),
        };
        if !list.is_empty() {
            cd.insert(member.into(), Value::Array(list));
        }
    }

    fn port(&mut self, port: &Value, p: &JsonPath) -> Vec<Value> {
        match port {
            Value::Number(n) => match n.as_u64() {
                Some(c) if (1..=65535).contains(&c) => {
                    vec![json!({"containerPort": c, "protocol": "tcp"})]
                }
                _ => {
                    self.warn(
                        p.clone(),
                        format!("port {n} is out of range; not converted"),
                    );
                    Vec::new()
                }
            },
            Value::String(s) => self.short_port(s, p),
            Value::Object(o) => {
                let target = o.get("target").and_then(|t| text(t)?.parse::<u64>().ok());
                let Some(target) = target.filter(|t| (1..=65535).contains(t)) else {
                    self.warn(
                        p.clone(),
                        "long-syntax port without a valid `target`; not converted",
                    );
                    return Vec::new();
                };
                let protocol = o
                    .get("protocol")
                    .and_then(Value::as_str)
                    .unwrap_or("tcp")
                    .to_ascii_lowercase();
                let published = o.get("published").and_then(text);
                let mut m = json!({"containerPort": target, "protocol": protocol});
                if let Some(pubs) = published {
                    match pubs.parse::<u64>() {
                        Ok(h) if (1..=65535).contains(&h) => m["hostPort"] = json!(h),
                        _ => self.warn(
                            p.key("published"),
                            format!("published port {pubs} is not converted (a single port is)"),
                        ),
                    }
                }
                if let Some(n) = o.get("name").and_then(Value::as_str) {
                    m["name"] = json!(n);
                }
                if let Some(a) = o.get("app_protocol").and_then(Value::as_str) {
                    let a = a.to_ascii_lowercase();
                    if matches!(a.as_str(), "http" | "http2" | "grpc") {
                        m["appProtocol"] = json!(a);
                    } else {
                        self.warn(
                            p.key("app_protocol"),
                            format!(
                                "app_protocol {a} is not one of http, http2, grpc; not converted"
                            ),
                        );
                    }
                }
                if o.contains_key("host_ip") {
                    self.info(
                        "not-converted",
                        p.key("host_ip"),
                        "the host address a port binds to is not converted",
                    );
                }
                if protocol != "tcp" && protocol != "udp" {
                    self.warn(
                        p.key("protocol"),
                        format!("protocol {protocol} is not tcp or udp; not converted"),
                    );
                    return Vec::new();
                }
                vec![m]
            }
            _ => {
                self.warn(
                    p.clone(),
                    "a port is a number, a string or a mapping; not converted",
                );
                Vec::new()
            }
        }
    }

    /// `[HOST_IP:][HOST_PORT[-END]:]CONTAINER_PORT[-END][/PROTOCOL]`.
    fn short_port(&mut self, s: &str, p: &JsonPath) -> Vec<Value> {
        let (spec, protocol) = match s.rsplit_once('/') {
            Some((a, proto)) => (a, proto.to_ascii_lowercase()),
            None => (s, "tcp".to_string()),
        };
        if protocol != "tcp" && protocol != "udp" {
            self.warn(
                p.clone(),
                format!("protocol {protocol} is not tcp or udp; not converted"),
            );
            return Vec::new();
        }
        // An IPv6 host address is in brackets: [::1]:8080:80.
        let spec_wo_ip = match spec.rfind(']') {
            Some(i) => spec[i + 1..].trim_start_matches(':'),
            None => spec,
        };
        let parts: Vec<&str> = spec_wo_ip.split(':').collect();
        let (host, container) = match parts.as_slice() {
            [c] => (None, *c),
            [h, c] => (Some(*h), *c),
            [_ip, h, c] => {
                self.info(
                    "not-converted",
                    p.clone(),
                    "the host address a port binds to is not converted",
                );
                (Some(*h).filter(|h| !h.is_empty()), *c)
            }
            _ => {
                self.warn(
                    p.clone(),
                    format!("port \"{s}\" is not [HOST:]CONTAINER[/PROTOCOL]; not converted"),
                );
                return Vec::new();
            }
        };
        let range = |x: &str| -> Option<(u64, u64)> {
            let (a, b) = match x.split_once('-') {
                Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
                None => {
                    let v = x.trim().parse().ok()?;
                    (v, v)
                }
            };
            (a >= 1 && b <= 65535 && a <= b).then_some((a, b))
        };
        let Some((c0, c1)) = range(container) else {
            self.warn(
                p.clone(),
                format!("port \"{s}\": `{container}` is not a port or range; not converted"),
            );
            return Vec::new();
        };
        let host = match host {
            None => None,
            Some(h) => {
                match range(h) {
                    Some(r) => Some(r),
                    None => {
                        self.warn(p.clone(), format!("port \"{s}\": host part `{h}` is not a port or range; not converted"));
                        return Vec::new();
                    }
                }
            }
        };
        let n = c1 - c0 + 1;
        if n > 100 {
            self.warn(
                p.clone(),
                format!("port range \"{s}\" has {n} ports; at most 100 are converted"),
            );
            return Vec::new();
        }
        if let Some((h0, h1)) = host {
            if h1 - h0 + 1 != n && h0 != h1 {
                self.warn(
                    p.clone(),
                    format!(
                        "port \"{s}\": host and container ranges differ in length; not converted"
                    ),
                );
                return Vec::new();
            }
        }
        (0..n)
            .map(|i| {
                let mut m = json!({"containerPort": c0 + i, "protocol": protocol});
                if let Some((h0, h1)) = host {
                    m["hostPort"] = json!(if h0 == h1 { h0 } else { h0 + i });
                }
                m
            })
            .collect()
    }

    fn environment(&mut self, v: &Value, p: &JsonPath) -> Vec<Value> {
        let mut out = Vec::new();
        let pairs: Vec<(String, Option<String>, JsonPath)> = match v {
            Value::Array(a) => a
                .iter()
                .enumerate()
                .filter_map(|(i, x)| {
                    let s = text(x)?;
                    Some(match s.split_once('=') {
                        Some((k, v)) => (k.to_string(), Some(v.to_string()), p.index(i)),
                        None => (s, None, p.index(i)),
                    })
                })
                .collect(),
            Value::Object(o) => o
                .iter()
                .map(|(k, x)| (k.clone(), text(x), p.key(k)))
                .collect(),
            _ => {
                self.warn(
                    p.clone(),
                    "`environment:` is a list or a mapping; not converted",
                );
                return out;
            }
        };
        for (k, v, path) in pairs {
            match v {
                Some(v) => out.push(json!({"name": k, "value": v})),
                None => self.notes.push(
                    Finding::warning("compose-variable", path, format!("`{k}` takes its value from the compose host's environment; not converted"))
                        .with_fix(format!("give {k} a value, or make it a secret")),
                ),
            }
        }
        out
    }

    fn healthcheck(&mut self, v: &Value, p: &JsonPath) -> Option<Value> {
        let o = v.as_object()?;
        if o.get("disable") == Some(&Value::Bool(true)) {
            self.info(
                "not-converted",
                p.key("disable"),
                "the health check is disabled; none is set",
            );
            return None;
        }
        let command: Vec<String> = match o.get("test") {
            Some(Value::String(s)) => vec!["CMD-SHELL".into(), s.clone()],
            Some(Value::Array(a)) => {
                let words: Vec<String> = a.iter().filter_map(text).collect();
                match words.first().map(String::as_str) {
                    Some("NONE") => {
                        self.info(
                            "not-converted",
                            p.key("test"),
                            "the health check is NONE; none is set",
                        );
                        return None;
                    }
                    Some("CMD") | Some("CMD-SHELL") => words,
                    _ => {
                        let mut w = vec!["CMD".to_string()];
                        w.extend(words);
                        w
                    }
                }
            }
            _ => {
                self.warn(p.clone(), "a health check without `test:` is not converted");
                return None;
            }
        };
        let mut hc = json!({"command": command});
        for (key, member, lo, hi) in [
            ("interval", "interval", 5, 300),
            ("timeout", "timeout", 2, 120),
            ("start_period", "startPeriod", 0, 300),
        ] {
            if let Some(d) = o.get(key) {
                match go_duration_seconds(d) {
                    Some(s) => {
                        let secs = s.ceil() as i64;
                        let clamped = secs.clamp(lo, hi);
                        if clamped != secs {
                            self.notes.push(Finding::warning(
                                "clamped",
                                p.key(key),
                                format!("ECS takes a health check {member} of {lo} to {hi} seconds; {secs}s became {clamped}s"),
                            ));
                        }
                        hc[member] = json!(clamped);
                    }
                    None => self.warn(
                        p.key(key),
                        format!("`{key}: {d}` is not a duration like 30s or 1m30s; not converted"),
                    ),
                }
            }
        }
        if let Some(r) = o.get("retries") {
            match r.as_i64() {
                Some(n) => {
                    let c = n.clamp(1, 10);
                    if c != n {
                        self.notes.push(Finding::warning(
                            "clamped",
                            p.key("retries"),
                            format!("ECS takes 1 to 10 retries; {n} became {c}"),
                        ));
                    }
                    hc["retries"] = json!(c);
                }
                None => self.warn(
                    p.key("retries"),
                    "retries is not a whole number; not converted",
                ),
            }
        }
        if o.contains_key("start_interval") {
            self.info(
                "not-converted",
                p.key("start_interval"),
                "start_interval has no ECS counterpart; not converted",
            );
        }
        Some(hc)
    }

    fn depends_on(&mut self, v: &Value, p: &JsonPath) -> Vec<Value> {
        let mut out = Vec::new();
        match v {
            Value::Array(a) => {
                for x in a.iter().filter_map(text) {
                    out.push(json!({"containerName": x, "condition": "START"}));
                }
            }
            Value::Object(o) => {
                for (name, d) in o {
                    let cond = d
                        .get("condition")
                        .and_then(Value::as_str)
                        .unwrap_or("service_started");
                    let c = match cond {
                        "service_started" => "START",
                        "service_healthy" => "HEALTHY",
                        "service_completed_successfully" => "SUCCESS",
                        other => {
                            self.warn(
                                p.key(name).key("condition"),
                                format!("condition {other} is not converted; START is used"),
                            );
                            "START"
                        }
                    };
                    for extra in ["restart", "required"] {
                        if d.get(extra).is_some() {
                            self.info(
                                "not-converted",
                                p.key(name).key(extra),
                                format!("`{extra}:` of depends_on is not converted"),
                            );
                        }
                    }
                    out.push(json!({"containerName": name, "condition": c}));
                }
            }
            _ => self.warn(
                p.clone(),
                "`depends_on:` is a list or a mapping; not converted",
            ),
        }
        out
    }

    /// A volume mount: adds the task volume (once) and returns the mount point.
    fn volume(&mut self, container: &str, m: &Value, p: &JsonPath) -> Option<Value> {
        let (source, target, read_only, kind) = match m {
            Value::String(s) => {
                let parts: Vec<&str> = s.split(':').collect();
                let (src, tgt, mode) = match parts.as_slice() {
                    [t] => (None, *t, None),
                    [a, b] if b.starts_with('/') => (Some(*a), *b, None),
                    [a, b] => (None, *a, Some(*b)),
                    [a, b, c, ..] => (Some(*a), *b, Some(*c)),
                    [] => return None,
                };
                let ro = mode.is_some_and(|m| m.split(',').any(|x| x == "ro"));
                let kind = match src {
                    None => "anonymous",
                    Some(x) if x.starts_with('/') || x.starts_with('.') || x.starts_with('~') => {
                        "bind"
                    }
                    Some(_) => "volume",
                };
                (
                    src.map(str::to_string),
                    tgt.to_string(),
                    ro,
                    kind.to_string(),
                )
            }
            Value::Object(o) => {
                let kind = o
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("volume")
                    .to_string();
                let target = o
                    .get("target")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let source = o.get("source").and_then(Value::as_str).map(str::to_string);
                let ro = o.get("read_only").and_then(Value::as_bool).unwrap_or(false);
                let kind = if kind == "volume" && source.is_none() {
                    "anonymous".to_string()
                } else {
                    kind
                };
                (source, target, ro, kind)
            }
            _ => {
                self.warn(
                    p.clone(),
                    "a volume is a string or a mapping; not converted",
                );
                return None;
            }
        };
        if target.is_empty() {
            self.warn(p.clone(), "volume without a target path; not converted");
            return None;
        }
        let vol_name;
        match kind.as_str() {
            "volume" => {
                let src = source.unwrap_or_default();
                vol_name = sanitize(&src);
                self.add_volume(json!({"name": vol_name}));
                self.info(
                    "volume-scope",
                    p.clone(),
                    format!("named volume `{src}` becomes task volume `{vol_name}`, shared by the task's containers and gone when the task stops; for data that must persist use an EFS volume"),
                );
            }
            "bind" => {
                let src = source.unwrap_or_default();
                vol_name = sanitize(
                    src.trim_start_matches(['.', '/', '~'])
                        .trim_start_matches('/'),
                );
                let vol_name = if vol_name.is_empty() || vol_name == "container" {
                    format!("{container}-bind")
                } else {
                    vol_name.clone()
                };
                if src.starts_with('/') {
                    self.add_volume(json!({"name": vol_name, "host": {"sourcePath": src}}));
                    self.info("bind-mount", p.clone(), format!("bind mount of {src} becomes a host volume: it reads the container instance's {src} (EC2 only, not Fargate)"));
                } else {
                    self.add_volume(json!({"name": vol_name}));
                    self.notes.push(
                        Finding::warning("not-converted", p.clone(), format!("bind mount of the relative path {src}: files on the compose host are not available to ECS; an empty task volume is mounted"))
                            .with_fix("copy the files into the image, or use EFS"),
                    );
                }
                return Some(
                    json!({"sourceVolume": vol_name, "containerPath": target, "readOnly": read_only}),
                );
            }
            "anonymous" => {
                vol_name = sanitize(&format!("{container}{}", target.replace('/', "-")));
                self.add_volume(json!({"name": vol_name}));
            }
            "tmpfs" => {
                self.warn(
                    p.clone(),
                    "tmpfs mounts need a size in ECS (linuxParameters.tmpfs); not converted",
                );
                return None;
            }
            other => {
                self.warn(p.clone(), format!("volume type {other} is not converted"));
                return None;
            }
        }
        Some(json!({"sourceVolume": vol_name, "containerPath": target, "readOnly": read_only}))
    }

    fn add_volume(&mut self, v: Value) {
        let name = v.get("name").cloned();
        if !self.volumes.iter().any(|x| x.get("name") == name.as_ref()) {
            self.volumes.push(v);
        }
    }

    fn ulimits(&mut self, v: &Value, p: &JsonPath) -> Vec<Value> {
        let mut out = Vec::new();
        let Some(o) = v.as_object() else {
            self.warn(p.clone(), "`ulimits:` is a mapping; not converted");
            return out;
        };
        let allowed = crate::schema::Shapes::builtin()
            .enum_values("ecs:UlimitName")
            .unwrap_or(&[]);
        for (name, l) in o {
            if !allowed.iter().any(|a| a == name) {
                self.warn(
                    p.key(name),
                    format!("ulimit {name} is not one ECS supports; not converted"),
                );
                continue;
            }
            let (soft, hard) = match l {
                Value::Number(n) => (n.as_i64(), n.as_i64()),
                Value::Object(x) => (
                    x.get("soft").and_then(Value::as_i64),
                    x.get("hard").and_then(Value::as_i64),
                ),
                _ => (None, None),
            };
            match (soft, hard) {
                (Some(s), Some(h)) => {
                    out.push(json!({"name": name, "softLimit": s, "hardLimit": h}))
                }
                _ => self.warn(
                    p.key(name),
                    format!("ulimit {name} needs soft and hard limits; not converted"),
                ),
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn deploy(
        &mut self,
        v: &Value,
        p: &JsonPath,
        cpu: &mut Option<i64>,
        memory: &mut Option<i64>,
        reservation: &mut Option<i64>,
        cd: &mut Map<String, Value>,
    ) {
        let Some(o) = v.as_object() else { return };
        for (k, x) in o {
            let kp = p.key(k);
            match k.as_str() {
                "resources" => {
                    let Some(r) = x.as_object() else { continue };
                    for (rk, rv) in r {
                        let rp = kp.key(rk);
                        let Some(ro) = rv.as_object() else { continue };
                        for (lk, lv) in ro {
                            let lp = rp.key(lk);
                            match (rk.as_str(), lk.as_str()) {
                                ("limits", "cpus") => match cpu_units(lv) {
                                    // The container's cpu is a reservation; a limit only sets it when
                                    // no reservation does.
                                    Some(c) => {
                                        if cpu.is_none() && !ro_has(r, "reservations", "cpus") {
                                            *cpu = Some(c);
                                            self.info("cpu", lp, format!("cpu limit {lv} becomes the container's {c} CPU units (ECS reserves them; it does not cap)"));
                                        }
                                    }
                                    None => self.warn(lp, format!("cpus {lv} is not a number; not converted")),
                                },
                                ("reservations", "cpus") => match cpu_units(lv) {
                                    Some(c) => *cpu = Some(c),
                                    None => self.warn(lp, format!("cpus {lv} is not a number; not converted")),
                                },
                                ("limits", "memory") => match memory_mib(lv) {
                                    Some(m) => *memory = Some(m),
                                    None => self.warn(lp, format!("memory {lv} is not a byte value like 512M; not converted")),
                                },
                                ("reservations", "memory") => match memory_mib(lv) {
                                    Some(m) => *reservation = Some(m),
                                    None => self.warn(lp, format!("memory {lv} is not a byte value like 512M; not converted")),
                                },
                                ("reservations", "devices") => {
                                    let mut gpus = 0i64;
                                    if let Value::Array(devs) = lv {
                                        for (i, d) in devs.iter().enumerate() {
                                            let is_gpu = d
                                                .get("capabilities")
                                                .and_then(Value::as_array)
                                                .is_some_and(|c| c.iter().any(|x| x.as_str() == Some("gpu")));
                                            match (is_gpu, d.get("count")) {
                                                (true, Some(Value::Number(n))) => gpus += n.as_i64().unwrap_or(0),
                                                (true, None) => gpus += 1,
                                                _ => self.warn(lp.index(i), "only GPU device reservations with a count are converted"),
                                            }
                                        }
                                    }
                                    if gpus > 0 {
                                        cd.insert("resourceRequirements".into(), json!([{"type": "GPU", "value": gpus.to_string()}]));
                                    }
                                }
                                _ => self.warn(lp, format!("deploy.resources.{rk}.{lk} is not converted")),
                            }
                        }
                    }
                }
                "replicas" => self.info(
                    "not-converted",
                    kp,
                    format!("replicas: {x} belongs to an ECS service (desiredCount), not the task definition"),
                ),
                _ => self.info("not-converted", kp, format!("deploy.{k} is not converted")),
            }
        }
    }
}

fn ro_has(r: &Map<String, Value>, a: &str, b: &str) -> bool {
    r.get(a).and_then(|x| x.get(b)).is_some()
}

/// A list of `K=V` strings or a mapping, as pairs (`None`: no value).
fn key_values(v: &Value) -> Vec<(String, Option<String>)> {
    match v {
        Value::Array(a) => a
            .iter()
            .filter_map(text)
            .map(|s| match s.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (s, None),
            })
            .collect(),
        Value::Object(o) => o.iter().map(|(k, x)| (k.clone(), text(x))).collect(),
        _ => Vec::new(),
    }
}
