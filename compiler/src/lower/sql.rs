//! SQL for everything that reads tables. A query, a lookup, a foreign-key navigation, a
//! list method of a query, and the targets and new values of a write each become one SQL
//! statement, however deeply they nest: correlated sub-selects, `json_group_array` and
//! `json_object` for nested lists and records, `json_each` for lists the body holds. So
//! every filter, sort, group, join and aggregate runs inside SQLite, using its indexes, and
//! only the values a statement gives come back.
//!
//! What does not depend on any row of the statement (parameters, bindings, `me`,
//! constants, and expressions of them) is evaluated by the body and bound as a parameter:
//! no value is ever written into SQL text. Operators and functions with a meaning of
//! their own are the application-defined functions of [`awm_runtime::functions`], the same
//! code the body runs; comparisons and logic are SQLite's, which the runtime follows.
//!
//! The statements this module writes are read by people debugging a spec, so they are
//! plain: one alias per row scope (`t0`, `t1`, …), parameters numbered `?1`, `?2`, ….

mod block;
mod expr;
mod free;
mod val;
mod write;

use awm_runtime::exec::Mode;

use super::Lowerer;
use super::ir::{Expr, SqlQuery};
use crate::check::model::TableId;
use crate::check::types::Ty;
use crate::span::Span;
use crate::syntax::ast;
use val::Val;

/// Which database a table is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    /// The session (tools; `final` in verifiers).
    Main,
    /// The seed state (`initial` in verifiers).
    Initial,
}

impl Db {
    pub fn schema(self) -> &'static str {
        match self {
            Db::Main => "main",
            Db::Initial => "initial",
        }
    }
}

/// Why an expression could not be written as SQL (reported at check time).
#[derive(Debug, Clone)]
pub struct Unsupported {
    pub span: Span,
    pub reason: String,
}

pub type Compiled<T> = Result<T, Unsupported>;

/// The group keys and rows in scope in a `group by … select`.
#[derive(Debug, Clone)]
struct Group {
    /// The span of the `select` the checker declares the keys at.
    select: Span,
    keys: Vec<(String, Val)>,
    /// One row of the group, for aggregates' arguments.
    rows: Val,
}

/// The state of writing one statement.
pub(super) struct SqlCx<'c, 'a> {
    lowerer: &'c mut Lowerer<'a>,
    /// What `?1`, `?2`, … are bound to, after the first `base` (bound by the caller).
    params: Vec<Expr>,
    base: usize,
    /// The elements of the row scopes in scope, innermost last (the checker's row frames).
    scopes: Vec<Val>,
    groups: Vec<Group>,
    next_alias: usize,
    /// Every table read goes to this database when set (`except` rows, in both states).
    forced: Option<Db>,
    /// In an `upsert`'s `set`: the record that was to be inserted.
    excluded: Option<Val>,
    /// DDL: columns unqualified, constants as literals, nothing bound.
    ddl: bool,
}

impl<'c, 'a> SqlCx<'c, 'a> {
    fn new(lowerer: &'c mut Lowerer<'a>) -> Self {
        SqlCx {
            lowerer,
            params: Vec::new(),
            base: 0,
            scopes: Vec::new(),
            groups: Vec::new(),
            next_alias: 0,
            forced: None,
            excluded: None,
            ddl: false,
        }
    }

    fn alias(&mut self) -> String {
        self.next_alias += 1;
        format!("t{}", self.next_alias - 1)
    }

    /// Binds a value the body computes; its placeholder.
    fn bind(&mut self, value: Expr) -> String {
        self.params.push(value);
        format!("?{}", self.base + self.params.len())
    }

    fn ty(&self, expr: &ast::Expr) -> Ty {
        self.lowerer.resolutions.ty(expr.span).clone()
    }

    fn unsupported<T>(span: Span, reason: impl Into<String>) -> Compiled<T> {
        Err(Unsupported {
            span,
            reason: reason.into(),
        })
    }

    fn table_name(&self, table: TableId) -> &str {
        &self.lowerer.model.tables[table.0].name
    }
}

impl Lowerer<'_> {
    /// An expression that reads tables, evaluated by the body as one statement.
    pub(super) fn sql_query(&mut self, expr: &ast::Expr) -> Expr {
        let mut cx = SqlCx::new(self);
        let ty = cx.ty(expr);
        let compiled = match ty.required() {
            Ty::List(element) => {
                let element = (**element).clone();
                cx.block(expr).and_then(|block| {
                    let sql = cx.rows(block)?;
                    Ok((sql, Mode::Rows, element))
                })
            }
            _ => cx.single(expr).map(|(sql, mode)| (sql, mode, ty.clone())),
        };
        match compiled {
            Ok((sql, mode, element)) => {
                let shape = cx.lowerer.shape(&element);
                let params = std::mem::take(&mut cx.params);
                Expr::Query(Box::new(SqlQuery {
                    sql,
                    params,
                    mode,
                    shape,
                }))
            }
            Err(unsupported) => self.cannot_run(unsupported),
        }
    }

    /// An expression that cannot run: a check-time diagnostic, and an error if it ever ran.
    pub(super) fn cannot_run(&mut self, unsupported: Unsupported) -> Expr {
        let message = format!("this cannot be evaluated: {}", unsupported.reason);
        self.unsupported.push(unsupported);
        Expr::OrElse {
            value: Box::new(Expr::Const(awm_runtime::Value::Null)),
            message: super::ir::Message {
                parts: vec![super::ir::MessagePart::Text(message)],
            },
        }
    }

    /// A check constraint as DDL, or `None` when it needs values only a body has.
    pub(super) fn ddl_check(&mut self, table: TableId, condition: &ast::Expr) -> Option<String> {
        let mut cx = SqlCx::new(self);
        cx.ddl = true;
        cx.scopes.push(Val::Row {
            table,
            alias: String::new(),
            db: Db::Main,
        });
        cx.scalar(condition).ok()
    }

    /// The rows an `except` entry names, read in `initial` and then in `final`.
    pub(super) fn except_queries(&mut self, entry: &ast::Expr) -> Vec<Expr> {
        [Db::Initial, Db::Main]
            .into_iter()
            .map(|db| {
                let mut cx = SqlCx::new(self);
                cx.forced = Some(db);
                let ty = cx.ty(entry);
                let compiled = match ty.required() {
                    Ty::List(_) => cx.block(entry).and_then(|block| cx.rows(block)),
                    _ => cx.single(entry).map(|(sql, _)| sql),
                };
                match compiled {
                    Ok(sql) => {
                        let table = match ty.required() {
                            Ty::List(element) => (**element).clone(),
                            other => other.clone(),
                        };
                        let shape = cx.lowerer.shape(&table);
                        let params = std::mem::take(&mut cx.params);
                        let mode = if matches!(ty.required(), Ty::List(_)) {
                            Mode::Rows
                        } else {
                            Mode::First
                        };
                        Expr::Query(Box::new(SqlQuery {
                            sql,
                            params,
                            mode,
                            shape,
                        }))
                    }
                    Err(unsupported) => self.cannot_run(unsupported),
                }
            })
            .collect()
    }
}
