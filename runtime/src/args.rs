//! Tool signatures as agents see them (name, description, JSON Schema of the arguments)
//! and the validation of the JSON arguments an agent sends, with messages precise enough
//! to correct the call.

use serde_json::{Map, json};

use crate::error::ToolError;
use crate::limits::Limits;
use crate::schema::ColumnKind;
use crate::value::Value;

/// One parameter of a tool.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamSpec {
    pub name: String,
    pub description: Option<String>,
    pub kind: ColumnKind,
    /// A list of `kind` rather than one value.
    pub list: bool,
    /// `T?`: may be omitted or null.
    pub optional: bool,
    pub default: Option<Value>,
    /// Bounds read from the parameter's `check`, for the schema and early messages.
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
}

impl ParamSpec {
    pub fn is_required(&self) -> bool {
        !self.optional && self.default.is_none()
    }
}

/// What MCP tool annotations say about a tool, inferred from what its body does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ToolEffects {
    pub writes: bool,
    pub deletes: bool,
    /// Calling again with the same arguments changes nothing more.
    pub idempotent: bool,
}

/// A tool as agents see it.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolSpec {
    pub name: String,
    pub description: String,
    pub params: Vec<ParamSpec>,
    pub effects: ToolEffects,
    /// The JSON Schema of the result when it is always an object (a row or a record):
    /// MCP's `outputSchema`, and the result then also goes out as `structuredContent`.
    pub output_schema: Option<serde_json::Value>,
}

impl ToolSpec {
    /// The JSON Schema of the arguments object.
    pub fn input_schema(&self) -> serde_json::Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for param in &self.params {
            let mut schema = param.kind.json_schema();
            if let (Some(object), Some(min)) = (schema.as_object_mut(), param.minimum) {
                object.insert("minimum".into(), json!(min));
            }
            if let (Some(object), Some(max)) = (schema.as_object_mut(), param.maximum) {
                object.insert("maximum".into(), json!(max));
            }
            if param.list {
                schema = json!({ "type": "array", "items": schema });
            }
            if let Some(object) = schema.as_object_mut() {
                if let Some(description) = &param.description {
                    object.insert("description".into(), json!(description));
                }
                if let Some(default) = &param.default {
                    object.insert("default".into(), default.to_json());
                }
            }
            if param.optional {
                schema = json!({ "anyOf": [schema, { "type": "null" }] });
            }
            if param.is_required() {
                required.push(json!(param.name));
            }
            properties.insert(param.name.clone(), schema);
        }
        json!({ "type": "object", "properties": properties, "required": required, "additionalProperties": false })
    }

    /// Validates an agent's arguments: each parameter's value in declaration order, with
    /// defaults filled in and absent optional parameters null.
    pub fn validate(
        &self,
        arguments: &serde_json::Value,
        limits: &Limits,
    ) -> Result<Vec<Value>, ToolError> {
        let empty = Map::new();
        let object = match arguments {
            serde_json::Value::Object(object) => object,
            serde_json::Value::Null => &empty,
            other => {
                return Err(ToolError::arguments(format!(
                    "the arguments must be a JSON object of named parameters, not {}",
                    describe(other)
                )));
            }
        };
        let size = arguments.to_string().len();
        if size > limits.max_argument_bytes {
            return Err(ToolError::limit(format!(
                "the arguments are {size} bytes; at most {} are accepted",
                limits.max_argument_bytes
            )));
        }
        if depth(arguments) > limits.max_argument_depth {
            return Err(ToolError::arguments("the arguments are nested too deeply"));
        }
        let unknown: Vec<&str> = object
            .keys()
            .filter(|key| !self.params.iter().any(|p| &p.name == *key))
            .map(String::as_str)
            .collect();
        if let Some(first) = unknown.first() {
            let known: Vec<String> = self
                .params
                .iter()
                .map(|p| format!("`{}`", p.name))
                .collect();
            let known = if known.is_empty() {
                "no parameters".to_string()
            } else {
                format!("parameters {}", known.join(", "))
            };
            return Err(ToolError::arguments(format!(
                "`{}` has no parameter `{first}`; it takes {known}",
                self.name
            )));
        }
        let mut values = Vec::with_capacity(self.params.len());
        for param in &self.params {
            let value = match object.get(&param.name) {
                None | Some(serde_json::Value::Null) => match (&param.default, param.optional) {
                    (Some(default), _) => default.clone(),
                    (None, true) => Value::Null,
                    (None, false) => {
                        return Err(ToolError::arguments(format!(
                            "missing required parameter `{}` ({})",
                            param.name,
                            kind_name(&param.kind, param.list)
                        )));
                    }
                },
                Some(given) if param.list => match given {
                    serde_json::Value::Array(items) => Value::List(
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, item)| {
                                convert(item, param, &format!("{}[{i}]", param.name), limits)
                            })
                            .collect::<Result<_, _>>()?,
                    ),
                    other => {
                        return Err(ToolError::arguments(format!(
                            "`{}` must be a list ({}), not {}",
                            param.name,
                            kind_name(&param.kind, true),
                            describe(other)
                        )));
                    }
                },
                Some(given) => convert(given, param, &param.name, limits)?,
            };
            values.push(value);
        }
        Ok(values)
    }
}

fn convert(
    given: &serde_json::Value,
    param: &ParamSpec,
    path: &str,
    limits: &Limits,
) -> Result<Value, ToolError> {
    let wrong = || {
        ToolError::arguments(format!(
            "`{path}` must be {}, not {}",
            kind_name(&param.kind, false),
            describe(given)
        ))
    };
    let value = match (&param.kind, given) {
        (ColumnKind::Int, serde_json::Value::Number(n)) => {
            match n.as_i64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                    .map(|f| f as i64)
            }) {
                Some(i) => Value::Int(i),
                None => return Err(wrong()),
            }
        }
        (ColumnKind::Real, serde_json::Value::Number(n)) => {
            Value::Real(n.as_f64().ok_or_else(wrong)?)
        }
        (ColumnKind::Bool, serde_json::Value::Bool(b)) => Value::Bool(*b),
        (ColumnKind::Text, serde_json::Value::String(s)) => Value::Text(s.clone()),
        (ColumnKind::DateTime, serde_json::Value::String(s)) => match canonical_datetime(s) {
            Some(canonical) => Value::Text(canonical),
            None => {
                return Err(ToolError::arguments(format!(
                    "`{path}` must be a date and time like 2026-03-14T09:30:00Z, not {s:?}"
                )));
            }
        },
        (ColumnKind::Date, serde_json::Value::String(s)) => match awm_stdlib::time::parse_date(s) {
            Some(days) if awm_stdlib::time::format_date(days) == *s => Value::Text(s.clone()),
            _ => {
                return Err(ToolError::arguments(format!(
                    "`{path}` must be a date like 2026-03-14, not {s:?}"
                )));
            }
        },
        (ColumnKind::Enum(members), serde_json::Value::String(s)) => {
            if members.contains(s) {
                Value::Text(s.clone())
            } else {
                return Err(ToolError::arguments(format!(
                    "`{path}` must be one of {}, not {s:?}",
                    members
                        .iter()
                        .map(|m| format!("{m:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        _ => return Err(wrong()),
    };
    if let Value::Text(text) = &value
        && text.len() > limits.max_value_bytes
    {
        return Err(ToolError::limit(format!(
            "`{path}` is {} bytes; at most {} are accepted",
            text.len(),
            limits.max_value_bytes
        )));
    }
    if let Some(number) = value.as_f64() {
        if let Some(min) = param.minimum.filter(|min| number < *min) {
            return Err(ToolError::arguments(format!(
                "`{path}` must be at least {min}, not {number}"
            )));
        }
        if let Some(max) = param.maximum.filter(|max| number > *max) {
            return Err(ToolError::arguments(format!(
                "`{path}` must be at most {max}, not {number}"
            )));
        }
    }
    Ok(value)
}

/// A datetime in canonical form: `2026-03-14T09:30:00Z` (a missing `Z` or seconds are
/// accepted).
fn canonical_datetime(text: &str) -> Option<String> {
    let seconds = awm_stdlib::time::parse_datetime(text)?;
    let canonical = awm_stdlib::time::format_datetime(seconds);
    // Reject what parsing accepted only loosely (a 31st of February).
    let (date, _) = text.split_once('T')?;
    canonical.starts_with(date).then_some(canonical)
}

fn kind_name(kind: &ColumnKind, list: bool) -> String {
    let one = match kind {
        ColumnKind::Int => "an integer".to_string(),
        ColumnKind::Real => "a number".to_string(),
        ColumnKind::Text => "a string".to_string(),
        ColumnKind::Bool => "true or false".to_string(),
        ColumnKind::DateTime => "a date and time string".to_string(),
        ColumnKind::Date => "a date string".to_string(),
        ColumnKind::Enum(members) => format!("one of {}", members.join(", ")),
    };
    if list {
        format!("a list of {one}")
    } else {
        one
    }
}

fn describe(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "null".to_string(),
        serde_json::Value::Bool(b) => format!("the boolean {b}"),
        serde_json::Value::Number(n) => format!("the number {n}"),
        serde_json::Value::String(s) => {
            let shown: String = s.chars().take(40).collect();
            let more = if s.chars().count() > 40 { "…" } else { "" };
            format!("the string {:?}", format!("{shown}{more}"))
        }
        serde_json::Value::Array(_) => "a list".to_string(),
        serde_json::Value::Object(_) => "an object".to_string(),
    }
}

fn depth(value: &serde_json::Value) -> usize {
    // Iterative, so hostile nesting cannot overflow the stack here.
    let mut deepest = 0;
    let mut stack = vec![(value, 1usize)];
    while let Some((value, level)) = stack.pop() {
        deepest = deepest.max(level);
        match value {
            serde_json::Value::Array(items) => stack.extend(items.iter().map(|v| (v, level + 1))),
            serde_json::Value::Object(fields) => {
                stack.extend(fields.values().map(|v| (v, level + 1)))
            }
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tool() -> ToolSpec {
        let param = |name: &str, kind: ColumnKind| ParamSpec {
            name: name.into(),
            description: None,
            kind,
            list: false,
            optional: false,
            default: None,
            minimum: None,
            maximum: None,
        };
        let mut quantity = param("quantity", ColumnKind::Int);
        quantity.default = Some(Value::Int(1));
        quantity.minimum = Some(1.0);
        let mut note = param("note", ColumnKind::Text);
        note.optional = true;
        ToolSpec {
            name: "add_to_cart".into(),
            description: "Add.".into(),
            params: vec![param("product_id", ColumnKind::Int), quantity, note],
            effects: ToolEffects::default(),
            output_schema: None,
        }
    }

    #[test]
    fn fills_defaults_and_nulls() {
        let values = tool().validate(&json!({ "product_id": 3 }), &Limits::default());
        assert_eq!(values, Ok(vec![Value::Int(3), Value::Int(1), Value::Null]));
    }

    #[test]
    fn rejects_each_kind_of_mistake_with_a_precise_message() {
        let limits = Limits::default();
        let message = |args: serde_json::Value| {
            tool()
                .validate(&args, &limits)
                .map_err(|e| e.message)
                .err()
                .unwrap_or_default()
        };
        assert_eq!(
            message(json!({})),
            "missing required parameter `product_id` (an integer)"
        );
        assert_eq!(
            message(json!({ "product_id": "3" })),
            "`product_id` must be an integer, not the string \"3\""
        );
        assert_eq!(
            message(json!({ "product_id": 3, "qty": 2 })),
            "`add_to_cart` has no parameter `qty`; it takes parameters `product_id`, `quantity`, `note`"
        );
        assert_eq!(
            message(json!({ "product_id": 3, "quantity": 0 })),
            "`quantity` must be at least 1, not 0"
        );
        assert_eq!(
            message(json!([1])),
            "the arguments must be a JSON object of named parameters, not a list"
        );
        assert!(message(json!({ "product_id": 3, "note": "x".repeat(70_000) })).contains("bytes"));
    }

    #[test]
    fn deep_json_is_rejected_without_recursion() {
        let mut deep = json!(1);
        for _ in 0..100 {
            deep = json!([deep]);
        }
        let args = json!({ "product_id": deep });
        assert!(tool().validate(&args, &Limits::default()).is_err());
    }
}
