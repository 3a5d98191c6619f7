//! Sending a signed request with reqwest and classifying what went wrong.

use std::time::Duration;

use super::error::{TransportError, TransportErrorKind};
use crate::runtime::decode::RawResponse;
use crate::runtime::request::{HeaderName, HttpMethod, SignedRequest};

/// Sends `req` (adding `User-Agent`) and reads the whole answer, within `timeout`, copying
/// into [`RawResponse::headers`] only the response headers `keep` accepts (lowercase names):
/// the client keeps those its decoders read.
///
/// # Errors
///
/// [`TransportError`]: `Connect` (never sent), `Timeout` or `Io` (may have been sent).
pub(crate) async fn send_keeping(
    http: &reqwest::Client,
    req: SignedRequest,
    user_agent: &str,
    timeout: Duration,
    attempt: u32,
    keep: fn(&str) -> bool,
) -> Result<RawResponse, TransportError> {
    let method = match req.method {
        HttpMethod::Get => reqwest::Method::GET,
        HttpMethod::Post => reqwest::Method::POST,
    };
    let mut builder = http.request(method, req.url.as_str()).timeout(timeout);
    let has_user_agent = req
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("user-agent"));
    for (k, v) in req.headers {
        // Owned values become header values without a copy; the signers' own names map to
        // static header names without an allocation.
        builder = match known_name(&k) {
            Some(name) => builder.header(name, v),
            None => builder.header(k.as_ref(), v),
        };
    }
    if !has_user_agent {
        builder = builder.header("User-Agent", user_agent);
    }
    if !req.body.is_empty() {
        builder = builder.body(req.body);
    }
    let resp = builder.send().await.map_err(|e| classify(e, attempt))?;
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .filter(|(k, _)| keep(k.as_str()))
        .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect();
    // A copy: the bytes are a slice of hyper's read buffer, which taking over would make
    // hyper allocate a new one per response.
    let body = match resp.bytes().await {
        Ok(b) => b.to_vec(),
        Err(e) => {
            // The headers came: keep their request id.
            let mut t = classify(e, attempt);
            t.request_id = crate::runtime::decode::any_request_id(&RawResponse {
                status,
                headers,
                body: Vec::new(),
            });
            return Err(t);
        }
    };
    Ok(RawResponse {
        status,
        headers,
        body,
    })
}

/// The header name of a signer-added header (borrowed, static), without parsing or allocating.
fn known_name(name: &HeaderName) -> Option<reqwest::header::HeaderName> {
    use reqwest::header::HeaderName as H;
    let HeaderName::Borrowed(name) = name else {
        return None;
    };
    Some(match *name {
        "Authorization" => reqwest::header::AUTHORIZATION,
        "Content-Type" | "content-type" => reqwest::header::CONTENT_TYPE,
        "Host" | "host" => reqwest::header::HOST,
        "X-TC-Action" => H::from_static("x-tc-action"),
        "X-TC-Timestamp" => H::from_static("x-tc-timestamp"),
        "X-TC-Version" => H::from_static("x-tc-version"),
        "X-TC-Region" => H::from_static("x-tc-region"),
        "X-TC-Token" => H::from_static("x-tc-token"),
        "X-TC-Language" => H::from_static("x-tc-language"),
        "x-acs-action" => H::from_static("x-acs-action"),
        "x-acs-version" => H::from_static("x-acs-version"),
        "x-acs-date" => H::from_static("x-acs-date"),
        "x-acs-signature-nonce" => H::from_static("x-acs-signature-nonce"),
        "x-acs-content-sha256" => H::from_static("x-acs-content-sha256"),
        "x-acs-security-token" => H::from_static("x-acs-security-token"),
        "X-Sdk-Date" => H::from_static("x-sdk-date"),
        "X-Security-Token" => H::from_static("x-security-token"),
        "x-auth-token" => H::from_static("x-auth-token"),
        "x-request-id" => H::from_static("x-request-id"),
        _ => return None,
    })
}

/// Maps a reqwest error to a [`TransportError`]. The message omits the URL: its query can
/// carry a signature or a security token.
pub(crate) fn classify(e: reqwest::Error, attempt: u32) -> TransportError {
    let (kind, maybe_sent) = if e.is_connect() {
        (TransportErrorKind::Connect, false)
    } else if e.is_builder() {
        (TransportErrorKind::Io, false)
    } else if e.is_timeout() {
        (TransportErrorKind::Timeout, true)
    } else {
        (TransportErrorKind::Io, true)
    };
    let e = e.without_url();
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    TransportError {
        kind,
        maybe_sent,
        message,
        attempts: attempt,
        request_id: None,
    }
}
