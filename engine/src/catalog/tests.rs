use super::*;
use proptest::prelude::*;

fn builtin(name: &str) -> &'static InstanceType {
    Catalog::builtin()
        .get(name)
        .unwrap_or_else(|| panic!("{name} not in the catalog"))
}

#[test]
fn registered_cpu_is_vcpus_times_1024() {
    for t in Catalog::builtin() {
        assert_eq!(t.registered_cpu(), t.vcpus * 1024, "{}", t.name);
    }
    assert_eq!(builtin("m5.large").registered_cpu(), 2048);
    assert_eq!(builtin("c4.8xlarge").registered_cpu(), 36 * 1024);
}

/// memory-management.md: an m4.large (8 GiB advertised) reports 8373026816 bytes of total
/// memory, "which translates to 7985 MiB available for tasks".
#[test]
fn m4_large_registers_7985_mib() {
    let m4 = builtin("m4.large");
    assert_eq!(m4.memory_mib, 8192);
    assert_eq!(8_373_026_816u64 / (1024 * 1024), 7985);
    assert_eq!(m4.registered_memory_mib(0), 7985);
    let r = m4.registered(0, None);
    assert_eq!(
        (r.cpu, r.memory_mib, r.memory_basis),
        (2048, 7985, MemoryBasis::Known)
    );
}

/// memory-management.md: `ECS_RESERVED_MEMORY=256` registers the total memory minus 256 MiB.
#[test]
fn reserved_memory_is_subtracted() {
    let m4 = builtin("m4.large");
    assert_eq!(m4.registered_memory_mib(256), 7985 - 256);
    assert_eq!(m4.registered_memory_mib(u32::MAX), 0);
    let m5 = builtin("m5.large");
    let estimate = estimate_memtotal_mib(8192);
    assert_eq!(m5.registered_memory_mib(0), estimate);
    assert_eq!(m5.registered_memory_mib(100), estimate - 100);
    assert_eq!(
        m5.registered(100, None).memory_basis,
        MemoryBasis::Estimated
    );
    let own = m5.registered(100, Some(7800));
    assert_eq!(
        (own.memory_mib, own.memory_basis),
        (7700, MemoryBasis::Override)
    );
}

#[test]
fn memory_estimate_formula() {
    assert_eq!(estimate_memtotal_mib(8192), 8192 - 256 - 70);
    assert_eq!(estimate_memtotal_mib(0), 0);
    assert_eq!(estimate_memtotal_mib(50), 0);
    let mut last = 0;
    for nominal in (0..=2_000_000).step_by(97) {
        let e = estimate_memtotal_mib(nominal);
        assert!(e < nominal || nominal == 0);
        assert!(e >= last, "monotonic at {nominal}");
        last = e;
    }
    for t in Catalog::builtin() {
        assert!(t.registered_memory_mib(0) < t.memory_mib, "{}", t.name);
    }
}

/// container-instance-eni.md: a c5.large has 3 ENIs, the primary one included, so 2 awsvpc
/// tasks; with `awsvpcTrunking` its limit is 10 tasks.
#[test]
fn c5_large_awsvpc_limits() {
    let c5 = builtin("c5.large");
    assert_eq!(c5.max_enis, 3);
    assert_eq!(c5.awsvpc_task_limit(false), 2);
    assert_eq!(c5.awsvpc_task_limit(true), 10);
    // The same page's table: m5.xlarge 20 and m5.2xlarge 40 with trunking.
    assert_eq!(builtin("m5.xlarge").awsvpc_task_limit(true), 20);
    assert_eq!(builtin("m5.2xlarge").awsvpc_task_limit(true), 40);
}

#[test]
fn trunking_unsupported_keeps_the_eni_limit() {
    // T families, g4dn and the .metal sizes of m5/c5/r5 are not in the trunking table.
    for name in [
        "t3.micro",
        "t3.large",
        "g4dn.xlarge",
        "m5.metal",
        "r5.8xlarge",
        "m4.large",
    ] {
        let t = builtin(name);
        assert_eq!(t.trunk_task_limit, None, "{name}");
        assert_eq!(t.awsvpc_task_limit(true), t.max_enis - 1, "{name}");
    }
    assert_eq!(builtin("t3.micro").awsvpc_task_limit(true), 1);
}

#[test]
fn builtin_table_is_complete_and_consistent() {
    let c = Catalog::builtin();
    assert_eq!(c.len(), 193);
    let families = [
        "t2", "t3", "t3a", "t4g", "m4", "m5", "m5a", "m6i", "m6g", "m7i", "m7g", "c4", "c5", "c6i",
        "c6g", "c7g", "r4", "r5", "r6i", "r6g", "r7g", "g4dn", "g5", "p3",
    ];
    for f in families {
        assert!(c.iter().any(|t| t.family() == f), "family {f} missing");
    }
    for t in c {
        assert!(
            families.contains(&t.family()),
            "{}: unexpected family",
            t.name
        );
        assert!(
            t.vcpus > 0 && t.memory_mib >= 512 && t.max_enis >= 2,
            "{}",
            t.name
        );
        let graviton = t.family().ends_with('g');
        assert_eq!(
            t.architecture == Architecture::Arm64,
            graviton,
            "{}",
            t.name
        );
        assert_eq!(t.burstable, t.family().starts_with('t'), "{}", t.name);
        assert_eq!(
            t.gpus > 0,
            t.category == Category::AcceleratedComputing,
            "{}",
            t.name
        );
        assert_eq!(
            Category::for_family(t.family(), t.burstable, t.gpus),
            t.category,
            "{}",
            t.name
        );
        if let Some(limit) = t.trunk_task_limit {
            assert!(limit > t.awsvpc_task_limit(false), "{}", t.name);
        }
        assert_eq!(c.get(&t.name), Some(t));
    }
    // The index is sorted and covers every type once.
    let names: Vec<&str> = c
        .by_name
        .iter()
        .map(|&i| c.types[i as usize].name.as_ref())
        .collect();
    assert!(names.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(names.len(), c.len());
    assert_eq!(builtin("t3.nano").size(), "nano");
    assert_eq!(builtin("m7i.metal-48xl").family(), "m7i");
    assert!(c.get("m5.huge").is_none());
}

#[test]
fn search_for_the_palette() {
    let c = Catalog::builtin();
    let arm: Vec<_> = c.search("arm64").collect();
    assert!(!arm.is_empty() && arm.iter().all(|t| t.architecture == Architecture::Arm64));
    assert_eq!(c.search("graviton").count(), arm.len());

    let gpu: Vec<&str> = c.search("gpu").map(|t| t.family()).collect();
    assert!(gpu.iter().all(|f| ["g4dn", "g5", "p3"].contains(f)));
    assert_eq!(gpu.len(), 18);

    // A family name lists that family first, then longer names with the same prefix.
    let m5: Vec<&str> = c.search("M5").map(|t| t.name.as_ref()).collect();
    assert_eq!(m5[0], "m5.large");
    assert_eq!(m5.iter().filter(|n| n.starts_with("m5.")).count(), 9);
    assert!(m5[9].starts_with("m5a."));

    let xl: Vec<&str> = c
        .search("2xlarge arm64 memory")
        .map(|t| t.name.as_ref())
        .collect();
    assert_eq!(xl, ["r6g.2xlarge", "r7g.2xlarge"]);
    assert_eq!(c.search("c6g.").count(), 9);
    assert_eq!(c.search("burstable").count(), 28);
    assert_eq!(c.search("").count(), c.len());
    assert_eq!(c.search("nothing-like-this").count(), 0);
}

#[test]
fn suggest_did_you_mean() {
    let c = Catalog::builtin();
    assert_eq!(c.suggest("m5.larg"), Some("m5.large"));
    assert_eq!(c.suggest("m5large"), Some("m5.large"));
    assert_eq!(c.suggest(" M5.Large "), Some("m5.large"));
    assert_eq!(c.suggest("m5.2xl"), Some("m5.2xlarge"));
    assert_eq!(c.suggest("c5.xlarg"), Some("c5.xlarge"));
    assert_eq!(c.suggest("t3.mirco"), Some("t3.micro"));
    assert_eq!(c.suggest("r6g.lrage"), Some("r6g.large"));
    assert_eq!(
        c.suggest("m5.large"),
        None,
        "known names need no suggestion"
    );
    assert_eq!(c.suggest("banana"), None);
    assert_eq!(c.suggest(""), None);
}

const ONE: &str = r#"{"InstanceTypes": [{
    "InstanceType": "x9z.large", "BurstablePerformanceSupported": false, "FpgaInfo": null,
    "VCpuInfo": {"DefaultVCpus": 2}, "MemoryInfo": {"SizeInMiB": 16384},
    "NetworkInfo": {"MaximumNetworkInterfaces": 3},
    "ProcessorInfo": {"SupportedArchitectures": ["i386", "x86_64"]},
    "GpuInfo": {"Gpus": [{"Count": 2, "Name": "T4"}, {"Count": 1}]}
}]}"#;

#[test]
fn import_reads_the_fields_it_needs() {
    let types = import_describe_instance_types(ONE).unwrap();
    assert_eq!(types.len(), 1);
    let t = &types[0];
    assert_eq!(
        (
            t.name.as_ref(),
            t.vcpus,
            t.memory_mib,
            t.max_enis,
            t.architecture,
            t.gpus
        ),
        ("x9z.large", 2, 16384, 3, Architecture::X86_64, 3)
    );
    assert_eq!(
        (t.category, t.burstable, t.trunk_task_limit),
        (Category::AcceleratedComputing, false, None)
    );

    // The bare array and a single object are accepted too.
    let v: serde_json::Value = serde_json::from_str(ONE).unwrap();
    let array = v["InstanceTypes"].to_string();
    assert_eq!(import_describe_instance_types(&array).unwrap(), types);
    let single = v["InstanceTypes"][0].to_string();
    assert_eq!(import_describe_instance_types(&single).unwrap(), types);
    assert_eq!(
        import_describe_instance_types(r#"{"InstanceTypes": []}"#).unwrap(),
        vec![]
    );
}

fn import_err(json: &str) -> String {
    import_describe_instance_types(json)
        .unwrap_err()
        .to_string()
}

#[test]
fn import_errors_name_the_path() {
    let missing = ONE.replace(r#""SizeInMiB": 16384"#, r#""SizeInGiB": 16"#);
    assert_eq!(
        import_err(&missing),
        "InstanceTypes[0].MemoryInfo.SizeInMiB: missing"
    );
    let wrong = ONE.replace(r#""DefaultVCpus": 2"#, r#""DefaultVCpus": "2""#);
    assert_eq!(
        import_err(&wrong),
        "InstanceTypes[0].VCpuInfo.DefaultVCpus: expected a whole number, found a string"
    );
    let negative = ONE.replace(
        r#""MaximumNetworkInterfaces": 3"#,
        r#""MaximumNetworkInterfaces": -1"#,
    );
    assert!(import_err(&negative).starts_with(
        "InstanceTypes[0].NetworkInfo.MaximumNetworkInterfaces: expected a whole number"
    ));
    let zero = ONE.replace(r#""DefaultVCpus": 2"#, r#""DefaultVCpus": 0"#);
    assert_eq!(
        import_err(&zero),
        "InstanceTypes[0].VCpuInfo.DefaultVCpus: must be at least 1"
    );
    let i386 = ONE.replace(r#"["i386", "x86_64"]"#, r#"["i386"]"#);
    assert!(import_err(&i386)
        .starts_with("InstanceTypes[0].ProcessorInfo.SupportedArchitectures: lists neither"));
    let arch = ONE.replace(r#"["i386", "x86_64"]"#, r#"["arm64", 7]"#);
    assert_eq!(
        import_err(&arch),
        "InstanceTypes[0].ProcessorInfo.SupportedArchitectures[1]: expected a string, found a number"
    );
    let gpu = ONE.replace(r#"{"Count": 1}"#, r#"{"Count": null}"#);
    assert_eq!(
        import_err(&gpu),
        "InstanceTypes[0].GpuInfo.Gpus[1].Count: expected a whole number, found null"
    );
    let name = ONE.replace("x9z.large", "X9Z Large");
    assert!(import_err(&name).starts_with("InstanceTypes[0].InstanceType: \"X9Z Large\" is not"));
    let no_vcpu = ONE.replace("\"VCpuInfo\": {\"DefaultVCpus\": 2},", "");
    assert_eq!(import_err(&no_vcpu), "InstanceTypes[0].VCpuInfo: missing");
    let bare = r#"[{"InstanceType": 5}]"#;
    assert_eq!(
        import_err(bare),
        "[0].InstanceType: expected a string, found a number"
    );
    assert_eq!(
        import_err(r#"{"InstanceTypes": {}}"#),
        "InstanceTypes: expected an array, found an object"
    );
    assert!(import_err(r#"{"Reservations": []}"#)
        .starts_with("$: expected `aws ec2 describe-instance-types` output"));
    assert!(import_err("42").starts_with("$: expected an object"));
    assert_eq!(
        import_err(r#"[1]"#),
        "[0]: expected an object, found a number"
    );
    let e = import_describe_instance_types(r#"{"InstanceTypes": [{"Instan"#).unwrap_err();
    assert!(matches!(e, ImportError::Syntax { line: 1, .. }), "{e:?}");
    assert_eq!(e.path(), "$");
    assert!(
        e.to_string()
            .starts_with("$: not valid JSON: EOF while parsing"),
        "{e}"
    );
}

#[test]
fn import_of_every_truncation_is_an_error_not_a_panic() {
    for end in 0..ONE.len() {
        if ONE.is_char_boundary(end) {
            let e = import_describe_instance_types(&ONE[..end]).unwrap_err();
            assert!(!e.path().is_empty());
        }
    }
}

#[test]
fn with_imported_adds_and_replaces() {
    let base = Catalog::builtin();
    let mut imported = import_describe_instance_types(ONE).unwrap();
    // The user's own m4.large and c5.large: describe-instance-types says nothing of trunking
    // or measured memory, so the catalog's figures stay.
    for (name, mem) in [("m4.large", 8192), ("c5.large", 4096)] {
        let mut t = imported[0].clone();
        t.name = Cow::Owned(name.into());
        t.memory_mib = mem;
        t.gpus = 0;
        imported.push(t);
    }
    let c = base.with_imported(imported);
    assert_eq!(c.len(), base.len() + 1);
    assert_eq!(c.iter().last().unwrap().name, "x9z.large");
    assert_eq!(c.get("x9z.large").unwrap().gpus, 3);
    assert_eq!(c.get("m4.large").unwrap().registered_memory_mib(0), 7985);
    assert_eq!(c.get("c5.large").unwrap().awsvpc_task_limit(true), 10);
    assert_eq!(c.get("c5.large").unwrap().gpus, 0);
    assert_eq!(c.suggest("x9z.larg"), Some("x9z.large"));
    assert!(
        base.get("x9z.large").is_none(),
        "the built-in catalog is unchanged"
    );
}

#[test]
fn instance_type_json_round_trip() {
    let t = builtin("m4.large");
    let json = serde_json::to_string(t).unwrap();
    assert!(
        json.contains(r#""architecture":"x86_64""#)
            && json.contains(r#""category":"generalPurpose""#)
    );
    assert!(json.contains(r#""knownRegisteredMemoryMib":7985"#));
    let back: InstanceType = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, t);
    assert!(serde_json::from_str::<InstanceType>(&json.replace("vcpus", "vCpus")).is_err());
}

proptest! {
    #[test]
    fn import_never_panics_on_arbitrary_text(s in ".{0,200}") {
        if let Err(e) = import_describe_instance_types(&s) {
            prop_assert!(!e.path().is_empty());
        }
    }

    #[test]
    fn import_never_panics_on_json_shaped_text(
        s in r#"[\[\]{}",:0-9a-zA-Z. -]{0,120}"#,
        prefix in prop::sample::select(vec!["", "{\"InstanceTypes\":", "[", "[{\"InstanceType\":\"a.b\","])
    ) {
        let text = format!("{prefix}{s}");
        if let Err(e) = import_describe_instance_types(&text) {
            prop_assert!(!e.path().is_empty());
        }
    }

    #[test]
    fn import_never_panics_on_wrong_member_types(
        member in prop::sample::select(vec!["DefaultVCpus", "SizeInMiB", "MaximumNetworkInterfaces",
                                            "SupportedArchitectures", "GpuInfo", "Count", "InstanceType",
                                            "BurstablePerformanceSupported", "VCpuInfo"]),
        value in prop::sample::select(vec!["null", "true", "-3", "1.5", "1e40", "\"x\"", "[]", "{}", "[null]",
                                           "18446744073709551616", "4294967296"])
    ) {
        let v: serde_json::Value = serde_json::from_str(ONE).unwrap();
        let mut text = v.to_string();
        let needle = format!("\"{member}\":");
        if let Some(at) = text.find(&needle) {
            let start = at + needle.len();
            let rest = &text[start..];
            // Replace the member's value (up to the next top-level delimiter) with `value`.
            let mut depth = 0i32;
            let mut end = rest.len();
            for (i, ch) in rest.char_indices() {
                match ch {
                    '[' | '{' => depth += 1,
                    ']' | '}' if depth == 0 => { end = i; break; }
                    ']' | '}' => depth -= 1,
                    ',' if depth == 0 => { end = i; break; }
                    _ => {}
                }
            }
            text = format!("{}{}{}", &text[..start], value, &rest[end..]);
        }
        match import_describe_instance_types(&text) {
            Ok(types) => prop_assert_eq!(types.len(), 1),
            Err(e) => prop_assert!(!e.path().is_empty()),
        }
    }
}
