//! Tables to SQLite DDL (STRICT tables with their keys, foreign keys, defaults, checks and
//! indexes) and seed rows to parameterised inserts.

use awm_runtime::Value;
use awm_runtime::image::SeedInsert;
use awm_runtime::schema::{ColumnKind, ColumnSchema, EnvSchema, TableSchema};
use awm_runtime::session::quote;

use super::Lowerer;
use crate::check::model::{ColumnInfo, TableId};
use crate::check::types::Ty;
use crate::check::value::Value as ConstValue;
use crate::syntax::ast::Item;

impl Lowerer<'_> {
    pub(super) fn schema(&mut self) -> EnvSchema {
        let tables = (0..self.model.tables.len())
            .map(|index| self.table(TableId(index)))
            .collect();
        EnvSchema { tables }
    }

    fn table(&mut self, id: TableId) -> TableSchema {
        let info = &self.model.tables[id.0];
        let mut lines: Vec<String> = info
            .columns
            .iter()
            .map(|column| self.column_ddl(column))
            .collect();
        for key in &info.uniques {
            if key.len() > 1 {
                let names: Vec<String> =
                    key.iter().map(|&c| quote(&info.columns[c].name)).collect();
                lines.push(format!("UNIQUE ({})", names.join(", ")));
            }
        }
        // Checks that call a built-in only sessions have (`awm_…`) stay out of exported
        // files, which any SQLite must be able to write.
        let mut native_checks = Vec::new();
        let mut indexes = Vec::new();
        let mut indexed_first: Vec<String> = Vec::new();
        if let Some(Item::Table(decl)) = self.spec.items.get(info.item) {
            let checks = decl
                .columns
                .iter()
                .filter_map(|c| c.check.as_ref())
                .chain(&decl.checks);
            for check in checks {
                if let Some(sql) = self.ddl_check(id, check) {
                    native_checks.push(!sql.contains("awm_"));
                    lines.push(format!("CHECK ({sql})"));
                }
            }
            for list in &decl.indexes {
                indexed_first.extend(list.columns.first().map(|c| c.name.clone()));
                let names: Vec<String> = list.columns.iter().map(|c| quote(&c.name)).collect();
                let index_name = format!(
                    "{}__{}",
                    info.name,
                    list.columns
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join("_")
                );
                indexes.push(format!(
                    "CREATE INDEX {} ON {} ({})",
                    quote(&index_name),
                    quote(&info.name),
                    names.join(", ")
                ));
            }
        }
        // Foreign keys are looked up constantly (`where user_id == me.id`): index each one
        // that no declared index or key already starts with.
        for column in info
            .columns
            .iter()
            .filter(|c| c.foreign_key.is_some() && !c.primary && !c.unique)
        {
            let covered = indexed_first.contains(&column.name)
                || info
                    .uniques
                    .iter()
                    .any(|key| info.columns[key[0]].name == column.name);
            if !covered {
                let index_name = format!("{}__{}", info.name, column.name);
                indexes.push(format!(
                    "CREATE INDEX {} ON {} ({})",
                    quote(&index_name),
                    quote(&info.name),
                    quote(&column.name)
                ));
            }
        }
        let create = |lines: &[String]| {
            format!(
                "CREATE TABLE {} (\n  {}\n) STRICT",
                quote(&info.name),
                lines.join(",\n  ")
            )
        };
        let checks_from = lines.len() - native_checks.len();
        let portable: Vec<String> = lines
            .iter()
            .enumerate()
            .filter(|(index, _)| *index < checks_from || native_checks[*index - checks_from])
            .map(|(_, line)| line.clone())
            .collect();
        let mut ddl = vec![create(&lines)];
        ddl.extend(indexes.iter().cloned());
        let mut export_ddl = vec![create(&portable)];
        export_ddl.extend(indexes);
        TableSchema {
            name: info.name.clone(),
            columns: info
                .columns
                .iter()
                .map(|c| ColumnSchema {
                    name: c.name.clone(),
                    kind: self.kind(&c.ty),
                    optional: c.ty.is_optional(),
                })
                .collect(),
            primary_key: info.primary_key.unwrap_or(0),
            ddl,
            export_ddl,
        }
    }

    fn column_ddl(&self, column: &ColumnInfo) -> String {
        let kind = self.kind(&column.ty);
        let storage = match kind {
            ColumnKind::Int | ColumnKind::Bool => "INTEGER",
            ColumnKind::Real => "REAL",
            _ => "TEXT",
        };
        let mut line = format!("{} {storage}", quote(&column.name));
        if column.primary {
            line.push_str(" PRIMARY KEY");
        } else if !column.ty.is_optional() {
            line.push_str(" NOT NULL");
        }
        if column.unique && !column.primary {
            line.push_str(" UNIQUE");
        }
        if let Some(default) = &column.default {
            line.push_str(&format!(" DEFAULT {}", literal(&runtime_value(default))));
        }
        match &kind {
            ColumnKind::Enum(members) => {
                let members: Vec<String> = members
                    .iter()
                    .map(|m| literal(&Value::Text(m.clone())))
                    .collect();
                line.push_str(&format!(
                    " CHECK ({} IN ({}))",
                    quote(&column.name),
                    members.join(", ")
                ));
            }
            ColumnKind::Bool => {
                line.push_str(&format!(" CHECK ({} IN (0, 1))", quote(&column.name)))
            }
            _ => {}
        }
        if let Some((table, target)) = column.foreign_key {
            let target_info = &self.model.tables[table.0];
            line.push_str(&format!(
                " REFERENCES {} ({})",
                quote(&target_info.name),
                quote(&target_info.columns[target].name)
            ));
        }
        line
    }

    /// The stored kind of a column type.
    pub(super) fn kind(&self, ty: &Ty) -> ColumnKind {
        use awm_stdlib::Scalar;
        match ty.required().unref() {
            Ty::Scalar(Scalar::Int) | Ty::Scalar(Scalar::Duration) => ColumnKind::Int,
            Ty::Scalar(Scalar::Real) => ColumnKind::Real,
            Ty::Scalar(Scalar::Bool) => ColumnKind::Bool,
            Ty::Scalar(Scalar::DateTime) => ColumnKind::DateTime,
            Ty::Scalar(Scalar::Date) => ColumnKind::Date,
            Ty::Enum(id) => ColumnKind::Enum(self.model.enums[id.0].members.clone()),
            _ => ColumnKind::Text,
        }
    }

    pub(super) fn seed(&self) -> Vec<SeedInsert> {
        let mut inserts = Vec::new();
        for (index, rows) in self.model.seed.iter().enumerate() {
            let info = &self.model.tables[index];
            let names: Vec<String> = info.columns.iter().map(|c| quote(&c.name)).collect();
            let placeholders = vec!["?"; names.len()].join(", ");
            let sql = format!(
                "INSERT INTO {} ({}) VALUES ({placeholders})",
                quote(&info.name),
                names.join(", ")
            );
            for row in rows {
                inserts.push(SeedInsert {
                    sql: sql.clone(),
                    values: row.values.iter().map(runtime_value).collect(),
                });
            }
        }
        inserts
    }
}

/// A compile-time constant as a runtime value.
pub fn runtime_value(value: &ConstValue) -> Value {
    match value {
        ConstValue::Null => Value::Null,
        ConstValue::Int(i) | ConstValue::Duration(i) => Value::Int(*i),
        ConstValue::Real(r) => Value::Real(*r),
        ConstValue::Bool(b) => Value::Bool(*b),
        ConstValue::Text(s)
        | ConstValue::DateTime(s)
        | ConstValue::Date(s)
        | ConstValue::Enum(s) => Value::Text(s.clone()),
        ConstValue::List(items) => Value::List(items.iter().map(runtime_value).collect()),
        ConstValue::Record(fields) => Value::Record(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), runtime_value(v)))
                .collect(),
        ),
    }
}

/// A constant of the spec as an SQL literal (only in DDL, which cannot bind parameters;
/// agent values are always bound). Text is quoted with `'` doubled.
pub fn literal(value: &Value) -> String {
    match value {
        Value::Null => "NULL".to_string(),
        Value::Int(i) => i.to_string(),
        Value::Real(r) if r.is_finite() => format!("{r:?}"),
        Value::Real(_) => "NULL".to_string(),
        Value::Bool(b) => i64::from(*b).to_string(),
        Value::Text(s) => format!("'{}'", s.replace('\'', "''")),
        Value::List(_) | Value::Record(_) => {
            format!("'{}'", value.to_json().to_string().replace('\'', "''"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_cannot_escape_their_quotes() {
        assert_eq!(
            literal(&Value::Text("it's'); DROP TABLE x; --".into())),
            "'it''s''); DROP TABLE x; --'"
        );
        assert_eq!(literal(&Value::Real(1.0)), "1.0");
        assert_eq!(literal(&Value::Bool(true)), "1");
    }
}
