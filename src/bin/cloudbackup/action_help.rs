//! The help of one action, from its registry entry (that is, from its spec): every parameter
//! with its type, whether it is required, its whole description, its constraints and default,
//! how to give it on the command line; then the response members and the call policy.

use std::fmt::Write as _;

use cloudbackup::registry::{
    ActionEntry, FieldInfo, FieldLocation, ListStyle, ResponseFieldInfo, ValueType,
};

use crate::params::{Shape, shape};

/// `    ` before each line of a parameter's details.
const INDENT: &str = "      ";

fn how_to_give(f: &FieldInfo) -> String {
    match shape(f) {
        Shape::Scalar => format!("--param {}=VALUE", f.wire),
        Shape::ScalarArray => format!(
            "--param {w}=ITEM once per item, or --json '{w}=[...]'",
            w = f.wire
        ),
        Shape::Json => format!("--json '{}=JSON' only", f.wire),
    }
}

fn location(f: &FieldInfo) -> String {
    match (f.location, f.list) {
        (FieldLocation::Param, Some(ListStyle::Indexed(start))) => {
            format!("parameters {w}.{start}, {w}.{}, ...", start + 1, w = f.wire)
        }
        (FieldLocation::Param, Some(ListStyle::Comma)) => {
            "request parameter, items joined with commas".to_owned()
        }
        (FieldLocation::Param, _) => "request parameter".to_owned(),
        (FieldLocation::Json, Some(ListStyle::Comma)) => {
            "JSON body member, items joined with commas".to_owned()
        }
        (FieldLocation::Json, _) => "JSON body member".to_owned(),
        (FieldLocation::Header, _) => "HTTP header".to_owned(),
        (FieldLocation::Path, _) => "URL path segment".to_owned(),
    }
}

fn parameter(out: &mut String, f: &FieldInfo) {
    let req = if f.required { "required" } else { "optional" };
    let _ = writeln!(out, "  {}  ({req}) {}", f.wire, f.ty);
    for line in f.doc.lines() {
        if line.trim().is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{INDENT}{}", line.trim_end());
        }
    }
    if !f.constraints.is_empty() {
        let _ = writeln!(out, "{INDENT}constraints: {}", f.constraints);
    }
    if let Some(d) = f.default {
        let _ = writeln!(out, "{INDENT}default: {d}");
    }
    if let Some(g) = f.generated {
        let _ = writeln!(out, "{INDENT}{g}");
    }
    if f.sensitive {
        let _ = writeln!(
            out,
            "{INDENT}a secret: never printed, logged or stored by the tools"
        );
    }
    let _ = writeln!(
        out,
        "{INDENT}give it: {}; sent as {}",
        how_to_give(f),
        location(f)
    );
}

fn response(out: &mut String, fields: &[ResponseFieldInfo], depth: usize) {
    for f in fields {
        let _ = writeln!(out, "  {:w$}{}  {}", "", f.path, f.ty, w = depth * 2);
        let mut value = &f.value;
        while let ValueType::List(item, _) = value {
            value = item;
        }
        if let ValueType::Object(members) = value {
            response(out, members, depth + 1);
        }
    }
}

/// The text after the options in `cloudbackup call <provider> <service> <Action> --help`.
pub(crate) fn text(entry: &ActionEntry) -> String {
    let mut out = String::new();
    let a = entry.action;
    let s = entry.service;
    if entry.fields.is_empty() {
        out.push_str("Parameters: none.\n");
    } else {
        out.push_str(
            "Parameters (--param Name=VALUE takes the value as text, one array item per flag and \
never parsed as JSON; --json Name=JSON takes objects, arrays of objects or a whole array):\n",
        );
        for f in entry.fields {
            out.push('\n');
            parameter(&mut out, f);
        }
    }
    if !entry.response.is_empty() {
        out.push_str("\nResponse members (--output json prints them as one JSON object):\n");
        response(&mut out, entry.response, 0);
    }
    let _ = writeln!(
        out,
        "\nService: {} ({:?}{}); request: {} {}",
        s.title,
        s.family,
        s.version
            .map(|v| format!(", version {v}"))
            .unwrap_or_default(),
        a.method.as_str(),
        a.path
    );
    match (s.regions.is_empty(), s.global_host) {
        (true, Some(h)) => {
            let _ = writeln!(out, "Endpoint: {h} for every region");
        }
        (true, None) => {
            out.push_str("Endpoint: none published; give --endpoint (or CLOUDBACKUP_ENDPOINT)\n");
        }
        (false, global) => {
            let regions: Vec<&str> = s.regions.iter().map(|(r, _)| *r).collect();
            let _ = writeln!(
                out,
                "Regions (--region): {}{}",
                regions.join(", "),
                global
                    .map(|h| format!("; others: {h}"))
                    .unwrap_or_else(|| "; others need --endpoint".to_owned())
            );
        }
    }
    match (a.idempotent, a.idempotency_field) {
        (true, Some(f)) => {
            let _ = writeln!(
                out,
                "Idempotent: yes, through {f} (the same value on every retry)"
            );
        }
        (true, None) => out.push_str("Idempotent: yes\n"),
        (false, _) => out.push_str("Idempotent: no (not retried once it may have been sent)\n"),
    }
    for l in a.limits {
        let _ = writeln!(out, "Limit: {} calls per {} s", l.max_calls, l.per_seconds);
    }
    for f in a.follow_ups {
        let _ = write!(out, "Follow-up: {}", f.action);
        if let Some(w) = f.wait_seconds {
            let _ = write!(out, " after about {w} s");
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "Documented error codes: {} (exit code 4 when the service answers with one)",
        entry.documented_errors().count()
    );
    let _ = write!(out, "Vendor page: {}", a.doc_url);
    out
}
