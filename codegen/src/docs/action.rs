//! One action's reference page.

use super::lifecycle::{pagination, waiters};
use super::text::{Types, cell, constraints, method, rule_sentence, rule_value, service_facts, ty};
use crate::ir::{
    Action, Condition, Constraints, Demand, ErrorOrigin, Field, Location, NamedType, Provider,
    Service, Style, TsFormat, Ty,
};

fn location(f: &Field) -> &'static str {
    match f.location {
        Location::Query => "query",
        Location::Form => "form",
        Location::Json => "JSON body",
        Location::Header => "header",
        Location::Path => "path",
    }
}

/// How a list is written, for the constraints column.
fn style_text(f: &Field) -> Option<&'static str> {
    if !matches!(f.ty, Ty::Array(..)) {
        return None;
    }
    match (f.style, f.location) {
        (Style::Comma, _) => Some("comma-separated (`a,b`)"),
        (Style::Indexed0, _) => Some("indexed from 0 (`Name.0`)"),
        (Style::Indexed1, _) => Some("indexed from 1 (`Name.1`)"),
        (Style::Json, Location::Query | Location::Form) => Some("one JSON parameter"),
        (Style::Json, _) => None,
    }
}

fn required(f: &Field) -> &'static str {
    match (f.required, f.generated) {
        (_, Some(_)) => "generated",
        (true, None) => "yes",
        (false, None) => "no",
    }
}

/// A Rust expression of an example value of type `t`, and whether it certainly satisfies its
/// constraints (a pattern cannot be satisfied blindly).
fn example_value(types: Types<'_>, t: &Ty, c: &Constraints) -> (String, bool) {
    match t {
        Ty::String => {
            let (min, max) = c.length.map_or((0, i64::MAX), |b| {
                (b.min.unwrap_or(0), b.max.unwrap_or(i64::MAX))
            });
            let len = if (min..=max).contains(&7) {
                7
            } else {
                min.max(1).min(max)
            };
            let s = if len == 7 {
                "example".to_owned()
            } else {
                "x".repeat(usize::try_from(len).unwrap_or(1))
            };
            (format!("{s:?}"), c.pattern.is_none())
        }
        Ty::Int32 | Ty::Int64 => {
            let b = c.range.unwrap_or_default();
            let v = b.min.unwrap_or(1);
            let v = b.max.map_or(v, |m| v.min(m));
            (v.to_string(), true)
        }
        Ty::Bool => ("true".to_owned(), true),
        Ty::Float64 => ("1.0".to_owned(), true),
        Ty::Timestamp(TsFormat::LocalDateTime) => (
            "cloudbackup::jiff::civil::datetime(2026, 12, 4, 0, 0, 0, 0)".to_owned(),
            true,
        ),
        Ty::Timestamp(TsFormat::Date) => (
            "cloudbackup::jiff::civil::date(2026, 12, 4)".to_owned(),
            true,
        ),
        Ty::Timestamp(_) => (
            "cloudbackup::jiff::Timestamp::from_second(1_764_806_400).expect(\"in range\")"
                .to_owned(),
            true,
        ),
        Ty::Named(r) => match types.get(*r) {
            NamedType::StrEnum(d) | NamedType::IntEnum(d) => match d.values.first() {
                Some(v) => (format!("{}::{}", d.name, v.variant), true),
                None => (format!("{}::from(\"value\")", d.name), false),
            },
            NamedType::Object(o) => {
                let args: Vec<String> = o
                    .fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| example_value(types, &f.ty, &f.constraints).0)
                    .collect();
                (format!("{}::new({})", o.name, args.join(", ")), false)
            }
        },
        Ty::Array(item, ic) => {
            let (v, ok) = example_value(types, item, ic);
            let min_ok = c.count.and_then(|b| b.min).is_none_or(|m| m <= 1);
            (format!("[{v}]"), ok && min_ok)
        }
    }
}

/// Indices of the named types a type mentions.
fn named_in(t: &Ty, types: Types<'_>, out: &mut Vec<String>) {
    match t {
        Ty::Named(r) => {
            let name = types.get(*r).name().to_string();
            if !out.contains(&name) {
                out.push(name);
            }
            if let NamedType::Object(o) = types.get(*r) {
                for f in o.fields.iter().filter(|f| f.required) {
                    named_in(&f.ty, types, out);
                }
            }
        }
        Ty::Array(item, _) => named_in(item, types, out),
        _ => {}
    }
}

fn rust_example(p: &Provider, s: &Service, a: &Action) -> String {
    let types = Types {
        local: &a.types,
        shared: &s.types,
    };
    let mut names = vec![format!("{}Input", a.name)];
    let mut values = Vec::new();
    let mut certain = !a
        .rules
        .iter()
        .any(|r| r.demands.iter().any(|d| matches!(d, Demand::Required)));
    for f in a
        .request
        .iter()
        .filter(|f| f.required && f.generated.is_none())
    {
        let (v, ok) = example_value(types, &f.ty, &f.constraints);
        certain &= ok;
        named_in(&f.ty, types, &mut names);
        values.push(v);
    }
    names.sort();
    let check = if certain {
        "input.validate().expect(\"the example is valid\");"
    } else {
        "let _ = input.validate();"
    };
    let imports = if names.len() == 1 {
        names[0].clone()
    } else {
        format!("{{{}}}", names.join(", "))
    };
    format!(
        "```rust\nuse cloudbackup::{}::{}::{}::{imports};\n\n// Required fields are constructor arguments; optional ones have setters.\nlet input = {}Input::new({});\n{check}\n```\n",
        p.id,
        s.id,
        a.snake,
        a.name,
        values.join(", ")
    )
}

/// The CLI text of a scalar example value of type `t` (JSON for `--json`, bare for `--param`).
fn cli_scalar(types: Types<'_>, t: &Ty, c: &Constraints) -> String {
    match t {
        Ty::Timestamp(TsFormat::Rfc3339) => "\"2026-12-04T00:00:00Z\"".to_owned(),
        Ty::Timestamp(TsFormat::LocalDateTime) => "\"2026-12-04 00:00:00\"".to_owned(),
        Ty::Timestamp(TsFormat::Date) => "\"2026-12-04\"".to_owned(),
        Ty::Timestamp(TsFormat::EpochSeconds) => "1764806400".to_owned(),
        Ty::Timestamp(TsFormat::EpochMillis) => "1764806400000".to_owned(),
        _ => example_value(types, t, c).0,
    }
}

/// A JSON example of type `t` for `--json` (objects with their required members).
fn json_example(types: Types<'_>, t: &Ty, c: &Constraints) -> String {
    match t {
        Ty::Named(r) => match types.get(*r) {
            NamedType::StrEnum(d) => d
                .values
                .first()
                .map_or("\"value\"".to_owned(), |v| format!("{:?}", v.wire)),
            NamedType::IntEnum(d) => d.values.first().map_or("0".to_owned(), |v| v.wire.clone()),
            NamedType::Object(o) => {
                let members: Vec<String> = o
                    .fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| {
                        format!(
                            "{:?}:{}",
                            f.wire,
                            json_example(types, &f.ty, &f.constraints)
                        )
                    })
                    .collect();
                format!("{{{}}}", members.join(","))
            }
        },
        Ty::Array(item, ic) => format!("[{}]", json_example(types, item, ic)),
        _ => cli_scalar(types, t, c),
    }
}

/// `v` as one shell word: bare when it is safe, else in single quotes.
fn shell_word(v: &str) -> String {
    let safe = !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-:/=,@+".contains(c));
    if safe {
        v.to_owned()
    } else {
        format!("'{}'", v.replace('\'', "'\\''"))
    }
}

/// The required parameters of an action as CLI flags: scalars and items of lists of scalars
/// with `--param`, objects and lists of objects with `--json`, each with a value that
/// satisfies its type. The CLI docs test runs the pages' commands against the emulator.
pub(super) fn cli_params(s: &Service, a: &Action) -> String {
    let types = Types {
        local: &a.types,
        shared: &s.types,
    };
    let object =
        |t: &Ty| matches!(t, Ty::Named(r) if matches!(types.get(*r), NamedType::Object(_)));
    // (field, is JSON, example text): the required fields, then those the rules require given
    // the examples chosen so far (`SourceEndpointRegion` when the example's
    // `SourceEndpointInstanceType` is `RDS`), until none is added.
    let mut chosen: Vec<(usize, bool, String)> = Vec::new();
    let example = |f: &Field| -> (bool, String) {
        let json = match &f.ty {
            Ty::Array(item, _) => object(item) || matches!(**item, Ty::Array(..)),
            t => object(t),
        };
        let v = match &f.ty {
            _ if json => json_example(types, &f.ty, &f.constraints),
            Ty::Array(item, each) => json_example(types, item, each),
            t => json_example(types, t, &f.constraints),
        };
        (json, v)
    };
    let mut wanted: Vec<usize> = (0..a.request.len())
        .filter(|&i| a.request[i].required && a.request[i].generated.is_none())
        .collect();
    loop {
        for i in wanted.drain(..) {
            let (json, v) = example(&a.request[i]);
            chosen.push((i, json, v));
        }
        let value = |i: usize| {
            chosen
                .iter()
                .find(|c| c.0 == i)
                .map(|c| c.2.trim_matches('"'))
        };
        for r in &a.rules {
            let holds = match &r.when {
                None => true,
                Some(Condition::Equals(i, v)) => value(*i) == Some(rule_value(v).as_str()),
                Some(Condition::NotEquals(i, v)) => value(*i) != Some(rule_value(v).as_str()),
                Some(Condition::Present(i, set)) => value(*i).is_some() == *set,
            };
            let required = r.demands.iter().any(|d| matches!(d, Demand::Required));
            if holds
                && required
                && a.request[r.field].generated.is_none()
                && value(r.field).is_none()
                && !wanted.contains(&r.field)
            {
                wanted.push(r.field);
            }
        }
        if wanted.is_empty() {
            break;
        }
    }
    let mut out = String::new();
    for (i, json, v) in chosen {
        let f = &a.request[i];
        let (flag, arg) = if json {
            ("json", shell_word(&format!("{}={v}", f.wire)))
        } else {
            (
                "param",
                shell_word(&format!("{}={}", f.wire, v.trim_matches('"'))),
            )
        };
        out.push_str(&format!(" \\\n    --{flag} {arg}"));
    }
    out
}

/// The `cloudbackup call` line of the page: `--region` when the spec lists regions, every
/// required field, `--all-pages` for a paged action.
fn cli_example(p: &Provider, s: &Service, a: &Action) -> String {
    let mut line = format!("cloudbackup call {} {} {}", p.id, s.id, a.name);
    if let Some((region, _)) = s.regions.first() {
        line.push_str(&format!(" \\\n    --region {}", shell_word(region)));
    }
    line.push_str(&cli_params(s, a));
    if a.paginate.is_some() {
        line.push_str(" \\\n    --all-pages");
    }
    let endpoint = if s.regions.is_empty() && s.global_host.is_none() {
        "This service publishes no endpoint: give `--endpoint URL` or set `CLOUDBACKUP_ENDPOINT`. "
    } else {
        ""
    };
    format!(
        "```sh\n{line}\n```\n\n{endpoint}Credentials come from the vendor's environment variables or CLI profile. To try it against the emulator, run `cloudbackup emulator` and set `CLOUDBACKUP_ENDPOINT=http://127.0.0.1:8080` and the emulator's test credentials (see `cloudbackup::emulator`). `cloudbackup call {} {} {} --help` documents every parameter.\n",
        p.id, s.id, a.name
    )
}

fn rules(a: &Action) -> String {
    let mut out = String::new();
    for r in &a.rules {
        out.push_str(&format!("- {}\n", rule_sentence(a, r)));
    }
    out
}

fn fields_table(types: Types<'_>, fields: &[Field], request: bool) -> String {
    let mut out = if request {
        String::from(
            "| name | Rust | type | required | in | constraints | description |\n| --- | --- | --- | --- | --- | --- | --- |\n",
        )
    } else {
        String::from(
            "| name | Rust | path | type | description |\n| --- | --- | --- | --- | --- |\n",
        )
    };
    for f in fields {
        let doc = cell(f.doc.as_deref().unwrap_or(""));
        let t = cell(&ty(types, &f.ty));
        if request {
            let mut c = constraints(&f.constraints);
            c.extend(style_text(f).map(str::to_owned));
            if f.sensitive {
                c.push("sensitive: never shown or logged".to_owned());
            }
            if let Some(d) = &f.default {
                c.push(if f.send_default {
                    format!("default `{}`, sent when unset", rule_value(d))
                } else {
                    format!("default `{}`", rule_value(d))
                });
            }
            let c = c.join(", ");
            out.push_str(&format!(
                "| `{}` | `{}` | {t} | {} | {} | {} | {doc} |\n",
                f.wire,
                f.rust,
                required(f),
                location(f),
                cell(&c)
            ));
        } else {
            let t = match style_text(f) {
                Some(st) => format!("{t} ({st})"),
                None => t,
            };
            out.push_str(&format!(
                "| `{}` | `{}` | `{}` | {t} | {doc} |\n",
                f.wire,
                f.rust,
                f.path.join(".")
            ));
        }
    }
    out
}

fn objects(types: Types<'_>, a: &Action) -> String {
    let mut out = String::new();
    let shared = a.shared_types.iter().map(|i| (&types.shared[*i], true));
    for (t, is_shared) in a.types.iter().map(|t| (t, false)).chain(shared) {
        if let NamedType::Object(o) = t {
            out.push_str(&format!("\n### `{}`\n\n", o.name));
            if is_shared {
                out.push_str("Shared by the service's actions.\n\n");
            }
            if let Some(d) = &o.doc {
                out.push_str(&format!("{}\n\n", d.trim_end()));
            }
            out.push_str("| name | Rust | type | required | constraints | description |\n| --- | --- | --- | --- | --- | --- |\n");
            for f in &o.fields {
                out.push_str(&format!(
                    "| `{}` | `{}` | {} | {} | {} | {} |\n",
                    f.wire,
                    f.rust,
                    cell(&ty(types, &f.ty)),
                    if f.required { "yes" } else { "no" },
                    cell(&constraints(&f.constraints).join(", ")),
                    cell(f.doc.as_deref().unwrap_or(""))
                ));
            }
        }
    }
    out
}

fn errors(s: &Service, a: &Action) -> String {
    let mut out = String::from(
        "| code | variant | retryable | HTTP status | declared by | description |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for e in &a.errors {
        let mut code = format!("`{}`", e.code);
        for alias in &e.aliases {
            code.push_str(&format!(", `{alias}`"));
        }
        let variant = match e.origin {
            ErrorOrigin::Common => {
                format!("Common({}::{})", s.family.common_error_name(), e.variant)
            }
            _ => e.variant.to_string(),
        };
        out.push_str(&format!(
            "| {code} | `{variant}` | {} | {} | {} | {} |\n",
            if e.retryable { "yes" } else { "no" },
            e.status.map_or("".to_owned(), |s| s.to_string()),
            match e.origin {
                ErrorOrigin::Action => "action",
                ErrorOrigin::Service => "service",
                ErrorOrigin::Common => "API family",
            },
            cell(e.doc.as_deref().unwrap_or(""))
        ));
    }
    out.push_str("| any other | `Unhandled` | no | | | A code the spec does not list. |\n");
    out
}

fn policy(a: &Action) -> String {
    let mut out = String::new();
    if a.idempotent {
        let token = a
            .request
            .iter()
            .find(|f| f.generated == Some(crate::ir::Generated::IdempotencyToken));
        match token {
            Some(f) => out.push_str(&format!(
                "- Idempotent: the client fills `{}` once per call and sends the same value on every attempt, so retries after an ambiguous failure (timeout, connection reset) cannot create a duplicate.\n",
                f.wire
            )),
            None => out.push_str("- Idempotent: repeating the call is harmless, so the client may retry it after an ambiguous failure.\n"),
        }
    } else {
        out.push_str("- Not idempotent: once the request may have reached the server (a timeout or reset after sending), the client does not retry, except on errors that mean the call was not applied (the retryable codes above). Connection failures before sending are retried.\n");
    }
    for f in a
        .request
        .iter()
        .filter(|f| f.generated == Some(crate::ir::Generated::RequestId))
    {
        out.push_str(&format!(
            "- `{}` is generated afresh for every attempt unless you set it.\n",
            f.wire
        ));
    }
    for l in &a.limits {
        out.push_str(&format!(
            "- Limit: {} calls per {}",
            l.max_calls,
            l.per.word()
        ));
        out.push_str(if l.per.seconds() <= 60 {
            ": the client waits for a free slot.\n"
        } else {
            ": the client refuses further calls in the window before sending.\n"
        });
    }
    for f in &a.follow_ups {
        out.push_str(&format!("- Follow-up: call `{}`", f.action));
        if let Some(w) = f.wait_seconds {
            out.push_str(&format!(" after about {w} seconds"));
        }
        out.push('.');
        if let Some(d) = &f.doc {
            out.push_str(&format!(" {}", cell(d)));
        }
        out.push('\n');
    }
    out
}

/// The page of one action.
pub(super) fn page(p: &Provider, s: &Service, a: &Action) -> String {
    let types = Types {
        local: &a.types,
        shared: &s.types,
    };
    let mut out = format!(
        "# `{}` ({})\n\n> Generated from `specs/{}/{}/{}.yaml` by `cloudbackup-codegen docs`. Do not edit.\n\n{}\n\n",
        a.name, s.title, p.id, s.id, a.name, a.summary
    );
    if let Some(d) = &a.description {
        out.push_str(d.trim_end());
        out.push_str("\n\n");
    }
    out.push_str(&format!(
        "- Request: `{} {}`\n- Rust module: `cloudbackup::{}::{}::{}`\n- Vendor page: <{}> (read {})\n{}\n",
        method(a.method),
        a.path,
        p.id,
        s.id,
        a.snake,
        a.source_url,
        a.source_read,
        service_facts(s)
    ));
    out.push_str("## Parameters\n\n");
    if a.request.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str(&fields_table(types, &a.request, true));
    }
    if !a.rules.is_empty() {
        out.push_str("\n### Cross-field rules\n\n");
        out.push_str(&rules(a));
    }
    out.push_str("\n## Response\n\n");
    if a.response.is_empty() {
        out.push_str("No fields.\n");
    } else {
        out.push_str(&fields_table(types, &a.response, false));
    }
    let objs = objects(types, a);
    if !objs.is_empty() {
        out.push_str("\n## Objects\n");
        out.push_str(&objs);
    }
    out.push_str("\n## Errors\n\n");
    if a.errors.iter().any(|e| e.origin == ErrorOrigin::Common) {
        out.push_str(&format!(
            "The API family's common codes are shared by every action of the family: `{}Error::Common` wraps a `cloudbackup::{}::{}`.\n\n",
            a.name,
            p.id,
            s.family.common_error_name()
        ));
    }
    out.push_str(&errors(s, a));
    out.push_str(&pagination(p, s, a));
    out.push_str(&waiters(p, s, a));
    out.push_str("\n## Limits, idempotency and retries\n\n");
    out.push_str(&policy(a));
    out.push_str("\n## Rust\n\n");
    out.push_str(&rust_example(p, s, a));
    out.push_str("\n## CLI\n\n");
    out.push_str(&cli_example(p, s, a));
    if !a.examples.is_empty() {
        out.push_str("\n## Examples from the vendor page\n");
        for x in &a.examples {
            out.push_str(&format!("\n### {}\n\n", x.title));
            if let Some(n) = &x.note {
                out.push_str(&format!("> {}\n\n", cell(n)));
            }
            if let Some(r) = &x.request {
                out.push_str(&format!("Request:\n\n```text\n{}\n```\n\n", r.trim_end()));
            }
            if let Some(r) = &x.response {
                let status = x.status.map_or(String::new(), |s| format!(" (HTTP {s})"));
                out.push_str(&format!(
                    "Response{status}:\n\n```text\n{}\n```\n",
                    r.trim_end()
                ));
            }
        }
    }
    out
}
