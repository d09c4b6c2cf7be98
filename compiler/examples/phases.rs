//! Times the phases of `awmc check` on one spec: parse, reading its data files, check,
//! lower, seed image, proofs. `RUNS` sets the number of runs (default 50).
use std::time::Instant;

fn main() {
    let path = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_default());
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let dir = awmc::cli::inputs::spec_dir(&path);
    let runs: u128 = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(50);
    let mut times = [0u128; 6];
    for _ in 0..runs {
        let t = Instant::now();
        let (spec, _) = awmc::syntax::parse(&text);
        times[0] += t.elapsed().as_micros();
        let t = Instant::now();
        let files = awmc::data_files::DataFiles::load(&spec, &|relative| {
            awmc::cli::inputs::read_data_file(&dir, relative)
        });
        times[5] += t.elapsed().as_micros();
        let t = Instant::now();
        let checked = awmc::check::check_with(&spec, &files);
        times[1] += t.elapsed().as_micros();
        let t = Instant::now();
        let ir = awmc::lower::lower(&spec, &checked, &text);
        times[2] += t.elapsed().as_micros();
        let t = Instant::now();
        let engine = awmc::engine::Engine::new(ir);
        times[3] += t.elapsed().as_micros();
        drop(engine);
        let t = Instant::now();
        let found = awmc::prove::prove(&spec, &checked, &text, Default::default());
        times[4] += t.elapsed().as_micros();
        assert!(found.is_empty() || runs > 0);
    }
    let names = [
        "parse",
        "check",
        "lower",
        "seed image",
        "prove (lower + image + tasks)",
        "read data files",
    ];
    for (name, total) in names.iter().zip(times) {
        println!("{name:32} {:>8} µs", total / runs);
    }
}
