//! The `awmc` command line, run as a process: exit codes, JSON output, `call`, `run` with
//! the reference solution and with a recorded trajectory, and exports that are real
//! SQLite files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn awmc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_awmc"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap_or_else(|e| panic!("cannot run awmc: {e}"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("awmc-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn check_exit_codes_and_json_lines() {
    let accepted = awmc(&["check", "dsl-spec/examples/library.awm"]);
    assert_eq!(accepted.status.code(), Some(0));
    let rejected = awmc(&[
        "check",
        "--format",
        "json",
        "tests/specs/invalid/153_solution_step_fails.awm",
    ]);
    assert_eq!(rejected.status.code(), Some(1));
    let line: serde_json::Value =
        serde_json::from_str(stdout(&rejected).trim()).unwrap_or_default();
    assert_eq!(line["status"], "rejected");
    assert_eq!(line["diagnostics"][0]["code"], "E0901");
    assert_eq!(line["diagnostics"][0]["name"], "solution-step-failed");
    assert!(line["diagnostics"][0]["line"].as_u64().is_some());
    let missing = awmc(&["check", "no/such/file.awm"]);
    assert_eq!(missing.status.code(), Some(2));
    let usage = awmc(&["check"]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn call_prints_results_and_tool_errors() {
    let ok = awmc(&[
        "call",
        "dsl-spec/examples/shop.awm",
        "get_product",
        r#"{"product_id": 7}"#,
    ]);
    assert_eq!(ok.status.code(), Some(0));
    let product: serde_json::Value = serde_json::from_str(&stdout(&ok)).unwrap_or_default();
    assert_eq!(product["id"], 7);
    let bad = awmc(&[
        "call",
        "dsl-spec/examples/shop.awm",
        "get_product",
        r#"{"product_id": "seven"}"#,
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stdout(&bad).starts_with("Error: `product_id` must be an integer"),
        "{}",
        stdout(&bad)
    );
}

#[test]
fn run_replays_a_solution_and_exports_real_databases() {
    let dir = temp_dir("export");
    let dir_text = dir.display().to_string();
    let run = awmc(&[
        "run",
        "dsl-spec/examples/shop.awm",
        "--task",
        "cancel_air_fryer_order",
        "--export",
        &dir_text,
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stdout(&run));
    assert!(stdout(&run).contains("verdict: complete"));
    let open = |name: &str| {
        rusqlite::Connection::open(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let (initial, last) = (open("initial.db"), open("final.db"));
    for db in [&initial, &last] {
        let integrity: String = db
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap_or_default();
        assert_eq!(integrity, "ok");
    }
    let status = |db: &rusqlite::Connection| -> String {
        db.query_row("SELECT status FROM orders WHERE id = 11", [], |r| r.get(0))
            .unwrap_or_default()
    };
    assert_ne!(status(&initial), "cancelled");
    assert_eq!(status(&last), "cancelled");
    let trajectory: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("trajectory.json")).unwrap_or_default(),
    )
    .unwrap_or_default();
    assert_eq!(trajectory["task_id"], "cancel_air_fryer_order");
    assert_eq!(trajectory["seed_hash"].as_str().map(str::len), Some(64));
    assert!(
        trajectory["trajectory"]
            .as_array()
            .is_some_and(|steps| !steps.is_empty())
    );

    // The exported trajectory replays to the same verdict.
    let replay = awmc(&[
        "run",
        "dsl-spec/examples/shop.awm",
        "--trajectory",
        &dir.join("trajectory.json").display().to_string(),
    ]);
    assert_eq!(replay.status.code(), Some(0), "{}", stdout(&replay));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_agent_that_does_nothing_fails_the_task() {
    let dir = temp_dir("empty");
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join("empty.json");
    let _ = std::fs::write(&file, "[]");
    let run = awmc(&[
        "run",
        "dsl-spec/examples/shop.awm",
        "--task",
        "cancel_air_fryer_order",
        "--trajectory",
        &file.display().to_string(),
        "--json",
    ]);
    assert_eq!(run.status.code(), Some(1));
    let verdict: serde_json::Value = serde_json::from_str(stdout(&run).trim()).unwrap_or_default();
    assert_eq!(verdict["passed"], false);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn tools_prints_mcp_and_openai_schemas() {
    let mcp = awmc(&["tools", "dsl-spec/examples/shop.awm"]);
    assert_eq!(mcp.status.code(), Some(0));
    let tools: serde_json::Value = serde_json::from_str(&stdout(&mcp)).unwrap_or_default();
    let add = tools
        .as_array()
        .and_then(|t| t.iter().find(|t| t["name"] == "add_to_cart"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        add["inputSchema"]["required"],
        serde_json::json!(["product_id"])
    );
    assert_eq!(add["annotations"]["readOnlyHint"], false);
    let openai = awmc(&["tools", "dsl-spec/examples/shop.awm", "--format", "openai"]);
    let tools: serde_json::Value = serde_json::from_str(&stdout(&openai)).unwrap_or_default();
    assert_eq!(tools[0]["type"], "function");
    assert!(tools[0]["function"]["parameters"]["properties"].is_object());
    let broken = awmc(&["tools", "tests/specs/invalid/153_solution_step_fails.awm"]);
    assert_eq!(broken.status.code(), Some(2));
}

#[test]
fn fmt_check_exit_codes_rewrites_and_stdin() {
    let dir = temp_dir("fmt");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {dir:?}: {e}"));
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("cannot write {path:?}: {e}"));
        path.display().to_string()
    };
    let read = |path: &str| {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    };
    let tidy_text = "enum a { x, y }\n";
    let messy_text = "enum a {x,y}\n\n\n";
    let broken_text = "table t {\n  id int\n}\n";
    let tidy = write("tidy.awm", tidy_text);
    let messy = write("messy.awm", messy_text);
    let broken = write("broken.awm", broken_text);

    assert_eq!(awmc(&["fmt", "--check", &tidy]).status.code(), Some(0));
    let check = awmc(&["fmt", "--check", &messy]);
    assert_eq!(check.status.code(), Some(1));
    assert!(stdout(&check).contains("messy.awm"), "{}", stdout(&check));
    assert!(
        stdout(&check).contains("-enum a {x,y}"),
        "{}",
        stdout(&check)
    );
    assert_eq!(read(&messy), messy_text, "--check wrote the file");
    let refused = awmc(&["fmt", "--check", &broken]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("error[E01"));

    // Rewriting: the messy file is formatted, the broken one left alone.
    assert_eq!(awmc(&["fmt", &messy]).status.code(), Some(0));
    assert_eq!(read(&messy), tidy_text);
    assert_eq!(awmc(&["fmt", &broken]).status.code(), Some(2));
    assert_eq!(read(&broken), broken_text);
    // A folder: every *.awm inside, here with the broken one.
    assert_eq!(
        awmc(&["fmt", "--check", &dir.display().to_string()])
            .status
            .code(),
        Some(2)
    );
    std::fs::remove_file(&broken).unwrap_or_else(|e| panic!("cannot remove: {e}"));
    assert_eq!(
        awmc(&["fmt", "--check", &dir.display().to_string()])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        awmc(&["fmt", "--check", "no/such/file.awm"]).status.code(),
        Some(2)
    );
    assert_eq!(awmc(&["fmt", "replies.jsonl"]).status.code(), Some(2));

    // Standard input to standard output.
    let mut child = Command::new(env!("CARGO_BIN_EXE_awmc"))
        .args(["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run awmc: {e}"));
    if let Some(mut input) = child.stdin.take() {
        use std::io::Write as _;
        input
            .write_all(messy_text.as_bytes())
            .unwrap_or_else(|e| panic!("cannot write stdin: {e}"));
    }
    let output = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("awmc fmt - failed: {e}"));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), tidy_text);

    // The examples and the valid corpus are kept formatted.
    let corpus = awmc(&["fmt", "--check", "dsl-spec/examples", "tests/specs/valid"]);
    assert_eq!(corpus.status.code(), Some(0), "{}", stdout(&corpus));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn data_files_are_read_beside_the_spec_wherever_awmc_runs() {
    let dir = temp_dir("seed-files");
    let data = dir.join("specs").join("data");
    std::fs::create_dir_all(&data).unwrap_or_else(|e| panic!("{e}"));
    let spec = "env e {\n  clock: 2026-01-01T00:00:00Z\n}\n\ntable items {\n  id: int primary\n  name: text\n  price: real\n}\n\nseed items from \"data/items.csv\"\n\ntool item(item_id: int \"Id\") -> items \"One item.\" {\n  return items(item_id) else \"No item {item_id}\"\n}\n";
    let path = dir.join("specs").join("shop.awm");
    std::fs::write(&path, spec).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        data.join("items.csv"),
        "id,name,price\n1,\"Mug, blue\",9.5\n2,Teapot,cheap\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let path_text = path.display().to_string();
    // From the repository's root, the file is found beside the spec, and its bad row is
    // reported with its file and line.
    let rejected = awmc(&["check", "--format", "json", &path_text]);
    assert_eq!(rejected.status.code(), Some(1));
    let line: serde_json::Value =
        serde_json::from_str(stdout(&rejected).trim()).unwrap_or_default();
    let diagnostic = &line["diagnostics"][0];
    assert_eq!(diagnostic["code"], "E0400", "{line}");
    assert_eq!(diagnostic["data_file"], "data/items.csv");
    assert_eq!(diagnostic["data_line"], 3);
    assert!(
        diagnostic["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("data/items.csv:3: column `price`")),
        "{diagnostic}"
    );
    std::fs::write(
        data.join("items.csv"),
        "id,name,price\r\n1,\"Mug, blue\",9.5\r\n2,Teapot,29\r\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let called = awmc(&["call", &path_text, "item", r#"{"item_id": 1}"#]);
    assert_eq!(called.status.code(), Some(0), "{called:?}");
    assert!(stdout(&called).contains("Mug, blue"), "{}", stdout(&called));
    // A spec inside a JSONL reply has no folder: the declaration is reported, clearly.
    let replies = dir.join("replies.jsonl");
    let record = serde_json::json!({ "response": format!("```awm\n{spec}```") });
    std::fs::write(&replies, format!("{record}\n")).unwrap_or_else(|e| panic!("{e}"));
    let reply = awmc(&["check", "--format", "json", &replies.display().to_string()]);
    assert_eq!(reply.status.code(), Some(1));
    let line: serde_json::Value = serde_json::from_str(stdout(&reply).trim()).unwrap_or_default();
    assert_eq!(line["diagnostics"][0]["code"], "E0605", "{line}");
    assert!(
        line["diagnostics"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("JSONL reply")),
        "{line}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
