//! In-memory state: resources created, idempotency tokens, call counts and windows, nonces,
//! issued tokens, armed faults.

use std::collections::{BTreeMap, HashMap, VecDeque};

use serde::Serialize;
use serde_json::Value;

use super::faults::{Armed, FaultKind, FaultSpec};
use super::store::{LiveResource, Store};
use crate::meta::CallLimit;
use crate::runtime::credentials::Secret;

/// Counts for one action.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ActionCalls {
    /// Requests routed to the action (whatever the outcome, dropped connections included).
    pub received: u64,
    /// Successes answered (idempotent replays included).
    pub succeeded: u64,
    /// Error answers by code (signature, validation, throttling, injected faults).
    pub errors: BTreeMap<String, u64>,
    /// Connections dropped by a fault.
    pub dropped: u64,
}

/// A copy of the emulator's state, for tests and `GET /_emulator/state`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StateSnapshot {
    /// Per `provider/service/Action`.
    pub calls: BTreeMap<String, ActionCalls>,
    /// Ids of the resources created (backups, backup plans, tasks), per action, in order.
    pub resources: BTreeMap<String, Vec<String>>,
    /// Idempotency tokens seen, per action: token → id of the resource it created.
    pub idempotency_tokens: BTreeMap<String, BTreeMap<String, String>>,
    /// Faults still armed.
    pub faults: Vec<FaultSpec>,
    /// IAM tokens issued and not yet expired.
    pub live_tokens: usize,
    /// Temporary credentials handed out, per `provider/source` (`tencent/metadata`,
    /// `alibaba/sts`, ...; see the emulator's identity endpoints).
    pub credentials_issued: BTreeMap<String, u64>,
    /// Temporary credentials handed out and not yet expired.
    pub live_temporary_keys: usize,
    /// The resources alive now, per `provider/service/Kind`.
    pub live: BTreeMap<String, Vec<LiveResource>>,
}

/// Temporary credentials the emulator handed out.
#[derive(Clone, Debug)]
pub(crate) struct TempKey {
    pub(crate) provider: &'static str,
    pub(crate) secret: Secret,
    pub(crate) token: Secret,
    pub(crate) expires_at: i64,
}

/// A stored answer to an idempotent call.
#[derive(Clone, Debug)]
pub(crate) struct Remembered {
    pub(crate) body: Value,
    pub(crate) resource: Option<String>,
}

#[derive(Default)]
pub(crate) struct State {
    pub(crate) calls: BTreeMap<String, ActionCalls>,
    pub(crate) resources: BTreeMap<String, Vec<String>>,
    pub(crate) idempotency: BTreeMap<String, BTreeMap<String, Remembered>>,
    pub(crate) windows: HashMap<String, VecDeque<i64>>,
    /// Nonce key → time after which it may be forgotten.
    nonces: HashMap<String, i64>,
    /// Issued token → expiry.
    pub(crate) tokens: HashMap<String, i64>,
    pub(crate) faults: Vec<Armed>,
    pub(crate) counter: u64,
    /// Huawei AK → (consecutive signature failures, locked until).
    pub(crate) ak_failures: HashMap<String, (u32, i64)>,
    /// Temporary key id → its secret, token and expiry.
    pub(crate) temp_keys: HashMap<String, TempKey>,
    /// Metadata session token → expiry.
    pub(crate) metadata_tokens: HashMap<String, i64>,
    /// `provider/source` → temporary credentials handed out.
    pub(crate) issued: BTreeMap<String, u64>,
    /// The resources, per account, region and kind.
    pub(crate) store: Store,
}

/// Shows sizes only: issued tokens are credentials.
impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("actions", &self.calls.len())
            .field("nonces", &self.nonces.len())
            .field("tokens", &self.tokens.len())
            .field("temp_keys", &self.temp_keys.len())
            .field("faults", &self.faults.len())
            .finish_non_exhaustive()
    }
}

impl State {
    pub(crate) fn calls(&mut self, action: &str) -> &mut ActionCalls {
        self.calls.entry(action.to_owned()).or_default()
    }

    pub(crate) fn count_error(&mut self, action: &str, code: &str) {
        *self
            .calls(action)
            .errors
            .entry(code.to_owned())
            .or_default() += 1;
    }

    /// Records `key` until `forget_after`; `false` when it was already there (a replay).
    pub(crate) fn use_nonce(&mut self, key: String, now: i64, forget_after: i64) -> bool {
        if self.nonces.len() > 10_000 {
            self.nonces.retain(|_, t| *t >= now);
        }
        match self.nonces.get(&key) {
            Some(t) if *t >= now => false,
            _ => {
                self.nonces.insert(key, forget_after);
                true
            }
        }
    }

    /// Takes one hit of the first fault armed for `action`.
    pub(crate) fn take_fault(&mut self, action: &str) -> Option<FaultKind> {
        let i = self.faults.iter().position(|f| f.action == action)?;
        let f = &mut self.faults[i];
        let kind = f.kind.clone();
        f.remaining = f.remaining.saturating_sub(1);
        if f.remaining == 0 {
            self.faults.remove(i);
        }
        Some(kind)
    }

    /// Whether one more call of `action` at `now` stays within `limits`; records it if so.
    pub(crate) fn admit(&mut self, action: &str, limits: &[CallLimit], now: i64) -> bool {
        if limits.is_empty() {
            return true;
        }
        let longest = limits.iter().map(|l| l.per_seconds).max().unwrap_or(0);
        let w = self.windows.entry(action.to_owned()).or_default();
        let horizon = now.saturating_sub(i64::try_from(longest).unwrap_or(i64::MAX));
        while w.front().is_some_and(|t| *t <= horizon) {
            w.pop_front();
        }
        for l in limits {
            let start = now.saturating_sub(i64::try_from(l.per_seconds).unwrap_or(i64::MAX));
            let n = w.iter().filter(|t| **t > start).count();
            if n >= usize::try_from(l.max_calls).unwrap_or(usize::MAX) {
                return false;
            }
        }
        w.push_back(now);
        true
    }

    pub(crate) fn next_counter(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    pub(crate) fn snapshot(&self, now: i64) -> StateSnapshot {
        StateSnapshot {
            calls: self.calls.clone(),
            resources: self.resources.clone(),
            idempotency_tokens: self
                .idempotency
                .iter()
                .map(|(a, m)| {
                    let tokens = m
                        .iter()
                        .map(|(t, r)| (t.clone(), r.resource.clone().unwrap_or_default()))
                        .collect();
                    (a.clone(), tokens)
                })
                .collect(),
            faults: self.faults.iter().map(Armed::spec).collect(),
            live_tokens: self.tokens.values().filter(|e| **e > now).count(),
            credentials_issued: self.issued.clone(),
            live_temporary_keys: self
                .temp_keys
                .values()
                .filter(|k| k.expires_at > now)
                .count(),
            live: self.store.summary(),
        }
    }

    /// Forgets everything but the counter (ids stay unique across resets) and the timing
    /// overrides.
    pub(crate) fn reset(&mut self) {
        let counter = self.counter;
        let overrides = std::mem::take(&mut self.store.overrides);
        *self = State {
            counter,
            ..State::default()
        };
        self.store.overrides = overrides;
    }
}
