//! The condensed AWS model shipped in the engine must equal what `schema::botocore::condense`
//! makes of the official botocore models in the fixtures. Run with `ECS_PLANNER_BLESS=1` to
//! rewrite `engine/src/schema/aws-shapes.json` after a model update.
mod common;

use engine::api::schema::{botocore, Shapes};

#[test]
fn shipped_aws_shapes_match_the_botocore_models() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let mut all = Shapes::default();
    for (prefix, roots) in botocore::ROOTS {
        let file = match *prefix {
            "ecs" => "botocore/ecs.service-2.json",
            "aas" => "botocore/application-autoscaling.service-2.json",
            "asg" => "botocore/autoscaling.service-2.json",
            p => panic!("no model file for prefix {p}"),
        };
        let model = common::json(&dir, file);
        all.0.extend(
            botocore::condense(&model, prefix, roots)
                .expect("condense")
                .0,
        );
    }
    let expected = botocore::to_stored_json(&all);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/schema/aws-shapes.json");
    if std::env::var("ECS_PLANNER_BLESS").as_deref() == Ok("1") {
        std::fs::write(path, &expected).unwrap();
        return;
    }
    let shipped: Shapes = serde_json::from_str(engine::api::schema::AWS_SHAPES_JSON).unwrap();
    let diff: Vec<_> = all
        .0
        .iter()
        .filter(|(k, v)| shipped.0.get(*k) != Some(v))
        .map(|(k, _)| k.clone())
        .chain(
            shipped
                .0
                .keys()
                .filter(|k| !all.0.contains_key(*k))
                .cloned(),
        )
        .collect();
    assert!(
        diff.is_empty(),
        "aws-shapes.json differs from the botocore models in {} shapes (first: {:?}); rerun with ECS_PLANNER_BLESS=1",
        diff.len(),
        &diff[..diff.len().min(5)]
    );
}
