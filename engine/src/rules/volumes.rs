//! Volumes, mount points, EFS and ephemeral storage (`task_definition_parameters.md`,
//! "Volumes" and "Ephemeral storage"; `efs-volumes.md`).

use super::{finding, int, list, present, text, Facts};
use crate::findings::Finding;
use serde_json::Value;
use std::collections::HashMap;

/// Ephemeral storage on Fargate, GiB (the API model's `EphemeralStorage.sizeInGiB`).
pub const EPHEMERAL_GIB: (i64, i64) = (21, 200);

/// The members that give a volume its type; a volume has at most one.
const VOLUME_TYPES: [&str; 6] = [
    "host",
    "dockerVolumeConfiguration",
    "efsVolumeConfiguration",
    "fsxWindowsFileServerVolumeConfiguration",
    "s3filesVolumeConfiguration",
    "configuredAtLaunch",
];

fn set(v: Option<&Value>) -> bool {
    !matches!(v, None | Some(Value::Null) | Some(Value::Bool(false)))
}

pub(super) fn check(f: &Facts, out: &mut Vec<Finding>) {
    let mut at_launch = 0;
    for (i, v) in f.td.volumes.iter().enumerate() {
        let p = f.path.key("volumes").index(i);
        let types: Vec<&str> = VOLUME_TYPES
            .iter()
            .copied()
            .filter(|t| set(v.extra.get(*t)))
            .collect();
        if types.len() > 1 {
            out.push(finding(
                "volume-type-conflict",
                p.clone(),
                format!(
                    "volume {} is configured as {} at once; a volume has one type",
                    v.name.as_deref().unwrap_or("(unnamed)"),
                    super::and_list(&types)
                ),
                format!("keep only {} (or split it into several volumes)", types[0]),
            ));
        }
        let needs_name = types.iter().any(|t| {
            matches!(
                *t,
                "efsVolumeConfiguration"
                    | "fsxWindowsFileServerVolumeConfiguration"
                    | "configuredAtLaunch"
                    | "s3filesVolumeConfiguration"
            )
        });
        if needs_name && v.name.as_deref().is_none_or(str::is_empty) {
            out.push(finding(
                "volume-name-missing",
                p.clone(),
                format!("volume {i} ({}) has no name", types[0]),
                "add \"name\" and use it as sourceVolume in the containers' mountPoints",
            ));
        }
        if types.contains(&"configuredAtLaunch") {
            at_launch += 1;
            if at_launch == 2 {
                out.push(finding(
                    "configured-at-launch-count",
                    p.key("configuredAtLaunch"),
                    "more than one volume is configured at launch; a task definition may have only one",
                    "keep one volume with configuredAtLaunch and give the others a fixed configuration",
                ));
            }
        }
        if let Some(d) = v.extra.get("dockerVolumeConfiguration") {
            if d.get("autoprovision").and_then(Value::as_bool) == Some(true)
                && text(d, "scope") != Some("shared")
            {
                out.push(finding(
                    "docker-volume-autoprovision",
                    p.key("dockerVolumeConfiguration").key("autoprovision"),
                    "autoprovision only applies to Docker volumes with scope shared; task-scoped volumes are always created with the task",
                    "set \"scope\": \"shared\", or remove autoprovision",
                ));
            }
        }
        if let Some(efs) = v.extra.get("efsVolumeConfiguration") {
            efs_volume(f, efs, &p.key("efsVolumeConfiguration"), out);
        }
    }
    mount_points(f, out);
    ephemeral(f, out);
}

fn efs_volume(f: &Facts, efs: &Value, p: &crate::findings::JsonPath, out: &mut Vec<Finding>) {
    if let Some(id) = text(efs, "fileSystemId") {
        let ok = id.strip_prefix("fs-").is_some_and(|h| {
            (8..=40).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit())
        });
        if !ok {
            out.push(finding(
                "efs-file-system-id",
                p.key("fileSystemId"),
                format!("\"{id}\" does not look like an EFS file system id (fs- and 8 or 17 hex digits)"),
                "copy the id from the EFS console or `aws efs describe-file-systems`, e.g. fs-0123456789abcdef0",
            ));
        }
    }
    let auth = efs.get("authorizationConfig");
    let access_point = auth
        .and_then(|a| text(a, "accessPointId"))
        .filter(|s| !s.is_empty());
    let iam = auth.and_then(|a| text(a, "iam")) == Some("ENABLED");
    let transit = text(efs, "transitEncryption") == Some("ENABLED");
    if let (Some(ap), Some(root)) = (access_point, text(efs, "rootDirectory")) {
        if root != "/" {
            out.push(finding(
                "efs-root-directory",
                p.key("rootDirectory"),
                format!("with access point {ap}, rootDirectory must be omitted or /; the access point sets the directory (here \"{root}\")"),
                format!("remove rootDirectory and set the access point's root path to {root}"),
            ));
        }
    }
    if (iam || access_point.is_some()) && !transit {
        let why = match (iam, access_point.is_some()) {
            (true, true) => "IAM authorization and an access point",
            (true, false) => "IAM authorization",
            _ => "an access point",
        };
        out.push(finding(
            "efs-transit-encryption",
            p.key("transitEncryption"),
            format!("the EFS volume uses {why}, which need transit encryption, but transitEncryption is not ENABLED"),
            "set \"transitEncryption\": \"ENABLED\"",
        ));
    }
    if let Some(port) = int(efs, "transitEncryptionPort") {
        if !(1..=65535).contains(&port) {
            out.push(finding(
                "efs-transit-port",
                p.key("transitEncryptionPort"),
                format!("transitEncryptionPort {port} is not a port (1-65535)"),
                "leave it out to let the EFS mount helper choose, or give a port from 1 to 65535",
            ));
        } else if !transit {
            out.push(finding(
                "efs-transit-port",
                p.key("transitEncryptionPort"),
                "transitEncryptionPort is set but transit encryption is off, so the port is not used",
                "set \"transitEncryption\": \"ENABLED\", or remove transitEncryptionPort",
            ));
        }
    }
    if iam && present(&f.td.task_role_arn).is_none() {
        out.push(finding(
            "efs-iam-without-task-role",
            p.key("authorizationConfig").key("iam"),
            format!("the EFS volume mounts with IAM authorization, which uses the task role, but {} has no taskRoleArn", f.label()),
            "add a taskRoleArn whose policy allows elasticfilesystem:ClientMount (and ClientWrite), or set iam to DISABLED",
        ));
    }
}

fn mount_points(f: &Facts, out: &mut Vec<Finding>) {
    let volumes: Vec<&str> =
        f.td.volumes
            .iter()
            .filter_map(|v| v.name.as_deref())
            .collect();
    for (_, c, p) in f.containers() {
        let mut paths: HashMap<&str, usize> = HashMap::new();
        for (j, m) in list(&c.extra, "mountPoints").iter().enumerate() {
            let mp = p.key("mountPoints").index(j);
            match text(m, "sourceVolume") {
                Some(src) if !volumes.contains(&src) => {
                    let hint = crate::schema::did_you_mean(src, volumes.iter().copied());
                    out.push(finding(
                        "unknown-volume",
                        mp.key("sourceVolume"),
                        format!(
                            "container \"{}\" mounts volume \"{src}\", which {} does not define",
                            c.name,
                            f.label()
                        ),
                        match hint {
                            Some(h) => format!("did you mean \"{h}\"?"),
                            None => format!(
                                "add {{\"name\": \"{src}\"}} to the task definition's volumes"
                            ),
                        },
                    ));
                }
                None => out.push(finding(
                    "unknown-volume",
                    mp.clone(),
                    format!(
                        "container \"{}\": mount point {j} names no sourceVolume",
                        c.name
                    ),
                    "add \"sourceVolume\": the name of one of the task definition's volumes",
                )),
                _ => {}
            }
            match text(m, "containerPath") {
                None | Some("") => out.push(finding(
                    "mount-path",
                    mp.clone(),
                    format!(
                        "container \"{}\": mount point {j} has no containerPath",
                        c.name
                    ),
                    "add \"containerPath\", the directory inside the container, e.g. /data",
                )),
                Some(path) => {
                    let windows_abs = path.len() >= 3
                        && path.as_bytes()[1] == b':'
                        && (path.as_bytes()[2] == b'\\' || path.as_bytes()[2] == b'/');
                    if !path.starts_with('/') && !windows_abs {
                        out.push(finding(
                            "mount-path",
                            mp.key("containerPath"),
                            format!("container \"{}\": containerPath \"{path}\" is not an absolute path", c.name),
                            format!("use /{}", path.trim_start_matches("./")),
                        ));
                    }
                    if let Some(prev) = paths.insert(path.trim_end_matches('/'), j) {
                        out.push(finding(
                            "mount-path",
                            mp.key("containerPath"),
                            format!("container \"{}\" mounts two volumes at {path} (mount points {prev} and {j})", c.name),
                            "mount each volume at its own path",
                        ));
                    }
                }
            }
        }
    }
}

fn ephemeral(f: &Facts, out: &mut Vec<Finding>) {
    let Some(es) = f.td.extra.get("ephemeralStorage") else {
        return;
    };
    let p = f.path.key("ephemeralStorage");
    if let Some(size) = int(es, "sizeInGiB") {
        let (lo, hi) = EPHEMERAL_GIB;
        if !(lo..=hi).contains(&size) {
            out.push(finding(
                "ephemeral-storage-range",
                p.key("sizeInGiB"),
                format!("ephemeral storage of {size} GiB is outside {lo}-{hi} GiB (without it, Fargate gives 20 GiB)"),
                if size < lo { "remove ephemeralStorage to keep the default 20 GiB, or ask for 21 to 200".to_string() } else { format!("use at most {hi} GiB, or keep large data on EFS") },
            ));
        }
    }
    if !f.fargate && !f.td.requires_compatibilities.is_empty() {
        out.push(finding(
            "ephemeral-storage-not-fargate",
            p,
            "ephemeralStorage applies only to tasks on Fargate; on EC2 the task uses the instance's disk",
            "remove ephemeralStorage, or add FARGATE to requiresCompatibilities",
        ));
    }
}
