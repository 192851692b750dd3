//! Resilience: every Availability Zone lost in turn (`ecsplan whatif --lose-az`), and the single
//! container instance whose loss hurts most (`ecsplan whatif --remove`): per service, the tasks
//! lost with the instances, moved elsewhere and left unplaced.

use super::{Assumptions, Check, ReviewOptions, EVERY_INSTANCE_UP_TO, WORST_CANDIDATES};
use crate::findings::JsonPath;
use crate::placement::whatif::{self, Change, WhatIf};
use crate::placement::{InstanceIx, PlaceOptions, Placement, Source};
use crate::plan::Plan;
use serde::{Deserialize, Serialize};

/// Reasons kept per service (the first distinct ones).
const REASONS_KEPT: usize = 3;

/// What the plan survives: every zone lost, and the worst single instance lost.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resilience {
    /// One loss per zone of the cluster.
    pub zones: Vec<Loss>,
    /// The instance whose loss leaves the most service tasks unplaced (then moves the most).
    pub worst_instance: Option<Loss>,
    /// How many instances were lost in turn to find it, of how many.
    pub instances_tried: u32,
    /// Container instances in the plan.
    pub instances: u32,
}

/// One loss (a zone or an instance) and what it does to the services.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Loss {
    /// "lose us-east-1a", "remove i-0a1".
    pub change: String,
    /// The `ecsplan whatif` command that shows it.
    pub command: String,
    /// The zone lost, when it is a zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// Ids of the instances lost.
    pub instances: Vec<String>,
    /// Service tasks that stopped with the instances.
    pub displaced: u32,
    /// Of those, placed again elsewhere.
    pub moved: u32,
    /// Of those, left unplaced.
    pub unplaced: u32,
    /// Standalone (RunTask) tasks that stopped and are not replaced.
    pub standalone_lost: u32,
    /// Daemon tasks that stopped with the instances: a daemon runs one task per ACTIVE
    /// instance, so none is replaced elsewhere (not counted in `displaced`).
    #[serde(default)]
    pub daemon_stopped: u32,
    /// Per service, what the loss does to its tasks.
    pub services: Vec<ServiceLoss>,
}

/// What a loss does to one service's tasks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceLoss {
    /// `serviceName`.
    pub service: String,
    /// Its tasks that stopped with the instances.
    pub displaced: u32,
    /// Of those, placed again elsewhere.
    pub moved: u32,
    /// Of those, left unplaced.
    pub unplaced: u32,
    /// Why they could not be placed again (the first distinct reasons).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
}

impl Loss {
    fn of(w: &WhatIf, command: String, zone: Option<String>) -> Loss {
        let mut services: Vec<ServiceLoss> = Vec::new();
        for m in &w.moved {
            let name = m.group.strip_prefix("service:").unwrap_or(&m.group);
            let i = match services.iter().position(|s| s.service == name) {
                Some(i) => i,
                None => {
                    services.push(ServiceLoss {
                        service: name.to_string(),
                        displaced: 0,
                        moved: 0,
                        unplaced: 0,
                        reasons: Vec::new(),
                    });
                    services.len() - 1
                }
            };
            let s = &mut services[i];
            s.displaced += 1;
            if m.to.is_some() {
                s.moved += 1;
            } else {
                s.unplaced += 1;
                for r in &m.reasons {
                    if s.reasons.len() < REASONS_KEPT && !s.reasons.contains(r) {
                        s.reasons.push(r.clone());
                    }
                }
            }
        }
        let moved = w.moved.iter().filter(|m| m.to.is_some()).count() as u32;
        Loss {
            change: w.change.clone(),
            command,
            availability_zone: zone,
            instances: w.instances.clone(),
            displaced: w.moved.len() as u32,
            moved,
            unplaced: w.moved.len() as u32 - moved,
            standalone_lost: w.lost.len() as u32,
            daemon_stopped: w.daemon_stopped.len() as u32,
            services,
        }
    }
}

pub fn section(
    plan: &Plan,
    popts: &PlaceOptions,
    base: &Placement,
    opts: &ReviewOptions,
    assumptions: &mut Assumptions,
) -> Resilience {
    let mut zones = Vec::new();
    for az in &base.cluster.azs {
        let command = opts.command("whatif", &format!("--lose-az {}", super::shell_word(az)));
        if let Ok(w) =
            whatif::what_if_with_reasons(plan, popts, &Change::LoseZone(az.clone()), REASONS_KEPT)
        {
            zones.push(Loss::of(&w, command, Some(az.clone())));
        }
    }
    // Candidates for the worst single loss: every instance of a small cluster; in a large one
    // those running the most service tasks, then reserving the most memory.
    let n = base.cluster.nodes.len();
    let mut order: Vec<InstanceIx> = base.cluster.instances().collect();
    let service_tasks = |i: InstanceIx| {
        base.state.usage[i]
            .tasks
            .iter()
            .filter(|t| matches!(base.tasks[**t].source, Source::Service { .. }))
            .count()
    };
    let candidates: Vec<InstanceIx> = if n <= EVERY_INSTANCE_UP_TO {
        order
    } else {
        order.sort_by_key(|&i| {
            (
                std::cmp::Reverse(service_tasks(i)),
                std::cmp::Reverse(base.state.usage[i].memory),
                i,
            )
        });
        order.truncate(WORST_CANDIDATES);
        assumptions.bounds.push(format!(
            "The worst single instance is the worst of the {WORST_CANDIDATES} instances running the most service tasks (of {n}); `ecsplan whatif PLAN --remove ID` answers for any other."
        ));
        order
    };
    let mut worst: Option<Loss> = None;
    for &i in &candidates {
        if service_tasks(i) == 0 && worst.is_some() {
            continue;
        }
        let id = base.cluster.nodes[i].id.clone();
        let command = opts.command("whatif", &format!("--remove {}", super::shell_word(&id)));
        let Ok(w) =
            whatif::what_if_with_reasons(plan, popts, &Change::Remove(vec![id]), REASONS_KEPT)
        else {
            continue;
        };
        let loss = Loss::of(&w, command, None);
        let better = match &worst {
            None => true,
            Some(b) => (loss.unplaced, loss.displaced) > (b.unplaced, b.displaced),
        };
        if better {
            worst = Some(loss);
        }
    }
    Resilience {
        zones,
        worst_instance: worst,
        instances_tried: candidates.len() as u32,
        instances: n as u32,
    }
}

fn loss_check(id: String, name: String, l: &Loss, path: Option<JsonPath>) -> Check {
    let evidence = if l.displaced == 0 {
        format!("{}: no service task runs there", l.change)
    } else {
        let mut e = format!(
            "{}: {} service task(s) displaced, {} moved, {} left unplaced",
            l.change, l.displaced, l.moved, l.unplaced
        );
        let hurt: Vec<String> = l
            .services
            .iter()
            .filter(|s| s.unplaced > 0)
            .map(|s| format!("{} {} of {}", s.service, s.unplaced, s.displaced))
            .collect();
        if !hurt.is_empty() {
            e.push_str(&format!(" ({})", hurt.join(", ")));
        }
        e
    };
    Check {
        id,
        section: "resilience".into(),
        name,
        passed: l.unplaced == 0,
        evidence,
        command: l.command.clone(),
        gate: None,
        path,
        line: None,
        column: None,
    }
}

pub fn checks(r: &Resilience, _opts: &ReviewOptions) -> Vec<Check> {
    let mut out: Vec<Check> = r
        .zones
        .iter()
        .map(|z| {
            let az = z.availability_zone.clone().unwrap_or_default();
            loss_check(
                format!("resilience.zone.{az}"),
                format!("every service task is placed again after losing {az}"),
                z,
                None,
            )
        })
        .collect();
    if let Some(w) = &r.worst_instance {
        out.push(loss_check(
            "resilience.instance".into(),
            "every service task is placed again after losing the worst single instance".into(),
            w,
            None,
        ));
    }
    out
}
