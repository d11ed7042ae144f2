import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface HealthState {
  /** Live: the process loop works. */
  live: () => boolean;
  /** Ready: connected to its servers and consuming. */
  ready: () => boolean;
}

export interface HttpEndpoint {
  server: Server;
  port: number;
  close: () => Promise<void>;
}

/** Serves /metrics (Prometheus text), /healthz and /readyz. Binds to loopback unless configured otherwise. */
export async function startHttpEndpoint(
  registry: Registry,
  health: HealthState,
  host: string,
  port: number,
): Promise<HttpEndpoint> {
  const server = createServer((req, res) => {
    void (async () => {
      if (req.url === '/metrics') {
        res.writeHead(200, { 'Content-Type': registry.contentType });
        res.end(await registry.metrics());
      } else if (req.url === '/healthz' || req.url === '/readyz') {
        const ok = req.url === '/healthz' ? health.live() : health.ready();
        res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable' }));
      } else {
        res.writeHead(404).end();
      }
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    server,
    port: bound,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
