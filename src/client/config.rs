//! Client configuration: region, endpoint, credentials, timeouts, retries, validation, rate
//! limits, HTTP connection settings, user agent, and the injectable clock, nonce and timer sources.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::credentials::metadata::InstanceMetadata;
use super::credentials::provider::ProvideCredentials;
use super::credentials::sts::AssumeRole;
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
    pub(crate) credentials_provider: Option<Arc<dyn ProvideCredentials>>,
    pub(crate) profile: Option<String>,
    pub(crate) instance_metadata: Option<InstanceMetadata>,
    pub(crate) assume_role: Option<AssumeRole>,
    pub(crate) identity_endpoint: Option<String>,
    pub(crate) capture_raw_response: bool,
    pub(crate) env: Option<Env>,
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryPolicy,
    pub(crate) validation: ValidationMode,
    pub(crate) rate_limits: RateLimitConfig,
    pub(crate) http: super::http::HttpOptions,
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
            .field("credentials_provider", &self.credentials_provider)
            .field("profile", &self.profile)
            .field("instance_metadata", &self.instance_metadata)
            .field("assume_role", &self.assume_role)
            .field("identity_endpoint", &self.identity_endpoint)
            .field("capture_raw_response", &self.capture_raw_response)
            .field("env", &self.env)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("validation", &self.validation)
            .field("rate_limits", &self.rate_limits)
            .field("http", &self.http)
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
    /// Defaults: the region and credentials of the chain (the README's "Credentials and
    /// region": environment variables, then profile files; no instance metadata, no role), the
    /// spec's endpoints, [`Timeouts::default`], [`RetryPolicy::standard`], validation on,
    /// the spec's rate limits, the system clock and random nonces.
    pub fn new() -> Self {
        Self {
            region: None,
            endpoint: None,
            credentials: None,
            credentials_provider: None,
            profile: None,
            instance_metadata: None,
            assume_role: None,
            identity_endpoint: None,
            capture_raw_response: false,
            env: None,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::standard(),
            validation: ValidationMode::Enforce,
            rate_limits: RateLimitConfig::spec(),
            http: super::http::HttpOptions::default(),
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
    /// the family sends one. Without it, the region comes from the environment
    /// (`TENCENTCLOUD_REGION`, `ALIBABA_CLOUD_REGION_ID`, `HUAWEICLOUD_SDK_REGION`), then the
    /// profile (TCCLI `.configure`, aliyun `region_id`).
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

    /// Sets explicit credentials: the first step of the chain, nothing else is looked at
    /// (except for the region, and a role to assume with them).
    #[must_use]
    pub fn credentials(mut self, credentials: impl Into<Credentials>) -> Self {
        self.credentials = Some(credentials.into());
        self
    }

    /// Takes credentials from `provider` (a vault, a sidecar): asked on the first attempt and
    /// again shortly before what it gave expires. Explicit [`Config::credentials`] win.
    #[must_use]
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials_provider = Some(Arc::new(provider));
        self
    }

    /// Selects the vendor CLI profile `name` for credentials **and** region, instead of the
    /// default one (TCCLI `~/.tccli/<name>.credential` and `.configure`; the aliyun profile
    /// `name` of `~/.aliyun/config.json`; Huawei's SDK file has no named profiles, its
    /// `[basic]` section is read whatever the name). A named profile also skips the
    /// environment variables, as `tccli --profile` and `aliyun --profile` do; explicit
    /// credentials and region still win.
    #[must_use]
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Opts in to the instance's role credentials from the metadata service (Tencent CVM role,
    /// Alibaba ECS RAM role, Huawei ECS agency), used when neither the environment nor the
    /// profile has credentials. Off by default: off the cloud, the metadata address does not
    /// answer (a profile with TCCLI `"type": "cvm-role"` or aliyun mode `EcsRamRole`, or
    /// `ALIBABA_CLOUD_ECS_METADATA`, opts in by itself).
    #[must_use]
    pub fn instance_metadata(mut self, m: InstanceMetadata) -> Self {
        self.instance_metadata = Some(m);
        self
    }

    /// Assumes `role` through the vendor's STS with the credentials the chain found, and uses
    /// its temporary credentials, renewed before they expire (overrides a role from the
    /// environment or the profile).
    #[must_use]
    pub fn assume_role(mut self, role: AssumeRole) -> Self {
        self.assume_role = Some(role);
        self
    }

    /// Sends the instance metadata and STS requests of the chain to this base URL instead of
    /// the vendors' addresses (the emulator serves them all: `http://127.0.0.1:PORT`), also for
    /// a role or instance role that the environment or a profile designates. An endpoint set
    /// on [`InstanceMetadata`] or [`AssumeRole`] itself wins.
    #[must_use]
    pub fn identity_endpoint(mut self, url: impl Into<String>) -> Self {
        self.identity_endpoint = Some(url.into());
        self
    }

    /// Sets where credentials and the region are looked for (default: the process's
    /// environment and the user's home directory).
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

    /// Sets the connect timeout.
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

    /// Sends through this proxy (`http://host:port`, `https://…`, `socks5://…` URLs; for
    /// every scheme). Default: the `HTTP_PROXY` / `HTTPS_PROXY` / `NO_PROXY` environment
    /// variables.
    #[must_use]
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.http.proxy = Some(url.into());
        self.http.no_proxy = false;
        self
    }

    /// Connects directly, ignoring the proxy environment variables.
    #[must_use]
    pub fn no_proxy(mut self) -> Self {
        self.http.no_proxy = true;
        self.http.proxy = None;
        self
    }

    /// Keeps at most `n` idle connections per host in the pool (default: no limit).
    #[must_use]
    pub fn pool_max_idle_per_host(mut self, n: usize) -> Self {
        self.http.pool_max_idle_per_host = Some(n);
        self
    }

    /// Also trusts the certificates of this PEM bundle (a private CA, a TLS-inspecting proxy),
    /// besides the roots of the TLS feature (see [`client::http`](super::http)).
    #[must_use]
    pub fn root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.http.root_certificates_pem.push(pem.into());
        self
    }

    /// Keeps the whole response (status, every header, the body) in the errors of failed
    /// attempts, for diagnostics: [`ErrorMeta::raw`](crate::ErrorMeta::raw) and
    /// [`DecodeError::raw`](crate::runtime::DecodeError::raw), and the STS or IAM answer that
    /// refused credentials ([`CredentialsError::raw`](crate::client::CredentialsError::raw)), read with
    /// [`Error::raw_response`](crate::Error::raw_response). The caller's keys and tokens and
    /// credential headers are redacted. Off by default (it copies every header of every
    /// failed answer).
    #[must_use]
    pub fn capture_raw_response(mut self, on: bool) -> Self {
        self.capture_raw_response = on;
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
