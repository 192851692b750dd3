//! Property tests: the rules never panic, whatever the task definition, service or document,
//! and every finding they make is a catalogued rule with a fix and a page.

use engine::api::findings::{Finding, JsonPath};
use engine::api::plan::{Service, TaskDefinition};
use engine::api::rules::{
    check_service, check_task_definition, check_task_definition_document, Context,
};
use proptest::prelude::*;
use serde_json::{json, Value};

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("web".to_string()),
        Just("init".to_string()),
        Just("db".to_string()),
        "[a-z]{1,3}",
        ".{0,8}"
    ]
}

fn small_int() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(0i64),
        Just(6),
        Just(512),
        Just(-1),
        Just(i64::MAX),
        Just(i64::MIN),
        -100_000i64..300_000
    ]
}

/// Any JSON value, a few levels deep: what a member might hold with the wrong type.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-zA-Z-]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn image() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("nginx".to_string()),
        Just("nginx:1.27".to_string()),
        Just("123456789012.dkr.ecr.eu-west-1.amazonaws.com/a:1".to_string()),
        Just("public.ecr.aws/x/y@sha256:0000000000000000000000000000000000000000000000000000000000000000".to_string()),
        "[a-zA-Z0-9./:@#_-]{0,40}",
        ".{0,300}",
    ]
}

fn container() -> impl Strategy<Value = Value> {
    (
        name(),
        image(),
        prop::option::of(small_int()),
        prop::option::of(small_int()),
        prop::option::of(small_int()),
        prop::option::of(any::<bool>()),
        prop::collection::vec((prop::option::of(0u32..70_000), prop::option::of(0u32..70_000), prop::option::of(prop_oneof![Just("tcp"), Just("udp")]), prop::option::of(".{0,9}")), 0..4),
        prop::collection::vec((name(), prop_oneof![Just("START"), Just("COMPLETE"), Just("SUCCESS"), Just("HEALTHY")]), 0..3),
        prop::collection::vec(".{0,12}", 0..3),
        prop::collection::vec(any_json(), 0..3),
        (any_json(), prop::option::of(prop::collection::vec(".{0,12}", 0..4))),
    )
        .prop_map(|(name, image, cpu, memory, reservation, essential, ports, deps, links, extras, (log, hc))| {
            let mut c = json!({"name": name, "image": image});
            if let Some(v) = cpu {
                c["cpu"] = json!(v);
            }
            if let Some(v) = memory {
                c["memory"] = json!(v);
            }
            if let Some(v) = reservation {
                c["memoryReservation"] = json!(v);
            }
            if let Some(v) = essential {
                c["essential"] = json!(v);
            }
            c["portMappings"] = ports
                .into_iter()
                .map(|(cp, hp, proto, range)| {
                    let mut m = json!({});
                    if let Some(v) = cp {
                        m["containerPort"] = json!(v);
                    }
                    if let Some(v) = hp {
                        m["hostPort"] = json!(v);
                    }
                    if let Some(v) = proto {
                        m["protocol"] = json!(v);
                    }
                    if let Some(v) = range {
                        m["containerPortRange"] = json!(v);
                    }
                    m
                })
                .collect();
            c["dependsOn"] = deps.into_iter().map(|(n, cond)| json!({"containerName": n, "condition": cond})).collect();
            c["links"] = json!(links);
            c["volumesFrom"] = json!([{"sourceContainer": "db"}]);
            c["mountPoints"] = json!([{"sourceVolume": "data", "containerPath": "data"}]);
            let keys = ["secrets", "environment", "environmentFiles", "linuxParameters", "repositoryCredentials", "stopTimeout", "privileged", "hostname"];
            for (k, v) in keys.iter().zip(extras) {
                c[*k] = v;
            }
            c["logConfiguration"] = match log {
                Value::Object(o) => json!({"logDriver": "awslogs", "options": o, "secretOptions": [{"name": "x", "valueFrom": "arn:aws:ssm"}]}),
                other => json!({"logDriver": "splunk", "options": {"x": other}}),
            };
            if let Some(cmd) = hc {
                c["healthCheck"] = json!({"command": cmd, "interval": 1, "retries": 99});
            }
            c
        })
}

fn task_definition() -> impl Strategy<Value = Value> {
    (
        name(),
        prop::collection::vec(container(), 0..12),
        prop::option::of(prop_oneof![Just("256".to_string()), Just("1 vCPU".to_string()), Just(".25 vcpu".to_string()), Just("99999999999".to_string()), Just("1e300 vCPU".to_string()), ".{0,8}"]),
        prop::option::of(prop_oneof![Just("512".to_string()), Just("2 GB".to_string()), Just("0.5GB".to_string()), Just("1e20 GB".to_string()), Just("-1".to_string()), ".{0,8}"]),
        prop::option::of(prop_oneof![Just("bridge"), Just("host"), Just("awsvpc"), Just("none")]),
        prop::sample::subsequence(vec!["EC2", "FARGATE", "EXTERNAL"], 0..3),
        prop::collection::vec((prop::option::of(name()), any_json()), 0..3),
        prop::collection::vec(".{0,30}", 0..3),
        (prop::option::of(prop_oneof![Just("LINUX"), Just("WINDOWS_SERVER_2019_CORE")]), any_json(), any_json()),
    )
        .prop_map(|(family, containers, cpu, memory, mode, compat, volumes, exprs, (os, eph, pid))| {
            let mut td = json!({"family": family, "containerDefinitions": containers, "requiresCompatibilities": compat});
            if let Some(v) = cpu {
                td["cpu"] = json!(v);
            }
            if let Some(v) = memory {
                td["memory"] = json!(v);
            }
            if let Some(v) = mode {
                td["networkMode"] = json!(v);
            }
            td["volumes"] = volumes
                .into_iter()
                .map(|(n, extra)| {
                    let mut v = json!({"efsVolumeConfiguration": extra, "host": {"sourcePath": "/x"}});
                    if let Some(n) = n {
                        v["name"] = json!(n);
                    }
                    v
                })
                .collect();
            td["placementConstraints"] = exprs.into_iter().map(|e| json!({"type": "memberOf", "expression": e})).collect();
            if let Some(os) = os {
                td["runtimePlatform"] = json!({"operatingSystemFamily": os, "cpuArchitecture": "ARM64"});
            }
            td["ephemeralStorage"] = eph;
            td["pidMode"] = pid;
            td
        })
}

fn service() -> impl Strategy<Value = Value> {
    (
        name(),
        prop::option::of(0u32..20_000),
        prop::option::of(prop_oneof![Just("EC2"), Just("FARGATE")]),
        prop::collection::vec((prop_oneof![Just("FARGATE"), Just("FARGATE_SPOT"), Just("cp"), Just("x")], prop::option::of(0u32..1001), prop::option::of(0u32..5)), 0..4),
        prop::option::of(prop_oneof![Just("REPLICA"), Just("DAEMON")]),
        (small_int(), small_int(), small_int(), small_int()),
        prop::collection::vec(any_json(), 0..3),
        any_json(),
    )
        .prop_map(|(name, desired, launch, strategy, sched, (mhp, mp, lo, hi), lbs, net)| {
            let mut s = json!({"serviceName": name, "taskDefinition": "web"});
            if let Some(d) = desired {
                s["desiredCount"] = json!(d);
            }
            if let Some(l) = launch {
                s["launchType"] = json!(l);
            }
            s["capacityProviderStrategy"] = strategy
                .into_iter()
                .map(|(p, w, b)| json!({"capacityProvider": p, "weight": w, "base": b}))
                .collect();
            if let Some(x) = sched {
                s["schedulingStrategy"] = json!(x);
            }
            s["deploymentConfiguration"] = json!({"minimumHealthyPercent": mhp, "maximumPercent": mp, "deploymentCircuitBreaker": {"enable": true, "rollback": true}});
            s["deploymentController"] = json!({"type": "EXTERNAL"});
            s["autoScaling"] = json!({"minCapacity": lo, "maxCapacity": hi, "policies": [{"TargetTrackingScalingPolicyConfiguration": {"PredefinedMetricSpecification": {"PredefinedMetricType": "ALBRequestCountPerTarget"}}}], "scheduledActions": [{"ScalableTargetAction": {"MinCapacity": hi, "MaxCapacity": lo}}]});
            s["loadBalancers"] = json!(lbs);
            s["networkConfiguration"] = net;
            s["placementStrategy"] = json!([{"type": "binpack"}, {"type": "spread", "field": "attribute:"}, {"type": "random", "field": "x"}]);
            s
        })
}

fn well_formed(findings: &[Finding]) -> Result<(), TestCaseError> {
    for f in findings {
        let rule = engine::api::rules::rule(&f.code);
        prop_assert!(
            rule.is_some()
                || [
                    "unknown-field",
                    "wrong-type",
                    "invalid-enum",
                    "missing-field",
                    "out-of-range",
                    "invalid-value"
                ]
                .contains(&f.code.as_str()),
            "uncatalogued code {}",
            f.code
        );
        if let Some(r) = rule {
            prop_assert_eq!(f.severity, r.severity);
            prop_assert!(
                f.fix.as_deref().is_some_and(|x| !x.is_empty()),
                "{} without a fix",
                f.code
            );
            prop_assert_eq!(f.doc.as_deref(), Some(r.doc));
            prop_assert!(!f.message.is_empty());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn task_definition_rules_never_panic(v in task_definition()) {
        // Some generated values do not deserialize (e.g. a negative port); those are the loader's job.
        if let Ok(td) = serde_json::from_value::<TaskDefinition>(v.clone()) {
            let out = check_task_definition(&td, &JsonPath::root().key("taskDefinitions").index(0));
            well_formed(&out)?;
        }
        well_formed(&check_task_definition_document(&v).findings)?;
    }

    #[test]
    fn service_rules_never_panic(s in service(), v in task_definition()) {
        let td = serde_json::from_value::<TaskDefinition>(v).ok();
        if let Ok(svc) = serde_json::from_value::<Service>(s) {
            let ctx = Context { region: Some("us-east-1"), ..Context::default() };
            well_formed(&check_service(&svc, td.as_ref(), &JsonPath::root(), &ctx))?;
            well_formed(&check_service(&svc, None, &JsonPath::root(), &ctx))?;
        }
    }

    #[test]
    fn documents_never_panic(v in any_json()) {
        let _ = check_task_definition_document(&v);
        let _ = check_task_definition_document(&json!({"taskDefinition": v.clone(), "tags": v}));
    }
}
