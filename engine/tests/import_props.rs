//! Property tests:
//! - any valid task definition (generated from the AWS model itself: every member of
//!   RegisterTaskDefinitionRequest can appear, with valid types, enums, lengths and ranges)
//!   exports to cli-json and re-imports to an equal model, and its CloudFormation template
//!   re-imports to an equal model too;
//! - import never panics on arbitrary text, nor on token soup that looks like JSON, YAML or
//!   CloudFormation.

use engine::api::export::{self, Format as Out};
use engine::api::import::{self, Format, Options};
use engine::api::plan::{Plan, TaskDefinition};
use engine::api::schema::{Shape, Shapes};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// A small deterministic generator (proptest picks the seed and shrinks it).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const CHARS: &[char] = &[
    'a', 'b', 'Z', '0', '9', '-', '_', '.', '/', ':', ' ', '"', '\\', '$', '{', '}', '#', 'é',
    '\n', '!', '*', '&',
];

fn gen_string(rng: &mut Rng, min: u64, max: u64) -> String {
    let lo = min.max(1);
    let hi = max.min(12).max(lo);
    let n = lo + rng.below(hi - lo + 1);
    (0..n)
        .map(|_| CHARS[rng.below(CHARS.len() as u64) as usize])
        .collect()
}

/// A valid value of `shape` (names and images of containers and the type of placement
/// constraints are always set: AWS requires them even though the model marks them optional).
fn gen(shapes: &Shapes, shape: &str, rng: &mut Rng, depth: usize) -> Value {
    match shapes.get(shape).unwrap_or(&Shape::Any) {
        Shape::Structure { .. } => {
            let (members, required) = shapes.structure(shape).unwrap();
            let mut o = Map::new();
            for (m, ms) in members {
                let forced = required.contains(&m)
                    || (shape == "ecs:ContainerDefinition" && (m == "name" || m == "image"))
                    || (shape.ends_with("PlacementConstraint") && m == "type");
                if forced || (depth < 5 && rng.chance(30)) {
                    o.insert(m.to_string(), gen(shapes, ms, rng, depth + 1));
                }
            }
            Value::Object(o)
        }
        Shape::List { member, min, max } => {
            let lo = min.unwrap_or(0);
            let hi = max.unwrap_or(3).min(3).max(lo);
            let n = if depth >= 5 {
                lo
            } else {
                lo + rng.below(hi - lo + 1)
            };
            Value::Array(
                (0..n)
                    .map(|_| gen(shapes, member, rng, depth + 1))
                    .collect(),
            )
        }
        Shape::Map { key, value } => {
            let n = if depth >= 5 { 0 } else { rng.below(3) };
            let mut o = Map::new();
            for _ in 0..n {
                let k = match gen(shapes, key, rng, depth + 1) {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                o.insert(k, gen(shapes, value, rng, depth + 1));
            }
            Value::Object(o)
        }
        Shape::String {
            values: Some(v), ..
        } => Value::String(v[rng.below(v.len() as u64) as usize].clone()),
        Shape::String { min, max, .. } => {
            Value::String(gen_string(rng, min.unwrap_or(0), max.unwrap_or(64)))
        }
        Shape::Integer { min, max } => {
            let lo = min.unwrap_or(0.0).max(0.0) as u64;
            let hi = max.unwrap_or(100_000.0).min(100_000.0) as u64;
            Value::from(lo + rng.below(hi.saturating_sub(lo) + 1))
        }
        Shape::Number { .. } => Value::from(rng.below(4000) as f64 / 4.0),
        Shape::Boolean => Value::Bool(rng.chance(50)),
        Shape::Timestamp => Value::String("2024-05-01T12:00:00Z".into()),
        Shape::Blob => Value::String("aGVsbG8=".into()),
        Shape::Any => Value::Null,
    }
}

fn valid_task_definition(seed: u64) -> (Value, TaskDefinition) {
    let shapes = Shapes::builtin();
    let mut rng = Rng(seed | 1);
    let v = gen(shapes, "ecs:RegisterTaskDefinitionRequest", &mut rng, 0);
    let mut f = Vec::new();
    engine::api::schema::check(
        &v,
        "ecs:RegisterTaskDefinitionRequest",
        &engine::api::findings::JsonPath::root(),
        &mut f,
    );
    assert!(f.is_empty(), "generator made an invalid request: {f:#?}");
    let td: TaskDefinition = serde_json::from_value(v.clone()).expect("typed view");
    (v, td)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn any_valid_model_round_trips_through_cli_json(seed in any::<u64>()) {
        let (_, td) = valid_task_definition(seed);
        let mut plan = Plan::empty("p");
        plan.task_definitions.push(td.clone());
        let file = &export::export(&plan, Out::CliJson)[0];
        prop_assert_eq!(import::detect(&file.content), Format::RegisterTaskDefinition);
        let back = import::register_task_definition(&file.content).map_err(|e| TestCaseError::fail(format!("{e:#?}")))?;
        prop_assert_eq!(&back.task_definitions[0], &td);
        prop_assert!(back.notes.is_empty());
        // Same bytes when exported again.
        let again = import::into_plan(&Plan::empty("p"), &back);
        prop_assert_eq!(&export::export(&again, Out::CliJson)[0].content, &file.content);
    }

    #[test]
    fn any_valid_model_round_trips_through_cloudformation(seed in any::<u64>()) {
        let (_, td) = valid_task_definition(seed);
        let mut plan = Plan::empty("p");
        plan.task_definitions.push(td.clone());
        let t = &export::export(&plan, Out::CloudFormation)[0].content;
        let back = import::cloudformation(t).map_err(|e| TestCaseError::fail(format!("{e:#?}\n{t}")))?;
        prop_assert_eq!(&back.task_definitions[0], &td, "{}", t);
    }

    #[test]
    fn import_never_panics_on_arbitrary_text(text in ".{0,400}") {
        let _ = import::detect(&text);
        let _ = import::import(&text, &Options::default());
        for f in [Format::CloudFormation, Format::Compose, Format::DescribeTaskDefinition, Format::RegisterTaskDefinition] {
            let _ = import::import_as(&text, f, &Options::default());
        }
    }

    #[test]
    fn import_never_panics_on_token_soup(tokens in prop::collection::vec(prop::sample::select(vec![
        "{", "}", "[", "]", ":", ",", "\"", "'", "\n", "  ", "- ", "&a ", "*a ", "<<: ", "!Ref ", "!GetAtt ", "!Sub ", "? ", "|", ">",
        "#", "~", "null", "true", "1", "-2.5e3", "0x1F", "\"services\"", "services:", "Resources:", "Type: AWS::ECS::TaskDefinition",
        "Properties:", "ContainerDefinitions:", "image:", "ports:", "\"8080:80\"", "healthcheck:", "interval: 1m", "depends_on:",
        "volumes:", "deploy:", "memory: 1g", "cpus: x", "\"containerDefinitions\"", "\"taskDefinition\"", "\"family\"", "${A:-b}", "$$",
    ]), 0..120)) {
        let text: String = tokens.concat();
        let _ = import::detect(&text);
        for f in [Format::CloudFormation, Format::Compose, Format::DescribeTaskDefinition, Format::RegisterTaskDefinition, Format::CreateService, Format::RunTask, Format::Plan] {
            let _ = import::import_as(&text, f, &Options::default());
        }
    }
}
