//! Running the real `cloudbackup` binary in a clean environment: no vendor credentials, no
//! profile files (HOME is an empty directory), no region or profile variable, no RUST_LOG, no
//! CLOUDBACKUP_ENDPOINT.
#![allow(dead_code, unreachable_pub)]

use std::process::{Command, Output};

/// The prefixes of every variable the binary (or the library under it) reads: the vendors'
/// credential, profile and region variables, and our own. Matching by prefix keeps a variable
/// added later (or one only set in a developer's shell) out of the tests too.
pub const CLEARED_PREFIXES: &[&str] = &[
    "TENCENTCLOUD_",
    "TCCLI_",
    "ALIBABA_CLOUD_",
    "ALICLOUD_",
    "HUAWEICLOUD_",
    "CLOUDBACKUP_",
];

/// Whether the tests remove `name` from the binary's environment.
pub fn is_cleared(name: &str) -> bool {
    name == "RUST_LOG" || CLEARED_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The binary, with a clean environment and `env` set.
pub fn command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cloudbackup"));
    cmd.args(args);
    clean_env(&mut cmd, env);
    cmd
}

/// Removes what the binary reads from `cmd`'s environment, then sets `env`.
pub fn clean_env(cmd: &mut Command, env: &[(&str, &str)]) {
    for (var, _) in std::env::vars_os() {
        if var.to_str().is_some_and(is_cleared) {
            cmd.env_remove(var);
        }
    }
    let home = std::env::temp_dir().join("cloudbackup-cli-test-home");
    std::fs::create_dir_all(&home).unwrap();
    cmd.env("HOME", &home);
    for (k, v) in env {
        cmd.env(k, v);
    }
}

/// Runs the binary to the end.
pub fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    command(args, env).output().expect("the binary runs")
}

/// stdout and stderr as text.
pub fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The emulator's default test credentials of every provider, as the vendors' variables.
pub fn emulator_credentials() -> Vec<(&'static str, &'static str)> {
    use cloudbackup::emulator::config::*;
    vec![
        ("TENCENTCLOUD_SECRET_ID", DEFAULT_TENCENT_SECRET_ID),
        ("TENCENTCLOUD_SECRET_KEY", DEFAULT_TENCENT_SECRET_KEY),
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", DEFAULT_ALIBABA_ACCESS_KEY_ID),
        (
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
        ),
        ("HUAWEICLOUD_SDK_AK", DEFAULT_HUAWEI_ACCESS_KEY),
        ("HUAWEICLOUD_SDK_SK", DEFAULT_HUAWEI_SECRET_KEY),
    ]
}
