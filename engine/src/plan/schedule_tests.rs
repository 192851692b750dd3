//! Schedule expressions and time zones: AAS `PutScheduledAction` (`Schedule`, `Timezone`,
//! `StartTime`, `EndTime`), `ecs-semantics.md` §4.3 and the EventBridge cron reference that the
//! AAS guide (`scheduled-scaling-using-cron-expressions`) points to.

use super::*;

fn t(s: &str) -> Instant {
    parse_instant(s).unwrap()
}

fn runs(expr: &str, zone: &str, from: &str, to: &str) -> Vec<String> {
    let z = Zone::named(zone).unwrap();
    parse_schedule(expr)
        .unwrap()
        .runs(&z, t(from), t(to), None, None, t(from))
        .into_iter()
        .map(format_instant)
        .collect()
}

#[test]
fn civil_dates_and_weekdays() {
    for d in -800_000..800_000i64 {
        if d % 997 != 0 {
            continue;
        }
        let (y, m, dd) = civil_from_days(d);
        assert_eq!(days_from_civil(y, m, dd), d);
    }
    // 2026-11-23, the brief's example start, is a Monday; so is the default start.
    assert_eq!(weekday(t("2026-11-23T00:00:00Z").div_euclid(86_400)), 1);
    assert_eq!(
        weekday(t(crate::plan::workload::DEFAULT_START).div_euclid(86_400)),
        1
    );
    assert_eq!(
        format_instant(t("2026-11-23T07:05:09+01:00")),
        "2026-11-23T06:05:09Z"
    );
    assert_eq!(
        format_instant(t("2024-02-29T23:59:59")),
        "2024-02-29T23:59:59Z"
    );
    assert!(parse_instant("2026-02-30T00:00:00Z").is_err());
    assert!(parse_instant("tomorrow").is_err());
}

#[test]
fn time_zones_from_the_iana_table() {
    // The AAS guide's own examples: Etc/GMT+9 (UTC−9, the sign is POSIX's) and Pacific/Tahiti.
    let at = t("2026-06-01T12:00:00Z");
    assert_eq!(Zone::named("Etc/GMT+9").unwrap().offset_at(at), -9 * 3600);
    assert_eq!(
        Zone::named("Pacific/Tahiti").unwrap().offset_at(at),
        -10 * 3600
    );
    assert_eq!(Zone::named("Asia/Kolkata").unwrap().offset_at(at), 19_800);
    assert_eq!(Zone::named("UTC").unwrap().offset_at(at), 0);
    // Northern and southern summers; Dublin's "negative" daylight saving (IST in summer).
    let (summer, winter) = (t("2026-07-01T00:00:00Z"), t("2026-01-15T00:00:00Z"));
    let ny = Zone::named("America/New_York").unwrap();
    assert_eq!(
        (ny.offset_at(summer), ny.offset_at(winter)),
        (-4 * 3600, -5 * 3600)
    );
    let syd = Zone::named("Australia/Sydney").unwrap();
    assert_eq!(
        (syd.offset_at(summer), syd.offset_at(winter)),
        (10 * 3600, 11 * 3600)
    );
    let dub = Zone::named("Europe/Dublin").unwrap();
    assert_eq!((dub.offset_at(summer), dub.offset_at(winter)), (3600, 0));
    // EU rule: the change is at 01:00 UTC on the last Sunday of March and October.
    let lon = Zone::named("Europe/London").unwrap();
    assert_eq!(lon.offset_at(t("2026-03-29T00:59:59Z")), 0);
    assert_eq!(lon.offset_at(t("2026-03-29T01:00:00Z")), 3600);
    assert_eq!(lon.offset_at(t("2026-10-25T00:59:59Z")), 3600);
    assert_eq!(lon.offset_at(t("2026-10-25T01:00:00Z")), 0);
}

#[test]
fn an_unknown_time_zone_is_refused_with_did_you_mean() {
    let e = Zone::named("Europe/Dublinn").unwrap_err();
    assert!(e.contains("did you mean Europe/Dublin"), "{e}");
    let e = Zone::named("Mars/Olympus").unwrap_err();
    assert!(e.contains("unknown time zone"), "{e}");
}

#[test]
fn weekday_mornings_in_dublin_follow_daylight_saving() {
    // The sample plan's cron(0 7 ? * MON-FRI *) in Europe/Dublin, over the week clocks go back
    // (Sunday 2026-10-25): 07:00 IST is 06:00 UTC before, 07:00 GMT is 07:00 UTC after.
    let r = runs(
        "cron(0 7 ? * MON-FRI *)",
        "Europe/Dublin",
        "2026-10-22T00:00:00Z",
        "2026-10-28T00:00:00Z",
    );
    assert_eq!(
        r,
        [
            "2026-10-22T06:00:00Z",
            "2026-10-23T06:00:00Z",
            "2026-10-26T07:00:00Z",
            "2026-10-27T07:00:00Z"
        ]
    );
}

#[test]
fn a_skipped_local_time_runs_after_the_gap_and_a_repeated_one_once() {
    // [INFER] New York, 2026-03-08: 02:30 does not exist; it runs at 03:30 EDT (07:30 UTC).
    let r = runs(
        "cron(30 2 * * ? *)",
        "America/New_York",
        "2026-03-07T00:00:00Z",
        "2026-03-10T00:00:00Z",
    );
    assert_eq!(
        r,
        [
            "2026-03-07T07:30:00Z",
            "2026-03-08T07:30:00Z",
            "2026-03-09T06:30:00Z"
        ]
    );
    // 2026-11-01: 01:30 happens twice; it runs once, at the first (EDT, 05:30 UTC).
    let r = runs(
        "cron(30 1 * * ? *)",
        "America/New_York",
        "2026-11-01T00:00:00Z",
        "2026-11-02T00:00:00Z",
    );
    assert_eq!(r, ["2026-11-01T05:30:00Z"]);
}

#[test]
fn cron_last_weekday_nearest_weekday_and_nth() {
    let month = |e: &str| runs(e, "UTC", "2026-01-01T00:00:00Z", "2026-07-01T00:00:00Z");
    // L: the last day of each month.
    assert_eq!(
        month("cron(0 12 L * ? *)"),
        [
            "2026-01-31T12:00:00Z",
            "2026-02-28T12:00:00Z",
            "2026-03-31T12:00:00Z",
            "2026-04-30T12:00:00Z",
            "2026-05-31T12:00:00Z",
            "2026-06-30T12:00:00Z"
        ]
    );
    // LW: the last weekday (2026-01-31 and 2026-05-31 are a Saturday and a Sunday).
    assert_eq!(month("cron(0 12 LW * ? *)")[0], "2026-01-30T12:00:00Z");
    assert_eq!(month("cron(0 12 LW * ? *)")[4], "2026-05-29T12:00:00Z");
    // 1W when the 1st is a Saturday (2026-08-01) moves forward to Monday the 3rd.
    let aug = runs(
        "cron(0 0 1W * ? *)",
        "UTC",
        "2026-07-31T00:00:00Z",
        "2026-08-31T00:00:00Z",
    );
    assert_eq!(aug, ["2026-08-03T00:00:00Z"]);
    // 15W when the 15th is a Sunday (2026-02-15) moves to Monday the 16th.
    assert_eq!(month("cron(0 0 15W * ? *)")[1], "2026-02-16T00:00:00Z");
    // 6#3: the third Friday; 6L: the last Friday; L alone in day-of-week: Saturday.
    assert_eq!(month("cron(0 9 ? * 6#3 *)")[0], "2026-01-16T09:00:00Z");
    assert_eq!(month("cron(0 9 ? * FRI#3 *)")[0], "2026-01-16T09:00:00Z");
    assert_eq!(month("cron(0 9 ? * 6L *)")[0], "2026-01-30T09:00:00Z");
    assert_eq!(month("cron(0 9 ? * L *)")[0], "2026-01-03T09:00:00Z");
}

#[test]
fn cron_ranges_lists_steps_names_and_years() {
    let r = runs(
        "cron(0/20 9-10 ? JAN,MAR-APR MON-FRI 2026)",
        "UTC",
        "2026-01-01T00:00:00Z",
        "2027-12-31T00:00:00Z",
    );
    // Weekdays of Jan, Mar and Apr 2026 (22 + 22 + 22), 2 hours × 3 runs each.
    assert_eq!(r.len(), (22 + 22 + 22) * 6);
    assert_eq!(r[0], "2026-01-01T09:00:00Z");
    assert_eq!(r[1], "2026-01-01T09:20:00Z");
    assert!(r.iter().all(|x| x.starts_with("2026-0")));
    // A wrapping range: FRI-MON is Friday, Saturday, Sunday, Monday.
    let w = runs(
        "cron(0 0 ? * FRI-MON *)",
        "UTC",
        "2026-11-22T12:00:00Z",
        "2026-11-29T12:00:00Z",
    );
    assert_eq!(
        w,
        [
            "2026-11-23T00:00:00Z",
            "2026-11-27T00:00:00Z",
            "2026-11-28T00:00:00Z",
            "2026-11-29T00:00:00Z"
        ]
    );
    // */15 minutes every hour: 4 an hour.
    assert_eq!(
        runs(
            "cron(*/15 * * * ? *)",
            "UTC",
            "2026-01-01T00:00:00Z",
            "2026-01-01T06:00:00Z"
        )
        .len(),
        24
    );
}

#[test]
fn bad_cron_expressions_say_why() {
    for (expr, want) in [
        (
            "cron(0 7 * * MON-FRI *)",
            "exactly one of day-of-month and day-of-week",
        ),
        ("cron(0 7 ? * ? *)", "exactly one"),
        ("cron(0 7 ? * MON-FRI)", "has 5 fields"),
        ("cron(60 7 ? * MON *)", "minutes"),
        ("cron(0 7 ? * MOX *)", "day-of-week"),
        ("cron(0 7 ? FOO * *)", "month"),
        ("cron(0 7 ? * 3#6 *)", "1-5"),
        ("cron(0 7 32W * ? *)", "W follows a day"),
        ("cron(0 7 10-5 * ? *)", "backwards"),
        ("rate(0 minutes)", "from 1"),
        ("rate(5 weeks)", "minute(s), hour(s) or day(s)"),
        ("at(2026-13-01T00:00:00)", "no such date"),
        ("every day at 7", "is not a schedule"),
    ] {
        let e = parse_schedule(expr).unwrap_err();
        assert!(e.contains(want), "{expr}: {e}");
    }
}

#[test]
fn at_rate_and_the_start_and_end_window() {
    let dub = Zone::named("Europe/Dublin").unwrap();
    // at() is in the action's time zone: 09:00 IST is 08:00 UTC.
    let at = parse_schedule("at(2026-06-01T09:00:00)").unwrap();
    let r = at.runs(
        &dub,
        t("2026-06-01T00:00:00Z"),
        t("2026-06-02T00:00:00Z"),
        None,
        None,
        0,
    );
    assert_eq!(r, [t("2026-06-01T08:00:00Z")]);
    // [INFER] rate runs one period after the start, then every period; StartTime/EndTime bound it.
    let rate = parse_schedule("rate(2 hours)").unwrap();
    let utc = Zone::utc();
    let origin = t("2026-01-05T00:00:00Z");
    let r = rate.runs(&utc, origin, origin + 86_400, None, None, origin);
    assert_eq!(r.len(), 12);
    assert_eq!(r[0], origin + 7200);
    let r = rate.runs(
        &utc,
        origin,
        origin + 86_400,
        Some(origin + 3600),
        Some(origin + 6 * 3600),
        origin,
    );
    assert_eq!(r, [origin + 3 * 3600, origin + 5 * 3600]);
    // rate(1 minute) and rate(1 minutes) both read as a minute.
    assert_eq!(
        parse_schedule("rate(1 minute)").unwrap(),
        Schedule::Rate(60)
    );
    assert_eq!(
        parse_schedule("rate(1 minutes)").unwrap(),
        Schedule::Rate(60)
    );
    // A cron's window: StartTime after the first run leaves it out.
    let c = parse_schedule("cron(0 7 * * ? *)").unwrap();
    let r = c.runs(
        &utc,
        origin,
        origin + 3 * 86_400,
        Some(origin + 86_400),
        None,
        origin,
    );
    assert_eq!(
        r,
        [origin + 86_400 + 7 * 3600, origin + 2 * 86_400 + 7 * 3600]
    );
}
