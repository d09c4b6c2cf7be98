//! Times the phases of `awmc check` on one spec: parse, check, lower, seed image, proofs.
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let runs = 50;
    let mut times = [0u128; 5];
    for _ in 0..runs {
        let t = Instant::now();
        let (spec, _) = awmc::syntax::parse(&text);
        times[0] += t.elapsed().as_micros();
        let t = Instant::now();
        let checked = awmc::check::check(&spec);
        times[1] += t.elapsed().as_micros();
        let t = Instant::now();
        let ir = awmc::lower::lower(&spec, &checked, &text);
        times[2] += t.elapsed().as_micros();
        let t = Instant::now();
        let engine = awmc::engine::Engine::new(ir);
        times[3] += t.elapsed().as_micros();
        drop(engine);
        let t = Instant::now();
        let found = awmc::prove::prove(&spec, &checked, &text);
        times[4] += t.elapsed().as_micros();
        assert!(found.is_empty() || runs > 0);
    }
    let names = [
        "parse",
        "check",
        "lower",
        "seed image",
        "prove (lower + image + tasks)",
    ];
    for (name, total) in names.iter().zip(times) {
        println!("{name:32} {:>8} µs", total / runs);
    }
}
