//! `cloudbackup`: call any spec'd action from the command line, print the exact signed request
//! (`--dry-run`), run the built-in emulator, or run the demo against it.
//!
//! ```text
//! cloudbackup demo
//! cloudbackup emulator [--listen 127.0.0.1:PORT] [--config FILE.json]
//! cloudbackup list [--output text|json|table]
//! cloudbackup call <provider> <service> <Action> [--param Name=value]... [--json Name=JSON]... [options]
//! cloudbackup call <provider> <service> <Action> --help
//! cloudbackup call <provider> <service> <ListAction> --all-pages [--max-items N]
//! cloudbackup wait <provider> <service> <Waiter> [--param Name=value]... [--timeout S]
//! cloudbackup completions <shell>
//! cloudbackup man [--dir DIR]
//! ```
//!
//! Exit codes: see [`cli::EXIT_CODES`].
#![forbid(unsafe_code)]

mod out;

mod action_help;
mod call;
mod cli;
mod completions;
mod demo;
mod emulator;
mod list;
mod logging;
mod man;
mod params;
mod render;
mod target;
mod wait;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use cloudbackup::registry::{DynError, DynErrorKind};

use crate::cli::{Cli, Command, Format};
use crate::out::errln;

/// Exit code for a failure kind.
fn exit_code(kind: DynErrorKind) -> u8 {
    match kind {
        DynErrorKind::BadInput | DynErrorKind::Validation => 2,
        DynErrorKind::Credentials | DynErrorKind::Config => 3,
        DynErrorKind::Service => 4,
        DynErrorKind::Throttled | DynErrorKind::Transport | DynErrorKind::Decode => 5,
    }
}

/// The kind's name in `--output json` errors (stable: scripts match on it).
fn kind_name(kind: DynErrorKind) -> &'static str {
    match kind {
        DynErrorKind::BadInput => "bad_input",
        DynErrorKind::Validation => "validation",
        DynErrorKind::Credentials => "credentials",
        DynErrorKind::Config => "config",
        DynErrorKind::Service => "service",
        DynErrorKind::Throttled => "throttled",
        DynErrorKind::Transport => "transport",
        DynErrorKind::Decode => "decode",
    }
}

/// Prints a failure as one line on stderr (and as JSON on stdout with `--output json`) and
/// returns its exit code.
pub(crate) fn fail(e: &DynError, format: Format) -> u8 {
    let code = exit_code(e.kind);
    if format == Format::Json {
        let v = serde_json::json!({"error": {
            "kind": kind_name(e.kind),
            "exit_code": code,
            "message": e.message,
            "code": e.code,
            "request_id": e.request_id,
        }});
        out::outln!("{v}");
    }
    errln!("error: {}", e.message);
    code
}

/// The whole command line, the registry's actions included.
pub(crate) fn command() -> clap::Command {
    Cli::command()
}

fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Demo(a) => demo::run(&a),
        Command::Emulator(a) => emulator::run(&a),
        Command::List(a) => list::run(&a),
        Command::Call(a) => call::run(a),
        Command::Wait(a) => wait::run(a),
        Command::Completions(a) => completions::run(&a),
        Command::Man(a) => man::run(&a),
    }
}

fn main() -> ExitCode {
    let parsed = command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let code = match parsed {
        Ok(cli) => {
            logging::init(cli.verbose);
            run(cli)
        }
        // Help and version go to stdout (exit 0), usage errors to stderr (exit 2); `print`
        // reports a closed pipe instead of panicking like `exit` would.
        Err(e) => {
            let _ = e.print();
            u8::try_from(e.exit_code()).unwrap_or(2)
        }
    };
    match out::finish() {
        Some(e) => {
            errln!("error: cannot write the output: {e}");
            ExitCode::from(if code == 0 { 1 } else { code })
        }
        None => ExitCode::from(code),
    }
}
