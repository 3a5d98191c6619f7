//! The engine every generated client wraps: validate, fill the idempotency token, then per
//! attempt take a rate-limit slot, sign afresh, send, decode, and retry when the policy
//! allows.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tracing::Instrument;

#[cfg(feature = "alibaba")]
use super::config::AlibabaSignature;
use super::config::{Config, Timeouts};
use super::credentials::Credentials;
use super::credentials::provider::{CredentialSource, FetchContext};
use super::endpoint::resolve_endpoint;
use super::error::{ConfigError, CredentialsError, Error, TransportError, TransportErrorKind};
use super::rate_limit::{RateLimitConfig, RateLimiter};
use super::response;
use super::retry::{RetryBudget, RetryClass, RetryPolicy};
use super::transport;
use crate::error_meta::{ErrorMeta, ServiceError};
use crate::meta::{Family, ServiceInfo};
use crate::operation::Operation;
use crate::runtime::MacKeyCache;
use crate::runtime::clock::{Clock, NonceSource, Timer};
#[cfg(feature = "alibaba")]
use crate::runtime::decode::decode_alibaba;
#[cfg(feature = "huawei")]
use crate::runtime::decode::decode_huawei;
use crate::runtime::decode::{DecodeError, Decoded, excerpt};
#[cfg(feature = "tencent")]
use crate::runtime::decode::{decode_tc3, decode_tencent_v2};
#[cfg(feature = "huawei")]
use crate::runtime::huawei;
use crate::runtime::request::{Endpoint, OperationRef, SignedRequest};
#[cfg(feature = "alibaba")]
use crate::runtime::{AcsV2Options, acs_v2, acs3};
#[cfg(feature = "tencent")]
use crate::runtime::{Tc3KeyCache, Tc3Options, TencentV2Method, tc3, tencent_v2};
use crate::validation::ValidationMode;

/// A client of one service: what each generated `Client` wraps. Cheap to clone (shared
/// state: HTTP connection pool, retry budget, rate limiters, TC3 key cache).
#[derive(Clone, Debug)]
pub struct ServiceClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    service: &'static ServiceInfo,
    endpoint: Endpoint,
    region: Option<String>,
    credentials: CredentialSource,
    fetch: FetchContext,
    http: reqwest::Client,
    timeouts: Timeouts,
    retry: RetryPolicy,
    budget: RetryBudget,
    validation: ValidationMode,
    rate_limits: RateLimitConfig,
    limiters: Mutex<HashMap<&'static str, Option<Arc<RateLimiter>>>>,
    user_agent: String,
    clock: Arc<dyn Clock>,
    nonce: Arc<dyn NonceSource>,
    timer: Arc<dyn Timer>,
    #[cfg(feature = "tencent")]
    tc3_keys: Tc3KeyCache,
    mac_keys: MacKeyCache,
    #[cfg(feature = "tencent")]
    tc3_options: Tc3Options,
    #[cfg(feature = "tencent")]
    tencent_v2_method: TencentV2Method,
    #[cfg(feature = "alibaba")]
    acs_v2_options: AcsV2Options,
    #[cfg(feature = "alibaba")]
    alibaba_signature: AlibabaSignature,
    capture_raw: bool,
}

impl ServiceClient {
    /// A client of `service` with `config`: runs the credential chain and resolves the region
    /// and the endpoint now (credentials that must be fetched, from instance metadata or STS,
    /// are fetched on the first attempt).
    ///
    /// # Errors
    ///
    /// [`ConfigError`]: unknown region, bad endpoint, missing or mismatched credentials, or an
    /// HTTP client that cannot be built.
    pub fn new(service: &'static ServiceInfo, config: Config) -> Result<Self, ConfigError> {
        let resolved = super::credentials::chain::resolve(service, &config)?;
        let endpoint = resolve_endpoint(
            service,
            resolved.region.as_deref(),
            config.endpoint.as_deref(),
        )?;
        let http = super::http::build(&config.http, &config.timeouts, &config.user_agent)?;
        let timer = config.timer_or_default();
        let fetch = FetchContext {
            http: http.clone(),
            user_agent: config.user_agent.clone(),
            timeout: config.timeouts.attempt,
            clock: config.clock.clone(),
            nonce: config.nonce.clone(),
            region: resolved.region.clone(),
            capture_raw: config.capture_raw_response,
        };
        Ok(Self {
            inner: Arc::new(Inner {
                service,
                endpoint,
                region: resolved.region,
                credentials: resolved.source,
                fetch,
                http,
                timeouts: config.timeouts,
                budget: RetryBudget::new(config.retry.budget_tokens()),
                retry: config.retry,
                validation: config.validation,
                rate_limits: config.rate_limits,
                limiters: Mutex::new(HashMap::new()),
                user_agent: config.user_agent,
                clock: config.clock,
                nonce: config.nonce,
                timer,
                #[cfg(feature = "tencent")]
                tc3_keys: Tc3KeyCache::new(),
                mac_keys: MacKeyCache::new(),
                #[cfg(feature = "tencent")]
                tc3_options: Tc3Options::default(),
                #[cfg(feature = "tencent")]
                tencent_v2_method: config.tencent_v2_method,
                #[cfg(feature = "alibaba")]
                acs_v2_options: AcsV2Options::default(),
                #[cfg(feature = "alibaba")]
                alibaba_signature: config.alibaba_signature,
                capture_raw: config.capture_raw_response,
            }),
        })
    }

    /// The timer polls and backoff use (the configuration's, injectable for tests).
    pub fn timer(&self) -> &Arc<dyn Timer> {
        &self.inner.timer
    }

    /// The service.
    pub fn service(&self) -> &'static ServiceInfo {
        self.inner.service
    }

    /// Where requests go.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The region, if one was configured.
    pub fn region(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }

    /// Tokens left in the retry budget (`None`: unlimited).
    pub fn retry_budget_remaining(&self) -> Option<u32> {
        self.inner.budget.remaining()
    }

    fn limiter(
        &self,
        action: &'static str,
        spec: &[crate::meta::CallLimit],
    ) -> Option<Arc<RateLimiter>> {
        let i = &self.inner;
        if !i.rate_limits.enabled() {
            return None;
        }
        let mut map = i.limiters.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(l) = map.get(action) {
            return l.clone();
        }
        let limits = i.rate_limits.limits_for(action, spec);
        // An action without limits is remembered as such (`None`), not looked up again.
        let l = (!limits.is_empty())
            .then(|| Arc::new(RateLimiter::new(action, limits, i.timer.clone())));
        map.insert(action, l.clone());
        l
    }

    /// Runs one logical call of `O`: validation, idempotency token, rate limit, signing,
    /// sending, decoding and retries.
    ///
    /// # Errors
    ///
    /// [`Error`], with the action's typed service error.
    pub async fn call<O>(&self, input: O) -> Result<O::Output, Error<O::Error>>
    where
        O: Operation + Send,
    {
        let service = self.inner.service;
        let span = tracing::info_span!(
            "cloudbackup.call",
            provider = service.provider,
            service = service.service,
            action = O::ACTION.name,
            attempts = tracing::field::Empty,
            request_id = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        // Timings only feed the span: not read when no subscriber wants it.
        let started = (!span.is_disabled()).then(|| self.inner.timer.now());
        // Entering a disabled span does nothing: skip the wrapper when no subscriber wants it.
        let result = if span.is_disabled() {
            self.call_inner(input, &span).await
        } else {
            self.call_inner(input, &span).instrument(span.clone()).await
        };
        if let Some(started) = started {
            let elapsed = self.inner.timer.now().saturating_sub(started);
            span.record("latency_ms", millis(elapsed));
        }
        match &result {
            Ok(_) => tracing::debug!(parent: &span, "call succeeded"),
            Err(e) => tracing::debug!(parent: &span, error = %e, "call failed"),
        }
        result
    }

    async fn call_inner<O>(
        &self,
        mut input: O,
        call_span: &tracing::Span,
    ) -> Result<O::Output, Error<O::Error>>
    where
        O: Operation + Send,
    {
        let i = &self.inner;
        if O::SERVICE.provider != i.service.provider || O::SERVICE.service != i.service.service {
            return Err(Error::Config(ConfigError::WrongService {
                client: format!("{}/{}", i.service.provider, i.service.service),
                operation: format!("{}/{}", O::SERVICE.provider, O::SERVICE.service),
            }));
        }
        if i.validation == ValidationMode::Enforce {
            input.validate().map_err(Error::Validation)?;
        }
        let nonce = i.nonce.clone();
        input.fill_idempotency_token(&mut || nonce.uuid_v4());
        let limiter = self.limiter(O::ACTION.name, O::ACTION.limits);
        // Only a total timeout needs the call's start.
        let started = i.timeouts.total.map(|_| i.timer.now()).unwrap_or_default();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            if let Some(l) = &limiter {
                l.acquire().await.map_err(Error::Throttled)?;
            }
            let remaining = match i.timeouts.total {
                Some(total) => {
                    let left = total.saturating_sub(i.timer.now().saturating_sub(started));
                    if left.is_zero() {
                        return Err(total_timeout(attempt - 1));
                    }
                    left.min(i.timeouts.attempt)
                }
                None => i.timeouts.attempt,
            };
            let span = tracing::debug_span!(
                "cloudbackup.attempt",
                attempt,
                request_id = tracing::field::Empty,
                http_status = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let t0 = (!span.is_disabled()).then(|| i.timer.now());
            let mut server_delay = None;
            let attempt_fut = self.attempt::<O>(
                &input,
                attempt,
                remaining,
                [&span, call_span],
                &mut server_delay,
            );
            let outcome = if span.is_disabled() {
                attempt_fut.await
            } else {
                attempt_fut.instrument(span.clone()).await
            };
            if let Some(t0) = t0 {
                span.record("latency_ms", millis(i.timer.now().saturating_sub(t0)));
            }
            let err = match outcome {
                Ok(out) => {
                    i.budget.refund();
                    call_span.record("attempts", attempt);
                    return Ok(out);
                }
                Err(e) => e,
            };
            call_span.record("attempts", attempt);
            let Some(class) = retry_class(&err, O::ACTION.idempotent) else {
                return Err(err);
            };
            if attempt >= i.retry.attempts() {
                return Err(err);
            }
            let mut delay = i.retry.backoff(attempt, i.nonce.next_u32());
            if let Some(asked) = server_delay {
                // The server's `Retry-After`: waited for when the policy allows that long.
                if asked > i.retry.max_retry_after_delay() {
                    tracing::debug!(
                        retry_after_ms = millis(asked),
                        "server asks for a longer wait than the policy allows"
                    );
                    return Err(err);
                }
                delay = delay.max(asked);
            }
            if let Some(total) = i.timeouts.total
                && i.timer.now().saturating_sub(started) + delay >= total
            {
                return Err(err);
            }
            if !i.budget.withdraw(class.cost()) {
                tracing::debug!("retry budget exhausted");
                return Err(err);
            }
            tracing::debug!(
                attempt,
                backoff_ms = millis(delay),
                reason = ?class,
                "retrying"
            );
            i.timer.sleep(delay).await;
        }
    }

    async fn attempt<O>(
        &self,
        input: &O,
        attempt: u32,
        timeout: Duration,
        spans: [&tracing::Span; 2],
        server_delay: &mut Option<Duration>,
    ) -> Result<O::Output, Error<O::Error>>
    where
        O: Operation,
    {
        let i = &self.inner;
        let creds = i
            .credentials
            .get(&i.fetch)
            .await
            .map_err(|e| Error::Credentials(Box::new(e)))?;
        let signed = self
            .sign::<O>(input, &creds.credentials)
            .map_err(Error::Config)?;
        let mut raw = transport::send_keeping(
            &i.http,
            signed,
            &i.user_agent,
            timeout,
            attempt,
            if i.capture_raw {
                |_| true
            } else {
                crate::runtime::decode::is_decoded_header
            },
        )
        .await
        .map_err(Error::Transport)?;
        // A server may echo what it received (Alibaba quotes its string to sign): keep the
        // caller's secrets out of the messages, excerpts and payloads made from the body.
        super::redact::redact(&mut raw.body, &creds.patterns);
        spans[0].record("http_status", raw.status);
        let record_id = |id: &Option<String>| {
            if let Some(id) = id {
                for s in spans {
                    s.record("request_id", id.as_str());
                }
            }
        };
        // On failure: the wait the server asks for, and (opt-in) the response itself.
        let mut failed = |id: &Option<String>| {
            record_id(id);
            *server_delay = response::retry_after(&raw.headers, i.clock.now_unix());
            i.capture_raw
                .then(|| Box::new(response::capture(&raw, &creds.patterns)))
        };
        let decoded = match i.service.family {
            #[cfg(feature = "tencent")]
            Family::TencentApi2 => decode_tencent_v2(&raw),
            #[cfg(feature = "tencent")]
            Family::TencentTc3 => decode_tc3(&raw),
            #[cfg(feature = "alibaba")]
            Family::AlibabaRpc => decode_alibaba(&raw),
            #[cfg(feature = "huawei")]
            Family::HuaweiRest => decode_huawei(&raw),
        };
        match decoded {
            Err(mut d) => {
                d.raw = failed(&d.request_id);
                Err(Error::Decode(d))
            }
            Ok(Decoded::Success { payload, meta }) => {
                record_id(&meta.request_id);
                O::parse_output(&payload).map_err(|fe| {
                    Error::Decode(DecodeError {
                        http_status: meta.http_status,
                        reason: fe.to_string(),
                        excerpt: excerpt(&raw.body),
                        raw: failed(&None),
                        request_id: meta.request_id,
                    })
                })
            }
            Ok(Decoded::Error(parts)) => {
                if response::is_auth_failure(i.service.family, &parts.code) {
                    // Fetched credentials the service rejects (expired, revoked) are not used
                    // again: the next attempt asks for new ones.
                    i.credentials.invalidate();
                }
                let raw = failed(&parts.request_id);
                Err(Error::Service(O::parse_error(ErrorMeta {
                    code: parts.code,
                    message: parts.message,
                    request_id: parts.request_id,
                    http_status: parts.http_status,
                    raw,
                })))
            }
        }
    }

    /// The exact request the first attempt of a call would send, without sending it (the CLI's
    /// `--dry-run`): validated per the configured mode, idempotency token filled, signed with
    /// the configured clock and nonce source.
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] or [`Error::Config`].
    pub fn prepare<O: Operation>(&self, mut input: O) -> Result<SignedRequest, Error<O::Error>> {
        let i = &self.inner;
        if i.validation == ValidationMode::Enforce {
            input.validate().map_err(Error::Validation)?;
        }
        let Some(creds) = i.credentials.peek(i.clock.now_unix()) else {
            return Err(Error::Credentials(Box::new(CredentialsError::fetch(
                i.service.provider,
                "a dry run does not fetch credentials (instance metadata, STS, IAM): give keys or a token",
            ))));
        };
        let nonce = i.nonce.clone();
        input.fill_idempotency_token(&mut || nonce.uuid_v4());
        self.sign::<O>(&input, &creds.credentials)
            .map_err(Error::Config)
    }

    /// Builds and signs one attempt: a fresh timestamp, nonce and request id every time.
    fn sign<O: Operation>(
        &self,
        input: &O,
        credentials: &Credentials,
    ) -> Result<SignedRequest, ConfigError> {
        let i = &self.inner;
        let nonce = i.nonce.clone();
        let wire = input.to_wire(&mut || nonce.uuid_v4());
        let ctx = OperationRef {
            endpoint: &i.endpoint,
            action: O::ACTION.name,
            version: i.service.version,
            region: i.region.as_deref(),
            service: i.service.signing_name,
        };
        let ts = i.clock.now_unix();
        let nonce = i.nonce.as_ref();
        let keys = &i.mac_keys;
        let signed = match (credentials, i.service.family) {
            #[cfg(feature = "tencent")]
            (Credentials::Tencent(c), Family::TencentApi2) => tencent_v2::sign_tencent_v2_request(
                &ctx,
                wire,
                c,
                ts,
                nonce,
                i.tencent_v2_method,
                keys,
            ),
            #[cfg(feature = "tencent")]
            (Credentials::Tencent(c), Family::TencentTc3) => {
                tc3::sign_tc3_request(&ctx, wire, c, ts, &i.tc3_options, &i.tc3_keys)
            }
            #[cfg(feature = "alibaba")]
            (Credentials::Alibaba(c), Family::AlibabaRpc) => match i.alibaba_signature {
                AlibabaSignature::V3 => acs3::sign_acs3_request(&ctx, wire, c, ts, nonce, keys),
                AlibabaSignature::V2 => {
                    acs_v2::sign_acs_v2_request(&ctx, wire, c, ts, nonce, &i.acs_v2_options, keys)
                }
            },
            #[cfg(feature = "huawei")]
            (Credentials::Huawei(c), Family::HuaweiRest) => {
                huawei::sign_huawei_request(&ctx, wire, c, ts, nonce, keys)
            }
            #[allow(
                unreachable_patterns,
                reason = "reachable only when several providers are enabled"
            )]
            (c, _) => {
                return Err(ConfigError::CredentialsMismatch {
                    expected: i.service.family.vendor(),
                    got: c.provider(),
                });
            }
        };
        signed.map_err(ConfigError::Sign)
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn total_timeout<E>(attempts: u32) -> Error<E> {
    Error::Transport(TransportError {
        kind: TransportErrorKind::Timeout,
        maybe_sent: attempts > 0,
        message: "the call's total timeout elapsed".to_owned(),
        attempts,
        request_id: None,
    })
}

/// Whether (and why) a failure may be retried. `None`: never.
pub fn retry_class<E: ServiceError>(err: &Error<E>, idempotent: bool) -> Option<RetryClass> {
    match err {
        Error::Service(e) if e.is_retryable() => Some(RetryClass::Service),
        // HTTP 429 means "not applied" whatever the code (Huawei's SDK retries on it).
        Error::Service(e) if e.meta().http_status == 429 => Some(RetryClass::Service),
        Error::Transport(t) if !t.maybe_sent => Some(RetryClass::NotSent),
        Error::Transport(_) if idempotent => Some(RetryClass::Ambiguous),
        Error::Decode(d) if d.http_status == 429 => Some(RetryClass::NotSent),
        Error::Decode(d) if idempotent && (500..600).contains(&d.http_status) => {
            Some(RetryClass::Ambiguous)
        }
        _ => None,
    }
}
