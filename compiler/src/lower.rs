//! Lowering: a spec that checks clean becomes an [`ir::EnvIr`]: tables become SQLite DDL,
//! seed rows parameterised inserts, tool bodies and verifiers a small tree with names
//! resolved to slots and rows, and reads of tables SQL with bound parameters. The checker's
//! resolutions (types, what each name means) are the input; nothing is resolved twice.

mod body;
mod effects;
pub use effects::visit;
mod expr;
pub mod ir;
mod output;
pub mod schema;
pub mod sql;

use std::collections::HashMap;

use crate::check::model::Model;
use crate::check::resolution::Resolutions;
use crate::check::{self, Checked};
use crate::span::Span;
use crate::syntax::ast::{Item, Spec};
use ir::EnvIr;

/// Lowers a checked spec. Call only when the check found no errors.
pub fn lower(spec: &Spec, checked: &Checked, source: &str) -> EnvIr {
    let mut lowerer = Lowerer {
        spec,
        source,
        model: &checked.model,
        resolutions: &checked.resolutions,
        slots: HashMap::new(),
        next_slot: 0,
        params: 0,
        check_params: None,
        inline_reads: false,
        inlined: HashMap::new(),
        interpolate: false,
        unsupported: Vec::new(),
    };
    let schema = lowerer.schema();
    let seed = lowerer.seed();
    let tools = spec
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Tool(tool) if checked.model.tool(&tool.name.name).is_some() => {
                Some(lowerer.tool(tool))
            }
            _ => None,
        })
        .collect();
    let tasks = spec
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Task(task) => lowerer.task(task),
            _ => None,
        })
        .collect();
    let env = checked.model.env.as_ref();
    let unsupported = std::mem::take(&mut lowerer.unsupported);
    EnvIr {
        unsupported,
        name: env.map_or_else(String::new, |e| e.name.clone()),
        title: env.and_then(|e| e.title.clone()),
        description: env.and_then(|e| e.description.clone()),
        schema,
        seed,
        user: env
            .and_then(|e| e.user.as_ref())
            .map(|(table, key)| (*table, schema::runtime_value(key))),
        clock: env.map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |e| e.clock.clone()),
        tools,
        tasks,
        enums: checked
            .model
            .enums
            .iter()
            .map(|e| e.members.clone())
            .collect(),
        spec_hash: awm_runtime::hash::sha256_hex(source.as_bytes()),
    }
}

/// The state of lowering one spec.
pub(crate) struct Lowerer<'a> {
    pub spec: &'a Spec,
    pub source: &'a str,
    pub model: &'a Model,
    pub resolutions: &'a Resolutions,
    /// Binding slots of the tool or verifier being lowered, by declaration.
    pub slots: HashMap<(Span, String), usize>,
    pub next_slot: usize,
    /// How many parameters the tool being lowered has (its first slots).
    pub params: usize,
    /// While lowering a parameter's check: the parameters, which the check sees as the
    /// fields of one row.
    pub check_params: Option<Vec<String>>,
    /// Whether `let`s of table reads are inlined where they are used (in a body that never
    /// writes, a read gives the same rows wherever it runs): each use is then one SQL
    /// statement, with the clauses around it, instead of a list read back through JSON.
    pub inline_reads: bool,
    /// The inlined `let`s of the body being lowered, by where their name is declared.
    pub inlined: HashMap<Span, crate::syntax::ast::Expr>,
    /// Whether string literals interpolate (tool bodies and verifiers).
    pub interpolate: bool,
    /// What could not be lowered, for check-time diagnostics.
    pub unsupported: Vec<sql::Unsupported>,
}

impl Lowerer<'_> {
    /// Starts a new tool or verifier: no slots yet.
    fn begin_body(&mut self) {
        self.slots.clear();
        self.next_slot = 0;
        self.inlined.clear();
    }

    /// The value of an inlined `let`, for a use of its name.
    pub(crate) fn inlined(
        &self,
        name: &crate::syntax::ast::Ident,
    ) -> Option<&crate::syntax::ast::Expr> {
        match self.resolutions.names.get(&name.span) {
            Some(check::resolution::NameRes::Binding { declared, .. }) => {
                self.inlined.get(declared)
            }
            _ => None,
        }
    }

    /// The slot of a binding, allocated on first use.
    fn slot(&mut self, declared: Span, name: &str) -> usize {
        let next = &mut self.next_slot;
        *self
            .slots
            .entry((declared, name.to_string()))
            .or_insert_with(|| {
                *next += 1;
                *next - 1
            })
    }
}
