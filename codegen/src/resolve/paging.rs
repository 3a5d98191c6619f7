//! `paginate:` of a list action.

use super::Cx;
use super::paths::{Lookup, out_path};
use crate::diagnostics::Code;
use crate::ir::{Field, OutPath, PageStyle, Paginate, Ty};
use crate::spec::{PaginateSpec, S};

fn request_field(
    cx: &mut Cx<'_>,
    name: &S<String>,
    request: &[Field],
    role: &str,
    want: fn(&Ty) -> bool,
    want_text: &str,
) -> Option<usize> {
    let loc = cx.loc(name);
    let Some(i) = request.iter().position(|f| f.wire == name.value) else {
        let known: Vec<&str> = request.iter().map(|f| f.wire.as_str()).collect();
        cx.error(
            Code::BadPaginate,
            loc,
            format!("`{}` ({role}) is not a request field", name.value),
            &format!("request fields are: {}", known.join(", ")),
        );
        return None;
    };
    if !want(&request[i].ty) {
        cx.error(
            Code::BadPaginate,
            loc,
            format!("`{}` ({role}) must be {want_text}", name.value),
            "point `paginate:` at the request field the page lists for it",
        );
        return None;
    }
    Some(i)
}

fn is_int(t: &Ty) -> bool {
    matches!(t, Ty::Int32 | Ty::Int64)
}

fn is_string(t: &Ty) -> bool {
    *t == Ty::String
}

/// An output path whose value must satisfy `want`.
fn out<'a>(
    cx: &mut Cx<'_>,
    s: &S<String>,
    response: &'a [Field],
    lookup: &Lookup<'a>,
    want: fn(&OutPath) -> bool,
    want_text: &str,
) -> Option<OutPath> {
    let p = out_path(cx, s, response, lookup, false, Code::BadPaginate)?;
    if !want(&p) {
        let loc = cx.loc(s);
        cx.error(
            Code::BadPaginate,
            loc,
            format!("`{}` must name {want_text}", s.value),
            "check the response field's `type:`",
        );
        return None;
    }
    Some(p)
}

/// Resolves `paginate:`.
pub(crate) fn resolve_paginate<'a>(
    cx: &mut Cx<'_>,
    spec: &PaginateSpec,
    request: &[Field],
    response: &'a [Field],
    lookup: &Lookup<'a>,
) -> Option<Paginate> {
    let style_loc = cx.loc(&spec.style);
    let style = match spec.style.value.as_str() {
        "page-number" => {
            let first = spec.first_page.as_ref().map_or(1, |f| f.value);
            if first != 0 && first != 1 {
                let loc = spec.first_page.as_ref().map_or(style_loc, |f| cx.loc(f));
                cx.error(
                    Code::BadPaginate,
                    loc,
                    format!("`first_page` is {first}"),
                    "pages are numbered from 0 or from 1",
                );
            }
            PageStyle::PageNumber { first }
        }
        "offset" => PageStyle::Offset,
        "marker" => PageStyle::Marker,
        other => {
            cx.error(
                Code::BadValue,
                style_loc,
                format!("unknown paging style `{other}`"),
                "use `page-number`, `offset` or `marker`",
            );
            return None;
        }
    };
    let misplaced = [
        (
            "first_page",
            spec.first_page.as_ref().map(|f| cx.loc(f)),
            matches!(style, PageStyle::PageNumber { .. }),
        ),
        (
            "total_pages",
            spec.total_pages.as_ref().map(|f| cx.loc(f)),
            matches!(style, PageStyle::PageNumber { .. }),
        ),
        (
            "next",
            spec.next.as_ref().map(|f| cx.loc(f)),
            style == PageStyle::Marker,
        ),
    ];
    for (key, given, allowed) in misplaced {
        if let (Some(loc), false) = (given, allowed) {
            cx.error(
                Code::BadPaginate,
                loc,
                format!("`{key}` does not apply to `style: {}`", spec.style.value),
                "`first_page` and `total_pages` are for `page-number`, `next` for `marker`",
            );
        }
    }
    let (role, want, want_text): (&str, fn(&Ty) -> bool, &str) = match style {
        PageStyle::PageNumber { .. } => ("the page number", is_int, "an integer"),
        PageStyle::Offset => ("the offset", is_int, "an integer"),
        PageStyle::Marker => ("the marker", is_string, "a string"),
    };
    let page = request_field(cx, &spec.page, request, role, want, want_text);
    let size = match &spec.size {
        Some(s) => {
            let i = request.iter().position(|f| f.wire == s.value);
            let int_enum = i.is_some_and(|i| {
                matches!(&request[i].ty, Ty::Named(r) if matches!(lookup(*r), Some(crate::ir::NamedType::IntEnum(_))))
            });
            if int_enum {
                i
            } else {
                Some(request_field(
                    cx,
                    s,
                    request,
                    "the page size",
                    is_int,
                    "an integer or an integer enumeration",
                )?)
            }
        }
        None => None,
    };
    let items = out(
        cx,
        &spec.items,
        response,
        lookup,
        |p| matches!(p.leaf(), Ty::Array(..)),
        "a list",
    );
    let int_leaf = |p: &OutPath| is_int(p.leaf());
    let total = match &spec.total {
        Some(t) => Some(out(cx, t, response, lookup, int_leaf, "an integer")?),
        None => None,
    };
    let total_pages = match &spec.total_pages {
        Some(t) => Some(out(cx, t, response, lookup, int_leaf, "an integer")?),
        None => None,
    };
    let next = match &spec.next {
        Some(n) => Some(out(
            cx,
            n,
            response,
            lookup,
            |p| is_string(p.leaf()),
            "a string",
        )?),
        None => None,
    };
    if style == PageStyle::Marker && next.is_none() {
        cx.error(
            Code::BadPaginate,
            style_loc,
            "`style: marker` needs `next:`",
            "name the response field that holds the next page's marker",
        );
        return None;
    }
    Some(Paginate {
        style,
        page: page?,
        size,
        items: items?,
        total,
        total_pages,
        next,
    })
}
