//! Tencent SQL Server, both APIs. Legacy API 2.0: `CreateBackup`, the waiter
//! `BackupFlowFinished` on `GetFlowStatus`, `ListBackup` in pages (the API has no restore and
//! no delete call). API 3.0: `CreateBackup`, the waiter `BackupFlowFinished` on
//! `DescribeFlowStatus`, `DescribeBackups` in pages, `RestoreInstance` with the waiter
//! `RestoreFlowFinished`, and `RemoveBackups`.

use cloudbackup::tencent::sqlserver::create_backup::BackupStrategy;
use cloudbackup::tencent::sqlserver::get_flow_status::BACKUP_FLOW_FINISHED_WAITER;
use cloudbackup::tencent::sqlserver::{CreateBackupInput, GetFlowStatusInput, ListBackupInput};
use cloudbackup::tencent::sqlserver_v3::describe_backups::BackupStatus;
use cloudbackup::tencent::sqlserver_v3::describe_flow_status::{
    BACKUP_FLOW_FINISHED_WAITER as V3_BACKUP_WAITER, RESTORE_FLOW_FINISHED_WAITER,
};
use cloudbackup::tencent::sqlserver_v3::{
    DescribeBackupsInput, DescribeFlowStatusInput, RemoveBackupsInput, RestoreInstanceInput,
};
use cloudbackup::tencent::{sqlserver, sqlserver_v3};

use super::{Demo, Failure, check, list_pages, note, reached, request, show, text, watch};

const INSTANCE: &str = "mssql-demo0001";

pub(super) async fn legacy(demo: &Demo) -> Result<(), Failure> {
    demo.section("Tencent SQL Server, legacy API 2.0 (HmacSHA256)");
    let sql = sqlserver::Client::new(demo.tencent())?;

    demo.step(format_args!(
        "CreateBackup of databases db1 and db2 of {INSTANCE}, three times"
    ));
    let mut flows = Vec::new();
    for n in 0..3 {
        let input = CreateBackupInput::new(INSTANCE)
            .strategy(BackupStrategy::MultiDatabase)
            .db_list(["db1", "db2"]);
        if n == 0 {
            request(&input);
        }
        let out = sql.create_backup(input).await?;
        note(format_args!("started flow {}", text(&out.flow_id)));
        flows.push(out);
    }

    let waiter = BACKUP_FLOW_FINISHED_WAITER.name;
    demo.step(format_args!(
        "Wait for flow {} with the waiter {waiter} (polls GetFlowStatus; 2 running, 0 done)",
        text(&flows[0].flow_id)
    ));
    let input =
        GetFlowStatusInput::for_backup_flow_finished(&flows[0]).ok_or("no flow to wait for")?;
    let done = sql
        .wait_until_backup_flow_finished_with(input, watch())
        .await?;
    reached(waiter, &done);

    demo.step("List the backup files with the paginator of ListBackup (this hour), 2 a page");
    let (start, end) = demo.window()?;
    let files = list_pages(
        sql.list_backup_paginator(ListBackupInput::new(INSTANCE, start, end).page_size(2)),
        |f| {
            format!(
                "{} (started {})",
                f.file_name.as_deref().unwrap_or("-"),
                text(&f.start_time)
            )
        },
    )
    .await?;
    check(files.len() == 3, "ListBackup lists the three backups")?;
    note("the legacy API has no restore and no delete call (API 3.0 has both: next section)");
    Ok(())
}

pub(super) async fn v3(demo: &Demo) -> Result<(), Failure> {
    demo.section("Tencent SQL Server, API 3.0 (TC3-HMAC-SHA256)");
    let sql = sqlserver_v3::Client::new(demo.tencent())?;

    demo.step(format_args!("CreateBackup of {INSTANCE}, three times"));
    let mut flows = Vec::new();
    for n in 1..=3 {
        let input = sqlserver_v3::CreateBackupInput::new(INSTANCE).backup_name(format!("demo-{n}"));
        if n == 1 {
            request(&input);
        }
        let out = sql.create_backup(input).await?;
        note(format_args!("started flow {}", text(&out.flow_id)));
        flows.push(out);
    }

    let waiter = V3_BACKUP_WAITER.name;
    demo.step(format_args!(
        "Wait for flow {} with the waiter {waiter} (polls DescribeFlowStatus; 2 running, 0 done)",
        text(&flows[0].flow_id)
    ));
    let input = DescribeFlowStatusInput::for_backup_flow_finished(&flows[0])
        .ok_or("no flow to wait for")?;
    let done = sql
        .wait_until_backup_flow_finished_with(input, watch())
        .await?;
    reached(waiter, &done);

    demo.step("List the backups with the paginator of DescribeBackups (this hour), 2 a page");
    let (start, end) = demo.window()?;
    let backups = list_pages(
        sql.describe_backups_paginator(DescribeBackupsInput::new(start, end, INSTANCE).limit(2)),
        |b| {
            format!(
                "#{} {} ({})",
                text(&b.id),
                show(&b.status),
                b.file_name.as_deref().unwrap_or("-")
            )
        },
    )
    .await?;
    check(
        backups.len() == 3,
        "DescribeBackups lists the three backups",
    )?;
    let first = &backups[0];
    check(
        first.status == Some(BackupStatus::Succeeded),
        "the first backup succeeded with its flow",
    )?;
    let id = first.id.ok_or("a backup without an Id")?;

    let waiter = RESTORE_FLOW_FINISHED_WAITER.name;
    demo.step(format_args!(
        "RestoreInstance {INSTANCE} from backup #{id}, then wait with the waiter {waiter}"
    ));
    let restore = sql
        .restore_instance(RestoreInstanceInput::new(INSTANCE, id))
        .await?;
    note(format_args!("restore flow {}", text(&restore.flow_id)));
    let input = DescribeFlowStatusInput::for_restore_flow_finished(&restore)
        .ok_or("no flow to wait for")?;
    let done = sql
        .wait_until_restore_flow_finished_with(input, watch())
        .await?;
    reached(waiter, &done);

    let last = backups[2]
        .file_name
        .clone()
        .ok_or("a backup without a FileName")?;
    demo.step(format_args!("RemoveBackups {last}"));
    sql.remove_backups(RemoveBackupsInput::new(INSTANCE).backup_names([last.clone()]))
        .await?;
    let left = sql
        .describe_backups_paginator(DescribeBackupsInput::new(start, end, INSTANCE))
        .collect_items()
        .await?;
    let left: Vec<String> = left.into_iter().filter_map(|b| b.file_name).collect();
    note(format_args!("listed now: {}", left.join(", ")));
    check(
        left.len() == 2 && !left.contains(&last),
        format_args!("{last} is gone, the others stay"),
    )
}
