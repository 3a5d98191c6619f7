//! What a lane's client saw of the resources, checked against its emulator's state at the end:
//! nothing lost, nothing created twice, nothing made by a call that surely failed, nothing
//! left of what was deleted.
//!
//! A resource is known by a key: a marker the creating call carried (a name, a remark, an
//! instance id: unique to that call), else its id. Markers also show what the client never
//! saw: two live resources with one marker are one call applied twice.

use std::collections::{BTreeMap, BTreeSet};

use cloudbackup::emulator::{LiveResource, StateSnapshot};
use serde_json::Value;

/// How a kind's resources are known.
pub(crate) struct KindSpec {
    /// `provider/service/Kind`.
    pub(crate) kind: &'static str,
    /// The attributes holding a creating call's marker (the first one present is the key).
    pub(crate) markers: &'static [&'static str],
    /// Further attributes no two live resources share (idempotency tokens).
    pub(crate) unique: &'static [&'static str],
}

#[derive(Default)]
struct Kind {
    markers: &'static [&'static str],
    unique: &'static [&'static str],
    /// Created, as the client saw: key → id when the answer showed it.
    ok: BTreeMap<String, Option<String>>,
    /// Creates that failed after maybe applying (by marker).
    maybe: BTreeSet<String>,
    /// Creates that surely applied nothing (by marker).
    failed: BTreeSet<String>,
    /// Deleted, as the client saw; deletes that failed after maybe applying.
    deleted: BTreeSet<String>,
    maybe_deleted: BTreeSet<String>,
}

/// Calls of one creating action: successes and failures, to bound what the emulator created.
#[derive(Default, Debug)]
struct Creates {
    ok: u64,
    failed: u64,
}

#[derive(Default)]
pub(crate) struct Ledger {
    kinds: BTreeMap<&'static str, Kind>,
    creates: BTreeMap<&'static str, Creates>,
}

/// The text of an attribute (a list's items joined with commas).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

impl Ledger {
    pub(crate) fn declare(&mut self, spec: KindSpec) {
        let k = self.kinds.entry(spec.kind).or_default();
        k.markers = spec.markers;
        k.unique = spec.unique;
    }

    fn kind(&mut self, kind: &str) -> &mut Kind {
        self.kinds
            .get_mut(kind)
            .unwrap_or_else(|| panic!("{kind} not declared"))
    }

    /// A call of creating `action` ended (ok or not).
    pub(crate) fn create_call(&mut self, action: &'static str, ok: bool) {
        let c = self.creates.entry(action).or_default();
        if ok {
            c.ok += 1;
        } else {
            c.failed += 1;
        }
    }

    /// The client saw `key` created (with `id`, when the answer showed it).
    pub(crate) fn created(&mut self, kind: &str, key: impl Into<String>, id: Option<String>) {
        let key = key.into();
        let old = self.kind(kind).ok.insert(key.clone(), id);
        assert!(old.is_none(), "{kind}: {key} created twice by the client");
    }

    /// A create of `marker` failed: surely without effect (`definite`), or maybe applied.
    pub(crate) fn not_created(&mut self, kind: &str, marker: impl Into<String>, definite: bool) {
        let k = self.kind(kind);
        if definite {
            k.failed.insert(marker.into());
        } else {
            k.maybe.insert(marker.into());
        }
    }

    /// A list showed `key` with `id`: a create that failed after applying is adopted (the
    /// client now knows it: `true`); one the client saw is the same resource.
    pub(crate) fn listed(&mut self, kind: &str, key: &str, id: &str) -> bool {
        let k = self.kind(kind);
        if k.maybe.remove(key) {
            k.ok.insert(key.to_owned(), Some(id.to_owned()));
            return true;
        }
        if let Some(known) = k.ok.get_mut(key) {
            let known = known.get_or_insert_with(|| id.to_owned());
            assert_eq!(known, id, "{kind}: {key} listed with another id");
        }
        false
    }

    /// A delete of `key` succeeded (`Ok`) or failed (`Err(definite)`).
    pub(crate) fn delete(&mut self, kind: &str, key: &str, result: Result<(), bool>) {
        let k = self.kind(kind);
        match result {
            Ok(()) => {
                k.deleted.insert(key.to_owned());
            }
            Err(false) => {
                k.maybe_deleted.insert(key.to_owned());
            }
            Err(true) => {}
        }
    }

    /// The keys (and ids) of what the client created and did not (try to) delete.
    pub(crate) fn alive(&self, kind: &str) -> Vec<(String, Option<String>)> {
        let k = &self.kinds[kind];
        k.ok.iter()
            .filter(|(key, _)| !k.deleted.contains(*key) && !k.maybe_deleted.contains(*key))
            .map(|(key, id)| (key.clone(), id.clone()))
            .collect()
    }

    /// Checks the emulator's state; returns how many resources of each kind are alive, and for
    /// each creating action what the emulator made of the calls (`made/answered by calls ok +
    /// failed`: an idempotent call retried after a lost answer is answered twice, made once).
    pub(crate) fn check(
        &self,
        lane: &str,
        st: &StateSnapshot,
    ) -> (
        BTreeMap<&'static str, usize>,
        BTreeMap<&'static str, String>,
    ) {
        let none = Vec::new();
        let mut sizes = BTreeMap::new();
        for (name, k) in &self.kinds {
            let live: &Vec<LiveResource> = st.live.get(*name).unwrap_or(&none);
            sizes.insert(*name, live.len());
            let key_of = |r: &LiveResource| {
                k.markers
                    .iter()
                    .find_map(|m| r.attributes.get(*m))
                    .map(text)
                    .unwrap_or_else(|| r.id.clone())
            };
            let mut by_key: BTreeMap<String, Vec<&LiveResource>> = BTreeMap::new();
            for r in live {
                by_key.entry(key_of(r)).or_default().push(r);
            }
            let ids: BTreeSet<&str> = live.iter().map(|r| r.id.as_str()).collect();
            assert_eq!(ids.len(), live.len(), "{lane}: {name}: duplicate ids");
            // Nothing created twice: one live resource per marker, per idempotency token.
            for (key, rs) in &by_key {
                assert_eq!(
                    rs.len(),
                    1,
                    "{lane}: {name}: {key} created {} times",
                    rs.len()
                );
            }
            for attr in k.unique {
                let mut seen = BTreeSet::new();
                for r in live {
                    if let Some(v) = r.attributes.get(*attr) {
                        assert!(seen.insert(text(v)), "{lane}: {name}: two share {attr} {v}");
                    }
                }
            }
            // Nothing lost: what the client saw created and did not delete is there (with the
            // id it saw); what it saw deleted is gone; a create that surely failed made
            // nothing.
            for (key, id) in self.alive(name) {
                let r = by_key
                    .get(&key)
                    .unwrap_or_else(|| panic!("{lane}: {name}: {key} ({id:?}) lost"));
                if let Some(id) = id {
                    assert_eq!(r[0].id, id, "{lane}: {name}: {key}");
                }
            }
            for key in &k.deleted {
                assert!(
                    !by_key.contains_key(key),
                    "{lane}: {name}: {key} deleted, still there"
                );
            }
            for key in &k.failed {
                assert!(
                    !by_key.contains_key(key),
                    "{lane}: {name}: {key} made by a call that failed"
                );
            }
            // Nothing the client did not ask for: every marked resource is one it created,
            // maybe created, or maybe deleted.
            if !k.markers.is_empty() {
                for (key, rs) in &by_key {
                    let marked = k.markers.iter().any(|m| rs[0].attributes.contains_key(*m));
                    assert!(
                        !marked
                            || k.ok.contains_key(key)
                            || k.maybe.contains(key)
                            || k.maybe_deleted.contains(key),
                        "{lane}: {name}: {key} was never asked for"
                    );
                }
            }
        }
        // Each creating call applied at most once: the emulator's count of what an action
        // created lies between the calls that succeeded and those plus the calls that failed.
        let mut creates = BTreeMap::new();
        for (action, c) in &self.creates {
            let made = st.resources.get(*action).map_or(0, Vec::len);
            let unique: BTreeSet<&String> =
                st.resources.get(*action).into_iter().flatten().collect();
            assert_eq!(unique.len(), made, "{lane}: {action}: duplicate ids");
            assert!(
                c.ok as usize <= made && made as u64 <= c.ok + c.failed,
                "{lane}: {action}: {made} created for {c:?}"
            );
            let answered = st.calls.get(*action).map_or(0, |a| a.succeeded);
            let name = action.rsplit('/').next().unwrap_or(action);
            creates.insert(
                name,
                format!("{made}/{answered} by {} + {}", c.ok, c.failed),
            );
        }
        (sizes, creates)
    }
}
