//! The loopback emulator in-process: every seed action signed with the runtime's signers and
//! decoded with the runtime's decoders and the generated `parse_output`; signature, timestamp
//! and nonce failures in each family's real shape; validation errors; idempotency; rate limits;
//! faults (API and admin endpoint); Huawei IAM tokens; configuration.

#![cfg(feature = "emulator")]

#[path = "support/emulator.rs"]
mod harness;

use std::net::TcpStream;
use std::time::Duration;

use cloudbackup::alibaba::dbs::create_backup_plan::{
    BackupMethod, CreateBackupPlanInput, DatabaseType, InstanceClass, Period, Region,
};
use cloudbackup::emulator::config::{
    DEFAULT_ALIBABA_ACCESS_KEY_SECRET, DEFAULT_HUAWEI_IAM_DOMAIN, DEFAULT_HUAWEI_IAM_PASSWORD,
    DEFAULT_HUAWEI_IAM_USER, DEFAULT_HUAWEI_SECRET_KEY, DEFAULT_HUAWEI_TOKEN,
    DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY,
};
use cloudbackup::emulator::{
    Emulator, EmulatorConfig, EmulatorHandle, FaultError, FaultKind, FaultSpec,
};
use cloudbackup::huawei::koophone::BatchBackupInstancesInput;
use cloudbackup::meta::Family;
use cloudbackup::registry::{self, ActionEntry};
use cloudbackup::runtime::huawei_iam::{
    IamPasswordAuth, IamScope, IamTokenError, iam_token_request, parse_iam_token_response,
};
use cloudbackup::runtime::{
    Decoded, Endpoint, RawResponse, Tc3Options, TencentCredentials, WireRequest, decode_huawei, tc3,
};
use cloudbackup::tencent::Tc3CommonError;
use cloudbackup::tencent::cbs::{CreateDiskBackupError, CreateDiskBackupInput};
use cloudbackup::tencent::redis::ManualBackupInstanceInput;
use cloudbackup::tencent::sqlserver::create_backup::{BackupStrategy, CreateBackupInput};
use cloudbackup::{ErrorMeta, Operation};
use harness::{
    Auth, Harness, decode, empty_wire, entry_of, harness, harness_with, raw_exchange, send,
};

/// An unsigned request to the admin endpoints.
fn admin(emu: &EmulatorHandle, method: &str, path: &str, body: &str) -> (u16, serde_json::Value) {
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        emu.addr(),
        body.len()
    );
    let r = raw_exchange(emu.addr(), head.as_bytes(), body.as_bytes()).unwrap();
    (r.status, serde_json::from_slice(&r.body).unwrap())
}

fn success<O: Operation>(r: &RawResponse) -> O::Output {
    match decode(O::SERVICE.family, r) {
        Decoded::Success { payload, .. } => O::parse_output(&payload).expect("parse_output"),
        Decoded::Error(e) => panic!("expected success, got {e:?}"),
    }
}

/// The decoded error: (code, HTTP status, body as JSON).
fn error(family: Family, r: &RawResponse) -> (String, u16, serde_json::Value) {
    match decode(family, r) {
        Decoded::Error(e) => (
            e.code,
            e.http_status,
            serde_json::from_slice(&r.body).unwrap(),
        ),
        Decoded::Success { payload, .. } => panic!("expected an error, got {payload}"),
    }
}

fn cbs() -> CreateDiskBackupInput {
    CreateDiskBackupInput::new("disk-12345678")
}

fn dbs() -> CreateBackupPlanInput {
    CreateBackupPlanInput::new(
        Region::CnHangzhou,
        DatabaseType::MySql,
        InstanceClass::Small,
        BackupMethod::Logical,
        Period::Month,
        3,
    )
}

fn redis() -> ManualBackupInstanceInput {
    ManualBackupInstanceInput::new("crs-izbob1wh")
}

fn sqlserver() -> CreateBackupInput {
    CreateBackupInput::new("mssql-q6g71pcf")
        .strategy(BackupStrategy::MultiDatabase)
        .db_list(["test1", "test2"])
}

fn koophone() -> BatchBackupInstancesInput {
    BatchBackupInstancesInput::new(["iRJEVP9", "iQ2XKZ1"])
}

// ---------------------------------------------------------------------------------------------
// Successes

#[test]
fn every_seed_action_succeeds_and_decodes_with_the_typed_client() {
    let h = harness();

    let out = success::<CreateDiskBackupInput>(&h.call(&cbs(), Auth::Default));
    let disk_backup = out.disk_backup_id.expect("DiskBackupId");
    assert!(
        disk_backup.starts_with("dbp-") && disk_backup.len() == 12,
        "{disk_backup}"
    );
    assert_eq!(out.request_id.expect("RequestId").len(), 36);

    let mut plan = dbs();
    plan.client_token = Some("token-1".into());
    let out = success::<CreateBackupPlanInput>(&h.call(&plan, Auth::Default));
    let plan_id = out.backup_plan_id.expect("BackupPlanId");
    assert!(plan_id.starts_with("dbs"), "{plan_id}");
    assert!(out.order_id.is_some() && out.request_id.is_some());

    let out = success::<ManualBackupInstanceInput>(&h.call(&redis(), Auth::Default));
    let task = out.task_id.expect("data.requestId");

    let out = success::<CreateBackupInput>(&h.call(&sqlserver(), Auth::Api2Sha1));
    let flow = out.flow_id.expect("data.flowId");
    // Each resource kind counts its own ids: the first Redis task and the first SQL Server flow.
    assert_eq!((task, flow), (1, 1));

    let r = h.call(&koophone(), Auth::Default);
    assert!(r.header("x-request-id").is_some());
    let out = success::<BatchBackupInstancesInput>(&r);
    assert_eq!(out.error_code.as_deref(), Some("0"));
    let data = out.data.expect("data");
    let jobs = data.cmd_jobs.expect("cmd_jobs");
    let echoed: Vec<_> = jobs
        .iter()
        .map(|j| j.instance_id.clone().unwrap())
        .collect();
    assert_eq!(echoed, ["iRJEVP9", "iQ2XKZ1"]);
    assert!(jobs.iter().all(|j| j.job_id.is_some()) && data.task_id.is_some());

    let st = h.emu.state();
    assert_eq!(st.resources["tencent/cbs/CreateDiskBackup"], [disk_backup]);
    assert_eq!(
        st.resources["alibaba/dbs/CreateBackupPlan"],
        std::slice::from_ref(&plan_id)
    );
    assert_eq!(
        st.resources["tencent/redis/ManualBackupInstance"],
        [task.to_string()]
    );
    assert_eq!(
        st.resources["tencent/sqlserver/CreateBackup"],
        [flow.to_string()]
    );
    assert_eq!(
        st.idempotency_tokens["alibaba/dbs/CreateBackupPlan"]["token-1"],
        plan_id
    );
    for (action, c) in &st.calls {
        assert_eq!((c.received, c.succeeded), (1, 1), "{action}: {c:?}");
    }
}

#[test]
fn every_registry_action_is_routed_and_authenticated() {
    let h = harness();
    for entry in registry::all() {
        // An empty request: routing and authentication must pass; validation may refuse.
        let wire = empty_wire(entry);
        let r = send(h.emu.addr(), &h.sign(entry, &wire, Auth::Default)).unwrap();
        let family = entry.service.family;
        match decode(family, &r) {
            Decoded::Success { .. } => {}
            Decoded::Error(e) => {
                let parameter_codes = [
                    "4000",
                    "MissingParameter",
                    "InvalidParameter",
                    "InvalidParameterValue",
                ];
                let documented_400 = entry
                    .documented_errors()
                    .any(|i| i.code == e.code && i.status == Some(400));
                assert!(
                    parameter_codes.contains(&e.code.as_str()) || documented_400,
                    "{}: {e:?}",
                    entry.path()
                );
            }
        }
        assert_eq!(h.emu.state().calls[&entry.path()].received, 1);
    }
}

// ---------------------------------------------------------------------------------------------
// Authentication failures

#[test]
fn wrong_secrets_are_rejected_in_each_family_shape() {
    let h = harness();
    let bad = Some("not-the-secret");
    let cases: Vec<(&ActionEntry, WireRequest, Auth, &str, u16)> = vec![
        (
            entry_of::<CreateDiskBackupInput>(),
            cbs().to_wire(&mut String::new),
            Auth::Default,
            "AuthFailure.SignatureFailure",
            200,
        ),
        (
            entry_of::<ManualBackupInstanceInput>(),
            redis().to_wire(&mut String::new),
            Auth::Default,
            "4100",
            200,
        ),
        (
            entry_of::<CreateBackupInput>(),
            sqlserver().to_wire(&mut String::new),
            Auth::Api2Sha1,
            "4100",
            200,
        ),
        (
            entry_of::<CreateBackupPlanInput>(),
            dbs().to_wire(&mut String::new),
            Auth::Default,
            "SignatureDoesNotMatch",
            400,
        ),
        (
            entry_of::<CreateBackupPlanInput>(),
            dbs().to_wire(&mut String::new),
            Auth::AcsV2,
            "SignatureDoesNotMatch",
            400,
        ),
        (
            entry_of::<BatchBackupInstancesInput>(),
            koophone().to_wire(&mut || "rid-1".into()),
            Auth::Default,
            "APIG.0301",
            401,
        ),
        (
            entry_of::<BatchBackupInstancesInput>(),
            koophone().to_wire(&mut || "rid-2".into()),
            Auth::HuaweiToken,
            "APIG.0301",
            401,
        ),
    ];
    for (entry, wire, auth, code, status) in cases {
        let req = h.sign_as(entry, &wire, auth, h.now(), bad, None);
        let r = send(h.emu.addr(), &req).unwrap();
        assert_eq!(r.status, status, "{} {auth:?}", entry.path());
        let (got, _, body) = error(entry.service.family, &r);
        assert_eq!(got, code, "{} {auth:?}: {body}", entry.path());
        match entry.service.family {
            Family::TencentApi2 => {
                assert!(body["codeDesc"].is_string() && body["message"].is_string())
            }
            Family::TencentTc3 => assert!(body["Response"]["RequestId"].is_string()),
            Family::AlibabaRpc => {
                for k in ["RequestId", "HostId", "Message", "Recommend"] {
                    assert!(body[k].is_string(), "{k} in {body}");
                }
            }
            _ => assert!(body["error_msg"].is_string() && body["request_id"].is_string()),
        }
    }
    // The typed client maps TC3's code to its variant.
    let req = h.sign_as(
        entry_of::<CreateDiskBackupInput>(),
        &cbs().to_wire(&mut String::new),
        Auth::Default,
        h.now(),
        bad,
        None,
    );
    let (code, status, body) = error(Family::TencentTc3, &send(h.emu.addr(), &req).unwrap());
    let e = CreateDiskBackupInput::parse_error(ErrorMeta {
        code,
        message: String::new(),
        request_id: None,
        http_status: status,
        raw: None,
    });
    assert!(
        matches!(
            e,
            CreateDiskBackupError::Common(Tc3CommonError::AuthFailureSignatureFailure(_))
        ),
        "{body}"
    );
    assert!(h.emu.state().resources.is_empty(), "nothing applied");
}

#[test]
fn a_tampered_request_is_rejected() {
    let h = harness();
    let entry = entry_of::<CreateDiskBackupInput>();
    let mut req = h.sign(entry, &cbs().to_wire(&mut String::new), Auth::Default);
    req.body = br#"{"DiskId":"disk-other"}"#.to_vec();
    let (code, ..) = error(Family::TencentTc3, &send(h.emu.addr(), &req).unwrap());
    assert_eq!(code, "AuthFailure.SignatureFailure");

    let entry = entry_of::<CreateBackupPlanInput>();
    let mut req = h.sign(entry, &dbs().to_wire(&mut String::new), Auth::Default);
    req.url = req.url.replace("UsedTime=3", "UsedTime=4");
    let (code, ..) = error(Family::AlibabaRpc, &send(h.emu.addr(), &req).unwrap());
    assert_eq!(code, "SignatureDoesNotMatch");
}

#[test]
fn timestamps_outside_the_window_are_rejected() {
    let h = harness();
    let now = h.now();
    let cases: Vec<(&ActionEntry, WireRequest, Auth, i64, &str)> = vec![
        (
            entry_of::<CreateDiskBackupInput>(),
            cbs().to_wire(&mut String::new),
            Auth::Default,
            301,
            "AuthFailure.SignatureExpire",
        ),
        (
            entry_of::<ManualBackupInstanceInput>(),
            redis().to_wire(&mut String::new),
            Auth::Default,
            -301,
            "4500",
        ),
        (
            entry_of::<CreateBackupPlanInput>(),
            dbs().to_wire(&mut String::new),
            Auth::Default,
            901,
            "InvalidTimeStamp.Expired",
        ),
        (
            entry_of::<CreateBackupPlanInput>(),
            dbs().to_wire(&mut String::new),
            Auth::AcsV2,
            -901,
            "InvalidTimeStamp.Expired",
        ),
        (
            entry_of::<BatchBackupInstancesInput>(),
            koophone().to_wire(&mut || "r".into()),
            Auth::Default,
            901,
            "APIG.0303",
        ),
    ];
    for (entry, wire, auth, skew, code) in &cases {
        let req = h.sign_as(entry, wire, *auth, now - skew, None, None);
        let r = send(h.emu.addr(), &req).unwrap();
        let (got, status, body) = error(entry.service.family, &r);
        assert_eq!(got, *code, "{} {auth:?}: {body}", entry.path());
        if entry.service.family == Family::HuaweiRest {
            assert_eq!(status, 401);
        }
    }
    // Just inside the windows is fine.
    for (entry, wire, auth, skew, _) in cases {
        let inside = skew - skew.signum();
        let req = h.sign_as(entry, &wire, auth, now - inside, None, None);
        let r = send(h.emu.addr(), &req).unwrap();
        assert!(
            matches!(decode(entry.service.family, &r), Decoded::Success { .. }),
            "{} at skew {inside}: {}",
            entry.path(),
            String::from_utf8_lossy(&r.body)
        );
    }
}

#[test]
fn replayed_nonces_are_rejected() {
    let h = harness();
    let cases: Vec<(&ActionEntry, WireRequest, Auth, &str)> = vec![
        (
            entry_of::<ManualBackupInstanceInput>(),
            redis().to_wire(&mut String::new),
            Auth::Default,
            "4500",
        ),
        (
            entry_of::<CreateBackupPlanInput>(),
            dbs().to_wire(&mut String::new),
            Auth::Default,
            "SignatureNonceUsed",
        ),
        (
            entry_of::<CreateBackupPlanInput>(),
            dbs().to_wire(&mut String::new),
            Auth::AcsV2,
            "SignatureNonceUsed",
        ),
    ];
    for (entry, wire, auth, code) in cases {
        let req = h.sign(entry, &wire, auth);
        let first = send(h.emu.addr(), &req).unwrap();
        assert!(matches!(
            decode(entry.service.family, &first),
            Decoded::Success { .. }
        ));
        let again = send(h.emu.addr(), &req).unwrap();
        let (got, ..) = error(entry.service.family, &again);
        assert_eq!(got, code, "{} {auth:?}", entry.path());
    }
}

#[test]
fn huawei_iam_tokens_are_issued_checked_and_expire() {
    let h = harness();
    let endpoint = Endpoint {
        scheme: "http".into(),
        host: h.emu.addr().to_string(),
    };
    let auth = |password: &str| IamPasswordAuth {
        domain_name: DEFAULT_HUAWEI_IAM_DOMAIN.into(),
        user_name: DEFAULT_HUAWEI_IAM_USER.into(),
        password: password.into(),
    };
    let scope = IamScope::ProjectName("ap-southeast-1".into());

    let wrong = send(
        h.emu.addr(),
        &iam_token_request(&endpoint, &auth("nope"), &scope),
    )
    .unwrap();
    match parse_iam_token_response(&wrong) {
        Err(IamTokenError::Service(e)) => {
            assert_eq!((e.code.as_str(), e.http_status), ("401", 401))
        }
        other => panic!("{other:?}"),
    }

    let ok = send(
        h.emu.addr(),
        &iam_token_request(&endpoint, &auth(DEFAULT_HUAWEI_IAM_PASSWORD), &scope),
    )
    .unwrap();
    assert_eq!(ok.status, 201);
    let token = parse_iam_token_response(&ok).expect("token");
    assert_eq!(token.expires_at, h.now() + 86_400);
    assert_eq!(h.emu.state().live_tokens, 1);

    let entry = entry_of::<BatchBackupInstancesInput>();
    let wire = koophone().to_wire(&mut || "rid".into());
    let call = |h: &Harness| {
        let req = h.sign_as(
            entry,
            &wire,
            Auth::HuaweiToken,
            h.now(),
            Some(token.token.expose()),
            None,
        );
        send(h.emu.addr(), &req).unwrap()
    };
    success::<BatchBackupInstancesInput>(&call(&h));
    h.clock.advance(86_400);
    let (code, status, body) = error(Family::HuaweiRest, &call(&h));
    assert_eq!((code.as_str(), status), ("APIG.0301", 401), "{body}");
    // The configured token keeps working.
    success::<BatchBackupInstancesInput>(&h.call(&koophone(), Auth::HuaweiToken));
    // No credential shows in Debug output.
    let debug = format!("{:?}", h.emu);
    for secret in [
        token.token.expose(),
        DEFAULT_HUAWEI_TOKEN,
        DEFAULT_HUAWEI_IAM_PASSWORD,
        DEFAULT_HUAWEI_SECRET_KEY,
        DEFAULT_TENCENT_SECRET_KEY,
    ] {
        assert!(!debug.contains(secret), "{secret} leaked: {debug}");
    }
}

#[test]
fn huawei_locks_an_ak_for_five_minutes_after_five_failures() {
    let h = harness();
    let entry = entry_of::<BatchBackupInstancesInput>();
    let wire = koophone().to_wire(&mut || "rid".into());
    for _ in 0..5 {
        let req = h.sign_as(entry, &wire, Auth::Default, h.now(), Some("wrong"), None);
        let (_, _, body) = error(Family::HuaweiRest, &send(h.emu.addr(), &req).unwrap());
        assert!(
            body["error_msg"]
                .as_str()
                .unwrap()
                .contains("verify aksk signature fail")
        );
    }
    let (code, status, body) = error(Family::HuaweiRest, &h.call(&koophone(), Auth::Default));
    assert_eq!((code.as_str(), status), ("APIG.0301", 401));
    assert!(
        body["error_msg"].as_str().unwrap().contains("forbidden"),
        "{body}"
    );
    h.clock.advance(301);
    success::<BatchBackupInstancesInput>(&h.call(&koophone(), Auth::Default));
}

// ---------------------------------------------------------------------------------------------
// Validation, idempotency, limits

fn without(mut wire: WireRequest, name: &str) -> WireRequest {
    wire.params.retain(|(k, _)| k != name);
    if let Some(b) = &wire.body {
        let mut v: serde_json::Value = serde_json::from_slice(b).unwrap();
        v.as_object_mut().unwrap().remove(name);
        wire.body = Some(v.to_string().into_bytes());
    }
    wire
}

#[test]
fn validation_failures_get_the_family_parameter_errors() {
    let h = harness();
    let long_name = cbs().disk_backup_name("n".repeat(101));
    let mut year_10 = dbs();
    year_10.period = Period::Year;
    year_10.used_time = 10;
    let too_many = BatchBackupInstancesInput::new((0..101).map(|i| format!("i-{i}")));
    let cases: Vec<(&ActionEntry, WireRequest, Auth, &str, u16)> = vec![
        (
            entry_of::<CreateDiskBackupInput>(),
            long_name.to_wire(&mut String::new),
            Auth::Default,
            "InvalidParameterValue",
            200,
        ),
        (
            entry_of::<CreateDiskBackupInput>(),
            without(cbs().to_wire(&mut String::new), "DiskId"),
            Auth::Default,
            "MissingParameter",
            200,
        ),
        (
            entry_of::<CreateBackupPlanInput>(),
            year_10.to_wire(&mut String::new),
            Auth::Default,
            "InvalidParameter",
            400,
        ),
        (
            entry_of::<CreateBackupPlanInput>(),
            without(dbs().to_wire(&mut String::new), "Region"),
            Auth::AcsV2,
            "MissingParameter",
            400,
        ),
        (
            entry_of::<ManualBackupInstanceInput>(),
            without(redis().to_wire(&mut String::new), "redisId"),
            Auth::Default,
            "4000",
            200,
        ),
        (
            entry_of::<CreateBackupInput>(),
            CreateBackupInput::new("m")
                .db_list(["a"])
                .to_wire(&mut String::new),
            Auth::Default,
            "4000",
            200,
        ),
        (
            entry_of::<BatchBackupInstancesInput>(),
            too_many.to_wire(&mut || "r".into()),
            Auth::Default,
            "KOOPHONE.API.1000",
            400,
        ),
    ];
    for (entry, wire, auth, code, status) in cases {
        let r = send(h.emu.addr(), &h.sign(entry, &wire, auth)).unwrap();
        let (got, got_status, body) = error(entry.service.family, &r);
        assert_eq!(
            (got.as_str(), got_status),
            (code, status),
            "{}: {body}",
            entry.path()
        );
    }
    let e = CreateDiskBackupInput::parse_error(ErrorMeta {
        code: "InvalidParameterValue".into(),
        message: String::new(),
        request_id: None,
        http_status: 200,
        raw: None,
    });
    assert!(matches!(
        e,
        CreateDiskBackupError::Common(Tc3CommonError::InvalidParameterValue(_))
    ));
    assert!(h.emu.state().resources.is_empty());
}

#[test]
fn a_repeated_client_token_returns_the_same_plan_and_creates_nothing() {
    let h = harness();
    let mut plan = dbs();
    plan.client_token = Some("ct-1".into());
    let first = success::<CreateBackupPlanInput>(&h.call(&plan, Auth::Default));
    let again = success::<CreateBackupPlanInput>(&h.call(&plan, Auth::AcsV2));
    assert_eq!(first.backup_plan_id, again.backup_plan_id);
    assert_ne!(first.request_id, again.request_id, "fresh request id");
    plan.client_token = Some("ct-2".into());
    let other = success::<CreateBackupPlanInput>(&h.call(&plan, Auth::Default));
    assert_ne!(first.backup_plan_id, other.backup_plan_id);
    let st = h.emu.state();
    assert_eq!(st.resources["alibaba/dbs/CreateBackupPlan"].len(), 2);
    assert_eq!(st.calls["alibaba/dbs/CreateBackupPlan"].succeeded, 3);
}

#[test]
fn documented_rate_limits_are_enforced_on_the_injected_clock() {
    let h = harness();
    // CBS: 20 calls per second.
    for i in 0..20 {
        success::<CreateDiskBackupInput>(&h.call(&cbs(), Auth::Default));
        assert_eq!(
            h.emu.state().resources["tencent/cbs/CreateDiskBackup"].len(),
            i + 1
        );
    }
    let (code, ..) = error(Family::TencentTc3, &h.call(&cbs(), Auth::Default));
    assert_eq!(code, "RequestLimitExceeded");
    h.clock.advance(1);
    success::<CreateDiskBackupInput>(&h.call(&cbs(), Auth::Default));

    // Redis: 24 calls per day.
    for _ in 0..24 {
        success::<ManualBackupInstanceInput>(&h.call(&redis(), Auth::Default));
        h.clock.advance(60);
    }
    let (code, _, body) = error(Family::TencentApi2, &h.call(&redis(), Auth::Default));
    assert_eq!(code, "4400", "{body}");
    h.clock.advance(86_400);
    success::<ManualBackupInstanceInput>(&h.call(&redis(), Auth::Default));
    let st = h.emu.state();
    assert_eq!(
        st.calls["tencent/cbs/CreateDiskBackup"].errors["RequestLimitExceeded"],
        1
    );
    assert_eq!(
        st.calls["tencent/redis/ManualBackupInstance"].errors["4400"],
        1
    );
}

// ---------------------------------------------------------------------------------------------
// Faults

#[test]
fn injected_errors_hit_the_next_n_calls_with_the_documented_shape() {
    let h = harness();
    h.emu
        .inject(FaultSpec::new(
            "tencent/cbs/CreateDiskBackup",
            2,
            FaultKind::Error {
                code: "InvalidDisk.Busy".into(),
                message: None,
            },
        ))
        .unwrap();
    for _ in 0..2 {
        let (code, status, body) = error(Family::TencentTc3, &h.call(&cbs(), Auth::Default));
        assert_eq!((code.as_str(), status), ("InvalidDisk.Busy", 200));
        let e = CreateDiskBackupInput::parse_error(ErrorMeta {
            code,
            message: String::new(),
            request_id: None,
            http_status: status,
            raw: None,
        });
        assert!(
            matches!(e, CreateDiskBackupError::InvalidDiskBusy(_)),
            "{body}"
        );
    }
    success::<CreateDiskBackupInput>(&h.call(&cbs(), Auth::Default));

    // Alibaba uses the spec's status (InternalError: 500).
    h.emu
        .inject(FaultSpec::new(
            "CreateBackupPlan",
            1,
            FaultKind::Error {
                code: "InternalError".into(),
                message: Some("boom".into()),
            },
        ))
        .unwrap();
    let (code, status, body) = error(Family::AlibabaRpc, &h.call(&dbs(), Auth::Default));
    assert_eq!(
        (code.as_str(), status, body["Message"].as_str()),
        ("InternalError", 500, Some("boom"))
    );

    // Undocumented codes and unknown actions are refused.
    let bad = FaultSpec::new(
        "tencent/cbs/CreateDiskBackup",
        1,
        FaultKind::Error {
            code: "NotACode".into(),
            message: None,
        },
    );
    assert!(matches!(
        h.emu.inject(bad),
        Err(FaultError::UndocumentedError { .. })
    ));
    let unknown = FaultSpec::new("x/y/Z", 1, FaultKind::DropBeforeApply);
    assert!(matches!(
        h.emu.inject(unknown),
        Err(FaultError::UnknownAction(_))
    ));
    assert!(h.emu.state().faults.is_empty());
}

#[test]
fn latency_5xx_and_dropped_connections() {
    let h = harness();
    let action = "huawei/koophone/BatchBackupInstances";
    h.emu
        .inject(FaultSpec::new(
            action,
            1,
            FaultKind::Latency { millis: 300 },
        ))
        .unwrap();
    #[allow(clippy::disallowed_methods)] // measuring real latency in a test
    let started = std::time::Instant::now();
    success::<BatchBackupInstancesInput>(&h.call(&koophone(), Auth::Default));
    assert!(started.elapsed() >= Duration::from_millis(300));

    h.emu
        .inject(FaultSpec::new(
            action,
            1,
            FaultKind::Http5xx { status: 503 },
        ))
        .unwrap();
    let r = h.call(&koophone(), Auth::Default);
    assert_eq!(r.status, 503);
    assert!(
        decode_huawei(&r).is_err(),
        "a bare 5xx is not a service error"
    );

    let created = |h: &Harness| h.emu.state().resources.get(action).map_or(0, Vec::len);
    let before = created(&h);
    h.emu
        .inject(FaultSpec::new(action, 1, FaultKind::DropBeforeApply))
        .unwrap();
    let entry = entry_of::<BatchBackupInstancesInput>();
    let wire = koophone().to_wire(&mut || "rid-drop".into());
    assert!(send(h.emu.addr(), &h.sign(entry, &wire, Auth::Default)).is_err());
    assert_eq!(created(&h), before, "not applied");

    h.emu
        .inject(FaultSpec::new(action, 1, FaultKind::DropAfterApply))
        .unwrap();
    assert!(send(h.emu.addr(), &h.sign(entry, &wire, Auth::Default)).is_err());
    assert_eq!(created(&h), before + 1, "applied, then dropped");

    let st = h.emu.state();
    assert_eq!(st.calls[action].dropped, 2);
    assert_eq!(st.calls[action].errors["HTTP 503"], 1);
}

#[test]
fn admin_endpoints_arm_faults_show_state_and_reset() {
    let h = harness();
    let (status, v) = admin(
        &h.emu,
        "POST",
        "/_emulator/faults",
        r#"[{"action": "tencent/redis/ManualBackupInstance", "count": 1, "kind": "error", "code": "10707"},
            {"action": "tencent/sqlserver/CreateBackup", "kind": "http5xx", "status": 502}]"#,
    );
    assert_eq!((status, v["armed"].as_u64()), (200, Some(2)));
    let (status, v) = admin(
        &h.emu,
        "POST",
        "/_emulator/faults",
        r#"{"action": "tencent/redis/ManualBackupInstance", "kind": "error", "code": "12345"}"#,
    );
    assert_eq!(status, 400, "{v}");
    let (_, v) = admin(&h.emu, "GET", "/_emulator/faults", "");
    assert_eq!(v["faults"].as_array().unwrap().len(), 2);

    let (code, _, body) = error(Family::TencentApi2, &h.call(&redis(), Auth::Default));
    assert_eq!(code, "10707", "{body}");
    assert_eq!(h.call(&sqlserver(), Auth::Default).status, 502);
    success::<ManualBackupInstanceInput>(&h.call(&redis(), Auth::Default));

    let (status, state) = admin(&h.emu, "GET", "/_emulator/state", "");
    assert_eq!(status, 200);
    assert_eq!(
        state["calls"]["tencent/redis/ManualBackupInstance"]["received"],
        2
    );
    assert_eq!(
        state["resources"]["tencent/redis/ManualBackupInstance"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(admin(&h.emu, "POST", "/_emulator/reset", "").0, 200);
    let st = h.emu.state();
    assert!(st.calls.is_empty() && st.resources.is_empty() && st.faults.is_empty());
}

#[test]
fn faults_and_credentials_from_a_config_file() {
    let config = EmulatorConfig::from_json(
        r#"{"tencent": {"id": "AKIDcustom", "secret": "custom-secret"},
            "faults": [{"action": "tencent/cbs/CreateDiskBackup", "kind": "error", "code": "ResourceBusy"}]}"#,
    )
    .unwrap();
    let debug = format!("{config:?}");
    assert!(
        !debug.contains("custom-secret") && !debug.contains(DEFAULT_ALIBABA_ACCESS_KEY_SECRET),
        "{debug}"
    );
    let h = harness_with(config);
    let entry = entry_of::<CreateDiskBackupInput>();
    let wire = cbs().to_wire(&mut String::new);
    let addr = h.emu.addr().to_string();
    let ctx = h.ctx(entry, &addr);
    let sign = |id: &str, secret: &str| {
        let creds = TencentCredentials::new(id, secret);
        tc3::sign_tc3(
            &ctx,
            &wire,
            &creds,
            h.now(),
            &Tc3Options::default(),
            &h.cache,
        )
        .unwrap()
        .request
    };
    let (code, ..) = error(
        Family::TencentTc3,
        &send(
            h.emu.addr(),
            &sign(DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY),
        )
        .unwrap(),
    );
    assert_eq!(code, "AuthFailure.SecretIdNotFound");
    let (code, ..) = error(
        Family::TencentTc3,
        &send(h.emu.addr(), &sign("AKIDcustom", "custom-secret")).unwrap(),
    );
    assert_eq!(code, "ResourceBusy");
    success::<CreateDiskBackupInput>(
        &send(h.emu.addr(), &sign("AKIDcustom", "custom-secret")).unwrap(),
    );

    let bad = EmulatorConfig::from_json(
        r#"{"faults": [{"action": "nope", "kind": "drop_before_apply"}]}"#,
    );
    assert!(bad.unwrap_err().to_string().contains("nope"));
    assert!(
        EmulatorConfig::from_json(r#"{"tencnet": {}}"#).is_err(),
        "unknown keys are refused"
    );
}

// ---------------------------------------------------------------------------------------------
// Routing

#[test]
fn routing_by_vendor_host_and_family_markers() {
    let h = harness();
    // API 2.0 with the vendor host in Host.
    let entry = entry_of::<ManualBackupInstanceInput>();
    let wire = redis().to_wire(&mut String::new);
    let req = h.sign_as(
        entry,
        &wire,
        Auth::Default,
        h.now(),
        None,
        Some("redis.api.qcloud.com"),
    );
    success::<ManualBackupInstanceInput>(&send(h.emu.addr(), &req).unwrap());
    // ... but not on another service's host.
    let req = h.sign_as(
        entry,
        &wire,
        Auth::Default,
        h.now(),
        None,
        Some("sqlserver.api.qcloud.com"),
    );
    let (code, _, body) = error(Family::TencentApi2, &send(h.emu.addr(), &req).unwrap());
    assert_eq!(code, "4000", "{body}");

    // TC3: unknown action; wrong version.
    let cbs_entry = entry_of::<CreateDiskBackupInput>();
    let mut req = h.sign(cbs_entry, &cbs().to_wire(&mut String::new), Auth::Default);
    for (k, v) in &mut req.headers {
        if k == "X-TC-Version" {
            *v = "2099-01-01".into();
        }
    }
    assert_eq!(
        error(Family::TencentTc3, &send(h.emu.addr(), &req).unwrap()).0,
        "NoSuchVersion"
    );
    for (k, v) in &mut req.headers {
        if k == "X-TC-Action" {
            *v = "DeleteEverything".into();
        }
    }
    assert_eq!(
        error(Family::TencentTc3, &send(h.emu.addr(), &req).unwrap()).0,
        "InvalidAction"
    );

    // Alibaba: wrong version.
    let mut req = h.sign(
        entry_of::<CreateBackupPlanInput>(),
        &dbs().to_wire(&mut String::new),
        Auth::AcsV2,
    );
    req.url = req.url.replace("Version=2019-03-06", "Version=2000-01-01");
    let (code, status, _) = error(Family::AlibabaRpc, &send(h.emu.addr(), &req).unwrap());
    assert_eq!((code.as_str(), status), ("NoSuchVersion", 400));

    // Nothing matches: Huawei's gateway answer.
    let r = raw_exchange(
        h.emu.addr(),
        b"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"",
    )
    .unwrap();
    let (code, status, _) = error(Family::HuaweiRest, &r);
    assert_eq!((code.as_str(), status), ("APIG.0101", 404));
}

#[test]
fn shutdown_stops_the_server() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let addr = emu.addr();
    assert!(emu.base_url().starts_with("http://127.0.0.1:"));
    emu.shutdown();
    assert!(TcpStream::connect(addr).is_err());
}
