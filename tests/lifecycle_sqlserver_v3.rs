//! The SQL Server API 3.0 backup lifecycle through the typed client against the emulator that
//! remembers, in virtual time: start backups, follow their flows with the generated waiters (to
//! success, and to failure when a test makes the flow fail), page through and filter the
//! backups, restore from one, delete by name and by time window, and see nothing of another
//! region's. The pages document no not-found code for a flow, a backup ID or a backup name, so
//! unknown ones are not errors here.

#![cfg(all(feature = "emulator", feature = "tencent-sqlserver-v3"))]

mod lifecycle_rig;

use cloudbackup::client::WaitError;
use cloudbackup::emulator::TransitionOverride;
use cloudbackup::emulator::config::{DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY};
use cloudbackup::jiff::civil::date;
use cloudbackup::runtime::TencentCredentials;
use cloudbackup::tencent::sqlserver_v3::describe_backups::{Backup, BackupStatus};
use cloudbackup::tencent::sqlserver_v3::describe_flow_status::FlowStatus;
use cloudbackup::tencent::sqlserver_v3::{
    BackupFormat, BackupStrategy, BackupWay, Client, CreateBackupInput, CreateBackupOutput,
    DescribeBackupsInput, DescribeFlowStatusInput, RemoveBackupsInput, RestoreInstanceInput,
};
use lifecycle_rig::Rig;

fn client(rig: &Rig, region: &str) -> Client {
    Client::new(rig.config(region).credentials(TencentCredentials::new(
        DEFAULT_TENCENT_SECRET_ID,
        DEFAULT_TENCENT_SECRET_KEY,
    )))
    .unwrap()
}

/// December 2025, in the emulator's local time.
fn december(instance: &str) -> DescribeBackupsInput {
    DescribeBackupsInput::new(
        date(2025, 12, 1).at(0, 0, 0, 0),
        date(2025, 12, 31).at(23, 59, 59, 0),
        instance,
    )
}

async fn backup(c: &Client, input: CreateBackupInput) -> CreateBackupOutput {
    c.create_backup(input).await.expect("backup started")
}

async fn all(c: &Client, input: DescribeBackupsInput) -> Vec<Backup> {
    c.describe_backups_paginator(input)
        .collect_items()
        .await
        .expect("every page")
}

#[tokio::test]
async fn backup_page_filter_wait_restore_and_remove() {
    let rig = Rig::start();
    let c = client(&rig, "ap-guangzhou");
    let mut flows = Vec::new();
    for i in 0..25 {
        // 20 calls a second are allowed: a second passes every ten backups.
        if i % 10 == 9 {
            rig.advance(1);
        }
        let input = if i % 5 == 0 {
            CreateBackupInput::new("mssql-a")
                .strategy(BackupStrategy::MultiDatabase)
                .db_names(["sales"])
        } else {
            CreateBackupInput::new("mssql-a").strategy(BackupStrategy::Instance)
        };
        flows.push(backup(&c, input).await.flow_id.expect("a flow id"));
    }
    for _ in 0..3 {
        backup(&c, CreateBackupInput::new("mssql-b").backup_name("b")).await;
    }

    // `Offset` is a page number from 0: pages of ten, then five; every backup once, manual,
    // archived, still being created, with the emulator's file name.
    let mut pages = c
        .describe_backups_paginator(december("mssql-a").limit(10))
        .pages();
    let mut sizes = Vec::new();
    let mut ids = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.expect("a page");
        assert_eq!(page.total_count, Some(25));
        let backups = page.backups.unwrap_or_default();
        sizes.push(backups.len());
        for b in backups {
            let id = b.id.expect("an Id");
            assert_eq!(b.status, Some(BackupStatus::Creating));
            assert_eq!(b.backup_way, Some(BackupWay::Manual));
            assert_eq!(b.backup_format, Some(BackupFormat::Pkg));
            assert_eq!(
                b.file_name.as_deref(),
                Some(format!("manual_mssql-a_{id}.bak.tar").as_str())
            );
            ids.push(id);
        }
    }
    assert_eq!(sizes, [10, 10, 5]);
    assert_eq!(ids, (1..=25).collect::<Vec<i64>>());

    // Filters: by strategy, by database (multi-database backups list theirs), by backup ID.
    let ids_of = |backups: &[Backup]| backups.iter().map(|b| b.id.unwrap()).collect::<Vec<_>>();
    let multi = all(
        &c,
        december("mssql-a").strategy(BackupStrategy::MultiDatabase),
    )
    .await;
    assert_eq!(ids_of(&multi), [1, 6, 11, 16, 21]);
    let sales = all(&c, december("mssql-a").database_name("sales")).await;
    assert_eq!(ids_of(&sales), ids_of(&multi));
    assert_eq!(sales[0].d_bs.as_deref(), Some(&["sales".to_owned()][..]));
    let one = all(&c, december("mssql-a").backup_id(7)).await;
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].id, Some(7));
    // The window selects by start time: a window ending before the backups finds none.
    let earlier = all(
        &c,
        DescribeBackupsInput::new(
            date(2025, 12, 1).at(0, 0, 0, 0),
            date(2025, 12, 4).at(7, 59, 59, 0),
            "mssql-a",
        ),
    )
    .await;
    assert!(earlier.is_empty());

    // Wait for a backup's flow with the generated waiter, built from CreateBackup's output.
    let out = backup(&c, CreateBackupInput::new("mssql-a")).await;
    let input = DescribeFlowStatusInput::for_backup_flow_finished(&out).expect("FlowId present");
    let sleeps = rig.timer.sleeps().len();
    let done = c
        .wait_until_backup_flow_finished(input)
        .await
        .expect("done");
    assert_eq!(done.state, "0");
    assert_eq!(
        done.output.as_ref().and_then(|o| o.status),
        Some(FlowStatus::Succeeded)
    );
    assert!(done.attempts >= 2, "polled until the move: {done:?}");
    assert!(rig.slept_since(sleeps) >= 60, "waited in virtual time");
    let first = &all(&c, december("mssql-a").backup_id(1)).await[0];
    assert_eq!(first.status, Some(BackupStatus::Succeeded));

    // Restore from a backup: a new flow, followed by its own waiter.
    let restore = c
        .restore_instance(RestoreInstanceInput::new("mssql-a", 1))
        .await
        .expect("restore started");
    let input = DescribeFlowStatusInput::for_restore_flow_finished(&restore).unwrap();
    let done = c.wait_until_restore_flow_finished(input).await.unwrap();
    assert_eq!(done.state, "0");

    // Delete by name: gone from the list; an unknown name is ignored (no code is documented).
    let name = first.file_name.clone().unwrap();
    c.remove_backups(RemoveBackupsInput::new("mssql-a").backup_names([name, "nope".into()]))
        .await
        .unwrap();
    assert!(all(&c, december("mssql-a").backup_id(1)).await.is_empty());
    assert_eq!(all(&c, december("mssql-a")).await.len(), 25);

    // Delete by window: every backup of mssql-b in it, none of mssql-a's.
    c.remove_backups(
        RemoveBackupsInput::new("mssql-b")
            .start_time(date(2025, 12, 4).at(0, 0, 0, 0))
            .end_time(date(2025, 12, 4).at(23, 59, 59, 0)),
    )
    .await
    .unwrap();
    assert!(all(&c, december("mssql-b")).await.is_empty());
    assert_eq!(all(&c, december("mssql-a")).await.len(), 25);

    // Another region is another scope: none of these backups is listed there.
    let other = all(&client(&rig, "ap-shanghai"), december("mssql-a")).await;
    assert!(other.is_empty());
    let live = &rig.emu.state().live["tencent/sqlserver_v3/Backup"];
    assert_eq!(live.len(), 25);
    assert!(live.iter().all(|r| r.region == "ap-guangzhou"));
}

#[tokio::test]
async fn a_failed_flow_ends_the_waiter_as_failed() {
    let rig = Rig::start();
    // Flows fail after 30 s instead of succeeding.
    rig.emu
        .set_transition(TransitionOverride {
            resource: "tencent/sqlserver_v3/Flow".into(),
            from: 2.into(),
            to: Some(1.into()),
            after: 30,
        })
        .unwrap();
    let c = client(&rig, "ap-guangzhou");
    let out = backup(&c, CreateBackupInput::new("mssql-a")).await;
    let input = DescribeFlowStatusInput::for_backup_flow_finished(&out).unwrap();
    let sleeps = rig.timer.sleeps().len();
    match c.wait_until_backup_flow_finished(input).await {
        Err(WaitError::Failed {
            state, attempts, ..
        }) => {
            assert_eq!(state, "1");
            assert!(attempts >= 2, "{attempts}");
        }
        other => panic!("expected a failed wait, got {other:?}"),
    }
    assert!(rig.slept_since(sleeps) >= 30);
}
