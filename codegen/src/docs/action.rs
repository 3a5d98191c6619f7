//! One action's reference page.

use super::text::{cell, constraints, method, rule_sentence, service_facts, ty};
use crate::ir::{
    Action, Constraints, Demand, ErrorOrigin, Field, Location, NamedType, Provider, Service, Ty,
};

fn location(f: &Field) -> &'static str {
    match f.location {
        Location::Query => "query",
        Location::Form => "form",
        Location::Json => "JSON body",
        Location::Header => "header",
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
fn example_value(types: &[NamedType], t: &Ty, c: &Constraints) -> (String, bool) {
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
        Ty::Named(i) => match &types[*i] {
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
fn named_in(t: &Ty, types: &[NamedType], out: &mut Vec<String>) {
    match t {
        Ty::Named(i) => {
            let name = types[*i].name().to_string();
            if !out.contains(&name) {
                out.push(name);
            }
            if let NamedType::Object(o) = &types[*i] {
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
        let (v, ok) = example_value(&a.types, &f.ty, &f.constraints);
        certain &= ok;
        named_in(&f.ty, &a.types, &mut names);
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

/// A JSON example of type `t` for `--json` (objects with their required members).
fn json_example(types: &[NamedType], t: &Ty, c: &Constraints) -> String {
    match t {
        Ty::Named(i) => match &types[*i] {
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
        _ => example_value(types, t, c).0,
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

/// The `cloudbackup call` line of the page: `--region` when the spec lists regions, every
/// required field with a value that satisfies its type (scalars and items of arrays of scalars
/// with `--param`, objects and arrays of objects with `--json`). The CLI docs test runs it
/// against the emulator.
fn cli_example(p: &Provider, s: &Service, a: &Action) -> String {
    let mut line = format!("cloudbackup call {} {} {}", p.id, s.id, a.name);
    if let Some((region, _)) = s.regions.first() {
        line.push_str(&format!(" \\\n    --region {}", shell_word(region)));
    }
    for f in a
        .request
        .iter()
        .filter(|f| f.required && f.generated.is_none())
    {
        let object =
            |t: &Ty| matches!(t, Ty::Named(i) if matches!(a.types[*i], NamedType::Object(_)));
        let json = match &f.ty {
            Ty::Array(item, _) => object(item) || matches!(**item, Ty::Array(..)),
            t => object(t),
        };
        let (flag, arg) = if json {
            let v = json_example(&a.types, &f.ty, &f.constraints);
            ("json", shell_word(&format!("{}={v}", f.wire)))
        } else {
            let v = match &f.ty {
                Ty::Array(item, each) => json_example(&a.types, item, each),
                t => json_example(&a.types, t, &f.constraints),
            };
            (
                "param",
                shell_word(&format!("{}={}", f.wire, v.trim_matches('"'))),
            )
        };
        line.push_str(&format!(" \\\n    --{flag} {arg}"));
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

fn fields_table(a: &Action, fields: &[Field], request: bool) -> String {
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
        let t = cell(&ty(&a.types, &f.ty));
        if request {
            let c = constraints(&f.constraints).join(", ");
            out.push_str(&format!(
                "| `{}` | `{}` | {t} | {} | {} | {} | {doc} |\n",
                f.wire,
                f.rust,
                required(f),
                location(f),
                cell(&c)
            ));
        } else {
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

fn objects(a: &Action) -> String {
    let mut out = String::new();
    for t in &a.types {
        if let NamedType::Object(o) = t {
            out.push_str(&format!("\n### `{}`\n\n", o.name));
            if let Some(d) = &o.doc {
                out.push_str(&format!("{}\n\n", d.trim_end()));
            }
            out.push_str("| name | Rust | type | required | constraints | description |\n| --- | --- | --- | --- | --- | --- |\n");
            for f in &o.fields {
                out.push_str(&format!(
                    "| `{}` | `{}` | {} | {} | {} | {} |\n",
                    f.wire,
                    f.rust,
                    cell(&ty(&a.types, &f.ty)),
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
        out.push_str(&fields_table(a, &a.request, true));
    }
    if !a.rules.is_empty() {
        out.push_str("\n### Cross-field rules\n\n");
        out.push_str(&rules(a));
    }
    out.push_str("\n## Response\n\n");
    if a.response.is_empty() {
        out.push_str("No fields.\n");
    } else {
        out.push_str(&fields_table(a, &a.response, false));
    }
    let objs = objects(a);
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
