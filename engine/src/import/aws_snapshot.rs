//! A live cluster from a snapshot: the JSON (or YAML) output of read-only AWS CLI calls, one
//! file per call or page, named as the user likes (`docs/review.md` has the script).
//!
//! Each file is recognised by the output shape's top-level member (`clusters`, `services`,
//! `containerInstances`, `tasks`, `taskDefinition`, `capacityProviders`, `AutoScalingGroups`,
//! `ScalableTargets`, `ScalingPolicies`, `ScheduledActions`, `InstanceTypes`, and the `list-*`
//! outputs' ARN lists); a call may be split over several files (pages) and the same object met
//! twice is taken once. Output members that the plan's request shapes take are carried over
//! and checked one by one; the rest is reported (state such as `runningCount` once per kind of
//! object, refused values one by one). What cannot be found — a service's task definition, an
//! instance type the catalog lacks, the last page of a listing — is a note naming the call
//! that would supply it, never a failure of the whole import.

use super::cluster_import::{
    arn_id, arn_region, carry, cluster_zones, family_revision, refused, timestamp_text,
    zone_region, zones_of, ClusterImport, ClusterOptions, ClusterResult, ClusterSource, InputFile,
    InstanceState, Notes, Revisions, RunningTask, SourceNote,
};
use super::{parse_any, Source};
use crate::catalog::Catalog;
use crate::findings::{Finding, JsonPath};
use crate::plan::{
    AutoScalingGroup, CapacityProvider, CapacityProviderStrategyItem, ContainerInstance,
    InstanceStatus, Plan, RunTask, Service, TaskDefinition,
};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The AWS CLI calls a snapshot is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Call {
    /// `aws ecs describe-clusters`.
    DescribeClusters,
    /// `aws ecs list-clusters`.
    ListClusters,
    /// `aws ecs list-services`.
    ListServices,
    /// `aws ecs describe-services`.
    DescribeServices,
    /// `aws ecs list-container-instances`.
    ListContainerInstances,
    /// `aws ecs describe-container-instances`.
    DescribeContainerInstances,
    /// `aws ecs list-tasks`.
    ListTasks,
    /// `aws ecs describe-tasks`.
    DescribeTasks,
    /// `aws ecs describe-task-definition`.
    DescribeTaskDefinition,
    /// `aws ecs list-task-definitions`.
    ListTaskDefinitions,
    /// `aws ecs describe-capacity-providers`.
    DescribeCapacityProviders,
    /// `aws autoscaling describe-auto-scaling-groups`.
    DescribeAutoScalingGroups,
    /// `aws application-autoscaling describe-scalable-targets`.
    DescribeScalableTargets,
    /// `aws application-autoscaling describe-scaling-policies`.
    DescribeScalingPolicies,
    /// `aws application-autoscaling describe-scheduled-actions`.
    DescribeScheduledActions,
    /// `aws ec2 describe-instance-types`.
    DescribeInstanceTypes,
}

impl Call {
    /// Every call, in the order a snapshot is read.
    pub const ALL: [Call; 16] = [
        Call::DescribeClusters,
        Call::ListClusters,
        Call::ListServices,
        Call::DescribeServices,
        Call::ListContainerInstances,
        Call::DescribeContainerInstances,
        Call::ListTasks,
        Call::DescribeTasks,
        Call::DescribeTaskDefinition,
        Call::ListTaskDefinitions,
        Call::DescribeCapacityProviders,
        Call::DescribeAutoScalingGroups,
        Call::DescribeScalableTargets,
        Call::DescribeScalingPolicies,
        Call::DescribeScheduledActions,
        Call::DescribeInstanceTypes,
    ];

    /// The command that produces it.
    pub fn command(self) -> &'static str {
        match self {
            Call::DescribeClusters => "aws ecs describe-clusters",
            Call::ListClusters => "aws ecs list-clusters",
            Call::ListServices => "aws ecs list-services",
            Call::DescribeServices => "aws ecs describe-services",
            Call::ListContainerInstances => "aws ecs list-container-instances",
            Call::DescribeContainerInstances => "aws ecs describe-container-instances",
            Call::ListTasks => "aws ecs list-tasks",
            Call::DescribeTasks => "aws ecs describe-tasks",
            Call::DescribeTaskDefinition => "aws ecs describe-task-definition",
            Call::ListTaskDefinitions => "aws ecs list-task-definitions",
            Call::DescribeCapacityProviders => "aws ecs describe-capacity-providers",
            Call::DescribeAutoScalingGroups => "aws autoscaling describe-auto-scaling-groups",
            Call::DescribeScalableTargets => {
                "aws application-autoscaling describe-scalable-targets"
            }
            Call::DescribeScalingPolicies => {
                "aws application-autoscaling describe-scaling-policies"
            }
            Call::DescribeScheduledActions => {
                "aws application-autoscaling describe-scheduled-actions"
            }
            Call::DescribeInstanceTypes => "aws ec2 describe-instance-types",
        }
    }

    /// The top-level member that identifies the output (an object for
    /// describe-task-definition, a list for the others).
    pub fn member(self) -> &'static str {
        match self {
            Call::DescribeClusters => "clusters",
            Call::ListClusters => "clusterArns",
            Call::ListServices => "serviceArns",
            Call::DescribeServices => "services",
            Call::ListContainerInstances => "containerInstanceArns",
            Call::DescribeContainerInstances => "containerInstances",
            Call::ListTasks => "taskArns",
            Call::DescribeTasks => "tasks",
            Call::DescribeTaskDefinition => "taskDefinition",
            Call::ListTaskDefinitions => "taskDefinitionArns",
            Call::DescribeCapacityProviders => "capacityProviders",
            Call::DescribeAutoScalingGroups => "AutoScalingGroups",
            Call::DescribeScalableTargets => "ScalableTargets",
            Call::DescribeScalingPolicies => "ScalingPolicies",
            Call::DescribeScheduledActions => "ScheduledActions",
            Call::DescribeInstanceTypes => "InstanceTypes",
        }
    }
}

/// Which call's output a document is, from its top-level members.
pub fn recognise(v: &Value) -> Option<Call> {
    let o = v.as_object()?;
    if o.contains_key("schemaVersion") {
        return None;
    }
    Call::ALL.into_iter().find(|c| match o.get(c.member()) {
        Some(Value::Object(_)) => *c == Call::DescribeTaskDefinition,
        Some(Value::Array(_)) => *c != Call::DescribeTaskDefinition,
        _ => false,
    })
}

/// Standalone tasks counted by (task definition, custom group, launch type, capacity provider).
type StandaloneKey = (String, Option<String>, Option<String>, Option<String>);

/// One recognised file.
struct Doc {
    file: String,
    call: Call,
    value: Value,
}

impl Doc {
    /// The objects of the output's list member, with their paths.
    fn items(&self) -> impl Iterator<Item = (JsonPath, &Map<String, Value>)> {
        let member = self.call.member();
        self.value
            .get(member)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .filter_map(move |(i, x)| Some((JsonPath::root().key(member).index(i), x.as_object()?)))
    }

    /// The strings of a `list-*` output.
    fn arns(&self) -> impl Iterator<Item = &str> {
        self.value
            .get(self.call.member())
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
    }

    fn has_token(&self) -> bool {
        ["nextToken", "NextToken"].iter().any(|k| {
            self.value
                .get(*k)
                .and_then(Value::as_str)
                .is_some_and(|t| !t.is_empty())
        })
    }
}

fn str_of<'a>(o: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    o.get(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn u32_of(o: &Map<String, Value>, k: &str) -> Option<u32> {
    o.get(k)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
}

/// Imports a snapshot directory's files.
pub fn aws_snapshot(files: &[InputFile], options: &ClusterOptions) -> ClusterResult {
    let mut notes = Notes::default();
    let mut sources: HashMap<String, Source> = HashMap::new();
    let mut docs: Vec<Doc> = Vec::new();
    let mut sorted: Vec<&InputFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    for f in sorted {
        let src = match parse_any(&f.text) {
            Ok(s) => s,
            Err(errors) => {
                for e in errors {
                    notes.push(
                        &f.name,
                        Finding::warning(
                            "unreadable-file",
                            e.path.clone(),
                            format!("not read: {}", e.message),
                        )
                        .with_fix("save the command's output unchanged (`--output json`)")
                        .at(e.line, e.column),
                    );
                }
                continue;
            }
        };
        match recognise(&src.value) {
            Some(call) => docs.push(Doc {
                file: f.name.clone(),
                call,
                value: src.value.clone(),
            }),
            None => notes.push(&f.name, unrecognised(&src.value)),
        }
        sources.insert(f.name.clone(), src);
    }
    if docs.is_empty() {
        notes.push(
            "",
            Finding::error(
                "empty-snapshot",
                JsonPath::root(),
                "no file of the snapshot is the output of an AWS CLI call the planner reads",
            )
            .with_fix("run the snapshot script of docs/review.md and import its directory"),
        );
        return Err(located(notes.finish(), &sources));
    }
    let mut b = Build::new(&docs, options, &mut notes);
    b.pages();
    b.cluster();
    b.instance_types();
    b.task_definitions();
    b.capacity_providers();
    b.container_instances();
    b.services();
    b.tasks();
    b.listings();
    let import = b.finish();
    let notes = located(notes.finish(), &sources);
    Ok(ClusterImport { notes, ..import })
}

/// Line and column of each note in its file.
fn located(mut notes: Vec<SourceNote>, sources: &HashMap<String, Source>) -> Vec<SourceNote> {
    for n in &mut notes {
        if let Some(src) = sources.get(&n.file) {
            if n.finding.path != JsonPath::root() {
                src.locate(std::slice::from_mut(&mut n.finding));
            }
        }
    }
    notes
}

fn unrecognised(v: &Value) -> Finding {
    let expected: Vec<&str> = Call::ALL.iter().map(|c| c.member()).collect();
    let found = match v {
        Value::Object(o) if o.contains_key("schemaVersion") => {
            "a plan document, not AWS CLI output".to_string()
        }
        Value::Object(o) => format!(
            "top-level members {}",
            o.keys()
                .take(6)
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => format!("{} at the top", super::aws::kind(other)),
    };
    Finding::warning(
        "unrecognised-file",
        JsonPath::root(),
        format!(
            "not the output of a call the snapshot uses ({found}); expected an object with one of: {}",
            expected.join(", ")
        ),
    )
    .with_fix("save each command's whole output with `--output json` (no `--query`); remove other files")
}

trait At {
    fn at(self, line: Option<u32>, column: Option<u32>) -> Self;
}

impl At for Finding {
    fn at(mut self, line: Option<u32>, column: Option<u32>) -> Self {
        self.line = line;
        self.column = column;
        self
    }
}

/// The import in progress.
struct Build<'a> {
    docs: &'a [Doc],
    options: &'a ClusterOptions,
    notes: &'a mut Notes,
    cluster_name: String,
    cluster_arn: Option<String>,
    region: Option<String>,
    default_strategy: Vec<CapacityProviderStrategyItem>,
    /// Capacity providers associated with the cluster (from describe-clusters).
    associated: Option<BTreeSet<String>>,
    catalog: Catalog,
    /// describe-instance-types entries by type name.
    instance_type_entries: BTreeMap<String, Value>,
    revisions: Revisions,
    capacity_providers: Vec<CapacityProvider>,
    /// EC2 instance id → (instance type, zone) from the Auto Scaling groups.
    asg_instances: HashMap<String, (Option<String>, Option<String>)>,
    instances: Vec<ContainerInstance>,
    states: Vec<InstanceState>,
    /// containerInstanceArn → EC2 instance id.
    instance_by_arn: HashMap<String, String>,
    services: Vec<Service>,
    /// serviceName → AWS runningCount.
    running_counts: BTreeMap<String, u32>,
    running: Vec<RunningTask>,
    tasks: Vec<RunTask>,
}

impl<'a> Build<'a> {
    fn new(docs: &'a [Doc], options: &'a ClusterOptions, notes: &'a mut Notes) -> Self {
        Build {
            docs,
            options,
            notes,
            cluster_name: String::new(),
            cluster_arn: None,
            region: None,
            default_strategy: Vec::new(),
            associated: None,
            catalog: Catalog::builtin().clone(),
            instance_type_entries: BTreeMap::new(),
            revisions: Revisions::default(),
            capacity_providers: Vec::new(),
            asg_instances: HashMap::new(),
            instances: Vec::new(),
            states: Vec::new(),
            instance_by_arn: HashMap::new(),
            services: Vec::new(),
            running_counts: BTreeMap::new(),
            running: Vec::new(),
            tasks: Vec::new(),
        }
    }

    fn of(&self, call: Call) -> impl Iterator<Item = &'a Doc> {
        self.docs.iter().filter(move |d| d.call == call)
    }

    /// Whether an object's `clusterArn` (when it has one) is the imported cluster's.
    fn in_cluster(&self, o: &Map<String, Value>) -> bool {
        match str_of(o, "clusterArn") {
            Some(arn) => self.cluster_name.is_empty() || arn_id(arn) == self.cluster_name,
            None => true,
        }
    }

    /// A call whose every file has a pagination token is missing its last page.
    fn pages(&mut self) {
        for call in Call::ALL {
            let files: Vec<&Doc> = self.of(call).collect();
            let paged = matches!(
                call,
                Call::ListClusters
                    | Call::ListServices
                    | Call::ListContainerInstances
                    | Call::ListTasks
                    | Call::ListTaskDefinitions
                    | Call::DescribeCapacityProviders
                    | Call::DescribeAutoScalingGroups
                    | Call::DescribeScalableTargets
                    | Call::DescribeScalingPolicies
                    | Call::DescribeScheduledActions
                    | Call::DescribeInstanceTypes
            );
            if paged && !files.is_empty() && files.iter().all(|d| d.has_token()) {
                let last = files[files.len() - 1];
                let key = if last.value.get("nextToken").is_some() {
                    "nextToken"
                } else {
                    "NextToken"
                };
                self.notes.push(
                    &last.file,
                    Finding::warning(
                        "missing-page",
                        JsonPath::root().key(key),
                        format!(
                            "every file of `{}` has a {key}: its last page is missing, so the snapshot may lack some {}",
                            call.command(),
                            call.member()
                        ),
                    )
                    .with_fix("run the call again with `--starting-token` set to this token (or without `--max-items`/`--no-paginate`) and save the output in the snapshot directory"),
                );
            }
        }
    }

    fn cluster(&mut self) {
        let mut clusters: Vec<(&str, JsonPath, &Map<String, Value>)> = Vec::new();
        for d in self.of(Call::DescribeClusters) {
            self.failures(d);
            for (p, o) in d.items() {
                clusters.push((&d.file, p, o));
            }
        }
        let wanted = self
            .options
            .cluster
            .as_deref()
            .map(|w| arn_id(w).to_string());
        let chosen = match &wanted {
            Some(w) => clusters
                .iter()
                .position(|(_, _, o)| str_of(o, "clusterName") == Some(w.as_str())),
            None if clusters.len() == 1 => Some(0),
            None if clusters.is_empty() => None,
            None => {
                // The cluster most services of the snapshot run in.
                let mut count: BTreeMap<&str, usize> = BTreeMap::new();
                for d in self.of(Call::DescribeServices) {
                    for (_, o) in d.items() {
                        if let Some(a) = str_of(o, "clusterArn") {
                            *count.entry(arn_id(a)).or_default() += 1;
                        }
                    }
                }
                let best = clusters
                    .iter()
                    .enumerate()
                    .max_by_key(|(i, (_, _, o))| {
                        (
                            str_of(o, "clusterName")
                                .and_then(|n| count.get(n))
                                .copied()
                                .unwrap_or(0),
                            usize::MAX - i,
                        )
                    })
                    .map(|(i, _)| i);
                if let Some(i) = best {
                    let names: Vec<&str> = clusters
                        .iter()
                        .filter_map(|(_, _, o)| str_of(o, "clusterName"))
                        .collect();
                    self.notes.push(
                        clusters[i].0,
                        Finding::warning(
                            "several-clusters",
                            clusters[i].1.clone(),
                            format!(
                                "the snapshot describes {} clusters ({}); imported {}, the one most of its services run in",
                                clusters.len(),
                                names.join(", "),
                                str_of(clusters[i].2, "clusterName").unwrap_or("?")
                            ),
                        )
                        .with_fix("choose with --cluster NAME; a plan has one cluster"),
                    );
                }
                best
            }
        };
        match chosen {
            Some(i) => {
                let (file, path, o) = (clusters[i].0, clusters[i].1.clone(), clusters[i].2);
                self.cluster_name = str_of(o, "clusterName").unwrap_or_default().to_string();
                self.cluster_arn = str_of(o, "clusterArn").map(str::to_string);
                if let Some(s) = o.get("defaultCapacityProviderStrategy") {
                    let p = path.key("defaultCapacityProviderStrategy");
                    match refused(s, "ecs:CapacityProviderStrategy", &p) {
                        None => {
                            self.default_strategy =
                                serde_json::from_value(s.clone()).unwrap_or_default()
                        }
                        Some(f) => self.notes.push(file, f),
                    }
                }
                if let Some(Value::Array(cps)) = o.get("capacityProviders") {
                    self.associated = Some(
                        cps.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect(),
                    );
                }
                if let Some(s) = str_of(o, "status").filter(|s| *s != "ACTIVE") {
                    self.notes.push(
                        file,
                        Finding::warning(
                            "cluster-status",
                            path.key("status"),
                            format!("the cluster is {s}, not ACTIVE"),
                        ),
                    );
                }
                for (k, _) in o {
                    if !matches!(
                        k.as_str(),
                        "clusterName"
                            | "clusterArn"
                            | "defaultCapacityProviderStrategy"
                            | "capacityProviders"
                            | "status"
                            | "registeredContainerInstancesCount"
                            | "runningTasksCount"
                            | "pendingTasksCount"
                            | "activeServicesCount"
                    ) {
                        self.notes.dropped(
                            "clusters",
                            k,
                            "the plan keeps the cluster's name, capacity providers and default strategy",
                            file,
                            path.key(k),
                        );
                    }
                }
            }
            None => {
                let from_services = self
                    .of(Call::DescribeServices)
                    .chain(self.of(Call::DescribeTasks))
                    .flat_map(|d| d.items())
                    .find_map(|(_, o)| str_of(o, "clusterArn"))
                    .map(str::to_string);
                match (&wanted, from_services) {
                    (Some(w), _) => {
                        self.cluster_name = w.clone();
                        if !clusters.is_empty() {
                            self.notes.push(
                                "",
                                Finding::warning(
                                    "cluster-not-described",
                                    JsonPath::root(),
                                    format!("cluster {w} is not among the described clusters; its default strategy and capacity providers are unknown"),
                                ),
                            );
                        }
                    }
                    (None, Some(arn)) => {
                        self.cluster_name = arn_id(&arn).to_string();
                        self.cluster_arn = Some(arn);
                    }
                    (None, None) => {}
                }
                if clusters.is_empty() {
                    self.notes.push(
                        "",
                        Finding::warning(
                            "missing-call",
                            JsonPath::root(),
                            "no `aws ecs describe-clusters` output: the cluster's default capacity provider strategy and its capacity providers are unknown",
                        )
                        .with_fix("add the output of `aws ecs describe-clusters --clusters NAME --output json`"),
                    );
                }
            }
        }
        self.region = self
            .cluster_arn
            .as_deref()
            .and_then(arn_region)
            .map(str::to_string);
    }

    /// Reports the `failures` of a describe output.
    fn failures(&mut self, d: &Doc) {
        for (i, f) in d
            .value
            .get("failures")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let arn = f.get("arn").and_then(Value::as_str).unwrap_or("?");
            let reason = f.get("reason").and_then(Value::as_str).unwrap_or("?");
            self.notes.push(
                &d.file,
                Finding::warning(
                    "aws-failure",
                    JsonPath::root().key("failures").index(i),
                    format!("AWS could not describe {arn}: {reason}"),
                ),
            );
        }
    }

    fn instance_types(&mut self) {
        let mut types = Vec::new();
        for d in self.of(Call::DescribeInstanceTypes) {
            for (p, o) in d.items() {
                let doc = json!({ "InstanceTypes": [Value::Object(o.clone())] });
                match crate::catalog::import_describe_instance_types(&doc.to_string()) {
                    Ok(t) => {
                        if let Some(name) = str_of(o, "InstanceType") {
                            self.instance_type_entries
                                .entry(name.to_string())
                                .or_insert_with(|| Value::Object(o.clone()));
                        }
                        types.extend(t);
                    }
                    Err(e) => self.notes.push(
                        &d.file,
                        Finding::warning(
                            "not-converted",
                            p,
                            format!("instance type not read: {e}"),
                        ),
                    ),
                }
            }
        }
        if !types.is_empty() {
            self.catalog = Catalog::builtin().with_imported(types);
        }
    }

    fn task_definitions(&mut self) {
        for d in self.of(Call::DescribeTaskDefinition) {
            let base = JsonPath::root().key("taskDefinition");
            let Some(inner) = d.value.get("taskDefinition").and_then(Value::as_object) else {
                continue;
            };
            let family = str_of(inner, "family").map(str::to_string);
            let revision = u32_of(inner, "revision").or_else(|| {
                str_of(inner, "taskDefinitionArn")
                    .and_then(family_revision)
                    .map(|(_, r)| r)
            });
            let (Some(family), Some(revision)) = (family, revision) else {
                self.notes.push(
                    &d.file,
                    Finding::warning(
                        "not-converted",
                        base.clone(),
                        "a task definition without `family` and `revision`; not imported",
                    ),
                );
                continue;
            };
            if self.revisions.contains(&family, revision) {
                self.notes.push(
                    &d.file,
                    Finding::info(
                        "duplicate",
                        base.clone(),
                        format!("{family}:{revision} is in another file too; imported once"),
                    ),
                );
                continue;
            }
            let mut obj = carry(
                inner,
                "ecs:RegisterTaskDefinitionRequest",
                &[],
                "task definitions",
                "RegisterTaskDefinition",
                &d.file,
                &base,
                self.notes,
            );
            if let Some(Value::Array(tags)) = d.value.get("tags") {
                if !tags.is_empty() && !obj.contains_key("tags") {
                    let p = JsonPath::root().key("tags");
                    match refused(&Value::Array(tags.clone()), "ecs:Tags", &p) {
                        None => {
                            obj.insert("tags".into(), Value::Array(tags.clone()));
                        }
                        Some(f) => self.notes.push(&d.file, f),
                    }
                }
            }
            obj.entry("containerDefinitions")
                .or_insert_with(|| Value::Array(Vec::new()));
            match crate::typed::typed::<TaskDefinition>(&Value::Object(obj), &base) {
                Ok(td) => {
                    self.revisions.add(&family, revision, td);
                }
                Err(f) => self.notes.push(&d.file, *f),
            }
        }
    }

    fn capacity_providers(&mut self) {
        // The Auto Scaling groups, by ARN and by name.
        let mut groups: Vec<(&str, JsonPath, &Map<String, Value>)> = Vec::new();
        for d in self.of(Call::DescribeAutoScalingGroups) {
            for (p, o) in d.items() {
                if !groups.iter().any(|(_, _, g)| {
                    str_of(g, "AutoScalingGroupName") == str_of(o, "AutoScalingGroupName")
                }) {
                    groups.push((&d.file, p, o));
                }
            }
        }
        let mut used_groups = BTreeSet::new();
        let mut seen = BTreeSet::new();
        for d in self.of(Call::DescribeCapacityProviders) {
            self.failures(d);
            for (p, o) in d.items() {
                let Some(name) = str_of(o, "name") else {
                    continue;
                };
                if crate::plan::FARGATE_PROVIDERS.contains(&name) {
                    continue;
                }
                if let Some(a) = &self.associated {
                    if !a.contains(name) {
                        self.notes.push(
                            &d.file,
                            Finding::info(
                                "other-cluster",
                                p.key("name"),
                                format!("capacity provider {name} is not associated with cluster {}; not imported", self.cluster_name),
                            ),
                        );
                        continue;
                    }
                }
                if !seen.insert(name.to_string()) {
                    continue;
                }
                let mut obj = carry(
                    o,
                    "plan:CapacityProvider",
                    &[],
                    "capacity providers",
                    "CreateCapacityProvider",
                    &d.file,
                    &p,
                    self.notes,
                );
                obj.remove("cluster");
                let arn = o
                    .get("autoScalingGroupProvider")
                    .and_then(|a| a.get("autoScalingGroupArn"))
                    .and_then(Value::as_str);
                let group = arn.and_then(|arn| {
                    groups.iter().find(|(_, _, g)| {
                        str_of(g, "AutoScalingGroupARN") == Some(arn)
                            || str_of(g, "AutoScalingGroupName").is_some_and(|n| {
                                arn.ends_with(&format!("autoScalingGroupName/{n}"))
                            })
                    })
                });
                match (group, arn) {
                    (Some((gfile, gpath, g)), _) => {
                        used_groups.insert(str_of(g, "AutoScalingGroupName").unwrap_or(""));
                        let asg = self.group(name, gfile, gpath, g);
                        obj.insert(
                            "autoScalingGroup".into(),
                            serde_json::to_value(asg).unwrap_or(Value::Null),
                        );
                    }
                    (None, Some(arn)) => self.notes.push(
                        &d.file,
                        Finding::warning(
                            "missing-call",
                            p.key("autoScalingGroupProvider").key("autoScalingGroupArn"),
                            format!("the Auto Scaling group of capacity provider {name} is not in the snapshot: its size, zones and instance types are unknown"),
                        )
                        .with_fix(format!(
                            "add `aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names {} --output json`",
                            arn_id(arn).trim_start_matches("autoScalingGroupName/")
                        )),
                    ),
                    (None, None) => {}
                }
                match crate::typed::typed::<CapacityProvider>(&Value::Object(obj), &p) {
                    Ok(cp) => self.capacity_providers.push(cp),
                    Err(f) => self.notes.push(&d.file, *f),
                }
            }
        }
        if let Some(a) = &self.associated {
            for name in a {
                if !crate::plan::FARGATE_PROVIDERS.contains(&name.as_str()) && !seen.contains(name)
                {
                    self.notes.push(
                        "",
                        Finding::warning(
                            "missing-call",
                            JsonPath::root(),
                            format!("capacity provider {name} of the cluster is not described in the snapshot; not imported"),
                        )
                        .with_fix(format!("add `aws ecs describe-capacity-providers --capacity-providers {name} --output json`")),
                    );
                }
            }
        }
        for (file, path, g) in &groups {
            let name = str_of(g, "AutoScalingGroupName").unwrap_or("");
            for inst in g
                .get("Instances")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(id) = inst.get("InstanceId").and_then(Value::as_str) {
                    self.asg_instances.insert(
                        id.to_string(),
                        (
                            inst.get("InstanceType")
                                .and_then(Value::as_str)
                                .map(str::to_string),
                            inst.get("AvailabilityZone")
                                .and_then(Value::as_str)
                                .map(str::to_string),
                        ),
                    );
                }
            }
            if !used_groups.contains(name) {
                self.notes.push(
                    file,
                    Finding::info(
                        "not-imported",
                        path.key("AutoScalingGroupName"),
                        format!("Auto Scaling group {name} backs no capacity provider of the cluster; only its instances' types and zones are used"),
                    ),
                );
            }
        }
    }

    /// The plan's `autoScalingGroup` of a capacity provider from describe-auto-scaling-groups.
    fn group(
        &mut self,
        provider: &str,
        file: &str,
        path: &JsonPath,
        g: &Map<String, Value>,
    ) -> AutoScalingGroup {
        let obj = carry(
            g,
            "plan:AutoScalingGroup",
            &[],
            "Auto Scaling groups",
            "CreateAutoScalingGroup",
            file,
            path,
            self.notes,
        );
        let mut asg: AutoScalingGroup =
            crate::typed::typed(&Value::Object(obj), path).unwrap_or_default();
        // Instance types: the mixed instances policy's overrides, else the group's instances.
        let mut types: Vec<String> = Vec::new();
        for o in g
            .get("MixedInstancesPolicy")
            .and_then(|m| m.get("LaunchTemplate"))
            .and_then(|l| l.get("Overrides"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(t) = o.get("InstanceType").and_then(Value::as_str) {
                if !types.iter().any(|x| x == t) {
                    types.push(t.to_string());
                }
            }
        }
        if types.is_empty() {
            let mut by_count: BTreeMap<String, usize> = BTreeMap::new();
            for inst in g
                .get("Instances")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(t) = inst.get("InstanceType").and_then(Value::as_str) {
                    *by_count.entry(t.to_string()).or_default() += 1;
                }
            }
            let mut v: Vec<(String, usize)> = by_count.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            types = v.into_iter().map(|(t, _)| t).collect();
            if !types.is_empty() {
                self.notes.push(
                    file,
                    Finding::info(
                        "assumed",
                        path.key("Instances"),
                        format!(
                            "capacity provider {provider}: instance types {} taken from the group's running instances (the launch template's type is not in describe-auto-scaling-groups output)",
                            types.join(", ")
                        ),
                    ),
                );
            } else {
                self.notes.push(
                    file,
                    Finding::warning(
                        "unknown-instance-types",
                        path.clone(),
                        format!("capacity provider {provider}: the group has no overrides and no instances, so the type it launches is unknown; scaling out cannot be simulated"),
                    )
                    .with_fix("add \"InstanceTypes\": [\"TYPE\"] to the capacity provider's autoScalingGroup in the plan"),
                );
            }
        }
        asg.instance_types = types;
        asg
    }

    fn container_instances(&mut self) {
        let providers: BTreeSet<String> = self
            .capacity_providers
            .iter()
            .map(|c| c.name.clone())
            .collect();
        let mut seen = BTreeSet::new();
        for d in self.of(Call::DescribeContainerInstances) {
            self.failures(d);
            for (p, o) in d.items() {
                if let Some((ci, state)) = self.instance(&d.file, &p, o, &providers) {
                    if let Some(arn) = str_of(o, "containerInstanceArn") {
                        self.instance_by_arn.insert(arn.to_string(), ci.id.clone());
                    }
                    if seen.insert(ci.id.clone()) {
                        self.instances.push(ci);
                        self.states.push(state);
                    }
                }
            }
        }
    }

    fn instance(
        &mut self,
        file: &str,
        p: &JsonPath,
        o: &Map<String, Value>,
        providers: &BTreeSet<String>,
    ) -> Option<(ContainerInstance, InstanceState)> {
        let Some(id) = str_of(o, "ec2InstanceId") else {
            self.notes.push(
                file,
                Finding::warning(
                    "not-imported",
                    p.clone(),
                    format!(
                        "container instance {} has no EC2 instance id (an external instance?); not imported",
                        str_of(o, "containerInstanceArn").map(arn_id).unwrap_or("?")
                    ),
                ),
            );
            return None;
        };
        let status = match str_of(o, "status").unwrap_or("ACTIVE") {
            "ACTIVE" => InstanceStatus::Active,
            "DRAINING" => InstanceStatus::Draining,
            other => {
                self.notes.push(
                    file,
                    Finding::info(
                        "not-imported",
                        p.key("status"),
                        format!("container instance {id} is {other}; only ACTIVE and DRAINING instances are imported"),
                    ),
                );
                return None;
            }
        };
        let mut attrs: BTreeMap<String, String> = BTreeMap::new();
        let mut attr_paths: BTreeMap<String, JsonPath> = BTreeMap::new();
        for (i, a) in o
            .get("attributes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(n) = a.get("name").and_then(Value::as_str) {
                attrs.insert(
                    n.to_string(),
                    a.get("value")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                );
                attr_paths.insert(n.to_string(), p.key("attributes").index(i));
            }
        }
        let from_group = self.asg_instances.get(id).cloned().unwrap_or((None, None));
        let instance_type = attrs
            .get("ecs.instance-type")
            .filter(|s| !s.is_empty())
            .cloned()
            .or(from_group.0);
        let zone = attrs
            .get("ecs.availability-zone")
            .filter(|s| !s.is_empty())
            .cloned()
            .or(from_group.1);
        let (Some(instance_type), Some(zone)) = (instance_type, zone) else {
            self.notes.push(
                file,
                Finding::warning(
                    "not-imported",
                    p.key("attributes"),
                    format!("container instance {id} has no ecs.instance-type or ecs.availability-zone attribute (and is in no described Auto Scaling group); not imported"),
                ),
            );
            return None;
        };
        let mut ci = ContainerInstance::new(id, &instance_type, &zone);
        ci.status = status;
        ci.agent_connected = o
            .get("agentConnected")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        ci.agent_version = o
            .get("versionInfo")
            .and_then(|v| v.get("agentVersion"))
            .and_then(Value::as_str)
            .map(str::to_string);
        ci.registered_at = o.get("registeredAt").and_then(timestamp_text);
        for (name, value) in &attrs {
            let ap = attr_paths.get(name).cloned().unwrap_or_else(|| p.clone());
            match name.as_str() {
                "ecs.instance-type" | "ecs.availability-zone" | "ecs.os-type" => {}
                "ecs.ami-id" => ci.ami_id = Some(value.clone()),
                "ecs.vpc-id" => ci.vpc_id = Some(value.clone()),
                "ecs.subnet-id" => ci.subnet_id = Some(value.clone()),
                "ecs.awsvpc-trunk-id" => ci.eni_trunking = true,
                "ecs.os-family" => {
                    if refused(&Value::String(value.clone()), "plan:OsFamily", &ap).is_none() {
                        ci.os_family = Some(value.clone());
                    } else {
                        self.notes.push(
                            file,
                            Finding::warning(
                                "not-converted",
                                ap,
                                format!("OS family {value} of {id} is not one the planner knows; left out (LINUX assumed)"),
                            ),
                        );
                    }
                }
                "ecs.cpu-architecture" => {
                    if let Some(t) = self.catalog.get(&instance_type) {
                        if t.architecture.as_str() != value {
                            self.notes.push(
                                file,
                                Finding::warning(
                                    "inconsistent",
                                    ap,
                                    format!("{id} reports architecture {value}, the catalog has {} for {instance_type}", t.architecture.as_str()),
                                ),
                            );
                        }
                    }
                }
                n if n.starts_with("ecs.") || n.starts_with("com.amazonaws.ecs.") => {
                    self.notes.dropped(
                        "container instances' attributes",
                        if n.contains(".capability.") {
                            "ecs.capability.* / com.amazonaws.ecs.capability.*"
                        } else {
                            n
                        },
                        "capabilities the agent registers; the planner checks task definitions against the instance type instead",
                        file,
                        ap,
                    );
                }
                _ if value.is_empty() => self.notes.push(
                    file,
                    Finding::warning(
                        "not-converted",
                        ap,
                        format!("custom attribute {name} of {id} has no value; the plan's attributes need one, left out"),
                    )
                    .with_fix("give it a value in the plan if a constraint tests it with `exists`"),
                ),
                _ => {
                    if refused(&Value::String(name.clone()), "plan:AttributeName", &ap).is_none()
                        && refused(&Value::String(value.clone()), "plan:AttributeValue", &ap)
                            .is_none()
                    {
                        ci.attributes.insert(name.clone(), value.clone());
                    } else {
                        self.notes.push(
                            file,
                            Finding::warning(
                                "not-converted",
                                ap,
                                format!("attribute {name} of {id} is too long for a plan; left out"),
                            ),
                        );
                    }
                }
            }
        }
        // Registered and remaining resources.
        let resources = |k: &str| -> BTreeMap<String, &Value> {
            o.get(k)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|r| Some((r.get("name")?.as_str()?.to_string(), r)))
                .collect()
        };
        let int = |r: Option<&&Value>| -> Option<i64> {
            let r = r?;
            r.get("integerValue")
                .and_then(Value::as_i64)
                .or_else(|| r.get("longValue").and_then(Value::as_i64))
                .or_else(|| {
                    r.get("doubleValue")
                        .and_then(Value::as_f64)
                        .map(|f| f as i64)
                })
        };
        let ports = |r: Option<&&Value>| -> Option<Vec<u16>> {
            let set = r?.get("stringSetValue")?.as_array()?;
            let mut v: Vec<u16> = set
                .iter()
                .filter_map(|s| s.as_str()?.trim().parse().ok())
                .collect();
            v.sort_unstable();
            v.dedup();
            Some(v)
        };
        let registered = resources("registeredResources");
        let remaining = resources("remainingResources");
        let reg_cpu = int(registered.get("CPU"));
        let reg_mem = int(registered.get("MEMORY"));
        match self.catalog.get(&instance_type) {
            Some(t) => {
                let planner = t.registered(0, None);
                if let Some(c) = reg_cpu.and_then(|c| u32::try_from(c).ok()) {
                    if c != planner.cpu {
                        ci.registered_cpu = Some(c);
                    }
                }
                if let Some(m) = reg_mem.and_then(|m| u32::try_from(m).ok()) {
                    if m != planner.memory_mib {
                        ci.registered_memory = Some(m);
                    }
                }
            }
            None => {
                ci.registered_cpu = reg_cpu.and_then(|c| u32::try_from(c).ok());
                ci.registered_memory = reg_mem.and_then(|m| u32::try_from(m).ok());
                self.notes.push(
                    file,
                    Finding::warning(
                        "unknown-instance-type",
                        attr_paths
                            .get("ecs.instance-type")
                            .cloned()
                            .unwrap_or_else(|| p.clone()),
                        format!("instance type {instance_type} of {id} is neither in the catalog nor in describe-instance-types output of the snapshot"),
                    )
                    .with_fix(format!("add `aws ec2 describe-instance-types --instance-types {instance_type} --output json` to the snapshot")),
                );
            }
        }
        if let Some(tcp) = ports(registered.get("PORTS")) {
            let mut default = crate::cluster::DEFAULT_RESERVED_PORTS.to_vec();
            default.sort_unstable();
            if tcp != default {
                ci.reserved_ports = Some(tcp);
            }
        }
        if let Some(udp) = ports(registered.get("PORTS_UDP")).filter(|u| !u.is_empty()) {
            ci.reserved_ports_udp = Some(udp);
        }
        for name in registered.keys() {
            if !matches!(name.as_str(), "CPU" | "MEMORY" | "PORTS" | "PORTS_UDP") {
                self.notes.dropped(
                    "container instances' registered resources",
                    name,
                    "the planner takes GPUs and other devices from the instance type",
                    file,
                    p.key("registeredResources"),
                );
            }
        }
        if let Some(cp) = str_of(o, "capacityProviderName") {
            if providers.contains(cp) {
                ci.capacity_provider = Some(cp.to_string());
            } else {
                self.notes.push(
                    file,
                    Finding::warning(
                        "unknown-capacity-provider",
                        p.key("capacityProviderName"),
                        format!("{id} belongs to capacity provider {cp}, which the snapshot does not describe; imported without it"),
                    ),
                );
            }
        }
        for k in o.keys() {
            if !matches!(
                k.as_str(),
                "ec2InstanceId"
                    | "containerInstanceArn"
                    | "status"
                    | "attributes"
                    | "agentConnected"
                    | "versionInfo"
                    | "registeredAt"
                    | "registeredResources"
                    | "remainingResources"
                    | "capacityProviderName"
                    | "runningTasksCount"
                    | "pendingTasksCount"
            ) {
                self.notes.dropped(
                    "container instances",
                    k,
                    "not part of the plan's container instances",
                    file,
                    p.key(k),
                );
            }
        }
        let state = InstanceState {
            id: id.to_string(),
            registered_cpu: reg_cpu,
            registered_memory: reg_mem,
            remaining_cpu: int(remaining.get("CPU")),
            remaining_memory: int(remaining.get("MEMORY")),
            running_tasks_count: u32_of(o, "runningTasksCount"),
            pending_tasks_count: u32_of(o, "pendingTasksCount"),
        };
        Some((ci, state))
    }

    fn services(&mut self) {
        let scaling = self.scaling();
        let mut seen = BTreeSet::new();
        let mut other_cluster = 0usize;
        for d in self.of(Call::DescribeServices) {
            self.failures(d);
            for (p, o) in d.items() {
                let Some(name) = str_of(o, "serviceName") else {
                    continue;
                };
                if !self.in_cluster(o) {
                    other_cluster += 1;
                    continue;
                }
                if !seen.insert(name.to_string()) {
                    self.notes.push(
                        &d.file,
                        Finding::info(
                            "duplicate",
                            p.clone(),
                            format!("service {name} is in another file too; imported once"),
                        ),
                    );
                    continue;
                }
                match str_of(o, "status") {
                    Some("ACTIVE") | None => {}
                    Some(s) => {
                        self.notes.push(
                            &d.file,
                            Finding::info(
                                "not-imported",
                                p.key("status"),
                                format!("service {name} is {s}; only ACTIVE services are imported"),
                            ),
                        );
                        continue;
                    }
                }
                if let Some(s) = self.service(&d.file, &p, o, name, scaling.get(name)) {
                    self.services.push(s);
                }
            }
        }
        if other_cluster > 0 {
            self.notes.push(
                "",
                Finding::info(
                    "other-cluster",
                    JsonPath::root(),
                    format!(
                        "{other_cluster} described services run in other clusters than {}; not imported",
                        self.cluster_name
                    ),
                ),
            );
        }
        for (svc, (file, path, _)) in &scaling {
            if !seen.contains(svc.as_str()) {
                self.notes.push(
                    file,
                    Finding::info(
                        "not-imported",
                        path.clone(),
                        format!("auto scaling of service {svc}, which the snapshot does not describe; not imported"),
                    ),
                );
            }
        }
    }

    fn service(
        &mut self,
        file: &str,
        p: &JsonPath,
        o: &Map<String, Value>,
        name: &str,
        scaling: Option<&(String, JsonPath, Value)>,
    ) -> Option<Service> {
        let td_arn = str_of(o, "taskDefinition");
        let td_ref = match td_arn.and_then(family_revision) {
            Some((family, rev)) => match self.revisions.plan_ref(&family, rev) {
                Some(r) => r,
                None => {
                    let latest = self.revisions.latest(&family);
                    self.notes.push(
                        file,
                        Finding::warning(
                            "missing-task-definition",
                            p.key("taskDefinition"),
                            format!(
                                "service {name} runs {family}:{rev}, which the snapshot does not describe{}; the service is not imported",
                                latest.map(|l| format!(" (it has {family}:{l})")).unwrap_or_default()
                            ),
                        )
                        .with_fix(format!("add `aws ecs describe-task-definition --task-definition {family}:{rev} --include TAGS --output json` to the snapshot")),
                    );
                    return None;
                }
            },
            None => {
                self.notes.push(
                    file,
                    Finding::warning(
                        "missing-task-definition",
                        p.clone(),
                        format!("service {name} has no task definition (an external deployment controller?); not imported"),
                    ),
                );
                return None;
            }
        };
        let deployments = o.get("deployments").and_then(Value::as_array);
        if let Some(ds) = deployments {
            let active: Vec<String> = ds
                .iter()
                .filter(|x| x.get("status").and_then(Value::as_str) != Some("PRIMARY"))
                .filter_map(|x| {
                    let td = x.get("taskDefinition")?.as_str()?;
                    let (f, r) = family_revision(td)?;
                    Some(format!(
                        "{f}:{r} ({} running)",
                        x.get("runningCount").and_then(Value::as_u64).unwrap_or(0)
                    ))
                })
                .collect();
            if !active.is_empty() {
                self.notes.push(
                    file,
                    Finding::warning(
                        "deployment-in-progress",
                        p.key("deployments"),
                        format!(
                            "service {name} was being deployed when the snapshot was taken: it still runs {}; the plan has the new task definition",
                            active.join(", ")
                        ),
                    ),
                );
            }
        }
        let mut rest = o.clone();
        for k in ["taskDefinition", "serviceName"] {
            rest.remove(k);
        }
        let mut obj = carry(
            &rest,
            "plan:Service",
            &[("roleArn", "role")],
            "services",
            "CreateService",
            file,
            p,
            self.notes,
        );
        obj.remove("cluster");
        obj.insert("serviceName".into(), Value::String(name.to_string()));
        obj.insert("taskDefinition".into(), Value::String(td_ref));
        if let Some((sfile, spath, a)) = scaling {
            match refused(a, "plan:ServiceAutoScaling", spath) {
                None => {
                    obj.insert("autoScaling".into(), a.clone());
                }
                Some(f) => self.notes.push(
                    sfile,
                    Finding::warning(
                        "not-converted",
                        f.path,
                        format!("auto scaling of service {name} left out: {}", f.message),
                    ),
                ),
            }
        }
        if let Some(n) = u32_of(o, "runningCount") {
            self.running_counts.insert(name.to_string(), n);
        }
        match crate::typed::typed::<Service>(&Value::Object(obj), p) {
            Ok(s) => Some(s),
            Err(f) => {
                self.notes.push(file, *f);
                None
            }
        }
    }

    /// Each service's `autoScaling` from the Application Auto Scaling outputs: service name →
    /// (file and path of its scalable target, value).
    fn scaling(&mut self) -> BTreeMap<String, (String, JsonPath, Value)> {
        let mut out: BTreeMap<String, (String, JsonPath, Map<String, Value>)> = BTreeMap::new();
        let mut other = 0usize;
        let cluster = self.cluster_name.clone();
        // "service/CLUSTER/NAME" of the imported cluster's DesiredCount.
        let service_of = |o: &Map<String, Value>| -> Result<String, ()> {
            if str_of(o, "ServiceNamespace").is_some_and(|n| n != "ecs")
                || str_of(o, "ScalableDimension").is_some_and(|d| d != "ecs:service:DesiredCount")
            {
                return Err(());
            }
            let rid = str_of(o, "ResourceId").ok_or(())?;
            let mut parts = rid.splitn(3, '/');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("service"), Some(c), Some(s)) if cluster.is_empty() || c == cluster => {
                    Ok(s.to_string())
                }
                _ => Err(()),
            }
        };
        for d in self.of(Call::DescribeScalableTargets) {
            for (p, o) in d.items() {
                let Ok(svc) = service_of(o) else {
                    other += 1;
                    continue;
                };
                let mut a = Map::new();
                for (k, v) in o {
                    match k.as_str() {
                        "MinCapacity" => {
                            a.insert("minCapacity".into(), v.clone());
                        }
                        "MaxCapacity" => {
                            a.insert("maxCapacity".into(), v.clone());
                        }
                        "SuspendedState" => {
                            let any = v
                                .as_object()
                                .is_some_and(|s| s.values().any(|x| x.as_bool() == Some(true)));
                            if any {
                                a.insert("suspendedState".into(), v.clone());
                            }
                        }
                        "ServiceNamespace" | "ResourceId" | "ScalableDimension" => {}
                        _ => self.notes.dropped(
                            "scalable targets",
                            k,
                            "the plan's autoScaling keeps the capacity limits and suspended state",
                            &d.file,
                            p.key(k),
                        ),
                    }
                }
                out.insert(svc, (d.file.clone(), p, a));
            }
        }
        let implied = ["ServiceNamespace", "ResourceId", "ScalableDimension"];
        for d in self.of(Call::DescribeScalingPolicies) {
            for (p, o) in d.items() {
                let Ok(svc) = service_of(o) else {
                    other += 1;
                    continue;
                };
                let Some(entry) = out.get_mut(&svc) else {
                    self.notes.push(
                        &d.file,
                        Finding::warning(
                            "missing-call",
                            p.clone(),
                            format!("scaling policy of service {svc} without its scalable target in the snapshot; not imported"),
                        )
                        .with_fix("add `aws application-autoscaling describe-scalable-targets --service-namespace ecs --output json`"),
                    );
                    continue;
                };
                let mut rest = o.clone();
                for k in implied {
                    rest.remove(k);
                }
                let alarms: Vec<String> = rest
                    .remove("Alarms")
                    .and_then(|a| a.as_array().cloned())
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|a| a.get("AlarmName")?.as_str().map(str::to_string))
                    .collect();
                let policy = carry(
                    &rest,
                    "plan:ScalingPolicy",
                    &[],
                    "scaling policies",
                    "PutScalingPolicy",
                    &d.file,
                    &p,
                    self.notes,
                );
                if str_of(o, "PolicyType") == Some("StepScaling") {
                    self.notes.push(
                        &d.file,
                        Finding::warning(
                            "missing-alarm",
                            p.clone(),
                            format!(
                                "step scaling policy {} of service {svc} runs when CloudWatch alarm {} fires; the alarm's metric and threshold are not in the snapshot, so simulations leave the policy out",
                                str_of(o, "PolicyName").unwrap_or("?"),
                                if alarms.is_empty() { "(none attached)".to_string() } else { alarms.join(", ") }
                            ),
                        )
                        .with_fix("add the policy's \"alarm\" (metric, comparison, threshold) in the plan; see docs/plan-format.md"),
                    );
                }
                let list = entry
                    .2
                    .entry("policies")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(l) = list {
                    l.push(Value::Object(policy));
                }
            }
        }
        for d in self.of(Call::DescribeScheduledActions) {
            for (p, o) in d.items() {
                let Ok(svc) = service_of(o) else {
                    other += 1;
                    continue;
                };
                let Some(entry) = out.get_mut(&svc) else {
                    self.notes.push(
                        &d.file,
                        Finding::warning(
                            "missing-call",
                            p.clone(),
                            format!("scheduled action of service {svc} without its scalable target in the snapshot; not imported"),
                        ),
                    );
                    continue;
                };
                let mut rest = o.clone();
                for k in implied {
                    rest.remove(k);
                }
                let action = carry(
                    &rest,
                    "plan:ScheduledAction",
                    &[],
                    "scheduled actions",
                    "PutScheduledAction",
                    &d.file,
                    &p,
                    self.notes,
                );
                let list = entry
                    .2
                    .entry("scheduledActions")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(l) = list {
                    l.push(Value::Object(action));
                }
            }
        }
        if other > 0 {
            self.notes.push(
                "",
                Finding::info(
                    "other-cluster",
                    JsonPath::root(),
                    format!("{other} scalable targets, policies or scheduled actions are for other clusters or other resources; not imported"),
                ),
            );
        }
        out.into_iter()
            .map(|(k, (f, p, a))| (k, (f, p, Value::Object(a))))
            .collect()
    }

    fn tasks(&mut self) {
        let mut seen = BTreeSet::new();
        let mut standalone: BTreeMap<StandaloneKey, u32> = BTreeMap::new();
        for d in self.of(Call::DescribeTasks) {
            self.failures(d);
            for (p, o) in d.items() {
                if !self.in_cluster(o) {
                    continue;
                }
                let Some(arn) = str_of(o, "taskArn") else {
                    continue;
                };
                if !seen.insert(arn.to_string()) {
                    continue;
                }
                let td_arn = str_of(o, "taskDefinitionArn").unwrap_or("");
                let (aws_td, plan_td) = match family_revision(td_arn) {
                    Some((f, r)) => (format!("{f}:{r}"), self.revisions.plan_ref(&f, r)),
                    None => (td_arn.to_string(), None),
                };
                let group = str_of(o, "group");
                let service = group
                    .and_then(|g| g.strip_prefix("service:"))
                    .map(str::to_string);
                let container_instance = str_of(o, "containerInstanceArn").and_then(|a| {
                    let id = self.instance_by_arn.get(a).cloned();
                    if id.is_none() {
                        self.notes.push(
                            &d.file,
                            Finding::warning(
                                "missing-instance",
                                p.key("containerInstanceArn"),
                                format!("task {} runs on container instance {}, which the snapshot does not describe", arn_id(arn), arn_id(a)),
                            )
                            .with_fix("add the output of `aws ecs describe-container-instances` for every instance of the cluster"),
                        );
                    }
                    id
                });
                let zone = str_of(o, "availabilityZone")
                    .map(str::to_string)
                    .or_else(|| {
                        let id = container_instance.as_deref()?;
                        self.instances
                            .iter()
                            .find(|c| c.id == id)
                            .map(|c| c.availability_zone.clone())
                    });
                let desired = str_of(o, "desiredStatus").map(str::to_string);
                let launch_type = str_of(o, "launchType").map(str::to_string);
                let capacity_provider = str_of(o, "capacityProviderName").map(str::to_string);
                if service.is_none() && desired.as_deref().unwrap_or("RUNNING") == "RUNNING" {
                    match &plan_td {
                        Some(td) => {
                            let family = td.split(':').next().unwrap_or(td);
                            let custom_group = group
                                .filter(|g| *g != format!("family:{family}"))
                                .map(str::to_string);
                            *standalone
                                .entry((
                                    td.clone(),
                                    custom_group,
                                    launch_type.clone(),
                                    capacity_provider.clone(),
                                ))
                                .or_default() += 1;
                        }
                        None => self.notes.push(
                            &d.file,
                            Finding::warning(
                                "missing-task-definition",
                                p.key("taskDefinitionArn"),
                                format!("standalone task {} runs {aws_td}, which the snapshot does not describe; not imported as a task", arn_id(arn)),
                            )
                            .with_fix(format!("add `aws ecs describe-task-definition --task-definition {aws_td} --include TAGS --output json`")),
                        ),
                    }
                }
                self.running.push(RunningTask {
                    task_id: arn_id(arn).to_string(),
                    service,
                    group: group
                        .filter(|g| !g.starts_with("service:"))
                        .map(str::to_string),
                    task_definition: plan_td.unwrap_or_else(|| aws_td.clone()),
                    aws_task_definition: aws_td,
                    container_instance,
                    availability_zone: zone,
                    launch_type,
                    capacity_provider,
                    last_status: str_of(o, "lastStatus").unwrap_or("UNKNOWN").to_string(),
                    desired_status: desired,
                });
            }
        }
        let providers: BTreeSet<&str> = self
            .capacity_providers
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        for ((td, group, lt, cp), count) in standalone {
            let mut t = json!({ "taskDefinition": td, "count": count });
            if let Some(g) = group {
                t["group"] = json!(g);
            }
            match (cp, lt) {
                (Some(cp), _)
                    if providers.contains(cp.as_str())
                        || crate::plan::FARGATE_PROVIDERS.contains(&cp.as_str()) =>
                {
                    t["capacityProviderStrategy"] = json!([{ "capacityProvider": cp }]);
                }
                (_, Some(lt)) => t["launchType"] = json!(lt),
                _ => {}
            }
            if let Ok(rt) = serde_json::from_value::<RunTask>(t) {
                self.tasks.push(rt);
            }
        }
        if !self.tasks.is_empty() {
            let n: u32 = self.tasks.iter().filter_map(|t| t.count).sum();
            self.notes.push(
                "",
                Finding::info(
                    "standalone-tasks",
                    JsonPath::root(),
                    format!("{n} running standalone tasks (not started by a service) imported as {} RunTask requests in \"tasks\"", self.tasks.len()),
                ),
            );
        }
        // Running counts as AWS reports them against the tasks described.
        if self.of(Call::DescribeTasks).next().is_some() {
            for (svc, n) in &self.running_counts {
                let described = self
                    .running
                    .iter()
                    .filter(|t| t.service.as_deref() == Some(svc) && t.last_status == "RUNNING")
                    .count() as u32;
                if described != *n {
                    self.notes.push(
                        "",
                        Finding::info(
                            "incomplete",
                            JsonPath::root(),
                            format!("service {svc} has {n} running tasks; the snapshot describes {described} of them"),
                        )
                        .with_fix("take the snapshot again: tasks started or stopped while it was taken"),
                    );
                }
            }
        }
    }

    /// What the `list-*` outputs name that no describe output describes.
    fn listings(&mut self) {
        let described_services: BTreeSet<String> = self
            .of(Call::DescribeServices)
            .flat_map(|d| d.items())
            .filter_map(|(_, o)| str_of(o, "serviceArn").map(str::to_string))
            .collect();
        let described_instances: BTreeSet<String> = self
            .of(Call::DescribeContainerInstances)
            .flat_map(|d| d.items())
            .filter_map(|(_, o)| str_of(o, "containerInstanceArn").map(str::to_string))
            .collect();
        let described_tasks: BTreeSet<String> = self
            .of(Call::DescribeTasks)
            .flat_map(|d| d.items())
            .filter_map(|(_, o)| str_of(o, "taskArn").map(str::to_string))
            .collect();
        for (list, described, what, describe) in [
            (
                Call::ListServices,
                &described_services,
                "services",
                Call::DescribeServices,
            ),
            (
                Call::ListContainerInstances,
                &described_instances,
                "container instances",
                Call::DescribeContainerInstances,
            ),
            (
                Call::ListTasks,
                &described_tasks,
                "tasks",
                Call::DescribeTasks,
            ),
        ] {
            for d in self.of(list) {
                let missing: Vec<&str> = d
                    .arns()
                    .filter(|a| !described.contains(*a))
                    .map(arn_id)
                    .collect();
                if !missing.is_empty() {
                    let shown: Vec<&str> = missing.iter().take(10).copied().collect();
                    self.notes.push(
                        &d.file,
                        Finding::warning(
                            "not-described",
                            JsonPath::root().key(list.member()),
                            format!(
                                "{} listed {what} are not described: {}{}",
                                missing.len(),
                                shown.join(", "),
                                if missing.len() > shown.len() {
                                    ", ..."
                                } else {
                                    ""
                                }
                            ),
                        )
                        .with_fix(format!(
                            "add the output of `{}` for them",
                            describe.command()
                        )),
                    );
                }
            }
        }
        if self.of(Call::DescribeContainerInstances).next().is_none() {
            self.notes.push(
                "",
                Finding::warning(
                    "missing-call",
                    JsonPath::root(),
                    "no `aws ecs describe-container-instances` output: the plan has no EC2 instances",
                ),
            );
        }
        if self.of(Call::DescribeServices).next().is_none() {
            self.notes.push(
                "",
                Finding::warning(
                    "missing-call",
                    JsonPath::root(),
                    "no `aws ecs describe-services` output: the plan has no services",
                ),
            );
        }
    }

    fn finish(self) -> ClusterImport {
        let mut region = self.region.clone();
        let mut zone_list = cluster_zones(&self.instances, &self.capacity_providers);
        zone_list.extend(
            self.running
                .iter()
                .filter_map(|t| t.availability_zone.as_deref()),
        );
        let zones = zones_of(zone_list);
        if region.is_none() {
            region = zones.first().and_then(|z| zone_region(z));
        }
        let mut plan = Plan::empty(&if self.cluster_name.is_empty() {
            "Imported cluster".to_string()
        } else {
            format!("{} (snapshot)", self.cluster_name)
        });
        plan.description = Some(format!(
            "Imported from a snapshot of {}{}",
            self.cluster_arn
                .clone()
                .unwrap_or_else(|| format!("cluster {}", self.cluster_name)),
            " (ecsplan import --from aws-snapshot)"
        ));
        if let Some(r) = region {
            plan.region = r;
        } else {
            self.notes.push(
                "",
                Finding::info(
                    "assumed",
                    JsonPath::root().key("region"),
                    format!("the snapshot names no region; {} assumed", plan.region),
                ),
            );
        }
        plan.cluster.cluster_name = self.cluster_name.clone();
        plan.cluster.availability_zones = zones;
        plan.cluster.container_instances = self.instances;
        plan.cluster.capacity_providers = self.capacity_providers;
        plan.cluster.default_capacity_provider_strategy = self.default_strategy;
        for f in self
            .revisions
            .renumbered_notes(&JsonPath::root().key("taskDefinitions"))
        {
            self.notes.push("", f);
        }
        // Instance types the catalog does not have, from the snapshot's describe-instance-types.
        let builtin = Catalog::builtin();
        let mut used: BTreeSet<&str> = plan
            .cluster
            .container_instances
            .iter()
            .map(|c| c.instance_type.as_str())
            .collect();
        for cp in &plan.cluster.capacity_providers {
            if let Some(g) = &cp.auto_scaling_group {
                used.extend(g.instance_types.iter().map(String::as_str));
            }
        }
        for t in &used {
            if !builtin.contains(t) {
                if let Some(v) = self.instance_type_entries.get(*t) {
                    plan.ec2_instance_types.push(v.clone());
                }
            }
        }
        plan.task_definitions = self.revisions.into_plan_order();
        plan.services = self.services;
        plan.tasks = self.tasks;
        plan.running_tasks = record_running(&plan, &self.running, self.notes);
        ClusterImport {
            source: ClusterSource::AwsSnapshot,
            plan,
            running_tasks: self.running,
            instances: self.states,
            notes: Vec::new(),
        }
    }
}

/// The plan's `runningTasks`: where each task of the plan's services and RunTask requests runs,
/// so the imported plan is placed as the cluster runs (`docs/plan-format.md`). Tasks of a
/// service or task definition the plan lacks are not recorded (one note says how many): the
/// plan has nothing to place them as.
fn record_running(
    plan: &Plan,
    running: &[RunningTask],
    notes: &mut Notes,
) -> Option<crate::plan::Written<Vec<crate::plan::RecordedTask>>> {
    const STATUSES: [&str; 9] = [
        "PROVISIONING",
        "PENDING",
        "ACTIVATING",
        "RUNNING",
        "DEACTIVATING",
        "STOPPING",
        "DEPROVISIONING",
        "STOPPED",
        "DELETED",
    ];
    let mut out = Vec::new();
    let mut left_out: BTreeSet<String> = BTreeSet::new();
    let mut skipped = 0;
    for t in running {
        let known_td = plan.resolve_task_definition(&t.task_definition).is_some();
        let group = match &t.service {
            Some(s) if plan.services.iter().any(|x| x.service_name == *s) => {
                format!("service:{s}")
            }
            Some(s) => {
                left_out.insert(format!("service {s}"));
                skipped += 1;
                continue;
            }
            None if known_td => t.group.clone().unwrap_or_else(|| {
                let family = t.task_definition.split(':').next().unwrap_or_default();
                format!("family:{family}")
            }),
            None => {
                left_out.insert(format!("task definition {}", t.aws_task_definition));
                skipped += 1;
                continue;
            }
        };
        let mut v =
            json!({ "taskArn": t.task_id, "group": group, "taskDefinition": t.task_definition });
        for (key, value) in [
            ("containerInstance", &t.container_instance),
            ("availabilityZone", &t.availability_zone),
            ("capacityProviderName", &t.capacity_provider),
            ("launchType", &t.launch_type),
        ] {
            if let Some(x) = value {
                v[key] = json!(x);
            }
        }
        if STATUSES.contains(&t.last_status.as_str()) {
            v["lastStatus"] = json!(t.last_status);
        }
        if let Some(d) = t.desired_status.as_deref().filter(|d| STATUSES.contains(d)) {
            v["desiredStatus"] = json!(d);
        }
        out.push(v);
    }
    if skipped > 0 {
        notes.push(
            "",
            Finding::info(
                "not-recorded",
                JsonPath::root().key("runningTasks"),
                format!(
                    "{skipped} running tasks are not recorded in runningTasks: the plan lacks their {}",
                    left_out.into_iter().collect::<Vec<_>>().join(", ")
                ),
            )
            .with_fix("add the missing `aws ecs describe-task-definition` output and import again"),
        );
    }
    if out.is_empty() {
        return None;
    }
    crate::plan::Written::from_value(Value::Array(out)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_are_recognised_by_their_top_level_member() {
        for call in Call::ALL {
            let v = if call == Call::DescribeTaskDefinition {
                json!({ call.member(): {"family": "web"} })
            } else {
                json!({ call.member(): [], "nextToken": "x" })
            };
            assert_eq!(recognise(&v), Some(call), "{}", call.command());
        }
        // A compose file's `services` is a map, a plan has `schemaVersion`: neither is output.
        assert_eq!(recognise(&json!({"services": {"web": {}}})), None);
        assert_eq!(recognise(&json!({"schemaVersion": 1, "tasks": []})), None);
        assert_eq!(recognise(&json!(["arn:aws:ecs:..."])), None);
        // describe-clusters' clusters hold `capacityProviders` too, but nested.
        assert_eq!(
            recognise(&json!({"clusters": [{"capacityProviders": ["a"]}]})),
            Some(Call::DescribeClusters)
        );
    }
}
