//! Resolving fields: names, locations, list styles, defaults and generated values (types and
//! constraints are in `types`).

use std::collections::BTreeMap;

use super::Cx;
use super::types::{Types, named, resolve_type};
use crate::diagnostics::{Code, Diagnostic};
use crate::ir::{Family, Field, Generated, Location, Method, NamedType, RuleValue, Style, Ty};
use crate::naming;
use crate::naming::Ident;
use crate::source::Loc;
use crate::spec::{FieldSpec, S, Scalar};

/// Where the types and members being resolved are used, for the constraints they may carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    /// Request fields and members of objects declared in them: validated before sending.
    Request,
    /// Response fields and members of objects declared in them: never validated.
    Response,
    /// Members of the service's shared objects: checked once every action is resolved.
    Shared,
}

/// What a list of fields is: the request or response of an action, or an object's members.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Ctx {
    /// The request fields of an action of this family and method.
    Request(Family, Method),
    /// The response fields of an action.
    Response,
    /// The members of an object used on this side.
    Member(Side),
}

impl Ctx {
    fn side(self) -> Side {
        match self {
            Ctx::Request(..) => Side::Request,
            Ctx::Response => Side::Response,
            Ctx::Member(side) => side,
        }
    }
}

/// Resolves a list of fields and checks their Rust names for collisions.
pub(crate) fn resolve_fields(
    cx: &mut Cx<'_>,
    specs: &[FieldSpec],
    ctx: Ctx,
    types: &mut Types<'_>,
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
    types: &mut Types<'_>,
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
    let (ty, constraints) = resolve_type(cx, spec, &name.value, types, ctx.side())?;
    let mut field = Field {
        wire: name.value.clone(),
        rust: rust?,
        ty,
        required: spec.required.as_ref().is_some_and(|r| r.value),
        doc: spec.doc.as_ref().map(|d| d.value.clone()),
        location: Location::Json,
        style: Style::Json,
        default: None,
        send_default: false,
        sensitive: false,
        path: vec![name.value.clone()],
        lenient: false,
        generated: None,
        constraints,
        loc,
    };
    match ctx {
        Ctx::Request(family, method) => request_parts(cx, spec, &mut field, family, method, types),
        Ctx::Response | Ctx::Member(_) => response_parts(cx, spec, &mut field, types),
    }
    if let Some(s) = spec.sensitive.as_ref().filter(|s| s.value) {
        if field.ty != Ty::String {
            let loc = cx.loc(s);
            cx.error(
                Code::ConstraintNotApplicable,
                loc,
                format!("`sensitive` applies to strings, not to `{}`", field.wire),
                "mark the string field that holds the secret",
            );
        }
        field.sensitive = true;
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
            "remove it from the response field or object member",
        );
    }
}

/// Response fields and object members: payload path, leniency, and the list style (a JSON
/// array, or a comma-joined string).
fn response_parts(cx: &mut Cx<'_>, spec: &FieldSpec, field: &mut Field, types: &Types<'_>) {
    request_only(cx, &spec.location, "in");
    request_only(cx, &spec.generated, "generated");
    request_only(cx, &spec.default, "default");
    request_only(cx, &spec.send_default, "send_default");
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
    field.style = list_style(cx, spec, field, None, types);
}

fn request_parts(
    cx: &mut Cx<'_>,
    spec: &FieldSpec,
    field: &mut Field,
    family: Family,
    method: Method,
    types: &Types<'_>,
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
    field.location = location(cx, spec, field, family, method, types);
    field.style = list_style(cx, spec, field, Some(family), types);
    generated(cx, spec, field);
    default(cx, spec, field, types);
}

fn location(
    cx: &mut Cx<'_>,
    spec: &FieldSpec,
    field: &mut Field,
    family: Family,
    method: Method,
    types: &Types<'_>,
) -> Location {
    let location = match &spec.location {
        None => match family.default_location(method) {
            Some(l) => l,
            None => {
                cx.error(
                    Code::BadLocation,
                    field.loc,
                    format!(
                        "field `{}` of a GET request needs `in:` (`{}` sends fields in the JSON body by default, and a GET has none)",
                        field.wire,
                        family.id()
                    ),
                    "say `in: query`, `in: path` or `in: header`",
                );
                Location::Query
            }
        },
        Some(l) => {
            let loc = cx.loc(l);
            let parsed = match l.value.as_str() {
                "query" => Some(Location::Query),
                "form" => Some(Location::Form),
                "json" => Some(Location::Json),
                "header" => Some(Location::Header),
                "path" => Some(Location::Path),
                _ => None,
            };
            match parsed {
                None => {
                    cx.error(
                        Code::BadValue,
                        loc,
                        format!("unknown field location `{}`", l.value),
                        "use `query`, `form`, `json`, `header` or `path`",
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
    let scalar = is_scalar(types, &field.ty);
    match location {
        Location::Header if !scalar => {
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
        Location::Path => {
            if !scalar {
                cx.error(
                    Code::PathTemplate,
                    field.loc,
                    format!("path parameter `{}` must be a scalar", field.wire),
                    "a path segment holds a string, an integer or an enumeration value",
                );
            }
            if let Some(r) = spec.required.as_ref().filter(|r| !r.value) {
                let loc = cx.loc(r);
                cx.error(
                    Code::PathTemplate,
                    loc,
                    format!("path parameter `{}` cannot be optional", field.wire),
                    "a path parameter is always required; remove `required: false`",
                );
            }
            field.required = true;
        }
        _ => {}
    }
    location
}

/// Whether a type is a scalar: a string, number, boolean, timestamp or enumeration.
pub(crate) fn is_scalar(types: &Types<'_>, ty: &Ty) -> bool {
    match ty {
        Ty::Array(..) => false,
        Ty::Named(_) => !matches!(named(types, ty), Some(NamedType::Object(_))),
        _ => true,
    }
}

/// Items a comma-joined list can hold: strings, integers, booleans and enumerations.
fn comma_item(types: &Types<'_>, ty: &Ty) -> bool {
    match ty {
        Ty::String | Ty::Int32 | Ty::Int64 | Ty::Bool => true,
        Ty::Named(_) => !matches!(named(types, ty), Some(NamedType::Object(_)) | None),
        _ => false,
    }
}

/// `style:` of a list: `family` is `Some` for request fields (parameters may be indexed).
fn list_style(
    cx: &mut Cx<'_>,
    spec: &FieldSpec,
    field: &Field,
    family: Option<Family>,
    types: &Types<'_>,
) -> Style {
    let item = match &field.ty {
        Ty::Array(item, _) => Some(item.as_ref()),
        _ => None,
    };
    let param = family.is_some() && matches!(field.location, Location::Query | Location::Form);
    let default = match (family, item) {
        (Some(f), Some(item)) if param && is_scalar(types, item) => f.default_param_style(),
        _ => Style::Json,
    };
    let Some(s) = &spec.style else {
        return default;
    };
    let loc = cx.loc(s);
    let Some(item) = item else {
        cx.error(
            Code::ConstraintNotApplicable,
            loc,
            format!("`style` does not apply to `type: {}`", spec.ty.value),
            "`style` says how an array is written on the wire",
        );
        return default;
    };
    let style = match s.value.as_str() {
        "indexed0" => Style::Indexed0,
        "indexed1" => Style::Indexed1,
        "json" => Style::Json,
        "comma" => Style::Comma,
        other => {
            cx.error(
                Code::BadValue,
                loc,
                format!("unknown list style `{other}`"),
                "use `indexed0` (Name.0, Name.1), `indexed1` (Name.1, Name.2), `json` or `comma` (a,b,c)",
            );
            return default;
        }
    };
    match style {
        Style::Indexed0 | Style::Indexed1 if !param => {
            cx.error(
                Code::ConstraintNotApplicable,
                loc,
                format!("`style: {}` applies to query and form parameters only", s.value),
                "JSON members and responses hold a JSON array (`json`) or a comma-joined string (`comma`)",
            );
            default
        }
        Style::Indexed0 | Style::Indexed1 if !is_scalar(types, item) => {
            cx.error(
                Code::ConstraintNotApplicable,
                loc,
                format!("`style: {}` applies to lists of scalars only", s.value),
                "a list of objects travels as one JSON parameter (`style: json`)",
            );
            default
        }
        Style::Comma if !comma_item(types, item) => {
            cx.error(
                Code::ConstraintNotApplicable,
                loc,
                "`style: comma` applies to lists of strings, integers, booleans and enumerations",
                "use `style: json` for other items",
            );
            default
        }
        other => other,
    }
}

fn generated(cx: &mut Cx<'_>, spec: &FieldSpec, field: &mut Field) {
    let Some(g) = &spec.generated else {
        return;
    };
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

/// `default:` and `send_default:` of a request field.
fn default(cx: &mut Cx<'_>, spec: &FieldSpec, field: &mut Field, types: &Types<'_>) {
    if let Some(sd) = &spec.send_default {
        if spec.default.is_none() {
            let loc = cx.loc(sd);
            cx.error(
                Code::BadDefault,
                loc,
                "`send_default` without `default`",
                "give the value the vendor requires with `default:`",
            );
        }
        field.send_default = sd.value;
    }
    let Some(d) = &spec.default else {
        return;
    };
    let loc = cx.loc(d);
    let bad = |cx: &mut Cx<'_>, msg: String, help: &str| {
        cx.error(Code::BadDefault, loc, msg, help);
    };
    if field.required || field.generated.is_some() || field.location == Location::Path {
        bad(
            cx,
            format!(
                "field `{}` is always sent, so it has no default",
                field.wire
            ),
            "remove `default:` (defaults are for optional fields the service fills in)",
        );
        return;
    }
    let value = match (&field.ty, &d.value) {
        (Ty::Int32 | Ty::Int64, Scalar::Int(i)) => Some(RuleValue::Int(*i)),
        (Ty::String, Scalar::Str(s)) => Some(RuleValue::Str(s.clone())),
        (Ty::Bool, Scalar::Bool(b)) => Some(RuleValue::Bool(*b)),
        (Ty::Named(_), v) => match (named(types, &field.ty), v) {
            (Some(NamedType::StrEnum(e)), Scalar::Str(s))
                if e.values.iter().any(|x| x.wire == *s) =>
            {
                Some(RuleValue::Str(s.clone()))
            }
            (Some(NamedType::IntEnum(e)), Scalar::Int(i))
                if e.values.iter().any(|x| x.int == Some(*i)) =>
            {
                Some(RuleValue::Int(*i))
            }
            (Some(NamedType::Object(_)), _) => {
                bad(
                    cx,
                    format!(
                        "field `{}` is an object and cannot have a default",
                        field.wire
                    ),
                    "defaults apply to strings, integers, booleans and enumerations",
                );
                return;
            }
            _ => None,
        },
        (Ty::Float64 | Ty::Timestamp(_) | Ty::Array(..), _) => {
            bad(
                cx,
                format!("field `{}` cannot have a default of its type", field.wire),
                "defaults apply to strings, integers, booleans and enumerations; say the default in `doc:`",
            );
            return;
        }
        _ => None,
    };
    let Some(value) = value else {
        bad(
            cx,
            format!("default does not fit field `{}`", field.wire),
            "give a value of the field's type; for enumerations, one of the listed values",
        );
        return;
    };
    if let Some(why) = breaks_constraints(field, &value) {
        bad(
            cx,
            format!(
                "default of `{}` breaks its own constraint: {why}",
                field.wire
            ),
            "the default must satisfy the field's `length`, `range` and `pattern`",
        );
        return;
    }
    field.default = Some(value);
}

/// Which of the field's own constraints `v` breaks, if any.
fn breaks_constraints(field: &Field, v: &RuleValue) -> Option<String> {
    let c = &field.constraints;
    match v {
        RuleValue::Int(i) => c.range.and_then(|r| {
            let low = r.min.is_some_and(|m| *i < m);
            let high = r.max.is_some_and(|m| *i > m);
            (low || high).then(|| format!("{i} is outside `range`"))
        }),
        RuleValue::Str(s) => {
            let n = i64::try_from(s.chars().count()).unwrap_or(i64::MAX);
            if let Some(l) = c.length
                && (l.min.is_some_and(|m| n < m) || l.max.is_some_and(|m| n > m))
            {
                return Some(format!("{n} characters is outside `length`"));
            }
            let p = c.pattern.as_ref()?;
            let re = regex_lite::Regex::new(&format!("^(?:{p})$")).ok()?;
            (!re.is_match(s)).then(|| format!("{s:?} does not match `pattern`"))
        }
        RuleValue::Bool(_) => None,
    }
}
