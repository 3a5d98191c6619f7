//! Fault injection: a documented error, added latency, a bare HTTP 5xx, or a dropped connection,
//! for the next N calls of an action.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::registry::ActionEntry;
use crate::validation::shorten;

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
            Self::UnknownAction(a) => write!(f, "no generated action `{}`", shorten(a)),
            Self::AmbiguousAction(a) => write!(
                f,
                "`{a}` names several actions: use provider/service/Action"
            ),
            Self::UndocumentedError { action, code } => write!(
                f,
                "`{}` is not a documented error of `{action}`",
                shorten(code)
            ),
            Self::NotA5xx(s) => write!(f, "HTTP status {s} is not a 5xx"),
        }
    }
}

impl std::error::Error for FaultError {}

/// The action a fault targets, after checking the fault against the actions served.
pub(crate) fn resolve(
    spec: &FaultSpec,
    entries: &[&'static ActionEntry],
) -> Result<&'static ActionEntry, FaultError> {
    let matches: Vec<&'static ActionEntry> = if spec.action.contains('/') {
        entries
            .iter()
            .copied()
            .filter(|e| e.path() == spec.action)
            .collect()
    } else {
        entries
            .iter()
            .copied()
            .filter(|e| e.action.name == spec.action)
            .collect()
    };
    let entry = match matches.as_slice() {
        [] => return Err(FaultError::UnknownAction(spec.action.clone())),
        [one] => *one,
        _ => return Err(FaultError::AmbiguousAction(spec.action.clone())),
    };
    match &spec.kind {
        FaultKind::Error { code, .. } if entry.error(code).is_none() => {
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

/// Reads faults from JSON: a list when `list_only`, else also one fault or
/// `{"faults": [...]}`. An error is `(member, message)`, e.g. `("faults[2]", "missing field
/// `millis`")`.
pub(crate) fn faults_from_json(
    value: serde_json::Value,
    list_only: bool,
) -> Result<Vec<FaultSpec>, (String, String)> {
    use serde_json::Value;
    let one = |v: Value, at: &str| {
        serde_json::from_value::<FaultSpec>(v).map_err(|e| (at.to_owned(), e.to_string()))
    };
    let not_a_list = || ("faults".to_owned(), "expected a list of faults".to_owned());
    let list = |items: Vec<Value>| {
        items
            .into_iter()
            .enumerate()
            .map(|(i, v)| one(v, &format!("faults[{i}]")))
            .collect::<Result<Vec<_>, _>>()
    };
    match value {
        Value::Array(items) => list(items),
        Value::Object(mut m) if !list_only && m.len() == 1 && m.contains_key("faults") => {
            match m.remove("faults") {
                Some(Value::Array(items)) => list(items),
                _ => Err(not_a_list()),
            }
        }
        v @ Value::Object(_) if !list_only => one(v, "fault").map(|f| vec![f]),
        _ if list_only => Err(not_a_list()),
        _ => Err((
            "(body)".to_owned(),
            "expected a fault, a list of faults or {\"faults\": [...]}".to_owned(),
        )),
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
