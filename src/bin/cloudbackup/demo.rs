//! `cloudbackup demo`: starts the emulator in-process and runs every seed action through the
//! typed clients, then a few failures: a validation error (never sent), a documented service
//! error, a rejected signature, and a retry after a dropped answer that creates no duplicate.

use std::fmt::Display;

use clap::Args;

use cloudbackup::alibaba::dbs::create_backup_plan::{
    BackupMethod, CreateBackupPlanInput, DatabaseType, InstanceClass, Period, Region,
};
use cloudbackup::emulator::config::{
    DEFAULT_ALIBABA_ACCESS_KEY_ID, DEFAULT_ALIBABA_ACCESS_KEY_SECRET, DEFAULT_HUAWEI_TOKEN,
    DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY,
};
use cloudbackup::emulator::{Emulator, EmulatorConfig, EmulatorHandle, FaultKind, FaultSpec};
use cloudbackup::runtime::credentials::{
    AlibabaCredentials, HuaweiCredentials, TencentCredentials,
};
use cloudbackup::tencent::cbs::CreateDiskBackupInput;
use cloudbackup::tencent::redis::ManualBackupInstanceInput;
use cloudbackup::tencent::sqlserver::create_backup::{BackupStrategy, CreateBackupInput};
use cloudbackup::{Config, Error, Operation, alibaba, huawei, tencent};

use crate::out::{errln, outln};

/// `cloudbackup demo` (no options: everything runs on the built-in emulator).
#[derive(Debug, Args)]
pub(crate) struct DemoArgs {}

type Failure = Box<dyn std::error::Error>;

fn config(emu: &EmulatorHandle, region: &str) -> Config {
    Config::new().endpoint(emu.base_url()).region(region)
}

fn tencent_creds() -> TencentCredentials {
    TencentCredentials::new(DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY)
}

fn step(n: u32, what: &str, request: &str) {
    outln!("\n{n}. {what}\n   request: {request}");
}

/// The action's part of the request as the typed input encodes it (before the client adds the
/// family's common parameters, generated values and the signature).
fn wire<O: Operation>(input: &O) -> String {
    let w = input.to_wire(&mut || "<generated per attempt>".to_owned());
    let mut s = format!("{} {}", w.method.as_str(), w.path);
    let params: Vec<String> = w.params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if !params.is_empty() {
        s.push_str(&format!("?{}", params.join("&")));
    }
    for (k, v) in &w.headers {
        s.push_str(&format!(" [{k}: {v}]"));
    }
    if let Some(b) = &w.body {
        s.push_str(&format!(" {}", String::from_utf8_lossy(b)));
    }
    if O::ACTION.idempotency_field.is_some() {
        s.push_str(" (+ ClientToken, generated once per call)");
    }
    s
}

fn result(r: impl Display) {
    outln!("   result:  {r}");
}

fn received(emu: &EmulatorHandle, action: &str) -> u64 {
    emu.state().calls.get(action).map_or(0, |c| c.received)
}

async fn successes(emu: &EmulatorHandle) -> Result<(), Failure> {
    outln!("== The five seed actions, through the typed clients ==");
    let sql =
        tencent::sqlserver::Client::new(config(emu, "ap-guangzhou").credentials(tencent_creds()))?;
    let input = CreateBackupInput::new("mssql-q6g71pcf")
        .strategy(BackupStrategy::MultiDatabase)
        .db_list(["test1", "test2"]);
    step(
        1,
        "Tencent SQL Server CreateBackup (legacy API 2.0, HmacSHA256)",
        &wire(&input),
    );
    let out = sql.create_backup(input).await?;
    result(format!(
        "CreateBackupOutput {{ flow_id: {:?} }}",
        out.flow_id
    ));

    let redis =
        tencent::redis::Client::new(config(emu, "ap-guangzhou").credentials(tencent_creds()))?;
    let input = ManualBackupInstanceInput::new("crs-izbob1wh").remark("demo");
    step(
        2,
        "Tencent Redis ManualBackupInstance (legacy API 2.0; 24 calls a day)",
        &wire(&input),
    );
    let out = redis.manual_backup_instance(input).await?;
    result(format!(
        "ManualBackupInstanceOutput {{ task_id: {:?} }}",
        out.task_id
    ));

    let cbs = tencent::cbs::Client::new(config(emu, "ap-guangzhou").credentials(tencent_creds()))?;
    let input = CreateDiskBackupInput::new("disk-xxxxxxxx").disk_backup_name("nightly");
    step(
        3,
        "Tencent CBS CreateDiskBackup (API 3.0, TC3-HMAC-SHA256; 20 requests/s)",
        &wire(&input),
    );
    let out = cbs.create_disk_backup(input).await?;
    result(format!(
        "CreateDiskBackupOutput {{ disk_backup_id: {:?}, request_id: {:?} }}",
        out.disk_backup_id, out.request_id
    ));

    let dbs = alibaba::dbs::Client::new(config(emu, "cn-hangzhou").credentials(
        AlibabaCredentials::new(
            DEFAULT_ALIBABA_ACCESS_KEY_ID,
            DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
        ),
    ))?;
    let input = CreateBackupPlanInput::new(
        Region::CnHangzhou,
        DatabaseType::MySql,
        InstanceClass::Small,
        BackupMethod::Logical,
        Period::Month,
        3,
    );
    step(
        4,
        "Alibaba DBS CreateBackupPlan (RPC, ACS3-HMAC-SHA256)",
        &wire(&input),
    );
    let out = dbs.create_backup_plan(input).await?;
    result(format!(
        "CreateBackupPlanOutput {{ backup_plan_id: {:?}, order_id: {:?} }} (wait ~5 s before ConfigureBackupPlan)",
        out.backup_plan_id, out.order_id
    ));

    let koophone = huawei::koophone::Client::new(
        config(emu, "ap-southeast-1").credentials(HuaweiCredentials::token(DEFAULT_HUAWEI_TOKEN)),
    )?;
    let input = huawei::koophone::BatchBackupInstancesInput::new(["iRJEVP9"]);
    step(
        5,
        "Huawei KooPhone BatchBackupInstances (REST, IAM token)",
        &wire(&input),
    );
    let out = koophone.batch_backup_instances(input).await?;
    result(format!(
        "BatchBackupInstancesOutput {{ error_code: {:?}, task_id: {:?} }}",
        out.error_code,
        out.data.and_then(|d| d.task_id)
    ));
    Ok(())
}

async fn failures(emu: &EmulatorHandle) -> Result<(), Failure> {
    outln!("\n== Failures, each typed ==");
    let cbs = tencent::cbs::Client::new(config(emu, "ap-guangzhou").credentials(tencent_creds()))?;
    let before = received(emu, "tencent/cbs/CreateDiskBackup");
    step(
        6,
        "A validation error: DiskBackupName of 101 characters",
        "(nothing is sent)",
    );
    match cbs
        .create_disk_backup(CreateDiskBackupInput::new("disk-1").disk_backup_name("n".repeat(101)))
        .await
    {
        Err(Error::Validation(v)) => result(format!("Error::Validation: {v}")),
        other => return Err(format!("expected a validation error, got {other:?}").into()),
    }
    let after = received(emu, "tencent/cbs/CreateDiskBackup");
    result(format!(
        "requests the emulator received for it: {}",
        after - before
    ));

    let redis =
        tencent::redis::Client::new(config(emu, "ap-guangzhou").credentials(tencent_creds()))?;
    emu.inject(FaultSpec::new(
        "tencent/redis/ManualBackupInstance",
        1,
        FaultKind::Error {
            code: "10701".into(),
            message: None,
        },
    ))?;
    step(
        7,
        "A documented service error (emulator told to answer 10701 once)",
        "GET /v2/index.php?Action=ManualBackupInstance&redisId=crs-gone",
    );
    match redis
        .manual_backup_instance(ManualBackupInstanceInput::new("crs-gone"))
        .await
    {
        Err(Error::Service(
            e @ tencent::redis::ManualBackupInstanceError::InstanceNotExists(_),
        )) => {
            result(format!(
                "ManualBackupInstanceError::InstanceNotExists: {e} (retryable: {})",
                e.is_retryable()
            ));
        }
        other => return Err(format!("expected InstanceNotExists, got {other:?}").into()),
    }

    let forged = tencent::cbs::Client::new(config(emu, "ap-guangzhou").credentials(
        TencentCredentials::new(DEFAULT_TENCENT_SECRET_ID, "not-the-secret"),
    ))?;
    step(
        8,
        "A rejected signature (signed with the wrong secret)",
        "POST / X-TC-Action: CreateDiskBackup",
    );
    match forged
        .create_disk_backup(CreateDiskBackupInput::new("disk-1"))
        .await
    {
        Err(Error::Service(
            e @ tencent::cbs::CreateDiskBackupError::Common(
                tencent::Tc3CommonError::AuthFailureSignatureFailure(_),
            ),
        )) => {
            result(format!(
                "CreateDiskBackupError::Common(Tc3CommonError::AuthFailureSignatureFailure): {e}"
            ));
        }
        other => {
            return Err(format!("expected AuthFailure.SignatureFailure, got {other:?}").into());
        }
    }

    let dbs = alibaba::dbs::Client::new(config(emu, "cn-hangzhou").credentials(
        AlibabaCredentials::new(
            DEFAULT_ALIBABA_ACCESS_KEY_ID,
            DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
        ),
    ))?;
    let plans_before = emu
        .state()
        .resources
        .get("alibaba/dbs/CreateBackupPlan")
        .map_or(0, Vec::len);
    emu.inject(FaultSpec::new(
        "alibaba/dbs/CreateBackupPlan",
        1,
        FaultKind::DropAfterApply,
    ))?;
    step(
        9,
        "The answer is lost after the plan was created (connection dropped)",
        "POST /?...&ClientToken=<same uuid on every attempt>",
    );
    let out = dbs
        .create_backup_plan(CreateBackupPlanInput::new(
            Region::CnBeijing,
            DatabaseType::Redis,
            InstanceClass::Medium,
            BackupMethod::Physical,
            Period::Year,
            1,
        ))
        .await?;
    let plans_after = emu
        .state()
        .resources
        .get("alibaba/dbs/CreateBackupPlan")
        .map_or(0, Vec::len);
    result(format!(
        "retried with the same ClientToken: backup_plan_id {:?}; plans created: {}",
        out.backup_plan_id,
        plans_after - plans_before
    ));
    if plans_after - plans_before != 1 {
        return Err("the retry created a duplicate plan".into());
    }
    Ok(())
}

/// Runs the demo; returns the exit code.
pub(crate) fn run(_: &DemoArgs) -> u8 {
    let emu = match Emulator::start(EmulatorConfig::default()) {
        Ok(e) => e,
        Err(e) => {
            errln!("error: cannot start the emulator: {e}");
            return 3;
        }
    };
    outln!(
        "cloudbackup demo: emulator on {} (loopback; no cloud account needed)",
        emu.base_url()
    );
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            errln!("error: cannot start the async runtime: {e}");
            return 1;
        }
    };
    let outcome = runtime.block_on(async {
        successes(&emu).await?;
        failures(&emu).await
    });
    let state = emu.state();
    outln!("\n== Emulator state ==");
    for (action, c) in &state.calls {
        outln!(
            "   {action:<38} received {:>2}, succeeded {:>2}, errors {:?}, dropped {}",
            c.received,
            c.succeeded,
            c.errors,
            c.dropped
        );
    }
    emu.shutdown();
    match outcome {
        Ok(()) => {
            outln!("\ndemo finished: every call behaved as documented");
            0
        }
        Err(e) => {
            errln!("error: demo failed: {e}");
            1
        }
    }
}
