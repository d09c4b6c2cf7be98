//! Which parts of an expression the body can evaluate before a statement runs: those that
//! read no table and no row, group or `excluded` of the statement. They become bound
//! parameters; everything else is written as SQL.

use awm_stdlib::functions::{self, FunctionKind};

use super::SqlCx;
use crate::check::resolution::NameRes;
use crate::check::types::Ty;
use crate::syntax::ast::{self, ExprKind};
use crate::syntax::{interpolations, parse_interpolation};

impl SqlCx<'_, '_> {
    /// Whether `expr` reads no table and no row of the statement.
    pub(super) fn is_free(&self, expr: &ast::Expr) -> bool {
        let resolutions = self.lowerer.resolutions;
        let model = self.lowerer.model;
        match &expr.kind {
            ExprKind::Int(_)
            | ExprKind::Real(_)
            | ExprKind::Bool(_)
            | ExprKind::Null
            | ExprKind::DateTime(_)
            | ExprKind::Date(_) => true,
            ExprKind::Str(text) => {
                if !self.lowerer.interpolate || !text.raw.contains('{') {
                    return true;
                }
                let base = text.span.start as usize + 1;
                interpolations(&text.raw)
                    .into_iter()
                    .all(|(offset, inner)| {
                        inner.is_none_or(|inner| {
                            parse_interpolation(inner, (base + offset) as u32)
                                .is_ok_and(|parsed| self.is_free(&parsed))
                        })
                    })
            }
            ExprKind::Name(name) => match resolutions.names.get(&name.span) {
                Some(NameRes::Binding { declared, .. }) => {
                    !self.groups.iter().any(|group| group.select == *declared)
                        && !self.lowerer.inlined.contains_key(declared)
                }
                Some(NameRes::Me | NameRes::Answer | NameRes::EnumMember(_)) => true,
                _ => false,
            },
            ExprKind::Paren(inner) => self.is_free(inner),
            ExprKind::Field { receiver, .. } => {
                self.is_free(receiver)
                    && !matches!(resolutions.ty(receiver.span).required(), Ty::Ref { .. })
            }
            ExprKind::Method {
                receiver,
                name,
                args,
            } => {
                let state = matches!(
                    &receiver.unparen().kind,
                    ExprKind::Name(n) if matches!(
                        resolutions.names.get(&n.span),
                        Some(NameRes::Initial | NameRes::Final)
                    )
                );
                let _ = name;
                !state && self.is_free(receiver) && args.iter().all(|a| self.is_free(&a.value))
            }
            ExprKind::Call { callee, args } => {
                model.table(&callee.name).is_none()
                    && (functions::lookup(&callee.name, FunctionKind::Scalar).is_some()
                        || functions::lookup(&callee.name, FunctionKind::Aggregate).is_none())
                    && args.iter().all(|a| self.is_free(&a.value))
            }
            ExprKind::Unary { operand, .. } => self.is_free(operand),
            ExprKind::Binary { lhs, rhs, .. } => self.is_free(lhs) && self.is_free(rhs),
            ExprKind::Between { value, low, high } => {
                self.is_free(value) && self.is_free(low) && self.is_free(high)
            }
            ExprKind::In { value, list, .. } => self.is_free(value) && self.is_free(list),
            ExprKind::Guarded { condition, guard } => {
                self.is_free(condition) && self.is_free(guard)
            }
            ExprKind::Record(record) => record.fields.iter().all(|f| self.is_free(&f.value)),
            ExprKind::List(items) => items.iter().all(|item| self.is_free(item)),
            ExprKind::OrElse { value, message } => {
                self.is_free(value) && {
                    let base = message.span.start as usize + 1;
                    interpolations(&message.raw)
                        .into_iter()
                        .all(|(offset, inner)| {
                            inner.is_none_or(|inner| {
                                parse_interpolation(inner, (base + offset) as u32)
                                    .is_ok_and(|parsed| self.is_free(&parsed))
                            })
                        })
                }
            }
            ExprKind::Query { .. }
            | ExprKind::Insert { .. }
            | ExprKind::Update { .. }
            | ExprKind::Delete { .. }
            | ExprKind::Upsert { .. } => false,
        }
    }
}
