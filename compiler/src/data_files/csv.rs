//! CSV as RFC 4180 writes it: records end with CRLF or LF, fields are separated by commas,
//! and a field in double quotes may hold commas, line breaks and doubled quotes (`""`).
//! Each field remembers whether it was quoted, since an empty unquoted field means "no
//! value" while `""` is the empty text. Empty lines between records are skipped. Written
//! here rather than taken from the `csv` crate, which does not say whether a field was
//! quoted; it is one small state machine over bytes (every delimiter is ASCII, so slices
//! between them are valid UTF-8).

use std::borrow::Cow;

/// One field of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<'t> {
    pub text: Cow<'t, str>,
    pub quoted: bool,
}

/// One record and the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct Record<'t> {
    pub line: usize,
    pub fields: Vec<Field<'t>>,
}

/// A record that breaks the format, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub line: usize,
    pub message: String,
}

/// The records of a CSV text, in order. After an error the rest of that line is skipped;
/// a quote that is never closed ends the iteration.
pub fn records(text: &str) -> Records<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Records {
        text,
        pos: 0,
        line: 1,
    }
}

pub struct Records<'t> {
    text: &'t str,
    pos: usize,
    line: usize,
}

impl<'t> Iterator for Records<'t> {
    type Item = Result<Record<'t>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.pos >= self.text.len() {
                return None;
            }
            let bytes = self.text.as_bytes();
            // Empty lines separate nothing: skip them.
            if bytes[self.pos] == b'\n' {
                self.pos += 1;
                self.line += 1;
                continue;
            }
            if bytes[self.pos] == b'\r' && bytes.get(self.pos + 1) == Some(&b'\n') {
                self.pos += 2;
                self.line += 1;
                continue;
            }
            return Some(self.record());
        }
    }
}

impl<'t> Records<'t> {
    fn record(&mut self) -> Result<Record<'t>, Error> {
        let line = self.line;
        let mut fields = Vec::new();
        loop {
            let field = if self.text.as_bytes().get(self.pos) == Some(&b'"') {
                self.quoted(line)?
            } else {
                self.unquoted()?
            };
            fields.push(field);
            let bytes = self.text.as_bytes();
            match bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'\n') => {
                    self.pos += 1;
                    self.line += 1;
                    return Ok(Record { line, fields });
                }
                Some(b'\r') if bytes.get(self.pos + 1) == Some(&b'\n') => {
                    self.pos += 2;
                    self.line += 1;
                    return Ok(Record { line, fields });
                }
                None => return Ok(Record { line, fields }),
                Some(_) => {
                    let error = self.error("text after a closing quote; a quoted field ends at its quote (write a quote inside it as `\"\"`)");
                    self.skip_line();
                    return Err(error);
                }
            }
        }
    }

    /// A field in quotes, starting at the opening quote.
    fn quoted(&mut self, record_line: usize) -> Result<Field<'t>, Error> {
        let text = self.text;
        self.pos += 1;
        let mut owned: Option<String> = None;
        let mut segment = self.pos;
        loop {
            let Some(offset) = text[self.pos..].find('"') else {
                self.line += text[self.pos..].matches('\n').count();
                self.pos = text.len();
                return Err(Error {
                    line: record_line,
                    message: "a quoted field is never closed (a `\"` is missing)".into(),
                });
            };
            let quote = self.pos + offset;
            self.line += text[self.pos..quote].matches('\n').count();
            if text.as_bytes().get(quote + 1) == Some(&b'"') {
                let part = owned.get_or_insert_with(String::new);
                part.push_str(&text[segment..=quote]);
                self.pos = quote + 2;
                segment = self.pos;
                continue;
            }
            self.pos = quote + 1;
            let last = &text[segment..quote];
            let text = match owned {
                Some(mut part) => {
                    part.push_str(last);
                    Cow::Owned(part)
                }
                None => Cow::Borrowed(last),
            };
            return Ok(Field { text, quoted: true });
        }
    }

    /// A field without quotes: up to the next comma or line end.
    fn unquoted(&mut self) -> Result<Field<'t>, Error> {
        let text = self.text;
        let start = self.pos;
        let rest = &text.as_bytes()[start..];
        let length = rest
            .iter()
            .position(|&b| b == b',' || b == b'\n' || b == b'"')
            .unwrap_or(rest.len());
        let mut end = start + length;
        if rest.get(length) == Some(&b'"') {
            let error = self.error(
                "a quote inside a field that does not start with one; put the whole field in quotes and write the quote as `\"\"`",
            );
            self.skip_line();
            return Err(error);
        }
        self.pos = end;
        if text.as_bytes().get(end) == Some(&b'\n')
            && end > start
            && text.as_bytes()[end - 1] == b'\r'
        {
            end -= 1;
            self.pos = end;
        }
        Ok(Field {
            text: Cow::Borrowed(&text[start..end]),
            quoted: false,
        })
    }

    fn error(&self, message: &str) -> Error {
        Error {
            line: self.line,
            message: message.into(),
        }
    }

    fn skip_line(&mut self) {
        match self.text[self.pos..].find('\n') {
            Some(offset) => {
                self.pos += offset + 1;
                self.line += 1;
            }
            None => self.pos = self.text.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record as (line, fields as (text, quoted)), or an error as (line, message).
    type Parsed = Result<(usize, Vec<(String, bool)>), (usize, String)>;

    fn parse(text: &str) -> Vec<Parsed> {
        records(text)
            .map(|r| match r {
                Ok(record) => Ok((
                    record.line,
                    record
                        .fields
                        .into_iter()
                        .map(|f| (f.text.into_owned(), f.quoted))
                        .collect(),
                )),
                Err(e) => Err((e.line, e.message)),
            })
            .collect()
    }

    fn fields(text: &str) -> Vec<Vec<String>> {
        parse(text)
            .into_iter()
            .map(|r| match r {
                Ok((_, fields)) => fields.into_iter().map(|(t, _)| t).collect(),
                Err((line, message)) => vec![format!("error at {line}: {message}")],
            })
            .collect()
    }

    #[test]
    fn plain_records_with_lf_or_crlf_and_no_final_newline() {
        assert_eq!(fields("a,b\n1,2\n"), vec![vec!["a", "b"], vec!["1", "2"]]);
        assert_eq!(
            fields("a,b\r\n1,2\r\n"),
            vec![vec!["a", "b"], vec!["1", "2"]]
        );
        assert_eq!(fields("a,b\r\n1,2"), vec![vec!["a", "b"], vec!["1", "2"]]);
    }

    #[test]
    fn quoted_fields_hold_commas_line_breaks_and_doubled_quotes() {
        let parsed = parse("name,note\n\"Smith, J\",\"say \"\"hi\"\"\nthen go\"\nx,y\n");
        assert_eq!(
            parsed,
            vec![
                Ok((1, vec![("name".into(), false), ("note".into(), false)])),
                Ok((
                    2,
                    vec![
                        ("Smith, J".into(), true),
                        ("say \"hi\"\nthen go".into(), true)
                    ]
                )),
                // The record after a multi-line field starts on its real line.
                Ok((4, vec![("x".into(), false), ("y".into(), false)])),
            ]
        );
    }

    #[test]
    fn empty_fields_say_whether_they_were_quoted() {
        let parsed = parse("a,,\"\"\r\n");
        assert_eq!(
            parsed,
            vec![Ok((
                1,
                vec![("a".into(), false), ("".into(), false), ("".into(), true)]
            ))]
        );
        // A trailing comma is one more, empty field.
        assert_eq!(fields("a,\n"), vec![vec!["a", ""]]);
    }

    #[test]
    fn empty_lines_are_skipped_and_lines_still_count() {
        let parsed = parse("\u{feff}a\n\n\r\nb\n");
        assert_eq!(
            parsed,
            vec![
                Ok((1, vec![("a".into(), false)])),
                Ok((4, vec![("b".into(), false)]))
            ]
        );
    }

    #[test]
    fn stray_quotes_are_errors_that_skip_their_line() {
        let parsed = parse("a\"b,c\n\"x\"y,z\nok\n");
        assert!(matches!(&parsed[0], Err((1, m)) if m.contains("quote inside")));
        assert!(matches!(&parsed[1], Err((2, m)) if m.contains("after a closing quote")));
        assert_eq!(parsed[2], Ok((3, vec![("ok".into(), false)])));
    }

    #[test]
    fn an_unclosed_quote_ends_the_file() {
        let parsed = parse("a,b\n1,\"never\nclosed\n");
        assert_eq!(parsed.len(), 2);
        assert!(matches!(&parsed[1], Err((2, m)) if m.contains("never closed")));
    }

    #[test]
    fn a_lone_carriage_return_is_data() {
        assert_eq!(fields("a\rb,c\n"), vec![vec!["a\rb", "c"]]);
    }

    #[test]
    fn multibyte_text_is_kept_whole() {
        assert_eq!(
            fields("é,\"中文, ok\"\n"),
            vec![vec!["é".to_string(), "中文, ok".to_string()]]
        );
    }
}
