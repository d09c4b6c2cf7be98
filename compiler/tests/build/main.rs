//! `awmc build` end to end: the crates it writes, `--check` against them, and one real
//! build of a host binary that then serves.

mod check;
mod end_to_end;
// The serving tests' harness: spawning a server and talking HTTP to it (its Python
// client is not used here).
#[allow(dead_code)]
#[path = "../serve/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh scratch folder for one test, under cargo's target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("awmc-build-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

/// Runs `awmc build ARGS` in `cwd`, with the build cache shared by every test run.
pub fn awmc_build(cwd: &Path, args: &[&str]) -> Output {
    awmc_build_with(cwd, args, &[])
}

/// [`awmc_build`] with more environment variables.
pub fn awmc_build_with(cwd: &Path, args: &[&str], variables: &[(&str, &str)]) -> Output {
    Command::new(harness::awmc_path())
        .arg("build")
        .args(args)
        .current_dir(cwd)
        .envs(variables.iter().copied())
        .env(
            "AWMC_CACHE",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("awmc-build-cache"),
        )
        .output()
        .unwrap_or_else(|e| panic!("cannot run awmc build: {e}"))
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir`, relative, sorted, with its contents.
pub fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                let relative = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
                found.push((relative, bytes));
            }
        }
    }
    found.sort();
    found
}
