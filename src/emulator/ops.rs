//! An action's `emulator:` operations on the store: read (and update), delete, create and list,
//! in that order. The result is the part of the answer the resources give (ids, attributes,
//! the page of items, totals), which the schema-driven synthesis completes.

use serde_json::{Map, Value, json};

use super::store::{Resource, Scope, Store, state_json};
use super::values::{any_unix, fields_at, project, set_path, text};
use super::wire::Reject;
use crate::client::paginate::PageStyle;
use crate::registry::ActionEntry;
use crate::registry::emulation::{
    CreateOp, DeleteOp, FilterOp, ListOp, Literal, ResourceKind, When,
};
use crate::runtime::clock::NonceSource;

/// Everything an operation needs.
pub(crate) struct Cx<'a> {
    pub(crate) entry: &'static ActionEntry,
    pub(crate) scope: &'a Scope,
    /// The request's fields as JSON (`ActionEntry::request_json`).
    pub(crate) request: &'a Map<String, Value>,
    pub(crate) now: i64,
    pub(crate) ids: &'a dyn NonceSource,
}

impl Cx<'_> {
    fn path(&self, kind: &str) -> String {
        format!(
            "{}/{}/{kind}",
            self.entry.service.provider, self.entry.service.service
        )
    }

    fn kind(&self, kind: &str) -> Option<&'static ResourceKind> {
        self.entry.service.resources.iter().find(|k| k.kind == kind)
    }

    fn reject(&self, code: &str, what: &str) -> Reject {
        let info = self.entry.error(code);
        let status = info
            .and_then(|i| i.status)
            .unwrap_or(match self.entry.service.family {
                crate::meta::Family::TencentApi2 | crate::meta::Family::TencentTc3 => 200,
                _ => 400,
            });
        let doc = info.map_or("", |i| i.doc);
        Reject::new(
            code,
            format!("{doc} ({what})").trim_start().to_owned(),
            status,
        )
    }
}

/// The texts of a request field (a scalar, or every item of a list).
fn texts(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(text).collect(),
        Some(v) => text(v).into_iter().collect(),
        None => Vec::new(),
    }
}

/// The last segment of a JSON path: the attribute a path's value is stored under.
fn leaf(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// What the operations did.
#[derive(Debug, Default)]
pub(crate) struct Applied {
    /// The answer's resource part (a partial payload).
    pub(crate) answer: Map<String, Value>,
    /// Ids of the resources created, in order.
    pub(crate) created: Vec<String>,
}

/// Applies the action's operations.
pub(crate) fn apply(store: &mut Store, cx: &Cx<'_>) -> Result<Applied, Reject> {
    let ops = &cx.entry.emulator;
    let mut answer = Map::new();
    let mut created = Vec::new();
    for kind in cx.entry.service.resources {
        store.advance(cx.scope, &cx.path(kind.kind), kind, cx.now);
    }
    for r in ops.read {
        if !holds(cx.request, r.when.as_ref()) {
            continue;
        }
        let Some(kind) = cx.kind(r.kind) else {
            continue;
        };
        let path = cx.path(r.kind);
        let id = texts(cx.request.get(r.id))
            .into_iter()
            .next()
            .unwrap_or_default();
        let list = store.kind_mut(cx.scope, &path);
        let Some(res) = list.iter_mut().find(|x| x.id == id) else {
            match r.not_found {
                Some(code) => return Err(cx.reject(code, &format!("no {} `{id}`", r.kind))),
                // No documented code: the read is skipped, the schema answers.
                None => continue,
            }
        };
        if let (Some(attr), Some(code)) = (
            kind.state.filter(|_| !r.require.is_empty()),
            r.conflict.or(r.not_found),
        ) {
            let now = res.attrs.get(attr).cloned().unwrap_or(Value::Null);
            if !r.require.iter().any(|s| state_json(*s) == now) {
                return Err(cx.reject(code, &format!("{} `{id}` is {now}", r.kind)));
            }
        }
        if r.set {
            for (k, v) in cx.request {
                if k != r.id {
                    res.attrs.insert(k.clone(), v.clone());
                }
            }
        }
        if let (Some(attr), Some(s)) = (kind.state, r.state) {
            res.attrs.insert(attr.to_owned(), state_json(s));
            res.state_since = cx.now;
        }
        let fields = fields_at(cx.entry.response, r.into).unwrap_or(&[]);
        let part = project(&res.attrs, fields);
        if r.into.is_empty() {
            answer.extend(part);
        } else {
            set_path(&mut answer, r.into, Value::Object(part));
        }
    }
    for d in ops.delete {
        if holds(cx.request, d.when.as_ref()) {
            delete(store, cx, d)?;
        }
    }
    for c in ops.create {
        if holds(cx.request, c.when.as_ref()) {
            created.extend(create(store, cx, c, &mut answer));
        }
    }
    if let Some(l) = &ops.list {
        list(store, cx, l, &mut answer);
    }
    Ok(Applied { answer, created })
}

/// Whether the request meets an operation's condition (always, without one).
fn holds(request: &Map<String, Value>, when: Option<&When>) -> bool {
    let lit = |l: &Literal| match l {
        Literal::Str(s) => (*s).to_owned(),
        Literal::Int(i) => i.to_string(),
        Literal::Bool(b) => b.to_string(),
    };
    let set = |f: &str| request.get(f).filter(|v| !v.is_null());
    match when {
        None => true,
        Some(When::Equals(f, v)) => set(f).and_then(text).is_some_and(|t| t == lit(v)),
        Some(When::NotEquals(f, v)) => set(f).and_then(text).is_none_or(|t| t != lit(v)),
        Some(When::Present(f, p)) => set(f).is_some() == *p,
    }
}

/// The value of a spec'd attribute: the literal, or its `{Name}` placeholders filled from
/// `attrs` (`None` when one names no attribute). A lone placeholder copies the value as is.
fn attribute_value(attrs: &Map<String, Value>, v: &Literal) -> Option<Value> {
    let s = match v {
        Literal::Int(i) => return Some(Value::from(*i)),
        Literal::Bool(b) => return Some(Value::Bool(*b)),
        Literal::Str(s) => *s,
    };
    let lone = s
        .strip_prefix('{')
        .and_then(|r| r.strip_suffix('}'))
        .filter(|n| !n.contains(['{', '}']));
    if let Some(name) = lone {
        return attrs.get(name).cloned();
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        out.push_str(&text(attrs.get(&after[..close])?)?);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Some(Value::String(out))
}

/// A new resource: the request's fields, its id (as attribute `c.attribute`), state and
/// creation time; `item` with `each`; then the spec'd `attributes`.
fn new_resource(
    store: &mut Store,
    cx: &Cx<'_>,
    kind: &'static ResourceKind,
    c: &CreateOp,
    item: &[(&str, Value)],
) -> Resource {
    let id = store.mint(&cx.path(kind.kind), kind, cx.ids);
    let mut attrs = cx.request.clone();
    attrs.insert(c.attribute.to_owned(), id.clone());
    if let (Some(attr), Some(s)) = (kind.state, kind.initial) {
        attrs.insert(attr.to_owned(), state_json(s));
    }
    if let Some(attr) = kind.created {
        attrs.insert(
            attr.to_owned(),
            crate::codec::TimeFormat::Rfc3339.json_of(cx.now, 0),
        );
    }
    for (k, v) in item {
        attrs.insert((*k).to_owned(), v.clone());
    }
    for (name, v) in c.attributes {
        if let Some(v) = attribute_value(&attrs, v) {
            attrs.insert((*name).to_owned(), v);
        }
    }
    Resource {
        id: text(&id).unwrap_or_default(),
        attrs,
        state_since: cx.now,
    }
}

fn create(
    store: &mut Store,
    cx: &Cx<'_>,
    c: &CreateOp,
    answer: &mut Map<String, Value>,
) -> Vec<String> {
    let Some(kind) = cx.kind(c.kind) else {
        return Vec::new();
    };
    let path = cx.path(c.kind);
    let Some(each) = c.each else {
        let r = new_resource(store, cx, kind, c, &[]);
        let part = project(&r.attrs, cx.entry.response);
        for (k, v) in part {
            answer.entry(k).or_insert(v);
        }
        if let (Some(at), Some(id)) = (c.id, r.attrs.get(c.attribute)) {
            set_path(answer, at, id.clone());
        }
        let id = r.id.clone();
        store.kind_mut(cx.scope, &path).push(r);
        return vec![id];
    };
    let mut ids = Vec::new();
    let group = c.group.map(|g| (leaf(g), Value::from(cx.ids.next_hex(16))));
    let items_fields = c
        .items
        .and_then(|i| fields_at(cx.entry.response, i))
        .unwrap_or(&[]);
    let mut shown = Vec::new();
    let values: Vec<Value> = match cx.request.get(each) {
        Some(Value::Array(a)) => a.clone(),
        Some(v) => vec![v.clone()],
        None => Vec::new(),
    };
    for item in values {
        let mut extra: Vec<(&str, Value)> = Vec::new();
        extra.extend(c.as_attr.map(|a| (a, item)));
        extra.extend(group.as_ref().map(|(a, id)| (*a, id.clone())));
        let r = new_resource(store, cx, kind, c, &extra);
        shown.push(Value::Object(project(&r.attrs, items_fields)));
        ids.push(r.id.clone());
        store.kind_mut(cx.scope, &path).push(r);
    }
    if let (Some(g), Some((_, id))) = (c.group, group) {
        if let Some(t) = text(&id) {
            ids.insert(0, t);
        }
        set_path(answer, g, id);
    }
    if let Some(items) = c.items {
        set_path(answer, items, Value::Array(shown));
    }
    ids
}

/// Deletes what `d` names (an unknown id is its not-found error, or ignored) or selects.
fn delete(store: &mut Store, cx: &Cx<'_>, d: &DeleteOp) -> Result<(), Reject> {
    let path = cx.path(d.kind);
    let Some(field) = d.id else {
        let sel = Select {
            matches: d.matches,
            filters: None,
            after: d.after,
            before: d.before,
        };
        // A selection deletes only when every request field it reads is set.
        let fields = d.matches.iter().chain(&d.after).chain(&d.before);
        if fields
            .clone()
            .all(|(f, _)| cx.request.get(*f).is_some_and(|v| !v.is_null()))
        {
            store
                .kind_mut(cx.scope, &path)
                .retain(|r| !sel.picks(cx, r));
        }
        return Ok(());
    };
    let ids = texts(cx.request.get(field));
    let key = |r: &Resource| match d.attribute {
        Some(a) => r.attrs.get(a).and_then(text),
        None => Some(r.id.clone()),
    };
    let list = store.kind_mut(cx.scope, &path);
    if let Some(code) = d.not_found {
        let known = |id: &String| list.iter().any(|x| key(x).as_ref() == Some(id));
        if let Some(missing) = ids.iter().find(|id| !known(id)) {
            return Err(cx.reject(code, &format!("no {} `{missing}`", d.kind)));
        }
    }
    list.retain(|x| !key(x).is_some_and(|k| ids.contains(&k)));
    Ok(())
}

/// What picks resources out of a kind: a list's selections, or a deletion's.
struct Select {
    matches: &'static [(&'static str, &'static str)],
    filters: Option<FilterOp>,
    after: Option<(&'static str, &'static str)>,
    before: Option<(&'static str, &'static str)>,
}

impl Select {
    fn of_list(l: &ListOp) -> Self {
        Select {
            matches: l.matches,
            filters: l.filters,
            after: l.after,
            before: l.before,
        }
    }

    /// Whether a resource passes every selection the request gives.
    fn picks(&self, cx: &Cx<'_>, r: &Resource) -> bool {
        let attr_text = |a: &str| r.attrs.get(a).and_then(text);
        for (field, attr) in self.matches {
            // A list attribute matches when any of its items does.
            let wanted = texts(cx.request.get(*field));
            let has = texts(r.attrs.get(*attr));
            if !wanted.is_empty() && !has.iter().any(|v| wanted.contains(v)) {
                return false;
            }
        }
        if let Some(f) = &self.filters {
            let filters = cx.request.get(f.field).and_then(Value::as_array);
            for filter in filters.into_iter().flatten() {
                let name = filter
                    .get("Name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let Some((_, attr)) = f.names.iter().find(|(n, _)| *n == name) else {
                    continue;
                };
                let values = texts(filter.get("Values"));
                if !attr_text(attr).is_some_and(|v| values.contains(&v)) {
                    return false;
                }
            }
        }
        let time = |field: &str, attr: &str| {
            let bound = cx.request.get(field).and_then(any_unix)?;
            Some((bound, r.attrs.get(attr).and_then(any_unix)))
        };
        if let Some((bound, at)) = self.after.and_then(|(f, a)| time(f, a))
            && at.is_none_or(|t| t < bound)
        {
            return false;
        }
        if let Some((bound, at)) = self.before.and_then(|(f, a)| time(f, a))
            && at.is_none_or(|t| t > bound)
        {
            return false;
        }
        true
    }
}

/// Items per page when the request says nothing and the spec gives no default.
const DEFAULT_PAGE_SIZE: i64 = 20;

fn list(store: &mut Store, cx: &Cx<'_>, l: &ListOp, answer: &mut Map<String, Value>) {
    let path = cx.path(l.kind);
    let sel = Select::of_list(l);
    let all: Vec<Resource> = store
        .kind_mut(cx.scope, &path)
        .iter()
        .filter(|r| sel.picks(cx, r))
        .cloned()
        .collect();
    let total = all.len();
    let int = |name: Option<&str>| {
        name.and_then(|n| cx.request.get(n))
            .and_then(|v| v.as_i64().or_else(|| text(v)?.parse().ok()))
    };
    let (start, size, page_fields) = match &cx.entry.paginate {
        Some(p) => {
            let size = int(p.size)
                .or(p.default_size)
                .unwrap_or(DEFAULT_PAGE_SIZE)
                .max(1);
            let start = match p.style {
                PageStyle::PageNumber { first } => {
                    let page = int(Some(p.page)).unwrap_or(first);
                    page.saturating_sub(first).saturating_mul(size)
                }
                PageStyle::Offset => int(Some(p.page)).unwrap_or(0),
                PageStyle::Marker => cx
                    .request
                    .get(p.page)
                    .and_then(text)
                    .and_then(|m| m.parse().ok())
                    .unwrap_or(0),
            };
            (start.max(0), Some(size), Some(p))
        }
        None => (0, None, None),
    };
    let start = usize::try_from(start).unwrap_or(usize::MAX).min(total);
    let end = size.map_or(total, |s| {
        start
            .saturating_add(usize::try_from(s).unwrap_or(usize::MAX))
            .min(total)
    });
    let item_fields = fields_at(cx.entry.response, l.items).unwrap_or(&[]);
    let items: Vec<Value> = all[start..end]
        .iter()
        .map(|r| Value::Object(project(&r.attrs, item_fields)))
        .collect();
    set_path(answer, l.items, Value::Array(items));
    if let Some(p) = page_fields {
        if let Some(t) = p.total {
            set_path(answer, t, json!(total));
        }
        if let (Some(t), Some(s)) = (p.total_pages, size) {
            let pages = (total as i64 + s - 1) / s;
            set_path(answer, t, json!(pages));
        }
        if let Some(n) = p.next {
            let next = if end < total {
                end.to_string()
            } else {
                String::new()
            };
            set_path(answer, n, json!(next));
        }
    }
}
