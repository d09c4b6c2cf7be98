//! Spacing between two tokens on one line: one space, or none where the language's own
//! examples write none (`f(x)`, `a.b`, `x: int?`, `[1, 2]`, `-x`, `{}`).

use super::lex::{Kind, Token};
use super::roles::Role;

/// Whether one space separates `before` and `after` on the same line.
pub fn space_between(source: &str, before: (&Token, Role), after: (&Token, Role)) -> bool {
    let (left, left_role) = before;
    let (right, right_role) = after;
    let left_text = left.text(source);
    let right_text = right.text(source);
    if right.kind == Kind::Punct && matches!(right_text, "," | ";" | ")" | "]" | "." | ":" | "?") {
        return false;
    }
    if left.kind == Kind::Punct && matches!(left_text, "." | "(" | "[") {
        return false;
    }
    if left_role.unary_minus {
        return false;
    }
    if right.is(source, "(") {
        // A call or `check(…)` hugs its name; a parenthesised expression or a column list
        // after a keyword does not.
        return left.kind != Kind::Word || right_role.spaced_paren;
    }
    if right.is(source, "}") {
        return !left.is(source, "{");
    }
    true
}
