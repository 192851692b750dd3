//! Secrets and IAM roles: where `secrets` come from, and which role does what.
//!
//! Two roles, two jobs (`task_execution_IAM_role.md`, `task-iam-roles.md`):
//! - the **execution role** (`executionRoleArn`) is used by ECS and its agent to *start* the
//!   task: pull private images, fetch `secrets` and `environmentFiles`, send `awslogs` logs;
//! - the **task role** (`taskRoleArn`) is what the application inside the containers uses for
//!   its own AWS calls (S3, DynamoDB, ...).
//!
//! On EC2, the container instance's role (its instance profile) pulls ECR images and sends
//! logs when there is no execution role, and containers without a task role can reach the
//! instance role's credentials; on Fargate there is no instance, so the execution role is
//! required for those.

use super::{finding, images, list, present, text, Facts};
use crate::findings::Finding;

/// What is wrong with a `secrets[].valueFrom` (or `secretOptions[].valueFrom`), if anything.
pub fn value_from_problem(v: &str) -> Option<String> {
    if v.trim().is_empty() {
        return Some("is empty".into());
    }
    if let Some(rest) = v.strip_prefix("arn:") {
        let parts: Vec<&str> = rest.split(':').collect();
        // partition, service, region, account, resource...
        if parts.len() < 5 {
            return Some(format!("\"{v}\" is not a complete ARN"));
        }
        let (service, region, account) = (parts[1], parts[2], parts[3]);
        let account_ok = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
        return match service {
            "secretsmanager" => {
                // secret:NAME, optionally :json-key:version-stage:version-id (all three).
                if parts[4] != "secret" || parts.len() < 6 || parts[5].is_empty() {
                    Some(format!("\"{v}\" is not a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)"))
                } else if parts.len() != 6 && parts.len() != 9 {
                    Some(format!(
                        "\"{v}\" has {} fields after the secret name; give none, or all three of json-key:version-stage:version-id (empty ones allowed, e.g. NAME:password::)",
                        parts.len() - 6
                    ))
                } else if region.is_empty() || !account_ok {
                    Some(format!("\"{v}\" needs a Region and a 12-digit account id"))
                } else {
                    None
                }
            }
            "ssm" => {
                let ok = parts.len() == 5
                    && parts[4]
                        .strip_prefix("parameter")
                        .is_some_and(|n| n.len() > 1 && n.starts_with('/'));
                if !ok {
                    Some(format!("\"{v}\" is not an SSM parameter ARN (arn:aws:ssm:REGION:ACCOUNT:parameter/NAME)"))
                } else if region.is_empty() || !account_ok {
                    Some(format!("\"{v}\" needs a Region and a 12-digit account id"))
                } else {
                    None
                }
            }
            other => Some(format!(
                "\"{v}\" is an ARN of {other}, not of Secrets Manager or SSM Parameter Store"
            )),
        };
    }
    // A Parameter Store name (same Region only).
    if v.len() > 2048 {
        return Some("is longer than an SSM parameter name can be (2048 characters)".into());
    }
    if let Some(c) = v
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "_.-/".contains(*c)))
    {
        return Some(format!(
            "\"{v}\" is neither an ARN nor an SSM parameter name (names use letters, digits, _ . - and /, not {c:?})"
        ));
    }
    if v.contains('/') && !v.starts_with('/') {
        return Some(format!(
            "\"{v}\" is a parameter path without its leading / (write /{v})"
        ));
    }
    let bare = v.trim_start_matches('/').to_ascii_lowercase();
    if bare.starts_with("aws") || bare.starts_with("ssm") {
        return Some(format!(
            "\"{v}\": SSM parameter names cannot start with aws or ssm"
        ));
    }
    None
}

/// The 12-digit account of an ARN or ECR image, for concrete fixes.
fn account_hint(f: &Facts) -> String {
    let from_arn = |s: &str| {
        s.split(':')
            .nth(4)
            .filter(|a| a.len() == 12)
            .map(str::to_string)
    };
    present(&f.td.task_role_arn)
        .and_then(from_arn)
        .or_else(|| {
            f.td.container_definitions.iter().find_map(|c| {
                match images::parse_image(&c.image).ok()?.registry {
                    images::Registry::EcrPrivate { account, .. } => Some(account),
                    _ => None,
                }
            })
        })
        .unwrap_or_else(|| "ACCOUNT".into())
}

/// Why ECS needs an execution role to start this task; `fargate` adds the needs that the
/// instance role would otherwise cover on EC2 (ECR pulls, awslogs).
pub(super) fn agent_needs(f: &Facts, fargate: bool) -> Vec<String> {
    let mut needs = Vec::new();
    for c in &f.td.container_definitions {
        if !list(&c.extra, "secrets").is_empty() {
            needs.push(format!(
                "container \"{}\" reads secrets when it starts",
                c.name
            ));
        }
        if c.extra.get("logConfiguration").is_some_and(|l| {
            l.get("secretOptions")
                .and_then(|s| s.as_array())
                .is_some_and(|a| !a.is_empty())
        }) {
            needs.push(format!(
                "container \"{}\" passes secrets to its log driver",
                c.name
            ));
        }
        if !list(&c.extra, "environmentFiles").is_empty() {
            needs.push(format!(
                "container \"{}\" loads environment files from S3",
                c.name
            ));
        }
        if c.extra.get("repositoryCredentials").is_some() {
            needs.push(format!(
                "container \"{}\" pulls from a private registry with stored credentials",
                c.name
            ));
        }
        if fargate {
            if matches!(
                images::parse_image(&c.image).map(|i| i.registry),
                Ok(images::Registry::EcrPrivate { .. })
            ) {
                needs.push(format!(
                    "container \"{}\" pulls its image from a private ECR repository",
                    c.name
                ));
            }
            if c.extra
                .get("logConfiguration")
                .and_then(|l| text(l, "logDriver"))
                == Some("awslogs")
            {
                needs.push(format!(
                    "container \"{}\" sends logs to CloudWatch with awslogs",
                    c.name
                ));
            }
        }
    }
    needs
}

/// The execution-role finding for a list of needs.
pub(super) fn execution_role_finding(f: &Facts, needs: &[String], on_fargate: bool) -> Finding {
    let shown: Vec<&str> = needs.iter().take(3).map(String::as_str).collect();
    let more = if needs.len() > 3 {
        format!(" (and {} more)", needs.len() - 3)
    } else {
        String::new()
    };
    finding(
        "execution-role-required",
        f.path.key("executionRoleArn"),
        format!(
            "{} has no executionRoleArn, but ECS needs one to start it{}: {}{more}. The execution role is used by ECS to start the task (pull images, fetch secrets, send logs); the task role is used by your application for its own AWS calls",
            f.label(),
            if on_fargate { " on Fargate" } else { "" },
            shown.join("; ")
        ),
        format!(
            "add \"executionRoleArn\": \"arn:aws:iam::{}:role/ecsTaskExecutionRole\" with the AmazonECSTaskExecutionRolePolicy policy{}",
            account_hint(f),
            if needs.iter().any(|n| n.contains("secrets")) { " and secretsmanager:GetSecretValue / ssm:GetParameters on the secrets" } else { "" }
        ),
    )
}

pub(super) fn check(f: &Facts, out: &mut Vec<Finding>) {
    secret_references(f, out);
    let exec = present(&f.td.execution_role_arn);
    let task = present(&f.td.task_role_arn);
    let remote = f.fargate || f.external;
    if exec.is_none() {
        let needs = agent_needs(f, remote);
        if !needs.is_empty() {
            out.push(execution_role_finding(f, &needs, f.fargate));
        } else if f.ec2 && !remote {
            let instance_work: Vec<String> =
                f.td.container_definitions
                    .iter()
                    .filter_map(|c| {
                        let ecr = matches!(
                            images::parse_image(&c.image).map(|i| i.registry),
                            Ok(images::Registry::EcrPrivate { .. })
                        );
                        let awslogs = c
                            .extra
                            .get("logConfiguration")
                            .and_then(|l| text(l, "logDriver"))
                            == Some("awslogs");
                        match (ecr, awslogs) {
                            (true, true) => Some(format!("\"{}\" (ECR pull and awslogs)", c.name)),
                            (true, false) => Some(format!("\"{}\" (ECR pull)", c.name)),
                            (false, true) => Some(format!("\"{}\" (awslogs)", c.name)),
                            _ => None,
                        }
                    })
                    .collect();
            if !instance_work.is_empty() {
                out.push(finding(
                    "instance-role-used",
                    f.path.key("executionRoleArn"),
                    format!(
                        "without an execution role, the container instance's role (its instance profile) pulls images and sends logs for {}; it needs the permissions of AmazonEC2ContainerServiceforEC2Role",
                        super::and_list(&instance_work)
                    ),
                    "keep the instance role's ECR and CloudWatch Logs permissions, or add an executionRoleArn (required if the task ever runs on Fargate)",
                ));
            }
        }
    }
    if task.is_none() {
        if let Some(hint) = calls_aws(f) {
            out.push(finding(
                "no-task-role",
                f.path.key("taskRoleArn"),
                format!(
                    "{} has no task role, yet {hint}, so the application probably calls AWS: {}",
                    f.label(),
                    if f.fargate {
                        "on Fargate it then has no AWS credentials at all"
                    } else {
                        "on EC2 it would borrow the instance role (the instance profile), shared by every task on the instance"
                    }
                ),
                "give the application its own least-privilege role with \"taskRoleArn\" (the task role is for the application; the execution role only starts the task)",
            ));
        }
    }
    if let (Some(e), Some(t)) = (exec, task) {
        if e == t {
            out.push(finding(
                "same-task-and-execution-role",
                f.path.key("taskRoleArn"),
                "the same role is both the task role (used by the application) and the execution role (used by ECS to start the task), so the application gets the permissions to pull images and read every secret the task uses",
                "use two roles: ecsTaskExecutionRole for ECS, and an application role with only what the code calls",
            ));
        }
    }
    for (key, v) in [("executionRoleArn", exec), ("taskRoleArn", task)] {
        let Some(v) = v else { continue };
        if let Some(problem) = role_problem(v, key == "taskRoleArn") {
            out.push(finding(
                "role-arn-format",
                f.path.key(key),
                format!("{key} \"{v}\" {problem}"),
                format!(
                    "use arn:aws:iam::{}:role/{}",
                    account_hint(f),
                    v.rsplit('/').next().unwrap_or("NAME")
                ),
            ));
        }
    }
}

/// What is off about a role reference: a full IAM role ARN, or (for the task role) a role name.
fn role_problem(v: &str, name_ok: bool) -> Option<&'static str> {
    if let Some(rest) = v.strip_prefix("arn:") {
        let parts: Vec<&str> = rest.splitn(5, ':').collect();
        let ok = parts.len() == 5
            && parts[0].starts_with("aws")
            && parts[1] == "iam"
            && parts[2].is_empty()
            && parts[3].len() == 12
            && parts[3].bytes().all(|b| b.is_ascii_digit())
            && parts[4]
                .strip_prefix("role/")
                .is_some_and(|n| !n.is_empty());
        return (!ok).then_some("is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
    }
    if name_ok {
        return None;
    }
    Some("is not an ARN; the execution role is given as a full role ARN")
}

fn secret_references(f: &Facts, out: &mut Vec<Finding>) {
    for (_, c, p) in f.containers() {
        let log_secrets = c
            .extra
            .get("logConfiguration")
            .and_then(|l| l.get("secretOptions"))
            .and_then(|s| s.as_array());
        let sources = [
            (p.key("secrets"), list(&c.extra, "secrets")),
            (
                p.key("logConfiguration").key("secretOptions"),
                log_secrets.map(Vec::as_slice).unwrap_or(&[]),
            ),
        ];
        for (base, items) in sources {
            for (j, s) in items.iter().enumerate() {
                let Some(v) = text(s, "valueFrom") else {
                    continue;
                };
                if let Some(problem) = value_from_problem(v) {
                    out.push(finding(
                        "secret-value-from",
                        base.index(j).key("valueFrom"),
                        format!("container \"{}\": secret {} {problem}", c.name, text(s, "name").unwrap_or("?")),
                        "use arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME, arn:aws:ssm:REGION:ACCOUNT:parameter/NAME, or the name of an SSM parameter in the task's Region",
                    ));
                }
            }
        }
        if let Some(rc) = c.extra.get("repositoryCredentials") {
            if let Some(v) = text(rc, "credentialsParameter") {
                let bad = if v.starts_with("arn:") {
                    v.split(':').nth(2) != Some("secretsmanager") || value_from_problem(v).is_some()
                } else {
                    v.is_empty()
                        || v.chars()
                            .any(|ch| !(ch.is_ascii_alphanumeric() || "/_+=.@-".contains(ch)))
                };
                if bad {
                    out.push(finding(
                        "repository-credentials",
                        p.key("repositoryCredentials").key("credentialsParameter"),
                        format!("container \"{}\": credentialsParameter \"{v}\" must be a Secrets Manager secret (its ARN, or its name in the same Region)", c.name),
                        "store the registry user name and password in Secrets Manager and give that secret's ARN",
                    ));
                }
            }
        }
    }
}

/// A sign that the application calls AWS APIs itself: an environment value naming an AWS
/// endpoint or ARN, or a variable named after an AWS resource.
fn calls_aws(f: &Facts) -> Option<String> {
    const NAME_HINTS: [&str; 7] = [
        "_BUCKET",
        "_TABLE",
        "_QUEUE",
        "_QUEUE_URL",
        "_TOPIC_ARN",
        "_STREAM_NAME",
        "AWS_REGION",
    ];
    for c in &f.td.container_definitions {
        for e in list(&c.extra, "environment") {
            let (Some(name), value) = (text(e, "name"), text(e, "value").unwrap_or("")) else {
                continue;
            };
            if value.contains(".amazonaws.com") || value.starts_with("arn:aws") {
                return Some(format!(
                    "container \"{}\" has {name} pointing at an AWS resource",
                    c.name
                ));
            }
            if NAME_HINTS
                .iter()
                .any(|h| name.ends_with(h) || name == h.trim_start_matches('_'))
            {
                return Some(format!("container \"{}\" has the variable {name}", c.name));
            }
        }
    }
    None
}
