//! Verifiers: each `expect` evaluated into evidence with the runtime's verifier
//! operations, against `final` (the session) and `initial` (the seed state), read-only.

use awm_runtime::exec::{Ctx, verify};
use awm_runtime::{Evidence, ToolError};

use super::eval::Interp;
use crate::lower::ir::{Except, Expect, Expectation, Stmt};

impl Interp {
    /// Runs a verifier's statements, one piece of evidence per `expect`; a failing `let`
    /// ends it with a failure.
    pub fn verify(&mut self, ctx: &mut Ctx, stmts: &[Stmt], evidence: &mut Vec<Evidence>) {
        for stmt in stmts {
            match stmt {
                Stmt::Expect(expectation) => {
                    evidence.push(self.expect(ctx, expectation));
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

    fn expect(&self, ctx: &mut Ctx, expectation: &Expectation) -> Evidence {
        match &expectation.condition {
            Expect::Holds { condition, sides } => {
                let observed = sides
                    .iter()
                    .map(|(text, side)| verify::observed(text, self.eval(ctx, side)))
                    .collect();
                verify::holds(&expectation.text, observed, self.eval(ctx, condition))
            }
            Expect::Unchanged { except } => {
                let changes = self.unchanged(ctx, except);
                verify::unchanged(&expectation.text, changes)
            }
        }
    }

    /// The changes outside what `except` excuses.
    fn unchanged(
        &self,
        ctx: &mut Ctx,
        except: &[Except],
    ) -> Result<Vec<(String, String)>, ToolError> {
        let mut tables = Vec::new();
        let mut rows = Vec::new();
        for entry in except {
            match entry {
                Except::Table(table) => tables.push(table.0),
                // Rows of a table the session never wrote cannot have changed.
                Except::Rows { table, queries } if ctx.is_touched(table.0) => {
                    let found = self.all(ctx, queries)?;
                    rows.push(ctx.excused_keys(table.0, &found)?);
                }
                Except::Rows { .. } => {}
            }
        }
        ctx.changes(&tables, &rows)
    }
}
