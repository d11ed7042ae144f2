// How long a service killed with SIGKILL takes to be back and ready under `driftline up`'s supervisor, with
// default settings. Starts `driftline up` in its own run folder, topic prefix and database (beside servers
// already running, or starting them), kills each service in turn and times it until its new process answers
// /readyz. Prints one row per service; `driftline down --keep-servers` at the end.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { randomServicePort } from '../test/integration/utils/ports.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runDir = mkdtempSync(path.join(tmpdir(), 'driftline-restart-bench-'));
const id = randomBytes(4).toString('hex');
const env: Record<string, string> = {
  ...process.env,
  DRIFTLINE_RUN_DIR: runDir,
  DRIFTLINE_STATE_DIR: path.join(runDir, 'state'),
  DRIFTLINE_TOPIC_PREFIX: `restart${id}.`,
  DRIFTLINE_CLICKHOUSE_DATABASE: `restart_${id}`,
  DRIFTLINE_SERVICES_BASE_PORT: String(randomServicePort(5)),
} as Record<string, string>;

interface Supervised {
  name: string;
  port: number;
  pid: number | null;
  restarts: number;
}

const cli = (...args: string[]) =>
  execFileSync(path.join(ROOT, 'bin', 'driftline'), args, { cwd: ROOT, env, encoding: 'utf8' });
const services = (): Supervised[] =>
  JSON.parse(readFileSync(path.join(runDir, 'services', 'supervisor.json'), 'utf8')).services;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ready(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok;
  } catch {
    return false;
  }
}

/** Seconds from SIGKILL until the service's next process answers /readyz (Infinity after 120 s). */
async function timeRestart(name: string): Promise<number> {
  const before = services().find((s) => s.name === name)!;
  process.kill(before.pid!, 'SIGKILL');
  const killedAt = performance.now();
  while (performance.now() - killedAt < 120_000) {
    const now = services().find((s) => s.name === name)!;
    if (now.pid !== null && now.pid !== before.pid && (await ready(now.port)))
      return (performance.now() - killedAt) / 1000;
    await sleep(50);
  }
  return Infinity;
}

cli('up');
try {
  console.log('service               ready again after SIGKILL (s)');
  for (const { name } of services()) {
    const seconds = await timeRestart(name);
    console.log(`${name.padEnd(21)} ${seconds.toFixed(1)}`);
    await sleep(2_000);
  }
} finally {
  cli('down', '--keep-servers');
}
