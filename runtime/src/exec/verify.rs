//! Verifiers at run time: each `expect` evaluated against `final` (the session) and
//! `initial` (the seed state), read-only, into evidence; and `final == initial except …`
//! compared over the tables the session wrote.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::ctx::{Ctx, RowFn, State};
use super::ops;
use crate::error::ToolError;
use crate::session::dump_table;
use crate::value::Value;
use crate::verdict::Evidence;

/// Evidence of a condition: the sides compared, and whether it held.
pub fn holds(
    expectation: &str,
    observed: Vec<(String, Value)>,
    outcome: Result<Value, ToolError>,
) -> Evidence {
    match outcome {
        Ok(value) => Evidence {
            expectation: expectation.to_string(),
            held: ops::holds(&value),
            observed,
            error: None,
        },
        Err(error) => Evidence {
            expectation: expectation.to_string(),
            held: false,
            observed,
            error: Some(error.message),
        },
    }
}

/// Evidence of `final == initial except …`: the first changes found.
pub fn unchanged(expectation: &str, changes: Result<Vec<(String, String)>, ToolError>) -> Evidence {
    match changes {
        Ok(changes) => Evidence {
            expectation: expectation.to_string(),
            held: changes.is_empty(),
            observed: changes
                .into_iter()
                .take(8)
                .map(|(table, change)| (table, Value::Text(change)))
                .collect(),
            error: None,
        },
        Err(error) => Evidence {
            expectation: expectation.to_string(),
            held: false,
            observed: Vec::new(),
            error: Some(error.message),
        },
    }
}

/// Evidence that a `let` of the verifier failed (`.one()` of nothing): the verifier fails.
pub fn let_failed(error: ToolError) -> Evidence {
    Evidence {
        expectation: "a `let` of the verifier".to_string(),
        held: false,
        observed: Vec::new(),
        error: Some(error.message),
    }
}

/// A side of a comparison for the evidence; null when it cannot be evaluated.
pub fn observed(text: &str, value: Result<Value, ToolError>) -> (String, Value) {
    (text.to_string(), value.unwrap_or(Value::Null))
}

impl<'e> Ctx<'e> {
    /// The primary keys (as text) of the rows `query` gives in either state, excused by an
    /// `except`; none are needed when the session never wrote the table.
    pub fn excused_keys(
        &mut self,
        touched: &BTreeSet<String>,
        table: usize,
        query: RowFn<'_, 'e, Value>,
    ) -> Result<(usize, HashSet<String>), ToolError> {
        let schema = self.table_schema(table)?;
        let mut keys = HashSet::new();
        if !touched.contains(&schema.name) {
            return Ok((table, keys));
        }
        let key_name = &schema.columns[schema.primary_key].name;
        for state in [State::Initial, State::Current] {
            let rows = self.in_state(state, &mut *query)?;
            for row in ops::as_list(rows) {
                keys.extend(row.field(key_name).map(|k| k.to_string()));
            }
        }
        Ok((table, keys))
    }

    /// `final == initial except …`: the excused rows are found by `rows` (a list of
    /// [`Ctx::excused_keys`]), then [`Ctx::changes`].
    pub fn changes_except(
        &mut self,
        touched: &BTreeSet<String>,
        excused_tables: &[usize],
        rows: RowFn<'_, 'e, Vec<(usize, HashSet<String>)>>,
    ) -> Result<Vec<(String, String)>, ToolError> {
        let excused_rows = rows(self)?;
        self.changes(touched, excused_tables, &excused_rows)
    }

    /// Every difference between `initial` and `final` outside the excused tables and rows,
    /// as (table, description), sorted. Only tables the session wrote to can differ.
    pub fn changes(
        &self,
        touched: &BTreeSet<String>,
        excused_tables: &[usize],
        excused_rows: &[(usize, HashSet<String>)],
    ) -> Result<Vec<(String, String)>, ToolError> {
        let Some(initial) = self.initial() else {
            return Ok(Vec::new());
        };
        let mut changes = Vec::new();
        for (index, table) in self.schema().tables.iter().enumerate() {
            if excused_tables.contains(&index) || !touched.contains(&table.name) {
                continue;
            }
            let old = dump_table(initial, table)?;
            let new = dump_table(self.current(), table)?;
            let key_of = |row: &Vec<Value>| row[table.primary_key].to_string();
            let excused = |key: &str| {
                excused_rows
                    .iter()
                    .any(|(t, keys)| *t == index && keys.contains(key))
            };
            let new_by_key: HashMap<String, &Vec<Value>> =
                new.iter().map(|row| (key_of(row), row)).collect();
            let old_keys: HashSet<String> = old.iter().map(key_of).collect();
            for row in &old {
                let key = key_of(row);
                if excused(&key) {
                    continue;
                }
                match new_by_key.get(&key) {
                    None => changes.push((table.name.clone(), format!("row {key} was deleted"))),
                    Some(now) if !now.iter().zip(row).all(|(a, b)| a.equals(b)) => {
                        changes.push((table.name.clone(), format!("row {key} was changed")));
                    }
                    Some(_) => {}
                }
            }
            for key in new_by_key.keys() {
                if !excused(key) && !old_keys.contains(key) {
                    changes.push((table.name.clone(), format!("row {key} was added")));
                }
            }
        }
        changes.sort();
        Ok(changes)
    }
}
