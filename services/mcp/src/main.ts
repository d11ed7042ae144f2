import type { AddressInfo } from 'node:net';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createClickHouse } from '../../core/src/clickhouse/client.ts';
import { loadConfig } from '../../core/src/config/load.ts';
import { serveHttp } from './http.ts';
import { boundedReader } from './reader.ts';
import { createDiagnosisServer } from './server.ts';
import { loadMcpSettings } from './settings.ts';
import type { ToolContext } from './tool.ts';

/**
 * `driftline mcp`: the diagnosis tools over stdio (one client, the parent process), or with `http` over
 * Streamable HTTP at http://<host>:<port>/mcp behind the bearer token. Nothing is logged to stdout: on stdio it
 * carries the protocol.
 */
export async function runMcp(options: { http?: boolean } = {}): Promise<void> {
  const config = loadConfig();
  const settings = loadMcpSettings();
  const client = createClickHouse(config);
  const ctx: ToolContext = {
    select: boundedReader(client, settings),
    database: config.clickhouseDatabase,
    now: Date.now,
    maxOutputChars: settings.maxOutputChars,
  };
  if (!options.http) {
    await createDiagnosisServer(ctx).connect(new StdioServerTransport());
    return;
  }
  const server = await serveHttp({ ...settings, newServer: () => createDiagnosisServer(ctx) });
  const { address, port } = server.address() as AddressInfo;
  console.error(`driftline mcp: Streamable HTTP on http://${address}:${port}/mcp`);
  const stop = () => server.close(() => void client.close());
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
