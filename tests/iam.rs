//! Huawei IAM token acquisition: request shape, response parsing, and the clock-driven cache.

use std::sync::Arc;

use cloudbackup::runtime::huawei_iam::{
    IamPasswordAuth, IamScope, IamToken, IamTokenCache, IamTokenError, iam_cache_key, iam_endpoint,
    iam_token_request, parse_iam_token_response,
};
use cloudbackup::runtime::{HttpMethod, ManualClock, RawResponse, Secret};
use serde_json::json;

fn auth() -> IamPasswordAuth {
    IamPasswordAuth {
        domain_name: "acme".into(),
        user_name: "backup-bot".into(),
        password: Secret::new("pa\"ss word"),
    }
}

#[test]
fn token_request_is_a_project_scoped_password_auth() {
    let ep = iam_endpoint("ap-southeast-1");
    let req = iam_token_request(
        &ep,
        &auth(),
        &IamScope::ProjectName("ap-southeast-1".into()),
    );
    assert_eq!(req.method, HttpMethod::Post);
    assert_eq!(
        req.url,
        "https://iam.ap-southeast-1.myhuaweicloud.com/v3/auth/tokens"
    );
    assert_eq!(
        req.header("Content-Type"),
        Some("application/json;charset=utf8")
    );
    let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(
        body,
        json!({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "domain": {"name": "acme"}, "name": "backup-bot", "password": "pa\"ss word"}}},
            "scope": {"project": {"name": "ap-southeast-1"}}}})
    );
    let by_id = iam_token_request(&ep, &auth(), &IamScope::ProjectId("0123abc".into()));
    let body: serde_json::Value = serde_json::from_slice(&by_id.body).unwrap();
    assert_eq!(body["auth"]["scope"]["project"], json!({"id": "0123abc"}));
    // The password never shows in Debug.
    let dbg = format!("{req:?} {:?}", auth());
    assert!(
        !dbg.contains("pa\\\"ss") && !dbg.contains("ss word"),
        "{dbg}"
    );
}

fn token_response(status: u16, token: Option<&str>, body: &str) -> RawResponse {
    let mut headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
    if let Some(t) = token {
        headers.push(("X-Subject-Token".to_owned(), t.to_owned()));
    }
    RawResponse {
        status,
        headers,
        body: body.as_bytes().to_vec(),
    }
}

const OK_BODY: &str = r#"{"token":{"expires_at":"2024-01-02T03:04:05.123000Z","issued_at":"2024-01-01T03:04:05.123000Z","methods":["password"]}}"#;

#[test]
fn parses_token_and_expiry() {
    let t = parse_iam_token_response(&token_response(201, Some("MIIT-token"), OK_BODY)).unwrap();
    assert_eq!(t.token.expose(), "MIIT-token");
    assert_eq!(t.expires_at, 1_704_164_645);
}

#[test]
fn rejects_unusable_token_responses() {
    let no_header = parse_iam_token_response(&token_response(201, None, OK_BODY)).unwrap_err();
    assert!(matches!(&no_header, IamTokenError::Decode(e) if e.reason.contains("X-Subject-Token")));
    let bad_expiry = parse_iam_token_response(&token_response(
        201,
        Some("t"),
        r#"{"token":{"expires_at":"tomorrow"}}"#,
    ));
    assert!(matches!(bad_expiry, Err(IamTokenError::Decode(_))));
    let not_json = parse_iam_token_response(&token_response(201, Some("t"), "<html>"));
    assert!(matches!(not_json, Err(IamTokenError::Decode(e)) if e.excerpt == "<html>"));

    let denied = token_response(
        401,
        None,
        r#"{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}"#,
    );
    match parse_iam_token_response(&denied) {
        Err(IamTokenError::Service(e)) => {
            assert_eq!((e.code.as_str(), e.http_status), ("401", 401))
        }
        other => panic!("{other:?}"),
    }
    let gateway = token_response(502, None, "Bad Gateway");
    assert!(
        matches!(parse_iam_token_response(&gateway), Err(IamTokenError::Decode(e)) if e.http_status == 502)
    );
}

#[test]
fn cache_hands_out_tokens_until_shortly_before_expiry() {
    let clock = Arc::new(ManualClock::new(1_000));
    let cache = IamTokenCache::with_margin(clock.clone(), 300);
    let key = iam_cache_key(
        &iam_endpoint("r"),
        &auth(),
        &IamScope::ProjectName("r".into()),
    );
    assert!(cache.get(&key).is_none());
    cache.insert(
        key.clone(),
        IamToken {
            token: Secret::new("tok-1"),
            expires_at: 2_000,
        },
    );
    assert_eq!(cache.get(&key).unwrap().expose(), "tok-1");
    clock.set(1_699);
    assert_eq!(cache.get(&key).unwrap().expose(), "tok-1");
    clock.set(1_700); // expires_at - margin
    assert!(cache.get(&key).is_none());
    assert!(cache.is_empty(), "stale entries are dropped");

    cache.insert(
        key.clone(),
        IamToken {
            token: Secret::new("tok-2"),
            expires_at: 90_000,
        },
    );
    let other = iam_cache_key(
        &iam_endpoint("r"),
        &auth(),
        &IamScope::ProjectId("p".into()),
    );
    assert_ne!(key, other);
    assert!(cache.get(&other).is_none());
    cache.invalidate(&key);
    assert!(cache.get(&key).is_none());
    assert!(!format!("{cache:?}").contains("tok-"));
}
