//! Huawei clients that obtain IAM tokens themselves (`Config::huawei_iam`), against the
//! emulator's IAM: one token request for many calls, renewal shortly before expiry, a clear
//! error without the password when IAM refuses.
#![cfg(feature = "emulator")]

use std::sync::Arc;

use cloudbackup::client::HuaweiIam;
use cloudbackup::emulator::config::{
    DEFAULT_HUAWEI_IAM_DOMAIN, DEFAULT_HUAWEI_IAM_PASSWORD, DEFAULT_HUAWEI_IAM_USER,
};
use cloudbackup::emulator::{Emulator, EmulatorConfig, EmulatorHandle};
use cloudbackup::huawei::koophone::{BatchBackupInstancesInput, Client};
use cloudbackup::runtime::clock::ManualClock;
use cloudbackup::runtime::credentials::Secret;
use cloudbackup::runtime::huawei_iam::{IamPasswordAuth, IamScope};
use cloudbackup::{Config, Error};

const START: i64 = 1_800_000_000;

fn client(emu: &EmulatorHandle, clock: &Arc<ManualClock>, password: &str) -> Client {
    client_with(emu, clock, password, false)
}

fn client_with(
    emu: &EmulatorHandle,
    clock: &Arc<ManualClock>,
    password: &str,
    capture_raw: bool,
) -> Client {
    let iam = HuaweiIam::new(
        IamPasswordAuth {
            domain_name: DEFAULT_HUAWEI_IAM_DOMAIN.to_owned(),
            user_name: DEFAULT_HUAWEI_IAM_USER.to_owned(),
            password: Secret::new(password),
        },
        IamScope::ProjectName("ap-southeast-1".to_owned()),
    )
    .endpoint(emu.base_url());
    Client::new(
        Config::new()
            .endpoint(emu.base_url())
            .region("ap-southeast-1")
            .clock(clock.clone())
            .capture_raw_response(capture_raw)
            .huawei_iam(iam),
    )
    .unwrap()
}

#[tokio::test]
async fn tokens_are_fetched_once_cached_and_renewed_before_expiry() {
    let clock = Arc::new(ManualClock::new(START));
    let emu = Emulator::start(EmulatorConfig::default().with_clock(clock.clone())).unwrap();
    let koophone = client(&emu, &clock, DEFAULT_HUAWEI_IAM_PASSWORD);
    for _ in 0..3 {
        let out = koophone
            .batch_backup_instances(BatchBackupInstancesInput::new(["i-1"]))
            .await
            .unwrap();
        assert_eq!(out.error_code.as_deref(), Some("0"));
    }
    assert_eq!(emu.state().live_tokens, 1, "one token for three calls");
    // Shortly before the 24 h token expires, the client asks for a new one.
    clock.advance(86_400 - 120);
    koophone
        .batch_backup_instances(BatchBackupInstancesInput::new(["i-2"]))
        .await
        .unwrap();
    assert_eq!(emu.state().live_tokens, 2, "renewed before expiry");
    emu.shutdown();
}

#[tokio::test]
async fn a_refused_token_request_is_a_clear_error_without_the_password() {
    let clock = Arc::new(ManualClock::new(START));
    let emu = Emulator::start(EmulatorConfig::default().with_clock(clock.clone())).unwrap();
    let koophone = client(&emu, &clock, "not-the-password-xyz");
    let err = koophone
        .batch_backup_instances(BatchBackupInstancesInput::new(["i-1"]))
        .await
        .unwrap_err();
    // The token source is one of the client's credential sources: its failure is a
    // credentials error, with IAM's request id.
    let Error::Credentials(e) = &err else {
        panic!("{err:?}");
    };
    assert!(e.request_id.is_some(), "{e:?}");
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("IAM"), "{shown}");
    assert!(!shown.contains("not-the-password-xyz"), "{shown}");
    let received: u64 = emu.state().calls.values().map(|c| c.received).sum();
    assert_eq!(received, 0, "nothing reaches the service without a token");
    // Raw capture is opt-in: off, no answer is kept; on, IAM's refusal is, without the password.
    assert!(err.raw_response().is_none(), "{err:?}");
    let captured = client_with(&emu, &clock, "not-the-password-xyz", true)
        .batch_backup_instances(BatchBackupInstancesInput::new(["i-1"]))
        .await
        .unwrap_err();
    let raw = captured.raw_response().expect("IAM's refusal is kept");
    assert!(raw.status >= 400, "{raw:?}");
    assert!(!raw.body.is_empty(), "{raw:?}");
    assert!(!format!("{raw:?} {captured:?}").contains("not-the-password-xyz"));
    emu.shutdown();
}
