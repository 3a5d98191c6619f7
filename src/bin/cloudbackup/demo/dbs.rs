//! Alibaba DBS: a backup plan. `CreateBackupPlan`, `ConfigureBackupPlan`, `StartBackupPlan`,
//! the waiter `BackupPlanRunning` on `DescribeBackupPlanList`, `DescribeFullBackupList` through
//! its paginator, then `CreateRestoreTask` and `StartRestoreTask` with the waiter
//! `RestoreTaskFinished` on `DescribeRestoreTaskList`.

use cloudbackup::alibaba::dbs::describe_backup_plan_list::BACKUP_PLAN_RUNNING_WAITER;
use cloudbackup::alibaba::dbs::describe_restore_task_list::{
    RESTORE_TASK_FINISHED_WAITER, RestoreStatus,
};
use cloudbackup::alibaba::dbs::stop_backup_plan::StopMethod;
use cloudbackup::alibaba::dbs::{
    BackupMethod, Client, ConfigureBackupPlanInput, CreateBackupPlanInput, CreateRestoreTaskInput,
    DatabaseType, DescribeBackupPlanListInput, DescribeFullBackupListInput,
    DescribeRestoreTaskListInput, EndpointInstanceType, InstanceClass, Period, Region,
    StartBackupPlanInput, StartRestoreTaskInput, StopBackupPlanInput,
};

use super::{Demo, Failure, check, list_pages, note, reached, request, show, text, watch};

const SOURCE: &str = "rm-demo0001";
const TARGET: &str = "rm-demo0002";

pub(super) async fn lifecycle(demo: &Demo) -> Result<(), Failure> {
    demo.section("Alibaba DBS: a backup plan (RPC, ACS3-HMAC-SHA256)");
    let dbs = Client::new(demo.alibaba())?;

    demo.step("CreateBackupPlan (buy a plan for a MySQL database)");
    let input = CreateBackupPlanInput::new(
        Region::CnHangzhou,
        DatabaseType::MySql,
        InstanceClass::Small,
        BackupMethod::Logical,
        Period::Month,
        1,
    );
    request(&input);
    let plan = dbs
        .create_backup_plan(input)
        .await?
        .backup_plan_id
        .ok_or("CreateBackupPlan returned no plan id")?;
    note(format_args!("bought plan {plan}"));

    demo.step(format_args!(
        "ConfigureBackupPlan: back up database `shop` of RDS instance {SOURCE}"
    ));
    dbs.configure_backup_plan(
        ConfigureBackupPlanInput::new(&plan, EndpointInstanceType::Rds, "demo-plan")
            .source_endpoint_region("cn-hangzhou")
            .source_endpoint_instance_id(SOURCE)
            .backup_objects(r#"[{"DBName":"shop"}]"#),
    )
    .await?;
    note("configured (state init)");

    demo.step(format_args!("StartBackupPlan {plan}"));
    let started = dbs
        .start_backup_plan(StartBackupPlanInput::new(&plan))
        .await?;
    let first_set = started
        .created_full_backupset_id
        .clone()
        .ok_or("StartBackupPlan made no backup set")?;
    note(format_args!("started; full backup set {first_set}"));

    let waiter = BACKUP_PLAN_RUNNING_WAITER.name;
    demo.step(format_args!(
        "Wait with the waiter {waiter} (polls DescribeBackupPlanList; the precheck passes first)"
    ));
    let input = DescribeBackupPlanListInput::for_backup_plan_running(&started)
        .ok_or("no plan to wait for")?;
    let done = dbs
        .wait_until_backup_plan_running_with(input, watch())
        .await?;
    reached(waiter, &done);

    demo.step("Pause the plan and start it again, twice: every start takes a full backup");
    for _ in 0..2 {
        dbs.stop_backup_plan(StopBackupPlanInput::new(&plan, StopMethod::Plan))
            .await?;
        let again = dbs
            .start_backup_plan(StartBackupPlanInput::new(&plan))
            .await?;
        note(format_args!(
            "StopBackupPlan, StartBackupPlan: full backup set {}",
            text(&again.created_full_backupset_id)
        ));
    }

    demo.step(
        "List the full backup sets with the paginator of DescribeFullBackupList \
         (30 a page, the smallest page DBS allows: one page here)",
    );
    let sets = list_pages(
        dbs.describe_full_backup_list_paginator(DescribeFullBackupListInput::new(&plan)),
        |s| {
            format!(
                "{} {}",
                s.backup_set_id.as_deref().unwrap_or("-"),
                show(&s.backup_status)
            )
        },
    )
    .await?;
    check(sets.len() == 3, "DescribeFullBackupList lists three sets")?;

    let waiter = RESTORE_TASK_FINISHED_WAITER.name;
    demo.step(format_args!(
        "CreateRestoreTask from {first_set} into {TARGET}, StartRestoreTask, \
         then wait with the waiter {waiter}"
    ));
    let created = dbs
        .create_restore_task(
            CreateRestoreTaskInput::new(&plan, EndpointInstanceType::Rds, "demo-restore")
                .backup_set_id(&first_set)
                .destination_endpoint_region("cn-hangzhou")
                .destination_endpoint_instance_id(TARGET)
                .restore_objects(r#"[{"DBName":"shop","NewDBName":"shop_restored"}]"#),
        )
        .await?;
    let task = created
        .restore_task_id
        .clone()
        .ok_or("CreateRestoreTask returned no task id")?;
    dbs.start_restore_task(StartRestoreTaskInput::new(&task))
        .await?;
    note(format_args!("restore task {task} started"));
    let input = DescribeRestoreTaskListInput::for_restore_task_finished(&created)
        .ok_or("no task to wait for")?;
    let done = dbs
        .wait_until_restore_task_finished_with(input, watch())
        .await?;
    reached(waiter, &done);
    let tasks = dbs
        .describe_restore_task_list_paginator(
            DescribeRestoreTaskListInput::new().backup_plan_id(&plan),
        )
        .collect_items()
        .await?;
    check(
        tasks.len() == 1 && tasks[0].restore_status == Some(RestoreStatus::Finish),
        "the plan's one restore task finished",
    )
}
