//! `awmc sql`: the SQL statements each tool (or a task's verifier) runs, as the compiler
//! wrote them, with SQLite's query plan of each (`--plan`): where a spec reads a table it
//! should reach through an index, the plan says `SCAN` instead of `SEARCH`.

use std::path::Path;

use crate::lower::ir::{Except, Expect, Expr, Stmt};

/// One statement of a body, with its role.
struct Statement<'a> {
    what: &'static str,
    sql: &'a str,
}

fn statements<'a>(expr: &'a Expr, out: &mut Vec<Statement<'a>>) {
    crate::lower::visit(expr, &mut |e| match e {
        Expr::Query(query) => out.push(Statement {
            what: "read",
            sql: &query.sql,
        }),
        Expr::Insert { sql, .. } => out.push(Statement {
            what: "insert",
            sql,
        }),
        Expr::Update { select, update, .. } => {
            out.push(Statement {
                what: "update: targets",
                sql: select,
            });
            out.push(Statement {
                what: "update: each row",
                sql: update,
            });
        }
        Expr::Delete { select, delete, .. } => {
            out.push(Statement {
                what: "delete: targets",
                sql: select,
            });
            out.push(Statement {
                what: "delete: each row",
                sql: delete,
            });
        }
        Expr::Upsert {
            find,
            update,
            insert,
            ..
        } => {
            out.push(Statement {
                what: "upsert: existing row",
                sql: find,
            });
            out.push(Statement {
                what: "upsert: update",
                sql: update,
            });
            out.push(Statement {
                what: "upsert: insert",
                sql: insert,
            });
        }
        _ => {}
    });
}

fn body<'a>(stmts: &'a [Stmt], out: &mut Vec<Statement<'a>>) {
    for stmt in stmts {
        match stmt {
            Stmt::Let { value: e, .. } | Stmt::Eval(e) | Stmt::Return(Some(e)) => {
                statements(e, out)
            }
            Stmt::Require { condition, .. } => statements(condition, out),
            Stmt::For {
                list, body: inner, ..
            } => {
                statements(list, out);
                body(inner, out);
            }
            Stmt::If {
                condition,
                then_body,
                else_body,
            } => {
                statements(condition, out);
                body(then_body, out);
                body(else_body, out);
            }
            Stmt::Expect(expectation) => match &expectation.condition {
                Expect::Holds { condition, .. } => statements(condition, out),
                Expect::Unchanged { except } => {
                    for entry in except {
                        if let Except::Rows { queries, .. } = entry {
                            queries.iter().for_each(|q| statements(q, out));
                        }
                    }
                }
            },
            Stmt::Return(None) => {}
        }
    }
}

/// `awmc sql SPEC [NAME] [--plan]`: every tool's statements (or the tool's, or the task's
/// verifier's, called NAME).
pub fn run(path: &Path, name: Option<&str>, plan: bool) -> i32 {
    let engine = match super::run::load(path, awm_runtime::Limits::default()) {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    let session = match engine.open_session() {
        Ok(session) => session,
        Err(error) => {
            eprintln!("error: cannot open a session: {}", error.message);
            return 2;
        }
    };
    let mut bodies: Vec<(String, Vec<Statement<'_>>)> = Vec::new();
    for tool in &engine.ir.tools {
        let mut found = Vec::new();
        tool.checks
            .iter()
            .for_each(|(e, _)| statements(e, &mut found));
        body(&tool.body, &mut found);
        bodies.push((format!("tool {}", tool.spec.name), found));
    }
    for task in &engine.ir.tasks {
        let mut found = Vec::new();
        body(&task.verify, &mut found);
        bodies.push((format!("verifier of task {}", task.name), found));
    }
    let selected: Vec<&(String, Vec<Statement<'_>>)> = bodies
        .iter()
        .filter(|(title, _)| name.is_none_or(|n| title.ends_with(&format!(" {n}"))))
        .collect();
    if selected.is_empty() {
        eprintln!(
            "error: there is no tool or task `{}`",
            name.unwrap_or_default()
        );
        return 2;
    }
    let conn = match session.with_initial() {
        Ok(conn) => conn,
        Err(error) => {
            eprintln!("error: {}", error.message);
            return 2;
        }
    };
    for (title, found) in selected {
        println!("== {title}");
        if found.is_empty() {
            println!("   (reads no table)");
        }
        for statement in found {
            println!("-- {}", statement.what);
            println!("{};", statement.sql);
            if plan {
                match query_plan(conn, statement.sql) {
                    Ok(lines) => lines.iter().for_each(|l| println!("   plan: {l}")),
                    Err(error) => println!("   plan: unavailable ({error})"),
                }
            }
        }
        println!();
    }
    0
}

/// SQLite's `EXPLAIN QUERY PLAN` of a statement, indented by depth.
fn query_plan(conn: &rusqlite::Connection, sql: &str) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    // The plan does not depend on the values (the query planner's stability guarantee is
    // on): nulls stand for the parameters.
    let nulls = vec![rusqlite::types::Null; statement.parameter_count()];
    let rows = statement.query_map(rusqlite::params_from_iter(nulls), |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, String>(3)?,
        ))
    })?;
    let mut depth: Vec<(i64, usize)> = Vec::new();
    let mut lines = Vec::new();
    for row in rows {
        let (id, parent, detail) = row?;
        let level = depth
            .iter()
            .find(|(node, _)| *node == parent)
            .map_or(0, |(_, level)| level + 1);
        depth.push((id, level));
        lines.push(format!("{}{detail}", "  ".repeat(level)));
    }
    Ok(lines)
}
