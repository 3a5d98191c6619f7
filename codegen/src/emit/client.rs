//! The per-service `Client`: a thin wrapper over the runtime's `ServiceClient` with one async
//! method per action, and `blocking::Client` (behind the `blocking` feature).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc;
use crate::ir::{Action, Provider, Service};
use crate::naming::Ident;

/// The retry and rate-limit policy of an action, for its method docs.
fn policy_doc(a: &Action) -> String {
    let mut text = if a.idempotent {
        "Idempotent: the client retries it on retryable service errors, on connections that \
         never opened, and on timeouts or resets after sending; an idempotency token is \
         generated once per call and reused by every attempt."
            .to_owned()
    } else {
        "Not idempotent: the client retries it only when the request was never sent or the \
         service answered with a retryable code, never after a timeout or reset once sent."
            .to_owned()
    };
    for l in &a.limits {
        let plural = if l.max_calls == 1 { "" } else { "s" };
        let behaviour = if l.per.seconds() <= 60 {
            "the client waits for a free slot"
        } else {
            "the client refuses further calls with `Error::Throttled` before sending"
        };
        text.push_str(&format!(
            "\n\nLimit: {} call{plural} per {}; {behaviour}.",
            l.max_calls,
            l.per.word()
        ));
    }
    text
}

fn method_doc(a: &Action, blocking: bool) -> TokenStream {
    let name = a.name.as_str();
    let link = |ty: String| {
        if blocking {
            format!("[`{ty}`](super::{ty})")
        } else {
            format!("[`{ty}`]")
        }
    };
    let (input, error) = (link(format!("{name}Input")), link(format!("{name}Error")));
    let mut text = format!("{}\n\n", a.summary);
    text.push_str(&format!(
        "Sends {input}{}. {}\n\n",
        if blocking {
            " and blocks until the call ends"
        } else {
            ""
        },
        policy_doc(a)
    ));
    text.push_str(&format!(
        "# Errors\n\n[`Error`](crate::Error) with {error} \
         for service errors; also validation, local throttling, transport, decoding, \
         credentials and configuration errors."
    ));
    doc(&text)
}

/// `pub struct Client` and `pub mod blocking` of a service file.
pub(super) fn client(provider: &Provider, service: &Service, rt: &TokenStream) -> TokenStream {
    let pid = provider.id.as_str();
    let title = service.title.as_str();
    let ty = |a: &Action, suffix: &str| Ident::internal(&format!("{}{suffix}", a.name)).tokens();
    let methods = service.actions.iter().map(|a| {
        let (input, output, error) = (ty(a, "Input"), ty(a, "Output"), ty(a, "Error"));
        let method = a.snake.tokens();
        let docs = method_doc(a, false);
        quote! {
            #docs
            pub async fn #method(
                &self,
                input: #input,
            ) -> #rt::Result<#output, #rt::Error<#error>> {
                self.inner.call(input).await
            }
        }
    });
    let lifecycle = service
        .actions
        .iter()
        .map(|a| lifecycle_methods(a, rt, false));
    let blocking_lifecycle = service
        .actions
        .iter()
        .map(|a| lifecycle_methods(a, rt, true));
    let has_paginators = service.actions.iter().any(|a| a.paginate.is_some());
    let blocking_pages = if has_paginators {
        quote! {
            /// The pages of a paginator (from a `<action>_paginator` method), one by one.
            pub fn pages<O: #rt::Paginated>(&self, paginator: #rt::Paginator<O>) -> #rt::BlockingPages<'_, O>
            where
                O::Output: Send,
                O::Error: Send,
            {
                #rt::BlockingPages::new(&self.rt, paginator)
            }
            /// The items of a paginator (from a `<action>_paginator` method), one by one.
            pub fn items<O: #rt::Paginated>(&self, paginator: #rt::Paginator<O>) -> #rt::BlockingItems<'_, O>
            where
                O::Output: Send,
                O::Error: Send,
            {
                #rt::BlockingItems::new(&self.rt, paginator)
            }
        }
    } else {
        quote!()
    };
    let blocking_methods = service.actions.iter().map(|a| {
        let (input, output, error) = (ty(a, "Input"), ty(a, "Output"), ty(a, "Error"));
        let method = a.snake.tokens();
        let docs = method_doc(a, true);
        quote! {
            #docs
            pub fn #method(
                &self,
                input: super::#input,
            ) -> #rt::Result<super::#output, #rt::Error<super::#error>> {
                self.rt.block_on(self.inner.#method(input))
            }
        }
    });
    let client_doc = doc(&format!(
        "Client of {title}: one async method per action.\n\n\
         Build it with [`Client::new`] from a `Config`, or [`Client::from_env`] with credentials \
         from the environment. Clones share the connection pool, retry budget and rate limiters."
    ));
    let blocking_doc = doc(&format!(
        "Blocking client of {title}, on a private single-threaded runtime (feature `blocking`).\n\n\
         Do not call it from inside an async runtime: use the async [`Client`](super::Client) there."
    ));
    let new_doc = doc(
        "A client with `config`: resolves the endpoint (the config's, else the spec's host for \
         the region) and the credentials (the config's, else the environment's) now.\n\n\
         # Errors\n\n`ConfigError` for an unknown region, a bad endpoint, missing credentials \
         (naming the variables and files looked at) or an HTTP client that cannot be built.",
    );
    let env_doc = doc(&format!(
        "A client for `region` with the default configuration and {pid} credentials from the \
         environment variables or CLI profile files.\n\n# Errors\n\nAs [`Client::new`]."
    ));
    quote! {
        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: #rt::ServiceClient,
        }
        impl Client {
            #new_doc
            pub fn new(config: #rt::Config) -> #rt::Result<Self, #rt::ConfigError> {
                #rt::Ok(Self {
                    inner: #rt::ServiceClient::new(&SERVICE, config)?,
                })
            }
            #env_doc
            pub fn from_env(
                region: impl #rt::Into<#rt::String>,
            ) -> #rt::Result<Self, #rt::ConfigError> {
                Self::new(#rt::Config::new().region(region))
            }
            /// The engine: endpoint, region, retry budget.
            pub fn service_client(&self) -> &#rt::ServiceClient {
                &self.inner
            }
            #(#methods)*
            #(#lifecycle)*
        }
        /// Blocking client (feature `blocking`).
        #[cfg(feature = "blocking")]
        pub mod blocking {
            use super::__rt;
            #blocking_doc
            #[derive(Clone, Debug)]
            pub struct Client {
                inner: super::Client,
                rt: #rt::BlockingRuntime,
            }
            impl Client {
                /// A blocking client with `config`; see [`super::Client::new`].
                ///
                /// # Errors
                ///
                /// As [`super::Client::new`], or if the runtime cannot be started.
                pub fn new(config: #rt::Config) -> #rt::Result<Self, #rt::ConfigError> {
                    let rt = #rt::BlockingRuntime::new()?;
                    let inner = rt.block_on(async { super::Client::new(config) })?;
                    #rt::Ok(Self { inner, rt })
                }
                /// A blocking client for `region` with credentials from the environment.
                ///
                /// # Errors
                ///
                /// As [`super::Client::from_env`].
                pub fn from_env(
                    region: impl #rt::Into<#rt::String>,
                ) -> #rt::Result<Self, #rt::ConfigError> {
                    Self::new(#rt::Config::new().region(region))
                }
                /// The async client this one drives.
                pub fn async_client(&self) -> &super::Client {
                    &self.inner
                }
                #(#blocking_methods)*
                #(#blocking_lifecycle)*
                #blocking_pages
            }
        }
    }
}

/// The paginator and waiter methods of an action, on the async or the blocking client.
/// A rustdoc link to `path`, an item of the service module: through `super::` from the blocking
/// module, and without an explicit target otherwise (rustdoc rejects a target that repeats the
/// label).
fn item_link(path: &str, blocking: bool) -> String {
    if blocking {
        format!("[`{path}`](super::{path})")
    } else {
        format!("[`{path}`]")
    }
}

fn lifecycle_methods(a: &Action, rt: &TokenStream, blocking: bool) -> TokenStream {
    let sup = if blocking { quote!(super::) } else { quote!() };
    let module = a.snake.tokens();
    let input = Ident::internal(&format!("{}Input", a.name)).tokens();
    let output = Ident::internal(&format!("{}Output", a.name)).tokens();
    let error = Ident::internal(&format!("{}Error", a.name)).tokens();
    let paginator = a.paginate.as_ref().map(|_| {
        let m = Ident::internal(&format!("{}_paginator", a.snake)).tokens();
        let d = doc(&format!(
            "Every page of {} from the page `input` asks for: `.pages()`{}, `.items()`{}, `.max_items(n)`.",
            item_link(&format!("{}Input", a.name), blocking),
            if blocking { " through [`Self::pages`]" } else { " (an async stream)" },
            if blocking { " through [`Self::items`]" } else { "" },
        ));
        let inner = if blocking {
            quote!(self.inner.#m(input))
        } else {
            quote!(#rt::Paginator::new(self.inner.clone(), input))
        };
        quote! {
            #d
            pub fn #m(&self, input: #sup #input) -> #rt::Paginator<#sup #input> {
                #inner
            }
        }
    });
    let waiters = a.waiters.iter().map(|w| {
        let m = Ident::internal(&format!("wait_until_{}", w.snake)).tokens();
        let m_with = Ident::internal(&format!("wait_until_{}_with", w.snake)).tokens();
        let def = super::waiter::const_name(w);
        let ret = quote!(#rt::Result<#rt::Waited<#sup #output>, #rt::WaitError<#sup #output, #sup #error>>);
        let text = format!(
            "Waits until `{}` of [`{}`]({}{}) is {} (polls every {} s, at most {} s); see {}.",
            w.state.text,
            a.name,
            if blocking { "super::" } else { "" },
            a.snake,
            w.success.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" or "),
            w.interval,
            w.timeout,
            item_link(&format!("{}::{def}", a.snake), blocking),
        );
        let d = doc(&format!("{text}\n\n# Errors\n\n`WaitError`: a failure state, the timeout, or a poll's error."));
        let d_with = doc(&format!("As [`Self::{m}`], with other interval, timeout or a progress callback.\n\n# Errors\n\nAs [`Self::{m}`]."));
        if blocking {
            quote! {
                #d
                pub fn #m(&self, input: super::#input) -> #ret {
                    self.rt.block_on(self.inner.#m(input))
                }
                #d_with
                pub fn #m_with(&self, input: super::#input, options: #rt::WaitOptions) -> #ret {
                    self.rt.block_on(self.inner.#m_with(input, options))
                }
            }
        } else {
            quote! {
                #d
                pub async fn #m(&self, input: #input) -> #ret {
                    #rt::wait(&self.inner, input, &#module::#def, #rt::WaitOptions::new()).await
                }
                #d_with
                pub async fn #m_with(&self, input: #input, options: #rt::WaitOptions) -> #ret {
                    #rt::wait(&self.inner, input, &#module::#def, options).await
                }
            }
        }
    });
    quote! {
        #paginator
        #(#waiters)*
    }
}
