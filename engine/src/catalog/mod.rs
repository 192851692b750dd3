//! The EC2 instance catalog: the instance types people run ECS container instances on, and what
//! the ECS container agent registers for each of them.
//!
//! - [`Catalog::builtin`] is the product's own table (see `table.rs` and `docs/catalog.md`):
//!   general purpose, compute, memory, burstable and GPU families on x86_64 and Graviton.
//! - [`import_describe_instance_types`] reads a user's `aws ec2 describe-instance-types` output;
//!   [`Catalog::with_imported`] adds those types to (or replaces them in) a catalog.
//! - [`InstanceType::registered`] gives the CPU units and memory a container instance registers
//!   with ECS, which is what placement reserves task CPU and memory against.
//!
//! Registered resources, as the ECS container agent computes them:
//! - CPU: `vCPUs × 1024` CPU units (the agent counts the CPUs the OS reports and multiplies by
//!   1024).
//! - Memory: the total memory the OS reports (`MemTotal`, read by the agent through Docker's
//!   `ReadMemInfo()`), in MiB, minus `ECS_RESERVED_MEMORY` (default 0). `MemTotal` is less than
//!   the advertised size because the kernel and firmware keep part of it
//!   (`memory-management.md`). The catalog uses, in order: a per-instance override from the plan,
//!   a published measurement for the type, or [`estimate_memtotal_mib`].

mod import;
mod table;

pub use import::{import_describe_instance_types, ImportError};

use crate::sort::sort_by_key;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

/// CPU units the ECS agent registers per vCPU.
pub const CPU_UNITS_PER_VCPU: u32 = 1024;

/// The proportional part of the memory estimate: `nominal / MEMTOTAL_LOSS_DIVISOR` (3.125 %).
pub const MEMTOTAL_LOSS_DIVISOR: u32 = 32;

/// The fixed part of the memory estimate, in MiB.
pub const MEMTOTAL_FIXED_LOSS_MIB: u32 = 70;

/// Estimated memory the OS reports (`MemTotal`, MiB) for an instance with `nominal_mib` of
/// advertised memory: `nominal − nominal/32 − 70`, never below 0 (integer arithmetic, so native
/// and wasm builds agree).
///
/// The kernel keeps a fixed amount (firmware tables, the kernel image, the crash kernel) plus a
/// share of memory that grows with its size (page metadata, about 1.6 % for 4 KiB pages, plus
/// hypervisor and firmware regions). The two constants are a minimax fit of
/// `nominal − (nominal/d + b)` against the `memory.total_mb` that vantage-sh/ec2instances.info
/// measured on Amazon Linux for the 190 built-in types it covers
/// (`tests/catalog_fixtures.rs` re-measures this on every run):
///
/// | nominal memory | worst error | where |
/// |---|---|---|
/// | all sizes | +4.7 % (+19 MiB) | t3.nano (512 MiB) |
/// | ≥ 4 GiB | +3.0 % (+113 MiB) | c5.large |
/// | ≥ 16 GiB | −1.6 % | r4.16xlarge, `.metal` sizes |
///
/// The mean absolute error is 0.9 %; 176 of the 190 types are within 2 %. What the fit cannot
/// capture is a per-platform offset: Xen types (t2, m4, c4, r4) and bare metal lose less than
/// Nitro virtual machines, so the estimate is about 1–1.6 % low (on the safe side) for them.
/// Where the exact figure matters, measure `free -m` on the instance and override it per
/// instance in the plan.
pub const fn estimate_memtotal_mib(nominal_mib: u32) -> u32 {
    nominal_mib
        .saturating_sub(nominal_mib / MEMTOTAL_LOSS_DIVISOR)
        .saturating_sub(MEMTOTAL_FIXED_LOSS_MIB)
}

/// CPU architecture, spelled as EC2 and the `ecs.cpu-architecture` attribute spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Architecture {
    #[serde(rename = "x86_64")]
    /// Intel and AMD processors.
    X86_64,
    #[serde(rename = "arm64")]
    /// AWS Graviton processors: an `arm64` image is needed.
    Arm64,
}

impl Architecture {
    /// `x86_64` or `arm64`: the value of the `ecs.cpu-architecture` container instance attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Architecture::X86_64 => "x86_64",
            Architecture::Arm64 => "arm64",
        }
    }

    /// `X86_64` or `ARM64`: the task definition's `runtimePlatform.cpuArchitecture`.
    pub fn runtime_platform(self) -> &'static str {
        match self {
            Architecture::X86_64 => "X86_64",
            Architecture::Arm64 => "ARM64",
        }
    }
}

impl fmt::Display for Architecture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// EC2's grouping of instance families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Category {
    GeneralPurpose,
    ComputeOptimized,
    MemoryOptimized,
    StorageOptimized,
    AcceleratedComputing,
    /// T families: a CPU baseline with credits to burst above it.
    Burstable,
}

impl Category {
    /// A short label for the UI.
    pub fn label(self) -> &'static str {
        match self {
            Category::GeneralPurpose => "General purpose",
            Category::ComputeOptimized => "Compute optimized",
            Category::MemoryOptimized => "Memory optimized",
            Category::StorageOptimized => "Storage optimized",
            Category::AcceleratedComputing => "Accelerated computing",
            Category::Burstable => "Burstable",
        }
    }

    /// The category of an instance family from EC2's naming (`m` general purpose, `c` compute,
    /// `r`/`x`/`z`/`u-` memory, `i`/`d`/`h` storage, `g`/`p`/`inf`/`trn`/... accelerated,
    /// `t` burstable). Unknown prefixes count as general purpose.
    pub fn for_family(family: &str, burstable: bool, gpus: u32) -> Category {
        let letters = &family[..family
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(family.len())];
        match letters {
            _ if burstable => Category::Burstable,
            "t" => Category::Burstable,
            _ if gpus > 0 => Category::AcceleratedComputing,
            "c" | "cc" | "hpc" => Category::ComputeOptimized,
            "r" | "x" | "z" | "u-" | "cr" => Category::MemoryOptimized,
            "i" | "im" | "is" | "d" | "h" | "hs" => Category::StorageOptimized,
            "g" | "p" | "f" | "inf" | "trn" | "dl" | "vt" => Category::AcceleratedComputing,
            _ => Category::GeneralPurpose,
        }
    }
}

/// One EC2 instance type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstanceType {
    /// `family.size`, e.g. `m5.large`.
    pub name: Cow<'static, str>,
    /// Default vCPUs (EC2's `VCpuInfo.DefaultVCpus`).
    pub vcpus: u32,
    /// Advertised memory in MiB (EC2's `MemoryInfo.SizeInMiB`), not what ECS registers.
    pub memory_mib: u32,
    /// The CPU architecture, which the task's `runtimePlatform` must match.
    pub architecture: Architecture,
    /// Maximum network interfaces (EC2's `NetworkInfo.MaximumNetworkInterfaces`), the primary
    /// one included.
    pub max_enis: u32,
    /// `awsvpc` tasks per instance with ENI trunking, from the ECS Developer Guide's table
    /// (`container-instance-eni.md`); `None` when the type does not support trunking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trunk_task_limit: Option<u32>,
    /// Number of GPUs (what the agent registers as `GPU` resources on GPU-enabled AMIs).
    #[serde(default)]
    pub gpus: u32,
    /// EC2's family category (general purpose, compute optimized, burstable, ...).
    pub category: Category,
    /// CPU credits: a baseline below the vCPU count, bursting above it.
    #[serde(default)]
    pub burstable: bool,
    /// The exact memory (MiB) the agent registers with `ECS_RESERVED_MEMORY=0` (the OS's
    /// `MemTotal`), when a published measurement exists; otherwise
    /// [`estimate_memtotal_mib`] is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_registered_memory_mib: Option<u32>,
}

/// Where a registered memory figure comes from, so the UI can say "estimated".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MemoryBasis {
    /// The plan gave this instance's `MemTotal`.
    Override,
    /// A published measurement for the instance type.
    Known,
    /// [`estimate_memtotal_mib`] of the advertised memory.
    Estimated,
}

/// What a container instance registers with ECS: the capacity placement reserves against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegisteredResources {
    /// CPU units (`vCPUs × 1024`).
    pub cpu: u32,
    /// MiB: `MemTotal − ECS_RESERVED_MEMORY`.
    pub memory_mib: u32,
    pub memory_basis: MemoryBasis,
    pub gpus: u32,
}

impl InstanceType {
    /// The family, the part of the name before the first `.` (`m5` for `m5.large`).
    pub fn family(&self) -> &str {
        self.name.split_once('.').map_or(&self.name, |(f, _)| f)
    }

    /// The size, the part of the name after the first `.` (`large` for `m5.large`).
    pub fn size(&self) -> &str {
        self.name.split_once('.').map_or("", |(_, s)| s)
    }

    /// CPU units the ECS agent registers: `vCPUs × 1024`.
    pub fn registered_cpu(&self) -> u32 {
        self.vcpus.saturating_mul(CPU_UNITS_PER_VCPU)
    }

    /// The OS-visible memory (`MemTotal`, MiB): the published figure when known, else the
    /// estimate.
    pub fn memtotal_mib(&self) -> u32 {
        self.known_registered_memory_mib
            .unwrap_or_else(|| estimate_memtotal_mib(self.memory_mib))
    }

    /// Memory the ECS agent registers, in MiB, with `ECS_RESERVED_MEMORY = reserved_mib`.
    pub fn registered_memory_mib(&self, reserved_mib: u32) -> u32 {
        self.memtotal_mib().saturating_sub(reserved_mib)
    }

    /// Everything a container instance of this type registers. `memtotal_override_mib` is the
    /// plan's per-instance `MemTotal` (e.g. measured with `free -m`), which wins over the
    /// catalog.
    pub fn registered(
        &self,
        reserved_mib: u32,
        memtotal_override_mib: Option<u32>,
    ) -> RegisteredResources {
        let (memtotal, memory_basis) =
            match (memtotal_override_mib, self.known_registered_memory_mib) {
                (Some(m), _) => (m, MemoryBasis::Override),
                (None, Some(m)) => (m, MemoryBasis::Known),
                (None, None) => (
                    estimate_memtotal_mib(self.memory_mib),
                    MemoryBasis::Estimated,
                ),
            };
        RegisteredResources {
            cpu: self.registered_cpu(),
            memory_mib: memtotal.saturating_sub(reserved_mib),
            memory_basis,
            gpus: self.gpus,
        }
    }

    /// How many `awsvpc` tasks fit on one instance: each needs its own ENI and the primary ENI is
    /// taken, so `max_enis − 1` without trunking; with trunking (the `awsvpcTrunking` account
    /// setting) the documented limit where the type supports it, else the same as without
    /// (`container-instance-eni.md`).
    pub fn awsvpc_task_limit(&self, trunking: bool) -> u32 {
        match self.trunk_task_limit {
            Some(limit) if trunking => limit,
            _ => self.max_enis.saturating_sub(1),
        }
    }

    fn from_row(row: &table::Row, family: &table::Family) -> InstanceType {
        InstanceType {
            name: Cow::Borrowed(row.name),
            vcpus: row.vcpus,
            memory_mib: row.memory_mib,
            architecture: family.architecture,
            max_enis: row.max_enis,
            trunk_task_limit: (row.trunk_task_limit > 0).then_some(row.trunk_task_limit),
            gpus: row.gpus,
            category: family.category,
            burstable: family.category == Category::Burstable,
            known_registered_memory_mib: table::KNOWN_MEMTOTAL_MIB
                .iter()
                .find(|(n, _)| *n == row.name)
                .map(|&(_, m)| m),
        }
    }
}

/// A set of instance types with lookup by name (binary search over a sorted index).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    /// In display order: the built-in table's order, then imported types in input order.
    types: Vec<InstanceType>,
    /// Indices into `types`, sorted by name.
    by_name: Vec<u32>,
}

impl Catalog {
    /// The built-in catalog (built once).
    pub fn builtin() -> &'static Catalog {
        static BUILTIN: OnceLock<Catalog> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Catalog::new(
                table::FAMILIES
                    .iter()
                    .flat_map(|f| f.types.iter().map(move |r| InstanceType::from_row(r, f)))
                    .collect(),
            )
        })
    }

    /// A catalog of exactly these types, in this order; a later type replaces an earlier one of
    /// the same name.
    pub fn new(types: Vec<InstanceType>) -> Catalog {
        let mut catalog = Catalog::default();
        for t in types {
            catalog.insert(t);
        }
        catalog
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.by_name
            .binary_search_by(|&i| self.types[i as usize].name.as_ref().cmp(name))
    }

    fn insert(&mut self, t: InstanceType) {
        match self.position(&t.name) {
            Ok(p) => self.types[self.by_name[p] as usize] = t,
            Err(p) => {
                self.by_name.insert(p, self.types.len() as u32);
                self.types.push(t);
            }
        }
    }

    /// The type with exactly this name (names are lowercase, e.g. `m5.large`).
    pub fn get(&self, name: &str) -> Option<&InstanceType> {
        self.position(name)
            .ok()
            .map(|p| &self.types[self.by_name[p] as usize])
    }

    /// Whether the catalog has a type of this name (`m5.large`).
    pub fn contains(&self, name: &str) -> bool {
        self.position(name).is_ok()
    }

    /// How many instance types the catalog has.
    pub fn len(&self) -> usize {
        self.types.len()
    }

    /// Whether the catalog has no instance type at all.
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    /// All types in display order.
    pub fn iter(&self) -> std::slice::Iter<'_, InstanceType> {
        self.types.iter()
    }

    /// This catalog plus `types` (e.g. from [`import_describe_instance_types`]). An imported
    /// type replaces a catalog type of the same name, keeping in place what
    /// `describe-instance-types` does not say: the trunking limit, and the known registered
    /// memory when the advertised memory is unchanged.
    pub fn with_imported(&self, types: Vec<InstanceType>) -> Catalog {
        let mut catalog = self.clone();
        for mut t in types {
            if let Some(old) = self.get(&t.name) {
                t.trunk_task_limit = t.trunk_task_limit.or(old.trunk_task_limit);
                if t.known_registered_memory_mib.is_none() && t.memory_mib == old.memory_mib {
                    t.known_registered_memory_mib = old.known_registered_memory_mib;
                }
            }
            catalog.insert(t);
        }
        catalog
    }

    /// Types matching every word of `query` (case-insensitive), for the UI's palette. A word
    /// matches a name prefix (`m5.`, `c6`), a family (`m5`), a size (`2xlarge`), an
    /// architecture (`arm64`/`arm`/`graviton`, `x86_64`/`x86`), `gpu`, `burstable`, `trunking`,
    /// or a category (`general`, `compute`, `memory`, `storage`, `accelerated`). Types whose
    /// family is one of the words come first (`m5` lists m5 before m5a); otherwise display
    /// order. An empty query matches everything.
    pub fn search<'a>(&'a self, query: &str) -> impl Iterator<Item = &'a InstanceType> + 'a {
        let words: Vec<String> = query
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        let mut hits: Vec<(bool, &InstanceType)> = self
            .types
            .iter()
            .filter(|t| words.iter().all(|w| matches_word(t, w)))
            .map(|t| (!words.iter().any(|w| w == t.family()), t))
            .collect();
        sort_by_key(&mut hits, |&(family_miss, _)| family_miss); // stable: keeps display order
        hits.into_iter().map(|(_, t)| t)
    }

    /// "Did you mean ...?" for a name that is not in the catalog: the closest name by edit
    /// distance (typos such as `m5.larg`, `m5large`, `M5.Large`, `m5.2xl`), or `None` if
    /// `unknown` is in the catalog or nothing is close.
    pub fn suggest(&self, unknown: &str) -> Option<&str> {
        if self.contains(unknown) {
            return None;
        }
        let mut q = unknown.trim().to_ascii_lowercase();
        if q.ends_with("xl") {
            q.push_str("arge"); // m5.2xl -> m5.2xlarge
        }
        if q.is_empty() {
            return None;
        }
        if let Some(t) = self.get(&q) {
            return Some(&t.name);
        }
        let limit = match q.chars().count() {
            0..=4 => 1,
            5..=9 => 2,
            _ => 3,
        };
        self.types
            .iter()
            .map(|t| {
                let d = strsim::osa_distance(&q, &t.name);
                // Ties: the name most alike from the start (jaro-winkler), then display order.
                let jw = (strsim::jaro_winkler(&q, &t.name) * 1e6) as u32;
                (d, u32::MAX - jw, t)
            })
            .filter(|&(d, _, _)| d <= limit)
            .min_by_key(|&(d, jw, _)| (d, jw))
            .map(|(_, _, t)| t.name.as_ref())
    }
}

impl<'a> IntoIterator for &'a Catalog {
    type Item = &'a InstanceType;
    type IntoIter = std::slice::Iter<'a, InstanceType>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

fn matches_word(t: &InstanceType, w: &str) -> bool {
    match w {
        "arm64" | "arm" | "graviton" | "aarch64" => t.architecture == Architecture::Arm64,
        "x86_64" | "x86" | "amd64" => t.architecture == Architecture::X86_64,
        "gpu" | "gpus" => t.gpus > 0,
        "burstable" => t.burstable,
        "trunking" | "trunk" => t.trunk_task_limit.is_some(),
        "general" => t.category == Category::GeneralPurpose,
        "compute" => t.category == Category::ComputeOptimized,
        "memory" => t.category == Category::MemoryOptimized,
        "storage" => t.category == Category::StorageOptimized,
        "accelerated" => t.category == Category::AcceleratedComputing,
        _ => t.name.starts_with(w) || t.size() == w,
    }
}

#[cfg(test)]
mod tests;
