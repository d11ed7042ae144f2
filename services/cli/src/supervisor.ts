import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LOG_DIR, ROOT, SERVICE_DIR } from './paths.ts';
import { alive, readState, type SupervisedService } from './supervisor-state.ts';

/** The pipeline's services in start order. Each is `services/<name>/src/main.ts`. */
export const PIPELINE_SERVICES = [
  'sink',
  'label-joiner',
  'performance-monitor',
  'drift-monitor',
  'estimator',
  'alerter',
] as const;

export function availableServices(): string[] {
  return PIPELINE_SERVICES.filter((s) => existsSync(path.join(ROOT, 'services', s, 'src', 'main.ts')));
}

const pidFile = (name: string) => path.join(SERVICE_DIR, `${name}.pid`);
const portFile = (name: string) => path.join(SERVICE_DIR, `${name}.port`);
const SUPERVISOR_PID = path.join(SERVICE_DIR, 'supervisor.pid');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readPid(file: string): number | null {
  return existsSync(file) ? Number(readFileSync(file, 'utf8')) : null;
}

/** The running supervisor's pid, or null. */
export function supervisorPid(): number | null {
  const pid = readPid(SUPERVISOR_PID);
  return alive(pid) ? pid : null;
}

/** The pid of a service's running process, or null (between a crash and its restart too). */
export function runningPid(name: string): number | null {
  const pid = readPid(pidFile(name));
  return alive(pid) ? pid : null;
}

export function servicePort(name: string): number | null {
  return existsSync(portFile(name)) ? Number(readFileSync(portFile(name), 'utf8')) : null;
}

/** What the supervisor last wrote about a service. */
export function supervised(name: string): SupervisedService | undefined {
  return readState()?.services.find((s) => s.name === name);
}

/**
 * Starts the supervisor of `services` in the background (detached: it outlives this command), logging to
 * logs/supervisor.log; it starts the services on ports basePort, basePort + 1, ... Idempotent.
 */
export function startSupervisor(services: string[], basePort: number): { pid: number; fresh: boolean } {
  const existing = supervisorPid();
  if (existing) return { pid: existing, fresh: false };
  mkdirSync(SERVICE_DIR, { recursive: true });
  mkdirSync(LOG_DIR, { recursive: true });
  rmSync(path.join(SERVICE_DIR, 'supervisor.json'), { force: true });
  const log = openSync(path.join(LOG_DIR, 'supervisor.log'), 'a');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'services', 'cli', 'src', 'supervisor-process.ts'),
      String(basePort),
      ...services,
    ],
    { cwd: ROOT, env: process.env, stdio: ['ignore', log, log], detached: true },
  );
  child.unref();
  // Written here too (the supervisor writes it again once it runs), so a check right after sees it.
  writeFileSync(SUPERVISOR_PID, String(child.pid));
  return { pid: child.pid!, fresh: true };
}

/**
 * Stops the supervisor, which stops its services gracefully. Waits for it to exit; a supervisor that does not
 * is killed with its services.
 * @returns false when no supervisor was running.
 */
export async function stopSupervisor(timeoutMs = 150_000): Promise<boolean> {
  const pid = supervisorPid();
  if (!pid) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && alive(pid)) await sleep(200);
  if (alive(pid)) {
    process.kill(pid, 'SIGKILL');
    for (const s of readState()?.services ?? []) if (alive(s.pid)) process.kill(s.pid, 'SIGKILL');
  }
  rmSync(SUPERVISOR_PID, { force: true });
  return true;
}

/** A service left without a supervisor (it was killed): SIGTERM, wait for a graceful exit, then SIGKILL. */
export async function stopService(name: string, timeoutMs = 20_000): Promise<boolean> {
  const pid = runningPid(name);
  if (!pid) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && runningPid(name)) await sleep(200);
  if (runningPid(name)) process.kill(pid, 'SIGKILL');
  rmSync(pidFile(name), { force: true });
  return true;
}

export type Readiness = { ready: true } | { ready: false; why: string };

/**
 * Waits for /readyz of a supervised service. The supervisor restarts a service that exits, so an exit is not
 * the end: only the timeout, a supervisor that is gone, or exits that a restart cannot cure (code 1, twice)
 * give up early.
 */
export async function waitServiceReady(name: string, timeoutMs = 180_000): Promise<Readiness> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const s = supervised(name);
    if (!supervisorPid()) return { ready: false, why: 'the supervisor is not running' };
    if (s && s.restarts >= 2 && s.lastExit?.code === 1) return { ready: false, why: s.lastError! };
    try {
      if (s?.pid && (await fetch(`http://127.0.0.1:${s.port}/readyz`)).ok) return { ready: true };
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  return { ready: false, why: `not ready after ${timeoutMs / 1000} s: ${supervised(name)?.lastError ?? ''}` };
}
