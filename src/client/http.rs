//! The HTTP client a service client sends with: built from [`HttpOptions`], the timeouts and
//! the user agent of a [`Config`](super::Config), with the TLS backend the crate's features
//! select.
//!
//! `reqwest` is an implementation detail: no `reqwest` type appears in the public API, so a
//! `reqwest` release that is not semver-compatible (it is 0.x: every minor is one) never forces
//! one of this crate. What callers tune goes through [`HttpOptions`] instead.
//!
//! # TLS features
//!
//! | feature | backend | roots |
//! | --- | --- | --- |
//! | `rustls` (default) | rustls, aws-lc-rs provider | the platform's (rustls-platform-verifier) |
//! | `rustls-ring` | rustls, ring provider | the platform's |
//! | `webpki-roots` (with `rustls` or `rustls-ring`) | rustls | the bundled Mozilla roots |
//! | `native-tls` | the platform's TLS library | the platform's |
//!
//! When several backends are enabled (features are additive), `native-tls` wins over
//! `rustls-ring`, which wins over `rustls`. Without any, only `http://` endpoints work.

use super::config::Timeouts;
use super::error::ConfigError;

#[cfg(all(
    feature = "webpki-roots",
    not(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls"))
))]
compile_error!(
    "the `webpki-roots` feature needs a rustls backend: enable `rustls` or `rustls-ring`"
);

/// Connection settings of the HTTP client (set them through [`Config`](super::Config)).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpOptions {
    pub(crate) proxy: Option<String>,
    pub(crate) no_proxy: bool,
    pub(crate) pool_max_idle_per_host: Option<usize>,
    pub(crate) root_certificates_pem: Vec<Vec<u8>>,
}

/// Builds the client: connect timeout, user agent, proxy, pool and TLS.
pub(crate) fn build(
    opts: &HttpOptions,
    timeouts: &Timeouts,
    user_agent: &str,
) -> Result<reqwest::Client, ConfigError> {
    let fail = |what: &str, e: &dyn std::fmt::Display| ConfigError::Http(format!("{what}: {e}"));
    let mut b = reqwest::Client::builder()
        .connect_timeout(timeouts.connect)
        .user_agent(user_agent);
    if opts.no_proxy {
        b = b.no_proxy();
    } else if let Some(p) = &opts.proxy {
        let proxy = reqwest::Proxy::all(p.as_str()).map_err(|e| fail("invalid proxy", &e))?;
        b = b.proxy(proxy);
    }
    if let Some(n) = opts.pool_max_idle_per_host {
        b = b.pool_max_idle_per_host(n);
    }
    b = tls(b, &opts.root_certificates_pem)?;
    b.build()
        .map_err(|e| ConfigError::Http(e.without_url().to_string()))
}

/// The extra roots as reqwest certificates (the backends reqwest configures itself).
#[cfg(any(
    feature = "native-tls",
    all(
        feature = "rustls",
        not(any(feature = "rustls-ring", feature = "webpki-roots"))
    )
))]
fn pem_certificates(roots: &[Vec<u8>]) -> Result<Vec<reqwest::Certificate>, ConfigError> {
    let mut certs = Vec::new();
    for pem in roots {
        certs.extend(
            reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| ConfigError::Http(format!("invalid root certificate: {e}")))?,
        );
    }
    Ok(certs)
}

#[cfg(feature = "native-tls")]
fn tls(
    b: reqwest::ClientBuilder,
    roots: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder, ConfigError> {
    Ok(b.tls_backend_native()
        .tls_certs_merge(pem_certificates(roots)?))
}

#[cfg(all(
    not(feature = "native-tls"),
    any(feature = "rustls-ring", feature = "webpki-roots")
))]
fn tls(
    b: reqwest::ClientBuilder,
    roots: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder, ConfigError> {
    use std::sync::Arc;

    use rustls_crate::pki_types::CertificateDer;
    use rustls_crate::pki_types::pem::PemObject;

    let fail = |e: &dyn std::fmt::Display| ConfigError::Http(format!("TLS setup: {e}"));
    #[cfg(feature = "rustls-ring")]
    let provider = Arc::new(rustls_crate::crypto::ring::default_provider());
    #[cfg(not(feature = "rustls-ring"))]
    let provider = Arc::new(rustls_crate::crypto::aws_lc_rs::default_provider());
    let mut extra = Vec::new();
    for pem in roots {
        for c in CertificateDer::pem_slice_iter(pem) {
            extra.push(c.map_err(|e| fail(&format!("invalid root certificate: {e:?}")))?);
        }
    }
    let builder = rustls_crate::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| fail(&e))?;
    #[cfg(feature = "webpki-roots")]
    let config = {
        let mut store = rustls_crate::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        for c in extra {
            store.add(c).map_err(|e| fail(&e))?;
        }
        builder.with_root_certificates(store).with_no_client_auth()
    };
    #[cfg(not(feature = "webpki-roots"))]
    let config = {
        let verifier = rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider)
            .map_err(|e| fail(&e))?;
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth()
    };
    Ok(b.tls_backend_preconfigured(config))
}

#[cfg(all(
    feature = "rustls",
    not(any(
        feature = "native-tls",
        feature = "rustls-ring",
        feature = "webpki-roots"
    ))
))]
fn tls(
    b: reqwest::ClientBuilder,
    roots: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder, ConfigError> {
    Ok(b.tls_backend_rustls()
        .tls_certs_merge(pem_certificates(roots)?))
}

#[cfg(not(any(
    feature = "rustls",
    feature = "rustls-ring",
    feature = "webpki-roots",
    feature = "native-tls"
)))]
fn tls(
    b: reqwest::ClientBuilder,
    roots: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder, ConfigError> {
    if roots.is_empty() {
        Ok(b)
    } else {
        Err(ConfigError::Http(
            "root certificates given but no TLS feature is enabled (rustls, rustls-ring, native-tls)"
                .to_owned(),
        ))
    }
}
