//! Shared helpers of the end-to-end tests: where the corpora are, and how a spec's
//! diagnostics are summarised and rendered for snapshots.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use awmc::diagnostic::render::{self, SourceFile};
use awmc::driver::Analysis;

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

/// Parses and checks the spec at `path` (whose text is `source`), reading its data files
/// (`seed t from "…"`) from the spec's folder, as `awmc check` does.
pub fn analyze(path: &Path, source: &str) -> Analysis {
    awmc::cli::inputs::analyze_in(
        source,
        Some(&awmc::cli::inputs::spec_dir(path)),
        &Default::default(),
    )
}

/// Checks, lowers and loads the spec at `path` with its data files, as `awmc run` does.
pub fn engine(path: &Path) -> Result<awmc::engine::Engine, Vec<String>> {
    awmc::cli::inputs::load_engine(path)
}

/// Parses, checks and renders the spec at `path` without colour, as a snapshot shows it
/// (`name` is how the rendering names it).
pub fn rendered(name: &str, path: &Path, source: &str) -> (Analysis, String) {
    let analysis = analyze(path, source);
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

/// A plausible argument for a parameter: mostly valid values near the seed data, sometimes
/// hostile ones.
pub fn argument(kind: &awm_runtime::ColumnKind, pick: u64) -> serde_json::Value {
    let texts = [
        "",
        "a",
        "Laptops",
        "TECH15",
        "Home",
        "x'); DROP TABLE t; --",
        "{me.id}",
        "é中文",
        "   ",
    ];
    match (kind, pick % 10) {
        (_, 9) => serde_json::json!(null),
        (_, 8) => serde_json::json!("not the right type"),
        (awm_runtime::ColumnKind::Int, n) => {
            serde_json::json!((pick / 10 % 12) as i64 - i64::from(n == 7))
        }
        (awm_runtime::ColumnKind::Real, _) => serde_json::json!((pick % 5000) as f64 / 10.0),
        (awm_runtime::ColumnKind::Bool, _) => serde_json::json!(pick.is_multiple_of(2)),
        (awm_runtime::ColumnKind::Text, _) => {
            serde_json::json!(texts[(pick / 10) as usize % texts.len()])
        }
        (awm_runtime::ColumnKind::DateTime, _) => {
            serde_json::json!(format!("2026-03-{:02}T10:00:00Z", 1 + pick % 28))
        }
        (awm_runtime::ColumnKind::Date, _) => {
            serde_json::json!(format!("2026-04-{:02}", 1 + pick % 28))
        }
        (awm_runtime::ColumnKind::Enum(members), _) => {
            serde_json::json!(members[(pick / 10) as usize % members.len().max(1)])
        }
    }
}

/// Arguments for a call of `tool`, chosen by `pick`: optional parameters sometimes left
/// out, values mostly plausible and sometimes hostile ([`argument`]).
pub fn arguments(tool: &awm_runtime::args::ToolSpec, pick: u64) -> serde_json::Value {
    let mut args = serde_json::Map::new();
    for (i, param) in tool.params.iter().enumerate() {
        if (pick >> (i % 60)) & 3 == 0 || param.is_required() {
            let value = argument(
                &param.kind,
                pick.wrapping_mul(31).wrapping_add(i as u64 * 7919),
            );
            let value = if param.list {
                serde_json::Value::Array(vec![value])
            } else {
                value
            };
            args.insert(param.name.clone(), value);
        }
    }
    serde_json::Value::Object(args)
}
