//! Tracing: a span per call and per attempt with provider, service, action, attempt, request
//! id and latency — and no secret in any field or event.

mod support;

use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use cloudbackup::runtime::{ManualTimer, TencentCredentials};
use cloudbackup::tencent::cbs::{Client, CreateDiskBackupInput};
use cloudbackup::{Config, client::RetryPolicy};
use support::{Server, TickingClock, tc3_err, tc3_ok};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Records every span's name and every field and event as text.
#[derive(Default)]
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    next: AtomicU64,
}

struct Line<'a>(&'a mut String);

impl Visit for Line<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::SeqCst) + 1;
        let mut line = format!("span#{id} {}", span.metadata().name());
        span.record(&mut Line(&mut line));
        self.lines.lock().unwrap().push(line);
        Id::from_u64(id)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut line = format!("record#{}", span.into_u64());
        values.record(&mut Line(&mut line));
        self.lines.lock().unwrap().push(line);
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut line = "event".to_owned();
        event.record(&mut Line(&mut line));
        self.lines.lock().unwrap().push(line);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn spans_carry_call_and_attempt_fields_and_no_secret() {
    let capture = Capture::default();
    let lines = capture.lines.clone();
    let _guard = tracing::subscriber::set_default(capture);

    let server = Server::start(vec![tc3_err("ResourceBusy", "req-busy"), tc3_ok("req-ok")]).await;
    let client = Client::new(
        Config::new()
            .endpoint(server.endpoint())
            .region("ap-guangzhou")
            .credentials(
                TencentCredentials::new("AKIDtrace", "trace-secret-key").with_token("trace-token"),
            )
            .timer(Arc::new(ManualTimer::new()))
            .clock(Arc::new(TickingClock::new(1_700_000_000)))
            .retry(RetryPolicy::standard()),
    )
    .unwrap();
    client
        .create_disk_backup(CreateDiskBackupInput::new("disk-1"))
        .await
        .unwrap();

    let all = lines.lock().unwrap().join("\n");
    assert!(all.contains("cloudbackup.call"), "{all}");
    assert!(all.contains("provider=\"tencent\""), "{all}");
    assert!(all.contains("service=\"cbs\""), "{all}");
    assert!(all.contains("action=\"CreateDiskBackup\""), "{all}");
    assert!(all.contains("cloudbackup.attempt attempt=1"), "{all}");
    assert!(all.contains("cloudbackup.attempt attempt=2"), "{all}");
    assert!(all.contains("request_id=\"req-busy\""), "{all}");
    assert!(all.contains("request_id=\"req-ok\""), "{all}");
    assert!(all.contains("attempts=2"), "{all}");
    assert!(all.contains("latency_ms="), "{all}");
    assert!(all.contains("http_status=200"), "{all}");
    for secret in [
        "trace-secret-key",
        "trace-token",
        "TC3-HMAC-SHA256 Credential",
    ] {
        assert!(!all.contains(secret), "{secret} in traces:\n{all}");
    }
}
