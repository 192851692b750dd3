//! Wall-clock time for scheduled scaling and daily load shapes: UTC instants, civil dates, IANA
//! time zones, and Application Auto Scaling's schedule expressions (`at`, `rate`, `cron`).
//!
//! Sources: AAS `PutScheduledAction` (`Schedule`, `Timezone`, `StartTime`, `EndTime`),
//! `ecs-semantics.md` §4.3, and the EventBridge cron reference that AAS points to
//! (`scheduled-scaling-using-cron-expressions`): six fields `Minutes Hours Day-of-month Month
//! Day-of-week Year`, with `, - * /` in every field, `?` in day-of-month or day-of-week (one of
//! them must be `?`), `L` and `W` in day-of-month, `L` and `#` in day-of-week, day-of-week 1-7
//! = SUN-SAT, and the names JAN-DEC and SUN-SAT.
//!
//! # Time zones
//! AAS accepts the IANA names Joda-Time knows. The engine carries its own table
//! (`zones.txt`: every name of the tz database 2025b, links included, with the POSIX TZ rule in
//! force today: standard offset, daylight offset and the rule for its start and end). No crate
//! with the whole database is used: `chrono-tz` alone made a 915 KB wasm module; the table is
//! 17 KB of text. The rule in force today is applied to every year, so instants before a zone's
//! last change of rules (e.g. years before 2007 in the United States) may be an hour off.
//!
//! # Choices where AWS is silent \[INFER\]
//! - A local time that does not exist (the hour skipped when clocks go forward) runs at the
//!   same wall-clock distance after the change (02:30 becomes 03:30), as `java.time` resolves a
//!   gap; a local time that exists twice (clocks go back) runs once, at the first occurrence.
//! - `rate(n unit)` runs first one period after `StartTime`, or after the start of the
//!   simulation when there is none, then every period. `rate(1 minutes)` and `rate(5 minute)`
//!   are accepted (EventBridge wants the singular for 1 only).
//! - Ranges may wrap around in the cyclic fields (`FRI-MON`, `22-2`), as in Quartz.

use std::sync::OnceLock;

/// Seconds since 1970-01-01T00:00:00Z.
pub type Instant = i64;

const DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Day of the week of a day number: 0 = Sunday ... 6 = Saturday.
pub fn weekday(days: i64) -> u32 {
    (days + 4).rem_euclid(7) as u32
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in month `m` (1 to 12) of year `y`, leap years counted.
pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// `2026-11-23T00:00:00Z` (UTC).
pub fn format_instant(t: Instant) -> String {
    let (y, m, d) = civil_from_days(t.div_euclid(DAY));
    let s = t.rem_euclid(DAY);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// A date and time without zone: `yyyy-mm-ddThh:mm[:ss]` (or a date alone, at midnight), as
/// seconds of "local" time since 1970-01-01T00:00.
pub fn parse_local(s: &str) -> Result<i64, String> {
    let bad = || {
        format!("\"{s}\" is not a date and time; write it as yyyy-mm-ddThh:mm:ss, e.g. 2026-11-23T07:00:00")
    };
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut it = date.split('-');
    let (Some(y), Some(m), Some(d), None) = (it.next(), it.next(), it.next(), it.next()) else {
        return Err(bad());
    };
    let num = |x: &str| {
        (!x.is_empty() && x.bytes().all(|b| b.is_ascii_digit()))
            .then(|| x.parse::<i64>().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (num(y), num(m), num(d)) else {
        return Err(bad());
    };
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m as u32) as i64 {
        return Err(format!("{s}: there is no such date"));
    }
    let mut secs = 0;
    if let Some(t) = time {
        let t = t.split('.').next().unwrap_or(t);
        let parts: Vec<&str> = t.split(':').collect();
        if !(2..=3).contains(&parts.len()) {
            return Err(bad());
        }
        let v: Vec<Option<i64>> = parts.iter().map(|p| num(p)).collect();
        let (Some(h), Some(mi)) = (v[0], v[1]) else {
            return Err(bad());
        };
        let sec = if parts.len() == 3 {
            v[2].ok_or_else(bad)?
        } else {
            0
        };
        if h > 23 || mi > 59 || sec > 59 {
            return Err(format!("{s}: the time of day is out of range"));
        }
        secs = h * 3600 + mi * 60 + sec;
    }
    Ok(days_from_civil(y, m as u32, d as u32) * DAY + secs)
}

/// An instant: ISO 8601 date and time with `Z` or an offset (`+01:00`); without either, UTC.
pub fn parse_instant(s: &str) -> Result<Instant, String> {
    let s = s.trim();
    if let Some(rest) = s.strip_suffix(['Z', 'z']) {
        return parse_local(rest);
    }
    // A trailing ±hh:mm or ±hhmm after the time.
    if let Some(tpos) = s.find('T') {
        if let Some(i) = s[tpos..].rfind(['+', '-']).map(|i| i + tpos) {
            let local = parse_local(&s[..i])?;
            let off = &s[i + 1..];
            let (h, m) = match off.split_once(':') {
                Some((h, m)) => (h, m),
                None if off.len() == 4 => off.split_at(2),
                None => (off, "0"),
            };
            let (Ok(h), Ok(m)) = (h.parse::<i64>(), m.parse::<i64>()) else {
                return Err(format!("{s}: the UTC offset is not ±hh:mm"));
            };
            let sign = if &s[i..=i] == "-" { -1 } else { 1 };
            return Ok(local - sign * (h * 3600 + m * 60));
        }
    }
    parse_local(s)
}

/// A time stamp of the API (`StartTime`, `EndTime`): seconds since 1970 or ISO 8601 text.
#[derive(Debug, Clone, PartialEq)]
pub enum Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    Seconds(f64),
    /// ISO 8601 text (with or without an offset; without one, UTC).
    Text(String),
}

impl super::json::Json for Timestamp {
    fn read(v: &serde_json::Value) -> Result<Self, String> {
        match v {
            serde_json::Value::Number(n) => Ok(Timestamp::Seconds(n.as_f64().unwrap_or(0.0))),
            serde_json::Value::String(s) => Ok(Timestamp::Text(s.clone())),
            other => Err(format!("invalid value: {other}, expected a time")),
        }
    }
}

impl Timestamp {
    /// The instant it stands for, or why it cannot be read.
    pub fn instant(&self) -> Result<Instant, String> {
        match self {
            Timestamp::Seconds(x) => Ok(*x as i64),
            Timestamp::Text(s) => parse_instant(s),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Time zones

/// When daylight time starts or ends: POSIX `Mm.w.d`, `Jn` or `n`, at `time` seconds of the
/// local time in force before the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateRule {
    /// Month, week 1-5 (5 = last), weekday 0 = Sunday.
    Month(u32, u32, u32),
    /// Julian day 1-365, February 29 never counted.
    Julian1(u32),
    /// Day 0-365, February 29 counted.
    Julian0(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Transition {
    date: DateRule,
    time: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Daylight {
    /// Seconds east of UTC while daylight time is in force.
    offset: i32,
    start: Transition,
    end: Transition,
}

/// An IANA time zone, with the rule in force today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    /// The IANA name, e.g. `Europe/Paris`.
    pub name: String,
    /// Seconds east of UTC (standard time).
    pub std_offset: i32,
    daylight: Option<Daylight>,
}

fn zone_table() -> &'static [(&'static str, &'static str)] {
    static TABLE: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("zones.txt")
            .lines()
            .filter_map(|l| l.split_once(' '))
            .collect()
    })
}

impl Zone {
    /// Coordinated Universal Time, the default zone.
    pub fn utc() -> Zone {
        Zone {
            name: "UTC".into(),
            std_offset: 0,
            daylight: None,
        }
    }

    /// The zone named `name` (an IANA name such as `Europe/Dublin` or `Etc/GMT+9`).
    pub fn named(name: &str) -> Result<Zone, String> {
        let table = zone_table();
        match table.binary_search_by(|(n, _)| (*n).cmp(name)) {
            Ok(i) => {
                let rule = table[i].1;
                let mut z = parse_posix(rule)
                    .ok_or_else(|| format!("time zone {name}: unreadable rule {rule}"))?;
                z.name = name.to_string();
                Ok(z)
            }
            Err(_) => {
                let hint = crate::schema::did_you_mean(name, table.iter().map(|(n, _)| *n))
                    .map(|b| format!("; did you mean {b}?"))
                    .unwrap_or_else(|| {
                        "; use an IANA name such as UTC, Europe/Dublin, America/New_York or Etc/GMT+9"
                            .into()
                    });
                Err(format!("unknown time zone \"{name}\"{hint}"))
            }
        }
    }

    /// Seconds east of UTC at instant `t`.
    pub fn offset_at(&self, t: Instant) -> i32 {
        let Some(d) = self.daylight else {
            return self.std_offset;
        };
        let year = civil_from_days((t + self.std_offset as i64).div_euclid(DAY)).0;
        let start = transition_utc(year, d.start, self.std_offset);
        let end = transition_utc(year, d.end, d.offset);
        let in_dst = if start < end {
            t >= start && t < end
        } else {
            !(t >= end && t < start)
        };
        if in_dst {
            d.offset
        } else {
            self.std_offset
        }
    }

    /// Local wall-clock seconds (since 1970-01-01T00:00 local) at instant `t`.
    pub fn local(&self, t: Instant) -> i64 {
        t + self.offset_at(t) as i64
    }

    /// The instant of a local wall-clock time. A time skipped by a change to daylight time is
    /// moved forward by the gap; a time that happens twice resolves to the first \[INFER\].
    pub fn to_utc(&self, local: i64) -> Instant {
        let Some(d) = self.daylight else {
            return local - self.std_offset as i64;
        };
        let mut valid = [self.std_offset, d.offset]
            .into_iter()
            .map(|o| local - o as i64)
            .filter(|u| self.local(*u) == local);
        match (valid.next(), valid.next()) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) => a,
            _ => local - self.std_offset.min(d.offset) as i64,
        }
    }
}

/// The UTC instant of a transition in `year`, given the offset in force before it.
fn transition_utc(year: i64, tr: Transition, offset_before: i32) -> Instant {
    let day = match tr.date {
        DateRule::Month(m, w, wd) => {
            let first = days_from_civil(year, m, 1);
            let first_wd = weekday(first);
            let mut d = first + ((wd + 7 - first_wd) % 7) as i64 + 7 * (w as i64 - 1);
            let last = first + days_in_month(year, m) as i64 - 1;
            while d > last {
                d -= 7;
            }
            d
        }
        DateRule::Julian1(n) => {
            let jan1 = days_from_civil(year, 1, 1);
            let mut d = jan1 + n as i64 - 1;
            if is_leap(year) && n >= 60 {
                d += 1;
            }
            d
        }
        DateRule::Julian0(n) => days_from_civil(year, 1, 1) + n as i64,
    };
    day * DAY + tr.time - offset_before as i64
}

/// Parses a POSIX TZ rule such as `CET-1CEST,M3.5.0,M10.5.0/3` or `<-03>3`.
fn parse_posix(rule: &str) -> Option<Zone> {
    let b = rule.as_bytes();
    let mut i = 0;
    fn name(b: &[u8], i: &mut usize) -> Option<()> {
        if b.get(*i) == Some(&b'<') {
            while *i < b.len() && b[*i] != b'>' {
                *i += 1;
            }
            *i += 1;
            return (*i <= b.len()).then_some(());
        }
        let s = *i;
        while *i < b.len() && b[*i].is_ascii_alphabetic() {
            *i += 1;
        }
        (*i > s).then_some(())
    }
    fn hms(b: &[u8], i: &mut usize) -> Option<i64> {
        let mut sign = 1;
        if matches!(b.get(*i), Some(b'+' | b'-')) {
            if b[*i] == b'-' {
                sign = -1;
            }
            *i += 1;
        }
        let mut parts = [0i64; 3];
        for (k, p) in parts.iter_mut().enumerate() {
            if k > 0 {
                if b.get(*i) != Some(&b':') {
                    break;
                }
                *i += 1;
            }
            let s = *i;
            while *i < b.len() && b[*i].is_ascii_digit() {
                *p = *p * 10 + (b[*i] - b'0') as i64;
                *i += 1;
            }
            if *i == s {
                return None;
            }
        }
        Some(sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]))
    }
    fn num(b: &[u8], i: &mut usize) -> Option<u32> {
        let s = *i;
        let mut n = 0u32;
        while *i < b.len() && b[*i].is_ascii_digit() {
            n = n * 10 + (b[*i] - b'0') as u32;
            *i += 1;
        }
        (*i > s).then_some(n)
    }
    fn transition(b: &[u8], i: &mut usize) -> Option<Transition> {
        let date = match b.get(*i)? {
            b'M' => {
                *i += 1;
                let m = num(b, i)?;
                (b.get(*i) == Some(&b'.')).then_some(())?;
                *i += 1;
                let w = num(b, i)?;
                (b.get(*i) == Some(&b'.')).then_some(())?;
                *i += 1;
                DateRule::Month(m, w, num(b, i)?)
            }
            b'J' => {
                *i += 1;
                DateRule::Julian1(num(b, i)?)
            }
            _ => DateRule::Julian0(num(b, i)?),
        };
        let time = if b.get(*i) == Some(&b'/') {
            *i += 1;
            hms(b, i)?
        } else {
            7200
        };
        Some(Transition { date, time })
    }
    name(b, &mut i)?;
    let std_offset = -hms(b, &mut i)? as i32;
    if i >= b.len() {
        return Some(Zone {
            name: String::new(),
            std_offset,
            daylight: None,
        });
    }
    name(b, &mut i)?;
    let mut dst_offset = std_offset + 3600;
    if i < b.len() && b[i] != b',' {
        dst_offset = -hms(b, &mut i)? as i32;
    }
    (b.get(i) == Some(&b',')).then_some(())?;
    i += 1;
    let start = transition(b, &mut i)?;
    (b.get(i) == Some(&b',')).then_some(())?;
    i += 1;
    let end = transition(b, &mut i)?;
    Some(Zone {
        name: String::new(),
        std_offset,
        daylight: Some(Daylight {
            offset: dst_offset,
            start,
            end,
        }),
    })
}

// ---------------------------------------------------------------------------------------------
// Schedule expressions

/// A parsed `Schedule`.
#[derive(Debug, Clone, PartialEq)]
pub enum Schedule {
    /// `at(yyyy-mm-ddThh:mm:ss)`: local wall-clock seconds.
    At(i64),
    /// `rate(n unit)`: the period in seconds.
    Rate(i64),
    /// `cron(...)`.
    Cron(Box<Cron>),
}

/// A six-field cron expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cron {
    minutes: u64,
    hours: u32,
    dom: Dom,
    months: u16,
    dow: Dow,
    /// Years 1970-2199 as offsets from 1970; `None` = every year.
    years: Option<Vec<bool>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dom {
    Any,
    Days(u32),
    Last,
    LastWeekday,
    NearestWeekday(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dow {
    Any,
    /// Bit 1..=7 = SUN..SAT.
    Days(u8),
    /// `5L`: the last Thursday of the month (1 = SUN).
    Last(u32),
    /// `3#2`: the second Tuesday.
    Nth(u32, u32),
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// Parses a `Schedule` of PutScheduledAction.
pub fn parse_schedule(s: &str) -> Result<Schedule, String> {
    let s = s.trim();
    let inner = |prefix: &str| {
        s.strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(')'))
            .map(str::trim)
    };
    if let Some(x) = inner("at(") {
        return parse_local(x)
            .map(Schedule::At)
            .map_err(|e| format!("at(...): {e}"));
    }
    if let Some(x) = inner("rate(") {
        let mut it = x.split_whitespace();
        let (Some(n), Some(unit), None) = (it.next(), it.next(), it.next()) else {
            return Err(format!(
                "\"{s}\": write rate(value unit), e.g. rate(5 minutes)"
            ));
        };
        let n: i64 =
            n.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                format!("\"{s}\": the rate's value must be a whole number from 1")
            })?;
        let unit = match unit.to_ascii_lowercase().trim_end_matches('s') {
            "minute" => 60,
            "hour" => 3600,
            "day" => DAY,
            _ => {
                return Err(format!(
                    "\"{s}\": the rate's unit must be minute(s), hour(s) or day(s)"
                ))
            }
        };
        return Ok(Schedule::Rate(n * unit));
    }
    if let Some(x) = inner("cron(") {
        return parse_cron(x).map(|c| Schedule::Cron(Box::new(c)));
    }
    Err(format!(
        "\"{s}\" is not a schedule; use at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(minutes hours day-of-month month day-of-week year)"
    ))
}

fn parse_cron(x: &str) -> Result<Cron, String> {
    let f: Vec<&str> = x.split_whitespace().collect();
    if f.len() != 6 {
        return Err(format!(
            "cron({x}) has {} fields; Application Auto Scaling wants 6: minutes hours day-of-month month day-of-week year (e.g. cron(0 7 ? * MON-FRI *))",
            f.len()
        ));
    }
    let field_err = |name: &str, e: String| format!("cron({x}): {name}: {e}");
    let minutes = set(f[0], 0, 59, &[], true).map_err(|e| field_err("minutes", e))?;
    let hours = set(f[1], 0, 23, &[], true).map_err(|e| field_err("hours", e))? as u32;
    let months = set(f[3], 1, 12, &MONTHS, true).map_err(|e| field_err("month", e))? as u16;
    let (dom_q, dow_q) = (f[2] == "?", f[4] == "?");
    if dom_q == dow_q {
        return Err(format!(
            "cron({x}): exactly one of day-of-month and day-of-week must be ?, e.g. cron(0 7 ? * MON-FRI *) or cron(0 7 1 * ? *)"
        ));
    }
    let dom = if dom_q {
        Dom::Any
    } else {
        match f[2].to_ascii_uppercase().as_str() {
            "L" => Dom::Last,
            "LW" => Dom::LastWeekday,
            w if w.ends_with('W') => {
                let d: u32 = w[..w.len() - 1]
                    .parse()
                    .ok()
                    .filter(|d| (1..=31).contains(d))
                    .ok_or_else(|| {
                        field_err(
                            "day-of-month",
                            format!("{w}: W follows a day 1-31, e.g. 15W"),
                        )
                    })?;
                Dom::NearestWeekday(d)
            }
            _ => Dom::Days(
                set(f[2], 1, 31, &[], false).map_err(|e| field_err("day-of-month", e))? as u32,
            ),
        }
    };
    let dow = if dow_q {
        Dow::Any
    } else {
        let v = f[4].to_ascii_uppercase();
        let day = |s: &str| -> Result<u32, String> {
            DAYS.iter()
                .position(|d| *d == s)
                .map(|p| p as u32 + 1)
                .or_else(|| s.parse().ok().filter(|d| (1..=7).contains(d)))
                .ok_or_else(|| format!("{s} is not a day of the week (1-7 or SUN-SAT)"))
        };
        if v == "L" {
            Dow::Days(1 << 7)
        } else if let Some(d) = v.strip_suffix('L') {
            Dow::Last(day(d).map_err(|e| field_err("day-of-week", e))?)
        } else if let Some((d, n)) = v.split_once('#') {
            let d = day(d).map_err(|e| field_err("day-of-week", e))?;
            let n: u32 = n
                .parse()
                .ok()
                .filter(|n| (1..=5).contains(n))
                .ok_or_else(|| field_err("day-of-week", format!("{v}: # is followed by 1-5")))?;
            Dow::Nth(d, n)
        } else {
            Dow::Days(
                (set(f[4], 1, 7, &DAYS, true).map_err(|e| field_err("day-of-week", e))? as u8)
                    & 0xfe,
            )
        }
    };
    let years = if f[5] == "*" {
        None
    } else {
        let mut v = vec![false; 230];
        for part in f[5].split(',') {
            let (lo, hi, step) =
                range(part, 1970, 2199, &[], false).map_err(|e| field_err("year", e))?;
            let mut y = lo;
            while y <= hi {
                v[(y - 1970) as usize] = true;
                y += step;
            }
        }
        Some(v)
    };
    Ok(Cron {
        minutes,
        hours,
        dom,
        months,
        dow,
        years,
    })
}

/// A cron field as a bit set (bit n = value n).
fn set(field: &str, min: u32, max: u32, names: &[&str], wraps: bool) -> Result<u64, String> {
    let mut bits = 0u64;
    for part in field.split(',') {
        let (lo, hi, step) = range(part, min, max, names, wraps)?;
        let span = max - min + 1;
        let count = if hi >= lo { hi - lo } else { hi + span - lo };
        let mut k = 0;
        while k <= count {
            let v = min + (lo - min + k) % span;
            bits |= 1 << v;
            k += step;
        }
    }
    Ok(bits)
}

/// `*`, `n`, `a-b`, `*/s`, `a/s`, `a-b/s` → (lo, hi, step); `hi < lo` when a range wraps.
fn range(
    part: &str,
    min: u32,
    max: u32,
    names: &[&str],
    wraps: bool,
) -> Result<(u32, u32, u32), String> {
    let value = |s: &str| -> Result<u32, String> {
        let up = s.to_ascii_uppercase();
        if let Some(p) = names.iter().position(|n| *n == up) {
            return Ok(p as u32 + min);
        }
        s.parse::<u32>()
            .ok()
            .filter(|v| (min..=max).contains(v))
            .ok_or_else(|| {
                let named = if names.is_empty() {
                    String::new()
                } else {
                    format!(" or {}-{}", names[0], names[names.len() - 1])
                };
                format!("\"{s}\" is not a value from {min} to {max}{named}")
            })
    };
    if part.is_empty() {
        return Err("an empty value".into());
    }
    let (body, step) = match part.split_once('/') {
        Some((b, s)) => (
            b,
            s.parse::<u32>().ok().filter(|s| *s >= 1).ok_or_else(|| {
                format!("\"{part}\": the step after / must be a whole number from 1")
            })?,
        ),
        None => (part, 1),
    };
    let (lo, hi) = if body == "*" {
        (min, max)
    } else if let Some((a, b)) = body.split_once('-') {
        let (a, b) = (value(a)?, value(b)?);
        if b < a && !wraps {
            return Err(format!("\"{part}\": the range runs backwards"));
        }
        (a, b)
    } else {
        let a = value(body)?;
        (a, if part.contains('/') { max } else { a })
    };
    Ok((lo, hi, step))
}

impl Cron {
    fn matches_day(&self, y: i64, m: u32, d: u32, days: i64) -> bool {
        if self.months & (1 << m) == 0 {
            return false;
        }
        if let Some(years) = &self.years {
            if !(1970..2200).contains(&y) || !years[(y - 1970) as usize] {
                return false;
            }
        }
        let last = days_in_month(y, m);
        let wd = weekday(days); // 0 = Sunday
        let dom_ok = match self.dom {
            Dom::Any => true,
            Dom::Days(bits) => bits & (1 << d) != 0,
            Dom::Last => d == last,
            Dom::LastWeekday => {
                let lw = days - d as i64 + last as i64; // day number of the last day
                let w = weekday(lw);
                let back = match w {
                    0 => 2,
                    6 => 1,
                    _ => 0,
                };
                d == last - back
            }
            Dom::NearestWeekday(n) => {
                let n = n.min(last);
                let nd = days - d as i64 + n as i64;
                let target = match weekday(nd) {
                    6 if n == 1 => n + 2,
                    6 => n - 1,
                    0 if n == last => n - 2,
                    0 => n + 1,
                    _ => n,
                };
                d == target
            }
        };
        let dow_ok = match self.dow {
            Dow::Any => true,
            Dow::Days(bits) => bits & (1 << (wd + 1)) != 0,
            Dow::Last(k) => wd + 1 == k && d + 7 > last,
            Dow::Nth(k, n) => wd + 1 == k && (d - 1) / 7 + 1 == n,
        };
        dom_ok && dow_ok
    }
}

impl Schedule {
    /// Every instant in `(from, to]` at which the schedule runs in `zone`, within
    /// `[start, end]`. `origin` is where a `rate` counts from when there is no start.
    pub fn runs(
        &self,
        zone: &Zone,
        from: Instant,
        to: Instant,
        start: Option<Instant>,
        end: Option<Instant>,
        origin: Instant,
    ) -> Vec<Instant> {
        let lo = from.max(start.map_or(i64::MIN, |s| s - 1));
        let hi = to.min(end.unwrap_or(i64::MAX));
        let mut out = Vec::new();
        if lo >= hi {
            return out;
        }
        match self {
            Schedule::At(local) => {
                let t = zone.to_utc(*local);
                if t > lo && t <= hi {
                    out.push(t);
                }
            }
            Schedule::Rate(p) => {
                let o = start.unwrap_or(origin);
                let mut k = ((lo - o).div_euclid(*p) + 1).max(1);
                loop {
                    let t = o + k * p;
                    if t > hi {
                        break;
                    }
                    if t > lo {
                        out.push(t);
                    }
                    k += 1;
                }
            }
            Schedule::Cron(c) => {
                // Local days from a day before to a day after (offsets are under 26 hours).
                let d0 = (lo.div_euclid(DAY)) - 2;
                let d1 = (hi.div_euclid(DAY)) + 2;
                for days in d0..=d1 {
                    let (y, m, d) = civil_from_days(days);
                    if !c.matches_day(y, m, d, days) {
                        continue;
                    }
                    for h in 0..24 {
                        if c.hours & (1 << h) == 0 {
                            continue;
                        }
                        for mi in 0..60 {
                            if c.minutes & (1 << mi) == 0 {
                                continue;
                            }
                            let t = zone.to_utc(days * DAY + h * 3600 + mi * 60);
                            if t > lo && t <= hi {
                                out.push(t);
                            }
                        }
                    }
                }
                out.sort_unstable();
                out.dedup();
            }
        }
        out
    }
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
mod tests;
