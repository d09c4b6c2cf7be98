//! The front end as one call: parse, check, and merge the diagnostics. Used by the CLI,
//! the benchmarks and the language server, so all of them agree. Data files for
//! `seed … from` come in as text ([`DataFiles`]) or through a reader the caller supplies:
//! the driver itself does no I/O.

use std::time::Instant;

use crate::check::{self, Checked};
use crate::data_files::DataFiles;
use crate::diagnostic::{self, Code, Diagnostic};
use crate::prove;
use crate::syntax::{self, ast::Spec};

/// Everything the front end learned about one spec.
#[derive(Debug)]
pub struct Analysis {
    pub spec: Spec,
    pub checked: Checked,
    /// Syntax and check diagnostics, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Time spent parsing and checking, in microseconds.
    pub micros: u128,
}

impl Analysis {
    pub fn is_accepted(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// How a spec is analysed: the limits its task proofs run under (the same flags as every
/// other command: `--call-budget`, …). The wall-clock net never applies to a proof.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub limits: awm_runtime::Limits,
}

/// Parses and checks one spec, with no data files available: a `seed … from` declaration
/// is reported as unreadable. Front ends that read files use [`analyze_reading`].
pub fn analyze(source: &str) -> Analysis {
    analyze_with(source, &DataFiles::none())
}

/// Parses and checks one spec whose `seed … from` declarations read `files`.
pub fn analyze_with(source: &str, files: &DataFiles) -> Analysis {
    analyze_with_options(source, files, &Options::default())
}

/// [`analyze_with`] under `options`.
pub fn analyze_with_options(source: &str, files: &DataFiles, options: &Options) -> Analysis {
    let started = Instant::now();
    let (spec, diagnostics) = syntax::parse(source);
    analyze_parsed(source, spec, diagnostics, files, options, started)
}

/// Parses one spec, reads the data files it names through `read` (given each valid path
/// as written; the caller resolves it, typically against the spec's folder, and does the
/// I/O), then checks it.
pub fn analyze_reading(source: &str, read: &dyn Fn(&str) -> Result<String, String>) -> Analysis {
    analyze_reading_with(source, read, &Options::default())
}

/// [`analyze_reading`] under `options`.
pub fn analyze_reading_with(
    source: &str,
    read: &dyn Fn(&str) -> Result<String, String>,
    options: &Options,
) -> Analysis {
    let started = Instant::now();
    let (spec, diagnostics) = syntax::parse(source);
    let files = DataFiles::load(&spec, read);
    analyze_parsed(source, spec, diagnostics, &files, options, started)
}

fn analyze_parsed(
    source: &str,
    spec: Spec,
    mut diagnostics: Vec<Diagnostic>,
    files: &DataFiles,
    options: &Options,
    started: Instant,
) -> Analysis {
    let checked = check::check_with(&spec, files);
    let syntax_failed = diagnostics.iter().any(Diagnostic::is_error);
    // Only a spec with no errors at all is run: its tasks are proved by executing them.
    let clean = !syntax_failed && !checked.diagnostics.iter().any(Diagnostic::is_error);
    if clean {
        diagnostics.extend(prove::prove(&spec, &checked, source, options.limits));
    }
    // After a syntax error, a declaration is missing from the tree, so "unknown" and
    // "missing" findings are likely to be echoes of it: keep only the others.
    diagnostics.extend(
        checked
            .diagnostics
            .iter()
            .filter(|d| !syntax_failed || !is_cascade(d.code))
            .cloned(),
    );
    diagnostic::sort(&mut diagnostics);
    Analysis {
        spec,
        checked,
        diagnostics,
        micros: started.elapsed().as_micros(),
    }
}

fn is_cascade(code: Code) -> bool {
    let name = code.name();
    name.starts_with("unknown-") || name.starts_with("missing-") || name.starts_with("unused-")
}
