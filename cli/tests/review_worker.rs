//! The page's Review view downloads what the engine worker writes (`worker/src/review.rs`):
//! the same bytes as `ecsplan review --format F --out FILE` for the same plan and seed, with
//! and without `--against`. The worker's module is compiled into this test as it is.

mod common;
use common::{ecsplan, sample, temp_dir, temp_file};
use serde_json::Value;

#[path = "../../worker/src/review.rs"]
mod worker_review;

use protocol::review::{Against, Review};

fn cli_file(args: &[&str], format: &str) -> String {
    // One file per call: the tests run in parallel in one temporary directory.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let out = temp_dir().join(format!("cli-{n}.{format}"));
    let out = out.to_string_lossy().into_owned();
    let mut a = vec!["review"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--format", format, "--out", &out]);
    let (code, _, err) = ecsplan(&a);
    assert!(code == 0 || code == 1, "{format}: {err}");
    std::fs::read_to_string(&out).unwrap()
}

#[test]
fn the_worker_writes_what_ecsplan_review_writes() {
    let plan = sample("two-az-web.json");
    let text = std::fs::read_to_string(&plan).unwrap();
    let got = worker_review::run(&Review {
        plan: text.clone(),
        file: plan.clone(),
        against: None,
        seed: None,
    })
    .unwrap();
    assert_eq!(got.files.len(), 5);
    for f in &got.files {
        assert_eq!(f.content, cli_file(&[&plan], &f.format), "{}", f.format);
    }
    // The report the page shows is the JSON file's.
    let json: Value = serde_json::from_str(&got.files[2].content).unwrap();
    assert_eq!(got.report, json);

    // Compared with an older plan (an instance fewer), with a seed.
    let mut old: Value = serde_json::from_str(&text).unwrap();
    old["cluster"]["containerInstances"]
        .as_array_mut()
        .unwrap()
        .pop();
    let old_text = serde_json::to_string_pretty(&old).unwrap();
    let old_path = temp_file("older.json", &old_text);
    let got = worker_review::run(&Review {
        plan: text,
        file: plan.clone(),
        against: Some(Against {
            plan: old_text,
            file: old_path.clone(),
        }),
        seed: Some(3),
    })
    .unwrap();
    for f in &got.files {
        let cli = cli_file(&[&plan, "--against", &old_path, "--seed", "3"], &f.format);
        assert_eq!(f.content, cli, "{} against", f.format);
    }
    assert!(got.body.contains("Change from "));
}

/// A service named with an ESC sequence and a right-to-left override: the worker's Markdown
/// (the engine's rendering) escapes them as `ecsplan review` does, in the file and on the
/// terminal, so the page's download is the same bytes and shows no hidden characters.
#[test]
fn control_and_bidirectional_characters_are_escaped_alike_in_markdown() {
    let mut v: Value =
        serde_json::from_str(&std::fs::read_to_string(sample("two-az-web.json")).unwrap()).unwrap();
    let name = "web\u{1b}[2J\u{202e}gnp.exe";
    v["services"][0]["serviceName"] = Value::from(name);
    if let Some(m) = v["workload"]["services"].as_object_mut() {
        if let Some(w) = m.remove("web") {
            m.insert(name.to_string(), w);
        }
    }
    let text = serde_json::to_string_pretty(&v).unwrap();
    let plan = temp_file("hostile-name.json", &text);
    let got = worker_review::run(&Review {
        plan: text,
        file: plan.clone(),
        against: None,
        seed: None,
    })
    .unwrap();
    let md = &got.files.iter().find(|f| f.format == "md").unwrap().content;
    assert!(md.contains("web\\e[2J\\u{202e}gnp.exe"), "{md}");
    assert!(!md.contains('\u{1b}') && !md.contains('\u{202e}'));
    assert_eq!(md, &cli_file(&[&plan], "md"));
    let (_, stdout, _) = ecsplan(&["review", &plan]);
    assert_eq!(&stdout, md, "the terminal shows what the file holds");
}
