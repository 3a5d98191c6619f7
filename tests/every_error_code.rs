//! Every documented error code of every action (its own, its service's and its API family's)
//! reaches the caller as its own variant of the action's typed error (the family's common codes
//! as their own variant of the provider's common enum, inside `Common`), end to end: the emulator
//! answers the code (fault injection) in the family's real envelope, the typed client decodes it.
#![cfg(feature = "emulator")]

use std::collections::HashSet;

use cloudbackup::alibaba::dbs::create_backup_plan::{
    BackupMethod, CreateBackupPlanInput, DatabaseType, InstanceClass, Period, Region,
};
use cloudbackup::client::{RateLimitConfig, RetryPolicy, ServiceClient};
use cloudbackup::emulator::config::*;
use cloudbackup::emulator::{Emulator, EmulatorConfig, EmulatorHandle, FaultKind, FaultSpec};
use cloudbackup::huawei::koophone::BatchBackupInstancesInput;
use cloudbackup::runtime::credentials::{
    AlibabaCredentials, HuaweiCredentials, TencentCredentials,
};
use cloudbackup::tencent::cbs::{CreateDiskBackupInput, DescribeDiskBackupsInput};
use cloudbackup::tencent::redis::ManualBackupInstanceInput;
use cloudbackup::tencent::sqlserver::CreateBackupInput;
use cloudbackup::{Config, Error, ErrorMeta, Operation, ServiceError, registry};

fn client<O: Operation>(emu: &EmulatorHandle) -> ServiceClient {
    let config = Config::new()
        .endpoint(emu.base_url())
        .region(match O::SERVICE.provider {
            "alibaba" => "cn-hangzhou",
            _ => "ap-guangzhou",
        })
        .retry(RetryPolicy::disabled())
        .rate_limits(RateLimitConfig::off());
    let config = match O::SERVICE.provider {
        "tencent" => config.credentials(TencentCredentials::new(
            DEFAULT_TENCENT_SECRET_ID,
            DEFAULT_TENCENT_SECRET_KEY,
        )),
        "alibaba" => config.credentials(AlibabaCredentials::new(
            DEFAULT_ALIBABA_ACCESS_KEY_ID,
            DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
        )),
        _ => config.credentials(HuaweiCredentials::token(DEFAULT_HUAWEI_TOKEN)),
    };
    ServiceClient::new(O::SERVICE, config).unwrap()
}

/// The variant path of a typed error, from its `Debug` form: `InvalidDiskBusy`, or
/// `Common(AuthFailureSignatureFailure` for a common code.
fn variant(e: &impl std::fmt::Debug) -> String {
    let debug = format!("{e:?}");
    let end = debug
        .find("(ErrorMeta")
        .expect("every variant carries an ErrorMeta");
    debug[..end].to_owned()
}

/// Injects each documented code once and checks the typed error; returns how many were checked.
async fn every_code<O>(emu: &EmulatorHandle, input: O) -> usize
where
    O: Operation + Clone + Send + Sync + 'static,
    O::Error: std::fmt::Debug + Send,
    O::Output: std::fmt::Debug + Send,
{
    let path = format!(
        "{}/{}/{}",
        O::SERVICE.provider,
        O::SERVICE.service,
        O::ACTION.name
    );
    let entry = registry::find(O::SERVICE.provider, O::SERVICE.service, O::ACTION.name).unwrap();
    let unhandled = variant(&O::parse_error(ErrorMeta {
        code: "NotADocumentedCode".into(),
        message: String::new(),
        request_id: None,
        http_status: 200,
        raw: None,
    }));
    let client = client::<O>(emu);
    assert_eq!(unhandled, "Unhandled", "{path}");
    let mut variants = HashSet::new();
    for info in entry.documented_errors() {
        emu.reset();
        emu.inject(FaultSpec::new(
            &path,
            1,
            FaultKind::Error {
                code: info.code.into(),
                message: None,
            },
        ))
        .unwrap();
        let err = client.call(input.clone()).await.expect_err(info.code);
        let Error::Service(e) = err else {
            panic!("{path} {}: expected a service error, got {err}", info.code);
        };
        assert_eq!(e.meta().code, info.code, "{path}");
        assert_eq!(e.is_retryable(), info.retryable, "{path} {}", info.code);
        let d = variant(&e);
        assert_ne!(d, unhandled, "{path} {} decoded as Unhandled", info.code);
        assert!(
            variants.insert(d),
            "{path} {}: two codes share a variant",
            info.code
        );
    }
    entry.documented_errors().count()
}

#[tokio::test]
async fn every_documented_code_is_its_own_variant() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let mut checked = 0;
    checked += every_code(&emu, CreateBackupInput::new("mssql-1")).await;
    checked += every_code(&emu, ManualBackupInstanceInput::new("crs-1")).await;
    checked += every_code(&emu, CreateDiskBackupInput::new("disk-1")).await;
    checked += every_code(&emu, DescribeDiskBackupsInput::new()).await;
    checked += every_code(
        &emu,
        CreateBackupPlanInput::new(
            Region::CnHangzhou,
            DatabaseType::MySql,
            InstanceClass::Small,
            BackupMethod::Logical,
            Period::Year,
            1,
        ),
    )
    .await;
    checked += every_code(&emu, BatchBackupInstancesInput::new(["i-1"])).await;
    let documented: usize = registry::all()
        .iter()
        .map(|e| e.documented_errors().count())
        .sum();
    assert_eq!(
        checked, documented,
        "every action of the registry is covered"
    );
    emu.shutdown();
}
