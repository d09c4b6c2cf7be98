//! Data files for `seed t from "path"`: the texts a front end read for a spec (the core
//! stages never touch the disk), the rules a path must follow, and the two formats, JSON
//! lines and CSV, parsed into cells the seed pass types by column.

pub mod csv;
pub mod jsonl;

use std::borrow::Cow;
use std::collections::HashMap;

use crate::syntax::ast::{Item, Spec};

/// The largest data file read: 64 MiB.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// The data files available to one analysis: the text of each path as written in the
/// spec, or why it could not be read. Paths not in the map get `absent`'s reason.
#[derive(Debug, Clone)]
pub struct DataFiles {
    files: HashMap<String, Result<String, String>>,
    absent: String,
}

impl Default for DataFiles {
    fn default() -> Self {
        DataFiles::none()
    }
}

impl DataFiles {
    /// No file can be read (`driver::analyze`): every `seed … from` is reported.
    pub fn none() -> DataFiles {
        DataFiles::unavailable("no data files were given to this analysis")
    }

    /// No file can be read, for the reason given (a spec from a JSONL reply has no folder).
    pub fn unavailable(reason: impl Into<String>) -> DataFiles {
        DataFiles {
            files: HashMap::new(),
            absent: reason.into(),
        }
    }

    /// Adds the outcome of reading one path (the text, or why it could not be read).
    pub fn insert(&mut self, path: impl Into<String>, contents: Result<String, String>) {
        self.files.insert(path.into(), contents);
    }

    /// The text of a path, or why there is none.
    pub fn get(&self, path: &str) -> Result<&str, &str> {
        match self.files.get(path) {
            Some(Ok(text)) => Ok(text),
            Some(Err(reason)) => Err(reason),
            None => Err(&self.absent),
        }
    }

    /// Reads every data file `spec` names with a valid path through `read` (given the path
    /// as written; it resolves it, typically against the spec's folder). Invalid paths are
    /// never passed to `read`: the checker reports them.
    pub fn load(spec: &Spec, read: &dyn Fn(&str) -> Result<String, String>) -> DataFiles {
        let mut files = DataFiles::unavailable("the file was not read");
        for path in paths(spec) {
            if path_problem(path).is_none() && !files.files.contains_key(path) {
                files.insert(path, read(path));
            }
        }
        files
    }
}

/// The data file paths a spec names, in order, as written.
pub fn paths(spec: &Spec) -> impl Iterator<Item = &str> {
    spec.items.iter().filter_map(|item| match item {
        Item::Seed(seed) => seed.file.as_ref().map(|f| f.value.as_str()),
        _ => None,
    })
}

/// The format of a data file, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
}

impl Format {
    pub fn of(path: &str) -> Option<Format> {
        let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "jsonl" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// Why a path may not name a data file, or `None` when it may: it must be relative, stay
/// inside the spec's folder (no `..`), and end in `.jsonl` or `.csv`.
pub fn path_problem(path: &str) -> Option<String> {
    if path.trim().is_empty() {
        return Some("the path is empty".into());
    }
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if path.starts_with('/') || path.starts_with('\\') || drive {
        return Some(
            "the path is absolute; data files are named relative to the spec's folder".into(),
        );
    }
    if path.split(['/', '\\']).any(|part| part == "..") {
        return Some(
            "the path leaves the spec's folder (`..`); data files live beside the spec or below it"
                .into(),
        );
    }
    if path.contains('\0') {
        return Some("the path contains a NUL character".into());
    }
    if Format::of(path).is_none() {
        return Some("the file must end in `.jsonl` (one JSON object per line) or `.csv` (a header row, then one row per line)".into());
    }
    None
}

/// One value in a data file, before the seed pass types it by its column.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'t> {
    /// JSON `null`.
    Null,
    Bool(bool),
    Int(i64),
    /// A JSON integer outside the 64-bit range.
    BigInt,
    Real(f64),
    /// A JSON string.
    Str(Cow<'t, str>),
    /// A JSON array or object ("a list", "an object"): never a column's value.
    Nested(&'static str),
    /// A CSV field: text converted by the column's type.
    Field(Cow<'t, str>),
}

/// Splits a text into lines with their 1-based numbers, `\n` or `\r\n` terminated, a
/// leading byte-order mark dropped.
pub fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split('\n')
        .enumerate()
        .map(|(index, line)| (index + 1, line.strip_suffix('\r').unwrap_or(line)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_must_be_relative_inside_and_jsonl_or_csv() {
        assert_eq!(path_problem("retail/orders.jsonl"), None);
        assert_eq!(path_problem("./products.CSV"), None);
        for bad in [
            "",
            "/etc/passwd.csv",
            "C:\\data\\x.csv",
            "../x.jsonl",
            "a/../../x.csv",
            "data.json",
            "noext",
        ] {
            assert!(path_problem(bad).is_some(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn lines_are_numbered_from_one_without_carriage_returns() {
        let lines: Vec<(usize, &str)> = numbered_lines("\u{feff}a\r\nb\n\nc").collect();
        assert_eq!(lines, vec![(1, "a"), (2, "b"), (3, ""), (4, "c")]);
    }
}
