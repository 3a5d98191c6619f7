//! Fault soak: 2000 calls across every seed action and signature mode against the in-process
//! emulator with about 30% injected faults (HTTP 5xx, connections dropped before and after the
//! call is applied, latency beyond the attempt timeout, retryable documented errors and
//! throttling). Every call ends in a success or a typed error before its deadline, no task is
//! left behind, nothing is created twice and every success the client saw exists in the
//! emulator. Prints the figures (`cargo test --test soak --all-features -- --nocapture`).

#![cfg(feature = "emulator")]

mod soak_support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use cloudbackup::alibaba::dbs::create_backup_plan::{
    BackupMethod, CreateBackupPlanInput, DatabaseType, InstanceClass, Period, Region,
};
use cloudbackup::client::AlibabaSignature;
use cloudbackup::client::rate_limit::RateLimitConfig;
use cloudbackup::emulator::config::{
    DEFAULT_ALIBABA_ACCESS_KEY_ID, DEFAULT_ALIBABA_ACCESS_KEY_SECRET, DEFAULT_HUAWEI_ACCESS_KEY,
    DEFAULT_HUAWEI_SECRET_KEY, DEFAULT_HUAWEI_TOKEN, DEFAULT_TENCENT_SECRET_ID,
    DEFAULT_TENCENT_SECRET_KEY,
};
use cloudbackup::emulator::{Emulator, EmulatorConfig, EmulatorHandle};
use cloudbackup::runtime::{
    AlibabaCredentials, HuaweiCredentials, ManualClock, SequenceNonce, TencentCredentials,
};
use cloudbackup::tencent::sqlserver::create_backup::{BackupStrategy, CreateBackupInput};
use cloudbackup::{Config, alibaba, huawei, tencent};
use soak_support::{FAULT_PERCENT, Lcg, error_kind, fault, retry_policy, wall_clock};

const CALLS: usize = 2000;
const ATTEMPT: Duration = Duration::from_millis(250);
const TOTAL: Duration = Duration::from_secs(2);
const SLACK: Duration = Duration::from_millis(500);

/// The call slots of one round: every seed action, every signature and credential mode.
const SLOTS: &[(&str, &str)] = &[
    ("tencent/cbs/CreateDiskBackup", "tc3"),
    ("tencent/cbs/DescribeDiskBackups", "tc3"),
    ("tencent/sqlserver/CreateBackup", "v2"),
    ("tencent/redis/ManualBackupInstance", "v2"),
    ("alibaba/dbs/CreateBackupPlan", "acs3"),
    ("alibaba/dbs/CreateBackupPlan", "acs-v2"),
    ("huawei/koophone/BatchBackupInstances", "aksk"),
    ("huawei/koophone/BatchBackupInstances", "token"),
];

struct Clients {
    cbs: tencent::cbs::Client,
    sql: tencent::sqlserver::Client,
    redis: tencent::redis::Client,
    dbs_v3: alibaba::dbs::Client,
    dbs_v2: alibaba::dbs::Client,
    kp_aksk: huawei::koophone::Client,
    kp_token: huawei::koophone::Client,
}

fn config(emu: &EmulatorHandle, clock: &Arc<ManualClock>, region: &str) -> Config {
    Config::new()
        .endpoint(emu.base_url())
        .region(region)
        .clock(clock.clone())
        .nonce_source(Arc::new(SequenceNonce::new(1_000)))
        .attempt_timeout(ATTEMPT)
        .total_timeout(Some(TOTAL))
        .rate_limits(RateLimitConfig::off())
        .retry(retry_policy())
}

impl Clients {
    fn new(emu: &EmulatorHandle, clock: &Arc<ManualClock>) -> Self {
        let tc = || TencentCredentials::new(DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY);
        let al = || {
            AlibabaCredentials::new(
                DEFAULT_ALIBABA_ACCESS_KEY_ID,
                DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
            )
        };
        let gz = || config(emu, clock, "ap-guangzhou");
        let hz = || config(emu, clock, "cn-hangzhou");
        let sg = || config(emu, clock, "ap-southeast-1");
        Clients {
            cbs: tencent::cbs::Client::new(gz().credentials(tc())).unwrap(),
            sql: tencent::sqlserver::Client::new(gz().credentials(tc())).unwrap(),
            redis: tencent::redis::Client::new(gz().credentials(tc())).unwrap(),
            dbs_v3: alibaba::dbs::Client::new(hz().credentials(al())).unwrap(),
            dbs_v2: alibaba::dbs::Client::new(
                hz().credentials(al())
                    .alibaba_signature(AlibabaSignature::V2),
            )
            .unwrap(),
            kp_aksk: huawei::koophone::Client::new(sg().credentials(HuaweiCredentials::ak_sk(
                DEFAULT_HUAWEI_ACCESS_KEY,
                DEFAULT_HUAWEI_SECRET_KEY,
            )))
            .unwrap(),
            kp_token: huawei::koophone::Client::new(
                sg().credentials(HuaweiCredentials::token(DEFAULT_HUAWEI_TOKEN)),
            )
            .unwrap(),
        }
    }

    /// One call of slot `slot`: `Ok(created id)` or the typed error's kind.
    async fn call(&self, slot: usize, n: usize) -> Result<Option<String>, String> {
        let plan = || {
            CreateBackupPlanInput::new(
                Region::CnHangzhou,
                DatabaseType::MySql,
                InstanceClass::Small,
                BackupMethod::Logical,
                Period::Month,
                1,
            )
        };
        match slot {
            0 => self
                .cbs
                .create_disk_backup(tencent::cbs::CreateDiskBackupInput::new(format!(
                    "disk-{n}"
                )))
                .await
                .map(|o| o.disk_backup_id)
                .map_err(|e| error_kind(&e)),
            1 => self
                .cbs
                .describe_disk_backups(tencent::cbs::DescribeDiskBackupsInput::new())
                .await
                .map(|_| None)
                .map_err(|e| error_kind(&e)),
            2 => self
                .sql
                .create_backup(
                    CreateBackupInput::new(format!("mssql-{n}"))
                        .strategy(BackupStrategy::MultiDatabase)
                        .db_list(["a", "b"]),
                )
                .await
                .map(|o| o.flow_id.map(|f| f.to_string()))
                .map_err(|e| error_kind(&e)),
            3 => self
                .redis
                .manual_backup_instance(tencent::redis::ManualBackupInstanceInput::new(format!(
                    "crs-{n}"
                )))
                .await
                .map(|o| o.task_id.map(|t| t.to_string()))
                .map_err(|e| error_kind(&e)),
            4 | 5 => {
                let c = if slot == 4 {
                    &self.dbs_v3
                } else {
                    &self.dbs_v2
                };
                c.create_backup_plan(plan())
                    .await
                    .map(|o| o.backup_plan_id)
                    .map_err(|e| error_kind(&e))
            }
            _ => {
                let c = if slot == 6 {
                    &self.kp_aksk
                } else {
                    &self.kp_token
                };
                c.batch_backup_instances(huawei::koophone::BatchBackupInstancesInput::new([
                    format!("i-{n}"),
                ]))
                .await
                .map(|o| o.data.and_then(|d| d.task_id))
                .map_err(|e| error_kind(&e))
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_calls_under_faults_lose_nothing_and_duplicate_nothing() {
    let started = wall_clock();
    let clock = Arc::new(ManualClock::new(1_764_000_000));
    let emu = Emulator::start(EmulatorConfig::default().with_clock(clock.clone())).unwrap();
    let clients = Clients::new(&emu, &clock);
    let tasks_before = tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks();

    let mut rng = Lcg(0x5eed);
    let mut faults: BTreeMap<&str, u64> = BTreeMap::new();
    let mut outcomes: BTreeMap<String, u64> = BTreeMap::new();
    let mut seen: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut logical: BTreeMap<&str, usize> = BTreeMap::new();
    let mut max_latency = Duration::ZERO;
    let mut calls = 0;
    while calls < CALLS {
        // One round: every slot once, concurrently; faults armed just before (a fault with a
        // count left over carries into the next round). The shared
        // clock moves an hour per round (well inside every signature window during a round;
        // Redis allows 24 calls a day).
        clock.advance(3_601);
        let mut round = Vec::new();
        for (slot, (action, _)) in SLOTS.iter().enumerate() {
            if rng.chance(FAULT_PERCENT) {
                let (name, spec) = fault(&mut rng, action, ATTEMPT, true);
                emu.inject(spec).unwrap();
                *faults.entry(name).or_default() += 1;
            }
            *logical.entry(action).or_default() += 1;
            let n = calls + slot;
            let clients = &clients;
            round.push(async move {
                let t = wall_clock();
                let r = clients.call(slot, n).await;
                (slot, r, t.elapsed())
            });
        }
        calls += round.len();
        for (slot, result, elapsed) in futures_join_all(round).await {
            assert!(
                elapsed < TOTAL + SLACK,
                "slot {slot} took {elapsed:?}: {result:?}"
            );
            max_latency = max_latency.max(elapsed);
            match result {
                Ok(id) => {
                    *outcomes.entry("ok".into()).or_default() += 1;
                    if let Some(id) = id {
                        seen.entry(SLOTS[slot].0).or_default().push(id);
                    }
                }
                Err(kind) => *outcomes.entry(kind).or_default() += 1,
            }
        }
    }

    let st = emu.state();
    // Every success the client saw exists in the emulator.
    for (action, ids) in &seen {
        let created: BTreeSet<&String> = st.resources[*action].iter().collect();
        for id in ids {
            assert!(created.contains(id), "{action}: {id} not in the emulator");
        }
    }
    for (action, ids) in &st.resources {
        // Nothing created twice: ids are unique, and no logical call created two resources
        // (non-idempotent actions are never retried after an ambiguous failure; the
        // idempotent one carries one ClientToken per logical call).
        let unique: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{action}: duplicate ids");
        assert!(
            ids.len() <= logical[action.as_str()],
            "{action}: {} created for {} calls",
            ids.len(),
            logical[action.as_str()]
        );
    }
    let tokens = &st.idempotency_tokens["alibaba/dbs/CreateBackupPlan"];
    let plans = &st.resources["alibaba/dbs/CreateBackupPlan"];
    assert_eq!(tokens.len(), plans.len(), "one plan per ClientToken");
    let by_token: BTreeSet<&String> = tokens.values().collect();
    assert_eq!(by_token.len(), plans.len(), "no two tokens share a plan");

    // No task left behind once the clients are gone.
    drop(clients);
    let handle = tokio::runtime::Handle::current();
    let deadline = wall_clock() + Duration::from_secs(5);
    while handle.metrics().num_alive_tasks() > tasks_before && wall_clock() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let alive = handle.metrics().num_alive_tasks();
    assert!(alive <= tasks_before, "{alive} tasks alive after the soak");

    let fault_total: u64 = faults.values().sum();
    let received: u64 = st.calls.values().map(|c| c.received).sum();
    let dropped: u64 = st.calls.values().map(|c| c.dropped).sum();
    println!(
        "soak: {calls} calls ({received} requests received, {dropped} connections dropped) in {:?}; \
         faults armed {fault_total} ({:.1}%) {faults:?}; outcomes {outcomes:?}; \
         max call latency {max_latency:?} (deadline {TOTAL:?}); resources {:?}",
        started.elapsed(),
        100.0 * fault_total as f64 / calls as f64,
        st.resources
            .iter()
            .map(|(k, v)| (k.as_str(), v.len()))
            .collect::<BTreeMap<_, _>>(),
    );
    emu.shutdown();
}

/// Awaits every future of a round concurrently (on this task: no spawned task to leak).
async fn futures_join_all<F: std::future::Future>(futs: Vec<F>) -> Vec<F::Output> {
    let mut futs: Vec<_> = futs.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = futs.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in futs.iter_mut().enumerate() {
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => out[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().map(Option::unwrap).collect()
}
