//! Decoding tests for every envelope: success, documented error, unknown code, code as
//! string and as int, truncated/invalid JSON, a proxy's HTML error page, an empty body, and
//! the request id from a header.

use cloudbackup::runtime::decode::{EXCERPT_MAX, excerpt};
use cloudbackup::runtime::{
    DecodeError, Decoded, RawResponse, ResponseMeta, ServiceErrorParts, decode_alibaba,
    decode_huawei, decode_tc3, decode_tencent_v2,
};
use proptest::prelude::*;
use serde_json::json;

type DecodeFn = fn(&RawResponse) -> Result<Decoded, DecodeError>;
const ALL: [(&str, DecodeFn); 4] = [
    ("tencent_v2", decode_tencent_v2),
    ("tc3", decode_tc3),
    ("alibaba", decode_alibaba),
    ("huawei", decode_huawei),
];

fn resp(status: u16, body: &str) -> RawResponse {
    RawResponse {
        status,
        headers: Vec::new(),
        body: body.as_bytes().to_vec(),
    }
}

fn with_header(mut r: RawResponse, k: &str, v: &str) -> RawResponse {
    r.headers.push((k.to_owned(), v.to_owned()));
    r
}

fn success(d: Result<Decoded, DecodeError>) -> (serde_json::Value, ResponseMeta) {
    match d {
        Ok(Decoded::Success { payload, meta }) => (payload, meta),
        other => panic!("expected success, got {other:?}"),
    }
}

fn error(d: Result<Decoded, DecodeError>) -> ServiceErrorParts {
    match d {
        Ok(Decoded::Error(e)) => e,
        other => panic!("expected service error, got {other:?}"),
    }
}

fn decode_err(d: Result<Decoded, DecodeError>) -> DecodeError {
    match d {
        Err(e) => e,
        other => panic!("expected decode error, got {other:?}"),
    }
}

const HTML_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

#[test]
fn every_family_rejects_html_empty_truncated_and_non_object_bodies() {
    for (family, decode) in ALL {
        let e = decode_err(decode(&resp(502, HTML_502)));
        assert_eq!(e.http_status, 502, "{family}");
        assert!(e.excerpt.starts_with("<html>"), "{family}");
        assert!(e.to_string().contains("502"), "{family}");

        for empty in ["", "  \n"] {
            let e = decode_err(decode(&resp(200, empty)));
            assert_eq!(
                (e.http_status, e.reason.as_str()),
                (200, "empty body"),
                "{family}"
            );
        }

        let e = decode_err(decode(&resp(200, r#"{"Response": {"RequestId": "abc"#)));
        assert!(e.reason.contains("not JSON"), "{family}: {}", e.reason);
        assert_eq!(e.excerpt, r#"{"Response": {"RequestId": "abc"#);

        for not_object in ["[1,2]", "\"ok\"", "null", "0"] {
            let e = decode_err(decode(&resp(200, not_object)));
            assert!(e.reason.contains("not an object"), "{family}: {not_object}");
        }

        // A large non-JSON body: the excerpt stays bounded and on a char boundary.
        let big = format!("x{}", "页".repeat(5000));
        let e = decode_err(decode(&resp(500, &big)));
        assert!(
            e.excerpt.len() <= EXCERPT_MAX && e.excerpt.len() > 250,
            "{family}"
        );
        assert!(big.starts_with(&e.excerpt));
    }
}

// ---------------------------------------------------------------- Tencent API 2.0

#[test]
fn tencent_v2_success_with_int_code_returns_whole_body() {
    let body = r#"{"code":0,"message":"","data":{"flowId":5293}}"#;
    let (payload, meta) = success(decode_tencent_v2(&resp(200, body)));
    assert_eq!(
        payload,
        json!({"code":0,"message":"","data":{"flowId":5293}})
    );
    assert_eq!(
        meta,
        ResponseMeta {
            request_id: None,
            http_status: 200
        }
    );
}

#[test]
fn tencent_v2_success_with_string_code_and_code_desc() {
    let body = r#"{"code":"0","message":"","codeDesc":"Success","data":{"requestId":375062}}"#;
    let (payload, meta) = success(decode_tencent_v2(&resp(200, body)));
    assert_eq!(payload["data"]["requestId"], 375062);
    // data.requestId is a task id, not the request id.
    assert_eq!(meta.request_id, None);
}

#[test]
fn tencent_v2_documented_errors_as_int_and_string() {
    let e = error(decode_tencent_v2(&resp(
        200,
        r#"{"code":4100,"message":"authentication failed","codeDesc":"AuthFailure"}"#,
    )));
    assert_eq!(
        (e.code.as_str(), e.message.as_str(), e.http_status),
        ("4100", "authentication failed", 200)
    );

    let e = error(decode_tencent_v2(&resp(
        200,
        r#"{"code":"50","message":"InstanceNotFound"}"#,
    )));
    assert_eq!(e.code, "50");
    let e = error(decode_tencent_v2(&resp(
        200,
        r#"{"code":"5100","message":"","codeDesc":"ResourceOpFailed"}"#,
    )));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("5100", "ResourceOpFailed")
    );
}

#[test]
fn tencent_v2_unknown_codes_are_errors() {
    let e = error(decode_tencent_v2(&resp(
        200,
        r#"{"code":987654,"message":"new"}"#,
    )));
    assert_eq!((e.code.as_str(), e.message.as_str()), ("987654", "new"));
    let e = error(decode_tencent_v2(&resp(
        200,
        r#"{"code":"SomethingNew","message":"m"}"#,
    )));
    assert_eq!(e.code, "SomethingNew");
    let e = error(decode_tencent_v2(&resp(200, r#"{"code":-1}"#)));
    assert_eq!((e.code.as_str(), e.message.as_str()), ("-1", ""));
}

#[test]
fn tencent_v2_request_id_from_header() {
    let r = with_header(
        resp(200, r#"{"code":4500,"message":"replay"}"#),
        "X-Request-Id",
        "rid-1",
    );
    assert_eq!(
        error(decode_tencent_v2(&r)).request_id.as_deref(),
        Some("rid-1")
    );
    let r = with_header(
        resp(200, r#"{"code":0,"data":{}}"#),
        "x-request-id",
        "rid-2",
    );
    assert_eq!(
        success(decode_tencent_v2(&r)).1.request_id.as_deref(),
        Some("rid-2")
    );
}

#[test]
fn tencent_v2_malformed_envelopes() {
    // The Redis doc example: a missing comma after "codeDesc": "Success".
    let redis_doc = "{\"code\": 0, \"message\": \"\", \"codeDesc\": \"Success\" \"data\": {\"requestId\": 375062}}";
    assert!(
        decode_err(decode_tencent_v2(&resp(200, redis_doc)))
            .reason
            .contains("not JSON")
    );
    assert!(
        decode_err(decode_tencent_v2(&resp(200, r#"{"message":"no code"}"#)))
            .reason
            .contains("code")
    );
    decode_err(decode_tencent_v2(&resp(200, r#"{"code":1.5}"#)));
    decode_err(decode_tencent_v2(&resp(200, r#"{"code":null}"#)));
    let e = decode_err(decode_tencent_v2(&resp(500, r#"{"code":0}"#)));
    assert_eq!(e.http_status, 500);
}

// ---------------------------------------------------------------- Tencent API 3.0

#[test]
fn tc3_success_returns_response_object() {
    let body = r#"{"Response":{"DiskBackupId":"dbp-abc","RequestId":"6ef60bec-0242-43af-bb20-270359fb54a7"}}"#;
    let (payload, meta) = success(decode_tc3(&resp(200, body)));
    assert_eq!(payload["DiskBackupId"], "dbp-abc");
    assert_eq!(
        meta.request_id.as_deref(),
        Some("6ef60bec-0242-43af-bb20-270359fb54a7")
    );
}

#[test]
fn tc3_documented_error_with_http_200() {
    let body = r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"signature expired"},"RequestId":"r-1"}}"#;
    let e = error(decode_tc3(&resp(200, body)));
    assert_eq!(
        e,
        ServiceErrorParts {
            code: "AuthFailure.SignatureExpire".into(),
            message: "signature expired".into(),
            request_id: Some("r-1".into()),
            http_status: 200,
        }
    );
}

#[test]
fn tc3_unknown_and_int_codes() {
    let e = error(decode_tc3(&resp(
        200,
        r#"{"Response":{"Error":{"Code":"Brand.New.Code"},"RequestId":"r"}}"#,
    )));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("Brand.New.Code", "")
    );
    let e = error(decode_tc3(&resp(
        200,
        r#"{"Response":{"Error":{"Code":4100,"Message":"m"}}}"#,
    )));
    assert_eq!(e.code, "4100");
}

#[test]
fn tc3_request_id_from_header_when_body_has_none() {
    let r = with_header(
        resp(200, r#"{"Response":{"DiskBackupId":"d"}}"#),
        "X-TC-RequestId",
        "hdr-1",
    );
    assert_eq!(
        success(decode_tc3(&r)).1.request_id.as_deref(),
        Some("hdr-1")
    );
}

#[test]
fn tc3_malformed_envelopes_and_bad_statuses() {
    let e = decode_err(decode_tc3(&resp(
        503,
        r#"{"message":"Service Unavailable"}"#,
    )));
    assert_eq!(e.http_status, 503);
    assert!(e.reason.contains("Response"));
    let e = decode_err(decode_tc3(&resp(500, r#"{"Response":{"RequestId":"r"}}"#)));
    assert_eq!(e.http_status, 500);
    decode_err(decode_tc3(&resp(
        200,
        r#"{"Response":{"Error":{"Message":"no code"}}}"#,
    )));
    decode_err(decode_tc3(&resp(200, r#"{"Response":{"Error":"text"}}"#)));
    decode_err(decode_tc3(&resp(200, r#"{"Response":[]}"#)));
    // An error envelope on a non-2xx status is still the service's error.
    let e = error(decode_tc3(&resp(
        500,
        r#"{"Response":{"Error":{"Code":"InternalError","Message":""},"RequestId":"r"}}"#,
    )));
    assert_eq!((e.code.as_str(), e.http_status), ("InternalError", 500));
}

// ---------------------------------------------------------------- Alibaba

#[test]
fn alibaba_success_returns_whole_body() {
    let body = r#"{"RequestId":"B1","Success":true,"ErrCode":"","ErrMessage":"","HttpStatusCode":200,"BackupPlanId":"dbs1","OrderId":"7"}"#;
    let (payload, meta) = success(decode_alibaba(&resp(200, body)));
    assert_eq!(payload["BackupPlanId"], "dbs1");
    assert_eq!(
        meta,
        ResponseMeta {
            request_id: Some("B1".into()),
            http_status: 200
        }
    );
    // Success markers in Code.
    for code in [r#""OK""#, r#""200""#, "200", r#""Success""#, r#""""#] {
        let body = format!(r#"{{"RequestId":"R","Code":{code}}}"#);
        success(decode_alibaba(&resp(200, &body)));
    }
}

#[test]
fn alibaba_documented_gateway_error_keyed_on_code() {
    let body = r#"{"RequestId":"7463B73D","HostId":"ecs.ap-southeast-3.aliyuncs.com","Code":"InvalidImageId.NotFound","Message":"The specified ImageId does not exist.","Recommend":"https://api.alibabacloud.com/troubleshoot?q=InvalidImageId.NotFound"}"#;
    let e = error(decode_alibaba(&resp(404, body)));
    assert_eq!(
        (
            e.code.as_str(),
            e.message.as_str(),
            e.request_id.as_deref(),
            e.http_status
        ),
        (
            "InvalidImageId.NotFound",
            "The specified ImageId does not exist.",
            Some("7463B73D"),
            404
        )
    );
    // The same error on HTTP 200 is still an error: the key is Code, not the status.
    let e = error(decode_alibaba(&resp(200, body)));
    assert_eq!(
        (e.code.as_str(), e.http_status),
        ("InvalidImageId.NotFound", 200)
    );
    // SignatureDoesNotMatch is 400 on some pages and 403 on others: same outcome.
    for status in [400, 403] {
        let e = error(decode_alibaba(&resp(
            status,
            r#"{"Code":"SignatureDoesNotMatch","Message":"m","RequestId":"r"}"#,
        )));
        assert_eq!(e.code, "SignatureDoesNotMatch");
    }
}

#[test]
fn alibaba_success_false_on_200_is_an_error() {
    let body = r#"{"RequestId":"R2","Success":false,"ErrCode":"InvalidParameter","ErrMessage":"bad Period","HttpStatusCode":400}"#;
    let e = error(decode_alibaba(&resp(200, body)));
    assert_eq!(
        (e.code.as_str(), e.message.as_str(), e.request_id.as_deref()),
        ("InvalidParameter", "bad Period", Some("R2"))
    );
    let e = error(decode_alibaba(&resp(
        200,
        r#"{"Success":"false","Code":"Forbidden.RAM","Message":"denied"}"#,
    )));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("Forbidden.RAM", "denied")
    );
    let e = error(decode_alibaba(&resp(
        200,
        r#"{"Success":false,"ErrCode":""}"#,
    )));
    assert_eq!(e.code, "UnknownError");
    let e = error(decode_alibaba(&resp(
        200,
        r#"{"Success":false,"ErrCode":1234}"#,
    )));
    assert_eq!(e.code, "1234");
}

#[test]
fn alibaba_unknown_and_int_codes() {
    let e = error(decode_alibaba(&resp(
        400,
        r#"{"Code":"Brand.New","Message":"?"}"#,
    )));
    assert_eq!(e.code, "Brand.New");
    let e = error(decode_alibaba(&resp(
        500,
        r#"{"Code":500,"Message":"internal"}"#,
    )));
    assert_eq!((e.code.as_str(), e.message.as_str()), ("500", "internal"));
}

#[test]
fn alibaba_request_id_from_header() {
    let r = with_header(
        resp(503, r#"{"Code":"ServiceUnavailable","Message":"m"}"#),
        "x-acs-request-id",
        "H-1",
    );
    assert_eq!(error(decode_alibaba(&r)).request_id.as_deref(), Some("H-1"));
    let r = with_header(
        resp(200, r#"{"BackupPlanId":"p"}"#),
        "X-Acs-Request-Id",
        "H-2",
    );
    assert_eq!(
        success(decode_alibaba(&r)).1.request_id.as_deref(),
        Some("H-2")
    );
}

#[test]
fn alibaba_non_2xx_without_code_is_a_decode_error() {
    let e = decode_err(decode_alibaba(&resp(500, r#"{"RequestId":"R"}"#)));
    assert_eq!(e.http_status, 500);
}

// ---------------------------------------------------------------- Huawei

#[test]
fn huawei_success_with_zero_code_and_without_code() {
    let body = r#"{"error_code":"0","error_msg":"OK","data":{"task_id":"t1","cmd_jobs":[{"instance_id":"i1","job_id":"j1"}]}}"#;
    let (payload, meta) = success(decode_huawei(&with_header(
        resp(200, body),
        "X-Request-Id",
        "hw-1",
    )));
    assert_eq!(payload["data"]["task_id"], "t1");
    assert_eq!(meta.request_id.as_deref(), Some("hw-1"));
    success(decode_huawei(&resp(
        200,
        r#"{"error_code": "0", "error_msg": "OK"}"#,
    )));
    success(decode_huawei(&resp(200, r#"{"data":{"task_id":"t"}}"#)));
    success(decode_huawei(&resp(200, r#"{"error_code":0}"#)));
    // A top-level `code` in a 2xx payload is payload, not an error.
    success(decode_huawei(&resp(200, r#"{"code":"x","data":{}}"#)));
}

#[test]
fn huawei_documented_errors_on_200_400_500() {
    for (status, code) in [
        (200, "KooPhone.API.1001"),
        (400, "KOOPHONE.API.1000"),
        (500, "KOOPHONE.API.9999"),
    ] {
        let body = format!(r#"{{"error_code":"{code}","error_msg":"msg {status}"}}"#);
        let e = error(decode_huawei(&resp(status, &body)));
        assert_eq!(
            (e.code.as_str(), e.message.clone(), e.http_status),
            (code, format!("msg {status}"), status)
        );
    }
}

#[test]
fn huawei_gateway_error_with_request_id_in_body() {
    let body = r#"{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information: decrypt token fail","request_id":"b2f9a0d1"}"#;
    let r = with_header(resp(401, body), "X-Request-Id", "header-id");
    let e = error(decode_huawei(&r));
    assert_eq!(
        (e.code.as_str(), e.request_id.as_deref(), e.http_status),
        ("APIG.0301", Some("b2f9a0d1"), 401)
    );
}

#[test]
fn huawei_other_error_shapes_unknown_and_int_codes() {
    let e = error(decode_huawei(&resp(
        401,
        r#"{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}"#,
    )));
    assert_eq!(e.code, "401");
    let e = error(decode_huawei(&resp(
        400,
        r#"{"errorCode":"X.1","errorMsg":"m"}"#,
    )));
    assert_eq!((e.code.as_str(), e.message.as_str()), ("X.1", "m"));
    let e = error(decode_huawei(&resp(
        429,
        r#"{"code":"APIG.0308","message":"throttled"}"#,
    )));
    assert_eq!(e.code, "APIG.0308");
    let e = error(decode_huawei(&resp(
        200,
        r#"{"error_code":"KOOPHONE.API.7777"}"#,
    )));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("KOOPHONE.API.7777", "")
    );
}

#[test]
fn huawei_non_2xx_without_code_or_with_zero_code_is_a_decode_error() {
    assert_eq!(
        decode_err(decode_huawei(&resp(500, r#"{"data":null}"#))).http_status,
        500
    );
    assert_eq!(
        decode_err(decode_huawei(&resp(
            400,
            r#"{"error_code":"0","error_msg":"OK"}"#
        )))
        .http_status,
        400
    );
}

// ---------------------------------------------------------------- robustness

proptest! {
    #[test]
    fn decoders_never_panic_and_excerpts_stay_bounded(
        status in 100u16..600,
        body in proptest::collection::vec(any::<u8>(), 0..700),
    ) {
        let r = RawResponse { status, headers: Vec::new(), body: body.clone() };
        for (_, decode) in ALL {
            if let Err(e) = decode(&r) {
                prop_assert_eq!(e.http_status, status);
                prop_assert!(e.excerpt.len() <= EXCERPT_MAX);
            }
        }
        let ex = excerpt(&body);
        prop_assert!(ex.len() <= EXCERPT_MAX);
        if let Ok(s) = std::str::from_utf8(&body) {
            prop_assert!(s.starts_with(&ex));
        }
    }
}
