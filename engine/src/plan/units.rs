//! Task-level `cpu` and `memory` as AWS takes them: strings of units ("256", "1024") or with
//! a unit ("1 vCPU", "0.25 vcpu", "2 GB", "512 MiB"), converted to CPU units and MiB the way
//! RegisterTaskDefinition converts them (`task_definition_parameters.md`, "Task size").

/// CPU units from a task `cpu` string: `"256"` → 256, `"1 vCPU"` → 1024, `".5 vcpu"` → 512.
pub fn cpu_units(s: &str) -> Option<u32> {
    let t = s.trim();
    if let Ok(n) = t.parse::<u32>() {
        return Some(n);
    }
    let lower = t.to_ascii_lowercase();
    let num = lower.strip_suffix("vcpu")?.trim();
    let v: f64 = num.parse().ok()?;
    (v.is_finite() && (0.0..=1.0e6).contains(&v)).then(|| (v * 1024.0).round() as u32)
}

/// MiB from a task `memory` string: `"512"` → 512, `"1GB"`/`"1 gb"` → 1024, `"0.5 GB"` → 512.
pub fn memory_mib(s: &str) -> Option<u32> {
    let t = s.trim();
    if let Ok(n) = t.parse::<u32>() {
        return Some(n);
    }
    let lower = t.to_ascii_lowercase();
    let (num, factor) = if let Some(n) = lower
        .strip_suffix("gib")
        .or_else(|| lower.strip_suffix("gb"))
    {
        (n, 1024.0)
    } else if let Some(n) = lower
        .strip_suffix("mib")
        .or_else(|| lower.strip_suffix("mb"))
    {
        (n, 1.0)
    } else {
        return None;
    };
    let v: f64 = num.trim().parse().ok()?;
    (v.is_finite() && v >= 0.0 && v * factor <= 1.0e9).then(|| (v * factor).round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_and_memory_strings_convert_like_aws() {
        // task_definition_parameters.md, "Task size": "1 vCPU" is stored as 1024 units, "1GB" as 1024 MiB.
        assert_eq!(cpu_units("1024"), Some(1024));
        assert_eq!(cpu_units("1 vCPU"), Some(1024));
        assert_eq!(cpu_units(".25 vcpu"), Some(256));
        assert_eq!(cpu_units("0.5 VCPU"), Some(512));
        assert_eq!(cpu_units("lots"), None);
        assert_eq!(memory_mib("512"), Some(512));
        assert_eq!(memory_mib("1GB"), Some(1024));
        assert_eq!(memory_mib("0.5 gb"), Some(512));
        assert_eq!(memory_mib("2048 MiB"), Some(2048));
        assert_eq!(memory_mib("-1 GB"), None);
        assert_eq!(memory_mib("1e30 GB"), None);
    }
}
