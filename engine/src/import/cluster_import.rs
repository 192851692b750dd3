//! What bringing a whole cluster in produces, from a snapshot of the live cluster
//! ([`super::aws_snapshot`](fn@super::aws_snapshot)) or from Terraform ([`super::terraform`](fn@super::terraform)): a plan, plus what a plan
//! does not hold (where each task runs, what AWS reported as left on each instance), plus notes
//! naming the file and JSON path of everything that was dropped, guessed or could not be
//! converted.
//!
//! The helpers here are shared by both importers: carrying the members of an AWS object that a
//! request shape takes (each checked against its shape, so one bad value loses one member, not
//! the object), numbering task definition revisions the way a plan does, and collecting notes
//! so that the same dropped member of fifty services is one note, not fifty.

use crate::findings::{Finding, JsonPath, Severity};
use crate::plan::{CapacityProvider, ContainerInstance, Plan, TaskDefinition};
use crate::schema::Shapes;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One input file: its name (as the notes cite it) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The file's name as the notes cite it.
    pub name: String,
    /// Its content.
    pub text: String,
}

impl InputFile {
    /// An input file named `name` with content `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        InputFile {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// Where a whole-cluster import came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClusterSource {
    /// A directory of AWS CLI outputs (`docs/review.md` lists the calls).
    AwsSnapshot,
    /// `terraform show -json` of a state or a plan (or a raw `terraform.tfstate`).
    Terraform,
}

impl ClusterSource {
    /// The name used on the command line (`--from`).
    pub fn name(self) -> &'static str {
        match self {
            ClusterSource::AwsSnapshot => "aws-snapshot",
            ClusterSource::Terraform => "terraform",
        }
    }
}

/// Options of the whole-cluster importers.
#[derive(Debug, Clone, Default)]
pub struct ClusterOptions {
    /// The cluster to import (name or ARN) when the source has several.
    pub cluster: Option<String>,
}

/// A cluster brought in.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterImport {
    /// Where it came from.
    pub source: ClusterSource,
    /// The plan document, ready for the loader (which adds its own findings).
    pub plan: Plan,
    /// Where each task runs now (empty from Terraform: state has no tasks). Not part of the
    /// plan document: how a plan records running tasks is decided separately.
    pub running_tasks: Vec<RunningTask>,
    /// What AWS reported for each container instance beyond what the plan keeps.
    pub instances: Vec<InstanceState>,
    /// What was dropped, guessed or not converted, by file.
    pub notes: Vec<SourceNote>,
}

/// One task as it runs in the cluster (`describe-tasks`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunningTask {
    /// The task id: the last part of the task ARN.
    pub task_id: String,
    /// The service that started it (its group is `service:NAME`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The task group when not a service's (`family:NAME` by default for RunTask).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The task definition as the plan names it (`family` or `family:n`, see
    /// `Revisions`); AWS's own `family:revision` when the plan does not have it.
    pub task_definition: String,
    /// `family:revision` as AWS numbers it.
    pub aws_task_definition: String,
    /// The EC2 instance id of its container instance (the plan's `containerInstances[].id`);
    /// none on Fargate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_instance: Option<String>,
    /// The task's zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// `launchType` (`EC2`, `FARGATE`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<String>,
    /// The capacity provider that runs it, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<String>,
    /// `lastStatus` (PROVISIONING, PENDING, RUNNING, STOPPED, ...).
    pub last_status: String,
    /// `desiredStatus` (RUNNING or STOPPED).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired_status: Option<String>,
}

/// What AWS reported for a container instance that the plan does not keep: the resources left
/// after the tasks on it, and its task counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceState {
    /// The EC2 instance id (the plan's `containerInstances[].id`).
    pub id: String,
    /// CPU units the agent registered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registered_cpu: Option<i64>,
    /// Memory MiB the agent registered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registered_memory: Option<i64>,
    /// CPU units left after the tasks on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining_cpu: Option<i64>,
    /// Memory MiB left after the tasks on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining_memory: Option<i64>,
    /// `runningTasksCount`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub running_tasks_count: Option<u32>,
    /// `pendingTasksCount`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending_tasks_count: Option<u32>,
}

/// A finding about one input file (`file` is empty for the import as a whole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceNote {
    /// The input file it is about.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub file: String,
    /// The finding, with the path and line:column in that file (flattened in JSON).
    #[serde(flatten)]
    pub finding: Finding,
}

impl std::fmt::Display for SourceNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.file.is_empty() {
            write!(f, "{}", self.finding)
        } else {
            f.write_str(&self.finding.in_file(&self.file))
        }
    }
}

impl ClusterImport {
    /// The imported cluster in place of `base`'s: the cluster, task definitions, services and
    /// standalone tasks come from the import; the name, description, workload and settings
    /// (seed, simulation timings) stay `base`'s, so a plan kept for reviews is refreshed from
    /// the live cluster without losing what was written for it. Instance types are merged (the
    /// import's win).
    pub fn into_plan(&self, base: &Plan) -> Plan {
        let mut plan = self.plan.clone();
        plan.name = base.name.clone();
        plan.description = base.description.clone();
        plan.workload = base.workload.clone();
        plan.settings = base.settings.clone();
        for t in &base.ec2_instance_types {
            let name = t.get("InstanceType");
            if !plan
                .ec2_instance_types
                .iter()
                .any(|x| x.get("InstanceType") == name)
            {
                plan.ec2_instance_types.push(t.clone());
            }
        }
        plan
    }
}

/// An import that produced nothing usable: error notes.
pub type ClusterResult = std::result::Result<ClusterImport, Vec<SourceNote>>;

/// Notes being collected: findings by file, and dropped members counted per kind of object so
/// that each is reported once.
#[derive(Debug, Default)]
pub(crate) struct Notes {
    out: Vec<SourceNote>,
    /// (what, member) → (first file, first path, count, reason).
    dropped: BTreeMap<(String, String), (String, JsonPath, usize, String)>,
}

impl Notes {
    pub fn push(&mut self, file: &str, finding: Finding) {
        self.out.push(SourceNote {
            file: file.to_string(),
            finding,
        });
    }

    /// A member of `what` (e.g. "services") that is not imported, counted; `why` ends the
    /// sentence ("is state AWS reports, not part of CreateService").
    pub fn dropped(&mut self, what: &str, member: &str, why: &str, file: &str, path: JsonPath) {
        self.dropped
            .entry((what.to_string(), member.to_string()))
            .and_modify(|e| e.2 += 1)
            .or_insert((file.to_string(), path, 1, why.to_string()));
    }

    /// Every note: the findings, then one info note per dropped member, warnings first.
    pub fn finish(mut self) -> Vec<SourceNote> {
        for ((what, member), (file, path, count, why)) in std::mem::take(&mut self.dropped) {
            let of = if count == 1 {
                format!("of one of the {what}")
            } else {
                format!("of {count} {what}")
            };
            let first = if count > 1 {
                " (the first one here)"
            } else {
                ""
            };
            self.push(
                &file,
                Finding::info(
                    "not-imported",
                    path,
                    format!("`{member}` {of} not imported{first}: {why}"),
                ),
            );
        }
        let rank = |s: Severity| match s {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        };
        self.out.sort_by_key(|n| rank(n.finding.severity));
        self.out
    }
}

/// Copies the members of `obj` that the structure shape `shape` has (after `renames`, pairs
/// of source and target member), each checked against its member shape. A member whose value
/// the shape refuses is left out with a warning at the refused value; a member the shape does
/// not have is counted as dropped (`what` names the objects, `request` the request whose
/// member it is not). `null` values and empty lists say nothing (AWS treats `[]` as none) and
/// are skipped.
#[allow(clippy::too_many_arguments)]
pub(crate) fn carry(
    obj: &Map<String, Value>,
    shape: &str,
    renames: &[(&str, &str)],
    what: &str,
    request: &str,
    file: &str,
    base: &JsonPath,
    notes: &mut Notes,
) -> Map<String, Value> {
    let shapes = Shapes::builtin();
    let members = shapes.structure(shape).map(|(m, _)| m).unwrap_or_default();
    let mut out = Map::new();
    for (k, v) in obj {
        if v.is_null() || v.as_array().is_some_and(Vec::is_empty) {
            continue;
        }
        let target = renames
            .iter()
            .find(|(from, _)| from == k)
            .map(|(_, to)| *to)
            .unwrap_or(k.as_str());
        let Some(mshape) = members.get(target) else {
            notes.dropped(
                what,
                k,
                &format!("{request} does not take it"),
                file,
                base.key(k),
            );
            continue;
        };
        if let Some(problem) = refused(v, mshape, &base.key(k)) {
            notes.push(
                file,
                Finding::warning(
                    "not-converted",
                    problem.path.clone(),
                    format!("`{k}` left out: {}", problem.message),
                )
                .with_fix("set it in the plan by hand if it matters"),
            );
            continue;
        }
        out.insert(target.to_string(), v.clone());
    }
    out
}

/// The first error the shape check finds in `v`, if any.
pub(crate) fn refused(v: &Value, shape: &str, path: &JsonPath) -> Option<Finding> {
    let mut f = Vec::new();
    crate::schema::check(v, shape, path, &mut f);
    f.into_iter().find(Finding::is_error)
}

/// Task definitions as AWS numbers them (`family`, `revision`) and as the plan does: revision
/// *n* of a family is its *n*-th entry in `taskDefinitions`, so the imported revisions of a
/// family are put in AWS's order and a reference names `family` when the plan has one revision
/// of it (the common case), else `family:n` with `n` its place.
#[derive(Debug, Default)]
pub(crate) struct Revisions {
    /// family → (AWS revision, task definition), sorted by revision.
    by_family: BTreeMap<String, Vec<(u32, TaskDefinition)>>,
}

impl Revisions {
    /// Adds a revision; `false` when the plan has it already.
    pub fn add(&mut self, family: &str, revision: u32, td: TaskDefinition) -> bool {
        let list = self.by_family.entry(family.to_string()).or_default();
        if list.iter().any(|(r, _)| *r == revision) {
            return false;
        }
        list.push((revision, td));
        list.sort_by_key(|(r, _)| *r);
        true
    }

    pub fn contains(&self, family: &str, revision: u32) -> bool {
        self.by_family
            .get(family)
            .is_some_and(|l| l.iter().any(|(r, _)| *r == revision))
    }

    pub fn has_any(&self) -> bool {
        !self.by_family.is_empty()
    }

    pub fn has_family(&self, family: &str) -> bool {
        self.by_family.contains_key(family)
    }

    /// The latest imported revision of a family.
    pub fn latest(&self, family: &str) -> Option<u32> {
        self.by_family.get(family)?.last().map(|(r, _)| *r)
    }

    /// How the plan refers to AWS's `family:revision`, when the plan has it.
    pub fn plan_ref(&self, family: &str, revision: u32) -> Option<String> {
        let list = self.by_family.get(family)?;
        let n = list.iter().position(|(r, _)| *r == revision)? + 1;
        Some(if list.len() == 1 {
            family.to_string()
        } else {
            format!("{family}:{n}")
        })
    }

    /// Families whose plan numbers differ from AWS's: (family, [(AWS revision, plan revision)]).
    pub fn renumbered(&self) -> Vec<(String, Vec<(u32, usize)>)> {
        self.by_family
            .iter()
            .filter(|(_, l)| l.len() > 1)
            .map(|(f, l)| {
                (
                    f.clone(),
                    l.iter()
                        .enumerate()
                        .map(|(i, (r, _))| (*r, i + 1))
                        .collect(),
                )
            })
            .collect()
    }

    /// One "renumbered" note per family whose plan numbers differ from AWS's, so the reader
    /// can match `web:2` in the plan to `web:13` in AWS.
    pub fn renumbered_notes(&self, path: &JsonPath) -> Vec<Finding> {
        self.renumbered()
            .into_iter()
            .map(|(family, list)| {
                let pairs: Vec<String> = list
                    .iter()
                    .map(|(aws, n)| format!("{family}:{aws} is {family}:{n}"))
                    .collect();
                Finding::info(
                    "renumbered",
                    path.clone(),
                    format!(
                        "the plan numbers revisions by their order in taskDefinitions: {}",
                        pairs.join(", ")
                    ),
                )
            })
            .collect()
    }

    /// The task definitions in plan order (by family name, then revision).
    pub fn into_plan_order(self) -> Vec<TaskDefinition> {
        self.by_family
            .into_values()
            .flat_map(|l| l.into_iter().map(|(_, td)| td))
            .collect()
    }
}

/// `family` and `revision` of a task definition ARN (`...:task-definition/web:12`) or of
/// `web:12`; `None` without a revision.
pub(crate) fn family_revision(reference: &str) -> Option<(String, u32)> {
    let r = crate::plan::TaskDefRef::parse(reference);
    Some((r.family.to_string(), r.revision?))
}

/// The last part of an ARN (`arn:aws:ecs:...:task/cluster/abc` → `abc`).
pub(crate) fn arn_id(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// The region of an ARN (`arn:aws:ecs:eu-west-1:...` → `eu-west-1`).
pub(crate) fn arn_region(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    (parts.next()? == "arn").then_some(())?;
    let _partition = parts.next()?;
    let _service = parts.next()?;
    parts.next().filter(|r| !r.is_empty())
}

/// The region an Availability Zone is in (`eu-west-1b` → `eu-west-1`; local zones such as
/// `us-west-2-lax-1a` → `us-west-2`).
pub(crate) fn zone_region(zone: &str) -> Option<String> {
    let parts: Vec<&str> = zone.split('-').collect();
    if parts.len() < 3 {
        return None;
    }
    let third = parts[2].trim_end_matches(|c: char| c.is_ascii_lowercase());
    (!third.is_empty() && third.chars().all(|c| c.is_ascii_digit()))
        .then(|| format!("{}-{}-{third}", parts[0], parts[1]))
}

/// A timestamp as AWS CLI prints it (ISO 8601 text, or seconds since the epoch with the
/// `none` timestamp format) as ISO 8601 text.
pub(crate) fn timestamp_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => n.as_f64().and_then(epoch_iso),
        _ => None,
    }
}

/// Seconds since 1970-01-01T00:00:00Z as `YYYY-MM-DDTHH:MM:SSZ` (the civil-from-days algorithm).
pub(crate) fn epoch_iso(secs: f64) -> Option<String> {
    if !secs.is_finite() || !(0.0..=253_402_300_799.0).contains(&secs) {
        return None;
    }
    let secs = secs as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

/// The zones an imported cluster uses: its instances' and its capacity providers' Auto Scaling
/// groups' (unsorted, with repeats: `zones_of` makes the plan's list).
pub(crate) fn cluster_zones<'a>(
    instances: &'a [ContainerInstance],
    providers: &'a [CapacityProvider],
) -> Vec<&'a str> {
    let mut zones: Vec<&str> = instances
        .iter()
        .map(|c| c.availability_zone.as_str())
        .collect();
    for cp in providers {
        if let Some(g) = &cp.auto_scaling_group {
            zones.extend(g.availability_zones.iter().map(String::as_str));
        }
    }
    zones
}

/// The zones a plan's cluster lists: every zone used, sorted.
pub(crate) fn zones_of<'a>(zones: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut z: Vec<String> = zones
        .into_iter()
        .filter(|z| !z.is_empty())
        .map(str::to_string)
        .collect();
    z.sort();
    z.dedup();
    z
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_seconds_become_iso_text() {
        assert_eq!(epoch_iso(0.0).as_deref(), Some("1970-01-01T00:00:00Z"));
        // 2024-02-29T12:34:56Z: a leap day.
        assert_eq!(
            epoch_iso(1_709_210_096.0).as_deref(),
            Some("2024-02-29T12:34:56Z")
        );
        assert_eq!(epoch_iso(-1.0), None);
        assert_eq!(epoch_iso(f64::NAN), None);
    }

    #[test]
    fn regions_from_arns_and_zones() {
        assert_eq!(
            arn_region("arn:aws:ecs:eu-west-1:123456789012:cluster/prod"),
            Some("eu-west-1")
        );
        assert_eq!(arn_region("web:3"), None);
        assert_eq!(zone_region("eu-west-1b").as_deref(), Some("eu-west-1"));
        assert_eq!(
            zone_region("us-west-2-lax-1a").as_deref(),
            Some("us-west-2")
        );
        assert_eq!(zone_region("zone"), None);
    }

    #[test]
    fn revisions_are_numbered_as_the_plan_numbers_them() {
        let td = |f: &str| -> TaskDefinition {
            serde_json::from_value(serde_json::json!({"family": f, "containerDefinitions": []}))
                .unwrap()
        };
        let mut r = Revisions::default();
        assert!(r.add("web", 13, td("web")));
        assert!(r.add("web", 12, td("web")));
        assert!(!r.add("web", 12, td("web")));
        assert!(r.add("api", 4, td("api")));
        assert_eq!(r.plan_ref("api", 4).as_deref(), Some("api"));
        assert_eq!(r.plan_ref("web", 12).as_deref(), Some("web:1"));
        assert_eq!(r.plan_ref("web", 13).as_deref(), Some("web:2"));
        assert_eq!(r.plan_ref("web", 14), None);
        assert_eq!(r.renumbered(), vec![("web".into(), vec![(12, 1), (13, 2)])]);
        assert_eq!(r.into_plan_order().len(), 3);
    }

    #[test]
    fn dropped_members_are_one_note_each() {
        let mut n = Notes::default();
        for i in 0..3 {
            n.dropped(
                "services",
                "status",
                "it is state",
                "s.json",
                JsonPath::root().key("services").index(i).key("status"),
            );
        }
        n.push("x.json", Finding::warning("w", JsonPath::root(), "careful"));
        let out = n.finish();
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].finding.code, "w", "warnings first");
        assert_eq!(out[1].file, "s.json");
        assert_eq!(out[1].finding.path.to_string(), "services[0].status");
        assert!(out[1].finding.message.contains("of 3 services"));
    }
}
