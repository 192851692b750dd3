//! What changes the placed cluster: a placement decision recorded, a task stopped, and (while
//! a simulation runs or a what-if asks) an instance added, drained or retired. Every change
//! counts in [`Placement::changes`], so callers can skip work when nothing moved.

use super::state::State;
use super::{Event, InstanceIx, Launch, Outcome, Placement, TaskIx};
use crate::cluster::{ClusterModel, Node};
use crate::plan::InstanceStatus;

impl Placement {
    /// Registers a container instance while a simulation runs (an Auto Scaling group launched
    /// it) and returns its index. Its zone joins the cluster's zones when new. Placement
    /// indexes are rebuilt per run, so the next placement sees it.
    pub fn add_node(&mut self, mut node: Node) -> InstanceIx {
        node.az = match self
            .cluster
            .azs
            .iter()
            .position(|a| *a == node.availability_zone)
        {
            Some(i) => i,
            None => {
                self.cluster.azs.push(node.availability_zone.clone());
                self.cluster.azs.len() - 1
            }
        };
        let one = ClusterModel {
            azs: Vec::new(),
            nodes: vec![node.clone()],
        };
        self.state
            .usage
            .extend(State::new(&one).usage.into_iter().take(1));
        self.cluster.nodes.push(node);
        self.changes += 1;
        self.node_changes += 1;
        let added = InstanceIx::new(self.cluster.nodes.len() - 1);
        self.feasible.changed(added, self.changes);
        added
    }

    /// Sets an instance DRAINING: it takes no new tasks; what runs on it keeps running.
    pub fn drain_node(&mut self, node: InstanceIx) {
        self.cluster.nodes[node].status = InstanceStatus::Draining;
        self.node_changed(node);
    }

    /// Call after changing instance `node`'s status or attributes: its cached verdicts are
    /// computed again before they are next read (the other instances' stay).
    pub fn node_changed(&mut self, node: InstanceIx) {
        self.changes += 1;
        self.node_changes += 1;
        self.feasible.changed(node, self.changes);
        self.static_verdicts.instance_changed(node);
    }

    /// Deregisters an instance that was terminated: it becomes DRAINING with its agent
    /// disconnected, so eligibility rules it out of every check (explanations still list it, as
    /// DRAINING; the simulator, which knows which instances left, leaves them out of unplaced
    /// reasons: [`Placement::unplaced_reasons_without`]). Tasks still on it are stopped
    /// (returned in the order they landed).
    pub fn retire_node(&mut self, node: InstanceIx) -> Vec<TaskIx> {
        let on = self.state.usage[node].tasks.clone();
        for &t in &on {
            self.stop(t);
        }
        let n = &mut self.cluster.nodes[node];
        n.status = InstanceStatus::Draining;
        n.agent_connected = false;
        self.node_changed(node);
        on
    }

    /// Records a placement decision and updates the cluster. (A caller that tries waiting tasks
    /// again and again drops the attempts that repeat the last one: [`super::retry`].)
    pub(crate) fn record(&mut self, t: TaskIx, node: Option<InstanceIx>) {
        let spec = self.tasks[t].spec;
        match node {
            Some(n) => {
                let s = &self.specs[spec];
                self.state.add(n, t, s.group, &s.demand);
                self.tasks[t].outcome = Outcome::Placed { node: n };
                self.changes += 1;
                self.feasible.changed(n, self.changes);
            }
            None => {
                let provisioning = matches!(self.specs[spec].launch, Launch::Provider { .. });
                self.tasks[t].outcome = Outcome::Unplaced { provisioning };
            }
        }
        self.events.push(Event::Place { task: t, node });
    }

    /// Removes a placed task from its instance (it stopped).
    pub fn stop(&mut self, t: TaskIx) {
        if let Outcome::Placed { node } = self.tasks[t].outcome {
            let s = &self.specs[self.tasks[t].spec];
            self.state.remove(node, t, s.group, &s.demand);
            self.events.push(Event::Remove { task: t, node });
            self.changes += 1;
            self.feasible.changed(node, self.changes);
        }
        self.tasks[t].outcome = Outcome::Stopped;
    }
}
