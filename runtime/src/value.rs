//! Runtime values: what tool arguments, query results and verifier evidence are made of,
//! and their conversions to JSON and SQLite.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use awm_stdlib::eval::Datum;

use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};

/// A value at run time. Dates and times are canonical ISO-8601 text, enum members their
/// names, booleans `Bool` (stored as 0/1 in SQLite).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bool(bool),
    List(Vec<Value>),
    /// Fields in declaration order.
    Record(Vec<(String, Value)>),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(i64::from(*b)),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Real(r) => Some(*r),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Int(i) => Some(*i != 0),
            _ => None,
        }
    }

    /// A field of a record.
    pub fn field(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Record(fields) => fields
                .iter()
                .find(|(field, _)| field == name)
                .map(|(_, value)| value),
            _ => None,
        }
    }

    /// Orders two values of one type as SQLite does (numbers exactly across int and real,
    /// text by bytes, `false` before `true`); `None` across types or when a side is null.
    pub fn compare(&self, other: &Value) -> Option<Ordering> {
        awm_stdlib::eval::compare(&self.as_datum()?, &other.as_datum()?)
    }

    /// A scalar value as a built-in's argument; `None` for lists and records.
    pub fn as_datum(&self) -> Option<Datum<'_>> {
        Some(match self {
            Value::Null => Datum::Null,
            Value::Int(i) => Datum::Int(*i),
            Value::Real(r) => Datum::Real(*r),
            Value::Text(t) => Datum::Text(Cow::Borrowed(t)),
            Value::Bool(b) => Datum::Bool(*b),
            Value::List(_) | Value::Record(_) => return None,
        })
    }

    /// A built-in's result as a value.
    pub fn from_datum(datum: Datum<'_>) -> Value {
        match datum {
            Datum::Null => Value::Null,
            Datum::Int(i) => Value::Int(i),
            Datum::Real(r) => Value::Real(r),
            Datum::Text(t) => Value::Text(t.into_owned()),
            Datum::Bool(b) => Value::Bool(b),
        }
    }

    /// Equality as the language defines it: `1 == 1.0`, and null equals only null.
    pub fn equals(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::List(a), Value::List(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.equals(y))
            }
            (Value::Record(a), Value::Record(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|((k, x), (l, y))| k == l && x.equals(y))
            }
            _ => self.compare(other) == Some(Ordering::Equal),
        }
    }

    /// The value as JSON, as a tool result shows it to an agent.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Real(r) => serde_json::Number::from_f64(*r)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::Text(s) => serde_json::Value::String(s.clone()),
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::List(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json).collect())
            }
            Value::Record(fields) => serde_json::Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// Reads a SQLite value (bools come back as integers; callers that know the column
    /// type convert them).
    pub fn from_sql(value: ValueRef<'_>) -> Value {
        match value {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Int(i),
            ValueRef::Real(r) => Value::Real(r),
            ValueRef::Text(t) | ValueRef::Blob(t) => {
                Value::Text(String::from_utf8_lossy(t).into_owned())
            }
        }
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Owned(SqlValue::Null),
            Value::Int(i) => ToSqlOutput::Owned(SqlValue::Integer(*i)),
            Value::Real(r) => ToSqlOutput::Owned(SqlValue::Real(*r)),
            Value::Bool(b) => ToSqlOutput::Owned(SqlValue::Integer(i64::from(*b))),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            // A list or record is bound as its JSON (a list source or `in` list, read
            // with `json_each`).
            Value::List(_) | Value::Record(_) => {
                ToSqlOutput::Owned(SqlValue::Text(self.to_json().to_string()))
            }
        })
    }
}

impl fmt::Display for Value {
    /// Values as messages and evidence show them: text unquoted, reals without noise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => write!(f, "null"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Real(r) => f.write_str(&awm_stdlib::eval::format_real(*r)),
            Value::Text(s) => write!(f, "{s}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::List(_) | Value::Record(_) => write!(f, "{}", self.to_json()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_across_int_and_real() {
        assert!(Value::Int(2).equals(&Value::Real(2.0)));
        assert_eq!(
            Value::Int(1).compare(&Value::Real(1.5)),
            Some(Ordering::Less)
        );
        assert_eq!(Value::Int(1).compare(&Value::Null), None);
    }

    #[test]
    fn display_is_what_a_message_shows() {
        assert_eq!(Value::Real(249.0).to_string(), "249.0");
        assert_eq!(Value::Real(0.1 + 0.2).to_string(), "0.3");
        assert_eq!(Value::Text("Mug".into()).to_string(), "Mug");
    }
}
