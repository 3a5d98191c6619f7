//! An action's `emulator:` operations on the store: read (and update), delete, create and list,
//! in that order. The result is the part of the answer the resources give (ids, attributes,
//! the page of items, totals), which the schema-driven synthesis completes.

use serde_json::{Map, Value, json};

use super::store::{Resource, Scope, Store, state_json};
use super::values::{any_unix, fields_at, project, set_path, text};
use super::wire::Reject;
use crate::client::paginate::PageStyle;
use crate::registry::ActionEntry;
use crate::registry::emulation::{CreateOp, ListOp, ResourceKind};
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
            return Err(cx.reject(r.not_found, &format!("no {} `{id}`", r.kind)));
        };
        if let Some(attr) = kind.state.filter(|_| !r.require.is_empty()) {
            let now = res.attrs.get(attr).cloned().unwrap_or(Value::Null);
            if !r.require.iter().any(|s| state_json(*s) == now) {
                let code = r.conflict.unwrap_or(r.not_found);
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
        let path = cx.path(d.kind);
        let ids = texts(cx.request.get(d.id));
        let list = store.kind_mut(cx.scope, &path);
        if let Some(missing) = ids.iter().find(|id| !list.iter().any(|x| x.id == **id)) {
            return Err(cx.reject(d.not_found, &format!("no {} `{missing}`", d.kind)));
        }
        list.retain(|x| !ids.contains(&x.id));
    }
    for c in ops.create {
        created.extend(create(store, cx, c, &mut answer));
    }
    if let Some(l) = &ops.list {
        list(store, cx, l, &mut answer);
    }
    Ok(Applied { answer, created })
}

/// The attributes of a new resource: the request's fields, its id, state and creation time.
fn new_resource(
    store: &mut Store,
    cx: &Cx<'_>,
    kind: &'static ResourceKind,
    id_attr: &str,
) -> Resource {
    let id = store.mint(&cx.path(kind.kind), kind, cx.ids);
    let mut attrs = cx.request.clone();
    attrs.insert(id_attr.to_owned(), id.clone());
    if let (Some(attr), Some(s)) = (kind.state, kind.initial) {
        attrs.insert(attr.to_owned(), state_json(s));
    }
    if let Some(attr) = kind.created {
        attrs.insert(
            attr.to_owned(),
            crate::codec::TimeFormat::Rfc3339.json_of(cx.now, 0),
        );
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
        let r = new_resource(store, cx, kind, leaf(c.id));
        let fields = cx.entry.response;
        let part = project(&r.attrs, fields);
        for (k, v) in part {
            answer.entry(k).or_insert(v);
        }
        if let Some(id) = r.attrs.get(leaf(c.id)) {
            set_path(answer, c.id, id.clone());
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
        let mut r = new_resource(store, cx, kind, c.id);
        if let Some(a) = c.as_attr {
            r.attrs.insert(a.to_owned(), item);
        }
        if let Some((attr, id)) = &group {
            r.attrs.insert((*attr).to_owned(), id.clone());
        }
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

/// Whether a resource passes the list's selections.
fn selected(cx: &Cx<'_>, l: &ListOp, r: &Resource) -> bool {
    let attr_text = |a: &str| r.attrs.get(a).and_then(text);
    for (field, attr) in l.matches {
        let wanted = texts(cx.request.get(*field));
        if !wanted.is_empty() && !attr_text(attr).is_some_and(|v| wanted.contains(&v)) {
            return false;
        }
    }
    if let Some(f) = &l.filters {
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
    if let Some((bound, at)) = l.after.and_then(|(f, a)| time(f, a)) {
        if at.is_none_or(|t| t < bound) {
            return false;
        }
    }
    if let Some((bound, at)) = l.before.and_then(|(f, a)| time(f, a)) {
        if at.is_none_or(|t| t > bound) {
            return false;
        }
    }
    true
}

/// Items per page when the request says nothing and the spec gives no default.
const DEFAULT_PAGE_SIZE: i64 = 20;

fn list(store: &mut Store, cx: &Cx<'_>, l: &ListOp, answer: &mut Map<String, Value>) {
    let path = cx.path(l.kind);
    let all: Vec<Resource> = store
        .kind_mut(cx.scope, &path)
        .iter()
        .filter(|r| selected(cx, l, r))
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
