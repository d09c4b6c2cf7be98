//! Tools, tasks and statements to IR: parameters become slots and argument specs,
//! statements a list, expectations keep their text and sides for evidence.

use awm_runtime::args::{ParamSpec, ToolSpec};

use super::Lowerer;
use super::ir::{Except, Expect, Expectation, SolutionCall, Stmt, TaskIr, ToolIr};
use super::schema::runtime_value;
use crate::check::resolution::NameRes;
use crate::check::types::Ty;
use crate::syntax::ast::{self, BinaryOp, ExprKind, SolutionStep, StmtKind};

impl Lowerer<'_> {
    pub(super) fn tool(&mut self, tool: &ast::ToolDecl) -> ToolIr {
        self.begin_body();
        let info = self
            .model
            .tool(&tool.name.name)
            .map(|id| self.model.tools[id.0].clone());
        let params: Vec<ParamSpec> = tool
            .params
            .iter()
            .map(|param| {
                // Parameters take the first slots, in declaration order.
                self.slot(param.name.span, &param.name.name);
                let info = info
                    .as_ref()
                    .and_then(|t| t.params.iter().find(|p| p.name == param.name.name));
                let ty = info.map_or(Ty::Error, |p| p.ty.clone());
                let (list, element) = match ty.required() {
                    Ty::List(element) => (true, (**element).clone()),
                    other => (false, other.clone()),
                };
                let (minimum, maximum) = param
                    .check
                    .as_ref()
                    .map_or((None, None), |c| bounds(c, &param.name.name));
                ParamSpec {
                    name: param.name.name.clone(),
                    description: param.description.as_ref().map(|d| d.value.clone()),
                    kind: self.kind(&element),
                    list,
                    optional: ty.is_optional(),
                    default: info.and_then(|p| p.default.as_ref()).map(runtime_value),
                    minimum,
                    maximum,
                }
            })
            .collect();
        self.params = tool.params.len();
        self.check_params = Some(tool.params.iter().map(|p| p.name.name.clone()).collect());
        let checks = tool
            .params
            .iter()
            .filter_map(|p| p.check.as_ref().map(|check| (p, check)))
            .map(|(param, check)| {
                let message = format!(
                    "`{}` is out of range: it must satisfy `{}`",
                    param.name.name,
                    self.text(check.span)
                );
                (self.expr(check), message)
            })
            .collect();
        self.check_params = None;
        self.interpolate = true;
        self.inline_reads = !crate::syntax::walk::writes(&tool.body);
        let body = self.stmts(&tool.body.stmts);
        self.inline_reads = false;
        self.interpolate = false;
        let effects = super::effects::infer(&body, params.len());
        ToolIr {
            spec: ToolSpec {
                name: tool.name.name.clone(),
                description: tool
                    .description
                    .as_ref()
                    .map_or_else(String::new, |d| d.value.clone()),
                params,
                effects,
                output_schema: info
                    .as_ref()
                    .and_then(|t| t.result.as_ref())
                    .and_then(|ty| self.output_schema(ty)),
            },
            checks,
            body,
            slots: self.next_slot,
            returns_value: tool.result.is_some(),
        }
    }

    pub(super) fn task(&mut self, task: &ast::TaskDecl) -> Option<TaskIr> {
        self.begin_body();
        let solution = task.solutions.first()?;
        let verify = task.verifies.first()?;
        let mut calls = Vec::new();
        let mut answer = None;
        for step in &solution.steps {
            match step {
                SolutionStep::Answer(text) => answer = Some(text.value.clone()),
                SolutionStep::Call(call) => {
                    let id = self.model.tool(&call.tool.name)?;
                    let tool = &self.model.tools[id.0];
                    let arguments = call
                        .args
                        .iter()
                        .enumerate()
                        .filter_map(|(position, arg)| {
                            let name = match &arg.name {
                                Some(name) => name.name.clone(),
                                None => tool.params.get(position)?.name.clone(),
                            };
                            Some((name, self.expr(&arg.value)))
                        })
                        .collect();
                    calls.push(SolutionCall {
                        tool: id.0,
                        arguments,
                        span: call.span,
                    });
                }
            }
        }
        self.interpolate = true;
        self.params = 0;
        // Verifiers never write.
        self.inline_reads = true;
        let verify_body = self.stmts(&verify.stmts);
        self.inline_reads = false;
        self.interpolate = false;
        Some(TaskIr {
            name: task.name.name.clone(),
            span: task.name.span,
            verify_span: verify.span,
            prompt: task.prompt.value.clone(),
            solution: calls,
            answer,
            verify: verify_body,
            slots: self.next_slot,
        })
    }

    fn stmts(&mut self, stmts: &[ast::Stmt]) -> Vec<Stmt> {
        let mut lowered = Vec::with_capacity(stmts.len());
        for stmt in stmts {
            if !self.inline(stmt) {
                lowered.push(self.stmt(stmt));
            }
        }
        lowered
    }

    /// Whether a statement is a `let` of a table read that is inlined where it is used
    /// (see [`Lowerer::inline_reads`]); it then runs nothing itself.
    fn inline(&mut self, stmt: &ast::Stmt) -> bool {
        let StmtKind::Let { name, value, .. } = &stmt.kind else {
            return false;
        };
        let list = matches!(self.resolutions.ty(value.span).required(), Ty::List(_));
        if !self.inline_reads || !list || !self.reads_tables(value.unparen()) {
            return false;
        }
        self.inlined.insert(name.span, value.clone());
        true
    }

    fn stmt(&mut self, stmt: &ast::Stmt) -> Stmt {
        match &stmt.kind {
            StmtKind::Let { name, value, .. } => {
                let value = self.expr(value);
                Stmt::Let {
                    slot: self.slot(name.span, &name.name),
                    value,
                }
            }
            StmtKind::Require { condition, message } => Stmt::Require {
                condition: self.expr(condition),
                message: self.message(message),
            },
            StmtKind::For {
                var,
                iterable,
                body,
            } => {
                let list = self.expr(iterable);
                Stmt::For {
                    slot: self.slot(var.span, &var.name),
                    list,
                    body: self.stmts(&body.stmts),
                }
            }
            StmtKind::If {
                condition,
                then_block,
                else_block,
            } => Stmt::If {
                condition: self.expr(condition),
                then_body: self.stmts(&then_block.stmts),
                else_body: else_block
                    .as_ref()
                    .map(|b| self.stmts(&b.stmts))
                    .unwrap_or_default(),
            },
            StmtKind::Return(value) => Stmt::Return(value.as_ref().map(|v| self.expr(v))),
            StmtKind::Expr(expr) => Stmt::Eval(self.expr(expr)),
            StmtKind::Expect { condition, except } => {
                Stmt::Expect(self.expectation(stmt, condition, except.as_deref()))
            }
        }
    }

    fn expectation(
        &mut self,
        stmt: &ast::Stmt,
        condition: &ast::Expr,
        except: Option<&[ast::Expr]>,
    ) -> Expectation {
        let text = self
            .text(stmt.span)
            .trim_start_matches("expect")
            .trim()
            .to_string();
        let unchanged = match &condition.unparen().kind {
            ExprKind::Binary {
                op: BinaryOp::Eq,
                lhs,
                rhs,
            } => self.is_state(lhs) && self.is_state(rhs),
            _ => false,
        };
        let condition = if unchanged {
            Expect::Unchanged {
                except: except
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|e| self.except(e))
                    .collect(),
            }
        } else {
            let sides = match &condition.unparen().kind {
                ExprKind::Binary { op, lhs, rhs }
                    if op.is_comparison()
                        || *op == BinaryOp::Mentions
                        || *op == BinaryOp::Contains =>
                {
                    vec![
                        (self.text(lhs.span).to_string(), self.expr(lhs)),
                        (self.text(rhs.span).to_string(), self.expr(rhs)),
                    ]
                }
                ExprKind::Between { value, low, high } => vec![
                    (self.text(value.span).to_string(), self.expr(value)),
                    (self.text(low.span).to_string(), self.expr(low)),
                    (self.text(high.span).to_string(), self.expr(high)),
                ],
                _ => Vec::new(),
            };
            Expect::Holds {
                condition: self.expr(condition),
                sides,
            }
        };
        Expectation {
            text,
            condition,
            span: stmt.span,
        }
    }

    fn is_state(&self, expr: &ast::Expr) -> bool {
        match &expr.unparen().kind {
            ExprKind::Name(name) => matches!(
                self.resolutions.names.get(&name.span),
                Some(NameRes::Initial | NameRes::Final)
            ),
            _ => false,
        }
    }

    fn except(&mut self, entry: &ast::Expr) -> Option<Except> {
        match &entry.unparen().kind {
            ExprKind::Name(name) => self.model.table(&name.name).map(Except::Table),
            ExprKind::Field { receiver, name } if self.is_state(receiver) => {
                self.model.table(&name.name).map(Except::Table)
            }
            _ => {
                let table = match self.resolutions.ty(entry.span).required() {
                    Ty::List(element) => match element.required() {
                        Ty::Row(table) => *table,
                        _ => return None,
                    },
                    Ty::Row(table) => *table,
                    _ => return None,
                };
                Some(Except::Rows {
                    table,
                    queries: self.except_queries(entry),
                })
            }
        }
    }

    /// The source text of a span.
    pub(super) fn text(&self, span: crate::span::Span) -> &str {
        self.source.get(span.range()).unwrap_or_default()
    }
}

/// Numeric bounds of a parameter read from its check: `between`, `>=`, `<=`, `>`, `<` with
/// number literals, joined by `and`.
fn bounds(check: &ast::Expr, name: &str) -> (Option<f64>, Option<f64>) {
    let number = |e: &ast::Expr| match e.unparen().kind {
        ExprKind::Int(i) => Some(i as f64),
        ExprKind::Real(r) => Some(r),
        _ => None,
    };
    let is_param = |e: &ast::Expr| matches!(&e.unparen().kind, ExprKind::Name(n) if n.name == name);
    match &check.unparen().kind {
        ExprKind::Between { value, low, high } if is_param(value) => (number(low), number(high)),
        ExprKind::Binary {
            op: BinaryOp::And,
            lhs,
            rhs,
        } => {
            let (a, b) = bounds(lhs, name);
            let (c, d) = bounds(rhs, name);
            (a.or(c), b.or(d))
        }
        ExprKind::Binary { op, lhs, rhs } if is_param(lhs) => match op {
            BinaryOp::Ge => (number(rhs), None),
            BinaryOp::Gt => (
                number(rhs)
                    .map(|n| n + 1.0)
                    .filter(|_| matches!(rhs.unparen().kind, ExprKind::Int(_))),
                None,
            ),
            BinaryOp::Le => (None, number(rhs)),
            BinaryOp::Lt => (
                None,
                number(rhs)
                    .map(|n| n - 1.0)
                    .filter(|_| matches!(rhs.unparen().kind, ExprKind::Int(_))),
            ),
            _ => (None, None),
        },
        _ => (None, None),
    }
}
