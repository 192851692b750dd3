//! The workload's effect on the tasks: how the load of a service ([`crate::plan::workload`])
//! becomes each task's utilisation.
//!
//! # From load to utilisation (the planner's model; AWS has none)
//! Every second, the load is shared by the service's healthy RUNNING tasks (`n`), so scaling out
//! lowers each task's share: that is the feedback auto scaling works on.
//! - **Requests**: a task serves `capacity` requests per second at 100 % of its CPU reservation:
//!   `requestsPerTaskAt100Percent`, or `requestsPerVcpu` (default 100) × the task's vCPUs
//!   (CPU units / 1024; a task that reserves no CPU counts as 1 vCPU). With `x = rps / (n ×
//!   capacity)`: CPU % = `cpuIdlePercent + (100 − cpuIdlePercent) × x`, memory % =
//!   `memoryIdlePercent + (memoryPercentAtCapacity − memoryIdlePercent) × x`.
//! - **Utilisation given directly** (`cpuPercent`, `memoryPercent`): the average the service
//!   would have with its plan's `desiredCount` tasks; with `n` tasks it is scaled by
//!   `desiredCount / n` (the work is the same, shared by more or fewer tasks).
//! - **Queue** (SQS, the seeds' queue worker): messages arrive at `messagesPerSecond`; each task
//!   processes one message at a time, `secondsPerMessage` each. The backlog grows when arrivals
//!   exceed `n / secondsPerMessage` and drains otherwise; a task is busy the share of the second
//!   it spends processing, and CPU % = `cpuIdlePercent + (100 − cpuIdlePercent) × busy`.
//!
//! Utilisation is a percentage of the task's reservation, as ECS's service metrics are
//! (`cloudwatch-metrics`): on Fargate it stops at 100 %; on EC2 a task may use idle CPU of its
//! instance, so CPU stops at the largest instance's CPU over the task's reservation, and memory
//! at the hard limit over the soft reservation.
//!
//! A service with no entry has no metric data: target tracking and step scaling do not act on it
//! (AAS takes no action on INSUFFICIENT_DATA), scheduled actions still do.

use crate::plan::workload::ServiceLoad;

/// What one task can take, from the plan and the task's size.
#[derive(Debug, Clone, Copy)]
pub struct TaskSize {
    /// CPU units the task reserves (0 = none).
    pub cpu: u32,
    /// Highest CPU utilisation a task can show, percent of its reservation.
    pub cpu_cap: f64,
    /// Highest memory utilisation, percent of its reservation.
    pub memory_cap: f64,
}

/// Requests per second one task of `size` serves at 100 % CPU.
pub fn capacity(load: &ServiceLoad, size: TaskSize) -> f64 {
    load.requests_per_task.unwrap_or_else(|| {
        let vcpu = if size.cpu == 0 {
            1.0
        } else {
            size.cpu as f64 / 1024.0
        };
        load.requests_per_vcpu * vcpu
    })
}
