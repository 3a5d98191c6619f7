//! `waiters:` of an action. The states and errors are resolved with the action; `from:`
//! (another action's output) once every action of the service is resolved.

use super::Cx;
use super::paths::{Lookup, out_path};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::ir::{
    Action, FromSource, NamedType, Service, Ty, TypeRef, WaitResult, Waiter, WaiterFrom,
};
use crate::naming;
use crate::source::FileId;
use crate::spec::{S, Scalar, WaiterFromSpec, WaiterSpec};

const DEFAULT_INTERVAL: i64 = 5;
const DEFAULT_TIMEOUT: i64 = 300;

/// The kind of a state value: what `success:`/`failure:`/`retry:` entries must be.
enum StateKind<'t> {
    Str(Option<&'t [crate::ir::EnumValue]>),
    Int(Option<&'t [crate::ir::EnumValue]>),
}

fn state_kind<'t>(ty: &Ty, lookup: &Lookup<'t>) -> Option<StateKind<'t>> {
    match ty {
        Ty::String => Some(StateKind::Str(None)),
        Ty::Int32 | Ty::Int64 => Some(StateKind::Int(None)),
        Ty::Named(r) => match lookup(*r)? {
            NamedType::StrEnum(e) => Some(StateKind::Str(Some(&e.values))),
            NamedType::IntEnum(e) => Some(StateKind::Int(Some(&e.values))),
            NamedType::Object(_) => None,
        },
        _ => None,
    }
}

/// The wire text of a state value, checked against the state's kind (`state` is the path,
/// for messages).
fn state_value(
    cx: &mut Cx<'_>,
    kind: &StateKind<'_>,
    state: &str,
    v: &S<Scalar>,
) -> Option<String> {
    let loc = cx.loc(v);
    let (text, values) = match (kind, &v.value) {
        (StateKind::Str(values), Scalar::Str(s)) => (s.clone(), values),
        (StateKind::Int(values), Scalar::Int(i)) => (i.to_string(), values),
        (kind, given) => {
            let (text, given) = match given {
                Scalar::Str(s) => (s.clone(), "a string"),
                Scalar::Int(i) => (i.to_string(), "an integer"),
                Scalar::Bool(b) => (b.to_string(), "a boolean"),
            };
            let (holds, help) = match kind {
                StateKind::Str(_) => (
                    "strings",
                    "write the state as the service sends it; quote a number to make it a string",
                ),
                StateKind::Int(_) => (
                    "integers",
                    "write the wire values of an integer state, for example `success: [2]`, not variant names",
                ),
            };
            cx.error(
                Code::BadWaiter,
                loc,
                format!("state value `{text}` is {given}, but `{state}` holds {holds}"),
                help,
            );
            return None;
        }
    };
    let listed = values.is_none_or(|vs| vs.iter().any(|x| x.wire == text));
    if !listed {
        let known: Vec<&str> = values
            .unwrap_or(&[])
            .iter()
            .map(|x| x.wire.as_str())
            .collect();
        cx.error(
            Code::BadWaiter,
            loc,
            format!("`{text}` is not a value of `{state}`"),
            &format!("the values the response field lists: {}", known.join(", ")),
        );
        return None;
    }
    Some(text)
}

fn seconds(cx: &mut Cx<'_>, s: Option<&S<i64>>, default: i64, key: &str) -> Option<u32> {
    let Some(s) = s else {
        return u32::try_from(default).ok();
    };
    match u32::try_from(s.value).ok().filter(|v| *v > 0) {
        Some(v) => Some(v),
        None => {
            let loc = cx.loc(s);
            cx.error(
                Code::BadWaiter,
                loc,
                format!(
                    "`{key}` must be a positive number of seconds (got {})",
                    s.value
                ),
                "write whole seconds, for example `interval: 5`",
            );
            None
        }
    }
}

/// Resolves the waiters of an action (without `from:`).
pub(crate) fn resolve_waiters<'a>(
    cx: &mut Cx<'_>,
    specs: &[WaiterSpec],
    response: &'a [crate::ir::Field],
    lookup: &Lookup<'a>,
) -> Vec<Waiter> {
    let mut out: Vec<Waiter> = Vec::new();
    let mut locs = Vec::new();
    for spec in specs {
        let nloc = cx.loc(&spec.name);
        let name =
            naming::explicit(&spec.name.value).filter(|_| naming::is_upper_camel(&spec.name.value));
        let snake = naming::snake(&spec.name.value);
        let (Some(name), Some(snake)) = (name, snake) else {
            cx.error(
                Code::InvalidName,
                nloc,
                format!("waiter name `{}` is not UpperCamelCase", spec.name.value),
                "name the state waited for, for example `DiskBackupNormal`",
            );
            continue;
        };
        let Some(state) = out_path(cx, &spec.state, response, lookup, true, Code::BadWaiter) else {
            continue;
        };
        let Some(kind) = state_kind(state.leaf(), lookup) else {
            let loc = cx.loc(&spec.state);
            cx.error(
                Code::BadWaiter,
                loc,
                format!(
                    "`{}` must end on a string, an integer or an enumeration",
                    spec.state.value
                ),
                "point `state:` at the response field holding the state",
            );
            continue;
        };
        let values = |cx: &mut Cx<'_>, list: &[S<Scalar>]| -> Option<Vec<String>> {
            let all: Vec<Option<String>> = list
                .iter()
                .map(|v| state_value(cx, &kind, &spec.state.value, v))
                .collect();
            all.into_iter().collect()
        };
        let (Some(success), Some(failure)) = (values(cx, &spec.success), values(cx, &spec.failure))
        else {
            continue;
        };
        let retry = match &spec.retry {
            Some(r) => match values(cx, r) {
                Some(v) => Some(v),
                None => continue,
            },
            None => None,
        };
        if success.is_empty() {
            cx.error(
                Code::BadWaiter,
                nloc,
                format!("waiter `{name}` has no success state"),
                "list the states that end the wait successfully under `success:`",
            );
            continue;
        }
        let mut errors = Vec::new();
        for e in &spec.errors {
            let code = match &e.code.value {
                Scalar::Str(s) if !s.is_empty() => s.clone(),
                Scalar::Int(i) => i.to_string(),
                _ => {
                    let loc = cx.loc(&e.code);
                    cx.error(
                        Code::BadValue,
                        loc,
                        "empty error code",
                        "write the code as the service sends it",
                    );
                    continue;
                }
            };
            let result = match e.result.value.as_str() {
                "success" => WaitResult::Success,
                "failure" => WaitResult::Failure,
                "retry" => WaitResult::Retry,
                other => {
                    let loc = cx.loc(&e.result);
                    cx.error(
                        Code::BadValue,
                        loc,
                        format!("unknown waiter result `{other}`"),
                        "use `success`, `failure` or `retry`",
                    );
                    continue;
                }
            };
            errors.push((code, result));
        }
        let interval = seconds(cx, spec.interval.as_ref(), DEFAULT_INTERVAL, "interval");
        let timeout = seconds(cx, spec.timeout.as_ref(), DEFAULT_TIMEOUT, "timeout");
        let (Some(interval), Some(timeout)) = (interval, timeout) else {
            continue;
        };
        if timeout < interval {
            let loc = spec.timeout.as_ref().map_or(nloc, |t| cx.loc(t));
            cx.error(
                Code::BadWaiter,
                loc,
                format!("`timeout` ({timeout} s) is shorter than `interval` ({interval} s)"),
                "the waiter must be able to poll at least twice",
            );
            continue;
        }
        if let Some(i) = out.iter().position(|w| w.snake == snake) {
            cx.diags.push(
                Diagnostic::new(
                    Code::NameCollision,
                    nloc,
                    format!("waiter `{}` is declared twice", out[i].name),
                )
                .related(locs[i], "first declared here")
                .help("give each waiter of the action its own name"),
            );
            continue;
        }
        locs.push(nloc);
        out.push(Waiter {
            name,
            snake,
            doc: spec.doc.as_ref().map(|d| d.value.clone()),
            state,
            success,
            failure,
            retry,
            errors,
            interval,
            timeout,
            from: None,
        });
    }
    out
}

/// Resolves the `from:` of every waiter of a service, and checks that waiter names are unique
/// in the service (they are methods of its client). `specs` gives each action's waiter specs.
pub(crate) fn resolve_from(
    service: &mut Service,
    specs: &[(FileId, &[WaiterSpec])],
    diags: &mut Diagnostics,
) {
    let mut resolved: Vec<(usize, usize, WaiterFrom)> = Vec::new();
    let mut names: Vec<(String, crate::source::Loc)> = Vec::new();
    for (ai, action) in service.actions.iter().enumerate() {
        let Some((file, wspecs)) = specs.get(ai) else {
            continue;
        };
        let mut cx = Cx { file: *file, diags };
        for (wi, waiter) in action.waiters.iter().enumerate() {
            let Some(spec) = wspecs.iter().find(|s| s.name.value == waiter.name.as_str()) else {
                continue;
            };
            let nloc = cx.loc(&spec.name);
            if let Some((_, first)) = names.iter().find(|(n, _)| *n == waiter.snake.as_str()) {
                cx.diags.push(
                    Diagnostic::new(
                        Code::NameCollision,
                        nloc,
                        format!("waiter `{}` is declared twice in the service", waiter.name),
                    )
                    .related(*first, "first declared here")
                    .help("waiters are methods of the service's client: give each its own name"),
                );
            }
            names.push((waiter.snake.as_str().to_owned(), nloc));
            if let Some(from) = &spec.from
                && let Some(f) = from_of(&mut cx, from, action, service)
            {
                resolved.push((ai, wi, f));
            }
        }
    }
    for (ai, wi, f) in resolved {
        service.actions[ai].waiters[wi].from = Some(f);
    }
}

fn from_of(
    cx: &mut Cx<'_>,
    spec: &WaiterFromSpec,
    polled: &Action,
    service: &Service,
) -> Option<WaiterFrom> {
    let aloc = cx.loc(&spec.action);
    let Some(other) = service
        .actions
        .iter()
        .find(|a| a.name.as_str() == spec.action.value)
    else {
        let known: Vec<&str> = service.actions.iter().map(|a| a.name.as_str()).collect();
        cx.error(
            Code::BadWaiter,
            aloc,
            format!(
                "`from: {}` is not an action of the service",
                spec.action.value
            ),
            &format!("actions of the service: {}", known.join(", ")),
        );
        return None;
    };
    let lookup = |r: TypeRef| match r {
        TypeRef::Action(i) => other.types.get(i),
        TypeRef::Service(i) => service.types.get(i),
    };
    let mut fields = Vec::new();
    let mut ok = true;
    for f in &spec.fields {
        let iloc = cx.loc(&f.input);
        let Some(ii) = polled.request.iter().position(|r| r.wire == f.input.value) else {
            cx.error(
                Code::BadWaiter,
                iloc,
                format!(
                    "`{}` is not a request field of `{}`",
                    f.input.value, polled.name
                ),
                "`input:` names a request field of the polled action",
            );
            ok = false;
            continue;
        };
        let (source, leaf, sloc) = match (&f.output, &f.request) {
            (Some(o), None) => {
                let Some(path) = out_path(cx, o, &other.response, &lookup, false, Code::BadWaiter)
                else {
                    ok = false;
                    continue;
                };
                let leaf = path.leaf().clone();
                (FromSource::Output(path), leaf, cx.loc(o))
            }
            (None, Some(r)) => {
                let Some(ri) = other.request.iter().position(|x| x.wire == r.value) else {
                    let rloc = cx.loc(r);
                    cx.error(
                        Code::BadWaiter,
                        rloc,
                        format!("`{}` is not a request field of `{}`", r.value, other.name),
                        "`request:` names a request field of the `from` action",
                    );
                    ok = false;
                    continue;
                };
                let leaf = other.request[ri].ty.clone();
                (FromSource::Request(ri), leaf, cx.loc(r))
            }
            _ => {
                cx.error(
                    Code::BadWaiter,
                    iloc,
                    format!(
                        "`{}` needs exactly one of `output:` and `request:`",
                        f.input.value
                    ),
                    "take the value from the `from` action's output, or from its request",
                );
                ok = false;
                continue;
            }
        };
        let input_ty = &polled.request[ii].ty;
        let fits = leaf == *input_ty || matches!(input_ty, Ty::Array(item, _) if **item == leaf);
        let scalar = !matches!(leaf, Ty::Array(..))
            && !matches!(&leaf, Ty::Named(r) if matches!(lookup(*r), Some(NamedType::Object(_))));
        if !fits || !scalar {
            cx.error(
                Code::BadWaiter,
                sloc,
                format!(
                    "the value for `{}` of `{}` does not fit it",
                    f.input.value, polled.name
                ),
                "map a scalar to a request field of the same type, or to a list of that type",
            );
            ok = false;
            continue;
        }
        fields.push((ii, source));
    }
    let missing: Vec<&str> = polled
        .request
        .iter()
        .enumerate()
        .filter(|(i, f)| f.required && f.generated.is_none() && !fields.iter().any(|(j, _)| j == i))
        .map(|(_, f)| f.wire.as_str())
        .collect();
    if ok && !missing.is_empty() {
        cx.error(
            Code::BadWaiter,
            aloc,
            format!(
                "`from: {}` leaves required fields of `{}` unset: {}",
                other.name,
                polled.name,
                missing.join(", ")
            ),
            "map every required request field of the polled action under `fields:`",
        );
        return None;
    }
    ok.then(|| WaiterFrom {
        action: other.name.clone(),
        action_snake: other.snake.clone(),
        fields,
    })
}
