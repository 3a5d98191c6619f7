//! Resolving cross-field rules: "when `Period` is `Year`, `UsedTime` is 1..=9".

use super::Cx;
use super::types::{Types, bounds, named};
use crate::diagnostics::Code;
use crate::ir::{CompareOp, Condition, Demand, Field, NamedType, Rule, RuleValue, Ty};
use crate::source::Loc;
use crate::spec::{CompareSpec, ConditionSpec, FieldSpec, RuleSpec, S, Scalar};

/// The resolved field named `name`. A name that is not declared at all is S0301; a declared
/// field that failed to resolve was reported already and is skipped without a second report.
fn find(
    cx: &mut Cx<'_>,
    fields: &[Field],
    declared: &[FieldSpec],
    name: &S<String>,
) -> Option<usize> {
    let found = fields.iter().position(|f| f.wire == name.value);
    let names: Vec<&str> = declared
        .iter()
        .filter_map(|f| f.name.as_ref().map(|n| n.value.as_str()))
        .collect();
    if found.is_none() && !names.contains(&name.value.as_str()) {
        let loc = cx.loc(name);
        cx.error(
            Code::UnknownRuleField,
            loc,
            format!(
                "rule references `{}`, which is not a request field",
                name.value
            ),
            &format!("request fields are: {}", names.join(", ")),
        );
    }
    found
}

/// The named type a field's type refers to, if any.
pub(crate) type Named<'n, 't> = &'n dyn Fn(&Ty) -> Option<&'t NamedType>;

/// Checks that a condition value fits the field's type; returns it typed.
fn value(cx: &mut Cx<'_>, field: &Field, named: Named<'_, '_>, v: &S<Scalar>) -> Option<RuleValue> {
    let loc = cx.loc(v);
    let typed = match (&field.ty, &v.value) {
        (Ty::Int32 | Ty::Int64, Scalar::Int(i)) => Some(RuleValue::Int(*i)),
        (Ty::String, Scalar::Str(s)) => Some(RuleValue::Str(s.clone())),
        (Ty::Bool, Scalar::Bool(b)) => Some(RuleValue::Bool(*b)),
        (Ty::Named(_), scalar) => match (named(&field.ty), scalar) {
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
            _ => None,
        },
        _ => None,
    };
    if typed.is_none() {
        cx.error(
            Code::BadValue,
            loc,
            format!("rule value does not fit field `{}`", field.wire),
            "compare with a value of the field's type; for enumerations, one of the listed values",
        );
    }
    typed
}

fn text(v: &RuleValue) -> String {
    match v {
        RuleValue::Int(i) => i.to_string(),
        RuleValue::Str(s) => s.clone(),
        RuleValue::Bool(b) => b.to_string(),
    }
}

fn demand_ok(cx: &mut Cx<'_>, loc: Loc, field: &Field, key: &str, ok: bool, applies: &str) -> bool {
    if !ok {
        cx.error(
            Code::ConstraintNotApplicable,
            loc,
            format!("rule `{key}` does not apply to field `{}`", field.wire),
            &format!("`{key}` applies to {applies}"),
        );
    }
    ok
}

/// The condition of a rule (or of an emulator operation) and its text for messages.
pub(crate) fn condition(
    cx: &mut Cx<'_>,
    when: &ConditionSpec,
    fields: &[Field],
    declared: &[FieldSpec],
    named: Named<'_, '_>,
) -> Option<(Condition, String)> {
    let cf = find(cx, fields, declared, &when.field)?;
    let loc = cx.loc(&when.field);
    let cfield = &fields[cf];
    let conds = [
        when.equals.is_some(),
        when.not_equals.is_some(),
        when.present.is_some(),
    ];
    if conds.iter().filter(|c| **c).count() != 1 {
        cx.error(
            Code::BadShape,
            loc,
            "a condition needs exactly one of `equals`, `not_equals`, `present`",
            "for example `when: { field: Period, equals: Year }`",
        );
        return None;
    }
    let w = &cfield.wire;
    if let Some(v) = &when.equals {
        let v = value(cx, cfield, named, v)?;
        let t = format!("`{w}` is `{}`", text(&v));
        Some((Condition::Equals(cf, v), t))
    } else if let Some(v) = &when.not_equals {
        let v = value(cx, cfield, named, v)?;
        let t = format!("`{w}` is not `{}`", text(&v));
        Some((Condition::NotEquals(cf, v), t))
    } else {
        let p = when.present.as_ref()?;
        if cfield.required && cfield.generated.is_none() {
            let ploc = cx.loc(p);
            cx.error(
                Code::BadValue,
                ploc,
                format!("`{w}` is required, so `present` is always true"),
                "test the value with `equals` or `not_equals` instead",
            );
            return None;
        }
        let t = if p.value {
            format!("`{w}` is set")
        } else {
            format!("`{w}` is not set")
        };
        Some((Condition::Present(cf, p.value), t))
    }
}

/// Whether two fields can be compared: both integers, or timestamps of the same format.
fn comparable(a: &Ty, b: &Ty) -> bool {
    let int = |t: &Ty| matches!(t, Ty::Int32 | Ty::Int64);
    (int(a) && int(b))
        || matches!((a, b), (Ty::Float64, Ty::Float64))
        || matches!((a, b), (Ty::Timestamp(x), Ty::Timestamp(y)) if x == y)
}

/// A field's type as the spec writes it, for messages.
fn ty_text(t: &Ty) -> String {
    match t {
        Ty::String => "string".into(),
        Ty::Int32 => "int32".into(),
        Ty::Int64 => "int64".into(),
        Ty::Float64 => "float64".into(),
        Ty::Bool => "bool".into(),
        Ty::Timestamp(f) => format!("timestamp, format {}", f.id()),
        Ty::Array(..) => "array".into(),
        Ty::Named(_) => "an enumeration or object".into(),
    }
}

/// `compare: { op, field }` of a rule on `target`.
fn compare(
    cx: &mut Cx<'_>,
    spec: &S<CompareSpec>,
    target: usize,
    fields: &[Field],
    declared: &[FieldSpec],
) -> Option<Demand> {
    let other = find(cx, fields, declared, &spec.value.field)?;
    let op_loc = cx.loc(&spec.value.op);
    let Some(op) = CompareOp::ALL
        .iter()
        .find(|(w, _)| *w == spec.value.op.value)
        .map(|(_, o)| *o)
    else {
        cx.error(
            Code::BadValue,
            op_loc,
            format!("unknown comparison `{}`", spec.value.op.value),
            "use `lt`, `le`, `gt`, `ge`, `eq` or `ne`",
        );
        return None;
    };
    let (a, b) = (&fields[target], &fields[other]);
    let loc = cx.loc(&spec.value.field);
    if target == other {
        cx.error(
            Code::ConstraintNotApplicable,
            loc,
            format!("`{}` cannot be compared with itself", a.wire),
            "name the other field of the comparison",
        );
        return None;
    }
    if !comparable(&a.ty, &b.ty) {
        cx.error(
            Code::ConstraintNotApplicable,
            loc,
            format!(
                "`{}` ({}) cannot be compared with `{}` ({})",
                a.wire,
                ty_text(&a.ty),
                b.wire,
                ty_text(&b.ty)
            ),
            "compare two integers, two `float64`s, or two timestamps of the same `format`",
        );
        return None;
    }
    Some(Demand::Compare(op, other))
}

/// Resolves every rule of an action against its request fields.
pub(crate) fn resolve_rules(
    cx: &mut Cx<'_>,
    specs: &[RuleSpec],
    fields: &[Field],
    declared: &[FieldSpec],
    types: &Types<'_>,
) -> Vec<Rule> {
    let mut out = Vec::new();
    let named_of = |t: &Ty| named(types, t);
    for spec in specs {
        let target = find(cx, fields, declared, &spec.field);
        let cond = match &spec.when {
            Some(w) => match condition(cx, w, fields, declared, &named_of) {
                Some(c) => Some(c),
                None => continue,
            },
            None => None,
        };
        let Some(target) = target else {
            continue;
        };
        let field = &fields[target];
        let tloc = cx.loc(&spec.field);
        let mut demands = Vec::new();
        // Whether any demand key was written: a key that does not apply is reported as such,
        // not again as "the rule demands nothing".
        let mut asked = false;
        let is_int = matches!(field.ty, Ty::Int32 | Ty::Int64);
        if let Some(r) = &spec.range {
            asked = true;
            if demand_ok(cx, cx.loc(r), field, "range", is_int, "integer fields") {
                demands.extend(bounds(cx, &r.value, "range", false).map(Demand::Range));
            }
        }
        if let Some(l) = &spec.length {
            asked = true;
            let is_string = field.ty == Ty::String;
            if demand_ok(cx, cx.loc(l), field, "length", is_string, "string fields") {
                demands.extend(bounds(cx, &l.value, "length", true).map(Demand::Length));
            }
        }
        if let Some(c) = &spec.count {
            asked = true;
            let is_array = matches!(field.ty, Ty::Array(..));
            if demand_ok(cx, cx.loc(c), field, "count", is_array, "array fields") {
                demands.extend(bounds(cx, &c.value, "count", true).map(Demand::Count));
            }
        }
        if spec.required.as_ref().is_some_and(|r| r.value) {
            asked = true;
            demands.push(Demand::Required);
        }
        if let Some(a) = spec.absent.as_ref().filter(|a| a.value) {
            asked = true;
            let optional = !field.required;
            if demand_ok(cx, cx.loc(a), field, "absent", optional, "optional fields") {
                demands.push(Demand::Absent);
            }
        }
        if let Some(c) = &spec.compare {
            asked = true;
            demands.extend(compare(cx, c, target, fields, declared));
        }
        if !asked {
            cx.error(
                Code::BadShape,
                tloc,
                "the rule demands nothing",
                "add one of `range`, `length`, `count`, `required: true`, `absent: true`, `compare`",
            );
            continue;
        }
        if demands.is_empty() {
            continue;
        }
        let (when, condition_text) = match cond {
            Some((c, t)) => (Some(c), t),
            None => (None, String::new()),
        };
        out.push(Rule {
            field: target,
            when,
            demands,
            condition_text,
            doc: spec.doc.as_ref().map(|d| d.value.clone()),
        });
    }
    out
}
