//! What the runtime knows of an environment's tables: enough to read rows back with their
//! types, to compare and dump states, and to write export files.

use crate::value::Value;

/// The type of a column as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnKind {
    Int,
    Real,
    Text,
    Bool,
    DateTime,
    Date,
    /// An enum: its members, in declaration order.
    Enum(Vec<String>),
}

impl ColumnKind {
    /// The JSON Schema of a value of this kind.
    pub fn json_schema(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            ColumnKind::Int => json!({ "type": "integer" }),
            ColumnKind::Real => json!({ "type": "number" }),
            ColumnKind::Text => json!({ "type": "string" }),
            ColumnKind::Bool => json!({ "type": "boolean" }),
            ColumnKind::DateTime => json!({ "type": "string", "format": "date-time" }),
            ColumnKind::Date => json!({ "type": "string", "format": "date" }),
            ColumnKind::Enum(members) => json!({ "type": "string", "enum": members }),
        }
    }

    /// Converts a value read from SQLite to this kind (booleans are stored as 0 and 1).
    pub fn from_stored(&self, value: Value) -> Value {
        match (self, value) {
            (ColumnKind::Bool, Value::Int(i)) => Value::Bool(i != 0),
            (ColumnKind::Real, Value::Int(i)) => Value::Real(i as f64),
            (_, value) => value,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSchema {
    pub name: String,
    pub kind: ColumnKind,
    pub optional: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSchema {
    pub name: String,
    pub columns: Vec<ColumnSchema>,
    /// The index of the primary key column.
    pub primary_key: usize,
    /// `CREATE TABLE` and `CREATE INDEX` statements.
    pub ddl: Vec<String>,
    /// The same for exported files: without the check constraints that call awmc's
    /// built-ins, so that any SQLite can read and write the files.
    pub export_ddl: Vec<String>,
}

impl TableSchema {
    /// A row read with `SELECT *`, converted to the columns' kinds.
    pub fn read_row(&self, row: &rusqlite::Row<'_>) -> rusqlite::Result<Vec<Value>> {
        self.columns
            .iter()
            .enumerate()
            .map(|(index, column)| {
                Ok(column
                    .kind
                    .from_stored(Value::from_sql(row.get_ref(index)?)))
            })
            .collect()
    }

    /// A row as a record with the column names.
    pub fn record(&self, values: Vec<Value>) -> Value {
        Value::Record(
            self.columns
                .iter()
                .map(|c| c.name.clone())
                .zip(values)
                .collect(),
        )
    }
}

/// All tables of an environment, in creation order (referenced tables first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvSchema {
    pub tables: Vec<TableSchema>,
}

impl EnvSchema {
    pub fn table(&self, name: &str) -> Option<&TableSchema> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// Every DDL statement, in order.
    pub fn ddl(&self) -> impl Iterator<Item = &str> {
        self.tables
            .iter()
            .flat_map(|t| t.ddl.iter().map(String::as_str))
    }

    /// Every DDL statement of exported files, in order.
    pub fn export_ddl(&self) -> impl Iterator<Item = &str> {
        self.tables
            .iter()
            .flat_map(|t| t.export_ddl.iter().map(String::as_str))
    }
}
