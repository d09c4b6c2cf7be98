//! The schema pass: enums, tables and their columns, primary and unique keys, foreign
//! keys, defaults and check constraints.

use awm_stdlib::Scalar;
use awm_stdlib::types::SCALAR_TYPES;

use super::model::{ColumnInfo, EnumInfo, TableId, TableInfo};
use super::scope::Row;
use super::symbols::Symbol;
use super::types::Ty;
use super::{Checker, Mode};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::{Column, Ident, Item, TableDecl, TypeExpr, TypeExprKind};

impl Checker<'_> {
    pub(super) fn check_schema(&mut self) {
        self.mode = Mode::Schema;
        self.declare_types();
        let tables: Vec<(TableId, &TableDecl)> = self
            .spec
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Table(table) => Some(table),
                _ => None,
            })
            .filter_map(|table| self.model.table(&table.name.name).map(|id| (id, table)))
            .filter(|(id, table)| self.model.tables[id.0].span == table.name.span)
            .collect();
        for &(id, table) in &tables {
            self.resolve_columns(id, table);
        }
        for &(id, table) in &tables {
            self.resolve_foreign_keys(id, table);
        }
        for &(id, table) in &tables {
            self.resolve_keys(id, table);
        }
        for &(id, table) in &tables {
            self.check_defaults_and_checks(id, table);
        }
    }

    /// Declares every enum and table name, reporting clashes.
    fn declare_types(&mut self) {
        let mut first_seen: Vec<(String, Span, &'static str)> = Vec::new();
        for (index, item) in self.spec.items.iter().enumerate() {
            let (name, kind) = match item {
                Item::Enum(e) => (&e.name, "enum"),
                Item::Table(t) => (&t.name, "table"),
                _ => continue,
            };
            if name.name.is_empty() {
                continue;
            }
            if let Some((_, span, first_kind)) = first_seen.iter().find(|(n, _, _)| *n == name.name)
            {
                let code = if kind == "table" && *first_kind == "table" {
                    Code::DuplicateTable
                } else {
                    Code::DuplicateType
                };
                self.report(
                    Diagnostic::new(
                        code,
                        format!("`{}` is declared twice", name.name),
                        name.span,
                        format!("this {kind} reuses the name"),
                    )
                    .with_secondary(
                        *span,
                        format!("the {first_kind} `{}` is declared here", name.name),
                    )
                    .with_help("rename one of them; tables and enums share one namespace"),
                );
                continue;
            }
            if SCALAR_TYPES.iter().any(|t| t.name == name.name) {
                self.report(
                    Diagnostic::new(
                        Code::DuplicateType,
                        format!("`{}` is a built-in type", name.name),
                        name.span,
                        "reserved name",
                    )
                    .with_help(format!("rename the {kind}, e.g. `{}s`", name.name)),
                );
                continue;
            }
            first_seen.push((name.name.clone(), name.span, kind));
            match item {
                Item::Enum(decl) => {
                    let mut members: Vec<String> = Vec::new();
                    let mut member_spans = Vec::new();
                    for member in &decl.members {
                        if let Some(first) = decl
                            .members
                            .iter()
                            .find(|m| m.name.name == member.name.name)
                            && first.name.span != member.name.span
                        {
                            self.report(
                                Diagnostic::new(
                                    Code::DuplicateEnumMember,
                                    format!(
                                        "enum `{}` lists `{}` twice",
                                        decl.name.name, member.name.name
                                    ),
                                    member.name.span,
                                    "listed again",
                                )
                                .with_secondary(first.name.span, "first listed here")
                                .with_help("remove the second one"),
                            );
                            continue;
                        }
                        members.push(member.name.name.clone());
                        member_spans.push(member.name.span);
                    }
                    if let Some(id) = self.model.add_enum(EnumInfo {
                        name: decl.name.name.clone(),
                        members,
                        span: decl.name.span,
                    }) {
                        self.record(decl.name.span, Symbol::Enum(id), true);
                        for (index, span) in member_spans.into_iter().enumerate() {
                            self.record(span, Symbol::Member(id, index), true);
                        }
                    }
                }
                Item::Table(decl) => {
                    let added = self.model.add_table(TableInfo {
                        name: decl.name.name.clone(),
                        description: decl.description.as_ref().map(|d| d.value.clone()),
                        columns: Vec::new(),
                        primary_key: None,
                        uniques: Vec::new(),
                        item: index,
                        span: decl.name.span,
                    });
                    if let Some(id) = added {
                        self.record(decl.name.span, Symbol::Table(id), true);
                    }
                }
                _ => {}
            }
        }
    }

    /// Resolves a written type to a [`Ty`]; unknown names are reported.
    pub fn resolve_type(&mut self, ty: &TypeExpr) -> Ty {
        match &ty.kind {
            TypeExprKind::Named(name) => self.resolve_type_name(name),
            TypeExprKind::List(element) => Ty::list(self.resolve_type(element)),
            TypeExprKind::Optional(inner) => self.resolve_type(inner).optional(),
            TypeExprKind::Record(fields) => {
                let mut resolved: Vec<(String, Ty)> = Vec::new();
                for (name, field_ty) in fields {
                    if let Some((first, _)) = fields.iter().find(|(n, _)| n.name == name.name)
                        && first.span != name.span
                    {
                        self.duplicate_field(name, first.span);
                        continue;
                    }
                    let field_ty = self.resolve_type(field_ty);
                    resolved.push((name.name.clone(), field_ty));
                }
                Ty::Record(resolved)
            }
        }
    }

    fn resolve_type_name(&mut self, name: &Ident) -> Ty {
        if let Some(scalar) = Scalar::from_name(&name.name) {
            return Ty::Scalar(scalar);
        }
        if let Some(id) = self.model.enum_named(&name.name) {
            self.used_enums.insert(id);
            self.record(name.span, Symbol::Enum(id), false);
            return Ty::Enum(id);
        }
        if let Some(id) = self.model.table(&name.name) {
            self.used_tables.insert(id);
            self.record(name.span, Symbol::Table(id), false);
            return Ty::Row(id);
        }
        if name.name.is_empty() {
            return Ty::Error;
        }
        let mut candidates: Vec<String> = SCALAR_TYPES
            .iter()
            .filter(|t| t.storable)
            .map(|t| t.name.to_string())
            .collect();
        candidates.extend(self.model.enums.iter().map(|e| e.name.clone()));
        candidates.extend(self.model.table_names().map(String::from));
        let alias = match name.name.to_lowercase().as_str() {
            "integer" | "i64" | "i32" | "number" | "long" => Some("int"),
            "float" | "double" | "decimal" | "f64" | "numeric" => Some("real"),
            "string" | "str" | "varchar" | "char" => Some("text"),
            "boolean" => Some("bool"),
            "timestamp" | "time" => Some("datetime"),
            _ => None,
        };
        match alias {
            Some(alias) => self.report(
                Diagnostic::new(Code::UnknownType, format!("unknown type `{}`", name.name), name.span, format!("did you mean `{alias}`?"))
                    .with_help(format!("the built-in types are int, real, text, bool, datetime and date; write `{alias}`")),
            ),
            None => self.unknown(Code::UnknownType, "type", name, candidates),
        }
        Ty::Error
    }

    fn resolve_columns(&mut self, id: TableId, table: &TableDecl) {
        let mut columns: Vec<ColumnInfo> = Vec::new();
        for column in &table.columns {
            if let Some(first) = columns.iter().find(|c| c.name == column.name.name) {
                let first_span = first.span;
                self.report(
                    Diagnostic::new(
                        Code::DuplicateColumn,
                        format!(
                            "table `{}` declares column `{}` twice",
                            table.name.name, column.name.name
                        ),
                        column.name.span,
                        "declared again here",
                    )
                    .with_secondary(first_span, "first declared here")
                    .with_help("remove or rename one of them"),
                );
                continue;
            }
            let ty = self.column_type(column);
            self.record(column.name.span, Symbol::Column(id, columns.len()), true);
            columns.push(ColumnInfo {
                name: column.name.name.clone(),
                ty,
                primary: column.primary.is_some(),
                auto: column.auto.is_some(),
                unique: column.unique.is_some(),
                foreign_key: None,
                default: None,
                description: column.description.as_ref().map(|d| d.value.clone()),
                span: column.name.span,
            });
        }
        self.model.tables[id.0].columns = columns;
    }

    fn column_type(&mut self, column: &Column) -> Ty {
        let ty = self.resolve_type(&column.ty);
        let storable = match ty.required() {
            Ty::Scalar(_) | Ty::Enum(_) | Ty::Error => ty.is_storable(),
            _ => false,
        };
        if storable {
            return ty;
        }
        let help = match ty.required() {
            Ty::Row(table) => format!(
                "store a reference instead: `{}: int -> {}.id`",
                column.name.name, self.model.tables[table.0].name
            ),
            _ => "columns hold one value: int, real, text, bool, datetime, date or an enum; put lists in a table of their own".to_string(),
        };
        self.report(
            Diagnostic::new(
                Code::InvalidColumnType,
                format!(
                    "column `{}` cannot have type `{}`",
                    column.name.name,
                    ty.display(&self.model)
                ),
                column.ty.span,
                "not a column type",
            )
            .with_help(help),
        );
        Ty::Error
    }

    fn resolve_keys(&mut self, id: TableId, table: &TableDecl) {
        let mut primary: Option<usize> = None;
        for (index, column) in table.columns.iter().enumerate() {
            let Some((resolved, info)) = self.model.column(id, &column.name.name) else {
                continue;
            };
            if self.model.tables[id.0].columns[resolved].span != column.name.span {
                continue;
            }
            let _ = index;
            let ty = info.ty.clone();
            if info.unique {
                self.model.tables[id.0].uniques.push(vec![resolved]);
            }
            if let Some(auto) = column.auto
                && ty.scalar() != Some(Scalar::Int)
                && !ty.is_error()
            {
                self.report(
                        Diagnostic::new(Code::InvalidAuto, "only an `int` primary key can be `auto`", auto, "not an int")
                            .with_help("make the key `int primary auto`, or give every row its key and drop `auto`"),
                    );
            }
            let Some(primary_span) = column.primary else {
                continue;
            };
            if ty.is_optional() {
                self.report(
                    Diagnostic::new(
                        Code::OptionalPrimaryKey,
                        format!("primary key `{}` cannot be optional", column.name.name),
                        column.ty.span,
                        "remove the `?`",
                    )
                    .with_help("every row needs its key"),
                );
            }
            match primary {
                Some(first) => self.report(
                    Diagnostic::new(
                        Code::MultiplePrimaryKeys,
                        format!("table `{}` has more than one primary key", table.name.name),
                        primary_span,
                        "second primary key",
                    )
                    .with_secondary(self.model.tables[id.0].columns[first].span, "first primary key")
                    .with_help("keep one `primary` column and make the other `unique`, or use `unique (a, b)` for a composite key"),
                ),
                None => primary = Some(resolved),
            }
        }
        if primary.is_none() {
            self.report(
                Diagnostic::new(
                    Code::MissingPrimaryKey,
                    format!("table `{}` has no primary key", table.name.name),
                    table.name.span,
                    "no `primary` column",
                )
                .with_help("add `id: int primary auto`, or mark the identifying column `primary`"),
            );
        }
        self.model.tables[id.0].primary_key = primary;
        for list in &table.uniques {
            let mut key = Vec::new();
            for column in &list.columns {
                match self.model.column(id, &column.name) {
                    Some((index, _)) => {
                        self.record(column.span, Symbol::Column(id, index), false);
                        key.push(index);
                    }
                    None => self.unknown_column(id, column),
                }
            }
            if key.len() == list.columns.len() {
                self.model.tables[id.0].uniques.push(key);
            }
        }
        for list in &table.indexes {
            for column in &list.columns {
                match self.model.column(id, &column.name) {
                    Some((index, _)) => {
                        self.record(column.span, Symbol::Column(id, index), false);
                    }
                    None => self.unknown_column(id, column),
                }
            }
        }
    }

    fn resolve_foreign_keys(&mut self, id: TableId, table: &TableDecl) {
        for column in &table.columns {
            let Some(fk) = &column.foreign_key else {
                continue;
            };
            let Some((index, _)) = self.model.column(id, &column.name.name) else {
                continue;
            };
            let Some(target) = self.model.table(&fk.table.name) else {
                let candidates = self.model.table_names().map(String::from).collect();
                self.unknown(Code::UnknownTable, "table", &fk.table, candidates);
                self.model.tables[id.0].columns[index].ty = Ty::Error;
                continue;
            };
            self.used_tables.insert(target);
            self.record(fk.table.span, Symbol::Table(target), false);
            let target_column = match &fk.column {
                Some(name) => match self.model.column(target, &name.name) {
                    Some((target_index, _)) => {
                        self.record(name.span, Symbol::Column(target, target_index), false);
                        target_index
                    }
                    None => {
                        self.unknown_column(target, name);
                        self.model.tables[id.0].columns[index].ty = Ty::Error;
                        continue;
                    }
                },
                // `-> users` means users' primary key (resolved later, so look at the syntax).
                None => match self.model.tables[target.0]
                    .columns
                    .iter()
                    .position(|c| c.primary)
                {
                    Some(pk) => pk,
                    None => continue,
                },
            };
            let target_info = &self.model.tables[target.0];
            let target_col = &target_info.columns[target_column];
            let is_key = target_col.primary || target_col.unique;
            let target_ty = target_col.ty.clone();
            let (target_table, target_name) = (target_info.name.clone(), target_col.name.clone());
            if !is_key {
                self.report(
                    Diagnostic::new(
                        Code::ForeignKeyToNonKey,
                        format!(
                            "`{}` references `{target_table}.{target_name}`, which is not a key",
                            column.name.name
                        ),
                        fk.span,
                        "not a primary or unique column",
                    )
                    .with_help(format!(
                        "reference `{target_table}`'s primary key, or mark `{target_name}` `unique`"
                    )),
                );
                self.model.tables[id.0].columns[index].ty = Ty::Error;
                continue;
            }
            let own = self.model.tables[id.0].columns[index].ty.clone();
            if own.is_error() || target_ty.is_error() {
                continue;
            }
            if own.required() != target_ty.required() {
                self.fk_type_mismatch(
                    column,
                    &own,
                    &target_ty,
                    &target_table,
                    &target_name,
                    fk.span,
                );
                self.model.tables[id.0].columns[index].ty = Ty::Error;
                continue;
            }
            let reference = Ty::Ref {
                table: target,
                column: target_column,
                key: Box::new(target_ty.required().clone()),
            };
            let column_info = &mut self.model.tables[id.0].columns[index];
            column_info.ty = if own.is_optional() {
                reference.optional()
            } else {
                reference
            };
            column_info.foreign_key = Some((target, target_column));
        }
    }

    fn fk_type_mismatch(
        &mut self,
        column: &Column,
        own: &Ty,
        target: &Ty,
        table: &str,
        name: &str,
        span: Span,
    ) {
        self.report(
            Diagnostic::new(
                Code::ForeignKeyTypeMismatch,
                format!(
                    "`{}` is `{}` but references `{table}.{name}`, which is `{}`",
                    column.name.name,
                    own.display(&self.model),
                    target.display(&self.model)
                ),
                column.ty.span,
                "type differs from the referenced key",
            )
            .with_secondary(span, "references this key")
            .with_help(format!(
                "declare `{}: {}`",
                column.name.name,
                target.required().display(&self.model)
            )),
        );
    }

    fn check_defaults_and_checks(&mut self, id: TableId, table: &TableDecl) {
        for column in &table.columns {
            let Some((index, info)) = self.model.column(id, &column.name.name) else {
                continue;
            };
            if info.span != column.name.span {
                continue;
            }
            let ty = info.ty.clone();
            if let Some(default) = &column.default {
                let found = self.expect_type(
                    default,
                    &ty,
                    &format!("the default of `{}`", column.name.name),
                );
                if !found.is_error() {
                    match self.eval_const(default, Some(&ty), None) {
                        Some(value) => self.model.tables[id.0].columns[index].default = Some(value),
                        None => self.report(
                            Diagnostic::new(
                                Code::NotConstant,
                                format!("the default of `{}` must be a constant", column.name.name),
                                default.span,
                                "not known before the spec runs",
                            )
                            .with_help("use a literal, an enum member, or now() ± a duration"),
                        ),
                    }
                }
            }
        }
        let checks = table
            .columns
            .iter()
            .filter_map(|c| c.check.as_ref())
            .chain(&table.checks);
        for check in checks {
            self.scope.push_row(Row::Table(id));
            self.in_check = true;
            let ty = self.infer(check, None);
            self.require_bool(&ty, check, "`check`");
            self.in_check = false;
            self.scope.pop();
        }
    }
}
