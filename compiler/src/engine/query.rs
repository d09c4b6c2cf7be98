//! Queries: rows read with the lowered SQL, then the clauses SQL did not apply, through
//! the runtime's clause operations.

use awm_runtime::exec::{self, Ctx, SortKey, ops};
use awm_runtime::{ToolError, Value};

use super::eval::Interp;
use crate::lower::ir::{Clause, OrderKey, Query, Source};

impl Interp {
    pub fn query(&self, ctx: &mut Ctx, query: &Query) -> Result<Value, ToolError> {
        let (items, done) = match &query.source {
            Source::Table { state, table, sql } => {
                let params = self.all(ctx, &sql.params)?;
                (
                    ctx.table(*state, table.0, &sql.text, &params)?,
                    sql.clauses_done,
                )
            }
            Source::List(list) => (self.list(ctx, list)?, 0),
            Source::Single(row) => {
                // A lookup filtered further: the row, or nothing.
                let mut row = self.eval(ctx, row)?;
                for clause in &query.clauses {
                    if let Clause::Where(condition) = clause {
                        row = ctx.keep_if(row, &mut |ctx| self.eval(ctx, condition))?;
                    }
                }
                return Ok(row);
            }
        };
        self.clauses(ctx, items, &query.clauses[done.min(query.clauses.len())..])
            .map(Value::List)
    }

    fn clauses(
        &self,
        ctx: &mut Ctx,
        mut items: Vec<Value>,
        clauses: &[Clause],
    ) -> Result<Vec<Value>, ToolError> {
        let mut index = 0;
        while index < clauses.len() {
            items = match &clauses[index] {
                Clause::Where(condition) => {
                    ctx.filter(items, &mut |ctx| self.eval(ctx, condition))?
                }
                Clause::OrderBy(keys) => {
                    let sort: Vec<SortKey> = keys
                        .iter()
                        .map(|k| SortKey {
                            descending: k.descending,
                        })
                        .collect();
                    ctx.order(items, &sort, &mut |ctx| self.sort_keys(ctx, keys))?
                }
                Clause::Limit(count) => exec::limit(items, &self.eval(ctx, count)?),
                Clause::Offset(count) => exec::offset(items, &self.eval(ctx, count)?),
                Clause::Select(projection) => {
                    ctx.select(items, &mut |ctx| self.eval(ctx, projection))?
                }
                Clause::GroupBy(keys) => {
                    // The checker requires a `select` right after `group by`.
                    let Some(Clause::Select(projection)) = clauses.get(index + 1) else {
                        return Ok(Vec::new());
                    };
                    index += 1;
                    let names: Vec<&str> = keys.iter().map(|(name, _)| name.as_str()).collect();
                    ctx.group_by(
                        items,
                        &names,
                        &mut |ctx| keys.iter().map(|(_, k)| self.eval(ctx, k)).collect(),
                        &mut |ctx| self.eval(ctx, projection),
                    )?
                }
            };
            index += 1;
        }
        Ok(items)
    }

    /// The values an item sorts by; enums by their rank.
    fn sort_keys(&self, ctx: &mut Ctx, keys: &[OrderKey]) -> Result<Vec<Value>, ToolError> {
        keys.iter()
            .map(|key| {
                let value = self.eval(ctx, &key.key)?;
                Ok(match &key.enum_order {
                    Some(members) => ops::rank(members, &value),
                    None => value,
                })
            })
            .collect()
    }
}
