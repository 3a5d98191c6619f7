//! Types of fields: scalars, timestamps, arrays, enumerations, objects and references to the
//! service's shared types (`types:` in `_service.yaml`); constraints on values.

use std::collections::{BTreeMap, BTreeSet};

use super::Cx;
use super::fields::{Ctx, Side, resolve_fields};
use crate::diagnostics::{Code, Diagnostic};
use crate::ir::{
    Bounds, Constraints, EnumDef, EnumValue, NamedType, ObjectDef, TsFormat, Ty, TypeRef,
};
use crate::naming::{self, Ident};
use crate::source::Loc;
use crate::spec::{BoundsSpec, EnumValueSpec, FieldSpec, S, Scalar};

/// The named types in scope while resolving: an action's own (or, while resolving
/// `_service.yaml`, the shared ones being declared) and the service's shared ones.
pub(crate) struct Types<'s> {
    /// Declared here: the action's types, or the shared types themselves in shared mode.
    items: Vec<(NamedType, Loc)>,
    /// Whether `items` are the service's shared types (`TypeRef::Service`).
    shared_mode: bool,
    /// Names of the service's shared types, by index.
    shared_names: &'s [String],
    /// The resolved shared types (empty in shared mode).
    shared: &'s [NamedType],
    /// Shared types referenced (action mode), by index.
    pub(crate) used: BTreeSet<usize>,
    /// Constraints written on members of object types, with where and which key: checked
    /// against how the object is used (responses carry no constraints).
    pub(crate) member_constraints: Vec<(TypeRef, Loc, &'static str)>,
}

impl<'s> Types<'s> {
    /// The types of an action, which may use the service's shared types.
    pub(crate) fn for_action(shared_names: &'s [String], shared: &'s [NamedType]) -> Self {
        Types {
            items: Vec::new(),
            shared_mode: false,
            shared_names,
            shared,
            used: BTreeSet::new(),
            member_constraints: Vec::new(),
        }
    }

    /// The shared types of a service being declared; `placeholders` reserve the declared
    /// names' indexes so declarations may refer to each other in any order.
    pub(crate) fn for_service(
        shared_names: &'s [String],
        placeholders: Vec<(NamedType, Loc)>,
    ) -> Self {
        Types {
            items: placeholders,
            shared_mode: true,
            shared_names,
            shared: &[],
            used: BTreeSet::new(),
            member_constraints: Vec::new(),
        }
    }

    fn make_ref(&self, i: usize) -> TypeRef {
        if self.shared_mode {
            TypeRef::Service(i)
        } else {
            TypeRef::Action(i)
        }
    }

    /// The named type behind a reference, when it is resolved already.
    pub(crate) fn get(&self, r: TypeRef) -> Option<&NamedType> {
        match (r, self.shared_mode) {
            (TypeRef::Action(i), false) | (TypeRef::Service(i), true) => {
                self.items.get(i).map(|(t, _)| t)
            }
            (TypeRef::Service(i), false) => self.shared.get(i),
            (TypeRef::Action(_), true) => None,
        }
    }

    /// Replaces the placeholder of a declared shared type.
    pub(crate) fn set(&mut self, i: usize, t: NamedType) {
        self.items[i].0 = t;
    }

    pub(crate) fn into_vec(self) -> Vec<NamedType> {
        self.items.into_iter().map(|(t, _)| t).collect()
    }

    fn add(&mut self, cx: &mut Cx<'_>, t: NamedType, loc: Loc) -> Option<TypeRef> {
        if !self.shared_mode
            && let Some(i) = self
                .shared_names
                .iter()
                .position(|n| n == t.name().as_str())
        {
            cx.error(
                Code::NameCollision,
                loc,
                format!(
                    "type `{}` is also a shared type of the service (`types:` in `_service.yaml`)",
                    t.name()
                ),
                &format!(
                    "use the shared type with `type: {}`, or give this one another `type_name:`",
                    self.shared_names[i]
                ),
            );
            return None;
        }
        if let Some(i) = self.items.iter().position(|(e, _)| e.name() == t.name()) {
            let same = match (&self.items[i].0, &t) {
                (NamedType::StrEnum(a), NamedType::StrEnum(b))
                | (NamedType::IntEnum(a), NamedType::IntEnum(b)) => same_values(a, b),
                _ => false,
            };
            if same {
                return Some(self.make_ref(i));
            }
            cx.diags.push(
                Diagnostic::new(
                    Code::NameCollision,
                    loc,
                    format!(
                        "type `{}` is declared twice with different definitions",
                        t.name()
                    ),
                )
                .related(self.items[i].1, "first declared here")
                .help("give one of them a different `type_name:`"),
            );
            return None;
        }
        self.items.push((t, loc));
        Some(self.make_ref(self.items.len() - 1))
    }
}

fn same_values(a: &EnumDef, b: &EnumDef) -> bool {
    a.values.len() == b.values.len()
        && a.values
            .iter()
            .zip(&b.values)
            .all(|(x, y)| x.wire == y.wire && x.variant == y.variant)
}

pub(crate) const TYPES: &str = "string, int32, int64, float64, bool, timestamp, array, object";

/// Whether `name` is written as a reference to a shared type (UpperCamelCase).
fn is_type_ref(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
}

/// Resolves the type of a field (or array item) and its own constraints.
pub(crate) fn resolve_type(
    cx: &mut Cx<'_>,
    spec: &FieldSpec,
    name: &str,
    types: &mut Types<'_>,
    side: Side,
) -> Option<(Ty, Constraints)> {
    let ty_loc = cx.loc(&spec.ty);
    let base = match spec.ty.value.as_str() {
        "string" => Ty::String,
        "int32" => Ty::Int32,
        "int64" => Ty::Int64,
        "float64" => Ty::Float64,
        "bool" => Ty::Bool,
        "timestamp" => Ty::Timestamp(timestamp_format(cx, spec, ty_loc)?),
        "array" => {
            let Some(items) = &spec.items else {
                cx.error(
                    Code::BadShape,
                    ty_loc,
                    format!("array field `{name}` has no `items:`"),
                    "describe the item type, for example `items: { type: string }`",
                );
                return None;
            };
            if let Some(n) = &items.name {
                let loc = cx.loc(n);
                cx.error(
                    Code::BadShape,
                    loc,
                    "array items have no `name`",
                    "remove `name:` from `items:`",
                );
            }
            let (item, item_c) = resolve_type(cx, items, name, types, side)?;
            if matches!(item, Ty::Array(..)) {
                cx.error(
                    Code::UnknownType,
                    ty_loc,
                    format!("array field `{name}` holds arrays"),
                    "vendors' lists of lists are not supported; describe the items as objects",
                );
                return None;
            }
            Ty::Array(Box::new(item), Box::new(item_c))
        }
        "object" => {
            let Some(fields) = &spec.fields else {
                cx.error(
                    Code::BadShape,
                    ty_loc,
                    format!("object field `{name}` has no `fields:`"),
                    "list the object's members under `fields:`",
                );
                return None;
            };
            let before = types.member_constraints.len();
            let fields = resolve_fields(cx, fields, Ctx::Member(side), types);
            let tname = type_name(cx, spec, name)?;
            let obj = NamedType::Object(ObjectDef {
                name: tname,
                doc: spec.doc.as_ref().map(|d| d.value.clone()),
                fields,
            });
            let r = types.add(cx, obj, name_loc(cx, spec))?;
            // Constraints found on this object's own members (not on nested objects, which
            // were recorded under their own type) belong to this type.
            for (owner, ..) in &mut types.member_constraints[before..] {
                if *owner == TypeRef::Action(usize::MAX) {
                    *owner = r;
                }
            }
            Ty::Named(r)
        }
        other if is_type_ref(other) => return shared_ref(cx, spec, other, types),
        other => {
            let shared = if types.shared_names.is_empty() {
                String::new()
            } else {
                format!(
                    "; shared types of the service: {}",
                    types.shared_names.join(", ")
                )
            };
            cx.error(
                Code::UnknownType,
                ty_loc,
                format!("unknown type `{other}`"),
                &format!(
                    "use one of: {TYPES}; enumerations are a scalar type with `enum:`{shared}"
                ),
            );
            return None;
        }
    };
    if spec.fields.is_some() && spec.ty.value != "object" {
        cx.error(
            Code::BadShape,
            ty_loc,
            "`fields` applies to `type: object` only",
            "remove `fields:` or make the type `object`",
        );
    }
    if spec.items.is_some() && spec.ty.value != "array" {
        cx.error(
            Code::BadShape,
            ty_loc,
            "`items` applies to `type: array` only",
            "remove `items:` or make the type `array`",
        );
    }
    if let Some(f) = spec
        .format
        .as_ref()
        .filter(|_| spec.ty.value != "timestamp")
    {
        let loc = cx.loc(f);
        cx.error(
            Code::ConstraintNotApplicable,
            loc,
            format!("`format` does not apply to `type: {}`", spec.ty.value),
            "`format` gives the wire format of `type: timestamp`",
        );
    }
    let constraints = constraints(cx, spec, &base, side, types);
    let ty = match &spec.enum_values {
        Some(values) => resolve_enum(cx, spec, name, &base, values, types)?,
        None => base,
    };
    Some((ty, constraints))
}

/// `type: <Name>`: a shared type of the service.
fn shared_ref(
    cx: &mut Cx<'_>,
    spec: &FieldSpec,
    name: &str,
    types: &mut Types<'_>,
) -> Option<(Ty, Constraints)> {
    let ty_loc = cx.loc(&spec.ty);
    let Some(i) = types.shared_names.iter().position(|n| n == name) else {
        let known = if types.shared_names.is_empty() {
            "the service declares no shared types (`types:` in `_service.yaml`)".to_owned()
        } else {
            format!(
                "shared types of the service: {}",
                types.shared_names.join(", ")
            )
        };
        cx.error(
            Code::UnknownType,
            ty_loc,
            format!("unknown type `{name}`"),
            &format!("{known}; built-in types: {TYPES}"),
        );
        return None;
    };
    let extra: [(&str, Option<Loc>); 6] = [
        ("enum", spec.enum_values.as_ref().map(|_| ty_loc)),
        ("fields", spec.fields.as_ref().map(|_| ty_loc)),
        ("items", spec.items.as_ref().map(|_| ty_loc)),
        ("type_name", spec.type_name.as_ref().map(|t| cx.loc(t))),
        ("format", spec.format.as_ref().map(|f| cx.loc(f))),
        (
            "length/range/pattern/count",
            spec.length
                .as_ref()
                .map(|l| cx.loc(l))
                .or(spec.range.as_ref().map(|r| cx.loc(r)))
                .or(spec.pattern.as_ref().map(|p| cx.loc(p)))
                .or(spec.count.as_ref().map(|c| cx.loc(c))),
        ),
    ];
    for (key, loc) in extra {
        if let Some(loc) = loc {
            cx.error(
                Code::BadShape,
                loc,
                format!("`{key}` cannot be given with the shared type `{name}`"),
                "a shared type is declared once in `_service.yaml`; change it there",
            );
        }
    }
    if !types.shared_mode {
        types.used.insert(i);
    }
    Some((Ty::Named(TypeRef::Service(i)), Constraints::default()))
}

fn timestamp_format(cx: &mut Cx<'_>, spec: &FieldSpec, ty_loc: Loc) -> Option<TsFormat> {
    let known: Vec<&str> = TsFormat::ALL.iter().map(|(id, _)| *id).collect();
    let Some(f) = &spec.format else {
        cx.error(
            Code::BadShape,
            ty_loc,
            "missing key `format`",
            &format!(
                "a timestamp needs its wire format: one of {}",
                known.join(", ")
            ),
        );
        return None;
    };
    let found = TsFormat::ALL
        .iter()
        .find(|(id, _)| *id == f.value)
        .map(|(_, t)| *t);
    if found.is_none() {
        let loc = cx.loc(f);
        cx.error(
            Code::BadValue,
            loc,
            format!("unknown timestamp format `{}`", f.value),
            &format!("use one of: {}", known.join(", ")),
        );
    }
    found
}

pub(crate) fn type_name(cx: &mut Cx<'_>, spec: &FieldSpec, name: &str) -> Option<Ident> {
    match &spec.type_name {
        Some(t) => {
            let ok = naming::explicit(&t.value).filter(|_| naming::is_upper_camel(&t.value));
            if ok.is_none() {
                let loc = cx.loc(t);
                cx.error(
                    Code::InvalidName,
                    loc,
                    format!(
                        "`type_name: {}` is not an UpperCamelCase identifier",
                        t.value
                    ),
                    "write a Rust type name, for example `BackupMethod`",
                );
            }
            ok
        }
        None => {
            let ok = naming::upper_camel(name);
            if ok.is_none() {
                let loc = cx.loc(&spec.ty);
                cx.error(
                    Code::InvalidName,
                    loc,
                    format!("`{name}` cannot be converted to a Rust type name"),
                    "set `type_name:`",
                );
            }
            ok
        }
    }
}

/// The enumeration a field declares, registered under its type name.
pub(crate) fn enum_def(
    cx: &mut Cx<'_>,
    spec: &FieldSpec,
    tname: Ident,
    base: &Ty,
    values: &[S<EnumValueSpec>],
) -> Option<NamedType> {
    let ty_loc = cx.loc(&spec.ty);
    let is_int = match base {
        Ty::String => false,
        Ty::Int32 | Ty::Int64 => true,
        _ => {
            cx.error(
                Code::ConstraintNotApplicable,
                ty_loc,
                format!("`enum` does not apply to `type: {}`", spec.ty.value),
                "enumerations are strings or integers",
            );
            return None;
        }
    };
    let mut out: Vec<EnumValue> = Vec::new();
    let mut seen: BTreeMap<Ident, Loc> = BTreeMap::new();
    for v in values {
        let (value, loc, vname, doc) = match &v.value {
            EnumValueSpec::Full(f) => (
                &f.value.value,
                cx.loc(&f.value),
                f.name.as_ref(),
                f.doc.as_ref(),
            ),
            EnumValueSpec::Bare(s) => (s, cx.loc(v), None, None),
        };
        let (wire, int) = match (value, is_int) {
            (Scalar::Str(s), false) => (s.clone(), None),
            (Scalar::Int(i), true) => (i.to_string(), Some(*i)),
            (other, _) => {
                let (text, kind) = match other {
                    Scalar::Int(i) => (i.to_string(), "an integer"),
                    Scalar::Bool(b) => (b.to_string(), "a boolean"),
                    Scalar::Str(s) => (format!("{s:?}"), "a string"),
                };
                cx.error(
                    Code::EnumValueType,
                    loc,
                    format!(
                        "enum value `{text}` is {kind}, but the enum's `type: {}` takes {}",
                        spec.ty.value,
                        if is_int { "integers" } else { "strings" }
                    ),
                    if is_int {
                        "integer enums take integer values"
                    } else {
                        "quote the value to make it a string"
                    },
                );
                continue;
            }
        };
        let variant = match vname {
            Some(n) => naming::explicit(&n.value).filter(|_| naming::is_upper_camel(&n.value)),
            None => naming::upper_camel(&wire),
        };
        let Some(variant) = variant else {
            cx.error(
                Code::InvalidName,
                loc,
                format!("enum value `{wire}` has no valid Rust variant name"),
                "give it `name:` in UpperCamelCase",
            );
            continue;
        };
        if variant.as_str() == "Unknown" {
            cx.error(
                Code::NameCollision,
                loc,
                "enum variant `Unknown` is reserved for values the spec does not list",
                "give the value another `name:`",
            );
            continue;
        }
        if let Some(first) = seen.insert(variant.clone(), loc) {
            cx.diags.push(
                Diagnostic::new(
                    Code::NameCollision,
                    loc,
                    format!("enum values collide as variant `{variant}`"),
                )
                .related(first, "first defined here")
                .help("give one of them an explicit `name:`"),
            );
            continue;
        }
        out.push(EnumValue {
            wire,
            int,
            variant,
            doc: doc.map(|d| d.value.clone()),
        });
    }
    let def = EnumDef {
        name: tname,
        doc: spec.doc.as_ref().map(|d| d.value.clone()),
        values: out,
    };
    Some(if is_int {
        NamedType::IntEnum(def)
    } else {
        NamedType::StrEnum(def)
    })
}

fn resolve_enum(
    cx: &mut Cx<'_>,
    spec: &FieldSpec,
    name: &str,
    base: &Ty,
    values: &[S<EnumValueSpec>],
    types: &mut Types<'_>,
) -> Option<Ty> {
    let tname = type_name(cx, spec, name)?;
    let def = enum_def(cx, spec, tname, base, values)?;
    Some(Ty::Named(types.add(cx, def, name_loc(cx, spec))?))
}

/// Where a declared enum or object type is named: its `type_name:`, else its `type:`.
fn name_loc(cx: &Cx<'_>, spec: &FieldSpec) -> Loc {
    spec.type_name
        .as_ref()
        .map_or_else(|| cx.loc(&spec.ty), |t| cx.loc(t))
}

/// Checks a `{min, max}` pair: min ≤ max, and non-negative when `non_negative`.
pub(crate) fn bounds(
    cx: &mut Cx<'_>,
    spec: &BoundsSpec,
    key: &str,
    non_negative: bool,
) -> Option<Bounds> {
    let b = Bounds {
        min: spec.min.as_ref().map(|m| m.value),
        max: spec.max.as_ref().map(|m| m.value),
    };
    if let (Some(min), Some(max)) = (&spec.min, &spec.max)
        && min.value > max.value
    {
        let loc = cx.loc(min);
        cx.error(
            Code::MinGreaterThanMax,
            loc,
            format!(
                "`{key}.min` ({}) is greater than `{key}.max` ({})",
                min.value, max.value
            ),
            "swap the bounds, or correct the one that was mistyped",
        );
        return None;
    }
    if non_negative {
        for m in [&spec.min, &spec.max].into_iter().flatten() {
            if m.value < 0 {
                let loc = cx.loc(m);
                cx.error(
                    Code::BadValue,
                    loc,
                    format!("`{key}` bounds cannot be negative (got {})", m.value),
                    "lengths and item counts start at 0",
                );
                return None;
            }
        }
    }
    Some(b)
}

fn not_applicable(cx: &mut Cx<'_>, spec: &FieldSpec, loc: Loc, key: &str, applies_to: &str) {
    cx.error(
        Code::ConstraintNotApplicable,
        loc,
        format!("`{key}` does not apply to `type: {}`", spec.ty.value),
        &format!("`{key}` applies to {applies_to}"),
    );
}

/// S0206 for a constraint key on a response field.
pub(crate) fn response_constraint(cx: &mut Cx<'_>, loc: Loc, key: &str, what: &str) {
    cx.error(
        Code::ResponseConstraint,
        loc,
        format!("`{key}` on {what}: responses are not validated"),
        "a client must not fail on an answer because a vendor widened a limit; say it in `doc:` instead",
    );
}

fn constraints(
    cx: &mut Cx<'_>,
    spec: &FieldSpec,
    base: &Ty,
    side: Side,
    types: &mut Types<'_>,
) -> Constraints {
    let mut c = Constraints::default();
    let keys = [
        ("length", spec.length.as_ref().map(|l| cx.loc(l))),
        ("range", spec.range.as_ref().map(|r| cx.loc(r))),
        ("count", spec.count.as_ref().map(|n| cx.loc(n))),
        ("pattern", spec.pattern.as_ref().map(|p| cx.loc(p))),
    ];
    match side {
        Side::Response => {
            for (key, loc) in keys {
                if let Some(loc) = loc {
                    response_constraint(cx, loc, key, "a response field");
                }
            }
            return c;
        }
        Side::Shared => {
            // Members of objects: whether the object is used in requests is known once every
            // action is resolved; the owner is filled in by the object that holds the member.
            for (key, loc) in keys.iter().filter_map(|(k, l)| l.map(|l| (*k, l))) {
                types
                    .member_constraints
                    .push((TypeRef::Action(usize::MAX), loc, key));
            }
        }
        Side::Request => {}
    }
    if let Some(l) = &spec.length {
        if *base == Ty::String {
            c.length = bounds(cx, &l.value, "length", true);
        } else {
            let loc = cx.loc(l);
            not_applicable(cx, spec, loc, "length", "strings");
        }
    }
    if let Some(r) = &spec.range {
        if matches!(base, Ty::Int32 | Ty::Int64) {
            c.range = bounds(cx, &r.value, "range", false);
        } else {
            let loc = cx.loc(r);
            not_applicable(cx, spec, loc, "range", "integers");
        }
    }
    if let Some(n) = &spec.count {
        if matches!(base, Ty::Array(..)) {
            c.count = bounds(cx, &n.value, "count", true);
        } else {
            let loc = cx.loc(n);
            not_applicable(cx, spec, loc, "count", "arrays");
        }
    }
    if let Some(p) = &spec.pattern {
        if *base != Ty::String {
            let loc = cx.loc(p);
            not_applicable(cx, spec, loc, "pattern", "strings");
        } else if let Err(e) = regex_lite::Regex::new(&p.value)
            // The emitted check anchors the expression (`^(?:…)$`); that must compile too.
            .and_then(|_| regex_lite::Regex::new(&format!("^(?:{})$", p.value)))
        {
            let loc = cx.loc(p);
            let first = e.to_string();
            let last = first.lines().last().unwrap_or("").trim();
            let last = last.strip_prefix("error: ").unwrap_or(last);
            cx.error(
                Code::InvalidRegex,
                loc,
                format!("`pattern` is not a valid regular expression: {last}"),
                "patterns use the syntax of the `regex` crate and must match the whole value",
            );
        } else {
            c.pattern = Some(p.value.clone());
        }
    }
    c
}

/// The named type behind a field type, if any.
pub(crate) fn named<'t>(types: &'t Types<'_>, ty: &Ty) -> Option<&'t NamedType> {
    match ty {
        Ty::Named(r) => types.get(*r),
        _ => None,
    }
}
