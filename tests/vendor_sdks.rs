//! The vendors' official Python SDKs against the in-process emulator: requests signed by
//! `tencentcloud-sdk-python` (TC3) and by the Alibaba Cloud SDK for DBS (ACS3 and V2) are
//! accepted, a wrong secret is rejected, and the emulator's state shows what was created.
//!
//! Needs the venv made by `scripts/setup-python.sh` (pinned versions in
//! `scripts/python-requirements.txt`); without it these tests fail and say so.

#![cfg(feature = "emulator")]

use std::path::{Path, PathBuf};
use std::process::Command;

use cloudbackup::emulator::{Emulator, EmulatorConfig, EmulatorHandle};
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn python() -> PathBuf {
    let p = root().join("target/pyenv/bin/python");
    assert!(
        p.exists(),
        "the vendor SDK virtualenv {} is missing: run scripts/setup-python.sh first",
        p.display()
    );
    p
}

/// Runs `tests/python/<script>` with the emulator's address and credentials (overridden by
/// `extra`) and returns the JSON line it prints.
fn run(emu: &EmulatorHandle, script: &str, extra: &[(&str, &str)]) -> Value {
    let c = emu.config();
    let mut cmd = Command::new(python());
    cmd.arg(root().join("tests/python").join(script))
        .env("EMU_ENDPOINT", emu.addr().to_string())
        .env("EMU_TENCENT_SECRET_ID", &c.tencent.id)
        .env("EMU_TENCENT_SECRET_KEY", c.tencent.secret.expose())
        .env("EMU_ALIBABA_ACCESS_KEY_ID", &c.alibaba.id)
        .env("EMU_ALIBABA_ACCESS_KEY_SECRET", c.alibaba.secret.expose())
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .env("NO_PROXY", "127.0.0.1,localhost");
    for (k, v) in extra {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    let line = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(line)
        .unwrap_or_else(|e| panic!("{script} printed {stdout:?} ({e}); stderr:\n{stderr}"))
}

fn emulator() -> EmulatorHandle {
    // The SDKs sign with the wall clock, so the emulator uses the system clock (the default).
    Emulator::start(EmulatorConfig::default()).expect("emulator starts")
}

#[test]
fn tencent_sdk_creates_a_disk_backup() {
    let emu = emulator();
    let out = run(&emu, "tencent_cbs.py", &[("EMU_DISK_ID", "disk-py000001")]);
    assert_eq!(out["ok"], true, "{out}");
    let id = out["DiskBackupId"].as_str().unwrap();
    assert!(id.starts_with("dbp-"), "{out}");
    assert_eq!(out["RequestId"].as_str().unwrap().len(), 36);
    let st = emu.state();
    assert_eq!(st.resources["tencent/cbs/CreateDiskBackup"], [id]);
    assert_eq!(st.calls["tencent/cbs/CreateDiskBackup"].succeeded, 1);
}

#[test]
fn tencent_sdk_with_a_wrong_secret_is_rejected() {
    let emu = emulator();
    let out = run(
        &emu,
        "tencent_cbs.py",
        &[("EMU_TENCENT_SECRET_KEY", "not-the-secret")],
    );
    assert_eq!(out["ok"], false, "{out}");
    assert_eq!(out["code"], "AuthFailure.SignatureFailure", "{out}");
    assert!(out["request_id"].as_str().is_some_and(|r| !r.is_empty()));
    let st = emu.state();
    assert!(st.resources.is_empty());
    assert_eq!(
        st.calls["tencent/cbs/CreateDiskBackup"].errors["AuthFailure.SignatureFailure"],
        1
    );
}

#[test]
fn alibaba_sdk_acs3_creates_a_plan_once_per_client_token() {
    let emu = emulator();
    let token = [("EMU_CLIENT_TOKEN", "py-token-1")];
    let first = run(&emu, "alibaba_dbs.py", &token);
    assert_eq!(first["ok"], true, "{first}");
    let id = first["BackupPlanId"].as_str().unwrap();
    assert!(id.starts_with("dbs"), "{first}");
    let again = run(&emu, "alibaba_dbs.py", &token);
    assert_eq!(again["BackupPlanId"], id, "{again}");
    assert_ne!(again["RequestId"], first["RequestId"]);
    let st = emu.state();
    assert_eq!(st.resources["alibaba/dbs/CreateBackupPlan"], [id]);
    assert_eq!(
        st.idempotency_tokens["alibaba/dbs/CreateBackupPlan"]["py-token-1"],
        id
    );
}

#[test]
fn alibaba_sdk_v2_signature_is_accepted() {
    let emu = emulator();
    let out = run(&emu, "alibaba_dbs.py", &[("EMU_SIGNATURE", "v2")]);
    assert_eq!(out["ok"], true, "{out}");
    assert_eq!(
        emu.state().resources["alibaba/dbs/CreateBackupPlan"].len(),
        1
    );
}

#[test]
fn alibaba_sdk_with_a_wrong_secret_is_rejected_in_both_signature_versions() {
    let emu = emulator();
    for sig in ["acs3", "v2"] {
        let out = run(
            &emu,
            "alibaba_dbs.py",
            &[
                ("EMU_SIGNATURE", sig),
                ("EMU_ALIBABA_ACCESS_KEY_SECRET", "not-the-secret"),
            ],
        );
        assert_eq!(out["ok"], false, "{sig}: {out}");
        assert_eq!(out["code"], "SignatureDoesNotMatch", "{sig}: {out}");
        assert_eq!(out["status"], 400, "{sig}: {out}");
    }
    assert!(emu.state().resources.is_empty());
}

#[test]
fn alibaba_sdk_request_breaking_the_spec_gets_invalid_parameter() {
    let emu = emulator();
    // UsedTime 12 with Period Month: the SDK sends it, the emulator's validators refuse it.
    let out = run(&emu, "alibaba_dbs.py", &[("EMU_USED_TIME", "12")]);
    assert_eq!(out["ok"], false, "{out}");
    assert_eq!(out["code"], "InvalidParameter", "{out}");
    assert!(emu.state().resources.is_empty());
}
