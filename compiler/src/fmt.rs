//! The canonical layout of a spec (`awmc fmt`, and the language server's formatting).
//!
//! The formatter changes only whitespace between tokens: indentation, spacing within a
//! line, blank lines and the final newline. Every token and every comment stays where it
//! is, in order, byte for byte (comments lose trailing whitespace only); line breaks stay
//! where the author put them, except that each top-level declaration starts a line of its
//! own. The result is checked before it is returned: the same tokens, and it still parses.
//! Text with syntax errors is refused with the parser's diagnostics.
//!
//! Layout rules (indentation is explained in `fmt/layout.rs`):
//! - two spaces per level; items of a block one level in; continuation lines keep their
//!   offset from their item's first line (at least one level) or their alignment;
//! - one space between tokens, none inside `()` and `[]`, before `,` `;` `:` `?` `.`,
//!   after `.` or a unary `-`, or between a call's name and `(`; `{ a: 1 }`, `{}`;
//! - trailing comments keep their column when the code fits before it;
//! - at most one blank line; none after an opening or before a closing bracket; exactly one
//!   between top-level declarations (before the comments that lead a declaration), except
//!   that one-line declarations may stand together (`enum a { x }` on consecutive lines);
//! - no trailing whitespace, one final newline.

mod layout;
mod lex;
mod roles;
mod spacing;

use crate::diagnostic::Diagnostic;
use crate::syntax;

/// Why a text was not formatted. Nothing was changed.
#[derive(Debug, Clone, PartialEq)]
pub enum FormatError {
    /// The text has syntax errors: the parser's diagnostics, to show as `awmc check` does.
    Syntax(Vec<Diagnostic>),
    /// The formatter would have changed a token, or produced text that does not parse: a
    /// bug in the formatter, reported rather than risk changing what the spec means.
    Internal(String),
}

impl FormatError {
    /// The syntax diagnostics (none for an internal error).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            FormatError::Syntax(diagnostics) => diagnostics,
            FormatError::Internal(_) => &[],
        }
    }
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Syntax(diagnostics) => {
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                let plural = if errors == 1 { "" } else { "s" };
                write!(f, "not formatted: {errors} syntax error{plural}")
            }
            FormatError::Internal(message) => write!(f, "not formatted: {message}"),
        }
    }
}

impl std::error::Error for FormatError {}

/// The spec in its canonical layout. Formatting formatted text changes nothing.
///
/// ```
/// let formatted = awmc::fmt::format("enum size {small,large}").ok();
/// assert_eq!(formatted.as_deref(), Some("enum size { small, large }\n"));
/// assert!(awmc::fmt::format("enum size {small,").is_err());
/// ```
pub fn format(source: &str) -> Result<String, FormatError> {
    let (_, diagnostics) = syntax::parse(source);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(FormatError::Syntax(diagnostics));
    }
    let tokens = lex::tokens(source);
    let roles = roles::roles(source, &tokens).map_err(FormatError::Internal)?;
    let formatted = layout::Layout::new(source, &tokens, &roles).run();
    same_tokens(source, &tokens, &formatted).map_err(FormatError::Internal)?;
    let (_, diagnostics) = syntax::parse(&formatted);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(FormatError::Internal(
            "the formatted text does not parse".to_string(),
        ));
    }
    Ok(formatted)
}

/// Checks that the formatted text has exactly the tokens and comments of the source.
fn same_tokens(source: &str, tokens: &[lex::Token], formatted: &str) -> Result<(), String> {
    let after = lex::tokens(formatted);
    let text = |token: &lex::Token, text: &str| {
        let word = token.text(text);
        if token.kind == lex::Kind::Comment {
            word.trim_end().to_string()
        } else {
            word.to_string()
        }
    };
    for (index, before) in tokens.iter().enumerate() {
        let Some(now) = after.get(index) else {
            return Err(format!("token {index} was lost"));
        };
        if before.kind != now.kind || text(before, source) != text(now, formatted) {
            return Err(format!(
                "token {index} changed from `{}` to `{}`",
                before.text(source),
                now.text(formatted)
            ));
        }
    }
    if after.len() != tokens.len() {
        return Err("tokens were added".to_string());
    }
    Ok(())
}
