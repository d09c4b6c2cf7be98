//! What the grammar says about individual tokens, read from the pest parse tree: which
//! tokens start an item of a list or block, which brackets hold a declaration's or
//! statement's body, which `-` is unary, and which `(` is not a call's.

use pest::Parser as _;
use pest::iterators::Pair;

use super::lex::Token;
use crate::syntax::grammar::{AwmParser, Rule};

/// The roles of one token (all false for most).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Role {
    /// Starts an item of the enclosing block or bracket: a declaration, statement, column,
    /// field, parameter, argument, list element …; such a line is indented one level.
    pub item_start: bool,
    /// The opening bracket of a body (a declaration's, a statement block, `solution`,
    /// `verify`, a tool's parameters): its items are indented from the start of the item
    /// that owns it, even when the bracket ends a continuation line.
    pub body_bracket: bool,
    /// A unary minus: no space after it.
    pub unary_minus: bool,
    /// A `(` that does not hug the word before it: a parenthesised expression or a column
    /// list (`unique (a, b)`, `on (key)`), as opposed to a call or `check(…)`.
    pub spaced_paren: bool,
    /// The first token of a top-level declaration.
    pub decl_start: bool,
    /// The last token of a top-level declaration.
    pub decl_end: bool,
}

/// The roles of every token, or a message when the text does not parse (the caller has
/// already refused text with syntax errors, so this is a safety net).
pub fn roles(source: &str, tokens: &[Token]) -> Result<Vec<Role>, String> {
    let file = AwmParser::parse(Rule::file, source)
        .map_err(|error| format!("the spec could not be parsed again: {error}"))?;
    let mut roles = vec![Role::default(); tokens.len()];
    let at = |offset: usize| tokens.binary_search_by_key(&offset, |t| t.start).ok();
    for pair in file.flatten() {
        let start = pair.as_span().start();
        match pair.as_rule() {
            Rule::prefix_op if pair.as_str() == "-" => {
                if let Some(i) = at(start) {
                    roles[i].unary_minus = true;
                }
            }
            Rule::paren | Rule::column_list => {
                if let Some(i) = at(start) {
                    roles[i].spaced_paren = true;
                }
            }
            _ => {}
        }
        if let Some(i) = body_bracket(&pair, source, tokens) {
            roles[i].body_bracket = true;
        }
        for child in pair.clone().into_inner() {
            if is_item(pair.as_rule(), child.as_rule())
                && let Some(i) = at(child.as_span().start())
            {
                roles[i].item_start = true;
            }
        }
        if pair.as_rule() == Rule::file {
            for decl in pair
                .clone()
                .into_inner()
                .filter(|d| d.as_rule() != Rule::EOI)
            {
                let span = decl.as_span();
                if let Some(i) = at(span.start()) {
                    roles[i].decl_start = true;
                }
                let end = span.start() + span.as_str().trim_end().len();
                let last = tokens.partition_point(|t| t.end <= end);
                if let Some(role) = last.checked_sub(1).and_then(|i| roles.get_mut(i)) {
                    role.decl_end = true;
                }
            }
        }
    }
    Ok(roles)
}

/// Whether a child of a `parent` pair starts an item of it.
fn is_item(parent: Rule, child: Rule) -> bool {
    use Rule::*;
    match parent {
        file => child != EOI,
        env_decl => child == env_field,
        enum_decl => child == enum_member,
        table_decl => matches!(child, column_decl | unique_decl | index_decl | table_check),
        // `check(…)` on a line of its own after a column is read as that column's check,
        // which means the same as a table's check: it is laid out as the table check its
        // author wrote.
        column_decl => child == check_attr,
        seed_decl => child == seed_row,
        tool_decl => child == param,
        task_decl => matches!(child, solution | verify),
        solution => matches!(child, call_step | answer_step),
        verify => matches!(child, let_stmt | expect_stmt),
        block => matches!(
            child,
            let_stmt
                | require_stmt
                | for_stmt
                | if_stmt
                | return_stmt
                | insert_expr
                | update_expr
                | delete_expr
                | upsert_expr
        ),
        if_stmt => matches!(child, else_if | else_block),
        record => child == field_init,
        record_type => child == field_type,
        call_args => child == arg,
        list => child == expr,
        except_clause => child == value,
        column_list => child == ident,
        _ => false,
    }
}

/// The token index of the body bracket a pair opens, if it is a body.
fn body_bracket(pair: &Pair<Rule>, source: &str, tokens: &[Token]) -> Option<usize> {
    use Rule::*;
    let opens_body = matches!(
        pair.as_rule(),
        env_decl
            | enum_decl
            | table_decl
            | seed_decl
            | tool_decl
            | task_decl
            | solution
            | verify
            | block
    );
    if !opens_body {
        return None;
    }
    // The first bracket of the pair: strings and comments are single tokens, so no bracket
    // inside them is seen.
    let from = tokens.partition_point(|t| t.start < pair.as_span().start());
    (from..tokens.len())
        .take_while(|&i| tokens[i].start < pair.as_span().end())
        .find(|&i| tokens[i].is_opener(source))
}
