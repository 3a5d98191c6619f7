//! Call overhead (issue 7, section 2): a full typed call (build, validate, sign, send, decode)
//! of Tencent CBS `CreateDiskBackup` to a keep-alive loopback server, against raw `reqwest`
//! sending the same pre-signed bytes to the same server, at concurrency 1 and 64. Both keep
//! connections alive with a pool of up to 128 idle connections (the client builds its own
//! `reqwest::Client` from `Config::pool_max_idle_per_host`); the figure is time per call: wall
//! time (`call/…`), and at concurrency 64 also CPU time of the whole process per call
//! (`call-cpu/…`: client, server and runtime threads; what a loaded machine does not skew).
//!
//! Run with `cargo bench --bench call`; results in `BENCHMARKS.md`.

#[path = "support/keepalive.rs"]
mod keepalive;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cloudbackup::Config;
use cloudbackup::client::RateLimitConfig;
use cloudbackup::runtime::{HttpMethod, SignedRequest, TencentCredentials};
use cloudbackup::tencent::cbs::{Client, CreateDiskBackupInput};
use criterion::Criterion;

const REPLY: &str = r#"{"Response":{"DiskBackupId":"dbp-1","RequestId":"req-1"}}"#;

/// Raw reqwest: the same pre-signed request, sent and read whole; with `timeout`, under a
/// per-request timeout as the typed call sets on every attempt.
async fn raw_call(http: &reqwest::Client, req: &SignedRequest, timeout: Option<Duration>) -> usize {
    let method = match req.method {
        HttpMethod::Get => reqwest::Method::GET,
        HttpMethod::Post => reqwest::Method::POST,
    };
    let mut b = http.request(method, req.url.as_str());
    for (k, v) in &req.headers {
        b = b.header(k.as_ref(), v.as_str());
    }
    if let Some(t) = timeout {
        b = b.timeout(t);
    }
    let resp = b.body(req.body.clone()).send().await.expect("raw send");
    resp.bytes().await.expect("raw body").len()
}

async fn typed_call(client: &Client) -> usize {
    let out = client
        .create_disk_backup(CreateDiskBackupInput::new("disk-xxxxxxxx").disk_backup_name("nightly"))
        .await
        .expect("typed call");
    out.disk_backup_id.map_or(0, |s| s.len())
}

/// What a run measures: wall time, or CPU time of the whole process (client, server and
/// every runtime thread; robust to other processes taking the machine's cores).
#[derive(Clone, Copy)]
enum Clock {
    Wall,
    Cpu,
}

/// CPU time used so far by every thread of this process (`/proc/self/task/*/schedstat`,
/// nanoseconds on CPU). Threads that ended are not counted; the bench's threads live
/// throughout.
fn process_cpu() -> Duration {
    let mut ns = 0u64;
    for task in std::fs::read_dir("/proc/self/task").expect("/proc/self/task") {
        let path = task.expect("task entry").path().join("schedstat");
        if let Ok(s) = std::fs::read_to_string(path) {
            ns += s
                .split_whitespace()
                .next()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    Duration::from_nanos(ns)
}

/// Runs `iters` calls spread over `conc` tasks and returns the time taken per `clock`.
fn run<F, Fut>(rt: &tokio::runtime::Runtime, clock: Clock, iters: u64, conc: u64, f: F) -> Duration
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = usize> + Send,
{
    let f = Arc::new(f);
    rt.block_on(async {
        // A benchmark measures wall time by definition; the runtime itself never reads it.
        #[allow(clippy::disallowed_methods)]
        let start = Instant::now();
        let cpu_start = process_cpu();
        let tasks: Vec<_> = (0..conc)
            .map(|t| {
                let f = f.clone();
                let n = iters / conc + u64::from(t < iters % conc);
                tokio::spawn(async move {
                    for _ in 0..n {
                        black_box(f().await);
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.expect("task");
        }
        match clock {
            Clock::Wall => start.elapsed(),
            Clock::Cpu => process_cpu().saturating_sub(cpu_start),
        }
    })
}

fn main() {
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("server runtime");
    let addr = keepalive::start(&server_rt, REPLY);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("client runtime");
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(128)
        .build()
        .expect("reqwest client");
    let client = {
        let _guard = rt.enter();
        Client::new(
            Config::new()
                .endpoint(format!("http://{addr}"))
                .region("ap-guangzhou")
                .credentials(TencentCredentials::new("AKIDbench", "bench-secret-key"))
                .pool_max_idle_per_host(128)
                .rate_limits(RateLimitConfig::off()),
        )
        .expect("client")
    };
    let presigned = client
        .service_client()
        .prepare(CreateDiskBackupInput::new("disk-xxxxxxxx").disk_backup_name("nightly"))
        .expect("prepare");
    let presigned = Arc::new(presigned);

    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    for (conc, clock, label) in [
        (1u64, Clock::Wall, "call"),
        (64, Clock::Wall, "call"),
        (64, Clock::Cpu, "call-cpu"),
    ] {
        let mut g = c.benchmark_group(format!("{label}/concurrency-{conc}"));
        let cl = client.clone();
        g.bench_function("typed", |b| {
            b.iter_custom(|iters| {
                let cl = cl.clone();
                run(&rt, clock, iters, conc, move || {
                    let cl = cl.clone();
                    async move { typed_call(&cl).await }
                })
            })
        });
        g.bench_function("raw-reqwest", |b| {
            b.iter_custom(|iters| {
                let (h, p) = (http.clone(), presigned.clone());
                run(&rt, clock, iters, conc, move || {
                    let (h, p) = (h.clone(), p.clone());
                    async move { raw_call(&h, &p, None).await }
                })
            })
        });
        if matches!(clock, Clock::Cpu) {
            // What the per-attempt timeout costs by itself (the client's default attempt
            // timeout).
            let attempt_timeout = cloudbackup::client::Timeouts::default().attempt;
            g.bench_function("raw-reqwest-with-timeout", |b| {
                b.iter_custom(|iters| {
                    let (h, p) = (http.clone(), presigned.clone());
                    run(&rt, clock, iters, conc, move || {
                        let (h, p) = (h.clone(), p.clone());
                        async move { raw_call(&h, &p, Some(attempt_timeout)).await }
                    })
                })
            });
        }
        g.finish();
    }
    c.final_summary();
}
