use super::*;
use serde_json::json;

fn findings(v: serde_json::Value, shape: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    check(&v, shape, &JsonPath::root(), &mut out);
    out
}

#[test]
fn a_real_register_task_definition_request_passes() {
    let td = json!({
        "family": "web",
        "networkMode": "bridge",
        "containerDefinitions": [{
            "name": "nginx", "image": "nginx:1.27", "memory": 256, "cpu": 128,
            "portMappings": [{"containerPort": 80, "hostPort": 0, "protocol": "tcp"}],
            "ulimits": [{"name": "nofile", "softLimit": 1024, "hardLimit": 4096}],
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web"}}
        }],
        "requiresCompatibilities": ["EC2"]
    });
    assert_eq!(findings(td, "ecs:RegisterTaskDefinitionRequest"), vec![]);
}

#[test]
fn unknown_member_gets_a_did_you_mean() {
    let td =
        json!({"family": "web", "containerDefinitions": [{"name": "a", "memoryReservaton": 128}]});
    let f = findings(td, "ecs:RegisterTaskDefinitionRequest");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].code, "unknown-field");
    assert_eq!(
        f[0].path.to_string(),
        "containerDefinitions[0].memoryReservaton"
    );
    assert_eq!(
        f[0].fix.as_deref(),
        Some("did you mean `memoryReservation`?")
    );
}

#[test]
fn pascal_case_from_cloudformation_is_pointed_out() {
    let td = json!({"Family": "web", "containerDefinitions": []});
    let f = findings(td, "ecs:RegisterTaskDefinitionRequest");
    let unknown = f.iter().find(|f| f.code == "unknown-field").unwrap();
    assert!(unknown.fix.as_deref().unwrap().contains("`family`"));
    assert!(unknown.fix.as_deref().unwrap().contains("PascalCase"));
    // and `family` itself is reported missing
    assert!(f
        .iter()
        .any(|f| f.code == "missing-field" && f.message.contains("`family`")));
}

#[test]
fn task_cpu_is_a_string_in_the_api() {
    // RegisterTaskDefinitionRequest.cpu has shape String in the ECS API model.
    let td = json!({"family": "web", "cpu": 256, "containerDefinitions": []});
    let f = findings(td, "ecs:RegisterTaskDefinitionRequest");
    assert_eq!(f[0].code, "wrong-type");
    assert_eq!(f[0].path.to_string(), "cpu");
    assert_eq!(f[0].fix.as_deref(), Some("write it in quotes: \"256\""));
}

#[test]
fn invalid_enum_lists_values_and_suggests() {
    let td = json!({"family": "web", "networkMode": "bridged", "containerDefinitions": []});
    let f = findings(td, "ecs:RegisterTaskDefinitionRequest");
    assert_eq!(f[0].code, "invalid-enum");
    assert!(f[0].message.contains("bridge, host, awsvpc, none"));
    assert_eq!(f[0].fix.as_deref(), Some("did you mean \"bridge\"?"));
}

#[test]
fn integers_written_as_strings_are_caught() {
    let svc = json!({"serviceName": "web", "desiredCount": "3"});
    let f = findings(svc, "plan:Service");
    assert_eq!(f[0].path.to_string(), "desiredCount");
    assert_eq!(f[0].fix.as_deref(), Some("remove the quotes: 3"));
}

#[test]
fn plan_service_extends_create_service_with_auto_scaling() {
    let svc = json!({
        "serviceName": "web", "taskDefinition": "web", "desiredCount": 2,
        "enableExecuteCommand": true,
        "autoScaling": {"minCapacity": 1, "maxCapacity": 10, "policies": [{
            "PolicyName": "cpu60", "PolicyType": "TargetTrackingScaling",
            "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 60.0,
              "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}
        }]}
    });
    assert_eq!(findings(svc, "plan:Service"), vec![]);
    let bad = json!({"serviceName": "web", "autoScaling": {"minCapacity": 1, "maxCapacity": 2,
        "policies": [{"PolicyName": "p", "PolicyType": "TargetTracking"}]}});
    let f = findings(bad, "plan:Service");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].path.to_string(), "autoScaling.policies[0].PolicyType");
    assert_eq!(
        f[0].fix.as_deref(),
        Some("did you mean \"TargetTrackingScaling\"?")
    );
}

#[test]
fn ranges_and_lengths_are_checked() {
    let ms = json!({"targetCapacity": 0});
    let f = findings(ms, "ecs:ManagedScaling");
    assert_eq!(f[0].code, "out-of-range");
    assert!(
        f[0].message.contains("between 1 and 100"),
        "{}",
        f[0].message
    );
}

#[test]
fn shape_at_follows_paths() {
    let s = Shapes::builtin();
    let p = JsonPath::parse("taskDefinitions[0].containerDefinitions[2].portMappings[0].protocol")
        .unwrap();
    assert_eq!(
        s.shape_at("plan:Plan", &p).as_deref(),
        Some("ecs:TransportProtocol")
    );
    assert_eq!(
        s.enum_values("ecs:TransportProtocol").unwrap(),
        &["tcp".to_string(), "udp".to_string()]
    );
}

#[test]
fn did_you_mean_needs_similarity() {
    assert_eq!(
        did_you_mean("taskDefinitons", ["taskDefinitions", "services"]),
        Some("taskDefinitions")
    );
    assert_eq!(did_you_mean("xyz", ["taskDefinitions", "services"]), None);
}

#[test]
fn the_shipped_shapes_read_as_their_serde_derive_reads_them() {
    for text in [AWS_SHAPES_JSON, PLAN_SHAPES_JSON] {
        let derived: Shapes = serde_json::from_str(text).unwrap();
        let read = Shapes::read(text);
        assert!(read.0.len() > 20);
        assert_eq!(read, derived);
    }
}
