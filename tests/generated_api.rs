//! The generated seed API against the runtime: wire encoding, generated values, response
//! decoding through each family's envelope decoder, and error mapping by code.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use cloudbackup::alibaba::RpcCommonError;
use cloudbackup::alibaba::dbs::create_backup_plan::{
    BackupMethod, CreateBackupPlanInput, DatabaseType, InstanceClass, Period, Region,
};
use cloudbackup::alibaba::dbs::{CreateBackupPlanError, CreateBackupPlanOutput};
use cloudbackup::huawei::RestCommonError;
use cloudbackup::huawei::koophone::{BatchBackupInstancesError, BatchBackupInstancesInput};
use cloudbackup::runtime::decode::{
    Decoded, RawResponse, decode_alibaba, decode_huawei, decode_tc3, decode_tencent_v2,
};
use cloudbackup::runtime::request::HttpMethod;
use cloudbackup::tencent::cbs::{CreateDiskBackupError, CreateDiskBackupInput};
use cloudbackup::tencent::redis::ManualBackupInstanceInput;
use cloudbackup::tencent::sqlserver::create_backup::{BackupStrategy, CreateBackupInput};
use cloudbackup::tencent::sqlserver::{CreateBackupError, CreateBackupOutput};
use cloudbackup::tencent::{Api2CommonError, Tc3CommonError};
use cloudbackup::{ErrorMeta, Operation, ServiceError};

fn ids() -> impl FnMut() -> String {
    let mut n = 0;
    move || {
        n += 1;
        format!("id-{n}")
    }
}

fn pairs(p: &[(String, String)]) -> Vec<(&str, &str)> {
    p.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn ok(body: &str) -> RawResponse {
    RawResponse {
        status: 200,
        headers: vec![("X-Request-Id".into(), "hdr-req-1".into())],
        body: body.as_bytes().to_vec(),
    }
}

fn payload(d: Decoded) -> serde_json::Value {
    match d {
        Decoded::Success { payload, .. } => payload,
        Decoded::Error(e) => panic!("expected success, got {e:?}"),
    }
}

fn meta(code: &str) -> ErrorMeta {
    ErrorMeta {
        code: code.to_owned(),
        message: "msg".to_owned(),
        request_id: Some("req-9".to_owned()),
        http_status: 200,
        raw: None,
    }
}

#[test]
fn api2_arrays_are_flattened_from_zero() {
    let input = CreateBackupInput::new("mssql-q6g71pcf")
        .strategy(BackupStrategy::MultiDatabase)
        .db_list(["test1", "test2"]);
    let wire = input.to_wire(&mut ids());
    assert_eq!(
        (wire.method, wire.path.as_str()),
        (HttpMethod::Get, "/v2/index.php")
    );
    assert_eq!(
        pairs(&wire.params),
        [
            ("resourceId", "mssql-q6g71pcf"),
            ("strategy", "1"),
            ("dbList.0", "test1"),
            ("dbList.1", "test2")
        ]
    );
    assert_eq!(wire.body, None);
    assert!(wire.headers.is_empty());
}

#[test]
fn api2_output_from_the_page_example_with_string_code() {
    let body = r#"{"code":"0","message":"","data":{"flowId":5293}}"#;
    let p = payload(decode_tencent_v2(&ok(body)).unwrap());
    let out: CreateBackupOutput = CreateBackupInput::parse_output(&p).unwrap();
    assert_eq!(out.flow_id, Some(5293));
    // Lenient: the same field as a string.
    let p = payload(decode_tencent_v2(&ok(r#"{"code":0,"data":{"flowId":"5294"}}"#)).unwrap());
    assert_eq!(
        CreateBackupInput::parse_output(&p).unwrap().flow_id,
        Some(5294)
    );
}

#[test]
fn api2_errors_map_to_variants_by_code() {
    let body = r#"{"code":50,"message":"no such instance","data":{}}"#;
    let Decoded::Error(parts) = decode_tencent_v2(&ok(body)).unwrap() else {
        panic!("code 50 is an error");
    };
    let e = CreateBackupInput::parse_error(parts.into());
    assert!(matches!(e, CreateBackupError::InstanceNotFound(_)), "{e:?}");
    assert_eq!(e.code(), "50");
    assert!(!e.is_retryable());
    // Common API 2.0 codes are variants of the provider's shared enum, wrapped in `Common`;
    // the accessors see through it, and 6000 is retryable per the spec.
    let common = CreateBackupError::from_meta(meta("4100"));
    assert!(matches!(
        common,
        CreateBackupError::Common(Api2CommonError::AuthFailure(_))
    ));
    assert_eq!(common.code(), "4100");
    assert_eq!(common.message(), "msg");
    assert_eq!(common.request_id(), Some("req-9"));
    assert!(!common.is_retryable());
    assert!(CreateBackupError::from_meta(meta("6000")).is_retryable());
    let unknown = CreateBackupError::from_meta(meta("777"));
    assert!(matches!(unknown, CreateBackupError::Unhandled(_)));
    assert_eq!(unknown.to_string(), "777: msg (request id req-9)");
}

#[test]
fn redis_task_id_comes_from_data_request_id() {
    let wire = ManualBackupInstanceInput::new("crs-izbob1wh")
        .remark("test_api")
        .to_wire(&mut ids());
    assert_eq!(
        pairs(&wire.params),
        [("redisId", "crs-izbob1wh"), ("remark", "test_api")]
    );
    let body = r#"{"code":0,"message":"","codeDesc":"Success","data":{"requestId":375062}}"#;
    let p = payload(decode_tencent_v2(&ok(body)).unwrap());
    let out = ManualBackupInstanceInput::parse_output(&p).unwrap();
    assert_eq!(out.task_id, Some(375_062));
    assert_eq!(ManualBackupInstanceInput::ACTION.limits[0].max_calls, 24);
    assert_eq!(
        ManualBackupInstanceInput::ACTION.limits[0].per_seconds,
        86_400
    );
}

#[test]
fn tc3_json_body_and_response() {
    let wire = CreateDiskBackupInput::new("disk-xxxxxxxx").to_wire(&mut ids());
    assert_eq!((wire.method, wire.path.as_str()), (HttpMethod::Post, "/"));
    assert_eq!(
        wire.body.as_deref(),
        Some(&br#"{"DiskId":"disk-xxxxxxxx"}"#[..])
    );
    assert!(wire.params.is_empty());
    let body = r#"{"Response":{"DiskBackupId":"dbp-xxxxxxxx","RequestId":"a79a4333-ac8e-426c-8cfe-2923c4010d64"}}"#;
    let out =
        CreateDiskBackupInput::parse_output(&payload(decode_tc3(&ok(body)).unwrap())).unwrap();
    assert_eq!(out.disk_backup_id.as_deref(), Some("dbp-xxxxxxxx"));
    assert_eq!(
        out.request_id.as_deref(),
        Some("a79a4333-ac8e-426c-8cfe-2923c4010d64")
    );
    // Not lenient: a number where a string is documented is a field error naming the path.
    let bad = serde_json::json!({"DiskBackupId": 5});
    let err = CreateDiskBackupInput::parse_output(&bad).unwrap_err();
    assert_eq!(
        err.to_string(),
        "field `DiskBackupId`: expected a string, found a number"
    );
}

#[test]
fn tc3_errors_action_common_and_retryable() {
    let body =
        r#"{"Response":{"Error":{"Code":"InvalidDisk.Busy","Message":"busy"},"RequestId":"r-1"}}"#;
    let Decoded::Error(parts) = decode_tc3(&ok(body)).unwrap() else {
        panic!()
    };
    let e = CreateDiskBackupInput::parse_error(parts.into());
    assert!(matches!(e, CreateDiskBackupError::InvalidDiskBusy(_)));
    assert!(ServiceError::is_retryable(&e));
    assert_eq!(e.request_id(), Some("r-1"));
    for (code, retry) in [
        ("ResourceInsufficient.OverQuota", false),
        ("ResourceUnavailable.SnapshotCreating", true),
        ("RequestLimitExceeded", true),
        ("AuthFailure.SignatureFailure", false),
    ] {
        let e = CreateDiskBackupError::from_meta(meta(code));
        assert!(!matches!(e, CreateDiskBackupError::Unhandled(_)), "{code}");
        assert_eq!(e.is_retryable(), retry, "{code}");
    }
    assert!(matches!(
        CreateDiskBackupError::from_meta(meta("AuthFailure.SignatureFailure")),
        CreateDiskBackupError::Common(Tc3CommonError::AuthFailureSignatureFailure(_))
    ));
}

#[test]
fn dbs_client_token_is_filled_once_and_kept() {
    let mut input = CreateBackupPlanInput::new(
        Region::CnBeijing,
        DatabaseType::Redis,
        InstanceClass::Medium,
        BackupMethod::Duplication,
        Period::Month,
        11,
    );
    let mut make = ids();
    input.fill_idempotency_token(&mut make);
    input.fill_idempotency_token(&mut make);
    assert_eq!(input.client_token.as_deref(), Some("id-1"));
    let first = input.to_wire(&mut make);
    let second = input.to_wire(&mut make);
    assert_eq!(first, second, "every attempt carries the same token");
    assert_eq!(
        pairs(&first.params),
        [
            ("Region", "cn-beijing"),
            ("DatabaseType", "Redis"),
            ("InstanceClass", "medium"),
            ("BackupMethod", "duplication"),
            ("Period", "Month"),
            ("UsedTime", "11"),
            ("ClientToken", "id-1"),
        ]
    );
    // A token set by the caller is never replaced.
    let mut mine = input.clone().client_token("mine");
    mine.fill_idempotency_token(&mut make);
    assert_eq!(mine.client_token.as_deref(), Some("mine"));
    assert!(CreateBackupPlanInput::ACTION.idempotent);
    assert_eq!(
        CreateBackupPlanInput::ACTION.idempotency_field,
        Some("ClientToken")
    );
    assert_eq!(
        CreateBackupPlanInput::ACTION.follow_ups[0].wait_seconds,
        Some(5)
    );
}

#[test]
fn dbs_output_and_errors() {
    let body = r#"{"RequestId":"r-2","Success":true,"BackupPlanId":"dbs1hvb1ft1uyi0","OrderId":"20760960519"}"#;
    let p = payload(decode_alibaba(&ok(body)).unwrap());
    let out: CreateBackupPlanOutput = CreateBackupPlanInput::parse_output(&p).unwrap();
    assert_eq!(out.backup_plan_id.as_deref(), Some("dbs1hvb1ft1uyi0"));
    assert_eq!(out.order_id.as_deref(), Some("20760960519"));
    // The 2020 page's Long decodes too (`lenient`).
    let body = r#"{"RequestId":"r-3","Success":true,"BackupPlanId":"dbs1","OrderId":20760960519}"#;
    let p = payload(decode_alibaba(&ok(body)).unwrap());
    let out: CreateBackupPlanOutput = CreateBackupPlanInput::parse_output(&p).unwrap();
    assert_eq!(out.order_id.as_deref(), Some("20760960519"));
    let e = CreateBackupPlanError::from_meta(meta("BackupPlanNotCreate"));
    assert!(matches!(e, CreateBackupPlanError::BackupPlanNotCreate(_)));
    assert!(CreateBackupPlanError::from_meta(meta("Throttling.User")).is_retryable());
    assert!(matches!(
        CreateBackupPlanError::from_meta(meta("SignatureDoesNotMatch")),
        CreateBackupPlanError::Common(RpcCommonError::SignatureDoesNotMatch(_))
    ));
}

#[test]
fn dbs_region_endpoints_follow_the_sdk_map() {
    let s = CreateBackupPlanInput::SERVICE;
    assert_eq!(
        s.host_for_region("cn-beijing"),
        Some("dbs-api.cn-hangzhou.aliyuncs.com")
    );
    assert_eq!(
        s.host_for_region("ap-southeast-1"),
        Some("dbs-api.ap-southeast-1.aliyuncs.com")
    );
    assert_eq!(s.host_for_region("mars-north-1"), None);
    assert_eq!(s.version, Some("2019-03-06"));
}

#[test]
fn huawei_request_id_is_fresh_per_attempt_unless_set() {
    let input = BatchBackupInstancesInput::new(["iRJEVP9", "iRJEVQ0"]);
    let mut make = ids();
    let a = input.to_wire(&mut make);
    let b = input.to_wire(&mut make);
    assert_eq!(pairs(&a.headers), [("x-request-id", "id-1")]);
    assert_eq!(pairs(&b.headers), [("x-request-id", "id-2")]);
    assert_eq!(
        a.body.as_deref(),
        Some(&br#"{"instance_ids":["iRJEVP9","iRJEVQ0"]}"#[..])
    );
    let fixed = input.x_request_id("mine").to_wire(&mut make);
    assert_eq!(pairs(&fixed.headers), [("x-request-id", "mine")]);
}

#[test]
fn huawei_output_nested_objects_and_aliases() {
    let body = r#"{"error_code":"0","error_msg":"OK","data":{"task_id":42,"cmd_jobs":[{"instance_id":"iRJEVP9","job_id":"j-1"}]}}"#;
    let p = payload(decode_huawei(&ok(body)).unwrap());
    let out = BatchBackupInstancesInput::parse_output(&p).unwrap();
    let data = out.data.expect("data");
    assert_eq!(
        data.task_id.as_deref(),
        Some("42"),
        "lenient: number accepted as string"
    );
    let jobs = data.cmd_jobs.expect("jobs");
    assert_eq!(jobs[0].instance_id.as_deref(), Some("iRJEVP9"));
    // The page spells the prefix two ways; both map to the same variant.
    for code in ["KOOPHONE.API.1001", "KooPhone.API.1001"] {
        assert!(matches!(
            BatchBackupInstancesError::from_meta(meta(code)),
            BatchBackupInstancesError::InsufficientInstancePermissions(_)
        ));
    }
    assert!(BatchBackupInstancesError::from_meta(meta("KOOPHONE.API.9999")).is_retryable());
    assert!(matches!(
        BatchBackupInstancesError::from_meta(meta("APIG.0301")),
        BatchBackupInstancesError::Common(RestCommonError::ApigAuthenticationFailed(_))
    ));
}

/// The code build.rs compiled into the crate (`OUT_DIR`) is the committed snapshot
/// (`codegen/tests/snapshots/`, checked against the specs by the codegen's snapshot test), for
/// the index and every service in the registry.
#[test]
fn compiled_code_is_the_snapshot() {
    let out = Path::new(env!("OUT_DIR"));
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("codegen/tests/snapshots");
    let services: BTreeSet<String> = cloudbackup::registry::all()
        .iter()
        .map(|e| format!("{}/{}.rs", e.service.provider, e.service.service))
        .collect();
    assert!(
        !services.is_empty(),
        "the registry lists the spec'd actions"
    );
    let mut stale = Vec::new();
    for rel in std::iter::once("_generated.rs".to_owned()).chain(services) {
        let compiled = std::fs::read_to_string(out.join(&rel))
            .unwrap_or_else(|e| panic!("{rel} not generated into OUT_DIR: {e}"));
        if std::fs::read_to_string(snapshots.join(&rel)).ok() != Some(compiled) {
            stale.push(rel);
        }
    }
    assert!(
        stale.is_empty(),
        "OUT_DIR differs from the snapshot of {stale:?}: run scripts/regen.sh, read the diff of \
         codegen/tests/snapshots/ and commit it"
    );
}

/// input → wire → input → wire gives the same request, and (without generated request ids)
/// the same input.
fn round_trip<O: Operation + Clone + PartialEq + std::fmt::Debug>(mut input: O, same_input: bool) {
    input.fill_idempotency_token(&mut ids());
    let wire = input.to_wire(&mut ids());
    let back = O::from_wire(&wire).expect("decodes");
    assert_eq!(back.to_wire(&mut ids()), wire);
    if same_input {
        assert_eq!(back, input);
    }
}

#[test]
fn every_seed_round_trips_through_the_wire() {
    round_trip(
        CreateBackupInput::new("mssql-q6g71pcf")
            .strategy(BackupStrategy::MultiDatabase)
            .db_list(["test1", "test2"]),
        true,
    );
    round_trip(
        ManualBackupInstanceInput::new("crs-izbob1wh").remark("a b+c/d=é"),
        true,
    );
    round_trip(
        CreateDiskBackupInput::new("disk-1").disk_backup_name("n"),
        true,
    );
    round_trip(
        CreateBackupPlanInput::new(
            Region::CnHangzhou,
            DatabaseType::MongoDb,
            InstanceClass::Micro,
            BackupMethod::Physical,
            Period::Year,
            9,
        ),
        true,
    );
    round_trip(BatchBackupInstancesInput::new(["a", "b"]), false);
}

/// `provider/service/Action` of every action file in `specs/`, sorted.
fn spec_tree_actions() -> Vec<String> {
    let dirs = |dir: &Path| -> Vec<(String, PathBuf)> {
        let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
            .filter(|(name, _)| !name.starts_with(['_', '.']))
            .collect();
        v.sort();
        v
    };
    let mut out = Vec::new();
    for (provider, pdir) in dirs(&Path::new(env!("CARGO_MANIFEST_DIR")).join("specs")) {
        for (service, sdir) in dirs(&pdir).into_iter().filter(|(_, p)| p.is_dir()) {
            for (file, _) in dirs(&sdir) {
                if let Some(action) = file.strip_suffix(".yaml") {
                    out.push(format!("{provider}/{service}/{action}"));
                }
            }
        }
    }
    out
}

/// The registry lists every action of the spec tree (every service is a default feature, and
/// the checker reports a service without one), sorted.
#[test]
fn registry_lists_and_checks_every_action() {
    let all: Vec<String> = cloudbackup::registry::all()
        .iter()
        .map(|e| e.path())
        .collect();
    let specs = spec_tree_actions();
    assert!(specs.len() >= 6, "the seed actions at least: {specs:?}");
    assert_eq!(all, specs);
    let cbs = cloudbackup::registry::find("tencent", "cbs", "CreateDiskBackup").unwrap();
    let good = CreateDiskBackupInput::new("disk-1").to_wire(&mut ids());
    assert_eq!((cbs.check_wire)(&good), Ok(()));
    let long = CreateDiskBackupInput::new("disk-1")
        .disk_backup_name("x".repeat(101))
        .to_wire(&mut ids());
    assert!(matches!(
        (cbs.check_wire)(&long),
        Err(cloudbackup::registry::WireCheckError::Invalid(_))
    ));
    let mut missing = good.clone();
    missing.body = Some(b"{}".to_vec());
    let err = (cbs.check_wire)(&missing).unwrap_err();
    assert_eq!(err.to_string(), "field `DiskId`: missing");
    let sql = cloudbackup::registry::find("tencent", "sqlserver", "CreateBackup").unwrap();
    assert_eq!(sql.fields[1].ty, "integer enum: 0|1");
    assert_eq!(
        sql.fields[2].list,
        Some(cloudbackup::registry::ListStyle::Indexed(0))
    );
    assert!(sql.example_response.unwrap().contains("5293"));
    // 4100 is common to API 2.0: in the family's shared table, not repeated per action.
    assert!(!sql.errors.iter().any(|e| e.code == "4100"));
    assert!(sql.common_errors.iter().any(|e| e.code == "4100"));
    assert!(sql.documented_errors().any(|e| e.code == "4100"));
    assert_eq!(
        sql.error("4100").map(|e| e.doc),
        Some("Authentication failed, usually a wrong signature.")
    );
    let redis = cloudbackup::registry::find("tencent", "redis", "ManualBackupInstance").unwrap();
    assert!(std::ptr::eq(sql.common_errors, redis.common_errors));
}
