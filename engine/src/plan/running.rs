//! Where the cluster's tasks run now (`runningTasks`): one entry per task, as ECS's
//! DescribeTasks reports it, with the plan's names (the instance's `id`, the task definition
//! as the plan numbers it). Optional: a plan without it is placed afresh; with it, placement
//! starts from it (`crate::placement::recorded`). Kept as written ([`super::Written`]).

use super::json::json_struct;

json_struct! {
/// One task as it runs (DescribeTasks' `Task`, with the plan's names).
pub struct RecordedTask {
    /// The task's ARN or id, for the reader (placement does not use it).
    pub task_arn: String = "taskArn",
    /// `service:NAME` for a service's task, else the RunTask group (`family:NAME` by default).
    pub group: String = "group",
    /// `family:revision` as the plan numbers revisions (or `family`, the latest).
    pub task_definition: String = "taskDefinition",
    /// The container instance: a `cluster.containerInstances[].id`. None on Fargate.
    pub container_instance: String = "containerInstance",
    /// Its zone (a Fargate task's only place).
    pub availability_zone: String = "availabilityZone",
    /// The capacity provider that launched it (`FARGATE`, `FARGATE_SPOT` or a cluster's).
    pub capacity_provider_name: String = "capacityProviderName",
    /// `EC2` or `FARGATE` when no capacity provider launched it.
    pub launch_type: String = "launchType",
    /// `PROVISIONING`, `PENDING`, `RUNNING`, ... (absent: RUNNING).
    pub last_status: String = "lastStatus",
    /// `RUNNING` or `STOPPED` (absent: RUNNING).
    pub desired_status: String = "desiredStatus",
}
}

impl RecordedTask {
    /// The service the task belongs to, from `group` (`service:web` → `web`).
    pub fn service(&self) -> Option<&str> {
        self.group.as_deref()?.strip_prefix("service:")
    }

    /// Whether the task holds its place: not stopping or stopped (its desired status is not
    /// STOPPED and it has not reached DEACTIVATING or later). A stopping task is on its way
    /// out and the scheduler has already counted it out of the service.
    pub fn is_live(&self) -> bool {
        let stopping = matches!(
            self.last_status.as_deref(),
            Some("DEACTIVATING" | "STOPPING" | "DEPROVISIONING" | "STOPPED" | "DELETED")
        );
        self.desired_status.as_deref() != Some("STOPPED") && !stopping
    }
}
