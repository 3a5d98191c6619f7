//! One service's specs against its vendor model, action by action: fields missing on either
//! side, type and required-ness mismatches, nesting differences, and the specs' `drift:`
//! markers that explain them (or that no longer explain anything).
//!
//! Shared types (`types:` of `_service.yaml`) are resolved where an action uses them: an
//! enumeration is compared as its base type (`string`, `int64`), an object member by member
//! against the vendor object in its place, nested objects and lists included. A shared
//! object is compared once per vendor object and side (request or response) however many
//! actions use it; its findings point at `_service.yaml`, and its members' markers are stale
//! only when no comparison needed them.

use std::collections::{BTreeMap, BTreeSet};

use super::kinds::{self, Scalar};
use crate::spec::{ActionFile, FieldDriftSpec, FieldSpec};
use crate::vendor::{Field, Kind, Metadata};

/// What kind of difference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    /// A vendor field the spec does not have.
    Missing,
    /// A spec field (or action) the vendor metadata does not have.
    Absent,
    /// Scalar types (or timestamp formats) differ.
    Type,
    /// `required` differs.
    Required,
    /// A list or object on one side and not on the other, or different item shapes.
    Nesting,
    /// A `drift:` marker that explains nothing (any more).
    Stale,
    /// Something the drift check cannot compare.
    Unsupported,
}

/// One difference.
#[derive(Clone, Debug)]
pub struct Finding {
    /// 1-based line in the spec file.
    pub line: u64,
    /// `request.Region`, `response.DiskBackupSet.CreateTime`, `types.Filter.Values`, or
    /// `action`.
    pub place: String,
    /// What kind.
    pub what: What,
    /// What differs.
    pub message: String,
    /// The spec's reason, when a `drift:` marker explains it.
    pub reason: Option<String>,
    /// The finding is about a shared type: `line` is in the service's `_service.yaml`, not
    /// in the action file.
    pub in_service: bool,
}

/// Fields of a response that are the family's envelope rather than an action's output, by
/// family, each with why the spec need not list it.
pub fn envelope(family: &str) -> &'static [(&'static str, &'static str)] {
    const READ: &str = "the family's runtime reads it from the response envelope";
    match family {
        // `runtime::decode::alibaba`: `Success`, then the code and message of a failure.
        "alibaba-rpc" => &[
            ("Success", READ),
            ("ErrCode", READ),
            ("Code", READ),
            ("ErrMessage", READ),
            ("Message", READ),
            (
                "HttpStatusCode",
                "the body's copy of the HTTP status: the runtime takes the status from the HTTP response itself (a decoded output is a 2xx; an error carries it in `ErrorMeta::http_status`)",
            ),
        ],
        _ => &[],
    }
}

/// Compares the shared type `name` of `types` with the vendor object `object` on its own, as
/// a use on the response side (`response`) or the request side would: the importer asks
/// whether an existing type can stand for a vendor object of the same name.
pub fn shared_type(
    meta: &Metadata,
    types: &[FieldSpec],
    name: &str,
    object: &str,
    response: bool,
) -> Vec<Finding> {
    let Some(def) = types.iter().find(|t| kinds::type_name(t) == Some(name)) else {
        return Vec::new();
    };
    let mut cmp = Service::new(meta, types, "");
    let place = format!("types.{name}");
    let line = def.name.as_ref().map_or(0, |n| n.referenced.line());
    if !kinds::is_object(def) {
        cmp.emit(
            line,
            &place,
            What::Nesting,
            format!(
                "spec enumeration ({}), vendor object {object}",
                def.ty.value
            ),
            None,
        );
        return cmp.out;
    }
    let at = At {
        place: &place,
        line,
        response,
    };
    cmp.shared_object(def, name, object, at);
    let mut out = std::mem::take(&mut cmp.out);
    out.extend(cmp.finish());
    out
}

/// A `drift.omit` entry (of an action, or of an object) and whether it explained anything.
struct Omit {
    place: String,
    reason: String,
    line: u64,
    used: bool,
}

/// A shared member's `drift:` marker, evaluated over every comparison of its type: each kind
/// it names, the line of its reason, and whether that kind of difference occurred.
struct Marker {
    place: String,
    keys: Vec<(&'static str, u64, bool)>,
}

/// Compares the actions of one service with the vendor metadata.
pub struct Service<'a> {
    meta: &'a Metadata,
    types: &'a [FieldSpec],
    envelope: &'static [(&'static str, &'static str)],
    out: Vec<Finding>,
    /// The current action's omissions (its `drift.omit` and its inline objects').
    omits: Vec<Omit>,
    /// Omissions of shared objects, by place.
    shared_omits: BTreeMap<String, Omit>,
    /// Shared members' markers, by place and the kinds and lines they name.
    markers: BTreeMap<(String, String), Marker>,
    /// Shared objects compared: (type, vendor object, response).
    done: BTreeSet<(String, String, bool)>,
    /// While comparing a shared object: the use that led there (`CreateX request.Filters`).
    via: Option<String>,
    action: String,
}

impl<'a> Service<'a> {
    /// A comparer for a service whose `_service.yaml` declares `types`.
    pub fn new(meta: &'a Metadata, types: &'a [FieldSpec], family: &str) -> Service<'a> {
        Service {
            meta,
            types,
            envelope: envelope(family),
            out: Vec::new(),
            omits: Vec::new(),
            shared_omits: BTreeMap::new(),
            markers: BTreeMap::new(),
            done: BTreeSet::new(),
            via: None,
            action: String::new(),
        }
    }

    /// Compares one action; `action_line` is the line of `action:` (for findings with no
    /// field). Findings about shared types it uses for the first time come with it.
    pub fn action(&mut self, spec: &ActionFile, action_line: u64) -> Vec<Finding> {
        let name = spec.action.value.as_str();
        self.action = name.to_owned();
        let drift = spec.drift.as_ref();
        self.omits.clear();
        for o in drift.map_or(&[][..], |d| &d.omit[..]) {
            let (side, path) = match (&o.request, &o.response) {
                (Some(p), None) => ("request", p),
                (None, Some(p)) => ("response", p),
                _ => {
                    self.emit(
                        o.reason.referenced.line(),
                        "action",
                        What::Unsupported,
                        "a `drift.omit` entry needs exactly one of `request:` and `response:`"
                            .to_owned(),
                        None,
                    );
                    continue;
                }
            };
            self.omits.push(Omit {
                place: format!("{side}.{}", path.value),
                reason: o.reason.value.clone(),
                line: path.referenced.line(),
                used: false,
            });
        }
        let absent = drift.and_then(|d| d.absent.as_ref());
        match self.meta.actions.get(name) {
            None => self.emit(
                action_line,
                "action",
                What::Absent,
                format!("`{name}` is not in the vendor metadata"),
                absent.map(|r| r.value.clone()),
            ),
            Some(a) => {
                if let Some(r) = absent {
                    self.emit(
                        r.referenced.line(),
                        "action",
                        What::Stale,
                        format!("`drift.absent` says the vendor lacks `{name}`, but it has it"),
                        None,
                    );
                }
                let meta = self.meta;
                for (side, model, fields) in [
                    ("request", &a.request, &spec.request),
                    ("response", &a.response, &spec.response),
                ] {
                    let vendor = meta.object(model).map_or(&[][..], |o| &o.fields[..]);
                    self.fields(side, fields, vendor, side == "response", action_line, true);
                }
            }
        }
        for o in std::mem::take(&mut self.omits) {
            if !o.used {
                self.emit(
                    o.line,
                    &o.place,
                    What::Stale,
                    "`drift.omit` names a field the spec does not miss".to_owned(),
                    None,
                );
            }
        }
        std::mem::take(&mut self.out)
    }

    /// The markers of shared types that no comparison needed (located in `_service.yaml`).
    pub fn finish(mut self) -> Vec<Finding> {
        for m in std::mem::take(&mut self.markers).into_values() {
            for (key, line, happened) in m.keys {
                if !happened {
                    self.out.push(stale_marker(line, &m.place, key, true));
                }
            }
        }
        for o in std::mem::take(&mut self.shared_omits).into_values() {
            if !o.used {
                self.out.push(Finding {
                    line: o.line,
                    place: o.place,
                    what: What::Stale,
                    message: "`drift.omit` names a member the object does not miss".to_owned(),
                    reason: None,
                    in_service: true,
                });
            }
        }
        self.out
    }

    /// Records a finding, in `_service.yaml` while a shared object is being compared.
    fn emit(&mut self, line: u64, place: &str, what: What, message: String, r: Option<String>) {
        let message = match &self.via {
            Some(via) => format!("{message} (via {via})"),
            None => message,
        };
        self.out.push(Finding {
            line,
            place: place.to_owned(),
            what,
            message,
            reason: r,
            in_service: self.via.is_some(),
        });
    }

    /// Spec fields against vendor fields at `prefix` (`request`, `response.Items`,
    /// `types.Filter`).
    fn fields(
        &mut self,
        prefix: &str,
        spec: &[FieldSpec],
        vendor: &[Field],
        response: bool,
        parent_line: u64,
        top: bool,
    ) {
        let mut covered: Vec<&str> = Vec::new();
        for f in spec {
            let Some(name) = &f.name else { continue };
            let wire = match (&f.path, response) {
                (Some(p), true) => p.value.as_str(),
                _ => name.value.as_str(),
            };
            let mut segments = wire.split('.');
            let first = segments.next().unwrap_or_default();
            covered.push(first);
            let line = name.referenced.line();
            let place = format!("{prefix}.{wire}");
            let found = segments.try_fold(vendor.iter().find(|v| v.name == first), |v, seg| {
                let Some(Kind::Object { name }) = v.map(|v| &v.kind) else {
                    return Some(None);
                };
                let obj = self.meta.object(name)?;
                Some(obj.fields.iter().find(|x| x.name == seg))
            });
            let mut seen = Seen::default();
            match found.flatten() {
                None => {
                    seen.absent = true;
                    self.push(line, &place, What::Absent, f.drift.as_ref(), || {
                        "the vendor metadata has no such field".to_owned()
                    });
                }
                Some(v) => {
                    self.required(f, v, &place, line, response, &mut seen);
                    let at = At {
                        place: &place,
                        line,
                        response,
                    };
                    self.kind(f, f.drift.as_ref(), &v.kind, at, &mut seen);
                }
            }
            self.stale(f.drift.as_ref(), &seen, &place, line);
        }
        for v in vendor {
            if covered.contains(&v.name.as_str()) || v.disabled {
                continue;
            }
            let place = format!("{prefix}.{}", v.name);
            let envelope = self.envelope.iter().find(|(name, _)| *name == v.name);
            if let Some((_, why)) = envelope.filter(|_| top && response) {
                self.emit(
                    parent_line,
                    &place,
                    What::Missing,
                    format!("vendor {}", v.kind.describe()),
                    Some((*why).to_owned()),
                );
                continue;
            }
            let reason = self.omission(&place);
            let req = if response {
                ""
            } else if v.required {
                ", required"
            } else {
                ", optional"
            };
            self.emit(
                parent_line,
                &place,
                What::Missing,
                format!("vendor {}{req}", v.kind.describe()),
                reason,
            );
        }
    }

    /// The reason of the `drift.omit` entry for a missing field at `place`, if any.
    fn omission(&mut self, place: &str) -> Option<String> {
        let omit = if self.via.is_some() {
            self.shared_omits.get_mut(place)
        } else {
            self.omits.iter_mut().find(|o| o.place == place)
        }?;
        omit.used = true;
        Some(omit.reason.clone())
    }

    /// Registers an object's own `drift.omit` entries (members at `prefix`).
    fn object_omits(&mut self, prefix: &str, drift: Option<&FieldDriftSpec>) {
        for o in drift.map_or(&[][..], |d| &d.omit[..]) {
            let omit = Omit {
                place: format!("{prefix}.{}", o.field.value),
                reason: o.reason.value.clone(),
                line: o.field.referenced.line(),
                used: false,
            };
            if self.via.is_some() {
                self.shared_omits.entry(omit.place.clone()).or_insert(omit);
            } else {
                self.omits.push(omit);
            }
        }
    }

    fn required(
        &mut self,
        f: &FieldSpec,
        v: &Field,
        place: &str,
        line: u64,
        response: bool,
        seen: &mut Seen,
    ) {
        let spec_required = f.required.as_ref().is_some_and(|r| r.value);
        let message = if response {
            let promised = v.output_required && !v.nullable;
            (spec_required && !promised).then(|| {
                "spec required (a missing value fails decoding), vendor does not promise it"
                    .to_owned()
            })
        } else {
            (spec_required != v.required).then(|| {
                format!(
                    "spec {}, vendor {}",
                    if spec_required {
                        "required"
                    } else {
                        "optional"
                    },
                    if v.required { "required" } else { "optional" }
                )
            })
        };
        if let Some(m) = message {
            seen.required = true;
            self.push(line, place, What::Required, f.drift.as_ref(), || m);
        }
    }

    /// The spec field's type against the vendor's kind; `drift` is the marker that explains
    /// a difference (the field's, or for list items without their own, the list's).
    fn kind(
        &mut self,
        f: &FieldSpec,
        drift: Option<&FieldDriftSpec>,
        v: &Kind,
        at: At<'_>,
        seen: &mut Seen,
    ) {
        let ty = f.ty.value.as_str();
        let types = self.types;
        let shared = (!kinds::is_builtin(ty))
            .then(|| types.iter().find(|d| kinds::type_name(d) == Some(ty)));
        let shared_object = matches!(shared, Some(Some(d)) if kinds::is_object(d));
        let ok = match (ty, v) {
            // One comma-joined string on the wire.
            _ if kinds::is_comma(f) => matches!(v, Kind::String),
            ("array", Kind::Array { items }) => {
                if let Some(item) = &f.items {
                    // An item's difference is explained by the item's own `drift:`, else by
                    // the list field's.
                    if item.drift.is_some() {
                        let mut inner = Seen::default();
                        self.kind(item, item.drift.as_ref(), items, at, &mut inner);
                        self.stale(item.drift.as_ref(), &inner, at.place, at.line);
                    } else {
                        self.kind(item, drift, items, at, seen);
                    }
                }
                true
            }
            ("object", Kind::Object { name }) => {
                let vendor = self.vendor_fields(name);
                self.object_omits(at.place, drift);
                if let Some(fields) = &f.fields {
                    self.fields(at.place, fields, &vendor, at.response, at.line, false);
                }
                true
            }
            ("array" | "object", _) => false,
            (t, _) => match shared {
                Some(None) => {
                    self.emit(
                        at.line,
                        at.place,
                        What::Unsupported,
                        format!("`type: {t}` names no shared type of `_service.yaml`"),
                        None,
                    );
                    return;
                }
                Some(Some(def)) if shared_object => match v {
                    Kind::Object { name } => {
                        self.shared_object(def, t, name, at);
                        true
                    }
                    _ => false,
                },
                // A shared enumeration: its base type.
                Some(Some(def)) => Scalar {
                    ty: def.ty.value.as_str(),
                    format: None,
                    lenient_response: false,
                }
                .matches(v),
                None => Scalar {
                    ty: t,
                    format: f.format.as_ref().map(|x| x.value.as_str()),
                    lenient_response: at.response && f.lenient.as_ref().is_some_and(|l| l.value),
                }
                .matches(v),
            },
        };
        if ok {
            return;
        }
        let spec_structural = matches!(ty, "array" | "object") || shared_object;
        let vendor_structural = matches!(v, Kind::Array { .. } | Kind::Object { .. } | Kind::Map);
        let what = if spec_structural || vendor_structural {
            seen.nesting = true;
            What::Nesting
        } else {
            seen.ty = true;
            What::Type
        };
        let message = format!(
            "spec {}, vendor {}",
            kinds::describe(f, types),
            v.describe()
        );
        self.push(at.line, at.place, what, drift, || message);
    }

    fn vendor_fields(&self, object: &str) -> Vec<Field> {
        self.meta
            .object(object)
            .map_or_else(Vec::new, |o| o.fields.clone())
    }

    /// A shared object against the vendor object `vendor` in its place, once per vendor
    /// object and side; findings point at `_service.yaml`.
    fn shared_object(&mut self, def: &FieldSpec, name: &str, vendor: &str, at: At<'_>) {
        if !self
            .done
            .insert((name.to_owned(), vendor.to_owned(), at.response))
        {
            return;
        }
        let vendor_fields = self.vendor_fields(vendor);
        let via = format!("{} {}", self.action, at.place);
        let outer = self.via.replace(match &self.via {
            // Reached from another shared type: keep naming the action's field.
            Some(v) => format!("{v}, {}", at.place),
            None => via,
        });
        let place = format!("types.{name}");
        let line = def.name.as_ref().map_or(at.line, |n| n.referenced.line());
        self.object_omits(&place, def.drift.as_ref());
        if let Some(fields) = &def.fields {
            self.fields(&place, fields, &vendor_fields, at.response, line, false);
        }
        self.via = outer;
    }

    /// A finding, explained when the field's `drift:` has a reason for its kind.
    fn push(
        &mut self,
        line: u64,
        place: &str,
        what: What,
        drift: Option<&FieldDriftSpec>,
        message: impl FnOnce() -> String,
    ) {
        let reason = drift.and_then(|d| match what {
            What::Absent => d.absent.as_ref(),
            What::Type => d.ty.as_ref(),
            What::Required => d.required.as_ref(),
            What::Nesting => d.nesting.as_ref(),
            _ => None,
        });
        self.emit(
            line,
            place,
            what,
            message(),
            reason.map(|r| r.value.clone()),
        );
    }

    /// Markers whose kind of difference did not occur: reported now for an action's fields,
    /// at [`Service::finish`] for a shared type's (which other uses may still need).
    fn stale(&mut self, drift: Option<&FieldDriftSpec>, seen: &Seen, place: &str, line: u64) {
        let Some(d) = drift else { return };
        let keys: Vec<(&'static str, u64, bool)> = [
            ("absent", &d.absent, seen.absent),
            ("type", &d.ty, seen.ty),
            ("required", &d.required, seen.required),
            ("nesting", &d.nesting, seen.nesting),
        ]
        .into_iter()
        .filter_map(|(key, marker, happened)| {
            marker
                .as_ref()
                .map(|m| (key, m.referenced.line().max(line), happened))
        })
        .collect();
        if self.via.is_some() {
            let id: Vec<String> = keys.iter().map(|(k, l, _)| format!("{k}@{l}")).collect();
            let marker = self
                .markers
                .entry((place.to_owned(), id.join(",")))
                .or_insert_with(|| Marker {
                    place: place.to_owned(),
                    keys: keys.iter().map(|&(k, l, _)| (k, l, false)).collect(),
                });
            for (slot, (_, _, happened)) in marker.keys.iter_mut().zip(&keys) {
                slot.2 |= happened;
            }
            return;
        }
        for (key, line, happened) in keys {
            if !happened {
                self.out.push(stale_marker(line, place, key, false));
            }
        }
    }
}

fn stale_marker(line: u64, place: &str, key: &str, in_service: bool) -> Finding {
    Finding {
        line,
        place: place.to_owned(),
        what: What::Stale,
        message: format!("`drift.{key}` explains a difference the vendor metadata does not show"),
        reason: None,
        in_service,
    }
}

/// Where a comparison is.
#[derive(Clone, Copy)]
struct At<'a> {
    place: &'a str,
    line: u64,
    response: bool,
}

/// Which kinds of difference a field showed.
#[derive(Default)]
struct Seen {
    absent: bool,
    ty: bool,
    required: bool,
    nesting: bool,
}
