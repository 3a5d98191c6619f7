//! Credentials that change over time: the [`ProvideCredentials`] abstraction, and the cache a
//! client reads them through on every attempt, refreshing them shortly before they expire.
//!
//! The built-in providers are the instance metadata services ([`InstanceMetadata`]) and the
//! STS role assumption ([`AssumeRole`]); a caller may plug its own (a vault, a sidecar) with
//! [`Config::credentials_provider`](crate::Config::credentials_provider).
//!
//! [`InstanceMetadata`]: super::metadata::InstanceMetadata
//! [`AssumeRole`]: super::sts::AssumeRole

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use super::Credentials;
use crate::client::error::CredentialsError;
use crate::client::redact::{self, Patterns};
use crate::runtime::clock::{Clock, NonceSource};

/// What a provider hands out: credentials and, for temporary ones, when they expire.
///
/// `Debug` never shows a secret.
#[derive(Clone, Debug)]
pub struct ProvidedCredentials {
    /// The credentials.
    pub credentials: Credentials,
    /// Expiry, Unix seconds (`None`: they do not expire).
    pub expires_at: Option<i64>,
    /// How long before `expires_at` the cache fetches new ones (at most half their lifetime;
    /// see [`ProvidedCredentials::refresh_before`]).
    pub refresh_before: Duration,
}

/// Default [`ProvidedCredentials::refresh_before`]: 5 minutes (what the Tencent SDKs use for
/// CVM role credentials; Alibaba's use 3 minutes, Huawei's 40).
pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(300);

impl ProvidedCredentials {
    /// Credentials that do not expire.
    pub fn new(credentials: impl Into<Credentials>) -> Self {
        Self {
            credentials: credentials.into(),
            expires_at: None,
            refresh_before: DEFAULT_REFRESH_BEFORE,
        }
    }

    /// Temporary credentials, valid until `expires_at` (Unix seconds).
    pub fn expiring(credentials: impl Into<Credentials>, expires_at: i64) -> Self {
        Self {
            expires_at: Some(expires_at),
            ..Self::new(credentials)
        }
    }

    /// Sets how long before expiry new credentials are fetched.
    #[must_use]
    pub fn refresh_before(mut self, d: Duration) -> Self {
        self.refresh_before = d;
        self
    }
}

/// What a provider may use while fetching: the client's clock, nonce source, region and HTTP
/// connection. One per client.
pub struct FetchContext {
    pub(crate) http: reqwest::Client,
    pub(crate) user_agent: String,
    pub(crate) timeout: Duration,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) nonce: Arc<dyn NonceSource>,
    pub(crate) region: Option<String>,
    /// Whether a refusal keeps the raw response
    /// ([`Config::capture_raw_response`](crate::Config::capture_raw_response)).
    pub(crate) capture_raw: bool,
}

impl fmt::Debug for FetchContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FetchContext")
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("clock", &self.clock)
            .field("region", &self.region)
            .field("capture_raw", &self.capture_raw)
            .finish_non_exhaustive()
    }
}

impl FetchContext {
    /// The client's wall clock (judge expiry with it).
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// The client's nonce source.
    pub fn nonce(&self) -> &dyn NonceSource {
        self.nonce.as_ref()
    }

    /// The client's region, if any.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }
}

/// A boxed future returned by [`ProvideCredentials::provide`].
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<ProvidedCredentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials that may change: asked again shortly before what it gave expires
/// (or when the service rejected them). Implementations never log or print a secret.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Fetches fresh credentials.
    fn provide<'a>(&'a self, cx: &'a FetchContext) -> ProvideFuture<'a>;
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide<'a>(&'a self, cx: &'a FetchContext) -> ProvideFuture<'a> {
        (**self).provide(cx)
    }
}

/// One set of credentials as a client uses it: the values, their expiry, and the byte
/// patterns that keep them out of echoed response bodies.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) credentials: Credentials,
    pub(crate) expires_at: Option<i64>,
    refresh_at: Option<i64>,
    pub(crate) patterns: Patterns,
}

impl Entry {
    pub(crate) fn new(p: ProvidedCredentials, now: i64) -> Self {
        let refresh_at = p.expires_at.map(|exp| {
            let life = exp.saturating_sub(now).max(0);
            let before = i64::try_from(p.refresh_before.as_secs()).unwrap_or(i64::MAX);
            exp.saturating_sub(before.min(life / 2))
        });
        Entry {
            patterns: redact::patterns(&p.credentials),
            credentials: p.credentials,
            expires_at: p.expires_at,
            refresh_at,
        }
    }

    fn fresh(&self, now: i64) -> bool {
        self.refresh_at.is_none_or(|r| now < r)
    }

    fn usable(&self, now: i64) -> bool {
        self.expires_at.is_none_or(|e| now < e)
    }
}

/// Where a client's credentials come from: fixed, or a provider behind a cache.
#[derive(Debug, Clone)]
pub(crate) enum CredentialSource {
    Static(Arc<Entry>),
    Cached(Arc<CredentialsCache>),
}

impl CredentialSource {
    pub(crate) fn fixed(c: Credentials) -> Self {
        CredentialSource::Static(Arc::new(Entry::new(ProvidedCredentials::new(c), 0)))
    }

    /// The credentials to sign the next attempt with.
    pub(crate) async fn get(&self, cx: &FetchContext) -> Result<Arc<Entry>, CredentialsError> {
        match self {
            CredentialSource::Static(e) => Ok(e.clone()),
            CredentialSource::Cached(c) => c.get(cx).await,
        }
    }

    /// The current credentials if they are usable now, without fetching.
    pub(crate) fn peek(&self, now: i64) -> Option<Arc<Entry>> {
        match self {
            CredentialSource::Static(e) => Some(e.clone()),
            CredentialSource::Cached(c) => c.current().filter(|e| e.usable(now)),
        }
    }

    /// Forgets cached credentials the service rejected (nothing to do for fixed ones).
    pub(crate) fn invalidate(&self) {
        if let CredentialSource::Cached(c) = self {
            c.invalidate();
        }
    }
}

/// Caches what a provider gave until shortly before it expires. Readers take a read lock and
/// clone an `Arc`; one refresh at a time (the others wait for it instead of fetching too). When
/// a refresh fails while the old credentials are still valid, the old ones are used.
pub(crate) struct CredentialsCache {
    provider: Arc<dyn ProvideCredentials>,
    current: RwLock<Option<Arc<Entry>>>,
    refresh: tokio::sync::Mutex<()>,
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache")
            .field("provider", &self.provider)
            .field("cached", &self.current().map(|e| e.expires_at))
            .finish()
    }
}

impl CredentialsCache {
    pub(crate) fn new(provider: Arc<dyn ProvideCredentials>) -> Self {
        CredentialsCache {
            provider,
            current: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    fn current(&self) -> Option<Arc<Entry>> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn invalidate(&self) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = None;
    }

    async fn get(&self, cx: &FetchContext) -> Result<Arc<Entry>, CredentialsError> {
        let now = cx.clock.now_unix();
        if let Some(e) = self.current().filter(|e| e.fresh(now)) {
            return Ok(e);
        }
        let _one_at_a_time = self.refresh.lock().await;
        let now = cx.clock.now_unix();
        let old = self.current();
        if let Some(e) = old.as_ref().filter(|e| e.fresh(now)) {
            return Ok(e.clone());
        }
        match self.provider.provide(cx).await {
            Ok(p) => {
                let e = Arc::new(Entry::new(p, now));
                tracing::debug!(
                    provider = e.credentials.provider(),
                    expires_at = e.expires_at,
                    "fetched credentials"
                );
                *self.current.write().unwrap_or_else(|p| p.into_inner()) = Some(e.clone());
                Ok(e)
            }
            Err(err) => match old.filter(|e| e.usable(now)) {
                Some(e) => {
                    tracing::debug!(error = %err, "credential refresh failed; the current ones are still valid");
                    Ok(e)
                }
                None => Err(err),
            },
        }
    }
}

#[cfg(all(test, feature = "tencent"))]
mod tests {
    use super::*;
    use crate::runtime::TencentCredentials;

    #[test]
    fn refresh_point_is_the_margin_or_half_the_lifetime() {
        let c = || Credentials::Tencent(TencentCredentials::new("AKID", "secret-key"));
        let e = Entry::new(ProvidedCredentials::expiring(c(), 10_000), 0);
        assert_eq!(e.refresh_at, Some(10_000 - 300));
        assert!(e.fresh(9_699) && !e.fresh(9_700) && e.usable(9_999) && !e.usable(10_000));
        // A lifetime shorter than twice the margin: refreshed at half-life.
        let e = Entry::new(ProvidedCredentials::expiring(c(), 400), 0);
        assert_eq!(e.refresh_at, Some(200));
        let e = Entry::new(ProvidedCredentials::new(c()), 0);
        assert!(e.fresh(i64::MAX) && e.usable(i64::MAX));
        assert!(!format!("{e:?}").contains("secret-key"));
    }
}
