//! `ecsplan validate` on real files: exit codes, human and JSON output.

use std::process::Command;

fn ecsplan(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ecsplan"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn sample(name: &str) -> String {
    format!("{}/../public/plans/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn temp_file(name: &str, content: &str) -> String {
    let dir = std::env::temp_dir().join(format!("ecsplan-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn a_sample_plan_is_valid() {
    let (code, out, _) = ecsplan(&["validate", &sample("two-az-web.json")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(": 0 errors"), "{out}");
}

#[test]
fn errors_exit_1_with_path_line_and_fix() {
    let text = std::fs::read_to_string(sample("two-az-web.json"))
        .unwrap()
        .replace("\"desiredCount\": 4", "\"desiredCont\": 4");
    let f = temp_file("typo.json", &text);
    let (code, out, _) = ecsplan(&["validate", &f]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("unknown-field  services[0].desiredCont"),
        "{out}"
    );
    assert!(out.contains("fix: did you mean `desiredCount`?"), "{out}");
    let line = text
        .lines()
        .position(|l| l.contains("desiredCont"))
        .unwrap()
        + 1;
    assert!(out.contains(&format!("{f}:{line}:")), "{out}");
}

#[test]
fn json_output_is_machine_readable() {
    let f = temp_file("bad-version.json", r#"{"schemaVersion": 2, "cluster": {}}"#);
    let (code, out, _) = ecsplan(&["validate", "--json", &f]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"], 1);
    assert_eq!(v["findings"][0]["code"], "newer-schema-version");
    assert_eq!(v["findings"][0]["path"], "schemaVersion");
    assert_eq!(v["findings"][0]["line"], 1);
}

#[test]
fn unreadable_input_and_bad_usage_exit_2() {
    let (code, _, err) = ecsplan(&["validate", "/nonexistent/plan.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read /nonexistent/plan.json"), "{err}");
    let (code, _, _) = ecsplan(&["validate"]);
    assert_eq!(code, 2);
    let (code, _, _) = ecsplan(&["frobnicate"]);
    assert_eq!(code, 2);
    let bin = temp_file("binary.json", "");
    std::fs::write(&bin, [0xff, 0xfe, 0x00, 0x81]).unwrap();
    let (code, _, err) = ecsplan(&["validate", &bin]);
    assert_eq!(code, 2);
    assert!(err.contains("not UTF-8"), "{err}");
}

#[test]
fn garbage_is_an_error_not_a_crash() {
    let f = temp_file("garbage.json", &"{[\"x".repeat(10_000));
    let (code, out, _) = ecsplan(&["validate", &f]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("json-syntax"), "{out}");
}
