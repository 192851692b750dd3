//! The built-in instance types: ECS Planner's own table of EC2 facts.
//!
//! Columns of each row: name, vCPUs, nominal memory (MiB, as EC2 advertises it), the maximum
//! number of network interfaces (EC2's `MaximumNetworkInterfaces`), the `awsvpc` task limit with
//! ENI trunking (0 = the type does not support trunking), and the number of GPUs.
//!
//! Where the numbers come from (see also `docs/catalog.md`):
//! - vCPUs, memory, ENIs and GPUs are EC2's published specifications for each type.
//! - The trunking column is the ECS Developer Guide's table of supported types
//!   (`container-instance-eni.md`, "Supported Amazon EC2 instance types"). Types that page does
//!   not list are 0: the whole `t`, `g4dn`, `m4`, `c4` and `r4` families, the `m5`, `c5` and
//!   `r5` `.metal` sizes and `r5.8xlarge` (named there as unsupported), and `m7i`, which is
//!   newer than the archived copy of that page.
//!
//! Keep rows in display order (family by family, sizes ascending): the UI lists them this way.

use super::{Architecture, Architecture::*, Category, Category::*};

pub(super) struct Family {
    pub category: Category,
    pub architecture: Architecture,
    pub types: &'static [Row],
}

pub(super) struct Row {
    pub name: &'static str,
    pub vcpus: u32,
    pub memory_mib: u32,
    pub max_enis: u32,
    /// 0 when ENI trunking is not supported.
    pub trunk_task_limit: u32,
    pub gpus: u32,
}

const fn fam(category: Category, architecture: Architecture, types: &'static [Row]) -> Family {
    Family {
        category,
        architecture,
        types,
    }
}

const fn r(
    name: &'static str,
    vcpus: u32,
    memory_mib: u32,
    max_enis: u32,
    trunk_task_limit: u32,
    gpus: u32,
) -> Row {
    Row {
        name,
        vcpus,
        memory_mib,
        max_enis,
        trunk_task_limit,
        gpus,
    }
}

/// Memory the OS reports (`MemTotal`, MiB) for types where a published measurement exists.
/// It wins over the estimate in [`super::estimate_memtotal_mib`].
pub(super) const KNOWN_MEMTOTAL_MIB: &[(&str, u32)] = &[
    // memory-management.md: `free -b` on an m4.large running the ECS-optimized Amazon Linux AMI
    // shows 8373026816 bytes, "which translates to 7985 MiB available for tasks".
    ("m4.large", 7985),
];

#[rustfmt::skip]
pub(super) const FAMILIES: &[Family] = &[
    //   name               vCPU  MiB     ENIs trunk GPUs
    fam(Burstable, X86_64, &[
        r("t2.nano",          1,     512,  2,   0, 0),
        r("t2.micro",         1,    1024,  2,   0, 0),
        r("t2.small",         1,    2048,  3,   0, 0),
        r("t2.medium",        2,    4096,  3,   0, 0),
        r("t2.large",         2,    8192,  3,   0, 0),
        r("t2.xlarge",        4,   16384,  3,   0, 0),
        r("t2.2xlarge",       8,   32768,  3,   0, 0),
    ]),
    fam(Burstable, X86_64, &[
        r("t3.nano",          2,     512,  2,   0, 0),
        r("t3.micro",         2,    1024,  2,   0, 0),
        r("t3.small",         2,    2048,  3,   0, 0),
        r("t3.medium",        2,    4096,  3,   0, 0),
        r("t3.large",         2,    8192,  3,   0, 0),
        r("t3.xlarge",        4,   16384,  4,   0, 0),
        r("t3.2xlarge",       8,   32768,  4,   0, 0),
    ]),
    fam(Burstable, X86_64, &[
        r("t3a.nano",         2,     512,  2,   0, 0),
        r("t3a.micro",        2,    1024,  2,   0, 0),
        r("t3a.small",        2,    2048,  3,   0, 0),
        r("t3a.medium",       2,    4096,  3,   0, 0),
        r("t3a.large",        2,    8192,  3,   0, 0),
        r("t3a.xlarge",       4,   16384,  4,   0, 0),
        r("t3a.2xlarge",      8,   32768,  4,   0, 0),
    ]),
    fam(Burstable, Arm64, &[
        r("t4g.nano",         2,     512,  2,   0, 0),
        r("t4g.micro",        2,    1024,  2,   0, 0),
        r("t4g.small",        2,    2048,  3,   0, 0),
        r("t4g.medium",       2,    4096,  3,   0, 0),
        r("t4g.large",        2,    8192,  3,   0, 0),
        r("t4g.xlarge",       4,   16384,  4,   0, 0),
        r("t4g.2xlarge",      8,   32768,  4,   0, 0),
    ]),
    fam(GeneralPurpose, X86_64, &[
        r("m4.large",         2,    8192,  2,   0, 0),
        r("m4.xlarge",        4,   16384,  4,   0, 0),
        r("m4.2xlarge",       8,   32768,  4,   0, 0),
        r("m4.4xlarge",      16,   65536,  8,   0, 0),
        r("m4.10xlarge",     40,  163840,  8,   0, 0),
        r("m4.16xlarge",     64,  262144,  8,   0, 0),
    ]),
    fam(GeneralPurpose, X86_64, &[
        r("m5.large",         2,    8192,  3,  10, 0),
        r("m5.xlarge",        4,   16384,  4,  20, 0),
        r("m5.2xlarge",       8,   32768,  4,  40, 0),
        r("m5.4xlarge",      16,   65536,  8,  60, 0),
        r("m5.8xlarge",      32,  131072,  8,  60, 0),
        r("m5.12xlarge",     48,  196608,  8,  60, 0),
        r("m5.16xlarge",     64,  262144, 15, 120, 0),
        r("m5.24xlarge",     96,  393216, 15, 120, 0),
        r("m5.metal",        96,  393216, 15,   0, 0),
    ]),
    fam(GeneralPurpose, X86_64, &[
        r("m5a.large",        2,    8192,  3,  10, 0),
        r("m5a.xlarge",       4,   16384,  4,  20, 0),
        r("m5a.2xlarge",      8,   32768,  4,  40, 0),
        r("m5a.4xlarge",     16,   65536,  8,  60, 0),
        r("m5a.8xlarge",     32,  131072,  8,  60, 0),
        r("m5a.12xlarge",    48,  196608,  8,  60, 0),
        r("m5a.16xlarge",    64,  262144, 15, 120, 0),
        r("m5a.24xlarge",    96,  393216, 15, 120, 0),
    ]),
    fam(GeneralPurpose, X86_64, &[
        r("m6i.large",        2,    8192,  3,  10, 0),
        r("m6i.xlarge",       4,   16384,  4,  20, 0),
        r("m6i.2xlarge",      8,   32768,  4,  40, 0),
        r("m6i.4xlarge",     16,   65536,  8,  60, 0),
        r("m6i.8xlarge",     32,  131072,  8,  90, 0),
        r("m6i.12xlarge",    48,  196608,  8, 120, 0),
        r("m6i.16xlarge",    64,  262144, 15, 120, 0),
        r("m6i.24xlarge",    96,  393216, 15, 120, 0),
        r("m6i.32xlarge",   128,  524288, 15, 120, 0),
        r("m6i.metal",      128,  524288, 15, 120, 0),
    ]),
    fam(GeneralPurpose, X86_64, &[
        r("m7i.large",        2,    8192,  3,   0, 0),
        r("m7i.xlarge",       4,   16384,  4,   0, 0),
        r("m7i.2xlarge",      8,   32768,  4,   0, 0),
        r("m7i.4xlarge",     16,   65536,  8,   0, 0),
        r("m7i.8xlarge",     32,  131072,  8,   0, 0),
        r("m7i.12xlarge",    48,  196608,  8,   0, 0),
        r("m7i.16xlarge",    64,  262144, 15,   0, 0),
        r("m7i.24xlarge",    96,  393216, 15,   0, 0),
        r("m7i.48xlarge",   192,  786432, 15,   0, 0),
        r("m7i.metal-24xl",  96,  393216, 15,   0, 0),
        r("m7i.metal-48xl", 192,  786432, 15,   0, 0),
    ]),
    fam(GeneralPurpose, Arm64, &[
        r("m6g.medium",       1,    4096,  2,   4, 0),
        r("m6g.large",        2,    8192,  3,  10, 0),
        r("m6g.xlarge",       4,   16384,  4,  20, 0),
        r("m6g.2xlarge",      8,   32768,  4,  40, 0),
        r("m6g.4xlarge",     16,   65536,  8,  60, 0),
        r("m6g.8xlarge",     32,  131072,  8,  60, 0),
        r("m6g.12xlarge",    48,  196608,  8,  60, 0),
        r("m6g.16xlarge",    64,  262144, 15, 120, 0),
        r("m6g.metal",       64,  262144, 15, 120, 0),
    ]),
    fam(GeneralPurpose, Arm64, &[
        r("m7g.medium",       1,    4096,  2,   4, 0),
        r("m7g.large",        2,    8192,  3,  10, 0),
        r("m7g.xlarge",       4,   16384,  4,  20, 0),
        r("m7g.2xlarge",      8,   32768,  4,  40, 0),
        r("m7g.4xlarge",     16,   65536,  8,  60, 0),
        r("m7g.8xlarge",     32,  131072,  8,  60, 0),
        r("m7g.12xlarge",    48,  196608,  8,  60, 0),
        r("m7g.16xlarge",    64,  262144, 15, 120, 0),
        r("m7g.metal",       64,  262144, 15, 120, 0),
    ]),
    fam(ComputeOptimized, X86_64, &[
        r("c4.large",         2,    3840,  3,   0, 0),
        r("c4.xlarge",        4,    7680,  4,   0, 0),
        r("c4.2xlarge",       8,   15360,  4,   0, 0),
        r("c4.4xlarge",      16,   30720,  8,   0, 0),
        r("c4.8xlarge",      36,   61440,  8,   0, 0),
    ]),
    fam(ComputeOptimized, X86_64, &[
        r("c5.large",         2,    4096,  3,  10, 0),
        r("c5.xlarge",        4,    8192,  4,  20, 0),
        r("c5.2xlarge",       8,   16384,  4,  40, 0),
        r("c5.4xlarge",      16,   32768,  8,  60, 0),
        r("c5.9xlarge",      36,   73728,  8,  60, 0),
        r("c5.12xlarge",     48,   98304,  8,  60, 0),
        r("c5.18xlarge",     72,  147456, 15, 120, 0),
        r("c5.24xlarge",     96,  196608, 15, 120, 0),
        r("c5.metal",        96,  196608, 15,   0, 0),
    ]),
    fam(ComputeOptimized, X86_64, &[
        r("c6i.large",        2,    4096,  3,  10, 0),
        r("c6i.xlarge",       4,    8192,  4,  20, 0),
        r("c6i.2xlarge",      8,   16384,  4,  40, 0),
        r("c6i.4xlarge",     16,   32768,  8,  60, 0),
        r("c6i.8xlarge",     32,   65536,  8,  90, 0),
        r("c6i.12xlarge",    48,   98304,  8, 120, 0),
        r("c6i.16xlarge",    64,  131072, 15, 120, 0),
        r("c6i.24xlarge",    96,  196608, 15, 120, 0),
        r("c6i.32xlarge",   128,  262144, 15, 120, 0),
        r("c6i.metal",      128,  262144, 15, 120, 0),
    ]),
    fam(ComputeOptimized, Arm64, &[
        r("c6g.medium",       1,    2048,  2,   4, 0),
        r("c6g.large",        2,    4096,  3,  10, 0),
        r("c6g.xlarge",       4,    8192,  4,  20, 0),
        r("c6g.2xlarge",      8,   16384,  4,  40, 0),
        r("c6g.4xlarge",     16,   32768,  8,  60, 0),
        r("c6g.8xlarge",     32,   65536,  8,  60, 0),
        r("c6g.12xlarge",    48,   98304,  8,  60, 0),
        r("c6g.16xlarge",    64,  131072, 15, 120, 0),
        r("c6g.metal",       64,  131072, 15, 120, 0),
    ]),
    fam(ComputeOptimized, Arm64, &[
        r("c7g.medium",       1,    2048,  2,   4, 0),
        r("c7g.large",        2,    4096,  3,  10, 0),
        r("c7g.xlarge",       4,    8192,  4,  20, 0),
        r("c7g.2xlarge",      8,   16384,  4,  40, 0),
        r("c7g.4xlarge",     16,   32768,  8,  60, 0),
        r("c7g.8xlarge",     32,   65536,  8,  60, 0),
        r("c7g.12xlarge",    48,   98304,  8,  60, 0),
        r("c7g.16xlarge",    64,  131072, 15, 120, 0),
        r("c7g.metal",       64,  131072, 15, 120, 0),
    ]),
    fam(MemoryOptimized, X86_64, &[
        r("r4.large",         2,   15616,  3,   0, 0),
        r("r4.xlarge",        4,   31232,  4,   0, 0),
        r("r4.2xlarge",       8,   62464,  4,   0, 0),
        r("r4.4xlarge",      16,  124928,  8,   0, 0),
        r("r4.8xlarge",      32,  249856,  8,   0, 0),
        r("r4.16xlarge",     64,  499712, 15,   0, 0),
    ]),
    fam(MemoryOptimized, X86_64, &[
        r("r5.large",         2,   16384,  3,  10, 0),
        r("r5.xlarge",        4,   32768,  4,  20, 0),
        r("r5.2xlarge",       8,   65536,  4,  40, 0),
        r("r5.4xlarge",      16,  131072,  8,  60, 0),
        r("r5.8xlarge",      32,  262144,  8,   0, 0),
        r("r5.12xlarge",     48,  393216,  8,  60, 0),
        r("r5.16xlarge",     64,  524288, 15, 120, 0),
        r("r5.24xlarge",     96,  786432, 15, 120, 0),
        r("r5.metal",        96,  786432, 15,   0, 0),
    ]),
    fam(MemoryOptimized, X86_64, &[
        r("r6i.large",        2,   16384,  3,  10, 0),
        r("r6i.xlarge",       4,   32768,  4,  20, 0),
        r("r6i.2xlarge",      8,   65536,  4,  40, 0),
        r("r6i.4xlarge",     16,  131072,  8,  60, 0),
        r("r6i.8xlarge",     32,  262144,  8,  90, 0),
        r("r6i.12xlarge",    48,  393216,  8, 120, 0),
        r("r6i.16xlarge",    64,  524288, 15, 120, 0),
        r("r6i.24xlarge",    96,  786432, 15, 120, 0),
        r("r6i.32xlarge",   128, 1048576, 15, 120, 0),
        r("r6i.metal",      128, 1048576, 15, 120, 0),
    ]),
    fam(MemoryOptimized, Arm64, &[
        r("r6g.medium",       1,    8192,  2,   4, 0),
        r("r6g.large",        2,   16384,  3,  10, 0),
        r("r6g.xlarge",       4,   32768,  4,  20, 0),
        r("r6g.2xlarge",      8,   65536,  4,  40, 0),
        r("r6g.4xlarge",     16,  131072,  8,  60, 0),
        r("r6g.8xlarge",     32,  262144,  8,  60, 0),
        r("r6g.12xlarge",    48,  393216,  8,  60, 0),
        r("r6g.16xlarge",    64,  524288, 15, 120, 0),
        r("r6g.metal",       64,  524288, 15, 120, 0),
    ]),
    fam(MemoryOptimized, Arm64, &[
        r("r7g.medium",       1,    8192,  2,   4, 0),
        r("r7g.large",        2,   16384,  3,  10, 0),
        r("r7g.xlarge",       4,   32768,  4,  20, 0),
        r("r7g.2xlarge",      8,   65536,  4,  40, 0),
        r("r7g.4xlarge",     16,  131072,  8,  60, 0),
        r("r7g.8xlarge",     32,  262144,  8,  60, 0),
        r("r7g.12xlarge",    48,  393216,  8,  60, 0),
        r("r7g.16xlarge",    64,  524288, 15, 120, 0),
        r("r7g.metal",       64,  524288, 15, 120, 0),
    ]),
    fam(AcceleratedComputing, X86_64, &[
        r("g4dn.xlarge",      4,   16384,  3,   0, 1),
        r("g4dn.2xlarge",     8,   32768,  3,   0, 1),
        r("g4dn.4xlarge",    16,   65536,  3,   0, 1),
        r("g4dn.8xlarge",    32,  131072,  4,   0, 1),
        r("g4dn.12xlarge",   48,  196608,  8,   0, 4),
        r("g4dn.16xlarge",   64,  262144,  4,   0, 1),
        r("g4dn.metal",      96,  393216, 15,   0, 8),
    ]),
    fam(AcceleratedComputing, X86_64, &[
        r("g5.xlarge",        4,   16384,  4,   6, 1),
        r("g5.2xlarge",       8,   32768,  4,  19, 1),
        r("g5.4xlarge",      16,   65536,  8,  40, 1),
        r("g5.8xlarge",      32,  131072,  8,  90, 1),
        r("g5.12xlarge",     48,  196608, 15, 120, 4),
        r("g5.16xlarge",     64,  262144,  8, 120, 1),
        r("g5.24xlarge",     96,  393216, 15, 120, 4),
        r("g5.48xlarge",    192,  786432,  7, 120, 8),
    ]),
    fam(AcceleratedComputing, X86_64, &[
        r("p3.2xlarge",       8,   62464,  4,  40, 1),
        r("p3.8xlarge",      32,  249856,  8,  60, 4),
        r("p3.16xlarge",     64,  499712,  8, 120, 8),
    ]),
];
