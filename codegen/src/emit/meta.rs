//! Static descriptions (`SERVICE`, `ACTION`) and the `Operation` impl tying an action together.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use super::docs::doc;
use super::{Emit, input, output, registry};
use crate::ir::{Generated, Method, Provider, Service};

fn opt_str(v: Option<&str>) -> TokenStream {
    let rt = super::local_rt();
    match v {
        Some(s) => quote!(#rt::Some(#s)),
        None => quote!(#rt::None),
    }
}

/// `pub const SERVICE: ServiceInfo`.
pub(super) fn service_info(provider: &Provider, s: &Service, rt: &TokenStream) -> TokenStream {
    let (pid, sid, title) = (provider.id.as_str(), s.id.as_str(), s.title.as_str());
    let family = Ident::new(s.family.variant(), Span::call_site());
    let version = opt_str(s.version.as_deref());
    let signing = &s.signing_name;
    let global = opt_str(s.global_host.as_deref());
    let regions = s.regions.iter().map(|(r, h)| quote!((#r, #h)));
    let resources = super::emulation::resources(rt, &s.resources);
    let d = doc(&format!(
        "{title}: API family `{}`{}.",
        s.family.id(),
        s.version
            .as_deref()
            .map(|v| format!(", version `{v}`"))
            .unwrap_or_default()
    ));
    quote! {
        #d
        pub const SERVICE: #rt::ServiceInfo = #rt::ServiceInfo {
            provider: #pid,
            service: #sid,
            title: #title,
            family: #rt::Family::#family,
            version: #version,
            signing_name: #signing,
            global_host: #global,
            regions: &[#(#regions),*],
            resources: #resources,
        };
    }
}

/// `pub const ACTION: ActionInfo`.
pub(super) fn action_info(e: &Emit<'_>) -> TokenStream {
    let rt = &e.rt;
    let a = e.action;
    let name = a.name.as_str();
    let method = match a.method {
        Method::Get => quote!(#rt::HttpMethod::Get),
        Method::Post => quote!(#rt::HttpMethod::Post),
    };
    let path = &a.path;
    let idempotent = a.idempotent;
    let token = opt_str(
        a.request
            .iter()
            .find(|f| f.generated == Some(Generated::IdempotencyToken))
            .map(|f| f.wire.as_str()),
    );
    let limits = a.limits.iter().map(|l| {
        let max = Literal::u32_unsuffixed(l.max_calls);
        let per = Literal::u64_unsuffixed(l.per.seconds());
        quote!(#rt::CallLimit { max_calls: #max, per_seconds: #per })
    });
    let follow_ups = a.follow_ups.iter().map(|f| {
        let action = &f.action;
        let wait = match f.wait_seconds {
            Some(w) => {
                let w = Literal::u32_unsuffixed(w);
                quote!(#rt::Some(#w))
            }
            None => quote!(#rt::None),
        };
        quote!(#rt::FollowUp { action: #action, wait_seconds: #wait })
    });
    let url = &a.source_url;
    let mut text = format!("`{name}`: `{} {}`.", method_str(a.method), a.path);
    text.push_str(if a.idempotent {
        "\n\nIdempotent: a client may retry it after an ambiguous failure."
    } else {
        "\n\nNot idempotent: a client retries it only on errors that mean it was not applied."
    });
    for l in &a.limits {
        text.push_str(&format!(
            "\n\nLimit: {} calls per {}.",
            l.max_calls,
            l.per.word()
        ));
        if let Some(d) = &l.doc {
            text.push(' ');
            text.push_str(d);
        }
    }
    for f in &a.follow_ups {
        text.push_str(&format!("\n\nFollow-up: `{}`", f.action));
        if let Some(w) = f.wait_seconds {
            text.push_str(&format!(" after about {w} s"));
        }
        text.push('.');
        if let Some(d) = &f.doc {
            text.push(' ');
            text.push_str(d);
        }
    }
    let d = doc(&text);
    quote! {
        #d
        pub const ACTION: #rt::ActionInfo = #rt::ActionInfo {
            name: #name,
            method: #method,
            path: #path,
            idempotent: #idempotent,
            idempotency_field: #token,
            limits: &[#(#limits),*],
            follow_ups: &[#(#follow_ups),*],
            doc_url: #url,
        };
    }
}

fn method_str(m: Method) -> &'static str {
    match m {
        Method::Get => "GET",
        Method::Post => "POST",
    }
}

/// `impl Operation for <Action>Input`.
pub(super) fn operation(e: &Emit<'_>) -> TokenStream {
    let rt = &e.rt;
    let input = e.ty_name("Input");
    let out = e.ty_name("Output");
    let err = e.ty_name("Error");
    let fill = input::fill_token(e);
    let to_wire = input::to_wire(e);
    let parse = output::parse_output(e);
    let from_wire = registry::from_wire(e);
    quote! {
        impl #rt::Operation for #input {
            type Output = #out;
            type Error = #err;
            const SERVICE: &'static #rt::ServiceInfo = &super::SERVICE;
            const ACTION: &'static #rt::ActionInfo = &ACTION;

            fn validate(&self) -> #rt::Result<(), #rt::ValidationErrors> {
                #input::validate(self)
            }

            #fill
            #to_wire
            #from_wire
            #parse

            fn parse_error(meta: #rt::ErrorMeta) -> #err {
                #err::from_meta(meta)
            }
        }
    }
}
