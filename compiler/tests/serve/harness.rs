//! The test harness: an `awmc serve` process on a free port, a minimal HTTP/1.1 client
//! for the control API and raw MCP requests, and the Python MCP SDK in a virtualenv.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use serde_json::Value;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn awmc_path() -> &'static str {
    env!("CARGO_BIN_EXE_awmc")
}

/// A running `awmc serve`; killed when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub address: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    /// Serves `specs` (paths relative to the repository) with extra flags.
    pub fn start(specs: &[&str], flags: &[&str]) -> Server {
        let mut command = Command::new(awmc_path());
        command.arg("serve").args(specs).args(flags);
        Server::spawn(command)
    }

    /// Runs a server command (`awmc serve …`, or a binary `awmc build` made) on a free
    /// port, from the repository, and waits until it listens.
    pub fn spawn(mut command: Command) -> Server {
        let mut child = command
            .args(["--port", "0", "--log", "warn"])
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
        let stderr = child
            .stderr
            .take()
            .unwrap_or_else(|| panic!("no stderr pipe"));
        let mut lines = BufReader::new(stderr);
        let mut log = String::new();
        let address = loop {
            let mut line = String::new();
            match lines.read_line(&mut line) {
                Ok(0) | Err(_) => {
                    let _ = child.wait();
                    panic!("the server stopped before listening:\n{log}")
                }
                Ok(_) => {}
            }
            log.push_str(&line);
            if let Some(rest) = line.split("on http://").nth(1) {
                break rest
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_string();
            }
        };
        // Keep draining stderr so the server never blocks on a full pipe.
        let log = Arc::new(Mutex::new(log));
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            let mut rest = String::new();
            let _ = lines.read_to_string(&mut rest);
            if let Ok(mut log) = sink.lock() {
                log.push_str(&rest);
            }
        });
        Server {
            child,
            address,
            log,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// A control API request; the status and the JSON body (`Null` when not JSON).
    pub fn json(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let body = body.map(Value::to_string);
        let response = request(
            &self.address,
            method,
            path,
            &[],
            body.as_deref().map(str::as_bytes),
        );
        let json = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
        (response.status, json)
    }

    /// One MCP JSON-RPC message POSTed to `path` (no session handshake: the server is
    /// stateless); the status and the JSON reply.
    pub fn mcp(&self, path: &str, message: &Value) -> (u16, Value) {
        self.mcp_raw(path, message.to_string().as_bytes())
    }

    pub fn mcp_raw(&self, path: &str, body: &[u8]) -> (u16, Value) {
        let response = request(
            &self.address,
            "POST",
            path,
            &[
                ("Content-Type", "application/json"),
                ("Accept", "application/json, text/event-stream"),
            ],
            Some(body),
        );
        let json = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
        (response.status, json)
    }

    /// Calls a tool over MCP; the `result` object (or the whole reply on a protocol error).
    pub fn call(&self, path: &str, tool: &str, arguments: Value) -> Value {
        let (status, reply) = self.mcp(
            path,
            &serde_json::json!({
                "jsonrpc": "2.0", "id": 1, "method": "tools/call",
                "params": { "name": tool, "arguments": arguments }
            }),
        );
        assert_eq!(status, 200, "tools/call {tool} on {path}: {reply}");
        if reply.get("result").is_some() {
            reply["result"].clone()
        } else {
            reply
        }
    }

    /// Everything the server logged so far.
    pub fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The parsed text of a tool result (its JSON text content).
pub fn result_json(result: &Value) -> Value {
    let text = result["content"][0]["text"].as_str().unwrap_or_default();
    serde_json::from_str(text).unwrap_or(Value::Null)
}

pub struct Response {
    pub status: u16,
    pub headers: String,
    pub body: Vec<u8>,
}

/// One HTTP/1.1 request on a new connection (`Connection: close`, so the body is
/// whatever comes before the end of the stream).
pub fn request(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Response {
    let mut stream =
        TcpStream::connect(address).unwrap_or_else(|e| panic!("connect {address}: {e}"));
    let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        && body.is_some()
    {
        head.push_str("Content-Type: application/json\r\n");
    }
    head.push_str(&format!(
        "Content-Length: {}\r\n\r\n",
        body.map_or(0, <[u8]>::len)
    ));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body.unwrap_or_default());
    stream
        .write_all(&bytes)
        .unwrap_or_else(|e| panic!("write to {address}: {e}"));
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP response from {address}: {raw:?}"));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line: {head}"));
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Response {
        status,
        headers: head,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 || data.len() < end + 2 + size {
            return out;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[(end + 4 + size).min(data.len())..];
    }
}

/// The Python interpreter of a virtualenv holding the pinned `mcp` SDK: `$AWM_PYTHON`
/// when set (CI creates it), or one created under the target directory on first use.
pub fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        if let Some(python) = std::env::var_os("AWM_PYTHON") {
            return PathBuf::from(python);
        }
        let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("awm-py");
        let python = venv.join("bin").join("python");
        let ready = Command::new(&python)
            .args(["-c", "import mcp"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !ready {
            let created = Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv)
                .status()
                .unwrap_or_else(|e| panic!("python3 is needed for the MCP client tests: {e}"));
            assert!(
                created.success(),
                "python3 -m venv {} failed",
                venv.display()
            );
            let installed = Command::new(&python)
                .args(["-m", "pip", "install", "-q", "-r"])
                .arg(root().join("tests/python/requirements.txt"))
                .status()
                .unwrap_or_else(|e| panic!("pip: {e}"));
            assert!(
                installed.success(),
                "pip install -r tests/python/requirements.txt failed"
            );
        }
        python
    })
}

/// Runs the Python MCP client on a plan; its JSON results.
pub fn python_client(transport: &str, plan: &Value) -> Value {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let file = dir.join(format!(
        "plan-{}-{}.json",
        std::process::id(),
        PLAN.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    std::fs::write(&file, plan.to_string()).unwrap_or_else(|e| panic!("write plan: {e}"));
    let output = Command::new(python())
        .arg(root().join("tests/python/mcp_client.py"))
        .arg(transport)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run the Python client: {e}"));
    let _ = std::fs::remove_file(&file);
    assert!(
        output.status.success(),
        "the Python MCP client failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "the Python client printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

static PLAN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
