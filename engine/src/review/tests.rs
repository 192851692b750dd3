//! The report's sections agree with the computations the other commands show, on the sample
//! plans; gates pass and fail; every format is well formed; a comparison shows a change.

use super::*;
use crate::placement::whatif::{self, Change};
use crate::sim::{deploy, simulate, DeployRequest};
use serde_json::{json, Value};

const SAMPLES: [&str; 3] = ["two-az-web", "fargate-spot", "mixed-memberof"];

fn sample_text(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../public/plans/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn reviewed(name: &str) -> (Plan, PlaceOptions, Report) {
    let text = sample_text(name);
    let plan = crate::load::load(&text).plan.unwrap();
    let opts = PlaceOptions::for_plan(&plan);
    let report = review_text(&text, &ReviewOptions::for_file(&format!("{name}.json")));
    (plan, opts, report)
}

#[test]
fn a_zone_loss_counts_daemon_tasks_apart_from_the_displaced_ones() {
    // ecs_services.md, "Daemon": one task per ACTIVE instance; a DRAINING instance's daemon
    // tasks stop. Losing us-east-1a stops its two agents (not replaced) and displaces its two
    // web tasks, which move to us-east-1b.
    let text = json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": [
            {"id": "i-a1", "instanceType": "m5.large", "availabilityZone": "us-east-1a"},
            {"id": "i-a2", "instanceType": "m5.large", "availabilityZone": "us-east-1a"},
            {"id": "i-b1", "instanceType": "m5.large", "availabilityZone": "us-east-1b"},
            {"id": "i-b2", "instanceType": "m5.large", "availabilityZone": "us-east-1b"}]},
        "taskDefinitions": [
            {"family": "agent", "containerDefinitions": [{"name": "a", "image": "agent:1", "cpu": 128, "memory": 128}]},
            {"family": "web", "containerDefinitions": [{"name": "w", "image": "web:1", "cpu": 256, "memory": 512}]}],
        "services": [
            {"serviceName": "agent", "taskDefinition": "agent", "schedulingStrategy": "DAEMON"},
            {"serviceName": "web", "taskDefinition": "web", "desiredCount": 4,
             "placementStrategy": [{"type": "spread", "field": "attribute:ecs.availability-zone"}]}]
    })
    .to_string();
    let r = review_text(&text, &ReviewOptions::for_file("daemons.json"));
    let res = r.resilience.as_ref().unwrap();
    let a = res
        .zones
        .iter()
        .find(|z| z.availability_zone.as_deref() == Some("us-east-1a"))
        .unwrap();
    assert_eq!(
        (a.daemon_stopped, a.displaced, a.moved, a.unplaced),
        (2, 2, 2, 0)
    );
    assert!(
        a.services.iter().all(|s| s.service == "web"),
        "{:?}",
        a.services
    );
    let md = render_markdown(&r);
    assert!(
        md.contains("Daemon tasks stop with their instances and are not replaced elsewhere"),
        "{md}"
    );
}

#[test]
fn resilience_matches_whatif_for_every_zone_and_the_worst_instance() {
    for name in SAMPLES {
        let (plan, opts, r) = reviewed(name);
        let res = r.resilience.as_ref().unwrap();
        let place = place(&plan, &opts);
        assert_eq!(res.zones.len(), place.cluster.azs.len(), "{name}");
        for z in &res.zones {
            let az = z.availability_zone.clone().unwrap();
            let w = whatif::what_if(&plan, &opts, &Change::LoseZone(az.clone())).unwrap();
            let unplaced = w.moved.iter().filter(|m| m.to.is_none()).count() as u32;
            assert_eq!(z.unplaced, unplaced, "{name} {az}");
            assert_eq!(z.displaced, w.moved.len() as u32, "{name} {az}");
            assert_eq!(z.standalone_lost, w.lost.len() as u32, "{name} {az}");
            assert_eq!(
                z.command,
                format!("ecsplan whatif {name}.json --lose-az {az}"),
                "the number names the command that shows it"
            );
            let per_service: u32 = z.services.iter().map(|s| s.unplaced).sum();
            assert_eq!(per_service, unplaced);
        }
        // The worst single instance is no better than any other instance's loss.
        if let Some(worst) = &res.worst_instance {
            for n in &place.cluster.nodes {
                let w = whatif::what_if(&plan, &opts, &Change::Remove(vec![n.id.clone()])).unwrap();
                let unplaced = w.moved.iter().filter(|m| m.to.is_none()).count() as u32;
                assert!(
                    (unplaced, w.moved.len() as u32) <= (worst.unplaced, worst.displaced),
                    "{name}: losing {} is worse than {}",
                    n.id,
                    worst.change
                );
            }
            assert_eq!(
                res.instances_tried, res.instances,
                "small clusters: every instance"
            );
        }
    }
}

#[test]
fn capacity_matches_fit_and_min_instances() {
    for name in SAMPLES {
        let (plan, opts, r) = reviewed(name);
        let c = r.capacity.as_ref().unwrap();
        for s in c.services.iter().filter(|s| !s.daemon) {
            let f = whatif::fit(&plan, &opts, &s.service).unwrap();
            assert_eq!(s.more_fit, f.more, "{name} {}", s.service);
            assert_eq!(s.limit, f.limit);
        }
        for m in &c.min_instances {
            let w = whatif::min_instances(&plan, &opts, &m.instance_type).unwrap();
            assert_eq!(m.count, w.count, "{name} {}", m.instance_type);
        }
        let board = crate::board::board(&plan, &place(&plan, &opts));
        assert_eq!(c.unplaced, board.totals.unplaced);
        assert_eq!(c.cpu.used, board.totals.cpu.used as u64);
        let zone_tasks: u32 = c.zones.iter().map(|z| z.tasks).sum();
        assert_eq!(
            zone_tasks, c.placed,
            "{name}: the zones hold every placed task"
        );
    }
}

#[test]
fn deployments_match_deploy() {
    for name in SAMPLES {
        let (plan, opts, r) = reviewed(name);
        let d = r.deployments.as_ref().unwrap();
        assert_eq!(d.services.len(), plan.services.len());
        for s in &d.services {
            match deploy(&plan, &DeployRequest::new(&s.service, None), &opts) {
                Ok(x) => {
                    assert_eq!(s.outcome, Some(x.outcome), "{name} {}", s.service);
                    assert_eq!(s.duration_seconds, Some(x.duration_seconds));
                    assert_eq!(s.reason, x.reason);
                }
                Err(e) => assert!(s.reason.contains(&e.to_string())),
            }
        }
    }
}

#[test]
fn scaling_and_cost_match_simulate() {
    for name in SAMPLES {
        let (plan, opts, r) = reviewed(name);
        let tl = simulate(&plan, 86_400, &opts);
        let s = r.scaling.as_ref().unwrap();
        for (i, x) in s.services.iter().enumerate() {
            let pending = tl
                .minutes
                .iter()
                .filter(|m| m.services[i].pending > 0)
                .count() as u32;
            assert_eq!(x.pending_minutes, pending, "{name} {}", x.service);
            let most = tl
                .minutes
                .iter()
                .map(|m| m.services[i].desired)
                .max()
                .unwrap();
            assert_eq!(x.desired_max, most);
        }
        let cost = tl.cost.unwrap();
        let c = r.cost.as_ref().unwrap();
        let month = |x: f64| (x * 730.0 * 3600.0 / cost.seconds as f64 * 100.0).round() / 100.0;
        assert_eq!(c.monthly_total, month(cost.total), "{name}");
        assert_eq!(c.all_fargate, month(cost.all_fargate));
        assert_eq!(c.all_fargate_spot, month(cost.all_fargate_spot));
        assert!(c.all_fargate_spot < c.all_fargate, "Spot is cheaper");
    }
}

fn with_gates(name: &str, gates: Value) -> String {
    let mut v: Value = serde_json::from_str(&sample_text(name)).unwrap();
    v["settings"]["review"] = json!({ "gates": gates });
    serde_json::to_string_pretty(&v).unwrap()
}

fn gate<'a>(r: &'a Report, name: &str) -> &'a gates::GateResult {
    r.gates.iter().find(|g| g.gate == name).unwrap()
}

#[test]
fn gates_pass_and_fail_with_evidence() {
    let text = with_gates(
        "two-az-web",
        json!({"noErrors": true, "survivesZoneLoss": true, "noStuckDeployments": true,
               "maxUtilizationPercent": 10, "requireCircuitBreaker": true,
               "maxMonthlyCostUsd": 1000000, "allTasksPlaced": true}),
    );
    let r = review_text(&text, &ReviewOptions::for_file("plan.json"));
    assert_eq!(r.gates.len(), 7);
    assert!(gate(&r, "noErrors").passed);
    assert!(
        gate(&r, "survivesZoneLoss").passed,
        "{:?}",
        gate(&r, "survivesZoneLoss")
    );
    assert!(gate(&r, "noStuckDeployments").passed);
    assert!(gate(&r, "allTasksPlaced").passed);
    assert!(gate(&r, "maxMonthlyCostUsd").passed);
    // 34 % of the CPU is reserved: over 10 %.
    let u = gate(&r, "maxUtilizationPercent");
    assert!(!u.passed && u.evidence.contains("limit 10 %"), "{u:?}");
    assert_eq!(u.command, "ecsplan place plan.json");
    // worker has no circuit breaker.
    let b = gate(&r, "requireCircuitBreaker");
    assert!(
        !b.passed && b.evidence.contains("circuit breaker off"),
        "{b:?}"
    );
    assert!(!r.summary.passed());
    assert_eq!(r.summary.gates_failed, 2);
    // Gates are located in the text, for SARIF.
    let line = text
        .lines()
        .position(|l| l.contains("\"maxUtilizationPercent\""))
        .unwrap() as u32
        + 1;
    assert_eq!(u.line, Some(line));
}

#[test]
fn losing_a_zone_that_cannot_be_absorbed_fails_the_gate() {
    // 2 × m5.large in us-east-1a, 1 in us-east-1b; an m5.large holds three 2 GiB tasks.
    let v = json!({
        "schemaVersion": 1,
        "cluster": {"availabilityZones": ["us-east-1a", "us-east-1b"], "containerInstances": [
            {"id": "a1", "instanceType": "m5.large", "availabilityZone": "us-east-1a"},
            {"id": "a2", "instanceType": "m5.large", "availabilityZone": "us-east-1a"},
            {"id": "b1", "instanceType": "m5.large", "availabilityZone": "us-east-1b"}]},
        "taskDefinitions": [{"family": "web", "containerDefinitions": [{"name": "web", "image": "x", "cpu": 512, "memory": 2048}]}],
        "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 6}],
        "settings": {"review": {"gates": {"survivesZoneLoss": true, "survivesInstanceLoss": true}}}
    });
    let text = serde_json::to_string_pretty(&v).unwrap();
    let r = review_text(&text, &ReviewOptions::for_file("small.json"));
    let z = gate(&r, "survivesZoneLoss");
    assert!(!z.passed, "{z:?}");
    let res = r.resilience.as_ref().unwrap();
    let a = res
        .zones
        .iter()
        .find(|z| z.availability_zone.as_deref() == Some("us-east-1a"))
        .unwrap();
    assert!(a.unplaced > 0);
    assert!(
        z.evidence
            .contains(&format!("{} left unplaced", a.unplaced)),
        "{z:?}"
    );
    assert_eq!(z.command, "ecsplan whatif small.json --lose-az us-east-1a");
    let check = r
        .checks
        .iter()
        .find(|c| c.id == "resilience.zone.us-east-1a")
        .unwrap();
    assert_eq!(check.gate.as_deref(), Some("survivesZoneLoss"));
    assert!(!r.summary.passed());
}

#[test]
fn an_unknown_gate_is_a_finding_at_its_path_and_never_a_panic() {
    let text = with_gates("two-az-web", json!({"survivesZoneLos": true}));
    let r = review_text(&text, &ReviewOptions::for_file("plan.json"));
    let f = findings::all(&r.findings)
        .find(|f| f.finding.path.to_string() == "settings.review.gates.survivesZoneLos")
        .expect("a finding at the unknown gate");
    assert!(f.finding.is_error());
    assert!(
        f.finding
            .fix
            .as_deref()
            .unwrap_or("")
            .contains("survivesZoneLoss")
            || f.finding.message.contains("survivesZoneLoss"),
        "a did-you-mean: {f:?}"
    );
    assert!(f.finding.line.is_some());
    assert!(r.summary.not_computed.is_some());
    assert!(r.capacity.is_none());
    // Still renders in every format.
    for s in [
        render_markdown(&r),
        render_html(&r),
        render_junit(&r),
        render_sarif(&r),
    ] {
        assert!(s.contains("survivesZoneLos"));
    }
    // A wrong type too.
    let text = with_gates("two-az-web", json!({"maxUtilizationPercent": "80"}));
    let r = review_text(&text, &ReviewOptions::for_file("plan.json"));
    assert!(r.findings.errors > 0);
}

#[test]
fn json_round_trips_and_xml_formats_are_well_formed() {
    for name in SAMPLES {
        let (_, _, r) = reviewed(name);
        let json = serde_json::to_string(&r).unwrap();
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r, "{name}");
        let junit = render_junit(&r);
        let doc = roxmltree::Document::parse(&junit).unwrap_or_else(|e| panic!("{name}: {e}"));
        let cases = doc
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .count();
        assert_eq!(cases, r.gates.len() + r.checks.len(), "{name}");
        let html = render_html(&r);
        let doc = roxmltree::Document::parse_with_options(
            &html,
            roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            doc.descendants().any(|n| n.has_tag_name("style")),
            "inline CSS"
        );
        assert!(
            !html.contains("<script") && !html.contains("<link") && !html.contains("src="),
            "self-contained"
        );
        let md = render_markdown(&r);
        for heading in [
            "## Summary",
            "## Resilience",
            "## Deployments",
            "## Cost per month",
            "## What this report does not check",
        ] {
            assert!(md.contains(heading), "{name}: {heading}");
        }
    }
}

#[test]
fn sarif_has_the_required_members_and_locates_findings() {
    let text = with_gates("two-az-web", json!({"survivesZoneLos": true}));
    let r = review_text(&text, &ReviewOptions::for_file("plans/my plan.json"));
    let s: Value = serde_json::from_str(&render_sarif(&r)).unwrap();
    assert_eq!(s["version"], "2.1.0");
    assert_eq!(s["$schema"], sarif::SARIF_SCHEMA);
    let run = &s["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "ecsplan");
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for res in results {
        assert!(res["message"]["text"].is_string());
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], res["ruleId"]);
        assert_eq!(
            res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "plans/my%20plan.json"
        );
    }
    let unknown = results
        .iter()
        .find(|x| {
            x["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                == "settings.review.gates.survivesZoneLos"
        })
        .unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("\"survivesZoneLos\""))
        .unwrap() as u64
        + 1;
    assert_eq!(
        unknown["locations"][0]["physicalLocation"]["region"]["startLine"],
        line
    );
    assert_eq!(unknown["level"], "error");
}

#[test]
fn a_comparison_shows_what_changed() {
    let old_text = sample_text("two-az-web");
    let mut v: Value = serde_json::from_str(&old_text).unwrap();
    let web = v["services"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["serviceName"] == "worker")
        .unwrap();
    web["desiredCount"] = json!(6);
    let new_text = serde_json::to_string_pretty(&v).unwrap();
    let old = review_text(&old_text, &ReviewOptions::for_file("old.json"));
    let new = review_text(&new_text, &ReviewOptions::for_file("new.json"));
    let r = compare(new, &old);
    let c = r.comparison.as_ref().unwrap();
    assert_eq!(c.against, "old.json");
    let placed = c
        .deltas
        .iter()
        .find(|d| d.measure == "worker: placed")
        .unwrap();
    assert_eq!((placed.old.as_str(), placed.new.as_str()), ("3", "6"));
    assert_eq!(placed.delta, "+3");
    assert!(c
        .deltas
        .iter()
        .any(|d| d.section == "cost" && d.measure == "worker per month" && d.changed));
    assert!(render_markdown(&r).contains("## Change from old.json"));
    // A plan against itself: nothing changed.
    let same = compare(old.clone(), &old);
    assert!(same.comparison.unwrap().deltas.iter().all(|d| !d.changed));
}

#[test]
fn commands_quote_file_names_for_the_shell() {
    let o = ReviewOptions::for_file("my plan's.json");
    assert_eq!(
        o.command("whatif", "--lose-az a"),
        "ecsplan whatif 'my plan'\\''s.json' --lose-az a"
    );
    let mut o = ReviewOptions::for_file("p.json");
    o.seed = Some(7);
    assert_eq!(o.command("place", ""), "ecsplan place p.json --seed 7");
    assert_eq!(o.command("validate", ""), "ecsplan validate p.json");
}

#[test]
fn hostile_names_are_escaped_in_every_format() {
    let mut v: Value = serde_json::from_str(&sample_text("two-az-web")).unwrap();
    let name = "web<script>alert(1)</script>&\u{1b}[2J\u{ffff}\"'|`x";
    v["services"][0]["serviceName"] = json!(name);
    v["workload"]["services"]
        .as_object_mut()
        .map(|m| m.remove("web").map(|w| m.insert(name.to_string(), w)));
    let text = serde_json::to_string(&v).unwrap();
    let r = review_text(&text, &ReviewOptions::for_file("x.json"));
    let html = render_html(&r);
    assert!(!html.contains("<script>"), "escaped");
    roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap();
    roxmltree::Document::parse(&render_junit(&r)).unwrap();
    let _: Value = serde_json::from_str(&render_sarif(&r)).unwrap();
    let md = render_markdown(&r);
    assert!(!md.contains("<script>"));
}
