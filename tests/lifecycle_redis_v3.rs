//! The Redis API 3.0 backup lifecycle through the typed client against the emulator that
//! remembers, in virtual time: start backups, follow their tasks with the generated waiter (to
//! success, and to failure when a test makes the task fail), page through and filter the
//! backups, get a backup's download addresses, restore from one (refused while it is still in
//! process), unknown backups get the documented not-found code, and another region sees
//! nothing. The pages have no call deleting a backup.

#![cfg(all(feature = "emulator", feature = "tencent-redis-v3"))]

mod lifecycle_rig;

use cloudbackup::Error;
use cloudbackup::client::WaitError;
use cloudbackup::emulator::TransitionOverride;
use cloudbackup::emulator::config::{DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY};
use cloudbackup::jiff::civil::date;
use cloudbackup::runtime::TencentCredentials;
use cloudbackup::tencent::redis_v3::describe_instance_backups::{BackupType, RedisBackupSet};
use cloudbackup::tencent::redis_v3::describe_task_info::TaskStatus;
use cloudbackup::tencent::redis_v3::{
    BackupStatus, Client, DescribeBackupUrlError, DescribeBackupUrlInput,
    DescribeInstanceBackupsInput, DescribeTaskInfoInput, ManualBackupInstanceInput,
    ManualBackupInstanceOutput, RestoreInstanceError, RestoreInstanceInput,
};
use lifecycle_rig::Rig;

fn client(rig: &Rig, region: &str) -> Client {
    Client::new(rig.config(region).credentials(TencentCredentials::new(
        DEFAULT_TENCENT_SECRET_ID,
        DEFAULT_TENCENT_SECRET_KEY,
    )))
    .unwrap()
}

async fn backup(c: &Client, instance: &str) -> ManualBackupInstanceOutput {
    c.manual_backup_instance(ManualBackupInstanceInput::new(instance).remark("lifecycle"))
        .await
        .expect("backup started")
}

async fn backups(c: &Client, input: DescribeInstanceBackupsInput) -> Vec<RedisBackupSet> {
    c.describe_instance_backups_paginator(input)
        .collect_items()
        .await
        .expect("every page")
}

#[tokio::test]
async fn backup_page_wait_download_and_restore() {
    let rig = Rig::start();
    let c = client(&rig, "ap-guangzhou");
    let mut tasks = Vec::new();
    for i in 0..23 {
        // 20 calls a second are allowed: a second passes every ten backups.
        if i % 10 == 9 {
            rig.advance(1);
        }
        let instance = if i < 20 { "crs-a" } else { "crs-b" };
        tasks.push(backup(&c, instance).await.task_id.expect("a task id"));
    }
    assert_eq!(tasks, (1..=23).collect::<Vec<i64>>());

    // Offset paging, eight backups a page: every backup of crs-a once, manual, in process.
    let mut pages = c
        .describe_instance_backups_paginator(
            DescribeInstanceBackupsInput::new()
                .instance_id("crs-a")
                .limit(8),
        )
        .pages();
    let mut sizes = Vec::new();
    let mut ids = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.expect("a page");
        assert_eq!(page.total_count, Some(20));
        let set = page.backup_set.unwrap_or_default();
        sizes.push(set.len());
        for b in set {
            assert_eq!(b.instance_id.as_deref(), Some("crs-a"));
            assert_eq!(b.backup_type, Some(BackupType::Manual));
            assert_eq!(b.status, Some(BackupStatus::InProcess));
            assert_eq!(b.remark.as_deref(), Some("lifecycle"));
            ids.push(b.backup_id.expect("a BackupId"));
        }
    }
    assert_eq!(sizes, [8, 8, 4]);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 20);
    assert_eq!(
        backups(&c, DescribeInstanceBackupsInput::new()).await.len(),
        23
    );

    // A backup still in process is locked: a restore is refused with the documented code.
    let locked = c
        .restore_instance(RestoreInstanceInput::new("crs-a", &ids[0]))
        .await
        .unwrap_err();
    assert!(
        matches!(
            locked,
            Error::Service(RestoreInstanceError::ResourceUnavailableBackupLockedError(
                _
            ))
        ),
        "{locked}"
    );

    // Wait for a backup task with the generated waiter, built from the backup's output.
    let out = backup(&c, "crs-a").await;
    let input = DescribeTaskInfoInput::for_backup_task_succeeded(&out).expect("TaskId present");
    let sleeps = rig.timer.sleeps().len();
    let done = c
        .wait_until_backup_task_succeeded(input)
        .await
        .expect("done");
    assert_eq!(done.state, "succeed");
    let info = done.output.as_ref().unwrap();
    assert_eq!(info.status, Some(TaskStatus::Succeeded));
    assert_eq!(info.instance_id.as_deref(), Some("crs-a"));
    assert_eq!(info.task_type.as_deref(), Some("Back up Instance"));
    assert_eq!(info.start_time, Some(date(2025, 12, 4).at(8, 0, 2, 0)));
    assert!(done.attempts >= 2, "polled until the move: {done:?}");
    assert!(rig.slept_since(sleeps) >= 35, "waited in virtual time");

    // By now the first backups are normal: the status filter and the window select them.
    let normal = backups(
        &c,
        DescribeInstanceBackupsInput::new()
            .instance_id("crs-a")
            .status([BackupStatus::Normal]),
    )
    .await;
    assert_eq!(normal.len(), 21);
    let in_window = backups(
        &c,
        DescribeInstanceBackupsInput::new()
            .begin_time(date(2025, 12, 4).at(8, 0, 1, 0))
            .end_time(date(2025, 12, 4).at(8, 0, 1, 0)),
    )
    .await;
    assert_eq!(in_window.len(), 10, "the backups of the second second");

    // Download addresses of a known backup; an unknown one is the documented not-found code.
    let urls = c
        .describe_backup_url(DescribeBackupUrlInput::new("crs-a", &ids[0]))
        .await
        .expect("addresses");
    assert!(urls.backup_infos.is_some());
    let unknown = c
        .describe_backup_url(DescribeBackupUrlInput::new("crs-a", "no-such-backup"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            unknown,
            Error::Service(DescribeBackupUrlError::InvalidParameterValueBackupNotExists(_))
        ),
        "{unknown}"
    );

    // Restore from a normal backup: a task, followed by its own waiter.
    let restore = c
        .restore_instance(RestoreInstanceInput::new("crs-a", &ids[0]).password("secret-pw"))
        .await
        .expect("restore started");
    let input = DescribeTaskInfoInput::for_restore_task_succeeded(&restore).unwrap();
    let done = c.wait_until_restore_task_succeeded(input).await.unwrap();
    assert_eq!(done.state, "succeed");
    let unknown = c
        .restore_instance(RestoreInstanceInput::new("crs-a", "no-such-backup"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            unknown,
            Error::Service(RestoreInstanceError::InvalidParameterValueBackupNotExists(
                _
            ))
        ),
        "{unknown}"
    );

    // Another region is another scope: no backups listed, and ours are unknown there.
    let elsewhere = client(&rig, "ap-shanghai");
    assert!(
        backups(&elsewhere, DescribeInstanceBackupsInput::new())
            .await
            .is_empty()
    );
    let theirs = elsewhere
        .describe_backup_url(DescribeBackupUrlInput::new("crs-a", &ids[0]))
        .await
        .unwrap_err();
    assert!(
        matches!(
            theirs,
            Error::Service(DescribeBackupUrlError::InvalidParameterValueBackupNotExists(_))
        ),
        "{theirs}"
    );
    // The password was used, never stored.
    let st = rig.emu.state();
    let tasks = &st.live["tencent/redis_v3/Task"];
    assert!(tasks.iter().all(|t| !t.attributes.contains_key("Password")));
}

#[tokio::test]
async fn a_failed_task_ends_the_waiter_as_failed() {
    let rig = Rig::start();
    // Running tasks fail after 10 s instead of succeeding.
    rig.emu
        .set_transition(TransitionOverride {
            resource: "tencent/redis_v3/Task".into(),
            from: "running".into(),
            to: Some("failed".into()),
            after: 10,
        })
        .unwrap();
    let c = client(&rig, "ap-guangzhou");
    let out = backup(&c, "crs-a").await;
    let input = DescribeTaskInfoInput::for_backup_task_succeeded(&out).unwrap();
    let sleeps = rig.timer.sleeps().len();
    match c.wait_until_backup_task_succeeded(input).await {
        Err(WaitError::Failed {
            state,
            output,
            attempts,
        }) => {
            assert_eq!(state, "failed");
            assert_eq!(output.unwrap().status, Some(TaskStatus::Failed));
            assert!(attempts >= 2, "{attempts}");
        }
        other => panic!("expected a failed wait, got {other:?}"),
    }
    assert!(rig.slept_since(sleeps) >= 15);
}
