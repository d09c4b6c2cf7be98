//! Evaluation of constant expressions at compile time: seed values, defaults, solution
//! arguments, and check constraints over a seed row. Only already type-checked
//! expressions are evaluated, so a type error here means "not constant".

use awm_stdlib::eval::{Builtin, Datum};
use awm_stdlib::operators::Operands;

use super::Checker;
use super::types::Ty;
use super::value::Value;
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, UnaryOp};

/// The values of a row's columns, for evaluating check constraints.
pub(crate) type RowValues<'r> = &'r [(String, Value)];

impl Checker<'_> {
    /// Evaluates a constant expression of the expected type; `None` when it is not
    /// constant (it reads state, a parameter or a binding).
    pub fn eval_const(
        &self,
        expr: &Expr,
        expected: Option<&Ty>,
        row: Option<RowValues>,
    ) -> Option<Value> {
        let clock = self
            .model
            .env
            .as_ref()
            .map_or("1970-01-01T00:00:00Z", |e| e.clock.as_str());
        Evaluator {
            checker: self,
            clock,
            row,
        }
        .eval(expr, expected)
    }
}

struct Evaluator<'c, 'a, 'r> {
    checker: &'c Checker<'a>,
    clock: &'c str,
    row: Option<RowValues<'r>>,
}

impl Evaluator<'_, '_, '_> {
    fn eval(&self, expr: &Expr, expected: Option<&Ty>) -> Option<Value> {
        Some(match &expr.kind {
            ExprKind::Int(i) => match expected.map(Ty::required) {
                Some(Ty::Scalar(awm_stdlib::Scalar::Real)) => Value::Real(*i as f64),
                _ => Value::Int(*i),
            },
            ExprKind::Real(r) => Value::Real(*r),
            ExprKind::Str(s) => Value::Text(s.value.clone()),
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Null => Value::Null,
            ExprKind::DateTime(d) => Value::DateTime(d.clone()),
            ExprKind::Date(d) => Value::Date(d.clone()),
            ExprKind::Paren(inner) => return self.eval(inner, expected),
            ExprKind::Name(name) => {
                if let Some(row) = self.row
                    && let Some((_, value)) = row.iter().find(|(column, _)| *column == name.name)
                {
                    return Some(value.clone());
                }
                let model = &self.checker.model;
                let member_of_expected = match expected.map(Ty::required) {
                    Some(Ty::Enum(id)) => model.enums[id.0].members.contains(&name.name),
                    _ => false,
                };
                if member_of_expected || model.enum_with_member(&name.name).is_some() {
                    Value::Enum(name.name.clone())
                } else {
                    return None;
                }
            }
            ExprKind::List(items) => {
                let element = expected.and_then(|e| e.required().element());
                Value::List(
                    items
                        .iter()
                        .map(|item| self.eval(item, element))
                        .collect::<Option<_>>()?,
                )
            }
            ExprKind::Record(record) => Value::Record(
                record
                    .fields
                    .iter()
                    .map(|f| Some((f.name.name.clone(), self.eval(&f.value, None)?)))
                    .collect::<Option<_>>()?,
            ),
            ExprKind::Call { callee, args } => {
                let args: Vec<Value> = args
                    .iter()
                    .map(|a| self.eval(&a.value, None))
                    .collect::<Option<_>>()?;
                return self.call(&callee.name, &args);
            }
            ExprKind::Method {
                receiver,
                name,
                args,
            } => {
                let mut values = vec![self.eval(receiver, None)?];
                for arg in args {
                    values.push(self.eval(&arg.value, None)?);
                }
                return self.call(&name.name, &values);
            }
            ExprKind::Unary { op, operand } => {
                let value = self.eval(operand, expected)?;
                match (op, value) {
                    (UnaryOp::Not, Value::Bool(b)) => Value::Bool(!b),
                    (UnaryOp::Neg, Value::Int(i)) => Value::Int(i.checked_neg()?),
                    (UnaryOp::Neg, Value::Real(r)) => Value::Real(-r),
                    (UnaryOp::Neg, Value::Duration(d)) => Value::Duration(d.checked_neg()?),
                    (_, Value::Null) => Value::Null,
                    _ => return None,
                }
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let left = self.eval(lhs, None)?;
                let right = self.eval(rhs, None)?;
                return binary(*op, left, right);
            }
            ExprKind::Between { value, low, high } => {
                let value = self.eval(value, None)?;
                let low = self.eval(low, None)?;
                let high = self.eval(high, None)?;
                if value.is_null() {
                    return Some(Value::Null);
                }
                Value::Bool(value.compare(&low)?.is_ge() && value.compare(&high)?.is_le())
            }
            ExprKind::In {
                value,
                list,
                negated,
            } => {
                let value = self.eval(value, None)?;
                let Value::List(items) = self.eval(list, None)? else {
                    return None;
                };
                Value::Bool(items.iter().any(|item| item.equals(&value)) != *negated)
            }
            _ => return None,
        })
    }

    /// A built-in scalar function on constant arguments: what the runtime computes.
    fn call(&self, name: &str, args: &[Value]) -> Option<Value> {
        match (name, args) {
            ("now", []) => Some(Value::DateTime(self.clock.to_string())),
            ("today", []) => Some(Value::Date(self.clock.get(..10)?.to_string())),
            _ => apply(Builtin::function(name)?, args),
        }
    }
}

/// A constant as a built-in's argument.
fn datum(value: &Value) -> Option<Datum<'_>> {
    Some(match value {
        Value::Null => Datum::Null,
        Value::Int(i) | Value::Duration(i) => Datum::Int(*i),
        Value::Real(r) => Datum::Real(*r),
        Value::Bool(b) => Datum::Bool(*b),
        Value::Text(s) | Value::DateTime(s) | Value::Date(s) | Value::Enum(s) => {
            Datum::Text(std::borrow::Cow::Borrowed(s))
        }
        Value::List(_) | Value::Record(_) => return None,
    })
}

/// Applies a built-in to constants, with the runtime's implementation; the result typed
/// as the built-in gives it. A fault (overflow, division by zero) is not a constant.
fn apply(builtin: Builtin, args: &[Value]) -> Option<Value> {
    let datums = args.iter().map(datum).collect::<Option<Vec<_>>>()?;
    let result = builtin.apply(&datums).ok()?;
    let durations = args.iter().any(|a| matches!(a, Value::Duration(_)));
    Some(match (builtin, result) {
        (_, Datum::Null) => Value::Null,
        (
            Builtin::Days
            | Builtin::Hours
            | Builtin::Minutes
            | Builtin::Weeks
            | Builtin::DateTimeDifference
            | Builtin::DateDifference,
            Datum::Int(i),
        ) => Value::Duration(i),
        (Builtin::Add | Builtin::Sub | Builtin::Mul | Builtin::Neg, Datum::Int(i)) if durations => {
            Value::Duration(i)
        }
        (Builtin::ShiftDateTime | Builtin::UnshiftDateTime, Datum::Text(t)) => {
            Value::DateTime(t.into_owned())
        }
        (Builtin::ShiftDate | Builtin::UnshiftDate | Builtin::DateOf, Datum::Text(t)) => {
            Value::Date(t.into_owned())
        }
        (_, Datum::Int(i)) => Value::Int(i),
        (_, Datum::Real(r)) => Value::Real(r),
        (_, Datum::Text(t)) => Value::Text(t.into_owned()),
        (_, Datum::Bool(b)) => Value::Bool(b),
    })
}

/// A binary operator on constants: comparisons and logic as the runtime defines them
/// (three-valued, `==` null-safe), everything else the runtime's built-in.
fn binary(op: BinaryOp, left: Value, right: Value) -> Option<Value> {
    use BinaryOp::*;
    use Value::*;
    if op == Coalesce {
        return Some(if left.is_null() { right } else { left });
    }
    if matches!(op, Eq | Ne) {
        let equal = left.equals(&right);
        return Some(Bool(if op == Eq { equal } else { !equal }));
    }
    match op {
        And => {
            return Some(match (&left, &right) {
                (Bool(false), _) | (_, Bool(false)) => Bool(false),
                (Bool(true), Bool(true)) => Bool(true),
                _ => Null,
            });
        }
        Or => {
            return Some(match (&left, &right) {
                (Bool(true), _) | (_, Bool(true)) => Bool(true),
                (Bool(false), Bool(false)) => Bool(false),
                _ => Null,
            });
        }
        Lt | Le | Gt | Ge => {
            if left.is_null() || right.is_null() {
                return Some(Null);
            }
            let order = left.compare(&right)?;
            return Some(Bool(match op {
                Lt => order.is_lt(),
                Le => order.is_le(),
                Gt => order.is_gt(),
                _ => order.is_ge(),
            }));
        }
        _ => {}
    }
    let kind = |value: &Value| match value {
        Text(_) | Enum(_) => Operands::Text,
        DateTime(_) => Operands::DateTime,
        Date(_) => Operands::Date,
        Duration(_) => Operands::Duration,
        Int(_) | Real(_) => Operands::Number,
        _ => Operands::Other,
    };
    let operands = match (kind(&left), kind(&right)) {
        (Operands::Duration, Operands::DateTime) => Operands::DateTime,
        (Operands::Duration, Operands::Date) => Operands::Date,
        (Operands::Other, other) | (other, _) => other,
    };
    let right_is_text = matches!(right, Text(_) | Enum(_) | DateTime(_) | Date(_));
    apply(op.builtin(operands, right_is_text)?, &[left, right])
}
