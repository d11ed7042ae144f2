import { loadConfig } from '../../../core/src/config/load.ts';
import { createKafka } from '../../../core/src/kafka/client.ts';
import { createLogger } from '../../../core/src/logger.ts';
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
    const { groups } = await admin.listGroups();
    for (const { groupId } of groups.filter((g) => g.groupId.startsWith('driftline'))) {
      const offsets = await admin.fetchOffsets({ groupId });
      let lag = 0;
      for (const { topic, partitions } of offsets) {
        const ends = await admin.fetchTopicOffsets(topic);
        for (const p of partitions) {
          const end = Number(ends.find((e) => e.partition === p.partition)?.high ?? 0);
          lag += Math.max(0, end - Math.max(0, Number(p.offset)));
        }
      }
      console.log(`lag ${groupId.padEnd(28)} ${lag}`);
    }
  } catch (error) {
    console.log(`lag: Kafka not reachable (${(error as Error).message})`);
  } finally {
    await admin.disconnect();
  }
}
