//! Profiling helper: parses (and optionally checks) one spec many times.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_default();
    let mode = args.next().unwrap_or_default();
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let (spec, _) = awmc::syntax::parse(&text);
    let started = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..200 {
        if mode == "lower" {
            let checked = awmc::check::check(&spec);
            n += awmc::lower::lower(&spec, &checked, &text).tools.len();
        } else if mode == "prove" {
            let checked = awmc::check::check(&spec);
            n += awmc::prove::prove(&spec, &checked, &text, Default::default()).len();
        } else if mode == "check" {
            n += awmc::check::check(&spec).diagnostics.len();
        } else if mode == "pest" {
            use pest::Parser as _;
            n += awmc::syntax::grammar::AwmParser::parse(awmc::syntax::grammar::Rule::file, &text)
                .map_or(0, |p| p.count());
        } else if mode == "parse" {
            n += awmc::syntax::parse(&text).1.len();
        } else {
            n += awmc::driver::analyze(&text).diagnostics.len();
        }
    }
    println!(
        "{n} {:?} per run, {} lines",
        started.elapsed() / 200,
        text.lines().count()
    );
}
