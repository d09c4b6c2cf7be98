//! Type inference for expressions: names, fields and foreign-key navigation, operators,
//! literals and `else`. Calls, queries and mutations have files of their own.

use super::resolution::NameRes;
use super::scope::{Resolved, Shadowed};
use super::symbols::Symbol;
use super::types::{self, Ty};
use super::{Checker, Mode};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{Expr, ExprKind, Ident, RecordLit};

impl Checker<'_> {
    /// The static type of `expr`. `expected` is a hint used to resolve enum members and
    /// empty lists; it does not report mismatches (see [`Checker::expect_type`]).
    pub fn infer(&mut self, expr: &Expr, expected: Option<&Ty>) -> Ty {
        let ty = self.infer_kind(expr, expected);
        self.resolutions.types.insert(expr.span, ty.clone());
        ty
    }

    fn infer_kind(&mut self, expr: &Expr, expected: Option<&Ty>) -> Ty {
        match &expr.kind {
            ExprKind::Int(_) => Ty::INT,
            ExprKind::Real(_) => Ty::REAL,
            ExprKind::Str(text) => {
                // In tools and verifiers, strings interpolate like messages: "Mr {name}".
                if self.mode != Mode::Schema {
                    self.check_message(text);
                }
                Ty::TEXT
            }
            ExprKind::Bool(_) => Ty::BOOL,
            ExprKind::Null => Ty::Null,
            ExprKind::DateTime(_) => Ty::DATETIME,
            ExprKind::Date(_) => Ty::DATE,
            ExprKind::Paren(inner) => self.infer(inner, expected),
            ExprKind::Name(name) => self.infer_name(name, expected, false),
            ExprKind::Field { receiver, name } => self.infer_field(receiver, name),
            ExprKind::Call { callee, args } => self.infer_call(expr, callee, args),
            ExprKind::Method {
                receiver,
                name,
                args,
            } => self.infer_method(receiver, name, args),
            ExprKind::Unary { op, operand } => self.infer_unary(*op, operand),
            ExprKind::Binary { op, lhs, rhs } => self.infer_binary(expr, *op, lhs, rhs),
            ExprKind::Between { value, low, high } => {
                let value_ty = self.infer(value, None);
                self.require_ordered(&value_ty, value, "between");
                for bound in [low, high] {
                    let bound_ty = self.infer(bound, Some(&value_ty));
                    self.require_ordered(&bound_ty, bound, "between");
                    self.require_comparable(&value_ty, &bound_ty, expr, "between");
                }
                Ty::BOOL
            }
            ExprKind::In { value, list, .. } => {
                let value_ty = self.infer(value, None);
                let list_ty = self.infer(list, Some(&Ty::list(value_ty.required().clone())));
                match list_ty.element() {
                    Some(element) => self.require_comparable(&value_ty, element, expr, "in"),
                    None if list_ty.is_error() => {}
                    None => self.report(
                        Diagnostic::new(
                            Code::NotAList,
                            format!(
                                "`in` needs a list, found `{}`",
                                list_ty.display(&self.model)
                            ),
                            list.span,
                            "not a list",
                        )
                        .with_help("write the choices as a list: `status in [pending, paid]`"),
                    ),
                }
                Ty::BOOL
            }
            ExprKind::Guarded { condition, guard } => self.infer_guarded(expr, condition, guard),
            ExprKind::Record(record) => self.infer_record(record, expected),
            ExprKind::List(items) => self.infer_list(items, expected),
            ExprKind::Query { source, clauses } => self.infer_query(expr, source, clauses),
            ExprKind::OrElse { value, message } => {
                let value_ty = self.infer(value, expected.map(|e| e.clone().optional()).as_ref());
                self.check_message(message);
                if let Ty::List(_) = value_ty {
                    self.report(
                        Diagnostic::new(
                            Code::TypeMismatch,
                            "`else` unwraps a value that may be missing, but this is a list",
                            value.span,
                            format!("this is `{}`", value_ty.display(&self.model)),
                        )
                        .with_help("take one row first: `(query).first() else \"message\"`"),
                    );
                    return Ty::Error;
                }
                match value_ty {
                    Ty::Null => Ty::Error,
                    other => other.required().clone(),
                }
            }
            ExprKind::Insert { table, record } => self.infer_insert(expr, table, record),
            ExprKind::Update {
                target,
                filter,
                set,
            } => self.infer_update(expr, target, filter.as_deref(), set),
            ExprKind::Delete { target, filter } => {
                self.infer_delete(expr, target, filter.as_deref())
            }
            ExprKind::Upsert {
                table,
                record,
                on,
                set,
            } => self.infer_upsert(expr, table, record, on.as_ref(), set.as_ref()),
        }
    }

    /// Resolves a bare name. `skip_rows` looks past the columns in scope (for the right side
    /// of `product_id == product_id`, which compares a column with a parameter).
    pub fn infer_name(&mut self, name: &Ident, expected: Option<&Ty>, skip_rows: bool) -> Ty {
        if let Some((resolved, shadows)) = self.scope.resolve(&name.name, &self.model, skip_rows) {
            match shadows {
                // A hidden parameter matters only if it ends up unused: the unused-parameter
                // warning then points here.
                Some(Shadowed::Binding) if !self.quiet_shadowing => {
                    self.shadow_sites.push((name.name.clone(), name.span))
                }
                _ => {}
            }
            return match resolved {
                Resolved::Binding {
                    ty,
                    declared,
                    name: bound,
                    symbol,
                } => {
                    if let Some(symbol) = symbol {
                        self.record(name.span, symbol, false);
                    }
                    self.resolutions.names.insert(
                        name.span,
                        NameRes::Binding {
                            declared,
                            name: bound,
                        },
                    );
                    ty
                }
                Resolved::Field { ty, depth, index } => {
                    // In a parameter's check, the record row in scope is the parameters.
                    if let (Some(tool), 0) = (self.param_checks_of, depth) {
                        self.record(name.span, Symbol::Param(tool, index), false);
                    }
                    self.resolutions.names.insert(
                        name.span,
                        NameRes::Field {
                            name: name.name.clone(),
                            depth,
                        },
                    );
                    ty
                }
                Resolved::Column {
                    table,
                    column,
                    depth,
                } => {
                    self.record(name.span, Symbol::Column(table, column), false);
                    self.resolutions.names.insert(
                        name.span,
                        NameRes::Column {
                            table,
                            column,
                            depth,
                        },
                    );
                    self.model.column_type(table, column)
                }
            };
        }
        match name.name.as_str() {
            "me" => {
                self.resolutions.names.insert(name.span, NameRes::Me);
                return self.me(name);
            }
            "initial" | "final" | "answer" if self.mode != Mode::Verify => {
                self.report(
                    Diagnostic::new(
                        Code::StateOutsideVerify,
                        format!("`{}` exists only in a task's `verify` block", name.name),
                        name.span,
                        "not available here",
                    )
                    .with_help(if name.name == "answer" {
                        "a tool returns its result with `return`; the agent's final `answer` is only judged in `verify`"
                    } else {
                        "tools read and write the current state: name the table directly"
                    }),
                );
                return Ty::Error;
            }
            "initial" | "final" => {
                let state = if name.name == "initial" {
                    NameRes::Initial
                } else {
                    NameRes::Final
                };
                self.resolutions.names.insert(name.span, state);
                return Ty::State;
            }
            "answer" => {
                self.resolutions.names.insert(name.span, NameRes::Answer);
                return Ty::TEXT.optional();
            }
            "excluded" => {
                if let Some(table) = self.excluded {
                    self.resolutions
                        .names
                        .insert(name.span, NameRes::Excluded(table));
                    return Ty::Row(table);
                }
            }
            _ => {}
        }
        if let Some(table) = self.model.table(&name.name) {
            self.used_tables.insert(table);
            self.record(name.span, Symbol::Table(table), false);
            self.resolutions
                .names
                .insert(name.span, NameRes::Table(table));
            match self.mode {
                Mode::Tool => {}
                Mode::Verify => self.report(
                    Diagnostic::new(
                        Code::UnqualifiedTableInVerify,
                        format!("a verifier must say which state of `{}` it reads", name.name),
                        name.span,
                        "initial or final?",
                    )
                    .with_help(format!(
                        "write `final.{0}` for the state after the agent acted, or `initial.{0}` for before",
                        name.name
                    )),
                ),
                Mode::Schema => {
                    self.table_read_in_schema(&name.name, name.span);
                    return Ty::Error;
                }
            }
            return Ty::list(Ty::Row(table));
        }
        if let Some(ty) = self.enum_member(name, expected) {
            if let Ty::Enum(id) = ty
                && let Some(member) = self.model.enums[id.0]
                    .members
                    .iter()
                    .position(|m| *m == name.name)
            {
                self.record(name.span, Symbol::Member(id, member), false);
            }
            self.resolutions
                .names
                .insert(name.span, NameRes::EnumMember(name.name.clone()));
            return ty;
        }
        if let Some(Ty::Row(table)) = &self.group_rows
            && self.model.column(*table, &name.name).is_some()
        {
            self.report(
                    Diagnostic::new(
                        Code::MisplacedAggregate,
                        format!("`{}` differs between the rows of a group", name.name),
                        name.span,
                        "not a group key",
                    )
                    .with_help(format!(
                        "aggregate it (`sum({0})`, `max({0})`, `count_distinct({0})`) or add it to `group by`",
                        name.name
                    )),
                );
            return Ty::Error;
        }
        let mut candidates = self.scope.visible_names(&self.model);
        if self.mode == Mode::Tool {
            candidates.extend(self.model.table_names().map(String::from));
        }
        candidates.push("me".to_string());
        if let Some(Ty::Enum(id)) = expected.map(|e| e.required().unref()) {
            candidates.extend(self.model.enums[id.0].members.iter().cloned());
        }
        if matches!(
            name.name.as_str(),
            "self" | "this" | "current_user" | "user" | "current_user_id"
        ) && self.mode != Mode::Schema
        {
            self.report(
                Diagnostic::new(Code::UnknownName, format!("unknown name `{}`", name.name), name.span, "not a name here")
                    .with_help("the signed-in user is `me` (a row of the env's user table): write `me`, or `me.id` for its key"),
            );
            return Ty::Error;
        }
        // Inside a query, a misspelt name is most often a column of the row.
        if let Some(table) = self.scope.innermost_table() {
            let suggestion = crate::diagnostic::suggest::did_you_mean(
                &name.name,
                candidates.iter().map(String::as_str),
            );
            let is_column = |c: &str| self.model.column(table, c).is_some();
            if suggestion.is_none_or(is_column) {
                self.unknown_column(table, name);
                return Ty::Error;
            }
        }
        self.unknown(Code::UnknownName, "name", name, candidates);
        Ty::Error
    }

    /// A bare enum member: of the expected enum, or of the one enum that has it.
    fn enum_member(&mut self, name: &Ident, expected: Option<&Ty>) -> Option<Ty> {
        if let Some(Ty::Enum(id)) = expected.map(|e| e.required().unref()) {
            let id = *id;
            let info = &self.model.enums[id.0];
            if info.members.contains(&name.name) {
                self.used_enums.insert(id);
                return Some(Ty::Enum(id));
            }
            let (enum_name, members) = (info.name.clone(), info.members.clone());
            // A name close to a binding or column in scope (and not to a member) is a
            // misspelt one of those, reported as an unknown name.
            let visible = self.scope.visible_names(&self.model);
            let suggest = crate::diagnostic::suggest::did_you_mean;
            let near_member = suggest(&name.name, members.iter().map(String::as_str)).is_some();
            let near_binding = suggest(&name.name, visible.iter().map(String::as_str)).is_some();
            if (near_member || !near_binding) && self.model.enum_with_member(&name.name).is_none() {
                self.unknown_in(
                    Code::UnknownEnumMember,
                    "member",
                    Some(&format!("enum `{enum_name}`")),
                    name,
                    members,
                );
                return Some(Ty::Error);
            }
        }
        let id = self.model.enum_with_member(&name.name)?;
        self.used_enums.insert(id);
        Some(Ty::Enum(id))
    }

    fn me(&mut self, name: &Ident) -> Ty {
        if self.mode == Mode::Schema {
            self.not_constant(
                name.span,
                "`me`",
                "write the signed-in user's key itself, e.g. `1`",
            );
            return Ty::Error;
        }
        if self
            .model
            .env
            .as_ref()
            .is_some_and(|env| env.user.is_none() && env.declares_user)
        {
            // The `user` field is there but wrong; it has its own diagnostic.
            return Ty::Error;
        }
        match self.model.env.as_ref().and_then(|env| env.user.as_ref()) {
            Some((table, _)) => {
                let table = *table;
                self.used_tables.insert(table);
                Ty::Row(table)
            }
            None => {
                self.report(
                    Diagnostic::new(
                        Code::InvalidUser,
                        "`me` is used, but the env declares no signed-in user",
                        name.span,
                        "who is `me`?",
                    )
                    .with_help("add `user: table(key)` to the env header, naming the table of users and the signed-in user's key, e.g. `user: users(1)`"),
                );
                Ty::Error
            }
        }
    }

    fn infer_field(&mut self, receiver: &Expr, name: &Ident) -> Ty {
        let receiver_ty = self.infer(receiver, None);
        self.field_of(&receiver_ty, name)
    }

    /// The type of `.name` on a value of type `receiver`.
    pub fn field_of(&mut self, receiver: &Ty, name: &Ident) -> Ty {
        let optional = receiver.is_optional();
        let lift = |ty: Ty| if optional { ty.optional() } else { ty };
        match receiver.required().clone() {
            Ty::Error => Ty::Error,
            Ty::Row(table) | Ty::Ref { table, .. } => {
                self.used_tables.insert(table);
                match self.model.column(table, &name.name) {
                    Some((column, _)) => {
                        self.record(name.span, Symbol::Column(table, column), false);
                        lift(self.model.column_type(table, column))
                    }
                    None => {
                        self.unknown_column(table, name);
                        Ty::Error
                    }
                }
            }
            Ty::Record(fields) => match fields.iter().find(|(field, _)| *field == name.name) {
                Some((_, ty)) => lift(ty.clone()),
                None => {
                    let candidates = fields.iter().map(|(f, _)| f.clone()).collect();
                    self.unknown(Code::UnknownField, "field", name, candidates);
                    Ty::Error
                }
            },
            Ty::State => match self.model.table(&name.name) {
                Some(table) => {
                    self.used_tables.insert(table);
                    self.record(name.span, Symbol::Table(table), false);
                    Ty::list(Ty::Row(table))
                }
                None => {
                    let candidates = self.model.table_names().map(String::from).collect();
                    self.unknown(Code::UnknownTable, "table", name, candidates);
                    Ty::Error
                }
            },
            Ty::List(element) => {
                // A field of every element: `(items).quantity` is a list of quantities.
                let field = self.field_of(&element, name);
                if field.is_error() {
                    Ty::Error
                } else {
                    Ty::list(field)
                }
            }
            other => {
                let help =
                    if awm_stdlib::functions::lookup(&name.name, awm_stdlib::FunctionKind::Scalar)
                        .is_some()
                    {
                        format!(
                            "`{0}` is a function: write `{0}(value)` or `value.{0}()`",
                            name.name
                        )
                    } else {
                        "only rows and records have fields".to_string()
                    };
                self.report(
                    Diagnostic::new(
                        Code::UnknownField,
                        format!(
                            "`{}` has no fields, so `.{}` does not exist",
                            other.display(&self.model),
                            name.name
                        ),
                        name.span,
                        "no such field",
                    )
                    .with_help(help),
                );
                Ty::Error
            }
        }
    }

    pub fn unknown_column(&mut self, table: super::model::TableId, name: &Ident) {
        let info = &self.model.tables[table.0];
        let table_name = info.name.clone();
        let candidates: Vec<String> = info.columns.iter().map(|c| c.name.clone()).collect();
        let help = crate::diagnostic::suggest::help_for(
            &name.name,
            "column",
            candidates.iter().map(String::as_str),
        );
        let label = match help
            .as_deref()
            .and_then(|h| h.strip_prefix("did you mean "))
        {
            Some(suggestion) => format!(
                "not a column of `{table_name}`; did you mean {}",
                suggestion.trim_end_matches('?')
            ),
            None => format!("not a column of `{table_name}`"),
        };
        let mut diagnostic = Diagnostic::new(
            Code::UnknownColumn,
            format!("table `{table_name}` has no column `{}`", name.name),
            name.span,
            label,
        )
        .or_help(help);
        diagnostic =
            diagnostic.with_secondary(info.span, format!("`{table_name}` is declared here"));
        self.report(diagnostic);
    }

    fn infer_guarded(&mut self, expr: &Expr, condition: &Expr, guard: &Expr) -> Ty {
        if !self.in_filter {
            self.report(
                Diagnostic::new(
                    Code::MisplacedGuard,
                    "an `if` guard is only allowed inside a `where` filter",
                    expr.span,
                    "not inside `where`",
                )
                .with_help("to run statements conditionally, use an `if … { }` statement"),
            );
        }
        // A guard names a parameter or binding, even where a column has the same name.
        let guard_name = match &guard.unparen().kind {
            ExprKind::Name(name) if self.scope.binding(&name.name).is_some() => Some(name),
            _ => None,
        };
        let guard_ty = match guard_name {
            Some(name) => self.infer_name(name, None, true),
            None => self.infer(guard, None),
        };
        let narrowed = match (guard_name, &guard_ty) {
            // `… if max_price`: inside the condition, `max_price` is known to be present.
            (Some(name), Ty::Optional(_)) => self
                .scope
                .narrow(&name.name)
                .map(|original| (name, original)),
            (_, ty) if ty.is_optional() || ty.is_bool() => None,
            (_, ty) => {
                self.report(
                    Diagnostic::new(
                        Code::GuardAlwaysTrue,
                        format!(
                            "this guard is always present (it is `{}`), so the condition always applies",
                            ty.display(&self.model)
                        ),
                        guard.span,
                        "never missing",
                    )
                    .with_help("guard with an optional parameter (`max_price: real?`) or a boolean, or drop the `if`"),
                );
                None
            }
        };
        let condition_ty = self.infer(condition, None);
        self.require_bool(&condition_ty, condition, "a filter");
        if let Some((name, original)) = narrowed {
            self.scope.restore(&name.name, original);
        }
        Ty::BOOL
    }

    pub fn infer_record(&mut self, record: &RecordLit, expected: Option<&Ty>) -> Ty {
        let expected_fields = match expected.map(Ty::required) {
            Some(Ty::Record(fields)) => Some(fields.clone()),
            _ => None,
        };
        let mut fields: Vec<(String, Ty)> = Vec::new();
        for field in &record.fields {
            if let Some(first) = record
                .fields
                .iter()
                .find(|f| f.name.name == field.name.name)
                && first.name.span != field.name.span
            {
                self.duplicate_field(&field.name, first.name.span);
                continue;
            }
            let hint = expected_fields
                .as_ref()
                .and_then(|fields| fields.iter().find(|(name, _)| *name == field.name.name))
                .map(|(_, ty)| ty.clone());
            let ty = self.infer(&field.value, hint.as_ref());
            fields.push((field.name.name.clone(), ty));
        }
        Ty::Record(fields)
    }

    pub fn duplicate_field(&mut self, name: &Ident, first: crate::span::Span) {
        self.report(
            Diagnostic::new(
                Code::DuplicateField,
                format!("field `{}` is given twice", name.name),
                name.span,
                "given again here",
            )
            .with_secondary(first, "first given here")
            .with_help("remove one of them"),
        );
    }

    fn infer_list(&mut self, items: &[Expr], expected: Option<&Ty>) -> Ty {
        let hint = expected.and_then(|e| e.required().element()).cloned();
        let mut element: Option<Ty> = None;
        for item in items {
            let ty = self.infer(item, element.as_ref().or(hint.as_ref()));
            element = match element {
                None => Some(ty),
                Some(current) => match types::unify(&current, &ty) {
                    Some(unified) => Some(unified),
                    None => {
                        let diagnostic = self.mismatch(
                            types::Mismatch::Type,
                            &ty,
                            &current,
                            item.span,
                            "every element of a list",
                        );
                        self.report(diagnostic);
                        Some(current)
                    }
                },
            };
        }
        Ty::list(element.or(hint).unwrap_or(Ty::Error))
    }

    pub fn require_bool(&mut self, ty: &Ty, expr: &Expr, what: &str) {
        // Where nulls propagate, a missing condition is false: the expectation fails.
        let expected = if self.nulls_propagate() {
            Ty::BOOL.optional()
        } else {
            Ty::BOOL
        };
        self.require_assignable(
            ty,
            &expected,
            expr.span,
            &format!("the condition of {what}"),
        );
    }
}
