//! The AWS Fargate task sizes: which task-level CPU and memory pairs Fargate runs, for Linux
//! and Windows.
//!
//! Source: `AWS_Fargate.md` ("Task CPU and memory") and the API model's
//! `RegisterTaskDefinitionRequest.memory` text. Each row is a CPU value with a memory range in
//! fixed steps; the smallest row is a short explicit list. Windows tasks run on the 1, 2 and
//! 4 vCPU rows only (at least 1 vCPU, and the 8 and 16 vCPU rows are listed for Linux alone);
//! those two rows also need Linux platform version 1.4.0 or later.
//!
//! The table is used by the validation rules (`fargate-cpu-memory`) and by anything that needs
//! to round a task up to a size Fargate sells (cost, simulation).

use std::fmt;

/// The operating system family of a Fargate task, as far as sizes are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Os {
    /// Linux tasks: every size of the table.
    Linux,
    /// Windows tasks: only the rows marked for Windows.
    Windows,
}

impl Os {
    /// From a task definition's `runtimePlatform.operatingSystemFamily` (`LINUX`,
    /// `WINDOWS_SERVER_2022_CORE`, ...). Absent means Linux, AWS's default.
    pub fn from_family(family: Option<&str>) -> Os {
        match family {
            Some(f) if f.starts_with("WINDOWS") => Os::Windows,
            _ => Os::Linux,
        }
    }
}

impl fmt::Display for Os {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Os::Linux => "Linux",
            Os::Windows => "Windows",
        })
    }
}

/// One CPU value and the memory sizes Fargate pairs with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// CPU units (1024 = 1 vCPU).
    pub cpu: u32,
    /// Smallest and largest memory, MiB.
    pub min_mib: u32,
    /// Largest memory, MiB.
    pub max_mib: u32,
    /// Memory step, MiB. The 0.25 vCPU row is irregular (512, 1024, 2048) and says so in
    /// [`Row::explicit`].
    pub step_mib: u32,
    /// The memory values when they are not a regular range.
    pub explicit: Option<&'static [u32]>,
    /// Whether Windows tasks may use this row.
    pub windows: bool,
    /// Whether the row needs Linux platform version 1.4.0 or later.
    pub needs_platform_1_4: bool,
}

impl Row {
    /// Every memory size of the row, MiB, smallest first.
    pub fn memory(&self) -> Vec<u32> {
        match self.explicit {
            Some(list) => list.to_vec(),
            None => (self.min_mib..=self.max_mib)
                .step_by(self.step_mib as usize)
                .collect(),
        }
    }

    /// Whether `memory_mib` is one of the row's sizes.
    pub fn has_memory(&self, memory_mib: u32) -> bool {
        match self.explicit {
            Some(list) => list.contains(&memory_mib),
            None => {
                (self.min_mib..=self.max_mib).contains(&memory_mib)
                    && (memory_mib - self.min_mib).is_multiple_of(self.step_mib)
            }
        }
    }

    /// Whether a task of this operating system may use the row.
    pub fn allows(&self, os: Os) -> bool {
        os == Os::Linux || self.windows
    }

    /// The row's memory in words: "512, 1024 or 2048 MiB", "2048 to 8192 MiB in 1024 MiB steps".
    pub fn describe_memory(&self) -> String {
        match self.explicit {
            Some(list) => {
                let v: Vec<String> = list.iter().map(u32::to_string).collect();
                match v.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        format!("{} or {last} MiB", rest.join(", "))
                    }
                    _ => format!("{} MiB", v.join("")),
                }
            }
            None => format!(
                "{} to {} MiB in {} MiB steps ({} to {} GB)",
                self.min_mib,
                self.max_mib,
                self.step_mib,
                self.min_mib / 1024,
                self.max_mib / 1024
            ),
        }
    }
}

/// The whole table, smallest CPU first.
#[rustfmt::skip]
pub const ROWS: [Row; 7] = [
    Row { cpu: 256, min_mib: 512, max_mib: 2048, step_mib: 512, explicit: Some(&[512, 1024, 2048]), windows: false, needs_platform_1_4: false },
    Row { cpu: 512, min_mib: 1024, max_mib: 4096, step_mib: 1024, explicit: None, windows: false, needs_platform_1_4: false },
    Row { cpu: 1024, min_mib: 2048, max_mib: 8192, step_mib: 1024, explicit: None, windows: true, needs_platform_1_4: false },
    Row { cpu: 2048, min_mib: 4096, max_mib: 16384, step_mib: 1024, explicit: None, windows: true, needs_platform_1_4: false },
    Row { cpu: 4096, min_mib: 8192, max_mib: 30720, step_mib: 1024, explicit: None, windows: true, needs_platform_1_4: false },
    Row { cpu: 8192, min_mib: 16384, max_mib: 61440, step_mib: 4096, explicit: None, windows: false, needs_platform_1_4: true },
    Row { cpu: 16384, min_mib: 32768, max_mib: 122880, step_mib: 8192, explicit: None, windows: false, needs_platform_1_4: true },
];

/// The row for a CPU value, if Fargate offers it for `os`.
pub fn row(cpu_units: u32, os: Os) -> Option<&'static Row> {
    ROWS.iter().find(|r| r.cpu == cpu_units && r.allows(os))
}

/// Whether Fargate runs a task of `cpu_units` and `memory_mib` on `os`.
pub fn is_valid(cpu_units: u32, memory_mib: u32, os: Os) -> bool {
    row(cpu_units, os).is_some_and(|r| r.has_memory(memory_mib))
}

/// The CPU values Fargate offers on `os`, smallest first.
pub fn valid_cpus(os: Os) -> Vec<u32> {
    ROWS.iter()
        .filter(|r| r.allows(os))
        .map(|r| r.cpu)
        .collect()
}

/// The memory sizes (MiB) Fargate pairs with `cpu_units` on Linux; empty if the CPU value is
/// not one Fargate offers.
pub fn valid_memory(cpu_units: u32) -> Vec<u32> {
    valid_memory_for(cpu_units, Os::Linux)
}

/// [`valid_memory`] for a given operating system.
pub fn valid_memory_for(cpu_units: u32, os: Os) -> Vec<u32> {
    row(cpu_units, os).map(Row::memory).unwrap_or_default()
}

/// The CPU values whose rows include `memory_mib` on `os`.
pub fn cpus_for_memory(memory_mib: u32, os: Os) -> Vec<u32> {
    ROWS.iter()
        .filter(|r| r.allows(os) && r.has_memory(memory_mib))
        .map(|r| r.cpu)
        .collect()
}

/// The smallest Fargate size with at least `cpu_units` and `memory_mib` on Linux: fewest vCPU
/// first, then least memory (at Fargate's per-vCPU and per-GB prices this is also the
/// cheapest). `None` when nothing is large enough.
pub fn smallest_fit(cpu_units: u32, memory_mib: u32) -> Option<(u32, u32)> {
    smallest_fit_for(cpu_units, memory_mib, Os::Linux)
}

/// [`smallest_fit`] for a given operating system.
pub fn smallest_fit_for(cpu_units: u32, memory_mib: u32, os: Os) -> Option<(u32, u32)> {
    ROWS.iter()
        .filter(|r| r.allows(os) && r.cpu >= cpu_units)
        .find_map(|r| {
            r.memory()
                .into_iter()
                .find(|m| *m >= memory_mib)
                .map(|m| (r.cpu, m))
        })
}

/// Whether a Fargate task of this CPU value needs Linux platform version 1.4.0 or later.
pub fn needs_platform_1_4(cpu_units: u32) -> bool {
    ROWS.iter()
        .any(|r| r.cpu == cpu_units && r.needs_platform_1_4)
}

/// CPU units in words: 256 → ".25 vCPU", 1024 → "1 vCPU".
pub fn vcpu_words(cpu_units: u32) -> String {
    let v = cpu_units as f64 / 1024.0;
    let s = format!("{v}");
    let s = s.strip_prefix("0.").map(|r| format!(".{r}")).unwrap_or(s);
    format!("{s} vCPU")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_match_the_fargate_page() {
        // AWS_Fargate.md, "Task CPU and memory": the seven rows.
        assert_eq!(valid_memory(256), vec![512, 1024, 2048]);
        assert_eq!(valid_memory(512), vec![1024, 2048, 3072, 4096]);
        assert_eq!(valid_memory(1024).len(), 7);
        assert_eq!(valid_memory(2048).len(), 13);
        assert_eq!(valid_memory(4096).len(), 23);
        assert_eq!(
            valid_memory(8192),
            (16..=60).step_by(4).map(|g| g * 1024).collect::<Vec<_>>()
        );
        assert_eq!(
            valid_memory(16384),
            (32..=120).step_by(8).map(|g| g * 1024).collect::<Vec<_>>()
        );
        assert!(valid_memory(128).is_empty());
        assert!(valid_memory(3072).is_empty());
    }

    #[test]
    fn windows_needs_at_least_one_vcpu() {
        // AWS_Fargate.md: Windows rows are 1, 2 and 4 vCPU.
        assert_eq!(valid_cpus(Os::Windows), vec![1024, 2048, 4096]);
        assert!(!is_valid(256, 512, Os::Windows));
        assert!(is_valid(256, 512, Os::Linux));
        assert!(is_valid(2048, 4096, Os::Windows));
        assert!(!is_valid(8192, 16384, Os::Windows));
        assert_eq!(
            Os::from_family(Some("WINDOWS_SERVER_2019_CORE")),
            Os::Windows
        );
        assert_eq!(Os::from_family(None), Os::Linux);
    }

    #[test]
    fn smallest_fit_rounds_up() {
        assert_eq!(smallest_fit(100, 300), Some((256, 512)));
        assert_eq!(smallest_fit(256, 1536), Some((256, 2048)));
        assert_eq!(smallest_fit(256, 4096), Some((512, 4096)));
        assert_eq!(smallest_fit(3000, 1000), Some((4096, 8192)));
        assert_eq!(smallest_fit(8192, 62000), Some((16384, 65536)));
        assert_eq!(smallest_fit(16385, 1), None);
        assert_eq!(smallest_fit_for(256, 512, Os::Windows), Some((1024, 2048)));
    }

    #[test]
    fn words() {
        assert_eq!(vcpu_words(256), ".25 vCPU");
        assert_eq!(vcpu_words(1024), "1 vCPU");
        assert_eq!(vcpu_words(16384), "16 vCPU");
        assert_eq!(ROWS[0].describe_memory(), "512, 1024 or 2048 MiB");
        assert!(needs_platform_1_4(8192) && !needs_platform_1_4(4096));
        assert_eq!(cpus_for_memory(4096, Os::Linux), vec![512, 1024, 2048]);
    }
}
