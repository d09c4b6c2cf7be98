//! Expressions to IR, reading what the checker recorded: each name's meaning and each
//! expression's type decide what a field access, a call or a query lowers to.

use awm_runtime::Value;
use awm_stdlib::functions::{self, FunctionKind};

use super::Lowerer;
use super::ir::{self, Clause, Expr, Message, MessagePart, OrderKey, Source, State, Target};
use crate::check::model::TableId;
use crate::check::resolution::NameRes;
use crate::check::types::Ty;
use crate::syntax::ast::{self, ExprKind};
use crate::syntax::{interpolations, parse_interpolation};

impl Lowerer<'_> {
    pub(super) fn expr(&mut self, expr: &ast::Expr) -> Expr {
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
            ExprKind::Name(name) => self.name(name, expr),
            ExprKind::Field { receiver, name } => self.field(receiver, name),
            ExprKind::Method {
                receiver,
                name,
                args,
            } => self.method(receiver, name, args),
            ExprKind::Call { callee, args } => self.call(callee, args),
            ExprKind::Unary { op, operand } => Expr::Unary(*op, Box::new(self.expr(operand))),
            ExprKind::Binary { op, lhs, rhs } => Expr::Binary {
                op: *op,
                operands: self.operands(lhs),
                lhs: Box::new(self.expr(lhs)),
                rhs: Box::new(self.expr(rhs)),
                nulls_propagate: self.nulls_propagate,
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
            ExprKind::Guarded { condition, guard } => Expr::Guarded {
                condition: Box::new(self.expr(condition)),
                guard: Box::new(self.expr(guard)),
            },
            ExprKind::Record(record) => Expr::Record(self.fields(&record.fields)),
            ExprKind::List(items) => Expr::List(items.iter().map(|item| self.expr(item)).collect()),
            ExprKind::Query { source, clauses } => self.query(expr, source, clauses),
            ExprKind::OrElse { value, message } => Expr::OrElse {
                value: Box::new(self.expr(value)),
                message: self.message(message),
            },
            ExprKind::Insert { table, record } => {
                let table = self.table_id(&table.name);
                let fields = self.fields(&record.fields);
                let columns: Vec<String> = fields.iter().map(|(c, _)| c.clone()).collect();
                Expr::Insert {
                    table,
                    sql: super::sql::insert(self, table, &columns),
                    fields,
                }
            }
            ExprKind::Update {
                target,
                filter,
                set,
            } => {
                let target = self.target(target, filter.as_deref());
                let set = self.fields(&set.fields);
                let columns: Vec<String> = set.iter().map(|(c, _)| c.clone()).collect();
                let sql = super::sql::update(self, target.table(), &columns);
                Expr::Update {
                    target: Box::new(target),
                    set,
                    sql,
                }
            }
            ExprKind::Delete { target, filter } => {
                let target = self.target(target, filter.as_deref());
                let sql = super::sql::delete(self, target.table());
                Expr::Delete {
                    target: Box::new(target),
                    sql,
                }
            }
            ExprKind::Upsert {
                table,
                record,
                on,
                set,
            } => {
                let id = self.table_id(&table.name);
                let key = self.upsert_key(id, record, on.as_ref());
                let fields = self.fields(&record.fields);
                let set = set.as_ref().map(|set| self.fields(&set.fields));
                let updated: Vec<String> = match &set {
                    Some(set) => set.iter().map(|(c, _)| c.clone()).collect(),
                    None => fields
                        .iter()
                        .map(|(c, _)| c.clone())
                        .filter(|c| !key.contains(c))
                        .collect(),
                };
                let inserted: Vec<String> = fields.iter().map(|(c, _)| c.clone()).collect();
                Expr::Upsert {
                    table: id,
                    find: super::sql::find(self, id, &key),
                    update: super::sql::update(self, id, &updated),
                    insert: super::sql::insert(self, id, &inserted),
                    fields,
                    key,
                    set,
                }
            }
        }
    }

    fn operands(&self, lhs: &ast::Expr) -> ir::Operands {
        use awm_stdlib::Scalar;
        match self.resolutions.ty(lhs.span).required().unref() {
            Ty::Scalar(Scalar::Int | Scalar::Real) => ir::Operands::Number,
            Ty::Scalar(Scalar::Text) | Ty::Enum(_) => ir::Operands::Text,
            Ty::Scalar(Scalar::DateTime) => ir::Operands::DateTime,
            Ty::Scalar(Scalar::Date) => ir::Operands::Date,
            Ty::Scalar(Scalar::Duration) => ir::Operands::Duration,
            _ => ir::Operands::Other,
        }
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

    fn name(&mut self, name: &ast::Ident, expr: &ast::Expr) -> Expr {
        match self.resolutions.names.get(&name.span).cloned() {
            Some(NameRes::Binding {
                declared,
                name: bound,
            }) => {
                if self.group_keys.contains(&declared) {
                    Expr::GroupKey(bound)
                } else {
                    Expr::Slot(self.slot(declared, &bound))
                }
            }
            Some(NameRes::Column {
                table,
                column,
                depth,
            }) => Expr::RowField {
                depth,
                name: self.model.tables[table.0].columns[column].name.clone(),
            },
            Some(NameRes::Field { name, depth }) => Expr::RowField { depth, name },
            Some(NameRes::Table(table)) => self.table_query(State::Current, table, &[]),
            Some(NameRes::EnumMember(member)) => Expr::Const(Value::Text(member)),
            Some(NameRes::Me) => Expr::Me,
            Some(NameRes::Answer) => Expr::Answer,
            Some(NameRes::Excluded(_)) => Expr::Excluded,
            // `initial` and `final` alone only appear in `final == initial`, which the
            // verifier lowering handles; anything else was rejected by the checker.
            Some(NameRes::Initial | NameRes::Final) | None => {
                let _ = expr;
                Expr::Const(Value::Null)
            }
        }
    }

    /// The state a receiver names, if it is `initial` or `final`.
    fn state_of(&self, receiver: &ast::Expr) -> Option<State> {
        match &receiver.unparen().kind {
            ExprKind::Name(name) => match self.resolutions.names.get(&name.span) {
                Some(NameRes::Initial) => Some(State::Initial),
                Some(NameRes::Final) => Some(State::Current),
                _ => None,
            },
            _ => None,
        }
    }

    fn field(&mut self, receiver: &ast::Expr, name: &ast::Ident) -> Expr {
        if let Some(state) = self.state_of(receiver) {
            return self.table_query(state, self.table_id(&name.name), &[]);
        }
        let receiver_ty = self.resolutions.ty(receiver.span).clone();
        let base = Box::new(self.expr(receiver));
        match receiver_ty.required() {
            Ty::Ref { table, column, .. } => self.navigate(base, *table, *column, &name.name),
            Ty::List(element) => match element.required() {
                Ty::Ref {
                    table, column: by, ..
                } => {
                    let (by, column) = self.navigation(*table, *by, &name.name);
                    let sql = super::sql::navigate(self, *table, &by, &column);
                    Expr::ProjectNavigate {
                        list: base,
                        table: *table,
                        by,
                        column,
                        sql,
                    }
                }
                _ => Expr::Project {
                    list: base,
                    name: name.name.clone(),
                },
            },
            _ => Expr::Field {
                base,
                name: name.name.clone(),
            },
        }
    }

    fn navigate(&self, key: Box<Expr>, table: TableId, by: usize, column: &str) -> Expr {
        let (by, column) = self.navigation(table, by, column);
        let sql = super::sql::navigate(self, table, &by, &column);
        Expr::Navigate {
            key,
            table,
            by,
            column,
            sql,
        }
    }

    /// The referenced key column (what the foreign key holds) and the column read.
    fn navigation(&self, table: TableId, by: usize, column: &str) -> (String, String) {
        (
            self.model.tables[table.0].columns[by].name.clone(),
            column.to_string(),
        )
    }

    fn method(&mut self, receiver: &ast::Expr, name: &ast::Ident, args: &[ast::Arg]) -> Expr {
        if let Some(state) = self.state_of(receiver) {
            let table = self.table_id(&name.name);
            let key = args
                .first()
                .map_or(Expr::Const(Value::Null), |a| self.expr(&a.value));
            return Expr::Lookup {
                state,
                table,
                key: Box::new(key),
                sql: super::sql::lookup(self, table),
            };
        }
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

    fn call(&mut self, callee: &ast::Ident, args: &[ast::Arg]) -> Expr {
        if let Some(table) = self.model.table(&callee.name) {
            let key = args
                .first()
                .map_or(Expr::Const(Value::Null), |a| self.expr(&a.value));
            return Expr::Lookup {
                state: State::Current,
                table,
                key: Box::new(key),
                sql: super::sql::lookup(self, table),
            };
        }
        let arguments: Vec<Expr> = args.iter().map(|a| self.expr(&a.value)).collect();
        if functions::lookup(&callee.name, FunctionKind::Scalar).is_none()
            && let Some(function) = functions::lookup(&callee.name, FunctionKind::Aggregate)
        {
            return Expr::Aggregate {
                name: function.name,
                arg: arguments.into_iter().next().map(Box::new),
            };
        }
        self.scalar_call(&callee.name, arguments)
    }

    fn scalar_call(&self, name: &str, args: Vec<Expr>) -> Expr {
        let name = functions::lookup(name, FunctionKind::Scalar).map_or("", |f| f.name);
        Expr::Call {
            name,
            args,
            nulls_propagate: self.nulls_propagate,
        }
    }

    /// A whole table read in a state, before clauses.
    fn table_query(&mut self, state: State, table: TableId, clauses: &[Clause]) -> Expr {
        let sql = super::sql::select(self, table, clauses);
        Expr::Query(Box::new(ir::Query {
            source: Source::Table { state, table, sql },
            clauses: clauses.to_vec(),
        }))
    }

    fn query(&mut self, whole: &ast::Expr, source: &ast::Expr, clauses: &[ast::Clause]) -> Expr {
        let _ = whole;
        // The checker declares a `group by`'s keys at the `select` that follows it.
        for pair in clauses.windows(2) {
            if let ast::ClauseKind::GroupBy(_) = pair[0].kind {
                self.group_keys.push(pair[1].span);
            }
        }
        let mut lowered: Vec<Clause> = clauses.iter().map(|clause| self.clause(clause)).collect();
        // `limit n offset m` means what it means in SQL: skip m, then take n. In the IR
        // clauses apply in order, so the pair becomes `offset m`, `limit n`.
        for index in 1..lowered.len() {
            if matches!(
                (&lowered[index - 1], &lowered[index]),
                (Clause::Limit(_), Clause::Offset(_))
            ) {
                lowered.swap(index - 1, index);
            }
        }
        // A table (in the current state, or `initial.t` / `final.t`) is read with SQL.
        let table_source = match &source.unparen().kind {
            ExprKind::Name(name) => match self.resolutions.names.get(&name.span) {
                Some(NameRes::Table(table)) => Some((State::Current, *table)),
                _ => None,
            },
            ExprKind::Field { receiver, name } => self
                .state_of(receiver)
                .map(|state| (state, self.table_id(&name.name))),
            _ => None,
        };
        if let Some((state, table)) = table_source {
            return self.table_query(state, table, &lowered);
        }
        let source_ty = self.resolutions.ty(source.span).clone();
        let base = Box::new(self.expr(source));
        let source = match source_ty {
            Ty::Optional(_) => Source::Single(base),
            _ => Source::List(base),
        };
        Expr::Query(Box::new(ir::Query {
            source,
            clauses: lowered,
        }))
    }

    fn clause(&mut self, clause: &ast::Clause) -> Clause {
        match &clause.kind {
            ast::ClauseKind::Where(filter) => Clause::Where(self.expr(filter)),
            ast::ClauseKind::OrderBy(keys) => Clause::OrderBy(
                keys.iter()
                    .map(|key| {
                        let enum_order = match self.resolutions.ty(key.key.span).required().unref()
                        {
                            Ty::Enum(id) => Some(self.model.enums[id.0].members.clone()),
                            _ => None,
                        };
                        OrderKey {
                            key: self.expr(&key.key),
                            descending: key.descending,
                            enum_order,
                        }
                    })
                    .collect(),
            ),
            ast::ClauseKind::Limit(count) => Clause::Limit(self.expr(count)),
            ast::ClauseKind::Offset(count) => Clause::Offset(self.expr(count)),
            ast::ClauseKind::GroupBy(keys) => Clause::GroupBy(
                keys.iter()
                    .map(|key| {
                        let name = match (&key.name, &key.key.unparen().kind) {
                            (Some(name), _) => name.name.clone(),
                            (None, ExprKind::Name(name)) => name.name.clone(),
                            (None, ExprKind::Field { name, .. }) => name.name.clone(),
                            _ => String::new(),
                        };
                        (name, self.expr(&key.key))
                    })
                    .collect(),
            ),
            ast::ClauseKind::Select(projection) => Clause::Select(self.expr(projection)),
        }
    }

    fn target(&mut self, target: &ast::Expr, filter: Option<&ast::Expr>) -> Target {
        let filter_ir = filter.map(|f| self.expr(f));
        if let ExprKind::Name(name) = &target.unparen().kind {
            // The checker takes a bare table name as the table unless a binding has it.
            let bound = matches!(
                self.resolutions.names.get(&name.span),
                Some(NameRes::Binding { .. })
            );
            if let (false, Some(table)) = (bound, self.model.table(&name.name)) {
                let filter = filter_ir.map(|f| super::sql::filter(self, table, f));
                let select = super::sql::select_rows(self, table, filter.as_ref());
                return Target::Rows {
                    table,
                    filter,
                    select,
                };
            }
        }
        let ty = self.resolutions.ty(target.span).clone();
        let row = self.expr(target);
        match ty.required() {
            Ty::Row(table) => Target::Row { table: *table, row },
            Ty::List(element) => {
                let table = match element.required() {
                    Ty::Row(table) => *table,
                    _ => TableId(0),
                };
                Target::List {
                    table,
                    list: row,
                    filter: filter_ir,
                }
            }
            _ => Target::Row {
                table: TableId(0),
                row,
            },
        }
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
fn unescape(raw: &str) -> String {
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
