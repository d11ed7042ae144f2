/**
 * The supervisor `driftline up` leaves behind (detached, so `up` returns): it starts each service, starts it
 * again with back-off whenever it exits (restart-policy.ts), records restarts and the last error line in
 * supervisor-state.ts's file, and on SIGTERM stops the services gracefully, last started first, then exits.
 *
 * usage: supervisor-process.ts BASE_PORT SERVICE...   (service i listens on BASE_PORT + i)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, mkdirSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { serviceArgs } from '../../core/src/runtime/service-command.ts';
import { LOG_DIR, ROOT, SERVICE_DIR } from './paths.ts';
import { describeExit, exitsInARow, lastErrorLine, restartDelayMs } from './restart-policy.ts';
import { writeState, type SupervisedService, type SupervisorState } from './supervisor-state.ts';

/** How long a service may take to finish its batch and commit on SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = 20_000;
/** Bytes of a service's log read back to find its last error line. */
const LOG_TAIL_BYTES = 64 * 1024;

interface Running {
  service: SupervisedService;
  child?: ChildProcess;
  inARow: number;
  timer?: NodeJS.Timeout;
}

const log = (message: string) => console.log(`${new Date().toISOString()} ${message}`);

/** What the service's log says since `from` (its last 64 KiB at most). */
function logSince(file: string, from: number): string {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(from, size - LOG_TAIL_BYTES);
    const buffer = Buffer.alloc(Math.max(0, size - start));
    readSync(fd, buffer, 0, buffer.length, start);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

class Supervisor {
  private readonly running: Running[];
  private stopping = false;
  private readonly state: SupervisorState;

  constructor(basePort: number, names: string[]) {
    this.running = names.map((name, i) => ({
      service: { name, port: basePort + i, pid: null, state: 'restarting', restarts: 0, startedAt: 0 },
      inARow: 0,
    }));
    this.state = { pid: process.pid, startedAt: Date.now(), services: this.running.map((r) => r.service) };
  }

  start(): void {
    mkdirSync(SERVICE_DIR, { recursive: true });
    mkdirSync(LOG_DIR, { recursive: true });
    writeFileSync(path.join(SERVICE_DIR, 'supervisor.pid'), String(process.pid));
    for (const r of this.running) this.launch(r);
    process.once('SIGTERM', () => void this.stop('SIGTERM'));
    process.once('SIGINT', () => void this.stop('SIGINT'));
  }

  private launch(r: Running): void {
    const { service } = r;
    const file = path.join(LOG_DIR, `${service.name}.log`);
    const fd = openSync(file, 'a');
    const from = fstatSync(fd).size;
    const child = spawn(process.execPath, serviceArgs(service.name), {
      cwd: ROOT,
      env: { ...process.env, DRIFTLINE_HTTP_PORT: String(service.port) },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    r.child = child;
    Object.assign(service, { pid: child.pid ?? null, state: 'running', startedAt: Date.now() });
    // The files earlier `up` versions wrote, read by `status` and `down` when no supervisor is left.
    writeFileSync(path.join(SERVICE_DIR, `${service.name}.pid`), String(child.pid));
    writeFileSync(path.join(SERVICE_DIR, `${service.name}.port`), String(service.port));
    writeState(this.state);
    log(`${service.name} started, pid ${child.pid}, port ${service.port}`);
    child.once('exit', (code, signal) => this.exited(r, file, from, code, signal));
  }

  private exited(r: Running, file: string, from: number, code: number | null, signal: string | null): void {
    const { service } = r;
    r.child = undefined;
    service.pid = null;
    service.lastExit = { code, signal, at: Date.now() };
    // A service killed by a signal did not choose to stop: what it logged before is not why it ended.
    const line = signal ? undefined : lastErrorLine(logSince(file, from));
    service.lastError = line ? `${describeExit(code, signal)}: ${line}` : describeExit(code, signal);
    if (this.stopping) {
      service.state = 'stopped';
      return;
    }
    r.inARow = exitsInARow(r.inARow, Date.now() - service.startedAt);
    const delay = restartDelayMs(r.inARow);
    service.state = 'restarting';
    service.restarts++;
    writeState(this.state);
    log(`${service.name} ${service.lastError}; restart ${service.restarts} in ${delay} ms`);
    r.timer = setTimeout(() => this.launch(r), delay);
  }

  /** Stops every service gracefully, last started first (SIGTERM, then SIGKILL after STOP_TIMEOUT_MS). */
  private async stop(signal: string): Promise<void> {
    this.stopping = true;
    log(`${signal}: stopping the services`);
    for (const r of [...this.running].reverse()) {
      clearTimeout(r.timer);
      const child = r.child;
      r.service.state = 'stopped';
      if (!child || child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(killer);
      rmSync(path.join(SERVICE_DIR, `${r.service.name}.pid`), { force: true });
      log(`${r.service.name} stopped`);
    }
    writeState(this.state);
    rmSync(path.join(SERVICE_DIR, 'supervisor.pid'), { force: true });
    process.exit(0);
  }
}

const [basePort, ...names] = process.argv.slice(2);
new Supervisor(Number(basePort), names).start();
