//! What every service error carries: code, message, request id and HTTP status.

use std::fmt;

/// The parts of a service error common to every family.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMeta {
    /// The code as the service sent it; integer codes as decimal strings (`"50"`).
    pub code: String,
    /// The service's message.
    pub message: String,
    /// The request id, from the body or a response header, when the service sent one.
    pub request_id: Option<String>,
    /// The HTTP status of the response.
    pub http_status: u16,
    /// The response as received, secrets redacted: only when the client captures responses
    /// ([`Config::capture_raw_response`](crate::Config::capture_raw_response)).
    pub raw: Option<Box<RawHttp>>,
}

/// An HTTP response as received, for diagnostics: status, every header, the body (as text,
/// at most [`RawHttp::BODY_MAX`] bytes). Header values and body never hold a secret: the
/// caller's keys and tokens, in every form a server may echo them, and the values of headers
/// that carry credentials (`Set-Cookie`, `X-Subject-Token`, ...) are replaced by `<redacted>`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawHttp {
    /// HTTP status code.
    pub status: u16,
    /// Headers in the order received, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body, lossy UTF-8, cut at [`RawHttp::BODY_MAX`] bytes.
    pub body: String,
    /// Whether the body was longer than [`RawHttp::BODY_MAX`].
    pub truncated: bool,
}

impl RawHttp {
    /// The most body bytes kept.
    pub const BODY_MAX: usize = 64 * 1024;

    /// The first header named `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::runtime::request::find_header(&self.headers, name)
    }
}

impl fmt::Display for ErrorMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}",
            self.code,
            crate::client::error::one_line(&self.message)
        )?;
        match &self.request_id {
            Some(id) => write!(f, " (request id {id})"),
            None => f.write_str(" (no request id)"),
        }
    }
}

/// Implemented by every generated `<Action>Error` enum.
pub trait ServiceError: std::error::Error {
    /// Code, message, request id and status.
    fn meta(&self) -> &ErrorMeta;
    /// Whether the spec says trying again later can succeed.
    fn is_retryable(&self) -> bool;
}

impl From<crate::runtime::decode::ServiceErrorParts> for ErrorMeta {
    fn from(p: crate::runtime::decode::ServiceErrorParts) -> Self {
        ErrorMeta {
            code: p.code,
            message: p.message,
            request_id: p.request_id,
            http_status: p.http_status,
            raw: None,
        }
    }
}
