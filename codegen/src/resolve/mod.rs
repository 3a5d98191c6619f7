//! Stages "resolve" and "check": turn the loaded spec tree into the validated model, collecting
//! every problem. Fields and types are in `fields`, rules in `rules`, errors in `errors`.

mod emulation;
mod errors;
mod fields;
mod paging;
mod paths;
mod rules;
mod shared;
mod types;
mod waiters;

use std::collections::BTreeMap;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::ir::{
    Action, CommonErrors, ErrorDef, Example, Family, FollowUp, Limit, Location, Method, Model,
    NamedType, Per, Provider, Service, TypeRef,
};
use crate::load::{Loaded, ProviderDir, ServiceDir, Tree};
use crate::naming::{self, Ident};
use crate::source::{FileId, Loc};
use crate::spec::{ActionFile, S};

/// Per-file context: which file we are in, and where problems go.
pub(crate) struct Cx<'a> {
    pub(crate) file: FileId,
    pub(crate) diags: &'a mut Diagnostics,
}

impl Cx<'_> {
    pub(crate) fn loc<T>(&self, s: &S<T>) -> Loc {
        Loc::of(self.file, s)
    }

    pub(crate) fn error(&mut self, code: Code, loc: Loc, msg: impl Into<String>, help: &str) {
        self.diags.push(Diagnostic::new(code, loc, msg).help(help));
    }
}

/// Resolves the whole tree. Returns `None` when any error was recorded.
pub fn resolve(tree: &Tree, diags: &mut Diagnostics) -> Option<Model> {
    let mut providers = Vec::new();
    for p in &tree.providers {
        if let Some(p) = resolve_provider(p, diags) {
            providers.push(p);
        }
    }
    (!diags.has_errors()).then_some(Model { providers })
}

fn dir_ident(name: &str, loc: Loc, what: &str, diags: &mut Diagnostics) -> Option<Ident> {
    let ident = naming::explicit(name).filter(|i| naming::snake(name).as_ref() == Some(i));
    if ident.is_none() {
        diags.push(
            Diagnostic::new(
                Code::InvalidName,
                loc,
                format!("{what} directory `{name}` is not a lowercase Rust identifier"),
            )
            .help("name spec directories in lowercase letters, digits and `_`"),
        );
    }
    ident
}

fn resolve_provider(p: &ProviderDir, diags: &mut Diagnostics) -> Option<Provider> {
    let id = dir_ident(&p.dir_name, p.dir_loc, "provider", diags);
    let Some(file) = &p.file else {
        // A `_provider.yaml` that did not load has had its problems reported.
        if !p.file_failed {
            diags.push(
                Diagnostic::new(
                    Code::MissingSharedFile,
                    p.dir_loc,
                    format!(
                        "provider directory `{}` has no valid `_provider.yaml`",
                        p.dir_name
                    ),
                )
                .help("add `_provider.yaml` with at least `provider:` and `name:`"),
            );
        }
        // Its services are still checked (without the provider's common errors).
        for s in &p.services {
            resolve_service(s, &p.dir_name, &BTreeMap::new(), diags);
        }
        return None;
    };
    let mut cx = Cx {
        file: file.file,
        diags,
    };
    let spec = &file.spec;
    if spec.provider.value != p.dir_name {
        let loc = cx.loc(&spec.provider);
        cx.error(
            Code::FileNameMismatch,
            loc,
            format!(
                "`provider: {}` does not match its directory `{}`",
                spec.provider.value, p.dir_name
            ),
            "the provider id must equal the directory name",
        );
    }
    let mut common: BTreeMap<Family, Vec<ErrorDef>> = BTreeMap::new();
    for fe in &spec.common_errors {
        if let Some(f) = family(&mut cx, &fe.family) {
            common.insert(f, errors::common(file.file, &fe.errors, cx.diags));
        }
    }
    let mut services = Vec::new();
    for s in &p.services {
        if let Some(s) = resolve_service(s, &p.dir_name, &common, diags) {
            services.push(s);
        }
    }
    let common_errors = common
        .into_iter()
        .filter(|(f, e)| !e.is_empty() && services.iter().any(|s| s.family == *f))
        .map(|(family, errors)| CommonErrors { family, errors })
        .collect();
    Some(Provider {
        id: id?,
        name: spec.name.value.clone(),
        description: spec.description.as_ref().map(|d| d.value.clone()),
        services,
        common_errors,
    })
}

fn family(cx: &mut Cx<'_>, s: &S<String>) -> Option<Family> {
    let found = Family::ALL
        .iter()
        .find(|(id, _)| *id == s.value)
        .map(|(_, f)| *f);
    if found.is_none() {
        let loc = cx.loc(s);
        let known: Vec<&str> = Family::ALL.iter().map(|(id, _)| *id).collect();
        cx.error(
            Code::UnknownFamily,
            loc,
            format!("unknown API family `{}`", s.value),
            &format!("use one of: {}", known.join(", ")),
        );
    }
    found
}

fn resolve_service(
    s: &ServiceDir,
    provider: &str,
    common: &BTreeMap<Family, Vec<ErrorDef>>,
    diags: &mut Diagnostics,
) -> Option<Service> {
    let id = dir_ident(&s.dir_name, s.dir_loc, "service", diags);
    let Some(file) = &s.file else {
        // A `_service.yaml` that did not load has had its problems reported; the service's
        // actions cannot be checked without its family.
        if s.file_failed {
            return None;
        }
        diags.push(
            Diagnostic::new(
                Code::MissingSharedFile,
                s.dir_loc,
                format!(
                    "service directory `{}` has no valid `_service.yaml`",
                    s.display
                ),
            )
            .help("add `_service.yaml` with at least `service:`, `title:` and `family:`"),
        );
        return None;
    };
    let spec = &file.spec;
    let mut cx = Cx {
        file: file.file,
        diags,
    };
    if spec.service.value != s.dir_name {
        let loc = cx.loc(&spec.service);
        cx.error(
            Code::FileNameMismatch,
            loc,
            format!(
                "`service: {}` does not match its directory `{}`",
                spec.service.value, s.dir_name
            ),
            "the service id must equal the directory name",
        );
    }
    let fam = family(&mut cx, &spec.family)?;
    let (global_host, regions) = match &spec.endpoints {
        Some(e) => (
            e.global.as_ref().map(|g| g.value.clone()),
            e.regions
                .iter()
                .map(|r| (r.region.value.clone(), r.host.value.clone()))
                .collect(),
        ),
        None => (None, Vec::new()),
    };
    let shared = errors::Shared {
        service: (file.file, &spec.errors),
        common: common.get(&fam).map_or(&[], Vec::as_slice),
    };
    let declared = shared::resolve_shared(&mut cx, &spec.types);
    let resources = emulation::resolve_resources(&mut cx, &spec.resources);
    let mut actions: Vec<Action> = Vec::new();
    let mut modules: BTreeMap<Ident, Loc> = BTreeMap::new();
    let mut request_used = std::collections::BTreeSet::new();
    for a in &s.actions {
        let Some(action) = resolve_action(a, fam, &shared, &declared, &resources, diags) else {
            continue;
        };
        let loc = Loc::of(a.file, &a.spec.action);
        if let Some(first) = modules.insert(action.snake.clone(), loc) {
            diags.push(
                Diagnostic::new(
                    Code::NameCollision,
                    loc,
                    format!("action module `{}` is defined twice", action.snake),
                )
                .related(first, "first defined here")
                .help("two action names convert to the same snake_case module; rename one"),
            );
        }
        shared::request_types(&action, &declared.types, &mut request_used);
        actions.push(action);
    }
    shared::check_member_constraints(&declared, &request_used, diags);
    actions.sort_by(|a, b| a.name.cmp(&b.name));
    let mut service = Service {
        id: id?,
        title: spec.title.value.clone(),
        description: spec.description.as_ref().map(|d| d.value.clone()),
        family: fam,
        version: spec.version.as_ref().map(|v| v.value.clone()),
        signing_name: spec
            .signing_name
            .as_ref()
            .map_or_else(|| s.dir_name.clone(), |n| n.value.clone()),
        global_host,
        regions,
        actions,
        types: declared.types,
        resources,
        dir: format!("specs/{provider}/{}/", s.dir_name),
    };
    let waiter_specs: Vec<(FileId, &[crate::spec::WaiterSpec])> = service
        .actions
        .iter()
        .map(|action| {
            s.actions
                .iter()
                .find(|a| a.spec.action.value == action.name.as_str())
                .map_or((file.file, &[][..]), |a| (a.file, &a.spec.waiters[..]))
        })
        .collect();
    waiters::resolve_from(&mut service, &waiter_specs, diags);
    Some(service)
}

fn resolve_action(
    a: &Loaded<ActionFile>,
    fam: Family,
    shared: &errors::Shared<'_>,
    declared: &shared::Declared,
    resources: &[crate::ir::Resource],
    diags: &mut Diagnostics,
) -> Option<Action> {
    let spec = &a.spec;
    let mut cx = Cx {
        file: a.file,
        diags,
    };
    let name_loc = cx.loc(&spec.action);
    let name = &spec.action.value;
    let ident = naming::explicit(name).filter(|_| naming::is_upper_camel(name));
    if ident.is_none() {
        cx.error(
            Code::InvalidName,
            name_loc,
            format!("action name `{name}` is not UpperCamelCase"),
            "write the action as the vendor does, for example `CreateDiskBackup`",
        );
    }
    if *name != a.stem {
        cx.error(
            Code::FileNameMismatch,
            name_loc,
            format!(
                "`action: {name}` does not match the file name `{}.yaml`",
                a.stem
            ),
            &format!("rename the file to `{name}.yaml`, or correct `action:`"),
        );
    }
    let method = match spec.http.method.value.as_str() {
        "GET" => Some(Method::Get),
        "POST" => Some(Method::Post),
        other => {
            let loc = cx.loc(&spec.http.method);
            cx.error(
                Code::BadValue,
                loc,
                format!("unsupported HTTP method `{other}`"),
                "use `GET` or `POST`",
            );
            None
        }
    };
    check_value(
        &mut cx,
        &spec.http.path,
        |p| p.starts_with('/'),
        "`http.path`",
        "the path must start with `/`",
    );
    check_value(
        &mut cx,
        &spec.source.url,
        |u| u.starts_with("https://") || u.starts_with("http://"),
        "`source.url`",
        "give the vendor page's full URL, starting with `https://`",
    );
    check_value(
        &mut cx,
        &spec.source.read,
        is_date,
        "`source.read` date",
        "write the date read as `YYYY-MM-DD`",
    );
    let method = method?;
    let mut types = types::Types::for_action(&declared.names, &declared.types);
    let request = fields::resolve_fields(
        &mut cx,
        &spec.request,
        fields::Ctx::Request(fam, method),
        &mut types,
    );
    let response =
        fields::resolve_fields(&mut cx, &spec.response, fields::Ctx::Response, &mut types);
    check_path_template(&mut cx, &spec.http.path, &request);
    let rules = rules::resolve_rules(&mut cx, &spec.rules, &request, &spec.request, &types);
    let errors = errors::resolve_errors(&mut cx, &spec.errors, shared);
    let limits = resolve_limits(&mut cx, spec);
    let has_token = request
        .iter()
        .any(|f| f.generated == Some(crate::ir::Generated::IdempotencyToken));
    let shared_types = shared::closure(&types.used, &declared.types);
    let local = types.into_vec();
    let lookup = |r: TypeRef| -> Option<&NamedType> {
        match r {
            TypeRef::Action(i) => local.get(i),
            TypeRef::Service(i) => declared.types.get(i),
        }
    };
    let paginate = spec
        .paginate
        .as_ref()
        .and_then(|p| paging::resolve_paginate(&mut cx, p, &request, &response, &lookup));
    let waiters = waiters::resolve_waiters(&mut cx, &spec.waiters, &response, &lookup);
    let emulator = match &spec.emulator {
        Some(e) => emulation::resolve_ops(
            &mut cx,
            e,
            &emulation::ActionScope {
                request: &request,
                declared: &spec.request,
                response: &response,
                errors: &errors,
                paginate: paginate.as_ref(),
                resources,
            },
            &lookup,
        ),
        None => crate::ir::EmulatorOps::default(),
    };
    Some(Action {
        snake: naming::snake(name)?,
        name: ident?,
        summary: spec.summary.value.clone(),
        description: spec.description.as_ref().map(|d| d.value.clone()),
        source_url: spec.source.url.value.clone(),
        source_read: spec.source.read.value.clone(),
        method,
        path: spec.http.path.value.clone(),
        idempotent: has_token || spec.idempotent.as_ref().is_some_and(|i| i.value),
        request,
        rules,
        response,
        errors,
        limits,
        follow_ups: spec
            .follow_ups
            .iter()
            .map(|f| FollowUp {
                action: f.action.value.clone(),
                wait_seconds: f
                    .wait_seconds
                    .as_ref()
                    .map(|w| u32::try_from(w.value).unwrap_or(0)),
                doc: f.doc.as_ref().map(|d| d.value.clone()),
            })
            .collect(),
        examples: spec
            .examples
            .iter()
            .map(|e| Example {
                title: e.title.value.clone(),
                request: e.request.as_ref().map(|r| r.value.clone()),
                response: e.response.as_ref().map(|r| r.value.clone()),
                status: e.status.as_ref().and_then(|s| u16::try_from(s.value).ok()),
                note: e.note.as_ref().map(|n| n.value.clone()),
            })
            .collect(),
        types: local,
        shared_types,
        paginate,
        waiters,
        emulator,
    })
}

/// S0307: every `{name}` of `http.path` is an `in: path` field and every such field is in the
/// path, each as a whole segment.
fn check_path_template(cx: &mut Cx<'_>, path: &S<String>, request: &[crate::ir::Field]) {
    let mut named = Vec::new();
    let mut offset = 0;
    for seg in path.value.split('/') {
        let loc = Loc::inside(cx.file, path, offset);
        offset += seg.chars().count() + 1;
        let braces = seg.contains('{') || seg.contains('}');
        let name = seg
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .filter(|n| !n.is_empty() && !n.contains(['{', '}']));
        match name {
            Some(n) => named.push((n, loc)),
            None if braces => {
                cx.error(
                    Code::PathTemplate,
                    loc,
                    format!("path segment `{seg}` is not a `{{name}}` parameter"),
                    "a path parameter is a whole segment: `/v1/{project_id}/jobs`",
                );
            }
            None => {}
        }
    }
    for (n, loc) in &named {
        if !request
            .iter()
            .any(|f| f.wire == *n && f.location == Location::Path)
        {
            cx.error(
                Code::PathTemplate,
                *loc,
                format!("`{{{n}}}` in `http.path` names no `in: path` request field"),
                &format!("add a request field `name: {n}` with `in: path`"),
            );
        }
    }
    for f in request.iter().filter(|f| f.location == Location::Path) {
        if !named.iter().any(|(n, _)| *n == f.wire) {
            cx.error(
                Code::PathTemplate,
                f.loc,
                format!("`in: path` field `{}` is not in `http.path`", f.wire),
                &format!(
                    "add `{{{}}}` to `http.path`, or send the field elsewhere",
                    f.wire
                ),
            );
        }
    }
}

fn check_value(cx: &mut Cx<'_>, s: &S<String>, ok: impl Fn(&str) -> bool, what: &str, help: &str) {
    if !ok(&s.value) {
        let loc = cx.loc(s);
        cx.error(
            Code::BadValue,
            loc,
            format!("invalid {what} `{}`", s.value),
            help,
        );
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

fn resolve_limits(cx: &mut Cx<'_>, spec: &ActionFile) -> Vec<Limit> {
    let mut out = Vec::new();
    for l in &spec.limits {
        let per = match l.per.value.as_str() {
            "second" => Per::Second,
            "minute" => Per::Minute,
            "hour" => Per::Hour,
            "day" => Per::Day,
            other => {
                let loc = cx.loc(&l.per);
                cx.error(
                    Code::BadValue,
                    loc,
                    format!("unknown limit period `{other}`"),
                    "use `second`, `minute`, `hour` or `day`",
                );
                continue;
            }
        };
        let Some(max_calls) = u32::try_from(l.max_calls.value).ok().filter(|m| *m > 0) else {
            let loc = cx.loc(&l.max_calls);
            cx.error(
                Code::BadValue,
                loc,
                format!(
                    "`max_calls` must be a positive integer (got {})",
                    l.max_calls.value
                ),
                "write the number of calls the vendor allows per period",
            );
            continue;
        };
        out.push(Limit {
            max_calls,
            per,
            doc: l.doc.as_ref().map(|d| d.value.clone()),
        });
    }
    out
}
