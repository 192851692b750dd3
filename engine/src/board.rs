//! What the cluster board shows, computed from a plan and its placement: Availability Zones
//! as lanes, container instances with their registered and used CPU and memory, the tasks on
//! them, Fargate tasks per zone, and what could not be placed. The UI draws this and nothing
//! else, so every number on screen comes from the engine.

use crate::catalog::MemoryBasis;
use crate::placement::{InstanceIx, Launch, Outcome, Placement, Source, TaskIx};
use crate::plan::units;
use crate::plan::{InstanceStatus, Plan};
use crate::sort::sort;
use serde::Serialize;
use std::collections::HashMap;

/// The cluster board: everything the placement view draws, in the order it draws it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Board {
    /// One lane per Availability Zone of the cluster, in the cluster's zone order.
    pub lanes: Vec<Lane>,
    /// Tasks that got no instance or Fargate zone, with the reasons.
    pub unplaced: Vec<TaskChip>,
    /// Task definition families in plan order; a chip's `family_index` points here so each
    /// family keeps one colour and pattern across the board and the legend.
    pub families: Vec<String>,
    /// One row per service of the plan, in plan order: the services table.
    pub services: Vec<ServiceRow>,
    /// One row per task definition revision of the plan, in plan order.
    pub task_definitions: Vec<TaskDefinitionRow>,
    /// Cluster-wide sums for the header.
    pub totals: Totals,
}

/// One Availability Zone: its container instances and its Fargate tasks.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Lane {
    /// Zone name, e.g. `us-east-1a`.
    pub availability_zone: String,
    /// Container instances registered in this zone, in the plan's `containerInstances` order.
    pub instances: Vec<InstanceCard>,
    /// Fargate tasks running in this zone.
    pub fargate: Vec<TaskChip>,
}

/// A used-of-total gauge (CPU units, MiB, GPUs or ENI slots).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Meter {
    /// Reserved by placed tasks.
    pub used: u32,
    /// Registered on the instance (or summed over the cluster).
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

/// One container instance on the board: its resources, what uses them and its tasks.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceCard {
    /// Index in the cluster's instances (the plan's `containerInstances` order).
    pub index: InstanceIx,
    /// The instance's id as the plan names it (e.g. `i-0abc…`).
    pub id: String,
    /// EC2 instance type, e.g. `m5.large`.
    pub instance_type: String,
    /// Status `DRAINING`: no new tasks are placed here (ECS container instance draining).
    pub draining: bool,
    /// Whether the ECS agent is connected; a disconnected instance gets no new tasks.
    pub agent_connected: bool,
    /// The Auto Scaling group capacity provider that launched the instance, if any.
    pub capacity_provider: Option<String>,
    /// CPU units reserved by tasks of registered (1 024 units = 1 vCPU).
    pub cpu: Meter,
    /// Memory in MiB reserved by tasks of registered.
    pub memory: Meter,
    /// The registered memory is the catalog's estimate (not a measured or given figure).
    pub memory_estimated: bool,
    /// GPUs reserved of registered, when the instance has any.
    pub gpus: Option<Meter>,
    /// awsvpc task slots, when any awsvpc task runs here.
    pub enis: Option<Meter>,
    /// Host ports bound by tasks: "80/tcp web-1".
    pub ports: Vec<String>,
    /// Tasks placed on this instance, in placement order.
    pub tasks: Vec<TaskChip>,
}

/// One task as a chip on the board (placed, on Fargate or unplaced).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskChip {
    /// The task's id on the board, e.g. `web-1`.
    pub id: String,
    /// Task definition family.
    pub family: String,
    /// Task definition revision.
    pub revision: u32,
    /// Index into [`Board::families`]: the UI's colour and pattern.
    pub family_index: usize,
    /// `service:web` or the RunTask group.
    pub group: String,
    /// CPU units the task reserves (task-level size, else the containers' sum).
    pub cpu: u32,
    /// Memory in MiB the task reserves (task-level size, else the containers' sum).
    pub memory: u32,
    /// For unplaced tasks: the reasons, one line per kind.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// For unplaced tasks: waiting for a capacity provider to add instances.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub provisioning: bool,
}

/// One service in the services table: how many of its tasks were placed and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRow {
    /// `serviceName`.
    pub name: String,
    /// `family:revision` its tasks run (else the plan's `taskDefinition` as written).
    pub task_definition: String,
    /// Tasks the placement tried to start (desired count, or one per instance for a daemon).
    pub desired: u32,
    /// Tasks on an instance or in a Fargate zone.
    pub placed: u32,
    /// Tasks that could not be placed.
    pub unplaced: u32,
    /// How it launches: the launch type (`EC2`, `FARGATE`) or the capacity provider strategy as
    /// `name base B weight W` items.
    pub launch: String,
    /// The placement strategy rules joined by `→`, marked when it is the default.
    pub strategy: String,
    /// Placement constraints, one described per entry.
    pub constraints: Vec<String>,
    /// `schedulingStrategy` is `DAEMON`: one task per eligible instance.
    pub daemon: bool,
}

/// One task definition revision in the task definitions table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskDefinitionRow {
    /// `family`.
    pub family: String,
    /// Revision number, counted in plan order within the family (1 when alone).
    pub revision: u32,
    /// Index into [`Board::families`], as on the task chips.
    pub family_index: usize,
    /// `networkMode` in lower case; `bridge` when unset (the EC2 default).
    pub network_mode: String,
    /// `requiresCompatibilities` as written (`EC2`, `FARGATE`, `EXTERNAL`, `MANAGED_INSTANCES`).
    pub compatibilities: Vec<String>,
    /// Task CPU units: the task-level `cpu`, else the containers' sum.
    pub cpu: u32,
    /// Task memory in MiB: the task-level `memory`, else the containers' sum.
    pub memory: u32,
    /// Container names in definition order.
    pub containers: Vec<String>,
}

/// Cluster-wide sums shown in the board's header.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    /// Container instances registered in the cluster.
    pub instances: u32,
    /// CPU units reserved of registered, over all instances.
    pub cpu: Meter,
    /// Memory MiB reserved of registered, over all instances.
    pub memory: Meter,
    /// Tasks placed on instances.
    pub placed: u32,
    /// Tasks running on Fargate.
    pub fargate: u32,
    /// Tasks that could not be placed.
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
    build(plan, p, Vec::new(), Vec::new())
}

/// The board after a change, reusing what did not change: the card of an instance whose
/// resources and tasks are the same (same task ids, families, sizes, in the same order) and
/// each lane's Fargate chips that are the same are moved over from `previous`, not built again
/// (a drop on a board of 50 000 tasks touches a few instances; building every chip's strings
/// again was most of the board's cost). Equal to [`board`] of the same plan and placement, for
/// any `previous`; the flag says whether it differs from `previous`.
pub fn board_after(plan: &Plan, p: &Placement, previous: Board) -> (Board, bool) {
    let u = board_updated(plan, p, previous);
    (u.board, u.changed)
}

/// [`board_after`]'s board, with which cards it kept: the page writes again only the cards
/// that changed, without comparing every card itself (50 000 chips at ECS's quotas).
#[derive(Debug, Clone)]
pub struct Updated {
    /// Equal to [`board`] of the same plan and placement.
    pub board: Board,
    /// Whether the board differs from the previous one.
    pub changed: bool,
    /// By instance index (`InstanceCard::index`): the card is equal to the previous board's
    /// card of the same index (false where there was none).
    pub kept: Vec<bool>,
}

/// [`board_after`], saying also which instances' cards are the previous ones ([`Updated`]).
pub fn board_updated(plan: &Plan, p: &Placement, previous: Board) -> Updated {
    let Board {
        lanes,
        unplaced,
        families,
        services,
        task_definitions,
        totals,
    } = previous;
    let mut cards: Vec<Option<InstanceCard>> = Vec::new();
    let mut fargate: Vec<(String, Vec<TaskChip>)> = Vec::with_capacity(lanes.len());
    // What each lane showed: its zone, its cards (by instance index), its Fargate chips.
    let shape = |lanes: &[Lane]| -> Vec<(String, Vec<InstanceIx>, usize)> {
        lanes
            .iter()
            .map(|l| {
                let cards = l.instances.iter().map(|c| c.index).collect();
                (l.availability_zone.clone(), cards, l.fargate.len())
            })
            .collect()
    };
    let shape_before = shape(&lanes);
    for lane in lanes {
        for card in lane.instances {
            let i = card.index.at();
            if cards.len() <= i {
                cards.resize_with(i + 1, || None);
            }
            cards[i] = Some(card);
        }
        fargate.push((lane.availability_zone, lane.fargate));
    }
    let cards_before = cards.len();
    let mut reused = 0usize;
    let mut kept = Vec::with_capacity(p.cluster.nodes.len());
    let b = build_counting(plan, p, cards, fargate, &mut reused, &mut kept);
    let fargate_now: usize = b.lanes.iter().map(|l| l.fargate.len()).sum();
    let changed = !(shape_before == shape(&b.lanes)
        && reused == cards_before + fargate_now
        && cards_before == p.cluster.nodes.len()
        && b.unplaced == unplaced
        && b.families == families
        && b.services == services
        && b.task_definitions == task_definitions
        && b.totals == totals);
    Updated {
        board: b,
        changed,
        kept,
    }
}

/// A task's chips, and whether a chip built before shows the same task.
struct Chips<'a> {
    p: &'a Placement,
    family_at: HashMap<&'a str, usize>,
    /// Families looked up, by their text's address and length (a plan's tasks share a few
    /// hundred family names), and their index: most chips skip the hash. Direct-mapped.
    seen_families: std::cell::RefCell<Vec<(usize, usize, usize)>>,
}

/// Slots of [`Chips::seen_families`].
const FAMILY_SLOTS: usize = 512;

impl<'a> Chips<'a> {
    fn new(p: &'a Placement, family_at: HashMap<&'a str, usize>) -> Chips<'a> {
        Chips {
            p,
            family_at,
            seen_families: std::cell::RefCell::new(vec![(0, 0, 0); FAMILY_SLOTS]),
        }
    }

    fn family_index(&self, f: &str) -> usize {
        // The same address and length while the placement and plan are borrowed: the same text.
        let key = (f.as_ptr() as usize, f.len());
        let slot = (key.0 >> 3) % FAMILY_SLOTS;
        let mut seen = self.seen_families.borrow_mut();
        let (at, len, index) = seen[slot];
        if (at, len) == key && len > 0 {
            return index;
        }
        let index = self.family_at.get(f).copied().unwrap_or(0);
        seen[slot] = (key.0, key.1, index);
        index
    }

    fn chip(&self, t: usize) -> TaskChip {
        let task = &self.p.tasks[t];
        let spec = &self.p.specs[task.spec];
        TaskChip {
            id: task.id(),
            family: task.family.to_string(),
            revision: task.revision,
            family_index: self.family_index(&task.family),
            group: self.p.groups.name(spec.group).to_string(),
            cpu: spec.demand.cpu,
            memory: spec.demand.memory,
            reasons: Vec::new(),
            provisioning: false,
        }
    }

    /// Whether `chip` is [`Chips::chip`] of task `t` (without building it).
    fn same(&self, chip: &TaskChip, t: usize) -> bool {
        let task = &self.p.tasks[t];
        let spec = &self.p.specs[task.spec];
        let id_matches = chip
            .id
            .strip_prefix(&*task.name)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|n| n.as_bytes() == digits(task.ordinal).as_bytes());
        id_matches
            && chip.revision == task.revision
            && chip.cpu == spec.demand.cpu
            && chip.memory == spec.demand.memory
            && *chip.family == *task.family
            && chip.family_index == self.family_index(&task.family)
            && chip.group == self.p.groups.name(spec.group)
            && chip.reasons.is_empty()
            && !chip.provisioning
    }
}

/// A number's decimal digits on the stack (comparing ids without allocating).
fn digits(mut n: u32) -> Digits {
    let mut d = Digits {
        bytes: [0; 10],
        start: 10,
    };
    loop {
        d.start -= 1;
        d.bytes[d.start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return d;
        }
    }
}

struct Digits {
    bytes: [u8; 10],
    start: usize,
}

impl Digits {
    fn as_bytes(&self) -> &[u8] {
        &self.bytes[self.start..]
    }
}

/// The card of instance `i`: `old` when it shows the same, else built.
fn card(
    chips: &Chips,
    i: InstanceIx,
    old: Option<InstanceCard>,
    reused: &mut usize,
) -> InstanceCard {
    let p = chips.p;
    let n = &p.cluster.nodes[i];
    let u = &p.state.usage[i];
    let task_ports = u
        .ports
        .values()
        .any(|o| matches!(o, crate::placement::state::PortOwner::Task(_)));
    let (cpu, memory, gpus, enis) = meters(n, u);
    let draining = n.status == InstanceStatus::Draining;
    let memory_estimated = n.registered.memory_basis == MemoryBasis::Estimated;
    if let Some(c) = old {
        let same = !task_ports
            && c.ports.is_empty()
            && c.index == i
            && c.id == n.id
            && c.instance_type == n.instance_type
            && c.draining == draining
            && c.agent_connected == n.agent_connected
            && c.capacity_provider == n.capacity_provider
            && c.cpu == cpu
            && c.memory == memory
            && c.memory_estimated == memory_estimated
            && c.gpus == gpus
            && c.enis == enis
            && c.tasks.len() == u.tasks.len()
            && c.tasks
                .iter()
                .zip(&u.tasks)
                .all(|(chip, t)| chips.same(chip, t.at()));
        if same {
            *reused += 1;
            return c;
        }
        // Host ports name their tasks: built again, and the same when equal.
        let built = new_card(chips, i);
        if built == c {
            *reused += 1;
        }
        return built;
    }
    new_card(chips, i)
}

/// An instance's CPU, memory, GPU and ENI gauges.
fn meters(
    n: &crate::cluster::Node,
    u: &crate::placement::state::Usage,
) -> (Meter, Meter, Option<Meter>, Option<Meter>) {
    (
        Meter {
            used: u.cpu,
            total: n.registered.cpu,
        },
        Meter {
            used: u.memory,
            total: n.registered.memory_mib,
        },
        (n.registered.gpus > 0).then_some(Meter {
            used: u.gpus,
            total: n.registered.gpus,
        }),
        (u.enis > 0).then_some(Meter {
            used: u.enis,
            total: n.eni_slots,
        }),
    )
}

/// The card of instance `i`, built.
fn new_card(chips: &Chips, i: InstanceIx) -> InstanceCard {
    let p = chips.p;
    let n = &p.cluster.nodes[i];
    let u = &p.state.usage[i];
    let mut ports: Vec<String> = u
        .ports
        .iter()
        .filter_map(|((port, proto), owner)| match owner {
            crate::placement::state::PortOwner::Task(t) => Some(format!(
                "{port}/{} {}",
                if *proto == crate::plan::Protocol::Udp {
                    "udp"
                } else {
                    "tcp"
                },
                p.tasks[*t].id()
            )),
            _ => None,
        })
        .collect();
    sort(&mut ports);
    let (cpu, memory, gpus, enis) = meters(n, u);
    InstanceCard {
        index: i,
        id: n.id.clone(),
        instance_type: n.instance_type.clone(),
        draining: n.status == InstanceStatus::Draining,
        agent_connected: n.agent_connected,
        capacity_provider: n.capacity_provider.clone(),
        cpu,
        memory,
        memory_estimated: n.registered.memory_basis == MemoryBasis::Estimated,
        gpus,
        enis,
        ports,
        tasks: u.tasks.iter().map(|t| chips.chip(t.at())).collect(),
    }
}

fn build(
    plan: &Plan,
    p: &Placement,
    cards: Vec<Option<InstanceCard>>,
    fargate: Vec<(String, Vec<TaskChip>)>,
) -> Board {
    build_counting(plan, p, cards, fargate, &mut 0, &mut Vec::new())
}

/// Builds the board, taking instance cards (by index) and each zone's Fargate chips from
/// before where they show the same; `reused` counts what was taken.
fn build_counting(
    plan: &Plan,
    p: &Placement,
    mut cards: Vec<Option<InstanceCard>>,
    fargate: Vec<(String, Vec<TaskChip>)>,
    reused: &mut usize,
    kept: &mut Vec<bool>,
) -> Board {
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
    let chips = Chips::new(p, family_at);
    let family_index = |f: &str| chips.family_index(f);
    let chip = |t: usize| chips.chip(t);
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
    for (i, n) in p.cluster.indexed() {
        let u = &p.state.usage[i];
        let old = cards.get_mut(i.at()).and_then(Option::take);
        let before = *reused;
        let card = card(&chips, i, old, reused);
        kept.push(*reused > before);
        totals.cpu.used += u.cpu;
        totals.cpu.total += n.registered.cpu;
        totals.memory.used += u.memory;
        totals.memory.total += n.registered.memory_mib;
        totals.placed += u.tasks.len() as u32;
        lanes[n.az].instances.push(card);
    }
    // Each zone's Fargate chips from before, to take over in order where the same.
    let mut fargate_before: Vec<std::vec::IntoIter<TaskChip>> =
        lanes.iter().map(|_| Vec::new().into_iter()).collect();
    for (z, chips_there) in fargate {
        if let Some(k) = lanes.iter().position(|l| l.availability_zone == z) {
            fargate_before[k] = chips_there.into_iter();
        }
    }
    let mut unplaced = Vec::new();
    // One replay of the placement for every unplaced task's reasons.
    let waiting: Vec<TaskIx> = TaskIx::range(0, p.tasks.len())
        .filter(|&t| matches!(p.tasks[t].outcome, Outcome::Unplaced { .. }))
        .collect();
    let mut reasons = p.unplaced_reasons_of(&waiting).into_iter();
    for (t, task) in p.tasks.iter().enumerate() {
        match &task.outcome {
            Outcome::Fargate { availability_zone } => {
                totals.fargate += 1;
                if let Some(k) = lanes
                    .iter()
                    .position(|l| &l.availability_zone == availability_zone)
                {
                    let c = match fargate_before[k].next() {
                        Some(old) if chips.same(&old, t) => {
                            *reused += 1;
                            old
                        }
                        Some(old) => {
                            let c = chip(t);
                            *reused += usize::from(c == old);
                            c
                        }
                        None => chip(t),
                    };
                    lanes[k].fargate.push(c);
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

    use crate::load::sample;

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
