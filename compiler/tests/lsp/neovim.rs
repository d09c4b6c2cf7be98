//! A real editor as the client: headless Neovim with its built-in LSP client (Debian's
//! package, which `tests/run` installs and names in `$AWM_NVIM`) opens an example with a
//! mistake, and the test reads back the diagnostics it shows and a go-to-definition
//! result.

use std::process::Command;

use serde_json::Value;

use crate::client::{example, position_of, root};

#[test]
fn neovim_shows_diagnostics_and_goes_to_definitions() {
    let given = std::env::var("AWM_NVIM").ok();
    let candidates = given
        .iter()
        .map(String::as_str)
        .chain(["nvim", "/usr/bin/nvim"]);
    let Some(nvim) = candidates.into_iter().find(|n| {
        Command::new(n)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        panic!("Neovim is needed for this test: run the tests with `tests/run`, which installs it");
    };
    let nvim = nvim.to_string();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("nvim-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let text = example("shop.awm").replacen(
        "require p.stock_quantity >= already",
        "require p.stok_quantity >= already",
        1,
    );
    let file = dir.join("shop.awm");
    std::fs::write(&file, &text).unwrap_or_else(|e| panic!("{e}"));
    let out = dir.join("result.json");
    // Go to the definition of the table in `let p = products(product_id)`.
    let at = position_of(&text, "let p = products(", 9);
    let status = Command::new(nvim)
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!(
            "luafile {}",
            root().join("compiler/tests/lsp/neovim.lua").display()
        ))
        .env("AWMC", env!("CARGO_BIN_EXE_awmc"))
        .env("FILE", &file)
        .env("OUT", &out)
        .env("LINE", at["line"].to_string())
        .env("CHARACTER", at["character"].to_string())
        .status()
        .unwrap_or_else(|e| panic!("cannot run nvim: {e}"));
    assert!(status.success(), "nvim exited with {status}");
    let result: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap_or_default())
        .unwrap_or_else(|e| panic!("nvim wrote no result: {e}"));
    let diagnostics = result["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(diagnostics.len(), 1, "{result}");
    assert_eq!(diagnostics[0]["code"], "E0311", "{result}");
    assert_eq!(
        diagnostics[0]["lnum"],
        position_of(&text, "stok_quantity", 0)["line"]
    );
    let definition = &result["definition"];
    let start = if definition.is_array() {
        &definition[0]["range"]["start"]
    } else {
        &definition["range"]["start"]
    };
    assert_eq!(*start, position_of(&text, "table products", 6), "{result}");
    let _ = std::fs::remove_dir_all(&dir);
}
