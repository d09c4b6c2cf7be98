//! Operators, built-in functions and list methods on runtime values. Their meaning matches
//! the SQL the same expressions lower to: `==` is null-safe, ordering with a null is
//! unknown, text compares by bytes, `/` is real division.

use std::cmp::Ordering;

use awm_stdlib::operators::{BinaryOp, Operands, UnaryOp};
use awm_stdlib::time;

use crate::error::ToolError;
use crate::value::Value;

/// Whether a guard is given: present and not `false`.
pub fn present(value: &Value) -> bool {
    !matches!(value, Value::Null | Value::Bool(false))
}

/// `not` and unary `-`; anything else of a missing value is missing.
pub fn unary(op: UnaryOp, value: Value) -> Result<Value, ToolError> {
    Ok(match (op, value) {
        (UnaryOp::Not, Value::Bool(b)) => Value::Bool(!b),
        (UnaryOp::Neg, Value::Int(i)) => Value::Int(i.checked_neg().ok_or_else(overflow)?),
        (UnaryOp::Neg, Value::Real(r)) => Value::Real(-r),
        _ => Value::Null,
    })
}

/// `value between low and high`: unknown when an ordering is.
pub fn between(value: &Value, low: &Value, high: &Value) -> Value {
    match (value.compare(low), value.compare(high)) {
        (Some(a), Some(b)) => Value::Bool(a.is_ge() && b.is_le()),
        _ => Value::Null,
    }
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

/// An enum member's rank in declaration order, which is how enums sort (unknown values
/// and null last).
pub fn rank<S: AsRef<str>>(members: &[S], value: &Value) -> Value {
    let position = value
        .as_str()
        .and_then(|v| members.iter().position(|m| m.as_ref() == v));
    Value::Int(position.map_or(i64::MAX, |p| i64::try_from(p).unwrap_or(i64::MAX)))
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

fn overflow() -> ToolError {
    ToolError::rejected("a number is out of range")
}

pub fn binary(
    op: BinaryOp,
    operands: Operands,
    left: Value,
    right: Value,
) -> Result<Value, ToolError> {
    use BinaryOp::*;
    use Value::*;
    Ok(match op {
        Eq => Bool(left.equals(&right)),
        Ne => Bool(!left.equals(&right)),
        And => match (&left, &right) {
            (Bool(false), _) | (_, Bool(false)) => Bool(false),
            (Bool(true), Bool(true)) => Bool(true),
            _ => Null,
        },
        Or => match (&left, &right) {
            (Bool(true), _) | (_, Bool(true)) => Bool(true),
            (Bool(false), Bool(false)) => Bool(false),
            _ => Null,
        },
        Coalesce => {
            if left.is_null() {
                right
            } else {
                left
            }
        }
        Lt | Le | Gt | Ge => match left.compare(&right) {
            Some(order) => Bool(match op {
                Lt => order == Ordering::Less,
                Le => order != Ordering::Greater,
                Gt => order == Ordering::Greater,
                _ => order != Ordering::Less,
            }),
            None => Null,
        },
        Contains | StartsWith | EndsWith => match (&left, &right) {
            (Text(a), Text(b)) => Bool(match op {
                Contains => a.contains(b.as_str()),
                StartsWith => a.starts_with(b.as_str()),
                _ => a.ends_with(b.as_str()),
            }),
            _ => Null,
        },
        Mentions => match &left {
            Text(text) => Bool(mentions(text, &right)),
            _ => Bool(false),
        },
        Add | Sub | Mul | Div | Rem if left.is_null() || right.is_null() => Null,
        Add => match (operands, left, right) {
            (Operands::Text, Text(a), Text(b)) => Text(a + &b),
            (Operands::DateTime, Text(t), Int(s)) => shift_datetime(&t, s)?,
            (Operands::Date, Text(d), Int(s)) => shift_date(&d, s)?,
            (Operands::Duration, Int(s), Text(t)) => shift_datetime(&t, s)?,
            (_, Int(a), Int(b)) => Int(a.checked_add(b).ok_or_else(overflow)?),
            (_, a, b) => Real(number(&a)? + number(&b)?),
        },
        Sub => match (operands, left, right) {
            (Operands::DateTime, Text(t), Int(s)) => {
                shift_datetime(&t, s.checked_neg().ok_or_else(overflow)?)?
            }
            (Operands::Date, Text(d), Int(s)) => {
                shift_date(&d, s.checked_neg().ok_or_else(overflow)?)?
            }
            (Operands::DateTime, Text(a), Text(b)) => Int(seconds(&a)? - seconds(&b)?),
            (Operands::Date, Text(a), Text(b)) => Int((days(&a)? - days(&b)?) * time::DAY),
            (_, Int(a), Int(b)) => Int(a.checked_sub(b).ok_or_else(overflow)?),
            (_, a, b) => Real(number(&a)? - number(&b)?),
        },
        Mul => match (left, right) {
            (Int(a), Int(b)) => Int(a.checked_mul(b).ok_or_else(overflow)?),
            (a, b) => Real(number(&a)? * number(&b)?),
        },
        Div => {
            let divisor = number(&right)?;
            if divisor == 0.0 {
                return Err(ToolError::rejected("division by zero"));
            }
            Real(number(&left)? / divisor)
        }
        Rem => match (left, right) {
            (Int(_), Int(0)) => return Err(ToolError::rejected("division by zero")),
            (Int(a), Int(b)) => Int(a.checked_rem(b).ok_or_else(overflow)?),
            _ => Null,
        },
    })
}

fn number(value: &Value) -> Result<f64, ToolError> {
    value
        .as_f64()
        .ok_or_else(|| ToolError::rejected(format!("`{value}` is not a number")))
}

fn seconds(text: &str) -> Result<i64, ToolError> {
    time::parse_datetime(text)
        .ok_or_else(|| ToolError::rejected(format!("`{text}` is not a date and time")))
}

fn days(text: &str) -> Result<i64, ToolError> {
    time::parse_date(text).ok_or_else(|| ToolError::rejected(format!("`{text}` is not a date")))
}

fn shift_datetime(text: &str, by: i64) -> Result<Value, ToolError> {
    Ok(Value::Text(time::format_datetime(
        seconds(text)?.checked_add(by).ok_or_else(overflow)?,
    )))
}

fn shift_date(text: &str, by: i64) -> Result<Value, ToolError> {
    Ok(Value::Text(time::format_date(
        days(text)?
            .checked_add(by.div_euclid(time::DAY))
            .ok_or_else(overflow)?,
    )))
}

/// Whether an answer mentions a value: case-insensitive, and numbers match however they
/// are written (`48247`, `48,247`, `48247.0`; `420.0` also as `420` or `420.00`).
pub fn mentions(text: &str, value: &Value) -> bool {
    let haystack = normalise_numbers(&text.to_lowercase());
    let needles: Vec<String> = match value {
        Value::Int(i) => vec![i.to_string()],
        Value::Real(r) if r.fract() == 0.0 && r.abs() < 1e15 => {
            vec![format!("{}", *r as i64), format!("{r:.2}")]
        }
        Value::Real(r) => vec![format!("{r:.2}"), format!("{}", (r * 1e6).round() / 1e6)],
        Value::Null => return false,
        other => vec![other.to_string().to_lowercase()],
    };
    needles
        .iter()
        .any(|needle| contains_number_or_text(&haystack, needle))
}

/// Removes thousands separators between digits (`48,247` → `48247`).
fn normalise_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        let separator = *c == ','
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars
                .get(i + 1..i + 4)
                .is_some_and(|next| next.iter().all(char::is_ascii_digit))
            && !chars.get(i + 4).is_some_and(char::is_ascii_digit);
        if !separator {
            out.push(*c);
        }
    }
    out
}

/// A number must not be part of a longer number (`12` is not mentioned by `120`).
fn contains_number_or_text(haystack: &str, needle: &str) -> bool {
    let numeric = needle
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '-');
    if !numeric {
        return haystack.contains(needle);
    }
    haystack.match_indices(needle).any(|(start, _)| {
        let before = haystack[..start].chars().next_back();
        let after = haystack[start + needle.len()..].chars().next();
        let after_is_decimal = after == Some('.')
            && haystack[start + needle.len() + 1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
            && !haystack[start + needle.len() + 1..].starts_with('0');
        !before.is_some_and(|c| c.is_ascii_digit() || c == '.')
            && !after.is_some_and(|c| c.is_ascii_digit())
            && !after_is_decimal
    })
}

/// A built-in scalar function (the same ones the checker folds at compile time).
pub fn call(name: &str, args: &[Value], clock: &str) -> Result<Value, ToolError> {
    use Value::*;
    // A function of a missing value is missing (`text` excepted: it shows "null").
    if name != "text" && name != "exists" && args.iter().any(Value::is_null) {
        return Ok(Null);
    }
    Ok(match (name, args) {
        ("now", []) => Text(clock.to_string()),
        ("today", []) => Text(clock.get(..10).unwrap_or(clock).to_string()),
        ("days", [Int(n)]) => Int(n.checked_mul(time::DAY).ok_or_else(overflow)?),
        ("hours", [Int(n)]) => Int(n.checked_mul(3600).ok_or_else(overflow)?),
        ("minutes", [Int(n)]) => Int(n.checked_mul(60).ok_or_else(overflow)?),
        ("weeks", [Int(n)]) => Int(n.checked_mul(7 * time::DAY).ok_or_else(overflow)?),
        ("date", [Text(t)]) => Text(t.get(..10).unwrap_or(t).to_string()),
        ("year", [Text(t)]) => Int(t.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0)),
        ("month", [Text(t)]) => Int(t.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0)),
        ("days_between", [Text(a), Text(b)]) => {
            Int((seconds(b)? - seconds(a)?).div_euclid(time::DAY))
        }
        ("hours_between", [Text(a), Text(b)]) => Int((seconds(b)? - seconds(a)?).div_euclid(3600)),
        ("minutes_between", [Text(a), Text(b)]) => Int((seconds(b)? - seconds(a)?).div_euclid(60)),
        // As SQLite's: only ASCII letters change case, and only spaces are trimmed.
        ("lower", [Text(s)]) => Text(s.to_ascii_lowercase()),
        ("upper", [Text(s)]) => Text(s.to_ascii_uppercase()),
        ("trim", [Text(s)]) => Text(s.trim_matches(' ').to_string()),
        ("length", [Text(s)]) => Int(i64::try_from(s.chars().count()).unwrap_or(i64::MAX)),
        ("text", [value]) => Text(value.to_string()),
        ("abs", [Int(i)]) => Int(i.checked_abs().ok_or_else(overflow)?),
        ("abs", [Real(r)]) => Real(r.abs()),
        ("round", [value]) => Real(number(value)?.round()),
        ("round", [value, Int(places)]) => {
            let factor = 10f64.powi(i32::try_from(*places).unwrap_or(0).clamp(-15, 15));
            Real((number(value)? * factor).round() / factor)
        }
        ("floor", [value]) => Int(number(value)?.floor() as i64),
        ("ceil", [value]) => Int(number(value)?.ceil() as i64),
        ("exists", [List(items)]) => Bool(!items.is_empty()),
        ("exists", [Null]) => Bool(false),
        ("exists", [_]) => Bool(true),
        _ => {
            return Err(ToolError::rejected(format!(
                "`{name}` cannot be applied to these values"
            )));
        }
    })
}

/// A method of a list.
pub fn list_method(name: &str, items: Vec<Value>) -> Result<Value, ToolError> {
    use Value::*;
    Ok(match name {
        "count" => Int(i64::try_from(items.len()).unwrap_or(i64::MAX)),
        "exists" => Bool(!items.is_empty()),
        "first" => items.into_iter().next().unwrap_or(Null),
        "one" => {
            let count = items.len();
            let mut items = items.into_iter();
            match (items.next(), count) {
                (Some(item), 1) => item,
                _ => {
                    return Err(ToolError::rejected(format!(
                        "expected exactly one match, found {count}"
                    )));
                }
            }
        }
        "sum" => sum(&items)?,
        "avg" => {
            let present: Vec<f64> = items.iter().filter_map(Value::as_f64).collect();
            if present.is_empty() {
                Null
            } else {
                Real(present.iter().sum::<f64>() / present.len() as f64)
            }
        }
        "min" | "max" => {
            let mut best: Option<Value> = None;
            for item in items.into_iter().filter(|i| !i.is_null()) {
                let better = match &best {
                    None => true,
                    Some(current) => {
                        let order = item.compare(current);
                        if name == "min" {
                            order == Some(Ordering::Less)
                        } else {
                            order == Some(Ordering::Greater)
                        }
                    }
                };
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

/// The sum of numbers (nulls skipped): an int while every item is an int; 0 when empty.
pub fn sum(items: &[Value]) -> Result<Value, ToolError> {
    let mut int: Option<i64> = Some(0);
    let mut real = 0.0;
    for item in items {
        match item {
            Value::Int(i) => {
                int = int.and_then(|s| s.checked_add(*i));
                real += *i as f64;
            }
            Value::Real(r) => {
                int = None;
                real += r;
            }
            _ => {}
        }
    }
    Ok(match int {
        Some(total) => Value::Int(total),
        None => Value::Real(real),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_matches_numbers_however_written() {
        assert!(mentions("You have 48,247 points.", &Value::Int(48247)));
        assert!(mentions("It costs $420.00", &Value::Real(420.0)));
        assert!(mentions("The total is 420.", &Value::Real(420.0)));
        assert!(!mentions("Order 120 shipped", &Value::Int(12)));
        assert!(!mentions("about 2.5 stars", &Value::Int(2)));
        assert!(mentions("The ZenBook 14", &Value::Text("zenbook".into())));
    }

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
    }

    #[test]
    fn time_arithmetic_uses_the_calendar() {
        let later = binary(
            BinaryOp::Sub,
            Operands::DateTime,
            Value::Text("2026-03-01T00:00:00Z".into()),
            Value::Int(time::DAY),
        );
        assert_eq!(later, Ok(Value::Text("2026-02-28T00:00:00Z".into())));
    }
}
