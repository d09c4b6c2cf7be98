//! Check-time benchmarks: each example spec (target: an AWM-sized spec in under 5 ms),
//! 1,000 specs checked in bulk on all cores (target: under 10 s), and seed rows from data
//! files (20,000 rows of JSONL and CSV). Results go in BENCHMARKS.md.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use rayon::prelude::*;

/// The folder of the repository's specs in `folder`, where their data files are.
fn folder(folder: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(folder)
}

/// Analyses a spec of the repository, reading its data files from `dir`.
fn analyze(source: &str, dir: &Path) -> awmc::driver::Analysis {
    awmc::cli::inputs::analyze_in(source, Some(dir), &Default::default())
}

fn specs(folder_name: &str) -> Vec<(String, String)> {
    let dir = folder(folder_name);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
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
        .into_iter()
        .filter_map(|path| {
            let name = path.file_stem()?.to_string_lossy().into_owned();
            Some((name, std::fs::read_to_string(&path).ok()?))
        })
        .collect()
}

fn per_example(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    let awm_sized = include_str!("awm_sized.awm").to_string();
    let mut inputs = vec![("awm_sized".to_string(), awm_sized)];
    inputs.extend(specs("dsl-spec/examples"));
    let examples = folder("dsl-spec/examples");
    for (name, source) in inputs {
        group.bench_function(&name, |b| {
            b.iter(|| analyze(std::hint::black_box(&source), &examples))
        });
    }
    group.finish();
}

/// Whether a spec reads seed rows from data files (the retail example's 27,685 rows):
/// those are measured on their own, not repeated a thousand times in bulk.
fn reads_data_files(source: &str) -> bool {
    let (spec, _) = awmc::syntax::parse(source);
    awmc::data_files::paths(&spec).next().is_some()
}

fn bulk(c: &mut Criterion) {
    let examples: Vec<(String, String)> = specs("dsl-spec/examples")
        .into_iter()
        .filter(|(_, source)| !reads_data_files(source))
        .collect();
    let mut corpus = examples.clone();
    corpus.extend(specs("tests/specs/valid"));
    corpus.extend(specs("tests/specs/invalid"));
    corpus.retain(|(_, source)| !reads_data_files(source));
    if examples.is_empty() {
        return;
    }
    let repeat = |specs: &[(String, String)]| -> Vec<String> {
        specs
            .iter()
            .map(|(_, source)| source.clone())
            .cycle()
            .take(1000)
            .collect()
    };
    let mut group = c.benchmark_group("bulk");
    group.sample_size(10);
    // Every example, valid and invalid spec, repeated to 1,000 (mostly small specs).
    let mixed = repeat(&corpus);
    group.bench_function("1000_corpus_specs_parallel", |b| {
        b.iter(|| check_all(&mixed))
    });
    // Only full environments (the examples: 600 to 2,000 lines each), repeated to 1,000.
    let full = repeat(&examples);
    group.bench_function("1000_example_specs_parallel", |b| {
        b.iter(|| check_all(&full))
    });
    group.finish();
}

/// Checks every spec on all cores; returns how many were accepted. (Specs of the valid
/// and invalid corpora have no data files; the examples' are in their folder.)
fn check_all(specs: &[String]) -> usize {
    let examples = folder("dsl-spec/examples");
    specs
        .par_iter()
        .filter(|source| analyze(source, &examples).is_accepted())
        .count()
}

/// A spec whose seed rows come from data files: 2,000 users from CSV and 20,000 orders
/// from JSONL (a foreign key, a composite unique key, a check, an enum, a datetime and an
/// optional column per row), with the files' texts.
fn seed_file_spec() -> (String, awmc::data_files::DataFiles) {
    let spec = "env p {\n  clock: 2026-01-01T00:00:00Z\n}\n\
        enum status { pending, paid, shipped, delivered, cancelled }\n\
        table users {\n  id: int primary\n  email: text unique\n  name: text\n}\n\
        table orders {\n  id: int primary auto\n  user_id: int -> users.id\n  status: status = pending\n  \
        total: real check(total >= 0)\n  placed_at: datetime\n  note: text?\n  unique (user_id, placed_at)\n}\n\
        seed users from \"users.csv\"\nseed orders from \"orders.jsonl\"\n\
        tool count_orders() -> int \"How many orders.\" { return orders.count() }\n\
        tool count_users() -> int \"How many users.\" { return users.count() }\n";
    let mut users = String::from("id,email,name\n");
    for id in 1..=2000 {
        users.push_str(&format!("{id},user{id}@example.com,\"User {id}, Jr.\"\n"));
    }
    let statuses = ["pending", "paid", "shipped", "delivered", "cancelled"];
    let mut orders = String::new();
    for id in 1..=20_000u64 {
        let pick = id.wrapping_mul(2_654_435_761);
        let note = if id % 3 == 0 { "\"gift\"" } else { "null" };
        orders.push_str(&format!(
            "{{\"id\": {id}, \"user_id\": {}, \"status\": \"{}\", \"total\": {}.{:02}, \"placed_at\": \"2025-{:02}-{:02}T{:02}:{:02}:{:02}Z\", \"note\": {note}}}\n",
            1 + pick % 2000,
            statuses[(pick / 7 % 5) as usize],
            pick % 500,
            pick / 3 % 100,
            1 + pick / 11 % 12,
            1 + pick / 13 % 28,
            pick / 17 % 24,
            pick / 19 % 60,
            id % 60,
        ));
    }
    let mut files = awmc::data_files::DataFiles::none();
    files.insert("users.csv", Ok(users));
    files.insert("orders.jsonl", Ok(orders));
    (spec.to_string(), files)
}

fn seed_files(c: &mut Criterion) {
    let (source, files) = seed_file_spec();
    let (spec, _) = awmc::syntax::parse(&source);
    let checked = awmc::check::check_with(&spec, &files);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let mut group = c.benchmark_group("seed_files");
    group.sample_size(20);
    group.bench_function("check_22000_rows", |b| {
        b.iter(|| awmc::check::check_with(std::hint::black_box(&spec), &files))
    });
    group.bench_function("analyze_22000_rows", |b| {
        b.iter(|| awmc::driver::analyze_with(std::hint::black_box(&source), &files))
    });
    group.finish();
}

criterion_group!(benches, per_example, bulk, seed_files);
criterion_main!(benches);
