//! Markdown descriptions of a spec's entities (tables, columns, enums, tools, parameters,
//! tasks) and of built-in functions, for hover and completion details.

use crate::check::model::{EnumId, Model, TableId, ToolId};
use crate::check::types::Ty;
use crate::driver::Analysis;
use crate::span::Span;
use crate::syntax::ast::{Item, Spec};

pub fn table(model: &Model, table: TableId) -> String {
    let info = &model.tables[table.0];
    let mut text = format!("```awm\ntable {}\n```", info.name);
    if let Some(description) = &info.description {
        text.push_str(&format!("\n{description}\n"));
    }
    text.push_str("\n| column | type | |\n|---|---|---|\n");
    for (index, column) in info.columns.iter().enumerate() {
        let key = if info.primary_key == Some(index) {
            "primary key"
        } else {
            ""
        };
        text.push_str(&format!(
            "| `{}` | `{}` | {key} {} |\n",
            column.name,
            column.ty.display(model),
            column.description.as_deref().unwrap_or_default()
        ));
    }
    text
}

pub fn column(model: &Model, table: TableId, column: usize) -> String {
    let info = &model.tables[table.0];
    let Some(col) = info.columns.get(column) else {
        return String::new();
    };
    let mut text = format!(
        "```awm\n{}.{}: {}\n```",
        info.name,
        col.name,
        col.ty.display(model)
    );
    if let Some(description) = &col.description {
        text.push_str(&format!("\n{description}"));
    }
    if info.primary_key == Some(column) {
        text.push_str("\n\nprimary key");
    }
    text
}

pub fn enumeration(model: &Model, id: EnumId) -> String {
    let info = &model.enums[id.0];
    format!(
        "```awm\nenum {} {{ {} }}\n```",
        info.name,
        info.members.join(", ")
    )
}

pub fn member(model: &Model, id: EnumId, member: usize) -> String {
    let info = &model.enums[id.0];
    format!(
        "```awm\n{}\n```\nmember of enum `{}` ({} of {})",
        info.members.get(member).map_or("", String::as_str),
        info.name,
        member + 1,
        info.members.len()
    )
}

/// A tool's signature, description and parameter descriptions.
pub fn tool(model: &Model, spec: &Spec, tool: ToolId) -> String {
    let info = &model.tools[tool.0];
    let params: Vec<String> = info
        .params
        .iter()
        .map(|p| format!("{}: {}", p.name, p.ty.display(model)))
        .collect();
    let result = info
        .result
        .as_ref()
        .map_or_else(String::new, |ty| format!(" -> {}", ty.display(model)));
    let mut text = format!(
        "```awm\ntool {}({}){result}\n```",
        info.name,
        params.join(", ")
    );
    if let Some(Item::Tool(decl)) = spec.items.get(info.item) {
        if let Some(description) = &decl.description {
            text.push_str(&format!("\n{}\n", description.value));
        }
        for param in &decl.params {
            if let Some(description) = &param.description {
                text.push_str(&format!("\n- `{}`: {}", param.name.name, description.value));
            }
        }
    }
    text
}

pub fn param(model: &Model, spec: &Spec, tool: ToolId, param: usize) -> String {
    let info = &model.tools[tool.0];
    let Some(p) = info.params.get(param) else {
        return String::new();
    };
    let mut text = format!(
        "```awm\n{}: {}\n```\nparameter of `{}`",
        p.name,
        p.ty.display(model),
        info.name
    );
    if let Some(Item::Tool(decl)) = spec.items.get(info.item)
        && let Some(description) = decl.params.get(param).and_then(|p| p.description.as_ref())
    {
        text.push_str(&format!("\n\n{}", description.value));
    }
    text
}

pub fn task(spec: &Spec, item: usize) -> String {
    match spec.items.get(item) {
        Some(Item::Task(task)) => format!(
            "```awm\ntask {}\n```\n{}",
            task.name.name, task.prompt.value
        ),
        _ => String::new(),
    }
}

/// A built-in function's documentation.
pub fn function(function: &awm_stdlib::functions::Function) -> String {
    format!(
        "```awm\n{}\n```\n{}\n\nexample: `{}`",
        function.name, function.doc, function.example
    )
}

/// The table whose rows a value of this type holds or refers to.
pub fn row_table(ty: &Ty) -> Option<TableId> {
    match ty.required() {
        Ty::Row(table) | Ty::Ref { table, .. } => Some(*table),
        Ty::List(element) => row_table(element),
        _ => None,
    }
}

/// The column `word` (at `span`) names when it follows a dot: a column of the table whose
/// row (or foreign key) the expression left of the dot has.
pub fn dotted_column(
    text: &str,
    span: Span,
    word: &str,
    analysis: &Analysis,
) -> Option<(TableId, usize)> {
    if span.start == 0 || text.as_bytes().get(span.start as usize - 1) != Some(&b'.') {
        return None;
    }
    let base = analysis
        .checked
        .resolutions
        .types
        .iter()
        .filter(|(s, _)| s.end + 1 == span.start)
        .min_by_key(|(s, _)| s.end - s.start)
        .map(|(_, ty)| ty)?;
    let table = row_table(base)?;
    let column = analysis.checked.model.tables[table.0]
        .columns
        .iter()
        .position(|c| c.name == word)?;
    Some((table, column))
}
