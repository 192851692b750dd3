//! ECS Managed Instances (launch type `MANAGED_INSTANCES`, capacity providers with a
//! `managedInstancesProvider`): the API model (botocore's `ManagedInstancesProvider`,
//! `InstanceLaunchTemplate`, `InstanceRequirementsRequest`) documents what a request may say,
//! but none of the Developer Guide pages the planner follows documents how Amazon ECS places
//! tasks on these instances, chooses their types, or scales them. The planner does not guess:
//! a warning says what it does instead (`docs/capacity.md`). Like [`super::scaling`]'s, these
//! codes have no entry in [`super::RULES`] (no page of their own).

use crate::findings::{Finding, JsonPath};
use crate::plan::{LaunchType, Plan};

const WHAT: &str = "ECS Managed Instances are not simulated: the AWS pages the planner follows do not document how Amazon ECS places tasks on them, picks their instance types or scales them";

/// A warning for each use of ECS Managed Instances, in plan order.
pub fn check(plan: &Plan, out: &mut Vec<Finding>) {
    let warn = |path: JsonPath, how: &str| {
        Finding::warning(
            "managed-instances-not-simulated",
            path,
            format!("{WHAT}; {how}"),
        )
        .with_fix("to simulate the capacity, use an Auto Scaling group capacity provider, the EC2 launch type or Fargate")
    };
    // CreateService / RunTask `launchType` (API model): "If you want to use Amazon ECS
    // Managed Instances, you must use the capacityProviderStrategy request parameter and omit
    // the launchType request parameter."
    let on_ec2 = "the planner places these tasks on the plan's container instances as the EC2 launch type (AWS: to use Managed Instances, a service or RunTask names a capacityProviderStrategy and omits launchType)";
    let root = JsonPath::root();
    for (i, s) in plan.services.iter().enumerate() {
        if s.launch_type == Some(LaunchType::ManagedInstances) {
            out.push(warn(
                root.key("services").index(i).key("launchType"),
                on_ec2,
            ));
        }
    }
    for (i, t) in plan.tasks.iter().enumerate() {
        if t.launch_type == Some(LaunchType::ManagedInstances) {
            out.push(warn(root.key("tasks").index(i).key("launchType"), on_ec2));
        }
    }
    if let Some(sim) = plan.settings.as_ref().and_then(|s| s.simulation.as_ref()) {
        for (i, t) in sim.run_tasks.iter().enumerate() {
            if t.launch_type == Some(LaunchType::ManagedInstances) {
                let p = root
                    .key("settings")
                    .key("simulation")
                    .key("runTasks")
                    .index(i)
                    .key("launchType");
                out.push(warn(p, on_ec2));
            }
        }
    }
    for (i, cp) in plan.cluster.capacity_providers.iter().enumerate() {
        if cp.extra.contains_key("managedInstancesProvider") {
            out.push(warn(
                root.key("cluster")
                    .key("capacityProviders")
                    .index(i)
                    .key("managedInstancesProvider"),
                "the planner launches no instance for this capacity provider (neither the types its instanceRequirements allow, nor infrastructureOptimization's scale-in of idle instances, nor autoRepairConfiguration's replacements): its tasks wait in PROVISIONING",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::load::load_value;
    use serde_json::json;

    // No page of the reference documents Managed Instances' placement or scaling (botocore's
    // ecs model documents only the request's shapes): the plan says so rather than guess.
    #[test]
    fn managed_instances_are_said_to_be_not_simulated_where_they_are_used() {
        let l = load_value(json!({
            "schemaVersion": 1,
            "cluster": {"capacityProviders": [{"name": "mi", "managedInstancesProvider": {
                "infrastructureRoleArn": "arn:aws:iam::111122223333:role/ecsInfrastructureRole",
                "instanceLaunchTemplate": {
                    "ec2InstanceProfileArn": "arn:aws:iam::111122223333:instance-profile/ecsInstance",
                    "networkConfiguration": {"subnets": ["subnet-1"]}}}}]},
            "taskDefinitions": [{"family": "app", "containerDefinitions": [
                {"name": "app", "image": "app:1", "cpu": 256, "memory": 512}]}],
            "services": [{"serviceName": "app", "taskDefinition": "app", "desiredCount": 1,
                "launchType": "MANAGED_INSTANCES"}]
        }));
        let paths: Vec<String> = l
            .findings
            .iter()
            .filter(|f| f.code == "managed-instances-not-simulated")
            .map(|f| f.path.to_string())
            .collect();
        assert_eq!(
            paths,
            vec![
                "services[0].launchType",
                "cluster.capacityProviders[0].managedInstancesProvider"
            ],
            "{:#?}",
            l.findings
        );
        assert!(
            l.plan.is_some(),
            "a warning keeps the plan: {:#?}",
            l.findings
        );
        // What the API model documents and the planner does not do is named in the finding.
        let msg = |i: usize| {
            l.findings
                .iter()
                .filter(|f| f.code == "managed-instances-not-simulated")
                .nth(i)
                .map(|f| f.message.clone())
                .unwrap()
        };
        assert!(msg(0).contains("omits launchType"), "{}", msg(0));
        for documented in [
            "instanceRequirements",
            "infrastructureOptimization",
            "autoRepairConfiguration",
            "PROVISIONING",
        ] {
            assert!(msg(1).contains(documented), "{documented}: {}", msg(1));
        }
    }
}
