//! `measure.engine`: one engine call timed where it runs, for the WASM-against-native
//! measurement of docs/performance.md (tests/tests/worker_speed.rs). The same request goes to
//! the worker in the browser (timed with `performance.now()`) and to the same program built
//! natively (`cargo build --profile cli -p engine-worker`, timed with `Instant`), so both
//! figures time exactly the engine call: the plan is loaded first and not timed, and nothing
//! of the answer is written inside the timing.
//!
//! The page never sends it; it is not part of the protocol (`protocol/`) for that reason.

use engine::api::placement::whatif::{what_if, Change};
use engine::api::placement::{place, Outcome, PlaceOptions};
use engine::api::sim::{deploy, simulate, DeployRequest, Ran};
use protocol::Failure;
use serde::{Deserialize, Serialize};

/// [`Engine`] → [`Timed`].
pub const ENGINE: &str = "measure.engine";

/// Every kind of this module.
pub const KINDS: [&str; 1] = [ENGINE];

/// The most repetitions one request runs.
const MAX_REPEAT: u32 = 100;

/// One engine call on a plan, `repeat` times.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Engine {
    /// The plan document's JSON text.
    pub plan: String,
    /// `place` (the whole plan), `loseAz` (`whatif --lose-az`), `simulate` (`ecsplan
    /// simulate`), `day` (the time view's run, `sim.day`) or `deploy` (`ecsplan deploy`).
    pub call: String,
    /// The zone lost (`loseAz`).
    #[serde(default)]
    pub zone: Option<String>,
    /// The service deployed (`deploy`).
    #[serde(default)]
    pub service: Option<String>,
    /// Simulated seconds (`simulate`; `day` rounds them up to hours).
    #[serde(default)]
    pub seconds: Option<u32>,
    /// How many times to run the call (1 to 100).
    #[serde(default = "one")]
    pub repeat: u32,
}

fn one() -> u32 {
    1
}

/// What [`Engine`] answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Timed {
    /// Milliseconds of each run, in order.
    pub ms: Vec<f64>,
    /// What the call computed, in a few numbers, so that both sides are seen to do the same
    /// work (`48428 placed, 1575 on Fargate, 0 unplaced`).
    pub check: String,
}

/// Runs the call `repeat` times and times each run.
pub fn engine(e: &Engine) -> Result<Timed, Failure> {
    let bad = |m: String| Failure::new(Failure::BAD_REQUEST, m);
    if e.repeat == 0 || e.repeat > MAX_REPEAT {
        return Err(bad(format!(
            "repeat must be from 1 to {MAX_REPEAT}, found {}",
            e.repeat
        )));
    }
    let plan = crate::dispatch::loaded_plan(&e.plan)?;
    let opts = PlaceOptions::for_plan(&plan);
    let seconds = || {
        e.seconds
            .filter(|s| (1..=366 * 86_400).contains(s))
            .ok_or_else(|| bad("seconds must be from 1 to 31622400".into()))
    };
    let mut ms = Vec::new();
    let mut check = String::new();
    for _ in 0..e.repeat {
        let started = Clock::start();
        check = match e.call.as_str() {
            "place" => {
                let p = place(&plan, &opts);
                let t = started.ms();
                ms.push(t);
                let (mut on, mut fargate) = (0, 0);
                for task in &p.tasks {
                    match task.outcome {
                        Outcome::Placed { .. } => on += 1,
                        Outcome::Fargate { .. } => fargate += 1,
                        _ => {}
                    }
                }
                format!(
                    "{on} placed, {fargate} on Fargate, {} unplaced",
                    p.tasks.len() - on - fargate
                )
            }
            "loseAz" => {
                let zone = e.zone.clone().unwrap_or_default();
                let w = what_if(&plan, &opts, &Change::LoseZone(zone))
                    .map_err(|err| Failure::new(Failure::REFUSED, err.to_string()))?;
                ms.push(started.ms());
                let replaced = w.moved.iter().filter(|m| m.to.is_some()).count();
                format!(
                    "{} instances lost, {} tasks moved, {replaced} replaced",
                    w.instances.len(),
                    w.moved.len()
                )
            }
            "simulate" => {
                let s = seconds()?;
                let tl = simulate(&plan, s, &opts);
                ms.push(started.ms());
                format!(
                    "{} events, {} task lives, {} minutes",
                    tl.events.len(),
                    tl.tasks.len(),
                    tl.minutes.len()
                )
            }
            "day" => {
                let hours = seconds()?.div_ceil(3600);
                let ran = Ran::day(&plan, hours, |_, _| {});
                ms.push(started.ms());
                let (tl, cost, _) = ran.into_parts();
                format!(
                    "{} events, {} task lives, {} cost points",
                    tl.events.len(),
                    tl.tasks.len(),
                    cost.len()
                )
            }
            "deploy" => {
                let service = e.service.clone().unwrap_or_default();
                let r = deploy(&plan, &DeployRequest::new(&service, None), &opts)
                    .map_err(|err| Failure::new(Failure::REFUSED, err.to_string()))?;
                ms.push(started.ms());
                format!(
                    "{:?} in {} simulated s, {} events",
                    r.outcome,
                    r.duration_seconds,
                    r.events.len()
                )
            }
            other => {
                return Err(bad(format!(
                    "there is no call \"{other}\" (place, loseAz, simulate, day, deploy)"
                )))
            }
        };
    }
    Ok(Timed { ms, check })
}

/// Elapsed time: `performance.now()` in the browser, `Instant` natively.
struct Clock {
    #[cfg(target_arch = "wasm32")]
    at: f64,
    #[cfg(not(target_arch = "wasm32"))]
    at: std::time::Instant,
}

impl Clock {
    #[cfg(target_arch = "wasm32")]
    fn start() -> Clock {
        Clock { at: now() }
    }

    #[cfg(target_arch = "wasm32")]
    fn ms(&self) -> f64 {
        now() - self.at
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn start() -> Clock {
        Clock {
            at: std::time::Instant::now(),
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn ms(&self) -> f64 {
        self.at.elapsed().as_secs_f64() * 1000.0
    }
}

#[cfg(target_arch = "wasm32")]
fn now() -> f64 {
    use wasm_bindgen::JsCast;
    js_sys::global()
        .unchecked_into::<web_sys::WorkerGlobalScope>()
        .performance()
        .map_or(0.0, |p| p.now())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> String {
        let path = format!(
            "{}/../public/plans/two-az-web.json",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(path).unwrap()
    }

    fn call(call: &str) -> Engine {
        Engine {
            plan: sample(),
            call: call.into(),
            zone: Some("us-east-1a".into()),
            service: None,
            seconds: Some(3600),
            repeat: 2,
        }
    }

    #[test]
    fn each_call_is_timed_as_often_as_asked_and_says_what_it_computed() {
        let t = engine(&call("place")).unwrap();
        assert_eq!(t.ms.len(), 2);
        assert!(t.ms.iter().all(|m| *m >= 0.0));
        assert!(t.check.ends_with("0 unplaced"), "{}", t.check);
        assert!(engine(&call("loseAz"))
            .unwrap()
            .check
            .contains("instances lost"));
        assert!(engine(&call("simulate"))
            .unwrap()
            .check
            .contains("61 minutes"));
        assert!(engine(&call("day")).unwrap().check.contains("events"));
    }

    #[test]
    fn bad_calls_say_why() {
        let e = engine(&Engine {
            call: "nope".into(),
            ..call("place")
        })
        .unwrap_err();
        assert!(e.message.contains("no call \"nope\""), "{}", e.message);
        let e = engine(&Engine {
            repeat: 0,
            ..call("place")
        })
        .unwrap_err();
        assert!(e.message.contains("repeat"), "{}", e.message);
        let e = engine(&Engine {
            seconds: None,
            ..call("simulate")
        })
        .unwrap_err();
        assert!(e.message.contains("seconds"), "{}", e.message);
        let e = engine(&Engine {
            service: Some("nobody".into()),
            ..call("deploy")
        })
        .unwrap_err();
        assert_eq!(e.code, Failure::REFUSED);
    }
}
