//! Reads: every query is one SQL statement, lowered by the compiler, run on the session's
//! connection with its parameters bound, and decoded by its [`Shape`]. Filtering,
//! sorting, grouping, joining through foreign keys and aggregating all happen inside
//! SQLite; only the values a query gives come back.

use super::ctx::Ctx;
use super::shape::{Decoder, Shape};
use crate::error::ToolError;
use crate::value::Value;

/// How a query's rows become its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A list of every row's element.
    Rows,
    /// The first row's element, or null when there is none (a lookup, `.first()`, an
    /// aggregate, which always has a row).
    First,
    /// The only row's element; anything else is the error of `.one()`. The statement
    /// gives the number of matches as an extra last column.
    One,
}

/// A lowered query.
#[derive(Debug, Clone, Copy)]
pub struct Query<'q> {
    pub sql: &'q str,
    pub mode: Mode,
    /// The shape of one element (of the list, for `Rows`).
    pub shape: &'q Shape,
}

impl Ctx<'_> {
    /// Runs a query with its parameters.
    pub fn query(&mut self, query: &Query<'_>, params: &[Value]) -> Result<Value, ToolError> {
        let limits = self.env.limits;
        let mut decoder = Decoder::new(self.env.schema, limits.max_rows, limits.max_result_bytes);
        let mut items = Vec::new();
        let mut matches = 0i64;
        let columns = query.shape.columns(self.env.schema);
        let session = self.session;
        session.statement(
            query.sql,
            rusqlite::params_from_iter(params.iter()),
            false,
            |row| {
                if query.mode == Mode::One {
                    matches = row.get(columns)?;
                    if matches != 1 {
                        return Ok(());
                    }
                }
                items.push(decoder.row(row, query.shape)?);
                Ok(())
            },
        )?;
        self.charge(decoder.values)?;
        Ok(match query.mode {
            Mode::Rows => Value::List(items),
            Mode::First => items.into_iter().next().unwrap_or(Value::Null),
            Mode::One => match (matches, items.into_iter().next()) {
                (1, Some(item)) => item,
                _ => {
                    return Err(ToolError::rejected(format!(
                        "expected exactly one match, found {matches}"
                    )));
                }
            },
        })
    }
}
