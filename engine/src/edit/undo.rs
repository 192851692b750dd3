//! A plan kept for undo as what differs from a neighbouring plan, not as a whole copy.
//!
//! An edit changes a few entries of a plan (an instance added, moved or drained, a service's
//! count): a whole copy per undo step costs ~3.5 MB of the page's memory with a cluster at
//! ECS's quotas (5 000 instances, 200 services). [`PlanDelta::between`] keeps, for each of the
//! plan's lists, only the entries between the common head and tail, and everything else only
//! when it changed; [`PlanDelta::restore`] rebuilds the plan exactly from its neighbour.

use crate::plan::{Cluster, ContainerInstance, Plan, RunTask, Service, TaskDefinition};

/// The entries of a list that differ from a neighbouring list: `len` entries of the
/// neighbour from `at` on are replaced by `old` to get this list back.
#[derive(Debug, Clone, PartialEq)]
struct Splice<T> {
    at: usize,
    len: usize,
    old: Vec<T>,
}

impl<T: Clone + PartialEq> Splice<T> {
    /// What to put in `neighbour` to get `list`.
    fn between(list: &[T], neighbour: &[T]) -> Splice<T> {
        let head = list
            .iter()
            .zip(neighbour)
            .take_while(|(a, b)| a == b)
            .count();
        let most = list.len().min(neighbour.len()) - head;
        let tail = list
            .iter()
            .rev()
            .zip(neighbour.iter().rev())
            .take(most)
            .take_while(|(a, b)| a == b)
            .count();
        Splice {
            at: head,
            len: neighbour.len() - head - tail,
            old: list[head..list.len() - tail].to_vec(),
        }
    }

    fn apply(&self, list: &mut Vec<T>) {
        list.splice(self.at..self.at + self.len, self.old.iter().cloned());
    }
}

/// A plan, as what makes it from a neighbouring plan (see the module documentation).
#[derive(Debug, Clone, PartialEq)]
pub struct PlanDelta {
    instances: Splice<ContainerInstance>,
    task_definitions: Splice<TaskDefinition>,
    services: Splice<Service>,
    tasks: Splice<RunTask>,
    /// Everything but the four lists, when it differs from the neighbour's (the plan with
    /// those lists empty).
    rest: Option<Box<Plan>>,
}

/// The plan without its four big lists. Every field is named, so that a field added to
/// [`Plan`] is not forgotten here.
fn rest(plan: &Plan) -> Plan {
    Plan {
        schema_version: plan.schema_version,
        name: plan.name.clone(),
        description: plan.description.clone(),
        region: plan.region.clone(),
        cluster: Cluster {
            cluster_name: plan.cluster.cluster_name.clone(),
            availability_zones: plan.cluster.availability_zones.clone(),
            container_instances: Vec::new(),
            capacity_providers: plan.cluster.capacity_providers.clone(),
            default_capacity_provider_strategy: plan
                .cluster
                .default_capacity_provider_strategy
                .clone(),
        },
        task_definitions: Vec::new(),
        services: Vec::new(),
        tasks: Vec::new(),
        running_tasks: plan.running_tasks.clone(),
        workload: plan.workload.clone(),
        ec2_instance_types: plan.ec2_instance_types.clone(),
        settings: plan.settings.clone(),
    }
}

impl PlanDelta {
    /// `plan` as what differs from `neighbour`.
    pub fn between(plan: &Plan, neighbour: &Plan) -> PlanDelta {
        let (mine, theirs) = (rest(plan), rest(neighbour));
        PlanDelta {
            instances: Splice::between(
                &plan.cluster.container_instances,
                &neighbour.cluster.container_instances,
            ),
            task_definitions: Splice::between(&plan.task_definitions, &neighbour.task_definitions),
            services: Splice::between(&plan.services, &neighbour.services),
            tasks: Splice::between(&plan.tasks, &neighbour.tasks),
            rest: (mine != theirs).then(|| Box::new(mine)),
        }
    }

    /// The plan back, from the same `neighbour` it was taken against.
    pub fn restore(&self, neighbour: &Plan) -> Plan {
        let mut plan = neighbour.clone();
        if let Some(r) = &self.rest {
            let lists = (
                std::mem::take(&mut plan.cluster.container_instances),
                std::mem::take(&mut plan.task_definitions),
                std::mem::take(&mut plan.services),
                std::mem::take(&mut plan.tasks),
            );
            plan = (**r).clone();
            plan.cluster.container_instances = lists.0;
            plan.task_definitions = lists.1;
            plan.services = lists.2;
            plan.tasks = lists.3;
        }
        self.instances.apply(&mut plan.cluster.container_instances);
        self.task_definitions.apply(&mut plan.task_definitions);
        self.services.apply(&mut plan.services);
        self.tasks.apply(&mut plan.tasks);
        plan
    }

    /// How many list entries it keeps (a measure of its size).
    pub fn entries(&self) -> usize {
        self.instances.old.len()
            + self.task_definitions.old.len()
            + self.services.old.len()
            + self.tasks.old.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{apply, Edit};
    use crate::load::sample;

    #[test]
    fn a_plan_comes_back_exactly_from_its_neighbour_either_way() {
        let plan = sample("two-az-web.json");
        let id = plan.cluster.container_instances[1].id.clone();
        let edits = [
            Edit::SetDraining {
                id: id.clone(),
                draining: true,
            },
            Edit::RemoveInstance { id: id.clone() },
            Edit::AddInstances {
                instance_type: "m5.large".into(),
                availability_zone: "us-east-1a".into(),
                count: 3,
                capacity_provider: None,
            },
            Edit::MoveInstance {
                id,
                availability_zone: "us-east-1b".into(),
            },
            Edit::LoseZone {
                availability_zone: "us-east-1b".into(),
            },
            Edit::SetDesiredCount {
                service: plan.services[0].service_name.clone(),
                desired_count: 9,
            },
            Edit::Replace {
                plan: Box::new(sample("fargate-spot.json")),
            },
            Edit::Replace {
                plan: Box::new(Plan::empty("nothing")),
            },
        ];
        for e in edits {
            let next = apply(&plan, &e).unwrap();
            let back = PlanDelta::between(&plan, &next);
            assert_eq!(back.restore(&next), plan, "{}", e.describe());
            let forth = PlanDelta::between(&next, &plan);
            assert_eq!(forth.restore(&plan), next, "{}", e.describe());
        }
    }

    #[test]
    fn an_instance_edit_keeps_one_instance_and_nothing_else() {
        let plan = sample("two-az-web.json");
        let id = plan.cluster.container_instances[2].id.clone();
        let next = apply(&plan, &Edit::SetDraining { id, draining: true }).unwrap();
        let d = PlanDelta::between(&plan, &next);
        assert_eq!(d.entries(), 1);
        assert!(d.rest.is_none());
        let same = PlanDelta::between(&plan, &plan);
        assert_eq!(same.entries(), 0);
        assert_eq!(same.restore(&plan), plan);
    }
}
