//! Profiles lowering alone: `cargo run --release --example lower_only -- SPEC`.
fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let (spec, _) = awmc::syntax::parse(&text);
    let checked = awmc::check::check(&spec);
    let started = std::time::Instant::now();
    for _ in 0..200 {
        std::hint::black_box(awmc::lower::lower(&spec, &checked, &text));
    }
    println!("lower: {} µs", started.elapsed().as_micros() / 200);
}
