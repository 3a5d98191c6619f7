//! The SQL Server API 3.0 lane (TC3): start backups, list them through the generated paginator,
//! follow flows (a status call, and the generated waiters of backups and restores), restore
//! from a listed backup, and remove backups by name.

use std::collections::BTreeMap;

use cloudbackup::emulator::config::{DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY};
use cloudbackup::runtime::TencentCredentials;
use cloudbackup::tencent::sqlserver_v3::{
    Client, CreateBackupInput, CreateBackupOutput, DescribeBackupsInput, DescribeFlowStatusInput,
    RemoveBackupsInput, RestoreInstanceInput, RestoreInstanceOutput,
};

use super::lane::Lane;
use super::ledger::KindSpec;
use super::waiting::{State, WaitPlan};

const CREATE: &str = "tencent/sqlserver_v3/CreateBackup";
const STATUS: &str = "tencent/sqlserver_v3/DescribeFlowStatus";
const RESTORE: &str = "tencent/sqlserver_v3/RestoreInstance";
const REMOVE: &str = "tencent/sqlserver_v3/RemoveBackups";
const FLOW: &str = "tencent/sqlserver_v3/Flow";
const BACKUP: &str = "tencent/sqlserver_v3/Backup";

const fn finished(waiter: &'static str) -> WaitPlan {
    WaitPlan {
        waiter,
        polls: STATUS,
        interval: 10,
        timeout: 3600,
        success: "0",
        again: |s| s == "2",
        resource: FLOW,
        from: State::Int(2),
        after: 60,
        fail_to: Some(State::Int(1)),
    }
}
const BACKUP_FINISHED: WaitPlan = finished("sqlserver_v3/BackupFlowFinished");
const RESTORE_FINISHED: WaitPlan = finished("sqlserver_v3/RestoreFlowFinished");

/// A backup a list showed: its instance, `Id` and file name, by marker.
type Listed = BTreeMap<String, (String, i64, String)>;

pub(crate) async fn run(mut lane: Lane) -> Lane {
    lane.polls(STATUS);
    // Backups carry the call's marker as their name; restores as their target instance.
    lane.ledger.declare(KindSpec {
        kind: FLOW,
        markers: &["BackupName", "TargetInstanceId"],
        unique: &[],
    });
    lane.ledger.declare(KindSpec {
        kind: BACKUP,
        markers: &["BackupName"],
        unique: &[],
    });
    let c = Client::new(
        lane.config("ap-guangzhou")
            .credentials(TencentCredentials::new(
                DEFAULT_TENCENT_SECRET_ID,
                DEFAULT_TENCENT_SECRET_KEY,
            )),
    )
    .unwrap();
    let mut listed = Listed::new();
    while !lane.done() {
        // 20 calls a second are allowed per action.
        lane.tick(20);
        match lane.below(16) {
            0..=3 => {
                create(&mut lane, &c).await;
            }
            4 | 5 => status(&lane, &c).await,
            6..=9 => list(&mut lane, &c, &mut listed).await,
            10 | 11 => {
                restore(&mut lane, &c, &listed).await;
            }
            12 | 13 => remove(&mut lane, &c, &mut listed).await,
            14 => wait_backup(&mut lane, &c).await,
            _ => wait_restore(&mut lane, &c, &listed).await,
        }
    }
    lane
}

fn instance(lane: &Lane) -> String {
    format!("mssql-{}", lane.below(3))
}

async fn create(lane: &mut Lane, c: &Client) -> Option<CreateBackupOutput> {
    let marker = lane.marker();
    let input = CreateBackupInput::new(instance(lane)).backup_name(&marker);
    let result = lane.call(CREATE, c.create_backup(input)).await;
    lane.ledger.create_call(CREATE, result.is_ok());
    match result {
        Ok(out) => {
            let flow = out.flow_id.expect("a flow id").to_string();
            lane.ledger.created(FLOW, marker.clone(), Some(flow));
            lane.ledger.created(BACKUP, marker, None);
            Some(out)
        }
        Err(f) => {
            lane.ledger.not_created(FLOW, marker.clone(), f.definite);
            lane.ledger.not_created(BACKUP, marker, f.definite);
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
    let out = lane.call(
        STATUS,
        c.describe_flow_status(DescribeFlowStatusInput::new(flow)),
    );
    if let Ok(out) = out.await {
        assert!(
            out.status.is_some(),
            "{}: flow {flow} has a status",
            lane.name
        );
    }
}

/// The backups of an instance in the last 15 minutes (local time), each once; those made by
/// creates that failed after applying are adopted.
async fn list(lane: &mut Lane, c: &Client, listed: &mut Listed) {
    let inst = instance(lane);
    let (start, end) = lane.window(900);
    let input = DescribeBackupsInput::new(start, end, &inst).limit(4);
    let Ok(backups) = lane.list(input, |i| c.describe_backups_paginator(i)).await else {
        return;
    };
    let mut ids: Vec<i64> = Vec::new();
    for b in backups {
        let (id, name) = (b.id.expect("an Id"), b.backup_name.unwrap_or_default());
        lane.ledger.listed(BACKUP, &name, &id.to_string());
        listed.insert(name, (inst.clone(), id, b.file_name.expect("a file name")));
        ids.push(id);
    }
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "{}: a backup listed twice", lane.name);
}

async fn restore(lane: &mut Lane, c: &Client, listed: &Listed) -> Option<RestoreInstanceOutput> {
    if listed.is_empty() {
        return None;
    }
    let (inst, id, _) = listed
        .values()
        .nth(lane.below(listed.len()))
        .unwrap()
        .clone();
    let marker = lane.marker();
    let input = RestoreInstanceInput::new(inst, id).target_instance_id(&marker);
    let result = lane.call(RESTORE, c.restore_instance(input)).await;
    lane.ledger.create_call(RESTORE, result.is_ok());
    match result {
        Ok(out) => {
            let flow = out.flow_id.expect("a flow id").to_string();
            lane.ledger.created(FLOW, marker, Some(flow));
            Some(out)
        }
        Err(f) => {
            lane.ledger.not_created(FLOW, marker, f.definite);
            None
        }
    }
}

/// Removes a listed backup by its file name.
async fn remove(lane: &mut Lane, c: &Client, listed: &mut Listed) {
    if listed.is_empty() {
        return;
    }
    let marker = listed.keys().nth(lane.below(listed.len())).unwrap().clone();
    let (inst, _, file) = listed.remove(&marker).unwrap();
    let input = RemoveBackupsInput::new(inst).backup_names([file]);
    let result = lane.call(REMOVE, c.remove_backups(input)).await;
    let result = result.map(|_| ()).map_err(|f| f.definite);
    lane.ledger.delete(BACKUP, &marker, result);
}

async fn wait_backup(lane: &mut Lane, c: &Client) {
    let mode = lane.arrange(&BACKUP_FINISHED);
    let mut out = None;
    while out.is_none() {
        out = create(lane, c).await;
    }
    let input = DescribeFlowStatusInput::for_backup_flow_finished(&out.unwrap()).unwrap();
    lane.wait(&BACKUP_FINISHED, mode, |o| {
        c.wait_until_backup_flow_finished_with(input, o)
    })
    .await;
}

async fn wait_restore(lane: &mut Lane, c: &Client, listed: &Listed) {
    if listed.is_empty() {
        return wait_backup(lane, c).await;
    }
    let mode = lane.arrange(&RESTORE_FINISHED);
    let mut out = None;
    while out.is_none() {
        out = restore(lane, c, listed).await;
    }
    let input = DescribeFlowStatusInput::for_restore_flow_finished(&out.unwrap()).unwrap();
    lane.wait(&RESTORE_FINISHED, mode, |o| {
        c.wait_until_restore_flow_finished_with(input, o)
    })
    .await;
}
