//! The formatter's tokens: words, numbers, strings, comments and punctuation, split
//! exactly where the grammar splits them, with the newlines and column of each.

/// What a token is; the formatter needs no finer distinction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A name or keyword: `[A-Za-z_][A-Za-z0-9_]*`.
    Word,
    /// An integer, real, date or date-time literal.
    Number,
    /// A string literal, quotes included.
    Str,
    /// A `//` comment, up to (not including) the end of its line.
    Comment,
    /// An operator or bracket: `->`, `==`, `{`, `,` …
    Punct,
    /// A character the grammar has no token for (only in text with syntax errors).
    Other,
}

/// One token of the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    /// Byte range in the source.
    pub start: usize,
    pub end: usize,
    /// Line breaks in the whitespace before the token.
    pub newlines: usize,
    /// Characters between the start of the token's line and the token.
    pub column: usize,
}

impl Token {
    pub fn text<'s>(&self, source: &'s str) -> &'s str {
        source.get(self.start..self.end).unwrap_or_default()
    }

    /// Whether the token is this punctuation.
    pub fn is(&self, source: &str, punct: &str) -> bool {
        self.kind == Kind::Punct && self.text(source) == punct
    }

    pub fn is_opener(&self, source: &str) -> bool {
        self.kind == Kind::Punct && matches!(self.text(source), "{" | "(" | "[")
    }

    pub fn is_closer(&self, source: &str) -> bool {
        self.kind == Kind::Punct && matches!(self.text(source), "}" | ")" | "]")
    }
}

/// Two-character operators, matched before single characters.
const PAIRS: &[&str] = &["->", "==", "!=", "<=", ">=", "??"];
const SINGLES: &str = "{}()[],:;.<>=+-*/%?!";

/// The tokens of a text. Never fails: a character the grammar does not know becomes an
/// [`Kind::Other`] token of its own.
pub fn tokens(source: &str) -> Vec<Token> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
    let mut at = 0;
    let mut newlines = 0;
    let mut line_start = 0;
    while at < bytes.len() {
        let c = bytes[at];
        if matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
            if c == b'\n' {
                newlines += 1;
                line_start = at + 1;
            }
            at += 1;
            continue;
        }
        let (kind, end) = token_at(source, at);
        // Always make progress, on a character boundary.
        let end = if end > at {
            end
        } else {
            next_boundary(source, at)
        };
        let column = source.get(line_start..at).map_or(0, |s| s.chars().count());
        tokens.push(Token {
            kind,
            start: at,
            end,
            newlines,
            column,
        });
        // A string may hold an escaped line break: columns after it count from there.
        if let Some(last) = source.get(at..end).and_then(|t| t.rfind('\n')) {
            line_start = at + last + 1;
        }
        newlines = 0;
        at = end;
    }
    tokens
}

fn next_boundary(source: &str, at: usize) -> usize {
    let mut end = at + 1;
    while end < source.len() && !source.is_char_boundary(end) {
        end += 1;
    }
    end.min(source.len())
}

/// The kind and end of the token starting at `at` (not whitespace).
fn token_at(source: &str, at: usize) -> (Kind, usize) {
    let bytes = source.as_bytes();
    let rest = &bytes[at..];
    let c = rest[0];
    if rest.starts_with(b"//") {
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |n| at + n);
        return (Kind::Comment, end);
    }
    if c == b'"' {
        return string_end(bytes, at);
    }
    if c.is_ascii_alphabetic() || c == b'_' {
        return (Kind::Word, at + ident_len(rest));
    }
    if c.is_ascii_digit() {
        return (Kind::Number, at + number_len(rest));
    }
    if let Some(pair) = PAIRS.iter().find(|p| rest.starts_with(p.as_bytes())) {
        return (Kind::Punct, at + pair.len());
    }
    if SINGLES.as_bytes().contains(&c) {
        return (Kind::Punct, at + 1);
    }
    (Kind::Other, next_boundary(source, at))
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn ident_len(rest: &[u8]) -> usize {
    rest.iter()
        .position(|&b| !is_ident_char(b))
        .unwrap_or(rest.len())
}

fn digits(rest: &[u8], from: usize) -> usize {
    rest.get(from..).map_or(0, |r| {
        r.iter()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(r.len())
    })
}

/// A string literal: `"`, then characters other than `"`, `\` and a line break, or `\` and
/// any character, then `"`. An unterminated string ends before the line break.
fn string_end(bytes: &[u8], at: usize) -> (Kind, usize) {
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return (Kind::Str, i + 1),
            b'\n' => return (Kind::Other, i),
            // The escaped character may be several bytes long; the bytes after the first
            // are continuation bytes, which the loop steps over as ordinary characters.
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    (Kind::Other, bytes.len())
}

/// The length of the number at the start of `rest`, as the grammar reads it: a date-time,
/// a date, a real, or an integer (tried in that order).
fn number_len(rest: &[u8]) -> usize {
    let digit_run = |from: usize, n: usize| digits(rest, from) >= n;
    let byte = |i: usize| rest.get(i).copied();
    let date = digits(rest, 0) == 4
        && byte(4) == Some(b'-')
        && digits(rest, 5) == 2
        && byte(7) == Some(b'-')
        && digits(rest, 8) >= 2;
    if date
        && byte(10) == Some(b'T')
        && digit_run(11, 2)
        && byte(13) == Some(b':')
        && digit_run(14, 2)
    {
        let mut end = 16;
        if byte(16) == Some(b':') && digit_run(17, 2) {
            end = 19;
        }
        if byte(end) == Some(b'Z') {
            end += 1;
        }
        return end;
    }
    if date && digits(rest, 8) == 2 && !byte(10).is_some_and(is_ident_char) {
        return 10;
    }
    let whole = digits(rest, 0);
    if byte(whole) == Some(b'.') && digits(rest, whole + 1) > 0 {
        let mut end = whole + 1 + digits(rest, whole + 1);
        if matches!(byte(end), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(byte(end + 1), Some(b'+' | b'-')));
            let exponent = digits(rest, end + 1 + sign);
            if exponent > 0 {
                end += 1 + sign + exponent;
            }
        }
        return end;
    }
    whole
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(source: &str) -> Vec<(Kind, &str)> {
        tokens(source)
            .iter()
            .map(|t| (t.kind, t.text(source)))
            .collect()
    }

    #[test]
    fn numbers_are_read_as_the_grammar_reads_them() {
        let source = "2026-03-14T09:30:00Z 2026-03-14T09:30 2026-03-14 1.5e-3 2.0 42 3.count()";
        let numbers: Vec<&str> = texts(source)
            .into_iter()
            .filter(|(k, _)| *k == Kind::Number)
            .map(|(_, t)| t)
            .collect();
        assert_eq!(
            numbers,
            [
                "2026-03-14T09:30:00Z",
                "2026-03-14T09:30",
                "2026-03-14",
                "1.5e-3",
                "2.0",
                "42",
                "3"
            ]
        );
    }

    #[test]
    fn strings_comments_and_operators_are_single_tokens() {
        let source = "x->y // a \"comment\"\n\"a \\\" {b}\" ?? -1 != é";
        assert_eq!(
            texts(source),
            [
                (Kind::Word, "x"),
                (Kind::Punct, "->"),
                (Kind::Word, "y"),
                (Kind::Comment, "// a \"comment\""),
                (Kind::Str, "\"a \\\" {b}\""),
                (Kind::Punct, "??"),
                (Kind::Punct, "-"),
                (Kind::Number, "1"),
                (Kind::Punct, "!="),
                (Kind::Other, "é"),
            ]
        );
    }

    #[test]
    fn newlines_and_columns_are_recorded() {
        let tokens = tokens("a\n\n  b c");
        let layout: Vec<(usize, usize)> = tokens.iter().map(|t| (t.newlines, t.column)).collect();
        assert_eq!(layout, [(0, 0), (2, 2), (0, 4)]);
    }

    #[test]
    fn broken_text_never_panics() {
        for source in ["\"open", "\"a\\", "é\"", "\u{0}", "2026-1", "1.e5", "//"] {
            let found = tokens(source);
            assert_eq!(found.iter().map(|t| t.end - t.start).sum::<usize>(), {
                source.len() - source.matches([' ', '\n']).count()
            });
        }
    }
}
