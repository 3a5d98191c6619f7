//! The Redis legacy API 2.0 backup lifecycle through the typed client against the emulator that
//! remembers, in virtual time: start a backup, follow its task (0 to be executed, 1 executing,
//! 2 succeeded) with the generated waiter, and make a task fail. The legacy API has no call to
//! list, restore or delete backups, and documents no not-found code for a task: a task of
//! another region is unknown there, which the emulator answers from the response schema alone.

#![cfg(all(feature = "emulator", feature = "tencent-redis"))]

mod lifecycle_rig;

use cloudbackup::client::WaitError;
use cloudbackup::emulator::TransitionOverride;
use cloudbackup::emulator::config::{DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY};
use cloudbackup::runtime::TencentCredentials;
use cloudbackup::tencent::redis::describe_task_info::TaskStatus;
use cloudbackup::tencent::redis::{
    Client, DescribeTaskInfoInput, ManualBackupInstanceInput, ManualBackupInstanceOutput,
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

async fn status(c: &Client, task: i64) -> Option<TaskStatus> {
    c.describe_task_info(DescribeTaskInfoInput::new(task))
        .await
        .expect("task info")
        .status
}

#[tokio::test]
async fn a_backup_task_moves_through_its_states_and_the_waiter_follows_it() {
    let rig = Rig::start();
    let c = client(&rig, "ap-guangzhou");
    let first = backup(&c, "crs-a").await.task_id.expect("a task id");
    let second = backup(&c, "crs-b").await.task_id.expect("a task id");
    assert_eq!((first, second), (1, 2), "task ids count up");

    // 0 (to be executed) for the emulator's 5 s, 1 (executing) for 30 s, then 2 (succeeded).
    assert_eq!(status(&c, first).await, Some(TaskStatus::Pending));
    rig.advance(5);
    assert_eq!(status(&c, first).await, Some(TaskStatus::Running));
    rig.advance(30);
    assert_eq!(status(&c, first).await, Some(TaskStatus::Succeeded));

    // The generated waiter, built from ManualBackupInstance's output, polls in virtual time.
    let out = backup(&c, "crs-a").await;
    let input = DescribeTaskInfoInput::for_backup_task_succeeded(&out).expect("requestId present");
    let sleeps = rig.timer.sleeps().len();
    let done = c
        .wait_until_backup_task_succeeded(input)
        .await
        .expect("succeeded");
    assert_eq!(done.state, "2");
    assert!(done.attempts >= 2, "polled until the move: {done:?}");
    assert!(rig.slept_since(sleeps) >= 35, "waited in virtual time");

    // The tasks live in the caller's account and region only (the legacy API has no list call
    // and no not-found code to show it through the client).
    let live = &rig.emu.state().live["tencent/redis/Task"];
    assert_eq!(live.len(), 3);
    assert!(live.iter().all(|r| r.region == "ap-guangzhou"));
}

#[tokio::test]
async fn a_failed_task_ends_the_waiter_as_failed() {
    let rig = Rig::start();
    // Executing tasks fail (3) after 10 s instead of succeeding.
    rig.emu
        .set_transition(TransitionOverride {
            resource: "tencent/redis/Task".into(),
            from: 1.into(),
            to: Some(3.into()),
            after: 10,
        })
        .unwrap();
    let c = client(&rig, "ap-guangzhou");
    let out = backup(&c, "crs-a").await;
    let input = DescribeTaskInfoInput::for_backup_task_succeeded(&out).unwrap();
    match c.wait_until_backup_task_succeeded(input).await {
        Err(WaitError::Failed {
            state,
            output,
            attempts,
        }) => {
            assert_eq!(state, "3");
            assert_eq!(output.unwrap().status, Some(TaskStatus::Failed));
            assert!(attempts >= 2, "{attempts}");
        }
        other => panic!("expected a failed wait, got {other:?}"),
    }
}
