//! Writes: `insert`, `update`, `delete` and `upsert`, through the statements lowering
//! prepared and the runtime's write operations.

use awm_runtime::exec::{Ctx, State, Upsert, ops};
use awm_runtime::{ToolError, Value};

use super::eval::Interp;
use crate::lower::ir::{Expr, Filter, Target};

impl Interp {
    pub fn write(&self, ctx: &mut Ctx, expr: &Expr) -> Result<Value, ToolError> {
        match expr {
            Expr::Insert { table, fields, sql } => {
                let values = self.values(ctx, fields)?;
                ctx.write_returning(table.0, sql, &values)
            }
            Expr::Update { target, set, sql } => {
                let single = matches!(**target, Target::Row { .. });
                let rows = self.targets(ctx, target)?;
                ctx.update_rows(target.table().0, sql, rows, single, &mut |ctx| {
                    self.values(ctx, set)
                })
            }
            Expr::Delete { target, sql } => {
                let rows = self.targets(ctx, target)?;
                ctx.delete_rows(target.table().0, sql, rows)
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
                let values = self.values(ctx, fields)?;
                let names: Vec<&str> = fields.iter().map(|(name, _)| name.as_str()).collect();
                let key: Vec<&str> = key.iter().map(String::as_str).collect();
                let upsert = Upsert {
                    table: table.0,
                    fields: &names,
                    key: &key,
                    find,
                    update,
                    insert,
                };
                match set {
                    Some(set) => ctx.upsert_with(&upsert, values, &mut |ctx| self.values(ctx, set)),
                    None => ctx.upsert(&upsert, values),
                }
            }
            _ => Ok(Value::Null),
        }
    }

    /// The rows an `update` or `delete` acts on.
    fn targets(&self, ctx: &mut Ctx, target: &Target) -> Result<Vec<Value>, ToolError> {
        match target {
            Target::Row { row, .. } => {
                let row = self.eval(ctx, row)?;
                ctx.target_row(row)
            }
            Target::List { list, filter, .. } => {
                let items = ops::as_list(self.eval(ctx, list)?);
                match filter {
                    None => Ok(items),
                    Some(filter) => ctx.filter(items, &mut |ctx| self.eval(ctx, filter)),
                }
            }
            Target::Rows {
                table,
                filter,
                select,
            } => match filter {
                Some(Filter::Sql { params, .. }) => {
                    let params = self.all(ctx, params)?;
                    ctx.table(State::Current, table.0, select, &params)
                }
                Some(Filter::Rows(condition)) => {
                    let rows = ctx.table(State::Current, table.0, select, &[])?;
                    ctx.filter(rows, &mut |ctx| self.eval(ctx, condition))
                }
                None => ctx.table(State::Current, table.0, select, &[]),
            },
        }
    }
}
