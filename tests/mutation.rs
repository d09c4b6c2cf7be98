//! Mutation testing of the checker: from each example, single edits of the kinds LLMs
//! get wrong are made, each one inconsistent by construction; the checker must reject
//! every one. The detection rate per kind is printed (`cargo test --test mutation --
//! --nocapture`).

use std::collections::BTreeMap;

use awm_tests::{read, specs_in};
use awmc::check::value::Value;
use awmc::span::Span;
use awmc::syntax::ast::*;

/// At most this many mutants of each kind per example, spread over the file.
const PER_KIND: usize = 40;

struct Mutant {
    kind: &'static str,
    text: String,
    what: String,
}

fn splice(source: &str, span: Span, replacement: &str) -> String {
    let mut text = source.to_string();
    text.replace_range(span.range(), replacement);
    text
}

/// Removes `field: value` from a record, with the comma after it.
fn remove_field(source: &str, field: &FieldInit) -> String {
    let mut end = field.value.span.end as usize;
    let rest = &source[end..];
    let trimmed = rest.trim_start_matches([' ', '\t']);
    if trimmed.starts_with(',') {
        end += rest.len() - trimmed.len() + 1;
    }
    splice(source, Span::new(field.name.span.start as usize, end), "")
}

/// Names and field accesses used inside tool bodies.
fn body_idents(expr: &Expr, out: &mut Vec<Ident>) {
    match &expr.kind {
        ExprKind::Name(name) if !["me", "excluded"].contains(&name.name.as_str()) => {
            out.push(name.clone())
        }
        ExprKind::Field { receiver, name } => {
            out.push(name.clone());
            body_idents(receiver, out);
        }
        ExprKind::Binary { lhs, rhs, .. } => {
            body_idents(lhs, out);
            body_idents(rhs, out);
        }
        ExprKind::Query { source, clauses } => {
            body_idents(source, out);
            for clause in clauses {
                if let ClauseKind::Where(e) | ClauseKind::Select(e) = &clause.kind {
                    body_idents(e, out);
                }
            }
        }
        ExprKind::Paren(inner) | ExprKind::Unary { operand: inner, .. } => body_idents(inner, out),
        ExprKind::OrElse { value, .. } => body_idents(value, out),
        _ => {}
    }
}

fn stmt_exprs<'a>(block: &'a Block, out: &mut Vec<&'a Expr>) {
    for stmt in &block.stmts {
        match &stmt.kind {
            StmtKind::Let { value, .. } => out.push(value),
            StmtKind::Require { condition, .. } | StmtKind::Expect { condition, .. } => {
                out.push(condition)
            }
            StmtKind::Return(Some(value)) | StmtKind::Expr(value) => out.push(value),
            StmtKind::For { iterable, body, .. } => {
                out.push(iterable);
                stmt_exprs(body, out);
            }
            StmtKind::If {
                condition,
                then_block,
                else_block,
            } => {
                out.push(condition);
                stmt_exprs(then_block, out);
                if let Some(block) = else_block {
                    stmt_exprs(block, out);
                }
            }
            StmtKind::Return(None) => {}
        }
    }
}

fn spread<T>(items: Vec<T>) -> Vec<T> {
    let step = items.len().div_ceil(PER_KIND).max(1);
    items.into_iter().step_by(step).collect()
}

fn mutants(source: &str) -> Vec<Mutant> {
    let analysis = awmc::driver::analyze(source);
    let spec = &analysis.spec;
    let model = &analysis.checked.model;
    let mut out = Vec::new();

    // 1. A use of a name or column in a tool body renamed to something that does not exist.
    let mut uses = Vec::new();
    for item in &spec.items {
        if let Item::Tool(tool) = item {
            let mut exprs = Vec::new();
            stmt_exprs(&tool.body, &mut exprs);
            for expr in exprs {
                body_idents(expr, &mut uses);
            }
        }
    }
    for ident in spread(uses) {
        let wrong = format!("{}_x", ident.name);
        out.push(Mutant {
            kind: "rename a used name",
            text: splice(source, ident.span, &wrong),
            what: format!("{} -> {wrong}", ident.name),
        });
    }

    // 2. A column declaration renamed while seed rows of its table still set it.
    let mut columns = Vec::new();
    for item in &spec.items {
        if let Item::Table(table) = item {
            for column in &table.columns {
                let set_by_seed = spec.items.iter().any(|other| match other {
                    Item::Seed(seed) if seed.table.name == table.name.name => seed
                        .rows
                        .iter()
                        .any(|row| row.fields.iter().any(|f| f.name.name == column.name.name)),
                    _ => false,
                });
                if set_by_seed {
                    columns.push(column.name.clone());
                }
            }
        }
    }
    for ident in spread(columns) {
        out.push(Mutant {
            kind: "rename a referenced column",
            text: splice(source, ident.span, &format!("{}_x", ident.name)),
            what: ident.name.clone(),
        });
    }

    // 3. A seed literal of the wrong type; 4. a required seed field deleted;
    // 5. an enum member replaced by a non-member.
    let mut literals = Vec::new();
    let mut required = Vec::new();
    let mut members = Vec::new();
    for item in &spec.items {
        let Item::Seed(seed) = item else { continue };
        let Some(table) = model.table(&seed.table.name) else {
            continue;
        };
        for row in &seed.rows {
            for field in &row.fields {
                let Some((_, column)) = model.column(table, &field.name.name) else {
                    continue;
                };
                match &field.value.kind {
                    ExprKind::Int(i) => literals.push((field.value.span, format!("\"{i}\""))),
                    ExprKind::Real(_) => literals.push((field.value.span, "\"12.50\"".to_string())),
                    ExprKind::Str(_) => literals.push((field.value.span, "42".to_string())),
                    ExprKind::Bool(b) => literals.push((field.value.span, format!("\"{b}\""))),
                    ExprKind::Name(member) => members.push(member.clone()),
                    _ => {}
                }
                if column.is_required() {
                    required.push(field.clone());
                }
            }
        }
    }
    for (span, replacement) in spread(literals) {
        out.push(Mutant {
            kind: "change a seed literal's type",
            text: splice(source, span, &replacement),
            what: replacement,
        });
    }
    for field in spread(required) {
        out.push(Mutant {
            kind: "delete a required seed field",
            text: remove_field(source, &field),
            what: field.name.name.clone(),
        });
    }
    for member in spread(members) {
        out.push(Mutant {
            kind: "swap an enum member",
            text: splice(source, member.span, "archived_x"),
            what: member.name.clone(),
        });
    }

    // 6. A seed row that another row references deleted.
    let mut referenced: Vec<(String, Value)> = Vec::new();
    for (index, table) in model.tables.iter().enumerate() {
        for (column_index, column) in table.columns.iter().enumerate() {
            let Some((target, target_column)) = column.foreign_key else {
                continue;
            };
            for row in &model.seed[index] {
                let value = &row.values[column_index];
                if !value.is_null()
                    && target_column == model.tables[target.0].primary_key.unwrap_or(usize::MAX)
                {
                    referenced.push((model.tables[target.0].name.clone(), value.clone()));
                }
            }
        }
    }
    let mut targets = Vec::new();
    for item in &spec.items {
        let Item::Seed(seed) = item else { continue };
        let Some(table) = model.table(&seed.table.name) else {
            continue;
        };
        let Some(pk) = model.tables[table.0].primary_key else {
            continue;
        };
        let pk_name = &model.tables[table.0].columns[pk].name;
        // With generated keys, deleting a row can hand its key to a later row.
        let all_explicit = spec.items.iter().all(|other| match other {
            Item::Seed(s) if s.table.name == seed.table.name => s
                .rows
                .iter()
                .all(|row| row.fields.iter().any(|f| &f.name.name == pk_name)),
            _ => true,
        });
        if !all_explicit {
            continue;
        }
        for row in &seed.rows {
            let key = row.fields.iter().find(|f| &f.name.name == pk_name);
            let Some(ExprKind::Int(key)) = key.map(|f| &f.value.kind) else {
                continue;
            };
            let is_referenced = referenced
                .iter()
                .any(|(t, v)| *t == seed.table.name && v.equals(&Value::Int(*key)));
            if is_referenced {
                targets.push((row.span, format!("{}({key})", seed.table.name)));
            }
        }
    }
    for (span, what) in spread(targets) {
        let mut end = span.end as usize;
        let rest = &source[end..];
        let trimmed = rest.trim_start();
        if trimmed.starts_with(',') {
            end += rest.len() - trimmed.len() + 1;
        }
        out.push(Mutant {
            kind: "delete a referenced seed row",
            text: splice(source, Span::new(span.start as usize, end), ""),
            what,
        });
    }

    // 7. A tool called by a solution renamed; 8. a required insert field deleted.
    let mut called = Vec::new();
    let mut inserts = Vec::new();
    for item in &spec.items {
        match item {
            Item::Task(task) => {
                for solution in &task.solutions {
                    for step in &solution.steps {
                        if let SolutionStep::Call(call) = step {
                            called.push(call.tool.clone());
                        }
                    }
                }
            }
            Item::Tool(tool) => {
                let mut exprs = Vec::new();
                stmt_exprs(&tool.body, &mut exprs);
                for expr in exprs {
                    let mut current = expr;
                    while let ExprKind::OrElse { value, .. } = &current.kind {
                        current = value;
                    }
                    if let ExprKind::Insert { table, record } = &current.kind
                        && let Some(id) = model.table(&table.name)
                    {
                        for field in &record.fields {
                            if model
                                .column(id, &field.name.name)
                                .is_some_and(|(_, c)| c.is_required())
                            {
                                inserts.push(field.clone());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for tool in spread(called) {
        out.push(Mutant {
            kind: "call a misspelt tool",
            text: splice(source, tool.span, &format!("{}s_x", tool.name)),
            what: tool.name.clone(),
        });
    }
    for field in spread(inserts) {
        out.push(Mutant {
            kind: "delete a required insert field",
            text: remove_field(source, &field),
            what: field.name.name.clone(),
        });
    }
    out
}

#[test]
fn every_inconsistent_mutant_of_every_example_is_rejected() {
    let examples = specs_in("dsl-spec/examples");
    assert!(!examples.is_empty());
    let mut rates: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut missed = Vec::new();
    for path in &examples {
        let source = read(path);
        assert!(
            awm_tests::analyze(path, &source).is_accepted(),
            "{} must be accepted before mutating it",
            path.display()
        );
        for mutant in mutants(&source) {
            let rejected = !awm_tests::analyze(path, &mutant.text).is_accepted();
            let entry = rates.entry(mutant.kind).or_default();
            entry.0 += usize::from(rejected);
            entry.1 += 1;
            if !rejected {
                missed.push(format!(
                    "{}: {} ({})",
                    path.display(),
                    mutant.kind,
                    mutant.what
                ));
            }
        }
    }
    let total: (usize, usize) = rates.values().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!("mutation detection: {}/{} rejected", total.0, total.1);
    for (kind, (rejected, all)) in &rates {
        println!("  {kind:32} {rejected}/{all}");
    }
    assert!(
        rates.len() >= 8,
        "some mutation kinds produced no mutants: {rates:?}"
    );
    assert!(
        missed.is_empty(),
        "accepted inconsistent mutants:\n{}",
        missed.join("\n")
    );
}
