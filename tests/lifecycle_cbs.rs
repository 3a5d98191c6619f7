//! The CBS backup lifecycle through the typed client against the emulator that remembers, in
//! virtual time: create backup points, page through them, wait for `NORMAL` with the generated
//! waiter, filter, roll back (and be refused while rolling back), delete, and see nothing of
//! another region's.

#![cfg(all(feature = "emulator", feature = "tencent-cbs"))]

use std::sync::Arc;
use std::time::Duration;

use cloudbackup::Config;
use cloudbackup::client::{Error, RetryPolicy, WaitError};
use cloudbackup::emulator::config::{DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY};
use cloudbackup::emulator::{Emulator, EmulatorConfig, EmulatorHandle, TransitionOverride};
use cloudbackup::runtime::{ManualClock, ManualTimer, SequenceNonce, TencentCredentials};
use cloudbackup::tencent::cbs::describe_disk_backups::{DiskBackupState, Filter};
use cloudbackup::tencent::cbs::{
    ApplyDiskBackupError, ApplyDiskBackupInput, Client, CreateDiskBackupInput,
    DeleteDiskBackupsError, DeleteDiskBackupsInput, DescribeDiskBackupsInput,
};

const T0: i64 = 1_764_806_400;

struct Rig {
    emu: EmulatorHandle,
    clock: Arc<ManualClock>,
    timer: Arc<ManualTimer>,
    nonce: Arc<SequenceNonce>,
}

fn rig() -> Rig {
    let clock = Arc::new(ManualClock::new(T0));
    let emu = Emulator::start(EmulatorConfig::default().with_clock(clock.clone())).unwrap();
    let timer = Arc::new(ManualTimer::driving(clock.clone()));
    Rig {
        emu,
        clock,
        timer,
        nonce: Arc::new(SequenceNonce::new(1)),
    }
}

impl Rig {
    fn client(&self, region: &str) -> Client {
        Client::new(
            Config::new()
                .endpoint(self.emu.base_url())
                .region(region)
                .credentials(TencentCredentials::new(
                    DEFAULT_TENCENT_SECRET_ID,
                    DEFAULT_TENCENT_SECRET_KEY,
                ))
                .clock(self.clock.clone())
                .timer(self.timer.clone())
                .nonce_source(self.nonce.clone())
                .retry(RetryPolicy::disabled()),
        )
        .unwrap()
    }
}

async fn create(c: &Client, disk: &str, name: &str) -> String {
    let out = c
        .create_disk_backup(CreateDiskBackupInput::new(disk).disk_backup_name(name))
        .await
        .expect("created");
    out.disk_backup_id.expect("an id")
}

#[tokio::test]
async fn create_page_wait_roll_back_and_delete() {
    let rig = rig();
    let c = rig.client("ap-guangzhou");
    let mut ids = Vec::new();
    for i in 0..23 {
        let disk = if i % 2 == 0 { "disk-even" } else { "disk-odd" };
        ids.push(create(&c, disk, &format!("b{i}")).await);
    }
    assert!(
        ids.iter()
            .all(|id| id.starts_with("dbp-") && id.len() == 12),
        "{ids:?}"
    );

    // Offset paging, 10 at a time: three pages, every backup once, in creation order.
    let mut pages = c
        .describe_disk_backups_paginator(DescribeDiskBackupsInput::new().limit(10))
        .pages();
    let mut sizes = Vec::new();
    let mut seen = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.expect("a page");
        assert_eq!(page.total_count, Some(23));
        let set = page.disk_backup_set.unwrap_or_default();
        sizes.push(set.len());
        seen.extend(set.into_iter().map(|b| {
            assert_eq!(b.disk_backup_state, Some(DiskBackupState::Creating));
            b.disk_backup_id.unwrap()
        }));
    }
    assert_eq!(sizes, [10, 10, 3]);
    assert_eq!(seen, ids);

    // The items stream with a cap stops after the cap (and asks for no further page).
    let capped = c
        .describe_disk_backups_paginator(DescribeDiskBackupsInput::new().limit(5))
        .max_items(7)
        .collect_items()
        .await
        .unwrap();
    assert_eq!(capped.len(), 7);

    // Filters select by attribute.
    let odd = c
        .describe_disk_backups_paginator(
            DescribeDiskBackupsInput::new().filters([Filter::new("disk-id", ["disk-odd"])]),
        )
        .collect_items()
        .await
        .unwrap();
    assert_eq!(odd.len(), 11);
    assert!(odd.iter().all(|b| b.disk_id.as_deref() == Some("disk-odd")));

    // Wait for the first to be NORMAL: built from CreateDiskBackup's output, in virtual time.
    let first = c
        .create_disk_backup(CreateDiskBackupInput::new("disk-even"))
        .await
        .unwrap();
    let input = DescribeDiskBackupsInput::for_disk_backup_normal(&first).expect("id present");
    let sleeps_before = rig.timer.sleeps().len();
    let done = c
        .wait_until_disk_backup_normal(input)
        .await
        .expect("NORMAL");
    assert_eq!(done.state, "NORMAL");
    assert!(done.attempts >= 2, "polled until the move: {done:?}");
    let waited: Duration = rig.timer.sleeps()[sleeps_before..].iter().sum();
    assert!(
        waited >= Duration::from_secs(10),
        "waited {waited:?} of virtual time"
    );

    // Roll back a NORMAL backup: ROLLBACKING, and a second rollback is refused while it lasts.
    let id = first.disk_backup_id.clone().unwrap();
    c.apply_disk_backup(ApplyDiskBackupInput::new(&id, "disk-even"))
        .await
        .expect("rolled back");
    let busy = c
        .apply_disk_backup(ApplyDiskBackupInput::new(&id, "disk-even"))
        .await
        .unwrap_err();
    assert!(
        matches!(busy, Error::Service(ApplyDiskBackupError::ResourceBusy(_))),
        "{busy}"
    );
    let state = |c: Client, id: String| async move {
        c.describe_disk_backups(DescribeDiskBackupsInput::new().disk_backup_ids([id]))
            .await
            .unwrap()
            .disk_backup_set
            .unwrap()[0]
            .disk_backup_state
            .clone()
    };
    assert_eq!(
        state(c.clone(), id.clone()).await,
        Some(DiskBackupState::Rollbacking)
    );
    rig.clock.advance(11);
    assert_eq!(
        state(c.clone(), id.clone()).await,
        Some(DiskBackupState::Normal)
    );

    // Delete: gone from the list; deleting an unknown id is the documented not-found error.
    c.delete_disk_backups(DeleteDiskBackupsInput::new([id.clone()]))
        .await
        .unwrap();
    let gone = c
        .describe_disk_backups(DescribeDiskBackupsInput::new().disk_backup_ids([id.clone()]))
        .await
        .unwrap();
    assert_eq!(gone.total_count, Some(0));
    let missing = c
        .delete_disk_backups(DeleteDiskBackupsInput::new([id]))
        .await
        .unwrap_err();
    assert!(
        matches!(
            missing,
            Error::Service(DeleteDiskBackupsError::ResourceNotFoundNotFound(_))
        ),
        "{missing}"
    );
    let unknown_apply = c
        .apply_disk_backup(ApplyDiskBackupInput::new("dbp-00000000", "disk-even"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            unknown_apply,
            Error::Service(ApplyDiskBackupError::ResourceNotFoundNotFound(_))
        ),
        "{unknown_apply}"
    );

    // Another region is another scope: none of these backups are there.
    let other = rig
        .client("ap-shanghai")
        .describe_disk_backups(DescribeDiskBackupsInput::new())
        .await
        .unwrap();
    assert_eq!(other.total_count, Some(0));
    let live = &rig.emu.state().live["tencent/cbs/DiskBackup"];
    assert_eq!(live.len(), 23);
    assert!(live.iter().all(|r| r.region == "ap-guangzhou"));
}

#[tokio::test]
async fn a_waiter_times_out_in_virtual_time_when_the_state_never_comes() {
    let rig = rig();
    // Backups stay CREATING for a day: the waiter gives up at its timeout (600 s).
    rig.emu
        .set_transition(TransitionOverride {
            resource: "tencent/cbs/DiskBackup".into(),
            from: "CREATING".into(),
            to: None,
            after: 86_400,
        })
        .unwrap();
    let c = rig.client("ap-guangzhou");
    let out = c
        .create_disk_backup(CreateDiskBackupInput::new("disk-1"))
        .await
        .unwrap();
    let input = DescribeDiskBackupsInput::for_disk_backup_normal(&out).unwrap();
    let err = c.wait_until_disk_backup_normal(input).await.unwrap_err();
    match err {
        WaitError::TimedOut {
            last_state,
            attempts,
            elapsed,
        } => {
            assert_eq!(last_state.as_deref(), Some("CREATING"));
            assert!(attempts > 100, "polled every 5 s for 600 s: {attempts}");
            assert!(elapsed <= Duration::from_secs(600), "{elapsed:?}");
        }
        other => panic!("expected a timeout, got {other}"),
    }
}

#[tokio::test]
async fn a_later_override_of_the_same_move_replaces_the_earlier_one() {
    let rig = rig();
    let c = rig.client("ap-guangzhou");
    let stuck = TransitionOverride {
        resource: "tencent/cbs/DiskBackup".into(),
        from: "CREATING".into(),
        to: None,
        after: 86_400,
    };
    rig.emu.set_transition(stuck.clone()).unwrap();
    let first = create(&c, "disk-1", "stuck").await;
    // Back to 10 s: the backup made under the day-long move is NORMAL 10 s later too.
    rig.emu
        .set_transition(TransitionOverride { after: 10, ..stuck })
        .unwrap();
    rig.clock.advance(11);
    let set = c
        .describe_disk_backups(DescribeDiskBackupsInput::new().disk_backup_ids([first]))
        .await
        .unwrap()
        .disk_backup_set
        .unwrap();
    assert_eq!(set[0].disk_backup_state, Some(DiskBackupState::Normal));
}
