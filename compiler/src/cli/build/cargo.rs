//! Running `cargo build` in the cache: offline first (the registry is usually already
//! there), online when offline resolution fails; the binary's path from cargo's JSON
//! messages; progress lines passed through to stderr, and the tail of cargo's output
//! shown when the build fails.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Lines of cargo's output shown when a build fails.
const TAIL: usize = 60;

/// What to build.
pub struct Build<'a> {
    pub manifest: &'a Path,
    pub target_dir: &'a Path,
    pub package: &'a str,
    pub bin: &'a str,
    pub release: bool,
}

/// Builds the package; the absolute path of its binary.
pub fn build(build: &Build<'_>) -> Result<PathBuf, String> {
    match run(build, true) {
        Ok(path) => Ok(path),
        Err(failure) if failure.mentions_offline => {
            eprintln!("awmc: some dependencies are not downloaded yet; building online");
            run(build, false).map_err(|f| f.report)
        }
        Err(failure) => Err(failure.report),
    }
}

struct Failure {
    report: String,
    mentions_offline: bool,
}

fn run(build: &Build<'_>, offline: bool) -> Result<PathBuf, Failure> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(&cargo);
    command
        .arg("build")
        .arg("--manifest-path")
        .arg(build.manifest)
        .arg("--target-dir")
        .arg(build.target_dir)
        .args(["--package", build.package, "--bin", build.bin])
        .args(["--message-format", "json-render-diagnostics"]);
    if build.release {
        command.arg("--release");
    }
    if offline {
        command.arg("--offline");
    }
    // A jobserver inherited from a parent cargo (awmc run by `cargo run` or a test) names
    // file descriptors this process does not share: cargo must make its own.
    for variable in ["CARGO_MAKEFLAGS", "MAKEFLAGS", "MFLAGS"] {
        command.env_remove(variable);
    }
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Failure {
            report: format!("cannot run {}: {e}", Path::new(&cargo).display()),
            mentions_offline: false,
        })?;
    // stderr is read on a thread, stdout here, so neither pipe can fill up and block cargo.
    let stderr = child.stderr.take().map(|stderr| {
        std::thread::spawn(move || {
            let mut lines = Vec::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let trimmed = line.trim_start();
                if ["Compiling ", "Finished ", "Blocking ", "warning: "]
                    .iter()
                    .any(|p| trimmed.starts_with(p))
                {
                    eprintln!("{line}");
                }
                lines.push(line);
            }
            lines
        })
    });
    let mut executable = None;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(path) = artifact(&line, build.bin) {
                executable = Some(path);
            }
        }
    }
    let status = child.wait();
    let lines = stderr
        .and_then(|thread| thread.join().ok())
        .unwrap_or_default();
    let failed = |why: String| {
        let start = lines.len().saturating_sub(TAIL);
        Failure {
            report: format!(
                "{why}; the end of cargo's output:\n{}",
                lines[start..].join("\n")
            ),
            mentions_offline: offline && lines.iter().any(|l| l.contains("offline")),
        }
    };
    match status {
        Ok(status) if status.success() => {
            executable.ok_or_else(|| failed(format!("cargo built no binary `{}`", build.bin)))
        }
        Ok(status) => Err(failed(format!("cargo build failed ({status})"))),
        Err(error) => Err(failed(format!("cargo build failed: {error}"))),
    }
}

/// The executable of a `compiler-artifact` message for binary `bin`.
fn artifact(line: &str, bin: &str) -> Option<PathBuf> {
    let message: serde_json::Value = serde_json::from_str(line).ok()?;
    if message["reason"] != "compiler-artifact" || message["target"]["name"] != bin {
        return None;
    }
    message["executable"].as_str().map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::artifact;

    #[test]
    fn finds_the_binary_in_cargo_messages() {
        let line = r#"{"reason":"compiler-artifact","target":{"name":"shop","kind":["bin"]},"executable":"/c/target/release/shop"}"#;
        assert_eq!(
            artifact(line, "shop"),
            Some("/c/target/release/shop".into())
        );
        assert_eq!(artifact(line, "bank"), None);
        assert_eq!(artifact("   Compiling x", "shop"), None);
    }
}
