//! Practice exams: a timed set of scenarios drawn across topics from a seed (the engine's
//! `learn::exam::draw`, in the worker), answered without hints or explanations, then scored per
//! topic with a review of every miss and its explanation. Answers count for the review schedule
//! like any other; the exam's score is kept in the progress.

use std::sync::Arc;

use engine::api::learn::exam as draw;
use engine::api::learn::progress::ExamRecord;
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::learn as req;
use serde_json::Value;

use super::{ask, focus_soon, html, LearnUi};
use crate::store::Command;
use crate::web;

/// Seconds per question (10 questions: 15 minutes).
pub const SECONDS_PER_QUESTION: u32 = draw::SECONDS / draw::QUESTIONS as u32;

/// An exam under way or finished.
#[derive(Debug, Clone)]
pub struct Exam {
    pub seed: u64,
    /// `[{"id", "variant"}]`.
    pub questions: Vec<Value>,
    /// The grade of each answered question (`Grade` JSON).
    pub grades: Vec<Option<Value>>,
    pub current: usize,
    /// When time is up (ms since the Unix epoch).
    pub deadline: u64,
    pub finished: bool,
    pub timed_out: bool,
    /// The engine's score, once finished.
    pub score: Option<Value>,
}

impl Exam {
    pub fn running(&self) -> bool {
        !self.finished
    }
}

/// Starts an exam of `size` questions drawn from `seed`.
pub fn start(learn: LearnUi, size: usize, seed: u64) {
    let g = learn.next_generation();
    learn.busy.set(Some("Drawing the questions…".into()));
    learn.ensure_catalog(g, move |catalog| {
        spawn_local(async move {
            let drawn = ask(
                req::DRAW,
                &req::Draw {
                    index: catalog["index"].clone(),
                    size,
                    seed,
                },
            )
            .await;
            if !learn.current(g) {
                return;
            }
            let questions = match drawn {
                Ok(Value::Array(q)) if !q.is_empty() => q,
                Ok(_) => return learn.fail("There are no scenarios to draw an exam from.".into()),
                Err(e) => return learn.fail(e),
            };
            let n = questions.len();
            let first = questions[0].clone();
            learn.exam.set(Some(Exam {
                seed,
                grades: vec![None; n],
                deadline: web::epoch_ms() + (n as u64) * SECONDS_PER_QUESTION as u64 * 1000,
                questions,
                current: 0,
                finished: false,
                timed_out: false,
                score: None,
            }));
            learn.said.set(format!("Practice exam: question 1 of {n}"));
            play(learn, &first);
        });
    });
}

fn play(learn: LearnUi, q: &Value) {
    learn.play(
        html::text(q, "id").to_string(),
        html::number(q, "variant") as u32,
    );
}

/// Records the current question's grade and goes on (or finishes).
pub fn record(learn: LearnUi, grade: Arc<Value>) {
    learn.exam.update(|e| {
        if let Some(e) = e.as_mut() {
            if let Some(slot) = e.grades.get_mut(e.current) {
                *slot = Some((*grade).clone());
            }
        }
    });
    next(learn);
}

/// Goes to the next question (the current one stays unanswered if it was), or finishes.
pub fn next(learn: LearnUi) {
    let Some(e) = learn.exam.get_untracked().filter(Exam::running) else {
        return;
    };
    let Some(q) = e.questions.get(e.current + 1).cloned() else {
        finish(learn, false);
        return;
    };
    learn.exam.update(|e| {
        if let Some(e) = e.as_mut() {
            e.current += 1;
        }
    });
    learn.said.set(format!(
        "Question {} of {}",
        e.current + 2,
        e.questions.len()
    ));
    play(learn, &q);
}

/// Ends the exam: keeps the score, has the engine score it per topic, and shows the review.
pub fn finish(learn: LearnUi, timed_out: bool) {
    let Some(mut e) = learn.exam.get_untracked().filter(Exam::running) else {
        return;
    };
    e.finished = true;
    e.timed_out = timed_out;
    let results: Vec<Option<bool>> = e
        .grades
        .iter()
        .map(|g| g.as_ref().map(|g| html::flag(g, "correct")))
        .collect();
    let right = results.iter().filter(|r| **r == Some(true)).count() as u32;
    let total = e.questions.len() as u32;
    learn.store.execute(Command::RecordExam(ExamRecord {
        at: web::epoch_ms(),
        seed: e.seed,
        right,
        total,
        timed_out,
    }));
    let g = learn.next_generation();
    learn.end_session();
    learn.said.set(format!(
        "{}Exam over: {right} of {total} right.",
        if timed_out { "Time is up. " } else { "" }
    ));
    let questions = Value::Array(e.questions.clone());
    learn.exam.set(Some(e));
    let index = learn
        .catalog
        .with_untracked(|c| c.as_ref().map(|c| c["index"].clone()))
        .unwrap_or_default();
    spawn_local(async move {
        let score = ask(
            req::SCORE,
            &req::ScoreExam {
                index,
                questions,
                results,
            },
        )
        .await;
        if !learn.current(g) {
            return;
        }
        match score {
            Ok(s) => {
                learn.exam.update(|e| {
                    if let Some(e) = e.as_mut() {
                        e.score = Some(s);
                    }
                });
                focus_soon("exam-review-title");
            }
            Err(err) => learn.fail(err),
        }
    });
}

/// The time left, as `m:ss`.
pub fn clock(ms: u64) -> String {
    let s = ms.div_ceil(1000);
    format!("{}:{:02}", s / 60, s % 60)
}

/// The exam's review (once the engine has scored it).
pub fn review_html(learn: LearnUi) -> String {
    let Some(e) = learn.exam.get().filter(|e| e.finished) else {
        return String::new();
    };
    let (Some(score), Some(catalog)) = (e.score.as_ref(), learn.catalog.get()) else {
        return String::new();
    };
    html::review(
        &catalog,
        &e.questions,
        &e.grades,
        score,
        e.seed,
        e.timed_out,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_questions_take_fifteen_minutes() {
        assert_eq!(SECONDS_PER_QUESTION * 10, 15 * 60);
        assert_eq!(clock(61_000), "1:01");
        assert_eq!(clock(999), "0:01");
        assert_eq!(clock(0), "0:00");
    }
}
