"""Drives `driftline mcp` over stdio with the official Python MCP SDK (the `mcp` package).

Usage: python mcp_client.py <calls.json>
  calls.json: [{"name": <tool>, "arguments": {...}}, ...]
Prints one JSON object: {"tools": [names...], "results": [{"name", "is_error", "text"}, ...]}.
The server inherits this process's environment (DRIFTLINE_CLICKHOUSE_DATABASE and the rest).
"""

import asyncio
import json
import os
import sys
from pathlib import Path

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

ROOT = Path(__file__).resolve().parents[3]


async def main(calls_file: str) -> None:
    calls = json.loads(Path(calls_file).read_text())
    params = StdioServerParameters(
        command=str(ROOT / "bin" / "driftline"), args=["mcp"], env=dict(os.environ)
    )
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            listed = await session.list_tools()
            results = []
            for call in calls:
                result = await session.call_tool(call["name"], call["arguments"])
                text = "".join(c.text for c in result.content if getattr(c, "type", "") == "text")
                results.append({"name": call["name"], "is_error": bool(result.is_error), "text": text})
    print(json.dumps({"tools": [t.name for t in listed.tools], "results": results}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
