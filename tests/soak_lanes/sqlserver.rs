//! The SQL Server legacy lane (API 2.0): start backups, follow their flows (a status call, and
//! the generated waiter), and list the backup files of a recent window through the generated
//! paginator. The legacy API has no restore and no delete call.

use cloudbackup::emulator::config::{DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY};
use cloudbackup::runtime::TencentCredentials;
use cloudbackup::tencent::sqlserver::create_backup::BackupStrategy;
use cloudbackup::tencent::sqlserver::{
    Client, CreateBackupInput, CreateBackupOutput, GetFlowStatusInput, ListBackupInput,
};

use super::lane::Lane;
use super::ledger::KindSpec;
use super::waiting::{State, WaitPlan};

const CREATE: &str = "tencent/sqlserver/CreateBackup";
const STATUS: &str = "tencent/sqlserver/GetFlowStatus";
const FLOW: &str = "tencent/sqlserver/Flow";
const FILE: &str = "tencent/sqlserver/BackupFile";

const FINISHED: WaitPlan = WaitPlan {
    waiter: "sqlserver/BackupFlowFinished",
    polls: STATUS,
    interval: 10,
    timeout: 3600,
    success: "0",
    again: |s| s == "2",
    resource: FLOW,
    from: State::Int(2),
    after: 60,
    fail_to: Some(State::Int(1)),
};

pub(crate) async fn run(mut lane: Lane) -> Lane {
    lane.polls(STATUS);
    // The backup's database names carry the call's marker, on the flow and the file.
    for kind in [FLOW, FILE] {
        lane.ledger.declare(KindSpec {
            kind,
            markers: &["dbList"],
            unique: &[],
        });
    }
    let c = Client::new(
        lane.config("ap-guangzhou")
            .credentials(TencentCredentials::new(
                DEFAULT_TENCENT_SECRET_ID,
                DEFAULT_TENCENT_SECRET_KEY,
            )),
    )
    .unwrap();
    while !lane.done() {
        lane.tick(20);
        match lane.below(12) {
            0..=3 => {
                create(&mut lane, &c).await;
            }
            4..=6 => status(&lane, &c).await,
            7..=10 => list(&lane, &c).await,
            _ => wait(&mut lane, &c).await,
        }
    }
    lane
}

fn instance(lane: &Lane) -> String {
    format!("mssql-{}", lane.below(3))
}

async fn create(lane: &mut Lane, c: &Client) -> Option<CreateBackupOutput> {
    let marker = lane.marker();
    let input = CreateBackupInput::new(instance(lane))
        .strategy(BackupStrategy::MultiDatabase)
        .db_list([marker.clone()]);
    let result = lane.call(CREATE, c.create_backup(input)).await;
    lane.ledger.create_call(CREATE, result.is_ok());
    match result {
        Ok(out) => {
            let flow = out.flow_id.expect("a flow id");
            lane.ledger
                .created(FLOW, marker.clone(), Some(flow.to_string()));
            lane.ledger.created(FILE, marker, None);
            Some(out)
        }
        Err(f) => {
            lane.ledger.not_created(FLOW, marker.clone(), f.definite);
            lane.ledger.not_created(FILE, marker, f.definite);
            None
        }
    }
}

async fn status(lane: &Lane, c: &Client) {
    let flows = lane.ledger.alive(FLOW);
    if flows.is_empty() {
        return;
    }
    let flow: i64 = flows[lane.below(flows.len())]
        .1
        .as_deref()
        .unwrap()
        .parse()
        .unwrap();
    let out = lane.call(STATUS, c.get_flow_status(GetFlowStatusInput::new(flow)));
    if let Ok(out) = out.await {
        assert!(
            out.status.is_some(),
            "{}: flow {flow} has a status",
            lane.name
        );
    }
}

/// The files of the last 15 minutes (the window is in the emulator's local time, UTC+8), each
/// once.
async fn list(lane: &Lane, c: &Client) {
    let (start, end) = lane.window(900);
    let input = ListBackupInput::new(instance(lane), start, end).page_size(3);
    if let Ok(files) = lane.list(input, |i| c.list_backup_paginator(i)).await {
        let mut names: Vec<String> = files.into_iter().filter_map(|f| f.file_name).collect();
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n, "{}: a file listed twice", lane.name);
    }
}

async fn wait(lane: &mut Lane, c: &Client) {
    let mode = lane.arrange(&FINISHED);
    let mut out = None;
    while out.is_none() {
        out = create(lane, c).await;
    }
    let input = GetFlowStatusInput::for_backup_flow_finished(&out.unwrap()).unwrap();
    lane.wait(&FINISHED, mode, |o| {
        c.wait_until_backup_flow_finished_with(input, o)
    })
    .await;
}
