//! Agreement with cfn-lint's ECS rules (`cfn-lint/aws_ecs_taskdefinition/*.json` and
//! `cfn-lint/aws_ecs_service/*.json` in the shared fixtures).
//!
//! For each rule file, cases it rejects and cases it accepts are written as CloudFormation
//! properties; the rule is evaluated on them by `common/json_schema.rs` (for the `cfnGather`
//! rules, on the gathered `{service, taskDef}` object), and the same resources, turned into API
//! requests inside a plan, go through the engine's loader. Where cfn-lint rejects, the engine
//! must report an error with one of the codes listed for that rule; where cfn-lint accepts, it
//! must not, except for the cases marked stricter, where AWS refuses more than the cfn-lint
//! rule looks at (each says why).
mod common;
#[path = "common/json_schema.rs"]
mod json_schema;

use serde_json::{json, Map, Value};

/// CloudFormation properties → API members: lowerCamelCase keys, except inside maps whose keys
/// are data (log options, labels); CloudFormation's string booleans and numbers become JSON ones
/// where the API has booleans and numbers.
fn to_api(v: &Value, parent: &str) -> Value {
    match v {
        Value::Object(o) => {
            let data_keys = matches!(parent, "options" | "dockerLabels");
            let mut out = Map::new();
            for (k, x) in o {
                let key = if data_keys { k.clone() } else { lower_first(k) };
                out.insert(key.clone(), to_api(x, &key));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(|x| to_api(x, parent)).collect()),
        Value::String(s) if parent == "essential" => Value::Bool(!s.eq_ignore_ascii_case("false")),
        Value::Number(n) if parent == "cpu" || parent == "memory" => {
            // Task-level sizes are strings in the API; container-level ones numbers.
            Value::String(n.to_string())
        }
        other => other.clone(),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_lowercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// Error codes of the engine for one task definition (and optional service) given as
/// CloudFormation properties.
fn engine_errors(task_def: &Value, service: Option<&Value>) -> Vec<String> {
    let mut td = to_api(task_def, "");
    td.as_object_mut()
        .unwrap()
        .entry("family")
        .or_insert(json!("fam"));
    let mut services = vec![];
    if let Some(s) = service {
        let mut s = to_api(s, "");
        s["serviceName"] = json!("svc");
        s["taskDefinition"] = json!("fam");
        s.as_object_mut()
            .unwrap()
            .entry("desiredCount")
            .or_insert(json!(1));
        services.push(s);
    }
    let plan = json!({"schemaVersion": 1, "region": "us-east-1", "taskDefinitions": [td], "services": services});
    let l = engine::api::plan::load_value(plan);
    l.findings
        .into_iter()
        .filter(|f| f.is_error())
        .map(|f| f.code)
        .collect()
}

fn rule(dir: &std::path::Path, rel: &str) -> Value {
    common::json(dir, &format!("cfn-lint/{rel}"))
}

/// Checks one case: cfn-lint's verdict against the engine's errors among `codes`.
#[track_caller]
fn agree(
    rule_name: &str,
    cfn_accepts: bool,
    errors: &[String],
    codes: &[&str],
    stricter: Option<&str>,
) -> bool {
    let ours = errors.iter().any(|e| codes.contains(&e.as_str()));
    match (cfn_accepts, ours, stricter) {
        (false, true, None) | (true, false, None) => {}
        (true, true, Some(_why)) => {}
        _ => panic!(
            "{rule_name}: cfn-lint {} but the engine {} (errors {errors:?}, codes {codes:?}, stricter: {stricter:?})",
            if cfn_accepts { "accepts" } else { "rejects" },
            if ours { "reports" } else { "does not report" }
        ),
    }
    cfn_accepts
}

/// Each rule is exercised both ways.
#[track_caller]
fn both_ways(verdicts: &[bool]) {
    assert!(
        verdicts.contains(&true) && verdicts.contains(&false),
        "cases on both sides of the rule: {verdicts:?}"
    );
}

/// A container that passes every engine rule on both launch types.
fn container(extra: Value) -> Value {
    let mut c = json!({"Name": "app", "Image": "public.ecr.aws/nginx/nginx:1.27"});
    for (k, v) in extra.as_object().cloned().unwrap_or_default() {
        c[k] = v;
    }
    c
}

fn fargate_td(extra: Value) -> Value {
    let mut td = json!({"RequiresCompatibilities": ["FARGATE"], "NetworkMode": "awsvpc", "Cpu": "256", "Memory": "512", "ContainerDefinitions": [container(json!({}))]});
    for (k, v) in extra.as_object().cloned().unwrap_or_default() {
        if v.is_null() {
            td.as_object_mut().unwrap().remove(&k);
        } else {
            td[k] = v;
        }
    }
    td
}

#[test]
fn containerdefinitions_essential() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let r = rule(
        &dir,
        "aws_ecs_taskdefinition/containerdefinitions_essential.json",
    );
    let codes = ["no-essential-container", "no-containers"];
    let mut verdicts = Vec::new();
    let cases = [
        json!([]),
        json!([container(json!({"Essential": false}))]),
        json!([
            container(json!({"Essential": "false"})),
            container(json!({"Name": "b", "Essential": "False"}))
        ]),
        json!([
            container(json!({"Essential": false})),
            container(json!({"Name": "b"}))
        ]),
        json!([container(json!({"Essential": true}))]),
        json!([container(json!({}))]),
    ];
    for c in cases {
        let td = json!({"ContainerDefinitions": c.clone(), "Memory": "512"});
        verdicts.push(agree(
            "containerdefinitions_essential",
            json_schema::valid(&r, &c),
            &engine_errors(&td, None),
            &codes,
            None,
        ));
    }
    both_ways(&verdicts);
}

#[test]
fn fargate_cpu_memory() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let r = rule(&dir, "aws_ecs_taskdefinition/fargate_cpu_memory.json");
    let codes = ["fargate-cpu-memory"];
    let mut verdicts = Vec::new();
    for (cpu, mem) in [
        ("256", "512"),
        ("256", "1024"),
        ("256", "3072"),
        ("512", "4096"),
        ("1 vCPU", "8 GB"),
        ("2 vCPU", "3 GB"),
        ("8192", "20480"),
        ("8192", "18432"),
        ("16 vCPU", "64GB"),
        ("3072", "8192"),
    ] {
        let td = fargate_td(json!({"Cpu": cpu, "Memory": mem}));
        verdicts.push(agree(
            "fargate_cpu_memory",
            json_schema::valid(&r, &td),
            &engine_errors(&td, None),
            &codes,
            None,
        ));
    }
    both_ways(&verdicts);
}

#[test]
fn fargate_properties() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let r = rule(&dir, "aws_ecs_taskdefinition/fargate_properties.json");
    let codes = [
        "fargate-network-mode",
        "fargate-log-driver",
        "fargate-placement-constraints",
        "fargate-task-size-missing",
        "fargate-cpu-memory",
    ];
    let mut verdicts = Vec::new();
    let log = |d: &str| json!({"ContainerDefinitions": [container(json!({"LogConfiguration": {"LogDriver": d, "Options": {"awslogs-group": "/g", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "p"}}}))]});
    let cases = [
        (fargate_td(json!({})), None),
        (fargate_td(json!({"NetworkMode": "bridge"})), None),
        (fargate_td(json!({"NetworkMode": null})), None),
        (fargate_td(json!({"Memory": null})), None),
        (fargate_td(json!({"Cpu": null, "Memory": null})), None),
        (fargate_td(json!({"Cpu": "3 vCPU", "Memory": "8 GB"})), None),
        (
            fargate_td(
                json!({"PlacementConstraints": [{"Type": "memberOf", "Expression": "attribute:ecs.instance-type =~ t3.*"}]}),
            ),
            None,
        ),
        (fargate_td(log("json-file")), None),
        (fargate_td(log("awslogs")), None),
        (fargate_td(log("awsfirelens")), None),
        // Not Fargate: the rule does not apply.
        (
            json!({"RequiresCompatibilities": ["EC2"], "NetworkMode": "bridge", "Memory": "512", "ContainerDefinitions": [container(json!({"LogConfiguration": {"LogDriver": "json-file"}}))]}),
            None,
        ),
    ];
    for (td, stricter) in cases {
        verdicts.push(agree(
            "fargate_properties",
            json_schema::valid(&r, &td),
            &engine_errors(&td, None),
            &codes,
            stricter,
        ));
    }
    both_ways(&verdicts);
}

#[test]
fn logging_configuration() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let r = rule(&dir, "aws_ecs_taskdefinition/logging_configuration.json");
    let codes = ["awslogs-options"];
    let mut verdicts = Vec::new();
    let cases = [
        json!({"LogDriver": "awslogs", "Options": {"awslogs-group": "/g", "awslogs-region": "us-east-1"}}),
        json!({"LogDriver": "awslogs", "Options": {"awslogs-group": "/g"}}),
        json!({"LogDriver": "awslogs", "Options": {"awslogs-region": "us-east-1"}}),
        json!({"LogDriver": "awslogs"}),
        json!({"LogDriver": "awslogs", "Options": {"awslogs-group": "/g", "awslogs-region": "r", "awslogs-stream-prefix": "p", "mode": "non-blocking", "max-buffer-size": "4m", "awslogs-create-group": "true", "awslogs-datetime-format": "%Y"}}),
        json!({"LogDriver": "awslogs", "Options": {"awslogs-group": "/g", "awslogs-region": "r", "awslogs-groupp": "/x"}}),
        json!({"LogDriver": "json-file", "Options": {"max-size": "10m"}}),
    ];
    for lc in cases {
        let td = json!({"RequiresCompatibilities": ["EC2"], "Memory": "512", "ContainerDefinitions": [container(json!({"LogConfiguration": lc.clone()}))]});
        verdicts.push(agree(
            "logging_configuration",
            json_schema::valid(&r, &lc),
            &engine_errors(&td, None),
            &codes,
            None,
        ));
    }
    // An option the Docker driver knows but ECS does not document: cfn-lint rejects it, the
    // engine warns (Docker would start the container).
    let lc = json!({"LogDriver": "awslogs", "Options": {"awslogs-group": "/g", "awslogs-region": "r", "awslogs-endpoint": "https://logs"}});
    assert!(!json_schema::valid(&r, &lc));
    let td = to_api(
        &json!({"Family": "f", "Memory": "512", "ContainerDefinitions": [container(json!({"LogConfiguration": lc}))]}),
        "",
    );
    let l = engine::api::plan::load_value(json!({"schemaVersion": 1, "taskDefinitions": [td]}));
    assert!(l
        .findings
        .iter()
        .any(|f| f.code == "awslogs-option-undocumented"));
    both_ways(&verdicts);
}

#[test]
fn service_fargate_scheduling() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let r = rule(&dir, "aws_ecs_service/fargate.json");
    let codes = ["daemon-on-fargate", "daemon-deployment-controller"];
    let mut verdicts = Vec::new();
    let ec2_td = json!({"RequiresCompatibilities": ["EC2"], "Memory": "512", "ContainerDefinitions": [container(json!({}))]});
    let net = json!({"AwsvpcConfiguration": {"Subnets": ["subnet-1"]}});
    let cases = [
        (
            json!({"LaunchType": "FARGATE", "SchedulingStrategy": "DAEMON", "NetworkConfiguration": net}),
            fargate_td(json!({})),
        ),
        (
            json!({"LaunchType": "FARGATE", "SchedulingStrategy": "REPLICA", "NetworkConfiguration": net}),
            fargate_td(json!({})),
        ),
        (
            json!({"LaunchType": "EC2", "SchedulingStrategy": "DAEMON"}),
            ec2_td.clone(),
        ),
        (
            json!({"LaunchType": "EC2", "SchedulingStrategy": "DAEMON", "DeploymentController": {"Type": "CODE_DEPLOY"}}),
            ec2_td.clone(),
        ),
        (
            json!({"LaunchType": "EC2", "SchedulingStrategy": "DAEMON", "DeploymentController": {"Type": "EXTERNAL"}}),
            ec2_td.clone(),
        ),
        (
            json!({"LaunchType": "EC2", "SchedulingStrategy": "DAEMON", "DeploymentController": {"Type": "ECS"}}),
            ec2_td.clone(),
        ),
        (
            json!({"LaunchType": "EC2", "DeploymentController": {"Type": "CODE_DEPLOY"}}),
            ec2_td,
        ),
    ];
    for (mut svc, td) in cases {
        let verdict = json_schema::valid(&r, &svc);
        if svc["SchedulingStrategy"] == "DAEMON" {
            // DesiredCount is for REPLICA services only.
            svc["DesiredCount"] = Value::Null;
        }
        let mut api_svc = svc.clone();
        api_svc.as_object_mut().unwrap().retain(|_, v| !v.is_null());
        let errors = engine_errors_with_service(&td, &api_svc);
        verdicts.push(agree(
            "aws_ecs_service/fargate",
            verdict,
            &errors,
            &codes,
            None,
        ));
    }
    both_ways(&verdicts);
}

fn engine_errors_with_service(td: &Value, svc: &Value) -> Vec<String> {
    let mut s = to_api(svc, "");
    if svc.get("SchedulingStrategy").and_then(Value::as_str) == Some("DAEMON") {
        s["serviceName"] = json!("svc");
        s["taskDefinition"] = json!("fam");
        let mut td = to_api(td, "");
        td["family"] = json!("fam");
        let l = engine::api::plan::load_value(
            json!({"schemaVersion": 1, "taskDefinitions": [td], "services": [s]}),
        );
        return l
            .findings
            .into_iter()
            .filter(|f| f.is_error())
            .map(|f| f.code)
            .collect();
    }
    engine_errors(td, Some(svc))
}

/// The `cfnGather` rules: the schema is evaluated on `{service: ..., taskDef: ...}` built from
/// the paths the rule gathers.
fn gathered(r: &Value, service: &Value, task_def: &Value) -> bool {
    let gather = &r["cfnGather"]["gather"];
    let pick = |spec: &Value, from: &Value| -> Value {
        let mut out = Map::new();
        for (name, how) in spec["properties"].as_object().unwrap() {
            let (path, default) = match how {
                Value::String(p) => (p.as_str(), None),
                o => (o["path"].as_str().unwrap(), o.get("default").cloned()),
            };
            if let Some(v) = from.pointer(path).cloned().or(default) {
                out.insert(name.clone(), v);
            }
        }
        Value::Object(out)
    };
    let doc = json!({"service": pick(&gather["service"], service), "taskDef": pick(&gather["taskDef"], task_def)});
    json_schema::valid(&r["cfnGather"]["schema"], &doc)
}

#[test]
fn service_fargate() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let r = rule(&dir, "aws_ecs_service/service_fargate.json");
    let codes = ["service-not-fargate-compatible"];
    let mut verdicts = Vec::new();
    let net = json!({"AwsvpcConfiguration": {"Subnets": ["subnet-1"]}});
    let fg = json!({"LaunchType": "FARGATE", "NetworkConfiguration": net});
    let bridge_no_compat = json!({"NetworkMode": "bridge", "Memory": "512", "ContainerDefinitions": [container(json!({}))]});
    let awsvpc_sized = json!({"NetworkMode": "awsvpc", "Cpu": "256", "Memory": "512", "ContainerDefinitions": [container(json!({}))]});
    let awsvpc_unsized = json!({"NetworkMode": "awsvpc", "Memory": "512", "ContainerDefinitions": [container(json!({}))]});
    let cases = [
        (fg.clone(), bridge_no_compat.clone(), None),
        (fg.clone(), json!({"Memory": "512", "ContainerDefinitions": [container(json!({}))]}), None),
        (fg.clone(), awsvpc_sized, None),
        (fg.clone(), fargate_td(json!({})), None),
        // Listing FARGATE moves the report to the task definition (fargate-network-mode).
        (fg.clone(), fargate_td(json!({"NetworkMode": "bridge"})), None),
        (json!({"LaunchType": "EC2"}), bridge_no_compat, None),
        (fg, awsvpc_unsized, Some("AWS also needs task-level cpu and memory to run a task definition on Fargate; cfn-lint's rule only looks at the network mode")),
    ];
    for (svc, td, stricter) in cases {
        verdicts.push(agree(
            "service_fargate",
            gathered(&r, &svc, &td),
            &engine_errors(&td, Some(&svc)),
            &codes,
            stricter,
        ));
    }
    both_ways(&verdicts);
}

#[test]
fn service_fargate_log_driver() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let r = rule(&dir, "aws_ecs_service/service_fargate_log_driver.json");
    let codes = ["service-not-fargate-compatible", "fargate-log-driver"];
    let mut verdicts = Vec::new();
    let net = json!({"AwsvpcConfiguration": {"Subnets": ["subnet-1"]}});
    let fg = json!({"LaunchType": "FARGATE", "NetworkConfiguration": net});
    let td = |driver: &str, compat: bool| {
        let mut t = json!({"NetworkMode": "awsvpc", "Cpu": "256", "Memory": "512",
            "ContainerDefinitions": [container(json!({"LogConfiguration": {"LogDriver": driver, "Options": {"awslogs-group": "/g", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "p"}}}))]});
        if compat {
            t["RequiresCompatibilities"] = json!(["FARGATE"]);
        }
        t["ExecutionRoleArn"] = json!("arn:aws:iam::123456789012:role/exec");
        t
    };
    for (svc, t) in [
        (fg.clone(), td("json-file", false)),
        (fg.clone(), td("json-file", true)),
        (fg.clone(), td("syslog", false)),
        (fg.clone(), td("awslogs", false)),
        (fg.clone(), td("splunk", true)),
        (
            json!({"LaunchType": "EC2", "NetworkConfiguration": net}),
            td("json-file", false),
        ),
    ] {
        let t = if t["ContainerDefinitions"][0]["LogConfiguration"]["LogDriver"] == "splunk" {
            let mut t = t;
            t["ContainerDefinitions"][0]["LogConfiguration"]["Options"] =
                json!({"splunk-url": "https://s", "splunk-token": "t"});
            t
        } else {
            t
        };
        verdicts.push(agree(
            "service_fargate_log_driver",
            gathered(&r, &svc, &t),
            &engine_errors(&t, Some(&svc)),
            &codes,
            None,
        ));
    }
    both_ways(&verdicts);
}

#[test]
fn service_network_configuration() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let r = rule(&dir, "aws_ecs_service/service_network_configuration.json");
    let codes = ["missing-network-configuration"];
    let mut verdicts = Vec::new();
    let net = json!({"AwsvpcConfiguration": {"Subnets": ["subnet-1"]}});
    let awsvpc = json!({"NetworkMode": "awsvpc", "Memory": "512", "ContainerDefinitions": [container(json!({}))]});
    let bridge = json!({"NetworkMode": "bridge", "Memory": "512", "ContainerDefinitions": [container(json!({}))]});
    for (svc, td) in [
        (json!({"LaunchType": "EC2"}), awsvpc.clone()),
        (
            json!({"LaunchType": "EC2", "NetworkConfiguration": net}),
            awsvpc,
        ),
        (json!({"LaunchType": "EC2"}), bridge.clone()),
        (
            json!({"LaunchType": "EC2"}),
            json!({"Memory": "512", "ContainerDefinitions": [container(json!({}))]}),
        ),
    ] {
        verdicts.push(agree(
            "service_network_configuration",
            gathered(&r, &svc, &td),
            &engine_errors(&td, Some(&svc)),
            &codes,
            None,
        ));
    }
    both_ways(&verdicts);
}
