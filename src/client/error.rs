//! The one error type of a call ([`Error`]) and the errors of building a client.

use std::fmt;
use std::time::Duration;

use crate::error_meta::{ErrorMeta, ServiceError};
use crate::runtime::decode::DecodeError;
use crate::runtime::request::SignError;
use crate::validation::ValidationErrors;

/// Why a call failed. `E` is the action's typed error (`CreateDiskBackupError`).
///
/// `Display` is one line (a server's line breaks become spaces); for a service error it shows
/// the code, the message, the request id and the HTTP status. [`Error::request_id`] is the
/// request id of any variant that has one; [`Error::raw_response`] the whole response when
/// captured. No variant ever holds a secret.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request broke the spec's constraints (every violation); nothing was sent.
    Validation(ValidationErrors),
    /// The service answered with an error, mapped to the action's typed error.
    Service(E),
    /// The client's own rate limiter refused the call before sending it.
    Throttled(Throttled),
    /// The request could not be sent or its answer not received.
    Transport(TransportError),
    /// The answer was neither a recognisable success nor a recognisable service error.
    Decode(DecodeError),
    /// No usable credentials (boxed: it names every place looked at and may hold the raw
    /// answer of the STS or IAM call that refused).
    Credentials(Box<CredentialsError>),
    /// The client's configuration cannot serve this call (endpoint, region, signing).
    Config(ConfigError),
}

impl<E: ServiceError> Error<E> {
    /// The service error's code, message, request id and status, for [`Error::Service`].
    pub fn service_meta(&self) -> Option<&ErrorMeta> {
        match self {
            Error::Service(e) => Some(e.meta()),
            _ => None,
        }
    }

    /// The typed service error, for [`Error::Service`].
    pub fn as_service(&self) -> Option<&E> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The request id of the failed call, when the service sent one: of a service error, an
    /// answer that could not be decoded (a gateway's page with a request-id header), a
    /// connection that failed after the answer's headers, or a refusal by the service that
    /// hands out credentials.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(e) => e.meta().request_id.as_deref(),
            Error::Decode(d) => d.request_id.as_deref(),
            Error::Transport(t) => t.request_id.as_deref(),
            Error::Credentials(c) => c.request_id.as_deref(),
            _ => None,
        }
    }

    /// The response as received (status, headers, body; secrets redacted): the service's, or
    /// for a credentials error the answer of the STS or IAM call that refused, when the client
    /// captures responses ([`Config::capture_raw_response`](crate::Config::capture_raw_response)).
    pub fn raw_response(&self) -> Option<&crate::error_meta::RawHttp> {
        match self {
            Error::Service(e) => e.meta().raw.as_deref(),
            Error::Decode(d) => d.raw.as_deref(),
            Error::Credentials(c) => c.raw.as_deref(),
            _ => None,
        }
    }
}

impl<E: ServiceError> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(v) => fmt::Display::fmt(v, f),
            Error::Service(e) => {
                let m = e.meta();
                write!(
                    f,
                    "service error {}: {} (request id ",
                    m.code,
                    one_line(&m.message)
                )?;
                match &m.request_id {
                    Some(id) => f.write_str(id)?,
                    None => f.write_str("none")?,
                }
                write!(f, ", HTTP {})", m.http_status)
            }
            Error::Throttled(t) => fmt::Display::fmt(t, f),
            Error::Transport(t) => fmt::Display::fmt(t, f),
            Error::Decode(d) => fmt::Display::fmt(d, f),
            Error::Credentials(c) => fmt::Display::fmt(c, f),
            Error::Config(c) => fmt::Display::fmt(c, f),
        }
    }
}

impl<E: ServiceError + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Validation(v) => Some(v),
            Error::Service(e) => Some(e),
            Error::Throttled(t) => Some(t),
            Error::Transport(t) => Some(t),
            Error::Decode(d) => Some(d),
            Error::Credentials(c) => Some(c),
            Error::Config(c) => Some(c),
        }
    }
}

/// The client's rate limiter refused a call whose documented limit is over a long window
/// (more than a minute: waiting would block for too long).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Throttled {
    /// The action.
    pub action: &'static str,
    /// Calls allowed per window.
    pub max_calls: u32,
    /// Window in seconds.
    pub per_seconds: u64,
    /// When a call would next be allowed.
    pub retry_after: Duration,
}

impl fmt::Display for Throttled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} refused by the client's rate limiter: at most {} calls per {} s; next allowed in {} s",
            self.action,
            self.max_calls,
            self.per_seconds,
            self.retry_after.as_secs().max(1)
        )
    }
}

impl std::error::Error for Throttled {}

/// What kind of transport failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made: the request was never sent.
    Connect,
    /// The attempt timed out (connect or overall); the request may have reached the server.
    Timeout,
    /// The connection failed while sending or receiving; the request may have reached the
    /// server.
    Io,
}

/// The request could not be sent or its answer not received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransportError {
    /// Kind of failure.
    pub kind: TransportErrorKind,
    /// Whether the request may have reached the server (`false` only when it surely did not).
    pub maybe_sent: bool,
    /// The HTTP library's description (no URL query, no headers).
    pub message: String,
    /// Attempts made in the call, this one included.
    pub attempts: u32,
    /// The request id, when the answer's headers arrived before the failure.
    pub request_id: Option<String>,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "cannot connect",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Io => "connection failed",
        };
        write!(
            f,
            "transport error: {what} ({}) after {} attempt{}",
            one_line(&self.message),
            self.attempts,
            if self.attempts == 1 { "" } else { "s" }
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {}

/// No usable credentials: none were found (naming every place looked at), or a source that
/// fetches them (instance metadata, STS, IAM, a custom provider) failed. Never shows a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialsError {
    /// Provider name (`Tencent Cloud`).
    pub provider: &'static str,
    /// Environment variables looked at.
    pub variables: Vec<String>,
    /// Files looked at.
    pub files: Vec<String>,
    /// A specific problem (a file that exists but cannot be read or parsed, a variable set
    /// without its pair, a failed fetch), if any.
    pub problem: Option<String>,
    /// The request id of a refusal by the service that hands out credentials (STS, IAM).
    pub request_id: Option<String>,
    /// That service's whole answer, secrets redacted, when the client captures responses
    /// ([`Config::capture_raw_response`](crate::Config::capture_raw_response)); never shown
    /// by `Display`.
    pub raw: Option<Box<crate::error_meta::RawHttp>>,
}

impl CredentialsError {
    /// A failure of a source that fetches credentials (`provider`: `tencent`, `alibaba`,
    /// `huawei`).
    pub fn fetch(provider: &str, problem: impl Into<String>) -> Self {
        CredentialsError {
            provider: super::credentials::provider_name(provider),
            variables: Vec::new(),
            files: Vec::new(),
            problem: Some(problem.into()),
            request_id: None,
            raw: None,
        }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no {} credentials", self.provider)?;
        if !self.variables.is_empty() {
            write!(
                f,
                ": looked at environment variables {}",
                self.variables.join(", ")
            )?;
        }
        if !self.files.is_empty() {
            write!(f, " and files {}", self.files.join(", "))?;
        }
        if let Some(p) = &self.problem {
            write!(f, "; {}", one_line(p))?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for CredentialsError {}

/// A configuration that cannot make a client or serve a call.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// The spec lists no host for the region and no endpoint was given.
    UnknownRegion {
        /// `provider/service`.
        service: String,
        /// The region asked for.
        region: String,
        /// The regions the spec knows.
        known: Vec<&'static str>,
    },
    /// The service needs a region (or an endpoint) and none was given.
    MissingRegion {
        /// `provider/service`.
        service: String,
    },
    /// The service publishes no endpoint at all: one must be given.
    NoEndpoint {
        /// `provider/service`.
        service: String,
    },
    /// The region is not a region id.
    InvalidRegion {
        /// The region as given.
        region: String,
        /// Why.
        reason: String,
    },
    /// The endpoint override is not a usable `http(s)://host[:port]`.
    InvalidEndpoint {
        /// The endpoint as given.
        endpoint: String,
        /// Why.
        reason: String,
    },
    /// Credentials of one provider given to a client of another.
    CredentialsMismatch {
        /// The client's provider.
        expected: &'static str,
        /// The credentials' provider.
        got: &'static str,
    },
    /// No credentials (boxed, as in [`Error::Credentials`]).
    Credentials(Box<CredentialsError>),
    /// The HTTP client or blocking runtime could not be built.
    Http(String),
    /// The role to assume does not fit the client's provider (a Huawei agency for a Tencent
    /// client, a role ARN for a Huawei one).
    Role(String),
    /// An operation of another service was given to this client.
    WrongService {
        /// The client's `provider/service`.
        client: String,
        /// The operation's `provider/service`.
        operation: String,
    },
    /// The request could not be signed.
    Sign(SignError),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::UnknownRegion {
                service,
                region,
                known,
            } => write!(
                f,
                "{service} has no known endpoint for region `{}` (known: {}); give an endpoint explicitly",
                crate::validation::shorten(region),
                known.join(", ")
            ),
            ConfigError::MissingRegion { service } => {
                write!(f, "{service} needs a region or an explicit endpoint")
            }
            ConfigError::NoEndpoint { service } => write!(
                f,
                "{service} publishes no endpoint; give one explicitly (Config::endpoint)"
            ),
            ConfigError::InvalidRegion { region, reason } => {
                let region = crate::validation::shorten(region);
                write!(f, "invalid region `{region}`: {reason}")
            }
            ConfigError::InvalidEndpoint { endpoint, reason } => {
                let endpoint = crate::validation::shorten(endpoint);
                write!(f, "invalid endpoint `{endpoint}`: {reason}")
            }
            ConfigError::CredentialsMismatch { expected, got } => {
                write!(f, "a {expected} client was given {got} credentials")
            }
            ConfigError::Credentials(c) => fmt::Display::fmt(c, f),
            ConfigError::Http(m) => write!(f, "cannot build the HTTP client: {m}"),
            ConfigError::Role(m) => write!(f, "cannot assume the role: {m}"),
            ConfigError::WrongService { client, operation } => {
                write!(f, "a {client} client cannot send a {operation} operation")
            }
            ConfigError::Sign(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl std::error::Error for ConfigError {}

impl From<CredentialsError> for ConfigError {
    fn from(e: CredentialsError) -> Self {
        ConfigError::Credentials(Box::new(e))
    }
}

/// `s` on one line: line breaks and other control characters become spaces (a server's
/// message may hold them; every `Display` of this crate's errors is one line).
pub(crate) fn one_line(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(char::is_control) {
        std::borrow::Cow::Owned(
            s.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect(),
        )
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}
