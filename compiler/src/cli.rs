//! The `awmc` command line: argument parsing and the subcommands.

mod build;
mod check;
mod explain;
mod fmt;
pub mod inputs;
mod run;
mod serve;
mod sql;
mod tools;

use clap::{Parser, Subcommand, ValueEnum};

/// The awm compiler: checks environment specs for agent training.
#[derive(Debug, Parser)]
#[command(name = "awmc", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check specs: files, folders (every *.awm inside) and .jsonl files of LLM replies.
    Check(CheckArgs),
    /// Print the documentation of a diagnostic code (`E0311` or `unknown-column`).
    Explain {
        /// The code or its name.
        code: String,
    },
    /// Rewrite specs in the canonical layout (files, folders, or `-` for stdin to stdout).
    Fmt(fmt::FmtArgs),
    /// Print the guide an LLM is prompted with to write specs.
    Prompt,
    /// Call one tool on a fresh session of a spec and print the result.
    Call {
        /// The spec.
        spec: std::path::PathBuf,
        /// The tool's name.
        tool: String,
        /// The arguments as a JSON object (default `{}`).
        arguments: Option<String>,
        #[command(flatten)]
        limits: awm_runtime::limits::LimitOptions,
    },
    /// Replay a task's reference solution (or an agent's recorded calls) and verify it.
    Run {
        /// The spec.
        spec: std::path::PathBuf,
        /// The task to run and verify.
        #[arg(long)]
        task: Option<String>,
        /// Replay these recorded calls (AWM's trajectory.json, or a JSON list of
        /// `{"name", "arguments"}`) instead of the reference solution.
        #[arg(long)]
        trajectory: Option<std::path::PathBuf>,
        /// Write initial.db, final.db and trajectory.json to this folder.
        #[arg(long)]
        export: Option<std::path::PathBuf>,
        /// Print the verdict as one JSON object.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        limits: awm_runtime::limits::LimitOptions,
    },
    /// Check specs, generate their native crates and compile a binary serving them.
    Build(build::BuildArgs),
    /// Serve specs over MCP (agents) and an HTTP control API (trainers), in process.
    Serve(serve::ServeArgs),
    /// Print the SQL statements each tool and verifier runs, with `--plan` SQLite's query
    /// plan of each (where a read should use an index, the plan says SEARCH, not SCAN).
    Sql {
        /// The spec.
        spec: std::path::PathBuf,
        /// Only this tool's (or this task's verifier's) statements.
        name: Option<String>,
        /// Show SQLite's query plan of every statement.
        #[arg(long)]
        plan: bool,
    },
    /// Run the language server on stdin/stdout (for editors).
    Lsp,
    /// Print a spec's tools as MCP `tools/list` entries or OpenAI function-calling tools.
    Tools {
        /// The spec.
        spec: std::path::PathBuf,
        #[arg(long, value_enum, default_value_t = tools::ToolFormat::Mcp)]
        format: tools::ToolFormat,
    },
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Spec files, folders and .jsonl files.
    #[arg(required = true)]
    pub paths: Vec<std::path::PathBuf>,
    /// Output: human-readable text, or one JSON object per spec per line.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The JSON field of each .jsonl record that holds the reply (a dotted path such as
    /// `choices.0.message.content`). By default the first of spec, response, completion,
    /// output, content and text that is a string.
    #[arg(long)]
    pub field: Option<String>,
    /// When to colour text output.
    #[arg(long, value_enum, default_value_t = Colour::Auto)]
    pub color: Colour,
    /// Print only the summary (text format).
    #[arg(long, short)]
    pub quiet: bool,
    /// The limits the task proofs run under.
    #[command(flatten)]
    pub limits: awm_runtime::limits::LimitOptions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Colour {
    Auto,
    Always,
    Never,
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Explain { code } => explain::run(&code),
        Command::Fmt(args) => fmt::run(&args),
        Command::Prompt => {
            print!("{}", crate::docs::LLM_GUIDE);
            0
        }
        Command::Call {
            spec,
            tool,
            arguments,
            limits,
        } => run::call(&spec, &tool, arguments.as_deref(), limits.limits()),
        Command::Run {
            spec,
            task,
            trajectory,
            export,
            json,
            limits,
        } => {
            let replay = match trajectory {
                Some(file) => run::Replay::Trajectory(file),
                None => run::Replay::Solution,
            };
            run::run(
                &spec,
                task.as_deref(),
                replay,
                export.as_deref(),
                json,
                limits.limits(),
            )
        }
        Command::Build(args) => build::run(&args),
        Command::Sql { spec, name, plan } => sql::run(&spec, name.as_deref(), plan),
        Command::Serve(args) => serve::run(&args),
        Command::Tools { spec, format } => tools::run(&spec, format),
        Command::Lsp => crate::lsp::run(),
    }
}
