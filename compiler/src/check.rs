//! The checker: a sequence of passes over the AST that never fail. Each pass adds to the
//! resolved [`Model`] and reports diagnostics; a pass whose input is broken skips what
//! would only cascade. The passes, in order:
//!
//! 1. `env` (header): the name and the logical clock `now()` returns;
//! 2. `schema`: enums and tables, their columns, keys, defaults and checks;
//! 3. `seed`: seed rows against every constraint, then the signed-in user's row;
//! 4. `tool`: signatures, then bodies (names, types, mutations, returns);
//! 5. `task`: solutions against tool signatures, verifiers;
//! 6. `lint`: unused and unreachable declarations.
//!
//! Executing each task's solution against the seed (the runtime's pass) slots in after
//! `task`, reading the same model.

mod call;
mod consteval;
mod env;
mod expr;
mod lint;
mod message;
pub mod model;
mod mutation;
mod operator;
mod query;
pub mod resolution;
mod schema;
mod scope;
mod seed;
mod seed_file;
mod stmt;
pub mod symbols;
mod task;
mod tool;
pub mod types;
pub mod value;

use std::collections::HashSet;

use crate::data_files::DataFiles;
use crate::diagnostic::{self, Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::{Expr, Spec};
pub use model::Model;
use model::{EnumId, TableId};
use scope::Scope;
use types::{Mismatch, Ty};

/// The result of checking a spec: the model and everything found wrong with it.
#[derive(Debug)]
pub struct Checked {
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    /// The type of every expression and the meaning of every name.
    pub resolutions: resolution::Resolutions,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Checks a parsed spec with no data files available (a `seed … from` is reported). Never
/// fails; the diagnostics come back sorted by position.
pub fn check(spec: &Spec) -> Checked {
    check_with(spec, &DataFiles::none())
}

/// Checks a parsed spec whose `seed … from` declarations read their rows from `files`.
pub fn check_with(spec: &Spec, files: &DataFiles) -> Checked {
    let mut checker = Checker::new(spec, files);
    checker.run();
    let mut diagnostics = checker.diagnostics;
    diagnostic::sort(&mut diagnostics);
    diagnostics.dedup();
    Checked {
        model: checker.model,
        diagnostics,
        resolutions: checker.resolutions,
    }
}

/// What kind of code an expression is in; it decides which names and constructs exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A tool body: tables are the current state; mutations allowed.
    Tool,
    /// A verifier: tables only through `initial` / `final`; read-only.
    Verify,
    /// A default, a check or a parameter's check: no tables, no state.
    Schema,
}

pub(crate) struct Checker<'a> {
    pub spec: &'a Spec,
    /// The data files `seed … from` declarations read.
    pub files: &'a DataFiles,
    /// The seed pass's bookkeeping: largest `auto` keys, diagnostics per data file.
    pub seeding: seed_file::Seeding,
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    pub scope: Scope,
    pub mode: Mode,
    /// Inside a `where` filter, where `if` guards are allowed.
    pub in_filter: bool,
    /// Inside `group by … select`: the row type aggregates range over.
    pub group_rows: Option<Ty>,
    /// Inside `upsert … set`: the table whose `excluded` row is in scope.
    pub excluded: Option<TableId>,
    pub used_tables: HashSet<TableId>,
    pub used_enums: HashSet<EnumId>,
    /// Set while resolving a name whose shadowing is intended (`price == price`).
    pub quiet_shadowing: bool,
    pub resolutions: resolution::Resolutions,
    /// Checking a check constraint (of a column, a table or a parameter).
    pub in_check: bool,
    /// The value being matched against a type is a string literal.
    pub found_quoted: bool,
    /// Checking the arguments of a solution's calls (constants the agent would pass).
    pub in_solution: bool,
    /// The tool whose parameter checks are being checked: the record row in scope there is
    /// its parameters.
    pub param_checks_of: Option<model::ToolId>,
    /// Places where a row's field hid a binding of the same name, in the current tool or
    /// verifier; an unused binding's warning points at them.
    pub shadow_sites: Vec<(String, Span)>,
}

impl<'a> Checker<'a> {
    fn new(spec: &'a Spec, files: &'a DataFiles) -> Self {
        let mut resolutions = resolution::Resolutions::default();
        // Specs name a declared entity every 20 to 30 bytes: reserving one per 16 bytes
        // saves the copies of a growing index (half of its cost).
        let extent = spec.items.last().map_or(0, |item| item.span().end as usize);
        resolutions.symbols.reserve(extent / 16);
        Checker {
            spec,
            files,
            seeding: seed_file::Seeding::default(),
            model: Model::default(),
            diagnostics: Vec::new(),
            scope: Scope::default(),
            mode: Mode::Schema,
            in_filter: false,
            group_rows: None,
            excluded: None,
            used_tables: HashSet::new(),
            used_enums: HashSet::new(),
            quiet_shadowing: false,
            shadow_sites: Vec::new(),
            in_solution: false,
            in_check: false,
            param_checks_of: None,
            resolutions,
            found_quoted: false,
        }
    }

    fn run(&mut self) {
        self.check_env_header();
        self.check_schema();
        self.check_seeds();
        self.check_env_user();
        self.check_tools();
        self.check_tasks();
        self.lint();
    }

    /// Records that the identifier at `span` names `symbol` (see [`symbols`]).
    pub fn record(&mut self, span: Span, symbol: symbols::Symbol, declaration: bool) {
        self.resolutions.symbols.push(symbols::Occurrence {
            span,
            symbol,
            declaration,
        });
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// How many errors have been reported so far.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Infers `expr` and reports when it does not fit `expected`; `what` names the slot
    /// ("the default of `stock`") in the message.
    pub fn expect_type(&mut self, expr: &Expr, expected: &Ty, what: &str) -> Ty {
        let found = self.infer(expr, Some(expected));
        // "Remove the quotes" helps only when there are quotes.
        self.found_quoted = matches!(expr.unparen().kind, crate::syntax::ast::ExprKind::Str(_));
        self.require_assignable(&found, expected, expr.span, what);
        self.found_quoted = false;
        found
    }

    /// Reports a value of type `found` at `span` that does not fit `expected`.
    pub fn require_assignable(
        &mut self,
        found: &Ty,
        expected: &Ty,
        span: Span,
        what: &str,
    ) -> bool {
        match types::assignable(found, expected) {
            Ok(()) => true,
            Err(mismatch) => {
                let diagnostic = self.mismatch(mismatch, found, expected, span, what);
                self.report(diagnostic);
                false
            }
        }
    }

    pub fn mismatch(
        &self,
        mismatch: Mismatch,
        found: &Ty,
        expected: &Ty,
        span: Span,
        what: &str,
    ) -> Diagnostic {
        let found_text = found.display(&self.model);
        let expected_text = expected.display(&self.model);
        match mismatch {
            Mismatch::Optional => Diagnostic::new(
                Code::OptionalUsedAsRequired,
                format!("{what} must be `{expected_text}`, but this value may be null"),
                span,
                format!("this is `{found_text}`, which may be null"),
            )
            .with_help(
                "give a fallback with `?? value`, fail with `else \"message\"`, or make the slot optional with `?`",
            ),
            Mismatch::Type => {
                let help = self.conversion_help(found, expected);
                Diagnostic::new(
                    Code::TypeMismatch,
                    format!("{what} must be `{expected_text}`, found `{found_text}`"),
                    span,
                    format!("this is `{found_text}`"),
                )
                .or_help(help)
            }
        }
    }

    /// A hint for the common wrong-type mistakes.
    fn conversion_help(&self, found: &Ty, expected: &Ty) -> Option<String> {
        use awm_stdlib::Scalar;
        let quoted = self.found_quoted;
        let help = match (found.required(), expected.required().unref()) {
            (Ty::Scalar(Scalar::Text), Ty::Scalar(Scalar::Int | Scalar::Real)) if quoted => {
                "remove the quotes: numbers are written without them"
            }
            (Ty::Scalar(Scalar::Text), Ty::Scalar(Scalar::Bool)) if quoted => {
                "write `true` or `false`, without quotes"
            }
            (Ty::Scalar(Scalar::Text), Ty::Scalar(Scalar::Int | Scalar::Real)) => {
                "this is text; a number is expected here (look the row up by its numeric key, or compare with a text column)"
            }
            (Ty::Scalar(Scalar::Int | Scalar::Real), Ty::Scalar(Scalar::Text)) => {
                "put the value in double quotes"
            }
            (Ty::Scalar(Scalar::Real), Ty::Scalar(Scalar::Int)) => {
                "an `int` cannot hold a fraction; use a whole number"
            }
            (Ty::Scalar(Scalar::Text), Ty::Scalar(Scalar::DateTime)) if quoted => {
                "write datetimes without quotes: 2026-03-14T09:30:00Z, or now() - days(3)"
            }
            (Ty::Scalar(Scalar::Text), Ty::Scalar(Scalar::Date)) if quoted => {
                "write dates without quotes: 2026-03-14"
            }
            (Ty::Scalar(Scalar::Text), Ty::Enum(id)) if quoted => {
                return Some(format!(
                    "write enum members without quotes; `{}` has {}",
                    self.model.enums[id.0].name,
                    self.model.enums[id.0]
                        .members
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            (Ty::List(_), Ty::Row(_)) => {
                "a query gives a list; take one row with `.first()` or `.one()`"
            }
            (Ty::Row(_), Ty::List(_)) => {
                "wrap a single row in a list with `[row]`, or return a query"
            }
            (Ty::Scalar(Scalar::Int), Ty::Scalar(Scalar::Bool)) => {
                "use `true` or `false`, or compare the number"
            }
            _ => return None,
        };
        Some(help.to_string())
    }

    /// Whether a missing value may flow through operators here: in verifiers (a missing
    /// value makes the expectation fail) and in check constraints (a null check passes, as
    /// in SQL). Tools must decide what a missing value means.
    pub fn nulls_propagate(&self) -> bool {
        self.mode == Mode::Verify || self.in_check
    }

    /// Reports a value that is not known before the environment runs, where only constants
    /// may stand (seed values, defaults, solution arguments).
    pub fn not_constant(&mut self, span: Span, what: &str, help: &str) {
        let (code, place) = if self.in_solution {
            (Code::NonConstantArgument, "solution arguments")
        } else {
            (Code::NotConstant, "seed values and defaults")
        };
        self.report(
            Diagnostic::new(
                code,
                format!("{what} is not a constant, and {place} must be"),
                span,
                "known only while the environment runs",
            )
            .with_help(help.to_string()),
        );
    }

    /// Reports a name that resolved to nothing, with the closest candidate.
    pub fn unknown(
        &mut self,
        code: Code,
        what: &str,
        name: &crate::syntax::ast::Ident,
        candidates: Vec<String>,
    ) {
        self.unknown_in(code, what, None, name, candidates);
    }

    /// Reports a name unknown in some owner ("tool `add_to_cart` has no parameter `x`").
    pub fn unknown_in(
        &mut self,
        code: Code,
        what: &str,
        owner: Option<&str>,
        name: &crate::syntax::ast::Ident,
        candidates: Vec<String>,
    ) {
        let help =
            diagnostic::suggest::help_for(&name.name, what, candidates.iter().map(String::as_str));
        let label = match help
            .as_deref()
            .and_then(|h| h.strip_prefix("did you mean "))
        {
            Some(suggestion) => format!(
                "not found; did you mean {}",
                suggestion.trim_end_matches('?')
            ),
            None => format!("no {what} called `{}`", name.name),
        };
        let message = match owner {
            Some(owner) => format!("{owner} has no {what} `{}`", name.name),
            None => format!("unknown {what} `{}`", name.name),
        };
        self.report(Diagnostic::new(code, message, name.span, label).or_help(help));
    }
}
