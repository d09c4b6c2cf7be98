//! Literals: string escapes, message interpolations, numbers, dates and times.

use pest::iterators::Pair;

use super::SpecParser;
use super::ast::StrLit;
use super::grammar::Rule;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;

impl SpecParser {
    /// A `string` pair as a literal with its escapes applied.
    pub(crate) fn string(&mut self, pair: Pair<Rule>) -> StrLit {
        let span: Span = super::span(&pair);
        let raw = pair.into_inner().next().map_or("", |inner| inner.as_str());
        let (value, error) = unescape(raw);
        if let Some((offset, sequence)) = error {
            let start = span.start as usize + 1 + offset;
            self.error(
                Diagnostic::new(
                    Code::InvalidLiteral,
                    format!("unknown escape sequence `{sequence}`"),
                    Span::new(start, start + sequence.len()),
                    "not a valid escape",
                )
                .with_help(r#"the escapes are \" \\ \n \t \r \{ and \}"#),
            );
        }
        StrLit {
            value,
            raw: raw.to_string(),
            span,
        }
    }

    pub(crate) fn int(&mut self, pair: &Pair<Rule>) -> i64 {
        match pair.as_str().parse::<i64>() {
            Ok(value) => value,
            Err(_) => {
                self.error(
                    Diagnostic::new(
                        Code::InvalidLiteral,
                        "integer literal is too large",
                        super::span(pair),
                        "does not fit in 64 bits",
                    )
                    .with_help(format!(
                        "integers range from {} to {}",
                        i64::MIN,
                        i64::MAX
                    )),
                );
                0
            }
        }
    }

    pub(crate) fn real(&mut self, pair: &Pair<Rule>) -> f64 {
        match pair.as_str().parse::<f64>() {
            Ok(value) if value.is_finite() => value,
            _ => {
                self.error(Diagnostic::new(
                    Code::InvalidLiteral,
                    "real literal is out of range",
                    super::span(pair),
                    "not a finite number",
                ));
                0.0
            }
        }
    }

    /// Validates a `2026-03-14` or `2026-03-14T09:30:00Z` literal and returns it in
    /// canonical form (`Z` added, seconds filled in).
    pub(crate) fn date_or_time(&mut self, pair: &Pair<Rule>) -> String {
        let text = pair.as_str();
        match canonical_date_time(text) {
            Some(canonical) => canonical,
            None => {
                self.error(
                    Diagnostic::new(
                        Code::InvalidLiteral,
                        format!("`{text}` is not a valid date or time"),
                        super::span(pair),
                        "no such day or time",
                    )
                    .with_help("write dates as 2026-03-14 and times as 2026-03-14T09:30:00Z"),
                );
                text.to_string()
            }
        }
    }
}

/// Applies escapes. On an unknown escape, returns the offset and text of the first one.
fn unescape(raw: &str) -> (String, Option<(usize, String)>) {
    let mut value = String::with_capacity(raw.len());
    let mut error = None;
    let mut chars = raw.char_indices();
    while let Some((offset, c)) = chars.next() {
        if c != '\\' {
            value.push(c);
            continue;
        }
        match chars.next() {
            Some((_, 'n')) => value.push('\n'),
            Some((_, 't')) => value.push('\t'),
            Some((_, 'r')) => value.push('\r'),
            Some((_, e @ ('"' | '\\' | '{' | '}'))) => value.push(e),
            Some((_, other)) => {
                error.get_or_insert((offset, format!("\\{other}")));
                value.push(other);
            }
            None => {}
        }
    }
    (value, error)
}

/// The `{…}` interpolations in the raw text of a message: each one's text and its byte
/// offset within `raw`. Escaped braces (`\{`) are not interpolations. An unclosed `{`
/// yields its offset with `None`.
pub fn interpolations(raw: &str) -> Vec<(usize, Option<&str>)> {
    let mut found = Vec::new();
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'{' => match raw[i + 1..].find('}') {
                Some(length) => {
                    found.push((i + 1, Some(&raw[i + 1..i + 1 + length])));
                    i += length + 2;
                }
                None => {
                    found.push((i, None));
                    break;
                }
            },
            _ => i += 1,
        }
    }
    found
}

fn canonical_date_time(text: &str) -> Option<String> {
    let (date, time) = match text.split_once('T') {
        Some((date, time)) => (date, Some(time.trim_end_matches('Z'))),
        None => (text, None),
    };
    let mut parts = date.split('-').map(|p| p.parse::<u32>().ok());
    let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > days_in_month {
        return None;
    }
    let Some(time) = time else {
        return Some(date.to_string());
    };
    let fields: Vec<u32> = time
        .split(':')
        .map(|p| p.parse::<u32>().ok())
        .collect::<Option<_>>()?;
    let (hour, minute, second) = match fields[..] {
        [h, m] => (h, m, 0),
        [h, m, s] => (h, m, s),
        _ => return None,
    };
    (hour < 24 && minute < 60 && second < 60)
        .then(|| format!("{date}T{hour:02}:{minute:02}:{second:02}Z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_applies_known_escapes_and_reports_unknown_ones() {
        assert_eq!(
            unescape(r#"a\"b\\c\n\{x\}"#),
            ("a\"b\\c\n{x}".to_string(), None)
        );
        let (_, error) = unescape(r"ok \q");
        assert_eq!(error, Some((3, r"\q".to_string())));
    }

    #[test]
    fn interpolations_skip_escaped_braces() {
        let found = interpolations(r"Only {p.stock} of \{literal\} {p.name}");
        assert_eq!(found, vec![(6, Some("p.stock")), (31, Some("p.name"))]);
        assert_eq!(interpolations("broken {x"), vec![(7, None)]);
    }

    #[test]
    fn dates_and_times_are_validated_and_canonical() {
        assert_eq!(
            canonical_date_time("2026-03-14").as_deref(),
            Some("2026-03-14")
        );
        assert_eq!(
            canonical_date_time("2026-03-14T09:30").as_deref(),
            Some("2026-03-14T09:30:00Z")
        );
        assert_eq!(
            canonical_date_time("2024-02-29T00:00:00Z").as_deref(),
            Some("2024-02-29T00:00:00Z")
        );
        assert_eq!(canonical_date_time("2026-02-29"), None);
        assert_eq!(canonical_date_time("2026-13-01"), None);
        assert_eq!(canonical_date_time("2026-01-01T24:00:00Z"), None);
    }
}
