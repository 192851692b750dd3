//! Typed readings of literal text: agent versions, registration timestamps and numbers.
//!
//! Written by hand because each format is a few lines and the engine ships to the browser,
//! where every dependency costs download size.

use std::cmp::Ordering;

/// A dotted version such as `1.14.5`.
///
/// Compared component by component as numbers, a missing component counting as zero, so
/// `1.14.5 < 1.100.0` and `1.14 == 1.14.0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Version(Vec<u64>);

impl Version {
    /// Reads a query literal: digits separated by single dots, nothing else.
    pub(crate) fn parse_strict(text: &str) -> Option<Version> {
        let parts: Option<Vec<u64>> = text.split('.').map(parse_digits).collect();
        parts.map(Version)
    }

    /// Reads what an instance reports, more leniently: an optional leading `v`, then the
    /// longest dotted-number prefix (`1.14.5-rc1` reads as `1.14.5`).
    pub(crate) fn parse_lenient(text: &str) -> Option<Version> {
        let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
        let mut parts = Vec::new();
        for piece in text.split('.') {
            let digits: &str = &piece[..piece
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(piece.len())];
            parts.push(parse_digits(digits)?);
            if digits.len() != piece.len() {
                break;
            }
        }
        Some(Version(parts))
    }

    pub(crate) fn cmp_to(&self, other: &Version) -> Ordering {
        let len = self.0.len().max(other.0.len());
        (0..len)
            .map(|i| {
                let a = self.0.get(i).copied().unwrap_or(0);
                let b = other.0.get(i).copied().unwrap_or(0);
                a.cmp(&b)
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

/// Non-empty ASCII digits that fit in a `u64`.
fn parse_digits(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A non-negative whole number for `runningTasksCount`.
pub(crate) fn parse_count(text: &str) -> Option<u32> {
    parse_digits(text).and_then(|n| u32::try_from(n).ok())
}

/// Reads a decimal number (`-3`, `2.5`, `+10`), the only forms for which an attribute
/// comparison is numeric. No exponents, `inf` or `NaN`: those are compared as text.
pub(crate) fn parse_decimal(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || !frac.is_none_or(digits) {
        return None;
    }
    text.parse().ok()
}

/// A point in time, in whole seconds since 1970-01-01T00:00:00Z, and how precisely it was
/// written.
///
/// A date without a time of day stands for the whole day (UTC): `registeredAt < 2018-02-13`
/// means before that day starts, `registeredAt > 2018-02-13` after it ends, and
/// `registeredAt == 2018-02-13` at any moment of it. A full timestamp stands for its second.
/// AWS does not say how a date-only value compares; this reading makes every operator mean
/// what the sentence says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Timestamp {
    /// First second covered.
    pub(crate) start: i64,
    /// Number of seconds covered: 86 400 for a date, 1 for a full timestamp.
    pub(crate) span: i64,
}

const DAY: i64 = 86_400;

impl Timestamp {
    /// Reads `2018-06-18T22:28:28+00:00`, `2018-06-18T22:28:28Z`, `2018-06-18T22:28:28` or
    /// `2018-06-18`, the formats AWS documents. A timestamp without a zone is taken as UTC
    /// (our choice), and a fraction of a second is accepted and dropped, since instances'
    /// registration times often carry milliseconds. Any `±HH:MM` offset is accepted, not only
    /// `+00:00`.
    pub(crate) fn parse(text: &str) -> Option<Timestamp> {
        let b = text.as_bytes();
        if !text.is_ascii() || b.len() < 10 {
            return None;
        }
        let year = fixed_digits(&b[0..4])?;
        let month = fixed_digits(&b[5..7])?;
        let day = fixed_digits(&b[8..10])?;
        if b[4] != b'-' || b[7] != b'-' || !(1..=12).contains(&month) {
            return None;
        }
        if day < 1 || day > days_in_month(year, month) {
            return None;
        }
        let date = days_from_civil(year, month, day) * DAY;
        if b.len() == 10 {
            return Some(Timestamp {
                start: date,
                span: DAY,
            });
        }
        if b.len() < 19 || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let (h, m, s) = (
            fixed_digits(&b[11..13])?,
            fixed_digits(&b[14..16])?,
            fixed_digits(&b[17..19])?,
        );
        if h > 23 || m > 59 || s > 59 {
            return None;
        }
        let mut rest = &b[19..];
        if let Some(frac) = rest.strip_prefix(b".") {
            let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            rest = &frac[n..];
        }
        let offset = match rest {
            [] | [b'Z'] => 0,
            [sign @ (b'+' | b'-'), hh1, hh2, b':', mm1, mm2] => {
                let oh = fixed_digits(&[*hh1, *hh2])?;
                let om = fixed_digits(&[*mm1, *mm2])?;
                if oh > 23 || om > 59 {
                    return None;
                }
                let secs = oh * 3600 + om * 60;
                if *sign == b'+' {
                    secs
                } else {
                    -secs
                }
            }
            _ => return None,
        };
        Some(Timestamp {
            start: date + h * 3600 + m * 60 + s - offset,
            span: 1,
        })
    }

    /// Where the instant `at` lies relative to this value: `Less` before it, `Equal` within
    /// it, `Greater` after it.
    pub(crate) fn locate(&self, at: i64) -> Ordering {
        if at < self.start {
            Ordering::Less
        } else if at < self.start + self.span {
            Ordering::Equal
        } else {
            Ordering::Greater
        }
    }
}

fn fixed_digits(b: &[u8]) -> Option<i64> {
    b.iter().try_fold(0i64, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
    })
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        let v = |s| Version::parse_strict(s).unwrap();
        assert_eq!(v("1.14.5").cmp_to(&v("1.100.0")), Ordering::Less);
        assert_eq!(v("1.14").cmp_to(&v("1.14.0")), Ordering::Equal);
        assert_eq!(v("2").cmp_to(&v("1.99.99")), Ordering::Greater);
        assert!(Version::parse_strict("1..2").is_none());
        assert!(Version::parse_strict("1.2-beta").is_none());
        assert!(Version::parse_strict("").is_none());
        assert_eq!(Version::parse_lenient("v1.14.5-rc1"), Some(v("1.14.5")));
        assert_eq!(Version::parse_lenient("1.20.0"), Some(v("1.20.0")));
        assert_eq!(Version::parse_lenient("unknown"), None);
    }

    #[test]
    fn timestamps_in_all_documented_formats() {
        let t = |s| Timestamp::parse(s).unwrap();
        // 2018-06-18T22:28:28Z is 1529360908 seconds after the epoch.
        assert_eq!(t("2018-06-18T22:28:28Z").start, 1_529_360_908);
        assert_eq!(t("2018-06-18T22:28:28+00:00").start, 1_529_360_908);
        assert_eq!(t("2018-06-18T22:28:28").start, 1_529_360_908);
        assert_eq!(t("2018-06-19T00:28:28+02:00").start, 1_529_360_908);
        assert_eq!(t("2018-06-18T22:28:28.123Z").start, 1_529_360_908);
        assert_eq!(t("2018-06-18").start, 1_529_280_000);
        assert_eq!(t("2018-06-18").span, DAY);
        assert_eq!(t("1970-01-01").start, 0);
        assert_eq!(t("2000-02-29").start, 951_782_400);
        for bad in [
            "2018-02-30",
            "2019-02-29",
            "2018-13-01",
            "2018-6-18",
            "2018-06-18T24:00:00",
            "2018-06-18T22:28",
            "2018-06-18 22:28:28",
            "2018-06-18T22:28:28+0000",
            "2018-06-18T22:28:28.Z",
            "2018-06-18Z",
            "２018-06-18",
        ] {
            assert!(Timestamp::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn decimals() {
        assert_eq!(parse_decimal("10"), Some(10.0));
        assert_eq!(parse_decimal("-2.5"), Some(-2.5));
        assert_eq!(parse_decimal("+3"), Some(3.0));
        for bad in ["", "1.", ".5", "1e3", "inf", "NaN", "1.2.3", "0x10", "-"] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }
}
