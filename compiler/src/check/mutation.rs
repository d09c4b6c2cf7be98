//! Mutations: `insert`, `update`, `delete` and `upsert`. Only tool bodies may write;
//! inserts must set every required column; updates may not rewrite primary keys;
//! upserts must name a unique key to match existing rows on.

use super::model::TableId;
use super::scope::Row;
use super::symbols::Symbol;
use super::types::Ty;
use super::{Checker, Mode};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{ColumnList, Expr, ExprKind, Ident, RecordLit};

impl Checker<'_> {
    fn allow_mutation(&mut self, expr: &Expr, keyword: &str) -> bool {
        if self.mode == Mode::Tool {
            return true;
        }
        let place = if self.mode == Mode::Verify {
            "a verifier"
        } else {
            "a default, check or seed value"
        };
        self.report(
            Diagnostic::new(
                Code::MutationOutsideTool,
                format!("`{keyword}` changes the database, which {place} may not do"),
                expr.span,
                "writes are only allowed in tool bodies",
            )
            .with_help("verifiers only read `initial` and `final`; move the change into a tool the solution calls"),
        );
        false
    }

    fn mutation_table(&mut self, table: &Ident) -> Option<TableId> {
        match self.model.table(&table.name) {
            Some(id) => {
                self.used_tables.insert(id);
                self.record(table.span, Symbol::Table(id), false);
                Some(id)
            }
            None => {
                let candidates = self.model.table_names().map(String::from).collect();
                self.unknown(Code::UnknownTable, "table", table, candidates);
                None
            }
        }
    }

    pub fn infer_insert(&mut self, expr: &Expr, table: &Ident, record: &RecordLit) -> Ty {
        let allowed = self.allow_mutation(expr, "insert");
        let Some(id) = self.mutation_table(table) else {
            // The values are still checked, and the names they use count as used.
            self.infer_record(record, None);
            return Ty::Error;
        };
        self.check_row_values(id, record, false);
        self.require_all_columns(id, record, table);
        if allowed { Ty::Row(id) } else { Ty::Error }
    }

    /// Checks `{ column: value, … }` against a table's columns; with `in_row`, values see
    /// the existing row's columns (`set { stock: stock - 1 }`).
    fn check_row_values(&mut self, table: TableId, record: &RecordLit, in_row: bool) {
        if in_row {
            self.scope.push_row(Row::Table(table));
        }
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
            match self.model.column(table, &field.name.name) {
                Some((index, column)) => {
                    let ty = column.ty.clone();
                    let what = format!("column `{}`", column.name);
                    self.record(field.name.span, Symbol::Column(table, index), false);
                    if in_row && self.model.tables[table.0].primary_key == Some(index) {
                        self.report(
                            Diagnostic::new(
                                Code::AssignToKey,
                                format!(
                                    "`{}` is the primary key and cannot be changed",
                                    field.name.name
                                ),
                                field.name.span,
                                "primary keys are fixed",
                            )
                            .with_help("insert a new row and delete the old one instead"),
                        );
                    }
                    // `set { name: name }` sets the column from the parameter of that name.
                    if let ExprKind::Name(value) = &field.value.unparen().kind
                        && in_row
                        && value.name == field.name.name
                        && self.scope.binding(&value.name).is_some()
                    {
                        let found = self.infer_name(value, Some(&ty), true);
                        self.require_assignable(&found, &ty, field.value.span, &what);
                        continue;
                    }
                    self.expect_type(&field.value, &ty, &what);
                }
                None => {
                    self.unknown_column(table, &field.name);
                    self.infer(&field.value, None);
                }
            }
        }
        if in_row {
            self.scope.pop();
        }
    }

    fn require_all_columns(&mut self, table: TableId, record: &RecordLit, at: &Ident) {
        let info = &self.model.tables[table.0];
        let names: Vec<&str> = info.columns.iter().map(|c| c.name.as_str()).collect();
        // A misspelt field already has a "did you mean" for the column it meant.
        let meant: Vec<&str> = record
            .fields
            .iter()
            .filter(|f| !names.contains(&f.name.name.as_str()))
            .filter_map(|f| {
                crate::diagnostic::suggest::did_you_mean(&f.name.name, names.iter().copied())
            })
            .collect();
        let missing: Vec<String> = info
            .columns
            .iter()
            .filter(|c| c.is_required() && !record.fields.iter().any(|f| f.name.name == c.name))
            .filter(|c| !meant.contains(&c.name.as_str()))
            .map(|c| format!("`{}`", c.name))
            .collect();
        if missing.is_empty() {
            return;
        }
        let table_name = info.name.clone();
        let plural = if missing.len() == 1 { "" } else { "s" };
        self.report(
            Diagnostic::new(
                Code::InsertMissingColumn,
                format!("this row for `{table_name}` leaves required column{plural} {} unset", missing.join(", ")),
                record.span,
                format!("missing {}", missing.join(", ")),
            )
            .with_secondary(at.span, format!("`{table_name}` requires a value for every non-optional column without a default"))
            .with_help(format!("add {} to the record, or give the column{plural} a default", missing.join(", "))),
        );
    }

    /// Checks the `where` of an `update` or `delete` with the table's columns in scope.
    fn check_mutation_filter(&mut self, table: TableId, filter: &Expr) {
        self.scope.push_row(Row::Table(table));
        let saved = std::mem::replace(&mut self.in_filter, true);
        let ty = self.infer(filter, None);
        self.require_bool(&ty, filter, "`where`");
        self.in_filter = saved;
        self.scope.pop();
    }

    /// The table and whether the target is a single row, for `update` and `delete`.
    fn mutation_target(
        &mut self,
        target: &Expr,
        filter: Option<&Expr>,
        keyword: &str,
    ) -> Option<(TableId, bool)> {
        if let ExprKind::Name(name) = &target.unparen().kind
            && self.scope.binding(&name.name).is_none()
            && let Some(table) = self.model.table(&name.name)
        {
            self.used_tables.insert(table);
            self.record(name.span, Symbol::Table(table), false);
            if let Some(filter) = filter {
                self.check_mutation_filter(table, filter);
            }
            return Some((table, false));
        }
        let ty = self.infer(target, None);
        if let Some(filter) = filter {
            let rows = match ty.required() {
                Ty::Row(table) => Some(*table),
                Ty::List(element) => match **element {
                    Ty::Row(table) => Some(table),
                    _ => None,
                },
                _ => None,
            };
            if let Some(table) = rows {
                self.check_mutation_filter(table, filter);
            }
        }
        let result = match &ty {
            Ty::Row(table) => Some((*table, true)),
            Ty::List(element) => match **element {
                Ty::Row(table) => Some((table, false)),
                _ => None,
            },
            Ty::Error => return None,
            Ty::Optional(inner) if matches!(**inner, Ty::Row(_)) => {
                self.require_assignable(
                    &ty,
                    inner,
                    target.span,
                    &format!("the target of `{keyword}`"),
                );
                return None;
            }
            _ => None,
        };
        match result {
            Some((table, single)) => {
                if let Some(filter) = filter
                    && single
                {
                    self.report(
                            Diagnostic::new(
                                Code::InvalidMutationTarget,
                                format!("`{keyword}` of one row cannot also have `where`"),
                                filter.span,
                                "the row is already chosen",
                            )
                            .with_help(format!("check the condition with `require` first, or `{keyword}` the table: `{keyword} {} where …`", self.model.tables[table.0].name)),
                        );
                }
                Some((table, single))
            }
            None => {
                self.report(
                    Diagnostic::new(
                        Code::InvalidMutationTarget,
                        format!(
                            "`{keyword}` needs a table, a row or a query of rows, found `{}`",
                            ty.display(&self.model)
                        ),
                        target.span,
                        "not something stored",
                    )
                    .with_help(format!("write `{keyword} table_name where condition`")),
                );
                None
            }
        }
    }

    pub fn infer_update(
        &mut self,
        expr: &Expr,
        target: &Expr,
        filter: Option<&Expr>,
        set: &RecordLit,
    ) -> Ty {
        let allowed = self.allow_mutation(expr, "update");
        let Some((table, single)) = self.mutation_target(target, filter, "update") else {
            return Ty::Error;
        };
        self.check_row_values(table, set, true);
        if !allowed {
            Ty::Error
        } else if single {
            Ty::Row(table)
        } else {
            Ty::INT
        }
    }

    pub fn infer_delete(&mut self, expr: &Expr, target: &Expr, filter: Option<&Expr>) -> Ty {
        let allowed = self.allow_mutation(expr, "delete");
        let target = self.mutation_target(target, filter, "delete");
        if allowed && target.is_some() {
            Ty::INT
        } else {
            Ty::Error
        }
    }

    pub fn infer_upsert(
        &mut self,
        expr: &Expr,
        table: &Ident,
        record: &RecordLit,
        on: Option<&ColumnList>,
        set: Option<&RecordLit>,
    ) -> Ty {
        let allowed = self.allow_mutation(expr, "upsert");
        let Some(id) = self.mutation_table(table) else {
            return Ty::Error;
        };
        self.check_row_values(id, record, false);
        self.require_all_columns(id, record, table);
        self.upsert_key(id, record, on, table);
        if let Some(set) = set {
            let saved = self.excluded.replace(id);
            self.check_row_values(id, set, true);
            self.excluded = saved;
        }
        if allowed { Ty::Row(id) } else { Ty::Error }
    }

    /// The unique key an upsert matches existing rows on: `on (…)`, or else the primary
    /// key or the one unique key the record covers.
    fn upsert_key(
        &mut self,
        table: TableId,
        record: &RecordLit,
        on: Option<&ColumnList>,
        at: &Ident,
    ) {
        let info = &self.model.tables[table.0];
        let mut keys: Vec<Vec<usize>> = info.uniques.clone();
        if let Some(pk) = info.primary_key {
            keys.push(vec![pk]);
        }
        let names = |key: &Vec<usize>| {
            key.iter()
                .map(|&c| info.columns[c].name.clone())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let described: Vec<String> = keys.iter().map(|k| format!("({})", names(k))).collect();
        let table_name = info.name.clone();
        match on {
            Some(list) => {
                let mut columns = Vec::new();
                for column in &list.columns {
                    match self.model.column(table, &column.name) {
                        Some((index, _)) => {
                            self.record(column.span, Symbol::Column(table, index), false);
                            columns.push(index);
                        }
                        None => {
                            self.unknown_column(table, column);
                            return;
                        }
                    }
                }
                columns.sort_unstable();
                let is_key = keys.iter().any(|key| {
                    let mut key = key.clone();
                    key.sort_unstable();
                    key == columns
                });
                if !is_key {
                    self.report(
                        Diagnostic::new(
                            Code::UpsertWithoutUniqueKey,
                            format!("`on` must name a unique key of `{table_name}`"),
                            list.span,
                            "not a unique key",
                        )
                        .with_help(format!(
                            "the unique keys of `{table_name}` are {}; or declare `unique (…)` on the table",
                            described.join(", ")
                        )),
                    );
                }
            }
            None => {
                let given = |c: &usize| {
                    record
                        .fields
                        .iter()
                        .any(|f| f.name.name == info.columns[*c].name)
                };
                if !keys.iter().any(|key| key.iter().all(given)) {
                    self.report(
                        Diagnostic::new(
                            Code::UpsertWithoutUniqueKey,
                            format!("this upsert gives no unique key of `{table_name}`, so no existing row can match"),
                            record.span,
                            "no unique key in this record",
                        )
                        .with_secondary(at.span, "upserted here")
                        .with_help(format!("add `on (columns)` naming one of {}", described.join(", "))),
                    );
                }
            }
        }
    }
}
