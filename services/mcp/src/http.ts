import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { McpStartError } from './errors.ts';

export interface HttpOptions {
  host: string;
  port: number;
  token: string;
  /** A fresh server per request: the stateless mode of Streamable HTTP keeps no session between calls. */
  newServer: () => McpServer;
}

/** Does the request carry `Authorization: Bearer <token>`? Compared in constant time. */
export function hasToken(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

async function handle(req: IncomingMessage, res: ServerResponse, o: HttpOptions): Promise<void> {
  if (!hasToken(req, o.token)) return refuse(res, 401, 'missing or wrong bearer token');
  if (new URL(req.url ?? '/', 'http://x').pathname !== '/mcp')
    return refuse(res, 404, 'the endpoint is /mcp');
  if (req.method !== 'POST') return refuse(res, 405, 'stateless server: POST only');
  const server = o.newServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res);
}

/**
 * Serves MCP's Streamable HTTP transport at `/mcp`, every request checked for the bearer token.
 * @throws McpStartError when no token is configured: an open diagnosis endpoint would show any model's data.
 */
export async function serveHttp(o: HttpOptions): Promise<Server> {
  if (o.token === '') throw new McpStartError('DRIFTLINE_MCP_TOKEN must be set for the HTTP transport');
  const server = createServer((req, res) => {
    handle(req, res, o).catch((error: unknown) => {
      if (!res.headersSent) refuse(res, 500, (error as Error).message);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, resolve);
  });
  return server;
}
