//! Services and standalone tasks: launch type or capacity providers, what Fargate needs of the
//! task definition, networking, scheduling strategy, deployments, load balancers and auto
//! scaling (`service_definition_parameters.md`, `ecs_services.md`, `deployment-type-ecs.md`,
//! `deployment-circuit-breaker.md`, `AWS_Fargate.md`, `service-auto-scaling.md`).

use super::{
    capacity_providers, fargate, finding, int, is_plain_name, list, names, placement, present,
    secrets, text, Context, Facts,
};
use crate::findings::{Finding, JsonPath};
use crate::plan::{
    CapacityProviderStrategyItem, LaunchType, NetworkMode, RunTask, SchedulingStrategy, Service,
    TaskDefinition, Written,
};
use serde_json::Value;

/// Subnets and security groups in an awsvpcConfiguration.
pub const MAX_SUBNETS: usize = 16;
pub const MAX_SECURITY_GROUPS: usize = 5;
/// Tasks per RunTask call.
pub const MAX_RUN_TASK_COUNT: u32 = 10;

/// Where the tasks of a service or RunTask request run.
#[derive(Debug, Clone, Copy, Default)]
struct Launch {
    fargate: bool,
    fargate_spot: bool,
}

fn launch(
    launch_type: Option<LaunchType>,
    strategy: &[CapacityProviderStrategyItem],
    ctx: &Context,
) -> Launch {
    let from = |items: &[CapacityProviderStrategyItem]| Launch {
        fargate: !items.is_empty()
            && items
                .iter()
                .all(|i| capacity_providers::is_fargate(&i.capacity_provider)),
        fargate_spot: items.iter().any(|i| i.capacity_provider == "FARGATE_SPOT"),
    };
    match launch_type {
        Some(LaunchType::Fargate) => Launch {
            fargate: true,
            fargate_spot: false,
        },
        Some(_) => Launch::default(),
        None if !strategy.is_empty() => from(strategy),
        None => from(ctx.default_strategy),
    }
}

/// The parts shared by services and RunTask requests.
struct Request<'a> {
    path: &'a JsonPath,
    launch_type: Option<LaunchType>,
    strategy: &'a [CapacityProviderStrategyItem],
    network: Option<&'a Value>,
    platform_version: Option<&'a str>,
    what: &'a str,
}

fn common(
    req: &Request,
    td: Option<&TaskDefinition>,
    ctx: &Context,
    out: &mut Vec<Finding>,
) -> Launch {
    let path = req.path;
    if req.launch_type.is_some() && !req.strategy.is_empty() {
        out.push(finding(
            "launch-type-and-strategy",
            path.key("launchType"),
            format!("the {} sets both launchType and capacityProviderStrategy; it takes one or the other", req.what),
            "remove launchType to use the capacity providers (needed for cluster auto scaling), or remove the strategy",
        ));
    }
    capacity_providers::strategy(
        req.strategy,
        &path.key("capacityProviderStrategy"),
        ctx,
        out,
    );
    let l = launch(req.launch_type, req.strategy, ctx);
    let launch_path = if req.strategy.is_empty() {
        path.key("launchType")
    } else {
        path.key("capacityProviderStrategy")
    };
    let td_path = JsonPath::root();
    let facts = td.map(|t| Facts::of(t, &td_path, ctx));
    if let (true, Some(f)) = (l.fargate, facts.as_ref()) {
        if !f.fargate {
            let mut problems: Vec<String> = fargate::problems(f)
                .into_iter()
                .filter(Finding::is_error)
                .map(|p| p.message)
                .collect();
            if present(&f.td.execution_role_arn).is_none() {
                let needs = secrets::agent_needs(f, true);
                if !needs.is_empty() {
                    problems.push(format!(
                        "it has no executionRoleArn, which Fargate needs because {}",
                        needs[0]
                    ));
                }
            }
            if !problems.is_empty() {
                let more = if problems.len() > 2 {
                    format!(" (and {} more)", problems.len() - 2)
                } else {
                    String::new()
                };
                out.push(finding(
                    "service-not-fargate-compatible",
                    launch_path.clone(),
                    format!(
                        "the {} runs on Fargate, but task definition {} cannot: {}{more}",
                        req.what,
                        f.td.family,
                        problems.iter().take(2).cloned().collect::<Vec<_>>().join("; ")
                    ),
                    format!("add \"FARGATE\" to requiresCompatibilities of {} and fix what is reported there, or run on EC2 capacity", f.td.family),
                ));
            }
        }
        if l.fargate_spot && f.windows() {
            out.push(finding(
                "fargate-spot-windows",
                path.key("capacityProviderStrategy"),
                format!(
                    "task definition {} runs Windows containers, which Fargate Spot does not offer",
                    f.td.family
                ),
                "use the FARGATE capacity provider only for Windows tasks",
            ));
        }
        platform_version(req, f, out);
    }
    network(req, facts.as_ref(), l, out);
    l
}

/// Linux Fargate features that need platform version 1.4.0 or later.
fn platform_version(req: &Request, f: &Facts, out: &mut Vec<Finding>) {
    let Some(v) = req.platform_version else {
        return;
    };
    if f.windows() || v == "LATEST" {
        return;
    }
    let nums: Vec<u32> = v.split('.').filter_map(|p| p.parse().ok()).collect();
    if nums.len() != 3 || (nums[0], nums[1]) >= (1, 4) {
        return;
    }
    let mut needs = Vec::new();
    if f.cpu.is_some_and(crate::fargate::needs_platform_1_4) {
        needs.push(format!(
            "{} of cpu",
            crate::fargate::vcpu_words(f.cpu.unwrap_or(0))
        ));
    }
    if f.td
        .volumes
        .iter()
        .any(|v| v.extra.get("efsVolumeConfiguration").is_some())
    {
        needs.push("EFS volumes".to_string());
    }
    if f.td.extra.get("ephemeralStorage").is_some() {
        needs.push("ephemeralStorage".to_string());
    }
    if f.td
        .container_definitions
        .iter()
        .any(|c| !list(&c.extra, "environmentFiles").is_empty())
    {
        needs.push("environmentFiles".to_string());
    }
    if f.td.extra.get("pidMode").and_then(Value::as_str) == Some("task") {
        needs.push("pidMode task".to_string());
    }
    if !needs.is_empty() {
        out.push(finding(
            "fargate-platform-version",
            req.path.key("platformVersion"),
            format!(
                "platform version {v} is older than 1.4.0, which {} needs",
                super::and_list(&needs)
            ),
            "use \"platformVersion\": \"LATEST\" or \"1.4.0\"",
        ));
    }
}

fn network(req: &Request, f: Option<&Facts>, l: Launch, out: &mut Vec<Finding>) {
    let path = req.path;
    let awsvpc_conf = req
        .network
        .and_then(|n| n.get("awsvpcConfiguration"))
        .filter(|v| !v.is_null());
    let needs_awsvpc = match f {
        Some(f) => f.mode == NetworkMode::Awsvpc,
        None => l.fargate,
    };
    if needs_awsvpc && awsvpc_conf.is_none() {
        let why = match f {
            Some(f) => format!(
                "task definition {} uses the awsvpc network mode",
                f.td.family
            ),
            None => "tasks on Fargate use the awsvpc network mode".to_string(),
        };
        out.push(finding(
            "missing-network-configuration",
            path.key("networkConfiguration"),
            format!("{why}, so the {} must say which subnets and security groups the tasks' network interfaces use", req.what),
            "add \"networkConfiguration\": {\"awsvpcConfiguration\": {\"subnets\": [\"subnet-...\"], \"securityGroups\": [\"sg-...\"]}}",
        ));
    }
    if let (Some(f), Some(_)) = (
        f,
        req.network
            .filter(|n| n.as_object().is_some_and(|o| !o.is_empty())),
    ) {
        if f.mode != NetworkMode::Awsvpc {
            out.push(finding(
                "network-configuration-not-awsvpc",
                path.key("networkConfiguration"),
                format!("the {} has a networkConfiguration, but task definition {} does not use the awsvpc network mode", req.what, f.td.family),
                "remove networkConfiguration, or set the task definition's networkMode to awsvpc",
            ));
        }
    }
    if let Some(conf) = awsvpc_conf {
        let p = path.key("networkConfiguration").key("awsvpcConfiguration");
        let subnets = conf
            .get("subnets")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if subnets == 0 || subnets > MAX_SUBNETS {
            out.push(finding(
                "awsvpc-subnets",
                p.key("subnets"),
                if subnets == 0 { "awsvpcConfiguration lists no subnets".to_string() } else { format!("awsvpcConfiguration lists {subnets} subnets; at most {MAX_SUBNETS} are allowed") },
                "list 1 to 16 subnets of one VPC, ideally one per Availability Zone",
            ));
        }
        let groups = conf
            .get("securityGroups")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if groups > MAX_SECURITY_GROUPS {
            out.push(finding(
                "awsvpc-security-groups",
                p.key("securityGroups"),
                format!("awsvpcConfiguration lists {groups} security groups; at most {MAX_SECURITY_GROUPS} are allowed"),
                "merge rules into fewer security groups",
            ));
        }
    }
}

pub(super) fn check_service(
    svc: &Service,
    td: Option<&TaskDefinition>,
    path: &JsonPath,
    ctx: &Context,
    out: &mut Vec<Finding>,
) {
    if !is_plain_name(&svc.service_name, 255) {
        let problem = names::plain_name_problem(&svc.service_name, 255).unwrap_or_default();
        out.push(finding(
            "service-name",
            path.key("serviceName"),
            format!("the service name \"{}\" {problem}", svc.service_name),
            format!("use \"{}\"", names::cleaned(&svc.service_name, 255)),
        ));
    }
    let req = Request {
        path,
        launch_type: svc.launch_type,
        strategy: &svc.capacity_provider_strategy,
        network: svc.network_configuration.as_ref(),
        platform_version: svc.extra.get("platformVersion").and_then(Value::as_str),
        what: "service",
    };
    let l = common(&req, td, ctx, out);
    placement::request(
        td,
        &svc.placement_constraints,
        &svc.placement_strategy,
        path,
        l.fargate,
        out,
    );
    let daemon = svc.scheduling_strategy == Some(SchedulingStrategy::Daemon);
    let controller = svc.deployment_controller();
    if daemon {
        daemon_rules(svc, path, l, controller, out);
    } else if svc.desired_count.is_none() {
        out.push(finding(
            "missing-desired-count",
            path.clone(),
            format!(
                "service {} has no desiredCount; a REPLICA service needs one",
                svc.service_name
            ),
            "add \"desiredCount\": the number of tasks to keep running",
        ));
    }
    deployment(svc, path, daemon, controller, out);
    load_balancers(svc, td, path, l, ctx, out);
    auto_scaling(svc, path, daemon, out);
}

pub(super) fn check_run_task(
    task: &RunTask,
    td: Option<&TaskDefinition>,
    path: &JsonPath,
    ctx: &Context,
    out: &mut Vec<Finding>,
) {
    if let Some(n) = task.count {
        if n == 0 || n > MAX_RUN_TASK_COUNT {
            out.push(finding(
                "run-task-count",
                path.key("count"),
                format!("RunTask starts 1 to {MAX_RUN_TASK_COUNT} tasks per call; count is {n}"),
                if n == 0 { "use a count of at least 1".to_string() } else { format!("split it into {} requests of at most {MAX_RUN_TASK_COUNT}, or use a service", n.div_ceil(MAX_RUN_TASK_COUNT)) },
            ));
        }
    }
    let req = Request {
        path,
        launch_type: task.launch_type,
        strategy: &task.capacity_provider_strategy,
        network: task.network_configuration.as_ref(),
        platform_version: task.extra.get("platformVersion").and_then(Value::as_str),
        what: "task",
    };
    let l = common(&req, td, ctx, out);
    placement::request(
        td,
        &task.placement_constraints,
        &task.placement_strategy,
        path,
        l.fargate,
        out,
    );
}

fn daemon_rules(
    svc: &Service,
    path: &JsonPath,
    l: Launch,
    controller: &str,
    out: &mut Vec<Finding>,
) {
    if l.fargate {
        out.push(finding(
            "daemon-on-fargate",
            path.key("schedulingStrategy"),
            format!("service {} uses DAEMON scheduling on Fargate; daemons run one task per EC2 instance and Fargate has no instances", svc.service_name),
            "use REPLICA with a desiredCount, or run the daemon's work as a sidecar container in each task",
        ));
    }
    if svc.desired_count.is_some() {
        out.push(finding(
            "daemon-desired-count",
            path.key("desiredCount"),
            format!("service {} uses DAEMON scheduling, which runs one task per matching instance; it takes no desiredCount", svc.service_name),
            "remove desiredCount",
        ));
    }
    if !svc.placement_strategy.is_empty() {
        out.push(finding(
            "daemon-placement-strategy",
            path.key("placementStrategy"),
            format!("service {} uses DAEMON scheduling, which places one task on every matching instance; placement strategies do not apply", svc.service_name),
            "remove placementStrategy (use placementConstraints to choose the instances)",
        ));
    }
    if controller != "ECS" {
        out.push(finding(
            "daemon-deployment-controller",
            path.key("deploymentController").key("type"),
            format!("service {} uses DAEMON scheduling with the {controller} deployment controller; daemons deploy only with the ECS controller", svc.service_name),
            "remove deploymentController (ECS is the default), or use REPLICA scheduling",
        ));
    }
    if let Some(mp) = svc
        .deployment_configuration
        .as_ref()
        .and_then(|d| d.read().maximum_percent)
    {
        if mp != 100 {
            out.push(finding(
                "daemon-maximum-percent",
                path.key("deploymentConfiguration").key("maximumPercent"),
                format!("service {} uses DAEMON scheduling with maximumPercent {mp}; a daemon runs one task per instance, so it must stay 100", svc.service_name),
                "set maximumPercent to 100, or leave it out",
            ));
        }
    }
}

fn deployment(
    svc: &Service,
    path: &JsonPath,
    daemon: bool,
    controller: &str,
    out: &mut Vec<Finding>,
) {
    let dc = svc.deployment_configuration.as_ref().map(Written::read);
    let dc = dc.as_ref();
    let dp = path.key("deploymentConfiguration");
    let mhp = dc.and_then(|d| d.minimum_healthy_percent);
    let mp = dc.and_then(|d| d.maximum_percent);
    if let Some(m) = mhp {
        if !(0..=100).contains(&m) {
            out.push(finding(
                "deployment-percent-range",
                dp.key("minimumHealthyPercent"),
                format!("minimumHealthyPercent {m} is outside 0-100; it is the share of desiredCount that must stay healthy during a deployment"),
                "use a value from 0 to 100 (100 keeps full capacity, 50 allows replacing half at a time)",
            ));
        }
    }
    if let Some(m) = mp {
        if m < 0 {
            out.push(finding(
                "deployment-percent-range",
                dp.key("maximumPercent"),
                format!("maximumPercent {m} is negative"),
                "use 200 (the default) or another value of at least 100",
            ));
        } else if m < 100 && !daemon && controller == "ECS" {
            out.push(finding(
                "deployment-maximum-below-100",
                dp.key("maximumPercent"),
                format!("maximumPercent {m} caps deployments below the desired count, so the service runs short of tasks every time it deploys"),
                "use at least 100 (200, the default, lets ECS start the new tasks before stopping the old ones)",
            ));
        }
    }
    if controller != "ECS" {
        for key in ["deploymentCircuitBreaker", "alarms"] {
            let on = dc.is_some_and(|d| d.enabled(key));
            if on {
                out.push(finding(
                    "circuit-breaker-controller",
                    dp.key(key),
                    format!(
                        "service {} uses the {controller} deployment controller; {} only work with rolling updates (the ECS controller)",
                        svc.service_name,
                        if key == "alarms" { "deployment alarms" } else { "the deployment circuit breaker and its rollback" }
                    ),
                    format!("remove {key}, or use the ECS deployment controller"),
                ));
            }
        }
    }
    if daemon || controller != "ECS" {
        return;
    }
    let mhp = mhp.unwrap_or(100).clamp(0, 100);
    let mp = mp.unwrap_or(200).max(0);
    let mut counts: Vec<i64> = svc.desired_count.map(i64::from).into_iter().collect();
    if let Some(a) = svc.auto_scaling.as_ref().map(Written::read) {
        if let (Some(lo), Some(hi)) = (a.min_capacity, a.max_capacity) {
            counts.extend(
                (lo.max(1)..=hi.min(5000)).filter(|c| Some(*c) != svc.desired_count.map(i64::from)),
            );
        }
    }
    // Saturating: the schema keeps these to 32 bits in a plan, but the rules also run on bare
    // requests, and an overflow would panic (debug) or wrap (release) on a hostile value.
    for d in counts.into_iter().filter(|d| *d > 0) {
        let min_healthy = d.saturating_mul(mhp).saturating_add(99) / 100;
        let max_tasks = d.saturating_mul(mp) / 100;
        if min_healthy >= d && max_tasks <= d {
            let scaled = if Some(d) != svc.desired_count.map(i64::from) {
                " (a count auto scaling can reach)"
            } else {
                ""
            };
            out.push(finding(
                "deployment-cannot-progress",
                dp.clone(),
                format!(
                    "with {d} tasks{scaled}, minimumHealthyPercent {mhp} keeps all {min_healthy} running and maximumPercent {mp} allows no more than {max_tasks}, so a deployment can neither stop an old task nor start a new one",
                ),
                format!("raise maximumPercent to at least {} or lower minimumHealthyPercent to at most {}", (d.saturating_add(1).saturating_mul(100).saturating_add(d - 1)) / d, (d - 1).saturating_mul(100) / d),
            ));
            break;
        }
    }
}

fn load_balancers(
    svc: &Service,
    td: Option<&TaskDefinition>,
    path: &JsonPath,
    l: Launch,
    ctx: &Context,
    out: &mut Vec<Finding>,
) {
    let awsvpc = match td {
        Some(t) => t.network_mode == Some(NetworkMode::Awsvpc),
        None => l.fargate,
    };
    let mut said_ip = false;
    for (i, lb) in svc.load_balancers.iter().enumerate() {
        let p = path.key("loadBalancers").index(i);
        let tg = text(lb, "targetGroupArn").filter(|s| !s.is_empty());
        let classic = text(lb, "loadBalancerName").filter(|s| !s.is_empty());
        if classic.is_some() && tg.is_none() && awsvpc {
            out.push(finding(
                "classic-load-balancer-awsvpc",
                p.key("loadBalancerName"),
                format!("service {} uses a Classic Load Balancer with awsvpc tasks; Classic Load Balancers register instances, not task IP addresses", svc.service_name),
                "use an Application or Network Load Balancer target group of target type ip",
            ));
        }
        if tg.is_some() && awsvpc && !said_ip {
            said_ip = true;
            out.push(finding(
                "target-type-ip",
                p.key("targetGroupArn"),
                "awsvpc tasks register by IP address: the target group must have target type ip (instance target groups are for bridge and host tasks)",
                "create the target group with --target-type ip",
            ));
        }
        let Some(t) = td else { continue };
        let facts_path = JsonPath::root();
        let f = Facts::of(t, &facts_path, ctx);
        let name = text(lb, "containerName");
        let port = int(lb, "containerPort");
        if tg.is_some() && (name.is_none() || port.is_none()) {
            out.push(finding(
                "load-balancer-container",
                p.clone(),
                "a target group entry needs containerName and containerPort to know which container port to register",
                "add \"containerName\" and \"containerPort\" from the task definition",
            ));
        }
        let Some(name) = name else { continue };
        let Some((_, c)) = f.container_named(name) else {
            let names: Vec<&str> = t
                .container_definitions
                .iter()
                .map(|c| c.name.as_str())
                .collect();
            out.push(finding(
                "load-balancer-container",
                p.key("containerName"),
                format!(
                    "task definition {} has no container \"{name}\" for the load balancer",
                    t.family
                ),
                match crate::schema::did_you_mean(name, names.iter().copied()) {
                    Some(h) => format!("did you mean \"{h}\"?"),
                    None => format!("use one of: {}", names.join(", ")),
                },
            ));
            continue;
        };
        if let Some(port) = port {
            let mapped = c.port_mappings.iter().any(|pm| {
                pm.container_port.map(i64::from) == Some(port)
                    || pm
                        .extra
                        .get("containerPortRange")
                        .and_then(Value::as_str)
                        .and_then(|r| r.split_once('-'))
                        .is_some_and(|(a, b)| {
                            a.trim().parse::<i64>().is_ok_and(|a| a <= port)
                                && b.trim().parse::<i64>().is_ok_and(|b| port <= b)
                        })
            });
            if !mapped {
                let ports: Vec<String> = c
                    .port_mappings
                    .iter()
                    .filter_map(|pm| pm.container_port.map(|p| p.to_string()))
                    .collect();
                out.push(finding(
                    "load-balancer-container",
                    p.key("containerPort"),
                    format!(
                        "container \"{name}\" has no port mapping for port {port}{}",
                        if ports.is_empty() { String::new() } else { format!(" (it maps {})", ports.join(", ")) }
                    ),
                    match ports.first() {
                        Some(first) => format!("use containerPort {first}, or add a port mapping for {port}"),
                        None => format!("add \"portMappings\": [{{\"containerPort\": {port}}}] to the container"),
                    },
                ));
            }
        }
    }
    if awsvpc
        && svc
            .extra
            .get("role")
            .and_then(Value::as_str)
            .is_some_and(|r| !r.is_empty())
    {
        out.push(finding(
            "service-role-awsvpc",
            path.key("role"),
            format!("service {} sets a role, but with awsvpc tasks ECS uses its service-linked role for the load balancer and refuses a custom one", svc.service_name),
            "remove role",
        ));
    }
}

fn auto_scaling(svc: &Service, path: &JsonPath, daemon: bool, out: &mut Vec<Finding>) {
    let Some(a) = svc.auto_scaling.as_ref().map(Written::read) else {
        return;
    };
    let p = path.key("autoScaling");
    if daemon {
        out.push(finding(
            "daemon-auto-scaling",
            p.clone(),
            format!("service {} uses DAEMON scheduling, whose task count follows the instances; auto scaling its desired count has no effect", svc.service_name),
            "remove autoScaling, or scale the instances (capacity provider) instead",
        ));
    }
    let (lo, hi) = (a.min_capacity, a.max_capacity);
    if let (Some(lo), Some(hi)) = (lo, hi) {
        if lo > hi {
            out.push(finding(
                "auto-scaling-range",
                p.key("minCapacity"),
                format!("auto scaling minCapacity {lo} is above maxCapacity {hi}"),
                format!("set minCapacity to at most {hi}, or raise maxCapacity"),
            ));
        } else if let Some(d) = svc
            .desired_count
            .map(i64::from)
            .filter(|d| !daemon && (*d < lo || *d > hi))
        {
            out.push(finding(
                "auto-scaling-desired",
                path.key("desiredCount"),
                format!("desiredCount {d} is outside the auto scaling range {lo}-{hi}; the first scaling activity moves it to {}", d.clamp(lo, hi)),
                format!("set desiredCount to {}", d.clamp(lo, hi)),
            ));
        }
    }
    for (i, s) in a.scheduled_actions().iter().enumerate() {
        let Some(action) = &s.scalable_target_action else {
            continue;
        };
        if let (Some(lo), Some(hi)) = (action.min_capacity, action.max_capacity) {
            if lo > hi {
                out.push(finding(
                    "scheduled-action-range",
                    p.key("scheduledActions")
                        .index(i)
                        .key("ScalableTargetAction"),
                    format!(
                        "scheduled action {} sets MinCapacity {lo} above MaxCapacity {hi}",
                        s.name()
                    ),
                    format!("set MinCapacity to at most {hi}"),
                ));
            }
        }
    }
    let has_tg = svc
        .load_balancers
        .iter()
        .any(|lb| text(lb, "targetGroupArn").is_some_and(|s| !s.is_empty()));
    for (i, pol) in a.policies().iter().enumerate() {
        let Some(spec) = pol
            .target_tracking_scaling_policy_configuration
            .as_ref()
            .and_then(|t| t.predefined_metric_specification.as_ref())
        else {
            continue;
        };
        if spec.predefined_metric_type.as_deref() != Some("ALBRequestCountPerTarget") {
            continue;
        }
        let sp = p
            .key("policies")
            .index(i)
            .key("TargetTrackingScalingPolicyConfiguration")
            .key("PredefinedMetricSpecification");
        if spec.resource_label.as_deref().is_none_or(str::is_empty) {
            out.push(finding(
                "alb-request-count-label",
                sp.clone(),
                format!("policy {} tracks ALBRequestCountPerTarget without a ResourceLabel naming the load balancer and target group", pol.name()),
                "add \"ResourceLabel\": \"app/LB-NAME/LB-ID/targetgroup/TG-NAME/TG-ID\"",
            ));
        }
        if !has_tg {
            out.push(finding(
                "alb-request-count-without-target-group",
                sp,
                format!("policy {} tracks requests per target, but service {} has no target group, so the metric has no data", pol.name(), svc.service_name),
                "attach the service to the target group in loadBalancers, or track CPU or memory instead",
            ));
        }
    }
}
