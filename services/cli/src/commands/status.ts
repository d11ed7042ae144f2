import { loadConfig } from '../../../core/src/config/load.ts';
import { createKafka } from '../../../core/src/kafka/client.ts';
import { createLogger } from '../../../core/src/logger.ts';
import { lagByGroup } from '../lag.ts';
import { availableServices, runningPid, servicePort } from '../supervisor.ts';
import { stack } from '../stack.ts';

/** Servers, services (pid, readiness) and consumer lag per group. */
export async function status(): Promise<void> {
  stack('status');
  for (const name of availableServices()) {
    const pid = runningPid(name);
    let ready = 'stopped';
    if (pid) {
      try {
        ready = (await fetch(`http://127.0.0.1:${servicePort(name)}/readyz`)).ok ? 'ready' : 'not ready';
      } catch {
        ready = 'starting';
      }
    }
    console.log(`${name.padEnd(20)} ${ready.padEnd(10)} pid ${pid ?? '-'}`);
  }
  await printLag();
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
