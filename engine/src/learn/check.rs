//! "Never wrong, by construction": the checks every scenario passes, for every variant.
//!
//! - the file has the scenario's shape (paths, line:column and fixes, as for plans); its plan
//!   loads and its setup edits apply;
//! - predict: exactly one choice matches the value the engine computes, and that value does not
//!   depend on what AWS leaves unspecified (the engine's seeded tie-breaks are redrawn);
//! - reach and fix: the starting plan fails the goal and the solution reaches it, within the
//!   scenario's own controls, whatever the seed;
//! - classify: the author's key is a choice, and agrees with the engine when the choices can be
//!   played (edits and a goal);
//! - no answer is keyed by hand outside classify; every placeholder resolves (and the prompt,
//!   choices and hints of a predict scenario name no measure, which would give the answer
//!   away); every cited page exists; every topic is in the topic list.
//!
//! [`check_folder`] adds what concerns a folder of scenarios: unique ids that match the file
//! names, an index in step with the files, and a scenario for every topic.

use super::params::Space;
use super::scenario::{Kind, Operand};
use super::topics::Topics;
use super::{
    apply_steps, controls, pages, shapes, text, Index, IndexEntry, Input, Measured, Scenario,
    Variant,
};
use crate::findings::{Finding, JsonPath, Severity};
use serde::Serialize;
use std::collections::BTreeMap;

/// Seed offsets an answer is computed under: the plan's own seed and two redraws.
const SEED_OFFSETS: [u64; 3] = [0, 1, 2];

/// The result of checking one scenario file.
#[derive(Debug, Clone)]
pub struct Checked {
    pub scenario: Option<Scenario>,
    pub entry: Option<IndexEntry>,
    pub findings: Vec<Finding>,
}

/// Checks one scenario file. `plan_file` is the text of the plan file it names, when it names
/// one and the caller could read it; `topics` the topic list its topics must come from.
pub fn check(text_of_file: &str, plan_file: Option<&str>, topics: Option<&Topics>) -> Checked {
    let mut scenario = match Scenario::parse(text_of_file) {
        Ok(s) => s,
        Err(f) => {
            return Checked {
                scenario: None,
                entry: None,
                findings: f,
            }
        }
    };
    let mut findings = Vec::new();
    if let Some(name) = scenario.plan_file().map(str::to_string) {
        match plan_file {
            Some(t) => {
                if let Err(f) = scenario.resolve_plan_file(t) {
                    findings.extend(f.into_iter().map(|mut x| {
                        x.path = JsonPath::root().key("planFile");
                        x.line = None;
                        x.column = None;
                        x
                    }));
                }
            }
            None => findings.push(
                Finding::error(
                    "learn-plan",
                    JsonPath::root().key("planFile"),
                    format!("the plan file {name} cannot be read"),
                )
                .with_fix(
                    "give a path relative to the scenario file, e.g. ../../plans/two-az-web.json",
                ),
            ),
        }
    }
    let mut entry = None;
    if findings.is_empty() {
        let space = scenario.space.clone();
        let mut seen: BTreeMap<(String, String, String), ()> = BTreeMap::new();
        for combination in 0..space.size().min(super::params::MAX_VARIANTS) {
            let mut here = Vec::new();
            match scenario.build(combination as u32, combination) {
                Ok(v) => {
                    if combination == 0 {
                        entry = Some(IndexEntry {
                            id: v.doc.id.clone(),
                            file: String::new(),
                            title: v.doc.title.clone(),
                            kind: v.doc.kind,
                            topics: v.doc.topics.clone(),
                            simulated: v.simulated(),
                        });
                    }
                    check_variant(&v, &mut here);
                    check_citations(&v, topics, &mut here);
                }
                Err(super::Built::Findings(f)) => here.extend(f),
                Err(super::Built::PlanFile(_)) => {}
            }
            for mut f in here {
                let key = (f.code.clone(), f.path.to_string(), f.message.clone());
                if seen.insert(key, ()).is_some() {
                    continue;
                }
                if combination > 0 {
                    f.message = format!(
                        "{} (variant with {})",
                        f.message,
                        describe_values(&space, combination)
                    );
                }
                findings.push(f);
            }
        }
    }
    let findings = shapes::located(text_of_file, findings);
    Checked {
        scenario: Some(scenario),
        entry,
        findings,
    }
}

fn describe_values(space: &Space, combination: usize) -> String {
    space
        .combination(combination)
        .iter()
        .map(|(n, v)| format!("{n} = {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn err(code: &str, path: JsonPath, msg: impl Into<String>) -> Finding {
    Finding::error(code, path, msg)
}

/// Topics and cited pages: reported without stopping the other checks.
fn check_citations(v: &Variant, topics: Option<&Topics>, out: &mut Vec<Finding>) {
    let d = &v.doc;
    let root = JsonPath::root();
    if let Some(t) = topics {
        for (i, id) in d.topics.iter().enumerate() {
            if t.get(id).is_none() {
                let mut f = err(
                    "learn-topic",
                    root.key("topics").index(i),
                    format!("\"{id}\" is not in the topic list"),
                );
                if let Some(b) =
                    crate::schema::did_you_mean(id, t.topics.iter().map(|x| x.id.as_str()))
                {
                    f = f.with_fix(format!("did you mean \"{b}\"?"));
                }
                out.push(f);
            }
        }
    }
    for (i, p) in d.pages.iter().enumerate() {
        if let Some(problem) = pages::problem(p) {
            out.push(err("learn-page", root.key("pages").index(i), problem));
        }
    }
    if d.pages.is_empty() {
        out.push(
            err(
                "learn-page",
                root.clone(),
                "a scenario cites at least one AWS page",
            )
            .with_fix("add \"pages\": [\"task-placement.md\"]"),
        );
    }
    for (i, m) in d.misconceptions.iter().enumerate() {
        for (j, p) in m.pages.iter().enumerate() {
            if let Some(problem) = pages::problem(p) {
                out.push(err(
                    "learn-page",
                    root.key("misconceptions").index(i).key("pages").index(j),
                    problem,
                ));
            }
        }
        if m.pages.is_empty() {
            out.push(err(
                "learn-page",
                root.key("misconceptions").index(i),
                "a misconception cites the AWS page that corrects it",
            ));
        }
    }
}

/// The semantic checks of one variant.
fn check_variant(v: &Variant, out: &mut Vec<Finding>) {
    let d = &v.doc;
    let root = JsonPath::root();
    if !super::topics::is_id(&d.id) {
        out.push(err(
            "learn-id",
            root.key("id"),
            format!(
                "scenario id \"{}\": use lowercase letters, digits and -",
                d.id
            ),
        ));
    }
    // Names the question and the goal use.
    let known = |n: &str| d.measures.contains_key(n);
    if let Some(q) = &d.question {
        if !known(q) {
            out.push(unknown_measure(root.key("question"), q, d));
        }
    }
    for (i, c) in d.goal.iter().enumerate() {
        let at = root.key("goal").index(i);
        if !known(&c.measure) {
            out.push(unknown_measure(at.key("measure"), &c.measure, d));
        }
        match &c.value {
            Operand::Measure { measure: n } | Operand::Start { start: n } if !known(n) => {
                out.push(unknown_measure(at.key("value"), n, d))
            }
            Operand::Literal(x) if super::Val::from_json(x).is_none() => out.push(err(
                "learn-goal",
                at.key("value"),
                "a goal compares with a number, a text, true/false, {\"measure\": NAME} or {\"start\": NAME}",
            )),
            _ => {}
        }
    }
    for (n, _) in &v.values {
        if known(n) {
            out.push(err(
                "learn-measure",
                root.key("measures").key(n),
                format!(
                    "\"{n}\" names both a parameter and a measure; placeholders would be ambiguous"
                ),
            ));
        }
    }
    controls::check_controls(&d.controls, &root.key("controls"), out);
    let mut ids: Vec<&str> = Vec::new();
    for (i, c) in d.choices.iter().enumerate() {
        if ids.contains(&c.id.as_str()) {
            out.push(err(
                "learn-choice",
                root.key("choices").index(i).key("id"),
                format!("choice id {} is used twice", c.id),
            ));
        }
        ids.push(&c.id);
        if c.value.is_some() && c.range.is_some() {
            out.push(err(
                "learn-choice",
                root.key("choices").index(i),
                "a choice has a value or a range, not both",
            ));
        }
        if let Some([a, b]) = c.range {
            if a > b {
                out.push(err(
                    "learn-choice",
                    root.key("choices").index(i).key("range"),
                    format!("the range {a} to {b} runs backwards"),
                ));
            }
        }
    }
    if out.iter().any(Finding::is_error) {
        return;
    }

    // What each kind needs.
    let edit_choices = v.choices_have_edits();
    match d.kind {
        Kind::Predict => {
            if d.answer.is_some() {
                out.push(
                    err(
                        "learn-answer-keyed",
                        root.key("answer"),
                        "a predict scenario never keys its answer: the engine computes it",
                    )
                    .with_fix(
                        "remove \"answer\"; give \"question\" (a measure) and choices with values",
                    ),
                );
            }
            if d.input == Input::Number {
                if d.question.is_none() {
                    out.push(err("learn-question", root.clone(), "a number question needs \"question\": the measure whose value is the answer"));
                }
            } else if edit_choices {
                if d.goal.is_empty() {
                    out.push(err("learn-goal", root.clone(), "choices with edits need a \"goal\": the engine finds the choice whose edits meet it"));
                }
            } else {
                if d.question.is_none() {
                    out.push(err("learn-question", root.clone(), "a predict scenario needs \"question\": the measure whose value is the answer"));
                }
                if d.choices.len() < 2 {
                    out.push(err(
                        "learn-choice",
                        root.key("choices"),
                        "a predict scenario offers at least two choices (or \"input\": \"number\")",
                    ));
                }
                for (i, c) in d.choices.iter().enumerate() {
                    if c.value.is_none() && c.range.is_none() {
                        out.push(err("learn-choice", root.key("choices").index(i), format!("choice {} claims no value: give \"value\" or \"range\" (or edits for every choice)", c.id)));
                    }
                }
            }
        }
        Kind::Classify => {
            match &d.answer {
                None => out.push(err("learn-answer", root.clone(), "a classify scenario keys its answer (\"answer\": a choice id), citing the AWS page")),
                Some(a) if !d.choices.iter().any(|c| &c.id == a) => out.push(err("learn-answer", root.key("answer"), format!("\"{a}\" is not a choice id ({})", ids.join(", ")))),
                _ => {}
            }
            if d.choices.len() < 2 {
                out.push(err(
                    "learn-choice",
                    root.key("choices"),
                    "a classify scenario offers at least two choices",
                ));
            }
            if edit_choices && d.goal.is_empty() {
                out.push(err(
                    "learn-goal",
                    root.clone(),
                    "choices with edits need a \"goal\" so that the engine can check the key",
                ));
            }
        }
        Kind::Reach | Kind::Fix => {
            if d.answer.is_some() || d.question.is_some() || !d.choices.is_empty() {
                out.push(err("learn-answer-keyed", root.clone(), format!("a {} scenario has a goal, controls and a solution; no question, choices or answer", d.kind.label())));
            }
            if d.goal.is_empty() {
                out.push(err(
                    "learn-goal",
                    root.clone(),
                    "a reach or fix scenario needs a \"goal\"",
                ));
            }
            if d.controls.is_empty() {
                out.push(err(
                    "learn-control",
                    root.clone(),
                    "a reach or fix scenario lists the \"controls\" the learner may use",
                ));
            }
            if d.solution.is_empty() {
                out.push(err("learn-solution", root.clone(), "a reach or fix scenario has a \"solution\": edits that reach the goal (checked)"));
            }
        }
    }
    if out.iter().any(Finding::is_error) {
        return;
    }

    // Every measure on the starting plan.
    let start = measures(v, &v.start, "on the starting plan", out);
    if out.iter().any(Finding::is_error) {
        return;
    }

    // The answer, under every seed.
    match d.kind {
        Kind::Predict | Kind::Classify => check_answer(v, edit_choices, out),
        Kind::Reach | Kind::Fix => check_goal(v, out),
    }

    // Placeholders.
    let solved = match d.kind {
        Kind::Reach | Kind::Fix => apply_steps(&v.start, &d.solution)
            .ok()
            .map(|p| measures(v, &p, "on the solution's plan", &mut Vec::new())),
        _ => None,
    };
    let params_only = v.slots(None, None);
    let with_start = v.slots(None, Some(&start));
    let explained = match &solved {
        Some(s) => v.slots(Some(s), Some(&start)),
        None => v.slots(Some(&start), Some(&start)),
    };
    let predict = matches!(d.kind, Kind::Predict | Kind::Classify);
    let before = if predict { params_only } else { with_start };
    let mut texts: Vec<(JsonPath, &str, text::Slots, bool)> =
        vec![(root.key("prompt"), d.prompt.as_str(), before, predict)];
    for (i, h) in d.hints.iter().enumerate() {
        texts.push((root.key("hints").index(i), h, before, predict));
    }
    for (i, c) in d.choices.iter().enumerate() {
        texts.push((
            root.key("choices").index(i).key("label"),
            &c.label,
            before,
            predict,
        ));
        if let Some(n) = &c.note {
            texts.push((
                root.key("choices").index(i).key("note"),
                n,
                explained,
                false,
            ));
        }
    }
    texts.push((root.key("explanation"), &d.explanation, explained, false));
    for (path, t, slots, hidden) in texts {
        match text::placeholders(t) {
            Err(e) => out.push(err("learn-placeholder", path, e)),
            Ok(names) => {
                for n in names {
                    let is_param = super::params::lookup(&v.values, &n).is_some();
                    if hidden && !is_param {
                        out.push(err("learn-placeholder", path.clone(), format!("{{{n}}} would show the engine's answer before the learner answers; the prompt, choices and hints may use parameters only")));
                        continue;
                    }
                    if text::resolve(&n, &slots).is_none() {
                        let mut f = err(
                            "learn-placeholder",
                            path.clone(),
                            format!(
                                "{{{n}}} does not resolve (parameters: {}; measures: {})",
                                names_of(v.values.iter().map(|(n, _)| n.as_str())),
                                names_of(d.measures.keys().map(String::as_str))
                            ),
                        );
                        if let Some(b) = crate::schema::did_you_mean(
                            &n,
                            v.values
                                .iter()
                                .map(|(n, _)| n.as_str())
                                .chain(d.measures.keys().map(String::as_str)),
                        ) {
                            f = f.with_fix(format!("did you mean {{{b}}}?"));
                        }
                        out.push(f);
                    }
                }
            }
        }
    }
}

fn names_of<'a>(it: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = it.collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

fn unknown_measure(at: JsonPath, name: &str, d: &super::Doc) -> Finding {
    let mut f = err(
        "learn-measure",
        at,
        format!(
            "no measure \"{name}\" (measures: {})",
            names_of(d.measures.keys().map(String::as_str))
        ),
    );
    if let Some(b) = crate::schema::did_you_mean(name, d.measures.keys().map(String::as_str)) {
        f = f.with_fix(format!("did you mean \"{b}\"?"));
    } else {
        f = f.with_fix("define it under \"measures\"");
    }
    f
}

/// Every named measure on `plan`; those that cannot be measured are findings.
fn measures(
    v: &Variant,
    plan: &crate::plan::Plan,
    where_: &str,
    out: &mut Vec<Finding>,
) -> BTreeMap<String, Measured> {
    let probe = super::Probe::new(plan, 0);
    let mut all = BTreeMap::new();
    for (n, m) in &v.doc.measures {
        match probe.measure(m) {
            Ok(x) => {
                all.insert(n.clone(), x);
            }
            Err(e) => out.push(err(
                "learn-measure",
                JsonPath::root().key("measures").key(n),
                format!("{} cannot be measured {where_}: {e}", m.describe()),
            )),
        }
    }
    all
}

fn check_answer(v: &Variant, edit_choices: bool, out: &mut Vec<Finding>) {
    let root = JsonPath::root();
    let d = &v.doc;
    if d.kind == Kind::Classify && !edit_choices {
        return; // keyed by the author, with the page cited
    }
    let mut answers: Vec<(u64, String)> = Vec::new();
    for off in SEED_OFFSETS {
        if d.input == Input::Number && d.kind == Kind::Predict {
            match v.question_value(off) {
                Ok(m) => {
                    if !matches!(m.value, super::Val::Number(_)) {
                        out.push(err(
                            "learn-question",
                            root.key("question"),
                            format!("a number question's measure gives {}, not a number", m.text),
                        ));
                        return;
                    }
                    answers.push((off, m.text));
                }
                Err(e) => {
                    out.push(err("learn-question", root.key("question"), e.to_string()));
                    return;
                }
            }
            continue;
        }
        match v.judge_choices(off) {
            Ok((right, _, text)) => {
                if off == 0 {
                    if right.is_empty() {
                        out.push(
                            err(
                                "learn-no-answer",
                                root.key("choices"),
                                format!("no choice matches what the engine computes ({text})"),
                            )
                            .with_fix("add a choice for it, or change the scenario"),
                        );
                    } else if right.len() > 1 {
                        out.push(
                            err(
                                "learn-answer-not-unique",
                                root.key("choices"),
                                format!(
                                    "{} choices match what the engine computes ({}): {}",
                                    right.len(),
                                    text,
                                    right.join(", ")
                                ),
                            )
                            .with_fix("make the choices exclusive"),
                        );
                    }
                    if d.kind == Kind::Classify {
                        if let Some(key) = &d.answer {
                            if right.len() == 1 && &right[0] != key {
                                out.push(err(
                                    "learn-answer",
                                    root.key("answer"),
                                    format!(
                                        "the key says {key}, but the engine finds {} ({text})",
                                        right[0]
                                    ),
                                ));
                            }
                        }
                    }
                }
                answers.push((off, format!("{} ({text})", right.join(", "))));
            }
            Err(e) => {
                out.push(err(
                    "learn-measure",
                    root.key(if edit_choices { "choices" } else { "question" }),
                    e.to_string(),
                ));
                return;
            }
        }
    }
    if let Some((_, first)) = answers.first() {
        if let Some((off, other)) = answers.iter().find(|(_, a)| a != first) {
            out.push(err("learn-unspecified", root.key(if edit_choices { "goal" } else { "question" }),
                format!("the answer depends on what AWS leaves unspecified (ties between equal instances, random): with the plan's seed it is {first}, with another ({off}) {other}"))
                .with_fix("change the plan so that the documented rules decide (e.g. instances that differ), or ask about something they decide"));
        }
    }
}

fn check_goal(v: &Variant, out: &mut Vec<Finding>) {
    let root = JsonPath::root();
    let d = &v.doc;
    let solved = match apply_steps(&v.start, &d.solution) {
        Ok(p) => p,
        Err(f) => {
            let why = f
                .first()
                .map(|x| format!("{} ({})", x.message, x.path))
                .unwrap_or_default();
            out.push(err(
                "learn-solution",
                root.key("solution"),
                format!("the solution does not apply: {why}"),
            ));
            return;
        }
    };
    for off in SEED_OFFSETS {
        match v.goal_on(&v.start, off) {
            Ok(g) if g.iter().all(|c| c.met) => {
                out.push(
                    err(
                        "learn-start-meets-goal",
                        root.key("goal"),
                        format!(
                            "the starting plan already meets the goal{}: {}",
                            seed_note(off),
                            show(&g)
                        ),
                    )
                    .with_fix("change the setup so that the learner has something to do"),
                );
                return;
            }
            Ok(_) => {}
            Err(e) => {
                out.push(err("learn-goal", root.key("goal"), e.to_string()));
                return;
            }
        }
        match v.goal_on(&solved, off) {
            Ok(g) if !g.iter().all(|c| c.met) => {
                out.push(err(
                    "learn-solution",
                    root.key("solution"),
                    format!(
                        "the solution does not meet the goal{}: {}",
                        seed_note(off),
                        show(&g)
                    ),
                ));
                return;
            }
            Ok(_) => {}
            Err(e) => {
                out.push(err("learn-goal", root.key("solution"), e.to_string()));
                return;
            }
        }
    }
    for r in v.permits(&solved) {
        out.push(err(
            "learn-solution",
            root.key("solution"),
            format!(
                "the solution uses a change its own controls do not allow: {} ({})",
                r.message, r.path
            ),
        ));
    }
}

fn seed_note(off: u64) -> String {
    if off == 0 {
        String::new()
    } else {
        format!(" (with the unspecified choices redrawn, draw {off})")
    }
}

fn show(g: &[super::GoalCheck]) -> String {
    g.iter()
        .map(|c| format!("{} → {}", c.text, c.value))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A file of a scenario folder (path relative to the folder) and its text.
#[derive(Debug, Clone)]
pub struct FolderFile {
    /// Path relative to the scenario folder (`scenarios/web-5-lands.json`).
    pub path: String,
    /// The file's content.
    pub text: String,
}

/// A finding in a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Located {
    /// The file's path relative to the scenario folder.
    pub file: String,
    /// The finding, with the path and line:column in that file (flattened in JSON).
    #[serde(flatten)]
    pub finding: Finding,
}

impl std::fmt::Display for Located {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.finding.in_file(&self.file))
    }
}

/// What a folder check found: every finding, and the scenarios that parsed.
#[derive(Debug, Clone, Default)]
pub struct FolderReport {
    pub findings: Vec<Located>,
    pub entries: Vec<IndexEntry>,
    pub topics: Option<Topics>,
}

impl FolderReport {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.finding.severity == Severity::Error)
            .count()
    }
}

/// Checks a folder of scenarios: each file ([`check`]), ids unique and equal to the file
/// names, the index (when given) in step with the files, and (when a topic list is given)
/// every topic covered. `plan_file(scenario_path, plan_file)` reads a plan file a scenario
/// names.
pub fn check_folder(
    scenarios: &[FolderFile],
    topics: Option<&FolderFile>,
    index: Option<&FolderFile>,
    plan_file: &dyn Fn(&str, &str) -> Option<String>,
) -> FolderReport {
    let mut report = FolderReport::default();
    let at = |file: &str, f: Finding| Located {
        file: file.to_string(),
        finding: f,
    };
    if let Some(t) = topics {
        match super::topics::parse(&t.text) {
            Ok(x) => report.topics = Some(x),
            Err(f) => report
                .findings
                .extend(f.into_iter().map(|x| at(&t.path, x))),
        }
    }
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for s in scenarios {
        let name = scenario_plan_file(&s.text);
        let pf = name.as_deref().and_then(|n| plan_file(&s.path, n));
        let checked = check(&s.text, pf.as_deref(), report.topics.as_ref());
        report
            .findings
            .extend(checked.findings.into_iter().map(|x| at(&s.path, x)));
        if let Some(mut e) = checked.entry {
            let stem = s
                .path
                .rsplit('/')
                .next()
                .unwrap_or(&s.path)
                .trim_end_matches(".json");
            if e.id != stem {
                let f = shapes::located(
                    &s.text,
                    vec![err(
                        "learn-id",
                        JsonPath::root().key("id"),
                        format!("the id \"{}\" differs from the file name {stem}.json", e.id),
                    )
                    .with_fix(format!(
                        "rename the file {}.json, or set \"id\": \"{stem}\"",
                        e.id
                    ))],
                );
                report
                    .findings
                    .extend(f.into_iter().map(|x| at(&s.path, x)));
            }
            if let Some(other) = ids.insert(e.id.clone(), s.path.clone()) {
                report.findings.push(at(
                    &s.path,
                    err(
                        "learn-id",
                        JsonPath::root().key("id"),
                        format!("the id {} is also used by {other}", e.id),
                    ),
                ));
            }
            e.file = s.path.clone();
            report.entries.push(e);
        }
    }
    if let Some(ix) = index {
        match super::parse_index(&ix.text) {
            Err(f) => report
                .findings
                .extend(f.into_iter().map(|x| at(&ix.path, x))),
            Ok(index) => check_index(
                &index,
                &report.entries,
                scenarios,
                &ix.path,
                &ix.text,
                &mut report.findings,
            ),
        }
    }
    if let (Some(t), Some(file)) = (&report.topics, topics) {
        let mut missing = Vec::new();
        for (i, topic) in t.topics.iter().enumerate() {
            if !report.entries.iter().any(|e| e.topics.contains(&topic.id)) {
                missing.push(
                    err(
                        "learn-coverage",
                        JsonPath::root().key("topics").index(i),
                        format!("topic {} has no scenario", topic.id),
                    )
                    .with_fix("write a scenario tagged with it"),
                );
            }
        }
        report.findings.extend(
            shapes::located(&file.text, missing)
                .into_iter()
                .map(|x| at(&file.path, x)),
        );
    }
    report
}

/// The `planFile` a scenario text names, read leniently (before it is checked).
fn scenario_plan_file(text: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()?
        .get("planFile")?
        .as_str()
        .map(str::to_string)
}

fn check_index(
    index: &Index,
    entries: &[IndexEntry],
    files: &[FolderFile],
    path: &str,
    text: &str,
    out: &mut Vec<Located>,
) {
    let mut f = Vec::new();
    let base = JsonPath::root().key("scenarios");
    for (i, e) in index.scenarios.iter().enumerate() {
        match entries.iter().find(|x| x.file == e.file) {
            Some(x) if x != e => f.push(err("learn-index", base.index(i), format!("the entry for {} is not in step with the file (the file says: id {}, title \"{}\", kind {}, topics {}, simulated {})", e.file, x.id, x.title, x.kind.label(), x.topics.join(", "), x.simulated)).with_fix("copy those values into the index (`ecsplan learn index` prints it)")),
            Some(_) => {}
            None if files.iter().any(|x| x.path == e.file) => {}
            None => f.push(err("learn-index", base.index(i).key("file"), format!("{} is not a scenario file of the folder", e.file)).with_fix("remove the entry, or add the file")),
        }
    }
    for e in entries {
        if !index.scenarios.iter().any(|x| x.file == e.file) {
            f.push(
                err(
                    "learn-index",
                    base.clone(),
                    format!("{} is missing from the index", e.file),
                )
                .with_fix("add its entry (`ecsplan learn index` prints the whole index)"),
            );
        }
    }
    out.extend(shapes::located(text, f).into_iter().map(|x| Located {
        file: path.to_string(),
        finding: x,
    }));
}
