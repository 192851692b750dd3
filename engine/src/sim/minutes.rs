//! The minute samples of a simulation over time, held as changes: a day at ECS's quotas is
//! 1 441 minutes of 200 services, and most services' counts and utilisation stay the same for
//! minutes on end, so a value per service and minute was a third of the timeline's memory.
//! Each service's column keeps a run per change (its first minute and its value); a minute is
//! put back together when read. The JSON is the samples', minute by minute, as before.

use super::simulate::{MinuteSample, ProviderMinute, ServiceMinute};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Every minute's sample, in time order ([`MinuteSamples::iter`] gives them back whole).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MinuteSamples {
    /// Per minute: its second, and how many services its sample has.
    at: Vec<(u32, u32)>,
    /// Per service (plan order): (first minute, value) at each change, in minute order.
    services: Vec<Vec<(u32, ServiceMinute)>>,
    /// Per minute: the capacity providers' sample (a few per minute).
    providers: Vec<Vec<ProviderMinute>>,
}

/// The same value to the bit (`-0.0` is not `0.0` in the JSON, and a NaN keeps its bits).
fn same(a: &ServiceMinute, b: &ServiceMinute) -> bool {
    a.desired == b.desired
        && a.running == b.running
        && a.pending == b.pending
        && a.cpu.to_bits() == b.cpu.to_bits()
        && a.memory.to_bits() == b.memory.to_bits()
}

impl MinuteSamples {
    /// How many minutes.
    pub fn len(&self) -> usize {
        self.at.len()
    }

    /// No minute recorded (a deployment's run has none).
    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// Records the next minute.
    pub fn push(&mut self, sample: MinuteSample) {
        let k = self.at.len() as u32;
        self.at.push((sample.t, sample.services.len() as u32));
        for (s, value) in sample.services.into_iter().enumerate() {
            if self.services.len() <= s {
                self.services.resize_with(s + 1, Vec::new);
            }
            let column = &mut self.services[s];
            if !column.last().is_some_and(|(_, last)| same(last, &value)) {
                column.push((k, value));
            }
        }
        self.providers.push(sample.capacity_providers);
    }

    /// Minute `k`'s sample.
    pub fn get(&self, k: usize) -> Option<MinuteSample> {
        let &(t, n) = self.at.get(k)?;
        let services = self.services[..n as usize]
            .iter()
            .map(|column| {
                let i = column.partition_point(|(first, _)| *first as usize <= k);
                column[i - 1].1.clone()
            })
            .collect();
        Some(MinuteSample {
            t,
            services,
            capacity_providers: self.providers[k].clone(),
        })
    }

    /// Minute `k`'s capacity providers, without putting the minute together.
    pub fn providers(&self, k: usize) -> &[ProviderMinute] {
        self.providers.get(k).map_or(&[], Vec::as_slice)
    }

    /// The first minute's sample.
    pub fn first(&self) -> Option<MinuteSample> {
        self.get(0)
    }

    /// The last minute's sample.
    pub fn last(&self) -> Option<MinuteSample> {
        self.get(self.len().checked_sub(1)?)
    }

    /// Every minute's sample, in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            of: self,
            k: 0,
            runs: vec![0; self.services.len()],
        }
    }

    /// Frees the room kept for minutes to come (a finished run).
    pub fn shrink_to_fit(&mut self) {
        self.at.shrink_to_fit();
        self.providers.shrink_to_fit();
        for column in &mut self.services {
            column.shrink_to_fit();
        }
    }
}

/// The minutes in order, each column read from where the last minute left it.
pub struct Iter<'a> {
    of: &'a MinuteSamples,
    k: usize,
    /// Per service, the run of the last minute read.
    runs: Vec<usize>,
}

impl Iterator for Iter<'_> {
    type Item = MinuteSample;

    fn next(&mut self) -> Option<MinuteSample> {
        let k = self.k;
        let &(t, n) = self.of.at.get(k)?;
        self.k += 1;
        let services = self.of.services[..n as usize]
            .iter()
            .zip(&mut self.runs)
            .map(|(column, run)| {
                while column
                    .get(*run + 1)
                    .is_some_and(|(first, _)| *first as usize <= k)
                {
                    *run += 1;
                }
                column[*run].1.clone()
            })
            .collect();
        Some(MinuteSample {
            t,
            services,
            capacity_providers: self.of.providers[k].clone(),
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.of.len() - self.k;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a MinuteSamples {
    type Item = MinuteSample;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl FromIterator<MinuteSample> for MinuteSamples {
    fn from_iter<I: IntoIterator<Item = MinuteSample>>(samples: I) -> MinuteSamples {
        let mut out = MinuteSamples::default();
        for m in samples {
            out.push(m);
        }
        out
    }
}

impl From<Vec<MinuteSample>> for MinuteSamples {
    fn from(samples: Vec<MinuteSample>) -> MinuteSamples {
        samples.into_iter().collect()
    }
}

impl Serialize for MinuteSamples {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for MinuteSamples {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<MinuteSamples, D::Error> {
        Ok(Vec::<MinuteSample>::deserialize(d)?.into())
    }
}

#[cfg(test)]
mod tests {
    use super::MinuteSamples;
    use crate::sim::{MinuteSample, ProviderMinute, ServiceMinute};
    use proptest::prelude::*;

    fn minute(t: u32, values: &[(u32, f64)]) -> MinuteSample {
        MinuteSample {
            t,
            services: values
                .iter()
                .map(|&(desired, cpu)| ServiceMinute {
                    desired,
                    running: desired,
                    pending: 0,
                    cpu,
                    memory: -cpu,
                })
                .collect(),
            capacity_providers: vec![ProviderMinute {
                name: "cp".into(),
                instances: t,
                reservation: Some(100.0),
                desired: 1,
            }],
        }
    }

    proptest! {
        /// The samples read back are the samples pushed, to the bit, whichever way they are
        /// read (in order, one by one, as JSON), with services that come and go.
        #[test]
        fn the_minutes_read_back_are_the_minutes_pushed(
            rows in prop::collection::vec(
                prop::collection::vec((0u32..3, prop::sample::select(vec![0.0, -0.0, 1.5, 99.99, f64::NAN])), 0..5),
                0..40,
            )
        ) {
            let pushed: Vec<MinuteSample> = rows
                .iter()
                .enumerate()
                .map(|(k, r)| minute(60 * k as u32, r))
                .collect();
            let held: MinuteSamples = pushed.clone().into();
            let bits = |m: &MinuteSample| {
                (m.t, m.capacity_providers.clone(), m.services.iter().map(|s| (s.desired, s.running, s.pending, s.cpu.to_bits(), s.memory.to_bits())).collect::<Vec<_>>())
            };
            let want: Vec<_> = pushed.iter().map(bits).collect();
            prop_assert_eq!(held.len(), pushed.len());
            prop_assert_eq!(&held.iter().map(|m| bits(&m)).collect::<Vec<_>>(), &want);
            let one_by_one: Vec<_> = (0..held.len()).map(|k| bits(&held.get(k).unwrap())).collect();
            prop_assert_eq!(&one_by_one, &want);
            prop_assert_eq!(
                serde_json::to_string(&held).unwrap(),
                serde_json::to_string(&pushed).unwrap()
            );
            prop_assert!(held.get(held.len()).is_none());
        }
    }
}
