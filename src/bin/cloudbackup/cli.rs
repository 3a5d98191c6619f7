//! The command line, declared with clap's derive: the fixed commands here, the
//! `call <provider> <service> <Action>` levels built from the registry at run time
//! ([`crate::target`]). Each subcommand lives in its own module with its arguments.

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::{call, completions, demo, emulator, list, man, wait};

/// Exit codes, credentials and the environment, shown under `cloudbackup --help` and
/// `cloudbackup call --help`.
pub(crate) const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  the output could not be written, or the demo failed
  2  bad usage, bad parameters or an invalid request (nothing was sent)
  3  missing credentials or configuration (region, endpoint, signature)
  4  the service answered with an error
  5  transport failure, an answer that does not decode, or the client's rate limiter
  6  `wait`: the waiter ended in a failure state
  7  `wait`: the waiter timed out

Credentials come from the vendors' environment variables (TENCENTCLOUD_SECRET_ID/
TENCENTCLOUD_SECRET_KEY, ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET,
HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK or HUAWEICLOUD_IAM_TOKEN) or their CLIs' profile files.
Secrets are never printed, not even with -vv.

Environment: CLOUDBACKUP_ENDPOINT (same as --endpoint), RUST_LOG (tracing filter such as
`cloudbackup=debug` when no -v is given).";

/// `cloudbackup`: typed, validated, signed calls to cloud backup APIs.
#[derive(Debug, Parser)]
#[command(
    name = "cloudbackup",
    version,
    about = "Typed, validated, signed calls to cloud backup APIs (Tencent, Alibaba, Huawei)",
    long_about = "Typed, validated, signed calls to cloud backup APIs (Tencent, Alibaba, \
Huawei). Every action, its parameters and their constraints come from the YAML specs the \
library is generated from; `cloudbackup list` shows them, `cloudbackup call <provider> \
<service> <Action> --help` documents one.",
    after_help = EXIT_CODES,
    subcommand_required = true,
    arg_required_else_help = true
)]
pub(crate) struct Cli {
    /// Trace on stderr: -v calls and retries, -vv the HTTP client too, -vvv everything
    ///
    /// -v traces the library's calls, attempts and retries (debug), -vv also the HTTP client
    /// (trace), -vvv everything. Without -v, RUST_LOG applies (target=level pairs, e.g.
    /// RUST_LOG=cloudbackup=debug). Secrets stay redacted.
    #[arg(short, long, action = clap::ArgAction::Count, global = true, display_order = 900)]
    pub(crate) verbose: u8,

    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run every seed action against the built-in emulator, then typed failures.
    Demo(demo::DemoArgs),
    /// Serve every spec'd action on loopback (signatures checked, state kept).
    Emulator(emulator::EmulatorArgs),
    /// List the actions this build knows.
    List(list::ListArgs),
    /// Call an action: `call <provider> <service> <Action> --param Name=value ...`.
    Call(call::CallCommand),
    /// Wait for a state: `wait <provider> <service> <Waiter> --param Name=value ...`.
    Wait(wait::WaitCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff), or write one page per command into a directory.
    Man(man::ManArgs),
}

/// Output formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON document on one line, for scripts (errors too: `{"error": {...}}`).
    Json,
    /// Aligned tables.
    Table,
}

/// `--output`, shared by the commands that print results.
#[derive(Clone, Copy, Debug, Args)]
pub(crate) struct OutputArg {
    /// Output format.
    #[arg(
        short = 'o',
        long = "output",
        value_enum,
        default_value_t,
        value_name = "FORMAT"
    )]
    pub(crate) format: Format,
}
