//! Client configuration: region, endpoint, credentials, timeouts, retries, validation, rate
//! limits, HTTP client, user agent, and the injectable clock, nonce and timer sources.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::credentials::{Credentials, Env};
use super::rate_limit::RateLimitConfig;
use super::retry::RetryPolicy;
use crate::runtime::clock::{Clock, NonceSource, RandomNonce, SystemClock, Timer, TokioTimer};
use crate::validation::ValidationMode;

/// The default user agent: `cloudbackup/<version>`.
pub const DEFAULT_USER_AGENT: &str = concat!("cloudbackup/", env!("CARGO_PKG_VERSION"));

/// Timeouts of a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Opening a connection (TCP and TLS). Default 5 s.
    pub connect: Duration,
    /// One attempt, from sending to the end of the answer. Default 30 s.
    pub attempt: Duration,
    /// A whole call, retries and backoff included; `None` for no limit. Default 120 s.
    pub total: Option<Duration>,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(5),
            attempt: Duration::from_secs(30),
            total: Some(Duration::from_secs(120)),
        }
    }
}

/// Which Alibaba RPC signature to use.
#[cfg(feature = "alibaba")]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AlibabaSignature {
    /// ACS3-HMAC-SHA256 (the default; the vendor's current one).
    #[default]
    V3,
    /// The V2 HMAC-SHA1 `Signature` parameter.
    V2,
}

/// Configuration of a service client. Build it with [`Config::new`] and the setters.
///
/// `Debug` never shows a secret.
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<String>,
    pub(crate) credentials: Option<Credentials>,
    pub(crate) env: Option<Env>,
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryPolicy,
    pub(crate) validation: ValidationMode,
    pub(crate) rate_limits: RateLimitConfig,
    pub(crate) http: Option<reqwest::Client>,
    pub(crate) user_agent: String,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) nonce: Arc<dyn NonceSource>,
    pub(crate) timer: Option<Arc<dyn Timer>>,
    #[cfg(feature = "alibaba")]
    pub(crate) alibaba_signature: AlibabaSignature,
    #[cfg(feature = "tencent")]
    pub(crate) tencent_v2_method: crate::runtime::TencentV2Method,
    #[cfg(feature = "huawei")]
    pub(crate) huawei_iam: Option<super::iam::HuaweiIam>,
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Config");
        d.field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("credentials", &self.credentials)
            .field("env", &self.env)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("validation", &self.validation)
            .field("rate_limits", &self.rate_limits)
            .field("http", &self.http.as_ref().map(|_| "custom"))
            .field("user_agent", &self.user_agent)
            .field("clock", &self.clock)
            .field("nonce", &self.nonce)
            .field("timer", &self.timer);
        #[cfg(feature = "alibaba")]
        d.field("alibaba_signature", &self.alibaba_signature);
        #[cfg(feature = "tencent")]
        d.field("tencent_v2_method", &self.tencent_v2_method);
        #[cfg(feature = "huawei")]
        d.field("huawei_iam", &self.huawei_iam);
        d.finish()
    }
}

impl Config {
    /// Defaults: no region, the spec's endpoints, credentials from the process environment
    /// and profile files, [`Timeouts::default`], [`RetryPolicy::standard`], validation on,
    /// the spec's rate limits, the system clock and random nonces.
    pub fn new() -> Self {
        Self {
            region: None,
            endpoint: None,
            credentials: None,
            env: None,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::standard(),
            validation: ValidationMode::Enforce,
            rate_limits: RateLimitConfig::spec(),
            http: None,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            clock: Arc::new(SystemClock),
            nonce: Arc::new(RandomNonce),
            timer: None,
            #[cfg(feature = "alibaba")]
            alibaba_signature: AlibabaSignature::V3,
            #[cfg(feature = "tencent")]
            tencent_v2_method: crate::runtime::TencentV2Method::HmacSha256,
            #[cfg(feature = "huawei")]
            huawei_iam: None,
        }
    }

    /// Huawei clients: obtain IAM tokens by themselves (password auth, project scope), cached
    /// until shortly before they expire and renewed when the gateway rejects one. Used when no
    /// explicit credentials are given.
    #[cfg(feature = "huawei")]
    #[must_use]
    pub fn huawei_iam(mut self, iam: super::iam::HuaweiIam) -> Self {
        self.huawei_iam = Some(iam);
        self
    }

    /// Sets the region (`ap-guangzhou`, `cn-hangzhou`): picks the endpoint and is sent where
    /// the family sends one.
    #[must_use]
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets the endpoint, overriding the spec's: `https://host[:port]`, `http://host[:port]`
    /// (an emulator, a proxy, `http://127.0.0.1:8080`) or a bare host (HTTPS).
    #[must_use]
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Sets explicit credentials; otherwise they are looked for in the environment.
    #[must_use]
    pub fn credentials(mut self, credentials: impl Into<Credentials>) -> Self {
        self.credentials = Some(credentials.into());
        self
    }

    /// Sets where credentials are looked for when none are given (default: the process).
    #[must_use]
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// Sets every timeout.
    #[must_use]
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Sets the connect timeout (ignored with an injected HTTP client, which has its own).
    #[must_use]
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.timeouts.connect = d;
        self
    }

    /// Sets the timeout of one attempt.
    #[must_use]
    pub fn attempt_timeout(mut self, d: Duration) -> Self {
        self.timeouts.attempt = d;
        self
    }

    /// Sets the timeout of a whole call, retries included (`None`: no limit).
    #[must_use]
    pub fn total_timeout(mut self, d: Option<Duration>) -> Self {
        self.timeouts.total = d;
        self
    }

    /// Sets the retry policy.
    #[must_use]
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sets whether requests are validated before sending.
    #[must_use]
    pub fn validation(mut self, mode: ValidationMode) -> Self {
        self.validation = mode;
        self
    }

    /// Sets client-side rate limiting.
    #[must_use]
    pub fn rate_limits(mut self, limits: RateLimitConfig) -> Self {
        self.rate_limits = limits;
        self
    }

    /// Uses this HTTP client (proxies, TLS roots, pools). Its own timeouts and user agent
    /// apply in addition to the config's attempt timeout and `User-Agent` header.
    #[must_use]
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Sets the `User-Agent` header.
    #[must_use]
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }

    /// Sets the wall clock signatures take their timestamp from.
    #[must_use]
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Sets the source of nonces, request ids, idempotency tokens and backoff jitter.
    #[must_use]
    pub fn nonce_source(mut self, nonce: Arc<dyn NonceSource>) -> Self {
        self.nonce = nonce;
        self
    }

    /// Sets the monotonic timer that rate limits, backoff and the total timeout use
    /// (default: [`TokioTimer`]).
    #[must_use]
    pub fn timer(mut self, timer: Arc<dyn Timer>) -> Self {
        self.timer = Some(timer);
        self
    }

    /// Sets the Alibaba signature version.
    #[cfg(feature = "alibaba")]
    #[must_use]
    pub fn alibaba_signature(mut self, v: AlibabaSignature) -> Self {
        self.alibaba_signature = v;
        self
    }

    /// Sets the signature method of Tencent's legacy API 2.0 actions (`tencent-api2` family:
    /// SQL Server, Redis): [`TencentV2Method::HmacSha256`](crate::runtime::TencentV2Method)
    /// (the default), `HmacSha1` (sends `SignatureMethod=HmacSHA1`) or `HmacSha1Implicit`
    /// (HMAC-SHA1 without the parameter). Other families ignore it.
    #[cfg(feature = "tencent")]
    #[must_use]
    pub fn tencent_v2_method(mut self, method: crate::runtime::TencentV2Method) -> Self {
        self.tencent_v2_method = method;
        self
    }

    /// The timer to use.
    pub(crate) fn timer_or_default(&self) -> Arc<dyn Timer> {
        self.timer
            .clone()
            .unwrap_or_else(|| Arc::new(TokioTimer::new()))
    }
}
