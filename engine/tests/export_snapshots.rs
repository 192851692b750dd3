//! Snapshots of the CloudFormation and Terraform export of the default sample plan, so a
//! change in the output shows up in review (`cargo insta review`, or INSTA_UPDATE=always).

fn default_plan() -> engine::api::plan::Plan {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../public/plans/two-az-web.json"
    ))
    .unwrap();
    engine::api::plan::load(&text).plan.unwrap()
}

#[test]
fn cloudformation_of_the_default_plan() {
    let files =
        engine::api::export::export(&default_plan(), engine::api::export::Format::CloudFormation);
    insta::assert_snapshot!("two_az_web_template_yaml", files[0].content);
}

#[test]
fn terraform_of_the_default_plan() {
    let files =
        engine::api::export::export(&default_plan(), engine::api::export::Format::Terraform);
    insta::assert_snapshot!("two_az_web_main_tf", files[0].content);
}
