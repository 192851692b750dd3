//! What the worker does with a request: read it, run the engine, write the reply. Pure (texts
//! in, texts out), so the tests run it natively.

use engine::api::export::{export, Format};
use engine::api::findings::Finding;
use engine::api::learn::{self, Answer, LearnError, Scenario, Variant};
use engine::api::sim::Ran;
use protocol::export as exports;
use protocol::import as imports;
use protocol::learn as kinds;
use protocol::review as reviews;
use protocol::share as shares;
use protocol::sim as sims;
use protocol::{Failure, Reply, Request, VERSION};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// The message sent once the worker takes requests.
pub fn ready() -> String {
    let mut kinds: Vec<String> = kinds::KINDS
        .iter()
        .chain(&imports::KINDS)
        .chain(&exports::KINDS)
        .chain(&reviews::KINDS)
        .chain(&shares::KINDS)
        .chain(&sims::KINDS)
        .chain(&crate::measure::KINDS)
        .map(|k| k.to_string())
        .collect();
    kinds.sort();
    text(&Reply::Ready {
        version: VERSION,
        kinds,
    })
}

/// The reply to one message (a [`Request`] as JSON text).
#[cfg(test)]
pub fn answer(message: &str) -> String {
    answer_with(message, &mut |_| {})
}

/// `answer`, sending the request's progress replies (JSON texts) to `progress` meanwhile.
pub fn answer_with(message: &str, progress: &mut dyn FnMut(String)) -> String {
    let request: Request = match serde_json::from_str(message) {
        Ok(r) => r,
        Err(e) => {
            // Without a request there is no id to answer: 0 says "not a request".
            let id = serde_json::from_str::<Value>(message)
                .ok()
                .and_then(|v| v.get("id").and_then(Value::as_u64))
                .unwrap_or(0);
            return text(&Reply::Failed {
                id,
                error: Failure::new(
                    Failure::BAD_REQUEST,
                    format!(
                        "the message is not a request ({{\"id\", \"kind\", \"payload\"}}): {e}"
                    ),
                ),
            });
        }
    };
    let id = request.id;
    let mut report = |done: u64, total: u64| {
        progress(text(&Reply::Progress {
            id,
            done,
            total,
            note: String::new(),
        }))
    };
    if matches!(request.kind.as_str(), sims::DAY | sims::DEPLOY) {
        return match run(&request, &mut report) {
            // As `Reply::Done` writes itself, without a `Value` of the timeline in between
            // (a big plan's day is hundreds of megabytes as one).
            Ok(result) => format!(r#"{{"type":"done","id":{id},"result":{result}}}"#),
            Err(error) => text(&Reply::Failed { id, error }),
        };
    }
    text(&match handle(&request) {
        Ok(result) => Reply::Done { id, result },
        Err(error) => Reply::Failed { id, error },
    })
}

fn text(reply: &Reply) -> String {
    serde_json::to_string(reply).unwrap_or_else(|e| {
        format!(
            r#"{{"type":"failed","id":{},"error":{{"code":"crashed","message":"the reply could not be written: {e}"}}}}"#,
            reply.id().unwrap_or(0)
        )
    })
}

/// Runs one request (but the time view's runs: [`run`]).
pub fn handle(r: &Request) -> Result<Value, Failure> {
    match r.kind.as_str() {
        kinds::CATALOG => {
            let c: kinds::Catalog = payload(r)?;
            let topics = learn::parse_topics(&c.topics).map_err(|f| refused("topics.json", f))?;
            let index = learn::parse_index(&c.index).map_err(|f| refused("index.json", f))?;
            Ok(json!({ "topics": topics, "index": index }))
        }
        kinds::PLAY => {
            let at: kinds::At = payload(r)?;
            to_json(&variant(&at)?.play())
        }
        kinds::GRADE => {
            let g: kinds::GradeAnswer = payload(r)?;
            let answer: Answer = serde_json::from_value(g.answer).map_err(|e| {
                Failure::new(
                    Failure::BAD_REQUEST,
                    format!(
                        "the answer is not {{\"choice\": id}}, {{\"number\": x}}, {{\"edits\": [...]}} or {{\"plan\": {{...}}}}: {e}"
                    ),
                )
            })?;
            let grade = variant(&g.at)?.grade(&answer).map_err(engine_failure)?;
            to_json(&grade)
        }
        kinds::CHOICE_PLAN => {
            let c: kinds::ChoicePlan = payload(r)?;
            let plan = variant(&c.at)?
                .choice_plan(&c.choice)
                .map_err(engine_failure)?;
            to_json(&plan)
        }
        kinds::PERMITS => {
            let p: kinds::Permits = payload(r)?;
            let v = variant(&p.at)?;
            let loaded = engine::api::plan::load_value(p.plan);
            let plan = loaded
                .plan
                .ok_or_else(|| refused("the plan", errors(loaded.findings)))?;
            to_json(&v.permits(&plan))
        }
        kinds::CHECK => {
            let c: kinds::Check = payload(r)?;
            let topics = match &c.topics {
                Some(t) => Some(learn::parse_topics(t).map_err(|f| refused("topics.json", f))?),
                None => None,
            };
            let checked = learn::check(&c.scenario, c.plan_file.as_deref(), topics.as_ref());
            to_json(&checked.findings)
        }
        kinds::DRAW => {
            let d: kinds::Draw = payload(r)?;
            let index = typed::<learn::Index>(&d.index, "the index")?;
            to_json(&learn::exam::draw(&index, d.size, d.seed))
        }
        kinds::SCORE => {
            let s: kinds::ScoreExam = payload(r)?;
            let index = typed::<learn::Index>(&s.index, "the index")?;
            let questions = typed::<Vec<learn::exam::Question>>(&s.questions, "the questions")?;
            to_json(&learn::exam::score(&index, &questions, &s.results))
        }
        kinds::PROGRESS => {
            let p: kinds::ReadProgress = payload(r)?;
            let progress =
                learn::progress::parse(&p.text).map_err(|f| refused("the progress file", f))?;
            to_json(&progress)
        }
        imports::CONVERT_PASTE => {
            let p: imports::ConvertPaste = payload(r)?;
            Ok(crate::paste::convert(&p.text, &p.family))
        }
        imports::OPEN_PLAN => {
            let o: imports::OpenPlan = payload(r)?;
            crate::open::open(&o)
        }
        exports::FILES => {
            let f: exports::Files = payload(r)?;
            let format = Format::from_name(&f.format).ok_or_else(|| {
                Failure::new(
                    Failure::BAD_REQUEST,
                    format!("there is no export format \"{}\"", f.format),
                )
            })?;
            let plan = loaded_plan(&f.plan)?;
            to_json(&export(&plan, format))
        }
        reviews::REPORT => {
            let r: reviews::Review = payload(r)?;
            to_json(&crate::review::run(&r)?)
        }
        shares::PACK => {
            let p: shares::Pack = payload(r)?;
            // Compact, as `engine::api::share::encode` writes the plan.
            let plan: Value = serde_json::from_str(&p.plan).map_err(|e| {
                Failure::new(Failure::BAD_REQUEST, format!("the plan is not JSON: {e}"))
            })?;
            let json = serde_json::to_vec(&plan).unwrap_or_default();
            Ok(json!({ "fragment": engine::api::share::pack(&json) }))
        }
        crate::measure::ENGINE => {
            let e: crate::measure::Engine = payload(r)?;
            to_json(&crate::measure::engine(&e)?)
        }
        shares::UNPACK => {
            let u: shares::Unpack = payload(r)?;
            match engine::api::share::unpack(&u.fragment) {
                Ok(text) => Ok(json!({ "text": text })),
                Err(f) => Err(refused("the link", vec![*f])),
            }
        }
        other => Err(Failure::new(
            Failure::UNKNOWN_KIND,
            format!(
                "the engine worker does not know \"{other}\" (it knows {}, {}, {}, {}, {}, {})",
                kinds::KINDS.join(", "),
                imports::KINDS.join(", "),
                exports::KINDS.join(", "),
                reviews::KINDS.join(", "),
                shares::KINDS.join(", "),
                sims::KINDS.join(", ")
            ),
        )),
    }
}

/// A time view's run (`sim.day`, `sim.deploy`): the `Ran` as JSON text; `progress(done, total)`
/// says how far a day is.
fn run(r: &Request, progress: &mut dyn FnMut(u64, u64)) -> Result<String, Failure> {
    let ran = if r.kind == sims::DAY {
        let d: sims::Day = payload(r)?;
        let plan = loaded_plan(&d.plan)?;
        Ran::day(&plan, d.hours, |done, total| {
            progress(u64::from(done), u64::from(total))
        })
    } else {
        let d: sims::Deploy = payload(r)?;
        let plan = loaded_plan(&d.plan)?;
        Ran::deployment(&plan, &d.service, d.to.as_deref())
            .map_err(|e| Failure::new(Failure::REFUSED, e.to_string()))?
    };
    serde_json::to_string(&ran).map_err(|e| {
        Failure::new(
            Failure::CRASHED,
            format!("the result could not be written: {e}"),
        )
    })
}

/// A plan document's text, loaded; refused with its errors when it does not load.
pub(crate) fn loaded_plan(text: &str) -> Result<engine::api::plan::Plan, Failure> {
    let loaded = engine::api::plan::load(text);
    loaded
        .plan
        .ok_or_else(|| refused("the plan", errors(loaded.findings)))
}

/// The request's payload as the kind's type.
fn payload<T: DeserializeOwned>(r: &Request) -> Result<T, Failure> {
    T::deserialize(&r.payload).map_err(|e| {
        Failure::new(
            Failure::BAD_REQUEST,
            format!("the payload of {} is not what it takes: {e}", r.kind),
        )
    })
}

fn typed<T: DeserializeOwned>(v: &Value, what: &str) -> Result<T, Failure> {
    T::deserialize(v).map_err(|e| {
        Failure::new(
            Failure::BAD_REQUEST,
            format!("{what} is not what it should be: {e}"),
        )
    })
}

fn to_json(v: &impl Serialize) -> Result<Value, Failure> {
    serde_json::to_value(v).map_err(|e| {
        Failure::new(
            Failure::CRASHED,
            format!("the result could not be written: {e}"),
        )
    })
}

/// A scenario's variant, with its plan file when it names one.
fn variant(at: &kinds::At) -> Result<Variant, Failure> {
    let mut s = Scenario::parse(&at.scenario).map_err(|f| refused("the scenario", f))?;
    if let Some(text) = &at.plan_file {
        s.resolve_plan_file(text)
            .map_err(|f| refused("the scenario's plan file", f))?;
    }
    s.variant(at.variant).map_err(engine_failure)
}

fn errors(findings: Vec<Finding>) -> Vec<Finding> {
    findings.into_iter().filter(Finding::is_error).collect()
}

/// A refusal of `what`, with the first finding in the message and all of them attached.
fn refused(what: &str, findings: Vec<Finding>) -> Failure {
    refused_as(what, "used", findings)
}

/// A refusal of `what`, which "cannot be `done`", with the first finding in the message and
/// all of them attached.
pub(crate) fn refused_as(what: &str, done: &str, findings: Vec<Finding>) -> Failure {
    let message = match findings.first() {
        Some(f) => format!("{what} cannot be {done}: {f}"),
        None => format!("{what} cannot be {done}"),
    };
    Failure {
        code: Failure::REFUSED.to_string(),
        message,
        findings: findings
            .iter()
            .filter_map(|f| serde_json::to_value(f).ok())
            .collect(),
    }
}

fn engine_failure(e: LearnError) -> Failure {
    match e {
        LearnError::Invalid(f) => refused("the scenario", f),
        other => Failure::new(Failure::REFUSED, other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::api::learn::{Grade, Played, View};
    use std::path::PathBuf;

    fn learn_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public/learn")
    }

    fn scenario(id: &str) -> String {
        std::fs::read_to_string(learn_dir().join("scenarios").join(format!("{id}.json"))).unwrap()
    }

    /// Sends a request through the text interface, as the page does.
    fn call(kind: &str, payload: Value) -> Reply {
        let req = Request {
            id: 9,
            kind: kind.into(),
            payload,
        };
        let reply: Reply = serde_json::from_str(&answer(&serde_json::to_string(&req).unwrap()))
            .expect("the reply is a Reply");
        assert_eq!(reply.id(), Some(9), "answers the request's id");
        reply
    }

    fn done(r: Reply) -> Value {
        match r {
            Reply::Done { result, .. } => result,
            other => panic!("expected done, got {other:?}"),
        }
    }

    fn failed(r: Reply) -> Failure {
        match r {
            Reply::Failed { error, .. } => error,
            other => panic!("expected failed, got {other:?}"),
        }
    }

    #[test]
    fn ready_lists_every_kind() {
        let r: Reply = serde_json::from_str(&ready()).unwrap();
        match r {
            Reply::Ready { version, kinds } => {
                assert_eq!(version, VERSION);
                assert!(kinds.contains(&"learn.grade".to_string()));
                assert!(kinds.contains(&exports::FILES.to_string()));
                assert_eq!(
                    kinds.len(),
                    kinds::KINDS.len()
                        + imports::KINDS.len()
                        + exports::KINDS.len()
                        + reviews::KINDS.len()
                        + shares::KINDS.len()
                        + sims::KINDS.len()
                        + crate::measure::KINDS.len()
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn share_links_are_packed_here_as_the_engine_writes_them() {
        let text = std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public/plans/two-az-web.json"),
        )
        .unwrap();
        let plan = engine::api::plan::load(&text).plan.unwrap();
        let v = done(call(shares::PACK, json!({ "plan": plan.to_json() })));
        let fragment = v["fragment"].as_str().unwrap();
        assert_eq!(fragment, engine::api::share::encode(&plan));
        let v = done(call(
            shares::UNPACK,
            json!({ "fragment": format!("#{fragment}") }),
        ));
        let back = engine::api::plan::load(v["text"].as_str().unwrap());
        assert_eq!(back.plan.as_ref(), Some(&plan));
        // A damaged link is refused with the engine's finding (message and fix).
        let e = failed(call(shares::UNPACK, json!({ "fragment": "#plan=v1.AAAA" })));
        assert_eq!(e.code, Failure::REFUSED);
        assert_eq!(e.findings.len(), 1);
        assert_eq!(
            e.findings[0]["message"],
            json!("the link is damaged or too large to be a plan")
        );
        assert_eq!(e.findings[0]["fix"], json!("copy the whole link again"));
    }

    #[test]
    fn exports_are_written_here_and_bad_ones_say_why() {
        let plan = std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public/plans/two-az-web.json"),
        )
        .unwrap();
        let v = done(call(
            exports::FILES,
            json!({ "plan": plan, "format": "terraform" }),
        ));
        let files: Vec<engine::api::export::ExportFile> = serde_json::from_value(v).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].name, "main.tf");
        assert!(files[0].content.contains("resource \"aws_ecs_service\""));
        // The same files as the engine writes in the page's process.
        let loaded = engine::api::plan::load(&plan).plan.unwrap();
        assert_eq!(files, export(&loaded, Format::Terraform));

        let e = failed(call(
            exports::FILES,
            json!({ "plan": plan, "format": "pulumi" }),
        ));
        assert_eq!(e.code, Failure::BAD_REQUEST);
        assert!(e.message.contains("pulumi"), "{}", e.message);
        let e = failed(call(
            exports::FILES,
            json!({ "plan": "{\"version\": ", "format": "terraform" }),
        ));
        assert_eq!(e.code, Failure::REFUSED);
        assert!(e.message.contains("line 1"), "{}", e.message);
    }

    fn sample(name: &str) -> String {
        std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../public/plans")
                .join(name),
        )
        .unwrap()
    }

    #[test]
    fn a_review_has_the_report_its_body_and_every_format() {
        let plan = sample("two-az-web.json");
        let v = done(call(
            reviews::REPORT,
            json!({ "plan": plan, "file": "two-az-web.json" }),
        ));
        let got: reviews::Reviewed = serde_json::from_value(v).unwrap();
        let report: engine::api::review::Report = serde_json::from_value(got.report).unwrap();
        // The engine's report of the same text, as `ecsplan review two-az-web.json` computes it.
        let opts = engine::api::review::ReviewOptions::for_file("two-az-web.json");
        let expected = engine::api::review::review_text(&plan, &opts);
        assert_eq!(report, expected);
        assert!(report.capacity.is_some() && report.resilience.is_some());
        let formats: Vec<&str> = got.files.iter().map(|f| f.format.as_str()).collect();
        assert_eq!(formats, ["md", "html", "json", "junit", "sarif"]);
        let names: Vec<&str> = got.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names[3], "two-az-web-review.xml");
        for f in &got.files {
            assert_eq!(
                f.content,
                engine::api::review::render(&expected, &f.format),
                "{}",
                f.format
            );
        }
        // The body is the HTML file's body: no script, no style, the commands named.
        assert!(got.files[1].content.contains(&got.body));
        assert!(!got.body.contains("<script") && !got.body.contains("<style"));
        assert!(got
            .body
            .contains("ecsplan whatif two-az-web.json --lose-az"));
    }

    #[test]
    fn a_review_compares_with_an_older_plan_and_refuses_nothing() {
        let new = sample("two-az-web.json");
        let mut old: Value = serde_json::from_str(&new).unwrap();
        old["services"][0]["desiredCount"] = json!(1);
        let v = done(call(
            reviews::REPORT,
            json!({
                "plan": new,
                "file": "two-az-web.json",
                "against": { "plan": old.to_string(), "file": "before.json" },
                "seed": 7
            }),
        ));
        let report: engine::api::review::Report =
            serde_json::from_value(v["report"].clone()).unwrap();
        assert_eq!(report.assumptions.seed, 7);
        let c = report.comparison.expect("a comparison");
        assert_eq!(c.against, "before.json");
        assert!(c.deltas.iter().any(|d| d.changed), "{:?}", c.deltas);
        assert!(v["body"]
            .as_str()
            .unwrap()
            .contains("Change from before.json"));
        // A plan that does not load is reviewed too (its findings), not refused.
        let v = done(call(
            reviews::REPORT,
            json!({ "plan": "{\"schemaVersion\": ", "file": "broken.json" }),
        ));
        assert!(v["report"]["summary"]["notComputed"].is_string());
        // A payload without the plan is a bad request.
        let e = failed(call(reviews::REPORT, json!({ "file": "x.json" })));
        assert_eq!(e.code, Failure::BAD_REQUEST);
        assert!(e.message.contains("plan"), "{}", e.message);
    }

    #[test]
    fn catalog_reads_topics_and_index() {
        let dir = learn_dir();
        let v = done(call(
            kinds::CATALOG,
            json!({
                "topics": std::fs::read_to_string(dir.join("topics.json")).unwrap(),
                "index": std::fs::read_to_string(dir.join("index.json")).unwrap(),
            }),
        ));
        assert!(v["topics"]["topics"].as_array().unwrap().len() >= 25);
        assert!(v["index"]["scenarios"].as_array().unwrap().len() >= 25);
    }

    #[test]
    fn play_then_grade_a_wrong_and_the_right_choice() {
        let at = json!({ "scenario": scenario("where-web-5-lands"), "variant": 0 });
        let played: Played = serde_json::from_value(done(call(kinds::PLAY, at.clone()))).unwrap();
        assert_eq!(
            played.view,
            View::Board {
                focus: Some("web-5".into())
            }
        );
        assert_eq!(played.choices.len(), 10);
        let wrong: Grade = serde_json::from_value(done(call(
            kinds::GRADE,
            json!({ "at": at, "answer": { "choice": "i-06" } }),
        )))
        .unwrap();
        assert!(!wrong.correct);
        let i06 = wrong.choices.iter().find(|c| c.id == "i-06").unwrap();
        assert!(
            i06.chosen && i06.consequence.contains("DRAINING"),
            "{i06:?}"
        );
        let right = wrong.choices.iter().find(|c| c.correct).unwrap().id.clone();
        let graded: Grade = serde_json::from_value(done(call(
            kinds::GRADE,
            json!({ "at": at, "answer": { "choice": right } }),
        )))
        .unwrap();
        assert!(graded.correct);
        assert!(!graded.pages.is_empty());
    }

    #[test]
    fn a_choice_plan_and_permits_after_an_edit() {
        let at = json!({ "scenario": scenario("scale-out-from-zero") });
        let plan = done(call(
            kinds::CHOICE_PLAN,
            json!({ "at": at, "choice": "queue" }),
        ));
        assert_eq!(
            plan["services"][0]["autoScaling"]["policies"][0]["PolicyName"],
            "queue-step"
        );
        let reach = json!({ "scenario": scenario("survive-losing-a-zone") });
        let played: Played =
            serde_json::from_value(done(call(kinds::PLAY, reach.clone()))).unwrap();
        let mut edited = serde_json::to_value(&played.plan).unwrap();
        // Allowed: another m5.large. Not allowed: an m5.xlarge.
        let more =
            json!({ "id": "i-new", "instanceType": "m5.xlarge", "availabilityZone": "us-east-1b" });
        edited["cluster"]["containerInstances"]
            .as_array_mut()
            .unwrap()
            .push(more);
        let refusals = done(call(kinds::PERMITS, json!({ "at": reach, "plan": edited })));
        let refusals: Vec<Finding> = serde_json::from_value(refusals).unwrap();
        assert_eq!(refusals.len(), 1, "{refusals:?}");
        assert!(refusals[0].message.contains("m5.xlarge"), "{refusals:?}");
    }

    #[test]
    fn bad_requests_are_answered_with_the_reason() {
        let f = failed(call("learn.nope", Value::Null));
        assert_eq!(f.code, Failure::UNKNOWN_KIND);
        let f = failed(call(kinds::PLAY, json!({ "variant": 1 })));
        assert_eq!(f.code, Failure::BAD_REQUEST);
        assert!(f.message.contains("scenario"), "{}", f.message);
        let f = failed(call(
            kinds::PLAY,
            json!({ "scenario": "{\"schemaVersion\": 1,\n \"id\": " }),
        ));
        assert_eq!(f.code, Failure::REFUSED);
        let finding: Finding = serde_json::from_value(f.findings[0].clone()).unwrap();
        assert_eq!(finding.line, Some(2));
        let f = failed(call(
            kinds::GRADE,
            json!({ "at": { "scenario": scenario("where-web-5-lands") }, "answer": { "choice": "i-99" } }),
        ));
        assert!(f.message.contains("i-99"), "{}", f.message);
        // Not even a request: answered with id 0.
        let r: Reply = serde_json::from_str(&answer("[1, 2]")).unwrap();
        assert_eq!(failed(r).code, Failure::BAD_REQUEST);
    }

    #[test]
    fn a_scenario_with_a_plan_file_needs_its_text() {
        let s = scenario("fargate-spot-split");
        let f = failed(call(kinds::PLAY, json!({ "scenario": s })));
        assert!(f.message.contains("plan file"), "{}", f.message);
        let plan = std::fs::read_to_string(learn_dir().join("../plans/fargate-spot.json")).unwrap();
        let played: Played = serde_json::from_value(done(call(
            kinds::PLAY,
            json!({ "scenario": s, "planFile": plan, "variant": 1 }),
        )))
        .unwrap();
        assert_eq!(played.variant, 1);
    }

    #[test]
    fn exams_are_drawn_and_scored_and_progress_files_read() {
        let index: Value =
            serde_json::from_str(&std::fs::read_to_string(learn_dir().join("index.json")).unwrap())
                .unwrap();
        let q = done(call(
            kinds::DRAW,
            json!({ "index": index, "size": 3, "seed": 42 }),
        ));
        assert_eq!(q.as_array().unwrap().len(), 3);
        assert_eq!(
            q,
            done(call(
                kinds::DRAW,
                json!({ "index": index, "size": 3, "seed": 42 })
            ))
        );
        let s = done(call(
            kinds::SCORE,
            json!({ "index": index, "questions": q, "results": [true, false, null] }),
        ));
        assert_eq!(
            (s["right"].as_u64(), s["total"].as_u64()),
            (Some(1), Some(3))
        );
        assert!(!s["topics"].as_object().unwrap().is_empty());
        let mut p = engine::api::learn::progress::Progress::default();
        p.answer("where-web-5-lands", false, 7);
        let back = done(call(kinds::PROGRESS, json!({ "text": p.to_json() })));
        assert_eq!(back["scenarios"]["where-web-5-lands"]["box"], 1);
        let f = failed(call(
            kinds::PROGRESS,
            json!({ "text": "{\"schemaVersion\": 1}" }),
        ));
        assert_eq!(f.code, Failure::REFUSED);
    }

    #[test]
    fn check_reports_a_teachers_scenario() {
        let bad = scenario("where-web-5-lands")
            .replace("\"question\": \"landing\"", "\"question\": \"nope\"");
        let found = done(call(kinds::CHECK, json!({ "scenario": bad })));
        assert!(!found.as_array().unwrap().is_empty());
        let good = done(call(
            kinds::CHECK,
            json!({ "scenario": scenario("where-web-5-lands") }),
        ));
        assert_eq!(good, json!([]));
    }

    /// The time view's runs: the worker's answer, read back as the page reads it, is what
    /// `engine::api::sim` computes natively on the same plan (a day: `Progressive` with a cost
    /// point every 15 minutes; a deployment: `deploy`), with a progress reply per 15 minutes.
    #[test]
    fn a_day_and_a_deployment_are_the_simulators() {
        use engine::api::placement::PlaceOptions;
        use engine::api::sim::{deploy, DeployRequest, Progressive, COST_EVERY};
        let text = sample("two-az-web.json");
        let plan = engine::api::plan::load(&text).plan.unwrap();
        let req = Request::new(
            4,
            sims::DAY,
            &sims::Day {
                plan: text.clone(),
                hours: 3,
            },
        );
        let mut progress = Vec::new();
        let reply = answer_with(&serde_json::to_string(&req).unwrap(), &mut |p| {
            progress.push(serde_json::from_str::<Reply>(&p).unwrap())
        });
        assert_eq!(
            progress.len(),
            11,
            "every 15 simulated minutes but the last"
        );
        assert_eq!(
            progress[3],
            Reply::Progress {
                id: 4,
                done: 3600,
                total: 10_800,
                note: String::new()
            }
        );
        // The page reads the reply's text straight into a `Ran`.
        #[derive(serde::Deserialize)]
        struct Done {
            result: Ran,
        }
        let ran: Done = serde_json::from_str(&reply).unwrap();
        let (timeline, cost, deployed) = ran.result.into_parts();
        let (native, native_cost) =
            Progressive::new(&plan, 10_800, &PlaceOptions::for_plan(&plan), COST_EVERY).finish();
        assert!(deployed.is_none());
        assert_eq!(timeline.events, native.events);
        assert_eq!(timeline.tasks, native.tasks);
        assert_eq!(timeline.services, native.services);
        assert_eq!(timeline.instances, native.instances);
        assert_eq!(timeline.minutes.len(), native.minutes.len());
        assert_eq!(cost.len(), native_cost.len());
        let last =
            |c: &[engine::api::sim::CostPoint]| c.last().map(|c| (c.t, (c.total * 1e6).round()));
        assert_eq!(last(&cost), last(&native_cost));

        let v = done(call(
            sims::DEPLOY,
            json!({ "plan": text, "service": "web" }),
        ));
        let (timeline, cost, deployed) = serde_json::from_value::<Ran>(v).unwrap().into_parts();
        let r = deploy(
            &plan,
            &DeployRequest::new("web", None),
            &PlaceOptions::for_plan(&plan),
        )
        .unwrap();
        assert!(cost.is_empty());
        let d = deployed.unwrap();
        assert_eq!(
            (d.outcome, d.reason, d.duration),
            (r.outcome, r.reason, r.duration_seconds)
        );
        assert_eq!(timeline.events, r.timeline.events);
        assert_eq!(timeline.tasks, r.timeline.tasks);

        // A service that is not in the plan, a plan that does not load: refused, with why.
        let e = failed(call(
            sims::DEPLOY,
            json!({ "plan": text, "service": "nope" }),
        ));
        assert_eq!(e.code, Failure::REFUSED);
        assert!(e.message.contains("nope"), "{}", e.message);
        let e = failed(call(
            sims::DAY,
            json!({ "plan": "{\"schemaVersion\": ", "hours": 1 }),
        ));
        assert_eq!(e.code, Failure::REFUSED);
        assert!(e.message.contains("line 1"), "{}", e.message);
    }
}
