//! Lexical scopes: frames of bindings (parameters, `let`, loop variables, group keys) and
//! row frames, which put the columns of the row being filtered, sorted or updated in scope.
//! Names resolve from the innermost frame out, so inside `products where name == query`
//! `name` is the column and `query` the parameter.

use super::model::TableId;
use super::symbols::Symbol;
use super::types::Ty;
use crate::span::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BindingKind {
    Param,
    Let,
    Loop,
    GroupKey,
}

#[derive(Debug, Clone)]
pub(crate) struct Binding {
    pub name: String,
    pub ty: Ty,
    pub span: Span,
    pub kind: BindingKind,
    pub used: bool,
    /// What a use of the binding names in the symbol index: a parameter, the binding
    /// itself, or (for a group key named after a column) that column.
    pub symbol: Option<Symbol>,
}

/// The row whose fields are in scope.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Row {
    Table(TableId),
    Record(Vec<(String, Ty)>),
}

#[derive(Debug, Default)]
struct Frame {
    bindings: Vec<Binding>,
    row: Option<Row>,
}

/// What a row's field hides when it takes a name. (An outer row's field of the same name
/// is hidden too, but the inner row is what a nested query almost always means.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shadowed {
    Binding,
}

/// What a bare name resolved to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Resolved {
    /// A parameter, `let`, loop variable or group key, by the span and name it was
    /// declared with.
    Binding {
        ty: Ty,
        declared: Span,
        name: String,
        symbol: Option<Symbol>,
    },
    /// A column of the table row `depth` row frames out (0 is the innermost).
    Column {
        table: TableId,
        column: usize,
        depth: usize,
    },
    /// Field `index` of the record row `depth` row frames out.
    Field { ty: Ty, depth: usize, index: usize },
}

#[derive(Debug, Default)]
pub(crate) struct Scope {
    frames: Vec<Frame>,
    /// Bindings popped with their frames, kept for the unused-binding lint.
    pub finished: Vec<Binding>,
}

impl Scope {
    pub fn push(&mut self) {
        self.frames.push(Frame::default());
    }

    pub fn push_row(&mut self, row: Row) {
        self.frames.push(Frame {
            bindings: Vec::new(),
            row: Some(row),
        });
    }

    pub fn pop(&mut self) {
        if let Some(frame) = self.frames.pop() {
            self.finished.extend(frame.bindings);
        }
    }

    /// Discards everything, including finished bindings (between tools and tasks).
    pub fn clear(&mut self) {
        self.frames.clear();
        self.finished.clear();
    }

    pub fn bind(
        &mut self,
        name: &str,
        ty: Ty,
        span: Span,
        kind: BindingKind,
        symbol: Option<Symbol>,
    ) {
        if self.frames.is_empty() {
            self.push();
        }
        if let Some(frame) = self.frames.last_mut() {
            frame.bindings.push(Binding {
                name: name.to_string(),
                ty,
                span,
                kind,
                used: false,
                symbol,
            });
        }
    }

    /// The binding of `name` visible in a binding frame (row frames ignored), if any.
    pub fn binding(&self, name: &str) -> Option<&Binding> {
        self.frames
            .iter()
            .rev()
            .find_map(|f| f.bindings.iter().rev().find(|b| b.name == name))
    }

    /// Resolves a bare name: fields of the innermost row frames first, then bindings.
    /// With `skip_rows`, row frames are ignored (the right side of `column == column`).
    /// The second value says what further out (a parameter or binding, or an outer row's
    /// field) has the same name and is hidden by this resolution.
    pub fn resolve(
        &mut self,
        name: &str,
        model: &super::Model,
        skip_rows: bool,
    ) -> Option<(Resolved, Option<Shadowed>)> {
        let mut found: Option<(usize, Resolved)> = None;
        let mut row_depth = 0;
        for (depth, frame) in self.frames.iter_mut().enumerate().rev() {
            if let Some(binding) = frame.bindings.iter_mut().rev().find(|b| b.name == name) {
                binding.used = true;
                let resolved = Resolved::Binding {
                    ty: binding.ty.clone(),
                    declared: binding.span,
                    name: binding.name.clone(),
                    symbol: binding.symbol,
                };
                found = Some((depth, resolved));
                break;
            }
            if frame.row.is_none() {
                continue;
            }
            if skip_rows {
                row_depth += 1;
                continue;
            }
            let field = match &frame.row {
                Some(Row::Table(table)) => {
                    model
                        .column(*table, name)
                        .map(|(column, _)| Resolved::Column {
                            table: *table,
                            column,
                            depth: row_depth,
                        })
                }
                Some(Row::Record(fields)) => fields
                    .iter()
                    .enumerate()
                    .find(|(_, (field, _))| field == name)
                    .map(|(index, (_, ty))| Resolved::Field {
                        ty: ty.clone(),
                        depth: row_depth,
                        index,
                    }),
                None => None,
            };
            if let Some(field) = field {
                found = Some((depth, field));
                break;
            }
            row_depth += 1;
        }
        let (depth, resolved) = found?;
        let mut shadows = None;
        if matches!(resolved, Resolved::Column { .. } | Resolved::Field { .. }) {
            for frame in self.frames[..depth].iter().rev() {
                if frame
                    .bindings
                    .iter()
                    .any(|b| b.name == name && b.kind != BindingKind::GroupKey)
                {
                    shadows = Some(Shadowed::Binding);
                    break;
                }
            }
        }
        Some((resolved, shadows))
    }

    /// Makes the binding `name` (not a column) non-optional until [`Scope::restore`]: inside
    /// `condition if name`, the guarded parameter is known to be present.
    pub fn narrow(&mut self, name: &str) -> Option<Ty> {
        let binding = self
            .frames
            .iter_mut()
            .rev()
            .find_map(|f| f.bindings.iter_mut().rev().find(|b| b.name == name))?;
        let original = binding.ty.clone();
        binding.ty = original.required().clone();
        binding.used = true;
        Some(original)
    }

    pub fn restore(&mut self, name: &str, original: Ty) {
        if let Some(binding) = self
            .frames
            .iter_mut()
            .rev()
            .find_map(|f| f.bindings.iter_mut().rev().find(|b| b.name == name))
        {
            binding.ty = original;
        }
    }

    /// Whether `name` is a field of the innermost row frame.
    pub fn is_row_field(&self, name: &str, model: &super::Model) -> bool {
        match self.frames.iter().rev().find_map(|f| f.row.as_ref()) {
            Some(Row::Table(table)) => model.column(*table, name).is_some(),
            Some(Row::Record(fields)) => fields.iter().any(|(field, _)| field == name),
            None => false,
        }
    }

    /// The table whose row is the innermost row in scope, if it is a table's row.
    pub fn innermost_table(&self) -> Option<TableId> {
        match self.frames.iter().rev().find_map(|f| f.row.as_ref()) {
            Some(Row::Table(table)) => Some(*table),
            _ => None,
        }
    }

    /// Every name visible here, for "did you mean".
    pub fn visible_names(&self, model: &super::Model) -> Vec<String> {
        let mut names = Vec::new();
        for frame in self.frames.iter().rev() {
            names.extend(frame.bindings.iter().map(|b| b.name.clone()));
            match &frame.row {
                Some(Row::Table(table)) => {
                    names.extend(model.column_names(*table).map(String::from))
                }
                Some(Row::Record(fields)) => names.extend(fields.iter().map(|(f, _)| f.clone())),
                None => {}
            }
        }
        names
    }
}
