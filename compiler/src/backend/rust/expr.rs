//! Expressions to Rust: each IR expression becomes an expression of type
//! `awm_runtime::Value`, evaluated where `ctx` (the `exec::Ctx`) is in scope and `?`
//! returns a `ToolError`. Everything with a meaning of its own is a call of the runtime's
//! shared operations, so native code and the engine agree.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::lit;
use crate::lower::ir::{Clause, Expr, Filter, Message, MessagePart, Query, Source, State, Target};
use crate::syntax::ast::{BinaryOp, UnaryOp};

/// The Rust variable of a binding slot.
pub fn slot(slot: usize) -> proc_macro2::Ident {
    format_ident!("s{}", slot)
}

fn state(state: State) -> TokenStream {
    match state {
        State::Current => quote!(::awm_runtime::exec::State::Current),
        State::Initial => quote!(::awm_runtime::exec::State::Initial),
    }
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

/// Per-row work as the runtime takes it: `&mut dyn FnMut` (`exec::RowFn`), so the
/// runtime's query and write operations are compiled once, not once per closure.
pub fn row_fn(body: TokenStream) -> TokenStream {
    let closure = closure(body);
    quote!(&mut #closure)
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
        Expr::RowField { depth, name } => {
            let (depth, name) = (lit::usize(*depth), lit::str(name));
            quote!(ctx.row_field(#depth, #name))
        }
        Expr::Me => quote!(ctx.me()?),
        Expr::Answer => quote!(ctx.answer()),
        Expr::Excluded => quote!(ctx.excluded()),
        Expr::Field { base, name } => {
            let (base, name) = (borrowed(base), lit::str(name));
            quote!(::awm_runtime::exec::ops::field(#base, #name))
        }
        Expr::Navigate {
            key,
            table,
            column,
            sql,
            ..
        } => {
            let (key, table) = (self::expr(key), lit::usize(table.0));
            let (column, sql) = (lit::str(column), lit::str(sql));
            quote!({
                let key = #key;
                ctx.navigate(#table, #column, #sql, &key)?
            })
        }
        Expr::Project { list, name } => {
            let (list, name) = (self::expr(list), lit::str(name));
            quote!(::awm_runtime::exec::ops::project(#list, #name))
        }
        Expr::ProjectNavigate {
            list,
            table,
            column,
            sql,
            ..
        } => {
            let (list, table) = (self::expr(list), lit::usize(table.0));
            let (column, sql) = (lit::str(column), lit::str(sql));
            quote!({
                let keys = #list;
                ctx.navigate_each(#table, #column, #sql, keys)?
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
            ..
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
                ::awm_runtime::exec::ops::is_in(&value, #list, #negated)
            })
        }
        Expr::Guarded { condition, guard } => {
            let (condition, guard) = (self::expr(condition), borrowed(guard));
            quote!(if ::awm_runtime::exec::ops::present(#guard) {
                #condition
            } else {
                ::awm_runtime::Value::Bool(true)
            })
        }
        Expr::Present(value) => {
            let value = borrowed(value);
            quote!(::awm_runtime::Value::Bool(::awm_runtime::exec::ops::present(#value)))
        }
        Expr::Call { name, args, .. } => {
            let (name, args) = (lit::str(name), values(args));
            quote!({
                let args = #args;
                ::awm_runtime::exec::ops::call(#name, &args, ctx.clock())?
            })
        }
        Expr::ListMethod { name, list } => {
            let (name, list) = (lit::str(name), self::expr(list));
            quote!(::awm_runtime::exec::ops::list_method(
                #name,
                ::awm_runtime::exec::ops::as_list(#list),
            )?)
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
        Expr::Lookup {
            state,
            table,
            key,
            sql,
        } => {
            let (state, table) = (self::state(*state), lit::usize(table.0));
            let (key, sql) = (self::expr(key), lit::str(sql));
            quote!({
                let key = #key;
                ctx.lookup(#state, #table, #sql, key)?
            })
        }
        Expr::Insert { .. } | Expr::Update { .. } | Expr::Delete { .. } | Expr::Upsert { .. } => {
            write(expr)
        }
        Expr::Aggregate { name, arg } => {
            let name = lit::str(name);
            match arg {
                Some(arg) => {
                    let arg = row_fn(self::expr(arg));
                    quote!(ctx.aggregate(#name, #arg)?)
                }
                None => quote!(ctx.aggregate_rows(#name)?),
            }
        }
        Expr::GroupKey(name) => {
            let name = lit::str(name);
            quote!(ctx.group_key(#name))
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

/// A read of a table or list with its clauses; a list, or one row for a filtered lookup.
pub fn query(query: &Query) -> TokenStream {
    let (read, done) = match &query.source {
        Source::Table { state, table, sql } => {
            let (state, table) = (self::state(*state), lit::usize(table.0));
            let (text, params) = (lit::str(&sql.text), values(&sql.params));
            (
                quote!({
                    let params = #params;
                    ctx.table(#state, #table, #text, &params)?
                }),
                sql.clauses_done,
            )
        }
        Source::List(list) => {
            let list = expr(list);
            (quote!(::awm_runtime::exec::ops::as_list(#list)), 0)
        }
        Source::Single(row) => {
            let row = expr(row);
            // The row, kept by each `where` in turn (or null).
            let filters: Vec<TokenStream> = query
                .clauses
                .iter()
                .filter_map(|clause| match clause {
                    Clause::Where(condition) => Some(row_fn(expr(condition))),
                    _ => None,
                })
                .collect();
            return filters
                .iter()
                .fold(row, |row, condition| quote!(ctx.keep_if(#row, #condition)?));
        }
    };
    let clauses = clauses(&query.clauses[done.min(query.clauses.len())..]);
    quote!({
        let items = #read;
        #(#clauses)*
        ::awm_runtime::Value::List(items)
    })
}

/// Each clause as a statement rebinding `items`.
fn clauses(clauses: &[Clause]) -> Vec<TokenStream> {
    let mut out = Vec::new();
    let mut index = 0;
    while index < clauses.len() {
        out.push(match &clauses[index] {
            Clause::Where(condition) => {
                let condition = row_fn(expr(condition));
                quote!(let items = ctx.filter(items, #condition)?;)
            }
            Clause::OrderBy(keys) => {
                let sort = keys.iter().map(|key| {
                    let descending = key.descending;
                    quote!(::awm_runtime::exec::SortKey { descending: #descending })
                });
                let values = keys.iter().map(|key| match &key.enum_order {
                    Some(members) => {
                        let members = members.iter().map(|m| lit::str(m));
                        let value = borrowed(&key.key);
                        quote!(::awm_runtime::exec::ops::rank(&[#(#members),*], #value))
                    }
                    None => expr(&key.key),
                });
                quote!(let items = ctx.order(
                    items,
                    &[#(#sort),*],
                    &mut |ctx| ::std::result::Result::Ok(::std::vec::Vec::from([#(#values),*])),
                )?;)
            }
            Clause::Limit(count) => {
                let count = borrowed(count);
                quote!(let items = ::awm_runtime::exec::limit(items, #count);)
            }
            Clause::Offset(count) => {
                let count = borrowed(count);
                quote!(let items = ::awm_runtime::exec::offset(items, #count);)
            }
            Clause::Select(projection) => {
                let projection = row_fn(expr(projection));
                quote!(let items = ctx.select(items, #projection)?;)
            }
            Clause::GroupBy(keys) => {
                // The checker requires a `select` right after `group by`.
                let Some(Clause::Select(projection)) = clauses.get(index + 1) else {
                    out.push(quote!(let items: ::std::vec::Vec<::awm_runtime::Value> = {
                        let _ = items;
                        ::std::vec::Vec::new()
                    };));
                    break;
                };
                index += 1;
                let names = keys.iter().map(|(name, _)| lit::str(name));
                let values = values(keys.iter().map(|(_, key)| key));
                let projection = row_fn(expr(projection));
                quote!(let items = ctx.group_by(
                    items,
                    &[#(#names),*],
                    &mut |ctx| ::std::result::Result::Ok(#values),
                    #projection,
                )?;)
            }
        });
        index += 1;
    }
    out
}

/// `insert`, `update`, `delete` and `upsert`.
fn write(write: &Expr) -> TokenStream {
    match write {
        Expr::Insert { table, fields, sql } => {
            let (table, sql) = (lit::usize(table.0), lit::str(sql));
            let values = values(fields.iter().map(|(_, v)| v));
            quote!({
                let values = #values;
                ctx.write_returning(#table, #sql, &values)?
            })
        }
        Expr::Update { target, set, sql } => {
            let single = matches!(**target, Target::Row { .. });
            let (rows, table) = (targets(target), lit::usize(target.table().0));
            let (sql, set) = (lit::str(sql), values(set.iter().map(|(_, v)| v)));
            quote!({
                let rows = #rows;
                ctx.update_rows(#table, #sql, rows, #single, &mut |ctx| {
                    ::std::result::Result::Ok(#set)
                })?
            })
        }
        Expr::Delete { target, sql } => {
            let (rows, table, sql) = (targets(target), lit::usize(target.table().0), lit::str(sql));
            quote!({
                let rows = #rows;
                ctx.delete_rows(#table, #sql, rows)?
            })
        }
        Expr::Upsert {
            table,
            fields,
            key,
            set,
            find,
            update,
            insert,
        } => {
            let values = values(fields.iter().map(|(_, v)| v));
            let table = lit::usize(table.0);
            let names = fields.iter().map(|(name, _)| lit::str(name));
            let key = key.iter().map(|k| lit::str(k));
            let (find, update, insert) = (lit::str(find), lit::str(update), lit::str(insert));
            let call = match set {
                Some(set) => {
                    let set = super::expr::values(set.iter().map(|(_, v)| v));
                    quote!(ctx.upsert_with(&upsert, values, &mut |ctx| ::std::result::Result::Ok(#set))?)
                }
                None => quote!(ctx.upsert(&upsert, values)?),
            };
            quote!({
                let values = #values;
                let upsert = ::awm_runtime::exec::Upsert {
                    table: #table,
                    fields: &[#(#names),*],
                    key: &[#(#key),*],
                    find: #find,
                    update: #update,
                    insert: #insert,
                };
                #call
            })
        }
        _ => quote!(::awm_runtime::Value::Null),
    }
}

/// The rows an `update` or `delete` acts on, as a `Vec<Value>`.
fn targets(target: &Target) -> TokenStream {
    match target {
        Target::Row { row, .. } => {
            let row = expr(row);
            quote!({
                let row = #row;
                ctx.target_row(row)?
            })
        }
        Target::List { list, filter, .. } => {
            let list = expr(list);
            match filter {
                None => quote!(::awm_runtime::exec::ops::as_list(#list)),
                Some(filter) => {
                    let filter = row_fn(expr(filter));
                    quote!({
                        let items = ::awm_runtime::exec::ops::as_list(#list);
                        ctx.filter(items, #filter)?
                    })
                }
            }
        }
        Target::Rows {
            table,
            filter,
            select,
        } => {
            let (table, select) = (lit::usize(table.0), lit::str(select));
            let current = state(State::Current);
            match filter {
                Some(Filter::Sql { params, .. }) => {
                    let params = values(params);
                    quote!({
                        let params = #params;
                        ctx.table(#current, #table, #select, &params)?
                    })
                }
                Some(Filter::Rows(condition)) => {
                    let condition = row_fn(expr(condition));
                    quote!({
                        let rows = ctx.table(#current, #table, #select, &[])?;
                        ctx.filter(rows, #condition)?
                    })
                }
                None => quote!(ctx.table(#current, #table, #select, &[])?),
            }
        }
    }
}
