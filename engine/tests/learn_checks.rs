//! The checks that keep scenarios right catch scenarios that are wrong: each test breaks one
//! thing in a small, valid scenario and expects the finding, with its path, line and column.

use engine::api::learn::{self, Answer, LearnError, Scenario};
use serde_json::{json, Value};

/// A valid predict scenario: where does web-2 land, when one of two instances is DRAINING.
fn predict() -> Value {
    json!({
        "schemaVersion": 1,
        "id": "two-instances",
        "title": "Two instances",
        "topics": ["placement-strategies"],
        "kind": "predict",
        "parameters": [{"name": "n", "values": [2, 3]}],
        "plan": {
            "schemaVersion": 1,
            "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": [
                {"id": "i-a", "instanceType": "m5.large", "availabilityZone": "us-east-1a"},
                {"id": "i-b", "instanceType": "m5.large", "availabilityZone": "us-east-1b", "status": "DRAINING"}]},
            "taskDefinitions": [{"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "cpu": 256, "memory": 512}]}],
            "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": {"$param": "n"}, "launchType": "EC2"}]
        },
        "prompt": "With {n} tasks, where does web-2 land?",
        "measures": {"landing": {"of": "taskInstance", "task": "web-2"}},
        "question": "landing",
        "choices": [
            {"id": "a", "label": "i-a", "value": "i-a"},
            {"id": "b", "label": "i-b", "value": "i-b"}
        ],
        "explanation": "web-2 lands on {landing}: {landing.detail}",
        "pages": ["task-placement.md"]
    })
}

/// A valid reach scenario: add an instance so that no task waits.
fn reach() -> Value {
    json!({
        "schemaVersion": 1,
        "id": "add-one",
        "title": "Add one",
        "topics": ["placement-strategies"],
        "kind": "reach",
        "plan": {
            "schemaVersion": 1,
            "cluster": {"availabilityZones": ["us-east-1a"], "containerInstances": [
                {"id": "i-a", "instanceType": "m5.large", "availabilityZone": "us-east-1a"}]},
            "taskDefinitions": [{"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "cpu": 1024, "memory": 512}]}],
            "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 4, "launchType": "EC2"}]
        },
        "prompt": "{start.waiting} tasks wait. Make room.",
        "measures": {"waiting": {"of": "unplaced", "service": "web"}},
        "goal": [{"measure": "waiting", "op": "eq", "value": 0}],
        "controls": [{"command": "addInstances", "instanceTypes": ["m5.large"]}],
        "solution": [{"command": "addInstances", "instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 1}],
        "explanation": "{waiting} wait now; {start.waiting} did.",
        "pages": ["task-placement.md"]
    })
}

fn text(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap()
}

fn findings(v: &Value) -> Vec<engine::api::findings::Finding> {
    learn::check(&text(v), None, None).findings
}

fn has(
    fs: &[engine::api::findings::Finding],
    code: &str,
    path: &str,
) -> engine::api::findings::Finding {
    fs.iter()
        .find(|f| f.code == code && f.path.to_string() == path)
        .cloned()
        .unwrap_or_else(|| panic!("no {code} at {path} in {fs:#?}"))
}

#[test]
fn the_examples_are_valid() {
    assert_eq!(findings(&predict()), vec![]);
    assert_eq!(findings(&reach()), vec![]);
}

#[test]
fn a_misspelt_member_gets_its_path_line_column_and_a_fix() {
    let mut v = predict();
    let p = v["prompt"].take();
    v.as_object_mut().unwrap().remove("prompt");
    v["promt"] = p;
    let t = text(&v);
    let err = Scenario::parse(&t).unwrap_err();
    let f = err.iter().find(|f| f.code == "unknown-field").unwrap();
    assert_eq!(f.path.to_string(), "promt");
    assert_eq!(f.fix.as_deref(), Some("did you mean `prompt`?"));
    let line = t.lines().position(|l| l.contains("\"promt\"")).unwrap() as u32 + 1;
    assert_eq!(f.line, Some(line));
    assert!(err
        .iter()
        .any(|f| f.code == "missing-field" && f.message.contains("prompt")));
}

#[test]
fn a_bad_plan_inside_a_scenario_is_reported_like_a_bad_plan() {
    let mut v = predict();
    v["plan"]["services"][0]["desiredCont"] = json!(2);
    let t = text(&v);
    let fs = learn::check(&t, None, None).findings;
    let f = has(&fs, "unknown-field", "plan.services[0].desiredCont");
    assert_eq!(f.fix.as_deref(), Some("did you mean `desiredCount`?"));
    let line = t.lines().position(|l| l.contains("desiredCont\"")).unwrap() as u32 + 1;
    assert_eq!(f.line, Some(line));
}

#[test]
fn an_unknown_parameter_and_a_bad_enum_are_named() {
    let mut v = predict();
    v["plan"]["services"][0]["desiredCount"] = json!({"$param": "m"});
    v["kind"] = json!("predicts");
    let fs = Scenario::parse(&text(&v)).unwrap_err();
    let f = has(
        &fs,
        "learn-unknown-parameter",
        "plan.services[0].desiredCount",
    );
    assert_eq!(f.fix.as_deref(), Some("did you mean \"n\"?"));
    let f = has(&fs, "invalid-enum", "kind");
    assert_eq!(f.fix.as_deref(), Some("did you mean \"predict\"?"));
}

#[test]
fn a_predict_scenario_needs_exactly_one_choice_matching_the_engine() {
    let mut v = predict();
    v["choices"][0]["value"] = json!("i-b");
    has(&findings(&v), "learn-no-answer", "choices");
    let mut v = predict();
    v["choices"][1]["value"] = json!("i-a");
    let f = has(&findings(&v), "learn-answer-not-unique", "choices");
    assert!(f.message.contains("2 choices match"), "{}", f.message);
    // A variant where none matches is reported with its parameter values.
    let mut v = predict();
    v["parameters"][0]["values"] = json!([2, 1]);
    let fs = findings(&v);
    let f = has(&fs, "learn-measure", "measures.landing");
    assert!(
        f.message.contains("no task web-2") && f.message.contains("variant with n = 1"),
        "{}",
        f.message
    );
}

#[test]
fn an_answer_decided_by_a_tie_aws_leaves_unspecified_is_refused() {
    // Two equal instances: which one web-2 lands on is a seeded tie-break, not an ECS rule.
    let mut v = predict();
    v["plan"]["cluster"]["containerInstances"][1]["status"] = json!("ACTIVE");
    v["plan"]["cluster"]["containerInstances"][1]["availabilityZone"] = json!("us-east-1a");
    v["parameters"][0]["values"] = json!([2]);
    v["measures"]["landing"] = json!({"of": "taskInstance", "task": "web-1"});
    v["prompt"] = json!("Where does web-1 land?");
    let fs = findings(&v);
    let f = has(&fs, "learn-unspecified", "question");
    assert!(
        f.message.contains("depends on what AWS leaves unspecified"),
        "{}",
        f.message
    );
}

#[test]
fn predict_texts_cannot_give_the_answer_away_and_placeholders_must_resolve() {
    let mut v = predict();
    v["prompt"] = json!("Where does web-2 land (hint: {landing})?");
    v["explanation"] = json!("It lands on {landng}.");
    let fs = findings(&v);
    let f = has(&fs, "learn-placeholder", "prompt");
    assert!(
        f.message.contains("would show the engine's answer"),
        "{}",
        f.message
    );
    let f = has(&fs, "learn-placeholder", "explanation");
    assert_eq!(f.fix.as_deref(), Some("did you mean {landing}?"));
    let mut v = predict();
    v["explanation"] = json!("a stray { brace");
    has(&findings(&v), "learn-placeholder", "explanation");
}

#[test]
fn answers_are_never_keyed_outside_classify_and_pages_must_exist() {
    let mut v = predict();
    v["answer"] = json!("a");
    v["pages"] = json!(["task-placement.md#nope", "https://example.com/ecs"]);
    let fs = findings(&v);
    has(&fs, "learn-answer-keyed", "answer");
    let f = has(&fs, "learn-page", "pages[0]");
    assert!(f.message.contains("no anchor #nope"), "{}", f.message);
    has(&fs, "learn-page", "pages[1]");
}

#[test]
fn a_reach_scenario_must_start_unsolved_and_its_solution_must_reach_the_goal() {
    let mut v = reach();
    v["plan"]["services"][0]["desiredCount"] = json!(1);
    let f = has(&findings(&v), "learn-start-meets-goal", "goal");
    assert!(
        f.message.contains("already meets the goal"),
        "{}",
        f.message
    );
    let mut v = reach();
    v["solution"][0]["instanceType"] = json!("t3.micro");
    v["controls"][0]["instanceTypes"] = json!(["m5.large", "t3.micro"]);
    has(&findings(&v), "learn-solution", "solution");
    // A solution that uses a change its own controls do not allow.
    let mut v = reach();
    v["controls"][0]["instanceTypes"] = json!(["m5.xlarge"]);
    let f = has(&findings(&v), "learn-solution", "solution");
    assert!(f.message.contains("controls do not allow"), "{}", f.message);
    // A goal naming a measure that does not exist.
    let mut v = reach();
    v["goal"][0]["measure"] = json!("wating");
    let f = has(&findings(&v), "learn-measure", "goal[0].measure");
    assert_eq!(f.fix.as_deref(), Some("did you mean \"waiting\"?"));
}

#[test]
fn a_classify_key_must_agree_with_the_engine_when_the_choices_can_be_played() {
    let v = json!({
        "schemaVersion": 1, "id": "roles", "title": "Roles", "topics": ["iam-roles"], "kind": "classify",
        "plan": {"schemaVersion": 1, "cluster": {}, "taskDefinitions": [{"family": "app", "requiresCompatibilities": ["EC2"],
            "containerDefinitions": [{"name": "app", "image": "nginx:1.27", "memory": 256, "environment": [{"name": "DATA_BUCKET", "value": "b"}]}]}]},
        "prompt": "Which role for the app's S3 calls?",
        "measures": {"noTaskRole": {"of": "finding", "code": "no-task-role"}},
        "goal": [{"measure": "noTaskRole", "op": "eq", "value": false}],
        "choices": [
            {"id": "task", "label": "task role", "edits": [{"command": "set", "path": "taskDefinitions[0].taskRoleArn", "value": "arn:aws:iam::123456789012:role/app"}]},
            {"id": "exec", "label": "execution role", "edits": [{"command": "set", "path": "taskDefinitions[0].executionRoleArn", "value": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"}]}
        ],
        "answer": "exec",
        "explanation": "The task role.",
        "pages": ["task-iam-roles.md"]
    });
    let f = has(&findings(&v), "learn-answer", "answer");
    assert!(f.message.contains("the engine finds task"), "{}", f.message);
}

#[test]
fn grading_checks_the_kind_of_answer_and_the_choice() {
    let s = Scenario::parse(&text(&predict())).unwrap();
    let v = s.variant(0).unwrap();
    assert!(matches!(
        v.grade(&Answer::Number(1.0)),
        Err(LearnError::WrongAnswerKind { .. })
    ));
    let e = v.grade(&Answer::Choice("z".into())).unwrap_err();
    assert_eq!(e.to_string(), "no choice \"z\" (choices: a, b)");
    let g = v.grade(&Answer::Choice("b".into())).unwrap();
    assert!(!g.correct);
    assert_eq!(g.answer, "i-a");
    let b = g.choices.iter().find(|c| c.id == "b").unwrap();
    assert!(
        b.consequence
            .contains("eligibility stage: instance is DRAINING"),
        "{}",
        b.consequence
    );
    // Variants cycle through every combination, then repeat.
    assert_eq!(s.variants(), 2);
    assert_eq!(s.variant(1).unwrap().values[0].1, json!(3));
    assert_eq!(s.variant(2).unwrap().values[0].1, json!(3));
}

#[test]
fn a_scenario_with_a_plan_file_needs_it_loaded() {
    let mut v = predict();
    v.as_object_mut().unwrap().remove("plan");
    v["planFile"] = json!("../../plans/two-az-web.json");
    let mut s = Scenario::parse(&text(&v)).unwrap();
    assert_eq!(s.plan_file(), Some("../../plans/two-az-web.json"));
    assert!(matches!(
        s.variant(0),
        Err(LearnError::PlanFileNotLoaded(_))
    ));
    let plan = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../public/plans/two-az-web.json"
    ))
    .unwrap();
    s.resolve_plan_file(&plan).unwrap();
    assert_eq!(s.variant(0).unwrap().start.services[0].service_name, "web");
    let fs = learn::check(&text(&v), None, None).findings;
    has(&fs, "learn-plan", "planFile");
}

#[test]
fn played_shows_the_question_without_the_answer() {
    let s = Scenario::parse(&text(&predict())).unwrap();
    let p = s.variant(1).unwrap().play();
    assert_eq!(p.prompt, "With 3 tasks, where does web-2 land?");
    assert_eq!(p.variants, 2);
    assert_eq!(p.choices.len(), 2);
    assert_eq!(
        p.view,
        learn::View::Board {
            focus: Some("web-2".into())
        }
    );
    let j = serde_json::to_string(&p).unwrap();
    assert!(
        !j.contains("\"value\""),
        "the choices' values are not shown: {j}"
    );
    let r = Scenario::parse(&text(&reach()))
        .unwrap()
        .variant(0)
        .unwrap()
        .play();
    assert_eq!(r.prompt, "2 tasks wait. Make room.");
    assert_eq!(r.goal, vec!["tasks of web not placed = 0"]);
    assert_eq!(r.controls[0].text, "add instances of m5.large");
}
