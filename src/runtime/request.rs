//! Family-neutral request types: what generated code builds ([`WireRequest`],
//! [`OperationContext`]) and what a signer returns ([`Signed`], [`SignedRequest`]).

use std::borrow::Cow;
use std::fmt;

/// HTTP method of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `POST`
    Post,
}

impl HttpMethod {
    /// `"GET"` or `"POST"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What generated code builds for one call, before signing. Family-neutral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireRequest {
    /// HTTP method.
    pub method: HttpMethod,
    /// Request path, e.g. `/v2/index.php`, `/`, `/v1/instances/backup`.
    pub path: String,
    /// Action parameters for the query string or form body, already flattened (API 2.0 arrays
    /// as `dbList.0`, `dbList.1`); not including common parameters.
    pub params: Vec<(String, String)>,
    /// Action-level headers (e.g. `x-request-id`).
    pub headers: Vec<(String, String)>,
    /// Exact JSON bytes when the action has a JSON body (TC3 POST, Huawei).
    pub body: Option<Vec<u8>>,
}

impl WireRequest {
    /// A request with no parameters, headers or body.
    pub fn new(method: HttpMethod, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            params: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// The first action header named `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// The value of the first header named `name` (ASCII case-insensitive) in `headers`.
pub fn find_header<'a, K: AsRef<str>>(headers: &'a [(K, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Where and as what to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `"https"` or `"http"`.
    pub scheme: String,
    /// Host, possibly with `:port`: the `Host` header value, and what is signed.
    pub host: String,
}

impl Endpoint {
    /// An `https` endpoint.
    pub fn https(host: impl Into<String>) -> Self {
        Self {
            scheme: "https".into(),
            host: host.into(),
        }
    }

    /// The host without any `:port` suffix (IPv6 literals in brackets are kept whole).
    pub fn host_without_port(&self) -> &str {
        let h = self.host.as_str();
        match h.rfind(':') {
            Some(i) if !h[i..].contains(']') => &h[..i],
            _ => h,
        }
    }

    /// `scheme://host`, with room for `extra` more bytes (path and query).
    pub(crate) fn url_base(&self, extra: usize) -> String {
        let mut url = String::with_capacity(self.scheme.len() + 3 + self.host.len() + extra);
        url.push_str(&self.scheme);
        url.push_str("://");
        url.push_str(&self.host);
        url
    }

    /// `scheme://host` followed by `path` (which should start with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}://{}{}", self.scheme, self.host, path)
    }
}

/// Per-call context: endpoint, action, version, region and signing service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationContext {
    /// Where to send.
    pub endpoint: Endpoint,
    /// Action name, e.g. `CreateDiskBackup`.
    pub action: String,
    /// API version, e.g. `2017-03-12`; `None` for API 2.0 / Huawei.
    pub version: Option<String>,
    /// Region, e.g. `ap-guangzhou`.
    pub region: Option<String>,
    /// Signing service name, e.g. `cbs` (TC3 credential scope), `dbs`, `sqlserver`.
    pub service: String,
}

impl OperationContext {
    /// The same context, borrowed (what the `*_request` signers take).
    pub fn view(&self) -> OperationRef<'_> {
        OperationRef {
            endpoint: &self.endpoint,
            action: &self.action,
            version: self.version.as_deref(),
            region: self.region.as_deref(),
            service: &self.service,
        }
    }
}

/// A borrowed [`OperationContext`]: what a client builds per attempt without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationRef<'a> {
    /// Where to send.
    pub endpoint: &'a Endpoint,
    /// Action name.
    pub action: &'a str,
    /// API version, if the family has one.
    pub version: Option<&'a str>,
    /// Region, if any.
    pub region: Option<&'a str>,
    /// Signing service name.
    pub service: &'a str,
}

/// A header name: borrowed when it is one of the signer's own (`Authorization`, `Host`,
/// `X-TC-Action`...), owned when it came from the request.
pub type HeaderName = Cow<'static, str>;

/// The exact HTTP request to send. `Debug` redacts signatures, tokens and the body.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// HTTP method.
    pub method: HttpMethod,
    /// Full URL including the query string.
    pub url: String,
    /// All headers to send, in order.
    pub headers: Vec<(HeaderName, String)>,
    /// Body bytes (empty for none).
    pub body: Vec<u8>,
}

impl SignedRequest {
    /// The first header named `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// Header names whose values are credentials (compared case-insensitively).
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "x-tc-token",
    "x-acs-security-token",
    "x-security-token",
    "x-auth-token",
    "x-subject-token",
];
/// Query parameter names whose values are credentials.
const SECRET_PARAMS: &[&str] = &["Signature", "Token", "SecurityToken"];

fn redact_url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if SECRET_PARAMS.contains(&k) => format!("{k}=***"),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let secret = SECRET_HEADERS.iter().any(|s| k.eq_ignore_ascii_case(s));
                (k.as_ref(), if secret { "***" } else { v.as_str() })
            })
            .collect();
        f.debug_struct("SignedRequest")
            .field("method", &self.method)
            .field("url", &redact_url(&self.url))
            .field("headers", &headers)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// The intermediate steps of a signature, exposed for tests and debugging. `Debug` shows only
/// their sizes, since they may embed a security token; read the fields explicitly.
///
/// For Tencent API 2.0 `canonical_request` is the sorted raw `name=value&…` request string;
/// for Alibaba V2 it is the canonicalized query string.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningSteps {
    /// Canonical request (or the family's equivalent, see above).
    pub canonical_request: String,
    /// String to sign.
    pub string_to_sign: String,
    /// Signature as the family encodes it (base64 or lowercase hex), before any URL encoding.
    pub signature: String,
}

impl fmt::Debug for SigningSteps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Canonical forms can embed security tokens (signed parameters or headers): show sizes.
        f.debug_struct("SigningSteps")
            .field(
                "canonical_request",
                &format_args!("<{} bytes>", self.canonical_request.len()),
            )
            .field(
                "string_to_sign",
                &format_args!("<{} bytes>", self.string_to_sign.len()),
            )
            .field("signature", &"***")
            .finish()
    }
}

/// A signed request with its intermediate steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// Canonical request, string to sign, signature.
    pub steps: SigningSteps,
    /// What to send.
    pub request: SignedRequest,
}

/// Why a request could not be signed (the request is malformed for the family).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// The family needs [`OperationContext::version`] and it is `None`.
    MissingVersion,
    /// The request mixes or uses features the family cannot express.
    Unsupported(&'static str),
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingVersion => f.write_str("this API family requires an API version"),
            Self::Unsupported(what) => write!(f, "cannot sign request: {what}"),
        }
    }
}

impl std::error::Error for SignError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_credentials() {
        let r = SignedRequest {
            method: HttpMethod::Get,
            url: "https://h/?A=1&Signature=abc%2B&Token=qqq&SecurityToken=sts".into(),
            headers: vec![
                ("Authorization".into(), "TC3 secret-sig".into()),
                ("X-TC-Token".into(), "tc-tok".into()),
                ("x-auth-token".into(), "iam-tok".into()),
                ("Host".into(), "h".into()),
            ],
            body: b"Signature=abc&Token=qqq".to_vec(),
        };
        let d = format!("{r:?}");
        for s in ["abc", "qqq", "sts", "secret-sig", "tc-tok", "iam-tok"] {
            assert!(!d.contains(s), "{s} leaked: {d}");
        }
        assert!(d.contains("A=1") && d.contains("<23 bytes>") && d.contains("\"Host\", \"h\""));
    }

    #[test]
    fn host_without_port() {
        let e = |h: &str| Endpoint::https(h);
        assert_eq!(e("a.b:8443").host_without_port(), "a.b");
        assert_eq!(e("a.b").host_without_port(), "a.b");
        assert_eq!(e("[::1]").host_without_port(), "[::1]");
        assert_eq!(e("[::1]:80").host_without_port(), "[::1]");
    }
}
