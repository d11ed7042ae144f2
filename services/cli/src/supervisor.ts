import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LOG_DIR, ROOT, SERVICE_DIR } from './paths.ts';

/** The pipeline's services in start order. Each is `services/<name>/src/main.ts`. */
export const PIPELINE_SERVICES = [
  'sink',
  'label-joiner',
  'performance-monitor',
  'drift-monitor',
  'alerter',
] as const;

export function availableServices(): string[] {
  return PIPELINE_SERVICES.filter((s) => existsSync(path.join(ROOT, 'services', s, 'src', 'main.ts')));
}

const pidFile = (name: string) => path.join(SERVICE_DIR, `${name}.pid`);
const portFile = (name: string) => path.join(SERVICE_DIR, `${name}.port`);

export function runningPid(name: string): number | null {
  if (!existsSync(pidFile(name))) return null;
  const pid = Number(readFileSync(pidFile(name), 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/** Starts a service in the background (detached), logging to .infra-data/logs/<name>.log. Idempotent. */
export function startDetached(
  name: string,
  env: Record<string, string>,
  port: number,
): { pid: number; fresh: boolean } {
  const existing = runningPid(name);
  if (existing) return { pid: existing, fresh: false };
  mkdirSync(SERVICE_DIR, { recursive: true });
  mkdirSync(LOG_DIR, { recursive: true });
  const log = openSync(path.join(LOG_DIR, `${name}.log`), 'a');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'services', name, 'src', 'main.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, DRIFTLINE_HTTP_PORT: String(port) },
      stdio: ['ignore', log, log],
      detached: true,
    },
  );
  child.unref();
  writeFileSync(pidFile(name), String(child.pid));
  writeFileSync(portFile(name), String(port));
  return { pid: child.pid!, fresh: true };
}

export function servicePort(name: string): number | null {
  return existsSync(portFile(name)) ? Number(readFileSync(portFile(name), 'utf8')) : null;
}

/** SIGTERM, wait for a graceful exit, then SIGKILL. */
export async function stopService(name: string, timeoutMs = 20_000): Promise<boolean> {
  const pid = runningPid(name);
  if (!pid) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && runningPid(name)) await new Promise((r) => setTimeout(r, 200));
  if (runningPid(name)) process.kill(pid, 'SIGKILL');
  rmSync(pidFile(name), { force: true });
  return true;
}

/** Waits for /readyz of a service; returns false on timeout or if it exited. */
export async function waitServiceReady(name: string, timeoutMs = 120_000): Promise<boolean> {
  const port = servicePort(name);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!runningPid(name)) return false;
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}
