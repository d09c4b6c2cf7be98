//! Queries: `source where … order by … group by … select … limit … offset …`. Each
//! clause sees the current element's fields; `select` changes the element type, and
//! `group by` makes the next `select` aggregate.

use super::Checker;
use super::scope::{BindingKind, Row};
use super::symbols::Symbol;
use super::types::Ty;
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{Clause, ClauseKind, Expr, ExprKind};

/// A group key: its name, type, and what a use of it names in the symbol index.
type GroupKeyBinding = (String, Ty, Option<Symbol>);

/// After `group by`: the keys by name, the type of the grouped rows, and the clause.
type Grouped<'c> = (Vec<GroupKeyBinding>, Ty, &'c Clause);

impl Checker<'_> {
    pub fn infer_query(&mut self, expr: &Expr, source: &Expr, clauses: &[Clause]) -> Ty {
        let source_ty = self.infer(source, None);
        let (single, mut element) = match &source_ty {
            Ty::List(element) => (false, (**element).clone()),
            // `orders(order_id) where user_id == me.id`: a row that must also match.
            Ty::Optional(inner) if matches!(**inner, Ty::Row(_)) => (true, (**inner).clone()),
            Ty::Error => return Ty::Error,
            other => {
                let clause_span = clauses.first().map_or(expr.span, |c| c.span);
                self.report(
                    Diagnostic::new(
                        Code::NotAList,
                        format!(
                            "a query needs a table or a list, but this is `{}`",
                            other.display(&self.model)
                        ),
                        source.span,
                        "not a table or a list",
                    )
                    .with_secondary(clause_span, "this clause needs rows")
                    .with_help(
                        "start a query from a table name (`products where …`) or from a list",
                    ),
                );
                return Ty::Error;
            }
        };
        let mut grouped: Option<Grouped> = None;
        for clause in clauses {
            if single && !matches!(clause.kind, ClauseKind::Where(_)) {
                self.report(
                    Diagnostic::new(
                        Code::InvalidQuery,
                        "a lookup by key gives one row, which can only be filtered with `where`",
                        clause.span,
                        "not allowed on a single row",
                    )
                    .with_help("query the table instead: `orders where … order by …`"),
                );
                continue;
            }
            if grouped.is_some() && !matches!(clause.kind, ClauseKind::Select(_)) {
                self.report(
                    Diagnostic::new(
                        Code::InvalidQuery,
                        "`group by` must be followed directly by `select`",
                        clause.span,
                        "expected `select` here",
                    )
                    .with_help("filter before grouping, and sort or limit after the `select`"),
                );
                continue;
            }
            match &clause.kind {
                ClauseKind::Where(filter) => {
                    self.push_row_of(&element);
                    let saved = std::mem::replace(&mut self.in_filter, true);
                    let ty = self.infer(filter, None);
                    self.require_bool(&ty, filter, "`where`");
                    self.in_filter = saved;
                    self.scope.pop();
                }
                ClauseKind::OrderBy(keys) => {
                    self.push_row_of(&element);
                    for key in keys {
                        let ty = self.infer(&key.key, None);
                        // Sorting also accepts booleans (false first) and enums (in declaration order),
                        // which `<` does not.
                        let key_ty = ty.required().unref();
                        let ordered = ty.is_error()
                            || key_ty.scalar().is_some()
                            || matches!(key_ty, Ty::Enum(_));
                        if !ordered {
                            self.invalid_operands("order by", &[&ty], key.key.span);
                        }
                    }
                    self.scope.pop();
                }
                ClauseKind::Limit(count) | ClauseKind::Offset(count) => {
                    let what = if matches!(clause.kind, ClauseKind::Limit(_)) {
                        "`limit`"
                    } else {
                        "`offset`"
                    };
                    self.expect_type(count, &Ty::INT, what);
                }
                ClauseKind::GroupBy(keys) => {
                    self.push_row_of(&element);
                    let mut names = Vec::new();
                    for key in keys {
                        let recorded = self.resolutions.symbols.len();
                        let ty = self.infer(&key.key, None);
                        let name = match (&key.name, &key.key.unparen().kind) {
                            (Some(name), _) => {
                                let symbol = Symbol::Binding(name.span);
                                self.record(name.span, symbol, true);
                                Some((name.name.clone(), Some(symbol)))
                            }
                            // A key named after its column: a use of the key names the column.
                            (None, ExprKind::Name(name) | ExprKind::Field { name, .. }) => {
                                let symbol = self
                                    .resolutions
                                    .symbols
                                    .iter()
                                    .skip(recorded)
                                    .rev()
                                    .find(|o| o.span == name.span)
                                    .map(|o| o.symbol);
                                Some((name.name.clone(), symbol))
                            }
                            _ => None,
                        };
                        match name {
                            Some((name, symbol)) => names.push((name, ty, symbol)),
                            None => self.report(
                                Diagnostic::new(
                                    Code::InvalidQuery,
                                    "this group key needs a name",
                                    key.key.span,
                                    "unnamed key",
                                )
                                .with_help("name it: `group by month: month(created_at)`"),
                            ),
                        }
                    }
                    self.scope.pop();
                    grouped = Some((names, element.clone(), clause));
                }
                ClauseKind::Select(projection) => {
                    element = match grouped.take() {
                        Some((keys, rows, _)) => {
                            self.scope.push();
                            for (name, ty, symbol) in keys {
                                self.scope.bind(
                                    &name,
                                    ty,
                                    clause.span,
                                    BindingKind::GroupKey,
                                    symbol,
                                );
                            }
                            let saved = self.group_rows.replace(rows);
                            let ty = self.infer(projection, None);
                            self.group_rows = saved;
                            // Group keys are not reported when unused.
                            self.scope.pop();
                            self.scope
                                .finished
                                .retain(|b| b.kind != BindingKind::GroupKey);
                            ty
                        }
                        None => {
                            self.push_row_of(&element);
                            let ty = self.infer(projection, None);
                            self.scope.pop();
                            ty
                        }
                    };
                }
            }
        }
        if let Some((_, _, clause)) = grouped {
            self.report(
                Diagnostic::new(
                    Code::InvalidQuery,
                    "`group by` must be followed by `select`",
                    clause.span,
                    "grouped, but nothing selected",
                )
                .with_help("say what each group gives: `group by status select { status: status, n: count() }`"),
            );
        }
        if single {
            element.optional()
        } else {
            Ty::list(element)
        }
    }

    /// Puts the fields of one element of a list in scope.
    pub fn push_row_of(&mut self, element: &Ty) {
        match element.required() {
            Ty::Row(table) => self.scope.push_row(Row::Table(*table)),
            Ty::Record(fields) => self.scope.push_row(Row::Record(fields.clone())),
            _ => self.scope.push(),
        }
    }
}
