//! The static shape of a query's value, which says how SQLite's answer becomes a
//! [`Value`]: booleans from SQLite's 0 and 1, reals from whole numbers, rows and records
//! field by field, and nested lists and records from the JSON that SQL builds for them.
//!
//! At the top of a query, a table row is one column per table column, a record one column
//! per field (each scalar field as itself, any other as JSON text), anything else one
//! column; below the top, every non-scalar value is JSON.

use std::borrow::Cow;

use rusqlite::Row;
use rusqlite::types::ValueRef;

use crate::error::ToolError;
use crate::schema::{ColumnKind, EnvSchema};
use crate::value::Value;

/// The shape of a value (any of them may also be null).
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Int,
    Real,
    Text,
    Bool,
    /// A row of the table at this index of the schema.
    Row(usize),
    Record(Cow<'static, [(Cow<'static, str>, Shape)]>),
    /// A list; the slice holds exactly one shape, its elements'.
    List(Cow<'static, [Shape]>),
}

impl Shape {
    pub fn is_scalar(&self) -> bool {
        matches!(self, Shape::Int | Shape::Real | Shape::Text | Shape::Bool)
    }

    /// The shape of a column kind.
    pub fn of_kind(kind: &ColumnKind) -> Shape {
        match kind {
            ColumnKind::Int => Shape::Int,
            ColumnKind::Real => Shape::Real,
            ColumnKind::Bool => Shape::Bool,
            ColumnKind::Text | ColumnKind::DateTime | ColumnKind::Date | ColumnKind::Enum(_) => {
                Shape::Text
            }
        }
    }

    /// How many result columns a top-level element of this shape takes.
    pub fn columns(&self, schema: &EnvSchema) -> usize {
        match self {
            Shape::Row(table) => schema.tables.get(*table).map_or(0, |t| t.columns.len()),
            Shape::Record(fields) => fields.len(),
            _ => 1,
        }
    }
}

/// Decodes query results, counting what it reads.
pub struct Decoder<'s> {
    pub schema: &'s EnvSchema,
    /// Rows read so far.
    pub rows: usize,
    pub max_rows: usize,
    /// Values (nested elements included) made so far.
    pub values: usize,
    /// Bytes of text and JSON read so far.
    pub bytes: usize,
    pub max_bytes: usize,
}

impl<'s> Decoder<'s> {
    pub fn new(schema: &'s EnvSchema, max_rows: usize, max_bytes: usize) -> Self {
        Decoder {
            schema,
            rows: 0,
            max_rows,
            values: 0,
            bytes: 0,
            max_bytes,
        }
    }

    fn read(&mut self, bytes: usize) -> Result<(), ToolError> {
        self.values += 1;
        self.bytes = self.bytes.saturating_add(bytes);
        if self.bytes > self.max_bytes {
            return Err(ToolError::limit(format!(
                "a query gave more than {} bytes; ask for less (filter, or `limit`)",
                self.max_bytes
            )));
        }
        Ok(())
    }

    /// One top-level element from the columns of a result row.
    pub fn row(&mut self, row: &Row<'_>, shape: &Shape) -> Result<Value, ToolError> {
        self.rows += 1;
        if self.rows > self.max_rows {
            return Err(ToolError::limit(format!(
                "a query gave more than {} rows; ask for fewer (filter, or `limit`)",
                self.max_rows
            )));
        }
        match shape {
            Shape::Row(table) => {
                let schema = self.table(*table)?;
                Ok(schema.record(schema.read_row(row)?))
            }
            Shape::Record(fields) => {
                let mut values = Vec::with_capacity(fields.len());
                for (index, (name, field)) in fields.iter().enumerate() {
                    values.push((name.to_string(), self.column(row.get_ref(index)?, field)?));
                }
                Ok(Value::Record(values))
            }
            other => self.column(row.get_ref(0)?, other),
        }
    }

    fn table(&self, table: usize) -> Result<&'s crate::schema::TableSchema, ToolError> {
        self.schema
            .tables
            .get(table)
            .ok_or_else(|| ToolError::internal(format!("there is no table number {table}")))
    }

    /// One column's value.
    pub fn column(&mut self, value: ValueRef<'_>, shape: &Shape) -> Result<Value, ToolError> {
        self.read(match value {
            ValueRef::Text(text) | ValueRef::Blob(text) => text.len(),
            _ => 8,
        })?;
        Ok(match (shape, value) {
            (_, ValueRef::Null) => Value::Null,
            (Shape::Bool, ValueRef::Integer(i)) => Value::Bool(i != 0),
            (Shape::Real, ValueRef::Integer(i)) => Value::Real(i as f64),
            (shape, ValueRef::Text(text)) if !shape.is_scalar() => {
                let json: serde_json::Value = serde_json::from_slice(text).map_err(|e| {
                    ToolError::internal(format!("a nested value is not valid JSON: {e}"))
                })?;
                self.json(&json, shape)?
            }
            (_, value) => Value::from_sql(value),
        })
    }

    /// A value from the JSON SQLite built for it.
    pub fn json(&mut self, json: &serde_json::Value, shape: &Shape) -> Result<Value, ToolError> {
        use serde_json::Value as J;
        Ok(match (shape, json) {
            (_, J::Null) => Value::Null,
            (Shape::Bool, J::Bool(b)) => Value::Bool(*b),
            (Shape::Bool, J::Number(n)) => Value::Bool(n.as_f64().is_some_and(|n| n != 0.0)),
            (Shape::Int, J::Number(n)) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Real(n.as_f64().unwrap_or(0.0)),
            },
            (Shape::Real, J::Number(n)) => Value::Real(n.as_f64().unwrap_or(0.0)),
            (_, J::String(s)) => Value::Text(s.clone()),
            (Shape::Row(table), J::Object(object)) => {
                let schema = self.table(*table)?;
                Value::Record(
                    schema
                        .columns
                        .iter()
                        .map(|column| {
                            let value = object.get(&column.name).unwrap_or(&J::Null);
                            Ok((
                                column.name.clone(),
                                self.json(value, &Shape::of_kind(&column.kind))?,
                            ))
                        })
                        .collect::<Result<_, ToolError>>()?,
                )
            }
            (Shape::Record(fields), J::Object(object)) => Value::Record(
                fields
                    .iter()
                    .map(|(name, field)| {
                        let value = object.get(name.as_ref()).unwrap_or(&J::Null);
                        Ok((name.to_string(), self.json(value, field)?))
                    })
                    .collect::<Result<_, ToolError>>()?,
            ),
            (Shape::List(element), J::Array(items)) => {
                let element = element.first().unwrap_or(&Shape::Text);
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    self.values += 1;
                    values.push(self.json(item, element)?);
                }
                Value::List(values)
            }
            (_, J::Bool(b)) => Value::Bool(*b),
            (_, J::Number(n)) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Real(n.as_f64().unwrap_or(0.0)),
            },
            (_, other) => {
                return Err(ToolError::internal(format!(
                    "a nested value has an unexpected form: {other}"
                )));
            }
        })
    }
}
