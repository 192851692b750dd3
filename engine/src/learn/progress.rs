//! The learner's progress: what each scenario's last answers were, when it comes back for
//! review, and the practice exams taken. The page keeps it in the browser and lets the learner
//! export and import it as a file; everything here is pure (the caller passes the time).
//!
//! Spaced repetition is a Leitner schedule: each scenario is in a box from 1 to 5. A right
//! answer moves it up one box (a first answer that is right puts it in box 2), a wrong one back
//! to box 1, and the box says when it is due again: [`INTERVALS`] after the answer (10 minutes,
//! 1 day, 3 days, 7 days, 21 days). A scenario whose time has come is *due for review*; the
//! review queue is the due scenarios, the earliest due first (ties by id), so the same progress
//! and clock always give the same queue.

use super::shapes;
use super::Index;
use crate::findings::{Finding, JsonPath};
use crate::sort::{sort, sort_by, sort_by_key};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The version of the progress document (`schemaVersion`).
pub const PROGRESS_VERSION: u32 = 1;

/// What a progress file says it is (`"kind"`), so that a plan is not read as progress.
pub const PROGRESS_KIND: &str = "ecs-planner-learn-progress";

const MINUTE: u64 = 60_000;
const DAY: u64 = 24 * 60 * MINUTE;

/// How long after an answer a scenario in box 1..=5 is due again, in milliseconds.
pub const INTERVALS: [u64; 5] = [10 * MINUTE, DAY, 3 * DAY, 7 * DAY, 21 * DAY];

/// How many practice exams are kept (the oldest go first).
pub const EXAMS_KEPT: usize = 20;

/// Everything the page remembers about a learner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// The progress document's format version.
    pub schema_version: u32,
    /// Always [`PROGRESS_KIND`]: tells a progress file from a plan when imported.
    pub kind: String,
    /// By scenario id.
    #[serde(default)]
    pub scenarios: BTreeMap<String, Record>,
    /// Practice exams, oldest first.
    #[serde(default)]
    pub exams: Vec<ExamRecord>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            schema_version: PROGRESS_VERSION,
            kind: PROGRESS_KIND.to_string(),
            scenarios: BTreeMap::new(),
            exams: Vec::new(),
        }
    }
}

/// One scenario's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    /// Answers given (every variant counts).
    pub attempts: u32,
    /// Of which right.
    pub right: u32,
    /// The Leitner box, 1 (missed last time) to 5.
    #[serde(rename = "box")]
    pub leitner: u8,
    /// Whether the last answer was right.
    pub last_right: bool,
    /// When it was last answered, in milliseconds since the Unix epoch.
    pub last: u64,
    /// When it is due for review (milliseconds since the Unix epoch).
    pub due: u64,
}

/// A practice exam taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExamRecord {
    /// When it ended (milliseconds since the Unix epoch).
    pub at: u64,
    /// The seed that drew its questions.
    pub seed: u64,
    /// Questions answered right.
    pub right: u32,
    /// Questions asked.
    pub total: u32,
    /// Whether time ran out before every question was answered.
    #[serde(default)]
    pub timed_out: bool,
}

/// How a topic stands: scenarios whose last answer was right, those answered at all, those
/// due for review, out of the topic's scenarios.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TopicStanding {
    /// Scenarios whose last answer was right.
    pub right: u32,
    /// Scenarios answered at least once.
    pub answered: u32,
    /// Scenarios due for review now.
    pub due: u32,
    /// The topic's scenarios.
    pub total: u32,
}

/// A scenario's state for lists: never answered, right last time, missed last time; and
/// whether it is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    /// Never answered.
    New,
    /// The last answer was right.
    Right,
    /// The last answer was wrong.
    Missed,
}

impl Progress {
    /// Records an answer given at `now`: moves the scenario between boxes and sets when it is
    /// due again.
    pub fn answer(&mut self, id: &str, right: bool, now: u64) {
        let r = self.scenarios.entry(id.to_string()).or_insert(Record {
            attempts: 0,
            right: 0,
            leitner: 1,
            last_right: false,
            last: now,
            due: now,
        });
        r.attempts += 1;
        r.leitner = if !right {
            1
        } else if r.attempts == 1 {
            2
        } else {
            (r.leitner + 1).min(5)
        };
        if right {
            r.right += 1;
        }
        r.last_right = right;
        r.last = now;
        r.due = now + interval(r.leitner);
    }

    /// Records a finished practice exam (keeps the last `EXAMS_KEPT`).
    pub fn exam(&mut self, exam: ExamRecord) {
        self.exams.push(exam);
        let extra = self.exams.len().saturating_sub(EXAMS_KEPT);
        self.exams.drain(..extra);
    }

    /// How the scenario `id` stands (new, right or missed last time).
    pub fn status(&self, id: &str) -> Status {
        match self.scenarios.get(id) {
            None => Status::New,
            Some(r) if r.last_right => Status::Right,
            Some(_) => Status::Missed,
        }
    }

    /// Whether a scenario is due for review at `now`.
    pub fn is_due(&self, id: &str, now: u64) -> bool {
        self.scenarios.get(id).is_some_and(|r| r.due <= now)
    }

    /// The scenarios due for review at `now`, the earliest due first (ties by id).
    pub fn due(&self, now: u64) -> Vec<String> {
        let mut due: Vec<(&String, &Record)> = self
            .scenarios
            .iter()
            .filter(|(_, r)| r.due <= now)
            .collect();
        sort_by(&mut due, |a, b| a.1.due.cmp(&b.1.due).then(a.0.cmp(b.0)));
        due.into_iter().map(|(id, _)| id.clone()).collect()
    }

    /// How a set of scenarios (a topic's) stands at `now`.
    pub fn standing<'a>(&self, ids: impl IntoIterator<Item = &'a str>, now: u64) -> TopicStanding {
        let mut s = TopicStanding::default();
        for id in ids {
            s.total += 1;
            if let Some(r) = self.scenarios.get(id) {
                s.answered += 1;
                s.right += r.last_right as u32;
                s.due += (r.due <= now) as u32;
            }
        }
        s
    }

    /// How each topic of the index stands (topics without a scenario are left out).
    pub fn by_topic(&self, index: &Index, now: u64) -> BTreeMap<String, TopicStanding> {
        let mut topics: Vec<&String> = index.scenarios.iter().flat_map(|e| &e.topics).collect();
        sort(&mut topics);
        topics.dedup();
        topics
            .into_iter()
            .map(|t| {
                let ids = index
                    .scenarios
                    .iter()
                    .filter(|e| e.topics.contains(t))
                    .map(|e| e.id.as_str());
                (t.clone(), self.standing(ids, now))
            })
            .collect()
    }

    /// Adds another progress (an imported file): for a scenario in both, the record answered
    /// last wins; exams are joined (by time, without duplicates). Nothing of either is lost
    /// that the other does not replace with something newer.
    pub fn merge(&mut self, other: Progress) {
        for (id, r) in other.scenarios {
            match self.scenarios.get(&id) {
                Some(mine) if mine.last >= r.last => {}
                _ => {
                    self.scenarios.insert(id, r);
                }
            }
        }
        for e in other.exams {
            if !self.exams.contains(&e) {
                self.exams.push(e);
            }
        }
        sort_by_key(&mut self.exams, |e| e.at);
        let extra = self.exams.len().saturating_sub(EXAMS_KEPT);
        self.exams.drain(..extra);
    }

    /// The document the page saves and exports.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// How long after an answer a scenario in `leitner` box is due again.
pub fn interval(leitner: u8) -> u64 {
    INTERVALS[(leitner.clamp(1, 5) - 1) as usize]
}

/// Reads a progress document and checks its shape (an imported file): every problem comes
/// with its path, line:column and fix, like a plan's; a newer version is refused with a message.
pub fn parse(text: &str) -> Result<Progress, Vec<Finding>> {
    let value = header(text)?;
    let mut findings = Vec::new();
    shapes::check(&value, "learn:Progress", &mut findings);
    if findings.iter().any(Finding::is_error) {
        return Err(shapes::located(text, findings));
    }
    typed(text, &value)
}

/// Reads a progress document the page saved itself: the same checks but the shape's (the types
/// still refuse what does not fit), so that the page's first load carries no shape table.
pub fn read(text: &str) -> Result<Progress, Vec<Finding>> {
    let value = header(text)?;
    typed(text, &value)
}

fn typed(text: &str, value: &serde_json::Value) -> Result<Progress, Vec<Finding>> {
    crate::typed::typed(value, &JsonPath::root()).map_err(|f| shapes::located(text, vec![*f]))
}

/// The JSON, if it says it is progress of a version this engine reads.
fn header(text: &str) -> Result<serde_json::Value, Vec<Finding>> {
    let value = shapes::parse_json(text)?;
    let version = value.get("schemaVersion").and_then(|v| v.as_u64());
    if let Some(v) = version.filter(|v| *v > PROGRESS_VERSION as u64) {
        return Err(shapes::located(
            text,
            vec![Finding::error(
                "newer-schema-version",
                JsonPath::root().key("schemaVersion"),
                format!(
                    "this progress was saved by a newer version of the page (schemaVersion {v}; this page reads {PROGRESS_VERSION})"
                ),
            )
            .with_fix("open it with the newer page, or export it from there again")],
        ));
    }
    if value.get("kind").and_then(|v| v.as_str()) != Some(PROGRESS_KIND) {
        return Err(shapes::located(
            text,
            vec![Finding::error(
                "not-progress",
                JsonPath::root().key("kind"),
                "this is not a learn progress file",
            )
            .with_fix(format!(
                "choose a file exported by Learn's \"Export progress\" (it has \"kind\": \"{PROGRESS_KIND}\")"
            ))],
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::{IndexEntry, Kind};

    const T0: u64 = 1_760_000_000_000;

    #[test]
    fn the_leitner_schedule() {
        let mut p = Progress::default();
        p.answer("a", true, T0);
        let r = &p.scenarios["a"];
        assert_eq!(
            (r.leitner, r.due),
            (2, T0 + DAY),
            "a first right answer: box 2"
        );
        p.answer("a", true, T0 + DAY);
        assert_eq!(p.scenarios["a"].leitner, 3);
        assert_eq!(p.scenarios["a"].due, T0 + DAY + 3 * DAY);
        p.answer("a", false, T0 + 2 * DAY);
        let r = &p.scenarios["a"];
        assert_eq!(
            (r.leitner, r.due),
            (1, T0 + 2 * DAY + 10 * MINUTE),
            "a miss: box 1"
        );
        assert_eq!((r.attempts, r.right, r.last_right), (3, 2, false));
        for i in 0..10 {
            p.answer("a", true, T0 + 3 * DAY + i);
        }
        assert_eq!(p.scenarios["a"].leitner, 5, "box 5 is the last");
        assert_eq!(p.status("a"), Status::Right);
        assert_eq!(p.status("b"), Status::New);
    }

    #[test]
    fn missed_scenarios_come_back_first() {
        let mut p = Progress::default();
        p.answer("b", false, T0);
        p.answer("a", false, T0);
        p.answer("c", true, T0);
        assert!(p.due(T0 + MINUTE).is_empty(), "nothing is due at once");
        assert_eq!(p.due(T0 + 10 * MINUTE), ["a", "b"], "ties by id");
        assert!(p.is_due("a", T0 + 10 * MINUTE) && !p.is_due("c", T0 + 10 * MINUTE));
        assert_eq!(p.due(T0 + DAY), ["a", "b", "c"]);
    }

    fn entry(id: &str, topics: &[&str]) -> IndexEntry {
        IndexEntry {
            id: id.into(),
            file: format!("scenarios/{id}.json"),
            title: id.into(),
            kind: Kind::Predict,
            topics: topics.iter().map(|t| t.to_string()).collect(),
            simulated: true,
        }
    }

    #[test]
    fn standing_per_topic() {
        let index = Index {
            schema_version: 1,
            scenarios: vec![
                entry("a", &["x", "y"]),
                entry("b", &["x"]),
                entry("c", &["y"]),
            ],
        };
        let mut p = Progress::default();
        p.answer("a", true, T0);
        p.answer("b", false, T0);
        let s = p.by_topic(&index, T0 + 10 * MINUTE);
        assert_eq!(
            s["x"],
            TopicStanding {
                right: 1,
                answered: 2,
                due: 1,
                total: 2
            }
        );
        assert_eq!(
            s["y"],
            TopicStanding {
                right: 1,
                answered: 1,
                due: 0,
                total: 2
            }
        );
    }

    #[test]
    fn a_saved_progress_reads_back_and_merges_by_newest() {
        let mut p = Progress::default();
        p.answer("a", false, T0);
        p.answer("b", true, T0);
        p.exam(ExamRecord {
            at: T0,
            seed: 7,
            right: 3,
            total: 5,
            timed_out: false,
        });
        let back = parse(&p.to_json()).unwrap();
        assert_eq!(back, p);

        let mut other = Progress::default();
        other.answer("a", true, T0 + 5);
        other.answer("b", false, T0 - 5);
        other.answer("c", true, T0);
        other.exam(ExamRecord {
            at: T0 + 1,
            seed: 8,
            right: 1,
            total: 1,
            timed_out: true,
        });
        p.merge(other.clone());
        assert!(p.scenarios["a"].last_right, "the newer record wins");
        assert!(p.scenarios["b"].last_right, "the older one does not");
        assert!(p.scenarios.contains_key("c"));
        assert_eq!(p.exams.len(), 2);
        p.merge(other);
        assert_eq!(p.exams.len(), 2, "merging twice adds nothing");
        for _ in 0..30 {
            p.exam(p.exams[0].clone());
        }
        assert_eq!(p.exams.len(), EXAMS_KEPT);
    }

    #[test]
    fn a_saved_progress_is_read_without_the_shape_check() {
        let mut p = Progress::default();
        p.answer("a", true, T0);
        assert_eq!(read(&p.to_json()), Ok(p));
        assert_eq!(read("[]").unwrap_err()[0].code, "not-progress");
        let e = read(r#"{"schemaVersion": 1, "kind": "ecs-planner-learn-progress", "scenarios": {"a": {"attempts": -1}}}"#)
            .unwrap_err();
        assert_eq!(e[0].code, "invalid-value");
    }

    #[test]
    fn bad_progress_files_say_where_and_how_to_fix() {
        let e = parse("{\"schemaVersion\": 1,\n \"kind\": ").unwrap_err();
        assert_eq!(e[0].code, "json-syntax");
        assert_eq!(e[0].line, Some(2));
        let e = parse(&crate::plan::Plan::empty("x").to_json()).unwrap_err();
        assert_eq!(e[0].code, "not-progress");
        let e = parse(r#"{"schemaVersion": 9, "kind": "ecs-planner-learn-progress"}"#).unwrap_err();
        assert_eq!(e[0].code, "newer-schema-version");
        let text = "{\"schemaVersion\": 1, \"kind\": \"ecs-planner-learn-progress\",\n \"scenarios\": {\"a\": {\"attempts\": 1, \"rigth\": 1, \"box\": 9, \"lastRight\": true, \"last\": 1, \"due\": 2}}}";
        let e = parse(text).unwrap_err();
        let paths: Vec<String> = e.iter().map(|f| f.path.to_string()).collect();
        assert!(paths.iter().any(|p| p.contains("rigth")), "{e:?}");
        assert!(e.iter().all(|f| f.line == Some(2)), "{e:?}");
        assert!(
            e.iter()
                .any(|f| f.fix.as_deref().is_some_and(|x| x.contains("right"))),
            "{e:?}"
        );
    }
}
