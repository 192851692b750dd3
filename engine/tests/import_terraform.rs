//! `import --from terraform` on outputs written for these tests after Terraform's JSON output
//! format (`tests/fixtures/terraform`): `shop-state.json` (`terraform show -json` of a state,
//! resources in nested modules), `shop.tfstate` (the same resources as a state file) and
//! `shop-plan.json` (`terraform show -json PLANFILE`: a new service on a new capacity provider
//! whose ARNs are known only after apply, scaling in a module wired through variables, a
//! destroyed service). When `ECSPLAN_TERRAFORM_SAMPLES` names a directory, every `.json` and
//! `.tfstate` file in it is imported too (published outputs cannot be committed here): each
//! must import or be refused with error notes, never panic, and an imported plan must load.
mod common;

use engine::api::findings::Severity;
use engine::api::import::{terraform, ClusterImport, ClusterOptions, InputFile, SourceNote};
use engine::api::plan::Plan;
use serde_json::Value;
use std::path::Path;

fn load(name: &str) -> InputFile {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terraform")
        .join(name);
    InputFile::new(name, std::fs::read_to_string(p).unwrap())
}

fn import(name: &str) -> ClusterImport {
    terraform(&load(name), &ClusterOptions::default()).unwrap_or_else(|e| panic!("{name}: {e:#?}"))
}

fn notes_with<'a>(i: &'a ClusterImport, code: &str) -> Vec<&'a SourceNote> {
    i.notes.iter().filter(|n| n.finding.code == code).collect()
}

fn instances(p: &Plan) -> Vec<(&str, &str, &str, Option<&str>)> {
    p.cluster
        .container_instances
        .iter()
        .map(|c| {
            (
                c.id.as_str(),
                c.instance_type.as_str(),
                c.availability_zone.as_str(),
                c.capacity_provider.as_deref(),
            )
        })
        .collect()
}

#[test]
fn state_in_modules_imports_the_cluster() {
    let i = import("shop-state.json");
    let p = &i.plan;
    assert_eq!(p.cluster.cluster_name, "shop-prod");
    assert_eq!(p.region, "eu-west-1");
    assert!(i.running_tasks.is_empty(), "Terraform has no tasks");
    // Capacity providers with their groups (module.cluster).
    let names: Vec<&str> = p
        .cluster
        .capacity_providers
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["ondemand", "spot"]);
    let od = p.cluster.capacity_providers[0]
        .auto_scaling_group
        .as_ref()
        .unwrap();
    assert_eq!(
        (od.min_size, od.max_size, od.desired_capacity),
        (Some(2), Some(6), Some(3))
    );
    assert_eq!(
        od.instance_types,
        ["m5.large"],
        "the launch template's instance_type"
    );
    assert_eq!(
        od.extra["LaunchTemplate"]["LaunchTemplateName"], "shop-ecs",
        "launch_template.name → LaunchTemplateName"
    );
    assert_eq!(
        od.extra["VPCZoneIdentifier"],
        "subnet-0aaa1111,subnet-0bbb2222,subnet-0ccc3333"
    );
    let spot = p.cluster.capacity_providers[1]
        .auto_scaling_group
        .as_ref()
        .unwrap();
    assert_eq!(
        spot.instance_types,
        ["m5.large", "m6i.large"],
        "the overrides"
    );
    assert_eq!(
        spot.extra["MixedInstancesPolicy"]["InstancesDistribution"]["SpotAllocationStrategy"],
        "price-capacity-optimized"
    );
    let ms = p.cluster.capacity_providers[0]
        .auto_scaling_group_provider
        .as_ref()
        .unwrap();
    assert_eq!(
        ms.managed_termination_protection.as_deref(),
        Some("ENABLED")
    );
    assert_eq!(
        ms.managed_scaling.as_ref().unwrap().target_capacity,
        Some(90)
    );
    assert_eq!(
        p.cluster.default_capacity_provider_strategy[0].capacity_provider,
        "ondemand"
    );
    // Instances derived from the groups' desired capacities, over their zones in turn.
    assert_eq!(
        instances(p),
        [
            (
                "i-shop-ondemand-1",
                "m5.large",
                "eu-west-1a",
                Some("ondemand")
            ),
            (
                "i-shop-ondemand-2",
                "m5.large",
                "eu-west-1b",
                Some("ondemand")
            ),
            (
                "i-shop-ondemand-3",
                "m5.large",
                "eu-west-1c",
                Some("ondemand")
            ),
            ("i-shop-spot-1", "m5.large", "eu-west-1a", Some("spot")),
            ("i-shop-spot-2", "m5.large", "eu-west-1b", Some("spot")),
        ]
    );
    let derived = notes_with(&i, "derived-instances");
    assert_eq!(derived.len(), 2);
    assert_eq!(derived[0].finding.severity, Severity::Info);
    assert!(derived[0].finding.message.contains("desired capacity"));
    assert_eq!(
        p.cluster.availability_zones,
        ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    );
}

#[test]
fn task_definitions_and_services_convert_to_the_api_shapes() {
    let p = import("shop-state.json").plan;
    let web_td = p
        .task_definitions
        .iter()
        .find(|t| t.family == "web")
        .unwrap();
    assert_eq!(web_td.cpu.as_deref(), Some("256"));
    assert_eq!(
        web_td.container_definitions[0].port_mappings[0].container_port,
        Some(8080),
        "container_definitions is a JSON string in Terraform"
    );
    assert_eq!(
        web_td.volumes[0].extra.get("host").unwrap()["sourcePath"],
        "/var/cache/web"
    );
    assert_eq!(
        web_td.extra["tags"],
        serde_json::json!([{"key": "service", "value": "web"}]),
        "tags, not tags_all"
    );
    assert_eq!(
        web_td
            .runtime_platform
            .as_ref()
            .unwrap()
            .cpu_architecture
            .as_deref(),
        Some("X86_64")
    );
    let names: Vec<&str> = p.services.iter().map(|s| s.service_name.as_str()).collect();
    assert_eq!(
        names,
        ["web", "api"],
        "worker's task definition is not in the state"
    );
    let web = &p.services[0];
    assert_eq!(web.task_definition.as_deref(), Some("web"));
    assert_eq!(
        web.placement_strategy.len(),
        2,
        "ordered_placement_strategy"
    );
    assert_eq!(web.load_balancers[0]["containerPort"], 8080);
    assert!(
        web.load_balancers[0].get("loadBalancerName").is_none(),
        "elb_name \"\" is unset"
    );
    let dc = web.deployment_configuration.as_ref().unwrap().json();
    assert_eq!(dc["maximumPercent"], 200);
    assert_eq!(dc["deploymentCircuitBreaker"]["rollback"], true);
    assert!(web.launch_type.is_none(), "launch_type \"\" is unset");
    assert_eq!(web.extra["healthCheckGracePeriodSeconds"], 60);
    let api = &p.services[1];
    let vpc = &api.network_configuration.as_ref().unwrap()["awsvpcConfiguration"];
    assert_eq!(
        vpc["assignPublicIp"], "DISABLED",
        "assign_public_ip = false"
    );
    assert_eq!(vpc["securityGroups"][0], "sg-0api0000");
    assert_eq!(api.placement_constraints.len(), 1);
    assert!(api.placement_constraints[0].expression.is_none());
    assert_eq!(
        api.deployment_configuration.as_ref().unwrap().json()["minimumHealthyPercent"],
        50
    );
    assert!(
        !api.extra.contains_key("healthCheckGracePeriodSeconds"),
        "0 is the provider's unset"
    );
}

#[test]
fn scaling_comes_from_nested_modules_and_step_alarms_from_cloudwatch() {
    let p = import("shop-state.json").plan;
    let web = p.services.iter().find(|s| s.service_name == "web").unwrap();
    let a = web.auto_scaling.as_ref().unwrap().json();
    assert_eq!(
        (a["minCapacity"].as_u64(), a["maxCapacity"].as_u64()),
        (Some(3), Some(12))
    );
    assert_eq!(a["policies"][0]["PolicyName"], "web-cpu");
    assert_eq!(
        a["policies"][0]["TargetTrackingScalingPolicyConfiguration"]
            ["PredefinedMetricSpecification"]["PredefinedMetricType"],
        "ECSServiceAverageCPUUtilization"
    );
    assert_eq!(
        a["scheduledActions"][0]["ScalableTargetAction"]["MinCapacity"], 6,
        "Terraform's \"6\" is the API's number"
    );
    let api = p.services.iter().find(|s| s.service_name == "api").unwrap();
    let step = &api.auto_scaling.as_ref().unwrap().json()["policies"][0];
    assert_eq!(
        step["StepScalingPolicyConfiguration"]["StepAdjustments"][0]["MetricIntervalLowerBound"],
        0.0
    );
    assert!(
        step["StepScalingPolicyConfiguration"]
            .get("MinAdjustmentMagnitude")
            .is_none(),
        "0 is unset (and the API refuses it with ChangeInCapacity)"
    );
    assert_eq!(
        step["alarm"],
        serde_json::json!({"metric": "CPUUtilization", "comparison": "GreaterThanOrEqualToThreshold",
            "threshold": 70, "evaluationPeriods": 3, "datapointsToAlarm": 2, "periodSeconds": 60,
            "statistic": "Average"}),
        "the aws_cloudwatch_metric_alarm whose alarm_actions name the policy"
    );
}

#[test]
fn what_is_not_converted_is_listed() {
    let i = import("shop-state.json");
    let missing = notes_with(&i, "missing-task-definition");
    assert_eq!(missing.len(), 1);
    assert_eq!(
        missing[0].finding.path.to_string(),
        "values.root_module.child_modules[1].resources[4].values.task_definition"
    );
    assert!(missing[0].finding.line.is_some());
    assert!(missing[0].finding.message.contains("worker:3"));
    let other = i
        .notes
        .iter()
        .find(|n| n.finding.message.contains("no place for"))
        .unwrap();
    assert!(other.finding.message.contains("aws_cloudwatch_log_group"));
    assert!(i
        .notes
        .iter()
        .any(|n| n.finding.message.contains("`tags_all`")));
    assert!(i
        .notes
        .iter()
        .any(|n| n.finding.message.contains("`metrics_granularity`")));
}

#[test]
fn the_state_file_imports_the_same_cluster_as_show_json() {
    let a = import("shop-state.json").plan;
    let b = import("shop.tfstate").plan;
    let strip = |p: &Plan| {
        let mut v = serde_json::to_value(p).unwrap();
        v.as_object_mut().unwrap().remove("description");
        v
    };
    assert_eq!(strip(&a), strip(&b));
}

#[test]
fn imported_plans_load_without_errors() {
    for f in ["shop-state.json", "shop.tfstate", "shop-plan.json"] {
        let i = import(f);
        let loaded = engine::api::plan::load(&i.plan.to_json());
        let errors: Vec<String> = loaded.errors().map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{f}: {errors:#?}");
    }
}

#[test]
fn a_plan_is_the_cluster_after_apply() {
    let i = import("shop-plan.json");
    let p = &i.plan;
    let web = p.services.iter().find(|s| s.service_name == "web").unwrap();
    assert_eq!(
        web.desired_count,
        Some(4),
        "the planned value, not the prior 3"
    );
    assert!(
        p.services.iter().all(|s| s.service_name != "worker"),
        "destroyed"
    );
    assert!(notes_with(&i, "destroyed")[0]
        .finding
        .message
        .contains("aws_ecs_service.worker"));
    // The new service's task definition and cluster are known only after apply: the
    // configuration's references say which.
    let search = p
        .services
        .iter()
        .find(|s| s.service_name == "search")
        .unwrap();
    assert_eq!(search.task_definition.as_deref(), Some("search"));
    assert_eq!(notes_with(&i, "known-after-apply").len(), 1);
    // The new capacity provider's group (its ARN unknown) by reference; its subnets' zones
    // from the data sources of the prior state.
    let cp = p
        .cluster
        .capacity_providers
        .iter()
        .find(|c| c.name == "search")
        .unwrap();
    let g = cp.auto_scaling_group.as_ref().unwrap();
    assert_eq!(g.instance_types, ["c6i.large"]);
    assert_eq!(g.availability_zones, ["eu-west-1a", "eu-west-1c"]);
    let derived: Vec<_> = instances(p)
        .into_iter()
        .filter(|c| c.3 == Some("search"))
        .collect();
    assert_eq!(
        derived,
        [
            ("i-shop-search-1", "c6i.large", "eu-west-1a", Some("search")),
            ("i-shop-search-2", "c6i.large", "eu-west-1c", Some("search")),
        ]
    );
    // Scaling in a module whose resource_id comes through the module call's variables.
    let a = search.auto_scaling.as_ref().expect("search scales").json();
    assert_eq!(a["maxCapacity"], 6);
    assert_eq!(a["policies"][0]["PolicyName"], "search-cpu");
}

#[test]
fn subnets_without_zones_are_a_documented_guess() {
    let i = import("shop-plan.json");
    // shop-batch joins the cluster by its user data (ECS_CLUSTER=shop-prod) and its subnets
    // have no aws_subnet: one zone per subnet, named after the region.
    let batch: Vec<_> = instances(&i.plan)
        .into_iter()
        .filter(|c| c.0.starts_with("i-shop-batch"))
        .collect();
    assert_eq!(batch, [("i-shop-batch-1", "r6i.large", "eu-west-1a", None)]);
    let n = notes_with(&i, "assumed-zones");
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].finding.severity, Severity::Warning);
    assert!(n[0]
        .finding
        .message
        .contains("subnet-0ddd4444, subnet-0eee5555"));
    assert!(n[0].finding.message.contains("eu-west-1a, eu-west-1b"));
}

#[test]
fn several_clusters_and_not_terraform() {
    // Not Terraform at all: an error note with the fix.
    let e = terraform(
        &InputFile::new("x.json", r#"{"services": []}"#),
        &ClusterOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e[0].finding.code, "not-terraform");
    // A plan without ECS resources.
    let e = terraform(
        &InputFile::new("s3.json", r#"{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{"bucket":"b"}}]}}}"#),
        &ClusterOptions::default(),
    )
    .unwrap_err();
    assert!(e.iter().any(|n| n.finding.code == "nothing-to-import"));
    // Two clusters: the one with the services, or the one asked for.
    let mut doc: Value = serde_json::from_str(&load("shop-state.json").text).unwrap();
    let m = &mut doc["values"]["root_module"]["child_modules"][0]["resources"];
    let mut other = m[0].clone();
    other["address"] = "module.cluster.aws_ecs_cluster.staging".into();
    other["name"] = "staging".into();
    other["values"]["name"] = "shop-staging".into();
    other["values"]["arn"] = "arn:aws:ecs:eu-west-1:123456789012:cluster/shop-staging".into();
    other["values"]["id"] = other["values"]["arn"].clone();
    m.as_array_mut().unwrap().insert(0, other);
    let f = InputFile::new("two.json", doc.to_string());
    let i = terraform(&f, &ClusterOptions::default()).unwrap();
    assert_eq!(i.plan.cluster.cluster_name, "shop-prod");
    assert_eq!(notes_with(&i, "several-clusters").len(), 1);
    let s = terraform(
        &f,
        &ClusterOptions {
            cluster: Some("shop-staging".into()),
        },
    )
    .unwrap();
    assert_eq!(s.plan.cluster.cluster_name, "shop-staging");
    assert!(s.plan.services.is_empty());
}

/// Bad input never panics: the fixtures cut short at many places.
#[test]
fn truncated_outputs_do_not_panic() {
    for name in ["shop-state.json", "shop-plan.json", "shop.tfstate"] {
        let f = load(name);
        let len = f.text.len();
        for cut in (0..len).step_by((len / 40).max(1)) {
            let _ = terraform(
                &InputFile::new(name, &f.text[..cut]),
                &ClusterOptions::default(),
            );
        }
    }
}

/// Published `terraform show -json` outputs and state files, when `ECSPLAN_TERRAFORM_SAMPLES`
/// names a directory of them.
#[test]
fn published_samples_import_or_are_refused_with_notes() {
    let Some(dir) = std::env::var_os("ECSPLAN_TERRAFORM_SAMPLES") else {
        eprintln!("ECSPLAN_TERRAFORM_SAMPLES not set: published Terraform samples skipped");
        return;
    };
    let mut seen = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if !matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("json" | "tfstate")
        ) {
            continue;
        }
        seen += 1;
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let f = InputFile::new(&name, std::fs::read_to_string(&p).unwrap());
        match terraform(&f, &ClusterOptions::default()) {
            Ok(i) => {
                let loaded = engine::api::plan::load(&i.plan.to_json());
                assert!(loaded.plan.is_some(), "{name}: {:#?}", loaded.findings);
                eprintln!(
                    "{name}: {} instances, {} services, {} task definitions, {} notes",
                    i.plan.cluster.container_instances.len(),
                    i.plan.services.len(),
                    i.plan.task_definitions.len(),
                    i.notes.len()
                );
            }
            Err(notes) => {
                assert!(notes.iter().any(|n| n.finding.is_error()), "{name}");
                eprintln!("{name}: refused: {}", notes[0].finding);
            }
        }
    }
    assert!(seen > 0, "no .json or .tfstate file in {dir:?}");
}
