//! Fuzzing kept in the repository: structure-aware mutations of real inputs (the sample plans,
//! their CloudFormation templates in YAML and JSON, describe-task-definition output, compose
//! files, share links, `memberOf` expressions) fed to the plan loader, every importer, the
//! share-link decoder and the cluster query language, and for what loads, to the rules,
//! placement, export and the share link's round trip.
//!
//! Each target runs a fixed number of cases: `FUZZ_CASES` (default 64, a few seconds each in a
//! debug build, so `cargo xtask test` runs them every time); `FUZZ_CASES=20000 cargo test
//! --release -p ecs-planner-engine --test fuzz` runs them longer by hand
//! (`docs/hostile-input.md` reports such runs). The property is that nothing panics; the work
//! is bounded by the engine's own limits (sizes, steps, nesting), and a hang would show as a run
//! that does not end — the tests assert no timings. A failure prints the minimal input proptest
//! found; `proptest-regressions/` keeps it for the next runs.

use engine::api::export::{self, Format as ExportFormat};
use engine::api::import::{self, Format, Options};
use engine::api::placement::{place, PlaceOptions};
use engine::api::plan::{load, load_value, Plan};
use engine::api::review::{review, ReviewOptions};
use proptest::prelude::*;
use serde_json::{json, Value};

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        // Shrinking a big text takes long; the first failure is what matters here.
        max_shrink_iters: 256,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Seeds: real inputs.

/// A seed list computed once per test binary.
macro_rules! once {
    ($name:ident, $make:ident) => {
        fn $name() -> &'static [String] {
            static CELL: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
            CELL.get_or_init($make)
        }
    };
}

once!(sample_texts, read_samples);
once!(templates, make_templates);
once!(described, make_described);

fn read_samples() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../public/plans");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

fn sample_plans() -> &'static [Plan] {
    static CELL: std::sync::OnceLock<Vec<Plan>> = std::sync::OnceLock::new();
    CELL.get_or_init(|| sample_texts().iter().filter_map(|t| load(t).plan).collect())
}

/// The sample plans' CloudFormation templates, as exported (YAML) and as JSON.
fn make_templates() -> Vec<String> {
    let mut out = Vec::new();
    for p in sample_plans() {
        let yaml = export::export(p, ExportFormat::CloudFormation)
            .remove(0)
            .content;
        if let Ok(doc) = import::yaml::parse(&yaml) {
            out.push(serde_json::to_string_pretty(&doc.value).unwrap());
        }
        out.push(yaml);
    }
    out
}

/// `aws ecs describe-task-definition` output for the samples' task definitions.
fn make_described() -> Vec<String> {
    let mut out = Vec::new();
    for p in sample_plans() {
        for (i, td) in p.task_definitions.iter().enumerate() {
            let mut v = serde_json::to_value(td).unwrap();
            v["taskDefinitionArn"] = json!(format!(
                "arn:aws:ecs:us-east-1:123456789012:task-definition/{}:{}",
                td.family,
                i + 1
            ));
            v["revision"] = json!(i + 1);
            v["status"] = json!("ACTIVE");
            v["compatibilities"] = json!(["EC2", "FARGATE"]);
            v["requiresAttributes"] =
                json!([{"name": "com.amazonaws.ecs.capability.docker-remote-api.1.18"}]);
            out.push(
                serde_json::to_string_pretty(&json!({"taskDefinition": v, "tags": []})).unwrap(),
            );
        }
    }
    out
}

const COMPOSE: &[&str] = &[
    "services:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\", \"443:443/tcp\"]\n    mem_limit: 256m\n    cpus: 0.5\n    environment:\n      - A=1\n      - B=${B:-two}\n    depends_on: [db]\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost\"]\n      interval: 30s\n  db:\n    image: postgres:16\n    volumes: [\"data:/var/lib/postgresql/data\"]\n    deploy:\n      resources:\n        limits: {cpus: '1', memory: 1G}\n        reservations: {memory: 512M}\nvolumes:\n  data: {}\n",
    "x-common: &common\n  restart: always\n  logging:\n    driver: json-file\nservices:\n  api:\n    <<: *common\n    image: ghcr.io/acme/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n    command: [\"serve\", \"--port\", \"3000\"]\n    ports:\n      - target: 3000\n        published: 3000\n        protocol: tcp\n    secrets: [token]\n  worker:\n    <<: *common\n    image: acme/worker:2\n    entrypoint: /bin/sh -c 'run \"$$JOB\"'\nsecrets:\n  token:\n    file: ./token.txt\n",
];

const CQL: &[&str] = &[
    "attribute:ecs.instance-type == t2.small",
    "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
    "attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d",
    "ec2InstanceId in ['i-abcd1234', 'i-wxyz7890']",
    "runningTasksCount == 0",
    "registeredAt < 2016-11-01",
    "agentVersion != 1.12.0 or attribute:ecs.os-type == linux",
    "not(task:group == database)",
    "task:group == service:production and (attribute:stack exists or attribute:color !exists)",
    "agentConnected == true && attribute:ecs.ami-id != ami-1234",
];

// ---------------------------------------------------------------------------------------------
// Mutations.

/// Text that tends to matter to parsers, numbers, intrinsics and YAML.
const DICTIONARY: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "null",
    "true",
    "-1",
    "0",
    "1e308",
    "-0.0",
    "4294967296",
    "2147483648",
    "9223372036854775807",
    "18446744073709551616",
    "\\u0000",
    "\\ud800",
    "\\\"",
    "\u{1b}[2J",
    "\u{85}",
    "\u{feff}",
    "\u{fffe}",
    "\u{202e}",
    "\n",
    "\r\n",
    "\t",
    "  ",
    "- ",
    "? ",
    "&a ",
    "*a",
    "<<: *a",
    "!Ref X",
    "!Sub '${X}${X}'",
    "!GetAtt A.B",
    "{\"Ref\": \"A\"}",
    "{\"Fn::Sub\": [\"${v}${v}\", {\"v\": {\"Fn::Sub\": \"${w}${w}\"}}]}",
    "{\"Fn::Join\": [\"\", [\"a\", {\"Ref\": \"AWS::Region\"}]]}",
    "${",
    "${!Literal}",
    "$$",
    "\"desiredCount\": 100000",
    "\"count\": 11",
    "\"cpu\": \"1 vCPU\"",
    "\"memory\": \"0.5 GB\"",
    "\"schemaVersion\": 2",
    "\"launchType\": \"FARGATE\"",
    "\"schedulingStrategy\": \"DAEMON\"",
    " and ",
    " or ",
    "not(",
    ")",
    "(",
    "=~",
    " in [",
    "'",
    "attribute:",
    "task:group",
    ".*",
    "(?=x)",
    "\\1",
    "[a-z&&[^e]]",
    "~",
    "#",
    "%",
    "|",
    ">",
    "--- ",
    "...",
    "!!binary ",
    "0x1F",
];

#[derive(Debug, Clone)]
enum Op {
    /// Replace the byte at a position.
    Flip(usize, u8),
    /// Delete up to n bytes at a position.
    Delete(usize, usize),
    /// Insert a dictionary entry at a position.
    Insert(usize, usize),
    /// Copy a slice to another position (repeats structures).
    Duplicate(usize, usize, usize),
    /// Cut the text at a position.
    Truncate(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Op::Flip(p, b)),
        2 => (any::<usize>(), 1usize..32).prop_map(|(p, n)| Op::Delete(p, n)),
        4 => (any::<usize>(), 0..DICTIONARY.len()).prop_map(|(p, d)| Op::Insert(p, d)),
        2 => (any::<usize>(), 1usize..256, any::<usize>()).prop_map(|(a, n, b)| Op::Duplicate(a, n, b)),
        1 => any::<usize>().prop_map(Op::Truncate),
    ]
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(op(), 1..12)
}

/// `seed` with the mutations applied, as text (invalid UTF-8 replaced, as a browser would).
fn mutate(seed: &str, ops: &[Op]) -> String {
    let mut b = seed.as_bytes().to_vec();
    for o in ops {
        let len = b.len().max(1);
        match *o {
            Op::Flip(p, x) => {
                if !b.is_empty() {
                    b[p % len] = x;
                }
            }
            Op::Delete(p, n) => {
                let p = p % len;
                let end = (p + n).min(b.len());
                if p < end {
                    b.drain(p..end);
                }
            }
            Op::Insert(p, d) => {
                let p = (p % (b.len() + 1)).min(b.len());
                b.splice(p..p, DICTIONARY[d].bytes());
            }
            Op::Duplicate(a, n, to) => {
                if !b.is_empty() {
                    let a = a % b.len();
                    let piece: Vec<u8> = b[a..(a + n).min(b.len())].to_vec();
                    let to = to % (b.len() + 1);
                    b.splice(to..to, piece);
                }
            }
            Op::Truncate(p) => b.truncate(p % len),
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

// ---------------------------------------------------------------------------------------------
// What runs on each input.

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

/// Tasks a plan asks for, to keep placement in the fuzz loop cheap (the planner's limits are
/// tested on their own).
fn small(plan: &Plan) -> bool {
    let tasks: u64 = plan
        .services
        .iter()
        .map(|s| u64::from(s.desired_count.unwrap_or(0)))
        .chain(plan.tasks.iter().map(|t| u64::from(t.count.unwrap_or(1))))
        .sum();
    tasks <= 2_000 && plan.cluster.container_instances.len() <= 500
}

/// Everything a loaded plan goes through: placement, every export, the share link.
fn use_plan(plan: &Plan) {
    if small(plan) {
        let _ = place(plan, &PlaceOptions::for_plan(plan));
    }
    for f in ExportFormat::ALL {
        let _ = export::export(plan, f);
    }
    let link = engine::api::share::decode(&engine::api::share::encode(plan));
    assert!(
        link.plan.is_some(),
        "a plan's own link opens: {:?}",
        link.findings
    );
}

fn load_and_use(text: &str) {
    let loaded = load(text);
    assert!(
        loaded.plan.is_some() || loaded.has_errors(),
        "a plan is withheld only with an error"
    );
    if let Some(plan) = loaded.plan {
        use_plan(&plan);
    }
}

fn import_everything(text: &str) {
    let _ = import::detect(text);
    let options = Options::default();
    for f in FORMATS {
        if let Ok(i) = import::import_as(text, f, &options) {
            // What an import gives can be added to a plan and loaded.
            let base = Plan::empty("fuzz");
            let merged = import::into_plan(&base, &i);
            let _ = load(&merged.to_json());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile values in well-formed plans.

/// Values a plan's fields should not hold (or should, somewhere else): wrong types, bounds,
/// huge and negative numbers, names of other parts of the model.
fn hostile_values() -> Vec<Value> {
    vec![
        json!(0),
        json!(-1),
        json!(1),
        json!(2147483647),
        json!(4294967296u64),
        json!(1e308),
        json!(0.5),
        json!(5000),
        json!(100000),
        json!(65535),
        json!(""),
        json!("0"),
        json!("abc"),
        Value::Null,
        json!([]),
        json!({}),
        json!(true),
        json!("FARGATE"),
        json!("FARGATE_SPOT"),
        json!("DAEMON"),
        json!("awsvpc"),
        json!("bridge"),
        json!("host"),
        json!("binpack"),
        json!("spread"),
        json!("instanceId"),
        json!("attribute:ecs.availability-zone"),
        json!("us-east-1z"),
    ]
}

#[derive(Debug, Clone)]
enum ValueOp {
    /// Replace the value at the n-th path (pre-order) with a hostile value of the same JSON
    /// type (the loader refuses most wrong types at once, so these reach the engine).
    Set(usize, usize),
    /// Replace it with any hostile value.
    SetAny(usize, usize),
    /// Remove the value at the n-th path from its object or array.
    Remove(usize),
    /// Append a copy of the n-th path's value to its array (more instances, services, ...).
    Repeat(usize),
}

fn value_ops() -> impl Strategy<Value = Vec<ValueOp>> {
    let one = prop_oneof![
        6 => (any::<usize>(), any::<usize>()).prop_map(|(p, v)| ValueOp::Set(p, v)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(p, v)| ValueOp::SetAny(p, v)),
        2 => any::<usize>().prop_map(ValueOp::Remove),
        1 => any::<usize>().prop_map(ValueOp::Repeat),
    ];
    prop::collection::vec(one, 1..5)
}

/// Every path of `v` but the root, in pre-order.
fn value_paths(v: &Value, at: &mut Vec<Vec<Seg>>, here: &mut Vec<Seg>) {
    let children: Vec<(Seg, &Value)> = match v {
        Value::Object(m) => m.iter().map(|(k, c)| (Seg::Key(k.clone()), c)).collect(),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, c)| (Seg::Index(i), c))
            .collect(),
        _ => return,
    };
    for (seg, child) in children {
        here.push(seg);
        at.push(here.clone());
        value_paths(child, at, here);
        here.pop();
    }
}

#[derive(Debug, Clone)]
enum Seg {
    Key(String),
    Index(usize),
}

fn at_mut<'a>(v: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, seg| match seg {
        Seg::Key(k) => v.get_mut(k.as_str()),
        Seg::Index(i) => v.get_mut(*i),
    })
}

fn mutate_values(plan: &mut Value, ops: &[ValueOp]) {
    let values = hostile_values();
    for op in ops {
        let mut paths = Vec::new();
        value_paths(plan, &mut paths, &mut Vec::new());
        if paths.is_empty() {
            return;
        }
        let pick = |n: usize| &paths[n % paths.len()];
        match *op {
            ValueOp::Set(p, v) => {
                if let Some(slot) = at_mut(plan, pick(p)) {
                    let same: Vec<&Value> = values
                        .iter()
                        .filter(|h| std::mem::discriminant(*h) == std::mem::discriminant(slot))
                        .collect();
                    if !same.is_empty() {
                        *slot = same[v % same.len()].clone();
                    }
                }
            }
            ValueOp::SetAny(p, v) => {
                if let Some(slot) = at_mut(plan, pick(p)) {
                    *slot = values[v % values.len()].clone();
                }
            }
            ValueOp::Remove(p) => {
                let (last, parent) = pick(p).split_last().expect("not the root");
                match (at_mut(plan, parent), last) {
                    (Some(Value::Object(m)), Seg::Key(k)) => {
                        m.remove(k);
                    }
                    (Some(Value::Array(a)), Seg::Index(i)) => {
                        a.remove(*i);
                    }
                    _ => {}
                }
            }
            ValueOp::Repeat(p) => {
                let (last, parent) = pick(p).split_last().expect("not the root");
                if let (Some(Value::Array(a)), Seg::Index(i)) = (at_mut(plan, parent), last) {
                    let copy = a[*i].clone();
                    a.push(copy);
                }
            }
        }
    }
}

/// A loaded plan through everything the review runs: placement, every service's forced
/// deployment, the loss of each zone and instance, a simulated scaling window with its cost.
/// The review runs on plans with errors too (the page's review view and `ecsplan review` do).
fn review_everything(plan: Value) {
    let loaded = load_value(plan);
    if let Some(p) = &loaded.plan {
        if !small(p) {
            return;
        }
        use_plan(p);
        let opts = ReviewOptions {
            file: "fuzz.json".into(),
            seed: None,
            duration: 7_200,
        };
        let report = review(&loaded, &opts);
        let _ = engine::api::review::render_markdown(&report);
    }
}

// ---------------------------------------------------------------------------------------------
// Targets.

proptest! {
    #![proptest_config(config())]

    #[test]
    fn plan_loader(seed in 0usize..16, ops in ops()) {
        let seeds = sample_texts();
        let text = mutate(&seeds[seed % seeds.len()], &ops);
        load_and_use(&text);
    }

    #[test]
    fn plan_loader_on_json_token_soup(tokens in prop::collection::vec(0..DICTIONARY.len(), 0..64)) {
        let text: String = tokens.iter().map(|t| DICTIONARY[*t]).collect();
        load_and_use(&text);
        load_and_use(&format!("{{\"schemaVersion\": 1, \"services\": [{text}]}}"));
    }

    #[test]
    fn import_describe_output(seed in 0usize..16, ops in ops()) {
        let seeds = described();
        import_everything(&mutate(&seeds[seed % seeds.len()], &ops));
    }

    #[test]
    fn import_cloudformation(seed in 0usize..16, ops in ops()) {
        let seeds = templates();
        import_everything(&mutate(&seeds[seed % seeds.len()], &ops));
    }

    #[test]
    fn import_compose(seed in 0usize..4, ops in ops()) {
        import_everything(&mutate(COMPOSE[seed % COMPOSE.len()], &ops));
    }

    #[test]
    fn share_link_decoder(seed in 0usize..16, ops in ops(), inner in ops()) {
        let plans = sample_plans();
        let plan = &plans[seed % plans.len()];
        // The link's characters mutated...
        let link = engine::api::share::encode(plan);
        let loaded = engine::api::share::decode(&mutate(&link, &ops));
        if let Some(p) = loaded.plan {
            use_plan(&p);
        }
        // ...and a well-formed link around a mutated plan.
        use base64::Engine;
        let json = mutate(&serde_json::to_string(plan).unwrap(), &inner);
        let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6);
        let link = format!("plan=v1.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed));
        if let Some(p) = engine::api::share::decode(&link).plan {
            use_plan(&p);
        }
    }

    #[test]
    fn cluster_query_language(seed in 0usize..16, ops in ops()) {
        let expr = mutate(CQL[seed % CQL.len()], &ops);
        let parsed = engine::api::cql::parse(&expr);
        if let Ok(e) = &parsed {
            // What parses prints to something that parses the same.
            let again = engine::api::cql::parse(&e.to_string());
            prop_assert_eq!(again.as_ref().ok(), Some(e));
        }
        // And evaluated through placement, on every instance of a sample cluster.
        let mut plan: Value = serde_json::from_str(&sample_texts()[0]).unwrap();
        plan["services"][0]["placementConstraints"] = json!([{"type": "memberOf", "expression": expr}]);
        load_and_use(&plan.to_string());
    }

    #[test]
    fn plan_values_through_the_review(seed in 0usize..16, ops in value_ops()) {
        let seeds = sample_texts();
        let mut plan: Value = serde_json::from_str(&seeds[seed % seeds.len()]).unwrap();
        mutate_values(&mut plan, &ops);
        review_everything(plan);
    }
}
