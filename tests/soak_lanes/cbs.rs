//! The CBS lane (TC3): create backup points, list them through the generated paginator,
//! describe one, roll one back, delete, and wait for `NORMAL` with the generated waiter.

use cloudbackup::emulator::config::{DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY};
use cloudbackup::runtime::TencentCredentials;
use cloudbackup::tencent::cbs::{
    ApplyDiskBackupInput, Client, CreateDiskBackupInput, CreateDiskBackupOutput,
    DeleteDiskBackupsInput, DescribeDiskBackupsInput,
};

use super::lane::Lane;
use super::ledger::KindSpec;
use super::waiting::{State, WaitPlan};

const CREATE: &str = "tencent/cbs/CreateDiskBackup";
const DESCRIBE: &str = "tencent/cbs/DescribeDiskBackups";
const APPLY: &str = "tencent/cbs/ApplyDiskBackup";
const DELETE: &str = "tencent/cbs/DeleteDiskBackups";
const BACKUP: &str = "tencent/cbs/DiskBackup";
/// Backup points kept at most (older ones are deleted), so lists stay a few pages long.
const KEEP: usize = 20;

const NORMAL: WaitPlan = WaitPlan {
    waiter: "cbs/DiskBackupNormal",
    polls: DESCRIBE,
    interval: 5,
    timeout: 600,
    success: "NORMAL",
    again: |s| matches!(s, "CREATING" | "ROLLBACKING"),
    resource: BACKUP,
    from: State::Str("CREATING"),
    after: 10,
    // The spec lists no failure state (`failure: []`, and no state besides these three).
    fail_to: None,
};

pub(crate) async fn run(mut lane: Lane) -> Lane {
    lane.polls(DESCRIBE);
    lane.ledger.declare(KindSpec {
        kind: BACKUP,
        markers: &["DiskBackupName"],
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
    while !lane.done() {
        // 20 calls a second are allowed per action.
        lane.tick(1);
        let crowded = lane.ledger.alive(BACKUP).len() > KEEP;
        match lane.below(14) {
            0..=3 if !crowded => {
                create(&mut lane, &c).await;
            }
            0..=3 | 10..=12 => delete(&mut lane, &c).await,
            4..=6 => list(&mut lane, &c).await,
            7 | 8 => describe(&lane, &c).await,
            9 => apply(&lane, &c).await,
            _ => wait(&mut lane, &c).await,
        }
    }
    lane
}

async fn create(lane: &mut Lane, c: &Client) -> Option<CreateDiskBackupOutput> {
    let marker = lane.marker();
    let disk = format!("disk-{}", lane.below(4));
    let input = CreateDiskBackupInput::new(disk).disk_backup_name(&marker);
    let result = lane.call(CREATE, c.create_disk_backup(input)).await;
    lane.ledger.create_call(CREATE, result.is_ok());
    match result {
        Ok(out) => {
            let id = out.disk_backup_id.clone();
            assert!(id.is_some(), "an id");
            lane.ledger.created(BACKUP, marker, id);
            Some(out)
        }
        Err(f) => {
            lane.ledger.not_created(BACKUP, marker, f.definite);
            None
        }
    }
}

/// A backup point the client created and did not delete: (marker, id).
fn pick(lane: &Lane) -> Option<(String, String)> {
    let alive = lane.ledger.alive(BACKUP);
    if alive.is_empty() {
        return None;
    }
    let (marker, id) = alive[lane.below(alive.len())].clone();
    Some((marker, id.unwrap()))
}

/// Every page: each backup point once, and every one the client kept among them (those made
/// by creates that failed after applying are adopted).
async fn list(lane: &mut Lane, c: &Client) {
    let input = DescribeDiskBackupsInput::new().limit(10);
    let Ok(items) = lane
        .list(input, |i| c.describe_disk_backups_paginator(i))
        .await
    else {
        return;
    };
    let mut ids = Vec::new();
    for b in items {
        let id = b.disk_backup_id.expect("an id");
        lane.ledger.listed(
            BACKUP,
            b.disk_backup_name.as_deref().unwrap_or_default(),
            &id,
        );
        ids.push(id);
    }
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "{}: listed twice: {ids:?}",
        lane.name
    );
    for (marker, id) in lane.ledger.alive(BACKUP) {
        let id = id.unwrap();
        assert!(
            unique.contains(&id),
            "{}: {marker} {id} not listed",
            lane.name
        );
    }
}

async fn describe(lane: &Lane, c: &Client) {
    let Some((marker, id)) = pick(lane) else {
        return;
    };
    let input = DescribeDiskBackupsInput::new().disk_backup_ids([id.clone()]);
    if let Ok(out) = lane.call(DESCRIBE, c.describe_disk_backups(input)).await {
        let set = out.disk_backup_set.unwrap_or_default();
        assert_eq!(set.len(), 1, "{}: {marker} {id}", lane.name);
        assert_eq!(set[0].disk_backup_id.as_ref(), Some(&id));
    }
}

/// Rolls a backup point back onto its disk (refused with a typed error unless `NORMAL`).
async fn apply(lane: &Lane, c: &Client) {
    if let Some((_, id)) = pick(lane) {
        let input = ApplyDiskBackupInput::new(id, "disk-0");
        let _ = lane.call(APPLY, c.apply_disk_backup(input)).await;
    }
}

async fn delete(lane: &mut Lane, c: &Client) {
    let Some((marker, id)) = pick(lane) else {
        return;
    };
    let input = DeleteDiskBackupsInput::new([id]);
    let result = lane.call(DELETE, c.delete_disk_backups(input)).await;
    let result = result.map(|_| ()).map_err(|f| f.definite);
    lane.ledger.delete(BACKUP, &marker, result);
}

async fn wait(lane: &mut Lane, c: &Client) {
    let mode = lane.arrange(&NORMAL);
    let mut out = None;
    while out.is_none() {
        out = create(lane, c).await;
    }
    let input = DescribeDiskBackupsInput::for_disk_backup_normal(&out.unwrap()).unwrap();
    lane.wait(&NORMAL, mode, |o| {
        c.wait_until_disk_backup_normal_with(input, o)
    })
    .await;
}
