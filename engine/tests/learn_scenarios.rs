//! Learn mode's scenarios are never wrong, by construction: every scenario of
//! `public/learn/` passes the checks of `engine::api::learn::check` for every variant (the computed
//! answer exists and is unique and does not depend on what AWS leaves unspecified; the start
//! fails the goal and the solution reaches it within the controls; every placeholder resolves;
//! every cited page exists), every answer is snapshot-tested, grading agrees with the computed
//! answer, every topic has a scenario, the index is in step with the files, and the topic list
//! covers every line of the study notes.

use engine::api::learn::{self, Answer, Input, Kind, Scenario, Step};
use engine::api::learn::{check_folder, FolderFile};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn learn_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../public/learn"))
}

fn read(rel: &str) -> FolderFile {
    FolderFile {
        path: rel.to_string(),
        text: std::fs::read_to_string(learn_dir().join(rel)).unwrap(),
    }
}

fn scenario_files() -> Vec<FolderFile> {
    let mut names: Vec<String> = std::fs::read_dir(learn_dir().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|n| read(&format!("scenarios/{n}")))
        .collect()
}

fn plan_file(scenario: &str, plan: &str) -> Option<String> {
    let p = learn_dir().join(scenario);
    std::fs::read_to_string(p.parent()?.join(plan)).ok()
}

/// Every scenario, parsed, with its plan file resolved.
fn scenarios() -> Vec<(String, Scenario)> {
    scenario_files()
        .into_iter()
        .map(|f| {
            let mut s = Scenario::parse(&f.text).unwrap_or_else(|e| panic!("{}: {e:?}", f.path));
            if let Some(p) = s.plan_file().map(str::to_string) {
                s.resolve_plan_file(&plan_file(&f.path, &p).unwrap())
                    .unwrap();
            }
            (f.path, s)
        })
        .collect()
}

#[test]
fn every_scenario_passes_every_check_for_every_variant() {
    let files = scenario_files();
    let report = check_folder(
        &files,
        Some(&read("topics.json")),
        Some(&read("index.json")),
        &plan_file,
    );
    let all: Vec<String> = report.findings.iter().map(|f| f.to_string()).collect();
    assert!(
        all.is_empty(),
        "`ecsplan learn check` finds:\n{}",
        all.join("\n")
    );
    assert_eq!(report.entries.len(), files.len());
}

#[test]
fn at_least_25_scenarios_and_every_topic_has_one() {
    let topics = learn::parse_topics(&read("topics.json").text).unwrap();
    let all = scenarios();
    assert!(all.len() >= 25, "{} scenarios", all.len());
    let mut per: BTreeMap<String, usize> = BTreeMap::new();
    for (_, s) in &all {
        for t in &s.variant(0).unwrap().doc.topics {
            *per.entry(t.clone()).or_default() += 1;
        }
    }
    let missing: Vec<&str> = topics
        .topics
        .iter()
        .filter(|t| !per.contains_key(&t.id))
        .map(|t| t.id.as_str())
        .collect();
    assert!(missing.is_empty(), "topics without a scenario: {missing:?}");
    // The minimum list of topics is in the topic list.
    for id in [
        "launch-types",
        "ecs-agent",
        "task-definitions",
        "networking",
        "config-secrets",
        "logging",
        "storage",
        "iam-roles",
        "ecr",
        "placement-strategies",
        "placement-constraints",
        "service-auto-scaling",
        "cluster-auto-scaling",
        "asg-vs-capacity-providers",
        "rolling-updates",
        "circuit-breaker",
        "blue-green",
        "load-balancers",
        "event-driven-tasks",
        "sqs-scaling",
        "eks",
        "app-runner",
        "app2container",
        "copilot",
        "troubleshooting",
    ] {
        assert!(
            topics.get(id).is_some(),
            "topic {id} is missing from topics.json"
        );
    }
}

#[test]
fn a_topic_without_a_scenario_fails_the_check() {
    let mut files = scenario_files();
    files.retain(|f| !f.path.contains("copilot"));
    let report = check_folder(&files, Some(&read("topics.json")), None, &plan_file);
    let f = report
        .findings
        .iter()
        .find(|f| f.finding.code == "learn-coverage")
        .expect("a coverage finding");
    assert_eq!(f.file, "topics.json");
    assert!(
        f.finding.message.contains("topic copilot has no scenario"),
        "{f}"
    );
    assert!(f.finding.line.is_some());
}

#[test]
fn the_index_lists_exactly_the_scenario_files() {
    let index = learn::parse_index(&read("index.json").text).unwrap();
    let files: Vec<String> = scenario_files().into_iter().map(|f| f.path).collect();
    let listed: Vec<String> = index.scenarios.iter().map(|e| e.file.clone()).collect();
    assert_eq!(
        listed, files,
        "public/learn/index.json is out of step; `ecsplan learn index` prints it"
    );
    // And a stale entry is reported where it is.
    let stale = read("index.json").text.replacen(
        "\"title\": \"Why does this instance take no task?\"",
        "\"title\": \"Old title\"",
        1,
    );
    let report = check_folder(
        &scenario_files(),
        None,
        Some(&FolderFile {
            path: "index.json".into(),
            text: stale,
        }),
        &plan_file,
    );
    assert!(
        report.findings.iter().any(
            |f| f.finding.code == "learn-index" && f.finding.path.to_string() == "scenarios[0]"
        ),
        "{:?}",
        report.findings
    );
}

/// The computed answer of every variant, so that an engine change that flips one shows up as
/// a reviewed diff of `snapshots/learn_scenarios__answers.snap`.
#[test]
fn answers() {
    let mut out = String::new();
    for (path, s) in scenarios() {
        for n in 0..s.variants() {
            let v = s.variant(n).unwrap();
            let k = v
                .answer_key()
                .unwrap_or_else(|e| panic!("{path} variant {n}: {e}"));
            let params: Vec<String> = v.values.iter().map(|(n, v)| format!("{n}={v}")).collect();
            out.push_str(&format!(
                "{} #{n} [{}] {}\n    {}\n",
                s.id,
                params.join(" "),
                k.answer,
                k.detail
            ));
        }
    }
    insta::assert_snapshot!("answers", out);
}

#[test]
fn grading_agrees_with_the_computed_answer_and_plays_out_every_choice() {
    for (path, s) in scenarios() {
        for n in 0..s.variants() {
            let v = s.variant(n).unwrap();
            let here = format!("{path} variant {n}");
            match v.doc.kind {
                Kind::Predict | Kind::Classify if v.doc.input == Input::Choice => {
                    let mut correct = 0;
                    for c in &v.doc.choices {
                        let g = v
                            .grade(&Answer::Choice(c.id.clone()))
                            .unwrap_or_else(|e| panic!("{here}: {e}"));
                        assert_eq!(g.choices.len(), v.doc.choices.len(), "{here}");
                        let mine = g.choices.iter().find(|o| o.id == c.id).unwrap();
                        assert!(mine.chosen, "{here}");
                        assert_eq!(mine.correct, g.correct, "{here}");
                        if g.correct {
                            correct += 1;
                        }
                        for o in &g.choices {
                            assert!(
                                !o.consequence.is_empty() || o.note.is_some(),
                                "{here}: choice {} has no consequence",
                                o.id
                            );
                        }
                        assert!(!g.explanation.contains('{'), "{here}: {}", g.explanation);
                    }
                    assert_eq!(correct, 1, "{here}: exactly one choice is graded correct");
                }
                Kind::Predict | Kind::Classify => {
                    let key = v.answer_key().unwrap();
                    let x: f64 = key.answer.parse().unwrap();
                    assert!(v.grade(&Answer::Number(x)).unwrap().correct, "{here}");
                    let wrong = v.grade(&Answer::Number(x + 1.0)).unwrap();
                    assert!(!wrong.correct, "{here}");
                    assert!(
                        wrong.choices[0]
                            .consequence
                            .contains(&format!("the engine computes {}", key.answer)),
                        "{here}: {:?}",
                        wrong.choices
                    );
                }
                Kind::Reach | Kind::Fix => {
                    let g = v.grade(&Answer::Edits(v.doc.solution.clone())).unwrap();
                    assert!(
                        g.correct,
                        "{here}: the solution is graded wrong: {:?} {:?}",
                        g.goal, g.refused
                    );
                    assert!(!g.explanation.contains('{'), "{here}: {}", g.explanation);
                    let nothing = v.grade(&Answer::Edits(Vec::new())).unwrap();
                    assert!(!nothing.correct, "{here}: doing nothing is graded right");
                    assert!(nothing.goal.iter().any(|c| !c.met), "{here}");
                    // The same solution given as a whole plan grades the same.
                    let plan = learn::apply_steps(&v.start, &v.doc.solution).unwrap();
                    assert!(
                        v.grade(&Answer::Plan(Box::new(plan))).unwrap().correct,
                        "{here}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_reach_answer_outside_the_controls_is_refused_even_when_it_meets_the_goal() {
    let all = scenarios();
    let (_, s) = all
        .iter()
        .find(|(p, _)| p.ends_with("survive-losing-a-zone.json"))
        .unwrap();
    let v = s.variant(0).unwrap();
    // Bigger instances would also survive the loss of a zone, but only m5.large may be added.
    let answer = Answer::Edits(vec![serde_json::from_value::<Step>(serde_json::json!(
        {"command": "addInstances", "instanceType": "m5.4xlarge", "availabilityZone": "us-east-1b", "count": 1}
    ))
    .unwrap()]);
    let g = v.grade(&answer).unwrap();
    assert!(g.goal.iter().all(|c| c.met), "{:?}", g.goal);
    assert!(!g.correct);
    assert_eq!(g.refused[0].code, "learn-control");
    assert!(
        g.refused[0]
            .message
            .contains("adding a m5.4xlarge in us-east-1b"),
        "{}",
        g.refused[0].message
    );
    // More than four instances are refused too.
    let answer = Answer::Edits(vec![serde_json::from_value::<Step>(serde_json::json!(
        {"command": "addInstances", "instanceType": "m5.large", "availabilityZone": "us-east-1b", "count": 3}
    ))
    .unwrap()]);
    let g = v.grade(&answer).unwrap();
    assert!(!g.correct);
    assert!(
        g.refused.iter().any(|f| f.message.contains("at most 4")),
        "{:?}",
        g.refused
    );
}

#[test]
fn a_wrong_prediction_is_played_out_by_the_engine() {
    let all = scenarios();
    let (_, s) = all
        .iter()
        .find(|(p, _)| p.ends_with("where-web-5-lands.json"))
        .unwrap();
    let v = s.variant(0).unwrap();
    let g = v.grade(&Answer::Choice("i-06".into())).unwrap();
    assert!(!g.correct);
    assert_eq!(g.answer, "i-08");
    let by = |id: &str| {
        g.choices
            .iter()
            .find(|c| c.id == id)
            .unwrap()
            .consequence
            .clone()
    };
    // Each wrong choice gets the stage and reason that ruled it out, or its rank.
    assert!(
        by("i-06").contains("eligibility stage: instance is DRAINING"),
        "{}",
        by("i-06")
    );
    assert!(
        by("i-07").contains("constraints stage: memberOf"),
        "{}",
        by("i-07")
    );
    assert!(
        by("i-01").contains("resources stage: memory: needs 1024 MiB"),
        "{}",
        by("i-01")
    );
    assert!(
        by("i-03").contains("port 80/tcp already bound by web-"),
        "{}",
        by("i-03")
    );
    assert!(
        by("i-09").contains("passed every filter but ranks 2 of 2"),
        "{}",
        by("i-09")
    );
    assert!(by("i-08").starts_with("placed on i-08"), "{}", by("i-08"));
}

/// The stored guide's page list (`engine/src/learn/pages.txt`) is regenerated from the
/// reference folder.
#[test]
fn the_page_list_matches_the_stored_guide() {
    let Some(dir) = testkit::shared("reference/aws-ecs-docs") else {
        return;
    };
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    let mut expected = String::from("# The ECS Developer Guide pages in ../shared/reference/aws-ecs-docs: file | title | anchors.\n# Regenerated and compared by the test learn::pages::tests (from the reference folder).\n");
    for n in names {
        let text = std::fs::read_to_string(dir.join(&n)).unwrap();
        let title = text
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches('#')
            .trim();
        let title = title.split("<a name").next().unwrap().replace('\\', "");
        let anchors: Vec<&str> = text
            .split("<a name=\"")
            .skip(1)
            .filter_map(|r| r.split_once("\"></a>").map(|(a, _)| a))
            .collect();
        expected.push_str(&format!("{n} | {} | {}\n", title.trim(), anchors.join(" ")));
    }
    let have = include_str!("../src/learn/pages.txt");
    assert_eq!(have, expected, "engine/src/learn/pages.txt is out of date");
}

/// Every seed reference points at lines that exist, and every line of the study notes is
/// claimed by a topic: the topic list covers the notes.
#[test]
fn the_topics_cover_every_line_of_the_study_notes() {
    let Some(seeds) = testkit::shared("seeds") else {
        return;
    };
    let topics = learn::parse_topics(&read("topics.json").text).unwrap();
    let notes: BTreeMap<String, Vec<String>> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            (
                name(&p),
                std::fs::read_to_string(&p)
                    .unwrap()
                    .lines()
                    .map(str::to_string)
                    .collect(),
            )
        })
        .collect();
    assert_eq!(notes.len(), 5);
    let mut covered: BTreeMap<&str, Vec<bool>> = notes
        .iter()
        .map(|(n, l)| (n.as_str(), vec![false; l.len()]))
        .collect();
    let check = |file: &str, lines: [u32; 2], what: &str| {
        let len = notes
            .get(file)
            .unwrap_or_else(|| panic!("{what}: no study note {file}"))
            .len() as u32;
        assert!(
            lines[0] >= 1 && lines[1] <= len,
            "{what}: {file} lines {lines:?} (it has {len})"
        );
    };
    for t in &topics.topics {
        for s in &t.seeds {
            check(&s.file, s.lines, &t.id);
            for l in s.lines[0]..=s.lines[1] {
                covered.get_mut(s.file.as_str()).unwrap()[l as usize - 1] = true;
            }
        }
    }
    for (path, s) in scenarios() {
        for m in &s.variant(0).unwrap().doc.misconceptions {
            for r in &m.seeds {
                check(&r.file, r.lines, &path);
            }
        }
    }
    let mut missing = Vec::new();
    for (file, lines) in &notes {
        for (i, l) in lines.iter().enumerate() {
            if !l.trim().is_empty() && !covered[file.as_str()][i] {
                missing.push(format!("{file}:{}: {l}", i + 1));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "lines of the study notes no topic covers:\n{}",
        missing.join("\n")
    );
}

fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

/// docs/learn.md documents every topic, measure, measured value and control.
#[test]
fn the_docs_list_every_topic_measure_and_control() {
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/learn.md")).unwrap();
    let topics = learn::parse_topics(&read("topics.json").text).unwrap();
    for t in &topics.topics {
        assert!(
            docs.contains(&format!("| `{}` |", t.id)),
            "docs/learn.md: topic {} missing",
            t.id
        );
    }
    let shapes: serde_json::Value =
        serde_json::from_str(include_str!("../src/learn/learn-shapes.json")).unwrap();
    for shape in ["learn:MeasureKind", "learn:MeasureValue"] {
        for v in shapes[shape]["enum"].as_array().unwrap() {
            let v = v.as_str().unwrap();
            assert!(
                docs.contains(&format!("`{v}`")),
                "docs/learn.md: {v} missing"
            );
        }
    }
    for (c, _) in learn::controls::COMMANDS {
        assert!(
            docs.contains(&format!("`{c}`")),
            "docs/learn.md: control {c} missing"
        );
    }
}
