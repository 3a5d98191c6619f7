//! What the `cloudbackup` binary prints: `--output text|json|table` (results, dry runs and
//! errors), a closed or failing stdout, tracing with `-v`/`RUST_LOG`, the emulator's warning
//! off loopback, shell completions and man pages.
#![cfg(feature = "cli")]

mod cli_support;

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;

use cli_support::{command, emulator_credentials, run, text};
use cloudbackup::emulator::{Emulator, EmulatorConfig, EmulatorHandle};
use cloudbackup::registry;

fn emulator() -> EmulatorHandle {
    Emulator::start(EmulatorConfig::default()).unwrap()
}

fn cbs_call(url: &str, format: &str) -> Vec<String> {
    [
        "call",
        "tencent",
        "cbs",
        "DescribeDiskBackups",
        "--endpoint",
        url,
        "--region",
        "ap-guangzhou",
        "--param",
        "DiskBackupIds=dbp-1",
        "--output",
        format,
    ]
    .map(str::to_owned)
    .to_vec()
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn results_in_every_format() {
    let emu = emulator();
    let url = emu.base_url();
    let creds = emulator_credentials();
    let json = run(&args(&cbs_call(&url, "json")), &creds);
    assert!(json.status.success(), "{:?}", text(&json));
    let (out, _) = text(&json);
    assert_eq!(out.lines().count(), 1, "one JSON document on one line");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let total = v["TotalCount"].as_i64().unwrap();

    let table = run(&args(&cbs_call(&url, "table")), &creds);
    assert!(table.status.success(), "{:?}", text(&table));
    let (out, _) = text(&table);
    assert!(out.contains("| field"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.contains("TotalCount") && l.contains(&total.to_string())),
        "{out}"
    );
    if total > 0 {
        assert!(out.contains("DiskBackupSet ("), "{out}");
    }

    let plain = run(&args(&cbs_call(&url, "text")), &creds);
    let (out, _) = text(&plain);
    assert!(
        out.starts_with("tencent cbs DescribeDiskBackups: ok\n"),
        "{out}"
    );

    // Dry runs in a table, and lists.
    let mut dry = cbs_call(&url, "table");
    dry.push("--dry-run".into());
    let (out, _) = text(&run(&args(&dry), &creds));
    assert!(out.contains("| method") && out.contains("| POST"), "{out}");
    assert!(out.contains("header Authorization"), "{out}");
    let o = run(&["list", "--output", "table"], &[]);
    let (out, _) = text(&o);
    assert!(out.contains("| provider"), "{out}");
    for e in registry::all() {
        assert!(
            out.lines()
                .any(|l| l.contains(e.action.name) && l.contains(e.service.service)),
            "{out}"
        );
    }
    emu.shutdown();
}

#[test]
fn errors_in_json_are_stable_documents() {
    let emu = emulator();
    let url = emu.base_url();
    let mut wrong = emulator_credentials();
    wrong.retain(|(k, _)| *k != "TENCENTCLOUD_SECRET_KEY");
    wrong.push(("TENCENTCLOUD_SECRET_KEY", "not-the-secret-key"));
    type Case<'a> = (Vec<String>, Vec<(&'a str, &'a str)>, &'a str, u8);
    let cases: Vec<Case<'_>> = vec![
        (cbs_call(&url, "json"), wrong, "service", 4),
        (cbs_call(&url, "json"), vec![], "credentials", 3),
        (
            [
                cbs_call(&url, "json"),
                vec!["--param".into(), "Limit=x".into()],
            ]
            .concat(),
            emulator_credentials(),
            "bad_input",
            2,
        ),
        (
            [
                cbs_call(&url, "json"),
                vec!["--param".into(), "Limit=101".into()],
            ]
            .concat(),
            emulator_credentials(),
            "validation",
            2,
        ),
        (
            cbs_call("http://127.0.0.1:9", "json"),
            emulator_credentials(),
            "transport",
            5,
        ),
    ];
    for (argv, env, kind, code) in cases {
        let o = run(&args(&argv), &env);
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(i32::from(code)), "{argv:?}: {err}");
        let v: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        let e = &v["error"];
        assert_eq!(e["kind"], kind, "{v}");
        assert_eq!(e["exit_code"], code, "{v}");
        assert!(e["message"].is_string(), "{v}");
        assert!(
            e.get("code").is_some() && e.get("request_id").is_some(),
            "{v}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    emu.shutdown();
}

/// A pipe whose reader is already gone: every write of the child fails with EPIPE. (The
/// reader is `true`, which exits without reading; this process never holds the read end.)
fn closed_pipe() -> Stdio {
    let mut reader = std::process::Command::new("true")
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let writer = reader.stdin.take().unwrap();
    reader.wait().unwrap();
    Stdio::from(writer)
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let emu = emulator();
    let url = emu.base_url();
    let creds = emulator_credentials();
    let cases: Vec<Vec<String>> = vec![
        ["call", "alibaba", "dbs", "CreateBackupPlan", "--help"]
            .map(str::to_owned)
            .to_vec(),
        vec!["--help".into()],
        vec!["list".into()],
        [cbs_call(&url, "text"), vec!["--dry-run".into()]].concat(),
        cbs_call(&url, "table"),
        vec!["completions".into(), "bash".into()],
        vec!["man".into()],
        vec!["demo".into()],
    ];
    for argv in cases {
        let o = command(&args(&argv), &creds)
            .stdout(closed_pipe())
            .output()
            .unwrap();
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(0), "{argv:?}: {err}");
        assert!(err.is_empty(), "{argv:?}: {err}");
    }
    // Through a shell, as people write it.
    let bin = env!("CARGO_BIN_EXE_cloudbackup");
    let o = std::process::Command::new("bash")
        .args([
            "-c",
            &format!("set -o pipefail; '{bin}' call alibaba dbs CreateBackupPlan --help | head -2"),
        ])
        .output()
        .unwrap();
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(err.is_empty(), "{err}");
    emu.shutdown();
}

#[test]
fn other_write_errors_are_reported() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = command(&["list"], &[]).stdout(full).output().unwrap();
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot write the output"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn verbose_and_rust_log_turn_on_the_library_tracing() {
    let emu = emulator();
    let url = emu.base_url();
    let creds = emulator_credentials();
    let call = cbs_call(&url, "json");
    let quiet = run(&args(&call), &creds);
    assert!(quiet.status.success());
    assert!(text(&quiet).1.is_empty(), "{}", text(&quiet).1);
    let with = |extra: &[&str], env: &[(&str, &str)]| {
        let mut argv = args(&call);
        argv.extend_from_slice(extra);
        let mut all = creds.clone();
        all.extend_from_slice(env);
        let o = run(&argv, &all);
        assert!(o.status.success(), "{:?}", text(&o));
        text(&o).1
    };
    for err in [
        with(&["-v"], &[]),
        with(&["-vv"], &[]),
        with(&[], &[("RUST_LOG", "cloudbackup=debug")]),
    ] {
        assert!(err.contains("call"), "the call's span:\n{err}");
        assert!(err.contains("DescribeDiskBackups"), "{err}");
        assert!(err.contains("attempt"), "the attempt's span:\n{err}");
    }
    // -vv adds the HTTP client's events; -v is the library's alone.
    let http = |err: &str| err.contains("reqwest::") || err.contains("hyper_util::");
    assert!(http(&with(&["-vv"], &[])));
    assert!(!http(&with(&["-v"], &[])));
    // RUST_LOG for other targets only: nothing of the library.
    assert!(!with(&[], &[("RUST_LOG", "h2=trace")]).contains("cloudbackup"));
    // A RUST_LOG this build cannot read: a warning, and the call goes on.
    let err = with(&[], &[("RUST_LOG", "cloudbackup=loud")]);
    assert!(err.contains("warning: ignoring RUST_LOG"), "{err}");
    emu.shutdown();
}

#[test]
fn the_emulator_warns_off_loopback() {
    let start = |listen: &str| {
        let mut child = command(&["emulator", "--listen", listen], &[])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        child.kill().ok();
        child.wait().ok();
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        (first, err)
    };
    let (first, err) = start("0.0.0.0:0");
    assert!(
        first.starts_with("cloudbackup emulator listening on"),
        "{first}"
    );
    assert!(err.contains("warning") && err.contains("public"), "{err}");
    let (first, err) = start("127.0.0.1:0");
    assert!(
        first.starts_with("cloudbackup emulator listening on"),
        "{first}"
    );
    assert!(err.is_empty(), "{err}");
}

#[test]
fn completions_complete_every_action() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = run(&["completions", shell], &[]);
        assert!(o.status.success(), "{shell}");
        let (out, _) = text(&o);
        for e in registry::all() {
            // clap_complete's fish script stops at two levels (clap-rs/clap#5975): it completes
            // `call <provider>`, not the services and actions below.
            let want = if shell == "fish" {
                format!("-a \"{}\"", e.service.provider)
            } else {
                e.action.name.to_owned()
            };
            assert!(out.contains(&want), "{shell} lacks {want}");
        }
    }
    let script = text(&run(&["completions", "bash"], &[])).0;
    let path = std::env::temp_dir().join("cloudbackup-completion.bash");
    std::fs::write(&path, script).unwrap();
    for e in registry::all() {
        let (p, s) = (e.service.provider, e.service.service);
        let prefix = &e.action.name[..3];
        let probe = format!(
            "source '{}'; COMP_WORDS=(cloudbackup call {p} {s} {prefix}); COMP_CWORD=4; \
             _cloudbackup cloudbackup {prefix} {s}; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            path.display()
        );
        let o = std::process::Command::new("bash")
            .args(["-c", &probe])
            .output()
            .unwrap();
        let (out, err) = text(&o);
        assert!(
            out.lines().any(|l| l.trim() == e.action.name),
            "{p} {s} {prefix}<TAB>: {out}{err}"
        );
    }
    let o = run(&["completions", "tcsh"], &[]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn man_pages_render_and_cover_every_action() {
    let o = run(&["man"], &[]);
    assert!(o.status.success());
    let (page, _) = text(&o);
    assert!(page.starts_with(".ie"), "{page:.200}");
    assert!(page.contains(".TH cloudbackup 1"), "{page:.400}");
    for c in ["demo", "emulator", "list", "call", "completions"] {
        assert!(page.contains(c), "{c}");
    }
    // groff renders it without a warning.
    let mut groff = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("groff is installed (the machine image has it)");
    use std::io::Write;
    groff
        .stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let r = groff.wait_with_output().unwrap();
    assert!(r.status.success());
    assert!(
        r.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(String::from_utf8_lossy(&r.stdout).contains("completions"));

    let dir = std::env::temp_dir().join(format!("cloudbackup-man-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let o = run(&["man", "--dir", dir.to_str().unwrap()], &[]);
    assert!(o.status.success(), "{:?}", text(&o));
    for e in registry::all() {
        let file = dir.join(format!(
            "cloudbackup-call-{}-{}-{}.1",
            e.service.provider, e.service.service, e.action.name
        ));
        let page = std::fs::read_to_string(&file).unwrap_or_else(|_| panic!("{file:?}"));
        for f in e.fields {
            // roff writes `-` as `\-`.
            let wire = f.wire.replace('-', "\\-");
            assert!(page.contains(&wire), "{file:?} lacks {wire}");
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}
