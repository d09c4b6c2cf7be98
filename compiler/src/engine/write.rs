//! Writes: `insert`, `update`, `delete` and `upsert`, through the statements lowering
//! prepared. Each target row is written by primary key, with the `set` values evaluated
//! against that row, so every form behaves the same whether its filter lowered to SQL or
//! not.

use awm_runtime::{ToolError, Value};

use super::eval::Ctx;
use crate::check::model::TableId;
use crate::lower::ir::{Expr, Filter, State, Target};

impl Ctx<'_> {
    pub fn write(&mut self, expr: &Expr) -> Result<Value, ToolError> {
        match expr {
            Expr::Insert { table, fields, sql } => {
                let values = fields
                    .iter()
                    .map(|(_, v)| self.eval(v))
                    .collect::<Result<Vec<_>, _>>()?;
                self.single(*table, sql, &values)
            }
            Expr::Update { target, set, sql } => {
                let single = matches!(**target, Target::Row { .. });
                let rows = self.targets(target)?;
                let table = target.table();
                let mut last = Value::Null;
                for row in &rows {
                    let mut values = set
                        .iter()
                        .map(|(_, v)| self.with_row(row, |ctx| ctx.eval(v)))
                        .collect::<Result<Vec<_>, _>>()?;
                    values.push(self.key(table, row));
                    last = self.single(table, sql, &values)?;
                }
                Ok(if single { last } else { count(rows.len()) })
            }
            Expr::Delete { target, sql } => {
                let rows = self.targets(target)?;
                let table = target.table();
                for row in &rows {
                    let key = self.key(table, row);
                    self.current.prepare_cached(sql)?.execute([key])?;
                }
                Ok(count(rows.len()))
            }
            Expr::Upsert {
                table,
                fields,
                key,
                set,
                find,
                update,
                insert,
            } => {
                let values = fields
                    .iter()
                    .map(|(_, v)| self.eval(v))
                    .collect::<Result<Vec<_>, _>>()?;
                let record = Value::Record(
                    fields
                        .iter()
                        .map(|(name, _)| name.clone())
                        .zip(values.iter().cloned())
                        .collect(),
                );
                let key_values: Vec<Value> = key
                    .iter()
                    .map(|k| record.field(k).cloned().unwrap_or(Value::Null))
                    .collect();
                let existing = self
                    .read_rows(self.current, *table, find, &key_values)?
                    .into_iter()
                    .next();
                match existing {
                    None => self.single(*table, insert, &values),
                    Some(row) => {
                        let mut updated: Vec<Value> = match set {
                            Some(set) => {
                                let saved = self.excluded.replace(record.clone());
                                let values: Result<Vec<Value>, ToolError> = set
                                    .iter()
                                    .map(|(_, v)| self.with_row(&row, |ctx| ctx.eval(v)))
                                    .collect();
                                self.excluded = saved;
                                values?
                            }
                            None => fields
                                .iter()
                                .filter(|(name, _)| !key.contains(name))
                                .map(|(name, _)| record.field(name).cloned().unwrap_or(Value::Null))
                                .collect(),
                        };
                        updated.push(self.key(*table, &row));
                        self.single(*table, update, &updated)
                    }
                }
            }
            _ => Ok(Value::Null),
        }
    }

    /// Runs a statement returning one row (`RETURNING *`).
    fn single(&self, table: TableId, sql: &str, values: &[Value]) -> Result<Value, ToolError> {
        Ok(self
            .read_rows(self.current, table, sql, values)?
            .into_iter()
            .next()
            .unwrap_or(Value::Null))
    }

    fn key(&self, table: TableId, row: &Value) -> Value {
        let schema = &self.engine.ir.schema.tables[table.0];
        row.field(&schema.columns[schema.primary_key].name)
            .cloned()
            .unwrap_or(Value::Null)
    }

    /// The rows an `update` or `delete` acts on.
    fn targets(&mut self, target: &Target) -> Result<Vec<Value>, ToolError> {
        match target {
            Target::Row { row, .. } => match self.eval(row)? {
                Value::Null => Err(ToolError::rejected("there is no row to change")),
                row => Ok(vec![row]),
            },
            Target::List { list, filter, .. } => {
                let items = self.list(list)?;
                match filter {
                    None => Ok(items),
                    Some(filter) => {
                        let mut kept = Vec::new();
                        for item in items {
                            if self.with_row(&item, |ctx| ctx.eval(filter))? == Value::Bool(true) {
                                kept.push(item);
                            }
                        }
                        Ok(kept)
                    }
                }
            }
            Target::Rows {
                table,
                filter,
                select,
            } => {
                let conn = self.connection(State::Current);
                match filter {
                    Some(Filter::Sql { params, .. }) => {
                        let params = params
                            .iter()
                            .map(|p| self.eval(p))
                            .collect::<Result<Vec<_>, _>>()?;
                        self.read_rows(conn, *table, select, &params)
                    }
                    Some(Filter::Rows(condition)) => {
                        let mut kept = Vec::new();
                        for row in self.read_rows(conn, *table, select, &[])? {
                            if self.with_row(&row, |ctx| ctx.eval(condition))? == Value::Bool(true)
                            {
                                kept.push(row);
                            }
                        }
                        Ok(kept)
                    }
                    None => self.read_rows(conn, *table, select, &[]),
                }
            }
        }
    }
}

fn count(n: usize) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}
