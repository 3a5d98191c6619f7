//! Output paths (`Items.BackupPlanDetail`, `DiskBackupSet[].DiskBackupState`): response fields
//! by wire name, then members of object types; `[]` continues into every item of a list.

use super::Cx;
use crate::diagnostics::Code;
use crate::ir::{Field, NamedType, OutPath, OutStep, Ty, TypeRef};
use crate::source::Loc;
use crate::spec::S;

/// Looks up a named type of the action or its service.
pub(crate) type Lookup<'a> = dyn Fn(TypeRef) -> Option<&'a NamedType> + 'a;

/// Resolves `path` against `fields` (an action's response). `allow_each` permits `[]`.
/// Problems are reported with `code` at the path.
pub(crate) fn out_path<'a>(
    cx: &mut Cx<'_>,
    path: &S<String>,
    fields: &'a [Field],
    lookup: &Lookup<'a>,
    allow_each: bool,
    code: Code,
) -> Option<OutPath> {
    let mut current: &'a [Field] = fields;
    let mut steps = Vec::new();
    let segments: Vec<&str> = path.value.split('.').collect();
    let mut offset = 0;
    for (i, seg) in segments.iter().enumerate() {
        // Problems of a segment point at it.
        let loc = Loc::inside(cx.file, path, offset);
        offset += seg.chars().count() + 1;
        let (name, each) = match seg.strip_suffix("[]") {
            Some(n) => (n, true),
            None => (*seg, false),
        };
        if name.is_empty() {
            cx.error(
                code,
                loc,
                format!("invalid output path `{}`", path.value),
                "write response field names separated by `.`, with `[]` after a list to go into its items",
            );
            return None;
        }
        let Some(f) = current.iter().find(|f| f.wire == name) else {
            let known: Vec<&str> = current.iter().map(|f| f.wire.as_str()).collect();
            let (what, list) = match i.checked_sub(1).map(|p| segments[p]) {
                None => ("a response field".to_owned(), "response fields".to_owned()),
                Some(parent) => (
                    format!("a member of `{parent}`"),
                    format!("members of `{parent}`"),
                ),
            };
            let what = if segments.len() == 1 {
                format!("`{name}` is not {what}")
            } else {
                format!("`{name}` in `{}` is not {what}", path.value)
            };
            cx.error(code, loc, what, &format!("{list}: {}", known.join(", ")));
            return None;
        };
        let mut ty = &f.ty;
        if each {
            if !allow_each {
                cx.error(
                    code,
                    loc,
                    format!("`[]` is not allowed in `{}`", path.value),
                    "this path names one value; `[]` is for waiter states over every item of a list",
                );
                return None;
            }
            let Ty::Array(item, _) = ty else {
                cx.error(
                    code,
                    loc,
                    format!("`{name}[]` in `{}`: `{name}` is not a list", path.value),
                    "use `[]` only after a list field",
                );
                return None;
            };
            ty = item;
        }
        steps.push(OutStep {
            wire: f.wire.clone(),
            json: f.path.clone(),
            rust: f.rust.clone(),
            optional: !f.required,
            ty: f.ty.clone(),
            each,
        });
        if i + 1 < segments.len() {
            let members = match ty {
                Ty::Named(r) => match lookup(*r) {
                    Some(NamedType::Object(o)) => Some(&o.fields[..]),
                    _ => None,
                },
                _ => None,
            };
            let Some(members) = members else {
                cx.error(
                    code,
                    loc,
                    format!(
                        "`{name}` in `{}` is not an object, so the path cannot go on",
                        path.value
                    ),
                    "after a list, write `[]` to go into its items",
                );
                return None;
            };
            current = members;
        }
    }
    Some(OutPath {
        steps,
        text: path.value.clone(),
    })
}

impl OutPath {
    /// The type the path ends on (the last field's type, unwrapped by a final `[]`).
    pub fn leaf(&self) -> &Ty {
        let last = self
            .steps
            .last()
            .expect("invariant: an output path has a step");
        match (&last.ty, last.each) {
            (Ty::Array(item, _), true) => item,
            (ty, _) => ty,
        }
    }

    /// Whether any step goes into every item of a list.
    pub fn has_each(&self) -> bool {
        self.steps.iter().any(|s| s.each)
    }
}
