//! `<Action>Input::validate()`: every constraint and cross-field rule, all violations at once.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::input::is_ctor_arg;
use super::{Emit, Scope};
use crate::ir::{Bounds, Condition, Constraints, Demand, Field, NamedType, Rule, RuleValue, Ty};
use crate::naming::Ident;

fn opt(v: Option<i64>) -> TokenStream {
    let rt = super::local_rt();
    match v {
        Some(v) => {
            let v = Literal::i64_unsuffixed(v);
            quote!(#rt::Some(#v))
        }
        None => quote!(#rt::None),
    }
}

fn cond_tokens(c: Option<&str>) -> TokenStream {
    let rt = super::local_rt();
    match c {
        Some(c) => quote!(#rt::Some(#c)),
        None => quote!(#rt::None),
    }
}

/// Whether a field is held as `Option<T>` in the input struct.
fn is_optional(f: &Field) -> bool {
    !is_ctor_arg(f)
}

/// `Option<i64>` expression of an integer field.
fn int_value(f: &Field) -> TokenStream {
    let rt = super::local_rt();
    let n = f.rust.tokens();
    match (is_optional(f), &f.ty) {
        (false, Ty::Int32) => quote!(#rt::Some(i64::from(self.#n))),
        (false, _) => quote!(#rt::Some(self.#n)),
        (true, Ty::Int32) => quote!(self.#n.map(i64::from)),
        (true, _) => quote!(self.#n),
    }
}

fn str_value(f: &Field) -> TokenStream {
    let rt = super::local_rt();
    let n = f.rust.tokens();
    if is_optional(f) {
        quote!(self.#n.as_deref())
    } else {
        quote!(#rt::Some(self.#n.as_str()))
    }
}

fn count_value(f: &Field) -> TokenStream {
    let rt = super::local_rt();
    let n = f.rust.tokens();
    if is_optional(f) {
        quote!(self.#n.as_ref().map(#rt::Vec::len))
    } else {
        quote!(#rt::Some(self.#n.len()))
    }
}

fn bounds_call(
    method: &str,
    field: &TokenStream,
    value: TokenStream,
    b: Bounds,
    cond: Option<&str>,
) -> TokenStream {
    let m = Ident::internal(method).tokens();
    let (min, max) = (opt(b.min), opt(b.max));
    let cond = cond_tokens(cond);
    quote! { v.#m(#field, #value, #min, #max, #cond); }
}

/// Checks of one value's constraints and enum membership. `name` is an expression of type `&str`.
fn value_checks(
    e: &Scope<'_>,
    ty: &Ty,
    c: &Constraints,
    name: &TokenStream,
    value: &TokenStream,
    idx: &mut usize,
) -> Vec<TokenStream> {
    let rt = &e.rt;
    let mut out = Vec::new();
    if let Some(b) = c.length {
        let (min, max) = (opt(b.min), opt(b.max));
        out.push(quote! { v.length(#name, #rt::Some(#value.as_str()), #min, #max, #rt::None); });
    }
    if let Some(b) = c.range {
        let (min, max) = (opt(b.min), opt(b.max));
        let wide = if *ty == Ty::Int32 {
            quote!(i64::from(*#value))
        } else {
            quote!(*#value)
        };
        out.push(quote! { v.range(#name, #rt::Some(#wide), #min, #max, #rt::None); });
    }
    if let Some(p) = &c.pattern {
        let re = Ident::internal(&format!("PATTERN_{idx}")).tokens();
        *idx += 1;
        // The whole value must match, as the spec format says: anchor the expression.
        let anchored = format!("^(?:{p})$");
        out.push(quote! {
            static #re: #rt::LazyLock<#rt::Regex> = #rt::LazyLock::new(|| {
                #rt::Regex::new(#anchored).expect("invariant: pattern checked by cloudbackup-codegen")
            });
            v.pattern(#name, #value, &#re, #p);
        });
    }
    if let Ty::Named(r) = ty {
        match e.named(*r) {
            NamedType::StrEnum(d) => {
                let t = d.name.tokens();
                out.push(
                    quote! { v.one_of(#name, #value.is_known(), #value.as_str(), #t::VALUES); },
                );
            }
            NamedType::IntEnum(d) => {
                let t = d.name.tokens();
                out.push(quote! {
                    v.one_of(#name, #value.is_known(), &#rt::ToString::to_string(&#value.value()), #t::VALUES);
                });
            }
            NamedType::Object(_) => out.push(quote! { #value.check_into(v, #name); }),
        }
    }
    out
}

/// Checks of one field. `nested` fields belong to an object and get names `<at>.<wire>`.
fn field_checks(e: &Scope<'_>, f: &Field, idx: &mut usize, nested: bool) -> TokenStream {
    let rt = &e.rt;
    let n = f.rust.tokens();
    let wire = f.wire.as_str();
    let mut out = Vec::new();
    let (name, item_fmt) = if nested {
        (
            quote!(&::std::format!("{}.{}", at, #wire)),
            format!("{{at}}.{wire}[{{i}}]"),
        )
    } else {
        (quote!(#wire), format!("{wire}[{{i}}]"))
    };
    if let Some(b) = f.constraints.count {
        out.push(bounds_call("count", &name, count_value(f), b, None));
    }
    let x = quote!(x);
    let own = value_checks(e, &f.ty, &f.constraints, &name, &x, idx);
    if !own.is_empty() {
        if is_optional(f) {
            out.push(quote! { if let #rt::Some(x) = &self.#n { #(#own)* } });
        } else {
            out.push(quote! { let x = &self.#n; #(#own)* });
        }
    }
    if let Ty::Array(item, ic) = &f.ty {
        let item_name = quote!(&item_name);
        let checks = value_checks(e, item, ic, &item_name, &x, idx);
        if !checks.is_empty() {
            let iter = if is_optional(f) {
                quote!(self.#n.iter().flatten().enumerate())
            } else {
                quote!(self.#n.iter().enumerate())
            };
            out.push(quote! {
                for (i, x) in #iter {
                    let item_name = ::std::format!(#item_fmt);
                    #(#checks)*
                }
            });
        }
    }
    quote! { #(#out)* }
}

/// `check_into` of an object type: the checks of its members, named `<at>.<member>`.
pub(super) fn object_checks(e: &Scope<'_>, fields: &[Field]) -> TokenStream {
    let rt = &e.rt;
    let mut idx = 0;
    let checks: Vec<TokenStream> = fields
        .iter()
        .map(|f| field_checks(e, f, &mut idx, true))
        .filter(|c| !c.is_empty())
        .collect();
    let (v, at) = if checks.is_empty() {
        (quote!(_v), quote!(_at))
    } else {
        (quote!(v), quote!(at))
    };
    quote! {
        /// Adds the violations of this object's members, named `<at>.<member>`, to `v`.
        #[doc(hidden)]
        pub fn check_into(&self, #v: &mut #rt::Validator, #at: &str) {
            #(#checks)*
        }
    }
}

/// Compares a field value with a rule value. `x` is `&T` when `by_ref` (a closure argument),
/// else a place of type `T` (`self.field`). `negate` gives the "differs" form.
fn compare(
    e: &Scope<'_>,
    f: &Field,
    x: &TokenStream,
    by_ref: bool,
    v: &RuleValue,
    negate: bool,
) -> TokenStream {
    let op = if negate { quote!(!=) } else { quote!(==) };
    let deref = if by_ref { quote!(*) } else { quote!() };
    match (&f.ty, v) {
        (Ty::Named(r), RuleValue::Str(s)) if matches!(e.named(*r), NamedType::StrEnum(_)) => {
            quote!(#x.as_str() #op #s)
        }
        (Ty::Named(_), RuleValue::Int(n)) => {
            let n = Literal::i64_unsuffixed(*n);
            quote!(#x.value() #op #n)
        }
        (Ty::Int32, RuleValue::Int(n)) => {
            let n = Literal::i64_unsuffixed(*n);
            quote!(i64::from(#deref #x) #op #n)
        }
        (_, RuleValue::Int(n)) => {
            let n = Literal::i64_unsuffixed(*n);
            quote!(#deref #x #op #n)
        }
        (_, RuleValue::Str(s)) => quote!(#x #op #s),
        (_, RuleValue::Bool(b)) => {
            if *b != negate {
                quote!(#deref #x)
            } else {
                quote!(!#deref #x)
            }
        }
    }
}

fn condition(e: &Scope<'_>, fields: &[Field], c: &Condition) -> TokenStream {
    let holds = |i: usize, v: &RuleValue, negate: bool| {
        let f = &fields[i];
        let n = f.rust.tokens();
        if is_optional(f) {
            let cmp = compare(e, f, &quote!(x), true, v, negate);
            if negate {
                quote!(self.#n.as_ref().is_none_or(|x| #cmp))
            } else {
                quote!(self.#n.as_ref().is_some_and(|x| #cmp))
            }
        } else {
            compare(e, f, &quote!(self.#n), false, v, negate)
        }
    };
    match c {
        Condition::Equals(i, v) => holds(*i, v, false),
        Condition::NotEquals(i, v) => holds(*i, v, true),
        Condition::Present(i, want) => {
            let f = &fields[*i];
            let n = f.rust.tokens();
            match (is_optional(f), want) {
                (true, true) => quote!(self.#n.is_some()),
                (true, false) => quote!(self.#n.is_none()),
                (false, want) => quote!(#want),
            }
        }
    }
}

/// `Option<T>` of a field's value for a comparison: owned `i64` for integers (two integer
/// widths compare), a reference otherwise.
fn compared_value(f: &Field) -> TokenStream {
    let rt = super::local_rt();
    let n = f.rust.tokens();
    match (&f.ty, is_optional(f)) {
        (Ty::Int32 | Ty::Int64, _) => int_value(f),
        (_, true) => quote!(self.#n.as_ref()),
        (_, false) => quote!(#rt::Some(&self.#n)),
    }
}

fn rule_checks(e: &Scope<'_>, fields: &[Field], r: &Rule) -> TokenStream {
    let rt = &e.rt;
    let f = &fields[r.field];
    let wire = f.wire.as_str();
    let cond_text = r.when.as_ref().map(|_| r.condition_text.as_str());
    let present = if is_optional(f) {
        let n = f.rust.tokens();
        quote!(self.#n.is_some())
    } else {
        quote!(true)
    };
    let demands = r.demands.iter().map(|d| match d {
        Demand::Range(b) => bounds_call("range", &quote!(#wire), int_value(f), *b, cond_text),
        Demand::Length(b) => bounds_call("length", &quote!(#wire), str_value(f), *b, cond_text),
        Demand::Count(b) => bounds_call("count", &quote!(#wire), count_value(f), *b, cond_text),
        Demand::Required => {
            let c = cond_tokens(cond_text);
            quote! { v.required(#wire, #present, #c); }
        }
        Demand::Absent => {
            let c = cond_tokens(cond_text);
            quote! { v.absent(#wire, #present, #c); }
        }
        Demand::Compare(op, other) => {
            let o = &fields[*other];
            let other_wire = o.wire.as_str();
            let op = Ident::internal(op.variant()).tokens();
            let (a, b) = (compared_value(f), compared_value(o));
            let c = cond_tokens(cond_text);
            quote! { v.compare(#wire, #a, #rt::Compare::#op, #other_wire, #b, #c); }
        }
    });
    match &r.when {
        Some(when) => {
            let cond = condition(e, fields, when);
            quote! {
                if #cond {
                    #(#demands)*
                }
            }
        }
        None => quote! { #(#demands)* },
    }
}

/// The `validate` method of the input.
pub(super) fn validate(e: &Emit<'_>) -> TokenStream {
    let rt = &e.rt;
    let name = e.ty_name("Input");
    let mut idx = 0;
    let checks: Vec<TokenStream> = e
        .action
        .request
        .iter()
        .map(|f| field_checks(e, f, &mut idx, false))
        .filter(|c| !c.is_empty())
        .collect();
    let rules: Vec<TokenStream> = e
        .action
        .rules
        .iter()
        .map(|r| rule_checks(e, &e.action.request, r))
        .collect();
    let body = if checks.is_empty() && rules.is_empty() {
        quote! { #rt::Validator::new().finish() }
    } else {
        quote! {
            let mut validator = #rt::Validator::new();
            let v = &mut validator;
            #(#checks)*
            #(#rules)*
            validator.finish()
        }
    };
    quote! {
        impl #name {
            /// Checks every constraint of the spec (lengths, ranges, enumerations, patterns,
            /// item counts and cross-field rules) and returns every violation, not only the first.
            ///
            /// # Errors
            ///
            /// `ValidationErrors` listing each violation with the wire field name, the rule, the
            /// offending value and, for cross-field rules, the condition.
            pub fn validate(&self) -> #rt::Result<(), #rt::ValidationErrors> {
                #body
            }
        }
    }
}
