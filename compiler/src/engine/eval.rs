//! Evaluation of IR expressions and statements: a tree walk over the lowered IR that
//! calls the runtime's shared operations ([`awm_runtime::exec`]) for everything with a
//! meaning of its own, as generated code does.

use awm_runtime::exec::{Ctx, ops};
use awm_runtime::{ToolError, Value};

use crate::lower::ir::{Expr, Message, MessagePart, Stmt};

/// The interpreter of one body: its binding slots.
pub(super) struct Interp {
    pub slots: Vec<Value>,
}

impl Interp {
    pub fn new(slots: usize) -> Self {
        Interp {
            slots: vec![Value::Null; slots],
        }
    }

    /// Runs statements; `Some` when a `return` ended them.
    pub fn run(&mut self, ctx: &mut Ctx, stmts: &[Stmt]) -> Result<Option<Value>, ToolError> {
        for stmt in stmts {
            match stmt {
                Stmt::Let { slot, value } => self.slots[*slot] = self.eval(ctx, value)?,
                Stmt::Require { condition, message } => {
                    if !ops::holds(&self.eval(ctx, condition)?) {
                        return Err(ToolError::rejected(self.format(ctx, message)?));
                    }
                }
                Stmt::For { slot, list, body } => {
                    for item in ops::as_list(self.eval(ctx, list)?) {
                        self.slots[*slot] = item;
                        if let Some(value) = self.run(ctx, body)? {
                            return Ok(Some(value));
                        }
                    }
                }
                Stmt::If {
                    condition,
                    then_body,
                    else_body,
                } => {
                    let branch = if ops::holds(&self.eval(ctx, condition)?) {
                        then_body
                    } else {
                        else_body
                    };
                    if let Some(value) = self.run(ctx, branch)? {
                        return Ok(Some(value));
                    }
                }
                Stmt::Return(value) => {
                    return Ok(Some(match value {
                        Some(value) => self.eval(ctx, value)?,
                        None => Value::Null,
                    }));
                }
                Stmt::Eval(expr) => {
                    self.eval(ctx, expr)?;
                }
                // Expectations are evaluated by the verifier, which sees them one by one.
                Stmt::Expect(_) => {}
            }
        }
        Ok(None)
    }

    pub fn format(&self, ctx: &mut Ctx, message: &Message) -> Result<String, ToolError> {
        let mut text = String::new();
        for part in &message.parts {
            match part {
                MessagePart::Text(literal) => text.push_str(literal),
                MessagePart::Value(value) => text.push_str(&self.eval(ctx, value)?.to_string()),
            }
        }
        Ok(text)
    }

    pub fn list(&self, ctx: &mut Ctx, expr: &Expr) -> Result<Vec<Value>, ToolError> {
        Ok(ops::as_list(self.eval(ctx, expr)?))
    }

    pub fn all(&self, ctx: &mut Ctx, exprs: &[Expr]) -> Result<Vec<Value>, ToolError> {
        exprs.iter().map(|e| self.eval(ctx, e)).collect()
    }

    /// Evaluates the values of `(name, value)` pairs.
    pub fn values(
        &self,
        ctx: &mut Ctx,
        fields: &[(String, Expr)],
    ) -> Result<Vec<Value>, ToolError> {
        fields.iter().map(|(_, v)| self.eval(ctx, v)).collect()
    }

    pub fn eval(&self, ctx: &mut Ctx, expr: &Expr) -> Result<Value, ToolError> {
        Ok(match expr {
            Expr::Const(value) => value.clone(),
            Expr::Slot(slot) => self.slots.get(*slot).cloned().unwrap_or(Value::Null),
            Expr::RowField { depth, name } => ctx.row_field(*depth, name),
            Expr::Me => ctx.me()?,
            Expr::Answer => ctx.answer(),
            Expr::Excluded => ctx.excluded(),
            Expr::Field { base, name } => ops::field(&self.eval(ctx, base)?, name),
            Expr::Navigate {
                key,
                table,
                column,
                sql,
                ..
            } => {
                let key = self.eval(ctx, key)?;
                ctx.navigate(table.0, column, sql, &key)?
            }
            Expr::Project { list, name } => ops::project(self.eval(ctx, list)?, name),
            Expr::ProjectNavigate {
                list,
                table,
                column,
                sql,
                ..
            } => {
                let keys = self.eval(ctx, list)?;
                ctx.navigate_each(table.0, column, sql, keys)?
            }
            Expr::Unary(op, operand) => ops::unary(*op, self.eval(ctx, operand)?)?,
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
                let left = self.eval(ctx, lhs)?;
                match (op, &left) {
                    (And, Value::Bool(false)) => Value::Bool(false),
                    (Or, Value::Bool(true)) => Value::Bool(true),
                    (Coalesce, value) if !value.is_null() => left,
                    _ => ops::binary(*op, *operands, left, self.eval(ctx, rhs)?)?,
                }
            }
            Expr::Between { value, low, high } => ops::between(
                &self.eval(ctx, value)?,
                &self.eval(ctx, low)?,
                &self.eval(ctx, high)?,
            ),
            Expr::In {
                value,
                list,
                negated,
            } => {
                let value = self.eval(ctx, value)?;
                ops::is_in(&value, self.eval(ctx, list)?, *negated)
            }
            Expr::Guarded { condition, guard } => {
                if ops::present(&self.eval(ctx, guard)?) {
                    self.eval(ctx, condition)?
                } else {
                    Value::Bool(true)
                }
            }
            Expr::Present(value) => Value::Bool(ops::present(&self.eval(ctx, value)?)),
            Expr::Call { name, args, .. } => {
                let args = self.all(ctx, args)?;
                ops::call(name, &args, ctx.clock())?
            }
            Expr::ListMethod { name, list } => ops::list_method(name, self.list(ctx, list)?)?,
            Expr::Record(fields) => Value::Record(
                fields
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), self.eval(ctx, v)?)))
                    .collect::<Result<_, ToolError>>()?,
            ),
            Expr::List(items) => Value::List(self.all(ctx, items)?),
            Expr::OrElse { value, message } => match self.eval(ctx, value)? {
                Value::Null => return Err(ToolError::rejected(self.format(ctx, message)?)),
                value => value,
            },
            Expr::Format(message) => Value::Text(self.format(ctx, message)?),
            Expr::Query(query) => self.query(ctx, query)?,
            Expr::Lookup {
                state,
                table,
                key,
                sql,
            } => {
                let key = self.eval(ctx, key)?;
                ctx.lookup(*state, table.0, sql, key)?
            }
            Expr::Insert { .. }
            | Expr::Update { .. }
            | Expr::Delete { .. }
            | Expr::Upsert { .. } => self.write(ctx, expr)?,
            Expr::Aggregate { name, arg } => match arg {
                Some(arg) => ctx.aggregate(name, &mut |ctx| self.eval(ctx, arg))?,
                None => ctx.aggregate_rows(name)?,
            },
            Expr::GroupKey(name) => ctx.group_key(name),
        })
    }
}
