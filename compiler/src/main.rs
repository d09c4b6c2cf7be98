//! The `awmc` executable.

use clap::Parser as _;

/// Serving allocates small JSON values on every request; mimalloc makes that a fifth
/// cheaper than the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Worker threads get the main thread's stack size rather than the default 2 MiB, so
    // no spec the parser accepts can come near the end of a stack.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(8 << 20)
        .build_global();
    let cli = awmc::cli::Cli::parse();
    std::process::exit(awmc::cli::run(cli));
}
