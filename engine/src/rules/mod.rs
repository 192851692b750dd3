//! Validation rules: what AWS would refuse, and what would register but never run or is very
//! likely a mistake, in task definitions, services, standalone tasks and capacity providers.
//!
//! The structural checks (unknown members, types, enums, required members, ranges of the API
//! model) happen earlier, in [`crate::schema`]; these rules read the typed plan and the members
//! it keeps verbatim. Every finding has a stable rule code from [`RULES`], whose entry fixes its
//! severity and the AWS page it comes from, so the same problem always reads the same way in
//! the CLI and the UI.
//!
//! Severity: **error** when AWS refuses the request or the task can never run; **warning** for a
//! likely mistake that AWS accepts; **info** for a remark worth knowing (which IAM role does
//! what, what a setting means on the chosen launch type).
//!
//! # Choices where AWS is silent
//! - `minimumHealthyPercent` above 100 is an error (it is a share of the desired count that must
//!   stay healthy; AWS documents no value above 100). `maximumPercent` below 100 is a warning:
//!   deployments would run fewer tasks than desired.
//! - The "cannot make progress" check uses the rounding of `deployment-type-ecs.md` (healthy
//!   minimum rounded up, maximum rounded down) at the desired count and at the auto scaling
//!   minimum; it is a warning because AWS accepts the service and only the next deployment hangs.
//! - Images: a reference with no tag is treated as `:latest` (Docker's rule) and warned about;
//!   repository path components must be lowercase (Docker refuses others when pulling, so the
//!   task could never start: an error).
//! - `awslogs` options: `awslogs-group` and `awslogs-region` are required (the API model and
//!   cfn-lint agree). Options the Docker driver knows but ECS does not document are warnings;
//!   anything else is an error, because Docker refuses to start a container with an unknown
//!   log option.
//! - Parameters that only the older Fargate page lists as unsupported, and that the current API
//!   model no longer restricts (`dnsServers`, `dnsSearchDomains`, `disableNetworking`,
//!   `linuxParameters.tmpfs`), are warnings on Fargate; `systemControls` is accepted.
//! - A service on Fargate whose task definition does not list `FARGATE` in
//!   `requiresCompatibilities` is accepted when the task definition meets every Fargate
//!   requirement (AWS computes `compatibilities` itself); otherwise one error names the first
//!   reasons.
//! - Windows tasks on Fargate use the 1, 2 and 4 vCPU rows only (see [`crate::fargate`]).

mod capacity_providers;
mod containers;
mod dependencies;
mod fargate;
mod images;
mod logs;
mod managed_instances;
mod names;
mod placement;
mod ports;
mod quotas;
mod run_tasks;
pub(crate) mod scaling;
mod secrets;
mod service;
mod volumes;

pub use containers::MAX_CONTAINERS;
pub use placement::MAX_STRATEGIES;
pub use quotas::{
    CAPACITY_PROVIDERS_PER_CLUSTER, INSTANCES_PER_CLUSTER, SERVICES_PER_CLUSTER, TASKS_PER_SERVICE,
};
pub use service::MAX_RUN_TASK_COUNT;

use crate::findings::{Finding, JsonPath, Severity};
use crate::plan::{
    units, CapacityProvider, CapacityProviderStrategyItem, ContainerDefinition, NetworkMode, Plan,
    RunTask, Service, TaskDefinition,
};
use serde_json::{Map, Value};

/// One rule: its code, how bad it is, and the AWS page it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The finding code it reports (`fargate-cpu-memory`).
    pub code: &'static str,
    /// How bad what it finds is.
    pub severity: Severity,
    /// File name in the ECS Developer Guide (with an anchor), or an API reference action/shape.
    pub doc: &'static str,
    /// What the rule checks, in a few words (for documentation and the UI's rule list).
    pub title: &'static str,
}

const fn r(code: &'static str, severity: Severity, doc: &'static str, title: &'static str) -> Rule {
    Rule {
        code,
        severity,
        doc,
        title,
    }
}

use Severity::{Error as E, Info as I, Warning as W};

const TDP: &str = "task_definition_parameters.md";

/// Every rule the validator applies, by topic.
#[rustfmt::skip]
pub const RULES: &[Rule] = &[
    // Names.
    r("family-name", E, "task_definition_parameters.md#family", "family: 1-255 letters, digits, - and _"),
    r("container-name", E, "task_definition_parameters.md#container_definition_name", "container name: 1-255 letters, digits, - and _"),
    r("volume-name", E, "task_definition_parameters.md#volumes", "volume name: 1-255 letters, digits, - and _"),
    r("port-mapping-name", E, "task_definition_parameters.md#container_definition_portmappings", "port mapping name: up to 64 of a-z, 0-9, - and _, not starting with -"),
    r("service-name", E, "service_definition_parameters.md#sd-servicename", "service name: 1-255 letters, digits, - and _"),
    r("duplicate-container-name", E, "task_definition_parameters.md#container_definition_name", "container names are unique in a task definition"),
    r("duplicate-volume-name", E, "task_definition_parameters.md#volumes", "volume names are unique in a task definition"),
    r("duplicate-port-mapping-name", E, "task_definition_parameters.md#container_definition_portmappings", "port mapping names are unique in a task definition"),
    // Containers and task size.
    r("no-containers", E, "task_definition_parameters.md#container_definitions", "a task definition has at least one container"),
    r("too-many-containers", E, "API_RegisterTaskDefinition", "at most 10 containers per task definition"),
    r("no-essential-container", E, "task_definition_parameters.md#container_definition_environment", "at least one container is essential"),
    r("task-size-format", E, "task_definition_parameters.md#task_size", "task cpu and memory are numbers or values with units"),
    r("task-cpu-range", E, "API_RegisterTaskDefinition", "task cpu 128-196608 units on EC2"),
    r("windows-task-size-ignored", I, "task_definition_parameters.md#task_size", "task-level cpu and memory are ignored for Windows on EC2"),
    r("container-memory-missing", E, "task_definition_parameters.md#container_definition_memory", "without task memory, each container sets memory or memoryReservation"),
    r("container-memory-minimum", E, "task_definition_parameters.md#container_definition_memory", "container memory at least 6 MiB"),
    r("memory-reservation-not-below-memory", E, "task_definition_parameters.md#container_definition_memory", "memory must be greater than memoryReservation"),
    r("container-memory-exceeds-task", E, "task_definition_parameters.md#container_definition_memory", "container memory fits in the task memory"),
    r("container-cpu-exceeds-task", E, "task_definition_parameters.md#container_definition_environment", "container cpu fits in the task cpu"),
    r("health-check-command", E, "task_definition_parameters.md#container_definition_healthcheck", "health check command starts with CMD or CMD-SHELL"),
    r("health-check-range", E, "task_definition_parameters.md#container_definition_healthcheck", "health check interval, timeout, retries and start period within AWS's ranges"),
    r("health-check-shell-arguments", W, "task_definition_parameters.md#container_definition_healthcheck", "CMD-SHELL takes one command string"),
    r("environment-files", E, "task_definition_parameters.md#container_definition_environment", "up to 10 environment files, S3 objects ending in .env"),
    r("duplicate-environment-name", W, "task_definition_parameters.md#container_definition_environment", "a variable set twice in environment and secrets"),
    r("awsvpc-unsupported-parameter", E, "task_definition_parameters.md#container_definition_network", "hostname and extraHosts are not supported with awsvpc"),
    // Logging.
    r("awslogs-options", E, "task_definition_parameters.md#container_definition_storage", "awslogs needs awslogs-group and awslogs-region and known options"),
    r("awslogs-option-undocumented", W, "task_definition_parameters.md#container_definition_storage", "awslogs option that ECS does not document"),
    r("awslogs-stream-prefix", E, "AWS_Fargate.md#fargate-tasks-logging", "awslogs on Fargate needs awslogs-stream-prefix"),
    r("splunk-options", E, "API_LogConfiguration", "splunk needs splunk-url and splunk-token"),
    // Ports.
    r("port-mappings-network-none", E, "task_definition_parameters.md#network_mode", "no port mappings with network mode none"),
    r("host-port-mismatch", E, "task_definition_parameters.md#container_definition_portmappings", "awsvpc and host: hostPort equals containerPort or is omitted"),
    r("container-port-missing", E, "task_definition_parameters.md#container_definition_portmappings", "a port mapping names a containerPort or containerPortRange"),
    r("port-out-of-range", E, "task_definition_parameters.md#container_definition_portmappings", "ports are 1-65535 (hostPort 0 means dynamic)"),
    r("container-port-range", E, "task_definition_parameters.md#container_definition_portmappings", "containerPortRange is FIRST-LAST, bridge or awsvpc, without hostPort"),
    r("duplicate-port-mapping", E, "task_definition_parameters.md#container_definition_portmappings", "a container port and protocol is mapped once"),
    r("duplicate-host-port", E, "task_definition_parameters.md#container_definition_portmappings", "a host port and protocol is used once per task"),
    r("reserved-host-port", W, "task_definition_parameters.md#container_definition_portmappings", "static host port reserved by the agent's defaults"),
    r("ephemeral-host-port", W, "task_definition_parameters.md#container_definition_portmappings", "static host port inside the ephemeral range"),
    // Container references and start order.
    r("unknown-container", E, "task_definition_parameters.md#container_definition_dependson", "dependsOn, links, volumesFrom name a container of the task"),
    r("dependency-cycle", E, "task_definition_parameters.md#container_definition_dependson", "containers cannot wait on each other in a circle"),
    r("dependency-condition-essential", E, "task_definition_parameters.md#container_definition_dependson", "COMPLETE and SUCCESS cannot target an essential container"),
    r("dependency-healthy-without-health-check", E, "task_definition_parameters.md#container_definition_dependson", "HEALTHY needs a health check on the target"),
    r("links-network-mode", E, "task_definition_parameters.md#container_definition_network", "links work only with the bridge network mode"),
    // Secrets and IAM roles.
    r("secret-value-from", E, "specifying-sensitive-data-secrets.md#secrets-envvar", "valueFrom is a Secrets Manager ARN, an SSM ARN or an SSM parameter name"),
    r("repository-credentials", E, "task_execution_IAM_role.md#task-execution-private-auth", "repositoryCredentials names a Secrets Manager secret"),
    r("execution-role-required", E, "task_execution_IAM_role.md", "an execution role when the agent must fetch secrets, files, images or send logs"),
    r("instance-role-used", I, "task_execution_IAM_role.md", "on EC2 the instance role does the agent's work when there is no execution role"),
    r("no-task-role", I, "task-iam-roles.md", "an application that calls AWS has no task role"),
    r("same-task-and-execution-role", I, "task-iam-roles.md", "one role used as both task role and execution role"),
    r("role-arn-format", W, "task_definition_parameters.md#task_role_arn", "role ARNs look like arn:aws:iam::ACCOUNT:role/NAME"),
    // Volumes and storage.
    r("unknown-volume", E, "task_definition_parameters.md#container_definition_storage", "mountPoints name a volume of the task"),
    r("mount-path", E, "task_definition_parameters.md#container_definition_storage", "a mount point has an absolute containerPath, used once"),
    r("volume-type-conflict", E, "task_definition_parameters.md#volumes", "a volume has one type"),
    r("volume-name-missing", E, "API_Volume", "EFS, FSx and launch-time volumes need a name"),
    r("configured-at-launch-count", E, "API_Volume", "at most one volume configured at launch"),
    r("docker-volume-autoprovision", E, "task_definition_parameters.md#volumes", "autoprovision only with scope shared"),
    r("efs-file-system-id", W, "efs-volumes.md#specify-efs-config", "EFS file system ids look like fs-0123456789abcdef0"),
    r("efs-root-directory", E, "efs-volumes.md#efs-volume-accesspoints", "with an access point, rootDirectory is omitted or /"),
    r("efs-transit-encryption", E, "efs-volumes.md#specify-efs-config", "IAM authorization and access points need transit encryption"),
    r("efs-transit-port", E, "efs-volumes.md#specify-efs-config", "transitEncryptionPort 1-65535, with transit encryption on"),
    r("efs-iam-without-task-role", E, "efs-volumes.md#efs-volume-accesspoints", "EFS IAM authorization uses the task role"),
    r("ephemeral-storage-range", E, "task_definition_parameters.md#task_definition_ephemeralStorage", "ephemeral storage 21-200 GiB"),
    r("ephemeral-storage-not-fargate", W, "task_definition_parameters.md#task_definition_ephemeralStorage", "ephemeral storage applies to Fargate only"),
    // Images.
    r("image-reference", E, "task_definition_parameters.md#container_definition_image", "image is a valid repository reference"),
    r("image-digest", E, "API_ContainerDefinition", "digests are sha256: and 64 hex characters"),
    r("image-length", E, "API_ContainerDefinition", "image references are at most 255 characters"),
    r("image-latest", W, "task_definition_parameters.md#container_definition_image", "pin images to a tag or digest, not latest"),
    r("image-cross-region", W, "task_definition_parameters.md#container_definition_image", "ECR image from another Region than the plan's"),
    // Fargate.
    r("fargate-cpu-memory", E, "AWS_Fargate.md#fargate-tasks-size", "Fargate cpu and memory form a valid pair"),
    r("fargate-task-size-missing", E, "AWS_Fargate.md#fargate-tasks-size", "Fargate needs task-level cpu and memory"),
    r("fargate-network-mode", E, "AWS_Fargate.md#fargate-tasks-networkmode", "Fargate needs the awsvpc network mode"),
    r("fargate-log-driver", E, "AWS_Fargate.md#fargate-tasks-logging", "Fargate log drivers: awslogs, splunk, awsfirelens"),
    r("fargate-placement-constraints", E, "task_definition_parameters.md#constraints", "no placement constraints on Fargate"),
    r("fargate-unsupported-parameter", E, "AWS_Fargate.md#fargate-task-defs", "parameters Fargate does not support"),
    r("fargate-parameter-not-documented", W, "AWS_Fargate.md#fargate-task-defs", "parameters the Fargate guide lists as unsupported"),
    r("fargate-volume-type", E, "task_definition_parameters.md#volumes", "Fargate: no Docker volumes, no host source paths"),
    r("fargate-stop-timeout", E, "task_definition_parameters.md#container_definition_timeout", "stopTimeout at most 120 s on Fargate"),
    r("fargate-windows-unsupported", E, "AWS_Fargate.md#windows-considerations", "features Windows on Fargate does not have"),
    // Placement.
    r("task-definition-constraint-type", E, "task_definition_parameters.md#constraints", "only memberOf in a task definition"),
    r("constraint-expression-missing", E, "task-placement-constraints.md#constraint-types", "memberOf needs an expression"),
    r("constraint-expression-not-allowed", E, "service_definition_parameters.md#sd-taskplacement", "distinctInstance takes no expression"),
    r("cql-syntax", E, "cluster-query-language.md", "memberOf expressions parse"),
    r("too-many-constraints", E, "API_CreateService", "at most 10 placement constraints, task definition and request together"),
    r("too-many-strategies", E, "API_CreateService", "at most 5 placement strategies"),
    r("strategy-field", E, "task-placement-strategies.md#strategy-types", "binpack: cpu|memory; spread: instanceId|host|attribute:NAME"),
    r("strategy-field-ignored", W, "task-placement-strategies.md#strategy-types", "random takes no field"),
    r("placement-on-fargate", E, "service_definition_parameters.md#sd-taskplacement", "no placement constraints or strategies on Fargate"),
    // Services and tasks.
    r("launch-type-and-strategy", E, "service_definition_parameters.md#sd-launchtype", "launchType or capacityProviderStrategy, not both"),
    r("service-not-fargate-compatible", E, "AWS_Fargate.md#fargate-task-defs", "a Fargate service needs a Fargate-compatible task definition"),
    r("missing-network-configuration", E, "service_definition_parameters.md#sd-networkconfiguration", "awsvpc needs networkConfiguration.awsvpcConfiguration"),
    r("network-configuration-not-awsvpc", E, "service_definition_parameters.md#sd-networkconfiguration", "networkConfiguration only with awsvpc"),
    r("awsvpc-subnets", E, "service_definition_parameters.md#sd-networkconfiguration", "1 to 16 subnets"),
    r("awsvpc-security-groups", E, "service_definition_parameters.md#sd-networkconfiguration", "at most 5 security groups"),
    r("missing-desired-count", E, "service_definition_parameters.md#sd-desiredcount", "a REPLICA service sets desiredCount"),
    r("daemon-on-fargate", E, "ecs_services.md#service_scheduler_daemon", "no DAEMON services on Fargate"),
    r("daemon-desired-count", E, "ecs_services.md#service_scheduler_daemon", "DAEMON services take no desiredCount"),
    r("daemon-placement-strategy", E, "ecs_services.md#service_scheduler_daemon", "DAEMON services take no placement strategy"),
    r("daemon-deployment-controller", E, "ecs_services.md#service_scheduler_daemon", "DAEMON only with the ECS deployment controller"),
    r("daemon-maximum-percent", E, "ecs_services.md#service_scheduler_daemon", "DAEMON services keep maximumPercent at 100"),
    r("daemon-auto-scaling", W, "ecs_services.md#service_scheduler_daemon", "DAEMON services are not auto scaled"),
    r("deployment-percent-range", E, "service_definition_parameters.md#sd-deploymentconfiguration", "minimumHealthyPercent 0-100, maximumPercent not negative"),
    r("deployment-maximum-below-100", W, "service_definition_parameters.md#sd-deploymentconfiguration", "maximumPercent below 100 runs fewer tasks than desired"),
    r("deployment-cannot-progress", W, "deployment-type-ecs.md", "a deployment can stop or start at least one task"),
    r("circuit-breaker-controller", E, "deployment-circuit-breaker.md", "circuit breaker and alarms only with the ECS deployment controller"),
    r("load-balancer-container", E, "service_definition_parameters.md#sd-networkconfiguration", "the load balancer's container and port exist in the task definition"),
    r("classic-load-balancer-awsvpc", E, "service-load-balancing.md", "Classic Load Balancers do not work with awsvpc"),
    r("service-role-awsvpc", E, "service_definition_parameters.md#sd-networkconfiguration", "no service role with awsvpc (the service-linked role is used)"),
    r("target-type-ip", I, "AWS_Fargate.md#fargate-tasks-services-load-balancing", "awsvpc target groups use target type ip"),
    r("fargate-platform-version", E, "AWS_Fargate.md#fargate-tasks-size", "features that need Fargate platform 1.4.0"),
    r("fargate-spot-windows", E, "AWS_Fargate.md#fargate-spot", "no Fargate Spot for Windows"),
    r("auto-scaling-range", E, "service-auto-scaling.md", "auto scaling minCapacity at most maxCapacity"),
    r("auto-scaling-desired", W, "service-auto-scaling.md", "desiredCount within the auto scaling range"),
    r("scheduled-action-range", E, "service-auto-scaling.md", "scheduled MinCapacity at most MaxCapacity"),
    r("alb-request-count-label", E, "service-autoscaling-targettracking.md", "ALBRequestCountPerTarget needs a ResourceLabel"),
    r("alb-request-count-without-target-group", W, "service-autoscaling-targettracking.md", "ALBRequestCountPerTarget needs a target group on the service"),
    r("run-task-count", E, "API_RunTask", "RunTask starts 1 to 10 tasks"),
    // Capacity providers.
    r("strategy-single-base", E, "cluster-capacity-providers.md", "only one provider in a strategy has a base"),
    r("strategy-zero-weight", E, "cluster-capacity-providers.md", "with several providers, at least one weight above 0"),
    r("strategy-mixed-providers", E, "cluster-capacity-providers.md", "Fargate and Auto Scaling group providers are not mixed"),
    r("strategy-too-many", E, "API_CreateService", "at most 20 providers in a strategy"),
    r("strategy-duplicate-provider", E, "cluster-capacity-providers.md", "a provider appears once in a strategy"),
    r("asg-size", E, "asg-capacity-providers.md", "Auto Scaling group MinSize <= DesiredCapacity <= MaxSize"),
    r("asg-max-zero", W, "asg-capacity-providers.md#asg-capacity-providers-considerations", "an Auto Scaling group with MaxSize 0 never scales out"),
    r("asg-termination-policy", E, "cluster-auto-scaling.md", "TerminationPolicies: Default, AllocationStrategy, ClosestToNextInstanceHour, NewestInstance, OldestInstance, OldestLaunchConfiguration, OldestLaunchTemplate or a Lambda ARN"),
    r("asg-custom-termination-policy", W, "cluster-auto-scaling.md", "a custom (Lambda) termination policy is not simulated"),
    r("managed-termination-protection", W, "asg-capacity-providers.md#asg-capacity-providers-considerations", "managed termination protection needs managed scaling"),
    // Service quotas (per cluster, per service, per family).
    r("tasks-per-service", E, QUOTAS, "at most 5000 tasks per service"),
    r("services-per-cluster", E, QUOTAS, "at most 5000 services per cluster"),
    r("instances-per-cluster", E, QUOTAS, "at most 5000 container instances per cluster"),
    r("capacity-providers-per-cluster", E, QUOTAS, "at most 20 capacity providers per cluster"),
];

/// The Developer Guide's quotas page. The stored guide links to it (`cluster-auto-scaling.md`)
/// without holding it; `ecs-semantics.md` §7 digests its table.
pub const QUOTAS: &str = "service-quotas.md";

/// The rule with this code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// A finding for rule `code` with its catalogued severity and page.
pub(crate) fn finding(
    code: &str,
    path: JsonPath,
    message: impl Into<String>,
    fix: impl Into<String>,
) -> Finding {
    let (severity, doc) = match rule(code) {
        Some(r) => (r.severity, r.doc),
        None => {
            debug_assert!(false, "rule {code} is not in RULES");
            (Severity::Error, TDP)
        }
    };
    let mut f = Finding::error(code, path, message)
        .with_fix(fix)
        .with_doc(doc);
    f.severity = severity;
    f
}

/// What the rules need to know beyond the object they check.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The plan's Region (for ECR images from another Region).
    pub region: Option<&'a str>,
    /// The cluster's default capacity provider strategy (for services and tasks without a
    /// launch type or strategy of their own).
    pub default_strategy: &'a [CapacityProviderStrategyItem],
    /// The cluster's capacity providers, when the cluster is known (in a plan). Strategies
    /// then count only these as Auto Scaling group providers; names that are neither these nor
    /// FARGATE/FARGATE_SPOT are reported by the reference checks instead.
    pub providers: Option<&'a [CapacityProvider]>,
}

/// Every rule over a whole plan: task definitions, services, standalone tasks, capacity.
pub fn check_plan(plan: &Plan) -> Vec<Finding> {
    let ctx = Context {
        region: Some(plan.region.as_str()),
        default_strategy: &plan.cluster.default_capacity_provider_strategy,
        providers: Some(&plan.cluster.capacity_providers),
    };
    let root = JsonPath::root();
    let mut out = Vec::new();
    for (i, td) in plan.task_definitions.iter().enumerate() {
        out.extend(check_task_definition_in(
            td,
            &root.key("taskDefinitions").index(i),
            &ctx,
        ));
    }
    let td_of = |reference: Option<&str>| -> Option<&TaskDefinition> {
        let (i, _) = plan.resolve_task_definition(reference?)?;
        plan.task_definitions.get(i)
    };
    for (i, svc) in plan.services.iter().enumerate() {
        let td = td_of(svc.task_definition.as_deref());
        out.extend(check_service(svc, td, &root.key("services").index(i), &ctx));
    }
    for (i, task) in plan.tasks.iter().enumerate() {
        let td = td_of(Some(task.task_definition.as_str()));
        out.extend(check_run_task(task, td, &root.key("tasks").index(i), &ctx));
    }
    out.extend(capacity_providers::check_cluster(plan, &ctx));
    quotas::check(plan, &mut out);
    out
}

/// Every task definition rule, without plan context (no Region known).
pub fn check_task_definition(td: &TaskDefinition, path: &JsonPath) -> Vec<Finding> {
    check_task_definition_in(td, path, &Context::default())
}

/// Every task definition rule.
pub fn check_task_definition_in(
    td: &TaskDefinition,
    path: &JsonPath,
    ctx: &Context,
) -> Vec<Finding> {
    let facts = Facts::of(td, path, ctx);
    let mut out = Vec::new();
    names::task_definition(&facts, &mut out);
    containers::check(&facts, &mut out);
    logs::check(&facts, &mut out);
    ports::check(&facts, &mut out);
    dependencies::check(&facts, &mut out);
    secrets::check(&facts, &mut out);
    volumes::check(&facts, &mut out);
    images::check(&facts, &mut out);
    placement::task_definition(&facts, &mut out);
    if facts.fargate {
        out.extend(fargate::problems(&facts));
    }
    out
}

/// Every service rule. `td` is the task definition the service runs, when known; rules that
/// need it are skipped otherwise.
pub fn check_service(
    svc: &Service,
    td: Option<&TaskDefinition>,
    path: &JsonPath,
    ctx: &Context,
) -> Vec<Finding> {
    let mut out = Vec::new();
    service::check_service(svc, td, path, ctx, &mut out);
    out
}

/// Every rule for a standalone task (RunTask request).
pub fn check_run_task(
    task: &RunTask,
    td: Option<&TaskDefinition>,
    path: &JsonPath,
    ctx: &Context,
) -> Vec<Finding> {
    let mut out = Vec::new();
    service::check_run_task(task, td, path, ctx, &mut out);
    out
}

/// What validating a bare task definition document found.
#[derive(Debug, Clone, Default)]
pub struct DocumentReport {
    /// Every finding, with paths in the document as given (`taskDefinition.containerDefinitions[0]`
    /// for `describe-task-definition` output).
    pub findings: Vec<Finding>,
    /// Read-only members of `describe-task-definition` output that were left out.
    pub ignored: Vec<String>,
    /// Whether the document was `describe-task-definition` output.
    pub described: bool,
}

/// Whether a JSON document is a task definition rather than a plan: a RegisterTaskDefinition
/// request (has `containerDefinitions`) or `describe-task-definition` output (a
/// `taskDefinition` object).
pub fn is_task_definition_document(value: &Value) -> bool {
    let Value::Object(o) = value else {
        return false;
    };
    if o.contains_key("schemaVersion") {
        return false;
    }
    o.contains_key("containerDefinitions") || o.get("taskDefinition").is_some_and(Value::is_object)
}

/// Validates a task definition document: the API shape, then every task definition rule.
/// `describe-task-definition` output is validated as the request it describes; its read-only
/// members are left out and listed in `DocumentReport::ignored`.
pub fn check_task_definition_document(value: &Value) -> DocumentReport {
    let mut report = DocumentReport::default();
    let (request, base) = match value.get("taskDefinition").filter(|v| v.is_object()) {
        Some(Value::Object(td)) => {
            report.described = true;
            let mut req: Map<String, Value> = Map::new();
            for (k, v) in td {
                // The same list the importer drops (checked against the API model there).
                if crate::schema::READ_ONLY_TASK_DEFINITION_MEMBERS
                    .iter()
                    .any(|(m, _)| *m == k)
                {
                    report.ignored.push(k.clone());
                } else {
                    req.insert(k.clone(), v.clone());
                }
            }
            // describe-task-definition --include TAGS puts the tags beside the task definition.
            if let Some(tags) = value.get("tags") {
                if !req.contains_key("tags") && tags.as_array().is_some_and(|t| !t.is_empty()) {
                    req.insert("tags".into(), tags.clone());
                }
            }
            (Value::Object(req), JsonPath::root().key("taskDefinition"))
        }
        _ => (value.clone(), JsonPath::root()),
    };
    crate::schema::check(
        &request,
        "ecs:RegisterTaskDefinitionRequest",
        &base,
        &mut report.findings,
    );
    if report.findings.iter().any(Finding::is_error) {
        return report;
    }
    match crate::typed::typed::<TaskDefinition>(&request, &base) {
        Ok(td) => report.findings.extend(check_task_definition(&td, &base)),
        Err(f) => report.findings.push(*f),
    }
    report
}

// ---------------------------------------------------------------------------------------------
// What the task definition rules share.

/// A task definition with what every rule asks about it worked out once.
pub(crate) struct Facts<'a> {
    pub td: &'a TaskDefinition,
    pub path: &'a JsonPath,
    pub region: Option<&'a str>,
    /// `requiresCompatibilities` includes FARGATE.
    pub fargate: bool,
    /// `requiresCompatibilities` includes EXTERNAL.
    pub external: bool,
    /// The task may run on EC2 instances (no `requiresCompatibilities`, or EC2 listed).
    pub ec2: bool,
    pub mode: NetworkMode,
    pub os: crate::fargate::Os,
    /// Task CPU units and memory MiB, when given and readable.
    pub cpu: Option<u32>,
    pub memory: Option<u32>,
}

impl<'a> Facts<'a> {
    pub fn of(td: &'a TaskDefinition, path: &'a JsonPath, ctx: &Context<'a>) -> Facts<'a> {
        let has = |c: &str| td.requires_compatibilities.iter().any(|x| x == c);
        Facts {
            td,
            path,
            region: ctx.region,
            fargate: has("FARGATE"),
            external: has("EXTERNAL"),
            ec2: td.requires_compatibilities.is_empty() || has("EC2"),
            mode: td.network_mode.unwrap_or(NetworkMode::Bridge),
            os: crate::fargate::Os::from_family(
                td.runtime_platform
                    .as_ref()
                    .and_then(|p| p.operating_system_family.as_deref()),
            ),
            cpu: td.cpu.as_deref().and_then(units::cpu_units),
            memory: td.memory.as_deref().and_then(units::memory_mib),
        }
    }

    pub fn windows(&self) -> bool {
        self.os == crate::fargate::Os::Windows
    }

    pub fn container(&self, i: usize) -> JsonPath {
        self.path.key("containerDefinitions").index(i)
    }

    pub fn containers(
        &self,
    ) -> impl Iterator<Item = (usize, &'a ContainerDefinition, JsonPath)> + '_ {
        self.td
            .container_definitions
            .iter()
            .enumerate()
            .map(|(i, c)| (i, c, self.container(i)))
    }

    pub fn container_named(&self, name: &str) -> Option<(usize, &'a ContainerDefinition)> {
        self.td
            .container_definitions
            .iter()
            .enumerate()
            .find(|(_, c)| c.name == name)
    }

    /// The family in quotes for messages, or "this task definition".
    pub fn label(&self) -> String {
        if self.td.family.is_empty() {
            "this task definition".into()
        } else {
            format!("task definition {}", self.td.family)
        }
    }
}

/// Whether a container is essential (the default when `essential` is absent).
pub(crate) fn essential(c: &ContainerDefinition) -> bool {
    c.essential.unwrap_or(true)
}

/// A member kept verbatim in `extra`, as a list (empty if absent or not a list).
pub(crate) fn list<'v>(extra: &'v Map<String, Value>, key: &str) -> &'v [Value] {
    extra
        .get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// A string member of a JSON object.
pub(crate) fn text<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

/// A whole-number member of a JSON object.
pub(crate) fn int(v: &Value, key: &str) -> Option<i64> {
    v.get(key).and_then(Value::as_i64)
}

/// A role or secret reference that is really there (AWS's own examples pass `""` for none).
pub(crate) fn present(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Joins names for a message: `a, b and c`.
pub(crate) fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let head: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", head.join(", "), last.as_ref())
        }
    }
}

/// `^[A-Za-z0-9_-]{1,max}$`, the pattern of family, container, volume and service names.
pub(crate) fn is_plain_name(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
