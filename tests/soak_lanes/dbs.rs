//! The DBS lane (ACS3, or the V2 signature): buy, configure, start and stop backup plans, list
//! plans, backup sets and restore tasks through the generated paginators, create and start
//! restore tasks, release plans, and wait with the generated waiters until a plan runs and a
//! restore finishes. Every DBS call carries an idempotency token, so any failed call may have
//! been applied (an earlier attempt's answer was lost); retries reuse the call's token.

use cloudbackup::alibaba::dbs::stop_backup_plan::StopMethod;
use cloudbackup::alibaba::dbs::{
    BackupMethod, Client, ConfigureBackupPlanInput, CreateBackupPlanInput, CreateRestoreTaskInput,
    CreateRestoreTaskOutput, DatabaseType, DescribeBackupPlanListInput,
    DescribeFullBackupListInput, DescribeRestoreTaskListInput, EndpointInstanceType, InstanceClass,
    Period, Region, ReleaseBackupPlanInput, StartBackupPlanInput, StartBackupPlanOutput,
    StartRestoreTaskInput, StopBackupPlanInput,
};
use cloudbackup::client::AlibabaSignature;
use cloudbackup::emulator::config::{
    DEFAULT_ALIBABA_ACCESS_KEY_ID, DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
};
use cloudbackup::runtime::AlibabaCredentials;

use super::lane::{Lane, SETTLE};
use super::ledger::KindSpec;
use super::waiting::{State, WaitPlan};

const BUY: &str = "alibaba/dbs/CreateBackupPlan";
const CONFIGURE: &str = "alibaba/dbs/ConfigureBackupPlan";
const START: &str = "alibaba/dbs/StartBackupPlan";
const STOP: &str = "alibaba/dbs/StopBackupPlan";
const PLANS: &str = "alibaba/dbs/DescribeBackupPlanList";
const RESTORE: &str = "alibaba/dbs/CreateRestoreTask";
const START_RESTORE: &str = "alibaba/dbs/StartRestoreTask";
const RESTORES: &str = "alibaba/dbs/DescribeRestoreTaskList";
const RELEASE: &str = "alibaba/dbs/ReleaseBackupPlan";
const PLAN: &str = "alibaba/dbs/BackupPlan";
const SET: &str = "alibaba/dbs/FullBackup";
const TASK: &str = "alibaba/dbs/RestoreTask";
/// Plans kept at most (more are released).
const KEEP: usize = 6;

const RUNNING: WaitPlan = WaitPlan {
    waiter: "dbs/BackupPlanRunning",
    polls: PLANS,
    interval: 5,
    timeout: 600,
    success: "running",
    again: |s| !matches!(s, "running" | "stop" | "pause" | "locked"),
    resource: PLAN,
    from: State::Str("check_pass"),
    after: 30,
    fail_to: Some(State::Str("stop")),
};
const FINISHED: WaitPlan = WaitPlan {
    waiter: "dbs/RestoreTaskFinished",
    polls: RESTORES,
    interval: 10,
    timeout: 3600,
    success: "finish",
    again: |s| !matches!(s, "finish" | "stop" | "pause"),
    resource: TASK,
    from: State::Str("running"),
    after: 60,
    fail_to: Some(State::Str("stop")),
};

/// A plan the client knows: its id and marker, its backup sets and restore tasks.
struct Plan {
    id: String,
    marker: String,
    sets: Vec<String>,
    tasks: Vec<String>,
}

pub(crate) async fn run(mut lane: Lane, v2: bool) -> Lane {
    lane.polls(PLANS);
    lane.polls(RESTORES);
    // Plans carry the buying call's marker as their resource group; restore tasks as their
    // name. Tokens are the calls' own: no two live resources share one.
    let kinds = [
        (PLAN, &["ResourceGroupId"][..]),
        (SET, &[][..]),
        (TASK, &["RestoreTaskName"][..]),
    ];
    for (kind, markers) in kinds {
        lane.ledger.declare(KindSpec {
            kind,
            markers,
            unique: &["ClientToken"],
        });
    }
    let mut config = lane
        .config("cn-hangzhou")
        .credentials(AlibabaCredentials::new(
            DEFAULT_ALIBABA_ACCESS_KEY_ID,
            DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
        ));
    if v2 {
        config = config.alibaba_signature(AlibabaSignature::V2);
    }
    let c = Client::new(config).unwrap();
    let mut plans: Vec<Plan> = Vec::new();
    while !lane.done() {
        lane.tick(5);
        let i = (!plans.is_empty()).then(|| lane.below(plans.len()));
        match (lane.below(18), i) {
            (0 | 1, _) if plans.len() < KEEP => buy(&mut lane, &c, &mut plans).await,
            (0 | 1 | 15, Some(i)) if plans.len() > 2 => {
                release(&mut lane, &c, &mut plans, i).await;
            }
            (2 | 3, Some(i)) => configure(&lane, &c, &plans[i]).await,
            (4 | 5, Some(i)) => {
                start(&mut lane, &c, &mut plans[i]).await;
            }
            (6, Some(i)) => stop(&lane, &c, &plans[i]).await,
            (7 | 8, _) => list_plans(&mut lane, &c, &mut plans).await,
            (9, Some(i)) => list_sets(&lane, &c, &plans[i]).await,
            (10 | 11, Some(i)) => {
                restore(&mut lane, &c, &mut plans[i]).await;
            }
            (12, Some(i)) => start_restore(&lane, &c, &plans[i]).await,
            (13 | 14, Some(i)) => list_restores(&mut lane, &c, &mut plans[i]).await,
            (16, _) => wait_running(&mut lane, &c, &mut plans).await,
            (17, _) => wait_finished(&mut lane, &c, &mut plans).await,
            _ => buy(&mut lane, &c, &mut plans).await,
        }
    }
    lane
}

async fn buy(lane: &mut Lane, c: &Client, plans: &mut Vec<Plan>) {
    let marker = lane.marker();
    let input = CreateBackupPlanInput::new(
        Region::CnHangzhou,
        DatabaseType::MySql,
        InstanceClass::Small,
        BackupMethod::Logical,
        Period::Month,
        1,
    )
    .resource_group_id(&marker);
    let result = lane.call(BUY, c.create_backup_plan(input)).await;
    lane.ledger.create_call(BUY, result.is_ok());
    match result {
        Ok(out) => {
            let id = out.backup_plan_id.expect("a plan id");
            lane.ledger.created(PLAN, marker.clone(), Some(id.clone()));
            plans.push(Plan {
                id,
                marker,
                sets: Vec::new(),
                tasks: Vec::new(),
            });
        }
        Err(_) => lane.ledger.not_created(PLAN, marker, false),
    }
}

fn configuration(plan: &Plan) -> ConfigureBackupPlanInput {
    ConfigureBackupPlanInput::new(&plan.id, EndpointInstanceType::Rds, &plan.marker)
        .source_endpoint_region("cn-hangzhou")
        .source_endpoint_instance_id("rm-source")
        .source_endpoint_user_name("backup")
        .source_endpoint_password("source-pw")
        .backup_objects(r#"[{"DBName":"test"}]"#)
}

async fn configure(lane: &Lane, c: &Client, plan: &Plan) {
    let _ = lane
        .call(CONFIGURE, c.configure_backup_plan(configuration(plan)))
        .await;
}

/// Starts a plan: a new backup set.
async fn start(lane: &mut Lane, c: &Client, plan: &mut Plan) -> Option<StartBackupPlanOutput> {
    let input = StartBackupPlanInput::new(&plan.id);
    let result = lane.call(START, c.start_backup_plan(input)).await;
    lane.ledger.create_call(START, result.is_ok());
    let out = result.ok()?;
    let set = out.created_full_backupset_id.clone().expect("a backup set");
    lane.ledger.created(SET, set.clone(), Some(set.clone()));
    plan.sets.push(set);
    Some(out)
}

/// Pauses a plan (refused with a typed error unless it runs or starts).
async fn stop(lane: &Lane, c: &Client, plan: &Plan) {
    let input = StopBackupPlanInput::new(&plan.id, StopMethod::Plan);
    let _ = lane.call(STOP, c.stop_backup_plan(input)).await;
}

/// Every plan once, every plan the client kept among them; plans bought by calls that failed
/// after applying are adopted.
async fn list_plans(lane: &mut Lane, c: &Client, plans: &mut Vec<Plan>) {
    let input = DescribeBackupPlanListInput::new().page_size(4);
    let Ok(items) = lane
        .list(input, |i| c.describe_backup_plan_list_paginator(i))
        .await
    else {
        return;
    };
    let mut ids = Vec::new();
    for p in items {
        let id = p.backup_plan_id.expect("a plan id");
        let marker = p.resource_group_id.unwrap_or_default();
        if lane.ledger.listed(PLAN, &marker, &id) {
            plans.push(Plan {
                id: id.clone(),
                marker,
                sets: Vec::new(),
                tasks: Vec::new(),
            });
        }
        ids.push(id);
    }
    for p in plans.iter() {
        assert!(
            ids.contains(&p.id),
            "{}: plan {} not listed",
            lane.name,
            p.id
        );
    }
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "{}: a plan listed twice", lane.name);
}

/// The plan's backup sets: every one the client saw made among them.
async fn list_sets(lane: &Lane, c: &Client, plan: &Plan) {
    let input = DescribeFullBackupListInput::new(&plan.id);
    let paginator = |i| c.describe_full_backup_list_paginator(i);
    if let Ok(sets) = lane.list(input, paginator).await {
        let ids: Vec<String> = sets.into_iter().filter_map(|s| s.backup_set_id).collect();
        for set in &plan.sets {
            assert!(ids.contains(set), "{}: set {set} not listed", lane.name);
        }
    }
}

/// A restore task from one of the plan's backup sets.
async fn restore(lane: &mut Lane, c: &Client, plan: &mut Plan) -> Option<CreateRestoreTaskOutput> {
    let set = plan.sets.get(lane.below(plan.sets.len().max(1)))?.clone();
    let marker = lane.marker();
    let input = CreateRestoreTaskInput::new(&plan.id, EndpointInstanceType::Rds, &marker)
        .destination_endpoint_region("cn-hangzhou")
        .destination_endpoint_instance_id("rm-target")
        .restore_objects(r#"[{"DBName":"test","NewDBName":"test_restored"}]"#)
        .backup_set_id(set);
    let result = lane.call(RESTORE, c.create_restore_task(input)).await;
    lane.ledger.create_call(RESTORE, result.is_ok());
    match result {
        Ok(out) => {
            let id = out.restore_task_id.clone().expect("a task id");
            lane.ledger.created(TASK, marker, Some(id.clone()));
            plan.tasks.push(id);
            Some(out)
        }
        Err(_) => {
            lane.ledger.not_created(TASK, marker, false);
            None
        }
    }
}

async fn start_restore(lane: &Lane, c: &Client, plan: &Plan) {
    if let Some(task) = plan.tasks.get(lane.below(plan.tasks.len().max(1))) {
        let input = StartRestoreTaskInput::new(task);
        let _ = lane.call(START_RESTORE, c.start_restore_task(input)).await;
    }
}

/// The plan's restore tasks: every one the client made among them; tasks made by calls that
/// failed after applying are adopted.
async fn list_restores(lane: &mut Lane, c: &Client, plan: &mut Plan) {
    let input = DescribeRestoreTaskListInput::new()
        .backup_plan_id(&plan.id)
        .page_size(4);
    let paginator = |i| c.describe_restore_task_list_paginator(i);
    let Ok(tasks) = lane.list(input, paginator).await else {
        return;
    };
    let mut ids = Vec::new();
    for t in tasks {
        let id = t.restore_task_id.expect("a task id");
        let marker = t.restore_task_name.unwrap_or_default();
        if lane.ledger.listed(TASK, &marker, &id) {
            plan.tasks.push(id.clone());
        }
        ids.push(id);
    }
    for t in &plan.tasks {
        assert!(ids.contains(t), "{}: task {t} not listed", lane.name);
    }
}

async fn release(lane: &mut Lane, c: &Client, plans: &mut Vec<Plan>, i: usize) {
    let plan = plans.swap_remove(i);
    let input = ReleaseBackupPlanInput::new(&plan.id);
    let result = lane.call(RELEASE, c.release_backup_plan(input)).await;
    // A failed call may have been applied (see the module's doc).
    let result = result.map(|_| ()).map_err(|_| false);
    lane.ledger.delete(PLAN, &plan.marker, result);
}

/// A new plan, bought and configured. A configuration that timed out may still land (the
/// emulator delays a call, not the client's timeout) and put the plan back to `init` while a
/// wait expects it to run: then the plan is used only once it has landed.
async fn new_plan(lane: &mut Lane, c: &Client, plans: &mut Vec<Plan>) -> usize {
    let n = plans.len();
    while plans.len() == n {
        buy(lane, c, plans).await;
    }
    let mut timed_out = false;
    loop {
        let configured = c.configure_backup_plan(configuration(&plans[n]));
        match lane.call(CONFIGURE, configured).await {
            Ok(_) => break,
            Err(f) => timed_out |= f.timed_out,
        }
    }
    if timed_out {
        tokio::time::sleep(SETTLE).await;
    }
    n
}

/// Waits until a new plan runs: no earlier call can still land on it.
async fn wait_running(lane: &mut Lane, c: &Client, plans: &mut Vec<Plan>) {
    let mode = lane.arrange(&RUNNING);
    let i = new_plan(lane, c, plans).await;
    let mut out = None;
    while out.is_none() {
        out = start(lane, c, &mut plans[i]).await;
    }
    let input = DescribeBackupPlanListInput::for_backup_plan_running(&out.unwrap()).unwrap();
    lane.wait(&RUNNING, mode, |o| {
        c.wait_until_backup_plan_running_with(input, o)
    })
    .await;
}

/// Waits until a new restore task (of any plan) finishes.
async fn wait_finished(lane: &mut Lane, c: &Client, plans: &mut Vec<Plan>) {
    let mode = lane.arrange(&FINISHED);
    let i = match plans.len() {
        0 => new_plan(lane, c, plans).await,
        n => lane.below(n),
    };
    while plans[i].sets.is_empty() {
        start(lane, c, &mut plans[i]).await;
    }
    let mut out = None;
    while out.is_none() {
        out = restore(lane, c, &mut plans[i]).await;
    }
    let out = out.unwrap();
    let task = out.restore_task_id.clone().unwrap();
    lane.until_ok(START_RESTORE, || {
        c.start_restore_task(StartRestoreTaskInput::new(&task))
    })
    .await;
    let input = DescribeRestoreTaskListInput::for_restore_task_finished(&out).unwrap();
    lane.wait(&FINISHED, mode, |o| {
        c.wait_until_restore_task_finished_with(input, o)
    })
    .await;
}
