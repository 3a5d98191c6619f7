//! An action's `emulator:` operations, resolved: reads (and updates), creations with their
//! attributes, deletions by id or by selection, and the list.

use super::super::Cx;
use super::super::paths::{Lookup, out_path};
use super::{ActionScope, bad, json_path, list, pair};
use crate::diagnostics::Code;
use crate::ir::{CreateOp, DeleteOp, EmulatorOps, NamedType, ReadOp, RuleValue, Ty};
use crate::spec::{AttributeSpec, CreateSpec, DeleteSpec, EmulatorSpec, ReadSpec, S, Scalar};

/// Resolves an action's `emulator:`.
pub(crate) fn resolve_ops<'a>(
    cx: &mut Cx<'_>,
    spec: &EmulatorSpec,
    scope: &ActionScope<'a>,
    lookup: &Lookup<'a>,
) -> EmulatorOps {
    EmulatorOps {
        read: spec
            .read
            .iter()
            .filter_map(|r| read(cx, r, scope, lookup))
            .collect(),
        create: spec
            .create
            .iter()
            .filter_map(|c| create(cx, c, scope, lookup))
            .collect(),
        delete: spec
            .delete
            .iter()
            .filter_map(|d| delete(cx, d, scope, lookup))
            .collect(),
        list: spec.list.as_ref().and_then(|l| list(cx, l, scope, lookup)),
    }
}

fn read<'a>(
    cx: &mut Cx<'_>,
    r: &ReadSpec,
    scope: &ActionScope<'a>,
    lookup: &Lookup<'a>,
) -> Option<ReadOp> {
    let kind = scope.kind(cx, &r.kind)?;
    scope.field(cx, &r.id)?;
    let not_found = match &r.not_found {
        Some(c) => Some(scope.code(cx, c)?),
        None => None,
    };
    let require: Option<Vec<RuleValue>> =
        r.require.iter().map(|v| scope.state(cx, kind, v)).collect();
    let state = match &r.state {
        Some(v) => Some(scope.state(cx, kind, v)?),
        None => None,
    };
    let conflict = match &r.conflict {
        Some(c) => Some(scope.code(cx, c)?),
        None => None,
    };
    if !r.require.is_empty() && conflict.is_none() && not_found.is_none() {
        let loc = cx.loc(&r.kind);
        bad(
            cx,
            loc,
            "`require` without `conflict` or `not_found` has no code to answer with".into(),
            "name the documented code for a resource in another state with `conflict`, or drop `require`",
        );
        return None;
    }
    let into = match &r.into {
        Some(p) => json_path(cx, p, scope, lookup)?,
        None => String::new(),
    };
    let when = scope.when(cx, r.when.as_ref(), lookup).ok()?;
    Some(ReadOp {
        kind: kind.kind.clone(),
        id: r.id.value.clone(),
        not_found,
        require: require?,
        conflict,
        into,
        state,
        set: r.set.as_ref().is_some_and(|s| s.value),
        when,
    })
}

/// The `{Name}` placeholders of a template, or the problem with it.
fn placeholders(text: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err("a `}` closes no placeholder".into());
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err("a `{` is not closed".into());
        };
        let name = &after[..close];
        if name.is_empty() || name.contains('{') {
            return Err("a placeholder names one attribute: `{Name}`".into());
        }
        out.push(name);
        rest = &after[close + 1..];
    }
    Ok(out)
}

/// Resolves `attributes:` of a creation; `known` are the attributes a new resource has.
fn attributes(
    cx: &mut Cx<'_>,
    specs: &[AttributeSpec],
    mut known: Vec<String>,
    reserved: &[&str],
) -> Option<Vec<(String, RuleValue)>> {
    let mut out: Vec<(String, RuleValue)> = Vec::new();
    let mut ok = true;
    for a in specs {
        let name = &a.name.value;
        let problem = if reserved.contains(&name.as_str()) {
            Some(format!(
                "`{name}` holds the id or the state, which the emulator sets"
            ))
        } else if out.iter().any(|(n, _)| n == name) {
            Some(format!("attribute `{name}` is set twice"))
        } else {
            None
        };
        if let Some(msg) = problem {
            let loc = cx.loc(&a.name);
            bad(
                cx,
                loc,
                msg,
                "give each other attribute once; the state starts at the resource's `initial`",
            );
            ok = false;
            continue;
        }
        let value = match &a.value.value {
            Scalar::Str(s) => {
                let names = match placeholders(s) {
                    Ok(n) => n,
                    Err(why) => {
                        let loc = cx.loc(&a.value);
                        bad(
                            cx,
                            loc,
                            format!("`{s}`: {why}"),
                            "write `{Name}` for the value of attribute `Name`",
                        );
                        ok = false;
                        continue;
                    }
                };
                if let Some(unknown) = names.iter().find(|n| !known.iter().any(|k| k == *n)) {
                    let loc = cx.loc(&a.value);
                    bad(
                        cx,
                        loc,
                        format!("`{{{unknown}}}` names no attribute of the new resource"),
                        &format!("attributes known here: {}", known.join(", ")),
                    );
                    ok = false;
                    continue;
                }
                RuleValue::Str(s.clone())
            }
            Scalar::Int(i) => RuleValue::Int(*i),
            Scalar::Bool(b) => RuleValue::Bool(*b),
        };
        known.push(name.clone());
        out.push((name.clone(), value));
    }
    ok.then_some(out)
}

/// With `each`: the `items` path and the shared `group` path, checked.
fn each_paths<'a>(
    cx: &mut Cx<'_>,
    c: &CreateSpec,
    id: &S<String>,
    scope: &ActionScope<'a>,
    lookup: &Lookup<'a>,
) -> Option<(String, Option<String>)> {
    let (Some(_), Some(items)) = (&c.as_, &c.items) else {
        let loc = cx.loc(&c.kind);
        bad(
            cx,
            loc,
            "`each` needs `as` and `items`".into(),
            "name the attribute holding each item (`as`) and the output list of the created resources (`items`)",
        );
        return None;
    };
    let items_path = out_path(cx, items, scope.response, lookup, false, Code::BadEmulator)?;
    let members = match items_path.leaf() {
        Ty::Array(item, _) => match item.as_ref() {
            Ty::Named(r) => match lookup(*r) {
                Some(NamedType::Object(o)) => Some(&o.fields),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    };
    let Some(members) = members else {
        let loc = cx.loc(items);
        bad(
            cx,
            loc,
            format!("`items: {}` is not a list of objects", items.value),
            "point `items` at the output list that shows the created resources",
        );
        return None;
    };
    if !members.iter().any(|m| m.wire == id.value) {
        let loc = cx.loc(id);
        bad(
            cx,
            loc,
            format!(
                "`{}` is not a member of the items of `{}`",
                id.value, items.value
            ),
            "with `each`, `id` names the member of each item that holds its id",
        );
        return None;
    }
    let group = match &c.group {
        Some(g) => Some(json_path(cx, g, scope, lookup)?),
        None => None,
    };
    Some((items_path.json_text(), group))
}

fn create<'a>(
    cx: &mut Cx<'_>,
    c: &CreateSpec,
    scope: &ActionScope<'a>,
    lookup: &Lookup<'a>,
) -> Option<CreateOp> {
    let kind = scope.kind(cx, &c.kind)?;
    let each = match &c.each {
        Some(e) => {
            let f = scope.field(cx, e)?;
            if !matches!(f.ty, Ty::Array(..)) {
                let loc = cx.loc(e);
                bad(
                    cx,
                    loc,
                    format!("`each: {}` is not a list", e.value),
                    "`each` names a request list: one resource per item",
                );
                return None;
            }
            Some(e.value.clone())
        }
        None => None,
    };
    let with_each = [
        ("as", c.as_.as_ref()),
        ("items", c.items.as_ref()),
        ("group", c.group.as_ref()),
    ];
    if each.is_none()
        && let Some((key, Some(s))) = with_each.iter().find(|(_, s)| s.is_some())
    {
        let loc = cx.loc(*s);
        bad(
            cx,
            loc,
            format!("`{key}` needs `each`"),
            "`as`, `items` and `group` describe one resource per item of `each`",
        );
        return None;
    }
    let (id, attribute, items, group) = match (&each, &c.id, &c.attribute) {
        (Some(_), Some(id), None) => {
            let (items, group) = each_paths(cx, c, id, scope, lookup)?;
            (Some(id.value.clone()), id.value.clone(), Some(items), group)
        }
        (Some(_), _, _) => {
            let loc = cx.loc(&c.kind);
            bad(
                cx,
                loc,
                "`each` needs `id` and no `attribute`".into(),
                "with `each`, `id` names the member of each item of `items` that shows its id",
            );
            return None;
        }
        (None, None, None) => {
            let loc = cx.loc(&c.kind);
            bad(
                cx,
                loc,
                "`create` needs `id` or `attribute`".into(),
                "`id` is the output path showing the new id; `attribute` the attribute holding it",
            );
            return None;
        }
        (None, id, attribute) => {
            let path = match id {
                Some(i) => Some(json_path(cx, i, scope, lookup)?),
                None => None,
            };
            let attr = match (attribute, &path) {
                (Some(a), _) => a.value.clone(),
                (None, Some(p)) => p.rsplit('.').next().unwrap_or(p).to_owned(),
                (None, None) => unreachable!("matched above"),
            };
            (path, attr, None, None)
        }
    };
    let mut known: Vec<String> = scope.request.iter().map(|f| f.wire.clone()).collect();
    known.push(attribute.clone());
    known.extend(kind.state.iter().chain(&kind.created).cloned());
    known.extend(c.as_.as_ref().map(|a| a.value.clone()));
    let reserved: Vec<&str> = std::iter::once(attribute.as_str())
        .chain(kind.state.as_deref())
        .collect();
    let attrs = attributes(cx, &c.attributes, known, &reserved)?;
    let when = scope.when(cx, c.when.as_ref(), lookup).ok()?;
    Some(CreateOp {
        kind: kind.kind.clone(),
        id,
        attribute,
        attributes: attrs,
        each,
        as_attr: c.as_.as_ref().map(|a| a.value.clone()),
        group,
        items,
        when,
    })
}

fn delete<'a>(
    cx: &mut Cx<'_>,
    d: &DeleteSpec,
    scope: &ActionScope<'a>,
    lookup: &Lookup<'a>,
) -> Option<DeleteOp> {
    let kind = scope.kind(cx, &d.kind)?;
    let selects = !d.match_.is_empty() || d.after.is_some() || d.before.is_some();
    let loc = cx.loc(&d.kind);
    match &d.id {
        Some(_) if selects => {
            bad(
                cx,
                loc,
                "`delete` has both `id` and a selection".into(),
                "delete the resources named by `id`, or those `match`, `after` and `before` select, in two entries",
            );
            return None;
        }
        None if !selects => {
            bad(
                cx,
                loc,
                "`delete` needs `id` or a selection".into(),
                "name the request field with the ids (`id`), or select with `match`, `after` and `before`",
            );
            return None;
        }
        None if d.attribute.is_some() || d.not_found.is_some() => {
            bad(
                cx,
                loc,
                "`attribute` and `not_found` go with `id`".into(),
                "a selection deletes what it finds and is never a not-found error",
            );
            return None;
        }
        _ => {}
    }
    if let Some(id) = &d.id {
        scope.field(cx, id)?;
    }
    let not_found = match &d.not_found {
        Some(c) => Some(scope.code(cx, c)?),
        None => None,
    };
    let matches: Option<Vec<(String, String)>> =
        d.match_.iter().map(|m| pair(cx, m, scope)).collect();
    let after = match &d.after {
        Some(m) => Some(pair(cx, m, scope)?),
        None => None,
    };
    let before = match &d.before {
        Some(m) => Some(pair(cx, m, scope)?),
        None => None,
    };
    let when = scope.when(cx, d.when.as_ref(), lookup).ok()?;
    Some(DeleteOp {
        kind: kind.kind.clone(),
        id: d.id.as_ref().map(|i| i.value.clone()),
        attribute: d.attribute.as_ref().map(|a| a.value.clone()),
        not_found,
        matches: matches?,
        after,
        before,
        when,
    })
}
