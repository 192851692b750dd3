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
    pub schema_version: u32,
    pub id: String,
    pub title: String,
    pub topics: Vec<String>,
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    pub prompt: String,
    /// What the engine measures, by name (the question, the goal and the placeholders use
    /// these names).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub measures: BTreeMap<String, Measure>,
    /// Predict: the measure whose value is the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    #[serde(default)]
    pub input: Input,
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
    /// Shown after an answer; `{placeholders}` are filled from the engine's numbers.
    pub explanation: String,
    /// AWS pages cited: stored guide pages (`task-iam-roles.md#anchor`) or docs URLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub misconceptions: Vec<Misconception>,
}

/// A parameter of the variants: its name and the values it takes (the first in variant 0).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    pub name: String,
    pub values: Vec<Value>,
}

/// One choice: a label, and either the value it claims (compared with the question's value,
/// or a range for it) or edits whose outcome the goal judges. Never a "correct" flag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    pub id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// Inclusive bounds for a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<[f64; 2]>,
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
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
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
    pub measure: String,
    pub op: Op,
    pub value: Operand,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Operand {
    Measure { measure: String },
    Start { start: String },
    Literal(Value),
}

/// A control the learner may use in a reach or fix scenario, with its limits. `command` is an
/// edit's name (`addInstances`, `setDesiredCount`, `updateService`, ...) or `edit` for the
/// plan paths listed in `paths`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Control {
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub availability_zones: Vec<String>,
    /// addInstances: at most this many container instances in the plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_instances: Option<u32>,
    /// setDesiredCount: the range allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
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
    pub claim: String,
    pub truth: String,
    pub pages: Vec<String>,
    /// Where the claim is in the study notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seeds: Vec<SeedRef>,
}

/// Lines of a study note (`../shared/seeds/FILE`), 1-based and inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedRef {
    pub file: String,
    pub lines: [u32; 2],
}
