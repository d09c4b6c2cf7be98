//! Expressions to IR, reading what the checker recorded: each name's meaning and each
//! expression's type decide what a field access, a call or a query lowers to. Whatever
//! reads a table goes to [`super::sql`] as one statement; the rest is evaluated by the
//! body.

use awm_runtime::Value;
use awm_runtime::exec::Shape;
use awm_stdlib::functions::{self, FunctionKind};

use super::Lowerer;
use super::ir::{self, Expr, Message, MessagePart};
use crate::check::model::TableId;
use crate::check::resolution::NameRes;
use crate::check::types::Ty;
use crate::syntax::ast::{self, ExprKind};
use crate::syntax::{interpolations, parse_interpolation};

impl Lowerer<'_> {
    pub(super) fn expr(&mut self, expr: &ast::Expr) -> Expr {
        if self.reads_tables(expr) {
            return self.sql_query(expr);
        }
        match &expr.kind {
            ExprKind::Int(i) => Expr::Const(Value::Int(*i)),
            ExprKind::Real(r) => Expr::Const(Value::Real(*r)),
            ExprKind::Bool(b) => Expr::Const(Value::Bool(*b)),
            ExprKind::Null => Expr::Const(Value::Null),
            ExprKind::DateTime(d) | ExprKind::Date(d) => Expr::Const(Value::Text(d.clone())),
            ExprKind::Str(text) => {
                if self.interpolate && text.raw.contains('{') {
                    Expr::Format(self.message(text))
                } else {
                    Expr::Const(Value::Text(text.value.clone()))
                }
            }
            ExprKind::Paren(inner) => self.expr(inner),
            ExprKind::Name(name) => self.name(name),
            ExprKind::Field { receiver, name } => {
                let receiver_ty = self.resolutions.ty(receiver.span).clone();
                let base = Box::new(self.expr(receiver));
                match receiver_ty.required() {
                    Ty::List(_) => Expr::Project {
                        list: base,
                        name: name.name.clone(),
                    },
                    _ => Expr::Field {
                        base,
                        name: name.name.clone(),
                    },
                }
            }
            ExprKind::Method {
                receiver,
                name,
                args,
            } => self.method(receiver, name, args),
            ExprKind::Call { callee, args } => {
                let arguments: Vec<Expr> = args.iter().map(|a| self.expr(&a.value)).collect();
                self.scalar_call(&callee.name, arguments)
            }
            ExprKind::Unary { op, operand } => Expr::Unary(*op, Box::new(self.expr(operand))),
            ExprKind::Binary { op, lhs, rhs } => Expr::Binary {
                op: *op,
                operands: self.operands_of(lhs, rhs),
                lhs: Box::new(self.expr(lhs)),
                rhs: Box::new(self.expr(rhs)),
            },
            ExprKind::Between { value, low, high } => Expr::Between {
                value: Box::new(self.expr(value)),
                low: Box::new(self.expr(low)),
                high: Box::new(self.expr(high)),
            },
            ExprKind::In {
                value,
                list,
                negated,
            } => Expr::In {
                value: Box::new(self.expr(value)),
                list: Box::new(self.expr(list)),
                negated: *negated,
            },
            // Guards only exist in `where`, which is SQL; a guard of constants is its value.
            ExprKind::Guarded { condition, guard } => {
                let present = Expr::Present(Box::new(self.expr(guard)));
                Expr::Binary {
                    op: ast::BinaryOp::Or,
                    operands: ir::Operands::Other,
                    lhs: Box::new(Expr::Unary(ast::UnaryOp::Not, Box::new(present))),
                    rhs: Box::new(self.expr(condition)),
                }
            }
            ExprKind::Record(record) => Expr::Record(self.fields(&record.fields)),
            ExprKind::List(items) => Expr::List(items.iter().map(|item| self.expr(item)).collect()),
            ExprKind::Query { .. } => self.sql_query(expr),
            ExprKind::OrElse { value, message } => Expr::OrElse {
                value: Box::new(self.expr(value)),
                message: self.message(message),
            },
            ExprKind::Insert { table, record } => self.lower_insert(table, record),
            ExprKind::Update {
                target,
                filter,
                set,
            } => self.lower_update(expr, target, filter.as_deref(), set),
            ExprKind::Delete { target, filter } => self.lower_delete(target, filter.as_deref()),
            ExprKind::Upsert {
                table,
                record,
                on,
                set,
            } => {
                let id = self.table_id(&table.name);
                let key = self.upsert_key(id, record, on.as_ref());
                self.lower_upsert(table, record, &key, set.as_ref())
            }
        }
    }

    /// Whether an expression itself reads a table (a query, a table, a lookup, a
    /// foreign key followed, a list method of a query): it becomes one SQL statement.
    pub(super) fn reads_tables(&self, expr: &ast::Expr) -> bool {
        match &expr.kind {
            ExprKind::Query { .. } => true,
            ExprKind::Name(name) => {
                matches!(
                    self.resolutions.names.get(&name.span),
                    Some(NameRes::Table(_))
                ) || self.inlined(name).is_some()
            }
            ExprKind::Field { receiver, .. } => {
                self.state_of(receiver).is_some()
                    || matches!(
                        self.resolutions.ty(receiver.span).required(),
                        Ty::Ref { .. }
                    )
                    || (matches!(self.resolutions.ty(receiver.span).required(), Ty::List(_))
                        && self.reads_tables(receiver.unparen()))
            }
            ExprKind::Method { receiver, .. } => {
                self.state_of(receiver).is_some()
                    || (matches!(self.resolutions.ty(receiver.span).required(), Ty::List(_))
                        && self.reads_tables(receiver.unparen()))
            }
            ExprKind::Call { callee, args } => {
                self.model.table(&callee.name).is_some()
                    || (callee.name == "exists"
                        && args
                            .first()
                            .is_some_and(|a| self.reads_tables(a.value.unparen())))
            }
            ExprKind::Paren(inner) => self.reads_tables(inner),
            _ => false,
        }
    }

    /// What a binary operator's operands are, from their types (a duration on the left
    /// takes the kind of what it is added to).
    pub(super) fn operands_of(&self, lhs: &ast::Expr, rhs: &ast::Expr) -> ir::Operands {
        use awm_stdlib::Scalar;
        let kind = |ty: &Ty| match ty.required().unref() {
            Ty::Scalar(Scalar::Int | Scalar::Real) => ir::Operands::Number,
            Ty::Scalar(Scalar::Text) | Ty::Enum(_) => ir::Operands::Text,
            Ty::Scalar(Scalar::DateTime) => ir::Operands::DateTime,
            Ty::Scalar(Scalar::Date) => ir::Operands::Date,
            Ty::Scalar(Scalar::Duration) => ir::Operands::Duration,
            _ => ir::Operands::Other,
        };
        match kind(self.resolutions.ty(lhs.span)) {
            ir::Operands::Duration => match kind(self.resolutions.ty(rhs.span)) {
                ir::Operands::DateTime => ir::Operands::DateTime,
                ir::Operands::Date => ir::Operands::Date,
                _ => ir::Operands::Duration,
            },
            other => other,
        }
    }

    /// The shape of values of a type, for reading them back from SQL.
    pub(super) fn shape(&self, ty: &Ty) -> Shape {
        use awm_stdlib::Scalar;
        use std::borrow::Cow;
        match ty.required().unref() {
            Ty::Scalar(Scalar::Int | Scalar::Duration) => Shape::Int,
            Ty::Scalar(Scalar::Real) => Shape::Real,
            Ty::Scalar(Scalar::Bool) => Shape::Bool,
            Ty::Row(table) => Shape::Row(table.0),
            Ty::Record(fields) => Shape::Record(Cow::Owned(
                fields
                    .iter()
                    .map(|(name, ty)| (Cow::Owned(name.clone()), self.shape(ty)))
                    .collect(),
            )),
            Ty::List(element) => Shape::List(Cow::Owned(vec![self.shape(element)])),
            _ => Shape::Text,
        }
    }

    /// The logical clock, as `now()` gives it.
    pub(super) fn clock(&self) -> String {
        self.model
            .env
            .as_ref()
            .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |e| e.clock.clone())
    }

    fn fields(&mut self, fields: &[ast::FieldInit]) -> Vec<(String, Expr)> {
        fields
            .iter()
            .map(|f| (f.name.name.clone(), self.expr(&f.value)))
            .collect()
    }

    pub(super) fn table_id(&self, name: &str) -> TableId {
        self.model.table(name).unwrap_or(TableId(0))
    }

    fn name(&mut self, name: &ast::Ident) -> Expr {
        match self.resolutions.names.get(&name.span).cloned() {
            Some(NameRes::Binding {
                declared,
                name: bound,
            }) => Expr::Slot(self.slot(declared, &bound)),
            // A parameter's check sees the parameters as the fields of one row.
            Some(NameRes::Field {
                name: field,
                depth: 0,
            }) if self.check_params.is_some() => {
                match self
                    .check_params
                    .as_ref()
                    .and_then(|params| params.iter().position(|p| *p == field))
                {
                    Some(slot) => Expr::Slot(slot),
                    None => Expr::Const(Value::Null),
                }
            }
            Some(NameRes::EnumMember(member)) => Expr::Const(Value::Text(member)),
            Some(NameRes::Me) => Expr::Me,
            Some(NameRes::Answer) => Expr::Answer,
            // Rows, tables and `excluded` are only in scope inside SQL; `initial` and
            // `final` alone only appear in `final == initial`, which the verifier
            // lowering handles; anything else was rejected by the checker.
            _ => Expr::Const(Value::Null),
        }
    }

    /// The state a receiver names, if it is `initial` or `final`.
    fn state_of(&self, receiver: &ast::Expr) -> Option<super::sql::Db> {
        match &receiver.unparen().kind {
            ExprKind::Name(name) => match self.resolutions.names.get(&name.span) {
                Some(NameRes::Initial) => Some(super::sql::Db::Initial),
                Some(NameRes::Final) => Some(super::sql::Db::Main),
                _ => None,
            },
            _ => None,
        }
    }

    fn method(&mut self, receiver: &ast::Expr, name: &ast::Ident, args: &[ast::Arg]) -> Expr {
        let receiver_ty = self.resolutions.ty(receiver.span).clone();
        let base = self.expr(receiver);
        if let Ty::List(_) = receiver_ty.required()
            && let Some(function) = functions::lookup(&name.name, FunctionKind::ListMethod)
        {
            return Expr::ListMethod {
                name: function.name,
                list: Box::new(base),
            };
        }
        let mut arguments = vec![base];
        arguments.extend(args.iter().map(|a| self.expr(&a.value)));
        self.scalar_call(&name.name, arguments)
    }

    fn scalar_call(&self, name: &str, args: Vec<Expr>) -> Expr {
        let name = functions::lookup(name, FunctionKind::Scalar).map_or("", |f| f.name);
        Expr::Call { name, args }
    }

    /// The columns an upsert matches existing rows on (checked by the checker).
    fn upsert_key(
        &self,
        table: TableId,
        record: &ast::RecordLit,
        on: Option<&ast::ColumnList>,
    ) -> Vec<String> {
        if let Some(on) = on {
            return on.columns.iter().map(|c| c.name.clone()).collect();
        }
        let info = &self.model.tables[table.0];
        let given = |c: &usize| {
            record
                .fields
                .iter()
                .any(|f| f.name.name == info.columns[*c].name)
        };
        let mut keys: Vec<Vec<usize>> = Vec::new();
        if let Some(pk) = info.primary_key {
            keys.push(vec![pk]);
        }
        keys.extend(info.uniques.iter().cloned());
        keys.into_iter()
            .find(|key| key.iter().all(given))
            .map(|key| key.iter().map(|&c| info.columns[c].name.clone()).collect())
            .unwrap_or_default()
    }

    /// A message: its text, and each `{interpolation}` parsed again (the same way the
    /// checker did, so names resolve by the same spans).
    pub(super) fn message(&mut self, text: &ast::StrLit) -> Message {
        let mut parts = Vec::new();
        let raw = &text.raw;
        let base = text.span.start as usize + 1;
        let mut cursor = 0;
        for (offset, inner) in interpolations(raw) {
            let Some(inner) = inner else { break };
            // The literal text before the `{`, with its escapes applied.
            let literal = &raw[cursor..offset - 1];
            if !literal.is_empty() {
                parts.push(MessagePart::Text(unescape(literal)));
            }
            match parse_interpolation(inner, (base + offset) as u32) {
                Ok(expr) => parts.push(MessagePart::Value(self.expr(&expr))),
                Err(_) => parts.push(MessagePart::Text(format!("{{{inner}}}"))),
            }
            cursor = offset + inner.len() + 1;
        }
        if cursor < raw.len() {
            parts.push(MessagePart::Text(unescape(&raw[cursor..])));
        }
        Message { parts }
    }
}

/// Applies a string's escapes (the spec checked clean, so every escape is known).
pub(super) fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}
