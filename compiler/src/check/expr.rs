//! Type inference for expressions: names, fields and foreign-key navigation, operators,
//! literals and `else`. Calls, queries and mutations have files of their own.

use awm_stdlib::Scalar;

use super::scope::Resolved;
use super::types::{self, Ty};
use super::{Checker, Mode};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, Ident, RecordLit, UnaryOp};

impl Checker<'_> {
    /// The static type of `expr`. `expected` is a hint used to resolve enum members and
    /// empty lists; it does not report mismatches (see [`Checker::expect_type`]).
    pub fn infer(&mut self, expr: &Expr, expected: Option<&Ty>) -> Ty {
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
            if shadows && !self.quiet_shadowing {
                self.report(
                    Diagnostic::new(
                        Code::ShadowedName,
                        format!("`{}` here is the field of the row in scope, not the outer `{}`", name.name, name.name),
                        name.span,
                        "the row's field",
                    )
                    .with_help(format!(
                        "inside a query or `set`, the row's fields come first; rename the outer parameter or binding (e.g. `new_{}`) to use it here",
                        name.name
                    )),
                );
            }
            return match resolved {
                Resolved::Binding(ty) | Resolved::Field(ty) => ty,
                Resolved::Column { table, column } => self.model.column_type(table, column),
            };
        }
        match name.name.as_str() {
            "me" => return self.me(name),
            "initial" | "final" | "answer" if self.mode != Mode::Verify => {
                self.report(
                    Diagnostic::new(
                        Code::StateOutsideVerify,
                        format!("`{}` exists only in a task's `verify` block", name.name),
                        name.span,
                        "not available here",
                    )
                    .with_help("tools read and write the current state: name the table directly"),
                );
                return Ty::Error;
            }
            "initial" | "final" => return Ty::State,
            "answer" => return Ty::TEXT.optional(),
            "excluded" => {
                if let Some(table) = self.excluded {
                    return Ty::Row(table);
                }
            }
            _ => {}
        }
        if let Some(table) = self.model.table(&name.name) {
            self.used_tables.insert(table);
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
                    self.report(
                        Diagnostic::new(
                            Code::InvalidQuery,
                            format!("table `{}` cannot be read here", name.name),
                            name.span,
                            "defaults, checks and seed values are computed without reading tables",
                        )
                        .with_help("use a constant, or move the logic into a tool"),
                    );
                    return Ty::Error;
                }
            }
            return Ty::list(Ty::Row(table));
        }
        if let Some(ty) = self.enum_member(name, expected) {
            return ty;
        }
        if let Some(Ty::Row(table)) = &self.group_rows {
            if self.model.column(*table, &name.name).is_some() {
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
        }
        let mut candidates = self.scope.visible_names(&self.model);
        if self.mode == Mode::Tool {
            candidates.extend(self.model.table_names().map(String::from));
        }
        candidates.push("me".to_string());
        if let Some(Ty::Enum(id)) = expected.map(Ty::required) {
            candidates.extend(self.model.enums[id.0].members.iter().cloned());
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
            if self.model.enum_with_member(&name.name).is_none() {
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
                    .with_help("add `user: users(1)` (the table and key of the signed-in user) to the env header"),
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
                    Some((column, _)) => lift(self.model.column_type(table, column)),
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
                self.report(Diagnostic::new(
                    Code::UnknownField,
                    format!(
                        "`{}` has no fields, so `.{}` does not exist",
                        other.display(&self.model),
                        name.name
                    ),
                    name.span,
                    "no such field",
                ));
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

    fn infer_unary(&mut self, op: UnaryOp, operand: &Expr) -> Ty {
        let ty = self.infer(operand, None);
        match op {
            UnaryOp::Not => {
                self.require_bool(&ty, operand, "`not`");
                Ty::BOOL
            }
            UnaryOp::Neg => {
                if ty.is_error() || ty.is_numeric() || ty == Ty::DURATION {
                    ty
                } else {
                    self.invalid_operands("-", &[&ty], operand.span);
                    Ty::Error
                }
            }
        }
    }

    fn infer_binary(&mut self, expr: &Expr, op: BinaryOp, lhs: &Expr, rhs: &Expr) -> Ty {
        use BinaryOp::*;
        match op {
            And | Or => {
                let l = self.infer(lhs, None);
                self.require_bool(&l, lhs, &format!("`{}`", op.symbol()));
                let r = self.infer(rhs, None);
                self.require_bool(&r, rhs, &format!("`{}`", op.symbol()));
                Ty::BOOL
            }
            Eq | Ne => {
                let (l, r) = self.infer_comparison_operands(lhs, rhs);
                if !(l == Ty::State && r == Ty::State) {
                    self.require_comparable(&l, &r, expr, op.symbol());
                }
                if same_shape(lhs, rhs) && !is_column_versus_binding(self, lhs, rhs) {
                    self.report(
                        Diagnostic::new(
                            Code::SelfComparison,
                            format!("this compares `{}` with itself", snippet(lhs)),
                            expr.span,
                            if op == Eq {
                                "always true"
                            } else {
                                "always false"
                            },
                        )
                        .with_help("compare with the parameter or value you meant"),
                    );
                }
                Ty::BOOL
            }
            Lt | Le | Gt | Ge => {
                let (l, r) = self.infer_comparison_operands(lhs, rhs);
                self.require_ordered(&l, lhs, op.symbol());
                self.require_ordered(&r, rhs, op.symbol());
                self.require_comparable(&l, &r, expr, op.symbol());
                Ty::BOOL
            }
            Contains | StartsWith | EndsWith => {
                let (l, r) = self.infer_comparison_operands(lhs, rhs);
                for (ty, side) in [(&l, lhs), (&r, rhs)] {
                    if !matches!(
                        ty.required(),
                        Ty::Scalar(Scalar::Text) | Ty::Error | Ty::Null
                    ) {
                        self.invalid_operands(op.symbol(), &[&l, &r], side.span);
                        return Ty::BOOL;
                    }
                }
                if r.is_optional() {
                    self.require_assignable(
                        &r,
                        &Ty::TEXT,
                        rhs.span,
                        &format!("the right side of `{}`", op.symbol()),
                    );
                }
                Ty::BOOL
            }
            Mentions => {
                let l = self.infer(lhs, None);
                if !matches!(l.required(), Ty::Scalar(Scalar::Text) | Ty::Error) {
                    self.invalid_operands("mentions", &[&l], lhs.span);
                }
                let r = self.infer(rhs, None);
                if !(r.is_error()
                    || r.required().scalar().is_some()
                    || matches!(r.required(), Ty::Enum(_)))
                {
                    self.invalid_operands("mentions", &[&l, &r], rhs.span);
                }
                Ty::BOOL
            }
            Coalesce => {
                let l = self.infer(lhs, None);
                let r = self.infer(rhs, Some(l.required()));
                match types::unify(l.required(), &r) {
                    Some(unified) if r.is_optional() => unified.optional(),
                    Some(unified) => unified.required().clone(),
                    None => {
                        let diagnostic = self.mismatch(
                            types::Mismatch::Type,
                            &r,
                            l.required(),
                            rhs.span,
                            "the fallback after `??`",
                        );
                        self.report(diagnostic);
                        Ty::Error
                    }
                }
            }
            Add | Sub | Mul | Div | Rem => {
                let l = self.infer(lhs, None);
                let r = self.infer(rhs, None);
                // A verifier judges: a missing value makes its expectation fail, so nulls
                // propagate there. A tool must decide what a missing value means.
                let propagate = self.mode == Mode::Verify;
                if !propagate {
                    for (ty, side) in [(&l, lhs), (&r, rhs)] {
                        if ty.is_optional() {
                            let what = format!("an operand of `{}`", op.symbol());
                            self.require_assignable(ty, ty.required(), side.span, &what);
                            return Ty::Error;
                        }
                    }
                }
                let result = self.arithmetic(op, l.required(), r.required(), expr);
                if propagate && (l.is_optional() || r.is_optional()) {
                    result.optional()
                } else {
                    result
                }
            }
        }
    }

    /// Infers both sides of a comparison, giving each side's type to the other as a hint
    /// (so `status == paid` and `paid == status` both resolve the member), and resolving
    /// `name == name` as column against parameter.
    fn infer_comparison_operands(&mut self, lhs: &Expr, rhs: &Expr) -> (Ty, Ty) {
        if is_column_versus_binding(self, lhs, rhs) {
            if let (ExprKind::Name(left), ExprKind::Name(right)) =
                (&lhs.unparen().kind, &rhs.unparen().kind)
            {
                let saved = std::mem::replace(&mut self.quiet_shadowing, true);
                let l = self.infer_name(left, None, false);
                self.quiet_shadowing = saved;
                let r = self.infer_name(right, Some(&l), true);
                return (l, r);
            }
        }
        if self.is_unresolved_bare_name(lhs) {
            let r = self.infer(rhs, None);
            let l = self.infer(lhs, Some(&r));
            return (l, r);
        }
        let l = self.infer(lhs, None);
        let r = self.infer(rhs, Some(&l));
        (l, r)
    }

    /// Whether `expr` is a bare name that only an expected type can resolve (an enum member).
    fn is_unresolved_bare_name(&self, expr: &Expr) -> bool {
        match &expr.unparen().kind {
            ExprKind::Name(name) => {
                self.scope.binding(&name.name).is_none()
                    && !self.scope.is_row_field(&name.name, &self.model)
                    && self.model.table(&name.name).is_none()
                    && !matches!(
                        name.name.as_str(),
                        "me" | "initial" | "final" | "answer" | "excluded"
                    )
            }
            _ => false,
        }
    }

    fn arithmetic(&mut self, op: BinaryOp, l: &Ty, r: &Ty, expr: &Expr) -> Ty {
        use BinaryOp::*;
        use Scalar::*;
        if l.is_error() || r.is_error() {
            return Ty::Error;
        }
        let result = match (op, l.scalar(), r.scalar()) {
            (Div, Some(a), Some(b)) if a.is_numeric() && b.is_numeric() => Some(Ty::REAL),
            (Rem, Some(Int), Some(Int)) => Some(Ty::INT),
            (Add | Sub | Mul, Some(Int), Some(Int)) => Some(Ty::INT),
            (Add | Sub | Mul, Some(a), Some(b)) if a.is_numeric() && b.is_numeric() => {
                Some(Ty::REAL)
            }
            (Add, Some(Text), Some(Text)) => Some(Ty::TEXT),
            (Add | Sub, Some(DateTime), Some(Duration)) | (Add, Some(Duration), Some(DateTime)) => {
                Some(Ty::DATETIME)
            }
            (Add | Sub, Some(Date), Some(Duration)) => Some(Ty::DATE),
            (Sub, Some(DateTime), Some(DateTime)) | (Sub, Some(Date), Some(Date)) => {
                Some(Ty::DURATION)
            }
            (Add | Sub, Some(Duration), Some(Duration)) => Some(Ty::DURATION),
            (Mul, Some(Duration), Some(Int)) | (Mul, Some(Int), Some(Duration)) => {
                Some(Ty::DURATION)
            }
            _ => None,
        };
        match result {
            Some(ty) => ty,
            None => {
                self.invalid_operands(op.symbol(), &[l, r], expr.span);
                Ty::Error
            }
        }
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
            {
                if first.name.span != field.name.span {
                    self.duplicate_field(&field.name, first.name.span);
                    continue;
                }
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
        self.require_assignable(
            ty,
            &Ty::BOOL,
            expr.span,
            &format!("the condition of {what}"),
        );
    }

    fn require_ordered(&mut self, ty: &Ty, expr: &Expr, op: &str) {
        if ty.is_error() {
            return;
        }
        if ty.is_optional() && self.mode != Mode::Verify {
            let what = format!("an operand of `{op}`");
            self.require_assignable(ty, ty.required(), expr.span, &what);
            return;
        }
        let ordered =
            ty.required().scalar().is_some_and(Scalar::is_ordered) || matches!(ty, Ty::Null);
        if !ordered {
            self.invalid_operands(op, &[ty], expr.span);
        }
    }

    fn require_comparable(&mut self, l: &Ty, r: &Ty, expr: &Expr, op: &str) {
        if !types::comparable(l, r) {
            self.invalid_operands(op, &[l, r], expr.span);
        }
    }

    pub fn invalid_operands(&mut self, op: &str, operands: &[&Ty], span: crate::span::Span) {
        if operands.iter().any(|ty| ty.is_error()) {
            return;
        }
        let shown: Vec<String> = operands
            .iter()
            .map(|ty| format!("`{}`", ty.display(&self.model)))
            .collect();
        let help = if op == "+" && shown.iter().any(|s| s == "`text`") {
            "to join text with a number, convert it first: `\"#\" + text(id)`"
        } else if shown.iter().any(|s| s.ends_with("]`")) {
            "this is a list: aggregate it first, e.g. `.count()`, `.sum()`, `.first()`"
        } else {
            "both sides must be numbers, or both text, dates or times of the same kind"
        };
        self.report(
            Diagnostic::new(
                Code::InvalidOperands,
                format!("`{op}` cannot be applied to {}", shown.join(" and ")),
                span,
                format!("`{op}` does not work on these types"),
            )
            .with_help(help),
        );
    }
}

/// `product_id == product_id` inside a filter: a column compared with the parameter of the
/// same name (the column on the left, the parameter on the right).
fn is_column_versus_binding(checker: &Checker, lhs: &Expr, rhs: &Expr) -> bool {
    match (&lhs.unparen().kind, &rhs.unparen().kind) {
        (ExprKind::Name(a), ExprKind::Name(b)) => {
            a.name == b.name
                && checker.scope.is_row_field(&a.name, &checker.model)
                && checker.scope.binding(&a.name).is_some()
        }
        _ => false,
    }
}

/// Whether two expressions are written the same way (spans ignored).
pub(crate) fn same_shape(a: &Expr, b: &Expr) -> bool {
    match (&a.unparen().kind, &b.unparen().kind) {
        (ExprKind::Name(x), ExprKind::Name(y)) => x.name == y.name,
        (
            ExprKind::Field {
                receiver: r1,
                name: n1,
            },
            ExprKind::Field {
                receiver: r2,
                name: n2,
            },
        ) => n1.name == n2.name && same_shape(r1, r2),
        (ExprKind::Int(x), ExprKind::Int(y)) => x == y,
        (ExprKind::Str(x), ExprKind::Str(y)) => x.value == y.value,
        (ExprKind::Bool(x), ExprKind::Bool(y)) => x == y,
        (ExprKind::Real(x), ExprKind::Real(y)) => x == y,
        _ => false,
    }
}

/// A short rendering of a name or path for messages.
pub(crate) fn snippet(expr: &Expr) -> String {
    match &expr.unparen().kind {
        ExprKind::Name(name) => name.name.clone(),
        ExprKind::Field { receiver, name } => format!("{}.{}", snippet(receiver), name.name),
        ExprKind::Int(i) => i.to_string(),
        ExprKind::Str(s) => format!("{:?}", s.value),
        ExprKind::Bool(b) => b.to_string(),
        _ => "this value".to_string(),
    }
}
