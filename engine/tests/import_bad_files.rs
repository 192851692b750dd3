//! Bad files get an error, never a panic or a hang: wrong types, every truncation of real
//! inputs (JSON and YAML), 50 MB of garbage, deeply nested brackets and indentation, alias
//! bombs. Each import is also timed: well under a second, whatever the input.

use engine::api::import::{self, Format, Options};
use std::time::{Duration, Instant};

const FORMATS: [Format; 8] = [
    Format::Plan,
    Format::RegisterTaskDefinition,
    Format::DescribeTaskDefinition,
    Format::CreateService,
    Format::RunTask,
    Format::CloudFormation,
    Format::Compose,
    Format::Unknown,
];

/// Every importer on `text`: returns how many failed; panics propagate; slow ones fail.
fn all_importers(text: &str, limit: Duration) -> usize {
    let mut failed = 0;
    let t = Instant::now();
    let _ = import::detect(text);
    for f in FORMATS {
        if import::import_as(text, f, &Options::default()).is_err() {
            failed += 1;
        }
    }
    let _ = import::import(text, &Options::default());
    assert!(
        t.elapsed() < limit,
        "importing {} bytes took {:?}",
        text.len(),
        t.elapsed()
    );
    failed
}

fn sample(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../public/plans/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn fifty_megabytes_of_garbage_is_an_error_quickly() {
    let mut s = String::with_capacity(50 << 20);
    let mut x: u32 = 12345;
    while s.len() < 50 << 20 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let c = b"{}[]:,\"' \n-!&*#abc123"[(x >> 16) as usize % 21] as char;
        s.push(c);
    }
    let t = Instant::now();
    for f in FORMATS {
        let e = import::import_as(&s, f, &Options::default()).unwrap_err();
        assert!(e.iter().any(|x| x.is_error()));
    }
    assert_eq!(import::detect(&s), Format::Unknown);
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    let e = import::compose(&s, None).unwrap_err();
    assert_eq!(e[0].code, "too-large");
}

#[test]
fn garbage_under_the_size_limit_is_an_error_quickly() {
    // 4 MB of YAML-ish noise gets to the parsers.
    let mut s = String::new();
    let mut x: u32 = 7;
    while s.len() < 4 << 20 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let pieces = [
            "a: ", "- ", "\n", "  ", "{", "}", "[", "]", "\"", "'", ": ", "&a ", "*a ", "!Ref ",
            "? ", "|\n", "#", "x", ",",
        ];
        s.push_str(pieces[(x >> 16) as usize % pieces.len()]);
    }
    assert_eq!(all_importers(&s, Duration::from_secs(20)), FORMATS.len());
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for text in [
        "[".repeat(100_000),
        "{\"a\":".repeat(100_000),
        format!("{}1{}", "[".repeat(200), "]".repeat(200)),
        // YAML nesting by indentation: no brackets at all.
        (0..10_000)
            .map(|i| format!("{}a:\n", " ".repeat(i)))
            .collect::<String>(),
        (0..10_000)
            .map(|i| format!("{}-\n", " ".repeat(i)))
            .collect::<String>(),
        "- ".repeat(50_000),
        format!(
            "services:\n  web:\n    image: {}x{}\n",
            "[".repeat(300),
            "]".repeat(300)
        ),
    ] {
        assert_eq!(
            all_importers(&text, Duration::from_secs(10)),
            FORMATS.len(),
            "{}",
            &text[..40.min(text.len())]
        );
    }
}

#[test]
fn alias_bombs_are_refused() {
    let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        s.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(", ")
        ));
    }
    s.push_str("services:\n  web:\n    image: nginx\n");
    let e = import::compose(&s, None).unwrap_err();
    assert_eq!(e[0].code, "yaml-syntax");
    assert!(e[0].message.contains("expands"), "{}", e[0].message);
}

#[test]
fn every_truncation_of_real_inputs_is_handled() {
    let compose = "services:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n    environment:\n      A: 1\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n      interval: 10s\n";
    let template = "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: t\n      ContainerDefinitions:\n        - Name: a\n          Image: !Ref Img\n          Memory: 128\n";
    let plan = sample("two-az-web.json");
    let td = engine::api::export::export(
        &engine::api::plan::load(&plan).plan.unwrap(),
        engine::api::export::Format::CliJson,
    )[0]
    .content
    .clone();
    for text in [compose.to_string(), template.to_string(), td, plan] {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let step = (chars.len() / 400).max(1);
        for (i, _) in chars.iter().step_by(step) {
            all_importers(&text[..*i], Duration::from_secs(2));
        }
    }
}

#[test]
fn wrong_types_everywhere_are_errors_or_notes() {
    let base = serde_json::json!({
        "family": "x",
        "containerDefinitions": [{"name": "a", "image": "b", "memory": 128, "portMappings": [{"containerPort": 80}]}],
        "cpu": "256"
    });
    let replacements = [
        serde_json::json!(null),
        serde_json::json!(true),
        serde_json::json!(-1),
        serde_json::json!("s"),
        serde_json::json!([]),
        serde_json::json!({}),
        serde_json::json!(1.5e300),
    ];
    let mut paths: Vec<Vec<String>> = Vec::new();
    fn collect(v: &serde_json::Value, at: Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(at.clone());
        match v {
            serde_json::Value::Object(o) => o
                .iter()
                .for_each(|(k, x)| collect(x, [at.clone(), vec![k.clone()]].concat(), out)),
            serde_json::Value::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, x)| collect(x, [at.clone(), vec![i.to_string()]].concat(), out)),
            _ => {}
        }
    }
    collect(&base, Vec::new(), &mut paths);
    for p in &paths {
        for r in &replacements {
            let mut v = base.clone();
            let mut cur = &mut v;
            for seg in p {
                cur = match cur {
                    serde_json::Value::Array(a) => &mut a[seg.parse::<usize>().unwrap()],
                    other => &mut other[seg.as_str()],
                };
            }
            *cur = r.clone();
            let text = serde_json::to_string(&v).unwrap();
            all_importers(&text, Duration::from_secs(2));
            // As YAML, through the CloudFormation and compose importers too.
            let yaml = engine::api::export::to_yaml(&v);
            all_importers(&yaml, Duration::from_secs(2));
        }
    }
}
