//! Service, RunTask and capacity provider rules, run through the plan loader (as the CLI and
//! the UI run them), one test per rule or small group, each citing its AWS page and section.

use engine::api::findings::{Finding, Severity};
use engine::api::plan::{load_value, Service};
use engine::api::rules::{check_service, Context};
use serde_json::{json, Value};

/// A plan with an EC2 capacity provider, an EC2 bridge task definition "web", a Fargate task
/// definition "api", and the given services and tasks; with no findings of its own.
fn plan(services: Value, tasks: Value) -> Value {
    json!({
        "schemaVersion": 1,
        "region": "us-east-1",
        "cluster": {
            "clusterName": "c",
            "availabilityZones": ["us-east-1a", "us-east-1b"],
            "containerInstances": [{"id": "i-1", "instanceType": "m5.large", "availabilityZone": "us-east-1a", "capacityProvider": "cp"}],
            "capacityProviders": [{
                "name": "cp",
                "autoScalingGroupProvider": {
                    "autoScalingGroupArn": "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/asg",
                    "managedScaling": {"status": "ENABLED", "targetCapacity": 100},
                    "managedTerminationProtection": "ENABLED"
                },
                "autoScalingGroup": {"InstanceTypes": ["m5.large"], "AvailabilityZones": ["us-east-1a"], "MinSize": 1, "MaxSize": 4, "DesiredCapacity": 1}
            }]
        },
        "taskDefinitions": [
            {"family": "web", "networkMode": "bridge", "requiresCompatibilities": ["EC2"],
             "taskRoleArn": "arn:aws:iam::123456789012:role/web", "executionRoleArn": "arn:aws:iam::123456789012:role/exec",
             "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "memory": 256, "portMappings": [{"containerPort": 80}]}]},
            {"family": "api", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
             "taskRoleArn": "arn:aws:iam::123456789012:role/api", "executionRoleArn": "arn:aws:iam::123456789012:role/exec",
             "containerDefinitions": [{"name": "api", "image": "public.ecr.aws/nginx/nginx:1.27", "portMappings": [{"containerPort": 3000}]}]}
        ],
        "services": services,
        "tasks": tasks
    })
}

fn net() -> Value {
    json!({"awsvpcConfiguration": {"subnets": ["subnet-1"], "securityGroups": ["sg-1"]}})
}

fn web(extra: Value) -> Value {
    let mut s = json!({"serviceName": "web", "taskDefinition": "web", "desiredCount": 2, "launchType": "EC2"});
    merge(&mut s, extra);
    s
}

fn api(extra: Value) -> Value {
    let mut s = json!({"serviceName": "api", "taskDefinition": "api", "desiredCount": 2, "launchType": "FARGATE", "networkConfiguration": net()});
    merge(&mut s, extra);
    s
}

fn merge(a: &mut Value, b: Value) {
    for (k, v) in b.as_object().cloned().unwrap_or_default() {
        if v.is_null() {
            a.as_object_mut().unwrap().remove(&k);
        } else {
            a[k] = v;
        }
    }
}

fn findings(services: Value) -> Vec<Finding> {
    let l = load_value(plan(services, json!([])));
    assert!(
        l.plan.is_some(),
        "the plan is well formed: {:#?}",
        l.findings
    );
    l.findings
}

#[track_caller]
fn one(services: Value, code: &str) -> Finding {
    let all = findings(services);
    let hits: Vec<&Finding> = all.iter().filter(|f| f.code == code).collect();
    assert_eq!(hits.len(), 1, "expected one {code}: {all:#?}");
    assert!(hits[0].fix.is_some() && hits[0].doc.is_some());
    hits[0].clone()
}

#[track_caller]
fn none(services: Value, code: &str) {
    let all = findings(services);
    assert!(
        !all.iter().any(|f| f.code == code),
        "unexpected {code}: {all:#?}"
    );
}

#[test]
fn the_baseline_is_clean() {
    assert_eq!(findings(json!([web(json!({})), api(json!({}))])), vec![]);
}

#[test]
fn service_name() {
    // service_definition_parameters.md#sd-servicename.
    one(
        json!([web(json!({"serviceName": "web app"}))]),
        "service-name",
    );
}

#[test]
fn launch_type_or_strategy() {
    // service_definition_parameters.md#sd-launchtype: with a launchType, omit the strategy.
    let f = one(
        json!([web(
            json!({"capacityProviderStrategy": [{"capacityProvider": "cp", "weight": 1}]})
        )]),
        "launch-type-and-strategy",
    );
    assert_eq!(f.path.to_string(), "services[0].launchType");
    none(
        json!([web(
            json!({"launchType": null, "capacityProviderStrategy": [{"capacityProvider": "cp", "weight": 1}]})
        )]),
        "launch-type-and-strategy",
    );
}

#[test]
fn fargate_services_need_fargate_compatible_task_definitions() {
    // AWS_Fargate.md#fargate-task-defs; cfn-lint service_fargate.json.
    let f = one(
        json!([web(json!({"launchType": "FARGATE"}))]),
        "service-not-fargate-compatible",
    );
    assert!(f.message.contains("awsvpc"), "{}", f.message);
    // Through a strategy of Fargate providers too.
    one(
        json!([web(
            json!({"launchType": null, "capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]})
        )]),
        "service-not-fargate-compatible",
    );
    // Through the cluster's default strategy.
    let mut p = plan(json!([web(json!({"launchType": null}))]), json!([]));
    p["cluster"]["defaultCapacityProviderStrategy"] =
        json!([{"capacityProvider": "FARGATE", "weight": 1}]);
    assert!(load_value(p)
        .findings
        .iter()
        .any(|f| f.code == "service-not-fargate-compatible"));
    // A task definition without FARGATE listed but meeting every requirement is fine (AWS
    // computes its compatibilities).
    let mut p = plan(json!([api(json!({}))]), json!([]));
    p["taskDefinitions"][1]["requiresCompatibilities"] = json!([]);
    assert_eq!(load_value(p).findings, vec![]);
}

#[test]
fn awsvpc_services_say_where_their_interfaces_go() {
    // service_definition_parameters.md#sd-networkconfiguration; cfn-lint service_network_configuration.json.
    let f = one(
        json!([api(json!({"networkConfiguration": null}))]),
        "missing-network-configuration",
    );
    assert_eq!(f.path.to_string(), "services[0].networkConfiguration");
    one(
        json!([web(json!({"networkConfiguration": net()}))]),
        "network-configuration-not-awsvpc",
    );
    let many: Vec<String> = (0..17).map(|i| format!("subnet-{i}")).collect();
    one(
        json!([api(
            json!({"networkConfiguration": {"awsvpcConfiguration": {"subnets": many}}})
        )]),
        "awsvpc-subnets",
    );
    one(
        json!([api(
            json!({"networkConfiguration": {"awsvpcConfiguration": {"subnets": []}}})
        )]),
        "awsvpc-subnets",
    );
    let sgs: Vec<String> = (0..6).map(|i| format!("sg-{i}")).collect();
    one(
        json!([api(
            json!({"networkConfiguration": {"awsvpcConfiguration": {"subnets": ["s"], "securityGroups": sgs}}})
        )]),
        "awsvpc-security-groups",
    );
}

#[test]
fn replica_services_have_a_desired_count() {
    // service_definition_parameters.md#sd-desiredcount: required for REPLICA.
    one(
        json!([web(json!({"desiredCount": null}))]),
        "missing-desired-count",
    );
}

#[test]
fn daemon_services() {
    // ecs_services.md#service_scheduler_daemon; cfn-lint aws_ecs_service/fargate.json.
    let daemon = |extra: Value| {
        let mut s = web(json!({"schedulingStrategy": "DAEMON", "desiredCount": null}));
        merge(&mut s, extra);
        s
    };
    assert_eq!(findings(json!([daemon(json!({}))])), vec![]);
    one(
        json!([api(
            json!({"schedulingStrategy": "DAEMON", "desiredCount": null})
        )]),
        "daemon-on-fargate",
    );
    one(
        json!([daemon(json!({"desiredCount": 3}))]),
        "daemon-desired-count",
    );
    one(
        json!([daemon(
            json!({"placementStrategy": [{"type": "spread", "field": "instanceId"}]})
        )]),
        "daemon-placement-strategy",
    );
    one(
        json!([daemon(
            json!({"deploymentController": {"type": "CODE_DEPLOY"}})
        )]),
        "daemon-deployment-controller",
    );
    one(
        json!([daemon(
            json!({"deploymentConfiguration": {"maximumPercent": 200}})
        )]),
        "daemon-maximum-percent",
    );
    none(
        json!([daemon(
            json!({"deploymentConfiguration": {"maximumPercent": 100, "minimumHealthyPercent": 0}})
        )]),
        "daemon-maximum-percent",
    );
    let f = one(
        json!([daemon(
            json!({"autoScaling": {"minCapacity": 1, "maxCapacity": 3}})
        )]),
        "daemon-auto-scaling",
    );
    assert_eq!(f.severity, Severity::Warning);
}

#[test]
fn deployment_percentages() {
    // service_definition_parameters.md#sd-deploymentconfiguration.
    one(
        json!([web(
            json!({"deploymentConfiguration": {"minimumHealthyPercent": 150, "maximumPercent": 300}})
        )]),
        "deployment-percent-range",
    );
    one(
        json!([web(
            json!({"deploymentConfiguration": {"maximumPercent": -1}})
        )]),
        "deployment-percent-range",
    );
    let f = one(
        json!([web(
            json!({"deploymentConfiguration": {"maximumPercent": 50, "minimumHealthyPercent": 0}})
        )]),
        "deployment-maximum-below-100",
    );
    assert_eq!(f.severity, Severity::Warning);
}

#[test]
fn deployments_that_cannot_make_progress() {
    // deployment-type-ecs.md: minimumHealthyPercent rounds up, maximumPercent rounds down; the
    // scheduler must be able to stop or start at least one task.
    let dc = |d: u32, min: u32, max: u32| {
        json!([web(
            json!({"desiredCount": d, "deploymentConfiguration": {"minimumHealthyPercent": min, "maximumPercent": max}})
        )])
    };
    // The page's two examples.
    let f = one(dc(2, 75, 100), "deployment-cannot-progress");
    assert!(f.message.contains("with 2 tasks"), "{}", f.message);
    assert_eq!(
        f.fix.as_deref(),
        Some("raise maximumPercent to at least 150 or lower minimumHealthyPercent to at most 50")
    );
    one(dc(3, 100, 125), "deployment-cannot-progress");
    one(dc(4, 100, 100), "deployment-cannot-progress");
    none(dc(4, 50, 100), "deployment-cannot-progress");
    none(dc(2, 75, 200), "deployment-cannot-progress");
    none(dc(3, 50, 100), "deployment-cannot-progress");
    // A count auto scaling can reach: with 150%, one task cannot start a second.
    let scaled = json!([web(
        json!({"desiredCount": 2, "deploymentConfiguration": {"minimumHealthyPercent": 100, "maximumPercent": 150},
        "autoScaling": {"minCapacity": 1, "maxCapacity": 4}})
    )]);
    assert!(one(scaled, "deployment-cannot-progress")
        .message
        .contains("auto scaling can reach"));
    // Blue/green does not use these percentages.
    none(
        json!([web(
            json!({"deploymentController": {"type": "CODE_DEPLOY"}, "deploymentConfiguration": {"minimumHealthyPercent": 100, "maximumPercent": 100}})
        )]),
        "deployment-cannot-progress",
    );
}

#[test]
fn the_circuit_breaker_needs_rolling_updates() {
    // deployment-circuit-breaker.md; API DeploymentConfiguration.deploymentCircuitBreaker.
    let s = web(
        json!({"deploymentController": {"type": "EXTERNAL"}, "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": true, "rollback": true}}}),
    );
    one(json!([s]), "circuit-breaker-controller");
    none(
        json!([web(
            json!({"deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": true, "rollback": true}}})
        )]),
        "circuit-breaker-controller",
    );
}

#[test]
fn load_balancers() {
    // service_definition_parameters.md (loadBalancers): the container and port must be in the
    // task definition; AWS_Fargate.md#fargate-tasks-services-load-balancing: awsvpc needs ip targets.
    let tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1";
    let lb = |name: &str, port: u32| json!({"loadBalancers": [{"targetGroupArn": tg, "containerName": name, "containerPort": port}]});
    // Bridge with a dynamic host port behind a target group: fine, nothing to say.
    assert_eq!(findings(json!([web(lb("web", 80))])), vec![]);
    let f = one(json!([web(lb("wbe", 80))]), "load-balancer-container");
    assert_eq!(f.fix.as_deref(), Some("did you mean \"web\"?"));
    let f = one(json!([web(lb("web", 8080))]), "load-balancer-container");
    assert!(f.message.contains("it maps 80"), "{}", f.message);
    one(
        json!([web(json!({"loadBalancers": [{"targetGroupArn": tg}]}))]),
        "load-balancer-container",
    );
    let f = one(json!([api(lb("api", 3000))]), "target-type-ip");
    assert_eq!(f.severity, Severity::Info);
    one(
        json!([api(
            json!({"loadBalancers": [{"loadBalancerName": "classic", "containerName": "api", "containerPort": 3000}]})
        )]),
        "classic-load-balancer-awsvpc",
    );
    let mut with_role = api(lb("api", 3000));
    with_role["role"] = json!("ecsServiceRole");
    one(json!([with_role]), "service-role-awsvpc");
    let mut ec2_role = web(lb("web", 80));
    ec2_role["role"] = json!("ecsServiceRole");
    none(json!([ec2_role]), "service-role-awsvpc");
}

#[test]
fn fargate_platform_versions() {
    // AWS_Fargate.md#fargate-tasks-size: 8 and 16 vCPU need Linux platform 1.4.0; efs-volumes.md
    // and the ephemeral storage parameter likewise.
    let mut p = plan(json!([api(json!({"platformVersion": "1.3.0"}))]), json!([]));
    p["taskDefinitions"][1]["cpu"] = json!("8192");
    p["taskDefinitions"][1]["memory"] = json!("16384");
    let l = load_value(p.clone());
    let f = l
        .findings
        .iter()
        .find(|f| f.code == "fargate-platform-version")
        .expect("fargate-platform-version");
    assert!(f.message.contains("8 vCPU"), "{}", f.message);
    p["services"][0]["platformVersion"] = json!("LATEST");
    assert!(!load_value(p)
        .findings
        .iter()
        .any(|f| f.code == "fargate-platform-version"));
}

#[test]
fn no_fargate_spot_for_windows() {
    // AWS_Fargate.md#fargate-spot: Windows containers cannot use Fargate Spot.
    let mut p = plan(
        json!([api(
            json!({"launchType": null, "capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]})
        )]),
        json!([]),
    );
    p["taskDefinitions"][1]["runtimePlatform"] =
        json!({"operatingSystemFamily": "WINDOWS_SERVER_2019_CORE"});
    p["taskDefinitions"][1]["cpu"] = json!("1024");
    p["taskDefinitions"][1]["memory"] = json!("2048");
    let l = load_value(p);
    assert!(
        l.findings.iter().any(|f| f.code == "fargate-spot-windows"),
        "{:#?}",
        l.findings
    );
}

#[test]
fn placement_in_services() {
    // task-placement-constraints.md, task-placement-strategies.md, cluster-query-language.md;
    // API CreateService: at most 10 constraints (task definition included) and 5 strategies.
    one(
        json!([web(json!({"placementConstraints": [{"type": "memberOf"}]}))]),
        "constraint-expression-missing",
    );
    one(
        json!([web(
            json!({"placementConstraints": [{"type": "distinctInstance", "expression": "attribute:a exists"}]})
        )]),
        "constraint-expression-not-allowed",
    );
    let f = one(
        json!([web(
            json!({"placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.instance-type == "}]})
        )]),
        "cql-syntax",
    );
    assert!(f.message.contains("column"), "{}", f.message);
    let eleven: Vec<Value> = (0..11)
        .map(|_| json!({"type": "distinctInstance"}))
        .collect();
    one(
        json!([web(json!({"placementConstraints": eleven}))]),
        "too-many-constraints",
    );
    let six: Vec<Value> = (0..6).map(|_| json!({"type": "random"})).collect();
    one(
        json!([web(json!({"placementStrategy": six}))]),
        "too-many-strategies",
    );
    let five: Vec<Value> = (0..5)
        .map(|_| json!({"type": "spread", "field": "instanceId"}))
        .collect();
    none(
        json!([web(json!({"placementStrategy": five}))]),
        "too-many-strategies",
    );
    one(
        json!([web(
            json!({"placementStrategy": [{"type": "binpack", "field": "disk"}]})
        )]),
        "strategy-field",
    );
    one(
        json!([web(json!({"placementStrategy": [{"type": "spread"}]}))]),
        "strategy-field",
    );
    one(
        json!([web(
            json!({"placementStrategy": [{"type": "spread", "field": "availability-zone"}]})
        )]),
        "strategy-field",
    );
    none(
        json!([web(
            json!({"placementStrategy": [{"type": "spread", "field": "host"}, {"type": "binpack", "field": "MEMORY"}]})
        )]),
        "strategy-field",
    );
    assert_eq!(
        one(
            json!([web(
                json!({"placementStrategy": [{"type": "random", "field": "cpu"}]})
            )]),
            "strategy-field-ignored"
        )
        .severity,
        Severity::Warning
    );
    one(
        json!([api(
            json!({"placementStrategy": [{"type": "spread", "field": "instanceId"}]})
        )]),
        "placement-on-fargate",
    );
}

#[test]
fn auto_scaling() {
    // service-auto-scaling.md; service-autoscaling-targettracking.md (ALBRequestCountPerTarget).
    one(
        json!([web(
            json!({"autoScaling": {"minCapacity": 5, "maxCapacity": 2}})
        )]),
        "auto-scaling-range",
    );
    let f = one(
        json!([web(
            json!({"desiredCount": 10, "autoScaling": {"minCapacity": 1, "maxCapacity": 4}})
        )]),
        "auto-scaling-desired",
    );
    assert_eq!(f.fix.as_deref(), Some("set desiredCount to 4"));
    one(
        json!([web(
            json!({"autoScaling": {"minCapacity": 1, "maxCapacity": 4,
            "scheduledActions": [{"ScheduledActionName": "night", "Schedule": "cron(0 0 * * ? *)", "ScalableTargetAction": {"MinCapacity": 3, "MaxCapacity": 2}}]}})
        )]),
        "scheduled-action-range",
    );
    let alb = |label: Option<&str>| {
        let mut spec = json!({"PredefinedMetricType": "ALBRequestCountPerTarget"});
        if let Some(l) = label {
            spec["ResourceLabel"] = json!(l);
        }
        json!({"minCapacity": 1, "maxCapacity": 4, "policies": [{"PolicyName": "req", "PolicyType": "TargetTrackingScaling",
            "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 100.0, "PredefinedMetricSpecification": spec}}]})
    };
    one(
        json!([web(json!({"autoScaling": alb(None)}))]),
        "alb-request-count-label",
    );
    one(
        json!([web(
            json!({"autoScaling": alb(Some("app/lb/1/targetgroup/tg/2"))})
        )]),
        "alb-request-count-without-target-group",
    );
}

#[test]
fn capacity_provider_strategies() {
    // cluster-capacity-providers.md; API CreateService.capacityProviderStrategy (at most 20).
    let s = |items: Value| {
        json!([web(
            json!({"launchType": null, "capacityProviderStrategy": items})
        )])
    };
    one(
        s(
            json!([{"capacityProvider": "cp", "base": 1, "weight": 1}, {"capacityProvider": "FARGATE", "base": 1, "weight": 1}]),
        ),
        "strategy-single-base",
    );
    one(
        s(json!([{"capacityProvider": "cp"}, {"capacityProvider": "FARGATE_SPOT", "weight": 0}])),
        "strategy-zero-weight",
    );
    let f = one(
        s(
            json!([{"capacityProvider": "cp", "weight": 1}, {"capacityProvider": "FARGATE", "weight": 1}]),
        ),
        "strategy-mixed-providers",
    );
    assert!(f.message.contains("FARGATE") && f.message.contains("cp"));
    one(
        s(
            json!([{"capacityProvider": "cp", "weight": 1}, {"capacityProvider": "cp", "weight": 2}]),
        ),
        "strategy-duplicate-provider",
    );
    // A single provider with weight 0 still takes the tasks.
    none(
        s(json!([{"capacityProvider": "cp"}])),
        "strategy-zero-weight",
    );
    // Outside a plan the cluster's providers are unknown; every other name counts as an ASG provider.
    let many: Vec<Value> = (0..21)
        .map(|i| json!({"capacityProvider": format!("p{i}"), "weight": 1}))
        .collect();
    let svc: Service = serde_json::from_value(
        json!({"serviceName": "s", "desiredCount": 1, "capacityProviderStrategy": many}),
    )
    .unwrap();
    let out = check_service(
        &svc,
        None,
        &engine::api::findings::JsonPath::root(),
        &Context::default(),
    );
    assert!(
        out.iter().any(|f| f.code == "strategy-too-many"),
        "{out:#?}"
    );
}

#[test]
fn auto_scaling_groups_of_capacity_providers() {
    // asg-capacity-providers.md#asg-capacity-providers-considerations.
    let mut p = plan(json!([]), json!([]));
    let asg = &mut p["cluster"]["capacityProviders"][0]["autoScalingGroup"];
    asg["MinSize"] = json!(3);
    asg["DesiredCapacity"] = json!(1);
    let l = load_value(p.clone());
    let codes: Vec<&str> = l.findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "asg-size").count(),
        1,
        "{codes:?}"
    );
    p["cluster"]["capacityProviders"][0]["autoScalingGroup"] = json!({"MinSize": 5, "MaxSize": 0});
    let codes: Vec<String> = load_value(p.clone())
        .findings
        .into_iter()
        .map(|f| f.code)
        .collect();
    assert!(
        codes.contains(&"asg-size".to_string()) && codes.contains(&"asg-max-zero".to_string()),
        "{codes:?}"
    );
    p["cluster"]["capacityProviders"][0]["autoScalingGroupProvider"]["managedScaling"]["status"] =
        json!("DISABLED");
    assert!(load_value(p)
        .findings
        .iter()
        .any(|f| f.code == "managed-termination-protection"));
}

#[test]
fn termination_policies_are_named_or_a_lambda_function() {
    // API model, CreateAutoScalingGroup TerminationPolicies: "Valid values: Default |
    // AllocationStrategy | ClosestToNextInstanceHour | NewestInstance | OldestInstance |
    // OldestLaunchConfiguration | OldestLaunchTemplate | arn:aws:lambda:...".
    let mut p = plan(json!([]), json!([]));
    p["cluster"]["capacityProviders"][0]["autoScalingGroup"]["TerminationPolicies"] = json!([
        "OldestInstance",
        "NewstInstance",
        "arn:aws:lambda:us-east-1:111122223333:function:pick:prod"
    ]);
    let l = load_value(p);
    let bad = l
        .findings
        .iter()
        .find(|f| f.code == "asg-termination-policy")
        .expect("asg-termination-policy");
    assert_eq!(
        bad.path.to_string(),
        "cluster.capacityProviders[0].autoScalingGroup.TerminationPolicies[1]"
    );
    assert!(
        bad.fix.as_deref().unwrap_or("").contains("NewestInstance"),
        "{bad:?}"
    );
    let custom = l
        .findings
        .iter()
        .find(|f| f.code == "asg-custom-termination-policy")
        .expect("asg-custom-termination-policy");
    assert_eq!(custom.severity, engine::api::findings::Severity::Warning);
    assert_eq!(
        l.findings
            .iter()
            .filter(|f| f.code.contains("termination-policy"))
            .count(),
        2
    );
}

#[test]
fn run_tasks() {
    // API RunTask: count 1-10; the launch type, Fargate and network rules as for services.
    let l = load_value(plan(
        json!([]),
        json!([{"taskDefinition": "web", "count": 11, "launchType": "EC2"}]),
    ));
    let f = l
        .findings
        .iter()
        .find(|f| f.code == "run-task-count")
        .expect("run-task-count");
    assert_eq!(f.path.to_string(), "tasks[0].count");
    let l = load_value(plan(
        json!([]),
        json!([{"taskDefinition": "api", "count": 1, "launchType": "FARGATE"}]),
    ));
    assert!(l
        .findings
        .iter()
        .any(|f| f.code == "missing-network-configuration"
            && f.path.to_string() == "tasks[0].networkConfiguration"));
    let l = load_value(plan(
        json!([]),
        json!([{"taskDefinition": "web", "count": 1, "launchType": "EC2", "capacityProviderStrategy": [{"capacityProvider": "cp", "weight": 1}]}]),
    ));
    assert!(l
        .findings
        .iter()
        .any(|f| f.code == "launch-type-and-strategy"));
    let l = load_value(plan(
        json!([]),
        json!([{"taskDefinition": "web", "count": 10, "launchType": "EC2", "group": "batch"}]),
    ));
    assert_eq!(l.findings, vec![]);
}

#[test]
fn rule_errors_do_not_withhold_the_plan() {
    // The loader reports rule findings but keeps the plan, so the planner can still show it.
    let l = load_value(plan(
        json!([api(json!({"networkConfiguration": null}))]),
        json!([]),
    ));
    assert!(l.has_errors());
    assert!(l.plan.is_some());
}
