//! Capacity providers and cluster auto scaling over time.

use super::simulate::ProviderMinute;
use super::Sim;

impl Sim<'_> {
    /// The minute's CapacityProviderReservation per provider with managed scaling.
    pub(super) fn provider_minutes(&self) -> Vec<ProviderMinute> {
        Vec::new()
    }

    /// Managed scaling of the Auto Scaling group capacity providers for this minute.
    pub(super) fn capacity_minute(&mut self) {}
}
