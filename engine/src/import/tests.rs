//! Unit tests of the importers (the conformance tests against fixtures are in `tests/`).

use super::*;

#[test]
fn detects_formats() {
    assert_eq!(detect(r#"{"schemaVersion": 1}"#), Format::Plan);
    assert_eq!(
        detect(r#"{"family": "a", "containerDefinitions": []}"#),
        Format::RegisterTaskDefinition
    );
    assert_eq!(
        detect(r#"{"taskDefinition": {"family": "a"}}"#),
        Format::DescribeTaskDefinition
    );
    assert_eq!(
        detect(r#"{"family": "a", "revision": 3, "containerDefinitions": []}"#),
        Format::DescribeTaskDefinition
    );
    assert_eq!(detect(r#"{"serviceName": "a"}"#), Format::CreateService);
    assert_eq!(detect(r#"{"taskDefinition": "a:1"}"#), Format::RunTask);
    assert_eq!(
        detect("Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n"),
        Format::CloudFormation
    );
    assert_eq!(
        detect("services:\n  web:\n    image: nginx\n"),
        Format::Compose
    );
    assert_eq!(detect("hello"), Format::Unknown);
    assert_eq!(detect(""), Format::Unknown);
    assert_eq!(detect(&"[".repeat(100_000)), Format::Unknown);
}
