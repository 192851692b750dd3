//! The CapacityProviderReservation metric (CPR) of an Auto Scaling group capacity provider,
//! as a pure function of the provider's instances and the tasks waiting for it.
//!
//! Sources: `cluster-auto-scaling.md` ("Managed scale-out behavior", "Managed scale-in
//! behavior"), the current guide's `managed-scaling-behavior` page and AWS's blog "Deep dive on
//! Amazon ECS cluster auto scaling", summarised in `ecs-semantics.md` §2.4:
//!
//! ```text
//! CPR = M / N × 100
//! N   = instances of the provider's Auto Scaling group that run (registered, ACTIVE)
//! M   = no task waiting in PROVISIONING: instances running at least one non-daemon task
//!       tasks waiting: N + X, X estimated by binpacking the waiting tasks
//! N = 0, M = 0 → 100;  N = 0, M > 0 → 200
//! ```
//!
//! X: the waiting tasks are grouped by identical requirements; each group is binpacked on
//! hypothetical instances of the group's largest instance type (the "maximum calculated
//! instance count"); a group that cannot fit one task on the smallest type is left out. When
//! every group is left out, scaling stops and the metric stays at `targetCapacity` (the 2023
//! guide said 100). The count is then held between the step sizes: `minimumScalingStepSize`
//! when it is smaller, else at most `maximumScalingStepSize`.
//!
//! \[INFER\] X is the largest count over the groups (AWS calls the estimate a lower bound and
//! does not say how groups combine).

use crate::catalog::InstanceType;
use crate::placement::demand::Demand;
use serde::Serialize;

/// What one empty instance of a type offers to tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Capacity {
    pub instance_type: String,
    /// CPU units.
    pub cpu: u32,
    /// MiB, as the agent registers it.
    pub memory_mib: u32,
    pub gpus: u32,
    /// `awsvpc` tasks the instance can run.
    pub eni_slots: u32,
    /// Host ports in the dynamic range.
    pub dynamic_ports: u32,
}

impl Capacity {
    /// An empty instance of type `t` with `reserved_mib` of `ECS_RESERVED_MEMORY`.
    pub fn of(t: &InstanceType, reserved_mib: u32, trunking: bool) -> Capacity {
        let r = t.registered(reserved_mib, None);
        let (lo, hi) = crate::cluster::DEFAULT_DYNAMIC_PORTS;
        Capacity {
            instance_type: t.name.to_string(),
            cpu: r.cpu,
            memory_mib: r.memory_mib,
            gpus: r.gpus,
            eni_slots: t.awsvpc_task_limit(trunking),
            dynamic_ports: hi as u32 - lo as u32 + 1,
        }
    }

    /// How many tasks of one group fit on one empty instance (`u32::MAX` when nothing limits).
    pub fn fits(&self, d: &Demand, distinct_instance: bool) -> u32 {
        let per = |cap: u32, need: u32| cap.checked_div(need).unwrap_or(u32::MAX);
        let mut n = per(self.cpu, d.cpu)
            .min(per(self.memory_mib, d.memory))
            .min(per(self.gpus, d.gpus))
            .min(per(self.dynamic_ports, d.dynamic_ports));
        if d.needs_eni {
            n = n.min(self.eni_slots);
        }
        if !d.static_ports.is_empty() || distinct_instance {
            // A static host port is bound once per instance.
            n = n.min(1);
        }
        n
    }
}

/// Tasks waiting in PROVISIONING for the provider that need exactly the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingGroup {
    pub demand: Demand,
    /// The tasks carry a `distinctInstance` constraint (one per instance).
    pub distinct_instance: bool,
    pub tasks: u32,
}

/// Everything the metric depends on.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    /// N: running (registered, ACTIVE) instances of the group.
    pub instances: u32,
    /// Instances with at least one non-daemon task.
    pub busy: u32,
    pub waiting: &'a [WaitingGroup],
    /// The group's smallest and largest instance types (by vCPU, memory, ENIs, GPUs).
    pub smallest: Option<Capacity>,
    pub largest: Option<Capacity>,
    pub min_step: u32,
    pub max_step: u32,
    pub target_capacity: u32,
}

/// Which rule gave the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Case {
    /// No task waiting: M = instances with non-daemon tasks.
    Steady,
    /// No instance and no task waiting: 100.
    Empty,
    /// Tasks waiting: M = N + X.
    Provisioning,
    /// Tasks waiting and no instance: 200 (scale out from zero).
    FromZero,
    /// Tasks waiting, none fits the smallest instance type: scaling stops at `targetCapacity`.
    Incompatible,
}

/// One group's binpack estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupEstimate {
    pub tasks: u32,
    /// Tasks per instance of the largest type (`None`: nothing limits).
    pub per_instance: Option<u32>,
    /// Instances of the largest type the group needs; `None` when it does not fit the
    /// smallest type and is left out.
    pub instances: Option<u32>,
}

/// The metric and how it was reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reservation {
    pub n: u32,
    pub m: u32,
    /// Percent.
    pub reservation: f64,
    pub case: Case,
    /// The binpack estimate before the step sizes (largest over the groups).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<u32>,
    /// X after the step sizes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupEstimate>,
    pub waiting: u32,
}

/// CapacityProviderReservation for the inputs.
pub fn reservation(i: &Inputs) -> Reservation {
    let waiting: u32 = i.waiting.iter().map(|g| g.tasks).sum();
    let mut r = Reservation {
        n: i.instances,
        m: 0,
        reservation: 100.0,
        case: Case::Steady,
        estimate: None,
        extra: None,
        groups: Vec::new(),
        waiting,
    };
    if waiting == 0 {
        r.m = i.busy.min(i.instances);
        if i.instances == 0 {
            r.case = Case::Empty;
            r.reservation = 100.0;
        } else {
            r.reservation = r.m as f64 * 100.0 / i.instances as f64;
        }
        return r;
    }
    let mut count: Option<u32> = None;
    for g in i.waiting.iter().filter(|g| g.tasks > 0) {
        let compatible = i
            .smallest
            .as_ref()
            .is_some_and(|c| c.fits(&g.demand, g.distinct_instance) >= 1);
        let per = i
            .largest
            .as_ref()
            .map(|c| c.fits(&g.demand, g.distinct_instance))
            .filter(|p| *p >= 1);
        let instances = match (compatible, per) {
            (true, Some(p)) => Some(g.tasks.div_ceil(p).max(1)),
            _ => None,
        };
        if let Some(n) = instances {
            count = Some(count.map_or(n, |c: u32| c.max(n)));
        }
        r.groups.push(GroupEstimate {
            tasks: g.tasks,
            per_instance: per.filter(|p| *p != u32::MAX),
            instances,
        });
    }
    let Some(count) = count else {
        r.case = Case::Incompatible;
        r.m = i.instances;
        r.reservation = i.target_capacity as f64;
        return r;
    };
    let min_step = i.min_step.max(1);
    let max_step = i.max_step.max(min_step);
    let x = if count < min_step {
        min_step
    } else {
        count.min(max_step)
    };
    r.estimate = Some(count);
    r.extra = Some(x);
    r.m = i.instances + x;
    if i.instances == 0 {
        r.case = Case::FromZero;
        r.reservation = 200.0;
    } else {
        r.case = Case::Provisioning;
        r.reservation = r.m as f64 * 100.0 / i.instances as f64;
    }
    r
}

impl Reservation {
    /// "CPR 150% = M 3 / N 2 × 100 (2 tasks waiting: binpack needs 1 more instance)".
    pub fn explain(&self) -> String {
        let head = format!("CapacityProviderReservation {}%", trim(self.reservation));
        match self.case {
            Case::Steady => format!(
                "{head} = M {} / N {} × 100 (M: instances running a non-daemon task; {} empty)",
                self.m,
                self.n,
                self.n - self.m
            ),
            Case::Empty => format!("{head}: no instance and no task waiting"),
            Case::Provisioning => format!(
                "{head} = M {} / N {} × 100 (M = N + X: {} task{} waiting in PROVISIONING, binpack on the largest type needs {}, step sizes make X {})",
                self.m,
                self.n,
                self.waiting,
                plural(self.waiting),
                self.estimate.unwrap_or(0),
                self.extra.unwrap_or(0)
            ),
            Case::FromZero => format!(
                "{head}: no instance and {} task{} waiting in PROVISIONING (N = 0, M {} > 0)",
                self.waiting,
                plural(self.waiting),
                self.m
            ),
            Case::Incompatible => format!(
                "{head} (held at targetCapacity): {} task{} waiting, but none fits the group's smallest instance type, so scaling stops",
                self.waiting,
                plural(self.waiting)
            ),
        }
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// 150.0 → "150", 66.666 → "66.7".
pub fn trim(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::plan::NetworkMode;

    fn demand(cpu: u32, memory: u32) -> Demand {
        Demand {
            cpu,
            memory,
            gpus: 0,
            network_mode: NetworkMode::Bridge,
            static_ports: Vec::new(),
            dynamic_ports: 0,
            needs_eni: false,
        }
    }

    fn cap(t: &str) -> Capacity {
        Capacity::of(Catalog::builtin().get(t).unwrap(), 0, false)
    }

    fn inputs<'a>(n: u32, busy: u32, waiting: &'a [WaitingGroup]) -> Inputs<'a> {
        Inputs {
            instances: n,
            busy,
            waiting,
            smallest: Some(cap("m5.large")),
            largest: Some(cap("m5.large")),
            min_step: 1,
            max_step: 10000,
            target_capacity: 100,
        }
    }

    fn group(cpu: u32, memory: u32, tasks: u32) -> WaitingGroup {
        WaitingGroup {
            demand: demand(cpu, memory),
            distinct_instance: false,
            tasks,
        }
    }

    // cluster-auto-scaling.md, "How cluster Auto Scaling works": 100% when every instance runs
    // a non-daemon task.
    #[test]
    fn all_instances_busy_is_100() {
        let r = reservation(&inputs(4, 4, &[]));
        assert_eq!((r.m, r.n, r.reservation), (4, 4, 100.0));
        assert_eq!(r.case, Case::Steady);
    }

    // "Managed scale-in behavior": empty instances (daemon tasks only count as empty) bring
    // the metric under 100; ecs-semantics.md §2.4 reads it as M/N: 2 empty of 10 → 80%.
    #[test]
    fn two_empty_of_ten_is_80() {
        let r = reservation(&inputs(10, 8, &[]));
        assert_eq!((r.m, r.reservation), (8, 80.0));
        assert!(r.explain().contains("2 empty"), "{}", r.explain());
    }

    // ecs-semantics.md §2.4 special cases: N = 0 and M = 0 → 100; N = 0 and M > 0 → 200.
    #[test]
    fn no_instances() {
        let r = reservation(&inputs(0, 0, &[]));
        assert_eq!((r.reservation, r.case), (100.0, Case::Empty));
        let w = [group(256, 512, 1)];
        let r = reservation(&inputs(0, 0, &w));
        assert_eq!((r.reservation, r.case), (200.0, Case::FromZero));
        assert!(r.m > 0);
    }

    // "Managed scale-out behavior", step 4: binpack each group on the largest type. An
    // m5.large registers 2048 CPU units: 1024-unit tasks fit 2 per instance, so 5 waiting
    // tasks need 3 instances: M = N + 3.
    #[test]
    fn waiting_tasks_are_binpacked_on_the_largest_type() {
        let w = [group(1024, 1024, 5)];
        let r = reservation(&inputs(2, 2, &w));
        assert_eq!(r.groups[0].per_instance, Some(2));
        assert_eq!((r.estimate, r.extra, r.m), (Some(3), Some(3), 5));
        assert_eq!(r.reservation, 250.0);
        assert_eq!(r.case, Case::Provisioning);
    }

    // Step 5: X = minimumScalingStepSize when the estimate is smaller, else at most
    // maximumScalingStepSize.
    #[test]
    fn step_sizes_bound_x() {
        let w = [group(1024, 1024, 5)];
        let mut i = inputs(2, 2, &w);
        i.max_step = 2;
        let r = reservation(&i);
        assert_eq!((r.estimate, r.extra, r.m), (Some(3), Some(2), 4));
        i.max_step = 10000;
        i.min_step = 4;
        let r = reservation(&i);
        assert_eq!((r.extra, r.m), (Some(4), 6));
    }

    // Step 3: the largest type gives the count, the smallest is the compatibility check.
    #[test]
    fn largest_counts_smallest_excludes() {
        let w = [group(2048, 4096, 8)];
        let mut i = inputs(1, 1, &w);
        i.smallest = Some(cap("m5.large"));
        i.largest = Some(cap("m5.2xlarge")); // 8192 units: 4 per instance
        let r = reservation(&i);
        assert_eq!(r.groups[0].per_instance, Some(4));
        assert_eq!(r.extra, Some(2));
        // A task bigger than the smallest type is left out; with every group left out the
        // metric stays at targetCapacity and nothing scales.
        let big = [group(4096, 4096, 3)];
        let mut i = inputs(1, 1, &big);
        i.largest = Some(cap("m5.2xlarge"));
        i.target_capacity = 90;
        let r = reservation(&i);
        assert_eq!((r.case, r.reservation), (Case::Incompatible, 90.0));
        assert_eq!(r.groups[0].instances, None);
    }

    // [INFER] groups combine by their largest count.
    #[test]
    fn groups_combine_by_the_largest_count() {
        let w = [group(1024, 1024, 5), group(256, 7000, 2)];
        let r = reservation(&inputs(3, 3, &w));
        assert_eq!(r.groups[0].instances, Some(3));
        assert_eq!(r.groups[1].instances, Some(2));
        assert_eq!(r.extra, Some(3));
    }

    // Static host ports and distinctInstance allow one task per instance.
    #[test]
    fn static_ports_and_distinct_instance_are_one_per_instance() {
        let mut d = demand(128, 128);
        d.static_ports = vec![(80, crate::plan::Protocol::Tcp)];
        let w = [WaitingGroup {
            demand: d,
            distinct_instance: false,
            tasks: 3,
        }];
        assert_eq!(reservation(&inputs(1, 1, &w)).extra, Some(3));
        let w = [WaitingGroup {
            demand: demand(128, 128),
            distinct_instance: true,
            tasks: 4,
        }];
        assert_eq!(reservation(&inputs(1, 1, &w)).extra, Some(4));
        // awsvpc on EC2: an m5.large has 3 ENIs, so 2 tasks per instance.
        let mut d = demand(128, 128);
        d.needs_eni = true;
        d.network_mode = NetworkMode::Awsvpc;
        let w = [WaitingGroup {
            demand: d,
            distinct_instance: false,
            tasks: 5,
        }];
        assert_eq!(reservation(&inputs(1, 1, &w)).extra, Some(3));
    }

    #[test]
    fn explanations_name_the_numbers() {
        let w = [group(1024, 1024, 5)];
        let e = reservation(&inputs(2, 2, &w)).explain();
        assert!(
            e.starts_with("CapacityProviderReservation 250% = M 5 / N 2"),
            "{e}"
        );
        assert!(e.contains("5 tasks waiting"), "{e}");
        assert_eq!(trim(66.6666), "66.7");
        assert_eq!(trim(150.0), "150");
    }
}
