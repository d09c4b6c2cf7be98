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
    for (name, source) in specs("dsl-spec/examples") {
        group.bench_function(&name, |b| {
            b.iter(|| awmc::driver::analyze(std::hint::black_box(&source)))
        });
    }
    group.finish();
}

fn bulk(c: &mut Criterion) {
    let mut corpus = specs("dsl-spec/examples");
    corpus.extend(specs("tests/specs/valid"));
    corpus.extend(specs("tests/specs/invalid"));
    if corpus.is_empty() {
        return;
    }
    let thousand: Vec<&String> = corpus
        .iter()
        .map(|(_, source)| source)
        .cycle()
        .take(1000)
        .collect();
    let mut group = c.benchmark_group("bulk");
    group.sample_size(10);
    group.bench_function("1000_specs_parallel", |b| {
        b.iter(|| {
            thousand
                .par_iter()
                .map(|source| awmc::driver::analyze(source).is_accepted())
                .filter(|ok| *ok)
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, per_example, bulk);
criterion_main!(benches);
