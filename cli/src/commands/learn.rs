//! `ecsplan learn check|list|index|play`: learn mode's scenarios on the command line.
//!
//! A scenario folder is the project's `public/learn/` (topics.json, index.json, scenarios/) or
//! any folder of scenario files a teacher writes: `check` runs on it the same checks the
//! project's tests run (every variant played, answers unique, goals reachable, pages cited).

use crate::{input, Outcome, UsageError};
use engine::api::findings::Finding;
use engine::api::learn::{self, Answer, FolderFile, IndexEntry, Scenario, Step};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The project's scenarios: `public/learn` under the current directory, else next to the
/// sources this `ecsplan` was built from.
fn default_dir() -> PathBuf {
    let here = PathBuf::from("public/learn");
    if here.is_dir() {
        return here;
    }
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../public/learn"))
}

/// A scenario folder read from disk.
struct Folder {
    dir: PathBuf,
    scenarios: Vec<FolderFile>,
    topics: Option<FolderFile>,
    index: Option<FolderFile>,
}

fn read(dir: &Path, rel: &str) -> Result<FolderFile, UsageError> {
    let p = dir.join(rel);
    Ok(FolderFile {
        path: rel.to_string(),
        text: input::read_text(&p.to_string_lossy())?,
    })
}

fn folder(dir: Option<&str>) -> Result<Folder, UsageError> {
    let dir = dir.map(PathBuf::from).unwrap_or_else(default_dir);
    if !dir.is_dir() {
        return Err(UsageError(format!("{} is not a folder", dir.display())));
    }
    let (sub, prefix) = if dir.join("scenarios").is_dir() {
        (dir.join("scenarios"), "scenarios/")
    } else {
        (dir.clone(), "")
    };
    let mut names: Vec<String> = std::fs::read_dir(&sub)
        .map_err(|e| UsageError(format!("cannot read {}: {e}", sub.display())))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.ends_with(".json")
                && !(prefix.is_empty() && (n == "topics.json" || n == "index.json"))
        })
        .collect();
    names.sort();
    let mut scenarios = Vec::new();
    for n in names {
        scenarios.push(read(&dir, &format!("{prefix}{n}"))?);
    }
    let optional = |name: &str| -> Result<Option<FolderFile>, UsageError> {
        if dir.join(name).is_file() {
            read(&dir, name).map(Some)
        } else {
            Ok(None)
        }
    };
    Ok(Folder {
        topics: optional("topics.json")?,
        index: optional("index.json")?,
        scenarios,
        dir,
    })
}

impl Folder {
    /// The text of a plan file a scenario names (relative to the scenario file).
    fn plan_file(&self, scenario: &str, plan_file: &str) -> Option<String> {
        let base = self.dir.join(scenario);
        let p = base.parent()?.join(plan_file);
        std::fs::read_to_string(p).ok()
    }

    fn scenario(&self, id: &str) -> Result<(Scenario, &FolderFile), UsageError> {
        let file = self
            .scenarios
            .iter()
            .find(|f| {
                f.path
                    .rsplit('/')
                    .next()
                    .map(|n| n.trim_end_matches(".json"))
                    == Some(id)
            })
            .ok_or_else(|| {
                let ids: Vec<&str> = self
                    .scenarios
                    .iter()
                    .filter_map(|f| f.path.rsplit('/').next())
                    .map(|n| n.trim_end_matches(".json"))
                    .collect();
                let hint = engine::api::schema::did_you_mean(id, ids.iter().copied())
                    .map(|b| format!("; did you mean {b}?"))
                    .unwrap_or_default();
                UsageError(format!(
                    "no scenario {id} in {}{hint} (`ecsplan learn list` lists them)",
                    self.dir.display()
                ))
            })?;
        let mut s = Scenario::parse(&file.text).map_err(|f| {
            UsageError(format!(
                "{} is not a valid scenario: {} (`ecsplan learn check` lists every problem)",
                file.path,
                first(&f)
            ))
        })?;
        if let Some(pf) = s.plan_file().map(str::to_string) {
            let text = self.plan_file(&file.path, &pf).ok_or_else(|| {
                UsageError(format!("{}: cannot read its plan file {pf}", file.path))
            })?;
            s.resolve_plan_file(&text)
                .map_err(|f| UsageError(format!("{}: {}", file.path, first(&f))))?;
        }
        Ok((s, file))
    }
}

fn first(f: &[Finding]) -> String {
    f.first().map(|x| x.to_string()).unwrap_or_default()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CheckReport<'a> {
    dir: String,
    scenarios: usize,
    variants: u32,
    errors: usize,
    warnings: usize,
    findings: &'a [learn::Located],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    answers: Vec<AnswerLine>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AnswerLine {
    id: String,
    variant: u32,
    answer: String,
    detail: String,
}

/// `ecsplan learn check [DIR]`.
pub fn check(dir: Option<&str>, json: bool, answers: bool) -> Result<Outcome, UsageError> {
    let f = folder(dir)?;
    let report = learn::check_folder(
        &f.scenarios,
        f.topics.as_ref(),
        f.index.as_ref(),
        &|s, p| f.plan_file(s, p),
    );
    let errors = report.errors();
    let warnings = report.findings.len() - errors;
    let mut variants = 0;
    let mut lines = Vec::new();
    for e in &report.entries {
        if let Ok((s, _)) = f.scenario(&e.id) {
            variants += s.variants();
            if answers {
                for n in 0..s.variants() {
                    if let Ok(v) = s.variant(n) {
                        let k = v.answer_key();
                        lines.push(AnswerLine {
                            id: e.id.clone(),
                            variant: n,
                            answer: k
                                .as_ref()
                                .map(|k| k.answer.clone())
                                .unwrap_or_else(|e| format!("error: {e}")),
                            detail: k.map(|k| k.detail).unwrap_or_default(),
                        });
                    }
                }
            }
        }
    }
    if json {
        let r = CheckReport {
            dir: f.dir.display().to_string(),
            scenarios: f.scenarios.len(),
            variants,
            errors,
            warnings,
            findings: &report.findings,
            answers: lines,
        };
        raw!("{}\n", serde_json::to_string_pretty(&r).unwrap_or_default());
    } else {
        // Paths from the current directory, so that editors can open them.
        for x in &report.findings {
            let mut shown = x.clone();
            shown.file = f.dir.join(&x.file).display().to_string();
            outln!("{shown}");
        }
        for a in &lines {
            outln!("{} #{}: {} — {}", a.id, a.variant, a.answer, a.detail);
        }
        outln!(
            "{}: {} scenarios, {variants} variants checked: {errors} {}, {warnings} {}",
            f.dir.display(),
            f.scenarios.len(),
            if errors == 1 { "error" } else { "errors" },
            if warnings == 1 { "warning" } else { "warnings" }
        );
    }
    Ok(if errors == 0 {
        Outcome::Ok
    } else {
        Outcome::Negative
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListEntry {
    #[serde(flatten)]
    entry: IndexEntry,
    variants: u32,
}

/// `ecsplan learn list [DIR]`: the scenarios with their kinds and topics.
pub fn list(dir: Option<&str>, json: bool) -> Result<Outcome, UsageError> {
    let f = folder(dir)?;
    let topics = f
        .topics
        .as_ref()
        .and_then(|t| learn::parse_topics(&t.text).ok());
    let mut entries = Vec::new();
    let mut bad = 0;
    for file in &f.scenarios {
        let id = file
            .path
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".json");
        match f.scenario(id).and_then(|(s, _)| {
            let v = s.variant(0).map_err(|e| UsageError(e.to_string()))?;
            Ok((s.variants(), v))
        }) {
            Ok((n, v)) => entries.push(ListEntry {
                entry: IndexEntry {
                    id: v.doc.id.clone(),
                    file: file.path.clone(),
                    title: v.doc.title.clone(),
                    kind: v.doc.kind,
                    topics: v.doc.topics.clone(),
                    simulated: v.play().simulated,
                },
                variants: n,
            }),
            Err(UsageError(e)) => {
                bad += 1;
                note!("{}: {e}", file.path);
            }
        }
    }
    if json {
        let v = serde_json::json!({ "topics": topics.map(|t| t.topics), "scenarios": entries });
        raw!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        for e in &entries {
            outln!(
                "{:<34} {:<8} {:<40} {}{}",
                e.entry.id,
                e.entry.kind.label(),
                e.entry.topics.join(","),
                e.entry.title,
                if e.entry.simulated {
                    ""
                } else {
                    " (not simulated)"
                }
            );
        }
        outln!("{} scenarios", entries.len());
    }
    Ok(if bad == 0 {
        Outcome::Ok
    } else {
        Outcome::Negative
    })
}

/// `ecsplan learn index [DIR]`: the index file for the folder's scenarios.
pub fn index(dir: Option<&str>) -> Result<Outcome, UsageError> {
    let f = folder(dir)?;
    let report = learn::check_folder(&f.scenarios, None, None, &|s, p| f.plan_file(s, p));
    let index = learn::Index {
        schema_version: 1,
        scenarios: report.entries,
    };
    outln!(
        "{}",
        serde_json::to_string_pretty(&index).unwrap_or_default()
    );
    Ok(if index.scenarios.len() == f.scenarios.len() {
        Outcome::Ok
    } else {
        Outcome::Negative
    })
}

/// `ecsplan learn play ID [--answer A] [--variant N]`: the scenario as the learner sees it, or
/// the grade of an answer (exit 1 when it is wrong).
pub fn play(
    dir: Option<&str>,
    id: &str,
    answer: Option<&str>,
    variant: u32,
    json: bool,
) -> Result<Outcome, UsageError> {
    let f = folder(dir)?;
    let (s, _) = f.scenario(id)?;
    let v = s.variant(variant).map_err(|e| UsageError(e.to_string()))?;
    let Some(answer) = answer else {
        let played = v.play();
        if json {
            outln!(
                "{}",
                serde_json::to_string_pretty(&played).unwrap_or_default()
            );
        } else {
            out!("{}", show_played(&played));
        }
        return Ok(Outcome::Ok);
    };
    let answer = parse_answer(&v, answer)?;
    let grade = v.grade(&answer).map_err(|e| UsageError(e.to_string()))?;
    if json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&grade).unwrap_or_default()
        );
    } else {
        out!("{}", show_grade(&grade));
    }
    Ok(if grade.correct {
        Outcome::Ok
    } else {
        Outcome::Negative
    })
}

/// A choice id, a number, or a file of edits (a JSON list) or a plan (a JSON object).
fn parse_answer(v: &learn::Variant, a: &str) -> Result<Answer, UsageError> {
    use learn::{Input, Kind};
    match v.doc.kind {
        Kind::Predict if v.doc.input == Input::Number => {
            a.trim().parse::<f64>().map(Answer::Number).map_err(|_| {
                UsageError(format!(
                    "this scenario is answered with a number, not \"{a}\""
                ))
            })
        }
        Kind::Predict | Kind::Classify => Ok(Answer::Choice(a.to_string())),
        Kind::Reach | Kind::Fix => {
            let text = input::read_text(a).map_err(|UsageError(e)| {
                UsageError(format!(
                    "{e} (a {} scenario is answered with a file of edits or a plan)",
                    v.doc.kind.label()
                ))
            })?;
            let value: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| UsageError(format!("{a}: not valid JSON: {e}")))?;
            if value.is_array() {
                let steps: Vec<Step> = serde_json::from_value(value)
                    .map_err(|e| UsageError(format!("{a}: not a list of edits: {e}")))?;
                return Ok(Answer::Edits(steps));
            }
            let loaded = engine::api::plan::load(&text);
            match loaded.plan {
                Some(p) => Ok(Answer::Plan(Box::new(p))),
                None => {
                    let errors: Vec<String> = loaded
                        .errors()
                        .take(5)
                        .map(|f| format!("  {a}: {f}"))
                        .collect();
                    Err(UsageError(format!(
                        "{a} is neither a list of edits nor a plan that loads:\n{}",
                        errors.join("\n")
                    )))
                }
            }
        }
    }
}

fn show_played(p: &learn::Played) -> String {
    let mut s = format!(
        "{} [{}{}] {}\ntopics: {}\n\n{}\n",
        p.id,
        p.kind.label(),
        if p.simulated { "" } else { ", not simulated" },
        p.title,
        p.topics.join(", "),
        p.prompt
    );
    if p.variants > 1 {
        s.push_str(&format!("variant {} ({} in all)\n", p.variant, p.variants));
    }
    for c in &p.choices {
        s.push_str(&format!("  {}) {}\n", c.id, c.label));
    }
    if p.input == learn::Input::Number && p.kind == learn::Kind::Predict {
        s.push_str("  answer with a number\n");
    }
    if !p.goal.is_empty() {
        s.push_str("goal:\n");
        for g in &p.goal {
            s.push_str(&format!("  {g}\n"));
        }
    }
    if !p.controls.is_empty() {
        s.push_str("you may:\n");
        for c in &p.controls {
            s.push_str(&format!("  {}\n", c.text));
        }
    }
    for (i, h) in p.hints.iter().enumerate() {
        s.push_str(&format!("hint {}: {h}\n", i + 1));
    }
    for l in &p.pages {
        s.push_str(&format!("AWS: {} <{}>\n", l.title, l.url));
    }
    s
}

fn show_grade(g: &learn::Grade) -> String {
    let mut s = format!(
        "{}: {}\n",
        if g.correct { "CORRECT" } else { "INCORRECT" },
        g.given
    );
    if !g.correct {
        s.push_str(&format!("answer: {}\n", g.answer));
    }
    for r in &g.refused {
        s.push_str(&format!("  refused: {r}\n"));
    }
    for c in &g.goal {
        s.push_str(&format!(
            "  [{}] {}: {} — {}\n",
            if c.met { "met" } else { "not met" },
            c.text,
            c.value,
            c.detail
        ));
    }
    for c in &g.choices {
        s.push_str(&format!(
            "  {}{} {}) {}: {}\n",
            if c.correct { "✓" } else { " " },
            if c.chosen { "→" } else { " " },
            c.id,
            c.label,
            c.consequence
        ));
        if let Some(n) = &c.note {
            s.push_str(&format!("        {n}\n"));
        }
    }
    s.push_str(&format!("\n{}\n", g.explanation));
    for m in &g.misconceptions {
        s.push_str(&format!(
            "\ncommon misconception: {}\n  documented: {}\n",
            m.claim, m.truth
        ));
        for l in &m.pages {
            s.push_str(&format!("  AWS: {} <{}>\n", l.title, l.url));
        }
    }
    if !g.simulated {
        s.push_str("\n(not simulated: this answer is keyed from the AWS page cited)\n");
    }
    for l in &g.pages {
        s.push_str(&format!("AWS: {} <{}>\n", l.title, l.url));
    }
    s
}
