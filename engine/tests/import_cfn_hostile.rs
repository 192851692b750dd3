//! CloudFormation templates built to make intrinsic functions expensive: `!Sub` variables whose
//! values are `!Sub`s that use their own variable several times (each level multiplies the work:
//! a 1.5 KB template once took longer than anyone would wait), `!Join` chains, and Ref and
//! Condition cycles. The importer's work is bounded by steps and text sizes, not by time: these
//! tests finish because the importer stops, and they check that it says where and why.

use engine::api::import::{self, Format, Options};
use serde_json::{json, Value};

/// A template whose task definition's `Family` is `family`.
fn template(family: Value) -> Value {
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "TaskDef": {
                "Type": "AWS::ECS::TaskDefinition",
                "Properties": {
                    "Family": family,
                    "ContainerDefinitions": [{"Name": "app", "Image": "nginx:1.27", "Memory": 256}]
                }
            }
        }
    })
}

/// `!Sub` nested `depth` levels, each level's template using the next level's variable `fan`
/// times: the fully evaluated text is `fan^depth` characters long.
fn nested_sub(depth: usize, fan: usize) -> Value {
    let mut v = json!("x");
    for level in (0..depth).rev() {
        let var = format!("v{level}");
        let text = format!("${{{var}}}").repeat(fan);
        v = json!({"Fn::Sub": [text, {var: v}]});
    }
    v
}

fn import_cfn(text: &str) -> Result<import::Imported, Vec<engine::api::findings::Finding>> {
    import::import_as(text, Format::CloudFormation, &Options::default())
}

#[test]
fn small_nested_subs_are_evaluated() {
    let t = template(nested_sub(3, 2));
    let imported = import_cfn(&t.to_string()).expect("imports");
    assert_eq!(imported.task_definitions[0].family, "xxxxxxxx");
}

#[test]
fn exponential_nested_subs_are_refused_with_the_place() {
    let t = template(nested_sub(30, 4));
    let text = serde_json::to_string(&t).unwrap();
    assert!(text.len() < 2000, "a small template: {} bytes", text.len());
    let err = import_cfn(&text).expect_err("refused");
    let f = err
        .iter()
        .find(|f| f.code == "cfn-too-complex")
        .unwrap_or_else(|| panic!("{err:?}"));
    assert!(f.is_error());
    assert!(
        f.path
            .to_string()
            .starts_with("Resources.TaskDef.Properties.Family"),
        "{}",
        f.path
    );
    assert!(f.line.is_some(), "located in the text");
    assert!(f.fix.is_some());
    // The same text pasted into the task definition editor goes through `detect` and `import`.
    assert_eq!(import::detect(&text), Format::CloudFormation);
    assert!(import::import(&text, &Options::default()).is_err());
}

#[test]
fn a_wide_sub_with_a_long_value_is_refused_for_its_size() {
    // One level, but 2 000 uses of a 1 000-character variable: 2 MB of text for a family name.
    let long = "y".repeat(1000);
    let t = template(json!({"Fn::Sub": ["${v}".repeat(2000), {"v": long}]}));
    let err = import_cfn(&t.to_string()).expect_err("refused");
    let f = err.iter().find(|f| f.code == "cfn-too-complex").unwrap();
    assert!(f.message.contains("KiB"), "{}", f.message);
}

#[test]
fn join_chains_are_bounded() {
    // A plain chain of `!Join`s, 35 levels deep (under JSON's nesting limit), evaluates;
    // one where each level holds a `!Sub` that doubles is stopped by the budget.
    let mut v = json!("a");
    for _ in 0..35 {
        v = json!({"Fn::Join": ["-", [v, "b"]]});
    }
    let imported = import_cfn(&template(v).to_string()).expect("a plain chain evaluates");
    assert_eq!(imported.task_definitions[0].family.len(), 1 + 35 * 2);
    let mut v = json!("a");
    for level in 0..20 {
        let var = format!("v{level}");
        v = json!({"Fn::Join": ["", [{"Fn::Sub": ["${x}${x}", {"x": v}]}, var]]});
    }
    let err = import_cfn(&template(v).to_string()).expect_err("refused");
    assert!(err.iter().any(|f| f.code == "cfn-too-complex"), "{err:?}");
}

#[test]
fn ref_and_condition_cycles_terminate() {
    // Conditions that refer to each other, a resource whose name is a `!Ref` to itself, a
    // `!Sub` of its own logical id: none of them is evaluated into a loop.
    let t = json!({
        "Conditions": {
            "A": {"Fn::Equals": [{"Condition": "B"}, "true"]},
            "B": {"Fn::Equals": [{"Condition": "A"}, "true"]}
        },
        "Parameters": {"P": {"Type": "String", "Default": {"Ref": "P"}}},
        "Resources": {
            "TaskDef": {
                "Type": "AWS::ECS::TaskDefinition",
                "Condition": "A",
                "Properties": {
                    "Family": {"Fn::If": ["A", {"Ref": "TaskDef"}, {"Fn::Sub": "${TaskDef}-${P}"}]},
                    "ContainerDefinitions": [{"Name": "app", "Image": {"Fn::Sub": "${TaskDef}"}, "Memory": 256}]
                }
            },
            "Svc": {
                "Type": "AWS::ECS::Service",
                "Properties": {"ServiceName": {"Ref": "Svc"}, "TaskDefinition": {"Ref": "TaskDef"}, "DesiredCount": 1}
            }
        }
    });
    match import_cfn(&t.to_string()) {
        Ok(i) => {
            assert_eq!(i.services.len(), 1);
            assert!(!i.notes.is_empty(), "the placeholders are noted");
        }
        Err(e) => assert!(
            e.iter().all(|f| f.line.is_some() || f.path.0.is_empty()),
            "{e:?}"
        ),
    }
}

#[test]
fn the_same_hostile_template_in_yaml() {
    // YAML short tags; the nesting here is of flow collections.
    let mut v = String::from("x");
    for level in (0..25).rev() {
        let var = format!("v{level}");
        v = format!(
            "!Sub [\"{}\", {{{var}: {v}}}]",
            format!("${{{var}}}").repeat(4)
        );
    }
    let yaml = format!(
        "Resources:\n  TaskDef:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: {v}\n      ContainerDefinitions:\n        - Name: app\n          Image: nginx\n          Memory: 256\n"
    );
    let err = import_cfn(&yaml).expect_err("refused");
    let f = err.iter().find(|f| f.code == "cfn-too-complex").unwrap();
    assert_eq!(f.line, Some(5), "{f:?}");
}
