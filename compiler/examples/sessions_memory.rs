//! Memory per session: opens N sessions of a spec (default: 10,000 of shop.awm), each with
//! one call run, and reports the resident memory they take.
//! `cargo run --release -p awmc --example sessions_memory -- dsl-spec/examples/shop.awm 10000`

fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "dsl-spec/examples/shop.awm".to_string());
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let engine = match awmc::engine::Engine::from_source(&text) {
        Ok(engine) => engine,
        Err(errors) => {
            eprintln!("{path}: {errors:?}");
            std::process::exit(2);
        }
    };
    let tool = engine
        .ir
        .tools
        .first()
        .map(|t| t.spec.name.clone())
        .unwrap_or_default();
    let before = resident_bytes();
    let started = std::time::Instant::now();
    let mut sessions = Vec::with_capacity(count);
    for _ in 0..count {
        match engine.open_session() {
            Ok(session) => {
                let _ = engine.call_json(&session, &tool, &serde_json::json!({}));
                sessions.push(session);
            }
            Err(error) => {
                eprintln!("session {} failed: {}", sessions.len(), error.message);
                break;
            }
        }
    }
    let elapsed = started.elapsed();
    let after = resident_bytes();
    let per = (after.saturating_sub(before)) / sessions.len().max(1) as u64;
    println!(
        "{} sessions of {path} (seed image {} KiB): {:.2} GiB resident, {} KiB per session, opened in {:.2?} ({:.1} µs each)",
        sessions.len(),
        engine.image.bytes().len() / 1024,
        after.saturating_sub(before) as f64 / (1u64 << 30) as f64,
        per / 1024,
        elapsed,
        elapsed.as_micros() as f64 / sessions.len().max(1) as f64
    );
}
