//! The one test that runs cargo: a folder with two examples, a rejected spec and a second
//! spec of one environment builds a host binary serving the two (exit 1 for the skipped
//! ones); then one spec alone builds its own binary on the warm cache. Debug builds, in
//! a cache shared by every run under the target directory (cold: a minute or two).

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::harness::{Server, root};
use crate::{awmc_build, awmc_build_with, scratch, text};

fn served_envs(server: &Server) -> Vec<String> {
    let (status, body) = server.json("GET", "/envs", None);
    assert_eq!(status, 200, "{body}");
    let mut names: Vec<String> = body["envs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["name"].as_str().map(str::to_string))
        .collect();
    names.sort();
    names
}

fn initialize(server: &Server, path: &str) -> Value {
    let (status, reply) = server.mcp(
        path,
        &json!({
            "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {
                "protocolVersion": "2025-03-26",
                "capabilities": {},
                "clientInfo": { "name": "awmc-build-test", "version": "0" }
            }
        }),
    );
    assert_eq!(status, 200, "{reply}");
    reply
}

#[test]
fn bulk_builds_the_accepted_specs_into_one_serving_host_then_one_spec_alone() {
    let dir = scratch("end-to-end");
    let specs = dir.join("specs");
    std::fs::create_dir_all(&specs).unwrap_or_else(|e| panic!("{e}"));
    for example in ["shop", "bank"] {
        let from = root().join(format!("dsl-spec/examples/{example}.awm"));
        std::fs::copy(&from, specs.join(format!("{example}.awm")))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::copy(specs.join("shop.awm"), specs.join("shop_again.awm"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(specs.join("broken.awm"), "env broken { nope }\n")
        .unwrap_or_else(|e| panic!("{e}"));

    let output = awmc_build(&dir, &["specs", "--debug", "--json"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let lines: Vec<Value> = text(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    let status = |spec: &str| {
        lines
            .iter()
            .find(|l| l["spec"] == format!("specs/{spec}.awm"))
            .map(|l| (l["status"].clone(), l.get("skipped").is_some()))
    };
    assert_eq!(status("broken"), Some(("rejected".into(), false)));
    assert_eq!(status("shop"), Some(("accepted".into(), false)));
    assert_eq!(status("shop_again"), Some(("accepted".into(), true)));
    let built = lines.last().cloned().unwrap_or_default();
    assert_eq!(built["envs"], json!(["bank", "shop"]), "{stderr}");
    let binary = built["binary"].as_str().unwrap_or_default().to_string();
    assert!(
        std::path::Path::new(&binary).is_absolute(),
        "{binary:?}\n{stderr}"
    );
    assert!(dir.join("generated/shop/src/lib.rs").is_file());
    assert!(!dir.join("generated/broken").exists());

    let host = Server::spawn(Command::new(&binary));
    assert_eq!(served_envs(&host), ["bank", "shop"]);
    let reply = initialize(&host, "/envs/bank/mcp");
    assert!(reply["result"]["serverInfo"].is_object(), "{reply}");
    drop(host);

    // One spec: its own binary, named after the environment (`bin/shop-<key>` in the
    // cache). The cache is warm now: the
    // runtime is not compiled again.
    let shop = root().join("dsl-spec/examples/shop.awm");
    let output = awmc_build(
        &dir,
        &[&shop.to_string_lossy(), "--debug", "--out", "single"],
    );
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("Compiling awm-runtime"), "{stderr}");
    let binary = text(&output.stdout).trim().to_string();
    let file_name = std::path::Path::new(&binary)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    assert!(file_name.starts_with("shop-"), "{binary}");
    let server = Server::spawn(Command::new(&binary));
    assert_eq!(served_envs(&server), ["shop"]);
    let reply = initialize(&server, "/mcp");
    assert!(reply["result"].is_object(), "{reply}");
    drop(server);

    // A changed spec of the same environment gets a binary of its own: the first one is
    // still there, unchanged, and a rebuild of the same spec prints the same path.
    let before = std::fs::read(&binary).unwrap_or_else(|e| panic!("{e}"));
    let changed = dir.join("shop_changed.awm");
    let source = std::fs::read_to_string(&shop).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        &changed,
        source.replacen("Online Shop", "Online Shop (changed)", 1),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let output = awmc_build(
        &dir,
        &[&changed.to_string_lossy(), "--debug", "--out", "changed"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let other = text(&output.stdout).trim().to_string();
    assert_ne!(other, binary);
    assert!(
        std::fs::read(&binary).is_ok_and(|now| now == before),
        "{binary} changed"
    );
    let output = awmc_build(
        &dir,
        &[&shop.to_string_lossy(), "--debug", "--out", "single"],
    );
    assert_eq!(text(&output.stdout).trim(), binary);

    // Keeping one environment, a build of the shop removes the bank's crate and its
    // compiled artifacts from the cache; cargo still builds both afterwards, compiling only
    // the bank again (not the runtime), and the host serves both.
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("awmc-build-cache");
    let output = awmc_build_with(
        &dir,
        &[&shop.to_string_lossy(), "--debug", "--out", "single"],
        &[("AWMC_KEEP_ENVS", "1")],
    );
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("removed the crates of 1 least recently built environment"),
        "{stderr}"
    );
    assert!(!cache.join("envs/bank").exists());
    let bank_artifacts = std::fs::read_dir(cache.join("target/debug/deps"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("awm_env_bank"))
        .count();
    assert_eq!(bank_artifacts, 0);
    let output = awmc_build(&dir, &["specs", "--debug"]);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("Compiling awm-env-bank"), "{stderr}");
    assert!(!stderr.contains("Compiling awm-runtime"), "{stderr}");
    let host = Server::spawn(Command::new(text(&output.stdout).trim()));
    assert_eq!(served_envs(&host), ["bank", "shop"]);
}
