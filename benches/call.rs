//! Call overhead (issue 7, section 2): a full typed call (build, validate, sign, send, decode)
//! of Tencent CBS `CreateDiskBackup` to a keep-alive loopback server, against raw `reqwest`
//! sending the same pre-signed bytes to the same server, at concurrency 1 and 64. Both use one
//! shared `reqwest::Client` (connection pool, keep-alive); the figure is time per call.
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

/// Raw reqwest: the same pre-signed request, sent and read whole.
async fn raw_call(http: &reqwest::Client, req: &SignedRequest) -> usize {
    let method = match req.method {
        HttpMethod::Get => reqwest::Method::GET,
        HttpMethod::Post => reqwest::Method::POST,
    };
    let mut b = http.request(method, req.url.as_str());
    for (k, v) in &req.headers {
        b = b.header(k.as_ref(), v.as_str());
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

/// Runs `iters` calls spread over `conc` tasks and returns the elapsed time.
fn run<F, Fut>(rt: &tokio::runtime::Runtime, iters: u64, conc: u64, f: F) -> Duration
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = usize> + Send,
{
    let f = Arc::new(f);
    rt.block_on(async {
        // A benchmark measures wall time by definition; the runtime itself never reads it.
        #[allow(clippy::disallowed_methods)]
        let start = Instant::now();
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
        start.elapsed()
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
                .http_client(http.clone())
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
    for conc in [1u64, 64] {
        let mut g = c.benchmark_group(format!("call/concurrency-{conc}"));
        let cl = client.clone();
        g.bench_function("typed", |b| {
            b.iter_custom(|iters| {
                let cl = cl.clone();
                run(&rt, iters, conc, move || {
                    let cl = cl.clone();
                    async move { typed_call(&cl).await }
                })
            })
        });
        g.bench_function("raw-reqwest", |b| {
            b.iter_custom(|iters| {
                let (h, p) = (http.clone(), presigned.clone());
                run(&rt, iters, conc, move || {
                    let (h, p) = (h.clone(), p.clone());
                    async move { raw_call(&h, &p).await }
                })
            })
        });
        g.finish();
    }
    c.final_summary();
}
