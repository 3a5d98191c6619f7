//! Waiters: poll an action until a state is reached (`waiters:` in the spec). Generated code
//! gives each waiter a [`WaiterDef`] (its interval and timeout, how to read the state from
//! the output, what error codes mean); [`wait`] runs it on the client's injectable timer, so
//! tests run in virtual time.
//!
//! The outcome is typed: `Ok(`[`Waited`]`)` when a success state (or a success error code) was
//! seen; [`WaitError::Failed`] with the terminal state; [`WaitError::TimedOut`] with the last
//! state seen; [`WaitError::Call`] when a poll failed with an error no acceptor names (after the
//! client's own retries).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::{Error, ServiceClient};
use crate::{Operation, ServiceError};

/// What one poll's output means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Acceptance {
    /// The state reached a success value.
    Success(String),
    /// The state reached a failure value (or, when the waiter lists its retry values, one
    /// it does not list).
    Failure(String),
    /// Keep polling; the state seen, if any.
    Retry(Option<String>),
}

/// What a service error code means for a wait (`errors:` of the waiter).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitResult {
    /// The wait ends successfully.
    Success,
    /// The wait ends as failed.
    Failure,
    /// The waiter polls again.
    Retry,
}

/// A waiter of action `O`, generated from its spec.
pub struct WaiterDef<O: Operation> {
    /// The waiter's name (`DiskBackupNormal`).
    pub name: &'static str,
    /// Time between polls.
    pub interval: Duration,
    /// Time in all.
    pub timeout: Duration,
    /// Reads an output's state.
    pub classify: fn(&O::Output) -> Acceptance,
    /// Error codes and what they mean.
    pub errors: &'static [(&'static str, WaitResult)],
}

impl<O: Operation> fmt::Debug for WaiterDef<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaiterDef")
            .field("name", &self.name)
            .field("interval", &self.interval)
            .field("timeout", &self.timeout)
            .field("errors", &self.errors)
            .finish_non_exhaustive()
    }
}

/// The state of a wait after a poll, for progress reports.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitProgress {
    /// The waiter's name.
    pub waiter: &'static str,
    /// Polls so far (1 after the first).
    pub attempt: u32,
    /// Time since the wait started.
    pub elapsed: Duration,
    /// The state the poll saw (a state value, or the error code an `errors:` entry named).
    pub state: Option<String>,
}

/// A progress callback.
pub type ProgressFn = Arc<dyn Fn(&WaitProgress) + Send + Sync>;

/// Overrides of a waiter's spec'd interval and timeout, and a progress callback.
#[derive(Clone, Default)]
#[must_use]
pub struct WaitOptions {
    interval: Option<Duration>,
    timeout: Option<Duration>,
    progress: Option<ProgressFn>,
}

impl fmt::Debug for WaitOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitOptions")
            .field("interval", &self.interval)
            .field("timeout", &self.timeout)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl WaitOptions {
    /// The spec's interval and timeout, no progress callback.
    pub fn new() -> Self {
        Self::default()
    }

    /// Time between polls.
    pub fn interval(mut self, d: Duration) -> Self {
        self.interval = Some(d);
        self
    }

    /// Time in all.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// Called after every poll.
    pub fn on_progress(mut self, f: impl Fn(&WaitProgress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }
}

/// A wait that ended in a success state.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Waited<T> {
    /// The state (or the success error code) that ended the wait.
    pub state: String,
    /// The last output (`None` when an error code ended the wait successfully).
    pub output: Option<T>,
    /// Polls made.
    pub attempts: u32,
    /// Time the wait took.
    pub elapsed: Duration,
}

/// Why a wait did not succeed.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError<T, E> {
    /// A failure state (or a failure error code) ended the wait.
    Failed {
        /// The terminal state, or the error code.
        state: String,
        /// The last output (`None` when an error code ended the wait).
        output: Option<Box<T>>,
        /// Polls made.
        attempts: u32,
    },
    /// The timeout passed before a success or failure state.
    TimedOut {
        /// The last state seen.
        last_state: Option<String>,
        /// Polls made.
        attempts: u32,
        /// Time waited.
        elapsed: Duration,
    },
    /// A poll failed with an error the waiter does not name.
    Call(Error<E>),
}

impl<T, E: ServiceError> fmt::Display for WaitError<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Failed {
                state, attempts, ..
            } => write!(f, "wait failed: reached `{state}` after {attempts} polls"),
            WaitError::TimedOut {
                last_state,
                attempts,
                elapsed,
            } => {
                write!(
                    f,
                    "wait timed out after {:.0?} and {attempts} polls",
                    elapsed
                )?;
                match last_state {
                    Some(s) => write!(f, " (last state `{s}`)"),
                    None => write!(f, " (no state seen)"),
                }
            }
            WaitError::Call(e) => write!(f, "wait stopped: {e}"),
        }
    }
}

impl<T: fmt::Debug, E: ServiceError + fmt::Debug + 'static> std::error::Error for WaitError<T, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Call(e) => Some(e),
            _ => None,
        }
    }
}

/// What a set of state values means: every value (all items of a list) must be a success
/// value for success; one failure value (or, with `retry`, one unlisted value) fails; no value
/// at all keeps polling.
pub fn classify(
    states: &[String],
    success: &[&str],
    failure: &[&str],
    retry: Option<&[&str]>,
) -> Acceptance {
    if let Some(s) = states.iter().find(|s| failure.contains(&s.as_str())) {
        return Acceptance::Failure(s.clone());
    }
    if let Some(retry) = retry {
        let listed = |s: &str| success.contains(&s) || retry.contains(&s);
        if let Some(s) = states.iter().find(|s| !listed(s)) {
            return Acceptance::Failure(s.clone());
        }
    }
    match states.iter().find(|s| !success.contains(&s.as_str())) {
        Some(s) => Acceptance::Retry(Some(s.clone())),
        None => match states.first() {
            Some(first) => Acceptance::Success(first.clone()),
            None => Acceptance::Retry(None),
        },
    }
}

/// Runs a waiter: polls `input` through `client` every interval until the state is decided
/// or the timeout passes (the next poll would start after it).
///
/// # Errors
///
/// [`WaitError`]: a failure state, the timeout, or a poll's error.
pub async fn wait<O>(
    client: &ServiceClient,
    input: O,
    def: &WaiterDef<O>,
    options: WaitOptions,
) -> Result<Waited<O::Output>, WaitError<O::Output, O::Error>>
where
    O: Operation + Clone + Send,
{
    let timer = client.timer();
    let interval = options.interval.unwrap_or(def.interval);
    let timeout = options.timeout.unwrap_or(def.timeout);
    let start = timer.now();
    let mut attempts = 0u32;
    let mut last_state = None;
    loop {
        attempts += 1;
        let polled = client.call(input.clone()).await;
        let elapsed = timer.now().saturating_sub(start);
        let (accept, output) = match polled {
            Ok(out) => ((def.classify)(&out), Some(out)),
            Err(e) => {
                let named = e.service_meta().and_then(|m| {
                    def.errors
                        .iter()
                        .find(|(code, _)| *code == m.code)
                        .map(|(code, r)| (*code, *r))
                });
                match named {
                    Some((code, WaitResult::Success)) => (Acceptance::Success(code.into()), None),
                    Some((code, WaitResult::Failure)) => (Acceptance::Failure(code.into()), None),
                    Some((code, WaitResult::Retry)) => (Acceptance::Retry(Some(code.into())), None),
                    None => return Err(WaitError::Call(e)),
                }
            }
        };
        let state = match &accept {
            Acceptance::Success(s) | Acceptance::Failure(s) => Some(s.clone()),
            Acceptance::Retry(s) => s.clone(),
        };
        tracing::debug!(
            target: "cloudbackup::waiter",
            waiter = def.name,
            attempt = attempts,
            state = state.as_deref().unwrap_or(""),
            "poll"
        );
        if let Some(progress) = &options.progress {
            progress(&WaitProgress {
                waiter: def.name,
                attempt: attempts,
                elapsed,
                state: state.clone(),
            });
        }
        match accept {
            Acceptance::Success(state) => {
                return Ok(Waited {
                    state,
                    output,
                    attempts,
                    elapsed,
                });
            }
            Acceptance::Failure(state) => {
                return Err(WaitError::Failed {
                    state,
                    output: output.map(Box::new),
                    attempts,
                });
            }
            Acceptance::Retry(s) => last_state = s.or(last_state),
        }
        if elapsed.saturating_add(interval) > timeout {
            return Err(WaitError::TimedOut {
                last_state,
                attempts,
                elapsed,
            });
        }
        timer.sleep(interval).await;
    }
}

#[cfg(test)]
mod tests {
    use super::{Acceptance, classify};

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn every_item_must_succeed() {
        let ok = ["NORMAL"];
        assert_eq!(
            classify(&s(&["NORMAL", "NORMAL"]), &ok, &[], None),
            Acceptance::Success("NORMAL".into())
        );
        assert_eq!(
            classify(&s(&["NORMAL", "CREATING"]), &ok, &[], None),
            Acceptance::Retry(Some("CREATING".into()))
        );
        assert_eq!(classify(&s(&[]), &ok, &[], None), Acceptance::Retry(None));
    }

    #[test]
    fn one_failure_fails_and_retry_lists_close_the_set() {
        let (ok, bad) = (["2"], ["-1"]);
        assert_eq!(
            classify(&s(&["2", "-1"]), &ok, &bad, None),
            Acceptance::Failure("-1".into())
        );
        assert_eq!(
            classify(&s(&["7"]), &ok, &bad, None),
            Acceptance::Retry(Some("7".into()))
        );
        assert_eq!(
            classify(&s(&["7"]), &ok, &bad, Some(&["1"])),
            Acceptance::Failure("7".into())
        );
        assert_eq!(
            classify(&s(&["1"]), &ok, &bad, Some(&["1"])),
            Acceptance::Retry(Some("1".into()))
        );
    }
}
