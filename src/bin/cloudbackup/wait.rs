//! `cloudbackup wait <provider> <service> <Waiter>`: polls the waiter's action (built from
//! `--param`/`--json` like `call`) until a success state, a failure state or the timeout. Each
//! poll is reported on stderr when stderr is a terminal (or with `--progress`).

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::Duration;

use clap::{ArgMatches, Args, Command, FromArgMatches, Subcommand};
use cloudbackup::client::{WaitOptions, WaitProgress};
use cloudbackup::registry::{self, ActionEntry, DynError, DynWaitError, WaiterEntry};

use crate::call::{CallOpts, Signature, client};
use crate::cli::{EXIT_CODES, Format};
use crate::out::{errln, outln};
use crate::target::{group, missing};
use crate::{params, render};

/// Exit code of a wait that ended in a failure state.
const EXIT_FAILED: u8 = 6;
/// Exit code of a wait that timed out.
const EXIT_TIMED_OUT: u8 = 7;

/// `cloudbackup wait`.
#[derive(Debug, Args)]
#[command(
    subcommand_required = true,
    arg_required_else_help = true,
    after_help = EXIT_CODES
)]
pub(crate) struct WaitCommand {
    /// The waiter: `<provider> <service> <Waiter>` (see `cloudbackup wait --help`).
    #[command(subcommand)]
    pub(crate) target: WaitTarget,
}

/// The options of a wait besides the polled action's.
#[derive(Clone, Debug, Args)]
pub(crate) struct WaitOpts {
    /// Seconds between polls (default: the spec's).
    #[arg(long, value_name = "SECONDS")]
    pub(crate) interval: Option<u64>,
    /// Seconds in all before giving up (default: the spec's).
    #[arg(long, value_name = "SECONDS")]
    pub(crate) timeout: Option<u64>,
    /// Report every poll on stderr even when it is not a terminal.
    #[arg(long)]
    pub(crate) progress: bool,
}

/// The waiter a `wait` names, with its options.
#[derive(Debug)]
pub(crate) struct WaitTarget {
    /// The polled action.
    entry: &'static ActionEntry,
    /// The waiter.
    waiter: &'static WaiterEntry,
    /// `--param`, `--region`, ... of the polled action.
    opts: CallOpts,
    /// `--interval`, `--timeout`, `--progress`.
    wait: WaitOpts,
    /// `--signature`, for the families that have a choice.
    signature: Option<Signature>,
}

/// Provider → service → (waiter, polled action), sorted.
type Tree = BTreeMap<
    &'static str,
    BTreeMap<&'static str, Vec<(&'static WaiterEntry, &'static ActionEntry)>>,
>;

fn tree() -> Tree {
    let mut t = Tree::new();
    for e in registry::all() {
        for w in e.waiters {
            t.entry(e.service.provider)
                .or_default()
                .entry(e.service.service)
                .or_default()
                .push((w, e));
        }
    }
    t
}

fn waiter_help(w: &WaiterEntry, e: &ActionEntry) -> String {
    let list = |v: &[&str]| {
        if v.is_empty() {
            "none".to_owned()
        } else {
            v.join(", ")
        }
    };
    let mut text = format!(
        "Polls {} every {} s (at most {} s in all) until the state at `{}` ends the wait.\n\
         Success: {}. Failure: {}.",
        e.action.name,
        w.interval_secs,
        w.timeout_secs,
        w.state,
        list(w.success),
        list(w.failure)
    );
    if let Some(retry) = w.retry {
        text.push_str(&format!(
            " Keeps polling while: {}; any other state fails.",
            list(retry)
        ));
    }
    if let Some(from) = w.from {
        text.push_str(&format!(
            "\nIts parameters come from the output of {from} (see `cloudbackup call {} {} {} --help`).",
            e.service.provider, e.service.service, e.action.name
        ));
    }
    text.push_str("\n\n");
    text.push_str(&crate::action_help::text(e));
    text
}

fn waiter_command(w: &'static WaiterEntry, e: &'static ActionEntry) -> Command {
    let cmd = WaitOpts::augment_args(CallOpts::augment_args(Command::new(w.name)));
    let cmd = match Signature::arg(e.service.family) {
        Some(arg) => cmd.arg(arg),
        None => cmd,
    };
    cmd.about(if w.doc.is_empty() {
        format!("Waits on {}", e.action.name)
    } else {
        w.doc.to_owned()
    })
    .long_about(None)
    .after_help(waiter_help(w, e))
}

fn providers(cmd: Command) -> Command {
    let mut cmd = cmd;
    for (provider, services) in tree() {
        let mut p = group(
            provider,
            format!(
                "services with waiters: {}",
                services.keys().copied().collect::<Vec<_>>().join(", ")
            ),
        );
        for (service, waiters) in services {
            let title = waiters.first().map_or("", |(_, e)| e.service.title);
            let mut s = group(service, title.to_owned());
            for (w, e) in waiters {
                s = s.subcommand(waiter_command(w, e));
            }
            p = p.subcommand(s);
        }
        cmd = cmd.subcommand(p);
    }
    cmd
}

/// Where a `wait` with a level left out points.
const SEE: &str = "cloudbackup wait --help";

impl FromArgMatches for WaitTarget {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let (provider, m) = m.subcommand().ok_or_else(|| missing("provider", SEE))?;
        let (service, m) = m.subcommand().ok_or_else(|| missing("service", SEE))?;
        let (name, m) = m.subcommand().ok_or_else(|| missing("waiter", SEE))?;
        let (waiter, entry) = registry::all()
            .into_iter()
            .filter(|e| e.service.provider == provider && e.service.service == service)
            .find_map(|e| e.waiters.iter().find(|w| w.name == name).map(|w| (w, e)))
            .ok_or_else(|| {
                clap::Error::raw(
                    clap::error::ErrorKind::InvalidSubcommand,
                    format!("no waiter {provider}/{service}/{name} in this build\n"),
                )
            })?;
        Ok(Self {
            entry,
            waiter,
            opts: CallOpts::from_arg_matches(m)?,
            wait: WaitOpts::from_arg_matches(m)?,
            signature: Signature::from_matches(entry.service.family, m),
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Subcommand for WaitTarget {
    fn augment_subcommands(cmd: Command) -> Command {
        providers(cmd)
    }

    fn augment_subcommands_for_update(cmd: Command) -> Command {
        providers(cmd)
    }

    fn has_subcommand(name: &str) -> bool {
        registry::all()
            .iter()
            .any(|e| e.service.provider == name && !e.waiters.is_empty())
    }
}

fn report(p: &WaitProgress) {
    errln!(
        "{}: poll {} after {} s: {}",
        p.waiter,
        p.attempt,
        p.elapsed.as_secs(),
        p.state.as_deref().unwrap_or("no state yet")
    );
}

/// How a wait ended, for the output.
fn summary(
    t: &WaitTarget,
    result: &str,
    state: Option<&str>,
    attempts: Option<u32>,
    output: Option<&serde_json::Value>,
) -> serde_json::Value {
    serde_json::json!({
        "waiter": t.waiter.name,
        "action": t.entry.action.name,
        "result": result,
        "state": state,
        "attempts": attempts,
        "output": output,
    })
}

fn execute(t: &WaitTarget) -> Result<u8, DynError> {
    let a = &t.opts;
    if a.dry_run {
        return Err(DynError::bad_input(
            "--dry-run is for `call`; print the polled request with `cloudbackup call ... --dry-run`",
        ));
    }
    let wire = params::wire(t.entry, &a.params, &a.json)?;
    crate::call::check(t.entry, &wire, a.no_validate)?;
    let client = client(t.entry, a, t.signature)?;
    let mut options = WaitOptions::new();
    if let Some(s) = t.wait.interval {
        options = options.interval(Duration::from_secs(s));
    }
    if let Some(s) = t.wait.timeout {
        options = options.timeout(Duration::from_secs(s));
    }
    if t.wait.progress || std::io::stderr().is_terminal() {
        options = options.on_progress(report);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| DynError::bad_input(format!("cannot start the async runtime: {e}")))?;
    let format = a.output.format;
    match runtime.block_on((t.waiter.run)(&client, wire, options)) {
        Ok(w) => {
            match format {
                Format::Json => outln!(
                    "{}",
                    summary(
                        t,
                        "succeeded",
                        Some(&w.state),
                        Some(w.attempts),
                        w.output.as_ref()
                    )
                ),
                _ => {
                    outln!(
                        "{}: succeeded in state {} after {} poll{} ({} s)",
                        t.waiter.name,
                        w.state,
                        w.attempts,
                        if w.attempts == 1 { "" } else { "s" },
                        w.elapsed.as_secs()
                    );
                    if let Some(out) = &w.output {
                        render::result(t.entry, out, format);
                    }
                }
            }
            Ok(0)
        }
        Err(DynWaitError::Failed { state, output }) => {
            if format == Format::Json {
                outln!(
                    "{}",
                    summary(t, "failed", Some(&state), None, output.as_ref())
                );
            }
            errln!(
                "error: {}: ended in the failure state {state}",
                t.waiter.name
            );
            Ok(EXIT_FAILED)
        }
        Err(DynWaitError::TimedOut {
            last_state,
            attempts,
        }) => {
            if format == Format::Json {
                outln!(
                    "{}",
                    summary(t, "timed_out", last_state.as_deref(), Some(attempts), None)
                );
            }
            errln!(
                "error: {}: timed out after {attempts} poll{} (last state: {})",
                t.waiter.name,
                if attempts == 1 { "" } else { "s" },
                last_state.as_deref().unwrap_or("none")
            );
            Ok(EXIT_TIMED_OUT)
        }
        Err(DynWaitError::Call(e)) => Err(e),
    }
}

/// Runs `wait`; returns the exit code.
pub(crate) fn run(c: WaitCommand) -> u8 {
    let format = c.target.opts.output.format;
    match execute(&c.target) {
        Ok(code) => code,
        Err(e) => crate::fail(&e, format),
    }
}
