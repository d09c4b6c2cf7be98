//! Values inside a statement: a SQL expression (a scalar, or the JSON text of a record,
//! row or list), a record built field by field, a table row in scope, or the row a lookup
//! finds. Fields are read from whichever form a value has, so `o.status` is a column when
//! `o` is a row in scope, a sub-select when it is a lookup, and a JSON extraction when it
//! is nested JSON.

use awm_runtime::session::quote;

use super::{Compiled, Db, SqlCx};
use crate::check::model::TableId;
use crate::check::types::Ty;
use crate::span::Span;

/// How a SQL expression holds a non-scalar value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Json {
    /// A scalar, not JSON.
    No,
    /// JSON made by a JSON function in this same expression (SQLite knows it is JSON).
    Marked,
    /// JSON text that SQLite no longer knows to be JSON (it came out of a sub-select or a
    /// parameter): `json(…)` marks it again before it is nested.
    Text,
}

#[derive(Debug, Clone)]
pub enum Val {
    Sql {
        sql: String,
        ty: Ty,
        json: Json,
        /// The database a foreign key in it refers into.
        db: Db,
    },
    Record(Vec<(String, Val)>),
    /// A table row in scope as `alias` (unqualified columns when `alias` is empty: DDL).
    Row {
        table: TableId,
        alias: String,
        db: Db,
    },
    /// The row of `table` whose primary key is `key` (or null).
    Lookup {
        table: TableId,
        key: String,
        db: Db,
    },
    /// A foreign key followed: `column` of the row of `table` whose `by` column is `key`.
    /// Kept apart from other scalars so that a comparison with it can become a semi-join
    /// (`key IN (SELECT by FROM table WHERE column = …)`), which uses indexes.
    Nav {
        table: TableId,
        by: String,
        column: String,
        key: Box<Val>,
        ty: Ty,
        db: Db,
        /// Whether the key is never null: the referenced row then always exists.
        required: bool,
    },
}

impl Val {
    pub fn scalar(sql: String, ty: Ty, db: Db) -> Val {
        Val::Sql {
            sql,
            ty,
            json: Json::No,
            db,
        }
    }
}

impl SqlCx<'_, '_> {
    fn column(&self, alias: &str, name: &str) -> String {
        if alias.is_empty() {
            quote(name)
        } else {
            format!("{alias}.{}", quote(name))
        }
    }

    /// The database a read of `db` goes to.
    pub(super) fn db(&self, db: Db) -> Db {
        self.forced.unwrap_or(db)
    }

    /// `"main"."table"`.
    pub(super) fn qualified(&self, table: TableId, db: Db) -> String {
        format!("{}.{}", self.db(db).schema(), quote(self.table_name(table)))
    }

    /// A field of a value.
    pub(super) fn field(&mut self, value: &Val, name: &str, span: Span) -> Compiled<Val> {
        match value {
            Val::Nav { .. } => self.navigate(value, name, span),
            Val::Record(fields) => match fields.iter().find(|(field, _)| field == name) {
                Some((_, value)) => Ok(value.clone()),
                None => Self::unsupported(span, format!("the record has no field `{name}`")),
            },
            Val::Row { table, alias, db } => {
                let Some((_, column)) = self.lowerer.model.column(*table, name) else {
                    return Self::unsupported(span, format!("no column `{name}`"));
                };
                Ok(Val::scalar(
                    self.column(alias, name),
                    column.ty.clone(),
                    *db,
                ))
            }
            Val::Lookup { table, key, db } => {
                let Some((_, column)) = self.lowerer.model.column(*table, name) else {
                    return Self::unsupported(span, format!("no column `{name}`"));
                };
                let ty = column.ty.clone().optional();
                let info = &self.lowerer.model.tables[table.0];
                let pk = quote(&info.columns[info.primary_key.unwrap_or(0)].name);
                let sql = format!(
                    "(SELECT {} FROM {} WHERE {pk} = {key})",
                    quote(name),
                    self.qualified(*table, *db)
                );
                Ok(Val::scalar(sql, ty, *db))
            }
            Val::Sql { sql, ty, json, db } => {
                let optional = ty.is_optional();
                match ty.required() {
                    Ty::Ref { .. } if *json == Json::No => {
                        let _ = sql;
                        self.navigate(value, name, span)
                    }
                    record if *json != Json::No => {
                        let Some(field_ty) = field_type(self, record, name) else {
                            return Self::unsupported(span, format!("no field `{name}`"));
                        };
                        let field_ty = if optional {
                            field_ty.optional()
                        } else {
                            field_ty
                        };
                        let path = format!("'$.{}'", quote(name));
                        Ok(if is_scalar(&field_ty) {
                            Val::scalar(format!("({sql} ->> {path})"), field_ty, *db)
                        } else {
                            Val::Sql {
                                sql: format!("({sql} -> {path})"),
                                ty: field_ty,
                                json: Json::Marked,
                                db: *db,
                            }
                        })
                    }
                    _ => Self::unsupported(span, format!("`{name}` is not a field here")),
                }
            }
        }
    }

    /// A foreign key followed to a column of the row it refers to.
    fn navigate(&mut self, key: &Val, name: &str, span: Span) -> Compiled<Val> {
        let (key_ty, db) = match key {
            Val::Sql { ty, db, .. } | Val::Nav { ty, db, .. } => (ty.clone(), *db),
            _ => return Self::unsupported(span, format!("`{name}` is not a field here")),
        };
        let Ty::Ref { table, column, .. } = key_ty.required() else {
            return Self::unsupported(span, format!("`{name}` is not a field here"));
        };
        let (table, by) = (*table, *column);
        let Some((_, target)) = self.lowerer.model.column(table, name) else {
            return Self::unsupported(span, format!("no column `{name}`"));
        };
        let required = !key_ty.is_optional()
            && match key {
                Val::Nav { required, .. } => *required,
                _ => true,
            };
        let ty = if key_ty.is_optional() {
            target.ty.clone().optional()
        } else {
            target.ty.clone()
        };
        Ok(Val::Nav {
            table,
            by: self.lowerer.model.tables[table.0].columns[by].name.clone(),
            column: name.to_string(),
            key: Box::new(key.clone()),
            ty,
            db,
            required,
        })
    }

    /// `value test` (`IS ?1`, `IN (…)`): when the value is a foreign key followed, the test
    /// moves to the referenced table (`key IN (SELECT by FROM table WHERE column test)`),
    /// where an index can answer it, instead of a lookup per row.
    pub(super) fn semi_join(&self, value: &Val, test: &str, span: Span) -> Compiled<String> {
        match value {
            Val::Nav {
                table,
                by,
                column,
                key,
                db,
                required: true,
                ..
            } => {
                let inner = format!(
                    "IN (SELECT {} FROM {} WHERE {} {test})",
                    quote(by),
                    self.qualified(*table, *db),
                    quote(column)
                );
                self.semi_join(key, &inner, span)
            }
            other => Ok(format!("({} {test})", self.scalar_sql(other, span)?)),
        }
    }

    /// The value as a SQL expression that SQLite knows to be JSON when it is not a scalar
    /// (what `json_object` and `json_group_array` nest as JSON, not as text).
    pub(super) fn nested(&self, value: &Val) -> String {
        match value {
            Val::Sql { sql, json, .. } => match json {
                Json::No | Json::Marked => sql.clone(),
                Json::Text => format!("json({sql})"),
            },
            Val::Record(fields) => {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|(name, value)| format!("'{name}', {}", self.nested(value)))
                    .collect();
                format!("json_object({})", fields.join(", "))
            }
            Val::Row { table, alias, .. } => self.row_object(*table, alias),
            Val::Lookup { .. } => format!("json({})", self.flat(value)),
            Val::Nav { .. } => self.flat(value),
        }
    }

    /// `json_object(…)` of every column of a row.
    fn row_object(&self, table: TableId, alias: &str) -> String {
        let fields: Vec<String> = self.lowerer.model.tables[table.0]
            .columns
            .iter()
            .map(|c| format!("'{}', {}", c.name, self.column(alias, &c.name)))
            .collect();
        format!("json_object({})", fields.join(", "))
    }

    /// The value as one SQL expression: a scalar itself, anything else its JSON text.
    pub(super) fn flat(&self, value: &Val) -> String {
        match value {
            Val::Sql { sql, .. } => sql.clone(),
            Val::Lookup { table, key, db } => {
                // Columns unqualified: inside the sub-select they are the looked-up row's.
                let info = &self.lowerer.model.tables[table.0];
                let pk = quote(&info.columns[info.primary_key.unwrap_or(0)].name);
                format!(
                    "(SELECT {} FROM {} WHERE {pk} = {key})",
                    self.row_object(*table, ""),
                    self.qualified(*table, *db)
                )
            }
            Val::Nav {
                table,
                by,
                column,
                key,
                db,
                ..
            } => format!(
                "(SELECT {} FROM {} WHERE {} = {})",
                quote(column),
                self.qualified(*table, *db),
                quote(by),
                self.flat(key)
            ),
            other => self.nested(other),
        }
    }

    /// A scalar's SQL; records, rows and lists have none.
    pub(super) fn scalar_sql(&self, value: &Val, span: Span) -> Compiled<String> {
        match value {
            Val::Sql {
                sql,
                json: Json::No,
                ..
            } => Ok(sql.clone()),
            Val::Nav { .. } => Ok(self.flat(value)),
            _ => Self::unsupported(span, "a record, row or list where a single value is needed"),
        }
    }
}

/// The type of a field of a record or row type.
fn field_type(cx: &SqlCx, ty: &Ty, name: &str) -> Option<Ty> {
    match ty {
        Ty::Record(fields) => fields
            .iter()
            .find(|(f, _)| f == name)
            .map(|(_, t)| t.clone()),
        Ty::Row(table) => cx
            .lowerer
            .model
            .column(*table, name)
            .map(|(_, c)| c.ty.clone()),
        _ => None,
    }
}

/// Whether values of a type are scalars in SQL.
pub fn is_scalar(ty: &Ty) -> bool {
    !matches!(ty.required(), Ty::Row(_) | Ty::Record(_) | Ty::List(_))
}
