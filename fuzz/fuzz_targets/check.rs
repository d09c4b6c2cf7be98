//! Fuzz target: any bytes, parsed and checked, must never panic or hang; an accepted spec
//! must also lower and generate its native crate without panicking.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let analysis = awmc::driver::analyze(&text);
    // Rendering must cope with every span the checker produced.
    let file = awmc::diagnostic::render::SourceFile::new("fuzz.awm", &text);
    let _ = awmc::diagnostic::render::to_text(&file, &analysis.diagnostics, false);
    if analysis.is_accepted() {
        let ir = awmc::lower::lower(&analysis.spec, &analysis.checked, &text);
        let _ = awmc::backend::generate(&ir, &awmc::backend::Manifest::Workspace);
    }
});
