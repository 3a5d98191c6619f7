//! Service clients: the hand-written engine every generated `Client` wraps.
//!
//! A generated client (`cloudbackup::tencent::cbs::Client`) holds a [`ServiceClient`] and has
//! one async method per action returning `Result<Output, Error<ActionError>>`; with the
//! `blocking` feature, `<service>::blocking::Client` has the same methods, blocking.
//!
//! Per logical call the engine:
//! 1. checks the request against the spec ([`ValidationMode`](crate::ValidationMode));
//! 2. fills the idempotency token (`ClientToken`) once, so every attempt carries the same one;
//! 3. per attempt: takes a rate-limit slot ([`rate_limit`]), builds and signs the request
//!    afresh (new timestamp and nonce), sends it, decodes the answer;
//! 4. retries ([`retry`]) with exponential backoff and jitter, within a maximum number of
//!    attempts, the call's total timeout and a retry budget: on service errors the spec marks
//!    retryable, on connections that never opened, and — only for idempotent actions — on
//!    timeouts and resets after sending.
//!
//! Every call is a `tracing` span `cloudbackup.call` (provider, service, action, attempts,
//! request id, latency) with a `cloudbackup.attempt` span per attempt (attempt, request id,
//! HTTP status, latency). No field holds a secret.

pub mod config;
pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod http;
#[cfg(feature = "huawei")]
pub mod iam;
pub mod paginate;
pub mod rate_limit;
mod redact;
mod response;
pub mod retry;
pub mod service;
pub(crate) mod transport;
pub mod waiter;

#[cfg(feature = "blocking")]
pub mod blocking;

#[cfg(feature = "alibaba")]
pub use config::AlibabaSignature;
pub use config::{Config, DEFAULT_USER_AGENT, Timeouts};
pub use credentials::metadata::InstanceMetadata;
pub use credentials::provider::{
    FetchContext, ProvideCredentials, ProvideFuture, ProvidedCredentials,
};
pub use credentials::sts::AssumeRole;
pub use credentials::{Credentials, Env};
pub use endpoint::{parse_endpoint, resolve_endpoint};
pub use error::{
    ConfigError, CredentialsError, Error, Throttled, TransportError, TransportErrorKind,
};
pub use http::HttpOptions;
#[cfg(feature = "huawei")]
pub use iam::HuaweiIam;
pub use paginate::{ItemStream, PageStream, Paginator};
pub use rate_limit::{RateLimitConfig, RateLimiter};
pub use retry::{RetryBudget, RetryClass, RetryPolicy};
pub use service::ServiceClient;
pub use waiter::{WaitError, WaitOptions, WaitProgress, Waited};

#[cfg(feature = "blocking")]
pub use blocking::BlockingRuntime;
