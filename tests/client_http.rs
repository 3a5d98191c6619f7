//! The HTTP connection settings of `Config` (the client builds its own `reqwest::Client`):
//! a proxy that every request goes through, extra root certificates, and their errors.

mod support;

use std::sync::Arc;
use std::time::Duration;

use cloudbackup::client::{ConfigError, RetryPolicy};
use cloudbackup::runtime::{ManualTimer, TencentCredentials};
use cloudbackup::tencent::cbs::{Client, CreateDiskBackupInput};
use cloudbackup::{Config, Error};
use support::{Server, TickingClock, tc3_ok};

fn config() -> Config {
    Config::new()
        .region("ap-guangzhou")
        .credentials(TencentCredentials::new("AKIDproxy", "proxy-secret-key"))
        .timer(Arc::new(ManualTimer::new()))
        .clock(Arc::new(TickingClock::new(1_700_000_000)))
        .attempt_timeout(Duration::from_secs(10))
        .retry(RetryPolicy::disabled())
}

#[tokio::test]
async fn every_request_goes_through_the_configured_proxy() {
    // The endpoint's host does not resolve (`.invalid`); only the proxy can deliver.
    let proxy = Server::start(vec![tc3_ok("rid-proxy")]).await;
    let client = Client::new(
        config()
            .endpoint("http://cbs.tencentcloudapi.invalid")
            .proxy(proxy.endpoint()),
    )
    .unwrap();
    client
        .create_disk_backup(CreateDiskBackupInput::new("disk-1"))
        .await
        .unwrap();
    let seen = proxy.requests();
    assert_eq!(seen.len(), 1);
    // A proxy gets the absolute URI, and the signed `Host` of the real endpoint.
    assert!(
        seen[0]
            .target
            .starts_with("http://cbs.tencentcloudapi.invalid/"),
        "{}",
        seen[0].target
    );
    assert_eq!(seen[0].header("host"), Some("cbs.tencentcloudapi.invalid"));

    // `no_proxy` after `proxy` connects directly again: the host does not resolve.
    let direct = Client::new(
        config()
            .endpoint("http://cbs.tencentcloudapi.invalid")
            .proxy(proxy.endpoint())
            .no_proxy(),
    )
    .unwrap();
    let err = direct
        .create_disk_backup(CreateDiskBackupInput::new("disk-1"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(proxy.requests().len(), 1);
}

#[test]
fn root_certificates_and_proxies_are_checked_when_the_client_is_built() {
    let ca = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/test-ca.pem"
    ))
    .unwrap();
    // A real certificate is accepted (a private CA next to the platform's or bundled roots).
    Client::new(config().root_certificates_pem(ca)).unwrap();
    let bad = b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";
    let err = Client::new(config().root_certificates_pem(bad.to_vec())).unwrap_err();
    assert!(matches!(err, ConfigError::Http(_)), "{err:?}");
    let err = Client::new(config().proxy("not a url at all")).unwrap_err();
    assert!(matches!(err, ConfigError::Http(_)), "{err:?}");
    assert!(err.to_string().contains("proxy"), "{err}");
}
