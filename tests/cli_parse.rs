//! The `cloudbackup` command line as clap parses it: `--help`/`-h` exit 0 at every level (every
//! provider, service and action of the registry), `--version`, "did you mean" for misspelled
//! commands, providers, services, actions, flags and parameters, help built from the specs,
//! `--param` items never read as JSON, `--json`, and the signature choices.
#![cfg(feature = "cli")]

mod cli_support;

use cli_support::{run, text};
use cloudbackup::registry::{self, FieldInfo};

/// Every command line that names a command: the fixed ones and every provider, service and
/// action of the registry.
fn every_command() -> Vec<Vec<String>> {
    let mut all: Vec<Vec<String>> = vec![vec![]];
    for c in [
        "demo",
        "emulator",
        "list",
        "call",
        "wait",
        "completions",
        "man",
    ] {
        all.push(vec![c.to_owned()]);
    }
    for e in registry::all() {
        for w in e.waiters {
            all.push(vec![
                "wait".to_owned(),
                e.service.provider.to_owned(),
                e.service.service.to_owned(),
                w.name.to_owned(),
            ]);
        }
        let p = vec!["call".to_owned(), e.service.provider.to_owned()];
        let s = [p.clone(), vec![e.service.service.to_owned()]].concat();
        let a = [s.clone(), vec![e.action.name.to_owned()]].concat();
        for cmd in [p, s, a] {
            if !all.contains(&cmd) {
                all.push(cmd);
            }
        }
    }
    all
}

#[test]
fn help_and_h_exit_0_on_every_command() {
    let commands = every_command();
    assert!(commands.len() > registry::all().len() + 8);
    for cmd in &commands {
        for flag in ["--help", "-h"] {
            let mut args: Vec<&str> = cmd.iter().map(String::as_str).collect();
            args.push(flag);
            let o = run(&args, &[]);
            let (out, err) = text(&o);
            assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
            assert!(out.contains("Usage: cloudbackup"), "{args:?}: {out}");
            assert!(err.is_empty(), "{args:?}: {err}");
        }
    }
}

#[test]
fn version_and_exit_codes_in_help() {
    let o = run(&["--version"], &[]);
    assert!(o.status.success());
    assert_eq!(
        text(&o).0.trim(),
        format!("cloudbackup {}", env!("CARGO_PKG_VERSION"))
    );
    for args in [&["--help"][..], &["call", "--help"]] {
        let (out, _) = text(&run(args, &[]));
        for code in [
            "2  bad usage",
            "3  missing credentials",
            "4  the service",
            "5  transport",
        ] {
            assert!(out.contains(code), "{args:?} lacks {code:?}:\n{out}");
        }
    }
}

/// `name` with its middle letter typed twice: a misspelling close enough for a suggestion.
fn misspell(name: &str) -> String {
    let mut s = name.to_owned();
    let c = name[name.len() / 2..].chars().next().unwrap();
    s.insert(name.len() / 2, c);
    s
}

#[track_caller]
fn suggests(args: &[&str], want: &str) {
    let o = run(args, &[]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert!(
        (err.contains("similar") || err.contains("did you mean")) && err.contains(want),
        "{args:?} does not suggest {want:?}:\n{err}"
    );
}

#[test]
fn misspelled_commands_providers_services_actions_and_flags_get_suggestions() {
    suggests(&["lst"], "list");
    suggests(&["emulatr"], "emulator");
    for e in registry::all() {
        let (p, s, a) = (e.service.provider, e.service.service, e.action.name);
        suggests(&["call", &misspell(p), s, a], p);
        suggests(&["call", p, &misspell(s), a], s);
        suggests(&["call", p, s, &misspell(a)], a);
        suggests(&["call", p, s, a, "--dry-rn"], "--dry-run");
        suggests(&["call", p, s, a, "--regin", "x"], "--region");
    }
    suggests(&["list", "--outpt", "json"], "--output");
}

#[test]
fn misspelled_parameters_get_a_suggestion_in_one_line() {
    for e in registry::all() {
        for f in e.fields {
            if f.wire.len() < 4 {
                continue;
            }
            for wrong in [misspell(f.wire), f.wire.to_ascii_lowercase()] {
                if e.fields.iter().any(|g| g.wire == wrong) {
                    continue;
                }
                let p = format!("{wrong}=1");
                let args = [
                    "call",
                    e.service.provider,
                    e.service.service,
                    e.action.name,
                    "--param",
                    &p,
                ];
                let o = run(&args, &[]);
                let (_, err) = text(&o);
                assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
                assert_eq!(err.lines().count(), 1, "{err}");
                assert!(
                    err.contains(&format!("did you mean `{}`", f.wire)),
                    "{args:?}: {err}"
                );
            }
        }
    }
}

/// The help of every action shows every parameter's whole description, constraints and
/// default, from the registry.
#[test]
fn action_help_shows_every_parameter_in_full() {
    let mut multi_line_docs = 0;
    for e in registry::all() {
        for flag in ["--help", "-h"] {
            let o = run(
                &[
                    "call",
                    e.service.provider,
                    e.service.service,
                    e.action.name,
                    flag,
                ],
                &[],
            );
            let (out, _) = text(&o);
            assert!(o.status.success());
            assert!(out.contains(e.summary), "{out}");
            assert!(out.contains(e.action.doc_url), "{out}");
            for f in e.fields {
                check_field(&out, f);
                multi_line_docs += usize::from(f.doc.lines().count() > 1);
            }
        }
    }
    assert!(multi_line_docs > 0, "some spec doc spans lines");
}

#[track_caller]
fn check_field(help: &str, f: &FieldInfo) {
    let req = if f.required { "required" } else { "optional" };
    assert!(
        help.contains(&format!("{}  ({req}) {}", f.wire, f.ty)),
        "{}:\n{help}",
        f.wire
    );
    for line in f.doc.lines().filter(|l| !l.trim().is_empty()) {
        assert!(
            help.contains(line.trim_end()),
            "{}: {line:?}\n{help}",
            f.wire
        );
    }
    if !f.constraints.is_empty() {
        assert!(
            help.contains(&format!("constraints: {}", f.constraints)),
            "{}:\n{help}",
            f.wire
        );
    }
    if let Some(d) = f.default {
        assert!(
            help.contains(&format!("default: {d}")),
            "{}:\n{help}",
            f.wire
        );
    }
}

fn dry_run(args: &[&str]) -> serde_json::Value {
    dry_run_with(args, &[])
}

fn dry_run_with(args: &[&str], extra_env: &[(&str, &str)]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend([
        "--dry-run",
        "--output",
        "json",
        "--timestamp",
        "1700000000",
        "--nonce",
        "9",
    ]);
    let mut env = vec![
        ("TENCENTCLOUD_SECRET_ID", "AKIDparse"),
        ("TENCENTCLOUD_SECRET_KEY", "parse-secret"),
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIparse"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "parse-secret"),
    ];
    env.extend_from_slice(extra_env);
    let o = run(&all, &env);
    assert!(o.status.success(), "{all:?}: {:?}", text(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn array_items_are_text_and_json_has_its_own_flag() {
    let describe = [
        "call",
        "tencent",
        "cbs",
        "DescribeDiskBackups",
        "--region",
        "ap-guangzhou",
    ];
    // An item that looks like JSON is still one string item.
    let v = dry_run(&[&describe[..], &["--param", "DiskBackupIds=[1,2]"]].concat());
    assert_eq!(v["body"], r#"{"DiskBackupIds":["[1,2]"]}"#, "{v}");
    let v = dry_run(
        &[
            &describe[..],
            &["--param", "DiskBackupIds=[a", "--param", "DiskBackupIds=b]"],
        ]
        .concat(),
    );
    assert_eq!(v["body"], r#"{"DiskBackupIds":["[a","b]"]}"#, "{v}");
    // `--json` gives the whole array, or an array of objects.
    let v = dry_run(&[&describe[..], &["--json", r#"DiskBackupIds=["a","b"]"#]].concat());
    assert_eq!(v["body"], r#"{"DiskBackupIds":["a","b"]}"#, "{v}");
    let filters = r#"Filters=[{"Name":"disk-id","Values":["d-1"]}]"#;
    let v = dry_run(&[&describe[..], &["--json", filters]].concat());
    assert_eq!(
        v["body"], r#"{"Filters":[{"Name":"disk-id","Values":["d-1"]}]}"#,
        "{v}"
    );
    // Flattened parameters (API 2.0) too.
    let sql = ["call", "tencent", "sqlserver", "CreateBackup"];
    let v = dry_run(
        &[
            &sql[..],
            &[
                "--param",
                "resourceId=m-1",
                "--param",
                "strategy=1",
                "--param",
                "dbList=[x]",
            ],
        ]
        .concat(),
    );
    let url = v["url"].as_str().unwrap();
    assert!(url.contains("dbList.0=%5Bx%5D"), "{url}");
    let v = dry_run(
        &[
            &sql[..],
            &[
                "--param",
                "resourceId=m-1",
                "--param",
                "strategy=1",
                "--json",
                r#"dbList=["a","b"]"#,
            ],
        ]
        .concat(),
    );
    let url = v["url"].as_str().unwrap();
    assert!(url.contains("dbList.0=a&dbList.1=b"), "{url}");

    // Objects only through --json; --json must be the right JSON; not both flags at once.
    for (args, want) in [
        (vec!["--param", r#"Filters={"Name":"x"}"#], "--json"),
        (vec!["--json", "Filters={}"], "expected a JSON array"),
        (vec!["--json", "DiskBackupIds=[1,2"], "not JSON"),
        (
            vec!["--json", "DiskBackupIds=\"a\""],
            "expected a JSON array",
        ),
        (
            vec![
                "--param",
                "DiskBackupIds=a",
                "--json",
                r#"DiskBackupIds=["b"]"#,
            ],
            "given twice",
        ),
    ] {
        let all = [&describe[..], &args[..]].concat();
        let o = run(&all, &[]);
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{all:?}: {err}");
        assert!(err.contains(want), "{all:?}: {err}");
    }
}

#[test]
fn signature_methods_are_selectable_per_family() {
    let sql = [
        "call",
        "tencent",
        "sqlserver",
        "CreateBackup",
        "--param",
        "resourceId=m-1",
    ];
    let url = |v: serde_json::Value| v["url"].as_str().unwrap().to_owned();
    assert!(url(dry_run(&sql)).contains("SignatureMethod=HmacSHA256"));
    let sha1 = url(dry_run(&[&sql[..], &["--signature", "HmacSHA1"]].concat()));
    assert!(sha1.contains("SignatureMethod=HmacSHA1"), "{sha1}");
    // Or from the family's variable; the flag wins over it.
    let var = [("CLOUDBACKUP_TENCENT_API2_SIGNATURE", "HmacSHA1")];
    let from_env = url(dry_run_with(&sql, &var));
    assert!(from_env.contains("SignatureMethod=HmacSHA1"), "{from_env}");
    let flag = url(dry_run_with(
        &[&sql[..], &["--signature", "HmacSHA256"]].concat(),
        &var,
    ));
    assert!(flag.contains("SignatureMethod=HmacSHA256"), "{flag}");

    let dbs = [
        "call",
        "alibaba",
        "dbs",
        "CreateBackupPlan",
        "--region",
        "cn-hangzhou",
        "--param",
        "Region=cn-hangzhou",
        "--param",
        "DatabaseType=MySQL",
        "--param",
        "InstanceClass=small",
        "--param",
        "BackupMethod=logical",
        "--param",
        "Period=Month",
        "--param",
        "UsedTime=1",
    ];
    let v3 = dry_run(&dbs);
    assert!(v3.to_string().contains("ACS3-HMAC-SHA256"), "{v3}");
    let v2 = url(dry_run(&[&dbs[..], &["--signature", "HMAC-SHA1"]].concat()));
    assert!(v2.contains("SignatureMethod=HMAC-SHA1"), "{v2}");
    assert!(v2.contains("Signature="), "{v2}");
    let v2 = url(dry_run_with(
        &dbs,
        &[("CLOUDBACKUP_ALIBABA_SIGNATURE", "HMAC-SHA1")],
    ));
    assert!(v2.contains("SignatureMethod=HMAC-SHA1"), "{v2}");

    // No choice where the family has none; an unknown method lists the valid ones.
    let o = run(
        &[
            "call",
            "tencent",
            "cbs",
            "CreateDiskBackup",
            "--signature",
            "HmacSHA1",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    let o = run(&[&sql[..], &["--signature", "MD5"]].concat(), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("HmacSHA1"), "{:?}", text(&o));
}
