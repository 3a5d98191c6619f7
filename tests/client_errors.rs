//! Errors as callers see them, against a loopback server: the request id of every error that
//! has one, the opt-in raw response (secrets redacted), one-line `Display`, and the server's
//! `Retry-After` (or Alibaba's `x-acs-retry-after`) honoured by the retry policy on virtual
//! time.

mod support;

use std::sync::Arc;
use std::time::Duration;

use cloudbackup::alibaba::dbs::create_backup_plan::{
    BackupMethod, CreateBackupPlanInput, DatabaseType, InstanceClass, Period, Region,
};
use cloudbackup::client::{Env, RetryPolicy};
use cloudbackup::runtime::{AlibabaCredentials, ManualTimer, SequenceNonce, TencentCredentials};
use cloudbackup::tencent::cbs::{Client, CreateDiskBackupInput};
use cloudbackup::{Config, Error, alibaba};
use support::{Reply, Server, TickingClock, tc3_ok};

const KEY: &str = "errors-secret-key-value";
const TOKEN: &str = "errors-session-token";
const START: i64 = 1_700_000_000;

fn config(server: &Server, timer: &Arc<ManualTimer>) -> Config {
    Config::new()
        .env(Env::new([("X", "x")], None))
        .endpoint(server.endpoint())
        .timer(timer.clone())
        .clock(Arc::new(TickingClock::new(START)))
        .nonce_source(Arc::new(SequenceNonce::new(1)))
}

fn cbs(config: Config) -> Client {
    Client::new(
        config
            .region("ap-guangzhou")
            .credentials(TencentCredentials::new("AKIDerr", KEY).with_token(TOKEN)),
    )
    .unwrap()
}

fn disk() -> CreateDiskBackupInput {
    CreateDiskBackupInput::new("disk-1")
}

fn tc3_error(code: &str, message: &str, id: &str) -> String {
    format!(
        r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"{message}"}},"RequestId":"{id}"}}}}"#
    )
}

#[tokio::test]
async fn undecodable_answers_and_broken_connections_keep_the_request_id() {
    let timer = Arc::new(ManualTimer::new());
    // A gateway's HTML page: no JSON, but a request id header.
    let server = Server::start(vec![Reply::Raw(
        502,
        vec![
            ("Content-Type", "text/html".into()),
            ("X-Request-Id", "gw-502-id".into()),
        ],
        "<html>\n<body>Bad Gateway</body>\n</html>".into(),
    )])
    .await;
    let err = cbs(config(&server, &timer).retry(RetryPolicy::disabled()))
        .create_disk_backup(disk())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert_eq!(err.request_id(), Some("gw-502-id"));
    let shown = err.to_string();
    assert!(
        !shown.contains('\n') && shown.contains("gw-502-id"),
        "{shown}"
    );
    // Headers came, then the connection broke mid-body.
    let server = Server::start(vec![Reply::Truncated(vec![(
        "x-tc-requestid",
        "tc-broken-id".into(),
    )])])
    .await;
    let err = cbs(config(&server, &timer).retry(RetryPolicy::disabled()))
        .create_disk_backup(disk())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(err.request_id(), Some("tc-broken-id"));
}

#[tokio::test]
async fn the_raw_response_is_captured_on_request_with_secrets_redacted() {
    let timer = Arc::new(ManualTimer::new());
    // The server echoes the caller's secrets in a header and in the body, and sets a cookie.
    let body = tc3_error(
        "AuthFailure.SignatureFailure",
        &format!("bad signature\\nfor key {KEY}"),
        "rid-raw",
    );
    let reply = Reply::Raw(
        200,
        vec![
            ("Content-Type", "application/json".into()),
            ("Set-Cookie", "session=abcdef123456".into()),
            ("X-Echo", format!("token={TOKEN}")),
        ],
        body,
    );
    let server = Server::start(vec![reply]).await;
    let captured = cbs(config(&server, &timer).capture_raw_response(true))
        .create_disk_backup(disk())
        .await
        .unwrap_err();
    let raw = captured.raw_response().expect("captured");
    assert_eq!(raw.status, 200);
    assert_eq!(raw.header("content-type"), Some("application/json"));
    assert_eq!(raw.header("set-cookie"), Some("<redacted>"));
    assert_eq!(raw.header("x-echo"), Some("token=<redacted>"));
    assert!(
        raw.body.contains("AuthFailure.SignatureFailure"),
        "{}",
        raw.body
    );
    assert!(!raw.truncated);
    let everything = format!("{captured} {captured:?}");
    for secret in [KEY, TOKEN, "abcdef123456"] {
        assert!(!everything.contains(secret), "{secret} in {everything}");
    }
    // One line, though the message has a line break.
    assert!(!captured.to_string().contains('\n'), "{captured}");
    assert_eq!(captured.request_id(), Some("rid-raw"));
    // Off by default.
    let plain = cbs(config(&server, &timer))
        .create_disk_backup(disk())
        .await
        .unwrap_err();
    assert!(plain.raw_response().is_none());
    // An answer that cannot be decoded is captured too (a gateway's page, with its status).
    let server = Server::start(vec![Reply::Raw(
        502,
        vec![
            ("Content-Type", "text/html".into()),
            ("X-Request-Id", "gw-raw-id".into()),
        ],
        format!("<html><body>Bad Gateway for {TOKEN}</body></html>"),
    )])
    .await;
    let err = cbs(config(&server, &timer)
        .retry(RetryPolicy::disabled())
        .capture_raw_response(true))
    .create_disk_backup(disk())
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    let raw = err
        .raw_response()
        .expect("a decode error keeps the raw answer");
    assert_eq!(raw.status, 502);
    assert_eq!(raw.header("x-request-id"), Some("gw-raw-id"));
    assert!(raw.body.contains("Bad Gateway"), "{}", raw.body);
    assert!(!format!("{err} {err:?}").contains(TOKEN), "{err:?}");
}

#[tokio::test]
async fn retry_after_seconds_replace_a_shorter_backoff() {
    let timer = Arc::new(ManualTimer::new());
    let throttled = Reply::Raw(
        429,
        vec![
            ("Content-Type", "application/json".into()),
            ("Retry-After", "7".into()),
        ],
        tc3_error("RequestLimitExceeded", "slow down", "rid-429"),
    );
    let server = Server::start(vec![throttled, tc3_ok("rid-ok")]).await;
    cbs(config(&server, &timer))
        .create_disk_backup(disk())
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 2);
    assert_eq!(timer.sleeps(), vec![Duration::from_secs(7)]);
}

#[tokio::test]
async fn retry_after_dates_are_judged_by_the_client_clock() {
    let timer = Arc::new(ManualTimer::new());
    // TickingClock: the first read (signing) is START, the next START+1 (the error), ...
    let throttled = Reply::Raw(
        429,
        vec![("Retry-After", "Tue, 14 Nov 2023 22:13:50 GMT".into())],
        tc3_error("RequestLimitExceeded", "slow down", "rid-date"),
    );
    let server = Server::start(vec![throttled, tc3_ok("rid-ok")]).await;
    cbs(config(&server, &timer))
        .create_disk_backup(disk())
        .await
        .unwrap();
    // 2023-11-14T22:13:50Z is START + 30; the clock read for it is START + 1.
    assert_eq!(timer.sleeps(), vec![Duration::from_secs(29)]);
}

#[tokio::test]
async fn alibaba_x_acs_retry_after_is_in_milliseconds_and_a_too_long_ask_is_not_waited() {
    let timer = Arc::new(ManualTimer::new());
    let throttled = |ms: &str| {
        Reply::Raw(
            400,
            vec![
                ("Content-Type", "application/json".into()),
                ("x-acs-retry-after", ms.into()),
            ],
            r#"{"Code":"Throttling.User","Message":"Request was denied due to user flow control.","RequestId":"ALI-1"}"#.into(),
        )
    };
    let ok = Reply::Json(200, r#"{"BackupPlanId":"dbs1","RequestId":"ALI-2"}"#.into());
    let server = Server::start(vec![throttled("2500"), ok]).await;
    let dbs = |c: Config| {
        alibaba::dbs::Client::new(
            c.region("cn-hangzhou")
                .credentials(AlibabaCredentials::new("LTAIerr", KEY)),
        )
        .unwrap()
    };
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
    dbs(config(&server, &timer))
        .create_backup_plan(plan())
        .await
        .unwrap();
    assert_eq!(timer.sleeps(), vec![Duration::from_millis(2500)]);
    // Ten minutes is more than the policy's 60 s: the error comes back at once.
    let server = Server::start(vec![throttled("600000")]).await;
    let timer = Arc::new(ManualTimer::new());
    let err = dbs(config(&server, &timer))
        .create_backup_plan(plan())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Service(_)), "{err:?}");
    assert_eq!(server.requests().len(), 1);
    assert!(timer.sleeps().is_empty());
    // A policy that allows it waits the ten minutes.
    let server = Server::start(vec![
        throttled("600000"),
        Reply::Json(200, r#"{"BackupPlanId":"dbs2","RequestId":"ALI-3"}"#.into()),
    ])
    .await;
    dbs(config(&server, &timer)
        .total_timeout(None)
        .retry(RetryPolicy::standard().max_retry_after(Duration::from_secs(3600))))
    .create_backup_plan(plan())
    .await
    .unwrap();
    assert_eq!(timer.sleeps(), vec![Duration::from_secs(600)]);
}

#[test]
fn validation_errors_are_one_line_too() {
    let input = CreateDiskBackupInput::new("disk-1").disk_backup_name("a\nb".repeat(40));
    let err = input.validate().unwrap_err();
    assert!(!err.to_string().contains('\n'), "{err}");
}
