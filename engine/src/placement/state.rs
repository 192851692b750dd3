//! The cluster while tasks land: what each instance has left, which ports are bound and by
//! whom, which task groups run where. Placement updates it task by task, so binpack fills and
//! spread balances.

use super::demand::Demand;
use super::TaskIx;
use crate::cluster::{ClusterModel, InstanceIx, Node};
use crate::plan::Protocol;
use std::collections::HashMap;

/// Task groups (`service:web`, `family:worker`) as small integers.
#[derive(Debug, Clone, Default)]
pub struct Groups {
    names: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Groups {
    pub fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    pub fn get(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
}

/// Who holds a host port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortOwner {
    /// `ECS_RESERVED_PORTS` / `ECS_RESERVED_PORTS_UDP`.
    Reserved,
    /// A task, by its index in the placement's task list.
    Task(TaskIx),
}

/// One instance's usage.
#[derive(Debug, Clone, Default)]
pub struct Usage {
    pub cpu: u32,
    pub memory: u32,
    pub gpus: u32,
    pub enis: u32,
    pub dynamic_ports: u32,
    /// Statically bound host ports (reserved ones included).
    pub ports: HashMap<(u16, Protocol), PortOwner>,
    /// Tasks on the instance, by index, in the order they landed.
    pub tasks: Vec<TaskIx>,
    /// (group, tasks of that group here); few groups per instance, so a short list. A group
    /// whose tasks all left keeps its entry, at 0: the instance stays in the group's
    /// [`State::placed_on`] (once, whatever comes and goes).
    pub groups: Vec<(u32, u32)>,
}

impl Usage {
    pub fn group_count(&self, g: u32) -> u32 {
        self.groups
            .iter()
            .find(|(id, _)| *id == g)
            .map_or(0, |(_, n)| *n)
    }

    /// Static ports counted against the 100-reserved-ports limit of an instance.
    pub fn reserved_port_count(&self) -> usize {
        self.ports.len()
    }
}

/// The whole cluster's usage, indexed like [`ClusterModel::nodes`].
#[derive(Debug, Clone)]
pub struct State {
    pub usage: Vec<Usage>,
    /// Per group, the instances that run or ran one of its tasks (each once, in no particular
    /// order): the index's spread counts visit these instead of every instance of the cluster.
    placed_on: Vec<Vec<InstanceIx>>,
    /// While a trial runs ([`State::begin_trial`]), what it changed, to be put back.
    trial: Option<Box<Trial>>,
}

/// What a trial needs to put the usage back: each instance's usage before its first change,
/// and how long each group's `placed_on` list was.
#[derive(Debug, Clone)]
struct Trial {
    saved: Vec<(InstanceIx, Usage)>,
    is_saved: Vec<bool>,
    placed_on: Vec<usize>,
}

impl State {
    /// An empty cluster: only the agent's reserved ports are taken.
    pub fn new(cluster: &ClusterModel) -> State {
        // Instances mostly reserve the same ports: the last one's usage is copied, not hashed
        // again (5 000 instances are set up on every board edit).
        let mut last: Option<(&Node, Usage)> = None;
        let usage = cluster
            .nodes
            .iter()
            .map(|n| match &last {
                Some((l, u))
                    if l.reserved_tcp == n.reserved_tcp && l.reserved_udp == n.reserved_udp =>
                {
                    u.clone()
                }
                _ => {
                    let u = empty_usage(n);
                    last = Some((n, u.clone()));
                    u
                }
            })
            .collect();
        State {
            usage,
            placed_on: Vec::new(),
            trial: None,
        }
    }

    /// From now until [`State::end_trial`], changes are noted so that `end_trial` can undo
    /// them (a trial inside a trial is not supported: the outer one is kept).
    pub(crate) fn begin_trial(&mut self) {
        if self.trial.is_some() {
            return;
        }
        self.trial = Some(Box::new(Trial {
            saved: Vec::new(),
            is_saved: vec![false; self.usage.len()],
            placed_on: self.placed_on.iter().map(Vec::len).collect(),
        }));
    }

    /// Puts back the usage as it was at [`State::begin_trial`].
    pub(crate) fn end_trial(&mut self) {
        let Some(t) = self.trial.take() else {
            return;
        };
        for (i, u) in t.saved {
            self.usage[i] = u;
        }
        self.placed_on.truncate(t.placed_on.len());
        for (on, &len) in self.placed_on.iter_mut().zip(&t.placed_on) {
            on.truncate(len);
        }
    }

    /// Notes instance `i`'s usage before its first change in a trial.
    fn save(&mut self, i: InstanceIx) {
        let Some(t) = &mut self.trial else {
            return;
        };
        if t.is_saved.get(i.at()).copied().unwrap_or(true) {
            return;
        }
        t.is_saved[i.at()] = true;
        t.saved.push((i, self.usage[i].clone()));
    }

    /// The instances that run or ran a task of `group` (each once, in no particular order):
    /// every instance where its count is not 0, and maybe some where it is.
    pub fn placed_on(&self, group: u32) -> &[InstanceIx] {
        self.placed_on
            .get(group as usize)
            .map_or(&[], Vec::as_slice)
    }

    /// How many instances [`State::placed_on`] lists for `group`: a mark for
    /// [`State::forget_placed_on_since`].
    pub(crate) fn placed_on_len(&self, group: u32) -> usize {
        self.placed_on(group).len()
    }

    /// Takes back the instances listed for `group` after `mark` (from
    /// [`State::placed_on_len`]) whose count of it is 0 again, and their entries at 0: a trial
    /// placement undone leaves the lists as they were.
    pub(crate) fn forget_placed_on_since(&mut self, group: u32, mark: usize) {
        let Some(on) = self.placed_on.get_mut(group as usize) else {
            return;
        };
        let mut k = mark;
        while k < on.len() {
            let u = &mut self.usage[on[k]];
            match u.groups.iter().position(|&(g, n)| g == group && n == 0) {
                Some(pos) => {
                    u.groups.remove(pos);
                    on.remove(k);
                }
                None => k += 1,
            }
        }
    }

    pub fn free_cpu(&self, node: &Node, i: InstanceIx) -> u32 {
        node.registered.cpu.saturating_sub(self.usage[i].cpu)
    }

    pub fn free_memory(&self, node: &Node, i: InstanceIx) -> u32 {
        node.registered
            .memory_mib
            .saturating_sub(self.usage[i].memory)
    }

    /// Records `task` (of `group`, needing `d`) on instance `i`.
    pub fn add(&mut self, i: InstanceIx, task: TaskIx, group: u32, d: &Demand) {
        self.save(i);
        let u = &mut self.usage[i];
        u.cpu = u.cpu.saturating_add(d.cpu);
        u.memory = u.memory.saturating_add(d.memory);
        u.gpus = u.gpus.saturating_add(d.gpus);
        u.enis += d.needs_eni as u32;
        u.dynamic_ports = u.dynamic_ports.saturating_add(d.dynamic_ports);
        for p in &d.static_ports {
            u.ports.insert(*p, PortOwner::Task(task));
        }
        u.tasks.push(task);
        match u.groups.iter_mut().find(|(id, _)| *id == group) {
            Some((_, n)) => *n += 1,
            None => {
                u.groups.push((group, 1));
                let g = group as usize;
                if self.placed_on.len() <= g {
                    self.placed_on.resize(g + 1, Vec::new());
                }
                self.placed_on[g].push(i);
            }
        }
    }

    /// Removes `task` from instance `i` (it stopped).
    pub fn remove(&mut self, i: InstanceIx, task: TaskIx, group: u32, d: &Demand) {
        self.save(i);
        let u = &mut self.usage[i];
        let Some(pos) = u.tasks.iter().position(|t| *t == task) else {
            return;
        };
        u.tasks.remove(pos);
        u.cpu = u.cpu.saturating_sub(d.cpu);
        u.memory = u.memory.saturating_sub(d.memory);
        u.gpus = u.gpus.saturating_sub(d.gpus);
        u.enis = u.enis.saturating_sub(d.needs_eni as u32);
        u.dynamic_ports = u.dynamic_ports.saturating_sub(d.dynamic_ports);
        for p in &d.static_ports {
            if u.ports.get(p) == Some(&PortOwner::Task(task)) {
                u.ports.remove(p);
            }
        }
        if let Some(e) = u.groups.iter_mut().find(|(id, _)| *id == group) {
            e.1 = e.1.saturating_sub(1);
        }
    }
}

impl std::ops::Index<InstanceIx> for Vec<Usage> {
    type Output = Usage;
    fn index(&self, i: InstanceIx) -> &Usage {
        &self[i.at()]
    }
}

impl std::ops::IndexMut<InstanceIx> for Vec<Usage> {
    fn index_mut(&mut self, i: InstanceIx) -> &mut Usage {
        &mut self[i.at()]
    }
}

impl std::ops::Index<InstanceIx> for [Usage] {
    type Output = Usage;
    fn index(&self, i: InstanceIx) -> &Usage {
        &self[i.at()]
    }
}

fn empty_usage(node: &Node) -> Usage {
    let mut u = Usage::default();
    for p in &node.reserved_tcp {
        u.ports.insert((*p, Protocol::Tcp), PortOwner::Reserved);
    }
    for p in &node.reserved_udp {
        u.ports.insert((*p, Protocol::Udp), PortOwner::Reserved);
    }
    u
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::table_tests::{cluster, need};

    /// Tasks of two groups landing and leaving in turn: `placed_on` lists every instance
    /// where a group has tasks, each once.
    #[test]
    fn placed_on_lists_where_a_group_runs_each_instance_once() {
        let c = cluster();
        let mut s = State::new(&c);
        let n = c.nodes.len();
        let mut on: Vec<(InstanceIx, TaskIx, u32)> = Vec::new();
        for step in 0..200u32 {
            let leave = step % 3 == 2 && !on.is_empty();
            if leave {
                let (i, t, g) = on.remove((step as usize * 7) % on.len());
                s.remove(i, t, g, &need());
            } else {
                let (i, g) = (InstanceIx::new((step as usize * 5) % n), step % 2);
                s.add(i, TaskIx(step), g, &need());
                on.push((i, TaskIx(step), g));
            }
            for g in 0..2 {
                let listed = s.placed_on(g);
                let mut unique = listed.to_vec();
                unique.sort_unstable();
                unique.dedup();
                assert_eq!(unique.len(), listed.len(), "step {step}: listed twice");
                for &(i, _, _) in on.iter().filter(|x| x.2 == g) {
                    assert!(listed.contains(&i), "step {step}: {i} not listed");
                }
            }
        }
    }
}
