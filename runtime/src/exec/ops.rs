//! Operators, built-in functions and list methods on runtime values. What each built-in
//! computes is defined once, in `awm_stdlib::eval`, which SQLite evaluates too (see
//! [`crate::functions`]); comparisons and logic follow SQLite's own rules: `==` is
//! null-safe, ordering with a null is unknown, `and`/`or` are three-valued, text compares
//! by bytes.

use std::cmp::Ordering;

use awm_stdlib::eval::{Avg, Builtin, Sum};
use awm_stdlib::operators::{BinaryOp, Operands, UnaryOp};

use crate::error::ToolError;
use crate::value::Value;

/// Whether a guard is given: present and not `false`.
pub fn present(value: &Value) -> bool {
    !matches!(value, Value::Null | Value::Bool(false))
}

/// Applies a built-in to values.
pub fn apply(builtin: Builtin, args: &[Value]) -> Result<Value, ToolError> {
    let datums = args
        .iter()
        .map(|arg| {
            arg.as_datum()
                .ok_or_else(|| ToolError::rejected(format!("`{arg}` is not a single value")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    builtin
        .apply(&datums)
        .map(Value::from_datum)
        .map_err(|fault| ToolError::rejected(fault.0))
}

/// `not` and unary `-`.
pub fn unary(op: UnaryOp, value: Value) -> Result<Value, ToolError> {
    match (op, value) {
        (UnaryOp::Not, Value::Bool(b)) => Ok(Value::Bool(!b)),
        (UnaryOp::Not, _) => Ok(Value::Null),
        (UnaryOp::Neg, value) => apply(Builtin::Neg, &[value]),
    }
}

/// Three-valued `and`: false wins, then null.
pub fn and(left: &Value, right: &Value) -> Value {
    match (left, right) {
        (Value::Bool(false), _) | (_, Value::Bool(false)) => Value::Bool(false),
        (Value::Bool(true), Value::Bool(true)) => Value::Bool(true),
        _ => Value::Null,
    }
}

/// Three-valued `or`: true wins, then null.
pub fn or(left: &Value, right: &Value) -> Value {
    match (left, right) {
        (Value::Bool(true), _) | (_, Value::Bool(true)) => Value::Bool(true),
        (Value::Bool(false), Value::Bool(false)) => Value::Bool(false),
        _ => Value::Null,
    }
}

fn ordered(left: &Value, right: &Value, test: fn(Ordering) -> bool) -> Value {
    match left.compare(right) {
        Some(order) => Value::Bool(test(order)),
        None => Value::Null,
    }
}

/// `value between low and high`, which is `value >= low and value <= high`.
pub fn between(value: &Value, low: &Value, high: &Value) -> Value {
    and(
        &ordered(value, low, Ordering::is_ge),
        &ordered(value, high, Ordering::is_le),
    )
}

/// `value in list` (`negated`: `not in`), with null-safe equality.
pub fn is_in(value: &Value, list: Value, negated: bool) -> Value {
    let found = as_list(list).iter().any(|item| item.equals(value));
    Value::Bool(found != negated)
}

/// A value used as a list: a list's items, nothing for null, else the value alone.
pub fn as_list(value: Value) -> Vec<Value> {
    match value {
        Value::List(items) => items,
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

/// Whether a condition holds: only `true` does (null and false do not).
pub fn holds(value: &Value) -> bool {
    *value == Value::Bool(true)
}

/// A row's or record's field; null when there is none.
pub fn field(value: &Value, name: &str) -> Value {
    value.field(name).cloned().unwrap_or(Value::Null)
}

/// A field of every item of a list.
pub fn project(list: Value, name: &str) -> Value {
    Value::List(as_list(list).iter().map(|item| field(item, name)).collect())
}

/// A text value (generated code's string constants).
pub fn text(text: &str) -> Value {
    Value::Text(text.to_string())
}

/// A record of named fields, in order (generated code's record literals).
pub fn record<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Record(
        fields
            .into_iter()
            .map(|(name, value)| (name.to_string(), value))
            .collect(),
    )
}

/// A count as a value.
pub fn count(n: usize) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// A binary operator (`and`, `or` and `??` with both sides evaluated: callers that
/// short-circuit decide before calling).
pub fn binary(
    op: BinaryOp,
    operands: Operands,
    left: Value,
    right: Value,
) -> Result<Value, ToolError> {
    use BinaryOp::*;
    Ok(match op {
        Eq => Value::Bool(left.equals(&right)),
        Ne => Value::Bool(!left.equals(&right)),
        And => and(&left, &right),
        Or => or(&left, &right),
        Coalesce => {
            if left.is_null() {
                right
            } else {
                left
            }
        }
        Lt => ordered(&left, &right, Ordering::is_lt),
        Le => ordered(&left, &right, Ordering::is_le),
        Gt => ordered(&left, &right, Ordering::is_gt),
        Ge => ordered(&left, &right, Ordering::is_ge),
        _ => {
            let right_is_text = matches!(right, Value::Text(_));
            match op.builtin(operands, right_is_text) {
                Some(builtin) => apply(builtin, &[left, right])?,
                None => Value::Null,
            }
        }
    })
}

/// A built-in scalar function by name (`now` and `today` read the clock).
pub fn call(name: &str, args: &[Value], clock: &str) -> Result<Value, ToolError> {
    match (name, args) {
        ("now", []) => Ok(Value::Text(clock.to_string())),
        ("today", []) => Ok(Value::Text(clock.get(..10).unwrap_or(clock).to_string())),
        ("exists", [value]) => Ok(Value::Bool(!as_list(value.clone()).is_empty())),
        _ => match Builtin::function(name) {
            Some(builtin) => apply(builtin, args),
            None => Err(ToolError::rejected(format!(
                "`{name}` cannot be applied to these values"
            ))),
        },
    }
}

/// A method of a list held by the body (a query's list methods run inside SQLite, with
/// the same meaning).
pub fn list_method(name: &str, items: Vec<Value>) -> Result<Value, ToolError> {
    use Value::*;
    fn datum<'v>(name: &str, item: &'v Value) -> Result<awm_stdlib::eval::Datum<'v>, ToolError> {
        item.as_datum()
            .ok_or_else(|| ToolError::rejected(format!("`.{name}()` needs numbers")))
    }
    let fault = |fault: awm_stdlib::eval::Fault| ToolError::rejected(fault.0);
    Ok(match name {
        "count" => count(items.len()),
        "exists" => Bool(!items.is_empty()),
        "first" => items.into_iter().next().unwrap_or(Null),
        "one" => {
            let found = items.len();
            let mut items = items.into_iter();
            match (items.next(), found) {
                (Some(item), 1) => item,
                _ => {
                    return Err(ToolError::rejected(format!(
                        "expected exactly one match, found {found}"
                    )));
                }
            }
        }
        "sum" => {
            let mut sum = Sum::default();
            for item in &items {
                sum.add(&datum(name, item)?).map_err(fault)?;
            }
            Value::from_datum(sum.total().map_err(fault)?)
        }
        "avg" => {
            let mut avg = Avg::default();
            for item in &items {
                avg.add(&datum(name, item)?).map_err(fault)?;
            }
            Value::from_datum(avg.mean().map_err(fault)?)
        }
        "min" | "max" => {
            let wanted = if name == "min" {
                Ordering::Less
            } else {
                Ordering::Greater
            };
            let mut best: Option<Value> = None;
            for item in items.into_iter().filter(|i| !i.is_null()) {
                let better = best
                    .as_ref()
                    .is_none_or(|current| item.compare(current) == Some(wanted));
                if better {
                    best = Some(item);
                }
            }
            best.unwrap_or(Null)
        }
        _ => {
            return Err(ToolError::rejected(format!(
                "`.{name}()` is not a list method"
            )));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equality_is_null_safe_and_ordering_with_null_is_unknown() {
        assert_eq!(
            binary(BinaryOp::Eq, Operands::Other, Value::Null, Value::Null),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            binary(BinaryOp::Lt, Operands::Number, Value::Null, Value::Int(1)),
            Ok(Value::Null)
        );
        assert_eq!(
            between(&Value::Int(5), &Value::Int(6), &Value::Null),
            Value::Bool(false)
        );
    }

    #[test]
    fn time_arithmetic_uses_the_calendar() {
        let earlier = binary(
            BinaryOp::Sub,
            Operands::DateTime,
            Value::Text("2026-03-01T00:00:00Z".into()),
            Value::Int(awm_stdlib::time::DAY),
        );
        assert_eq!(earlier, Ok(Value::Text("2026-02-28T00:00:00Z".into())));
    }
}
