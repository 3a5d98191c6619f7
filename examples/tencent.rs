//! The Tencent Cloud seed actions through the typed clients, against the loopback emulator:
//! SQL Server `CreateBackup` and Redis `ManualBackupInstance` (legacy API 2.0), CBS
//! `CreateDiskBackup` (API 3.0, TC3-HMAC-SHA256). Requests are signed for real; the emulator
//! checks the signatures the way Tencent does.
//!
//! Run with `cargo run --example tencent --features emulator`.

use cloudbackup::Config;
use cloudbackup::emulator::config::{DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY};
use cloudbackup::emulator::{Emulator, EmulatorConfig};
use cloudbackup::runtime::TencentCredentials;
use cloudbackup::tencent::cbs::CreateDiskBackupInput;
use cloudbackup::tencent::redis::ManualBackupInstanceInput;
use cloudbackup::tencent::sqlserver::create_backup::{BackupStrategy, CreateBackupInput};
use cloudbackup::tencent::{cbs, redis, sqlserver};

pub(crate) fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emu = Emulator::start(EmulatorConfig::default())?;
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
    rt.block_on(async {
        let sql = sqlserver::Client::new(config.clone())?;
        let out = sql
            .create_backup(
                CreateBackupInput::new("mssql-q6g71pcf")
                    .strategy(BackupStrategy::MultiDatabase)
                    .db_list(["db1", "db2"]),
            )
            .await?;
        println!("SQL Server CreateBackup: flow {:?}", out.flow_id);

        let redis = redis::Client::new(config.clone())?;
        let out = redis
            .manual_backup_instance(
                ManualBackupInstanceInput::new("crs-izbob1wh").remark("example"),
            )
            .await?;
        println!("Redis ManualBackupInstance: task {:?}", out.task_id);

        let cbs = cbs::Client::new(config)?;
        let out = cbs
            .create_disk_backup(CreateDiskBackupInput::new("disk-123").disk_backup_name("nightly"))
            .await?;
        println!(
            "CBS CreateDiskBackup: backup point {:?}",
            out.disk_backup_id
        );
        Ok::<_, Box<dyn std::error::Error>>(())
    })?;
    let created: usize = emu.state().resources.values().map(Vec::len).sum();
    println!("the emulator holds {created} new resources");
    if created != 3 {
        return Err(format!("expected 3 resources, the emulator has {created}").into());
    }
    Ok(())
}
