//! `ecsplan learn check|list|index|play` on the project's scenarios and on a teacher's folder.

mod common;
use common::{ecsplan, fresh_dir, write};

fn learn_dir() -> String {
    format!("{}/../public/learn", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_project_scenarios_pass_the_check() {
    let (code, out, err) = ecsplan(&["learn", "check", &learn_dir()]);
    assert_eq!(code, 0, "{out}{err}");
    let last = out.lines().last().unwrap();
    assert!(
        last.contains("variants checked: 0 errors, 0 warnings"),
        "{out}"
    );
    let n: usize = last
        .split(": ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(n >= 25, "{last}");
}

const TEACHER: &str = r#"{
  "schemaVersion": 1,
  "id": "my-first",
  "title": "My first scenario",
  "topics": ["placement-constraints"],
  "kind": "predict",
  "plan": {
    "schemaVersion": 1,
    "cluster": { "availabilityZones": ["us-east-1a"], "containerInstances": [
      { "id": "i-a", "instanceType": "m5.large", "availabilityZone": "us-east-1a" },
      { "id": "i-b", "instanceType": "m5.large", "availabilityZone": "us-east-1a" } ] },
    "taskDefinitions": [ { "family": "web", "containerDefinitions": [ { "name": "web", "image": "nginx:1.27", "memory": 256 } ] } ],
    "services": [ { "serviceName": "web", "taskDefinition": "web", "desiredCount": 3, "launchType": "EC2",
      "placementConstraints": [ { "type": "distinctInstance" } ] } ]
  },
  "prompt": "How many tasks wait?",
  "measures": { "waiting": { "of": "unplaced", "service": "web" } },
  "question": "waiting",
  "choices": [ { "id": "none", "label": "none", "value": 0 }, { "id": "one", "label": "one", "value": 1 } ],
  "explanation": "{waiting} waits: {waiting.detail}",
  "pages": ["task-placement-constraints.md"]
}"#;

#[test]
fn a_teachers_folder_is_checked_with_file_line_column_and_fix() {
    let dir = fresh_dir("learn-teacher");
    write(&dir, "my-first.json", TEACHER);
    let (code, out, err) = ecsplan(&["learn", "check", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("1 scenarios, 1 variants checked: 0 errors"),
        "{out}"
    );
    // Two broken files: a misspelt member, and choices that miss the engine's answer.
    let typo = TEACHER.replace("\"prompt\"", "\"promt\"");
    write(&dir, "typo.json", &typo.replace("\"my-first\"", "\"typo\""));
    let wrong = TEACHER
        .replace("\"my-first\"", "\"wrong\"")
        .replace("\"value\": 1 }", "\"value\": 2 }");
    write(&dir, "wrong.json", &wrong);
    let (code, out, _) = ecsplan(&["learn", "check", dir.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    let line = typo.lines().position(|l| l.contains("promt")).unwrap() + 1;
    assert!(
        out.contains(&format!("typo.json:{line}:3: error [unknown-field] promt")),
        "{out}"
    );
    assert!(out.contains("Fix: did you mean `prompt`?"), "{out}");
    let line = wrong
        .lines()
        .position(|l| l.contains("\"choices\""))
        .unwrap()
        + 1;
    assert!(out.contains(&format!("wrong.json:{line}:3: error [learn-no-answer] choices: no choice matches what the engine computes (1)")), "{out}");
    // The same as JSON.
    let (code, out, _) = ecsplan(&["learn", "check", "--json", dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["scenarios"], 3);
    assert_eq!(
        v["errors"], 3,
        "unknown-field, missing-field, learn-no-answer"
    );
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "learn-no-answer")
        .unwrap();
    assert_eq!(f["file"], "wrong.json");
    assert_eq!(f["path"], "choices");
    assert!(f["line"].as_u64().is_some());
    // A missing folder is a usage error.
    let (code, _, err) = ecsplan(&["learn", "check", "/nonexistent/learn"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a folder"), "{err}");
}

#[test]
fn list_shows_every_scenario_with_its_topics() {
    let (code, out, _) = ecsplan(&["learn", "list", "--json", &learn_dir()]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let scenarios = v["scenarios"].as_array().unwrap();
    assert!(scenarios.len() >= 25);
    let s = scenarios
        .iter()
        .find(|s| s["id"] == "fargate-spot-split")
        .unwrap();
    assert_eq!(s["kind"], "predict");
    assert_eq!(s["topics"][0], "capacity-provider-strategies");
    assert_eq!(s["variants"], 4);
    let c = scenarios
        .iter()
        .find(|s| s["id"] == "copilot-end-of-support")
        .unwrap();
    assert_eq!(c["simulated"], false);
    assert!(v["topics"].as_array().unwrap().len() >= 25);
    let (code, out, _) = ecsplan(&["learn", "list", &learn_dir()]);
    assert_eq!(code, 0);
    assert!(
        out.contains("copilot-end-of-support") && out.contains("(not simulated)"),
        "{out}"
    );
}

#[test]
fn the_index_command_prints_the_checked_in_index() {
    let (code, out, _) = ecsplan(&["learn", "index", &learn_dir()]);
    assert_eq!(code, 0);
    let have: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}/index.json", learn_dir())).unwrap(),
    )
    .unwrap();
    let printed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(printed, have);
}

#[test]
fn play_grades_a_prediction_and_plays_out_the_wrong_choices() {
    let dir = learn_dir();
    let (code, out, _) = ecsplan(&["learn", "play", "where-web-5-lands", "--dir", &dir]);
    assert_eq!(code, 0);
    assert!(
        out.contains("On which instance does web-5 land?")
            && out.contains("i-08) i-08 (m5.4xlarge)"),
        "{out}"
    );
    assert!(!out.contains("CORRECT"));
    let (code, out, _) = ecsplan(&[
        "learn",
        "play",
        "where-web-5-lands",
        "--answer",
        "i-08",
        "--dir",
        &dir,
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("CORRECT: i-08"), "{out}");
    let (code, out, _) = ecsplan(&[
        "learn",
        "play",
        "where-web-5-lands",
        "--answer",
        "i-06",
        "--json",
        "--dir",
        &dir,
    ]);
    assert_eq!(code, 1, "a wrong answer exits 1");
    let g: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(g["correct"], false);
    assert_eq!(g["answer"], "i-08");
    let i06 = g["choices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "i-06")
        .unwrap();
    assert_eq!(i06["chosen"], true);
    assert!(
        i06["consequence"]
            .as_str()
            .unwrap()
            .contains("instance is DRAINING"),
        "{i06}"
    );
    assert!(
        g["explanation"]
            .as_str()
            .unwrap()
            .starts_with("web-5 lands on i-08 (m5.4xlarge, us-east-1b)"),
        "{g}"
    );
    assert!(g["pages"][0]["url"]
        .as_str()
        .unwrap()
        .starts_with("https://docs.aws.amazon.com/AmazonECS/latest/developerguide/"));
}

#[test]
fn play_takes_numbers_and_variants() {
    let dir = learn_dir();
    let (code, out, _) = ecsplan(&[
        "learn",
        "play",
        "fargate-spot-split",
        "--answer",
        "6",
        "--dir",
        &dir,
    ]);
    assert_eq!(code, 0, "{out}");
    // Variant 1 has another desired count, and another answer.
    let (code, out, _) = ecsplan(&[
        "learn",
        "play",
        "fargate-spot-split",
        "--answer",
        "6",
        "--variant",
        "1",
        "--json",
        "--dir",
        &dir,
    ]);
    assert_eq!(code, 1, "{out}");
    let g: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(g["variant"], 1);
    assert!(
        g["choices"][0]["consequence"]
            .as_str()
            .unwrap()
            .starts_with("the engine computes"),
        "{g}"
    );
    let (code, _, err) = ecsplan(&[
        "learn",
        "play",
        "fargate-spot-split",
        "--answer",
        "six",
        "--dir",
        &dir,
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("answered with a number"), "{err}");
}

#[test]
fn play_grades_a_reach_answer_given_as_edits_or_as_a_plan() {
    let dir = learn_dir();
    let tmp = fresh_dir("learn-reach");
    let good = write(
        &tmp,
        "edits.json",
        r#"[{"command": "set", "path": "services[0].deploymentConfiguration.minimumHealthyPercent", "value": 50}]"#,
    );
    let (code, out, _) = ecsplan(&[
        "learn",
        "play",
        "unstick-deployment",
        "--answer",
        &good,
        "--dir",
        &dir,
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("[met] deployment of api: outcome = completed: completed"),
        "{out}"
    );
    // Outside the controls: the desired count may not change.
    let bad = write(
        &tmp,
        "bad.json",
        r#"[{"command": "setDesiredCount", "service": "api", "desiredCount": 4}]"#,
    );
    let (code, out, _) = ecsplan(&[
        "learn",
        "play",
        "unstick-deployment",
        "--answer",
        &bad,
        "--dir",
        &dir,
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("refused: error [learn-control] services[0].desiredCount"),
        "{out}"
    );
    // A whole plan as the answer.
    let (_, played, _) = ecsplan(&[
        "learn",
        "play",
        "unstick-deployment",
        "--json",
        "--dir",
        &dir,
    ]);
    let mut plan: serde_json::Value =
        serde_json::from_str::<serde_json::Value>(&played).unwrap()["plan"].clone();
    plan["services"][0]["deploymentConfiguration"]["maximumPercent"] = serde_json::json!(200);
    let p = write(&tmp, "plan.json", &plan.to_string());
    let (code, out, _) = ecsplan(&[
        "learn",
        "play",
        "unstick-deployment",
        "--answer",
        &p,
        "--json",
        "--dir",
        &dir,
    ]);
    assert_eq!(code, 0, "{out}");
    let g: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(g["correct"], true);
    assert!(g["goal"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["met"] == true));
}

#[test]
fn play_names_an_unknown_scenario() {
    let (code, _, err) = ecsplan(&["learn", "play", "where-web5-lands", "--dir", &learn_dir()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no scenario where-web5-lands")
            && err.contains("did you mean where-web-5-lands?"),
        "{err}"
    );
}
