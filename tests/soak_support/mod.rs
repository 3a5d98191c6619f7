//! What the fault soaks share (`soak.rs`, `soak_lifecycle.rs`): a reproducible generator, the
//! fault mix (HTTP 5xx, connections dropped before and after the call is applied, latency
//! beyond the attempt timeout, retryable documented errors and throttling), the retry policy
//! under test, an error's kind for the figures, and the one read of the wall clock.

use std::time::{Duration, Instant};

use cloudbackup::client::RetryPolicy;
use cloudbackup::emulator::{FaultKind, FaultSpec};
use cloudbackup::registry;

/// The share of calls a fault is armed for.
pub(crate) const FAULT_PERCENT: u64 = 30;

/// A small deterministic generator (the soaks are reproducible).
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A number below `n`.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next()).unwrap() % n
    }

    /// True `percent`% of the time.
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The retryable documented errors (throttling among them) of an action, from the registry.
fn retryable_codes(action: &str) -> Vec<&'static str> {
    let entry = registry::all()
        .into_iter()
        .find(|e| e.path() == action)
        .unwrap_or_else(|| panic!("{action} is not in the registry"));
    entry
        .documented_errors()
        .filter(|e| e.retryable)
        .map(|e| e.code)
        .collect()
}

/// A random fault of `action`: its kind name (for the figures) and spec. Latency outlasts
/// `attempt` (the client's attempt timeout); an error is one of the action's retryable
/// documented errors (no such fault for an action that documents none). With `may_outlast`, a
/// quarter of the faults hit four calls, more than the retries (three attempts) absorb; else
/// one.
pub(crate) fn fault(
    rng: &mut Lcg,
    action: &str,
    attempt: Duration,
    may_outlast: bool,
) -> (&'static str, FaultSpec) {
    let count = if may_outlast && rng.below(4) == 3 {
        4
    } else {
        1
    };
    let codes = retryable_codes(action);
    let kinds = if codes.is_empty() { 4 } else { 5 };
    let (name, kind) = match rng.below(kinds) {
        0 => (
            "http5xx",
            FaultKind::Http5xx {
                status: [500, 502, 503][rng.below(3)],
            },
        ),
        1 => ("drop_before_apply", FaultKind::DropBeforeApply),
        2 => ("drop_after_apply", FaultKind::DropAfterApply),
        3 => (
            "latency",
            FaultKind::Latency {
                millis: u64::try_from(attempt.as_millis()).unwrap() + 150,
            },
        ),
        _ => {
            let code = codes[rng.below(codes.len())];
            (
                "error",
                FaultKind::Error {
                    code: code.into(),
                    message: None,
                },
            )
        }
    };
    (name, FaultSpec::new(action, count, kind))
}

/// The retry policy the soaks run: three attempts, short backoff, no budget.
pub(crate) fn retry_policy() -> RetryPolicy {
    RetryPolicy::standard()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(10))
        .budget(None)
}

/// The kind of a call's error, for the figures: the variant and, for a service error, the
/// typed error's variant (`Service(InternalError…)` reads `Service`).
pub(crate) fn error_kind<E: std::fmt::Debug>(e: &cloudbackup::Error<E>) -> String {
    let d = format!("{e:?}");
    d.split(['(', ' ', '{'])
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The wall clock: the soaks measure real elapsed time (calls' deadlines, the run's length).
#[expect(
    clippy::disallowed_methods,
    reason = "the soaks measure real elapsed time"
)]
pub(crate) fn wall_clock() -> Instant {
    Instant::now()
}
