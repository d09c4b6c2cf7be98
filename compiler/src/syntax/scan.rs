//! A quick scan before parsing: rejects nesting too deep for the parser and every
//! recursive pass, and finds where top-level declarations start (outside any bracket),
//! which is where a long spec can be cut for parallel parsing.

use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;

use super::MAX_NESTING;

const TOP_KEYWORDS: &[&str] = &["env", "enum", "table", "seed", "tool", "task"];

/// The byte offsets of lines that start a declaration at bracket depth zero, or the
/// diagnostic for brackets nested deeper than [`MAX_NESTING`].
pub(crate) fn declaration_starts(source: &str) -> Result<Vec<usize>, Diagnostic> {
    let bytes = source.as_bytes();
    let mut starts = Vec::new();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut in_comment = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if in_comment {
            in_comment = c != b'\n';
        } else if in_string {
            match c {
                b'\\' => i += 1,
                b'"' | b'\n' => in_string = false,
                _ => {}
            }
        } else {
            match c {
                b'"' => in_string = true,
                b'/' if bytes.get(i + 1) == Some(&b'/') => in_comment = true,
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Err(Diagnostic::new(
                            Code::NestingTooDeep,
                            format!("brackets are nested more than {MAX_NESTING} deep"),
                            Span::new(i, i + 1),
                            "this bracket is too deep",
                        )
                        .with_help("split the expression with `let` bindings"));
                    }
                }
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        let line_start = i == 0 || bytes[i - 1] == b'\n';
        if line_start && depth == 0 && !in_string && !in_comment && starts_declaration(&bytes[i..])
        {
            starts.push(i);
        }
        i += 1;
    }
    Ok(starts)
}

fn starts_declaration(rest: &[u8]) -> bool {
    TOP_KEYWORDS.iter().any(|keyword| {
        rest.starts_with(keyword.as_bytes())
            && rest
                .get(keyword.len())
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let source = format!(
            "// {}\nenum e {{ a \"{}\" }}",
            "(".repeat(100),
            "[".repeat(100)
        );
        assert_eq!(
            declaration_starts(&source),
            Ok(vec![source.find("enum").unwrap_or_default()])
        );
    }

    #[test]
    fn only_declarations_outside_brackets_start_a_slice() {
        let source = "table a {\ntable inside\n}\ntool t() {}\n  task indented\ntask b \"x\" {}\n";
        let starts = declaration_starts(source).unwrap_or_default();
        let words: Vec<&str> = starts.iter().map(|&s| &source[s..s + 4]).collect();
        assert_eq!(words, ["tabl", "tool", "task"]);
    }
}
