//! What the engine measures to grade a scenario: a closed list, each computed by the same
//! engine functions the board, the time view and the validator use, so a graded answer can
//! never disagree with what the planner shows.
//!
//! A measure gives a [`Val`] (compared with choices and goals), the text shown for it, a one-line
//! detail saying why (the engine's own reason: a rejection, a deployment's end, a finding), and
//! named facts for the explanation's placeholders (`{landing.zone}`, `{rollout.reason}`).

use crate::findings::Finding;
use crate::placement::explain::explain;
use crate::placement::whatif::{self, Change};
use crate::placement::{self, Launch, Outcome, PlaceOptions, Placement, Source, TaskIx};
use crate::plan::Plan;
use crate::sim::{self, DeployOutcome, DeployRequest, DeployResult, EventKind, Timeline};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One thing the engine can measure on a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "of", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Measure {
    /// Tasks that could not be placed (of one service, or of the whole plan).
    Unplaced {
        /// `serviceName`; without it, every service.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        service: Option<String>,
    },
    /// The container instance a task lands on (`unplaced` when none).
    TaskInstance {
        /// The task's id on the board (`web-1`).
        task: String,
    },
    /// The Availability Zone a task lands in (`unplaced` when none).
    TaskZone {
        /// The task's id on the board (`web-1`).
        task: String,
    },
    /// `placed`, `pending`, `provisioning` or `fargate`.
    TaskState {
        /// The task's id on the board (`web-1`).
        task: String,
    },
    /// What an instance's check said for a task: `chosen`, `candidate` (passed every filter,
    /// ranked lower), or the stage that rejected it (`eligibility`, `resources`,
    /// `constraints`).
    Verdict {
        /// The task's id on the board (`web-1`).
        task: String,
        /// Container instance id.
        instance: String,
    },
    /// How many more tasks of a service fit on the cluster as it is (`no limit` on Fargate).
    FitMore {
        /// `serviceName`.
        service: String,
    },
    /// Container instances running at least one task (of a service, or of any).
    InstancesUsed {
        /// `serviceName`; without it, every service.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        service: Option<String>,
    },
    /// Availability Zones with at least one task of the service.
    ZonesUsed {
        /// `serviceName`.
        service: String,
    },
    /// The instance types a service's tasks run on, sorted and joined (`g4dn.xlarge, m5.large`).
    InstanceTypes {
        /// `serviceName`.
        service: String,
    },
    /// Container instances in the plan.
    Instances {},
    /// The fewest instances of a type that run every EC2 task (`never` when a task cannot fit).
    MinInstances {
        /// EC2 instance type.
        instance_type: String,
    },
    /// Tasks of a service on one launch target (a capacity provider, FARGATE, FARGATE_SPOT, or
    /// EC2 for the EC2 launch type).
    ProviderTasks {
        /// `serviceName`.
        service: String,
        /// Capacity provider name, `FARGATE`, `FARGATE_SPOT` or `EC2`.
        provider: String,
    },
    /// Service tasks left unplaced after losing a zone; without `zone`, the worst zone.
    LoseZone {
        /// Availability Zone name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        zone: Option<String>,
    },
    /// Service tasks left unplaced after an instance is terminated.
    LoseInstance {
        /// Id of the container instance terminated.
        instance: String,
    },
    /// What happens to a task when an instance is terminated: `moved`, `pending` (a service
    /// task with nowhere to go), `lost` (a standalone task: ECS does not replace it) or
    /// `unaffected`.
    TaskFate {
        /// The task's id on the board (`web-1`).
        task: String,
        /// Id of the container instance terminated.
        lose_instance: String,
    },
    /// A rolling (or blue/green) deployment of a service, from its steady state.
    Deployment {
        /// `serviceName` of the service deployed.
        service: String,
        /// `family:revision`; without it, a forced new deployment.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<String>,
        /// Which number of the deployment.
        value: DeployValue,
    },
    /// The plan simulated over time (workload, service auto scaling, capacity providers).
    Simulation {
        /// Seconds simulated.
        seconds: u32,
        /// The service measured (`serviceName`), for the service values.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        service: Option<String>,
        /// The capacity provider measured, for the instance values.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        provider: Option<String>,
        /// Which number of the simulation.
        value: SimValue,
    },
    /// Whether the validator reports a finding with this rule code.
    Finding {
        /// The rule code (`task-memory-too-small`).
        code: String,
    },
    /// How many findings have one of these rule codes.
    Findings {
        /// Rule codes.
        codes: Vec<String>,
    },
    /// How many errors the validator reports.
    Errors {},
}

/// What to measure of a deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DeployValue {
    /// `completed`, `stuck` or `rolledBack`.
    Outcome,
    /// How long it took (to completion, rollback, or until it was found stuck).
    Seconds,
    /// The most tasks at once that count against maximumPercent (old and new).
    PeakTasks,
    /// The fewest healthy RUNNING tasks at any moment (what minimumHealthyPercent protects).
    MinHealthy,
    /// New tasks that failed (stopped before RUNNING, or failed health checks).
    FailedTasks,
}

/// What to measure of a simulation (of the service, else the capacity provider given).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SimValue {
    /// The highest desired count.
    PeakDesired,
    /// The lowest desired count.
    MinDesired,
    /// The desired count at the end.
    FinalDesired,
    /// The most RUNNING tasks at once.
    PeakRunning,
    /// The most tasks waiting to run at once (PENDING or PROVISIONING).
    PeakPending,
    /// The highest average CPU utilisation, in percent.
    PeakCpu,
    /// A capacity provider's registered instances.
    PeakInstances,
    /// A capacity provider's registered instances at the end.
    FinalInstances,
    /// The desired count (service) or capacity (provider) right after its first increase.
    FirstScaleOut,
}

/// A measured value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Val {
    /// Yes or no (`Finding`).
    Bool(bool),
    /// A count, seconds, or a percentage.
    Number(f64),
    /// A name or a state (`stuck`, `i-0a1`, `unplaced`).
    Text(String),
}

impl Val {
    /// A scenario's literal (a choice's value, a goal's operand).
    pub fn from_json(v: &Value) -> Option<Val> {
        match v {
            Value::Bool(b) => Some(Val::Bool(*b)),
            Value::Number(n) => n.as_f64().map(Val::Number),
            Value::String(s) => Some(Val::Text(s.clone())),
            _ => None,
        }
    }

    /// How the value reads: whole numbers without decimals, others with one.
    pub fn text(&self) -> String {
        match self {
            Val::Bool(true) => "yes".into(),
            Val::Bool(false) => "no".into(),
            Val::Number(x) => number(*x),
            Val::Text(s) => s.clone(),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Val::Bool(_) => "yes/no",
            Val::Number(_) => "a number",
            Val::Text(_) => "a text",
        }
    }
}

/// `4` or `62.5`.
pub fn number(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round() as i64)
    } else {
        format!("{x:.1}")
    }
}

/// `a op b`, or why the two cannot be compared.
pub fn compare(a: &Val, op: crate::learn::scenario::Op, b: &Val) -> Result<bool, String> {
    use crate::learn::scenario::Op::*;
    match (a, b) {
        (Val::Number(x), Val::Number(y)) => {
            let eq = (x - y).abs() < 1e-9;
            Ok(match op {
                Eq => eq,
                Ne => !eq,
                Lt => x < y && !eq,
                Le => x <= y || eq,
                Gt => x > y && !eq,
                Ge => x >= y || eq,
            })
        }
        (Val::Text(x), Val::Text(y)) => match op {
            Eq => Ok(x == y),
            Ne => Ok(x != y),
            _ => Err(format!(
                "\"{x}\" and \"{y}\" are texts: only = and ≠ compare them"
            )),
        },
        (Val::Bool(x), Val::Bool(y)) => match op {
            Eq => Ok(x == y),
            Ne => Ok(x != y),
            _ => Err("yes/no values compare with = and ≠ only".into()),
        },
        _ => Err(format!(
            "cannot compare {} ({}) with {} ({})",
            a.text(),
            a.kind(),
            b.text(),
            b.kind()
        )),
    }
}

/// A measure's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Measured {
    /// The value, compared with choices and goals.
    pub value: Val,
    /// The value in words, as the page shows it.
    pub text: String,
    /// One line: the engine's reason.
    pub detail: String,
    /// Named facts for placeholders (`zone`, `reason`, `duration`, ...).
    pub facts: BTreeMap<String, String>,
}

impl Measured {
    fn new(value: Val, detail: impl Into<String>) -> Measured {
        Measured {
            text: value.text(),
            value,
            detail: detail.into(),
            facts: BTreeMap::new(),
        }
    }

    fn fact(mut self, k: &str, v: impl Into<String>) -> Measured {
        self.facts.insert(k.to_string(), v.into());
        self
    }

    /// A fact by name (`text` and `detail` included).
    pub fn get(&self, k: &str) -> Option<String> {
        match k {
            "text" | "value" => Some(self.text.clone()),
            "detail" => Some(self.detail.clone()),
            _ => self.facts.get(k).cloned(),
        }
    }
}

impl Measure {
    /// What is measured, in words (for goals and played-out choices).
    pub fn describe(&self) -> String {
        match self {
            Measure::Unplaced { service: Some(s) } => format!("tasks of {s} not placed"),
            Measure::Unplaced { service: None } => "tasks not placed".into(),
            Measure::TaskInstance { task } => format!("the instance {task} lands on"),
            Measure::TaskZone { task } => format!("the zone {task} lands in"),
            Measure::TaskState { task } => format!("the state of {task}"),
            Measure::Verdict { task, instance } => format!("{instance}'s verdict for {task}"),
            Measure::FitMore { service } => format!("more tasks of {service} that fit"),
            Measure::InstancesUsed { service: Some(s) } => format!("instances running {s}"),
            Measure::InstancesUsed { service: None } => "instances running a task".into(),
            Measure::ZonesUsed { service } => format!("zones running {service}"),
            Measure::InstanceTypes { service } => format!("instance types running {service}"),
            Measure::Instances {} => "container instances".into(),
            Measure::MinInstances { instance_type } => {
                format!("the fewest {instance_type} instances that run every task")
            }
            Measure::ProviderTasks { service, provider } => {
                format!("tasks of {service} on {provider}")
            }
            Measure::LoseZone { zone: Some(z) } => format!("tasks left unplaced after losing {z}"),
            Measure::LoseZone { zone: None } => {
                "tasks left unplaced after losing the worst zone".into()
            }
            Measure::LoseInstance { instance } => {
                format!("tasks left unplaced after losing {instance}")
            }
            Measure::TaskFate {
                task,
                lose_instance,
            } => format!("what happens to {task} when {lose_instance} is terminated"),
            Measure::Deployment { service, value, .. } => {
                let what = match value {
                    DeployValue::Outcome => "outcome",
                    DeployValue::Seconds => "duration in seconds",
                    DeployValue::PeakTasks => "most tasks at once",
                    DeployValue::MinHealthy => "fewest healthy tasks",
                    DeployValue::FailedTasks => "failed tasks",
                };
                format!("deployment of {service}: {what}")
            }
            Measure::Simulation {
                seconds,
                service,
                provider,
                value,
            } => {
                let who = service
                    .as_deref()
                    .or(provider.as_deref())
                    .unwrap_or("the cluster");
                let what = match value {
                    SimValue::PeakDesired => "highest desired count",
                    SimValue::MinDesired => "lowest desired count",
                    SimValue::FinalDesired => "desired count at the end",
                    SimValue::PeakRunning => "most running tasks",
                    SimValue::PeakPending => "most tasks waiting",
                    SimValue::PeakCpu => "highest CPU utilisation (%)",
                    SimValue::PeakInstances => "most instances",
                    SimValue::FinalInstances => "instances at the end",
                    SimValue::FirstScaleOut => "size after the first scale-out",
                };
                format!("{who}, {what} over {}", sim::duration_label(*seconds))
            }
            Measure::Finding { code } => format!("the validator reports {code}"),
            Measure::Findings { codes } => format!("findings {}", codes.join(" or ")),
            Measure::Errors {} => "validation errors".into(),
        }
    }

    /// The task the measure is about, if one (the board focuses it).
    pub fn task(&self) -> Option<&str> {
        match self {
            Measure::TaskInstance { task }
            | Measure::TaskZone { task }
            | Measure::TaskState { task }
            | Measure::Verdict { task, .. }
            | Measure::TaskFate { task, .. } => Some(task),
            _ => None,
        }
    }
}

/// A deployment by service and target task definition.
type DeployKey = (String, Option<String>);

/// Measures one plan, computing each engine result once (placement, deployments, runs,
/// findings) however many measures ask for it.
pub struct Probe<'a> {
    plan: &'a Plan,
    opts: PlaceOptions,
    placement: OnceCell<Placement>,
    findings: OnceCell<Vec<Finding>>,
    deploys: RefCell<HashMap<DeployKey, Result<DeployResult, String>>>,
    runs: RefCell<HashMap<u32, Timeline>>,
}

impl<'a> Probe<'a> {
    /// `seed_offset` 0 uses the plan's own seed; others redraw what AWS leaves unspecified
    /// (ties, `random`), to check that an answer does not depend on it.
    pub fn new(plan: &'a Plan, seed_offset: u64) -> Probe<'a> {
        let base = PlaceOptions::for_plan(plan);
        Probe {
            plan,
            opts: PlaceOptions {
                seed: base
                    .seed
                    .wrapping_add(seed_offset.wrapping_mul(0x9E37_79B9)),
            },
            placement: OnceCell::new(),
            findings: OnceCell::new(),
            deploys: RefCell::new(HashMap::new()),
            runs: RefCell::new(HashMap::new()),
        }
    }

    /// The plan it measures.
    pub fn plan(&self) -> &Plan {
        self.plan
    }

    fn placed(&self) -> &Placement {
        self.placement
            .get_or_init(|| placement::place(self.plan, &self.opts))
    }

    fn findings(&self) -> &[Finding] {
        self.findings.get_or_init(|| {
            let value = serde_json::to_value(self.plan).unwrap_or_default();
            crate::load::load_value(value).findings
        })
    }

    fn task(&self, id: &str) -> Result<TaskIx, String> {
        let p = self.placed();
        p.task_index(id).ok_or_else(|| {
            let ids: Vec<String> = TaskIx::range(0, p.tasks.len().min(8))
                .map(|t| p.task_id(t))
                .collect();
            format!(
                "no task {id} in the plan (tasks: {}{})",
                ids.join(", "),
                if p.tasks.len() > 8 { ", ..." } else { "" }
            )
        })
    }

    fn service_index(&self, name: &str) -> Result<usize, String> {
        self.plan
            .services
            .iter()
            .position(|s| s.service_name == name)
            .ok_or_else(|| {
                let names: Vec<&str> = self
                    .plan
                    .services
                    .iter()
                    .map(|s| s.service_name.as_str())
                    .collect();
                format!(
                    "no service {name} in the plan (services: {})",
                    names.join(", ")
                )
            })
    }

    fn deploy(&self, service: &str, to: Option<&str>) -> Result<DeployResult, String> {
        let key = (service.to_string(), to.map(str::to_string));
        if let Some(r) = self.deploys.borrow().get(&key) {
            return r.clone();
        }
        let r = sim::deploy(self.plan, &DeployRequest::new(service, to), &self.opts)
            .map_err(|e| e.to_string());
        self.deploys.borrow_mut().insert(key, r.clone());
        r
    }

    fn run(&self, seconds: u32) -> Timeline {
        if let Some(t) = self.runs.borrow().get(&seconds) {
            return t.clone();
        }
        let t = sim::simulate(self.plan, seconds, &self.opts);
        self.runs.borrow_mut().insert(seconds, t.clone());
        t
    }

    /// Measures `m`, or says why it cannot be measured on this plan.
    pub fn measure(&self, m: &Measure) -> Result<Measured, String> {
        match m {
            Measure::Unplaced { service } => self.unplaced(service.as_deref()),
            Measure::TaskInstance { task } => {
                let t = self.task(task)?;
                let p = self.placed();
                let e = explain(p, t);
                let (value, zone, ty) = match &p.tasks[t].outcome {
                    Outcome::Placed { node } => {
                        let n = &p.cluster.nodes[*node];
                        (
                            n.id.clone(),
                            n.availability_zone.clone(),
                            n.instance_type.clone(),
                        )
                    }
                    Outcome::Fargate { availability_zone } => {
                        ("fargate".into(), availability_zone.clone(), String::new())
                    }
                    _ => ("unplaced".into(), String::new(), String::new()),
                };
                let passed = e.instances.iter().filter(|v| v.passed).count();
                Ok(Measured::new(Val::Text(value), e.outcome.clone())
                    .fact("zone", zone)
                    .fact("type", ty)
                    .fact("candidates", passed.to_string())
                    .fact("strategy", e.strategy.clone()))
            }
            Measure::TaskZone { task } => {
                let t = self.task(task)?;
                let p = self.placed();
                let e = explain(p, t);
                let zone = match &p.tasks[t].outcome {
                    Outcome::Placed { node } => p.cluster.nodes[*node].availability_zone.clone(),
                    Outcome::Fargate { availability_zone } => availability_zone.clone(),
                    _ => "unplaced".into(),
                };
                Ok(Measured::new(Val::Text(zone), e.outcome.clone())
                    .fact("strategy", e.strategy.clone()))
            }
            Measure::TaskState { task } => {
                let t = self.task(task)?;
                let p = self.placed();
                let e = explain(p, t);
                let state = match &p.tasks[t].outcome {
                    Outcome::Placed { .. } => "placed",
                    Outcome::Fargate { .. } => "fargate",
                    Outcome::Unplaced { provisioning: true } => "provisioning",
                    Outcome::Unplaced {
                        provisioning: false,
                    } => "pending",
                    Outcome::Stopped => "stopped",
                };
                let mut m = Measured::new(Val::Text(state.into()), e.outcome.clone());
                if matches!(p.tasks[t].outcome, Outcome::Unplaced { .. }) {
                    m = m.fact("reasons", p.unplaced_reasons(t).join("; "));
                }
                Ok(m)
            }
            Measure::Verdict { task, instance } => {
                let t = self.task(task)?;
                let e = explain(self.placed(), t);
                let Some(v) = e.instances.iter().find(|v| &v.instance == instance) else {
                    return Err(format!("no container instance {instance} in the cluster"));
                };
                let passed = e.instances.iter().filter(|v| v.passed).count();
                let (value, detail) = if v.chosen {
                    ("chosen".to_string(), e.outcome.clone())
                } else if v.passed {
                    (
                        "candidate".to_string(),
                        format!(
                            "passed every filter, ranked {} of {passed}: {}",
                            v.rank.unwrap_or(0),
                            scores(v)
                        ),
                    )
                } else {
                    (
                        v.stage.map(|s| s.to_string()).unwrap_or_default(),
                        v.reason.clone().unwrap_or_default(),
                    )
                };
                Ok(Measured::new(Val::Text(value), detail))
            }
            Measure::FitMore { service } => {
                self.service_index(service)?;
                let f = whatif::fit(self.plan, &self.opts, service).map_err(|e| e.to_string())?;
                let detail = f.limit.join("; ");
                Ok(match f.more {
                    Some(n) => Measured::new(Val::Number(n as f64), detail),
                    None => Measured::new(Val::Text("no limit".into()), detail),
                }
                .fact("running", f.running.to_string()))
            }
            Measure::InstancesUsed { service } => {
                if let Some(s) = service {
                    self.service_index(s)?;
                }
                let p = self.placed();
                let used: BTreeSet<&str> = p
                    .tasks
                    .iter()
                    .filter(|t| service.as_deref().is_none_or(|s| of_service(t, s)))
                    .filter_map(|t| match t.outcome {
                        Outcome::Placed { node } => Some(p.cluster.nodes[node].id.as_str()),
                        _ => None,
                    })
                    .collect();
                let list: Vec<&str> = used.iter().copied().collect();
                Ok(Measured::new(
                    Val::Number(used.len() as f64),
                    format!(
                        "tasks run on {}",
                        if list.is_empty() {
                            "no instance".into()
                        } else {
                            list.join(", ")
                        }
                    ),
                ))
            }
            Measure::ZonesUsed { service } => {
                self.service_index(service)?;
                let p = self.placed();
                let mut per: BTreeMap<String, u32> = BTreeMap::new();
                for t in p.tasks.iter().filter(|t| of_service(t, service)) {
                    let z = match &t.outcome {
                        Outcome::Placed { node } => {
                            p.cluster.nodes[*node].availability_zone.clone()
                        }
                        Outcome::Fargate { availability_zone } => availability_zone.clone(),
                        _ => continue,
                    };
                    *per.entry(z).or_default() += 1;
                }
                let split: Vec<String> = per.iter().map(|(z, n)| format!("{z}: {n}")).collect();
                Ok(Measured::new(
                    Val::Number(per.len() as f64),
                    split.join(", "),
                ))
            }
            Measure::InstanceTypes { service } => {
                self.service_index(service)?;
                let p = self.placed();
                let mut per: BTreeMap<String, Vec<String>> = BTreeMap::new();
                for t in p.tasks.iter().filter(|t| of_service(t, service)) {
                    if let Outcome::Placed { node } = t.outcome {
                        let n = &p.cluster.nodes[node];
                        per.entry(n.instance_type.clone())
                            .or_default()
                            .push(n.id.clone());
                    }
                }
                let types: Vec<&str> = per.keys().map(String::as_str).collect();
                let detail: Vec<String> = per
                    .iter()
                    .map(|(ty, ids)| format!("{ty}: {}", ids.join(", ")))
                    .collect();
                Ok(Measured::new(
                    Val::Text(if types.is_empty() {
                        "none".into()
                    } else {
                        types.join(", ")
                    }),
                    if detail.is_empty() {
                        "no task is placed".into()
                    } else {
                        detail.join("; ")
                    },
                ))
            }
            Measure::Instances {} => {
                let n = self.plan.cluster.container_instances.len();
                let mut per: BTreeMap<String, u32> = BTreeMap::new();
                for i in &self.plan.cluster.container_instances {
                    *per.entry(format!("{} in {}", i.instance_type, i.availability_zone))
                        .or_default() += 1;
                }
                let list: Vec<String> = per.iter().map(|(k, n)| format!("{n} × {k}")).collect();
                Ok(Measured::new(Val::Number(n as f64), list.join(", ")))
            }
            Measure::MinInstances { instance_type } => {
                let m = whatif::min_instances(self.plan, &self.opts, instance_type)
                    .map_err(|e| e.to_string())?;
                Ok(match m.count {
                    Some(n) => Measured::new(
                        Val::Number(n as f64),
                        format!(
                            "{n} × {instance_type} over {}, reserving {:.0}% of their CPU and {:.0}% of their memory",
                            m.availability_zones.join(", "),
                            m.cpu_percent,
                            m.memory_percent
                        ),
                    ),
                    None => Measured::new(Val::Text("never".into()), m.never_fit.join("; ")),
                })
            }
            Measure::ProviderTasks { service, provider } => {
                self.service_index(service)?;
                let p = self.placed();
                let mut per: BTreeMap<String, u32> = BTreeMap::new();
                for t in p.tasks.iter().filter(|t| of_service(t, service)) {
                    *per.entry(launch_name(&p.specs[t.spec].launch)).or_default() += 1;
                }
                let n = per.get(provider).copied().unwrap_or(0);
                let split: Vec<String> = per.iter().map(|(k, n)| format!("{k}: {n}")).collect();
                Ok(Measured::new(Val::Number(n as f64), split.join(", "))
                    .fact("split", split.join(", ")))
            }
            Measure::LoseZone { zone } => self.lose_zone(zone.as_deref()),
            Measure::LoseInstance { instance } => {
                let w = whatif::what_if(
                    self.plan,
                    &self.opts,
                    &Change::Remove(vec![instance.clone()]),
                )
                .map_err(|e| e.to_string())?;
                Ok(lost_measured(&w))
            }
            Measure::TaskFate {
                task,
                lose_instance,
            } => {
                self.task(task)?;
                let w = whatif::what_if(
                    self.plan,
                    &self.opts,
                    &Change::Remove(vec![lose_instance.clone()]),
                )
                .map_err(|e| e.to_string())?;
                if let Some(m) = w.moved.iter().find(|m| &m.task == task) {
                    return Ok(match &m.to {
                        Some(to) => Measured::new(
                            Val::Text("moved".into()),
                            format!(
                                "the service starts a replacement on {to} ({})",
                                m.availability_zone.clone().unwrap_or_default()
                            ),
                        )
                        .fact("to", to.clone()),
                        None => Measured::new(
                            Val::Text("pending".into()),
                            format!(
                                "the service starts a replacement, which cannot be placed: {}",
                                m.reasons.join("; ")
                            ),
                        ),
                    });
                }
                if w.lost.contains(task) {
                    return Ok(Measured::new(
                        Val::Text("lost".into()),
                        format!("{task} is a standalone task (RunTask): it stops with its instance and nothing starts it again"),
                    ));
                }
                Ok(Measured::new(
                    Val::Text("unaffected".into()),
                    format!("{task} does not run on {lose_instance}"),
                ))
            }
            Measure::Deployment { service, to, value } => {
                self.service_index(service)?;
                let d = self.deploy(service, to.as_deref())?;
                let outcome = match d.outcome {
                    DeployOutcome::Completed => "completed",
                    DeployOutcome::Stuck => "stuck",
                    DeployOutcome::RolledBack => "rolledBack",
                };
                let v = match value {
                    DeployValue::Outcome => Val::Text(outcome.into()),
                    DeployValue::Seconds => Val::Number(d.duration_seconds as f64),
                    DeployValue::PeakTasks => Val::Number(
                        d.samples
                            .iter()
                            .map(|s| s.old.active + s.new.active)
                            .max()
                            .unwrap_or(0) as f64,
                    ),
                    DeployValue::MinHealthy => Val::Number(
                        d.samples
                            .iter()
                            .map(|s| s.old.running + s.new.running)
                            .min()
                            .unwrap_or(0) as f64,
                    ),
                    DeployValue::FailedTasks => Val::Number(
                        d.events
                            .iter()
                            .filter(|e| {
                                matches!(e.kind, EventKind::TaskFailed | EventKind::TaskUnhealthy)
                            })
                            .count() as f64,
                    ),
                };
                let mut m = Measured::new(v, d.reason.clone())
                    .fact("outcome", outcome)
                    .fact("reason", d.reason.clone())
                    .fact("duration", sim::duration_label(d.duration_seconds));
                if *value == DeployValue::Seconds {
                    m.text = sim::duration_label(d.duration_seconds);
                }
                Ok(m)
            }
            Measure::Simulation {
                seconds,
                service,
                provider,
                value,
            } => self.simulation(*seconds, service.as_deref(), provider.as_deref(), *value),
            Measure::Finding { code } => {
                let f = self.findings().iter().find(|f| &f.code == code);
                Ok(match f {
                    Some(f) => Measured::new(Val::Bool(true), f.message.clone())
                        .fact("path", f.path.to_string())
                        .fact("message", f.message.clone())
                        .fact("fix", f.fix.clone().unwrap_or_default()),
                    None => {
                        Measured::new(Val::Bool(false), format!("the validator reports no {code}"))
                    }
                })
            }
            Measure::Findings { codes } => {
                let found: Vec<&Finding> = self
                    .findings()
                    .iter()
                    .filter(|f| codes.contains(&f.code))
                    .collect();
                let detail = if found.is_empty() {
                    format!("the validator reports none of {}", codes.join(", "))
                } else {
                    found
                        .iter()
                        .map(|f| format!("{} at {}", f.code, f.path))
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                Ok(Measured::new(Val::Number(found.len() as f64), detail))
            }
            Measure::Errors {} => {
                let errors: Vec<&Finding> =
                    self.findings().iter().filter(|f| f.is_error()).collect();
                if errors.is_empty() {
                    return Ok(Measured::new(Val::Number(0.0), "no error"));
                }
                let detail = errors
                    .iter()
                    .take(3)
                    .map(|f| format!("{} at {}", f.code, f.path))
                    .collect::<Vec<_>>()
                    .join("; ");
                Ok(Measured::new(Val::Number(errors.len() as f64), detail))
            }
        }
    }

    fn unplaced(&self, service: Option<&str>) -> Result<Measured, String> {
        if let Some(s) = service {
            self.service_index(s)?;
        }
        let p = self.placed();
        let ids: Vec<TaskIx> = TaskIx::range(0, p.tasks.len())
            .filter(|t| service.is_none_or(|s| of_service(&p.tasks[*t], s)))
            .filter(|t| matches!(p.tasks[*t].outcome, Outcome::Unplaced { .. }))
            .collect();
        let detail = match ids.first() {
            Some(t) => format!(
                "{} waits: {}",
                p.task_id(*t),
                p.unplaced_reasons(*t).join("; ")
            ),
            None => "every task is placed".into(),
        };
        let list: Vec<String> = ids.iter().map(|t| p.task_id(*t)).collect();
        Ok(Measured::new(Val::Number(ids.len() as f64), detail).fact("tasks", list.join(", ")))
    }

    fn lose_zone(&self, zone: Option<&str>) -> Result<Measured, String> {
        let zones: Vec<String> = match zone {
            Some(z) => vec![z.to_string()],
            None => self.placed().cluster.azs.clone(),
        };
        let mut worst: Option<(String, Measured)> = None;
        let mut per = Vec::new();
        for z in zones {
            let w = whatif::what_if(self.plan, &self.opts, &Change::LoseZone(z.clone()))
                .map_err(|e| e.to_string())?;
            let m = lost_measured(&w);
            per.push(format!("{z}: {}", m.text));
            let better = match &worst {
                None => true,
                Some((_, b)) => {
                    matches!((&m.value, &b.value), (Val::Number(x), Val::Number(y)) if x > y)
                }
            };
            if better {
                worst = Some((z, m));
            }
        }
        let Some((z, mut m)) = worst else {
            return Err("the cluster has no Availability Zones".into());
        };
        m.facts.insert("zone".into(), z.clone());
        m.facts.insert("zones".into(), per.join(", "));
        if zone.is_none() {
            m.detail = format!("worst is losing {z} ({}): {}", per.join(", "), m.detail);
        }
        Ok(m)
    }

    fn simulation(
        &self,
        seconds: u32,
        service: Option<&str>,
        provider: Option<&str>,
        value: SimValue,
    ) -> Result<Measured, String> {
        if seconds == 0 || seconds > 7 * 86_400 {
            return Err(format!("{seconds} s: simulate from 1 s to 7 days"));
        }
        let run = self.run(seconds);
        let minutes = &run.minutes;
        if minutes.is_empty() {
            return Err("the simulation recorded no minute".into());
        }
        let clock = |t: u32| format!("{}:{:02}", t / 3600, t % 3600 / 60);
        let instance_values = matches!(value, SimValue::PeakInstances | SimValue::FinalInstances);
        // (second, value) per minute.
        let series: Vec<(u32, f64)> =
            match (service, provider) {
                (Some(s), _) if !instance_values => {
                    let i = self.service_index(s)?;
                    minutes
                        .iter()
                        .filter_map(|m| {
                            let x = m.services.get(i)?;
                            Some((
                                m.t,
                                match value {
                                    SimValue::PeakRunning => x.running as f64,
                                    SimValue::PeakPending => x.pending as f64,
                                    SimValue::PeakCpu => x.cpu,
                                    _ => x.desired as f64,
                                },
                            ))
                        })
                        .collect()
                }
                (_, Some(cp)) => {
                    if !self
                        .plan
                        .cluster
                        .capacity_providers
                        .iter()
                        .any(|c| c.name == cp)
                    {
                        return Err(format!("no capacity provider {cp} in the plan"));
                    }
                    minutes
                        .iter()
                        .filter_map(|m| {
                            let x = m.capacity_providers.iter().find(|p| p.name == cp)?;
                            Some((
                                m.t,
                                match value {
                                    SimValue::FirstScaleOut
                                    | SimValue::PeakDesired
                                    | SimValue::MinDesired
                                    | SimValue::FinalDesired => x.desired as f64,
                                    _ => x.instances as f64,
                                },
                            ))
                        })
                        .collect()
                }
                _ => return Err(
                    "a simulation measure names a service (or, for instances, a capacity provider)"
                        .into(),
                ),
            };
        let Some(&(_, first)) = series.first() else {
            return Err("the simulation did not record this service or provider".into());
        };
        let peak = |cmp: fn(f64, f64) -> bool| {
            series
                .iter()
                .copied()
                .fold(series[0], |best, x| if cmp(x.1, best.1) { x } else { best })
        };
        let (t, v) = match value {
            SimValue::MinDesired => peak(|a, b| a < b),
            SimValue::FinalDesired | SimValue::FinalInstances => series[series.len() - 1],
            SimValue::FirstScaleOut => series
                .iter()
                .copied()
                .find(|(_, x)| *x > first)
                .unwrap_or(series[0]),
            _ => peak(|a, b| a > b),
        };
        let detail = match value {
            SimValue::FirstScaleOut if v <= first => {
                format!(
                    "no scale-out in {} (stays at {})",
                    sim::duration_label(seconds),
                    number(first)
                )
            }
            SimValue::FirstScaleOut => {
                format!("from {} to {} at {}", number(first), number(v), clock(t))
            }
            _ => format!(
                "{} at {} (it starts at {})",
                number(v),
                clock(t),
                number(first)
            ),
        };
        let events: Vec<String> = run
            .events
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    EventKind::ClusterScaleOut { .. }
                        | EventKind::DesiredCount { .. }
                        | EventKind::ClusterScaleOutBlocked
                ) && (service.is_none_or(|s| e.service.as_deref().is_none_or(|x| x == s)))
            })
            .take(1)
            .map(|e| e.message.clone())
            .collect();
        Ok(Measured::new(Val::Number(v), detail)
            .fact("at", clock(t))
            .fact("start", number(first))
            .fact("event", events.join("")))
    }

    /// What choosing `claimed` would have meant, computed: for an instance or a zone, that
    /// instance's verdict (the stage and reason that rule it out, or its rank); otherwise the
    /// engine's value and reason.
    pub fn consequence(&self, m: &Measure, claimed: &Val) -> String {
        let actual = match self.measure(m) {
            Ok(a) => a,
            Err(e) => return format!("cannot be measured: {e}"),
        };
        let same = compare(&actual.value, crate::learn::scenario::Op::Eq, claimed).unwrap_or(false);
        match (m, claimed) {
            (Measure::TaskInstance { task }, Val::Text(id))
                if id != "unplaced" && id != "fargate" =>
            {
                let Ok(t) = self.task(task) else {
                    return actual.detail;
                };
                let e = explain(self.placed(), t);
                let passed = e.instances.iter().filter(|v| v.passed).count();
                match e.instances.iter().find(|v| &v.instance == id) {
                    None => format!("{id} is not an instance of this cluster"),
                    Some(v) if v.chosen => e.outcome.clone(),
                    Some(v) if v.passed => format!(
                        "{id} passed every filter but ranks {} of {passed} ({}); {task} goes to {} instead",
                        v.rank.unwrap_or(0),
                        scores(v),
                        actual.text
                    ),
                    Some(v) => format!(
                        "{id} is ruled out at the {} stage: {}",
                        v.stage.map(|s| s.to_string()).unwrap_or_default(),
                        v.reason.clone().unwrap_or_default()
                    ),
                }
            }
            (Measure::TaskZone { task }, Val::Text(zone)) if !same && zone != "unplaced" => {
                let Ok(t) = self.task(task) else {
                    return actual.detail;
                };
                let e = explain(self.placed(), t);
                let there: Vec<String> = e
                    .instances
                    .iter()
                    .filter(|v| &v.availability_zone == zone)
                    .map(|v| match (&v.reason, v.rank) {
                        (Some(r), _) => format!("{}: {r}", v.instance),
                        (None, Some(rank)) => {
                            format!("{}: ranks {rank} ({})", v.instance, scores(v))
                        }
                        _ => v.instance.clone(),
                    })
                    .collect();
                if there.is_empty() {
                    format!(
                        "there is no instance in {zone}; {task} lands in {}",
                        actual.text
                    )
                } else {
                    format!(
                        "in {zone}, {}; {task} lands in {}",
                        there.join("; "),
                        actual.text
                    )
                }
            }
            _ if same => actual.detail,
            _ => format!(
                "the engine computes {}, not {}: {}",
                actual.text,
                claimed.text(),
                actual.detail
            ),
        }
    }
}

fn of_service(t: &placement::Task, name: &str) -> bool {
    matches!(&t.source, Source::Service { name: n, .. } if &**n == name)
}

fn launch_name(l: &Launch) -> String {
    match l {
        Launch::Ec2 => "EC2".into(),
        Launch::Provider { name } => name.clone(),
        Launch::Fargate { provider } => provider.clone(),
    }
}

fn scores(v: &crate::placement::explain::InstanceVerdict) -> String {
    v.scores
        .iter()
        .filter(|s| s.rule != "tie-break")
        .map(|s| format!("{}: {}", s.rule, s.text))
        .collect::<Vec<_>>()
        .join(", ")
}

fn lost_measured(w: &whatif::WhatIf) -> Measured {
    let unplaced: Vec<&whatif::Moved> = w.moved.iter().filter(|m| m.to.is_none()).collect();
    let detail = match unplaced.first() {
        Some(m) => format!(
            "{}: {} of {} displaced task{} cannot be placed again ({} waits: {})",
            w.change,
            unplaced.len(),
            w.moved.len(),
            if w.moved.len() == 1 { "" } else { "s" },
            m.task,
            m.reasons.join("; ")
        ),
        None if w.moved.is_empty() => format!("{}: no service task ran there", w.change),
        None => format!(
            "{}: every one of the {} displaced task{} is placed again",
            w.change,
            w.moved.len(),
            if w.moved.len() == 1 { "" } else { "s" }
        ),
    };
    Measured::new(Val::Number(unplaced.len() as f64), detail)
        .fact("moved", w.moved.len().to_string())
        .fact("lost", w.lost.join(", "))
}
