//! Fargate tasks: no instance, no strategies, no constraints (`task-placement.md`: "Task
//! placement strategies and constraints aren't supported for tasks using the Fargate launch
//! type. Fargate tasks are spread across Availability Zones"). The planner puts each task in
//! the zone with the fewest of its group's Fargate tasks, in the cluster's zone order on ties
//! (\[INFER\]: the subnets' zones are not in the plan).

use super::{Event, Launch, Outcome, Placement, TaskIx};

impl Placement {
    /// The zone with the fewest of the group's Fargate tasks, in the cluster's zone
    /// order on ties (ECS balances Fargate tasks across the service's zones).
    pub(super) fn place_fargate(&mut self, t: TaskIx) {
        let group = self.specs[self.tasks[t].spec].group;
        let azs = self.cluster.azs.len();
        let az = (0..azs).min_by_key(|a| {
            (
                self.fargate_counts.get(&(group, *a)).copied().unwrap_or(0),
                *a,
            )
        });
        let outcome = match az {
            Some(a) => {
                *self.fargate_counts.entry((group, a)).or_default() += 1;
                Outcome::Fargate {
                    availability_zone: self.cluster.azs[a].clone(),
                }
            }
            None => Outcome::Fargate {
                availability_zone: String::new(),
            },
        };
        self.tasks[t].outcome = outcome;
        self.events.push(Event::Place {
            task: t,
            node: None,
        });
    }

    /// Keeps a Fargate task in its zone after an edit, if the cluster still has that zone.
    pub(super) fn keep_fargate(&mut self, t: TaskIx, zone: &str) -> bool {
        if !matches!(
            self.specs[self.tasks[t].spec].launch,
            Launch::Fargate { .. }
        ) {
            return false;
        }
        let Some(a) = self.cluster.azs.iter().position(|z| z == zone) else {
            return false;
        };
        let group = self.specs[self.tasks[t].spec].group;
        *self.fargate_counts.entry((group, a)).or_default() += 1;
        self.tasks[t].outcome = Outcome::Fargate {
            availability_zone: zone.to_string(),
        };
        self.events.push(Event::Place {
            task: t,
            node: None,
        });
        true
    }
}
