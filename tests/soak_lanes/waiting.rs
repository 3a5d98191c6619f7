//! Waits under faults: before each, the lane picks how it should end and arranges it (the
//! resource's state move as the spec has it, to a failure state, or a month away), polls under
//! single faults the retries absorb (or, to break the wait, a fault that outlasts them), and
//! checks that the generated waiter ended exactly as arranged: success, its typed failure, its
//! timeout (in virtual time), or the poll's typed error.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudbackup::client::{TransportErrorKind, WaitError, WaitOptions, WaitProgress, Waited};
use cloudbackup::emulator::{FaultKind, FaultSpec, TransitionOverride};
use cloudbackup::{Error, ServiceError};
use serde_json::Value;

use super::lane::{HANG, Lane};
use crate::soak_support::{FAULT_PERCENT, wall_clock};

/// A state value, as the spec writes it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum State {
    Str(&'static str),
    Int(i64),
}

impl State {
    fn json(self) -> Value {
        match self {
            State::Str(s) => Value::from(s),
            State::Int(i) => Value::from(i),
        }
    }

    /// As a waiter reports it.
    fn text(self) -> String {
        match self {
            State::Str(s) => s.to_owned(),
            State::Int(i) => i.to_string(),
        }
    }
}

/// A generated waiter and the state move of the resource it follows.
pub(crate) struct WaitPlan {
    /// The waiter's spec name.
    pub(crate) waiter: &'static str,
    /// The action it polls.
    pub(crate) polls: &'static str,
    /// The spec's interval and timeout, seconds.
    pub(crate) interval: u64,
    pub(crate) timeout: u64,
    /// The state it waits for.
    pub(crate) success: &'static str,
    /// Whether a state keeps it polling.
    pub(crate) again: fn(&str) -> bool,
    /// The resource kind, the state it leaves for the success state (or, arranged, a failure
    /// state) and after how long (the emulator's default).
    pub(crate) resource: &'static str,
    pub(crate) from: State,
    pub(crate) after: u32,
    /// A failure state the spec lists (`None` when it lists none: the emulator answers only
    /// states the spec lists, so such a waiter cannot be made to fail).
    pub(crate) fail_to: Option<State>,
}

/// How a wait is arranged to end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Succeed,
    Fail,
    Stick,
    Break,
}

/// The ends of a waiter's waits, in turn.
const CYCLE: [Mode; 5] = [
    Mode::Succeed,
    Mode::Fail,
    Mode::Stick,
    Mode::Break,
    Mode::Succeed,
];
/// Timeouts shortened for the stuck waits after the first of each waiter: this many intervals.
const SHORT_TIMEOUT_INTERVALS: u64 = 8;
/// Virtual time one poll may take at most: its retries' backoff.
const LAST_POLL: Duration = Duration::from_millis(100);
/// A state move a stuck wait never sees.
const MONTH: u32 = 30 * 86_400;
/// The waiters whose first stuck wait (of any lane) ran to the spec's timeout.
static FULL_TIMEOUTS: Mutex<BTreeSet<&str>> = Mutex::new(BTreeSet::new());

impl Lane {
    /// Picks how the next wait of `plan` ends (each waiter's in turn: see [`CYCLE`]) and
    /// arranges the state move for it; call before creating what the wait follows.
    pub(crate) fn arrange(&mut self, plan: &WaitPlan) -> Mode {
        let n = self.waits.entry(plan.waiter).or_default();
        let mode = match CYCLE[*n % CYCLE.len()] {
            Mode::Fail if plan.fail_to.is_none() => Mode::Succeed,
            mode => mode,
        };
        *n += 1;
        let (to, after) = match mode {
            Mode::Succeed | Mode::Break => (None, plan.after),
            Mode::Fail => (plan.fail_to.map(State::json), plan.after),
            Mode::Stick => (None, MONTH),
        };
        self.shared
            .emu
            .set_transition(TransitionOverride {
                resource: plan.resource.into(),
                from: plan.from.json(),
                to,
                after,
            })
            .unwrap();
        mode
    }

    /// Runs a generated waiter (`run`, given the options) arranged with [`Lane::arrange`] and
    /// checks how it ended.
    pub(crate) async fn wait<T, E, Fut>(
        &mut self,
        plan: &WaitPlan,
        mode: Mode,
        run: impl FnOnce(WaitOptions) -> Fut,
    ) where
        T: Debug,
        E: ServiceError + Debug,
        Fut: Future<Output = Result<Waited<T>, WaitError<T, E>>>,
    {
        let interval = Duration::from_secs(plan.interval);
        let full = mode != Mode::Stick || FULL_TIMEOUTS.lock().unwrap().insert(plan.waiter);
        let timeout = Duration::from_secs(if full {
            plan.timeout
        } else {
            plan.interval * SHORT_TIMEOUT_INTERVALS
        });
        let polls = Arc::new(AtomicU32::new(0));
        let mut options =
            WaitOptions::new().on_progress(self.between_polls(plan, mode, timeout, polls.clone()));
        if !full {
            options = options.timeout(timeout);
        }
        self.maybe_fault(plan.polls);
        let t = wall_clock();
        let result = tokio::time::timeout(HANG, run(options))
            .await
            .unwrap_or_else(|_| panic!("{}: {} hung", self.name, plan.waiter));
        let took = t.elapsed();
        let polled = polls.load(Ordering::SeqCst);
        let what = format!(
            "{}: {} arranged to {mode:?} (took {took:?}, {polled} polls)",
            self.name, plan.waiter
        );
        let (outcome, polled) = match result {
            Ok(w) => {
                assert_eq!(mode, Mode::Succeed, "{what}: succeeded in {}", w.state);
                assert_eq!(w.state, plan.success, "{what}");
                assert_eq!(w.attempts, polled, "{what}");
                ("success", polled)
            }
            Err(WaitError::Failed {
                state, attempts, ..
            }) => {
                assert_eq!(mode, Mode::Fail, "{what}: failed in {state}");
                assert_eq!(Some(state), plan.fail_to.map(State::text), "{what}");
                assert_eq!(attempts, polled, "{what}");
                ("failed", polled)
            }
            Err(WaitError::TimedOut {
                last_state,
                attempts,
                elapsed,
            }) => {
                assert_eq!(mode, Mode::Stick, "{what}: timed out in {last_state:?}");
                assert_eq!(last_state, Some(plan.from.text()), "{what}");
                // The last poll started within the timeout (its retries' backoff may end a
                // little after it), and another would have started after it.
                assert!(
                    elapsed <= timeout + LAST_POLL && elapsed + interval > timeout,
                    "{what}: gave up after {elapsed:?} of {timeout:?}"
                );
                assert_eq!(attempts, polled, "{what}");
                if full {
                    self.shared.figures().full_timeouts += 1;
                }
                ("timed_out", polled)
            }
            Err(WaitError::Call(e)) => {
                let load =
                    matches!(&e, Error::Transport(t) if t.kind == TransportErrorKind::Timeout);
                if mode == Mode::Break {
                    // Broken at the second poll.
                    assert!(polled == 1 || load, "{what}: stopped by {e}");
                } else {
                    assert!(load, "{what}: stopped by {e}");
                    self.shared.figures().spurious += 1;
                }
                ("call_error", polled + 1)
            }
            Err(other) => panic!("{what}: an untyped end: {other:?}"),
        };
        let mut f = self.shared.figures();
        f.polls += u64::from(polled);
        *f.waits
            .entry(plan.waiter)
            .or_default()
            .entry(outcome)
            .or_default() += 1;
    }

    /// The progress callback: counts polls and, when the wait polls again, arms the next
    /// poll's fault: one the retries absorb about 30% of the time, or (to break the wait) one
    /// that fails every attempt of the second poll.
    fn between_polls(
        &self,
        plan: &WaitPlan,
        mode: Mode,
        timeout: Duration,
        polls: Arc<AtomicU32>,
    ) -> impl Fn(&WaitProgress) + Send + Sync + 'static {
        let shared = self.shared.clone();
        let (action, again) = (plan.polls, plan.again);
        let interval = Duration::from_secs(plan.interval);
        move |p: &WaitProgress| {
            polls.fetch_add(1, Ordering::SeqCst);
            let more = p.state.as_deref().is_none_or(again) && p.elapsed + interval <= timeout;
            if !more {
                return;
            }
            if mode == Mode::Break && p.attempt == 1 {
                let (name, kind) = match shared.rng().below(3) {
                    0 => ("http5xx", FaultKind::Http5xx { status: 503 }),
                    1 => ("drop_before_apply", FaultKind::DropBeforeApply),
                    _ => ("drop_after_apply", FaultKind::DropAfterApply),
                };
                shared.arm(name, FaultSpec::new(action, 3, kind));
            } else {
                let armed = {
                    let mut rng = shared.rng();
                    rng.chance(FAULT_PERCENT).then(|| {
                        crate::soak_support::fault(&mut rng, action, super::lane::ATTEMPT, false)
                    })
                };
                if let Some((name, spec)) = armed {
                    shared.arm(name, spec);
                }
            }
        }
    }
}
