//! The service editor in the built page: the query editor marks a syntax error as you type,
//! the placement strategy chain reorders by pointer drag and by keyboard, the capacity provider
//! strategy and deployment configuration show the engine's findings in place with their fixes,
//! and every change is one step of undo and redo.

mod editors_common;
mod shell_common;

use e2e::TIMEOUT;
use editors_common::*;
use fantoccini::key::Key;
use serde_json::json;
use shell_common::*;

#[tokio::test]
async fn a_constraint_with_a_syntax_error_is_marked_as_you_type() {
    let Some(h) = e2e::Harness::start() else {
        return;
    };
    let b = h.browser().await;
    open(&b).await;
    open_sample(&b, "mixed-memberof", "Mixed instance types with memberOf").await;
    open_service(&b, "feature-batch").await;
    let input = "[data-testid=constraint][data-index='0'] [data-testid=cql-input]";
    assert_eq!(
        value(&b, input).await,
        "attribute:ecs.instance-type =~ m5.* and not(attribute:ecs.instance-type =~ .*metal)"
    );
    b.wait_until(
        "document.querySelector('[data-testid=cql-message]').textContent.startsWith('Parses')",
        TIMEOUT,
    )
    .await;

    // Typed key by key: the error is there before the box is left.
    type_into(&b, input, "attribute:ecs.instance-type is m5.large", None).await;
    b.wait_for("[data-testid=cql-error-span]", TIMEOUT).await;
    assert_eq!(b.text("[data-testid=cql-error-span]").await, "is");
    let message = b.text("[data-testid=cql-error]").await;
    assert!(
        message.starts_with("Column 29: expected an operator"),
        "{message}"
    );
    assert!(message.contains("found \"is\""), "{message}");
    assert_eq!(
        b.js(
            "const e = document.querySelector('[data-testid=cql-error]'); return [e.dataset.column, e.dataset.width];",
            vec![]
        )
        .await,
        json!(["29", "2"])
    );
    // The underline sits under the characters it marks.
    let under = b
        .js(
            "const m = document.querySelector('[data-testid=cql-error-span]').getBoundingClientRect();\
             const i = document.querySelector(arguments[0]).getBoundingClientRect();\
             return m.left > i.left + 100 && m.right < i.right && m.width > 8;",
            vec![json!(input)],
        )
        .await;
    assert_eq!(under, json!(true), "the marked span lines up with \"is\"");
    assert_eq!(
        b.js(
            "return document.querySelector(arguments[0]).getAttribute('aria-invalid');",
            vec![json!(input)]
        )
        .await,
        json!("true")
    );
    scroll_to(&b, "[data-testid=constraints]").await;
    b.screenshot("editor-service-cql-error.png").await;
    // Enter does not apply an expression that does not parse.
    let before = undo_title(&b).await;
    let el = b.wait_for(input, TIMEOUT).await;
    el.send_keys(&char::from(Key::Enter).to_string())
        .await
        .unwrap();
    assert_eq!(undo_title(&b).await, before, "nothing applied");

    // A hint for a misspelt keyword.
    type_into(
        &b,
        input,
        "attribute:stack == prod AND attribute:tier == tools",
        None,
    )
    .await;
    b.wait_for("[data-testid=cql-hint]", TIMEOUT).await;
    assert_eq!(b.text("[data-testid=cql-error-span]").await, "AND");

    // Fixed: applied with Enter, one named edit, and the board's service row says so.
    type_into(
        &b,
        input,
        "attribute:ecs.instance-type == m5.large",
        Some(Key::Enter),
    )
    .await;
    b.wait_for_absent("[data-testid=cql-error-span]", TIMEOUT)
        .await;
    wait_undo_says(&b, "changed the placement constraints of feature-batch").await;
    b.click("[data-testid=editor-close]").await;
    b.wait_until(
        "Array.from(document.querySelectorAll('[data-service=feature-batch] .constraint')).some(e => e.textContent.includes('m5.large'))",
        TIMEOUT,
    )
    .await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn the_strategy_chain_reorders_by_pointer_drag_and_by_keyboard() {
    let Some(h) = e2e::Harness::start() else {
        return;
    };
    let b = h.browser().await;
    open(&b).await;
    open_service(&b, "web").await;
    let zone = "spread(attribute:ecs.availability-zone)";
    let inst = "spread(instanceId)";
    wait_strategies(&b, &[zone, inst]).await;
    b.screenshot("editor-service.png").await;

    // Drag the first strategy's handle below the second (pointer actions).
    let (_, y0) = centre(&b, "[data-testid=strategy-item][data-index='0']").await;
    let (_, y1) = centre(&b, "[data-testid=strategy-item][data-index='1']").await;
    let handle = b
        .wait_for(
            "[data-testid=strategy-item][data-index='0'] [data-testid=strategy-handle]",
            TIMEOUT,
        )
        .await;
    drag_by(&b, handle, 0.0, y1 - y0 + 12.0, true).await;
    // While dragging: the item is marked and the place it would land is shown.
    b.wait_for(
        "[data-testid=strategy-item].dragging[data-index='0']",
        TIMEOUT,
    )
    .await;
    b.wait_for(
        "[data-testid=strategy-item].drop-after[data-index='1']",
        TIMEOUT,
    )
    .await;
    b.screenshot("editor-service-dragging.png").await;
    release(&b).await;
    wait_strategies(&b, &[inst, zone]).await;
    wait_undo_says(&b, &format!("moved {zone} to position 2 in service web")).await;

    // Keyboard: Alt+ArrowUp on the second strategy moves it back up, focus follows it.
    b.click("[data-testid=strategy-item][data-index='1'] [data-testid=strategy-handle]")
        .await;
    chord(&b, Key::Alt, Key::Up).await;
    wait_strategies(&b, &[zone, inst]).await;
    let focused = b
        .js(
            "return document.activeElement.closest('[data-testid=strategy-item]').dataset.index;",
            vec![],
        )
        .await;
    assert_eq!(focused, json!("0"), "the focus moved with the strategy");
    // The page's live line says what the edit did.
    b.wait_until(
        "document.querySelector('[data-testid=status]').textContent.startsWith('Moved spread(attribute:ecs.availability-zone) to position 1 in service web')",
        TIMEOUT,
    )
    .await;
    // And the Move down button.
    b.click("[data-testid=strategy-item][data-index='0'] [data-testid=strategy-down]")
        .await;
    wait_strategies(&b, &[inst, zone]).await;

    // A field the strategy does not take is the engine's finding, fixed in one click.
    let select = b
        .wait_for(
            "[data-testid=strategy-item][data-index='1'] [data-testid=strategy-type]",
            TIMEOUT,
        )
        .await;
    select.select_by_value("binpack").await.unwrap();
    wait_strategies(&b, &[inst, "binpack(memory)"]).await;
    type_into(
        &b,
        "[data-testid=strategy-item][data-index='1'] [data-testid=strategy-field]",
        "memroy",
        Some(Key::Tab),
    )
    .await;
    b.wait_for(
        "[data-testid=strategy-item][data-index='1'] [data-testid=field-finding][data-code=strategy-field]",
        TIMEOUT,
    )
    .await;
    b.click("[data-testid=strategy-item][data-index='1'] [data-testid=quick-fix]")
        .await;
    wait_strategies(&b, &[inst, "binpack(memory)"]).await;
    b.wait_for_absent(
        "[data-testid=field-finding][data-code=strategy-field]",
        TIMEOUT,
    )
    .await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn strategy_and_deployment_findings_show_in_place_and_undo_walks_back() {
    let Some(h) = e2e::Harness::start() else {
        return;
    };
    let b = h.browser().await;
    open(&b).await;
    open_service(&b, "web").await;

    // Desired count: one edit, seen on the board.
    type_into(&b, "[data-testid=desired-count]", "6", Some(Key::Tab)).await;
    wait_count(&b, "[data-testid=task][data-task-id^='web-']", 6).await;
    wait_undo_says(&b, "set web to 6 tasks").await;

    // Adding a provider offers the next one, FARGATE: mixing it with an Auto Scaling group
    // provider is the engine's strategy-mixed-providers error, shown under the strategy.
    b.click("[data-testid=cp-add]").await;
    wait_count(&b, "[data-testid=cp-item]", 2).await;
    wait_value(
        &b,
        "[data-testid=cp-item][data-index='1'] [data-testid=cp-provider]",
        "FARGATE",
    )
    .await;
    b.wait_for(
        "[data-field=capacityProviderStrategy] [data-testid=field-finding][data-code=strategy-mixed-providers]",
        TIMEOUT,
    )
    .await;
    // Two bases: strategy-single-base, next to the second base, with its fix.
    type_into(
        &b,
        "[data-testid=cp-item][data-index='0'] [data-testid=cp-base]",
        "1",
        Some(Key::Tab),
    )
    .await;
    type_into(
        &b,
        "[data-testid=cp-item][data-index='1'] [data-testid=cp-base]",
        "2",
        Some(Key::Tab),
    )
    .await;
    let finding = "[data-field='capacityProviderStrategy[1].base'] [data-testid=field-finding][data-code=strategy-single-base]";
    b.wait_for(finding, TIMEOUT).await;
    scroll_to(&b, "[data-testid=cp-strategy]").await;
    b.screenshot("editor-service-findings.png").await;
    b.click(&format!("{finding} [data-testid=quick-fix]")).await;
    b.wait_for_absent(finding, TIMEOUT).await;
    wait_value(
        &b,
        "[data-testid=cp-item][data-index='1'] [data-testid=cp-base]",
        "",
    )
    .await;

    // Maximum 100 % with 100 % healthy: the deployment cannot make progress (a warning).
    type_into(&b, "[data-testid=max-percent]", "100", Some(Key::Tab)).await;
    let stuck = "[data-field=deploymentConfiguration] [data-testid=field-finding][data-code=deployment-cannot-progress]";
    b.wait_for(stuck, TIMEOUT).await;
    assert!(b
        .text(stuck)
        .await
        .contains("neither stop an old task nor start a new one"));
    b.click(&format!("{stuck} [data-testid=quick-fix]")).await;
    b.wait_for_absent(stuck, TIMEOUT).await;
    wait_value(&b, "[data-testid=max-percent]", "200").await;

    // Undo walks back through the editor's changes one at a time; redo replays one.
    wait_undo_says(&b, "set maximumPercent to 200 (the default) in service web").await;
    b.click("[data-testid=undo]").await;
    wait_value(&b, "[data-testid=max-percent]", "100").await;
    b.wait_for(stuck, TIMEOUT).await;
    b.click("[data-testid=undo]").await;
    wait_value(&b, "[data-testid=max-percent]", "200").await;
    b.click("[data-testid=redo]").await;
    wait_value(&b, "[data-testid=max-percent]", "100").await;
    // Keep undoing to the desired count (fix, base, base, provider added).
    for _ in 0..5 {
        b.click("[data-testid=undo]").await;
    }
    wait_value(&b, "[data-testid=desired-count]", "6").await;
    b.click("[data-testid=undo]").await;
    wait_value(&b, "[data-testid=desired-count]", "4").await;
    wait_count(&b, "[data-testid=cp-item]", 1).await;
    assert!(b
        .js(
            "return document.querySelector('[data-testid=undo]').disabled;",
            vec![]
        )
        .await
        .as_bool()
        .unwrap());
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn the_editors_fit_a_tablet_and_read_in_dark_mode() {
    let Some(h) = e2e::Harness::start() else {
        return;
    };
    let b = h.browser().await;
    b.client().set_window_size(820, 1180).await.expect("resize");
    open(&b).await;
    let fits = "document.documentElement.scrollWidth <= window.innerWidth";
    open_service(&b, "web").await;
    assert_eq!(b.js(&format!("return {fits};"), vec![]).await, json!(true));
    b.click("[data-testid=editor-close]").await;
    // Focus goes back to the list's button.
    b.wait_until(
        "document.activeElement && document.activeElement.dataset.edit === 'service:web'",
        TIMEOUT,
    )
    .await;
    open_task_definition(&b, 0).await;
    assert_eq!(
        b.js(&format!("return {fits};"), vec![]).await,
        json!(true),
        "the task definition editor fits 820 px"
    );
    scroll_to(&b, "[data-testid=task-definition-editor]").await;
    b.screenshot("editor-task-definition-tablet.png").await;
    b.click("[data-testid=editor-close]").await;

    b.client().set_window_size(1280, 800).await.expect("resize");
    emulate_color_scheme(&b, "dark").await;
    open_sample(&b, "mixed-memberof", "Mixed instance types with memberOf").await;
    open_service(&b, "feature-batch").await;
    type_into(
        &b,
        "[data-testid=constraint][data-index='0'] [data-testid=cql-input]",
        "attribute:ecs.instance-type =~ m5.* and",
        None,
    )
    .await;
    b.wait_for("[data-testid=cql-error-span].at-end", TIMEOUT)
        .await;
    type_into(&b, "[data-testid=max-percent]", "100", Some(Key::Tab)).await;
    type_into(&b, "[data-testid=min-healthy]", "100", Some(Key::Tab)).await;
    b.wait_for(
        "[data-testid=field-finding][data-code=deployment-cannot-progress]",
        TIMEOUT,
    )
    .await;
    scroll_to(&b, "[data-testid=constraints]").await;
    b.screenshot("editor-service-dark.png").await;
    assert_clean_console(&b).await;
    b.close().await;
}
