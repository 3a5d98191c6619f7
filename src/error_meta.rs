//! What every service error carries: code, message, request id and HTTP status.

use std::fmt;

/// The parts of a service error common to every family.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorMeta {
    /// The code as the service sent it; integer codes as decimal strings (`"50"`).
    pub code: String,
    /// The service's message.
    pub message: String,
    /// The request id, from the body or a response header, when the service sent one.
    pub request_id: Option<String>,
    /// The HTTP status of the response.
    pub http_status: u16,
}

impl fmt::Display for ErrorMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
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
        }
    }
}
