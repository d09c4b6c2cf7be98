//! The context a tool body or verifier runs in: the session (whose connection holds the
//! session's state as `main` and the seed state as `initial`), `me` and `answer`, and the
//! work meter every step of the body is charged to.

use crate::error::ToolError;
use crate::limits::Limits;
use crate::schema::{EnvSchema, TableSchema};
use crate::session::Session;
use crate::value::Value;

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

/// Everything an expression can see while it is evaluated.
pub struct Ctx<'e> {
    pub(super) env: Env<'e>,
    pub(super) session: &'e Session,
    answer: Option<Value>,
    me: Option<Value>,
}

impl<'e> Ctx<'e> {
    pub fn new(env: Env<'e>, session: &'e Session) -> Self {
        Ctx {
            env,
            session,
            answer: None,
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

    /// `today()`: the calendar day of the clock.
    pub fn today(&self) -> Value {
        Value::Text(
            self.env
                .clock
                .get(..10)
                .unwrap_or(self.env.clock)
                .to_string(),
        )
    }

    pub fn answer(&self) -> Value {
        self.answer.clone().unwrap_or(Value::Null)
    }

    /// Runs `f` on this context: where generated code needs a `Result` to use `?` in.
    pub fn attempt<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, ToolError>,
    ) -> Result<T, ToolError> {
        f(self)
    }

    /// One step of work done by the body itself: a statement, a loop iteration.
    pub fn tick(&mut self) -> Result<(), ToolError> {
        self.session.charge(1)
    }

    /// A method of a list the body holds, charged one step per element.
    pub fn list_method(&mut self, name: &str, list: Value) -> Result<Value, ToolError> {
        let items = super::ops::as_list(list);
        self.charge(items.len())?;
        super::ops::list_method(name, items)
    }

    /// `value in list` over a list the body holds, charged one step per element.
    pub fn is_in(&mut self, value: &Value, list: Value, negated: bool) -> Result<Value, ToolError> {
        if let Value::List(items) = &list {
            self.charge(items.len())?;
        }
        Ok(super::ops::is_in(value, list, negated))
    }

    /// A field of every element of a list the body holds, charged one step per element.
    pub fn project(&mut self, list: Value, name: &str) -> Result<Value, ToolError> {
        if let Value::List(items) = &list {
            self.charge(items.len())?;
        }
        Ok(super::ops::project(list, name))
    }

    /// The elements a `for` loop runs over; each iteration is charged as it runs.
    pub fn iterate(&mut self, list: Value) -> Vec<Value> {
        super::ops::as_list(list)
    }

    /// `steps` of work done by the body itself.
    pub fn charge(&mut self, steps: usize) -> Result<(), ToolError> {
        self.session
            .charge(u64::try_from(steps).unwrap_or(u64::MAX))
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
            "SELECT * FROM main.{} WHERE {} = ?1",
            crate::session::quote(&schema.name),
            crate::session::quote(&schema.columns[schema.primary_key].name)
        );
        let mut me = Value::Null;
        self.session.statement(&sql, [key], false, |row| {
            me = schema.record(schema.read_row(row)?);
            Ok(())
        })?;
        self.me = Some(me.clone());
        Ok(me)
    }
}
