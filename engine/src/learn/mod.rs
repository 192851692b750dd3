//! Learn mode: every topic of the study notes as a scenario whose answer the engine computes.
//!
//! A scenario is a data file (`public/learn/scenarios/*.json`, described in `docs/learn.md`):
//! a starting plan and setup edits, a prompt, what the engine measures ([`measure`]), and per
//! kind the choices (labels only), the goal, the controls and a solution. Nothing in it says
//! which answer is right: [`Variant::grade`] plays the learner's answer through the same engine
//! that runs the board and the time view, and [`check`] proves, for every variant, that the
//! answer exists and is unique, that the start fails the goal and the solution reaches it, that
//! every placeholder resolves and every cited page exists.
//!
//! The page's use, in order: [`Scenario::parse`] the fetched file (and
//! [`Scenario::resolve_plan_file`] when it names one), [`Scenario::variant`] for variant `n`,
//! [`Variant::play`] for what to show (prompt, plan, view, choices, controls, hints), then
//! [`Variant::grade`] with the learner's [`Answer`] for the verdict, the explanation and every
//! choice's played-out consequence. [`Variant::permits`] says at once whether an edit on the
//! board is one of the scenario's controls.

pub mod check;
pub mod controls;
pub mod exam;
pub mod measure;
pub mod pages;
pub mod params;
pub mod progress;
pub mod scenario;
mod shapes;
pub mod step;
pub mod text;
pub mod topics;

pub use measure::{Measure, Measured, Probe, Val};
pub use pages::Link;
pub use scenario::{Choice, Condition, Control, Doc, Input, Kind, Misconception, Op, Operand};
pub use step::Step;
pub use topics::{Topic, Topics};

use crate::findings::{Finding, JsonPath};
use crate::plan::Plan;
use params::Space;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// What can go wrong when playing or grading (the scenario's own problems are findings).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LearnError {
    /// The scenario's `planFile` was not given with the scenario (the caller loads it).
    #[error("the scenario names the plan file {0}, which has not been loaded")]
    PlanFileNotLoaded(String),
    /// The scenario's document has errors (its findings).
    #[error("the scenario is not valid: {}", summary(.0))]
    Invalid(Vec<Finding>),
    /// The answer names a choice the scenario does not have.
    #[error("no choice \"{given}\" (choices: {})", .ids.join(", "))]
    UnknownChoice {
        /// The choice id given.
        given: String,
        /// The scenario's choice ids.
        ids: Vec<String>,
    },
    /// The answer is of another kind than the scenario asks for (a number for a choice, …).
    #[error("this scenario is answered with {expected}, not {given}")]
    WrongAnswerKind {
        /// What the scenario asks for, in words ("a choice").
        expected: String,
        /// What was given, in words.
        given: String,
    },
    /// A measure the engine cannot compute on this plan (a task or service it does not have, …).
    #[error("the engine cannot measure {what}: {why}")]
    Measure {
        /// The measure.
        what: String,
        /// The engine's reason.
        why: String,
    },
    /// The scenario has no answer the engine can compute (e.g. no choice matches the measured value).
    #[error("{0}")]
    Unanswerable(String),
}

fn summary(f: &[Finding]) -> String {
    match f.first() {
        Some(x) if f.len() == 1 => x.to_string(),
        Some(x) => format!("{x} (and {} more)", f.len() - 1),
        None => "unknown problem".into(),
    }
}

/// A learner's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Answer {
    /// A choice id (predict, classify).
    Choice(String),
    /// A typed number (predict with `"input": "number"`).
    Number(f64),
    /// Edits made to the scenario's plan (reach, fix).
    Edits(Vec<Step>),
    /// The plan as the learner left it (reach, fix).
    Plan(Box<Plan>),
}

impl Answer {
    fn kind(&self) -> &'static str {
        match self {
            Answer::Choice(_) => "a choice",
            Answer::Number(_) => "a number",
            Answer::Edits(_) => "edits",
            Answer::Plan(_) => "a plan",
        }
    }
}

/// A scenario file, parsed and checked for shape (variant 0).
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The scenario's `id` (also its file name).
    pub id: String,
    text: String,
    raw: Value,
    space: Space,
    plan_file: Option<String>,
    /// The plan file's document, once the caller has loaded it.
    base_plan: Option<Value>,
}

impl Scenario {
    /// Parses a scenario file. Errors come with their paths, line:column and fixes, like a
    /// plan's; only the shape is checked here (`check` does the rest).
    pub fn parse(text: &str) -> Result<Scenario, Vec<Finding>> {
        let raw = shapes::parse_json(text)?;
        let mut findings = Vec::new();
        let space = Space::read(&raw, &mut findings);
        let doc = params::substitute(&raw, &space.combination(0), &mut findings);
        shapes::check(&doc, "learn:Scenario", &mut findings);
        if !findings.iter().any(Finding::is_error) {
            if let Err(f) = crate::typed::typed::<Doc>(&doc, &JsonPath::root()) {
                findings.push(*f);
            }
        }
        if findings.iter().any(Finding::is_error) {
            return Err(shapes::located(text, findings));
        }
        Ok(Scenario {
            id: raw["id"].as_str().unwrap_or_default().to_string(),
            text: text.to_string(),
            plan_file: raw["planFile"].as_str().map(str::to_string),
            raw,
            space,
            base_plan: None,
        })
    }

    /// The plan file the scenario starts from, relative to the scenario file, if it names one.
    pub fn plan_file(&self) -> Option<&str> {
        self.plan_file.as_deref()
    }

    /// Gives the scenario the text of its plan file.
    pub fn resolve_plan_file(&mut self, text: &str) -> Result<(), Vec<Finding>> {
        let v = shapes::parse_json(text).map_err(|mut f| {
            for x in &mut f {
                x.message = format!(
                    "plan file {}: {}",
                    self.plan_file.as_deref().unwrap_or("?"),
                    x.message
                );
            }
            f
        })?;
        self.base_plan = Some(v);
        Ok(())
    }

    /// The source text (to locate findings).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How many different variants there are.
    pub fn variants(&self) -> u32 {
        self.space.size().min(params::MAX_VARIANTS) as u32
    }

    /// Variant `n` (0 = the parameters' first values; any `n` is valid and cycles).
    pub fn variant(&self, n: u32) -> Result<Variant, LearnError> {
        let combination = self.space.variant(&self.id, n);
        self.build(n, combination).map_err(|f| match f {
            Built::PlanFile(p) => LearnError::PlanFileNotLoaded(p),
            Built::Findings(f) => LearnError::Invalid(shapes::located(&self.text, f)),
        })
    }

    fn build(&self, number: u32, combination: usize) -> Result<Variant, Built> {
        let mut findings = Vec::new();
        let values = self.space.combination(combination);
        let doc = params::substitute(&self.raw, &values, &mut findings);
        shapes::check(&doc, "learn:Scenario", &mut findings);
        if findings.iter().any(Finding::is_error) {
            return Err(Built::Findings(findings));
        }
        let doc: Doc =
            crate::typed::typed(&doc, &JsonPath::root()).map_err(|f| Built::Findings(vec![*f]))?;
        let (plan_value, at) = match (&doc.plan, &doc.plan_file) {
            (Some(p), None) => (p.clone(), JsonPath::root().key("plan")),
            (None, Some(f)) => match &self.base_plan {
                Some(p) => (p.clone(), JsonPath::root().key("planFile")),
                None => return Err(Built::PlanFile(f.clone())),
            },
            (Some(_), Some(_)) => {
                return Err(Built::Findings(vec![Finding::error(
                    "learn-plan",
                    JsonPath::root().key("planFile"),
                    "a scenario has \"plan\" or \"planFile\", not both",
                )
                .with_fix("remove one of them")]))
            }
            (None, None) if doc.kind == Kind::Classify => {
                (serde_json::to_value(Plan::empty(&doc.title)).unwrap_or_default(), JsonPath::root())
            }
            (None, None) => {
                return Err(Built::Findings(vec![Finding::error(
                    "learn-plan",
                    JsonPath::root(),
                    "the scenario has no plan",
                )
                .with_fix("add \"plan\": { \"schemaVersion\": 1, ... } or \"planFile\": \"../../plans/NAME.json\"")]))
            }
        };
        let loaded = crate::load::load_value(plan_value);
        let Some(mut plan) = loaded.plan else {
            let errors = loaded
                .findings
                .into_iter()
                .filter(Finding::is_error)
                .map(|mut f| {
                    if at.0.first() == Some(&crate::findings::PathSeg::Key("plan".into())) {
                        let mut p = at.clone();
                        p.0.extend(f.path.0);
                        f.path = p;
                    } else {
                        f.message = format!("in the plan file: {} ({})", f.message, f.path);
                        f.path = at.clone();
                    }
                    f
                })
                .collect();
            return Err(Built::Findings(errors));
        };
        for (i, s) in doc.setup.iter().enumerate() {
            match s.apply(&plan) {
                Ok(p) => plan = p,
                Err(f) => {
                    let why = f
                        .first()
                        .map(|x| format!("{} ({})", x.message, x.path))
                        .unwrap_or_default();
                    return Err(Built::Findings(vec![Finding::error(
                        "learn-setup",
                        JsonPath::root().key("setup").index(i),
                        format!("setup step {} ({}) is refused: {why}", i + 1, s.describe()),
                    )]));
                }
            }
        }
        Ok(Variant {
            number,
            variants: self.variants(),
            combination,
            values,
            doc,
            start: plan,
        })
    }
}

enum Built {
    PlanFile(String),
    Findings(Vec<Finding>),
}

/// One variant of a scenario: the document with its parameters, and the plan after setup.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The variant asked for (any number; it cycles through the combinations).
    pub number: u32,
    /// How many different variants the scenario has.
    pub variants: u32,
    /// Which combination of parameter values (0 = the first values).
    pub combination: usize,
    /// Each parameter's value in this variant, in the scenario's order.
    pub values: Vec<(String, Value)>,
    /// The scenario document with the parameters substituted.
    pub doc: Doc,
    /// The plan the learner starts from (setup applied).
    pub start: Plan,
}

/// Which view the page opens for a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "view",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum View {
    /// The board; `focus` is the task the question is about.
    Board {
        /// The task id to highlight.
        #[serde(skip_serializing_if = "Option::is_none")]
        focus: Option<String>,
    },
    /// The time view running a deployment.
    Deployment {
        /// `serviceName` of the service deployed.
        service: String,
        /// `family:revision` deployed to; without it, a forced new deployment.
        #[serde(skip_serializing_if = "Option::is_none")]
        to: Option<String>,
    },
    /// The time view running a simulation.
    Simulation {
        /// Seconds simulated.
        seconds: u32,
    },
    /// The task definition and service editors with their findings.
    Findings,
    /// No plan to show: read and choose (classify).
    Reading,
}

/// What the page shows before the learner answers. It never contains the answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Played {
    /// The scenario's id.
    pub id: String,
    /// The scenario's title.
    pub title: String,
    /// What the learner does.
    pub kind: Kind,
    /// Topic ids it is tagged with.
    pub topics: Vec<String>,
    /// The variant played.
    pub variant: u32,
    /// How many different variants the scenario has.
    pub variants: u32,
    /// The parameters of this variant, by name.
    pub parameters: BTreeMap<String, Value>,
    /// The question, placeholders filled.
    pub prompt: String,
    /// The plan the learner starts from (setup applied).
    pub plan: Plan,
    /// Which view the page opens.
    pub view: View,
    /// How a predict scenario is answered (choice or number).
    pub input: Input,
    /// The choices, without their values (which would give the answer away).
    pub choices: Vec<ChoiceLabel>,
    /// Reach and fix: what the learner may change, in words.
    pub controls: Vec<ControlView>,
    /// Reach and fix: the goal, in words.
    pub goal: Vec<String>,
    /// Hints, shown one at a time on request.
    pub hints: Vec<String>,
    /// AWS pages cited, resolved to titles and URLs.
    pub pages: Vec<Link>,
    /// False for topics the engine does not simulate (the page says "not simulated").
    pub simulated: bool,
}

/// A choice as shown before answering: its id and label only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChoiceLabel {
    /// The id an answer gives.
    pub id: String,
    /// What the learner reads.
    pub label: String,
}

/// A control with its limits in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ControlView {
    /// The control as the scenario writes it.
    pub control: Control,
    /// What it allows, in words ("add up to 2 × m5.large in us-east-1a or us-east-1b").
    pub text: String,
}

/// The verdict on an answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Grade {
    /// The scenario's id.
    pub id: String,
    /// The variant answered.
    pub variant: u32,
    /// What the learner did.
    pub kind: Kind,
    /// Whether the answer is right.
    pub correct: bool,
    /// The right answer, in words (computed by the engine; for classify, the author's key).
    pub answer: String,
    /// The learner's answer, in words.
    pub given: String,
    /// The explanation with its placeholders filled from the engine's numbers.
    pub explanation: String,
    /// Predict and classify: every choice, with what the engine says about it.
    pub choices: Vec<ChoiceOutcome>,
    /// Reach and fix: each goal condition on the learner's plan.
    pub goal: Vec<GoalCheck>,
    /// Changes the scenario's controls do not allow, or edits the engine refused.
    pub refused: Vec<Finding>,
    /// AWS pages cited, resolved to titles and URLs.
    pub pages: Vec<Link>,
    /// Wrong claims of the study notes this scenario corrects.
    pub misconceptions: Vec<MisconceptionView>,
    /// False for topics the engine does not simulate (the author's key decides).
    pub simulated: bool,
}

/// A choice after answering: whether it was chosen, whether it is right, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChoiceOutcome {
    /// The choice's id.
    pub id: String,
    /// The choice's label.
    pub label: String,
    /// Whether the learner chose it.
    pub chosen: bool,
    /// Whether the engine's numbers make it right.
    pub correct: bool,
    /// What the engine computes under this choice (edit choices), when it applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What would have happened: the engine's verdict on this choice.
    pub consequence: String,
    /// The author's note on the choice, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One goal condition on the learner's plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GoalCheck {
    /// The measure's name in the scenario.
    pub measure: String,
    /// The condition in words: "tasks left unplaced after losing the worst zone = 0".
    pub text: String,
    /// The value measured, in words.
    pub value: String,
    /// Whether the condition holds.
    pub met: bool,
    /// The engine's reason, in one line.
    pub detail: String,
}

/// A wrong claim and what AWS documents instead, with the pages resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MisconceptionView {
    /// What the study notes say.
    pub claim: String,
    /// What AWS documents.
    pub truth: String,
    /// AWS pages that say so.
    pub pages: Vec<Link>,
}

/// The computed answer of a variant (what the snapshot test records).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnswerKey {
    /// The right choice id, the number, or "goal" for reach and fix.
    pub answer: String,
    /// The engine's values behind it.
    pub detail: String,
}

impl Variant {
    fn simulated(&self) -> bool {
        self.doc.kind != Kind::Classify || self.choices_have_edits()
    }

    /// Choices judged by playing their edits (one may have none: "leave it as it is").
    fn choices_have_edits(&self) -> bool {
        self.doc.choices.iter().any(|c| !c.edits.is_empty())
            && self
                .doc
                .choices
                .iter()
                .all(|c| c.value.is_none() && c.range.is_none())
    }

    fn params(&self) -> &[(String, Value)] {
        &self.values
    }

    fn slots<'a>(
        &'a self,
        now: Option<&'a BTreeMap<String, Measured>>,
        start: Option<&'a BTreeMap<String, Measured>>,
    ) -> text::Slots<'a> {
        text::Slots {
            params: self.params(),
            now,
            start,
        }
    }

    /// Every named measure on `plan` (those that cannot be measured there are left out).
    pub fn measures_of(&self, plan: &Plan) -> BTreeMap<String, Measured> {
        let probe = Probe::new(plan, 0);
        self.doc
            .measures
            .iter()
            .filter_map(|(n, m)| probe.measure(m).ok().map(|v| (n.clone(), v)))
            .collect()
    }

    fn view(&self) -> View {
        let first = self
            .doc
            .question
            .as_ref()
            .or(self.doc.goal.first().map(|c| &c.measure))
            .and_then(|n| self.doc.measures.get(n));
        match first {
            Some(Measure::Deployment { service, to, .. }) => View::Deployment {
                service: service.clone(),
                to: to.clone(),
            },
            Some(Measure::Simulation { seconds, .. }) => View::Simulation { seconds: *seconds },
            Some(Measure::Finding { .. } | Measure::Findings { .. } | Measure::Errors {}) => {
                View::Findings
            }
            Some(m) => View::Board {
                focus: m.task().map(str::to_string),
            },
            None if self.doc.kind == Kind::Classify
                && self.doc.plan.is_none()
                && self.doc.plan_file.is_none() =>
            {
                View::Reading
            }
            None => View::Board { focus: None },
        }
    }

    fn goal_text(&self, c: &Condition) -> String {
        let what = self
            .doc
            .measures
            .get(&c.measure)
            .map(Measure::describe)
            .unwrap_or_else(|| c.measure.clone());
        let target = match &c.value {
            Operand::Literal(v) => Val::from_json(v).map(|v| v.text()).unwrap_or_default(),
            Operand::Measure { measure } => self
                .doc
                .measures
                .get(measure)
                .map(Measure::describe)
                .unwrap_or_else(|| measure.clone()),
            Operand::Start { start } => format!(
                "its value at the start ({})",
                self.doc
                    .measures
                    .get(start)
                    .map(Measure::describe)
                    .unwrap_or_else(|| start.clone())
            ),
        };
        format!("{what} {} {target}", c.op.symbol())
    }

    /// What the page shows: prompt, plan, view, choices (labels only), controls, hints, pages.
    pub fn play(&self) -> Played {
        let slots = self.slots(None, None);
        let start_measures;
        let slots = if matches!(self.doc.kind, Kind::Reach | Kind::Fix) {
            start_measures = self.measures_of(&self.start);
            self.slots(None, Some(&start_measures))
        } else {
            slots
        };
        Played {
            id: self.doc.id.clone(),
            title: self.doc.title.clone(),
            kind: self.doc.kind,
            topics: self.doc.topics.clone(),
            variant: self.number,
            variants: self.variants,
            parameters: self.values.iter().cloned().collect(),
            prompt: text::fill_lenient(&self.doc.prompt, &slots),
            plan: self.start.clone(),
            view: self.view(),
            input: self.doc.input,
            choices: self
                .doc
                .choices
                .iter()
                .map(|c| ChoiceLabel {
                    id: c.id.clone(),
                    label: text::fill_lenient(&c.label, &slots),
                })
                .collect(),
            controls: self
                .doc
                .controls
                .iter()
                .map(|c| ControlView {
                    control: c.clone(),
                    text: controls::describe(c),
                })
                .collect(),
            goal: if matches!(self.doc.kind, Kind::Reach | Kind::Fix) {
                self.doc.goal.iter().map(|c| self.goal_text(c)).collect()
            } else {
                Vec::new()
            },
            hints: self
                .doc
                .hints
                .iter()
                .map(|h| text::fill_lenient(h, &slots))
                .collect(),
            pages: self.doc.pages.iter().map(|p| pages::link(p)).collect(),
            simulated: self.simulated(),
        }
    }

    /// Whether the controls allow everything that changed from the starting plan to `plan`
    /// (the page calls it after each edit on the board): the changes they do not allow.
    pub fn permits(&self, plan: &Plan) -> Vec<Finding> {
        controls::refusals(&self.start, plan, &self.doc.controls)
    }

    /// The plan with a choice's edits applied ("what would have happened" on the board).
    pub fn choice_plan(&self, id: &str) -> Result<Plan, LearnError> {
        let c = self.choice(id)?;
        apply_steps(&self.start, &c.edits).map_err(LearnError::Invalid)
    }

    fn choice(&self, id: &str) -> Result<&Choice, LearnError> {
        self.doc
            .choices
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| LearnError::UnknownChoice {
                given: id.to_string(),
                ids: self.doc.choices.iter().map(|c| c.id.clone()).collect(),
            })
    }

    fn measure_def(&self, name: &str) -> Result<&Measure, LearnError> {
        self.doc
            .measures
            .get(name)
            .ok_or_else(|| LearnError::Measure {
                what: name.to_string(),
                why: "the scenario defines no such measure".into(),
            })
    }

    /// Evaluates the goal on `plan` (measures of the start for `{"start": ...}` operands).
    pub fn goal_on(&self, plan: &Plan, seed_offset: u64) -> Result<Vec<GoalCheck>, LearnError> {
        let probe = Probe::new(plan, seed_offset);
        let start_probe = Probe::new(&self.start, seed_offset);
        let mut out = Vec::new();
        for c in &self.doc.goal {
            let m = self.measure_def(&c.measure)?;
            let got = probe.measure(m).map_err(|why| LearnError::Measure {
                what: m.describe(),
                why,
            })?;
            let target = match &c.value {
                Operand::Literal(v) => Val::from_json(v).ok_or_else(|| LearnError::Measure {
                    what: c.measure.clone(),
                    why: format!("{v} is not a number, text or true/false"),
                })?,
                Operand::Measure { measure } => {
                    let d = self.measure_def(measure)?;
                    probe
                        .measure(d)
                        .map_err(|why| LearnError::Measure {
                            what: d.describe(),
                            why,
                        })?
                        .value
                }
                Operand::Start { start } => {
                    let d = self.measure_def(start)?;
                    start_probe
                        .measure(d)
                        .map_err(|why| LearnError::Measure {
                            what: d.describe(),
                            why,
                        })?
                        .value
                }
            };
            let met =
                measure::compare(&got.value, c.op, &target).map_err(|why| LearnError::Measure {
                    what: c.measure.clone(),
                    why,
                })?;
            let text = match &c.value {
                Operand::Literal(_) => self.goal_text(c),
                _ => format!("{} ({})", self.goal_text(c), target.text()),
            };
            out.push(GoalCheck {
                measure: c.measure.clone(),
                text,
                value: got.text.clone(),
                met,
                detail: got.detail.clone(),
            });
        }
        Ok(out)
    }

    /// The question's value (predict with value choices or a typed number).
    pub fn question_value(&self, seed_offset: u64) -> Result<Measured, LearnError> {
        let name = self
            .doc
            .question
            .as_deref()
            .ok_or_else(|| LearnError::Unanswerable("the scenario has no question".into()))?;
        let m = self.measure_def(name)?;
        Probe::new(&self.start, seed_offset)
            .measure(m)
            .map_err(|why| LearnError::Measure {
                what: m.describe(),
                why,
            })
    }

    /// Whether a choice's claimed value matches `v`.
    fn matches(c: &Choice, v: &Val) -> bool {
        if let (Some([lo, hi]), Val::Number(x)) = (c.range, v) {
            return *x >= lo - 1e-9 && *x <= hi + 1e-9;
        }
        c.value
            .as_ref()
            .and_then(Val::from_json)
            .is_some_and(|cv| measure::compare(v, Op::Eq, &cv).unwrap_or(false))
    }

    /// The ids of the choices the engine finds right (exactly one when the scenario is sound),
    /// with every choice's consequence.
    fn judge_choices(
        &self,
        seed_offset: u64,
    ) -> Result<(Vec<String>, Vec<ChoiceOutcome>, String), LearnError> {
        let mut right = Vec::new();
        let mut outcomes = Vec::new();
        let answer_text;
        if self.choices_have_edits() && !self.doc.goal.is_empty() {
            for c in &self.doc.choices {
                let plan = apply_steps(&self.start, &c.edits).map_err(LearnError::Invalid)?;
                let goal = self.goal_on(&plan, seed_offset)?;
                let ok = goal.iter().all(|g| g.met);
                if ok {
                    right.push(c.id.clone());
                }
                let value = goal
                    .iter()
                    .map(|g| g.value.clone())
                    .collect::<Vec<_>>()
                    .join(", ");
                let consequence = goal
                    .iter()
                    .map(|g| format!("{}: {} — {}", g.text, g.value, g.detail))
                    .collect::<Vec<_>>()
                    .join("; ");
                outcomes.push(ChoiceOutcome {
                    id: c.id.clone(),
                    label: c.label.clone(),
                    chosen: false,
                    correct: ok,
                    value: Some(value),
                    consequence,
                    note: c.note.clone(),
                });
            }
            answer_text = right
                .iter()
                .filter_map(|id| self.doc.choices.iter().find(|c| &c.id == id))
                .map(|c| c.label.clone())
                .collect::<Vec<_>>()
                .join(" / ");
        } else if self.doc.question.is_some() {
            let value = self.question_value(seed_offset)?;
            let name = self.doc.question.as_deref().unwrap_or_default();
            let m = self.measure_def(name)?;
            let probe = Probe::new(&self.start, seed_offset);
            for c in &self.doc.choices {
                let ok = Self::matches(c, &value.value);
                if ok {
                    right.push(c.id.clone());
                }
                let claimed = match (&c.value, c.range) {
                    (Some(v), _) => Val::from_json(v),
                    (None, Some([lo, _])) => Some(Val::Number(lo)),
                    _ => None,
                };
                let consequence = match (ok, claimed) {
                    (true, _) => value.detail.clone(),
                    (false, Some(_)) if c.range.is_some() => format!(
                        "the engine computes {}, outside {}: {}",
                        value.text, c.label, value.detail
                    ),
                    (false, Some(v)) => probe.consequence(m, &v),
                    (false, None) => value.detail.clone(),
                };
                outcomes.push(ChoiceOutcome {
                    id: c.id.clone(),
                    label: c.label.clone(),
                    chosen: false,
                    correct: ok,
                    value: None,
                    consequence,
                    note: c.note.clone(),
                });
            }
            answer_text = value.text.clone();
        } else {
            // Classify without an engine check: the author's key.
            let key = self.doc.answer.clone().unwrap_or_default();
            for c in &self.doc.choices {
                outcomes.push(ChoiceOutcome {
                    id: c.id.clone(),
                    label: c.label.clone(),
                    chosen: false,
                    correct: c.id == key,
                    value: None,
                    consequence: c.note.clone().unwrap_or_default(),
                    note: None,
                });
            }
            right.push(key.clone());
            answer_text = self
                .doc
                .choices
                .iter()
                .find(|c| c.id == key)
                .map(|c| c.label.clone())
                .unwrap_or(key);
        }
        Ok((right, outcomes, answer_text))
    }

    /// The computed answer (for the snapshot of answers and for teachers).
    pub fn answer_key(&self) -> Result<AnswerKey, LearnError> {
        match self.doc.kind {
            Kind::Predict | Kind::Classify => {
                if self.doc.input == Input::Number {
                    let v = self.question_value(0)?;
                    return Ok(AnswerKey {
                        answer: v.text,
                        detail: v.detail,
                    });
                }
                let (right, outcomes, text) = self.judge_choices(0)?;
                let detail = outcomes
                    .iter()
                    .find(|o| o.correct)
                    .map(|o| o.consequence.clone())
                    .unwrap_or_default();
                Ok(AnswerKey {
                    answer: format!("{} ({text})", right.join(", ")),
                    detail,
                })
            }
            Kind::Reach | Kind::Fix => {
                let start = self.goal_on(&self.start, 0)?;
                let end =
                    apply_steps(&self.start, &self.doc.solution).map_err(LearnError::Invalid)?;
                let solved = self.goal_on(&end, 0)?;
                let show = |g: &[GoalCheck]| {
                    g.iter()
                        .map(|c| {
                            format!("{} → {}{}", c.text, c.value, if c.met { "" } else { " ✗" })
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                Ok(AnswerKey {
                    answer: "goal".into(),
                    detail: format!("start: {}; solution: {}", show(&start), show(&solved)),
                })
            }
        }
    }

    /// Grades an answer: right or wrong, the right answer, the explanation with the engine's
    /// numbers, and for choices what each one would have meant.
    pub fn grade(&self, answer: &Answer) -> Result<Grade, LearnError> {
        let misconceptions = self
            .doc
            .misconceptions
            .iter()
            .map(|m| MisconceptionView {
                claim: m.claim.clone(),
                truth: m.truth.clone(),
                pages: m.pages.iter().map(|p| pages::link(p)).collect(),
            })
            .collect();
        let mut grade = Grade {
            id: self.doc.id.clone(),
            variant: self.number,
            kind: self.doc.kind,
            correct: false,
            answer: String::new(),
            given: String::new(),
            explanation: String::new(),
            choices: Vec::new(),
            goal: Vec::new(),
            refused: Vec::new(),
            pages: self.doc.pages.iter().map(|p| pages::link(p)).collect(),
            misconceptions,
            simulated: self.simulated(),
        };
        let wrong_kind = |expected: &str| LearnError::WrongAnswerKind {
            expected: expected.to_string(),
            given: answer.kind().to_string(),
        };
        match self.doc.kind {
            Kind::Predict | Kind::Classify => {
                let start = self.measures_of(&self.start);
                grade.explanation = text::fill_lenient(
                    &self.doc.explanation,
                    &self.slots(Some(&start), Some(&start)),
                );
                if self.doc.input == Input::Number {
                    let Answer::Number(x) = answer else {
                        return Err(wrong_kind("a number"));
                    };
                    let v = self.question_value(0)?;
                    grade.correct = matches!(v.value, Val::Number(y) if (y - x).abs() < 1e-9);
                    grade.answer = v.text.clone();
                    grade.given = measure::number(*x);
                    grade.choices.push(ChoiceOutcome {
                        id: grade.given.clone(),
                        label: grade.given.clone(),
                        chosen: true,
                        correct: grade.correct,
                        value: Some(v.text.clone()),
                        consequence: if grade.correct {
                            v.detail.clone()
                        } else {
                            format!(
                                "the engine computes {}, not {}: {}",
                                v.text, grade.given, v.detail
                            )
                        },
                        note: None,
                    });
                    return Ok(grade);
                }
                let Answer::Choice(id) = answer else {
                    return Err(wrong_kind("a choice"));
                };
                let chosen = self.choice(id)?;
                let (right, mut outcomes, text) = self.judge_choices(0)?;
                if right.len() != 1 {
                    return Err(LearnError::Unanswerable(format!(
                        "{} choices match the engine's answer ({text}); `ecsplan learn check` reports it",
                        right.len()
                    )));
                }
                for o in &mut outcomes {
                    o.chosen = &o.id == id;
                }
                grade.correct = right[0] == *id;
                grade.answer = text;
                grade.given = chosen.label.clone();
                grade.choices = outcomes;
                for c in &mut grade.choices {
                    c.label = text::fill_lenient(&c.label, &self.slots(Some(&start), Some(&start)));
                    if let Some(n) = &c.note {
                        c.note = Some(text::fill_lenient(
                            n,
                            &self.slots(Some(&start), Some(&start)),
                        ));
                    }
                }
                Ok(grade)
            }
            Kind::Reach | Kind::Fix => {
                let plan = match answer {
                    Answer::Plan(p) => (**p).clone(),
                    Answer::Edits(steps) => {
                        let mut plan = self.start.clone();
                        for (i, s) in steps.iter().enumerate() {
                            match s.apply(&plan) {
                                Ok(p) => plan = p,
                                Err(f) => {
                                    grade.refused.extend(f.into_iter().map(|mut x| {
                                        x.message = format!(
                                            "edit {} ({}): {}",
                                            i + 1,
                                            s.describe(),
                                            x.message
                                        );
                                        x
                                    }));
                                }
                            }
                        }
                        plan
                    }
                    _ => return Err(wrong_kind("edits or a plan")),
                };
                grade.given = match answer {
                    Answer::Edits(s) => s.iter().map(Step::describe).collect::<Vec<_>>().join("; "),
                    _ => "a plan".into(),
                };
                grade.refused.extend(self.permits(&plan));
                grade.goal = self.goal_on(&plan, 0)?;
                grade.correct = grade.refused.is_empty() && grade.goal.iter().all(|g| g.met);
                grade.answer = self
                    .doc
                    .goal
                    .iter()
                    .map(|c| self.goal_text(c))
                    .collect::<Vec<_>>()
                    .join(" and ");
                let start = self.measures_of(&self.start);
                let now = self.measures_of(&plan);
                grade.explanation = text::fill_lenient(
                    &self.doc.explanation,
                    &self.slots(Some(&now), Some(&start)),
                );
                Ok(grade)
            }
        }
    }
}

/// Applies steps in order; the first refused step's findings, with its number.
pub fn apply_steps(plan: &Plan, steps: &[Step]) -> Result<Plan, Vec<Finding>> {
    let mut p = plan.clone();
    for (i, s) in steps.iter().enumerate() {
        p = s.apply(&p).map_err(|f| {
            f.into_iter()
                .map(|mut x| {
                    x.message = format!("step {} ({}): {}", i + 1, s.describe(), x.message);
                    x
                })
                .collect::<Vec<_>>()
        })?;
    }
    Ok(p)
}

/// An entry of the scenario index (`public/learn/index.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexEntry {
    /// The scenario's id.
    pub id: String,
    /// Relative to the index (`scenarios/web-5-lands.json`).
    pub file: String,
    /// The scenario's title.
    pub title: String,
    /// What the learner does.
    pub kind: Kind,
    /// Topic ids it is tagged with.
    pub topics: Vec<String>,
    /// False when one of its topics is not simulated (the page marks it).
    pub simulated: bool,
}

/// The scenario index (`public/learn/index.json`): which scenarios exist, read before any is fetched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Index {
    /// The index's format version.
    pub schema_version: u32,
    /// Every scenario, sorted by id.
    pub scenarios: Vec<IndexEntry>,
}

/// Reads the scenario index; problems have their paths and line:column.
pub fn parse_index(text: &str) -> Result<Index, Vec<Finding>> {
    let (value, _) = shapes::parse_checked(text, "learn:Index")?;
    crate::typed::typed(&value, &JsonPath::root()).map_err(|f| shapes::located(text, vec![*f]))
}

/// Reads the topic list.
pub fn parse_topics(text: &str) -> Result<Topics, Vec<Finding>> {
    topics::parse(text)
}
