//! Tool catalogs in the formats agents and their frameworks read: MCP's `tools/list`
//! entries (with annotations and output schemas) and OpenAI function-calling tools. Both
//! are built from the same [`ToolSpec`], so they can never disagree.

use serde_json::{Value as Json, json};

use crate::args::ToolSpec;

/// A tool as MCP's `tools/list` gives it.
pub fn mcp_tool(tool: &ToolSpec) -> Json {
    let mut entry = json!({
        "name": tool.name,
        "description": tool.description,
        "inputSchema": tool.input_schema(),
        "annotations": annotations(tool),
    });
    if let (Some(object), Some(output)) = (entry.as_object_mut(), &tool.output_schema) {
        object.insert("outputSchema".into(), output.clone());
    }
    entry
}

/// MCP tool annotations, inferred from what the tool's body does. `destructiveHint` and
/// `idempotentHint` only mean something for tools that write, so read-only tools leave
/// them out.
fn annotations(tool: &ToolSpec) -> Json {
    let effects = tool.effects;
    if !effects.writes {
        return json!({ "readOnlyHint": true, "openWorldHint": false });
    }
    json!({
        "readOnlyHint": false,
        "destructiveHint": effects.deletes,
        "idempotentHint": effects.idempotent,
        "openWorldHint": false,
    })
}

/// A tool in OpenAI's function-calling format (`tools=[…]` of the Chat Completions API).
pub fn openai_tool(tool: &ToolSpec) -> Json {
    json!({
        "type": "function",
        "function": {
            "name": tool.name,
            "description": tool.description,
            "parameters": tool.input_schema(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::{ParamSpec, ToolEffects};
    use crate::schema::ColumnKind;

    fn tool(effects: ToolEffects) -> ToolSpec {
        ToolSpec {
            name: "cancel_order".into(),
            description: "Cancel one of your orders.".into(),
            params: vec![ParamSpec {
                name: "order_id".into(),
                description: Some("The order".into()),
                kind: ColumnKind::Int,
                list: false,
                optional: false,
                default: None,
                minimum: Some(1.0),
                maximum: None,
            }],
            effects,
            output_schema: Some(json!({ "type": "object", "properties": {}, "required": [] })),
        }
    }

    #[test]
    fn mcp_entries_carry_schemas_and_annotations() {
        let entry = mcp_tool(&tool(ToolEffects {
            writes: true,
            deletes: false,
            idempotent: true,
        }));
        assert_eq!(entry["name"], "cancel_order");
        assert_eq!(
            entry["inputSchema"]["properties"]["order_id"]["minimum"],
            1.0
        );
        assert_eq!(entry["inputSchema"]["required"], json!(["order_id"]));
        assert_eq!(entry["outputSchema"]["type"], "object");
        assert_eq!(entry["annotations"]["readOnlyHint"], false);
        assert_eq!(entry["annotations"]["destructiveHint"], false);
        assert_eq!(entry["annotations"]["idempotentHint"], true);
    }

    #[test]
    fn read_only_tools_say_only_that() {
        let entry = mcp_tool(&tool(ToolEffects::default()));
        assert_eq!(
            entry["annotations"],
            json!({ "readOnlyHint": true, "openWorldHint": false })
        );
    }

    #[test]
    fn openai_tools_wrap_the_same_schema() {
        let spec = tool(ToolEffects::default());
        let entry = openai_tool(&spec);
        assert_eq!(entry["type"], "function");
        assert_eq!(entry["function"]["parameters"], spec.input_schema());
    }
}
