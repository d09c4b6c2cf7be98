//! The tool pass: signatures (parameters, defaults, checks, result types), then each body
//! in a scope holding its parameters.

use super::model::{ParamInfo, ToolId, ToolInfo};
use super::scope::{BindingKind, Row};
use super::stmt::Returns;
use super::symbols::Symbol;
use super::types::Ty;
use super::{Checker, Mode};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{Item, ToolDecl};

impl Checker<'_> {
    pub(super) fn check_tools(&mut self) {
        let tools: Vec<(usize, &ToolDecl)> = self
            .spec
            .items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| match item {
                Item::Tool(tool) => Some((index, tool)),
                _ => None,
            })
            .collect();
        let mut declared = Vec::new();
        for (index, tool) in tools {
            if let Some(id) = self.model.tool(&tool.name.name) {
                let first = self.model.tools[id.0].span;
                self.report(
                    Diagnostic::new(
                        Code::DuplicateTool,
                        format!("tool `{}` is declared twice", tool.name.name),
                        tool.name.span,
                        "declared again here",
                    )
                    .with_secondary(first, "first declared here")
                    .with_help("rename one of them; agents call tools by name"),
                );
                continue;
            }
            let info = self.tool_signature(index, tool);
            if let Some(id) = self.model.add_tool(info) {
                self.record(tool.name.span, Symbol::Tool(id), true);
            }
            declared.push(tool);
        }
        for tool in declared {
            self.check_tool_body(tool);
        }
    }

    fn tool_signature(&mut self, index: usize, tool: &ToolDecl) -> ToolInfo {
        self.mode = Mode::Schema;
        // The id the tool gets when added next (it is not declared yet, or this would not run).
        let id = ToolId(self.model.tools.len());
        let mut params: Vec<ParamInfo> = Vec::new();
        for param in &tool.params {
            if let Some(first) = params.iter().find(|p| p.name == param.name.name) {
                let first = first.span;
                self.report(
                    Diagnostic::new(
                        Code::DuplicateParameter,
                        format!(
                            "tool `{}` has two parameters called `{}`",
                            tool.name.name, param.name.name
                        ),
                        param.name.span,
                        "declared again here",
                    )
                    .with_secondary(first, "first declared here")
                    .with_help("rename one of them"),
                );
                continue;
            }
            let ty = self.resolve_type(&param.ty);
            let mut default_value = None;
            let storable =
                ty.is_storable() || matches!(ty.required(), Ty::List(e) if e.is_storable());
            if !storable {
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        format!(
                            "parameter `{}` cannot be `{}`: agents pass plain JSON values",
                            param.name.name,
                            ty.display(&self.model)
                        ),
                        param.ty.span,
                        "not a parameter type",
                    )
                    .with_help(
                        "take the key instead (`product_id: int`) and look the row up in the body",
                    ),
                );
            }
            if let Some(default) = &param.default {
                self.expect_type(
                    default,
                    &ty,
                    &format!("the default of `{}`", param.name.name),
                );
                default_value = self.eval_const(default, Some(&ty), None);
                if default_value.is_none() {
                    self.report(
                        Diagnostic::new(
                            Code::NotConstant,
                            format!("the default of `{}` must be a constant", param.name.name),
                            default.span,
                            "not a constant",
                        )
                        .with_help("use a literal, an enum member, or now() ± a duration"),
                    );
                }
            }
            self.record(param.name.span, Symbol::Param(id, params.len()), true);
            params.push(ParamInfo {
                name: param.name.name.clone(),
                ty,
                has_default: param.default.is_some(),
                default: default_value,
                span: param.name.span,
            });
        }
        // Parameter checks see every parameter.
        let fields: Vec<(String, Ty)> = params
            .iter()
            .map(|p| (p.name.clone(), p.ty.clone()))
            .collect();
        for param in &tool.params {
            if let Some(check) = &param.check {
                self.scope.push_row(Row::Record(fields.clone()));
                self.in_check = true;
                self.param_checks_of = Some(id);
                let ty = self.infer(check, None);
                self.require_bool(&ty, check, "`check`");
                self.param_checks_of = None;
                self.in_check = false;
                self.scope.pop();
            }
        }
        let result = tool.result.as_ref().map(|r| self.resolve_type(r));
        ToolInfo {
            name: tool.name.name.clone(),
            params,
            result,
            item: index,
            span: tool.name.span,
        }
    }

    fn check_tool_body(&mut self, tool: &ToolDecl) {
        let Some(id) = self.model.tool(&tool.name.name) else {
            return;
        };
        let info = self.model.tools[id.0].clone();
        self.mode = Mode::Tool;
        self.scope.clear();
        self.scope.push();
        for (index, param) in info.params.iter().enumerate() {
            self.scope.bind(
                &param.name,
                param.ty.clone(),
                param.span,
                BindingKind::Param,
                Some(Symbol::Param(id, index)),
            );
        }
        let returns = match &info.result {
            Some(ty) => Returns::Value(ty.clone()),
            None => Returns::Nothing,
        };
        let errors_before = self.error_count();
        let always_returns = self.check_block(&tool.body, &returns);
        if let (Some(result), false) = (&info.result, always_returns) {
            let shown = result.display(&self.model);
            self.report(
                Diagnostic::new(
                    Code::MissingReturn,
                    format!(
                        "tool `{}` must return a `{shown}`, but can finish without returning",
                        tool.name.name
                    ),
                    tool.name.span,
                    "not every path returns",
                )
                .with_secondary(tool.body.span, "the body")
                .with_help(format!(
                    "end the body with `return …` giving a `{shown}`, or remove `-> {shown}`"
                )),
            );
        }
        self.scope.pop();
        let had_errors = self.error_count() > errors_before;
        self.report_unused_bindings(had_errors);
    }
}
