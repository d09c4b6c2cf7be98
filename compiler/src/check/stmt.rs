//! Statements of tool bodies and verifiers: `let`, `require`, `for`, `if`, `return`,
//! mutations and `expect`; returns on every path, and code after a `return`.

use super::Checker;
use super::scope::BindingKind;
use super::symbols::Symbol;
use super::types::Ty;
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{Block, Expr, ExprKind, Stmt, StmtKind};

/// What a `return` may give in the block being checked.
#[derive(Debug, Clone)]
pub(crate) enum Returns {
    /// A tool with this result type.
    Value(Ty),
    /// A tool without a result.
    Nothing,
    /// A verifier: no `return` at all.
    Forbidden,
}

impl Checker<'_> {
    /// Checks a block in a new scope; returns whether every path through it returns.
    pub fn check_block(&mut self, block: &Block, returns: &Returns) -> bool {
        self.scope.push();
        let mut done = false;
        let mut warned = false;
        for stmt in &block.stmts {
            if done && !warned {
                self.report(
                    Diagnostic::new(
                        Code::UnreachableCode,
                        "this code never runs",
                        stmt.span,
                        "after a `return`",
                    )
                    .with_help("remove it, or move it before the `return`"),
                );
                warned = true;
            }
            done |= self.check_stmt(stmt, returns);
        }
        self.scope.pop();
        done
    }

    fn check_stmt(&mut self, stmt: &Stmt, returns: &Returns) -> bool {
        match &stmt.kind {
            StmtKind::Let { name, ty, value } => {
                if let Some(first) = self.scope.binding(&name.name) {
                    let first_span = first.span;
                    let kind = if first.kind == BindingKind::Param {
                        "a parameter"
                    } else {
                        "an earlier binding"
                    };
                    self.report(
                        Diagnostic::new(
                            Code::DuplicateBinding,
                            format!("`{}` is already {kind}", name.name),
                            name.span,
                            "bound again here",
                        )
                        .with_secondary(first_span, "first bound here")
                        .with_help("choose another name; names are never rebound within a tool or verifier"),
                    );
                }
                let declared = ty.as_ref().map(|t| self.resolve_type(t));
                let value_ty = match &declared {
                    Some(declared) => {
                        self.expect_type(value, declared, &format!("`{}`", name.name));
                        declared.clone()
                    }
                    None => self.infer(value, None),
                };
                if matches!(value_ty, Ty::Unit) {
                    self.report(Diagnostic::new(
                        Code::TypeMismatch,
                        format!("`{}` is bound to something that gives no value", name.name),
                        value.span,
                        "no value",
                    ));
                }
                let symbol = Symbol::Binding(name.span);
                self.record(name.span, symbol, true);
                self.scope.bind(
                    &name.name,
                    value_ty,
                    name.span,
                    BindingKind::Let,
                    Some(symbol),
                );
                false
            }
            StmtKind::Require { condition, message } => {
                let ty = self.infer(condition, None);
                self.require_bool(&ty, condition, "`require`");
                self.check_message(message);
                // `require false else "…"` always fails the call: nothing after it runs.
                matches!(condition.unparen().kind, ExprKind::Bool(false))
            }
            StmtKind::For {
                var,
                iterable,
                body,
            } => {
                let ty = self.infer(iterable, None);
                let element = match ty {
                    Ty::List(element) => *element,
                    Ty::Error => Ty::Error,
                    other => {
                        self.report(
                            Diagnostic::new(
                                Code::NotAList,
                                format!("`for` needs a list, found `{}`", other.display(&self.model)),
                                iterable.span,
                                "not a list",
                            )
                            .with_help("loop over a table or a query: `for line in order_items where order_id == o.id { … }`"),
                        );
                        Ty::Error
                    }
                };
                self.scope.push();
                let symbol = Symbol::Binding(var.span);
                self.record(var.span, symbol, true);
                self.scope.bind(
                    &var.name,
                    element,
                    var.span,
                    BindingKind::Loop,
                    Some(symbol),
                );
                self.check_block(body, returns);
                self.scope.pop();
                // A loop may run zero times, so it never guarantees a return.
                false
            }
            StmtKind::If {
                condition,
                then_block,
                else_block,
            } => {
                let ty = self.infer(condition, None);
                self.require_bool(&ty, condition, "`if`");
                let then_returns = self.check_block(then_block, returns);
                let else_returns = else_block
                    .as_ref()
                    .is_some_and(|b| self.check_block(b, returns));
                then_returns && else_returns
            }
            StmtKind::Return(value) => {
                self.check_return(stmt, value.as_ref(), returns);
                true
            }
            StmtKind::Expr(expr) => {
                self.infer(expr, None);
                false
            }
            StmtKind::Expect { condition, except } => {
                let ty = self.infer(condition, None);
                self.require_bool(&ty, condition, "`expect`");
                for item in except.iter().flatten() {
                    self.check_except_item(item);
                }
                false
            }
        }
    }

    fn check_return(&mut self, stmt: &Stmt, value: Option<&Expr>, returns: &Returns) {
        match (returns, value) {
            (Returns::Forbidden, _) => self.report(
                Diagnostic::new(
                    Code::UnexpectedReturnValue,
                    "a verifier cannot `return`",
                    stmt.span,
                    "not in a verifier",
                )
                .with_help("state what must hold with `expect`"),
            ),
            (Returns::Nothing, Some(value)) => {
                self.infer(value, None);
                self.report(
                    Diagnostic::new(
                        Code::UnexpectedReturnValue,
                        "this tool declares no result, but returns a value",
                        value.span,
                        "value returned here",
                    )
                    .with_help(
                        "declare the result type after the parameters: `tool name(…) -> type`",
                    ),
                );
            }
            (Returns::Nothing, None) => {}
            (Returns::Value(expected), None) => {
                let expected = expected.display(&self.model);
                self.report(
                    Diagnostic::new(
                        Code::ReturnMismatch,
                        format!(
                            "this tool must return a `{expected}`, but this `return` gives nothing"
                        ),
                        stmt.span,
                        "no value",
                    )
                    .with_help(format!("return a `{expected}` here")),
                );
            }
            (Returns::Value(expected), Some(value)) => {
                let found = self.infer(value, Some(expected));
                if let Err(mismatch) = super::types::assignable(&found, expected) {
                    let mut diagnostic =
                        self.mismatch(mismatch, &found, expected, value.span, "the returned value");
                    if let ExprKind::Update {
                        filter: Some(_), ..
                    } = &value.unparen().kind
                    {
                        diagnostic = diagnostic.with_help(
                            "`update table where …` gives the number of rows changed; to return the updated row, update the row itself: `return update o set { … }`",
                        );
                    }
                    if diagnostic.code == Code::TypeMismatch {
                        diagnostic.code = Code::ReturnMismatch;
                        diagnostic.message = format!(
                            "this tool declares it returns `{}`, but this returns `{}`",
                            expected.display(&self.model),
                            found.display(&self.model)
                        );
                    }
                    self.report(diagnostic);
                }
            }
        }
    }

    /// One entry of `expect … except [ … ]`: a table, or a query of one table's rows.
    fn check_except_item(&mut self, item: &Expr) {
        if let ExprKind::Name(name) = &item.unparen().kind
            && let Some(table) = self.model.table(&name.name)
        {
            self.used_tables.insert(table);
            self.record(name.span, Symbol::Table(table), false);
            return;
        }
        let ty = self.infer(item, None);
        let ok = matches!(&ty, Ty::Error)
            || matches!(ty.required(), Ty::List(e) if matches!(**e, Ty::Row(_)))
            || matches!(ty.required(), Ty::Row(_));
        if !ok {
            self.report(
                Diagnostic::new(
                    Code::TypeMismatch,
                    format!("`except` lists tables or rows, found `{}`", ty.display(&self.model)),
                    item.span,
                    "not a table or rows",
                )
                .with_help("write `expect final == initial except [cart_items, final.orders where user_id == me.id]`"),
            );
        }
    }
}
