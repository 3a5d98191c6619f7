//! The environment and profile-file steps of the credential chain, and the region, without a
//! server: injected variables and a temporary home directory per test.

use std::path::{Path, PathBuf};

use cloudbackup::client::credentials::{alibaba_from_env, huawei_from_env, tencent_from_env};
use cloudbackup::client::{ConfigError, Env};
use cloudbackup::runtime::{AlibabaCredentials, HuaweiCredentials, TencentCredentials};
use cloudbackup::{Config, alibaba, huawei, tencent};

fn temp_home(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("lookup-{name}"));
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

fn cbs(config: Config) -> Result<tencent::cbs::Client, ConfigError> {
    tencent::cbs::Client::new(config)
}

#[test]
fn tencent_reads_tccli_token_and_region_variables() {
    let env = Env::new(
        [
            ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
            ("TENCENTCLOUD_SECRET_KEY", "env-key"),
            ("TENCENTCLOUD_TOKEN", "tccli-token"),
            ("TENCENTCLOUD_REGION", "ap-shanghai"),
        ],
        None,
    );
    let c = tencent_from_env(&env).unwrap();
    assert_eq!(c.token().unwrap().expose(), "tccli-token");
    let client = cbs(Config::new().env(env)).unwrap();
    assert_eq!(client.service_client().region(), Some("ap-shanghai"));
    assert_eq!(
        client.service_client().endpoint().host,
        "cbs.ap-shanghai.tencentcloudapi.com"
    );
}

#[test]
fn a_tccli_profile_gives_credentials_and_region_and_a_named_one_skips_the_environment() {
    let home = temp_home("tccli-profiles");
    write(
        &home,
        ".tccli/default.credential",
        r#"{"secretId": "AKIDdefault", "secretKey": "default-key"}"#,
    );
    write(
        &home,
        ".tccli/default.configure",
        r#"{"_sys_param": {"region": "ap-beijing", "output": "json"}, "cbs": {"endpoint": "cbs.tencentcloudapi.com"}}"#,
    );
    write(
        &home,
        ".tccli/work.credential",
        r#"{"secretId": "AKIDwork", "secretKey": "work-key", "token": "work-token"}"#,
    );
    // An older file: the region at the top level.
    write(
        &home,
        ".tccli/work.configure",
        r#"{"region": "ap-chengdu"}"#,
    );
    let env = Env::new(
        [
            ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
            ("TENCENTCLOUD_SECRET_KEY", "env-key"),
            ("TENCENTCLOUD_REGION", "ap-shanghai"),
        ],
        Some(home.clone()),
    );
    // The environment wins over the default profile, for keys and region.
    let c = cbs(Config::new().env(env.clone())).unwrap();
    assert_eq!(c.service_client().region(), Some("ap-shanghai"));
    // A named profile skips the environment, for keys and region.
    let c = cbs(Config::new().env(env).profile("work")).unwrap();
    assert_eq!(c.service_client().region(), Some("ap-chengdu"));
    // Without variables, the default profile; an explicit region wins over it.
    let bare = Env::new(NO_VARS, Some(home.clone()));
    let c = cbs(Config::new().env(bare.clone())).unwrap();
    assert_eq!(c.service_client().region(), Some("ap-beijing"));
    let c = cbs(Config::new().env(bare.clone()).region("ap-guangzhou")).unwrap();
    assert_eq!(c.service_client().region(), Some("ap-guangzhou"));
    // TCCLI_PROFILE selects too (for keys and region).
    let by_var = Env::new([("TCCLI_PROFILE", "work")], Some(home.clone()));
    assert_eq!(tencent_from_env(&by_var).unwrap().secret_id(), "AKIDwork");
    // A missing named profile is reported with the files looked at.
    let err = cbs(Config::new().env(bare).profile("nope")).unwrap_err();
    let s = err.to_string();
    assert!(
        s.contains("nope.credential") && s.contains("instance metadata is off"),
        "{s}"
    );
}

#[test]
fn a_profile_that_designates_a_role_needs_a_client() {
    let home = temp_home("tccli-role");
    write(
        &home,
        ".tccli/default.credential",
        r#"{"secretId": "AKIDbase", "secretKey": "base-key", "role-arn": "qcs::cam::uin/100000000001:roleName/backup", "role-session-name": "nightly"}"#,
    );
    let env = Env::new(NO_VARS, Some(home.clone()));
    let err = tencent_from_env(&env).unwrap_err();
    assert!(err.to_string().contains("designates a role"), "{err}");
    // The client takes it (the STS call happens on the first attempt).
    cbs(Config::new().env(env).region("ap-guangzhou")).unwrap();
    write(
        &home,
        ".tccli/default.credential",
        r#"{"type": "cvm-role"}"#,
    );
    let env = Env::new(NO_VARS, Some(home));
    cbs(Config::new().env(env).region("ap-guangzhou")).unwrap();
}

#[test]
fn aliyun_profiles_give_keys_roles_and_region() {
    let home = temp_home("aliyun-modes");
    write(
        &home,
        ".aliyun/config.json",
        r#"{"current": "ak", "profiles": [
            {"name": "ak", "mode": "AK", "access_key_id": "LTAIak", "access_key_secret": "ak-secret", "region_id": "cn-beijing"},
            {"name": "role", "mode": "RamRoleArn", "access_key_id": "LTAIrole", "access_key_secret": "role-secret",
             "ram_role_arn": "acs:ram::1000000000000001:role/backup", "ram_session_name": "s1", "expired_seconds": 900, "region_id": "ap-southeast-1"},
            {"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "ak", "ram_role_arn": "acs:ram::1000000000000001:role/backup", "region_id": "cn-hangzhou"},
            {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "backup-role"},
            {"name": "sso", "mode": "CloudSSO"}
        ]}"#,
    );
    let env = Env::new(NO_VARS, Some(home.clone()));
    let c = alibaba_from_env(&env).unwrap();
    assert_eq!(c.access_key_id(), "LTAIak");
    let dbs =
        |profile: &str| alibaba::dbs::Client::new(Config::new().env(env.clone()).profile(profile));
    // The profile's region picks the endpoint.
    assert_eq!(
        dbs("ak").unwrap().service_client().endpoint().host,
        "dbs-api.cn-hangzhou.aliyuncs.com"
    );
    assert_eq!(
        dbs("role").unwrap().service_client().region(),
        Some("ap-southeast-1")
    );
    dbs("chain").unwrap();
    // The ECS role profile has no region; a named profile skips the region variable too.
    let with_region = Env::new(
        [("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou")],
        Some(home.clone()),
    );
    let err = alibaba::dbs::Client::new(Config::new().env(with_region.clone()).profile("ecs"))
        .unwrap_err();
    assert!(matches!(err, ConfigError::MissingRegion { .. }), "{err:?}");
    alibaba::dbs::Client::new(
        Config::new()
            .env(with_region)
            .profile("ecs")
            .region("cn-hangzhou"),
    )
    .unwrap();
    let err = dbs("sso").unwrap_err().to_string();
    assert!(
        err.contains("mode `CloudSSO`") && err.contains("RamRoleArn"),
        "{err}"
    );
    // ALIBABA_CLOUD_CONFIG_FILE names another file.
    write(
        &home,
        "elsewhere.json",
        r#"{"current": "x", "profiles": [{"name": "x", "mode": "StsToken", "access_key_id": "STS.x", "access_key_secret": "x-secret", "sts_token": "x-token"}]}"#,
    );
    let other = Env::new(
        [(
            "ALIBABA_CLOUD_CONFIG_FILE",
            home.join("elsewhere.json").to_str().unwrap(),
        )],
        Some(home),
    );
    assert_eq!(
        alibaba_from_env(&other)
            .unwrap()
            .security_token()
            .unwrap()
            .expose(),
        "x-token"
    );
}

#[test]
fn alibaba_region_variable_and_role_variables() {
    let env = Env::new(
        [
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
            ("ALIBABA_CLOUD_REGION_ID", "ap-southeast-1"),
        ],
        None,
    );
    let c = alibaba::dbs::Client::new(Config::new().env(env)).unwrap();
    assert_eq!(
        c.service_client().endpoint().host,
        "dbs-api.ap-southeast-1.aliyuncs.com"
    );
    let role = Env::new(
        [
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
            ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r"),
        ],
        None,
    );
    assert!(
        alibaba_from_env(&role)
            .unwrap_err()
            .to_string()
            .contains("designates a role")
    );
}

#[test]
fn huawei_reads_the_sdk_credentials_file_and_its_region_variable() {
    let home = temp_home("huawei-file");
    write(
        &home,
        ".huaweicloud/credentials",
        "[global]\nak = GLOBALAK\nsk = global-sk\n\n[basic]\nak = BASICAK\nsk = basic-sk\nsecurity_token = basic-token\nproject_id = p1\n",
    );
    let env = Env::new(
        [("HUAWEICLOUD_SDK_REGION", "ap-southeast-1")],
        Some(home.clone()),
    );
    let c = huawei_from_env(&env).unwrap();
    assert!(matches!(
        c,
        HuaweiCredentials::AkSk { ref access_key, security_token: Some(ref t), .. }
            if access_key == "BASICAK" && t.expose() == "basic-token"
    ));
    let client =
        huawei::koophone::Client::new(Config::new().env(env).endpoint("http://127.0.0.1:9"))
            .unwrap();
    assert_eq!(client.service_client().region(), Some("ap-southeast-1"));
    write(
        &home,
        ".huaweicloud/credentials",
        "[global]\nak = X\nsk = y\n",
    );
    let err = huawei_from_env(&Env::new(NO_VARS, Some(home))).unwrap_err();
    assert!(err.to_string().contains("no ak and sk in [basic]"), "{err}");
}

#[test]
fn explicit_credentials_win_and_mismatches_and_roles_are_checked() {
    // Explicit credentials: a malformed profile file does not matter.
    let home = temp_home("explicit");
    write(&home, ".tccli/default.credential", "{not json");
    let env = Env::new(NO_VARS, Some(home));
    cbs(Config::new()
        .env(env.clone())
        .region("ap-guangzhou")
        .credentials(TencentCredentials::new("AKIDx", "x-key")))
    .unwrap();
    let err = cbs(Config::new().env(env).region("ap-guangzhou")).unwrap_err();
    assert!(err.to_string().contains("is not JSON"), "{err}");
    let err = cbs(Config::new()
        .region("ap-guangzhou")
        .credentials(AlibabaCredentials::new("LTAI", "s")))
    .unwrap_err();
    assert!(matches!(err, ConfigError::CredentialsMismatch { .. }));
    let err = cbs(Config::new()
        .region("ap-guangzhou")
        .credentials(TencentCredentials::new("AKIDx", "x-key"))
        .assume_role(cloudbackup::client::AssumeRole::huawei_agency("d", "a")))
    .unwrap_err();
    assert!(matches!(err, ConfigError::Role(_)), "{err:?}");
}
