//! The build cache: one persistent cargo workspace (`$AWMC_CACHE`, else
//! `$XDG_CACHE_HOME/awmc`, else `~/.cache/awmc`) where every `awmc build` compiles, so
//! the runtime and the dependencies are compiled once and reused by every later build.
//!
//! Its root manifest has this repository's profiles and lints and declares the runtime
//! (by path, into the repository awmc was built from) as a workspace dependency; generated
//! crates are copied into `envs/<env>/` and the host crate into `host/`, as members; one
//! target directory holds everything. The members are the crates of the current build
//! only, so a stale crate in `envs/` never takes part. Each built binary is linked to
//! `bin/<name>-<key>` (the path `awmc build` prints), where no later build overwrites it. The repository's `Cargo.lock`
//! seeds the workspace's, so the dependency versions are the ones the repository tested.

use std::fmt::Write as _;
use std::fs::File;
use std::path::{Path, PathBuf};

use crate::backend::toml_string;

/// This repository's root manifest, for its `[profile.*]` and `[workspace.lints.*]`.
const REPOSITORY_MANIFEST: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml"));
/// This repository's lock file.
const REPOSITORY_LOCK: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock"));

/// The repository awmc was built from (the runtime's sources live there).
pub fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The runtime's folder: `$AWMC_RUNTIME`, else `runtime/` of the repository awmc was
/// built from; an error when it is not there.
pub fn runtime_dir() -> Result<PathBuf, String> {
    let dir = match std::env::var_os("AWMC_RUNTIME") {
        Some(dir) => PathBuf::from(dir),
        None => repository().join("runtime"),
    };
    match dir.join("Cargo.toml").canonicalize() {
        Ok(manifest) => Ok(manifest.parent().map(Path::to_path_buf).unwrap_or(dir)),
        Err(_) => Err(format!(
            "the runtime's sources are not at {} (awmc builds against the repository it was \
             installed from; set AWMC_RUNTIME to the `runtime` folder of a checkout)",
            dir.display()
        )),
    }
}

/// The cache folder (not created).
pub fn cache_dir() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("AWMC_CACHE").filter(|d| !d.is_empty()) {
        return Ok(super::disk::resolve(Path::new(&dir)));
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir).join("awmc"));
    }
    match std::env::var_os("HOME").filter(|d| !d.is_empty()) {
        Some(home) => Ok(PathBuf::from(home).join(".cache").join("awmc")),
        None => Err("no cache folder: set AWMC_CACHE (or HOME)".to_string()),
    }
}

/// The cache, locked for one build: concurrent `awmc build`s wait for each other here
/// (cargo would serialise their compilations anyway; the lock also keeps one build from
/// rewriting crates another is compiling).
pub struct Cache {
    pub dir: PathBuf,
    _lock: File,
}

impl Cache {
    pub fn open(dir: PathBuf) -> Result<Cache, String> {
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create the build cache {}: {e}", dir.display()))?;
        let path = dir.join(".awmc-lock");
        let lock = File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        if lock.try_lock().is_err() {
            eprintln!(
                "awmc: waiting for another awmc build using {}",
                dir.display()
            );
            lock.lock()
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(Cache { dir, _lock: lock })
    }

    pub fn env_dir(&self, env: &str) -> PathBuf {
        self.dir.join("envs").join(env)
    }

    pub fn host_dir(&self) -> PathBuf {
        self.dir.join("host")
    }

    pub fn target_dir(&self) -> PathBuf {
        self.dir.join("target")
    }

    pub fn manifest(&self) -> PathBuf {
        self.dir.join("Cargo.toml")
    }

    /// Links (or, across file systems, copies) a binary cargo built to
    /// `bin/<name>-<key>` and returns that path, which no later build overwrites: cargo
    /// rewrites `target/*/<name>` on every build of a crate of that name, but the linker
    /// writes a new file rather than into the old one (the end-to-end build test checks
    /// that an older binary stays byte-identical), so the link keeps the old contents.
    /// `key` names what was built. Only the [`KEPT_BINARIES`] most recent binaries are
    /// kept. The link goes through a temporary name and a rename, so a server still
    /// running from an older binary of the same key is never touched.
    pub fn keep(&self, binary: &Path, name: &str, key: &str) -> Result<PathBuf, String> {
        let bin = self.dir.join("bin");
        std::fs::create_dir_all(&bin)
            .map_err(|e| format!("cannot create {}: {e}", bin.display()))?;
        let kept = bin.join(format!("{name}-{key}"));
        let partial = bin.join(format!(".{name}-{key}.{}", std::process::id()));
        let _ = std::fs::remove_file(&partial);
        std::fs::hard_link(binary, &partial)
            .or_else(|_| std::fs::copy(binary, &partial).map(|_| ()))
            .and_then(|()| touch(&partial))
            .and_then(|()| std::fs::rename(&partial, &kept))
            .map_err(|e| {
                let _ = std::fs::remove_file(&partial);
                format!(
                    "cannot keep the binary {} as {}: {e} (is the build cache writable?)",
                    binary.display(),
                    kept.display()
                )
            })?;
        prune(&bin, &kept);
        Ok(kept)
    }

    /// Writes the root manifest (members: `members`, relative to the cache) and, when the
    /// repository's lock file is new to the cache, seeds the cache's lock with it.
    pub fn prepare(&self, runtime: &Path, members: &[String]) -> Result<(), String> {
        let manifest = root_manifest(runtime, members)?;
        write_if_changed(&self.manifest(), &manifest)?;
        let seed = self.dir.join("Cargo.lock.seed");
        let lock = self.dir.join("Cargo.lock");
        let seeded = std::fs::read_to_string(&seed).is_ok_and(|s| s == REPOSITORY_LOCK);
        if !seeded || !lock.exists() {
            write_if_changed(&lock, REPOSITORY_LOCK)?;
            write_if_changed(&seed, REPOSITORY_LOCK)?;
        }
        Ok(())
    }
}

/// Marks a file as just written (a hard link shares the mtime of cargo's file), so
/// pruning sees it as the most recent.
fn touch(path: &Path) -> std::io::Result<()> {
    File::options()
        .write(true)
        .open(path)?
        .set_modified(std::time::SystemTime::now())
}

/// How many built binaries `bin/` keeps.
pub const KEPT_BINARIES: usize = 32;

/// Removes all but the [`KEPT_BINARIES`] most recently written binaries of `bin/` (never
/// `keep`); failures leave files behind, nothing worse.
fn prune(bin: &Path, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(bin) else {
        return;
    };
    let mut binaries: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|entry| !entry.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|entry| {
            let modified = entry.metadata().and_then(|m| m.modified()).ok()?;
            Some((modified, entry.path()))
        })
        .collect();
    binaries.sort_by_key(|binary| std::cmp::Reverse(binary.0));
    for (_, path) in binaries.into_iter().skip(KEPT_BINARIES) {
        if path != keep {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The cache's root manifest.
fn root_manifest(runtime: &Path, members: &[String]) -> Result<String, String> {
    let path = |p: &Path| {
        p.to_str().map(toml_string).ok_or_else(|| {
            format!(
                "the path {} is not UTF-8; cargo manifests need UTF-8",
                p.display()
            )
        })
    };
    let stdlib = runtime.parent().unwrap_or(runtime).join("stdlib");
    let mut text = String::from(
        "# written by awmc build: the workspace every build compiles in (see awmc's ARCHITECTURE.md)\n\n[workspace]\nresolver = \"3\"\nmembers = [",
    );
    for (index, member) in members.iter().enumerate() {
        let separator = if index == 0 { "" } else { ", " };
        let _ = write!(text, "{separator}{}", toml_string(member));
    }
    let _ = write!(
        text,
        "]\n\n[workspace.dependencies]\nawm-runtime = {{ path = {} }}\nawm-stdlib = {{ path = {} }}\n",
        path(runtime)?,
        path(&stdlib)?
    );
    for section in sections(REPOSITORY_MANIFEST, |header| {
        header.starts_with("[profile") || header.starts_with("[workspace.lints")
    }) {
        text.push('\n');
        text.push_str(&section);
    }
    Ok(text)
}

/// The sections of a TOML file whose header line passes `keep`, each with its header.
fn sections(toml: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let mut kept = Vec::new();
    let mut current: Option<String> = None;
    for line in toml.lines() {
        if line.starts_with('[') {
            kept.extend(current.take());
            if keep(line.trim()) {
                current = Some(String::new());
            }
        }
        if let Some(section) = current.as_mut() {
            section.push_str(line);
            section.push('\n');
        }
    }
    kept.extend(current);
    kept.into_iter()
        .map(|s| s.trim_end().to_string() + "\n")
        .collect()
}

/// Writes `text` unless the file already holds it (cargo rebuilds by modification time).
pub fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read(path).is_ok_and(|bytes| bytes == text.as_bytes()) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_manifest_has_the_repository_profiles_and_lints() {
        let text =
            root_manifest(Path::new("/r/runtime"), &["envs/a".to_string()]).unwrap_or_default();
        assert!(text.contains("members = [\"envs/a\"]"), "{text}");
        assert!(
            text.contains("awm-runtime = { path = \"/r/runtime\" }"),
            "{text}"
        );
        assert!(
            text.contains("awm-stdlib = { path = \"/r/stdlib\" }"),
            "{text}"
        );
        assert!(text.contains("[profile.release]"), "{text}");
        assert!(text.contains("[workspace.lints.clippy]"), "{text}");
        assert!(!text.contains("[workspace.package]"), "{text}");
    }

    #[test]
    fn keeping_a_binary_keeps_the_most_recent_ones_only() {
        let dir = std::env::temp_dir().join(format!("awmc-cache-keep-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (bin, built) = (dir.join("bin"), dir.join("built"));
        std::fs::create_dir_all(&bin).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&built, "new binary").unwrap_or_else(|e| panic!("{e}"));
        // Older binaries, the oldest first.
        let epoch = std::time::SystemTime::UNIX_EPOCH;
        for n in 0..KEPT_BINARIES + 3 {
            let path = bin.join(format!("old-{n:02}"));
            let file = File::create(&path).unwrap_or_else(|e| panic!("{e}"));
            let age = std::time::Duration::from_secs(1_000_000 + n as u64);
            file.set_modified(epoch + age)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let cache = Cache::open(dir.clone()).unwrap_or_else(|e| panic!("{e}"));
        let kept = cache
            .keep(&built, "shop", "0123456789abcdef")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kept, bin.join("shop-0123456789abcdef"));
        assert_eq!(
            std::fs::read_to_string(&kept).ok().as_deref(),
            Some("new binary")
        );
        let mut left: Vec<String> = std::fs::read_dir(&bin)
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left.len(), KEPT_BINARIES, "{left:?}");
        // The four oldest went; the new one stayed.
        assert!(
            !left
                .iter()
                .any(|n| ["old-00", "old-01", "old-02", "old-03"].contains(&n.as_str())),
            "{left:?}"
        );
        assert!(left.contains(&"shop-0123456789abcdef".to_string()));
        drop(cache);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
