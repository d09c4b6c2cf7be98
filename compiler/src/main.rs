//! The `awmc` executable.

use clap::Parser as _;

fn main() {
    let cli = awmc::cli::Cli::parse();
    std::process::exit(awmc::cli::run(cli));
}
