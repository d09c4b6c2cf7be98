//! Keeping the build cache's size bounded in bulk use: every build marks the environment
//! crates it compiled, and afterwards the crates of the least recently built environments
//! beyond [`kept_envs`] (`$AWMC_KEEP_ENVS`, default [`KEPT_ENVS`]) are removed with their compiled artifacts (each costs megabytes:
//! a release rlib of ~4 MB, a binary of ~60 MB when built alone). The runtime and the
//! dependencies are never touched, so a pruned environment built again compiles only its
//! own crate. Artifacts are found through cargo's fingerprint folders
//! (`.fingerprint/awm-env-<env>-<hash>`): every file of that compilation unit carries the
//! same `<hash>`, and no other unit's does.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::cache::Cache;

/// How many environment crates the cache keeps by default (more when one build has more).
pub const KEPT_ENVS: usize = 256;

/// How many environment crates the cache keeps: `$AWMC_KEEP_ENVS`, else [`KEPT_ENVS`]
/// (also, with a warning, when the variable is not a number).
pub fn kept_envs() -> usize {
    let Some(value) = std::env::var_os("AWMC_KEEP_ENVS") else {
        return KEPT_ENVS;
    };
    match value.to_str().and_then(|n| n.trim().parse().ok()) {
        Some(n) => n,
        None => {
            eprintln!(
                "warning: AWMC_KEEP_ENVS must be a number of environments, like 256, not {value:?}; keeping {KEPT_ENVS}"
            );
            KEPT_ENVS
        }
    }
}

/// The marker whose modification time says when an environment crate was last built.
const MARKER: &str = ".awmc-built";

/// Marks the crate of `env` as built now.
pub fn mark_built(cache: &Cache, env: &str) -> Result<(), String> {
    let marker = cache.env_dir(env).join(MARKER);
    std::fs::write(&marker, b"").map_err(|e| format!("cannot write {}: {e}", marker.display()))
}

/// What pruning removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    pub envs: Vec<String>,
    pub files: usize,
}

/// Removes the crates and artifacts of all environments but the `keep` most recently
/// built ones, never those of `current` (the build that just ran). Failures leave files
/// behind, nothing worse.
pub fn prune(cache: &Cache, current: &[String], keep: usize) -> Pruned {
    let mut envs: Vec<(SystemTime, String)> = std::fs::read_dir(cache.dir.join("envs"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_string();
            let built = std::fs::metadata(entry.path().join(MARKER))
                .and_then(|m| m.modified())
                .unwrap_or(SystemTime::UNIX_EPOCH);
            Some((built, name))
        })
        .collect();
    envs.sort_by(|a, b| b.cmp(a));
    let mut pruned = Pruned::default();
    let mut kept = current.len();
    for (_, env) in envs {
        if current.contains(&env) {
            continue;
        }
        if kept < keep {
            kept += 1;
            continue;
        }
        pruned.files += remove_artifacts(&cache.target_dir(), &env);
        if std::fs::remove_dir_all(cache.env_dir(&env)).is_ok() {
            pruned.envs.push(env);
        }
    }
    pruned
}

/// Removes the compiled artifacts of environment `env`'s crate from every profile folder
/// of `target`; how many files and folders went.
fn remove_artifacts(target: &Path, env: &str) -> usize {
    let package = crate::backend::package_name(env);
    let bin = crate::backend::bin_name(env);
    let mut removed = 0;
    for profile in ["debug", "release"] {
        let dir = target.join(profile);
        let fingerprints = dir.join(".fingerprint");
        let hashes: Vec<String> = entries(&fingerprints)
            .filter_map(|(name, _)| unit_hash(&name, &package).map(str::to_string))
            .collect();
        for hash in &hashes {
            let unit = fingerprints.join(format!("{package}-{hash}"));
            removed += usize::from(std::fs::remove_dir_all(unit).is_ok());
            for (name, path) in entries(&dir.join("deps")) {
                if carries_hash(&name, hash) {
                    removed += usize::from(std::fs::remove_file(path).is_ok());
                }
            }
        }
        // The binary cargo copied up for a build of this environment alone.
        for name in [bin.clone(), format!("{bin}.d")] {
            removed += usize::from(std::fs::remove_file(dir.join(name)).is_ok());
        }
        // Incremental state (debug builds): `<crate>-<hash>` folders of the library and
        // the binary; no dependency is compiled incrementally.
        let crates = [crate::backend::lib_name(env), bin.clone()];
        for (name, path) in entries(&dir.join("incremental")) {
            if crates.iter().any(|c| unit_hash(&name, c).is_some()) {
                removed += usize::from(std::fs::remove_dir_all(path).is_ok());
            }
        }
    }
    removed
}

/// The entries of a folder by name (none when it cannot be read).
fn entries(dir: &Path) -> impl Iterator<Item = (String, PathBuf)> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|entry| Some((entry.file_name().to_str()?.to_string(), entry.path())))
}

/// `hash` of a name `<unit>-<hash>` whose unit is exactly `unit` (cargo's hashes are
/// lowercase hex or base-36 letters and digits, never `-` or `_`).
fn unit_hash<'a>(name: &'a str, unit: &str) -> Option<&'a str> {
    let hash = name.strip_prefix(unit)?.strip_prefix('-')?;
    (!hash.is_empty() && hash.chars().all(|c| c.is_ascii_alphanumeric())).then_some(hash)
}

/// Whether a file of `deps/` belongs to the unit with `hash`: `<name>-<hash>` with an
/// optional extension (`.d`, `.rlib`, `.rmeta`).
fn carries_hash(name: &str, hash: &str) -> bool {
    let stem = name.split_once('.').map_or(name, |(stem, _)| stem);
    stem.strip_suffix(hash)
        .is_some_and(|rest| rest.ends_with('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, b"x").unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn names_of_units_and_their_files() {
        assert_eq!(
            unit_hash("awm-env-shop-3f0cde7a0111adb6", "awm-env-shop"),
            Some("3f0cde7a0111adb6")
        );
        assert_eq!(
            unit_hash("awm-env-shop_2-3f0cde7a0111adb6", "awm-env-shop"),
            None
        );
        assert_eq!(unit_hash("awm-env-shop-3f0c-de7a", "awm-env-shop"), None);
        assert!(carries_hash(
            "libawm_env_shop-3f0cde7a0111adb6.rlib",
            "3f0cde7a0111adb6"
        ));
        assert!(carries_hash("shop-3f0cde7a0111adb6", "3f0cde7a0111adb6"));
        assert!(!carries_hash(
            "serde-3f0cde7a0111adb7.d",
            "3f0cde7a0111adb6"
        ));
        assert!(!carries_hash("x3f0cde7a0111adb6", "3f0cde7a0111adb6"));
    }

    #[test]
    fn prunes_the_least_recently_built_envs_and_only_their_artifacts() {
        let dir = std::env::temp_dir().join(format!("awmc-prune-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let cache = Cache::open(dir.clone()).unwrap_or_else(|e| panic!("{e}"));
        let release = cache.target_dir().join("release");
        // Three environments built one after the other, and a dependency named like one.
        for (n, env) in ["old", "mid", "new"].into_iter().enumerate() {
            touch(&cache.env_dir(env).join("src/lib.rs"));
            mark_built(&cache, env).unwrap_or_else(|e| panic!("{e}"));
            let marker = cache.env_dir(env).join(MARKER);
            let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000 + n as u64);
            std::fs::File::options()
                .write(true)
                .open(&marker)
                .and_then(|f| f.set_modified(time))
                .unwrap_or_else(|e| panic!("{e}"));
            let hash = format!("{n:016x}");
            touch(&release.join(format!(
                ".fingerprint/awm-env-{env}-{hash}/lib-awm_env_{env}"
            )));
            touch(&release.join(format!("deps/libawm_env_{env}-{hash}.rlib")));
            touch(&release.join(format!("deps/awm_env_{env}-{hash}.d")));
            touch(&release.join(format!("deps/{env}-{hash}")));
            touch(&release.join(env));
        }
        touch(&release.join(".fingerprint/old-00000000000000ff/lib-old"));
        touch(&release.join("deps/libold-00000000000000ff.rlib"));

        // Keep two: "new" (the current build) and "mid"; "old" goes.
        let pruned = prune(&cache, &["new".to_string()], 2);
        assert_eq!(pruned.envs, ["old"]);
        assert_eq!(pruned.files, 5, "{pruned:?}");
        assert!(!cache.env_dir("old").exists());
        assert!(
            !release
                .join("deps/libawm_env_old-0000000000000000.rlib")
                .exists()
        );
        assert!(!release.join("old").exists());
        // The dependency named `old` and the other environments are untouched.
        assert!(release.join("deps/libold-00000000000000ff.rlib").exists());
        assert!(release.join(".fingerprint/old-00000000000000ff").exists());
        for env in ["mid", "new"] {
            assert!(cache.env_dir(env).exists(), "{env}");
        }
        assert!(
            release
                .join("deps/libawm_env_mid-0000000000000001.rlib")
                .exists()
        );

        // A build larger than the limit keeps all of its own.
        let current = ["mid".to_string(), "new".to_string()];
        assert_eq!(prune(&cache, &current, 1), Pruned::default());
        drop(cache);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
