//! Resolving fields: types, enums, objects, constraints, locations and generated values.

use std::collections::BTreeMap;

use super::Cx;
use crate::diagnostics::{Code, Diagnostic};
use crate::ir::{
    Bounds, Constraints, EnumDef, EnumValue, Family, Field, Flatten, Generated, Location, Method,
    NamedType, ObjectDef, Ty,
};
use crate::naming::{self, Ident};
use crate::source::Loc;
use crate::spec::{BoundsSpec, EnumValueSpec, FieldSpec, S, Scalar};

/// Whether fields are being resolved for a request or a response, and the defaults that apply.
#[derive(Clone, Copy)]
pub(crate) struct Ctx {
    request: Option<(Family, Method)>,
}

impl Ctx {
    pub(crate) fn request(family: Family, method: Method) -> Ctx {
        Ctx {
            request: Some((family, method)),
        }
    }

    pub(crate) fn response() -> Ctx {
        Ctx { request: None }
    }
}

/// The named types of one action, with where each was first declared.
#[derive(Default)]
pub(crate) struct Types {
    items: Vec<(NamedType, Loc)>,
}

impl Types {
    pub(crate) fn get(&self, i: usize) -> &NamedType {
        &self.items[i].0
    }

    pub(crate) fn into_vec(self) -> Vec<NamedType> {
        self.items.into_iter().map(|(t, _)| t).collect()
    }

    fn add(&mut self, cx: &mut Cx<'_>, t: NamedType, loc: Loc) -> Option<usize> {
        if let Some(i) = self.items.iter().position(|(e, _)| e.name() == t.name()) {
            let same = match (&self.items[i].0, &t) {
                (NamedType::StrEnum(a), NamedType::StrEnum(b))
                | (NamedType::IntEnum(a), NamedType::IntEnum(b)) => same_values(a, b),
                _ => false,
            };
            if same {
                return Some(i);
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
        Some(self.items.len() - 1)
    }
}

fn same_values(a: &EnumDef, b: &EnumDef) -> bool {
    a.values.len() == b.values.len()
        && a.values
            .iter()
            .zip(&b.values)
            .all(|(x, y)| x.wire == y.wire && x.variant == y.variant)
}

const TYPES: &str = "string, int32, int64, bool, array, object";

/// Resolves a list of fields and checks their Rust names for collisions.
pub(crate) fn resolve_fields(
    cx: &mut Cx<'_>,
    specs: &[FieldSpec],
    ctx: Ctx,
    types: &mut Types,
) -> Vec<Field> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<Ident, (Loc, String)> = BTreeMap::new();
    for spec in specs {
        let Some(name) = &spec.name else {
            let loc = cx.loc(&spec.ty);
            cx.error(
                Code::BadShape,
                loc,
                "missing key `name`",
                "every field needs its wire `name:`",
            );
            continue;
        };
        let Some(field) = resolve_field(cx, spec, name, ctx, types) else {
            continue;
        };
        if let Some((first, first_wire)) = seen.get(&field.rust) {
            let d = Diagnostic::new(
                Code::NameCollision,
                field.loc,
                format!(
                    "fields `{}` and `{first_wire}` both become the Rust field `{}`",
                    field.wire, field.rust
                ),
            )
            .related(*first, "first defined here")
            .help("set `rust_name:` on one of them");
            cx.diags.push(d);
            continue;
        }
        seen.insert(field.rust.clone(), (field.loc, field.wire.clone()));
        out.push(field);
    }
    out
}

fn resolve_field(
    cx: &mut Cx<'_>,
    spec: &FieldSpec,
    name: &S<String>,
    ctx: Ctx,
    types: &mut Types,
) -> Option<Field> {
    let loc = cx.loc(name);
    let rust = match &spec.rust_name {
        Some(r) => naming::explicit(&r.value).or_else(|| {
            let l = cx.loc(r);
            cx.error(
                Code::InvalidName,
                l,
                format!("`rust_name: {}` is not a Rust identifier", r.value),
                "use letters, digits and `_`, not starting with a digit",
            );
            None
        }),
        None => naming::snake(&name.value).or_else(|| {
            cx.error(
                Code::InvalidName,
                loc,
                format!(
                    "field `{}` cannot be converted to a Rust identifier",
                    name.value
                ),
                "set `rust_name:` to the Rust field name to use",
            );
            None
        }),
    };
    if spec.doc.is_none() {
        cx.diags.push(
            Diagnostic::new(
                Code::MissingDocs,
                loc,
                format!("field `{}` has no `doc:`", name.value),
            )
            .help("copy the vendor page's description into `doc:`"),
        );
    }
    let (ty, constraints) = resolve_type(cx, spec, &name.value, types)?;
    let mut field = Field {
        wire: name.value.clone(),
        rust: rust?,
        ty,
        required: spec.required.as_ref().is_some_and(|r| r.value),
        doc: spec.doc.as_ref().map(|d| d.value.clone()),
        location: Location::Json,
        flatten: Flatten::Json,
        path: vec![name.value.clone()],
        lenient: false,
        generated: None,
        constraints,
        loc,
    };
    match ctx.request {
        Some((family, method)) => request_parts(cx, spec, &mut field, family, method),
        None => response_parts(cx, spec, &mut field),
    }
    Some(field)
}

fn request_only<T>(cx: &mut Cx<'_>, s: &Option<S<T>>, key: &str) {
    if let Some(s) = s {
        let loc = cx.loc(s);
        cx.error(
            Code::BadShape,
            loc,
            format!("`{key}` applies to request fields only"),
            "remove it from the response field",
        );
    }
}

fn response_parts(cx: &mut Cx<'_>, spec: &FieldSpec, field: &mut Field) {
    request_only(cx, &spec.location, "in");
    request_only(cx, &spec.flatten, "flatten");
    request_only(cx, &spec.generated, "generated");
    if let Some(p) = &spec.path {
        let parts: Vec<String> = p.value.split('.').map(str::to_owned).collect();
        if parts.iter().any(String::is_empty) {
            let loc = cx.loc(p);
            cx.error(
                Code::BadValue,
                loc,
                format!("invalid path `{}`", p.value),
                "write the path as dot-separated member names, for example `data.flowId`",
            );
        }
        field.path = parts;
    }
    field.lenient = spec.lenient.as_ref().is_some_and(|l| l.value);
}

fn request_parts(
    cx: &mut Cx<'_>,
    spec: &FieldSpec,
    field: &mut Field,
    family: Family,
    method: Method,
) {
    for (key, present) in [
        ("path", spec.path.is_some()),
        ("lenient", spec.lenient.is_some()),
    ] {
        if present {
            cx.error(
                Code::BadShape,
                field.loc,
                format!("`{key}` applies to response fields only"),
                "remove it from the request field",
            );
        }
    }
    field.location = match &spec.location {
        None => family.default_location(method),
        Some(l) => {
            let loc = cx.loc(l);
            let parsed = match l.value.as_str() {
                "query" => Some(Location::Query),
                "form" => Some(Location::Form),
                "json" => Some(Location::Json),
                "header" => Some(Location::Header),
                _ => None,
            };
            match parsed {
                None => {
                    cx.error(
                        Code::BadValue,
                        loc,
                        format!("unknown field location `{}`", l.value),
                        "use `query`, `form`, `json` or `header`",
                    );
                    Location::Query
                }
                Some(Location::Json | Location::Form) if method == Method::Get => {
                    cx.error(
                        Code::BadLocation,
                        loc,
                        format!("a GET request has no body for `in: {}`", l.value),
                        "use `in: query`, or make the action `POST`",
                    );
                    Location::Query
                }
                Some(p) => p,
            }
        }
    };
    let structured = matches!(field.ty, Ty::Named(_) | Ty::Array(..));
    if field.location == Location::Header && structured && !is_enum(&field.ty) {
        cx.error(
            Code::BadLocation,
            field.loc,
            format!(
                "field `{}` is an array or object and cannot be a header",
                field.wire
            ),
            "headers carry scalars only",
        );
    }
    field.flatten = match &spec.flatten {
        None => family.default_flatten(),
        Some(f) => match f.value.as_str() {
            "indexed0" => Flatten::Indexed0,
            "indexed1" => Flatten::Indexed1,
            "json" => Flatten::Json,
            other => {
                let loc = cx.loc(f);
                cx.error(
                    Code::BadValue,
                    loc,
                    format!("unknown flatten style `{other}`"),
                    "use `indexed0` (name.0, name.1), `indexed1` (name.1, name.2) or `json`",
                );
                Flatten::Indexed0
            }
        },
    };
    if let Some(g) = &spec.generated {
        let loc = cx.loc(g);
        let kind = match g.value.as_str() {
            "idempotency-token" => Some(Generated::IdempotencyToken),
            "request-id" => Some(Generated::RequestId),
            other => {
                cx.error(
                    Code::BadValue,
                    loc,
                    format!("unknown generated value `{other}`"),
                    "use `idempotency-token` or `request-id`",
                );
                None
            }
        };
        if kind.is_some() && field.ty != Ty::String {
            cx.error(
                Code::BadGenerated,
                loc,
                format!("generated field `{}` must have `type: string`", field.wire),
                "tokens and request ids are strings",
            );
        }
        field.generated = kind;
    }
}

fn is_enum(ty: &Ty) -> bool {
    matches!(ty, Ty::Named(_))
}

fn resolve_type(
    cx: &mut Cx<'_>,
    spec: &FieldSpec,
    name: &str,
    types: &mut Types,
) -> Option<(Ty, Constraints)> {
    let ty_loc = cx.loc(&spec.ty);
    let base = match spec.ty.value.as_str() {
        "string" => Ty::String,
        "int32" => Ty::Int32,
        "int64" => Ty::Int64,
        "bool" => Ty::Bool,
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
            let (item, item_c) = resolve_type(cx, items, name, types)?;
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
            let ctx = Ctx::response();
            let fields = resolve_fields(cx, fields, ctx, types);
            let tname = type_name(cx, spec, name)?;
            let obj = NamedType::Object(ObjectDef {
                name: tname,
                doc: spec.doc.as_ref().map(|d| d.value.clone()),
                fields,
            });
            Ty::Named(types.add(cx, obj, ty_loc)?)
        }
        other => {
            cx.error(
                Code::UnknownType,
                ty_loc,
                format!("unknown type `{other}`"),
                &format!("use one of: {TYPES}; enumerations are a scalar type with `enum:`"),
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
    let constraints = constraints(cx, spec, &base);
    let ty = match &spec.enum_values {
        Some(values) => resolve_enum(cx, spec, name, &base, values, types)?,
        None => base,
    };
    Some((ty, constraints))
}

fn type_name(cx: &mut Cx<'_>, spec: &FieldSpec, name: &str) -> Option<Ident> {
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

fn resolve_enum(
    cx: &mut Cx<'_>,
    spec: &FieldSpec,
    name: &str,
    base: &Ty,
    values: &[S<EnumValueSpec>],
    types: &mut Types,
) -> Option<Ty> {
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
    let tname = type_name(cx, spec, name)?;
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
    let named = if is_int {
        NamedType::IntEnum(def)
    } else {
        NamedType::StrEnum(def)
    };
    Some(Ty::Named(types.add(cx, named, ty_loc)?))
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

fn constraints(cx: &mut Cx<'_>, spec: &FieldSpec, base: &Ty) -> Constraints {
    let mut c = Constraints::default();
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
                "patterns use the syntax of the `regex-lite` crate and must match the whole value",
            );
        } else {
            c.pattern = Some(p.value.clone());
        }
    }
    c
}

/// The named type behind a field type, if any.
pub(crate) fn named<'t>(types: &'t Types, ty: &Ty) -> Option<&'t NamedType> {
    match ty {
        Ty::Named(i) => Some(types.get(*i)),
        _ => None,
    }
}
