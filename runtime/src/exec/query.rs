//! The clauses of a query that SQL did not apply, over rows already read: `where`,
//! `order by`, `limit`, `offset`, `select`, `group by` and its aggregates. Each takes the
//! per-row part as a closure, run with the row in scope.

use std::cmp::Ordering;

use super::ctx::{Ctx, Group, RowFn};
use super::ops;
use crate::error::ToolError;
use crate::value::Value;

/// One sort key of an `order by`.
#[derive(Debug, Clone, Copy)]
pub struct SortKey {
    pub descending: bool,
}

impl<'e> Ctx<'e> {
    /// The items for which `condition` holds.
    pub fn filter(
        &mut self,
        items: Vec<Value>,
        condition: RowFn<'_, 'e, Value>,
    ) -> Result<Vec<Value>, ToolError> {
        let mut kept = Vec::with_capacity(items.len());
        for item in items {
            if ops::holds(&self.with_row(&item, &mut *condition)?) {
                kept.push(item);
            }
        }
        Ok(kept)
    }

    /// A single row (or null) kept only if `condition` holds for it.
    pub fn keep_if(
        &mut self,
        row: Value,
        condition: RowFn<'_, 'e, Value>,
    ) -> Result<Value, ToolError> {
        if row.is_null() || !ops::holds(&self.with_row(&row, condition)?) {
            return Ok(Value::Null);
        }
        Ok(row)
    }

    /// Each item mapped with `projection`.
    pub fn select(
        &mut self,
        items: Vec<Value>,
        projection: RowFn<'_, 'e, Value>,
    ) -> Result<Vec<Value>, ToolError> {
        items
            .iter()
            .map(|item| self.with_row(item, &mut *projection))
            .collect()
    }

    /// Sorts stably by the values `keys` gives for each item; nulls first ascending (as
    /// SQLite does). Enum keys are given as their rank ([`ops::rank`]).
    pub fn order(
        &mut self,
        items: Vec<Value>,
        sort: &[SortKey],
        keys: RowFn<'_, 'e, Vec<Value>>,
    ) -> Result<Vec<Value>, ToolError> {
        let mut keyed: Vec<(Vec<Value>, Value)> = Vec::with_capacity(items.len());
        for item in items {
            let values = self.with_row(&item, &mut *keys)?;
            keyed.push((values, item));
        }
        keyed.sort_by(|(a, _), (b, _)| {
            for ((x, y), key) in a.iter().zip(b).zip(sort) {
                let order = match (x.is_null(), y.is_null()) {
                    (true, true) => Ordering::Equal,
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => x.compare(y).unwrap_or(Ordering::Equal),
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

    /// Groups items by the values `keys` gives (named `names`), in order of first
    /// appearance, then evaluates `projection` once per group with the group in scope.
    pub fn group_by(
        &mut self,
        items: Vec<Value>,
        names: &[&str],
        keys: RowFn<'_, 'e, Vec<Value>>,
        projection: RowFn<'_, 'e, Value>,
    ) -> Result<Vec<Value>, ToolError> {
        let mut groups: Vec<Group> = Vec::new();
        for item in items {
            let values = self.with_row(&item, &mut *keys)?;
            let existing = groups
                .iter_mut()
                .find(|g| g.keys.iter().zip(&values).all(|((_, a), b)| a.equals(b)));
            match existing {
                Some(group) => group.rows.push(item),
                None => groups.push(Group {
                    keys: names
                        .iter()
                        .map(|name| (*name).to_string())
                        .zip(values)
                        .collect(),
                    rows: vec![item],
                }),
            }
        }
        let mut out = Vec::with_capacity(groups.len());
        for group in groups {
            self.groups.push(group);
            let value = projection(self);
            self.groups.pop();
            out.push(value?);
        }
        Ok(out)
    }

    /// An aggregate over the rows of the group in scope (`count()`, `sum()`, …).
    pub fn aggregate_rows(&mut self, name: &str) -> Result<Value, ToolError> {
        match self.groups.last() {
            Some(group) => aggregate(name, group.rows.clone()),
            None => Ok(Value::Null),
        }
    }

    /// An aggregate of a value computed for each row of the group in scope
    /// (`sum(price * quantity)`).
    pub fn aggregate(
        &mut self,
        name: &str,
        value: RowFn<'_, 'e, Value>,
    ) -> Result<Value, ToolError> {
        let Some(rows) = self.groups.last().map(|g| g.rows.clone()) else {
            return Ok(Value::Null);
        };
        let values = self.select(rows, value)?;
        aggregate(name, values)
    }
}

fn aggregate(name: &str, values: Vec<Value>) -> Result<Value, ToolError> {
    Ok(match name {
        "count" => ops::count(values.len()),
        "count_distinct" => {
            let mut distinct: Vec<&Value> = Vec::new();
            for value in values.iter().filter(|v| !v.is_null()) {
                if !distinct.iter().any(|d| d.equals(value)) {
                    distinct.push(value);
                }
            }
            ops::count(distinct.len())
        }
        "sum" => ops::sum(&values)?,
        other => ops::list_method(other, values)?,
    })
}

/// The first `count` items (`limit`).
pub fn limit(mut items: Vec<Value>, count: &Value) -> Vec<Value> {
    items.truncate(bound(count));
    items
}

/// All but the first `count` items (`offset`).
pub fn offset(items: Vec<Value>, count: &Value) -> Vec<Value> {
    items.into_iter().skip(bound(count)).collect()
}

fn bound(count: &Value) -> usize {
    count
        .as_i64()
        .map_or(0, |n| usize::try_from(n.max(0)).unwrap_or(usize::MAX))
}
