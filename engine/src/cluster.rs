//! The cluster as placement sees it: each container instance resolved against the instance
//! catalog into what it registers (CPU units, memory, GPUs, awsvpc ENI slots, reserved ports)
//! and the attributes the cluster query language can ask about.
//!
//! Defaults follow the ECS container agent (`ecs-agent-config.md`): reserved TCP ports 22,
//! 2375, 2376, 51678, 51679; no reserved UDP ports; dynamic host ports from 32768–60999 (the
//! Amazon Linux `ip_local_port_range`). Built-in attributes the plan does not give get a
//! planner default so that expressions such as `attribute:ecs.ami-id exists` behave as on a
//! real instance, which always has them.

use crate::catalog::{Catalog, InstanceType, MemoryBasis, RegisteredResources};
use crate::findings::{Finding, JsonPath};
use crate::plan::{ContainerInstance, InstanceStatus, Plan};
use std::collections::BTreeMap;

/// `ECS_RESERVED_PORTS` default on Linux.
pub const DEFAULT_RESERVED_PORTS: [u16; 5] = [22, 2375, 2376, 51678, 51679];
/// The Amazon Linux ephemeral port range the agent assigns dynamic host ports from.
pub const DEFAULT_DYNAMIC_PORTS: (u16, u16) = (32768, 60999);

/// One container instance, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The container instance's id (`i-0abc...`), as the plan names it.
    pub id: String,
    /// The EC2 instance type, resolved against the catalog.
    pub instance_type: String,
    /// The instance's Availability Zone.
    pub availability_zone: String,
    /// Index into [`ClusterModel::azs`].
    pub az: usize,
    /// ACTIVE or DRAINING: a DRAINING instance gets no new tasks.
    pub status: InstanceStatus,
    /// Whether the ECS agent is connected: a disconnected instance gets no new tasks.
    pub agent_connected: bool,
    /// The capacity provider the instance belongs to (its Auto Scaling group's), if any.
    pub capacity_provider: Option<String>,
    /// CPU, memory and GPUs the agent registers (what placement can reserve).
    pub registered: RegisteredResources,
    /// How many awsvpc tasks the instance can run (ENIs minus the primary, or the trunking
    /// limit).
    pub eni_slots: u32,
    /// Whether the instance uses ENI trunking (more `awsvpc` tasks per instance).
    pub eni_trunking: bool,
    /// TCP host ports reserved by the agent (`ECS_RESERVED_PORTS`).
    pub reserved_tcp: Vec<u16>,
    /// UDP host ports reserved by the agent (`ECS_RESERVED_PORTS_UDP`).
    pub reserved_udp: Vec<u16>,
    /// The range dynamic host ports are taken from (`hostPort: 0` on bridge networking).
    pub dynamic_ports: (u16, u16),
    /// Custom attributes; built-in ones are answered by [`Node::attribute`] from the fields.
    pub custom: BTreeMap<String, String>,
    /// The CPU architecture (`ecs.cpu-architecture`).
    pub architecture: crate::catalog::Architecture,
    /// `ecs.os-type` / `ecs.os-family`, when the plan gives it.
    pub os_family: Option<String>,
    /// `ecs.ami-id`, when the plan gives it.
    pub ami_id: Option<String>,
    /// `ecs.vpc-id`, when the plan gives it.
    pub vpc_id: Option<String>,
    /// `ecs.subnet-id` (empty when the plan gives none).
    pub subnet_id: String,
    /// When the instance registered (ISO 8601), for `registeredAt` in `memberOf` expressions.
    pub registered_at: Option<String>,
    /// `ecs.agent-version`, when the plan gives it.
    pub agent_version: Option<String>,
}

/// Planner defaults for built-in attributes the plan does not give.
pub const DEFAULT_AMI_ID: &str = "ami-ecs-optimized";
pub const DEFAULT_VPC_ID: &str = "vpc-planner";

impl Node {
    /// A built-in (`ecs.instance-type`, ...) or custom attribute, as the cluster query language
    /// and `spread` see it (`task-placement-constraints.md`, "Attributes").
    pub fn attribute(&self, name: &str) -> Option<&str> {
        Some(match name {
            "ecs.instance-type" => &self.instance_type,
            "ecs.availability-zone" => &self.availability_zone,
            "ecs.os-type" => {
                if self
                    .os_family
                    .as_deref()
                    .is_some_and(|f| f.starts_with("WINDOWS"))
                {
                    "windows"
                } else {
                    "linux"
                }
            }
            "ecs.os-family" => self.os_family.as_deref().unwrap_or("LINUX"),
            "ecs.cpu-architecture" => self.architecture.as_str(),
            "ecs.ami-id" => self.ami_id.as_deref().unwrap_or(DEFAULT_AMI_ID),
            "ecs.vpc-id" => self.vpc_id.as_deref().unwrap_or(DEFAULT_VPC_ID),
            "ecs.subnet-id" => &self.subnet_id,
            "ecs.awsvpc-trunk-id" if self.eni_trunking => "eni-trunk",
            _ => return self.custom.get(name).map(String::as_str),
        })
    }

    /// Every attribute, built-in first, for display.
    pub fn attributes(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = crate::cql::BUILTIN_ATTRIBUTES
            .iter()
            .filter_map(|k| self.attribute(k).map(|v| (*k, v)))
            .collect();
        if self.eni_trunking {
            out.push(("ecs.awsvpc-trunk-id", "eni-trunk"));
        }
        out.extend(self.custom.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        out
    }

    /// Whether placement may use the instance at all: ACTIVE with a connected agent
    /// (`container-instance-draining`, `task-placement.md`).
    pub fn schedulable(&self) -> bool {
        self.status == InstanceStatus::Active && self.agent_connected
    }

    /// Number of dynamic host ports the instance can hand out.
    pub fn dynamic_port_count(&self) -> u32 {
        (self.dynamic_ports.1 as u32 + 1).saturating_sub(self.dynamic_ports.0 as u32)
    }
}

/// A container instance of the cluster: its index in [`ClusterModel::nodes`]. A type of its own,
/// like placement's task and spec indexes, so that an instance is not mistaken for a task or a
/// spec; serialized as the bare number (`"node": 3`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct InstanceIx(pub u32);

impl InstanceIx {
    /// The `n`th instance (`n` a position in [`ClusterModel::nodes`]).
    pub fn new(n: usize) -> InstanceIx {
        InstanceIx(n as u32)
    }

    /// Its position in [`ClusterModel::nodes`] (and in lists kept per instance).
    pub fn at(self) -> usize {
        self.0 as usize
    }

    /// The first `n` instances, in order (every instance: `InstanceIx::all(c.nodes.len())`).
    pub fn all(n: usize) -> impl DoubleEndedIterator<Item = InstanceIx> + ExactSizeIterator {
        (0..n).map(InstanceIx::new)
    }
}

impl std::fmt::Display for InstanceIx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::ops::Index<InstanceIx> for Vec<Node> {
    type Output = Node;
    fn index(&self, i: InstanceIx) -> &Node {
        &self[i.at()]
    }
}

impl std::ops::IndexMut<InstanceIx> for Vec<Node> {
    fn index_mut(&mut self, i: InstanceIx) -> &mut Node {
        &mut self[i.at()]
    }
}

impl std::ops::Index<InstanceIx> for [Node] {
    type Output = Node;
    fn index(&self, i: InstanceIx) -> &Node {
        &self[i.at()]
    }
}

impl std::ops::IndexMut<InstanceIx> for [Node] {
    fn index_mut(&mut self, i: InstanceIx) -> &mut Node {
        &mut self[i.at()]
    }
}

impl ClusterModel {
    /// Every instance's index, in order.
    pub fn instances(&self) -> impl DoubleEndedIterator<Item = InstanceIx> + ExactSizeIterator {
        InstanceIx::all(self.nodes.len())
    }

    /// Every instance with its index, in order.
    pub fn indexed(
        &self,
    ) -> impl DoubleEndedIterator<Item = (InstanceIx, &Node)> + ExactSizeIterator {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (InstanceIx::new(i), n))
    }

    /// The instance with this id (`i-0abc...`).
    pub fn find(&self, id: &str) -> Option<InstanceIx> {
        self.nodes
            .iter()
            .position(|n| n.id == id)
            .map(InstanceIx::new)
    }
}

/// Every instance of the plan's cluster, resolved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClusterModel {
    /// The cluster's Availability Zones, sorted (spread by zone counts each of them).
    pub azs: Vec<String>,
    /// The container instances, in the plan's order (placement indexes them so).
    pub nodes: Vec<Node>,
}

/// The catalog a plan sees: the built-in one plus the plan's own `ec2InstanceTypes`.
pub fn plan_catalog(plan: &Plan) -> Result<Catalog, Box<Finding>> {
    if plan.ec2_instance_types.is_empty() {
        return Ok(Catalog::builtin().clone());
    }
    let doc = serde_json::json!({ "InstanceTypes": plan.ec2_instance_types });
    match crate::catalog::import_describe_instance_types(&doc.to_string()) {
        Ok(types) => Ok(Catalog::builtin().with_imported(types)),
        Err(e) => Err(Box::new(Finding::error(
            "invalid-instance-types",
            JsonPath::parse(&format!("ec2{}", e.path())).unwrap_or_else(|| JsonPath::root().key("ec2InstanceTypes")),
            format!("ec2InstanceTypes: {e}"),
        )
        .with_fix("paste the InstanceTypes entries of `aws ec2 describe-instance-types` output unchanged"))),
    }
}

/// How many instance types [`resolve`] remembers between instances.
const RECENT_TYPES: usize = 8;

/// Resolves the plan's container instances. Unknown instance types are findings (with a
/// suggestion); their instances are left out.
pub fn resolve(plan: &Plan, catalog: &Catalog) -> (ClusterModel, Vec<Finding>) {
    resolve_remembering(plan, catalog, RECENT_TYPES)
}

/// [`resolve`], remembering the last `remember` types found (0: a catalog lookup per
/// instance, the reference the remembered types are tested against).
fn resolve_remembering(
    plan: &Plan,
    catalog: &Catalog,
    remember: usize,
) -> (ClusterModel, Vec<Finding>) {
    let mut findings = Vec::new();
    let mut azs: Vec<String> = plan.cluster.availability_zones.clone();
    let mut nodes = Vec::with_capacity(plan.cluster.container_instances.len());
    // The last few types found: clusters use a handful of types, and a catalog lookup is a
    // binary search over every type, for each of 5 000 instances on every board edit.
    let mut recent: Vec<(&str, &InstanceType)> = Vec::new();
    for (i, ci) in plan.cluster.container_instances.iter().enumerate() {
        let found = match recent.iter().find(|(name, _)| *name == ci.instance_type) {
            Some(&(_, t)) => Some(t),
            None => catalog.get(&ci.instance_type).inspect(|&t| {
                if remember > 0 {
                    if recent.len() == remember {
                        recent.remove(0);
                    }
                    recent.push((&ci.instance_type, t));
                }
            }),
        };
        let Some(t) = found else {
            let path = JsonPath::root()
                .key("cluster")
                .key("containerInstances")
                .index(i)
                .key("instanceType");
            let f = Finding::error(
                "unknown-instance-type",
                path,
                format!("instance type {} is not in the catalog", ci.instance_type),
            );
            findings.push(match catalog.suggest(&ci.instance_type) {
                Some(s) => f.with_fix(format!("did you mean {s}?")),
                None => f.with_fix("use a listed type, or add yours to \"ec2InstanceTypes\" from `aws ec2 describe-instance-types`"),
            });
            continue;
        };
        let az = match azs.iter().position(|a| a == &ci.availability_zone) {
            Some(p) => p,
            None => {
                azs.push(ci.availability_zone.clone());
                azs.len() - 1
            }
        };
        nodes.push(node(ci, t, az, &plan.region));
    }
    (ClusterModel { azs, nodes }, findings)
}

fn node(ci: &ContainerInstance, t: &InstanceType, az: usize, _region: &str) -> Node {
    let mut registered = t.registered(ci.reserved_memory.unwrap_or(0), None);
    if let Some(m) = ci.registered_memory {
        registered.memory_mib = m;
        registered.memory_basis = MemoryBasis::Override;
    }
    if let Some(c) = ci.registered_cpu {
        registered.cpu = c;
    }
    let dynamic_ports = ci
        .dynamic_host_port_range
        .as_deref()
        .and_then(parse_port_range)
        .unwrap_or(DEFAULT_DYNAMIC_PORTS);
    Node {
        id: ci.id.clone(),
        instance_type: t.name.to_string(),
        availability_zone: ci.availability_zone.clone(),
        az,
        status: ci.status,
        agent_connected: ci.agent_connected,
        capacity_provider: ci.capacity_provider.clone(),
        registered,
        eni_slots: t.awsvpc_task_limit(ci.eni_trunking),
        eni_trunking: ci.eni_trunking && t.trunk_task_limit.is_some(),
        reserved_tcp: ci
            .reserved_ports
            .clone()
            .unwrap_or_else(|| DEFAULT_RESERVED_PORTS.to_vec()),
        reserved_udp: ci.reserved_ports_udp.clone().unwrap_or_default(),
        dynamic_ports,
        custom: ci.attributes.clone(),
        architecture: t.architecture,
        os_family: ci.os_family.clone(),
        ami_id: ci.ami_id.clone(),
        vpc_id: ci.vpc_id.clone(),
        subnet_id: ci
            .subnet_id
            .clone()
            // Not `format!`: 5 000 instances are resolved again on every board edit.
            .unwrap_or_else(|| ["subnet-", &ci.availability_zone].concat()),
        registered_at: ci.registered_at.clone(),
        agent_version: ci.agent_version.clone(),
    }
}

/// "32768-60999" → (32768, 60999).
pub fn parse_port_range(s: &str) -> Option<(u16, u16)> {
    let (a, b) = s.split_once('-')?;
    let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a <= b).then_some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load;

    fn plan(instances: &str) -> Plan {
        let text = format!(
            r#"{{"schemaVersion": 1, "cluster": {{"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": {instances}}}}}"#
        );
        // Deserialised directly: these tests look at `resolve` itself, including plans that
        // `load` would refuse.
        let _ = load;
        serde_json::from_str(&text).expect("plan JSON")
    }

    /// Remembered types give the cluster of a lookup per instance: more types than are
    /// remembered, interleaved, repeated, unknown ones among them, one given twice by case.
    #[test]
    fn remembered_types_resolve_as_lookups_do() {
        let types = [
            "m5.large",
            "m5.xlarge",
            "c5.large",
            "r5.large",
            "t3.micro",
            "m5.2xlarge",
            "c5.xlarge",
            "r5.xlarge",
            "m6g.large",
            "c6g.large",
            "x9.huge",
            "m4.large",
            "M5.LARGE",
        ];
        let mut list = Vec::new();
        for k in 0..120usize {
            let t = types[(k * k + 3 * k) % types.len()];
            let az = if k % 3 == 0 {
                "us-east-1a"
            } else {
                "us-east-1b"
            };
            list.push(format!(
                r#"{{"id": "i-{k}", "instanceType": "{t}", "availabilityZone": "{az}"}}"#
            ));
        }
        let p = plan(&format!("[{}]", list.join(",")));
        let catalog = Catalog::builtin();
        let (fast, fast_findings) = resolve(&p, catalog);
        let (plain, plain_findings) = resolve_remembering(&p, catalog, 0);
        assert!(fast.nodes.len() > 80, "most types are known");
        assert!(!plain_findings.is_empty(), "some types are unknown");
        assert_eq!(fast, plain);
        assert_eq!(format!("{fast_findings:?}"), format!("{plain_findings:?}"));
    }

    #[test]
    fn m4_large_registers_7985_mib() {
        // memory-management.md: an m4.large registers 7985 MiB on the ECS-optimized Amazon Linux AMI.
        let p = plan(
            r#"[{"id": "i-1", "instanceType": "m4.large", "availabilityZone": "us-east-1a"}]"#,
        );
        let (c, f) = resolve(&p, Catalog::builtin());
        assert!(f.is_empty());
        assert_eq!(c.nodes[0].registered.memory_mib, 7985);
        assert_eq!(c.nodes[0].registered.cpu, 2048);
    }

    #[test]
    fn reserved_memory_and_overrides_apply() {
        // memory-management.md, "Reserving System Memory": ECS_RESERVED_MEMORY is subtracted.
        let p = plan(
            r#"[{"id": "i-1", "instanceType": "m4.large", "availabilityZone": "us-east-1a", "reservedMemory": 256},
                {"id": "i-2", "instanceType": "m4.large", "availabilityZone": "us-east-1b", "registeredMemory": 7000, "registeredCpu": 1024}]"#,
        );
        let (c, _) = resolve(&p, Catalog::builtin());
        assert_eq!(c.nodes[0].registered.memory_mib, 7985 - 256);
        assert_eq!(c.nodes[1].registered.memory_mib, 7000);
        assert_eq!(c.nodes[1].registered.memory_basis, MemoryBasis::Override);
        assert_eq!(c.nodes[1].registered.cpu, 1024);
    }

    #[test]
    fn built_in_attributes_are_set() {
        // task-placement-constraints.md, "Built-in attributes".
        let p = plan(
            r#"[{"id": "i-1", "instanceType": "m6g.large", "availabilityZone": "us-east-1b", "attributes": {"stack": "prod"}}]"#,
        );
        let (c, _) = resolve(&p, Catalog::builtin());
        let n = &c.nodes[0];
        assert_eq!(n.attribute("ecs.instance-type"), Some("m6g.large"));
        assert_eq!(n.attribute("ecs.availability-zone"), Some("us-east-1b"));
        assert_eq!(n.attribute("ecs.cpu-architecture"), Some("arm64"));
        assert_eq!(n.attribute("ecs.os-type"), Some("linux"));
        assert_eq!(n.attribute("ecs.os-family"), Some("LINUX"));
        assert_eq!(n.attribute("stack"), Some("prod"));
        assert_eq!(n.attribute("nope"), None);
        for k in ["ecs.ami-id", "ecs.vpc-id", "ecs.subnet-id"] {
            assert!(n.attribute(k).is_some(), "{k}");
        }
        assert!(n.attributes().contains(&("stack", "prod")));
    }

    #[test]
    fn eni_slots_follow_trunking() {
        // container-instance-eni.md: c5.large has 3 ENIs → 2 awsvpc tasks; 10 with trunking.
        let p = plan(
            r#"[{"id": "i-1", "instanceType": "c5.large", "availabilityZone": "us-east-1a"},
                {"id": "i-2", "instanceType": "c5.large", "availabilityZone": "us-east-1a", "eniTrunking": true}]"#,
        );
        let (c, _) = resolve(&p, Catalog::builtin());
        assert_eq!(c.nodes[0].eni_slots, 2);
        assert_eq!(c.nodes[1].eni_slots, 10);
        assert!(c.nodes[1].attribute("ecs.awsvpc-trunk-id").is_some());
        assert!(c.nodes[0].attribute("ecs.awsvpc-trunk-id").is_none());
    }

    #[test]
    fn unknown_type_is_a_finding_with_a_suggestion() {
        let p =
            plan(r#"[{"id": "i-1", "instanceType": "m5.larg", "availabilityZone": "us-east-1a"}]"#);
        let (c, f) = resolve(&p, Catalog::builtin());
        assert!(c.nodes.is_empty());
        assert_eq!(f[0].code, "unknown-instance-type");
        assert_eq!(f[0].fix.as_deref(), Some("did you mean m5.large?"));
        assert_eq!(
            f[0].path.to_string(),
            "cluster.containerInstances[0].instanceType"
        );
    }
}
