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
mod scan;
mod shift;

use pest::Parser as _;
use pest::iterators::Pair;
use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use ast::{Ident, Spec};
use grammar::{AwmParser, Rule};

pub use literal::interpolations;
pub use parse_expr::parse_interpolation;

/// The deepest nesting of brackets a spec may use. Real specs stay below 10; the limit
/// keeps the parser (built without pest's stack probe) and every recursive pass far from
/// the end of the stack: an unoptimised build fits 40 levels in a 2 MiB thread.
pub const MAX_NESTING: usize = 32;

/// The longest chain of operators or `.member` suffixes in one expression.
pub const MAX_CHAIN: usize = 256;

/// Specs at least this long are parsed in parallel, one slice of declarations per thread.
const PARALLEL_FROM: usize = 16 * 1024;

/// Parses a spec. Never fails: broken declarations, lines and statements become
/// diagnostics and parsing goes on after them.
///
/// Top-level declarations are independent, so a long spec is cut at declaration starts
/// (outside any bracket) and the slices are parsed on several threads; the result is the
/// same as parsing it whole, since the grammar resynchronises at exactly those lines.
pub fn parse(source: &str) -> (Spec, Vec<Diagnostic>) {
    configure_pest();
    let starts = match scan::declaration_starts(source) {
        Ok(starts) => starts,
        Err(diagnostic) => return (Spec::default(), vec![diagnostic]),
    };
    let threads = rayon::current_num_threads().clamp(1, 8);
    if source.len() < PARALLEL_FROM || threads == 1 || starts.len() < 2 * threads {
        return parse_slice(source, 0);
    }
    // Cut into about two slices per thread, of similar size, at declaration starts.
    let target = source.len() / (2 * threads) + 1;
    let mut cuts = vec![0];
    for &start in &starts {
        if start > 0 && start - cuts[cuts.len() - 1] >= target {
            cuts.push(start);
        }
    }
    cuts.push(source.len());
    let parts: Vec<(Spec, Vec<Diagnostic>)> = cuts
        .par_windows(2)
        .map(|window| parse_slice(&source[window[0]..window[1]], window[0]))
        .collect();
    let mut spec = Spec::default();
    let mut diagnostics = Vec::new();
    for (part, found) in parts {
        spec.items.extend(part.items);
        diagnostics.extend(found);
    }
    (spec, diagnostics)
}

/// Parses `text`, which starts at byte `base` of the spec.
fn parse_slice(text: &str, base: usize) -> (Spec, Vec<Diagnostic>) {
    let _base = BaseOffset::set(base);
    RESERVED_USES.with(|uses| uses.borrow_mut().clear());
    let mut parser = SpecParser::default();
    let spec = match AwmParser::parse(Rule::file, text) {
        Ok(mut pairs) => match pairs.next() {
            Some(file) => parser.file(file),
            None => Spec::default(),
        },
        Err(error) => {
            // The top-level catch-all makes this unreachable for ordinary input; the call
            // limit can still end up here.
            parser.diagnostics.push(recovery::pest_error(
                text,
                base as u32,
                &error,
                Code::SyntaxError,
                "this spec could not be parsed",
            ));
            Spec::default()
        }
    };
    parser.report_reserved_names(text, base);
    (spec, parser.diagnostics)
}

thread_local! {
    /// Where the text being parsed on this thread starts in the spec: added to every span.
    static BASE: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Sets this thread's base offset for one parse, and clears it when dropped.
struct BaseOffset;

impl BaseOffset {
    fn set(base: usize) -> BaseOffset {
        BASE.with(|b| b.set(u32::try_from(base).unwrap_or(u32::MAX)));
        BaseOffset
    }
}

impl Drop for BaseOffset {
    fn drop(&mut self) {
        BASE.with(|b| b.set(0));
    }
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
    let ident = Ident {
        span: span(&pair),
        name: pair.as_str().to_string(),
    };
    if is_hard_keyword(&ident.name) {
        RESERVED_USES.with(|uses| uses.borrow_mut().push(ident.span));
    }
    ident
}

/// The words that can never be names (the grammar's `HARD_KEYWORD`).
pub const HARD_KEYWORDS: &[&str] = &[
    "env", "enum", "table", "seed", "tool", "task", "let", "require", "else", "for", "in", "if",
    "return", "insert", "update", "delete", "upsert", "where", "and", "or", "not", "true", "false",
    "null", "expect", "solution", "verify",
];

fn is_hard_keyword(name: &str) -> bool {
    HARD_KEYWORDS.contains(&name)
}

thread_local! {
    /// Spans of hard keywords used as names during this thread's current parse. The
    /// grammar accepts them where a name is declared (checking every name against every
    /// keyword in the grammar would slow every parse); the parse reports them afterwards.
    static RESERVED_USES: std::cell::RefCell<Vec<Span>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl SpecParser {
    /// Reports the hard keywords used as names since the last call.
    pub(crate) fn report_reserved_names(&mut self, source: &str, base: usize) {
        let uses = RESERVED_USES.with(|uses| std::mem::take(&mut *uses.borrow_mut()));
        for span in uses {
            let word = source
                .get(span.start as usize - base..span.end as usize - base)
                .unwrap_or_default();
            self.error(
                Diagnostic::new(
                    Code::SyntaxError,
                    format!("`{word}` is a reserved word and cannot be a name"),
                    span,
                    "reserved word",
                )
                .with_help(format!(
                    "rename it, e.g. `{word}_value` or a more specific name"
                )),
            );
        }
    }
}

/// The span of a pair without trailing whitespace (pest includes whitespace skipped
/// before an optional part that then did not match).
pub(crate) fn span(pair: &Pair<Rule>) -> Span {
    let start = pair.as_span().start() + BASE.with(std::cell::Cell::get) as usize;
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
    fn parallel_and_sequential_parses_agree() {
        let declaration = "table t{i} {\n  id: int primary\n  name: text \"x\"\n}\ntool get{i}(id: int) -> t{i} \"Get.\" {\n  return t{i}(id) else \"no {id}\"\n}\n";
        let mut source = String::new();
        for i in 0..400 {
            source.push_str(&declaration.replace("{i}", &i.to_string()));
            if i == 200 {
                source.push_str("tabel broken {\n}\n");
            }
        }
        assert!(source.len() >= PARALLEL_FROM);
        let (whole, whole_diagnostics) = parse_slice(&source, 0);
        let (parallel, parallel_diagnostics) = parse(&source);
        assert_eq!(whole, parallel);
        assert_eq!(whole_diagnostics, parallel_diagnostics);
        assert_eq!(parallel_diagnostics.len(), 1);
    }
}
