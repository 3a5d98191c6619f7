//! Client configuration without a server: credentials from injected environments and profile
//! files, region → endpoint resolution, the rate limiter on tokio's paused clock, and one
//! cargo feature per spec'd service.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use cloudbackup::client::credentials::{alibaba_from_env, huawei_from_env, tencent_from_env};
use cloudbackup::client::{ConfigError, Env, RateLimiter, parse_endpoint, resolve_endpoint};
use cloudbackup::meta::CallLimit;
use cloudbackup::runtime::{HuaweiCredentials, Timer, TokioTimer};
use cloudbackup::{Config, alibaba, huawei, tencent};

/// A fresh directory under `target/` standing in for a home directory.
fn temp_home(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("home-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(home: &Path, rel: &str, text: &str) {
    let p = home.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const NO_VARS: [(&str, &str); 0] = [];

#[test]
fn tencent_credentials_from_env_vars() {
    let env = Env::new(
        [
            ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
            ("TENCENTCLOUD_SECRET_KEY", "env-key"),
            ("TENCENTCLOUD_SESSION_TOKEN", "env-token"),
        ],
        None,
    );
    let c = tencent_from_env(&env).unwrap();
    assert_eq!(c.secret_id(), "AKIDenv");
    assert_eq!(c.secret_key().expose(), "env-key");
    assert_eq!(c.token().unwrap().expose(), "env-token");
    assert!(!format!("{env:?}").contains("env-key"));
}

#[test]
fn tencent_credentials_from_tccli_profile_then_sdk_ini() {
    let home = temp_home("tccli");
    write(
        &home,
        ".tccli/work.credential",
        r#"{"secretId": "AKIDcli", "secretKey": "cli-key", "token": "cli-tok"}"#,
    );
    let env = Env::new([("TENCENTCLOUD_PROFILE", "work")], Some(home.clone()));
    let c = tencent_from_env(&env).unwrap();
    assert_eq!(c.secret_id(), "AKIDcli");
    assert_eq!(c.token().unwrap().expose(), "cli-tok");

    write(
        &home,
        ".tencentcloud/credentials",
        "[default]\nsecret_id = AKIDini\nsecret_key = ini-key\n",
    );
    let c = tencent_from_env(&Env::new(NO_VARS, Some(home))).unwrap();
    assert_eq!(c.secret_id(), "AKIDini");
    assert_eq!(c.secret_key().expose(), "ini-key");
}

#[test]
fn missing_credentials_name_every_place_looked_at() {
    let home = temp_home("empty");
    let err = tencent_from_env(&Env::new(NO_VARS, Some(home))).unwrap_err();
    let s = err.to_string();
    for name in [
        "TENCENTCLOUD_SECRET_ID",
        "TENCENTCLOUD_SECRET_KEY",
        "TENCENTCLOUD_SESSION_TOKEN",
        ".tccli/default.credential",
        ".tencentcloud/credentials",
    ] {
        assert!(s.contains(name), "{name} missing from: {s}");
    }
    let err = alibaba_from_env(&Env::new(NO_VARS, None)).unwrap_err();
    assert!(err.to_string().contains("ALIBABA_CLOUD_ACCESS_KEY_ID"));
    let err = huawei_from_env(&Env::new(NO_VARS, None)).unwrap_err();
    let s = err.to_string();
    assert!(s.contains("HUAWEICLOUD_SDK_AK") && s.contains("HUAWEICLOUD_IAM_TOKEN"));
    // The client reports the same, as a configuration error.
    let err = tencent::cbs::Client::new(Config::new().env(Env::new(NO_VARS, None))).unwrap_err();
    assert!(matches!(err, ConfigError::Credentials(_)));
    assert!(err.to_string().contains("TENCENTCLOUD_SECRET_ID"));
}

#[test]
fn half_a_key_pair_is_reported_without_the_value() {
    let env = Env::new([("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "lonely-secret")], None);
    let err = alibaba_from_env(&env).unwrap_err();
    let s = err.to_string();
    assert!(
        s.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but ALIBABA_CLOUD_ACCESS_KEY_ID is not")
    );
    assert!(!s.contains("lonely-secret"));
}

#[test]
fn alibaba_credentials_from_env_and_aliyun_config() {
    let env = Env::new(
        [
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", "sts"),
        ],
        None,
    );
    let c = alibaba_from_env(&env).unwrap();
    assert_eq!(c.access_key_id(), "LTAIenv");
    assert_eq!(c.security_token().unwrap().expose(), "sts");

    let home = temp_home("aliyun");
    write(
        &home,
        ".aliyun/config.json",
        r#"{"current": "main", "profiles": [
            {"name": "main", "mode": "AK", "access_key_id": "LTAIcfg", "access_key_secret": "cfg-secret", "region_id": "cn-hangzhou"},
            {"name": "temp", "mode": "StsToken", "access_key_id": "STS.id", "access_key_secret": "sts-secret", "sts_token": "sts-tok"}
        ]}"#,
    );
    let c = alibaba_from_env(&Env::new(NO_VARS, Some(home.clone()))).unwrap();
    assert_eq!(c.access_key_id(), "LTAIcfg");
    assert!(c.security_token().is_none());
    let c = alibaba_from_env(&Env::new(
        [("ALIBABA_CLOUD_PROFILE", "temp")],
        Some(home.clone()),
    ))
    .unwrap();
    assert_eq!(c.security_token().unwrap().expose(), "sts-tok");
    let err =
        alibaba_from_env(&Env::new([("ALIBABA_CLOUD_PROFILE", "nope")], Some(home))).unwrap_err();
    assert!(err.to_string().contains("no profile `nope`"));
}

#[test]
fn huawei_credentials_from_env() {
    let c = huawei_from_env(&Env::new(
        [
            ("HUAWEICLOUD_SDK_AK", "HWAK"),
            ("HUAWEICLOUD_SDK_SK", "hw-sk"),
            ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "hw-tok"),
        ],
        None,
    ))
    .unwrap();
    assert!(matches!(
        c,
        HuaweiCredentials::AkSk { ref access_key, security_token: Some(_), .. } if access_key == "HWAK"
    ));
    let c = huawei_from_env(&Env::new([("HUAWEICLOUD_IAM_TOKEN", "iam")], None)).unwrap();
    assert!(matches!(c, HuaweiCredentials::Token(ref t) if t.expose() == "iam"));
}

#[test]
fn region_endpoints_follow_the_specs() {
    let host = |s, r| resolve_endpoint(s, Some(r), None).map(|e| e.host);
    // DBS: many regions are served by the cn-hangzhou endpoint.
    assert_eq!(
        host(&alibaba::dbs::SERVICE, "cn-beijing").unwrap(),
        "dbs-api.cn-hangzhou.aliyuncs.com"
    );
    assert_eq!(
        host(&alibaba::dbs::SERVICE, "ap-southeast-1").unwrap(),
        "dbs-api.ap-southeast-1.aliyuncs.com"
    );
    let err = host(&alibaba::dbs::SERVICE, "mars-north-1").unwrap_err();
    assert!(matches!(err, ConfigError::UnknownRegion { .. }));
    let s = err.to_string();
    assert!(s.contains("alibaba/dbs") && s.contains("mars-north-1") && s.contains("cn-hangzhou"));
    // CBS: listed regions get their own host, others the global one.
    assert_eq!(
        host(&tencent::cbs::SERVICE, "ap-guangzhou").unwrap(),
        "cbs.ap-guangzhou.tencentcloudapi.com"
    );
    assert_eq!(
        host(&tencent::cbs::SERVICE, "na-ashburn").unwrap(),
        "cbs.intl.tencentcloudapi.com"
    );
    assert_eq!(
        host(&tencent::redis::SERVICE, "ap-guangzhou").unwrap(),
        "redis.api.qcloud.com"
    );
    assert!(matches!(
        resolve_endpoint(&huawei::koophone::SERVICE, Some("ap-southeast-1"), None),
        Err(ConfigError::NoEndpoint { .. })
    ));
    assert!(matches!(
        resolve_endpoint(&alibaba::dbs::SERVICE, None, None),
        Err(ConfigError::MissingRegion { .. })
    ));
    // An explicit endpoint wins over the region, even an unknown one.
    let e = resolve_endpoint(
        &alibaba::dbs::SERVICE,
        Some("mars-north-1"),
        Some("http://127.0.0.1:8080"),
    )
    .unwrap();
    assert_eq!(
        (e.scheme.as_str(), e.host.as_str()),
        ("http", "127.0.0.1:8080")
    );
    // Through a client.
    let client = alibaba::dbs::Client::new(Config::new().region("cn-beijing").credentials(
        cloudbackup::runtime::AlibabaCredentials::new("id", "secret"),
    ))
    .unwrap();
    assert_eq!(
        client.service_client().endpoint().url("/"),
        "https://dbs-api.cn-hangzhou.aliyuncs.com/"
    );
}

#[test]
fn endpoint_overrides_are_parsed_strictly() {
    let ok = |s: &str| parse_endpoint(s).map(|e| format!("{}://{}", e.scheme, e.host));
    assert_eq!(
        ok("http://127.0.0.1:9000").unwrap(),
        "http://127.0.0.1:9000"
    );
    assert_eq!(
        ok("https://proxy.internal/").unwrap(),
        "https://proxy.internal"
    );
    assert_eq!(
        ok("cbs.tencentcloudapi.com").unwrap(),
        "https://cbs.tencentcloudapi.com"
    );
    assert_eq!(ok("http://[::1]:8080").unwrap(), "http://[::1]:8080");
    for bad in [
        "ftp://x",
        "http://",
        "http://host/path",
        "http://host:port",
        "http://user@host",
        "http://[::1",
    ] {
        assert!(
            matches!(
                parse_endpoint(bad),
                Err(ConfigError::InvalidEndpoint { .. })
            ),
            "{bad} accepted"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn short_window_limits_wait_on_the_paused_clock() {
    let timer: Arc<dyn Timer> = Arc::new(TokioTimer::new());
    let limiter = RateLimiter::new(
        "CreateDiskBackup",
        vec![CallLimit {
            max_calls: 20,
            per_seconds: 1,
        }],
        timer.clone(),
    );
    let start = timer.now();
    for _ in 0..20 {
        limiter.acquire().await.unwrap();
    }
    assert_eq!(
        timer.now() - start,
        Duration::ZERO,
        "the first 20 do not wait"
    );
    limiter.acquire().await.unwrap();
    assert_eq!(
        timer.now() - start,
        Duration::from_secs(1),
        "the 21st waits a second"
    );
    for _ in 0..19 {
        limiter.acquire().await.unwrap();
    }
    assert_eq!(timer.now() - start, Duration::from_secs(1));
    limiter.acquire().await.unwrap();
    assert_eq!(timer.now() - start, Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn long_window_limits_refuse_on_the_paused_clock() {
    let timer: Arc<dyn Timer> = Arc::new(TokioTimer::new());
    let limiter = RateLimiter::new(
        "ManualBackupInstance",
        vec![CallLimit {
            max_calls: 24,
            per_seconds: 86_400,
        }],
        timer,
    );
    for _ in 0..24 {
        limiter.acquire().await.unwrap();
        tokio::time::advance(Duration::from_secs(60)).await;
    }
    let refused = limiter.acquire().await.unwrap_err();
    assert_eq!(refused.max_calls, 24);
    // The first call ages out of the window a day after it was made.
    assert_eq!(refused.retry_after, Duration::from_secs(86_400 - 24 * 60));
    tokio::time::advance(refused.retry_after).await;
    limiter.acquire().await.unwrap();
}

/// Every spec'd service has its `<provider>-<service>` feature, enabled by default.
#[test]
fn every_specd_service_has_a_cargo_feature() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let features = manifest
        .split("\n[features]\n")
        .nth(1)
        .expect("Cargo.toml has a [features] table");
    let features = features.split("\n[").next().unwrap();
    let declared: Vec<&str> = features
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
        .collect();
    // `default = [...]`, on one line or several.
    let default = features
        .split_once("default = [")
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(list, _)| list)
        .expect("a default feature list");
    let mut services = Vec::new();
    for provider in std::fs::read_dir(root.join("specs")).unwrap() {
        let provider = provider.unwrap();
        if !provider.file_type().unwrap().is_dir() {
            continue;
        }
        for service in std::fs::read_dir(provider.path()).unwrap() {
            let service = service.unwrap();
            if service.file_type().unwrap().is_dir() {
                services.push(format!(
                    "{}-{}",
                    provider.file_name().to_string_lossy(),
                    // As `ir::feature_name` names them: `redis_v3` → `redis-v3`.
                    service.file_name().to_string_lossy().replace('_', "-")
                ));
            }
        }
    }
    assert!(services.len() >= 5, "{services:?}");
    for s in &services {
        assert!(
            declared.contains(&s.as_str()),
            "spec'd service `{s}` has no feature in Cargo.toml: add `{s} = []` and list it in `default`"
        );
        assert!(
            default.contains(&format!("\"{s}\"")),
            "feature `{s}` is not in the default features"
        );
    }
}
