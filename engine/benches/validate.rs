//! Validation speed: every task definition rule over a realistic 10-container task definition
//! (the most AWS allows), on Fargate and on EC2, plus the whole document path (schema check and
//! rules) that `ecsplan validate TASKDEF.json` takes. Run with
//! `cargo bench -p ecs-planner-engine --bench validate`; figures are reported, never asserted.

use criterion::{criterion_group, criterion_main, Criterion};
use engine::api::findings::JsonPath;
use engine::api::plan::TaskDefinition;
use engine::api::rules::{check_task_definition, check_task_definition_document};
use serde_json::{json, Value};
use std::hint::black_box;

/// Ten containers with the members the rules read: ports, dependencies, links, volumes,
/// secrets, logging, health checks, environment.
fn ten_containers(fargate: bool) -> Value {
    let containers: Vec<Value> = (0..10)
        .map(|i| {
            let mut c = json!({
                "name": format!("c{i}"),
                "image": if i % 2 == 0 { format!("123456789012.dkr.ecr.us-east-1.amazonaws.com/svc-{i}:1.{i}.0") } else { format!("public.ecr.aws/team/tool-{i}:2024.{i}") },
                "essential": i == 0,
                "cpu": 64,
                "memoryReservation": 128,
                "memory": 256,
                "portMappings": [{"containerPort": 8000 + i, "protocol": "tcp", "name": format!("p{i}")}, {"containerPort": 9000 + i, "protocol": "udp"}],
                "environment": [{"name": "MODE", "value": "prod"}, {"name": "PORT", "value": format!("{}", 8000 + i)}],
                "secrets": [{"name": "TOKEN", "valueFrom": format!("arn:aws:secretsmanager:us-east-1:123456789012:secret:svc-{i}-AbCdEf")}],
                "mountPoints": [{"sourceVolume": "shared", "containerPath": format!("/data/{i}")}],
                "healthCheck": {"command": ["CMD-SHELL", format!("curl -fs http://localhost:{}/health || exit 1", 8000 + i)], "interval": 30, "timeout": 5, "retries": 3, "startPeriod": 10},
                "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/bench", "awslogs-region": "us-east-1", "awslogs-stream-prefix": format!("c{i}")}},
                "stopTimeout": 30
            });
            if i > 0 {
                c["dependsOn"] = json!([{"containerName": "c0", "condition": "START"}, {"containerName": format!("c{}", i - 1), "condition": "START"}]);
            }
            c
        })
        .collect();
    let mut td = json!({
        "family": "bench",
        "taskRoleArn": "arn:aws:iam::123456789012:role/bench",
        "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
        "containerDefinitions": containers,
        "volumes": [{"name": "shared"}],
        "cpu": "1024",
        "memory": "4096"
    });
    if fargate {
        td["networkMode"] = json!("awsvpc");
        td["requiresCompatibilities"] = json!(["FARGATE"]);
    } else {
        td["networkMode"] = json!("bridge");
        td["requiresCompatibilities"] = json!(["EC2"]);
        td["placementConstraints"] = json!([{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ m5.* and attribute:ecs.availability-zone in [us-east-1a, us-east-1b]"}]);
    }
    td
}

fn bench(c: &mut Criterion) {
    for (name, fargate) in [("fargate", true), ("ec2", false)] {
        let doc = ten_containers(fargate);
        let td: TaskDefinition = serde_json::from_value(doc.clone()).unwrap();
        let findings = check_task_definition(&td, &JsonPath::root());
        assert!(
            findings.iter().all(|f| !f.is_error()),
            "the bench task definition is valid: {findings:#?}"
        );
        c.bench_function(&format!("rules/10-containers/{name}"), |b| {
            b.iter(|| check_task_definition(black_box(&td), &JsonPath::root()))
        });
        c.bench_function(&format!("document/10-containers/{name}"), |b| {
            b.iter(|| check_task_definition_document(black_box(&doc)))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
