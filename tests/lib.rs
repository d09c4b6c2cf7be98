//! Shared helpers of the end-to-end tests: where the corpora are, and how a spec's
//! diagnostics are summarised and rendered for snapshots.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use awmc::diagnostic::render::{self, SourceFile};
use awmc::driver::{self, Analysis};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `*.awm` files directly in a folder of the repository, sorted.
pub fn specs_in(relative: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(relative))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "awm"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// The distinct codes of an analysis (`E0311`, `W0001`, …).
pub fn codes(analysis: &Analysis) -> BTreeSet<String> {
    analysis
        .diagnostics
        .iter()
        .map(|d| d.code.code().to_string())
        .collect()
}

/// The codes a corpus file declares on its `// expect:` line.
pub fn expected_codes(source: &str) -> Option<BTreeSet<String>> {
    source
        .lines()
        .find_map(|line| line.trim().strip_prefix("// expect:"))
        .map(|codes| codes.split_whitespace().map(String::from).collect())
}

/// Parses, checks and renders a spec without colour, as a snapshot shows it.
pub fn rendered(name: &str, source: &str) -> (Analysis, String) {
    let analysis = driver::analyze(source);
    let file = SourceFile::new(name, source);
    let text = render::to_text(&file, &analysis.diagnostics, false);
    (analysis, text)
}

/// A small deterministic generator (xorshift64), so randomised tests reproduce.
pub struct XorShift(pub u64);

impl XorShift {
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}
