//! The page's time view runs a day in slices (`engine::api::sim::Progressive`); `ecsplan
//! simulate` runs it in one go (`simulate`). Both must give the same timeline: here for every
//! learn scenario that measures a simulation, over the seconds it measures (its first variant's
//! starting plan). The sample plans and a plan with planned deployments are checked beside
//! `Progressive` (engine/src/sim/progressive.rs).

use engine::api::learn::Scenario;
use engine::api::placement::PlaceOptions;
use engine::api::sim::{simulate, Progressive};
use serde_json::Value;
use std::path::PathBuf;

fn learn_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../public/learn/scenarios"
    ))
}

#[test]
fn slices_give_simulates_timeline_for_every_learn_scenario_that_simulates() {
    let mut names: Vec<String> = std::fs::read_dir(learn_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let mut checked = Vec::new();
    for name in names {
        let path = learn_dir().join(&name);
        let text = std::fs::read_to_string(&path).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        let Some(seconds) = v["measures"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
            .filter(|m| m["of"] == "simulation")
            .filter_map(|m| m["seconds"].as_u64())
            .max()
        else {
            continue;
        };
        let mut scenario = Scenario::parse(&text).unwrap();
        if let Some(file) = scenario.plan_file().map(str::to_string) {
            let plan = std::fs::read_to_string(learn_dir().join(file)).unwrap();
            scenario.resolve_plan_file(&plan).unwrap();
        }
        let plan = scenario.variant(0).unwrap().start;
        let opts = PlaceOptions::for_plan(&plan);
        let seconds = seconds as u32;
        let whole = simulate(&plan, seconds, &opts);
        let (sliced, cost) = Progressive::new(&plan, seconds, &opts, 900).finish();
        assert_eq!(
            sliced, whole,
            "{name}: the sliced run differs from simulate"
        );
        assert_eq!(cost.last().map(|c| c.t), Some(seconds), "{name}");
        checked.push(name);
    }
    assert!(checked.len() >= 5, "{checked:?}");
}
