//! Lifecycle soak: over 10,000 calls of the lifecycle actions of every service (create or start
//! a backup, list through the generated paginators, describe or follow its status, restore,
//! delete) and of the generated waiters, with about 30% of them under an injected fault (HTTP
//! 5xx, connections dropped before and after the call is applied, latency beyond the attempt
//! timeout, retryable documented errors and throttling).
//!
//! Each lane drives one service (and signature or credential mode) against an emulator of its
//! own whose clock the clients' timer drives, so waiters and backoff wait in virtual time. The
//! waits are arranged to end every way a waiter can (success, the waiter's typed failure, its
//! timeout, a poll's typed error) and each must end exactly so, never hang. At the end nothing
//! the client saw created is lost, nothing is created twice, nothing the client saw deleted is
//! left, and no call that surely failed made anything. Prints the figures
//! (`cargo test --all-features --test soak_lifecycle -- --nocapture`).

#![cfg(all(
    feature = "emulator",
    feature = "tencent-cbs",
    feature = "tencent-sqlserver",
    feature = "tencent-sqlserver-v3",
    feature = "tencent-redis",
    feature = "tencent-redis-v3",
    feature = "alibaba-dbs",
    feature = "huawei-koophone"
))]

mod soak_lanes;
mod soak_support;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use soak_lanes::figures::Figures;
use soak_lanes::lane::{Lane, SETTLE};
use soak_lanes::{cbs, dbs, koophone, redis, redis_v3, sqlserver, sqlserver_v3};
use soak_support::wall_clock;

/// Calls each lane makes (direct calls, pages and polls).
const LANE_CALLS: u64 = 1_250;
/// Calls in all, at least.
const MIN_CALLS: u64 = 10_000;
/// Real time the soak may take, at most (a debug build on a loaded machine).
const BUDGET: Duration = Duration::from_secs(90);

/// Ends a lane: lets calls the emulator delayed land, checks its state against the ledger,
/// and returns its figures (the lane, its clients and its emulator are gone then).
async fn finish(lane: Lane) -> Figures {
    tokio::time::sleep(SETTLE).await;
    let st = lane.shared.emu.state();
    let (alive, creates) = lane.ledger.check(lane.name, &st);
    let mut f = std::mem::take(&mut *lane.shared.figures());
    f.received = st.calls.values().map(|c| c.received).sum();
    f.dropped = st.calls.values().map(|c| c.dropped).sum();
    let left: u64 = st.faults.iter().map(|s| u64::from(s.count)).sum();
    f.hits = f.armed_for - left;
    println!(
        "lane {}: {} calls, {} faults armed; made/answered by calls ok + failed {creates:?}; \
         alive {alive:?}",
        lane.name,
        f.total(),
        f.armed(),
    );
    f
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycles_and_waiters_under_faults_lose_nothing_and_duplicate_nothing() {
    let started = wall_clock();
    let runtime = tokio::runtime::Handle::current();
    let tasks_before = runtime.metrics().num_alive_tasks();
    let lane = |name, seed| Lane::start(name, seed, LANE_CALLS);
    // Every lane on a task of its own: a lane waiting out a latency fault holds up no other.
    let spawn = |run: Pin<Box<dyn Future<Output = Lane> + Send>>| {
        tokio::spawn(async move { finish(run.await).await })
    };
    let lanes = [
        spawn(Box::pin(cbs::run(lane("cbs", 1)))),
        spawn(Box::pin(sqlserver::run(lane("sql", 2)))),
        spawn(Box::pin(sqlserver_v3::run(lane("sql3", 3)))),
        spawn(Box::pin(redis::run(lane("redis", 4)))),
        spawn(Box::pin(redis_v3::run(lane("redis3", 5)))),
        spawn(Box::pin(dbs::run(lane("dbs3", 6), false))),
        spawn(Box::pin(dbs::run(lane("dbs2", 7), true))),
        spawn(Box::pin(koophone::run(lane("kpak", 8), false))),
        spawn(Box::pin(koophone::run(lane("kptok", 9), true))),
    ];
    let mut total = Figures::default();
    for lane in lanes {
        match lane.await {
            Ok(figures) => total.add(&figures),
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    let took = started.elapsed();
    println!("lifecycle soak in {took:?}:\n{total}");

    assert!(total.total() >= MIN_CALLS, "{} calls", total.total());
    let pct = 100 * total.armed() / total.total();
    assert!((25..=35).contains(&pct), "{pct}% of calls under a fault");
    for (waiter, outcomes) in &total.waits {
        // The CBS waiter has no failure state.
        let failed = (!waiter.starts_with("cbs/")).then_some("failed");
        for outcome in ["success", "timed_out", "call_error"]
            .into_iter()
            .chain(failed)
        {
            assert!(
                outcomes.get(outcome).is_some_and(|n| *n > 0),
                "{waiter} never ended {outcome}: {outcomes:?}"
            );
        }
    }
    assert!(took < BUDGET, "took {took:?}");

    // No task left behind once the lanes (and their clients) are gone.
    let deadline = wall_clock() + Duration::from_secs(5);
    while runtime.metrics().num_alive_tasks() > tasks_before && wall_clock() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let alive = runtime.metrics().num_alive_tasks();
    assert!(alive <= tasks_before, "{alive} tasks alive after the soak");
}
