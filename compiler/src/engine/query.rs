//! Queries: rows read with the lowered SQL, then the clauses SQL did not apply, and
//! aggregates of `group by … select`.

use std::cmp::Ordering;

use awm_runtime::{ToolError, Value};

use super::builtins;
use super::eval::{Ctx, Group};
use crate::lower::ir::{Clause, OrderKey, Query, Source};

impl Ctx<'_> {
    pub fn query(&mut self, query: &Query) -> Result<Value, ToolError> {
        let (items, done) = match &query.source {
            Source::Table { state, table, sql } => {
                let params = sql
                    .params
                    .iter()
                    .map(|p| self.eval(p))
                    .collect::<Result<Vec<_>, _>>()?;
                let conn = self.connection(*state);
                (
                    self.read_rows(conn, *table, &sql.text, &params)?,
                    sql.clauses_done,
                )
            }
            Source::List(list) => (self.list(list)?, 0),
            Source::Single(row) => {
                // A lookup filtered further: the row, or nothing.
                let row = self.eval(row)?;
                if row.is_null() {
                    return Ok(Value::Null);
                }
                for clause in &query.clauses {
                    if let Clause::Where(condition) = clause
                        && self.with_row(&row, |ctx| ctx.eval(condition))? != Value::Bool(true)
                    {
                        return Ok(Value::Null);
                    }
                }
                return Ok(row);
            }
        };
        self.clauses(items, &query.clauses[done.min(query.clauses.len())..])
            .map(Value::List)
    }

    fn clauses(
        &mut self,
        mut items: Vec<Value>,
        clauses: &[Clause],
    ) -> Result<Vec<Value>, ToolError> {
        let mut index = 0;
        while index < clauses.len() {
            match &clauses[index] {
                Clause::Where(condition) => {
                    let mut kept = Vec::with_capacity(items.len());
                    for item in items {
                        if self.with_row(&item, |ctx| ctx.eval(condition))? == Value::Bool(true) {
                            kept.push(item);
                        }
                    }
                    items = kept;
                }
                Clause::OrderBy(keys) => items = self.order(items, keys)?,
                Clause::Limit(count) => {
                    let count = self.count(count)?;
                    items.truncate(count);
                }
                Clause::Offset(count) => {
                    let count = self.count(count)?;
                    items = items.into_iter().skip(count).collect();
                }
                Clause::Select(projection) => {
                    items = items
                        .iter()
                        .map(|item| self.with_row(item, |ctx| ctx.eval(projection)))
                        .collect::<Result<_, _>>()?;
                }
                Clause::GroupBy(keys) => {
                    let groups = self.group(items, keys)?;
                    // The checker requires a `select` right after `group by`.
                    let Some(Clause::Select(projection)) = clauses.get(index + 1) else {
                        return Ok(Vec::new());
                    };
                    items = Vec::with_capacity(groups.len());
                    for group in groups {
                        self.groups.push(group);
                        let value = self.eval(projection);
                        self.groups.pop();
                        items.push(value?);
                    }
                    index += 1;
                }
            }
            index += 1;
        }
        Ok(items)
    }

    fn count(&mut self, count: &crate::lower::ir::Expr) -> Result<usize, ToolError> {
        Ok(self
            .eval(count)?
            .as_i64()
            .map_or(0, |n| usize::try_from(n.max(0)).unwrap_or(usize::MAX)))
    }

    /// Sorts stably; nulls first ascending (as SQLite does), enums in declaration order.
    fn order(&mut self, items: Vec<Value>, keys: &[OrderKey]) -> Result<Vec<Value>, ToolError> {
        let mut keyed: Vec<(Vec<Value>, Value)> = Vec::with_capacity(items.len());
        for item in items {
            let values = keys
                .iter()
                .map(|k| self.with_row(&item, |ctx| ctx.eval(&k.key)))
                .collect::<Result<Vec<_>, _>>()?;
            keyed.push((values, item));
        }
        keyed.sort_by(|(a, _), (b, _)| {
            for ((x, y), key) in a.iter().zip(b).zip(keys) {
                let order = match &key.enum_order {
                    Some(members) => rank(members, x).cmp(&rank(members, y)),
                    None => match (x.is_null(), y.is_null()) {
                        (true, true) => Ordering::Equal,
                        (true, false) => Ordering::Less,
                        (false, true) => Ordering::Greater,
                        (false, false) => x.compare(y).unwrap_or(Ordering::Equal),
                    },
                };
                let order = if key.descending {
                    order.reverse()
                } else {
                    order
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
            Ordering::Equal
        });
        Ok(keyed.into_iter().map(|(_, item)| item).collect())
    }

    /// Groups in order of first appearance.
    fn group(
        &mut self,
        items: Vec<Value>,
        keys: &[(String, crate::lower::ir::Expr)],
    ) -> Result<Vec<Group>, ToolError> {
        let mut groups: Vec<Group> = Vec::new();
        for item in items {
            let values = keys
                .iter()
                .map(|(_, k)| self.with_row(&item, |ctx| ctx.eval(k)))
                .collect::<Result<Vec<_>, _>>()?;
            let existing = groups
                .iter_mut()
                .find(|g| g.keys.iter().zip(&values).all(|((_, a), b)| a.equals(b)));
            match existing {
                Some(group) => group.rows.push(item),
                None => groups.push(Group {
                    keys: keys
                        .iter()
                        .map(|(name, _)| name.clone())
                        .zip(values)
                        .collect(),
                    rows: vec![item],
                }),
            }
        }
        Ok(groups)
    }

    /// An aggregate over the rows of the group in scope.
    pub fn aggregate(
        &mut self,
        name: &str,
        arg: Option<&crate::lower::ir::Expr>,
    ) -> Result<Value, ToolError> {
        let Some(rows) = self.groups.last().map(|g| g.rows.clone()) else {
            return Ok(Value::Null);
        };
        let values: Vec<Value> = match arg {
            Some(arg) => rows
                .iter()
                .map(|row| self.with_row(row, |ctx| ctx.eval(arg)))
                .collect::<Result<_, _>>()?,
            None => rows,
        };
        Ok(match name {
            "count" => Value::Int(i64::try_from(values.len()).unwrap_or(i64::MAX)),
            "count_distinct" => {
                let mut distinct: Vec<&Value> = Vec::new();
                for value in values.iter().filter(|v| !v.is_null()) {
                    if !distinct.iter().any(|d| d.equals(value)) {
                        distinct.push(value);
                    }
                }
                Value::Int(i64::try_from(distinct.len()).unwrap_or(i64::MAX))
            }
            "sum" => builtins::sum(&values)?,
            other => builtins::list_method(other, values)?,
        })
    }
}

fn rank(members: &[String], value: &Value) -> usize {
    value
        .as_str()
        .and_then(|v| members.iter().position(|m| m == v))
        .unwrap_or(usize::MAX)
}
