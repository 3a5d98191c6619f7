//! The crate's own typed clients against the in-process emulator, end to end: every family
//! signs, is verified and decodes; a connection dropped after the call was applied is retried
//! with the same `ClientToken` and creates one plan; documented errors surface as variants.

#![cfg(feature = "emulator")]

use std::sync::Arc;
use std::time::Duration;

use cloudbackup::alibaba::dbs::create_backup_plan::{
    BackupMethod, CreateBackupPlanInput, DatabaseType, InstanceClass, Period, Region,
};
use cloudbackup::client::{AlibabaSignature, Error, RetryPolicy};
use cloudbackup::emulator::config::{
    DEFAULT_ALIBABA_ACCESS_KEY_ID, DEFAULT_ALIBABA_ACCESS_KEY_SECRET, DEFAULT_HUAWEI_ACCESS_KEY,
    DEFAULT_HUAWEI_SECRET_KEY, DEFAULT_HUAWEI_TOKEN, DEFAULT_TENCENT_SECRET_ID,
    DEFAULT_TENCENT_SECRET_KEY,
};
use cloudbackup::emulator::{Emulator, EmulatorConfig, EmulatorHandle, FaultKind, FaultSpec};
use cloudbackup::runtime::{
    AlibabaCredentials, HuaweiCredentials, ManualClock, SequenceNonce, TencentCredentials,
};
use cloudbackup::tencent::Tc3CommonError;
use cloudbackup::tencent::cbs::{CreateDiskBackupError, CreateDiskBackupInput};
use cloudbackup::tencent::sqlserver::create_backup::{BackupStrategy, CreateBackupInput};
use cloudbackup::{Config, alibaba, huawei, tencent};

/// One nonce source for every client of a test, as a process would have: two clients counting
/// from the same start would send the same nonces and client tokens (and the emulator would
/// rightly call the second a replay).
fn nonces() -> Arc<SequenceNonce> {
    static SHARED: std::sync::OnceLock<Arc<SequenceNonce>> = std::sync::OnceLock::new();
    SHARED
        .get_or_init(|| Arc::new(SequenceNonce::new(7)))
        .clone()
}

fn start() -> (EmulatorHandle, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(1_764_000_000));
    let emu = Emulator::start(EmulatorConfig::default().with_clock(clock.clone())).unwrap();
    (emu, clock)
}

fn config(emu: &EmulatorHandle, clock: &Arc<ManualClock>, region: &str) -> Config {
    Config::new()
        .endpoint(emu.base_url())
        .region(region)
        .clock(clock.clone())
        .nonce_source(nonces())
        .attempt_timeout(Duration::from_secs(10))
        .retry(
            RetryPolicy::standard()
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(5)),
        )
}

fn tencent_creds() -> TencentCredentials {
    TencentCredentials::new(DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY)
}

fn alibaba_creds() -> AlibabaCredentials {
    AlibabaCredentials::new(
        DEFAULT_ALIBABA_ACCESS_KEY_ID,
        DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
    )
}

fn plan() -> CreateBackupPlanInput {
    CreateBackupPlanInput::new(
        Region::CnHangzhou,
        DatabaseType::MySql,
        InstanceClass::Small,
        BackupMethod::Logical,
        Period::Year,
        1,
    )
}

#[tokio::test]
async fn clients_of_every_family_call_the_emulator() {
    let (emu, clock) = start();
    let cbs = tencent::cbs::Client::new(
        config(&emu, &clock, "ap-guangzhou").credentials(tencent_creds()),
    )
    .unwrap();
    let out = cbs
        .create_disk_backup(CreateDiskBackupInput::new("disk-client1"))
        .await
        .unwrap();
    assert!(out.disk_backup_id.unwrap().starts_with("dbp-"));

    let sql = tencent::sqlserver::Client::new(
        config(&emu, &clock, "ap-guangzhou").credentials(tencent_creds()),
    )
    .unwrap();
    let input = CreateBackupInput::new("mssql-1")
        .strategy(BackupStrategy::MultiDatabase)
        .db_list(["a", "b"]);
    assert!(sql.create_backup(input).await.unwrap().flow_id.is_some());

    let redis = tencent::redis::Client::new(
        config(&emu, &clock, "ap-guangzhou").credentials(tencent_creds()),
    )
    .unwrap();
    let input = tencent::redis::ManualBackupInstanceInput::new("crs-1");
    assert!(
        redis
            .manual_backup_instance(input)
            .await
            .unwrap()
            .task_id
            .is_some()
    );

    for sig in [AlibabaSignature::V3, AlibabaSignature::V2] {
        let dbs = alibaba::dbs::Client::new(
            config(&emu, &clock, "cn-hangzhou")
                .credentials(alibaba_creds())
                .alibaba_signature(sig),
        )
        .unwrap();
        let out = dbs.create_backup_plan(plan()).await.unwrap();
        assert!(out.backup_plan_id.unwrap().starts_with("dbs"), "{sig:?}");
    }

    for creds in [
        HuaweiCredentials::ak_sk(DEFAULT_HUAWEI_ACCESS_KEY, DEFAULT_HUAWEI_SECRET_KEY),
        HuaweiCredentials::token(DEFAULT_HUAWEI_TOKEN),
    ] {
        let kp = huawei::koophone::Client::new(
            config(&emu, &clock, "ap-southeast-1").credentials(creds),
        )
        .unwrap();
        let input = huawei::koophone::BatchBackupInstancesInput::new(["i-1"]);
        let out = kp.batch_backup_instances(input).await.unwrap();
        assert_eq!(out.error_code.as_deref(), Some("0"));
    }

    let st = emu.state();
    assert!(st.calls.values().all(|c| c.errors.is_empty()), "{st:?}");
    assert_eq!(st.resources["alibaba/dbs/CreateBackupPlan"].len(), 2);
}

#[tokio::test]
async fn a_dropped_answer_is_retried_with_the_same_client_token_and_creates_one_plan() {
    let (emu, clock) = start();
    emu.inject(FaultSpec::new(
        "alibaba/dbs/CreateBackupPlan",
        1,
        FaultKind::DropAfterApply,
    ))
    .unwrap();
    let dbs =
        alibaba::dbs::Client::new(config(&emu, &clock, "cn-hangzhou").credentials(alibaba_creds()))
            .unwrap();
    let out = dbs.create_backup_plan(plan()).await.unwrap();
    let st = emu.state();
    let calls = &st.calls["alibaba/dbs/CreateBackupPlan"];
    assert_eq!((calls.received, calls.dropped), (2, 1), "{calls:?}");
    assert_eq!(
        st.resources["alibaba/dbs/CreateBackupPlan"],
        [out.backup_plan_id.unwrap()],
        "one plan, the one the first (dropped) attempt created"
    );
    assert_eq!(
        st.idempotency_tokens["alibaba/dbs/CreateBackupPlan"].len(),
        1
    );
}

#[tokio::test]
async fn documented_errors_surface_as_typed_variants() {
    let (emu, clock) = start();
    emu.inject(FaultSpec::new(
        "tencent/cbs/CreateDiskBackup",
        1,
        FaultKind::Error {
            code: "InvalidDiskId.NotFound".into(),
            message: None,
        },
    ))
    .unwrap();
    let cbs = tencent::cbs::Client::new(
        config(&emu, &clock, "ap-guangzhou").credentials(tencent_creds()),
    )
    .unwrap();
    let err = cbs
        .create_disk_backup(CreateDiskBackupInput::new("disk-gone"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Service(CreateDiskBackupError::InvalidDiskIdNotFound(_))
        ),
        "{err:?}"
    );
    let wrong = tencent::cbs::Client::new(
        config(&emu, &clock, "ap-guangzhou")
            .credentials(TencentCredentials::new(DEFAULT_TENCENT_SECRET_ID, "wrong")),
    )
    .unwrap();
    let err = wrong
        .create_disk_backup(CreateDiskBackupInput::new("disk-1"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Service(CreateDiskBackupError::Common(
                Tc3CommonError::AuthFailureSignatureFailure(_)
            ))
        ),
        "{err:?}"
    );
}

/// `Config::tencent_v2_method` picks the API 2.0 signature: each method is sent as the
/// vendor's `SignatureMethod` parameter (none for the implicit HMAC-SHA1) and verified by the
/// emulator, which recomputes the HMAC the parameter names.
#[tokio::test]
async fn the_tencent_api2_signature_method_is_configurable() {
    use cloudbackup::runtime::TencentV2Method;
    let (emu, clock) = start();
    for (method, param) in [
        (
            TencentV2Method::HmacSha256,
            Some("SignatureMethod=HmacSHA256"),
        ),
        (TencentV2Method::HmacSha1, Some("SignatureMethod=HmacSHA1")),
        (TencentV2Method::HmacSha1Implicit, None),
    ] {
        let sql = tencent::sqlserver::Client::new(
            config(&emu, &clock, "ap-guangzhou")
                .credentials(tencent_creds())
                .tencent_v2_method(method),
        )
        .unwrap();
        let signed = sql
            .service_client()
            .prepare(CreateBackupInput::new("mssql-1"))
            .unwrap();
        let sent = format!("{}\n{}", signed.url, String::from_utf8_lossy(&signed.body));
        match param {
            Some(p) => assert!(sent.contains(p), "{method:?}: {sent}"),
            None => assert!(!sent.contains("SignatureMethod"), "{method:?}: {sent}"),
        }
        let out = sql.create_backup(CreateBackupInput::new("mssql-1")).await;
        assert!(out.unwrap().flow_id.is_some(), "{method:?}");
    }
    // A client left at the default signs with HMAC-SHA256.
    let default = tencent::sqlserver::Client::new(
        config(&emu, &clock, "ap-guangzhou").credentials(tencent_creds()),
    )
    .unwrap();
    let signed = default
        .service_client()
        .prepare(CreateBackupInput::new("mssql-1"))
        .unwrap();
    let sent = format!("{}\n{}", signed.url, String::from_utf8_lossy(&signed.body));
    assert!(sent.contains("SignatureMethod=HmacSHA256"), "{sent}");
    let st = emu.state();
    let calls = &st.calls["tencent/sqlserver/CreateBackup"];
    assert_eq!((calls.received, calls.succeeded), (3, 3), "{calls:?}");
}
