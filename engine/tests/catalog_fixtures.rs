//! Cross-checks of the built-in instance catalog against real-world data nobody on this project
//! wrote (`../shared/fixtures/ec2`, see its README): memory the OS reports, vCPU and GPU counts
//! (vantage-sh/ec2instances.info), the ECS Developer Guide's ENI trunking table, and real
//! `aws ec2 describe-instance-types` output (aws/amazon-ec2-instance-selector).

use engine::api::catalog::{
    estimate_memtotal_mib, import_describe_instance_types, Architecture, Catalog, ImportError,
};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The fixtures directory: `$ECS_PLANNER_FIXTURES`, else `../shared/fixtures` next to the
/// workspace root. `None` (with a message) when absent; a failure when absent under `CI=true`,
/// where every oracle must run.
fn fixtures() -> Option<PathBuf> {
    let dir = std::env::var_os("ECS_PLANNER_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../shared/fixtures"
            ))
        });
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "fixtures not found at {} (set ECS_PLANNER_FIXTURES); required when CI=true",
            dir.display()
        );
    }
    eprintln!("fixtures not found at {}, skipping", dir.display());
    None
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join(rel).display()))
}

/// `os-visible-memory.vantage.json`: instance type -> its measurements.
fn vantage(dir: &Path) -> serde_json::Map<String, Value> {
    match serde_json::from_str(&read(dir, "ec2/os-visible-memory.vantage.json")) {
        Ok(Value::Object(m)) => m,
        other => panic!("os-visible-memory.vantage.json: expected an object, got {other:?}"),
    }
}

/// The tolerance the memory estimate is held to, by advertised size (measured: see
/// `estimate_memtotal_mib`'s documentation and `docs/catalog.md`).
fn memory_tolerance(nominal_mib: u32) -> f64 {
    match nominal_mib {
        0..=4095 => 0.05,
        4096..=16383 => 0.03,
        _ => 0.02,
    }
}

#[test]
fn registered_memory_matches_what_the_os_reports() {
    let Some(dir) = fixtures() else { return };
    let vantage = vantage(&dir);
    let mut checked = 0;
    let mut within_2_percent = 0;
    let mut worst: (f64, String) = (0.0, String::new());
    let mut failures = Vec::new();
    for t in Catalog::builtin() {
        let Some(observed) = vantage
            .get(t.name.as_ref())
            .and_then(|v| v["memory"]["total_mb"].as_u64())
        else {
            continue;
        };
        let observed = observed as f64;
        checked += 1;
        let tolerance = memory_tolerance(t.memory_mib);
        // Both the formula and what the catalog registers (the formula, or a published figure
        // such as m4.large's 7985 MiB) are held to the tolerance.
        for (what, value) in [
            ("estimate", estimate_memtotal_mib(t.memory_mib)),
            ("registered", t.registered_memory_mib(0)),
        ] {
            let err = (value as f64 - observed) / observed;
            if what == "estimate" {
                if err.abs() <= 0.02 {
                    within_2_percent += 1;
                }
                if err.abs() > worst.0.abs() {
                    worst = (err, t.name.to_string());
                }
            }
            if err.abs() > tolerance {
                failures.push(format!(
                    "{}: {what} {value} MiB vs {observed} MiB measured ({:+.2}%, tolerance {:.0}%)",
                    t.name,
                    err * 100.0,
                    tolerance * 100.0
                ));
            }
            assert!(
                value < t.memory_mib,
                "{}: {what} {value} MiB is not below the nominal {}",
                t.name,
                t.memory_mib
            );
        }
    }
    eprintln!(
        "memory estimate vs vantage: {checked} types, worst {:+.2}% ({}), {within_2_percent} within 2%",
        worst.0 * 100.0,
        worst.1
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        checked >= 180,
        "only {checked} catalog types found in the vantage data"
    );
}

#[test]
fn vcpus_and_gpus_match_vantage() {
    let Some(dir) = fixtures() else { return };
    let vantage = vantage(&dir);
    let mut checked = 0;
    for t in Catalog::builtin() {
        let Some(v) = vantage.get(t.name.as_ref()) else {
            continue;
        };
        if let Some(threads) = v["cpu"]["threads"].as_u64() {
            assert_eq!(
                u64::from(t.vcpus),
                threads,
                "{}: vCPUs vs cpu.threads",
                t.name
            );
            checked += 1;
        }
        if let Some(gpus) = v["nvidia_gpus"].as_array().filter(|g| !g.is_empty()) {
            assert_eq!(
                t.gpus as usize,
                gpus.len(),
                "{}: GPUs vs nvidia_gpus",
                t.name
            );
        }
    }
    assert!(
        checked >= 180,
        "only {checked} catalog types with cpu.threads"
    );
}

#[test]
fn awsvpc_task_limits_match_the_trunking_table() {
    let Some(dir) = fixtures() else { return };
    let csv = read(&dir, "ec2/eni-trunking-task-limits.csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().map(str::trim),
        Some("instance_type,task_limit_without_trunking,task_limit_with_trunking")
    );
    let catalog = Catalog::builtin();
    let mut listed = std::collections::BTreeSet::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.trim().split(',').collect();
        let [name, without, with] = cols[..] else {
            panic!("bad CSV line {line:?}")
        };
        listed.insert(name.to_string());
        let Some(t) = catalog.get(name) else { continue };
        let (without, with): (u32, u32) = (without.parse().unwrap(), with.parse().unwrap());
        assert_eq!(
            t.awsvpc_task_limit(false),
            without,
            "{name}: without trunking"
        );
        assert_eq!(t.awsvpc_task_limit(true), with, "{name}: with trunking");
    }
    // The converse: the catalog claims trunking only for types the table lists.
    let mut compared = 0;
    for t in catalog {
        if listed.contains(t.name.as_ref()) {
            compared += 1;
        } else {
            assert_eq!(
                t.trunk_task_limit, None,
                "{}: trunking limit but not in the ECS table",
                t.name
            );
        }
    }
    assert!(
        compared >= 120,
        "only {compared} catalog types in the trunking table"
    );
}

fn describe_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("ec2"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("describe-instance-types.") && name.ends_with(".json")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn describe_instance_types_files_import_and_agree_with_the_catalog() {
    let Some(dir) = fixtures() else { return };
    let files = describe_files(&dir);
    assert!(
        files.len() >= 5,
        "describe-instance-types fixtures: {files:?}"
    );
    let catalog = Catalog::builtin();
    let mut agreed = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let types = import_describe_instance_types(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!types.is_empty(), "{name}");
        if name == "describe-instance-types.25_instances.json" {
            assert_eq!(types.len(), 25);
        }
        for t in &types {
            let Some(b) = catalog.get(&t.name) else {
                continue;
            };
            agreed += 1;
            assert_eq!(
                (
                    t.vcpus,
                    t.memory_mib,
                    t.max_enis,
                    t.architecture,
                    t.gpus,
                    t.burstable
                ),
                (
                    b.vcpus,
                    b.memory_mib,
                    b.max_enis,
                    b.architecture,
                    b.gpus,
                    b.burstable
                ),
                "{name}: {} (vcpus, memory, ENIs, architecture, GPUs, burstable)",
                t.name
            );
            assert_eq!(t.category, b.category, "{name}: {}", t.name);
        }
        // Imported types join the catalog; built-in facts the import cannot know stay.
        let merged = catalog.with_imported(types.clone());
        for t in &types {
            let m = merged.get(&t.name).unwrap();
            assert_eq!(m.memory_mib, t.memory_mib);
            if let Some(b) = catalog.get(&t.name) {
                assert_eq!(m.trunk_task_limit, b.trunk_task_limit, "{}", t.name);
            }
        }
    }
    assert!(
        agreed >= 10,
        "only {agreed} imported types are also built in"
    );

    // Spot checks of what the files say.
    let g2 =
        import_describe_instance_types(&read(&dir, "ec2/describe-instance-types.g2_2xlarge.json"))
            .unwrap();
    assert_eq!((g2[0].name.as_ref(), g2[0].gpus), ("g2.2xlarge", 1));
    let t3 =
        import_describe_instance_types(&read(&dir, "ec2/describe-instance-types.t3_micro.json"))
            .unwrap();
    assert!(t3[0].burstable);
    let a1 = import_describe_instance_types(&read(
        &dir,
        "ec2/describe-instance-types.25_instances.json",
    ))
    .unwrap();
    assert!(a1
        .iter()
        .filter(|t| t.name.starts_with("a1."))
        .all(|t| t.architecture == Architecture::Arm64));
}

/// Every truncation, and every required member removed or given the wrong type, in real output
/// is an error naming a path, never a panic.
#[test]
fn damaged_describe_instance_types_output_is_an_error_with_a_path() {
    let Some(dir) = fixtures() else { return };
    for file in describe_files(&dir) {
        let text = std::fs::read_to_string(&file).unwrap();
        let step = (text.len() / 300).max(1);
        for end in (0..text.len()).step_by(step) {
            if text.is_char_boundary(end) {
                let e = import_describe_instance_types(&text[..end]).unwrap_err();
                assert!(
                    matches!(e, ImportError::Syntax { .. }),
                    "{}: cut at {end}: {e}",
                    file.display()
                );
                assert_eq!(e.path(), "$");
            }
        }
        let doc: Value = serde_json::from_str(&text).unwrap();
        let n = doc["InstanceTypes"].as_array().unwrap().len();
        let members: [&[&str]; 5] = [
            &["InstanceType"],
            &["VCpuInfo", "DefaultVCpus"],
            &["MemoryInfo", "SizeInMiB"],
            &["NetworkInfo", "MaximumNetworkInterfaces"],
            &["ProcessorInfo", "SupportedArchitectures"],
        ];
        for i in (0..n).step_by((n / 5).max(1)) {
            for member in members {
                let path = format!("InstanceTypes[{i}].{}", member.join("."));
                let (parent, last) = member.split_at(member.len() - 1);
                let edit = |f: &dyn Fn(&mut serde_json::Map<String, Value>)| {
                    let mut d = doc.clone();
                    let mut o = &mut d["InstanceTypes"][i];
                    for k in parent {
                        o = &mut o[*k];
                    }
                    f(o.as_object_mut().unwrap());
                    import_describe_instance_types(&d.to_string()).unwrap_err()
                };
                let missing = edit(&|o| {
                    o.remove(last[0]);
                });
                assert_eq!(missing.to_string(), format!("{path}: missing"));
                let wrong = edit(&|o| {
                    o.insert(last[0].to_string(), Value::Bool(true));
                });
                assert_eq!(wrong.path(), path, "{wrong}");
                assert!(
                    matches!(
                        wrong,
                        ImportError::WrongType {
                            found: "a boolean",
                            ..
                        }
                    ),
                    "{wrong}"
                );
            }
        }
    }
}
