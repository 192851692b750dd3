//! Import of `aws ec2 describe-instance-types` output, for instance types the built-in table
//! does not have (or to replace its figures with the user's own).

use super::{Architecture, Category, InstanceType};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// Why `describe-instance-types` output could not be imported. Every variant names where, as a
/// JSON path in the input (`InstanceTypes[3].MemoryInfo.SizeInMiB`; `$` is the whole document).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The text is not JSON at all (e.g. truncated).
    #[error("$: not valid JSON: {message}")]
    Syntax {
        /// The parser's message.
        message: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
    },
    /// A required member is absent.
    #[error("{path}: missing")]
    Missing {
        /// Where the member should be.
        path: String,
    },
    /// A member has the wrong JSON type.
    #[error("{path}: expected {expected}, found {found}")]
    WrongType {
        /// Where the member is.
        path: String,
        /// The JSON type the member must have.
        expected: &'static str,
        /// The JSON type it has.
        found: &'static str,
    },
    /// A member has the right type but an unusable value.
    #[error("{path}: {reason}")]
    Invalid {
        /// Where the member is.
        path: String,
        /// Why the value cannot be used.
        reason: String,
    },
}

impl ImportError {
    /// Where in the input the problem is.
    pub fn path(&self) -> &str {
        match self {
            ImportError::Syntax { .. } => "$",
            ImportError::Missing { path }
            | ImportError::WrongType { path, .. }
            | ImportError::Invalid { path, .. } => path,
        }
    }
}

/// Reads the output of `aws ec2 describe-instance-types` (the whole `{"InstanceTypes": [...]}`
/// document, the bare array, or a single instance type object) into instance types.
///
/// Uses `InstanceType`, `VCpuInfo.DefaultVCpus`, `MemoryInfo.SizeInMiB`,
/// `NetworkInfo.MaximumNetworkInterfaces`, `ProcessorInfo.SupportedArchitectures` (x86_64 wins
/// when both are listed; `i386`-only types are rejected because ECS does not run on them),
/// `GpuInfo.Gpus[].Count` and `BurstablePerformanceSupported`; other members are ignored. The
/// trunking limit is not in this output: imported types have none unless
/// [`super::Catalog::with_imported`] carries it over from the built-in type of the same name.
pub fn import_describe_instance_types(json: &str) -> Result<Vec<InstanceType>, ImportError> {
    let root: Value = serde_json::from_str(json).map_err(|e| ImportError::Syntax {
        message: e.to_string(),
        line: e.line(),
        column: e.column(),
    })?;
    let (items, prefix) = match &root {
        Value::Array(items) => (items, ""),
        Value::Object(o) => match o.get("InstanceTypes") {
            Some(Value::Array(items)) => (items, "InstanceTypes"),
            Some(other) => return Err(wrong_type("InstanceTypes".into(), "an array", other)),
            None if o.contains_key("InstanceType") => return Ok(vec![instance_type(&root, "$")?]),
            None => {
                return Err(ImportError::Invalid {
                    path: "$".into(),
                    reason: "expected `aws ec2 describe-instance-types` output: an object with \
                             InstanceTypes, or an array of instance types"
                        .into(),
                })
            }
        },
        other => {
            return Err(wrong_type(
                "$".into(),
                "an object with InstanceTypes, or an array",
                other,
            ))
        }
    };
    items
        .iter()
        .enumerate()
        .map(|(i, v)| instance_type(v, &format!("{prefix}[{i}]")))
        .collect()
}

fn instance_type(v: &Value, path: &str) -> Result<InstanceType, ImportError> {
    let o = object(v, path)?;

    let name_path = key(path, "InstanceType");
    let name = string(required(o, path, "InstanceType")?, &name_path)?;
    let valid_name = name
        .split_once('.')
        .is_some_and(|(f, s)| !f.is_empty() && !s.is_empty())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    if !valid_name {
        return Err(ImportError::Invalid {
            path: name_path,
            reason: format!(
                "{name:?} is not an EC2 instance type name (family.size, e.g. m5.large)"
            ),
        });
    }

    let vcpu = object_member(o, path, "VCpuInfo")?;
    let vcpus = count(vcpu, &key(path, "VCpuInfo"), "DefaultVCpus")?;
    let memory = object_member(o, path, "MemoryInfo")?;
    let memory_mib = count(memory, &key(path, "MemoryInfo"), "SizeInMiB")?;
    let network = object_member(o, path, "NetworkInfo")?;
    let max_enis = count(
        network,
        &key(path, "NetworkInfo"),
        "MaximumNetworkInterfaces",
    )?;

    let processor_path = key(path, "ProcessorInfo");
    let processor = object_member(o, path, "ProcessorInfo")?;
    let archs_path = key(&processor_path, "SupportedArchitectures");
    let archs = array(
        required(processor, &processor_path, "SupportedArchitectures")?,
        &archs_path,
    )?;
    let mut architecture = None;
    for (i, a) in archs.iter().enumerate() {
        match string(a, &format!("{archs_path}[{i}]"))? {
            "x86_64" | "x86_64_mac" => architecture = Some(Architecture::X86_64),
            "arm64" | "arm64_mac" => architecture = architecture.or(Some(Architecture::Arm64)),
            _ => {}
        }
    }
    let architecture = architecture.ok_or_else(|| ImportError::Invalid {
        path: archs_path.clone(),
        reason: "lists neither x86_64 nor arm64, the architectures ECS runs on".into(),
    })?;

    let mut gpus: u32 = 0;
    let gpu_path = key(path, "GpuInfo");
    if let Some(info) = optional(o, "GpuInfo") {
        let info = object(info, &gpu_path)?;
        let list_path = key(&gpu_path, "Gpus");
        if let Some(list) = optional(info, "Gpus") {
            for (i, g) in array(list, &list_path)?.iter().enumerate() {
                let g_path = format!("{list_path}[{i}]");
                gpus = gpus.saturating_add(count_or_zero(object(g, &g_path)?, &g_path, "Count")?);
            }
        }
    }

    let burstable = match optional(o, "BurstablePerformanceSupported") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(wrong_type(
                key(path, "BurstablePerformanceSupported"),
                "a boolean",
                other,
            ))
        }
    };

    let family = name.split_once('.').map_or(name, |(f, _)| f);
    Ok(InstanceType {
        category: Category::for_family(family, burstable, gpus),
        name: Cow::Owned(name.to_string()),
        vcpus,
        memory_mib,
        architecture,
        max_enis,
        trunk_task_limit: None,
        gpus,
        burstable,
        known_registered_memory_mib: None,
    })
}

fn key(path: &str, k: &str) -> String {
    if path == "$" {
        k.to_string()
    } else {
        format!("{path}.{k}")
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn wrong_type(path: String, expected: &'static str, found: &Value) -> ImportError {
    ImportError::WrongType {
        path,
        expected,
        found: kind(found),
    }
}

/// A member that may be absent or `null` (the CLI prints `"GpuInfo": null` for types without).
fn optional<'v>(o: &'v Map<String, Value>, k: &str) -> Option<&'v Value> {
    o.get(k).filter(|v| !v.is_null())
}

fn required<'v>(o: &'v Map<String, Value>, path: &str, k: &str) -> Result<&'v Value, ImportError> {
    o.get(k)
        .ok_or_else(|| ImportError::Missing { path: key(path, k) })
}

fn object<'v>(v: &'v Value, path: &str) -> Result<&'v Map<String, Value>, ImportError> {
    v.as_object()
        .ok_or_else(|| wrong_type(path.to_string(), "an object", v))
}

fn object_member<'v>(
    o: &'v Map<String, Value>,
    path: &str,
    k: &str,
) -> Result<&'v Map<String, Value>, ImportError> {
    object(required(o, path, k)?, &key(path, k))
}

fn array<'v>(v: &'v Value, path: &str) -> Result<&'v Vec<Value>, ImportError> {
    v.as_array()
        .ok_or_else(|| wrong_type(path.to_string(), "an array", v))
}

fn string<'v>(v: &'v Value, path: &str) -> Result<&'v str, ImportError> {
    v.as_str()
        .ok_or_else(|| wrong_type(path.to_string(), "a string", v))
}

/// A required whole number ≥ 1 that fits in 32 bits.
fn count(o: &Map<String, Value>, path: &str, k: &str) -> Result<u32, ImportError> {
    let n = count_or_zero(o, path, k)?;
    if n == 0 {
        return Err(ImportError::Invalid {
            path: key(path, k),
            reason: "must be at least 1".into(),
        });
    }
    Ok(n)
}

fn count_or_zero(o: &Map<String, Value>, path: &str, k: &str) -> Result<u32, ImportError> {
    let v = required(o, path, k)?;
    let Value::Number(n) = v else {
        return Err(wrong_type(key(path, k), "a whole number", v));
    };
    n.as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| ImportError::Invalid {
            path: key(path, k),
            reason: format!("expected a whole number from 0 to {}, found {n}", u32::MAX),
        })
}
