//! Tencent Redis, both APIs. Legacy API 2.0: `ManualBackupInstance` and the waiter
//! `BackupTaskSucceeded` on `DescribeTaskInfo` (the API has no call to list, restore or delete
//! backups). API 3.0: `ManualBackupInstance`, the waiter `BackupTaskSucceeded`,
//! `DescribeInstanceBackups` in pages, `RestoreInstance` with the waiter
//! `RestoreTaskSucceeded` (the API has no call deleting a backup).

use cloudbackup::tencent::redis::ManualBackupInstanceInput;
use cloudbackup::tencent::redis::describe_task_info::BACKUP_TASK_SUCCEEDED_WAITER;
use cloudbackup::tencent::redis_v3::describe_task_info::{
    BACKUP_TASK_SUCCEEDED_WAITER as V3_BACKUP_WAITER, RESTORE_TASK_SUCCEEDED_WAITER,
};
use cloudbackup::tencent::redis_v3::{
    BackupStatus, DescribeInstanceBackupsInput, DescribeTaskInfoInput, RestoreInstanceInput,
};
use cloudbackup::tencent::{redis, redis_v3};

use super::{Demo, Failure, check, list_pages, note, reached, request, show, text, watch};

const INSTANCE: &str = "crs-demo0001";

pub(super) async fn legacy(demo: &Demo) -> Result<(), Failure> {
    demo.section("Tencent Redis, legacy API 2.0 (HmacSHA256; 24 backups a day)");
    let redis = redis::Client::new(demo.tencent())?;

    demo.step(format_args!("ManualBackupInstance of {INSTANCE}"));
    let input = ManualBackupInstanceInput::new(INSTANCE).remark("demo");
    request(&input);
    let out = redis.manual_backup_instance(input).await?;
    note(format_args!("started task {}", text(&out.task_id)));

    let waiter = BACKUP_TASK_SUCCEEDED_WAITER.name;
    demo.step(format_args!(
        "Wait for task {} with the waiter {waiter} \
         (polls DescribeTaskInfo; 0 queued, 1 running, 2 done)",
        text(&out.task_id)
    ));
    let input = redis::DescribeTaskInfoInput::for_backup_task_succeeded(&out)
        .ok_or("no task to wait for")?;
    let done = redis
        .wait_until_backup_task_succeeded_with(input, watch())
        .await?;
    reached(waiter, &done);
    note("the legacy API has no call to list, restore or delete backups (API 3.0: next section)");
    Ok(())
}

pub(super) async fn v3(demo: &Demo) -> Result<(), Failure> {
    demo.section("Tencent Redis, API 3.0 (TC3-HMAC-SHA256)");
    let redis = redis_v3::Client::new(demo.tencent())?;

    demo.step(format_args!(
        "ManualBackupInstance of {INSTANCE}, three times"
    ));
    let mut tasks = Vec::new();
    for n in 1..=3 {
        let input = redis_v3::ManualBackupInstanceInput::new(INSTANCE).remark(format!("demo-{n}"));
        if n == 1 {
            request(&input);
        }
        let out = redis.manual_backup_instance(input).await?;
        note(format_args!("started task {}", text(&out.task_id)));
        tasks.push(out);
    }

    let waiter = V3_BACKUP_WAITER.name;
    demo.step(format_args!(
        "Wait for task {} with the waiter {waiter} (polls DescribeTaskInfo)",
        text(&tasks[0].task_id)
    ));
    let input =
        DescribeTaskInfoInput::for_backup_task_succeeded(&tasks[0]).ok_or("no task to wait for")?;
    let done = redis
        .wait_until_backup_task_succeeded_with(input, watch())
        .await?;
    reached(waiter, &done);

    demo.step("List the backups with the paginator of DescribeInstanceBackups, 2 a page");
    let backups = list_pages(
        redis.describe_instance_backups_paginator(
            DescribeInstanceBackupsInput::new()
                .instance_id(INSTANCE)
                .limit(2),
        ),
        |b| {
            format!(
                "{} {} ({})",
                b.backup_id.as_deref().unwrap_or("-"),
                show(&b.status),
                b.remark.as_deref().unwrap_or("-")
            )
        },
    )
    .await?;
    check(backups.len() == 3, "DescribeInstanceBackups lists three")?;
    let first = backups
        .iter()
        .find(|b| b.remark.as_deref() == Some("demo-1"))
        .ok_or("the first backup is not listed")?;
    check(
        first.status == Some(BackupStatus::Normal),
        "the first backup is normal (unlocked) once its task is done",
    )?;
    let id = first
        .backup_id
        .clone()
        .ok_or("a backup without a BackupId")?;

    let waiter = RESTORE_TASK_SUCCEEDED_WAITER.name;
    demo.step(format_args!(
        "RestoreInstance {INSTANCE} from {id}, then wait with the waiter {waiter}"
    ));
    let restore = redis
        .restore_instance(RestoreInstanceInput::new(INSTANCE, &id))
        .await?;
    note(format_args!("restore task {}", text(&restore.task_id)));
    let input =
        DescribeTaskInfoInput::for_restore_task_succeeded(&restore).ok_or("no task to wait for")?;
    let done = redis
        .wait_until_restore_task_succeeded_with(input, watch())
        .await?;
    reached(waiter, &done);
    note("the API has no call deleting a backup");
    Ok(())
}
