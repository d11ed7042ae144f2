// `driftline up` supervises what it starts: it returns with every service ready and a detached supervisor left
// running; a service killed with SIGKILL comes back ready without any command; `status` shows its restarts and
// how it ended; `down` stops the supervisor and every service. Runs beside the shared servers: its own run
// folder, ports, topic prefix and database.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableServices } from '../../services/cli/src/supervisor.ts';
import { testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { randomServicePort } from './utils/ports.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const runDir = mkdtempSync(path.join(tmpdir(), 'driftline-supervised-'));
const env: Record<string, string> = {
  ...isolatedEnv({ DRIFTLINE_STATE_DIR: path.join(runDir, 'state') }),
  DRIFTLINE_RUN_DIR: runDir,
  DRIFTLINE_SERVICES_BASE_PORT: String(randomServicePort(5)),
  // A restarted member waits for the group to drop its killed predecessor: Kafka's shortest session.
  DRIFTLINE_KAFKA_SESSION_TIMEOUT_MS: '6000',
};
const ch = testClickHouse();

interface Supervised {
  name: string;
  port: number;
  pid: number | null;
  restarts: number;
  lastError?: string;
}

function cli(...args: string[]): string {
  return execFileSync(path.join(ROOT, 'bin', 'driftline'), args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 400_000,
  });
}

function state(): { pid: number; services: Supervised[] } {
  return JSON.parse(readFileSync(path.join(runDir, 'services', 'supervisor.json'), 'utf8'));
}

const service = (name: string) => state().services.find((s) => s.name === name)!;

function alive(pid: number | null): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function ready(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok;
  } catch {
    return false;
  }
}

let upOutput = '';

beforeAll(() => {
  upOutput = cli('up');
});

afterAll(async () => {
  try {
    cli('down', '--keep-servers');
  } finally {
    await ch.command({ query: `DROP DATABASE IF EXISTS ${env.DRIFTLINE_CLICKHOUSE_DATABASE}` });
    await ch.close();
  }
});

describe('driftline up', () => {
  it('shouldReturnWithEveryServiceReadyAndItsSupervisorLeftRunningWhenUp', async () => {
    expect(upOutput).toContain('all services ready');
    const { pid, services } = state();
    expect(alive(pid)).toBe(true);
    expect(services.map((s) => s.name)).toEqual(availableServices());
    for (const s of services) {
      expect(alive(s.pid), s.name).toBe(true);
      expect(await ready(s.port), s.name).toBe(true);
      expect(s.restarts, s.name).toBe(0);
    }
  });

  it.each(['sink', 'alerter'])(
    'shouldBringTheServiceBackReadyWithoutACommandWhen%sIsKilled',
    async (name) => {
      const before = service(name);
      process.kill(before.pid!, 'SIGKILL');
      const killedAt = Date.now();
      // The supervisor starts it again after its first back-off (250 ms).
      const restarted = await waitFor(
        `a new ${name} process`,
        async () => service(name),
        (s) => s.pid !== null && s.pid !== before.pid,
        10_000,
      );
      expect(restarted.restarts).toBe(before.restarts + 1);
      await waitFor(
        `${name} ready again`,
        () => ready(restarted.port),
        (r) => r,
        60_000,
      );
      console.log(`${name}: ready again ${((Date.now() - killedAt) / 1000).toFixed(1)} s after SIGKILL`);

      const line = cli('status')
        .split('\n')
        .find((l) => l.startsWith(name));
      expect(line).toMatch(
        new RegExp(`^${name} +ready +pid ${restarted.pid}  restarts 1  last exit: killed by SIGKILL$`),
      );
    },
  );

  it('shouldStopTheSupervisorAndEveryServiceWhenDown', () => {
    const { pid, services } = state();
    const out = cli('down', '--keep-servers');
    expect(out).toContain('supervisor           stopped with its services');
    expect(alive(pid)).toBe(false);
    for (const s of services) expect(alive(s.pid), s.name).toBe(false);
    const stopped = state().services;
    expect(stopped.every((s) => s.pid === null)).toBe(true);
    expect(cli('status')).toMatch(/^supervisor +stopped/m);
  });
});
