import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolContext } from './tool.ts';
import { DIAGNOSIS_TOOLS } from './tools/index.ts';

/** The server's name and version as the MCP handshake reports them. */
export const SERVER_INFO = { name: 'driftline', version: '0.1.0' } as const;

const INSTRUCTIONS =
  'Read-only diagnosis of the ML models Driftline monitors. Start with open_alerts or model_accuracy, then ' +
  'drift_status, feature_distribution and inference_sample (wrong_only) to find the cause; version_comparison ' +
  'tells whether a new version is better. Times are ISO-8601, epoch ms or durations back such as 24h.';

/** An MCP server with every diagnosis tool registered over the given context. No I/O until a transport connects. */
export function createDiagnosisServer(ctx: ToolContext): McpServer {
  const server = new McpServer(SERVER_INFO, { instructions: INSTRUCTIONS });
  for (const tool of DIAGNOSIS_TOOLS) tool.register(server, ctx);
  return server;
}
