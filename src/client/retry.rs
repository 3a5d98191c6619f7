//! Retry policy: how many attempts, how long between them, and a budget shared by every call
//! of a client so that a failing service is not hammered.
//!
//! What is retried is decided per failure (see [`RetryClass`]): a service error the spec marks
//! retryable (the service answered, so nothing was applied), a connection that never opened
//! (nothing was sent), and — only for idempotent actions — a timeout or reset after sending.
//! The wait before a retry is the backoff, or what the server asks for in `Retry-After` (or
//! Alibaba's `x-acs-retry-after`, in milliseconds) when that is longer.

use std::sync::Mutex;
use std::time::Duration;

/// How a client retries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    budget: Option<u32>,
}

impl Default for RetryPolicy {
    /// [`RetryPolicy::standard`].
    fn default() -> Self {
        Self::standard()
    }
}

/// Tokens a retry after a service error costs.
pub const RETRY_COST: u32 = 5;
/// Tokens a retry after a transport failure (timeout, reset) costs.
pub const TRANSPORT_RETRY_COST: u32 = 10;
/// Tokens a successful call gives back.
pub const SUCCESS_REFUND: u32 = 1;

impl RetryPolicy {
    /// 3 attempts, backoff from 200 ms doubling up to 20 s with jitter, a server's
    /// `Retry-After` honoured up to 60 s, a budget of 500 tokens (a retry costs 5, 10 after a
    /// transport failure; a success gives 1 back).
    pub fn standard() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(60),
            budget: Some(500),
        }
    }

    /// One attempt, no retry.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::standard()
        }
    }

    /// Sets the maximum number of attempts (at least 1), the first included.
    #[must_use]
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Sets the backoff before the first retry (doubled for each further one).
    #[must_use]
    pub fn initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// Sets the longest backoff.
    #[must_use]
    pub fn max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// Sets the longest wait a server may ask for (`Retry-After`, Alibaba's
    /// `x-acs-retry-after`) before a retry: a retryable failure asking for longer is returned
    /// instead of waited on. A shorter ask replaces the backoff when it is longer than it; the
    /// call's total timeout still applies.
    #[must_use]
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.max_retry_after = d;
        self
    }

    /// The longest server-asked wait honoured (see [`RetryPolicy::max_retry_after`]).
    pub fn max_retry_after_delay(&self) -> Duration {
        self.max_retry_after
    }

    /// Sets the retry budget in tokens, or `None` for no budget.
    #[must_use]
    pub fn budget(mut self, tokens: Option<u32>) -> Self {
        self.budget = tokens;
        self
    }

    /// The maximum number of attempts.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The retry budget in tokens (`None`: no budget).
    pub fn budget_tokens(&self) -> Option<u32> {
        self.budget
    }

    /// The wait before retry number `retry` (1 for the first retry): half of
    /// `min(max, initial * 2^(retry-1))` plus a random part up to the other half, `random`
    /// being uniform over `u32`.
    pub fn backoff(&self, retry: u32, random: u32) -> Duration {
        let exp = retry.saturating_sub(1).min(31);
        let base = self
            .initial_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff);
        let half = base / 2;
        let jitter = half.mul_f64(f64::from(random) / f64::from(u32::MAX));
        half + jitter
    }
}

/// Why a failure may be retried, and so what the retry costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryClass {
    /// The service answered with a code the spec marks retryable.
    Service,
    /// The request was never sent (connection refused), or answered with HTTP 429.
    NotSent,
    /// The request may have been applied (timeout or reset after sending); retried only for
    /// idempotent actions.
    Ambiguous,
}

impl RetryClass {
    /// Tokens a retry of this class costs.
    pub fn cost(self) -> u32 {
        match self {
            RetryClass::Service => RETRY_COST,
            RetryClass::NotSent | RetryClass::Ambiguous => TRANSPORT_RETRY_COST,
        }
    }
}

/// The retry budget of one client: a token bucket that retries draw from and successes
/// refill.
#[derive(Debug)]
pub struct RetryBudget {
    capacity: Option<u32>,
    tokens: Mutex<u32>,
}

impl RetryBudget {
    /// A full budget of `capacity` tokens (`None`: unlimited).
    pub fn new(capacity: Option<u32>) -> Self {
        Self {
            capacity,
            tokens: Mutex::new(capacity.unwrap_or(0)),
        }
    }

    /// Takes `cost` tokens if there are enough; `false` (and nothing taken) otherwise.
    pub fn withdraw(&self, cost: u32) -> bool {
        if self.capacity.is_none() {
            return true;
        }
        let mut t = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if *t >= cost {
            *t -= cost;
            true
        } else {
            false
        }
    }

    /// Gives back [`SUCCESS_REFUND`] tokens after a success, up to the capacity.
    pub fn refund(&self) {
        if let Some(cap) = self.capacity {
            let mut t = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
            *t = (*t + SUCCESS_REFUND).min(cap);
        }
    }

    /// Tokens left (`None`: unlimited).
    pub fn remaining(&self) -> Option<u32> {
        self.capacity
            .map(|_| *self.tokens.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_caps() {
        let p = RetryPolicy::standard()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(1000));
        assert_eq!(p.backoff(1, 0), Duration::from_millis(50));
        assert_eq!(p.backoff(1, u32::MAX), Duration::from_millis(100));
        assert_eq!(p.backoff(2, 0), Duration::from_millis(100));
        assert_eq!(p.backoff(3, u32::MAX), Duration::from_millis(400));
        assert_eq!(p.backoff(10, u32::MAX), Duration::from_millis(1000));
        assert_eq!(p.backoff(100, 0), Duration::from_millis(500));
        let mid = p.backoff(2, u32::MAX / 2);
        assert!(mid > Duration::from_millis(140) && mid < Duration::from_millis(160));
    }

    #[test]
    fn budget_drains_and_refills() {
        let b = RetryBudget::new(Some(12));
        assert!(b.withdraw(RETRY_COST));
        assert!(!b.withdraw(TRANSPORT_RETRY_COST));
        assert!(b.withdraw(RETRY_COST));
        assert_eq!(b.remaining(), Some(2));
        for _ in 0..20 {
            b.refund();
        }
        assert_eq!(b.remaining(), Some(12));
        let unlimited = RetryBudget::new(None);
        assert!((0..1000).all(|_| unlimited.withdraw(10)));
    }
}
