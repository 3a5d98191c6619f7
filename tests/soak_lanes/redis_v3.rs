//! The Redis API 3.0 lane (TC3): start backups, list an instance's recent backups through the
//! generated paginator, follow tasks (a status call, and the generated waiters of backups and
//! restores), get a backup's download addresses, and restore from a normal backup. The pages
//! have no call deleting a backup.

use std::collections::BTreeMap;

use cloudbackup::emulator::config::{DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY};
use cloudbackup::runtime::TencentCredentials;
use cloudbackup::tencent::redis_v3::{
    BackupStatus, Client, DescribeBackupUrlInput, DescribeInstanceBackupsInput,
    DescribeTaskInfoInput, ManualBackupInstanceInput, ManualBackupInstanceOutput,
    RestoreInstanceInput, RestoreInstanceOutput,
};

use super::lane::Lane;
use super::ledger::KindSpec;
use super::waiting::{State, WaitPlan};

const CREATE: &str = "tencent/redis_v3/ManualBackupInstance";
const STATUS: &str = "tencent/redis_v3/DescribeTaskInfo";
const URL: &str = "tencent/redis_v3/DescribeBackupUrl";
const RESTORE: &str = "tencent/redis_v3/RestoreInstance";
const TASK: &str = "tencent/redis_v3/Task";
const BACKUP: &str = "tencent/redis_v3/Backup";

const fn succeeded(waiter: &'static str) -> WaitPlan {
    WaitPlan {
        waiter,
        polls: STATUS,
        interval: 10,
        timeout: 1800,
        success: "succeed",
        again: |s| matches!(s, "preparing" | "running"),
        resource: TASK,
        from: State::Str("running"),
        after: 30,
        fail_to: Some(State::Str("failed")),
    }
}
const BACKUP_SUCCEEDED: WaitPlan = succeeded("redis_v3/BackupTaskSucceeded");
const RESTORE_SUCCEEDED: WaitPlan = succeeded("redis_v3/RestoreTaskSucceeded");

/// Normal backups a list showed: instance and `BackupId`, by marker.
type Listed = BTreeMap<String, (String, String)>;

pub(crate) async fn run(mut lane: Lane) -> Lane {
    lane.polls(STATUS);
    // Backup tasks and backups carry the call's marker as their remark; restore tasks have
    // no field to carry one (they are known by id).
    for kind in [TASK, BACKUP] {
        lane.ledger.declare(KindSpec {
            kind,
            markers: &["Remark"],
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
            10 | 11 => url(&lane, &c, &listed).await,
            12 | 13 => {
                restore(&mut lane, &c, &listed).await;
            }
            14 => wait_backup(&mut lane, &c).await,
            _ => wait_restore(&mut lane, &c, &listed).await,
        }
    }
    lane
}

fn instance(lane: &Lane) -> String {
    format!("crs-{}", lane.below(3))
}

async fn create(lane: &mut Lane, c: &Client) -> Option<ManualBackupInstanceOutput> {
    let marker = lane.marker();
    let input = ManualBackupInstanceInput::new(instance(lane)).remark(&marker);
    let result = lane.call(CREATE, c.manual_backup_instance(input)).await;
    lane.ledger.create_call(CREATE, result.is_ok());
    match result {
        Ok(out) => {
            let task = out.task_id.expect("a task id").to_string();
            lane.ledger.created(TASK, marker.clone(), Some(task));
            lane.ledger.created(BACKUP, marker, None);
            Some(out)
        }
        Err(f) => {
            lane.ledger.not_created(TASK, marker.clone(), f.definite);
            lane.ledger.not_created(BACKUP, marker, f.definite);
            None
        }
    }
}

async fn status(lane: &Lane, c: &Client) {
    let tasks = lane.ledger.alive(TASK);
    if tasks.is_empty() {
        return;
    }
    let task: i64 = tasks[lane.below(tasks.len())]
        .1
        .as_deref()
        .unwrap()
        .parse()
        .unwrap();
    let out = lane.call(
        STATUS,
        c.describe_task_info(DescribeTaskInfoInput::new(task)),
    );
    if let Ok(out) = out.await {
        assert!(
            out.status.is_some(),
            "{}: task {task} has a status",
            lane.name
        );
    }
}

/// An instance's backups of the last 15 minutes (local time), each once; those made by
/// creates that failed after applying are adopted.
async fn list(lane: &mut Lane, c: &Client, listed: &mut Listed) {
    let inst = instance(lane);
    let (begin, end) = lane.window(900);
    let input = DescribeInstanceBackupsInput::new()
        .instance_id(&inst)
        .begin_time(begin)
        .end_time(end)
        .limit(4);
    let Ok(backups) = lane
        .list(input, |i| c.describe_instance_backups_paginator(i))
        .await
    else {
        return;
    };
    let mut ids = Vec::new();
    for b in backups {
        let (id, remark) = (
            b.backup_id.expect("a BackupId"),
            b.remark.unwrap_or_default(),
        );
        lane.ledger.listed(BACKUP, &remark, &id);
        if b.status == Some(BackupStatus::Normal) {
            listed.insert(remark, (inst.clone(), id.clone()));
        }
        ids.push(id);
    }
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "{}: a backup listed twice", lane.name);
}

fn pick(lane: &Lane, listed: &Listed) -> Option<(String, String)> {
    (!listed.is_empty()).then(|| {
        listed
            .values()
            .nth(lane.below(listed.len()))
            .unwrap()
            .clone()
    })
}

async fn url(lane: &Lane, c: &Client, listed: &Listed) {
    if let Some((inst, id)) = pick(lane, listed) {
        let input = DescribeBackupUrlInput::new(inst, id);
        let _ = lane.call(URL, c.describe_backup_url(input)).await;
    }
}

/// Restores from a normal backup; the task is known by id (no field carries a marker).
async fn restore(lane: &mut Lane, c: &Client, listed: &Listed) -> Option<RestoreInstanceOutput> {
    let (inst, id) = pick(lane, listed)?;
    let input = RestoreInstanceInput::new(inst, id);
    let result = lane.call(RESTORE, c.restore_instance(input)).await;
    lane.ledger.create_call(RESTORE, result.is_ok());
    let out = result.ok()?;
    let task = out.task_id.expect("a task id").to_string();
    lane.ledger.created(TASK, task.clone(), Some(task));
    Some(out)
}

async fn wait_backup(lane: &mut Lane, c: &Client) {
    let mode = lane.arrange(&BACKUP_SUCCEEDED);
    let mut out = None;
    while out.is_none() {
        out = create(lane, c).await;
    }
    let input = DescribeTaskInfoInput::for_backup_task_succeeded(&out.unwrap()).unwrap();
    lane.wait(&BACKUP_SUCCEEDED, mode, |o| {
        c.wait_until_backup_task_succeeded_with(input, o)
    })
    .await;
}

async fn wait_restore(lane: &mut Lane, c: &Client, listed: &Listed) {
    if listed.is_empty() {
        return wait_backup(lane, c).await;
    }
    let mode = lane.arrange(&RESTORE_SUCCEEDED);
    let mut out = None;
    while out.is_none() {
        out = restore(lane, c, listed).await;
    }
    let input = DescribeTaskInfoInput::for_restore_task_succeeded(&out.unwrap()).unwrap();
    lane.wait(&RESTORE_SUCCEEDED, mode, |o| {
        c.wait_until_restore_task_succeeded_with(input, o)
    })
    .await;
}
