//! The scenario document: one JSON file per scenario (`docs/learn.md` describes every member).
//!
//! These are the typed views of one **variant**: the file with its parameters substituted.
//! The file itself is kept as JSON ([`super::Scenario`]) because a member may hold a
//! `{"$param": NAME}` in place of a number or a string until a variant is chosen.

use super::measure::Measure;
use super::step::Step;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The scenario schema version this engine reads.
pub const SCENARIO_VERSION: u32 = 1;

/// What the learner does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    /// Choose (or type) what the engine will compute, then see it played out.
    Predict,
    /// Edit the plan with the allowed controls until the goal holds.
    Reach,
    /// Fix a broken task definition or service until the named findings are gone.
    Fix,
    /// A topic the engine does not simulate: the answer is keyed by the author, with the AWS
    /// page cited, and checked by an engine rule where one applies.
    Classify,
}

impl Kind {
    /// The kind's name as scenarios write it (`predict`, `reach`, `fix`, `classify`).
    pub fn label(self) -> &'static str {
        match self {
            Kind::Predict => "predict",
            Kind::Reach => "reach",
            Kind::Fix => "fix",
            Kind::Classify => "classify",
        }
    }
}

/// How a predict scenario is answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Input {
    /// Pick one of `choices` (the default).
    #[default]
    Choice,
    /// Type a number, compared with the question's value.
    Number,
}

/// One scenario, for one variant (parameters substituted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Doc {
    /// [`SCENARIO_VERSION`] the scenario is written for.
    pub schema_version: u32,
    /// Unique id, also the file name (`web-5-lands`).
    pub id: String,
    /// A short title for lists.
    pub title: String,
    /// Topic ids from `topics.json`.
    pub topics: Vec<String>,
    /// What the learner does.
    pub kind: Kind,
    /// The starting plan, inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<Value>,
    /// Or a plan file, relative to the scenario file (`../../plans/two-az-web.json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_file: Option<String>,
    /// Edits applied to the plan before the learner sees it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub setup: Vec<Step>,
    /// Parameters whose values make the variants.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    /// The question or task, in words; `{placeholders}` are filled from the parameters.
    pub prompt: String,
    /// What the engine measures, by name (the question, the goal and the placeholders use
    /// these names).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub measures: BTreeMap<String, Measure>,
    /// Predict: the measure whose value is the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// Predict: how the learner answers.
    #[serde(default)]
    pub input: Input,
    /// Predict and classify: what the learner chooses from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    /// Classify: the author's key (a choice id). Never given for predict: the engine computes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// Reach and fix: every condition must hold. Predict and classify with edit choices: the
    /// choice whose edits make every condition hold is the right one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goal: Vec<Condition>,
    /// Reach and fix: what the learner may change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,
    /// Reach and fix: edits that reach the goal (checked).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub solution: Vec<Step>,
    /// Hints, shown one at a time on request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
    /// Shown after an answer; `{placeholders}` are filled from the engine's numbers.
    pub explanation: String,
    /// AWS pages cited: stored guide pages (`task-iam-roles.md#anchor`) or docs URLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<String>,
    /// Wrong claims of the study notes this scenario corrects.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub misconceptions: Vec<Misconception>,
}

/// A parameter of the variants: its name and the values it takes (the first in variant 0).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    /// The name `{name}` placeholders use.
    pub name: String,
    /// Its values, one per variant (combined with the other parameters' values).
    pub values: Vec<Value>,
}

/// One choice: a label, and either the value it claims (compared with the question's value,
/// or a range for it) or edits whose outcome the goal judges. Never a "correct" flag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    /// Unique within the scenario; what an answer gives.
    pub id: String,
    /// What the learner reads.
    pub label: String,
    /// The value it claims the question's measure has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// Inclusive bounds for a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<[f64; 2]>,
    /// Edits whose outcome the goal judges (instead of a value).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<Step>,
    /// A note shown with this choice after answering (why it is or is not so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Op {
    /// Equal (`=`).
    Eq,
    /// Not equal (`≠`).
    Ne,
    /// Less than (`<`).
    Lt,
    /// At most (`≤`).
    Le,
    /// More than (`>`).
    Gt,
    /// At least (`≥`).
    Ge,
}

impl Op {
    /// The comparison as a symbol, for the goal in words.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "≠",
            Op::Lt => "<",
            Op::Le => "≤",
            Op::Gt => ">",
            Op::Ge => "≥",
        }
    }
}

/// `measure op value`: a measure compared with a literal, another measure on the same plan
/// (`{"measure": NAME}`), or a measure of the starting plan (`{"start": NAME}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    /// The measure's name in the scenario's `measures`.
    pub measure: String,
    /// The comparison.
    pub op: Op,
    /// What it is compared with.
    pub value: Operand,
}

/// What a condition compares a measure with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Operand {
    /// Another measure on the same plan, by name.
    Measure {
        /// The measure's name.
        measure: String,
    },
    /// A measure of the starting plan (before the learner's edits), by name.
    Start {
        /// The measure's name.
        start: String,
    },
    /// A number, text or boolean.
    Literal(Value),
}

/// A control the learner may use in a reach or fix scenario, with its limits. `command` is an
/// edit's name (`addInstances`, `setDesiredCount`, `updateService`, ...) or `edit` for the
/// plan paths listed in `paths`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Control {
    /// An edit's command name, or `edit` for `paths`.
    pub command: String,
    /// The service it applies to (all when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The task definition family it applies to (all when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// addInstances: the types and zones the learner may add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instance_types: Vec<String>,
    /// addInstances: the zones the learner may add in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub availability_zones: Vec<String>,
    /// addInstances: at most this many container instances in the plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_instances: Option<u32>,
    /// setDesiredCount: the range allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    /// setDesiredCount: the highest count allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    /// updateService / updateTaskDefinition: the members that may change
    /// (`deploymentConfiguration.maximumPercent`, `containerDefinitions`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// edit: plan paths that may change (`cluster.containerInstances[*].eniTrunking`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
}

/// A wrong claim of the study notes, and what AWS documents instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Misconception {
    /// What the study notes say.
    pub claim: String,
    /// What AWS documents instead.
    pub truth: String,
    /// AWS pages that say so.
    pub pages: Vec<String>,
    /// Where the claim is in the study notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seeds: Vec<SeedRef>,
}

/// Lines of a study note (`../shared/seeds/FILE`), 1-based and inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedRef {
    /// The study note's file name.
    pub file: String,
    /// First and last line.
    pub lines: [u32; 2],
}
