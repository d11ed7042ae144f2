import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceArgs } from '../../../services/core/src/runtime/service-command.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A service under test, run as its own process exactly as in production (node + tsx). */
export interface ServiceProcess {
  child: ChildProcess;
  /** Port of its metrics/health endpoint, read from its start-up log. */
  port: () => Promise<number>;
  logs: () => string;
  exited: Promise<number | null>;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** `nodeArgs` go before the script, for flags NODE_OPTIONS refuses (e.g. `--cpu-prof`). */
export function startServiceProcess(
  service: string,
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): ServiceProcess {
  const child = spawn(process.execPath, serviceArgs(service, nodeArgs), {
    cwd: ROOT,
    env: { ...process.env, DRIFTLINE_HTTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = async () => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const m = /"port":(\d+),"host":"[^"]+","msg":"metrics and health endpoint listening"/.exec(output);
      if (m) return Number(m[1]);
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${service} did not report its port; output:\n${output}`);
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return { child, port, logs: () => output, exited, stop };
}

/** Waits until the service answers 200 on /readyz. */
export async function waitReady(p: ServiceProcess, timeoutMs = 90_000): Promise<number> {
  const port = await p.port();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.ok) return port;
    } catch {
      // not listening yet
    }
    if (p.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`service not ready after ${timeoutMs} ms; output:\n${p.logs()}`);
}

/**
 * A service's Prometheus text, fetched on a connection of its own: fetch's pooled keep-alive connection can be
 * one the service has just closed as idle ("other side closed"), which is a race in the test, not a fault.
 */
export function scrapeMetrics(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = get({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        response.statusCode === 200
          ? resolve(body)
          : reject(new Error(`/metrics answered ${response.statusCode}`)),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}
