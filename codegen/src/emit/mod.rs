//! Stage "emit": small functions, each turning part of the model into a `TokenStream`.
//! One file per artifact: `types` (enums, objects), `input`, `validate`, `output`, `error`,
//! `meta` (service and action descriptions, the `Operation` impl), `client` (the service's
//! `Client` and `blocking::Client`).

mod client;
mod common_error;
mod docs;
mod emulation;
mod error;
mod formats;
mod input;
mod meta;
mod output;
mod paginate;
mod paths;
mod registry;
mod types;
mod validate;
mod waiter;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Action, Family, Model, NamedType, Provider, Service, TsFormat, Ty, TypeRef};
use crate::naming::Ident;

/// What type emitters need: the runtime path, the service (its shared types) and the named
/// types declared where the code goes (an action's, or none at service level).
pub struct Scope<'a> {
    /// Path of the runtime module generated code uses (`__rt` inside generated modules).
    pub rt: TokenStream,
    /// The service.
    pub service: &'a Service,
    /// The named types of the action being emitted (empty for service-level items).
    pub local: &'a [NamedType],
}

impl Scope<'_> {
    /// The named type behind a reference.
    pub fn named(&self, r: TypeRef) -> &NamedType {
        match r {
            TypeRef::Action(i) => &self.local[i],
            TypeRef::Service(i) => &self.service.types[i],
        }
    }

    /// Whether values of `ty` can derive `Eq` (no `f64` inside).
    pub fn is_eq(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Float64 => false,
            Ty::Array(item, _) => self.is_eq(item),
            Ty::Named(r) => match self.named(*r) {
                NamedType::Object(o) => o.fields.iter().all(|f| self.is_eq(&f.ty)),
                _ => true,
            },
            _ => true,
        }
    }

    /// `Clone, Debug, PartialEq` and, when every field allows it, `Eq`; without `Debug` when a
    /// field is sensitive ([`Scope::debug_impl`] writes it then).
    pub fn derives(&self, fields: &[crate::ir::Field]) -> TokenStream {
        let debug = if fields.iter().any(|f| f.sensitive) {
            quote!()
        } else {
            quote!(Debug,)
        };
        if fields.iter().all(|f| self.is_eq(&f.ty)) {
            quote!(#[derive(Clone, #debug PartialEq, Eq)])
        } else {
            quote!(#[derive(Clone, #debug PartialEq)])
        }
    }

    /// A `Debug` impl that shows sensitive fields as `"<redacted>"`, for structs with one.
    pub fn debug_impl(
        &self,
        name: &proc_macro2::Ident,
        fields: &[crate::ir::Field],
        is_option: impl Fn(&crate::ir::Field) -> bool,
    ) -> TokenStream {
        if !fields.iter().any(|f| f.sensitive) {
            return quote!();
        }
        let rt = &self.rt;
        let shown = fields.iter().map(|f| {
            let n = f.rust.tokens();
            let label = f.rust.as_str().trim_start_matches("r#");
            if f.sensitive && is_option(f) {
                quote!(.field(#label, &self.#n.as_ref().map(|_| "<redacted>")))
            } else if f.sensitive {
                quote!(.field(#label, &"<redacted>"))
            } else {
                quote!(.field(#label, &self.#n))
            }
        });
        let label = name.to_string();
        quote! {
            /// Shows sensitive fields as `<redacted>`.
            impl #rt::fmt::Debug for #name {
                fn fmt(&self, f: &mut #rt::fmt::Formatter<'_>) -> #rt::fmt::Result {
                    f.debug_struct(#label) #(#shown)* .finish()
                }
            }
        }
    }
}

/// What every action emitter needs: the [`Scope`] and the action being emitted.
pub struct Emit<'a> {
    /// Runtime path, service and the action's types.
    pub scope: Scope<'a>,
    /// The action.
    pub action: &'a Action,
    /// The provider's enum of the family's common errors, if the family has any.
    pub common: Option<CommonRef>,
}

impl<'a> std::ops::Deref for Emit<'a> {
    type Target = Scope<'a>;
    fn deref(&self) -> &Scope<'a> {
        &self.scope
    }
}

/// Where the provider's enum of a family's common errors is.
pub struct CommonRef {
    /// `crate::<provider>::<Family>CommonError`.
    pub path: TokenStream,
    /// The same path as text, for intra-doc links.
    pub doc_path: String,
    /// The enum's name.
    pub name: &'static str,
}

impl CommonRef {
    fn new(provider: &Provider, family: Family) -> Option<Self> {
        provider.common(family)?;
        let name = family.common_error_name();
        let (pid, ident) = (provider.id.tokens(), Ident::internal(name).tokens());
        Some(CommonRef {
            path: quote!(crate::#pid::#ident),
            doc_path: format!("crate::{}::{name}", provider.id),
            name,
        })
    }
}

impl Emit<'_> {
    /// `<Action><suffix>` as a type name.
    pub fn ty_name(&self, suffix: &str) -> proc_macro2::Ident {
        Ident::internal(&format!("{}{suffix}", self.action.name)).tokens()
    }
}

/// The Rust type of a field type.
pub fn rust_ty(e: &Scope<'_>, ty: &Ty) -> TokenStream {
    let rt = &e.rt;
    match ty {
        Ty::String => quote!(#rt::String),
        Ty::Int32 => quote!(i32),
        Ty::Int64 => quote!(i64),
        Ty::Float64 => quote!(f64),
        Ty::Bool => quote!(bool),
        Ty::Timestamp(TsFormat::LocalDateTime) => quote!(#rt::DateTime),
        Ty::Timestamp(TsFormat::Date) => quote!(#rt::CivilDate),
        Ty::Timestamp(_) => quote!(#rt::Timestamp),
        Ty::Named(r) => {
            let name = e.named(*r).name().tokens();
            quote!(#name)
        }
        Ty::Array(item, _) => {
            let item = rust_ty(e, item);
            quote!(#rt::Vec<#item>)
        }
    }
}

/// The alias of the runtime path inside generated modules: each module starts with
/// `use <runtime path> as __rt;` and names runtime and standard items `__rt::Item` (fewer
/// tokens to parse and print than `crate::__private::Item` or `::core::option::Option::Some`).
pub(super) fn local_rt() -> TokenStream {
    quote!(__rt)
}

/// The code of one service file (`OUT_DIR/<provider>/<service>.rs`): [`service_items`], then
/// [`action`] for each action.
pub fn service_file(provider: &Provider, service: &Service, rt: &TokenStream) -> TokenStream {
    let items = service_items(provider, service, rt);
    let actions = service
        .actions
        .iter()
        .map(|a| action(provider, service, a, rt));
    quote! {
        #items
        #(#actions)*
    }
}

/// The service-level items of a service file: `SERVICE`, the re-exports of each action's
/// types, and the clients.
pub fn service_items(provider: &Provider, service: &Service, rt: &TokenStream) -> TokenStream {
    let alias = quote! { use #rt as __rt; };
    let rt = &local_rt();
    let info = meta::service_info(provider, service, rt);
    let shared = types::shared_types(&Scope {
        rt: rt.clone(),
        service,
        local: &[],
    });
    let reexports = service.actions.iter().map(|a| {
        let module = a.snake.tokens();
        let names = ["Input", "Output", "Error"]
            .map(|s| Ident::internal(&format!("{}{s}", a.name)).tokens());
        quote! { pub use #module::{#(#names),*}; }
    });
    let client = client::client(provider, service, rt);
    quote! {
        #alias
        #info
        #shared
        #(#reexports)*
        #client
    }
}

/// One action's module, with its docs.
pub fn action(
    provider: &Provider,
    service: &Service,
    action: &Action,
    rt: &TokenStream,
) -> TokenStream {
    action_module(
        rt,
        &Emit {
            scope: Scope {
                rt: local_rt(),
                service,
                local: &action.types,
            },
            action,
            common: CommonRef::new(provider, service.family),
        },
    )
}

fn action_module(runtime: &TokenStream, e: &Emit<'_>) -> TokenStream {
    let a = e.action;
    let module = a.snake.tokens();
    let mut text = format!("{}\n", a.summary);
    if let Some(d) = &a.description {
        text.push('\n');
        text.push_str(d.trim_end());
        text.push('\n');
    }
    text.push_str(&format!(
        "\nVendor page: <{}> (read {}).",
        a.source_url, a.source_read
    ));
    let docs = docs::doc(&text);
    let action_info = meta::action_info(e);
    let entry = registry::entry(e);
    let types = types::named_types(e);
    let shared = types::shared_reexports(e);
    let input = input::input(e);
    let validate = validate::validate(e);
    let output = output::output(e);
    let output_json = output::output_json(e);
    let error = error::error(e);
    let operation = meta::operation(e);
    let paginated = paginate::paginated(e);
    let waiters = waiter::waiters(e);
    quote! {
        #docs
        pub mod #module {
            use #runtime as __rt;
            #action_info
            #entry
            #shared
            #types
            #input
            #validate
            #output
            #output_json
            #error
            #operation
            #paginated
            #waiters
        }
    }
}

/// The index file: nested provider and service modules including each service file, and each
/// provider's enums of its families' common errors.
pub fn index(model: &Model, rt: &TokenStream) -> TokenStream {
    let providers = model.providers.iter().map(|p| {
        let pid = p.id.tokens();
        let pdoc = docs::doc(&match &p.description {
            Some(d) => format!("{}\n\n{d}", p.name),
            None => p.name.clone(),
        });
        let services = p.services.iter().map(|s| {
            let sid = s.id.tokens();
            let sdoc = docs::doc(&match &s.description {
                Some(d) => format!("{}\n\n{d}", s.title),
                None => s.title.clone(),
            });
            let file = format!("/{}/{}.rs", p.id.as_str(), s.id.as_str());
            let feature = crate::ir::feature_name(p.id.as_str(), s.id.as_str());
            quote! {
                #sdoc
                #[cfg(feature = #feature)]
                pub mod #sid {
                    include!(concat!(env!("OUT_DIR"), #file));
                }
            }
        });
        let common = p
            .common_errors
            .iter()
            .map(|c| common_error::common_error(p, c, rt));
        quote! {
            #pdoc
            pub mod #pid {
                #(#common)*
                #(#services)*
            }
        }
    });
    // One statement per service, gated on its feature like the service module itself.
    let entries = model.providers.iter().flat_map(|p| {
        p.services.iter().map(move |s| {
            let feature = crate::ir::feature_name(p.id.as_str(), s.id.as_str());
            let items = s.actions.iter().map(|a| {
                let (pid, sid, aid) = (p.id.tokens(), s.id.tokens(), a.snake.tokens());
                quote!(&#pid::#sid::#aid::ENTRY)
            });
            quote! {
                #[cfg(feature = #feature)]
                let all = [all, ::std::vec![#(#items),*]].concat();
            }
        })
    });
    let doctests = model.providers.iter().flat_map(|p| {
        p.services.iter().flat_map(move |s| {
            s.actions.iter().map(move |a| {
                let file = format!("/docs/{}/{}/{}.md", p.id.as_str(), s.id.as_str(), a.name);
                let feature = crate::ir::feature_name(p.id.as_str(), s.id.as_str());
                let name = Ident::internal(&format!(
                    "{}{}{}",
                    crate::naming::upper_camel(p.id.as_str())
                        .map_or_else(String::new, |i| i.to_string()),
                    crate::naming::upper_camel(s.id.as_str())
                        .map_or_else(String::new, |i| i.to_string()),
                    a.name
                ))
                .tokens();
                quote! {
                    #[cfg(feature = #feature)]
                    #[doc = include_str!(concat!(env!("OUT_DIR"), #file))]
                    struct #name;
                }
            })
        })
    });
    quote! {
        #(#providers)*

        /// The Rust examples of the generated reference pages (`docs/api/`), run as doctests.
        #[cfg(doctest)]
        mod reference_examples {
            #(#doctests)*
        }

        /// Every generated action, sorted by provider, service and action.
        fn generated_registry() -> #rt::Vec<&'static crate::__private::ActionEntry> {
            let all = #rt::Vec::new();
            #(#entries)*
            all
        }
    }
}
