//! The page against hostile input: its Content-Security-Policy (only its own files, no network
//! at all) with the page working under it; a share link opened over saved work (the work is
//! kept in the recent plans and restores); a damaged link that cannot come back on reload;
//! copies of unreadable saved plans limited to the last few; names with quotes, backslashes and
//! line breaks used in CSS selectors.

mod board_common;
mod shell_common;

use board_common::*;
use e2e::{Browser, Harness, TIMEOUT};
use serde_json::{json, Value};
use shell_common::*;

const RECENT_KEY: &str = "ecs-planner.recent.v1";

/// The page's policy, from its meta tag.
async fn csp(b: &Browser) -> String {
    b.js(
        "const m = document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]');\
         return m ? m.content : null;",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Starts counting the page's CSP violations (from now on).
async fn count_violations(b: &Browser) {
    b.js(
        "window.__violations = [];\
         document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));",
        vec![],
    )
    .await;
}

async fn violations(b: &Browser) -> Vec<String> {
    b.js("return window.__violations || [];", vec![])
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn the_page_has_a_csp_that_allows_only_its_own_files_and_works_under_it() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    let policy = csp(&b).await;
    for directive in [
        "default-src 'self'",
        "connect-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ] {
        assert!(policy.contains(directive), "{directive} in {policy}");
    }
    assert!(!policy.contains("'unsafe-eval'"), "{policy}");
    assert!(!policy.contains("http"), "no other origin: {policy}");
    // Loaded and drawn under the policy with no violation (they are console errors).
    assert_clean_console(&b).await;
    // Working with the page raises none either: a drag, the import dialog, an export, the
    // time view with its plots, the share link.
    count_violations(&b).await;
    let item = palette_item(&b, "m6g.xlarge").await;
    drag(&b, &item, LANE_A, Pointer::Mouse).await;
    wait_status(&b, "Added 1 × m6g.xlarge in us-east-1a").await;
    b.click("[data-testid=import-open]").await;
    b.wait_for("[data-testid=import-dialog]", TIMEOUT).await;
    b.click("[data-testid=import-dialog] .close").await;
    b.click("[data-testid=export]").await;
    b.wait_for("[data-testid=export-link]", TIMEOUT).await;
    b.click("[data-testid=share]").await;
    b.wait_for("[data-testid=share-popover]", TIMEOUT).await;
    b.screenshot("page-csp.png").await;
    assert_eq!(violations(&b).await, Vec::<String>::new());
    assert_clean_console(&b).await;
    // And nothing reaches the network: a request elsewhere is refused by the policy.
    let refused = b
        .client()
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             document.addEventListener('securitypolicyviolation', e => done(e.violatedDirective), {once: true});\
             fetch('http://example.invalid/x').catch(() => {});",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(refused, json!("connect-src"));
    b.close().await;
}

/// A share link to the fargate-spot sample, made by the page's Share button.
async fn link_to_fargate_spot(h: &Harness) -> String {
    let a = h.browser().await;
    open(&a).await;
    paste_import(&a, &sample("fargate-spot.json")).await;
    wait_plan_name(&a, "Fargate with a Spot share").await;
    a.click("[data-testid=share]").await;
    let link = share_link(&a).await;
    a.close().await;
    link
}

#[tokio::test]
async fn a_link_opened_over_saved_work_keeps_it_in_the_recent_plans() {
    let Some(h) = Harness::start() else { return };
    let link = link_to_fargate_spot(&h).await;
    let b = h.browser().await;
    open(&b).await;
    // Saved work: an instance set to draining.
    b.click("[data-testid=instance][data-instance-id='i-0b2e4d6f8a0c20004'] [data-testid=drain]")
        .await;
    b.wait_for("[data-testid=draining]", TIMEOUT).await;
    b.wait_until(
        "(localStorage.getItem('ecs-planner.plan.v1') || '').includes('DRAINING')",
        TIMEOUT,
    )
    .await;
    b.open("about:blank").await;
    b.open(&link).await;
    b.wait_for(READY, TIMEOUT).await;
    wait_plan_name(&b, "Fargate with a Spot share").await;
    let banner = b.text("[data-testid=link-banner]").await;
    assert!(
        banner.contains(
            "It replaces the plan saved in this browser, which is kept in Import › Recent plans"
        ),
        "{banner}"
    );
    // Autosave has overwritten the saved plan by now; the old one is in the recent plans.
    b.wait_until(
        "(localStorage.getItem('ecs-planner.plan.v1') || '').includes('Fargate with a Spot share')",
        TIMEOUT,
    )
    .await;
    let recent: Value = serde_json::from_str(&b.local_storage(RECENT_KEY).await.unwrap()).unwrap();
    assert_eq!(recent[0]["name"], json!("Two-AZ web cluster"));
    assert_eq!(recent[0]["why"], json!("the share link"));
    assert!(recent[0]["plan"].as_str().unwrap().contains("DRAINING"));
    // Reachable from the banner and from Import; a reload does not lose it either.
    reload(&b).await;
    open_import(&b).await;
    let item = b.wait_for("[data-testid=recent-plan]", TIMEOUT).await;
    let text = item.text().await.unwrap();
    assert!(text.contains("Two-AZ web cluster"), "{text}");
    assert!(text.contains("replaced by the share link"), "{text}");
    b.screenshot("page-recent-plans.png").await;
    b.click("[data-testid=recent-restore]").await;
    wait_plan_name(&b, "Two-AZ web cluster").await;
    b.wait_for("[data-testid=draining]", TIMEOUT).await;
    assert_eq!(count(&b, "[data-testid=import-dialog]").await, 0);
    // Restoring kept the link's plan in its turn.
    let recent: Value = serde_json::from_str(&b.local_storage(RECENT_KEY).await.unwrap()).unwrap();
    assert_eq!(recent[0]["name"], json!("Fargate with a Spot share"));
    assert_eq!(recent[1]["name"], json!("Two-AZ web cluster"));
    reload(&b).await;
    b.wait_for("[data-testid=draining]", TIMEOUT).await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn a_link_leaves_the_address_bar_before_it_opens_and_never_comes_back() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open_damaged_link_over_saved_work(&b).await;
    b.wait_for("[data-testid=link-banner][data-kind=link-damaged]", TIMEOUT)
        .await;
    assert_eq!(b.js("return location.hash;", vec![]).await, json!(""));
    // Reloading does not open (or fail to open) the link again: the saved work is there.
    reload(&b).await;
    assert_eq!(count(&b, "[data-testid=link-banner]").await, 0);
    b.wait_for("[data-testid=draining]", TIMEOUT).await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn only_the_last_three_unreadable_saved_plans_are_kept_aside() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    for n in 1..=5 {
        b.set_local_storage(
            &format!("ecs-planner.plan.rejected.{n}"),
            &format!("old {n}"),
        )
        .await;
    }
    b.set_local_storage(
        "ecs-planner.plan.v1",
        "{\"schemaVersion\": 1, \"name\": \"half",
    )
    .await;
    reload(&b).await;
    let banner = b.text("[data-testid=banner]").await;
    assert!(banner.contains("ecs-planner.plan.rejected.6"), "{banner}");
    assert!(
        banner.contains("the page keeps the last 3 such copies"),
        "{banner}"
    );
    let kept = b
        .js(
            "return Object.keys(localStorage).filter(k => k.startsWith('ecs-planner.plan.rejected.')).sort();",
            vec![],
        )
        .await;
    assert_eq!(
        kept,
        json!([
            "ecs-planner.plan.rejected.4",
            "ecs-planner.plan.rejected.5",
            "ecs-planner.plan.rejected.6"
        ])
    );
    assert_eq!(
        b.local_storage("ecs-planner.plan.rejected.6")
            .await
            .as_deref(),
        Some("{\"schemaVersion\": 1, \"name\": \"half")
    );
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn names_with_quotes_backslashes_and_line_breaks_work_as_selectors() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    let odd = "i-\"q\\z\nx";
    let mut plan: Value = serde_json::from_str(&sample("two-az-web.json")).unwrap();
    plan["cluster"]["containerInstances"][0]["id"] = json!(odd);
    paste_import(&b, &plan.to_string()).await;
    b.wait_until(
        &format!(
            "Array.from(document.querySelectorAll('[data-testid=instance]')).some(e => e.dataset.instanceId === {})",
            json!(odd)
        ),
        TIMEOUT,
    )
    .await;
    // A drag over that instance marks it (the card is found by a selector with its id).
    let card = "[data-testid=lane][data-az='us-east-1a'] [data-testid=instance]";
    let from = "[data-testid=lane][data-az='us-east-1b'] [data-testid=task]";
    drag_and_hold(&b, from, card).await;
    b.wait_until(
        &format!("document.querySelector(\"{card}\").classList.contains('drop-over')"),
        TIMEOUT,
    )
    .await;
    release(&b).await;
    b.wait_until(
        &format!("!document.querySelector(\"{card}\").classList.contains('drop-over')"),
        TIMEOUT,
    )
    .await;
    assert_clean_console(&b).await;
    b.close().await;
}
