//! Signing benchmarks (issue 7, section 1): for each API family, one seed request signed by
//! `cloudbackup` the way the client signs it (the `*_request` signer: the complete request to
//! send, from a copy of the seed's `WireRequest` taken by value, with the client's caches
//! warm; the copy and the drop of the result are timed too), side by side with `aws-sigv4`
//! signing a comparable request (same method, query, body and header count) and with the
//! crypto floor (only the hashes and HMACs the algorithm requires, over the exact bytes our
//! signer produced, with the derived or raw key's HMAC state cached wherever the algorithm
//! allows).
//!
//! Run with `cargo bench --bench signing`; results in `BENCHMARKS.md`.

#[path = "support/seeds.rs"]
mod seeds;

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials as AwsCredentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use cloudbackup::runtime::{
    MacKeyCache, SignedRequest, Tc3KeyCache, Tc3Options, TencentV2Method, WireRequest,
};
use cloudbackup::runtime::{acs_v2, acs3, huawei, tc3, tencent_v2};
use criterion::{Bencher, Criterion};
use hmac::{Hmac, KeyInit, Mac};
use seeds::Seeds;
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// A request for aws-sigv4 with the same shape as one of ours: method, URL (with query),
/// body, and the same number of headers (our signed request's, minus `Authorization`).
struct AwsRequest {
    method: &'static str,
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl AwsRequest {
    fn like(r: &SignedRequest) -> Self {
        Self {
            method: r.method.as_str(),
            url: r.url.clone(),
            headers: r
                .headers
                .iter()
                .filter(|(k, _)| !k.eq_ignore_ascii_case("authorization"))
                .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
                .collect(),
            body: r.body.clone(),
        }
    }
}

fn aws_sign(identity: &Identity, req: &AwsRequest) -> aws_sigv4::http_request::SigningInstructions {
    let params = v4::SigningParams::builder()
        .identity(identity)
        .region("ap-guangzhou")
        .name("cbs")
        .time(SystemTime::UNIX_EPOCH + Duration::from_secs(1_551_113_065))
        .settings(SigningSettings::default())
        .build()
        .expect("aws signing params")
        .into();
    let signable = SignableRequest::new(
        req.method,
        req.url.as_str(),
        req.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(&req.body),
    )
    .expect("signable request");
    sign(signable, &params).expect("aws sign").into_parts().0
}

type HmacSha256 = Hmac<Sha256>;
type HmacSha1 = Hmac<Sha1>;

fn keyed256(key: &[u8]) -> HmacSha256 {
    <HmacSha256 as KeyInit>::new_from_slice(key).expect("any key length")
}

/// Floor of the SHA-256 families (TC3, ACS3, Huawei): hash the body, hash the canonical
/// request, HMAC the string to sign under a cached keyed state.
fn floor_sha256_family(body: &[u8], canonical: &[u8], sts: &[u8], key: &HmacSha256) -> [u8; 32] {
    let a = Sha256::digest(body);
    let b = Sha256::digest(canonical);
    black_box((a, b));
    let mut m = key.clone();
    m.update(sts);
    m.finalize().into_bytes().into()
}

/// Times `sign` over a fresh copy of `wire` per iteration, the copy included in the timing
/// (the client signs the `WireRequest` its `to_wire` just built; the copy is timed alone as
/// `wire-copy`, to be subtracted), as is dropping the signed request.
fn bench_request(
    b: &mut Bencher<'_>,
    wire: &WireRequest,
    sign: impl Fn(WireRequest) -> SignedRequest,
) {
    b.iter(|| black_box(sign(black_box(wire).clone())));
}

/// One family's group, side by side: the copy of the seed's wire request (which the
/// `cloudbackup` line includes), the client-path signer, aws-sigv4 on the comparable request,
/// and the crypto floor.
fn family_group<R>(
    c: &mut Criterion,
    family: &str,
    wire: &WireRequest,
    sign: impl Fn(WireRequest) -> SignedRequest,
    aws: (&Identity, &AwsRequest),
    mut floor: impl FnMut() -> R,
) {
    let mut g = c.benchmark_group(format!("sign/{family}"));
    g.bench_function("wire-copy", |b| {
        b.iter(|| black_box(black_box(wire).clone()))
    });
    g.bench_function("cloudbackup", |b| bench_request(b, wire, &sign));
    g.bench_function("aws-sigv4", |b| {
        b.iter(|| black_box(aws_sign(aws.0, black_box(aws.1))))
    });
    g.bench_function("crypto-floor", |b| b.iter(|| black_box(floor())));
    g.finish();
}

fn bench(c: &mut Criterion) {
    let s = Seeds::new();
    let aws_identity: Identity = AwsCredentials::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "secret",
        None,
        None,
        "bench",
    )
    .into();

    // TC3 (Tencent CBS CreateDiskBackup).
    let cache = Tc3KeyCache::new();
    let opts = Tc3Options::default();
    let sign_tc3 = || {
        tc3::sign_tc3(
            &s.tc3_ctx,
            &s.tc3_wire,
            &s.tencent,
            seeds::TS,
            &opts,
            &cache,
        )
        .expect("tc3")
    };
    let request_tc3 = |w: WireRequest| {
        tc3::sign_tc3_request(&s.tc3_ctx.view(), w, &s.tencent, seeds::TS, &opts, &cache)
            .expect("tc3")
    };
    let first = sign_tc3();
    assert_eq!(request_tc3(s.tc3_wire.clone()), first.request);
    let aws_req = AwsRequest::like(&first.request);
    let key =
        keyed256(&tc3::derive_tc3_keys(seeds::TENCENT_SECRET, "2019-02-25", "cbs").secret_signing);
    let body = first.request.body.clone();
    family_group(
        c,
        "tc3",
        &s.tc3_wire,
        request_tc3,
        (&aws_identity, &aws_req),
        || {
            floor_sha256_family(
                black_box(&body),
                black_box(first.steps.canonical_request.as_bytes()),
                black_box(first.steps.string_to_sign.as_bytes()),
                &key,
            )
        },
    );

    // ACS3 (Alibaba DBS CreateBackupPlan).
    let sign_acs3 =
        || acs3::sign_acs3(&s.ali_ctx, &s.ali_wire, &s.alibaba, seeds::TS, &s.nonce).expect("acs3");
    let keys = MacKeyCache::new();
    let request_acs3 = |w: WireRequest| {
        acs3::sign_acs3_request(&s.ali_ctx.view(), w, &s.alibaba, seeds::TS, &s.nonce, &keys)
            .expect("acs3")
    };
    let first = sign_acs3();
    assert_eq!(request_acs3(s.ali_wire.clone()), first.request);
    let aws_req = AwsRequest::like(&first.request);
    let key = keyed256(seeds::ALIBABA_SECRET.as_bytes());
    let body = first.request.body.clone();
    family_group(
        c,
        "acs3",
        &s.ali_wire,
        request_acs3,
        (&aws_identity, &aws_req),
        || {
            floor_sha256_family(
                black_box(&body),
                black_box(first.steps.canonical_request.as_bytes()),
                black_box(first.steps.string_to_sign.as_bytes()),
                &key,
            )
        },
    );

    // Alibaba V2 HMAC-SHA1 (same request).
    let v2_opts = acs_v2::AcsV2Options::default();
    let sign_v2 = || {
        acs_v2::sign_acs_v2(
            &s.ali_ctx,
            &s.ali_wire,
            &s.alibaba,
            seeds::TS,
            &s.nonce,
            &v2_opts,
        )
        .expect("acs v2")
    };
    let request_v2 = |w: WireRequest| {
        acs_v2::sign_acs_v2_request(
            &s.ali_ctx.view(),
            w,
            &s.alibaba,
            seeds::TS,
            &s.nonce,
            &v2_opts,
            &keys,
        )
        .expect("acs v2")
    };
    let first = sign_v2();
    assert_eq!(request_v2(s.ali_wire.clone()), first.request);
    let aws_req = AwsRequest::like(&first.request);
    let key =
        <HmacSha1 as KeyInit>::new_from_slice(format!("{}&", seeds::ALIBABA_SECRET).as_bytes())
            .expect("any key length");
    family_group(
        c,
        "acs_v2",
        &s.ali_wire,
        request_v2,
        (&aws_identity, &aws_req),
        || {
            let mut m = key.clone();
            m.update(black_box(first.steps.string_to_sign.as_bytes()));
            m.finalize().into_bytes()
        },
    );

    // Tencent API 2.0 (Redis ManualBackupInstance), HmacSHA256.
    let sign_api2 = || {
        tencent_v2::sign_tencent_v2(
            &s.api2_ctx,
            &s.api2_wire,
            &s.tencent,
            seeds::TS,
            &s.nonce,
            TencentV2Method::HmacSha256,
        )
        .expect("api 2.0")
    };
    let request_api2 = |w: WireRequest| {
        tencent_v2::sign_tencent_v2_request(
            &s.api2_ctx.view(),
            w,
            &s.tencent,
            seeds::TS,
            &s.nonce,
            TencentV2Method::HmacSha256,
            &keys,
        )
        .expect("api 2.0")
    };
    let first = sign_api2();
    assert_eq!(request_api2(s.api2_wire.clone()), first.request);
    let aws_req = AwsRequest::like(&first.request);
    let key = keyed256(seeds::TENCENT_SECRET.as_bytes());
    family_group(
        c,
        "tencent_v2",
        &s.api2_wire,
        request_api2,
        (&aws_identity, &aws_req),
        || {
            let mut m = key.clone();
            m.update(black_box(first.steps.string_to_sign.as_bytes()));
            m.finalize().into_bytes()
        },
    );

    // Huawei AK/SK (KooPhone BatchBackupInstances).
    let sign_hw = || {
        huawei::sign_huawei(&s.hw_ctx, &s.hw_wire, &s.huawei, seeds::TS, &s.nonce).expect("huawei")
    };
    let request_hw = |w: WireRequest| {
        huawei::sign_huawei_request(&s.hw_ctx.view(), w, &s.huawei, seeds::TS, &s.nonce, &keys)
            .expect("huawei")
    };
    let huawei::HuaweiSigned::AkSk(first) = sign_hw() else {
        unreachable!("AK/SK credentials sign")
    };
    assert_eq!(request_hw(s.hw_wire.clone()), first.request);
    let aws_req = AwsRequest::like(&first.request);
    let key = keyed256(seeds::HUAWEI_SECRET.as_bytes());
    let body = first.request.body.clone();
    family_group(
        c,
        "huawei_aksk",
        &s.hw_wire,
        request_hw,
        (&aws_identity, &aws_req),
        || {
            floor_sha256_family(
                black_box(&body),
                black_box(first.steps.canonical_request.as_bytes()),
                black_box(first.steps.string_to_sign.as_bytes()),
                &key,
            )
        },
    );
}

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    bench(&mut c);
    c.final_summary();
}
