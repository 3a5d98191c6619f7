//! The KooPhone lane (AK/SK signature, or an IAM token): back instances up in batches (a task of
//! one job per instance), read tasks, and wait with the generated waiter until every job of a
//! task has finished. The pages have no list, restore or delete call for backups.

use std::collections::BTreeMap;

use cloudbackup::emulator::config::{
    DEFAULT_HUAWEI_ACCESS_KEY, DEFAULT_HUAWEI_SECRET_KEY, DEFAULT_HUAWEI_TOKEN,
};
use cloudbackup::huawei::koophone::{
    BatchBackupInstancesInput, BatchBackupInstancesOutput, Client, GetTaskInput,
};
use cloudbackup::runtime::HuaweiCredentials;

use super::lane::Lane;
use super::ledger::KindSpec;
use super::waiting::{State, WaitPlan};

const BATCH: &str = "huawei/koophone/BatchBackupInstances";
const GET: &str = "huawei/koophone/GetTask";
const JOB: &str = "huawei/koophone/Job";

const FINISHED: WaitPlan = WaitPlan {
    waiter: "koophone/BackupJobFinished",
    polls: GET,
    interval: 5,
    timeout: 1800,
    success: "2",
    again: |s| !matches!(s, "2" | "-1"),
    resource: JOB,
    from: State::Int(1),
    after: 15,
    fail_to: Some(State::Int(-1)),
};

pub(crate) async fn run(mut lane: Lane, token: bool) -> Lane {
    lane.polls(GET);
    // A job carries its instance, unique to the call that backed it up.
    lane.ledger.declare(KindSpec {
        kind: JOB,
        markers: &["instance_id"],
        unique: &[],
    });
    let credentials = if token {
        HuaweiCredentials::token(DEFAULT_HUAWEI_TOKEN)
    } else {
        HuaweiCredentials::ak_sk(DEFAULT_HUAWEI_ACCESS_KEY, DEFAULT_HUAWEI_SECRET_KEY)
    };
    let c = Client::new(lane.config("ap-southeast-1").credentials(credentials)).unwrap();
    // Tasks the client saw made: their instances.
    let mut tasks: BTreeMap<String, Vec<String>> = BTreeMap::new();
    while !lane.done() {
        lane.tick(5);
        match lane.below(12) {
            0..=4 => {
                batch(&mut lane, &c, &mut tasks).await;
            }
            5..=10 => get(&lane, &c, &tasks).await,
            _ => wait(&mut lane, &c, &mut tasks).await,
        }
    }
    lane
}

async fn batch(
    lane: &mut Lane,
    c: &Client,
    tasks: &mut BTreeMap<String, Vec<String>>,
) -> Option<BatchBackupInstancesOutput> {
    let instances: Vec<String> = (0..=lane.below(2)).map(|_| lane.marker()).collect();
    let input = BatchBackupInstancesInput::new(instances.clone());
    let result = lane.call(BATCH, c.batch_backup_instances(input)).await;
    lane.ledger.create_call(BATCH, result.is_ok());
    match result {
        Ok(out) => {
            let data = out.data.as_ref().expect("data");
            let jobs = data.cmd_jobs.as_ref().expect("jobs");
            assert_eq!(
                jobs.len(),
                instances.len(),
                "{}: a job per instance",
                lane.name
            );
            for j in jobs {
                let instance = j.instance_id.clone().expect("an instance");
                assert!(instances.contains(&instance), "{}: {instance}", lane.name);
                lane.ledger.created(JOB, instance, j.job_id.clone());
            }
            tasks.insert(data.task_id.clone().expect("a task id"), instances);
            Some(out)
        }
        Err(f) => {
            for i in instances {
                lane.ledger.not_created(JOB, i, f.definite);
            }
            None
        }
    }
}

/// A task's jobs: one per instance the call named, each once.
async fn get(lane: &Lane, c: &Client, tasks: &BTreeMap<String, Vec<String>>) {
    if tasks.is_empty() {
        return;
    }
    let (task, instances) = tasks.iter().nth(lane.below(tasks.len())).unwrap();
    if let Ok(out) = lane.call(GET, c.get_task(GetTaskInput::new(task))).await {
        let jobs = out.data.and_then(|d| d.jobs).unwrap_or_default();
        assert_eq!(jobs.len(), instances.len(), "{}: task {task}", lane.name);
    }
}

async fn wait(lane: &mut Lane, c: &Client, tasks: &mut BTreeMap<String, Vec<String>>) {
    let mode = lane.arrange(&FINISHED);
    let mut out = None;
    while out.is_none() {
        out = batch(lane, c, tasks).await;
    }
    let input = GetTaskInput::for_backup_job_finished(&out.unwrap()).unwrap();
    lane.wait(&FINISHED, mode, |o| {
        c.wait_until_backup_job_finished_with(input, o)
    })
    .await;
}
