//! Check-time benchmarks: each example spec (target: an AWM-sized spec in under 5 ms), and
//! 1,000 specs checked in bulk on all cores (target: under 10 s). Results go in
//! BENCHMARKS.md.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use rayon::prelude::*;

fn specs(folder: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(folder);
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
    for (name, source) in inputs {
        group.bench_function(&name, |b| {
            b.iter(|| awmc::driver::analyze(std::hint::black_box(&source)))
        });
    }
    group.finish();
}

fn bulk(c: &mut Criterion) {
    let examples = specs("dsl-spec/examples");
    let mut corpus = examples.clone();
    corpus.extend(specs("tests/specs/valid"));
    corpus.extend(specs("tests/specs/invalid"));
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

/// Checks every spec on all cores; returns how many were accepted.
fn check_all(specs: &[String]) -> usize {
    specs
        .par_iter()
        .filter(|source| awmc::driver::analyze(source).is_accepted())
        .count()
}

criterion_group!(benches, per_example, bulk);
criterion_main!(benches);
