//! What stays true of each instance while tasks land, until an instance changes: the verdicts
//! of static `memberOf` expressions, which instances are eligible for each launch target
//! (stage 1 reads only the instance), and the values of the attributes chains spread on, as
//! small ids. The index of [`select`](super::select) reads them instead of asking every
//! instance again for every spec: on a cluster with two capacity providers half the instances
//! are another provider's, and a spec's index visits only its own.
//!
//! An instance that changes ([`Placement::node_changed`](super::Placement::node_changed): its
//! status, its agent) is noted and its entries are computed again before the cache is next
//! read: a what-if that loses a zone changes a third of the instances, and evaluating every
//! expression on every instance again cost as much as the first time. Instances added since
//! the cache was filled ([`Placement::add_node`](super::Placement::add_node)) are evaluated
//! when next asked. An expression that reads only attributes is evaluated once per distinct
//! combination of their values (a handful of instance types and zones), not once per
//! instance. The cache is an optimisation: every verdict here is the one
//! [`pipeline::passes`](super::pipeline) would give (tested in `pipeline_tests.rs`, here, and
//! by the index-versus-scan property tests).

use super::filter::eligibility::{self, Ask};
use super::filter::member_of::{self, Facts};
use super::state::{Groups, State};
use super::{InstanceIx, SpecIx};
use crate::cluster::ClusterModel;
use crate::cql::Expr;
use std::collections::HashMap;

/// See the module's documentation.
#[derive(Debug, Clone, Default)]
pub struct StaticVerdicts {
    /// Verdicts of `memberOf` expressions that read neither `runningTasksCount` nor
    /// `task:group`, per instance: one slot per expression text (`slot_of`), and per spec and
    /// constraint its slot (`spec_slots[spec][constraint]`), so that a check finds a verdict
    /// without hashing the expression's text per instance.
    member_of: Vec<Slot>,
    slot_of: HashMap<String, usize>,
    spec_slots: Vec<Vec<Option<usize>>>,
    /// Per launch target (a capacity provider's name, or `None`: the EC2 launch type, any
    /// instance), the instances eligible to start a task.
    eligible: Vec<Eligible>,
    /// Per attribute, each instance's value as an id numbered as first seen.
    attributes: Vec<AttributeIds>,
    /// Instances changed since the entries were computed: computed again by
    /// [`StaticVerdicts::refresh`].
    changed: Vec<InstanceIx>,
}

/// How many combinations of attribute values [`Slot::evaluate`] remembers in its short list.
const RECENT_VALUES: usize = 8;

/// One static expression and its verdict on each instance.
#[derive(Debug, Clone)]
struct Slot {
    expr: Expr,
    /// The attributes it reads when it reads nothing else ([`Expr::attributes_read`]).
    reads: Option<Vec<String>>,
    verdicts: Vec<bool>,
}

impl Slot {
    /// The verdicts on `nodes` (each below `verdicts.len()`, or the next one), written at
    /// their places: one evaluation per distinct combination of the attributes it reads.
    fn evaluate(
        &mut self,
        nodes: impl Iterator<Item = usize>,
        cluster: &ClusterModel,
        state: &State,
        groups: &Groups,
    ) {
        let mut seen: HashMap<Vec<Option<&str>>, bool> = HashMap::new();
        // The last few combinations found, looked at first: a cluster has a handful of
        // types and zones, and a short list costs no allocation and no hash per instance.
        let mut recent: Vec<(Vec<Option<&str>>, bool)> = Vec::new();
        let mut values: Vec<Option<&str>> = Vec::new();
        for i in nodes {
            let node = &cluster.nodes[i];
            let facts = Facts {
                node,
                usage: &state.usage[i],
                groups,
            };
            let verdict = match &self.reads {
                Some(names) => {
                    values.clear();
                    values.extend(names.iter().map(|a| node.attribute(a)));
                    match recent.iter().find(|(v, _)| *v == values) {
                        Some(&(_, verdict)) => verdict,
                        None => {
                            let verdict = *seen
                                .entry(values.clone())
                                .or_insert_with(|| member_of::holds(&self.expr, &facts));
                            if recent.len() == RECENT_VALUES {
                                recent.remove(0);
                            }
                            recent.push((values.clone(), verdict));
                            verdict
                        }
                    }
                }
                None => member_of::holds(&self.expr, &facts),
            };
            match self.verdicts.get_mut(i) {
                Some(v) => *v = verdict,
                None => self.verdicts.push(verdict),
            }
        }
    }
}
/// The instances a launch target may start tasks on ([`eligibility::allows`] with
/// [`Ask::Start`]).
#[derive(Debug, Clone)]
pub struct Eligible {
    provider: Option<String>,
    /// The eligible instances, ascending.
    pub nodes: Vec<InstanceIx>,
    /// Per instance: whether it is in `nodes`.
    pub is: Vec<bool>,
}

/// One attribute's values as ids: `of[node]`, numbered in instance order as first seen
/// (an instance without the attribute has a value too: none).
#[derive(Debug, Clone)]
pub struct AttributeIds {
    attribute: String,
    ids: HashMap<String, u32>,
    /// The id of "no such attribute", once an instance lacks it.
    missing: Option<u32>,
    pub of: Vec<u32>,
}

impl AttributeIds {
    /// How many distinct values.
    pub fn values(&self) -> usize {
        self.ids.len() + usize::from(self.missing.is_some())
    }

    /// The id of `value`, numbered next when first seen.
    fn id(&mut self, value: Option<&str>) -> u32 {
        let next = self.values() as u32;
        match value {
            None => *self.missing.get_or_insert(next),
            Some(v) => match self.ids.get(v) {
                Some(&id) => id,
                None => {
                    self.ids.insert(v.to_string(), next);
                    next
                }
            },
        }
    }
}

impl StaticVerdicts {
    /// Notes that `node` changed (its status or agent): its entries are computed again before
    /// the cache is next read.
    pub fn instance_changed(&mut self, node: InstanceIx) {
        self.changed.push(node);
    }

    /// Computes again the entries of the instances changed since the last call, for every
    /// expression, launch target and attribute the cache holds. Each `prepare_*` needs it
    /// done first ([`Placement::prepare_verdicts`](super::Placement::prepare_verdicts) does).
    pub fn refresh(&mut self, cluster: &ClusterModel, state: &State, groups: &Groups) {
        if self.changed.is_empty() {
            return;
        }
        let mut changed = std::mem::take(&mut self.changed);
        changed.sort_unstable();
        changed.dedup();
        for slot in &mut self.member_of {
            let known = slot.verdicts.len();
            let nodes = changed.iter().map(|n| n.at()).filter(|&i| i < known);
            slot.evaluate(nodes, cluster, state, groups);
        }
        for e in &mut self.eligible {
            let mut moved = false;
            let known = e.is.len();
            for &n in changed.iter().filter(|n| n.at() < known) {
                let yes = eligibility::allows(&cluster.nodes[n], e.provider.as_deref(), Ask::Start);
                moved |= e.is[n.at()] != yes;
                e.is[n.at()] = yes;
            }
            if moved {
                e.nodes = (0..e.is.len())
                    .filter(|&i| e.is[i])
                    .map(InstanceIx::new)
                    .collect();
            }
        }
        for a in &mut self.attributes {
            let known = a.of.len();
            for &n in changed.iter().filter(|n| n.at() < known) {
                let value = cluster.nodes[n].attribute(&a.attribute);
                let id = a.id(value);
                a.of[n.at()] = id;
            }
        }
    }

    /// The cached verdict of `spec`'s constraint number `constraint` (a static `memberOf`) on
    /// `node`, if filled.
    pub fn member_of(&self, spec: SpecIx, constraint: usize, node: InstanceIx) -> Option<bool> {
        self.member_of_verdicts(spec, constraint)?
            .get(node.at())
            .copied()
    }

    /// The cached verdicts of `spec`'s constraint number `constraint` on every instance filled
    /// (indexed by instance), if prepared.
    pub fn member_of_verdicts(&self, spec: SpecIx, constraint: usize) -> Option<&[bool]> {
        let slot = (*self.spec_slots.get(spec.at())?.get(constraint)?)?;
        Some(&self.member_of[slot].verdicts)
    }

    /// Fills the verdicts of `spec`'s constraint number `constraint`, the static expression
    /// `expr` (its text `source`), for instances not yet evaluated.
    #[allow(clippy::too_many_arguments)]
    pub fn prepare_member_of(
        &mut self,
        spec: SpecIx,
        constraint: usize,
        source: &str,
        expr: &Expr,
        cluster: &ClusterModel,
        state: &State,
        groups: &Groups,
    ) {
        debug_assert!(self.changed.is_empty(), "refresh first");
        let slot = match self.slot_of.get(source) {
            Some(&k) => k,
            None => {
                self.member_of.push(Slot {
                    expr: expr.clone(),
                    reads: expr
                        .attributes_read()
                        .map(|names| names.into_iter().map(str::to_string).collect()),
                    verdicts: Vec::new(),
                });
                self.slot_of
                    .insert(source.to_string(), self.member_of.len() - 1);
                self.member_of.len() - 1
            }
        };
        if self.spec_slots.len() <= spec.at() {
            self.spec_slots.resize(spec.at() + 1, Vec::new());
        }
        let slots = &mut self.spec_slots[spec.at()];
        if slots.len() <= constraint {
            slots.resize(constraint + 1, None);
        }
        slots[constraint] = Some(slot);
        let s = &mut self.member_of[slot];
        let nodes = s.verdicts.len()..cluster.nodes.len();
        s.evaluate(nodes, cluster, state, groups);
    }

    /// Fills the eligible instances of `provider` for instances not yet looked at.
    pub fn prepare_eligible(&mut self, provider: Option<&str>, cluster: &ClusterModel) {
        debug_assert!(self.changed.is_empty(), "refresh first");
        let k = match self
            .eligible
            .iter()
            .position(|e| e.provider.as_deref() == provider)
        {
            Some(k) => k,
            None => {
                self.eligible.push(Eligible {
                    provider: provider.map(str::to_string),
                    nodes: Vec::new(),
                    is: Vec::new(),
                });
                self.eligible.len() - 1
            }
        };
        let e = &mut self.eligible[k];
        for i in e.is.len()..cluster.nodes.len() {
            let yes = eligibility::allows(&cluster.nodes[i], provider, Ask::Start);
            e.is.push(yes);
            if yes {
                e.nodes.push(InstanceIx::new(i));
            }
        }
    }

    /// The eligible instances of `provider`, as last prepared.
    pub fn eligible(&self, provider: Option<&str>) -> Option<&Eligible> {
        self.eligible
            .iter()
            .find(|e| e.provider.as_deref() == provider)
    }

    /// Fills the value ids of `attribute` for instances not yet looked at.
    pub fn prepare_attribute(&mut self, attribute: &str, cluster: &ClusterModel) {
        debug_assert!(self.changed.is_empty(), "refresh first");
        let k = match self
            .attributes
            .iter()
            .position(|a| a.attribute == attribute)
        {
            Some(k) => k,
            None => {
                self.attributes.push(AttributeIds {
                    attribute: attribute.to_string(),
                    ids: HashMap::new(),
                    missing: None,
                    of: Vec::new(),
                });
                self.attributes.len() - 1
            }
        };
        let a = &mut self.attributes[k];
        // The last few values found, looked at before the hash map (as in `Slot::evaluate`).
        let mut recent: Vec<(Option<&str>, u32)> = Vec::new();
        for i in a.of.len()..cluster.nodes.len() {
            let value = cluster.nodes[i].attribute(attribute);
            let id = match recent.iter().find(|(v, _)| *v == value) {
                Some(&(_, id)) => id,
                None => {
                    let id = a.id(value);
                    if recent.len() == RECENT_VALUES {
                        recent.remove(0);
                    }
                    recent.push((value, id));
                    id
                }
            };
            a.of.push(id);
        }
    }

    /// The value ids of `attribute`, as last prepared.
    pub fn attribute(&self, attribute: &str) -> Option<&AttributeIds> {
        self.attributes.iter().find(|a| a.attribute == attribute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_value;
    use crate::placement::{place, PlaceOptions, Placement};
    use proptest::prelude::*;
    use testkit::plans;

    /// Every entry the cache holds (for every spec's constraints, every launch target, every
    /// attribute), on every instance, as this placement's cache gives it.
    fn entries(p: &Placement) -> Vec<String> {
        let v = &p.static_verdicts;
        let mut out = Vec::new();
        for spec in SpecIx::all(p.specs.len()) {
            for k in 0..p.specs[spec].constraints.len() {
                for node in p.cluster.instances() {
                    out.push(format!(
                        "{spec} {k} {node}: {:?}",
                        v.member_of(spec, k, node)
                    ));
                }
            }
            let provider = p.specs[spec].launch.provider();
            let e = v.eligible(provider).expect("prepared");
            out.push(format!("{provider:?}: {:?} {:?}", e.nodes, e.is));
            for r in &p.specs[spec].chain.rules {
                if let crate::placement::strategy::Rule::SpreadAttribute { attribute } = r {
                    let a = v.attribute(attribute).expect("prepared");
                    out.push(format!("{attribute}: {:?}", a.of));
                }
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Instances drained and retired after the cache was filled: the cache kept (their
        /// entries computed again, the others kept) holds what a cache filled afresh on the
        /// changed cluster holds. Fails if `refresh` skips the verdicts, the eligible lists
        /// or the attribute ids.
        #[test]
        fn the_refreshed_cache_is_the_fresh_one(
            plan in plans::plan(),
            seed in 0u64..1000,
            changes in prop::collection::vec((any::<prop::sample::Index>(), any::<bool>()), 1..5),
        ) {
            let plan = load_value(plan).plan.expect("generated plans load");
            let mut p = place(&plan, &PlaceOptions { seed });
            for spec in SpecIx::all(p.specs.len()) {
                p.prepare_verdicts(spec);
            }
            for (i, retire) in changes {
                if p.cluster.nodes.is_empty() {
                    break;
                }
                let node = InstanceIx::new(i.index(p.cluster.nodes.len()));
                if retire {
                    p.retire_node(node);
                } else {
                    p.drain_node(node);
                }
            }
            let mut fresh = p.clone();
            fresh.static_verdicts = StaticVerdicts::default();
            for spec in SpecIx::all(p.specs.len()) {
                p.prepare_verdicts(spec);
                fresh.prepare_verdicts(spec);
            }
            prop_assert_eq!(entries(&p), entries(&fresh));
        }
    }

    /// Attribute value ids and verdicts, found with a short list of recent values before the
    /// hash map, are those of numbering and evaluating each instance in turn, with more values
    /// (and combinations) than the list holds.
    #[test]
    fn recent_values_give_each_instances_ids_and_verdicts() {
        let q = testkit::quota::Quota::scaled(0.02);
        let pl = load_value(q.plan()).plan.expect("quota plans load");
        let mut p = Placement::of_cluster(&pl, &PlaceOptions::default());
        for (k, node) in p.cluster.nodes.iter_mut().enumerate() {
            node.custom
                .insert("many".into(), format!("v{}", (k * 7) % 13));
        }
        for attribute in [
            "ecs.instance-type",
            "ecs.availability-zone",
            "pool",
            "many",
            "none",
        ] {
            let mut v = StaticVerdicts::default();
            v.prepare_attribute(attribute, &p.cluster);
            let mut plain = AttributeIds {
                attribute: attribute.to_string(),
                ids: HashMap::new(),
                missing: None,
                of: Vec::new(),
            };
            for node in &p.cluster.nodes {
                let id = plain.id(node.attribute(attribute));
                plain.of.push(id);
            }
            let got = v.attribute(attribute).expect("prepared");
            assert_eq!(got.of, plain.of, "{attribute}");
            assert_eq!(got.values(), plain.values(), "{attribute}");
        }
        // Verdicts of expressions over more combinations than the short list holds.
        for source in [
            "attribute:many =~ v1.* or attribute:ecs.instance-type == m5.xlarge",
            "attribute:many in [v2, v5, v11] and attribute:ecs.availability-zone != us-east-1c",
        ] {
            verdicts_are_each_instances(&p, source);
        }
    }

    /// The prepared `memberOf` verdicts of `source` are those of evaluating it on each instance.
    fn verdicts_are_each_instances(p: &Placement, source: &str) {
        let expr = crate::cql::parse(source).expect("parses");
        let mut v = StaticVerdicts::default();
        v.prepare_member_of(SpecIx(0), 0, source, &expr, &p.cluster, &p.state, &p.groups);
        for (i, node) in p.cluster.indexed() {
            let facts = Facts {
                node,
                usage: &p.state.usage[i],
                groups: &p.groups,
            };
            assert_eq!(
                v.member_of(SpecIx(0), 0, i),
                Some(member_of::holds(&expr, &facts)),
                "{source} on {}",
                node.id
            );
        }
    }

    /// An expression that reads only attributes is evaluated once per combination of their
    /// values: the verdicts are those of evaluating it on each instance.
    #[test]
    fn verdicts_by_attribute_values_are_each_instances() {
        let pl = crate::load::sample("mixed-memberof.json");
        let p = place(&pl, &PlaceOptions::default());
        for source in [
            "attribute:ecs.instance-type =~ m5.* or attribute:ecs.availability-zone == us-west-2b",
            "not(attribute:ecs.instance-type =~ g4dn.*) and attribute:ecs.os-type == linux",
            "attribute:nothing-like-this exists",
            "ec2InstanceId != i-0 and attribute:ecs.instance-type =~ .*large",
        ] {
            verdicts_are_each_instances(&p, source);
        }
    }
}
