//! `cloudbackup`: call any spec'd action from the command line, print the exact signed request
//! (`--dry-run`), run the built-in emulator, or run the demo against it.
//!
//! ```text
//! cloudbackup demo
//! cloudbackup emulator [--listen 127.0.0.1:PORT] [--config FILE.json]
//! cloudbackup list [--output json]
//! cloudbackup call <provider> <service> <Action> [--param Name=value]... [options]
//! cloudbackup call <provider> <service> <Action> --help
//! ```
//!
//! Exit codes: 0 success; 2 bad usage, bad parameters or invalid request (nothing was sent);
//! 3 missing credentials or configuration; 4 the service answered with an error; 5 the call
//! failed in transport, decoding or the local rate limiter.
#![forbid(unsafe_code)]

mod args;
mod call;
mod demo;
mod emulator;
mod list;

use std::process::ExitCode;

use cloudbackup::registry::{DynError, DynErrorKind};

/// Exit code for a failure kind.
fn exit_code(kind: DynErrorKind) -> ExitCode {
    ExitCode::from(match kind {
        DynErrorKind::BadInput | DynErrorKind::Validation => 2,
        DynErrorKind::Credentials | DynErrorKind::Config => 3,
        DynErrorKind::Service => 4,
        DynErrorKind::Throttled | DynErrorKind::Transport | DynErrorKind::Decode => 5,
    })
}

/// Prints a failure as one line on stderr (and as JSON on stdout with `--output json`).
fn fail(e: &DynError, json: bool) -> ExitCode {
    if json {
        let v = serde_json::json!({"error": {
            "kind": format!("{:?}", e.kind),
            "message": e.message,
            "code": e.code,
            "request_id": e.request_id,
        }});
        println!("{v}");
    }
    eprintln!("error: {}", e.message);
    exit_code(e.kind)
}

const USAGE: &str = "\
cloudbackup: typed, validated, signed calls to cloud backup APIs

usage:
  cloudbackup demo                                       run every seed action against the built-in emulator
  cloudbackup emulator [--listen 127.0.0.1:PORT] [--config FILE.json]
                                                         serve every spec'd action on loopback
  cloudbackup list [--output json]                       the actions this build knows
  cloudbackup call <provider> <service> <Action> [--param Name=value]... [options]
  cloudbackup call <provider> <service> <Action> --help  the action's parameters

call options:
  --param Name=value   a request field by its wire name; repeat it for each array item
  --region R           region (picks the endpoint from the spec)
  --endpoint URL       explicit endpoint, e.g. http://127.0.0.1:8080 for the emulator
  --output text|json   output format (default text)
  --dry-run            print the exact signed HTTP request instead of sending it
  --timestamp UNIX     sign with this time (with --dry-run: reproducible output)
  --nonce N            sign with this nonce (with --dry-run: reproducible output)
  --no-validate        send without client-side validation (the service still validates)

Credentials come from the vendors' environment variables (TENCENTCLOUD_SECRET_ID/
TENCENTCLOUD_SECRET_KEY, ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET,
HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK or HUAWEICLOUD_IAM_TOKEN) or their CLIs' profile files.
Secrets are never printed.";

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match argv.first().map(String::as_str) {
        None | Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("-V" | "--version") => {
            println!("cloudbackup {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some("list") => list::run(&argv[1..]),
        Some("call") => call::run(&argv[1..]),
        Some("emulator") => emulator::run(&argv[1..]),
        Some("demo") => demo::run(&argv[1..]),
        Some(other) => {
            eprintln!("error: unknown command `{other}`; run `cloudbackup --help`");
            ExitCode::from(2)
        }
    }
}
