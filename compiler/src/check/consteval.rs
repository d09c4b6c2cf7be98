//! Evaluation of constant expressions at compile time: seed values, defaults, solution
//! arguments, and check constraints over a seed row. Only already type-checked
//! expressions are evaluated, so a type error here means "not constant".

use awm_stdlib::time;

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

    /// A built-in scalar function on constant arguments.
    fn call(&self, name: &str, args: &[Value]) -> Option<Value> {
        use Value::*;
        Some(match (name, args) {
            ("now", []) => DateTime(self.clock.to_string()),
            ("today", []) => Date(self.clock.get(..10)?.to_string()),
            ("days", [Int(n)]) => Duration(n.checked_mul(time::DAY)?),
            ("hours", [Int(n)]) => Duration(n.checked_mul(3600)?),
            ("minutes", [Int(n)]) => Duration(n.checked_mul(60)?),
            ("weeks", [Int(n)]) => Duration(n.checked_mul(7 * time::DAY)?),
            ("date", [DateTime(d)]) => Date(d.get(..10)?.to_string()),
            ("year", [DateTime(d)]) => Int(d.get(..4)?.parse().ok()?),
            ("month", [DateTime(d)]) => Int(d.get(5..7)?.parse().ok()?),
            ("days_between", [DateTime(a), DateTime(b)]) => {
                Int((time::parse_datetime(b)? - time::parse_datetime(a)?).div_euclid(time::DAY))
            }
            ("hours_between", [DateTime(a), DateTime(b)]) => {
                Int((time::parse_datetime(b)? - time::parse_datetime(a)?).div_euclid(3600))
            }
            ("minutes_between", [DateTime(a), DateTime(b)]) => {
                Int((time::parse_datetime(b)? - time::parse_datetime(a)?).div_euclid(60))
            }
            ("floor", [value]) => Int(as_real(value)?.floor() as i64),
            ("ceil", [value]) => Int(as_real(value)?.ceil() as i64),
            // As SQLite's: only ASCII letters change case, and only spaces are trimmed.
            ("lower", [Text(s)]) => Text(s.to_ascii_lowercase()),
            ("upper", [Text(s)]) => Text(s.to_ascii_uppercase()),
            ("trim", [Text(s)]) => Text(s.trim_matches(' ').to_string()),
            ("length", [Text(s)]) => Int(i64::try_from(s.chars().count()).ok()?),
            ("text", [value]) => Text(match value {
                Text(s) => s.clone(),
                other => other.to_string(),
            }),
            ("abs", [Int(i)]) => Int(i.checked_abs()?),
            ("abs", [Real(r)]) => Real(r.abs()),
            ("round", [value]) => Real(as_real(value)?.round()),
            ("round", [value, Int(places)]) => {
                let factor = 10f64.powi(i32::try_from(*places).ok()?.clamp(-15, 15));
                Real((as_real(value)? * factor).round() / factor)
            }
            (_, [Null, ..]) => Null,
            _ => return None,
        })
    }
}

fn as_real(value: &Value) -> Option<f64> {
    match value {
        Value::Int(i) => Some(*i as f64),
        Value::Real(r) => Some(*r),
        _ => None,
    }
}

/// A binary operator on constants, with SQL's null rules (null in, null out; `??` picks).
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
    if left.is_null() || right.is_null() {
        return Some(match op {
            And if left == Bool(false) || right == Bool(false) => Bool(false),
            Or if left == Bool(true) || right == Bool(true) => Bool(true),
            _ => Null,
        });
    }
    Some(match (op, left, right) {
        (And, Bool(a), Bool(b)) => Bool(a && b),
        (Or, Bool(a), Bool(b)) => Bool(a || b),
        (Lt | Le | Gt | Ge, a, b) => {
            let order = a.compare(&b)?;
            Bool(match op {
                Lt => order.is_lt(),
                Le => order.is_le(),
                Gt => order.is_gt(),
                _ => order.is_ge(),
            })
        }
        (Contains, Text(a), Text(b)) => Bool(a.contains(&b)),
        (StartsWith, Text(a), Text(b)) => Bool(a.starts_with(&b)),
        (EndsWith, Text(a), Text(b)) => Bool(a.ends_with(&b)),
        (Mentions, Text(a), b) => Bool(
            a.to_lowercase()
                .contains(&b.to_string().trim_matches('"').to_lowercase()),
        ),
        (Add, Int(a), Int(b)) => Int(a.checked_add(b)?),
        (Sub, Int(a), Int(b)) => Int(a.checked_sub(b)?),
        (Mul, Int(a), Int(b)) => Int(a.checked_mul(b)?),
        (Rem, Int(a), Int(b)) => Int(a.checked_rem(b)?),
        (Div, a, b) => {
            let divisor = as_real(&b)?;
            if divisor == 0.0 {
                return None;
            }
            Real(as_real(&a)? / divisor)
        }
        (Add | Sub | Mul, a @ (Int(_) | Real(_)), b @ (Int(_) | Real(_))) => {
            let (a, b) = (as_real(&a)?, as_real(&b)?);
            Real(match op {
                Add => a + b,
                Sub => a - b,
                _ => a * b,
            })
        }
        (Add, Text(a), Text(b)) => Text(a + &b),
        (Add | Sub, DateTime(d), Duration(s)) => {
            let seconds = time::parse_datetime(&d)?;
            let delta = if op == Add { s } else { s.checked_neg()? };
            DateTime(time::format_datetime(seconds.checked_add(delta)?))
        }
        (Add, Duration(s), DateTime(d)) => DateTime(time::format_datetime(
            time::parse_datetime(&d)?.checked_add(s)?,
        )),
        (Add | Sub, Date(d), Duration(s)) => {
            let days = time::parse_date(&d)?;
            let delta = s.div_euclid(time::DAY);
            Date(time::format_date(if op == Add {
                days.checked_add(delta)?
            } else {
                days.checked_sub(delta)?
            }))
        }
        (Sub, DateTime(a), DateTime(b)) => {
            Duration(time::parse_datetime(&a)? - time::parse_datetime(&b)?)
        }
        (Sub, Date(a), Date(b)) => {
            Duration((time::parse_date(&a)? - time::parse_date(&b)?).checked_mul(time::DAY)?)
        }
        (Add, Duration(a), Duration(b)) => Duration(a.checked_add(b)?),
        (Sub, Duration(a), Duration(b)) => Duration(a.checked_sub(b)?),
        (Mul, Duration(a), Int(b)) | (Mul, Int(b), Duration(a)) => Duration(a.checked_mul(b)?),
        _ => return None,
    })
}
