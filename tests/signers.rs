//! Behaviour of the signers beyond the vendors' worked examples: wire placement (query vs
//! form body), tokens, the TC3 key cache, Huawei token mode, errors, and redaction.

use cloudbackup::runtime::acs_v2::{self, AcsV2Options};
use cloudbackup::runtime::encode::decode_pairs;
use cloudbackup::runtime::tc3::{self, Tc3KeyCache, Tc3Options};
use cloudbackup::runtime::{
    AlibabaCredentials, Clock, Endpoint, FixedNonce, HttpMethod, HuaweiCredentials, HuaweiSigned,
    MacKeyCache, NonceSource, OperationContext, RandomNonce, SequenceNonce, SignError, SystemClock,
    TencentCredentials, TencentV2Method, WireRequest, acs3, huawei, tencent_v2,
};

const SECRET: &str = "s3cr3t-KEY-value";
const TOKEN: &str = "t0ken-VALUE-xyz";

fn ctx(
    host: &str,
    action: &str,
    version: Option<&str>,
    region: Option<&str>,
    service: &str,
) -> OperationContext {
    OperationContext {
        endpoint: Endpoint::https(host),
        action: action.into(),
        version: version.map(Into::into),
        region: region.map(Into::into),
        service: service.into(),
    }
}

fn nonce() -> FixedNonce {
    FixedNonce {
        number: 4242,
        hex: "00112233445566778899aabbccddeeff".into(),
        uuid: "6f1c5a3e-2b7d-4c8e-9f10-112233445566".into(),
    }
}

fn assert_no_secrets(debug: &str) {
    for s in [SECRET, TOKEN] {
        assert!(!debug.contains(s), "{s} leaked in {debug}");
    }
}

fn sqlserver_backup(method: HttpMethod) -> WireRequest {
    let mut req = WireRequest::new(method, "/v2/index.php");
    req.params = vec![
        ("resourceId".into(), "mssql-abc".into()),
        ("strategy".into(), "1".into()),
        ("dbList.0".into(), "db one".into()),
        ("dbList.1".into(), "db+2/=".into()),
        ("Placement_Zone".into(), "ap-guangzhou-3".into()),
    ];
    req
}

#[test]
fn tencent_v2_get_puts_everything_in_the_query() {
    let c = ctx(
        "sqlserver.api.qcloud.com:443",
        "CreateBackup",
        None,
        Some("ap-guangzhou"),
        "sqlserver",
    );
    let creds = TencentCredentials::new("AKIDx", SECRET).with_token(TOKEN);
    let s = tencent_v2::sign_tencent_v2(
        &c,
        &sqlserver_backup(HttpMethod::Get),
        &creds,
        1_700_000_000,
        &nonce(),
        TencentV2Method::default(),
    )
    .unwrap();
    // Host without port; raw values; `_` in names becomes `.`; Token and SignatureMethod signed.
    assert_eq!(
        s.steps.string_to_sign,
        format!(
            "GETsqlserver.api.qcloud.com/v2/index.php?Action=CreateBackup&Nonce=4242&Placement.Zone=ap-guangzhou-3&Region=ap-guangzhou&SecretId=AKIDx&SignatureMethod=HmacSHA256&Timestamp=1700000000&Token={TOKEN}&dbList.0=db one&dbList.1=db+2/=&resourceId=mssql-abc&strategy=1"
        )
    );
    let (base, query) = s.request.url.split_once('?').unwrap();
    assert_eq!(base, "https://sqlserver.api.qcloud.com:443/v2/index.php");
    assert!(query.contains("dbList.1=db%2B2%2F%3D") && query.contains("dbList.0=db%20one"));
    let pairs = decode_pairs(query).unwrap();
    assert_eq!(
        pairs.last().unwrap(),
        &("Signature".to_owned(), s.steps.signature.clone())
    );
    assert_eq!(s.steps.signature.len(), 44, "base64 of a SHA-256 HMAC");
    assert!(s.request.body.is_empty() && s.request.header("Content-Type").is_none());
    assert_no_secrets(&format!("{s:?}"));
}

#[test]
fn tencent_v2_post_sends_a_form_body() {
    let c = ctx(
        "sqlserver.api.qcloud.com",
        "CreateBackup",
        None,
        None,
        "sqlserver",
    );
    let creds = TencentCredentials::new("AKIDx", SECRET);
    let get = tencent_v2::sign_tencent_v2(
        &c,
        &sqlserver_backup(HttpMethod::Get),
        &creds,
        1,
        &nonce(),
        TencentV2Method::HmacSha1,
    )
    .unwrap();
    let post = tencent_v2::sign_tencent_v2(
        &c,
        &sqlserver_backup(HttpMethod::Post),
        &creds,
        1,
        &nonce(),
        TencentV2Method::HmacSha1,
    )
    .unwrap();
    assert_eq!(
        post.request.url,
        "https://sqlserver.api.qcloud.com/v2/index.php"
    );
    assert_eq!(
        post.request.header("Content-Type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(post.steps.string_to_sign.starts_with("POSTsqlserver.api.qcloud.com/v2/index.php?Action=CreateBackup&Nonce=4242&Placement.Zone=ap-guangzhou-3&SecretId=AKIDx&SignatureMethod=HmacSHA1&"));
    assert_ne!(
        get.steps.signature, post.steps.signature,
        "the method is signed"
    );
    assert_eq!(post.steps.signature.len(), 28, "base64 of a SHA-1 HMAC");
    let body = String::from_utf8(post.request.body.clone()).unwrap();
    let mut form = decode_pairs(&body).unwrap();
    let mut query = decode_pairs(get.request.url.split_once('?').unwrap().1).unwrap();
    assert_eq!(
        form.pop().unwrap(),
        ("Signature".to_owned(), post.steps.signature.clone())
    );
    assert_eq!(
        query.pop().unwrap(),
        ("Signature".to_owned(), get.steps.signature.clone())
    );
    assert_eq!(
        form, query,
        "same parameters, in the body instead of the query"
    );
    assert!(!body.contains("Region="), "no Region without ctx.region");
}

#[test]
fn tencent_v2_rejects_a_body_and_never_sends_nonce_zero() {
    let c = ctx(
        "redis.api.qcloud.com",
        "ManualBackupInstance",
        None,
        None,
        "redis",
    );
    let creds = TencentCredentials::new("AKIDx", SECRET);
    let mut req = WireRequest::new(HttpMethod::Post, "/v2/index.php");
    req.body = Some(b"{}".to_vec());
    assert!(matches!(
        tencent_v2::sign_tencent_v2(&c, &req, &creds, 1, &nonce(), TencentV2Method::HmacSha256),
        Err(SignError::Unsupported(_))
    ));
    let zero = FixedNonce {
        number: 0,
        ..nonce()
    };
    let s = tencent_v2::sign_tencent_v2(
        &c,
        &WireRequest::new(HttpMethod::Get, "/v2/index.php"),
        &creds,
        1,
        &zero,
        TencentV2Method::HmacSha256,
    )
    .unwrap();
    assert!(s.steps.canonical_request.contains("&Nonce=1&"));
}

fn cbs() -> OperationContext {
    ctx(
        "cbs.ap-guangzhou.tencentcloudapi.com",
        "CreateDiskBackup",
        Some("2017-03-12"),
        Some("ap-guangzhou"),
        "cbs",
    )
}

#[test]
fn tc3_post_hashes_the_exact_body_and_sends_tokens_and_language() {
    let mut req = WireRequest::new(HttpMethod::Post, "/");
    req.body = Some(br#"{"DiskId":"disk-1","DiskBackupName":"nightly"}"#.to_vec());
    let creds = TencentCredentials::new("AKIDx", SECRET).with_token(TOKEN);
    let opts = Tc3Options {
        sign_action_header: true,
        language: Some("en-US".into()),
    };
    let s = tc3::sign_tc3(
        &cbs(),
        &req,
        &creds,
        1_551_113_065,
        &opts,
        &Tc3KeyCache::new(),
    )
    .unwrap();
    assert!(s.steps.canonical_request.starts_with("POST\n/\n\ncontent-type:application/json\nhost:cbs.ap-guangzhou.tencentcloudapi.com\nx-tc-action:creatediskbackup\n\ncontent-type;host;x-tc-action\n"));
    assert!(
        s.steps
            .string_to_sign
            .starts_with("TC3-HMAC-SHA256\n1551113065\n2019-02-25/cbs/tc3_request\n")
    );
    assert_eq!(s.request.body, req.body.clone().unwrap());
    assert_eq!(
        s.request.url,
        "https://cbs.ap-guangzhou.tencentcloudapi.com/"
    );
    for (h, v) in [
        ("X-TC-Token", TOKEN),
        ("X-TC-Language", "en-US"),
        ("X-TC-Region", "ap-guangzhou"),
        ("Content-Type", "application/json"),
    ] {
        assert_eq!(s.request.header(h), Some(v), "{h}");
    }
    assert_no_secrets(&format!("{s:?}"));
    assert!(!format!("{s:?}").contains(&s.steps.signature));
}

#[test]
fn tc3_get_signs_the_query_it_sends() {
    let mut req = WireRequest::new(HttpMethod::Get, "/");
    req.params = vec![
        ("DiskId".into(), "disk 1".into()),
        ("DiskBackupName".into(), "a/b".into()),
    ];
    let creds = TencentCredentials::new("AKIDx", SECRET);
    let s = tc3::sign_tc3(
        &cbs(),
        &req,
        &creds,
        1,
        &Tc3Options::default(),
        &Tc3KeyCache::new(),
    )
    .unwrap();
    let query = s.request.url.split_once('?').unwrap().1;
    assert_eq!(query, "DiskBackupName=a%2Fb&DiskId=disk%201");
    assert!(s.steps.canonical_request.starts_with(&format!(
        "GET\n/\n{query}\ncontent-type:application/x-www-form-urlencoded\n"
    )));
    assert!(
        s.steps
            .canonical_request
            .ends_with("\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    );
    assert!(s.request.body.is_empty());
}

#[test]
fn tc3_key_cache_is_keyed_by_secret_date_and_service() {
    let cache = Tc3KeyCache::new();
    let creds = TencentCredentials::new("AKIDx", SECRET);
    let req = WireRequest::new(HttpMethod::Post, "/");
    let opts = Tc3Options::default();
    let a = tc3::sign_tc3(&cbs(), &req, &creds, 1_551_113_065, &opts, &cache).unwrap();
    let b = tc3::sign_tc3(&cbs(), &req, &creds, 1_551_113_065, &opts, &cache).unwrap();
    assert_eq!(cache.len(), 1);
    assert_eq!(a, b, "a cached key signs like a fresh one");
    let fresh = tc3::sign_tc3(
        &cbs(),
        &req,
        &creds,
        1_551_113_065,
        &opts,
        &Tc3KeyCache::new(),
    )
    .unwrap();
    assert_eq!(a, fresh);
    tc3::sign_tc3(&cbs(), &req, &creds, 1_551_113_065 + 86_400, &opts, &cache).unwrap();
    assert_eq!(cache.len(), 2, "next UTC day derives a new key");
    let mut other = cbs();
    other.service = "cvm".into();
    tc3::sign_tc3(&other, &req, &creds, 1_551_113_065, &opts, &cache).unwrap();
    tc3::sign_tc3(
        &cbs(),
        &req,
        &TencentCredentials::new("AKIDx", "other-key"),
        1_551_113_065,
        &opts,
        &cache,
    )
    .unwrap();
    assert_eq!(cache.len(), 4);
    assert!(!format!("{cache:?}").contains(SECRET));
}

#[test]
fn tc3_rejects_what_it_cannot_express() {
    let creds = TencentCredentials::new("AKIDx", SECRET);
    let cache = Tc3KeyCache::new();
    let opts = Tc3Options::default();
    let mut no_version = cbs();
    no_version.version = None;
    let req = WireRequest::new(HttpMethod::Post, "/");
    assert_eq!(
        tc3::sign_tc3(&no_version, &req, &creds, 1, &opts, &cache),
        Err(SignError::MissingVersion)
    );
    let mut with_params = req.clone();
    with_params.params.push(("A".into(), "1".into()));
    assert!(tc3::sign_tc3(&cbs(), &with_params, &creds, 1, &opts, &cache).is_err());
    let mut get_body = WireRequest::new(HttpMethod::Get, "/");
    get_body.body = Some(vec![]);
    assert!(tc3::sign_tc3(&cbs(), &get_body, &creds, 1, &opts, &cache).is_err());
    assert!(
        tc3::sign_tc3(
            &cbs(),
            &WireRequest::new(HttpMethod::Post, "/x"),
            &creds,
            1,
            &opts,
            &cache
        )
        .is_err()
    );
}

fn dbs() -> (OperationContext, WireRequest) {
    let c = ctx(
        "dbs-api.cn-hangzhou.aliyuncs.com",
        "CreateBackupPlan",
        Some("2019-03-06"),
        Some("cn-hangzhou"),
        "dbs",
    );
    let mut req = WireRequest::new(HttpMethod::Post, "/");
    req.params = vec![
        ("Region".into(), "cn-hangzhou".into()),
        ("InstanceClass".into(), "micro".into()),
        ("ClientToken".into(), "tok en*~".into()),
    ];
    (c, req)
}

#[test]
fn acs3_signs_sts_token_and_puts_params_in_the_query() {
    let (c, req) = dbs();
    let creds = AlibabaCredentials::new("LTAIx", SECRET).with_security_token(TOKEN);
    let s = acs3::sign_acs3(&c, &req, &creds, 1_698_315_752, &nonce()).unwrap();
    assert_eq!(
        s.request.url,
        "https://dbs-api.cn-hangzhou.aliyuncs.com/?ClientToken=tok%20en%2A~&InstanceClass=micro&Region=cn-hangzhou"
    );
    let auth = s.request.header("Authorization").unwrap();
    assert!(auth.contains("SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,"));
    assert!(
        s.steps
            .canonical_request
            .contains(&format!("\nx-acs-security-token:{TOKEN}\n"))
    );
    assert_eq!(s.request.header("x-acs-date"), Some("2023-10-26T10:22:32Z"));
    assert_eq!(
        s.request.header("x-acs-signature-nonce"),
        Some("00112233445566778899aabbccddeeff")
    );
    assert_no_secrets(&format!("{s:?}"));
}

#[test]
fn acs3_with_a_body_signs_content_type_and_hash() {
    let (c, mut req) = dbs();
    req.body = Some(br#"{"a":1}"#.to_vec());
    req.headers.push(("x-acs-extra".into(), " v ".into()));
    let s = acs3::sign_acs3(
        &c,
        &req,
        &AlibabaCredentials::new("LTAIx", SECRET),
        1,
        &nonce(),
    )
    .unwrap();
    let hash = s.request.header("x-acs-content-sha256").unwrap();
    assert_eq!(
        hash,
        "015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862"
    );
    assert!(s.steps.canonical_request.ends_with(hash));
    assert!(
        s.steps
            .canonical_request
            .contains("\ncontent-type:application/json\nhost:")
    );
    assert!(s.steps.canonical_request.contains("\nx-acs-extra:v\n"));
    let mut no_version = c.clone();
    no_version.version = None;
    assert_eq!(
        acs3::sign_acs3(
            &no_version,
            &req,
            &AlibabaCredentials::new("LTAIx", SECRET),
            1,
            &nonce()
        ),
        Err(SignError::MissingVersion)
    );
}

#[test]
fn acs_v2_signs_security_token_and_defaults_to_json() {
    let (c, req) = dbs();
    let creds = AlibabaCredentials::new("LTAIx", SECRET).with_security_token(TOKEN);
    let s = acs_v2::sign_acs_v2(
        &c,
        &req,
        &creds,
        1_456_231_584,
        &nonce(),
        &AcsV2Options::default(),
    )
    .unwrap();
    assert!(s.steps.canonical_request.contains("&Format=JSON&"));
    assert!(
        s.steps
            .canonical_request
            .contains(&format!("&SecurityToken={TOKEN}&"))
    );
    assert!(s.steps.string_to_sign.starts_with("POST&%2F&AccessKeyId%3DLTAIx%26Action%3DCreateBackupPlan%26ClientToken%3Dtok%2520en%252A~%26"));
    assert_eq!(
        s.steps.signature,
        acs_v2::signature(SECRET, &s.steps.string_to_sign)
    );
    let query = s.request.url.split_once('?').unwrap().1;
    assert_eq!(
        query.strip_suffix(&format!(
            "&Signature={}",
            cloudbackup::runtime::encode::percent_encode(&s.steps.signature)
        )),
        Some(s.steps.canonical_request.as_str())
    );
    assert!(s.request.body.is_empty());
    assert_no_secrets(&format!("{s:?}"));
}

fn koophone(with_request_id: bool) -> (OperationContext, WireRequest) {
    let c = ctx(
        "koophone.example.com",
        "BatchBackupInstances",
        None,
        Some("ap-southeast-1"),
        "koophone",
    );
    let mut req = WireRequest::new(HttpMethod::Post, "/v1/instances/backup");
    req.body = Some(br#"{"instance_ids":["i1","i2"]}"#.to_vec());
    if with_request_id {
        req.headers.push(("x-request-id".into(), "given-id".into()));
    }
    (c, req)
}

#[test]
fn huawei_token_mode_adds_token_and_a_fresh_request_id() {
    let (c, req) = koophone(false);
    let creds = HuaweiCredentials::token(TOKEN);
    let seq = SequenceNonce::new(7);
    let a = huawei::sign_huawei(&c, &req, &creds, 1, &seq).unwrap();
    let b = huawei::sign_huawei(&c, &req, &creds, 1, &seq).unwrap();
    let HuaweiSigned::Token(r) = &a else {
        panic!("token mode has no signature")
    };
    assert_eq!(r.url, "https://koophone.example.com/v1/instances/backup");
    assert_eq!(r.header("x-auth-token"), Some(TOKEN));
    assert_eq!(r.header("Content-Type"), Some("application/json"));
    assert_eq!(r.body, req.body.clone().unwrap());
    let id_a = a.request().header("x-request-id").unwrap().to_owned();
    let id_b = b.request().header("x-request-id").unwrap().to_owned();
    assert_ne!(id_a, id_b, "a fresh id per request");
    assert_eq!(id_a, "00000000-0000-4000-8000-000000000007");
    let (c, req) = koophone(true);
    let given = huawei::sign_huawei(&c, &req, &creds, 1, &seq)
        .unwrap()
        .into_request();
    assert_eq!(
        given
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("x-request-id"))
            .count(),
        1
    );
    assert_eq!(given.header("x-request-id"), Some("given-id"));
    assert_no_secrets(&format!("{given:?}"));
}

#[test]
fn huawei_aksk_signs_every_header_sent() {
    let (c, req) = koophone(true);
    let creds = HuaweiCredentials::AkSk {
        access_key: "HWAK".into(),
        secret_key: SECRET.into(),
        security_token: Some(TOKEN.into()),
    };
    let HuaweiSigned::AkSk(s) =
        huawei::sign_huawei(&c, &req, &creds, 1_573_789_015, &nonce()).unwrap()
    else {
        panic!("AK/SK signs")
    };
    assert!(s.steps.canonical_request.starts_with("POST\n/v1/instances/backup/\n\ncontent-type:application/json\nhost:koophone.example.com\nx-request-id:given-id\nx-sdk-date:20191115T033655Z\n"));
    assert!(s.steps.canonical_request.contains(&format!(
        "\nx-security-token:{TOKEN}\n\ncontent-type;host;x-request-id;x-sdk-date;x-security-token\n"
    )));
    assert_eq!(
        s.request.url,
        "https://koophone.example.com/v1/instances/backup"
    );
    assert!(s.request.header("Authorization").unwrap().starts_with("SDK-HMAC-SHA256 Access=HWAK, SignedHeaders=content-type;host;x-request-id;x-sdk-date;x-security-token, Signature="));
    assert_no_secrets(&format!("{s:?}"));
}

#[test]
fn the_client_signers_send_what_the_step_signers_send() {
    // Token and AK/SK (temporary) Huawei, with and without a given request id, and STS
    // Tencent/Alibaba credentials: the `*_request` signers (what the client uses) send the
    // same request as the signers that keep the steps, on a cold and a warm key cache.
    let keys = MacKeyCache::new();
    for with_id in [false, true] {
        let (c, req) = koophone(with_id);
        for creds in [
            HuaweiCredentials::token(TOKEN),
            HuaweiCredentials::AkSk {
                access_key: "HWAK".into(),
                secret_key: SECRET.into(),
                security_token: Some(TOKEN.into()),
            },
        ] {
            let expected = huawei::sign_huawei(&c, &req, &creds, 1_573_789_015, &nonce())
                .unwrap()
                .into_request();
            for _ in 0..2 {
                let got = huawei::sign_huawei_request(
                    &c.view(),
                    req.clone(),
                    &creds,
                    1_573_789_015,
                    &nonce(),
                    &keys,
                )
                .unwrap();
                assert_eq!(got, expected);
            }
        }
    }
    let c = ctx(
        "cbs.tencentcloudapi.com",
        "CreateDiskBackup",
        Some("2017-03-12"),
        Some("ap-guangzhou"),
        "cbs",
    );
    let mut req = WireRequest::new(HttpMethod::Get, "/");
    req.params.push(("DiskId".into(), "disk-1 x/y".into()));
    let tencent = TencentCredentials::new("AKID", SECRET).with_token(TOKEN);
    let opts = Tc3Options::default();
    let cache = Tc3KeyCache::new();
    let expected = tc3::sign_tc3(&c, &req, &tencent, 1_551_113_065, &opts, &cache).unwrap();
    let got = tc3::sign_tc3_request(
        &c.view(),
        req.clone(),
        &tencent,
        1_551_113_065,
        &opts,
        &cache,
    );
    assert_eq!(got.unwrap(), expected.request);
    let ali = AlibabaCredentials::new("LTAI", SECRET).with_security_token(TOKEN);
    let expected = acs3::sign_acs3(&c, &req, &ali, 1_551_113_065, &nonce()).unwrap();
    let got = acs3::sign_acs3_request(&c.view(), req.clone(), &ali, 1_551_113_065, &nonce(), &keys);
    assert_eq!(got.unwrap(), expected.request);
    let v2 = AcsV2Options::default();
    let expected = acs_v2::sign_acs_v2(&c, &req, &ali, 1_551_113_065, &nonce(), &v2).unwrap();
    let got = acs_v2::sign_acs_v2_request(
        &c.view(),
        req.clone(),
        &ali,
        1_551_113_065,
        &nonce(),
        &v2,
        &keys,
    );
    assert_eq!(got.unwrap(), expected.request);
    for method in [TencentV2Method::HmacSha256, TencentV2Method::HmacSha1] {
        let mut req = req.clone();
        req.params.push(("db_list.0".into(), "a&b=c".into()));
        let expected =
            tencent_v2::sign_tencent_v2(&c, &req, &tencent, 1_551_113_065, &nonce(), method)
                .unwrap();
        let got = tencent_v2::sign_tencent_v2_request(
            &c.view(),
            req,
            &tencent,
            1_551_113_065,
            &nonce(),
            method,
            &keys,
        );
        assert_eq!(got.unwrap(), expected.request);
    }
}

#[test]
fn nonce_sources_produce_well_formed_values() {
    let r = RandomNonce;
    let (a, b) = (r.uuid_v4(), r.uuid_v4());
    assert_ne!(a, b);
    for u in [&a, &b] {
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert!(
            u.chars()
                .all(|ch| ch == '-' || ch.is_ascii_hexdigit() && !ch.is_ascii_uppercase())
        );
    }
    let h = r.next_hex(16);
    assert_eq!(h.len(), 32);
    assert_ne!(h, r.next_hex(16));
    assert_eq!(r.next_hex(3).len(), 6);
    let distinct: std::collections::HashSet<u32> = (0..64).map(|_| r.next_u32()).collect();
    assert!(distinct.len() > 60);
    let s = SequenceNonce::new(u32::MAX - 1);
    assert_eq!(
        (s.next_u32(), s.next_hex(2)),
        (u32::MAX - 1, "ffff".to_owned())
    );
}

#[test]
fn system_clock_is_plausible() {
    let now = SystemClock.now_unix();
    assert!(now > 1_700_000_000, "{now}");
}
