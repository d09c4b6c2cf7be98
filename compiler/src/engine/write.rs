//! Writes: `insert`, `update`, `delete` and `upsert`, through the statements lowering
//! prepared and the runtime's write operations.

use awm_runtime::exec::{Ctx, Delete, Update, Upsert};
use awm_runtime::{ToolError, Value};

use super::eval::Interp;
use crate::lower::ir::Expr;

impl Interp {
    pub fn write(&self, ctx: &mut Ctx, expr: &Expr) -> Result<Value, ToolError> {
        match expr {
            Expr::Insert { table, values, sql } => {
                let values = self.all(ctx, values)?;
                ctx.insert(table.0, sql, &values)
            }
            Expr::Update {
                table,
                select,
                update,
                params,
                single,
                ..
            } => {
                let params = self.all(ctx, params)?;
                let update = Update {
                    table: table.0,
                    select,
                    update,
                    single: *single,
                };
                ctx.update(&update, &params)
            }
            Expr::Delete {
                select,
                delete,
                params,
                single,
            } => {
                let params = self.all(ctx, params)?;
                let delete = Delete {
                    select,
                    delete,
                    single: *single,
                };
                ctx.delete(&delete, &params)
            }
            Expr::Upsert {
                table,
                values,
                params,
                find,
                update,
                insert,
                ..
            } => {
                let values = self.all(ctx, values)?;
                let params = self.all(ctx, params)?;
                let upsert = Upsert {
                    table: table.0,
                    find,
                    update,
                    insert,
                };
                ctx.upsert(&upsert, &values, &params)
            }
            _ => Ok(Value::Null),
        }
    }
}
