//! Fault injection: a documented error, added latency, a bare HTTP 5xx, or a dropped connection,
//! for the next N calls of an action.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::registry::{self, ActionEntry};

/// What happens to a call hit by a fault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer with a documented error of the action (a code from its `errors` list), in the
    /// family's shape and with the spec's HTTP status (else the family's usual one).
    Error {
        /// The error code, e.g. `InvalidDisk.Busy`, `4400`, `KOOPHONE.API.9999`.
        code: String,
        /// Message to send (default: the spec's doc of the error).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// Wait this long, then handle the call normally.
    Latency {
        /// Milliseconds.
        millis: u64,
    },
    /// Answer with this bare HTTP status (500–599) and a plain-text body, as a load balancer
    /// would; nothing is applied.
    Http5xx {
        /// The status.
        status: u16,
    },
    /// Close the connection without answering; nothing is applied.
    DropBeforeApply,
    /// Apply the call (create the backup, record the token), then close the connection
    /// without answering.
    DropAfterApply,
}

fn one() -> u32 {
    1
}

/// A fault for the next `count` calls of `action`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultSpec {
    /// `provider/service/Action`, or a bare action name when it is unique.
    pub action: String,
    /// How many calls it hits (default 1).
    #[serde(default = "one")]
    pub count: u32,
    /// What it does.
    #[serde(flatten)]
    pub kind: FaultKind,
}

impl FaultSpec {
    /// A fault for the next `count` calls of `action`.
    pub fn new(action: impl Into<String>, count: u32, kind: FaultKind) -> Self {
        Self {
            action: action.into(),
            count,
            kind,
        }
    }
}

/// Why a fault cannot be armed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultError {
    /// No generated action has this name.
    UnknownAction(String),
    /// The bare action name matches several services.
    AmbiguousAction(String),
    /// The code is not among the action's documented errors.
    UndocumentedError {
        /// The action.
        action: String,
        /// The code asked for.
        code: String,
    },
    /// `Http5xx` with a status outside 500–599.
    NotA5xx(u16),
}

impl fmt::Display for FaultError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownAction(a) => write!(f, "no generated action `{a}`"),
            Self::AmbiguousAction(a) => write!(
                f,
                "`{a}` names several actions: use provider/service/Action"
            ),
            Self::UndocumentedError { action, code } => {
                write!(f, "`{code}` is not a documented error of `{action}`")
            }
            Self::NotA5xx(s) => write!(f, "HTTP status {s} is not a 5xx"),
        }
    }
}

impl std::error::Error for FaultError {}

/// The action a fault targets, after checking the fault against the registry.
pub(crate) fn resolve(spec: &FaultSpec) -> Result<&'static ActionEntry, FaultError> {
    let all = registry::all();
    let matches: Vec<_> = if spec.action.contains('/') {
        all.into_iter()
            .filter(|e| e.path() == spec.action)
            .collect()
    } else {
        all.into_iter()
            .filter(|e| e.action.name == spec.action)
            .collect()
    };
    let entry = match matches.as_slice() {
        [] => return Err(FaultError::UnknownAction(spec.action.clone())),
        [one] => *one,
        _ => return Err(FaultError::AmbiguousAction(spec.action.clone())),
    };
    match &spec.kind {
        FaultKind::Error { code, .. } if !entry.errors.iter().any(|e| e.code == code) => {
            Err(FaultError::UndocumentedError {
                action: entry.path(),
                code: code.clone(),
            })
        }
        FaultKind::Http5xx { status } if !(500..=599).contains(status) => {
            Err(FaultError::NotA5xx(*status))
        }
        _ => Ok(entry),
    }
}

/// An armed fault.
#[derive(Clone, Debug)]
pub(crate) struct Armed {
    pub(crate) action: String,
    pub(crate) remaining: u32,
    pub(crate) kind: FaultKind,
}

impl Armed {
    pub(crate) fn spec(&self) -> FaultSpec {
        FaultSpec::new(self.action.clone(), self.remaining, self.kind.clone())
    }
}
