//! Prices the planner uses to put a cost on a timeline: **prices as of 2026-11-23, us-east-1
//! (US East, N. Virginia), on-demand, Linux, USD**.
//!
//! One region only; a plan in another region is priced with these figures and the cost says
//! so. AWS changes prices rarely but does change them: the date above is when the table was
//! last checked, and [`PRICE_DATE`] carries it into every cost the engine reports.
//!
//! Where the numbers come from:
//! - **EC2**: the public on-demand rate per instance-hour for Linux, shared tenancy (AWS's
//!   "Amazon EC2 On-Demand Pricing" page and the AmazonEC2 us-east-1 Price List offer file).
//!   EC2 bills Linux instances per second with a 60-second minimum. Within a family AWS
//!   charges every size the same rate per vCPU (a `.large` is twice a `.medium`), `.metal` the
//!   same as the largest size with as many vCPUs; the older m4, c4, r4 and t2 and the GPU
//!   families are listed size by size. Every type of the built-in catalog has a price
//!   (a test checks it).
//! - **AWS Fargate** (AWS's "AWS Fargate Pricing" page): per vCPU-hour and per GB-hour of the
//!   task's size, billed per second from the start of the image pull until the task stops,
//!   with a one-minute minimum. Linux/x86: $0.04048 per vCPU-hour, $0.004445 per GB-hour;
//!   Linux/ARM: $0.03238 and $0.00356. Windows/x86: $0.09148 per vCPU-hour plus an OS licence
//!   of $0.046 per vCPU-hour, and $0.01005 per GB-hour.
//! - **Fargate Spot**: AWS publishes it as a variable price ("up to 70 % off"). The table uses
//!   the us-east-1 Linux/x86 figures $0.01334053 per vCPU-hour and $0.00146489 per GB-hour,
//!   which are the same fraction, 0.32956, of the on-demand rates for CPU and memory (a 67 %
//!   discount). \[INFER\] ARM Spot applies the same fraction to the ARM rates (AWS's regional
//!   price lists show x86 and ARM Spot at one common fraction); Windows has no Fargate Spot.

use serde::Serialize;

/// When the prices were checked, the region and the terms; shown with every cost.
pub const PRICE_DATE: &str = "2026-11-23";
pub const PRICE_REGION: &str = "us-east-1";
pub const PRICE_TERMS: &str = "on-demand, Linux, USD";

/// The fraction of the Fargate on-demand rate that Fargate Spot costs in this table.
pub const FARGATE_SPOT_FRACTION: f64 = 0.01334053 / 0.04048;

/// Fargate rates for one platform, USD.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FargateRate {
    pub per_vcpu_hour: f64,
    pub per_gb_hour: f64,
}

/// The CPU architecture and OS of a Fargate task, as far as prices go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FargatePlatform {
    LinuxX86,
    LinuxArm,
    WindowsX86,
}

impl FargatePlatform {
    /// From a task definition's `runtimePlatform` (absent: Linux on x86_64, AWS's default).
    pub fn of(cpu_architecture: Option<&str>, os_family: Option<&str>) -> FargatePlatform {
        if os_family.is_some_and(|f| f.starts_with("WINDOWS")) {
            FargatePlatform::WindowsX86
        } else if cpu_architecture == Some("ARM64") {
            FargatePlatform::LinuxArm
        } else {
            FargatePlatform::LinuxX86
        }
    }
}

/// Fargate on-demand rates.
pub fn fargate(platform: FargatePlatform) -> FargateRate {
    match platform {
        FargatePlatform::LinuxX86 => FargateRate {
            per_vcpu_hour: 0.04048,
            per_gb_hour: 0.004445,
        },
        FargatePlatform::LinuxArm => FargateRate {
            per_vcpu_hour: 0.03238,
            per_gb_hour: 0.00356,
        },
        FargatePlatform::WindowsX86 => FargateRate {
            per_vcpu_hour: 0.09148 + 0.046,
            per_gb_hour: 0.01005,
        },
    }
}

/// Fargate Spot rates; `None` for Windows, which Fargate Spot does not run.
pub fn fargate_spot(platform: FargatePlatform) -> Option<FargateRate> {
    match platform {
        FargatePlatform::LinuxX86 => Some(FargateRate {
            per_vcpu_hour: 0.01334053,
            per_gb_hour: 0.00146489,
        }),
        FargatePlatform::LinuxArm => {
            let od = fargate(platform);
            Some(FargateRate {
                per_vcpu_hour: od.per_vcpu_hour * FARGATE_SPOT_FRACTION,
                per_gb_hour: od.per_gb_hour * FARGATE_SPOT_FRACTION,
            })
        }
        FargatePlatform::WindowsX86 => None,
    }
}

/// The on-demand Linux price of an EC2 instance type, USD per hour.
pub fn ec2_hourly(instance_type: &str) -> Option<f64> {
    let (family, size) = instance_type.split_once('.')?;
    if let Some((_, rows)) = SIZED.iter().find(|(f, _)| *f == family) {
        return rows.iter().find(|(s, _)| *s == size).map(|(_, p)| *p);
    }
    let (_, per_vcpu, sizes) = PER_VCPU.iter().find(|(f, _, _)| *f == family)?;
    let vcpus = size_vcpus(size)
        .filter(|_| sizes.contains(&size))
        .or_else(|| (size == "metal").then(|| metal_vcpus(family)).flatten())?;
    // AWS lists prices to four decimals, rounding half up (c7g.medium: 0.03625 → 0.0363).
    let hundred_thousandths = *per_vcpu as u64 * vcpus as u64;
    Some(((hundred_thousandths + 5) / 10) as f64 / 10_000.0)
}

/// vCPUs of a size in the families priced per vCPU (medium 1, large 2, xlarge 4, 2xlarge 8 …).
fn size_vcpus(size: &str) -> Option<u32> {
    Some(match size {
        "medium" => 1,
        "large" => 2,
        "xlarge" => 4,
        s => match s.strip_prefix("metal-") {
            // m7i.metal-24xl: as many vCPUs as the 24xlarge.
            Some(m) => m.strip_suffix("xl")?.parse::<u32>().ok()? * 4,
            None => s.strip_suffix("xlarge")?.parse::<u32>().ok()? * 4,
        },
    })
}

/// `.metal` sizes: as many vCPUs as the family's largest virtual size.
fn metal_vcpus(family: &str) -> Option<u32> {
    Some(match family {
        "m5" | "c5" | "r5" => 96,
        "m6i" | "c6i" | "r6i" => 128,
        "m6g" | "m7g" | "c6g" | "c7g" | "r6g" | "r7g" => 64,
        _ => return None,
    })
}

/// Families with one rate per vCPU: (family, USD per vCPU-hour in units of $0.00001, sizes
/// sold).
#[rustfmt::skip]
const PER_VCPU: &[(&str, u32, &[&str])] = &[
    ("m5", 4800, &["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"]),
    ("m5a", 4300, &["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"]),
    ("m6i", 4800, &["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"]),
    ("m7i", 5040, &["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge", "metal-24xl", "metal-48xl"]),
    ("m6g", 3850, &["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"]),
    ("m7g", 4080, &["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"]),
    ("c5", 4250, &["large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge", "18xlarge", "24xlarge"]),
    ("c6i", 4250, &["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"]),
    ("c6g", 3400, &["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"]),
    ("c7g", 3625, &["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"]),
    ("r5", 6300, &["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"]),
    ("r6i", 6300, &["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"]),
    ("r6g", 5040, &["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"]),
    ("r7g", 5355, &["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"]),
];

/// Families listed size by size (the burstable families' small sizes do not follow the
/// per-vCPU rule, nor do the older and GPU families): USD per instance-hour.
#[rustfmt::skip]
const SIZED: &[(&str, &[(&str, f64)])] = &[
    ("t2", &[("nano", 0.0058), ("micro", 0.0116), ("small", 0.023), ("medium", 0.0464), ("large", 0.0928), ("xlarge", 0.1856), ("2xlarge", 0.3712)]),
    ("t3", &[("nano", 0.0052), ("micro", 0.0104), ("small", 0.0208), ("medium", 0.0416), ("large", 0.0832), ("xlarge", 0.1664), ("2xlarge", 0.3328)]),
    ("t3a", &[("nano", 0.0047), ("micro", 0.0094), ("small", 0.0188), ("medium", 0.0376), ("large", 0.0752), ("xlarge", 0.1504), ("2xlarge", 0.3008)]),
    ("t4g", &[("nano", 0.0042), ("micro", 0.0084), ("small", 0.0168), ("medium", 0.0336), ("large", 0.0672), ("xlarge", 0.1344), ("2xlarge", 0.2688)]),
    ("m4", &[("large", 0.10), ("xlarge", 0.20), ("2xlarge", 0.40), ("4xlarge", 0.80), ("10xlarge", 2.00), ("16xlarge", 3.20)]),
    ("c4", &[("large", 0.10), ("xlarge", 0.199), ("2xlarge", 0.398), ("4xlarge", 0.796), ("8xlarge", 1.591)]),
    ("r4", &[("large", 0.133), ("xlarge", 0.266), ("2xlarge", 0.532), ("4xlarge", 1.064), ("8xlarge", 2.128), ("16xlarge", 4.256)]),
    ("g4dn", &[("xlarge", 0.526), ("2xlarge", 0.752), ("4xlarge", 1.204), ("8xlarge", 2.176), ("12xlarge", 3.912), ("16xlarge", 4.352), ("metal", 7.824)]),
    ("g5", &[("xlarge", 1.006), ("2xlarge", 1.212), ("4xlarge", 1.624), ("8xlarge", 2.448), ("12xlarge", 5.672), ("16xlarge", 4.096), ("24xlarge", 8.144), ("48xlarge", 16.288)]),
    ("p3", &[("2xlarge", 3.06), ("8xlarge", 12.24), ("16xlarge", 24.48)]),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn every_catalog_type_has_a_price() {
        let missing: Vec<String> = Catalog::builtin()
            .iter()
            .filter(|t| ec2_hourly(&t.name).is_none())
            .map(|t| t.name.to_string())
            .collect();
        assert!(missing.is_empty(), "no price for {missing:?}");
    }

    #[test]
    fn known_rates() {
        // AWS's on-demand page, us-east-1, Linux.
        for (t, p) in [
            ("m5.large", 0.096),
            ("m5.24xlarge", 4.608),
            ("m5.metal", 4.608),
            ("m6i.32xlarge", 6.144),
            ("m6i.metal", 6.144),
            ("m7i.large", 0.1008),
            ("m7i.48xlarge", 9.6768),
            ("m7i.metal-24xl", 4.8384),
            ("m6g.medium", 0.0385),
            ("m7g.large", 0.0816),
            ("c5.large", 0.085),
            ("c5.9xlarge", 1.53),
            ("c6g.metal", 2.176),
            ("c7g.medium", 0.0363),
            ("r5.large", 0.126),
            ("r7g.large", 0.1071),
            ("r7g.medium", 0.0536),
            ("r6i.metal", 8.064),
            ("t3.micro", 0.0104),
            ("t2.small", 0.023),
            ("m4.10xlarge", 2.0),
            ("g4dn.xlarge", 0.526),
        ] {
            assert_eq!(ec2_hourly(t), Some(p), "{t}");
        }
        assert_eq!(ec2_hourly("m5.9xlarge"), None);
        assert_eq!(ec2_hourly("x9.large"), None);
        assert_eq!(ec2_hourly("m5"), None);
    }

    #[test]
    fn spot_is_one_fraction_of_on_demand() {
        let od = fargate(FargatePlatform::LinuxX86);
        let spot = fargate_spot(FargatePlatform::LinuxX86).unwrap();
        let cpu = spot.per_vcpu_hour / od.per_vcpu_hour;
        let mem = spot.per_gb_hour / od.per_gb_hour;
        assert!((cpu - FARGATE_SPOT_FRACTION).abs() < 1e-9);
        assert!((mem - FARGATE_SPOT_FRACTION).abs() < 1e-5, "{mem}");
        assert!((FARGATE_SPOT_FRACTION - 0.32956).abs() < 1e-5);
        let arm = fargate_spot(FargatePlatform::LinuxArm).unwrap();
        assert!((arm.per_vcpu_hour / 0.03238 - FARGATE_SPOT_FRACTION).abs() < 1e-12);
        assert!(fargate_spot(FargatePlatform::WindowsX86).is_none());
    }

    #[test]
    fn platforms() {
        assert_eq!(FargatePlatform::of(None, None), FargatePlatform::LinuxX86);
        assert_eq!(
            FargatePlatform::of(Some("ARM64"), Some("LINUX")),
            FargatePlatform::LinuxArm
        );
        assert_eq!(
            FargatePlatform::of(Some("X86_64"), Some("WINDOWS_SERVER_2022_CORE")),
            FargatePlatform::WindowsX86
        );
    }
}
