//! Resolving errors: the action's own, the service's and the family's common ones, merged.
//!
//! Codes are unique per level (a duplicate is S0303). Across levels the most specific wins:
//! an action error shadows a service or common error with the same code. Variant names must be
//! unique in the merged list (S0302), `Unhandled` is reserved for unknown codes, and `Common`
//! for the variant wrapping the family's common errors.
//!
//! The common errors are resolved once per provider and family ([`common`]); each action merges
//! the resolved list.

use std::collections::BTreeMap;

use super::Cx;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::ir::{ErrorDef, ErrorOrigin};
use crate::naming::{self, Ident};
use crate::source::{FileId, Loc};
use crate::spec::{ErrorSpec, Scalar};

/// Errors shared by the actions of a service.
pub(crate) struct Shared<'a> {
    pub(crate) service: (FileId, &'a Vec<ErrorSpec>),
    /// The family's common errors, already resolved by [`common`].
    pub(crate) common: &'a [ErrorDef],
}

/// The common errors of a family, resolved once for the provider: codes unique (S0303) and
/// variant names unique (S0302).
pub(crate) fn common(file: FileId, specs: &[ErrorSpec], diags: &mut Diagnostics) -> Vec<ErrorDef> {
    let defs = level(file, specs, ErrorOrigin::Common, diags);
    let mut names: BTreeMap<Ident, (Loc, String)> = BTreeMap::new();
    let mut out = Vec::new();
    for def in defs {
        if let Some((first, code)) = names.get(&def.variant) {
            diags.push(variant_taken(&def, *first, code));
            continue;
        }
        names.insert(def.variant.clone(), (def.loc, def.code.clone()));
        out.push(def);
    }
    out
}

/// S0302: `def`'s variant name is already taken by the code `first_code` defined at `first`.
fn variant_taken(def: &ErrorDef, first: Loc, first_code: &str) -> Diagnostic {
    Diagnostic::new(
        Code::NameCollision,
        def.loc,
        format!(
            "error codes `{}` and `{first_code}` both become the variant `{}`",
            def.code, def.variant
        ),
    )
    .related(first, "first defined here")
    .help("set a distinct `name:` on one of them")
}

fn one(cx: &mut Cx<'_>, spec: &ErrorSpec, origin: ErrorOrigin) -> Option<ErrorDef> {
    let loc = cx.loc(&spec.code);
    let code = match &spec.code.value {
        Scalar::Int(i) => i.to_string(),
        Scalar::Str(s) if !s.is_empty() => s.clone(),
        _ => {
            cx.error(
                Code::BadValue,
                loc,
                "an error code is an integer or a non-empty string",
                "write the code as the vendor returns it, for example `50` or `InvalidDisk.Busy`",
            );
            return None;
        }
    };
    let variant: Option<Ident> = match (&spec.name, &spec.code.value) {
        (Some(n), _) => {
            let v = naming::explicit(&n.value).filter(|_| naming::is_upper_camel(&n.value));
            if v.is_none() {
                let nloc = cx.loc(n);
                cx.error(
                    Code::InvalidName,
                    nloc,
                    format!("error name `{}` is not an UpperCamelCase identifier", n.value),
                    "use the vendor's error message in UpperCamelCase, for example `InstanceNotFound`",
                );
            }
            v
        }
        (None, Scalar::Str(s)) => naming::upper_camel(s),
        (None, _) => {
            cx.error(
                Code::BadValue,
                loc,
                format!("integer error code `{code}` needs a `name:`"),
                "give the Rust variant name, usually the vendor's error message",
            );
            None
        }
    };
    Some(ErrorDef {
        code,
        aliases: spec.aliases.iter().map(|a| a.value.clone()).collect(),
        variant: variant?,
        doc: spec.doc.as_ref().map(|d| d.value.clone()),
        status: spec
            .status
            .as_ref()
            .and_then(|s| u16::try_from(s.value).ok()),
        retryable: spec.retryable.as_ref().is_some_and(|r| r.value),
        origin,
        loc,
    })
}

fn level(
    file: FileId,
    specs: &[ErrorSpec],
    origin: ErrorOrigin,
    diags: &mut Diagnostics,
) -> Vec<ErrorDef> {
    let mut cx = Cx { file, diags };
    let mut seen: BTreeMap<String, Loc> = BTreeMap::new();
    let mut out = Vec::new();
    for spec in specs {
        let Some(def) = one(&mut cx, spec, origin) else {
            continue;
        };
        let mut dup = false;
        for code in std::iter::once(&def.code).chain(&def.aliases) {
            if let Some(first) = seen.insert(code.clone(), def.loc) {
                cx.diags.push(
                    Diagnostic::new(
                        Code::DuplicateErrorCode,
                        def.loc,
                        format!("error code `{code}` is declared twice"),
                    )
                    .related(first, "first declared here")
                    .help("remove one of them, or merge their docs"),
                );
                dup = true;
            }
        }
        if !dup {
            out.push(def);
        }
    }
    out
}

/// Merges the action's errors with the shared ones and checks variant names.
pub(crate) fn resolve_errors(
    cx: &mut Cx<'_>,
    own: &[ErrorSpec],
    shared: &Shared<'_>,
) -> Vec<ErrorDef> {
    let mut merged = level(cx.file, own, ErrorOrigin::Action, cx.diags);
    let mut lower = level(
        shared.service.0,
        shared.service.1,
        ErrorOrigin::Service,
        cx.diags,
    );
    lower.extend(shared.common.iter().cloned());
    for def in lower {
        let shadowed = merged.iter().any(|m| {
            std::iter::once(&m.code)
                .chain(&m.aliases)
                .any(|c| *c == def.code || def.aliases.contains(c))
        });
        if !shadowed {
            merged.push(def);
        }
    }
    let mut names: BTreeMap<Ident, (Loc, String)> = BTreeMap::new();
    let mut out = Vec::new();
    for def in merged {
        if def.variant.as_str() == "Unhandled" {
            cx.diags.push(
                Diagnostic::new(
                    Code::NameCollision,
                    def.loc,
                    "error variant `Unhandled` is reserved for codes the spec does not list",
                )
                .help("give the error another `name:`"),
            );
            continue;
        }
        if def.variant.as_str() == "Common"
            && def.origin != ErrorOrigin::Common
            && !shared.common.is_empty()
        {
            cx.diags.push(
                Diagnostic::new(
                    Code::NameCollision,
                    def.loc,
                    "error variant `Common` is reserved for the API family's common errors",
                )
                .help("give the error another `name:`"),
            );
            continue;
        }
        if let Some((first, code)) = names.get(&def.variant) {
            cx.diags.push(variant_taken(&def, *first, code));
            continue;
        }
        names.insert(def.variant.clone(), (def.loc, def.code.clone()));
        out.push(def);
    }
    out
}
