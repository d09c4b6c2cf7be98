//! The JSON Schema of a tool's result (MCP's `outputSchema`), from its checked type: the
//! shape the engine's JSON results are guaranteed to have, so clients that validate
//! `structuredContent` against it never see a mismatch.

use serde_json::{Value as Json, json};

use super::Lowerer;
use crate::check::types::Ty;

impl Lowerer<'_> {
    /// The schema of a tool result of type `ty`, when the result is always a JSON object
    /// (MCP requires `outputSchema` to describe an object).
    pub(super) fn output_schema(&self, ty: &Ty) -> Option<Json> {
        match ty {
            Ty::Row(_) | Ty::Record(_) => self.value_schema(ty),
            _ => None,
        }
    }

    /// The schema of any value of type `ty`; `None` for types that are never results.
    fn value_schema(&self, ty: &Ty) -> Option<Json> {
        Some(match ty {
            Ty::Optional(inner) => nullable(self.value_schema(inner)?),
            Ty::Null => json!({ "type": "null" }),
            Ty::List(element) => json!({ "type": "array", "items": self.value_schema(element)? }),
            Ty::Record(fields) => object(
                fields
                    .iter()
                    .map(|(name, ty)| Some((name.clone(), self.value_schema(ty)?)))
                    .collect::<Option<Vec<_>>>()?,
            ),
            Ty::Row(table) => object(
                self.model.tables[table.0]
                    .columns
                    .iter()
                    .map(|column| Some((column.name.clone(), self.value_schema(&column.ty)?)))
                    .collect::<Option<Vec<_>>>()?,
            ),
            Ty::Scalar(_) | Ty::Enum(_) | Ty::Ref { .. } => self.kind(ty).json_schema(),
            Ty::State | Ty::Unit | Ty::Error => return None,
        })
    }
}

fn nullable(schema: Json) -> Json {
    json!({ "anyOf": [schema, { "type": "null" }] })
}

/// An object whose fields are all present (a field with no value is `null`).
fn object(fields: Vec<(String, Json)>) -> Json {
    let required: Vec<&str> = fields.iter().map(|(name, _)| name.as_str()).collect();
    let required = json!(required);
    let properties: serde_json::Map<String, Json> = fields.into_iter().collect();
    json!({ "type": "object", "properties": properties, "required": required })
}
