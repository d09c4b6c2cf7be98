//! Verifiers at run time: each `expect` evaluated against `final` (the session) and
//! `initial` (the seed state), read-only, into evidence; and `final == initial except …`
//! compared over the rows the session wrote.

use std::collections::{HashMap, HashSet};

use super::ctx::Ctx;
use super::ops;
use crate::error::ToolError;
use crate::session::quote;
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

impl Ctx<'_> {
    /// Whether the session wrote to a table since the seed state (an untouched table is
    /// exactly as seeded, so nothing of it needs comparing).
    pub fn is_touched(&self, table: usize) -> bool {
        self.table_schema(table)
            .is_ok_and(|schema| !self.session.touched_rows(&schema.name).is_empty())
    }

    /// The primary keys (as text) of rows excused by an `except`: the rows its query gave
    /// in `initial` and in `final`.
    pub fn excused_keys(
        &self,
        table: usize,
        rows: &[Value],
    ) -> Result<(usize, HashSet<String>), ToolError> {
        let schema = self.table_schema(table)?;
        let key_name = &schema.columns[schema.primary_key].name;
        let mut keys = HashSet::new();
        for list in rows {
            for row in ops::as_list(list.clone()) {
                keys.extend(row.field(key_name).map(|k| k.to_string()));
            }
        }
        Ok((table, keys))
    }

    /// Every difference between `initial` and `final` outside the excused tables and rows,
    /// as (table, description), sorted. Only rows the session wrote can differ, so only
    /// those are compared: the cost follows what the agent did, not the tables' size.
    pub fn changes(
        &mut self,
        excused_tables: &[usize],
        excused_rows: &[(usize, HashSet<String>)],
    ) -> Result<Vec<(String, String)>, ToolError> {
        let mut changes = Vec::new();
        for (index, table) in self.schema().tables.iter().enumerate() {
            if excused_tables.contains(&index) {
                continue;
            }
            let rowids = self.session.touched_rows(&table.name);
            if rowids.is_empty() {
                continue;
            }
            let name = quote(&table.name);
            let key = quote(&table.columns[table.primary_key].name);
            let rowids = Value::List(rowids.into_iter().map(Value::Int).collect());
            // The keys of the rows written, in either state (a row's key never changes,
            // but a key deleted and inserted again has a new rowid).
            let mut keys: Vec<Value> = Vec::new();
            for state in ["initial", "main"] {
                let sql = format!(
                    "SELECT {key} FROM {state}.{name} WHERE rowid IN (SELECT value FROM json_each(?1))"
                );
                self.session.statement(&sql, [&rowids], false, |row| {
                    keys.push(Value::from_sql(row.get_ref(0)?));
                    Ok(())
                })?;
            }
            let keys = Value::List(keys);
            let mut rows: [HashMap<String, Vec<Value>>; 2] = [HashMap::new(), HashMap::new()];
            for (slot, state) in ["initial", "main"].iter().enumerate() {
                let sql = format!(
                    "SELECT * FROM {state}.{name} WHERE {key} IN (SELECT value FROM json_each(?1))"
                );
                self.session.statement(&sql, [&keys], false, |row| {
                    let values = table.read_row(row)?;
                    rows[slot].insert(values[table.primary_key].to_string(), values);
                    Ok(())
                })?;
            }
            let [old, new] = rows;
            let excused = |key: &str| {
                excused_rows
                    .iter()
                    .any(|(t, keys)| *t == index && keys.contains(key))
            };
            for (key, row) in &old {
                if excused(key) {
                    continue;
                }
                match new.get(key) {
                    None => changes.push((table.name.clone(), format!("row {key} was deleted"))),
                    Some(now) if !now.iter().zip(row).all(|(a, b)| a.equals(b)) => {
                        changes.push((table.name.clone(), format!("row {key} was changed")));
                    }
                    Some(_) => {}
                }
            }
            for key in new.keys() {
                if !excused(key) && !old.contains_key(key) {
                    changes.push((table.name.clone(), format!("row {key} was added")));
                }
            }
        }
        changes.sort();
        Ok(changes)
    }
}
