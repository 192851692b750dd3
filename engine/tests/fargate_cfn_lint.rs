//! The engine's Fargate table agrees with cfn-lint's `fargate_cpu_memory.json` rule (read from
//! the shared fixtures, evaluated as JSON Schema by `common/json_schema.rs`).
//!
//! What "every pair from 128 to 131072" means here:
//! - memory: every multiple of 128 MiB from 128 to 131072 (128 GiB). Every Fargate size is a
//!   multiple of 512 MiB, so 128 MiB steps also test every value in between;
//! - cpu: every multiple of 128 units from 128 to 16384 (16 vCPU, the largest Fargate size),
//!   then every multiple of 1024 up to 131072, far beyond it;
//! - both as CloudFormation writes them (strings of digits) and as numbers;
//! - the unit forms the schema's `else` patterns accept (".25 vCPU", "2 GB", ...), for every
//!   vCPU value in the table and every whole number of GB from 1 to 128 plus 0.5, together with
//!   spellings the patterns refuse ("0.25 vCPU", "1.5 GB", "3 vCPU").
//!
//! The rule is Linux's table (cfn-lint does not look at the operating system), so it is
//! compared with `fargate::is_valid(.., Os::Linux)`; the engine's unit conversion is
//! `plan::units`.
mod common;
#[path = "common/json_schema.rs"]
mod json_schema;

use engine::api::fargate::{self, Os};
use engine::api::plan::units;
use serde_json::{json, Value};

fn rule() -> Option<Value> {
    let dir = common::fixtures()?;
    Some(common::json(
        &dir,
        "cfn-lint/aws_ecs_taskdefinition/fargate_cpu_memory.json",
    ))
}

fn cfn_accepts(rule: &Value, cpu: Value, memory: Value) -> bool {
    json_schema::valid(
        rule,
        &json!({"RequiresCompatibilities": ["FARGATE"], "Cpu": cpu, "Memory": memory}),
    )
}

fn cpu_values() -> Vec<u32> {
    (1..=128)
        .map(|k| k * 128)
        .chain((17..=128).map(|k| k * 1024))
        .collect()
}

/// The schema's branches (`then.anyOf`), each as its Cpu and Memory sub-schemas.
fn branches(rule: &Value) -> Vec<(Value, Value)> {
    let any = rule["then"]["anyOf"].as_array().expect("then.anyOf");
    any.iter()
        .map(|b| {
            (
                b["properties"]["Cpu"].clone(),
                b["properties"]["Memory"].clone(),
            )
        })
        .collect()
}

/// Which branches accept a value, as a bit set.
fn mask(schemas: &[Value], v: &Value) -> u64 {
    schemas
        .iter()
        .enumerate()
        .filter(|(_, s)| json_schema::valid(s, v))
        .fold(0, |m, (i, _)| m | (1 << i))
}

#[test]
fn every_numeric_pair_agrees() {
    let Some(rule) = rule() else { return };
    // The rule is `if FARGATE then anyOf [{Cpu: ..., Memory: ...}, ...]`: a pair is accepted
    // when one branch accepts both values. Each value is evaluated once per branch, and the
    // pairs are then combined; a sample of pairs is also evaluated on the whole schema to
    // check that reading.
    let b = branches(&rule);
    assert_eq!(b.len(), 7);
    let cpu_schemas: Vec<Value> = b.iter().map(|(c, _)| c.clone()).collect();
    let mem_schemas: Vec<Value> = b.iter().map(|(_, m)| m.clone()).collect();
    let memories: Vec<u32> = (1..=1024u32).map(|k| k * 128).collect();
    let mut checked = 0;
    let mut valid = 0;
    let mut disagreements = Vec::new();
    for form in ["string", "number"] {
        let v = |n: u32| {
            if form == "string" {
                json!(n.to_string())
            } else {
                json!(n)
            }
        };
        let mem_masks: Vec<u64> = memories
            .iter()
            .map(|m| mask(&mem_schemas, &v(*m)))
            .collect();
        for (ci, cpu) in cpu_values().into_iter().enumerate() {
            let cpu_mask = mask(&cpu_schemas, &v(cpu));
            for (mi, &memory) in memories.iter().enumerate() {
                let theirs = cpu_mask & mem_masks[mi] != 0;
                let ours = fargate::is_valid(cpu, memory, Os::Linux);
                checked += 1;
                valid += ours as usize;
                if theirs != ours {
                    disagreements.push(format!(
                        "cpu {cpu} memory {memory} ({form}): cfn-lint {theirs}, engine {ours}"
                    ));
                }
                if (ci * 1024 + mi) % 97 == 0 || ours {
                    assert_eq!(
                        cfn_accepts(&rule, v(cpu), v(memory)),
                        theirs,
                        "whole-schema evaluation of cpu {cpu} memory {memory}"
                    );
                }
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements, first: {:#?}",
        disagreements.len(),
        &disagreements[..disagreements.len().min(10)]
    );
    // 3 + 4 + 7 + 13 + 23 + 12 + 12 sizes, in both forms.
    assert_eq!(valid, 74 * 2);
    assert_eq!(checked, cpu_values().len() * 1024 * 2);
}

#[test]
fn every_unit_spelling_agrees() {
    let Some(rule) = rule() else { return };
    // Spellings AWS's conversion reads but cfn-lint's patterns do not: a leading zero.
    let known_differences = ["0.25 vCPU", "0.5 vCPU"];
    let cpus = [
        ".25 vCPU",
        ".25vcpu",
        "0.25 vCPU",
        ".5 vCPU",
        "0.5 vCPU",
        "1 vCPU",
        "1vCPU",
        "2 vcpu",
        "3 vCPU",
        "4 VCPU",
        "8 vCPU",
        "16 vCPU",
        "32 vCPU",
    ];
    let mut memories: Vec<String> = vec!["0.5 GB".into(), "0.5GB".into(), "1.5 GB".into()];
    memories.extend((1..=128).map(|g| format!("{g} GB")));
    memories.extend((1..=128).step_by(7).map(|g| format!("{g}gb")));
    let mut checked = 0;
    for c in cpus {
        for m in &memories {
            let ours = match (units::cpu_units(c), units::memory_mib(m)) {
                (Some(cu), Some(mm)) => fargate::is_valid(cu, mm, Os::Linux),
                _ => false,
            };
            let theirs = cfn_accepts(&rule, json!(c), json!(m));
            checked += 1;
            if theirs != ours {
                assert!(
                    known_differences.contains(&c) && ours && !theirs,
                    "cpu {c:?} memory {m:?}: cfn-lint {theirs}, engine {ours}"
                );
            }
        }
    }
    assert!(checked > 1500);
}

#[test]
fn mixed_forms_agree() {
    // A CPU in units with memory in GB, and the reverse, as templates often mix them.
    let Some(rule) = rule() else { return };
    for (cpu, memory, expected) in [
        ("1024", "2 GB", true),
        ("1 vCPU", "2048", true),
        ("512", "8 GB", false),
        ("16 vCPU", "120 GB", true),
        ("16 vCPU", "124 GB", false),
        ("8192", "60 GB", true),
    ] {
        let ours = fargate::is_valid(
            units::cpu_units(cpu).unwrap(),
            units::memory_mib(memory).unwrap(),
            Os::Linux,
        );
        assert_eq!(ours, expected, "engine: {cpu} / {memory}");
        assert_eq!(
            cfn_accepts(&rule, json!(cpu), json!(memory)),
            expected,
            "cfn-lint: {cpu} / {memory}"
        );
    }
}

#[test]
fn the_rule_only_applies_to_fargate() {
    // The schema's `if`: without FARGATE in RequiresCompatibilities, any size passes.
    let Some(rule) = rule() else { return };
    assert!(json_schema::valid(
        &rule,
        &json!({"RequiresCompatibilities": ["EC2"], "Cpu": "100", "Memory": "100"})
    ));
    assert!(!json_schema::valid(
        &rule,
        &json!({"RequiresCompatibilities": ["EC2", "FARGATE"], "Cpu": "100", "Memory": "100"})
    ));
}
