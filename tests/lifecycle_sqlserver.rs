//! The SQL Server legacy API 2.0 backup lifecycle through the typed client against the emulator
//! that remembers, in virtual time: start backups, follow their flows with the generated waiter
//! (to success, and to failure when a test makes the flow fail), page through the backup files
//! in a time window, and see nothing of another region's. The legacy API has no restore and no
//! delete call, and documents no not-found code for a flow.

#![cfg(all(feature = "emulator", feature = "tencent-sqlserver"))]

mod lifecycle_rig;

use cloudbackup::client::WaitError;
use cloudbackup::emulator::TransitionOverride;
use cloudbackup::emulator::config::{DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY};
use cloudbackup::jiff::civil::{DateTime, date};
use cloudbackup::runtime::TencentCredentials;
use cloudbackup::tencent::sqlserver::create_backup::BackupStrategy;
use cloudbackup::tencent::sqlserver::get_flow_status::FlowStatus;
use cloudbackup::tencent::sqlserver::{
    Client, CreateBackupInput, CreateBackupOutput, GetFlowStatusInput, ListBackupInput,
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
fn december() -> (DateTime, DateTime) {
    (
        date(2025, 12, 1).at(0, 0, 0, 0),
        date(2025, 12, 31).at(23, 59, 59, 0),
    )
}

async fn backup(c: &Client, instance: &str) -> CreateBackupOutput {
    c.create_backup(
        CreateBackupInput::new(instance)
            .strategy(BackupStrategy::MultiDatabase)
            .db_list(["db1", "db2"]),
    )
    .await
    .expect("backup started")
}

#[tokio::test]
async fn backups_flows_and_the_paged_file_list() {
    let rig = Rig::start();
    let c = client(&rig, "ap-guangzhou");
    let mut flows = Vec::new();
    for _ in 0..12 {
        flows.push(backup(&c, "mssql-a").await.flow_id.expect("a flow id"));
    }
    for _ in 0..3 {
        backup(&c, "mssql-b").await;
    }
    assert_eq!(flows, (1..=12).collect::<Vec<i64>>(), "flow ids count up");

    // A flow is in progress until the emulator's clock moves it on.
    let running = c
        .get_flow_status(GetFlowStatusInput::new(flows[0]))
        .await
        .unwrap();
    assert_eq!(running.status, Some(FlowStatus::Running));

    // Page-number paging from page 0, five files a page: only mssql-a's twelve, in order.
    let (start, end) = december();
    let mut pages = c
        .list_backup_paginator(ListBackupInput::new("mssql-a", start, end).page_size(5))
        .pages();
    let mut sizes = Vec::new();
    let mut names = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.expect("a page");
        assert_eq!(page.total_count, Some(12));
        let files = page.backup_list.unwrap_or_default();
        sizes.push(files.len());
        for f in files {
            assert_eq!(
                f.start_time,
                Some(date(2025, 12, 4).at(8, 0, 0, 0)),
                "started at the emulator's time, local (UTC+8)"
            );
            names.push(f.file_name.expect("a file name"));
        }
    }
    assert_eq!(sizes, [5, 5, 2]);
    assert!(
        names
            .iter()
            .all(|n| n.starts_with("backup_") && n.len() == 13)
    );
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 12, "{names:?}");

    // The window selects by start time: the day before finds nothing.
    let before = c
        .list_backup(ListBackupInput::new(
            "mssql-a",
            date(2025, 12, 3).at(0, 0, 0, 0),
            date(2025, 12, 4).at(7, 59, 59, 0),
        ))
        .await
        .unwrap();
    assert_eq!(before.total_count, Some(0));
    assert_eq!(before.backup_list.unwrap_or_default().len(), 0);

    // A minute later (the emulator's duration) the first flows have succeeded.
    rig.advance(60);
    let succeeded = c
        .get_flow_status(GetFlowStatusInput::new(flows[0]))
        .await
        .unwrap();
    assert_eq!(succeeded.status, Some(FlowStatus::Succeeded));

    // Wait for a flow with the generated waiter, built from CreateBackup's output: the wait
    // polls (in virtual time) until the emulator's 60 s are up.
    let out = backup(&c, "mssql-a").await;
    let input = GetFlowStatusInput::for_backup_flow_finished(&out).expect("flowId present");
    let sleeps = rig.timer.sleeps().len();
    let done = c
        .wait_until_backup_flow_finished(input)
        .await
        .expect("done");
    assert_eq!(done.state, "0");
    assert_eq!(
        done.output.as_ref().unwrap().status,
        Some(FlowStatus::Succeeded)
    );
    assert!(done.attempts >= 2, "polled until the move: {done:?}");
    assert!(rig.slept_since(sleeps) >= 60, "waited in virtual time");

    // Another region is another scope: none of these files is listed there.
    let other = client(&rig, "ap-shanghai")
        .list_backup(ListBackupInput::new("mssql-a", start, end))
        .await
        .unwrap();
    assert_eq!(other.total_count, Some(0));
    let live = &rig.emu.state().live["tencent/sqlserver/BackupFile"];
    assert_eq!(live.len(), 16);
    assert!(live.iter().all(|r| r.region == "ap-guangzhou"));
}

#[tokio::test]
async fn a_failed_flow_ends_the_waiter_as_failed() {
    let rig = Rig::start();
    // Flows fail after 20 s instead of succeeding.
    rig.emu
        .set_transition(TransitionOverride {
            resource: "tencent/sqlserver/Flow".into(),
            from: 2.into(),
            to: Some(1.into()),
            after: 20,
        })
        .unwrap();
    let c = client(&rig, "ap-guangzhou");
    let out = backup(&c, "mssql-a").await;
    let input = GetFlowStatusInput::for_backup_flow_finished(&out).unwrap();
    let sleeps = rig.timer.sleeps().len();
    match c.wait_until_backup_flow_finished(input).await {
        Err(WaitError::Failed {
            state,
            output,
            attempts,
        }) => {
            assert_eq!(state, "1");
            assert_eq!(output.unwrap().status, Some(FlowStatus::Failed));
            assert!(attempts >= 2, "{attempts}");
        }
        other => panic!("expected a failed wait, got {other:?}"),
    }
    assert!(rig.slept_since(sleeps) >= 20);
}
