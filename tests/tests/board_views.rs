//! The board for everyone: a selected task's verdicts on every instance card, the theme toggle
//! (remembered), 1280×720 and tablet width without sideways scrolling, accessible names on
//! every control, adding and losing zones, removing an instance.

mod board_common;
mod shell_common;

use board_common::*;
use e2e::{Harness, TIMEOUT};
use serde_json::json;
use shell_common::*;

#[tokio::test]
async fn a_selected_task_shows_its_verdict_and_rank_on_every_instance() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    b.click("[data-testid=task][data-task-id='web-2']").await;
    b.wait_for("[data-testid=explain]", TIMEOUT).await;
    wait_count(&b, "[data-testid=verdict-overlay]", 4).await;
    let verdicts = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=instance]')).map(i => {\
               const v = i.querySelector('[data-testid=verdict-overlay]');\
               return [i.dataset.instanceId, v.dataset.verdict, v.textContent]; });",
            vec![],
        )
        .await;
    let verdicts = verdicts.as_array().unwrap();
    let chosen: Vec<_> = verdicts.iter().filter(|v| v[1] == "chosen").collect();
    assert_eq!(chosen.len(), 1, "{verdicts:?}");
    assert!(chosen[0][2]
        .as_str()
        .unwrap()
        .starts_with("✓ web-2 is here · rank 1 of "));
    let host = b
        .js("return document.querySelector('[data-task-id=\"web-2\"]').closest('[data-testid=instance]').dataset.instanceId;", vec![])
        .await;
    assert_eq!(chosen[0][0], host);
    // Every other instance has a rank or a reason; ranks are 2..n.
    for v in verdicts.iter().filter(|v| v[1] == "pass") {
        assert!(v[2].as_str().unwrap().contains("· rank "), "{v}");
    }
    b.screenshot("board-task-selected.png").await;
    // Draining an instance rules it out, with the engine's reason.
    b.click("[data-testid=instance][data-instance-id='i-0b2e4d6f8a0c20004'] [data-testid=drain]")
        .await;
    b.wait_until(
        "(document.querySelector(\"[data-instance-id='i-0b2e4d6f8a0c20004'] [data-testid=verdict-overlay]\") || {textContent: ''}).textContent === '✗ eligibility: instance is DRAINING: it takes no new tasks'",
        TIMEOUT,
    )
    .await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn the_theme_toggle_is_remembered_and_dark_views_are_readable() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    let background = "getComputedStyle(document.body).backgroundColor";
    assert_eq!(
        b.js(&format!("return {background};"), vec![]).await,
        json!("rgb(244, 245, 247)")
    );
    b.click("[data-testid=theme-toggle]").await;
    b.wait_until(&format!("{background} === 'rgb(18, 21, 28)'"), TIMEOUT)
        .await;
    assert_eq!(
        b.js("return document.documentElement.dataset.theme;", vec![])
            .await,
        json!("dark")
    );
    reload(&b).await;
    b.wait_until(&format!("{background} === 'rgb(18, 21, 28)'"), TIMEOUT)
        .await;
    // A selected task's verdicts and the palette, in the dark.
    b.click("[data-testid=task][data-task-id='worker-2']").await;
    wait_count(&b, "[data-testid=verdict-overlay]", 4).await;
    b.screenshot("board-dark.png").await;
    // Light wins over a dark system; the third press follows the system again.
    b.click("[data-testid=theme-toggle]").await;
    emulate_color_scheme(&b, "dark").await;
    b.wait_until(&format!("{background} === 'rgb(244, 245, 247)'"), TIMEOUT)
        .await;
    b.click("[data-testid=theme-toggle]").await;
    b.wait_until(&format!("{background} === 'rgb(18, 21, 28)'"), TIMEOUT)
        .await;
    assert_eq!(
        b.js("return localStorage.getItem('ecs-planner.theme');", vec![])
            .await,
        json!(null)
    );
    assert_clean_console(&b).await;
    b.close().await;
}

async fn assert_fits(b: &e2e::Browser, what: &str) {
    let fits = b
        .js(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await;
    assert!(
        fits[0].as_u64() <= fits[1].as_u64(),
        "{what}: sideways scrolling {fits}"
    );
}

#[tokio::test]
async fn the_board_works_at_1280x720_and_at_tablet_width() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    let chrome = b
        .js("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];", vec![])
        .await;
    let (dw, dh) = (
        chrome[0].as_u64().unwrap() as u32,
        chrome[1].as_u64().unwrap() as u32,
    );
    b.client()
        .set_window_size(1280 + dw, 720 + dh)
        .await
        .expect("resize");
    open(&b).await;
    assert_eq!(
        b.js("return [window.innerWidth, window.innerHeight];", vec![])
            .await,
        json!([1280, 720])
    );
    assert_fits(&b, "1280x720").await;
    // The palette, the status line and the first instances are above the fold.
    let top = b
        .js(
            "return document.querySelector('[data-testid=instance]').getBoundingClientRect().top;",
            vec![],
        )
        .await;
    assert!(top.as_f64().unwrap() < 720.0, "first instance at {top}");
    b.screenshot("board-1280x720.png").await;

    b.client()
        .set_window_size(820 + dw, 1180 + dh)
        .await
        .expect("resize");
    b.wait_until("window.innerWidth === 820", TIMEOUT).await;
    b.click("[data-testid=task][data-task-id='web-1']").await;
    wait_count(&b, "[data-testid=verdict-overlay]", 4).await;
    assert_fits(&b, "820 wide").await;
    // The header's buttons do not cover the name of the app.
    let overlap = b
        .js(
            "const a = document.querySelector('.toolbar h1').getBoundingClientRect();\
             const ok = Array.from(document.querySelectorAll('.actions > *')).every(e => {\
               const r = e.getBoundingClientRect();\
               return r.width === 0 || r.right <= a.left || r.left >= a.right || r.bottom <= a.top || r.top >= a.bottom; });\
             return ok;",
            vec![],
        )
        .await;
    assert_eq!(
        overlap,
        json!(true),
        "the toolbar's actions cover the title"
    );
    b.click("[data-testid=share]").await;
    b.wait_for("[data-testid=share-popover]", TIMEOUT).await;
    assert_fits(&b, "820 wide, share open").await;
    b.screenshot("board-tablet.png").await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn every_control_has_an_accessible_name() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    b.click("[data-testid=task][data-task-id='web-1']").await;
    b.click("[data-testid=share]").await;
    b.wait_for("[data-testid=share-popover]", TIMEOUT).await;
    let nameless = b
        .js(
            "const named = e => (e.getAttribute('aria-label') || '').trim()\
                || (e.labels && Array.from(e.labels).some(l => l.textContent.trim()))\
                || (e.getAttribute('aria-labelledby') && document.getElementById(e.getAttribute('aria-labelledby')))\
                || (['BUTTON', 'A', 'SUMMARY'].includes(e.tagName) && e.textContent.trim())\
                || (e.getAttribute('title') || '').trim();\
             return Array.from(document.querySelectorAll('button, a[href], input, select, textarea, [tabindex]'))\
               .filter(e => !named(e)).map(e => e.outerHTML.slice(0, 120));",
            vec![],
        )
        .await;
    assert_eq!(nameless, json!([]), "controls without an accessible name");
    // One live line for what placement did, one for what a run in the time view said, one for
    // what Learn opened, graded or played.
    assert_eq!(
        b.js(
            "return Array.from(document.querySelectorAll('[aria-live]')).map(e => e.dataset.testid);",
            vec![]
        )
        .await,
        json!(["status", "run-status-text", "learn-said"]),
        "the live lines"
    );
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn zones_are_added_and_lost_and_instances_removed() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    assert_eq!(
        b.js(
            "return document.querySelector('[data-testid=add-zone-name]').value;",
            vec![]
        )
        .await,
        json!("us-east-1c")
    );
    b.click("[data-testid=add-zone]").await;
    wait_status(&b, "Added zone us-east-1c").await;
    wait_count(&b, "[data-testid=lane]", 3).await;
    let item = palette_item(&b, "m5.large").await;
    drag(
        &b,
        &item,
        "[data-testid=lane][data-az='us-east-1c']",
        Pointer::Mouse,
    )
    .await;
    wait_status(&b, "Added 1 × m5.large in us-east-1c").await;
    b.click(&format!("{LANE_A} [data-testid=lose-zone]")).await;
    let status = wait_status(&b, "Lost us-east-1a").await;
    assert!(status.contains("moved"), "{status}");
    assert_eq!(
        lane_counts(&b).await,
        vec![
            ("us-east-1a".to_string(), 0),
            ("us-east-1b".to_string(), 2),
            ("us-east-1c".to_string(), 1)
        ]
    );
    b.screenshot("board-zone-lost.png").await;
    b.click("[data-testid=instance][data-instance-id='i-planner0001'] [data-testid=remove]")
        .await;
    wait_status(&b, "Removed i-planner0001").await;
    wait_count(&b, "[data-testid=instance]", 2).await;
    assert_clean_console(&b).await;
    b.close().await;
}
