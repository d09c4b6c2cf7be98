"""An MCP client built on the official Python SDK (`mcp`), driven by awmc's end-to-end
tests. It is what an AWM agent is: it opens a new MCP connection for every call.

usage:
  mcp_client.py http PLAN.json     run a plan over streamable HTTP
  mcp_client.py stdio PLAN.json    run a plan over stdio (PLAN has "command": [...])

A plan is {"url" or "command", "steps": [...]} (or a list of plans, run in turn, giving
a list of result lists); each step is one of
  {"op": "list"}                               -> {"tools": [{name, inputSchema, outputSchema, annotations}]}
  {"op": "call", "name": N, "arguments": {..}} -> {"is_error": bool, "text": str, "structured": ...}
and runs on a fresh connection unless the plan says "reuse": true. The results go to
stdout as one JSON list. A protocol error (an McpError) is a result {"protocol_error": msg}.
"""

import asyncio
import json
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamablehttp_client
from mcp.shared.exceptions import McpError


async def run_step(session, step):
    try:
        if step["op"] == "list":
            listed = await session.list_tools()
            return {
                "tools": [
                    {
                        "name": t.name,
                        "description": t.description,
                        "inputSchema": t.inputSchema,
                        "outputSchema": t.outputSchema,
                        "annotations": t.annotations.model_dump(exclude_none=True)
                        if t.annotations
                        else None,
                    }
                    for t in listed.tools
                ]
            }
        if step["op"] == "call":
            result = await session.call_tool(step["name"], step.get("arguments", {}))
            text = "\n".join(c.text for c in result.content if c.type == "text")
            return {
                "is_error": bool(result.isError),
                "text": text,
                "structured": result.structuredContent,
            }
        raise ValueError(f"unknown op {step['op']}")
    except McpError as error:
        return {"protocol_error": error.error.message, "code": error.error.code}


def connect(plan, transport):
    if transport == "http":
        return streamablehttp_client(plan["url"])
    command = plan["command"]
    return stdio_client(StdioServerParameters(command=command[0], args=command[1:]))


async def with_session(plan, transport, steps):
    results = []
    async with connect(plan, transport) as streams:
        read, write = streams[0], streams[1]
        async with ClientSession(read, write) as session:
            await session.initialize()
            for step in steps:
                results.append(await run_step(session, step))
    return results


async def run_plan(plan, transport):
    steps = plan["steps"]
    if plan.get("reuse"):
        return await with_session(plan, transport, steps)
    results = []
    for step in steps:
        results.extend(await with_session(plan, transport, [step]))
    return results


async def main():
    transport, plan_path = sys.argv[1], sys.argv[2]
    with open(plan_path) as f:
        plan = json.load(f)
    if isinstance(plan, list):
        results = [await run_plan(p, transport) for p in plan]
    else:
        results = await run_plan(plan, transport)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    asyncio.run(main())
