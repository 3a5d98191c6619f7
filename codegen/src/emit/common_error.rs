//! `crate::<provider>::<Family>CommonError`: the family's common errors, generated once per
//! provider and wrapped by every action's error (`Common`), with the one registry table of them.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc;
use super::error::{arms, variant_doc};
use super::registry::error_infos;
use crate::ir::{CommonErrors, Provider};
use crate::naming::Ident;

/// The enum, its impls and its `ERRORS` table, compiled when a service of the family is.
pub(super) fn common_error(p: &Provider, c: &CommonErrors, rt: &TokenStream) -> TokenStream {
    let name = Ident::internal(c.family.common_error_name()).tokens();
    let features: Vec<String> = p
        .services
        .iter()
        .filter(|s| s.family == c.family)
        .map(|s| crate::ir::feature_name(p.id.as_str(), s.id.as_str()))
        .collect();
    let cfg = match features.as_slice() {
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    };
    let variants: Vec<_> = c.errors.iter().map(|d| d.variant.tokens()).collect();
    let docs = c.errors.iter().map(variant_doc);
    let arms = arms(c.errors.iter(), |v| quote!(#rt::Ok(#v)));
    let retryable: Vec<_> = c
        .errors
        .iter()
        .filter(|d| d.retryable)
        .map(|d| d.variant.tokens())
        .collect();
    let is_retryable = if retryable.is_empty() {
        quote!(false)
    } else {
        quote!(matches!(self, #(Self::#retryable(_))|*))
    };
    let infos = error_infos(rt, c.errors.iter());
    let summary = doc(&format!(
        "The errors common to every action of the `{}` API family of {}: the `Common` variant of \
         each action's error.",
        c.family.id(),
        p.name
    ));
    quote! {
        #summary
        #cfg
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum #name {
            #( #docs #variants(#rt::ErrorMeta), )*
        }

        #cfg
        impl #name {
            /// Every code of this enum, for the registry (emulator fault injection, CLI, docs).
            pub const ERRORS: &'static [#rt::ErrorInfo] = #infos;

            /// Maps a service error to its variant by code; gives it back when the code is not
            /// common to the family.
            pub fn from_meta(
                meta: #rt::ErrorMeta,
            ) -> #rt::Result<Self, #rt::ErrorMeta> {
                match meta.code.as_str() {
                    #(#arms)*
                    _ => #rt::Err(meta),
                }
            }

            /// Code, message, request id and HTTP status.
            pub fn meta(&self) -> &#rt::ErrorMeta {
                match self {
                    #( Self::#variants(meta) )|* => meta,
                }
            }

            /// The code as the service sent it.
            pub fn code(&self) -> &str {
                &self.meta().code
            }

            /// The service's message.
            pub fn message(&self) -> &str {
                &self.meta().message
            }

            /// The request id, when the service sent one.
            pub fn request_id(&self) -> #rt::Option<&str> {
                self.meta().request_id.as_deref()
            }

            /// Whether the spec says trying again later can succeed.
            pub fn is_retryable(&self) -> bool {
                #is_retryable
            }
        }

        #cfg
        impl #rt::fmt::Display for #name {
            fn fmt(&self, f: &mut #rt::fmt::Formatter<'_>) -> #rt::fmt::Result {
                #rt::fmt::Display::fmt(self.meta(), f)
            }
        }

        #cfg
        impl ::std::error::Error for #name {}
    }
}
