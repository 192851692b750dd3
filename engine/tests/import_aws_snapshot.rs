//! `import --from aws-snapshot` on a snapshot written for these tests
//! (`tests/fixtures/aws-snapshot/shop-prod`: cluster shop-prod in eu-west-1, two capacity
//! providers, services web and api, a service whose task definition file is missing, a
//! standalone task, listings split over pages, two files that are not AWS output). Every
//! AWS file is first checked against botocore's output shapes, so the importer is tested on
//! what the AWS CLI really prints; then the import is checked for what a reviewer looks at.
mod common;

use engine::api::findings::Severity;
use engine::api::import::{aws_snapshot, ClusterImport, ClusterOptions, InputFile, SourceNote};
use engine::api::placement::{place, Outcome, PlaceOptions, Source, TaskIx};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/aws-snapshot/shop-prod")
}

fn read_dir(dir: &Path) -> Vec<InputFile> {
    let mut files: Vec<InputFile> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            InputFile::new(
                p.file_name().unwrap().to_string_lossy(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

fn shop_files() -> Vec<InputFile> {
    read_dir(&fixture_dir())
}

fn import(files: &[InputFile]) -> ClusterImport {
    aws_snapshot(files, &ClusterOptions::default()).expect("imports")
}

fn without(files: &[InputFile], name: &str) -> Vec<InputFile> {
    files.iter().filter(|f| f.name != name).cloned().collect()
}

/// The files with one file's JSON changed.
fn edited(files: &[InputFile], name: &str, edit: impl FnOnce(&mut Value)) -> Vec<InputFile> {
    let mut out = files.to_vec();
    let f = out.iter_mut().find(|f| f.name == name).expect(name);
    let mut v: Value = serde_json::from_str(&f.text).unwrap();
    edit(&mut v);
    f.text = serde_json::to_string_pretty(&v).unwrap();
    out
}

fn notes_with<'a>(i: &'a ClusterImport, code: &str) -> Vec<&'a SourceNote> {
    i.notes.iter().filter(|n| n.finding.code == code).collect()
}

/// The botocore operation each fixture file is the output of.
const OPERATIONS: &[(&str, &str, &str)] = &[
    ("clusters.json", "ecs.service-2.json", "DescribeClusters"),
    ("services-list-1.json", "ecs.service-2.json", "ListServices"),
    ("services-list-2.json", "ecs.service-2.json", "ListServices"),
    ("services-1.json", "ecs.service-2.json", "DescribeServices"),
    ("services-2.json", "ecs.service-2.json", "DescribeServices"),
    (
        "container-instances-list.json",
        "ecs.service-2.json",
        "ListContainerInstances",
    ),
    (
        "container-instances-1.json",
        "ecs.service-2.json",
        "DescribeContainerInstances",
    ),
    (
        "container-instances-2.json",
        "ecs.service-2.json",
        "DescribeContainerInstances",
    ),
    ("tasks-list.json", "ecs.service-2.json", "ListTasks"),
    ("tasks.json", "ecs.service-2.json", "DescribeTasks"),
    (
        "td-web-7.json",
        "ecs.service-2.json",
        "DescribeTaskDefinition",
    ),
    (
        "td-api-12.json",
        "ecs.service-2.json",
        "DescribeTaskDefinition",
    ),
    (
        "td-migrate-2.json",
        "ecs.service-2.json",
        "DescribeTaskDefinition",
    ),
    (
        "capacity-providers.json",
        "ecs.service-2.json",
        "DescribeCapacityProviders",
    ),
    (
        "auto-scaling-groups.json",
        "autoscaling.service-2.json",
        "DescribeAutoScalingGroups",
    ),
    (
        "scalable-targets.json",
        "application-autoscaling.service-2.json",
        "DescribeScalableTargets",
    ),
    (
        "scaling-policies.json",
        "application-autoscaling.service-2.json",
        "DescribeScalingPolicies",
    ),
    (
        "scheduled-actions.json",
        "application-autoscaling.service-2.json",
        "DescribeScheduledActions",
    ),
];

/// Files that are deliberately not AWS output, and the EC2 output (no EC2 model in the
/// fixtures: checked against real describe-instance-types output instead).
const NOT_CHECKED_BY_MODEL: &[&str] = &["instance-types.json", "region.json", "notes.txt"];

#[test]
fn every_fixture_file_is_valid_aws_cli_output() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let files = shop_files();
    for f in &files {
        if NOT_CHECKED_BY_MODEL.contains(&f.name.as_str()) {
            continue;
        }
        let (_, model, op) = OPERATIONS
            .iter()
            .find(|(n, _, _)| *n == f.name)
            .unwrap_or_else(|| panic!("{} has no operation in OPERATIONS", f.name));
        let model = common::botocore::model(&dir, model);
        let v: Value = serde_json::from_str(&f.text).unwrap();
        common::botocore::assert_valid_output(&model, op, &v, &f.name);
    }
    assert_eq!(
        files.len(),
        OPERATIONS.len() + NOT_CHECKED_BY_MODEL.len(),
        "every file is listed"
    );
}

/// Every member name of the EC2 output written for the tests is one that real
/// `describe-instance-types` output uses (the 25-instance sample of the fixtures).
#[test]
fn instance_types_file_uses_real_describe_instance_types_members() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    fn paths(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(o) => {
                for (k, x) in o {
                    let p = format!("{prefix}.{k}");
                    out.insert(p.clone());
                    paths(x, &p, out);
                }
            }
            Value::Array(a) => {
                for x in a {
                    paths(x, &format!("{prefix}[]"), out);
                }
            }
            _ => {}
        }
    }
    let mut real = BTreeSet::new();
    paths(
        &common::json(&dir, "ec2/describe-instance-types.25_instances.json"),
        "",
        &mut real,
    );
    let ours: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture_dir().join("instance-types.json")).unwrap(),
    )
    .unwrap();
    let mut mine = BTreeSet::new();
    paths(&ours, "", &mut mine);
    let unknown: Vec<&String> = mine.difference(&real).collect();
    assert!(unknown.is_empty(), "not in real output: {unknown:?}");
}

#[test]
fn imports_the_instances_with_zones_types_attributes_and_registered_resources() {
    let i = import(&shop_files());
    let p = &i.plan;
    assert_eq!(p.cluster.cluster_name, "shop-prod");
    assert_eq!(p.region, "eu-west-1", "from the cluster ARN");
    assert_eq!(
        p.cluster.availability_zones,
        ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    );
    let by_id: BTreeMap<&str, _> = p
        .cluster
        .container_instances
        .iter()
        .map(|c| (c.id.as_str(), c))
        .collect();
    assert_eq!(by_id.len(), 5);
    let a1 = by_id["i-0a1c0ffee0000001"];
    assert_eq!(
        (a1.instance_type.as_str(), a1.availability_zone.as_str()),
        ("m5.large", "eu-west-1a")
    );
    assert_eq!(a1.capacity_provider.as_deref(), Some("ondemand"));
    assert_eq!(a1.attributes.get("stack").map(String::as_str), Some("prod"));
    assert!(
        !a1.attributes.keys().any(|k| k.starts_with("ecs.")),
        "built-in attributes become fields, not custom attributes: {:?}",
        a1.attributes
    );
    assert_eq!(a1.ami_id.as_deref(), Some("ami-0f1e2d3c4b5a69788"));
    assert_eq!(a1.subnet_id.as_deref(), Some("subnet-0aaa1111"));
    assert_eq!(
        a1.registered_memory,
        Some(7681),
        "what the agent registered"
    );
    assert_eq!(a1.registered_cpu, None, "2048 is what the catalog says too");
    assert_eq!(a1.agent_version.as_deref(), Some("1.89.2"));
    assert_eq!(a1.reserved_ports, None, "the default reserved ports");
    let b2 = by_id["i-0b2c0ffee0000005"];
    assert_eq!(b2.instance_type, "m6a.large");
    assert!(b2.eni_trunking, "ecs.awsvpc-trunk-id");
    // AWS's remaining resources are kept beside the plan.
    let s = i
        .instances
        .iter()
        .find(|s| s.id == "i-0c1c0ffee0000003")
        .unwrap();
    assert_eq!(
        (s.remaining_cpu, s.remaining_memory),
        (Some(2048 - 256 - 1024), Some(7681 - 512 - 2048))
    );
    assert_eq!(s.running_tasks_count, Some(2));
}

#[test]
fn capacity_providers_come_with_their_auto_scaling_groups() {
    let p = import(&shop_files()).plan;
    let names: Vec<&str> = p
        .cluster
        .capacity_providers
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["ondemand", "spot"], "FARGATE is never defined");
    let ondemand = &p.cluster.capacity_providers[0];
    let g = ondemand.auto_scaling_group.as_ref().unwrap();
    assert_eq!(
        (g.min_size, g.max_size, g.desired_capacity),
        (Some(2), Some(6), Some(3))
    );
    assert_eq!(g.availability_zones.len(), 3);
    assert_eq!(g.instance_types, ["m5.large"], "from the group's instances");
    let ms = ondemand
        .auto_scaling_group_provider
        .as_ref()
        .unwrap()
        .managed_scaling
        .as_ref()
        .unwrap();
    assert_eq!(ms.target_capacity, Some(90));
    let spot = &p.cluster.capacity_providers[1];
    let g = spot.auto_scaling_group.as_ref().unwrap();
    assert_eq!(
        g.instance_types,
        ["m5.large", "m6a.large"],
        "the launch template overrides, in order"
    );
    assert!(g.extra.contains_key("MixedInstancesPolicy"));
    assert!(!g.extra.contains_key("Instances"), "state is not carried");
    assert_eq!(
        p.cluster.default_capacity_provider_strategy[0].capacity_provider,
        "ondemand"
    );
    // m6a.large is not in the built-in catalog: its describe-instance-types entry comes along.
    let types: Vec<&str> = p
        .ec2_instance_types
        .iter()
        .filter_map(|t| t["InstanceType"].as_str())
        .collect();
    assert_eq!(types, ["m6a.large"]);
}

#[test]
fn services_keep_strategies_constraints_deployment_configuration_and_scaling() {
    let p = import(&shop_files()).plan;
    let names: Vec<&str> = p.services.iter().map(|s| s.service_name.as_str()).collect();
    assert_eq!(names, ["api", "web"], "worker has no task definition");
    let web = &p.services[1];
    assert_eq!(web.task_definition.as_deref(), Some("web"));
    assert_eq!(web.desired_count, Some(3));
    assert_eq!(web.placement_strategy.len(), 2);
    assert_eq!(
        web.placement_strategy[0].field.as_deref(),
        Some("attribute:ecs.availability-zone")
    );
    assert_eq!(web.capacity_provider_strategy[0].base, Some(1));
    let dc = web.deployment_configuration.as_ref().unwrap().json();
    assert_eq!(dc["deploymentCircuitBreaker"]["rollback"], true);
    assert_eq!(dc["minimumHealthyPercent"], 100);
    assert_eq!(web.load_balancers[0]["containerPort"], 8080);
    assert_eq!(
        web.extra.get("role").and_then(Value::as_str),
        Some("arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"),
        "roleArn becomes CreateService's role"
    );
    assert!(!web.extra.contains_key("runningCount"));
    assert!(!web.extra.contains_key("deployments"));
    let a = web.auto_scaling.as_ref().unwrap().json();
    assert_eq!(
        (a["minCapacity"].as_u64(), a["maxCapacity"].as_u64()),
        (Some(3), Some(12))
    );
    assert_eq!(a["policies"][0]["PolicyName"], "web-cpu");
    assert_eq!(
        a["policies"][0]["TargetTrackingScalingPolicyConfiguration"]["TargetValue"],
        60.0
    );
    assert!(a["policies"][0].get("ResourceId").is_none(), "implied");
    assert!(a["policies"][0].get("PolicyARN").is_none());
    assert_eq!(
        a["scheduledActions"][0]["Schedule"],
        "cron(0 7 ? * MON-FRI *)"
    );
    assert!(a.get("suspendedState").is_none(), "nothing suspended");
    let api = &p.services[0];
    assert_eq!(api.placement_constraints.len(), 1);
    assert_eq!(
        api.network_configuration.as_ref().unwrap()["awsvpcConfiguration"]["subnets"][1],
        "subnet-0bbb2222"
    );
    assert!(api.auto_scaling.is_none());
    // The staging cluster's target is not shop-prod's.
    assert_eq!(
        p.services
            .iter()
            .filter(|s| s.auto_scaling.is_some())
            .count(),
        1
    );
}

#[test]
fn where_tasks_run_is_kept_beside_the_plan() {
    let i = import(&shop_files());
    let mut by_service: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for t in &i.running_tasks {
        let key = t
            .service
            .clone()
            .or_else(|| t.group.clone())
            .unwrap_or_default();
        by_service.entry(key).or_default().push((
            t.container_instance.clone().unwrap_or_default(),
            t.availability_zone.clone().unwrap_or_default(),
        ));
    }
    assert_eq!(
        by_service["web"],
        [
            ("i-0a1c0ffee0000001".to_string(), "eu-west-1a".to_string()),
            ("i-0b1c0ffee0000002".to_string(), "eu-west-1b".to_string()),
            ("i-0c1c0ffee0000003".to_string(), "eu-west-1c".to_string()),
        ]
    );
    assert_eq!(by_service["api"].len(), 2);
    assert_eq!(
        by_service["worker"],
        [("i-0c1c0ffee0000003".to_string(), "eu-west-1c".to_string())],
        "a service left out of the plan still shows where its tasks run"
    );
    let worker = i
        .running_tasks
        .iter()
        .find(|t| t.service.as_deref() == Some("worker"))
        .unwrap();
    assert_eq!(
        worker.task_definition, "worker:3",
        "AWS's name: the plan lacks it"
    );
    let web = i
        .running_tasks
        .iter()
        .find(|t| t.service.as_deref() == Some("web"))
        .unwrap();
    assert_eq!(
        (
            web.task_definition.as_str(),
            web.aws_task_definition.as_str()
        ),
        ("web", "web:7")
    );
    assert_eq!(web.last_status, "RUNNING");
    // The standalone task becomes a RunTask request.
    assert_eq!(i.plan.tasks.len(), 1);
    assert_eq!(i.plan.tasks[0].task_definition, "migrate");
    assert_eq!(i.plan.tasks[0].count, Some(1));
    assert_eq!(by_service["family:migrate"].len(), 1);
}

#[test]
fn a_missing_task_definition_is_a_finding_not_a_failure() {
    let i = import(&shop_files());
    let n = notes_with(&i, "missing-task-definition");
    assert_eq!(n.len(), 1, "{n:#?}");
    assert_eq!(n[0].file, "services-2.json");
    assert_eq!(n[0].finding.path.to_string(), "services[0].taskDefinition");
    assert_eq!(n[0].finding.severity, Severity::Warning);
    assert!(n[0].finding.line.is_some(), "located in the file");
    assert!(
        n[0].finding.fix.as_deref().unwrap().contains(
            "aws ecs describe-task-definition --task-definition worker:3 --include TAGS --output json"
        ),
        "{:?}",
        n[0].finding.fix
    );
}

#[test]
fn files_that_are_not_aws_output_are_named_with_the_shapes_expected() {
    let i = import(&shop_files());
    let n = notes_with(&i, "unrecognised-file");
    let files: Vec<&str> = n.iter().map(|n| n.file.as_str()).collect();
    assert_eq!(files, ["notes.txt", "region.json"]);
    let msg = &n[1].finding.message;
    assert!(msg.contains("`Region`"), "{msg}");
    for expected in [
        "clusters",
        "services",
        "containerInstances",
        "taskDefinition",
        "AutoScalingGroups",
        "ScalableTargets",
    ] {
        assert!(msg.contains(expected), "{msg} lists {expected}");
    }
}

#[test]
fn the_imported_plan_loads_without_errors() {
    let i = import(&shop_files());
    let loaded = engine::api::plan::load(&i.plan.to_json());
    let errors: Vec<String> = loaded.errors().map(|f| f.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(loaded.plan.is_some());
}

#[test]
fn placement_of_the_imported_plan_agrees_with_where_tasks_run() {
    let i = import(&shop_files());
    let plan = engine::api::plan::load(&i.plan.to_json()).plan.unwrap();
    let placement = place(&plan, &PlaceOptions::for_plan(&plan));
    let mut placed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in &placement.tasks {
        if let (Outcome::Placed { node }, Source::Service { name, .. }) = (&t.outcome, &t.source) {
            placed
                .entry(name.to_string())
                .or_default()
                .insert(placement.cluster.nodes[*node].id.clone());
        }
    }
    let mut running: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in &i.running_tasks {
        if let (Some(s), Some(c)) = (&t.service, &t.container_instance) {
            running.entry(s.clone()).or_default().insert(c.clone());
        }
    }
    for svc in ["web", "api"] {
        assert_eq!(placed[svc], running[svc], "{svc}");
    }
}

#[test]
fn listings_split_over_pages_are_complete_and_a_missing_last_page_is_named() {
    let files = shop_files();
    let i = import(&files);
    assert!(notes_with(&i, "missing-page").is_empty());
    assert!(
        notes_with(&i, "not-described").is_empty(),
        "{:#?}",
        notes_with(&i, "not-described")
    );
    // Without the last page, every page of list-services has a token.
    let i = import(&without(&files, "services-list-2.json"));
    let n = notes_with(&i, "missing-page");
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].file, "services-list-1.json");
    assert!(n[0].finding.message.contains("aws ecs list-services"));
    // A listed service that no describe output has.
    let i = import(&without(&files, "services-2.json"));
    let n = notes_with(&i, "not-described");
    assert_eq!(n.len(), 1, "{n:#?}");
    assert!(n[0].finding.message.contains("worker"));
    // Pages that overlap: the service is imported once.
    let dup = edited(&files, "services-2.json", |v| {
        let web = serde_json::from_str::<Value>(
            &std::fs::read_to_string(fixture_dir().join("services-1.json")).unwrap(),
        )
        .unwrap()["services"][1]
            .clone();
        v["services"].as_array_mut().unwrap().push(web);
    });
    let i = import(&dup);
    assert_eq!(
        i.plan
            .services
            .iter()
            .filter(|s| s.service_name == "web")
            .count(),
        1
    );
    assert_eq!(notes_with(&i, "duplicate").len(), 1);
}

#[test]
fn an_instance_type_outside_the_catalog_needs_describe_instance_types() {
    let files = without(&shop_files(), "instance-types.json");
    let i = import(&files);
    let n = notes_with(&i, "unknown-instance-type");
    assert_eq!(n.len(), 1);
    assert!(n[0]
        .finding
        .fix
        .as_deref()
        .unwrap()
        .contains("--instance-types m6a.large"));
    assert!(i.plan.ec2_instance_types.is_empty());
    // The loader then refuses the instance's type, with the same remedy.
    let loaded = engine::api::plan::load(&i.plan.to_json());
    assert!(loaded
        .errors()
        .any(|f| f.code == "unknown-instance-type" && f.message.contains("m6a.large")));
}

#[test]
fn a_service_being_deployed_and_older_revisions_are_reported() {
    let files = edited(&shop_files(), "services-1.json", |v| {
        let web = &mut v["services"][1];
        let mut old = web["deployments"][0].clone();
        old["status"] = "ACTIVE".into();
        old["taskDefinition"] = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:6".into();
        old["runningCount"] = 1.into();
        web["deployments"].as_array_mut().unwrap().push(old);
    });
    let mut files = files;
    let mut td6: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture_dir().join("td-web-7.json")).unwrap(),
    )
    .unwrap();
    td6["taskDefinition"]["revision"] = 6.into();
    td6["taskDefinition"]["taskDefinitionArn"] =
        "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:6".into();
    files.push(InputFile::new("td-web-6.json", td6.to_string()));
    let i = import(&files);
    let n = notes_with(&i, "deployment-in-progress");
    assert_eq!(n.len(), 1);
    assert!(
        n[0].finding.message.contains("web:6 (1 running)"),
        "{}",
        n[0].finding.message
    );
    // Two revisions of web: the plan numbers them 1 and 2, and the service runs the latest.
    let web = i
        .plan
        .services
        .iter()
        .find(|s| s.service_name == "web")
        .unwrap();
    assert_eq!(web.task_definition.as_deref(), Some("web:2"));
    let r = notes_with(&i, "renumbered");
    assert!(r[0]
        .finding
        .message
        .contains("web:6 is web:1, web:7 is web:2"));
    assert_eq!(
        engine::api::plan::load(&i.plan.to_json()).errors().count(),
        0
    );
}

#[test]
fn several_clusters_import_one_and_say_so() {
    let files = edited(&shop_files(), "clusters.json", |v| {
        let mut other = v["clusters"][0].clone();
        other["clusterName"] = "shop-staging".into();
        other["clusterArn"] = "arn:aws:ecs:eu-west-1:123456789012:cluster/shop-staging".into();
        v["clusters"].as_array_mut().unwrap().insert(0, other);
    });
    let i = import(&files);
    assert_eq!(
        i.plan.cluster.cluster_name, "shop-prod",
        "the one its services run in"
    );
    assert_eq!(notes_with(&i, "several-clusters").len(), 1);
    let staging = aws_snapshot(
        &files,
        &ClusterOptions {
            cluster: Some("shop-staging".into()),
        },
    )
    .unwrap();
    assert_eq!(staging.plan.cluster.cluster_name, "shop-staging");
    assert!(
        staging.plan.services.is_empty(),
        "shop-prod's services are not staging's"
    );
}

#[test]
fn a_directory_without_aws_output_is_an_error() {
    let r = aws_snapshot(
        &[
            InputFile::new("a.json", "{\"x\": 1}"),
            InputFile::new("b.txt", "}"),
        ],
        &ClusterOptions::default(),
    );
    let notes = r.unwrap_err();
    assert!(notes
        .iter()
        .any(|n| n.finding.code == "empty-snapshot" && n.finding.is_error()));
    assert!(notes
        .iter()
        .any(|n| n.file == "b.txt" && n.finding.code == "unreadable-file"));
}

/// Bad input never panics: every file cut short at many places still imports or fails with
/// notes.
#[test]
fn truncated_files_do_not_panic() {
    let files = shop_files();
    for f in &files {
        let len = f.text.len();
        for cut in (0..len).step_by((len / 7).max(1)) {
            let mut broken = files.clone();
            let g = broken.iter_mut().find(|g| g.name == f.name).unwrap();
            g.text = f.text[..cut].to_string();
            let _ = aws_snapshot(&broken, &ClusterOptions::default());
        }
    }
}

/// botocore's own example outputs (DescribeClusters, DescribeServices,
/// DescribeContainerInstances, DescribeTasks, DescribeTaskDefinition and the listings) are
/// recognised and imported as far as they go (they describe different clusters).
#[test]
fn botocore_example_outputs_import() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let mut files = Vec::new();
    for (model, file) in [
        ("ecs", "botocore/ecs.examples-1.json"),
        ("aas", "botocore/application-autoscaling.examples-1.json"),
    ] {
        let ex = common::json(&dir, file);
        for (op, list) in ex["examples"].as_object().unwrap() {
            if !(op.starts_with("Describe") || op.starts_with("List")) {
                continue;
            }
            for (k, e) in list.as_array().unwrap().iter().enumerate() {
                if let Some(out) = e.get("output") {
                    files.push(InputFile::new(
                        format!("{model}-{op}-{k}.json"),
                        out.to_string(),
                    ));
                }
            }
        }
    }
    let i = aws_snapshot(&files, &ClusterOptions::default()).expect("imports");
    let recognised = |name: &str| {
        !i.notes
            .iter()
            .any(|n| n.file == name && n.finding.code == "unrecognised-file")
    };
    for op in [
        "DescribeClusters",
        "DescribeServices",
        "DescribeContainerInstances",
        "DescribeTasks",
        "DescribeTaskDefinition",
        "ListServices",
        "ListTasks",
        "ListContainerInstances",
    ] {
        assert!(recognised(&format!("ecs-{op}-0.json")), "{op}");
    }
    assert!(recognised("aas-DescribeScalableTargets-0.json"));
    assert!(recognised("aas-DescribeScalingPolicies-0.json"));
    assert!(!recognised("ecs-ListAccountSettings-0.json"));
    // The example instance has no attributes: it is not imported, and the notes say why.
    assert!(i.plan.cluster.container_instances.is_empty());
    assert!(
        i.notes
            .iter()
            .any(|n| n.file == "ecs-DescribeContainerInstances-0.json"
                && n.finding
                    .message
                    .contains("i-807f3249 has no ecs.instance-type")),
        "{:#?}",
        i.notes
    );
    assert!(!i.running_tasks.is_empty(), "{:#?}", i.notes);
    assert!(!i.plan.task_definitions.is_empty());
}

/// Where each task of the placement runs: (group, instance or Fargate zone) per task, sorted.
fn task_places(p: &engine::api::placement::Placement) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = (0..p.tasks.len())
        .filter_map(|t| {
            let at = match &p.tasks[t].outcome {
                Outcome::Placed { node } => p.cluster.nodes[*node].id.clone(),
                Outcome::Fargate { availability_zone } => format!("fargate {availability_zone}"),
                _ => return None,
            };
            Some((p.group_name(TaskIx::new(t)).to_string(), at))
        })
        .collect();
    v.sort();
    v
}

#[test]
fn the_imported_plan_records_where_tasks_run_and_reloads_with_the_same_placement() {
    let i = import(&shop_files());
    let text = i.plan.to_json();
    let v: Value = serde_json::from_str(&text).unwrap();
    let recorded = v["runningTasks"].as_array().expect("runningTasks recorded");
    // Every task of the plan's services and RunTask: web 3, api 2, the migrate task; the
    // worker service is not in the plan (its task definition is missing), so neither are its
    // tasks, and a note says so.
    let groups: Vec<&str> = recorded
        .iter()
        .map(|t| t["group"].as_str().unwrap())
        .collect();
    assert_eq!(groups.iter().filter(|g| **g == "service:web").count(), 3);
    assert_eq!(groups.iter().filter(|g| **g == "service:api").count(), 2);
    assert!(groups.contains(&"family:migrate"), "{groups:?}");
    assert!(!groups.iter().any(|g| g.contains("worker")));
    let n = notes_with(&i, "not-recorded");
    assert_eq!(n.len(), 1);
    assert!(
        n[0].finding.message.contains("service worker"),
        "{}",
        n[0].finding.message
    );

    // Loaded, placed: every task where the snapshot says it runs, kept there.
    let loaded = engine::api::plan::load(&text);
    assert_eq!(loaded.errors().count(), 0, "{:#?}", loaded.findings);
    let plan = loaded.plan.unwrap();
    let opts = PlaceOptions::for_plan(&plan);
    let p = place(&plan, &opts);
    let mut expected: Vec<(String, String)> = i
        .running_tasks
        .iter()
        .filter(|t| t.service.as_deref() != Some("worker"))
        .map(|t| {
            let group = match &t.service {
                Some(s) => format!("service:{s}"),
                None => t.group.clone().unwrap(),
            };
            let at = t
                .container_instance
                .clone()
                .unwrap_or_else(|| format!("fargate {}", t.availability_zone.clone().unwrap()));
            (group, at)
        })
        .collect();
    expected.sort();
    assert_eq!(task_places(&p), expected);
    assert!(p.keeps_running);
    assert!(
        TaskIx::range(0, p.tasks.len()).all(|t| p.is_kept(t)),
        "every task was already running"
    );
    assert!(p.findings.is_empty(), "{:?}", p.findings);

    // The board draws each task on its recorded instance.
    let b = engine::api::board::board(&plan, &p);
    for (group, at) in &expected {
        let on_card = b
            .lanes
            .iter()
            .flat_map(|l| &l.instances)
            .any(|c| c.id == *at && c.tasks.iter().any(|chip| chip.group == *group));
        let on_fargate = b.lanes.iter().any(|l| {
            format!("fargate {}", l.availability_zone) == *at
                && l.fargate.iter().any(|c| c.group == *group)
        });
        assert!(on_card || on_fargate, "{group} on {at}");
    }

    // A share link and a reload carry the record: the same placement.
    let shared = engine::api::share::decode(&engine::api::share::encode(&plan));
    let shared = shared.plan.expect("the shared plan loads");
    assert_eq!(shared.running_tasks, plan.running_tasks);
    assert_eq!(task_places(&place(&shared, &opts)), expected);
    let reloaded = engine::api::plan::load(&plan.to_json()).plan.unwrap();
    assert_eq!(task_places(&place(&reloaded, &opts)), expected);
}
