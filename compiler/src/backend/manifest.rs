//! The `Cargo.toml` of an environment's crate: inside a workspace that provides the
//! runtime (this repository's `generated/`, or awmc's build cache), or standalone with a
//! path dependency on the runtime.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::toml::quote;
use super::{bin_name, lib_name, package_name};

/// How a generated crate finds the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Manifest {
    /// A member of a workspace that declares `awm-runtime` in `[workspace.dependencies]`
    /// and the lints in `[workspace.lints]`: this repository, and awmc's build cache.
    Workspace,
    /// Its own workspace, with the runtime's folder as a path dependency.
    Standalone { runtime: PathBuf },
}

/// The lints of this repository, written into standalone crates (workspace members
/// inherit them).
const LINTS: &str = "[lints.rust]\nunsafe_code = \"forbid\"\n\n[lints.clippy]\nunwrap_used = \"deny\"\nexpect_used = \"deny\"\ndbg_macro = \"deny\"\ntodo = \"deny\"\n";

/// The manifest of environment `env`'s crate. Doc tests are off: documentation carries
/// the spec's descriptions, and a code fence in one must never become a test that runs.
pub(super) fn env_manifest(env: &str, header: &str, manifest: &Manifest) -> String {
    let mut text = format!("# {header}\n\n");
    package(&mut text, &package_name(env));
    let _ = write!(
        text,
        "[lib]\nname = {}\npath = \"src/lib.rs\"\ndoctest = false\n\n[[bin]]\nname = {}\npath = \"src/main.rs\"\n\n",
        quote(&lib_name(env)),
        quote(&bin_name(env)),
    );
    text.push_str("[dependencies]\n");
    dependencies_end(&mut text, manifest);
    text
}

/// `[package]`, shared by environment and host crates.
pub(super) fn package(text: &mut String, name: &str) {
    let _ = write!(
        text,
        "[package]\nname = {}\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n",
        quote(name)
    );
}

/// The runtime dependency (the last line of `[dependencies]`), then the lints and, for a
/// standalone crate, its own `[workspace]`.
pub(super) fn dependencies_end(text: &mut String, manifest: &Manifest) {
    match manifest {
        Manifest::Workspace => {
            text.push_str("awm-runtime.workspace = true\n\n[lints]\nworkspace = true\n");
        }
        Manifest::Standalone { runtime } => {
            let _ = write!(
                text,
                "awm-runtime = {{ path = {} }}\n\n{LINTS}\n[workspace]\n",
                quote(&runtime.to_string_lossy())
            );
        }
    }
}
