//! Utilisation and headroom: what the board shows per instance and zone (`ecsplan place`), how
//! many more tasks of each service fit (`ecsplan whatif --fit`), and the fewest instances of
//! each type in use that run every EC2 task (`ecsplan whatif --min-instances`).

use super::{round1, Assumptions, Check, ReviewOptions, FIT_CAP, MIN_INSTANCE_TYPES_CAP};
use crate::board::{Board, Meter};
use crate::placement::whatif;
use crate::placement::{Outcome, PlaceOptions, Placement, Source};
use crate::plan::{Plan, SchedulingStrategy};
use serde::{Deserialize, Serialize};

/// Unplaced tasks listed with their reasons (the rest are counted).
const UNPLACED_LISTED: usize = 20;

/// Reserved of registered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Use {
    /// Reserved by tasks (CPU units or MiB).
    pub used: u64,
    /// Registered (CPU units or MiB).
    pub total: u64,
    /// `used` of `total` in percent, to one decimal (0 without capacity).
    pub percent: f64,
}

impl Use {
    fn of(used: u64, total: u64) -> Use {
        Use {
            used,
            total,
            percent: if total == 0 {
                0.0
            } else {
                round1(used as f64 * 100.0 / total as f64)
            },
        }
    }

    fn meter(m: Meter) -> Use {
        Use::of(m.used as u64, m.total as u64)
    }
}

/// Utilisation and headroom: how full the cluster is and how much more it can run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Capacity {
    /// The `ecsplan place` command that shows the placement behind these numbers.
    pub command: String,
    /// CPU units and MiB reserved by tasks of what the instances register.
    pub cpu: Use,
    /// Memory MiB reserved by tasks of what the instances register.
    pub memory: Use,
    /// Tasks placed on instances.
    pub placed: u32,
    /// Tasks on Fargate.
    pub fargate: u32,
    /// Tasks that could not be placed.
    pub unplaced: u32,
    /// Use per Availability Zone, in the cluster's zone order.
    pub zones: Vec<ZoneUse>,
    /// Use per container instance, in plan order.
    pub instances: Vec<InstanceUse>,
    /// Use and headroom per service, in plan order.
    pub services: Vec<ServiceUse>,
    /// The fewest instances of each type in use that run every task (the first `MIN_INSTANCE_TYPES_CAP` types).
    pub min_instances: Vec<MinInstances>,
    /// The first unplaced tasks with why.
    pub unplaced_tasks: Vec<UnplacedTask>,
}

/// Use of one Availability Zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZoneUse {
    /// Zone name.
    pub availability_zone: String,
    /// Container instances in the zone.
    pub instances: u32,
    /// Tasks placed on its instances.
    pub tasks: u32,
    /// Fargate tasks in the zone.
    pub fargate_tasks: u32,
    /// CPU units reserved of registered in the zone.
    pub cpu: Use,
    /// Memory MiB reserved of registered in the zone.
    pub memory: Use,
}

/// Use of one container instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceUse {
    /// Container instance id.
    pub id: String,
    /// EC2 instance type.
    pub instance_type: String,
    /// Its zone.
    pub availability_zone: String,
    /// The capacity provider whose Auto Scaling group launched it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<String>,
    /// Status `DRAINING` (takes no new tasks).
    pub draining: bool,
    /// Tasks placed on it.
    pub tasks: u32,
    /// CPU units reserved of registered.
    pub cpu: Use,
    /// Memory MiB reserved of registered.
    pub memory: Use,
    /// The registered memory is the catalog's estimate.
    pub memory_estimated: bool,
}

/// Use and headroom of one service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceUse {
    /// `serviceName`.
    pub service: String,
    /// Launch type or capacity provider strategy, as on the board.
    pub launch: String,
    /// `DAEMON` scheduling: one task per eligible instance.
    pub daemon: bool,
    /// Tasks asked for.
    pub desired: u32,
    /// Tasks placed (on instances or Fargate).
    pub placed: u32,
    /// Tasks that could not be placed.
    pub unplaced: u32,
    /// CPU units and MiB its placed tasks reserve.
    pub cpu_reserved: u64,
    /// Memory MiB its placed tasks reserve.
    pub memory_reserved: u64,
    /// CPU units and MiB one task reserves.
    pub task_cpu: u32,
    /// Memory MiB one task reserves.
    pub task_memory: u32,
    /// More tasks that fit now; `None` on Fargate (no instance limit) or when not computed.
    pub more_fit: Option<u32>,
    /// Why the next one does not fit, or why it was not computed.
    pub limit: Vec<String>,
    /// The `ecsplan whatif` command that adds tasks until one does not fit.
    pub command: String,
}

/// The fewest instances of one type that run every task of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MinInstances {
    /// EC2 instance type.
    pub instance_type: String,
    /// Instances of the type in the plan now.
    pub in_plan: u32,
    /// `None` when no number runs every task (see `never_fit`).
    pub count: Option<u32>,
    /// Share of those instances' CPU the tasks reserve at that count.
    pub cpu_percent: f64,
    /// Share of those instances' memory the tasks reserve at that count.
    pub memory_percent: f64,
    /// Tasks that fit no instance of the type, with why.
    pub never_fit: Vec<String>,
    /// The `ecsplan whatif` command that searches it.
    pub command: String,
}

/// A task that could not be placed, with why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnplacedTask {
    /// The task's id on the board.
    pub task: String,
    /// `service:NAME` or the RunTask group.
    pub group: String,
    /// Why no instance took it, one line per kind of reason.
    pub reasons: Vec<String>,
}

pub fn section(
    plan: &Plan,
    popts: &PlaceOptions,
    base: &Placement,
    board: &Board,
    opts: &ReviewOptions,
    assumptions: &mut Assumptions,
) -> Capacity {
    let mut zones = Vec::new();
    let mut instances = Vec::new();
    for lane in &board.lanes {
        let (mut cpu, mut mem, mut tasks) = ((0u64, 0u64), (0u64, 0u64), 0u32);
        for c in &lane.instances {
            cpu.0 += c.cpu.used as u64;
            cpu.1 += c.cpu.total as u64;
            mem.0 += c.memory.used as u64;
            mem.1 += c.memory.total as u64;
            tasks += c.tasks.len() as u32;
            instances.push(InstanceUse {
                id: c.id.clone(),
                instance_type: c.instance_type.clone(),
                availability_zone: lane.availability_zone.clone(),
                capacity_provider: c.capacity_provider.clone(),
                draining: c.draining,
                tasks: c.tasks.len() as u32,
                cpu: Use::meter(c.cpu),
                memory: Use::meter(c.memory),
                memory_estimated: c.memory_estimated,
            });
        }
        zones.push(ZoneUse {
            availability_zone: lane.availability_zone.clone(),
            instances: lane.instances.len() as u32,
            tasks,
            fargate_tasks: lane.fargate.len() as u32,
            cpu: Use::of(cpu.0, cpu.1),
            memory: Use::of(mem.0, mem.1),
        });
    }
    // Per service: what its placed tasks reserve.
    let mut reserved = vec![(0u64, 0u64, 0u32, 0u32); plan.services.len()];
    for t in &base.tasks {
        if let Source::Service { index, .. } = &t.source {
            let d = &base.specs[t.spec].demand;
            let r = &mut reserved[*index];
            r.2 = d.cpu;
            r.3 = d.memory;
            if matches!(t.outcome, Outcome::Placed { .. } | Outcome::Fargate { .. }) {
                r.0 += d.cpu as u64;
                r.1 += d.memory as u64;
            }
        }
    }
    let mut services = Vec::new();
    for (i, row) in board.services.iter().enumerate() {
        let command = opts.command("whatif", &format!("--fit {}", super::shell_word(&row.name)));
        let daemon = plan.services[i].scheduling_strategy == Some(SchedulingStrategy::Daemon);
        let (more_fit, limit) = if daemon {
            (
                None,
                vec!["a daemon service runs one task on each instance it may use".to_string()],
            )
        } else if i >= FIT_CAP {
            (
                None,
                vec![format!(
                    "not computed: the review computes it for the first {FIT_CAP} services"
                )],
            )
        } else {
            match whatif::fit(plan, popts, &row.name) {
                Ok(f) => (f.more, f.limit),
                Err(e) => (None, vec![e.to_string()]),
            }
        };
        services.push(ServiceUse {
            service: row.name.clone(),
            launch: row.launch.clone(),
            daemon,
            desired: row.desired,
            placed: row.placed,
            unplaced: row.unplaced,
            cpu_reserved: reserved[i].0,
            memory_reserved: reserved[i].1,
            task_cpu: reserved[i].2,
            task_memory: reserved[i].3,
            more_fit,
            limit,
            command,
        });
    }
    if plan.services.len() > FIT_CAP {
        assumptions.bounds.push(format!(
            "How many more tasks fit is computed for the first {FIT_CAP} of {} services (`ecsplan whatif PLAN --fit SERVICE` for the others).",
            plan.services.len()
        ));
    }
    // The instance types in use, in the plan's order.
    let mut types: Vec<(String, u32)> = Vec::new();
    for n in &base.cluster.nodes {
        match types.iter_mut().find(|(t, _)| *t == n.instance_type) {
            Some(x) => x.1 += 1,
            None => types.push((n.instance_type.clone(), 1)),
        }
    }
    if types.len() > MIN_INSTANCE_TYPES_CAP {
        assumptions.bounds.push(format!(
            "The fewest instances are searched for the first {MIN_INSTANCE_TYPES_CAP} of {} instance types in use.",
            types.len()
        ));
    }
    let has_ec2_tasks = base.tasks.iter().any(|t| {
        !matches!(
            base.specs[t.spec].launch,
            crate::placement::Launch::Fargate { .. }
        )
    });
    let min_instances = if has_ec2_tasks {
        types
            .iter()
            .take(MIN_INSTANCE_TYPES_CAP)
            .map(|(t, n)| {
                let command = opts.command("whatif", &format!("--min-instances {t}"));
                match whatif::min_instances(plan, popts, t) {
                    Ok(m) => MinInstances {
                        instance_type: m.instance_type,
                        in_plan: *n,
                        count: m.count,
                        cpu_percent: round1(m.cpu_percent),
                        memory_percent: round1(m.memory_percent),
                        never_fit: m.never_fit,
                        command,
                    },
                    Err(e) => MinInstances {
                        instance_type: t.clone(),
                        in_plan: *n,
                        count: None,
                        cpu_percent: 0.0,
                        memory_percent: 0.0,
                        never_fit: vec![e.to_string()],
                        command,
                    },
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let unplaced_tasks = board
        .unplaced
        .iter()
        .take(UNPLACED_LISTED)
        .map(|c| UnplacedTask {
            task: c.id.clone(),
            group: c.group.clone(),
            reasons: c.reasons.clone(),
        })
        .collect();
    Capacity {
        command: opts.command("place", ""),
        cpu: Use::meter(board.totals.cpu),
        memory: Use::meter(board.totals.memory),
        placed: board.totals.placed,
        fargate: board.totals.fargate,
        unplaced: board.totals.unplaced,
        zones,
        instances,
        services,
        min_instances,
        unplaced_tasks,
    }
}

pub fn checks(c: &Capacity, _opts: &ReviewOptions) -> Vec<Check> {
    vec![Check {
        id: "capacity.placed".into(),
        section: "capacity".into(),
        name: "every task is placed".into(),
        passed: c.unplaced == 0,
        evidence: format!(
            "{} placed on instances, {} on Fargate, {} not placed",
            c.placed, c.fargate, c.unplaced
        ),
        command: c.command.clone(),
        gate: None,
        path: None,
        line: None,
        column: None,
    }]
}
