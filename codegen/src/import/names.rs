//! The names imported object types get in `_service.yaml`, beside what a service already has.
//!
//! A vendor object `N` that the imported actions reach is written as the shared type `N`
//! unless that name is taken:
//! - an existing shared type `N` that can stand for the vendor's object (an object whose
//!   members have the vendor's types and nesting: the drift check finds no type, nesting or
//!   absent-member difference) is reused as it is, so hand-written specs keep their typed API;
//! - an existing shared type `N` that cannot (an enumeration, or different members), or an
//!   inline type `N` of an action file the import leaves in place (`type_name: N`, or a field
//!   named `N`), would clash (S0302), so the import takes the first free name of
//!   `<Service>N`, `<Service>N2`, ... (`CbsDiskBackup`), reusing one of those when an earlier
//!   import already wrote it and it fits.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::drift::compare::{self, What};
use crate::naming;
use crate::spec::{ActionFile, FieldSpec, ServiceFile};
use crate::vendor::Metadata;

/// Vendor object name → the shared type name the import uses for it.
pub type Renames = BTreeMap<String, String>;

/// The shared type name `names` gives the vendor object `object`.
pub fn of<'a>(names: &'a Renames, object: &'a str) -> &'a str {
    names.get(object).map_or(object, String::as_str)
}

/// What a service directory already declares.
#[derive(Debug, Default)]
pub struct Taken {
    /// The shared types of `_service.yaml`.
    pub shared: Vec<FieldSpec>,
    /// Inline enumeration and object type names of the action files the import keeps.
    pub inline: BTreeSet<String>,
}

impl Taken {
    /// Reads `_service.yaml` (`service_text`) and the action files of `dir` that stay (every
    /// one but those in `replaced`).
    pub fn read(
        service_text: Option<&str>,
        dir: &Path,
        replaced: &BTreeSet<String>,
    ) -> Result<Taken, String> {
        let shared = match service_text {
            Some(text) => {
                serde_saphyr::from_str::<ServiceFile>(text)
                    .map_err(|e| format!("_service.yaml: {e}"))?
                    .types
            }
            None => Vec::new(),
        };
        let mut inline = BTreeSet::new();
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e.filter_map(Result::ok).map(|e| e.path()).collect(),
            Err(_) => Vec::new(),
        };
        for path in entries {
            let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            if path.extension().and_then(|e| e.to_str()) != Some("yaml")
                || stem.starts_with(['_', '.'])
                || replaced.contains(stem)
            {
                continue;
            }
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let action: ActionFile =
                serde_saphyr::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            for f in action.request.iter().chain(&action.response) {
                inline_names(f, None, &mut inline);
            }
        }
        Ok(Taken { shared, inline })
    }

    fn shared(&self, name: &str) -> Option<&FieldSpec> {
        self.shared
            .iter()
            .find(|t| t.name.as_ref().is_some_and(|n| n.value == name))
    }
}

/// The type names a field declares inline (itself, its items, its members), as the generator
/// names them: `type_name:`, else the field's (for items: the list's) name in UpperCamelCase.
fn inline_names(f: &FieldSpec, list: Option<&str>, out: &mut BTreeSet<String>) {
    let name = f.name.as_ref().map(|n| n.value.as_str()).or(list);
    if f.enum_values.is_some() || f.fields.is_some() {
        let declared = match &f.type_name {
            Some(t) => Some(t.value.clone()),
            None => name
                .and_then(naming::upper_camel)
                .map(|i| i.as_str().to_owned()),
        };
        out.extend(declared);
    }
    if let Some(item) = &f.items {
        inline_names(item, name, out);
    }
    for m in f.fields.iter().flatten() {
        inline_names(m, None, out);
    }
}

/// What was decided for one vendor object.
#[derive(Debug, PartialEq, Eq)]
pub enum Choice {
    /// A new shared type under this name.
    New(String),
    /// The existing shared type of this name stands for it.
    Reuse(String),
}

/// Chooses a name for each vendor object in `needed`. `prefix` is the service in
/// UpperCamelCase (`Cbs`); `request` says which objects requests reach.
pub fn choose(
    meta: &Metadata,
    taken: &Taken,
    needed: &BTreeSet<String>,
    prefix: &str,
    request: impl Fn(&str) -> bool,
) -> BTreeMap<String, Choice> {
    let mut out = BTreeMap::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    for object in needed {
        let candidates = std::iter::once(object.clone())
            .chain(std::iter::once(format!("{prefix}{object}")))
            .chain((2..).map(|i| format!("{prefix}{object}{i}")));
        for name in candidates {
            let another_vendor_object = &name != object && needed.contains(&name);
            if taken.inline.contains(&name) || used.contains(&name) || another_vendor_object {
                continue;
            }
            match taken.shared(&name) {
                Some(_) if fits(meta, &taken.shared, &name, object, !request(object)) => {
                    used.insert(name.clone());
                    out.insert(object.clone(), Choice::Reuse(name));
                    break;
                }
                Some(_) => continue,
                None => {
                    used.insert(name.clone());
                    out.insert(object.clone(), Choice::New(name));
                    break;
                }
            }
        }
    }
    out
}

/// Whether the shared type `name` can stand for the vendor object `object`: the drift check
/// finds no type, nesting, absent-member or uncomparable difference (missing members and
/// required-ness are for the author to settle, and the drift check reports them).
fn fits(meta: &Metadata, types: &[FieldSpec], name: &str, object: &str, response: bool) -> bool {
    compare::shared_type(meta, types, name, object, response)
        .iter()
        .all(|f| f.reason.is_some() || matches!(f.what, What::Missing | What::Required))
}

/// The rename map of a set of choices (only the names that differ).
pub fn renames(choices: &BTreeMap<String, Choice>) -> Renames {
    choices
        .iter()
        .filter_map(|(object, c)| {
            let (Choice::New(n) | Choice::Reuse(n)) = c;
            (n != object).then(|| (object.clone(), n.clone()))
        })
        .collect()
}
