//! Backup lifecycles on Tencent Cloud through the typed clients, against the loopback emulator
//! (requests are signed for real; the emulator checks them the way Tencent does and keeps the
//! resources, whose states move on with time):
//!
//! - CBS: `CreateDiskBackup`, wait until the backup point is `NORMAL` (waiter
//!   `DiskBackupNormal`), list the backup points page by page (`DescribeDiskBackups`), roll the
//!   disk back to one (`ApplyDiskBackup`) and delete another (`DeleteDiskBackups`);
//! - SQL Server (API 3.0): `CreateBackup`, wait for its flow (`BackupFlowFinished`), list the
//!   backups (`DescribeBackups`), restore from one and wait (`RestoreInstance`,
//!   `RestoreFlowFinished`), remove another (`RemoveBackups`);
//! - Redis (API 3.0): `ManualBackupInstance`, wait for its task (`BackupTaskSucceeded`), list
//!   the backups (`DescribeInstanceBackups`), restore from one and wait (`RestoreInstance`,
//!   `RestoreTaskSucceeded`). The API has no call deleting a backup.
//!
//! It fails unless the emulator then holds what was done. The legacy API 2.0 clients
//! (`tencent::sqlserver`, `tencent::redis`) work the same way, with fewer calls.
//!
//! Run with `cargo run --example tencent --features emulator`.

use std::time::Duration;

use cloudbackup::Config;
use cloudbackup::client::WaitOptions;
use cloudbackup::emulator::config::{DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY};
use cloudbackup::emulator::{Emulator, EmulatorConfig, EmulatorHandle};
use cloudbackup::jiff::civil::DateTime;
use cloudbackup::jiff::{Timestamp, tz};
use cloudbackup::runtime::TencentCredentials;
use cloudbackup::tencent::{cbs, redis_v3, sqlserver_v3};

type Failure = Box<dyn std::error::Error>;

/// Waits poll every 500 ms, for at most 30 s, and print each state. Against the real
/// services, call `wait_until_*(input)` instead: the spec's interval and timeout (5 s and 10
/// minutes for CBS).
fn quick_wait() -> WaitOptions {
    WaitOptions::new()
        .interval(Duration::from_millis(500))
        .timeout(Duration::from_secs(30))
        .on_progress(|p| {
            let state = p.state.as_deref().unwrap_or("-");
            println!("  {} poll {}: {state}", p.waiter, p.attempt);
        })
}

async fn disk_backups(config: &Config) -> Result<(String, String), Failure> {
    let client = cbs::Client::new(config.clone())?;
    let mut created = Vec::new();
    for name in ["nightly-1", "nightly-2", "nightly-3"] {
        let input = cbs::CreateDiskBackupInput::new("disk-123").disk_backup_name(name);
        created.push(client.create_disk_backup(input).await?);
    }
    let ids: Vec<String> = created
        .iter()
        .filter_map(|out| out.disk_backup_id.clone())
        .collect();
    println!("CBS: created backup points {ids:?}");
    if ids.len() != 3 {
        return Err("CreateDiskBackup returned no id".into());
    }

    // The waiter's input is built from the output of the call that started the backup.
    let input = cbs::DescribeDiskBackupsInput::for_disk_backup_normal(&created[0])
        .ok_or("CreateDiskBackup returned no id")?;
    let done = client
        .wait_until_disk_backup_normal_with(input, quick_wait())
        .await?;
    println!(
        "CBS: {} is {} after {} polls",
        ids[0], done.state, done.attempts
    );

    // The paginator asks for the next page (here 2 items a page) until the last one.
    let mut pages = client
        .describe_disk_backups_paginator(cbs::DescribeDiskBackupsInput::new().limit(2))
        .pages();
    while let Some(page) = pages.next().await {
        let page = page?;
        for b in page.disk_backup_set.unwrap_or_default() {
            println!(
                "CBS: listed {:?} {:?}",
                b.disk_backup_id, b.disk_backup_state
            );
        }
    }

    client
        .apply_disk_backup(cbs::ApplyDiskBackupInput::new(&ids[0], "disk-123"))
        .await?;
    client
        .delete_disk_backups(cbs::DeleteDiskBackupsInput::new([ids[2].clone()]))
        .await?;
    println!(
        "CBS: rolled disk-123 back to {}, deleted {}",
        ids[0], ids[2]
    );
    Ok((ids[0].clone(), ids[2].clone()))
}

/// The hour around now on the emulator's clock, in its local time (UTC+8): the window
/// `DescribeBackups` lists the backups of.
fn this_hour(emu: &EmulatorHandle) -> Result<(DateTime, DateTime), Failure> {
    let now = Timestamp::from_second(emu.config().clock.now_unix())?;
    let local = tz::offset(8).to_datetime(now);
    Ok((
        local - Duration::from_secs(3600),
        local + Duration::from_secs(3600),
    ))
}

async fn sql_server_backups(config: &Config, emu: &EmulatorHandle) -> Result<i64, Failure> {
    let client = sqlserver_v3::Client::new(config.clone())?;
    let mut started = Vec::new();
    for name in ["daily-1", "daily-2", "daily-3"] {
        let input = sqlserver_v3::CreateBackupInput::new("mssql-1").backup_name(name);
        started.push(client.create_backup(input).await?);
    }
    let input = sqlserver_v3::DescribeFlowStatusInput::for_backup_flow_finished(&started[0])
        .ok_or("CreateBackup returned no flow")?;
    client
        .wait_until_backup_flow_finished_with(input, quick_wait())
        .await?;

    // Every item of every page (2 a page), as one list.
    let (start, end) = this_hour(emu)?;
    let listing = sqlserver_v3::DescribeBackupsInput::new(start, end, "mssql-1").limit(2);
    let backups = client
        .describe_backups_paginator(listing)
        .collect_items()
        .await?;
    for b in &backups {
        println!(
            "SQL Server: listed backup {:?} {:?} {:?}",
            b.id, b.status, b.file_name
        );
    }
    if backups.len() != 3 {
        return Err(format!("expected 3 backups, listed {}", backups.len()).into());
    }
    let first = backups[0].id.ok_or("a backup without an Id")?;
    let last = backups[2]
        .file_name
        .clone()
        .ok_or("a backup without a file")?;

    let restore = client
        .restore_instance(sqlserver_v3::RestoreInstanceInput::new("mssql-1", first))
        .await?;
    let input = sqlserver_v3::DescribeFlowStatusInput::for_restore_flow_finished(&restore)
        .ok_or("RestoreInstance returned no flow")?;
    client
        .wait_until_restore_flow_finished_with(input, quick_wait())
        .await?;
    client
        .remove_backups(sqlserver_v3::RemoveBackupsInput::new("mssql-1").backup_names([last]))
        .await?;
    println!("SQL Server: restored mssql-1 from backup {first}, removed backup 3");
    restore.flow_id.ok_or_else(|| "no restore flow".into())
}

async fn redis_backups(config: &Config) -> Result<i64, Failure> {
    let client = redis_v3::Client::new(config.clone())?;
    let mut started = Vec::new();
    for remark in ["before-upgrade", "after-upgrade"] {
        let input = redis_v3::ManualBackupInstanceInput::new("crs-1").remark(remark);
        started.push(client.manual_backup_instance(input).await?);
    }
    let input = redis_v3::DescribeTaskInfoInput::for_backup_task_succeeded(&started[0])
        .ok_or("ManualBackupInstance returned no task")?;
    client
        .wait_until_backup_task_succeeded_with(input, quick_wait())
        .await?;

    // Item by item, one page (of 1 here) fetched at a time.
    let listing = redis_v3::DescribeInstanceBackupsInput::new()
        .instance_id("crs-1")
        .limit(1);
    let mut items = client.describe_instance_backups_paginator(listing).items();
    let mut backup = None;
    while let Some(b) = items.next().await {
        let b = b?;
        println!(
            "Redis: listed backup {:?} {:?} {:?}",
            b.backup_id, b.status, b.remark
        );
        if b.remark.as_deref() == Some("before-upgrade") {
            backup = b.backup_id;
        }
    }
    let backup = backup.ok_or("the first backup is not listed")?;

    let restore = client
        .restore_instance(redis_v3::RestoreInstanceInput::new("crs-1", &backup))
        .await?;
    let input = redis_v3::DescribeTaskInfoInput::for_restore_task_succeeded(&restore)
        .ok_or("RestoreInstance returned no task")?;
    client
        .wait_until_restore_task_succeeded_with(input, quick_wait())
        .await?;
    println!("Redis: restored crs-1 from {backup}");
    restore.task_id.ok_or_else(|| "no restore task".into())
}

pub(crate) fn main() -> Result<(), Failure> {
    // The emulator's timed states last 5 s to a minute (the real services': minutes); here a
    // second, so that each wait below lasts a second or two.
    let emu = Emulator::start(EmulatorConfig::from_json(
        r#"{"transitions": [
            {"resource": "tencent/cbs/DiskBackup", "from": "CREATING", "after": 1},
            {"resource": "tencent/sqlserver_v3/Flow", "from": 2, "after": 1},
            {"resource": "tencent/sqlserver_v3/Backup", "from": 0, "after": 1},
            {"resource": "tencent/redis_v3/Task", "from": "preparing", "after": 1},
            {"resource": "tencent/redis_v3/Task", "from": "running", "after": 1},
            {"resource": "tencent/redis_v3/Backup", "from": 1, "after": 1}
        ]}"#,
    )?)?;
    // The emulator's documented test keys; a real program leaves credentials to the chain
    // (environment variables, TCCLI profiles, the CVM role, ...).
    let config = Config::new()
        .endpoint(emu.base_url())
        .region("ap-guangzhou")
        .credentials(TencentCredentials::new(
            DEFAULT_TENCENT_SECRET_ID,
            DEFAULT_TENCENT_SECRET_KEY,
        ));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (rolled_back, deleted) = rt.block_on(disk_backups(&config))?;
    let sql_restore = rt.block_on(sql_server_backups(&config, &emu))?;
    let redis_restore = rt.block_on(redis_backups(&config))?;

    // What the emulator holds now.
    let state = emu.state();
    let live = |kind: &str| state.live.get(kind).cloned().unwrap_or_default();
    let disk_backups = live("tencent/cbs/DiskBackup");
    let ids: Vec<&str> = disk_backups.iter().map(|r| r.id.as_str()).collect();
    if ids.len() != 2 || !ids.contains(&rolled_back.as_str()) || ids.contains(&deleted.as_str()) {
        return Err(format!("CBS: expected {rolled_back} and not {deleted}, have {ids:?}").into());
    }
    let sql_backups = live("tencent/sqlserver_v3/Backup");
    let flow = live("tencent/sqlserver_v3/Flow")
        .into_iter()
        .find(|r| r.id == sql_restore.to_string());
    let flow_done = flow.is_some_and(|f| f.attributes.get("Status").is_some_and(|s| *s == 0));
    if sql_backups.len() != 2 || !flow_done {
        return Err("SQL Server: expected 2 backups and a finished restore flow".into());
    }
    let task = live("tencent/redis_v3/Task")
        .into_iter()
        .find(|r| r.id == redis_restore.to_string());
    if !task.is_some_and(|t| t.attributes.get("Status").is_some_and(|s| *s == "succeed")) {
        return Err("Redis: expected a succeeded restore task".into());
    }
    println!("the emulator holds what was done");
    Ok(())
}
