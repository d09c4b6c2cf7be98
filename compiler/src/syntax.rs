//! Syntax: source text to an AST with spans. Parsing never fails: it returns the
//! declarations it could read and a diagnostic for every line it could not.

pub mod ast;
pub mod grammar;
mod literal;
mod parse_decl;
mod parse_expr;
mod parse_tool;
#[cfg(test)]
mod parser_tests;
mod pratt;
mod recovery;
mod shift;

use pest::Parser as _;
use pest::iterators::Pair;

use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use ast::{Ident, Spec};
use grammar::{AwmParser, Rule};

pub use literal::interpolations;
pub use parse_expr::parse_interpolation;

/// The deepest nesting of brackets a spec may use. Real specs stay below 10; the limit
/// keeps the parser and every recursive pass far from the end of the stack.
pub const MAX_NESTING: usize = 64;

/// The longest chain of operators or `.member` suffixes in one expression.
pub const MAX_CHAIN: usize = 256;

/// Parses a spec. Never fails: broken declarations, lines and statements become
/// diagnostics and parsing goes on after them.
pub fn parse(source: &str) -> (Spec, Vec<Diagnostic>) {
    configure_pest();
    let mut parser = SpecParser::default();
    if let Some(diagnostic) = check_nesting(source) {
        return (Spec::default(), vec![diagnostic]);
    }
    let spec = match AwmParser::parse(Rule::file, source) {
        Ok(mut pairs) => match pairs.next() {
            Some(file) => parser.file(file),
            None => Spec::default(),
        },
        Err(error) => {
            // The top-level catch-all makes this unreachable for ordinary input; resource
            // limits (pest's call or stack guard) can still end up here.
            parser.diagnostics.push(recovery::pest_error(
                source,
                0,
                &error,
                Code::SyntaxError,
                "this spec could not be parsed",
            ));
            Spec::default()
        }
    };
    (spec, parser.diagnostics)
}

/// The most rule calls one parse may make: a backstop against any input the grammar
/// would take super-linear time on (a real spec needs a few hundred thousand).
const CALL_LIMIT: usize = 50_000_000;

/// Process-wide pest settings: the call limit.
fn configure_pest() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        pest::set_call_limit(std::num::NonZeroUsize::new(CALL_LIMIT));
    });
}

/// Runs a parse with pest's detailed error information ("expected `:`") switched on.
///
/// The detail doubles parsing time, so ordinary parses run without it and only the
/// re-parses of broken slices ask for it. The switch is process-wide and read when a parse
/// starts; holding the lock for the whole re-parse means no other re-parse can switch it
/// off meanwhile, so messages are the same however many threads check specs. An ordinary
/// parse that starts while it is on just runs slower.
pub(crate) fn with_error_detail<T>(parse: impl FnOnce() -> T) -> T {
    static DETAIL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = DETAIL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    pest::set_error_detail(true);
    let result = parse();
    pest::set_error_detail(false);
    result
}

/// Rejects input nested deeper than [`MAX_NESTING`] before pest or any pass recurses on it.
fn check_nesting(source: &str) -> Option<Diagnostic> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut in_comment = false;
    let mut previous = '\0';
    for (offset, c) in source.char_indices() {
        if in_comment {
            in_comment = c != '\n';
        } else if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' || c == '\n' {
                in_string = false;
            }
        } else {
            match c {
                '"' => in_string = true,
                '/' if previous == '/' => in_comment = true,
                '(' | '[' | '{' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Some(
                            Diagnostic::new(
                                Code::NestingTooDeep,
                                format!("brackets are nested more than {MAX_NESTING} deep"),
                                Span::new(offset, offset + 1),
                                "this bracket is too deep",
                            )
                            .with_help("split the expression with `let` bindings"),
                        );
                    }
                }
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        previous = c;
    }
    None
}

/// The state of one parse: the diagnostics found so far.
#[derive(Default)]
pub(crate) struct SpecParser {
    pub diagnostics: Vec<Diagnostic>,
}

impl SpecParser {
    fn file(&mut self, file: Pair<Rule>) -> Spec {
        let mut spec = Spec::default();
        for pair in file.into_inner() {
            match pair.as_rule() {
                Rule::BAD_DECL => self.bad_decl(pair),
                Rule::EOI => {}
                _ => {
                    if let Some(item) = self.decl(pair) {
                        spec.items.push(item);
                    }
                }
            }
        }
        spec
    }

    pub(crate) fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }
}

pub(crate) fn ident(pair: Pair<Rule>) -> Ident {
    Ident {
        name: pair.as_str().to_string(),
        span: pair.as_span().into(),
    }
}

/// The span of a pair without trailing whitespace (pest includes whitespace skipped
/// before an optional part that then did not match).
pub(crate) fn span(pair: &Pair<Rule>) -> Span {
    let start = pair.as_span().start();
    Span::new(start, start + pair.as_str().trim_end().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_one_diagnostic_not_a_stack_overflow() {
        let source = format!(
            "tool t() -> int {{ return {}1{} }}",
            "(".repeat(100_000),
            ")".repeat(100_000)
        );
        let (_, diagnostics) = parse(&source);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, Code::NestingTooDeep);
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let source = format!(
            "// {}\nenum e {{ a \"{}\" }}",
            "(".repeat(100),
            "[".repeat(100)
        );
        assert!(check_nesting(&source).is_none());
    }
}
