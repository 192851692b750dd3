//! Practice exams: a set of scenarios drawn across topics from a seed, and the score per topic.
//!
//! The draw is deterministic: the same index, size and seed give the same questions in the
//! same order with the same variants. Topics take turns (in an order shuffled by the seed), each
//! giving one scenario not drawn yet (also chosen by the seed), until the set is full, so a set
//! of 10 spans 10 topics when there are that many. Each question gets a variant drawn from the
//! seed (`Scenario::variant` cycles, so any number is valid).

use super::{Index, IndexEntry};
use crate::seeded::mix;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The default practice exam: 10 questions in 15 minutes.
pub const QUESTIONS: usize = 10;
/// The default practice exam's time limit in seconds.
pub const SECONDS: u32 = 15 * 60;

/// One question of an exam: a scenario and its variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    /// The scenario's id.
    pub id: String,
    /// The variant asked.
    pub variant: u32,
}

/// Draws `size` questions (fewer when the index has fewer scenarios) from `seed`.
pub fn draw(index: &Index, size: usize, seed: u64) -> Vec<Question> {
    // Topics in first-seen order, each with its scenarios in index order.
    let mut topics: Vec<(&str, Vec<&IndexEntry>)> = Vec::new();
    for e in &index.scenarios {
        for t in &e.topics {
            match topics.iter_mut().find(|(id, _)| id == t) {
                Some((_, list)) => list.push(e),
                None => topics.push((t, vec![e])),
            }
        }
    }
    let mut rng = seed;
    let mut next = move || {
        rng = mix(rng);
        rng
    };
    shuffle(&mut topics, &mut next);
    let mut out: Vec<Question> = Vec::new();
    let size = size.min(index.scenarios.len());
    while out.len() < size {
        let before = out.len();
        for (_, list) in &topics {
            if out.len() == size {
                break;
            }
            let fresh: Vec<&&IndexEntry> = list
                .iter()
                .filter(|e| !out.iter().any(|q| q.id == e.id))
                .collect();
            if fresh.is_empty() {
                continue;
            }
            let pick = fresh[(next() % fresh.len() as u64) as usize];
            out.push(Question {
                id: pick.id.clone(),
                variant: (next() % 16) as u32,
            });
        }
        if out.len() == before {
            break;
        }
    }
    out
}

fn shuffle<T>(v: &mut [T], next: &mut impl FnMut() -> u64) {
    for i in (1..v.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
}

/// A topic's part of a score.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Questions of the topic answered right.
    pub right: u32,
    /// Questions of the topic.
    pub total: u32,
}

/// An exam's score: in all, and per topic (a question counts for every topic its scenario is
/// tagged with; an unanswered question counts as wrong).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Questions answered right.
    pub right: u32,
    /// Questions asked.
    pub total: u32,
    /// Per topic id.
    pub topics: BTreeMap<String, Tally>,
}

/// Scores `questions` given whether each was answered right (`None`: not answered).
pub fn score(index: &Index, questions: &[Question], results: &[Option<bool>]) -> Score {
    let mut s = Score::default();
    for (i, q) in questions.iter().enumerate() {
        let right = results.get(i).copied().flatten() == Some(true);
        s.total += 1;
        s.right += right as u32;
        let topics = index
            .scenarios
            .iter()
            .find(|e| e.id == q.id)
            .map(|e| e.topics.as_slice())
            .unwrap_or_default();
        for t in topics {
            let tally = s.topics.entry(t.clone()).or_default();
            tally.total += 1;
            tally.right += right as u32;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::Kind;

    fn index(n: usize, topics: usize) -> Index {
        Index {
            schema_version: 1,
            scenarios: (0..n)
                .map(|i| IndexEntry {
                    id: format!("s{i}"),
                    file: format!("scenarios/s{i}.json"),
                    title: format!("S{i}"),
                    kind: Kind::Predict,
                    topics: vec![format!("t{}", i % topics)],
                    simulated: true,
                })
                .collect(),
        }
    }

    #[test]
    fn a_seed_gives_the_same_exam_across_topics() {
        let idx = index(40, 12);
        let a = draw(&idx, 10, 42);
        assert_eq!(a, draw(&idx, 10, 42), "deterministic");
        assert_ne!(a, draw(&idx, 10, 43), "another seed, another set");
        assert_eq!(a.len(), 10);
        let mut ids: Vec<&str> = a.iter().map(|q| q.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 10, "no scenario twice");
        let mut topics: Vec<String> = a
            .iter()
            .map(|q| idx.scenarios.iter().find(|e| e.id == q.id).unwrap().topics[0].clone())
            .collect();
        topics.sort();
        topics.dedup();
        assert_eq!(topics.len(), 10, "ten topics for ten questions");
    }

    #[test]
    fn small_indexes_give_every_scenario_once() {
        let idx = index(3, 2);
        let q = draw(&idx, 10, 1);
        assert_eq!(q.len(), 3);
        assert!(draw(&index(0, 1), 10, 1).is_empty());
    }

    #[test]
    fn scores_per_topic() {
        let idx = index(4, 2);
        let qs = vec![
            Question {
                id: "s0".into(),
                variant: 0,
            },
            Question {
                id: "s1".into(),
                variant: 0,
            },
            Question {
                id: "s2".into(),
                variant: 0,
            },
        ];
        let s = score(&idx, &qs, &[Some(true), Some(false)]);
        assert_eq!((s.right, s.total), (1, 3));
        assert_eq!(s.topics["t0"], Tally { right: 1, total: 2 });
        assert_eq!(s.topics["t1"], Tally { right: 0, total: 1 });
    }
}
