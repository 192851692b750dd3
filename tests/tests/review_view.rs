//! The Review view in the built page: R opens the engine's architecture review of the plan
//! (computed in the engine worker), its gates and summary are the engine's (`ecsplan review`'s)
//! for the same plan; a number leads to the board (a zone lost there); the edited plan compared
//! with the plan before the edit, and with a file, shows the change; the HTML report downloads
//! as the engine writes it.

mod board_common;
mod shell_common;

use board_common::press;
use e2e::{report, TIMEOUT};
use engine::api::review::{self, ReviewOptions};
use serde_json::{json, Value};
use shell_common::*;

/// The sample plan with gates: some pass, some fail.
fn plan_with_gates() -> String {
    let mut v: Value = serde_json::from_str(&sample("two-az-web.json")).unwrap();
    v["name"] = json!("review-sample");
    v["settings"]["review"] = json!({ "gates": {
        "noErrors": true,
        "survivesZoneLoss": true,
        "maxUtilizationPercent": 20,
        "requireCircuitBreaker": true
    }});
    serde_json::to_string_pretty(&v).unwrap()
}

/// Waits for the review to be shown and not busy.
async fn reviewed(b: &e2e::Browser) {
    b.wait_for(
        "[data-testid=review][aria-busy=false] [data-testid=review-verdict]",
        TIMEOUT,
    )
    .await;
}

/// `[(gate, passed)]` as the page shows them.
async fn gates_shown(b: &e2e::Browser) -> Vec<(String, bool)> {
    let v = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=review-gate]'))\
               .map(g => [g.dataset.gate, g.dataset.passed === 'true']);",
            vec![],
        )
        .await;
    v.as_array()
        .unwrap()
        .iter()
        .map(|g| (g[0].as_str().unwrap().to_string(), g[1].as_bool().unwrap()))
        .collect()
}

#[tokio::test]
async fn the_review_view_shows_compares_and_downloads_the_engines_report() {
    let Some(h) = e2e::Harness::start() else {
        return;
    };
    let b = h.browser().await;
    open(&b).await;
    let text = plan_with_gates();
    paste_import(&b, &text).await;
    wait_plan_name(&b, "review-sample").await;
    // Closed, the Review takes no room on the page (a hidden panel drew an empty box).
    let shown = b
        .js(
            "return getComputedStyle(document.querySelector('[data-testid=review]')).display",
            vec![],
        )
        .await;
    assert_eq!(
        shown,
        serde_json::json!("none"),
        "the closed Review is not drawn"
    );

    // R opens the Review; the worker computes it while the view says so.
    press(&b, 'r', &[]).await;
    b.wait_for("[data-testid=review]:not([hidden])", TIMEOUT)
        .await;
    reviewed(&b).await;
    assert_eq!(
        count(&b, ".layout[hidden]").await,
        1,
        "the Review takes the board's place"
    );

    // The gates and the verdict are the engine's for the same plan (the page names it by the
    // file its Export JSON writes).
    let expected = review::review_text(&text, &ReviewOptions::for_file("review-sample.json"));
    let want: Vec<(String, bool)> = expected
        .gates
        .iter()
        .map(|g| (g.gate.clone(), g.passed))
        .collect();
    assert!(
        want.iter().any(|g| g.1) && want.iter().any(|g| !g.1),
        "the sample has gates that pass and fail: {want:?}"
    );
    assert_eq!(gates_shown(&b).await, want);
    assert_eq!(
        b.text("[data-testid=review-summary]").await,
        expected.summary.verdict
    );
    assert_eq!(
        b.js(
            "return document.querySelector('[data-testid=review-verdict]').dataset.passed;",
            vec![]
        )
        .await,
        json!("false")
    );
    let report_text = b.text("[data-testid=review-report]").await;
    assert!(report_text.contains("Architecture review: review-sample"));
    assert!(report_text.contains("ecsplan whatif review-sample.json --lose-az us-east-1a"));

    // A number leads to the view that shows it: lose us-east-1a on the board.
    b.click("[data-testid=review-look][data-action=lose-zone][data-arg=us-east-1a]")
        .await;
    b.wait_for("[data-testid=review][hidden]", TIMEOUT).await;
    b.wait_until(
        "document.querySelector('[data-testid=lane][data-az=us-east-1a]').querySelectorAll('[data-testid=instance]').length === 0",
        TIMEOUT,
    )
    .await;

    // Back in the Review: the edited plan, compared with the plan before the edit.
    press(&b, 'r', &[]).await;
    reviewed(&b).await;
    b.js(
        "const s = document.querySelector('[data-testid=review-against]');\
         s.value = 'before';\
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![],
    )
    .await;
    b.wait_until(
        "document.querySelector('[data-testid=review-report]') && document.querySelector('[data-testid=review-report]').textContent.includes('Change from before-my-edits.json')",
        TIMEOUT,
    )
    .await;
    reviewed(&b).await;
    let saved = b.local_storage(PLAN_KEY).await.expect("the plan is saved");
    let now = review::review_text(&saved, &ReviewOptions::for_file("review-sample.json"));
    let before = review::review_text(&text, &ReviewOptions::for_file("before-my-edits.json"));
    let compared = review::compare(now, &before);
    let instances = compared
        .comparison
        .as_ref()
        .unwrap()
        .deltas
        .iter()
        .find(|d| d.measure == "instances")
        .unwrap()
        .clone();
    assert!(instances.changed, "{instances:?}");
    let rows = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=review-report] tr'))\
               .map(r => Array.from(r.cells).map(c => c.textContent));",
            vec![],
        )
        .await;
    let row = json!([
        instances.section,
        instances.measure,
        instances.old,
        instances.new,
        instances.delta
    ]);
    assert!(
        rows.as_array().unwrap().contains(&row),
        "the comparison shows {row} side by side: {}",
        &rows.to_string()[..2000.min(rows.to_string().len())]
    );
    // The screenshot of docs/review.md: the top of the page, tall enough for the comparison.
    b.js("window.scrollTo(0, 0);", vec![]).await;
    b.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 1280, "height": 1500, "deviceScaleFactor": 1, "mobile": false }),
    )
    .await;
    b.screenshot("review-view.png").await;
    b.cdp("Emulation.clearDeviceMetricsOverride", json!({}))
        .await;

    // Download the HTML report: the file is the engine's, byte for byte.
    let dir = tempfile::tempdir().unwrap();
    b.cdp(
        "Browser.setDownloadBehavior",
        json!({ "behavior": "allow", "downloadPath": dir.path().to_str().unwrap() }),
    )
    .await;
    b.click("[data-testid=review-download-html]").await;
    b.wait_for("[data-testid=review-link][data-format=html]", TIMEOUT)
        .await;
    let expected_html = review::render(&compared, "html");
    let linked = b
        .js(
            "return fetch(document.querySelector('[data-testid=review-link][data-format=html]').href).then(r => r.text());",
            vec![],
        )
        .await;
    assert_eq!(linked.as_str(), Some(expected_html.as_str()));
    let file = dir.path().join("review-sample-review.html");
    let deadline = std::time::Instant::now() + TIMEOUT;
    while !file.exists() && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    match std::fs::read_to_string(&file) {
        Ok(downloaded) => assert_eq!(downloaded, expected_html),
        Err(e) => report(&format!(
            "the browser kept no download file ({e}); the download's object URL was checked"
        )),
    }

    // Compared with a file: the plan as imported (the same as before the edit).
    let path = write_file(dir.path(), "old-plan.json", &text);
    b.wait_for("[data-testid=review-file]", TIMEOUT)
        .await
        .send_keys(path.to_str().unwrap())
        .await
        .unwrap();
    b.wait_until(
        "document.querySelector('[data-testid=review-report]') && document.querySelector('[data-testid=review-report]').textContent.includes('Change from old-plan.json')",
        TIMEOUT,
    )
    .await;
    assert_eq!(
        b.js(
            "return document.querySelector('[data-testid=review-against]').value;",
            vec![]
        )
        .await,
        json!("file:old-plan.json")
    );

    // An edit (Undo, from the keyboard) makes the review out of date; Refresh reviews again.
    b.click("#review-title").await;
    press(&b, 'z', &[fantoccini::key::Key::Control]).await;
    b.wait_for("[data-testid=review][data-stale=true]", TIMEOUT)
        .await;
    assert!(b
        .text("[data-testid=review-status]")
        .await
        .starts_with("Out of date"));
    b.click("[data-testid=review-refresh]").await;
    b.wait_for(
        "[data-testid=review][data-stale=false][aria-busy=false]",
        TIMEOUT,
    )
    .await;
    assert_clean_console(&b).await;
    b.close().await;
}
