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
    for file in &files {
        for example in examples(&std::fs::read_to_string(file).unwrap()) {
            // The example is the shell's script, verbatim.
            let mut cmd = std::process::Command::new("sh");
            cmd.args(["-e", "-c", &example]);
            cli_support::clean_env(&mut cmd, &emulator_credentials());
            cmd.env("PATH", &path).env("CLOUDBACKUP_ENDPOINT", &url);
            let o = cmd.output().unwrap();
            let (out, err) = text(&o);
            assert!(
                o.status.success(),
                "{}:\n{example}\nexit {:?}\n{out}\n{err}",
                file.display(),
                o.status.code()
            );
            assert!(out.contains(": ok\n"), "{}: {out}", file.display());
            ran.push(example.lines().next().unwrap_or_default().to_owned());
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
        let calls = state.calls.get(&e.path()).map_or(0, |c| c.succeeded);
        assert!(
            calls >= 1,
            "{} never succeeded: {:?}",
            e.path(),
            state.calls
        );
    }
    println!("ran {} CLI examples from {} pages", ran.len(), files.len());
    emu.shutdown();
}
