//! Log configuration: the options the `awslogs` and `splunk` drivers need, and what Fargate
//! supports (`task_definition_parameters.md`, "Storage and logging"; the API model's
//! `LogConfiguration.options`; `AWS_Fargate.md`, "Logging").

use super::{finding, text, Facts};
use crate::findings::Finding;
use serde_json::Value;

/// The awslogs options ECS documents.
pub const AWSLOGS_OPTIONS: [&str; 8] = [
    "awslogs-create-group",
    "awslogs-datetime-format",
    "awslogs-group",
    "awslogs-multiline-pattern",
    "awslogs-region",
    "awslogs-stream-prefix",
    "max-buffer-size",
    "mode",
];

/// Options the Docker awslogs driver accepts that ECS does not document.
pub const AWSLOGS_DOCKER_ONLY: [&str; 8] = [
    "awslogs-endpoint",
    "awslogs-credentials-endpoint",
    "awslogs-force-flush-interval-seconds",
    "awslogs-max-buffered-events",
    "awslogs-format",
    "awslogs-create-stream",
    "awslogs-stream",
    "tag",
];

/// The log drivers Fargate supports.
pub const FARGATE_LOG_DRIVERS: [&str; 3] = ["awslogs", "splunk", "awsfirelens"];

pub(super) fn check(f: &Facts, out: &mut Vec<Finding>) {
    for (_, c, p) in f.containers() {
        let Some(lc) = c.extra.get("logConfiguration") else {
            continue;
        };
        let p = p.key("logConfiguration");
        let options = lc.get("options").and_then(Value::as_object);
        let has = |k: &str| options.is_some_and(|o| o.contains_key(k));
        match text(lc, "logDriver") {
            Some("awslogs") => {
                for required in ["awslogs-group", "awslogs-region"] {
                    if !has(required) {
                        out.push(finding(
                            "awslogs-options",
                            p.key("options"),
                            format!(
                                "container \"{}\" logs with awslogs but has no {required} option",
                                c.name
                            ),
                            match required {
                                "awslogs-group" => format!(
                                    "add \"awslogs-group\": \"/ecs/{}\"",
                                    if f.td.family.is_empty() {
                                        "app"
                                    } else {
                                        &f.td.family
                                    }
                                ),
                                _ => format!(
                                    "add \"awslogs-region\": \"{}\"",
                                    f.region.unwrap_or("us-east-1")
                                ),
                            },
                        ));
                    }
                }
                for (k, v) in options.into_iter().flatten() {
                    if AWSLOGS_OPTIONS.contains(&k.as_str()) {
                        let bad = match k.as_str() {
                            "mode" => !matches!(v.as_str(), Some("blocking" | "non-blocking")),
                            "awslogs-create-group" => !matches!(v.as_str(), Some("true" | "false")),
                            _ => false,
                        };
                        if bad {
                            out.push(finding(
                                "awslogs-options",
                                p.key("options").key(k),
                                format!("container \"{}\": awslogs option {k} is {v}", c.name),
                                if k == "mode" {
                                    "use \"blocking\" or \"non-blocking\""
                                } else {
                                    "use \"true\" or \"false\" (as a string)"
                                },
                            ));
                        }
                    } else if AWSLOGS_DOCKER_ONLY.contains(&k.as_str()) {
                        out.push(finding(
                            "awslogs-option-undocumented",
                            p.key("options").key(k),
                            format!("container \"{}\": {k} is a Docker awslogs option that ECS does not document; ECS may set or ignore it", c.name),
                            format!("remove {k} unless you know the agent passes it through"),
                        ));
                    } else {
                        let best = crate::schema::did_you_mean(k, AWSLOGS_OPTIONS.iter().copied());
                        out.push(finding(
                            "awslogs-options",
                            p.key("options").key(k),
                            format!("container \"{}\": the awslogs driver has no option {k}; Docker would refuse to start the container", c.name),
                            match best {
                                Some(b) => format!("did you mean {b}?"),
                                None => format!("remove it; awslogs takes {}", AWSLOGS_OPTIONS.join(", ")),
                            },
                        ));
                    }
                }
                if has("awslogs-datetime-format") && has("awslogs-multiline-pattern") {
                    out.push(finding(
                        "awslogs-options",
                        p.key("options").key("awslogs-multiline-pattern"),
                        format!("container \"{}\" sets both awslogs-datetime-format and awslogs-multiline-pattern; only one may be set", c.name),
                        "keep one of the two",
                    ));
                }
            }
            Some("splunk") => {
                let secret_options: &[Value] = lc
                    .get("secretOptions")
                    .and_then(Value::as_array)
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                let secret = |k: &str| secret_options.iter().any(|s| text(s, "name") == Some(k));
                for required in ["splunk-url", "splunk-token"] {
                    if !has(required) && !secret(required) {
                        out.push(finding(
                            "splunk-options",
                            p.key("options"),
                            format!("container \"{}\" logs with splunk but has no {required}", c.name),
                            if required == "splunk-token" {
                                "pass the token as a secretOptions entry named splunk-token (from Secrets Manager or SSM)".to_string()
                            } else {
                                "add \"splunk-url\": \"https://your-splunk:8088\"".to_string()
                            },
                        ));
                    }
                }
            }
            _ => {}
        }
    }
}

/// What Fargate refuses in logging: drivers other than awslogs, splunk and awsfirelens, and
/// awslogs without `awslogs-stream-prefix`.
pub(super) fn fargate_problems(f: &Facts, out: &mut Vec<Finding>) {
    for (_, c, p) in f.containers() {
        let Some(lc) = c.extra.get("logConfiguration") else {
            continue;
        };
        let p = p.key("logConfiguration");
        let Some(driver) = text(lc, "logDriver") else {
            continue;
        };
        if !FARGATE_LOG_DRIVERS.contains(&driver) {
            out.push(finding(
                "fargate-log-driver",
                p.key("logDriver"),
                format!("container \"{}\" uses the {driver} log driver; Fargate supports only awslogs, splunk and awsfirelens", c.name),
                "use awslogs (CloudWatch Logs), or awsfirelens to route logs elsewhere",
            ));
        } else if driver == "awslogs"
            && !lc
                .get("options")
                .and_then(Value::as_object)
                .is_some_and(|o| o.contains_key("awslogs-stream-prefix"))
        {
            out.push(finding(
                "awslogs-stream-prefix",
                p.key("options"),
                format!("container \"{}\" logs with awslogs on Fargate without awslogs-stream-prefix, which Fargate requires", c.name),
                format!("add \"awslogs-stream-prefix\": \"{}\"", if f.td.family.is_empty() { "ecs" } else { &f.td.family }),
            ));
        }
    }
}
