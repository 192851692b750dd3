//! A spec's feasible instances and their local keys, kept between
//! [`Placement::place_tasks`](super::Placement::place_tasks) calls when the caller asks for it
//! ([`Placement::keep_feasible`](super::Placement::keep_feasible): the simulator).
//!
//! The simulator places a few tasks at a time, thousands of times a day, and each call built its
//! spec's index from every eligible instance: the pipeline and the local key of ~2 500
//! instances of a capacity provider, though between two calls only a few instances change. An
//! instance's verdict (`Check::PLACE_ON_ELIGIBLE`) and local key depend only on the spec, the
//! instance and what runs on it (the index's `Runs` relies on the same), so they are kept per
//! spec and computed again only for the instances that changed since: a task placed on or
//! stopped from it, or the instance itself changed ([`Feasible::changed`], called by every
//! change of the placement's usage and instances). Without `keep`, every entry is computed, as
//! before; a test checks that both give the same placements.

use super::pipeline::{passes, Check, Context};
use super::strategy::{self, Key, KEY_LEN};
use super::{InstanceIx, SpecIx};

/// Most specs kept at once (the least recently used is dropped): bounds the memory, ~33 bytes
/// per instance per spec.
const MOST_SPECS: usize = 64;

/// An entry never computed.
const NEVER: usize = usize::MAX;

/// The kept entries, and when each instance last changed. A copy of a placement starts with
/// none and does not keep (the rebalancing trial's copy would only pay for them).
#[derive(Debug, Default)]
pub(super) struct Feasible {
    on: bool,
    /// Per instance, the count of changes at its last change (0: none since the entries
    /// began to be kept).
    stamps: Vec<usize>,
    /// Most recently used last.
    specs: Vec<(SpecIx, Entries)>,
    /// The latest changes, in order: (the count of changes after it, the instance).
    log: std::collections::VecDeque<(usize, InstanceIx)>,
    /// The count of changes of the last entry dropped from `log` (0: none dropped).
    dropped: usize,
}

/// Most entries [`Feasible::log`] keeps: a reader whose answer is older than these asks every
/// instance (16 bytes an entry).
const LOG_LEN: usize = 1 << 16;

impl Clone for Feasible {
    fn clone(&self) -> Feasible {
        Feasible::default()
    }
}

/// One spec's entries, per instance.
#[derive(Debug, Default)]
struct Entries {
    /// The count of changes when the instance's entry was computed, or [`NEVER`].
    at: Vec<usize>,
    fits: Vec<bool>,
    /// The local key's first `width` places, `width` per instance.
    keys: Vec<i64>,
}

impl Feasible {
    /// Keep entries from now on.
    pub(super) fn keep(&mut self) {
        self.on = true;
    }

    /// Whether entries are kept (the simulator's placement): the index then takes its
    /// candidates' exact keys from them instead of ranking bounds lazily.
    pub(super) fn is_on(&self) -> bool {
        self.on
    }

    /// Instance `node` changed (a task landed on it or left it, or its status or attributes
    /// changed); `changes` is the placement's count of changes after it.
    pub(super) fn changed(&mut self, node: InstanceIx, changes: usize) {
        if !self.on {
            return;
        }
        if self.stamps.len() <= node.at() {
            self.stamps.resize(node.at() + 1, 0);
        }
        self.stamps[node.at()] = changes;
        if self.log.len() >= LOG_LEN {
            if let Some((c, _)) = self.log.pop_front() {
                self.dropped = c;
            }
        }
        self.log.push_back((changes, node));
    }

    /// The instances that changed after the count of changes was `at` (repeated when they
    /// changed more than once), while entries are kept and the log reaches back that far.
    pub(super) fn changed_since(&self, at: usize) -> Option<impl Iterator<Item = InstanceIx> + '_> {
        if !self.on || at < self.dropped {
            return None;
        }
        let from = self.log.partition_point(|&(c, _)| c <= at);
        Some(self.log.range(from..).map(|&(_, n)| n))
    }

    /// The count of changes at instance `node`'s last change, while entries are kept.
    pub(super) fn stamp(&self, node: InstanceIx) -> Option<usize> {
        self.on
            .then(|| self.stamps.get(node.at()).copied().unwrap_or(0))
    }

    /// Calls `visit` with each instance of `nodes` on which `spec` passes
    /// `Check::PLACE_ON_ELIGIBLE`, in order, and its local key (`strategy::local_key`).
    /// `changes` is the placement's count of changes now.
    #[inline]
    pub(super) fn local_keys(
        &mut self,
        cx: &Context,
        spec: SpecIx,
        nodes: &[InstanceIx],
        changes: usize,
        mut visit: impl FnMut(InstanceIx, Key),
    ) {
        let fresh = |node: InstanceIx| {
            passes(cx, spec, node, Check::PLACE_ON_ELIGIBLE)
                .then(|| strategy::local_key(cx, spec, node))
        };
        let width = (cx.specs[spec].chain.rules.len() + 1).min(KEY_LEN);
        let mut kept = self
            .on
            .then(|| entries(&mut self.specs, spec, cx.cluster.nodes.len(), width));
        // One call of `visit` (the index's bucket step), which the compiler inlines: the plain
        // path costs what it cost before entries were kept.
        for &node in nodes {
            let key = match kept.as_mut() {
                None => fresh(node),
                Some(e) => {
                    let i = node.at();
                    let stamp = self.stamps.get(i).copied().unwrap_or(0);
                    if e.at[i] == NEVER || stamp > e.at[i] {
                        let v = fresh(node);
                        e.at[i] = changes;
                        e.fits[i] = v.is_some();
                        if let Some(k) = v {
                            e.keys[i * width..(i + 1) * width].copy_from_slice(&k[..width]);
                        }
                    }
                    e.fits[i].then(|| {
                        let mut k = [0i64; KEY_LEN];
                        k[..width].copy_from_slice(&e.keys[i * width..(i + 1) * width]);
                        k
                    })
                }
            };
            if let Some(k) = key {
                visit(node, k);
            }
        }
    }
}

/// `spec`'s entries for `n` instances, made the most recently used.
fn entries(
    specs: &mut Vec<(SpecIx, Entries)>,
    spec: SpecIx,
    n: usize,
    width: usize,
) -> &mut Entries {
    let e = match specs.iter().position(|(s, _)| *s == spec) {
        Some(k) => specs.remove(k).1,
        None => {
            if specs.len() >= MOST_SPECS {
                specs.remove(0);
            }
            Entries::default()
        }
    };
    specs.push((spec, e));
    let last = specs.len() - 1;
    let e = &mut specs[last].1;
    if e.at.len() < n {
        e.at.resize(n, NEVER);
        e.fits.resize(n, false);
        e.keys.resize(n * width, 0);
    }
    e
}
