//! The built page loads and mounts in headless Chromium.

use std::time::Instant;

use e2e::{report, Harness, TIMEOUT};

#[tokio::test]
async fn page_loads_and_mounts_without_console_errors() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;

    let started = Instant::now();
    b.open("/").await;
    b.wait_for("#app", TIMEOUT).await;
    b.wait_for("[data-ready=true]", TIMEOUT).await;
    report(&format!(
        "navigation to [data-ready=true]: {} ms",
        started.elapsed().as_millis()
    ));

    assert_eq!(b.text("#app h1").await, "ECS Planner");
    let shot = b.screenshot("default-view.png").await;
    report(&format!("screenshot: {}", shot.display()));
    b.assert_no_console_errors().await;
    b.close().await;
}

/// Sample plans in `public/plans/` are served at `/plans/...` as JSON (the content type a
/// static server must give them, so that a user's own copy of `dist/` serves them right).
#[tokio::test]
async fn sample_plans_are_served() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    b.open("/").await;
    let got = b
        .js(
            "return fetch('/plans/two-az-web.json').then(async r => r.headers.get('content-type') + ' ' + r.status + ' ' + (await r.json()).name);",
            vec![],
        )
        .await;
    assert_eq!(
        got.as_str(),
        Some("application/json 200 Two-AZ web cluster"),
        "{got}"
    );
    b.close().await;
}
