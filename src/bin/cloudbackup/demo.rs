//! `cloudbackup demo`: starts the emulator in-process and walks one backup lifecycle per service
//! through the typed clients: start a backup, follow it with the generated waiter (every poll
//! shown), list the backups with the generated paginator in small pages, then restore or
//! delete where the API has such a call. Then a few failures: a validation error (never sent),
//! a documented service error, a rejected signature, and a retry after a dropped answer that
//! creates no duplicate.
//!
//! The emulator's timed states (minutes on the real services, tens of seconds in the emulator)
//! are shortened to a second or two and the waiters poll every 500 ms, so each wait lasts a
//! second or two. Each lifecycle checks the emulator's answers as it goes: a step that does not
//! behave as documented ends the demo with exit code 1.

mod cbs;
mod dbs;
mod failures;
mod koophone;
mod redis;
mod sqlserver;

use std::cell::Cell;
use std::fmt::{Debug, Display};
use std::time::Duration;

use clap::Args;

use cloudbackup::client::paginate::Paginated;
use cloudbackup::client::{Paginator, WaitOptions, Waited};
use cloudbackup::emulator::config::{
    DEFAULT_ALIBABA_ACCESS_KEY_ID, DEFAULT_ALIBABA_ACCESS_KEY_SECRET, DEFAULT_HUAWEI_TOKEN,
    DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY,
};
use cloudbackup::emulator::{Emulator, EmulatorConfig, EmulatorHandle, TransitionOverride};
use cloudbackup::jiff::Timestamp;
use cloudbackup::jiff::civil::DateTime;
use cloudbackup::jiff::tz;
use cloudbackup::runtime::credentials::{
    AlibabaCredentials, HuaweiCredentials, TencentCredentials,
};
use cloudbackup::{Config, Operation, ServiceError};

use crate::out::{errln, outln};

/// `cloudbackup demo` (no options: everything runs on the built-in emulator).
#[derive(Debug, Args)]
pub(crate) struct DemoArgs {}

type Failure = Box<dyn std::error::Error>;

/// Time between a waiter's polls (the specs' intervals are 5 s and more).
const POLL: Duration = Duration::from_millis(500);

/// The timed state moves of the lifecycles, shortened to a second or two: `(kind, from, after)`.
/// A wait on a one-step move lasts 1 to 2 s (the emulator's clock counts whole seconds).
const QUICK: &[(&str, State, u32)] = &[
    ("tencent/cbs/DiskBackup", State::Str("CREATING"), 2),
    ("tencent/cbs/DiskBackup", State::Str("ROLLBACKING"), 2),
    ("tencent/sqlserver/Flow", State::Int(2), 2),
    ("tencent/sqlserver_v3/Flow", State::Int(2), 2),
    ("tencent/sqlserver_v3/Backup", State::Int(0), 2),
    ("tencent/redis/Task", State::Int(0), 1),
    ("tencent/redis/Task", State::Int(1), 1),
    ("tencent/redis_v3/Task", State::Str("preparing"), 1),
    ("tencent/redis_v3/Task", State::Str("running"), 1),
    ("tencent/redis_v3/Backup", State::Int(1), 1),
    ("alibaba/dbs/BackupPlan", State::Str("check_pass"), 2),
    ("alibaba/dbs/FullBackup", State::Str("schedule"), 1),
    ("alibaba/dbs/FullBackup", State::Str("running"), 1),
    ("alibaba/dbs/RestoreTask", State::Str("running"), 2),
    ("huawei/koophone/Job", State::Int(1), 2),
];

/// A state as the spec writes it.
#[derive(Clone, Copy)]
enum State {
    Str(&'static str),
    Int(i64),
}

fn quick_transitions() -> Vec<TransitionOverride> {
    QUICK
        .iter()
        .map(|&(resource, from, after)| TransitionOverride {
            resource: resource.into(),
            from: match from {
                State::Str(s) => s.into(),
                State::Int(i) => i.into(),
            },
            to: None,
            after,
        })
        .collect()
}

/// The emulator, and the numbering of sections (one per service) and their steps.
struct Demo {
    emu: EmulatorHandle,
    section: Cell<u32>,
    step: Cell<u32>,
}

impl Demo {
    fn section(&self, title: &str) {
        self.section.set(self.section.get() + 1);
        self.step.set(0);
        outln!("\n== {}. {title} ==", self.section.get());
    }

    fn step(&self, what: impl Display) {
        self.step.set(self.step.get() + 1);
        outln!("\n{}.{} {what}", self.section.get(), self.step.get());
    }

    fn config(&self, region: &str) -> Config {
        Config::new().endpoint(self.emu.base_url()).region(region)
    }

    /// The emulator's documented test keys (a real program leaves credentials to the chain).
    fn tencent(&self) -> Config {
        self.config("ap-guangzhou")
            .credentials(TencentCredentials::new(
                DEFAULT_TENCENT_SECRET_ID,
                DEFAULT_TENCENT_SECRET_KEY,
            ))
    }

    fn alibaba(&self) -> Config {
        self.config("cn-hangzhou")
            .credentials(AlibabaCredentials::new(
                DEFAULT_ALIBABA_ACCESS_KEY_ID,
                DEFAULT_ALIBABA_ACCESS_KEY_SECRET,
            ))
    }

    fn huawei(&self) -> Config {
        self.config("ap-southeast-1")
            .credentials(HuaweiCredentials::token(DEFAULT_HUAWEI_TOKEN))
    }

    /// Requests the emulator received for `action` (`provider/service/Action`).
    fn received(&self, action: &str) -> u64 {
        self.emu.state().calls.get(action).map_or(0, |c| c.received)
    }

    /// The hour before and after now on the emulator's clock, in its local time (UTC+8, the
    /// time Tencent's legacy and SQL Server windows are read in).
    fn window(&self) -> Result<(DateTime, DateTime), Failure> {
        let now = self.emu.config().clock.now_unix();
        let local = |unix: i64| -> Result<DateTime, Failure> {
            Ok(tz::offset(8).to_datetime(Timestamp::from_second(unix)?))
        };
        Ok((local(now - 3600)?, local(now + 3600)?))
    }
}

/// An indented line under a step.
fn note(what: impl Display) {
    outln!("   {what}");
}

/// The action's part of the request as the typed input encodes it (before the client adds the
/// family's common parameters, generated values and the signature).
fn wire<O: Operation>(input: &O) -> String {
    let w = input.to_wire(&mut || "<generated per attempt>".to_owned());
    let mut s = format!("{} {}", w.method.as_str(), w.path);
    let params: Vec<String> = w.params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if !params.is_empty() {
        s.push_str(&format!("?{}", params.join("&")));
    }
    for (k, v) in &w.headers {
        s.push_str(&format!(" [{k}: {v}]"));
    }
    if let Some(b) = &w.body {
        s.push_str(&format!(" {}", String::from_utf8_lossy(b)));
    }
    if O::ACTION.idempotency_field.is_some() {
        s.push_str(" (+ ClientToken, generated once per call)");
    }
    s
}

fn request<O: Operation>(input: &O) {
    note(format_args!("request: {}", wire(input)));
}

/// Waiter options: a short interval, a short timeout, and a line for every poll.
fn watch() -> WaitOptions {
    WaitOptions::new()
        .interval(POLL)
        .timeout(Duration::from_secs(20))
        .on_progress(|p| {
            outln!(
                "   poll {} at {:.1} s: {}",
                p.attempt,
                p.elapsed.as_secs_f64(),
                p.state.as_deref().unwrap_or("(no state yet)")
            );
        })
}

/// The line that ends a successful wait.
fn reached<T>(waiter: &str, w: &Waited<T>) {
    note(format_args!(
        "waiter {waiter}: reached `{}` after {} polls ({:.1} s)",
        w.state,
        w.attempts,
        w.elapsed.as_secs_f64()
    ));
}

/// Reads every page of `paginator`, a line per page listing its items (each shown by `item`).
async fn list_pages<O>(
    paginator: Paginator<O>,
    item: impl Fn(&O::Item) -> String,
) -> Result<Vec<O::Item>, Failure>
where
    O: Paginated,
    O::Output: Send,
    O::Error: ServiceError + Send + 'static,
{
    let mut pages = paginator.pages();
    let mut all = Vec::new();
    let mut n = 0;
    while let Some(page) = pages.next().await {
        let items = O::into_items(page?);
        n += 1;
        let shown: Vec<String> = items.iter().map(&item).collect();
        note(format_args!("page {n}: {}", shown.join(", ")));
        all.extend(items);
    }
    let pages = if n == 1 { "page" } else { "pages" };
    note(format_args!("listed {} in {n} {pages}", all.len()));
    Ok(all)
}

/// A typed value (an enumeration's variant) for display, `-` when absent.
fn show<T: Debug>(v: &Option<T>) -> String {
    v.as_ref()
        .map_or_else(|| "-".to_owned(), |v| format!("{v:?}"))
}

/// An id, a name or a number for display, `-` when absent.
fn text<T: Display>(v: &Option<T>) -> String {
    v.as_ref()
        .map_or_else(|| "-".to_owned(), ToString::to_string)
}

/// Ends the demo unless the emulator behaved as documented.
fn check(ok: bool, what: impl Display) -> Result<(), Failure> {
    if ok {
        Ok(())
    } else {
        Err(format!("unexpected: {what}").into())
    }
}

async fn lifecycles(demo: &Demo) -> Result<(), Failure> {
    cbs::lifecycle(demo).await?;
    sqlserver::legacy(demo).await?;
    sqlserver::v3(demo).await?;
    redis::legacy(demo).await?;
    redis::v3(demo).await?;
    dbs::lifecycle(demo).await?;
    koophone::lifecycle(demo).await
}

/// Runs the demo; returns the exit code.
pub(crate) fn run(_: &DemoArgs) -> u8 {
    let config = EmulatorConfig {
        transitions: quick_transitions(),
        ..EmulatorConfig::default()
    };
    let emu = match Emulator::start(config) {
        Ok(e) => e,
        Err(e) => {
            errln!("error: cannot start the emulator: {e}");
            return 3;
        }
    };
    outln!(
        "cloudbackup demo: emulator on {} (loopback; no cloud account needed)",
        emu.base_url()
    );
    outln!(
        "   its timed states last 1 or 2 s here (minutes on the real services); \
         waiters poll every {} ms",
        POLL.as_millis()
    );
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            errln!("error: cannot start the async runtime: {e}");
            return 1;
        }
    };
    let demo = Demo {
        emu,
        section: Cell::new(0),
        step: Cell::new(0),
    };
    let outcome = runtime.block_on(async {
        lifecycles(&demo).await?;
        failures::run(&demo).await
    });
    let state = demo.emu.state();
    outln!("\n== Emulator state ==");
    for (action, c) in &state.calls {
        outln!(
            "   {action:<44} received {:>2}, succeeded {:>2}, errors {:?}, dropped {}",
            c.received,
            c.succeeded,
            c.errors,
            c.dropped
        );
    }
    demo.emu.shutdown();
    match outcome {
        Ok(()) => {
            outln!("\ndemo finished: every call behaved as documented");
            0
        }
        Err(e) => {
            errln!("error: demo failed: {e}");
            1
        }
    }
}
