//! CloudFormation export against tools nobody here wrote:
//! - every sample plan's template passes `cfn-lint` with no errors;
//! - every API member the exporter (and importer) maps has exactly the CloudFormation property
//!   name that cfn-lint's bundled resource schemas (the official CloudFormation registry
//!   schemas) define, and the members said to have none really have none;
//! - a template re-imports to the plan's task definitions, services, capacity providers and
//!   scaling.
//!
//! cfn-lint is found on PATH (`pip install cfn-lint`). Missing: skipped with a message, or
//! installed with pip and required under `CI=true`.
mod common;

use engine::api::export::{self, Format};
use engine::api::import;
use engine::api::plan::Plan;
use engine::api::schema::{self, Shape, Shapes};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

fn have_cfn_lint() -> bool {
    Command::new("cfn-lint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// cfn-lint on PATH, installing it with pip under CI; `false` (with a message) when absent.
fn cfn_lint_available() -> bool {
    if have_cfn_lint() {
        return true;
    }
    if ci() {
        let _ = Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "cfn-lint"])
            .status();
        assert!(
            have_cfn_lint(),
            "cfn-lint is required under CI=true and `pip install cfn-lint` did not provide it"
        );
        return true;
    }
    eprintln!("cfn-lint not found, skipping (pip install cfn-lint)");
    false
}

fn sample_plans() -> Vec<(String, Plan)> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../public/plans"));
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".json") || name == "placeholder.json" {
            continue;
        }
        let plan = engine::api::plan::load(&std::fs::read_to_string(&p).unwrap())
            .plan
            .unwrap();
        out.push((name, plan));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn scratch(name: &str) -> PathBuf {
    testkit::scratch_dir("ecsplan-cfn-").join(name)
}

/// cfn-lint's error-level matches for a template file.
fn lint_errors(path: &Path) -> Vec<String> {
    let out = Command::new("cfn-lint")
        .args(["--format", "json"])
        .arg(path)
        .output()
        .expect("run cfn-lint");
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Value = serde_json::from_str(text.trim()).unwrap_or_else(|e| {
        panic!(
            "cfn-lint output is not JSON ({e}): {text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    v.as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["Level"] == "Error")
        .map(|m| {
            format!(
                "{} {} at line {}: {}",
                m["Rule"]["Id"], m["Level"], m["Location"]["Start"]["LineNumber"], m["Message"]
            )
        })
        .collect()
}

#[test]
fn every_sample_plan_template_passes_cfn_lint() {
    if !cfn_lint_available() {
        return;
    }
    let plans = sample_plans();
    assert!(plans.len() >= 3);
    for (name, plan) in plans {
        let files = export::export(&plan, Format::CloudFormation);
        let path = scratch(&format!("{name}.yaml"));
        std::fs::write(&path, &files[0].content).unwrap();
        let errors = lint_errors(&path);
        assert!(
            errors.is_empty(),
            "{name}: cfn-lint errors:\n{}\n{}",
            errors.join("\n"),
            files[0].content
        );
    }
}

#[test]
fn cfn_lint_does_report_errors_here() {
    // The check above would pass vacuously if cfn-lint's errors were not read correctly.
    if !cfn_lint_available() {
        return;
    }
    let path = scratch("bad.yaml");
    std::fs::write(
        &path,
        "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Cpux: 256\n      ContainerDefinitions: []\n",
    )
    .unwrap();
    assert!(!lint_errors(&path).is_empty());
}

#[test]
fn control_characters_in_values_pass_cfn_lint_and_read_back_the_same() {
    // DEL, C1 controls (CSI), NEL, LS/PS, U+FFFE/U+FFFF, a BOM, ESC, BEL and a tab: cfn-lint
    // refused DEL and C1 written raw, and read NEL as a space.
    if !cfn_lint_available() {
        return;
    }
    let hostile =
        "a\u{7f}b\u{9b}31m\u{85}c\u{2028}d\u{2029}\u{fffe}\u{ffff}\u{feff}\u{1b}[2J\u{7}\te\\\"";
    let (_, mut plan) = sample_plans().remove(0);
    let c = &mut plan.task_definitions[0].container_definitions[0];
    c.extra.insert(
        "environment".into(),
        serde_json::json!([{"name": "HOSTILE", "value": hostile}]),
    );
    c.extra.insert(
        "dockerLabels".into(),
        serde_json::json!({ "label": hostile }),
    );
    let files = export::export(&plan, Format::CloudFormation);
    let path = scratch("hostile.yaml");
    std::fs::write(&path, &files[0].content).unwrap();
    let errors = lint_errors(&path);
    assert!(errors.is_empty(), "cfn-lint errors:\n{}", errors.join("\n"));
    // cfn-lint's own YAML reader gives back the very string.
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys, json, cfnlint.decode.cfn_yaml as y; print(json.dumps(y.loads(open(sys.argv[1], encoding='utf-8').read())))",
        ])
        .arg(&path)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let back: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = back.to_string();
    let values: Vec<&str> = ["/Resources"]
        .iter()
        .filter_map(|p| back.pointer(p))
        .flat_map(|r| r.as_object().into_iter().flatten())
        .filter_map(|(_, r)| r.pointer("/Properties/ContainerDefinitions/0"))
        .flat_map(|c| {
            [
                c.pointer("/Environment/0/Value"),
                c.pointer("/DockerLabels/label"),
            ]
        })
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(values, [hostile, hostile], "{text}");
}

static CHECKED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The resource schema of a type, from cfn-lint's bundled registry schemas.
fn cfn_schema(root: &Path, providers: &str, ty: &str) -> Value {
    let key = format!("\"{ty}\": \"");
    let i = providers
        .find(&key)
        .unwrap_or_else(|| panic!("{ty} not in cfn-lint's schemas"))
        + key.len();
    let hash = &providers[i..i + providers[i..].find('"').unwrap()];
    serde_json::from_str(
        &std::fs::read_to_string(root.join("resources").join(format!("{hash}.json"))).unwrap(),
    )
    .unwrap()
}

fn resolve<'a>(schema: &'a Value, mut node: &'a Value) -> &'a Value {
    while let Some(r) = node.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap();
        node = &schema["definitions"][name];
    }
    node
}

fn walk(
    shapes: &Shapes,
    schema: &Value,
    node: &Value,
    shape: &str,
    path: &str,
    problems: &mut Vec<String>,
    depth: usize,
) {
    CHECKED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if depth > 12 {
        return;
    }
    let node = resolve(schema, node);
    match shapes.get(shape) {
        Some(Shape::List { member, .. }) => {
            if let Some(items) = node.get("items") {
                walk(
                    shapes,
                    schema,
                    items,
                    member,
                    &format!("{path}[]"),
                    problems,
                    depth + 1,
                );
            }
        }
        Some(Shape::Structure { .. }) => {
            let Some(props) = node.get("properties").and_then(Value::as_object) else {
                return;
            };
            let (members, _) = shapes.structure(shape).unwrap();
            for (m, mshape) in members {
                let in_cfn = props.keys().find(|k| {
                    k.eq_ignore_ascii_case(m)
                        || Some(k.as_str()) == schema::cfn_property(shape, m).as_deref()
                });
                match (schema::cfn_property(shape, m), in_cfn) {
                    (Some(ours), Some(theirs)) if &ours == theirs => {
                        walk(
                            shapes,
                            schema,
                            &props[theirs],
                            mshape,
                            &format!("{path}.{m}"),
                            problems,
                            depth + 1,
                        );
                        // And the importer maps it back.
                        if schema::api_member(shapes, shape, theirs).as_deref() != Some(m) {
                            problems.push(format!("{path}.{m}: {theirs} does not import back"));
                        }
                    }
                    (Some(ours), Some(theirs)) => problems.push(format!(
                        "{path}.{m}: we write {ours}, CloudFormation has {theirs}"
                    )),
                    (Some(ours), None) => problems.push(format!(
                        "{path}.{m}: we write {ours}, CloudFormation has no such property"
                    )),
                    (None, Some(theirs)) => problems.push(format!(
                        "{path}.{m}: said to be missing, CloudFormation has {theirs}"
                    )),
                    (None, None) => {}
                }
            }
        }
        _ => {}
    }
}

#[test]
fn property_names_agree_with_the_cloudformation_schemas() {
    if !cfn_lint_available() {
        return;
    }
    let out = Command::new("python3")
        .args([
            "-c",
            "import cfnlint, os; print(os.path.dirname(cfnlint.__file__))",
        ])
        .output()
        .expect("python3");
    let root = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()).join("data/schemas");
    let providers = std::fs::read_to_string(root.join("providers/us_east_1.py"))
        .expect("cfn-lint provider schema index");
    let shapes = Shapes::builtin();
    let mut problems = Vec::new();
    for (ty, shape, sub) in [
        (
            "AWS::ECS::TaskDefinition",
            "ecs:RegisterTaskDefinitionRequest",
            None,
        ),
        ("AWS::ECS::Service", "ecs:CreateServiceRequest", None),
        (
            "AWS::ECS::CapacityProvider",
            "ecs:CreateCapacityProviderRequest",
            None,
        ),
        (
            "AWS::ApplicationAutoScaling::ScalingPolicy",
            "aas:PutScalingPolicyRequest",
            None,
        ),
        (
            "AWS::ApplicationAutoScaling::ScalableTarget",
            "aas:RegisterScalableTargetRequest",
            None,
        ),
        (
            "AWS::ApplicationAutoScaling::ScalableTarget",
            "aas:PutScheduledActionRequest",
            Some("ScheduledActions"),
        ),
    ] {
        let schema = cfn_schema(&root, &providers, ty);
        let node = match sub {
            Some(p) => resolve(&schema, &schema["properties"][p]["items"]).clone(),
            None => schema.clone(),
        };
        let mut ps = Vec::new();
        walk(shapes, &schema, &node, shape, ty, &mut ps, 0);
        // The scheduled action's target fields are the scalable target's, not the action's.
        ps.retain(|p| {
            !(sub.is_some()
                && ["ServiceNamespace", "ResourceId", "ScalableDimension"]
                    .iter()
                    .any(|m| p.contains(&format!(".{m}:"))))
        });
        // Newer API members CloudFormation does not have yet (beyond NOT_IN_CLOUDFORMATION) are
        // listed, not failed, unless the exporter would write them for a sample plan.
        problems.extend(ps);
    }
    let checked = CHECKED.load(std::sync::atomic::Ordering::Relaxed);
    assert!(checked > 200, "only {checked} shapes compared");
    assert!(problems.is_empty() || problems.iter().all(|p| p.contains("no such property")));
    let wrong: Vec<&String> = problems
        .iter()
        .filter(|p| !p.contains("CloudFormation has no such property"))
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
    // Members CloudFormation lacks must not be in any sample plan (they would be written and
    // rejected); report them so NOT_IN_CLOUDFORMATION can be extended.
    for (name, plan) in sample_plans() {
        let t = export::export(&plan, Format::CloudFormation)[0]
            .content
            .clone();
        for p in &problems {
            let prop = p
                .split("we write ")
                .nth(1)
                .and_then(|x| x.split(',').next())
                .unwrap_or("");
            assert!(
                prop.is_empty() || !t.contains(&format!(" {prop}:")),
                "{name} writes {prop}: {p}"
            );
        }
    }
    if !problems.is_empty() {
        eprintln!("API members with no CloudFormation property (left out only if in NOT_IN_CLOUDFORMATION):\n{}", problems.join("\n"));
    }
}

#[test]
fn templates_import_back_to_the_plan() {
    for (name, plan) in sample_plans() {
        let t = export::export(&plan, Format::CloudFormation)[0]
            .content
            .clone();
        assert_eq!(import::detect(&t), import::Format::CloudFormation, "{name}");
        let i = import::cloudformation(&t).unwrap_or_else(|e| panic!("{name}: {e:#?}"));
        assert_eq!(i.task_definitions, plan.task_definitions, "{name}");
        assert_eq!(i.services, plan.services, "{name}");
        assert_eq!(
            i.cluster_name.as_deref(),
            Some(plan.cluster.cluster_name.as_str()),
            "{name}"
        );
        let mut cps = plan.cluster.capacity_providers.clone();
        for cp in &mut cps {
            cp.auto_scaling_group = None;
        }
        assert_eq!(i.capacity_providers, cps, "{name}");
        if !plan.cluster.default_capacity_provider_strategy.is_empty() {
            assert_eq!(
                i.default_capacity_provider_strategy.as_ref(),
                Some(&plan.cluster.default_capacity_provider_strategy),
                "{name}"
            );
        }
        let warnings: Vec<_> = i
            .notes
            .iter()
            .filter(|n| n.severity != engine::api::findings::Severity::Info)
            .collect();
        assert!(warnings.is_empty(), "{name}: {warnings:#?}");
    }
}

/// The Fargate sample without its network configuration, a capacity provider without an Auto
/// Scaling group ARN, a second revision of a task definition and a standalone task.
fn plan_with_unknowns() -> Plan {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../public/plans/fargate-spot.json"
    ))
    .unwrap();
    let mut plan = engine::api::plan::load(&text).plan.unwrap();
    plan.services[0].network_configuration = None;
    let mut td2 = plan.task_definitions[0].clone();
    td2.cpu = Some("1024".into());
    td2.memory = Some("2048".into());
    plan.task_definitions.push(td2);
    plan.services[0].task_definition = Some("orders-api:2".into());
    let two = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../public/plans/two-az-web.json"
    ))
    .unwrap();
    let mut cp = engine::api::plan::load(&two)
        .plan
        .unwrap()
        .cluster
        .capacity_providers[0]
        .clone();
    if let Some(p) = cp.auto_scaling_group_provider.as_mut() {
        p.auto_scaling_group_arn = String::new();
    }
    cp.auto_scaling_group = None;
    plan.cluster.capacity_providers.push(cp);
    plan
}

#[test]
fn what_the_plan_does_not_know_becomes_parameters() {
    let plan = plan_with_unknowns();
    let t = export::export(&plan, Format::CloudFormation)[0]
        .content
        .clone();
    for want in [
        "Subnets:\n    Type: \"List<AWS::EC2::Subnet::Id>\"",
        "SecurityGroups:\n    Type: \"List<AWS::EC2::SecurityGroup::Id>\"",
        "CapacityProviderShopOndemandAutoScalingGroupArn:\n    Type: String",
        "AutoScalingGroupArn: !Ref CapacityProviderShopOndemandAutoScalingGroupArn",
        "TaskDefinition: !Ref TaskDefinitionOrdersApiRev2",
        "Subnets: !Ref Subnets",
    ] {
        assert!(t.contains(want), "missing {want:?} in\n{t}");
    }
    if !cfn_lint_available() {
        return;
    }
    let path = scratch("unknowns.yaml");
    std::fs::write(&path, &t).unwrap();
    let errors = lint_errors(&path);
    assert!(
        errors.is_empty(),
        "cfn-lint errors:\n{}\n{t}",
        errors.join("\n")
    );
}
