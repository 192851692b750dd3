//! Learn: a short practice exam drawn from a seed (the same questions the engine draws
//! natively), answered right, wrong and not at all, then scored per topic with a review of each
//! miss and its explanation; the score is kept.

mod learn_common;
mod shell_common;

use e2e::{Harness, TIMEOUT};
use engine::api::learn::exam::{draw, Question};
use learn_common::*;
use serde_json::json;
use shell_common::*;

fn index() -> engine::api::learn::Index {
    let text =
        std::fs::read_to_string(e2e::workspace_root().join("public/learn/index.json")).unwrap();
    engine::api::learn::parse_index(&text).unwrap()
}

/// A seed whose first two questions are answered by a choice or a number (the third may be
/// anything: it is skipped).
fn seed() -> (u64, Vec<Question>) {
    let index = index();
    (1..500)
        .map(|s| (s, draw(&index, 3, s)))
        .find(|(_, q)| {
            q[..2]
                .iter()
                .all(|q| right_answer(&q.id, q.variant) != Right::Edits)
        })
        .expect("a seed with two predict or classify questions first")
}

#[tokio::test]
async fn a_short_practice_exam_is_scored_per_topic_and_every_miss_reviewed() {
    let Some(h) = Harness::start() else { return };
    let (seed, questions) = seed();
    let b = h.browser().await;
    open(&b).await;
    open_learn(&b).await;
    b.wait_for("[data-testid=exam-size]", TIMEOUT)
        .await
        .select_by_value("3")
        .await
        .unwrap();
    b.wait_for("[data-testid=exam-seed]", TIMEOUT)
        .await
        .send_keys(&seed.to_string())
        .await
        .unwrap();
    b.click("[data-testid=exam-go]").await;

    // Question 1, right; no hints in an exam, and no way out but the exam's own buttons.
    wait_scenario(&b, &questions[0].id).await;
    assert_eq!(
        b.text("[data-testid=exam-question]").await,
        "Question 1 of 3"
    );
    assert!(b
        .text("[data-testid=exam-time]")
        .await
        .starts_with("Time left 4:"));
    assert_eq!(n(&b, "[data-testid=learn-hint]").await, 0);
    assert_eq!(n(&b, "[data-testid=learn-back]").await, 0);
    b.screenshot("learn-exam-question.png").await;
    match right_answer(&questions[0].id, questions[0].variant) {
        Right::Choice(c) => pick(&b, &c).await,
        Right::Number(x) => type_number(&b, &x.to_string()).await,
        Right::Edits => unreachable!(),
    }
    // Question 2, wrong.
    b.wait_until(
        "document.querySelector('[data-testid=exam-question]').textContent === 'Question 2 of 3'",
        SLOW,
    )
    .await;
    wait_scenario(&b, &questions[1].id).await;
    let second = &questions[1];
    match right_answer(&second.id, second.variant) {
        Right::Choice(_) => pick(&b, &wrong_choice(&second.id, second.variant)).await,
        Right::Number(x) => type_number(&b, &(x + 1000.0).to_string()).await,
        Right::Edits => unreachable!(),
    }
    // Question 3, skipped.
    b.wait_until(
        "document.querySelector('[data-testid=exam-question]').textContent === 'Question 3 of 3'",
        SLOW,
    )
    .await;
    b.click("[data-testid=exam-skip]").await;

    // The review: 1 of 3, per topic, and both misses explained.
    b.wait_for("[data-testid=exam-review]", SLOW).await;
    let head = b.text("#exam-review-title").await;
    assert_eq!(head, "Exam over: 1 of 3 right");
    assert!(n(&b, "[data-testid=exam-topic]").await >= 2);
    assert_eq!(n(&b, "[data-testid=exam-miss]").await, 2);
    let missed = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=exam-miss]')).map(m => m.dataset.id);",
            vec![],
        )
        .await;
    assert_eq!(missed, json!([second.id, questions[2].id]));
    let first_miss = b.text("[data-testid=exam-miss]").await;
    assert!(first_miss.contains("The engine's answer"), "{first_miss}");
    assert!(
        b.text("[data-testid=exam-miss] [data-testid=learn-explanation]")
            .await
            .len()
            > 20
    );
    assert!(b
        .text("[data-testid=exam-miss]:last-child")
        .await
        .contains("Not answered."));
    b.screenshot("learn-exam-review.png").await;
    // The score is kept, and the answers count for review.
    let p = progress(&b).await;
    assert_eq!(p["exams"][0]["right"], json!(1));
    assert_eq!(p["exams"][0]["total"], json!(3));
    assert_eq!(p["exams"][0]["seed"], json!(seed));
    assert_eq!(p["scenarios"][&second.id]["lastRight"], json!(false));
    assert!(b
        .text("[data-testid=exams-taken]")
        .await
        .contains(&format!("1 of 3 right (seed {seed})")));
    b.click("[data-testid=exam-close]").await;
    b.wait_for_absent("[data-testid=exam-review]", TIMEOUT)
        .await;
    assert_clean_console(&b).await;
    b.close().await;
}

async fn pick(b: &e2e::Browser, choice: &str) {
    b.click(&format!(
        "[data-testid=choice][data-choice=\"{choice}\"] input"
    ))
    .await;
    b.click("[data-testid=learn-submit]").await;
}

async fn type_number(b: &e2e::Browser, x: &str) {
    b.js(
        "const i = document.querySelector('[data-testid=learn-number]'); i.value = arguments[0];",
        vec![json!(x)],
    )
    .await;
    b.click("[data-testid=learn-submit]").await;
}
