//! One lane of the lifecycle soak: an emulator of its own on a manual clock, which the clients'
//! timer drives (waiters and backoff wait in virtual time, and one lane's waits never move
//! another's clock), and the calls of one service made one after the other, each with a fault
//! armed before it about 30% of the time.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudbackup::client::TransportErrorKind;
use cloudbackup::client::paginate::{Paginated, Paginator, next_input};
use cloudbackup::client::rate_limit::RateLimitConfig;
use cloudbackup::emulator::{Emulator, EmulatorConfig, EmulatorHandle, FaultSpec};
use cloudbackup::jiff::Timestamp;
use cloudbackup::jiff::civil::DateTime;
use cloudbackup::jiff::tz::Offset;
use cloudbackup::runtime::{ManualClock, ManualTimer, SequenceNonce};
use cloudbackup::{Config, Error, Operation, ServiceError};

use super::figures::Figures;
use super::ledger::Ledger;
use crate::soak_support::{FAULT_PERCENT, Lcg, error_kind, fault, retry_policy, wall_clock};

/// The clients' attempt timeout (real time); latency faults outlast it.
pub(crate) const ATTEMPT: Duration = Duration::from_millis(150);
/// Real time a call may take at most: three attempts and their backoff, with room for a loaded
/// machine. Past [`HANG`] the call is taken for hung.
const CALL_DEADLINE: Duration = Duration::from_secs(5);
/// Real time after which a call the emulator delayed has landed (a latency fault delays a call
/// by the attempt timeout and 150 ms).
pub(crate) const SETTLE: Duration = Duration::from_millis(450);
/// Real time after which a call or a wait counts as hung.
pub(crate) const HANG: Duration = Duration::from_secs(20);
/// The emulators' start: 2025-12-04 00:00:00 UTC.
pub(crate) const T0: i64 = 1_764_806_400;

/// What the progress callbacks of waiters share with the lane.
pub(crate) struct Shared {
    pub(crate) emu: EmulatorHandle,
    pub(crate) rng: Mutex<Lcg>,
    pub(crate) figures: Mutex<Figures>,
}

impl Shared {
    /// Arms `spec`, counting it under `name`.
    pub(crate) fn arm(&self, name: &'static str, spec: FaultSpec) {
        let count = u64::from(spec.count);
        self.emu.inject(spec).unwrap();
        let mut f = self.figures();
        *f.faults.entry(name).or_default() += 1;
        f.armed_for += count;
    }

    pub(crate) fn figures(&self) -> std::sync::MutexGuard<'_, Figures> {
        self.figures.lock().unwrap()
    }

    pub(crate) fn rng(&self) -> std::sync::MutexGuard<'_, Lcg> {
        self.rng.lock().unwrap()
    }
}

/// A call that failed: whether it surely changed nothing (a service error, a 5xx, a request
/// never sent) rather than maybe (a timeout or a connection lost once sent), and whether it
/// timed out (the emulator may apply it later: a latency fault delays the call, not the
/// client's timeout).
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) definite: bool,
    pub(crate) timed_out: bool,
}

impl Failure {
    fn of<E: Debug>(e: &Error<E>) -> Self {
        let definite = match e {
            Error::Service(_) => true,
            Error::Decode(d) => d.http_status >= 500,
            Error::Transport(t) => !t.maybe_sent,
            _ => false,
        };
        let timed_out = matches!(e, Error::Transport(t) if t.kind == TransportErrorKind::Timeout);
        Failure {
            definite,
            timed_out,
        }
    }
}

pub(crate) struct Lane {
    pub(crate) name: &'static str,
    pub(crate) shared: Arc<Shared>,
    clock: Arc<ManualClock>,
    pub(crate) timer: Arc<ManualTimer>,
    nonce: Arc<SequenceNonce>,
    /// Calls to make (direct calls, pages and polls).
    pub(crate) target: u64,
    /// Markers minted so far.
    minted: u64,
    pub(crate) ledger: Ledger,
    /// Actions whose faults hit one call only: the waiters poll them, and a fault left over
    /// from an earlier call would end a wait that should not end.
    polled: Vec<&'static str>,
    /// Waits arranged so far, per waiter.
    pub(crate) waits: BTreeMap<&'static str, usize>,
}

impl Lane {
    pub(crate) fn start(name: &'static str, seed: u64, target: u64) -> Self {
        let clock = Arc::new(ManualClock::new(T0));
        let emu = Emulator::start(EmulatorConfig::default().with_clock(clock.clone())).unwrap();
        Lane {
            name,
            shared: Arc::new(Shared {
                emu,
                rng: Mutex::new(Lcg(seed)),
                figures: Mutex::new(Figures::default()),
            }),
            timer: Arc::new(ManualTimer::driving(clock.clone())),
            clock,
            nonce: Arc::new(SequenceNonce::new(1)),
            target,
            minted: 0,
            ledger: Ledger::default(),
            polled: Vec::new(),
            waits: BTreeMap::new(),
        }
    }

    /// A configuration for `region` against this lane's emulator; the caller adds credentials.
    pub(crate) fn config(&self, region: &str) -> Config {
        Config::new()
            .endpoint(self.shared.emu.base_url())
            .region(region)
            .clock(self.clock.clone())
            .timer(self.timer.clone())
            .nonce_source(self.nonce.clone())
            .attempt_timeout(ATTEMPT)
            .total_timeout(Some(Duration::from_secs(30)))
            .rate_limits(RateLimitConfig::off())
            .retry(retry_policy())
    }

    /// Declares an action that waiters poll (see [`Lane::polled`]).
    pub(crate) fn polls(&mut self, action: &'static str) {
        self.polled.push(action);
    }

    /// Whether the lane has made its calls.
    pub(crate) fn done(&self) -> bool {
        self.shared.figures().total() >= self.target
    }

    /// Moves virtual time on (through the timer, which drives the emulator's clock).
    pub(crate) fn tick(&self, secs: u64) {
        self.timer.advance(Duration::from_secs(secs));
    }

    /// The emulator's time now, Unix seconds.
    pub(crate) fn now(&self) -> i64 {
        use cloudbackup::runtime::Clock;
        self.clock.now_unix()
    }

    /// The last `secs` seconds up to now, in the emulator's local time (UTC+8), for the
    /// windows of list calls.
    pub(crate) fn window(&self, secs: i64) -> (DateTime, DateTime) {
        let local = |t: i64| Offset::constant(8).to_datetime(Timestamp::from_second(t).unwrap());
        let now = self.now();
        (local(now - secs), local(now))
    }

    /// A marker no other call of the lane carries (`soak_<lane>_<n>`).
    pub(crate) fn marker(&mut self) -> String {
        self.minted += 1;
        format!("soak_{}_{}", self.name, self.minted)
    }

    /// A number below `n`.
    pub(crate) fn below(&self, n: usize) -> usize {
        self.shared.rng().below(n)
    }

    /// Arms a fault for `action` about 30% of the time.
    pub(crate) fn maybe_fault(&self, action: &str) {
        let armed = {
            let mut rng = self.shared.rng();
            rng.chance(FAULT_PERCENT).then(|| {
                let once = self.polled.contains(&action);
                fault(&mut rng, action, ATTEMPT, !once)
            })
        };
        if let Some((name, spec)) = armed {
            self.shared.arm(name, spec);
        }
    }

    /// One call of `action`, maybe under a fault: its output, or how it failed.
    pub(crate) async fn call<T, E: ServiceError + Debug>(
        &self,
        action: &str,
        call: impl Future<Output = Result<T, Error<E>>>,
    ) -> Result<T, Failure> {
        self.maybe_fault(action);
        let result = self.timed(action, call).await;
        self.record(false, result.as_ref().err());
        result.map_err(|e| Failure::of(&e))
    }

    /// Calls until one succeeds (each a call of its own, with its own fault); for calls that
    /// create nothing.
    pub(crate) async fn until_ok<T, E, F>(&self, action: &str, mut call: impl FnMut() -> F) -> T
    where
        E: ServiceError + Debug,
        F: Future<Output = Result<T, Error<E>>>,
    {
        for _ in 0..50 {
            if let Ok(out) = self.call(action, call()).await {
                return out;
            }
        }
        panic!("{}: 50 calls of {action} in a row failed", self.name)
    }

    /// Every page of a list through the generated paginator, each page maybe under a fault
    /// (armed only when the paginator will ask for that page): the items, or how a page failed.
    /// The paginator asks for exactly the pages `next_input` names, and stops after the last.
    pub(crate) async fn list<O>(
        &self,
        input: O,
        paginator: impl FnOnce(O) -> Paginator<O>,
    ) -> Result<Vec<O::Item>, Failure>
    where
        O: Paginated,
        O::Output: Send,
        O::Error: Send + Debug,
    {
        let action = path_of::<O>();
        let action = action.as_str();
        let mut pages = paginator(input.clone()).pages();
        let mut expected = Some(input);
        let mut seen = 0u64;
        let mut items = Vec::new();
        while let Some(asked) = expected.take() {
            self.maybe_fault(action);
            let page = self
                .timed(action, pages.next())
                .await
                .unwrap_or_else(|| panic!("{}: {action} stopped early", self.name));
            self.record(true, page.as_ref().err());
            let page = page.map_err(|e| Failure::of(&e))?;
            let info = O::page_info(&page);
            seen += info.items as u64;
            expected = next_input(&asked, &info, seen);
            items.extend(O::into_items(page));
        }
        assert!(
            pages.next().await.is_none(),
            "{}: {action} went on after the last page",
            self.name
        );
        Ok(items)
    }

    /// Awaits `call` within [`HANG`], checking it ended before [`CALL_DEADLINE`].
    async fn timed<T>(&self, action: &str, call: impl Future<Output = T>) -> T {
        let t = wall_clock();
        let out = tokio::time::timeout(HANG, call)
            .await
            .unwrap_or_else(|_| panic!("{}: {action} hung", self.name));
        let took = t.elapsed();
        assert!(
            took < CALL_DEADLINE,
            "{}: {action} took {took:?}",
            self.name
        );
        let mut f = self.shared.figures();
        f.max_latency = f.max_latency.max(took);
        out
    }

    fn record<E: Debug>(&self, page: bool, err: Option<&Error<E>>) {
        let mut f = self.shared.figures();
        if page {
            f.pages += 1;
        } else {
            f.calls += 1;
        }
        let kind = err.map_or_else(|| "ok".to_owned(), error_kind);
        *f.outcomes.entry(kind).or_default() += 1;
    }
}

/// The action path of `O` (`provider/service/Action`).
pub(crate) fn path_of<O: Operation>() -> String {
    format!(
        "{}/{}/{}",
        O::SERVICE.provider,
        O::SERVICE.service,
        O::ACTION.name
    )
}
