//! The inputs of `awmc check` and `awmc fmt`: spec files, folders searched for `*.awm`,
//! and (for `check`) `.jsonl` files whose records hold raw LLM replies with the spec
//! somewhere inside; and the data files specs read their seed rows from, relative to the
//! spec's folder.

use std::path::{Path, PathBuf};

use crate::data_files;
use crate::driver::{self, Analysis};

/// One spec to check.
pub struct Input {
    /// The file path, or `file.jsonl:LINE` for a record.
    pub name: String,
    pub text: String,
    /// The folder its data files (`seed t from "…"`) are read from; `None` for a spec
    /// from a JSONL reply, which has none.
    pub dir: Option<PathBuf>,
}

impl Input {
    /// Parses and checks the spec, reading its data files from its folder.
    pub fn analyze(&self, options: &driver::Options) -> Analysis {
        analyze_in(&self.text, self.dir.as_deref(), options)
    }
}

/// Why a spec from a JSONL reply cannot read data files.
const NO_FOLDER: &str = "the spec comes from a JSONL reply, which has no folder to read data files from; write the rows inline (`seed t [ { … } ]`) or save the spec as a file beside its data";

/// Parses and checks a spec, reading its data files relative to `dir` (none when `None`).
pub fn analyze_in(text: &str, dir: Option<&Path>, options: &driver::Options) -> Analysis {
    match dir {
        Some(dir) => driver::analyze_reading_with(text, &|path| read_data_file(dir, path), options),
        None => driver::analyze_with_options(
            text,
            &data_files::DataFiles::unavailable(NO_FOLDER),
            options,
        ),
    }
}

/// Reads, checks and loads the spec at `path` (its data files beside it) into an engine;
/// the error diagnostics when it is rejected or cannot be read.
pub fn load_engine(path: &Path) -> Result<crate::engine::Engine, Vec<String>> {
    let source =
        std::fs::read_to_string(path).map_err(|e| vec![format!("{}: {e}", path.display())])?;
    let analysis = analyze_in(&source, Some(&spec_dir(path)), &driver::Options::default());
    if !analysis.is_accepted() {
        return Err(analysis
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{} {}", d.code.code(), d.message))
            .collect());
    }
    let ir = crate::lower::lower(&analysis.spec, &analysis.checked, &source);
    crate::engine::Engine::new(ir).map_err(|error| vec![error.message])
}

/// The folder a spec file's data files are read from.
pub fn spec_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Reads the data file `relative` (already checked to be a relative path without `..`)
/// from `dir`: it must stay inside `dir` once links are resolved, be at most
/// [`data_files::MAX_BYTES`] long, and be UTF-8 text. Errors do not repeat the path (the
/// diagnostic names it as the spec writes it).
pub fn read_data_file(dir: &Path, relative: &str) -> Result<String, String> {
    let path = dir.join(relative);
    let resolved = std::fs::canonicalize(&path).map_err(|error| describe(&error))?;
    let base = std::fs::canonicalize(dir).map_err(|error| describe(&error))?;
    if !resolved.starts_with(&base) {
        return Err("it links to a file outside the spec's folder".into());
    }
    let metadata = std::fs::metadata(&resolved).map_err(|error| describe(&error))?;
    if metadata.is_dir() {
        return Err("it is a folder, not a file".into());
    }
    if metadata.len() > data_files::MAX_BYTES as u64 {
        return Err(format!(
            "the file is {} MiB, more than the {} MiB a data file may have",
            metadata.len() / (1024 * 1024),
            data_files::MAX_BYTES / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(&resolved).map_err(|error| describe(&error))?;
    String::from_utf8(bytes).map_err(|error| {
        format!(
            "the file is not UTF-8 text (an invalid byte at offset {})",
            error.utf8_error().valid_up_to()
        )
    })
}

fn describe(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file in the spec's folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => error.to_string(),
    }
}

/// The fields tried, in order, when `--field` is not given.
const DEFAULT_FIELDS: &[&str] = &[
    "spec",
    "response",
    "completion",
    "output",
    "content",
    "text",
];

/// Reads every input; I/O and format errors are returned as messages, one per problem.
pub fn collect(paths: &[PathBuf], field: Option<&str>) -> (Vec<Input>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files, &mut errors);
            files.sort();
            for file in files {
                read_file(&file, &mut inputs, &mut errors);
            }
        } else if path.extension().is_some_and(|e| e == "jsonl") {
            read_jsonl(path, field, &mut inputs, &mut errors);
        } else {
            read_file(path, &mut inputs, &mut errors);
        }
    }
    (inputs, errors)
}

/// The spec files named by `paths` (`awmc fmt`): files as given, folders searched for
/// `*.awm`, sorted per folder. JSONL files hold replies, not specs, and are refused.
pub fn spec_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found, &mut errors);
            found.sort();
            files.extend(found);
        } else if path.extension().is_some_and(|e| e == "jsonl") {
            errors.push(format!(
                "{}: JSONL files hold LLM replies, not specs; only spec files are formatted",
                path.display()
            ));
        } else {
            files.push(path.clone());
        }
    }
    (files, errors)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<String>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            errors.push(format!("{}: {error}", dir.display()));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, files, errors);
        } else if path.extension().is_some_and(|e| e == "awm") {
            files.push(path);
        }
    }
}

fn read_file(path: &Path, inputs: &mut Vec<Input>, errors: &mut Vec<String>) {
    match std::fs::read(path) {
        Ok(bytes) => inputs.push(Input {
            name: path.display().to_string(),
            text: String::from_utf8_lossy(&bytes).into_owned(),
            dir: Some(spec_dir(path)),
        }),
        Err(error) => errors.push(format!("{}: {error}", path.display())),
    }
}

fn read_jsonl(path: &Path, field: Option<&str>, inputs: &mut Vec<Input>, errors: &mut Vec<String>) {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            errors.push(format!("{}: {error}", path.display()));
            return;
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let name = format!("{}:{}", path.display(), index + 1);
        let record: serde_json::Value = match serde_json::from_str(line) {
            Ok(record) => record,
            Err(error) => {
                errors.push(format!("{name}: not a JSON record: {error}"));
                continue;
            }
        };
        match reply_text(&record, field) {
            Some(reply) => inputs.push(Input {
                name,
                text: extract_spec(reply),
                dir: None,
            }),
            None => errors.push(match field {
                Some(field) => format!("{name}: the record has no string at `{field}`"),
                None => format!(
                    "{name}: the record has none of the fields {}; name one with --field",
                    DEFAULT_FIELDS.join(", ")
                ),
            }),
        }
    }
}

/// The reply text of a record: the string at a dotted path (`choices.0.message.content`).
fn reply_text<'r>(record: &'r serde_json::Value, field: Option<&str>) -> Option<&'r str> {
    let lookup = |path: &str| {
        path.split('.')
            .try_fold(record, |value, key| match key.parse::<usize>() {
                Ok(index) if value.is_array() => value.get(index),
                _ => value.get(key),
            })
            .and_then(serde_json::Value::as_str)
    };
    match field {
        Some(path) => lookup(path),
        None => DEFAULT_FIELDS.iter().find_map(|f| lookup(f)),
    }
}

/// The spec inside an LLM reply: the first fenced code block that looks like a spec, or
/// else the text from the first line starting a declaration through the last closing
/// bracket.
pub fn extract_spec(reply: &str) -> String {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in reply.lines() {
        if line.trim_start().starts_with("```") {
            match current.take() {
                Some(block) => blocks.push(block.join("\n")),
                None => current = Some(Vec::new()),
            }
        } else if let Some(block) = current.as_mut() {
            block.push(line);
        }
    }
    if let Some(block) = current {
        // An unclosed fence (a reply cut off mid-block) still holds the spec.
        blocks.push(block.join("\n"));
    }
    if let Some(block) = blocks
        .into_iter()
        .find(|b| b.lines().any(starts_declaration))
    {
        return block + "\n";
    }
    let lines: Vec<&str> = reply.lines().collect();
    let Some(first) = lines.iter().position(|l| starts_declaration(l)) else {
        return reply.to_string();
    };
    let last = lines
        .iter()
        .rposition(|l| matches!(l.trim_end().chars().last(), Some('}' | ']')))
        .filter(|&last| last >= first)
        .unwrap_or(lines.len() - 1);
    // Keep line numbers meaningful: blank out the prose before the spec.
    let mut text = "\n".repeat(first);
    text.push_str(&lines[first..=last].join("\n"));
    text.push('\n');
    text
}

fn starts_declaration(line: &str) -> bool {
    ["env ", "enum ", "table ", "seed ", "tool ", "task "]
        .iter()
        .any(|k| line.starts_with(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_fenced_block_that_holds_a_spec() {
        let reply = "Sure! Here it is:\n```python\nprint(1)\n```\n```awm\nenv a {\n}\n```\nHope this helps.";
        assert_eq!(extract_spec(reply), "env a {\n}\n");
    }

    #[test]
    fn takes_unfenced_specs_out_of_prose() {
        let reply = "Here is the spec.\n\nenv a {\n}\ntable t { id: int primary }\nLet me know!";
        let spec = extract_spec(reply);
        assert!(spec.starts_with("\n\nenv a {"), "{spec:?}");
        assert!(spec.trim_end().ends_with("table t { id: int primary }"));
    }

    #[test]
    fn data_files_are_read_only_inside_the_spec_folder_and_up_to_the_size_limit() {
        let base = std::env::temp_dir().join(format!("awmc-data-files-{}", std::process::id()));
        let dir = base.join("spec");
        let _ = std::fs::create_dir_all(dir.join("data"));
        let write = |path: &Path, text: &str| std::fs::write(path, text).is_ok();
        assert!(write(&dir.join("data/rows.jsonl"), "{\"id\": 1}\n"));
        assert!(write(&base.join("secret.csv"), "id\n1\n"));
        assert_eq!(
            read_data_file(&dir, "data/rows.jsonl").as_deref(),
            Ok("{\"id\": 1}\n")
        );
        assert!(read_data_file(&dir, "data/none.jsonl").is_err_and(|e| e.contains("no such file")));
        assert!(read_data_file(&dir, "data").is_err_and(|e| e.contains("folder")));
        // A link that leads out of the spec's folder is refused.
        #[cfg(unix)]
        {
            let _ = std::os::unix::fs::symlink(base.join("secret.csv"), dir.join("link.csv"));
            assert!(read_data_file(&dir, "link.csv").is_err_and(|e| e.contains("outside")));
        }
        // Too large: refused before reading (the file is sparse).
        let big = dir.join("big.csv");
        let sized = std::fs::File::create(&big)
            .and_then(|file| file.set_len(data_files::MAX_BYTES as u64 + 1))
            .is_ok();
        assert!(sized);
        assert!(read_data_file(&dir, "big.csv").is_err_and(|e| e.contains("MiB")));
        assert!(std::fs::write(dir.join("latin1.csv"), b"id,name\n1,Jos\xe9\n").is_ok());
        assert!(read_data_file(&dir, "latin1.csv").is_err_and(|e| e.contains("UTF-8")));
        let _ = std::fs::remove_dir_all(&base);
    }

    #[test]
    fn finds_the_reply_by_dotted_path_or_default_field() {
        let record: serde_json::Value =
            serde_json::from_str(r#"{"choices":[{"message":{"content":"x"}}],"response":"y"}"#)
                .unwrap_or_default();
        assert_eq!(
            reply_text(&record, Some("choices.0.message.content")),
            Some("x")
        );
        assert_eq!(reply_text(&record, None), Some("y"));
        assert_eq!(reply_text(&record, Some("missing")), None);
    }
}
