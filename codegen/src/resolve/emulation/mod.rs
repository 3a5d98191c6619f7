//! What the emulator keeps: the service's resource kinds (`resources:`) and each action's
//! operations on them (`emulator:`), checked against the action's fields and errors. The
//! read, create and delete operations are in `ops`.

mod ops;

pub(crate) use ops::resolve_ops;

use super::Cx;
use super::paths::{Lookup, out_path};
use super::rules::condition;
use crate::diagnostics::Code;
use crate::ir::{
    Condition, ErrorDef, Field, FilterOp, IdStyle, ListOp, OpCondition, Paginate, Resource,
    RuleValue, Transition, Ty,
};
use crate::naming;
use crate::source::Loc;
use crate::spec::{ConditionSpec, FieldSpec, MatchSpec, ResourceSpec, S, Scalar};

fn bad(cx: &mut Cx<'_>, loc: Loc, msg: String, help: &str) {
    cx.error(Code::BadEmulator, loc, msg, help);
}

/// A state value: a string or an integer.
fn state_value(cx: &mut Cx<'_>, v: &S<Scalar>) -> Option<RuleValue> {
    match &v.value {
        Scalar::Str(s) => Some(RuleValue::Str(s.clone())),
        Scalar::Int(i) => Some(RuleValue::Int(*i)),
        Scalar::Bool(_) => {
            let loc = cx.loc(v);
            bad(
                cx,
                loc,
                "a state is a string or an integer".into(),
                "write the state as the response field holds it",
            );
            None
        }
    }
}

fn same_kind(a: &RuleValue, b: &RuleValue) -> bool {
    matches!(
        (a, b),
        (RuleValue::Str(_), RuleValue::Str(_)) | (RuleValue::Int(_), RuleValue::Int(_))
    )
}

/// Resolves `resources:`.
pub(crate) fn resolve_resources(cx: &mut Cx<'_>, specs: &[ResourceSpec]) -> Vec<Resource> {
    let mut out: Vec<Resource> = Vec::new();
    for r in specs {
        let loc = cx.loc(&r.kind);
        if naming::explicit(&r.kind.value)
            .filter(|_| naming::is_upper_camel(&r.kind.value))
            .is_none()
        {
            cx.error(
                Code::InvalidName,
                loc,
                format!("resource kind `{}` is not UpperCamelCase", r.kind.value),
                "name the resource as the vendor does, for example `DiskBackup`",
            );
            continue;
        }
        if out.iter().any(|o| o.kind == r.kind.value) {
            cx.error(
                Code::NameCollision,
                loc,
                format!("resource kind `{}` is declared twice", r.kind.value),
                "declare each resource kind once",
            );
            continue;
        }
        let counter = r.id.counter.as_ref().is_some_and(|c| c.value);
        let id = if counter {
            if let Some(p) = r.id.prefix.as_ref().map(|p| cx.loc(p)).or(r
                .id
                .length
                .as_ref()
                .map(|l| cx.loc(l)))
            {
                bad(
                    cx,
                    p,
                    "`counter: true` ids have no prefix or length".into(),
                    "remove `prefix`/`length`, or `counter`",
                );
            }
            IdStyle::Counter
        } else {
            let length = r.id.length.as_ref().map_or(Some(8), |l| {
                u32::try_from(l.value).ok().filter(|n| (1..=32).contains(n))
            });
            let Some(length) = length else {
                let l = r.id.length.as_ref().map_or(loc, |l| cx.loc(l));
                bad(
                    cx,
                    l,
                    "`length` must be between 1 and 32 digits".into(),
                    "ids are the prefix and this many hex digits",
                );
                continue;
            };
            IdStyle::Prefixed {
                prefix: r
                    .id
                    .prefix
                    .as_ref()
                    .map(|p| p.value.clone())
                    .unwrap_or_default(),
                length,
            }
        };
        let initial = match &r.initial {
            Some(v) => match state_value(cx, v) {
                Some(v) => Some(v),
                None => continue,
            },
            None => None,
        };
        let mut transitions = Vec::new();
        for t in &r.transitions {
            let (Some(from), Some(to)) = (state_value(cx, &t.from), state_value(cx, &t.to)) else {
                continue;
            };
            let Some(after) = u32::try_from(t.after.value).ok() else {
                let l = cx.loc(&t.after);
                bad(
                    cx,
                    l,
                    format!("`after` is {} seconds", t.after.value),
                    "write a non-negative number of seconds",
                );
                continue;
            };
            transitions.push(Transition { from, to, after });
        }
        let values: Vec<&RuleValue> = initial
            .iter()
            .chain(transitions.iter().flat_map(|t| [&t.from, &t.to]))
            .collect();
        if r.state.is_none() && !values.is_empty() {
            bad(
                cx,
                loc,
                format!(
                    "resource `{}` has states but no `state:` attribute",
                    r.kind.value
                ),
                "name the attribute that holds the state with `state:`",
            );
            continue;
        }
        if values.windows(2).any(|w| !same_kind(w[0], w[1])) {
            bad(
                cx,
                loc,
                format!("states of `{}` mix strings and integers", r.kind.value),
                "write every state as the response field holds it",
            );
            continue;
        }
        out.push(Resource {
            kind: r.kind.value.clone(),
            doc: r.doc.as_ref().map(|d| d.value.clone()),
            id,
            state: r.state.as_ref().map(|s| s.value.clone()),
            initial,
            transitions,
            created: r.created.as_ref().map(|c| c.value.clone()),
        });
    }
    out
}

/// What an action's `emulator:` may refer to.
pub(crate) struct ActionScope<'a> {
    pub(crate) request: &'a [Field],
    /// The request fields as written (for messages about unknown names).
    pub(crate) declared: &'a [FieldSpec],
    pub(crate) response: &'a [Field],
    pub(crate) errors: &'a [ErrorDef],
    pub(crate) paginate: Option<&'a Paginate>,
    pub(crate) resources: &'a [Resource],
}

impl ActionScope<'_> {
    fn kind<'r>(&'r self, cx: &mut Cx<'_>, k: &S<String>) -> Option<&'r Resource> {
        let found = self.resources.iter().find(|r| r.kind == k.value);
        if found.is_none() {
            let loc = cx.loc(k);
            let known: Vec<&str> = self.resources.iter().map(|r| r.kind.as_str()).collect();
            bad(
                cx,
                loc,
                format!("`{}` is not a resource kind of the service", k.value),
                &if known.is_empty() {
                    "declare it under `resources:` in `_service.yaml`".to_owned()
                } else {
                    format!("resource kinds: {}", known.join(", "))
                },
            );
        }
        found
    }

    fn field(&self, cx: &mut Cx<'_>, name: &S<String>) -> Option<&Field> {
        let found = self.request.iter().find(|f| f.wire == name.value);
        if found.is_none() {
            let loc = cx.loc(name);
            let known: Vec<&str> = self.request.iter().map(|f| f.wire.as_str()).collect();
            bad(
                cx,
                loc,
                format!("`{}` is not a request field", name.value),
                &format!("request fields are: {}", known.join(", ")),
            );
        }
        found
    }

    fn code(&self, cx: &mut Cx<'_>, c: &S<Scalar>) -> Option<String> {
        let code = match &c.value {
            Scalar::Str(s) => s.clone(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Bool(_) => String::new(),
        };
        let known = self
            .errors
            .iter()
            .any(|e| e.code == code || e.aliases.contains(&code));
        if !known {
            let loc = cx.loc(c);
            bad(
                cx,
                loc,
                format!("`{code}` is not an error code of the action"),
                "answer with a documented code: the action's, its service's or its family's",
            );
            return None;
        }
        Some(code)
    }

    /// `when:` of an operation: `Err` when it is written and wrong (reported).
    fn when<'a>(
        &self,
        cx: &mut Cx<'_>,
        w: Option<&ConditionSpec>,
        lookup: &Lookup<'a>,
    ) -> Result<Option<OpCondition>, ()> {
        let Some(w) = w else { return Ok(None) };
        let named = |t: &Ty| match t {
            Ty::Named(r) => lookup(*r),
            _ => None,
        };
        let (c, _) = condition(cx, w, self.request, self.declared, &named).ok_or(())?;
        let wire = |i: usize| self.request[i].wire.clone();
        Ok(Some(match c {
            Condition::Equals(i, v) => OpCondition::Equals(wire(i), v),
            Condition::NotEquals(i, v) => OpCondition::NotEquals(wire(i), v),
            Condition::Present(i, p) => OpCondition::Present(wire(i), p),
        }))
    }

    fn state(&self, cx: &mut Cx<'_>, r: &Resource, v: &S<Scalar>) -> Option<RuleValue> {
        let value = state_value(cx, v)?;
        let known = r
            .initial
            .iter()
            .chain(r.transitions.iter().flat_map(|t| [&t.from, &t.to]))
            .next();
        let fits = r.state.is_some() && known.is_none_or(|k| same_kind(k, &value));
        if !fits {
            let loc = cx.loc(v);
            bad(
                cx,
                loc,
                format!("resource `{}` has no state of this kind", r.kind),
                "give the resource a `state:` attribute, and states of one kind (strings or integers)",
            );
            return None;
        }
        Some(value)
    }
}

fn json_path<'a>(
    cx: &mut Cx<'_>,
    s: &S<String>,
    scope: &ActionScope<'a>,
    lookup: &Lookup<'a>,
) -> Option<String> {
    out_path(cx, s, scope.response, lookup, false, Code::BadEmulator).map(|p| p.json_text())
}

fn pair(cx: &mut Cx<'_>, m: &MatchSpec, scope: &ActionScope<'_>) -> Option<(String, String)> {
    scope.field(cx, &m.field)?;
    Some((m.field.value.clone(), m.attribute.value.clone()))
}

fn list<'a>(
    cx: &mut Cx<'_>,
    l: &crate::spec::ListSpec,
    scope: &ActionScope<'a>,
    lookup: &Lookup<'a>,
) -> Option<ListOp> {
    let kind = scope.kind(cx, &l.kind)?;
    let items = match (&l.items, scope.paginate) {
        (Some(i), _) => json_path(cx, i, scope, lookup)?,
        (None, Some(p)) => p.items.json_text(),
        (None, None) => {
            let loc = cx.loc(&l.kind);
            bad(
                cx,
                loc,
                "`list` needs `items`".into(),
                "name the output list, or give the action a `paginate:` whose `items` it uses",
            );
            return None;
        }
    };
    let matches: Option<Vec<(String, String)>> =
        l.match_.iter().map(|m| pair(cx, m, scope)).collect();
    let filters = match &l.filters {
        Some(f) => {
            let field = scope.field(cx, &f.field)?;
            if !matches!(field.ty, Ty::Array(..)) {
                let loc = cx.loc(&f.field);
                bad(
                    cx,
                    loc,
                    format!("`{}` is not a list of filters", f.field.value),
                    "`filters.field` names the request list of `{Name, Values}` objects",
                );
                return None;
            }
            Some(FilterOp {
                field: f.field.value.clone(),
                names: f
                    .names
                    .iter()
                    .map(|n| (n.name.value.clone(), n.attribute.value.clone()))
                    .collect(),
            })
        }
        None => None,
    };
    let after = match &l.after {
        Some(m) => Some(pair(cx, m, scope)?),
        None => None,
    };
    let before = match &l.before {
        Some(m) => Some(pair(cx, m, scope)?),
        None => None,
    };
    Some(ListOp {
        kind: kind.kind.clone(),
        items,
        matches: matches?,
        filters,
        after,
        before,
    })
}
