//! Builds and validates each of the five seed requests, prints its wire form, then shows what
//! validation reports for a few bad requests.
//!
//! Run with `cargo run --example seeds`.

use cloudbackup::Operation;
use cloudbackup::alibaba::dbs::create_backup_plan::{
    BackupMethod, CreateBackupPlanInput, DatabaseType, InstanceClass, Period, Region,
};
use cloudbackup::huawei::koophone::BatchBackupInstancesInput;
use cloudbackup::runtime::request::WireRequest;
use cloudbackup::tencent::cbs::CreateDiskBackupInput;
use cloudbackup::tencent::redis::ManualBackupInstanceInput;
use cloudbackup::tencent::sqlserver::create_backup::{BackupStrategy, CreateBackupInput};

fn show<O: Operation>(mut input: O) {
    let mut n = 0u32;
    let mut ids = move || {
        n += 1;
        format!("00000000-0000-4000-8000-{n:012}")
    };
    let service = O::SERVICE;
    let action = O::ACTION;
    println!(
        "== {}/{} {}",
        service.provider, service.service, action.name
    );
    match input.validate() {
        Ok(()) => println!("   valid"),
        Err(e) => {
            println!("   {e}");
            return;
        }
    }
    input.fill_idempotency_token(&mut ids);
    let wire: WireRequest = input.to_wire(&mut ids);
    println!("   {} {}", wire.method.as_str(), wire.path);
    for (k, v) in &wire.params {
        println!("   param  {k}={v}");
    }
    for (k, v) in &wire.headers {
        println!("   header {k}: {v}");
    }
    if let Some(body) = &wire.body {
        println!("   body   {}", String::from_utf8_lossy(body));
    }
}

fn main() {
    show(
        CreateBackupInput::new("mssql-q6g71pcf")
            .strategy(BackupStrategy::MultiDatabase)
            .db_list(["test1", "test2"]),
    );
    show(ManualBackupInstanceInput::new("crs-izbob1wh").remark("test_api"));
    show(CreateDiskBackupInput::new("disk-xxxxxxxx").disk_backup_name("nightly"));
    show(CreateBackupPlanInput::new(
        Region::CnHangzhou,
        DatabaseType::MySql,
        InstanceClass::Small,
        BackupMethod::Logical,
        Period::Month,
        3,
    ));
    show(BatchBackupInstancesInput::new(["iRJEVP9"]));

    println!("\n-- invalid requests are refused before anything is sent --");
    show(CreateDiskBackupInput::new("disk-1").disk_backup_name("n".repeat(101)));
    show(CreateBackupPlanInput::new(
        Region::from("ap-southeat-1"),
        DatabaseType::MySql,
        InstanceClass::Micro,
        BackupMethod::Physical,
        Period::Year,
        10,
    ));
    show(CreateBackupInput::new("mssql-1").db_list(["db1"]));
}
