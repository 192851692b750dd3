//! Deterministic draws from the plan's seed: one 64-bit mix for every choice AWS leaves to
//! chance (placement's `random` rule and tie-breaks, Fargate Spot interruptions, the noise of
//! a load series), so the same plan and seed always give the same result on every platform.

/// Adds to a key before mixing, to spread consecutive keys (SplitMix64's increment).
pub const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// A 64-bit mix (SplitMix64: the increment, then its finaliser): fast, good spread, the same
/// on every platform.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(GOLDEN);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A mixed value as a number in [0, 1) (its top 53 bits).
pub fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_fixed_and_spread() {
        // SplitMix64's published first output for seed 0.
        assert_eq!(mix(0), 0xE220_A839_7B1D_CDAF);
        let xs: Vec<f64> = (0..1000).map(|i| unit(mix(i))).collect();
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!((mean - 0.5).abs() < 0.05, "{mean}");
    }
}
