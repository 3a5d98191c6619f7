//! The failures, each typed: a validation error (never sent), a documented service error, a
//! rejected signature, and a retry after a lost answer that creates no duplicate.

use cloudbackup::alibaba::dbs::create_backup_plan::{
    BackupMethod, CreateBackupPlanInput, DatabaseType, InstanceClass, Period, Region,
};
use cloudbackup::emulator::config::DEFAULT_TENCENT_SECRET_ID;
use cloudbackup::emulator::{FaultKind, FaultSpec};
use cloudbackup::runtime::credentials::TencentCredentials;
use cloudbackup::tencent::cbs::CreateDiskBackupInput;
use cloudbackup::tencent::redis::ManualBackupInstanceInput;
use cloudbackup::{Error, alibaba, tencent};

use super::{Demo, Failure, note};

pub(super) async fn run(demo: &Demo) -> Result<(), Failure> {
    demo.section("Failures, each typed");
    let cbs = tencent::cbs::Client::new(demo.tencent())?;
    let before = demo.received("tencent/cbs/CreateDiskBackup");
    demo.step("A validation error: DiskBackupName of 101 characters");
    note("request: (nothing is sent)");
    match cbs
        .create_disk_backup(CreateDiskBackupInput::new("disk-1").disk_backup_name("n".repeat(101)))
        .await
    {
        Err(Error::Validation(v)) => note(format_args!("result:  Error::Validation: {v}")),
        other => return Err(format!("expected a validation error, got {other:?}").into()),
    }
    let after = demo.received("tencent/cbs/CreateDiskBackup");
    note(format_args!(
        "result:  requests the emulator received for it: {}",
        after - before
    ));

    let redis = tencent::redis::Client::new(demo.tencent())?;
    demo.emu.inject(FaultSpec::new(
        "tencent/redis/ManualBackupInstance",
        1,
        FaultKind::Error {
            code: "10701".into(),
            message: None,
        },
    ))?;
    demo.step("A documented service error (emulator told to answer 10701 once)");
    note("request: GET /v2/index.php?Action=ManualBackupInstance&redisId=crs-gone");
    match redis
        .manual_backup_instance(ManualBackupInstanceInput::new("crs-gone"))
        .await
    {
        Err(Error::Service(
            e @ tencent::redis::ManualBackupInstanceError::InstanceNotExists(_),
        )) => {
            note(format_args!(
                "result:  ManualBackupInstanceError::InstanceNotExists: {e} (retryable: {})",
                e.is_retryable()
            ));
        }
        other => return Err(format!("expected InstanceNotExists, got {other:?}").into()),
    }

    let forged = tencent::cbs::Client::new(demo.tencent().credentials(TencentCredentials::new(
        DEFAULT_TENCENT_SECRET_ID,
        "not-the-secret",
    )))?;
    demo.step("A rejected signature (signed with the wrong secret)");
    note("request: POST / X-TC-Action: CreateDiskBackup");
    match forged
        .create_disk_backup(CreateDiskBackupInput::new("disk-1"))
        .await
    {
        Err(Error::Service(
            e @ tencent::cbs::CreateDiskBackupError::Common(
                tencent::Tc3CommonError::AuthFailureSignatureFailure(_),
            ),
        )) => {
            note(format_args!(
                "result:  CreateDiskBackupError::Common(\
                 Tc3CommonError::AuthFailureSignatureFailure): {e}"
            ));
        }
        other => {
            return Err(format!("expected AuthFailure.SignatureFailure, got {other:?}").into());
        }
    }

    let dbs = alibaba::dbs::Client::new(demo.alibaba())?;
    let plans = || {
        demo.emu
            .state()
            .resources
            .get("alibaba/dbs/CreateBackupPlan")
            .map_or(0, Vec::len)
    };
    let plans_before = plans();
    demo.emu.inject(FaultSpec::new(
        "alibaba/dbs/CreateBackupPlan",
        1,
        FaultKind::DropAfterApply,
    ))?;
    demo.step("The answer is lost after the plan was created (connection dropped)");
    note("request: POST /?...&ClientToken=<same uuid on every attempt>");
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
    let created = plans() - plans_before;
    note(format_args!(
        "result:  retried with the same ClientToken: backup_plan_id {:?}; plans created: {created}",
        out.backup_plan_id,
    ));
    if created != 1 {
        return Err("the retry created a duplicate plan".into());
    }
    Ok(())
}
