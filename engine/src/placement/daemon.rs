//! Daemon services (`ecs_services.md`, "Daemon"): "exactly one task on each active container
//! instance that meets all of the task placement constraints". ECS places them before replica
//! tasks and reserves their resources ("the daemon task is the first task to launch on the
//! instances"); a daemon task goes to its own instance or nowhere: when the instance lacks the
//! resources, the task waits for them there ("continues to try and schedule the task on the
//! instance"). Strategies do not apply.

use super::pipeline::{passes, Check};
use super::{InstanceIx, Placement, SpecIx, TaskIx};

impl Placement {
    /// Whether a daemon task of `spec` belongs on instance `node`: the request can be placed,
    /// and the instance is eligible and satisfies the constraints (`Check::DAEMON`),
    /// whatever its free resources.
    pub fn daemon_target(&self, spec: SpecIx, node: InstanceIx) -> bool {
        self.specs[spec].placeable() && passes(&self.context(), spec, node, Check::DAEMON)
    }

    /// Places task `t` on instance `node` if it passes every filter there (a daemon task goes
    /// to its own instance or nowhere), and records the decision either way.
    pub fn place_on(&mut self, t: TaskIx, node: InstanceIx) -> bool {
        let spec = self.tasks[t].spec;
        let ok = passes(&self.context(), spec, node, Check::PLACE);
        self.record(t, ok.then_some(node));
        ok
    }

    /// Places a daemon service's tasks: one per instance that wants one, on that instance,
    /// in instance order.
    pub(super) fn place_daemon(&mut self, tasks: &[TaskIx]) {
        self.place_daemon_on(tasks, false);
    }

    /// Places daemon tasks on the instances that want one and have none of the service's yet
    /// (after an edit: the daemon's tasks that kept running hold theirs).
    pub(super) fn place_daemon_where_missing(&mut self, tasks: &[TaskIx]) {
        self.place_daemon_on(tasks, true);
    }

    fn place_daemon_on(&mut self, tasks: &[TaskIx], only_missing: bool) {
        let Some(&first) = tasks.first() else { return };
        let spec = self.tasks[first].spec;
        let group = self.specs[spec].group;
        let targets: Vec<InstanceIx> = self
            .cluster
            .instances()
            .filter(|&n| !only_missing || self.state.usage[n].group_count(group) == 0)
            .filter(|&n| self.daemon_target(spec, n))
            .collect();
        let mut targets = targets.into_iter();
        for &t in tasks {
            // Its own instance, or none when every instance has its task.
            let Some(node) = targets.next() else {
                if only_missing {
                    self.record(t, None);
                    continue;
                }
                break;
            };
            let fits = passes(&self.context(), spec, node, Check::PLACE);
            self.record(t, fits.then_some(node));
        }
    }
}
