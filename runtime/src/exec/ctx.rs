//! The context a tool body or verifier runs in: the session's connection (and the seed
//! state's, in verifiers), the rows and groups in scope, `me`, `answer` and `excluded`.

use rusqlite::Connection;

use crate::error::ToolError;
use crate::limits::Limits;
use crate::schema::{EnvSchema, TableSchema};
use crate::value::Value;

/// Which database a read goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// The session (tools; `final` in verifiers).
    Current,
    /// The seed state (`initial` in verifiers).
    Initial,
}

/// What a body needs to know of its environment.
#[derive(Debug, Clone, Copy)]
pub struct Env<'e> {
    pub schema: &'e EnvSchema,
    /// The logical clock (`now()`), an ISO date-time.
    pub clock: &'e str,
    /// The signed-in user's table and key (`me`).
    pub user: Option<(usize, &'e Value)>,
    pub limits: Limits,
}

/// Work done per row, with the row in scope (a `where` condition, a projection, a set
/// of sort keys): passed as `dyn` so each body's closures are compiled once, not once
/// per generic instance.
pub type RowFn<'f, 'e, T> = &'f mut dyn FnMut(&mut Ctx<'e>) -> Result<T, ToolError>;

/// The rows of the group in scope in a `group by … select`.
#[derive(Debug)]
pub struct Group {
    pub rows: Vec<Value>,
    pub keys: Vec<(String, Value)>,
}

/// Everything an expression can see while it is evaluated.
pub struct Ctx<'e> {
    pub(super) env: Env<'e>,
    current: &'e Connection,
    initial: Option<&'e Connection>,
    /// The rows in scope, innermost last.
    rows: Vec<Value>,
    pub(super) groups: Vec<Group>,
    answer: Option<Value>,
    pub(super) excluded: Option<Value>,
    /// When set, table reads go to this state whatever the query says (`except` rows are
    /// looked up in both states).
    force_state: Option<State>,
    me: Option<Value>,
}

impl<'e> Ctx<'e> {
    pub fn new(env: Env<'e>, current: &'e Connection, initial: Option<&'e Connection>) -> Self {
        Ctx {
            env,
            current,
            initial,
            rows: Vec::new(),
            groups: Vec::new(),
            answer: None,
            excluded: None,
            force_state: None,
            me: None,
        }
    }

    /// Sets the agent's final answer (verifiers).
    pub fn set_answer(&mut self, answer: Option<&str>) {
        self.answer = answer.map(|a| Value::Text(a.to_string()));
    }

    pub fn schema(&self) -> &'e EnvSchema {
        self.env.schema
    }

    pub fn clock(&self) -> &'e str {
        self.env.clock
    }

    pub fn answer(&self) -> Value {
        self.answer.clone().unwrap_or(Value::Null)
    }

    /// The row an `upsert` was about to insert.
    pub fn excluded(&self) -> Value {
        self.excluded.clone().unwrap_or(Value::Null)
    }

    pub(super) fn current(&self) -> &'e Connection {
        self.current
    }

    pub(super) fn initial(&self) -> Option<&'e Connection> {
        self.initial
    }

    /// The connection of a state.
    pub fn connection(&self, state: State) -> &'e Connection {
        match (self.force_state.unwrap_or(state), self.initial) {
            (State::Initial, Some(initial)) => initial,
            _ => self.current,
        }
    }

    /// Runs `f` on this context: where generated code needs a `Result` to use `?` in.
    pub fn attempt<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, ToolError>,
    ) -> Result<T, ToolError> {
        f(self)
    }

    /// Runs `f` with every table read going to `state`.
    pub fn in_state<T>(&mut self, state: State, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved = self.force_state.replace(state);
        let result = f(self);
        self.force_state = saved;
        result
    }

    /// Runs `f` with `row` as the innermost row (when it is a row or record).
    pub fn with_row<T>(
        &mut self,
        row: &Value,
        f: impl FnOnce(&mut Self) -> Result<T, ToolError>,
    ) -> Result<T, ToolError> {
        let pushed = matches!(row, Value::Record(_));
        if pushed {
            self.rows.push(row.clone());
        }
        let result = f(self);
        if pushed {
            self.rows.pop();
        }
        result
    }

    /// A field of the row `depth` row scopes out.
    pub fn row_field(&self, depth: usize, name: &str) -> Value {
        self.rows
            .len()
            .checked_sub(depth + 1)
            .and_then(|i| self.rows.get(i))
            .and_then(|row| row.field(name))
            .cloned()
            .unwrap_or(Value::Null)
    }

    /// A `group by` key of the group in scope.
    pub fn group_key(&self, name: &str) -> Value {
        self.groups
            .last()
            .and_then(|g| g.keys.iter().find(|(k, _)| k == name))
            .map_or(Value::Null, |(_, v)| v.clone())
    }

    pub(super) fn table_schema(&self, table: usize) -> Result<&'e TableSchema, ToolError> {
        self.env
            .schema
            .tables
            .get(table)
            .ok_or_else(|| ToolError::internal(format!("there is no table number {table}")))
    }

    /// The signed-in user's row, read once per call.
    pub fn me(&mut self) -> Result<Value, ToolError> {
        if let Some(me) = &self.me {
            return Ok(me.clone());
        }
        let Some((table, key)) = self.env.user else {
            return Ok(Value::Null);
        };
        let schema = self.table_schema(table)?;
        let sql = format!(
            "SELECT * FROM {} WHERE {} = ?1",
            crate::session::quote(&schema.name),
            crate::session::quote(&schema.columns[schema.primary_key].name)
        );
        let me = self
            .read_rows(self.current, table, &sql, std::slice::from_ref(key))?
            .into_iter()
            .next()
            .unwrap_or(Value::Null);
        self.me = Some(me.clone());
        Ok(me)
    }

    /// Rows of a table read with `sql` and its parameters, as records.
    pub fn read_rows(
        &self,
        conn: &Connection,
        table: usize,
        sql: &str,
        params: &[Value],
    ) -> Result<Vec<Value>, ToolError> {
        let schema = self.table_schema(table)?;
        let mut statement = conn.prepare_cached(sql)?;
        let mut rows = statement.query(rusqlite::params_from_iter(params.iter()))?;
        let mut out = Vec::new();
        let limit = self.env.limits.max_rows;
        while let Some(row) = rows.next()? {
            if out.len() >= limit {
                return Err(ToolError::limit(format!(
                    "a query returned more than {limit} rows"
                )));
            }
            out.push(schema.record(schema.read_row(row)?));
        }
        Ok(out)
    }

    /// The rows of a table in a state, read with `sql`.
    pub fn table(
        &self,
        state: State,
        table: usize,
        sql: &str,
        params: &[Value],
    ) -> Result<Vec<Value>, ToolError> {
        self.read_rows(self.connection(state), table, sql, params)
    }

    /// The row of a table with the given primary key, or null.
    pub fn lookup(
        &self,
        state: State,
        table: usize,
        sql: &str,
        key: Value,
    ) -> Result<Value, ToolError> {
        if key.is_null() {
            return Ok(Value::Null);
        }
        Ok(self
            .table(state, table, sql, &[key])?
            .into_iter()
            .next()
            .unwrap_or(Value::Null))
    }

    /// A foreign key followed to one column of the referenced row (`sql` selects it).
    pub fn navigate(
        &self,
        table: usize,
        column: &str,
        sql: &str,
        key: &Value,
    ) -> Result<Value, ToolError> {
        if key.is_null() {
            return Ok(Value::Null);
        }
        let schema = self.table_schema(table)?;
        let mut statement = self.connection(State::Current).prepare_cached(sql)?;
        let mut rows = statement.query([key])?;
        let value = match rows.next()? {
            Some(row) => Value::from_sql(row.get_ref(0)?),
            None => Value::Null,
        };
        Ok(schema
            .columns
            .iter()
            .find(|c| c.name == column)
            .map_or(value.clone(), |c| c.kind.from_stored(value)))
    }

    /// A foreign key followed through every item of a list.
    pub fn navigate_each(
        &self,
        table: usize,
        column: &str,
        sql: &str,
        keys: Value,
    ) -> Result<Value, ToolError> {
        super::ops::as_list(keys)
            .iter()
            .map(|key| self.navigate(table, column, sql, key))
            .collect::<Result<_, _>>()
            .map(Value::List)
    }
}
