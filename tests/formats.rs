//! Wire formats of the spec's `format:` and `style:` (the runtime's `codec::format`) and path
//! templates (`in: path`): every timestamp format written, read and rejected when it is not a
//! calendar value, epoch bounds, comma and JSON lists, and `{name}` segments filled and read
//! back (with a property test of the round trip).

use cloudbackup::codec::{
    Comma, Date, EpochMillis, EpochSeconds, FieldError, JsonFormat, JsonList, LocalDateTime,
    ParamFormat, Plain, Rfc3339, fill_path, optional_as, path_params, required_as,
};
use cloudbackup::jiff::Timestamp;
use cloudbackup::jiff::civil::{Date as CivilDate, DateTime};
use proptest::prelude::*;
use serde_json::{Value, json};

/// 2026-12-04T03:39:43Z.
const INSTANT: i64 = 1_796_355_583;

fn instant() -> Timestamp {
    Timestamp::from_second(INSTANT).unwrap()
}

fn local(s: &str) -> Result<DateTime, String> {
    <LocalDateTime as ParamFormat<DateTime>>::from_param(s)
}

fn date(s: &str) -> Result<CivilDate, String> {
    <Date as ParamFormat<CivilDate>>::from_param(s)
}

fn rfc(s: &str) -> Result<Timestamp, String> {
    <Rfc3339 as ParamFormat<Timestamp>>::from_param(s)
}

#[test]
fn the_instant_constant_is_the_documented_example() {
    assert_eq!(instant().to_string(), "2026-12-04T03:39:43Z");
}

// ---------------------------------------------------------------------------- rfc3339

#[test]
fn rfc3339_is_written_in_utc_with_z_and_read_with_any_offset() {
    let t = instant();
    assert_eq!(Rfc3339::to_param(&t), "2026-12-04T03:39:43Z");
    assert_eq!(Rfc3339::to_json(&t), json!("2026-12-04T03:39:43Z"));
    assert_eq!(rfc("2026-12-04T03:39:43Z"), Ok(t));
    assert_eq!(rfc("2026-12-04T11:39:43+08:00"), Ok(t));
    assert_eq!(rfc("2026-12-04T03:39:43+00:00"), Ok(t));
    assert_eq!(
        Rfc3339::from_json(&json!("2026-12-03T22:39:43-05:00"), false),
        Ok(t)
    );
}

#[test]
fn rfc3339_keeps_fractions_only_when_there_are_some() {
    let t = rfc("2026-12-04T03:39:43.5Z").unwrap();
    assert_eq!(t.as_millisecond(), INSTANT * 1000 + 500);
    assert_eq!(Rfc3339::to_param(&t), "2026-12-04T03:39:43.5Z");
    assert_eq!(Rfc3339::to_param(&instant()), "2026-12-04T03:39:43Z");
}

#[test]
fn rfc3339_rejects_other_shapes_and_non_calendar_values() {
    for bad in [
        "",
        "2026-12-04",
        "2026-12-04 03:39:43Z", // a space for `T`
        "2026-12-04T03:39:43",  // no offset: not an instant
        "2016-13-45T99:99:99Z", // month 13, day 45, hour 99
        "2016-02-30T00:00:00Z", // 30 February
        "2023-02-29T00:00:00Z", // not a leap year
        "2026-12-04T24:00:00Z", // hour 24
        "1796355583",           // an epoch is not RFC 3339
        "2026-12-04T03:39:43Zjunk",
    ] {
        let err = rfc(bad).expect_err(bad);
        assert!(
            err.starts_with("expected an RFC 3339 date-time such as 2026-12-04T03:39:43Z, found "),
            "{bad}: {err}"
        );
    }
    assert_eq!(
        rfc("2024-02-29T23:59:59Z").map(|t| t.to_string()),
        Ok("2024-02-29T23:59:59Z".to_owned())
    );
    assert_eq!(
        Rfc3339::from_json(&json!(INSTANT), true),
        Err("expected a date-time string, found a number".to_owned())
    );
}

// ---------------------------------------------------------------------------- local-datetime

#[test]
fn local_datetime_is_exactly_yyyy_mm_dd_hh_mm_ss() {
    let d = local("2026-12-04 11:39:43").unwrap();
    assert_eq!((d.year(), d.month(), d.day()), (2026, 12, 4));
    assert_eq!((d.hour(), d.minute(), d.second()), (11, 39, 43));
    assert_eq!(LocalDateTime::to_param(&d), "2026-12-04 11:39:43");
    assert_eq!(LocalDateTime::to_json(&d), json!("2026-12-04 11:39:43"));
    assert_eq!(
        LocalDateTime::from_json(&json!("2024-02-29 23:59:59"), false).map(|d| d.day()),
        Ok(29)
    );
}

#[test]
fn local_datetime_rejects_non_calendar_values_and_other_shapes() {
    for bad in [
        "2016-13-45 99:99:99", // the value a regex accepted
        "2016-02-30 00:00:00",
        "2023-02-29 12:00:00",
        "2026-12-04 24:00:00",
        "2026-12-04 23:60:00",
        "2026-12-04 23:59:61",
        "2026-00-10 10:00:00",
        "2026-12-04T11:39:43",
        "2026-12-04 11:39",
        "2026-12-04 11:39:43.5",
        "2026-12-04 11:39:43Z",
        "2026-1-4 1:02:03",
        " 2026-12-04 11:39:43",
        "2026-12-04",
        "",
        "２０２６-12-04 11:39:43", // full-width digits
    ] {
        let err = local(bad).expect_err(bad);
        assert!(
            err.starts_with(
                "expected a date-time `yyyy-MM-dd HH:mm:ss` such as 2026-12-04 11:39:43, found "
            ),
            "{bad}: {err}"
        );
    }
    assert!(LocalDateTime::from_json(&json!(null), false).is_err());
}

#[test]
fn a_leap_second_is_read_as_the_second_before_it() {
    // jiff (like RFC 3339, which allows second 60) accepts a leap second and, having no leap
    // seconds, reads it as :59. Pinned so that a change is noticed.
    assert_eq!(local("2016-12-31 23:59:60"), local("2016-12-31 23:59:59"));
    assert_eq!(rfc("2016-12-31T23:59:60Z"), rfc("2016-12-31T23:59:59Z"));
}

// ---------------------------------------------------------------------------- date

#[test]
fn date_is_exactly_yyyy_mm_dd() {
    let d = date("2026-12-04").unwrap();
    assert_eq!(Date::to_param(&d), "2026-12-04");
    assert_eq!(Date::to_json(&d), json!("2026-12-04"));
    for bad in [
        "2016-02-30",
        "2016-13-01",
        "2026-12-00",
        "2026-12-4",
        "20261204",
        "2026-12-04 ",
        "2026-12-04T00:00:00",
        "",
    ] {
        let err = date(bad).expect_err(bad);
        assert!(
            err.starts_with("expected a date `yyyy-MM-dd` such as 2026-12-04, found "),
            "{bad}: {err}"
        );
    }
}

// ---------------------------------------------------------------------------- epochs

#[test]
fn epoch_seconds_and_millis_are_numbers_in_json_and_text_in_parameters() {
    let t = instant();
    assert_eq!(EpochSeconds::to_json(&t), json!(INSTANT));
    assert_eq!(EpochSeconds::to_param(&t), INSTANT.to_string());
    assert_eq!(EpochMillis::to_json(&t), json!(INSTANT * 1000));
    assert_eq!(EpochMillis::to_param(&t), (INSTANT * 1000).to_string());
    assert_eq!(EpochSeconds::from_json(&json!(INSTANT), false), Ok(t));
    assert_eq!(EpochMillis::from_json(&json!(INSTANT * 1000), false), Ok(t));
    assert_eq!(
        <EpochSeconds as ParamFormat<Timestamp>>::from_param(&INSTANT.to_string()),
        Ok(t)
    );
    // Before the epoch.
    assert_eq!(
        EpochSeconds::from_json(&json!(-1), false).map(|t| t.to_string()),
        Ok("1969-12-31T23:59:59Z".to_owned())
    );
    // Millisecond precision is kept; whole seconds lose the fraction.
    let ms = EpochMillis::from_json(&json!(INSTANT * 1000 + 7), false).unwrap();
    assert_eq!(EpochMillis::to_json(&ms), json!(INSTANT * 1000 + 7));
    assert_eq!(EpochSeconds::to_json(&ms), json!(INSTANT));
}

#[test]
fn epoch_strings_need_lenient_and_non_integers_are_rejected() {
    let text = json!(INSTANT.to_string());
    assert_eq!(EpochSeconds::from_json(&text, true), Ok(instant()));
    let strict = EpochSeconds::from_json(&text, false).unwrap_err();
    assert_eq!(
        strict,
        "expected an integer, found a string (seconds since the epoch)"
    );
    assert!(EpochSeconds::from_json(&json!(1.5), false).is_err());
    assert!(EpochMillis::from_json(&json!("soon"), true).is_err());
    assert_eq!(
        <EpochSeconds as ParamFormat<Timestamp>>::from_param("12a"),
        Err("expected seconds since the epoch, found \"12a\"".to_owned())
    );
}

#[test]
fn epochs_outside_the_supported_years_are_errors_not_panics() {
    // jiff's last instant is 9999-12-30T22:00:00.999999999Z (so that any offset still gives a
    // civil date-time up to 9999-12-31).
    let last = Timestamp::MAX.as_second();
    assert_eq!(
        EpochSeconds::from_json(&json!(last), false).map(|t| t.to_string()),
        Ok("9999-12-30T22:00:00Z".to_owned())
    );
    for n in [last + 1, i64::MAX, i64::MIN] {
        assert_eq!(
            EpochSeconds::from_json(&json!(n), false),
            Err(format!("{n} seconds since the epoch is out of range"))
        );
    }
    for n in [(last + 1) * 1000, i64::MAX, i64::MIN] {
        assert_eq!(
            EpochMillis::from_json(&json!(n), false),
            Err(format!("{n} milliseconds since the epoch is out of range"))
        );
        assert_eq!(
            <EpochMillis as ParamFormat<Timestamp>>::from_param(&n.to_string()),
            Err(format!("{n} milliseconds since the epoch is out of range"))
        );
    }
    // Beyond i64: not an integer at all.
    assert!(EpochMillis::from_json(&json!(1e20), false).is_err());
}

// ---------------------------------------------------------------------------- comma lists

type Strings = Comma<Plain>;

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn comma_lists_join_and_split_with_trimming() {
    let days = strings(&["Monday", "Wednesday"]);
    assert_eq!(Strings::to_param(&days), "Monday,Wednesday");
    assert_eq!(
        <Strings as JsonFormat<Vec<String>>>::to_json(&days),
        json!("Monday,Wednesday")
    );
    assert_eq!(
        <Strings as ParamFormat<Vec<String>>>::from_param(" Monday , Wednesday,Friday "),
        Ok(strings(&["Monday", "Wednesday", "Friday"]))
    );
    assert_eq!(
        <Strings as JsonFormat<Vec<String>>>::from_json(&json!("Monday,Wednesday"), false),
        Ok(days)
    );
}

#[test]
fn an_empty_comma_text_is_an_empty_list() {
    for empty in ["", "   "] {
        assert_eq!(
            <Strings as ParamFormat<Vec<String>>>::from_param(empty),
            Ok(Vec::new())
        );
    }
    assert_eq!(Strings::to_param(&Vec::<String>::new()), "");
    assert_eq!(
        <Strings as JsonFormat<Vec<String>>>::from_json(&json!(""), false),
        Ok(Vec::new())
    );
    // An empty item between commas stays an (empty) item: only a wholly empty text is no list.
    assert_eq!(
        <Strings as ParamFormat<Vec<String>>>::from_param("a,,b"),
        Ok(strings(&["a", "", "b"]))
    );
}

#[test]
fn comma_items_are_parsed_in_their_format_and_errors_name_the_item() {
    type Ints = Comma<Plain>;
    assert_eq!(
        <Ints as ParamFormat<Vec<i64>>>::from_param("1, 2 ,3"),
        Ok(vec![1, 2, 3])
    );
    assert_eq!(Ints::to_param(&vec![1_i64, -2]), "1,-2");
    let err = <Ints as ParamFormat<Vec<i64>>>::from_param("1,2,x").unwrap_err();
    assert!(err.starts_with("item 2: "), "{err}");
    assert_eq!(
        <Strings as JsonFormat<Vec<String>>>::from_json(&json!(["a", "b"]), false),
        Err("expected a comma-separated string, found an array".to_owned())
    );
}

// ---------------------------------------------------------------------------- JSON lists

#[test]
fn json_lists_format_each_item() {
    type Times = JsonList<Rfc3339>;
    let v = vec![instant(), Timestamp::UNIX_EPOCH];
    let j = Times::to_json(&v);
    assert_eq!(j, json!(["2026-12-04T03:39:43Z", "1970-01-01T00:00:00Z"]));
    assert_eq!(Times::from_json(&j, false), Ok(v.clone()));
    // As a parameter: the array's JSON text.
    let text = <Times as ParamFormat<Vec<Timestamp>>>::to_param(&v);
    assert_eq!(text, r#"["2026-12-04T03:39:43Z","1970-01-01T00:00:00Z"]"#);
    assert_eq!(
        <Times as ParamFormat<Vec<Timestamp>>>::from_param(&text),
        Ok(v)
    );
    let bad = Times::from_json(
        &json!(["2026-12-04T03:39:43Z", "2016-02-30T00:00:00Z"]),
        false,
    );
    assert!(bad.unwrap_err().starts_with("item 1: expected an RFC 3339"));
    assert_eq!(
        Times::from_json(&json!("2026-12-04T03:39:43Z"), false),
        Err("expected an array, found a string".to_owned())
    );
    assert!(
        <Times as ParamFormat<Vec<Timestamp>>>::from_param("[not json")
            .unwrap_err()
            .starts_with("not JSON: ")
    );
}

#[test]
fn json_lists_pass_leniency_to_their_items() {
    type Millis = JsonList<EpochMillis>;
    let j = json!([1000, "2000"]);
    assert!(Millis::from_json(&j, false).is_err());
    assert_eq!(
        Millis::from_json(&j, true).map(|v| v.iter().map(|t| t.as_second()).collect::<Vec<_>>()),
        Ok(vec![1, 2])
    );
}

// ---------------------------------------------------------------------------- response fields

#[test]
fn decode_errors_name_the_field() {
    let payload = json!({ "Set": { "CreateTime": "2016-13-45 99:99:99", "Empty": null } });
    let err: FieldError =
        required_as::<LocalDateTime, DateTime>(&payload, &["Set", "CreateTime"], false)
            .unwrap_err();
    assert_eq!(err.path, "Set.CreateTime");
    assert!(err.reason.contains("`yyyy-MM-dd HH:mm:ss`"), "{err}");
    assert!(
        err.to_string()
            .starts_with("field `Set.CreateTime`: expected")
    );
    // Absent and `null` are no value; required fields say so.
    assert_eq!(
        optional_as::<Rfc3339, Timestamp>(&payload, &["Set", "Empty"], false),
        Ok(None)
    );
    assert_eq!(
        required_as::<Rfc3339, Timestamp>(&payload, &["Set", "Missing"], false),
        Err(FieldError {
            path: "Set.Missing".into(),
            reason: "missing".into()
        })
    );
}

// ---------------------------------------------------------------------------- path templates

#[test]
fn path_values_are_encoded_as_one_segment() {
    let t = "/v1/{project_id}/jobs/{job_id}";
    let fill = |p: &str, j: &str| fill_path(t, &[("project_id", p), ("job_id", j)]);
    assert_eq!(fill("p1", "j1"), "/v1/p1/jobs/j1");
    assert_eq!(fill("a/b", "j"), "/v1/a%2Fb/jobs/j");
    assert_eq!(fill("é", "a b"), "/v1/%C3%A9/jobs/a%20b");
    assert_eq!(fill("50%", "?x=1#f"), "/v1/50%25/jobs/%3Fx%3D1%23f");
    assert_eq!(fill("A-z_0.9~", ".."), "/v1/A-z_0.9~/jobs/..");
    // A template without parameters is the path; a value not given leaves the segment.
    assert_eq!(fill_path("/v1/jobs", &[("job_id", "x")]), "/v1/jobs");
    assert_eq!(fill_path(t, &[("job_id", "j")]), "/v1/{project_id}/jobs/j");
}

#[test]
fn path_params_reads_the_values_back_when_the_path_matches() {
    let t = "/v1/{project_id}/jobs/{job_id}";
    assert_eq!(
        path_params(t, "/v1/a%2Fb/jobs/%C3%A9%20x"),
        Some(vec![
            ("project_id", "a/b".to_owned()),
            ("job_id", "é x".to_owned())
        ])
    );
    assert_eq!(path_params("/v1/jobs", "/v1/jobs"), Some(Vec::new()));
    for other in [
        "/v1/p/jobs",         // a segment short
        "/v1/p/jobs/j/extra", // a segment long
        "/v2/p/jobs/j",       // a literal differs
        "/v1//jobs/j",        // an empty value
        "/v1/p/jobs/%zz",     // a bad escape
        "/v1/p/jobs/%FF",     // not UTF-8
    ] {
        assert_eq!(path_params(t, other), None, "{other}");
    }
}

proptest! {
    /// Any non-empty values survive filling and reading back, and never add or remove a
    /// segment.
    #[test]
    fn filled_paths_read_back(a in "\\PC{1,12}", b in "[ -~]{1,12}") {
        let t = "/v1/{project_id}/cloud-phone/{job_id}";
        let path = fill_path(t, &[("project_id", &a), ("job_id", &b)]);
        prop_assert_eq!(path.split('/').count(), t.split('/').count());
        prop_assert!(path.is_ascii());
        let back = path_params(t, &path);
        prop_assert_eq!(back, Some(vec![("project_id", a), ("job_id", b)]));
    }

    /// Comma lists of items without `,` and without surrounding blanks round-trip.
    #[test]
    fn comma_lists_round_trip(items in prop::collection::vec("[A-Za-z0-9_.-]{1,8}", 0..6)) {
        let text = Strings::to_param(&items);
        prop_assert_eq!(<Strings as ParamFormat<Vec<String>>>::from_param(&text), Ok(items.clone()));
        let j: Value = <Strings as JsonFormat<Vec<String>>>::to_json(&items);
        prop_assert_eq!(<Strings as JsonFormat<Vec<String>>>::from_json(&j, false), Ok(items));
    }

    /// Every second from year 1 to jiff's last instant round-trips through each format.
    #[test]
    fn timestamps_round_trip(secs in -62_135_596_800_i64..=Timestamp::MAX.as_second()) {
        let t = Timestamp::from_second(secs).unwrap();
        prop_assert_eq!(rfc(&Rfc3339::to_param(&t)), Ok(t));
        prop_assert_eq!(EpochSeconds::from_json(&EpochSeconds::to_json(&t), false), Ok(t));
        prop_assert_eq!(EpochMillis::from_json(&EpochMillis::to_json(&t), false), Ok(t));
        let civil = cloudbackup::jiff::tz::Offset::UTC.to_datetime(t);
        prop_assert_eq!(local(&LocalDateTime::to_param(&civil)), Ok(civil));
        prop_assert_eq!(date(&Date::to_param(&civil.date())), Ok(civil.date()));
    }
}
