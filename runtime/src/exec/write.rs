//! Writes: `insert`, `update`, `delete` and `upsert`, through statements prepared by the
//! compiler. An `update`, `delete` or `upsert` runs in two phases: one metered read finds
//! the target rows and computes their new values inside SQLite (the `set` expressions see
//! each row as it was before the statement), then each row is written by rowid, a bounded
//! amount of work that is never stopped half-way.

use rusqlite::types::Value as SqlValue;

use super::ctx::Ctx;
use crate::error::ToolError;
use crate::value::Value;

/// An `update`: `select` gives each target row's rowid then its new `set` values; `update`
/// binds those values, then the rowid (and returns the row when `single`).
#[derive(Debug, Clone, Copy)]
pub struct Update<'a> {
    pub table: usize,
    pub select: &'a str,
    pub update: &'a str,
    /// `update row set …`: the result is the updated row, and a missing row an error.
    pub single: bool,
}

/// A `delete`: `select` gives each target row's rowid; `delete` removes one by rowid.
#[derive(Debug, Clone, Copy)]
pub struct Delete<'a> {
    pub select: &'a str,
    pub delete: &'a str,
    /// `delete row`: a missing row is an error.
    pub single: bool,
}

/// An `upsert`: `find` gives the rowid and new `set` values of the row with the record's
/// key (the record's values are its first parameters); `update` binds the new values and
/// the rowid; `insert` the record's values.
#[derive(Debug, Clone, Copy)]
pub struct Upsert<'a> {
    pub table: usize,
    pub find: &'a str,
    pub update: &'a str,
    pub insert: &'a str,
}

impl Ctx<'_> {
    /// Runs a statement returning one row (`RETURNING *`); the row, or null.
    pub fn write_returning(
        &mut self,
        table: usize,
        sql: &str,
        values: &[Value],
    ) -> Result<Value, ToolError> {
        self.written(table, sql, rusqlite::params_from_iter(values.iter()))
    }

    fn written<P: rusqlite::Params>(
        &mut self,
        table: usize,
        sql: &str,
        params: P,
    ) -> Result<Value, ToolError> {
        let schema = self.table_schema(table)?;
        let mut written = Value::Null;
        self.session.statement(sql, params, true, |row| {
            written = schema.record(schema.read_row(row)?);
            Ok(())
        })?;
        Ok(written)
    }

    /// `insert table { … }`: the new row.
    pub fn insert(
        &mut self,
        table: usize,
        sql: &str,
        values: &[Value],
    ) -> Result<Value, ToolError> {
        self.write_returning(table, sql, values)
    }

    /// The rows a read gives, as raw SQLite values.
    fn targets(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Vec<SqlValue>>, ToolError> {
        let mut rows = Vec::new();
        self.session.statement(
            sql,
            rusqlite::params_from_iter(params.iter()),
            false,
            |row| {
                let width = row.as_ref().column_count();
                let values = (0..width)
                    .map(|i| row.get::<_, SqlValue>(i))
                    .collect::<Result<Vec<_>, _>>()?;
                rows.push(values);
                Ok(())
            },
        )?;
        Ok(rows)
    }

    /// `update … set …`: the updated row when `single`, else how many rows.
    pub fn update(&mut self, update: &Update<'_>, params: &[Value]) -> Result<Value, ToolError> {
        let targets = self.targets(update.select, params)?;
        if update.single && targets.is_empty() {
            return Err(ToolError::rejected("there is no row to change"));
        }
        let mut last = Value::Null;
        for mut row in targets.iter().cloned() {
            // The rowid comes first in the read, last in the write.
            let rowid = row.remove(0);
            row.push(rowid);
            last = self.written(update.table, update.update, rusqlite::params_from_iter(row))?;
        }
        Ok(if update.single {
            last
        } else {
            super::ops::count(targets.len())
        })
    }

    /// `delete …`: how many rows.
    pub fn delete(&mut self, delete: &Delete<'_>, params: &[Value]) -> Result<Value, ToolError> {
        let targets = self.targets(delete.select, params)?;
        if delete.single && targets.is_empty() {
            return Err(ToolError::rejected("there is no row to delete"));
        }
        for row in &targets {
            let rowid = row.first().cloned().unwrap_or(SqlValue::Null);
            self.session
                .statement(delete.delete, [rowid], true, |_| Ok(()))?;
        }
        Ok(super::ops::count(targets.len()))
    }

    /// `upsert table { … } [on (…)] [set { … }]`: the inserted or updated row. `values` are
    /// the record's values; `params` the find statement's other parameters.
    pub fn upsert(
        &mut self,
        upsert: &Upsert<'_>,
        values: &[Value],
        params: &[Value],
    ) -> Result<Value, ToolError> {
        let mut find: Vec<Value> = values.to_vec();
        find.extend_from_slice(params);
        match self.targets(upsert.find, &find)?.into_iter().next() {
            Some(mut row) => {
                let rowid = row.remove(0);
                row.push(rowid);
                self.written(upsert.table, upsert.update, rusqlite::params_from_iter(row))
            }
            None => self.write_returning(upsert.table, upsert.insert, values),
        }
    }
}
