//! Response decoding: turns every response a vendor can send into a typed success
//! ([`Decoded::Success`]), a typed service error ([`Decoded::Error`]) or a [`DecodeError`].
//!
//! Never panics on any input; the body excerpt a [`DecodeError`] carries is bounded to
//! [`EXCERPT_MAX`] bytes, cut on a char boundary.

#[cfg(feature = "alibaba")]
mod alibaba;
#[cfg(feature = "huawei")]
mod huawei;
#[cfg(feature = "tencent")]
mod tencent;

use std::fmt;

use serde_json::{Map, Value};

#[cfg(feature = "alibaba")]
pub use alibaba::decode_alibaba;
#[cfg(feature = "huawei")]
pub use huawei::decode_huawei;
#[cfg(feature = "tencent")]
pub use tencent::{decode_tc3, decode_tencent_v2};

/// An HTTP response as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The first header named `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::runtime::request::find_header(&self.headers, name)
    }

    fn is_success_status(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Metadata of a successful response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseMeta {
    /// Request id from the body or a response header.
    pub request_id: Option<String>,
    /// HTTP status code.
    pub http_status: u16,
}

/// A service error as the vendor reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceErrorParts {
    /// Error code; integer codes as decimal strings (e.g. `"50"`).
    pub code: String,
    /// Error message (may be empty).
    pub message: String,
    /// Request id from the body or a response header.
    pub request_id: Option<String>,
    /// HTTP status code.
    pub http_status: u16,
}

/// A decoded response.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    /// A success; `payload` per family (see each `decode_*` function).
    Success {
        /// The success payload.
        payload: Value,
        /// Request id and status.
        meta: ResponseMeta,
    },
    /// A service error.
    Error(ServiceErrorParts),
}

/// A response that is neither a recognisable success nor a recognisable service error (a
/// gateway's HTML page, a truncated body, an unexpected shape).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecodeError {
    /// HTTP status code.
    pub http_status: u16,
    /// What was wrong.
    pub reason: String,
    /// The start of the body (at most [`EXCERPT_MAX`] bytes, lossy UTF-8).
    pub excerpt: String,
    /// The request id, when the response carried one (a request-id header, or a request-id
    /// field of a JSON body).
    pub request_id: Option<String>,
    /// The whole response, when the client captures responses (see
    /// [`ErrorMeta::raw`](crate::ErrorMeta::raw)).
    pub raw: Option<Box<crate::error_meta::RawHttp>>,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot decode response (HTTP {}): {}; body starts {:?}",
            self.http_status,
            crate::client::error::one_line(&self.reason),
            self.excerpt
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

/// Maximum length in bytes of [`DecodeError::excerpt`].
pub const EXCERPT_MAX: usize = 256;

/// The first at most [`EXCERPT_MAX`] bytes of `body` as text: invalid UTF-8 replaced, a
/// character cut by the limit dropped, never longer than [`EXCERPT_MAX`] bytes.
pub fn excerpt(body: &[u8]) -> String {
    let slice = &body[..body.len().min(EXCERPT_MAX)];
    let mut s = match std::str::from_utf8(slice) {
        Ok(s) => s.to_owned(),
        // Only an incomplete sequence at the cut: drop it.
        Err(e) if e.error_len().is_none() => {
            String::from_utf8_lossy(&slice[..e.valid_up_to()]).into_owned()
        }
        Err(_) => String::from_utf8_lossy(slice).into_owned(),
    };
    if s.len() > EXCERPT_MAX {
        let mut cut = EXCERPT_MAX;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

impl DecodeError {
    /// The error for `resp`, with the request id it carries, if any.
    pub fn new(resp: &RawResponse, reason: impl Into<String>) -> Self {
        Self {
            http_status: resp.status,
            reason: reason.into(),
            excerpt: excerpt(&resp.body),
            request_id: any_request_id(resp),
            raw: None,
        }
    }
}

/// The request id of any response: a request-id header, else the request-id field of a JSON
/// body in any family's place (`RequestId`, `requestId`, `request_id`, `Response.RequestId`).
pub(crate) fn any_request_id(resp: &RawResponse) -> Option<String> {
    if let Some(id) = header_request_id(resp) {
        return Some(id);
    }
    let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(&resp.body) else {
        return None;
    };
    let inner = obj.get("Response").and_then(Value::as_object);
    [Some(&obj), inner]
        .into_iter()
        .flatten()
        .find_map(|o| {
            ["RequestId", "requestId", "request_id"]
                .iter()
                .find_map(|f| o.get(*f).and_then(Value::as_str))
        })
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Response headers that carry a request id, in the order they are tried: the only headers
/// the decoders read.
pub(crate) const REQUEST_ID_HEADERS: &[&str] = &[
    "x-request-id",
    "x-acs-request-id",
    "x-tc-requestid",
    "x-openstack-request-id",
];

/// Response headers that ask a client to wait before retrying: `Retry-After` (RFC 9110:
/// seconds or an HTTP date) and Alibaba's `x-acs-retry-after` (milliseconds).
pub(crate) const RETRY_AFTER_HEADERS: &[&str] = &["retry-after", "x-acs-retry-after"];

/// Whether the client reads response header `lowercase_name` (request ids, retry delays).
pub(crate) fn is_decoded_header(lowercase_name: &str) -> bool {
    REQUEST_ID_HEADERS.contains(&lowercase_name) || RETRY_AFTER_HEADERS.contains(&lowercase_name)
}

fn header_request_id(resp: &RawResponse) -> Option<String> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|h| resp.header(h))
        .map(str::to_owned)
}

/// The request id: the first string body field among `fields`, else a response header.
fn request_id(resp: &RawResponse, obj: &Map<String, Value>, fields: &[&str]) -> Option<String> {
    fields
        .iter()
        .find_map(|f| obj.get(*f).and_then(Value::as_str))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .or_else(|| header_request_id(resp))
}

/// Parses the body as a JSON object.
fn parse_object(resp: &RawResponse) -> Result<Map<String, Value>, DecodeError> {
    if resp.body.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeError::new(resp, "empty body"));
    }
    match serde_json::from_slice::<Value>(&resp.body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(DecodeError::new(resp, "body is JSON but not an object")),
        Err(e) => Err(DecodeError::new(resp, format!("body is not JSON: {e}"))),
    }
}

/// A code given as a string or an integer, as a string. `None` for other types.
fn code_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        _ => None,
    }
}

/// The first field among `fields` that is a string, as a string (empty if none).
fn text_field(obj: &Map<String, Value>, fields: &[&str]) -> String {
    fields
        .iter()
        .find_map(|f| obj.get(*f).and_then(Value::as_str))
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_bounded_and_cut_on_char_boundary() {
        let body = "é".repeat(200); // 400 bytes; byte 256 is the start of a char
        let e = excerpt(body.as_bytes());
        assert_eq!(e.len(), 256);
        let body = format!("x{}", "é".repeat(200)); // cut falls inside a char
        let e = excerpt(body.as_bytes());
        assert_eq!(e.len(), 255);
        assert!(e.ends_with('é'));
        let invalid = vec![0xFFu8; 1000];
        assert!(excerpt(&invalid).len() <= EXCERPT_MAX);
        assert_eq!(excerpt(b""), "");
    }
}
