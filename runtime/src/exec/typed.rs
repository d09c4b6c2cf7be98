//! Typed tool arguments: a generated crate declares one serde struct per tool (its
//! parameters as Rust fields) and the tool's function takes it. Agents' JSON is still
//! validated by the tool's spec first ([`crate::args::ToolSpec::validate`], whose messages
//! agents see); [`Arguments::from_values`] then moves the validated values into the
//! struct, and [`IntoValue`] turns each field back into a [`Value`] inside the body.
//! Rust callers build the structs directly and call with [`call`].

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::environment::Environment;
use crate::error::ToolError;
use crate::session::Session;
use crate::value::Value;

/// The arguments of one tool, as a struct with one field per parameter.
pub trait Arguments: Serialize + DeserializeOwned {
    /// The tool these are the arguments of.
    const TOOL: &'static str;

    /// The struct of validated arguments, in parameter order.
    fn from_values(values: Vec<Value>) -> Result<Self, ToolError>;
}

/// A Rust type a validated argument converts to.
pub trait FromValue: Sized {
    /// `None` when the value has another type (validation rules that out).
    fn from_value(value: Value) -> Option<Self>;
}

/// A field of an argument struct back to the value tool bodies compute with.
pub trait IntoValue {
    fn into_value(self) -> Value;
}

impl FromValue for i64 {
    fn from_value(value: Value) -> Option<i64> {
        match value {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }
}

impl FromValue for f64 {
    fn from_value(value: Value) -> Option<f64> {
        match value {
            Value::Real(r) => Some(r),
            _ => None,
        }
    }
}

impl FromValue for bool {
    fn from_value(value: Value) -> Option<bool> {
        match value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }
}

impl FromValue for String {
    fn from_value(value: Value) -> Option<String> {
        match value {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: Value) -> Option<Option<T>> {
        match value {
            Value::Null => Some(None),
            value => T::from_value(value).map(Some),
        }
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    fn from_value(value: Value) -> Option<Vec<T>> {
        match value {
            Value::List(items) => items.into_iter().map(T::from_value).collect(),
            _ => None,
        }
    }
}

impl IntoValue for i64 {
    fn into_value(self) -> Value {
        Value::Int(self)
    }
}

impl IntoValue for f64 {
    fn into_value(self) -> Value {
        Value::Real(self)
    }
}

impl IntoValue for bool {
    fn into_value(self) -> Value {
        Value::Bool(self)
    }
}

impl IntoValue for String {
    fn into_value(self) -> Value {
        Value::Text(self)
    }
}

impl<T: IntoValue> IntoValue for Option<T> {
    fn into_value(self) -> Value {
        self.map_or(Value::Null, T::into_value)
    }
}

impl<T: IntoValue> IntoValue for Vec<T> {
    fn into_value(self) -> Value {
        Value::List(self.into_iter().map(T::into_value).collect())
    }
}

/// The next validated argument as the field's type; a mismatch is a bug of the generated
/// crate (its struct disagrees with its spec), reported as an internal error.
pub fn take<T: FromValue>(
    values: &mut std::vec::IntoIter<Value>,
    tool: &str,
    param: &str,
) -> Result<T, ToolError> {
    T::from_value(values.next().unwrap_or(Value::Null)).ok_or_else(|| {
        ToolError::internal(format!(
            "`{tool}`: the validated `{param}` does not fit its Rust type"
        ))
    })
}

/// Calls the tool `A` is the arguments of, as an agent would: the struct is serialized to
/// JSON and validated like any call.
pub fn call<A: Arguments>(
    environment: &dyn Environment,
    session: &Session,
    arguments: &A,
) -> Result<serde_json::Value, ToolError> {
    let json = serde_json::to_value(arguments)
        .map_err(|e| ToolError::internal(format!("`{}`: {e}", A::TOOL)))?;
    environment.call(session, A::TOOL, &json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip_through_values() {
        let list = vec![Some(1i64), None, Some(3)];
        let value = list.clone().into_value();
        assert_eq!(
            value,
            Value::List(vec![Value::Int(1), Value::Null, Value::Int(3)])
        );
        assert_eq!(Vec::<Option<i64>>::from_value(value), Some(list));
        assert_eq!(
            Option::<String>::from_value(Value::Null),
            Some(None::<String>)
        );
        assert_eq!(f64::from_value(Value::Real(0.5)), Some(0.5));
    }

    #[test]
    fn a_value_of_another_type_is_an_internal_error_not_a_panic() {
        assert_eq!(i64::from_value(Value::Real(1.0)), None);
        assert_eq!(
            Vec::<bool>::from_value(Value::List(vec![Value::Int(1)])),
            None
        );
        let mut values = vec![Value::Text("x".into())].into_iter();
        let error = take::<i64>(&mut values, "t", "p").map_err(|e| e.to_string());
        assert!(
            matches!(&error, Err(e) if e.contains("`p` does not fit")),
            "{error:?}"
        );
        // A missing value is null: required fields reject it, optional ones take it.
        assert!(take::<i64>(&mut values, "t", "q").is_err());
        assert_eq!(take::<Option<i64>>(&mut values, "t", "r").ok(), Some(None));
    }
}
