//! The DBS backup lifecycle through the typed client against the emulator that remembers, in
//! virtual time: buy plans and page through them, configure and start one and wait until it
//! runs, stop and start it into several pages of full backup sets, start one by configuring
//! it with `AutoStartBackup`, restore from a backup set and wait until the restore finishes,
//! release a plan; unknown plans, backup sets and tasks get `Param.NotFound`, a plan that is
//! not running cannot be stopped, tasks made to fail end their waiters as failed, and another
//! region's list has none of these plans.

#![cfg(all(feature = "emulator", feature = "alibaba-dbs"))]

mod lifecycle_rig;

use cloudbackup::Error;
use cloudbackup::alibaba::dbs::describe_backup_plan_list::BackupPlanDetail;
use cloudbackup::alibaba::dbs::describe_full_backup_list::{BackupStatus, FullBackupFile};
use cloudbackup::alibaba::dbs::describe_restore_task_list::RestoreStatus;
use cloudbackup::alibaba::dbs::stop_backup_plan::StopMethod;
use cloudbackup::alibaba::dbs::{
    BackupMethod, BackupPlanStatus, Client, ConfigureBackupPlanInput, CreateBackupPlanInput,
    CreateRestoreTaskError, CreateRestoreTaskInput, DatabaseType, DescribeBackupPlanListInput,
    DescribeFullBackupListInput, DescribeRestoreTaskListInput, EndpointInstanceType, InstanceClass,
    Period, Region, ReleaseBackupPlanError, ReleaseBackupPlanInput, StartBackupPlanError,
    StartBackupPlanInput, StartBackupPlanOutput, StartRestoreTaskError, StartRestoreTaskInput,
    StopBackupPlanError, StopBackupPlanInput,
};
use cloudbackup::client::WaitError;
use cloudbackup::emulator::TransitionOverride;
use cloudbackup::emulator::config::{
    DEFAULT_ALIBABA_ACCESS_KEY_ID, DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
};
use cloudbackup::jiff::Timestamp;
use cloudbackup::runtime::AlibabaCredentials;
use lifecycle_rig::{Rig, T0};

fn client(rig: &Rig, region: &str) -> Client {
    Client::new(rig.config(region).credentials(AlibabaCredentials::new(
        DEFAULT_ALIBABA_ACCESS_KEY_ID,
        DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
    )))
    .unwrap()
}

async fn buy(c: &Client) -> String {
    c.create_backup_plan(CreateBackupPlanInput::new(
        Region::CnHangzhou,
        DatabaseType::MySql,
        InstanceClass::Small,
        BackupMethod::Logical,
        Period::Month,
        1,
    ))
    .await
    .expect("bought")
    .backup_plan_id
    .expect("a plan id")
}

fn configuration(plan: &str, name: &str) -> ConfigureBackupPlanInput {
    ConfigureBackupPlanInput::new(plan, EndpointInstanceType::Rds, name)
        .source_endpoint_region("cn-hangzhou")
        .source_endpoint_instance_id("rm-source")
        .source_endpoint_user_name("backup")
        .source_endpoint_password("source-pw")
        .backup_objects(r#"[{"DBName":"test"}]"#)
}

async fn start(c: &Client, plan: &str) -> StartBackupPlanOutput {
    c.start_backup_plan(StartBackupPlanInput::new(plan))
        .await
        .expect("started")
}

async fn plan(c: &Client, id: &str) -> BackupPlanDetail {
    let out = c
        .describe_backup_plan_list(DescribeBackupPlanListInput::new().backup_plan_id([id]))
        .await
        .unwrap();
    assert_eq!(out.total_elements, Some(1), "{id}");
    out.items.unwrap().backup_plan_detail.unwrap().remove(0)
}

async fn full_backups(c: &Client, input: DescribeFullBackupListInput) -> Vec<FullBackupFile> {
    c.describe_full_backup_list_paginator(input)
        .collect_items()
        .await
        .expect("every page")
}

fn restore_into(plan: &str, name: &str) -> CreateRestoreTaskInput {
    CreateRestoreTaskInput::new(plan, EndpointInstanceType::Rds, name)
        .destination_endpoint_region("cn-hangzhou")
        .destination_endpoint_instance_id("rm-target")
        .restore_objects(r#"[{"DBName":"test","NewDBName":"test_restored"}]"#)
}

#[tokio::test]
async fn plans_backups_restores_and_release() {
    let rig = Rig::start();
    let c = client(&rig, "cn-hangzhou");
    let mut plans = Vec::new();
    for _ in 0..7 {
        plans.push(buy(&c).await);
    }
    assert!(
        plans.iter().all(|p| p.starts_with("dbs") && p.len() == 15),
        "{plans:?}"
    );

    // Pages from 0, three plans a page: every plan once, in order, not configured yet.
    let mut pages = c
        .describe_backup_plan_list_paginator(DescribeBackupPlanListInput::new().page_size(3))
        .pages();
    let mut sizes = Vec::new();
    let mut seen = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.expect("a page");
        assert_eq!((page.total_elements, page.total_pages), (Some(7), Some(3)));
        let items = page.items.unwrap().backup_plan_detail.unwrap_or_default();
        sizes.push(items.len());
        for p in items {
            assert_eq!(p.backup_plan_status, Some(BackupPlanStatus::Wait));
            assert_eq!(p.backup_plan_region, Some(Region::CnHangzhou));
            assert_eq!(
                p.backup_plan_create_time,
                Some(Timestamp::from_second(T0).unwrap())
            );
            seen.push(p.backup_plan_id.unwrap());
        }
    }
    assert_eq!(sizes, [3, 3, 1]);
    assert_eq!(seen, plans);

    // Unknown plans are `Param.NotFound`; a plan that is not running cannot be stopped.
    let unknown = c
        .start_backup_plan(StartBackupPlanInput::new("dbs000000000000"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            unknown,
            Error::Service(StartBackupPlanError::ParamNotFound(_))
        ),
        "{unknown}"
    );
    let idle = c
        .stop_backup_plan(StopBackupPlanInput::new(&plans[0], StopMethod::All))
        .await
        .unwrap_err();
    assert!(
        matches!(
            idle,
            Error::Service(StopBackupPlanError::BackupPlanNotStop(_))
        ),
        "{idle}"
    );

    // Configure (`init`, the configuration stored, the password not), then start and wait
    // with the generated waiter until the plan runs.
    c.configure_backup_plan(configuration(&plans[0], "plan-0"))
        .await
        .expect("configured");
    let configured = plan(&c, &plans[0]).await;
    assert_eq!(configured.backup_plan_status, Some(BackupPlanStatus::Init));
    assert_eq!(configured.backup_plan_name.as_deref(), Some("plan-0"));
    assert_eq!(
        configured.source_endpoint_instance_id.as_deref(),
        Some("rm-source")
    );
    let started = start(&c, &plans[0]).await;
    let first_set = started
        .created_full_backupset_id
        .clone()
        .expect("a backup set");
    assert_eq!(
        plan(&c, &plans[0]).await.backup_plan_status,
        Some(BackupPlanStatus::CheckPass)
    );
    let input = DescribeBackupPlanListInput::for_backup_plan_running(&started).unwrap();
    let sleeps = rig.timer.sleeps().len();
    let done = c
        .wait_until_backup_plan_running(input)
        .await
        .expect("running");
    assert_eq!(done.state, "running");
    assert!(done.attempts >= 2, "polled until the move: {done:?}");
    assert!(rig.slept_since(sleeps) >= 30, "waited in virtual time");

    // Every start makes a full backup set: 31 of them are two pages of the default 30.
    for _ in 0..30 {
        c.stop_backup_plan(StopBackupPlanInput::new(&plans[0], StopMethod::Plan))
            .await
            .expect("paused");
        start(&c, &plans[0]).await;
    }
    let mut pages = c
        .describe_full_backup_list_paginator(DescribeFullBackupListInput::new(&plans[0]))
        .pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.expect("a page");
        assert_eq!(page.total_elements, Some(31));
        sizes.push(
            page.items
                .unwrap()
                .full_backup_file
                .unwrap_or_default()
                .len(),
        );
    }
    assert_eq!(sizes, [30, 1]);
    // Backup sets move on: schedule, running, then finish.
    rig.advance(70);
    let first = full_backups(
        &c,
        DescribeFullBackupListInput::new(&plans[0]).backup_set_id(&first_set),
    )
    .await;
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].backup_status, Some(BackupStatus::Finish));
    // The window selects by creation time: none before the emulator's start.
    let before = full_backups(
        &c,
        DescribeFullBackupListInput::new(&plans[0])
            .start_timestamp(Timestamp::from_second(T0 - 3600).unwrap())
            .end_timestamp(Timestamp::from_second(T0 - 1).unwrap()),
    )
    .await;
    assert!(before.is_empty());

    // Configured with `AutoStartBackup`, a plan starts at once and makes a backup set.
    c.configure_backup_plan(configuration(&plans[1], "plan-1").auto_start_backup(true))
        .await
        .unwrap();
    assert_eq!(
        plan(&c, &plans[1]).await.backup_plan_status,
        Some(BackupPlanStatus::CheckPass)
    );
    assert_eq!(
        full_backups(&c, DescribeFullBackupListInput::new(&plans[1]))
            .await
            .len(),
        1
    );

    // Restore from the first backup set: `init` until started, then `running`, then the
    // waiter (built from CreateRestoreTask's output) sees it finish.
    let created = c
        .create_restore_task(restore_into(&plans[0], "restore-0").backup_set_id(&first_set))
        .await
        .expect("restore task");
    let task = created.restore_task_id.clone().expect("a task id");
    let listed = c
        .describe_restore_task_list(DescribeRestoreTaskListInput::new().restore_task_id([&task]))
        .await
        .unwrap()
        .items
        .unwrap()
        .restore_task_detail
        .unwrap();
    assert_eq!(listed[0].restore_status, Some(RestoreStatus::Init));
    assert_eq!(listed[0].backup_set_id.as_deref(), Some(first_set.as_str()));
    c.start_restore_task(StartRestoreTaskInput::new(&task))
        .await
        .expect("restore started");
    let input = DescribeRestoreTaskListInput::for_restore_task_finished(&created).unwrap();
    let done = c.wait_until_restore_task_finished(input).await.unwrap();
    assert_eq!(done.state, "finish");
    let of_plan = c
        .describe_restore_task_list_paginator(
            DescribeRestoreTaskListInput::new().backup_plan_id(&plans[0]),
        )
        .collect_items()
        .await
        .unwrap();
    assert_eq!(of_plan.len(), 1);

    // Unknown backup sets and tasks are `Param.NotFound` too.
    let no_set = c
        .create_restore_task(restore_into(&plans[0], "restore-x").backup_set_id("nope"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            no_set,
            Error::Service(CreateRestoreTaskError::ParamNotFound(_))
        ),
        "{no_set}"
    );
    let no_task = c
        .start_restore_task(StartRestoreTaskInput::new("s00000000000"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            no_task,
            Error::Service(StartRestoreTaskError::ParamNotFound(_))
        ),
        "{no_task}"
    );

    // Release: gone from the list; releasing again is `Param.NotFound`.
    c.release_backup_plan(ReleaseBackupPlanInput::new(&plans[6]))
        .await
        .expect("released");
    let left = c
        .describe_backup_plan_list_paginator(DescribeBackupPlanListInput::new())
        .collect_items()
        .await
        .unwrap();
    assert_eq!(left.len(), 6);
    assert!(
        left.iter()
            .all(|p| p.backup_plan_id.as_ref() != Some(&plans[6]))
    );
    let again = c
        .release_backup_plan(ReleaseBackupPlanInput::new(&plans[6]))
        .await
        .unwrap_err();
    assert!(
        matches!(
            again,
            Error::Service(ReleaseBackupPlanError::ParamNotFound(_))
        ),
        "{again}"
    );

    // A plan belongs to the region it was bought in (`Region`): listing another region's
    // plans finds none of these. (DBS requests carry no `RegionId`, and the page says that
    // without filters every plan of the account is listed: a client configured for another
    // region sees the account's plans, as one endpoint serves the cn-* regions.)
    let of_region = |r: Region| {
        c.describe_backup_plan_list_paginator(DescribeBackupPlanListInput::new().region(r))
            .collect_items()
    };
    assert!(of_region(Region::CnShanghai).await.unwrap().is_empty());
    assert_eq!(of_region(Region::CnHangzhou).await.unwrap().len(), 6);
    // The source password was used, never stored.
    let st = rig.emu.state();
    assert!(
        st.live["alibaba/dbs/BackupPlan"]
            .iter()
            .all(|p| !p.attributes.contains_key("SourceEndpointPassword"))
    );
}

#[tokio::test]
async fn failed_restores_and_prechecks_end_their_waiters_as_failed() {
    let rig = Rig::start();
    // Restores fail (`stop`) 20 s after they start; prechecks fail 5 s after a start.
    for (resource, from) in [
        ("alibaba/dbs/RestoreTask", "running"),
        ("alibaba/dbs/BackupPlan", "check_pass"),
    ] {
        rig.emu
            .set_transition(TransitionOverride {
                resource: resource.into(),
                from: from.into(),
                to: Some("stop".into()),
                after: if from == "running" { 20 } else { 5 },
            })
            .unwrap();
    }
    let c = client(&rig, "cn-hangzhou");
    let id = buy(&c).await;
    c.configure_backup_plan(configuration(&id, "plan"))
        .await
        .unwrap();
    let started = start(&c, &id).await;
    let input = DescribeBackupPlanListInput::for_backup_plan_running(&started).unwrap();
    match c.wait_until_backup_plan_running(input).await {
        Err(WaitError::Failed { state, .. }) => assert_eq!(state, "stop"),
        other => panic!("expected a failed wait, got {other:?}"),
    }

    let set = started.created_full_backupset_id.unwrap();
    let created = c
        .create_restore_task(restore_into(&id, "restore").backup_set_id(&set))
        .await
        .unwrap();
    c.start_restore_task(StartRestoreTaskInput::new(
        created.restore_task_id.as_deref().unwrap(),
    ))
    .await
    .unwrap();
    let input = DescribeRestoreTaskListInput::for_restore_task_finished(&created).unwrap();
    let sleeps = rig.timer.sleeps().len();
    match c.wait_until_restore_task_finished(input).await {
        Err(WaitError::Failed {
            state,
            output,
            attempts,
        }) => {
            assert_eq!(state, "stop");
            let detail = output.unwrap().items.unwrap().restore_task_detail.unwrap();
            assert_eq!(detail[0].restore_status, Some(RestoreStatus::Stop));
            assert!(attempts >= 2, "{attempts}");
        }
        other => panic!("expected a failed wait, got {other:?}"),
    }
    assert!(rig.slept_since(sleeps) >= 20);
}
