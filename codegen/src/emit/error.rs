//! `<Action>Error`: one variant per documented code (the action's, the service's and the
//! family's common ones) plus `Unhandled`, each carrying code, message and request id.

use proc_macro2::TokenStream;
use quote::quote;

use super::Emit;
use super::docs::doc;
use crate::ir::ErrorOrigin;

/// The error enum and its impls.
pub(super) fn error(e: &Emit<'_>) -> TokenStream {
    let rt = &e.rt;
    let a = e.action;
    let name = e.ty_name("Error");
    let variants: Vec<_> = a.errors.iter().map(|d| d.variant.tokens()).collect();
    let docs = a.errors.iter().map(|d| {
        let origin = match d.origin {
            ErrorOrigin::Action => "",
            ErrorOrigin::Service => " (common to the service)",
            ErrorOrigin::Common => " (common to the API family)",
        };
        let mut text = format!("Code `{}`{origin}", d.code);
        if !d.aliases.is_empty() {
            let aliases: Vec<String> = d.aliases.iter().map(|a| format!("`{a}`")).collect();
            text.push_str(&format!(", also sent as {}", aliases.join(", ")));
        }
        text.push_str(": ");
        text.push_str(d.doc.as_deref().unwrap_or("undocumented."));
        if let Some(s) = d.status {
            text.push_str(&format!("\n\nHTTP status {s}."));
        }
        text.push_str(if d.retryable {
            "\n\nRetryable: trying again later can succeed."
        } else {
            "\n\nNot retryable."
        });
        doc(&text)
    });
    let arms = a.errors.iter().map(|d| {
        let v = d.variant.tokens();
        let codes = std::iter::once(d.code.as_str()).chain(d.aliases.iter().map(String::as_str));
        quote! { #(#codes)|* => Self::#v(meta), }
    });
    let retryable: Vec<_> = a
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
    let summary = doc(&format!(
        "Error of `{}`: one variant per documented code, and `Unhandled` for any other.",
        a.name
    ));
    quote! {
        #summary
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum #name {
            #( #docs #variants(#rt::ErrorMeta), )*
            /// A code the spec does not list.
            Unhandled(#rt::ErrorMeta),
        }

        impl #name {
            /// Maps a service error to its variant by code.
            pub fn from_meta(meta: #rt::ErrorMeta) -> Self {
                match meta.code.as_str() {
                    #(#arms)*
                    _ => Self::Unhandled(meta),
                }
            }

            /// Code, message, request id and HTTP status.
            pub fn meta(&self) -> &#rt::ErrorMeta {
                match self {
                    #( Self::#variants(meta) )|* | Self::Unhandled(meta) => meta,
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
            pub fn request_id(&self) -> ::core::option::Option<&str> {
                self.meta().request_id.as_deref()
            }

            /// Whether the spec says trying again later can succeed.
            pub fn is_retryable(&self) -> bool {
                #is_retryable
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(self.meta(), f)
            }
        }

        impl ::std::error::Error for #name {}

        impl #rt::ServiceError for #name {
            fn meta(&self) -> &#rt::ErrorMeta {
                #name::meta(self)
            }

            fn is_retryable(&self) -> bool {
                #name::is_retryable(self)
            }
        }
    }
}
