//! What stays true of each instance while tasks land, until an instance changes: the verdicts
//! of static `memberOf` expressions, which instances are eligible for each launch target
//! (stage 1 reads only the instance), and the values of the attributes chains spread on, as
//! small ids. The index of [`select`](super::select) reads them instead of asking every
//! instance again for every spec: on a cluster with two capacity providers half the instances
//! are another provider's, and a spec's index visits only its own.
//!
//! [`Placement::node_changed`](super::Placement::node_changed) clears them (an instance's
//! status or attributes changed); instances added since they were filled
//! ([`Placement::add_node`](super::Placement::add_node)) are evaluated when next asked. They
//! are an optimisation: every verdict here is the one [`pipeline::passes`](super::pipeline)
//! would give (tested in `pipeline_tests.rs` and by the index-versus-scan property tests).

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
    /// `task:group`, per instance: one vector per expression text (`slot_of`), and per spec
    /// and constraint its vector (`spec_slots[spec][constraint]`), so that a check finds a
    /// verdict without hashing the expression's text per instance.
    member_of: Vec<Vec<bool>>,
    slot_of: HashMap<String, usize>,
    spec_slots: Vec<Vec<Option<usize>>>,
    /// Per launch target (a capacity provider's name, or `None`: the EC2 launch type, any
    /// instance), the instances eligible to start a task.
    eligible: Vec<Eligible>,
    /// Per attribute, each instance's value as an id numbered as first seen.
    attributes: Vec<AttributeIds>,
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
    ids: HashMap<Option<String>, u32>,
    pub of: Vec<u32>,
}

impl AttributeIds {
    /// How many distinct values.
    pub fn values(&self) -> usize {
        self.ids.len()
    }
}

impl StaticVerdicts {
    /// Forgets everything: an instance changed.
    pub fn clear(&mut self) {
        self.member_of.clear();
        self.slot_of.clear();
        self.spec_slots.clear();
        self.eligible.clear();
        self.attributes.clear();
    }

    /// The cached verdict of `spec`'s constraint number `constraint` (a static `memberOf`) on
    /// `node`, if filled.
    pub fn member_of(&self, spec: SpecIx, constraint: usize, node: InstanceIx) -> Option<bool> {
        let slot = (*self.spec_slots.get(spec.at())?.get(constraint)?)?;
        self.member_of[slot].get(node.at()).copied()
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
        let slot = match self.slot_of.get(source) {
            Some(&k) => k,
            None => {
                self.member_of.push(Vec::new());
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
        let verdicts = &mut self.member_of[slot];
        for i in verdicts.len()..cluster.nodes.len() {
            let facts = Facts {
                node: &cluster.nodes[i],
                usage: &state.usage[i],
                groups,
            };
            verdicts.push(member_of::holds(expr, &facts));
        }
    }

    /// Fills the eligible instances of `provider` for instances not yet looked at.
    pub fn prepare_eligible(&mut self, provider: Option<&str>, cluster: &ClusterModel) {
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
                    of: Vec::new(),
                });
                self.attributes.len() - 1
            }
        };
        let a = &mut self.attributes[k];
        for i in a.of.len()..cluster.nodes.len() {
            let value = cluster.nodes[i].attribute(attribute);
            let next = a.ids.len() as u32;
            let id = match a.ids.get(&value.map(str::to_string)) {
                Some(&id) => id,
                None => {
                    a.ids.insert(value.map(str::to_string), next);
                    next
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
