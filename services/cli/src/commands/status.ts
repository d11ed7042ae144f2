import { loadConfig } from '../../../core/src/config/load.ts';
import { createKafka } from '../../../core/src/kafka/client.ts';
import { createLogger } from '../../../core/src/logger.ts';
import { lagByGroup } from '../lag.ts';
import { availableServices, runningPid, servicePort, supervised, supervisorPid } from '../supervisor.ts';
import { stack } from '../stack.ts';

/** Servers, the supervisor, services (pid, readiness, restarts, last error line) and consumer lag per group. */
export async function status(): Promise<void> {
  stack('status');
  const supervisor = supervisorPid();
  console.log(
    `${'supervisor'.padEnd(20)} ${(supervisor ? 'running' : 'stopped').padEnd(10)} pid ${supervisor ?? '-'}`,
  );
  for (const name of availableServices()) console.log(await serviceLine(name));
  await printLag();
}

async function readiness(pid: number | null, port: number | null): Promise<string> {
  if (!pid || !port) return 'stopped';
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok ? 'ready' : 'not ready';
  } catch {
    return 'starting';
  }
}

/** `sink  ready  pid 123  restarts 2  last exit: exited with code 1: <its last error line>`. */
async function serviceLine(name: string): Promise<string> {
  const s = supervised(name);
  const pid = runningPid(name);
  let state = await readiness(pid, s?.port ?? servicePort(name));
  if (!pid && s?.state === 'restarting') state = 'restarting';
  const restarts = s ? `  restarts ${s.restarts}` : '';
  const error = s?.lastError ? `  last exit: ${s.lastError}` : '';
  return `${name.padEnd(20)} ${state.padEnd(10)} pid ${pid ?? '-'}${restarts}${error}`;
}

async function printLag(): Promise<void> {
  const config = loadConfig();
  const admin = createKafka(config, 'cli', createLogger('cli', 'error')).admin();
  try {
    await admin.connect();
    for (const [groupId, lag] of await lagByGroup(admin)) console.log(`lag ${groupId.padEnd(32)} ${lag}`);
  } catch (error) {
    console.log(`lag: Kafka not reachable (${(error as Error).message})`);
  } finally {
    await admin.disconnect();
  }
}
