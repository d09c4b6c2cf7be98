//! The statements of writes. `insert` binds the record's values; `update`, `delete` and
//! `upsert` first read their target rows, computing the new values inside SQLite with the
//! row in scope (`set { stock: stock - 1 }`), then write each row by rowid.

use awm_runtime::session::quote;

use super::val::Val;
use super::{Compiled, Db, SqlCx};
use crate::check::model::TableId;
use crate::check::resolution::NameRes;
use crate::check::types::Ty;
use crate::lower::Lowerer;
use crate::lower::ir::Expr;
use crate::syntax::ast::{self, ExprKind};

impl Lowerer<'_> {
    /// `insert table { … }`.
    pub(in crate::lower) fn lower_insert(
        &mut self,
        table: &ast::Ident,
        record: &ast::RecordLit,
    ) -> Expr {
        let id = self.table_id(&table.name);
        let columns: Vec<String> = record.fields.iter().map(|f| f.name.name.clone()).collect();
        let values = record.fields.iter().map(|f| self.expr(&f.value)).collect();
        Expr::Insert {
            table: id,
            values,
            sql: insert_sql(self, id, &columns),
        }
    }

    /// `update target [where …] set { … }`.
    pub(in crate::lower) fn lower_update(
        &mut self,
        whole: &ast::Expr,
        target: &ast::Expr,
        filter: Option<&ast::Expr>,
        set: &ast::RecordLit,
    ) -> Expr {
        let Some((table, single)) = self.target_table(target) else {
            return self.cannot_run(super::Unsupported {
                span: target.span,
                reason: "this is not a table, a row or a list of rows".to_string(),
            });
        };
        let repeatable = {
            let cx = SqlCx::new(self);
            set.fields.iter().all(|f| cx.is_free(&f.value))
        };
        let mut cx = SqlCx::new(self);
        let compiled = cx.targets(target, table, single, filter, |cx| {
            set.fields
                .iter()
                .map(|f| cx.scalar(&f.value))
                .collect::<Compiled<Vec<_>>>()
        });
        let (select, params) = match compiled {
            Ok(select) => (select, std::mem::take(&mut cx.params)),
            Err(unsupported) => return self.cannot_run(unsupported),
        };
        let name = quote(&self.model.tables[table.0].name);
        let sets: Vec<String> = set
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| format!("{} = ?{}", quote(&f.name.name), i + 1))
            .collect();
        let returning = if single { " RETURNING *" } else { "" };
        let update = if sets.is_empty() {
            format!("SELECT * FROM main.{name} WHERE rowid = ?1")
        } else {
            format!(
                "UPDATE main.{name} SET {} WHERE rowid = ?{}{returning}",
                sets.join(", "),
                sets.len() + 1
            )
        };
        let _ = whole;
        Expr::Update {
            table,
            select,
            update,
            params,
            single,
            repeatable: repeatable && self.only_parameters(set),
        }
    }

    /// `delete target [where …]`.
    pub(in crate::lower) fn lower_delete(
        &mut self,
        target: &ast::Expr,
        filter: Option<&ast::Expr>,
    ) -> Expr {
        let Some((table, single)) = self.target_table(target) else {
            return self.cannot_run(super::Unsupported {
                span: target.span,
                reason: "this is not a table, a row or a list of rows".to_string(),
            });
        };
        let mut cx = SqlCx::new(self);
        let compiled = cx.targets(target, table, single, filter, |_| Ok(Vec::new()));
        let (select, params) = match compiled {
            Ok(select) => (select, std::mem::take(&mut cx.params)),
            Err(unsupported) => return self.cannot_run(unsupported),
        };
        let name = quote(&self.model.tables[table.0].name);
        Expr::Delete {
            select,
            delete: format!("DELETE FROM main.{name} WHERE rowid = ?1"),
            params,
            single,
        }
    }

    /// `upsert table { … } [on (…)] [set { … }]`; `key` is the columns rows match on.
    pub(in crate::lower) fn lower_upsert(
        &mut self,
        table: &ast::Ident,
        record: &ast::RecordLit,
        key: &[String],
        set: Option<&ast::RecordLit>,
    ) -> Expr {
        let id = self.table_id(&table.name);
        let fields: Vec<String> = record.fields.iter().map(|f| f.name.name.clone()).collect();
        let values: Vec<Expr> = record.fields.iter().map(|f| self.expr(&f.value)).collect();
        let repeatable = {
            let cx = SqlCx::new(self);
            record
                .fields
                .iter()
                .chain(set.iter().flat_map(|s| &s.fields))
                .all(|f| cx.is_free(&f.value))
        } && self.only_parameters(record)
            && set.is_none_or(|set| self.only_parameters(set));
        // The record's values are `?1 … ?n`; `excluded` reads them.
        let placeholder = |name: &str| {
            fields
                .iter()
                .position(|f| f == name)
                .map(|i| format!("?{}", i + 1))
        };
        let mut cx = SqlCx::new(self);
        cx.base = fields.len();
        let alias = cx.alias();
        let row = Val::Row {
            table: id,
            alias: alias.clone(),
            db: Db::Main,
        };
        let info = &cx.lowerer.model.tables[id.0];
        let excluded = Val::Record(
            info.columns
                .iter()
                .map(|c| {
                    let sql = placeholder(&c.name).unwrap_or_else(|| "NULL".to_string());
                    (c.name.clone(), Val::scalar(sql, c.ty.clone(), Db::Main))
                })
                .collect(),
        );
        let conditions: Vec<String> = key
            .iter()
            .map(|column| {
                let value = placeholder(column).unwrap_or_else(|| "NULL".to_string());
                format!("{alias}.{} IS {value}", quote(column))
            })
            .collect();
        let conditions = if conditions.is_empty() {
            "0".to_string()
        } else {
            conditions.join(" AND ")
        };
        let (updated, new_values): (Vec<String>, Compiled<Vec<String>>) = match set {
            Some(set) => {
                cx.scopes.push(row);
                cx.excluded = Some(excluded);
                let values = set
                    .fields
                    .iter()
                    .map(|f| cx.scalar(&f.value))
                    .collect::<Compiled<Vec<_>>>();
                cx.scopes.pop();
                (
                    set.fields.iter().map(|f| f.name.name.clone()).collect(),
                    values,
                )
            }
            None => {
                let others: Vec<String> = fields
                    .iter()
                    .filter(|f| !key.contains(f))
                    .cloned()
                    .collect();
                let values = others
                    .iter()
                    .map(|f| placeholder(f).unwrap_or_else(|| "NULL".to_string()))
                    .collect();
                (others, Ok(values))
            }
        };
        let new_values = match new_values {
            Ok(values) => values,
            Err(unsupported) => return self.cannot_run(unsupported),
        };
        let params = std::mem::take(&mut cx.params);
        let name = quote(&self.model.tables[id.0].name);
        let mut columns = vec![format!("{alias}.rowid")];
        columns.extend(new_values);
        let find = format!(
            "SELECT {} FROM main.{name} AS {alias} WHERE {conditions}",
            columns.join(", ")
        );
        let sets: Vec<String> = updated
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{} = ?{}", quote(c), i + 1))
            .collect();
        let update = if sets.is_empty() {
            format!("SELECT * FROM main.{name} WHERE rowid = ?1")
        } else {
            format!(
                "UPDATE main.{name} SET {} WHERE rowid = ?{} RETURNING *",
                sets.join(", "),
                sets.len() + 1
            )
        };
        Expr::Upsert {
            table: id,
            values,
            params,
            find,
            update,
            insert: insert_sql(self, id, &fields),
            repeatable,
        }
    }

    /// The table a write acts on, and whether it is one row.
    fn target_table(&self, target: &ast::Expr) -> Option<(TableId, bool)> {
        if let ExprKind::Name(name) = &target.unparen().kind
            && !matches!(
                self.resolutions.names.get(&name.span),
                Some(NameRes::Binding { .. })
            )
            && let Some(table) = self.model.table(&name.name)
        {
            return Some((table, false));
        }
        match self.resolutions.ty(target.span).required() {
            Ty::Row(table) => Some((*table, true)),
            Ty::List(element) => match element.required() {
                Ty::Row(table) => Some((*table, false)),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether the values of a record are built from constants, parameters and `me`
    /// alone (repeating the write then writes the same values).
    fn only_parameters(&mut self, record: &ast::RecordLit) -> bool {
        let params = self.params;
        record.fields.iter().all(|field| {
            let value = self.expr(&field.value);
            stable(&value, params)
        })
    }
}

/// Whether a lowered value depends on nothing but constants, parameters and `me`.
fn stable(value: &Expr, params: usize) -> bool {
    match value {
        Expr::Slot(slot) => *slot < params,
        Expr::Const(_) | Expr::Me => true,
        Expr::Unary(_, e) | Expr::Present(e) => stable(e, params),
        Expr::Field { base, .. } => stable(base, params),
        Expr::Binary { lhs, rhs, .. } => stable(lhs, params) && stable(rhs, params),
        Expr::Call { args, .. } | Expr::List(args) => args.iter().all(|a| stable(a, params)),
        Expr::Record(fields) => fields.iter().all(|(_, v)| stable(v, params)),
        Expr::Between { value, low, high } => {
            stable(value, params) && stable(low, params) && stable(high, params)
        }
        Expr::In { value, list, .. } => stable(value, params) && stable(list, params),
        Expr::Format(message) => message.parts.iter().all(|part| match part {
            crate::lower::ir::MessagePart::Text(_) => true,
            crate::lower::ir::MessagePart::Value(v) => stable(v, params),
        }),
        _ => false,
    }
}

/// `INSERT INTO main.table (columns) VALUES (?1, …) RETURNING *`.
fn insert_sql(lowerer: &Lowerer, table: TableId, columns: &[String]) -> String {
    let name = quote(&lowerer.model.tables[table.0].name);
    if columns.is_empty() {
        return format!("INSERT INTO main.{name} DEFAULT VALUES RETURNING *");
    }
    let names: Vec<String> = columns.iter().map(|c| quote(c)).collect();
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO main.{name} ({}) VALUES ({}) RETURNING *",
        names.join(", "),
        placeholders.join(", ")
    )
}

impl SqlCx<'_, '_> {
    /// `SELECT rowid, new values… FROM table WHERE …` for the rows a write acts on: the
    /// table's rows matching the filter, one row, or the rows of a list (by primary key).
    fn targets(
        &mut self,
        target: &ast::Expr,
        table: TableId,
        single: bool,
        filter: Option<&ast::Expr>,
        values: impl FnOnce(&mut Self) -> Compiled<Vec<String>>,
    ) -> Compiled<String> {
        let alias = self.alias();
        let info = &self.lowerer.model.tables[table.0];
        let pk = quote(&info.columns[info.primary_key.unwrap_or(0)].name);
        let name = quote(&info.name);
        let mut conditions = Vec::new();
        let whole_table = matches!(
            &target.unparen().kind,
            ExprKind::Name(name) if !matches!(
                self.lowerer.resolutions.names.get(&name.span),
                Some(NameRes::Binding { .. })
            ) && self.lowerer.model.table(&name.name).is_some()
        );
        if !whole_table {
            // The rows are found again by primary key, as they are now.
            let rows = self.lowerer.expr(target);
            if single {
                let key = Expr::Field {
                    base: Box::new(rows),
                    name: info.columns[info.primary_key.unwrap_or(0)].name.clone(),
                };
                conditions.push(format!("{alias}.{pk} = {}", self.bind(key)));
            } else {
                let keys = Expr::Project {
                    list: Box::new(rows),
                    name: info.columns[info.primary_key.unwrap_or(0)].name.clone(),
                };
                conditions.push(format!(
                    "{alias}.{pk} IN (SELECT value FROM json_each({}))",
                    self.bind(keys)
                ));
            }
        }
        self.scopes.push(Val::Row {
            table,
            alias: alias.clone(),
            db: Db::Main,
        });
        let compiled = (|| {
            if let Some(filter) = filter {
                conditions.push(self.scalar(filter)?);
            }
            values(self)
        })();
        self.scopes.pop();
        let mut columns = vec![format!("{alias}.rowid")];
        columns.extend(compiled?);
        let mut sql = format!("SELECT {} FROM main.{name} AS {alias}", columns.join(", "));
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        sql.push_str(&format!(" ORDER BY {alias}.rowid"));
        Ok(sql)
    }
}
