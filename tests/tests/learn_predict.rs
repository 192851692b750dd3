//! Learn: a predict scenario played end to end on the real board: the outcome hidden until
//! the answer, a wrong answer graded by the engine with every choice's consequence, the wrong
//! choice played out on the board, the explanation, misconceptions and AWS pages, another
//! variant; and a predict scenario played out in the time view.

mod learn_common;
mod shell_common;

use e2e::{Harness, TIMEOUT};
use learn_common::*;
use shell_common::*;

#[tokio::test]
async fn a_wrong_answer_is_graded_explained_and_played_out_on_the_board() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open(&b).await;
    // The worker is not part of the first load.
    let loaded = b
        .js(
            "return performance.getEntriesByType('resource').some(e => e.name.includes('engine-worker'));",
            vec![],
        )
        .await;
    assert_eq!(
        loaded,
        serde_json::json!(false),
        "the engine worker loads with Learn, not before"
    );
    open_learn(&b).await;
    b.screenshot("learn-list.png").await;
    b.click("[data-testid=topic][data-topic=placement-strategies] summary")
        .await;
    b.click("[data-testid=topic][data-topic=placement-strategies] [data-id=where-web-5-lands] a")
        .await;
    wait_scenario(&b, "where-web-5-lands").await;
    assert!(b.current_url().await.ends_with("#learn/where-web-5-lands"));
    assert_eq!(n(&b, "[data-testid=choice]").await, 10);
    // The board shows the scenario's cluster, not where the tasks went.
    assert_eq!(n(&b, "[data-testid=instance]").await, 9);
    let hidden = b
        .js(
            "const c = document.querySelector('#board [data-testid=task]'); return c && getComputedStyle(c).visibility;",
            vec![],
        )
        .await;
    assert_eq!(hidden, serde_json::json!("hidden"));
    b.screenshot("learn-predict-before.png").await;

    answer_choice(&b, "i-06").await;
    assert!(!result_correct(&b).await);
    let consequence = b
        .text("[data-testid=outcome-choice][data-choice=i-06] [data-testid=consequence]")
        .await;
    assert!(consequence.contains("DRAINING"), "{consequence}");
    let right = right_choice(&b).await;
    assert_ne!(right, "i-06");
    assert!(b
        .text("[data-testid=learn-explanation]")
        .await
        .contains("web-5 lands on"));
    assert!(n(&b, "[data-testid=misconception]").await >= 1);
    let page = b
        .js(
            "return document.querySelector('[data-testid=aws-page]').href;",
            vec![],
        )
        .await;
    assert!(
        page.as_str()
            .unwrap()
            .starts_with("https://docs.aws.amazon.com/"),
        "{page}"
    );
    // Answered: the board shows where the tasks are, and web-5 is selected with its verdicts.
    b.wait_until("getComputedStyle(document.querySelector('#board [data-testid=task]')).visibility === 'visible'", TIMEOUT).await;
    b.wait_for("[data-testid=explain]", TIMEOUT).await;
    b.screenshot("learn-predict-after.png").await;
    b.js(
        "document.querySelector('[data-testid=learn-result]').scrollIntoView({ block: 'start' }); scrollBy(0, -8);",
        vec![],
    )
    .await;
    b.screenshot("learn-predict-verdict.png").await;

    // The wrong choice, played on the board: i-06 comes into view and its card says why web-5
    // cannot go there (the verdict of the engine's explanation).
    b.click("[data-testid=outcome-choice][data-choice=i-06] [data-testid=play-choice]")
        .await;
    b.wait_for(
        "[data-testid=outcome-choice][data-choice=i-06] [data-testid=play-choice][aria-pressed=true]",
        TIMEOUT,
    )
    .await;
    let verdict = b
        .text("[data-instance-id=i-06] [data-testid=verdict-overlay]")
        .await;
    assert!(
        verdict.contains("eligibility") && verdict.contains("DRAINING"),
        "{verdict}"
    );
    b.wait_until(
        "(() => { const r = document.querySelector('[data-instance-id=i-06]').getBoundingClientRect();\
           return r.bottom > 0 && r.top < innerHeight; })()",
        TIMEOUT,
    )
    .await;
    b.screenshot("learn-predict-choice-played.png").await;

    // Another variant: new numbers, not answered yet.
    b.click("[data-testid=learn-variant]").await;
    b.wait_for("[data-testid=learn-panel][data-variant=\"1\"]", SLOW)
        .await;
    assert_eq!(n(&b, "[data-testid=learn-result]").await, 0);
    assert!(b
        .current_url()
        .await
        .ends_with("#learn/where-web-5-lands/1"));
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn a_deployment_is_predicted_then_played_in_the_time_view_and_a_choice_is_simulated() {
    let Some(h) = Harness::start() else { return };
    let b = h.browser().await;
    open_at(&b, "/#learn/stuck-75-100").await;
    wait_scenario(&b, "stuck-75-100").await;
    // Not run before the answer: the outcome is the question.
    assert_eq!(n(&b, "[data-testid=run-status][data-outcome]").await, 0);
    let right = match right_answer("stuck-75-100", 0) {
        Right::Choice(c) => c,
        other => panic!("{other:?}"),
    };
    let wrong = wrong_choice("stuck-75-100", 0);
    answer_choice(&b, &wrong).await;
    assert!(!result_correct(&b).await);
    assert_eq!(right_choice(&b).await, right);
    // The engine plays the deployment in the time view: its outcome is the right answer.
    b.wait_for(
        &format!("[data-testid=run-status][data-outcome={right}]"),
        SLOW,
    )
    .await;
    assert!(said(&b).await.starts_with("Not quite"));

    // A choice with edits is played out: its plan runs in the time view.
    open_at(&b, "/#learn/scale-out-from-zero").await;
    wait_scenario(&b, "scale-out-from-zero").await;
    answer_choice(&b, "cpu").await;
    assert!(!result_correct(&b).await);
    assert_eq!(right_choice(&b).await, "queue");
    click_centred(
        &b,
        "[data-testid=outcome-choice][data-choice=cpu] [data-testid=play-choice]",
    )
    .await;
    b.wait_until(
        "document.querySelector('[data-testid=time-panel]').dataset.state === 'done'",
        SLOW,
    )
    .await;
    b.wait_for(
        "[data-testid=outcome-choice][data-choice=cpu] [data-testid=play-choice][aria-pressed=true]",
        TIMEOUT,
    )
    .await;
    // CPU target tracking never starts a task from zero: no task in the whole hour.
    assert_eq!(n(&b, "[data-testid=gantt-row]").await, 0);
    click_centred(
        &b,
        "[data-testid=outcome-choice][data-choice=queue] [data-testid=play-choice]",
    )
    .await;
    b.wait_until(
        "document.querySelectorAll('[data-testid=gantt-row]').length > 0",
        SLOW,
    )
    .await;
    b.screenshot("learn-predict-time-view.png").await;
    assert_clean_console(&b).await;
    b.close().await;
}
