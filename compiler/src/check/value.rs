//! Constant values: seed data, defaults and solution arguments, as the checker computes them.

use std::cmp::Ordering;
use std::fmt;

/// A value known at compile time.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bool(bool),
    /// Canonical `YYYY-MM-DDTHH:MM:SSZ`.
    DateTime(String),
    /// Canonical `YYYY-MM-DD`.
    Date(String),
    /// Seconds.
    Duration(i64),
    /// An enum member's name.
    Enum(String),
    List(Vec<Value>),
    Record(Vec<(String, Value)>),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Compares two values of compatible types; `None` when they cannot be ordered.
    pub fn compare(&self, other: &Value) -> Option<Ordering> {
        use Value::*;
        match (self, other) {
            (Int(a), Int(b)) => Some(a.cmp(b)),
            (Int(a), Real(b)) => (*a as f64).partial_cmp(b),
            (Real(a), Int(b)) => a.partial_cmp(&(*b as f64)),
            (Real(a), Real(b)) => a.partial_cmp(b),
            (Text(a), Text(b))
            | (DateTime(a), DateTime(b))
            | (Date(a), Date(b))
            | (Enum(a), Enum(b)) => Some(a.cmp(b)),
            (Bool(a), Bool(b)) => Some(a.cmp(b)),
            (Duration(a), Duration(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }

    /// Equality as the language defines it (`1 == 1.0`; null equals only null).
    pub fn equals(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::List(a), Value::List(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.equals(y))
            }
            _ => self.compare(other) == Some(Ordering::Equal),
        }
    }

    /// A key for hashing values in uniqueness checks (`1` and `1.0` are the same key).
    pub fn key(&self) -> String {
        match self {
            Value::Real(r) if r.fract() == 0.0 && r.abs() < 9.0e15 => format!("{}", *r as i64),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => write!(f, "null"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Real(r) => {
                if r.fract() == 0.0 && r.abs() < 1e15 {
                    write!(f, "{r:.1}")
                } else {
                    write!(f, "{r}")
                }
            }
            Value::Text(s) => write!(f, "{s:?}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::DateTime(s) | Value::Date(s) => write!(f, "{s}"),
            Value::Duration(s) => write!(f, "{s}s"),
            Value::Enum(m) => write!(f, "{m}"),
            Value::List(items) => {
                let items: Vec<String> = items.iter().map(ToString::to_string).collect();
                write!(f, "[{}]", items.join(", "))
            }
            Value::Record(fields) => {
                let fields: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                write!(f, "{{ {} }}", fields.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_across_int_and_real() {
        assert!(Value::Int(1).equals(&Value::Real(1.0)));
        assert_eq!(Value::Int(1).key(), Value::Real(1.0).key());
        assert_eq!(
            Value::Int(2).compare(&Value::Real(1.5)),
            Some(Ordering::Greater)
        );
    }

    #[test]
    fn null_equals_only_null() {
        assert!(Value::Null.equals(&Value::Null));
        assert!(!Value::Null.equals(&Value::Int(0)));
    }
}
