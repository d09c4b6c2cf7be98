//! The task pass: one solution and one verifier per task; solution calls against the
//! tools' signatures with constant arguments; verifiers read-only, over `initial`,
//! `final` and `answer`, and able to fail.

use super::model::{TaskId, TaskInfo};
use super::stmt::Returns;
use super::symbols::Symbol;
use super::{Checker, Mode};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{Block, CallStep, ExprKind, Item, SolutionStep, StmtKind, TaskDecl};

impl Checker<'_> {
    pub(super) fn check_tasks(&mut self) {
        let tasks: Vec<(usize, &TaskDecl)> = self
            .spec
            .items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| match item {
                Item::Task(task) => Some((index, task)),
                _ => None,
            })
            .collect();
        for (index, task) in tasks {
            if let Some(first) = self.model.tasks.iter().find(|t| t.name == task.name.name) {
                let first = first.span;
                self.report(
                    Diagnostic::new(
                        Code::DuplicateTask,
                        format!("task `{}` is declared twice", task.name.name),
                        task.name.span,
                        "declared again here",
                    )
                    .with_secondary(first, "first declared here")
                    .with_help("give every task its own name"),
                );
                continue;
            }
            let id = TaskId(self.model.tasks.len());
            self.record(task.name.span, Symbol::Task(id), true);
            self.model.tasks.push(TaskInfo {
                name: task.name.name.clone(),
                item: index,
                span: task.name.span,
            });
            self.check_task(task);
        }
    }

    fn check_task(&mut self, task: &TaskDecl) {
        match task.solutions.as_slice() {
            [] => self.report(
                Diagnostic::new(Code::MissingSolution, format!("task `{}` has no reference solution", task.name.name), task.name.span, "no `solution { … }`")
                    .with_help("add `solution { tool_call(arg: value) … }`: the calls that complete the task, which `awmc check` runs"),
            ),
            [solution, rest @ ..] => {
                for extra in rest {
                    self.report(
                        Diagnostic::new(Code::SyntaxError, format!("task `{}` has more than one solution", task.name.name), extra.span, "second solution")
                            .with_secondary(solution.span, "the first solution")
                            .with_help("merge the calls into one `solution` block"),
                    );
                }
                for step in &solution.steps {
                    if let SolutionStep::Call(call) = step {
                        self.check_solution_call(call);
                    }
                }
            }
        }
        match task.verifies.as_slice() {
            [] => self.report(
                Diagnostic::new(Code::MissingVerify, format!("task `{}` has no verifier", task.name.name), task.name.span, "no `verify { … }`")
                    .with_help("add `verify { expect … }` saying what must be true of `final` (and `answer`) when the task is done"),
            ),
            [verify, rest @ ..] => {
                for extra in rest {
                    self.report(
                        Diagnostic::new(Code::SyntaxError, format!("task `{}` has more than one verifier", task.name.name), extra.span, "second verifier")
                            .with_secondary(verify.span, "the first verifier")
                            .with_help("merge the expectations into one `verify` block"),
                    );
                }
                self.check_verify(verify);
            }
        }
    }

    fn check_solution_call(&mut self, call: &CallStep) {
        self.mode = Mode::Schema;
        self.in_solution = true;
        self.check_solution_arguments(call);
        self.in_solution = false;
    }

    fn check_solution_arguments(&mut self, call: &CallStep) {
        let Some(id) = self.model.tool(&call.tool.name) else {
            let candidates = self.model.tools.iter().map(|t| t.name.clone()).collect();
            self.unknown(Code::UnknownTool, "tool", &call.tool, candidates);
            return;
        };
        self.record(call.tool.span, Symbol::Tool(id), false);
        let tool = self.model.tools[id.0].clone();
        let mut given: Vec<usize> = Vec::new();
        for (position, arg) in call.args.iter().enumerate() {
            let index = match &arg.name {
                Some(name) => match tool.params.iter().position(|p| p.name == name.name) {
                    Some(index) => {
                        self.record(name.span, Symbol::Param(id, index), false);
                        index
                    }
                    None => {
                        let candidates = tool.params.iter().map(|p| p.name.clone()).collect();
                        self.unknown_in(
                            Code::UnknownParameter,
                            "parameter",
                            Some(&format!("tool `{}`", tool.name)),
                            name,
                            candidates,
                        );
                        continue;
                    }
                },
                None if position < tool.params.len() => position,
                None => {
                    self.report(
                        Diagnostic::new(
                            Code::TooManyArguments,
                            format!(
                                "tool `{}` takes {} parameter{}",
                                tool.name,
                                tool.params.len(),
                                if tool.params.len() == 1 { "" } else { "s" }
                            ),
                            arg.value.span,
                            "extra argument",
                        )
                        .with_secondary(tool.span, "the tool is declared here"),
                    );
                    continue;
                }
            };
            if given.contains(&index) {
                let name = tool.params[index].name.clone();
                self.report(
                    Diagnostic::new(
                        Code::DuplicateField,
                        format!("parameter `{name}` is given twice"),
                        arg.value.span,
                        "given again",
                    )
                    .with_help("pass each parameter once"),
                );
                continue;
            }
            given.push(index);
            let param = &tool.params[index];
            let found = self.expect_type(
                &arg.value,
                &param.ty,
                &format!("parameter `{}`", param.name),
            );
            if !found.is_error() && self.eval_const(&arg.value, Some(&param.ty), None).is_none() {
                self.report(
                    Diagnostic::new(
                        Code::NonConstantArgument,
                        format!(
                            "solution arguments must be constants, but `{}` is computed",
                            param.name
                        ),
                        arg.value.span,
                        "not a constant",
                    )
                    .with_help("write the value the agent would pass, e.g. `product_id: 3`"),
                );
            }
        }
        // A misspelt argument name already has a "did you mean" for the parameter it meant.
        let names: Vec<&str> = tool.params.iter().map(|p| p.name.as_str()).collect();
        let meant: Vec<&str> = call
            .args
            .iter()
            .filter_map(|a| a.name.as_ref())
            .filter(|n| !names.contains(&n.name.as_str()))
            .filter_map(|n| {
                crate::diagnostic::suggest::did_you_mean(&n.name, names.iter().copied())
            })
            .collect();
        let missing: Vec<String> = tool
            .params
            .iter()
            .enumerate()
            .filter(|(index, p)| {
                p.is_required() && !given.contains(index) && !meant.contains(&p.name.as_str())
            })
            .map(|(_, p)| format!("`{}`", p.name))
            .collect();
        if !missing.is_empty() {
            let plural = if missing.len() == 1 { "" } else { "s" };
            self.report(
                Diagnostic::new(
                    Code::MissingArgument,
                    format!(
                        "call of `{}` is missing required parameter{plural} {}",
                        tool.name,
                        missing.join(", ")
                    ),
                    call.span,
                    format!("missing {}", missing.join(", ")),
                )
                .with_secondary(tool.span, "the tool is declared here")
                .with_help(format!("pass {}", missing.join(", "))),
            );
        }
    }

    fn check_verify(&mut self, verify: &Block) {
        self.mode = Mode::Verify;
        self.scope.clear();
        let errors_before = self.error_count();
        self.check_block(verify, &Returns::Forbidden);
        let had_errors = self.error_count() > errors_before;
        self.report_unused_bindings(had_errors);
        let expects: Vec<&crate::syntax::ast::Expr> = verify
            .stmts
            .iter()
            .filter_map(|stmt| match &stmt.kind {
                StmtKind::Expect { condition, .. } => Some(condition),
                _ => None,
            })
            .collect();
        let trivial = expects.iter().all(|e| is_trivially_true(e));
        if trivial {
            let message = if expects.is_empty() {
                "this verifier has no `expect`, so it can never fail"
            } else {
                "every `expect` in this verifier is always true, so it can never fail"
            };
            self.report(
                Diagnostic::new(Code::TrivialVerifier, message, verify.span, "always passes")
                    .with_help("expect something the solution changes in `final`, or something the `answer` must mention"),
            );
        }
    }
}

/// Whether an expectation holds whatever the state: `true`, or a comparison of a value
/// with itself, or an `or` with such a side.
fn is_trivially_true(expr: &crate::syntax::ast::Expr) -> bool {
    use crate::syntax::ast::BinaryOp;
    match &expr.unparen().kind {
        ExprKind::Bool(true) => true,
        ExprKind::Binary {
            op: BinaryOp::Eq | BinaryOp::Le | BinaryOp::Ge,
            lhs,
            rhs,
        } => super::operator::same_shape(lhs, rhs),
        ExprKind::Binary {
            op: BinaryOp::Or,
            lhs,
            rhs,
        } => is_trivially_true(lhs) || is_trivially_true(rhs),
        ExprKind::Binary {
            op: BinaryOp::And,
            lhs,
            rhs,
        } => is_trivially_true(lhs) && is_trivially_true(rhs),
        _ => false,
    }
}
