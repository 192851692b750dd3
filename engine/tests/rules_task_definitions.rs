//! Task definition rules, one test per rule (or small group), each citing the AWS page and
//! section it comes from. Every case starts from a task definition with no findings at all and
//! changes one thing.

use engine::api::findings::{Finding, JsonPath, Severity};
use engine::api::plan::TaskDefinition;
use engine::api::rules::{check_task_definition, check_task_definition_in, Context};
use serde_json::{json, Value};

/// An EC2 task definition with nothing to report.
fn ec2() -> Value {
    json!({
        "family": "web",
        "taskRoleArn": "arn:aws:iam::123456789012:role/web-task",
        "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
        "networkMode": "bridge",
        "requiresCompatibilities": ["EC2"],
        "containerDefinitions": [
            {"name": "web", "image": "nginx:1.27", "essential": true, "cpu": 256, "memory": 512,
             "portMappings": [{"containerPort": 80, "hostPort": 0, "protocol": "tcp"}]}
        ]
    })
}

/// A Fargate task definition with nothing to report.
fn fargate() -> Value {
    json!({
        "family": "api",
        "taskRoleArn": "arn:aws:iam::123456789012:role/api-task",
        "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "512",
        "memory": "1024",
        "containerDefinitions": [
            {"name": "api", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:3.2.0", "essential": true,
             "portMappings": [{"containerPort": 3000, "protocol": "tcp"}],
             "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/api", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "api"}}}
        ]
    })
}

/// `v` with the JSON pointer `ptr` set to `x` (objects are created on the way).
fn with(mut v: Value, ptr: &str, x: Value) -> Value {
    let mut cur = &mut v;
    let parts: Vec<&str> = ptr.trim_start_matches('/').split('/').collect();
    for (n, p) in parts.iter().enumerate() {
        let last = n + 1 == parts.len();
        cur = match cur {
            Value::Array(a) => {
                let i: usize = p.parse().unwrap();
                if last {
                    if i == a.len() {
                        a.push(x);
                    } else {
                        a[i] = x;
                    }
                    return v;
                }
                &mut a[i]
            }
            Value::Object(o) => {
                if last {
                    o.insert(p.to_string(), x);
                    return v;
                }
                o.entry(p.to_string()).or_insert(json!({}))
            }
            _ => panic!("cannot descend into {p}"),
        };
    }
    v
}

/// `v` without the member at `ptr`.
fn without(mut v: Value, ptr: &str) -> Value {
    let (parent, key) = ptr.rsplit_once('/').unwrap();
    v.pointer_mut(if parent.is_empty() { "" } else { parent })
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove(key);
    v
}

fn run(v: &Value) -> Vec<Finding> {
    let td: TaskDefinition = serde_json::from_value(v.clone()).expect("a task definition");
    check_task_definition(&td, &JsonPath::root())
}

fn run_in(v: &Value, region: &str) -> Vec<Finding> {
    let td: TaskDefinition = serde_json::from_value(v.clone()).expect("a task definition");
    check_task_definition_in(
        &td,
        &JsonPath::root(),
        &Context {
            region: Some(region),
            ..Context::default()
        },
    )
}

/// The one finding with `code`, checked to have a fix and a page.
#[track_caller]
fn one(v: &Value, code: &str) -> Finding {
    let all = run(v);
    let hits: Vec<&Finding> = all.iter().filter(|f| f.code == code).collect();
    assert_eq!(hits.len(), 1, "expected one {code}, got {all:#?}");
    let f = hits[0].clone();
    assert!(
        f.fix.as_deref().is_some_and(|x| !x.is_empty()),
        "{code} has a fix"
    );
    assert!(
        f.doc.as_deref().is_some_and(|x| !x.is_empty()),
        "{code} has a page"
    );
    f
}

#[track_caller]
fn none(v: &Value, code: &str) {
    let all = run(v);
    assert!(
        !all.iter().any(|f| f.code == code),
        "unexpected {code}: {all:#?}"
    );
}

#[track_caller]
fn codes(v: &Value) -> Vec<String> {
    run(v).into_iter().map(|f| f.code).collect()
}

#[test]
fn the_baselines_are_clean() {
    assert_eq!(run(&ec2()), vec![], "EC2 baseline");
    assert_eq!(run(&fargate()), vec![], "Fargate baseline");
    assert_eq!(run_in(&fargate(), "us-east-1"), vec![]);
}

// ---- Names ------------------------------------------------------------------------------

#[test]
fn family_name() {
    // task_definition_parameters.md#family; API: up to 255 letters, numbers, underscores, hyphens.
    let f = one(&with(ec2(), "/family", json!("my web")), "family-name");
    assert_eq!(f.path.to_string(), "family");
    assert!(f.fix.unwrap().contains("my-web"));
    one(
        &with(ec2(), "/family", json!("x".repeat(256))),
        "family-name",
    );
    none(
        &with(ec2(), "/family", json!("A_b-9".repeat(51))),
        "family-name",
    );
}

#[test]
fn container_names_and_duplicates() {
    // task_definition_parameters.md#container_definition_name: the pattern, and names link containers.
    one(
        &with(ec2(), "/containerDefinitions/0/name", json!("web.app")),
        "container-name",
    );
    let dup = with(
        ec2(),
        "/containerDefinitions/1",
        json!({"name": "web", "image": "busybox:1", "memory": 64, "essential": false}),
    );
    let f = one(&dup, "duplicate-container-name");
    assert_eq!(f.path.to_string(), "containerDefinitions[1].name");
}

#[test]
fn volume_names_and_duplicates() {
    // task_definition_parameters.md#volumes: name pattern; names are what mountPoints refer to.
    let v = with(
        ec2(),
        "/volumes",
        json!([{"name": "data/1"}, {"name": "logs"}, {"name": "logs"}]),
    );
    let f = one(&v, "volume-name");
    assert_eq!(f.path.to_string(), "volumes[0].name");
    assert_eq!(
        one(&v, "duplicate-volume-name").path.to_string(),
        "volumes[2].name"
    );
}

#[test]
fn port_mapping_names() {
    // API PortMapping.name: up to 64 of a-z, 0-9, _ and -, not starting with -; unique for Service Connect.
    let v = with(
        ec2(),
        "/containerDefinitions/0/portMappings/0/name",
        json!("-HTTP"),
    );
    one(&v, "port-mapping-name");
    none(
        &with(
            ec2(),
            "/containerDefinitions/0/portMappings/0/name",
            json!("http_1"),
        ),
        "port-mapping-name",
    );
    let two = with(
        with(
            ec2(),
            "/containerDefinitions/0/portMappings/0/name",
            json!("http"),
        ),
        "/containerDefinitions/0/portMappings/1",
        json!({"containerPort": 81, "name": "http"}),
    );
    one(&two, "duplicate-port-mapping-name");
}

// ---- Containers and task size ----------------------------------------------------------

#[test]
fn at_least_one_and_at_most_ten_containers() {
    // task_definition_parameters.md#container_definitions (required); ECS quota: 10 containers.
    one(
        &with(ec2(), "/containerDefinitions", json!([])),
        "no-containers",
    );
    let many: Vec<Value> = (0..11)
        .map(|i| json!({"name": format!("c{i}"), "image": "busybox:1", "memory": 32}))
        .collect();
    let f = one(
        &with(ec2(), "/containerDefinitions", json!(many)),
        "too-many-containers",
    );
    assert!(f.message.contains("11 containers"));
    let ten: Vec<Value> = (0..10)
        .map(|i| json!({"name": format!("c{i}"), "image": "busybox:1", "memory": 32}))
        .collect();
    none(
        &with(ec2(), "/containerDefinitions", json!(ten)),
        "too-many-containers",
    );
}

#[test]
fn an_essential_container() {
    // task_definition_parameters.md#container_definition_environment ("essential"): at least one.
    let f = one(
        &with(ec2(), "/containerDefinitions/0/essential", json!(false)),
        "no-essential-container",
    );
    assert!(f.fix.unwrap().contains("\"web\""));
    // Omitted means essential.
    none(
        &without(ec2(), "/containerDefinitions/0/essential"),
        "no-essential-container",
    );
}

#[test]
fn task_size_strings_are_read_like_aws() {
    // task_definition_parameters.md#task_size: "1 vCPU" and "2 GB" are converted at registration.
    let v = with(
        with(fargate(), "/cpu", json!("1 vCPU")),
        "/memory",
        json!("2 GB"),
    );
    assert_eq!(run(&v), vec![]);
    let v = with(
        with(fargate(), "/cpu", json!(".5 vcpu")),
        "/memory",
        json!("1GB"),
    );
    assert_eq!(run(&v), vec![]);
    one(
        &with(ec2(), "/cpu", json!("half a core")),
        "task-size-format",
    );
    one(
        &with(ec2(), "/memory", json!("2 bananas")),
        "task-size-format",
    );
    one(&with(ec2(), "/memory", json!("0")), "task-size-format");
}

#[test]
fn task_cpu_range_on_ec2() {
    // API RegisterTaskDefinitionRequest.cpu: 128 to 196608 units on EC2 (the 2023 guide said 10240).
    one(&with(ec2(), "/cpu", json!("64")), "task-cpu-range");
    none(&with(ec2(), "/cpu", json!("196608")), "task-cpu-range");
    none(&with(ec2(), "/cpu", json!("20 vCPU")), "task-cpu-range");
    one(&with(ec2(), "/cpu", json!("193 vCPU")), "task-cpu-range");
}

#[test]
fn windows_on_ec2_ignores_task_size() {
    // task_definition_parameters.md#task_size: task-level cpu and memory are ignored for Windows containers.
    let v = with(
        with(
            ec2(),
            "/runtimePlatform",
            json!({"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}),
        ),
        "/memory",
        json!("2048"),
    );
    assert_eq!(
        one(&v, "windows-task-size-ignored").severity,
        Severity::Info
    );
    // So a task memory below the containers' is no error there.
    none(
        &with(v, "/memory", json!("128")),
        "container-memory-exceeds-task",
    );
}

#[test]
fn container_memory_when_the_task_has_none() {
    // task_definition_parameters.md#container_definition_memory: EC2 without task memory needs
    // memory or memoryReservation on every container.
    let v = without(ec2(), "/containerDefinitions/0/memory");
    let f = one(&v, "container-memory-missing");
    assert_eq!(f.path.to_string(), "containerDefinitions[0]");
    none(
        &with(
            v.clone(),
            "/containerDefinitions/0/memoryReservation",
            json!(256),
        ),
        "container-memory-missing",
    );
    none(
        &with(v, "/memory", json!("512")),
        "container-memory-missing",
    );
}

#[test]
fn container_memory_minimum_and_soft_below_hard() {
    // task_definition_parameters.md#container_definition_memory: at least 6 MiB (Docker 20.10);
    // memory must be greater than memoryReservation.
    one(
        &with(ec2(), "/containerDefinitions/0/memory", json!(4)),
        "container-memory-minimum",
    );
    none(
        &with(ec2(), "/containerDefinitions/0/memory", json!(6)),
        "container-memory-minimum",
    );
    let f = one(
        &with(
            ec2(),
            "/containerDefinitions/0/memoryReservation",
            json!(512),
        ),
        "memory-reservation-not-below-memory",
    );
    assert_eq!(
        f.path.to_string(),
        "containerDefinitions[0].memoryReservation"
    );
    none(
        &with(
            ec2(),
            "/containerDefinitions/0/memoryReservation",
            json!(511),
        ),
        "memory-reservation-not-below-memory",
    );
}

#[test]
fn container_memory_and_cpu_fit_the_task() {
    // task_definition_parameters.md#container_definition_memory and ("cpu") #container_definition_environment.
    let v = with(
        with(ec2(), "/memory", json!("1024")),
        "/containerDefinitions/0/memory",
        json!(2048),
    );
    assert_eq!(
        one(&v, "container-memory-exceeds-task").path.to_string(),
        "containerDefinitions[0].memory"
    );
    let two = with(
        with(ec2(), "/memory", json!("1024")),
        "/containerDefinitions/1",
        json!({"name": "side", "image": "busybox:1", "memory": 600, "essential": false}),
    );
    let f = one(&two, "container-memory-exceeds-task");
    assert_eq!(f.path.to_string(), "memory");
    assert!(f.message.contains("1112 MiB"), "{}", f.message);
    // Equal is fine (a single container given the whole task).
    none(
        &with(ec2(), "/memory", json!("512")),
        "container-memory-exceeds-task",
    );
    let v = with(ec2(), "/cpu", json!("128"));
    assert_eq!(
        one(&v, "container-cpu-exceeds-task").path.to_string(),
        "containerDefinitions[0].cpu"
    );
    none(
        &with(ec2(), "/cpu", json!("256")),
        "container-cpu-exceeds-task",
    );
}

#[test]
fn health_checks() {
    // task_definition_parameters.md#container_definition_healthcheck: CMD or CMD-SHELL first;
    // interval 5-300, timeout 2-60, retries 1-10, startPeriod 0-300.
    let hc = |c: Value| with(ec2(), "/containerDefinitions/0/healthCheck", c);
    one(
        &hc(json!({"command": ["curl -f http://localhost/"]})),
        "health-check-command",
    );
    one(&hc(json!({"command": []})), "health-check-command");
    none(
        &hc(json!({"command": ["CMD", "true"]})),
        "health-check-command",
    );
    let f = one(
        &hc(json!({"command": ["CMD-SHELL", "true"], "interval": 2})),
        "health-check-range",
    );
    assert_eq!(
        f.path.to_string(),
        "containerDefinitions[0].healthCheck.interval"
    );
    one(
        &hc(json!({"command": ["CMD-SHELL", "true"], "timeout": 61})),
        "health-check-range",
    );
    one(
        &hc(json!({"command": ["CMD-SHELL", "true"], "retries": 0})),
        "health-check-range",
    );
    one(
        &hc(json!({"command": ["CMD-SHELL", "true"], "startPeriod": 301})),
        "health-check-range",
    );
    none(
        &hc(
            json!({"command": ["CMD-SHELL", "true"], "interval": 300, "timeout": 60, "retries": 10, "startPeriod": 0}),
        ),
        "health-check-range",
    );
    let f = one(
        &hc(json!({"command": ["CMD-SHELL", "curl", "-f", "http://localhost"]})),
        "health-check-shell-arguments",
    );
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.fix.unwrap().contains("curl -f http://localhost"));
}

#[test]
fn environment_files_and_duplicate_variables() {
    // task_definition_parameters.md#container_definition_environment: up to ten files, S3 objects with .env.
    let file = |v: &str| json!({"value": v, "type": "s3"});
    let ok = with(
        ec2(),
        "/containerDefinitions/0/environmentFiles",
        json!([file("arn:aws:s3:::bucket/app/prod.env")]),
    );
    none(&ok, "environment-files");
    one(
        &with(
            ec2(),
            "/containerDefinitions/0/environmentFiles",
            json!([file("arn:aws:s3:::bucket/app/prod.txt")]),
        ),
        "environment-files",
    );
    one(
        &with(
            ec2(),
            "/containerDefinitions/0/environmentFiles",
            json!([file("s3://bucket/prod.env")]),
        ),
        "environment-files",
    );
    let eleven: Vec<Value> = (0..11)
        .map(|i| file(&format!("arn:aws:s3:::b/{i}.env")))
        .collect();
    one(
        &with(
            ec2(),
            "/containerDefinitions/0/environmentFiles",
            json!(eleven),
        ),
        "environment-files",
    );
    // A variable set in environment and secrets: environment wins, a likely mistake.
    let v = with(
        with(
            ec2(),
            "/containerDefinitions/0/environment",
            json!([{"name": "DB_PASSWORD", "value": "x"}]),
        ),
        "/containerDefinitions/0/secrets",
        json!([{"name": "DB_PASSWORD", "valueFrom": "/prod/db-password"}]),
    );
    assert_eq!(
        one(&v, "duplicate-environment-name").severity,
        Severity::Warning
    );
}

#[test]
fn awsvpc_has_no_hostname_or_extra_hosts() {
    // task_definition_parameters.md#container_definition_network: hostname and extraHosts are not supported with awsvpc.
    let v = with(fargate(), "/containerDefinitions/0/hostname", json!("api"));
    one(&v, "awsvpc-unsupported-parameter");
    let v = with(
        fargate(),
        "/containerDefinitions/0/extraHosts",
        json!([{"hostname": "db", "ipAddress": "10.0.0.1"}]),
    );
    one(&v, "awsvpc-unsupported-parameter");
    none(
        &with(ec2(), "/containerDefinitions/0/hostname", json!("web")),
        "awsvpc-unsupported-parameter",
    );
}

// ---- Logging ----------------------------------------------------------------------------

#[test]
fn awslogs_options() {
    // task_definition_parameters.md#container_definition_storage (logConfiguration) and the API
    // model's LogConfiguration.options: awslogs-group and awslogs-region are required.
    let lc = |o: Value| {
        with(
            ec2(),
            "/containerDefinitions/0/logConfiguration",
            json!({"logDriver": "awslogs", "options": o}),
        )
    };
    let f = one(&lc(json!({"awslogs-group": "/ecs/web"})), "awslogs-options");
    assert!(f.message.contains("awslogs-region"));
    one(
        &lc(json!({"awslogs-region": "us-east-1"})),
        "awslogs-options",
    );
    let f = one(
        &lc(
            json!({"awslogs-group": "/g", "awslogs-region": "us-east-1", "awslogs-stream-prefx": "x"}),
        ),
        "awslogs-options",
    );
    assert!(f.fix.unwrap().contains("awslogs-stream-prefix"));
    one(
        &lc(json!({"awslogs-group": "/g", "awslogs-region": "r", "mode": "fast"})),
        "awslogs-options",
    );
    one(
        &lc(
            json!({"awslogs-group": "/g", "awslogs-region": "r", "awslogs-datetime-format": "%Y", "awslogs-multiline-pattern": "^x"}),
        ),
        "awslogs-options",
    );
    let f = one(
        &lc(
            json!({"awslogs-group": "/g", "awslogs-region": "r", "awslogs-endpoint": "https://logs"}),
        ),
        "awslogs-option-undocumented",
    );
    assert_eq!(f.severity, Severity::Warning);
    none(
        &lc(
            json!({"awslogs-group": "/g", "awslogs-region": "r", "mode": "non-blocking", "max-buffer-size": "25m", "awslogs-create-group": "true"}),
        ),
        "awslogs-options",
    );
}

#[test]
fn splunk_options() {
    // API LogConfiguration.options: splunk needs splunk-token and splunk-url (the token may be a secret option).
    let lc = |v: Value| with(ec2(), "/containerDefinitions/0/logConfiguration", v);
    one(
        &lc(json!({"logDriver": "splunk", "options": {"splunk-url": "https://s:8088"}})),
        "splunk-options",
    );
    none(
        &lc(
            json!({"logDriver": "splunk", "options": {"splunk-url": "https://s:8088"},
                   "secretOptions": [{"name": "splunk-token", "valueFrom": "/ecs/splunk-token"}]}),
        ),
        "splunk-options",
    );
}

#[test]
fn awslogs_on_fargate_needs_a_stream_prefix() {
    // AWS_Fargate.md#fargate-tasks-logging; API: awslogs-stream-prefix is required on Fargate, optional on EC2.
    let v = without(
        fargate(),
        "/containerDefinitions/0/logConfiguration/options/awslogs-stream-prefix",
    );
    one(&v, "awslogs-stream-prefix");
    none(
        &without(
            with(
                ec2(),
                "/containerDefinitions/0/logConfiguration",
                json!({"logDriver": "awslogs", "options": {"awslogs-group": "/g", "awslogs-region": "r"}}),
            ),
            "/taskRoleArn",
        ),
        "awslogs-stream-prefix",
    );
}

// ---- Ports ------------------------------------------------------------------------------

#[test]
fn network_mode_none_maps_no_ports() {
    // task_definition_parameters.md#network_mode: with none, port mappings can't be specified.
    one(
        &with(ec2(), "/networkMode", json!("none")),
        "port-mappings-network-none",
    );
}

#[test]
fn awsvpc_and_host_host_port_equals_container_port() {
    // task_definition_parameters.md#container_definition_portmappings: in awsvpc (and host) hostPort
    // is omitted or equal to containerPort.
    let v = with(
        fargate(),
        "/containerDefinitions/0/portMappings/0/hostPort",
        json!(8080),
    );
    let f = one(&v, "host-port-mismatch");
    assert_eq!(
        f.path.to_string(),
        "containerDefinitions[0].portMappings[0].hostPort"
    );
    assert_eq!(f.fix.as_deref(), Some("set hostPort to 3000 or remove it"));
    none(
        &with(
            fargate(),
            "/containerDefinitions/0/portMappings/0/hostPort",
            json!(3000),
        ),
        "host-port-mismatch",
    );
    let host = with(
        with(ec2(), "/networkMode", json!("host")),
        "/containerDefinitions/0/portMappings/0/hostPort",
        json!(8080),
    );
    one(&host, "host-port-mismatch");
    // Bridge: any host port, 0 for dynamic.
    none(
        &with(
            ec2(),
            "/containerDefinitions/0/portMappings/0/hostPort",
            json!(8080),
        ),
        "host-port-mismatch",
    );
}

#[test]
fn ports_exist_and_are_in_range() {
    // task_definition_parameters.md#container_definition_portmappings: containerPort is required
    // when portMappings are used; ports are 1-65535.
    one(
        &with(
            ec2(),
            "/containerDefinitions/0/portMappings/0",
            json!({"hostPort": 80}),
        ),
        "container-port-missing",
    );
    one(
        &with(
            ec2(),
            "/containerDefinitions/0/portMappings/0/containerPort",
            json!(70000),
        ),
        "port-out-of-range",
    );
    one(
        &with(
            ec2(),
            "/containerDefinitions/0/portMappings/0/hostPort",
            json!(70000),
        ),
        "port-out-of-range",
    );
}

#[test]
fn container_port_ranges() {
    // task_definition_parameters.md#container_definition_portmappings (containerPortRange): bridge
    // or awsvpc, first < last, no hostPort.
    let range = |r: &str| {
        with(
            fargate(),
            "/containerDefinitions/0/portMappings/0",
            json!({"containerPortRange": r}),
        )
    };
    none(&range("8000-8099"), "container-port-range");
    none(&range("8000-8099"), "container-port-missing");
    one(&range("8099-8000"), "container-port-range");
    one(&range("80"), "container-port-range");
    let host = with(
        with(ec2(), "/networkMode", json!("host")),
        "/containerDefinitions/0/portMappings/0",
        json!({"containerPortRange": "8000-8001"}),
    );
    one(&host, "container-port-range");
    let with_host = with(
        ec2(),
        "/containerDefinitions/0/portMappings/0",
        json!({"containerPortRange": "8000-8001", "hostPort": 9000}),
    );
    one(&with_host, "container-port-range");
}

#[test]
fn duplicate_port_mappings() {
    // task_definition_parameters.md#container_definition_portmappings: a port can be in one mapping per container.
    let v = with(
        ec2(),
        "/containerDefinitions/0/portMappings/1",
        json!({"containerPort": 80, "hostPort": 8080}),
    );
    one(&v, "duplicate-port-mapping");
    // Same number, other protocol: fine.
    none(
        &with(
            ec2(),
            "/containerDefinitions/0/portMappings/1",
            json!({"containerPort": 80, "protocol": "udp"}),
        ),
        "duplicate-port-mapping",
    );
}

#[test]
fn duplicate_host_ports() {
    // task_definition_parameters.md#container_definition_portmappings (hostPort): a host port is
    // reserved by one container; in awsvpc the containers share the task's interface.
    let bridge = with(
        with(
            ec2(),
            "/containerDefinitions/0/portMappings/0/hostPort",
            json!(8080),
        ),
        "/containerDefinitions/1",
        json!({"name": "side", "image": "busybox:1", "memory": 32, "portMappings": [{"containerPort": 9000, "hostPort": 8080}]}),
    );
    assert_eq!(
        one(&bridge, "duplicate-host-port").path.to_string(),
        "containerDefinitions[1].portMappings[0].hostPort"
    );
    let awsvpc = with(
        fargate(),
        "/containerDefinitions/1",
        json!({"name": "side", "image": "busybox:1", "essential": false, "portMappings": [{"containerPort": 3000}]}),
    );
    one(&awsvpc, "duplicate-host-port");
    // Dynamic ports never collide.
    let dynamic = with(
        ec2(),
        "/containerDefinitions/1",
        json!({"name": "side", "image": "busybox:1", "memory": 32, "portMappings": [{"containerPort": 80}]}),
    );
    none(&dynamic, "duplicate-host-port");
}

#[test]
fn reserved_and_ephemeral_host_ports() {
    // task_definition_parameters.md#container_definition_portmappings (hostPort): 22, 2375, 2376,
    // 51678-51680 are reserved; don't pick ports in the ephemeral range.
    let f = one(
        &with(
            ec2(),
            "/containerDefinitions/0/portMappings/0/hostPort",
            json!(22),
        ),
        "reserved-host-port",
    );
    assert_eq!(f.severity, Severity::Warning);
    one(
        &with(
            ec2(),
            "/containerDefinitions/0/portMappings/0/hostPort",
            json!(51680),
        ),
        "reserved-host-port",
    );
    one(
        &with(
            ec2(),
            "/containerDefinitions/0/portMappings/0/hostPort",
            json!(40000),
        ),
        "ephemeral-host-port",
    );
    none(
        &with(
            ec2(),
            "/containerDefinitions/0/portMappings/0/hostPort",
            json!(8080),
        ),
        "ephemeral-host-port",
    );
}

// ---- Container references and start order ----------------------------------------------

fn two_containers() -> Value {
    with(
        ec2(),
        "/containerDefinitions/1",
        json!({"name": "init", "image": "busybox:1", "memory": 32, "essential": false}),
    )
}

#[test]
fn references_name_containers_of_the_task() {
    // task_definition_parameters.md#container_definition_dependson, #container_definition_network
    // (links) and #container_definition_storage (volumesFrom).
    let v = with(
        two_containers(),
        "/containerDefinitions/0/dependsOn",
        json!([{"containerName": "inti", "condition": "START"}]),
    );
    let f = one(&v, "unknown-container");
    assert_eq!(
        f.path.to_string(),
        "containerDefinitions[0].dependsOn[0].containerName"
    );
    assert_eq!(f.fix.as_deref(), Some("did you mean \"init\"?"));
    one(
        &with(
            two_containers(),
            "/containerDefinitions/0/links",
            json!(["db:database"]),
        ),
        "unknown-container",
    );
    one(
        &with(
            two_containers(),
            "/containerDefinitions/0/volumesFrom",
            json!([{"sourceContainer": "data"}]),
        ),
        "unknown-container",
    );
    none(
        &with(
            two_containers(),
            "/containerDefinitions/0/links",
            json!(["init:setup"]),
        ),
        "unknown-container",
    );
}

#[test]
fn dependency_cycles_are_reported_with_the_circle() {
    // task_definition_parameters.md#container_definition_dependson: a container does not start
    // until its dependencies are met; links and volumesFrom order starts too (the START condition).
    let v = with(
        with(
            two_containers(),
            "/containerDefinitions/0/dependsOn",
            json!([{"containerName": "init", "condition": "START"}]),
        ),
        "/containerDefinitions/1/volumesFrom",
        json!([{"sourceContainer": "web"}]),
    );
    let f = one(&v, "dependency-cycle");
    assert!(
        f.message
            .contains("\"web\" -> (dependsOn) \"init\" -> (volumesFrom) \"web\""),
        "{}",
        f.message
    );
    assert_eq!(f.path.to_string(), "containerDefinitions[0].dependsOn[0]");
    let selfish = with(
        ec2(),
        "/containerDefinitions/0/dependsOn",
        json!([{"containerName": "web", "condition": "START"}]),
    );
    assert!(one(&selfish, "dependency-cycle")
        .message
        .contains("waits on itself"));
    // Three containers in a circle, reported once.
    let mut three = two_containers();
    three = with(
        three,
        "/containerDefinitions/2",
        json!({"name": "c", "image": "busybox:1", "memory": 32}),
    );
    three = with(
        three,
        "/containerDefinitions/0/dependsOn",
        json!([{"containerName": "init", "condition": "START"}]),
    );
    three = with(
        three,
        "/containerDefinitions/1/dependsOn",
        json!([{"containerName": "c", "condition": "START"}]),
    );
    three = with(
        three,
        "/containerDefinitions/2/dependsOn",
        json!([{"containerName": "web", "condition": "START"}]),
    );
    one(&three, "dependency-cycle");
    // A chain is not a circle.
    none(
        &with(
            two_containers(),
            "/containerDefinitions/0/dependsOn",
            json!([{"containerName": "init", "condition": "SUCCESS"}]),
        ),
        "dependency-cycle",
    );
}

#[test]
fn complete_and_success_not_on_essential_containers() {
    // task_definition_parameters.md#container_definition_dependson: COMPLETE and SUCCESS can't be
    // set on an essential container.
    let v = with(
        with(
            two_containers(),
            "/containerDefinitions/1/essential",
            json!(true),
        ),
        "/containerDefinitions/0/dependsOn",
        json!([{"containerName": "init", "condition": "SUCCESS"}]),
    );
    one(&v, "dependency-condition-essential");
    none(
        &with(
            two_containers(),
            "/containerDefinitions/0/dependsOn",
            json!([{"containerName": "init", "condition": "COMPLETE"}]),
        ),
        "dependency-condition-essential",
    );
}

#[test]
fn healthy_needs_a_health_check() {
    // task_definition_parameters.md#container_definition_dependson: HEALTHY needs the target's health check.
    let v = with(
        two_containers(),
        "/containerDefinitions/0/dependsOn",
        json!([{"containerName": "init", "condition": "HEALTHY"}]),
    );
    one(&v, "dependency-healthy-without-health-check");
    let ok = with(
        v,
        "/containerDefinitions/1/healthCheck",
        json!({"command": ["CMD", "true"]}),
    );
    none(&ok, "dependency-healthy-without-health-check");
}

#[test]
fn links_only_in_bridge_mode() {
    // task_definition_parameters.md#container_definition_network ("links"): bridge only.
    let v = with(
        with(
            fargate(),
            "/containerDefinitions/1",
            json!({"name": "db", "image": "postgres:16", "essential": false}),
        ),
        "/containerDefinitions/0/links",
        json!(["db"]),
    );
    assert!(one(&v, "links-network-mode")
        .fix
        .unwrap()
        .contains("localhost"));
}

// ---- Secrets and IAM roles --------------------------------------------------------------

#[test]
fn secret_sources() {
    // specifying-sensitive-data-secrets.md#secrets-envvar and task_definition_parameters.md
    // ("secrets"): a Secrets Manager ARN (optionally :json-key:version-stage:version-id), an SSM
    // parameter ARN, or an SSM parameter name in the same Region.
    let s = |v: &str| {
        with(
            ec2(),
            "/containerDefinitions/0/secrets",
            json!([{"name": "X", "valueFrom": v}]),
        )
    };
    for ok in [
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:username1::",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf::AWSPREVIOUS:",
        "arn:aws:ssm:eu-west-1:123456789012:parameter/orders/database-url",
        "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/x",
        "/prod/db/password",
        "db_password",
    ] {
        none(&s(ok), "secret-value-from");
    }
    for bad in [
        "arn:aws:s3:::bucket/secret.txt",
        "arn:aws:secretsmanager:us-east-1:123456789012:db",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:db:username1",
        "arn:aws:ssm:eu-west-1:123456789012:orders",
        "arn:aws:ssm:eu-west-1:1234:parameter/x",
        "prod/db/password",
        "my password",
        "aws-reserved",
        "",
    ] {
        one(&s(bad), "secret-value-from");
    }
    // Log driver secret options are checked the same way.
    let lc = with(
        ec2(),
        "/containerDefinitions/0/logConfiguration",
        json!({"logDriver": "splunk", "options": {"splunk-url": "https://s"}, "secretOptions": [{"name": "splunk-token", "valueFrom": "arn:aws:s3:::x"}]}),
    );
    assert_eq!(
        one(&lc, "secret-value-from").path.to_string(),
        "containerDefinitions[0].logConfiguration.secretOptions[0].valueFrom"
    );
}

#[test]
fn repository_credentials_are_a_secrets_manager_secret() {
    // task_execution_IAM_role.md#task-execution-private-auth; AWS_Fargate.md#fargate-private-auth-reg.
    let rc = |v: &str| {
        with(
            ec2(),
            "/containerDefinitions/0/repositoryCredentials",
            json!({"credentialsParameter": v}),
        )
    };
    none(
        &rc("arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub-AbCdEf"),
        "repository-credentials",
    );
    none(&rc("dockerhub"), "repository-credentials");
    one(
        &rc("arn:aws:ssm:us-east-1:123456789012:parameter/dockerhub"),
        "repository-credentials",
    );
    one(&rc("user:password"), "repository-credentials");
}

#[test]
fn the_execution_role_starts_the_task() {
    // task_execution_IAM_role.md: secrets, environment files and private registry credentials
    // need it everywhere; ECR images and awslogs need it on Fargate (and external instances).
    let secrets = without(
        with(
            ec2(),
            "/containerDefinitions/0/secrets",
            json!([{"name": "X", "valueFrom": "/x"}]),
        ),
        "/executionRoleArn",
    );
    let f = one(&secrets, "execution-role-required");
    assert!(f.message.contains("reads secrets"), "{}", f.message);
    assert!(
        f.message.contains("task role"),
        "the message tells the two roles apart: {}",
        f.message
    );
    assert!(f
        .fix
        .unwrap()
        .contains("arn:aws:iam::123456789012:role/ecsTaskExecutionRole"));
    one(
        &without(
            with(
                ec2(),
                "/containerDefinitions/0/environmentFiles",
                json!([{"value": "arn:aws:s3:::b/a.env", "type": "s3"}]),
            ),
            "/executionRoleArn",
        ),
        "execution-role-required",
    );
    one(
        &without(
            with(
                ec2(),
                "/containerDefinitions/0/repositoryCredentials",
                json!({"credentialsParameter": "hub"}),
            ),
            "/executionRoleArn",
        ),
        "execution-role-required",
    );
    let f = one(
        &without(fargate(), "/executionRoleArn"),
        "execution-role-required",
    );
    assert!(
        f.message.contains("private ECR repository") && f.message.contains("awslogs"),
        "{}",
        f.message
    );
    // "" is no role (AWS's own example passes "taskRoleArn": "").
    one(
        &with(fargate(), "/executionRoleArn", json!("")),
        "execution-role-required",
    );
    // A public image with no logging on Fargate needs none.
    let plain = without(
        without(
            with(
                fargate(),
                "/containerDefinitions/0/image",
                json!("public.ecr.aws/nginx/nginx:1.27"),
            ),
            "/containerDefinitions/0/logConfiguration",
        ),
        "/executionRoleArn",
    );
    none(&plain, "execution-role-required");
}

#[test]
fn on_ec2_the_instance_role_does_the_agents_work() {
    // task_execution_IAM_role.md: on EC2 without an execution role, the container instance role
    // pulls ECR images and sends awslogs logs.
    let v = without(
        with(
            with(
                ec2(),
                "/containerDefinitions/0/image",
                json!("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1"),
            ),
            "/containerDefinitions/0/logConfiguration",
            json!({"logDriver": "awslogs", "options": {"awslogs-group": "/g", "awslogs-region": "us-east-1"}}),
        ),
        "/executionRoleArn",
    );
    let f = one(&v, "instance-role-used");
    assert_eq!(f.severity, Severity::Info);
    assert!(f.message.contains("ECR pull and awslogs"), "{}", f.message);
}

#[test]
fn applications_that_call_aws_get_a_task_role() {
    // task-iam-roles.md: the task role gives the application its credentials; on EC2 without
    // it, containers can reach the instance profile's.
    let v = without(
        with(
            ec2(),
            "/containerDefinitions/0/environment",
            json!([{"name": "ORDERS_TABLE", "value": "orders"}]),
        ),
        "/taskRoleArn",
    );
    let f = one(&v, "no-task-role");
    assert!(f.message.contains("instance profile"), "{}", f.message);
    let fg = without(
        with(
            fargate(),
            "/containerDefinitions/0/environment",
            json!([{"name": "QUEUE", "value": "https://sqs.us-east-1.amazonaws.com/1/q"}]),
        ),
        "/taskRoleArn",
    );
    assert!(one(&fg, "no-task-role")
        .message
        .contains("no AWS credentials"));
    // No sign of AWS calls: nothing to say.
    none(&without(ec2(), "/taskRoleArn"), "no-task-role");
}

#[test]
fn one_role_for_both_jobs() {
    // task-iam-roles.md / task_execution_IAM_role.md: the roles have different jobs.
    let v = with(
        ec2(),
        "/taskRoleArn",
        json!("arn:aws:iam::123456789012:role/ecsTaskExecutionRole"),
    );
    assert_eq!(
        one(&v, "same-task-and-execution-role").severity,
        Severity::Info
    );
}

#[test]
fn role_arns() {
    // task_definition_parameters.md#task_role_arn and #execution_role_arn.
    one(
        &with(ec2(), "/executionRoleArn", json!("ecsTaskExecutionRole")),
        "role-arn-format",
    );
    one(
        &with(
            ec2(),
            "/taskRoleArn",
            json!("arn:aws:iam::123456789012:user/bob"),
        ),
        "role-arn-format",
    );
    none(
        &with(ec2(), "/taskRoleArn", json!("web-task")),
        "role-arn-format",
    );
    none(
        &with(
            ec2(),
            "/taskRoleArn",
            json!("arn:aws-us-gov:iam::123456789012:role/path/web"),
        ),
        "role-arn-format",
    );
}

// ---- Volumes and storage ----------------------------------------------------------------

fn with_volume(vol: Value) -> Value {
    with(
        with(ec2(), "/volumes", json!([vol])),
        "/containerDefinitions/0/mountPoints",
        json!([{"sourceVolume": "data", "containerPath": "/data"}]),
    )
}

#[test]
fn mount_points_name_volumes() {
    // task_definition_parameters.md#container_definition_storage (mountPoints.sourceVolume).
    none(&with_volume(json!({"name": "data"})), "unknown-volume");
    let f = one(&with_volume(json!({"name": "date"})), "unknown-volume");
    assert_eq!(f.fix.as_deref(), Some("did you mean \"date\"?"));
    one(
        &with(
            with_volume(json!({"name": "data"})),
            "/containerDefinitions/0/mountPoints/0",
            json!({"containerPath": "/x"}),
        ),
        "unknown-volume",
    );
}

#[test]
fn mount_paths() {
    // task_definition_parameters.md#container_definition_storage (mountPoints.containerPath).
    let v = with_volume(json!({"name": "data"}));
    one(
        &with(
            v.clone(),
            "/containerDefinitions/0/mountPoints/0/containerPath",
            json!("data"),
        ),
        "mount-path",
    );
    let twice = with(
        v.clone(),
        "/containerDefinitions/0/mountPoints/1",
        json!({"sourceVolume": "data", "containerPath": "/data/"}),
    );
    one(&twice, "mount-path");
    none(
        &with(
            v,
            "/containerDefinitions/0/mountPoints/0/containerPath",
            json!("C:\\data"),
        ),
        "mount-path",
    );
}

#[test]
fn a_volume_has_one_type_and_a_name() {
    // task_definition_parameters.md#volumes; API Volume: EFS and launch-time volumes need a name;
    // one volume configured at launch.
    one(
        &with_volume(
            json!({"name": "data", "host": {"sourcePath": "/d"}, "efsVolumeConfiguration": {"fileSystemId": "fs-0123456789abcdef0"}}),
        ),
        "volume-type-conflict",
    );
    one(
        &with(
            ec2(),
            "/volumes",
            json!([{"efsVolumeConfiguration": {"fileSystemId": "fs-0123456789abcdef0"}}]),
        ),
        "volume-name-missing",
    );
    one(
        &with(
            ec2(),
            "/volumes",
            json!([{"name": "a", "configuredAtLaunch": true}, {"name": "b", "configuredAtLaunch": true}]),
        ),
        "configured-at-launch-count",
    );
    none(
        &with(
            ec2(),
            "/volumes",
            json!([{"name": "a", "configuredAtLaunch": true}, {"name": "b", "configuredAtLaunch": false}]),
        ),
        "configured-at-launch-count",
    );
}

#[test]
fn docker_volume_autoprovision() {
    // task_definition_parameters.md#volumes (dockerVolumeConfiguration.autoprovision): shared scope only.
    one(
        &with_volume(
            json!({"name": "data", "dockerVolumeConfiguration": {"scope": "task", "autoprovision": true}}),
        ),
        "docker-volume-autoprovision",
    );
    none(
        &with_volume(
            json!({"name": "data", "dockerVolumeConfiguration": {"scope": "shared", "autoprovision": true, "driver": "local"}}),
        ),
        "docker-volume-autoprovision",
    );
}

#[test]
fn efs_volumes() {
    // efs-volumes.md#specify-efs-config and #efs-volume-accesspoints.
    let efs = |c: Value| with_volume(json!({"name": "data", "efsVolumeConfiguration": c}));
    let clean = efs(
        json!({"fileSystemId": "fs-0123456789abcdef0", "transitEncryption": "ENABLED", "authorizationConfig": {"accessPointId": "fsap-1", "iam": "ENABLED"}}),
    );
    assert_eq!(run(&clean), vec![]);
    assert_eq!(
        one(&efs(json!({"fileSystemId": "1234"})), "efs-file-system-id").severity,
        Severity::Warning
    );
    let f = one(
        &efs(
            json!({"fileSystemId": "fs-0123456789abcdef0", "rootDirectory": "/data", "transitEncryption": "ENABLED", "authorizationConfig": {"accessPointId": "fsap-1"}}),
        ),
        "efs-root-directory",
    );
    assert!(f.fix.unwrap().contains("/data"));
    none(
        &efs(
            json!({"fileSystemId": "fs-0123456789abcdef0", "rootDirectory": "/", "transitEncryption": "ENABLED", "authorizationConfig": {"accessPointId": "fsap-1"}}),
        ),
        "efs-root-directory",
    );
    one(
        &efs(
            json!({"fileSystemId": "fs-0123456789abcdef0", "authorizationConfig": {"iam": "ENABLED"}}),
        ),
        "efs-transit-encryption",
    );
    one(
        &efs(
            json!({"fileSystemId": "fs-0123456789abcdef0", "transitEncryption": "DISABLED", "authorizationConfig": {"accessPointId": "fsap-1"}}),
        ),
        "efs-transit-encryption",
    );
    one(
        &efs(
            json!({"fileSystemId": "fs-0123456789abcdef0", "transitEncryption": "ENABLED", "transitEncryptionPort": 0}),
        ),
        "efs-transit-port",
    );
    one(
        &efs(json!({"fileSystemId": "fs-0123456789abcdef0", "transitEncryptionPort": 2999})),
        "efs-transit-port",
    );
    let no_role = without(
        efs(
            json!({"fileSystemId": "fs-0123456789abcdef0", "transitEncryption": "ENABLED", "authorizationConfig": {"iam": "ENABLED"}}),
        ),
        "/taskRoleArn",
    );
    one(&no_role, "efs-iam-without-task-role");
}

#[test]
fn ephemeral_storage() {
    // task_definition_parameters.md#task_definition_ephemeralStorage; API EphemeralStorage: 21-200 GiB, Fargate only.
    let es = |v: Value, n: i64| with(v, "/ephemeralStorage", json!({"sizeInGiB": n}));
    none(&es(fargate(), 21), "ephemeral-storage-range");
    none(&es(fargate(), 200), "ephemeral-storage-range");
    one(&es(fargate(), 20), "ephemeral-storage-range");
    one(&es(fargate(), 201), "ephemeral-storage-range");
    assert_eq!(
        one(&es(ec2(), 50), "ephemeral-storage-not-fargate").severity,
        Severity::Warning
    );
}

// ---- Images -----------------------------------------------------------------------------

#[test]
fn image_references() {
    // task_definition_parameters.md#container_definition_image; API ContainerDefinition.image.
    let img = |s: &str| with(ec2(), "/containerDefinitions/0/image", json!(s));
    for ok in [
        "nginx:1.27",
        "amazon/amazon-ecs-agent:v1.80.0",
        "quay.io/assemblyline/ubuntu:22.04",
        "public.ecr.aws/docker/library/python:3.12-slim",
        "123456789012.dkr.ecr.us-west-2.amazonaws.com/my-web-app:1.0",
        "registry.local:5000/team/app:2024-11-01",
    ] {
        assert_eq!(codes(&img(ok)), Vec::<String>::new(), "{ok}");
    }
    one(&img("My-App:1"), "image-reference");
    one(&img("nginx:1 && rm -rf /"), "image-reference");
    one(
        &img("123.dkr.ecr.us-east-1.amazonaws.com/app:1"),
        "image-reference",
    );
    one(&img(""), "image-reference");
    one(&img("nginx@sha256:1234"), "image-digest");
    one(
        &img(&format!("nginx@md5:{}", "0".repeat(64))),
        "image-digest",
    );
    none(
        &img(&format!("nginx@sha256:{}", "aB".repeat(32))),
        "image-digest",
    );
    one(&img(&format!("a/{}:1", "b".repeat(260))), "image-length");
    // The 255 limit applies before @ for digests.
    none(
        &img(&format!("{}@sha256:{}", "b".repeat(250), "0".repeat(64))),
        "image-length",
    );
}

#[test]
fn latest_and_untagged_images() {
    // task_definition_parameters.md#container_definition_image: the agent pulls the tag's current image at each start.
    let f = one(
        &with(ec2(), "/containerDefinitions/0/image", json!("nginx")),
        "image-latest",
    );
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("no tag"));
    one(
        &with(
            ec2(),
            "/containerDefinitions/0/image",
            json!("nginx:latest"),
        ),
        "image-latest",
    );
}

#[test]
fn ecr_images_from_another_region() {
    // task_definition_parameters.md#container_definition_image (ECR registry names carry the Region).
    let all = run_in(&fargate(), "eu-west-1");
    let f = all
        .iter()
        .find(|f| f.code == "image-cross-region")
        .expect("image-cross-region");
    assert_eq!(f.severity, Severity::Warning);
    assert!(f
        .fix
        .as_deref()
        .unwrap()
        .contains("dkr.ecr.eu-west-1.amazonaws.com"));
    assert!(!run_in(&fargate(), "us-east-1")
        .iter()
        .any(|f| f.code == "image-cross-region"));
}

// ---- Fargate ----------------------------------------------------------------------------

#[test]
fn fargate_cpu_and_memory_pairs_linux() {
    // AWS_Fargate.md#fargate-tasks-size; API RegisterTaskDefinitionRequest.memory.
    let size = |c: &str, m: &str| with(with(fargate(), "/cpu", json!(c)), "/memory", json!(m));
    for (c, m) in [
        ("256", "512"),
        ("256", "2048"),
        ("512", "4096"),
        ("1024", "8192"),
        ("2048", "16384"),
        ("4096", "30720"),
        ("8192", "16384"),
        ("8192", "61440"),
        ("16384", "122880"),
    ] {
        none(&size(c, m), "fargate-cpu-memory");
    }
    let f = one(&size("256", "4096"), "fargate-cpu-memory");
    assert_eq!(f.path.to_string(), "memory");
    assert_eq!(
        f.fix.as_deref(),
        Some("lower memory to \"2048\", or set cpu to \"512\" to keep 4096 MiB")
    );
    one(&size("8192", "18432"), "fargate-cpu-memory"); // 8 vCPU steps by 4 GB
    one(&size("16384", "36864"), "fargate-cpu-memory"); // 16 vCPU steps by 8 GB
    let f = one(&size("3072", "8192"), "fargate-cpu-memory");
    assert_eq!(f.path.to_string(), "cpu");
    assert!(f.fix.unwrap().contains("\"4096\""));
}

#[test]
fn fargate_cpu_and_memory_pairs_windows() {
    // AWS_Fargate.md#fargate-tasks-size: Windows on the 1, 2 and 4 vCPU rows (at least 1 vCPU).
    let win = |c: &str, m: &str| {
        with(
            with(with(fargate(), "/cpu", json!(c)), "/memory", json!(m)),
            "/runtimePlatform",
            json!({"operatingSystemFamily": "WINDOWS_SERVER_2019_CORE", "cpuArchitecture": "X86_64"}),
        )
    };
    let f = one(&win("512", "1024"), "fargate-cpu-memory");
    assert!(
        f.message.contains("Windows needs 1, 2 or 4 vCPU"),
        "{}",
        f.message
    );
    none(&win("1024", "2048"), "fargate-cpu-memory");
    none(&win("4096", "30720"), "fargate-cpu-memory");
    one(&win("8192", "16384"), "fargate-cpu-memory");
}

#[test]
fn fargate_needs_task_size_and_awsvpc() {
    // AWS_Fargate.md#fargate-tasks-size and #fargate-tasks-networkmode.
    let f = one(&without(fargate(), "/memory"), "fargate-task-size-missing");
    assert!(f.fix.unwrap().contains("\"memory\""));
    one(
        &without(without(fargate(), "/cpu"), "/memory"),
        "fargate-task-size-missing",
    );
    // The missing task memory is the one finding; containers need none of their own on Fargate.
    none(&without(fargate(), "/memory"), "container-memory-missing");
    let f = one(&without(fargate(), "/networkMode"), "fargate-network-mode");
    assert!(f.message.contains("that is bridge"));
    one(
        &with(fargate(), "/networkMode", json!("host")),
        "fargate-network-mode",
    );
}

#[test]
fn fargate_log_drivers() {
    // AWS_Fargate.md#fargate-tasks-logging: awslogs, splunk and awsfirelens.
    let v = with(
        fargate(),
        "/containerDefinitions/0/logConfiguration",
        json!({"logDriver": "json-file"}),
    );
    one(&v, "fargate-log-driver");
    let ok = with(
        fargate(),
        "/containerDefinitions/0/logConfiguration",
        json!({"logDriver": "awsfirelens"}),
    );
    none(&ok, "fargate-log-driver");
}

#[test]
fn fargate_placement_constraints_and_parameters() {
    // task_definition_parameters.md#constraints; AWS_Fargate.md#fargate-task-defs (and the API
    // notes on privileged, dockerSecurityOptions, ipcMode, pidMode, linuxParameters, GPUs).
    one(
        &with(
            fargate(),
            "/placementConstraints",
            json!([{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t3.*"}]),
        ),
        "fargate-placement-constraints",
    );
    for (ptr, v) in [
        ("/containerDefinitions/0/privileged", json!(true)),
        (
            "/containerDefinitions/0/dockerSecurityOptions",
            json!(["no-new-privileges"]),
        ),
        ("/ipcMode", json!("task")),
        ("/pidMode", json!("host")),
        (
            "/containerDefinitions/0/resourceRequirements",
            json!([{"type": "GPU", "value": "1"}]),
        ),
        (
            "/containerDefinitions/0/linuxParameters",
            json!({"devices": [{"hostPath": "/dev/fuse"}]}),
        ),
        (
            "/containerDefinitions/0/linuxParameters",
            json!({"sharedMemorySize": 64}),
        ),
        (
            "/containerDefinitions/0/linuxParameters",
            json!({"maxSwap": 0}),
        ),
        (
            "/containerDefinitions/0/linuxParameters",
            json!({"capabilities": {"add": ["NET_ADMIN"]}}),
        ),
    ] {
        one(&with(fargate(), ptr, v), "fargate-unsupported-parameter");
    }
    none(
        &with(fargate(), "/pidMode", json!("task")),
        "fargate-unsupported-parameter",
    );
    none(
        &with(
            fargate(),
            "/containerDefinitions/0/linuxParameters",
            json!({"capabilities": {"add": ["SYS_PTRACE"], "drop": ["ALL"]}, "initProcessEnabled": true}),
        ),
        "fargate-unsupported-parameter",
    );
    // On EC2 they are fine.
    none(
        &with(ec2(), "/containerDefinitions/0/privileged", json!(true)),
        "fargate-unsupported-parameter",
    );
}

#[test]
fn fargate_parameters_only_the_older_guide_forbids() {
    // AWS_Fargate.md#fargate-task-defs lists them; the current API model no longer does: warnings.
    let f = one(
        &with(
            fargate(),
            "/containerDefinitions/0/dnsServers",
            json!(["10.0.0.2"]),
        ),
        "fargate-parameter-not-documented",
    );
    assert_eq!(f.severity, Severity::Warning);
    one(
        &with(
            fargate(),
            "/containerDefinitions/0/linuxParameters",
            json!({"tmpfs": [{"containerPath": "/tmp", "size": 64}]}),
        ),
        "fargate-parameter-not-documented",
    );
    none(
        &with(
            fargate(),
            "/containerDefinitions/0/systemControls",
            json!([{"namespace": "net.ipv4.tcp_keepalive_time", "value": "600"}]),
        ),
        "fargate-parameter-not-documented",
    );
}

#[test]
fn fargate_volume_types() {
    // task_definition_parameters.md#volumes: Fargate has bind mounts and EFS, no Docker volumes or host paths.
    let v = with(
        fargate(),
        "/volumes",
        json!([{"name": "d", "dockerVolumeConfiguration": {"scope": "task"}}]),
    );
    one(&v, "fargate-volume-type");
    one(
        &with(
            fargate(),
            "/volumes",
            json!([{"name": "d", "host": {"sourcePath": "/var/data"}}]),
        ),
        "fargate-volume-type",
    );
    none(
        &with(fargate(), "/volumes", json!([{"name": "d"}])),
        "fargate-volume-type",
    );
}

#[test]
fn fargate_stop_timeout() {
    // task_definition_parameters.md#container_definition_timeout: at most 120 s on Fargate.
    one(
        &with(fargate(), "/containerDefinitions/0/stopTimeout", json!(121)),
        "fargate-stop-timeout",
    );
    none(
        &with(fargate(), "/containerDefinitions/0/stopTimeout", json!(120)),
        "fargate-stop-timeout",
    );
    none(
        &with(ec2(), "/containerDefinitions/0/stopTimeout", json!(600)),
        "fargate-stop-timeout",
    );
}

#[test]
fn windows_on_fargate() {
    // AWS_Fargate.md#windows-considerations and #fargate-task-cpu-architecture.
    let win = with(
        with(
            with(fargate(), "/cpu", json!("1024")),
            "/memory",
            json!("2048"),
        ),
        "/runtimePlatform",
        json!({"operatingSystemFamily": "WINDOWS_SERVER_2022_FULL"}),
    );
    assert_eq!(run(&win), vec![]);
    one(
        &with(
            win.clone(),
            "/runtimePlatform/cpuArchitecture",
            json!("ARM64"),
        ),
        "fargate-windows-unsupported",
    );
    one(
        &with(
            win.clone(),
            "/containerDefinitions/0/ulimits",
            json!([{"name": "nofile", "softLimit": 1, "hardLimit": 2}]),
        ),
        "fargate-windows-unsupported",
    );
    one(
        &with(
            win.clone(),
            "/volumes",
            json!([{"name": "d", "efsVolumeConfiguration": {"fileSystemId": "fs-0123456789abcdef0"}}]),
        ),
        "fargate-windows-unsupported",
    );
    one(
        &with(
            win.clone(),
            "/containerDefinitions/0/portMappings/0/containerPort",
            json!(3150),
        ),
        "fargate-windows-unsupported",
    );
    one(
        &with(
            win,
            "/containerDefinitions/0/logConfiguration",
            json!({"logDriver": "awsfirelens"}),
        ),
        "fargate-windows-unsupported",
    );
}

// ---- Placement in the task definition ---------------------------------------------------

#[test]
fn task_definition_constraints() {
    // task_definition_parameters.md#constraints: memberOf only; cluster-query-language.md for the expression.
    let pc = |c: Value| with(ec2(), "/placementConstraints", c);
    one(
        &pc(json!([{"type": "distinctInstance"}])),
        "task-definition-constraint-type",
    );
    one(
        &pc(json!([{"type": "memberOf"}])),
        "constraint-expression-missing",
    );
    let f = one(
        &pc(
            json!([{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t3.* andd attribute:x == y"}]),
        ),
        "cql-syntax",
    );
    assert!(f.message.contains("column 37"), "{}", f.message);
    assert_eq!(f.path.to_string(), "placementConstraints[0].expression");
    none(
        &pc(
            json!([{"type": "memberOf", "expression": "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]"}]),
        ),
        "cql-syntax",
    );
    let eleven: Vec<Value> = (0..11)
        .map(|_| json!({"type": "memberOf", "expression": "attribute:a exists"}))
        .collect();
    one(&pc(json!(eleven)), "too-many-constraints");
}

// ---- Whole documents ----------------------------------------------------------------------

#[test]
fn describe_output_is_checked_as_the_request_it_describes() {
    // task_definitions.md: describe-task-definition adds read-only members that RegisterTaskDefinition refuses.
    let mut td = fargate();
    td["taskDefinitionArn"] = json!("arn:aws:ecs:us-east-1:123456789012:task-definition/api:7");
    td["revision"] = json!(7);
    td["status"] = json!("ACTIVE");
    td["compatibilities"] = json!(["EC2", "FARGATE"]);
    td["requiresAttributes"] = json!([{"name": "com.amazonaws.ecs.capability.ecr-auth"}]);
    td["registeredAt"] = json!("2024-05-01T10:00:00Z");
    td["registeredBy"] = json!("arn:aws:iam::123456789012:user/ci");
    let doc = json!({"taskDefinition": td, "tags": [{"key": "team", "value": "orders"}]});
    assert!(engine::api::rules::is_task_definition_document(&doc));
    let r = engine::api::rules::check_task_definition_document(&doc);
    assert!(r.described);
    assert_eq!(r.findings, vec![]);
    assert_eq!(
        r.ignored,
        [
            "taskDefinitionArn",
            "revision",
            "status",
            "compatibilities",
            "requiresAttributes",
            "registeredAt",
            "registeredBy"
        ]
    );
    // Paths point into the document as given.
    let bad = with(doc, "/taskDefinition/memory", json!("3000"));
    let r = engine::api::rules::check_task_definition_document(&bad);
    assert_eq!(r.findings[0].path.to_string(), "taskDefinition.memory");
    // The schema runs first: an unknown member is reported with its path, and stops the rules.
    let typo = with(ec2(), "/containerDefinitions/0/memroy", json!(5));
    let r = engine::api::rules::check_task_definition_document(&typo);
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].code, "unknown-field");
    assert!(!engine::api::rules::is_task_definition_document(
        &json!({"schemaVersion": 1, "containerDefinitions": []})
    ));
}
