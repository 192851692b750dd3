//! Placement strategies as ranking rules (`task-placement-strategies.md`).
//!
//! A chain of up to five strategies ranks instances lexicographically: each rule gives every
//! candidate a number (lower is better) and the next rule only breaks the previous one's ties.
//! AWS does not publish its algorithm; this lexicographic reading is the one its examples
//! describe ("spread across zones, then binpack within a zone").
//!
//! - `binpack` on cpu or memory: the free amount of that resource before placing (the least
//!   remaining wins).
//! - `spread` on `instanceId`/`host`: the group's tasks on the instance.
//! - `spread` on an attribute: the group's tasks on all instances with the same value of the
//!   attribute (instances without it share one "no value" bucket).
//! - `random`: a seeded draw per instance, redrawn each time the instance receives a task.
//!
//! Ties left after the chain are broken by another seeded draw of the same kind. Neither draw
//! is specified by AWS; the seed makes them repeatable.

use crate::plan::{PlacementStrategy, PlacementStrategyType};
use serde::Serialize;
use std::fmt;

/// Most strategies a service or RunTask may carry (CreateService/RunTask API).
pub const MAX_STRATEGIES: usize = 5;

/// Key width: the rules plus the final tie-break.
pub const KEY_LEN: usize = MAX_STRATEGIES + 1;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Rule {
    BinpackCpu,
    BinpackMemory,
    SpreadInstance,
    SpreadAttribute { attribute: String },
    Random,
}

impl Rule {
    /// Instance-local rules change only for the instance that receives a task.
    pub fn is_local(&self) -> bool {
        !matches!(self, Rule::SpreadAttribute { .. })
    }

    /// The rule from an AWS PlacementStrategy; unknown fields fall back to what AWS would
    /// reject, reported by validation, so here they are ignored.
    pub fn from_strategy(s: &PlacementStrategy) -> Option<Rule> {
        let field = s.field.as_deref().unwrap_or("");
        match s.kind {
            PlacementStrategyType::Random => Some(Rule::Random),
            PlacementStrategyType::Binpack => match field.to_ascii_lowercase().as_str() {
                "cpu" => Some(Rule::BinpackCpu),
                "memory" => Some(Rule::BinpackMemory),
                _ => None,
            },
            PlacementStrategyType::Spread => match field {
                "instanceId" | "host" => Some(Rule::SpreadInstance),
                f => f
                    .strip_prefix("attribute:")
                    .filter(|a| !a.is_empty())
                    .map(|a| Rule::SpreadAttribute {
                        attribute: a.to_string(),
                    }),
            },
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::BinpackCpu => f.write_str("binpack(cpu)"),
            Rule::BinpackMemory => f.write_str("binpack(memory)"),
            Rule::SpreadInstance => f.write_str("spread(instanceId)"),
            Rule::SpreadAttribute { attribute } => write!(f, "spread(attribute:{attribute})"),
            Rule::Random => f.write_str("random"),
        }
    }
}

/// A strategy chain and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Chain {
    pub rules: Vec<Rule>,
    /// Why this chain: "service strategy", "service default", "RunTask default", "Fargate".
    pub origin: ChainOrigin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ChainOrigin {
    /// Given in the service or RunTask request.
    Given,
    /// A service without strategy: spread across Availability Zones, then across instances
    /// (`ecs_services.md`, "Service scheduler concepts").
    ServiceDefault,
    /// RunTask without strategy: random (`scheduling_tasks.md`).
    RunTaskDefault,
}

impl Chain {
    pub fn service_default() -> Chain {
        Chain {
            rules: vec![
                Rule::SpreadAttribute {
                    attribute: "ecs.availability-zone".into(),
                },
                Rule::SpreadInstance,
            ],
            origin: ChainOrigin::ServiceDefault,
        }
    }

    pub fn run_task_default() -> Chain {
        Chain {
            rules: vec![Rule::Random],
            origin: ChainOrigin::RunTaskDefault,
        }
    }

    /// The chain for a request's strategies (at most five are used).
    pub fn given(strategies: &[PlacementStrategy]) -> Chain {
        Chain {
            rules: strategies
                .iter()
                .filter_map(Rule::from_strategy)
                .take(MAX_STRATEGIES)
                .collect(),
            origin: ChainOrigin::Given,
        }
    }

    /// Whether the fast index can serve this chain: attribute spreads first, then only
    /// instance-local rules.
    pub fn indexable(&self) -> bool {
        let first_local = self
            .rules
            .iter()
            .position(Rule::is_local)
            .unwrap_or(self.rules.len());
        self.rules[first_local..].iter().all(Rule::is_local)
    }

    pub fn describe(&self) -> String {
        let rules: Vec<String> = self.rules.iter().map(Rule::to_string).collect();
        let s = if rules.is_empty() {
            "none".to_string()
        } else {
            rules.join(" → ")
        };
        match self.origin {
            ChainOrigin::Given => s,
            ChainOrigin::ServiceDefault => format!("{s} (service default)"),
            ChainOrigin::RunTaskDefault => format!("{s} (RunTask default)"),
        }
    }
}

/// A 64-bit mix (SplitMix64's finaliser): fast, good spread, the same on every platform.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seeded draw for (instance, group, tasks of the group already there); `salt` separates
/// the `random` rule from the final tie-break.
pub fn draw(seed: u64, salt: u64, node: usize, group: u32, count: u32) -> i64 {
    let h =
        mix(seed ^ mix(salt ^ mix(((node as u64) << 32) ^ ((group as u64) << 8) ^ count as u64)));
    (h >> 2) as i64
}

pub const SALT_RANDOM: u64 = 0x5241_4e44;
pub const SALT_TIE: u64 = 0x5449_4553;
