//! Huawei KooPhone: backing cloud phones up. `BatchBackupInstances` and the waiter
//! `BackupJobFinished` on `GetTask`, whose answer lists the task's jobs. KooPhone has no call to
//! list, restore or delete backups (see its `_service.yaml`), so there is no paginator here.

use cloudbackup::huawei::koophone::get_task::BACKUP_JOB_FINISHED_WAITER;
use cloudbackup::huawei::koophone::{BatchBackupInstancesInput, Client, GetTaskInput};

use super::{Demo, Failure, check, note, reached, request, show, text, watch};

const PHONES: [&str; 3] = ["phone-demo01", "phone-demo02", "phone-demo03"];

pub(super) async fn lifecycle(demo: &Demo) -> Result<(), Failure> {
    demo.section("Huawei KooPhone: cloud phones backed up (REST, IAM token)");
    let koophone = Client::new(demo.huawei())?;

    demo.step(format_args!(
        "BatchBackupInstances of {} phones",
        PHONES.len()
    ));
    let input = BatchBackupInstancesInput::new(PHONES);
    request(&input);
    let out = koophone.batch_backup_instances(input).await?;
    let data = out
        .data
        .as_ref()
        .ok_or("BatchBackupInstances returned no task")?;
    note(format_args!(
        "error_code {}, task {}",
        text(&out.error_code),
        text(&data.task_id)
    ));
    for job in data.cmd_jobs.iter().flatten() {
        note(format_args!(
            "job {} for {}",
            text(&job.job_id),
            text(&job.instance_id)
        ));
    }

    let waiter = BACKUP_JOB_FINISHED_WAITER.name;
    demo.step(format_args!(
        "Wait with the waiter {waiter} (polls GetTask until every job is 2, done)"
    ));
    let input = GetTaskInput::for_backup_job_finished(&out).ok_or("no task to wait for")?;
    let done = koophone
        .wait_until_backup_job_finished_with(input, watch())
        .await?;
    reached(waiter, &done);

    demo.step("The task's jobs, as GetTask lists them");
    let jobs = done
        .output
        .and_then(|o| o.data)
        .and_then(|d| d.jobs)
        .unwrap_or_default();
    for job in &jobs {
        note(format_args!(
            "job {} {}",
            text(&job.job_id),
            show(&job.status)
        ));
    }
    check(jobs.len() == PHONES.len(), "one job per phone")?;
    note(
        "KooPhone has no call to list, restore or delete backups: \
         a backup is the phone's data in OBS",
    );
    Ok(())
}
