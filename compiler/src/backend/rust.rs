//! PLACEHOLDER until the code generator lands (the lead replaces this file): emits a
//! `lib.rs` whose environment has the IR's name, title, description and spec hash but no
//! tables, tools or tasks, so `awmc build` can be tested end to end.

use crate::lower::ir::EnvIr;

/// The text of an environment crate's `lib.rs`, defining
/// `pub fn environment() -> ::std::sync::Arc<dyn ::awm_runtime::Environment>`.
pub fn library(ir: &EnvIr) -> String {
    let option = |text: &Option<String>| match text {
        Some(text) => format!("::std::option::Option::Some({text:?})"),
        None => "::std::option::Option::None".to_string(),
    };
    format!(
        r#"{preamble}//! The `{name}` environment (placeholder: no tables, tools or tasks yet).

struct Placeholder {{
    schema: ::awm_runtime::EnvSchema,
    image: ::awm_runtime::SeedImage,
}}

/// The environment, ready to serve.
pub fn environment() -> ::std::sync::Arc<dyn ::awm_runtime::Environment> {{
    let schema = ::awm_runtime::EnvSchema {{ tables: ::std::vec::Vec::new() }};
    let image = ::awm_runtime::SeedImage::build(::std::iter::empty(), &[])
        .unwrap_or_else(|error| ::std::panic!("cannot build the seed image: {{error}}"));
    ::std::sync::Arc::new(Placeholder {{ schema, image }})
}}

impl ::awm_runtime::Environment for Placeholder {{
    fn name(&self) -> &str {{
        {name_literal:?}
    }}

    fn title(&self) -> ::std::option::Option<&str> {{
        {title}
    }}

    fn description(&self) -> ::std::option::Option<&str> {{
        {description}
    }}

    fn schema(&self) -> &::awm_runtime::EnvSchema {{
        &self.schema
    }}

    fn image(&self) -> &::awm_runtime::SeedImage {{
        &self.image
    }}

    fn spec_hash(&self) -> &str {{
        {hash:?}
    }}

    fn tools(&self) -> ::std::vec::Vec<&::awm_runtime::args::ToolSpec> {{
        ::std::vec::Vec::new()
    }}

    fn tasks(&self) -> ::std::vec::Vec<::awm_runtime::TaskSpec> {{
        ::std::vec::Vec::new()
    }}

    fn call(
        &self,
        _session: &::awm_runtime::Session,
        tool: &str,
        _arguments: &::awm_runtime::serde_json::Value,
    ) -> ::std::result::Result<::awm_runtime::serde_json::Value, ::awm_runtime::ToolError> {{
        ::std::result::Result::Err(::awm_runtime::ToolError::new(
            ::awm_runtime::error::ErrorKind::UnknownTool,
            ::std::format!("no tool `{{tool}}`"),
        ))
    }}

    fn verify(
        &self,
        _session: &::awm_runtime::Session,
        _initial: &::awm_runtime::rusqlite::Connection,
        _task: &str,
        _answer: ::std::option::Option<&str>,
    ) -> ::std::option::Option<::awm_runtime::Verdict> {{
        ::std::option::Option::None
    }}
}}
"#,
        preamble = super::rust_preamble(&super::header(ir)),
        name = super::comment_text(&ir.name),
        name_literal = ir.name,
        title = option(&ir.title),
        description = option(&ir.description),
        hash = ir.spec_hash,
    )
}
