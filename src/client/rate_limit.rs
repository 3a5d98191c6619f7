//! Client-side rate limits from the spec (`ActionInfo::limits`).
//!
//! Rule: a limit whose window is at most [`MAX_WAIT_WINDOW`] (one minute) makes the call wait
//! for a free slot; a longer window (calls per hour or day) refuses the call with
//! [`Throttled`] before anything is sent. Time comes from an injected [`Timer`].

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::error::Throttled;
use crate::meta::CallLimit;
use crate::runtime::clock::Timer;

/// Longest window for which the limiter waits instead of refusing.
pub const MAX_WAIT_WINDOW: Duration = Duration::from_secs(60);

/// A sliding-window limiter for one action: remembers the start time of recent calls.
#[derive(Debug)]
pub struct RateLimiter {
    action: &'static str,
    limits: Vec<CallLimit>,
    /// Per limit, start times of the calls inside its window, oldest first.
    calls: Mutex<Vec<VecDeque<Duration>>>,
    timer: Arc<dyn Timer>,
}

impl RateLimiter {
    /// A limiter enforcing every limit in `limits`.
    pub fn new(action: &'static str, limits: Vec<CallLimit>, timer: Arc<dyn Timer>) -> Self {
        let calls = Mutex::new(vec![VecDeque::new(); limits.len()]);
        Self {
            action,
            limits,
            calls,
            timer,
        }
    }

    /// The limits enforced.
    pub fn limits(&self) -> &[CallLimit] {
        &self.limits
    }

    /// Takes a slot: at once if every limit has room, after a wait if only short-window
    /// limits are full.
    ///
    /// # Errors
    ///
    /// [`Throttled`] when a long-window limit is full; nothing is recorded then.
    pub async fn acquire(&self) -> Result<(), Throttled> {
        loop {
            let wait = {
                let now = self.timer.now();
                let mut calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
                let mut wait = Duration::ZERO;
                for (limit, q) in self.limits.iter().zip(calls.iter_mut()) {
                    let window = Duration::from_secs(limit.per_seconds);
                    while q.front().is_some_and(|t| now.saturating_sub(*t) >= window) {
                        q.pop_front();
                    }
                    if q.len() >= limit.max_calls as usize {
                        let free_at = q
                            .iter()
                            .rev()
                            .nth(limit.max_calls.saturating_sub(1) as usize)
                            .map_or(now, |t| *t + window);
                        let w = free_at.saturating_sub(now).max(Duration::from_nanos(1));
                        if window > MAX_WAIT_WINDOW {
                            return Err(Throttled {
                                action: self.action,
                                max_calls: limit.max_calls,
                                per_seconds: limit.per_seconds,
                                retry_after: w,
                            });
                        }
                        wait = wait.max(w);
                    }
                }
                if wait.is_zero() {
                    for q in calls.iter_mut() {
                        q.push_back(now);
                    }
                    return Ok(());
                }
                wait
            };
            tracing::debug!(
                action = self.action,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "rate limit: waiting for a slot"
            );
            self.timer.sleep(wait).await;
        }
    }
}

/// Rate limiting of a client: on (the spec's limits, with per-action overrides) or off.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RateLimitConfig {
    disabled: bool,
    overrides: Vec<(String, Vec<CallLimit>)>,
}

impl RateLimitConfig {
    /// The spec's limits (the default).
    pub fn spec() -> Self {
        Self::default()
    }

    /// No client-side limiting.
    pub fn off() -> Self {
        Self {
            disabled: true,
            overrides: Vec::new(),
        }
    }

    /// Replaces the spec's limits of `action` (its wire name, `CreateDiskBackup`); an empty
    /// list removes them.
    #[must_use]
    pub fn with_override(mut self, action: impl Into<String>, limits: Vec<CallLimit>) -> Self {
        let action = action.into();
        self.overrides.retain(|(a, _)| *a != action);
        self.overrides.push((action, limits));
        self
    }

    /// Whether limiting is on.
    pub fn enabled(&self) -> bool {
        !self.disabled
    }

    /// The limits to enforce for an action documented with `spec` limits.
    pub fn limits_for(&self, action: &str, spec: &[CallLimit]) -> Vec<CallLimit> {
        if self.disabled {
            return Vec::new();
        }
        match self.overrides.iter().find(|(a, _)| a == action) {
            Some((_, l)) => l.clone(),
            None => spec.to_vec(),
        }
    }
}
