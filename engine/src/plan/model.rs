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
    /// Version of the plan format (docs/plan-format.md); older versions are migrated on load.
    pub schema_version: u32,
    /// A name for the plan, shown in the title and reports.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Free text about the plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// AWS Region the plan is for (default `us-east-1`): prices and zone names follow it.
    #[serde(default = "default_region")]
    pub region: String,
    /// The cluster: its zones, container instances and capacity providers.
    #[serde(default)]
    pub cluster: Cluster,
    /// Task definitions as RegisterTaskDefinition requests; a family written again is its next revision.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub task_definitions: Vec<TaskDefinition>,
    /// Services as CreateService requests.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<Service>,
    /// Standalone tasks as RunTask requests.
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
    /// Planner settings that are no AWS request (seed, simulation, review gates).
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

/// How a task of a failing task definition fails in the simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FailureKind {
    /// The image cannot be pulled: the task stops before RUNNING (`CannotPullContainerError`).
    ImagePull,
    /// The container health check never passes (or fails after `afterHealthySeconds`): the task is stopped as unhealthy.
    HealthCheck,
}

/// The cluster (CreateCluster plus the instances registered with it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cluster {
    /// `clusterName` (AWS calls a cluster created without one `default`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cluster_name: String,
    /// The zones the cluster spans, in the order the board shows them.
    #[serde(default)]
    pub availability_zones: Vec<String>,
    /// EC2 instances registered with the cluster.
    #[serde(default)]
    pub container_instances: Vec<ContainerInstance>,
    /// Capacity providers associated with the cluster.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_providers: Vec<CapacityProvider>,
    /// `defaultCapacityProviderStrategy`: used by a service or RunTask with neither a launch type nor its own strategy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub default_capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
}

/// An EC2 instance registered with the cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerInstance {
    /// The EC2 instance id (`ec2InstanceId` in the cluster query language).
    pub id: String,
    /// EC2 instance type, resolved against the instance catalog (`ecs.instance-type`).
    pub instance_type: String,
    /// Its zone (`ecs.availability-zone`), one of the cluster's.
    pub availability_zone: String,
    /// Custom attributes (`attribute:NAME` in the cluster query language).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// The Auto Scaling group capacity provider that launched it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<String>,
    /// `ACTIVE` (default) or `DRAINING`: a draining instance gets no new tasks and its service tasks are replaced.
    #[serde(default, skip_serializing_if = "InstanceStatus::is_active")]
    pub status: InstanceStatus,
    /// `agentConnected` (default true): ECS places no task on an instance whose agent is disconnected.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub agent_connected: bool,
    /// The ECS agent's version (`ecs.agent-version`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_version: Option<String>,
    /// When the instance registered (ISO 8601), for `registeredAt` in `memberOf` expressions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_at: Option<String>,
    /// The AMI it runs (`ecs.ami-id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ami_id: Option<String>,
    /// `ecs.os-family`, e.g. `LINUX` (the default) or `WINDOWS_SERVER_2022_CORE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_family: Option<String>,
    /// `ecs.vpc-id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// `ecs.subnet-id`.
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
    /// Takes new tasks.
    #[default]
    Active,
    /// Takes no new tasks; its service tasks are replaced elsewhere (container instance draining).
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
    /// The capacity provider's name (`FARGATE` and `FARGATE_SPOT` are reserved).
    pub name: String,
    /// `autoScalingGroupProvider`: the Auto Scaling group and how ECS manages it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling_group_provider: Option<AutoScalingGroupProvider>,
    /// The Auto Scaling group itself (the planner's member: AWS creates it separately).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling_group: Option<AutoScalingGroup>,
    /// Members the planner does not model, kept as written and exported unchanged.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `autoScalingGroupProvider` of CreateCapacityProvider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoScalingGroupProvider {
    /// `autoScalingGroupArn`: the group's ARN or name.
    #[serde(default)]
    pub auto_scaling_group_arn: String,
    /// `managedScaling`: ECS scales the group to keep its target capacity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_scaling: Option<ManagedScaling>,
    /// `managedTerminationProtection`, `ENABLED` or `DISABLED` (default): instances running tasks are protected from scale-in (needs managed scaling).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_termination_protection: Option<String>,
    /// `managedDraining`, `ENABLED` (default) or `DISABLED`: instances are drained before the group terminates them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_draining: Option<String>,
    /// Members the planner does not model, kept as written and exported unchanged.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `managedScaling` of a capacity provider (capacity provider auto scaling).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManagedScaling {
    /// `ENABLED` or `DISABLED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `targetCapacity`, 1 to 100 percent (default 100): the share of the instances that tasks should use; below 100 keeps spare instances.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_capacity: Option<u32>,
    /// `minimumScalingStepSize`, 1 to 10 000 instances (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_scaling_step_size: Option<u32>,
    /// `maximumScalingStepSize`, 1 to 10 000 instances (default 10 000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_scaling_step_size: Option<u32>,
    /// `instanceWarmupPeriod`, seconds (default 300): a new instance counts towards the CloudWatch metric only after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_warmup_period: Option<u32>,
    /// Members the planner does not model, kept as written and exported unchanged.
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
    /// `AutoScalingGroupName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling_group_name: Option<String>,
    /// The types the group launches (the planner's shorthand for the launch template's or
    /// mixed instances policy's types; empty: its instances' types). The simulator launches
    /// the first one the catalog knows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instance_types: Vec<String>,
    /// `AvailabilityZones` the group launches in (default the cluster's), balanced as Auto Scaling does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub availability_zones: Vec<String>,
    /// `MinSize`: the fewest instances.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_size: Option<u32>,
    /// `MaxSize`: the most instances; managed scaling never goes beyond.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_size: Option<u32>,
    /// `DesiredCapacity` at the start (default the instances of the provider in the plan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_capacity: Option<u32>,
    /// `TerminationPolicies`, in the order they run (empty: `Default`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub termination_policies: Vec<String>,
    /// Members the planner does not model, kept as written and exported unchanged.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One item of a capacity provider strategy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CapacityProviderStrategyItem {
    /// `capacityProvider`: its name (an Auto Scaling group provider, `FARGATE` or `FARGATE_SPOT`).
    pub capacity_provider: String,
    /// `weight`, 0 to 1 000 (default 0): the relative share of tasks after the bases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    /// `base`, 0 to 100 000 (default 0): tasks run on this provider first; only one item may set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<u32>,
}

/// A RegisterTaskDefinition request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskDefinition {
    /// `family`: the name its revisions share.
    pub family: String,
    /// `taskRoleArn`: the IAM role the containers' AWS calls use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    /// `executionRoleArn`: the IAM role the agent uses to pull images and read secrets and logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    /// `networkMode` (default `bridge` on EC2; Fargate requires `awsvpc`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_mode: Option<NetworkMode>,
    /// `containerDefinitions`: 1 to 10 containers.
    pub container_definitions: Vec<ContainerDefinition>,
    /// `volumes` the containers may mount.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<Volume>,
    /// `placementConstraints` (only `memberOf` is allowed here).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_constraints: Vec<PlacementConstraint>,
    /// `requiresCompatibilities`: the launch types it is checked against (`EC2`, `FARGATE`, `EXTERNAL`, `MANAGED_INSTANCES`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires_compatibilities: Vec<String>,
    /// Task CPU units as AWS takes them: a string ("256", or "1 vCPU").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    /// Task memory as AWS takes it: a string ("512", or "1GB").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    /// `runtimePlatform`: CPU architecture and operating system (required on Fargate for Windows and ARM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_platform: Option<RuntimePlatform>,
    /// Members the planner does not model, kept as written and exported unchanged.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `networkMode` of a task definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NetworkMode {
    /// Docker's bridge network: host ports mapped, dynamic when `hostPort` is 0 (the EC2 default).
    Bridge,
    /// The host's network: container ports are host ports, so one task per port per instance.
    Host,
    /// Each task gets its own ENI (and one of the instance's ENI slots, unless trunking).
    Awsvpc,
    /// No external network.
    None,
}

/// `runtimePlatform` of a task definition.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimePlatform {
    /// `cpuArchitecture`: `X86_64` (default) or `ARM64`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_architecture: Option<String>,
    /// `operatingSystemFamily`: `LINUX` (default) or a Windows Server family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operating_system_family: Option<String>,
}

/// A volume of a task definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Volume {
    /// `name`, referenced by the containers' `mountPoints`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Members the planner does not model, kept as written and exported unchanged.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One container of a task definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerDefinition {
    /// `name`, unique in the task definition.
    #[serde(default)]
    pub name: String,
    /// `image`: repository and tag or digest.
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
    /// `essential` (default true): when an essential container stops, the task stops.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub essential: Option<bool>,
    /// `portMappings`: the ports it listens on and the host ports they bind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub port_mappings: Vec<PortMapping>,
    /// `resourceRequirements`: GPUs (and inference accelerators) it needs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_requirements: Vec<ResourceRequirement>,
    /// `healthCheck`: the container health check Docker runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheck>,
    /// Members the planner does not model, kept as written and exported unchanged.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One entry of `portMappings`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortMapping {
    /// `containerPort`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_port: Option<u32>,
    /// `hostPort`: on bridge networking 0 or absent takes a dynamic port; on host and awsvpc it equals `containerPort`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_port: Option<u32>,
    /// `protocol`: `tcp` (default) or `udp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    /// Members the planner does not model, kept as written and exported unchanged.
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
/// A port's protocol.
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// TCP (the default).
    #[default]
    Tcp,
    /// UDP.
    Udp,
}

/// One entry of `resourceRequirements`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRequirement {
    /// `type`: `GPU` or `InferenceAccelerator`.
    #[serde(rename = "type")]
    pub kind: String,
    /// How many GPUs (a number as a string), or the accelerator's name.
    pub value: String,
}

/// A container's `healthCheck`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthCheck {
    /// `command`: `["CMD-SHELL", "curl -f http://localhost/ || exit 1"]` or `["CMD", ...]`.
    #[serde(default)]
    pub command: Vec<String>,
    /// `interval`, 5 to 300 seconds (default 30) between checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<u32>,
    /// `timeout`, 2 to 120 seconds (default 5) a check may take.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
    /// `retries`, 1 to 10 (default 3) failures before the container is unhealthy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<u32>,
    /// `startPeriod`, 0 to 300 seconds (default off): failures in it do not count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_period: Option<u32>,
}

/// A placement constraint (of a task definition, service or RunTask).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacementConstraint {
    /// `type`: `distinctInstance` or `memberOf`.
    #[serde(rename = "type")]
    pub kind: PlacementConstraintType,
    /// `expression`: a cluster query language expression, for `memberOf`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
}

/// `type` of a placement constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PlacementConstraintType {
    /// Each task of the group on a different container instance.
    #[serde(rename = "distinctInstance")]
    DistinctInstance,
    /// Only instances that satisfy the expression.
    #[serde(rename = "memberOf")]
    MemberOf,
}

/// One rule of a placement strategy (applied in order; at most five).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacementStrategy {
    /// `type`: `random`, `spread` or `binpack`.
    #[serde(rename = "type")]
    pub kind: PlacementStrategyType,
    /// `field`: for `spread` `instanceId` (or `host`) or `attribute:NAME`; for `binpack` `cpu`
    /// or `memory`; none for `random`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// `type` of a placement strategy rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlacementStrategyType {
    /// Instances in random order (seeded, see `settings.seed`).
    Random,
    /// Spread tasks evenly over the values of `field`.
    Spread,
    /// Fill the instance with the least of `field` left.
    Binpack,
}

/// `launchType` of a service or RunTask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LaunchType {
    /// Container instances of the cluster.
    Ec2,
    /// Fargate, serverless (also `FARGATE_SPOT` through a capacity provider strategy).
    Fargate,
    /// External instances (ECS Anywhere); the planner places these tasks like EC2's.
    External,
    /// Amazon ECS Managed Instances: AWS does not document their placement, so the planner
    /// places these tasks like EC2's and warns.
    ManagedInstances,
}

/// `schedulingStrategy` of a service.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SchedulingStrategy {
    /// Keep `desiredCount` tasks, placed by the strategy (the default).
    #[default]
    Replica,
    /// One task on every container instance that meets the constraints.
    Daemon,
}

/// A CreateService request plus its Application Auto Scaling configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    /// `serviceName`, unique in the cluster.
    pub service_name: String,
    /// `taskDefinition`: `family` (latest revision) or `family:revision`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    /// `desiredCount` (required for REPLICA; a DAEMON has one per instance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<u32>,
    /// `launchType`; neither it nor a strategy: the cluster's default strategy, else EC2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<LaunchType>,
    /// `capacityProviderStrategy`, instead of a launch type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
    /// `schedulingStrategy` (default `REPLICA`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduling_strategy: Option<SchedulingStrategy>,
    /// `placementConstraints`, with the task definition's (at most 10 in all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_constraints: Vec<PlacementConstraint>,
    /// `placementStrategy` (default for a service on EC2: spread over zones, then instances).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_strategy: Vec<PlacementStrategy>,
    /// `deploymentConfiguration`: rolling update limits, circuit breaker, alarms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_configuration: Option<Written<DeploymentConfiguration>>,
    /// `networkConfiguration` (`awsvpcConfiguration`: subnets, security groups), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<Value>,
    /// `loadBalancers`: target groups, container names and ports, as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub load_balancers: Vec<Value>,
    /// Application Auto Scaling of the service (the planner's member).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling: Option<Written<ServiceAutoScaling>>,
    /// Members the planner does not model, kept as written and exported unchanged.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A RunTask request (standalone tasks).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunTask {
    /// `taskDefinition`: `family` (latest revision) or `family:revision`.
    pub task_definition: String,
    /// `count`, 1 to 10 (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// `group` (default `family:FAMILY`): the task group `spread` and `distinctInstance` count within.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// `launchType`; neither it nor a strategy: the cluster's default strategy, else EC2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<LaunchType>,
    /// `capacityProviderStrategy`, instead of a launch type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
    /// `placementConstraints`, with the task definition's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_constraints: Vec<PlacementConstraint>,
    /// `placementStrategy` (default for RunTask: random).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_strategy: Vec<PlacementStrategy>,
    /// `networkConfiguration`, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<Value>,
    /// Members the planner does not model, kept as written and exported unchanged.
    #[serde(flatten)]
    pub extra: Extra,
}
