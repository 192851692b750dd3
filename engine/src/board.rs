//! What the cluster board shows, computed from a plan and its placement: Availability Zones
//! as lanes, container instances with their registered and used CPU and memory, the tasks on
//! them, Fargate tasks per zone, and what could not be placed. The UI draws this and nothing
//! else, so every number on screen comes from the engine.

use crate::catalog::MemoryBasis;
use crate::placement::{Launch, Outcome, Placement, Source};
use crate::plan::units;
use crate::plan::{InstanceStatus, Plan};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Board {
    pub lanes: Vec<Lane>,
    pub unplaced: Vec<TaskChip>,
    pub families: Vec<String>,
    pub services: Vec<ServiceRow>,
    pub task_definitions: Vec<TaskDefinitionRow>,
    pub totals: Totals,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Lane {
    pub availability_zone: String,
    pub instances: Vec<InstanceCard>,
    /// Fargate tasks running in this zone.
    pub fargate: Vec<TaskChip>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Meter {
    pub used: u32,
    pub total: u32,
}

impl Meter {
    /// Used share in percent (0 when there is no capacity).
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.used as f64 * 100.0 / self.total as f64
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceCard {
    /// Index in the cluster's instances (the plan's `containerInstances` order).
    pub index: usize,
    pub id: String,
    pub instance_type: String,
    pub draining: bool,
    pub agent_connected: bool,
    pub capacity_provider: Option<String>,
    pub cpu: Meter,
    pub memory: Meter,
    /// The registered memory is the catalog's estimate (not a measured or given figure).
    pub memory_estimated: bool,
    pub gpus: Option<Meter>,
    /// awsvpc task slots, when any awsvpc task runs here.
    pub enis: Option<Meter>,
    /// Host ports bound by tasks: "80/tcp web-1".
    pub ports: Vec<String>,
    pub tasks: Vec<TaskChip>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskChip {
    pub id: String,
    pub family: String,
    pub revision: u32,
    /// Index into [`Board::families`]: the UI's colour and pattern.
    pub family_index: usize,
    /// `service:web` or the RunTask group.
    pub group: String,
    pub cpu: u32,
    pub memory: u32,
    /// For unplaced tasks: the reasons, one line per kind.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// For unplaced tasks: waiting for a capacity provider to add instances.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub provisioning: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRow {
    pub name: String,
    pub task_definition: String,
    pub desired: u32,
    pub placed: u32,
    pub unplaced: u32,
    pub launch: String,
    pub strategy: String,
    pub constraints: Vec<String>,
    pub daemon: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskDefinitionRow {
    pub family: String,
    pub revision: u32,
    pub family_index: usize,
    pub network_mode: String,
    pub compatibilities: Vec<String>,
    pub cpu: u32,
    pub memory: u32,
    pub containers: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    pub instances: u32,
    pub cpu: Meter,
    pub memory: Meter,
    pub placed: u32,
    pub fargate: u32,
    pub unplaced: u32,
}

impl Board {
    /// One sentence for the UI's status line (an `aria-live` region) and the CLI: what placement
    /// did, e.g. "7 tasks placed on 4 instances in 2 zones" or "10 Fargate tasks in 3 zones;
    /// 2 tasks could not be placed".
    pub fn summary(&self) -> String {
        fn count(n: usize, one: &str, many: &str) -> String {
            format!("{n} {}", if n == 1 { one } else { many })
        }
        let mut parts = Vec::new();
        let busy: Vec<(usize, usize)> = self
            .lanes
            .iter()
            .map(|l| {
                let instances = l.instances.iter().filter(|i| !i.tasks.is_empty()).count();
                (instances, l.instances.iter().map(|i| i.tasks.len()).sum())
            })
            .collect();
        let ec2_tasks: usize = busy.iter().map(|(_, t)| t).sum();
        if ec2_tasks > 0 {
            parts.push(format!(
                "{} placed on {} in {}",
                count(ec2_tasks, "task", "tasks"),
                count(busy.iter().map(|(i, _)| i).sum(), "instance", "instances"),
                count(busy.iter().filter(|(i, _)| *i > 0).count(), "zone", "zones"),
            ));
        }
        let fargate: usize = self.lanes.iter().map(|l| l.fargate.len()).sum();
        if fargate > 0 {
            let zones = self.lanes.iter().filter(|l| !l.fargate.is_empty()).count();
            parts.push(format!(
                "{} in {}",
                count(fargate, "Fargate task", "Fargate tasks"),
                count(zones, "zone", "zones")
            ));
        }
        if !self.unplaced.is_empty() {
            parts.push(format!(
                "{} could not be placed",
                count(self.unplaced.len(), "task", "tasks")
            ));
        }
        if parts.is_empty() {
            "No tasks to place".to_string()
        } else {
            parts.join("; ")
        }
    }
}

/// Builds the board for a plan and its placement.
pub fn board(plan: &Plan, p: &Placement) -> Board {
    let mut families: Vec<String> = Vec::new();
    for td in &plan.task_definitions {
        if !families.contains(&td.family) {
            families.push(td.family.clone());
        }
    }
    // By name: a lookup per task, not a search of the families (200 of them at ECS's quotas).
    let family_at: HashMap<&str, usize> = families
        .iter()
        .enumerate()
        .rev()
        .map(|(i, f)| (f.as_str(), i))
        .collect();
    let family_index = |f: &str| family_at.get(f).copied().unwrap_or(0);
    let chip = |t: usize| -> TaskChip {
        let task = &p.tasks[t];
        let spec = &p.specs[task.spec];
        TaskChip {
            id: task.id(),
            family: task.family.to_string(),
            revision: task.revision,
            family_index: family_index(&task.family),
            group: p.groups.name(spec.group).to_string(),
            cpu: spec.demand.cpu,
            memory: spec.demand.memory,
            reasons: Vec::new(),
            provisioning: false,
        }
    };
    let mut lanes: Vec<Lane> = p
        .cluster
        .azs
        .iter()
        .map(|az| Lane {
            availability_zone: az.clone(),
            instances: Vec::new(),
            fargate: Vec::new(),
        })
        .collect();
    let mut totals = Totals {
        instances: p.cluster.nodes.len() as u32,
        cpu: Meter { used: 0, total: 0 },
        memory: Meter { used: 0, total: 0 },
        placed: 0,
        fargate: 0,
        unplaced: 0,
    };
    for (i, n) in p.cluster.nodes.iter().enumerate() {
        let u = &p.state.usage[i];
        let mut ports: Vec<String> = u
            .ports
            .iter()
            .filter_map(|((port, proto), owner)| match owner {
                crate::placement::state::PortOwner::Task(t) => Some((
                    *port,
                    format!(
                        "{port}/{} {}",
                        if *proto == crate::plan::Protocol::Udp {
                            "udp"
                        } else {
                            "tcp"
                        },
                        p.tasks[*t].id()
                    ),
                )),
                _ => None,
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        ports.sort();
        let card = InstanceCard {
            index: i,
            id: n.id.clone(),
            instance_type: n.instance_type.clone(),
            draining: n.status == InstanceStatus::Draining,
            agent_connected: n.agent_connected,
            capacity_provider: n.capacity_provider.clone(),
            cpu: Meter {
                used: u.cpu,
                total: n.registered.cpu,
            },
            memory: Meter {
                used: u.memory,
                total: n.registered.memory_mib,
            },
            memory_estimated: n.registered.memory_basis == MemoryBasis::Estimated,
            gpus: (n.registered.gpus > 0).then_some(Meter {
                used: u.gpus,
                total: n.registered.gpus,
            }),
            enis: (u.enis > 0).then_some(Meter {
                used: u.enis,
                total: n.eni_slots,
            }),
            ports,
            tasks: u.tasks.iter().map(|t| chip(t.at())).collect(),
        };
        totals.cpu.used += u.cpu;
        totals.cpu.total += n.registered.cpu;
        totals.memory.used += u.memory;
        totals.memory.total += n.registered.memory_mib;
        totals.placed += u.tasks.len() as u32;
        lanes[n.az].instances.push(card);
    }
    let mut unplaced = Vec::new();
    // One replay of the placement for every unplaced task's reasons.
    let waiting: Vec<usize> = (0..p.tasks.len())
        .filter(|&t| matches!(p.tasks[t].outcome, Outcome::Unplaced { .. }))
        .collect();
    let mut reasons = p.unplaced_reasons_of(&waiting).into_iter();
    for (t, task) in p.tasks.iter().enumerate() {
        match &task.outcome {
            Outcome::Fargate { availability_zone } => {
                totals.fargate += 1;
                if let Some(l) = lanes
                    .iter_mut()
                    .find(|l| &l.availability_zone == availability_zone)
                {
                    l.fargate.push(chip(t));
                }
            }
            Outcome::Unplaced { provisioning } => {
                totals.unplaced += 1;
                let mut c = chip(t);
                c.reasons = reasons.next().unwrap_or_default();
                c.provisioning = *provisioning;
                unplaced.push(c);
            }
            _ => {}
        }
    }
    // Each service's tasks, in one pass over the tasks.
    let mut by_service: Vec<Vec<usize>> = vec![Vec::new(); plan.services.len()];
    for (k, t) in p.tasks.iter().enumerate() {
        if let Source::Service { index, .. } = &t.source {
            if let Some(v) = by_service.get_mut(*index) {
                v.push(k);
            }
        }
    }
    let services = plan
        .services
        .iter()
        .zip(by_service)
        .map(|(s, mine)| {
            let placed = mine
                .iter()
                .filter(|k| {
                    matches!(
                        p.tasks[**k].outcome,
                        Outcome::Placed { .. } | Outcome::Fargate { .. }
                    )
                })
                .count() as u32;
            let spec = mine.first().map(|k| &p.specs[p.tasks[*k].spec]);
            let launch = launch_text(
                plan,
                s,
                mine.iter()
                    .map(|k| &p.specs[p.tasks[*k].spec].launch)
                    .collect(),
            );
            ServiceRow {
                name: s.service_name.clone(),
                task_definition: mine
                    .first()
                    .map(|k| format!("{}:{}", p.tasks[*k].family, p.tasks[*k].revision))
                    .or_else(|| s.task_definition.clone())
                    .unwrap_or_default(),
                desired: mine.len() as u32,
                placed,
                unplaced: mine.len() as u32 - placed,
                launch,
                strategy: spec.map(|s| s.chain.describe()).unwrap_or_default(),
                constraints: spec
                    .map(|s| s.constraints.iter().map(|c| c.describe()).collect())
                    .unwrap_or_default(),
                daemon: s.scheduling_strategy == Some(crate::plan::SchedulingStrategy::Daemon),
            }
        })
        .collect();
    let task_definitions = plan
        .task_definitions
        .iter()
        .map(|td| {
            let revision = plan
                .revisions(&td.family)
                .find(|(_, _, x)| std::ptr::eq(*x, td))
                .map_or(1, |(r, _, _)| r);
            let d = crate::placement::demand::Demand::of(td, false);
            TaskDefinitionRow {
                family: td.family.clone(),
                revision,
                family_index: family_index(&td.family),
                network_mode: format!(
                    "{:?}",
                    td.network_mode.unwrap_or(crate::plan::NetworkMode::Bridge)
                )
                .to_ascii_lowercase(),
                compatibilities: td.requires_compatibilities.clone(),
                cpu: td
                    .cpu
                    .as_deref()
                    .and_then(units::cpu_units)
                    .unwrap_or(d.cpu),
                memory: td
                    .memory
                    .as_deref()
                    .and_then(units::memory_mib)
                    .unwrap_or(d.memory),
                containers: td
                    .container_definitions
                    .iter()
                    .map(|c| c.name.clone())
                    .collect(),
            }
        })
        .collect();
    Board {
        lanes,
        unplaced,
        families,
        services,
        task_definitions,
        totals,
    }
}

fn launch_text(plan: &Plan, s: &crate::plan::Service, launches: Vec<&Launch>) -> String {
    if let Some(lt) = s.launch_type {
        return format!("{lt:?}").to_ascii_uppercase();
    }
    let strategy = if s.capacity_provider_strategy.is_empty() {
        &plan.cluster.default_capacity_provider_strategy
    } else {
        &s.capacity_provider_strategy
    };
    if strategy.is_empty() {
        return if launches.is_empty() {
            "EC2".into()
        } else {
            "EC2 (no capacity provider strategy)".into()
        };
    }
    strategy
        .iter()
        .map(|i| {
            let mut t = i.capacity_provider.clone();
            if let Some(b) = i.base.filter(|b| *b > 0) {
                t.push_str(&format!(" base {b}"));
            }
            t.push_str(&format!(" weight {}", i.weight.unwrap_or(0)));
            t
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::{place, PlaceOptions};

    fn sample(name: &str) -> Plan {
        let text = std::fs::read_to_string(format!(
            "{}/../public/plans/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        crate::load::load(&text).plan.unwrap()
    }

    #[test]
    fn the_default_plan_fills_two_lanes() {
        let plan = sample("two-az-web.json");
        let b = board(&plan, &place(&plan, &PlaceOptions::default()));
        assert_eq!(b.lanes.len(), 2);
        assert!(b.lanes.iter().all(|l| l.instances.len() == 2));
        assert_eq!(b.totals.placed, 7, "4 web + 3 worker");
        assert_eq!(b.totals.unplaced, 0);
        let card = &b.lanes[0].instances[0];
        assert_eq!(card.cpu.total, 2048);
        assert!(card.memory.total > 7000 && card.memory.total < 8192);
        assert!(b.services.iter().any(|s| s.name == "web" && s.placed == 4));
        assert_eq!(b.families, vec!["web", "worker"]);
    }

    #[test]
    fn summaries_count_tasks_instances_and_zones() {
        let b = |name: &str| {
            let plan = sample(name);
            board(&plan, &place(&plan, &PlaceOptions::for_plan(&plan)))
        };
        assert_eq!(
            b("two-az-web.json").summary(),
            "7 tasks placed on 4 instances in 2 zones"
        );
        assert_eq!(
            b("fargate-spot.json").summary(),
            "10 Fargate tasks in 3 zones"
        );
        let mut empty = b("two-az-web.json");
        for l in &mut empty.lanes {
            for i in &mut l.instances {
                i.tasks.clear();
            }
        }
        assert_eq!(empty.summary(), "No tasks to place");
        let mut one = b("two-az-web.json");
        one.unplaced
            .push(one.lanes[0].instances[0].tasks[0].clone());
        one.lanes[1]
            .instances
            .iter_mut()
            .for_each(|i| i.tasks.clear());
        one.lanes[0].instances[1].tasks.clear();
        one.lanes[0].instances[0].tasks.truncate(1);
        assert_eq!(
            one.summary(),
            "1 task placed on 1 instance in 1 zone; 1 task could not be placed"
        );
    }

    #[test]
    fn fargate_tasks_show_in_their_zone() {
        let plan = sample("fargate-spot.json");
        let b = board(&plan, &place(&plan, &PlaceOptions::default()));
        assert_eq!(b.totals.fargate, 10);
        assert_eq!(b.lanes.iter().map(|l| l.fargate.len()).sum::<usize>(), 10);
        assert_eq!(
            b.services[0].launch,
            "FARGATE base 2 weight 1, FARGATE_SPOT weight 3"
        );
    }
}
