//! The service's shared types (`types:` in `_service.yaml`): enumerations and objects declared
//! once and used by name from every action.

use std::collections::BTreeSet;

use super::Cx;
use super::fields::{Ctx, Side, resolve_fields};
use super::types::{Types, enum_def, response_constraint};
use crate::diagnostics::{Code, Diagnostics};
use crate::ir::{Action, Field, NamedType, ObjectDef, Ty, TypeRef};
use crate::naming;
use crate::source::Loc;
use crate::spec::FieldSpec;

/// The resolved shared types of a service.
#[derive(Default)]
pub(crate) struct Declared {
    /// Every shared type: the declared ones first, in spec order, then types declared inline
    /// inside them.
    pub(crate) types: Vec<NamedType>,
    /// Names of `types`, by index.
    pub(crate) names: Vec<String>,
    /// Constraints on members of shared objects: (type index, where, which key).
    member_constraints: Vec<(usize, Loc, &'static str)>,
    /// Where each declared type's name is.
    locs: Vec<Loc>,
}

fn bad(cx: &mut Cx<'_>, loc: Loc, msg: String, help: &str) {
    cx.error(Code::BadTypeDecl, loc, msg, help);
}

/// Resolves `types:`.
pub(crate) fn resolve_shared(cx: &mut Cx<'_>, specs: &[FieldSpec]) -> Declared {
    let mut names: Vec<String> = Vec::new();
    let mut locs: Vec<Loc> = Vec::new();
    let mut placeholders = Vec::new();
    let mut keep = Vec::new();
    for spec in specs {
        let Some(n) = &spec.name else {
            let loc = cx.loc(&spec.ty);
            bad(
                cx,
                loc,
                "a shared type needs `name:`".into(),
                "`name:` is the Rust type name, e.g. `Region`",
            );
            continue;
        };
        let loc = cx.loc(n);
        let ident = naming::explicit(&n.value).filter(|_| naming::is_upper_camel(&n.value));
        let Some(ident) = ident else {
            cx.error(
                Code::InvalidName,
                loc,
                format!("shared type name `{}` is not UpperCamelCase", n.value),
                "name it as the Rust type, for example `BackupMethod`",
            );
            continue;
        };
        if names.contains(&n.value) {
            cx.error(
                Code::NameCollision,
                loc,
                format!("shared type `{}` is declared twice", n.value),
                "declare each shared type once",
            );
            continue;
        }
        for (key, given) in [
            ("rust_name", spec.rust_name.as_ref().map(|x| cx.loc(x))),
            ("required", spec.required.as_ref().map(|x| cx.loc(x))),
            ("in", spec.location.as_ref().map(|x| cx.loc(x))),
            ("style", spec.style.as_ref().map(|x| cx.loc(x))),
            ("path", spec.path.as_ref().map(|x| cx.loc(x))),
            ("lenient", spec.lenient.as_ref().map(|x| cx.loc(x))),
            ("generated", spec.generated.as_ref().map(|x| cx.loc(x))),
            ("default", spec.default.as_ref().map(|x| cx.loc(x))),
            (
                "send_default",
                spec.send_default.as_ref().map(|x| cx.loc(x)),
            ),
            ("type_name", spec.type_name.as_ref().map(|x| cx.loc(x))),
            ("length", spec.length.as_ref().map(|x| cx.loc(x))),
            ("range", spec.range.as_ref().map(|x| cx.loc(x))),
            ("pattern", spec.pattern.as_ref().map(|x| cx.loc(x))),
            ("count", spec.count.as_ref().map(|x| cx.loc(x))),
        ] {
            if let Some(kloc) = given {
                bad(
                    cx,
                    kloc,
                    format!("`{key}` does not apply to a shared type declaration"),
                    "a shared type declares an enumeration or an object; field keys go where the type is used",
                );
            }
        }
        let is_enum = spec.enum_values.is_some();
        let is_object = spec.ty.value == "object";
        if !is_enum && !is_object {
            let tloc = cx.loc(&spec.ty);
            bad(
                cx,
                tloc,
                format!(
                    "shared type `{}` is neither an enumeration nor an object",
                    n.value
                ),
                "a shared type is a `string`/`int32`/`int64` with `enum:`, or an `object` with `fields:`",
            );
            continue;
        }
        names.push(n.value.clone());
        locs.push(loc);
        placeholders.push((
            NamedType::Object(ObjectDef {
                name: ident,
                doc: None,
                fields: Vec::new(),
            }),
            loc,
        ));
        keep.push(spec);
    }
    let mut types = Types::for_service(&names, placeholders);
    for (i, spec) in keep.iter().enumerate() {
        let ident = naming::explicit(&names[i]).expect("invariant: checked above");
        let resolved = if spec.ty.value == "object" {
            let Some(fields) = &spec.fields else {
                let tloc = cx.loc(&spec.ty);
                cx.error(
                    Code::BadShape,
                    tloc,
                    format!("object type `{}` has no `fields:`", names[i]),
                    "list the object's members under `fields:`",
                );
                continue;
            };
            let before = types.member_constraints.len();
            let fields = resolve_fields(cx, fields, Ctx::Member(Side::Shared), &mut types);
            for (owner, ..) in &mut types.member_constraints[before..] {
                if *owner == TypeRef::Action(usize::MAX) {
                    *owner = TypeRef::Service(i);
                }
            }
            NamedType::Object(ObjectDef {
                name: ident,
                doc: spec.doc.as_ref().map(|d| d.value.clone()),
                fields,
            })
        } else {
            let base = match spec.ty.value.as_str() {
                "string" => Ty::String,
                "int32" => Ty::Int32,
                "int64" => Ty::Int64,
                other => {
                    let tloc = cx.loc(&spec.ty);
                    bad(
                        cx,
                        tloc,
                        format!("an enumeration is a string or integer type, not `{other}`"),
                        "use `type: string`, `int32` or `int64` with `enum:`",
                    );
                    continue;
                }
            };
            let values = spec.enum_values.as_deref().unwrap_or(&[]);
            let Some(def) = enum_def(cx, spec, ident, &base, values) else {
                continue;
            };
            def
        };
        types.set(i, resolved);
    }
    let member_constraints = types
        .member_constraints
        .iter()
        .filter_map(|(owner, loc, key)| match owner {
            TypeRef::Service(i) => Some((*i, *loc, *key)),
            TypeRef::Action(_) => None,
        })
        .collect();
    let all = types.into_vec();
    let names = all.iter().map(|t| t.name().as_str().to_owned()).collect();
    let declared = Declared {
        types: all,
        names,
        member_constraints,
        locs,
    };
    check_cycles(cx, &declared);
    declared
}

/// Shared types referenced by a type, directly or as items.
fn refs(ty: &Ty, out: &mut Vec<TypeRef>) {
    match ty {
        Ty::Named(r) => out.push(*r),
        Ty::Array(item, _) => refs(item, out),
        _ => {}
    }
}

fn members(t: &NamedType) -> &[Field] {
    match t {
        NamedType::Object(o) => &o.fields,
        _ => &[],
    }
}

/// S0308 for an object type that contains itself (a Rust struct cannot).
fn check_cycles(cx: &mut Cx<'_>, declared: &Declared) {
    for (start, at) in declared.locs.iter().enumerate() {
        let mut stack = vec![start];
        let mut seen = BTreeSet::new();
        while let Some(i) = stack.pop() {
            let mut next = Vec::new();
            for f in declared.types.get(i).map_or(&[][..], members) {
                refs(&f.ty, &mut next);
            }
            for r in next {
                if let TypeRef::Service(j) = r {
                    if j == start {
                        let name = &declared.names[start];
                        bad(
                            cx,
                            *at,
                            format!("shared type `{name}` contains itself"),
                            "vendors' payloads are trees; break the cycle with a separate type",
                        );
                        return;
                    }
                    if seen.insert(j) {
                        stack.push(j);
                    }
                }
            }
        }
    }
}

/// The shared types `used` refer to, with the shared types those contain, sorted.
pub(crate) fn closure(used: &BTreeSet<usize>, shared: &[NamedType]) -> Vec<usize> {
    let mut out: BTreeSet<usize> = BTreeSet::new();
    let mut stack: Vec<usize> = used.iter().copied().collect();
    while let Some(i) = stack.pop() {
        if !out.insert(i) {
            continue;
        }
        let mut next = Vec::new();
        for f in shared.get(i).map_or(&[][..], members) {
            refs(&f.ty, &mut next);
        }
        stack.extend(next.into_iter().filter_map(|r| match r {
            TypeRef::Service(j) => Some(j),
            TypeRef::Action(_) => None,
        }));
    }
    out.into_iter().collect()
}

/// Adds the shared types an action's request uses (through its own objects too) to `out`.
pub(crate) fn request_types(action: &Action, shared: &[NamedType], out: &mut BTreeSet<usize>) {
    let mut stack: Vec<TypeRef> = Vec::new();
    for f in &action.request {
        refs(&f.ty, &mut stack);
    }
    let mut seen: BTreeSet<TypeRef> = BTreeSet::new();
    while let Some(r) = stack.pop() {
        if !seen.insert(r) {
            continue;
        }
        let t = match r {
            TypeRef::Action(i) => action.types.get(i),
            TypeRef::Service(i) => {
                out.insert(i);
                shared.get(i)
            }
        };
        for f in t.map_or(&[][..], members) {
            refs(&f.ty, &mut stack);
        }
    }
}

/// S0206 for constraints on members of shared objects that only responses use.
pub(crate) fn check_member_constraints(
    declared: &Declared,
    request_used: &BTreeSet<usize>,
    diags: &mut Diagnostics,
) {
    for (i, loc, key) in &declared.member_constraints {
        if !request_used.contains(i) {
            let mut cx = Cx {
                file: loc.file,
                diags,
            };
            let what = format!(
                "a member of `{}`, which only responses use",
                declared.names[*i]
            );
            response_constraint(&mut cx, *loc, key, &what);
        }
    }
}
