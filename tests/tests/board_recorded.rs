//! A plan imported from a live cluster records where its tasks run (`runningTasks`): the board
//! shows every task on its recorded instance when the plan is pasted, after a reload and
//! through a share link, where a fresh placement would put some elsewhere.

mod shell_common;

use e2e::{Browser, TIMEOUT};
use engine::api::import::{aws_snapshot, ClusterOptions, InputFile};
use engine::api::placement::{place_afresh, Outcome, PlaceOptions};
use shell_common::*;
use std::collections::BTreeSet;

/// The engine's test snapshot of cluster shop-prod, imported as `ecsplan import --from
/// aws-snapshot` does.
fn imported_plan() -> String {
    let dir = e2e::workspace_root().join("engine/tests/fixtures/aws-snapshot/shop-prod");
    let mut files: Vec<InputFile> = std::fs::read_dir(&dir)
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
    aws_snapshot(&files, &ClusterOptions::default())
        .expect("imports")
        .plan
        .to_json()
}

/// (task group, instance id) of every task chip on the board, sorted.
async fn chips(b: &Browser) -> BTreeSet<(String, String)> {
    let v = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=instance]')).flatMap(i =>\
               Array.from(i.querySelectorAll('[data-testid=task]')).map(t =>\
                 [t.dataset.taskId.replace(/-\\d+$/, ''), i.dataset.instanceId]));",
            vec![],
        )
        .await;
    v.as_array()
        .expect("an array")
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap_or_default().to_string(),
                p[1].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn recorded_tasks_show_where_they_run_after_a_paste_a_reload_and_a_share_link() {
    let Some(h) = e2e::Harness::start() else {
        return;
    };
    let text = imported_plan();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Where the snapshot says each task runs: (service or task family, instance).
    let recorded: BTreeSet<(String, String)> = v["runningTasks"]
        .as_array()
        .expect("the import records runningTasks")
        .iter()
        .map(|t| {
            let g = t["group"].as_str().unwrap();
            let name = g.split_once(':').map_or(g, |(_, n)| n);
            (
                name.to_string(),
                t["containerInstance"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(recorded.len() >= 5, "{recorded:?}");
    // A fresh placement puts some elsewhere, so the board shows the record, not a placement.
    let plan = engine::api::plan::load(&text).plan.unwrap();
    let fresh = place_afresh(&plan, &PlaceOptions::for_plan(&plan));
    let fresh: BTreeSet<(String, String)> = fresh
        .tasks
        .iter()
        .filter_map(|t| match t.outcome {
            Outcome::Placed { node } => {
                Some((t.name.to_string(), fresh.cluster.nodes[node].id.clone()))
            }
            _ => None,
        })
        .collect();
    assert_ne!(
        fresh, recorded,
        "the test needs a plan a fresh placement changes"
    );

    let a = h.browser().await;
    open(&a).await;
    paste_import(&a, &text).await;
    wait_plan_name(&a, "shop-prod (snapshot)").await;
    a.wait_for(READY, TIMEOUT).await;
    assert_eq!(chips(&a).await, recorded, "pasted");
    a.screenshot("board-recorded.png").await;
    reload(&a).await;
    wait_plan_name(&a, "shop-prod (snapshot)").await;
    assert_eq!(chips(&a).await, recorded, "reloaded");

    // The share link carries the record to a fresh profile.
    a.click("[data-testid=share]").await;
    a.wait_for("[data-testid=share-popover]", TIMEOUT).await;
    let link = share_link(&a).await;
    assert_clean_console(&a).await;
    a.close().await;
    let b = h.browser().await;
    b.open(&link).await;
    b.wait_for(READY, TIMEOUT).await;
    wait_plan_name(&b, "shop-prod (snapshot)").await;
    assert_eq!(chips(&b).await, recorded, "opened from the share link");
    assert_clean_console(&b).await;
    b.close().await;
}
