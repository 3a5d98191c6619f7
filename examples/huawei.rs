//! A backup on Huawei Cloud KooPhone through the typed client, against the loopback emulator:
//! back cloud phones up (`BatchBackupInstances`), wait until every job of the task has finished
//! (waiter `BackupJobFinished`, polling `GetTask`) and read the jobs from the last poll; once
//! with an IAM token the client obtains itself (password authentication against the emulated
//! IAM) and once signed with AK/SK (`SDK-HMAC-SHA256`); the emulator checks both the way Huawei
//! does. It fails unless the emulator then holds one finished job per phone and backup.
//!
//! KooPhone has no call to list, restore or delete backups (a backup is the phone's data in
//! OBS), hence no paginator here; see `examples/tencent.rs` and `examples/alibaba.rs` for
//! paginators.
//!
//! Run with `cargo run --example huawei --features emulator`.

use std::time::Duration;

use cloudbackup::Config;
use cloudbackup::client::{HuaweiIam, WaitOptions};
use cloudbackup::emulator::config::{
    DEFAULT_HUAWEI_ACCESS_KEY, DEFAULT_HUAWEI_IAM_DOMAIN, DEFAULT_HUAWEI_IAM_PASSWORD,
    DEFAULT_HUAWEI_IAM_USER, DEFAULT_HUAWEI_SECRET_KEY,
};
use cloudbackup::emulator::{Emulator, EmulatorConfig};
use cloudbackup::huawei::koophone::get_task::{JobDetail, JobStatus};
use cloudbackup::huawei::koophone::{BatchBackupInstancesInput, Client, GetTaskInput};
use cloudbackup::runtime::HuaweiCredentials;
use cloudbackup::runtime::huawei_iam::{IamPasswordAuth, IamScope};

type Failure = Box<dyn std::error::Error>;

const PHONES: [&str; 2] = ["phone-01", "phone-02"];

/// Backs the phones up and waits until every job has finished; returns the jobs.
async fn back_up(client: &Client) -> Result<Vec<JobDetail>, Failure> {
    let out = client
        .batch_backup_instances(BatchBackupInstancesInput::new(PHONES))
        .await?;
    let task = out.data.as_ref().and_then(|d| d.task_id.clone());
    println!("KooPhone: backup task {task:?}");

    // The waiter's input is built from the output of the call that started the task. It polls
    // every 500 ms here, for at most 30 s; against the real service, call
    // `wait_until_backup_job_finished(input)` (every 5 s, for at most 30 minutes).
    let input = GetTaskInput::for_backup_job_finished(&out).ok_or("no task id")?;
    let options = WaitOptions::new()
        .interval(Duration::from_millis(500))
        .timeout(Duration::from_secs(30))
        .on_progress(|p| {
            let state = p.state.as_deref().unwrap_or("-");
            println!("  {} poll {}: {state}", p.waiter, p.attempt);
        });
    let done = client
        .wait_until_backup_job_finished_with(input, options)
        .await?;
    // The last poll's answer lists the jobs.
    let jobs = done
        .output
        .and_then(|o| o.data)
        .and_then(|d| d.jobs)
        .unwrap_or_default();
    for job in &jobs {
        println!("KooPhone: job {:?} {:?}", job.job_id, job.status);
    }
    Ok(jobs)
}

pub(crate) fn main() -> Result<(), Failure> {
    // The emulator's jobs run for 15 s; here a second, so that the wait lasts a second or two.
    let emu = Emulator::start(EmulatorConfig::from_json(
        r#"{"transitions": [{"resource": "huawei/koophone/Job", "from": 1, "after": 1}]}"#,
    )?)?;
    // KooPhone publishes no endpoint: the emulator's address is the one to give.
    let config = Config::new()
        .endpoint(emu.base_url())
        .region("ap-southeast-1");
    // The emulator's documented test user and keys; a real program leaves credentials to the
    // chain (environment variables, the SDK credentials file, the ECS agency, ...).
    let iam = HuaweiIam::new(
        IamPasswordAuth {
            domain_name: DEFAULT_HUAWEI_IAM_DOMAIN.into(),
            user_name: DEFAULT_HUAWEI_IAM_USER.into(),
            password: DEFAULT_HUAWEI_IAM_PASSWORD.into(),
        },
        IamScope::ProjectName("ap-southeast-1".into()),
    )
    .endpoint(emu.base_url());
    let with_token = Client::new(config.clone().huawei_iam(iam))?;
    let with_aksk = Client::new(config.credentials(HuaweiCredentials::ak_sk(
        DEFAULT_HUAWEI_ACCESS_KEY,
        DEFAULT_HUAWEI_SECRET_KEY,
    )))?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    for (how, client) in [("IAM token", &with_token), ("AK/SK", &with_aksk)] {
        let jobs = rt.block_on(back_up(client))?;
        let done = jobs
            .iter()
            .filter(|j| j.status == Some(JobStatus::Succeeded))
            .count();
        println!(
            "KooPhone ({how}): {done} of {} jobs succeeded",
            PHONES.len()
        );
        if jobs.len() != PHONES.len() || done != PHONES.len() {
            return Err(format!("{how}: expected {} succeeded jobs", PHONES.len()).into());
        }
    }

    // What the emulator holds now: one job per phone and backup, finished (status 2).
    let state = emu.state();
    let jobs = state
        .live
        .get("huawei/koophone/Job")
        .cloned()
        .unwrap_or_default();
    let finished = jobs
        .iter()
        .filter(|j| j.attributes.get("status").is_some_and(|s| *s == 2))
        .count();
    if jobs.len() != 2 * PHONES.len() || finished != jobs.len() {
        return Err(format!("expected 4 finished jobs, the emulator has {jobs:?}").into());
    }
    println!("the emulator holds what was done");
    Ok(())
}
