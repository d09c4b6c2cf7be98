//! `awmc tools`: a spec's tools as an agent framework reads them, in MCP's `tools/list`
//! format or OpenAI's function-calling format.

use std::path::Path;

use awm_runtime::Environment as _;
use awm_runtime::serve::catalog;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ToolFormat {
    /// `tools/list` entries: name, description, inputSchema, outputSchema, annotations.
    Mcp,
    /// `{"type": "function", "function": {name, description, parameters}}`.
    Openai,
}

pub fn run(path: &Path, format: ToolFormat) -> i32 {
    let engine = match super::run::load(path, awm_runtime::Limits::default()) {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    let tools: Vec<serde_json::Value> = engine
        .tools()
        .into_iter()
        .map(|tool| match format {
            ToolFormat::Mcp => catalog::mcp_tool(tool),
            ToolFormat::Openai => catalog::openai_tool(tool),
        })
        .collect();
    match serde_json::to_string_pretty(&tools) {
        Ok(text) => {
            println!("{text}");
            0
        }
        Err(error) => {
            eprintln!("error: {error}");
            2
        }
    }
}
