//! Verifiers: each `expect` evaluated against `final` (the session) and `initial` (the seed
//! state), read-only, with the values compared kept as evidence.

use std::collections::{HashMap, HashSet};

use awm_runtime::session::dump_table;
use awm_runtime::{Evidence, Session, ToolError, Value, Verdict};
use rusqlite::Connection;

use super::Engine;
use super::eval::Ctx;
use crate::lower::ir::{Except, Expect, Expectation, State, Stmt};

pub(super) fn verify(
    engine: &Engine,
    session: &Session,
    initial: &Connection,
    task: usize,
    answer: Option<&str>,
) -> Verdict {
    let task = &engine.ir.tasks[task];
    let outcome = session.read(|conn| {
        let mut ctx = Ctx::new(engine, conn, Some(initial), task.slots);
        ctx.answer = answer.map(|a| Value::Text(a.to_string()));
        let mut evidence = Vec::new();
        run(&mut ctx, session, &task.verify, &mut evidence);
        Ok(evidence)
    });
    match outcome {
        Ok(evidence) => Verdict::new(evidence),
        Err(error) => Verdict::new(vec![Evidence {
            expectation: "the verifier runs".to_string(),
            held: false,
            observed: Vec::new(),
            error: Some(error.message),
        }]),
    }
}

fn run(ctx: &mut Ctx, session: &Session, stmts: &[Stmt], evidence: &mut Vec<Evidence>) {
    for stmt in stmts {
        match stmt {
            Stmt::Expect(expectation) => evidence.push(expect(ctx, session, expectation)),
            Stmt::Let { slot, value } => match ctx.eval(value) {
                Ok(value) => ctx.slots[*slot] = value,
                Err(error) => {
                    // A `let` that fails (`.one()` of nothing) fails the verifier.
                    evidence.push(Evidence {
                        expectation: "a `let` of the verifier".to_string(),
                        held: false,
                        observed: Vec::new(),
                        error: Some(error.message),
                    });
                    return;
                }
            },
            _ => {}
        }
    }
}

fn expect(ctx: &mut Ctx, session: &Session, expectation: &Expectation) -> Evidence {
    match &expectation.condition {
        Expect::Holds { condition, sides } => {
            let observed: Vec<(String, Value)> = sides
                .iter()
                .map(|(text, side)| (text.clone(), ctx.eval(side).unwrap_or(Value::Null)))
                .collect();
            match ctx.eval(condition) {
                Ok(value) => Evidence {
                    expectation: expectation.text.clone(),
                    held: value == Value::Bool(true),
                    observed,
                    error: None,
                },
                Err(error) => Evidence {
                    expectation: expectation.text.clone(),
                    held: false,
                    observed,
                    error: Some(error.message),
                },
            }
        }
        Expect::Unchanged { except } => match unchanged(ctx, session, except) {
            Ok(changes) => Evidence {
                expectation: expectation.text.clone(),
                held: changes.is_empty(),
                observed: changes
                    .into_iter()
                    .take(8)
                    .map(|(table, change)| (table, Value::Text(change)))
                    .collect(),
                error: None,
            },
            Err(error) => Evidence {
                expectation: expectation.text.clone(),
                held: false,
                observed: Vec::new(),
                error: Some(error.message),
            },
        },
    }
}

/// Every difference between `initial` and `final` outside the excused tables and rows,
/// as (table, description). Only tables the session wrote to can differ.
fn unchanged(
    ctx: &mut Ctx,
    session: &Session,
    except: &[Except],
) -> Result<Vec<(String, String)>, ToolError> {
    let schema = &ctx.engine.ir.schema;
    let Some(initial) = ctx.initial else {
        return Ok(Vec::new());
    };
    let touched = session.touched_tables();
    let mut excused_tables = HashSet::new();
    let mut excused_rows: Vec<(usize, HashSet<String>)> = Vec::new();
    for entry in except {
        match entry {
            Except::Table(table) => {
                excused_tables.insert(table.0);
            }
            Except::Rows { table, query } => {
                let table_schema = &schema.tables[table.0];
                if !touched.contains(&table_schema.name) {
                    continue;
                }
                let key_name = &table_schema.columns[table_schema.primary_key].name;
                let mut keys = HashSet::new();
                for state in [State::Initial, State::Current] {
                    ctx.force_state = Some(state);
                    let rows = ctx.query(query);
                    ctx.force_state = None;
                    for row in list(rows?) {
                        keys.extend(row.field(key_name).map(|k| k.to_string()));
                    }
                }
                excused_rows.push((table.0, keys));
            }
        }
    }
    let mut changes = Vec::new();
    for (index, table) in schema.tables.iter().enumerate() {
        if excused_tables.contains(&index) || !touched.contains(&table.name) {
            continue;
        }
        let old = dump_table(initial, table)?;
        let new = dump_table(ctx.current, table)?;
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

fn list(value: Value) -> Vec<Value> {
    match value {
        Value::List(items) => items,
        Value::Null => Vec::new(),
        other => vec![other],
    }
}
