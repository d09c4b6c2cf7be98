//! Warnings about what a spec declares but never uses: parameters, bindings, enums and
//! tables. They never reject a spec.

use super::Checker;
use super::model::{EnumId, TableId};
use super::scope::BindingKind;
use crate::diagnostic::{Code, Diagnostic};

impl Checker<'_> {
    /// Reports the unused parameters and bindings of the tool or verifier just checked.
    ///
    /// When the body had errors, they are held back: a misspelt name leaves the binding it
    /// meant unused, and that warning would only echo the error.
    pub(super) fn report_unused_bindings(&mut self, had_errors: bool) {
        let finished = std::mem::take(&mut self.scope.finished);
        let shadow_sites = std::mem::take(&mut self.shadow_sites);
        if had_errors {
            return;
        }
        for binding in finished {
            if binding.used || binding.name.starts_with('_') {
                continue;
            }
            if let Some((_, site)) = shadow_sites.iter().find(|(name, _)| *name == binding.name) {
                let what = if binding.kind == BindingKind::Param {
                    "parameter"
                } else {
                    "binding"
                };
                self.report(
                    Diagnostic::new(
                        Code::ShadowedName,
                        format!("{what} `{}` is never used: a column of the same name hides it", binding.name),
                        *site,
                        format!("this `{}` is the row's column, not the {what}", binding.name),
                    )
                    .with_secondary(binding.span, format!("the {what}"))
                    .with_help(format!(
                        "inside a query or `set`, columns come first; rename the {what} (e.g. `new_{}`) and use the new name here",
                        binding.name
                    )),
                );
                continue;
            }
            let diagnostic = match binding.kind {
                BindingKind::Param => Diagnostic::new(
                    Code::UnusedParameter,
                    format!("parameter `{}` is never used", binding.name),
                    binding.span,
                    "unused",
                )
                .with_help("use it in the body, remove it, or prefix it with `_`"),
                BindingKind::Let => Diagnostic::new(
                    Code::UnusedBinding,
                    format!("`{}` is bound but never used", binding.name),
                    binding.span,
                    "unused",
                )
                .with_help("use it, remove the `let`, or prefix the name with `_`"),
                _ => continue,
            };
            self.report(diagnostic);
        }
    }

    pub(super) fn lint(&mut self) {
        for index in 0..self.model.enums.len() {
            if !self.used_enums.contains(&EnumId(index)) {
                let info = &self.model.enums[index];
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::UnusedEnum,
                        format!("enum `{}` is never used", info.name),
                        info.span,
                        "unused",
                    )
                    .with_help("use it as a column or parameter type, or remove it"),
                );
            }
        }
        for index in 0..self.model.tables.len() {
            if !self.used_tables.contains(&TableId(index)) {
                let info = &self.model.tables[index];
                let name_span = match self.spec.items.get(info.item) {
                    Some(crate::syntax::ast::Item::Table(t)) => t.name.span,
                    _ => info.span,
                };
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::UnusedTable,
                        format!("table `{}` is never read or written", info.name),
                        name_span,
                        "no tool, task or foreign key uses it",
                    )
                    .with_help("add the tools that use it, or remove it"),
                );
            }
        }
    }
}
