//! Learn: progress is kept in the browser across a reload, with its review schedule (a missed
//! scenario comes back, "due for review"); it is exported and imported as a file; a saved
//! progress that cannot be read is kept aside and reported, like a plan.

mod learn_common;
mod shell_common;

use e2e::{Harness, TIMEOUT};
use learn_common::*;
use serde_json::{json, Value};
use shell_common::*;

const ASIDE: &str = "ecs-planner.learn.progress.rejected.1";

#[tokio::test]
async fn progress_survives_a_reload_and_missed_scenarios_come_back() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open_at(&b, "/#learn/where-web-5-lands").await;
    wait_scenario(&b, "where-web-5-lands").await;
    answer_choice(&b, "i-06").await;
    let saved = progress(&b).await;
    let record = &saved["scenarios"]["where-web-5-lands"];
    assert_eq!(record["lastRight"], json!(false));
    assert_eq!(record["box"], json!(1));
    assert_eq!(
        record["due"].as_u64().unwrap() - record["last"].as_u64().unwrap(),
        10 * 60 * 1000,
        "a miss comes back after 10 minutes"
    );

    // After a reload the list says so; not due yet.
    open_at(&b, "/#learn").await;
    reload(&b).await;
    b.wait_for("[data-testid=learn-topics]", SLOW).await;
    b.wait_for(
        "[data-testid=scenario][data-id=where-web-5-lands][data-status=missed]",
        TIMEOUT,
    )
    .await;
    assert!(b
        .text("[data-testid=learn-due]")
        .await
        .contains("Due for review (0)"));

    // Ten minutes later (the saved time moved back): due for review, in the list and the header.
    let mut aged = saved.clone();
    for k in ["last", "due"] {
        let t = aged["scenarios"]["where-web-5-lands"][k].as_u64().unwrap();
        aged["scenarios"]["where-web-5-lands"][k] = json!(t - 11 * 60 * 1000);
    }
    b.set_local_storage(PROGRESS_KEY, &aged.to_string()).await;
    b.open("/").await;
    reload(&b).await;
    assert_eq!(b.text("[data-testid=learn-due-count]").await, "1 due");
    open_learn(&b).await;
    b.wait_for(
        "[data-testid=learn-due] [data-id=where-web-5-lands]",
        TIMEOUT,
    )
    .await;
    let topic = b
        .text("[data-testid=topic][data-topic=placement-strategies] [data-testid=topic-progress]")
        .await;
    assert!(topic.contains("0 of") && topic.contains("1 due"), "{topic}");
    b.screenshot("learn-due.png").await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn progress_exports_and_imports_as_a_file() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open_at(&b, "/#learn/stuck-75-100").await;
    wait_scenario(&b, "stuck-75-100").await;
    answer_right(&b, "stuck-75-100", 0).await;
    assert!(result_correct(&b).await);
    open_at(&b, "/#learn").await;
    b.wait_for("[data-testid=learn-progress]", SLOW).await;
    capture_downloads(&b).await;
    b.click("[data-testid=progress-export]").await;
    let (name, text) = last_download(&b).await;
    assert_eq!(name, "ecs-planner-learn-progress.json");
    assert_eq!(Some(text.clone()), b.local_storage(PROGRESS_KEY).await);
    assert!(b
        .text("[data-testid=progress-status]")
        .await
        .contains("exported"));
    b.close().await;

    // Another browser: a bad file is refused with where and why; the export is imported.
    let b = h.browser().await;
    open_at(&b, "/#learn").await;
    b.wait_for("[data-testid=learn-topics]", SLOW).await;
    let dir = tempfile::tempdir().unwrap();
    let bad = write_file(dir.path(), "bad.json", "{\"schemaVersion\": 1,\n \"kind\": \"ecs-planner-learn-progress\",\n \"scenarios\": {\"x\": {\"attempts\": 1, \"rigth\": 1}}}");
    import_progress(&b, &bad).await;
    b.wait_until("document.querySelector('[data-testid=progress-status]').textContent.includes('not imported')", SLOW)
        .await;
    let status = b.text("[data-testid=progress-status]").await;
    assert!(status.contains("line 3"), "{status}");
    let kept = b.local_storage(PROGRESS_KEY).await.unwrap_or_default();
    assert!(
        !kept.contains("\"x\""),
        "nothing of a refused file is kept: {kept}"
    );
    let good = write_file(dir.path(), &name, &text);
    import_progress(&b, &good).await;
    b.wait_until(
        "document.querySelector('[data-testid=progress-status]').textContent.includes('Imported')",
        SLOW,
    )
    .await;
    b.wait_for(
        "[data-testid=scenario][data-id=stuck-75-100][data-status=right]",
        TIMEOUT,
    )
    .await;
    let now: Value = serde_json::from_str(&b.local_storage(PROGRESS_KEY).await.unwrap()).unwrap();
    let then: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(now["scenarios"], then["scenarios"], "kept as exported");
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn a_corrupt_saved_progress_is_kept_aside_and_reported() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    let corrupt =
        "{\"schemaVersion\": 1, \"kind\": \"ecs-planner-learn-progress\", \"scenarios\": {";
    b.set_local_storage(PROGRESS_KEY, corrupt).await;
    reload(&b).await;
    let banner = b
        .text("[data-testid=banner][data-kind=rejected-progress]")
        .await;
    assert!(banner.contains("could not be read"), "{banner}");
    assert!(banner.contains(ASIDE), "{banner}");
    assert_eq!(b.local_storage(ASIDE).await.as_deref(), Some(corrupt));
    // The plan is not affected, and Learn starts from no progress.
    assert_eq!(plan_name(&b).await, "Two-AZ web cluster");
    open_learn(&b).await;
    assert_eq!(n(&b, "[data-testid=scenario][data-status=missed]").await, 0);
    b.close().await;
}

async fn import_progress(b: &e2e::Browser, path: &std::path::Path) {
    let input = b.wait_for("[data-testid=progress-import]", TIMEOUT).await;
    input.send_keys(path.to_str().unwrap()).await.unwrap();
}
