//! Learn with the keyboard only: from the header to a topic, a scenario, an answer and the
//! engine's verdict, with the focus moved where the page changed and the live line saying what
//! happened; focus is visible. Then the views in dark mode and at tablet width.

mod board_common;
mod learn_common;
mod shell_common;

use board_common::*;
use e2e::{Harness, TIMEOUT};
use fantoccini::key::Key;
use learn_common::*;
use shell_common::*;

/// Whether the focused element shows a focus outline.
async fn focus_visible(b: &e2e::Browser) -> bool {
    b.js(
        "const a = document.activeElement; const s = getComputedStyle(a);\
         return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;",
        vec![],
    )
    .await
    .as_bool()
    .unwrap_or(false)
}

#[tokio::test]
async fn a_scenario_is_played_with_the_keyboard_only() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    tab_to(&b, "[data-testid=learn-open]", 10).await;
    assert!(focus_visible(&b).await);
    press(&b, Key::Enter, &[]).await;
    b.wait_for("[data-testid=learn-topics]", SLOW).await;
    b.wait_until("document.activeElement.id === 'learn-home-title'", TIMEOUT)
        .await;
    // A topic opens with Enter; its scenarios are links.
    tab_to(&b, "[data-topic=rolling-updates] summary", 80).await;
    assert!(focus_visible(&b).await);
    press(&b, Key::Enter, &[]).await;
    tab_to(
        &b,
        "[data-topic=rolling-updates] [data-id=stuck-75-100] a",
        10,
    )
    .await;
    press(&b, Key::Enter, &[]).await;
    wait_scenario(&b, "stuck-75-100").await;
    b.wait_until("document.activeElement.id === 'learn-title'", TIMEOUT)
        .await;
    assert!(said(&b)
        .await
        .starts_with("Predict: Does a 75 % / 100 % deployment finish?"));

    // A hint, then the choices: arrow keys choose, the button checks.
    tab_to(&b, "[data-testid=choice] input", 5).await;
    let right = match right_answer("stuck-75-100", 0) {
        Right::Choice(c) => c,
        other => panic!("{other:?}"),
    };
    for _ in 0..4 {
        let on = b.js("return document.activeElement.value;", vec![]).await;
        if on.as_str() == Some(right.as_str()) {
            break;
        }
        press(&b, Key::Down, &[]).await;
    }
    assert!(focus_visible(&b).await || focused_is(&b, "input:checked").await);
    tab_to(&b, "[data-testid=learn-submit]", 3).await;
    press(&b, Key::Enter, &[]).await;
    wait_result(&b).await;
    assert!(result_correct(&b).await);
    b.wait_until(
        "document.activeElement.id === 'learn-result-title'",
        TIMEOUT,
    )
    .await;
    assert!(said(&b).await.starts_with("Right."));
    // Play the right choice in the time view from the keyboard.
    tab_to(&b, "[data-testid=play-choice]", 40).await;
    press(&b, Key::Enter, &[]).await;
    b.wait_for("[data-testid=play-choice][aria-pressed=true]", TIMEOUT)
        .await;
    assert!(
        focused_is(&b, "[data-testid=play-choice]").await,
        "the focus stays on the button"
    );
    // Back to the list.
    tab_to(&b, "[data-testid=learn-list]", 10).await;
    press(&b, Key::Enter, &[]).await;
    b.wait_for("[data-testid=learn-topics]", SLOW).await;
    b.wait_for(
        "[data-testid=scenario][data-id=stuck-75-100][data-status=right]",
        TIMEOUT,
    )
    .await;
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn the_views_in_dark_mode_and_at_tablet_width() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    emulate_color_scheme(&b, "dark").await;
    open_at(&b, "/#learn").await;
    b.wait_for("[data-testid=learn-topics]", SLOW).await;
    b.click("[data-testid=topic][data-topic=iam-roles] summary")
        .await;
    b.screenshot("learn-list-dark.png").await;
    let bg = b
        .js(
            "return getComputedStyle(document.body).backgroundColor;",
            vec![],
        )
        .await;
    assert_eq!(bg.as_str(), Some("rgb(18, 21, 28)"), "the dark theme");
    // A topic the engine does not simulate: labelled so, before and after the answer.
    open_at(&b, "/#learn/eks-storage").await;
    wait_scenario(&b, "eks-storage").await;
    assert!(b
        .text("[data-testid=not-simulated]")
        .await
        .contains("Not simulated"));
    answer_choice(&b, &wrong_choice("eks-storage", 0)).await;
    assert!(b
        .text("[data-testid=learn-result]")
        .await
        .contains("Not simulated"));
    assert_eq!(
        n(&b, "[data-testid=play-choice]").await,
        0,
        "nothing to play out"
    );
    b.screenshot("learn-classify-dark.png").await;

    // Tablet width: nothing wider than the window.
    b.client().set_window_size(820, 1180).await.unwrap();
    b.wait_until("innerWidth <= 840", TIMEOUT).await;
    open_at(&b, "/#learn/where-web-5-lands").await;
    wait_scenario(&b, "where-web-5-lands").await;
    b.click("[data-testid=learn-hint]").await;
    b.wait_for("[data-testid=learn-hints] li", TIMEOUT).await;
    assert!(
        focused_is(&b, "[data-testid=learn-hint]").await,
        "the focus stays on Show a hint"
    );
    let wide = b
        .js(
            "return document.documentElement.scrollWidth - innerWidth;",
            vec![],
        )
        .await;
    assert!(
        wide.as_i64().unwrap_or(99) <= 0,
        "horizontal overflow: {wide}"
    );
    b.screenshot("learn-tablet.png").await;
    open_at(&b, "/#learn").await;
    b.wait_for("[data-testid=learn-topics]", SLOW).await;
    let wide = b
        .js(
            "return document.documentElement.scrollWidth - innerWidth;",
            vec![],
        )
        .await;
    assert!(
        wide.as_i64().unwrap_or(99) <= 0,
        "horizontal overflow: {wide}"
    );
    b.screenshot("learn-list-tablet.png").await;
    assert_clean_console(&b).await;
    b.close().await;
}
