//! Verifiers: each `expect` evaluated into evidence with the runtime's verifier
//! operations, against `final` (the session) and `initial` (the seed state), read-only.

use std::collections::BTreeSet;

use awm_runtime::exec::{Ctx, verify};
use awm_runtime::{Evidence, ToolError};

use super::eval::Interp;
use crate::lower::ir::{Except, Expect, Expectation, Stmt};

impl Interp {
    /// Runs a verifier's statements, one piece of evidence per `expect`; a failing `let`
    /// ends it with a failure.
    pub fn verify(
        &mut self,
        ctx: &mut Ctx,
        touched: &BTreeSet<String>,
        stmts: &[Stmt],
        evidence: &mut Vec<Evidence>,
    ) {
        for stmt in stmts {
            match stmt {
                Stmt::Expect(expectation) => {
                    evidence.push(self.expect(ctx, touched, expectation));
                }
                Stmt::Let { slot, value } => match self.eval(ctx, value) {
                    Ok(value) => self.slots[*slot] = value,
                    Err(error) => {
                        evidence.push(verify::let_failed(error));
                        return;
                    }
                },
                _ => {}
            }
        }
    }

    fn expect(
        &self,
        ctx: &mut Ctx,
        touched: &BTreeSet<String>,
        expectation: &Expectation,
    ) -> Evidence {
        match &expectation.condition {
            Expect::Holds { condition, sides } => {
                let observed = sides
                    .iter()
                    .map(|(text, side)| verify::observed(text, self.eval(ctx, side)))
                    .collect();
                verify::holds(&expectation.text, observed, self.eval(ctx, condition))
            }
            Expect::Unchanged { except } => {
                let tables: Vec<usize> = except
                    .iter()
                    .filter_map(|e| match e {
                        Except::Table(table) => Some(table.0),
                        Except::Rows { .. } => None,
                    })
                    .collect();
                let changes = ctx.changes_except(touched, &tables, &mut |ctx| {
                    except
                        .iter()
                        .filter_map(|e| match e {
                            Except::Rows { table, query } => {
                                Some(ctx.excused_keys(touched, table.0, &mut |ctx| {
                                    self.query(ctx, query)
                                }))
                            }
                            Except::Table(_) => None,
                        })
                        .collect::<Result<Vec<_>, ToolError>>()
                });
                verify::unchanged(&expectation.text, changes)
            }
        }
    }
}
