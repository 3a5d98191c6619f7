//! Small text helpers for the Markdown pages: constraint wording, table cells, types.

use crate::ir::{
    Action, Bounds, CompareOp, Condition, Constraints, Demand, Method, NamedType, Rule, RuleValue,
    Service, Ty, TypeRef,
};

/// The named types a page can mention: the action's own and the service's shared ones.
#[derive(Clone, Copy)]
pub(super) struct Types<'a> {
    /// The action's types.
    pub(super) local: &'a [NamedType],
    /// The service's shared types.
    pub(super) shared: &'a [NamedType],
}

impl<'a> Types<'a> {
    /// The type behind a reference.
    pub(super) fn get(self, r: TypeRef) -> &'a NamedType {
        match r {
            TypeRef::Action(i) => &self.local[i],
            TypeRef::Service(i) => &self.shared[i],
        }
    }
}

/// `GET` or `POST`.
pub(super) fn method(m: Method) -> &'static str {
    match m {
        Method::Get => "GET",
        Method::Post => "POST",
    }
}

/// Text made safe for one table cell: one line, pipes escaped.
pub(super) fn cell(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// `1..=9`, `≤ 100`, `≥ 1`.
pub(crate) fn bounds(b: Bounds, unit: &str) -> String {
    match (b.min, b.max) {
        (Some(a), Some(z)) if a == z => format!("exactly {a}{unit}"),
        (Some(a), Some(z)) => format!("{a}..={z}{unit}"),
        (Some(a), None) => format!("≥ {a}{unit}"),
        (None, Some(z)) => format!("≤ {z}{unit}"),
        (None, None) => "any".to_owned(),
    }
}

/// Every constraint of a value, comma separated.
pub(crate) fn constraints(c: &Constraints) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(b) = c.length {
        out.push(format!("length {}", bounds(b, " chars")));
    }
    if let Some(b) = c.range {
        out.push(format!("value {}", bounds(b, "")));
    }
    if let Some(b) = c.count {
        out.push(format!("items {}", bounds(b, "")));
    }
    if let Some(p) = &c.pattern {
        out.push(format!("matches `{p}`"));
    }
    out
}

/// The type as a reader sees it, with enum values.
pub(super) fn ty(types: Types<'_>, t: &Ty) -> String {
    match t {
        Ty::String => "string".to_owned(),
        Ty::Int32 => "int32".to_owned(),
        Ty::Int64 => "int64".to_owned(),
        Ty::Float64 => "float64".to_owned(),
        Ty::Bool => "bool".to_owned(),
        Ty::Timestamp(f) => format!("timestamp (`{}`)", f.id()),
        Ty::Named(r) => match types.get(*r) {
            NamedType::StrEnum(d) | NamedType::IntEnum(d) => {
                let v: Vec<String> = d.values.iter().map(|v| format!("`{}`", v.wire)).collect();
                format!("`{}`: one of {}", d.name, v.join(", "))
            }
            NamedType::Object(o) => format!("object `{}`", o.name),
        },
        Ty::Array(item, c) => {
            let mut s = format!("array of {}", ty(types, item));
            let each = constraints(c);
            if !each.is_empty() {
                s.push_str(&format!(" (each: {})", each.join(", ")));
            }
            s
        }
    }
}

/// Family, version, signing name and endpoints of a service, as a bullet list.
pub(super) fn service_facts(s: &Service) -> String {
    let mut out = format!("- API family: `{}`\n", s.family.id());
    if let Some(v) = &s.version {
        out.push_str(&format!("- API version: `{v}`\n"));
    }
    out.push_str(&format!("- Signing name: `{}`\n", s.signing_name));
    match (&s.global_host, s.regions.is_empty()) {
        (Some(g), true) => out.push_str(&format!("- Endpoint: `{g}` for every region\n")),
        (Some(g), false) => out.push_str(&format!(
            "- Endpoint: `{g}` unless the region is listed below\n"
        )),
        (None, true) => out.push_str("- Endpoint: none published; give one explicitly\n"),
        (None, false) => out
            .push_str("- Endpoint: per region (below); other regions need an explicit endpoint\n"),
    }
    if !s.regions.is_empty() {
        out.push_str("\n| region | host |\n| --- | --- |\n");
        for (r, h) in &s.regions {
            out.push_str(&format!("| `{r}` | `{h}` |\n"));
        }
    }
    out
}

/// A rule value as the pages write it.
pub(crate) fn rule_value(v: &RuleValue) -> String {
    match v {
        RuleValue::Int(i) => i.to_string(),
        RuleValue::Str(s) => s.clone(),
        RuleValue::Bool(b) => b.to_string(),
    }
}

fn compare_text(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Lt => "less than",
        CompareOp::Le => "at most",
        CompareOp::Gt => "greater than",
        CompareOp::Ge => "at least",
        CompareOp::Eq => "equal to",
        CompareOp::Ne => "different from",
    }
}

/// A cross-field rule as one sentence: "When `Period` is `Year`: `UsedTime` value 1..=9."
/// followed by its doc (the reference pages list them; the CLI help shows them with the
/// constrained field).
pub(crate) fn rule_sentence(a: &Action, r: &Rule) -> String {
    let target = &a.request[r.field].wire;
    let when = r.when.as_ref().map(|w| match w {
        Condition::Equals(i, v) => format!("`{}` is `{}`", a.request[*i].wire, rule_value(v)),
        Condition::NotEquals(i, v) => {
            format!(
                "`{}` is unset or not `{}`",
                a.request[*i].wire,
                rule_value(v)
            )
        }
        Condition::Present(i, true) => format!("`{}` is set", a.request[*i].wire),
        Condition::Present(i, false) => format!("`{}` is not set", a.request[*i].wire),
    });
    let demands: Vec<String> = r
        .demands
        .iter()
        .map(|d| match d {
            Demand::Range(b) => format!("value {}", bounds(*b, "")),
            Demand::Length(b) => format!("length {}", bounds(*b, " chars")),
            Demand::Count(b) => format!("items {}", bounds(*b, "")),
            Demand::Required => "must be set".to_owned(),
            Demand::Absent => "must not be set".to_owned(),
            Demand::Compare(op, other) => format!(
                "must be {} `{}` (checked when both are set)",
                compare_text(*op),
                a.request[*other].wire
            ),
        })
        .collect();
    let mut out = match when {
        Some(when) => format!("When {when}: `{target}` {}.", demands.join(", ")),
        None => format!("`{target}` {}.", demands.join(", ")),
    };
    if let Some(d) = &r.doc {
        out.push_str(&format!(" {}", cell(d)));
    }
    out
}
