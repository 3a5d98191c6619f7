//! Every CLI example of the generated reference (`docs/api/**.md`, every ```sh block starting
//! with `cloudbackup `) runs as written, through a shell and the real binary, against the
//! emulator: only the environment differs from a user's (`CLOUDBACKUP_ENDPOINT` and the
//! emulator's test credentials in the vendors' variables).
#![cfg(feature = "cli")]

mod cli_support;

use std::path::{Path, PathBuf};

use cli_support::{emulator_credentials, text};
use cloudbackup::emulator::{Emulator, EmulatorConfig};

fn pages(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            pages(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// The `sh` blocks of a page that run `cloudbackup`.
fn examples(page: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut block: Option<String> = None;
    for line in page.lines() {
        match (&mut block, line.trim_end()) {
            (None, "```sh") => block = Some(String::new()),
            (Some(b), "```") => {
                if b.starts_with("cloudbackup ") {
                    found.push(std::mem::take(b));
                }
                block = None;
            }
            (Some(b), l) => {
                b.push_str(l);
                b.push('\n');
            }
            (None, _) => {}
        }
    }
    found
}

/// The documented codes of the resource reads and deletes of the action a
/// `cloudbackup call <provider> <service> <Action>` line names.
fn resource_codes(line: &str) -> Vec<&'static str> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let Some(entry) = (words.len() >= 5)
        .then(|| cloudbackup::registry::find(words[2], words[3], words[4]))
        .flatten()
    else {
        return Vec::new();
    };
    let ops = &entry.emulator;
    ops.read
        .iter()
        .flat_map(|r| [r.not_found, r.conflict])
        .chain(ops.delete.iter().map(|d| d.not_found))
        .flatten()
        .collect()
}

#[test]
fn every_cli_example_in_the_docs_runs_against_the_emulator() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/api");
    let mut files = Vec::new();
    pages(&root, &mut files);
    files.sort();
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let url = emu.base_url();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_cloudbackup"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = Vec::new();
    let mut answered_not_found = Vec::new();
    let mut waited = Vec::new();
    for file in &files {
        for example in examples(&std::fs::read_to_string(file).unwrap()) {
            // The example is the shell's script, verbatim; a `wait` example also gets a short
            // interval and timeout (its spec's would poll for minutes: the example's ids name
            // nothing in a fresh emulator), and may end in any of its outcomes: success (0), a
            // failure state (6) or the timeout (7), each after real polls.
            let waits = example.starts_with("cloudbackup wait ");
            let script = if waits {
                format!("{} --interval 1 --timeout 1\n", example.trim_end())
            } else {
                example.clone()
            };
            let mut cmd = std::process::Command::new("sh");
            cmd.args(["-e", "-c", &script]);
            cli_support::clean_env(&mut cmd, &emulator_credentials());
            cmd.env("PATH", &path).env("CLOUDBACKUP_ENDPOINT", &url);
            let o = cmd.output().unwrap();
            let (out, err) = text(&o);
            let first = example.lines().next().unwrap_or_default().to_owned();
            // The example's ids (`example`) name nothing in a fresh emulator: an action that
            // reads or deletes a resource by id answers its documented not-found (or
            // wrong-state) code, which still proves the call was built, signed, accepted and
            // routed. Any other failure fails the test.
            let documented = resource_codes(&first)
                .iter()
                .any(|c| err.contains(&format!("service error {c}:")));
            if waits {
                assert!(
                    matches!(o.status.code(), Some(0 | 6 | 7)) || documented,
                    "{}:\n{script}\nexit {:?}\n{out}\n{err}",
                    file.display(),
                    o.status.code()
                );
                waited.push(first);
                continue;
            }
            assert!(
                o.status.success() || (o.status.code() == Some(4) && documented),
                "{}:\n{example}\nexit {:?}\n{out}\n{err}",
                file.display(),
                o.status.code()
            );
            if o.status.success() {
                assert!(out.contains(": ok\n"), "{}: {out}", file.display());
            } else {
                answered_not_found.push(first.clone());
            }
            ran.push(first);
        }
    }
    // One example per action page, each reaching the emulator once.
    let state = emu.state();
    for e in cloudbackup::registry::all() {
        let line = format!(
            "cloudbackup call {} {} {}",
            e.service.provider, e.service.service, e.action.name
        );
        assert!(
            ran.iter().any(|r| r.starts_with(&line)),
            "no CLI example of {}",
            e.path()
        );
        if answered_not_found.iter().any(|r| r.starts_with(&line)) {
            continue;
        }
        let calls = state.calls.get(&e.path()).map_or(0, |c| c.succeeded);
        assert!(
            calls >= 1,
            "{} never succeeded: {:?}",
            e.path(),
            state.calls
        );
    }
    // Every waiter of the registry has an example.
    for e in cloudbackup::registry::all() {
        for w in e.waiters {
            let line = format!(
                "cloudbackup wait {} {} {}",
                e.service.provider, e.service.service, w.name
            );
            assert!(
                waited.iter().any(|r| r.starts_with(&line)),
                "no example of {line}"
            );
        }
    }
    // Most actions succeed as written; the not-found answers are the reads of made-up ids.
    assert!(
        answered_not_found.len() * 4 < ran.len(),
        "too many examples answered not-found: {answered_not_found:?}"
    );
    println!(
        "ran {} CLI examples from {} pages ({} answered their documented not-found code)",
        ran.len(),
        files.len(),
        answered_not_found.len()
    );
    emu.shutdown();
}
