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
    let out = temp_dir().join(format!("cli-{}.{format}", args.len()));
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
