//! Literals: every value and string of a spec reaches generated code through
//! `proc_macro2::Literal`, which escapes it, so no text can break out of its literal.

use awm_runtime::Value;
use awm_runtime::schema::ColumnKind;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// A string literal.
pub fn str(text: &str) -> Literal {
    Literal::string(text)
}

/// A `usize` literal (table numbers, depths).
pub fn usize(n: usize) -> Literal {
    Literal::usize_unsuffixed(n)
}

/// A float that reads back as exactly the same value.
pub fn f64(value: f64) -> TokenStream {
    if value.is_finite() {
        let literal = Literal::f64_suffixed(value);
        quote!(#literal)
    } else {
        let bits = Literal::u64_suffixed(value.to_bits());
        quote!(::std::primitive::f64::from_bits(#bits))
    }
}

/// An expression building a runtime value.
pub fn value(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(::awm_runtime::Value::Null),
        Value::Int(i) => {
            let i = Literal::i64_suffixed(*i);
            quote!(::awm_runtime::Value::Int(#i))
        }
        Value::Real(r) => {
            let r = f64(*r);
            quote!(::awm_runtime::Value::Real(#r))
        }
        Value::Text(t) => {
            let t = str(t);
            quote!(::awm_runtime::exec::ops::text(#t))
        }
        Value::Bool(b) => quote!(::awm_runtime::Value::Bool(#b)),
        Value::List(items) => {
            let items = vec(items.iter().map(self::value));
            quote!(::awm_runtime::Value::List(#items))
        }
        Value::Record(fields) => {
            let fields = fields.iter().map(|(name, v)| {
                let name = str(name);
                let v = self::value(v);
                quote!((#name, #v))
            });
            quote!(::awm_runtime::exec::ops::record([#(#fields),*]))
        }
    }
}

/// A constant of static data (`exec::native::Lit`); lists occur as defaults of list
/// parameters, records never occur in seed rows or defaults and become null.
pub fn constant(value: &Value) -> TokenStream {
    match value {
        Value::Int(i) => {
            let i = Literal::i64_suffixed(*i);
            quote!(::awm_runtime::exec::native::Lit::Int(#i))
        }
        Value::Real(r) => {
            let r = f64(*r);
            quote!(::awm_runtime::exec::native::Lit::Real(#r))
        }
        Value::Text(t) => {
            let t = str(t);
            quote!(::awm_runtime::exec::native::Lit::Text(#t))
        }
        Value::Bool(b) => quote!(::awm_runtime::exec::native::Lit::Bool(#b)),
        Value::List(items) => {
            let items = items.iter().map(constant);
            quote!(::awm_runtime::exec::native::Lit::List(&[#(#items),*]))
        }
        Value::Null | Value::Record(_) => {
            quote!(::awm_runtime::exec::native::Lit::Null)
        }
    }
}

/// A column or parameter type in static data (`exec::native::Kind`).
pub fn kind(kind: &ColumnKind) -> TokenStream {
    match kind {
        ColumnKind::Int => quote!(::awm_runtime::exec::native::Kind::Int),
        ColumnKind::Real => quote!(::awm_runtime::exec::native::Kind::Real),
        ColumnKind::Text => quote!(::awm_runtime::exec::native::Kind::Text),
        ColumnKind::Bool => quote!(::awm_runtime::exec::native::Kind::Bool),
        ColumnKind::DateTime => quote!(::awm_runtime::exec::native::Kind::DateTime),
        ColumnKind::Date => quote!(::awm_runtime::exec::native::Kind::Date),
        ColumnKind::Enum(members) => {
            let members = members.iter().map(|m| str(m));
            quote!(::awm_runtime::exec::native::Kind::Enum(&[#(#members),*]))
        }
    }
}

/// `Some(x)` or `None` of an optional.
pub fn option<T>(value: Option<T>, f: impl FnOnce(T) -> TokenStream) -> TokenStream {
    match value {
        Some(value) => {
            let value = f(value);
            quote!(::std::option::Option::Some(#value))
        }
        None => quote!(::std::option::Option::None),
    }
}

/// A `Vec` of the given elements, by `Vec::from([…])` (not `vec![]`: prettyplease leaves
/// macro bodies unformatted); an empty one is typed as a `Vec<Value>`.
pub fn vec(items: impl IntoIterator<Item = TokenStream>) -> TokenStream {
    let items: Vec<TokenStream> = items.into_iter().collect();
    if items.is_empty() {
        quote!(::std::vec::Vec::<::awm_runtime::Value>::new())
    } else {
        quote!(::std::vec::Vec::from([#(#items),*]))
    }
}
