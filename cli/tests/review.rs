//! `ecsplan review`: the report's numbers are those of the commands it names, gates give the
//! exit status, every format is written, `--against` shows a change, bad input exits 2.

mod common;
use common::{ecsplan, sample, temp_dir, temp_file};
use serde_json::{json, Value};

fn review_json(args: &[&str]) -> (i32, Value, String) {
    let mut a = vec!["review"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--format", "json"]);
    let (code, out, err) = ecsplan(&a);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    (code, v, err)
}

#[test]
fn the_resilience_section_is_what_whatif_reports() {
    let plan = sample("two-az-web.json");
    let (code, r, _) = review_json(&[&plan]);
    assert_eq!(code, 0, "no gates: exit 0");
    for z in r["resilience"]["zones"].as_array().unwrap() {
        let az = z["availabilityZone"].as_str().unwrap();
        let command = z["command"].as_str().unwrap();
        assert_eq!(command, format!("ecsplan whatif {plan} --lose-az {az}"));
        let (_, out, _) = ecsplan(&["whatif", &plan, "--lose-az", az, "--json"]);
        let w: Value = serde_json::from_str(&out).unwrap();
        let moved = w["moved"].as_array().unwrap();
        let unplaced = moved.iter().filter(|m| m["to"].is_null()).count();
        assert_eq!(z["unplaced"], json!(unplaced), "{az}");
        assert_eq!(z["displaced"], json!(moved.len()), "{az}");
    }
    // Deployments: what `ecsplan deploy` says.
    for d in r["deployments"]["services"].as_array().unwrap() {
        let svc = d["service"].as_str().unwrap();
        let (_, out, _) = ecsplan(&["deploy", &plan, "--service", svc, "--json"]);
        let x: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(d["outcome"], x["outcome"], "{svc}");
        assert_eq!(d["durationSeconds"], x["durationSeconds"], "{svc}");
    }
    // Headroom: what `ecsplan whatif --fit` says.
    for s in r["capacity"]["services"].as_array().unwrap() {
        let svc = s["service"].as_str().unwrap();
        let (_, out, _) = ecsplan(&["whatif", &plan, "--fit", svc, "--json"]);
        let f: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(s["moreFit"], f["more"], "{svc}");
    }
}

fn with_gates(gates: Value) -> String {
    let text = std::fs::read_to_string(sample("two-az-web.json")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["settings"]["review"] = json!({ "gates": gates });
    serde_json::to_string_pretty(&v).unwrap()
}

#[test]
fn a_failed_gate_exits_1_and_says_why_on_stderr() {
    let ok = temp_file(
        "gates-ok.json",
        &with_gates(json!({"survivesZoneLoss": true, "noErrors": true})),
    );
    let (code, _, err) = ecsplan(&["review", &ok]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("all 2 gate(s) pass"), "{err}");
    let bad = temp_file(
        "gates-bad.json",
        &with_gates(json!({"maxUtilizationPercent": 5})),
    );
    let (code, out, err) = ecsplan(&["review", &bad]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("gate maxUtilizationPercent failed"), "{err}");
    assert!(
        out.contains("| `maxUtilizationPercent` | 5 | **FAIL** |"),
        "{out}"
    );
    // An unknown gate: a finding with its path, exit 1, no panic.
    let unknown = temp_file(
        "gates-unknown.json",
        &with_gates(json!({"noStuckDeployment": true})),
    );
    let (code, r, err) = review_json(&[&unknown]);
    assert_eq!(code, 1, "{err}");
    let text = r.to_string();
    assert!(
        text.contains("settings.review.gates.noStuckDeployment"),
        "{text}"
    );
}

#[test]
fn every_format_is_written_to_a_file() {
    let plan = temp_file("fmt.json", &with_gates(json!({"survivesZoneLoss": true})));
    for format in ["md", "html", "json", "junit", "sarif"] {
        let out = temp_dir().join(format!("report.{format}"));
        let out = out.to_string_lossy().into_owned();
        let (code, stdout, err) = ecsplan(&["review", &plan, "--format", format, "--out", &out]);
        assert_eq!(code, 0, "{format}: {err}");
        assert!(stdout.is_empty(), "{format}: the report goes to the file");
        let text = std::fs::read_to_string(&out).unwrap();
        match format {
            "json" | "sarif" => {
                let v: Value = serde_json::from_str(&text).unwrap();
                if format == "sarif" {
                    assert_eq!(v["version"], "2.1.0");
                } else {
                    assert_eq!(v["reportVersion"], 1);
                }
            }
            "junit" => assert!(text.starts_with("<?xml") && text.contains("<testsuites")),
            "html" => assert!(text.starts_with("<!DOCTYPE html>") && text.contains("<style>")),
            _ => assert!(text.starts_with("# Architecture review")),
        }
    }
    let (code, _, err) = ecsplan(&["review", &plan, "--format", "pdf"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("use one of md, html, json, junit, sarif"),
        "{err}"
    );
}

#[test]
fn against_an_edited_copy_shows_the_change() {
    let old = sample("two-az-web.json");
    let text = std::fs::read_to_string(&old).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    // Two fewer instances in us-east-1b.
    let insts = v["cluster"]["containerInstances"].as_array_mut().unwrap();
    insts.truncate(2);
    let new = temp_file("edited.json", &serde_json::to_string_pretty(&v).unwrap());
    let (code, out, err) = ecsplan(&["review", &new, "--against", &old]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("## Change from {old}")), "{out}");
    assert!(
        out.contains("| placement | instances | 4 | 2 | −2 |"),
        "{out}"
    );
    let (_, r, _) = review_json(&[&new, "--against", &old]);
    assert!(r["comparison"]["deltas"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["section"] == "cost" && d["changed"] == true));
}

#[test]
fn unreadable_input_exits_2() {
    let (code, _, err) = ecsplan(&["review", "/nonexistent/plan.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read /nonexistent/plan.json"), "{err}");
    let (code, _, err) = ecsplan(&[
        "review",
        &sample("two-az-web.json"),
        "--out",
        "/nonexistent/dir/report.md",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot write"), "{err}");
}
