//! The resources the emulator remembers, per account and region: created by one action, seen
//! by the list and read actions, moved through their states on the emulator's clock, deleted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::registry::emulation::{IdStyle, ResourceKind, StateValue};
use crate::runtime::clock::NonceSource;

/// Draws of a random id before the last one is kept (a repeat after that many is as good as
/// impossible unless the kind's ids are nearly used up).
const MINT_ATTEMPTS: usize = 64;

/// Whose resources: the account (the key id, or the IAM user) and the region.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Scope {
    /// The account.
    pub account: String,
    /// The region (empty when the request names none).
    pub region: String,
}

/// One resource.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Resource {
    /// Its id, as text.
    pub(crate) id: String,
    /// Its attributes by wire name (the id, the state and the request's fields among them).
    pub(crate) attrs: Map<String, Value>,
    /// When it entered its current state (emulator time).
    pub(crate) state_since: i64,
}

/// A change of a kind's timing, from the configuration or the admin endpoint: after `after`
/// seconds in state `from`, a resource of `resource` (`provider/service/Kind`) moves to `to`
/// (or to the spec's next state when `to` is absent).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionOverride {
    /// `provider/service/Kind`.
    pub resource: String,
    /// The state left (a string or an integer, as the spec writes it).
    pub from: Value,
    /// The state reached; `None`: the spec's. Answers show only values the response's
    /// enumeration lists: a state outside it is not answered as such (the answer's state then
    /// comes from the response schema).
    #[serde(default)]
    pub to: Option<Value>,
    /// Seconds in `from` before moving.
    pub after: u32,
}

/// `StateValue` as JSON.
pub(crate) fn state_json(v: StateValue) -> Value {
    match v {
        StateValue::Str(s) => Value::from(s),
        StateValue::Int(i) => Value::from(i),
    }
}

/// Resources per scope and per kind (`provider/service/Kind`), in creation order.
#[derive(Debug, Default)]
pub(crate) struct Store {
    scopes: BTreeMap<Scope, BTreeMap<String, Vec<Resource>>>,
    counters: BTreeMap<String, u64>,
    pub(crate) overrides: Vec<TransitionOverride>,
}

impl Store {
    /// Sets a timing override, replacing an earlier one of the same kind and state left (the
    /// first match decides a move, so a second one appended would never be used).
    pub(crate) fn set_override(&mut self, t: TransitionOverride) {
        self.overrides
            .retain(|o| !(o.resource == t.resource && o.from == t.from));
        self.overrides.push(t);
    }

    /// The resources of `kind` in `scope`.
    pub(crate) fn kind_mut(&mut self, scope: &Scope, kind: &str) -> &mut Vec<Resource> {
        self.scopes
            .entry(scope.clone())
            .or_default()
            .entry(kind.to_owned())
            .or_default()
    }

    /// A fresh id of `kind`.
    pub(crate) fn mint(&mut self, path: &str, kind: &ResourceKind, ids: &dyn NonceSource) -> Value {
        match kind.id {
            IdStyle::Counter => {
                let n = self.counters.entry(path.to_owned()).or_default();
                *n += 1;
                Value::from(*n)
            }
            IdStyle::Prefixed { prefix, length } => {
                // Random digits can repeat (six hex digits: about one chance in a thousand
                // among 170 ids), so a draw that names a resource of the kind is drawn again.
                let draw = || {
                    let hex = ids.next_hex((length as usize).div_ceil(2));
                    format!("{prefix}{}", &hex[..length as usize])
                };
                let mut id = draw();
                for _ in 0..MINT_ATTEMPTS {
                    if !self.names(path, &id) {
                        break;
                    }
                    id = draw();
                }
                Value::from(id)
            }
        }
    }

    /// Whether a resource of `path` (in any account and region) has the id `id`.
    fn names(&self, path: &str, id: &str) -> bool {
        self.scopes
            .values()
            .filter_map(|kinds| kinds.get(path))
            .flatten()
            .any(|r| r.id == id)
    }

    /// Moves every resource of `kind` through the states whose time is up at `now`.
    pub(crate) fn advance(&mut self, scope: &Scope, path: &str, kind: &ResourceKind, now: i64) {
        let Some(attr) = kind.state else { return };
        let overrides: Vec<TransitionOverride> = self
            .overrides
            .iter()
            .filter(|o| o.resource == path)
            .cloned()
            .collect();
        for r in self.kind_mut(scope, path) {
            // A bounded walk: a cycle of zero-second transitions cannot loop for ever.
            for _ in 0..16 {
                let Some(current) = r.attrs.get(attr).cloned() else {
                    break;
                };
                let spec = kind
                    .transitions
                    .iter()
                    .find(|t| state_json(t.from) == current)
                    .map(|t| (state_json(t.to), i64::from(t.after_secs)));
                let over = overrides.iter().find(|o| o.from == current);
                let next = match (over, spec) {
                    (Some(o), spec) => {
                        o.to.clone()
                            .or(spec.as_ref().map(|s| s.0.clone()))
                            .map(|to| (to, i64::from(o.after)))
                    }
                    (None, spec) => spec,
                };
                let Some((to, after)) = next else { break };
                let at = r.state_since.saturating_add(after);
                if at > now {
                    break;
                }
                r.attrs.insert(attr.to_owned(), to);
                r.state_since = at;
            }
        }
    }

    /// Every resource, for the state snapshot: `provider/service/Kind` → (scope, id, state).
    pub(crate) fn summary(&self) -> BTreeMap<String, Vec<LiveResource>> {
        let mut out: BTreeMap<String, Vec<LiveResource>> = BTreeMap::new();
        for (scope, kinds) in &self.scopes {
            for (kind, list) in kinds {
                let entry = out.entry(kind.clone()).or_default();
                entry.extend(list.iter().map(|r| LiveResource {
                    account: scope.account.clone(),
                    region: scope.region.clone(),
                    id: r.id.clone(),
                    attributes: r.attrs.clone(),
                }));
            }
        }
        out
    }
}

/// A live resource in the state snapshot.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LiveResource {
    /// The account it belongs to.
    pub account: String,
    /// The region it lives in.
    pub region: String,
    /// Its id.
    pub id: String,
    /// Its attributes, by wire name.
    pub attributes: Map<String, Value>,
}

/// Checks an override against the actions served: a known resource kind with states.
pub(crate) fn check_override(
    t: &TransitionOverride,
    entries: &[&'static crate::registry::ActionEntry],
) -> Result<(), String> {
    let kinds: Vec<String> = entries
        .iter()
        .flat_map(|e| {
            e.service
                .resources
                .iter()
                .filter(|k| k.state.is_some())
                .map(|k| format!("{}/{}/{}", e.service.provider, e.service.service, k.kind))
        })
        .collect();
    if !kinds.contains(&t.resource) {
        let mut known = kinds;
        known.sort();
        known.dedup();
        return Err(format!(
            "`{}` is not a resource kind with states; kinds: {}",
            crate::validation::shorten(&t.resource),
            known.join(", ")
        ));
    }
    let scalar = |v: &Value| v.is_string() || v.is_i64();
    if !scalar(&t.from) || t.to.as_ref().is_some_and(|v| !scalar(v)) {
        return Err("states are strings or integers".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// Hands out the given hex strings in turn.
    #[derive(Debug)]
    struct Draws(Mutex<Vec<&'static str>>);

    impl NonceSource for Draws {
        fn next_u32(&self) -> u32 {
            0
        }
        fn next_hex(&self, _bytes: usize) -> String {
            self.0.lock().unwrap().remove(0).to_owned()
        }
        fn uuid_v4(&self) -> String {
            String::new()
        }
    }

    #[test]
    fn a_random_id_already_given_is_drawn_again() {
        let kind = ResourceKind {
            kind: "BackupFile",
            id: IdStyle::Prefixed {
                prefix: "backup_",
                length: 6,
            },
            state: None,
            initial: None,
            transitions: &[],
            created: None,
        };
        let path = "tencent/sqlserver/BackupFile";
        let mut store = Store::default();
        let other = Scope {
            account: "a".to_owned(),
            region: "ap-guangzhou".to_owned(),
        };
        store.kind_mut(&other, path).push(Resource {
            id: "backup_aaaaaa".to_owned(),
            attrs: Map::new(),
            state_since: 0,
        });
        // The first two draws name the live resource (in another region even); the third is new.
        let ids = Draws(Mutex::new(vec!["aaaaaa", "aaaaaa", "bbbbbb"]));
        assert_eq!(store.mint(path, &kind, &ids), Value::from("backup_bbbbbb"));
        // A kind without that id takes the first draw.
        let ids = Draws(Mutex::new(vec!["aaaaaa"]));
        assert_eq!(
            store.mint("tencent/sqlserver/Other", &kind, &ids),
            Value::from("backup_aaaaaa")
        );
    }
}
