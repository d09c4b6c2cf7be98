//! Evaluation of IR expressions and statements against a session.

use awm_runtime::{ToolError, Value};
use rusqlite::Connection;

use super::Engine;
use super::builtins;
use crate::lower::ir::{Expr, Message, MessagePart, State, Stmt};
use crate::syntax::ast::UnaryOp;

/// The rows of the group in scope in a `group by … select`.
pub(super) struct Group {
    pub rows: Vec<Value>,
    pub keys: Vec<(String, Value)>,
}

/// Everything an expression can see while it is evaluated.
pub(super) struct Ctx<'e> {
    pub engine: &'e Engine,
    /// The session: current state in tools, `final` in verifiers.
    pub current: &'e Connection,
    /// The seed state (`initial`), in verifiers.
    pub initial: Option<&'e Connection>,
    pub slots: Vec<Value>,
    /// The rows in scope, innermost last.
    pub rows: Vec<Value>,
    pub groups: Vec<Group>,
    pub answer: Option<Value>,
    pub excluded: Option<Value>,
    /// When set, table reads go to this state whatever the query says (`except` rows are
    /// looked up in both states).
    pub force_state: Option<State>,
    me: Option<Value>,
}

impl<'e> Ctx<'e> {
    pub fn new(
        engine: &'e Engine,
        current: &'e Connection,
        initial: Option<&'e Connection>,
        slots: usize,
    ) -> Self {
        Ctx {
            engine,
            current,
            initial,
            slots: vec![Value::Null; slots],
            rows: Vec::new(),
            groups: Vec::new(),
            answer: None,
            excluded: None,
            force_state: None,
            me: None,
        }
    }

    /// The connection of a state.
    pub fn connection(&self, state: State) -> &'e Connection {
        match (self.force_state.unwrap_or(state), self.initial) {
            (State::Initial, Some(initial)) => initial,
            _ => self.current,
        }
    }

    /// Runs statements; `Some` when a `return` ended them.
    pub fn run(&mut self, stmts: &[Stmt]) -> Result<Option<Value>, ToolError> {
        for stmt in stmts {
            match stmt {
                Stmt::Let { slot, value } => self.slots[*slot] = self.eval(value)?,
                Stmt::Require { condition, message } => {
                    if self.eval(condition)? != Value::Bool(true) {
                        return Err(ToolError::rejected(self.format(message)?));
                    }
                }
                Stmt::For { slot, list, body } => {
                    for item in self.list(list)? {
                        self.slots[*slot] = item;
                        if let Some(value) = self.run(body)? {
                            return Ok(Some(value));
                        }
                    }
                }
                Stmt::If {
                    condition,
                    then_body,
                    else_body,
                } => {
                    let branch = if self.eval(condition)? == Value::Bool(true) {
                        then_body
                    } else {
                        else_body
                    };
                    if let Some(value) = self.run(branch)? {
                        return Ok(Some(value));
                    }
                }
                Stmt::Return(value) => {
                    return Ok(Some(match value {
                        Some(value) => self.eval(value)?,
                        None => Value::Null,
                    }));
                }
                Stmt::Eval(expr) => {
                    self.eval(expr)?;
                }
                // Expectations are evaluated by the verifier, which sees them one by one.
                Stmt::Expect(_) => {}
            }
        }
        Ok(None)
    }

    /// Evaluates an expression that must give a list.
    pub fn list(&mut self, expr: &Expr) -> Result<Vec<Value>, ToolError> {
        match self.eval(expr)? {
            Value::List(items) => Ok(items),
            Value::Null => Ok(Vec::new()),
            other => Ok(vec![other]),
        }
    }

    pub fn format(&mut self, message: &Message) -> Result<String, ToolError> {
        let mut text = String::new();
        for part in &message.parts {
            match part {
                MessagePart::Text(literal) => text.push_str(literal),
                MessagePart::Value(value) => text.push_str(&self.eval(value)?.to_string()),
            }
        }
        Ok(text)
    }

    /// Evaluates `expr` with `row` as the innermost row (when it is a row or record).
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

    pub fn eval(&mut self, expr: &Expr) -> Result<Value, ToolError> {
        Ok(match expr {
            Expr::Const(value) => value.clone(),
            Expr::Slot(slot) => self.slots.get(*slot).cloned().unwrap_or(Value::Null),
            Expr::RowField { depth, name } => {
                let row = self
                    .rows
                    .len()
                    .checked_sub(depth + 1)
                    .and_then(|i| self.rows.get(i));
                row.and_then(|row| row.field(name))
                    .cloned()
                    .unwrap_or(Value::Null)
            }
            Expr::Me => self.me()?,
            Expr::Answer => self.answer.clone().unwrap_or(Value::Null),
            Expr::Excluded => self.excluded.clone().unwrap_or(Value::Null),
            Expr::Field { base, name } => {
                self.eval(base)?.field(name).cloned().unwrap_or(Value::Null)
            }
            Expr::Navigate {
                key,
                table,
                column,
                sql,
                ..
            } => {
                let key = self.eval(key)?;
                self.navigate(&key, *table, column, sql)?
            }
            Expr::Project { list, name } => Value::List(
                self.list(list)?
                    .iter()
                    .map(|item| item.field(name).cloned().unwrap_or(Value::Null))
                    .collect(),
            ),
            Expr::ProjectNavigate {
                list,
                table,
                column,
                sql,
                ..
            } => {
                let keys = self.list(list)?;
                Value::List(
                    keys.iter()
                        .map(|key| self.navigate(key, *table, column, sql))
                        .collect::<Result<_, _>>()?,
                )
            }
            Expr::Unary(UnaryOp::Not, operand) => match self.eval(operand)? {
                Value::Bool(b) => Value::Bool(!b),
                _ => Value::Null,
            },
            Expr::Unary(UnaryOp::Neg, operand) => match self.eval(operand)? {
                Value::Int(i) => Value::Int(
                    i.checked_neg()
                        .ok_or_else(|| ToolError::rejected("number out of range"))?,
                ),
                Value::Real(r) => Value::Real(-r),
                _ => Value::Null,
            },
            Expr::Binary {
                op,
                lhs,
                rhs,
                operands,
                ..
            } => {
                use crate::syntax::ast::BinaryOp::{And, Coalesce, Or};
                // `and`, `or` and `??` do not evaluate their right side when the left
                // decides.
                let left = self.eval(lhs)?;
                match (op, &left) {
                    (And, Value::Bool(false)) => Value::Bool(false),
                    (Or, Value::Bool(true)) => Value::Bool(true),
                    (Coalesce, value) if !value.is_null() => left,
                    _ => {
                        let right = self.eval(rhs)?;
                        builtins::binary(*op, *operands, left, right)?
                    }
                }
            }
            Expr::Between { value, low, high } => {
                let (value, low, high) = (self.eval(value)?, self.eval(low)?, self.eval(high)?);
                match (value.compare(&low), value.compare(&high)) {
                    (Some(a), Some(b)) => Value::Bool(a.is_ge() && b.is_le()),
                    _ => Value::Null,
                }
            }
            Expr::In {
                value,
                list,
                negated,
            } => {
                let value = self.eval(value)?;
                let found = self.list(list)?.iter().any(|item| item.equals(&value));
                Value::Bool(found != *negated)
            }
            Expr::Guarded { condition, guard } => {
                if builtins::present(&self.eval(guard)?) {
                    self.eval(condition)?
                } else {
                    Value::Bool(true)
                }
            }
            Expr::Present(value) => Value::Bool(builtins::present(&self.eval(value)?)),
            Expr::Call { name, args, .. } => {
                let args = args
                    .iter()
                    .map(|a| self.eval(a))
                    .collect::<Result<Vec<_>, _>>()?;
                builtins::call(name, &args, &self.engine.ir.clock)?
            }
            Expr::ListMethod { name, list } => {
                let items = self.list(list)?;
                builtins::list_method(name, items)?
            }
            Expr::Record(fields) => Value::Record(
                fields
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), self.eval(v)?)))
                    .collect::<Result<_, ToolError>>()?,
            ),
            Expr::List(items) => Value::List(
                items
                    .iter()
                    .map(|i| self.eval(i))
                    .collect::<Result<_, _>>()?,
            ),
            Expr::OrElse { value, message } => match self.eval(value)? {
                Value::Null => return Err(ToolError::rejected(self.format(message)?)),
                value => value,
            },
            Expr::Format(message) => Value::Text(self.format(message)?),
            Expr::Query(query) => self.query(query)?,
            Expr::Lookup {
                state,
                table,
                key,
                sql,
            } => {
                let key = self.eval(key)?;
                if key.is_null() {
                    Value::Null
                } else {
                    let conn = self.connection(*state);
                    self.read_rows(conn, *table, sql, &[key])?
                        .into_iter()
                        .next()
                        .unwrap_or(Value::Null)
                }
            }
            Expr::Insert { .. }
            | Expr::Update { .. }
            | Expr::Delete { .. }
            | Expr::Upsert { .. } => self.write(expr)?,
            Expr::Aggregate { name, arg } => self.aggregate(name, arg.as_deref())?,
            Expr::GroupKey(name) => self
                .groups
                .last()
                .and_then(|g| g.keys.iter().find(|(k, _)| k == name))
                .map(|(_, v)| v.clone())
                .unwrap_or(Value::Null),
        })
    }

    /// The signed-in user's row, read once per call.
    fn me(&mut self) -> Result<Value, ToolError> {
        if let Some(me) = &self.me {
            return Ok(me.clone());
        }
        let Some((table, key)) = self.engine.ir.user.clone() else {
            return Ok(Value::Null);
        };
        let table_name = &self.engine.ir.schema.tables[table.0];
        let sql = format!(
            "SELECT * FROM {} WHERE {} = ?1",
            awm_runtime::session::quote(&table_name.name),
            awm_runtime::session::quote(&table_name.columns[table_name.primary_key].name)
        );
        let me = self
            .read_rows(self.current, table, &sql, &[key])?
            .into_iter()
            .next()
            .unwrap_or(Value::Null);
        self.me = Some(me.clone());
        Ok(me)
    }

    fn navigate(
        &mut self,
        key: &Value,
        table: crate::check::model::TableId,
        column: &str,
        sql: &str,
    ) -> Result<Value, ToolError> {
        if key.is_null() {
            return Ok(Value::Null);
        }
        let schema = &self.engine.ir.schema.tables[table.0];
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

    /// Rows of a table read with `sql` and its parameters, as records.
    pub fn read_rows(
        &self,
        conn: &Connection,
        table: crate::check::model::TableId,
        sql: &str,
        params: &[Value],
    ) -> Result<Vec<Value>, ToolError> {
        let schema = &self.engine.ir.schema.tables[table.0];
        let mut statement = conn.prepare_cached(sql)?;
        let mut rows = statement.query(rusqlite::params_from_iter(params.iter()))?;
        let mut out = Vec::new();
        let limit = self.engine.limits.max_rows;
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
}
