//! Tencent CBS (API 3.0): backup points of a cloud disk. `CreateDiskBackup`, the waiter
//! `DiskBackupNormal`, `DescribeDiskBackups` in pages, `ApplyDiskBackup` (roll the disk back)
//! and `DeleteDiskBackups`.

use cloudbackup::tencent::cbs::describe_disk_backups::{
    DISK_BACKUP_NORMAL_WAITER, DiskBackupState,
};
use cloudbackup::tencent::cbs::{
    ApplyDiskBackupInput, Client, CreateDiskBackupInput, DeleteDiskBackupsInput,
    DescribeDiskBackupsInput,
};

use super::{Demo, Failure, check, list_pages, note, reached, request, show, text, watch};

const DISK: &str = "disk-demo0001";

pub(super) async fn lifecycle(demo: &Demo) -> Result<(), Failure> {
    demo.section("Tencent CBS: backup points of a cloud disk (API 3.0, TC3-HMAC-SHA256)");
    let cbs = Client::new(demo.tencent())?;

    demo.step(format_args!("CreateDiskBackup of {DISK}, three times"));
    let mut created = Vec::new();
    for n in 1..=3 {
        let input = CreateDiskBackupInput::new(DISK).disk_backup_name(format!("nightly-{n}"));
        if n == 1 {
            request(&input);
        }
        let out = cbs.create_disk_backup(input).await?;
        note(format_args!(
            "created backup point {}",
            text(&out.disk_backup_id)
        ));
        created.push(out);
    }
    let ids: Vec<String> = created
        .iter()
        .filter_map(|o| o.disk_backup_id.clone())
        .collect();
    check(ids.len() == 3, "a backup point without an id")?;

    let waiter = DISK_BACKUP_NORMAL_WAITER.name;
    demo.step(format_args!(
        "Wait for {} with the waiter {waiter} (polls DescribeDiskBackups)",
        ids[0]
    ));
    let input =
        DescribeDiskBackupsInput::for_disk_backup_normal(&created[0]).ok_or("no id to wait for")?;
    let done = cbs
        .wait_until_disk_backup_normal_with(input, watch())
        .await?;
    reached(waiter, &done);

    demo.step("List the backup points with the paginator of DescribeDiskBackups, 2 a page");
    let listed = list_pages(
        cbs.describe_disk_backups_paginator(DescribeDiskBackupsInput::new().limit(2)),
        |b| {
            format!(
                "{} {} ({})",
                text(&b.disk_backup_id),
                show(&b.disk_backup_state),
                b.disk_backup_name.as_deref().unwrap_or("-")
            )
        },
    )
    .await?;
    check(listed.len() == 3, "DescribeDiskBackups lists three")?;

    demo.step(format_args!(
        "ApplyDiskBackup: roll {DISK} back to {}",
        ids[0]
    ));
    cbs.apply_disk_backup(ApplyDiskBackupInput::new(&ids[0], DISK))
        .await?;
    let now = cbs
        .describe_disk_backups(DescribeDiskBackupsInput::new().disk_backup_ids([ids[0].clone()]))
        .await?;
    let state = now
        .disk_backup_set
        .unwrap_or_default()
        .into_iter()
        .next()
        .and_then(|b| b.disk_backup_state);
    note(format_args!("{} is now {}", ids[0], show(&state)));
    check(
        state == Some(DiskBackupState::Rollbacking),
        "the backup point rolls back",
    )?;

    demo.step(format_args!("DeleteDiskBackups {}", ids[2]));
    cbs.delete_disk_backups(DeleteDiskBackupsInput::new([ids[2].clone()]))
        .await?;
    let left = cbs
        .describe_disk_backups_paginator(DescribeDiskBackupsInput::new())
        .collect_items()
        .await?;
    let left: Vec<String> = left.into_iter().filter_map(|b| b.disk_backup_id).collect();
    note(format_args!("listed now: {}", left.join(", ")));
    check(
        left == ids[..2],
        format_args!("{} is gone, the others stay", ids[2]),
    )
}
