//! The architecture review: one report on a plan, composed from the computations the other
//! commands show one at a time (`ecsplan validate`, `place`, `whatif`, `deploy`, `simulate`),
//! with every number naming the command that shows it.
//!
//! [`review`] is a pure function of a loaded plan and [`ReviewOptions`]; the [`Report`] is plain
//! serde data (the JSON format *is* the report). The sections:
//! - [`findings`]: the validator's findings grouped by topic, with their fixes;
//! - [`capacity`]: utilisation and headroom per instance, zone and service, how many more tasks
//!   of each service fit, the fewest instances of each type in use;
//! - [`resilience`]: every zone lost, and the instance whose loss hurts most;
//! - [`deployments`]: a forced new deployment of every service;
//! - [`scaling`]: a simulated day, and what it costs per month;
//! - [`gates`]: the plan's `settings.review.gates`, each passed or failed with its evidence.
//!
//! [`compare`](fn@compare) puts two reports side by side (`--against`). The renderers ([`markdown`],
//! [`html`], [`junit`], [`sarif`]) are pure functions of a report, so the page can offer the
//! same files as the command line.
//!
//! Work is bounded so that a plan of 1 000 instances and 10 000 tasks is reviewed in well under
//! two seconds: the caps below are said in the report's assumptions when they apply.

pub mod capacity;
pub mod compare;
pub mod deployments;
mod doc;
pub mod findings;
pub mod gates;
pub mod html;
pub mod junit;
pub mod markdown;
pub mod resilience;
pub mod sarif;
pub mod scaling;

#[cfg(test)]
mod tests;

use crate::findings::JsonPath;
use crate::placement::{place, PlaceOptions};
use crate::plan::{Loaded, Plan};
use serde::{Deserialize, Serialize};

pub use compare::{compare, Comparison, Delta};
pub use html::{render_html, render_html_body};
pub use junit::render_junit;
pub use markdown::render_markdown;
pub use sarif::render_sarif;

/// The report's formats, as `ecsplan review --format` names them.
pub const FORMATS: [&str; 5] = ["md", "html", "json", "junit", "sarif"];

/// The report in one of [`FORMATS`] (Markdown for any other name): what `ecsplan review`
/// writes and the page downloads, so both give the same bytes for the same plan and seed.
pub fn render(report: &Report, format: &str) -> String {
    match format {
        "html" => render_html(report),
        "json" => serde_json::to_string_pretty(report).unwrap_or_default() + "\n",
        "junit" => render_junit(report),
        "sarif" => render_sarif(report) + "\n",
        _ => render_markdown(report),
    }
}

/// The version of the report's JSON: a consumer checks it before reading.
pub const REPORT_VERSION: u32 = 1;

/// Services whose "how many more fit" is computed (each is a placement of the whole plan).
pub const FIT_CAP: usize = 100;
/// Instance types whose minimum count is searched (each is a dozen placements).
pub const MIN_INSTANCE_TYPES_CAP: usize = 5;
/// Up to this many instances, every one is lost in turn to find the worst; above, only
/// [`WORST_CANDIDATES`] of them.
pub const EVERY_INSTANCE_UP_TO: usize = 64;
/// Instances tried for the worst single loss in a larger cluster: those running the most
/// service tasks (then reserving the most memory).
pub const WORST_CANDIDATES: usize = 8;
/// Services whose forced new deployment is simulated.
pub const DEPLOY_CAP: usize = 50;
/// Hours in a month, as AWS's pricing pages count them.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// How to review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewOptions {
    /// How the plan is named in the commands the report cites (`ecsplan whatif shop.json
    /// --lose-az ...`); the page passes the plan's name.
    pub file: String,
    /// Seed for what AWS leaves unspecified; default the plan's `settings.seed`, else 1.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Seconds of the scaling simulation (default a day).
    #[serde(default = "day")]
    pub duration: u32,
}

fn day() -> u32 {
    86_400
}

impl Default for ReviewOptions {
    fn default() -> Self {
        ReviewOptions {
            file: "PLAN".into(),
            seed: None,
            duration: day(),
        }
    }
}

impl ReviewOptions {
    /// Options for reviewing the file named `file`, with the default seed and a day simulated.
    pub fn for_file(file: &str) -> ReviewOptions {
        ReviewOptions {
            file: file.to_string(),
            ..ReviewOptions::default()
        }
    }

    /// `ecsplan VERB FILE ARGS`, the file quoted for a POSIX shell when it needs it.
    pub(crate) fn command(&self, verb: &str, args: &str) -> String {
        let file = shell_word(&self.file);
        let seed = self
            .seed
            .map(|s| format!(" --seed {s}"))
            .unwrap_or_default();
        let seeded = matches!(verb, "place" | "whatif" | "deploy" | "simulate");
        match (args.is_empty(), seeded) {
            (true, true) => format!("ecsplan {verb} {file}{seed}"),
            (true, false) => format!("ecsplan {verb} {file}"),
            (false, true) => format!("ecsplan {verb} {file} {args}{seed}"),
            (false, false) => format!("ecsplan {verb} {file} {args}"),
        }
    }
}

/// A word as a POSIX shell reads it: bare when it is plain, else single-quoted.
pub(crate) fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The review of one plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// [`REPORT_VERSION`] of the JSON.
    pub report_version: u32,
    /// What the plan is (file, name, counts).
    pub plan: PlanFacts,
    /// The verdict and the points to discuss first.
    pub summary: Summary,
    /// Seed, prices, simulated time, and what the planner estimates or chooses.
    pub assumptions: Assumptions,
    /// The validator's findings, grouped by topic.
    pub findings: findings::FindingsSection,
    /// `None` when the plan could not be loaded (its errors are the findings).
    pub capacity: Option<capacity::Capacity>,
    /// `None` when the plan could not be loaded.
    pub resilience: Option<resilience::Resilience>,
    /// `None` when the plan could not be loaded.
    pub deployments: Option<deployments::Deployments>,
    /// `None` when the plan could not be loaded.
    pub scaling: Option<scaling::Scaling>,
    /// `None` when the plan could not be loaded or the simulation priced no time.
    pub cost: Option<scaling::CostSection>,
    /// The plan's gates, in the order of `docs/plan-format.md`.
    pub gates: Vec<gates::GateResult>,
    /// Pass/fail checks of every section, gated or not (one JUnit test case each).
    pub checks: Vec<Check>,
    /// What this report does not check.
    pub not_checked: Vec<String>,
    /// With `--against OLD`: the change from the old plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
}

/// What the plan is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanFacts {
    /// As given in [`ReviewOptions::file`].
    pub file: String,
    /// The plan's `name`.
    pub name: String,
    /// The plan's `region`.
    pub region: String,
    /// The cluster's zones.
    pub availability_zones: Vec<String>,
    /// Container instances registered.
    pub instances: u32,
    /// Services in the plan.
    pub services: u32,
    /// Task definitions in the plan.
    pub task_definitions: u32,
    /// Tasks the plan asks for (services' desired counts, daemons placed, RunTask counts).
    pub tasks: u32,
}

/// What the report concludes, for the reader with a minute.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// One line: "2 of 3 gates pass; 1 error; ...".
    pub verdict: String,
    /// The points a review meeting starts from, one sentence each.
    pub highlights: Vec<String>,
    /// Gates of `settings.review.gates` that passed.
    pub gates_passed: u32,
    /// Gates that failed (any makes `ecsplan review` exit non-zero).
    pub gates_failed: u32,
    /// Why the sections are missing, when they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_computed: Option<String>,
}

impl Summary {
    /// Whether every gate passed (CI's exit status).
    pub fn passed(&self) -> bool {
        self.gates_failed == 0
    }
}

/// What the numbers rest on: said in every report so they can be reproduced.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Assumptions {
    /// Seed used for what AWS leaves unspecified (`--seed`).
    pub seed: u64,
    /// Date of the price table used for the cost.
    pub price_date: String,
    /// Region of the price table (prices elsewhere differ).
    pub price_region: String,
    /// Length of the scaling simulation.
    pub simulated_seconds: u32,
    /// "the plan's workload" or what a flat day means.
    pub workload: String,
    /// Values the planner estimates rather than knows.
    pub estimated: Vec<String>,
    /// What AWS leaves unspecified and how the planner chooses.
    pub unspecified: Vec<String>,
    /// Where the review bounded its work (said only when a bound applied).
    pub bounds: Vec<String>,
}

/// One pass/fail check of a section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    /// Stable id: `resilience.zone.us-east-1a`, `deployments.web`.
    pub id: String,
    /// The report section: findings, capacity, resilience, deployments, scaling, cost.
    pub section: String,
    /// What is checked, in words.
    pub name: String,
    /// Whether it holds.
    pub passed: bool,
    /// The numbers that decide it, in one sentence.
    pub evidence: String,
    /// The `ecsplan` command that shows the evidence.
    pub command: String,
    /// The gate that enforces it, when the plan sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<String>,
    /// Where in the plan it is about (a service, an instance), for SARIF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<JsonPath>,
    /// Line of `path` in the plan's text (1-based), when the report was located in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Column of `path` in the plan's text (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

/// What this report does not check: the same list in every report.
pub const NOT_CHECKED: &[&str] = &[
    "IAM: the contents of task roles, execution roles and the service-linked role's policies (only that a role is named where one is required)",
    "Security groups and network ACLs: which ports are open between load balancers, tasks and other services",
    "Subnet IP space: whether the subnets have free addresses for awsvpc tasks and new instances",
    "Account quotas beyond the ECS per-cluster and per-service quotas the validator knows (EC2 vCPU limits, Fargate task limits, ENIs per Region)",
    "Load balancers and target groups: listener rules, health check paths, target group health",
    "Images: whether they exist, can be pulled (credentials, VPC endpoints, NAT) and start",
    "Secrets and parameters: whether they exist and the execution role may read them",
    "CloudWatch alarms of step scaling policies and deployment alarms beyond what the plan writes",
    "Service Connect, service discovery and App Mesh behaviour",
    "Spot capacity: EC2 Spot interruptions of instances (Fargate Spot interruptions only when the plan sets a rate)",
    "Prices other than us-east-1 on-demand Linux rates: Savings Plans, Reserved Instances, data transfer, EBS, load balancers, CloudWatch",
];

/// Reviews a loaded plan. A plan withheld by its errors gets the findings section and the gates
/// that can be judged from them; the other sections say why they are missing.
pub fn review(loaded: &Loaded, opts: &ReviewOptions) -> Report {
    let mut report = Report {
        report_version: REPORT_VERSION,
        plan: PlanFacts {
            file: opts.file.clone(),
            ..PlanFacts::default()
        },
        summary: Summary::default(),
        assumptions: Assumptions {
            price_date: crate::sim::prices::PRICE_DATE.into(),
            price_region: crate::sim::prices::PRICE_REGION.into(),
            simulated_seconds: opts.duration,
            ..Assumptions::default()
        },
        findings: findings::section(loaded, opts),
        capacity: None,
        resilience: None,
        deployments: None,
        scaling: None,
        cost: None,
        gates: Vec::new(),
        checks: Vec::new(),
        not_checked: NOT_CHECKED.iter().map(|s| s.to_string()).collect(),
        comparison: None,
    };
    match &loaded.plan {
        Some(plan) => sections(plan, opts, &mut report),
        None => {
            report.summary.not_computed = Some(
                "the plan has errors that stop it from loading (see the findings): placement, resilience, deployments, scaling and cost are not computed".into(),
            );
            report.assumptions.seed = opts.seed.unwrap_or(1);
        }
    }
    report
        .checks
        .splice(0..0, findings::checks(&report.findings, opts));
    let gates = loaded
        .plan
        .as_ref()
        .and_then(|p| p.settings.as_ref())
        .and_then(|s| s.review.as_ref())
        .and_then(|r| r.gates.clone())
        .unwrap_or_default();
    report.gates = gates::evaluate(&gates, &mut report, opts);
    summarise(&mut report);
    report
}

/// Loads the plan from text and reviews it, locating the gates and checks in the text (SARIF
/// and the page's links need line and column).
pub fn review_text(text: &str, opts: &ReviewOptions) -> Report {
    let loaded = crate::load::load(text);
    let mut report = review(&loaded, opts);
    locate(&mut report, text);
    report
}

/// Fills line and column of gates and checks from the plan's text.
pub fn locate(report: &mut Report, text: &str) {
    let paths: Vec<JsonPath> = report
        .gates
        .iter()
        .map(|g| g.path.clone())
        .chain(report.checks.iter().filter_map(|c| c.path.clone()))
        .collect();
    let index = crate::plan::span::SpanIndex::for_paths(text, paths.iter());
    for g in &mut report.gates {
        if let Some((l, c)) = index.locate(&g.path) {
            g.line = Some(l);
            g.column = Some(c);
        }
    }
    for c in &mut report.checks {
        if let Some((l, col)) = c.path.as_ref().and_then(|p| index.locate(p)) {
            c.line = Some(l);
            c.column = Some(col);
        }
    }
}

fn sections(plan: &Plan, opts: &ReviewOptions, report: &mut Report) {
    let mut popts = PlaceOptions::for_plan(plan);
    if let Some(s) = opts.seed {
        popts.seed = s;
    }
    report.assumptions.seed = popts.seed;
    let base = place(plan, &popts);
    report.plan = PlanFacts {
        file: opts.file.clone(),
        name: plan.name.clone(),
        region: plan.region.clone(),
        availability_zones: base.cluster.azs.clone(),
        instances: base.cluster.nodes.len() as u32,
        services: plan.services.len() as u32,
        task_definitions: plan.task_definitions.len() as u32,
        tasks: base.tasks.len() as u32,
    };
    let board = crate::board::board(plan, &base);
    let capacity = capacity::section(plan, &popts, &base, &board, opts, &mut report.assumptions);
    let resilience = resilience::section(plan, &popts, &base, opts, &mut report.assumptions);
    let deployments = deployments::section(
        plan,
        &popts,
        &base,
        &capacity,
        opts,
        &mut report.assumptions,
    );
    let timeline = crate::sim::simulate(plan, opts.duration, &popts);
    let scaling = scaling::section(plan, &timeline, opts, &mut report.assumptions);
    report.assumptions.workload = scaling.workload.clone();
    let cost = scaling::cost(&timeline, opts);
    report.assumptions.estimated = estimated(plan, &board, cost.as_ref());
    report.assumptions.unspecified = vec![
        format!("Ties between equally good instances, the `random` strategy and the order of random draws are seeded (seed {}); AWS does not specify them, so another seed may place tasks differently (`--seed`).", popts.seed),
        "Which zone's instances a deployment or a scale-in stops first when AWS's rules leave a tie: the planner's documented choice (docs/placement.md).".into(),
        "How long ECS waits between placement retries and deployment steps: the planner's timings (docs/deployments.md), not AWS's.".into(),
    ];
    let mut checks = Vec::new();
    checks.extend(capacity::checks(&capacity, opts));
    checks.extend(resilience::checks(&resilience, opts));
    checks.extend(deployments::checks(&deployments, plan));
    checks.extend(scaling::checks(&scaling, plan));
    report.checks = checks;
    report.capacity = Some(capacity);
    report.resilience = Some(resilience);
    report.deployments = Some(deployments);
    report.scaling = Some(scaling);
    report.cost = cost;
}

fn estimated(
    plan: &Plan,
    board: &crate::board::Board,
    cost: Option<&scaling::CostSection>,
) -> Vec<String> {
    let mut out = Vec::new();
    let estimated = board
        .lanes
        .iter()
        .flat_map(|l| &l.instances)
        .filter(|c| c.memory_estimated)
        .count();
    if estimated > 0 {
        out.push(format!("The memory {estimated} instance(s) register is estimated from the instance type (MemTotal less the agent's reservation, docs/catalog.md); a live instance's registeredResources is exact."));
    }
    if plan.workload.is_none() {
        out.push("No workload: the simulated day is flat (every service at its desired count, no scaling policy triggered).".into());
    }
    if plan
        .settings
        .as_ref()
        .and_then(|s| s.simulation.as_ref())
        .is_none()
    {
        out.push("Task start, health check and load balancer timings are the simulator's defaults (engine/src/sim/timings.rs); set settings.simulation to your measured ones.".into());
    }
    if let Some(c) = cost {
        out.push(format!(
            "Cost: {}; a month is {HOURS_PER_MONTH} hours of the simulated day's average. Fargate Spot's price varies; the table uses a fixed fraction ({:.0} % of on-demand).",
            c.prices,
            crate::sim::prices::FARGATE_SPOT_FRACTION * 100.0
        ));
    }
    out
}

fn summarise(report: &mut Report) {
    let passed = report.gates.iter().filter(|g| g.passed).count() as u32;
    let failed = report.gates.len() as u32 - passed;
    report.summary.gates_passed = passed;
    report.summary.gates_failed = failed;
    let f = &report.findings;
    let gates = if report.gates.is_empty() {
        "no gates set (settings.review.gates)".to_string()
    } else if failed == 0 {
        format!("all {passed} gate(s) pass")
    } else {
        format!("{failed} of {} gate(s) FAIL", report.gates.len())
    };
    report.summary.verdict = format!(
        "{gates}; {} error(s), {} warning(s); {} of {} checks pass",
        f.errors,
        f.warnings,
        report.checks.iter().filter(|c| c.passed).count(),
        report.checks.len()
    );
    let mut h = Vec::new();
    for g in report.gates.iter().filter(|g| !g.passed) {
        h.push(format!("Gate {} fails: {}", g.gate, g.evidence));
    }
    for c in report
        .checks
        .iter()
        .filter(|c| !c.passed && c.gate.is_none())
    {
        h.push(format!("{} — no: {}", capitalised(&c.name), c.evidence));
    }
    if let Some(cost) = &report.cost {
        h.push(format!(
            "Cost: ${:.0} a month (`{}`).",
            cost.monthly_total, cost.command
        ));
    }
    report.summary.highlights = h;
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `12.3456` → `12.3` (one decimal, what the report shows).
pub(crate) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
