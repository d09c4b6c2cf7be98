//! Writes: `insert`, `update`, `delete` and `upsert`, through statements prepared by the
//! compiler. Each target row is written by primary key, with the `set` values computed
//! against that row, so every form behaves the same whether its filter lowered to SQL or
//! not.

use super::ctx::{Ctx, RowFn, State};
use super::ops;
use crate::error::ToolError;
use crate::value::Value;

/// The statements and names of one `upsert`.
#[derive(Debug, Clone, Copy)]
pub struct Upsert<'a> {
    pub table: usize,
    /// The record's fields, in the order of its values.
    pub fields: &'a [&'a str],
    /// The key columns the existing row is found by.
    pub key: &'a [&'a str],
    /// `SELECT` of the row with the same key.
    pub find: &'a str,
    /// `UPDATE … RETURNING *`: the new values, then the primary key.
    pub update: &'a str,
    /// `INSERT … RETURNING *` of the record.
    pub insert: &'a str,
}

impl<'e> Ctx<'e> {
    /// Runs a statement returning one row (`RETURNING *`); the row, or null.
    pub fn write_returning(
        &self,
        table: usize,
        sql: &str,
        values: &[Value],
    ) -> Result<Value, ToolError> {
        Ok(self
            .read_rows(self.current(), table, sql, values)?
            .into_iter()
            .next()
            .unwrap_or(Value::Null))
    }

    /// A row's primary key.
    pub fn key(&self, table: usize, row: &Value) -> Result<Value, ToolError> {
        let schema = self.table_schema(table)?;
        Ok(ops::field(row, &schema.columns[schema.primary_key].name))
    }

    /// The one row an `update row set …` acts on.
    pub fn target_row(&self, row: Value) -> Result<Vec<Value>, ToolError> {
        match row {
            Value::Null => Err(ToolError::rejected("there is no row to change")),
            row => Ok(vec![row]),
        }
    }

    /// Updates each row by primary key with the values `set` computes for it (then the
    /// key is bound); the updated row when `single`, else how many rows.
    pub fn update_rows(
        &mut self,
        table: usize,
        sql: &str,
        rows: Vec<Value>,
        single: bool,
        set: RowFn<'_, 'e, Vec<Value>>,
    ) -> Result<Value, ToolError> {
        let mut last = Value::Null;
        for row in &rows {
            let mut values = self.with_row(row, &mut *set)?;
            values.push(self.key(table, row)?);
            last = self.write_returning(table, sql, &values)?;
        }
        Ok(if single { last } else { ops::count(rows.len()) })
    }

    /// Deletes each row by primary key; how many rows.
    pub fn delete_rows(
        &mut self,
        table: usize,
        sql: &str,
        rows: Vec<Value>,
    ) -> Result<Value, ToolError> {
        for row in &rows {
            let key = self.key(table, row)?;
            self.current().prepare_cached(sql)?.execute([key])?;
        }
        Ok(ops::count(rows.len()))
    }

    /// Inserts the record, or, when a row with its key exists, updates that row's non-key
    /// columns to the record's values.
    pub fn upsert(&mut self, upsert: &Upsert<'_>, values: Vec<Value>) -> Result<Value, ToolError> {
        self.upsert_inner(upsert, values, None)
    }

    /// Inserts the record, or, when a row with its key exists, updates that row with the
    /// values `set` computes (with the row in scope and the record as `excluded`).
    pub fn upsert_with(
        &mut self,
        upsert: &Upsert<'_>,
        values: Vec<Value>,
        set: RowFn<'_, 'e, Vec<Value>>,
    ) -> Result<Value, ToolError> {
        self.upsert_inner(upsert, values, Some(set))
    }

    fn upsert_inner(
        &mut self,
        upsert: &Upsert<'_>,
        values: Vec<Value>,
        set: Option<RowFn<'_, 'e, Vec<Value>>>,
    ) -> Result<Value, ToolError> {
        let record = Value::Record(
            upsert
                .fields
                .iter()
                .map(|name| (*name).to_string())
                .zip(values.iter().cloned())
                .collect(),
        );
        let key_values: Vec<Value> = upsert.key.iter().map(|k| ops::field(&record, k)).collect();
        let existing = self
            .table(State::Current, upsert.table, upsert.find, &key_values)?
            .into_iter()
            .next();
        let Some(row) = existing else {
            return self.write_returning(upsert.table, upsert.insert, &values);
        };
        let mut updated = match set {
            Some(set) => {
                let saved = self.excluded.replace(record);
                let values = self.with_row(&row, set);
                self.excluded = saved;
                values?
            }
            None => upsert
                .fields
                .iter()
                .filter(|name| !upsert.key.contains(name))
                .map(|name| ops::field(&record, name))
                .collect(),
        };
        updated.push(self.key(upsert.table, &row)?);
        self.write_returning(upsert.table, upsert.update, &updated)
    }
}
