//! Operators: unary and binary operators, comparisons (with the `column == parameter`
//! idiom), arithmetic on numbers, text, times and durations, and the checks they share.

use awm_stdlib::Scalar;

use super::Checker;
use super::types::{self, Ty};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, UnaryOp};

impl Checker<'_> {
    pub(super) fn infer_unary(&mut self, op: UnaryOp, operand: &Expr) -> Ty {
        let ty = self.infer(operand, None);
        match op {
            UnaryOp::Not => {
                self.require_bool(&ty, operand, "`not`");
                Ty::BOOL
            }
            UnaryOp::Neg => {
                let required = ty.required();
                let numeric = required.is_numeric() || *required == Ty::DURATION;
                if ty.is_optional() && numeric && !self.nulls_propagate() {
                    self.require_assignable(&ty, required, operand.span, "the operand of `-`");
                    Ty::Error
                } else if ty.is_error() || numeric {
                    ty
                } else {
                    self.invalid_operands("-", &[&ty], operand.span);
                    Ty::Error
                }
            }
        }
    }

    /// `x == x`, `x < x`: a comparison of a value with itself is constant.
    fn report_self_comparison(&mut self, expr: &Expr, op: BinaryOp, lhs: &Expr, rhs: &Expr) {
        if !same_shape(lhs, rhs) || is_column_versus_binding(self, lhs, rhs) {
            return;
        }
        let always = if matches!(op, BinaryOp::Eq | BinaryOp::Le | BinaryOp::Ge) {
            "always true"
        } else {
            "always false"
        };
        self.report(
            Diagnostic::new(
                Code::SelfComparison,
                format!("this compares `{}` with itself", snippet(lhs)),
                expr.span,
                always,
            )
            .with_help("compare with the parameter or value you meant"),
        );
    }

    pub(super) fn infer_binary(&mut self, expr: &Expr, op: BinaryOp, lhs: &Expr, rhs: &Expr) -> Ty {
        use BinaryOp::*;
        match op {
            And | Or => {
                let l = self.infer(lhs, None);
                self.require_bool(&l, lhs, &format!("`{}`", op.symbol()));
                let r = self.infer(rhs, None);
                self.require_bool(&r, rhs, &format!("`{}`", op.symbol()));
                Ty::BOOL
            }
            Eq | Ne => {
                let (l, r) = self.infer_comparison_operands(lhs, rhs);
                if !(l == Ty::State && r == Ty::State) {
                    self.require_comparable(&l, &r, expr, op.symbol());
                }
                self.report_self_comparison(expr, op, lhs, rhs);
                Ty::BOOL
            }
            Lt | Le | Gt | Ge => {
                let (l, r) = self.infer_comparison_operands(lhs, rhs);
                // One diagnostic per comparison, on the first operand that is wrong.
                if self.require_ordered(&l, lhs, op.symbol())
                    && self.require_ordered(&r, rhs, op.symbol())
                {
                    self.require_comparable(&l, &r, expr, op.symbol());
                }
                self.report_self_comparison(expr, op, lhs, rhs);
                Ty::BOOL
            }
            Contains | StartsWith | EndsWith => {
                let (l, r) = self.infer_comparison_operands(lhs, rhs);
                for (ty, side) in [(&l, lhs), (&r, rhs)] {
                    if !matches!(
                        ty.required(),
                        Ty::Scalar(Scalar::Text) | Ty::Error | Ty::Null
                    ) {
                        self.invalid_operands(op.symbol(), &[&l, &r], side.span);
                        return Ty::BOOL;
                    }
                }
                if r.is_optional() {
                    self.require_assignable(
                        &r,
                        &Ty::TEXT,
                        rhs.span,
                        &format!("the right side of `{}`", op.symbol()),
                    );
                }
                Ty::BOOL
            }
            Mentions => {
                let l = self.infer(lhs, None);
                if !matches!(l.required(), Ty::Scalar(Scalar::Text) | Ty::Error) {
                    self.invalid_operands("mentions", &[&l], lhs.span);
                }
                let r = self.infer(rhs, None);
                if !(r.is_error()
                    || r.required().scalar().is_some()
                    || matches!(r.required(), Ty::Enum(_)))
                {
                    self.invalid_operands("mentions", &[&l, &r], rhs.span);
                }
                Ty::BOOL
            }
            Coalesce => {
                let l = self.infer(lhs, None);
                let r = self.infer(rhs, Some(l.required()));
                match types::unify(l.required(), &r) {
                    Some(unified) if r.is_optional() => unified.optional(),
                    Some(unified) => unified.required().clone(),
                    None => {
                        let diagnostic = self.mismatch(
                            types::Mismatch::Type,
                            &r,
                            l.required(),
                            rhs.span,
                            "the fallback after `??`",
                        );
                        self.report(diagnostic);
                        Ty::Error
                    }
                }
            }
            Add | Sub | Mul | Div | Rem => {
                let l = self.infer(lhs, None);
                let r = self.infer(rhs, None);
                // A verifier judges: a missing value makes its expectation fail, so nulls
                // propagate there. A tool must decide what a missing value means.
                let propagate = self.nulls_propagate();
                if !propagate {
                    for (ty, side) in [(&l, lhs), (&r, rhs)] {
                        if ty.is_optional() {
                            let what = format!("an operand of `{}`", op.symbol());
                            self.require_assignable(ty, ty.required(), side.span, &what);
                            return Ty::Error;
                        }
                    }
                }
                let result = self.arithmetic(op, l.required(), r.required(), expr);
                if propagate && (l.is_optional() || r.is_optional()) {
                    result.optional()
                } else {
                    result
                }
            }
        }
    }

    /// Infers both sides of a comparison, giving each side's type to the other as a hint
    /// (so `status == paid` and `paid == status` both resolve the member), and resolving
    /// `name == name` as column against parameter.
    fn infer_comparison_operands(&mut self, lhs: &Expr, rhs: &Expr) -> (Ty, Ty) {
        if is_column_versus_binding(self, lhs, rhs)
            && let (ExprKind::Name(left), ExprKind::Name(right)) =
                (&lhs.unparen().kind, &rhs.unparen().kind)
        {
            let saved = std::mem::replace(&mut self.quiet_shadowing, true);
            let l = self.infer_name(left, None, false);
            self.quiet_shadowing = saved;
            let r = self.infer_name(right, Some(&l), true);
            return (l, r);
        }
        if self.is_unresolved_bare_name(lhs) {
            let r = self.infer(rhs, None);
            let l = self.infer(lhs, Some(&r));
            return (l, r);
        }
        let l = self.infer(lhs, None);
        let r = self.infer(rhs, Some(&l));
        (l, r)
    }

    /// Whether `expr` is a bare name that only an expected type can resolve (an enum member).
    pub(super) fn is_unresolved_bare_name(&self, expr: &Expr) -> bool {
        match &expr.unparen().kind {
            ExprKind::Name(name) => {
                self.scope.binding(&name.name).is_none()
                    && !self.scope.is_row_field(&name.name, &self.model)
                    && self.model.table(&name.name).is_none()
                    && !matches!(
                        name.name.as_str(),
                        "me" | "initial" | "final" | "answer" | "excluded"
                    )
            }
            _ => false,
        }
    }

    fn arithmetic(&mut self, op: BinaryOp, l: &Ty, r: &Ty, expr: &Expr) -> Ty {
        use BinaryOp::*;
        use Scalar::*;
        if l.is_error() || r.is_error() {
            return Ty::Error;
        }
        let result = match (op, l.scalar(), r.scalar()) {
            (Div, Some(a), Some(b)) if a.is_numeric() && b.is_numeric() => Some(Ty::REAL),
            (Rem, Some(Int), Some(Int)) => Some(Ty::INT),
            (Add | Sub | Mul, Some(Int), Some(Int)) => Some(Ty::INT),
            (Add | Sub | Mul, Some(a), Some(b)) if a.is_numeric() && b.is_numeric() => {
                Some(Ty::REAL)
            }
            (Add, Some(Text), Some(Text)) => Some(Ty::TEXT),
            (Add | Sub, Some(DateTime), Some(Duration)) | (Add, Some(Duration), Some(DateTime)) => {
                Some(Ty::DATETIME)
            }
            (Add | Sub, Some(Date), Some(Duration)) => Some(Ty::DATE),
            (Sub, Some(DateTime), Some(DateTime)) | (Sub, Some(Date), Some(Date)) => {
                Some(Ty::DURATION)
            }
            (Add | Sub, Some(Duration), Some(Duration)) => Some(Ty::DURATION),
            (Mul, Some(Duration), Some(Int)) | (Mul, Some(Int), Some(Duration)) => {
                Some(Ty::DURATION)
            }
            _ => None,
        };
        match result {
            Some(ty) => ty,
            None => {
                self.invalid_operands(op.symbol(), &[l, r], expr.span);
                Ty::Error
            }
        }
    }

    /// Reports an operand that has no order; returns whether it has one.
    pub(super) fn require_ordered(&mut self, ty: &Ty, expr: &Expr, op: &str) -> bool {
        if ty.is_error() {
            return true;
        }
        if ty.is_optional() && !self.nulls_propagate() {
            let what = format!("an operand of `{op}`");
            return self.require_assignable(ty, ty.required(), expr.span, &what);
        }
        let ordered =
            ty.required().scalar().is_some_and(Scalar::is_ordered) || matches!(ty, Ty::Null);
        if !ordered {
            self.invalid_operands(op, &[ty], expr.span);
        }
        ordered
    }

    pub(super) fn require_comparable(&mut self, l: &Ty, r: &Ty, expr: &Expr, op: &str) {
        if !types::comparable(l, r) {
            self.invalid_operands(op, &[l, r], expr.span);
        }
    }

    pub fn invalid_operands(&mut self, op: &str, operands: &[&Ty], span: crate::span::Span) {
        if operands.iter().any(|ty| ty.is_error()) {
            return;
        }
        let shown: Vec<String> = operands
            .iter()
            .map(|ty| format!("`{}`", ty.display(&self.model)))
            .collect();
        let has = |wanted: fn(&Ty) -> bool| operands.iter().any(|ty| wanted(ty.required().unref()));
        let is_text = |ty: &Ty| *ty == Ty::TEXT;
        let help = if op == "+" && shown.iter().any(|s| s == "`text`") {
            "to join text with a number, convert it first: `\"#\" + text(id)`"
        } else if has(is_text) && has(|ty| matches!(ty, Ty::Enum(_))) {
            "write enum members without quotes: `status == confirmed`"
        } else if has(is_text) && has(|ty| *ty == Ty::DATETIME || *ty == Ty::DATE) {
            "write dates and times without quotes: `starts_at >= 2026-03-01T00:00:00Z`"
        } else if has(|ty| *ty == Ty::BOOL) {
            "`true` and `false` have no order; compare them with `==` or use the value as a condition"
        } else if shown.iter().any(|s| s.ends_with("]`")) {
            "this is a list: aggregate it first, e.g. `.count()`, `.sum()`, `.first()`"
        } else {
            "both sides must be numbers, or both text, dates or times of the same kind"
        };
        self.report(
            Diagnostic::new(
                Code::InvalidOperands,
                format!("`{op}` cannot be applied to {}", shown.join(" and ")),
                span,
                format!("`{op}` does not work on these types"),
            )
            .with_help(help),
        );
    }
}

/// `product_id == product_id` inside a filter: a column compared with the parameter of the
/// same name (the column on the left, the parameter on the right).
fn is_column_versus_binding(checker: &Checker, lhs: &Expr, rhs: &Expr) -> bool {
    match (&lhs.unparen().kind, &rhs.unparen().kind) {
        (ExprKind::Name(a), ExprKind::Name(b)) => {
            a.name == b.name
                && checker.scope.is_row_field(&a.name, &checker.model)
                && checker.scope.binding(&a.name).is_some()
        }
        _ => false,
    }
}

/// Whether two expressions are written the same way (spans ignored).
pub(crate) fn same_shape(a: &Expr, b: &Expr) -> bool {
    match (&a.unparen().kind, &b.unparen().kind) {
        (ExprKind::Name(x), ExprKind::Name(y)) => x.name == y.name,
        (
            ExprKind::Field {
                receiver: r1,
                name: n1,
            },
            ExprKind::Field {
                receiver: r2,
                name: n2,
            },
        ) => n1.name == n2.name && same_shape(r1, r2),
        (ExprKind::Int(x), ExprKind::Int(y)) => x == y,
        (ExprKind::Str(x), ExprKind::Str(y)) => x.value == y.value,
        (ExprKind::Bool(x), ExprKind::Bool(y)) => x == y,
        (ExprKind::Real(x), ExprKind::Real(y)) => x == y,
        (ExprKind::Call { callee: f, args: a }, ExprKind::Call { callee: g, args: b }) => {
            f.name == g.name && same_args(a, b)
        }
        (
            ExprKind::Method {
                receiver: r1,
                name: n1,
                args: a,
            },
            ExprKind::Method {
                receiver: r2,
                name: n2,
                args: b,
            },
        ) => n1.name == n2.name && same_shape(r1, r2) && same_args(a, b),
        _ => false,
    }
}

fn same_args(a: &[crate::syntax::ast::Arg], b: &[crate::syntax::ast::Arg]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_shape(&x.value, &y.value))
}

/// A short rendering of a name or path for messages.
pub(crate) fn snippet(expr: &Expr) -> String {
    match &expr.unparen().kind {
        ExprKind::Name(name) => name.name.clone(),
        ExprKind::Field { receiver, name } => format!("{}.{}", snippet(receiver), name.name),
        ExprKind::Int(i) => i.to_string(),
        ExprKind::Str(s) => format!("{:?}", s.value),
        ExprKind::Bool(b) => b.to_string(),
        _ => "this value".to_string(),
    }
}
