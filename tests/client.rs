//! Service clients against a real HTTP server on loopback: retries, idempotency tokens,
//! ambiguous failures, timeouts, rate limits, validation and error display.

mod support;

use std::sync::Arc;
use std::time::Duration;

use cloudbackup::alibaba::dbs::create_backup_plan::{
    BackupMethod, CreateBackupPlanInput, DatabaseType, InstanceClass, Period, Region,
};
use cloudbackup::client::{ConfigError, Error, RateLimitConfig, RetryPolicy, TransportErrorKind};
use cloudbackup::meta::CallLimit;
use cloudbackup::runtime::{
    AlibabaCredentials, HuaweiCredentials, ManualTimer, SequenceNonce, TencentCredentials,
};
use cloudbackup::tencent::Tc3CommonError;
use cloudbackup::tencent::cbs::{CreateDiskBackupError, CreateDiskBackupInput};
use cloudbackup::tencent::redis::ManualBackupInstanceInput;
use cloudbackup::{Config, alibaba, huawei, tencent};
use support::{Reply, Server, TickingClock, ali_err, ali_ok, api2_ok, tc3_err, tc3_ok};

const TENCENT_KEY: &str = "tencent-secret-key-value";
const ALI_SECRET: &str = "alibaba-secret-value";

fn base(server: &Server, timer: &Arc<ManualTimer>) -> Config {
    Config::new()
        .endpoint(server.endpoint())
        .timer(timer.clone())
        .clock(Arc::new(TickingClock::new(1_700_000_000)))
        .nonce_source(Arc::new(SequenceNonce::new(1)))
        .attempt_timeout(Duration::from_secs(10))
}

fn cbs(server: &Server, timer: &Arc<ManualTimer>) -> tencent::cbs::Client {
    tencent::cbs::Client::new(
        base(server, timer)
            .region("ap-guangzhou")
            .credentials(TencentCredentials::new("AKIDtest", TENCENT_KEY).with_token("tc-token")),
    )
    .expect("cbs client")
}

fn dbs(server: &Server, timer: &Arc<ManualTimer>) -> alibaba::dbs::Client {
    alibaba::dbs::Client::new(
        base(server, timer)
            .region("cn-hangzhou")
            .credentials(AlibabaCredentials::new("LTAItest", ALI_SECRET)),
    )
    .expect("dbs client")
}

fn plan() -> CreateBackupPlanInput {
    CreateBackupPlanInput::new(
        Region::CnHangzhou,
        DatabaseType::MySql,
        InstanceClass::Small,
        BackupMethod::Logical,
        Period::Month,
        1,
    )
}

#[tokio::test]
async fn retries_a_retryable_code_and_signs_each_attempt_afresh() {
    let server = Server::start(vec![
        tc3_err("ResourceBusy", "req-1"),
        tc3_err("InvalidDisk.Busy", "req-2"),
        tc3_ok("req-3"),
    ])
    .await;
    let timer = Arc::new(ManualTimer::new());
    let out = cbs(&server, &timer)
        .create_disk_backup(CreateDiskBackupInput::new("disk-1"))
        .await
        .expect("third attempt succeeds");
    assert_eq!(out.disk_backup_id.as_deref(), Some("dbp-1"));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    let stamps: Vec<_> = reqs.iter().map(|r| r.header("X-TC-Timestamp")).collect();
    assert!(
        stamps[0] != stamps[1] && stamps[1] != stamps[2],
        "{stamps:?}"
    );
    let auths: Vec<_> = reqs.iter().map(|r| r.header("Authorization")).collect();
    assert!(auths[0] != auths[1] && auths[1] != auths[2]);
    assert_eq!(reqs[0].header("X-TC-Token"), Some("tc-token"));
    assert_eq!(reqs[0].header("X-TC-Region"), Some("ap-guangzhou"));
    assert!(
        reqs[0]
            .header("User-Agent")
            .unwrap()
            .starts_with("cloudbackup/")
    );
    // Two backoffs, through the injected timer, growing.
    let sleeps = timer.sleeps();
    assert_eq!(sleeps.len(), 2);
    assert!(sleeps[0] >= Duration::from_millis(100) && sleeps[1] >= Duration::from_millis(200));
}

#[tokio::test]
async fn does_not_retry_a_non_retryable_code_and_displays_it_in_one_line() {
    let server = Server::start(vec![tc3_err("InvalidDiskId.NotFound", "req-nf")]).await;
    let timer = Arc::new(ManualTimer::new());
    let err = cbs(&server, &timer)
        .create_disk_backup(CreateDiskBackupInput::new("disk-x"))
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 1);
    assert!(matches!(
        err,
        Error::Service(CreateDiskBackupError::InvalidDiskIdNotFound(_))
    ));
    assert_eq!(err.request_id(), Some("req-nf"));
    let shown = err.to_string();
    assert_eq!(
        shown,
        "service error InvalidDiskId.NotFound: msg of InvalidDiskId.NotFound (request id req-nf, HTTP 200)"
    );
    assert!(!shown.contains('\n'));
}

#[tokio::test]
async fn retries_stop_at_max_attempts() {
    let server = Server::start(vec![tc3_err("RequestLimitExceeded", "r")]).await;
    let timer = Arc::new(ManualTimer::new());
    let client = tencent::cbs::Client::new(
        base(&server, &timer)
            .region("ap-guangzhou")
            .credentials(TencentCredentials::new("AKIDtest", TENCENT_KEY))
            .retry(RetryPolicy::standard().max_attempts(4)),
    )
    .unwrap();
    let err = client
        .create_disk_backup(CreateDiskBackupInput::new("disk-1"))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Service(CreateDiskBackupError::Common(
            Tc3CommonError::RequestLimitExceeded(_)
        ))
    ));
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn retry_budget_limits_retries_across_calls() {
    let server = Server::start(vec![tc3_err("ResourceBusy", "r")]).await;
    let timer = Arc::new(ManualTimer::new());
    let client = tencent::cbs::Client::new(
        base(&server, &timer)
            .region("ap-guangzhou")
            .credentials(TencentCredentials::new("AKIDtest", TENCENT_KEY))
            .retry(RetryPolicy::standard().max_attempts(10).budget(Some(12))),
    )
    .unwrap();
    let _ = client
        .create_disk_backup(CreateDiskBackupInput::new("d"))
        .await;
    // 12 tokens pay for two retries of 5 tokens: three attempts.
    assert_eq!(server.requests().len(), 3);
    assert_eq!(client.service_client().retry_budget_remaining(), Some(2));
    let _ = client
        .create_disk_backup(CreateDiskBackupInput::new("d"))
        .await;
    assert_eq!(server.requests().len(), 4, "no budget left: no retry");
}

#[tokio::test]
async fn client_token_is_reused_while_nonce_and_date_change() {
    let server = Server::start(vec![
        ali_err(400, "Throttling"),
        ali_err(503, "ServiceUnavailable"),
        ali_ok(),
    ])
    .await;
    let timer = Arc::new(ManualTimer::new());
    let out = dbs(&server, &timer)
        .create_backup_plan(plan())
        .await
        .expect("succeeds on the third attempt");
    assert_eq!(out.backup_plan_id.as_deref(), Some("dbs1"));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    let tokens: Vec<_> = reqs.iter().map(|r| r.query("ClientToken")).collect();
    assert!(tokens[0].is_some());
    assert!(tokens.iter().all(|t| *t == tokens[0]), "{tokens:?}");
    let nonces: Vec<_> = reqs
        .iter()
        .map(|r| r.header("x-acs-signature-nonce").unwrap().to_owned())
        .collect();
    let dates: Vec<_> = reqs
        .iter()
        .map(|r| r.header("x-acs-date").unwrap().to_owned())
        .collect();
    for i in 1..3 {
        assert_ne!(nonces[i], nonces[i - 1]);
        assert_ne!(dates[i], dates[i - 1]);
    }
    assert!(
        reqs[0]
            .header("Authorization")
            .unwrap()
            .starts_with("ACS3-HMAC-SHA256 Credential=LTAItest,")
    );
}

#[tokio::test]
async fn a_caller_supplied_client_token_is_kept() {
    let server = Server::start(vec![ali_ok()]).await;
    let timer = Arc::new(ManualTimer::new());
    dbs(&server, &timer)
        .create_backup_plan(plan().client_token("my-token-1"))
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].query("ClientToken").as_deref(),
        Some("my-token-1")
    );
}

#[tokio::test]
async fn non_idempotent_action_is_not_retried_after_an_ambiguous_failure() {
    let server = Server::start(vec![Reply::Close, tc3_ok("never")]).await;
    let timer = Arc::new(ManualTimer::new());
    let err = cbs(&server, &timer)
        .create_disk_backup(CreateDiskBackupInput::new("disk-1"))
        .await
        .unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("expected a transport error, got {err:?}");
    };
    assert!(t.maybe_sent);
    assert_eq!(t.attempts, 1);
    assert_eq!(
        server.requests().len(),
        1,
        "CreateDiskBackup must not be resent"
    );
}

#[tokio::test]
async fn idempotent_action_is_retried_after_an_ambiguous_failure() {
    let server = Server::start(vec![Reply::Close, ali_ok()]).await;
    let timer = Arc::new(ManualTimer::new());
    dbs(&server, &timer)
        .create_backup_plan(plan())
        .await
        .expect("retried with the same ClientToken");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].query("ClientToken"), reqs[1].query("ClientToken"));
}

#[tokio::test]
async fn connect_failures_are_retried_even_for_non_idempotent_actions() {
    // A port with nothing listening.
    let addr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let timer = Arc::new(ManualTimer::new());
    let client = tencent::cbs::Client::new(
        Config::new()
            .endpoint(format!("http://{addr}"))
            .credentials(TencentCredentials::new("AKIDtest", TENCENT_KEY))
            .timer(timer.clone()),
    )
    .unwrap();
    let err = client
        .create_disk_backup(CreateDiskBackupInput::new("d"))
        .await
        .unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("expected a transport error, got {err:?}");
    };
    assert_eq!(t.kind, TransportErrorKind::Connect);
    assert!(!t.maybe_sent);
    assert_eq!(t.attempts, 3);
    assert_eq!(timer.sleeps().len(), 2);
    assert!(!err.to_string().contains(TENCENT_KEY));
}

#[tokio::test]
async fn an_attempt_times_out() {
    let server = Server::start(vec![Reply::Hang]).await;
    let timer = Arc::new(ManualTimer::new());
    let client = tencent::cbs::Client::new(
        base(&server, &timer)
            .credentials(TencentCredentials::new("AKIDtest", TENCENT_KEY))
            .attempt_timeout(Duration::from_millis(300)),
    )
    .unwrap();
    let err = client
        .create_disk_backup(CreateDiskBackupInput::new("d"))
        .await
        .unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("expected a timeout, got {err:?}");
    };
    assert_eq!(t.kind, TransportErrorKind::Timeout);
    assert!(t.maybe_sent);
    assert_eq!(
        server.requests().len(),
        1,
        "a timed-out non-idempotent call is not resent"
    );
}

#[tokio::test]
async fn an_idempotent_call_retries_after_a_timeout() {
    let server = Server::start(vec![Reply::Hang, ali_ok()]).await;
    let timer = Arc::new(ManualTimer::new());
    let client = alibaba::dbs::Client::new(
        base(&server, &timer)
            .credentials(AlibabaCredentials::new("LTAItest", ALI_SECRET))
            .attempt_timeout(Duration::from_millis(300)),
    )
    .unwrap();
    client.create_backup_plan(plan()).await.unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn invalid_requests_are_not_sent() {
    let server = Server::start(vec![tc3_ok("r")]).await;
    let timer = Arc::new(ManualTimer::new());
    let input = CreateDiskBackupInput::new("d").disk_backup_name("x".repeat(101));
    let err = cbs(&server, &timer)
        .create_disk_backup(input.clone())
        .await
        .unwrap_err();
    let Error::Validation(v) = &err else {
        panic!("expected validation, got {err:?}");
    };
    assert!(v.concerns("DiskBackupName"));
    assert!(server.requests().is_empty());
    // Validation off: sent as built.
    let client = tencent::cbs::Client::new(
        base(&server, &timer)
            .credentials(TencentCredentials::new("AKIDtest", TENCENT_KEY))
            .validation(cloudbackup::ValidationMode::Off),
    )
    .unwrap();
    client.create_disk_backup(input).await.unwrap();
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn cbs_waits_for_a_rate_limit_slot() {
    let server = Server::start(vec![tc3_ok("r")]).await;
    let timer = Arc::new(ManualTimer::new());
    let client = cbs(&server, &timer);
    for _ in 0..25 {
        client
            .create_disk_backup(CreateDiskBackupInput::new("d"))
            .await
            .unwrap();
    }
    assert_eq!(server.requests().len(), 25);
    // 20 per second: the 21st call waited until the first left the window.
    let waited: Duration = timer.sleeps().iter().sum();
    assert!(waited >= Duration::from_secs(1), "waited {waited:?}");
    assert!(cloudbackup::runtime::Timer::now(timer.as_ref()) >= Duration::from_secs(1));
}

#[tokio::test]
async fn redis_refuses_the_25th_call_of_the_day_before_sending() {
    let server = Server::start(vec![api2_ok()]).await;
    let timer = Arc::new(ManualTimer::new());
    let client = tencent::redis::Client::new(
        base(&server, &timer)
            .region("ap-guangzhou")
            .credentials(TencentCredentials::new("AKIDtest", TENCENT_KEY)),
    )
    .unwrap();
    for _ in 0..24 {
        let out = client
            .manual_backup_instance(ManualBackupInstanceInput::new("crs-1"))
            .await
            .unwrap();
        assert_eq!(out.task_id, Some(375062));
    }
    let err = client
        .manual_backup_instance(ManualBackupInstanceInput::new("crs-1"))
        .await
        .unwrap_err();
    let Error::Throttled(t) = &err else {
        panic!("expected local throttling, got {err:?}");
    };
    assert_eq!((t.max_calls, t.per_seconds), (24, 86_400));
    assert!(err.to_string().contains("at most 24 calls per 86400 s"));
    assert_eq!(server.requests().len(), 24, "the 25th call was not sent");
    assert!(timer.sleeps().is_empty(), "long windows refuse, never wait");
    // A day later the window has room again.
    timer.advance(Duration::from_secs(86_400));
    client
        .manual_backup_instance(ManualBackupInstanceInput::new("crs-1"))
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 25);
    let r = &server.requests()[0];
    assert_eq!(r.method, "GET");
    assert!(r.target.starts_with("/v2/index.php?"));
    assert_eq!(r.query("Action").as_deref(), Some("ManualBackupInstance"));
    assert_eq!(r.query("redisId").as_deref(), Some("crs-1"));
}

#[tokio::test]
async fn rate_limits_can_be_switched_off_or_overridden() {
    let server = Server::start(vec![api2_ok()]).await;
    let timer = Arc::new(ManualTimer::new());
    let creds = TencentCredentials::new("AKIDtest", TENCENT_KEY);
    let off = tencent::redis::Client::new(
        base(&server, &timer)
            .credentials(creds.clone())
            .rate_limits(RateLimitConfig::off()),
    )
    .unwrap();
    for _ in 0..30 {
        off.manual_backup_instance(ManualBackupInstanceInput::new("crs-1"))
            .await
            .unwrap();
    }
    let two = tencent::redis::Client::new(base(&server, &timer).credentials(creds).rate_limits(
        RateLimitConfig::spec().with_override(
            "ManualBackupInstance",
            vec![CallLimit {
                max_calls: 2,
                per_seconds: 3600,
            }],
        ),
    ))
    .unwrap();
    for _ in 0..2 {
        two.manual_backup_instance(ManualBackupInstanceInput::new("crs-1"))
            .await
            .unwrap();
    }
    assert!(matches!(
        two.manual_backup_instance(ManualBackupInstanceInput::new("crs-1"))
            .await,
        Err(Error::Throttled(_))
    ));
    assert_eq!(server.requests().len(), 32);
}

#[tokio::test]
async fn sqlserver_api2_sends_a_signed_query_with_the_token() {
    let server = Server::start(vec![api2_ok()]).await;
    let timer = Arc::new(ManualTimer::new());
    let client = tencent::sqlserver::Client::new(
        base(&server, &timer)
            .region("ap-guangzhou")
            .credentials(TencentCredentials::new("AKIDtest", TENCENT_KEY).with_token("tmp-tok")),
    )
    .unwrap();
    client
        .create_backup(tencent::sqlserver::CreateBackupInput::new("mssql-1"))
        .await
        .unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.query("Token").as_deref(), Some("tmp-tok"));
    assert_eq!(r.query("Region").as_deref(), Some("ap-guangzhou"));
    assert!(r.query("Signature").is_some() && r.query("Nonce").is_some());
}

#[tokio::test]
async fn koophone_sends_the_iam_token_and_a_fresh_request_id_per_attempt() {
    let server = Server::start(vec![
        Reply::Json(
            429,
            r#"{"error_code":"APIG.0308","error_msg":"throttled"}"#.into(),
        ),
        Reply::Json(
            200,
            r#"{"error_code":"0","error_msg":"OK","data":{"task_id":"t-1","cmd_jobs":[]}}"#.into(),
        ),
    ])
    .await;
    let timer = Arc::new(ManualTimer::new());
    let client = huawei::koophone::Client::new(
        base(&server, &timer).credentials(HuaweiCredentials::token("iam-token-value")),
    )
    .unwrap();
    let input = huawei::koophone::BatchBackupInstancesInput::new(["i-1", "i-2"]);
    let result = client.batch_backup_instances(input).await;
    let reqs = server.requests();
    assert_eq!(reqs[0].header("x-auth-token"), Some("iam-token-value"));
    assert_eq!(reqs[0].target, "/v1/instances/backup");
    // HTTP 429 means "not applied": retried even though the action is not idempotent.
    let out = result.expect("retried after 429");
    assert_eq!(reqs.len(), 2);
    assert_ne!(
        reqs[0].header("x-request-id"),
        reqs[1].header("x-request-id")
    );
    assert_eq!(out.data.unwrap().task_id.as_deref(), Some("t-1"));
}

#[test]
fn koophone_without_endpoint_is_a_clear_error() {
    let err = huawei::koophone::Client::new(
        Config::new()
            .region("ap-southeast-1")
            .credentials(HuaweiCredentials::token("t")),
    )
    .unwrap_err();
    assert!(matches!(err, ConfigError::NoEndpoint { .. }));
    assert!(err.to_string().contains("give one explicitly"));
}

#[test]
fn credentials_of_another_provider_are_refused() {
    let err = tencent::cbs::Client::new(
        Config::new().credentials(AlibabaCredentials::new("LTAI", ALI_SECRET)),
    )
    .unwrap_err();
    assert_eq!(
        err,
        ConfigError::CredentialsMismatch {
            expected: "tencent",
            got: "alibaba"
        }
    );
}

#[tokio::test]
async fn no_secret_in_debug_or_display_of_config_client_and_errors() {
    let server = Server::start(vec![tc3_err("AuthFailure.SignatureFailure", "r")]).await;
    let timer = Arc::new(ManualTimer::new());
    let config = base(&server, &timer).credentials(
        TencentCredentials::new("AKIDtest", TENCENT_KEY).with_token("tc-token-secret"),
    );
    let client = tencent::cbs::Client::new(config.clone()).unwrap();
    let err = client
        .create_disk_backup(CreateDiskBackupInput::new("d"))
        .await
        .unwrap_err();
    let all = format!("{config:?} {client:?} {err:?} {err}");
    for secret in [TENCENT_KEY, "tc-token-secret"] {
        assert!(!all.contains(secret), "{secret} leaked");
    }
    assert!(all.contains("AKIDtest"));
}

#[tokio::test]
async fn the_total_timeout_stops_retries() {
    let server = Server::start(vec![tc3_err("ResourceBusy", "r")]).await;
    let timer = Arc::new(ManualTimer::new());
    let client = tencent::cbs::Client::new(
        base(&server, &timer)
            .credentials(TencentCredentials::new("AKIDtest", TENCENT_KEY))
            .retry(
                RetryPolicy::standard()
                    .max_attempts(10)
                    .initial_backoff(Duration::from_secs(1)),
            )
            .total_timeout(Some(Duration::from_millis(2500))),
    )
    .unwrap();
    let err = client
        .create_disk_backup(CreateDiskBackupInput::new("d"))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Service(CreateDiskBackupError::ResourceBusy(_))
    ));
    // Backoffs of 0.5–1 s then 1–2 s fit in 2.5 s at most twice; never a fourth attempt.
    let n = server.requests().len();
    assert!((2..=3).contains(&n), "{n} attempts");
}
