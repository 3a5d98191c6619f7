//! `<Action>Output`: the typed success, read from the family's payload.

use proc_macro2::TokenStream;
use quote::quote;

use super::Emit;
use super::docs::doc;
use super::types::{field_decls, field_reads};

/// The output struct.
pub(super) fn output(e: &Emit<'_>) -> TokenStream {
    let a = e.action;
    let name = e.ty_name("Output");
    let decls = field_decls(e, &a.response, |_| false);
    let derives = e.derives(&a.response);
    let debug = e.debug_impl(&name, &a.response, |f| !f.required);
    let d = doc(&format!(
        "Successful response of `{}`.\n\nFields the service did not send are `None`; enumeration values the spec does not list decode as `Unknown`.",
        a.name
    ));
    quote! {
        #d
        #derives
        #[non_exhaustive]
        pub struct #name {
            #(#decls)*
        }

        #debug
    }
}

/// `ToJson` of the output: members by wire name (the CLI prints it).
pub(super) fn output_json(e: &Emit<'_>) -> TokenStream {
    super::types::json_impl(e, &e.ty_name("Output"), &e.action.response, |_| false)
}

/// Body of `Operation::parse_output`.
pub(super) fn parse_output(e: &Emit<'_>) -> TokenStream {
    let rt = &e.rt;
    let name = e.ty_name("Output");
    let param = if e.action.response.is_empty() {
        quote!(_payload)
    } else {
        quote!(payload)
    };
    let reads = field_reads(e, &e.action.response, &quote!(payload));
    quote! {
        fn parse_output(#param: &#rt::Value) -> #rt::Result<#name, #rt::FieldError> {
            #rt::Ok(#name { #(#reads)* })
        }
    }
}
