//! The pest parser generated from `dsl-spec/awm.pest`, the one grammar of the language.

#[derive(pest_derive::Parser)]
#[grammar = "../../dsl-spec/awm.pest"]
pub struct AwmParser;
