//! Sending a signed request with reqwest and classifying what went wrong.

use std::time::Duration;

use super::error::{TransportError, TransportErrorKind};
use crate::runtime::decode::RawResponse;
use crate::runtime::request::{HttpMethod, SignedRequest};

/// Sends `req` (adding `User-Agent`) and reads the whole answer, within `timeout`.
///
/// # Errors
///
/// [`TransportError`]: `Connect` (never sent), `Timeout` or `Io` (may have been sent).
pub async fn send(
    http: &reqwest::Client,
    req: SignedRequest,
    user_agent: &str,
    timeout: Duration,
    attempt: u32,
) -> Result<RawResponse, TransportError> {
    let method = match req.method {
        HttpMethod::Get => reqwest::Method::GET,
        HttpMethod::Post => reqwest::Method::POST,
    };
    let mut builder = http.request(method, req.url.as_str()).timeout(timeout);
    for (k, v) in &req.headers {
        builder = builder.header(k.as_ref(), v.as_str());
    }
    if !req
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("user-agent"))
    {
        builder = builder.header("User-Agent", user_agent);
    }
    if !req.body.is_empty() {
        builder = builder.body(req.body);
    }
    let resp = builder.send().await.map_err(|e| classify(e, attempt))?;
    let status = resp.status().as_u16();
    let mut headers = Vec::with_capacity(resp.headers().len());
    headers.extend(
        resp.headers()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned()))),
    );
    // Takes the buffer over without a copy when reqwest hands back a unique one.
    let body = Vec::from(resp.bytes().await.map_err(|e| classify(e, attempt))?);
    Ok(RawResponse {
        status,
        headers,
        body,
    })
}

/// Maps a reqwest error to a [`TransportError`]. The message omits the URL: its query can
/// carry a signature or a security token.
pub fn classify(e: reqwest::Error, attempt: u32) -> TransportError {
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
    }
}
