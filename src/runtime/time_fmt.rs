//! UTC date formatting and parsing for the vendors' timestamp formats (no time crate).

/// Civil date `(year, month, day)` of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Days since 1970-01-01 of a civil date (inverse of `civil_from_days`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

struct Parts {
    y: i64,
    mo: u32,
    d: u32,
    h: i64,
    mi: i64,
    s: i64,
}

fn parts(unix: i64) -> Parts {
    let (y, mo, d) = civil_from_days(unix.div_euclid(86_400));
    let secs = unix.rem_euclid(86_400);
    Parts {
        y,
        mo,
        d,
        h: secs / 3600,
        mi: secs % 3600 / 60,
        s: secs % 60,
    }
}

fn push_num(out: &mut String, v: i64, width: usize) {
    if (0..10_000).contains(&v) {
        let digits = [v / 1000, v / 100 % 10, v / 10 % 10, v % 10];
        for d in &digits[4 - width..] {
            out.push(char::from(b'0' + *d as u8));
        }
    } else {
        // Years outside 0..=9999: rare, keep the general formatting.
        use std::fmt::Write as _;
        let _ = write!(out, "{v:0width$}");
    }
}

/// Appends `YYYY-MM-DD` (or `YYYYMMDD` when `sep` is false) for `p`.
fn push_date(out: &mut String, p: &Parts, sep: bool) {
    push_num(out, p.y, 4);
    if sep {
        out.push('-');
    }
    push_num(out, i64::from(p.mo), 2);
    if sep {
        out.push('-');
    }
    push_num(out, i64::from(p.d), 2);
}

/// Appends `THH:MM:SSZ` (or `THHMMSSZ` when `sep` is false) for `p`.
fn push_time(out: &mut String, p: &Parts, sep: bool) {
    out.push('T');
    push_num(out, p.h, 2);
    if sep {
        out.push(':');
    }
    push_num(out, p.mi, 2);
    if sep {
        out.push(':');
    }
    push_num(out, p.s, 2);
    out.push('Z');
}

/// Appends the UTC date `YYYY-MM-DD` of `unix` to `out` (no intermediate allocation).
pub fn push_utc_date(out: &mut String, unix: i64) {
    push_date(out, &parts(unix), true);
}

/// UTC date `YYYY-MM-DD` (Tencent TC3 credential scope date).
pub fn utc_date(unix: i64) -> String {
    let mut s = String::with_capacity(10);
    push_utc_date(&mut s, unix);
    s
}

/// ISO 8601 UTC `YYYY-MM-DDTHH:MM:SSZ` (Alibaba `Timestamp` / `x-acs-date`).
pub fn iso8601(unix: i64) -> String {
    let p = parts(unix);
    let mut s = String::with_capacity(20);
    push_date(&mut s, &p, true);
    push_time(&mut s, &p, true);
    s
}

/// ISO 8601 basic UTC `YYYYMMDDTHHMMSSZ` (Huawei `X-Sdk-Date`).
pub fn iso8601_basic(unix: i64) -> String {
    let p = parts(unix);
    let mut s = String::with_capacity(16);
    push_date(&mut s, &p, false);
    push_time(&mut s, &p, false);
    s
}

/// Parses an extended ISO 8601 UTC instant `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (as in Huawei
/// IAM `expires_at`) to Unix seconds, dropping the fraction. `None` if malformed.
pub fn parse_iso8601_utc(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' {
        return None;
    }
    if b[13] != b':' || b[16] != b':' || *b.last()? != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        if t.bytes().all(|c| c.is_ascii_digit()) {
            t.parse().ok()
        } else {
            None
        }
    };
    let frac = s.get(19..s.len() - 1)?.as_bytes();
    let frac_ok = frac.is_empty()
        || (frac.len() > 1 && frac[0] == b'.' && frac[1..].iter().all(u8::is_ascii_digit));
    if !frac_ok {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let (mo, d) = (u32::try_from(mo).ok()?, u32::try_from(d).ok()?);
    let days = days_from_civil(y, mo, d);
    if civil_from_days(days) != (y, mo, d) {
        return None; // e.g. February 30
    }
    Some(days * 86_400 + h * 3600 + mi * 60 + sec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(utc_date(1_551_113_065), "2019-02-25");
        assert_eq!(iso8601(1_456_231_584), "2016-02-23T12:46:24Z");
        assert_eq!(iso8601_basic(1_573_789_015), "20191115T033655Z");
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(-1), "1969-12-31T23:59:59Z");
        assert_eq!(iso8601(253_402_300_800), "10000-01-01T00:00:00Z");
        assert_eq!(utc_date(-62_167_219_200 - 86_400), "-001-12-31");
    }

    #[test]
    fn parse_inverts_format() {
        for t in [0, 951_782_400, 1_698_315_752, 4_102_444_799, -86_401] {
            assert_eq!(parse_iso8601_utc(&iso8601(t)), Some(t));
        }
        assert_eq!(
            parse_iso8601_utc("2023-10-26T10:22:32.123000Z"),
            Some(1_698_315_752)
        );
        for bad in [
            "",
            "2023-10-26 10:22:32Z",
            "2023-13-26T10:22:32Z",
            "2023-10-26T10:22:32",
            "2023-10-26T10:22:32.Z",
            "2023-1a-26T10:22:32Z",
            "2023-02-30T00:00:00Z",
            "2023-10-26T10:22:32\u{e9}Z",
        ] {
            assert_eq!(parse_iso8601_utc(bad), None, "{bad}");
        }
    }
}
