//! One action's spec against its vendor model: fields missing on either side, type and
//! required-ness mismatches, nesting differences, and the spec's `drift:` markers that explain
//! them (or that no longer explain anything).

use crate::spec::{ActionFile, FieldDriftSpec, FieldSpec};
use crate::vendor::{Field, Kind, Metadata};

/// What kind of difference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    /// A vendor field the spec does not have.
    Missing,
    /// A spec field (or action) the vendor metadata does not have.
    Absent,
    /// Scalar types differ.
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
    /// `request.Region`, `response.DiskBackupSet.CreateTime`, or `action`.
    pub place: String,
    /// What kind.
    pub what: What,
    /// What differs.
    pub message: String,
    /// The spec's reason, when a `drift:` marker explains it.
    pub reason: Option<String>,
}

/// Fields of a response the family's runtime reads from the envelope (not part of an
/// action's output), by family.
pub fn envelope(family: &str) -> &'static [&'static str] {
    match family {
        // `runtime::decode::alibaba`: `Success`, then the code and message of a failure.
        "alibaba-rpc" => &["Success", "ErrCode", "Code", "ErrMessage", "Message"],
        _ => &[],
    }
}

struct Cx<'a> {
    meta: &'a Metadata,
    out: Vec<Finding>,
    omitted: Vec<(String, String, u64, bool)>,
    envelope: &'a [&'a str],
}

/// Compares one action; `action_line` is the line of `action:` (for findings with no field).
pub fn action(spec: &ActionFile, meta: &Metadata, family: &str, action_line: u64) -> Vec<Finding> {
    let name = spec.action.value.as_str();
    let drift = spec.drift.as_ref();
    let mut cx = Cx {
        meta,
        out: Vec::new(),
        omitted: drift
            .map(|d| {
                d.omit
                    .iter()
                    .map(|o| {
                        let (side, path) = match (&o.request, &o.response) {
                            (Some(p), None) => ("request", p),
                            (None, Some(p)) => ("response", p),
                            _ => ("invalid", &o.reason),
                        };
                        let line = path.referenced.line();
                        (
                            format!("{side}.{}", path.value),
                            o.reason.value.clone(),
                            line,
                            false,
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        envelope: envelope(family),
    };
    for (place, _, line, _) in &cx.omitted {
        if place.starts_with("invalid.") {
            cx.out.push(finding(
                *line,
                "action",
                What::Unsupported,
                "a `drift.omit` entry needs exactly one of `request:` and `response:`".to_owned(),
                None,
            ));
        }
    }
    let absent = drift.and_then(|d| d.absent.as_ref());
    match meta.actions.get(name) {
        None => cx.out.push(finding(
            action_line,
            "action",
            What::Absent,
            format!("`{name}` is not in the vendor metadata"),
            absent.map(|r| r.value.clone()),
        )),
        Some(a) => {
            if let Some(r) = absent {
                cx.out.push(finding(
                    r.referenced.line(),
                    "action",
                    What::Stale,
                    format!("`drift.absent` says the vendor lacks `{name}`, but it has it"),
                    None,
                ));
            }
            for (side, model, fields) in [
                ("request", &a.request, &spec.request),
                ("response", &a.response, &spec.response),
            ] {
                let vendor = meta.object(model).map_or(&[][..], |o| &o.fields[..]);
                cx.fields(side, fields, vendor, side == "response", action_line, true);
            }
        }
    }
    for (place, _, line, used) in &cx.omitted {
        if !used && !place.starts_with("invalid.") {
            cx.out.push(finding(
                *line,
                place,
                What::Stale,
                "`drift.omit` names a field the spec does not miss".to_owned(),
                None,
            ));
        }
    }
    cx.out
}

fn finding(line: u64, place: &str, what: What, message: String, reason: Option<String>) -> Finding {
    Finding {
        line,
        place: place.to_owned(),
        what,
        message,
        reason,
    }
}

impl Cx<'_> {
    /// Spec fields against vendor fields at `prefix` (`request`, `response.Items`).
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
            if top && response && self.envelope.contains(&v.name.as_str()) {
                self.out.push(finding(
                    parent_line,
                    &place,
                    What::Missing,
                    format!("vendor {}", v.kind.describe()),
                    Some("the family's runtime reads it from the response envelope".to_owned()),
                ));
                continue;
            }
            let omitted = self.omitted.iter_mut().find(|o| o.0 == place);
            let reason = omitted.map(|o| {
                o.3 = true;
                o.1.clone()
            });
            let req = if response {
                ""
            } else if v.required {
                ", required"
            } else {
                ", optional"
            };
            self.out.push(finding(
                parent_line,
                &place,
                What::Missing,
                format!("vendor {}{req}", v.kind.describe()),
                reason,
            ));
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

    fn kind(
        &mut self,
        f: &FieldSpec,
        drift: Option<&FieldDriftSpec>,
        v: &Kind,
        at: At<'_>,
        seen: &mut Seen,
    ) {
        let At {
            place,
            line,
            response,
        } = at;
        let ty = f.ty.value.as_str();
        let structural =
            |k: &Kind| matches!(k, Kind::Array { .. } | Kind::Object { .. } | Kind::Map);
        let spec_structural = matches!(ty, "array" | "object");
        let ok = match (ty, v) {
            ("string", Kind::String | Kind::Binary) => true,
            ("int32", Kind::Integer { bits, .. }) => *bits != Some(64),
            ("int64", Kind::Integer { .. }) => true,
            ("float64", Kind::Float) => true,
            ("bool", Kind::Bool) => true,
            // A timestamp refines a string (or, in epoch formats, an integer) of the vendor.
            ("timestamp", Kind::Timestamp { .. } | Kind::String | Kind::Integer { .. }) => true,
            ("array", Kind::Array { items }) => {
                if let Some(item) = &f.items {
                    // An item's difference is explained by the item's own `drift:`, else by
                    // the list field's.
                    if item.drift.is_some() {
                        let mut inner = Seen::default();
                        self.kind(item, item.drift.as_ref(), items, at, &mut inner);
                        self.stale(item.drift.as_ref(), &inner, place, line);
                    } else {
                        self.kind(item, drift, items, at, seen);
                    }
                }
                true
            }
            ("object", Kind::Object { name }) => {
                let vendor = self.meta.object(name).map_or(&[][..], |o| &o.fields[..]);
                let vendor: Vec<Field> = vendor.to_vec();
                if let Some(fields) = &f.fields {
                    self.fields(place, fields, &vendor, response, line, false);
                }
                true
            }
            (t, _) if !is_builtin(t) => {
                self.out.push(finding(
                    line,
                    place,
                    What::Unsupported,
                    format!("`type: {t}` names a shared type; the drift check does not read `types:` yet"),
                    None,
                ));
                return;
            }
            _ => false,
        };
        if ok {
            return;
        }
        let what = if spec_structural || structural(v) {
            seen.nesting = true;
            What::Nesting
        } else {
            seen.ty = true;
            What::Type
        };
        let spec_ty = match (ty, &f.items) {
            ("array", Some(i)) => format!("array of {}", i.ty.value),
            _ => ty.to_owned(),
        };
        let message = format!("spec {spec_ty}, vendor {}", v.describe());
        self.push(line, place, what, drift, || message);
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
        self.out.push(finding(
            line,
            place,
            what,
            message(),
            reason.map(|r| r.value.clone()),
        ));
    }

    /// Markers whose kind of difference did not occur.
    fn stale(&mut self, drift: Option<&FieldDriftSpec>, seen: &Seen, place: &str, line: u64) {
        let Some(d) = drift else { return };
        for (key, marker, happened) in [
            ("absent", &d.absent, seen.absent),
            ("type", &d.ty, seen.ty),
            ("required", &d.required, seen.required),
            ("nesting", &d.nesting, seen.nesting),
        ] {
            if let Some(m) = marker.as_ref().filter(|_| !happened) {
                self.out.push(finding(
                    m.referenced.line().max(line),
                    place,
                    What::Stale,
                    format!(
                        "`drift.{key}` explains a difference the vendor metadata does not show"
                    ),
                    None,
                ));
            }
        }
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

fn is_builtin(t: &str) -> bool {
    matches!(
        t,
        "string" | "int32" | "int64" | "float64" | "bool" | "timestamp" | "array" | "object"
    )
}
