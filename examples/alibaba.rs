//! A backup lifecycle on Alibaba Cloud DBS through the typed client, against the loopback
//! emulator (requests are signed with ACS3-HMAC-SHA256 and checked the way Alibaba does; the
//! emulator keeps the resources, whose states move on with time): buy a backup plan
//! (`CreateBackupPlan`), configure it (`ConfigureBackupPlan`), start it (`StartBackupPlan`) and
//! wait until it runs (waiter `BackupPlanRunning`), list its full backup sets
//! (`DescribeFullBackupList`, through its paginator), then restore one into another instance
//! (`CreateRestoreTask`, `StartRestoreTask`) and wait until the restore finishes (waiter
//! `RestoreTaskFinished`). It fails unless the emulator then holds what was done.
//!
//! For the older V2 signature (HMAC-SHA1), configure the client with
//! `.alibaba_signature(cloudbackup::client::AlibabaSignature::V2)`.
//!
//! Run with `cargo run --example alibaba --features emulator`.

use std::time::Duration;

use cloudbackup::Config;
use cloudbackup::alibaba::dbs::stop_backup_plan::StopMethod;
use cloudbackup::alibaba::dbs::{
    BackupMethod, Client, ConfigureBackupPlanInput, CreateBackupPlanInput, CreateRestoreTaskInput,
    DatabaseType, DescribeBackupPlanListInput, DescribeFullBackupListInput,
    DescribeRestoreTaskListInput, EndpointInstanceType, InstanceClass, Period, Region,
    StartBackupPlanInput, StartRestoreTaskInput, StopBackupPlanInput,
};
use cloudbackup::client::WaitOptions;
use cloudbackup::emulator::config::{
    DEFAULT_ALIBABA_ACCESS_KEY_ID, DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
};
use cloudbackup::emulator::{Emulator, EmulatorConfig};
use cloudbackup::runtime::AlibabaCredentials;

type Failure = Box<dyn std::error::Error>;

/// Waits poll every 500 ms, for at most 30 s, and print each state. Against the real
/// service, call `wait_until_*(input)` instead: the spec's interval and timeout.
fn quick_wait() -> WaitOptions {
    WaitOptions::new()
        .interval(Duration::from_millis(500))
        .timeout(Duration::from_secs(30))
        .on_progress(|p| {
            let state = p.state.as_deref().unwrap_or("-");
            println!("  {} poll {}: {state}", p.waiter, p.attempt);
        })
}

/// The plan, its first backup set and the restore task.
async fn lifecycle(dbs: &Client) -> Result<(String, String, String), Failure> {
    let plan = dbs
        .create_backup_plan(CreateBackupPlanInput::new(
            Region::CnHangzhou,
            DatabaseType::MySql,
            InstanceClass::Small,
            BackupMethod::Logical,
            Period::Month,
            1,
        ))
        .await?
        .backup_plan_id
        .ok_or("CreateBackupPlan returned no plan")?;
    println!("DBS: bought plan {plan}");

    // What to back up: database `shop` of RDS instance rm-source (a real plan also gives the
    // database account, `source_endpoint_user_name` and `source_endpoint_password`).
    dbs.configure_backup_plan(
        ConfigureBackupPlanInput::new(&plan, EndpointInstanceType::Rds, "shop-daily")
            .source_endpoint_region("cn-hangzhou")
            .source_endpoint_instance_id("rm-source")
            .backup_objects(r#"[{"DBName":"shop"}]"#),
    )
    .await?;

    // Starting the plan takes a first full backup; the plan runs once its precheck passes.
    let started = dbs
        .start_backup_plan(StartBackupPlanInput::new(&plan))
        .await?;
    let first_set = started
        .created_full_backupset_id
        .clone()
        .ok_or("StartBackupPlan made no backup set")?;
    let input = DescribeBackupPlanListInput::for_backup_plan_running(&started)
        .ok_or("StartBackupPlan returned no plan")?;
    dbs.wait_until_backup_plan_running_with(input, quick_wait())
        .await?;
    println!("DBS: plan {plan} is running");

    // Every start takes a full backup: pause the plan and start it again for a second one.
    dbs.stop_backup_plan(StopBackupPlanInput::new(&plan, StopMethod::Plan))
        .await?;
    dbs.start_backup_plan(StartBackupPlanInput::new(&plan))
        .await?;

    // Every backup set of the plan, page after page (30 a page, the smallest DBS allows).
    let mut sets = dbs
        .describe_full_backup_list_paginator(DescribeFullBackupListInput::new(&plan))
        .items();
    let mut listed = 0;
    while let Some(set) = sets.next().await {
        let set = set?;
        println!(
            "DBS: backup set {:?} {:?}",
            set.backup_set_id, set.backup_status
        );
        listed += 1;
    }
    if listed != 2 {
        return Err(format!("expected 2 backup sets, listed {listed}").into());
    }

    // Restore the first backup set into another RDS instance, under a new database name.
    let created = dbs
        .create_restore_task(
            CreateRestoreTaskInput::new(&plan, EndpointInstanceType::Rds, "shop-restore")
                .backup_set_id(&first_set)
                .destination_endpoint_region("cn-hangzhou")
                .destination_endpoint_instance_id("rm-target")
                .restore_objects(r#"[{"DBName":"shop","NewDBName":"shop_restored"}]"#),
        )
        .await?;
    let task = created
        .restore_task_id
        .clone()
        .ok_or("CreateRestoreTask returned no task")?;
    dbs.start_restore_task(StartRestoreTaskInput::new(&task))
        .await?;
    let input = DescribeRestoreTaskListInput::for_restore_task_finished(&created)
        .ok_or("CreateRestoreTask returned no task")?;
    dbs.wait_until_restore_task_finished_with(input, quick_wait())
        .await?;
    println!("DBS: restore task {task} finished");
    Ok((plan, first_set, task))
}

pub(crate) fn main() -> Result<(), Failure> {
    // The emulator's timed states last 10 s to a minute (the real service's: minutes); here a
    // second, so that each wait below lasts a second or two.
    let emu = Emulator::start(EmulatorConfig::from_json(
        r#"{"transitions": [
            {"resource": "alibaba/dbs/BackupPlan", "from": "check_pass", "after": 1},
            {"resource": "alibaba/dbs/FullBackup", "from": "schedule", "after": 1},
            {"resource": "alibaba/dbs/FullBackup", "from": "running", "after": 1},
            {"resource": "alibaba/dbs/RestoreTask", "from": "running", "after": 1}
        ]}"#,
    )?)?;
    // The emulator's documented test keys; a real program leaves credentials to the chain
    // (environment variables, the aliyun CLI profile, the ECS RAM role, ...).
    let dbs = Client::new(
        Config::new()
            .endpoint(emu.base_url())
            .region("cn-hangzhou")
            .credentials(AlibabaCredentials::new(
                DEFAULT_ALIBABA_ACCESS_KEY_ID,
                DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
            )),
    )?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (plan, first_set, task) = rt.block_on(lifecycle(&dbs))?;

    // What the emulator holds now: the plan, its two backup sets, the finished restore.
    let state = emu.state();
    let live = |kind: &str| state.live.get(kind).cloned().unwrap_or_default();
    let plans = live("alibaba/dbs/BackupPlan");
    let sets = live("alibaba/dbs/FullBackup");
    let restores = live("alibaba/dbs/RestoreTask");
    let is = |r: &cloudbackup::emulator::LiveResource, name: &str, value: &str| {
        r.attributes.get(name).is_some_and(|v| *v == value)
    };
    if plans.len() != 1 || plans[0].id != plan {
        return Err(format!("expected the one plan {plan}").into());
    }
    if sets.len() != 2 || !sets.iter().any(|s| s.id == first_set) {
        return Err(format!("expected 2 backup sets, {first_set} among them").into());
    }
    if restores.len() != 1 || restores[0].id != task || !is(&restores[0], "RestoreStatus", "finish")
    {
        return Err(format!("expected restore task {task}, finished").into());
    }
    println!("the emulator holds what was done");
    Ok(())
}
