//! An open document: its text, version and last analysis, and conversions between byte
//! offsets and LSP positions in the negotiated encoding (UTF-8 or UTF-16 code units).

use std::path::{Path, PathBuf};

use lsp_types::{Position, Range};

use crate::data_files::DataFiles;
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
    /// The folder of the document's file, where its data files (`seed t from "…"`) are
    /// read from; `None` for a document that is not a file.
    folder: Option<PathBuf>,
}

impl Document {
    pub fn new(text: String, version: i32) -> Document {
        let line_starts = line_starts(&text);
        Document {
            text,
            version,
            line_starts,
            analysis: None,
            folder: None,
        }
    }

    /// The document of the file at `uri` (a `file:` URI; others have no folder).
    pub fn at(uri: &str, text: String, version: i32) -> Document {
        let mut document = Document::new(text, version);
        document.folder = file_path(uri).map(|path| crate::cli::inputs::spec_dir(&path));
        document
    }

    /// Replaces the text (full synchronisation).
    pub fn set_text(&mut self, text: String, version: i32) {
        let folder = self.folder.take();
        *self = Document::new(text, version);
        self.folder = folder;
    }

    /// The analysis of the current text (parse, check and, when clean, task proofs). Data
    /// files are read from the document's folder at each analysis, so a file fixed on
    /// disk shows at the next edit.
    pub fn analysis(&mut self) -> &Analysis {
        let text = &self.text;
        let folder = self.folder.as_deref();
        self.analysis.get_or_insert_with(|| analyze(text, folder))
    }

    /// The URI of a data file the document names, when the document is a file.
    pub fn data_file_uri(&self, path: &str) -> Option<lsp_types::Uri> {
        let full = self.folder.as_ref()?.join(path);
        let full = full.canonicalize().unwrap_or(full);
        let mut uri = String::from("file://");
        for byte in full.to_string_lossy().bytes() {
            match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                    uri.push(byte as char)
                }
                other => uri.push_str(&format!("%{other:02X}")),
            }
        }
        uri.parse().ok()
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

fn analyze(text: &str, folder: Option<&Path>) -> Analysis {
    match folder {
        Some(folder) => driver::analyze_reading(text, &|path| {
            crate::cli::inputs::read_data_file(folder, path)
        }),
        None => driver::analyze_with(
            text,
            &DataFiles::unavailable(
                "the document is not a saved file, so there is no folder to read data files from",
            ),
        ),
    }
}

/// The path of a `file:` URI (`file:///home/a/x.awm`, percent-escapes decoded).
pub fn file_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // An authority (`localhost`) may stand before the path.
    let path = &rest[rest.find('/')?..];
    let mut bytes = Vec::with_capacity(path.len());
    let raw = path.as_bytes();
    let mut index = 0;
    while index < raw.len() {
        let escaped = (raw[index] == b'%')
            .then(|| path.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                bytes.push(byte);
                index += 3;
            }
            None => {
                bytes.push(raw[index]);
                index += 1;
            }
        }
    }
    String::from_utf8(bytes).ok().map(PathBuf::from)
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
    fn file_uris_become_paths() {
        assert_eq!(
            file_path("file:///home/a/my%20specs/x.awm"),
            Some(PathBuf::from("/home/a/my specs/x.awm"))
        );
        assert_eq!(
            file_path("file://localhost/tmp/x.awm"),
            Some(PathBuf::from("/tmp/x.awm"))
        );
        assert_eq!(file_path("untitled:Untitled-1"), None);
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let doc = Document::new("one\ntwo".into(), 1);
        assert_eq!(doc.offset(Position::new(9, 0), Encoding::Utf16), 7);
        assert_eq!(doc.offset(Position::new(0, 99), Encoding::Utf16), 3);
        assert_eq!(doc.position(99, Encoding::Utf8), Position::new(1, 3));
    }
}
