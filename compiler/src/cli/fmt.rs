//! `awmc fmt`: rewrites specs in the canonical layout, or with `--check` lists those that
//! are not in it. `-` formats standard input to standard output. Exit code 0 when every
//! spec is (now) formatted, 1 when `--check` found one that is not, 2 on I/O or syntax
//! errors.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use super::inputs;
use crate::diagnostic::render::{self, SourceFile};
use crate::fmt::{self, FormatError};

/// Lines shown on each side of the first difference under `--check`.
const SHOWN_LINES: usize = 3;

#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// Spec files and folders (every *.awm inside); `-` reads standard input and writes the
    /// formatted spec to standard output.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Write nothing: list the specs that are not formatted, with their first difference,
    /// and exit with 1 if there is any.
    #[arg(long)]
    pub check: bool,
}

/// What became of one spec.
#[derive(PartialEq, Eq)]
enum Outcome {
    Unchanged,
    Changed,
    Failed,
}

pub fn run(args: &FmtArgs) -> i32 {
    let (mut files, mut errors) = (Vec::new(), Vec::new());
    let mut outcomes = Vec::new();
    for path in &args.paths {
        if path.as_os_str() == "-" {
            outcomes.push(stdin(args.check));
        } else {
            let (found, problems) = inputs::spec_files(std::slice::from_ref(path));
            files.extend(found);
            errors.extend(problems);
        }
    }
    for error in &errors {
        eprintln!("error: {error}");
    }
    for file in &files {
        outcomes.push(one_file(file, args.check));
    }
    let changed = outcomes.iter().filter(|o| **o == Outcome::Changed).count();
    let failed = outcomes.iter().filter(|o| **o == Outcome::Failed).count();
    if !files.is_empty() {
        let specs = if files.len() == 1 { "spec" } else { "specs" };
        let verb = if args.check {
            "would be reformatted"
        } else {
            "reformatted"
        };
        let refused = if failed > 0 {
            format!(", {failed} not formatted (errors above)")
        } else {
            String::new()
        };
        eprintln!("{changed} of {} {specs} {verb}{refused}", files.len());
    }
    if failed > 0 || !errors.is_empty() {
        2
    } else if args.check && changed > 0 {
        1
    } else {
        0
    }
}

/// Formats one file in place (or only compares, under `--check`).
fn one_file(path: &PathBuf, check: bool) -> Outcome {
    let name = path.display().to_string();
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                eprintln!("error: {name}: not UTF-8 text");
                return Outcome::Failed;
            }
        },
        Err(error) => {
            eprintln!("error: {name}: {error}");
            return Outcome::Failed;
        }
    };
    let formatted = match fmt::format(&text) {
        Ok(formatted) => formatted,
        Err(error) => {
            report(&name, &text, &error);
            return Outcome::Failed;
        }
    };
    if formatted == text {
        return Outcome::Unchanged;
    }
    if check {
        println!("{name}: not formatted");
        print!("{}", first_difference(&text, &formatted));
    } else if let Err(error) = std::fs::write(path, &formatted) {
        eprintln!("error: {name}: {error}");
        return Outcome::Failed;
    }
    Outcome::Changed
}

/// `awmc fmt -`: standard input to standard output (under `--check`, only the verdict).
fn stdin(check: bool) -> Outcome {
    let mut text = String::new();
    if let Err(error) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("error: <stdin>: {error}");
        return Outcome::Failed;
    }
    match fmt::format(&text) {
        Ok(formatted) if check => {
            if formatted == text {
                Outcome::Unchanged
            } else {
                println!("<stdin>: not formatted");
                print!("{}", first_difference(&text, &formatted));
                Outcome::Changed
            }
        }
        Ok(formatted) => {
            let mut out = std::io::stdout().lock();
            if out
                .write_all(formatted.as_bytes())
                .and_then(|()| out.flush())
                .is_err()
            {
                return Outcome::Failed;
            }
            Outcome::Unchanged
        }
        Err(error) => {
            report("<stdin>", &text, &error);
            Outcome::Failed
        }
    }
}

/// Prints why a spec was not formatted: its syntax errors, as `awmc check` shows them.
fn report(name: &str, text: &str, error: &FormatError) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match error {
        FormatError::Syntax(diagnostics) => {
            let file = SourceFile::new(name, text);
            eprint!("{}", render::to_text(&file, diagnostics, colour));
            eprintln!("error: {name}: {error}");
        }
        FormatError::Internal(_) => eprintln!("error: {name}: {error}"),
    }
}

/// The first lines that differ, as a unified-diff-like excerpt: the original lines with
/// `-`, the formatted ones with `+`.
pub fn first_difference(before: &str, after: &str) -> String {
    let old: Vec<&str> = before.lines().collect();
    let new: Vec<&str> = after.lines().collect();
    let first = old
        .iter()
        .zip(&new)
        .position(|(a, b)| a != b)
        .unwrap_or(old.len().min(new.len()));
    let mut excerpt = format!("@@ line {} @@\n", first + 1);
    if first == old.len() && first == new.len() {
        excerpt.push_str("  (line endings or the final newline)\n");
        return excerpt;
    }
    for line in old.iter().skip(first).take(SHOWN_LINES) {
        excerpt.push_str(&format!("-{line}\n"));
    }
    for line in new.iter().skip(first).take(SHOWN_LINES) {
        excerpt.push_str(&format!("+{line}\n"));
    }
    excerpt
}
