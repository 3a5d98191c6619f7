//! Paginators and waiters of any action, for tools that work on every action (the CLI's
//! `--all-pages` and `wait`, the emulator's paging): what the spec says, and type-erased runs
//! through the typed client.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use serde_json::Value;

use super::DynError;
use crate::client::ServiceClient;
use crate::client::paginate::{PageStyle, Paginated, Paginator};
use crate::client::waiter::{WaitError, WaitOptions, WaiterDef, wait};
use crate::codec::ToJson;
use crate::runtime::request::WireRequest;

/// How a list action pages (`paginate:` in its spec).
#[derive(Clone, Copy, Debug)]
pub struct PaginateEntry {
    /// The style.
    pub style: PageStyle,
    /// Wire name of the request field holding the page number, offset or marker.
    pub page: &'static str,
    /// Wire name of the request field holding the page size.
    pub size: Option<&'static str>,
    /// The page size the service uses when none is sent (the size field's `default:`).
    pub default_size: Option<i64>,
    /// Path of the items array in the payload (dotted JSON members).
    pub items: &'static str,
    /// Path of the total number of items.
    pub total: Option<&'static str>,
    /// Path of the total number of pages.
    pub total_pages: Option<&'static str>,
    /// Path of the next marker.
    pub next: Option<&'static str>,
    /// Every item of every page from the page the request asks for, as JSON (at most
    /// `max_items` when given).
    pub collect: for<'a> fn(&'a ServiceClient, WireRequest, Option<u64>) -> DynCollect<'a>,
}

/// A waiter polling an action (`waiters:` in its spec).
#[derive(Clone, Copy, Debug)]
pub struct WaiterEntry {
    /// UpperCamelCase name.
    pub name: &'static str,
    /// One-line doc.
    pub doc: &'static str,
    /// Path of the state in the payload; `[]` marks every item of a list.
    pub state: &'static str,
    /// Success states.
    pub success: &'static [&'static str],
    /// Failure states.
    pub failure: &'static [&'static str],
    /// Retry states, when listed (any other state fails).
    pub retry: Option<&'static [&'static str]>,
    /// Seconds between polls.
    pub interval_secs: u32,
    /// Seconds in all.
    pub timeout_secs: u32,
    /// The action whose output starts the wait, when the spec names one.
    pub from: Option<&'static str>,
    /// Runs the waiter through a client of its service with a request read back by
    /// `from_wire`.
    pub run: for<'a> fn(&'a ServiceClient, WireRequest, WaitOptions) -> DynWait<'a>,
}

/// A boxed future of a type-erased collection of items.
pub type DynCollect<'a> = Pin<Box<dyn Future<Output = Result<Vec<Value>, DynError>> + Send + 'a>>;

/// A boxed future of a type-erased wait.
pub type DynWait<'a> = Pin<Box<dyn Future<Output = Result<DynWaited, DynWaitError>> + Send + 'a>>;

/// A wait that succeeded.
#[derive(Clone, Debug, PartialEq)]
pub struct DynWaited {
    /// The success state (or error code).
    pub state: String,
    /// The last output as JSON.
    pub output: Option<Value>,
    /// Polls made.
    pub attempts: u32,
    /// Time taken.
    pub elapsed: Duration,
}

/// Why a type-erased wait did not succeed.
#[derive(Clone, Debug, PartialEq)]
pub enum DynWaitError {
    /// A failure state ended the wait.
    Failed {
        /// The state or error code.
        state: String,
        /// The last output as JSON.
        output: Option<Value>,
    },
    /// The timeout passed.
    TimedOut {
        /// The last state seen.
        last_state: Option<String>,
        /// Polls made.
        attempts: u32,
    },
    /// A poll failed (or the request did not parse).
    Call(DynError),
}

impl std::fmt::Display for DynWaitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DynWaitError::Failed { state, .. } => write!(f, "wait failed: reached `{state}`"),
            DynWaitError::TimedOut {
                last_state,
                attempts,
            } => write!(
                f,
                "wait timed out after {attempts} polls (last state {})",
                last_state
                    .as_deref()
                    .map_or_else(|| "none".to_owned(), |s| format!("`{s}`"))
            ),
            DynWaitError::Call(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for DynWaitError {}

/// Collects every item of `O`'s pages as JSON; used by generated entries.
pub fn collect_dyn<O>(
    client: &ServiceClient,
    wire: WireRequest,
    max_items: Option<u64>,
) -> DynCollect<'_>
where
    O: Paginated,
    O::Item: ToJson,
    O::Output: Send,
    O::Error: Send,
{
    Box::pin(async move {
        let input = O::from_wire(&wire).map_err(|e| DynError::bad_input(e.to_string()))?;
        let mut paginator = Paginator::new(client.clone(), input);
        if let Some(n) = max_items {
            paginator = paginator.max_items(n);
        }
        let items = paginator.collect_items().await.map_err(DynError::from)?;
        Ok(items.iter().map(ToJson::to_json).collect())
    })
}

/// Runs a waiter of `O` with a request read back by `from_wire`; used by generated entries.
pub fn wait_dyn<'a, O>(
    client: &'a ServiceClient,
    wire: WireRequest,
    def: &'static WaiterDef<O>,
    options: WaitOptions,
) -> DynWait<'a>
where
    O: crate::Operation + Clone + Send + Sync + 'static,
    O::Output: ToJson + Send,
    O::Error: Send,
{
    Box::pin(async move {
        let input = O::from_wire(&wire)
            .map_err(|e| DynWaitError::Call(DynError::bad_input(e.to_string())))?;
        match wait(client, input, def, options).await {
            Ok(w) => Ok(DynWaited {
                state: w.state,
                output: w.output.as_ref().map(ToJson::to_json),
                attempts: w.attempts,
                elapsed: w.elapsed,
            }),
            Err(WaitError::Failed { state, output, .. }) => Err(DynWaitError::Failed {
                state,
                output: output.as_deref().map(ToJson::to_json),
            }),
            Err(WaitError::TimedOut {
                last_state,
                attempts,
                ..
            }) => Err(DynWaitError::TimedOut {
                last_state,
                attempts,
            }),
            Err(WaitError::Call(e)) => Err(DynWaitError::Call(DynError::from(e))),
        }
    })
}
