//! The sample plans, embedded in the wasm so that opening one needs no network request.

/// A sample plan shipped with the app (the same files are in `public/plans/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// The file name stem, e.g. `two-az-web`.
    pub id: &'static str,
    /// What the menu shows.
    pub title: &'static str,
    pub text: &'static str,
}

pub const SAMPLES: [Sample; 3] = [
    Sample {
        id: "two-az-web",
        title: "Two-AZ web cluster (EC2)",
        text: include_str!("../../public/plans/two-az-web.json"),
    },
    Sample {
        id: "fargate-spot",
        title: "Fargate with a Spot share",
        text: include_str!("../../public/plans/fargate-spot.json"),
    },
    Sample {
        id: "mixed-memberof",
        title: "Mixed instance types with memberOf",
        text: include_str!("../../public/plans/mixed-memberof.json"),
    },
];

/// The plan the app opens with when nothing is saved.
pub fn default_sample() -> &'static Sample {
    &SAMPLES[0]
}

pub fn find(id: &str) -> Option<&'static Sample> {
    SAMPLES.iter().find(|s| s.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_loads_without_errors() {
        for s in &SAMPLES {
            let loaded = engine::api::plan::load(s.text);
            assert!(loaded.plan.is_some(), "{}: {:?}", s.id, loaded.findings);
            assert!(!loaded.has_errors(), "{}: {:?}", s.id, loaded.findings);
        }
        assert_eq!(find("fargate-spot").map(|s| s.id), Some("fargate-spot"));
        assert_eq!(default_sample().id, "two-az-web");
    }
}
