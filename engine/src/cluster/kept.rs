//! The loader's resolution of the cluster, kept in the plan ([`Plan::kept`]) for placement:
//! every placement resolved the 5 000 instances of ECS's quotas again (ten strings each, a
//! twentieth of a placement) although the loader had just done it. What is kept carries the
//! parts of the plan it was resolved from and is used only while the plan still says the same
//! (its fields are public and the board edits them in place); otherwise the cluster is
//! resolved again, as before.

use super::{plan_catalog, resolve, ClusterModel};
use crate::catalog::Catalog;
use crate::findings::Finding;
use crate::plan::{Cluster, Kept, Plan};
use serde_json::Value;
use std::sync::Arc;

/// A resolution and what it was resolved from.
struct Resolution {
    cluster: Cluster,
    types: Vec<Value>,
    region: String,
    model: Arc<ClusterModel>,
    findings: Vec<Finding>,
}

impl Resolution {
    fn holds_for(&self, plan: &Plan) -> bool {
        self.cluster == plan.cluster
            && self.types == plan.ec2_instance_types
            && self.region == plan.region
    }
}

/// The loader's resolution: the findings of the plan's catalog, else those of resolving its
/// cluster, which is then kept in the plan for [`resolved`].
pub fn resolve_and_keep(plan: &mut Plan) -> Vec<Finding> {
    let catalog = match plan_catalog(plan) {
        Ok(c) => c,
        Err(f) => return vec![*f],
    };
    let (model, findings) = resolve(plan, &catalog);
    plan.kept = Kept::new(Resolution {
        cluster: plan.cluster.clone(),
        types: plan.ec2_instance_types.clone(),
        region: plan.region.clone(),
        model: Arc::new(model),
        findings: findings.clone(),
    });
    findings
}

/// The plan's cluster resolved, with the findings that make a placement on it incomplete (a
/// catalog that does not read: the built-in one is used; unknown instance types): the one the
/// loader kept while the plan still says what it was resolved from, else resolved now.
pub fn resolved(plan: &Plan) -> (Arc<ClusterModel>, Vec<Finding>) {
    if let Some(kept) = plan.kept.get::<Resolution>() {
        if kept.holds_for(plan) {
            return (kept.model.clone(), kept.findings.clone());
        }
    }
    let (catalog, mut findings) = match plan_catalog(plan) {
        Ok(c) => (c, Vec::new()),
        Err(f) => (Catalog::builtin().clone(), vec![*f]),
    };
    let (model, more) = resolve(plan, &catalog);
    findings.extend(more);
    (Arc::new(model), findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_value;
    use crate::plan::InstanceStatus;

    /// What resolving the plan now gives, as placement resolved it before anything was kept.
    fn fresh(plan: &Plan) -> (ClusterModel, Vec<Finding>) {
        let mut plain = plan.clone();
        plain.kept = Kept::default();
        let (model, findings) = resolved(&plain);
        (ClusterModel::clone(&model), findings)
    }

    fn now(plan: &Plan) -> (ClusterModel, Vec<Finding>) {
        let (model, findings) = resolved(plan);
        (ClusterModel::clone(&model), findings)
    }

    /// A loaded plan's kept cluster is the one resolved now; after each edit of what it was
    /// resolved from (an instance drained, its type, its attributes, one removed, an instance
    /// type of the plan's own catalog, the region), the cluster resolved is the edited plan's,
    /// never the kept one. Fails if the kept cluster is used for a plan that no longer says
    /// what it was resolved from.
    #[test]
    fn the_kept_cluster_is_used_only_while_the_plan_says_the_same() {
        let q = testkit::quota::Quota::scaled(0.01).seed(4).unplaced(3);
        let plan = load_value(q.plan()).plan.expect("quota plans load");
        assert!(
            plan.kept.get::<Resolution>().is_some(),
            "the loader keeps its cluster"
        );
        assert_eq!(now(&plan), fresh(&plan));
        let first = resolved(&plan).0;
        assert!(
            Arc::ptr_eq(&first, &resolved(&plan.clone()).0),
            "a copy shares it"
        );

        let edits: Vec<fn(&mut Plan)> = vec![
            |p| p.cluster.container_instances[0].status = InstanceStatus::Draining,
            |p| p.cluster.container_instances[1].instance_type = "c5.large".into(),
            |p| p.cluster.container_instances[2].instance_type = "m9.huge".into(),
            |p| {
                p.cluster.container_instances[0]
                    .attributes
                    .insert("tier".into(), "gold".into());
            },
            |p| {
                p.cluster.container_instances.remove(0);
            },
            |p| p.cluster.availability_zones.push("us-east-1f".into()),
            |p| {
                p.cluster.container_instances[2].instance_type = "m9.huge".into();
                p.ec2_instance_types.push(serde_json::json!({
                    "InstanceType": "m9.huge",
                    "VCpuInfo": {"DefaultVCpus": 4},
                    "MemoryInfo": {"SizeInMiB": 16384},
                    "NetworkInfo": {"MaximumNetworkInterfaces": 3},
                    "ProcessorInfo": {"SupportedArchitectures": ["x86_64"]}
                }))
            },
            |p| p.region = "eu-west-1".into(),
        ];
        for (k, edit) in edits.iter().enumerate() {
            let mut edited = plan.clone();
            edit(&mut edited);
            assert_eq!(now(&edited), fresh(&edited), "edit {k}");
            if edited.region == plan.region {
                assert_ne!(
                    now(&edited),
                    now(&plan),
                    "edit {k} changes the cluster or findings"
                );
            }
        }
    }
}
