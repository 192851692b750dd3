//! Capacity providers and cluster auto scaling over time (`cluster-auto-scaling.md`,
//! `asg-capacity-providers.md`, `fargate-capacity-providers.md`; `ecs-semantics.md` §2).
//!
//! Each Auto Scaling group capacity provider of the plan is an Auto Scaling group: a desired
//! capacity between `MinSize` and `MaxSize`, and instances that launch, register with the
//! cluster after [`Timings::instance_launch`](super::Timings) seconds, and are terminated. With
//! managed scaling, once a minute:
//!
//! 1. ECS publishes CapacityProviderReservation ([`super::reservation`]).
//! 2. The target tracking policy on `targetCapacity` acts on it. The high alarm goes off on
//!    one datapoint above the target, the low alarm after 15 consecutive datapoints below it
//!    (the alarms ECS creates: "1 datapoint within 1 minute" and "15 datapoints within 15
//!    minutes", aws/containers-roadmap#638 and #1220; `cluster-auto-scaling.md`, "Scale-in
//!    considerations"). The new desired capacity is `ceil(M × 100 / targetCapacity)`
//!    (target tracking's `N × CPR / target`), never outside the group's MinSize/MaxSize.
//! 3. Scale-out: from no instance at all it goes to 2 first ("always scales out to 200 %"),
//!    and it waits while any instance of the group is younger than `instanceWarmupPeriod`.
//!    Any datapoint above the target restarts the scale-in count.
//! 4. Scale-in lowers the desired capacity by less than half per minute (at least one
//!    instance). With managed termination protection only instances without non-daemon tasks
//!    may go; then zone balance and the group's `TerminationPolicies` choose
//!    ([`super::termination`]; Default when none are given). With managed draining the
//!    chosen instance is DRAINING first: its service tasks are replaced like a deployment
//!    replaces them (within minimumHealthyPercent and maximumPercent), its standalone tasks
//!    run on, and the instance is terminated once no non-daemon task is left. Without it the
//!    instance is terminated at once and its tasks stop with it.
//!
//! What AWS leaves unspecified, and what the planner does:
//! - \[INFER\] the zone of a new instance: the group's zone with the fewest of its instances, in
//!   the group's zone order on ties (EC2 Auto Scaling balances zones);
//! - \[INFER\] the instance type launched: the group's first `InstanceTypes` entry (a
//!   prioritized mixed-instances policy launches its first type; AWS advises listing the
//!   larger types first), else the type of the provider's instances in the plan;
//! - \[INFER\] the last tie of the termination policies (AWS: random): the lowest instance id;
//!   the instances of the plan count as launched at second 0;
//! - \[INFER\] a DRAINING instance is terminated at the first minute tick after its last
//!   non-daemon task stopped. Standalone tasks hold it: draining leaves them running and "the
//!   container instance remains in the DRAINING status" until they stop
//!   (`container-instance-draining`, "Draining behavior for standalone tasks"); AWS gives no
//!   time limit for managed draining, so none is modelled (a task that never ends keeps its
//!   instance DRAINING to the end of the simulation);
//! - \[INFER\] `managedScaling` without `status` is ENABLED (the console's default), and
//!   `managedDraining` without a value is ENABLED (the API's default since 2023);
//! - \[INFER\] without `MaxSize` the group has no bound but the 5 000 container instances a
//!   cluster may have; the instances the plan lists are kept even above `MaxSize`.
//!
//! Fargate Spot interruptions (off unless `settings.simulation.fargateSpotInterruptionRate`
//! gives a rate per task-hour): each minute every FARGATE_SPOT task that is not stopping is
//! interrupted with probability `1 − e^(−rate/60)` (a seeded draw). The interruption is the
//! two-minute warning: the task state change with `stopCode` TerminationNotice and SIGTERM; the
//! task stops as any stopping task does, and at the latest two minutes later. The service
//! scheduler starts a replacement at once. The planner assumes Spot capacity is there for it.

use super::busy::{is_daemon, Busy};
use super::events::EventKind;
use super::reservation::{self, Capacity, Reservation, WaitingGroup};
use super::simulate::ProviderMinute;
use super::termination::{self, Candidate, TerminationPolicy};
use super::world::{Ev, TaskId, TaskState, World};
use crate::catalog::Catalog;
use crate::cluster::{InstanceIx, Node};
use crate::placement::filter::Constraint;
use crate::placement::{Launch, Source, SpecIx, TaskIx};
use crate::plan::{CapacityProvider, ContainerInstance, InstanceStatus, Plan};
use crate::seeded;
use serde::Deserialize;
use serde::Serialize;

/// The most container instances a cluster may have (`service-quotas.md`).
const CLUSTER_INSTANCE_QUOTA: u32 = 5000;
/// Datapoints below the target before the low alarm scales in.
pub const SCALE_IN_DATAPOINTS: u32 = 15;
/// Datapoints above the target before the high alarm scales out.
pub const SCALE_OUT_DATAPOINTS: u32 = 1;
/// The warning a Fargate Spot task gets before it is stopped.
pub const SPOT_WARNING_SECONDS: u32 = 120;

/// Where an instance is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InstanceState {
    /// Launched by the group, not registered with the cluster yet.
    Launching,
    /// Registered and ACTIVE.
    InService,
    /// DRAINING before termination (managed draining).
    Draining,
    Terminated,
}

/// One EC2 instance's life in the simulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceLife {
    pub instance: String,
    pub instance_type: String,
    pub availability_zone: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<String>,
    /// Second it was launched; `None` when it was there before the simulation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launched: Option<u32>,
    /// Second it registered with the cluster.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registered: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draining: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminated: Option<u32>,
    pub state: InstanceState,
}

#[derive(Debug, Clone)]
pub(super) struct Instance {
    /// Index into [`Providers::groups`]; `None` for instances of no Auto Scaling group.
    pub group: Option<usize>,
    /// Index into the placement's nodes once registered.
    pub node: Option<InstanceIx>,
    pub life: InstanceLife,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Scaling {
    pub target: u32,
    pub min_step: u32,
    pub max_step: u32,
    pub warmup: u32,
}

/// An Auto Scaling group capacity provider.
#[derive(Debug, Clone)]
pub(super) struct Group {
    pub provider: String,
    pub scaling: Option<Scaling>,
    pub termination_protection: bool,
    /// The group's `TerminationPolicies` (empty: Default).
    pub termination_policies: Vec<TerminationPolicy>,
    pub managed_draining: bool,
    pub min: u32,
    pub max: u32,
    pub desired: u32,
    pub launch_type: Option<String>,
    pub zones: Vec<String>,
    pub template: ContainerInstance,
    pub smallest: Option<Capacity>,
    pub largest: Option<Capacity>,
    /// Consecutive datapoints below the target.
    pub low_streak: u32,
    /// Consecutive datapoints above the target.
    pub high_streak: u32,
    /// The last reason scaling could not act, said once.
    pub said: Option<String>,
    pub next_id: u32,
}

/// The capacity providers' state during a simulation.
#[derive(Debug, Clone, Default)]
pub(super) struct Providers {
    ready: bool,
    pub groups: Vec<Group>,
    pub instances: Vec<Instance>,
    catalog: Option<Catalog>,
    spot_rate: f64,
    seed: u64,
    /// The reservations the minute's sample published (second, per group), reused by the
    /// scaling that follows in the same tick.
    published: Option<(u32, Vec<Option<Reservation>>)>,
    /// Which instances run a task that is not a daemon's, kept between minutes.
    pub(super) busy: Busy,
}

/// The Auto Scaling group behind a capacity provider of the plan (none for Fargate's and for
/// providers without one).
fn group_of(cp: &CapacityProvider, plan: &Plan, catalog: &Catalog) -> Option<Group> {
    let asgp = cp.auto_scaling_group_provider.as_ref()?;
    if crate::plan::FARGATE_PROVIDERS.contains(&cp.name.as_str()) {
        return None;
    }
    let asg = cp.auto_scaling_group.clone().unwrap_or_default();
    let scaling = asgp
        .managed_scaling
        .as_ref()
        .filter(|m| m.status.as_deref() != Some("DISABLED"))
        .map(|m| Scaling {
            target: m.target_capacity.unwrap_or(100).clamp(1, 100),
            min_step: m.minimum_scaling_step_size.unwrap_or(1).max(1),
            max_step: m
                .maximum_scaling_step_size
                .unwrap_or(10000)
                .max(m.minimum_scaling_step_size.unwrap_or(1).max(1)),
            warmup: m.instance_warmup_period.unwrap_or(300),
        });
    let own: Vec<&ContainerInstance> = plan
        .cluster
        .container_instances
        .iter()
        .filter(|ci| ci.capacity_provider.as_deref() == Some(cp.name.as_str()))
        .collect();
    let mut types: Vec<String> = asg.instance_types.clone();
    if types.is_empty() {
        for ci in &own {
            if !types.contains(&ci.instance_type) {
                types.push(ci.instance_type.clone());
            }
        }
    }
    let known: Vec<&crate::catalog::InstanceType> =
        types.iter().filter_map(|t| catalog.get(t)).collect();
    let mut zones = asg.availability_zones.clone();
    if zones.is_empty() {
        zones = plan.cluster.availability_zones.clone();
    }
    if zones.is_empty() {
        for ci in &own {
            if !zones.contains(&ci.availability_zone) {
                zones.push(ci.availability_zone.clone());
            }
        }
    }
    let launch_type = known.first().map(|t| t.name.to_string());
    let mut template = own
        .first()
        .map(|c| (*c).clone())
        .unwrap_or_else(|| ContainerInstance::new("", launch_type.as_deref().unwrap_or(""), ""));
    template.capacity_provider = Some(cp.name.clone());
    template.status = InstanceStatus::Active;
    template.agent_connected = true;
    let reserved = template.reserved_memory.unwrap_or(0);
    let trunking = template.eni_trunking;
    let key = |t: &&&crate::catalog::InstanceType| (t.vcpus, t.memory_mib, t.max_enis, t.gpus);
    let smallest = known
        .iter()
        .min_by_key(key)
        .map(|t| Capacity::of(t, reserved, trunking));
    let largest = known
        .iter()
        .max_by_key(key)
        .map(|t| Capacity::of(t, reserved, trunking));
    let min = asg.min_size.unwrap_or(0);
    let max = asg.max_size.unwrap_or(CLUSTER_INSTANCE_QUOTA).max(min);
    Some(Group {
        provider: cp.name.clone(),
        scaling,
        termination_protection: asgp.managed_termination_protection.as_deref() == Some("ENABLED"),
        termination_policies: asg
            .termination_policies
            .iter()
            .map(|p| TerminationPolicy::parse(p))
            .collect(),
        managed_draining: asgp.managed_draining.as_deref() != Some("DISABLED"),
        min,
        max,
        desired: 0,
        launch_type,
        zones,
        template,
        smallest,
        largest,
        low_streak: 0,
        high_streak: 0,
        said: None,
        next_id: 1,
    })
}

/// Fargate Spot reclaims interrupted task `t` (two minutes after its warning).
pub(super) fn reclaim(w: &mut World, t: TaskId) {
    if w.task(t).state != TaskState::Stopped {
        w.stop_now(
            t,
            "Fargate Spot reclaimed the capacity two minutes after the interruption warning".into(),
        );
    }
}

impl Providers {
    /// Every instance's life so far.
    pub fn lives(&self) -> Vec<InstanceLife> {
        self.instances.iter().map(|i| i.life.clone()).collect()
    }

    /// Reads the plan's capacity providers and the instances already registered; launches
    /// what an Auto Scaling group needs to reach its desired capacity. Runs once.
    pub fn init(&mut self, w: &mut World) {
        if self.ready {
            return;
        }
        let plan: &Plan = w.plan;
        let mut st = Providers {
            ready: true,
            catalog: Some(
                crate::cluster::plan_catalog(plan).unwrap_or_else(|_| Catalog::builtin().clone()),
            ),
            spot_rate: plan
                .settings
                .as_ref()
                .and_then(|s| s.simulation.as_ref())
                .and_then(|s| s.fargate_spot_interruption_rate)
                .filter(|r| r.is_finite() && *r > 0.0)
                .unwrap_or(0.0),
            seed: w.placement.seed,
            // Kept as asked before the start (a test's plain answers).
            busy: self.busy.clone(),
            ..Providers::default()
        };
        let catalog = st.catalog.as_ref().expect("set above");
        st.groups = plan
            .cluster
            .capacity_providers
            .iter()
            .filter_map(|cp| group_of(cp, plan, catalog))
            .collect();
        for (i, n) in w.placement.cluster.indexed() {
            let group = n
                .capacity_provider
                .as_deref()
                .and_then(|p| st.groups.iter().position(|g| g.provider == p));
            st.instances.push(Instance {
                group,
                node: Some(i),
                life: InstanceLife {
                    instance: n.id.clone(),
                    instance_type: n.instance_type.clone(),
                    availability_zone: n.availability_zone.clone(),
                    capacity_provider: n.capacity_provider.clone(),
                    launched: None,
                    registered: Some(0),
                    draining: (n.status == InstanceStatus::Draining).then_some(0),
                    terminated: None,
                    state: if n.status == InstanceStatus::Draining {
                        InstanceState::Draining
                    } else {
                        InstanceState::InService
                    },
                },
            });
        }
        *self = st;
        // The group's desired capacity: its DesiredCapacity within MinSize/MaxSize, and never
        // below what the plan already runs.
        for g in 0..self.groups.len() {
            let have = self.alive(g);
            let plan_asg = w
                .plan
                .cluster
                .capacity_providers
                .iter()
                .find(|c| c.name == self.groups[g].provider)
                .and_then(|c| c.auto_scaling_group.as_ref());
            let (provider, min, max) = {
                let gr = &self.groups[g];
                (gr.provider.clone(), gr.min, gr.max)
            };
            let asked = plan_asg
                .and_then(|a| a.desired_capacity)
                .unwrap_or(have)
                .clamp(min, max);
            self.groups[g].desired = asked.max(have);
            if asked > have {
                let msg = format!(
                    "Auto Scaling group of {provider}: DesiredCapacity {asked} (MinSize {min}, MaxSize {max}), {have} instance{} registered: launching {}",
                    if have == 1 { "" } else { "s" },
                    asked - have
                );
                w.note(EventKind::AsgDesired, None, None, msg);
                self.fit_to_desired(w, g);
            }
        }
    }

    /// The minute's instances and desired capacity per Auto Scaling group provider, and its
    /// CapacityProviderReservation when managed scaling is on (only then does ECS publish it).
    pub fn minute_sample(&mut self, w: &World) -> Vec<ProviderMinute> {
        let mut out = Vec::new();
        let mut published = Vec::with_capacity(self.groups.len());
        for (g, counts) in self.running_instances(w).into_iter().enumerate() {
            let r = self.reservation_with(w, g, counts);
            let managed = self.groups[g].scaling.is_some();
            out.push(ProviderMinute {
                name: self.groups[g].provider.clone(),
                instances: r.n,
                reservation: managed.then_some(r.reservation),
                desired: self.groups[g].desired,
            });
            published.push(managed.then_some(r));
        }
        self.published = Some((w.now, published));
        out
    }

    /// Managed scaling of the Auto Scaling group capacity providers for this minute, and the
    /// minute's Fargate Spot interruptions.
    pub fn minute(&mut self, w: &mut World) {
        self.init(w);
        self.spot_minute(w);
        // The metric the minute's sample published, when nothing has changed since.
        let published = self
            .published
            .take()
            .filter(|(t, _)| *t == w.now)
            .map(|(_, r)| r);
        for g in 0..self.groups.len() {
            let drained = self.finish_draining(w, g);
            if let Some(sc) = self.groups[g].scaling {
                let r = match published.as_ref().and_then(|p| p.get(g).cloned().flatten()) {
                    Some(r) if !drained => r,
                    _ => self.group_reservation(w, g),
                };
                self.target_track(w, g, &r, sc);
            }
            self.fit_to_desired(w, g);
        }
    }

    /// CapacityProviderReservation of group `g` now.
    pub fn group_reservation(&self, w: &World, g: usize) -> Reservation {
        let mut n = 0;
        let mut busy = 0;
        let mut asking = self.busy.asking(w);
        for inst in &self.instances {
            if inst.group != Some(g) || inst.life.state != InstanceState::InService {
                continue;
            }
            let Some(node) = inst.node else { continue };
            n += 1;
            if asking.has_non_daemon_tasks(node) {
                busy += 1;
            }
        }
        drop(asking);
        self.reservation_with(w, g, (n, busy))
    }

    /// Per group, its instances that run (in service and registered) and how many of them run
    /// a task that is not a daemon's: what [`Providers::group_reservation`] counts, for every
    /// group in one pass over the instances.
    fn running_instances(&self, w: &World) -> Vec<(u32, u32)> {
        let mut out = vec![(0, 0); self.groups.len()];
        let mut busy = self.busy.asking(w);
        for inst in &self.instances {
            let Some(g) = inst.group.filter(|g| *g < out.len()) else {
                continue;
            };
            if inst.life.state != InstanceState::InService {
                continue;
            }
            let Some(node) = inst.node else { continue };
            out[g].0 += 1;
            if busy.has_non_daemon_tasks(node) {
                out[g].1 += 1;
            }
        }
        out
    }

    /// CapacityProviderReservation of group `g` with `(n, busy)` of its instances running
    /// and running a task that is not a daemon's.
    fn reservation_with(&self, w: &World, g: usize, (n, busy): (u32, u32)) -> Reservation {
        let group = &self.groups[g];
        let mut waiting: Vec<WaitingGroup> = Vec::new();
        let mut by_spec: Vec<(SpecIx, u32)> = Vec::new();
        // The tasks in PROVISIONING, in the same order as all of them.
        for task in w.provisioning_tasks() {
            if task.state != TaskState::Provisioning || task.stopping {
                continue;
            }
            let spec = w.ptask(task.ptask).spec;
            match by_spec.iter_mut().find(|(s, _)| *s == spec) {
                Some((_, c)) => *c += 1,
                None => by_spec.push((spec, 1)),
            }
        }
        for (spec, count) in by_spec {
            let sp = &w.placement.specs[spec];
            if !matches!(&sp.launch, Launch::Provider { name } if *name == group.provider) {
                continue;
            }
            let distinct = sp
                .constraints
                .iter()
                .any(|c| matches!(c, Constraint::DistinctInstance));
            match waiting
                .iter_mut()
                .find(|w| w.demand == sp.demand && w.distinct_instance == distinct)
            {
                Some(w) => w.tasks += count,
                None => waiting.push(WaitingGroup {
                    demand: sp.demand.clone(),
                    distinct_instance: distinct,
                    tasks: count,
                }),
            }
        }
        let sc = group.scaling.unwrap_or(Scaling {
            target: 100,
            min_step: 1,
            max_step: 10000,
            warmup: 300,
        });
        reservation::reservation(&reservation::Inputs {
            instances: n,
            busy,
            waiting: &waiting,
            smallest: group.smallest.clone(),
            largest: group.largest.clone(),
            min_step: sc.min_step,
            max_step: sc.max_step,
            target_capacity: sc.target,
        })
    }

    /// The group's instances that count against its desired capacity.
    fn alive(&self, g: usize) -> u32 {
        self.instances
            .iter()
            .filter(|i| {
                i.group == Some(g)
                    && matches!(
                        i.life.state,
                        InstanceState::Launching | InstanceState::InService
                    )
            })
            .count() as u32
    }

    /// Target tracking on CapacityProviderReservation.
    fn target_track(&mut self, w: &mut World, g: usize, r: &Reservation, sc: Scaling) {
        let target = sc.target as f64;
        let now = w.now;
        let (min, max, desired) = {
            let gr = &self.groups[g];
            (gr.min, gr.max, gr.desired)
        };
        let name = self.groups[g].provider.clone();
        if r.reservation > target {
            let gr = &mut self.groups[g];
            gr.low_streak = 0;
            gr.high_streak += 1;
            if gr.high_streak < SCALE_OUT_DATAPOINTS {
                return;
            }
            // Further scale-out waits until every instance is past its warm-up.
            let young = self
                .instances
                .iter()
                .filter(|i| i.group == Some(g) && i.life.state != InstanceState::Terminated)
                .filter_map(|i| i.life.launched.map(|l| (l, &i.life.instance)))
                .filter(|(l, _)| now < l + sc.warmup)
                .max_by_key(|(l, _)| *l)
                .map(|(l, id)| (l, id.clone()));
            let want = if r.n == 0 {
                2
            } else {
                ((r.m as u64 * 100).div_ceil(sc.target as u64)) as u32
            };
            let want = want.clamp(min, max);
            if want <= desired {
                if want >= max && desired >= max && r.waiting > 0 {
                    self.say_once(
                        w,
                        g,
                        "max-size",
                        format!(
                            "capacity provider {name}: {}; the Auto Scaling group is at its MaxSize {max}, so the tasks wait in PROVISIONING",
                            r.explain()
                        ),
                    );
                }
                return;
            }
            if let Some((l, id)) = young {
                self.say_once(
                    w,
                    g,
                    &format!("warm-up {id}"),
                    format!(
                        "capacity provider {name}: {}; scale-out waits for instanceWarmupPeriod ({} s): {id} launched at {} is warm at {}",
                        r.explain(),
                        sc.warmup,
                        super::duration_label(l),
                        super::duration_label(l + sc.warmup)
                    ),
                );
                return;
            }
            let how = if r.n == 0 {
                "from no instance the first scale-out goes to 2 instances (200 %)".to_string()
            } else {
                format!(
                    "target tracking on targetCapacity {}: ceil(M {} × 100 / {}) = {}",
                    sc.target,
                    r.m,
                    sc.target,
                    (r.m as u64 * 100).div_ceil(sc.target as u64)
                )
            };
            let bound =
                if want == max && want < ((r.m as u64 * 100).div_ceil(sc.target as u64)) as u32 {
                    format!(" (held at MaxSize {max})")
                } else {
                    String::new()
                };
            let msg = format!(
                "capacity provider {name} scales out: desired capacity {desired} → {want}{bound}. {} is above targetCapacity {}% ({} datapoint); {how}",
                r.explain(),
                sc.target,
                SCALE_OUT_DATAPOINTS
            );
            self.groups[g].desired = want;
            self.groups[g].said = None;
            w.note(
                EventKind::ClusterScaleOut {
                    from: desired,
                    to: want,
                },
                None,
                None,
                msg,
            );
        } else if r.reservation < target {
            let gr = &mut self.groups[g];
            gr.high_streak = 0;
            gr.low_streak += 1;
            if gr.low_streak < SCALE_IN_DATAPOINTS {
                return;
            }
            let goal = (((r.m as u64) * 100).div_ceil(sc.target as u64) as u32).max(min);
            if goal >= desired {
                return;
            }
            // Less than half of the group per minute, at least one instance.
            let step = (desired.div_ceil(2).saturating_sub(1)).max(1);
            let want = goal.max(desired.saturating_sub(step));
            let msg = format!(
                "capacity provider {name} scales in: desired capacity {desired} → {want}. {} has been below targetCapacity {}% for {} datapoints (the low alarm needs {SCALE_IN_DATAPOINTS}); target tracking asks for ceil(M {} × 100 / {}) = {goal}{}; a scale-in step removes less than half of the group per minute",
                r.explain(),
                sc.target,
                gr.low_streak,
                r.m,
                sc.target,
                if goal == min && min > 0 { format!(" (MinSize {min})") } else { String::new() },
            );
            gr.desired = want;
            gr.said = None;
            w.note(
                EventKind::ClusterScaleIn {
                    from: desired,
                    to: want,
                },
                None,
                None,
                msg,
            );
        } else {
            let gr = &mut self.groups[g];
            gr.low_streak = 0;
            gr.high_streak = 0;
        }
    }

    /// Records why scaling cannot act, once per reason (`key`) until it acts again.
    fn say_once(&mut self, w: &mut World, g: usize, key: &str, msg: String) {
        if self.groups[g].said.as_deref() == Some(key) {
            return;
        }
        self.groups[g].said = Some(key.to_string());
        w.note(EventKind::ClusterScaleOutBlocked, None, None, msg);
    }

    /// Launches or terminates instances until the group has its desired capacity.
    fn fit_to_desired(&mut self, w: &mut World, g: usize) {
        let desired = self.groups[g].desired;
        let alive = self.alive(g);
        if alive < desired {
            for _ in alive..desired {
                if !self.launch_instance(w, g) {
                    break;
                }
            }
        } else if alive > desired {
            let mut excess = alive - desired;
            while excess > 0 {
                let Some((i, why)) = self.scale_in_choice(w, g) else {
                    break;
                };
                self.retire(w, i, &why);
                excess -= 1;
            }
        }
    }

    /// The instance the group's scale-in takes next, and why: with managed termination
    /// protection only instances without non-daemon tasks; then zone balance and the group's
    /// termination policies ([`termination`]).
    fn scale_in_choice(&self, w: &World, g: usize) -> Option<(usize, String)> {
        let protect = self.groups[g].termination_protection;
        let mut per_zone: Vec<(&str, u32)> = Vec::new();
        for inst in &self.instances {
            if inst.group == Some(g)
                && matches!(
                    inst.life.state,
                    InstanceState::Launching | InstanceState::InService
                )
            {
                let z = inst.life.availability_zone.as_str();
                match per_zone.iter_mut().find(|(a, _)| *a == z) {
                    Some((_, c)) => *c += 1,
                    None => per_zone.push((z, 1)),
                }
            }
        }
        let zone_count = |z: &str| per_zone.iter().find(|(a, _)| *a == z).map_or(0, |x| x.1);
        let eligible: Vec<usize> = (0..self.instances.len())
            .filter(|i| {
                let inst = &self.instances[*i];
                inst.group == Some(g)
                    && inst.life.state == InstanceState::InService
                    && inst
                        .node
                        .is_some_and(|n| !protect || !self.busy.has_non_daemon_tasks(w, n))
            })
            .collect();
        let candidates: Vec<Candidate> = eligible
            .iter()
            .map(|i| {
                let life = &self.instances[*i].life;
                Candidate {
                    id: &life.instance,
                    zone: &life.availability_zone,
                    launched: life.launched,
                    zone_count: zone_count(&life.availability_zone),
                }
            })
            .collect();
        let (k, why) =
            termination::choose(&self.groups[g].termination_policies, &candidates, w.now)?;
        Some((eligible[k], why))
    }

    /// Takes instance `i` out of service: DRAINING first with managed draining when non-daemon
    /// tasks (a service's or standalone) run on it, else terminated now.
    fn retire(&mut self, w: &mut World, i: usize, chosen: &str) {
        let g = self.instances[i].group.expect("a group's instance");
        let Some(node) = self.instances[i].node else {
            return;
        };
        let protect = self.groups[g].termination_protection;
        let why = if protect {
            format!("scale-in: managed termination protection lifted the protection of this instance, which runs no non-daemon task ({chosen})")
        } else {
            format!("scale-in: the Auto Scaling group's termination policy chose this instance ({chosen})")
        };
        let why = why.as_str();
        let service_tasks = service_tasks_on(w, node);
        if self.groups[g].managed_draining && self.busy.has_non_daemon_tasks(w, node) {
            w.drain_node(node);
            let inst = &mut self.instances[i];
            inst.life.state = InstanceState::Draining;
            inst.life.draining = Some(w.now);
            for &t in &service_tasks {
                w.task_mut(t).displaced = true;
            }
            let id = inst.life.instance.clone();
            let standalone = w.placement.state.usage[node]
                .tasks
                .iter()
                .filter(|t| matches!(w.ptask(**t).source, Source::Run { .. }))
                .count();
            let mut tasks = match service_tasks.len() {
                0 if standalone > 0 => String::new(),
                0 => "its service tasks are already stopping".to_string(),
                1 => "its service task is replaced within minimumHealthyPercent and maximumPercent"
                    .to_string(),
                n => format!(
                    "its {n} service tasks are replaced within minimumHealthyPercent and maximumPercent"
                ),
            };
            if standalone > 0 {
                if !tasks.is_empty() {
                    tasks.push_str("; ");
                }
                tasks.push_str(&match standalone {
                    1 => "its standalone task runs on until it stops (draining does not stop standalone tasks)".to_string(),
                    n => format!("its {n} standalone tasks run on until they stop (draining does not stop standalone tasks)"),
                });
            }
            w.note(
                EventKind::InstanceDraining,
                None,
                Some(id),
                format!(
                    "{why}. Managed draining: the container instance is DRAINING; {tasks}, and it is terminated once no task but daemons is left"
                ),
            );
        } else {
            self.terminate(w, i, why);
        }
    }

    /// Terminates DRAINING instances of group `g` whose non-daemon tasks (service and
    /// standalone) are all gone; whether it terminated any.
    fn finish_draining(&mut self, w: &mut World, g: usize) -> bool {
        let mut any = false;
        for i in 0..self.instances.len() {
            let inst = &self.instances[i];
            if inst.group != Some(g) || inst.life.state != InstanceState::Draining {
                continue;
            }
            let Some(node) = inst.node else { continue };
            if !self.busy.has_non_daemon_tasks(w, node) {
                self.terminate(
                    w,
                    i,
                    "managed draining is done: no service or standalone task is left on the instance",
                );
                any = true;
            }
        }
        any
    }

    /// Terminates instance `i` now: whatever runs on it stops.
    fn terminate(&mut self, w: &mut World, i: usize, why: &str) {
        let Some(node) = self.instances[i].node else {
            return;
        };
        let on: Vec<TaskIx> = w.placement.state.usage[node].tasks.clone();
        let id = self.instances[i].life.instance.clone();
        for p in on {
            if let Some(t) = w.task_of_ptask(p) {
                if w.task(t).state != TaskState::Stopped {
                    w.stop_now(
                        t,
                        format!(
                            "the container instance {id} was terminated; the task stopped with it"
                        ),
                    );
                }
            }
        }
        w.retire_node(node);
        let inst = &mut self.instances[i];
        inst.life.state = InstanceState::Terminated;
        inst.life.terminated = Some(w.now);
        w.note(
            EventKind::InstanceTerminated,
            None,
            Some(id),
            format!("{why}; the instance is terminated and deregistered"),
        );
    }

    /// The group launches one instance; `false` when it cannot (no instance type).
    fn launch_instance(&mut self, w: &mut World, g: usize) -> bool {
        let Some(instance_type) = self.groups[g].launch_type.clone() else {
            let name = self.groups[g].provider.clone();
            self.say_once(
                w,
                g,
                "no-type",
                format!("capacity provider {name}: its Auto Scaling group has no instance type the planner knows (set autoScalingGroup.InstanceTypes), so it cannot launch instances"),
            );
            return false;
        };
        let count = |z: &str| {
            self.instances
                .iter()
                .filter(|i| {
                    i.group == Some(g)
                        && i.life.availability_zone == z
                        && matches!(
                            i.life.state,
                            InstanceState::Launching | InstanceState::InService
                        )
                })
                .count()
        };
        let zone = self.groups[g]
            .zones
            .iter()
            .enumerate()
            .min_by_key(|(k, z)| (count(z), *k))
            .map(|(_, z)| z.clone())
            .unwrap_or_else(|| "us-east-1a".to_string());
        let provider = self.groups[g].provider.clone();
        let id = loop {
            let n = self.groups[g].next_id;
            self.groups[g].next_id += 1;
            let id = format!("i-{provider}-{n}");
            if !self.instances.iter().any(|i| i.life.instance == id) {
                break id;
            }
        };
        let now = w.now;
        self.instances.push(Instance {
            group: Some(g),
            node: None,
            life: InstanceLife {
                instance: id.clone(),
                instance_type: instance_type.clone(),
                availability_zone: zone.clone(),
                capacity_provider: Some(provider.clone()),
                launched: Some(now),
                registered: None,
                draining: None,
                terminated: None,
                state: InstanceState::Launching,
            },
        });
        let instance = (self.instances.len() - 1) as u32;
        let at = now + w.timings.instance_launch;
        w.push(at, Ev::Register { instance });
        w.note(
            EventKind::InstanceLaunched,
            None,
            Some(id),
            format!(
                "the Auto Scaling group of {provider} launched a {instance_type} in {zone}; it registers with the cluster at {}",
                super::duration_label(at)
            ),
        );
        true
    }

    /// Launched instance `i` registers with the cluster.
    pub fn register(&mut self, w: &mut World, i: usize) {
        if self.instances[i].life.state != InstanceState::Launching {
            return;
        }
        let g = self.instances[i].group.expect("launched by a group");
        let mut ci = self.groups[g].template.clone();
        ci.id = self.instances[i].life.instance.clone();
        ci.instance_type = self.instances[i].life.instance_type.clone();
        ci.availability_zone = self.instances[i].life.availability_zone.clone();
        ci.subnet_id = None;
        let Some(node) = self.resolve_node(w.plan, ci) else {
            return;
        };
        let index = w.add_node(node);
        let inst = &mut self.instances[i];
        inst.node = Some(index);
        inst.life.registered = Some(w.now);
        inst.life.state = InstanceState::InService;
        let id = inst.life.instance.clone();
        w.note(
            EventKind::InstanceRegistered,
            None,
            Some(id),
            "the instance registered with the cluster (ACTIVE): tasks waiting in PROVISIONING can be placed on it".into(),
        );
    }

    fn resolve_node(&self, plan: &Plan, ci: ContainerInstance) -> Option<Node> {
        // Read from a JSON value, as the loader reads plans: reading from text would compile a
        // second copy of the plan's whole derived reader into the page (docs/performance.md).
        let mut p = Plan::deserialize(&serde_json::json!({ "schemaVersion": 1 })).ok()?;
        p.region = plan.region.clone();
        p.cluster.availability_zones = vec![ci.availability_zone.clone()];
        p.cluster.container_instances = vec![ci];
        let catalog = self.catalog.as_ref()?;
        crate::cluster::resolve(&p, catalog)
            .0
            .nodes
            .into_iter()
            .next()
    }

    /// The minute's Fargate Spot interruptions.
    fn spot_minute(&mut self, w: &mut World) {
        let rate = self.spot_rate;
        if rate <= 0.0 {
            return;
        }
        let p = 1.0 - (-rate / 60.0).exp();
        // Only tasks on Fargate Spot can be interrupted (the checks below, made first without
        // the copy of every live task; stopping one task changes no other's).
        let on_spot = |t: &TaskId| {
            let spec = w.placed(*t).spec;
            matches!(&w.placement.specs[spec].launch, Launch::Fargate { provider } if provider == "FARGATE_SPOT")
        };
        let live: Vec<TaskId> = w.live_tasks().filter(on_spot).collect();
        for t in live {
            let task = w.task(t);
            if task.stopping
                || !matches!(
                    task.state,
                    TaskState::Pending | TaskState::Activating | TaskState::Running
                )
            {
                continue;
            }
            let spec = w.placed(t).spec;
            if !matches!(&w.placement.specs[spec].launch, Launch::Fargate { provider } if provider == "FARGATE_SPOT")
            {
                continue;
            }
            if unit_draw(self.seed, t.0 as u64, w.now as u64) >= p {
                continue;
            }
            let s = task.service;
            let then = if w.services[s].standalone() {
                "Nothing replaces a standalone task"
            } else {
                "The service scheduler starts a replacement on FARGATE_SPOT"
            };
            w.event(
                EventKind::SpotInterruption,
                Some(s),
                Some(t),
                format!("Your Spot Task was interrupted. (stopCode TerminationNotice) Two-minute warning: the task state change event and SIGTERM now; Fargate stops the task two minutes later at the latest. {then}"),
            );
            w.stop_task(t, "Fargate Spot interruption (TerminationNotice)");
            w.push(w.now + SPOT_WARNING_SECONDS, Ev::SpotReclaim { task: t });
        }
    }
}

/// A seeded draw in [0, 1) for the seed, a task and a second.
fn unit_draw(seed: u64, a: u64, b: u64) -> f64 {
    // The constant keeps the draws the planner made before the mix was shared.
    const SALT: u64 = 0x1656_67B1_9E37_79F9u64.wrapping_sub(seeded::GOLDEN);
    let h = seeded::mix(
        seed.wrapping_add(a.wrapping_mul(seeded::GOLDEN))
            .wrapping_add(b.wrapping_mul(0xC2B2_AE3D_27D4_EB4F))
            .wrapping_add(SALT),
    );
    seeded::unit(h)
}

/// The active service tasks (not daemons: draining leaves standalone tasks alone,
/// `container-instance-draining`) on instance `node`, in task order: found from the tasks the
/// placement has on the instance, not by a pass over every live task of the cluster.
fn service_tasks_on(w: &World, node: InstanceIx) -> Vec<TaskId> {
    let wanted = |t: TaskId| {
        w.is_active(t)
            && w.node_of(t) == Some(node)
            && !is_daemon(w, w.task(t).ptask)
            && !w.services[w.task(t).service].standalone()
    };
    let mut on: Vec<TaskId> = w.placement.state.usage[node]
        .tasks
        .iter()
        .filter_map(|&pt| w.task_of_ptask(pt))
        .filter(|&t| wanted(t))
        .collect();
    on.sort_unstable();
    on.dedup();
    // Every simulation the tests run checks the tasks found against a pass over every live task.
    #[cfg(test)]
    assert_eq!(
        on,
        w.live_tasks().filter(|&t| wanted(t)).collect::<Vec<_>>(),
        "the service tasks on an instance"
    );
    on
}
