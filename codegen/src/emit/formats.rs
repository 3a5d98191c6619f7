//! Wire formats: which runtime marker (`Rfc3339`, `Comma<Plain>`, `JsonList<EpochMillis>`)
//! a field is written and read with, when its type's own conversions do not say.

use proc_macro2::TokenStream;
use quote::quote;

use super::Scope;
use crate::ir::{Style, Ty};
use crate::naming::Ident;

/// The format of a value of `ty` written as a whole with `style` (a scalar, a comma-joined
/// list, a JSON list of formatted items); `None` when the type's own conversions serve.
pub(super) fn value(s: &Scope<'_>, ty: &Ty, style: Style) -> Option<TokenStream> {
    let rt = &s.rt;
    match ty {
        Ty::Timestamp(f) => {
            let m = Ident::internal(f.marker()).tokens();
            Some(quote!(#rt::#m))
        }
        Ty::Array(item, _) => {
            let inner = value(s, item, Style::Json);
            match style {
                Style::Comma => {
                    let i = inner.unwrap_or_else(|| quote!(#rt::Plain));
                    Some(quote!(#rt::Comma<#i>))
                }
                _ => inner.map(|i| quote!(#rt::JsonList<#i>)),
            }
        }
        _ => None,
    }
}

/// The format of each item of an indexed list (`Name.1=..`), `None` for the items' own.
pub(super) fn item(s: &Scope<'_>, ty: &Ty) -> Option<TokenStream> {
    match ty {
        Ty::Array(item, _) => value(s, item, Style::Json),
        _ => None,
    }
}
