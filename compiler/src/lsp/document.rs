//! An open document: its text, version and last analysis, and conversions between byte
//! offsets and LSP positions in the negotiated encoding (UTF-8 or UTF-16 code units).

use lsp_types::{Position, Range};

use crate::driver::{self, Analysis};
use crate::span::Span;

/// How LSP positions count characters within a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// One open document.
pub struct Document {
    pub text: String,
    pub version: i32,
    /// Byte offsets where lines start.
    line_starts: Vec<usize>,
    /// The analysis of `text`, computed on demand and dropped on change.
    analysis: Option<Analysis>,
}

impl Document {
    pub fn new(text: String, version: i32) -> Document {
        let line_starts = line_starts(&text);
        Document {
            text,
            version,
            line_starts,
            analysis: None,
        }
    }

    /// Replaces the text (full synchronisation).
    pub fn set_text(&mut self, text: String, version: i32) {
        *self = Document::new(text, version);
    }

    /// The analysis of the current text (parse, check and, when clean, task proofs).
    pub fn analysis(&mut self) -> &Analysis {
        let text = &self.text;
        self.analysis.get_or_insert_with(|| driver::analyze(text))
    }

    pub fn is_analyzed(&self) -> bool {
        self.analysis.is_some()
    }

    /// The position of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize, encoding: Encoding) -> Position {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let prefix = &self.text[start..offset];
        let character = match encoding {
            Encoding::Utf8 => prefix.len(),
            Encoding::Utf16 => prefix.encode_utf16().count(),
        };
        Position::new(line as u32, character as u32)
    }

    /// The byte offset of a position (clamped to its line and to the text).
    pub fn offset(&self, position: Position, encoding: Encoding) -> usize {
        let line = position.line as usize;
        let Some(&start) = self.line_starts.get(line) else {
            return self.text.len();
        };
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next.saturating_sub(1));
        let text = &self.text[start..end.max(start)];
        let wanted = position.character as usize;
        let within = match encoding {
            Encoding::Utf8 => floor_char_boundary(text, wanted.min(text.len())),
            Encoding::Utf16 => {
                let mut units = 0;
                let mut bytes = text.len();
                for (index, c) in text.char_indices() {
                    if units >= wanted {
                        bytes = index;
                        break;
                    }
                    units += c.len_utf16();
                }
                bytes
            }
        };
        start + within
    }

    pub fn range(&self, span: Span, encoding: Encoding) -> Range {
        Range::new(
            self.position(span.start as usize, encoding),
            self.position(span.end as usize, encoding),
        )
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip_in_both_encodings() {
        let doc = Document::new("ab\nç€x\n\nlast".into(), 1);
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            for offset in [0, 1, 3, 5, 8, 9, 10, 11, 14] {
                let position = doc.position(offset, encoding);
                assert_eq!(
                    doc.offset(position, encoding),
                    offset,
                    "{offset} {encoding:?}"
                );
            }
        }
        assert_eq!(doc.position(8, Encoding::Utf16), Position::new(1, 2));
        assert_eq!(doc.position(8, Encoding::Utf8), Position::new(1, 5));
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let doc = Document::new("one\ntwo".into(), 1);
        assert_eq!(doc.offset(Position::new(9, 0), Encoding::Utf16), 7);
        assert_eq!(doc.offset(Position::new(0, 99), Encoding::Utf16), 3);
        assert_eq!(doc.position(99, Encoding::Utf8), Position::new(1, 3));
    }
}
