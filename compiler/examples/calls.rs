//! Counts pest's combinator calls for one parse (binary search on the call limit).
use pest::Parser as _;
fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let (mut low, mut high) = (1usize, 100_000_000usize);
    while low < high {
        let mid = (low + high) / 2;
        pest::set_call_limit(std::num::NonZeroUsize::new(mid));
        let ok = awmc::syntax::grammar::AwmParser::parse(awmc::syntax::grammar::Rule::file, &text)
            .is_ok();
        if ok { high = mid } else { low = mid + 1 }
    }
    println!(
        "{low} calls for {} bytes ({:.1} per byte)",
        text.len(),
        low as f64 / text.len() as f64
    );
}
