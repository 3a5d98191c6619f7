//! The encoders and every signer on arbitrary parameters, headers, bodies, paths, hosts,
//! timestamps and credentials. Must never panic (an unsupported request is a `SignError`);
//! query encoding round-trips exactly.
#![no_main]
#![forbid(unsafe_code)]

use cloudbackup::runtime::acs_v2::{self, AcsV2Options};
use cloudbackup::runtime::encode::{
    canonical_query, decode_pairs, encode_pairs, percent_decode, percent_encode,
    percent_encode_path,
};
use cloudbackup::runtime::tc3::{self, Tc3KeyCache, Tc3Options};
use cloudbackup::runtime::time_fmt::{iso8601, iso8601_basic, parse_iso8601_utc, utc_date};
use cloudbackup::runtime::{
    AlibabaCredentials, Endpoint, FixedNonce, HttpMethod, HuaweiCredentials, OperationContext,
    TencentCredentials, TencentV2Method, WireRequest, acs3, huawei, tencent_v2,
};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    post: bool,
    path: String,
    params: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    http: bool,
    host: String,
    action: String,
    version: Option<String>,
    region: Option<String>,
    service: String,
    timestamp: i64,
    key_id: String,
    secret: String,
    token: Option<String>,
    nonce_number: u32,
    nonce_hex: String,
    nonce_uuid: String,
    language: Option<String>,
    sign_action_header: bool,
    format: String,
    v2_method: u8,
}

fuzz_target!(|i: Input| {
    // Encoders.
    for (k, v) in &i.params {
        let e = percent_encode(k);
        assert_eq!(percent_decode(&e).as_deref(), Some(k.as_str()));
        let _ = percent_encode_path(v);
        let _ = percent_decode(v);
    }
    let pairs = encode_pairs(&i.params);
    assert_eq!(decode_pairs(&pairs), Some(i.params.clone()));
    let _ = canonical_query(&i.params);
    let _ = decode_pairs(&i.path);
    let _ = (
        utc_date(i.timestamp),
        iso8601(i.timestamp),
        iso8601_basic(i.timestamp),
    );
    if let Some(t) = parse_iso8601_utc(&i.host) {
        let _ = iso8601(t);
    }
    let _ = tencent_v2::request_string(&i.params);
    let _ = acs_v2::signature(&i.secret, &acs_v2::string_to_sign(HttpMethod::Get, &pairs));

    // Signers.
    let method = if i.post {
        HttpMethod::Post
    } else {
        HttpMethod::Get
    };
    let req = WireRequest {
        method,
        path: i.path.clone(),
        params: i.params.clone(),
        headers: i.headers.clone(),
        body: i.body.clone(),
    };
    let ctx = OperationContext {
        endpoint: Endpoint {
            scheme: if i.http { "http" } else { "https" }.into(),
            host: i.host.clone(),
        },
        action: i.action.clone(),
        version: i.version.clone(),
        region: i.region.clone(),
        service: i.service.clone(),
    };
    let nonce = FixedNonce {
        number: i.nonce_number,
        hex: i.nonce_hex.clone(),
        uuid: i.nonce_uuid.clone(),
    };
    let mut tencent = TencentCredentials::new(i.key_id.clone(), i.secret.clone());
    let mut alibaba = AlibabaCredentials::new(i.key_id.clone(), i.secret.clone());
    if let Some(t) = &i.token {
        tencent = tencent.with_token(t.clone());
        alibaba = alibaba.with_security_token(t.clone());
    }
    let v2 = match i.v2_method % 3 {
        0 => TencentV2Method::HmacSha256,
        1 => TencentV2Method::HmacSha1,
        _ => TencentV2Method::HmacSha1Implicit,
    };
    let _ = tencent_v2::sign_tencent_v2(&ctx, &req, &tencent, i.timestamp, &nonce, v2);
    let opts = Tc3Options {
        sign_action_header: i.sign_action_header,
        language: i.language.clone(),
    };
    let _ = tc3::sign_tc3(
        &ctx,
        &req,
        &tencent,
        i.timestamp,
        &opts,
        &Tc3KeyCache::new(),
    );
    let _ = acs3::sign_acs3(&ctx, &req, &alibaba, i.timestamp, &nonce);
    let opts = AcsV2Options {
        format: i.format.clone(),
    };
    let _ = acs_v2::sign_acs_v2(&ctx, &req, &alibaba, i.timestamp, &nonce, &opts);
    let hw = match &i.token {
        Some(t) if i.sign_action_header => HuaweiCredentials::token(t.clone()),
        _ => HuaweiCredentials::ak_sk(i.key_id.clone(), i.secret.clone()),
    };
    if let Ok(s) = huawei::sign_huawei(&ctx, &req, &hw, i.timestamp, &nonce) {
        let _ = format!("{:?}", s.request());
    }
});
