//! The scalar values built-ins work on, and their faults.

use std::borrow::Cow;
use std::fmt;

/// A scalar value as SQLite and the runtime both see it. Dates and times are ISO-8601
/// text, enum members their names. Booleans are `Bool` where the runtime knows the type,
/// and the integers 0 and 1 where SQLite stores them: every function that takes a boolean
/// accepts both.
#[derive(Debug, Clone, PartialEq)]
pub enum Datum<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(Cow<'a, str>),
    Bool(bool),
}

impl Datum<'_> {
    pub fn is_null(&self) -> bool {
        matches!(self, Datum::Null)
    }

    /// The number, for arithmetic on either kind.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Datum::Int(i) => Some(*i as f64),
            Datum::Real(r) => Some(*r),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Datum::Text(t) => Some(t),
            _ => None,
        }
    }

    /// A boolean, stored as a boolean or as SQLite's 0/1.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Datum::Bool(b) => Some(*b),
            Datum::Int(i) => Some(*i != 0),
            _ => None,
        }
    }

    pub fn text(text: impl Into<String>) -> Datum<'static> {
        Datum::Text(Cow::Owned(text.into()))
    }

    /// An owned copy.
    pub fn into_owned(self) -> Datum<'static> {
        match self {
            Datum::Null => Datum::Null,
            Datum::Int(i) => Datum::Int(i),
            Datum::Real(r) => Datum::Real(r),
            Datum::Text(t) => Datum::Text(Cow::Owned(t.into_owned())),
            Datum::Bool(b) => Datum::Bool(b),
        }
    }
}

/// Why a built-in could not give a value: the message an agent sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault(pub String);

impl Fault {
    pub fn out_of_range() -> Fault {
        Fault("a number is out of range".to_string())
    }

    pub fn division_by_zero() -> Fault {
        Fault("division by zero".to_string())
    }

    pub fn not_applicable(function: &str) -> Fault {
        Fault(format!("`{function}` cannot be applied to these values"))
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Fault {}
