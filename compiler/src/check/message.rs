//! Messages with `{interpolations}` (`require … else "Only {p.stock} left"`): each one is
//! parsed as an expression and checked in the scope of the message.

use super::Checker;
use super::types::Ty;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::{self, ast::StrLit};

impl Checker<'_> {
    pub fn check_message(&mut self, message: &StrLit) {
        let base = message.span.start as usize + 1;
        for (offset, text) in syntax::interpolations(&message.raw) {
            let start = base + offset;
            let Some(text) = text else {
                self.report(
                    Diagnostic::new(
                        Code::InvalidInterpolation,
                        "this `{` is never closed",
                        Span::new(start, start + 1),
                        "unclosed interpolation",
                    )
                    .with_help(r"close it with `}`, or write `\{` for a literal brace"),
                );
                continue;
            };
            match syntax::parse_interpolation(text, start as u32) {
                Ok(expr) => {
                    let ty = self.infer(&expr, None);
                    let shown = matches!(
                        ty.required(),
                        Ty::Scalar(_) | Ty::Enum(_) | Ty::Ref { .. } | Ty::Error | Ty::Null
                    );
                    if !shown {
                        self.report(
                            Diagnostic::new(
                                Code::InvalidInterpolation,
                                format!("a `{}` cannot be shown in a message", ty.display(&self.model)),
                                expr.span,
                                "not a single value",
                            )
                            .with_help("interpolate one field, e.g. {p.name}, or a count, e.g. {items.count()}"),
                        );
                    }
                }
                Err(diagnostic) => self.report(diagnostic),
            }
        }
    }
}
