//! The `env` header: exactly one, with a fixed logical clock, and a signed-in user that
//! exists in the seed data.

use super::model::EnvInfo;
use super::symbols::Symbol;
use super::types::Ty;
use super::value::Value;
use super::{Checker, Mode};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::{EnvDecl, ExprKind, Item};

const FIELDS: &[&str] = &["title", "description", "user", "clock"];

impl Checker<'_> {
    /// The header, before the schema: the clock is needed to evaluate `now()` defaults.
    pub(super) fn check_env_header(&mut self) {
        self.mode = Mode::Schema;
        let envs: Vec<&EnvDecl> = self
            .spec
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Env(env) => Some(env),
                _ => None,
            })
            .collect();
        let Some(env) = envs.first() else {
            self.report(
                Diagnostic::new(Code::MissingEnv, "this spec has no `env` header", Span::new(0, 0), "expected `env name { … }` first")
                    .with_help("start the spec with `env name { title: \"…\" description: \"…\" user: users(1) clock: 2026-01-01T00:00:00Z }`"),
            );
            return;
        };
        for extra in &envs[1..] {
            self.report(
                Diagnostic::new(
                    Code::DuplicateEnv,
                    "a spec has exactly one `env` header",
                    extra.name.span,
                    "second header",
                )
                .with_secondary(env.name.span, "the first header")
                .with_help("merge the two headers into one"),
            );
        }
        let mut info = EnvInfo {
            name: env.name.name.clone(),
            title: None,
            description: None,
            user: None,
            declares_user: env.fields.iter().any(|f| f.key.name == "user"),
            clock: String::new(),
            span: env.span,
        };
        for (index, field) in env.fields.iter().enumerate() {
            if let Some(first) = env.fields[..index]
                .iter()
                .find(|f| f.key.name == field.key.name)
            {
                self.duplicate_field(&field.key, first.key.span);
                continue;
            }
            match field.key.name.as_str() {
                "title" | "description" => {
                    let text = match &field.value.kind {
                        ExprKind::Str(s) => Some(s.value.clone()),
                        _ => {
                            self.expect_type(
                                &field.value,
                                &Ty::TEXT,
                                &format!("`{}`", field.key.name),
                            );
                            None
                        }
                    };
                    if field.key.name == "title" {
                        info.title = text
                    } else {
                        info.description = text
                    }
                }
                "clock" => match &field.value.kind {
                    ExprKind::DateTime(clock) => info.clock = clock.clone(),
                    _ => {
                        let found = self.infer(&field.value, None);
                        let diagnostic = self.mismatch(
                            super::types::Mismatch::Type,
                            &found,
                            &Ty::DATETIME,
                            field.value.span,
                            "`clock`",
                        );
                        self.report(diagnostic.with_help("write a fixed instant such as 2026-03-14T09:30:00Z; it is what now() returns"));
                    }
                },
                "user" => match &field.value.kind {
                    ExprKind::Call { callee, .. } => {
                        if let Some(table) = self.model.table(&callee.name) {
                            info.user = Some((table, Value::Null));
                        }
                    }
                    _ => self.report(
                        Diagnostic::new(
                            Code::InvalidUser,
                            "`user` names the signed-in user's row: `table(key)`",
                            field.value.span,
                            "expected `table(key)`",
                        )
                        .with_help("write `user: users(1)`"),
                    ),
                },
                _ => {
                    let candidates = FIELDS.iter().map(|f| f.to_string()).collect();
                    self.unknown(Code::UnknownEnvField, "env field", &field.key, candidates);
                }
            }
        }
        if info.clock.is_empty() {
            info.clock = "1970-01-01T00:00:00Z".to_string();
            if !env.fields.iter().any(|f| f.key.name == "clock") {
                self.report(
                    Diagnostic::new(Code::MissingEnvField, format!("env `{}` has no `clock`", env.name.name), env.name.span, "no logical clock")
                        .with_help("add `clock: 2026-01-01T00:00:00Z`: now() returns it, so every run is reproducible"),
                );
            }
        }
        self.model.env = Some(info);
    }

    /// The signed-in user, after the seed: its row must exist.
    pub(super) fn check_env_user(&mut self) {
        self.mode = Mode::Schema;
        let Some(Item::Env(env)) = self
            .spec
            .items
            .iter()
            .find(|item| matches!(item, Item::Env(_)))
        else {
            return;
        };
        let Some(field) = env.fields.iter().find(|f| f.key.name == "user") else {
            return;
        };
        let ExprKind::Call { callee, args } = &field.value.kind else {
            return;
        };
        let Some(table) = self.model.table(&callee.name) else {
            let candidates = self.model.table_names().map(String::from).collect();
            self.unknown(Code::UnknownTable, "table", callee, candidates);
            return;
        };
        self.used_tables.insert(table);
        self.record(callee.span, Symbol::Table(table), false);
        let Some(pk) = self.model.tables[table.0].primary_key else {
            return;
        };
        let pk_ty = self.model.column_type(table, pk);
        let [arg] = args.as_slice() else {
            self.report(
                Diagnostic::new(
                    Code::InvalidUser,
                    "`user` takes the signed-in user's primary key",
                    field.value.span,
                    "expected one key",
                )
                .with_help(format!("write `user: {}(1)`", callee.name)),
            );
            return;
        };
        if let Some(name) = &arg.name
            && name.name == self.model.tables[table.0].columns[pk].name
        {
            self.record(name.span, Symbol::Column(table, pk), false);
        }
        self.expect_type(&arg.value, &pk_ty, "the user's key");
        let Some(key) = self.eval_const(&arg.value, Some(&pk_ty), None) else {
            return;
        };
        let exists = self.model.seed[table.0]
            .iter()
            .any(|row| row.values[pk].equals(&key));
        // A table whose data file could not be read (already reported) lacks rows.
        if !exists && !self.seeding.lost_rows.contains(&table.0) {
            self.report(
                Diagnostic::new(
                    Code::InvalidUser,
                    format!(
                        "the signed-in user is `{}({key})`, but no seed row of `{}` has that key",
                        callee.name, callee.name
                    ),
                    arg.value.span,
                    "no such row",
                )
                .with_help(format!(
                    "add the user to `seed {}`, or point `user` at a seeded row",
                    callee.name
                )),
            );
        }
        if let Some(env) = self.model.env.as_mut() {
            env.user = Some((table, key));
        }
    }
}
