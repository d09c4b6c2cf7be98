//! The language's operators, shared by the syntax tree, the lowered IR and the runtime
//! that evaluates them, and which [`Builtin`] computes each.

use crate::eval::Builtin;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Contains,
    StartsWith,
    EndsWith,
    Mentions,
    Coalesce,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Contains => "contains",
            BinaryOp::StartsWith => "starts_with",
            BinaryOp::EndsWith => "ends_with",
            BinaryOp::Mentions => "mentions",
            BinaryOp::Coalesce => "??",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Rem => "%",
        }
    }

    /// The built-in that computes the operator on operands of this kind (`right_is_text`:
    /// whether the right operand is text, which tells `datetime - datetime` from
    /// `datetime - duration`). `None` for comparisons, logic and `??`, which SQLite and the
    /// runtime evaluate alike by their own definitions (three-valued logic, `IS`).
    pub fn builtin(self, operands: Operands, right_is_text: bool) -> Option<Builtin> {
        use BinaryOp::*;
        Some(match (self, operands) {
            (Add, Operands::Text) => Builtin::Concat,
            (Add, Operands::DateTime) => Builtin::ShiftDateTime,
            (Add, Operands::Date) => Builtin::ShiftDate,
            (Add, Operands::Duration) if right_is_text => Builtin::ShiftDateTime,
            (Add, _) => Builtin::Add,
            (Sub, Operands::DateTime) if right_is_text => Builtin::DateTimeDifference,
            (Sub, Operands::DateTime) => Builtin::UnshiftDateTime,
            (Sub, Operands::Date) if right_is_text => Builtin::DateDifference,
            (Sub, Operands::Date) => Builtin::UnshiftDate,
            (Sub, _) => Builtin::Sub,
            (Mul, _) => Builtin::Mul,
            (Div, _) => Builtin::Div,
            (Rem, _) => Builtin::Rem,
            (Contains, _) => Builtin::Contains,
            (StartsWith, _) => Builtin::StartsWith,
            (EndsWith, _) => Builtin::EndsWith,
            (Mentions, _) => Builtin::Mentions,
            (Or | And | Eq | Ne | Lt | Le | Gt | Ge | Coalesce, _) => return None,
        })
    }

    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Neg,
}

/// The kind of values a binary operator works on (from the checker's types), which
/// decides what `+` means and how it lowers to SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operands {
    Number,
    Text,
    DateTime,
    Date,
    Duration,
    Other,
}
