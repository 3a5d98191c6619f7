//! What a client takes from a response besides its decoded body: the delay a throttled answer
//! asks for, and (opt-in) the whole response, secrets redacted, for diagnostics.

use std::time::Duration;

use super::redact::{self, Patterns, REDACTED};
use crate::error_meta::RawHttp;
use crate::runtime::decode::RawResponse;
use crate::runtime::request::find_header;
use crate::runtime::time_fmt::parse_iso8601_utc;

/// Response headers whose value is a credential whoever's it is (a session, an IAM token):
/// never kept, even redacted by pattern.
const CREDENTIAL_HEADERS: &[&str] = &[
    "set-cookie",
    "authorization",
    "proxy-authorization",
    "x-subject-token",
    "x-auth-token",
    "x-security-token",
    "x-tc-token",
    "x-acs-security-token",
];

/// The response as received, for [`RawHttp`]: every header (credential headers and the
/// caller's secrets redacted), the body (already redacted by the client) cut at
/// [`RawHttp::BODY_MAX`].
pub(crate) fn capture(raw: &RawResponse, patterns: &Patterns) -> RawHttp {
    let headers = raw
        .headers
        .iter()
        .map(|(k, v)| {
            let name = k.to_ascii_lowercase();
            let value = if CREDENTIAL_HEADERS.contains(&name.as_str()) {
                REDACTED.to_owned()
            } else {
                let mut bytes = v.clone().into_bytes();
                redact::redact(&mut bytes, patterns);
                String::from_utf8_lossy(&bytes).into_owned()
            };
            (name, value)
        })
        .collect();
    let truncated = raw.body.len() > RawHttp::BODY_MAX;
    let mut end = raw.body.len().min(RawHttp::BODY_MAX);
    // Cut on a character boundary when the body is UTF-8.
    while end > 0 && end < raw.body.len() && (raw.body[end] & 0xC0) == 0x80 {
        end -= 1;
    }
    RawHttp {
        status: raw.status,
        headers,
        body: String::from_utf8_lossy(&raw.body[..end]).into_owned(),
        truncated,
    }
}

/// The wait a response asks for before the next attempt: `Retry-After` (RFC 9110 §10.2.3:
/// delay-seconds, or an HTTP date judged by `now`, the client's clock), else Alibaba's
/// `x-acs-retry-after` (milliseconds, positive; what Alibaba's Darabonba runtime reads as
/// `retryAfter` for its `ThrottlingException`, `getThrottlingTimeLeft` in
/// aliyun/darabonba-openapi, read 2026-12-04). `None` when absent or malformed.
pub(crate) fn retry_after(headers: &[(String, String)], now: i64) -> Option<Duration> {
    if let Some(v) = find_header(headers, "retry-after").map(str::trim) {
        if let Ok(secs) = v.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        if let Some(at) = parse_http_date(v) {
            return Some(Duration::from_secs(u64::try_from(at - now).unwrap_or(0)));
        }
    }
    find_header(headers, "x-acs-retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .map(Duration::from_millis)
}

/// Whether a service error code says the credentials were refused (expired, unknown, revoked).
pub(crate) fn is_auth_failure(family: crate::meta::Family, code: &str) -> bool {
    use crate::meta::Family;
    match family {
        #[cfg(feature = "tencent")]
        Family::TencentTc3 => code.starts_with("AuthFailure."),
        #[cfg(feature = "tencent")]
        Family::TencentApi2 => matches!(code, "4100" | "4104"),
        #[cfg(feature = "alibaba")]
        Family::AlibabaRpc => {
            code.starts_with("InvalidAccessKeyId") || code.starts_with("InvalidSecurityToken")
        }
        #[cfg(feature = "huawei")]
        Family::HuaweiRest => matches!(code, "APIG.0301" | "APIG.0303"),
    }
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form RFC 9110 requires senders to
/// use, as Unix seconds.
fn parse_http_date(s: &str) -> Option<i64> {
    let mut parts = s.split_ascii_whitespace();
    let (_weekday, day, month, year, time, zone) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if zone != "GMT" || parts.next().is_some() || day.len() != 2 || year.len() != 4 {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = MONTHS.iter().position(|x| *x == month)? + 1;
    parse_iso8601_utc(&format!("{year}-{m:02}-{day}T{time}Z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(k: &str, v: &str) -> Vec<(String, String)> {
        vec![(k.to_owned(), v.to_owned())]
    }

    #[test]
    fn retry_after_in_seconds_dates_and_alibaba_milliseconds() {
        let now = 784_111_777; // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(
            retry_after(&h("Retry-After", "120"), now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            retry_after(&h("retry-after", "Sun, 06 Nov 1994 08:50:07 GMT"), now),
            Some(Duration::from_secs(30))
        );
        // A date in the past: no wait.
        assert_eq!(
            retry_after(&h("Retry-After", "Sun, 06 Nov 1994 08:49:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            retry_after(&h("x-acs-retry-after", "1500"), now),
            Some(Duration::from_millis(1500))
        );
        for bad in ["soon", "-5", "Sun, 06 Nov 1994 08:49:37 PST", ""] {
            assert_eq!(retry_after(&h("Retry-After", bad), now), None, "{bad}");
        }
        assert_eq!(retry_after(&h("x-acs-retry-after", "0"), now), None);
        assert_eq!(retry_after(&[], now), None);
    }
}
