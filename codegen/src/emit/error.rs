//! `<Action>Error`: one variant per documented code of the action and its service, `Common`
//! wrapping the provider's enum of the family's common errors (see `common_error`), and
//! `Unhandled`, each carrying code, message and request id.

use proc_macro2::TokenStream;
use quote::quote;

use super::Emit;
use super::docs::doc;
use crate::ir::{ErrorDef, ErrorOrigin};

/// The doc comment of one error variant.
pub(super) fn variant_doc(d: &ErrorDef) -> TokenStream {
    let origin = match d.origin {
        ErrorOrigin::Service => " (common to the service)",
        ErrorOrigin::Action | ErrorOrigin::Common => "",
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
}

/// `code | alias => Self::Variant(meta),` for each error, wrapped by `wrap`.
pub(super) fn arms<'a>(
    defs: impl Iterator<Item = &'a ErrorDef>,
    wrap: impl Fn(TokenStream) -> TokenStream,
) -> Vec<TokenStream> {
    defs.map(|d| {
        let v = d.variant.tokens();
        let codes = std::iter::once(d.code.as_str()).chain(d.aliases.iter().map(String::as_str));
        let value = wrap(quote!(Self::#v(meta)));
        quote! { #(#codes)|* => #value, }
    })
    .collect()
}

/// The error enum and its impls.
pub(super) fn error(e: &Emit<'_>) -> TokenStream {
    let rt = &e.rt;
    let a = e.action;
    let name = e.ty_name("Error");
    let own: Vec<&ErrorDef> = a
        .errors
        .iter()
        .filter(|d| d.origin != ErrorOrigin::Common)
        .collect();
    let variants: Vec<_> = own.iter().map(|d| d.variant.tokens()).collect();
    let docs = own.iter().map(|d| variant_doc(d));
    let arms = arms(own.iter().copied(), |v| v);
    let retryable: Vec<_> = own
        .iter()
        .filter(|d| d.retryable)
        .map(|d| d.variant.tokens())
        .collect();
    let own_retryable = (!retryable.is_empty()).then(|| quote!(#(Self::#retryable(_))|*));
    let (common_variant, common_fallback, common_meta, common_retryable) = match &e.common {
        Some(c) => {
            let common = &c.path;
            let text = doc(&format!(
                "A code common to every action of the API family: see [`{}`]({}).",
                c.name, c.doc_path
            ));
            (
                quote! { #text Common(#common), },
                quote! {
                    match #common::from_meta(meta) {
                        #rt::Ok(common) => Self::Common(common),
                        #rt::Err(meta) => Self::Unhandled(meta),
                    }
                },
                quote! { Self::Common(common) => common.meta(), },
                quote! { Self::Common(common) => common.is_retryable(), },
            )
        }
        None => (
            TokenStream::new(),
            quote!(Self::Unhandled(meta)),
            TokenStream::new(),
            TokenStream::new(),
        ),
    };
    let is_retryable = match (own_retryable, common_retryable.is_empty()) {
        (None, true) => quote!(false),
        (Some(own), true) => quote!(matches!(self, #own)),
        (own, false) => {
            let own = own.map(|own| quote!(#own => true,));
            quote! {
                match self {
                    #own
                    #common_retryable
                    _ => false,
                }
            }
        }
    };
    let from_meta = if arms.is_empty() {
        common_fallback
    } else {
        quote! {
            match meta.code.as_str() {
                #(#arms)*
                _ => #common_fallback,
            }
        }
    };
    let summary = doc(&format!(
        "Error of `{}`: one variant per documented code{}, and `Unhandled` for any other.",
        a.name,
        if e.common.is_some() {
            " of the action, `Common` for the API family's common codes"
        } else {
            ""
        }
    ));
    quote! {
        #summary
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum #name {
            #( #docs #variants(#rt::ErrorMeta), )*
            #common_variant
            /// A code the spec does not list.
            Unhandled(#rt::ErrorMeta),
        }

        impl #name {
            /// Maps a service error to its variant by code.
            pub fn from_meta(meta: #rt::ErrorMeta) -> Self {
                #from_meta
            }

            /// Code, message, request id and HTTP status.
            pub fn meta(&self) -> &#rt::ErrorMeta {
                match self {
                    #( Self::#variants(meta) )|* | Self::Unhandled(meta) => meta,
                    #common_meta
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

        impl #rt::fmt::Display for #name {
            fn fmt(&self, f: &mut #rt::fmt::Formatter<'_>) -> #rt::fmt::Result {
                #rt::fmt::Display::fmt(self.meta(), f)
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
