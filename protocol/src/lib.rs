//! The engine worker's protocol: what the page and the engine worker (`worker/`, a second wasm
//! module that runs the engine in a Web Worker) say to each other.
//!
//! Every message is one JSON text passed with `postMessage`. The page sends a [`Request`]: an
//! id it chose, a `kind` (what to do, e.g. [`learn::PLAY`]) and a `payload` whose shape the kind
//! decides. The worker answers each request exactly once, with [`Reply::Done`] (the result) or
//! [`Reply::Failed`] (a [`Failure`]), and may send [`Reply::Progress`] for it before that. Right
//! after it has started it sends [`Reply::Ready`] once; requests posted before that are lost
//! (the worker has no message handler yet), so the page waits for it.
//!
//! There is no cancel message: the worker runs one request at a time to the end, so the page
//! cancels by terminating the worker and starting a new one (every pending request then fails
//! with [`Failure::CANCELLED`]). Requests carry everything they need (no state in the worker
//! between requests), so a new worker can take any request.
//!
//! This crate has only the serde types, so that the page, the worker and their tests share
//! them; the results are the engine's own types (`engine::api::learn::Played`, ...) as JSON.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The protocol's version, sent in [`Reply::Ready`]: a page that finds another one restarts
/// nothing and reports the mismatch (a cached old worker next to a new page).
pub const VERSION: u32 = 1;

/// A request from the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Chosen by the page, unique among its pending requests; the reply carries it back.
    pub id: u64,
    /// What to do: one of the kinds the worker lists in [`Reply::Ready`].
    pub kind: String,
    /// The kind's input.
    #[serde(default)]
    pub payload: Value,
}

impl Request {
    /// A request of `kind` with a typed payload.
    pub fn new(id: u64, kind: &str, payload: &impl Serialize) -> Request {
        Request {
            id,
            kind: kind.to_string(),
            payload: serde_json::to_value(payload).unwrap_or(Value::Null),
        }
    }
}

/// A message from the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Reply {
    /// The worker has started and takes requests.
    Ready { version: u32, kinds: Vec<String> },
    /// How far a long request is (`done` of `total` units the kind defines, e.g. simulated
    /// seconds).
    Progress {
        id: u64,
        done: u64,
        total: u64,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    /// The request's result.
    Done { id: u64, result: Value },
    /// The request could not be done.
    Failed { id: u64, error: Failure },
}

impl Reply {
    /// The request a reply answers (none for [`Reply::Ready`]).
    pub fn id(&self) -> Option<u64> {
        match self {
            Reply::Ready { .. } => None,
            Reply::Progress { id, .. } | Reply::Done { id, .. } | Reply::Failed { id, .. } => {
                Some(*id)
            }
        }
    }
}

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// One of the `Failure::*` codes.
    pub code: String,
    /// For people: what went wrong and, where there is one, how to fix it.
    pub message: String,
    /// The engine's findings when the input is at fault (each with its JSON path, line:column
    /// and fix), as `engine::api::findings::Finding` JSON.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Value>,
}

impl Failure {
    /// The worker does not know the request's kind.
    pub const UNKNOWN_KIND: &'static str = "unknown-kind";
    /// The payload does not have the kind's shape, or the message is not a request.
    pub const BAD_REQUEST: &'static str = "bad-request";
    /// The engine refused the input (findings say where and why).
    pub const REFUSED: &'static str = "refused";
    /// The page cancelled it (the worker was terminated).
    pub const CANCELLED: &'static str = "cancelled";
    /// The worker stopped (it could not load, or crashed) before answering.
    pub const CRASHED: &'static str = "crashed";

    pub fn new(code: &str, message: impl Into<String>) -> Failure {
        Failure {
            code: code.to_string(),
            message: message.into(),
            findings: Vec::new(),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Learn mode's requests (`engine::api::learn`): the page fetches the files, the worker
/// parses, plays, grades and checks them.
pub mod learn {
    use super::*;

    /// [`Catalog`] → `{"topics": Topics, "index": Index}`.
    pub const CATALOG: &str = "learn.catalog";
    /// [`At`] → `Played` (what to show: prompt, plan, view, choices, controls, hints, pages).
    pub const PLAY: &str = "learn.play";
    /// [`GradeAnswer`] → `Grade` (right or not, the explanation, every choice's consequence).
    pub const GRADE: &str = "learn.grade";
    /// [`ChoicePlan`] → the plan (JSON) with a choice's edits applied.
    pub const CHOICE_PLAN: &str = "learn.choicePlan";
    /// [`Permits`] → the changes (findings) the scenario's controls do not allow.
    pub const PERMITS: &str = "learn.permits";
    /// [`Check`] → the problems `ecsplan learn check` would report (findings; empty when sound).
    pub const CHECK: &str = "learn.check";
    /// [`Draw`] → the questions of a practice exam (`[{"id", "variant"}]`).
    pub const DRAW: &str = "learn.draw";
    /// [`ScoreExam`] → the exam's score, in all and per topic.
    pub const SCORE: &str = "learn.score";
    /// [`ReadProgress`] → a progress file read and checked (`Progress`), or its findings.
    pub const PROGRESS: &str = "learn.progress";

    /// Every kind of this module.
    pub const KINDS: [&str; 9] = [
        CATALOG,
        PLAY,
        GRADE,
        CHOICE_PLAN,
        PERMITS,
        CHECK,
        DRAW,
        SCORE,
        PROGRESS,
    ];

    /// The topic list and the scenario index, as fetched.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Catalog {
        pub topics: String,
        pub index: String,
    }

    /// A scenario variant: the scenario file's text, its plan file's text when it names one
    /// (`planFile`), and the variant number.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct At {
        pub scenario: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub plan_file: Option<String>,
        #[serde(default)]
        pub variant: u32,
    }

    /// An answer to grade: `engine::api::learn::Answer` JSON (`{"choice": "i-06"}`,
    /// `{"number": 6}`, `{"plan": {...}}`, `{"edits": [...]}`).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct GradeAnswer {
        pub at: At,
        pub answer: Value,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ChoicePlan {
        pub at: At,
        pub choice: String,
    }

    /// The learner's plan (JSON) after an edit.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Permits {
        pub at: At,
        pub plan: Value,
    }

    /// An exam to draw from the index (`Index` JSON, as `learn.catalog` gave it).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Draw {
        pub index: Value,
        pub size: usize,
        pub seed: u64,
    }

    /// An exam to score: its questions and whether each was answered right (null: not answered).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ScoreExam {
        pub index: Value,
        pub questions: Value,
        pub results: Vec<Option<bool>>,
    }

    /// A progress file's text.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ReadProgress {
        pub text: String,
    }

    /// A scenario to check, with the topic list to check its topics against (optional).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Check {
        pub scenario: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub plan_file: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub topics: Option<String>,
    }
}

/// Imports that only one view needs (the importers and the YAML parser are the page's largest
/// engine part that its first load can do without).
pub mod import {
    use super::*;

    /// [`ConvertPaste`] → what text pasted into a task definition's JSON view becomes:
    /// `{"as": "asIs"}`, `{"as": "converted", "json": {...}, "from": "a docker-compose file",
    /// "notes": [...]}` or `{"as": "refused", "message": "..."}`.
    pub const CONVERT_PASTE: &str = "import.convertPaste";
    /// [`OpenPlan`] → `{"plan": "..."}`, the plan document as the page saves it (its canonical
    /// JSON), or a `refused` failure with the loader's errors (at most 50, each with its path and
    /// line:column). A plan file chosen or dropped on the page is read here, so that a large or
    /// hostile file neither freezes the page nor leaves it without a Cancel.
    pub const OPEN_PLAN: &str = "import.openPlan";

    /// The largest plan file opened: the command line's limit (`ecsplan` refuses larger files).
    pub const MAX_PLAN_BYTES: u64 = 64 * 1024 * 1024;

    /// The message for a file over [`MAX_PLAN_BYTES`] (the page says it before reading the
    /// file, the worker if it is given one), and its fix.
    pub fn too_large(name: &str, bytes: u64) -> (String, &'static str) {
        (
            format!(
                "{name} is {:.1} MiB; the planner opens plan files of at most {} MiB, as ecsplan does",
                bytes as f64 / (1024.0 * 1024.0),
                MAX_PLAN_BYTES >> 20
            ),
            "a plan is kilobytes: check that this is the plan file",
        )
    }

    /// Every kind of this module.
    pub const KINDS: [&str; 2] = [CONVERT_PASTE, OPEN_PLAN];

    /// Pasted text, and the family of the task definition it is pasted into (kept).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ConvertPaste {
        pub text: String,
        pub family: String,
    }

    /// A plan file's text and its name (for the messages).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct OpenPlan {
        pub text: String,
        pub name: String,
    }
}

/// Exports (`engine::api::export`): the exporters (CloudFormation, Terraform, YAML) are only
/// needed when the export dialog shows a format, so they run here instead of in the page's
/// first load.
pub mod export {
    use super::*;

    /// [`Files`] → the files of the format (`[{"name", "content"}]`, as
    /// `engine::api::export::ExportFile`; none when the plan has nothing of that kind).
    pub const FILES: &str = "export.files";

    /// Every kind of this module.
    pub const KINDS: [&str; 1] = [FILES];

    /// The plan document (its JSON text, as the page saves it) and the format's name
    /// (`engine::api::export::Format::name`, e.g. `terraform`).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Files {
        pub plan: String,
        pub format: String,
    }
}

/// The architecture review (`engine::api::review`): a review places, loses every zone, deploys
/// every service and simulates a day, so it runs here, off the page's thread and first load.
pub mod review {
    use super::*;

    /// [`Review`] → [`Reviewed`]: the report, the body of its HTML for the page to show, and
    /// the file of every format (the bytes `ecsplan review --format F` writes).
    pub const REPORT: &str = "review.report";

    /// Every kind of this module.
    pub const KINDS: [&str; 1] = [REPORT];

    /// A plan to review (its JSON text, as the page saves it), named `file` in the commands
    /// the report cites; with `against`, compared with an older plan.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Review {
        pub plan: String,
        pub file: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub against: Option<Against>,
        /// Default: the plan's `settings.seed`, else 1 (as `ecsplan review` without `--seed`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub seed: Option<u64>,
    }

    /// The plan a review compares with.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Against {
        pub plan: String,
        pub file: String,
    }

    /// A review's answer.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Reviewed {
        /// `engine::api::review::Report` as JSON (the `json` format's content, unindented).
        pub report: Value,
        /// `engine::api::review::render_html_body`: escaped text, no script, no style.
        pub body: String,
        /// One per format, in `engine::api::review::FORMATS` order.
        pub files: Vec<File>,
    }

    /// A report file: the format (`md`, `html`, `json`, `junit`, `sarif`), its name and text.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct File {
        pub format: String,
        pub name: String,
        pub content: String,
    }
}

/// Share links (`engine::api::share`): the compression (deflate, base64) runs here, so it is
/// not part of the page's first load; the page loads the plan text itself.
pub mod share {
    use super::*;

    /// [`Pack`] → `{"fragment": "plan=v1...."}` (without `#`).
    pub const PACK: &str = "share.pack";
    /// [`Unpack`] → `{"text": "..."}`: the plan's JSON text, not loaded yet; a fragment that
    /// holds none fails as `refused` with the finding that says why.
    pub const UNPACK: &str = "share.unpack";

    /// Every kind of this module.
    pub const KINDS: [&str; 2] = [PACK, UNPACK];

    /// The plan document's JSON text (as the page saves it); the link holds it compact.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Pack {
        pub plan: String,
    }

    /// A URL fragment, with or without `#`.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Unpack {
        pub fragment: String,
    }
}

/// The time view's runs (`engine::api::sim`): the simulator runs here, so it is not part of the
/// page's first load and a long day does not freeze the page; the page indexes the timeline it
/// gets for its moments.
pub mod sim {
    use super::*;

    /// [`Day`] → `engine::api::sim::Ran` (the timeline and the cost every 15 minutes), with a
    /// progress reply every 15 simulated minutes (`done` of `total` simulated seconds).
    pub const DAY: &str = "sim.day";
    /// [`Deploy`] → `engine::api::sim::Ran` (the timeline and how the deployment ended); a
    /// deployment that cannot run fails as `refused` with the engine's reason.
    pub const DEPLOY: &str = "sim.deploy";

    /// Every kind of this module.
    pub const KINDS: [&str; 2] = [DAY, DEPLOY];

    /// The plan document (its JSON text, as the page saves it) over `hours` hours.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Day {
        pub plan: String,
        pub hours: u32,
    }

    /// A deployment of `service` to `to` (`family:revision`; none: a forced new deployment).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Deploy {
        pub plan: String,
        pub service: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub to: Option<String>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn requests_and_replies_are_plain_json() {
        let at = learn::At {
            scenario: "{}".into(),
            plan_file: None,
            variant: 2,
        };
        let r = Request::new(7, learn::PLAY, &at);
        let text = serde_json::to_string(&r).unwrap();
        assert_eq!(
            text,
            r#"{"id":7,"kind":"learn.play","payload":{"scenario":"{}","variant":2}}"#
        );
        let back: Request = serde_json::from_str(&text).unwrap();
        assert_eq!(back, r);
        assert_eq!(
            serde_json::from_value::<learn::At>(back.payload).unwrap(),
            at
        );

        let done = Reply::Done {
            id: 7,
            result: json!({"ok": true}),
        };
        let text = serde_json::to_string(&done).unwrap();
        assert_eq!(text, r#"{"type":"done","id":7,"result":{"ok":true}}"#);
        assert_eq!(serde_json::from_str::<Reply>(&text).unwrap(), done);
        let failed: Reply = serde_json::from_str(
            r#"{"type":"failed","id":3,"error":{"code":"refused","message":"no"}}"#,
        )
        .unwrap();
        assert_eq!(failed.id(), Some(3));
        assert_eq!(
            serde_json::from_str::<Reply>(r#"{"type":"ready","version":1,"kinds":[]}"#)
                .unwrap()
                .id(),
            None
        );
    }

    #[test]
    fn a_request_without_payload_has_null() {
        let r: Request = serde_json::from_str(r#"{"id":1,"kind":"x"}"#).unwrap();
        assert_eq!(r.payload, Value::Null);
    }
}
