//! Share links: the Share button puts the plan in the URL fragment and offers the link; the
//! link opens the plan in a fresh browser profile, wins over a saved plan (saying so, with undo
//! and the recent plans to get it back: `page_hostile.rs`), and a damaged link shows the
//! engine's message and keeps the saved plan.

mod board_common;
mod shell_common;

use board_common::*;
use e2e::{Harness, TIMEOUT};
use fantoccini::key::Key;
use serde_json::json;
use shell_common::*;

#[tokio::test]
async fn a_share_link_round_trips_through_a_fresh_profile_and_wins_over_the_saved_plan() {
    let Some(h) = Harness::start() else { return };
    let a = h.browser().await;
    open(&a).await;
    let loaded = resources(&a).await;
    // A plan that differs from the default: one more instance.
    let item = palette_item(&a, "m6g.xlarge").await;
    drag(&a, &item, LANE_A, Pointer::Mouse).await;
    wait_status(&a, "Added 1 × m6g.xlarge in us-east-1a").await;
    a.click("[data-testid=share]").await;
    a.wait_for("[data-testid=share-popover]", TIMEOUT).await;
    let link = share_link(&a).await;
    assert!(link.contains("/#plan=v1."), "{link}");
    assert_eq!(a.current_url().await, link, "the address holds the link");
    a.wait_until(
        "!document.querySelector('[data-testid=share-status]').textContent.startsWith('Copying')",
        TIMEOUT,
    )
    .await;
    a.screenshot("board-share.png").await;
    // The engine worker (the page's own file) packs the link: nothing else is loaded.
    let after: Vec<String> = resources(&a)
        .await
        .into_iter()
        .filter(|r| !r.contains("/engine-worker"))
        .collect();
    assert_eq!(after, loaded, "sharing makes no request");
    // Once the plan changes, the address no longer claims to hold it.
    press(&a, Key::Escape, &[]).await;
    a.wait_for_absent("[data-testid=share-popover]", TIMEOUT)
        .await;
    a.click("[data-testid=instance][data-instance-id='i-0a1f3c5e7b9d10001'] [data-testid=drain]")
        .await;
    a.wait_until("!location.hash", TIMEOUT).await;
    assert_clean_console(&a).await;
    a.close().await;

    // A fresh profile: the link's plan opens.
    let b = h.browser().await;
    b.open(&link).await;
    b.wait_for(READY, TIMEOUT).await;
    wait_count(&b, "[data-testid=instance]", 5).await;
    b.wait_for(
        "[data-testid=instance][data-instance-id='i-planner0001']",
        TIMEOUT,
    )
    .await;
    let banner = b.text("[data-testid=link-banner]").await;
    assert_eq!(
        banner.lines().next().unwrap_or_default(),
        "Opened the plan from the link."
    );
    b.wait_until("!location.hash", TIMEOUT).await;
    // It is saved like any plan: a reload shows it without the link.
    reload(&b).await;
    wait_count(&b, "[data-testid=instance]", 5).await;
    assert_eq!(count(&b, "[data-testid=link-banner]").await, 0);
    assert_clean_console(&b).await;
    b.close().await;

    // A profile with a saved plan of its own: the link wins, says so, and undo brings it back.
    let c = h.browser().await;
    open(&c).await;
    c.click("[data-testid=instance][data-instance-id='i-0b2e4d6f8a0c20004'] [data-testid=drain]")
        .await;
    c.wait_for("[data-testid=draining]", TIMEOUT).await;
    c.open("about:blank").await;
    c.open(&link).await;
    c.wait_for(READY, TIMEOUT).await;
    wait_count(&c, "[data-testid=instance]", 5).await;
    let banner = c.text("[data-testid=link-banner]").await;
    assert!(
        banner.contains(
            "It replaces the plan saved in this browser, which is kept in Import › Recent plans (Undo, Ctrl+Z, also brings it back)."
        ),
        "{banner}"
    );
    assert_eq!(count(&c, "[data-testid=draining]").await, 0);
    c.screenshot("board-link-opened.png").await;
    c.click("[data-testid=undo]").await;
    wait_count(&c, "[data-testid=instance]", 4).await;
    c.wait_for("[data-testid=draining]", TIMEOUT).await;
    assert_clean_console(&c).await;
    c.close().await;
}

#[tokio::test]
async fn a_damaged_link_shows_the_engines_message_and_keeps_the_saved_plan() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open_damaged_link_over_saved_work(&b).await;
    let banner = b
        .wait_for("[data-testid=link-banner][data-kind=link-damaged]", TIMEOUT)
        .await;
    let text = banner.text().await.unwrap();
    assert!(
        text.contains(
            "The link could not be opened: the link is damaged or too large to be a plan."
        ),
        "{text}"
    );
    assert!(text.contains("Fix: copy the whole link again."), "{text}");
    assert!(text.contains("The plan that was open stays."), "{text}");
    b.wait_for("[data-testid=draining]", TIMEOUT).await;
    assert_eq!(count(&b, "[data-testid=instance]").await, 4);
    // A link from a newer planner says so.
    b.open("/#plan=v9.abc").await;
    b.wait_until(
        "(document.querySelector('[data-testid=link-banner]') || {textContent: ''}).textContent.includes('newer ECS Planner')",
        TIMEOUT,
    )
    .await;
    b.screenshot("board-link-damaged.png").await;
    assert_eq!(
        b.js(
            "return document.querySelectorAll('[data-testid=draining]').length;",
            vec![]
        )
        .await,
        json!(1)
    );
    assert_clean_console(&b).await;
    b.close().await;
}
