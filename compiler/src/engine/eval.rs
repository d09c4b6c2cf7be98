//! Evaluation of IR expressions and statements: a tree walk over the lowered IR that
//! calls the runtime's shared operations ([`awm_runtime::exec`]) for everything with a
//! meaning of its own, exactly where generated code calls them (the work meter must see
//! the same steps from both).

use awm_runtime::exec::{Ctx, Query, ops};
use awm_runtime::{ToolError, Value};

use crate::lower::ir::{Expr, Message, MessagePart, SqlQuery, Stmt};

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

    /// Runs statements; `Some` when a `return` ended them. Each statement is a step.
    pub fn run(&mut self, ctx: &mut Ctx, stmts: &[Stmt]) -> Result<Option<Value>, ToolError> {
        for stmt in stmts {
            ctx.tick()?;
            match stmt {
                Stmt::Let { slot, value } => self.slots[*slot] = self.eval(ctx, value)?,
                Stmt::Require { condition, message } => {
                    if !ops::holds(&self.eval(ctx, condition)?) {
                        return Err(ToolError::rejected(self.format(ctx, message)?));
                    }
                }
                Stmt::For { slot, list, body } => {
                    let list = self.eval(ctx, list)?;
                    for item in ctx.iterate(list) {
                        ctx.tick()?;
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

    pub fn all(&self, ctx: &mut Ctx, exprs: &[Expr]) -> Result<Vec<Value>, ToolError> {
        exprs.iter().map(|e| self.eval(ctx, e)).collect()
    }

    /// Runs a statement that reads, with its parameters.
    pub fn query(&self, ctx: &mut Ctx, query: &SqlQuery) -> Result<Value, ToolError> {
        let params = self.all(ctx, &query.params)?;
        ctx.query(
            &Query {
                sql: &query.sql,
                mode: query.mode,
                shape: &query.shape,
            },
            &params,
        )
    }

    pub fn eval(&self, ctx: &mut Ctx, expr: &Expr) -> Result<Value, ToolError> {
        Ok(match expr {
            Expr::Const(value) => value.clone(),
            Expr::Slot(slot) => self.slots.get(*slot).cloned().unwrap_or(Value::Null),
            Expr::Me => ctx.me()?,
            Expr::Answer => ctx.answer(),
            Expr::Field { base, name } => ops::field(&self.eval(ctx, base)?, name),
            Expr::Project { list, name } => {
                let list = self.eval(ctx, list)?;
                ctx.project(list, name)?
            }
            Expr::Unary(op, operand) => ops::unary(*op, self.eval(ctx, operand)?)?,
            Expr::Binary {
                op,
                lhs,
                rhs,
                operands,
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
                let list = self.eval(ctx, list)?;
                ctx.is_in(&value, list, *negated)?
            }
            Expr::Present(value) => Value::Bool(ops::present(&self.eval(ctx, value)?)),
            Expr::Call { name, args } => {
                let args = self.all(ctx, args)?;
                ops::call(name, &args, ctx.clock())?
            }
            Expr::ListMethod { name, list } => {
                let list = self.eval(ctx, list)?;
                ctx.list_method(name, list)?
            }
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
            Expr::Insert { .. }
            | Expr::Update { .. }
            | Expr::Delete { .. }
            | Expr::Upsert { .. } => self.write(ctx, expr)?,
        })
    }
}
