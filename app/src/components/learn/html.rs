//! Learn's views, written as HTML strings from the engine worker's JSON (`Played`, `Grade`,
//! the topic list and index) and the progress: pure functions, tested natively.
//!
//! Why strings: Learn's views add to every visitor's first load, and Leptos' typed views cost
//! several times more wasm than the same markup written here (measured: docs/performance.md).
//! The markup is the board's kind: real buttons, links and form fields, every action named by
//! `data-action` and handled by one listener ([`super::view`](mod@super::view)).

use std::fmt::Write as _;

use engine::api::learn::progress::{Progress, Status};
use serde_json::Value;

use super::route::{fragment, Route};
use engine::api::text::escape_html as escape;

/// A member's text ("" when absent).
pub fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// A member's list (empty when absent).
pub fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

pub fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

pub fn number(v: &Value, key: &str) -> u64 {
    v.get(key).and_then(Value::as_u64).unwrap_or(0)
}

/// What the learner sees of a scenario kind.
pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "predict" => "Predict",
        "reach" => "Reach a goal",
        "fix" => "Fix",
        _ => "Classify",
    }
}

/// The view a scenario opens (`board`, `deployment`, `simulation`, `findings`, `reading`).
pub fn view_of(played: &Value) -> &str {
    played
        .get("view")
        .map(|v| text(v, "view"))
        .unwrap_or_default()
}

/// A topic's title from the catalog (`{"topics": Topics, "index": Index}`).
pub fn topic_title(catalog: &Value, id: &str) -> String {
    list(&catalog["topics"], "topics")
        .iter()
        .find(|t| text(t, "id") == id)
        .map_or_else(|| id.to_string(), |t| text(t, "title").to_string())
}

/// The index entry of a scenario.
pub fn entry<'a>(catalog: &'a Value, id: &str) -> Option<&'a Value> {
    list(&catalog["index"], "scenarios")
        .iter()
        .find(|e| text(e, "id") == id)
}

fn strings(v: &[Value]) -> impl Iterator<Item = &str> {
    v.iter().filter_map(Value::as_str)
}

const NOT_SIMULATED: &str = "<span class=\"badge warn\" data-testid=\"not-simulated\" title=\"The engine does not simulate this topic: the answer is keyed by the author from the AWS page cited\">Not simulated</span>";

/// One scenario in a list: a link that opens it, its kind, labels and the last answer.
fn scenario_row(out: &mut String, e: &Value, p: &Progress, now: u64) {
    let id = text(e, "id");
    let href = fragment(&Route::Scenario {
        id: id.to_string(),
        variant: 0,
    });
    let (state, class) = match p.status(id) {
        Status::New => ("new", "new"),
        Status::Right => ("right last time", "right"),
        Status::Missed => ("missed last time", "missed"),
    };
    let _ = write!(
        out,
        "<li data-testid=\"scenario\" data-id=\"{id}\" data-status=\"{class}\"><a href=\"{href}\" data-testid=\"scenario-link\">{}</a> <span class=\"badge\" data-testid=\"scenario-kind\">{}</span>{}<span class=\"state {class}\">{state}</span>{}</li>",
        escape(text(e, "title")),
        kind_label(text(e, "kind")),
        if flag(e, "simulated") { "" } else { NOT_SIMULATED },
        if p.is_due(id, now) {
            "<span class=\"badge due\">Due for review</span>"
        } else {
            ""
        },
        id = escape(id),
    );
}

/// What is due for review, then every topic with its standing and scenarios.
pub fn topics(catalog: &Value, p: &Progress, now: u64) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let entries = list(&catalog["index"], "scenarios");
    let due = p.due(now);
    let _ = write!(
        out,
        "<section class=\"panel\" aria-labelledby=\"due-title\" data-testid=\"learn-due\"><h3 id=\"due-title\">Due for review ({})</h3>",
        due.len()
    );
    if due.is_empty() {
        out.push_str("<p class=\"hint\">Nothing yet. A scenario you miss comes back 10 minutes later; one you get right, after 1, 3, 7 and then 21 days.</p>");
    } else {
        out.push_str("<ul class=\"scenarios\">");
        for id in &due {
            if let Some(e) = entry(catalog, id) {
                scenario_row(&mut out, e, p, now);
            }
        }
        out.push_str("</ul>");
    }
    out.push_str("</section><section class=\"panel\" aria-labelledby=\"topics-title\" data-testid=\"learn-topics\"><h3 id=\"topics-title\">Topics</h3>");
    for t in list(&catalog["topics"], "topics") {
        let tid = text(t, "id");
        let mine: Vec<&Value> = entries
            .iter()
            .filter(|e| strings(list(e, "topics")).any(|x| x == tid))
            .collect();
        let s = p.standing(mine.iter().map(|e| text(e, "id")), now);
        let share = (s.right * 100).checked_div(s.total).unwrap_or(0);
        let _ = write!(
            out,
            "<details class=\"topic\" data-testid=\"topic\" data-topic=\"{}\"><summary><span class=\"topic-title\">{}</span><span class=\"topic-progress\" data-testid=\"topic-progress\">{} of {} right{}</span><span class=\"topic-bar\" aria-hidden=\"true\"><span style=\"width: {share}%\"></span></span></summary><p class=\"hint\">{}</p><ul class=\"scenarios\">",
            escape(tid),
            escape(text(t, "title")),
            s.right,
            s.total,
            if s.due > 0 {
                format!(" · {} due", s.due)
            } else {
                String::new()
            },
            escape(text(t, "summary")),
        );
        for e in mine {
            scenario_row(&mut out, e, p, now);
        }
        out.push_str("</ul></details>");
    }
    out.push_str("</section>");
    out
}

/// The exams taken (the last five).
pub fn exams_taken(p: &Progress) -> String {
    let mut out = String::from("<ul class=\"learn-exams\" data-testid=\"exams-taken\">");
    for e in p.exams.iter().rev().take(5) {
        let _ = write!(
            out,
            "<li>{} of {} right (seed {}){}</li>",
            e.right,
            e.total,
            e.seed,
            if e.timed_out { ", time ran out" } else { "" }
        );
    }
    if p.exams.is_empty() {
        out.push_str("<li class=\"hint\">None yet.</li>");
    }
    out.push_str("</ul>");
    out
}

/// The part of a scenario that stays while it is played: where it is, the prompt and the
/// answer's form (choices, a number, or the goal and controls with Check).
pub fn panel(played: &Value, catalog: Option<&Value>, in_exam: bool) -> String {
    let mut out = String::with_capacity(4096);
    let kind = text(played, "kind");
    if !in_exam {
        let topics: Vec<String> = strings(list(played, "topics"))
            .map(|t| catalog.map_or_else(|| t.to_string(), |c| topic_title(c, t)))
            .collect();
        let _ = write!(
            out,
            "<nav class=\"crumbs\" aria-label=\"Learn\"><a href=\"#learn\" data-testid=\"learn-back\">Learn</a> › <span>{}</span></nav>",
            escape(&topics.join(" · "))
        );
    }
    let variants = number(played, "variants").max(1);
    // As the engine cycles: variant 0 is the first values, the others go round the rest.
    let n = match number(played, "variant") {
        0 => 1,
        v if variants > 1 => (v - 1) % (variants - 1) + 2,
        _ => 1,
    };
    let _ = write!(
        out,
        "<h2 id=\"learn-title\" tabindex=\"-1\">{}</h2><p class=\"learn-meta\"><span class=\"badge\">{} · variant {} of {variants}</span>{}</p><p class=\"learn-prompt\" data-testid=\"learn-prompt\">{}</p>",
        escape(text(played, "title")),
        kind_label(kind),
        n,
        if flag(played, "simulated") { "" } else { NOT_SIMULATED },
        escape(text(played, "prompt")),
    );
    if kind == "predict" && view_of(played) == "board" {
        out.push_str("<p class=\"hint\" data-testid=\"outcome-hidden\">Until you answer, the board shows the cluster but not where the tasks go.</p>");
    }
    let submit = "<button type=\"submit\" class=\"primary\" data-testid=\"learn-submit\" data-key=\"submit\">Check my answer</button>";
    match (kind, text(played, "input")) {
        ("reach" | "fix", _) => {
            out.push_str("<div class=\"learn-goal\"><h3>Goal</h3><ul data-testid=\"learn-goal\">");
            for g in strings(list(played, "goal")) {
                let _ = write!(out, "<li>{}</li>", escape(g));
            }
            out.push_str("</ul><h3>You may</h3><ul data-testid=\"learn-controls\">");
            for c in list(played, "controls") {
                let _ = write!(out, "<li>{}</li>", escape(text(c, "text")));
            }
            let _ = write!(
                out,
                "</ul><p class=\"hint\">{} Undo (Ctrl+Z) takes an edit back.</p><button type=\"button\" class=\"primary\" data-action=\"check\" data-key=\"check\" data-testid=\"learn-check\">Check</button></div>",
                match view_of(played) {
                    "findings" => "Edit in the editor on the right; its findings update as you go.",
                    "deployment" | "simulation" => {
                        "Edit on the board or in the editors; the time view runs again after each edit."
                    }
                    _ => "Edit on the board (drag instance types into zones, move or drain instances) or in the editors.",
                }
            );
        }
        (_, "number") => {
            let _ = write!(
                out,
                "<form class=\"learn-answer\" data-action=\"answer\"><label>Your answer <input type=\"number\" step=\"any\" name=\"number\" data-testid=\"learn-number\" required></label> {submit}</form>"
            );
        }
        _ => {
            out.push_str("<form class=\"learn-answer\" data-action=\"answer\"><fieldset><legend>Your answer</legend>");
            for c in list(played, "choices") {
                let id = escape(text(c, "id"));
                let _ = write!(
                    out,
                    "<label class=\"choice\" data-testid=\"choice\" data-choice=\"{id}\"><input type=\"radio\" name=\"choice\" value=\"{id}\" required> <span>{}</span></label>",
                    escape(text(c, "label"))
                );
            }
            let _ = write!(out, "</fieldset>{submit}</form>");
        }
    }
    out
}

/// The hints shown so far, and the button for the next.
pub fn hints(played: &Value, shown: usize) -> String {
    let all: Vec<&str> = strings(list(played, "hints")).collect();
    if all.is_empty() {
        return String::new();
    }
    let mut out = String::from("<ol class=\"learn-hints\" data-testid=\"learn-hints\">");
    for h in all.iter().take(shown) {
        let _ = write!(out, "<li>{}</li>", escape(h));
    }
    out.push_str("</ol>");
    if shown < all.len() {
        let _ = write!(
            out,
            "<button type=\"button\" class=\"small\" data-action=\"hint\" data-key=\"hint\" data-testid=\"learn-hint\">Show a hint ({} of {})</button>",
            shown + 1,
            all.len()
        );
    }
    out
}

/// Changes the scenario's controls do not allow (after an edit on the board or in an editor).
pub fn refused(messages: &[String]) -> String {
    if messages.is_empty() {
        return String::new();
    }
    let mut out = String::from("<div class=\"banner warn\" data-testid=\"learn-refused\"><p>Not allowed in this scenario (undo it to go on):</p><ul>");
    for m in messages {
        let _ = write!(out, "<li>{}</li>", escape(m));
    }
    out.push_str("</ul></div>");
    out
}

/// The explanation, the misconceptions the scenario corrects, and the AWS pages.
pub fn explained(out: &mut String, grade: &Value) {
    let _ = write!(
        out,
        "<p class=\"explanation\" data-testid=\"learn-explanation\">{}</p>",
        escape(text(grade, "explanation"))
    );
    let myths = list(grade, "misconceptions");
    if !myths.is_empty() {
        out.push_str("<ul class=\"myths\">");
        for m in myths {
            let _ = write!(
                out,
                "<li data-testid=\"misconception\"><p><strong>Common misconception:</strong> {}</p><p><strong>What AWS documents:</strong> {}</p></li>",
                escape(text(m, "claim")),
                escape(text(m, "truth"))
            );
        }
        out.push_str("</ul>");
    }
    if !flag(grade, "simulated") {
        out.push_str("<p class=\"hint\">Not simulated: this answer is keyed by the author from the AWS page cited, not computed by the engine.</p>");
    }
    out.push_str("<h4>AWS documentation</h4><ul class=\"pages\">");
    for l in list(grade, "pages") {
        let _ = write!(
            out,
            "<li><a href=\"{}\" target=\"_blank\" rel=\"noopener\" data-testid=\"aws-page\">{}</a></li>",
            escape(text(l, "url")),
            escape(text(l, "title"))
        );
    }
    out.push_str("</ul>");
}

/// The verdict on an answer: right or not, the engine's answer and explanation, the goal
/// checks, and every choice with what the engine says of it (each can be played out).
/// `shown`: the choice whose plan is on the board.
pub fn result(grade: &Value, played: &Value, shown: Option<&str>) -> String {
    let mut out = String::with_capacity(4096);
    let right = flag(grade, "correct");
    let _ = write!(
        out,
        "<div class=\"learn-result{}\" data-testid=\"learn-result\" data-correct=\"{right}\"><h3 id=\"learn-result-title\" tabindex=\"-1\">{}</h3><p data-testid=\"learn-answer\">Your answer: {}. The engine's answer: {}.</p>",
        if right { " right" } else { "" },
        if right { "Right" } else { "Not quite" },
        escape(text(grade, "given")),
        escape(text(grade, "answer")),
    );
    explained(&mut out, grade);
    let goal = list(grade, "goal");
    if !goal.is_empty() {
        out.push_str("<ul class=\"goal-checks\">");
        for c in goal {
            let met = flag(c, "met");
            let _ = write!(
                out,
                "<li data-testid=\"goal-check\" data-met=\"{met}\"{}>{} {}: {} <span class=\"hint\">— {}</span></li>",
                if met { " class=\"correct\"" } else { "" },
                if met { "✓" } else { "✗" },
                escape(text(c, "text")),
                escape(text(c, "value")),
                escape(text(c, "detail")),
            );
        }
        out.push_str("</ul>");
    }
    let refused_now = list(grade, "refused");
    if !refused_now.is_empty() {
        let messages: Vec<String> = refused_now
            .iter()
            .map(|f| text(f, "message").to_string())
            .collect();
        out.push_str(&refused(&messages));
    }
    let choices = list(grade, "choices");
    let view = view_of(played);
    let play = match view {
        "deployment" | "simulation" => Some("Play it in the time view"),
        "reading" => None,
        _ => Some("Show it on the board"),
    };
    if !choices.is_empty() {
        out.push_str(if flag(grade, "simulated") {
            "<h4>Every choice, as the engine plays it</h4><ul class=\"outcomes\">"
        } else {
            "<h4>Every choice, as the author keys it from the AWS page</h4><ul class=\"outcomes\">"
        });
        for c in choices {
            let (id, correct, chosen) = (text(c, "id"), flag(c, "correct"), flag(c, "chosen"));
            let mark = match (correct, chosen) {
                (true, true) => "Right — your answer",
                (true, false) => "Right",
                (false, true) => "Your answer",
                (false, false) => "",
            };
            let _ = write!(
                out,
                "<li data-testid=\"outcome-choice\" data-choice=\"{}\" data-correct=\"{correct}\" class=\"{}{}\"><strong>{}</strong>{}<p data-testid=\"consequence\">{}</p>",
                escape(id),
                if correct { "correct " } else { "" },
                if chosen { "chosen" } else { "" },
                escape(text(c, "label")),
                if mark.is_empty() {
                    String::new()
                } else {
                    format!(" <span class=\"badge\">{mark}</span>")
                },
                escape(text(c, "consequence")),
            );
            if let Some(n) = c.get("note").and_then(Value::as_str) {
                let _ = write!(out, "<p class=\"hint\">{}</p>", escape(n));
            }
            if let Some(label) = play {
                let _ = write!(
                    out,
                    "<button type=\"button\" class=\"small\" data-action=\"play-choice\" data-choice=\"{}\" data-plan=\"{}\" data-key=\"play-{}\" data-testid=\"play-choice\" aria-pressed=\"{}\">{label}</button>",
                    escape(id),
                    c.get("value").is_some(),
                    escape(id),
                    shown == Some(id),
                );
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    let many = number(played, "variants") > 1;
    let id = text(played, "id").to_string();
    let variant = number(played, "variant") as u32;
    let next = fragment(&Route::Scenario {
        id,
        variant: if many { variant + 1 } else { variant },
    });
    out.push_str("<div class=\"learn-actions\">");
    if shown.is_some() {
        out.push_str("<button type=\"button\" data-action=\"show-start\" data-key=\"show-start\" data-testid=\"show-start\">Back to the scenario's plan</button>");
    }
    let _ = write!(
        out,
        "<button type=\"button\" class=\"primary\" data-action=\"go\" data-to=\"{next}\" data-key=\"variant\" data-testid=\"learn-variant\">{}</button><a href=\"#learn\" data-testid=\"learn-list\">All scenarios</a></div></div>",
        if many {
            "Another variant (new numbers)"
        } else {
            "Try it again"
        }
    );
    out
}

/// The review after an exam: the score per topic, then every miss with its explanation.
/// `questions`: `[{"id", "variant"}]`; `grades`: each question's grade, if answered; `score`:
/// the worker's `Score`.
pub fn review(
    catalog: &Value,
    questions: &[Value],
    grades: &[Option<Value>],
    score: &Value,
    seed: u64,
    timed_out: bool,
) -> String {
    let mut out = String::with_capacity(8192);
    let _ = write!(
        out,
        "<section class=\"panel exam-review\" data-testid=\"exam-review\" aria-labelledby=\"exam-review-title\"><h2 id=\"exam-review-title\" tabindex=\"-1\">Exam over: {} of {} right{}</h2><p class=\"hint\">Seed {seed}: the same seed draws the same exam.</p><table class=\"list\" data-testid=\"exam-topics\"><thead><tr><th scope=\"col\">Topic</th><th scope=\"col\">Right</th></tr></thead><tbody>",
        number(score, "right"),
        number(score, "total"),
        if timed_out { " (time ran out)" } else { "" },
    );
    if let Some(topics) = score.get("topics").and_then(Value::as_object) {
        for (t, s) in topics {
            let _ = write!(
                out,
                "<tr data-testid=\"exam-topic\" data-topic=\"{}\"><th scope=\"row\">{}</th><td>{} of {}</td></tr>",
                escape(t),
                escape(&topic_title(catalog, t)),
                number(s, "right"),
                number(s, "total")
            );
        }
    }
    out.push_str("</tbody></table><h3>Review of the misses</h3><ol class=\"misses\">");
    let mut misses = 0;
    for (q, g) in questions.iter().zip(grades) {
        if g.as_ref().is_some_and(|g| flag(g, "correct")) {
            continue;
        }
        misses += 1;
        let id = text(q, "id");
        let title = entry(catalog, id).map_or(id, |e| text(e, "title"));
        let again = fragment(&Route::Scenario {
            id: id.to_string(),
            variant: number(q, "variant") as u32,
        });
        let _ = write!(
            out,
            "<li data-testid=\"exam-miss\" data-id=\"{}\"><h4>{}</h4>",
            escape(id),
            escape(title)
        );
        match g {
            Some(g) => {
                let _ = write!(
                    out,
                    "<p>Your answer: {}. The engine's answer: {}.</p>",
                    escape(text(g, "given")),
                    escape(text(g, "answer"))
                );
                explained(&mut out, g);
            }
            None => out.push_str("<p>Not answered.</p>"),
        }
        let _ = write!(out, "<a href=\"{again}\">Try it again</a></li>");
    }
    if misses == 0 {
        out.push_str("<li class=\"hint\">No misses.</li>");
    }
    out.push_str("</ol><button type=\"button\" data-action=\"exam-close\" data-key=\"exam-close\" data-testid=\"exam-close\">Close the review</button></section>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::api::learn::{Answer, Scenario};
    use std::path::PathBuf;

    fn scenario(id: &str) -> Scenario {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public/learn/scenarios");
        Scenario::parse(&std::fs::read_to_string(dir.join(format!("{id}.json"))).unwrap()).unwrap()
    }

    fn catalog() -> Value {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public/learn");
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
        serde_json::json!({
            "topics": engine::api::learn::parse_topics(&read("topics.json")).unwrap(),
            "index": engine::api::learn::parse_index(&read("index.json")).unwrap(),
        })
    }

    #[test]
    fn a_predict_scenario_and_its_grade() {
        let v = scenario("where-web-5-lands").variant(0).unwrap();
        let played = serde_json::to_value(v.play()).unwrap();
        let html = panel(&played, Some(&catalog()), false);
        assert!(html.contains("Where will web-5 land?"));
        assert_eq!(html.matches("type=\"radio\"").count(), 10);
        assert!(
            html.contains("Placement strategies"),
            "topic titles in the crumbs"
        );
        assert!(html.contains("outcome-hidden"));
        assert!(
            !panel(&played, None, true).contains("crumbs"),
            "no way out in an exam"
        );
        let grade = serde_json::to_value(v.grade(&Answer::Choice("i-06".into())).unwrap()).unwrap();
        let r = result(&grade, &played, Some("i-06"));
        assert!(r.contains("data-correct=\"false\"") && r.contains("Not quite"));
        assert!(r.contains("DRAINING"), "the wrong choice's consequence");
        assert_eq!(r.matches("data-action=\"play-choice\"").count(), 10);
        assert!(r.contains("aria-pressed=\"true\""));
        assert!(r.contains("https://docs.aws.amazon.com/"));
        assert!(r.contains("Common misconception"));
        assert!(r.contains("#learn/where-web-5-lands/1"), "another variant");
        let mut third = played.clone();
        third["variant"] = serde_json::json!(3);
        assert!(
            panel(&third, None, false).contains("variant 2 of 2"),
            "variant 3 is variant 1's values again"
        );
    }

    #[test]
    fn reach_and_classify_panels() {
        let v = scenario("survive-losing-a-zone").variant(0).unwrap();
        let played = serde_json::to_value(v.play()).unwrap();
        let html = panel(&played, None, false);
        assert!(html.contains("data-action=\"check\"") && html.contains("m5.large"));
        let grade =
            serde_json::to_value(v.grade(&Answer::Plan(Box::new(v.start.clone()))).unwrap())
                .unwrap();
        let r = result(&grade, &played, None);
        assert!(r.contains("data-met=\"false\""));
        let c = scenario("eks-storage").variant(0).unwrap();
        let played = serde_json::to_value(c.play()).unwrap();
        assert!(panel(&played, None, false).contains("Not simulated"));
        let grade =
            serde_json::to_value(c.grade(&Answer::Choice("ebs".into())).unwrap_or_else(|_| {
                c.grade(&Answer::Choice(c.doc.choices[0].id.clone()))
                    .unwrap()
            }))
            .unwrap();
        let r = result(&grade, &played, None);
        assert!(
            !r.contains("play-choice"),
            "nothing to play for a reading scenario"
        );
    }

    #[test]
    fn topics_with_progress_and_due() {
        let c = catalog();
        let mut p = Progress::default();
        p.answer("where-web-5-lands", false, 0);
        let html = topics(&c, &p, 11 * 60_000);
        assert!(html.contains("Due for review (1)"));
        assert!(html.contains("data-status=\"missed\""));
        assert!(html.contains("#learn/where-web-5-lands"));
        assert!(html.contains("Not simulated"));
        assert_eq!(
            html.matches("data-testid=\"topic\"").count(),
            list(&c["topics"], "topics").len()
        );
        assert!(hints(&serde_json::json!({"hints": ["a", "b"]}), 1).contains("2 of 2"));
        assert!(hints(&serde_json::json!({"hints": ["a <b>"]}), 1).contains("a &lt;b&gt;"));
    }

    #[test]
    fn an_exam_review_lists_the_misses() {
        let c = catalog();
        let qs = vec![
            serde_json::json!({"id": "where-web-5-lands", "variant": 3}),
            serde_json::json!({"id": "stuck-75-100", "variant": 0}),
        ];
        let grade = serde_json::json!({"correct": false, "given": "i-06", "answer": "i-08", "explanation": "because", "pages": [], "simulated": true});
        let score = serde_json::json!({"right": 0, "total": 2, "topics": {"rolling-updates": {"right": 0, "total": 1}}});
        let html = review(&c, &qs, &[Some(grade), None], &score, 42, true);
        assert!(html.contains("Exam over: 0 of 2 right (time ran out)"));
        assert_eq!(html.matches("data-testid=\"exam-miss\"").count(), 2);
        assert!(html.contains("Not answered.") && html.contains("because"));
        assert!(html.contains("#learn/where-web-5-lands/3"));
        assert!(html.contains("Rolling updates"));
    }
}
