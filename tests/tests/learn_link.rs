//! Learn: a link opens a given scenario and variant (`#learn/ID/N`) and survives a reload; it
//! never touches the user's plan (saved or open), which comes back exactly as it was, undo
//! history included, when Learn is left; a share link (`#plan=...`) is not mistaken for one.

mod learn_common;
mod shell_common;

use e2e::{Harness, TIMEOUT};
use learn_common::*;
use shell_common::*;

/// The user's own work: a sample plan imported and one instance drained (an undoable edit);
/// the undo button's title, which names that edit.
async fn drained_sample(b: &e2e::Browser) -> serde_json::Value {
    open(b).await;
    paste_import(b, &sample("mixed-memberof.json")).await;
    wait_plan_name(b, "Mixed instance types with memberOf").await;
    b.click("[data-testid=instance] [data-testid=drain]").await;
    b.wait_until(
        "!document.querySelector('[data-testid=undo]').disabled",
        TIMEOUT,
    )
    .await;
    b.js(
        "return document.querySelector('[data-testid=undo]').title;",
        vec![],
    )
    .await
}

#[tokio::test]
async fn a_link_opens_a_scenario_and_leaving_gives_the_users_plan_back() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    let undo = drained_sample(&b).await;
    let tasks = n(&b, "[data-testid=task]").await;
    b.wait_until(
        &format!(
            "localStorage.getItem('{PLAN_KEY}') && localStorage.getItem('{PLAN_KEY}').includes('DRAINING')"
        ),
        TIMEOUT,
    )
    .await;
    let saved = b.local_storage(PLAN_KEY).await.unwrap();

    // A link to variant 2 of a scenario: its plan on the board, the user's plan untouched.
    b.open("/#learn/stuck-75-100/2").await;
    b.wait_for(
        "[data-testid=learn-panel][data-id=stuck-75-100][data-variant=\"2\"]",
        SLOW,
    )
    .await;
    wait_plan_name(&b, "75/100").await;
    assert_eq!(
        b.local_storage(PLAN_KEY).await.as_deref(),
        Some(saved.as_str())
    );
    // An edit in the scenario is not saved over the user's plan.
    b.click("[data-testid=instance] [data-testid=drain]").await;
    b.wait_until(
        "!document.querySelector('[data-testid=undo]').disabled",
        TIMEOUT,
    )
    .await;
    assert_eq!(
        b.local_storage(PLAN_KEY).await.as_deref(),
        Some(saved.as_str())
    );
    // The page's own section links do not leave Learn, nor does Back from them replay it.
    b.click("a[href='#cluster']").await;
    b.client().back().await.unwrap();
    b.wait_until("location.hash === '#learn/stuck-75-100/2'", TIMEOUT)
        .await;
    assert_eq!(
        n(&b, "[data-testid=learn-panel][data-variant=\"2\"]").await,
        1
    );
    assert!(
        !b.js(
            "return document.querySelector('[data-testid=undo]').disabled;",
            vec![]
        )
        .await
        .as_bool()
        .unwrap(),
        "the scenario was not opened again: its edit is still there"
    );
    // A reload keeps the link (and the user's plan).
    reload(&b).await;
    b.wait_for(
        "[data-testid=learn-panel][data-id=stuck-75-100][data-variant=\"2\"]",
        SLOW,
    )
    .await;
    assert_eq!(
        b.local_storage(PLAN_KEY).await.as_deref(),
        Some(saved.as_str())
    );

    // Leaving Learn: the user's plan as it was.
    b.click("[data-testid=learn-leave]").await;
    wait_plan_name(&b, "Mixed instance types with memberOf").await;
    assert_eq!(n(&b, "[data-testid=learn-panel]").await, 0);
    assert!(!b.current_url().await.contains("#learn"));
    assert_eq!(n(&b, "[data-testid=task]").await, tasks);
    assert_eq!(
        b.local_storage(PLAN_KEY).await.as_deref(),
        Some(saved.as_str())
    );
    b.close().await;

    // In the same session (no reload), leaving also gives the undo history back.
    let b = h.browser().await;
    let before = drained_sample(&b).await;
    assert_eq!(before, undo);
    open_learn(&b).await;
    b.click("[data-testid=topic][data-topic=rolling-updates] summary")
        .await;
    b.click("[data-testid=topic][data-topic=rolling-updates] [data-id=stuck-75-100] a")
        .await;
    wait_scenario(&b, "stuck-75-100").await;
    b.click("[data-testid=learn-leave]").await;
    wait_plan_name(&b, "Mixed instance types with memberOf").await;
    let after = b
        .js(
            "return document.querySelector('[data-testid=undo]').title;",
            vec![],
        )
        .await;
    assert_eq!(after, before, "the undo history is the user's again");
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn share_links_and_unknown_scenarios() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    paste_import(&b, &sample("mixed-memberof.json")).await;
    wait_plan_name(&b, "Mixed instance types with memberOf").await;
    b.click("[data-testid=share]").await;
    let link = share_link(&b).await;
    assert!(link.contains("#plan="));
    b.close().await;

    // A share link opens its plan, not Learn; Learn still opens afterwards.
    let b = h.browser().await;
    b.open(&link).await;
    b.wait_for("[data-testid=link-banner]", TIMEOUT).await;
    wait_plan_name(&b, "Mixed instance types with memberOf").await;
    assert_eq!(n(&b, "[data-testid=learn-home]").await, 0);
    assert_eq!(n(&b, "[data-testid=learn-panel]").await, 0);
    // A scenario that does not exist: said, with the list to choose from.
    b.open("/#learn/no-such-scenario").await;
    let error = b.text("[data-testid=learn-error]").await;
    assert!(error.contains("no-such-scenario"), "{error}");
    b.wait_for("[data-testid=learn-topics]", SLOW).await;
    wait_plan_name(&b, "Mixed instance types with memberOf").await;
    b.close().await;
}
