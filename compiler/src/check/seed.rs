//! The seed pass: every seed row is typed, evaluated, completed with defaults and auto
//! keys, and checked against the primary key, unique keys, check constraints and foreign
//! keys, exactly as SQLite would check the inserts.

use std::collections::HashMap;

use super::model::{RowOrigin, SeedRow, TableId};
use super::symbols::Symbol;
use super::types::{self, Mismatch, Ty};
use super::value::Value;
use super::{Checker, Mode};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::{Expr, Item, RecordLit, SeedDecl};

impl Checker<'_> {
    pub(super) fn check_seeds(&mut self) {
        self.mode = Mode::Schema;
        let seeds: Vec<&SeedDecl> = self
            .spec
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Seed(seed) => Some(seed),
                _ => None,
            })
            .collect();
        for seed in seeds {
            let Some(table) = self.model.table(&seed.table.name) else {
                let candidates = self.model.table_names().map(String::from).collect();
                self.unknown(Code::UnknownTable, "table", &seed.table, candidates);
                continue;
            };
            self.record(seed.table.span, Symbol::Table(table), false);
            let columns = self.model.tables[table.0].columns.clone();
            if let Some(path) = &seed.file {
                self.seed_from_file(table, &columns, path);
            }
            for row in &seed.rows {
                let (values, complete) = self.seed_row(table, &columns, row);
                let (values, complete) =
                    self.complete_row(table, &columns, values, complete, row.span, None);
                self.push_seed_row(
                    table,
                    SeedRow {
                        values,
                        span: row.span,
                        complete,
                        origin: None,
                    },
                );
            }
        }
        for index in 0..self.model.tables.len() {
            self.check_keys(TableId(index));
            self.check_row_checks(TableId(index));
        }
        for index in 0..self.model.tables.len() {
            self.check_references(TableId(index));
        }
        self.finish_seed_files();
    }

    /// Adds a row to its table's seed, keeping track of the largest `auto` keys.
    pub(super) fn push_seed_row(&mut self, table: TableId, row: SeedRow) {
        for (index, column) in self.model.tables[table.0].columns.iter().enumerate() {
            if column.auto
                && let Some(Value::Int(key)) = row.values.get(index)
            {
                let largest = self.seeding.auto_keys.entry((table.0, index)).or_insert(0);
                *largest = (*largest).max(*key);
            }
        }
        self.model.seed[table.0].push(row);
    }

    /// One row's values in column order (`None` where a value is missing or wrong), and
    /// whether every value given was well typed.
    fn seed_row(
        &mut self,
        table: TableId,
        columns: &[super::model::ColumnInfo],
        row: &RecordLit,
    ) -> (Vec<Option<Value>>, bool) {
        let mut values: Vec<Option<Value>> = vec![None; columns.len()];
        let mut complete = true;
        for field in &row.fields {
            let Some((index, column)) = self.model.column(table, &field.name.name) else {
                self.unknown_column(table, &field.name);
                complete = false;
                continue;
            };
            if values[index].is_some() {
                let first = row
                    .fields
                    .iter()
                    .find(|f| f.name.name == field.name.name)
                    .map_or(field.name.span, |f| f.name.span);
                self.duplicate_field(&field.name, first);
                continue;
            }
            let ty = column.ty.clone();
            let column_name = column.name.clone();
            self.record(field.name.span, Symbol::Column(table, index), false);
            match self.seed_value(&field.value, &ty, &column_name, table) {
                Some(value) => values[index] = Some(value),
                None => complete = false,
            }
        }
        (values, complete)
    }

    /// Fills in defaults and `auto` keys and reports required columns without a value:
    /// the row's values in column order (null where none), and whether it is complete and
    /// well typed. Incomplete rows are not checked against constraints (they already have
    /// a diagnostic), but their keys still exist, so rows referring to them do not get a
    /// second, misleading diagnostic. Rows of data files go through here too.
    pub(super) fn complete_row(
        &mut self,
        table: TableId,
        columns: &[super::model::ColumnInfo],
        mut values: Vec<Option<Value>>,
        complete: bool,
        span: Span,
        origin: Option<RowOrigin>,
    ) -> (Vec<Value>, bool) {
        let table_name = self.model.tables[table.0].name.clone();
        let mut missing = Vec::new();
        for (index, column) in columns.iter().enumerate() {
            if values[index].is_none() {
                if let Some(default) = &column.default {
                    values[index] = Some(default.clone());
                } else if column.auto {
                    values[index] = Some(self.next_auto_key(table, index));
                } else if !column.ty.is_optional() {
                    missing.push(column.name.clone());
                }
            }
        }
        if !missing.is_empty() && complete {
            let list: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
            let plural = if missing.len() == 1 { "" } else { "s" };
            self.report_row(
                origin,
                Diagnostic::new(
                    Code::SeedMissingColumn,
                    format!("seed row for `{table_name}` has no value for required column{plural} {}", list.join(", ")),
                    span,
                    format!("missing {}", list.join(", ")),
                )
                .with_help(format!("add {} to the row, or give the column{plural} a default or make {} optional with `?`", list.join(", "), if missing.len() == 1 { "it" } else { "them" })),
            );
        }
        let complete = complete && missing.is_empty();
        (
            values
                .into_iter()
                .map(|v| v.unwrap_or(Value::Null))
                .collect(),
            complete,
        )
    }

    fn seed_value(&mut self, expr: &Expr, ty: &Ty, column: &str, table: TableId) -> Option<Value> {
        let found = self.infer(expr, Some(ty));
        if found.is_error() {
            return None;
        }
        if let Err(mismatch) = types::assignable(&found, ty) {
            let diagnostic = if mismatch == Mismatch::Optional && matches!(found, Ty::Null) {
                Diagnostic::new(
                    Code::SeedMissingColumn,
                    format!(
                        "column `{column}` of `{}` is required, but this row sets it to null",
                        self.model.tables[table.0].name
                    ),
                    expr.span,
                    "null in a required column",
                )
                .with_help(format!(
                    "give `{column}` a value, or declare it optional with `?`"
                ))
            } else {
                self.found_quoted =
                    matches!(expr.unparen().kind, crate::syntax::ast::ExprKind::Str(_));
                let diagnostic = self.mismatch(
                    mismatch,
                    &found,
                    ty,
                    expr.span,
                    &format!("column `{column}`"),
                );
                self.found_quoted = false;
                diagnostic
            };
            self.report(diagnostic);
            return None;
        }
        match self.eval_const(expr, Some(ty), None) {
            Some(value) => Some(value),
            None => {
                self.report(
                    Diagnostic::new(
                        Code::NotConstant,
                        format!("seed value for `{column}` must be a constant"),
                        expr.span,
                        "not a constant",
                    )
                    .with_help("seed rows hold literals, enum members and now() ± a duration"),
                );
                None
            }
        }
    }

    /// The key SQLite would give the next row of an `auto` key: one more than the largest
    /// so far (kept up to date by `push_seed_row`, so a long file stays linear).
    fn next_auto_key(&self, table: TableId, column: usize) -> Value {
        let largest = self
            .seeding
            .auto_keys
            .get(&(table.0, column))
            .copied()
            .unwrap_or(0);
        Value::Int(largest.saturating_add(1))
    }

    fn check_keys(&mut self, table: TableId) {
        let info = &self.model.tables[table.0];
        let mut keys: Vec<(Vec<usize>, bool)> =
            info.uniques.iter().map(|k| (k.clone(), false)).collect();
        if let Some(pk) = info.primary_key {
            keys.insert(0, (vec![pk], true));
        }
        let mut found = Vec::new();
        let rows = &self.model.seed[table.0];
        for (key, primary) in keys {
            let mut seen: HashMap<RowKey, usize, FastHash> =
                HashMap::with_capacity_and_hasher(rows.len(), FastHash::default());
            for (index, row) in rows.iter().enumerate().filter(|(_, row)| row.complete) {
                // As in SQL, rows with a null in a unique key never conflict.
                if key.iter().any(|&c| row.values[c].is_null()) {
                    continue;
                }
                let hash = match key.as_slice() {
                    [column] => RowKey::One(KeyPart::of(&row.values[*column])),
                    [first, second] => RowKey::Two(
                        KeyPart::of(&row.values[*first]),
                        KeyPart::of(&row.values[*second]),
                    ),
                    columns => RowKey::Many(
                        columns
                            .iter()
                            .map(|&c| KeyPart::of(&row.values[c]))
                            .collect(),
                    ),
                };
                if let Some(&first) = seen.get(&hash) {
                    let names: Vec<&str> =
                        key.iter().map(|&c| info.columns[c].name.as_str()).collect();
                    let shown: Vec<String> =
                        key.iter().map(|&c| row.values[c].to_string()).collect();
                    found.push((
                        primary,
                        (rows[first].span, rows[first].origin),
                        (row.span, row.origin),
                        names.join(", "),
                        shown.join(", "),
                    ));
                } else {
                    seen.insert(hash, index);
                }
            }
        }
        let table_name = info.name.clone();
        for (primary, (first, first_origin), (span, origin), names, shown) in found {
            let (code, what) = if primary {
                (Code::SeedDuplicateKey, "primary key")
            } else {
                (Code::SeedUniqueViolation, "unique key")
            };
            let mut message =
                format!("two seed rows of `{table_name}` have {what} ({names}) = ({shown})");
            let mut diagnostic = Diagnostic::new(code, "", span, "this row repeats the key");
            if let Some(first_origin) = first_origin {
                message += &format!("; the first is {}", self.row_place(first_origin));
            }
            if first != span {
                diagnostic = diagnostic.with_secondary(first, "the first row with this key");
            }
            diagnostic.message = message;
            self.report_row(
                origin,
                diagnostic.with_help(format!(
                    "give each row of `{table_name}` a different ({names})"
                )),
            );
        }
    }

    fn check_row_checks(&mut self, table: TableId) {
        let info = &self.model.tables[table.0];
        let Some(Item::Table(decl)) = self.spec.items.get(info.item) else {
            return;
        };
        let checks: Vec<&Expr> = decl
            .columns
            .iter()
            .filter_map(|c| c.check.as_ref())
            .chain(&decl.checks)
            .collect();
        if checks.is_empty() {
            return;
        }
        let names: Vec<String> = info.columns.iter().map(|c| c.name.clone()).collect();
        let table_name = info.name.clone();
        // Evaluating a check reads only the model's enums and clock, not the seed.
        let rows = std::mem::take(&mut self.model.seed[table.0]);
        // One buffer for every row: `clone_from` reuses the text values' allocations.
        let mut bound: Vec<(String, Value)> =
            names.into_iter().map(|name| (name, Value::Null)).collect();
        for row in rows.iter().filter(|row| row.complete) {
            for ((_, slot), value) in bound.iter_mut().zip(&row.values) {
                slot.clone_from(value);
            }
            for check in &checks {
                // A check that is null (a null column) passes, as in SQL.
                if let Some(Value::Bool(false)) = self.eval_const(check, None, Some(&bound)) {
                    let values = describe_row_values(check, &bound);
                    self.report_row(
                        row.origin,
                        Diagnostic::new(
                            Code::SeedCheckViolation,
                            format!(
                                "seed row for `{table_name}` breaks a check constraint{values}"
                            ),
                            row.span,
                            "this row fails the check",
                        )
                        .with_secondary(check.span, "the check")
                        .with_help("change the row's values so the check holds"),
                    );
                }
            }
        }
        self.model.seed[table.0] = rows;
    }

    fn check_references(&mut self, table: TableId) {
        let info = &self.model.tables[table.0];
        let mut problems = Vec::new();
        for (index, column) in info.columns.iter().enumerate() {
            let Some((target, target_column)) = column.foreign_key else {
                continue;
            };
            // A table that lost rows to malformed lines of a data file would make every
            // reference to them look dangling: those are echoes, not findings.
            if self.seeding.lost_rows.contains(&target.0) {
                continue;
            }
            let existing = &self.model.seed[target.0];
            let mut keys: std::collections::HashSet<KeyPart, FastHash> =
                std::collections::HashSet::with_capacity_and_hasher(
                    existing.len(),
                    FastHash::default(),
                );
            keys.extend(
                existing
                    .iter()
                    .map(|r| KeyPart::of(&r.values[target_column])),
            );
            let mut sample: Option<Vec<String>> = None;
            for row in &self.model.seed[table.0] {
                let value = &row.values[index];
                if value.is_null() || keys.contains(&KeyPart::of(value)) {
                    continue;
                }
                let target_info = &self.model.tables[target.0];
                let sample = sample.get_or_insert_with(|| {
                    let mut shown: Vec<String> = Vec::new();
                    for row in existing {
                        if shown.len() == 8 {
                            break;
                        }
                        let key = row.values[target_column].key();
                        if !shown.contains(&key) {
                            shown.push(key);
                        }
                    }
                    shown
                });
                problems.push((
                    (row.span, row.origin),
                    column.name.clone(),
                    value.to_string(),
                    target_info.name.clone(),
                    target_info.columns[target_column].name.clone(),
                    existing.len(),
                    sample.clone(),
                ));
            }
        }
        for ((span, origin), column, value, target, target_column, count, sample) in problems {
            let help = match count {
                0 => format!(
                    "`{target}` has no seed rows: add the referenced row to `seed {target}`"
                ),
                1..=8 => format!(
                    "the seeded `{target}.{target_column}` values are {}; add the missing row or use one of them",
                    sample.join(", ")
                ),
                _ => format!(
                    "add a `{target}` row with {target_column} {value}, or reference an existing one"
                ),
            };
            self.report_row(
                origin,
                Diagnostic::new(
                    Code::SeedDanglingReference,
                    format!("seed row sets `{column}` = {value}, but `{target}` has no row with {target_column} {value}"),
                    span,
                    format!("`{column}` references a missing `{target}` row"),
                )
                .with_help(help),
            );
        }
    }
}

/// The hasher of key sets: seed values are the spec's own, not an attacker's, so the
/// multiply-rotate hash of rustc (FxHash) does instead of SipHash, a third of the cost of
/// checking keys on a 20,000-row file.
type FastHash = std::hash::BuildHasherDefault<FxHasher>;

#[derive(Default)]
struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        for &byte in chunks.remainder() {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_u8(&mut self, byte: u8) {
        self.write_u64(u64::from(byte));
    }

    fn write_usize(&mut self, word: usize) {
        self.write_u64(word as u64);
    }

    fn write_i64(&mut self, word: i64) {
        self.write_u64(word as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The values of a row's key: one or two columns (no allocation), or more.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum RowKey<'v> {
    One(KeyPart<'v>),
    Two(KeyPart<'v>, KeyPart<'v>),
    Many(Vec<KeyPart<'v>>),
}

/// A value as part of a key in uniqueness and reference checks, hashed without building
/// text: equal exactly when [`Value::key`] is (`1` and `1.0` are the same key).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum KeyPart<'v> {
    Int(i64),
    /// A real with a fraction, by its bits.
    Real(u64),
    Text(&'v str),
    /// Dates, times and enum members: their canonical text, apart from text values.
    Name(&'v str),
    Bool(bool),
    Other(String),
}

impl<'v> KeyPart<'v> {
    fn of(value: &'v Value) -> KeyPart<'v> {
        match value {
            Value::Int(i) => KeyPart::Int(*i),
            Value::Real(r) if r.fract() == 0.0 && r.abs() < 9.0e15 => KeyPart::Int(*r as i64),
            Value::Real(r) => KeyPart::Real(r.to_bits()),
            Value::Text(s) => KeyPart::Text(s),
            Value::DateTime(s) | Value::Date(s) | Value::Enum(s) => KeyPart::Name(s),
            Value::Bool(b) => KeyPart::Bool(*b),
            other => KeyPart::Other(other.key()),
        }
    }
}

/// ": price = -5" — the values of the columns a failed check reads.
fn describe_row_values(check: &Expr, row: &[(String, Value)]) -> String {
    let mut names = Vec::new();
    collect_names(check, &mut names);
    let shown: Vec<String> = row
        .iter()
        .filter(|(name, _)| names.contains(name))
        .map(|(name, value)| format!("{name} = {value}"))
        .collect();
    if shown.is_empty() {
        String::new()
    } else {
        format!(": {}", shown.join(", "))
    }
}

fn collect_names(expr: &Expr, names: &mut Vec<String>) {
    use crate::syntax::ast::ExprKind::*;
    match &expr.kind {
        Name(name) => names.push(name.name.clone()),
        Paren(inner) | Unary { operand: inner, .. } => collect_names(inner, names),
        Binary { lhs, rhs, .. } => {
            collect_names(lhs, names);
            collect_names(rhs, names);
        }
        Between { value, low, high } => {
            for e in [value, low, high] {
                collect_names(e, names);
            }
        }
        In { value, .. } => collect_names(value, names),
        Call { args, .. } => args.iter().for_each(|a| collect_names(&a.value, names)),
        Method { receiver, .. } => collect_names(receiver, names),
        _ => {}
    }
}
