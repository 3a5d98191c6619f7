//! The Redis legacy lane (API 2.0): start backups (24 a day are allowed: an hour passes before
//! each) and follow their tasks (a status call, and the generated waiter). The legacy API has
//! no call to list, restore or delete backups.

use cloudbackup::emulator::config::{DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY};
use cloudbackup::runtime::TencentCredentials;
use cloudbackup::tencent::redis::{
    Client, DescribeTaskInfoInput, ManualBackupInstanceInput, ManualBackupInstanceOutput,
};

use super::lane::Lane;
use super::ledger::KindSpec;
use super::waiting::{State, WaitPlan};

const CREATE: &str = "tencent/redis/ManualBackupInstance";
const STATUS: &str = "tencent/redis/DescribeTaskInfo";
const TASK: &str = "tencent/redis/Task";

const SUCCEEDED: WaitPlan = WaitPlan {
    waiter: "redis/BackupTaskSucceeded",
    polls: STATUS,
    interval: 10,
    timeout: 1800,
    success: "2",
    again: |s| matches!(s, "0" | "1"),
    resource: TASK,
    from: State::Int(1),
    after: 30,
    fail_to: Some(State::Int(3)),
};

pub(crate) async fn run(mut lane: Lane) -> Lane {
    lane.polls(STATUS);
    lane.ledger.declare(KindSpec {
        kind: TASK,
        markers: &["remark"],
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
        lane.tick(1);
        match lane.below(12) {
            0..=3 => {
                create(&mut lane, &c).await;
            }
            4..=10 => status(&lane, &c).await,
            _ => wait(&mut lane, &c).await,
        }
    }
    lane
}

async fn create(lane: &mut Lane, c: &Client) -> Option<ManualBackupInstanceOutput> {
    lane.tick(3601);
    let marker = lane.marker();
    let input = ManualBackupInstanceInput::new(format!("crs-{}", lane.below(3))).remark(&marker);
    let result = lane.call(CREATE, c.manual_backup_instance(input)).await;
    lane.ledger.create_call(CREATE, result.is_ok());
    match result {
        Ok(out) => {
            let task = out.task_id.expect("a task id").to_string();
            lane.ledger.created(TASK, marker, Some(task));
            Some(out)
        }
        Err(f) => {
            lane.ledger.not_created(TASK, marker, f.definite);
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

async fn wait(lane: &mut Lane, c: &Client) {
    let mode = lane.arrange(&SUCCEEDED);
    let mut out = None;
    while out.is_none() {
        out = create(lane, c).await;
    }
    let input = DescribeTaskInfoInput::for_backup_task_succeeded(&out.unwrap()).unwrap();
    lane.wait(&SUCCEEDED, mode, |o| {
        c.wait_until_backup_task_succeeded_with(input, o)
    })
    .await;
}
