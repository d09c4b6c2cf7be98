//! Expressions inside a statement: names resolve to the rows in scope, operators and
//! functions to SQL (comparisons and logic natively, everything with a meaning of its own
//! through the runtime's built-ins), and whatever is free of the statement's rows to a
//! bound parameter.

use awm_runtime::Value;
use awm_stdlib::eval::Builtin;
use awm_stdlib::functions::{self, FunctionKind};

use super::val::{Json, Val, is_scalar};
use super::{Compiled, Db, SqlCx};
use crate::check::resolution::NameRes;
use crate::check::types::Ty;
use crate::lower::ir::Expr;
use crate::lower::schema::literal;
use crate::syntax::ast::{self, BinaryOp, ExprKind, UnaryOp};
use crate::syntax::{interpolations, parse_interpolation};

impl SqlCx<'_, '_> {
    /// An expression as a scalar SQL expression.
    pub(super) fn scalar(&mut self, expr: &ast::Expr) -> Compiled<String> {
        let value = self.sql(expr)?;
        self.scalar_sql(&value, expr.span)
    }

    /// An expression as a value of the statement.
    pub(super) fn sql(&mut self, expr: &ast::Expr) -> Compiled<Val> {
        let ty = self.ty(expr);
        if self.is_free(expr) {
            return self.free(expr, ty);
        }
        let db = Db::Main;
        Ok(match &expr.kind {
            ExprKind::Paren(inner) => return self.sql(inner),
            ExprKind::Name(name) => return self.name(name, expr),
            ExprKind::Field { receiver, name } => {
                if let Some(state) = self.state_of(receiver) {
                    let table = self.lowerer.table_id(&name.name);
                    return self.table_list(table, state, expr);
                }
                if matches!(self.ty(receiver).required(), Ty::List(_)) {
                    return self.nested_list(expr);
                }
                let receiver = self.sql(receiver)?;
                return self.field(&receiver, &name.name, name.span);
            }
            ExprKind::Method {
                receiver,
                name,
                args,
            } => return self.method(expr, receiver, name, args),
            ExprKind::Call { callee, args } => return self.call(expr, callee, args),
            ExprKind::Unary { op, operand } => {
                let operand = self.scalar(operand)?;
                let sql = match op {
                    UnaryOp::Not => format!("(NOT {operand})"),
                    UnaryOp::Neg => format!("{}({operand})", Builtin::Neg.sql_name()),
                };
                Val::scalar(sql, ty, db)
            }
            ExprKind::Binary { op, lhs, rhs } => Val::scalar(self.binary(*op, lhs, rhs)?, ty, db),
            ExprKind::Between { value, low, high } => {
                let (value, low, high) =
                    (self.scalar(value)?, self.scalar(low)?, self.scalar(high)?);
                Val::scalar(format!("({value} BETWEEN {low} AND {high})"), ty, db)
            }
            ExprKind::In {
                value,
                list,
                negated,
            } => Val::scalar(self.is_in(value, list, *negated)?, ty, db),
            ExprKind::Guarded { condition, guard } => {
                let condition = self.scalar(condition)?;
                let absent = if self.is_free(guard) {
                    let guard = self.lowerer.expr(guard);
                    format!("NOT {}", self.bind(Expr::Present(Box::new(guard))))
                } else {
                    let guard_ty = self.ty(guard);
                    let guard = self.scalar(guard)?;
                    if guard_ty.required().is_bool() {
                        format!("coalesce({guard}, 0) = 0")
                    } else {
                        format!("{guard} IS NULL")
                    }
                };
                Val::scalar(format!("({absent} OR {condition})"), ty, db)
            }
            ExprKind::Record(record) => Val::Record(
                record
                    .fields
                    .iter()
                    .map(|f| Ok((f.name.name.clone(), self.sql(&f.value)?)))
                    .collect::<Compiled<_>>()?,
            ),
            ExprKind::List(items) => {
                let items = items
                    .iter()
                    .map(|item| {
                        let value = self.sql(item)?;
                        Ok(self.nested(&value))
                    })
                    .collect::<Compiled<Vec<_>>>()?;
                Val::Sql {
                    sql: format!("json_array({})", items.join(", ")),
                    ty,
                    json: Json::Marked,
                    db,
                }
            }
            ExprKind::Query { .. } if matches!(ty.required(), Ty::List(_)) => {
                return self.nested_list(expr);
            }
            ExprKind::Query { .. } => return self.single_value(expr),
            ExprKind::OrElse { value, message } => {
                let value_ty = self.ty(value);
                let value = self.sql(value)?;
                let message = self.message(message)?;
                let fail = format!("{}({message})", Builtin::Fail.sql_name());
                match value {
                    Val::Sql { sql, json, .. } => Val::Sql {
                        sql: format!("coalesce({sql}, {fail})"),
                        ty: value_ty.required().clone(),
                        json,
                        db,
                    },
                    // A record is never null; a looked-up row may be.
                    Val::Record(fields) => Val::Record(fields),
                    other => Val::Sql {
                        sql: format!("coalesce({}, {fail})", self.flat(&other)),
                        ty: value_ty.required().clone(),
                        json: Json::Text,
                        db,
                    },
                }
            }
            ExprKind::Str(text) => Val::scalar(self.message(text)?, ty, db),
            ExprKind::Insert { .. }
            | ExprKind::Update { .. }
            | ExprKind::Delete { .. }
            | ExprKind::Upsert { .. } => {
                return Self::unsupported(
                    expr.span,
                    "a write cannot be part of a query (its `where`, `select` or `order by`)",
                );
            }
            ExprKind::Int(_)
            | ExprKind::Real(_)
            | ExprKind::Bool(_)
            | ExprKind::Null
            | ExprKind::DateTime(_)
            | ExprKind::Date(_) => return self.free(expr, ty),
        })
    }

    /// A value the body computes, bound as a parameter (a literal in DDL).
    fn free(&mut self, expr: &ast::Expr, ty: Ty) -> Compiled<Val> {
        let value = self.lowerer.expr(expr);
        let json = if is_scalar(&ty) { Json::No } else { Json::Text };
        let sql = if self.ddl {
            match value {
                Expr::Const(value) => literal(&value),
                Expr::Call { name: "now", .. } => literal(&Value::Text(self.lowerer.clock())),
                Expr::Call { name: "today", .. } => {
                    let clock = self.lowerer.clock();
                    literal(&Value::Text(clock.get(..10).unwrap_or(&clock).to_string()))
                }
                _ => return Self::unsupported(expr.span, "a value only a tool call has"),
            }
        } else {
            self.bind(value)
        };
        Ok(Val::Sql {
            sql,
            ty,
            json,
            db: Db::Main,
        })
    }

    /// The state a receiver names, if it is `initial` or `final`.
    pub(super) fn state_of(&self, receiver: &ast::Expr) -> Option<Db> {
        match &receiver.unparen().kind {
            ExprKind::Name(name) => match self.lowerer.resolutions.names.get(&name.span) {
                Some(NameRes::Initial) => Some(Db::Initial),
                Some(NameRes::Final) => Some(Db::Main),
                _ => None,
            },
            _ => None,
        }
    }

    fn name(&mut self, name: &ast::Ident, expr: &ast::Expr) -> Compiled<Val> {
        match self.lowerer.resolutions.names.get(&name.span).cloned() {
            Some(NameRes::Column { depth, .. }) | Some(NameRes::Field { depth, .. }) => {
                let Some(index) = self.scopes.len().checked_sub(depth + 1) else {
                    return Self::unsupported(name.span, "a field of a row that is not in scope");
                };
                let row = self.scopes[index].clone();
                self.field(&row, &name.name, name.span)
            }
            Some(NameRes::Binding {
                declared,
                name: bound,
            }) => {
                let key = self
                    .groups
                    .iter()
                    .rev()
                    .find(|group| group.select == declared)
                    .and_then(|group| group.keys.iter().find(|(key, _)| *key == bound))
                    .map(|(_, value)| value.clone());
                match key {
                    Some(value) => Ok(value),
                    None => self.free(expr, self.ty(expr)),
                }
            }
            Some(NameRes::Table(table)) => self.table_list(table, Db::Main, expr),
            Some(NameRes::Excluded(_)) => match &self.excluded {
                Some(record) => Ok(record.clone()),
                None => Self::unsupported(name.span, "`excluded` outside an upsert's `set`"),
            },
            _ => self.free(expr, self.ty(expr)),
        }
    }

    /// A whole table as a nested list.
    fn table_list(
        &mut self,
        _table: crate::check::model::TableId,
        _db: Db,
        expr: &ast::Expr,
    ) -> Compiled<Val> {
        self.nested_list(expr)
    }

    fn method(
        &mut self,
        expr: &ast::Expr,
        receiver: &ast::Expr,
        name: &ast::Ident,
        args: &[ast::Arg],
    ) -> Compiled<Val> {
        if let Some(db) = self.state_of(receiver) {
            let table = self.lowerer.table_id(&name.name);
            return self.lookup(table, db, args.first().map(|a| &a.value), expr);
        }
        let receiver_ty = self.ty(receiver);
        if let Ty::List(_) = receiver_ty.required()
            && let Some(function) = functions::lookup(&name.name, FunctionKind::ListMethod)
        {
            return self.aggregate_of(function.name, receiver, self.ty(expr));
        }
        let mut all: Vec<&ast::Expr> = vec![receiver];
        all.extend(args.iter().map(|a| &a.value));
        self.function(&name.name, &all, expr)
    }

    fn call(&mut self, expr: &ast::Expr, callee: &ast::Ident, args: &[ast::Arg]) -> Compiled<Val> {
        if let Some(table) = self.lowerer.model.table(&callee.name) {
            return self.lookup(table, Db::Main, args.first().map(|a| &a.value), expr);
        }
        let args: Vec<&ast::Expr> = args.iter().map(|a| &a.value).collect();
        if functions::lookup(&callee.name, FunctionKind::Scalar).is_none()
            && let Some(function) = functions::lookup(&callee.name, FunctionKind::Aggregate)
        {
            return self.group_aggregate(function.name, args.first().copied(), expr);
        }
        if callee.name == "exists"
            && let Some(list) = args.first()
        {
            return self.aggregate_of("exists", list, Ty::BOOL);
        }
        self.function(&callee.name, &args, expr)
    }

    /// `table(key)`: the row with that primary key, or null.
    fn lookup(
        &mut self,
        table: crate::check::model::TableId,
        db: Db,
        key: Option<&ast::Expr>,
        expr: &ast::Expr,
    ) -> Compiled<Val> {
        let Some(key) = key else {
            return Self::unsupported(expr.span, "a lookup without a key");
        };
        let key = self.scalar(key)?;
        Ok(Val::Lookup {
            table,
            key,
            db: self.db(db),
        })
    }

    /// A scalar built-in function.
    fn function(&mut self, name: &str, args: &[&ast::Expr], expr: &ast::Expr) -> Compiled<Val> {
        let ty = self.ty(expr);
        let Some(mut builtin) = Builtin::function(name) else {
            return Self::unsupported(expr.span, format!("`{name}` here"));
        };
        if builtin == Builtin::Text
            && args
                .first()
                .is_some_and(|a| self.ty(a).required().is_bool())
        {
            builtin = Builtin::TextOfBool;
        }
        let args = args
            .iter()
            .map(|arg| self.scalar(arg))
            .collect::<Compiled<Vec<_>>>()?;
        Ok(Val::scalar(
            format!("{}({})", builtin.sql_name(), args.join(", ")),
            ty,
            Db::Main,
        ))
    }

    /// What a binary operator's operands are, from their types.
    fn operands(&self, lhs: &ast::Expr, rhs: &ast::Expr) -> crate::lower::ir::Operands {
        self.lowerer.operands_of(lhs, rhs)
    }

    fn binary(&mut self, op: BinaryOp, lhs: &ast::Expr, rhs: &ast::Expr) -> Compiled<String> {
        use BinaryOp::*;
        let operands = self.operands(lhs, rhs);
        let (left_ty, right_ty) = (self.ty(lhs), self.ty(rhs));
        if matches!(op, Eq | Ne) && !(is_scalar(&left_ty) && is_scalar(&right_ty)) {
            // Records, rows and lists compare by their JSON (one type, one key order).
            let (l, r) = (self.sql(lhs)?, self.sql(rhs)?);
            let (l, r) = (self.nested(&l), self.nested(&r));
            let not = if op == Ne { "NOT " } else { "" };
            return Ok(format!("(json({l}) IS {not}json({r}))"));
        }
        let (left, right) = (self.sql(lhs)?, self.sql(rhs)?);
        if matches!(op, Eq | Ne) {
            // `order_id.user_id == me.id`: a semi-join through the foreign key's index.
            let navigation = |value: &Val| matches!(value, Val::Nav { required: true, .. });
            let pair = if navigation(&left) && self.is_free(rhs) {
                Some((&left, &right))
            } else if navigation(&right) && self.is_free(lhs) {
                Some((&right, &left))
            } else {
                None
            };
            if let Some((followed, other)) = pair {
                let test = format!("IS {}", self.scalar_sql(other, rhs.span)?);
                let sql = self.semi_join(followed, &test, lhs.span)?;
                return Ok(if op == Ne {
                    format!("(NOT {sql})")
                } else {
                    sql
                });
            }
        }
        let l = self.scalar_sql(&left, lhs.span)?;
        let mut r = self.scalar_sql(&right, rhs.span)?;
        if op == Mentions && right_ty.required().is_bool() {
            r = format!("{}({r})", Builtin::TextOfBool.sql_name());
        }
        Ok(match op {
            And => format!("({l} AND {r})"),
            Or => format!("({l} OR {r})"),
            // `IS` is SQL's null-safe equality, as the language's `==` is.
            Eq => format!("({l} IS {r})"),
            Ne => format!("({l} IS NOT {r})"),
            Lt => format!("({l} < {r})"),
            Le => format!("({l} <= {r})"),
            Gt => format!("({l} > {r})"),
            Ge => format!("({l} >= {r})"),
            Coalesce => format!("coalesce({l}, {r})"),
            _ => {
                let right_is_text = matches!(
                    right_ty.required().unref(),
                    Ty::Scalar(
                        awm_stdlib::Scalar::Text
                            | awm_stdlib::Scalar::DateTime
                            | awm_stdlib::Scalar::Date
                    ) | Ty::Enum(_)
                );
                match op.builtin(operands, right_is_text) {
                    Some(builtin) => format!("{}({l}, {r})", builtin.sql_name()),
                    None => return Self::unsupported(lhs.span, format!("`{}` here", op.symbol())),
                }
            }
        })
    }

    /// `value in list`, null-safe like `==`.
    fn is_in(&mut self, value: &ast::Expr, list: &ast::Expr, negated: bool) -> Compiled<String> {
        let value_ty = self.ty(value);
        let element_ty = match self.ty(list).required() {
            Ty::List(element) => (**element).clone(),
            other => other.clone(),
        };
        let nullable = value_ty.is_optional() || element_ty.is_optional();
        let needle_value = self.sql(value)?;
        if !nullable
            && matches!(needle_value, Val::Nav { required: true, .. })
            && self.is_free(list)
        {
            // `product_id.category_id in [2, 3]`: through the foreign key's index.
            let list = self.sql(list)?;
            let list = self.flat(&list);
            let test = format!("IN (SELECT value FROM json_each({list}))");
            let sql = self.semi_join(&needle_value, &test, value.span)?;
            return Ok(if negated { format!("(NOT {sql})") } else { sql });
        }
        let needle = self.scalar_sql(&needle_value, value.span)?;
        let not = if negated { "NOT " } else { "" };
        if let ExprKind::List(items) = &list.unparen().kind
            && !self.is_free(list)
        {
            let items = items
                .iter()
                .map(|item| self.scalar(item))
                .collect::<Compiled<Vec<_>>>()?;
            if items.is_empty() {
                return Ok(if negated { "1" } else { "0" }.to_string());
            }
            return Ok(if nullable {
                let tests: Vec<String> = items.iter().map(|i| format!("{needle} IS {i}")).collect();
                format!("({not}({}))", tests.join(" OR "))
            } else {
                format!("({needle} {not}IN ({}))", items.join(", "))
            });
        }
        let (from, element) = self.values_of(list)?;
        Ok(if nullable {
            format!("({not}EXISTS (SELECT 1 FROM {from} WHERE {element} IS {needle}))")
        } else {
            format!("({needle} {not}IN (SELECT {element} FROM {from}))")
        })
    }

    /// A message or string with `{interpolations}`: the text joined in SQL.
    fn message(&mut self, text: &ast::StrLit) -> Compiled<String> {
        if !self.lowerer.interpolate || !text.raw.contains('{') {
            return Ok(self.bind(Expr::Const(Value::Text(text.value.clone()))));
        }
        let raw = text.raw.clone();
        let base = text.span.start as usize + 1;
        let mut parts = Vec::new();
        let mut cursor = 0;
        for (offset, inner) in interpolations(&raw) {
            let Some(inner) = inner else { break };
            let literal = &raw[cursor..offset - 1];
            if !literal.is_empty() {
                let literal = crate::lower::expr::unescape(literal);
                parts.push(self.bind(Expr::Const(Value::Text(literal))));
            }
            match parse_interpolation(inner, (base + offset) as u32) {
                Ok(expr) => {
                    let ty = self.ty(&expr);
                    let value = self.scalar(&expr)?;
                    let builtin = if ty.required().is_bool() {
                        Builtin::TextOfBool
                    } else {
                        Builtin::Text
                    };
                    parts.push(format!("{}({value})", builtin.sql_name()));
                }
                Err(_) => {
                    parts.push(self.bind(Expr::Const(Value::Text(format!("{{{inner}}}")))));
                }
            }
            cursor = offset + inner.len() + 1;
        }
        if cursor < raw.len() {
            let rest = crate::lower::expr::unescape(&raw[cursor..]);
            parts.push(self.bind(Expr::Const(Value::Text(rest))));
        }
        if parts.is_empty() {
            return Ok(self.bind(Expr::Const(Value::Text(String::new()))));
        }
        Ok(format!("({})", parts.join(" || ")))
    }
}
