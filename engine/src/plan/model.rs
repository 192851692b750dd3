//! The plan document, version 1: typed views of the members the engine uses.
//!
//! AWS request shapes keep AWS's member names and enums, so a RegisterTaskDefinition or
//! CreateService request can be pasted in as it is. Members the engine does not use yet are
//! kept in `extra` and written back unchanged, so nothing a user pasted is lost. Structural
//! checks (unknown names, types, enums) happen before these types are built, in
//! [`crate::schema`], which is why they can be lenient.

use super::autoscaling::ServiceAutoScaling;
use super::deployment::DeploymentConfiguration;
use super::running::RecordedTask;
use super::workload::Workload;
use super::written::Written;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Members that the typed view does not name; preserved verbatim.
pub type Extra = Map<String, Value>;

/// The whole scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub schema_version: u32,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default = "default_region")]
    pub region: String,
    #[serde(default)]
    pub cluster: Cluster,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub task_definitions: Vec<TaskDefinition>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<Service>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<RunTask>,
    /// Where the cluster's tasks run now (`docs/plan-format.md` "runningTasks"): placement
    /// starts from them when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running_tasks: Option<Written<Vec<RecordedTask>>>,
    /// The load over time that drives simulations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<Written<Workload>>,
    /// Instance types from the user's own `aws ec2 describe-instance-types` output
    /// (`InstanceTypes` entries), added to the built-in catalog.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ec2_instance_types: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<Settings>,
}

impl Plan {
    /// The recorded running tasks (`runningTasks`), empty when the plan has none.
    pub fn recorded_tasks(&self) -> Vec<RecordedTask> {
        self.running_tasks
            .as_ref()
            .map(Written::read)
            .unwrap_or_default()
    }
}

fn default_region() -> String {
    "us-east-1".to_string()
}

/// Planner settings that are not part of any AWS request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// Seed for choices AWS leaves unspecified (ties, `random`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Timings and failures the simulator uses instead of its defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulation: Option<SimulationSettings>,
    /// What `ecsplan review` checks: the gates a review must pass (CI fails on a failed one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewSettings>,
}

/// `settings.review`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gates: Option<ReviewGates>,
}

/// `settings.review.gates`: each set gate is checked by the review and passes or fails with
/// its evidence. The shape (`plan:ReviewGates`) refuses unknown names, with a "did you mean".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewGates {
    /// No validator error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_errors: Option<bool>,
    /// No validator warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_warnings: Option<bool>,
    /// Every task of the plan is placed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all_tasks_placed: Option<bool>,
    /// Losing any one Availability Zone leaves no service task unplaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survives_zone_loss: Option<bool>,
    /// Losing the instance whose loss hurts most leaves no service task unplaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survives_instance_loss: Option<bool>,
    /// A forced new deployment of every service completes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_stuck_deployments: Option<bool>,
    /// Every rolling-update service has the deployment circuit breaker on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_circuit_breaker: Option<bool>,
    /// The cluster's reserved CPU and memory, percent of what its instances register.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_utilization_percent: Option<f64>,
    /// Minutes a service may have tasks waiting to start over the simulated day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pending_minutes: Option<u32>,
    /// The plan's cost per month, USD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_monthly_cost_usd: Option<f64>,
}

/// How long the steps of a task's life take, and which task definitions fail, for the
/// simulator. Every field is optional; `engine::sim::Timings` documents the defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulationSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_start_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer_registration_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer_healthy_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer_unhealthy_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deregistration_delay_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_health_check_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_failure_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_launch_seconds: Option<u32>,
    /// Fargate Spot interruptions per FARGATE_SPOT task-hour (off when absent or 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fargate_spot_interruption_rate: Option<f64>,
    /// Periods when Fargate Spot has no capacity: FARGATE_SPOT tasks wait in PROVISIONING.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fargate_spot_unavailable: Vec<SecondsWindow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<SimulatedFailure>,
    /// CloudWatch alarms a deployment watches (`deploymentConfiguration.alarms`), as the
    /// simulation drives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alarms: Vec<SimulatedAlarm>,
    /// Deployments `simulate` starts during the simulated time (UpdateService with a new task
    /// definition at a second).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deployments: Vec<SimulatedDeployment>,
    /// UpdateTaskProtection calls the simulation makes (task scale-in protection).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub task_protection: Vec<SimulatedProtection>,
    /// Standalone tasks the simulation runs (RunTask at a second, on a schedule, on events).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub run_tasks: Vec<SimulatedRunTask>,
    /// The bake time of a deployment with alarms: after its steady state it stays
    /// IN_PROGRESS this long, watching the alarms (default 300; AWS computes it from the
    /// alarms and does not publish how).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_bake_seconds: Option<u32>,
    /// The CodeDeploy deployment configuration of `CODE_DEPLOY` services (it lives in the
    /// CodeDeploy deployment group, not in the ECS request), e.g.
    /// `CodeDeployDefault.ECSCanary10Percent5Minutes`; default all-at-once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_deploy_config: Option<String>,
    /// Minutes the original task set of a CodeDeploy blue/green deployment keeps running after
    /// all traffic moved (default 60).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blue_green_termination_wait_minutes: Option<u32>,
}

/// A task definition whose tasks fail in the simulation: the image cannot be pulled, or the
/// health check never passes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulatedFailure {
    /// `family:revision` (or `family` for every revision).
    pub task_definition: String,
    pub failure: FailureKind,
    /// The share of the revision's tasks that fail, 0 to 1 (default 1: all): the k-th task
    /// started fails when `ceil(k × rate)` grows, so failures are spread evenly and the first
    /// task fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
    /// HEALTH_CHECK only: the task first turns healthy and fails its health checks this many
    /// seconds later (a failure after the task was healthy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_healthy_seconds: Option<u32>,
}

/// A CloudWatch alarm of a deployment, as a drill: it goes into ALARM once tasks of a task
/// definition have been RUNNING for a while (the errors a bad revision causes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulatedAlarm {
    /// The name `deploymentConfiguration.alarms.alarmNames` uses.
    pub alarm_name: String,
    /// `family:revision` (or `family`): the alarm goes into ALARM while its tasks run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub while_running: Option<String>,
    /// Seconds after the first of those tasks is RUNNING (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_seconds: Option<u32>,
    /// Or an alarm on a service's metric, which the workload drives (with `alarm`; only
    /// `simulate` runs a workload).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// That alarm: metric, comparison, threshold, periods, as a step scaling policy's `alarm`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm: Option<Written<crate::plan::autoscaling::StepAlarm>>,
}

/// Seconds `fromSecond` (included) to `toSecond` (excluded) of a simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecondsWindow {
    pub from_second: u32,
    pub to_second: u32,
}

/// A deployment `simulate` starts: service `service` is updated to `taskDefinition` at second
/// `atSecond`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulatedDeployment {
    pub service: String,
    /// `family:revision` (or `family` for its latest revision).
    pub task_definition: String,
    pub at_second: u32,
}

/// Standalone tasks `simulate` runs: a RunTask request (`taskDefinition`, `count`, `group`,
/// a launch type or a capacity provider strategy, placement constraints and strategy) made at
/// one second (`atSecond`), on a schedule (`schedule`: an EventBridge Scheduler expression,
/// `cron(...)`, `rate(...)` or `at(...)`, in `timezone`), or once per event (`eventSeconds`:
/// e.g. objects uploaded to a bucket whose EventBridge rule runs the task). Each task runs
/// `runSeconds` once RUNNING, then its essential container exits and it stops.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulatedRunTask {
    pub task_definition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<LaunchType>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_constraints: Vec<PlacementConstraint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_strategy: Vec<PlacementStrategy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_second: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event_seconds: Vec<u32>,
    /// Seconds each task runs once RUNNING (default 300).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_seconds: Option<u32>,
}

impl SimulatedRunTask {
    /// The RunTask request each launch makes.
    pub fn request(&self) -> RunTask {
        RunTask {
            task_definition: self.task_definition.clone(),
            count: self.count,
            group: self.group.clone(),
            launch_type: self.launch_type,
            capacity_provider_strategy: self.capacity_provider_strategy.clone(),
            placement_constraints: self.placement_constraints.clone(),
            placement_strategy: self.placement_strategy.clone(),
            network_configuration: None,
            extra: Extra::default(),
        }
    }
}

/// An UpdateTaskProtection call with `protectionEnabled: true` at a second of the
/// simulation: `count` of the service's RUNNING tasks (the oldest first) are protected from
/// scale-in by service auto scaling and by deployments for `expiresInMinutes` (default 120).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulatedProtection {
    pub service: String,
    pub count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_second: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in_minutes: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FailureKind {
    ImagePull,
    HealthCheck,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cluster {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cluster_name: String,
    #[serde(default)]
    pub availability_zones: Vec<String>,
    #[serde(default)]
    pub container_instances: Vec<ContainerInstance>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_providers: Vec<CapacityProvider>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub default_capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
}

/// An EC2 instance registered with the cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerInstance {
    /// The EC2 instance id (`ec2InstanceId` in the cluster query language).
    pub id: String,
    pub instance_type: String,
    pub availability_zone: String,
    /// Custom attributes (`attribute:NAME` in the cluster query language).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<String>,
    #[serde(default, skip_serializing_if = "InstanceStatus::is_active")]
    pub status: InstanceStatus,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub agent_connected: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ami_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_family: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    /// Overrides the CPU units the agent registers (default vCPUs × 1024).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_cpu: Option<u32>,
    /// Overrides the memory (MiB) the agent registers (default: the catalog's estimate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_memory: Option<u32>,
    /// `ECS_RESERVED_MEMORY`: MiB the agent keeps out of the registered memory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_memory: Option<u32>,
    /// `ECS_RESERVED_PORTS`; default 22, 2375, 2376, 51678, 51679.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_ports: Option<Vec<u16>>,
    /// `ECS_RESERVED_PORTS_UDP`; default none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_ports_udp: Option<Vec<u16>>,
    /// `ECS_DYNAMIC_HOST_PORT_RANGE`, e.g. "32768-60999" (the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dynamic_host_port_range: Option<String>,
    /// The instance was launched with awsvpc ENI trunking on.
    #[serde(default, skip_serializing_if = "is_false")]
    pub eni_trunking: bool,
}

fn yes() -> bool {
    true
}
fn is_true(b: &bool) -> bool {
    *b
}
fn is_false(b: &bool) -> bool {
    !*b
}

impl ContainerInstance {
    /// A new ACTIVE instance with defaults for everything but its identity.
    pub fn new(id: &str, instance_type: &str, availability_zone: &str) -> Self {
        ContainerInstance {
            id: id.to_string(),
            instance_type: instance_type.to_string(),
            availability_zone: availability_zone.to_string(),
            attributes: BTreeMap::new(),
            capacity_provider: None,
            status: InstanceStatus::Active,
            agent_connected: true,
            agent_version: None,
            registered_at: None,
            ami_id: None,
            os_family: None,
            vpc_id: None,
            subnet_id: None,
            registered_cpu: None,
            registered_memory: None,
            reserved_memory: None,
            reserved_ports: None,
            reserved_ports_udp: None,
            dynamic_host_port_range: None,
            eni_trunking: false,
        }
    }
}

/// `ContainerInstanceStatus`, limited to what placement distinguishes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InstanceStatus {
    #[default]
    Active,
    Draining,
}

impl InstanceStatus {
    fn is_active(&self) -> bool {
        *self == InstanceStatus::Active
    }
}

/// A CreateCapacityProvider request plus the Auto Scaling group behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CapacityProvider {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling_group_provider: Option<AutoScalingGroupProvider>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling_group: Option<AutoScalingGroup>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoScalingGroupProvider {
    #[serde(default)]
    pub auto_scaling_group_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_scaling: Option<ManagedScaling>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_termination_protection: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_draining: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManagedScaling {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_capacity: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_scaling_step_size: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_scaling_step_size: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_warmup_period: Option<u32>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The named policies of an Auto Scaling group's `TerminationPolicies` (the API model's valid
/// values; a Lambda function's ARN is the other kind).
pub const TERMINATION_POLICIES: [&str; 7] = [
    "Default",
    "AllocationStrategy",
    "ClosestToNextInstanceHour",
    "NewestInstance",
    "OldestInstance",
    "OldestLaunchConfiguration",
    "OldestLaunchTemplate",
];

/// The Auto Scaling group (CreateAutoScalingGroup's PascalCase members) with the planner's
/// `InstanceTypes` shorthand for the launch template's or mixed-instances policy's types.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AutoScalingGroup {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling_group_name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instance_types: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub availability_zones: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_size: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_size: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_capacity: Option<u32>,
    /// `TerminationPolicies`, in the order they run (empty: `Default`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub termination_policies: Vec<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CapacityProviderStrategyItem {
    pub capacity_provider: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<u32>,
}

/// A RegisterTaskDefinition request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskDefinition {
    pub family: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_mode: Option<NetworkMode>,
    pub container_definitions: Vec<ContainerDefinition>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<Volume>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_constraints: Vec<PlacementConstraint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires_compatibilities: Vec<String>,
    /// Task CPU units as AWS takes them: a string ("256", or "1 vCPU").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    /// Task memory as AWS takes it: a string ("512", or "1GB").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_platform: Option<RuntimePlatform>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NetworkMode {
    Bridge,
    Host,
    Awsvpc,
    None,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimePlatform {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_architecture: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operating_system_family: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Volume {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerDefinition {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub image: String,
    /// CPU units reserved for the container (0 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<i64>,
    /// Hard memory limit, MiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<i64>,
    /// Soft memory limit, MiB: what placement reserves when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub essential: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub port_mappings: Vec<PortMapping>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_requirements: Vec<ResourceRequirement>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheck>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortMapping {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_port: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_port: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    #[default]
    Tcp,
    Udp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRequirement {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthCheck {
    #[serde(default)]
    pub command: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_period: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacementConstraint {
    #[serde(rename = "type")]
    pub kind: PlacementConstraintType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PlacementConstraintType {
    #[serde(rename = "distinctInstance")]
    DistinctInstance,
    #[serde(rename = "memberOf")]
    MemberOf,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacementStrategy {
    #[serde(rename = "type")]
    pub kind: PlacementStrategyType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlacementStrategyType {
    Random,
    Spread,
    Binpack,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LaunchType {
    Ec2,
    Fargate,
    External,
    ManagedInstances,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SchedulingStrategy {
    #[default]
    Replica,
    Daemon,
}

/// A CreateService request plus its Application Auto Scaling configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    pub service_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<LaunchType>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduling_strategy: Option<SchedulingStrategy>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_constraints: Vec<PlacementConstraint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_strategy: Vec<PlacementStrategy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_configuration: Option<Written<DeploymentConfiguration>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub load_balancers: Vec<Value>,
    /// Application Auto Scaling of the service (the planner's member).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling: Option<Written<ServiceAutoScaling>>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A RunTask request (standalone tasks).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunTask {
    pub task_definition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<LaunchType>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_constraints: Vec<PlacementConstraint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_strategy: Vec<PlacementStrategy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<Value>,
    #[serde(flatten)]
    pub extra: Extra,
}
