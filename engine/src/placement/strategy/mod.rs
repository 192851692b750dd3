//! Placement strategies as ranking rules (`task-placement-strategies.md`), one file each:
//! [`binpack`], [`spread`], [`random`], with its formula, its scale-in reading and how an
//! explanation words its value.
//!
//! A chain of up to five strategies ranks instances lexicographically: each rule gives every
//! candidate a number (lower is better) and the next rule only breaks the previous one's ties.
//! AWS does not publish its algorithm; this lexicographic reading is the one its examples
//! describe ("spread across zones, then binpack within a zone", `task-placement-strategies.md`
//! "Example strategies"). Ties left after the chain are broken by a seeded draw
//! ([`random::tie_break`]); neither that draw nor `random`'s is specified by AWS, and the seed
//! makes them repeatable.
//!
//! The key of an instance is `[value under rule 1, …, value under rule k, tie-break]` ([`key`]);
//! the index in [`select`](super::select) keeps the same numbers, updated as tasks land.

pub mod binpack;
pub mod random;
pub mod spread;

use super::demand::Demand;
use super::pipeline::Context;
use super::{InstanceIx, SpecIx, TaskIx};
use crate::cluster::Node;
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

/// An instance's rank: its value under each rule of the chain, then the tie-break (the rest
/// 0). Keys compare lexicographically; the lowest is placed first.
pub type Key = [i64; KEY_LEN];

/// What the chain needs that is the same for every instance, computed once per run and kept
/// up to date as tasks land (Kubernetes' PreScore): for each `spread` on an attribute, the
/// group's tasks per value of the attribute (indexed like the chain's rules; empty for other
/// rules).
#[derive(Debug, Clone)]
pub struct Prepared {
    spread: Vec<spread::Counts>,
}

/// [`Prepared`] for a task of `spec`, on the cluster as `cx` sees it.
pub fn prepare(cx: &Context, spec: SpecIx) -> Prepared {
    let s = &cx.specs[spec];
    Prepared {
        spread: s
            .chain
            .rules
            .iter()
            .map(|r| match r {
                Rule::SpreadAttribute { attribute } => spread::counts(cx, s.group, attribute),
                _ => spread::Counts::default(),
            })
            .collect(),
    }
}

impl Prepared {
    /// A task of the spec landed on `node`: its attribute values count one more.
    pub fn landed(&mut self, rules: &[Rule], node: &Node) {
        for (j, r) in rules.iter().enumerate() {
            if let Rule::SpreadAttribute { attribute } = r {
                spread::landed(&mut self.spread[j], node, attribute);
            }
        }
    }
}

/// The instance's key for a task of `spec`: every rule's value, then the tie-break.
pub fn key(cx: &Context, spec: SpecIx, node: InstanceIx, prepared: &Prepared) -> Key {
    let mut k = local_key(cx, spec, node);
    let n = &cx.cluster.nodes[node];
    for (j, r) in cx.specs[spec].chain.rules.iter().enumerate() {
        if let Rule::SpreadAttribute { attribute } = r {
            k[j] = spread::attribute_value(&prepared.spread[j], n, attribute);
        }
    }
    k
}

/// The key with only the instance-local rules (those a task landing elsewhere cannot change)
/// and the tie-break filled in; attribute spreads are left at 0 for the caller (the index
/// keeps their counts per bucket).
pub fn local_key(cx: &Context, spec: SpecIx, node: InstanceIx) -> Key {
    let count = cx.state.usage[node].group_count(cx.specs[spec].group);
    local_key_counted(cx, spec, node, count)
}

/// [`local_key`] with `count`, the spec's group's tasks on the instance, given by the caller
/// (the index's build reads every instance's count at once).
#[inline]
pub fn local_key_counted(cx: &Context, spec: SpecIx, node: InstanceIx, count: u32) -> Key {
    let s = &cx.specs[spec];
    let mut k = [0i64; KEY_LEN];
    for (j, r) in s.chain.rules.iter().enumerate() {
        k[j] = local_value(cx, r, s.group, node, count);
    }
    k[s.chain.rules.len()] = random::tie_break(cx.seed, node, s.group, count);
    k
}

/// Rule `r`'s place in [`local_key_counted`] (0 for an attribute spread: the index keeps it
/// per bucket).
#[inline(always)]
fn local_value(cx: &Context, r: &Rule, group: u32, node: InstanceIx, count: u32) -> i64 {
    let (n, used) = (&cx.cluster.nodes[node], &cx.state.usage[node]);
    match r {
        Rule::BinpackCpu => binpack::value(n, used, binpack::Resource::Cpu),
        Rule::BinpackMemory => binpack::value(n, used, binpack::Resource::Memory),
        // `spread::instance_value`, the group's tasks here: `count`, looked up once.
        Rule::SpreadInstance => i64::from(count),
        Rule::Random => random::value(cx.seed, node, group, count),
        Rule::SpreadAttribute { .. } => 0,
    }
}

/// Places `from..from + W` of [`local_key_counted`] (0 past the tie-break), computed without
/// the whole key: the index's build ranks each of thousands of candidates by the two places
/// its chain's one instance-local rule and the tie-break fill (`select`'s packed keys); the
/// whole key's six places, most of them 0, then packed, were 15 % of a placement.
#[inline(always)]
pub fn local_places<const W: usize>(
    cx: &Context,
    spec: SpecIx,
    node: InstanceIx,
    count: u32,
    from: usize,
) -> [i64; W] {
    let s = &cx.specs[spec];
    let rules = &s.chain.rules;
    let mut out = [0i64; W];
    for (i, place) in out.iter_mut().enumerate() {
        let j = from + i;
        *place = match rules.get(j) {
            Some(r) => local_value(cx, r, s.group, node, count),
            None if j == rules.len() => random::tie_break(cx.seed, node, s.group, count),
            None => break,
        };
    }
    out
}

/// Where the chain's first instance-local rule is, when it is a binpack (and on what): the
/// place `bound_key` bounds the key at.
pub fn binpack_first(rules: &[Rule]) -> Option<(usize, binpack::Resource)> {
    let j = rules.iter().position(Rule::is_local)?;
    match rules[j] {
        Rule::BinpackCpu => Some((j, binpack::Resource::Cpu)),
        Rule::BinpackMemory => Some((j, binpack::Resource::Memory)),
        _ => None,
    }
}

/// A lower bound of [`local_key`] (never above it, so a heap ordered by bounds can settle
/// exact keys only for the instances that reach its top), and whether it is the key itself.
/// When the chain's first instance-local rule is a binpack ([`binpack_first`]), the bound is
/// its value (free resource: arithmetic) with every later place `i64::MIN`, below any value a
/// rule gives; the draws and the group's count are left for the few instances that reach the
/// top. Other chains start with a value that needs them anyway (the group's count, a draw):
/// the bound is the local key. The index's build computes the same numbers without a whole
/// key per instance (`select::Index::build`: the binpack value, or [`local_key_counted`]);
/// this is the statement of the bound its tests check.
#[cfg(test)]
pub fn bound_key(cx: &Context, spec: SpecIx, node: InstanceIx) -> (Key, bool) {
    let Some((j, resource)) = binpack_first(&cx.specs[spec].chain.rules) else {
        return (local_key(cx, spec, node), true);
    };
    let mut k = [i64::MIN; KEY_LEN];
    k[..j].fill(0);
    k[j] = binpack::value(&cx.cluster.nodes[node], &cx.state.usage[node], resource);
    (k, false)
}

/// A key for scale-in: one more place than [`Key`] (the newest-first tie-break).
pub type StopKey = [i64; KEY_LEN + 1];

/// The key of running task `task` (of `spec`'s group, needing `need`) on `node` when the
/// service scales in: each rule read in reverse (`task-placement-strategies.md`), lowest
/// stopped first; then the newest task first (AWS: random within a zone, the planner's
/// choice, documented in the UI).
pub fn stop_key(
    cx: &Context,
    spec: SpecIx,
    node: InstanceIx,
    task: TaskIx,
    need: &Demand,
    prepared: &Prepared,
) -> StopKey {
    let mut k = stop_local_key(cx, spec, node, task, need);
    let n = &cx.cluster.nodes[node];
    for (j, r) in cx.specs[spec].chain.rules.iter().enumerate() {
        if let Rule::SpreadAttribute { attribute } = r {
            k[j] = spread::stop_attribute_value(&prepared.spread[j], n, attribute);
        }
    }
    k
}

/// [`stop_key`] with the attribute spreads left at 0, which needs no [`Prepared`] counts:
/// a caller that keeps those counts itself ([`crate::placement::scale_in::StopQueue`]) fills
/// them in.
pub fn stop_local_key(
    cx: &Context,
    spec: SpecIx,
    node: InstanceIx,
    task: TaskIx,
    need: &Demand,
) -> StopKey {
    let s = &cx.specs[spec];
    let n = &cx.cluster.nodes[node];
    let used = &cx.state.usage[node];
    let mut k = [0i64; KEY_LEN + 1];
    for (j, r) in s.chain.rules.iter().enumerate() {
        k[j] = match r {
            Rule::BinpackCpu => binpack::stop_value(n, used, need, binpack::Resource::Cpu),
            Rule::BinpackMemory => binpack::stop_value(n, used, need, binpack::Resource::Memory),
            Rule::SpreadInstance => spread::stop_instance_value(used, s.group),
            Rule::SpreadAttribute { .. } => 0,
            Rule::Random => random::stop_value(cx.seed, node, s.group, task.0),
        };
    }
    k[s.chain.rules.len()] = -i64::from(task.0);
    k
}

/// How an explanation words an instance's value under `rule` (the group is named by
/// `group`).
pub fn describe(rule: &Rule, value: i64, node: &Node, group: &str) -> String {
    match rule {
        Rule::BinpackCpu => binpack::describe(value, binpack::Resource::Cpu),
        Rule::BinpackMemory => binpack::describe(value, binpack::Resource::Memory),
        Rule::SpreadInstance => spread::describe_instance(value, group),
        Rule::SpreadAttribute { attribute } => {
            spread::describe_attribute(value, group, attribute, node)
        }
        Rule::Random => random::describe(value),
    }
}
