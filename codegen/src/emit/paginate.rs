//! `impl Paginated for <Action>Input` and the registry's paging description, for actions
//! with a `paginate:` in their spec.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{Emit, paths, rust_ty};
use crate::ir::{Field, OutPath, PageStyle, Paginate, RuleValue, Ty};

fn style_tokens(rt: &TokenStream, style: PageStyle) -> TokenStream {
    match style {
        PageStyle::PageNumber { first } => {
            let first = Literal::i64_unsuffixed(first);
            quote!(#rt::PageStyle::PageNumber { first: #first })
        }
        PageStyle::Offset => quote!(#rt::PageStyle::Offset),
        PageStyle::Marker => quote!(#rt::PageStyle::Marker),
    }
}

/// `Option<i64>` of an integer (or integer enumeration) request field.
fn int_of(rt: &TokenStream, f: &Field) -> TokenStream {
    let n = f.rust.tokens();
    match (f.required, &f.ty) {
        (true, Ty::Named(_)) => quote!(#rt::Some(self.#n.value())),
        (false, Ty::Named(_)) => quote!(self.#n.map(|v| v.value())),
        (true, Ty::Int32) => quote!(#rt::Some(i64::from(self.#n))),
        (true, _) => quote!(#rt::Some(self.#n)),
        (false, Ty::Int32) => quote!(self.#n.map(i64::from)),
        (false, _) => quote!(self.#n),
    }
}

/// `Option<i64>` of an integer output path.
fn total_of(out: &TokenStream, path: &OutPath) -> TokenStream {
    let b = paths::borrow(out, path);
    if *path.leaf() == Ty::Int32 {
        quote!(#b.map(|v| i64::from(*v)))
    } else {
        quote!(#b.copied())
    }
}

/// `cursor()` and `set_cursor()` bodies.
fn cursor(rt: &TokenStream, p: &Paginate, f: &Field) -> (TokenStream, TokenStream) {
    let n = f.rust.tokens();
    if p.style == PageStyle::Marker {
        let get = if f.required {
            quote!(#rt::Some(#rt::Cursor::Marker(#rt::Clone::clone(&self.#n))))
        } else {
            quote!(#rt::Clone::clone(&self.#n).map(#rt::Cursor::Marker))
        };
        let value = if f.required {
            quote!(m)
        } else {
            quote!(#rt::Some(m))
        };
        let set = quote! {
            if let #rt::Cursor::Marker(m) = cursor {
                self.#n = #value;
            }
        };
        return (get, set);
    }
    let get = match (f.required, &f.ty) {
        (true, Ty::Int32) => quote!(#rt::Some(#rt::Cursor::Position(i64::from(self.#n)))),
        (true, _) => quote!(#rt::Some(#rt::Cursor::Position(self.#n))),
        (false, Ty::Int32) => quote!(self.#n.map(|v| #rt::Cursor::Position(i64::from(v)))),
        (false, _) => quote!(self.#n.map(#rt::Cursor::Position)),
    };
    let narrow = if f.ty == Ty::Int32 {
        quote!(i32::try_from(p).unwrap_or(i32::MAX))
    } else {
        quote!(p)
    };
    let value = if f.required {
        narrow
    } else {
        quote!(#rt::Some(#narrow))
    };
    let set = quote! {
        if let #rt::Cursor::Position(p) = cursor {
            self.#n = #value;
        }
    };
    (get, set)
}

/// The `Paginated` impl.
pub(super) fn paginated(e: &Emit<'_>) -> TokenStream {
    let Some(p) = &e.action.paginate else {
        return quote!();
    };
    let rt = &e.rt;
    let a = e.action;
    let input = e.ty_name("Input");
    let output = e.ty_name("Output");
    let Ty::Array(item, _) = p.items.leaf() else {
        unreachable!("invariant: paginate.items ends on a list (checked by resolve)")
    };
    let item = rust_ty(e, item);
    let style = style_tokens(rt, p.style);
    let (get, set) = cursor(rt, p, &a.request[p.page]);
    let size = match p.size {
        Some(i) => {
            let f = &a.request[i];
            let value = int_of(rt, f);
            match &f.default {
                Some(RuleValue::Int(d)) => {
                    let d = Literal::i64_unsuffixed(*d);
                    quote!(#value.or(#rt::Some(#d)))
                }
                _ => value,
            }
        }
        None => quote!(#rt::None),
    };
    let out = quote!(output);
    let items = paths::borrow(&out, &p.items);
    let total = match &p.total {
        Some(t) => total_of(&out, t),
        None => quote!(#rt::None),
    };
    let total_pages = match &p.total_pages {
        Some(t) => total_of(&out, t),
        None => quote!(#rt::None),
    };
    let next = match &p.next {
        Some(n) => {
            let b = paths::borrow(&out, n);
            quote!(#b.cloned())
        }
        None => quote!(#rt::None),
    };
    let take = paths::take(&out, &p.items);
    quote! {
        impl #rt::Paginated for #input {
            type Item = #item;
            const STYLE: #rt::PageStyle = #style;

            fn cursor(&self) -> #rt::Option<#rt::Cursor> {
                #get
            }

            fn set_cursor(&mut self, cursor: #rt::Cursor) {
                #set
            }

            fn page_size(&self) -> #rt::Option<i64> {
                #size
            }

            fn page_info(output: &#output) -> #rt::PageInfo {
                #rt::PageInfo {
                    items: #items.map_or(0, #rt::Vec::len),
                    total: #total,
                    total_pages: #total_pages,
                    next_marker: #next,
                }
            }

            fn into_items(output: #output) -> #rt::Vec<#item> {
                #take.unwrap_or_default()
            }
        }
    }
}

/// The registry's `paginate` field of `ENTRY`.
pub(super) fn entry(e: &Emit<'_>) -> TokenStream {
    let rt = &e.rt;
    let Some(p) = &e.action.paginate else {
        return quote!(#rt::None);
    };
    let a = e.action;
    let input = e.ty_name("Input");
    let style = style_tokens(rt, p.style);
    let page = a.request[p.page].wire.as_str();
    let opt = |v: Option<String>| match v {
        Some(s) => quote!(#rt::Some(#s)),
        None => quote!(#rt::None),
    };
    let size = opt(p.size.map(|i| a.request[i].wire.clone()));
    let default_size = match p.size.and_then(|i| a.request[i].default.as_ref()) {
        Some(RuleValue::Int(d)) => {
            let d = Literal::i64_unsuffixed(*d);
            quote!(#rt::Some(#d))
        }
        _ => quote!(#rt::None),
    };
    let items = p.items.json_text();
    let total = opt(p.total.as_ref().map(|t| t.json_text()));
    let total_pages = opt(p.total_pages.as_ref().map(|t| t.json_text()));
    let next = opt(p.next.as_ref().map(|t| t.json_text()));
    quote! {
        #rt::Some(#rt::PaginateEntry {
            style: #style,
            page: #page,
            size: #size,
            default_size: #default_size,
            items: #items,
            total: #total,
            total_pages: #total_pages,
            next: #next,
            collect: #rt::collect_dyn::<#input>,
        })
    }
}
