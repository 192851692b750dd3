//! `ecsplan` against hostile input and hostile surroundings: numbers out of range and counts
//! beyond the quotas (every command exits 1 with the place, nothing is computed), a closed
//! pipe, a full disk, control characters in names, a byte order mark, exports that would
//! overwrite their own files, and plans that `validate` rejects.

mod common;
use common::{bin, ecsplan, temp_bytes as temp_file, temp_dir};
use serde_json::{json, Value};
use std::io::Read;
use std::process::Stdio;

fn sample() -> Value {
    let p = common::sample("two-az-web.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn plan_file(name: &str, v: &Value) -> String {
    temp_file(name, serde_json::to_string_pretty(v).unwrap().as_bytes())
}

/// Every command that computes something from a plan.
fn commands(f: &str) -> Vec<Vec<String>> {
    [
        vec!["validate", f],
        vec!["place", f],
        vec!["place", f, "--json"],
        vec!["deploy", f, "--service", "web"],
        vec!["simulate", f, "--duration", "3600"],
        vec!["whatif", f, "--lose-az", "us-east-1a"],
        vec!["whatif", f, "--fit", "web"],
        vec!["export", f, "--format", "cloudformation"],
    ]
    .into_iter()
    .map(|c| c.into_iter().map(str::to_string).collect())
    .collect()
}

fn set(v: &mut Value, pointer: &str, x: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match v.pointer_mut(parent).unwrap() {
        Value::Object(o) => {
            o.insert(key.to_string(), x);
        }
        Value::Array(a) => a[key.parse::<usize>().unwrap()] = x,
        _ => panic!("{pointer}"),
    }
}

#[test]
fn out_of_range_values_and_huge_counts_exit_1_everywhere_with_the_place() {
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "/services/0/desiredCount",
            json!(2_000_000_000),
            "services[0].desiredCount",
        ),
        (
            "/services/0/desiredCount",
            json!(4_000_000_000u64),
            "services[0].desiredCount",
        ),
        (
            "/services/0/desiredCount",
            json!(5001),
            "services[0].desiredCount",
        ),
        (
            "/services/0/deploymentConfiguration",
            json!({"maximumPercent": 4_611_686_018_427_387_904i64, "minimumHealthyPercent": 50}),
            "services[0].deploymentConfiguration.maximumPercent",
        ),
        (
            "/taskDefinitions/0/containerDefinitions/0/cpu",
            json!(1_000_000_000_000_000_000i64),
            "taskDefinitions[0].containerDefinitions[0].cpu",
        ),
        (
            "/taskDefinitions/0/containerDefinitions/0/memory",
            json!(i64::MAX),
            "taskDefinitions[0].containerDefinitions[0].memory",
        ),
        (
            "/taskDefinitions/0/memory",
            json!("9223372036854775807"),
            "taskDefinitions[0].memory",
        ),
        (
            "/cluster/capacityProviders/0/autoScalingGroup/MaxSize",
            json!(2_000_000_000),
            "cluster.capacityProviders[0].autoScalingGroup.MaxSize",
        ),
        (
            "/services/0/autoScaling/maxCapacity",
            json!(1_000_000),
            "services[0].autoScaling.maxCapacity",
        ),
        (
            "/tasks",
            json!([{"taskDefinition": "web", "count": 1_000_000}]),
            "tasks[0].count",
        ),
    ];
    for (pointer, x, path) in cases {
        let mut p = sample();
        set(&mut p, pointer, x.clone());
        let f = plan_file("range.json", &p);
        for args in commands(&f) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (code, out, err) = ecsplan(&args);
            let what = format!("{pointer} = {x}: ecsplan {}", args.join(" "));
            assert_eq!(code, 1, "{what}\n{out}\n{err}");
            assert!(!err.contains("panicked"), "{what}: {err}");
            assert!(
                out.contains(path) || err.contains(path),
                "{what}: names {path}\n{out}\n{err}"
            );
        }
    }
}

/// A plan whose `place` output is far bigger than a pipe's buffer.
fn big_plan() -> String {
    let mut p = sample();
    p["services"][0]["desiredCount"] = json!(4000);
    p["services"][0]
        .as_object_mut()
        .unwrap()
        .remove("autoScaling");
    plan_file("big.json", &p)
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let f = big_plan();
    for args in [vec!["place", &f], vec!["place", &f, "--json"]] {
        let mut child = bin()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 64];
        let n = child.stdout.as_mut().unwrap().read(&mut first).unwrap();
        assert!(n > 0);
        drop(child.stdout.take()); // `| head -c 64`
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(141), "{args:?}: {err}");
        assert!(err.is_empty(), "quietly: {err}");
    }
}

#[test]
fn a_full_disk_is_reported() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("no /dev/full here, skipping");
        return;
    };
    let f = big_plan();
    let out = bin().args(["place", &f]).stdout(full).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cannot write the output: No space left on device"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let sample = format!(
        "{}/../public/plans/two-az-web.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = bin()
        .args(["export", &sample, "--format", "cloudformation"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // `export --out` onto a full disk names the file it could not write.
    let out = bin()
        .args([
            "export",
            &sample,
            "--format",
            "cli-json",
            "--out",
            "/dev/full/x",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn control_characters_in_names_are_escaped_on_the_terminal() {
    let mut p = sample();
    p["name"] = json!("evil\u{1b}]0;owned\u{7}\r\0\u{9b}2J\u{202e}");
    p["tasks"] = json!([{"taskDefinition": "web", "group": "grp\u{1b}[31m\nfake line", "count": 1, "launchType": "EC2"}]);
    p["services"][0]["serviceName"] = json!("web\u{1b}[2J");
    let f = plan_file("controls.json", &p);
    let raw_controls = |s: &str| {
        s.chars()
            .filter(|c| (c.is_control() && *c != '\n') || ('\u{202a}'..='\u{202e}').contains(c))
            .count()
    };
    let (code, out, _) = ecsplan(&["validate", &f]);
    assert_eq!(code, 1, "the service name is an error");
    assert_eq!(raw_controls(&out), 0, "{out:?}");
    assert!(out.contains("web\\e[2J"), "{out}");
    for args in [vec!["place", &f], vec!["deploy", &f, "--service", "worker"]] {
        let (_, out, err) = ecsplan(&args);
        assert_eq!(
            raw_controls(&out) + raw_controls(&err),
            0,
            "{args:?}: {out:?} {err:?}"
        );
    }
    // A plan that places: the name and group are printed.
    let mut p = sample();
    p["name"] = json!("evil\u{1b}]0;owned\u{7}\r\0\u{9b}2J\u{202e}");
    p["tasks"] = json!([{"taskDefinition": "web", "group": "grp\u{1b}[31m\nfake line", "count": 1, "launchType": "EC2"}]);
    let f = plan_file("controls-ok.json", &p);
    let (code, out, err) = ecsplan(&["place", &f]);
    assert!(code == 0 || code == 1, "{err}");
    assert_eq!(raw_controls(&out), 0, "{out:?}");
    assert!(
        out.starts_with("evil\\e]0;owned\\a\\r\\0\\u{9b}2J\\u{202e}:"),
        "{out}"
    );
    // JSON output stays JSON: serde escapes C0 controls, the rest are text in strings.
    let (_, out, _) = ecsplan(&["place", &f, "--json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(v["placements"]
        .to_string()
        .contains("grp\\u001b[31m\\nfake line"));
    assert_eq!(err.matches('\u{1b}').count(), 0);
}

#[test]
fn a_byte_order_mark_is_named_and_read_past() {
    let mut text = vec![0xef, 0xbb, 0xbf];
    text.extend(serde_json::to_vec_pretty(&sample()).unwrap());
    let f = temp_file("bom.json", &text);
    let (code, out, err) = ecsplan(&["validate", &f]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("byte order mark (U+FEFF)"), "{err}");
    let (code, out, _) = ecsplan(&["place", &f, "--json"]);
    assert_eq!(code, 0);
    assert!(serde_json::from_str::<Value>(&out).is_ok());
    // A task definition with a BOM is validated as a task definition.
    let mut td = vec![0xef, 0xbb, 0xbf];
    td.extend(serde_json::to_vec(&sample()["taskDefinitions"][0]).unwrap());
    let f = temp_file("bom-td.json", &td);
    let (_, out, err) = ecsplan(&["validate", &f]);
    assert!(out.contains("(task definition web)"), "{out}{err}");
}

#[test]
fn export_out_never_overwrites_its_own_files_and_lists_them() {
    let mut p = sample();
    p["tasks"] = json!([
        {"taskDefinition": "web", "group": "nightly", "count": 1, "launchType": "EC2"},
        {"taskDefinition": "worker", "group": "nightly", "count": 2, "launchType": "EC2"},
        {"taskDefinition": "web", "group": "Nightly", "count": 1, "launchType": "EC2"}
    ]);
    let f = plan_file("groups.json", &p);
    let dir = temp_dir().join("out-groups");
    let _ = std::fs::remove_dir_all(&dir);
    let (code, out, err) = ecsplan(&[
        "export",
        &f,
        "--format",
        "run-task",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let written: Vec<&str> = out.lines().collect();
    assert_eq!(written.len(), 3, "{out}");
    let mut counts: Vec<i64> = written
        .iter()
        .map(|w| {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(w).unwrap()).unwrap();
            v["count"].as_i64().unwrap()
        })
        .collect();
    counts.sort();
    assert_eq!(counts, [1, 1, 2], "each request in a file of its own");
    assert!(err.contains("3 files written to"), "{err}");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 3);
    // Again into the same directory: the files of the earlier export are replaced, and said.
    let (_, _, err) = ecsplan(&[
        "export",
        &f,
        "--format",
        "run-task",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        err.contains("3 replaced a file of an earlier export"),
        "{err}"
    );
}

#[test]
fn export_refuses_a_plan_that_validate_rejects_unless_forced() {
    let mut p = sample();
    // A rule error (AWS refuses it), not a structural one: the plan can be read.
    p["services"][0]["desiredCount"] = json!(6000);
    let f = plan_file("quota.json", &p);
    let (code, _, _) = ecsplan(&["validate", &f]);
    assert_eq!(code, 1);
    let (code, out, err) = ecsplan(&["export", &f, "--format", "create-service"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("tasks-per-service") && err.contains("--force"),
        "{err}"
    );
    let (code, out, err) = ecsplan(&["export", &f, "--format", "create-service", "--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"desiredCount\": 6000"), "{out}");
    assert!(
        err.contains("warning: exporting a plan with 1 error"),
        "{err}"
    );
    // A plan that cannot be read is never exported.
    let f = temp_file("broken.json", b"{\"schemaVersion\": 1, \"services\": [");
    let (code, out, _) = ecsplan(&["export", &f, "--format", "cloudformation", "--force"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
}
