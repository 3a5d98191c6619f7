//! The figures of a lane, and of the soak once the lanes' are added up.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

#[derive(Debug, Default)]
pub(crate) struct Figures {
    /// Direct calls (one call of an action, its retries included).
    pub(crate) calls: u64,
    /// Pages read through the generated paginators.
    pub(crate) pages: u64,
    /// Polls of the generated waiters.
    pub(crate) polls: u64,
    /// Faults armed, by kind.
    pub(crate) faults: BTreeMap<&'static str, u64>,
    /// Direct calls and pages by outcome (`ok`, or the error's kind).
    pub(crate) outcomes: BTreeMap<String, u64>,
    /// Waits by waiter and outcome.
    pub(crate) waits: BTreeMap<&'static str, BTreeMap<&'static str, u64>>,
    /// Waits run to the waiter's own (spec) timeout rather than a shortened one.
    pub(crate) full_timeouts: u64,
    /// Waits ended by an attempt timing out on a loaded machine, not by the fault arranged.
    pub(crate) spurious: u64,
    /// Requests the emulators received, and connections they dropped.
    pub(crate) received: u64,
    pub(crate) dropped: u64,
    /// Requests the faults were armed for (their counts), and those they hit (less what was
    /// left armed at the end).
    pub(crate) armed_for: u64,
    pub(crate) hits: u64,
    /// The longest call (real time).
    pub(crate) max_latency: Duration,
}

impl Figures {
    /// Calls of every sort.
    pub(crate) fn total(&self) -> u64 {
        self.calls + self.pages + self.polls
    }

    pub(crate) fn armed(&self) -> u64 {
        self.faults.values().sum()
    }

    pub(crate) fn add(&mut self, o: &Figures) {
        self.calls += o.calls;
        self.pages += o.pages;
        self.polls += o.polls;
        for (k, v) in &o.faults {
            *self.faults.entry(k).or_default() += v;
        }
        for (k, v) in &o.outcomes {
            *self.outcomes.entry(k.clone()).or_default() += v;
        }
        for (w, outcomes) in &o.waits {
            let mine = self.waits.entry(w).or_default();
            for (k, v) in outcomes {
                *mine.entry(k).or_default() += v;
            }
        }
        self.full_timeouts += o.full_timeouts;
        self.spurious += o.spurious;
        self.received += o.received;
        self.dropped += o.dropped;
        self.armed_for += o.armed_for;
        self.hits += o.hits;
        self.max_latency = self.max_latency.max(o.max_latency);
    }

    /// Waits ended with `outcome`, every waiter together.
    pub(crate) fn waits_ended(&self, outcome: &str) -> u64 {
        self.waits.values().filter_map(|m| m.get(outcome)).sum()
    }
}

impl fmt::Display for Figures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.total();
        let pct = |n: u64| 100.0 * n as f64 / total.max(1) as f64;
        writeln!(
            f,
            "{total} calls ({} direct, {} pages, {} waiter polls); {} requests received \
             ({} retries), {} connections dropped",
            self.calls,
            self.pages,
            self.polls,
            self.received,
            self.received.saturating_sub(total),
            self.dropped
        )?;
        writeln!(
            f,
            "faults armed {} ({:.1}% of calls) {:?}; requests hit {} ({:.1}% of requests)",
            self.armed(),
            pct(self.armed()),
            self.faults,
            self.hits,
            100.0 * self.hits as f64 / self.received.max(1) as f64
        )?;
        writeln!(f, "call outcomes {:?}", self.outcomes)?;
        for (w, outcomes) in &self.waits {
            writeln!(f, "  waiter {w}: {outcomes:?}")?;
        }
        write!(
            f,
            "waits: {} succeeded, {} failed, {} timed out ({} at the spec's timeout), {} stopped \
             by a call error ({} of them an attempt timeout on a loaded machine); longest call {:?}",
            self.waits_ended("success"),
            self.waits_ended("failed"),
            self.waits_ended("timed_out"),
            self.full_timeouts,
            self.waits_ended("call_error"),
            self.spurious,
            self.max_latency
        )
    }
}
