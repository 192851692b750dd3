//! The sample plans shipped in `public/plans/` load without errors (they are what a new user
//! sees first).

use std::path::Path;

fn sample_plans() -> Vec<(String, String)> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../public/plans"));
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("public/plans exists") {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            out.push((name, std::fs::read_to_string(&p).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn every_sample_plan_loads_without_errors() {
    let plans = sample_plans();
    assert!(
        plans.len() >= 3,
        "at least three sample plans, found {}",
        plans.len()
    );
    for (name, text) in plans {
        let l = engine::api::plan::load(&text);
        let errors: Vec<String> = l.errors().map(|f| f.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        let plan = l.plan.unwrap();
        assert!(!plan.name.is_empty(), "{name} has a name");
        assert!(!plan.services.is_empty(), "{name} has services");
    }
}

#[test]
fn the_default_plan_is_a_two_az_ec2_cluster() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../public/plans/two-az-web.json"
    ))
    .unwrap();
    let plan = engine::api::plan::load(&text).plan.unwrap();
    assert_eq!(plan.cluster.availability_zones.len(), 2);
    for az in &plan.cluster.availability_zones {
        assert_eq!(
            plan.cluster
                .container_instances
                .iter()
                .filter(|i| &i.availability_zone == az)
                .count(),
            2
        );
    }
    assert!(
        plan.services.iter().any(|s| !s.load_balancers.is_empty()),
        "a service behind a load balancer"
    );
}
