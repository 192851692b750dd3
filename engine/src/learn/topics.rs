//! The topic list (`public/learn/topics.json`): every topic of the study notes, where in the
//! notes it comes from, and the AWS pages that document it. Scenarios are tagged with these ids;
//! a test fails when a topic has no scenario.

use super::scenario::SeedRef;
use super::shapes;
use crate::findings::{Finding, JsonPath};
use serde::{Deserialize, Serialize};

/// The topic list (`public/learn/topics.json`): what the scenarios are tagged with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Topics {
    /// The topic list's format version.
    pub schema_version: u32,
    /// Every topic, in the order the page lists them.
    pub topics: Vec<Topic>,
}

/// One topic of the ECS exam guide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Topic {
    /// Stable id scenarios are tagged with (`placement-strategies`).
    pub id: String,
    /// The topic's heading.
    pub title: String,
    /// One or two sentences: what the topic covers, as AWS documents it.
    pub summary: String,
    /// Whether the engine simulates the topic (false: classify scenarios only).
    #[serde(default = "yes")]
    pub simulated: bool,
    /// Where in the study notes it comes from.
    pub seeds: Vec<SeedRef>,
    /// AWS pages that document it.
    pub pages: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Topics {
    /// The topic with this id.
    pub fn get(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }
}

/// Reads a topic list; every problem has its path and line:column.
pub fn parse(text: &str) -> Result<Topics, Vec<Finding>> {
    let (value, mut findings) = shapes::parse_checked(text, "learn:Topics")?;
    let topics: Topics = match crate::typed::typed(&value, &JsonPath::root()) {
        Ok(t) => t,
        Err(f) => {
            findings.push(*f);
            return Err(shapes::located(text, findings));
        }
    };
    let base = JsonPath::root().key("topics");
    for (i, t) in topics.topics.iter().enumerate() {
        let at = base.index(i);
        if topics.topics[..i].iter().any(|o| o.id == t.id) {
            findings.push(Finding::error(
                "learn-topic",
                at.key("id"),
                format!("topic {} is listed twice", t.id),
            ));
        }
        if !is_id(&t.id) {
            findings.push(Finding::error(
                "learn-topic",
                at.key("id"),
                format!("topic id \"{}\": use lowercase letters, digits and -", t.id),
            ));
        }
        for (j, p) in t.pages.iter().enumerate() {
            if let Some(problem) = super::pages::problem(p) {
                findings.push(Finding::error(
                    "learn-page",
                    at.key("pages").index(j),
                    problem,
                ));
            }
        }
        for (j, s) in t.seeds.iter().enumerate() {
            if s.lines[0] > s.lines[1] {
                findings.push(Finding::error(
                    "learn-seed",
                    at.key("seeds").index(j).key("lines"),
                    format!("lines {}-{} run backwards", s.lines[0], s.lines[1]),
                ));
            }
        }
    }
    if findings.iter().any(Finding::is_error) {
        return Err(shapes::located(text, findings));
    }
    Ok(topics)
}

/// `kebab-case` ids: lowercase letters, digits and single dashes.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}
