//! The plan survives a reload; a saved state that cannot be opened is kept aside and
//! reported; export downloads exactly what import reads back.

mod shell_common;

use e2e::{Harness, TIMEOUT};
use serde_json::{json, Value};
use shell_common::*;

const ASIDE_1: &str = "ecs-planner.plan.rejected.1";
const ASIDE_2: &str = "ecs-planner.plan.rejected.2";

#[tokio::test]
async fn a_reload_keeps_the_imported_plan() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    paste_import(&b, &sample("mixed-memberof.json")).await;
    wait_plan_name(&b, "Mixed instance types with memberOf").await;
    wait_count(&b, "[data-testid=instance]", 7).await;
    reload(&b).await;
    assert_eq!(plan_name(&b).await, "Mixed instance types with memberOf");
    assert_eq!(count(&b, "[data-testid=instance]").await, 7);
    assert_eq!(count(&b, "[data-testid=banner]").await, 0);
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn a_corrupt_saved_state_is_kept_aside_and_reported() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    let corrupt = "{\"schemaVersion\": 1, \"name\": \"half a pl";
    b.set_local_storage(PLAN_KEY, corrupt).await;
    reload(&b).await;

    let banner = b.text("[data-testid=banner]").await;
    assert!(banner.contains("could not be opened"), "{banner}");
    assert!(
        banner.contains("not valid JSON"),
        "the engine's message: {banner}"
    );
    assert!(banner.contains(ASIDE_1), "where it is kept: {banner}");
    assert_eq!(plan_name(&b).await, "Two-AZ web cluster");
    assert_eq!(count(&b, "[data-testid=task]").await, 7);
    assert_eq!(
        b.local_storage(ASIDE_1).await.as_deref(),
        Some(corrupt),
        "kept byte for byte"
    );
    let now: Value = serde_json::from_str(&b.local_storage(PLAN_KEY).await.unwrap()).unwrap();
    assert_eq!(
        now["name"],
        json!("Two-AZ web cluster"),
        "the default plan is saved in its place"
    );
    b.screenshot("corrupt-saved-state.png").await;
    b.click("[data-testid=banner-download]").await;

    // A newer version saved later is kept aside too, without overwriting the first.
    let newer =
        sample("fargate-spot.json").replacen("\"schemaVersion\": 1", "\"schemaVersion\": 99", 1);
    b.set_local_storage(PLAN_KEY, &newer).await;
    reload(&b).await;
    let banner = b.text("[data-testid=banner]").await;
    assert!(banner.contains("99"), "{banner}");
    assert_eq!(b.local_storage(ASIDE_1).await.as_deref(), Some(corrupt));
    assert_eq!(
        b.local_storage(ASIDE_2).await.as_deref(),
        Some(newer.as_str())
    );

    // Dismissing the banner does not bring it back on reload (the saved plan is good now).
    b.click("[data-testid=banner] button:last-child").await;
    b.wait_for_absent("[data-testid=banner]", TIMEOUT).await;
    reload(&b).await;
    assert_eq!(count(&b, "[data-testid=banner]").await, 0);
    assert_clean_console(&b).await;
    b.close().await;
}

/// Reads the last export through its object URL: the bytes the download holds.
async fn exported(b: &e2e::Browser) -> (String, String) {
    b.wait_for("[data-testid=export-link]", TIMEOUT).await;
    let v = b
        .js(
            "const a = document.querySelector('[data-testid=export-link]');\
             return fetch(a.href).then(r => r.text()).then(t => [a.getAttribute('download'), t]);",
            vec![],
        )
        .await;
    (
        v[0].as_str().unwrap().to_string(),
        v[1].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn export_round_trips_through_import() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    paste_import(&b, &sample("mixed-memberof.json")).await;
    wait_plan_name(&b, "Mixed instance types with memberOf").await;
    b.click("[data-testid=export]").await;
    let (name, text) = exported(&b).await;
    assert_eq!(name, "Mixed instance types with memberOf.json");
    assert_eq!(
        Some(text.as_str()),
        b.local_storage(PLAN_KEY).await.as_deref(),
        "export = what is saved"
    );
    let ours: Value = serde_json::from_str(&text).expect("the export is JSON");
    let original: Value = serde_json::from_str(&sample("mixed-memberof.json")).unwrap();
    assert_eq!(ours["name"], original["name"]);
    assert_eq!(
        ours["cluster"]["containerInstances"],
        original["cluster"]["containerInstances"]
    );
    assert!(text.contains("\n  \""), "pretty-printed");
    b.close().await;

    // A fresh browser imports the export and exports the same bytes.
    let b = h.browser().await;
    open(&b).await;
    assert_eq!(plan_name(&b).await, "Two-AZ web cluster", "a fresh profile");
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(dir.path(), &name, &text);
    file_import(&b, &path).await;
    wait_plan_name(&b, "Mixed instance types with memberOf").await;
    wait_count(&b, "[data-testid=instance]", 7).await;
    b.click("[data-testid=export]").await;
    let (again_name, again) = exported(&b).await;
    assert_eq!(again_name, name);
    assert_eq!(again, text, "export → import → export is byte-identical");
    assert_clean_console(&b).await;
    b.close().await;
}
