//! Native environments: what a generated crate declares (static tables, seed rows, tool
//! and task descriptions, and one Rust function per tool and verifier) and the
//! [`Environment`] the runtime builds from it. Everything generic lives here, so the
//! generated code stays data plus the bodies.

use super::ctx::{Ctx, Env};
use crate::args::{ParamSpec, ToolEffects, ToolSpec};
use crate::environment::{Environment, TaskSpec};
use crate::error::{ErrorKind, ToolError};
use crate::image::SeedImage;
use crate::limits::Limits;
use crate::schema::{ColumnKind, ColumnSchema, EnvSchema, TableSchema};
use crate::session::Session;
use crate::value::Value;
use crate::verdict::{Evidence, Verdict};

/// A constant value in static data.
#[derive(Debug, Clone, Copy)]
pub enum Lit {
    Null,
    Int(i64),
    Real(f64),
    Text(&'static str),
    Bool(bool),
    /// A list parameter's default.
    List(&'static [Lit]),
}

impl Lit {
    pub fn value(self) -> Value {
        match self {
            Lit::Null => Value::Null,
            Lit::Int(i) => Value::Int(i),
            Lit::Real(r) => Value::Real(r),
            Lit::Text(t) => Value::Text(t.to_string()),
            Lit::Bool(b) => Value::Bool(b),
            Lit::List(items) => Value::List(items.iter().map(|item| item.value()).collect()),
        }
    }
}

/// A column's type in static data.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Int,
    Real,
    Text,
    Bool,
    DateTime,
    Date,
    Enum(&'static [&'static str]),
}

impl Kind {
    fn column_kind(self) -> ColumnKind {
        match self {
            Kind::Int => ColumnKind::Int,
            Kind::Real => ColumnKind::Real,
            Kind::Text => ColumnKind::Text,
            Kind::Bool => ColumnKind::Bool,
            Kind::DateTime => ColumnKind::DateTime,
            Kind::Date => ColumnKind::Date,
            Kind::Enum(members) => {
                ColumnKind::Enum(members.iter().map(|m| (*m).to_string()).collect())
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub optional: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [Column],
    pub primary_key: usize,
    pub ddl: &'static [&'static str],
    /// The DDL of exported files (see [`crate::schema::TableSchema::export_ddl`]).
    pub export_ddl: &'static [&'static str],
}

#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub description: Option<&'static str>,
    pub kind: Kind,
    pub list: bool,
    pub optional: bool,
    pub default: Option<Lit>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
}

/// A tool body: the context and the validated arguments, in parameter order.
pub type ToolFn = fn(&mut Ctx<'_>, Vec<Value>) -> Result<Value, ToolError>;

/// A verifier: the context and where evidence goes.
pub type VerifyFn = fn(&mut Ctx<'_>, &mut Vec<Evidence>);

#[derive(Debug, Clone, Copy)]
pub struct Tool {
    pub name: &'static str,
    pub description: &'static str,
    pub params: &'static [Param],
    pub writes: bool,
    pub deletes: bool,
    pub idempotent: bool,
    /// The JSON Schema of the result, as JSON text.
    pub output_schema: Option<&'static str>,
    pub run: ToolFn,
}

#[derive(Debug, Clone, Copy)]
pub struct Task {
    pub name: &'static str,
    pub prompt: &'static str,
    pub verify: VerifyFn,
}

/// Everything a generated crate declares about its environment.
#[derive(Debug, Clone, Copy)]
pub struct Declaration {
    pub name: &'static str,
    pub title: Option<&'static str>,
    pub description: Option<&'static str>,
    pub spec_hash: &'static str,
    pub clock: &'static str,
    /// The signed-in user's table and key.
    pub user: Option<(usize, Lit)>,
    pub tables: &'static [Table],
    /// The seed state: the bytes of a SQLite database file, built by the compiler.
    pub seed: &'static [u8],
    pub tools: &'static [Tool],
    pub tasks: &'static [Task],
}

/// A native environment, ready to serve.
pub struct Native {
    declaration: &'static Declaration,
    schema: EnvSchema,
    image: SeedImage,
    tools: Vec<ToolSpec>,
    user: Option<(usize, Value)>,
}

impl Native {
    /// Builds the schema, tool specs and seed image a declaration describes.
    pub fn new(declaration: &'static Declaration) -> Result<Native, ToolError> {
        let schema = EnvSchema {
            tables: declaration.tables.iter().map(table_schema).collect(),
        };
        let image = SeedImage::from_bytes(declaration.seed);
        let tools = declaration
            .tools
            .iter()
            .map(tool_spec)
            .collect::<Result<_, _>>()?;
        Ok(Native {
            declaration,
            schema,
            image,
            tools,
            user: declaration.user.map(|(table, key)| (table, key.value())),
        })
    }

    fn env(&self, limits: Limits) -> Env<'_> {
        Env {
            schema: &self.schema,
            clock: self.declaration.clock,
            user: self.user.as_ref().map(|(table, key)| (*table, key)),
            limits,
        }
    }

    /// Calls the tool at `index` with an agent's JSON arguments.
    pub fn call_index(
        &self,
        session: &Session,
        index: usize,
        arguments: &serde_json::Value,
    ) -> Result<Value, ToolError> {
        let (Some(tool), Some(spec)) = (self.declaration.tools.get(index), self.tools.get(index))
        else {
            return Err(ToolError::internal(format!(
                "there is no tool number {index}"
            )));
        };
        super::run::call(
            self.env(session.limits()),
            session,
            spec,
            arguments,
            tool.run,
        )
    }
}

fn table_schema(table: &Table) -> TableSchema {
    TableSchema {
        name: table.name.to_string(),
        columns: table
            .columns
            .iter()
            .map(|c| ColumnSchema {
                name: c.name.to_string(),
                kind: c.kind.column_kind(),
                optional: c.optional,
            })
            .collect(),
        primary_key: table.primary_key,
        ddl: table.ddl.iter().map(|s| (*s).to_string()).collect(),
        export_ddl: table.export_ddl.iter().map(|s| (*s).to_string()).collect(),
    }
}

fn tool_spec(tool: &Tool) -> Result<ToolSpec, ToolError> {
    let output_schema = match tool.output_schema {
        Some(text) => Some(serde_json::from_str(text).map_err(|e| {
            ToolError::internal(format!("the output schema of `{}`: {e}", tool.name))
        })?),
        None => None,
    };
    Ok(ToolSpec {
        name: tool.name.to_string(),
        description: tool.description.to_string(),
        params: tool
            .params
            .iter()
            .map(|p| ParamSpec {
                name: p.name.to_string(),
                description: p.description.map(str::to_string),
                kind: p.kind.column_kind(),
                list: p.list,
                optional: p.optional,
                default: p.default.map(Lit::value),
                minimum: p.minimum,
                maximum: p.maximum,
            })
            .collect(),
        effects: ToolEffects {
            writes: tool.writes,
            deletes: tool.deletes,
            idempotent: tool.idempotent,
        },
        output_schema,
    })
}

impl Environment for Native {
    fn name(&self) -> &str {
        self.declaration.name
    }

    fn title(&self) -> Option<&str> {
        self.declaration.title
    }

    fn description(&self) -> Option<&str> {
        self.declaration.description
    }

    fn schema(&self) -> &EnvSchema {
        &self.schema
    }

    fn image(&self) -> &SeedImage {
        &self.image
    }

    fn spec_hash(&self) -> &str {
        self.declaration.spec_hash
    }

    fn tools(&self) -> Vec<&ToolSpec> {
        self.tools.iter().collect()
    }

    fn tasks(&self) -> Vec<TaskSpec> {
        self.declaration
            .tasks
            .iter()
            .map(|t| TaskSpec {
                name: t.name.to_string(),
                prompt: t.prompt.to_string(),
            })
            .collect()
    }

    fn call(
        &self,
        session: &Session,
        tool: &str,
        arguments: &serde_json::Value,
    ) -> Result<serde_json::Value, ToolError> {
        let Some(index) = self.tools.iter().position(|t| t.name == tool) else {
            return Err(unknown_tool(
                tool,
                self.tools.iter().map(|t| t.name.as_str()),
            ));
        };
        self.call_index(session, index, arguments)
            .map(|value| value.to_json())
    }

    fn verify(&self, session: &Session, task: &str, answer: Option<&str>) -> Option<Verdict> {
        let task = self.declaration.tasks.iter().find(|t| t.name == task)?;
        Some(super::run::verify(
            self.env(session.limits()),
            session,
            answer,
            task.verify,
        ))
    }
}

/// The error for a call of a tool that does not exist, with a suggestion.
pub fn unknown_tool<'a>(tool: &str, names: impl Iterator<Item = &'a str>) -> ToolError {
    let hint = crate::suggest::did_you_mean(tool, names)
        .map_or_else(String::new, |best| format!("; did you mean `{best}`?"));
    ToolError::new(
        ErrorKind::UnknownTool,
        format!("there is no tool `{tool}`{hint}"),
    )
}
