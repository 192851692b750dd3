//! Quotas and ranges: ECS's service quotas as rules (the Developer Guide's `service-quotas.md`,
//! digested in `../shared/reference/ecs-semantics.md` §7), the API model's 32-bit integers and
//! ranges (botocore `ecs.service-2.json`), and the planner's own limits, which withhold a plan
//! far beyond the quotas so that nothing is computed for it.

use engine::api::findings::Finding;
use engine::api::plan::{load, load_value, Loaded};
use serde_json::{json, Value};

/// A small valid plan: one m5.large, task definition "web" (bridge, 256 MiB), service "web".
fn plan() -> Value {
    json!({
        "schemaVersion": 1,
        "cluster": {
            "availabilityZones": ["us-east-1a"],
            "containerInstances": [{"id": "i-1", "instanceType": "m5.large", "availabilityZone": "us-east-1a"}]
        },
        "taskDefinitions": [{"family": "web", "networkMode": "bridge", "requiresCompatibilities": ["EC2"],
            "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "memory": 256, "cpu": 128,
                "portMappings": [{"containerPort": 80}]}]}],
        "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 2, "launchType": "EC2"}]
    })
}

/// Sets the member at a `/`-separated pointer (creating objects on the way).
fn set(v: &mut Value, pointer: &str, x: Value) {
    let mut cur = v;
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    for (i, p) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        cur = match cur {
            Value::Array(a) => &mut a[p.parse::<usize>().unwrap()],
            Value::Object(o) => {
                if last {
                    o.insert(p.to_string(), x);
                    return;
                }
                o.entry(p.to_string()).or_insert_with(|| json!({}))
            }
            _ => panic!("cannot set {pointer}"),
        };
    }
}

fn with(pointer: &str, x: Value) -> Value {
    let mut p = plan();
    set(&mut p, pointer, x);
    p
}

fn codes(l: &Loaded) -> Vec<(String, String)> {
    l.findings
        .iter()
        .filter(|f| f.is_error())
        .map(|f| (f.code.clone(), f.path.to_string()))
        .collect()
}

fn only_error(l: &Loaded) -> &Finding {
    let errors: Vec<&Finding> = l.errors().collect();
    assert_eq!(errors.len(), 1, "{:?}", codes(l));
    errors[0]
}

#[test]
fn the_plan_itself_is_clean() {
    let l = load_value(plan());
    assert!(!l.has_errors(), "{:?}", codes(&l));
    assert!(l.plan.is_some());
}

// ---------------------------------------------------------------------------------------------
// Service quotas (rules). The plan still loads, as with any rule error: the board shows it.

#[test]
fn tasks_per_service_is_5000() {
    // ecs-semantics.md §7: "Tasks per service | 5,000".
    let l = load_value(with("/services/0/desiredCount", json!(5000)));
    assert!(!l.has_errors(), "{:?}", codes(&l));
    let l = load_value(with("/services/0/desiredCount", json!(5001)));
    let f = only_error(&l);
    assert_eq!(f.code, "tasks-per-service");
    assert_eq!(f.path.to_string(), "services[0].desiredCount");
    assert!(f.message.contains("5001 tasks"), "{}", f.message);
    assert!(f.fix.as_deref().unwrap().contains("at most 5000"));
    assert_eq!(f.doc.as_deref(), Some("service-quotas.md"));
    assert!(
        l.plan.is_some(),
        "a quota is a rule: the plan is shown with its error"
    );
}

#[test]
fn a_scheduled_action_beyond_the_tasks_per_service_quota() {
    let l = load_value(with(
        "/services/0/autoScaling",
        json!({"minCapacity": 1, "maxCapacity": 4, "scheduledActions": [
            {"ScheduledActionName": "peak", "Schedule": "cron(0 8 * * ? *)",
             "ScalableTargetAction": {"MinCapacity": 2, "MaxCapacity": 6000}}]}),
    ));
    let errors = codes(&l);
    assert!(
        errors.contains(&(
            "tasks-per-service".into(),
            "services[0].autoScaling.scheduledActions[0].ScalableTargetAction.MaxCapacity".into()
        )),
        "{errors:?}"
    );
}

#[test]
fn services_per_cluster_is_5000() {
    // ecs-semantics.md §7: "Services per cluster | 5,000".
    let mut p = plan();
    let services: Vec<Value> = (0..5001)
        .map(|i| json!({"serviceName": format!("s{i}"), "taskDefinition": "web", "desiredCount": 0, "launchType": "EC2"}))
        .collect();
    p["services"] = Value::Array(services);
    let l = load_value(p);
    let f = only_error(&l);
    assert_eq!(f.code, "services-per-cluster");
    assert_eq!(f.path.to_string(), "services");
    assert!(f.message.contains("5001 services"));
}

#[test]
fn container_instances_per_cluster_is_5000() {
    // ecs-semantics.md §7: "Container instances per cluster | 5,000"; the operating-at-scale
    // page: "the maximum number of Amazon EC2 instances that you can register for each cluster
    // is 5,000".
    let mut p = plan();
    let insts: Vec<Value> = (0..5001)
        .map(|i| json!({"id": format!("i-{i}"), "instanceType": "t3.micro", "availabilityZone": "us-east-1a"}))
        .collect();
    p["cluster"]["containerInstances"] = Value::Array(insts);
    let l = load_value(p);
    let f = only_error(&l);
    assert_eq!(f.code, "instances-per-cluster");
    assert_eq!(f.path.to_string(), "cluster.containerInstances");

    let l = load_value(with(
        "/cluster/capacityProviders",
        json!([{"name": "cp", "autoScalingGroup": {"InstanceTypes": ["m5.large"], "MinSize": 0, "MaxSize": 6000}}]),
    ));
    let errors = codes(&l);
    assert!(
        errors.contains(&(
            "instances-per-cluster".into(),
            "cluster.capacityProviders[0].autoScalingGroup.MaxSize".into()
        )),
        "{errors:?}"
    );
}

#[test]
fn capacity_providers_per_cluster_is_20() {
    // ecs-semantics.md §2.1 and §7: "Capacity providers per cluster | 20".
    let cps: Vec<Value> = (0..21)
        .map(|i| json!({"name": format!("cp{i}"), "autoScalingGroup": {"InstanceTypes": ["m5.large"], "MinSize": 0, "MaxSize": 1}}))
        .collect();
    let l = load_value(with("/cluster/capacityProviders", Value::Array(cps)));
    let errors = codes(&l);
    assert!(
        errors.contains(&(
            "capacity-providers-per-cluster".into(),
            "cluster.capacityProviders".into()
        )),
        "{errors:?}"
    );
}

#[test]
fn run_task_count_is_1_to_10() {
    // botocore RunTaskRequest.count: "You can specify up to 10 tasks for each call."
    let l = load_value(with(
        "/tasks",
        json!([{"taskDefinition": "web", "count": 11, "launchType": "EC2"}]),
    ));
    assert_eq!(only_error(&l).code, "run-task-count");
    assert_eq!(only_error(&l).path.to_string(), "tasks[0].count");
}

// ---------------------------------------------------------------------------------------------
// Ranges: the API's integers are 32-bit; botocore's own ranges. Out of range is structural: the
// plan is withheld and the finding names the place and the range.

fn out_of_range(pointer: &str, x: Value, path: &str) -> Finding {
    let l = load_value(with(pointer, x.clone()));
    assert!(l.plan.is_none(), "{pointer} = {x}: withheld");
    let f = only_error(&l).clone();
    assert_eq!(f.path.to_string(), path, "{pointer} = {x}");
    assert!(
        f.code == "out-of-range" || f.code == "wrong-type",
        "{pointer} = {x}: {f:?}"
    );
    f
}

#[test]
fn deployment_percentages_beyond_32_bits_are_refused_not_wrapped() {
    // A maximumPercent near 2^63 once overflowed the "cannot make progress" arithmetic.
    let f = out_of_range(
        "/services/0/deploymentConfiguration",
        json!({"maximumPercent": 4_611_686_018_427_387_904i64, "minimumHealthyPercent": 50}),
        "services[0].deploymentConfiguration.maximumPercent",
    );
    assert!(
        f.message.contains(
            "4611686018427387904 is out of range; must be between -2147483648 and 2147483647"
        ),
        "{}",
        f.message
    );
    assert!(f.fix.is_some());
    out_of_range(
        "/services/0/deploymentConfiguration",
        json!({"minimumHealthyPercent": -9_223_372_036_854_775_807i64}),
        "services[0].deploymentConfiguration.minimumHealthyPercent",
    );
    // Within 32 bits, the rules run without overflow: d × maximumPercent in 64 bits.
    let l = load_value(with(
        "/services/0/deploymentConfiguration",
        json!({"maximumPercent": 2_147_483_647, "minimumHealthyPercent": 100}),
    ));
    assert!(!l.has_errors(), "{:?}", codes(&l));
}

#[test]
fn container_cpu_and_memory_beyond_32_bits_are_refused() {
    let f = out_of_range(
        "/taskDefinitions/0/containerDefinitions/0/cpu",
        json!(1_000_000_000_000_000_000i64),
        "taskDefinitions[0].containerDefinitions[0].cpu",
    );
    assert!(f.message.contains("1000000000000000000"), "{}", f.message);
    // Written as 1e18, it is not a whole number in JSON.
    let l = load(
        &serde_json::to_string(&plan())
            .unwrap()
            .replace("\"cpu\":128", "\"cpu\":1e18"),
    );
    assert_eq!(only_error(&l).code, "wrong-type");
    assert_eq!(
        only_error(&l).path.to_string(),
        "taskDefinitions[0].containerDefinitions[0].cpu"
    );
    let f = out_of_range(
        "/taskDefinitions/0/containerDefinitions/0/memory",
        json!(i64::MAX),
        "taskDefinitions[0].containerDefinitions[0].memory",
    );
    assert!(f.message.contains("9223372036854775807"), "{}", f.message);
    out_of_range(
        "/taskDefinitions/0/containerDefinitions/0/memoryReservation",
        json!(3_000_000_000u64),
        "taskDefinitions[0].containerDefinitions[0].memoryReservation",
    );
}

#[test]
fn task_cpu_and_memory_outside_what_aws_takes() {
    // botocore RegisterTaskDefinitionRequest.cpu: 128 to 196608 units on EC2.
    let l = load_value(with("/taskDefinitions/0/cpu", json!("1000000000000000000")));
    assert!(l.plan.is_some());
    let f = only_error(&l);
    assert!(
        f.code == "task-size-format" || f.code == "task-cpu-range",
        "{f:?}"
    );
    assert_eq!(f.path.to_string(), "taskDefinitions[0].cpu");
    let l = load_value(with(
        "/taskDefinitions/0/memory",
        json!("9223372036854775807"),
    ));
    let f = only_error(&l);
    assert_eq!(f.path.to_string(), "taskDefinitions[0].memory");
    assert!(f.message.contains("too large"), "{}", f.message);
}

#[test]
fn ports_beyond_their_range() {
    let l = load_value(with(
        "/taskDefinitions/0/containerDefinitions/0/portMappings/0/containerPort",
        json!(70000),
    ));
    assert_eq!(only_error(&l).code, "port-out-of-range");
    out_of_range(
        "/taskDefinitions/0/containerDefinitions/0/portMappings/0/hostPort",
        json!(1u64 << 40),
        "taskDefinitions[0].containerDefinitions[0].portMappings[0].hostPort",
    );
}

#[test]
fn strategy_weight_and_base_ranges_of_the_api_model() {
    // botocore CapacityProviderStrategyItemWeight 0..1000, CapacityProviderStrategyItemBase
    // 0..100000.
    let strategy = |w: i64, b: i64| {
        let mut p = plan();
        p["services"][0]
            .as_object_mut()
            .unwrap()
            .remove("launchType");
        p["services"][0]["capacityProviderStrategy"] =
            json!([{"capacityProvider": "FARGATE", "weight": w, "base": b}]);
        load_value(p)
    };
    for (w, b, path) in [
        (1001, 0, "services[0].capacityProviderStrategy[0].weight"),
        (-1, 0, "services[0].capacityProviderStrategy[0].weight"),
        (1, 100_001, "services[0].capacityProviderStrategy[0].base"),
    ] {
        let l = strategy(w, b);
        assert!(l.plan.is_none());
        let f: Vec<&Finding> = l.errors().filter(|f| f.code == "out-of-range").collect();
        assert_eq!(f.len(), 1, "{:?}", codes(&l));
        assert_eq!(f[0].path.to_string(), path);
    }
}

#[test]
fn auto_scaling_capacities_and_group_sizes() {
    out_of_range(
        "/services/0/autoScaling",
        json!({"minCapacity": 1, "maxCapacity": 5001}),
        "services[0].autoScaling.maxCapacity",
    );
    out_of_range(
        "/services/0/autoScaling",
        json!({"minCapacity": -1, "maxCapacity": 2}),
        "services[0].autoScaling.minCapacity",
    );
    out_of_range(
        "/cluster/capacityProviders",
        json!([{"name": "cp", "autoScalingGroup": {"MinSize": 0, "MaxSize": 4_294_967_296u64}}]),
        "cluster.capacityProviders[0].autoScalingGroup.MaxSize",
    );
    out_of_range(
        "/services/0/autoScaling",
        json!({"minCapacity": 1, "maxCapacity": 2, "scheduledActions": [{"ScheduledActionName": "x",
            "ScalableTargetAction": {"MaxCapacity": 1u64 << 33}}]}),
        "services[0].autoScaling.scheduledActions[0].ScalableTargetAction.MaxCapacity",
    );
}

// ---------------------------------------------------------------------------------------------
// The planner's limits: a plan far beyond the quotas is withheld, so nothing is placed or
// simulated for it.

#[test]
fn a_desired_count_of_billions_withholds_the_plan() {
    // Beyond 32 bits the API refuses it; within, the planner's limit does.
    out_of_range(
        "/services/0/desiredCount",
        json!(4_000_000_000u32),
        "services[0].desiredCount",
    );
    let l = load_value(with("/services/0/desiredCount", json!(2_000_000_000u32)));
    assert!(l.plan.is_none(), "never placed");
    let f = only_error(&l);
    assert_eq!(f.code, "planner-limit");
    assert_eq!(f.path.to_string(), "services[0].desiredCount");
    assert!(f.message.contains("up to 100000"), "{}", f.message);
    assert!(f.fix.is_some());
}

#[test]
fn many_services_each_within_the_quota_can_still_be_too_many_tasks() {
    let mut p = plan();
    let services: Vec<Value> = (0..21)
        .map(|i| json!({"serviceName": format!("s{i}"), "taskDefinition": "web", "desiredCount": 5000, "launchType": "EC2"}))
        .collect();
    p["services"] = Value::Array(services);
    let l = load_value(p);
    assert!(l.plan.is_none());
    let f = only_error(&l);
    assert_eq!(f.code, "planner-limit");
    assert_eq!(f.path.to_string(), "services[0].desiredCount");
    assert!(f.message.contains("105000 tasks in all"), "{}", f.message);
}

#[test]
fn a_huge_auto_scaling_group_withholds_the_plan() {
    let l = load_value(with(
        "/cluster/capacityProviders",
        json!([{"name": "cp", "autoScalingGroup": {"InstanceTypes": ["m5.large"], "MinSize": 0, "MaxSize": 2_000_000_000}}]),
    ));
    assert!(l.plan.is_none());
    let f = only_error(&l);
    assert_eq!(f.code, "planner-limit");
    assert_eq!(
        f.path.to_string(),
        "cluster.capacityProviders[0].autoScalingGroup.MaxSize"
    );
}

#[test]
fn findings_from_text_carry_line_and_column() {
    let text =
        serde_json::to_string_pretty(&with("/services/0/desiredCount", json!(2_000_000_000u32)))
            .unwrap();
    let l = load(&text);
    let f = only_error(&l);
    let line = text.lines().position(|l| l.contains("2000000000")).unwrap() as u32 + 1;
    assert_eq!(f.line, Some(line));
}
