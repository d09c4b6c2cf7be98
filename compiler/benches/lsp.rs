//! What `awmc lsp` does on every change of a document: analyse the new text (parse, check,
//! and task proofs when it is clean) and turn the diagnostics into LSP values.

use criterion::{Criterion, criterion_group, criterion_main};

use awmc::lsp::diagnostics::to_lsp;
use awmc::lsp::document::{Document, Encoding};

fn publish(text: &str) -> usize {
    let mut document = Document::new(text.to_string(), 1);
    let uri: lsp_types::Uri = "file:///bench/spec.awm"
        .parse()
        .unwrap_or_else(|_| unreachable!());
    let found = document.analysis().diagnostics.clone();
    let converted: Vec<_> = found
        .iter()
        .map(|d| to_lsp(d, &document, &uri, Encoding::Utf16))
        .collect();
    serde_json::to_string(&converted).map_or(0, |s| s.len())
}

fn diagnostics(c: &mut Criterion) {
    let clean = include_str!("awm_sized.awm");
    let broken = clean.replacen("stock_quantity >=", "stok_quantity >=", 1);
    let mut group = c.benchmark_group("lsp_change");
    group.bench_function("awm_sized_clean_with_proofs", |b| b.iter(|| publish(clean)));
    group.bench_function("awm_sized_one_error", |b| b.iter(|| publish(&broken)));
    group.finish();
}

criterion_group!(benches, diagnostics);
criterion_main!(benches);
