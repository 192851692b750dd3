//! Which instance an Auto Scaling group terminates when its desired capacity drops and
//! managed termination protection is off: "the Auto Scaling group selects EC2 instances using
//! the Auto Scaling group termination policy" (`cluster-auto-scaling.md`, "Scale-in").
//!
//! The EC2 Auto Scaling User Guide ("Configure termination policies for Amazon EC2 Auto
//! Scaling") and the API model's `TerminationPolicies` (policies "executed in the order that you
//! list them"):
//! - Zone balance comes first, whatever the policies: the zone with the most of the group's
//!   instances (and at least one instance that may go) loses one.
//! - `Default`: instances with an outdated configuration (launch configuration, another launch
//!   template, an older version), then the instance closest to the next billing hour, then a
//!   random one.
//! - `OldestInstance`, `NewestInstance`: by launch time.
//! - `ClosestToNextInstanceHour`: the longest into its current hour of running.
//! - `OldestLaunchConfiguration`, `OldestLaunchTemplate`, `AllocationStrategy`: every instance
//!   of a simulated group has the same launch template and purchase option, so they choose
//!   nothing and the next policy decides.
//! - A Lambda function's ARN (a custom policy): its code is not in the plan; it is skipped and
//!   the next policy decides (validation says so).
//!
//! What the planner chooses where AWS does not: instances that were there before the
//! simulation count as launched at second 0 and older than every launched one; instances still
//! tied after the listed policies go through `Default`'s criteria, and AWS's random choice is
//! the lowest instance id.

/// One of `TerminationPolicies`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TerminationPolicy {
    Default,
    AllocationStrategy,
    ClosestToNextInstanceHour,
    NewestInstance,
    OldestInstance,
    OldestLaunchConfiguration,
    OldestLaunchTemplate,
    /// A custom termination policy (a Lambda function's ARN).
    Lambda(String),
    /// Not a policy EC2 Auto Scaling knows.
    Unknown(String),
}

impl TerminationPolicy {
    pub fn parse(s: &str) -> TerminationPolicy {
        match s {
            "Default" => TerminationPolicy::Default,
            "AllocationStrategy" => TerminationPolicy::AllocationStrategy,
            "ClosestToNextInstanceHour" => TerminationPolicy::ClosestToNextInstanceHour,
            "NewestInstance" => TerminationPolicy::NewestInstance,
            "OldestInstance" => TerminationPolicy::OldestInstance,
            "OldestLaunchConfiguration" => TerminationPolicy::OldestLaunchConfiguration,
            "OldestLaunchTemplate" => TerminationPolicy::OldestLaunchTemplate,
            s if s.starts_with("arn:aws:lambda:") => TerminationPolicy::Lambda(s.to_string()),
            s => TerminationPolicy::Unknown(s.to_string()),
        }
    }

    fn name(&self) -> &str {
        match self {
            TerminationPolicy::Default => "Default",
            TerminationPolicy::AllocationStrategy => "AllocationStrategy",
            TerminationPolicy::ClosestToNextInstanceHour => "ClosestToNextInstanceHour",
            TerminationPolicy::NewestInstance => "NewestInstance",
            TerminationPolicy::OldestInstance => "OldestInstance",
            TerminationPolicy::OldestLaunchConfiguration => "OldestLaunchConfiguration",
            TerminationPolicy::OldestLaunchTemplate => "OldestLaunchTemplate",
            TerminationPolicy::Lambda(s) | TerminationPolicy::Unknown(s) => s,
        }
    }
}

/// An instance scale-in may terminate.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub id: &'a str,
    pub zone: &'a str,
    /// Second it was launched; `None` when it was there before the simulation.
    pub launched: Option<u32>,
    /// The group's instances in its zone (launching or in service).
    pub zone_count: u32,
}

/// The candidate the group terminates at second `now`, and why (a sentence fragment).
pub fn choose(
    policies: &[TerminationPolicy],
    candidates: &[Candidate],
    now: u32,
) -> Option<(usize, String)> {
    let most = candidates.iter().map(|c| c.zone_count).max()?;
    if candidates.len() == 1 {
        return Some((0, "the only instance that may go".into()));
    }
    let mut left: Vec<usize> = (0..candidates.len())
        .filter(|i| candidates[*i].zone_count == most)
        .collect();
    let mut why = vec![format!(
        "zone {} has the most of the group's instances",
        candidates[left[0]].zone
    )];
    let default = [TerminationPolicy::Default];
    let listed: &[TerminationPolicy] = if policies.is_empty() {
        &default
    } else {
        policies
    };
    for p in listed.iter().chain(default.iter()) {
        if left.len() == 1 {
            break;
        }
        let before = left.len();
        narrow(p, candidates, &mut left, now);
        if left.len() < before {
            why.push(match p {
                TerminationPolicy::Default => "Default: closest to the next instance hour".into(),
                TerminationPolicy::ClosestToNextInstanceHour => {
                    "ClosestToNextInstanceHour".to_string()
                }
                other => other.name().to_string(),
            });
        }
    }
    left.sort_by(|a, b| candidates[*a].id.cmp(candidates[*b].id));
    if left.len() > 1 {
        why.push("then the lowest id, where AWS chooses at random".into());
    }
    Some((left[0], why.join("; ")))
}

/// Keeps the candidates policy `p` prefers (all of them when it cannot tell them apart).
fn narrow(p: &TerminationPolicy, c: &[Candidate], left: &mut Vec<usize>, now: u32) {
    let launched = |i: usize| c[i].launched.map_or(0, |l| l as u64 + 1);
    let into_hour = |i: usize| now.saturating_sub(c[i].launched.unwrap_or(0)) % 3600;
    let keep = |left: &mut Vec<usize>, key: &dyn Fn(usize) -> u64| {
        if let Some(best) = left.iter().map(|i| key(*i)).max() {
            left.retain(|i| key(*i) == best);
        }
    };
    match p {
        TerminationPolicy::OldestInstance => keep(left, &|i| u64::MAX - launched(i)),
        TerminationPolicy::NewestInstance => keep(left, &launched),
        TerminationPolicy::ClosestToNextInstanceHour | TerminationPolicy::Default => {
            keep(left, &|i| into_hour(i) as u64)
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(id: &str, zone: &str, launched: Option<u32>, zone_count: u32) -> Candidate<'static> {
        Candidate {
            id: Box::leak(id.to_string().into_boxed_str()),
            zone: Box::leak(zone.to_string().into_boxed_str()),
            launched,
            zone_count,
        }
    }

    fn pick(policies: &[&str], c: &[Candidate], now: u32) -> String {
        let p: Vec<TerminationPolicy> = policies
            .iter()
            .map(|s| TerminationPolicy::parse(s))
            .collect();
        let (i, _) = choose(&p, c, now).unwrap();
        c[i].id.to_string()
    }

    #[test]
    fn zone_balance_comes_before_every_termination_policy() {
        // EC2 Auto Scaling User Guide, termination policies: "Maintaining zonal balance takes
        // precedence over termination policies": the newest instance of the zone with more
        // instances goes, not the newest of the group.
        let c = [
            cand("i-a1", "a", Some(0), 2),
            cand("i-a2", "a", Some(100), 2),
            cand("i-b1", "b", Some(500), 1),
        ];
        assert_eq!(pick(&["NewestInstance"], &c, 1000), "i-a2");
        assert_eq!(pick(&["OldestInstance"], &c, 1000), "i-a1");
    }

    #[test]
    fn the_default_policy_terminates_the_instance_closest_to_the_next_billing_hour() {
        // EC2 Auto Scaling User Guide, "How the default termination policy works": after
        // outdated configurations (none here: one launch template), "determine whether any of
        // the instances ... are closest to the next billing hour"; not the oldest instance. At
        // 7000 s: i-1 (launched 0) is 3400 s into its second hour, i-2 (launched 3000) 400 s
        // into its second, i-3 (launched 6000) 1000 s into its first.
        let c = [
            cand("i-1", "a", Some(0), 3),
            cand("i-2", "a", Some(3000), 3),
            cand("i-3", "a", Some(6000), 3),
        ];
        assert_eq!(pick(&[], &c, 7000), "i-1");
        assert_eq!(pick(&["Default"], &c, 7000), "i-1");
        // At 9000 s: i-2 is 2400 s into its hour, i-1 1800 s, i-3 3000 s: i-3 goes, though it
        // is the newest (OldestInstance would take i-1).
        assert_eq!(pick(&["Default"], &c, 9000), "i-3");
        assert_eq!(pick(&["ClosestToNextInstanceHour"], &c, 9000), "i-3");
        assert_eq!(pick(&["OldestInstance"], &c, 9000), "i-1");
        assert_eq!(pick(&["NewestInstance"], &c, 9000), "i-3");
    }

    #[test]
    fn each_named_termination_policy_does_what_the_capacity_docs_table_says() {
        // API model (autoscaling), CreateAutoScalingGroup.TerminationPolicies: "Valid values:
        // Default | AllocationStrategy | ClosestToNextInstanceHour | NewestInstance |
        // OldestInstance | OldestLaunchConfiguration | OldestLaunchTemplate |
        // arn:aws:lambda:...". One zone, three instances at 9000 s: i-1 there before the
        // simulation (1800 s into its hour), i-2 launched at 3000 s (2400 s into its hour),
        // i-3 launched at 6000 s (3000 s into its hour, the closest to the next billing hour).
        let c = [
            cand("i-1", "a", None, 3),
            cand("i-2", "a", Some(3000), 3),
            cand("i-3", "a", Some(6000), 3),
        ];
        let cases = [
            // "Terminate instances that are closest to the next billing hour" after outdated
            // configurations (one launch template here: none is outdated).
            ("Default", "i-3"),
            ("ClosestToNextInstanceHour", "i-3"),
            ("OldestInstance", "i-1"),
            ("NewestInstance", "i-3"),
            // One launch template, one purchase option: these cannot tell the instances apart,
            // so `Default`'s criteria decide (the closest to the next hour).
            ("OldestLaunchConfiguration", "i-3"),
            ("OldestLaunchTemplate", "i-3"),
            ("AllocationStrategy", "i-3"),
            // A custom policy's Lambda function is not run: `Default` decides.
            ("arn:aws:lambda:us-east-1:111122223333:function:pick", "i-3"),
        ];
        for (policy, want) in cases {
            let parsed = TerminationPolicy::parse(policy);
            assert!(
                !matches!(parsed, TerminationPolicy::Unknown(_)),
                "{policy} is a valid policy"
            );
            assert_eq!(parsed.name(), policy, "{policy} keeps its name");
            assert_eq!(pick(&[policy], &c, 9000), want, "{policy}");
        }
        // A name EC2 Auto Scaling does not know is kept as unknown (validation refuses it,
        // `asg-termination-policy`): it chooses nothing, `Default` decides.
        assert!(matches!(
            TerminationPolicy::parse("Newest"),
            TerminationPolicy::Unknown(_)
        ));
        // Ties after OldestInstance: instances of the start all count as launched at 0, so
        // two of them tie and `Default`'s hour rule, then the lowest id, decide.
        let two_old = [
            cand("i-9", "a", None, 3),
            cand("i-8", "a", None, 3),
            cand("i-7", "a", Some(600), 3),
        ];
        let (i, why) = choose(&[TerminationPolicy::OldestInstance], &two_old, 1200).unwrap();
        assert_eq!(two_old[i].id, "i-8", "{why}");
    }

    #[test]
    fn policies_run_in_the_order_listed_and_ties_fall_through() {
        // API model, TerminationPolicies: "These policies are executed in the order that you
        // list them." OldestLaunchTemplate cannot tell instances of one template apart, so the
        // next policy decides; a custom Lambda policy is skipped.
        let c = [
            cand("i-1", "a", None, 3),
            cand("i-2", "a", None, 3),
            cand("i-3", "a", Some(600), 3),
        ];
        assert_eq!(
            pick(&["OldestLaunchTemplate", "NewestInstance"], &c, 1200),
            "i-3"
        );
        assert_eq!(
            pick(
                &[
                    "arn:aws:lambda:us-east-1:123456789012:function:pick",
                    "OldestInstance"
                ],
                &c,
                1200
            ),
            "i-1"
        );
        // i-1 and i-2 tie (both there before the simulation): the lowest id, said so.
        let p = [TerminationPolicy::OldestInstance];
        let (i, why) = choose(&p, &c, 1200).unwrap();
        assert_eq!(c[i].id, "i-1");
        assert!(why.contains("lowest id"), "{why}");
    }
}
