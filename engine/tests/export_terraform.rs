//! Terraform export: every sample plan's `main.tf` parses with python-hcl2 (an HCL2 parser
//! nobody here wrote) to the resources we meant, and string escaping survives the parser.
//! python-hcl2 missing: skipped with a message, or installed with pip and required under
//! `CI=true`.

use engine::api::export::{self, Format};
use engine::api::plan::Plan;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const PARSE: &str = "import hcl2, json, sys\nprint(json.dumps(hcl2.load(open(sys.argv[1]))))";

fn have_hcl2() -> bool {
    Command::new("python3")
        .args(["-c", "import hcl2"])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn hcl2_available() -> bool {
    if have_hcl2() {
        return true;
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        let _ = Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "python-hcl2"])
            .status();
        assert!(have_hcl2(), "python-hcl2 is required under CI=true and `pip install python-hcl2` did not provide it");
        return true;
    }
    eprintln!("python-hcl2 not found, skipping (pip install python-hcl2)");
    false
}

fn parse(name: &str, text: &str) -> Value {
    let d = testkit::scratch_dir("ecsplan-tf-");
    let p = d.join(name);
    std::fs::write(&p, text).unwrap();
    let out = Command::new("python3")
        .args(["-c", PARSE])
        .arg(&p)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{name} does not parse:\n{}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn sample_plans() -> Vec<(String, Plan)> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../public/plans"));
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".json") && name != "placeholder.json" {
            out.push((
                name,
                engine::api::plan::load(&std::fs::read_to_string(&p).unwrap())
                    .plan
                    .unwrap(),
            ));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Resource type → labels, from python-hcl2's JSON.
fn resources(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for r in v["resource"].as_array().into_iter().flatten() {
        for (ty, by_label) in r.as_object().unwrap() {
            for label in by_label.as_object().unwrap().keys() {
                out.push((
                    ty.trim_matches('"').to_string(),
                    label.trim_matches('"').to_string(),
                ));
            }
        }
    }
    out
}

#[test]
fn every_sample_plan_exports_terraform_that_parses() {
    if !hcl2_available() {
        return;
    }
    for (name, plan) in sample_plans() {
        let tf = &export::export(&plan, Format::Terraform)[0];
        let v = parse(&format!("{name}.tf"), &tf.content);
        let rs = resources(&v);
        let count = |t: &str| rs.iter().filter(|(x, _)| x == t).count();
        assert_eq!(count("aws_ecs_cluster"), 1, "{name}");
        assert_eq!(
            count("aws_ecs_task_definition"),
            plan.task_definitions.len(),
            "{name}"
        );
        assert_eq!(count("aws_ecs_service"), plan.services.len(), "{name}");
        assert_eq!(
            count("aws_ecs_capacity_provider"),
            plan.cluster.capacity_providers.len(),
            "{name}"
        );
        let scaled = plan
            .services
            .iter()
            .filter(|s| s.auto_scaling.is_some())
            .count();
        assert_eq!(count("aws_appautoscaling_target"), scaled, "{name}");
    }
}

#[test]
fn awkward_strings_survive_the_hcl_parser() {
    if !hcl2_available() {
        return;
    }
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../public/plans/two-az-web.json"
    ))
    .unwrap();
    let mut plan = engine::api::plan::load(&text).plan.unwrap();
    let nasty =
        "a \"quoted\" \\ back\\slash\nnew line ${not_interpolated} %{not_a_directive} tab\t$$";
    plan.task_definitions[0].container_definitions[0]
        .extra
        .insert(
            "environment".into(),
            serde_json::json!([{"name": "NASTY", "value": nasty}]),
        );
    plan.task_definitions[0].extra.insert(
        "tags".into(),
        serde_json::json!([{"key": "team.name", "value": nasty}]),
    );
    let tf = &export::export(&plan, Format::Terraform)[0];
    let v = parse("nasty.tf", &tf.content);
    let td = v["resource"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|r| {
            r.get("aws_ecs_task_definition")
                .or_else(|| r.get("\"aws_ecs_task_definition\""))
        })
        .and_then(|t| t.get("web").or_else(|| t.get("\"web\"")))
        .cloned()
        .expect("the web task definition");
    let tags = td["tags"].to_string();
    // python-hcl2 keeps the source escapes of strings; check the round trip of the text.
    assert!(tags.contains("team.name"), "{tags}");
    assert!(tf.content.contains(r#""a \"quoted\" \\ back\\slash\nnew line $${not_interpolated} %%{not_a_directive} tab\t$$""#), "{}", tf.content);
}
