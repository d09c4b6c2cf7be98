//! Expressions to Rust: each IR expression becomes an expression of type
//! `awm_runtime::Value`, evaluated where `ctx` (the `exec::Ctx`) is in scope and `?`
//! returns a `ToolError`. Everything with a meaning of its own is a call of the runtime's
//! shared operations, where the engine calls them, so native code and the engine agree
//! (results and the steps the work meter counts alike). Statements that read are constant
//! SQL text with a `static` shape.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::lit;
use crate::lower::ir::{Expr, Message, MessagePart, Mode, Shape, SqlQuery};
use crate::syntax::ast::{BinaryOp, UnaryOp};

/// The Rust variable of a binding slot.
pub fn slot(slot: usize) -> proc_macro2::Ident {
    format_ident!("s{}", slot)
}

fn binary_op(op: BinaryOp) -> TokenStream {
    let name = format_ident!("{}", format!("{op:?}"));
    quote!(::awm_runtime::exec::BinaryOp::#name)
}

/// An expression borrowing the value of `expr`: a binding is borrowed rather than cloned.
pub fn borrowed(expr: &Expr) -> TokenStream {
    match expr {
        Expr::Slot(n) => {
            let s = slot(*n);
            quote!(&#s)
        }
        other => {
            let value = self::expr(other);
            quote!(&#value)
        }
    }
}

/// A closure over the context giving `body` (a `Value`) as `Ok` (for `ctx.attempt`).
pub fn closure(body: TokenStream) -> TokenStream {
    let body = result(body);
    quote!(|ctx| #body)
}

/// An expression of type `Result<_, ToolError>` giving `value`: `x?` is `x` itself.
pub fn result(value: TokenStream) -> TokenStream {
    let mut tokens: Vec<proc_macro2::TokenTree> = value.clone().into_iter().collect();
    match tokens.last() {
        Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == '?' => {
            tokens.pop();
            tokens.into_iter().collect()
        }
        _ => quote!(::std::result::Result::Ok(#value)),
    }
}

/// A `Vec<Value>` of expressions.
pub fn values<'a>(exprs: impl IntoIterator<Item = &'a Expr>) -> TokenStream {
    lit::vec(exprs.into_iter().map(expr))
}

/// The text of a message with interpolations, as a `String`.
pub fn message(message: &Message) -> TokenStream {
    if let [MessagePart::Text(text)] = message.parts.as_slice() {
        let text = lit::str(text);
        return quote!(::std::string::String::from(#text));
    }
    let parts = message.parts.iter().map(|part| match part {
        MessagePart::Text(text) => {
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => {
                    let c = proc_macro2::Literal::character(c);
                    quote!(text.push(#c);)
                }
                _ => {
                    let text = lit::str(text);
                    quote!(text.push_str(#text);)
                }
            }
        }
        MessagePart::Value(value) => {
            let value = borrowed(value);
            quote!(text.push_str(&::std::string::ToString::to_string(#value));)
        }
    });
    quote!({
        let mut text = ::std::string::String::new();
        #(#parts)*
        text
    })
}

pub fn expr(expr: &Expr) -> TokenStream {
    match expr {
        Expr::Const(value) => lit::value(value),
        Expr::Slot(n) => {
            let s = slot(*n);
            quote!(#s.clone())
        }
        Expr::Me => quote!(ctx.me()?),
        Expr::Answer => quote!(ctx.answer()),
        Expr::Field { base, name } => {
            let (base, name) = (borrowed(base), lit::str(name));
            quote!(::awm_runtime::exec::ops::field(#base, #name))
        }
        Expr::Project { list, name } => {
            let (list, name) = (self::expr(list), lit::str(name));
            quote!({
                let list = #list;
                ctx.project(list, #name)?
            })
        }
        Expr::Unary(op, operand) => {
            let op = match op {
                UnaryOp::Not => quote!(::awm_runtime::exec::UnaryOp::Not),
                UnaryOp::Neg => quote!(::awm_runtime::exec::UnaryOp::Neg),
            };
            let operand = self::expr(operand);
            quote!(::awm_runtime::exec::ops::unary(#op, #operand)?)
        }
        Expr::Binary {
            op,
            lhs,
            rhs,
            operands,
        } => binary(*op, *operands, lhs, rhs),
        Expr::Between { value, low, high } => {
            let (value, low, high) = (borrowed(value), borrowed(low), borrowed(high));
            quote!(::awm_runtime::exec::ops::between(#value, #low, #high))
        }
        Expr::In {
            value,
            list,
            negated,
        } => {
            let (value, list) = (self::expr(value), self::expr(list));
            quote!({
                let value = #value;
                let list = #list;
                ctx.is_in(&value, list, #negated)?
            })
        }
        Expr::Present(value) => {
            let value = borrowed(value);
            quote!(::awm_runtime::Value::Bool(::awm_runtime::exec::ops::present(#value)))
        }
        Expr::Call { name, args } => {
            let (name, args) = (lit::str(name), values(args));
            quote!({
                let args = #args;
                ::awm_runtime::exec::ops::call(#name, &args, ctx.clock())?
            })
        }
        Expr::ListMethod { name, list } => {
            let (name, list) = (lit::str(name), self::expr(list));
            quote!({
                let list = #list;
                ctx.list_method(#name, list)?
            })
        }
        Expr::Record(fields) => {
            let fields = fields.iter().map(|(name, value)| {
                let (name, value) = (lit::str(name), self::expr(value));
                quote!((#name, #value))
            });
            quote!(::awm_runtime::exec::ops::record([#(#fields),*]))
        }
        Expr::List(items) => {
            let items = values(items);
            quote!(::awm_runtime::Value::List(#items))
        }
        Expr::OrElse { value, message } => {
            let (value, message) = (self::expr(value), self::message(message));
            quote!({
                let value = #value;
                match value {
                ::awm_runtime::Value::Null => {
                    return ::std::result::Result::Err(::awm_runtime::ToolError::rejected(#message));
                }
                value => value,
            }})
        }
        Expr::Format(message) => {
            let message = self::message(message);
            quote!(::awm_runtime::Value::Text(#message))
        }
        Expr::Query(query) => self::query(query),
        Expr::Insert { .. } | Expr::Update { .. } | Expr::Delete { .. } | Expr::Upsert { .. } => {
            write(expr)
        }
    }
}

/// A binary operator; `and`, `or` and `??` leave their right side unevaluated when the
/// left decides, as the engine does.
fn binary(
    op: BinaryOp,
    operands: crate::lower::ir::Operands,
    lhs: &Expr,
    rhs: &Expr,
) -> TokenStream {
    let (lhs, rhs) = (expr(lhs), expr(rhs));
    let operands = format_ident!("{}", format!("{operands:?}"));
    let apply = {
        let op = binary_op(op);
        quote!(::awm_runtime::exec::ops::binary(
            #op,
            ::awm_runtime::exec::Operands::#operands,
            left,
            #rhs,
        )?)
    };
    let decided = match op {
        BinaryOp::And => quote!(left == ::awm_runtime::Value::Bool(false)),
        BinaryOp::Or => quote!(left == ::awm_runtime::Value::Bool(true)),
        BinaryOp::Coalesce => quote!(!left.is_null()),
        // Arguments are evaluated in order: the left side, then the right.
        _ => {
            let op = binary_op(op);
            return quote!(::awm_runtime::exec::ops::binary(
                #op,
                ::awm_runtime::exec::Operands::#operands,
                #lhs,
                #rhs,
            )?);
        }
    };
    quote!({
        let left = #lhs;
        if #decided { left } else { #apply }
    })
}

/// A shape as a constant expression (`exec::Shape` with borrowed slices).
pub fn shape(shape: &Shape) -> TokenStream {
    match shape {
        Shape::Int => quote!(::awm_runtime::exec::Shape::Int),
        Shape::Real => quote!(::awm_runtime::exec::Shape::Real),
        Shape::Text => quote!(::awm_runtime::exec::Shape::Text),
        Shape::Bool => quote!(::awm_runtime::exec::Shape::Bool),
        Shape::Row(table) => {
            let table = lit::usize(*table);
            quote!(::awm_runtime::exec::Shape::Row(#table))
        }
        Shape::Record(fields) => {
            let fields = fields.iter().map(|(name, field)| {
                let (name, field) = (lit::str(name), self::shape(field));
                quote!((::std::borrow::Cow::Borrowed(#name), #field))
            });
            quote!(::awm_runtime::exec::Shape::Record(::std::borrow::Cow::Borrowed(&[#(#fields),*])))
        }
        Shape::List(element) => {
            let element = element.iter().map(self::shape);
            quote!(::awm_runtime::exec::Shape::List(::std::borrow::Cow::Borrowed(&[#(#element),*])))
        }
    }
}

fn mode(mode: Mode) -> TokenStream {
    match mode {
        Mode::Rows => quote!(::awm_runtime::exec::Mode::Rows),
        Mode::First => quote!(::awm_runtime::exec::Mode::First),
        Mode::One => quote!(::awm_runtime::exec::Mode::One),
    }
}

/// A statement that reads: its shape as a `static`, its parameters, the runtime's query.
pub fn query(query: &SqlQuery) -> TokenStream {
    let (sql, mode, shape) = (
        lit::str(&query.sql),
        self::mode(query.mode),
        self::shape(&query.shape),
    );
    let params = values(&query.params);
    quote!({
        static SHAPE: ::awm_runtime::exec::Shape = #shape;
        let params = #params;
        ctx.query(
            &::awm_runtime::exec::Query { sql: #sql, mode: #mode, shape: &SHAPE },
            &params,
        )?
    })
}

/// `insert`, `update`, `delete` and `upsert`.
fn write(write: &Expr) -> TokenStream {
    match write {
        Expr::Insert { table, values, sql } => {
            let (table, sql, values) = (lit::usize(table.0), lit::str(sql), self::values(values));
            quote!({
                let values = #values;
                ctx.insert(#table, #sql, &values)?
            })
        }
        Expr::Update {
            table,
            select,
            update,
            params,
            single,
            ..
        } => {
            let (table, select, update) = (lit::usize(table.0), lit::str(select), lit::str(update));
            let params = values(params);
            quote!({
                let params = #params;
                ctx.update(
                    &::awm_runtime::exec::Update { table: #table, select: #select, update: #update, single: #single },
                    &params,
                )?
            })
        }
        Expr::Delete {
            select,
            delete,
            params,
            single,
        } => {
            let (select, delete, params) = (lit::str(select), lit::str(delete), values(params));
            quote!({
                let params = #params;
                ctx.delete(
                    &::awm_runtime::exec::Delete { select: #select, delete: #delete, single: #single },
                    &params,
                )?
            })
        }
        Expr::Upsert {
            table,
            values: record,
            params,
            find,
            update,
            insert,
            ..
        } => {
            let (table, record, params) = (lit::usize(table.0), values(record), values(params));
            let (find, update, insert) = (lit::str(find), lit::str(update), lit::str(insert));
            quote!({
                let values = #record;
                let params = #params;
                ctx.upsert(
                    &::awm_runtime::exec::Upsert { table: #table, find: #find, update: #update, insert: #insert },
                    &values,
                    &params,
                )?
            })
        }
        _ => quote!(::awm_runtime::Value::Null),
    }
}
